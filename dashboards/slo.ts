/** "HSC-JIT SLOs and error budgets": generated from the SLO definitions, one row per SLO (alerts/slos/). */
import { binary } from '../observability/promql.js';
import { BURN_TIERS, errorBudget, SLO_PERIOD, type SloRules } from '../alerts/slo.js';
import { SLO_DASHBOARD, slos } from '../alerts/slos/index.js';
import { namespaceScope, type DashboardSpec, type RowSpec } from './panels.js';

export const SLO_UID = SLO_DASHBOARD;

const pct = (fraction: number) => `${Number((fraction * 100).toFixed(4))}%`;

function sloRow({ spec, recordings, alerts }: SloRules): RowSpec {
  const runbooks = [alerts.page.name, alerts.ticket.name];
  const budget = errorBudget(spec);
  const pairs = BURN_TIERS.flatMap((t) => t.windows.map((w) => ({ ...w, kind: t.kind })));
  return {
    title: `${spec.name}: ${pct(spec.objective)} of ${spec.goodEvents} over ${SLO_PERIOD}`,
    panels: [
      {
        title: `${spec.name}: error budget remaining`,
        description: `Share of the ${SLO_PERIOD} error budget (${pct(budget)} of events may be bad) not yet spent: 100% untouched, 0 spent, below 0 overspent.`,
        unit: 'percentunit',
        queries: [{ expr: recordings.budgetRemaining.series(namespaceScope), legend: 'budget left' }],
        alerts: runbooks,
        width: 8,
      },
      {
        title: `${spec.name}: error ratio`,
        description: `Share of bad events (${spec.badEvents}) per window; the objective allows ${pct(budget)}.`,
        unit: 'percentunit',
        queries: [
          ...(['5m', '1h', '6h', '1d'] as const).map((w) => ({
            expr: recordings.ratios[w].series(namespaceScope),
            legend: w,
          })),
          { expr: recordings.periodRatio.series(namespaceScope), legend: SLO_PERIOD },
        ],
        alerts: runbooks,
        logs: '| level >= 40',
        width: 8,
      },
      {
        title: `${spec.name}: burn rate`,
        description: `How many times faster than the budget allows it is being spent. Pages: ${pairs
          .filter((p) => p.kind === 'page')
          .map((p) => `${p.factor}× over ${p.long}`)
          .join(', ')}; tickets: ${pairs
          .filter((p) => p.kind === 'ticket')
          .map((p) => `${p.factor}× over ${p.long}`)
          .join(', ')} (each with its short window).`,
        unit: 'short',
        queries: pairs.map((p) => ({
          expr: binary(recordings.ratios[p.long as keyof typeof recordings.ratios].series(namespaceScope), '/', budget),
          legend: `${p.long} (${p.kind} at ${p.factor}×)`,
        })),
        alerts: runbooks,
        width: 8,
      },
    ],
  };
}

export const sloDashboard: DashboardSpec = {
  uid: SLO_UID,
  title: 'HSC-JIT SLOs and error budgets',
  description:
    'Generated from the SLO definitions: per user journey, the error budget left over 28 days, the error ratio per window and the burn rates the alerts page and ticket on.',
  tags: ['slo'],
  rows: slos.map(sloRow),
};
