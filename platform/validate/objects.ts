/** Typed views over plain Kubernetes objects, for the cross-object rules. */
import {
  cnpgPorts,
  instancePodLabels,
  type LabelSelector,
  poolerPodLabels,
} from '../cluster/postgres/operator-contract.js';
import type { KubeObject } from '../render/stack-objects.js';

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
  operator?: {
    disruptionBudgets: boolean;
    /** What our object says about its pods (the resource's labels, inheritedMetadata, the template): not guaranteed on them. */
    declaredLabels: Record<string, string>;
  };
}

/** A Kubernetes label selector against a pod's labels (`{}` selects every pod; no selector, none). */
export function selects(selector: LabelSelector | undefined, labels: Record<string, string>): boolean {
  if (!selector) return false;
  const byLabel = Object.entries(selector.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
  return (
    byLabel &&
    (selector.matchExpressions ?? []).every((e) => {
      const has = Object.hasOwn(labels, e.key);
      switch (e.operator) {
        case 'In':
          return has && (e.values ?? []).includes(labels[e.key]!);
        case 'NotIn':
          return !has || !(e.values ?? []).includes(labels[e.key]!);
        case 'Exists':
          return has;
        case 'DoesNotExist':
          return !has;
      }
      return false;
    })
  );
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

const ports = (named: Record<string, number>) =>
  Object.entries(named).map(([name, containerPort]) => ({ name, containerPort }));

function operatorWorkloads(objects: Obj[]): Workload[] {
  const out: Workload[] = [];
  for (const object of objects.filter((o) => o.apiVersion === 'postgresql.cnpg.io/v1')) {
    if (object.kind === 'Cluster')
      out.push({
        object,
        podLabels: instancePodLabels(object.metadata.name, 'primary'),
        podSpec: {
          priorityClassName: object.spec?.priorityClassName,
          containers: [
            {
              name: 'postgres',
              image: object.spec?.imageName,
              imagePullPolicy: object.spec?.imagePullPolicy,
              ports: ports(cnpgPorts.instance),
            },
          ],
        },
        minReplicas: object.spec?.instances ?? 1,
        runsToCompletion: false,
        // The operator keeps a PDB for the primary and one for the standbys (enablePDB).
        operator: {
          disruptionBudgets: object.spec?.enablePDB !== false,
          declaredLabels: { ...object.metadata.labels, ...object.spec?.inheritedMetadata?.labels },
        },
      });
    if (object.kind === 'Pooler')
      out.push({
        object,
        podLabels: poolerPodLabels(object.metadata.name, object.spec?.cluster?.name),
        podSpec: {
          priorityClassName: object.spec?.template?.spec?.priorityClassName,
          containers: [{ name: 'pgbouncer', ports: ports(cnpgPorts.pooler) }],
        },
        minReplicas: object.spec?.instances ?? 1,
        runsToCompletion: false,
        operator: {
          disruptionBudgets: false,
          declaredLabels: { ...object.metadata.labels, ...object.spec?.template?.metadata?.labels },
        },
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
