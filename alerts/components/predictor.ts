/** Predictor: an empty index (its latency is the predictions SLO, ../slos/). */
import { metrics } from '../../app/shared/telemetry/catalog.js';
import { lt, series } from '../../observability/promql.js';
import type { ComponentRules } from '../define.js';

export const predictorRules: ComponentRules = {
  group: 'hsc-jit.predictor',
  recordings: [],
  alerts: [
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
