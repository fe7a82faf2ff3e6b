/**
 * The shape of an alert as code: the PromQL (typed, from ../observability/promql.ts), how long it must
 * hold, who gets paged, and the runbook text. From these `index.ts` renders plain Prometheus rule
 * groups and `runbooks.ts` renders docs/runbooks/<AlertName>.md, so the two cannot drift apart.
 */
import type { Duration, Recording, Vector } from '../observability/promql.js';

export type Severity = 'critical' | 'warning' | 'info';

export interface Runbook {
  /** What the alert means for users, in a few sentences. */
  meaning: string;
  /** How to confirm it is real: queries, commands, dashboards. */
  confirm: string;
  /** What to do, in order. */
  act: string;
}

export interface AlertDefinition {
  /** CamelCase; also the runbook file name. */
  name: string;
  severity: Severity;
  expr: Vector<string>;
  /** How long the condition must hold: chosen per alert so one scrape never pages anyone. */
  for: Duration;
  /** One plain sentence, no templating. */
  summary: string;
  /** Templated with `{{ $labels.x }}` and `{{ $value | humanize… }}`. */
  description: string;
  /** The dashboard (uid) an on-call opens first. */
  dashboard: string;
  runbook: Runbook;
  /** Extra routing labels (SLO alerts carry `slo`); `severity` and `team` are always set. */
  labels?: Readonly<Record<string, string>>;
}

/** How each severity reaches people: critical pages the on-call, warning opens a ticket, info stays on dashboards. */
export const NOTIFICATION: Record<Severity, 'page' | 'ticket' | 'none'> = {
  critical: 'page',
  warning: 'ticket',
  info: 'none',
};

export interface ComponentRules {
  /** Rule group name: one small group per component. */
  group: string;
  /** Recording rules, evaluated before the alerts of the same group (same evaluation timestamp). */
  recordings: Recording<string>[];
  alerts: AlertDefinition[];
}

/** Where runbooks live; `runbook_url` annotations point at these files in the repository. */
export const RUNBOOK_BASE_URL = 'https://github.com/halilit/hsc-jit/blob/main/docs/runbooks';
export const runbookPath = (alertName: string) => `docs/runbooks/${alertName}.md`;
export const runbookUrl = (alertName: string) => `${RUNBOOK_BASE_URL}/${alertName}.md`;
