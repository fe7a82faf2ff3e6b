/**
 * Workload hygiene, applied once to every pod template a chart holds, whoever built it (Deployments,
 * StatefulSets, Jobs, CronJobs), so a new workload gets it without asking; the validator
 * (validate/rules.ts) refuses a template that lacks any of it:
 *  - imagePullPolicy follows the pinning: a digest names one image forever, so IfNotPresent; a version
 *    tag can be re-pushed (upstream rebuilds the same version for a base-image fix), so Always: each pod
 *    start resolves the tag to its current digest (one manifest request; cached layers stay) and nodes
 *    never run different builds under one name.
 */
import { ApiObject, type Chart, JsonPatch } from 'cdk8s';

/** Where each workload kind keeps its pod spec (JSON pointer). */
export const podSpecPath: Readonly<Record<string, string>> = {
  Deployment: '/spec/template/spec',
  StatefulSet: '/spec/template/spec',
  Job: '/spec/template/spec',
  CronJob: '/spec/jobTemplate/spec/template/spec',
};

export const isDigestPinned = (image: string): boolean => /@sha256:[0-9a-f]{64}$/.test(image);

export function pullPolicy(image: string): 'IfNotPresent' | 'Always' {
  return isDigestPinned(image) ? 'IfNotPresent' : 'Always';
}

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function at(json: Json, pointer: string): Json | undefined {
  return pointer
    .split('/')
    .slice(1)
    .reduce<Json | undefined>((node, key) => node?.[key], json);
}

export function applyWorkloadHygiene(chart: Chart): void {
  for (const object of chart.node.findAll().filter(ApiObject.isApiObject)) {
    const path = podSpecPath[object.kind];
    if (!path) continue;
    const spec = at(object.toJson(), path);
    if (!spec) continue;
    for (const list of ['initContainers', 'containers'] as const)
      (spec[list] ?? []).forEach((container: Json, i: number) => {
        object.addJsonPatch(
          JsonPatch.add(`${path}/${list}/${i}/imagePullPolicy`, pullPolicy(container.image)),
        );
      });
  }
}
