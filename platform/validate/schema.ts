/**
 * Schema validation of every object: CloudNativePG's custom resources against their CRDs' own schemas
 * (crd-schema.ts); the rest with kubernetes-models (and the prometheus-operator models), plus unknown-field
 * rejection, which the models' compiled validators do not do. The trick: the validator reads, on every object it has a schema for, each property the schema knows; a Proxy records
 * those reads, and any key present but never read is a field Kubernetes would drop or refuse. Nodes the
 * validator never reads into (free-form maps, int-or-string) or enumerates (labels, data) are skipped.
 */
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
import { z } from 'zod';
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
};

/** Argo CD ships no models on npm: the fields this project uses, strictly. */
const argoMetadata = z.strictObject({
  name: z.string().min(1),
  namespace: z.string().min(1),
  labels: z.record(z.string(), z.string()).optional(),
});
const ArgoApplication = z.strictObject({
  apiVersion: z.literal('argoproj.io/v1alpha1'),
  kind: z.literal('Application'),
  metadata: argoMetadata,
  spec: z.strictObject({
    project: z.string(),
    source: z.strictObject({
      repoURL: z.url(),
      targetRevision: z.string().min(1),
      path: z.string().min(1),
      directory: z.strictObject({ recurse: z.boolean(), include: z.string() }).optional(),
    }),
    destination: z.strictObject({ server: z.url(), namespace: z.string().min(1) }),
    ignoreDifferences: z
      .array(
        z.strictObject({
          group: z.string(),
          kind: z.string().min(1),
          name: z.string().min(1).optional(),
          namespace: z.string().min(1).optional(),
          jsonPointers: z.array(z.string().regex(/^(\/[^/]+)+$/)).optional(),
          jqPathExpressions: z.array(z.string().min(1)).optional(),
          managedFieldsManagers: z.array(z.string().min(1)).optional(),
        }),
      )
      .optional(),
    syncPolicy: z
      .strictObject({
        automated: z.strictObject({ prune: z.boolean(), selfHeal: z.boolean() }),
        syncOptions: z.array(z.string()),
      })
      .optional(),
  }),
});

const groupKind = z.strictObject({ group: z.string(), kind: z.string().min(1) });
const ArgoAppProject = z.strictObject({
  apiVersion: z.literal('argoproj.io/v1alpha1'),
  kind: z.literal('AppProject'),
  metadata: argoMetadata,
  spec: z.strictObject({
    description: z.string().optional(),
    sourceRepos: z.array(z.string().min(1)).min(1),
    destinations: z.array(z.strictObject({ server: z.url(), namespace: z.string().min(1) })).min(1),
    clusterResourceWhitelist: z.array(groupKind).optional(),
    namespaceResourceWhitelist: z.array(groupKind).optional(),
  }),
});
const argoSchemas: Record<string, z.ZodType> = {
  'argoproj.io/v1alpha1/Application': ArgoApplication,
  'argoproj.io/v1alpha1/AppProject': ArgoAppProject,
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
  const argo = argoSchemas[key];
  if (argo) {
    const parsed = argo.safeParse(object);
    return parsed.success
      ? []
      : parsed.error.issues.map((i) => ({ rule: 'schema', object: id, message: `${i.path.join('.')}: ${i.message}` }));
  }
  if (hasCrdSchema(key))
    return crdProblems(key, object).map((p) =>
      p.unknownField
        ? { rule: 'unknown-field', object: id, message: `${p.message} is not a field of ${key}` }
        : { rule: 'schema', object: id, message: p.message },
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
  return unknownFields(nodes).map((path) => ({
    rule: 'unknown-field',
    object: id,
    message: `${path} is not a field of ${key}`,
  }));
}
