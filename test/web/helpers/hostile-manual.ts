/**
 * Issue 24 #6 in Chromium, shared by its test (test/web/safe-answers.test.ts) and the abuse drill
 * (bench/abuse/scenarios/hostile-markdown.ts): a manual whose text carries Markdown for an image (a
 * tracking beacon) and a protocol-relative link, and a customer who asks about that passage in the real
 * UI. `readHostileAnswer` reports what the page made of it; the caller judges. Only playwright-core's own
 * waits here, so it runs outside vitest too.
 */
import type { Browser, Page } from 'playwright-core';
import { renderManualPdf } from '../../../scripts/demo-manuals/render.js';

export const ATTACKER = 'attacker.example';
export const HOSTILE_PRODUCT = {
  id: 'acme-portal-7',
  brand: 'Acme',
  name: 'Acme Portal 7',
  category: 'Drum machines',
} as const;
const HOSTILE_PATH = '/portal-7.pdf';

/** The catalog entry, its manual served at `origin` + its path. */
export function hostileProduct(origin: string) {
  return { ...HOSTILE_PRODUCT, manualUrl: `${origin}${HOSTILE_PATH}` };
}

/** The manual: a real PDF whose registration passage is the attack. */
export function hostileManualPdf(): Promise<Buffer> {
  return renderManualPdf(
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
}

export interface HostileAnswerReport {
  /** The answer's text quotes the passage ("support portal" is there). */
  quoted: boolean;
  /** <img> elements in the answer. */
  images: number;
  /** <img> anywhere on the page whose src names the attacker's host. */
  attackerImages: number;
  /** Every link on the page that leaves the app's origin. */
  offSiteLinks: string[];
  /** Live links named "support portal" in the answer text. */
  supportLinks: number;
  /** The first citation's href (the app's own copy of the manual). */
  citationHref: string | null;
  /** After a reload, from the stored history: quoted again, and its <img> count. */
  afterReload: { quoted: boolean; images: number };
  /** Every request the page tried to send to the attacker's host (none was let through). */
  contacted: string[];
}

interface Doc {
  document: { links: ArrayLike<{ href: string }>; images: ArrayLike<{ src: string }> };
  origin: string;
}

/** Opens the app at `appUrl`, picks the hostile product, asks about registering, reloads. */
export async function readHostileAnswer(browser: Browser, appUrl: string): Promise<HostileAnswerReport> {
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
    await page.goto(appUrl);
    await page.locator('[data-connection="open"]').waitFor({ timeout: 30_000 });
    await pickHostileProduct(page);
    await page.locator('[data-testid="manual-status"][data-status="ready"]').waitFor({ timeout: 60_000 });
    await page.locator('#question').fill('How do I register the unit?');
    await page.keyboard.press('Enter');
    const answer = page.getByTestId('answer').last();
    await page.locator('[data-testid="answer"][data-status="done"]').last().waitFor({ timeout: 30_000 });
    const text = answer.getByTestId('answer-text');
    const report = {
      quoted: ((await text.textContent()) ?? '').includes('support portal'),
      images: await answer.locator('img').count(),
      ...(await page.evaluate((host) => {
        const { document, origin } = globalThis as unknown as Doc;
        return {
          attackerImages: Array.from(document.images).filter((img) => img.src.includes(host)).length,
          offSiteLinks: Array.from(document.links, (a) => a.href).filter((href) => new URL(href).origin !== origin),
        };
      }, ATTACKER)),
      supportLinks: await text.getByRole('link', { name: 'support portal' }).count(),
      citationHref: await answer.getByTestId('citation').first().getAttribute('href'),
    };
    await page.reload();
    const again = page.getByTestId('answer-text').last();
    await page
      .locator('[data-testid="answer-text"]', { hasText: 'support portal' })
      .last()
      .waitFor({ timeout: 30_000 })
      .catch(() => undefined); // reported as not quoted below
    const afterReload = {
      quoted: ((await again.textContent()) ?? '').includes('support portal'),
      images: await page.locator('[data-testid="answer"] img').count(),
    };
    return { ...report, afterReload, contacted };
  } finally {
    await context.close();
  }
}

/** Types the product's name into the search and takes the best match with Enter. */
async function pickHostileProduct(page: Page): Promise<void> {
  const search = page.locator('#product-search');
  await search.fill('');
  await search.focus();
  await page.keyboard.type('acme portal 7', { delay: 15 });
  await page.getByRole('option').first().filter({ hasText: 'Portal 7' }).waitFor({ timeout: 10_000 });
  await page.keyboard.press('Enter');
}
