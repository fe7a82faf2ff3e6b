/**
 * The web UI in Debian's Chromium against the real app (embedded defaults): type a misspelled product,
 * pick it by keyboard, watch its demo manual reach `ready`, ask, read the streamed answer and open the
 * PDF its citation links to; a product without a manual says so, and its question fails in place; kill
 * the server and see the page reconnect and resume; 10,000 messages with a bounded DOM. Screenshots go
 * to docs/screenshots/.
 *
 * Two builds: the production bundle (app/web/dist, served by the app at `/`), and a `--mode e2e` bundle
 * that carries test hooks (frames fed through the real reducer) for states the server cannot be asked to
 * produce on demand (a failed fetch, 10,000 messages). Production builds never contain the hooks.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, launchChromium, startRedis, type RedisInstance } from '../harness/index.js';
import { startTestRuntime, type TestRuntime } from '../helpers/runtime.js';
import { spawnApp, type AppProcess } from '../helpers/app-process.js';
import { FIRST_LOAD_JS_BUDGET_GZIP, measureFirstLoad } from '../../scripts/bundle-size.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const PROD_DIST = join(ROOT, 'app/web/dist');
// The committed screenshots are refreshed on purpose (`UPDATE_SCREENSHOTS=1`); an ordinary test run
// writes its own under the temp dir so it never dirties the work tree.
const SHOTS =
  process.env.UPDATE_SCREENSHOTS === '1' ? join(ROOT, 'docs/screenshots') : join(tmpdir(), 'hsc-jit-screenshots');
const PHONE = { width: 375, height: 740 };
const SUPPORT_URL = 'https://support.example.com/contact';
const SUPPORT_EMAIL = 'help@example.com';
const run = promisify(execFile);

async function viteBuild(args: string[]): Promise<void> {
  await run(
    process.execPath,
    [
      join(ROOT, 'node_modules/vite/bin/vite.js'),
      'build',
      '--config',
      'app/web/vite.config.ts',
      '--logLevel',
      'warn',
      ...args,
    ],
    {
      cwd: ROOT,
      env: { ...process.env, NODE_ENV: 'production' }, // vitest sets NODE_ENV=test, which would bundle React's dev build
    },
  );
}

const TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
};

/** Serves the e2e build's files for `origin` from disk; the WebSocket still goes to the real app. */
async function routeBuild(page: Page, origin: string, dist: string): Promise<void> {
  await page.route(`${origin}/**`, async (route) => {
    const { pathname } = new URL(route.request().url());
    if (pathname !== '/' && !pathname.startsWith('/assets/')) return route.continue();
    const file = pathname === '/' ? 'index.html' : pathname.slice(1);
    await route.fulfill({
      body: await readFile(join(dist, file)),
      contentType: TYPES[extname(file)] ?? 'application/octet-stream',
    });
  });
}

/**
 * The browser globals the page.evaluate callbacks touch, typed here because the root tsconfig (node)
 * has no DOM lib. Callbacks run in the page, so they cast `globalThis` inline (the cast is erased).
 */
interface Page$ {
  document: { activeElement: { id: string } | null; getElementsByTagName(tag: string): { length: number } };
  /** The session id is the browser's (storage.ts), kept in localStorage. */
  localStorage: { getItem(key: string): string | null };
  __hscTest?: { dispatch(action: unknown): void; seeded: number };
  /** Set by manual-status-recorder.js: every "status|label" the product card showed, in order. */
  __manualSeen?: string[];
}

const CONTRAST_AUDIT = join(ROOT, 'test/web/helpers/contrast-audit.js');
const MANUAL_RECORDER = join(ROOT, 'test/web/helpers/manual-status-recorder.js');

/** Every state we screenshot is also audited: all visible text meets WCAG AA contrast. */
async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SHOTS, `${name}.png`) });
  // Evaluated over CDP: the page's CSP (no inline script) rightly refuses an injected <script>.
  await page.evaluate(`${readFileSync(CONTRAST_AUDIT, 'utf8')}\n;undefined`);
  const failures = await page.evaluate(() =>
    (globalThis as unknown as { __contrastAudit(): unknown[] }).__contrastAudit(),
  );
  expect(failures, `contrast below WCAG AA in ${name}`).toEqual([]);
}
const connection = (page: Page) => page.locator('[data-connection]').getAttribute('data-connection');

/** Opens the app, types `typed` into the product box and takes the best match with Enter (nothing highlighted). */
async function pickBestMatch(page: Page, url: string, typed: string, expected: string) {
  await page.goto(url);
  await expect.poll(() => connection(page)).toBe('open');
  const search = page.getByRole('combobox');
  await search.focus();
  await page.keyboard.type(typed, { delay: 20 });
  await expect.poll(() => page.getByRole('option').first().textContent()).toContain(expected);
  await page.keyboard.press('Enter');
  await unfold(page);
  return search;
}

/** Phones fold the search box and product card into a chip after a pick: tap it to see them again. */
async function unfold(page: Page): Promise<void> {
  const chip = page.getByTestId('product-chip');
  if (await chip.isVisible()) await chip.click();
}

let browser: Browser;
let app: TestRuntime;
let e2eDist: string;

beforeAll(async () => {
  e2eDist = await mkdtemp(join(tmpdir(), 'hsc-web-e2e-'));
  await mkdir(SHOTS, { recursive: true });
  // `npm test` builds app/web/dist first (pretest) and other test files serve it concurrently, so it
  // is only built here when missing: rebuilding would empty it under their feet.
  if (!existsSync(join(PROD_DIST, 'index.html'))) await viteBuild([]);
  await viteBuild(['--mode', 'e2e', '--outDir', e2eDist, '--emptyOutDir']);
  // Pages served by page.route (the e2e build) are not "from" loopback, so Chromium's Local Network
  // Access checks would block their WebSocket to the loopback app; the production pages need no flag.
  [browser, app] = await Promise.all([
    launchChromium({ args: ['--disable-features=LocalNetworkAccessChecks'] }),
    startTestRuntime({ SUPPORT_URL, SUPPORT_EMAIL }),
  ]);
});

afterAll(async () => {
  await Promise.allSettled([browser?.close(), app?.dispose()]);
  await rm(e2eDist, { recursive: true, force: true });
});

async function phonePage(): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: PHONE, deviceScaleFactor: 1, reducedMotion: 'reduce' });
  return { context, page: await context.newPage() };
}

describe('web UI on the real app', () => {
  it('ships no test hooks and stays within the first-load budget', async () => {
    const report = measureFirstLoad(PROD_DIST);
    expect(report.firstLoadJsGzipBytes).toBeLessThanOrEqual(FIRST_LOAD_JS_BUDGET_GZIP);
    for (const file of report.files)
      expect(await readFile(join(PROD_DIST, file.file), 'utf8')).not.toContain('seed-messages');
  });

  it('predicts a misspelled product, picks it by keyboard, watches its manual arrive, and gets a streamed answer citing a page', async () => {
    const { context, page } = await phonePage();
    const received: string[] = [];
    page.on('websocket', (ws) => ws.on('framereceived', (f) => received.push(String(f.payload))));
    await page.addInitScript({ path: MANUAL_RECORDER });
    try {
      await page.goto(app.url);
      await expect.poll(() => connection(page)).toBe('open');
      await shot(page, '01-start');

      const search = page.getByRole('combobox', { name: 'Which product do you need help with?' });
      await search.focus();
      await page.keyboard.type('rolnd tr8s', { delay: 30 });
      const options = page.getByRole('listbox').getByRole('option');
      await expect.poll(() => options.first().textContent()).toContain('TR-8S');
      await expect.poll(() => search.getAttribute('aria-expanded')).toBe('true');
      expect(await page.getByTestId('top-confidence').textContent()).toMatch(
        /^Best match: Roland TR-8S Rhythm Performer \(\d+% sure\)$/,
      );

      await page.keyboard.press('ArrowDown');
      const active = await search.getAttribute('aria-activedescendant');
      expect(active).toBeTruthy();
      expect(await page.locator(`#${active}`).getAttribute('aria-selected')).toBe('true');
      expect(await page.locator(`#${active}`).textContent()).toContain('Roland TR-8S Rhythm Performer');
      await shot(page, '02-predictions');
      await page.keyboard.press('Enter');

      // Picking moved focus to the question box: keyboard-only from here on.
      await expect
        .poll(() => page.evaluate(() => (globalThis as unknown as Page$).document.activeElement?.id))
        .toBe('question');
      await unfold(page); // phones fold the search box and card into a chip after a pick
      expect(await search.getAttribute('aria-expanded')).toBe('false');
      const card = page.getByTestId('product-card');
      expect(await card.getByRole('heading').textContent()).toBe('Roland TR-8S Rhythm Performer');
      expect(await search.inputValue()).toBe('Roland TR-8S Rhythm Performer'); // the maker is not repeated
      expect(await card.textContent()).not.toContain('Roland Commercial'); // nor stated twice in the card
      await page.locator('#question').focus();

      // The demo manual is fetched, read and indexed just in time: the card follows it to `ready`.
      const status = page.getByTestId('manual-status');
      await expect.poll(() => status.getAttribute('data-status'), { timeout: 20_000 }).toMatch(/ready|failed|none/);
      expect(await status.textContent()).toContain('Manual ready · 7 pages');
      expect(await page.getByRole('progressbar').getAttribute('aria-valuenow')).toBe('100');
      expect(await status.getByRole('link', { name: 'Open manual' }).getAttribute('href')).toBe(
        '/manuals/roland_87-tr8s.pdf',
      );
      // Every state the card showed, in the order shown: the journey never goes backwards.
      const seen = await page.evaluate(() => (globalThis as unknown as Page$).__manualSeen!);
      const journey = ['unknown', 'queued', 'fetching', 'indexing', 'ready'];
      const ranks = seen.map((entry) => journey.indexOf(entry.split('|')[0]!));
      expect(ranks, seen.join(' → ')).toEqual([...ranks].sort((a, b) => a - b));
      expect(ranks.at(-1)).toBe(journey.indexOf('ready'));
      await shot(page, '03-product-picked');

      await page.keyboard.type('How do I restore the factory settings?');
      await page.keyboard.press('Enter');
      const answer = page.getByTestId('answer').last();
      await expect.poll(() => answer.getAttribute('data-status'), { timeout: 20_000 }).toMatch(/done|failed/);
      expect(await answer.getAttribute('data-status'), (await answer.textContent()) ?? '').toBe('done');
      // Streamed: several chunks arrived, and the page shows them appended in order.
      const askId = await answer.getAttribute('data-ask-id');
      const chunks = received
        .map((r) => JSON.parse(r) as { type: string; id?: string; text?: string })
        .filter((f) => f.type === 'answer_chunk' && f.id === askId);
      expect(chunks.length).toBeGreaterThan(1);
      const text = await answer.getByTestId('answer-text').textContent();
      // Rendered as Markdown: the procedure's line breaks are <br>s, so compare the words.
      const words = (t: string | null) => (t ?? '').replace(/\s+/g, '');
      expect(words(text)).toBe(words(chunks.map((c) => c.text).join('')));
      // The whole procedure, with the warnings the manual attaches to it, from the one page it is on.
      for (const part of [
        'back up your data to an SD card first',
        'hold the SAMPLE button',
        'Press the flashing step button 16 to confirm',
        'do not switch off the power',
      ])
        expect(text).toContain(part);

      const citation = answer.getByTestId('citation').first();
      await expect.poll(() => citation.isVisible()).toBe(true);
      expect(await answer.getByTestId('citation').count()).toBe(1);
      const href = (await citation.getAttribute('href')) ?? '';
      const cited = /^\/manuals\/roland_87-tr8s\.pdf#page=(\d+)$/.exec(href);
      expect(cited, href).not.toBeNull();
      expect(Number(cited![1])).toBe(5);
      await shot(page, '04-answer-with-citation');

      // The link opens the PDF: the page's own fetch of the href follows the redirect to the manual.
      const opened = await page.evaluate(async (url) => {
        const response = await fetch(url);
        const head = new Uint8Array(await response.arrayBuffer()).slice(0, 5);
        return {
          status: response.status,
          redirected: response.redirected,
          url: response.url,
          type: response.headers.get('content-type'),
          head: String.fromCharCode(...head),
        };
      }, href);
      expect(opened).toMatchObject({ status: 200, redirected: true, type: 'application/pdf', head: '%PDF-' });
      expect(new URL(opened.url).pathname).toBe('/demo/manuals/roland-tr-8s.pdf');

      await search.focus();
      await page.keyboard.press('Escape');
      expect(await search.getAttribute('aria-expanded')).toBe('false');

      // The contrast audit is not vacuous: light grey on white is caught.
      // Styled through the CSSOM: the page's CSP refuses inline style attributes, as it should.
      await page.evaluate(() => {
        interface Styled {
          textContent: string;
          style: { color: string; background: string };
        }
        const doc = (
          globalThis as unknown as {
            document: { createElement(tag: 'p'): Styled; body: { prepend(node: Styled): void } };
          }
        ).document;
        const faint = doc.createElement('p');
        faint.textContent = 'too faint';
        faint.style.color = '#aaa';
        faint.style.background = '#fff';
        doc.body.prepend(faint);
      });
      expect(
        await page.evaluate(() => (globalThis as unknown as { __contrastAudit(): unknown[] }).__contrastAudit()),
      ).toEqual([{ text: 'too faint', ratio: 2.32, needed: 4.5 }]);
    } finally {
      await context.close();
    }
  });

  it('says in the card when a product has no manual, why questions cannot be asked, and where to get help', async () => {
    const { context, page } = await phonePage();
    try {
      await pickBestMatch(page, app.url, 'rolnad fpe50', 'FP-E50');
      expect(await page.getByTestId('product-card').getByRole('heading').textContent()).toBe('FP-E50');
      const status = page.getByTestId('manual-status');
      await expect.poll(() => status.getAttribute('data-status')).toBe('none');
      expect(await status.textContent()).toContain('No manual is available for this product.');
      expect(await page.getByRole('progressbar').count()).toBe(0); // nothing is on its way

      // No dead end: the empty state does not promise page quotes, the ask box says why it is off, and
      // the configured support contact is offered in the card and in the conversation.
      const question = page.locator('#question');
      expect(await question.isDisabled()).toBe(true);
      expect(await question.getAttribute('placeholder')).toBe('There is no manual for this product to answer from');
      expect(await page.getByTestId('ask-disabled-reason').textContent()).toBe(
        'There is no manual for this product to answer from.',
      );
      expect(await page.getByTestId('conversation-empty').textContent()).not.toContain('quote');
      for (const where of [page.getByTestId('product-card'), page.getByTestId('conversation-empty')]) {
        const support = where.getByTestId('support');
        expect(await support.getByRole('link', { name: 'contact support' }).getAttribute('href')).toBe(SUPPORT_URL);
        expect(await support.getByRole('link', { name: SUPPORT_EMAIL }).getAttribute('href')).toBe(
          `mailto:${SUPPORT_EMAIL}`,
        );
      }
      await shot(page, '14-no-manual-next-steps');
    } finally {
      await context.close();
    }
  });
});

describe('web UI states fed through the real reducer (e2e build)', () => {
  async function hookPage(query = ''): Promise<{ context: BrowserContext; page: Page }> {
    const opened = await phonePage();
    await routeBuild(opened.page, app.url, e2eDist);
    await opened.page.goto(`${app.url}/${query}`);
    await opened.page.waitForFunction(() => (globalThis as unknown as Page$).__hscTest !== undefined);
    return opened;
  }
  const feed = (page: Page, actions: unknown[]) =>
    page.evaluate((list) => {
      for (const a of list) (globalThis as unknown as Page$).__hscTest!.dispatch(a);
    }, actions);
  const product = { productId: 'roland-fp-e50', brand: 'Roland Blueprint', name: 'FP-E50' };
  const manual = (extra: object) => ({
    type: 'frame',
    frame: { type: 'manual', productId: product.productId, ...extra },
  });

  it('shows each manual status, with the reason and a retry when it failed', async () => {
    const { context, page } = await hookPage();
    try {
      await feed(page, [{ type: 'picked', product }]);
      const status = page.getByTestId('manual-status');
      const states: Array<[string, object, RegExp]> = [
        [
          '05-manual-fetching',
          { status: 'fetching', progress: 0.35, bytes: 1_200_000, totalBytes: 3_400_000 },
          /Downloading the manual… 1\.1 MB of 3\.2 MB/,
        ],
        ['06-manual-indexing', { status: 'indexing', progress: 0.75, pages: 48 }, /Reading the manual… 48 pages/],
        [
          '07-manual-failed',
          { status: 'failed', progress: 0.2, error: 'the manufacturer site answered 503' },
          /Could not get the manual/,
        ],
        ['08-manual-ready', { status: 'ready', progress: 1, pages: 48 }, /Manual ready · 48 pages/],
      ];
      for (const [name, body, label] of states) {
        await feed(page, [manual(body)]);
        await expect.poll(() => status.textContent()).toMatch(label);
        if (name === '07-manual-failed') {
          expect(await status.textContent()).toContain('The manufacturer site answered 503.');
          await status.getByRole('button', { name: 'Retry' }).focus();
          await page.keyboard.press('Enter'); // re-sends select to the real server, which answers with a manual frame
          await expect.poll(() => status.getAttribute('data-status')).not.toBe('failed');
          await feed(page, [manual(body)]);
        }
        await shot(page, name);
      }
      expect(await page.getByRole('progressbar').getAttribute('aria-valuenow')).toBe('100');
    } finally {
      await context.close();
    }
  });

  // Below 100 messages the conversation is plain DOM, from 100 on a virtualized list: both must stick.
  // The virtualized case asks in the seeded thread (200 messages); the plain one in a product's own.
  it.each([
    { list: 'plain', seeded: 0, productId: product.productId },
    { list: 'virtualized', seeded: 200, productId: 'seed' },
  ])(
    'streams an answer with citations and sticks to the bottom unless the reader scrolled up ($list list)',
    async ({ list, seeded, productId }) => {
      const { context, page } = await hookPage(seeded ? `?seed-messages=${seeded}` : '');
      const shotOnce = (name: string) => (list === 'plain' ? shot(page, name) : undefined);
      try {
        const scroller = page.locator('[data-testid=conversation]');
        const gap = () => scroller.evaluate((el) => el.scrollHeight - el.scrollTop - el.clientHeight);
        await feed(page, [
          ...(list === 'plain'
            ? [{ type: 'picked', product }, manual({ status: 'ready', progress: 1, pages: 48 })]
            : []),
          { type: 'asked', askId: 'live', productId, question: 'How do I reset it?' },
        ]);
        const rows = await page.locator('[data-testid=question], [data-testid=answer]').count();
        if (list === 'virtualized')
          expect(rows).toBeLessThan(seeded); // only the rows near the viewport
        else expect(rows).toBe(2);
        for (let i = 0; i < 30; i++)
          await feed(page, [
            { type: 'frame', frame: { type: 'answer_chunk', id: 'live', text: `Step ${i}: hold the button. ` } },
          ]);
        await expect.poll(gap).toBeLessThan(4);
        await shotOnce('09-answer-streaming');

        await scroller.evaluate((el) => el.scrollBy(0, -600));
        await page.waitForTimeout(100); // the scroll event lands on the next frame, as it would for a reader
        const readingAt = await scroller.evaluate((el) => el.scrollTop);
        await feed(page, [
          { type: 'frame', frame: { type: 'answer_chunk', id: 'live', text: 'More text. '.repeat(40) } },
        ]);
        await page.waitForTimeout(200);
        expect(await scroller.evaluate((el) => el.scrollTop)).toBe(readingAt);
        expect(await gap()).toBeGreaterThan(100);

        await scroller.evaluate((el) => el.scrollTo(0, el.scrollHeight));
        await page.waitForTimeout(100);
        await feed(page, [
          {
            type: 'frame',
            frame: {
              type: 'answer_done',
              id: 'live',
              citations: [
                { page: 12, snippet: 'Factory Reset' },
                { page: 13, snippet: 'Settings' },
              ],
            },
          },
        ]);
        const citation = page.getByTestId('answer').last().getByTestId('citation').first();
        expect(await citation.getAttribute('href')).toBe(`/manuals/${productId}.pdf#page=12`);
        // The accessible name starts with the visible text ("p. 12"), then says what it is.
        expect(await citation.getAttribute('aria-label')).toBe('p. 12: manual page 12, Factory Reset');
        await expect.poll(gap).toBeLessThan(4); // the citations row grew the last answer: still at the bottom
        await shotOnce('10-answer-with-citations');
      } finally {
        await context.close();
      }
    },
  );

  it('renders a model answer as safe Markdown: emphasis, code, lists, page links with rel=noopener, no outside link, no raw HTML', async () => {
    const { context, page } = await hookPage();
    try {
      const text =
        '**Hold** `SAMPLE` while *powering on* [p. 5].\n\n- first\n- second\n\n[support](https://example.com/help) ' +
        '<img src=x onerror="document.title=1"><script>document.title=2</script> [bad](javascript:alert(1))';
      await feed(page, [
        { type: 'picked', product },
        { type: 'asked', askId: 'md', productId: product.productId, question: 'Markdown?' },
        { type: 'frame', frame: { type: 'answer_chunk', id: 'md', text } },
        { type: 'frame', frame: { type: 'answer_done', id: 'md', citations: [] } },
      ]);
      const body = page.getByTestId('answer').last().getByTestId('answer-text');
      await expect.poll(() => body.locator('strong').textContent()).toBe('Hold');
      expect(await body.locator('code').textContent()).toBe('SAMPLE');
      expect(await body.locator('em').textContent()).toBe('powering on');
      expect(await body.locator('li').allTextContents()).toEqual(['first', 'second']);
      // A link off the site stays words (issue 24: manual text never becomes a live link).
      expect(await body.getByText('support').count()).toBe(1);
      expect(await body.getByRole('link', { name: 'support' }).count()).toBe(0);
      // The model's page reference opens that page of the manual, in a new tab without an opener.
      const page5 = body.getByRole('link', { name: 'p. 5' });
      expect(await page5.getAttribute('href')).toBe(`/manuals/${product.productId}.pdf#page=5`);
      expect(await page5.getAttribute('rel')).toBe('noopener noreferrer');
      expect(await body.locator('img, script').count()).toBe(0);
      expect(await body.getByText('bad').getAttribute('href')).toBeFalsy();
      expect(await page.title()).toBe('Halilit Support');
    } finally {
      await context.close();
    }
  });

  it('renders 10,000 messages with a bounded number of DOM nodes', async () => {
    const { context, page } = await hookPage('?seed-messages=10000');
    try {
      expect(await page.evaluate(() => (globalThis as unknown as Page$).__hscTest!.seeded)).toBe(10_000);
      const lastQuestion = page.getByText('Seeded question number 4999?');
      await expect.poll(() => lastQuestion.isVisible()).toBe(true);
      const nodes = () =>
        page.evaluate(() => (globalThis as unknown as Page$).document.getElementsByTagName('*').length);
      const rows = () => page.locator('[data-testid=question], [data-testid=answer]').count();
      expect(await rows()).toBeLessThan(80);
      expect(await nodes()).toBeLessThan(1_500);
      await shot(page, '11-ten-thousand-messages');

      const scroller = page.locator('[data-testid=conversation]');
      await scroller.evaluate((el) => el.scrollTo(0, 0));
      await expect.poll(() => page.getByText('Seeded question number 0?').isVisible()).toBe(true);
      expect(await rows()).toBeLessThan(80);
      expect(await nodes()).toBeLessThan(1_500);
    } finally {
      await context.close();
    }
  });
});

/** `select` frames the app has finished handling, from its metrics on the internal port. */
async function selectsHandled(app: AppProcess): Promise<number> {
  const internal = app.logs.find((l) => l.msg === 'gateway listening')?.internal;
  const text = await (await fetch(`${String(internal)}/metrics`)).text();
  const counts = text.matchAll(/websocket_frame_duration_seconds_count\{[^}]*type="select"[^}]*\} (\d+)/g);
  return [...counts].reduce((sum, [, n]) => sum + Number(n), 0);
}

describe('reconnect and resume across a killed server', () => {
  let redis: RedisInstance;
  let server: AppProcess | undefined;
  afterAll(async () => {
    server?.child.kill('SIGKILL');
    await redis?.stop();
  });

  // Two cold starts of the app: over 150 s under a CPU hog per core at load 36. A limit, not a budget.
  it('shows reconnecting, then resumes the session with the product, and sends what was typed offline', {
    timeout: 300_000,
  }, async () => {
    // Sessions live in the database, as in production: the restarted gateway (its embedded database in the
    // same data directory) knows the session the page holds.
    redis = await startRedis();
    const port = String(await freePort());
    const dataDir = await mkdtemp(join(tmpdir(), 'hsc-jit-resume-'));
    const env = { PORT: port, REDIS_URL: redis.url, DATA_DIR: dataDir, LOG_LEVEL: 'info', DRAIN_SECONDS: '0' }; // spawnApp waits for the info log "gateway listening"
    server = await spawnApp(env);
    const { context, page } = await phonePage();
    const sent: string[] = [];
    const received: string[] = [];
    page.on('websocket', (ws) => {
      ws.on('framesent', (f) => sent.push(String(f.payload)));
      ws.on('framereceived', (f) => received.push(String(f.payload)));
    });
    try {
      const search = await pickBestMatch(page, server.url, 'rolnad fpe50', 'FP-E50');
      expect(await page.getByTestId('product-card').getByRole('heading').textContent()).toBe('FP-E50');
      // The card shows the pick at once; the session is stored when the server has handled the select.
      // A kill before that loses only the pick, which the page sends again (no conversation to resume).
      await expect.poll(() => selectsHandled(server!), { timeout: 30_000 }).toBeGreaterThan(0);
      // v5: the pick made the session; the server says its id in the `session` frame.
      const storedId = () =>
        page.evaluate(() => (globalThis as unknown as Page$).localStorage.getItem('hsc.sessionId'));
      await expect.poll(storedId).toBeTruthy();
      const sessionId = await storedId();

      server.child.kill('SIGKILL');
      await server.exited;
      await expect.poll(() => connection(page)).toBe('reconnecting');
      await search.focus();
      await page.keyboard.press('End');
      await page.keyboard.type(' typed offline');
      await page.keyboard.press('Escape'); // close the list so the screenshot shows the product card
      await shot(page, '12-reconnecting');

      sent.length = 0;
      server = await spawnApp(env);
      await expect.poll(() => connection(page), { timeout: 30_000 }).toBe('open');
      await expect.poll(() => received.some((r) => r.includes('"resumed":true'))).toBe(true);
      expect(JSON.parse(sent[0]!)).toEqual({ type: 'resume', sessionId });
      await expect
        .poll(
          () =>
            sent.map((s) => JSON.parse(s) as { type: string; text?: string }).find((f) => f.type === 'typing')?.text,
        )
        .toBe('Roland FP-E50 typed offline'); // the brand as the import cleans it (was "Roland Blueprint")
      expect(await page.getByTestId('product-card').getByRole('heading').textContent()).toBe('FP-E50');
      await shot(page, '13-resumed');
    } finally {
      await context.close();
      server?.child.kill('SIGKILL');
      await server?.exited;
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
