/**
 * Finding 1: clients that stop reading while asking for the biggest frames the server sends. A session
 * with 100 turns of 1,990-character questions makes a large `history`; four sockets that never read
 * send `[select, resume]` pairs at 48 frames/s (under the rate limit) for 20 s, reconnecting whenever
 * the server drops them. Budgets: gateway RSS growth ≤ 64 MB over its settled baseline, and every
 * offending socket closed by the server (none left open once the attack stops).
 */
import type { Socket } from 'node:net';
import { WebSocket } from 'ws';
import { rssKb, settledRssKb } from '../../load/proc-stats.js';
import { TestClient } from '../../../test/helpers/ws-client.js';
import { sleep, type Scenario } from '../scenario.js';
import { DEMO_PRODUCTS } from '../stack.js';

const TURNS = 100;
const ATTACKERS = 4;
const ATTACK_MS = 20_000;
const PAIR_EVERY_MS = Math.round(1000 / 24); // 24 pairs = 48 frames a second
const RSS_GROWTH_BUDGET_MB = 64;

/** Builds a session with TURNS answered questions, three in flight at a time (the per-socket cap). */
async function sessionWithLongHistory(wsUrl: string): Promise<string> {
  const client = await TestClient.connect(wsUrl);
  try {
    const sessionId = (await client.next('hello')).sessionId!; // a v4 hello always has one
    client.send({ type: 'select', productId: DEMO_PRODUCTS.tr8s });
    await client.next('manual', (m) => m.status === 'ready', 60_000);
    const padding = 'Please explain every step in detail. '.repeat(60);
    for (let i = 0; i < TURNS; i += 3) {
      const ids = [i, i + 1, i + 2].filter((n) => n < TURNS).map((n) => `turn-${n}`);
      for (const id of ids)
        client.send({
          type: 'ask',
          id,
          productId: DEMO_PRODUCTS.tr8s,
          question: `${id}: how do I restore the factory settings? ${padding}`.slice(0, 1_990),
        });
      for (const id of ids) await client.next('answer_done', (d) => d.id === id, 60_000);
    }
    return sessionId;
  } finally {
    client.close();
  }
}

interface AttackCounts {
  sockets: number;
  closedByServer: number;
  /** Still open after 3 s of pairs: the server never gave up on it (closed by the attacker, counted). */
  leftOpen: number;
  framesSent: number;
}

/** One attacker: a socket that reads its hello, then only writes; a new one whenever it is dropped. */
async function attack(wsUrl: string, sessionId: string, until: number, counts: AttackCounts): Promise<void> {
  while (Date.now() < until) {
    const ws = new WebSocket(wsUrl, { perMessageDeflate: false });
    const gone = new Promise<void>((resolve) => {
      ws.once('close', () => resolve());
      ws.once('error', () => resolve());
    });
    const opened = await Promise.race([
      new Promise<boolean>((resolve) => ws.once('message', () => resolve(true))),
      gone.then(() => false),
    ]);
    if (!opened) {
      await sleep(100);
      continue;
    }
    counts.sockets += 1;
    (ws as unknown as { _socket: Socket })._socket.pause();
    const started = Date.now();
    let dropped = false;
    void gone.then(() => {
      dropped = true;
    });
    while (!dropped && Date.now() - started < 3_000) {
      try {
        ws.send(JSON.stringify({ type: 'select', productId: DEMO_PRODUCTS.tr8s }));
        ws.send(JSON.stringify({ type: 'resume', sessionId }));
        counts.framesSent += 2;
      } catch {
        break;
      }
      await sleep(PAIR_EVERY_MS);
    }
    if (dropped || ws.readyState !== WebSocket.OPEN) counts.closedByServer += 1;
    else {
      counts.leftOpen += 1;
      ws.terminate();
    }
  }
}

export const slowReaders: Scenario = {
  name: 'slow-readers-resume-amplification',
  async run(stack) {
    const sessionId = await sessionWithLongHistory(stack.gateway.url.replace(/^http/, 'ws') + '/ws');
    const pid = stack.gateway.child.pid!;
    const baseline = await settledRssKb(pid, 2_000, 3);
    const closesBefore = await stack.metric('websocket_closed_total');
    const counts: AttackCounts = { sockets: 0, closedByServer: 0, leftOpen: 0, framesSent: 0 };
    let peakKb = baseline.medianKb;
    const sampler = setInterval(() => {
      peakKb = Math.max(peakKb, rssKb(pid));
    }, 200);
    const until = Date.now() + ATTACK_MS;
    try {
      await Promise.all(Array.from({ length: ATTACKERS }, () => attack(stack.gateway.wsUrl, sessionId, until, counts)));
    } finally {
      clearInterval(sampler);
    }
    await sleep(2_000);
    const openAfter = await stack.metric('websocket_active_connections');
    const closes: Record<string, number> = {};
    for (const reason of ['resume_repeated', 'backlog', 'flood', 'heartbeat'])
      closes[reason] = await stack.metric('websocket_closed_total', { reason });
    const growthMb = Math.round((peakKb - baseline.medianKb) / 102.4) / 10;
    return {
      figures: {
        historyTurns: TURNS,
        attackers: ATTACKERS,
        attackSeconds: ATTACK_MS / 1000,
        ...counts,
        serverClosesByReason: closes,
        serverClosesDuringAttack: (await stack.metric('websocket_closed_total')) - closesBefore,
        gatewayRssBaselineMb: Math.round(baseline.medianKb / 102.4) / 10,
        gatewayRssPeakMb: Math.round(peakKb / 102.4) / 10,
        gatewayRssGrowthMb: growthMb,
        socketsOpenAfterAttack: openAfter,
      },
      budgets: [
        { name: 'gateway RSS growth (MB)', value: growthMb, max: RSS_GROWTH_BUDGET_MB },
        { name: 'offending sockets the server left open', value: counts.leftOpen + openAfter, max: 0 },
        { name: 'offending sockets closed by the server', value: counts.closedByServer, min: ATTACKERS },
      ],
    };
  },
};
