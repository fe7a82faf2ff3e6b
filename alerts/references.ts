/**
 * Loose ends in what on-call reads: a runbook text that names an alert, a dashboard, a row or a panel
 * that does not exist. Alert names are recognised by their shape, learned from the alerts that exist:
 * a CamelCase word that starts with a component word some alert starts with and ends with a state word
 * some alert ends with (`PostgresDown`: Postgres…, …Down) is a reference to an alert, and must be one.
 * Dashboards, rows and panels are named in quotes after the word (`panels "Queue depth" and "Job outcomes"`).
 */
import { dashboardSpecs } from '../dashboards/index.js';
import { alertDefinitions } from './index.js';

export interface Known {
  alerts: Set<string>;
  dashboards: Set<string>;
  rows: Set<string>;
  panels: Set<string>;
}

export function knownNames(): Known {
  return {
    alerts: new Set(alertDefinitions().map((a) => a.name)),
    dashboards: new Set(dashboardSpecs.map((d) => d.title)),
    rows: new Set(dashboardSpecs.flatMap((d) => d.rows.map((r) => r.title))),
    panels: new Set(dashboardSpecs.flatMap((d) => d.rows.flatMap((r) => r.panels.map((p) => p.title)))),
  };
}

const words = (name: string) => name.match(/[A-Z][a-z0-9]*/g) ?? [];
const CAMEL = /\b[A-Z][a-z0-9]+(?:[A-Z][a-z0-9]*)+\b/g;
/** `panels "A", "B" and "C"` → the quoted names after the word. */
const QUOTED_AFTER = (word: string) =>
  new RegExp(`\\b${word}s? ((?:"[^"\\n]+"(?:,\\s*|\\s+and\\s+|\\s+or\\s+)?)+)`, 'gi');

export function danglingReferences(text: string, known: Known = knownNames()): string[] {
  const firsts = new Set([...known.alerts].map((a) => words(a)[0]));
  const lasts = new Set([...known.alerts].map((a) => words(a).at(-1)));
  const found: string[] = [];
  for (const [token] of text.matchAll(CAMEL)) {
    const w = words(token);
    if (firsts.has(w[0]) && lasts.has(w.at(-1)) && !known.alerts.has(token)) found.push(`alert ${token}`);
  }
  // A row may be named by its leading word (`row "availability"` for "availability: 99.9% of …").
  for (const [kind, names] of [
    ['dashboard', known.dashboards],
    ['row', known.rows],
    ['panel', known.panels],
  ] as const)
    for (const match of text.matchAll(QUOTED_AFTER(kind)))
      for (const [, name] of match[1]!.matchAll(/"([^"]+)"/g))
        if (!names.has(name!) && !(kind === 'row' && [...names].some((n) => n.startsWith(`${name}:`))))
          found.push(`${kind} "${name}"`);
  return [...new Set(found)];
}
