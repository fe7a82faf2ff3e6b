/**
 * Renders docs/runbooks/<AlertName>.md from the alert definitions, so the runbook an alert links to
 * always exists and says what the code says. `npm run runbooks` rewrites the files; the
 * lint test fails when a committed runbook differs from its rendering.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NOTIFICATION, runbookPath, type AlertDefinition } from './define.js';
import { alertDefinitions } from './index.js';

export function renderRunbook(a: AlertDefinition): string {
  return [
    `# ${a.name}`,
    '',
    `**Severity:** ${a.severity} (${NOTIFICATION[a.severity]}) · **Fires after:** ${a.for} · **Dashboard:** \`${a.dashboard}\`${a.labels?.slo ? ` · **SLO:** ${a.labels.slo}` : ''}`,
    '',
    `> ${a.summary}`,
    '',
    '```promql',
    a.expr.text,
    '```',
    '',
    '## Meaning',
    '',
    a.runbook.meaning,
    '',
    '## Confirm',
    '',
    a.runbook.confirm,
    '',
    '## Act',
    '',
    // "1. … 2. …" in one string becomes a Markdown numbered list.
    a.runbook.act.replace(/ (?=\d+\. )/g, '\n'),
    '',
    '<!-- Generated from alerts/components/*.ts and alerts/slos/ by `npm run runbooks`: edit the alert definition, not this file. -->',
    '',
  ].join('\n');
}

export const repositoryRoot = join(dirname(fileURLToPath(import.meta.url)), '..');

export async function writeRunbooks(root = repositoryRoot): Promise<string[]> {
  const written: string[] = [];
  for (const alert of alertDefinitions()) {
    const path = join(root, runbookPath(alert.name));
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, renderRunbook(alert));
    written.push(path);
  }
  return written;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const written = await writeRunbooks();
  console.log(`wrote ${written.length} runbooks`);
}
