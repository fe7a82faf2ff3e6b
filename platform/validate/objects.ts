/** Typed views over plain Kubernetes objects, for the cross-object rules. */
export type Obj = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string; labels?: Record<string, string> } } & Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface Workload {
  object: Obj;
  podLabels: Record<string, string>;
  podSpec: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  /** The lowest replica count it runs at: the HPA minimum when an HPA targets it. */
  minReplicas: number;
}

export function matches(selector: Record<string, string> | undefined, labels: Record<string, string> | undefined): boolean {
  if (!selector || Object.keys(selector).length === 0) return false;
  return Object.entries(selector).every(([k, v]) => labels?.[k] === v);
}

export function workloads(objects: Obj[]): Workload[] {
  const hpas = objects.filter((o) => o.kind === 'HorizontalPodAutoscaler');
  return objects
    .filter((o) => o.kind === 'Deployment' || o.kind === 'StatefulSet')
    .map((object) => {
      const hpa = hpas.find((h) => h.spec?.scaleTargetRef?.kind === object.kind && h.spec?.scaleTargetRef?.name === object.metadata.name);
      return {
        object,
        podLabels: object.spec?.template?.metadata?.labels ?? {},
        podSpec: object.spec?.template?.spec ?? {},
        minReplicas: hpa ? (hpa.spec.minReplicas ?? 1) : (object.spec?.replicas ?? 1),
      };
    });
}

export function allContainers(podSpec: Workload['podSpec']): Array<{ container: Record<string, any>; init: boolean }> { // eslint-disable-line @typescript-eslint/no-explicit-any
  return [...(podSpec.initContainers ?? []).map((c: object) => ({ container: c, init: true })), ...(podSpec.containers ?? []).map((c: object) => ({ container: c, init: false }))];
}
