/** "HSC-JIT overview": RED per HTTP route and per WebSocket frame type, predictions, answers, cache. */
import { metrics } from '../app/shared/telemetry/catalog.js';
import {
  binary,
  buckets,
  errorRatio,
  histogramQuantile,
  maxBy,
  ne,
  observations,
  rate,
  ratio,
  re,
  series,
  sumBy,
  type Vector,
} from '../observability/promql.js';
import { sloByName } from '../alerts/slos/index.js';
import { namespaceScope, scope, type DashboardSpec, type PanelQuery } from './panels.js';

export const OVERVIEW_UID = 'hsc-jit-overview';

/** p50/p95/p99 of a histogram's bucket rates, aggregated by `le` (plus nothing else). */
function quantiles(bucketRate: Vector<'le'>): PanelQuery[] {
  return [0.5, 0.95, 0.99].map((q) => ({ expr: histogramQuantile(q, bucketRate), legend: `p${Math.round(q * 100)}` }));
}

const frames = metrics.websocketFrameDurationSeconds;
const cacheHits = sumBy(['cache', 'layer'], rate(series(metrics.cacheHitsTotal, scope), '10m'));
const cacheMisses = sumBy(['cache', 'layer'], rate(series(metrics.cacheMissesTotal, scope), '10m'));
const availability = sloByName('availability');
const predictions = sloByName('predictions');
const answers = sloByName('answers');

export const overview: DashboardSpec = {
  uid: OVERVIEW_UID,
  title: 'HSC-JIT overview',
  description:
    'Is the support assistant serving customers? RED per HTTP route and WebSocket frame type, predictions, answers, cache.',
  tags: ['overview'],
  rows: [
    {
      title: 'HTTP (RED per route)',
      panels: [
        {
          title: 'HTTP requests by route',
          description: 'Requests per second per route pattern (probes included, so their 503s show here).',
          unit: 'reqps',
          queries: [
            { expr: sumBy(['route'], rate(series(metrics.httpRequestsTotal, scope), '5m')), legend: '{{route}}' },
          ],
          alerts: ['AvailabilityBudgetBurnPage'],
          width: 8,
        },
        {
          title: 'HTTP errors by route',
          description: 'Share of requests answered 5xx per route (probes excluded from the availability SLO).',
          unit: 'percentunit',
          queries: [
            {
              expr: errorRatio(
                sumBy(['route'], rate(series(metrics.httpRequestsTotal, { ...scope, status: re('5..') }), '5m')),
                sumBy(['route'], rate(series(metrics.httpRequestsTotal, scope), '5m')),
              ),
              legend: '{{route}}',
            },
          ],
          alerts: ['AvailabilityBudgetBurnPage', 'AvailabilityBudgetBurnTicket'],
          logs: '| level = "error"',
          width: 8,
        },
        {
          title: 'HTTP latency p95 by route',
          description: '95th percentile request duration per route pattern (alert above 2 s for 10 minutes).',
          unit: 's',
          queries: [
            {
              expr: histogramQuantile(
                0.95,
                sumBy(['route', 'le'], rate(buckets(metrics.httpRequestDurationSeconds, scope), '5m')),
              ),
              legend: '{{route}}',
            },
          ],
          alerts: ['HttpHighLatency'],
          width: 8,
        },
      ],
    },
    {
      title: 'WebSocket (RED per frame type)',
      panels: [
        {
          title: 'Frames handled by type',
          description: 'Client frames handled per second, by type (typing, select, ask, resume).',
          unit: 'ops',
          queries: [{ expr: sumBy(['type'], rate(observations(frames, scope), '5m')), legend: '{{type}}' }],
          alerts: ['AvailabilityBudgetBurnPage'],
          width: 8,
        },
        {
          title: 'Frame errors by type and outcome',
          description:
            'Client frames per second that ended in an error, by frame type and error code (internal and unavailable count against availability).',
          unit: 'ops',
          queries: [
            {
              expr: sumBy(['type', 'outcome'], rate(observations(frames, { ...scope, outcome: ne('ok') }), '5m')),
              legend: '{{type}} {{outcome}}',
            },
          ],
          alerts: ['AvailabilityBudgetBurnPage', 'AvailabilityBudgetBurnTicket'],
          logs: '| level >= 40',
          width: 8,
        },
        {
          title: 'Frame duration p99 by type',
          description: '99th percentile from frame received to handled (SLOs: typing 50 ms, ask 5 s).',
          unit: 's',
          queries: [
            {
              expr: histogramQuantile(0.99, sumBy(['type', 'le'], rate(buckets(frames, scope), '5m'))),
              legend: '{{type}}',
            },
          ],
          alerts: ['PredictionsBudgetBurnPage', 'AnswersBudgetBurnPage'],
          width: 8,
        },
        {
          title: 'Active WebSocket connections',
          description: 'Open sockets per pod, against the per-pod connection limit.',
          unit: 'short',
          queries: [
            { expr: sumBy(['pod'], series(metrics.websocketActiveConnections, scope)), legend: '{{pod}}' },
            { expr: sumBy(['pod'], series(metrics.websocketConnectionLimit, scope)), legend: 'limit {{pod}}' },
          ],
          alerts: ['WebSocketSaturation'],
        },
        {
          title: 'Sockets closed by the server',
          description: 'Closes per second by reason (oversized, flood, draining, capacity).',
          unit: 'ops',
          queries: [
            { expr: sumBy(['reason'], rate(series(metrics.websocketClosedTotal, scope), '5m')), legend: '{{reason}}' },
          ],
          alerts: ['WebSocketSaturation'],
        },
        {
          title: 'Error frames by code',
          description: 'error frames sent to clients per second, by code (bad_request, rate_limited, internal, …).',
          unit: 'ops',
          queries: [
            {
              expr: sumBy(['code'], rate(series(metrics.websocketErrorFramesTotal, scope), '5m')),
              legend: '{{code}}',
            },
          ],
          alerts: ['AvailabilityBudgetBurnPage'],
          logs: '| level >= 40',
        },
        {
          title: 'Stored sessions against the cap',
          description:
            'Sessions in the store (one table, so every pod reports the same count) against SESSION_STORE_MAX, and new customers refused per second once it is full.',
          unit: 'short',
          queries: [
            { expr: maxBy(['namespace'], series(metrics.sessionStoreSessions, scope)), legend: 'stored' },
            { expr: maxBy(['namespace'], series(metrics.sessionStoreCapacity, scope)), legend: 'cap' },
            {
              expr: sumBy(['namespace'], rate(series(metrics.sessionStoreFullTotal, scope), '5m')),
              legend: 'refused/s',
            },
          ],
          alerts: ['SessionStoreFull', 'SessionStoreNearlyFull'],
        },
        {
          title: 'Availability SLI: server errors',
          description: 'Share of HTTP requests and WebSocket frames that got a server error, over 5 m and 1 h.',
          unit: 'percentunit',
          queries: [
            { expr: availability.recordings.ratios['5m'].series(namespaceScope), legend: '5m' },
            { expr: availability.recordings.ratios['1h'].series(namespaceScope), legend: '1h' },
          ],
          alerts: ['AvailabilityBudgetBurnPage', 'AvailabilityBudgetBurnTicket'],
        },
      ],
    },
    {
      title: 'Predictions and answers',
      panels: [
        {
          title: 'Prediction latency p50/p95/p99',
          description: 'Time to rank the catalog for one keystroke, in the predictor alone.',
          unit: 's',
          queries: quantiles(sumBy(['le'], rate(buckets(metrics.predictionLatencySeconds, scope), '5m'))),
          alerts: ['PredictionsBudgetBurnPage', 'PredictionsBudgetBurnTicket'],
        },
        {
          title: 'Predictions SLI: keystrokes slower than 50 ms',
          description: 'Share of keystrokes not answered within 50 ms over 5 m and 1 h (SLO 99.9%).',
          unit: 'percentunit',
          queries: [
            { expr: predictions.recordings.ratios['5m'].series(namespaceScope), legend: '5m' },
            { expr: predictions.recordings.ratios['1h'].series(namespaceScope), legend: '1h' },
          ],
          alerts: ['PredictionsBudgetBurnPage', 'PredictionsBudgetBurnTicket'],
        },
        {
          title: 'Products in the prediction index',
          description: 'Catalog size per pod; 0 means that pod predicts nothing.',
          unit: 'short',
          queries: [{ expr: sumBy(['pod'], series(metrics.catalogProducts, scope)), legend: '{{pod}}' }],
          alerts: ['PredictionIndexEmpty'],
        },
        {
          title: 'Answer time p50/p95/p99',
          description: 'From an ask to its answer_done (or error), all models.',
          unit: 's',
          queries: quantiles(sumBy(['le'], rate(buckets(metrics.answerGenerationSeconds, scope), '5m'))),
          alerts: ['AnswersBudgetBurnPage'],
        },
        {
          title: 'Answers by outcome',
          description: 'Asks finished per second by model and outcome (ok, error, timeout, cancelled).',
          unit: 'ops',
          queries: [
            {
              expr: sumBy(['model', 'outcome'], rate(observations(metrics.answerGenerationSeconds, scope), '5m')),
              legend: '{{model}} {{outcome}}',
            },
          ],
          alerts: ['AnswersBudgetBurnPage', 'AnswersBudgetBurnTicket'],
        },
        {
          title: 'Answers SLI: asks failed or slower than 5 s',
          description: 'Share of asks not answered within 5 s over 5 m and 1 h (SLO 99%).',
          unit: 'percentunit',
          queries: [
            { expr: answers.recordings.ratios['5m'].series(namespaceScope), legend: '5m' },
            { expr: answers.recordings.ratios['1h'].series(namespaceScope), legend: '1h' },
          ],
          alerts: ['AnswersBudgetBurnPage', 'AnswersBudgetBurnTicket'],
        },
        {
          title: 'Cache hit rate by layer',
          description: 'Hits / lookups per cache and layer over 10 minutes.',
          unit: 'percentunit',
          queries: [{ expr: ratio(cacheHits, binary(cacheHits, '+', cacheMisses)), legend: '{{cache}} {{layer}}' }],
          alerts: ['CacheHitRateCollapse'],
        },
      ],
    },
  ],
};
