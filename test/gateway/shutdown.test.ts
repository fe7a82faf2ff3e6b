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

    const before = client.frames.length;
    app.child.kill('SIGTERM');
    await expect
      .poll(async () => (await fetch(`${app.url}/readyz`)).status, { timeout: 1_000, interval: 20 })
      .toBe(503);
    // Protocol v4: the socket is told at once, with a window to spread reconnects over (a quarter of 1.5 s).
    expect(await client.next('draining', () => client.frames.length > before, 1_000)).toEqual({
      type: 'draining',
      reconnectWithinMs: 375,
    });

    // During the drain the open socket still works, and a new one is told to go elsewhere.
    client.send({ type: 'typing', seq: 1, text: 'tr8s' });
    expect((await client.next('prediction')).items.length).toBeGreaterThan(0);
    const late = await TestClient.connect(app.wsUrl);
    expect((await late.waitClosed()).code).toBe(1001);

    expect(await client.waitClosed(5_000)).toEqual({ code: 1001, reason: 'server is shutting down; reconnect' });
    expect(await app.exited).toBe(0);
    expect(app.logs.some((l) => l.msg === 'shut down cleanly')).toBe(true);
  });

  it('ends the drain as soon as the told clients have left, long before its deadline', async () => {
    const drainSeconds = 60;
    const app = await spawnApp({ DRAIN_SECONDS: String(drainSeconds) });
    const clients = await Promise.all(Array.from({ length: 5 }, () => TestClient.connect(app.wsUrl)));
    await Promise.all(clients.map((c) => c.next('hello')));
    const signalledAt = Date.now();
    app.child.kill('SIGTERM');
    await Promise.all(
      clients.map(async (c) => {
        const { reconnectWithinMs } = await c.next('draining', () => true, 2_000);
        expect(reconnectWithinMs).toBe(2_000); // capped: a long drain does not stretch the window
        c.close(); // as the web client does once it has moved elsewhere
      }),
    );
    expect(await app.exited).toBe(0);
    const exitedAfterMs = Date.now() - signalledAt;
    console.log(JSON.stringify({ drainSeconds, exitedAfterMs }));
    // Against the deadline, not a figure in ms: waiting it out would take all of it.
    expect(exitedAfterMs).toBeLessThan((drainSeconds * 1000) / 4);
  });

  it('refuses to start on a bad setting, naming the variable', async () => {
    await expect(spawnApp({ PORT: 'abc' })).rejects.toThrow(/PORT: expected/);
  });
});
