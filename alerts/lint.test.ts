/** Lint in the spirit of `mixtool lint`: names, severities, annotations, runbooks, PromQL that parses. */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { promqlErrors } from '../observability/promql.js';
import { dashboards } from '../dashboards/index.js';
import { runbookPath, runbookUrl } from './define.js';
import { alertDefinitions, ruleGroups, type PrometheusAlertingRule, type PrometheusRecordingRule } from './index.js';
import { renderRunbook, repositoryRoot } from './runbooks.js';

const groups = ruleGroups();
const alerts = groups.flatMap((g) => g.rules).filter((r): r is PrometheusAlertingRule => 'alert' in r);
const recordings = groups.flatMap((g) => g.rules).filter((r): r is PrometheusRecordingRule => 'record' in r);

/** The only templating annotations may use (helpers/promtool-tests.ts renders exactly these). */
const ALLOWED_TEMPLATE = /^\{\{ (\$labels\.[a-zA-Z_][a-zA-Z0-9_]*|\$value( \| humanize(Percentage|Duration)?)?) \}\}$/;

describe('alert rules lint', () => {
  it('has at least the alerts the issue asks for', () => {
    const names = alerts.map((a) => a.alert);
    for (const required of [
      'HttpHighLatency',
      'PodCrashLooping',
      'ContainerMemoryNearLimit',
      ...['Predictions', 'Availability', 'Answers', 'Manuals'].flatMap((slo) => [
        `${slo}BudgetBurnPage`,
        `${slo}BudgetBurnTicket`,
      ]),
      'WebSocketSaturation',
      'QueueBacklogHigh',
      'JobFailureRateHigh',
      'RedisDown',
      'RedisSentinelQuorumLost',
      'RedisMemoryNearMax',
      'PostgresReplicaLagging',
      'PostgresReplicaLagCritical',
      'CacheHitRateCollapse',
    ])
      expect(names).toContain(required);
  });

  it.each(alerts.map((a) => [a.alert, a] as const))('%s: name, severity, for, annotations', (name, a) => {
    expect(name).toMatch(/^[A-Z][a-z0-9]+([A-Z][a-z0-9]*)+$/);
    expect(['critical', 'warning', 'info']).toContain(a.labels.severity);
    // A `for:` of at least a minute: no alert pages on a single bad scrape.
    expect(a.for).toMatch(/^([1-9]\d*m|[1-9]\d*h)$/);
    const { summary, description, runbook_url } = a.annotations;
    expect(summary, 'summary is one plain sentence').toMatch(/^[A-Za-z][^{}]*\.$/);
    expect(description, 'description is templated').toMatch(/\{\{ \$/);
    for (const token of description?.match(/\{\{.*?\}\}/g) ?? []) expect(token).toMatch(ALLOWED_TEMPLATE);
    expect(runbook_url).toBe(runbookUrl(name));
  });

  it.each(alertDefinitions().map((a) => [a.name, a] as const))(
    '%s: runbook file exists, has Meaning/Confirm/Act, is up to date',
    async (name, a) => {
      const text = await readFile(join(repositoryRoot, runbookPath(name)), 'utf8');
      for (const section of ['## Meaning', '## Confirm', '## Act']) expect(text).toContain(section);
      expect(text, 'run `npm run runbooks`').toBe(renderRunbook(a));
    },
  );

  it('alert names are unique and every dashboard_uid exists', () => {
    const names = alerts.map((a) => a.alert);
    expect(new Set(names).size).toBe(names.length);
    const uids = new Set(dashboards().map((d) => d.uid));
    for (const a of alerts) expect(uids).toContain(a.annotations.dashboard_uid);
  });

  it('recording rules are named level:metric:operations and unique with their labels', () => {
    for (const r of recordings) expect(r.record).toMatch(/^[a-z_]+:[a-z0-9_]+:[a-z0-9_]+$/);
    const identities = recordings.map((r) => `${r.record}${JSON.stringify(r.labels ?? {})}`);
    expect(new Set(identities).size).toBe(identities.length);
  });

  it('the 5% HTTP threshold alert is gone: server errors are the availability SLO', () => {
    expect(alerts.map((a) => a.alert)).not.toContain('HttpHighErrorRate');
    const availability = alerts.filter((a) => a.labels.slo === 'availability').map((a) => a.labels.severity);
    expect(availability.sort()).toEqual(['critical', 'warning']);
  });

  it('groups are small', () => {
    for (const g of groups) expect(g.rules.length, g.name).toBeLessThanOrEqual(12);
  });

  it('every expression parses with the PromQL grammar', () => {
    for (const r of [...alerts.map((a) => a.expr), ...recordings.map((r) => r.expr)])
      expect(promqlErrors(r), r).toEqual([]);
  });
});
