/**
 * Renders docs/runbooks/<AlertName>.md from the alert definitions, so the runbook an alert links to
 * always exists and says what the code says. `npm run runbooks` rewrites the files and removes the
 * generated runbooks of alerts that no longer exist (a hand-written file, without the generated marker,
 * is left alone); the lint test fails when a committed runbook differs from its rendering, and
 * alerts/references.test.ts when any runbook names an alert, panel or dashboard that does not exist.
 */
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NOTIFICATION, runbookPath, type AlertDefinition } from './define.js';
import { alertDefinitions } from './index.js';

/** How a generated runbook ends; a file under docs/runbooks/ with it and no alert behind it is an orphan. */
export const GENERATED_MARKER = '<!-- Generated from';

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
    `${GENERATED_MARKER} alerts/components/*.ts and alerts/slos/ by \`npm run runbooks\`: edit the alert definition, not this file. -->`,
    '',
  ].join('\n');
}

export const repositoryRoot = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Generated runbooks (they carry the marker) whose alert no longer exists, as repository paths. */
export async function orphanRunbooks(root = repositoryRoot): Promise<string[]> {
  const dir = dirname(runbookPath('x'));
  const current = new Set(alertDefinitions().map((a) => runbookPath(a.name)));
  const orphans: string[] = [];
  for (const file of (await readdir(join(root, dir))).filter((f) => f.endsWith('.md')).sort()) {
    const path = `${dir}/${file}`;
    if (!current.has(path) && (await readFile(join(root, path), 'utf8')).includes(GENERATED_MARKER)) orphans.push(path);
  }
  return orphans;
}

export async function writeRunbooks(root = repositoryRoot): Promise<{ written: string[]; removed: string[] }> {
  const written: string[] = [];
  for (const alert of alertDefinitions()) {
    const path = join(root, runbookPath(alert.name));
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, renderRunbook(alert));
    written.push(path);
  }
  const removed = await orphanRunbooks(root);
  for (const path of removed) await rm(join(root, path));
  return { written, removed };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { written, removed } = await writeRunbooks();
  console.log(
    `wrote ${written.length} runbooks${removed.length > 0 ? `; removed ${removed.join(', ')} (no such alert)` : ''}`,
  );
}
