/**
 * A gateway drained by SIGTERM, seen by a customer in Debian's Chromium (issue 16, "honest states"):
 * two gateways and a worker as deployed (Postgres, Redis), behind a load balancer that, like a
 * Service, stops routing to a gateway once its readiness fails. The drained gateway tells the page at
 * once (protocol v4 `draining`); the badge says "Switching server…", never "Connected", until the
 * page has resumed its session on the other gateway, well before the drain's deadline; the
 * conversation is still there and the next question is answered by the other gateway.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  launchChromium,
  startPostgres,
  startRedis,
  type PostgresInstance,
  type RedisInstance,
} from '../harness/index.js';
import { spawnApp, type AppProcess } from '../helpers/app-process.js';
import { startBalancer, type Balancer } from './helpers/balancer.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const RECORDER = join(ROOT, 'test/web/helpers/connection-recorder.js');
const DRAIN_SECONDS = 30;

let pg: PostgresInstance;
let redis: RedisInstance;
let a: AppProcess;
let b: AppProcess;
let worker: AppProcess;
let balancer: Balancer;
let browser: Browser;

beforeAll(async () => {
  if (!existsSync(join(ROOT, 'app/web/dist/index.html'))) throw new Error('run npm run build:web first');
  [pg, redis, browser] = await Promise.all([startPostgres(), startRedis(), launchChromium()]);
  const env = {
    DATABASE_URL: await pg.createDatabase('drain'),
    REDIS_URL: redis.url,
    DRAIN_SECONDS: String(DRAIN_SECONDS),
  };
  // One at a time: each migrates and imports the catalog on first start.
  a = await spawnApp(env);
  [b, worker] = await Promise.all([spawnApp(env), spawnApp(env, 'app/worker.ts', 'worker running')]);
  balancer = await startBalancer([a.url, b.url]);
});

afterAll(async () => {
  for (const p of [a, b, worker]) p?.child.kill('SIGKILL');
  await Promise.allSettled([browser?.close(), balancer?.close(), pg?.stop(), redis?.stop()]);
});

interface Page$ {
  __connectionSeen: string[];
  __connectionSeenAt: number[];
  /** The session id is the browser's (storage.ts), kept in localStorage. */
  localStorage: { getItem(key: string): string | null };
}

describe('a draining gateway', () => {
  it('moves the page to the other gateway at once: "Switching server", never "Connected", then resumed there', {
    timeout: 180_000,
  }, async () => {
    const context = await browser.newContext({ viewport: { width: 1024, height: 768 }, reducedMotion: 'reduce' });
    const page = await context.newPage();
    await page.addInitScript({ path: RECORDER });
    const received: string[] = [];
    page.on('websocket', (ws) => ws.on('framereceived', (f) => received.push(String(f.payload))));
    const connection = () => page.locator('[data-connection]').getAttribute('data-connection');
    try {
      await page.goto(balancer.url);
      await expect.poll(connection, { timeout: 30_000 }).toBe('open');
      expect(balancer.upgrades).toEqual([a.url]);
      const search = page.locator('#product-search');
      await search.focus();
      await page.keyboard.type('rolnd tr8s', { delay: 15 });
      await expect.poll(() => page.getByRole('option').first().textContent()).toContain('TR-8S');
      await page.keyboard.press('Enter');
      await expect
        .poll(() => page.getByTestId('manual-status').getAttribute('data-status'), { timeout: 60_000 })
        .toBe('ready');
      await page.locator('#question').fill('How do I restore the factory settings?');
      await page.keyboard.press('Enter');
      await expect
        .poll(() => page.getByTestId('answer').last().getAttribute('data-status'), { timeout: 30_000 })
        .toBe('done');
      const sessionId = await page.evaluate(() =>
        (globalThis as unknown as Page$).localStorage.getItem('hsc.sessionId'),
      );
      const seenBefore = (await page.evaluate(() => (globalThis as unknown as Page$).__connectionSeen)).length;

      const signalledAt = Date.now();
      a.child.kill('SIGTERM');
      await expect.poll(() => balancer.upgrades.length, { timeout: 15_000, interval: 20 }).toBeGreaterThan(1);
      await expect.poll(connection, { timeout: 15_000, interval: 20 }).toBe('open');
      const { seen, at } = await page.evaluate(() => {
        const g = globalThis as unknown as Page$;
        return { seen: g.__connectionSeen, at: g.__connectionSeenAt };
      });
      const during = seen.slice(seenBefore);
      const resumedAfterMs = at.at(-1)! - signalledAt;
      console.log(JSON.stringify({ drainSeconds: DRAIN_SECONDS, badge: during, resumedAfterMs }));

      // The badge: switching (told by the server), then reconnecting, then open on the other gateway;
      // "Connected" only at the end.
      expect(during[0]).toBe('switching|Switching server…');
      expect(during.at(-1)).toBe('open|Connected');
      expect(during.slice(0, -1).every((s) => s.startsWith('switching|') || s.startsWith('reconnecting|'))).toBe(true);
      // A 2 s reconnect window plus a resume, not the 30 s drain: against the drain, not a figure in ms.
      expect(resumedAfterMs).toBeLessThan((DRAIN_SECONDS * 1000) / 3);
      // The open socket is on B, and the session was resumed there.
      expect(balancer.upgrades.at(-1)).toBe(b.url);
      expect(received.some((r) => r.includes('"type":"draining"'))).toBe(true);
      const resumed = received
        .map((r) => JSON.parse(r) as { type: string; resumed?: boolean; sessionId?: string })
        .filter((f) => f.type === 'hello' && f.resumed);
      expect(resumed.at(-1)?.sessionId).toBe(sessionId);

      // A, left with no sockets, ends its drain long before the deadline.
      expect(await a.exited).toBe(0);
      expect(Date.now() - signalledAt).toBeLessThan(DRAIN_SECONDS * 1000);

      // The conversation is still on screen, and B answers the next question.
      expect(await page.getByTestId('answer').count()).toBe(1);
      await page.locator('#question').fill('How do I save a pattern?');
      await page.keyboard.press('Enter');
      await expect
        .poll(() => page.getByTestId('answer').last().getAttribute('data-status'), { timeout: 30_000 })
        .toBe('done');
      expect(await page.getByTestId('answer-text').last().textContent()).toContain('WRITE');
    } finally {
      await context.close();
    }
  });
});
