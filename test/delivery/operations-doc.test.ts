/** docs/operations.md stays in step with the code it describes: every alert, every generated secret, every script it tells people to run. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ruleGroups } from '../../alerts/index.js';
import { generatedSecretKeys, providedSecretKeys } from '../../platform/pulumi/config.js';
import { repoRoot } from '../../platform/render/synth.js';

const doc = readFileSync(join(repoRoot, 'docs/operations.md'), 'utf8');

describe('docs/operations.md', () => {
  it('names every alert rule (detection column of the failure scenarios)', () => {
    const alerts = ruleGroups().flatMap((g) => g.rules.flatMap((r) => ('alert' in r && r.alert ? [r.alert] : [])));
    expect(alerts.length).toBeGreaterThan(10);
    expect(alerts.filter((a) => !doc.includes(`\`${a}\``))).toEqual([]);
  });

  it('names every secret the Pulumi program reads or generates', () => {
    for (const key of [...generatedSecretKeys, ...Object.values(providedSecretKeys)])
      expect(doc, key).toContain(`\`${key}\``);
  });

  it('points only at files that exist', () => {
    const paths = [
      ...doc.matchAll(/`((?:scripts|test|platform|docs|deploy|stacks|\.github)\/[\w./-]+\.(?:ts|sh|md|yml|yaml))`/g),
    ].map((m) => m[1]!);
    expect(paths.length).toBeGreaterThan(5);
    expect(paths.filter((p) => !existsSync(join(repoRoot, p)))).toEqual([]);
  });

  it('says plainly what was not run here', () => {
    expect(doc).toMatch(/no Kubernetes cluster and no Pulumi CLI or engine/);
    // The one engine used here is the one the image drill starts itself.
    expect(doc).toMatch(/Docker\s+engine is started by the image drill itself/);
  });
});
