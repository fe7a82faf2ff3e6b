/**
 * Issue 12 finding 14, as an operator meets it: the real entry points stop at once with the variable's
 * name and what it expects (exit 2), and never print the secret. `SENTRY_DSN=garbage` used to be echoed
 * by the Sentry library while the gateway started anyway.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

function start(entry: string, env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: '0', INTERNAL_PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 45_000); // it started: the test fails below
  return new Promise((resolve) =>
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    }),
  );
}

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
      'app/worker.ts',
      { DATABASE_URL: 'postgres://user:s3cret@', WORKER_PORT: '1e3' },
      'WORKER_PORT: expected a whole number',
    ],
  ])('%s with %j stops naming the variable', async (entry, env, expected) => {
    const { code, output } = await start(entry, env);
    expect(output).toContain(expected);
    expect(code).toBe(2);
    expect(output).not.toContain('s3cret');
  });
});
