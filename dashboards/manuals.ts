/** "HSC-JIT manuals and workers": queue depth, job durations and failures, manuals by status. */
import { metrics } from '../app/shared/telemetry/catalog.js';
import {
  buckets,
  errorRatio,
  histogramQuantile,
  maxBy,
  observations,
  rate,
  series,
  sumBy,
} from '../observability/promql.js';
import { sloByName } from '../alerts/slos/index.js';
import { namespaceScope, scope, type DashboardSpec } from './panels.js';

const manualsSlo = sloByName('manuals');

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
          queries: [
            { expr: maxBy(['queue', 'state'], series(metrics.queueDepth, scope)), legend: '{{queue}} {{state}}' },
          ],
          alerts: ['QueueBacklogHigh'],
        },
        {
          title: 'Job outcomes',
          description: 'Jobs finished per second by queue and outcome (ok, retry, failed).',
          unit: 'ops',
          queries: [
            {
              expr: sumBy(['queue', 'outcome'], rate(observations(metrics.jobDurationSeconds, scope), '5m')),
              legend: '{{queue}} {{outcome}}',
            },
          ],
          alerts: ['JobFailureRateHigh'],
        },
        {
          title: 'Job failure ratio',
          description: 'Share of jobs that failed for good over 10 minutes (alert above 10%).',
          unit: 'percentunit',
          queries: [
            {
              expr: errorRatio(
                sumBy(
                  ['queue'],
                  rate(observations(metrics.jobDurationSeconds, { ...scope, outcome: 'failed' }), '10m'),
                ),
                sumBy(['queue'], rate(observations(metrics.jobDurationSeconds, scope), '10m')),
              ),
              legend: '{{queue}}',
            },
          ],
          alerts: ['JobFailureRateHigh'],
        },
        {
          title: 'Job duration p95',
          description: '95th percentile job run time per queue.',
          unit: 's',
          queries: [
            {
              expr: histogramQuantile(
                0.95,
                sumBy(['queue', 'le'], rate(buckets(metrics.jobDurationSeconds, scope), '5m')),
              ),
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
          queries: [{ expr: maxBy(['status'], series(metrics.manualsByStatus, scope)), legend: '{{status}}' }],
          alerts: ['JobFailureRateHigh'],
        },
        {
          title: 'Manual request time p95',
          description: 'From a manual being requested to its final status, by outcome (SLO: 99% ready within 60 s).',
          unit: 's',
          queries: [
            {
              expr: histogramQuantile(
                0.95,
                sumBy(['outcome', 'le'], rate(buckets(metrics.manualRequestSeconds, scope), '30m')),
              ),
              legend: '{{outcome}}',
            },
          ],
          alerts: ['ManualsBudgetBurnPage', 'ManualsBudgetBurnTicket'],
          logs: '| msg =~ "manual (ready|failed|attempt failed.*)"',
        },
        {
          title: 'Manuals SLI: not ready within 60 s',
          description: 'Share of manual requests that failed or took longer than 60 s, over 30 m and 6 h.',
          unit: 'percentunit',
          queries: [
            { expr: manualsSlo.recordings.ratios['30m'].series(namespaceScope), legend: '30m' },
            { expr: manualsSlo.recordings.ratios['6h'].series(namespaceScope), legend: '6h' },
          ],
          alerts: ['ManualsBudgetBurnPage', 'ManualsBudgetBurnTicket'],
        },
      ],
    },
  ],
};
