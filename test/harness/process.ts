/**
 * A managed child process for tests: output captured to a log file (its tail is quoted when a start
 * fails), ready-check polling, stop with SIGTERM then SIGKILL, and no orphans when the test run exits.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { waitFor } from './ports.js';

export interface ServiceSpec {
  name: string;
  command: string;
  args: string[];
  /** Where the log file goes. */
  dir: string;
  cwd?: string;
  env?: Record<string, string>;
  uid?: number;
  gid?: number;
  ready: () => Promise<boolean>;
  readyTimeoutMs?: number;
}

export interface Service {
  child: ChildProcess;
  logFile: string;
  exited: Promise<number | null>;
  stop(timeoutMs?: number): Promise<void>;
  kill(signal?: NodeJS.Signals): Promise<void>;
  logTail(lines?: number): Promise<string>;
}

const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

export async function spawnService(spec: ServiceSpec): Promise<Service> {
  const logFile = join(spec.dir, `${spec.name}.log`);
  const log = createWriteStream(logFile, { flags: 'a' });
  const child = spawn(spec.command, spec.args, {
    cwd: spec.cwd ?? spec.dir,
    env: { ...process.env, ...spec.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(spec.uid !== undefined ? { uid: spec.uid } : {}),
    ...(spec.gid !== undefined ? { gid: spec.gid } : {}),
  });
  live.add(child);
  child.stdout!.pipe(log, { end: false });
  child.stderr!.pipe(log, { end: false });
  let exitCode: number | null | undefined;
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code, signal) => {
      live.delete(child);
      exitCode = code ?? (signal ? -1 : null);
      resolve(code);
    }),
  );
  const logTail = async (lines = 20) => (await readFile(logFile, 'utf8').catch(() => '')).trim().split('\n').slice(-lines).join('\n');

  const kill = async (signal: NodeJS.Signals = 'SIGKILL') => {
    if (exitCode !== undefined) return;
    child.kill(signal);
    await exited;
  };
  const service: Service = {
    child,
    logFile,
    exited,
    logTail,
    kill,
    async stop(timeoutMs = 5_000) {
      if (exitCode !== undefined) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      await exited;
      clearTimeout(timer);
    },
  };
  try {
    await waitFor(async () => {
      if (exitCode !== undefined) throw new Error(`${spec.name} exited with ${exitCode}`);
      return spec.ready();
    }, { timeoutMs: spec.readyTimeoutMs ?? 20_000, what: `${spec.name} to be ready` });
  } catch (error) {
    await kill();
    throw new Error(`${(error as Error).message}\n--- ${logFile} ---\n${await logTail()}`);
  }
  return service;
}
