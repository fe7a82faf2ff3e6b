/**
 * A manual host that keeps failing (issue 16, "honest states"): the manual frame says when the next
 * attempt starts (protocol v4 `retryInMs`), an ask about a manual that is failing is answered at once
 * (not after the 60 s wait for a manual on its way), and once the app has given up nothing says it
 * will retry. The real app on embedded defaults; the manual host is a local HTTP server.
 */
import { writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir, type TempDir } from '../harness/index.js';
import { startTestRuntime, type TestRuntime } from '../helpers/runtime.js';
import { TestClient } from '../helpers/ws-client.js';

const RETRY_SECONDS = 2;
/** How long an ask waits for a manual on its way; "at once" means within a tenth of it, never a figure in ms. */
const ANSWER_WAIT_SECONDS = 60;
const AT_ONCE_MS = (ANSWER_WAIT_SECONDS * 1000) / 10;
const SUPPORT_URL = 'https://support.example.com/contact';
let host: http.Server;
let dir: TempDir;
let app: TestRuntime;

beforeAll(async () => {
  host = http.createServer((req, res) => {
    if (req.url === '/gone.pdf') return void res.writeHead(404).end();
    // Busy: a server error another attempt might get past; "slow" answers it after 300 ms.
    setTimeout(() => res.writeHead(503).end(), req.url === '/slow-busy.pdf' ? 300 : 0);
  });
  await new Promise<void>((resolve) => host.listen(0, '127.0.0.1', resolve));
  const { port } = host.address() as AddressInfo;
  const base = `http://127.0.0.1:${port}`;
  dir = await tempDir('failing-host');
  const catalog = join(dir.path, 'catalog.json');
  await writeFile(
    catalog,
    JSON.stringify(
      ['busy', 'slow-busy', 'gone'].map((name) => ({
        id: `${name}-host`,
        brand: 'Failing',
        name: `Failing ${name}`,
        category: 'x',
        manualUrl: `${base}/${name}.pdf`,
      })),
    ),
  );
  app = await startTestRuntime({
    CATALOG_FILE: catalog,
    DEMO_MANUALS: 'false',
    MANUAL_HOSTS: `127.0.0.1:${port}`,
    MANUAL_JOB_ATTEMPTS: '2',
    MANUAL_RETRY_SECONDS: String(RETRY_SECONDS),
    ANSWER_WAIT_SECONDS: String(ANSWER_WAIT_SECONDS),
    SUPPORT_URL,
  });
});

afterAll(async () => {
  await app?.dispose();
  host?.closeAllConnections();
  await new Promise((resolve) => host?.close(resolve));
  await dir?.remove();
});

async function timedAsk(client: TestClient, id: string, productId: string) {
  const started = Date.now();
  client.send({ type: 'ask', id, productId, question: 'How do I reset it?' });
  const end = await Promise.race([
    client.next('error', (e) => e.ref === id, 70_000),
    client.next('answer_done', (d) => d.id === id, 70_000),
  ]);
  return { end, ms: Date.now() - started };
}

describe('a failing manual host', () => {
  it('says when it retries, answers asks at once meanwhile, and never says "will retry" once it gave up', async () => {
    const client = await TestClient.connect(app.wsUrl);
    const hello = await client.next('hello');
    expect(hello.protocol).toBe(4);
    expect(hello.support).toEqual({ url: SUPPORT_URL });

    client.send({ type: 'select', productId: 'busy-host' });
    const retrying = await client.next('manual', (m) => m.status === 'queued' && m.error !== undefined, 10_000);
    expect(retrying.error).toMatch(/^retrying: the manual's server is failing or busy \(HTTP 503\)$/);
    expect(retrying.retryInMs).toBeGreaterThan(RETRY_SECONDS * 1000 - 1_000);
    expect(retrying.retryInMs).toBeLessThanOrEqual(RETRY_SECONDS * 1000);

    const during = await timedAsk(client, 'during-retry', 'busy-host');
    console.log(JSON.stringify({ askWhileRetryingMs: during.ms }));
    expect(during.end).toMatchObject({ type: 'error', code: 'unavailable' });
    expect(during.end.type === 'error' && during.end.message).toMatch(/next attempt to get it starts in [12] s/);
    expect(during.ms).toBeLessThan(AT_ONCE_MS);

    // The second and last attempt fails too: failed, with nothing left that promises a retry.
    const failed = await client.next('manual', (m) => m.status === 'failed', 10_000);
    expect(failed.retryInMs).toBeUndefined();
    expect(failed.error).not.toMatch(/retry/i);
    const after = await timedAsk(client, 'after-failure', 'busy-host');
    console.log(JSON.stringify({ askAfterFailureMs: after.ms }));
    expect(after.end).toMatchObject({ type: 'error', code: 'unavailable' });
    expect(after.end.type === 'error' && after.end.message).not.toMatch(/retry/i);
    expect(after.ms).toBeLessThan(AT_ONCE_MS);
    client.close();
  });

  it('ends an ask waiting for a first attempt as soon as that attempt fails, not after the wait', async () => {
    const client = await TestClient.connect(app.wsUrl);
    await client.next('hello');
    client.send({ type: 'select', productId: 'slow-busy-host' });
    await client.next('manual', (m) => m.productId === 'slow-busy-host');
    const { end, ms } = await timedAsk(client, 'waiting', 'slow-busy-host');
    console.log(JSON.stringify({ askDuringFailingAttemptMs: ms }));
    expect(end).toMatchObject({ type: 'error', code: 'unavailable' });
    expect(ms).toBeLessThan(AT_ONCE_MS); // the 300 ms attempt, then at once
    client.close();
  });

  it('answers an ask about a manual that failed for good at once, with the reason', async () => {
    const client = await TestClient.connect(app.wsUrl);
    await client.next('hello');
    client.send({ type: 'select', productId: 'gone-host' });
    await client.next('manual', (m) => m.status === 'failed', 10_000);
    const { end, ms } = await timedAsk(client, 'gone', 'gone-host');
    console.log(JSON.stringify({ askAfterPermanentFailureMs: ms }));
    expect(end.type === 'error' && end.message).toBe(
      'the manual could not be prepared: the manual is no longer at its address (HTTP 404)',
    );
    expect(ms).toBeLessThan(AT_ONCE_MS);
    client.close();
  });
});
