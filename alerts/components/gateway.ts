/** Gateway: HTTP latency and WebSocket saturation (server errors are the availability SLO, ../slos/). */
import { metrics } from '../../app/telemetry/catalog.js';
import { buckets, gt, histogramQuantile, rate, ratio, recording, series, sumBy } from '../../observability/promql.js';
import type { ComponentRules } from '../define.js';

export const httpLatencyP95 = recording(
  'job_route:http_request_duration_seconds:p95_rate5m',
  histogramQuantile(0.95, sumBy(['job', 'route', 'le'], rate(buckets(metrics.httpRequestDurationSeconds), '5m'))),
);

export const websocketSaturation = recording(
  'pod:websocket_connections:saturation',
  ratio(
    sumBy(['namespace', 'pod'], series(metrics.websocketActiveConnections)),
    sumBy(['namespace', 'pod'], series(metrics.websocketConnectionLimit)),
  ),
);

export const gatewayRules: ComponentRules = {
  group: 'hsc-jit.gateway',
  recordings: [httpLatencyP95, websocketSaturation],
  alerts: [
    {
      name: 'HttpHighLatency',
      severity: 'warning',
      expr: gt(httpLatencyP95.series(), 2),
      for: '10m',
      summary: 'The 95th percentile of HTTP request latency is above 2 seconds.',
      description:
        'p95 latency of {{ $labels.route }} on {{ $labels.job }} is {{ $value | humanizeDuration }} (budget 2s).',
      dashboard: 'hsc-jit-overview',
      runbook: {
        meaning: 'One HTTP route is slow for at least one request in twenty. Pages and manual downloads feel stuck.',
        confirm:
          'Dashboard "HSC-JIT overview", panel "HTTP latency p95 by route". Check the "Data stores" dashboard for slow queries (`postgresql_query_duration_seconds`) and pool saturation, and CPU throttling of gateway pods.',
        act: '1. If the database is slow, see PostgresPoolSaturated / PostgresReplicaLagging. 2. If pods are CPU-bound, scale the gateway (`kubectl scale deployment/gateway --replicas=N`) and check the HPA. 3. If one route regressed after a deploy, roll back.',
      },
    },
    {
      name: 'WebSocketSaturation',
      severity: 'warning',
      expr: gt(websocketSaturation.series(), 0.8),
      for: '5m',
      summary: 'A gateway pod is using more than 80% of its WebSocket connection budget.',
      description: 'Pod {{ $labels.pod }} holds {{ $value | humanizePercentage }} of its WebSocket connection limit.',
      dashboard: 'hsc-jit-overview',
      runbook: {
        meaning:
          'A gateway pod is close to `WS_MAX_CONNECTIONS`; past it new sockets are refused with close code 1013 and customers see "server at capacity".',
        confirm:
          'Dashboard "HSC-JIT overview", panel "Active WebSocket connections"; `websocket_closed_total{reason="capacity"}` rising confirms refusals. Check whether the load is spread evenly across pods.',
        act: '1. Scale the gateway out (raise HPA minReplicas or `kubectl scale`). 2. If one pod holds far more than the others, restart it so clients reconnect elsewhere. 3. If traffic is abusive, check `websocket_closed_total{reason="flood"}` and rate limits.',
      },
    },
  ],
};
