/**
 * The whole Reader on embedded defaults, as `npm start` runs it: a confident prediction fetches the
 * demo manual just in time, progress frames arrive, and a question is answered as a stream that cites
 * the page holding the fact.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRuntime, type TestRuntime } from '../helpers/runtime.js';
import { TestClient } from '../helpers/ws-client.js';
import { readDemoManifest } from '../../app/core/manuals/demo/manifest.js';

let app: TestRuntime;
beforeAll(async () => {
  app = await startTestRuntime();
});
afterAll(async () => {
  await app?.dispose();
});

describe('just-in-time manual and streamed answer', () => {
  it('goes from a keystroke to ready to a cited answer', async () => {
    const manifest = await readDemoManifest();
    const tr8s = manifest.manuals.find((m) => m.productId === 'roland_87-tr8s')!;
    const client = await TestClient.connect(app.wsUrl);
    await client.next('hello');
    client.send({ type: 'typing', seq: 1, text: 'roland tr8s' });
    const prediction = await client.next('prediction');
    expect(prediction.items[0]).toMatchObject({ productId: tr8s.productId });
    expect(prediction.items[0]!.confidence).toBeGreaterThanOrEqual(0.75);

    // No select needed: the confident prediction alone started the manual.
    const ready = await client.next('manual', (m) => m.status === 'ready', 30_000);
    expect(ready).toMatchObject({ productId: tr8s.productId, progress: 1, pages: tr8s.pages });
    const statuses = client.frames.filter((f) => f.type === 'manual').map((f) => (f as { status: string }).status);
    expect(statuses).toEqual(expect.arrayContaining(['queued', 'fetching', 'indexing', 'ready']));

    client.send({
      type: 'ask',
      id: 'q1',
      productId: tr8s.productId,
      question: 'How do I restore the factory settings?',
    });
    const done = await client.next('answer_done', (d) => d.id === 'q1', 15_000);
    const text = client.frames
      .filter((f) => f.type === 'answer_chunk' && f.id === 'q1')
      .map((f) => (f as { text: string }).text)
      .join('');
    expect(text.length).toBeGreaterThan(20);
    const resetPage = tr8s.headings.findIndex((h) => /factory/i.test(h)) + 1;
    expect(done.citations.map((c) => c.page)).toContain(resetPage);

    // The same question again is served from the cache, with the same citations.
    client.send({
      type: 'ask',
      id: 'q2',
      productId: tr8s.productId,
      question: 'how do I restore the factory settings',
    });
    expect((await client.next('answer_done', (d) => d.id === 'q2')).citations).toEqual(done.citations);
    const metrics = await (await fetch(`${app.internalUrl}/metrics`)).text();
    expect(metrics).toMatch(/cache_hits_total\{cache="answers",layer="l1"\} 1/);
    expect(metrics).toMatch(/answer_generation_seconds_count\{model="extractive",outcome="ok"\} 2/);

    // The turn is in the conversation history, and the citation link opens the manual.
    const turns = await app.db.query<{ question: string; outcome: string }>(
      'SELECT question, outcome FROM conversation_turns ORDER BY id',
    );
    expect(turns.rows).toEqual([
      { question: 'How do I restore the factory settings?', outcome: 'ok' },
      { question: 'how do I restore the factory settings', outcome: 'ok' },
    ]);
    const link = await fetch(`${app.url}/manuals/${tr8s.productId}.pdf`, { redirect: 'manual' });
    expect(link.status).toBe(302);
    const pdf = await fetch(new URL(link.headers.get('location')!, app.url));
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    client.close();
  });

  it('fetches a manual once when two sessions trigger it together', async () => {
    const manifest = await readDemoManifest();
    const sq5 = manifest.manuals.find((m) => m.productId === 'allen_heath_40_sq5')!;
    const demoFetches = async () => {
      const metrics = await (await fetch(`${app.internalUrl}/metrics`)).text();
      return Number(
        /http_requests_total\{method="GET",route="\/demo\/manuals\/:file",status="200"\} (\d+)/.exec(metrics)?.[1] ?? 0,
      );
    };
    const before = await demoFetches();
    const [a, b] = await Promise.all([TestClient.connect(app.wsUrl), TestClient.connect(app.wsUrl)]);
    await Promise.all([a.next('hello'), b.next('hello')]);
    a.send({ type: 'select', productId: sq5.productId });
    b.send({ type: 'select', productId: sq5.productId });
    await Promise.all([
      a.next('manual', (m) => m.status === 'ready', 30_000),
      b.next('manual', (m) => m.status === 'ready', 30_000),
    ]);
    expect((await demoFetches()) - before).toBe(1);
    a.close();
    b.close();
  });

  it('answers an ask made before the manual is ready once it is', async () => {
    const client = await TestClient.connect(app.wsUrl);
    await client.next('hello');
    client.send({
      type: 'ask',
      id: 'early',
      productId: 'akai_professional_55_mpclive2',
      question: 'How do I update the firmware?',
    });
    const done = await client.next('answer_done', (d) => d.id === 'early', 30_000);
    expect(done.citations.length).toBeGreaterThan(0);
    // While it waited, the socket saw the manual's progress.
    const statuses = client.frames.filter((f) => f.type === 'manual').map((f) => (f as { status: string }).status);
    expect(statuses).toContain('ready');
    client.close();
  });

  it('says there is no manual for a product without one', async () => {
    const client = await TestClient.connect(app.wsUrl);
    await client.next('hello');
    client.send({
      type: 'ask',
      id: 'x',
      productId: '_eaw_eastern_acoustic_works__89_cis300',
      question: 'How do I mount it?',
    });
    expect(await client.next('error', (e) => e.ref === 'x')).toMatchObject({ code: 'not_found' });
    client.close();
  });
});
