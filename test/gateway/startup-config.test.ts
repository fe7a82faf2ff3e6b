/**
 * Issue 12 finding 14, as an operator meets it: the real entry points stop at once with the variable's
 * name and what it expects (exit 2), and never print the secret. `SENTRY_DSN=garbage` used to be echoed
 * by the Sentry library while the gateway started anyway.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runApp } from '../helpers/app-process.js';

describe('start-up with a bad configuration', () => {
  it.each([
    ['app/main.ts', { SENTRY_DSN: 'garbage-s3cret' }, 'SENTRY_DSN: expected a Sentry DSN'],
    [
      'app/main.ts',
      { DATABASE_URL: 'postgres://user:s3cret@' },
      'DATABASE_URL: expected a postgres:// or postgresql:// URL with a host',
    ],
    ['app/main.ts', { PORT: '0x50' }, 'PORT: expected a whole number from 0 to 65535 (got "0x50")'],
    ['app/main.ts', { DATA_DIR: '/proc/hsc-jit-data' }, 'DATA_DIR: expected a writable directory'],
    [
      'app/main.ts',
      { MANUAL_HOSTS: 'manuals.example:8443,fd00::1' },
      'MANUAL_HOSTS: expected a comma-separated list of host or host:port (IPv6 in brackets',
    ],
    [
      'app/worker.ts',
      { DATABASE_URL: 'postgres://user:s3cret@', WORKER_PORT: '1e3' },
      'WORKER_PORT: expected a whole number',
    ],
  ])('%s with %j stops naming the variable', async (entry, env, expected) => {
    const { code, output } = await runApp(entry, env);
    expect(output).toContain(expected);
    expect(code).toBe(2);
    expect(output).not.toContain('s3cret');
  });
});

describe('start-up with a variable meant for the app that it does not know', () => {
  it.each(['app/main.ts', 'app/migrate.ts'])(
    '%s warns, naming the closest setting and never the value',
    async (entry) => {
      const dataDir = mkdtempSync(join(tmpdir(), 'hsc-startup-'));
      try {
        const { output } = await runApp(
          entry,
          { DATA_DIR: dataDir, DATABSE_URL: 'postgres://user:s3cret@db/x', PREDICTION_CONFIDENCE_THRESHOLD: '0.8' },
          {
            until:
              /did you mean DATABASE_URL\?[\s\S]*rename it to MANUAL_PREFETCH_CONFIDENCE|rename it to MANUAL_PREFETCH_CONFIDENCE[\s\S]*did you mean DATABASE_URL\?/,
          },
        );
        const warnings = output
          .split('\n')
          .filter((line) => line.startsWith('{'))
          .map((line) => JSON.parse(line) as { level: number; msg: string })
          .filter((line) => line.level === 40);
        expect(warnings.map((w) => w.msg)).toEqual([
          'PREDICTION_CONFIDENCE_THRESHOLD is deprecated: rename it to MANUAL_PREFETCH_CONFIDENCE',
          'environment variable DATABSE_URL is not a setting of the app (ignored); did you mean DATABASE_URL?',
        ]);
        expect(output).not.toContain('s3cret');
      } finally {
        rmSync(dataDir, { recursive: true, force: true });
      }
    },
  );
});
