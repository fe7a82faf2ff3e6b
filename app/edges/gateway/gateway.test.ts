/** The protocol (as a client that asks for no version is served it) against the running app on embedded defaults. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClient } from '../../../test/helpers/ws-client.js';
import { startTestRuntime, type TestRuntime } from '../../../test/helpers/runtime.js';
import { DEFAULT_PROTOCOL, MAX_FRAME_BYTES, PredictionFrameV5, PROTOCOL_VERSION } from '../../shared/protocol.js';

let app: TestRuntime;
beforeAll(async () => {
  app = await startTestRuntime();
});
afterAll(async () => {
  await app?.dispose();
});

async function connect() {
  const client = await TestClient.connect(app.wsUrl);
  const hello = await client.next('hello');
  return { client, hello };
}

describe('gateway: protocol v5 negotiation', () => {
  it('serves a client that did not ask for v5 exactly as v4: no v5 field, row or frame', async () => {
    const { client, hello } = await connect();
    expect(hello).toEqual({ type: 'hello', sessionId: expect.any(String), protocol: 4 });
    client.send({ type: 'typing', seq: 1, text: 'tr8s' });
    const prediction = await client.next('prediction');
    for (const item of prediction.items)
      expect(Object.keys(item).sort()).toEqual(['brand', 'confidence', 'name', 'productId']);
    client.send({ type: 'select', productId: prediction.items[0]!.productId });
    await client.next('manual');
    client.send({ type: 'heartbeat' });
    await client.next('heartbeat');
    expect(client.frames.map((f) => f.type)).not.toContain('session');
    client.close();
  });

  it('gives a v5 client product rows, and its session id once a select uses it', async () => {
    const client = await TestClient.connect(`${app.wsUrl}?protocol=${PROTOCOL_VERSION}`);
    const hello = await client.next('hello');
    expect(hello).toMatchObject({ protocol: 5 });
    expect(hello.sessionId).toBeUndefined();
    client.send({ type: 'typing', seq: 1, text: 'tr8s' });
    const prediction = await client.next('prediction');
    expect(PredictionFrameV5.parse(prediction).items[0]).toMatchObject({
      kind: 'product',
      hasManual: expect.any(Boolean),
    });
    client.send({ type: 'select', productId: (prediction.items[0] as { productId: string }).productId });
    const { sessionId } = await client.next('session');
    client.close();
    const again = await TestClient.connect(`${app.wsUrl}?protocol=5`);
    again.send({ type: 'resume', sessionId });
    expect(await again.next('hello', (h) => h.resumed === true)).toMatchObject({ sessionId, protocol: 5 });
    expect(await again.next('history')).toMatchObject({ turns: [], more: false });
    expect(again.frames.map((f) => f.type)).not.toContain('session');
    again.close();
  });
});

describe('gateway: manual frames', () => {
  it('sends one manual frame per state change on the golden path, not each state twice', async () => {
    const { client } = await connect();
    client.send({ type: 'select', productId: 'roland_87-tr8s' });
    await client.next('manual', (m) => m.status === 'ready', 30_000);
    await new Promise((r) => setTimeout(r, 300)); // a late duplicate would arrive by now
    const bodies = client.frames.filter((f) => f.type === 'manual').map((f) => JSON.stringify(f));
    expect(bodies.length).toBeGreaterThan(0);
    for (let i = 1; i < bodies.length; i += 1)
      expect(bodies[i], `frame ${i} repeats frame ${i - 1}`).not.toBe(bodies[i - 1]);
    client.close();
  });
});

describe('gateway: the protocol', () => {
  it('greets with a session id and protocol version', async () => {
    const { client, hello } = await connect();
    expect(hello.protocol).toBe(DEFAULT_PROTOCOL);
    expect(hello.sessionId).toMatch(/^[0-9a-f-]{36}$/);
    client.close();
  });

  it('answers a keystroke with ranked predictions and echoes its seq', async () => {
    const { client } = await connect();
    client.send({ type: 'typing', seq: 1, text: 'akai mpc live 2' });
    const prediction = await client.next('prediction');
    expect(prediction.seq).toBe(1);
    expect(prediction.items[0]).toMatchObject({ brand: 'Akai Professional', name: 'Akai Professional MPC Live II' });
    for (const item of prediction.items) expect(item.confidence).toBeGreaterThanOrEqual(0);
    const confidences = prediction.items.map((i) => i.confidence);
    expect([...confidences].sort((a, b) => b - a)).toEqual(confidences);
    client.close();
  });

  it('drops a stale keystroke so the client always shows the latest', async () => {
    const { client } = await connect();
    client.send({ type: 'typing', seq: 5, text: 'allen and heath sq5' });
    client.send({ type: 'typing', seq: 3, text: 'paiste' });
    client.send({ type: 'typing', seq: 6, text: 'tr8s' });
    await client.next('prediction', (f) => f.seq === 6);
    expect(client.frames.filter((f) => f.type === 'prediction').map((f) => (f as { seq: number }).seq)).toEqual([5, 6]);
    client.close();
  });

  it('answers bad frames with bad_request and keeps the connection open', async () => {
    const { client } = await connect();
    const bad: unknown[] = [
      'not json',
      '[1,2]',
      { type: 'dance' },
      { type: 'typing', seq: 'one', text: 'x' },
      { type: 'typing', seq: 1 },
      { type: 'typing', seq: 1, text: 'x'.repeat(257) },
      { type: 'typing', seq: -1, text: 'x' },
      { type: 'ask', id: 'q1', productId: 'p' },
    ];
    for (const frame of bad) client.send(JSON.stringify(frame));
    await expect.poll(() => client.frames.filter((f) => f.type === 'error').length).toBe(bad.length);
    const errors = client.frames.filter((f) => f.type === 'error');
    expect(errors.every((e) => e.type === 'error' && e.code === 'bad_request')).toBe(true);
    expect(errors.at(-1)).toMatchObject({ ref: 'q1' });
    expect((errors[5] as { message: string }).message).toMatch(/text/);
    client.send({ type: 'typing', seq: 1, text: 'rolnd spd one kik' });
    expect((await client.next('prediction')).items[0]?.name).toBe('Roland SPD-ONE Kick');
    expect(client.closed).toBeUndefined();
    client.close();
  });

  it('rejects binary frames without closing', async () => {
    const { client } = await connect();
    client.socket.send(Buffer.from([1, 2, 3]));
    expect(await client.next('error')).toMatchObject({ code: 'bad_request', message: expect.stringMatching(/binary/) });
    expect(client.closed).toBeUndefined();
    client.close();
  });

  it('closes a socket that sends a frame over 16 KiB with 1009, and nobody else', async () => {
    const bystander = await connect();
    const { client } = await connect();
    client.send({ type: 'typing', seq: 1, text: 'x'.repeat(MAX_FRAME_BYTES) });
    expect((await client.waitClosed()).code).toBe(1009);
    await expect
      .poll(async () => (await fetch(`${app.internalUrl}/metrics`)).text())
      .toMatch(/websocket_closed_total\{reason="oversized"\} 1/);
    bystander.client.send({ type: 'typing', seq: 1, text: 'tr8s' });
    expect((await bystander.client.next('prediction')).items.length).toBeGreaterThan(0);
    bystander.client.close();
  });

  it('tells a flooding client rate_limited, then closes it with 1008; others keep working', async () => {
    const bystander = await connect();
    const { client } = await connect();
    for (let seq = 1; seq <= 400; seq += 1) client.send({ type: 'typing', seq, text: 'pa' });
    expect(await client.next('error', (e) => e.code === 'rate_limited')).toBeTruthy();
    expect((await client.waitClosed()).code).toBe(1008);
    bystander.client.send({ type: 'typing', seq: 1, text: 'mcaster live' });
    expect((await bystander.client.next('prediction')).items[0]?.name).toMatch(/Caster Live/);
    bystander.client.close();
  });

  it('closes a paced flood (200 frames/s) with 1008, not only an instant burst', async () => {
    const { client } = await connect();
    const started = Date.now();
    let seq = 0;
    while (!client.closed && Date.now() - started < 10_000) {
      for (let i = 0; i < 10; i += 1) client.send({ type: 'typing', seq: ++seq, text: 'pa' });
      await new Promise((r) => setTimeout(r, 50));
    }
    console.log(JSON.stringify({ pacedFloodClosedAfterMs: Date.now() - started, framesSent: seq }));
    expect(client.closed?.code).toBe(1008);
    expect(client.frames.filter((f) => f.type === 'error' && f.code === 'rate_limited')).toHaveLength(1);
  });

  it('never limits a fast typist (40 frames/s for 2 s)', async () => {
    const { client } = await connect();
    for (let seq = 1; seq <= 80; seq += 1) {
      client.send({ type: 'typing', seq, text: 'paiste 2002 thin crash 18'.slice(0, 1 + (seq % 25)) });
      await new Promise((r) => setTimeout(r, 25));
    }
    await client.next('prediction', (f) => f.seq === 80);
    expect(client.frames.some((f) => f.type === 'error')).toBe(false);
    client.close();
  });

  it('answers select of an unknown product with not_found, and a known one with its manual state', async () => {
    const { client } = await connect();
    client.send({ type: 'select', productId: 'no-such-product' });
    expect(await client.next('error')).toMatchObject({ code: 'not_found' });
    client.send({ type: 'typing', seq: 1, text: 'tr8s' });
    const top = (await client.next('prediction')).items[0]!;
    client.send({ type: 'select', productId: top.productId });
    expect(await client.next('manual', (m) => m.productId === top.productId)).toMatchObject({
      productId: top.productId,
    });
    client.close();
  });

  it('resumes a session from another connection, and says not_found for an unknown one', async () => {
    const first = await connect();
    first.client.send({ type: 'typing', seq: 1, text: 'allen heath sq-5' });
    const top = (await first.client.next('prediction')).items[0]!;
    first.client.send({ type: 'select', productId: top.productId });
    await first.client.next('manual');
    first.client.close();

    const second = await connect();
    second.client.send({ type: 'resume', sessionId: first.hello.sessionId! });
    const resumed = await second.client.next('hello', (h) => h.resumed === true);
    expect(resumed).toMatchObject({
      sessionId: first.hello.sessionId,
      productId: top.productId,
      manual: { productId: top.productId },
    });
    second.client.close();
    // One resume per socket (issue #24): an unknown session is tried on a socket of its own.
    const third = await connect();
    third.client.send({ type: 'resume', sessionId: 'f00' });
    expect(await third.client.next('error')).toMatchObject({ code: 'not_found' });
    third.client.close();
  });
  it('keeps the conversation: a resumed session gets its turns with their threads; feedback is stored and counted', async () => {
    const first = await connect();
    first.client.send({ type: 'typing', seq: 1, text: 'allen heath sq-5' });
    const top = (await first.client.next('prediction')).items[0]!;
    first.client.send({
      type: 'ask',
      id: 'q1',
      productId: top.productId,
      question: 'how do I store a scene',
      thread: 't-9',
    });
    await first.client.next('answer_done', (f) => f.id === 'q1', 30_000);
    first.client.send({ type: 'feedback', id: 'q1', vote: 'down' });
    first.client.send({ type: 'feedback', id: 'nope', vote: 'up' });
    expect(await first.client.next('error')).toMatchObject({ code: 'not_found' });
    first.client.close();

    const second = await connect();
    second.client.send({ type: 'resume', sessionId: first.hello.sessionId! });
    const history = await second.client.next('history');
    expect(history.turns).toEqual([
      expect.objectContaining({
        id: 'q1',
        thread: 't-9',
        productId: top.productId,
        name: top.name,
        outcome: 'ok',
        vote: 'down',
      }),
    ]);
    expect(history.turns[0]!.answer).toContain('tap Store');
    const metrics = await (await fetch(`${app.internalUrl}/metrics`)).text();
    expect(metrics).toMatch(/answer_feedback_total\{model="extractive",vote="down"\} 1/);
    second.client.close();
  });
});

describe('gateway: HTTP', () => {
  it('serves liveness, readiness, dependency states and metrics', async () => {
    expect((await fetch(`${app.url}/livez`)).status).toBe(200);
    const ready = await fetch(`${app.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', details: { extractor: 'pdftotext' } });
    const dependencies = await fetch(`${app.url}/dependencies`);
    expect(dependencies.status).toBe(200);
    expect(await dependencies.json()).toEqual({ status: 'up', dependencies: { database: 'ok', cache: 'ok' } });
    const metrics = await (await fetch(`${app.internalUrl}/metrics`)).text();
    for (const name of [
      'websocket_active_connections',
      'prediction_latency_seconds_bucket',
      'http_requests_total',
      'postgresql_query_duration_seconds_bucket',
      'catalog_products 2789',
    ]) {
      expect(metrics).toContain(name);
    }
    expect(metrics).toMatch(/http_requests_total\{method="GET",route="\/livez",status="200"\} \d/);
  });

  it('answers unknown paths with 404, upgrades elsewhere than /ws refused', async () => {
    expect((await fetch(`${app.url}/nope`)).status).toBe(404);
    await expect(TestClient.connect(app.wsUrl.replace('/ws', '/other'))).rejects.toThrow(/404/);
  });
});

describe('gateway: web UI', () => {
  it('serves the built UI at /, index.html revalidated and assets immutable', async () => {
    const response = await fetch(`${app.url}/`);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-cache');
    const html = await response.text();
    const asset = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(asset).toBeDefined();
    const script = await fetch(`${app.url}${asset}`);
    expect(script.status).toBe(200);
    expect(script.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    // Precompressed at build time: brotli for browsers that take it, gzip for the rest, never recompressed.
    for (const encoding of ['br', 'gzip']) {
      const compressed = await fetch(`${app.url}${asset}`, { headers: { 'accept-encoding': encoding } });
      expect(compressed.headers.get('content-encoding')).toBe(encoding);
      expect(compressed.headers.get('content-type')).toMatch(/javascript/);
      expect(await compressed.text()).toBe(await (await fetch(`${app.url}${asset}`)).text());
    }
    const icon = await fetch(`${app.url}/favicon.ico`);
    expect(icon.status).toBe(200);
    expect(icon.headers.get('content-type')).toBe('image/svg+xml');
  });

  it('explains how to build the UI when it is missing', async () => {
    const Fastify = (await import('fastify')).default;
    const { registerStaticUi } = await import('./static-ui.js');
    const bare = Fastify();
    expect(await registerStaticUi(bare, '/nonexistent/')).toBe(false);
    const response = await bare.inject({ url: '/' });
    expect(response.statusCode).toBe(503);
    expect(response.body).toMatch(/npm run build:web/);
    await bare.close();
  });
});
