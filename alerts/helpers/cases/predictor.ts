import { metrics } from '../../../app/shared/telemetry/catalog.js';
import { series } from '../../../observability/promql.js';
import { input, type AlertCase } from '../promtool-tests.js';
import { gatewayTarget as t } from './targets.js';

export const predictorCases: AlertCase[] = [
  {
    alert: 'PredictionIndexEmpty',
    firing: [input(series(metrics.catalogProducts, t), '0x30')],
    trueFromMinute: 0,
    labels: { ...t },
    valueText: '0',
    healthy: [input(series(metrics.catalogProducts, t), '5000x30')],
  },
];
