/**
 * Generates `promtool test rules` files from typed test cases. Per alert, three checks:
 *   - with the firing input, nothing fires one evaluation before `for:` expires (it is only pending);
 *   - at `for:` it fires, with exactly the expected labels and rendered annotations;
 *   - with healthy input it stays silent, long after `for:`.
 * Series are written through the typed selectors, so a test cannot feed a metric or label that the
 * catalog does not declare.
 */
import { stringify } from 'yaml';
import type { Selector } from '../../observability/promql.js';
import { alertingRule } from '../index.js';
import type { AlertDefinition } from '../define.js';

export interface InputSeries {
  series: string;
  /** promtool expanding notation, one sample per minute: '0+60x30', '5x20'. */
  values: string;
}

/** One input series from a typed selector with equality matchers (exactly promtool's series syntax). */
export const input = (selector: Selector<string, 'counter' | 'gauge'>, values: string): InputSeries => ({
  series: selector.text,
  values,
});

export interface AlertCase {
  alert: string;
  firing: InputSeries[];
  /** First evaluation minute (evaluation every 1m from 0) at which the expression holds. */
  trueFromMinute: number;
  /** The alert's labels besides alertname and the rule's own labels. */
  labels: Record<string, string>;
  /** How `{{ $value … }}` renders in the description at firing time. */
  valueText: string;
  healthy: InputSeries[];
}

const MINUTES = /^(\d+)m$/;
function minutes(duration: string): number {
  const m = MINUTES.exec(duration);
  if (!m) throw new Error(`test generator needs a for: in whole minutes, got "${duration}"`);
  return Number(m[1]);
}

/** Renders the subset of Go templating our annotations may use (the lint rejects anything else). */
export function renderAnnotation(template: string, labels: Record<string, string>, valueText: string): string {
  return template
    .replace(/\{\{ \$labels\.([a-zA-Z_][a-zA-Z0-9_]*) \}\}/g, (_, name: string) => {
      const value = labels[name];
      if (value === undefined)
        throw new Error(`annotation uses $labels.${name}, which the test case's alert labels lack`);
      return value;
    })
    .replace(/\{\{ \$value( \| humanize[a-zA-Z]*)? \}\}/g, valueText);
}

export interface PromtoolTestFile {
  rule_files: string[];
  evaluation_interval: string;
  tests: unknown[];
}

export function promtoolTests(ruleFile: string, definitions: AlertDefinition[], cases: AlertCase[]): PromtoolTestFile {
  const tests = cases.map((c) => {
    const definition = definitions.find((d) => d.name === c.alert);
    if (!definition) throw new Error(`test case for unknown alert ${c.alert}`);
    const rule = alertingRule(definition);
    const fireAt = c.trueFromMinute + minutes(definition.for);
    const labels = { ...c.labels, ...rule.labels };
    const annotations = Object.fromEntries(
      Object.entries(rule.annotations).map(([k, v]) => [k, renderAnnotation(v, labels, c.valueText)]),
    );
    return [
      {
        name: `${c.alert}: pending one evaluation before for (${definition.for}), firing at it`,
        interval: '1m',
        input_series: c.firing,
        alert_rule_test: [
          { eval_time: `${fireAt - 1}m`, alertname: c.alert, exp_alerts: [] },
          {
            eval_time: `${fireAt}m`,
            alertname: c.alert,
            exp_alerts: [{ exp_labels: labels, exp_annotations: annotations }],
          },
        ],
      },
      {
        name: `${c.alert}: silent on healthy series`,
        interval: '1m',
        input_series: c.healthy,
        alert_rule_test: [
          { eval_time: `${fireAt}m`, alertname: c.alert, exp_alerts: [] },
          { eval_time: `${fireAt * 3}m`, alertname: c.alert, exp_alerts: [] },
        ],
      },
    ];
  });
  return { rule_files: [ruleFile], evaluation_interval: '1m', tests: tests.flat() };
}

export const renderPromtoolTests = (file: PromtoolTestFile): string => stringify(file, { lineWidth: 0 });
