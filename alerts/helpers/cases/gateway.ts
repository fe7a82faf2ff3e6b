import { metrics } from '../../../app/shared/telemetry/catalog.js';
import { buckets, series } from '../../../observability/promql.js';
import { input, type AlertCase } from '../promtool-tests.js';
import { gatewayTarget as t } from './targets.js';

const bucket = (le: string, values: string) =>
  input(buckets(metrics.httpRequestDurationSeconds, { ...t, method: 'GET', route: '/api/manuals/:id', le }), values);
const refusals = (values: string) => [input(series(metrics.sessionStoreFullTotal, t), values)];
const sessions = (stored: string) => [
  input(series(metrics.sessionStoreSessions, t), stored),
  input(series(metrics.sessionStoreCapacity, t), '1000x60'),
];
const sockets = (active: string) => [
  input(series(metrics.websocketActiveConnections, t), active),
  input(series(metrics.websocketConnectionLimit, t), '1000x60'),
];

export const gatewayCases: AlertCase[] = [
  {
    alert: 'HttpHighLatency',
    // Every request lands between 2 s and 5 s: p95 interpolates to 2 + 3 × 0.95 = 4.85 s.
    firing: [bucket('0.1', '0x60'), bucket('2', '0x60'), bucket('5', '0+60x60'), bucket('+Inf', '0+60x60')],
    trueFromMinute: 1,
    labels: { job: t.job, route: '/api/manuals/:id' },
    valueText: '4.85s',
    healthy: [bucket('0.1', '0+60x60'), bucket('2', '0+60x60'), bucket('5', '0+60x60'), bucket('+Inf', '0+60x60')],
  },
  {
    alert: 'WebSocketSaturation',
    firing: sockets('900x60'),
    trueFromMinute: 0,
    labels: { namespace: t.namespace, pod: t.pod },
    valueText: '90%',
    healthy: sockets('100x60'),
  },
  {
    alert: 'SessionStoreFull',
    // Three refusals a minute, from minute 1 on; at the firing evaluation (minute 3) the 5-minute window
    // holds three minutes of them, and increase() extrapolates no further back than the counter's start.
    firing: refusals('0+3x60'),
    trueFromMinute: 1,
    labels: { namespace: t.namespace },
    valueText: '9',
    // The counter exists (every pod exports it) but nothing is refused.
    healthy: refusals('0x60'),
  },
  {
    alert: 'SessionStoreNearlyFull',
    firing: sessions('900x60'),
    trueFromMinute: 0,
    labels: { namespace: t.namespace },
    valueText: '90%',
    healthy: sessions('500x60'),
  },
];
