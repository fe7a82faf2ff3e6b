/** Sentry reporting without the network: the scrubber, "no DSN → nothing", and the real SDK pipeline into an in-memory transport. */
import * as Sentry from '@sentry/node';
import { afterAll, describe, expect, it } from 'vitest';
import {
  closeErrorReporting,
  FILTERED,
  flushErrorReporting,
  initErrorReporting,
  reportError,
  scrubEvent,
  scrubString,
} from './errors.js';
import { sessionRef } from '../log.js';

/** A session id is a bearer token: it must never reach an error report. */
const SESSION_ID = '3f0c2d1e-5b7a-4c9e-8d6f-a1b2c3d4e5f6';
const SECRETS = ['s3cr3t-pass', 'tok_live_123', 'sk-abcdef', 'sessioncookie=xyz', 'hunter2', 'eyJhbGciOi.payload.sig'];

describe('scrubbing', () => {
  it('masks credentials inside strings', () => {
    expect(scrubString('redis://default:hunter2@redis:6379/0')).toBe(`redis://${FILTERED}@redis:6379/0`);
    expect(scrubString('postgres://app:s3cr3t-pass@db/app?sslmode=require')).toBe(
      `postgres://${FILTERED}@db/app?sslmode=require`,
    );
    expect(scrubString('GET /manual?id=7&token=tok_live_123&page=2')).toBe(`GET /manual?id=7&token=${FILTERED}&page=2`);
    expect(scrubString('upstream said: Authorization: Bearer eyJhbGciOi.payload.sig')).toBe(
      `upstream said: Authorization: Bearer ${FILTERED}`,
    );
    expect(scrubString('nothing secret here: https://example.com/a?b=c')).toBe(
      'nothing secret here: https://example.com/a?b=c',
    );
  });

  it('masks secret-looking keys at any depth and drops cookies, keeping the rest', () => {
    const event = {
      message: 'connect failed for postgres://app:s3cr3t-pass@db/app',
      request: {
        url: 'https://hsc.example/api?api_key=sk-abcdef',
        headers: { authorization: 'Bearer tok_live_123', cookie: 'sessioncookie=xyz', 'user-agent': 'test' },
        cookies: { sessioncookie: 'xyz' },
      },
      extra: {
        password: 'hunter2',
        nested: { apiKey: 'sk-abcdef', LLM_API_KEY: 'sk-abcdef', page: 4 },
        requestId: 'req-1',
      },
      breadcrumbs: [{ message: 'token=tok_live_123 rejected' }],
    };
    const scrubbed = scrubEvent(event);
    const text = JSON.stringify(scrubbed);
    for (const secret of SECRETS) expect(text).not.toContain(secret);
    expect(scrubbed.request.headers['user-agent']).toBe('test');
    expect(scrubbed.request.headers.authorization).toBe(FILTERED);
    expect(scrubbed.request).not.toHaveProperty('cookies');
    expect(scrubbed.extra.nested.page).toBe(4);
    expect(scrubbed.extra.requestId).toBe('req-1');
    // The original is untouched (Sentry keeps using it for other hooks).
    expect(event.extra.password).toBe('hunter2');
  });
});

describe('reporting', () => {
  afterAll(async () => {
    await closeErrorReporting();
  });

  it('sends nothing and initialises nothing without a DSN', () => {
    expect(initErrorReporting({ dsn: undefined, environment: 'test' })).toBe(false);
    expect(initErrorReporting({ dsn: '', environment: 'test' })).toBe(false);
    expect(reportError(new Error('boom'), { status: 500 })).toBeUndefined();
    expect(Sentry.getClient()).toBeUndefined();
  });

  it('with a DSN, reports through the SDK with secrets scrubbed from what is sent', async () => {
    const sent: string[] = [];
    const transport: NonNullable<Sentry.NodeOptions['transport']> = (options) =>
      Sentry.createTransport(options, async (request) => {
        sent.push(typeof request.body === 'string' ? request.body : new TextDecoder().decode(request.body));
        return { statusCode: 200 };
      });
    expect(
      initErrorReporting({
        dsn: 'https://public@o0.ingest.sentry.io/0',
        environment: 'test',
        release: 'hsc-jit@test',
        transport,
      }),
    ).toBe(true);

    const id = reportError(new Error('query failed on postgres://app:s3cr3t-pass@db/app'), {
      requestId: 'req-42',
      route: '/readyz',
      method: 'GET',
      status: 503,
      headers: { authorization: 'Bearer tok_live_123', cookie: 'sessioncookie=xyz' },
      password: 'hunter2',
      // The session as the gateway reports it (its short hash), and an id slipped in by mistake.
      session: sessionRef(SESSION_ID),
      requester: { sessionId: SESSION_ID },
    });
    expect(id).toMatch(/^[0-9a-f]{32}$/);
    expect(await flushErrorReporting()).toBe(true);

    expect(sent).toHaveLength(1);
    const envelope = sent[0] ?? '';
    for (const secret of SECRETS) expect(envelope).not.toContain(secret);
    expect(envelope).toContain('req-42');
    expect(envelope).not.toContain(SESSION_ID);
    expect(envelope).toContain(sessionRef(SESSION_ID));
    expect(envelope).toContain('"environment":"test"');
    expect(envelope).toContain(`postgres://${FILTERED}@db/app`);
  });
});
