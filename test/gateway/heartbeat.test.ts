/**
 * Issue 12 finding 13: the server sends a `heartbeat` frame every interval and cuts sockets that stay
 * silent for a whole interval, freeing the slot and the address quota a vanished client would keep.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { TestClient } from '../helpers/ws-client.js';
import { startTestRuntime, type TestRuntime } from '../helpers/runtime.js';

const HEARTBEAT_SECONDS = 1;
let app: TestRuntime;
beforeAll(async () => {
  app = await startTestRuntime({ WS_HEARTBEAT_SECONDS: String(HEARTBEAT_SECONDS), WS_MAX_CONNECTIONS_PER_CLIENT: '1' });
});
afterAll(async () => {
  await app?.dispose();
});

/** A client whose WebSocket stack does not answer pings: it only stays alive by what it sends. */
function rawSocket(): Promise<{ ws: WebSocket; frames: unknown[]; closed: Promise<number> }> {
  const ws = new WebSocket(app.wsUrl, { autoPong: false });
  const frames: unknown[] = [];
  ws.on('message', (data) => frames.push(JSON.parse(String(data))));
  const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    ws.once('message', () => resolve({ ws, frames, closed }));
    ws.once('error', reject);
  });
}

async function closedForHeartbeat(): Promise<number> {
  const text = await app.telemetry.registry.metrics();
  return Number(/websocket_closed_total\{reason="heartbeat"\} (\d+)/.exec(text)?.[1] ?? 0);
}

describe('heartbeat', () => {
  it('sends heartbeat frames and answers a client heartbeat at once', async () => {
    const client = await TestClient.connect(app.wsUrl);
    await client.next('hello');
    expect(await client.next('heartbeat', (f) => f.reply === undefined, 3_000)).toEqual({ type: 'heartbeat' });
    client.send({ type: 'heartbeat' });
    expect(await client.next('heartbeat', (f) => f.reply === true)).toEqual({ type: 'heartbeat', reply: true });
    client.close();
    await client.waitClosed();
  });

  it('cuts a vanished client within two intervals and frees its address quota', async () => {
    const before = await closedForHeartbeat();
    const gone = await rawSocket(); // never answers anything: like a laptop closed mid-session
    const started = Date.now();
    const code = await gone.closed;
    const cutAfterMs = Date.now() - started;
    console.log(JSON.stringify({ vanishedClientCutAfterMs: cutAfterMs, intervalMs: HEARTBEAT_SECONDS * 1000 }));
    expect(code).toBe(1006); // terminated: a dead peer would never complete a close handshake
    // In intervals, not ms: two of them, and as much again for timers a loaded machine runs late.
    expect(cutAfterMs).toBeLessThan(4 * HEARTBEAT_SECONDS * 1000);
    expect(gone.frames).toContainEqual({ type: 'heartbeat' });
    expect(await closedForHeartbeat()).toBe(before + 1);
    const next = await rawSocket(); // the per-address cap is 1: only accepted because the slot was freed
    expect(next.frames[0]).toMatchObject({ type: 'hello' });
    next.ws.terminate();
    await next.closed;
  });

  it('keeps a client that answers heartbeats, and a v1 client whose stack answers pings', async () => {
    const answering = await rawSocket();
    answering.ws.on('message', (data) => {
      if (JSON.parse(String(data)).type === 'heartbeat')
        answering.ws.send(JSON.stringify({ type: 'heartbeat', reply: true }));
    });
    await new Promise((r) => setTimeout(r, 3_500));
    expect(answering.ws.readyState).toBe(WebSocket.OPEN);
    answering.ws.close();
    await answering.closed;

    const v1 = await TestClient.connect(app.wsUrl); // ignores heartbeat frames; `ws` pongs by itself
    await new Promise((r) => setTimeout(r, 3_500));
    expect(v1.closed).toBeUndefined();
    v1.close();
    await v1.waitClosed();
  });
});
