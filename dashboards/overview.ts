/** "HSC-JIT overview": RED for HTTP and WebSocket, prediction and answer latency, cache, error frames, pods. */
import { metrics } from '../app/telemetry/catalog.js';
import { external } from '../app/telemetry/external-metrics.js';
import {
  buckets,
  histogramQuantile,
  increase,
  observations,
  rate,
  series,
  sumBy,
  type Vector,
} from '../app/telemetry/promql.js';
import { answerErrorRatios } from '../alerts/components/answers.js';
import { cacheHitRatio } from '../alerts/components/cache.js';
import { httpErrorRatio, httpLatencyP95 } from '../alerts/components/gateway.js';
import { APP_NAMESPACE, memoryOfLimit } from '../alerts/components/kubernetes.js';
import { predictionLatencyErrorRatios } from '../alerts/components/predictor.js';
import type { DashboardSpec, PanelQuery } from './panels.js';

export const OVERVIEW_UID = 'hsc-jit-overview';

/** p50/p95/p99 of a histogram's bucket rates, aggregated by `le` (plus nothing else). */
function quantiles(bucketRate: Vector<'le'>): PanelQuery[] {
  return [0.5, 0.95, 0.99].map((q) => ({ expr: histogramQuantile(q, bucketRate), legend: `p${Math.round(q * 100)}` }));
}

export const overview: DashboardSpec = {
  uid: OVERVIEW_UID,
  title: 'HSC-JIT overview',
  description: 'Is the support assistant serving customers? Requests, sockets, predictions, answers, cache and pods.',
  tags: ['overview'],
  rows: [
    {
      title: 'HTTP',
      panels: [
        {
          title: 'HTTP requests by status',
          description: 'Requests per second by status code (all routes, all gateway pods).',
          unit: 'reqps',
          queries: [{ expr: sumBy(['status'], rate(series(metrics.httpRequestsTotal), '5m')), legend: '{{status}}' }],
          alerts: ['HttpHighErrorRate'],
        },
        {
          title: 'HTTP 5xx ratio',
          description: 'Share of requests answered 5xx (recorded rule; the alert fires above 5% for 5 minutes).',
          unit: 'percentunit',
          queries: [{ expr: httpErrorRatio.series(), legend: '{{job}}' }],
          alerts: ['HttpHighErrorRate'],
        },
        {
          title: 'HTTP latency p95 by route',
          description: '95th percentile request duration per route pattern (alert above 2 s for 10 minutes).',
          unit: 's',
          queries: [{ expr: httpLatencyP95.series(), legend: '{{route}}' }],
          alerts: ['HttpHighLatency'],
        },
      ],
    },
    {
      title: 'WebSocket',
      panels: [
        {
          title: 'Active WebSocket connections',
          description: 'Open sockets per pod, against the per-pod connection limit.',
          unit: 'short',
          queries: [
            { expr: sumBy(['pod'], series(metrics.websocketActiveConnections)), legend: '{{pod}}' },
            { expr: sumBy(['pod'], series(metrics.websocketConnectionLimit)), legend: 'limit {{pod}}' },
          ],
          alerts: ['WebSocketSaturation'],
        },
        {
          title: 'WebSocket frames',
          description: 'Frames per second by direction and type (typing in, prediction out, …).',
          unit: 'ops',
          queries: [
            {
              expr: sumBy(['direction', 'type'], rate(series(metrics.websocketFramesTotal), '5m')),
              legend: '{{direction}} {{type}}',
            },
          ],
        },
        {
          title: 'Error frames by code',
          description: 'error frames sent to clients per second, by code (bad_request, rate_limited, internal, …).',
          unit: 'ops',
          queries: [
            { expr: sumBy(['code'], rate(series(metrics.websocketErrorFramesTotal), '5m')), legend: '{{code}}' },
          ],
          alerts: ['AnswerSuccessBudgetBurnFast'],
        },
        {
          title: 'Sockets closed by the server',
          description: 'Closes per second by reason (oversized, flood, draining, capacity).',
          unit: 'ops',
          queries: [
            { expr: sumBy(['reason'], rate(series(metrics.websocketClosedTotal), '5m')), legend: '{{reason}}' },
          ],
          alerts: ['WebSocketSaturation'],
        },
      ],
    },
    {
      title: 'Prediction and answers',
      panels: [
        {
          title: 'Prediction latency p50/p95/p99',
          description: 'Time to rank the catalog for one keystroke (SLO: 99% within 5 ms).',
          unit: 's',
          queries: quantiles(sumBy(['le'], rate(buckets(metrics.predictionLatencySeconds), '5m'))),
          alerts: ['PredictionLatencyBudgetBurnFast', 'PredictionLatencyBudgetBurnSlow'],
        },
        {
          title: 'Prediction SLO: slow predictions',
          description: 'Share of predictions slower than 5 ms over 1 h and 5 m (fast-burn alert above 14.4%).',
          unit: 'percentunit',
          queries: [
            { expr: predictionLatencyErrorRatios['1h'].series(), legend: '1h {{job}}' },
            { expr: predictionLatencyErrorRatios['5m'].series(), legend: '5m {{job}}' },
          ],
          alerts: ['PredictionLatencyBudgetBurnFast', 'PredictionLatencyBudgetBurnSlow'],
        },
        {
          title: 'Products in the prediction index',
          description: 'Catalog size per pod; 0 means that pod predicts nothing.',
          unit: 'short',
          queries: [{ expr: sumBy(['pod'], series(metrics.catalogProducts)), legend: '{{pod}}' }],
          alerts: ['PredictionIndexEmpty'],
        },
        {
          title: 'Answer time p50/p95/p99',
          description: 'From an ask to its answer_done (or error), all models.',
          unit: 's',
          queries: quantiles(sumBy(['le'], rate(buckets(metrics.answerGenerationSeconds), '5m'))),
          alerts: ['AnswerSuccessBudgetBurnFast'],
        },
        {
          title: 'Answers by outcome',
          description: 'Asks finished per second by model and outcome (ok, error, timeout).',
          unit: 'ops',
          queries: [
            {
              expr: sumBy(['model', 'outcome'], rate(observations(metrics.answerGenerationSeconds), '5m')),
              legend: '{{model}} {{outcome}}',
            },
          ],
          alerts: ['AnswerSuccessBudgetBurnFast', 'AnswerSuccessBudgetBurnSlow'],
        },
        {
          title: 'Answer SLO: failed asks',
          description:
            'Share of asks that ended in an error or timeout over 1 h and 5 m (fast-burn alert above 14.4%).',
          unit: 'percentunit',
          queries: [
            { expr: answerErrorRatios['1h'].series(), legend: '1h {{job}}' },
            { expr: answerErrorRatios['5m'].series(), legend: '5m {{job}}' },
          ],
          alerts: ['AnswerSuccessBudgetBurnFast', 'AnswerSuccessBudgetBurnSlow'],
        },
        {
          title: 'Cache hit rate by layer',
          description: 'Hits / lookups per cache and layer over 10 minutes.',
          unit: 'percentunit',
          queries: [{ expr: cacheHitRatio.series(), legend: '{{cache}} {{layer}}' }],
          alerts: ['CacheHitRateCollapse'],
        },
      ],
    },
    {
      title: 'Pods',
      panels: [
        {
          title: 'Container restarts (15 m)',
          description: 'Restarts per container over 15 minutes (kube-state-metrics).',
          unit: 'short',
          queries: [
            {
              expr: sumBy(
                ['pod', 'container'],
                increase(series(external.kubePodContainerStatusRestartsTotal, { namespace: APP_NAMESPACE }), '15m'),
              ),
              legend: '{{pod}} {{container}}',
            },
          ],
          alerts: ['PodCrashLooping'],
        },
        {
          title: 'Memory of limit',
          description: 'Working set / memory limit per container (cAdvisor and kube-state-metrics).',
          unit: 'percentunit',
          queries: [{ expr: memoryOfLimit, legend: '{{pod}} {{container}}' }],
          alerts: ['ContainerMemoryNearLimit'],
        },
      ],
    },
  ],
};
