/**
 * A Postgres node that vanishes without closing its sockets (power loss, a partition), against real
 * postgres on loopback behind a TCP proxy (the `-rw` Service address). The gateway has the default
 * 5 s statement timeout and a warm pool of connections through the proxy; the proxy then black-holes:
 * open connections carry nothing more and new ones are accepted and never answered. Asks must answer
 * `unavailable` within 4 s (not after the statement timeout + 1 s that a connection to a silent server
 * waits by itself), predictions go on, and once the Service reaches a live server again asks succeed
 * without a restart. Prints the measured figures.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgres, type PostgresInstance } from '../harness/index.js';
import type { AppProcess } from '../helpers/app-process.js';
import { DEMO_PRODUCTS, TYPING_TEXTS, killAll, prepareManual, spawnGateway } from './helpers/app-stack.js';
import {
  LoadClient,
  allAsks,
  allKeystrokes,
  askSummary,
  percentile,
  sleep,
  waitForAsksToSettle,
  timeToFirstAnswer,
} from './helpers/load.js';
import { startTcpProxy, type TcpProxy } from './helpers/tcp-proxy.js';

const STATEMENT_TIMEOUT_MS = 5_000;
const OUTAGE_MS = 6_000;
/** The pool's own timers (app/adapters/storage/postgres-db.ts): a probe after 1 s held, two probes of 1 s each, + 1 s. */
const UNAVAILABLE_BUDGET_MS = 4_000;
const RECOVERY_BUDGET_MS = 10_000;

let postgres: PostgresInstance;
let rw: TcpProxy;
let gateway: AppProcess;

beforeAll(async () => {
  postgres = await startPostgres();
  const direct = new URL(await postgres.createDatabase('hsc'));
  rw = await startTcpProxy(postgres);
  direct.host = `${rw.host}:${rw.port}`;
  gateway = await spawnGateway({
    DATABASE_URL: direct.toString(),
    DATABASE_STATEMENT_TIMEOUT_MS: String(STATEMENT_TIMEOUT_MS),
    ANSWER_WAIT_SECONDS: '10',
  });
  await prepareManual(gateway.wsUrl, DEMO_PRODUCTS.tr8s);
});

afterAll(async () => {
  await killAll([gateway]);
  await rw?.close();
  await postgres?.stop();
});

describe('a Postgres node that vanishes without closing its connections', () => {
  it('answers asks `unavailable` within 4 s, keeps predicting, and recovers once the Service finds a server', async () => {
    const clients = await Promise.all([0, 1, 2].map((i) => LoadClient.connect(gateway.wsUrl, `vanish-${i}`)));
    try {
      for (const c of clients) c.startTyping(100, TYPING_TEXTS);
      // Asks before the fault fill the pool with connections through the proxy (the ones that go silent).
      for (const c of clients) c.startAsking(200, [DEMO_PRODUCTS.tr8s], 3);
      await sleep(1_500);
      expect(askSummary(allAsks(clients)).done).toBeGreaterThan(0);
      for (const c of clients) c.stopLoad();
      await waitForAsksToSettle(clients, 5_000);

      for (const c of clients) c.startTyping(100, TYPING_TEXTS);
      rw.blackhole();
      const downAt = Date.now();
      for (const c of clients) c.startAsking(400, [DEMO_PRODUCTS.tr8s], 3);
      await sleep(OUTAGE_MS);
      for (const c of clients) c.stopLoad();
      await waitForAsksToSettle(clients, STATEMENT_TIMEOUT_MS + 2_000);
      const outageAsks = allAsks(clients).filter((a) => a.sentAt >= downAt);
      const outageKeystrokes = allKeystrokes(clients).filter((k) => k.sentAt >= downAt);

      // The Service reaches a live server again (a replacement, or the -rw endpoint moved).
      rw.retarget(postgres);
      const upAt = Date.now();
      const recoveredMs = await timeToFirstAnswer(
        gateway.wsUrl,
        'vanish-recovery',
        DEMO_PRODUCTS.tr8s,
        upAt,
        RECOVERY_BUDGET_MS + 5_000,
      );

      const unavailableMs = outageAsks.map((a) => (a.settledAt ?? Number.POSITIVE_INFINITY) - a.sentAt);
      const figures = {
        drill: 'postgres-vanished',
        statementTimeoutMs: STATEMENT_TIMEOUT_MS,
        asks: askSummary(outageAsks),
        unavailableP50Ms: percentile(unavailableMs, 50),
        unavailableMaxMs: Math.max(...unavailableMs),
        keystrokes: outageKeystrokes.length,
        predictions: outageKeystrokes.filter((k) => k.answeredAt !== undefined).length,
        recoveredMs,
        gatewayRestarted: gateway.child.exitCode !== null,
      };
      console.log(JSON.stringify(figures));

      expect(outageAsks.length).toBeGreaterThan(5);
      expect(outageAsks.map((a) => a.code)).toEqual(outageAsks.map(() => 'unavailable'));
      expect(figures.unavailableMaxMs).toBeLessThan(UNAVAILABLE_BUDGET_MS);
      expect(figures.keystrokes).toBeGreaterThan(OUTAGE_MS / 200);
      expect(figures.predictions).toBe(figures.keystrokes);
      expect(recoveredMs).toBeLessThan(RECOVERY_BUDGET_MS);
      expect(figures.gatewayRestarted).toBe(false);
    } finally {
      for (const c of clients) c.close();
    }
  });
});
