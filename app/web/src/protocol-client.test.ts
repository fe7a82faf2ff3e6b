/**
 * The protocol client against a real `ws` server on a loopback port. The server below speaks just
 * enough protocol v1 (hello, resume, typing → prediction) and records every frame it receives, and it can
 * drop every socket or stop listening, like a gateway restart.
 */
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { ProtocolClient, type ConnectionInfo, type NetworkMonitor, type SocketLike } from './protocol-client.ts';
import type { ClientFrame, ServerFrame } from './server-frames.ts';

/** The client's default silence budget (DEFAULT_HEARTBEAT.deadAfterMs). */
const DEFAULT_SILENCE_MS = 10_000;
const BACKOFF_MS = 60_000;

interface FakeGateway {
  url: string;
  received: ClientFrame[];
  /** Heartbeat frames the client sent, kept apart so the other assertions see only real traffic. */
  heartbeats: ClientFrame[];
  sessions: Set<string>;
  /** Like a frozen process: open sockets stay open but nothing is read or sent on them any more. */
  freeze(): void;
  dropAll(): void;
  broadcast(frame: ServerFrame): void;
  close(): Promise<void>;
}

let nextSession = 0;

async function startGateway(
  /** `protocol: 5`: the hello carries no session id; the first select or ask makes it (`session` frame). */
  options: { port?: number; silent?: boolean; protocol?: number } = {},
): Promise<FakeGateway> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: options.port ?? 0 });
  await once(wss, 'listening');
  const received: ClientFrame[] = [];
  const heartbeats: ClientFrame[] = [];
  const sessions = new Set<string>();
  const frozen = new Set<WebSocket>();
  wss.on('connection', (socket) => {
    const send = (frame: ServerFrame) => {
      if (!frozen.has(socket)) socket.send(JSON.stringify(frame));
    };
    const v5 = options.protocol === 5;
    let sessionId = `s${++nextSession}`;
    let announced = !v5;
    if (!v5) sessions.add(sessionId);
    if (!options.silent)
      send(v5 ? { type: 'hello', protocol: 5 } : { type: 'hello', sessionId, protocol: options.protocol ?? 1 });
    socket.on('message', (data) => {
      if (frozen.has(socket)) return;
      const frame = JSON.parse(String(data)) as ClientFrame;
      if (frame.type === 'heartbeat') {
        heartbeats.push(frame);
        if (!frame.reply) send({ type: 'heartbeat', reply: true });
        return;
      }
      received.push(frame);
      if (frame.type === 'resume') {
        if (sessions.has(frame.sessionId)) {
          sessionId = frame.sessionId;
          announced = true;
          send({ type: 'hello', sessionId, protocol: v5 ? 5 : 1, resumed: true, productId: 'p1' });
        } else
          send({
            type: 'error',
            code: 'not_found',
            message: 'session expired or unknown; start a new one',
            ...(v5 ? { reason: 'expired' as const } : {}),
          });
      }
      if ((frame.type === 'select' || frame.type === 'ask') && !announced) {
        announced = true;
        sessions.add(sessionId);
        send({ type: 'session', sessionId });
      }
      if (frame.type === 'typing') send({ type: 'prediction', seq: frame.seq, items: [] });
    });
  });
  const { port } = wss.address() as AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}/ws`,
    received,
    heartbeats,
    sessions,
    freeze: () => {
      for (const c of wss.clients) frozen.add(c);
    },
    dropAll: () => {
      for (const c of wss.clients) c.terminate();
    },
    broadcast: (frame) => {
      for (const c of wss.clients) c.send(JSON.stringify(frame));
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const c of wss.clients) c.terminate();
        wss.close(() => resolve());
      }),
  };
}

function memoryStorage() {
  const map = new Map<string, string>();
  return { getItem: (k: string) => map.get(k) ?? null, setItem: (k: string, v: string) => void map.set(k, v) };
}

async function until(condition: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function makeClient(url: string, extra: Partial<ConstructorParameters<typeof ProtocolClient>[0]> = {}) {
  const states: ConnectionInfo[] = [];
  const frames: ServerFrame[] = [];
  const sessions: Array<{ sessionId?: string; resumed: boolean; lost?: string }> = [];
  const client = new ProtocolClient({
    url,
    createSocket: (u) => new WebSocket(u) as unknown as SocketLike,
    storage: memoryStorage(),
    backoff: { baseMs: 20, maxMs: 100, jitter: 0.5 },
    onConnection: (info) => states.push(info),
    onFrame: (frame) => frames.push(frame),
    onSession: (session) => sessions.push(session),
    ...extra,
  });
  cleanups.push(() => client.stop());
  return { client, states, frames, sessions };
}

describe('ProtocolClient', () => {
  it('connects, stores the session and numbers keystrokes with rising seq', async () => {
    const gw = await startGateway();
    cleanups.push(gw.close);
    const { client, states, frames, sessions } = makeClient(gw.url);
    client.start();
    await until(() => client.connection === 'open', 'open');
    expect(states.map((s) => s.state)).toEqual(['connecting', 'open']);
    expect(sessions).toEqual([{ sessionId: client.sessionId, resumed: false }]);
    const seqs = ['r', 'ro', 'rol'].map((t) => client.typing(t));
    expect(seqs).toEqual([1, 2, 3]);
    await until(() => frames.filter((f) => f.type === 'prediction').length === 3, 'three predictions');
    expect(gw.received).toEqual([
      { type: 'typing', seq: 1, text: 'r' },
      { type: 'typing', seq: 2, text: 'ro' },
      { type: 'typing', seq: 3, text: 'rol' },
    ]);
  });

  it('drops a prediction older than one already delivered', async () => {
    const gw = await startGateway();
    cleanups.push(gw.close);
    const { client, frames } = makeClient(gw.url);
    client.start();
    await until(() => client.connection === 'open', 'open');
    gw.broadcast({ type: 'prediction', seq: 7, items: [] });
    gw.broadcast({ type: 'prediction', seq: 5, items: [] });
    gw.broadcast({ type: 'prediction', seq: 8, items: [] });
    await until(() => frames.some((f) => f.type === 'prediction' && f.seq === 8), 'seq 8');
    expect(frames.filter((f) => f.type === 'prediction').map((f) => (f as { seq: number }).seq)).toEqual([7, 8]);
  });

  it('reconnects after the server restarts, resumes first, then sends what was typed and asked offline', async () => {
    let gw = await startGateway();
    const port = Number(new URL(gw.url).port);
    const { client, states, sessions } = makeClient(gw.url);
    client.start();
    await until(() => client.connection === 'open', 'open');
    const sessionId = client.sessionId!;
    client.select('p1');
    await until(() => gw.received.length === 1, 'select');
    const survivors = gw.sessions;
    await gw.close();
    await until(() => client.connection === 'reconnecting', 'reconnecting');

    client.typing('rolnd');
    client.typing('rolnd td17');
    client.ask({ id: 'q1', productId: 'p1', question: 'How do I reset it?' });
    gw = await startGateway({ port });
    for (const s of survivors) gw.sessions.add(s); // the session store outlived the gateway
    cleanups.push(gw.close);

    await until(() => client.connection === 'open' && gw.received.length >= 3, 'reconnect and flush');
    expect(gw.received).toEqual([
      { type: 'resume', sessionId },
      { type: 'typing', seq: 3, text: 'rolnd td17' },
      { type: 'ask', id: 'q1', productId: 'p1', question: 'How do I reset it?' },
    ]);
    expect(sessions.at(-1)).toEqual({ sessionId, resumed: true });
    expect(client.sessionId).toBe(sessionId);
    const waits = states
      .filter((s) => s.state === 'reconnecting' && s.retryInMs !== undefined)
      .map((s) => s.retryInMs!);
    expect(waits.length).toBeGreaterThan(0);
    for (const wait of waits) expect(wait).toBeGreaterThanOrEqual(10); // 20 ms base ±50 %, capped at 100 ms ±50 %
    for (const wait of waits) expect(wait).toBeLessThanOrEqual(150);
  });

  it('starts fresh when the server no longer knows the session', async () => {
    let gw = await startGateway();
    const port = Number(new URL(gw.url).port);
    const { client, sessions } = makeClient(gw.url);
    client.start();
    await until(() => client.connection === 'open', 'open');
    const old = client.sessionId;
    await gw.close();
    gw = await startGateway({ port }); // sessions lost
    cleanups.push(gw.close);
    await until(() => sessions.length === 2, 'second session');
    expect(gw.received[0]).toEqual({ type: 'resume', sessionId: old });
    // The page is told the stored session is gone (so it can say so), not merely that this one is new.
    expect(sessions[1]).toMatchObject({ resumed: false, lost: 'expired' });
    expect(client.sessionId).not.toBe(old);
    expect(gw.sessions.has(client.sessionId!)).toBe(true);
  });

  it('v5: has no session until the first pick makes one, then resumes it after a restart', async () => {
    let gw = await startGateway({ protocol: 5 });
    const port = Number(new URL(gw.url).port);
    const { client, sessions, frames } = makeClient(gw.url);
    client.start();
    await until(() => client.connection === 'open', 'open');
    expect(sessions).toEqual([{ resumed: false }]);
    expect(client.sessionId).toBeUndefined();
    client.typing('tr8s'); // typing alone makes no session
    client.select('p1');
    await until(() => client.sessionId !== undefined, 'session frame');
    const sessionId = client.sessionId!;
    expect(frames.some((f) => f.type === 'session')).toBe(true);
    const survivors = gw.sessions;
    await gw.close();
    gw = await startGateway({ port, protocol: 5 });
    for (const s of survivors) gw.sessions.add(s);
    cleanups.push(gw.close);
    await until(() => sessions.length === 2, 'resumed');
    expect(gw.received[0]).toEqual({ type: 'resume', sessionId });
    expect(sessions[1]).toEqual({ sessionId, resumed: true });
  });

  it('v5: says the stored session is lost, forgets it, and makes a new one on the next pick', async () => {
    let gw = await startGateway({ protocol: 5 });
    const port = Number(new URL(gw.url).port);
    const { client, sessions } = makeClient(gw.url);
    client.start();
    await until(() => client.connection === 'open', 'open');
    client.select('p1');
    await until(() => client.sessionId !== undefined, 'session frame');
    const old = client.sessionId;
    await gw.close();
    gw = await startGateway({ port, protocol: 5 }); // sessions lost
    cleanups.push(gw.close);
    await until(() => sessions.length === 2, 'second connection');
    expect(gw.received[0]).toEqual({ type: 'resume', sessionId: old });
    expect(sessions[1]).toEqual({ resumed: false, lost: 'expired' });
    // Forgotten: the next connection does not ask for it again (and say it is lost again).
    expect(client.sessionId).toBeUndefined();
    client.select('p1'); // what the page does on a session it did not get back
    await until(() => client.sessionId !== undefined, 'new session');
    expect(client.sessionId).not.toBe(old);
    gw.received.length = 0;
    gw.dropAll();
    await until(() => sessions.length === 3, 'third connection');
    expect(gw.received[0]).toEqual({ type: 'resume', sessionId: client.sessionId });
  });

  it('asks again only the questions that never finished', async () => {
    const gw = await startGateway();
    cleanups.push(gw.close);
    const { client } = makeClient(gw.url);
    client.start();
    await until(() => client.connection === 'open', 'open');
    client.ask({ id: 'done', productId: 'p1', question: 'one' });
    client.ask({ id: 'failed', productId: 'p1', question: 'two' });
    client.ask({ id: 'cut', productId: 'p1', question: 'three' });
    await until(() => gw.received.length === 3, 'three asks');
    gw.broadcast({ type: 'answer_done', id: 'done', citations: [] });
    gw.broadcast({ type: 'error', code: 'unavailable', message: 'down', ref: 'failed' });
    gw.broadcast({ type: 'answer_chunk', id: 'cut', text: 'par' });
    await new Promise((r) => setTimeout(r, 50));
    gw.received.length = 0;
    gw.dropAll();
    await until(() => gw.received.some((f) => f.type === 'ask'), 're-asked');
    expect(gw.received.filter((f) => f.type === 'ask').map((f) => (f as { id: string }).id)).toEqual(['cut']);
  });

  it('waits while the browser is offline and reconnects as soon as it is back', async () => {
    const gw = await startGateway();
    cleanups.push(gw.close);
    let online = true;
    let notify = () => {};
    const network: NetworkMonitor = {
      isOnline: () => online,
      subscribe: (cb) => {
        notify = cb;
        return () => {};
      },
    };
    const { client, states } = makeClient(gw.url, { network, backoff: { baseMs: 60_000, maxMs: 60_000, jitter: 0 } });
    client.start();
    await until(() => client.connection === 'open', 'open');
    online = false;
    notify();
    gw.dropAll();
    await until(() => client.connection === 'offline', 'offline');
    client.typing('still typing');
    online = true;
    notify(); // without this the 60 s backoff would still be running
    await until(() => gw.received.some((f) => f.type === 'typing'), 'typing after online');
    expect(gw.received.at(-1)).toMatchObject({ type: 'typing', text: 'still typing' });
    expect(states.map((s) => s.state)).toContain('offline');
  });

  it('answers the server heartbeat at once and keeps it from the UI', async () => {
    const gw = await startGateway();
    cleanups.push(gw.close);
    const { client, frames } = makeClient(gw.url);
    client.start();
    await until(() => client.connection === 'open', 'open');
    gw.broadcast({ type: 'heartbeat' });
    await until(() => gw.heartbeats.length === 1, 'heartbeat reply');
    expect(gw.heartbeats).toEqual([{ type: 'heartbeat', reply: true }]);
    expect(frames.some((f) => f.type === 'heartbeat')).toBe(false);
  });

  it('keeps a quiet but healthy server: probes it after silence and stays open', async () => {
    const gw = await startGateway();
    cleanups.push(gw.close);
    const { client, states } = makeClient(gw.url, { heartbeat: { probeAfterMs: 100, deadAfterMs: 300 } });
    client.start();
    await until(() => client.connection === 'open', 'open');
    await new Promise((r) => setTimeout(r, 1_000));
    expect(gw.heartbeats.length).toBeGreaterThanOrEqual(3); // one probe per 100 ms of silence, each answered
    expect(gw.heartbeats.every((f) => f.type === 'heartbeat' && f.reply === undefined)).toBe(true);
    expect(states.map((s) => s.state)).toEqual(['connecting', 'open']);
  });

  it('notices a frozen server within 10 s of silence (defaults) and reconnects', async () => {
    const gw = await startGateway();
    cleanups.push(gw.close);
    const { client, states } = makeClient(gw.url);
    client.start();
    await until(() => client.connection === 'open', 'open');
    gw.freeze(); // the TCP connection stays up, so no close event will ever come
    const frozenAt = Date.now();
    await until(() => client.connection === 'reconnecting', 'the client to give the frozen server up', 12_000);
    const noticedMs = Date.now() - frozenAt;
    console.log(JSON.stringify({ frozenServerNoticedMs: noticedMs }));
    // In the default silence budget (10 s), not ms: not before it, and within it give or take a late timer.
    expect(noticedMs).toBeGreaterThanOrEqual(0.9 * DEFAULT_SILENCE_MS);
    expect(noticedMs).toBeLessThanOrEqual(1.1 * DEFAULT_SILENCE_MS);
    expect(states.find((s) => s.state === 'reconnecting')?.reason).toBe('server not responding');
    await until(() => client.connection === 'open', 'reopened on a fresh socket');
  }, 20_000);

  it('on `draining` says switching, leaves within the window without backoff, and resumes on another server', async () => {
    const [a, b] = [await startGateway(), await startGateway()];
    cleanups.push(a.close, b.close);
    // The load balancer: the first socket lands on A; once A drains, new sockets go to B.
    let target = a;
    const { client, states, sessions } = makeClient('unused', {
      createSocket: () => new WebSocket(target.url) as unknown as SocketLike,
      backoff: { baseMs: BACKOFF_MS, maxMs: BACKOFF_MS, jitter: 0 }, // a backoff wait would fail this test
      random: () => 0.5,
    });
    client.start();
    await until(() => client.connection === 'open', 'open on A');
    const sessionId = client.sessionId!;
    for (const s of a.sessions) b.sessions.add(s); // the shared session store
    target = b;
    a.broadcast({ type: 'draining', reconnectWithinMs: 200 });
    await until(() => client.connection === 'switching', 'switching');
    // Keystrokes still reach the draining server; a question waits for the next one.
    client.typing('tr8s');
    client.ask({ id: 'q1', productId: 'p1', question: 'How do I reset it?' });
    await until(() => a.received.some((f) => f.type === 'typing'), 'typing on A');
    const drainedAt = Date.now();
    await until(() => client.connection === 'open' && b.received.length >= 3, 'resumed on B');
    const movedAfterMs = Date.now() - drainedAt;
    expect(movedAfterMs).toBeGreaterThanOrEqual(50); // half of the 200 ms window (random 0.5), give or take
    // Against the 60 s backoff this client is set up with, not ms: a backoff wait would take all of it.
    expect(movedAfterMs).toBeLessThan(BACKOFF_MS / 30);
    expect(a.received.some((f) => f.type === 'ask')).toBe(false);
    expect(b.received).toEqual([
      { type: 'resume', sessionId },
      { type: 'typing', seq: 2, text: 'tr8s' },
      { type: 'ask', id: 'q1', productId: 'p1', question: 'How do I reset it?' },
    ]);
    expect(sessions.at(-1)).toEqual({ sessionId, resumed: true });
    const seen = states.map((s) => s.state);
    expect(seen.slice(seen.indexOf('switching'))).toEqual(['switching', 'reconnecting', 'open']);
  });

  it('lets an answer streaming on a draining server finish before it leaves', async () => {
    const [a, b] = [await startGateway(), await startGateway()];
    cleanups.push(a.close, b.close);
    let target = a;
    const { client, frames } = makeClient('unused', {
      createSocket: () => new WebSocket(target.url) as unknown as SocketLike,
      random: () => 0,
    });
    client.start();
    await until(() => client.connection === 'open', 'open on A');
    for (const s of a.sessions) b.sessions.add(s);
    client.ask({ id: 'long', productId: 'p1', question: 'Explain everything' });
    await until(() => a.received.some((f) => f.type === 'ask'), 'ask on A');
    a.broadcast({ type: 'answer_chunk', id: 'long', text: 'Step 1. ' });
    await until(() => frames.some((f) => f.type === 'answer_chunk'), 'first chunk');
    target = b;
    a.broadcast({ type: 'draining', reconnectWithinMs: 0 });
    await until(() => client.connection === 'switching', 'switching');
    await new Promise((r) => setTimeout(r, 100));
    expect(client.connection).toBe('switching'); // still on A: the answer is streaming there
    // Stopping it still reaches the server that is generating it.
    a.broadcast({ type: 'answer_chunk', id: 'long', text: 'Step 2.' });
    a.broadcast({ type: 'answer_done', id: 'long', citations: [] });
    await until(() => client.connection === 'open' && b.received.length > 0, 'moved to B');
    expect(b.received.some((f) => f.type === 'ask')).toBe(false); // finished on A: not asked again
    expect(frames.filter((f) => f.type === 'answer_chunk').length).toBe(2);
  });

  it('sends a cancel during the drain to the server streaming the answer, and ends a queued one locally', async () => {
    const gw = await startGateway({ protocol: 4 });
    cleanups.push(gw.close);
    const { client, frames } = makeClient(gw.url, { random: () => 0 });
    client.start();
    await until(() => client.connection === 'open', 'open');
    client.ask({ id: 'streaming', productId: 'p1', question: 'one' });
    await until(() => gw.received.length === 1, 'ask');
    gw.broadcast({ type: 'answer_chunk', id: 'streaming', text: 'par' });
    await until(() => frames.some((f) => f.type === 'answer_chunk'), 'chunk');
    gw.broadcast({ type: 'draining', reconnectWithinMs: 60_000 });
    await until(() => client.connection === 'switching', 'switching');
    client.ask({ id: 'queued', productId: 'p1', question: 'two' });
    client.cancel('streaming');
    client.cancel('queued');
    await until(() => gw.received.some((f) => f.type === 'cancel'), 'cancel sent');
    expect(gw.received.filter((f) => f.type !== 'typing')).toEqual([
      { type: 'ask', id: 'streaming', productId: 'p1', question: 'one' },
      { type: 'cancel', id: 'streaming' },
    ]);
    expect(frames.at(-1)).toEqual({
      type: 'error',
      code: 'cancelled',
      message: 'stopped at your request',
      ref: 'queued',
    });
  });

  it('abandons a socket whose server never says hello', async () => {
    const gw = await startGateway({ silent: true });
    cleanups.push(gw.close);
    const { client, states } = makeClient(gw.url, { helloTimeoutMs: 50 });
    client.start();
    await until(() => states.filter((s) => s.state === 'connecting').length >= 3, 'retries');
    expect(client.connection).toBe('connecting');
    expect(states.some((s) => s.retryInMs !== undefined)).toBe(true);
  });
});
