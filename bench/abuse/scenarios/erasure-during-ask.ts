/**
 * Finding 7: erasure of a live session. A customer asks, with personal data in the question, about a
 * product whose manual download is held; a second tab of the session is open; the operator erases the
 * session while the ask waits. Then the manual is released, so an ask still alive would answer and be
 * recorded. Budgets: nothing of the session stored afterwards (turns, audit rows, session row), both
 * sockets closed by the server, and the id refused (`erased`) when resumed.
 */
import pg from 'pg';
import { TestClient } from '../../../test/helpers/ws-client.js';
import { sleep, type Scenario } from '../scenario.js';
import { ADMIN_TOKEN, HELD_PRODUCT } from '../stack.js';

/** After the release: the manual is prepared and a surviving ask answered well within this. */
const SETTLE_MS = 15_000;

export const erasureDuringAsk: Scenario = {
  name: 'erasure-during-ask',
  async run(stack) {
    const db = new pg.Client({ connectionString: stack.databaseUrl });
    await db.connect();
    const asker = await TestClient.connect(`${stack.gateway.wsUrl}?protocol=5`);
    const tab = await TestClient.connect(`${stack.gateway.wsUrl}?protocol=5`);
    try {
      await asker.next('hello');
      asker.send({
        type: 'ask',
        id: 'personal',
        productId: HELD_PRODUCT,
        question: 'I am Jane Doe, serial 12345: how do I reset it?',
      });
      const { sessionId } = await asker.next('session');
      await tab.next('hello');
      tab.send({ type: 'resume', sessionId });
      await tab.next('history');
      await asker.next('manual', (m) => m.productId === HELD_PRODUCT, 10_000);

      const erasedAt = performance.now();
      const response = await fetch(`${stack.internalUrl}/api/admin/sessions/${sessionId}`, {
        method: 'DELETE',
        headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      });
      const report = (await response.json()) as Record<string, unknown>;
      const closes = await Promise.all(
        [asker, tab].map((socket) =>
          socket.waitClosed(10_000).then(
            (closed) => ({ code: closed.code, ms: Math.round(performance.now() - erasedAt) }),
            () => undefined,
          ),
        ),
      );
      stack.releaseHeldManual();
      await sleep(SETTLE_MS);
      const count = async (sql: string) => Number((await db.query(sql, [sessionId])).rows[0].n);
      const left = {
        turns: await count('SELECT count(*) AS n FROM conversation_turns WHERE session_id = $1'),
        audit: await count('SELECT count(*) AS n FROM audit_log WHERE session_id = $1'),
        sessions: await count('SELECT count(*) AS n FROM sessions WHERE id = $1'),
      };
      const heldReady = await db.query('SELECT status FROM manuals WHERE product_id = $1', [HELD_PRODUCT]);
      const again = await TestClient.connect(`${stack.gateway.wsUrl}?protocol=5`);
      await again.next('hello');
      again.send({ type: 'resume', sessionId });
      const refusal = await again.next('error').catch(() => undefined);
      again.close();
      const closedByServer = closes.filter((c) => c?.code === 1008).length;
      return {
        figures: {
          erasureStatus: response.status,
          report: { conversationTurns: report.conversationTurns, auditRows: report.auditRows },
          socketsClosed: closes,
          heldManualAfterRelease: heldReady.rows[0]?.status,
          storedAfterwards: left,
          resumeAfterwards: refusal && { code: refusal.code, reason: refusal.reason },
        },
        budgets: [
          { name: 'rows of the erased session afterwards', value: left.turns + left.audit + left.sessions, max: 0 },
          { name: 'sockets of the session closed (1008)', value: closedByServer, min: 2 },
          { name: 'resume refused as erased', value: refusal?.reason === 'erased' ? 1 : 0, min: 1 },
        ],
      };
    } finally {
      asker.close();
      tab.close();
      await db.end();
    }
  },
};
