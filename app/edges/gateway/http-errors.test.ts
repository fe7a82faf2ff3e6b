/**
 * Regression (issue 12, MEDIUM 3): a route that failed in the database answered 500 with the
 * Postgres error text in its body. A 5xx now says only that something failed and which request,
 * while the log keeps the real error; a 4xx still explains the client's mistake.
 */
import { Writable } from 'node:stream';
import Fastify, { type FastifyBaseLogger } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../shared/log.js';
import { openPgliteDb } from '../../adapters/storage/pglite-db.js';
import type { Db } from '../../adapters/storage/db.js';
import { createTelemetry } from '../../shared/telemetry/registry.js';
import { registerHttpMetrics } from './http-metrics.js';

let db: Db;
const logged: string[] = [];
const app = Fastify({
  loggerInstance: createLogger(
    'info',
    new Writable({
      write(chunk: Buffer, _enc, done) {
        logged.push(chunk.toString());
        done();
      },
    }),
  ) as FastifyBaseLogger,
});

beforeAll(async () => {
  db = await openPgliteDb({});
  registerHttpMetrics(app, createTelemetry({ defaultMetrics: false }).m);
  app.get('/nul', async () => db.query('SELECT $1::text AS v', ['a\u0000b']));
  app.get('/missing', async () => db.query('SELECT secret_column FROM secret_table'));
  app.post('/json', async () => ({ ok: true }));
});
afterAll(async () => {
  await app.close();
  await db?.close();
});

describe('HTTP error bodies', () => {
  it.each(['/nul', '/missing'])('a database failure in %s answers 500 without the database text', async (url) => {
    const response = await app.inject({ method: 'GET', url });
    expect(response.statusCode).toBe(500);
    const body = response.json() as { error: string; message: string };
    expect(body).toEqual({
      error: 'internal',
      message: expect.stringMatching(/^something went wrong on our side \(request .+\)$/),
    });
    expect(response.body).not.toMatch(/secret|relation|syntax|0x00|invalid byte|unicode/i);
    // The operator still gets the real error, under the request id the client was given.
    const requestId = /request (.+)\)$/.exec(body.message)?.[1];
    const line = logged.find((l) => l.includes('request failed') && l.includes(`"reqId":"${requestId}"`));
    expect((JSON.parse(line ?? '{}') as { err?: { message?: string } }).err?.message).toBeTruthy();
  });

  it('a client mistake is still explained', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/json',
      headers: { 'content-type': 'application/json' },
      payload: '{not json',
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ error: 'FST_ERR_CTP_INVALID_JSON_BODY' });
  });
});
