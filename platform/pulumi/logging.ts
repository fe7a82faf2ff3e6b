/**
 * Logs you can search: Loki (single binary, filesystem storage, retention per stack) and Grafana Alloy
 * tailing the pods of every stack this monitoring installation serves (./log-pipeline.ts), both from pinned Helm charts into the monitoring
 * namespace, and Loki as a Grafana data source (a ConfigMap the kube-prometheus-stack Grafana sidecar
 * loads, with the uid the dashboards' log links use).
 */
import * as k8s from '@pulumi/kubernetes';
import type * as pulumi from '@pulumi/pulumi';
import { LOKI_DATASOURCE_UID } from '../../dashboards/panels.js';
import { stacks } from '../render/stacks.js';
import type { StackConfig } from '../../stacks/types.js';
import { alloyConfig } from './log-pipeline.js';

export const loggingCharts = {
  loki: { chart: 'loki', version: '6.16.0', repo: 'https://grafana.github.io/helm-charts' },
  alloy: { chart: 'alloy', version: '0.9.1', repo: 'https://grafana.github.io/helm-charts' },
} as const;

export const lokiService = (stack: StackConfig) => `http://loki.${stack.monitoring.namespace}.svc.cluster.local:3100`;

/** The Helm values of Loki: one replica, TSDB index on the filesystem, compactor-enforced retention. */
export function lokiValues(stack: StackConfig): Record<string, unknown> {
  const retention = stack.logs;
  return {
    deploymentMode: 'SingleBinary',
    loki: {
      auth_enabled: false,
      commonConfig: { replication_factor: 1 },
      storage: { type: 'filesystem' },
      schemaConfig: {
        configs: [
          {
            from: '2024-04-01',
            store: 'tsdb',
            object_store: 'filesystem',
            schema: 'v13',
            index: { prefix: 'index_', period: '24h' },
          },
        ],
      },
      limits_config: { retention_period: `${retention.retentionDays * 24}h`, allow_structured_metadata: true },
      compactor: { retention_enabled: true, delete_request_store: 'filesystem' },
    },
    singleBinary: {
      replicas: 1,
      persistence: {
        size: `${retention.storageGiB}Gi`,
        ...(stack.storageClass ? { storageClass: stack.storageClass } : {}),
      },
    },
    read: { replicas: 0 },
    write: { replicas: 0 },
    backend: { replicas: 0 },
    gateway: { enabled: false },
    chunksCache: { enabled: false },
    resultsCache: { enabled: false },
    lokiCanary: { enabled: false },
    test: { enabled: false },
  };
}

/**
 * The namespaces the log agent tails: every stack that uses the same monitoring installation (namespace
 * and release) as this one, this stack's first. Only one stack of a shared cluster installs Loki and Alloy
 * (`installLoki`, `installLogAgent`); the others' pods must be collected too. On a cluster where a
 * listed stack does not run, its namespace simply has no pods (the chart's ClusterRole lets the agent
 * list pods in every namespace either way).
 */
export function logNamespaces(stack: StackConfig, all: Iterable<StackConfig> = Object.values(stacks)): string[] {
  const served = [...all].filter(
    (s) => s.monitoring.namespace === stack.monitoring.namespace && s.monitoring.release === stack.monitoring.release,
  );
  return [...new Set([stack.namespace, ...served.map((s) => s.namespace).sort()])];
}

export function alloyValues(stack: StackConfig): Record<string, unknown> {
  return {
    controller: { type: 'deployment', replicas: 1 },
    alloy: {
      configMap: {
        content: alloyConfig({
          namespaces: logNamespaces(stack),
          lokiPushUrl: `${lokiService(stack)}/loki/api/v1/push`,
        }),
      },
      securityContext: {
        runAsNonRoot: true,
        runAsUser: 473,
        readOnlyRootFilesystem: true,
        allowPrivilegeEscalation: false,
        capabilities: { drop: ['ALL'] },
      },
    },
  };
}

/** Grafana's provisioning file for Loki, as the datasource sidecar reads it. */
export function lokiDatasource(stack: StackConfig): Record<string, unknown> {
  return {
    apiVersion: 1,
    datasources: [
      {
        name: 'Loki',
        type: 'loki',
        uid: LOKI_DATASOURCE_UID,
        access: 'proxy',
        url: lokiService(stack),
        jsonData: { maxLines: 1000 },
      },
    ],
  };
}

/** What this stack installed: each part has its own switch (`installLoki`, `installLogAgent`). */
export interface Logging {
  loki: k8s.helm.v3.Release | undefined;
  alloy: k8s.helm.v3.Release | undefined;
  /** Loki as a Grafana data source: with Loki. */
  datasource: k8s.core.v1.ConfigMap | undefined;
}

/**
 * `monitoring`: what must exist first (the monitoring namespace and Grafana come with kube-prometheus-stack).
 * Without Loki here, the agent ships to the Loki another stack installed in the same monitoring namespace.
 */
export function installLogging(
  stack: StackConfig,
  provider: k8s.Provider,
  monitoring: pulumi.Resource[],
  install: { loki: boolean; logAgent: boolean },
  placement: pulumi.CustomResourceOptions = {},
): Logging {
  const namespace = stack.monitoring.namespace;
  const release = (name: 'loki' | 'alloy', values: Record<string, unknown>, dependsOn: pulumi.Resource[]) =>
    new k8s.helm.v3.Release(
      name,
      {
        name,
        chart: loggingCharts[name].chart,
        version: loggingCharts[name].version,
        repositoryOpts: { repo: loggingCharts[name].repo },
        namespace,
        createNamespace: false,
        values,
      },
      { provider, ...placement, dependsOn },
    );
  const loki = install.loki ? release('loki', lokiValues(stack), monitoring) : undefined;
  const alloy = install.logAgent ? release('alloy', alloyValues(stack), loki ? [loki] : monitoring) : undefined;
  const datasource = loki
    ? new k8s.core.v1.ConfigMap(
        'grafana-datasource-loki',
        {
          metadata: { name: 'grafana-datasource-loki', namespace, labels: { grafana_datasource: '1' } },
          data: { 'loki.yaml': JSON.stringify(lokiDatasource(stack), null, 2) },
        },
        { provider, ...placement, dependsOn: [...monitoring, loki] },
      )
    : undefined;
  return { loki, alloy, datasource };
}
