/** Manuals and workers: queue backlog, job failures, manuals stuck in "failed". */
import { metrics } from '../../app/shared/telemetry/catalog.js';
import { errorRatio, gt, maxBy, observations, rate, series, sumBy } from '../../observability/promql.js';
import type { ComponentRules } from '../define.js';

export const queueWaiting = maxBy(['queue'], series(metrics.queueDepth, { state: 'waiting' }));

export const jobFailureRatio = errorRatio(
  sumBy(['queue'], rate(observations(metrics.jobDurationSeconds, { outcome: 'failed' }), '10m')),
  sumBy(['queue'], rate(observations(metrics.jobDurationSeconds), '10m')),
);

export const manualsRules: ComponentRules = {
  group: 'hsc-jit.manuals',
  recordings: [],
  alerts: [
    {
      name: 'QueueBacklogHigh',
      severity: 'warning',
      // Every process that reports queue_depth sees the same Redis queue: max, never sum.
      expr: gt(queueWaiting, 100),
      for: '15m',
      summary: 'A background queue has had more than 100 waiting jobs for 15 minutes.',
      description: 'Queue {{ $labels.queue }} has {{ $value }} jobs waiting.',
      dashboard: 'hsc-jit-manuals',
      runbook: {
        meaning:
          'Workers do not keep up: manuals are fetched and indexed late, so customers wait for answers that cite them.',
        confirm:
          'Dashboard "HSC-JIT manuals and workers", panels "Queue depth" and "Job duration p95". Check that worker pods are running (`kubectl get pods -l app.kubernetes.io/component=worker`).',
        act: '1. If workers are down or crash-looping, see PodCrashLooping. 2. If jobs got slower, check the manual hosts (fetch) and Postgres (indexing). 3. Scale the worker Deployment out while the backlog drains.',
      },
    },
    {
      name: 'JobFailureRateHigh',
      severity: 'warning',
      expr: gt(jobFailureRatio, 0.1),
      for: '10m',
      summary: 'More than 10% of background jobs are failing for good.',
      description:
        '{{ $value | humanizePercentage }} of jobs on queue {{ $labels.queue }} failed over the last 10 minutes.',
      dashboard: 'hsc-jit-manuals',
      runbook: {
        meaning:
          'Manual jobs exhaust their retries: those manuals end in status "failed" and their products get no answers.',
        confirm:
          'Dashboard "HSC-JIT manuals and workers", panels "Job outcomes" and "Manuals by status". Worker logs carry the job id and the error ("job failed").',
        act: '1. A fetch error for one host: check MANUAL_HOSTS and the host itself. 2. Extraction errors: collect a failing PDF and file a bug. 3. Once fixed, the reconciler re-enqueues manuals whose status says a job should exist.',
      },
    },
  ],
};
