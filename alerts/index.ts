/**
 * Every rule group, as plain Prometheus rule objects. The platform (deploy/, PrometheusRule) and the
 * tests call `ruleGroups()`; `renderRuleFile()` is the exact text of a Prometheus rule file.
 */
import { stringify } from 'yaml';
import { cacheRules } from './components/cache.js';
import { gatewayRules } from './components/gateway.js';
import { kubernetesRules } from './components/kubernetes.js';
import { manualsRules } from './components/manuals.js';
import { postgresBackupRules, postgresRules } from './components/postgres.js';
import { predictorRules } from './components/predictor.js';
import { redisRules } from './components/redis.js';
import { runbookUrl, type AlertDefinition, type ComponentRules } from './define.js';
import { slos } from './slos/index.js';

export interface PrometheusRecordingRule {
  record: string;
  expr: string;
  labels?: Record<string, string>;
}
export interface PrometheusAlertingRule {
  alert: string;
  expr: string;
  for: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}
export type PrometheusRule = PrometheusRecordingRule | PrometheusAlertingRule;
export interface PrometheusRuleGroup {
  name: string;
  rules: PrometheusRule[];
}

/** One entry per component, in a stable order (the rendered output is diffed byte for byte). */
export const components: readonly ComponentRules[] = [
  ...slos.flatMap((s) => s.groups),
  gatewayRules,
  predictorRules,
  manualsRules,
  cacheRules,
  redisRules,
  postgresRules,
  postgresBackupRules,
  kubernetesRules,
];

export function alertDefinitions(): AlertDefinition[] {
  return components.flatMap((c) => c.alerts);
}

export function alertingRule(a: AlertDefinition): PrometheusAlertingRule {
  return {
    alert: a.name,
    expr: a.expr.text,
    for: a.for,
    labels: { ...a.labels, severity: a.severity, team: 'hsc-jit' },
    annotations: {
      summary: a.summary,
      description: a.description,
      runbook_url: runbookUrl(a.name),
      dashboard_uid: a.dashboard,
    },
  };
}

export function componentGroup(c: ComponentRules): PrometheusRuleGroup {
  return {
    name: c.group,
    rules: [
      ...c.recordings.map((r) => ({
        record: r.record,
        expr: r.expr.text,
        ...(r.labels ? { labels: { ...r.labels } } : {}),
      })),
      ...c.alerts.map(alertingRule),
    ],
  };
}

export function ruleGroups(): PrometheusRuleGroup[] {
  return components.map(componentGroup);
}

/** The rule file Prometheus loads (`rule_files:`), deterministic for the same input. */
export function renderRuleFile(groups: PrometheusRuleGroup[] = ruleGroups()): string {
  return stringify({ groups }, { lineWidth: 0, sortMapEntries: false });
}
