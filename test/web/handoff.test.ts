/**
 * A person when needed, and answers shown for what they are (issue 26), in Debian's Chromium against
 * the real app. The catalog gives each product its own support page and the operator sets no
 * SUPPORT_URL / SUPPORT_EMAIL (the default), so every contact shown comes from the product:
 * after a thumbs-down on a confident answer, on a "not in the manual" answer, on the no-manual card.
 * "Copy conversation" hands the thread over as plain text, never with the session id. A follow-up
 * says which earlier question it took as context; a question with several parts is answered part by
 * part. A resume the server cannot honour (a restart that lost its data) is said plainly, and what
 * the page still shows can be copied. UPDATE_SCREENSHOTS=1 writes the states to docs/screenshots/.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderManualPdf } from '../../scripts/demo-manuals/render.js';
import { freePort, launchChromium } from '../harness/index.js';
import { startTestRuntime, type TestRuntime } from '../helpers/runtime.js';
import { axe } from './helpers/axe.js';
import { ask, connection, openPage, pick, waitReady } from './helpers/customer.js';
import { startManualHost, type ManualHost } from './helpers/manual-host.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SHOTS = process.env.UPDATE_SCREENSHOTS === '1' ? join(ROOT, 'docs/screenshots') : undefined;
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };
const WASHER_SUPPORT = 'https://support.acme.example/washer-5';
const STAND_SUPPORT = 'https://support.acme.example/stand-2';
const CLIPBOARD = { permissions: ['clipboard-read', 'clipboard-write'] };

let host: ManualHost;
let app: TestRuntime;
let browser: Browser;
let env: Record<string, string>;

beforeAll(async () => {
  if (!existsSync(join(ROOT, 'app/web/dist/index.html'))) throw new Error('run npm run build:web first');
  const pdf = await renderManualPdf(
    [
      {
        heading: 'Cleaning the filters',
        paragraphs: [
          'Check the filters after every ten washes.',
          '1. Turn the microfilter anticlockwise and lift it out.',
          '2. Rinse the filters under running water.',
          '3. Refit the filters and turn the microfilter clockwise.',
        ],
      },
      {
        heading: 'Adding salt',
        paragraphs: [
          'Fill the salt container whenever the salt light comes on.',
          '1. Unscrew the cap of the salt container.',
          '2. Fill the container with dishwasher salt up to the rim.',
          '3. Screw the cap on tightly.',
        ],
      },
      { heading: 'Noise level', paragraphs: ['The dishwasher runs at 44 dB in the ECO programme.'] },
    ],
    { title: 'Acme Washer 5: Owner Guide' },
  );
  host = await startManualHost(
    'handoff',
    (_req, res) => void res.writeHead(200, { 'content-type': 'application/pdf' }).end(pdf),
    (origin) => [
      {
        id: 'acme-washer-5',
        brand: 'Acme',
        name: 'Acme Washer 5',
        category: 'Dishwashers',
        manualUrl: `${origin}/washer-5.pdf`,
        supportUrl: WASHER_SUPPORT,
      },
      { id: 'acme-stand-2', brand: 'Acme', name: 'Acme Stand 2', category: 'Stands', supportUrl: STAND_SUPPORT },
    ],
  );
  env = { ...host.env, PORT: String(await freePort()) };
  [app, browser] = await Promise.all([startTestRuntime(env), launchChromium()]);
}, 180_000);

afterAll(async () => {
  await Promise.allSettled([browser?.close(), app?.dispose(), host?.close()]);
});

async function shot(page: Page, name: string) {
  if (SHOTS) await page.screenshot({ path: join(SHOTS, `${name}.png`) });
}

async function start(page: Page) {
  await page.goto(app.url);
  await expect.poll(() => connection(page)).toBe('open');
  await pick(page, 'acme washer', 'Washer 5');
  await waitReady(page);
}

const clipboard = (page: Page) =>
  page.evaluate(() =>
    (
      globalThis as unknown as { navigator: { clipboard: { readText(): Promise<string> } } }
    ).navigator.clipboard.readText(),
  );

const sessionId = (page: Page) =>
  page.evaluate(() =>
    (globalThis as unknown as { localStorage: { getItem(key: string): string | null } }).localStorage.getItem(
      'hsc.sessionId',
    ),
  );

describe('a person when needed', () => {
  it('after a thumbs-down on a confident answer: the product’s support page, and the thread to copy', {
    timeout: 120_000,
  }, async () => {
    const { context, page } = await openPage(browser, DESKTOP, CLIPBOARD);
    try {
      await start(page);
      const answer = await ask(page, 'How do I clean the filters?', /done/);
      expect(await answer.getAttribute('data-confidence')).toBe('confident');
      // A confident answer offers no hand-off until the customer says it did not help.
      expect(await answer.getByTestId('support').count()).toBe(0);
      await answer.getByTestId('vote-down').click();
      const support = answer.getByTestId('support');
      await expect.poll(() => support.count()).toBe(1);
      const link = support.getByTestId('support-url');
      expect(await link.getAttribute('href')).toBe(WASHER_SUPPORT);
      expect(await link.getAttribute('target')).toBe('_blank');
      expect(await link.getAttribute('rel')).toBe('noopener noreferrer');

      await support.getByTestId('copy-conversation').click();
      await expect.poll(() => support.getByTestId('copy-conversation').textContent()).toBe('Conversation copied');
      const copied = await clipboard(page);
      const id = await sessionId(page);
      expect(id).toBeTruthy();
      expect(copied).toContain('Acme Washer 5');
      expect(copied).toContain('Question: How do I clean the filters?');
      expect(copied).toContain('Rinse the filters under running water.');
      expect(copied).toMatch(/Manual pages cited: p\. 1\b/);
      expect(copied).toContain('Marked as not helpful.');
      expect(copied).not.toContain(id!);
      // Nothing on the page links anywhere with the session id in it.
      const hrefs = await page.locator('a[href]').evaluateAll((as) => as.map((a) => a.getAttribute('href') ?? ''));
      expect(hrefs.filter((href) => href.includes(id!))).toEqual([]);
      await axe(page, '26-thumbs-down-support');
      await shot(page, '26-thumbs-down-support');
    } finally {
      await context.close();
    }
  });

  it('on a "not in the manual" answer, at once; follow-ups and parts shown as such (phone)', {
    timeout: 150_000,
  }, async () => {
    const { context, page } = await openPage(browser, PHONE, CLIPBOARD);
    try {
      await start(page);
      const missing = await ask(page, 'How do I connect it to the app?', /done/);
      expect(await missing.getAttribute('data-confidence')).toBe('not_in_manual');
      const support = missing.getByTestId('support');
      await expect.poll(() => support.count()).toBe(1);
      expect(await support.getByTestId('support-url').getAttribute('href')).toBe(WASHER_SUPPORT);
      await axe(page, '27-phone-not-in-manual');
      await shot(page, '27-phone-not-in-manual');

      await ask(page, 'How do I add the salt?', /done/);
      const followUp = await ask(page, 'and how often should I do that?', /done/);
      expect(await followUp.getByTestId('answer-context').textContent()).toBe(
        'Taking your earlier question “How do I add the salt?” as context.',
      );
      await followUp.scrollIntoViewIfNeeded();
      await shot(page, '28-phone-follow-up');

      const parts = await ask(page, 'How do I clean the filters and add the salt?', /done/);
      const shown = parts.getByTestId('answer-part');
      expect(await shown.count()).toBe(2);
      expect(await shown.nth(0).getByRole('heading').textContent()).toContain('How do I clean the filters?');
      expect(await shown.nth(1).getByRole('heading').textContent()).toContain('How do I add the salt?');
      // Each part with its own citation, to its own page.
      expect(await shown.nth(0).getByTestId('citation').first().getAttribute('href')).toMatch(/#page=1$/);
      expect(await shown.nth(1).getByTestId('citation').first().getAttribute('href')).toMatch(/#page=2$/);
      await axe(page, '29-phone-parts');
      await shot(page, '29-phone-parts');
    } finally {
      await context.close();
    }
  });

  it('on the no-manual card, from the catalog', { timeout: 120_000 }, async () => {
    const { context, page } = await openPage(browser, DESKTOP, { colorScheme: 'dark' });
    try {
      await page.goto(app.url);
      await expect.poll(() => connection(page)).toBe('open');
      await pick(page, 'acme stand', 'Stand 2', 'product-search');
      const card = page.getByTestId('product-card');
      await expect
        .poll(() => card.getByTestId('support-url').getAttribute('href'), { timeout: 30_000 })
        .toBe(STAND_SUPPORT);
      await axe(page, '30-dark-no-manual-support');
      await shot(page, '30-dark-no-manual-support');
    } finally {
      await context.close();
    }
  });
});

describe('a resume the server cannot honour', () => {
  it('is said plainly, and what the page shows stays, to copy', { timeout: 180_000 }, async () => {
    const { context, page } = await openPage(browser, DESKTOP, CLIPBOARD);
    try {
      await start(page);
      await ask(page, 'How do I add the salt?', /done/);
      const lostId = await sessionId(page);
      expect(lostId).toBeTruthy();
      expect(await page.getByTestId('session-lost').count()).toBe(0);

      // The server restarts on a new, empty data directory: the session this browser keeps is gone.
      await app.dispose();
      app = await startTestRuntime(env);
      const notice = page.getByTestId('session-lost');
      await expect.poll(() => notice.count(), { timeout: 60_000 }).toBe(1);
      expect(await notice.getAttribute('role')).toBe('alert');
      expect(await notice.textContent()).toMatch(
        /We couldn't bring back your earlier conversation: the server no longer has it\. What you see here stays on this page/,
      );
      // Still on screen, and offered as a copy.
      expect(await page.getByTestId('conversation').textContent()).toContain('How do I add the salt?');
      await notice.getByTestId('copy-conversation').click();
      await expect.poll(() => notice.getByTestId('copy-conversation').textContent()).toBe('Conversation copied');
      const copied = await clipboard(page);
      expect(copied).toContain('Question: How do I add the salt?');
      expect(copied).toContain('Fill the container with dishwasher salt up to the rim.');
      expect(copied).not.toContain(lostId!);
      await axe(page, '31-resume-failed');
      await shot(page, '31-resume-failed');
    } finally {
      await context.close();
    }
  });
});
