/**
 * Dashboard lint: stable unique uids; datasource, namespace and pod variables and the deploy annotation
 * on every dashboard (rendered per stack, the namespace defaulting to the stack's); a unit, a parsable
 * query scoped to the selected namespace, a log link and runbook links on every panel; USE panels for
 * every workload; RED per route and per frame type.
 */
import { describe, expect, it } from 'vitest';
import { metrics } from '../app/shared/telemetry/catalog.js';
import { promqlErrors } from '../observability/promql.js';
import { alertDefinitions } from '../alerts/index.js';
import { runbookUrl } from '../alerts/define.js';
import { slos } from '../alerts/slos/index.js';
import { stacks } from '../platform/render/stacks.js';
import { dashboards } from './index.js';
import { deployAnnotationExpr, LOKI_DATASOURCE_UID } from './panels.js';
import { annotationsOf, panelsOf, variablesOf } from './queries.js';
import { WORKLOAD_CONTAINERS } from './workloads.js';

const all = dashboards();

/** The LogQL of an Explore link, checking it opens Loki over the dashboard's time range. */
function logQueryOf(url: string): string {
  const panes = JSON.parse(url.split('panes=')[1] ?? '') as {
    logs: { datasource: string; queries: { expr: string }[]; range: { from: string; to: string } };
  };
  expect(panes.logs.datasource).toBe(LOKI_DATASOURCE_UID);
  expect(panes.logs.range).toEqual({ from: '${__from}', to: '${__to}' });
  return panes.logs.queries[0]?.expr ?? '';
}

describe('dashboards lint', () => {
  it('has the five dashboards with stable, unique uids', () => {
    const uids = all.map((d) => d.uid);
    expect(uids).toEqual([
      'hsc-jit-overview',
      'hsc-jit-slos',
      'hsc-jit-manuals',
      'hsc-jit-datastores',
      'hsc-jit-workloads',
    ]);
    expect(new Set(uids).size).toBe(uids.length);
    for (const d of all) expect((d.json as { uid: string }).uid).toBe(d.uid);
  });

  it('renders byte-identical JSON twice', () => {
    expect(JSON.stringify(dashboards())).toBe(JSON.stringify(all));
  });

  it.each(Object.values(stacks).map((s) => [s.name, s] as const))(
    '%s: every dashboard has datasource, namespace (defaulting to the stack) and pod variables, and deploy annotations',
    (_name, stack) => {
      for (const d of dashboards(stack)) {
        const vars = variablesOf(d.json);
        expect(vars.map((v) => v.name)).toEqual(['datasource', 'namespace', 'pod']);
        expect(vars[0]).toMatchObject({ type: 'datasource', query: 'prometheus' });
        expect(vars[1]).toMatchObject({
          type: 'query',
          query: `label_values(${metrics.buildInfo.name}, namespace)`,
          current: { value: stack.namespace },
        });
        // Pods follow the namespace; "All" must match any pod, not the literal string.
        expect(vars[2]).toMatchObject({
          type: 'query',
          query: 'label_values(up{namespace="$namespace"}, pod)',
          includeAll: true,
          allValue: '.+',
        });
        const deploys = annotationsOf(d.json).find((a) => a.name === 'Deploys');
        expect(deploys, `${d.uid} has no deploy annotation`).toMatchObject({
          enable: true,
          expr: deployAnnotationExpr.text,
          titleFormat: 'Deploy {{version}}',
          datasource: { uid: '${datasource}' },
        });
        expect(deploys?.expr).toContain('hsc_jit_build_info{namespace="$namespace"}');
        expect(promqlErrors(deploys?.expr ?? '')).toEqual([]);
      }
    },
  );

  it.each(all.map((d) => [d.uid, d] as const))(
    '%s: units, parsable namespace-scoped queries, log and runbook links',
    (_uid, d) => {
      const panels = panelsOf(d.json);
      expect(panels.length).toBeGreaterThan(3);
      for (const p of panels) {
        expect(p.unit, `panel "${p.title}" has no unit`).toBeTruthy();
        expect(p.datasource?.uid).toBe('${datasource}');
        expect(p.exprs.length, `panel "${p.title}" has no query`).toBeGreaterThan(0);
        for (const expr of p.exprs) {
          expect(promqlErrors(expr), expr).toEqual([]);
          expect(expr, `panel "${p.title}" ignores the namespace variable`).toContain('namespace="$namespace"');
        }
        const logs = p.links.find((l) => l.startsWith('/explore?'));
        expect(logs, `panel "${p.title}" has no log link`).toBeDefined();
        expect(logQueryOf(logs!)).toMatch(/^\{namespace="\$\{namespace\}", pod=~"\$\{pod:regex\}"\}/);
        // A series that is one pod links to that pod's logs.
        for (const link of p.dataLinks)
          expect(logQueryOf(link)).toMatch(/^\{namespace="\$\{namespace\}", pod="\$\{__field\.labels\.pod\}"\}/);
      }
    },
  );

  it("links every alert's runbook from at least one panel, and only runbooks of existing alerts", () => {
    const linked = new Set(
      all.flatMap((d) => panelsOf(d.json).flatMap((p) => p.links.filter((l) => l.startsWith('http')))),
    );
    const urls = new Set(alertDefinitions().map((a) => runbookUrl(a.name)));
    for (const url of urls) expect(linked, url).toContain(url);
    for (const url of linked) expect(urls).toContain(url);
  });

  it('every SLO has an error-budget-remaining panel, an error-ratio panel and a burn-rate panel', () => {
    const slo = all.find((d) => d.uid === 'hsc-jit-slos')!;
    const panels = panelsOf(slo.json);
    for (const { spec, recordings } of slos) {
      const budget = panels.find((p) => p.title === `${spec.name}: error budget remaining`);
      expect(budget?.exprs).toEqual([recordings.budgetRemaining.series({ namespace: '$namespace' }).text]);
      expect(panels.find((p) => p.title === `${spec.name}: burn rate`)?.exprs).toHaveLength(4);
    }
  });

  it('has USE panels for every workload: CPU vs request and limit, throttling, memory vs limit, restarts', () => {
    const use = panelsOf(all.find((d) => d.uid === 'hsc-jit-workloads')!.json);
    for (const container of WORKLOAD_CONTAINERS) {
      const of = (suffix: string) => use.find((p) => p.title === `${container}: ${suffix}`)?.exprs.join('\n') ?? '';
      const c = `container="${container}"`;
      expect(of('CPU vs request and limit')).toMatch(new RegExp(`container_cpu_usage_seconds_total\\{[^}]*${c}`));
      expect(of('CPU vs request and limit')).toContain('kube_pod_container_resource_requests');
      expect(of('CPU vs request and limit')).toContain('kube_pod_container_resource_limits');
      expect(of('CPU throttling')).toContain('container_cpu_cfs_throttled_periods_total');
      expect(of('memory vs limit')).toMatch(/container_memory_working_set_bytes[\s\S]*resource="memory"/);
      expect(of('restarts (15 m)')).toContain('kube_pod_container_status_restarts_total');
    }
  });

  it('has RED per HTTP route and per WebSocket frame type', () => {
    const overview = panelsOf(all.find((d) => d.uid === 'hsc-jit-overview')!.json);
    const exprs = (title: string) => overview.find((p) => p.title === title)?.exprs.join('\n') ?? '';
    expect(exprs('HTTP requests by route')).toMatch(/sum by \(route\) \(rate\(http_requests_total/);
    expect(exprs('HTTP errors by route')).toMatch(/status=~"5\.\."/);
    expect(exprs('HTTP latency p95 by route')).toMatch(/by \(route, le\)/);
    expect(exprs('Frames handled by type')).toMatch(/sum by \(type\) \(rate\(websocket_frame_duration_seconds_count/);
    expect(exprs('Frame errors by type and outcome')).toContain('outcome!="ok"');
    expect(exprs('Frame duration p99 by type')).toMatch(/by \(type, le\)/);
  });
});
