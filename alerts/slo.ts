/**
 * SLOs as code, the way Sloth generates them from its spec: one typed definition per user journey
 * (./slos/), from which come
 *   - SLI recording rules: the error ratio over every window the alerts read (5m … 3d), per namespace;
 *   - the 28-day error ratio (traffic-weighted, from the recorded 5m rates) and the error budget left;
 *   - multi-window, multi-burn-rate alerts (Google SRE workbook, chapter 5): a page when the budget
 *     burns 14.4× too fast over 1h and 5m or 6× over 6h and 30m, a ticket at 3× over 1d and 2h or 1×
 *     over 3d and 6h. The long window keeps a short spike from alerting; the short one makes the alert
 *     stop soon after the problem does;
 *   - the error-budget dashboard (dashboards/slo.ts) and the promtool tests per tier (./helpers/slo-tests.ts).
 */
import {
  and,
  binary,
  errorRatio,
  gt,
  or,
  overTime,
  rate,
  ratio,
  recording,
  scalarLeft,
  sumBy,
  withLabel,
  type Duration,
  type Recording,
  type Selector,
  type Vector,
} from '../observability/promql.js';
import type { AlertDefinition, ComponentRules, Runbook, Severity } from './define.js';

/** The SLO period: four whole weeks, so every period has the same weekdays. */
export const SLO_PERIOD = '28d' as const satisfies Duration;
/** Every SLO is evaluated per namespace (one namespace per stack). */
export type SloLabel = 'namespace' | 'slo';

/** A counter selector whose rate counts events (a counter, or a histogram's `_count` / `_bucket`). */
export type EventSelector = Selector<string, 'counter'>;

/** What the SLI counts: bad events directly, or good ones (bad = total − good, e.g. below a latency bucket). */
export type Sli = { bad: EventSelector[]; total: EventSelector[] } | { good: EventSelector[]; total: EventSelector[] };

export interface SloSpec {
  /** lowercase; the `slo` label of every rule and alert. */
  name: string;
  /** CamelCase stem of the alert names: `Predictions` → PredictionsBudgetBurnPage / …Ticket. */
  stem: string;
  /** Fraction of events that must be good over SLO_PERIOD, e.g. 0.999. */
  objective: number;
  /** What a good event is, for humans: "keystrokes answered within 50 ms". */
  goodEvents: string;
  /** What a bad event is, in the alert text: "keystrokes not answered within 50 ms". */
  badEvents: string;
  sli: Sli;
  /** The dashboard an on-call opens first (besides the error-budget dashboard). */
  dashboard: string;
  runbook: Runbook;
}

export interface BurnWindowPair {
  long: Duration;
  short: Duration;
  /** How many times faster than "exactly on budget" the error budget burns. */
  factor: number;
}

export interface BurnAlertTier {
  kind: 'page' | 'ticket';
  severity: Severity;
  for: Duration;
  windows: readonly [BurnWindowPair, BurnWindowPair];
}

export const BURN_TIERS: readonly BurnAlertTier[] = [
  {
    kind: 'page',
    severity: 'critical',
    for: '2m',
    windows: [
      { long: '1h', short: '5m', factor: 14.4 },
      { long: '6h', short: '30m', factor: 6 },
    ],
  },
  {
    kind: 'ticket',
    severity: 'warning',
    for: '15m',
    windows: [
      { long: '1d', short: '2h', factor: 3 },
      { long: '3d', short: '6h', factor: 1 },
    ],
  },
];

export const SLI_WINDOWS = ['5m', '30m', '1h', '2h', '6h', '1d', '3d'] as const satisfies readonly Duration[];
export type SliWindow = (typeof SLI_WINDOWS)[number];

const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
export const burnAlertName = (spec: SloSpec, kind: BurnAlertTier['kind']) =>
  `${spec.stem}BudgetBurn${capitalize(kind)}`;
export const errorBudget = (spec: SloSpec) => Number((1 - spec.objective).toFixed(10));
/** The error ratio above which a window pair alerts: factor × budget, without float noise. */
export const burnThreshold = (spec: SloSpec, pair: BurnWindowPair) =>
  Number((pair.factor * errorBudget(spec)).toFixed(10));

/** Sum of the rates of several counters, by namespace; `sli_term` keeps equal label sets of different metrics apart. */
function summedRate(selectors: EventSelector[], window: Duration): Vector<'namespace'> {
  const [first, ...rest] = selectors.map((s, i) => withLabel(rate(s, window), 'sli_term', String(i)));
  if (!first) throw new Error('an SLI needs at least one selector');
  return sumBy(
    ['namespace'],
    rest.reduce<Vector<string>>((acc, v) => or(acc, v), first),
  );
}

function badRate(sli: Sli, window: Duration): Vector<'namespace'> {
  if ('bad' in sli) return summedRate(sli.bad, window);
  return binary(summedRate(sli.total, window), '-', summedRate(sli.good, window));
}

export interface SloRecordings {
  /** Error ratio per window the alerts read. */
  ratios: Record<SliWindow, Recording<SloLabel>>;
  /** Bad and all events per second over 5m: the 28-day ratio sums these. */
  badRate5m: Recording<SloLabel>;
  eventRate5m: Recording<SloLabel>;
  /** Traffic-weighted error ratio over the SLO period. */
  periodRatio: Recording<SloLabel>;
  /** 1 − periodRatio / budget: 1 untouched, 0 spent, below 0 overspent. */
  budgetRemaining: Recording<SloLabel>;
}

export function sloRecordings(spec: SloSpec): SloRecordings {
  const labels = { slo: spec.name };
  const total = (w: Duration) => summedRate(spec.sli.total, w);
  // `bad or total * 0`: a bad-event counter that never moved has no series, and the ratio must read 0, not nothing.
  const ratios = Object.fromEntries(
    SLI_WINDOWS.map((w) => [
      w,
      recording(`slo:sli_error:ratio_rate${w}`, errorRatio(badRate(spec.sli, w), total(w)), labels),
    ]),
  ) as Record<SliWindow, Recording<SloLabel>>;
  const badRate5m = recording(
    'slo:sli_bad_events:rate5m',
    or(badRate(spec.sli, '5m'), binary(total('5m'), '*', 0)),
    labels,
  );
  const eventRate5m = recording('slo:sli_events:rate5m', total('5m'), labels);
  const periodRatio = recording(
    `slo:sli_error:ratio_rate${SLO_PERIOD}`,
    ratio(overTime('sum', badRate5m.series(), SLO_PERIOD), overTime('sum', eventRate5m.series(), SLO_PERIOD)),
    labels,
  );
  const budgetRemaining = recording(
    'slo:error_budget_remaining:ratio',
    scalarLeft(1, '-', binary(periodRatio.series(), '/', errorBudget(spec))),
    labels,
  );
  return { ratios, badRate5m, eventRate5m, periodRatio, budgetRemaining };
}

const percent = (fraction: number) => `${Number((fraction * 100).toFixed(4))}%`;

function burnAlert(spec: SloSpec, r: SloRecordings, tier: BurnAlertTier): AlertDefinition {
  const [first, second] = tier.windows.map((pair) =>
    and(
      gt(r.ratios[pair.long as SliWindow].series(), burnThreshold(spec, pair)),
      gt(r.ratios[pair.short as SliWindow].series(), burnThreshold(spec, pair)),
    ),
  ) as [Vector<SloLabel>, Vector<SloLabel>];
  const windows = tier.windows
    .map((p) => `${percent(burnThreshold(spec, p))} over ${p.long} and ${p.short} (${p.factor}×)`)
    .join(', or ');
  return {
    name: burnAlertName(spec, tier.kind),
    severity: tier.severity,
    expr: or(first, second),
    for: tier.for,
    labels: { slo: spec.name },
    summary: `The ${spec.name} SLO is burning its error budget fast enough to ${tier.kind === 'page' ? 'page' : 'need a ticket'}.`,
    description: `{{ $value | humanizePercentage }} of ${spec.badEvents} in namespace {{ $labels.namespace }} over the alert's long window; the SLO allows ${percent(errorBudget(spec))} over ${SLO_PERIOD} and this alert fires above ${windows}.`,
    dashboard: spec.dashboard,
    runbook: spec.runbook,
  };
}

export interface SloRules {
  spec: SloSpec;
  recordings: SloRecordings;
  alerts: Record<BurnAlertTier['kind'], AlertDefinition>;
  /** Two groups, each small: the SLI ratios; then the period, the budget and the alerts reading them. */
  groups: ComponentRules[];
}

export function sloRules(spec: SloSpec): SloRules {
  if (!(spec.objective > 0 && spec.objective < 1))
    throw new RangeError(`SLO ${spec.name}: objective must be within (0, 1)`);
  if (!/^[a-z][a-z0-9_]*$/.test(spec.name)) throw new TypeError(`SLO name "${spec.name}" must be lowercase`);
  const recordings = sloRecordings(spec);
  const [page, ticket] = BURN_TIERS.map((tier) => burnAlert(spec, recordings, tier)) as [
    AlertDefinition,
    AlertDefinition,
  ];
  return {
    spec,
    recordings,
    alerts: { page, ticket },
    groups: [
      {
        group: `hsc-jit.slo.${spec.name}.sli`,
        recordings: [recordings.badRate5m, recordings.eventRate5m, ...Object.values(recordings.ratios)],
        alerts: [],
      },
      {
        group: `hsc-jit.slo.${spec.name}.budget`,
        recordings: [recordings.periodRatio, recordings.budgetRemaining],
        alerts: [page, ticket],
      },
    ],
  };
}
