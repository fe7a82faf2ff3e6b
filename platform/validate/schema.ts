/**
 * Schema validation of every object: CloudNativePG's custom resources against their CRDs' own schemas
 * (crd-schema.ts); the rest with kubernetes-models (and its prometheus-operator and Argo CD models, generated
 * from those projects' upstream CRDs), plus unknown-field
 * rejection, which the models' compiled validators do not do. The trick: the validator reads, on every object it has a schema for, each property the schema knows; a Proxy records
 * those reads, and any key present but never read is a field Kubernetes would drop or refuse. Nodes the
 * validator never reads into (free-form maps, int-or-string) or enumerates (labels, data) are skipped.
 */
import { Application, AppProject } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1';
import {
  PodMonitor,
  PrometheusRule,
  ServiceMonitor,
} from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1';
import { CronJob, Job } from 'kubernetes-models/batch/v1';
import { ConfigMap, Namespace, PersistentVolumeClaim, Service, ServiceAccount } from 'kubernetes-models/v1';
import { Role, RoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1';
import { PriorityClass } from 'kubernetes-models/scheduling.k8s.io/v1';
import { Deployment, StatefulSet } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { Ingress, NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { crdProblems, hasCrdSchema } from './crd-schema.js';
import { objectId, type Violation } from './violation.js';

interface ModelClass {
  new (data: never): object;
  prototype: { validate(): void };
}

const models: Record<string, ModelClass> = {
  'v1/Namespace': Namespace as unknown as ModelClass,
  'v1/ConfigMap': ConfigMap as unknown as ModelClass,
  'v1/Service': Service as unknown as ModelClass,
  'v1/PersistentVolumeClaim': PersistentVolumeClaim as unknown as ModelClass,
  'v1/ServiceAccount': ServiceAccount as unknown as ModelClass,
  'rbac.authorization.k8s.io/v1/Role': Role as unknown as ModelClass,
  'rbac.authorization.k8s.io/v1/RoleBinding': RoleBinding as unknown as ModelClass,
  'scheduling.k8s.io/v1/PriorityClass': PriorityClass as unknown as ModelClass,
  'batch/v1/CronJob': CronJob as unknown as ModelClass,
  'batch/v1/Job': Job as unknown as ModelClass,
  'apps/v1/Deployment': Deployment as unknown as ModelClass,
  'apps/v1/StatefulSet': StatefulSet as unknown as ModelClass,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler as unknown as ModelClass,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget as unknown as ModelClass,
  'networking.k8s.io/v1/Ingress': Ingress as unknown as ModelClass,
  'networking.k8s.io/v1/NetworkPolicy': NetworkPolicy as unknown as ModelClass,
  'monitoring.coreos.com/v1/ServiceMonitor': ServiceMonitor as unknown as ModelClass,
  'monitoring.coreos.com/v1/PrometheusRule': PrometheusRule as unknown as ModelClass,
  'monitoring.coreos.com/v1/PodMonitor': PodMonitor as unknown as ModelClass,
  'argoproj.io/v1alpha1/Application': Application as unknown as ModelClass,
  'argoproj.io/v1alpha1/AppProject': AppProject as unknown as ModelClass,
};

/**
 * Fields a model's type declares but its compiled validator never reads: @kubernetes-models/argo-cd 4.0.0's
 * generator drops every property named `description` from its schemas (AppProjectSpec still types
 * `description?: string`). Checked here so the unknown-field pass neither rejects nor waves them through.
 */
const unvalidatedFields: Record<string, Record<string, (value: unknown) => boolean>> = {
  'argoproj.io/v1alpha1/AppProject': { '/spec/description': (value) => typeof value === 'string' },
};

interface NodeReads {
  node: Record<string, unknown>;
  read: Set<string>;
  enumerated: boolean;
}

function track(value: unknown, path: string, nodes: Map<string, NodeReads>): unknown {
  if (Array.isArray(value)) {
    return new Proxy(value, {
      get: (target, key, receiver) => {
        const item = Reflect.get(target, key, receiver);
        return typeof key === 'string' && /^\d+$/.test(key) ? track(item, `${path}/${key}`, nodes) : item;
      },
    });
  }
  if (value === null || typeof value !== 'object') return value;
  const entry: NodeReads = nodes.get(path) ?? {
    node: value as Record<string, unknown>,
    read: new Set(),
    enumerated: false,
  };
  nodes.set(path, entry);
  return new Proxy(value, {
    get: (target, key, receiver) => {
      const child = Reflect.get(target, key, receiver);
      if (typeof key !== 'string') return child;
      entry.read.add(key);
      return track(child, `${path}/${key}`, nodes);
    },
    has: (target, key) => {
      if (typeof key === 'string') entry.read.add(key);
      return Reflect.has(target, key);
    },
    ownKeys: (target) => {
      entry.enumerated = true;
      return Reflect.ownKeys(target);
    },
  });
}

function unknownFields(nodes: Map<string, NodeReads>): string[] {
  const found: string[] = [];
  for (const [path, { node, read, enumerated }] of nodes) {
    if (enumerated || read.size === 0) continue;
    for (const key of Object.keys(node)) if (!read.has(key)) found.push(`${path}/${key}`);
  }
  return found;
}

export function validateSchema(
  object: { apiVersion?: unknown; kind?: unknown } & Record<string, unknown>,
): Violation[] {
  const id = objectId(object as never);
  const key = `${String(object.apiVersion)}/${String(object.kind)}`;
  if (hasCrdSchema(key))
    return crdProblems(key, object).map((p) =>
      p.unknownField
        ? { rule: 'unknown-field', object: id, message: `${p.message} is not a field of ${key}` }
        : { rule: p.cel ? 'cel' : 'schema', object: id, message: p.message },
    );
  const Model = models[key];
  if (!Model)
    return [
      {
        rule: 'schema',
        object: id,
        message: `no schema known for ${key}: add its model to platform/validate/schema.ts`,
      },
    ];
  const model = new Model(structuredClone(object) as never);
  const nodes = new Map<string, NodeReads>();
  try {
    Model.prototype.validate.call(track(model, '', nodes));
  } catch (error) {
    return [{ rule: 'schema', object: id, message: (error as Error).message.replaceAll('\n', ' ') }];
  }
  const declared = unvalidatedFields[key] ?? {};
  return unknownFields(nodes).flatMap((path): Violation[] => {
    const check = declared[path];
    if (!check) return [{ rule: 'unknown-field', object: id, message: `${path} is not a field of ${key}` }];
    const value = path
      .split('/')
      .slice(1)
      .reduce<unknown>((node, k) => (node as Record<string, unknown>)[k], object);
    return check(value) ? [] : [{ rule: 'schema', object: id, message: `${path} has the wrong type for ${key}` }];
  });
}
