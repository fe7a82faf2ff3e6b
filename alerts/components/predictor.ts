/** Predictor: the keystroke-latency SLO and an empty index. */
import { metrics } from '../../app/telemetry/catalog.js';
import { binary, buckets, lt, observations, rate, ratio, series, sumBy } from '../../app/telemetry/promql.js';
import type { ComponentRules } from '../define.js';
import { burnRateAlerts, sloErrorRatios } from '../slo.js';

/** A keystroke's prediction is "good" when the predictor ranked the catalog within 5 ms. */
export const PREDICTION_SLO_SECONDS = '0.005';
export const PREDICTION_OBJECTIVE = 0.99;

export const predictionLatencyErrorRatios = sloErrorRatios('prediction_latency', (w) => {
  const all = sumBy(['job'], rate(observations(metrics.predictionLatencySeconds), w));
  const fast = sumBy(['job'], rate(buckets(metrics.predictionLatencySeconds, { le: PREDICTION_SLO_SECONDS }), w));
  return ratio(binary(all, '-', fast), all);
});

export const predictorRules: ComponentRules = {
  group: 'hsc-jit.predictor',
  recordings: Object.values(predictionLatencyErrorRatios),
  alerts: [
    ...burnRateAlerts({
      stem: 'PredictionLatency',
      objective: PREDICTION_OBJECTIVE,
      badEvents: 'predictions slower than 5 ms',
      ratios: predictionLatencyErrorRatios,
      dashboard: 'hsc-jit-overview',
      runbook: {
        meaning:
          'Too many keystrokes get their prediction later than 5 ms in the predictor. The SLO is 99% within 5 ms; at this burn rate the monthly budget runs out early and typing feels laggy.',
        confirm:
          'Dashboard "HSC-JIT overview", panel "Prediction latency p50/p95/p99". Check `catalog_products` (did the catalog grow?) and gateway CPU (throttling under a 1000m limit shows as latency).',
        act: '1. If CPU-bound, scale the gateway out. 2. If the catalog just grew a lot, check the last catalog import and roll it back if it is wrong. 3. If a deploy changed the ranking code, roll it back and file a bug with `npm run bench:predict` figures.',
      },
    }),
    {
      name: 'PredictionIndexEmpty',
      severity: 'critical',
      expr: lt(series(metrics.catalogProducts), 1),
      for: '5m',
      summary: 'A gateway pod has no products in its prediction index.',
      description: 'Pod {{ $labels.pod }} ({{ $labels.job }}) reports {{ $value }} products in its prediction index.',
      dashboard: 'hsc-jit-overview',
      runbook: {
        meaning: 'The pod predicts nothing: every customer on it sees an empty prediction list.',
        confirm:
          'Query `catalog_products` per pod; check the pod log for "catalog imported" and "catalog record rejected" lines.',
        act: '1. Check the catalog table in Postgres (`select count(*) from products where active`). 2. Re-import the last good catalog file. 3. Restart the pod once the catalog is back.',
      },
    },
  ],
};
