import { metrics } from '../../app/telemetry/catalog.js';
import { buckets, observations, series } from '../../app/telemetry/promql.js';
import { PREDICTION_SLO_SECONDS } from '../components/predictor.js';
import { input, type AlertCase } from '../promtool-tests.js';
import { gatewayTarget as t } from './targets.js';

/** `fastPerMinute` of 60 predictions per minute finish within the SLO threshold. */
const predictions = (fastPerMinute: number) => [
  input(observations(metrics.predictionLatencySeconds, t), '0+60x60'),
  input(buckets(metrics.predictionLatencySeconds, { ...t, le: PREDICTION_SLO_SECONDS }), `0+${fastPerMinute}x60`),
];

const burn = (alert: string): AlertCase => ({
  alert,
  firing: predictions(30),
  trueFromMinute: 1,
  labels: { job: t.job },
  valueText: '50%',
  healthy: predictions(60),
});

export const predictorCases: AlertCase[] = [
  burn('PredictionLatencyBudgetBurnFast'),
  burn('PredictionLatencyBudgetBurnSlow'),
  {
    alert: 'PredictionIndexEmpty',
    firing: [input(series(metrics.catalogProducts, t), '0x30')],
    trueFromMinute: 0,
    labels: { ...t },
    valueText: '0',
    healthy: [input(series(metrics.catalogProducts, t), '5000x30')],
  },
];
