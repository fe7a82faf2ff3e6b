/**
 * Manual jobs in a drill: trigger one the way a customer does (select, retried on an error frame as
 * the UI's Retry would), read statuses from Postgres (the source of truth), and run the reconciler
 * now instead of waiting for its 60 s schedule.
 */
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import pg from 'pg';
import type { ManualFrameBody } from '../../../app/shared/protocol.js';
import { TestClient } from '../../helpers/ws-client.js';
import { sleep } from './load.js';

export interface TriggeredManual {
  productId: string;
  /** When the gateway acknowledged the job (a manual frame saying it is on its way or done). */
  acknowledgedAt: number;
  status: ManualFrameBody['status'];
  /** Error frames answered before the acknowledgement. */
  refusals: number;
}

const ACKNOWLEDGED: readonly ManualFrameBody['status'][] = ['queued', 'fetching', 'indexing', 'ready'];

/** Selects the product until the gateway acknowledges its manual job; throws after `timeoutMs`. */
export async function triggerManual(wsUrl: string, productId: string, timeoutMs = 30_000): Promise<TriggeredManual> {
  const deadline = Date.now() + timeoutMs;
  let refusals = 0;
  while (Date.now() < deadline) {
    const client = await TestClient.connect(wsUrl).catch(() => undefined);
    if (!client) {
      await sleep(250);
      continue;
    }
    try {
      client.send({ type: 'select', productId });
      const until = Math.min(deadline, Date.now() + 10_000);
      while (Date.now() < until && !client.closed) {
        const ack = client.frames.find(
          (f) => f.type === 'manual' && f.productId === productId && ACKNOWLEDGED.includes(f.status),
        );
        if (ack && ack.type === 'manual')
          return { productId, acknowledgedAt: Date.now(), status: ack.status, refusals };
        if (client.frames.some((f) => f.type === 'error')) break;
        await sleep(25);
      }
      refusals += 1;
    } finally {
      client.close();
    }
    await sleep(250);
  }
  throw new Error(`the manual of ${productId} was not acknowledged within ${timeoutMs} ms`);
}

export async function manualStatuses(
  databaseUrl: string,
  productIds: readonly string[],
): Promise<Record<string, string>> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ product_id: string; status: string }>(
      'SELECT product_id, status FROM manuals WHERE product_id = ANY($1)',
      [[...productIds]],
    );
    return Object.fromEntries(rows.map((r) => [r.product_id, r.status]));
  } finally {
    await client.end();
  }
}

/**
 * The reconciler re-enqueues manuals in flight for over a minute; a drill cannot wait that long, so
 * it ages the rows it is about (as a minute passing would) and queues one `reconcile-manuals` run on
 * the worker's maintenance queue (prefix "hsc", as app/adapters/jobs/bullmq-queue.ts).
 */
export async function runReconcilerNow(
  databaseUrl: string,
  productIds: readonly string[],
  redis: { sentinels: { host: string; port: number }[]; masterName: string },
): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(
      "UPDATE manuals SET updated_at = now() - interval '2 minutes' WHERE product_id = ANY($1) AND status IN ('queued', 'fetching', 'indexing')",
      [[...productIds]],
    );
  } finally {
    await client.end();
  }
  const connection = new Redis({ sentinels: redis.sentinels, name: redis.masterName, maxRetriesPerRequest: null });
  const queue = new Queue('maintenance', { connection, prefix: 'hsc' });
  try {
    await queue.add('maintenance', { task: 'reconcile-manuals' }, { removeOnComplete: true, removeOnFail: true });
  } finally {
    await queue.close();
    connection.disconnect();
  }
}
