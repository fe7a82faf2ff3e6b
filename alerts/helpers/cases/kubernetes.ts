import { external } from '../../../observability/external-metrics.js';
import { series } from '../../../observability/promql.js';
import { input, type AlertCase } from '../promtool-tests.js';
import { ksmTarget } from './targets.js';

const restarts = (values: string) =>
  input(
    series(external.kubePodContainerStatusRestartsTotal, { ...ksmTarget, container: 'gateway', uid: 'u-1' }),
    values,
  );

const cadvisor = { job: 'kubelet', instance: '10.0.0.1:10250', namespace: 'hsc-jit', pod: 'gateway-0' } as const;
const memory = (workingSet: string) => [
  input(
    series(external.containerMemoryWorkingSetBytes, {
      ...cadvisor,
      container: 'gateway',
      id: '/kubepods/x',
      image: 'hsc-jit:1',
      name: 'x',
    }),
    `${workingSet}x60`,
  ),
  // The pause container has no limit and an empty container label in cAdvisor's pod-level series.
  input(
    series(external.containerMemoryWorkingSetBytes, {
      ...cadvisor,
      container: '',
      id: '/kubepods',
      image: '',
      name: '',
    }),
    `${workingSet}x60`,
  ),
  input(
    series(external.kubePodContainerResourceLimits, {
      ...ksmTarget,
      container: 'gateway',
      node: 'n1',
      resource: 'memory',
      unit: 'byte',
      uid: 'u-1',
    }),
    '1000000000x60',
  ),
];

export const kubernetesCases: AlertCase[] = [
  {
    alert: 'PodCrashLooping',
    // One restart a minute: increase over 15m first exceeds 2 at minute 3.
    firing: [restarts('0+1x60')],
    trueFromMinute: 3,
    labels: { ...ksmTarget, container: 'gateway', uid: 'u-1' },
    valueText: '8',
    healthy: [restarts('0x20 1x40')],
  },
  {
    alert: 'ContainerMemoryNearLimit',
    firing: memory('950000000'),
    trueFromMinute: 0,
    labels: { namespace: 'hsc-jit', pod: 'gateway-0', container: 'gateway' },
    valueText: '95%',
    healthy: memory('500000000'),
  },
];
