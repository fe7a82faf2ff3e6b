/**
 * Issue 24 #6, in Debian's Chromium against the real app: a manual whose text carries Markdown for an
 * image (a tracking beacon) and a protocol-relative link. The answer quotes that passage, and neither
 * becomes an image or a live link: no <img> in the answer, no request to the host, no link off the
 * site; the words themselves stay readable. The manual is a real PDF served by a local HTTP host. The
 * customer's steps and what is read off the page are shared with the abuse drill (helpers/hostile-manual).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../harness/index.js';
import { startTestRuntime, type TestRuntime } from '../helpers/runtime.js';
import { hostileManualPdf, hostileProduct, readHostileAnswer } from './helpers/hostile-manual.js';
import { startManualHost, type ManualHost } from './helpers/manual-host.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

let host: ManualHost;
let app: TestRuntime;
let browser: Browser;

beforeAll(async () => {
  if (!existsSync(join(ROOT, 'app/web/dist/index.html'))) throw new Error('run npm run build:web first');
  const pdf = await hostileManualPdf();
  host = await startManualHost(
    'safe-answers',
    (_req, res) => void res.writeHead(200, { 'content-type': 'application/pdf' }).end(pdf),
    (origin) => [hostileProduct(origin)],
  );
  [app, browser] = await Promise.all([startTestRuntime(host.env), launchChromium()]);
});

afterAll(async () => {
  await Promise.allSettled([browser?.close(), app?.dispose(), host?.close()]);
});

describe('an answer quoting hostile Markdown from a manual', () => {
  it('renders no image and no live link, and nothing reaches the host', { timeout: 120_000 }, async () => {
    const report = await readHostileAnswer(browser, app.url);
    // The passage is quoted (its words are there) …
    expect(report.quoted).toBe(true);
    // … but as words: no image, no link anywhere on the page that leaves the site.
    expect(report.images).toBe(0);
    expect(report.attackerImages).toBe(0);
    expect(report.offSiteLinks).toEqual([]);
    expect(report.supportLinks).toBe(0);
    // The cited page is still a link, to the app's own copy of the manual.
    expect(report.citationHref).toMatch(/^\/manuals\/acme-portal-7\.pdf#page=\d+$/);
    // A reload (the answer now comes from the stored history) shows the same.
    expect(report.afterReload).toEqual({ quoted: true, images: 0 });
    expect(report.contacted).toEqual([]);
  });
});
