/**
 * The Reader in production shape: a gateway and a separate BullMQ worker process on real Postgres and
 * Redis, manuals served by a local HTTP server. Progress reaches the socket, a worker killed mid-job is
 * replaced and the manual still ends ready, and every bad source ends `failed` with its reason while
 * the app keeps serving.
 */
import { createServer, type Server } from 'node:http';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  freePort,
  startPostgres,
  startRedis,
  tempDir,
  type PostgresInstance,
  type RedisInstance,
  type TempDir,
} from '../harness/index.js';
import { spawnApp, type AppProcess } from '../helpers/app-process.js';
import { TestClient } from '../helpers/ws-client.js';
import { readDemoManifest, readDemoManual } from '../../app/core/manuals/demo/manifest.js';

let pg: PostgresInstance;
let redis: RedisInstance;
let dir: TempDir;
let manualServer: Server;
let gateway: AppProcess;
let worker: AppProcess;
let workerEnv: Record<string, string>;
let pdf: Buffer;
let slowRequests = 0;

const products = (base: string) => [
  {
    id: 'p-good',
    brand: 'Roland',
    name: 'Roland TR-8S Rhythm Performer',
    category: 'x',
    manualUrl: `${base}/good.pdf`,
  },
  { id: 'p-slow', brand: 'Roland', name: 'Roland SPD-SX Sampling Pad', category: 'x', manualUrl: `${base}/slow.pdf` },
  { id: 'p-404', brand: 'Mackie', name: 'Mackie Missing Manual', category: 'x', manualUrl: `${base}/missing.pdf` },
  { id: 'p-html', brand: 'Mackie', name: 'Mackie Web Page', category: 'x', manualUrl: `${base}/page.html` },
  { id: 'p-huge', brand: 'Mackie', name: 'Mackie Huge Manual', category: 'x', manualUrl: `${base}/huge.pdf` },
  {
    id: 'p-private',
    brand: 'Mackie',
    name: 'Mackie Redirected Manual',
    category: 'x',
    manualUrl: `${base}/to-metadata.pdf`,
  },
  { id: 'p-corrupt', brand: 'Mackie', name: 'Mackie Corrupt Manual', category: 'x', manualUrl: `${base}/corrupt.pdf` },
];

beforeAll(async () => {
  const manifest = await readDemoManifest();
  pdf = await readDemoManual(manifest.manuals.find((m) => m.productId === 'roland_87-tr8s')!);
  manualServer = createServer((req, res) => {
    const send = (status: number, type: string, body: Buffer | string) =>
      res.writeHead(status, { 'content-type': type }).end(body);
    switch (req.url) {
      case '/good.pdf':
        return send(200, 'application/pdf', pdf);
      case '/slow.pdf': {
        // The first request trickles for long enough to kill its worker; later ones are quick.
        slowRequests += 1;
        res.writeHead(200, { 'content-type': 'application/pdf', 'content-length': String(pdf.length) });
        const parts = 40;
        const size = Math.ceil(pdf.length / parts);
        let i = 0;
        const delay = slowRequests === 1 ? 150 : 0;
        const tick = () => {
          if (res.destroyed) return;
          if (i >= parts) return void res.end();
          res.write(pdf.subarray(i * size, (i + 1) * size));
          i += 1;
          setTimeout(tick, delay);
        };
        return tick();
      }
      case '/page.html':
        return send(200, 'text/html', '<html><body>Not a manual</body></html>');
      case '/huge.pdf': {
        res.writeHead(200, { 'content-type': 'application/pdf' });
        const block = Buffer.alloc(64 * 1024, 'x');
        res.write(Buffer.concat([Buffer.from('%PDF-1.7\n'), block]));
        let sent = 0;
        const pump = () => {
          if (res.destroyed || sent > 200) return void res.end();
          sent += 1;
          res.write(block, () => setImmediate(pump));
        };
        return pump();
      }
      case '/to-metadata.pdf':
        return res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' }).end();
      case '/corrupt.pdf':
        return send(200, 'application/pdf', Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(2_000, 7)]));
      default:
        return send(404, 'text/plain', 'not found');
    }
  });
  const port = await freePort();
  await new Promise<void>((resolve) => manualServer.listen(port, '127.0.0.1', resolve));
  [pg, redis, dir] = await Promise.all([startPostgres(), startRedis(), tempDir('catalog')]);
  const catalogFile = join(dir.path, 'catalog.json');
  await writeFile(catalogFile, JSON.stringify(products(`http://127.0.0.1:${port}`)));
  const env = {
    DATABASE_URL: await pg.createDatabase('hsc'),
    REDIS_URL: redis.url,
    CATALOG_FILE: catalogFile,
    DEMO_MANUALS: 'false',
    MANUAL_MAX_BYTES: String(2 * 1024 * 1024),
    ANSWER_WAIT_SECONDS: '20',
  };
  workerEnv = { ...env, MANUAL_HOSTS: `127.0.0.1:${port}`, JOB_LOCK_SECONDS: '2', MANUAL_JOB_ATTEMPTS: '3' };
  gateway = await spawnApp(env);
  worker = await spawnApp(workerEnv, 'app/worker.ts', 'worker running');
});

afterAll(async () => {
  for (const p of [gateway, worker]) p?.child.kill('SIGKILL');
  manualServer?.close();
  await Promise.allSettled([pg?.stop(), redis?.stop(), dir?.remove()]);
});

async function selectAndWait(productId: string, until: (status: string) => boolean, timeoutMs = 30_000) {
  const client = await TestClient.connect(gateway.wsUrl);
  await client.next('hello');
  client.send({ type: 'select', productId });
  const final = await client.next('manual', (m) => m.productId === productId && until(m.status), timeoutMs);
  return { client, final };
}

describe('manuals through a separate worker', () => {
  it('goes from select to ready with progress, and answers with a citation', async () => {
    const { client, final } = await selectAndWait('p-good', (s) => s === 'ready');
    expect(final).toMatchObject({ status: 'ready', progress: 1, pages: 7 });
    const manualFrames = client.frames.filter((f) => f.type === 'manual');
    expect(manualFrames.map((f) => (f as { status: string }).status)).toEqual(
      expect.arrayContaining(['queued', 'fetching', 'indexing', 'ready']),
    );
    const progress = manualFrames.map((f) => (f as { progress: number }).progress);
    expect([...progress].sort((a, b) => a - b)).toEqual(progress); // never goes backwards
    client.send({ type: 'ask', id: 'a1', productId: 'p-good', question: 'How do I restore the factory settings?' });
    const done = await client.next('answer_done', (d) => d.id === 'a1', 15_000);
    expect(done.citations.length).toBeGreaterThan(0);
    client.close();
  });

  it('finishes a manual whose worker was killed mid-download, on a new worker', async () => {
    const client = await TestClient.connect(gateway.wsUrl);
    await client.next('hello');
    client.send({ type: 'select', productId: 'p-slow' });
    await client.next('manual', (m) => m.status === 'fetching' && (m.bytes ?? 0) > 0, 15_000);
    worker.child.kill('SIGKILL');
    await worker.exited;
    worker = await spawnApp(workerEnv, 'app/worker.ts', 'worker running');
    expect(await client.next('manual', (m) => m.status === 'ready', 30_000)).toMatchObject({
      productId: 'p-slow',
      status: 'ready',
    });
    expect(slowRequests).toBeGreaterThanOrEqual(2);
    client.close();
  });

  it.each([
    ['p-404', /no longer at its address|not found/i],
    ['p-html', /web page|not a PDF/i],
    ['p-huge', /too large|larger|limit/i],
    ['p-private', /169\.254\.169\.254|not allowed|private|blocked/i],
    ['p-corrupt', /damaged|corrupt|not a readable|could not be read/i],
  ])('ends %s failed with a reason a person understands', async (productId, reason) => {
    const { client, final } = await selectAndWait(productId, (s) => s === 'failed');
    expect(final.error).toMatch(reason);
    // The app keeps serving.
    client.send({ type: 'typing', seq: 1, text: 'roland tr8s' });
    expect((await client.next('prediction')).items[0]?.productId).toBe('p-good');
    client.close();
  });

  it('answers an ask about a failed manual with an error, not a hang', async () => {
    const client = await TestClient.connect(gateway.wsUrl);
    await client.next('hello');
    client.send({ type: 'ask', id: 'x', productId: 'p-404', question: 'How do I reset it?' });
    expect(await client.next('error', (e) => e.ref === 'x', 20_000)).toMatchObject({
      code: 'unavailable',
      message: expect.stringMatching(/could not be prepared/),
    });
    client.close();
  });
});
