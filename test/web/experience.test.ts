/**
 * The customer's experience in Debian's Chromium against the real app (issue 16): a conversation per
 * product that survives a reload; honest states offline and with a frozen server (SIGSTOP); a
 * chat-first phone layout with the keyboard open (390×480); axe-core at every main state; rendered
 * Markdown, feedback counted in a metric; favicon, dark mode and forced colours.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { existsSync } from 'node:fs';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../harness/index.js';
import { startTestRuntime, type TestRuntime } from '../helpers/runtime.js';
import { spawnApp, type AppProcess } from '../helpers/app-process.js';
import { axe } from './helpers/axe.js';
import { ask, connection, openPage, pick, waitReady } from './helpers/customer.js';

/** How long the web client lets a server stay silent before it reconnects (protocol-client.ts's default). */
const CLIENT_SILENCE_BUDGET_MS = 10_000;

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SHOTS = process.env.UPDATE_SCREENSHOTS === '1' ? join(ROOT, 'docs/screenshots') : undefined;
const SUPPORT_URL = 'https://support.example.com/contact';

let browser: Browser;
let app: TestRuntime;

beforeAll(async () => {
  if (!existsSync(join(ROOT, 'app/web/dist/index.html'))) throw new Error('run npm run build:web first');
  [browser, app] = await Promise.all([launchChromium(), startTestRuntime({ SUPPORT_URL })]);
});

afterAll(async () => {
  await Promise.allSettled([browser?.close(), app?.dispose()]);
});

const open = (viewport?: { width: number; height: number }, extra: BrowserContextOptions = {}) =>
  openPage(browser, viewport, extra);

async function shot(page: Page, name: string) {
  if (SHOTS) await page.screenshot({ path: join(SHOTS, `${name}.png`) });
}

describe('conversations belong to products', () => {
  it('keeps a thread per product, lists earlier ones, starts new ones, and brings them back after a reload', {
    timeout: 180_000,
  }, async () => {
    const { context, page } = await open();
    try {
      await page.goto(app.url);
      await expect.poll(() => connection(page)).toBe('open');
      await pick(page, 'rolnd tr8s', 'TR-8S');
      await waitReady(page);
      const reset = await ask(page, 'How do I restore the factory settings?');
      expect(await reset.getAttribute('data-status')).toBe('done');

      // Another product: its own, empty conversation; the TR-8S answer is not under the MPC card.
      await pick(page, 'mpc live 2', 'MPC Live II');
      expect(await page.getByTestId('answer').count()).toBe(0);
      await waitReady(page);
      await ask(page, 'How do I restore the factory image?');
      expect(await page.getByTestId('answer').count()).toBe(1);
      expect(await page.getByTestId('answer-text').textContent()).toContain('Restore Factory Image');

      // The earlier conversation is one click away, labelled by its product.
      await page.getByTestId('thread-history').click();
      const items = page.getByTestId('thread-item');
      expect(await items.count()).toBe(1);
      expect(await items.first().textContent()).toContain('Roland TR-8S Rhythm Performer');
      await items.first().click();
      await expect
        .poll(() => page.getByTestId('product-card').getByRole('heading').textContent())
        .toBe('Roland TR-8S Rhythm Performer');
      expect(await page.getByTestId('answer-text').textContent()).toContain('SAMPLE button');

      // Picking the MPC again returns to its thread.
      await pick(page, 'mpc live 2', 'MPC Live II');
      expect(await page.getByTestId('answer-text').textContent()).toContain('Restore Factory Image');

      // New conversation: empty; the old one joins the list.
      await page.getByTestId('new-conversation').click();
      expect(await page.getByTestId('answer').count()).toBe(0);
      await ask(page, 'How do I reset the preferences?');
      await page.getByTestId('thread-history').click();
      expect(await page.getByTestId('thread-item').count()).toBe(2);
      await page.keyboard.press('Escape');
      await shot(page, '15-conversations');

      // Reload: the server's history brings every thread back, on the product's latest one.
      await page.reload();
      await expect.poll(() => connection(page)).toBe('open');
      await expect.poll(() => page.getByTestId('answer').count()).toBe(1);
      expect(await page.getByTestId('answer-text').textContent()).toContain('Reset Preferences');
      await page.getByTestId('thread-history').click();
      const labels = await page.getByTestId('thread-item').allTextContents();
      expect(labels).toHaveLength(2);
      expect(labels.join('|')).toContain('Roland TR-8S Rhythm Performer');
      expect(labels.join('|')).toContain('Akai Professional MPC Live II');
    } finally {
      await context.close();
    }
  });
});

describe('answers', () => {
  it('are copied and rated, one step per line; ratings are stored and counted', { timeout: 120_000 }, async () => {
    const { context, page } = await open(
      { width: 1024, height: 768 },
      { permissions: ['clipboard-read', 'clipboard-write'] },
    );
    try {
      await page.goto(app.url);
      await expect.poll(() => connection(page)).toBe('open');
      await pick(page, 'rolnd tr8s', 'TR-8S');
      await waitReady(page);
      const answer = await ask(page, 'How do I restore the factory settings?');
      // One step per line, as the manual lists them.
      expect(await answer.getByTestId('answer-text').locator('br').count()).toBeGreaterThanOrEqual(3);
      await answer.getByTestId('answer-copy').click();
      await expect.poll(() => answer.getByTestId('answer-copy').textContent()).toBe('Copied');
      expect(
        await page.evaluate(() =>
          (
            globalThis as unknown as { navigator: { clipboard: { readText(): Promise<string> } } }
          ).navigator.clipboard.readText(),
        ),
      ).toContain('SAMPLE button');

      const before = await feedbackCount('up');
      await answer.getByTestId('vote-up').click();
      expect(await answer.getByTestId('vote-up').getAttribute('aria-pressed')).toBe('true');
      await expect.poll(() => feedbackCount('up')).toBe(before + 1);
    } finally {
      await context.close();
    }
  });
});

async function feedbackCount(vote: string): Promise<number> {
  const text = await (await fetch(`${app.internalUrl}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith('answer_feedback_total{') && l.includes(`vote="${vote}"`));
  return line ? Number(line.split(' ').at(-1)) : 0;
}

describe('honest states', () => {
  it('queues a question asked offline and sends it on reconnect; predictions never pretend to be current', {
    timeout: 120_000,
  }, async () => {
    const { context, page } = await open();
    try {
      await page.goto(app.url);
      await expect.poll(() => connection(page)).toBe('open');
      await pick(page, 'rolnd tr8s', 'TR-8S');
      await waitReady(page);
      await context.setOffline(true);
      await expect.poll(() => connection(page)).toBe('offline');
      await page.locator('#question').fill('How do I save a pattern?');
      await page.keyboard.press('Enter');
      const answer = page.getByTestId('answer').last();
      await expect.poll(() => answer.getByTestId('answer-queued').isVisible()).toBe(true);
      // Text typed offline has no predictions yet: the hint says so instead of an older best match.
      await page.locator('#product-search').fill('mpc live');
      await expect
        .poll(() => page.getByTestId('top-confidence').textContent())
        .toBe('Offline: matches will update when the connection is back.');
      expect(await page.getByRole('option').count()).toBe(0);
      await axe(page, 'offline');
      await shot(page, '16-offline-queued');
      await context.setOffline(false);
      await expect.poll(() => answer.getAttribute('data-status'), { timeout: 30_000 }).toBe('done');
      expect(await answer.getByTestId('answer-text').textContent()).toContain('press WRITE');
      await expect
        .poll(() => page.getByTestId('top-confidence').textContent())
        .toContain('Best match: Akai Professional MPC Live II');
    } finally {
      await context.close();
    }
  });

  // Two cold starts of the app: over 150 s under a CPU hog per core at load 36. A limit, not a budget.
  it('notices a frozen server (SIGSTOP) within 10 s, says Reconnecting, queues the question and answers it once the server is back', {
    timeout: 300_000,
  }, async () => {
    let server: AppProcess | undefined = await spawnApp({ LOG_LEVEL: 'info', DRAIN_SECONDS: '0' });
    const { context, page } = await open();
    try {
      await page.goto(server.url);
      await expect.poll(() => connection(page)).toBe('open');
      await pick(page, 'rolnd tr8s', 'TR-8S');
      await waitReady(page);
      server.child.kill('SIGSTOP');
      const frozenAt = Date.now();
      await page.locator('#question').fill('How do I update the firmware?');
      await page.keyboard.press('Enter');
      await expect.poll(() => connection(page), { timeout: 20_000, interval: 200 }).toBe('reconnecting');
      const noticedAfterMs = Date.now() - frozenAt;
      console.log(JSON.stringify({ frozenServerNoticedAfterMs: noticedAfterMs }));
      // In the client's silence budget (its default, 10 s), not ms: the budget plus a fifth for polling.
      expect(noticedAfterMs).toBeLessThanOrEqual(1.2 * CLIENT_SILENCE_BUDGET_MS);
      expect(await page.locator('[data-connection]').textContent()).toMatch(/^Reconnecting/);
      const answer = page.getByTestId('answer').last();
      await expect.poll(() => answer.getByTestId('answer-queued').isVisible()).toBe(true);
      await shot(page, '17-frozen-server-reconnecting');
      server.child.kill('SIGCONT');
      await expect.poll(() => answer.getAttribute('data-status'), { timeout: 60_000 }).toBe('done');
      expect(await answer.getByTestId('answer-text').textContent()).toContain('START button');
    } finally {
      server?.child.kill('SIGCONT');
      server?.child.kill('SIGKILL');
      server = undefined;
      await context.close();
    }
  });
});

describe('chat-first phone layout', () => {
  it('folds search and product into a chip after a pick; with the keyboard open the conversation keeps half the height', {
    timeout: 120_000,
  }, async () => {
    const { context, page } = await open({ width: 390, height: 844 }, { isMobile: true, hasTouch: true });
    try {
      await page.goto(app.url);
      await expect.poll(() => connection(page)).toBe('open');
      await pick(page, 'rolnd tr8s', 'TR-8S');
      const chip = page.getByTestId('product-chip');
      expect(await chip.isVisible()).toBe(true);
      expect(await page.locator('#product-search').isVisible()).toBe(false);
      expect(await page.getByTestId('product-card').isVisible()).toBe(false);
      await waitReady(page);
      await ask(page, 'How do I restore the factory settings?');
      // The on-screen keyboard leaves 480 px of the 844.
      await page.setViewportSize({ width: 390, height: 480 });
      await page.locator('#question').focus();
      const height = await page.evaluate(() => {
        const doc = (
          globalThis as unknown as {
            document: { querySelector(s: string): { getBoundingClientRect(): { height: number } } | null };
          }
        ).document;
        return doc.querySelector('section[aria-label="Conversation"]')!.getBoundingClientRect().height;
      });
      console.log(JSON.stringify({ conversationHeightPx: height, viewport: 480 }));
      expect(height).toBeGreaterThanOrEqual(240);
      // …and still shows the answer in it.
      await expect.poll(() => page.getByTestId('answer').last().isVisible()).toBe(true);
      await shot(page, '18-phone-keyboard-open');
      // The chip expands on tap.
      await chip.click();
      expect(await page.locator('#product-search').isVisible()).toBe(true);
      expect(await page.getByTestId('product-card').isVisible()).toBe(true);
    } finally {
      await context.close();
    }
  });
});

describe('accessibility', () => {
  it('has no serious or critical axe violation in any main state, visible focus, named citations and 24 px targets', {
    timeout: 180_000,
  }, async () => {
    const { context, page } = await open();
    try {
      await page.goto(app.url);
      await expect.poll(() => connection(page)).toBe('open');
      await axe(page, 'empty');
      const search = page.locator('#product-search');
      await search.focus();
      await page.keyboard.type('rolnd tr8s', { delay: 15 });
      await expect.poll(() => page.getByRole('option').count()).toBeGreaterThan(0);
      await axe(page, 'predictions');
      // Predictions are announced politely once typing pauses: count and best match.
      await expect
        .poll(() => page.getByTestId('prediction-status').textContent())
        .toMatch(/^\d+ matching products?\. Best match: Roland TR-8S Rhythm Performer\.$/);
      await page.keyboard.press('Enter');
      await axe(page, 'product picked');
      // After a pick, the search box does not reopen the old list, and Tab moves on to a real control.
      await search.focus();
      expect(await search.getAttribute('aria-expanded')).toBe('false');
      expect(await page.getByTestId('top-confidence').textContent()).not.toContain('Best match');
      await waitReady(page);
      await page.locator('#question').fill('How do I restore the factory settings?');
      await page.keyboard.press('Enter');
      await axe(page, 'answering');
      const answer = page.getByTestId('answer').last();
      await expect.poll(() => answer.getAttribute('data-status'), { timeout: 30_000 }).toBe('done');
      await axe(page, 'answered');
      // The finished answer's text is announced, not only "answer ready".
      await expect.poll(() => page.getByTestId('announcement').textContent()).toContain('SAMPLE button');

      const citation = answer.getByTestId('citation').first();
      const visible = (await citation.textContent())!.trim();
      expect(await citation.getAttribute('aria-label')).toMatch(new RegExp(`^${visible.replace('.', '\\.')}`));

      // Visible focus on the conversation itself (it scrolls, so keyboard users focus it).
      const conversation = page.getByTestId('conversation');
      await page.getByTestId('new-conversation').focus();
      await page.keyboard.press('Tab');
      expect(
        await conversation.evaluate(
          (el) => el === (el as unknown as { ownerDocument: { activeElement: unknown } }).ownerDocument.activeElement,
        ),
      ).toBe(true);
      const outline = await conversation.evaluate((el) => {
        const style = (
          globalThis as unknown as { getComputedStyle(e: unknown): { outlineStyle: string; outlineWidth: string } }
        ).getComputedStyle(el);
        return { style: style.outlineStyle, width: style.outlineWidth };
      });
      expect(outline.style).not.toBe('none');
      expect(Number.parseFloat(outline.width)).toBeGreaterThanOrEqual(2);

      // Every visible control is at least 24 × 24 px.
      const small = await page.evaluate(() => {
        const doc = (
          globalThis as unknown as {
            document: {
              querySelectorAll(s: string): ArrayLike<{
                getBoundingClientRect(): { width: number; height: number };
                textContent: string | null;
                closest(s: string): unknown;
              }>;
            };
          }
        ).document;
        return Array.from(doc.querySelectorAll('a[href], button, input, summary'))
          .filter((el) => !el.closest('.sr-only'))
          .map((el) => ({ text: (el.textContent ?? '').trim().slice(0, 30), ...el.getBoundingClientRect() }))
          .filter((r) => r.width > 0 && r.height > 0 && (r.width < 24 || r.height < 24));
      });
      expect(small).toEqual([]);

      // No manual: the disabled ask box and the support contact.
      // The question box is disabled once the server says there is no manual: focus returns to the search box.
      await pick(page, 'rolnad fpe50', 'FP-E50', 'product-search');
      await expect.poll(() => page.getByTestId('manual-status').getAttribute('data-status')).toBe('none');
      await axe(page, 'no manual');
      expect(
        await page.getByTestId('support').first().getByRole('link', { name: 'contact support' }).getAttribute('href'),
      ).toBe(SUPPORT_URL);
    } finally {
      await context.close();
    }
  });
});

describe('basics', () => {
  it('loads without console errors (favicon included), in dark mode and forced colours', {
    timeout: 120_000,
  }, async () => {
    const { context, page } = await open({ width: 1024, height: 768 }, { colorScheme: 'dark' });
    const errors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    page.on('response', (response) => {
      if (response.status() >= 400) errors.push(`${response.status()} ${response.url()}`);
    });
    try {
      await page.goto(app.url);
      await expect.poll(() => connection(page)).toBe('open');
      const icon = await fetch(`${app.url}/favicon.ico`);
      expect(icon.status).toBe(200);
      const background = await page.evaluate(() => {
        const g = globalThis as unknown as {
          getComputedStyle(e: unknown): { backgroundColor: string };
          document: { body: unknown };
        };
        return g.getComputedStyle(g.document.body).backgroundColor;
      });
      expect(background).not.toBe('rgb(248, 250, 252)'); // not the light theme's slate-50
      await pick(page, 'rolnd tr8s', 'TR-8S');
      await waitReady(page);
      const answer = await ask(page, 'How do I restore the factory settings?');
      await expect.poll(() => answer.getByTestId('answer-text').isVisible()).toBe(true);
      await shot(page, '19-dark');
      // Forced colours drop backgrounds: the answer bubble keeps an outline of its own.
      await page.emulateMedia({ forcedColors: 'active' });
      const border = await answer
        .locator('.bubble')
        .first()
        .evaluate((el) => {
          const style = (
            globalThis as unknown as {
              getComputedStyle(e: unknown): { borderTopStyle: string; borderTopWidth: string };
            }
          ).getComputedStyle(el);
          return `${style.borderTopStyle} ${style.borderTopWidth}`;
        });
      expect(border).toBe('solid 1px');
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
