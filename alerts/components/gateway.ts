/**
 * Gateway: HTTP latency, WebSocket saturation and the session store (server errors are the
 * availability SLO, ../slos/).
 */
import { metrics } from '../../app/shared/telemetry/catalog.js';
import {
  buckets,
  gt,
  histogramQuantile,
  increase,
  maxBy,
  rate,
  ratio,
  recording,
  series,
  sumBy,
} from '../../observability/promql.js';
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

/** Every instance counts the same table: the highest recent count against the cap. */
export const sessionStoreUse = recording(
  'namespace:session_store_sessions:ratio',
  ratio(
    maxBy(['namespace'], series(metrics.sessionStoreSessions)),
    maxBy(['namespace'], series(metrics.sessionStoreCapacity)),
  ),
);

export const gatewayRules: ComponentRules = {
  group: 'hsc-jit.gateway',
  recordings: [httpLatencyP95, websocketSaturation, sessionStoreUse],
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
    {
      name: 'SessionStoreFull',
      severity: 'critical',
      expr: gt(sumBy(['namespace'], increase(series(metrics.sessionStoreFullTotal), '5m')), 0),
      for: '2m',
      summary: 'New customers are turned away: the session store is full.',
      description:
        'New sessions are being refused in {{ $labels.namespace }} ({{ $value | humanize }} in 5 minutes): SESSION_STORE_MAX is reached.',
      dashboard: 'hsc-jit-overview',
      runbook: {
        meaning:
          'The `sessions` table holds `SESSION_STORE_MAX` live sessions, so a new customer\'s first `select` or `ask` gets `error` `unavailable` ("we cannot start a new conversation right now"). Customers with a stored session carry on. A session is stored only once used, so this means either real growth or a flood of sessions that picked a product (connection churn alone stores nothing).',
        confirm:
          "`session_store_full_total` rising and `session_store_sessions` at `session_store_capacity` on the gateway pods. In Postgres: `SELECT count(*), count(*) FILTER (WHERE product_id IS NOT NULL) FROM sessions WHERE expires_at > now()`, and `SELECT date_trunc('minute', created_at), count(*) FROM sessions GROUP BY 1 ORDER BY 1 DESC LIMIT 30` to see whether creation spiked. Check `websocket_closed_total{reason=\"connect_rate\"}` and the audit log's `select` rows per client address for one source.",
        act: "1. If one address or a few create the sessions, block them at the ingress; their sessions expire 30 minutes after their last use (no question asked). 2. If it is real growth, raise `SESSION_STORE_MAX` (each session is a small row) and roll the gateway. 3. Do not delete sessions with turns: they hold customers' conversations; `DELETE FROM sessions s WHERE expires_at < now() + interval '25 minutes' AND NOT EXISTS (SELECT 1 FROM conversation_turns t WHERE t.session_id = s.id)` frees picked-but-unused ones early.",
      },
    },
    {
      name: 'SessionStoreNearlyFull',
      severity: 'warning',
      expr: gt(sessionStoreUse.series(), 0.8),
      for: '15m',
      summary: 'The session store is more than 80% full.',
      description:
        'Stored sessions in {{ $labels.namespace }} are at {{ $value | humanizePercentage }} of SESSION_STORE_MAX; past it new customers get `unavailable`.',
      dashboard: 'hsc-jit-overview',
      runbook: {
        meaning:
          'Live sessions approach `SESSION_STORE_MAX`. At the cap, new customers are refused (SessionStoreFull pages then).',
        confirm:
          '`session_store_sessions` against `session_store_capacity` over the last days: steady growth is real use, a step is a flood. The queries of the SessionStoreFull runbook tell which.',
        act: '1. Real growth: raise `SESSION_STORE_MAX` ahead of the cap. 2. A flood: find its source (see SessionStoreFull) and block it; unused sessions expire within 30 minutes.',
      },
    },
  ],
};
