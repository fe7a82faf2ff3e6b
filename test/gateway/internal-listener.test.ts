/**
 * Issue 12 findings 8 and 15: the admin API and /metrics live on the gateway's internal listener
 * (INTERNAL_PORT), which the Ingress never routes to; the public port answers neither. Failed admin
 * token attempts are counted, and an address that keeps failing is throttled (429). Issue 24 finding 9:
 * that listener binds INTERNAL_HOST, loopback by default, so /metrics is not on the machine's other
 * addresses.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { networkInterfaces } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_FAILURES_PER_WINDOW } from '../../app/edges/gateway/admin-routes.js';
import { startTestRuntime, type TestRuntime } from '../helpers/runtime.js';

const TOKEN = 'a'.repeat(40);
let app: TestRuntime;
beforeAll(async () => {
  app = await startTestRuntime({ ADMIN_TOKEN: TOKEN });
});
afterAll(async () => {
  await app?.dispose();
});

const erase = (base: string, token: string) =>
  fetch(`${base}/api/admin/sessions/some-session`, { method: 'DELETE', headers: { authorization: `Bearer ${token}` } });

describe('internal listener', () => {
  it('serves the admin API and /metrics there, and neither on the public port', async () => {
    expect(app.internalUrl).not.toBe(app.url);
    expect((await erase(app.url, TOKEN)).status).toBe(404);
    expect((await fetch(`${app.url}/metrics`)).status).toBe(404);
    expect((await erase(app.internalUrl, TOKEN)).status).toBe(200);
    const metrics = await fetch(`${app.internalUrl}/metrics`);
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toMatch(/^websocket_active_connections 0$/m);
    // The public port keeps what the Ingress routes and the kubelet probes.
    expect((await fetch(`${app.url}/livez`)).status).toBe(200);
  });

  it('binds loopback by default: not reachable on an address of the machine that a listener on all of them is', async () => {
    expect(app.config.server.internalHost).toBe('127.0.0.1');
    const internal = new URL(app.internalUrl);
    expect(internal.hostname).toBe('127.0.0.1');
    const outside = Object.values(networkInterfaces())
      .flat()
      .find((a) => a && a.family === 'IPv4' && !a.internal)?.address;
    if (!outside) return; // a machine with loopback only: the bound address is the whole check
    // Control: a listener on every address is reached on that one.
    const control = createServer((_req, res) => res.end('ok'));
    await new Promise<void>((resolve) => control.listen(0, '0.0.0.0', resolve));
    try {
      const reached = await fetch(`http://${outside}:${(control.address() as AddressInfo).port}/`);
      expect(await reached.text()).toBe('ok');
    } finally {
      await new Promise((resolve) => control.close(resolve));
    }
    const refused = await fetch(`http://${outside}:${internal.port}/metrics`).then(
      () => 'answered',
      (error: Error) => (error.cause as NodeJS.ErrnoException | undefined)?.code ?? error.message,
    );
    expect(refused).toBe('ECONNREFUSED');
  });

  it('counts failed token attempts and throttles an address that keeps failing', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < ADMIN_FAILURES_PER_WINDOW + 3; i += 1)
      statuses.push((await erase(app.internalUrl, `wrong-${i}`)).status);
    expect(statuses.slice(0, ADMIN_FAILURES_PER_WINDOW)).toEqual(Array(ADMIN_FAILURES_PER_WINDOW).fill(401));
    expect(statuses.slice(ADMIN_FAILURES_PER_WINDOW)).toEqual([429, 429, 429]);
    // Throttled means not even compared: the right token waits out the window too.
    const right = await erase(app.internalUrl, TOKEN);
    expect(right.status).toBe(429);
    expect(Number(right.headers.get('retry-after'))).toBeGreaterThan(0);
    const text = await (await fetch(`${app.internalUrl}/metrics`)).text();
    expect(text).toMatch(
      new RegExp(`admin_auth_failures_total\\{outcome="rejected"\\} ${ADMIN_FAILURES_PER_WINDOW}\\b`),
    );
    expect(text).toMatch(/admin_auth_failures_total\{outcome="throttled"\} 4\b/);
  });
});
