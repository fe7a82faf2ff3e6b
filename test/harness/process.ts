/**
 * A managed child process for tests: stdout and stderr go to <dir>/<name>.log (and the last lines are
 * quoted in any start error, so a failed start explains itself), readiness is polled, stop() sends the
 * stop signal then SIGKILL after a timeout, and an exit hook kills whatever is still running when the
 * test process ends, so no test leaves orphans.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { requireBinary } from './binaries.js';
import { onProcessExit } from './cleanup.js';
import { waitFor } from './wait.js';

export interface ServiceSpec {
  /** Names the log file and error messages: "redis-replica-1". */
  name: string;
  command: string;
  args: string[];
  /** Where the log file goes; defaults to cwd, then to the current directory. */
  dir?: string;
  cwd?: string;
  /** Added to process.env. */
  env?: Record<string, string>;
  /** Run as another OS user (postgres refuses to run as root). */
  uid?: number;
  gid?: number;
  /** Resolves true once the service answers; thrown errors count as "not yet" and are quoted on timeout. */
  ready: () => Promise<boolean>;
  readyTimeoutMs?: number;
  /** The signal stop() sends first: SIGTERM unless the service prefers another (postgres: SIGINT, its fast shutdown). */
  stopSignal?: NodeJS.Signals;
}

export interface Service {
  name: string;
  child: ChildProcess;
  pid: number;
  logFile: string;
  /** Resolves with the exit code (null when killed by a signal) once the process has exited. */
  exited: Promise<number | null>;
  readonly running: boolean;
  /** stopSignal, then SIGKILL after timeoutMs (default 5000); resolves once the process has exited. */
  stop(timeoutMs?: number): Promise<void>;
  /**
   * Sends a signal (default SIGKILL). For SIGKILL, SIGTERM, SIGINT and SIGQUIT it resolves once the process
   * has exited; for others (SIGSTOP to freeze a node, SIGCONT to thaw it, SIGHUP) right after sending.
   */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** The last lines of output, for error messages. */
  logTail(lines?: number): string;
}

/**
 * If the test process dies without running its exit hooks (SIGKILL, a runner's hard timeout), the kernel
 * kills the service too: util-linux's setpriv sets PR_SET_PDEATHSIG, then execs the service (same pid).
 */
const setpriv = (() => {
  try {
    return requireBinary('setpriv', 'util-linux');
  } catch {
    return undefined;
  }
})();

const FATAL_SIGNALS = new Set<NodeJS.Signals>(['SIGKILL', 'SIGTERM', 'SIGINT', 'SIGQUIT']);
const TAIL_BYTES = 16_384;

export async function spawnService(spec: ServiceSpec): Promise<Service> {
  const dir = spec.dir ?? spec.cwd ?? process.cwd();
  const logFile = join(dir, `${spec.name}.log`);
  const log = createWriteStream(logFile, { flags: 'a' });
  log.on('error', () => undefined); // the dir may be removed while the last bytes are in flight
  const [command, args] = setpriv
    ? [setpriv, ['--pdeathsig', 'KILL', '--', spec.command, ...spec.args]]
    : [spec.command, spec.args];
  const child = spawn(command, args, {
    cwd: spec.cwd ?? dir,
    env: { ...process.env, ...spec.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(spec.uid !== undefined ? { uid: spec.uid } : {}),
    ...(spec.gid !== undefined ? { gid: spec.gid } : {}),
  });

  // The tail lives in memory too: reading the log file right after a crash can miss unflushed writes.
  let tail = '';
  const capture = (chunk: Buffer) => {
    log.write(chunk);
    tail = (tail + chunk.toString('utf8')).slice(-TAIL_BYTES);
  };
  child.stdout!.on('data', capture);
  child.stderr!.on('data', capture);

  // 'close' comes after 'exit', once the output pipes are drained (postgres' children may hold them a moment longer).
  const closed = new Promise<void>((resolve) =>
    child.once('close', () => {
      log.end();
      resolve();
    }),
  );
  let running = true;
  const died = new AbortController();
  const unregister = onProcessExit(() => {
    if (running) child.kill('SIGKILL');
  });
  const exited = new Promise<number | null>((resolve) => {
    const done = (code: number | null) => {
      running = false;
      unregister();
      resolve(code);
    };
    child.once('error', (error: NodeJS.ErrnoException) => {
      // Spawn failures (ENOENT, EACCES) arrive here and no 'exit' follows.
      died.abort(new Error(`${spec.name} could not start ${spec.command}: ${error.message}`));
      if (child.pid === undefined) done(null);
    });
    child.once('exit', (code, signal) => {
      died.abort(new Error(`${spec.name} exited with ${signal ? `signal ${signal}` : `code ${code}`}`));
      done(code);
    });
  });

  const logTail = (lines = 20) => tail.trimEnd().split('\n').slice(-lines).join('\n');
  const kill = async (signal: NodeJS.Signals = 'SIGKILL') => {
    if (!running) return;
    child.kill(signal);
    if (FATAL_SIGNALS.has(signal)) await exited;
  };
  const service: Service = {
    name: spec.name,
    child,
    pid: child.pid ?? -1,
    logFile,
    exited,
    get running() {
      return running;
    },
    logTail,
    kill,
    async stop(timeoutMs = 5_000) {
      if (!running) return;
      child.kill(spec.stopSignal ?? 'SIGTERM');
      child.kill('SIGCONT'); // a frozen (SIGSTOPped) process must wake up to handle the stop signal
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      await exited;
      clearTimeout(timer);
    },
  };

  try {
    await waitFor(spec.ready, {
      timeoutMs: spec.readyTimeoutMs ?? 20_000,
      what: `${spec.name} to be ready`,
      signal: died.signal,
    });
  } catch (error) {
    await kill('SIGKILL');
    await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, 1_000))]);
    throw new Error(`${(error as Error).message}\n--- last lines of ${logFile} ---\n${logTail()}`);
  }
  return service;
}
