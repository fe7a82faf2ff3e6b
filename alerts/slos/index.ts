/**
 * The four user journeys' SLOs. Each SLI is measured where the customer's request is served: the
 * gateway's frame histogram (a keystroke's prediction, an ask's answer), HTTP responses, and the worker's
 * request-to-ready time of a manual.
 */
import { metrics } from '../../app/shared/telemetry/catalog.js';
import { buckets, nre, observations, re, series } from '../../observability/promql.js';
import { sloRules, type SloSpec } from '../slo.js';

/** Probes and scrapes are not customer traffic: a draining pod's 503 on /readyz is by design. */
export const NOT_CUSTOMER_ROUTES = nre('/livez|/readyz|/metrics');
/** Error codes that are the service's fault; bad_request, not_found and rate_limited are the client's. */
export const SERVER_ERROR_CODES = re('internal|unavailable');

/** The error-budget dashboard generated from these definitions (dashboards/slo.ts). */
export const SLO_DASHBOARD = 'hsc-jit-slos';

export const PREDICTION_SECONDS = '0.05';
export const ANSWER_SECONDS = '5';
export const MANUAL_READY_SECONDS = '60';

const frames = metrics.websocketFrameDurationSeconds;

export const predictionsSlo: SloSpec = {
  name: 'predictions',
  stem: 'Predictions',
  objective: 0.999,
  goodEvents: 'keystrokes answered with a prediction within 50 ms',
  badEvents: 'keystrokes not answered within 50 ms',
  sli: {
    good: [buckets(frames, { type: 'typing', outcome: 'ok', le: PREDICTION_SECONDS })],
    total: [observations(frames, { type: 'typing' })],
  },
  dashboard: SLO_DASHBOARD,
  runbook: {
    meaning:
      'Keystrokes wait longer than 50 ms for their prediction (from the typing frame received to the prediction sent). The SLO is 99.9% within 50 ms over 28 days; at this burn rate the budget runs out early and typing feels laggy.',
    confirm:
      'Dashboard "HSC-JIT SLOs and error budgets", row "predictions"; "HSC-JIT overview", panels "Frame duration p99 by type" and "Prediction latency p50/p95/p99" (the predictor alone: if it is fast, the time goes to the event loop or the socket). Check CPU throttling of gateway pods on "HSC-JIT workloads (USE)" and `catalog_products` (did the catalog grow?).',
    act: '1. If gateway pods are CPU-throttled or the event loop lags, scale the gateway out (raise HPA minReplicas). 2. If the catalog just grew a lot, check the last catalog import and roll it back if it is wrong. 3. If a deploy (annotation on the dashboards) changed the ranking code, roll it back and file a bug with `npm run bench:predict` figures.',
  },
};

export const availabilitySlo: SloSpec = {
  name: 'availability',
  stem: 'Availability',
  objective: 0.999,
  goodEvents: 'HTTP requests and WebSocket frames served without a server error',
  badEvents: 'HTTP requests answered 5xx and WebSocket frames answered internal or unavailable',
  sli: {
    bad: [
      series(metrics.httpRequestsTotal, { status: re('5..'), route: NOT_CUSTOMER_ROUTES }),
      observations(frames, { outcome: SERVER_ERROR_CODES }),
    ],
    total: [series(metrics.httpRequestsTotal, { route: NOT_CUSTOMER_ROUTES }), observations(frames)],
  },
  dashboard: SLO_DASHBOARD,
  runbook: {
    meaning:
      'Customers get server errors: HTTP 5xx from the gateway (probes excluded), or WebSocket error frames with code `internal` (a bug) or `unavailable` (a dependency is down). The SLO is 99.9% of requests and frames without a server error over 28 days.',
    confirm:
      'Dashboard "HSC-JIT SLOs and error budgets", row "availability"; "HSC-JIT overview", panels "HTTP errors by route" and "Frame errors by type and outcome". `unavailable` points at Redis, Postgres or the answer model (see RedisDown, PostgresPrimaryUnavailable, the data stores dashboard); `internal` at the code: the gateway logs carry `msg="frame handling failed"` with the incident id (Explore → Loki, `{namespace="<ns>"} | level="error"`), Sentry has the stack.',
    act: '1. If a dependency alert fires with it (RedisDown, PostgresPrimaryUnavailable, PostgresPoolSaturated), follow that runbook first. 2. If a deploy just rolled out (annotation on the dashboards), roll the app images back on the environment branch (`gh workflow run promote.yml -f to=<stack> -f action=rollback -f group=app -f rev=<last good commit of env/<stack>>`, docs/operations.md "Rollouts and rollback"; `kubectl rollout undo` is reverted by Argo CD). 3. Otherwise take the incident id from the logs or Sentry and escalate to the app on-call.',
  },
};

export const answersSlo: SloSpec = {
  name: 'answers',
  stem: 'Answers',
  objective: 0.99,
  goodEvents: 'asks answered within 5 s',
  badEvents: 'asks that failed (internal or unavailable) or took longer than 5 s',
  sli: {
    good: [buckets(frames, { type: 'ask', outcome: 'ok', le: ANSWER_SECONDS })],
    // Asks the client got wrong (bad_request, not_found) are not the service's to answer.
    total: [observations(frames, { type: 'ask', outcome: re('ok|internal|unavailable') })],
  },
  dashboard: SLO_DASHBOARD,
  runbook: {
    meaning:
      'Customers ask and get an error, or wait longer than 5 s for the answer (including the wait for a manual still being prepared). The SLO is 99% of asks answered within 5 s over 28 days.',
    confirm:
      'Dashboard "HSC-JIT SLOs and error budgets", row "answers"; "HSC-JIT overview", panels "Answers by outcome" and "Answer time p50/p95/p99". `sum by (model, outcome) (rate(answer_generation_seconds_count[5m]))` shows which model and outcome; timeouts point at the answer model, errors at the manuals (the manuals SLO) or the code (Sentry).',
    act: '1. If outcome="timeout" dominates, check the answer model endpoint (LLM_BASE_URL); its circuit breaker falls back to the extractive model. 2. If manuals are not ready in time, follow the manuals SLO runbook. 3. If errors started with a deploy, roll it back.',
  },
};

export const manualsSlo: SloSpec = {
  name: 'manuals',
  stem: 'Manuals',
  objective: 0.99,
  goodEvents: 'manual requests that end ready within 60 s',
  badEvents: 'manual requests that failed or took longer than 60 s to be ready',
  sli: {
    good: [buckets(metrics.manualRequestSeconds, { outcome: 'ready', le: MANUAL_READY_SECONDS })],
    total: [observations(metrics.manualRequestSeconds)],
  },
  dashboard: SLO_DASHBOARD,
  runbook: {
    meaning:
      'Manuals requested just in time (by a confident prediction or a select) end "failed", or take more than 60 s from the request to "ready": customers wait for answers that cite them. The SLO is 99% ready within 60 s over 28 days.',
    confirm:
      'Dashboard "HSC-JIT SLOs and error budgets", row "manuals"; "HSC-JIT manuals and workers", panels "Queue depth", "Job outcomes" and "Manual request time p95". Worker logs: `{namespace="<ns>", container="worker"} | msg=~"manual failed|manual attempt failed; will retry"` with the productId.',
    act: '1. If the queue backs up (QueueBacklogHigh), scale the workers out. 2. If fetches fail for one host, check MANUAL_HOSTS and the host (the manual-hosts circuit breaker pauses downloads after repeated failures). 3. If extraction or indexing is slow, check Postgres on the data stores dashboard.',
  },
};

export const sloSpecs: readonly SloSpec[] = [predictionsSlo, availabilitySlo, answersSlo, manualsSlo];
export const slos = sloSpecs.map(sloRules);
export const sloByName = (name: string) => {
  const found = slos.find((s) => s.spec.name === name);
  if (!found) throw new Error(`no SLO named ${name}`);
  return found;
};
