/** Resources as numbers in the stack, rendered once here for both cdk8s-plus containers and L1 pod specs. */
import { Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import type { Resources } from '../stacks/types.js';

export function kplusResources(r: Resources): kplus.ContainerResources {
  return {
    cpu: { request: kplus.Cpu.millis(r.cpuMillis.request), limit: kplus.Cpu.millis(r.cpuMillis.limit) },
    memory: { request: Size.mebibytes(r.memoryMiB.request), limit: Size.mebibytes(r.memoryMiB.limit) },
  };
}

export function l1Resources(r: Resources) {
  return {
    requests: {
      cpu: kplus.k8s.Quantity.fromString(`${r.cpuMillis.request}m`),
      memory: kplus.k8s.Quantity.fromString(`${r.memoryMiB.request}Mi`),
    },
    limits: {
      cpu: kplus.k8s.Quantity.fromString(`${r.cpuMillis.limit}m`),
      memory: kplus.k8s.Quantity.fromString(`${r.memoryMiB.limit}Mi`),
    },
  };
}

/** A sidecar's modest, fixed sizing (exporters). */
export const sidecarResources: Resources = {
  cpuMillis: { request: 25, limit: 100 },
  memoryMiB: { request: 32, limit: 64 },
};
