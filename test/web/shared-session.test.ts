/**
 * A conversation that is never lost (issue 26), in Debian's Chromium against the real app on embedded
 * defaults: the session id is the browser's, so a second tab opens with the conversation the first one
 * had; and after the embedded server restarts (same data directory), a reload brings back every
 * thread, since sessions and turns live in the embedded database, not in process memory.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, launchChromium } from '../harness/index.js';
import { startTestRuntime, type TestRuntime } from '../helpers/runtime.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

let browser: Browser;
beforeAll(async () => {
  if (!existsSync(join(ROOT, 'app/web/dist/index.html'))) throw new Error('run npm run build:web first');
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

const connection = (page: Page) => page.locator('[data-connection]').getAttribute('data-connection');

async function open(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await expect.poll(() => connection(page), { timeout: 30_000 }).toBe('open');
}

/** Picks the best match for `typed` and asks `question` about it; resolves once the answer is done. */
async function ask(page: Page, typed: string, question: string): Promise<void> {
  const search = page.getByRole('combobox');
  await search.fill('');
  await search.focus();
  await page.keyboard.type(typed, { delay: 20 });
  await expect.poll(() => page.getByRole('option').count(), { timeout: 10_000 }).toBeGreaterThan(0);
  await page.keyboard.press('Enter');
  const box = page.locator('#question');
  await expect.poll(() => box.isEnabled(), { timeout: 20_000 }).toBe(true);
  await box.fill(question);
  await box.press('Enter');
  const answer = page.getByTestId('answer').last();
  await expect.poll(() => answer.getAttribute('data-status'), { timeout: 30_000 }).toBe('done');
}

/** Every question the page knows, in the conversation on screen and in the earlier ones. */
async function questionsShown(page: Page): Promise<string> {
  const earlier = page.getByTestId('thread-history');
  const listed = (await earlier.count()) > 0 ? await page.getByTestId('threads').textContent() : '';
  return `${await page.getByTestId('conversation').textContent()} ${listed}`;
}

describe('one conversation per browser', () => {
  let app: TestRuntime;
  beforeAll(async () => {
    app = await startTestRuntime({ DEMO_MANUALS: 'true' });
  });
  afterAll(async () => {
    await app?.dispose();
  });

  it('a second tab opens with the conversation of the first', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    try {
      const first = await context.newPage();
      await open(first, app.url);
      await ask(first, 'tr8s', 'How do I restore the factory settings?');

      const second = await context.newPage();
      await open(second, app.url);
      await expect
        .poll(() => second.getByTestId('conversation').textContent(), { timeout: 15_000 })
        .toContain('How do I restore the factory settings?');
      expect(await second.getByTestId('answer').last().getAttribute('data-status')).toBe('done');
      // Both tabs hold the same session id (the browser's), never one of their own.
      const ids = await Promise.all(
        [first, second].map((p) =>
          p.evaluate(() =>
            (globalThis as unknown as { localStorage: { getItem(key: string): string | null } }).localStorage.getItem(
              'hsc.sessionId',
            ),
          ),
        ),
      );
      expect(ids[0]).toBeTruthy();
      expect(ids[1]).toBe(ids[0]);
    } finally {
      await context.close();
    }
  });
});

describe('an embedded restart', () => {
  it('then a reload keeps every thread', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'hsc-jit-restart-'));
    const env = { DATA_DIR: dataDir, PORT: String(await freePort()), DEMO_MANUALS: 'true' };
    let app = await startTestRuntime(env);
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    try {
      const page = await context.newPage();
      await open(page, app.url);
      await ask(page, 'tr8s', 'How do I restore the factory settings?');
      await ask(page, 'sq5', 'How do I store a scene?');

      await app.stop();
      app = await startTestRuntime(env);
      await page.reload();
      await expect.poll(() => connection(page), { timeout: 30_000 }).toBe('open');
      await expect
        .poll(() => questionsShown(page), { timeout: 15_000 })
        .toMatch(/How do I store a scene\?[\s\S]*How do I restore the factory settings\?/);
      // Resumed, not started over: nothing says the earlier conversation is gone.
      expect((await page.getByRole('alert').allTextContents()).join(' ')).not.toMatch(/earlier conversation/);
    } finally {
      await context.close();
      await app.stop();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
