/**
 * The one metric catalog. Every metric the app exports is declared here, once, typed. The app's
 * prom-client registry is built from these declarations (./registry.ts), and so are alert rules,
 * recording rules and dashboards: they import the same objects, so a renamed metric or a
 * label that does not exist fails `tsc` instead of a dashboard at 3 a.m.
 */

export type MetricKind = 'counter' | 'gauge' | 'histogram';

export interface MetricDeclaration<
  Name extends string = string,
  Kind extends MetricKind = MetricKind,
  Label extends string = string,
> {
  readonly name: Name;
  readonly kind: Kind;
  readonly help: string;
  readonly labelNames: readonly Label[];
  /** Histogram bucket upper bounds, in the metric's unit. */
  readonly buckets?: readonly number[];
  /** The unit Grafana should display (seconds → "s", bytes → "bytes", plain counts → "short"). */
  readonly unit: 'seconds' | 'bytes' | 'short' | 'percentunit';
  /**
   * Label sets exported at 0 from start-up. A counter series born at 1 has no increase to rate() over,
   * so the first failure would be invisible to an SLO; the outcomes an SLO counts start at 0 instead.
   */
  readonly initial?: readonly Readonly<Record<Label, string>>[];
}

export function declare<const Name extends string, const Kind extends MetricKind, const Label extends string = never>(
  declaration: MetricDeclaration<Name, Kind, Label>,
): MetricDeclaration<Name, Kind, Label> {
  return declaration;
}

/** Sub-millisecond resolution where the budget is milliseconds (prediction p99 ≤ 2 ms). */
const FAST_BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1] as const;
const REQUEST_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10] as const;
const SLOW_BUCKETS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120] as const;
/** One histogram for every frame type: a keystroke's 50 ms and an answer's 5 s are both SLO thresholds. */
const FRAME_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60] as const;
/** From a manual's request to its final status: the manuals SLO threshold is 60 s. */
const MANUAL_REQUEST_BUCKETS = [1, 2, 5, 10, 20, 30, 60, 120, 300, 600] as const;

/**
 * Why the server closed a socket: `backlog` (it did not read: its send budget ran out), `resume_repeated`
 * (a second `resume` on one socket), `flood` (over the frame rate), `heartbeat` (no pong or heartbeat
 * reply for a whole interval), `oversized` (a frame over 16 KiB), `origin`, `per_client`, `connect_rate`
 * (too many new sockets from one address), `capacity`, `draining`, `erased` (its session was erased).
 */
export const WEBSOCKET_CLOSE_REASONS = [
  'backlog',
  'resume_repeated',
  'flood',
  'heartbeat',
  'oversized',
  'origin',
  'per_client',
  'connect_rate',
  'capacity',
  'draining',
  'erased',
] as const;
export type WebsocketCloseReason = (typeof WEBSOCKET_CLOSE_REASONS)[number];

export const metrics = {
  websocketActiveConnections: declare({
    name: 'websocket_active_connections',
    kind: 'gauge',
    help: 'Open WebSocket connections on this instance.',
    labelNames: [],
    unit: 'short',
  }),
  websocketConnectionLimit: declare({
    name: 'websocket_connection_limit',
    kind: 'gauge',
    help: 'Configured per-instance cap on WebSocket connections (the saturation denominator).',
    labelNames: [],
    unit: 'short',
  }),
  websocketFramesTotal: declare({
    name: 'websocket_frames_total',
    kind: 'counter',
    help: 'WebSocket frames, by direction (in | out | dropped: superseded frames not sent to a socket over its send budget) and frame type.',
    labelNames: ['direction', 'type'],
    unit: 'short',
  }),
  websocketFrameDurationSeconds: declare({
    name: 'websocket_frame_duration_seconds',
    kind: 'histogram',
    help: 'From a client frame received to its handling finished (prediction sent, answer streamed), by frame type and outcome (ok, or the error code sent: bad_request | not_found | unavailable | internal | …).',
    labelNames: ['type', 'outcome'],
    buckets: FRAME_BUCKETS,
    unit: 'seconds',
    initial: ['typing', 'select', 'ask', 'resume', 'cancel', 'feedback'].flatMap((type) =>
      ['ok', 'internal', 'unavailable'].map((outcome) => ({ type, outcome })),
    ),
  }),
  websocketErrorFramesTotal: declare({
    name: 'websocket_error_frames_total',
    kind: 'counter',
    help: 'error frames sent to clients, by error code.',
    labelNames: ['code'],
    unit: 'short',
  }),
  websocketClosedTotal: declare({
    name: 'websocket_closed_total',
    kind: 'counter',
    help: `WebSocket connections closed by the server, by reason (${WEBSOCKET_CLOSE_REASONS.join(' | ')}).`,
    labelNames: ['reason'],
    unit: 'short',
    initial: WEBSOCKET_CLOSE_REASONS.map((reason) => ({ reason })),
  }),
  adminAuthFailuresTotal: declare({
    name: 'admin_auth_failures_total',
    kind: 'counter',
    help: 'Admin API requests without a valid token: rejected (401), or throttled (429) after too many from one address.',
    labelNames: ['outcome'],
    unit: 'short',
  }),
  predictionLatencySeconds: declare({
    name: 'prediction_latency_seconds',
    kind: 'histogram',
    help: 'Time to rank the catalog for one keystroke, in the predictor alone.',
    labelNames: [],
    buckets: FAST_BUCKETS,
    unit: 'seconds',
  }),
  catalogProducts: declare({
    name: 'catalog_products',
    kind: 'gauge',
    help: 'Products in the in-memory prediction index.',
    labelNames: [],
    unit: 'short',
  }),
  answerGenerationSeconds: declare({
    name: 'answer_generation_seconds',
    kind: 'histogram',
    help: 'Time from an ask to its answer_done or error, by answer model and outcome (ok | error | timeout).',
    labelNames: ['model', 'outcome'],
    buckets: SLOW_BUCKETS,
    unit: 'seconds',
  }),
  answerFeedbackTotal: declare({
    name: 'answer_feedback_total',
    kind: 'counter',
    help: 'Thumbs up/down the customers gave answers, by answer model and vote (up | down | withdrawn).',
    labelNames: ['model', 'vote'],
    unit: 'short',
  }),
  cacheHitsTotal: declare({
    name: 'cache_hits_total',
    kind: 'counter',
    help: 'Cache hits, by cache (answers | manuals) and layer (l1 | l2).',
    labelNames: ['cache', 'layer'],
    unit: 'short',
  }),
  cacheMissesTotal: declare({
    name: 'cache_misses_total',
    kind: 'counter',
    help: 'Cache misses, by cache (answers | manuals) and layer (l1 | l2).',
    labelNames: ['cache', 'layer'],
    unit: 'short',
  }),
  httpRequestsTotal: declare({
    name: 'http_requests_total',
    kind: 'counter',
    help: 'HTTP requests served, by method, route pattern and status code.',
    labelNames: ['method', 'route', 'status'],
    unit: 'short',
  }),
  httpRequestDurationSeconds: declare({
    name: 'http_request_duration_seconds',
    kind: 'histogram',
    help: 'HTTP request duration, by method and route pattern.',
    labelNames: ['method', 'route'],
    buckets: REQUEST_BUCKETS,
    unit: 'seconds',
  }),
  postgresqlConnectionsUsed: declare({
    name: 'postgresql_connections_used',
    kind: 'gauge',
    help: 'Connections checked out of the database pool, by pool role (primary | replica).',
    labelNames: ['pool'],
    unit: 'short',
  }),
  postgresqlConnectionsMax: declare({
    name: 'postgresql_connections_max',
    kind: 'gauge',
    help: 'Configured size of the database pool, by pool role (primary | replica).',
    labelNames: ['pool'],
    unit: 'short',
  }),
  postgresqlQueryDurationSeconds: declare({
    name: 'postgresql_query_duration_seconds',
    kind: 'histogram',
    help: 'Database query duration, by pool role and outcome (ok | error).',
    labelNames: ['pool', 'outcome'],
    buckets: REQUEST_BUCKETS,
    unit: 'seconds',
  }),
  queueDepth: declare({
    name: 'queue_depth',
    kind: 'gauge',
    help: 'Jobs in a background queue, by queue and state (waiting | active | delayed | failed).',
    labelNames: ['queue', 'state'],
    unit: 'short',
  }),
  jobDurationSeconds: declare({
    name: 'job_duration_seconds',
    kind: 'histogram',
    help: 'Background job run time, by queue and outcome (ok | retry | failed).',
    labelNames: ['queue', 'outcome'],
    buckets: SLOW_BUCKETS,
    unit: 'seconds',
  }),
  manualRequestSeconds: declare({
    name: 'manual_request_seconds',
    kind: 'histogram',
    help: 'From a manual being requested (queued) to its final status, by outcome (ready | failed).',
    labelNames: ['outcome'],
    buckets: MANUAL_REQUEST_BUCKETS,
    unit: 'seconds',
    initial: [{ outcome: 'ready' }, { outcome: 'failed' }],
  }),
  buildInfo: declare({
    name: 'hsc_jit_build_info',
    kind: 'gauge',
    help: 'Always 1; the version label is the running release (APP_RELEASE, the image tag), so deploys show on dashboards.',
    labelNames: ['version'],
    unit: 'short',
  }),
  manualsByStatus: declare({
    name: 'manuals_by_status',
    kind: 'gauge',
    help: 'Manual records by status (none | queued | fetching | indexing | ready | failed).',
    labelNames: ['status'],
    unit: 'short',
  }),
  processUnhandledErrorsTotal: declare({
    name: 'process_unhandled_errors_total',
    kind: 'counter',
    help: 'Errors that reached the process-wide last line of defence, by kind (uncaught_exception | unhandled_rejection) and whether the process exited for it.',
    labelNames: ['kind', 'fatal'],
    unit: 'short',
  }),
  auditEntriesDroppedTotal: declare({
    name: 'audit_entries_dropped_total',
    kind: 'counter',
    help: 'Audit entries not written, by reason (rejected: the database refused the row | buffer_full: the database was away too long).',
    labelNames: ['reason'],
    unit: 'short',
  }),
  sessionStoreSessions: declare({
    name: 'session_store_sessions',
    kind: 'gauge',
    help: 'Stored sessions (those a `select` or `ask` used), as last counted by this instance.',
    labelNames: [],
    unit: 'short',
  }),
  sessionStoreCapacity: declare({
    name: 'session_store_capacity',
    kind: 'gauge',
    help: 'Configured cap on stored sessions (SESSION_STORE_MAX): past it a new session is refused.',
    labelNames: [],
    unit: 'short',
  }),
  sessionStoreFullTotal: declare({
    name: 'session_store_full_total',
    kind: 'counter',
    help: 'New sessions refused because the session store was full (the customer got `unavailable`).',
    labelNames: [],
    unit: 'short',
  }),
} as const;

export type MetricCatalog = typeof metrics;
export type AnyMetric = MetricCatalog[keyof MetricCatalog];
/** The label names a declaration allows: `LabelOf<typeof metrics.httpRequestsTotal>` is 'method' | 'route' | 'status'. */
export type LabelOf<M> = M extends MetricDeclaration<string, MetricKind, infer L> ? L : never;
