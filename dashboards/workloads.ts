/**
 * "HSC-JIT workloads (USE)": utilization, saturation and errors of every container the topology runs:
 * CPU against its request and limit, CFS throttling, memory against its limit, restarts (cAdvisor and
 * kube-state-metrics), and the Node processes' own saturation (event-loop lag).
 */
import { external } from '../observability/external-metrics.js';
import { increase, rate, ratio, series, sumBy, maxBy } from '../observability/promql.js';
import { scope, type DashboardSpec, type RowSpec } from './panels.js';

export const WORKLOADS_UID = 'hsc-jit-workloads';

/** Container names as the topology renders them (platform/): one row each. */
export const WORKLOAD_CONTAINERS = ['gateway', 'workers', 'web', 'redis', 'sentinel', 'postgres'] as const;

function workloadRow(container: (typeof WORKLOAD_CONTAINERS)[number]): RowSpec {
  const c = { ...scope, container };
  const perPod = <L extends string>(v: Parameters<typeof sumBy<L | 'pod', 'pod'>>[1]) => sumBy(['pod'], v);
  return {
    title: `${container} (USE)`,
    panels: [
      {
        title: `${container}: CPU vs request and limit`,
        description: 'Cores in use per pod, against the container CPU request and limit.',
        unit: 'short',
        queries: [
          { expr: perPod(rate(series(external.containerCpuUsageSecondsTotal, c), '5m')), legend: '{{pod}}' },
          {
            expr: perPod(series(external.kubePodContainerResourceRequests, { ...c, resource: 'cpu' })),
            legend: 'request {{pod}}',
          },
          {
            expr: perPod(series(external.kubePodContainerResourceLimits, { ...c, resource: 'cpu' })),
            legend: 'limit {{pod}}',
          },
        ],
        width: 6,
      },
      {
        title: `${container}: CPU throttling`,
        description: 'Share of CFS periods in which the container hit its CPU limit (latency rises well before 100%).',
        unit: 'percentunit',
        queries: [
          {
            expr: ratio(
              perPod(rate(series(external.containerCpuCfsThrottledPeriodsTotal, c), '5m')),
              perPod(rate(series(external.containerCpuCfsPeriodsTotal, c), '5m')),
            ),
            legend: '{{pod}}',
          },
        ],
        alerts: ['PredictionsBudgetBurnPage'],
        width: 6,
      },
      {
        title: `${container}: memory vs limit`,
        description: 'Working set per pod (what the OOM killer compares) against the memory limit.',
        unit: 'bytes',
        queries: [
          { expr: perPod(series(external.containerMemoryWorkingSetBytes, c)), legend: '{{pod}}' },
          {
            expr: perPod(series(external.kubePodContainerResourceLimits, { ...c, resource: 'memory' })),
            legend: 'limit {{pod}}',
          },
        ],
        alerts: ['ContainerMemoryNearLimit'],
        width: 6,
      },
      {
        title: `${container}: restarts (15 m)`,
        description: 'Container restarts per pod over 15 minutes.',
        unit: 'short',
        queries: [
          {
            expr: perPod(increase(series(external.kubePodContainerStatusRestartsTotal, c), '15m')),
            legend: '{{pod}}',
          },
        ],
        alerts: ['PodCrashLooping'],
        logs: '| level >= 50',
        width: 6,
      },
    ],
  };
}

export const workloadsDashboard: DashboardSpec = {
  uid: WORKLOADS_UID,
  title: 'HSC-JIT workloads (USE)',
  description:
    'Per container: CPU against request and limit, CPU throttling, memory against limit, restarts; and the Node processes’ event-loop saturation.',
  tags: ['use', 'kubernetes'],
  rows: [
    {
      title: 'Node processes (gateway and workers)',
      panels: [
        {
          title: 'Process CPU',
          description: 'Cores used by each Node process, as the process itself reports it.',
          unit: 'short',
          queries: [
            { expr: sumBy(['pod'], rate(series(external.processCpuSecondsTotal, scope), '5m')), legend: '{{pod}}' },
          ],
          width: 8,
        },
        {
          title: 'Event-loop lag p99',
          description: 'Saturation of the single JavaScript thread: every frame on the pod waits this long.',
          unit: 's',
          queries: [{ expr: maxBy(['pod'], series(external.nodejsEventloopLagP99Seconds, scope)), legend: '{{pod}}' }],
          alerts: ['PredictionsBudgetBurnPage'],
          width: 8,
        },
        {
          title: 'Resident memory',
          description: 'Resident set size of each Node process.',
          unit: 'bytes',
          queries: [{ expr: maxBy(['pod'], series(external.processResidentMemoryBytes, scope)), legend: '{{pod}}' }],
          alerts: ['ContainerMemoryNearLimit'],
          width: 8,
        },
      ],
    },
    ...WORKLOAD_CONTAINERS.map(workloadRow),
  ],
};
