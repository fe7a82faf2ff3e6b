/**
 * Issue #25, in Debian's Chromium against the real app and the bundled catalog: a brand-only query shows
 * a brand row, and Enter completes the box with the brand (no `select`); a family (Roland SPD-30: the
 * standard model and a black one) is one row, and picking it and then a variant with the keyboard sends
 * `select` with that variant's own id. Escape returns to the search box; Enter there acts on the best
 * row, the family, and opens the picker again (or, still open, gives it focus back). axe-core checks the list with a brand row and the open picker.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../harness/index.js';
import { startTestRuntime, type TestRuntime } from '../helpers/runtime.js';
import { axe } from './helpers/axe.js';
import { connection, openPage } from './helpers/customer.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** `UPDATE_SCREENSHOTS=1` refreshes the README's pictures of these states (as experience.test.ts does). */
const SHOTS = process.env.UPDATE_SCREENSHOTS === '1' ? join(ROOT, 'docs/screenshots') : undefined;
const BLACK = 'roland_87-spd30bk';

let browser: Browser;
let app: TestRuntime;

beforeAll(async () => {
  if (!existsSync(join(ROOT, 'app/web/dist/index.html'))) throw new Error('run npm run build:web first');
  [browser, app] = await Promise.all([launchChromium(), startTestRuntime()]);
});

afterAll(async () => {
  await Promise.allSettled([browser?.close(), app?.dispose()]);
});

interface Doc {
  document: {
    activeElement: { id: string } | null;
    getElementById(id: string): { getAttribute(name: string): string | null } | null;
  };
}

const focused = (page: Page) => page.evaluate(() => (globalThis as unknown as Doc).document.activeElement?.id ?? '');
/** The option the focused listbox (or combobox) says is highlighted: its data attribute `name`. */
const highlighted = (page: Page, owner: string, name: string) =>
  page.evaluate(
    ([owner, name]) => {
      const doc = (globalThis as unknown as Doc).document;
      const id = doc.getElementById(owner!)?.getAttribute('aria-activedescendant');
      return id ? (doc.getElementById(id)?.getAttribute(name!) ?? null) : null;
    },
    [owner, name],
  );

describe('brand and family rows', () => {
  it('completes a brand, then picks a family and its black variant by keyboard; `select` carries its id', {
    timeout: 180_000,
  }, async () => {
    const { context, page } = await openPage(browser);
    const selects: string[] = [];
    page.on('websocket', (ws) =>
      ws.on('framesent', (f) => {
        const frame = JSON.parse(String(f.payload)) as { type: string; productId?: string };
        if (frame.type === 'select') selects.push(frame.productId ?? '');
      }),
    );
    try {
      await page.goto(app.url);
      await expect.poll(() => connection(page)).toBe('open');
      const search = page.locator('#product-search');
      await search.focus();

      // A brand alone: a brand row first, no product claimed with confidence.
      await page.keyboard.type('roland', { delay: 30 });
      const first = page.getByRole('listbox', { name: 'Matching products' }).getByRole('option').first();
      await expect.poll(() => first.getAttribute('data-kind')).toBe('brand');
      expect(await first.textContent()).toContain('Roland');
      expect(await first.textContent()).not.toMatch(/\d+%/);
      expect(await page.getByTestId('top-confidence').textContent()).toMatch(/^Best match: Roland \(a brand\)/);
      await axe(page, 'brand row');
      if (SHOTS) await page.screenshot({ path: join(SHOTS, '32-brand-row.png') });

      // Enter completes the box with the brand and a space; the customer keeps typing.
      await page.keyboard.press('Enter');
      await expect.poll(() => search.inputValue()).toBe('Roland ');
      expect(await focused(page)).toBe('product-search');
      await page.keyboard.type('spd-30', { delay: 30 });
      await expect.poll(() => first.getAttribute('data-kind')).toBe('family');
      expect(await first.textContent()).toMatch(/Roland SPD-30.*2 variants/);
      // The family is one row: no option offers either variant on its own.
      const names = await page
        .getByRole('listbox', { name: 'Matching products' })
        .getByRole('option')
        .allTextContents();
      expect(names.filter((n) => n.includes('SPD-30'))).toHaveLength(1);

      // Arrow to the family, Enter: the variant picker opens with focus on its listbox.
      await page.keyboard.press('ArrowDown');
      expect(await highlighted(page, 'product-search', 'data-kind')).toBe('family');
      await page.keyboard.press('Enter');
      const picker = page.getByRole('listbox', { name: 'Which Roland SPD-30?' });
      await expect.poll(() => picker.isVisible()).toBe(true);
      await expect.poll(() => focused(page)).toBe('variant-options');
      expect(await picker.getByRole('option').allTextContents()).toEqual([
        expect.stringContaining('Standard'),
        expect.stringContaining('Black'),
      ]);
      await axe(page, 'variant picker');
      if (SHOTS) await page.screenshot({ path: join(SHOTS, '33-variant-picker.png') });

      // Escape goes back to the search box; Enter there (nothing highlighted) opens it again on the
      // best row, the family, since it is not a weak match.
      await page.keyboard.press('Escape');
      await expect.poll(() => picker.count()).toBe(0);
      expect(await focused(page)).toBe('product-search');
      await page.keyboard.press('Enter');
      await expect.poll(() => focused(page)).toBe('variant-options');
      // Back in the box with the picker still open, Enter on the family brings focus to its variants again.
      await search.click();
      expect(await focused(page)).toBe('product-search');
      await page.keyboard.press('Enter');
      await expect.poll(() => focused(page)).toBe('variant-options');
      expect(selects).toEqual([]);

      await page.keyboard.press('ArrowDown');
      expect(await highlighted(page, 'variant-options', 'data-product-id')).toBe(BLACK);
      await page.keyboard.press('Enter');
      await expect.poll(() => selects).toEqual([BLACK]);
      expect(await search.inputValue()).toBe('Roland SPD-30 (Black)');
      expect(await page.getByTestId('variant-picker').count()).toBe(0);
    } finally {
      await context.close();
    }
  });
});
