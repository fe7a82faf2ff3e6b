import { metrics } from '../../app/telemetry/catalog.js';
import { observations } from '../../app/telemetry/promql.js';
import { input, type AlertCase } from '../promtool-tests.js';
import { gatewayTarget as t } from './targets.js';

const asks = (outcome: string, values: string) =>
  input(observations(metrics.answerGenerationSeconds, { ...t, model: 'extractive', outcome }), values);

const burn = (alert: string): AlertCase => ({
  alert,
  // Half the asks time out.
  firing: [asks('ok', '0+30x60'), asks('timeout', '0+30x60')],
  trueFromMinute: 1,
  labels: { job: t.job },
  valueText: '50%',
  healthy: [asks('ok', '0+60x60')],
});

export const answersCases: AlertCase[] = [burn('AnswerSuccessBudgetBurnFast'), burn('AnswerSuccessBudgetBurnSlow')];
