/**
 * Sessions that cost nothing until used, kept apart from the cache (issue 24, findings 5 and 10; issue
 * 26, "a conversation that is never lost"), against the running app on embedded defaults:
 * - a socket that only types (or does nothing) stores nothing, and its id cannot be resumed; the first
 *   `select` stores the session;
 * - the answer cache filling its store cannot evict a session (they shared one 100,000-entry LRU);
 * - a full session store refuses a new session with `unavailable`, counted, while stored ones go on;
 * - one address opening sockets faster than its rate is refused (1013), another address is not;
 * - a second tab (a second socket of the session) follows the first one's questions live: `turn` frames,
 *   none to the socket that asked and none to a v4 socket;
 * - the session id never reaches a log line: its short hash does.
 */
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { TestClient } from '../helpers/ws-client.js';
import { startTestRuntime, type TestRuntime } from '../helpers/runtime.js';
import { sessionRef } from '../../app/shared/log.js';
import { MAX_FRAME_BYTES } from '../../app/shared/protocol.js';

const TR8S = 'roland_87-tr8s';
const SQ5 = 'allen_heath_40_sq5';
/** The embedded cache's entry cap the sessions used to share. */
const SHARED_LRU_ENTRIES = 100_000;

const logLines: string[] = [];
let app: TestRuntime;
beforeAll(async () => {
  const capture = new Writable({
    write(chunk, _encoding, done) {
      logLines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  app = await startTestRuntime({ LOG_LEVEL: 'debug', DEMO_MANUALS: 'true' }, { logDestination: capture });
});
afterAll(async () => {
  await app?.dispose();
});

const storedSessions = async (rt: TestRuntime = app) =>
  Number((await rt.db.query<{ n: string }>('SELECT count(*) AS n FROM sessions')).rows[0]!.n);

async function resume(sessionId: string, rt: TestRuntime = app) {
  const client = await TestClient.connect(`${rt.wsUrl}?protocol=5`);
  await client.next('hello');
  client.send({ type: 'resume', sessionId });
  const reply = await client.next('hello', (h) => h.resumed === true).catch(() => undefined);
  const error = client.frames.find((f) => f.type === 'error');
  client.close();
  return reply ? ('resumed' as const) : error;
}

describe('sessions cost nothing until used', () => {
  it('a socket that only types leaves nothing behind; the first select stores the session', async () => {
    const before = await storedSessions();
    const idle: string[] = [];
    for (let i = 0; i < 20; i += 1) {
      const client = await TestClient.connect(app.wsUrl); // v4: the hello names an id anyway
      idle.push((await client.next('hello')).sessionId!);
      client.send({ type: 'typing', seq: 1, text: 'tr8s' });
      await client.next('prediction');
      client.close();
      await client.waitClosed();
    }
    expect(await storedSessions()).toBe(before);
    expect(await resume(idle[0]!)).toMatchObject({ type: 'error', code: 'not_found', reason: 'expired' });

    const used = await TestClient.connect(app.wsUrl);
    const { sessionId } = await used.next('hello');
    used.send({ type: 'select', productId: TR8S });
    await used.next('manual');
    used.close();
    expect(await storedSessions()).toBe(before + 1);
    expect(await resume(sessionId!)).toBe('resumed');
  });

  it('the answer cache filling its store does not evict a session', async () => {
    const client = await TestClient.connect(`${app.wsUrl}?protocol=5`);
    await client.next('hello');
    client.send({ type: 'select', productId: SQ5 });
    const { sessionId } = await client.next('session');
    client.close();
    // More entries than the in-process store holds: before, the oldest (the session) went first.
    for (let i = 0; i <= SHARED_LRU_ENTRIES; i += 1) await app.kv.set(`answers:filler-${i}`, 'x', 3600);
    expect(await resume(sessionId)).toBe('resumed');
  });
});

describe('limits', () => {
  let small: TestRuntime;
  beforeAll(async () => {
    small = await startTestRuntime({
      SESSION_STORE_MAX: '2',
      WS_CONNECTS_PER_MINUTE_PER_CLIENT: '12',
      TRUST_PROXY: '1',
    });
  });
  afterAll(async () => {
    await small?.dispose();
  });

  /** A socket from `address` (as the trusted proxy in front says), or the close that refused it. */
  async function open(address: string): Promise<{ client?: TestClient; refused?: { code: number; reason: string } }> {
    const socket = new WebSocket(small.wsUrl, { headers: { 'x-forwarded-for': address }, perMessageDeflate: false });
    return new Promise((resolve, reject) => {
      socket.once('message', () => {
        socket.close();
        resolve({});
      });
      socket.once('close', (code, reason) => resolve({ refused: { code, reason: reason.toString() } }));
      socket.once('error', reject);
    });
  }

  it('refuses a new session with `unavailable` when the store is full, counted; stored ones go on', async () => {
    const clients = await Promise.all([1, 2, 3].map(() => TestClient.connect(`${small.wsUrl}?protocol=5`)));
    const outcomes = [];
    for (const client of clients) {
      await client.next('hello');
      client.send({ type: 'select', productId: TR8S });
      outcomes.push(await Promise.race([client.next('session'), client.next('error')]));
    }
    expect(outcomes.slice(0, 2).map((f) => f.type)).toEqual(['session', 'session']);
    expect(outcomes[2]).toMatchObject({ type: 'error', code: 'unavailable' });
    const metrics = await (await fetch(`${small.internalUrl}/metrics`)).text();
    expect(metrics).toMatch(/^session_store_full_total 1$/m);
    expect(metrics).toMatch(/^session_store_capacity 2$/m);
    // A stored session is not refused: it asks again, picks another product.
    clients[0]!.send({ type: 'select', productId: SQ5 });
    expect(await clients[0]!.next('manual', (m) => m.productId === SQ5)).toBeDefined();
    for (const client of clients) client.close();
  });

  it('refuses an address that opens sockets faster than its rate, and only that address', async () => {
    const churner = '203.0.113.7';
    const outcomes = [];
    for (let i = 0; i < 14; i += 1) outcomes.push(await open(churner));
    const refused = outcomes.filter((o) => o.refused);
    expect(refused.length).toBeGreaterThanOrEqual(1);
    expect(refused[0]!.refused).toMatchObject({
      code: 1013,
      reason: expect.stringMatching(/too many new connections/),
    });
    expect(await open('198.51.100.9')).toEqual({});
    const metrics = await (await fetch(`${small.internalUrl}/metrics`)).text();
    expect(metrics).toMatch(/^websocket_closed_total\{reason="connect_rate"\} [1-9]/m);
  });
});

describe('a second tab', () => {
  it('follows the conversation live; the asking socket and a v4 socket get no `turn`', async () => {
    const first = await TestClient.connect(`${app.wsUrl}?protocol=5`);
    await first.next('hello');
    first.send({ type: 'select', productId: TR8S });
    const { sessionId } = await first.next('session');
    const second = await TestClient.connect(`${app.wsUrl}?protocol=5`);
    await second.next('hello');
    second.send({ type: 'resume', sessionId });
    await second.next('history');
    const older = await TestClient.connect(app.wsUrl);
    await older.next('hello');
    older.send({ type: 'resume', sessionId });
    await older.next('history');

    first.send({
      type: 'ask',
      id: 'q1',
      productId: TR8S,
      question: 'how do I restore the factory settings?',
      thread: 't1',
    });
    const done = await first.next('answer_done', (f) => f.id === 'q1', 30_000);
    const asked = await second.next('turn', (t) => t.phase === 'asked');
    expect(asked.turn).toMatchObject({ id: 'q1', thread: 't1', productId: TR8S, answer: '' });
    const finished = await second.next('turn', (t) => t.phase === 'done', 10_000);
    const streamed = first.frames
      .filter((f) => f.type === 'answer_chunk' && f.id === 'q1')
      .map((f) => (f as { text: string }).text)
      .join('');
    expect(finished.turn).toMatchObject({
      id: 'q1',
      thread: 't1',
      question: 'how do I restore the factory settings?',
      answer: streamed,
      citations: done.citations,
      outcome: 'ok',
    });
    // Heartbeats both ways: anything sent before has arrived.
    for (const socket of [first, older]) {
      socket.send({ type: 'heartbeat' });
      await socket.next('heartbeat', (h) => h.reply === true);
    }
    expect(first.frames.map((f) => f.type)).not.toContain('turn');
    expect(older.frames.map((f) => f.type)).not.toContain('turn');
    for (const socket of [first, second, older]) socket.close();
  });
});

describe('logs', () => {
  it('carry a session as its short hash, never its id', async () => {
    const client = await TestClient.connect(`${app.wsUrl}?protocol=5`);
    await client.next('hello');
    client.send({ type: 'select', productId: TR8S });
    const { sessionId } = await client.next('session');
    client.send({ type: 'resume', sessionId: 'no-such-session' });
    await client.next('error');
    client.send('x'.repeat(MAX_FRAME_BYTES + 1)); // a debug line from the socket's own logger
    await client.waitClosed();
    await expect.poll(() => logLines.some((l) => l.includes(sessionRef(sessionId))), { timeout: 5_000 }).toBe(true);
    expect(logLines.filter((l) => l.includes(sessionId))).toEqual([]);
    expect(logLines.filter((l) => l.includes('no-such-session'))).toEqual([]);
  });
});
