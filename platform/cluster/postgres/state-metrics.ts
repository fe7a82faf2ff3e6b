/**
 * What kube-state-metrics exports about CloudNativePG Clusters (its custom resource state feature, in the
 * kube-prometheus-stack chart's `kube-state-metrics` values): each Cluster's spec.instances, the count
 * PostgresInstanceMissing holds the reporting instances to, since a standby that is gone entirely sends
 * no series of its own. The metric's name and labels are the declaration in the app's external-metrics
 * catalog, which the alert and its promtool case use.
 */
import { external } from '../../../observability/external-metrics.js';

const CLUSTER = { group: 'postgresql.cnpg.io', version: 'v1', kind: 'Cluster' } as const;
/** kube-state-metrics names a custom resource metric `<metricNamePrefix>_<name>`. */
const PREFIX = 'kube_cnpg_cluster';

export function cnpgClusterStateMetrics(): Record<string, unknown> {
  const name = external.kubeCnpgClusterSpecInstances.name;
  if (!name.startsWith(`${PREFIX}_`)) throw new Error(`${name} does not start with ${PREFIX}_`);
  return {
    kind: 'CustomResourceStateMetrics',
    spec: {
      resources: [
        {
          groupVersionKind: CLUSTER,
          metricNamePrefix: PREFIX,
          labelsFromPath: { namespace: ['metadata', 'namespace'], cluster: ['metadata', 'name'] },
          metrics: [
            {
              name: name.slice(PREFIX.length + 1),
              help: external.kubeCnpgClusterSpecInstances.help,
              each: { type: 'Gauge', gauge: { path: ['spec', 'instances'] } },
            },
          ],
        },
      ],
    },
  };
}

/** The chart's values for it: the config, and read access to the Clusters for kube-state-metrics. */
export function kubeStateMetricsValues(): Record<string, unknown> {
  return {
    rbac: { extraRules: [{ apiGroups: [CLUSTER.group], resources: ['clusters'], verbs: ['list', 'watch'] }] },
    customResourceState: { enabled: true, config: cnpgClusterStateMetrics() },
  };
}
