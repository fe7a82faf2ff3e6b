/**
 * Typed PromQL, built from metric declarations (../app/telemetry/catalog.ts, ./external-metrics.ts).
 *
 * Every expression carries, as a phantom type, the set of label names its series can have. Selectors
 * take matchers typed by the metric's labels, `sumBy` accepts only labels the input still has, `rate`
 * only accepts counters, `histogramQuantile` only vectors that kept `le`. So a renamed metric, a typo
 * in a label or a quantile over a vector that aggregated `le` away fails `tsc`, not a dashboard.
 *
 * The output is plain PromQL text (`expr.text`); `promqlErrors` parses it with the official Lezer
 * grammar so nothing unparsable ever leaves the program.
 */
import { parser } from '@prometheus-io/lezer-promql';
import type { LabelOf, MetricDeclaration } from '../app/shared/telemetry/catalog.js';

/** Labels Prometheus (and the Operator's ServiceMonitor/PodMonitor) attach to every scraped series. */
type TargetLabel = 'job' | 'instance' | 'namespace' | 'pod';

export type Duration = `${number}${'ms' | 's' | 'm' | 'h' | 'd' | 'w'}`;

declare const labelSet: unique symbol;
declare const sampleKind: unique symbol;

/** An instant-vector expression whose series carry (at most) the labels `L`. */
export interface Vector<L extends string> {
  readonly text: string;
  /** True when the text needs no parentheses as an operand (selector, function call, aggregation). */
  readonly atomic: boolean;
  readonly [labelSet]?: L;
}

/** A plain series selector; `K` says whether `rate`/`increase` make sense on it. */
export interface Selector<L extends string, K extends 'counter' | 'gauge'> extends Vector<L> {
  readonly [sampleKind]?: K;
  readonly metricName: string;
}

type MatchOp = '=' | '!=' | '=~' | '!~';
interface Matcher {
  readonly op: MatchOp;
  readonly value: string;
}
/** A plain string means equality. */
export type Matchers<L extends string> = { readonly [K in L]?: string | Matcher };

export const eq = (value: string): Matcher => ({ op: '=', value });
export const ne = (value: string): Matcher => ({ op: '!=', value });
export const re = (value: string): Matcher => ({ op: '=~', value });
export const nre = (value: string): Matcher => ({ op: '!~', value });

type Declaration<K extends MetricDeclaration['kind']> = MetricDeclaration<string, K, string>;

const vector = <L extends string>(text: string, atomic: boolean): Vector<L> => ({ text, atomic });
const operand = (v: Vector<string> | number): string =>
  typeof v === 'number' ? formatNumber(v) : v.atomic ? v.text : `(${v.text})`;

function formatNumber(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (!Number.isFinite(n)) return n > 0 ? '+Inf' : '-Inf';
  return String(n);
}

/** PromQL double-quoted strings use Go escapes, which JSON's escaping is a subset of. */
const quote = (value: string): string => JSON.stringify(value);

function selectorText(name: string, matchers: Record<string, string | Matcher | undefined> = {}): string {
  const parts = Object.entries(matchers)
    .filter((entry): entry is [string, string | Matcher] => entry[1] !== undefined)
    .map(([label, m]) => (typeof m === 'string' ? `${label}=${quote(m)}` : `${label}${m.op}${quote(m.value)}`));
  return parts.length === 0 ? name : `${name}{${parts.join(', ')}}`;
}

function selector<L extends string, K extends 'counter' | 'gauge'>(
  name: string,
  matchers?: Record<string, string | Matcher | undefined>,
): Selector<L, K> {
  return { text: selectorText(name, matchers), atomic: true, metricName: name };
}

type SeriesKind<D> = D extends Declaration<'counter'> ? 'counter' : 'gauge';

/** The series of a counter or gauge. */
export function series<D extends Declaration<'counter'> | Declaration<'gauge'>>(
  metric: D,
  matchers?: Matchers<LabelOf<D> | TargetLabel>,
): Selector<LabelOf<D> | TargetLabel, SeriesKind<D>> {
  return selector(metric.name, matchers);
}

/** A histogram's `_bucket` series (they keep `le`, so `histogramQuantile` accepts them). */
export function buckets<D extends Declaration<'histogram'>>(
  metric: D,
  matchers?: Matchers<LabelOf<D> | TargetLabel | 'le'>,
): Selector<LabelOf<D> | TargetLabel | 'le', 'counter'> {
  return selector(`${metric.name}_bucket`, matchers);
}

/** A histogram's `_count` series (observations so far). */
export function observations<D extends Declaration<'histogram'>>(
  metric: D,
  matchers?: Matchers<LabelOf<D> | TargetLabel>,
): Selector<LabelOf<D> | TargetLabel, 'counter'> {
  return selector(`${metric.name}_count`, matchers);
}

/** The selector's values `by` ago (a plain vector: `rate()` of it would need the range before the offset). */
export function offset<L extends string>(s: Selector<L, 'counter' | 'gauge'>, by: Duration): Vector<L> {
  return vector(`${s.text} offset ${by}`, true);
}

// ---- range functions ---------------------------------------------------------------------------

export function rate<L extends string>(s: Selector<L, 'counter'>, window: Duration): Vector<L> {
  return vector(`rate(${s.text}[${window}])`, true);
}

export function increase<L extends string>(s: Selector<L, 'counter'>, window: Duration): Vector<L> {
  return vector(`increase(${s.text}[${window}])`, true);
}

type OverTime = 'avg' | 'min' | 'max' | 'last' | 'count' | 'sum';
/** `<fn>_over_time` of a gauge (or a recorded series). */
export function overTime<L extends string>(fn: OverTime, s: Selector<L, 'gauge'>, window: Duration): Vector<L> {
  return vector(`${fn}_over_time(${s.text}[${window}])`, true);
}

/** How often a gauge changed value in the window (restarts, flapping links). */
export function changes<L extends string>(s: Selector<L, 'gauge'>, window: Duration): Vector<L> {
  return vector(`changes(${s.text}[${window}])`, true);
}

// ---- aggregation -------------------------------------------------------------------------------

type AggregationOp = 'sum' | 'avg' | 'min' | 'max' | 'count';

/** `op by (labels) (v)`: only labels `v` still carries are accepted. */
export function aggregateBy<L extends string, K extends L>(
  op: AggregationOp,
  by: readonly K[],
  v: Vector<L>,
): Vector<K> {
  const clause = by.length === 0 ? '' : ` by (${by.join(', ')})`;
  return vector(`${op}${clause} (${v.text})`, true);
}

export const sumBy = <L extends string, K extends L>(by: readonly K[], v: Vector<L>): Vector<K> =>
  aggregateBy('sum', by, v);
export const maxBy = <L extends string, K extends L>(by: readonly K[], v: Vector<L>): Vector<K> =>
  aggregateBy('max', by, v);
/** Aggregate everything into one series. */
export const sum = <L extends string>(v: Vector<L>): Vector<never> => aggregateBy<L, never>('sum', [], v);

/**
 * `histogram_quantile(q, v)`. The rest argument is a compile-time check: when `v` lost `le`
 * (aggregated without it), the call needs an impossible extra argument and fails to type-check.
 */
export function histogramQuantile<L extends string>(
  q: number,
  v: Vector<L>,
  ..._needsLe: 'le' extends L ? [] : [error: 'aggregate by (le, …) before histogram_quantile']
): Vector<Exclude<L, 'le'>> {
  if (!(q >= 0 && q <= 1)) throw new RangeError(`quantile must be within 0..1, got ${q}`);
  return vector(`histogram_quantile(${formatNumber(q)}, ${v.text})`, true);
}

// ---- binary operators --------------------------------------------------------------------------

type ArithmeticOp = '+' | '-' | '*' | '/';
type ComparisonOp = '>' | '<' | '>=' | '<=' | '==' | '!=';
type SetOp = 'and' | 'or' | 'unless';

interface Matching<K extends string> {
  readonly on?: readonly K[];
  readonly ignoring?: readonly K[];
  readonly groupLeft?: readonly K[];
}

function matchingText(m: Matching<string> | undefined): string {
  if (!m) return '';
  let text = '';
  if (m.on) text += ` on (${m.on.join(', ')})`;
  if (m.ignoring) text += ` ignoring (${m.ignoring.join(', ')})`;
  if (m.groupLeft) text += ` group_left (${m.groupLeft.join(', ')})`;
  return text;
}

/** `left op right`; the result keeps the left side's labels (one-to-one or group_left matching). */
export function binary<L extends string, R extends string>(
  left: Vector<L>,
  op: ArithmeticOp | ComparisonOp | SetOp,
  right: Vector<R> | number,
  matching?: Matching<L & R>,
): Vector<L> {
  if (typeof right === 'number' && (op === 'and' || op === 'or' || op === 'unless')) {
    throw new TypeError(`set operator ${op} needs a vector on both sides`);
  }
  return vector(`${operand(left)} ${op}${matchingText(matching)} ${operand(right)}`, false);
}

export const ratio = <L extends string, R extends string>(
  num: Vector<L>,
  den: Vector<R>,
  matching?: Matching<L & R>,
): Vector<L> => binary(num, '/', den, matching);
export const gt = <L extends string>(v: Vector<L>, threshold: number): Vector<L> => binary(v, '>', threshold);
export const lt = <L extends string>(v: Vector<L>, threshold: number): Vector<L> => binary(v, '<', threshold);
export const and = <L extends string, R extends string>(
  a: Vector<L>,
  b: Vector<R>,
  matching?: Matching<L & R>,
): Vector<L> => binary(a, 'and', b, matching);
export const or = <L extends string, R extends string>(
  a: Vector<L>,
  b: Vector<R>,
  matching?: Matching<L & R>,
): Vector<L | R> => binary(a, 'or', b, matching) as Vector<L | R>;

/** `n op v` with the number on the left (`1 - ratio`): the result keeps `v`'s labels. */
export function scalarLeft<L extends string>(n: number, op: ArithmeticOp, v: Vector<L>): Vector<L> {
  return vector(`${formatNumber(n)} ${op} ${operand(v)}`, false);
}

/**
 * `label_replace(v, "label", "value", "", "")`: sets a constant label, so series of different metrics
 * with otherwise equal labels stay apart under `or`.
 */
export function withLabel<L extends string, K extends string>(v: Vector<L>, label: K, value: string): Vector<L | K> {
  return vector(`label_replace(${v.text}, ${quote(label)}, ${quote(value)}, "", "")`, true);
}

/**
 * `bad / all` that reads 0, not "no data", while there are no bad events yet: a counter with a label
 * value that never occurred (status="503") has no series, so the plain ratio would be empty.
 */
export function errorRatio<L extends string>(bad: Vector<L>, all: Vector<L>): Vector<L> {
  return ratio(or(bad, binary(all, '*', 0)), all) as Vector<L>;
}

/** `time() - s`: the age in seconds of a Unix-timestamp gauge (last backup, last successful run). */
export function secondsSince<L extends string>(s: Selector<L, 'gauge'>): Vector<L> {
  return vector(`time() - ${s.text}`, false);
}

/** `absent(s)`: one series when the selector matches nothing. */
export function absent<L extends string>(s: Selector<L, 'counter' | 'gauge'>): Vector<L> {
  return vector(`absent(${s.text})`, true);
}

// ---- recording rules ---------------------------------------------------------------------------

export interface Recording<L extends string> {
  readonly record: string;
  readonly expr: Vector<L>;
  /** Constant labels the rule adds (`slo="predictions"`): one record name can then serve several SLOs. */
  readonly labels?: Readonly<Record<string, string>>;
  /** Select the recorded series (a gauge: recorded rates and ratios must not be rate()'d again); matches `labels` too. */
  series(matchers?: Matchers<L>): Selector<L, 'gauge'>;
}

const RECORD_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

/** Declares a recording rule `level:metric:operation` and gives typed access to its output. */
export function recording<L extends string, K extends string = never>(
  record: string,
  expr: Vector<L>,
  labels?: Readonly<Record<K, string>>,
): Recording<L | K> {
  if (!RECORD_NAME.test(record)) throw new TypeError(`invalid recording rule name "${record}"`);
  return {
    record,
    expr,
    ...(labels ? { labels } : {}),
    series: (matchers) => selector(record, { ...labels, ...matchers }),
  };
}

// ---- parsing -----------------------------------------------------------------------------------

/**
 * Parses `text` with the official PromQL Lezer grammar; returns one message per error node (empty:
 * it parses). Used by tests and by the lint over every rule and panel query.
 */
export function promqlErrors(text: string): string[] {
  if (text.trim() === '') return ['empty expression'];
  const errors: string[] = [];
  const tree = parser.parse(text);
  tree.iterate({
    enter(node) {
      if (node.type.isError)
        errors.push(`syntax error at ${node.from}: …${text.slice(Math.max(0, node.from - 20), node.to + 20)}…`);
    },
  });
  return errors;
}
