/**
 * Resources as numbers in the stack, rendered once here for both cdk8s-plus containers and L1 pod specs.
 * Every container also gets the hygiene's ephemeral-storage request and limit (hygiene.ts).
 */
import { ApiObject, JsonPatch, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import type { Resources } from '../../stacks/types.js';
import { defaultEphemeralStorage } from './hygiene.js';

/**
 * CPU and memory as cdk8s-plus takes them. Ephemeral storage is not here: cdk8s-plus writes it in Gi
 * (`0.0625Gi`), so `kplusEphemeralStorage` patches the same `Mi` quantities every L1 container states.
 */
export function kplusResources(r: Resources): kplus.ContainerResources {
  return {
    cpu: { request: kplus.Cpu.millis(r.cpuMillis.request), limit: kplus.Cpu.millis(r.cpuMillis.limit) },
    memory: { request: Size.mebibytes(r.memoryMiB.request), limit: Size.mebibytes(r.memoryMiB.limit) },
  };
}

/** The hygiene's ephemeral-storage request and limit on container `index` of a cdk8s-plus workload's pod template. */
export function kplusEphemeralStorage(workload: kplus.Deployment, index: number): void {
  const resources = `/spec/template/spec/containers/${index}/resources`;
  // Quantities, not strings: the Deployment's L1 serializer, which runs after the patches, reads `.value`.
  const quantity = kplus.k8s.Quantity.fromString;
  ApiObject.of(workload).addJsonPatch(
    JsonPatch.add(`${resources}/requests/ephemeral-storage`, quantity(defaultEphemeralStorage.requests)),
    JsonPatch.add(`${resources}/limits/ephemeral-storage`, quantity(defaultEphemeralStorage.limits)),
  );
}

/** A container's resources as a pod spec writes them, with the hygiene's ephemeral storage. */
export function l1Resources(r: Resources) {
  const quantity = kplus.k8s.Quantity.fromString;
  return {
    requests: {
      cpu: quantity(`${r.cpuMillis.request}m`),
      memory: quantity(`${r.memoryMiB.request}Mi`),
      'ephemeral-storage': quantity(defaultEphemeralStorage.requests),
    },
    limits: {
      cpu: quantity(`${r.cpuMillis.limit}m`),
      memory: quantity(`${r.memoryMiB.limit}Mi`),
      'ephemeral-storage': quantity(defaultEphemeralStorage.limits),
    },
  };
}

/** A sidecar's modest, fixed sizing (exporters). */
export const sidecarResources: Resources = {
  cpuMillis: { request: 25, limit: 100 },
  memoryMiB: { request: 32, limit: 64 },
};
