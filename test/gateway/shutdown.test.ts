/** SIGTERM on the real process: unready at once, no new sockets, drain, 1001, exit 0 in time. */
import { describe, expect, it } from 'vitest';
import { spawnApp } from '../helpers/app-process.js';
import { TestClient } from '../helpers/ws-client.js';

describe('graceful shutdown', () => {
  it('drains WebSockets and exits 0 before its grace period', async () => {
    const app = await spawnApp({ DRAIN_SECONDS: '1.5' });
    const client = await TestClient.connect(app.wsUrl);
    await client.next('hello');
    expect((await fetch(`${app.url}/readyz`)).status).toBe(200);

    app.child.kill('SIGTERM');
    await expect
      .poll(async () => (await fetch(`${app.url}/readyz`)).status, { timeout: 1_000, interval: 20 })
      .toBe(503);

    // During the drain the open socket still works, and a new one is told to go elsewhere.
    client.send({ type: 'typing', seq: 1, text: 'tr8s' });
    expect((await client.next('prediction')).items.length).toBeGreaterThan(0);
    const late = await TestClient.connect(app.wsUrl);
    expect((await late.waitClosed()).code).toBe(1001);

    expect(await client.waitClosed(5_000)).toEqual({ code: 1001, reason: 'server is shutting down; reconnect' });
    expect(await app.exited).toBe(0);
    expect(app.logs.some((l) => l.msg === 'shut down cleanly')).toBe(true);
  });

  it('refuses to start on a bad setting, naming the variable', async () => {
    await expect(spawnApp({ PORT: 'abc' })).rejects.toThrow(/PORT: expected/);
  });
});
