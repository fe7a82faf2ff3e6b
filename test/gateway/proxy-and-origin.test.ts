/**
 * Issue 12 findings 9 and 10, through real sockets: the client address is the hop the trusted proxies
 * added (a forged X-Forwarded-For prefix changes nothing), and a browser may open the socket only from
 * the gateway's own origin or one listed in ALLOWED_ORIGINS; clients without an Origin are not browsers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { startTestRuntime, type TestRuntime } from '../helpers/runtime.js';

let oneHop: TestRuntime;
let twoHops: TestRuntime;
beforeAll(async () => {
  [oneHop, twoHops] = await Promise.all([
    startTestRuntime({
      TRUST_PROXY: '1',
      WS_MAX_CONNECTIONS_PER_CLIENT: '1',
      ALLOWED_ORIGINS: 'https://support.example.com, http://localhost:5173',
    }),
    startTestRuntime({ TRUST_PROXY: '2', WS_MAX_CONNECTIONS_PER_CLIENT: '1' }),
  ]);
});
afterAll(async () => {
  await Promise.all([oneHop?.dispose(), twoHops?.dispose()]);
});

type Outcome = { accepted: true; ws: WebSocket } | { accepted: false; closeCode?: number; httpStatus?: number };

function open(url: string, headers: Record<string, string>): Promise<Outcome> {
  const ws = new WebSocket(url, { headers });
  return new Promise((resolve) => {
    ws.once('message', () => resolve({ accepted: true, ws }));
    ws.once('close', (code) => resolve({ accepted: false, closeCode: code }));
    ws.once('unexpected-response', (_req, res) => resolve({ accepted: false, httpStatus: res.statusCode ?? 0 }));
    ws.once('error', () => undefined);
  });
}

const held: WebSocket[] = [];
const keep = (o: Outcome) => {
  if (o.accepted) held.push(o.ws);
  return o;
};
afterAll(() => {
  for (const ws of held) ws.terminate();
});

describe('client address behind trusted proxies', () => {
  it('takes the hop the ingress added, so a forged leftmost hop does not buy another quota', async () => {
    expect(keep(await open(oneHop.wsUrl, { 'x-forwarded-for': '203.0.113.7' })).accepted).toBe(true);
    // The same customer claims to be someone else; the ingress appended their real address.
    const forged = keep(await open(oneHop.wsUrl, { 'x-forwarded-for': '198.51.100.1, 203.0.113.7' }));
    expect(forged).toMatchObject({ accepted: false, closeCode: 1008 });
    // Another customer is a separate quota, whatever they put in front.
    expect(keep(await open(oneHop.wsUrl, { 'x-forwarded-for': '203.0.113.7, 198.51.100.9' })).accepted).toBe(true);
  });

  it('counts the configured number of hops from the right', async () => {
    expect(keep(await open(twoHops.wsUrl, { 'x-forwarded-for': '1.1.1.1, 203.0.113.8, 10.0.0.5' })).accepted).toBe(
      true,
    );
    const sameClient = keep(await open(twoHops.wsUrl, { 'x-forwarded-for': '2.2.2.2, 203.0.113.8, 10.0.0.6' }));
    expect(sameClient).toMatchObject({ accepted: false, closeCode: 1008 });
  });
});

describe('WebSocket Origin check', () => {
  const own = () => new URL(oneHop.url).origin;
  // Each case comes from its own address so the per-address cap of 1 does not interfere.
  let n = 0;
  const from = (origin?: string) => ({
    'x-forwarded-for': `192.0.2.${++n}`,
    ...(origin === undefined ? {} : { origin }),
  });

  it('accepts its own origin, the configured ones, and clients that send none', async () => {
    for (const origin of [own(), 'https://support.example.com', 'http://localhost:5173', undefined]) {
      const outcome = keep(await open(oneHop.wsUrl, from(origin)));
      expect({ origin, accepted: outcome.accepted }).toEqual({ origin, accepted: true });
    }
  });

  it('refuses any other origin with 403 before the upgrade', async () => {
    const before = await oneHop.telemetry.registry.metrics();
    const hostile = [
      'https://evil.example',
      'https://support.example.com.evil.example',
      'http://support.example.com', // the scheme is part of the origin
      'https://support.example.com:8443',
      'null',
      'not a url',
      own().replace('127.0.0.1', 'localhost'),
    ];
    for (const origin of hostile) {
      const outcome = await open(oneHop.wsUrl, from(origin));
      expect({ origin, outcome }).toEqual({ origin, outcome: { accepted: false, httpStatus: 403 } });
    }
    const count = (text: string) => Number(/websocket_closed_total\{reason="origin"\} (\d+)/.exec(text)?.[1] ?? 0);
    expect(count(await oneHop.telemetry.registry.metrics()) - count(before)).toBe(hostile.length);
  });
});
