/** An erasure request removes a session's data everywhere: Postgres rows and Redis session state. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedis, type RedisInstance } from '../harness/index.js';
import { startTestRuntime, type TestRuntime } from '../helpers/runtime.js';
import { TestClient } from '../helpers/ws-client.js';
import { ConversationStore } from '../../app/conversations/conversation-store.js';

const TOKEN = 'test-admin-token-0123456789abcdef0123';
let redis: RedisInstance;
let app: TestRuntime;
beforeAll(async () => {
  redis = await startRedis();
  app = await startTestRuntime({ ADMIN_TOKEN: TOKEN, REDIS_URL: redis.url });
});
afterAll(async () => {
  await app?.dispose();
  await redis?.stop();
});

describe('erasure', () => {
  it('deletes the session everywhere, behind the admin token', async () => {
    const client = await TestClient.connect(app.wsUrl);
    const sessionId = (await client.next('hello')).sessionId!; // a v4 hello always has one
    client.send({ type: 'typing', seq: 1, text: 'tr8s' });
    const top = (await client.next('prediction')).items[0]!;
    client.send({ type: 'select', productId: top.productId });
    await client.next('manual');
    client.close();
    await new ConversationStore(app.db).record({
      sessionId,
      askId: 'a',
      productId: top.productId,
      question: 'q',
      answer: 'a',
      citations: [],
      outcome: 'ok',
      model: 'extractive',
    });
    await expect
      .poll(
        async () => (await app.db.query('SELECT 1 FROM audit_log WHERE session_id = $1', [sessionId])).rows.length,
        { timeout: 5_000 },
      )
      .toBeGreaterThan(0);

    const url = `${app.internalUrl}/api/admin/sessions/${sessionId}`;
    expect((await fetch(url, { method: 'DELETE' })).status).toBe(401);
    expect((await fetch(url, { method: 'DELETE', headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
    const erased = await fetch(url, { method: 'DELETE', headers: { authorization: `Bearer ${TOKEN}` } });
    expect(erased.status).toBe(200);
    expect(await erased.json()).toMatchObject({ sessionId, conversationTurns: 1, auditRows: expect.any(Number) });

    expect((await app.db.query('SELECT 1 FROM conversation_turns WHERE session_id = $1', [sessionId])).rows).toEqual(
      [],
    );
    expect((await app.db.query('SELECT 1 FROM audit_log WHERE session_id = $1', [sessionId])).rows).toEqual([]);
    const again = await TestClient.connect(app.wsUrl);
    await again.next('hello');
    again.send({ type: 'resume', sessionId });
    expect(await again.next('error')).toMatchObject({ code: 'not_found' });
    again.close();
  });

  it('has no admin API without a token configured', async () => {
    const plain = await startTestRuntime();
    expect((await fetch(`${plain.internalUrl}/api/admin/sessions/x`, { method: 'DELETE' })).status).toBe(404);
    await plain.dispose();
  });
});
