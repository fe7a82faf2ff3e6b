/** docs/alerts.md is the rendering of the alert definitions, and lists every alert once with its runbook. */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NOTIFICATION, runbookPath } from './define.js';
import { alertDefinitions } from './index.js';
import { INVENTORY_PATH, OPERATIONS_PATH, renderInventory, withAlertTable } from './inventory.js';
import { repositoryRoot } from './runbooks.js';

describe('docs/alerts.md', () => {
  it('is up to date with the alert definitions (run `npm run alerts-doc`)', async () => {
    expect(await readFile(join(repositoryRoot, INVENTORY_PATH), 'utf8')).toBe(renderInventory());
  });

  it('docs/operations.md carries the generated alert table, one row per alert (run `npm run alerts-doc`)', async () => {
    const doc = await readFile(join(repositoryRoot, OPERATIONS_PATH), 'utf8');
    expect(doc).toBe(withAlertTable(doc));
    for (const a of alertDefinitions())
      expect(doc).toContain(`| \`${a.name}\` | [runbooks/${a.name}.md](runbooks/${a.name}.md) |`);
    // A planted stale row is overwritten, not kept.
    expect(withAlertTable(doc.replace('| `RedisDown` |', '| `RedisGone` |'))).toBe(doc);
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
