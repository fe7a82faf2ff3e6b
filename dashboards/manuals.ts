/** "HSC-JIT manuals and workers": queue depth, job durations and failures, manuals by status. */
import { metrics } from '../app/telemetry/catalog.js';
import { buckets, histogramQuantile, maxBy, observations, rate, series, sumBy } from '../app/telemetry/promql.js';
import { jobFailureRatio } from '../alerts/components/manuals.js';
import type { DashboardSpec } from './panels.js';

export const MANUALS_UID = 'hsc-jit-manuals';

export const manualsDashboard: DashboardSpec = {
  uid: MANUALS_UID,
  title: 'HSC-JIT manuals and workers',
  description:
    'Just-in-time manuals: the queue, the workers that fetch, extract and index PDFs, and where manuals stand.',
  tags: ['manuals', 'workers'],
  rows: [
    {
      title: 'Queue',
      panels: [
        {
          title: 'Queue depth',
          description: 'Jobs per queue and state; every reporter sees the same Redis queue, so max, not sum.',
          unit: 'short',
          queries: [{ expr: maxBy(['queue', 'state'], series(metrics.queueDepth)), legend: '{{queue}} {{state}}' }],
          alerts: ['QueueBacklogHigh'],
        },
        {
          title: 'Job outcomes',
          description: 'Jobs finished per second by queue and outcome (ok, retry, failed).',
          unit: 'ops',
          queries: [
            {
              expr: sumBy(['queue', 'outcome'], rate(observations(metrics.jobDurationSeconds), '5m')),
              legend: '{{queue}} {{outcome}}',
            },
          ],
          alerts: ['JobFailureRateHigh'],
        },
        {
          title: 'Job failure ratio',
          description: 'Share of jobs that failed for good over 10 minutes (alert above 10%).',
          unit: 'percentunit',
          queries: [{ expr: jobFailureRatio, legend: '{{queue}}' }],
          alerts: ['JobFailureRateHigh'],
        },
        {
          title: 'Job duration p95',
          description: '95th percentile job run time per queue.',
          unit: 's',
          queries: [
            {
              expr: histogramQuantile(0.95, sumBy(['queue', 'le'], rate(buckets(metrics.jobDurationSeconds), '5m'))),
              legend: '{{queue}}',
            },
          ],
          alerts: ['QueueBacklogHigh'],
        },
      ],
    },
    {
      title: 'Manuals',
      panels: [
        {
          title: 'Manuals by status',
          description: 'Manual records per status (queued, fetching, indexing, ready, failed).',
          unit: 'short',
          queries: [{ expr: maxBy(['status'], series(metrics.manualsByStatus)), legend: '{{status}}' }],
          alerts: ['JobFailureRateHigh'],
          width: 24,
        },
      ],
    },
  ],
};
