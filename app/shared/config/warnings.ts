/**
 * What start-up warns about in the environment without stopping: a variable that looks meant for the app
 * but is no setting of it (a typo falls back to the default without a word otherwise), and a setting
 * set under its former name. Warnings name variables only, never their values.
 */
import { APP_ENV_NAMES, settingList } from '../config.js';

/**
 * Prefixes only this app's variables use. Generic ones a setting also starts with (NODE_, HOST, PORT,
 * LOG_, DATA_) are left out: Node, shells and images set variables of their own under them.
 */
const APP_PREFIXES = [
  'ADMIN_',
  'ANSWER_',
  'AUDIT_',
  'DATABASE_',
  'DEMO_',
  'DRAIN_',
  'JOB_',
  'LLM_',
  'MANUAL_',
  'MIGRATE_',
  'PREDICTION_',
  'REDIS_',
  'RETENTION_',
  'SENTRY_',
  'SUPPORT_',
  'WORKER_',
  'WS_',
];

/**
 * Variables Kubernetes injects for every Service of the namespace (`REDIS_SERVICE_HOST`, `REDIS_PORT`,
 * `REDIS_PORT_6379_TCP_ADDR` …): they share the app's prefixes without being meant for it.
 */
const SERVICE_LINK = /_(SERVICE_HOST|SERVICE_PORT(_[A-Z0-9_]+)?|PORT(_\d+_(TCP|UDP|SCTP)(_(PROTO|PORT|ADDR))?)?)$/;

/** Edits (insert, delete, replace, swap two neighbours) between `a` and `b`: optimal string alignment. */
export function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  const at = (i: number, j: number) => d[i]?.[j] ?? Number.POSITIVE_INFINITY;
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, at(i - 2, j - 2) + 1);
      (d[i] as number[])[j] = best;
    }
  return at(a.length, b.length);
}

const known = [...APP_ENV_NAMES] as string[];

function closest(name: string): { name: string; distance: number } {
  let best = { name: known[0] ?? '', distance: Number.POSITIVE_INFINITY };
  for (const candidate of known) {
    const distance = editDistance(name, candidate);
    if (distance < best.distance) best = { name: candidate, distance };
  }
  return best;
}

export type ConfigWarning =
  | { kind: 'unknown'; variable: string; closest: string }
  | { kind: 'deprecated'; variable: string; replacement: string; ignored: boolean };

/**
 * A variable the app does not read but that is meant for it: one with an app prefix, or one a typo or
 * two away from a setting (`DATABSE_URL`: one edit for every eight characters).
 */
function unknownWarning(variable: string): ConfigWarning | undefined {
  if (APP_ENV_NAMES.has(variable as never) || SERVICE_LINK.test(variable)) return undefined;
  const near = closest(variable);
  const prefixed = APP_PREFIXES.some((prefix) => variable.startsWith(prefix));
  if (!prefixed && near.distance > Math.max(1, Math.floor(variable.length / 8))) return undefined;
  return { kind: 'unknown', variable, closest: near.name };
}

/** Every warning about `source`'s variable names, in a stable order. */
export function configWarnings(source: Record<string, string | undefined>): ConfigWarning[] {
  const warnings: ConfigWarning[] = [];
  const formerNames = new Set(settingList.flatMap((s) => s.formerly ?? []));
  for (const setting of settingList)
    for (const former of setting.formerly ?? [])
      if (source[former] !== undefined)
        warnings.push({
          kind: 'deprecated',
          variable: former,
          replacement: setting.env,
          ignored: source[setting.env] !== undefined && source[setting.env]?.trim() !== '',
        });
  for (const variable of Object.keys(source).sort()) {
    if (formerNames.has(variable)) continue;
    const warning = unknownWarning(variable);
    if (warning) warnings.push(warning);
  }
  return warnings;
}

/** The one line a warning is logged with (its fields go beside it). */
export function warningMessage(warning: ConfigWarning): string {
  if (warning.kind === 'unknown')
    return `environment variable ${warning.variable} is not a setting of the app (ignored); did you mean ${warning.closest}?`;
  return warning.ignored
    ? `${warning.variable} is deprecated and ignored: ${warning.replacement} is set too`
    : `${warning.variable} is deprecated: rename it to ${warning.replacement}`;
}

/** Logs every warning about `source` on `log` (a pino logger or anything with its `warn`). */
export function warnAboutEnvironment(
  log: { warn(fields: object, message: string): void },
  source: Record<string, string | undefined> = process.env,
): void {
  for (const warning of configWarnings(source)) log.warn({ setting: warning }, warningMessage(warning));
}
