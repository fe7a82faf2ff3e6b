/**
 * Erasure is final (issue 24, finding 7). Two gateway instances on real Postgres and Redis, no worker,
 * so a manual stays `queued` and an ask about it waits: the session is erased (through one instance's
 * admin API) while that ask waits on the other. Its sockets on both instances are told and closed, and
 * nothing is stored under the id afterwards, not even when the ask's wait would have ended; the id can
 * never be resumed again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgres, startRedis, type PostgresInstance, type RedisInstance } from '../harness/index.js';
import { startTestRuntime, type TestRuntime } from '../helpers/runtime.js';
import { TestClient } from '../helpers/ws-client.js';
import { ConversationStore } from '../../app/core/conversations/conversation-store.js';
import { DEMO_PRODUCTS } from './helpers/app-stack.js';

const TOKEN = 'test-admin-token-0123456789abcdef0123';
/** How long the waiting ask would wait for its manual before it ends (and, before the fix, was stored). */
const ANSWER_WAIT_SECONDS = 3;
let postgres: PostgresInstance;
let redis: RedisInstance;
let a: TestRuntime;
let b: TestRuntime;
beforeAll(async () => {
  [postgres, redis] = await Promise.all([startPostgres(), startRedis()]);
  const env = {
    ADMIN_TOKEN: TOKEN,
    DATABASE_URL: await postgres.createDatabase('hsc'),
    REDIS_URL: redis.url,
    DEMO_MANUALS: 'true',
    ANSWER_WAIT_SECONDS: String(ANSWER_WAIT_SECONDS),
  };
  a = await startTestRuntime(env);
  b = await startTestRuntime(env);
});
afterAll(async () => {
  await Promise.allSettled([a?.dispose(), b?.dispose()]);
  await Promise.allSettled([postgres?.stop(), redis?.stop()]);
});

const erase = (sessionId: string, token = TOKEN) =>
  fetch(`${a.internalUrl}/api/admin/sessions/${sessionId}`, {
    method: 'DELETE',
    headers: { authorization: `Bearer ${token}` },
  });
const rowsOf = async (sessionId: string) => ({
  turns: (await a.db.query('SELECT 1 FROM conversation_turns WHERE session_id = $1', [sessionId])).rows.length,
  audit: (await a.db.query('SELECT 1 FROM audit_log WHERE session_id = $1', [sessionId])).rows.length,
  sessions: (await a.db.query('SELECT 1 FROM sessions WHERE id = $1', [sessionId])).rows.length,
});

/** The id is tombstoned: resuming it, on either instance, says it was erased. */
async function expectResumeRefusedAsErased(sessionId: string): Promise<void> {
  const again = await TestClient.connect(`${b.wsUrl}?protocol=5`);
  await again.next('hello');
  again.send({ type: 'resume', sessionId });
  expect(await again.next('error')).toMatchObject({ code: 'not_found', reason: 'erased' });
  again.close();
}

describe('erasure', () => {
  it('deletes the session everywhere, behind the admin token', async () => {
    const client = await TestClient.connect(a.wsUrl);
    const sessionId = (await client.next('hello')).sessionId!; // a v4 hello always has one
    client.send({ type: 'select', productId: DEMO_PRODUCTS.tr8s });
    await client.next('manual');
    client.close();
    await new ConversationStore(a.db, 90).record({
      sessionId,
      askId: 'a',
      productId: DEMO_PRODUCTS.tr8s,
      question: 'q',
      answer: 'a',
      citations: [],
      outcome: 'ok',
      model: 'extractive',
    });
    await expect.poll(async () => (await rowsOf(sessionId)).audit, { timeout: 5_000 }).toBeGreaterThan(0);

    expect((await erase(sessionId, 'wrong')).status).toBe(401);
    const erased = await erase(sessionId);
    expect(erased.status).toBe(200);
    expect(await erased.json()).toMatchObject({ sessionId, conversationTurns: 1, auditRows: expect.any(Number) });
    expect(await rowsOf(sessionId)).toEqual({ turns: 0, audit: 0, sessions: 0 });

    await expectResumeRefusedAsErased(sessionId);
  });

  it('is final while an ask waits: every socket of the session closed, nothing stored afterwards', async () => {
    const asker = await TestClient.connect(`${b.wsUrl}?protocol=5`);
    await asker.next('hello');
    asker.send({
      type: 'ask',
      id: 'q1',
      productId: DEMO_PRODUCTS.sq5,
      question: 'I am Jane Doe, serial 12345: how do I reset it?',
    });
    const { sessionId } = await asker.next('session');
    // The same session in a second tab, on the other instance.
    const tab = await TestClient.connect(`${a.wsUrl}?protocol=5`);
    await tab.next('hello');
    tab.send({ type: 'resume', sessionId });
    await tab.next('hello', (h) => h.resumed === true);
    // The ask now waits for its manual, which no worker prepares.
    await asker.next('manual', (m) => m.productId === DEMO_PRODUCTS.sq5 && m.status === 'queued');

    const erased = await erase(sessionId);
    expect(erased.status).toBe(200);
    for (const socket of [asker, tab]) {
      expect((await socket.waitClosed(5_000)).code).toBe(1008);
      expect(socket.frames).toContainEqual(
        expect.objectContaining({ type: 'error', code: 'not_found', reason: 'erased' }),
      );
    }
    // Past the moment the ask would have ended and been recorded, and an audit flush after it.
    await new Promise((resolve) => setTimeout(resolve, ANSWER_WAIT_SECONDS * 1000 + 2_500));
    expect(await rowsOf(sessionId)).toEqual({ turns: 0, audit: 0, sessions: 0 });

    await expectResumeRefusedAsErased(sessionId);
  });

  it('has no admin API without a token configured', async () => {
    const plain = await startTestRuntime();
    expect((await fetch(`${plain.internalUrl}/api/admin/sessions/x`, { method: 'DELETE' })).status).toBe(404);
    await plain.dispose();
  });
});
