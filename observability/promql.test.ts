/**
 * The typed PromQL helpers: the text they produce (and that it parses), and — through the
 * `@ts-expect-error` lines, which `tsc --noEmit` checks as part of `npm test` — that a wrong metric,
 * label, or operation does not compile.
 */
import { describe, expect, it } from 'vitest';
import { metrics } from '../app/shared/telemetry/catalog.js';
import { external } from './external-metrics.js';
import {
  and,
  buckets,
  gt,
  histogramQuantile,
  increase,
  ne,
  observations,
  promqlErrors,
  rate,
  ratio,
  re,
  recording,
  series,
  sumBy,
} from './promql.js';

describe('typed PromQL', () => {
  it('renders selectors with typed, escaped matchers', () => {
    expect(series(metrics.httpRequestsTotal, { status: re('5..'), route: '/a"b' }).text).toBe(
      'http_requests_total{status=~"5..", route="/a\\"b"}',
    );
    expect(series(external.containerMemoryWorkingSetBytes, { container: ne('') }).text).toBe(
      'container_memory_working_set_bytes{container!=""}',
    );
  });

  it('builds rate, sum by, ratios and histogram quantiles that parse', () => {
    const p95 = histogramQuantile(
      0.95,
      sumBy(['route', 'le'], rate(buckets(metrics.httpRequestDurationSeconds), '5m')),
    );
    expect(p95.text).toBe(
      'histogram_quantile(0.95, sum by (route, le) (rate(http_request_duration_seconds_bucket[5m])))',
    );
    const errors = ratio(
      sumBy(['job'], rate(series(metrics.httpRequestsTotal, { status: re('5..') }), '5m')),
      sumBy(['job'], rate(series(metrics.httpRequestsTotal), '5m')),
    );
    const alert = and(
      gt(errors, 0.05),
      gt(sumBy(['job'], increase(observations(metrics.answerGenerationSeconds), '1h')), 10),
    );
    expect(alert.text).toBe(
      '((sum by (job) (rate(http_requests_total{status=~"5.."}[5m])) / sum by (job) (rate(http_requests_total[5m]))) > 0.05) and (sum by (job) (increase(answer_generation_seconds_count[1h])) > 10)',
    );
    for (const e of [p95, errors, alert]) expect(promqlErrors(e.text)).toEqual([]);
  });

  it('gives typed access to recorded series', () => {
    const r = recording('job:x:rate5m', sumBy(['job'], rate(series(metrics.httpRequestsTotal), '5m')));
    expect(r.series({ job: 'gateway' }).text).toBe('job:x:rate5m{job="gateway"}');
    expect(() => recording('bad name', r.expr)).toThrow(/invalid recording rule name/);
  });

  it('rejects unparsable PromQL with the position', () => {
    expect(promqlErrors('sum by (job) (rate(x[5m])')).not.toEqual([]);
    expect(promqlErrors('rate(x[5m]) >')).not.toEqual([]);
    expect(promqlErrors('')).toEqual(['empty expression']);
  });

  it('rejects quantiles outside 0..1', () => {
    expect(() => histogramQuantile(1.5, buckets(metrics.predictionLatencySeconds))).toThrow(RangeError);
  });
});

/** Never called: these lines exist for the type checker (exported so it is not unused). */
// biome-ignore lint/suspicious/noExportsInTest: a compile-time test, not a helper for other tests
export function typeErrors(): void {
  // @ts-expect-error a label the metric does not declare
  series(metrics.httpRequestsTotal, { statuscode: '500' });
  // @ts-expect-error a metric that is not in the catalog
  series(metrics.httpRequestCount);
  // @ts-expect-error rate() of a gauge
  rate(series(metrics.websocketActiveConnections), '5m');
  // @ts-expect-error a histogram is not a plain series: use buckets()/observations()
  series(metrics.predictionLatencySeconds);
  // @ts-expect-error sum by a label the vector does not carry
  sumBy(['code'], rate(series(metrics.httpRequestsTotal), '5m'));
  // @ts-expect-error histogram_quantile after `le` was aggregated away
  histogramQuantile(0.99, sumBy(['route'], rate(buckets(metrics.httpRequestDurationSeconds), '5m')));
  // @ts-expect-error a window that is not a PromQL duration
  rate(series(metrics.httpRequestsTotal), '5 minutes');
  // @ts-expect-error matching on a label only one side has
  ratio(sumBy(['job'], series(metrics.queueDepth)), sumBy(['queue'], series(metrics.queueDepth)), { on: ['queue'] });
  // @ts-expect-error a label of an external exporter metric that it does not have
  series(external.redisUp, { role: 'master' });
}
