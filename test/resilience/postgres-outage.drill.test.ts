/**
 * Postgres outage drill, against real postgres on loopback: a gateway (a real process) serves clients
 * that type and ask; Postgres is stopped (fast shutdown, as a node loss or a failover's old primary
 * going away), stays down, and is started again on the same data directory and port (the `-rw` Service
 * finding a primary again). Throughout, the gateway must stay Ready (it can still serve predictions),
 * every keystroke must get its prediction, every ask must answer `unavailable` within 3 s, and once
 * Postgres is back asks must succeed again without restarting the gateway. Prints the measured figures.
 */
import { dirname } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  postgresOsUser,
  requireBinary,
  spawnService,
  startPostgres,
  type PostgresInstance,
  type Service,
} from '../harness/index.js';
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

const OUTAGE_MS = 8_000;
const UNAVAILABLE_BUDGET_MS = 3_000;
const RECOVERY_BUDGET_MS = 10_000;

let postgres: PostgresInstance;
let restarted: Service | undefined;
let gateway: AppProcess;

beforeAll(async () => {
  postgres = await startPostgres();
  gateway = await spawnGateway({ DATABASE_URL: await postgres.createDatabase('hsc'), ANSWER_WAIT_SECONDS: '10' });
  await prepareManual(gateway.wsUrl, DEMO_PRODUCTS.tr8s);
});

afterAll(async () => {
  await killAll([gateway]);
  await restarted?.stop(10_000);
  await postgres?.stop();
});

/** Starts postgres again on the stopped instance's data directory (its port and settings are in postgresql.conf). */
async function restartPostgres(): Promise<Service> {
  return spawnService({
    name: 'postgres-restarted',
    command: requireBinary('postgres', 'postgresql'),
    args: ['-D', postgres.dataDir],
    dir: dirname(postgres.dataDir),
    ...(await postgresOsUser()),
    stopSignal: 'SIGINT',
    ready: async () => {
      const client = new pg.Client({ connectionString: postgres.url, connectionTimeoutMillis: 1_000 });
      client.on('error', () => undefined);
      try {
        await client.connect();
        return (await client.query('SELECT 1 AS ok')).rows[0]?.ok === 1;
      } finally {
        await client.end().catch(() => undefined);
      }
    },
  });
}

describe('Postgres outage', () => {
  it('keeps the gateway Ready and predicting, answers asks `unavailable` within 3 s, and recovers without a restart', async () => {
    const readyStatuses: number[] = [];
    let polling = true;
    const readinessPoll = (async () => {
      while (polling) {
        readyStatuses.push(
          await fetch(`${gateway.url}/readyz`).then(
            (r) => r.status,
            () => 0,
          ),
        );
        await sleep(200);
      }
    })();

    const clients = await Promise.all([0, 1, 2].map((i) => LoadClient.connect(gateway.wsUrl, `outage-${i}`)));
    try {
      for (const c of clients) c.startTyping(100, TYPING_TEXTS);
      await sleep(500);
      await postgres.kill('SIGINT');
      const downAt = Date.now();
      for (const c of clients) c.startAsking(400, [DEMO_PRODUCTS.tr8s], 5);
      await sleep(OUTAGE_MS);
      for (const c of clients) c.stopLoad();
      const outageAsks = allAsks(clients).filter((a) => a.sentAt >= downAt);
      const outageKeystrokes = allKeystrokes(clients).filter((k) => k.sentAt >= downAt);
      await waitForAsksToSettle(clients, UNAVAILABLE_BUDGET_MS);
      const readyDuringOutage = [...readyStatuses];

      restarted = await restartPostgres();
      const upAt = Date.now();
      const recoveredMs = await timeToFirstAnswer(
        gateway.wsUrl,
        'outage-recovery',
        DEMO_PRODUCTS.tr8s,
        upAt,
        RECOVERY_BUDGET_MS + 5_000,
      );
      polling = false;
      await readinessPoll;

      const unavailableMs = outageAsks.map((a) => (a.settledAt ?? Number.POSITIVE_INFINITY) - a.sentAt);
      const figures = {
        drill: 'postgres-outage',
        outageMs: upAt - downAt,
        readinessProbes: readyDuringOutage.length,
        readinessNot200: readyStatuses.filter((s) => s !== 200).length,
        keystrokes: outageKeystrokes.length,
        predictions: outageKeystrokes.filter((k) => k.answeredAt !== undefined).length,
        predictionP99Ms: percentile(
          outageKeystrokes.filter((k) => k.answeredAt !== undefined).map((k) => k.answeredAt! - k.sentAt),
          99,
        ),
        asks: askSummary(outageAsks),
        unavailableP50Ms: percentile(unavailableMs, 50),
        unavailableMaxMs: Math.max(...unavailableMs),
        recoveredMs,
        gatewayRestarted: gateway.child.exitCode !== null,
      };
      console.log(JSON.stringify(figures));

      expect(readyStatuses.length).toBeGreaterThan(OUTAGE_MS / 400);
      expect(figures.readinessNot200).toBe(0);
      expect(figures.keystrokes).toBeGreaterThan(OUTAGE_MS / 200);
      expect(figures.predictions).toBe(figures.keystrokes);
      expect(outageAsks.length).toBeGreaterThan(0);
      expect(outageAsks.map((a) => a.code)).toEqual(outageAsks.map(() => 'unavailable'));
      expect(figures.unavailableMaxMs).toBeLessThan(UNAVAILABLE_BUDGET_MS);
      expect(recoveredMs).toBeLessThan(RECOVERY_BUDGET_MS);
      expect(figures.gatewayRestarted).toBe(false);
    } finally {
      polling = false;
      for (const c of clients) c.close();
    }
  });
});
