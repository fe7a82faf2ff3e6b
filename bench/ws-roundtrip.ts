/**
 * WebSocket round trip under load: the real gateway (embedded defaults) in a child process on a free
 * loopback port, 200 clients typing labelled queries one keystroke at a time at human speed, each
 * keystroke timed from `typing` sent to its `prediction` received.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { latencySummary } from './measure.js';
import { mulberry32 } from './queries/random.js';

const CLIENTS = 200;
const KEYSTROKES_PER_CLIENT = 40;
/** Pause between keystrokes: 80-200 ms, a fast typist. */
const MIN_GAP_MS = 80;
const GAP_SPREAD_MS = 120;
const RESPONSE_TIMEOUT_MS = 5_000;

const here = dirname(fileURLToPath(import.meta.url));

export type RoundTripReport =
  | {
      clients: number;
      keystrokes: number;
      lost: number;
      p50Ms: number;
      p99Ms: number;
      meanMs: number;
      server: string;
      loadAverage1m: number;
    }
  | { skipped: string };

async function startServer(
  dataDir: string,
  env: Record<string, string>,
): Promise<{ child: ChildProcess; wsUrl: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(here, 'ws-server.ts')], {
    cwd: join(here, '..'),
    env: {
      ...process.env,
      PORT: '0',
      INTERNAL_PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      NODE_ENV: 'production',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout! });
  const wsUrl = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('gateway did not start within 60 s')), 60_000);
    child.once('exit', (code) => reject(new Error(`gateway exited with code ${code} before listening`)));
    lines.on('line', (line) => {
      try {
        const parsed = JSON.parse(line) as { wsUrl?: string };
        if (parsed.wsUrl) {
          clearTimeout(timer);
          resolve(parsed.wsUrl);
        }
      } catch {
        // a log line, not ours
      }
    });
  });
  return { child, wsUrl };
}

function connect(wsUrl: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(wsUrl);
    socket.once('error', reject);
    socket.once('message', (data) => {
      const frame = JSON.parse(String(data)) as { type?: string };
      if (frame.type === 'hello') resolve(socket);
      else reject(new Error(`expected hello, got ${String(data).slice(0, 200)}`));
    });
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** One client typing its queries keystroke by keystroke; returns round trips (ms) and lost answers. */
async function typist(
  socket: WebSocket,
  texts: readonly string[],
  seed: number,
): Promise<{ ms: number[]; lost: number }> {
  const random = mulberry32(seed);
  const ms: number[] = [];
  let lost = 0;
  let seq = 0;
  let waiting: { seq: number; resolve: (ok: boolean) => void } | undefined;
  socket.on('message', (data) => {
    const frame = JSON.parse(String(data)) as { type?: string; seq?: number };
    if (frame.type === 'prediction' && waiting && frame.seq === waiting.seq) waiting.resolve(true);
  });
  const keystrokes: string[] = [];
  for (let t = 0; keystrokes.length < KEYSTROKES_PER_CLIENT; t++) {
    const text = texts[(seed + t) % texts.length]!;
    for (let i = 1; i <= text.length && keystrokes.length < KEYSTROKES_PER_CLIENT; i++)
      keystrokes.push(text.slice(0, i));
  }
  await sleep(random() * 500);
  for (const text of keystrokes) {
    seq++;
    const answered = new Promise<boolean>((resolve) => {
      waiting = { seq, resolve };
      setTimeout(() => resolve(false), RESPONSE_TIMEOUT_MS);
    });
    const start = process.hrtime.bigint();
    socket.send(JSON.stringify({ type: 'typing', seq, text }));
    if (await answered) ms.push(Number(process.hrtime.bigint() - start) / 1e6);
    else lost++;
    await sleep(MIN_GAP_MS + random() * GAP_SPREAD_MS);
  }
  return { ms, lost };
}

/**
 * `server` describes the gateway's backends for the report; `env` selects them (empty: embedded
 * defaults, where manual jobs run in-process: PGlite in its worker thread, extraction through the extract host).
 */
export async function measureWebSocketRoundTrip(
  texts: readonly string[],
  progress: (m: string) => void,
  backends: { server: string; env: Record<string, string> } = { server: 'embedded defaults', env: {} },
): Promise<RoundTripReport> {
  if (
    !existsSync(join(here, '..', 'app', 'composition', 'runtime.ts')) ||
    !existsSync(join(here, '..', 'app', 'shared', 'config.ts'))
  ) {
    return { skipped: 'app/composition/runtime.ts or app/shared/config.ts is missing: the gateway is not built yet' };
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-ws-'));
  const { child, wsUrl } = await startServer(dataDir, backends.env);
  try {
    progress(`gateway at ${wsUrl}; connecting ${CLIENTS} clients`);
    const sockets = await Promise.all(Array.from({ length: CLIENTS }, () => connect(wsUrl)));
    const results = await Promise.all(sockets.map((socket, i) => typist(socket, texts, i * 7919 + 1)));
    for (const socket of sockets) socket.close();
    const all = results.flatMap((r) => r.ms);
    return {
      clients: CLIENTS,
      keystrokes: all.length,
      lost: results.reduce((sum, r) => sum + r.lost, 0),
      ...latencySummary(all),
      server: `app/composition/runtime.ts on ${backends.server}, separate process, loopback`,
      // The tail depends on what else this machine runs: report how busy it was.
      loadAverage1m: Number(loadavg()[0]!.toFixed(2)),
    };
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
    rmSync(dataDir, { recursive: true, force: true });
  }
}
