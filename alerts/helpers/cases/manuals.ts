import { metrics } from '../../../app/shared/telemetry/catalog.js';
import { observations, series } from '../../../observability/promql.js';
import { input, type AlertCase } from '../promtool-tests.js';
import { gatewayTarget, workerTarget } from './targets.js';

const waiting = (values: string) => [
  // Two processes report the same Redis queue: the alert must not add them up.
  input(series(metrics.queueDepth, { ...workerTarget, queue: 'manuals', state: 'waiting' }), values),
  input(series(metrics.queueDepth, { ...gatewayTarget, queue: 'manuals', state: 'waiting' }), values),
];
const jobs = (outcome: string, values: string) =>
  input(observations(metrics.jobDurationSeconds, { ...workerTarget, queue: 'manuals', outcome }), values);

export const manualsCases: AlertCase[] = [
  {
    alert: 'QueueBacklogHigh',
    firing: waiting('500x60'),
    trueFromMinute: 0,
    labels: { queue: 'manuals' },
    valueText: '500',
    // 80 each: a sum (160) would wrongly cross the 100 threshold.
    healthy: waiting('80x60'),
  },
  {
    alert: 'JobFailureRateHigh',
    firing: [jobs('ok', '0+6x60'), jobs('failed', '0+6x60')],
    trueFromMinute: 1,
    labels: { queue: 'manuals' },
    valueText: '50%',
    healthy: [jobs('ok', '0+60x60'), jobs('retry', '0+6x60'), jobs('failed', '0+0x60')],
  },
];
