/**
 * Pool exhaustion and a slow dependency. The gateway has one database connection (DATABASE_POOL_MAX=1)
 * and a short statement timeout. (1) A test transaction holds an exclusive lock on the manuals table,
 * so the one connection hangs on it and every other query waits for the pool; (2) the whole Postgres
 * is frozen with SIGSTOP (accepts TCP, answers nothing). In both, asks must fail fast with an
 * `unavailable` error frame while the fault lasts (none waits for the fault to end), predictions keep
 * flowing (they need no database), and once the dependency is back an ask succeeds within 10 s.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgres, type PostgresInstance } from '../harness/index.js';
import type { AppProcess } from '../helpers/app-process.js';
import { DEMO_PRODUCTS, TYPING_TEXTS, killAll, prepareManual, spawnGateway } from './helpers/app-stack.js';
import { freezeProcessTree } from './helpers/freeze.js';
import {
  LoadClient,
  allAsks,
  allKeystrokes,
  askSummary,
  sleep,
  waitForAsksToSettle,
  timeToFirstAnswer,
} from './helpers/load.js';

const RECOVERY_BUDGET_MS = 10_000;
const FAULT_MS = 8_000;

let postgres: PostgresInstance;
let databaseUrl: string;
let gateway: AppProcess;

beforeAll(async () => {
  postgres = await startPostgres();
  databaseUrl = await postgres.createDatabase('hsc');
  gateway = await spawnGateway({
    DATABASE_URL: databaseUrl,
    DATABASE_POOL_MAX: '1',
    DATABASE_STATEMENT_TIMEOUT_MS: '1500',
    ANSWER_WAIT_SECONDS: '10',
  });
  await prepareManual(gateway.wsUrl, DEMO_PRODUCTS.tr8s);
});

afterAll(async () => {
  await killAll([gateway]);
  await postgres?.stop();
});

async function readyz(): Promise<number> {
  return (await fetch(`${gateway.url}/readyz`)).status;
}

/**
 * Runs the fault for FAULT_MS under load (keystrokes every 100 ms, an ask every 500 ms per client),
 * ends it, then asks until one succeeds. Returns what the drill measured.
 */
async function drill(name: string, startFault: () => Promise<() => Promise<void>>) {
  const clients = await Promise.all([0, 1].map((i) => LoadClient.connect(gateway.wsUrl, `${name}-${i}`)));
  try {
    for (const c of clients) c.startTyping(100, TYPING_TEXTS);
    const endFault = await startFault();
    const faultAt = Date.now();
    let readyzDuringFault: number | undefined;
    try {
      // At most WS_MAX_ASKS_PER_CONNECTION (3) in flight per socket: more would be answered `rate_limited`.
      for (const c of clients) c.startAsking(500, [DEMO_PRODUCTS.tr8s], 3);
      await sleep(FAULT_MS / 2);
      readyzDuringFault = await readyz();
      await sleep(FAULT_MS / 2);
      for (const c of clients) c.stopLoad();
    } finally {
      await endFault();
    }
    const endedAt = Date.now();
    const duringFault = allAsks(clients);
    const keystrokes = allKeystrokes(clients).filter((k) => k.sentAt >= faultAt && k.sentAt < endedAt);
    await sleep(300); // predictions of the last keystrokes in flight

    // Recovery: one ask every 250 ms until one completes.
    const recoveredMs = await timeToFirstAnswer(
      gateway.wsUrl,
      `${name}-recovery`,
      DEMO_PRODUCTS.tr8s,
      endedAt,
      RECOVERY_BUDGET_MS + 5_000,
    );
    await waitForAsksToSettle(clients, 5_000);

    const summary = askSummary(duringFault);
    const figures = {
      drill: `pool-and-slow-dependency/${name}`,
      faultMs: endedAt - faultAt,
      asks: summary,
      slowestErrorMs: Math.max(...duringFault.filter((a) => a.outcome === 'error').map((a) => a.settledAt! - a.sentAt)),
      settledBeforeFaultEnded: duringFault.filter((a) => a.settledAt !== undefined && a.settledAt < endedAt).length,
      keystrokesDuringFault: keystrokes.length,
      predictionsDuringFault: keystrokes.filter((k) => k.answeredAt !== undefined).length,
      readyzDuringFault,
      recoveredMs,
    };
    console.log(JSON.stringify(figures));
    return { figures, duringFault, faultAt, endedAt };
  } finally {
    for (const c of clients) c.close();
  }
}

/**
 * Asks made in the first half of the fault got an `unavailable` error before the fault ended (they did
 * not wait for the dependency); the later ones either failed the same way or completed once it was
 * back; none got `internal` or was left without an outcome.
 */
function expectFailedFastAndRecovered({
  figures,
  duringFault,
  faultAt,
  endedAt,
}: Awaited<ReturnType<typeof drill>>): void {
  const early = duringFault.filter((a) => a.sentAt < faultAt + FAULT_MS / 2);
  expect(early.length).toBeGreaterThan(0);
  expect(
    early.map((a) => ({ outcome: a.outcome, code: a.code, beforeFaultEnded: (a.settledAt ?? Infinity) < endedAt })),
  ).toEqual(early.map(() => ({ outcome: 'error', code: 'unavailable', beforeFaultEnded: true })));
  expect(
    duringFault.filter((a) => !(a.outcome === 'done' || (a.outcome === 'error' && a.code === 'unavailable'))),
  ).toEqual([]);
  expect(figures.keystrokesDuringFault).toBeGreaterThan(0);
  expect(figures.predictionsDuringFault).toBe(figures.keystrokesDuringFault);
  // The pod can still serve (predictions): it stays in the Service.
  expect(figures.readyzDuringFault).toBe(200);
  expect(figures.recoveredMs).toBeLessThan(RECOVERY_BUDGET_MS);
}

describe('pool exhaustion and a slow dependency', () => {
  it('fails asks fast with `unavailable` while a lock hogs the only connection, and recovers once it is released', async () => {
    const locker = new pg.Client({ connectionString: databaseUrl });
    await locker.connect();
    try {
      const result = await drill('held-lock', async () => {
        await locker.query('BEGIN');
        await locker.query('LOCK TABLE manuals IN ACCESS EXCLUSIVE MODE');
        return async () => void (await locker.query('ROLLBACK'));
      });
      expectFailedFastAndRecovered(result);
    } finally {
      await locker.end();
    }
  });

  it('fails asks fast with `unavailable` while Postgres is frozen (SIGSTOP), and recovers after SIGCONT', async () => {
    const result = await drill('sigstop', async () => {
      const frozen = await freezeProcessTree(postgres.service.pid);
      return async () => frozen.thaw();
    });
    expectFailedFastAndRecovered(result);
  });
});
