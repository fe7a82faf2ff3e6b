/** Dashboard lint: stable unique uids, the datasource variable, a unit on every panel, queries that parse, runbook links. */
import { describe, expect, it } from 'vitest';
import { promqlErrors } from '../app/telemetry/promql.js';
import { alertDefinitions } from '../alerts/index.js';
import { runbookUrl } from '../alerts/define.js';
import { dashboards } from './index.js';
import { panelsOf } from './queries.js';

const all = dashboards();

describe('dashboards lint', () => {
  it('has the three dashboards with stable, unique uids', () => {
    const uids = all.map((d) => d.uid);
    expect(uids).toEqual(['hsc-jit-overview', 'hsc-jit-manuals', 'hsc-jit-datastores']);
    expect(new Set(uids).size).toBe(uids.length);
    for (const d of all) expect((d.json as { uid: string }).uid).toBe(d.uid);
  });

  it('renders byte-identical JSON twice', () => {
    expect(JSON.stringify(dashboards())).toBe(JSON.stringify(all));
  });

  it.each(all.map((d) => [d.uid, d] as const))('%s: datasource variable, units, parsable queries', (_uid, d) => {
    const json = d.json as { templating: { list: { type: string; name: string; query: string }[] } };
    expect(json.templating.list).toContainEqual(
      expect.objectContaining({ type: 'datasource', name: 'datasource', query: 'prometheus' }),
    );
    const panels = panelsOf(d.json);
    expect(panels.length).toBeGreaterThan(3);
    for (const p of panels) {
      expect(p.unit, `panel "${p.title}" has no unit`).toBeTruthy();
      expect(p.datasource?.uid).toBe('${datasource}');
      expect(p.exprs.length, `panel "${p.title}" has no query`).toBeGreaterThan(0);
      for (const expr of p.exprs) expect(promqlErrors(expr), expr).toEqual([]);
    }
  });

  it("links every alert's runbook from at least one panel, and only runbooks of existing alerts", () => {
    const linked = new Set(all.flatMap((d) => panelsOf(d.json).flatMap((p) => p.links)));
    const urls = new Set(alertDefinitions().map((a) => runbookUrl(a.name)));
    for (const url of urls) expect(linked, url).toContain(url);
    for (const url of linked) expect(urls).toContain(url);
  });
});
