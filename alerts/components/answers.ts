/** Answers: the answer-success SLO (an ask ends in answer_done, not an error or a timeout). */
import { metrics } from '../../app/telemetry/catalog.js';
import { errorRatio, ne, observations, rate, sumBy } from '../../app/telemetry/promql.js';
import type { ComponentRules } from '../define.js';
import { burnRateAlerts, sloErrorRatios } from '../slo.js';

export const ANSWER_OBJECTIVE = 0.99;

export const answerErrorRatios = sloErrorRatios('answer_success', (w) =>
  errorRatio(
    sumBy(['job'], rate(observations(metrics.answerGenerationSeconds, { outcome: ne('ok') }), w)),
    sumBy(['job'], rate(observations(metrics.answerGenerationSeconds), w)),
  ),
);

export const answersRules: ComponentRules = {
  group: 'hsc-jit.answers',
  recordings: Object.values(answerErrorRatios),
  alerts: burnRateAlerts({
    stem: 'AnswerSuccess',
    objective: ANSWER_OBJECTIVE,
    badEvents: 'asks that ended in an error or a timeout',
    ratios: answerErrorRatios,
    dashboard: 'hsc-jit-overview',
    runbook: {
      meaning:
        'Customers ask questions and get an error or a timeout instead of an answer. The SLO is 99% of asks answered; at this burn rate the monthly budget runs out early.',
      confirm:
        'Dashboard "HSC-JIT overview", panels "Answer time" and "Error frames by code". Query `sum by (model, outcome) (rate(answer_generation_seconds_count[5m]))` to see which model and outcome; timeouts point at the answer model or the replica, errors at the code (Sentry has the stack).',
      act: '1. If outcome="timeout" dominates, check the answer model endpoint (LLM_BASE_URL) and the Postgres replica (PostgresReplicaLagging, pool usage). 2. If outcome="error", open Sentry with the `ref` from the error frames and roll back a recent deploy. 3. Manuals not ready also fail asks: check the "Manuals and workers" dashboard.',
    },
  }),
};
