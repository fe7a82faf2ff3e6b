/**
 * promtool tests for every SLO, per burn tier, generated from the SLO definition and a fixture that turns
 * "good and bad events per minute" into the SLO's real input series (alerts/cases/slos.ts). Scenarios,
 * each a steady error ratio given as a multiple of the error budget, from minute 0:
 *   - page, 1h/5m tier: 20× the budget → the page fires (and shows the ratio);
 *   - page, 6h/30m tier: 8× (above 6×, below 14.4×) → the page fires through the second pair alone;
 *   - ticket, 1d/2h tier: 4× (above 3×, below 6×) → the ticket fires, the page stays silent;
 *   - ticket, 3d/6h tier: 1.5× (above 1×, below 3×) → the ticket fires, the page stays silent;
 *   - healthy: 0.5× for 6 hours → both silent throughout, and the budget left reads 50%;
 *   - short spike: 12 hours without errors, then one minute bad enough that the 5m window crosses the
 *     page threshold while the 1h window does not (both asserted) → page and ticket stay silent.
 */
import { stringify } from 'yaml';
import { alertingRule, componentGroup } from '../index.js';
import type { InputSeries } from './promtool-tests.js';
import { BURN_TIERS, burnThreshold, errorBudget, type BurnAlertTier, type SliWindow, type SloRules } from '../slo.js';

/** Events per minute in the fixtures: large enough that every ratio here is a whole number of events. */
export const EVENTS_PER_MINUTE = 10_000;

export interface Phase {
  minutes: number;
  /** Share of the minute's events that are bad. */
  badRatio: number;
}

/** Turns phases of good/bad events per minute into a cumulative promtool series: '0 10+10x4 …'. */
export function counterValues(phases: Phase[], pick: (good: number, bad: number) => number): string {
  let value = 0;
  const parts = ['0'];
  for (const p of phases) {
    const bad = Math.round(EVENTS_PER_MINUTE * p.badRatio);
    const step = pick(EVENTS_PER_MINUTE - bad, bad);
    parts.push(p.minutes === 1 ? `${value + step}` : `${value + step}+${step}x${p.minutes - 1}`);
    value += step * p.minutes;
  }
  return parts.join(' ');
}

/** An SLO's input series for the given phases: `values(pick)` is the cumulative counter of `pick(good, bad)`. */
export type SloFixture = (values: (pick: (good: number, bad: number) => number) => string) => InputSeries[];

/** Go's `humanizePercentage` (`%.4g%%` of v × 100). */
export function humanizePercentage(v: number): string {
  const text = (v * 100).toPrecision(4);
  return `${text.includes('.') ? text.replace(/\.?0+$/, '') : text}%`;
}

interface Scenario {
  name: string;
  phases: Phase[];
  /** Evaluation minute → which tiers fire (with the ratio the description shows). */
  checks: { minute: number; firing: BurnAlertTier['kind'][]; ratio?: number }[];
}

/** Long enough for every window to be full of the steady ratio up to 6h; the 1d and 3d windows see the same ratio. */
const healthyMinutes = 6 * 60;
/** Clean history before the spike: long enough that the 3d window's ratio stays under 1× budget. */
const spikeAt = 12 * 60;

function scenarios(rules: SloRules): Scenario[] {
  const budget = errorBudget(rules.spec);
  const [page, ticket] = BURN_TIERS as [BurnAlertTier, BurnAlertTier];
  const steady = (factor: number, minutes: number): Phase[] => [{ minutes, badRatio: factor * budget }];
  // One minute that every short window (5m … 6h) sees above the page threshold, but 1h does not.
  const spikeRatio = Math.min(1, 0.5 * 60 * burnThreshold(rules.spec, page.windows[0]));
  return [
    {
      name: `page through ${page.windows[0].long}/${page.windows[0].short} at 20× budget`,
      phases: steady(20, 30),
      checks: [{ minute: 20, firing: ['page', 'ticket'], ratio: 20 * budget }],
    },
    {
      name: `page through ${page.windows[1].long}/${page.windows[1].short} alone at 8× budget`,
      phases: steady(8, 60),
      checks: [{ minute: 30, firing: ['page', 'ticket'], ratio: 8 * budget }],
    },
    {
      name: `ticket through ${ticket.windows[0].long}/${ticket.windows[0].short} at 4× budget, no page`,
      phases: steady(4, 60),
      checks: [{ minute: 45, firing: ['ticket'], ratio: 4 * budget }],
    },
    {
      name: `ticket through ${ticket.windows[1].long}/${ticket.windows[1].short} alone at 1.5× budget, no page`,
      phases: steady(1.5, 60),
      checks: [{ minute: 45, firing: ['ticket'], ratio: 1.5 * budget }],
    },
    {
      name: 'healthy at 0.5× budget for 6 hours: silent',
      phases: steady(0.5, healthyMinutes + 10),
      checks: [5, 30, 60, 3 * 60, healthyMinutes].map((minute) => ({ minute, firing: [] })),
    },
    {
      name: `short spike (${humanizePercentage(spikeRatio)} bad for one minute after 12 clean hours): silent`,
      phases: [
        { minutes: spikeAt, badRatio: 0 },
        { minutes: 1, badRatio: spikeRatio },
        { minutes: 3 * 60, badRatio: 0 },
      ],
      checks: [1, 2, 3, 5, 10, 20, 30, 60, 120].map((after) => ({ minute: spikeAt + after, firing: [] })),
    },
  ];
}

export interface SloTestFiles {
  /** The SLO's own rule groups, alone in a rule file (fast to evaluate over days of samples). */
  ruleFile: string;
  testFile: string;
}

export function sloPromtoolTests(rules: SloRules, fixture: SloFixture, labels: Record<string, string>): SloTestFiles {
  const ruleFileName = `slo-${rules.spec.name}.yml`;
  const ruleFile = stringify({ groups: rules.groups.map(componentGroup) }, { lineWidth: 0 });
  const tests = scenarios(rules).map((s) => {
    const alertTests = s.checks.flatMap((c) =>
      (['page', 'ticket'] as const).map((kind) => {
        const rule = alertingRule(rules.alerts[kind]);
        if (!c.firing.includes(kind)) return { eval_time: `${c.minute}m`, alertname: rule.alert, exp_alerts: [] };
        if (c.ratio === undefined) throw new Error(`scenario ${s.name}: a firing check needs its ratio`);
        const alertLabels = { ...labels, ...rule.labels };
        const valueText = humanizePercentage(c.ratio);
        const annotations = Object.fromEntries(
          Object.entries(rule.annotations).map(([k, v]) => [
            k,
            v
              .replace(/\{\{ \$value \| humanizePercentage \}\}/g, valueText)
              .replace(
                /\{\{ \$labels\.([a-z_]+) \}\}/g,
                (_, name: string) => alertLabels[name as keyof typeof alertLabels] ?? '',
              ),
          ]),
        );
        return {
          eval_time: `${c.minute}m`,
          alertname: rule.alert,
          exp_alerts: [{ exp_labels: alertLabels, exp_annotations: annotations }],
        };
      }),
    );
    const sampleLabels = `{${Object.entries({ ...labels, slo: rules.spec.name })
      .map(([k, v]) => `${k}="${v}"`)
      .join(', ')}}`;
    const [fastPair] = BURN_TIERS[0]!.windows;
    const threshold = burnThreshold(rules.spec, fastPair);
    const promqlTests = s.name.startsWith('short spike')
      ? // The spike is real: the short window sees it above the page threshold; the long window holds the page back.
        [
          { window: fastPair.short, expected: 1 },
          { window: fastPair.long, expected: 0 },
        ].map(({ window, expected }) => ({
          expr: `${rules.recordings.ratios[window as SliWindow].series().text} > bool ${threshold}`,
          eval_time: `${spikeAt + 1}m`,
          exp_samples: [{ labels: sampleLabels, value: expected }],
        }))
      : s.name.startsWith('healthy')
        ? [
            {
              expr: `round(${rules.recordings.budgetRemaining.series().text}, 0.001)`,
              eval_time: `${healthyMinutes}m`,
              exp_samples: [{ labels: sampleLabels, value: 0.5 }],
            },
          ]
        : [];
    return {
      name: `${rules.spec.name}: ${s.name}`,
      interval: '1m',
      input_series: fixture((pick) => counterValues(s.phases, pick)),
      alert_rule_test: alertTests,
      ...(promqlTests.length ? { promql_expr_test: promqlTests } : {}),
    };
  });
  return {
    ruleFile,
    testFile: stringify({ rule_files: [ruleFileName], evaluation_interval: '1m', tests }, { lineWidth: 0 }),
  };
}

export const sloRuleFileName = (rules: SloRules) => `slo-${rules.spec.name}.yml`;
