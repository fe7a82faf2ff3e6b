/** What a customer does in the real app, in Chromium: open a page, pick a product, wait for its manual, ask. */
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { expect } from 'vitest';

interface Doc {
  document: { activeElement: { id: string } | null };
}

export const connection = (page: Page) => page.locator('[data-connection]').getAttribute('data-connection');

export async function openPage(
  browser: Browser,
  viewport = { width: 1024, height: 768 },
  extra: BrowserContextOptions = {},
) {
  const context = await browser.newContext({ viewport, deviceScaleFactor: 1, reducedMotion: 'reduce', ...extra });
  const page = await context.newPage();
  return { context, page };
}

/** Types into the search box (unfolding the phone's chip first) and picks the best match with Enter. */
export async function pick(page: Page, typed: string, expected: string, focusedAfter = 'question'): Promise<void> {
  const chip = page.getByTestId('product-chip');
  if (await chip.isVisible()) await chip.click();
  const search = page.locator('#product-search');
  await search.fill('');
  await search.focus();
  await page.keyboard.type(typed, { delay: 15 });
  await expect.poll(() => page.getByRole('option').first().textContent()).toContain(expected);
  await page.keyboard.press('Enter');
  await expect
    .poll(() => page.evaluate(() => (globalThis as unknown as Doc).document.activeElement?.id))
    .toBe(focusedAfter);
}

export async function waitReady(page: Page): Promise<void> {
  await expect
    .poll(() => page.getByTestId('manual-status').getAttribute('data-status'), { timeout: 30_000 })
    .toBe('ready');
}

/** Asks with Enter and waits for the answer to end (done or failed unless told). */
export async function ask(page: Page, question: string, status: RegExp = /done|failed/) {
  await page.locator('#question').fill(question);
  await page.keyboard.press('Enter');
  const answer = page.getByTestId('answer').last();
  await expect.poll(() => answer.getAttribute('data-status'), { timeout: 30_000 }).toMatch(status);
  return answer;
}
