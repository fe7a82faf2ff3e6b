/**
 * Per SLO, how "good and bad events per minute" become its real input series (typed selectors, so a
 * fixture cannot feed a metric or label the catalog lacks). Each fixture also feeds series the SLI must
 * ignore (probes, client errors), so a selector that stops excluding them fails the tests.
 */
import { metrics } from '../../../app/shared/telemetry/catalog.js';
import { buckets, observations, series } from '../../../observability/promql.js';
import { input } from '../promtool-tests.js';
import type { SloFixture } from '../slo-tests.js';
import { ANSWER_SECONDS, MANUAL_READY_SECONDS, PREDICTION_SECONDS } from '../../slos/index.js';
import { gatewayTarget as t, workerTarget as w } from './targets.js';

const frames = metrics.websocketFrameDurationSeconds;
const frame = (type: string, outcome: string) => observations(frames, { ...t, type, outcome });
const frameBucket = (type: string, outcome: string, le: string) => buckets(frames, { ...t, type, outcome, le });
/** A steady side flow the SLI must not count: 600 events a minute. */
const noise = '0+600x5000';

export const sloFixtures: Record<string, SloFixture> = {
  // Good keystrokes answered within 50 ms; bad ones took 0.1 s.
  predictions: (values) => [
    input(
      frame('typing', 'ok'),
      values((good, bad) => good + bad),
    ),
    input(
      frameBucket('typing', 'ok', PREDICTION_SECONDS),
      values((good) => good),
    ),
    input(
      frameBucket('typing', 'ok', '0.1'),
      values((good, bad) => good + bad),
    ),
    input(
      frameBucket('typing', 'ok', '+Inf'),
      values((good, bad) => good + bad),
    ),
  ],
  // Half the traffic is HTTP (bad: 503), half WebSocket frames (bad: `unavailable` error frames).
  availability: (values) => [
    input(
      series(metrics.httpRequestsTotal, { ...t, method: 'GET', route: '/api/products/:id', status: '200' }),
      values((good) => Math.ceil(good / 2)),
    ),
    input(
      series(metrics.httpRequestsTotal, { ...t, method: 'GET', route: '/api/products/:id', status: '503' }),
      values((_, bad) => Math.ceil(bad / 2)),
    ),
    input(
      frame('select', 'ok'),
      values((good) => Math.floor(good / 2)),
    ),
    input(
      frame('select', 'unavailable'),
      values((_, bad) => Math.floor(bad / 2)),
    ),
    // A draining pod's readiness 503s are not customer traffic.
    input(series(metrics.httpRequestsTotal, { ...t, method: 'GET', route: '/readyz', status: '503' }), noise),
  ],
  // Good asks answered within 5 s; bad ones failed `internal`.
  answers: (values) => [
    input(
      frame('ask', 'ok'),
      values((good) => good),
    ),
    input(
      frameBucket('ask', 'ok', ANSWER_SECONDS),
      values((good) => good),
    ),
    input(
      frameBucket('ask', 'ok', '+Inf'),
      values((good) => good),
    ),
    input(
      frame('ask', 'internal'),
      values((_, bad) => bad),
    ),
    input(frame('ask', 'bad_request'), noise),
  ],
  // Good manuals ready within 60 s; bad ones ready after 120 s.
  manuals: (values) => [
    input(
      observations(metrics.manualRequestSeconds, { ...w, outcome: 'ready' }),
      values((good, bad) => good + bad),
    ),
    input(
      buckets(metrics.manualRequestSeconds, { ...w, outcome: 'ready', le: MANUAL_READY_SECONDS }),
      values((good) => good),
    ),
    input(
      buckets(metrics.manualRequestSeconds, { ...w, outcome: 'ready', le: '+Inf' }),
      values((good, bad) => good + bad),
    ),
  ],
};
