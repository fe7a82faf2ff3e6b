/**
 * Issue 12 finding 12: after kill -9 during indexing the manual stayed `indexing` until the next
 * reconciliation (about 60 s) and a new `select` did not retry it. A select of a manual whose record
 * has not moved for longer than the job lock (JOB_LOCK_SECONDS) hands its job out again at once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readDemoManifest } from '../../app/core/manuals/demo/manifest.js';
import { manualIdFor } from '../../app/core/manuals/index-store.js';
import { startTestRuntime, type TestRuntime } from '../helpers/runtime.js';
import { TestClient } from '../helpers/ws-client.js';

let app: TestRuntime;
beforeAll(async () => {
  app = await startTestRuntime({ JOB_LOCK_SECONDS: '2' });
});
afterAll(async () => {
  await app?.dispose();
});

/** The state a process killed mid-indexing leaves: a record in flight, and no job anywhere. */
async function leaveStuck(productId: string, file: string, ageSeconds: number): Promise<void> {
  await app.db.query(
    `INSERT INTO manuals (id, product_id, url, status, updated_at)
     VALUES ($1, $2, $3, 'indexing', now() - make_interval(secs => $4))`,
    [manualIdFor(productId), productId, `demo:${file}`, ageSeconds],
  );
}

async function select(productId: string) {
  const client = await TestClient.connect(app.wsUrl);
  await client.next('hello');
  client.send({ type: 'select', productId });
  return client;
}

describe('a manual whose worker died', () => {
  it('is re-ensured by a select once it is stuck past the job lock', async () => {
    const [stuck] = (await readDemoManifest()).manuals;
    await leaveStuck(stuck!.productId, stuck!.file, 60);
    const client = await select(stuck!.productId);
    const started = Date.now();
    await client.next('manual', (m) => m.productId === stuck!.productId && m.status === 'ready', 30_000);
    console.log(JSON.stringify({ stuckManualReadyAfterSelectMs: Date.now() - started }));
    client.close();
  });

  it('is left alone while its record is younger than the lock (a live worker may hold it)', async () => {
    const [, busy] = (await readDemoManifest()).manuals;
    await leaveStuck(busy!.productId, busy!.file, 0);
    const client = await select(busy!.productId);
    expect(await client.next('manual', (m) => m.productId === busy!.productId)).toMatchObject({ status: 'indexing' });
    await new Promise((r) => setTimeout(r, 1_000));
    expect(client.frames.some((f) => f.type === 'manual' && f.status !== 'indexing')).toBe(false);
    client.close();
  });
});
