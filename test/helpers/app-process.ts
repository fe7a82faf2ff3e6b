/** Runs the app as a real child process (`node --import tsx app/main.ts`), as production runs it. */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface AppProcess {
  child: ChildProcess;
  url: string;
  wsUrl: string;
  logs: Record<string, unknown>[];
  exited: Promise<number | null>;
}

/** Resolves once the process logs `readyMessage` (the gateway's, by default). */
export async function spawnApp(
  env: Record<string, string> = {},
  entry = 'app/main.ts',
  readyMessage = 'gateway listening',
): Promise<AppProcess> {
  const dataDir = await mkdtemp(join(tmpdir(), 'hsc-jit-proc-'));
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      HOST: '127.0.0.1',
      PORT: '0',
      INTERNAL_PORT: '0',
      // Ports the OS picks as each process binds: no window in which another test can take them.
      WORKER_PORT: '0',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'info',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: Record<string, unknown>[] = [];
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    let buffer = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      for (let newline = buffer.indexOf('\n'); newline >= 0; newline = buffer.indexOf('\n')) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 1);
        try {
          const entryLog = JSON.parse(line) as Record<string, unknown>;
          logs.push(entryLog);
          if (entryLog.msg === readyMessage) resolve(String(entryLog.url ?? ''));
        } catch {
          logs.push({ raw: line });
        }
      }
    });
    void exited.then((code) => reject(new Error(`app exited with ${code} before listening: ${stderr.slice(-2000)}`)));
  });
  return { child, url, wsUrl: `${url.replace(/^http/, 'ws')}/ws`, logs, exited };
}

/**
 * Runs `entry` until it exits, or, with `until`, until its output matches it (then it is stopped): the
 * code it exited with (null when stopped) and what it printed on stdout and stderr. For start-ups that
 * are meant to fail: one still running after `hangMs` is stopped, and the caller's check fails.
 */
export function runApp(
  entry: string,
  env: Record<string, string>,
  { until, hangMs = 45_000 }: { until?: RegExp; hangMs?: number } = {},
): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: '0', INTERNAL_PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
    if (until?.test(output)) child.kill('SIGKILL');
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const timer = setTimeout(() => child.kill('SIGKILL'), hangMs);
  return new Promise((resolve) =>
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    }),
  );
}
