/**
 * `npm run bench:load`: what one gateway process holds and serves, next to a bare `ws` server as the
 * peer, in the same run, on loopback.
 *
 *   1. idle: LOAD_IDLE_CONNECTIONS (default 18,000) sockets opened in batches (each counted once its
 *      `hello` arrives) and held; the server's settled RSS growth per connection (/proc VmRSS).
 *   2. predictions: LOAD_CLIENTS (64) closed-loop typists sending keystroke prefixes of the labelled
 *      queries for LOAD_SECONDS (10), in LOAD_WORKERS (1) worker threads; predictions/s, p50/p99, and
 *      both sides' CPU so the report shows which one was the bottleneck.
 *
 * Each server runs in its own process (gateway: bench/ws-server.ts on LOAD_BACKEND, see load/backends.ts; peer:
 * bench/load/bare-ws-server.ts), one at a time, killed on any exit. Prints ONE JSON object on stdout,
 * progress on stderr. The whole run is bounded by LOAD_BUDGET_SECONDS (600). LOAD_CPU_PROF_DIR=<dir> profiles
 * the gateway (`--cpu-prof`): the profile shows where a prediction frame's time goes.
 */
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { z } from 'zod';
import { tempDir } from '../test/harness/index.js';
import { round } from './measure.js';
import { loadBundledCatalog } from './queries/catalog.js';
import { labelledQueries } from './queries/labelled.js';
import { measureIdleConnections, type IdleReport } from './load/idle.js';
import { loadAverage } from './load/proc-stats.js';
import { startTarget, type LoadTarget } from './load/servers.js';
import { startBackend, type GatewayBackend } from './load/backends.js';
import { runTypingLoad } from './load/typing-load.js';

const progress = (message: string): void => void process.stderr.write(`[bench:load] ${message}\n`);

const Settings = z.object({
  LOAD_IDLE_CONNECTIONS: z.coerce.number().int().min(100).default(18_000),
  LOAD_BATCH: z.coerce.number().int().min(1).max(5_000).default(500),
  LOAD_CLIENTS: z.coerce.number().int().min(1).max(5_000).default(64),
  LOAD_WORKERS: z.coerce.number().int().min(0).max(16).default(1),
  LOAD_SECONDS: z.coerce.number().min(1).max(120).default(10),
  LOAD_BUDGET_SECONDS: z.coerce.number().min(30).max(3_600).default(600),
  LOAD_BACKEND: z.enum(['services', 'embedded']).default('services'),
  /** A directory: the gateway runs with --cpu-prof and writes its profile there when it stops. */
  LOAD_CPU_PROF_DIR: z.string().min(1).optional(),
});
const settings = Settings.parse(process.env);

/** This process's open-file limit: every client socket is a file here and in the server. */
function openFileLimit(): number {
  const match = /^Max open files\s+(\d+)/m.exec(readFileSync('/proc/self/limits', 'utf8'));
  return match ? Number(match[1]) : Number.POSITIVE_INFINITY;
}
/** Files a node process needs besides the sockets (libraries, pipes, PGlite's data files). */
const FILE_MARGIN = 1_000;
if (settings.LOAD_IDLE_CONNECTIONS + FILE_MARGIN > openFileLimit()) {
  throw new Error(
    `LOAD_IDLE_CONNECTIONS=${settings.LOAD_IDLE_CONNECTIONS} needs ${FILE_MARGIN} more open files than the limit ${openFileLimit()} (ulimit -n)`,
  );
}

/** Realistic typing: every keystroke prefix of every labelled query, in order. */
function keystrokeTexts(): string[] {
  return labelledQueries(loadBundledCatalog()).flatMap((q) =>
    Array.from({ length: q.text.length }, (_, i) => q.text.slice(0, i + 1)),
  );
}

const ratio = (ours: number, peer: number): number => (peer > 0 ? round(ours / peer, 2) : 0);

async function measureTarget(target: LoadTarget, texts: readonly string[]) {
  const idle = await measureIdleConnections(target, settings.LOAD_IDLE_CONNECTIONS, settings.LOAD_BATCH, progress);
  progress(`${target.name}: ${settings.LOAD_CLIENTS} typists for ${settings.LOAD_SECONDS} s`);
  const typing = await runTypingLoad({
    wsUrl: target.wsUrl,
    serverPid: target.pid,
    clients: settings.LOAD_CLIENTS,
    workers: settings.LOAD_WORKERS,
    texts,
    warmupMs: 2_000,
    durationMs: settings.LOAD_SECONDS * 1000,
  });
  progress(`${target.name}: ${typing.report.predictionsPerSecond} predictions/s, p99 ${typing.report.p99Ms} ms`);
  return { idle, typing };
}

async function main(): Promise<void> {
  const budget = setTimeout(() => {
    progress(`over the ${settings.LOAD_BUDGET_SECONDS} s budget: stopping (the servers are killed on exit)`);
    process.exit(3);
  }, settings.LOAD_BUDGET_SECONDS * 1000);
  budget.unref();

  const loadAtStart = loadAverage();
  const texts = keystrokeTexts();
  const dir = await tempDir('bench-load');
  const targets: LoadTarget[] = [];
  let backend: GatewayBackend | undefined;
  try {
    const n = settings.LOAD_IDLE_CONNECTIONS;
    progress(`starting the gateway on ${settings.LOAD_BACKEND}; ${texts.length} keystroke texts`);
    backend = await startBackend(settings.LOAD_BACKEND, dir.path);
    const gateway = await startTarget(
      'gateway',
      'bench/ws-server.ts',
      {
        ...backend.env,
        NODE_ENV: 'production',
        LOG_LEVEL: 'warn',
        WS_MAX_CONNECTIONS: String(Math.max(20_000, n + FILE_MARGIN)),
        // Every bench socket comes from 127.0.0.1: lift the per-address cap and the per-socket rate limit.
        WS_MAX_CONNECTIONS_PER_CLIENT: String(n + FILE_MARGIN),
        WS_RATE_PER_SECOND: '10000',
        WS_RATE_BURST: '100000',
      },
      dir.path,
      settings.LOAD_CPU_PROF_DIR ? ['--cpu-prof', `--cpu-prof-dir=${settings.LOAD_CPU_PROF_DIR}`] : [],
    );
    targets.push(gateway);
    const ours = await measureTarget(gateway, texts);
    await gateway.service.stop();
    await backend.stop();
    backend = undefined;

    progress('starting the peer: a bare ws WebSocketServer');
    const peer = await startTarget(
      'bare-ws',
      'bench/load/bare-ws-server.ts',
      { PEER_PREDICTION_ITEMS: ours.typing.sampleItems ?? '[]' },
      dir.path,
    );
    targets.push(peer);
    const bare = await measureTarget(peer, texts);
    await peer.service.stop();

    // Both views of the cost must be within budget, and the marginal one must be a real (positive) growth.
    const idleVerdict = (r: IdleReport) => ({
      connections: r.held >= 15_000,
      kbPerConnection:
        r.rssPerConnectionKb <= 16 && r.marginalRssPerConnectionKb > 0 && r.marginalRssPerConnectionKb <= 16,
    });
    const report = {
      bench: 'load',
      gatewayBackend:
        settings.LOAD_BACKEND === 'services'
          ? 'Postgres + Redis (harness), BullMQ queue, no worker in the gateway: the pod shape'
          : 'embedded defaults (PGlite, in-process cache and queue)',
      machine: {
        cpus: cpus().length,
        openFileLimit: openFileLimit(),
        loadAverageAtStart: loadAtStart,
        loadAverageAtEnd: loadAverage(),
      },
      idleConnections: {
        gateway: ours.idle,
        bareWs: bare.idle,
        rssPerConnectionVsBareWs: ratio(ours.idle.rssPerConnectionKb, bare.idle.rssPerConnectionKb),
        marginalRssPerConnectionVsBareWs: ratio(
          ours.idle.marginalRssPerConnectionKb,
          bare.idle.marginalRssPerConnectionKb,
        ),
        targets: { connections: 15_000, maxRssPerConnectionKb: 16 },
        met: idleVerdict(ours.idle),
      },
      predictions: {
        gateway: ours.typing.report,
        bareWs: bare.typing.report,
        throughputVsBareWs: ratio(ours.typing.report.predictionsPerSecond, bare.typing.report.predictionsPerSecond),
        p99VsBareWs: ratio(ours.typing.report.p99Ms, bare.typing.report.p99Ms),
        peerAnswers: 'one fixed prediction frame, captured from the gateway, with the seq echoed',
        targets: { predictionsPerSecond: 2_000 },
        met: { predictionsPerSecond: ours.typing.report.predictionsPerSecond >= 2_000 },
      },
    };
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  } finally {
    for (const target of targets) await target.service.stop();
    await backend?.stop();
    await dir.remove();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    progress(`failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(1);
  },
);
