/** Runbooks without loose ends: no orphan file, no text naming an alert, dashboard, row or panel that is gone. */
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runbookPath } from './define.js';
import { alertDefinitions } from './index.js';
import { danglingReferences } from './references.js';
import { GENERATED_MARKER, orphanRunbooks, renderRunbook, repositoryRoot, writeRunbooks } from './runbooks.js';

const dir = join(repositoryRoot, 'docs/runbooks');
const runbooks = readdirSync(dir).filter((f) => f.endsWith('.md'));
const scratch = mkdtempSync(join(tmpdir(), 'hsc-runbooks-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('runbooks', () => {
  it('are exactly the alerts’ (no orphan left behind)', async () => {
    expect(await orphanRunbooks()).toEqual([]);
    expect(runbooks.map((f) => `docs/runbooks/${f}`).sort()).toEqual(
      alertDefinitions()
        .map((a) => runbookPath(a.name))
        .sort(),
    );
  });

  it('npm run runbooks removes a planted orphan and keeps a hand-written file', async () => {
    cpSync(dir, join(scratch, 'docs/runbooks'), { recursive: true });
    const orphan = renderRunbook({ ...alertDefinitions()[0]!, name: 'PostgresVanished' });
    writeFileSync(join(scratch, 'docs/runbooks/PostgresVanished.md'), orphan);
    writeFileSync(join(scratch, 'docs/runbooks/pitr.md'), '# Point-in-time recovery (hand-written)\n');
    expect(await orphanRunbooks(scratch)).toEqual(['docs/runbooks/PostgresVanished.md']);
    const { removed } = await writeRunbooks(scratch);
    expect(removed).toEqual(['docs/runbooks/PostgresVanished.md']);
    expect(existsSync(join(scratch, 'docs/runbooks/PostgresVanished.md'))).toBe(false);
    expect(existsSync(join(scratch, 'docs/runbooks/pitr.md'))).toBe(true);
    expect(orphan).toContain(GENERATED_MARKER);
  });

  it.each(runbooks)('%s names only alerts, dashboards, rows and panels that exist', (file) => {
    expect(danglingReferences(readFileSync(join(dir, file), 'utf8'))).toEqual([]);
  });

  it('no runbook advises `kubectl rollout undo` as the fix (Argo CD self-heals it away)', () => {
    for (const file of runbooks)
      expect(readFileSync(join(dir, file), 'utf8'), file).not.toMatch(
        /roll (?:it )?back \(`kubectl rollout undo|: `kubectl rollout undo`\./,
      );
  });

  it('catches a planted reference to a gone alert, dashboard, row or panel', () => {
    const text =
      'See PostgresDown and RedisDown. Dashboard "HSC-JIT overview", row "nowhere"; panels "Queue depth" and "Queue age"; panel "Redis up". The PodDisruptionBudget is fine.';
    expect(danglingReferences(text)).toEqual(['alert PostgresDown', 'row "nowhere"', 'panel "Queue age"']);
  });
});
