/** Kubernetes workloads (kube-state-metrics + cAdvisor): crash loops and memory near the limit. */
import { external } from '../../observability/external-metrics.js';
import { gt, increase, ne, ratio, re, series, sumBy } from '../../observability/promql.js';
import type { ComponentRules } from '../define.js';

/** The namespaces the platform deploys HSC-JIT into (`hsc-jit-<stack>`); cluster-wide metrics are scoped to them. */
export const APP_NAMESPACE = re('hsc-jit(-[a-z0-9-]+)?');

export const memoryOfLimit = ratio(
  sumBy(
    ['namespace', 'pod', 'container'],
    series(external.containerMemoryWorkingSetBytes, { namespace: APP_NAMESPACE, container: ne('') }),
  ),
  sumBy(
    ['namespace', 'pod', 'container'],
    series(external.kubePodContainerResourceLimits, { namespace: APP_NAMESPACE, resource: 'memory' }),
  ),
);

export const kubernetesRules: ComponentRules = {
  group: 'hsc-jit.kubernetes',
  recordings: [],
  alerts: [
    {
      name: 'PodCrashLooping',
      severity: 'warning',
      expr: gt(increase(series(external.kubePodContainerStatusRestartsTotal, { namespace: APP_NAMESPACE }), '15m'), 2),
      for: '5m',
      summary: 'A container keeps restarting.',
      description:
        'Container {{ $labels.container }} of pod {{ $labels.pod }} restarted {{ $value | humanize }} times in 15 minutes.',
      dashboard: 'hsc-jit-workloads',
      runbook: {
        meaning:
          'A container exits or fails its liveness probe repeatedly; its replicas are missing from the Service and capacity shrinks.',
        confirm:
          '`kubectl -n hsc-jit-<stack> get pods` (RESTARTS, CrashLoopBackOff), `kubectl -n hsc-jit-<stack> logs <pod> --previous` for the last crash, `kubectl describe pod` for OOMKilled or probe failures.',
        act: '1. Start-up config error (the log names the variable): fix the ConfigMap/Secret. 2. OOMKilled: see ContainerMemoryNearLimit. 3. After a deploy: roll the app images back on the environment branch (`gh workflow run promote.yml -f to=<stack> -f action=rollback -f group=app -f rev=<last good commit>`); `kubectl rollout undo` is reverted by Argo CD.',
      },
    },
    {
      name: 'ContainerMemoryNearLimit',
      severity: 'warning',
      expr: gt(memoryOfLimit, 0.9),
      for: '10m',
      summary: 'A container uses more than 90% of its memory limit.',
      description:
        'Container {{ $labels.container }} of pod {{ $labels.pod }} uses {{ $value | humanizePercentage }} of its memory limit.',
      dashboard: 'hsc-jit-workloads',
      runbook: {
        meaning:
          'The container is close to being OOM-killed; the HPA scales on 80% memory, so this also means scaling did not help.',
        confirm:
          'Working set vs limit: `container_memory_working_set_bytes` / `kube_pod_container_resource_limits{resource="memory"}`; the HPA status (`kubectl get hpa`); the Node heap in `nodejs_heap_size_used_bytes`.',
        act: '1. If it grows steadily across pods, suspect a leak: take a heap snapshot, roll back a recent deploy. 2. If the load is legitimately higher, raise the limit in stacks/<env>.ts and redeploy. 3. Restart the worst pod to buy time.',
      },
    },
  ],
};
