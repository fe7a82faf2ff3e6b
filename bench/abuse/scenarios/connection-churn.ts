/**
 * Finding 5: connection churn. A real customer's session (a question answered) exists first; then
 * 100,000 connect/close cycles (each waits for the `hello`, a tenth also type a keystroke) from 1,000
 * addresses (behind the trusted proxy), 64 at a time, and one address connecting as fast as it can.
 * Budgets: the session store's size back at its baseline, the real session still resumes with its
 * turn, one address admitted no faster than WS_CONNECTS_PER_MINUTE_PER_CLIENT allows, and no session
 * id in the gateway's log.
 */
import pg from 'pg';
import { WebSocket } from 'ws';
import { rssKb } from '../../load/proc-stats.js';
import { TestClient } from '../../../test/helpers/ws-client.js';
import type { Scenario } from '../scenario.js';
import { DEMO_PRODUCTS } from '../stack.js';

const CYCLES = 100_000;
const ADDRESSES = 1_000;
const PARALLEL = 64;
/** One address's attempts, as fast as it can: more than its per-minute allowance. */
const ONE_ADDRESS_ATTEMPTS = 400;
/** The gateway's default WS_CONNECTS_PER_MINUTE_PER_CLIENT. */
const CONNECTS_PER_MINUTE = 300;

/** Opens a socket as `address`, waits for its first frame (or its refusal), sends `typing` if asked, closes. */
function cycle(wsUrl: string, address: string, type: boolean): Promise<'served' | 'refused'> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`${wsUrl}?protocol=5`, {
      headers: { 'x-forwarded-for': address },
      perMessageDeflate: false,
    });
    let served = false;
    socket.once('message', () => {
      served = true;
      if (type) socket.send(JSON.stringify({ type: 'typing', seq: 1, text: 'tr8s' }));
      socket.close();
    });
    socket.once('close', () => resolve(served ? 'served' : 'refused'));
    socket.once('error', reject);
  });
}

async function realSession(wsUrl: string): Promise<{ sessionId: string; askId: string }> {
  const client = await TestClient.connect(`${wsUrl}?protocol=5`);
  try {
    await client.next('hello');
    client.send({ type: 'select', productId: DEMO_PRODUCTS.sq5 });
    const { sessionId } = await client.next('session');
    await client.next('manual', (m) => m.status === 'ready', 60_000);
    client.send({ type: 'ask', id: 'real-1', productId: DEMO_PRODUCTS.sq5, question: 'how do I store a scene?' });
    await client.next('answer_done', (d) => d.id === 'real-1', 60_000);
    return { sessionId, askId: 'real-1' };
  } finally {
    client.close();
  }
}

export const connectionChurn: Scenario = {
  name: 'connection-churn',
  async run(stack) {
    const db = new pg.Client({ connectionString: stack.databaseUrl });
    await db.connect();
    try {
      const stored = async () => Number((await db.query('SELECT count(*) AS n FROM sessions')).rows[0].n);
      const real = await realSession(stack.gateway.wsUrl);
      const baseline = await stored();
      const pid = stack.gateway.child.pid!;
      const rssBeforeKb = rssKb(pid);

      let next = 0;
      let refused = 0;
      const started = performance.now();
      await Promise.all(
        Array.from({ length: PARALLEL }, async () => {
          for (let i = next++; i < CYCLES; i = next++) {
            const address = `10.77.${Math.floor((i % ADDRESSES) / 250)}.${i % 250}`;
            if ((await cycle(stack.gateway.wsUrl, address, i % 10 === 0)) === 'refused') refused += 1;
          }
        }),
      );
      const churnSeconds = (performance.now() - started) / 1000;
      const rssAfterKb = rssKb(pid);
      const afterChurn = await stored();

      const oneStarted = performance.now();
      let admitted = 0;
      for (let i = 0; i < ONE_ADDRESS_ATTEMPTS; i += 1)
        if ((await cycle(stack.gateway.wsUrl, '192.0.2.1', false)) === 'served') admitted += 1;
      const oneSeconds = (performance.now() - oneStarted) / 1000;
      const allowed = CONNECTS_PER_MINUTE + Math.ceil((oneSeconds * CONNECTS_PER_MINUTE) / 60);

      const client = await TestClient.connect(`${stack.gateway.wsUrl}?protocol=5`);
      let resumedTurns = 0;
      try {
        await client.next('hello');
        client.send({ type: 'resume', sessionId: real.sessionId });
        await client.next('hello', (h) => h.resumed === true);
        resumedTurns = (await client.next('history')).turns.filter((t) => t.id === real.askId).length;
      } finally {
        client.close();
      }
      const idsInLog = stack.gateway.logs.filter((l) => JSON.stringify(l).includes(real.sessionId)).length;
      return {
        figures: {
          cycles: CYCLES,
          addresses: ADDRESSES,
          churnSeconds: Math.round(churnSeconds * 10) / 10,
          cyclesPerSecond: Math.round(CYCLES / churnSeconds),
          refusedDuringChurn: refused,
          sessionsStored: { baseline, afterChurn },
          gatewayRssMb: { before: Math.round(rssBeforeKb / 1024), after: Math.round(rssAfterKb / 1024) },
          oneAddress: { attempts: ONE_ADDRESS_ATTEMPTS, admitted, seconds: Math.round(oneSeconds * 10) / 10, allowed },
          realSessionResumedWithItsTurn: resumedTurns === 1,
          sessionIdLogLines: idsInLog,
        },
        budgets: [
          { name: 'sessions stored after the churn, over the baseline', value: afterChurn - baseline, max: 0 },
          { name: 'the real session resumes with its turn', value: resumedTurns, min: 1 },
          { name: 'sockets one address opened past its rate', value: admitted - allowed, max: 0 },
          { name: 'one address refused at all', value: ONE_ADDRESS_ATTEMPTS - admitted, min: 1 },
          { name: 'log lines with the session id', value: idsInLog, max: 0 },
        ],
      };
    } finally {
      await db.end();
    }
  },
};
