/** docs/alerts.md is the rendering of the alert definitions, and lists every alert once with its runbook. */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NOTIFICATION, runbookPath } from './define.js';
import { alertDefinitions } from './index.js';
import { INVENTORY_PATH, renderInventory } from './inventory.js';
import { repositoryRoot } from './runbooks.js';

describe('docs/alerts.md', () => {
  it('is up to date with the alert definitions (run `npm run alerts-doc`)', async () => {
    expect(await readFile(join(repositoryRoot, INVENTORY_PATH), 'utf8')).toBe(renderInventory());
  });

  it('has one row per alert with its severity, page or ticket, and an existing runbook', async () => {
    const rows = renderInventory()
      .split('\n')
      .filter((l) => /^\| [A-Z]\w+ \| (critical|warning|info) \|/.test(l));
    expect(rows).toHaveLength(alertDefinitions().length);
    for (const a of alertDefinitions()) {
      const row = rows.find((r) => r.startsWith(`| ${a.name} |`));
      expect(row, a.name).toContain(`| ${a.severity} | ${NOTIFICATION[a.severity]} |`);
      expect(row).toContain(a.labels?.slo ? `SLO **${a.labels.slo}**` : 'symptom:');
      await expect(readFile(join(repositoryRoot, runbookPath(a.name)), 'utf8')).resolves.toContain(`# ${a.name}`);
    }
  });
});
