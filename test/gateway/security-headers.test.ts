/**
 * Issue 12 finding 11: the UI is served with a Content-Security-Policy the built UI satisfies, with
 * frame-ancestors 'none', and HSTS over TLS, by the gateway and by the web image's nginx alike. A real
 * Chromium loads the production build under that policy, types and picks a product, and sees no
 * violation; an inline script, which the policy forbids, is reported, so the listener is known to work.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY, STRICT_TRANSPORT_SECURITY } from '../../app/edges/gateway/security-headers.js';
import { launchChromium } from '../harness/index.js';
import { startTestRuntime, type TestRuntime } from '../helpers/runtime.js';

let app: TestRuntime;
let browser: Browser;
beforeAll(async () => {
  [app, browser] = await Promise.all([startTestRuntime({ TRUST_PROXY: '1' }), launchChromium()]);
});
afterAll(async () => {
  await Promise.allSettled([browser?.close(), app?.dispose()]);
});

describe('security headers', () => {
  it('the gateway sends the policy on the UI and its assets, and HSTS only over TLS', async () => {
    const page = await fetch(`${app.url}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(CONTENT_SECURITY_POLICY).toMatch(/frame-ancestors 'none'/);
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-inline|unsafe-eval/);
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    expect(page.headers.get('strict-transport-security')).toBeNull(); // plain http
    const asset = /src="(\/assets\/[^"]+\.js)"/.exec(await page.text())![1]!;
    expect((await fetch(`${app.url}${asset}`)).headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    const overTls = await fetch(`${app.url}/`, { headers: { 'x-forwarded-proto': 'https' } });
    expect(overTls.headers.get('strict-transport-security')).toBe(STRICT_TRANSPORT_SECURITY);
  });

  it('nginx sends the same policy and headers in every location that sets its own', () => {
    const conf = readFileSync(fileURLToPath(new URL('../../docker/web/nginx.conf', import.meta.url)), 'utf8');
    const blocks = conf.split(/\n\s*location /).slice(1);
    expect(blocks.length).toBeGreaterThanOrEqual(2);
    for (const block of [conf.split(/\n\s*location /)[0]!, ...blocks.filter((b) => /add_header/.test(b))]) {
      expect(block).toContain(`add_header Content-Security-Policy "${CONTENT_SECURITY_POLICY}" always;`);
      expect(block).toContain('add_header X-Frame-Options DENY always;');
      expect(block).toContain('add_header Strict-Transport-Security $hsts always;');
    }
    expect(conf).toMatch(
      /map \$http_x_forwarded_proto \$hsts \{\s*https "max-age=31536000; includeSubDomains";\s*default "";/,
    );
  });

  it('a real Chromium runs the built UI under the policy without a single violation', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const violations: string[] = [];
    // Chromium logs every blocked load as "Refused to … Content Security Policy"; the init script below
    // reports the securitypolicyviolation events too. (A missing favicon's 404 is not our concern here.)
    page.on('console', (message) => {
      if (/Content Security Policy|CSP violation/i.test(message.text())) violations.push(message.text());
    });
    page.on('pageerror', (error) => violations.push(error.message));
    await context.addInitScript(() =>
      (
        globalThis as unknown as {
          document: {
            addEventListener(t: string, f: (e: { violatedDirective: string; blockedURI: string }) => void): void;
          };
        }
      ).document.addEventListener('securitypolicyviolation', (e) =>
        console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`),
      ),
    );
    await page.goto(app.url);
    await expect.poll(() => page.locator('[data-connection]').getAttribute('data-connection')).toBe('open');
    await page.getByRole('combobox').focus();
    await page.keyboard.type('roland tr8s', { delay: 20 });
    await expect.poll(() => page.getByRole('option').first().textContent()).toContain('TR-8S');
    await page.keyboard.press('Enter');
    await page.waitForTimeout(500);
    expect(violations).toEqual([]);

    // The control: what the policy forbids is caught by the same listener.
    await page.evaluate(() => {
      const doc = (
        globalThis as unknown as {
          document: { createElement(t: string): { textContent: string }; body: { append(n: unknown): void } };
        }
      ).document;
      const script = doc.createElement('script');
      script.textContent = 'window.inlineRan = true';
      doc.body.append(script);
    });
    await expect.poll(() => violations.some((v) => /CSP violation: script-src/.test(v))).toBe(true);
    await context.close();
  });
});
