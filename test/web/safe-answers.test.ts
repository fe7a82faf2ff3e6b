/**
 * Issue 24 #6, in Debian's Chromium against the real app: a manual whose text carries Markdown for an
 * image (a tracking beacon) and a protocol-relative link. The answer quotes that passage, and neither
 * becomes an image or a live link: no <img> in the answer, no request to the host, no link off the
 * site; the words themselves stay readable. The manual is a real PDF served by a local HTTP host.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderManualPdf } from '../../scripts/demo-manuals/render.js';
import { launchChromium } from '../harness/index.js';
import { startTestRuntime, type TestRuntime } from '../helpers/runtime.js';
import { connection, pick } from './helpers/customer.js';
import { startManualHost, type ManualHost } from './helpers/manual-host.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const ATTACKER = 'attacker.example';

let host: ManualHost;
let app: TestRuntime;
let browser: Browser;

beforeAll(async () => {
  if (!existsSync(join(ROOT, 'app/web/dist/index.html'))) throw new Error('run npm run build:web first');
  const pdf = await renderManualPdf(
    [
      {
        heading: 'Registering the unit',
        paragraphs: [
          `To register the unit, open the [support portal](//${ATTACKER}/login) and sign in with your account. ![x](https://${ATTACKER}/track.png)`,
          'Registration unlocks firmware updates and the extended warranty of the unit.',
        ],
      },
      { heading: 'Cleaning', paragraphs: ['Wipe the case with a soft, dry cloth. Never use solvents on the panel.'] },
    ],
    { title: 'Acme Portal 7: Owner Guide' },
  );
  host = await startManualHost(
    'safe-answers',
    (_req, res) => void res.writeHead(200, { 'content-type': 'application/pdf' }).end(pdf),
    (origin) => [
      {
        id: 'acme-portal-7',
        brand: 'Acme',
        name: 'Acme Portal 7',
        category: 'Drum machines',
        manualUrl: `${origin}/portal-7.pdf`,
      },
    ],
  );
  [app, browser] = await Promise.all([startTestRuntime(host.env), launchChromium()]);
});

afterAll(async () => {
  await Promise.allSettled([browser?.close(), app?.dispose(), host?.close()]);
});

describe('an answer quoting hostile Markdown from a manual', () => {
  it('renders no image and no live link, and nothing reaches the host', { timeout: 120_000 }, async () => {
    const context = await browser.newContext({ viewport: { width: 1024, height: 768 }, reducedMotion: 'reduce' });
    const contacted: string[] = [];
    // Anything addressed to the host is recorded and never leaves the machine.
    await context.route(`**/*${ATTACKER}*/**`, (route) => {
      contacted.push(route.request().url());
      return route.abort();
    });
    context.on('request', (request) => {
      if (new URL(request.url()).hostname.endsWith(ATTACKER)) contacted.push(request.url());
    });
    const page = await context.newPage();
    try {
      await page.goto(app.url);
      await expect.poll(() => connection(page)).toBe('open');
      await pick(page, 'acme portal 7', 'Portal 7');
      await expect
        .poll(() => page.getByTestId('manual-status').getAttribute('data-status'), { timeout: 60_000 })
        .toBe('ready');
      await page.locator('#question').fill('How do I register the unit?');
      await page.keyboard.press('Enter');
      const answer = page.getByTestId('answer').last();
      await expect.poll(() => answer.getAttribute('data-status'), { timeout: 30_000 }).toBe('done');

      // The passage is quoted (its words are there) …
      const text = answer.getByTestId('answer-text');
      expect(await text.textContent()).toContain('support portal');
      // … but as words: no image, no link anywhere on the page that leaves the site.
      expect(await answer.locator('img').count()).toBe(0);
      const offSite = await page.evaluate(() =>
        Array.from(
          (globalThis as unknown as { document: { links: ArrayLike<{ href: string }> } }).document.links,
          (a) => a.href,
        ).filter((href) => new URL(href).origin !== (globalThis as unknown as { origin: string }).origin),
      );
      expect(offSite).toEqual([]);
      expect(await text.getByRole('link', { name: 'support portal' }).count()).toBe(0);
      // The cited page is still a link, to the app's own copy of the manual.
      expect(await answer.getByTestId('citation').first().getAttribute('href')).toMatch(
        /^\/manuals\/acme-portal-7\.pdf#page=\d+$/,
      );
      // A reload (the answer now comes from the stored history) shows the same.
      await page.reload();
      await expect.poll(() => page.getByTestId('answer-text').last().textContent()).toContain('support portal');
      expect(await page.locator('[data-testid="answer"] img').count()).toBe(0);
      expect(contacted).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
