/** Connection caps: per instance (1013, not an OOM) and per client address (1008). */
import { afterAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { startTestRuntime, type TestRuntime } from '../helpers/runtime.js';

const apps: TestRuntime[] = [];
afterAll(async () => {
  await Promise.all(apps.map((a) => a.dispose()));
});

function open(
  url: string,
  forwardedFor?: string,
): Promise<{ ws: WebSocket; closed: Promise<{ code: number; reason: string }> }> {
  const ws = new WebSocket(url, forwardedFor ? { headers: { 'x-forwarded-for': forwardedFor } } : {});
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  return new Promise((resolve, reject) => {
    ws.once('message', () => resolve({ ws, closed })); // hello: accepted
    ws.once('close', () => resolve({ ws, closed }));
    ws.once('error', reject);
  });
}

describe('connection limits', () => {
  it('refuses sockets past the instance cap with 1013 and a reason', async () => {
    const app = await startTestRuntime({ WS_MAX_CONNECTIONS: '3' });
    apps.push(app);
    const held = await Promise.all([open(app.wsUrl), open(app.wsUrl), open(app.wsUrl)]);
    const extra = await open(app.wsUrl);
    expect(await extra.closed).toEqual({ code: 1013, reason: 'server at capacity; retry shortly' });
    held[0]!.ws.close();
    await held[0]!.closed;
    const after = await open(app.wsUrl);
    expect(after.ws.readyState).toBe(WebSocket.OPEN);
    for (const h of [...held, after]) h.ws.close();
  });

  it('caps sockets per client address, read from X-Forwarded-For behind a trusted proxy', async () => {
    const app = await startTestRuntime({ WS_MAX_CONNECTIONS_PER_CLIENT: '2', TRUST_PROXY: 'true' });
    apps.push(app);
    const a = await Promise.all([open(app.wsUrl, '203.0.113.7'), open(app.wsUrl, '203.0.113.7')]);
    const third = await open(app.wsUrl, '10.9.9.9, 203.0.113.7'); // a forged leftmost hop changes nothing
    expect((await third.closed).code).toBe(1008);
    const other = await open(app.wsUrl, '198.51.100.9');
    expect(other.ws.readyState).toBe(WebSocket.OPEN);
    for (const h of [...a, other]) h.ws.close();
  });
});
