/** Typed views over plain Kubernetes objects, for the cross-object rules. */
import type { KubeObject } from '../stack-objects.js';

/** Rendered YAML read field by field: typing every Kubernetes kind here would duplicate their schemas. */
// biome-ignore lint/suspicious/noExplicitAny: deliberately loose view of rendered objects
export type Loose = Record<string, any>;

/** A rendered object (one KubeObject) whose fields beyond kind and metadata are read without a schema. */
export type Obj = KubeObject & Loose;

export interface Workload {
  object: Obj;
  podLabels: Record<string, string>;
  podSpec: Loose;
  /** The lowest replica count it runs at: the HPA minimum when an HPA targets it; 0 for a CronJob, idle between runs. */
  minReplicas: number;
  /** A Job or CronJob: its pods run to completion, serve nothing, so readiness and liveness probes mean nothing for them. */
  runsToCompletion: boolean;
  /**
   * Pods an operator renders from a custom resource (CloudNativePG's Cluster and Pooler): the pod spec here
   * is only what the resource determines (labels, image, ports), and their hardening is the operator's.
   */
  operator?: { disruptionBudgets: boolean };
}

export function matches(
  selector: Record<string, string> | undefined,
  labels: Record<string, string> | undefined,
): boolean {
  if (!selector || Object.keys(selector).length === 0) return false;
  return Object.entries(selector).every(([k, v]) => labels?.[k] === v);
}

/** Where each workload kind keeps its pod template. */
const podTemplate: Record<string, (o: Obj) => Loose | undefined> = {
  Deployment: (o) => o.spec?.template,
  StatefulSet: (o) => o.spec?.template,
  Job: (o) => o.spec?.template,
  CronJob: (o) => o.spec?.jobTemplate?.spec?.template,
};

/** CloudNativePG's instance pods: Postgres, the instance manager's status port, the exporter. */
const CLUSTER_PORTS = [5432, 8000, 9187];
/** PgBouncer and its exporter. */
const POOLER_PORTS = [5432, 9127];
const ports = (numbers: number[]) => numbers.map((containerPort) => ({ containerPort }));

function operatorWorkloads(objects: Obj[]): Workload[] {
  const out: Workload[] = [];
  for (const object of objects.filter((o) => o.apiVersion === 'postgresql.cnpg.io/v1')) {
    if (object.kind === 'Cluster')
      out.push({
        object,
        podLabels: { ...object.spec?.inheritedMetadata?.labels, 'cnpg.io/cluster': object.metadata.name },
        podSpec: {
          priorityClassName: object.spec?.priorityClassName,
          containers: [
            {
              name: 'postgres',
              image: object.spec?.imageName,
              imagePullPolicy: object.spec?.imagePullPolicy,
              ports: ports(CLUSTER_PORTS),
            },
          ],
        },
        minReplicas: object.spec?.instances ?? 1,
        runsToCompletion: false,
        // The operator keeps a PDB for the primary and one for the standbys (enablePDB).
        operator: { disruptionBudgets: object.spec?.enablePDB !== false },
      });
    if (object.kind === 'Pooler')
      out.push({
        object,
        podLabels: { ...object.spec?.template?.metadata?.labels, 'cnpg.io/poolerName': object.metadata.name },
        podSpec: {
          priorityClassName: object.spec?.template?.spec?.priorityClassName,
          containers: [{ name: 'pgbouncer', ports: ports(POOLER_PORTS) }],
        },
        minReplicas: object.spec?.instances ?? 1,
        runsToCompletion: false,
        operator: { disruptionBudgets: false },
      });
  }
  return out;
}

export function workloads(objects: Obj[]): Workload[] {
  return [...podTemplateWorkloads(objects), ...operatorWorkloads(objects)];
}

function podTemplateWorkloads(objects: Obj[]): Workload[] {
  const hpas = objects.filter((o) => o.kind === 'HorizontalPodAutoscaler');
  return objects
    .filter((o) => Object.hasOwn(podTemplate, o.kind))
    .map((object) => {
      const hpa = hpas.find(
        (h) => h.spec?.scaleTargetRef?.kind === object.kind && h.spec?.scaleTargetRef?.name === object.metadata.name,
      );
      const template = podTemplate[object.kind]!(object);
      const runsToCompletion = object.kind === 'Job' || object.kind === 'CronJob';
      return {
        object,
        podLabels: template?.metadata?.labels ?? {},
        podSpec: template?.spec ?? {},
        minReplicas: runsToCompletion ? 0 : hpa ? (hpa.spec.minReplicas ?? 1) : (object.spec?.replicas ?? 1),
        runsToCompletion,
      };
    });
}

export function allContainers(podSpec: Workload['podSpec']): Array<{ container: Loose; init: boolean }> {
  return [
    ...(podSpec.initContainers ?? []).map((c: object) => ({ container: c, init: true })),
    ...(podSpec.containers ?? []).map((c: object) => ({ container: c, init: false })),
  ];
}
