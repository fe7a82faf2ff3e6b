/**
 * The rules against the real promtool: `check rules` on the rendered file, and `test rules` for every
 * alert (pending just before `for:`, firing at it with exact labels and annotations, silent when
 * healthy). One promtool test file per component, generated from ./cases.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { casesByComponent } from './helpers/cases/index.js';
import { sloFixtures } from './helpers/cases/slos.js';
import { sloPromtoolTests, sloRuleFileName } from './helpers/slo-tests.js';
import { slos } from './slos/index.js';
import { alertDefinitions, renderRuleFile } from './index.js';
import { promtoolTests, renderPromtoolTests } from './helpers/promtool-tests.js';
import { runPromtool } from './helpers/promtool.js';
import { gatewayTarget, workerTarget } from './helpers/cases/targets.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hsc-jit-rules-'));
  await writeFile(join(dir, 'rules.yml'), renderRuleFile());
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('rendered rule file', () => {
  it('passes promtool check rules', async () => {
    const result = await runPromtool(['check', 'rules', join(dir, 'rules.yml')]);
    expect(result.stderr + result.stdout).toContain('SUCCESS');
    expect(result.code, result.stderr).toBe(0);
  });

  it('is byte-identical when rendered twice', () => {
    expect(renderRuleFile()).toBe(renderRuleFile());
  });

  it('has a promtool test case for every alert, and none for alerts that do not exist', () => {
    const tested = [
      ...Object.values(casesByComponent)
        .flat()
        .map((c) => c.alert),
      ...slos.filter((s) => sloFixtures[s.spec.name]).flatMap((s) => [s.alerts.page.name, s.alerts.ticket.name]),
    ].sort();
    expect(tested).toEqual(
      alertDefinitions()
        .map((a) => a.name)
        .sort(),
    );
  });
});

describe('promtool test rules', () => {
  for (const [component, cases] of Object.entries(casesByComponent)) {
    it(`${component}: ${cases.map((c) => c.alert).join(', ')}`, async () => {
      const file = join(dir, `${component}.test.yml`);
      await writeFile(file, renderPromtoolTests(promtoolTests('rules.yml', alertDefinitions(), cases)));
      const result = await runPromtool(['test', 'rules', file], { cwd: dir });
      expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
      expect(result.stdout).toContain('SUCCESS');
    });
  }
});

describe('SLO burn tiers under promtool test rules', () => {
  it.each(slos.map((s) => [s.spec.name, s] as const))(
    '%s: each tier fires, silent when healthy, silent for a short spike',
    async (name, rules) => {
      const fixture = sloFixtures[name];
      if (!fixture) throw new Error(`no fixture for SLO ${name} in alerts/helpers/cases/slos.ts`);
      const target = name === 'manuals' ? workerTarget : gatewayTarget;
      const files = sloPromtoolTests(rules, fixture, { namespace: target.namespace });
      await writeFile(join(dir, sloRuleFileName(rules)), files.ruleFile);
      const file = join(dir, `slo-${name}.test.yml`);
      await writeFile(file, files.testFile);
      const started = Date.now();
      const result = await runPromtool(['test', 'rules', file], { cwd: dir });
      console.log(JSON.stringify({ slo: name, promtoolTestMs: Date.now() - started }));
      expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
      expect(result.stdout).toContain('SUCCESS');
    },
    // Days of one-minute samples per SLO: about 30 s alone, 90 s on a loaded machine.
    300_000,
  );
});
