/**
 * Multi-window, multi-burn-rate SLO alerts (Google SRE workbook, chapter 5): page when the error
 * budget burns 14.4x too fast over both 1h and 5m (2% of a 30-day budget in an hour), open a ticket
 * when it burns 6x too fast over both 6h and 30m. The short window makes the alert stop soon after
 * the problem does; the long one keeps a short blip from paging.
 */
import { and, gt, recording, type Duration, type Recording, type Vector } from '../app/telemetry/promql.js';
import type { AlertDefinition, Runbook } from './define.js';

export const SLO_WINDOWS = ['5m', '30m', '1h', '6h'] as const satisfies readonly Duration[];
export type SloWindow = (typeof SLO_WINDOWS)[number];

/** One recording rule per window: the ratio of bad events to all events, by job. */
export function sloErrorRatios(
  slo: string,
  errorRatio: (window: SloWindow) => Vector<'job'>,
): Record<SloWindow, Recording<'job'>> {
  return Object.fromEntries(
    SLO_WINDOWS.map((w) => [w, recording(`job:slo_${slo}_errors:ratio_rate${w}`, errorRatio(w))]),
  ) as Record<SloWindow, Recording<'job'>>;
}

const BURNS = [
  { speed: 'Fast', factor: 14.4, long: '1h', short: '5m', severity: 'critical', for: '2m' },
  { speed: 'Slow', factor: 6, long: '6h', short: '30m', severity: 'warning', for: '15m' },
] as const;

export interface SloAlertOptions {
  /** CamelCase stem: `PredictionLatency` → PredictionLatencyBudgetFastBurn / …SlowBurn. */
  stem: string;
  /** Fraction of events that must be good, e.g. 0.99. */
  objective: number;
  /** What a bad event is, for the summary: "predictions slower than 5 ms". */
  badEvents: string;
  ratios: Record<SloWindow, Recording<'job'>>;
  dashboard: string;
  runbook: Runbook;
}

export function burnRateAlerts(o: SloAlertOptions): AlertDefinition[] {
  const budget = 1 - o.objective;
  return BURNS.map((b) => {
    const threshold = Number((b.factor * budget).toFixed(6));
    return {
      name: `${o.stem}BudgetBurn${b.speed}`,
      severity: b.severity,
      expr: and(gt(o.ratios[b.long].series(), threshold), gt(o.ratios[b.short].series(), threshold)),
      for: b.for,
      summary: `The ${o.stem} error budget is burning ${b.factor} times faster than the SLO allows.`,
      description: `{{ $value | humanizePercentage }} of events on {{ $labels.job }} were ${o.badEvents} over the last ${b.long} (objective ${(o.objective * 100).toFixed(1)}% good, alert above ${(threshold * 100).toFixed(1)}%).`,
      dashboard: o.dashboard,
      runbook: o.runbook,
    };
  });
}
