/**
 * Which prerequisite each synthesized object must wait for, decided from the object alone (pure, so the
 * rule is tested directly as well as through the program):
 *  - prometheus-operator custom resources (ServiceMonitor, PrometheusRule): their CRDs come with
 *    kube-prometheus-stack;
 *  - dashboard ConfigMaps in the monitoring namespace: that namespace and Grafana's sidecar come with it;
 *  - an Ingress: the ingress controller, cert-manager and the ClusterIssuer its annotation names;
 *  - CloudNativePG and Barman Cloud custom resources (Cluster, Pooler, ScheduledBackup, ObjectStore): the
 *    operator's and the plugin's charts, which install their CRDs and webhooks; the ObjectStore also its Secret;
 *  - Pods (Deployments, StatefulSets): the Secrets they reference, or they would start without them;
 *  - long-running pods of the app image (gateway, workers): the migration Job of the release, so they
 *    start on the schema they need (they check it and refuse to start otherwise);
 *  - anything else in the stack namespace: the Namespace.
 */
import type { KubeObject } from '../render/build-stack.js';
import type { StackConfig } from '../../stacks/types.js';
import { MIGRATION_COMPONENT } from '../workloads/migrations.js';

export type Prerequisite = 'namespace' | 'monitoring' | 'ingress' | 'secrets' | 'migrations' | 'database';

const MONITORING_API = 'monitoring.coreos.com/';
/** CloudNativePG's and the Barman Cloud Plugin's API groups: their CRDs come with the operator's and plugin's charts. */
const DATABASE_APIS = ['postgresql.cnpg.io/', 'barmancloud.cnpg.io/'];
/** Custom resources that name Secrets the Pulumi program creates (the ObjectStore's S3 keys). */
const SECRET_READERS = new Set(['ObjectStore']);
const POD_OWNERS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob']);
const LONG_RUNNING = new Set(['Deployment', 'StatefulSet', 'DaemonSet']);

/** The images built from docker/app.Dockerfile (gateway, worker): the code whose schema the migration sets up. */
function runsAppImage(object: KubeObject, stack: StackConfig): boolean {
  if (!LONG_RUNNING.has(object.kind)) return false;
  const appImages = [stack.images.gateway, stack.images.worker];
  const pod = (object.spec as { template?: { spec?: { containers?: Array<{ image?: string }> } } } | undefined)
    ?.template?.spec;
  return (pod?.containers ?? []).some((c) => c.image !== undefined && appImages.includes(c.image));
}

export function prerequisitesOf(object: KubeObject, stack: StackConfig): Prerequisite[] {
  const needs = new Set<Prerequisite>();
  const namespace = object.metadata.namespace;
  if (object.apiVersion.startsWith(MONITORING_API) || namespace === stack.monitoring.namespace) needs.add('monitoring');
  if (namespace === stack.namespace) needs.add('namespace');
  if (object.kind === 'Ingress') needs.add('ingress');
  if (POD_OWNERS.has(object.kind) || SECRET_READERS.has(object.kind)) needs.add('secrets');
  if (runsAppImage(object, stack)) needs.add('migrations');
  if (DATABASE_APIS.some((api) => object.apiVersion.startsWith(api))) needs.add('database');
  return [...needs].sort();
}

/** The release's migration Job: created on its own, awaited to completion, before what needs it. */
export function isMigrationJob(object: KubeObject): boolean {
  return object.kind === 'Job' && object.metadata.labels?.['app.kubernetes.io/component'] === MIGRATION_COMPONENT;
}

/** Cluster-scoped objects of the topology: the Namespace (created on its own, before the rest) and the stack's PriorityClasses. */
export function isClusterScoped(object: KubeObject): boolean {
  return object.metadata.namespace === undefined;
}
