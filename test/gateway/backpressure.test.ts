/**
 * Issue #24 finding 1: a client that stops reading must not grow the gateway. A resumed session's
 * history is capped (newest turns kept), `resume` is accepted once per socket, a socket over its send
 * budget is closed (1013, counted as `backlog`) while a reading socket doing the same stays, and the
 * heartbeat only counts a socket as alive when it answers something it had to read.
 */
import type { Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { HistoryTurn } from '../../app/shared/protocol.js';
import { startTestRuntime, type TestRuntime } from '../helpers/runtime.js';
import { TestClient } from '../helpers/ws-client.js';

const TR8S = 'roland_87-tr8s';
const HISTORY_MAX_BYTES = 16 * 1024;
const BACKLOG_BYTES = 64 * 1024;

let app: TestRuntime;
let beating: TestRuntime;
beforeAll(async () => {
  [app, beating] = await Promise.all([
    startTestRuntime({
      WS_SEND_BACKLOG_BYTES: String(BACKLOG_BYTES),
      WS_HISTORY_MAX_BYTES: String(HISTORY_MAX_BYTES),
      WS_HEARTBEAT_SECONDS: '300', // only the send budget acts on the slow reader here
      // The kernel's socket buffers (megabytes on loopback) fill before the gateway's own backlog grows:
      // a fast writer gets there in seconds rather than minutes.
      WS_RATE_PER_SECOND: '5000',
      WS_RATE_BURST: '10000',
      WS_MAX_ASKS_PER_CONNECTION: '100',
    }),
    startTestRuntime({ WS_HEARTBEAT_SECONDS: '1' }),
  ]);
});
afterAll(async () => {
  await Promise.all([app?.dispose(), beating?.dispose()]);
});

async function closedFor(runtime: TestRuntime, reason: string): Promise<number> {
  const text = await runtime.telemetry.registry.metrics();
  return Number(new RegExp(`websocket_closed_total\\{reason="${reason}"\\} (\\d+)`).exec(text)?.[1] ?? 0);
}

/** A client that reads its `hello` and then stops reading (its TCP socket paused), but keeps writing. */
async function nonReader(url: string): Promise<WebSocket> {
  const ws = new WebSocket(url, { perMessageDeflate: false });
  await new Promise<void>((resolve, reject) => {
    ws.once('message', () => resolve());
    ws.once('error', reject);
  });
  (ws as unknown as { _socket: Socket })._socket.pause();
  return ws;
}

async function ask(client: TestClient, id: string, question: string) {
  client.send({ type: 'ask', id, productId: TR8S, question });
  return Promise.race([
    client.next('answer_done', (f) => f.id === id, 60_000),
    client
      .next('error', (f) => f.ref === id, 60_000)
      .then((e) => {
        throw new Error(`ask ${id}: ${e.code} ${e.message}`);
      }),
  ]);
}

describe('backpressure on every frame', () => {
  it('sends a resumed history within its cap, newest turns kept, and accepts one resume per socket', async () => {
    const owner = await TestClient.connect(app.wsUrl);
    const { sessionId } = await owner.next('hello');
    const asked = 12;
    for (let i = 0; i < asked; i += 1)
      await ask(owner, `q${i}`, `How do I restore the factory settings? (${i}) ${'Please be thorough. '.repeat(95)}`);
    owner.close();

    const resumer = await TestClient.connect(`${app.wsUrl}?protocol=5`); // v5: `more` says turns were left out
    await resumer.next('hello');
    resumer.send({ type: 'resume', sessionId: sessionId! });
    await resumer.next('hello', (h) => h.resumed === true);
    const history = (await resumer.next('history')) as { turns: HistoryTurn[]; more?: boolean };
    const bytes = Buffer.byteLength(JSON.stringify(history));
    console.log(JSON.stringify({ historyFrameBytes: bytes, turnsSent: history.turns.length, more: history.more }));
    expect(bytes).toBeLessThanOrEqual(HISTORY_MAX_BYTES);
    expect(history.turns.length).toBeGreaterThan(0);
    expect(history.turns.at(-1)!.id).toBe(`q${asked - 1}`);
    expect(history.turns.length).toBeLessThan(asked);
    expect(history.more).toBe(true);

    const repeatedBefore = await closedFor(app, 'resume_repeated');
    resumer.send({ type: 'resume', sessionId: sessionId! });
    await resumer.waitClosed();
    expect(resumer.closed).toEqual({ code: 1008, reason: 'resume is allowed once per connection' });
    expect(resumer.frames.filter((f) => f.type === 'hello')).toHaveLength(2); // the first one and its resume
    expect(await closedFor(app, 'resume_repeated')).toBe(repeatedBefore + 1);
  });

  it('closes a socket that stops reading once its backlog passes the budget; a reader doing the same stays', {
    timeout: 180_000,
  }, async () => {
    // Malformed asks: each is answered with an `error` frame (never dropped), at no cost but parsing, so
    // the kernel's socket buffers fill quickly and the gateway's own backlog is what is measured.
    const bad = (id: string) =>
      JSON.stringify({ type: 'ask', id: `${id}`.padEnd(100, '-'), productId: TR8S, question: '' });
    const before = await closedFor(app, 'backlog');
    const slow = await nonReader(app.wsUrl);
    let sent = 0;
    // Under the rate limit, until the server gives up on the socket (or 100,000 frames).
    while (sent < 100_000 && (await closedFor(app, 'backlog')) === before) {
      for (let i = 0; i < 100; i += 1) slow.send(bad(`s${sent++}`));
      await new Promise((r) => setTimeout(r, 25));
    }
    console.log(JSON.stringify({ framesSentBeforeBacklogClose: sent, backlogBudgetBytes: BACKLOG_BYTES }));
    expect(await closedFor(app, 'backlog')).toBe(before + 1);
    slow.terminate();

    // The control: a socket that reads, sending the same at the same pace, is answered to the end.
    const reader = await TestClient.connect(app.wsUrl);
    await reader.next('hello');
    const controlFrames = Math.min(sent, 20_000);
    for (let i = 0; i < controlFrames; i += 100) {
      for (let j = i; j < i + 100; j += 1) reader.send(bad(`r${j}`));
      await new Promise((r) => setTimeout(r, 25));
    }
    const last = `r${controlFrames - 1}`.padEnd(100, '-');
    expect(await reader.next('error', (f) => f.ref === last, 60_000)).toMatchObject({ code: 'bad_request' });
    expect(reader.closed).toBeUndefined();
    expect(await closedFor(app, 'backlog')).toBe(before + 1);
    reader.close();
  });

  it('cuts a socket that keeps writing but never reads at the heartbeat; a reader writing the same stays', async () => {
    const before = await closedFor(beating, 'heartbeat');
    const writer = await nonReader(beating.wsUrl);
    const reader = await TestClient.connect(beating.wsUrl);
    await reader.next('hello');
    let seq = 0;
    // Keystrokes every 100 ms from both, for four heartbeat intervals.
    for (let i = 0; i < 40; i += 1) {
      seq += 1;
      if (writer.readyState === WebSocket.OPEN) writer.send(JSON.stringify({ type: 'typing', seq, text: 'roland' }));
      reader.send({ type: 'typing', seq, text: 'roland' });
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(await closedFor(beating, 'heartbeat')).toBe(before + 1);
    expect(reader.closed).toBeUndefined();
    reader.close();
    writer.terminate();
  });
});
