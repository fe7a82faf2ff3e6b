/** Gateway: HTTP RED and WebSocket saturation. */
import { metrics } from '../../app/telemetry/catalog.js';
import {
  buckets,
  errorRatio,
  gt,
  histogramQuantile,
  rate,
  ratio,
  re,
  recording,
  series,
  sumBy,
} from '../../app/telemetry/promql.js';
import type { ComponentRules } from '../define.js';

export const httpErrorRatio = recording(
  'job:http_requests_5xx:ratio_rate5m',
  errorRatio(
    sumBy(['job'], rate(series(metrics.httpRequestsTotal, { status: re('5..') }), '5m')),
    sumBy(['job'], rate(series(metrics.httpRequestsTotal), '5m')),
  ),
);

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
  recordings: [httpErrorRatio, httpLatencyP95, websocketSaturation],
  alerts: [
    {
      name: 'HttpHighErrorRate',
      severity: 'critical',
      expr: gt(httpErrorRatio.series(), 0.05),
      for: '5m',
      summary: 'More than 5% of HTTP requests are failing with a 5xx status.',
      description:
        '{{ $value | humanizePercentage }} of HTTP requests to {{ $labels.job }} answered 5xx over the last 5 minutes.',
      dashboard: 'hsc-jit-overview',
      runbook: {
        meaning:
          'The gateway answers a significant share of HTTP requests with 5xx. Customers see the support page fail to load, and readiness probes failing (503 from /readyz) take pods out of the Service.',
        confirm:
          'Open the "HSC-JIT overview" dashboard, panel "HTTP requests by status". Query `sum by (route, status) (rate(http_requests_total{status=~"5.."}[5m]))` to see which route fails. A 503 on `/readyz` means a dependency check (database or cache) fails or the pod is draining; `kubectl logs` of a gateway pod shows the error with its request id.',
        act: '1. If only `/readyz` fails, follow the Redis/Postgres alerts that fire with it (RedisDown, PostgresPrimaryUnavailable). 2. If a deploy just rolled out, roll it back (`kubectl rollout undo deployment/gateway`). 3. Otherwise take the error ref from the logs/Sentry and escalate to the app on-call.',
      },
    },
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
