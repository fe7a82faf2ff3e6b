/**
 * Embedded defaults (`npm start`: PGlite, jobs in-process) index manuals in the gateway's own process.
 * Their SQL must not hold the event loop that serves keystrokes: while every demo manual is fetched,
 * extracted and indexed, a 5 ms timer in this (the gateway's) process keeps ticking and keystrokes keep
 * being answered. The control, in the same run and the same process: the same manuals' chunks written by a
 * PGlite in this thread in one statement per manual, as the gateway wrote them before the thread (and
 * before chunks were written in batches), while the same typist keeps typing; it is printed, not asserted
 * against (chunks are written in small batches now, and on a loaded machine scheduling noise is as long).
 * The assertion is a ratio to the indexing's own length: no fixed figure in ms survives a loaded machine.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRuntime, type TestRuntime } from '../helpers/runtime.js';
import { longestStall } from '../helpers/event-loop.js';
import { TestClient } from '../helpers/ws-client.js';
import { readDemoManifest, readDemoManual } from '../../app/core/manuals/demo/manifest.js';
import { extractWithPdftotext } from '../../app/core/manuals/extract.js';
import { chunkPages } from '../../app/core/manuals/chunk.js';
import { openPgliteDb } from '../../app/adapters/storage/pglite-db.js';

let app: TestRuntime;
beforeAll(async () => {
  app = await startTestRuntime();
});
afterAll(async () => {
  await app?.dispose();
});

/** Keystrokes on one socket until stopped; each round trip timed. */
function typing(typist: TestClient) {
  const roundTrips: number[] = [];
  let on = true;
  let seq = 0;
  const done = (async () => {
    while (on) {
      const sent = performance.now();
      const s = ++seq;
      typist.send({ type: 'typing', seq: s, text: ['r', 'ro', 'rol', 'roland t', 'mackie'][s % 5]! });
      await typist.next('prediction', (p) => p.seq === s);
      roundTrips.push(performance.now() - sent);
      await new Promise((resolve) => setTimeout(resolve, 40)); // a fast typist, under the rate limit
    }
  })();
  return {
    async stop() {
      on = false;
      await done;
      const sorted = [...roundTrips].sort((a, b) => a - b);
      return { count: sorted.length, p99: sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.99))]! };
    },
  };
}

describe('embedded manual indexing', () => {
  it('leaves the event loop free for keystrokes while every demo manual is indexed (indexing SQL in this thread does not)', async () => {
    const manifest = await readDemoManifest();
    // A socket follows one manual: one per demo manual.
    const clients = await Promise.all(manifest.manuals.map(() => TestClient.connect(app.wsUrl)));
    for (const client of clients) await client.next('hello');
    const typist = await TestClient.connect(app.wsUrl);
    await typist.next('hello');

    let keys = typing(typist);
    const threaded = await longestStall(async () => {
      for (const [i, manual] of manifest.manuals.entries())
        clients[i]!.send({ type: 'select', productId: manual.productId });
      await Promise.all(
        manifest.manuals.map((manual, i) =>
          clients[i]!.next('manual', (m) => m.productId === manual.productId && m.status === 'ready', 60_000),
        ),
      );
    });
    const threadedKeys = await keys.stop();
    for (const client of clients) client.close();

    // The control: the same manuals, extracted beforehand, indexed by PGlite on this event loop.
    const inline = await openPgliteDb({});
    try {
      await inline.query('CREATE TABLE control_chunks (product_id text, page int, text text)');
      const manuals = await Promise.all(
        manifest.manuals.map(async (entry) => {
          return { entry, extracted: await extractWithPdftotext(await readDemoManual(entry)) };
        }),
      );
      keys = typing(typist);
      const control = await longestStall(async () => {
        for (const { entry, extracted } of manuals) {
          const chunks = chunkPages(extracted.pages).map(({ page, text }) => ({ page, text }));
          await inline.query(
            `INSERT INTO control_chunks (product_id, page, text)
               SELECT $1, (c->>'page')::int, c->>'text' FROM jsonb_array_elements($2::jsonb) c`,
            [entry.productId, JSON.stringify(chunks)],
          );
          // One manual's SQL at a time, as a job runs it: the loop turns between manuals.
          await new Promise((resolve) => setImmediate(resolve));
        }
      });
      const controlKeys = await keys.stop();
      typist.close();

      const figures = {
        manuals: manifest.manuals.length,
        threaded: {
          indexingMs: Math.round(threaded.workMs),
          stallMs: round(threaded.stallMs),
          ...roundKeys(threadedKeys),
        },
        inlineControl: {
          sqlMs: Math.round(control.workMs),
          stallMs: round(control.stallMs),
          ...roundKeys(controlKeys),
        },
      };
      console.log(JSON.stringify(figures));
      expect(threadedKeys.count).toBeGreaterThanOrEqual(5);
      // Keystrokes flow through the indexing: the loop is never held for a large part of it. The
      // control's stall (the longest manual's SQL in this thread) is printed beside it; on a loaded
      // machine scheduling noise alone can exceed it, so the two are compared in the figures, not here.
      expect(threaded.stallMs).toBeLessThan(threaded.workMs / 4);
    } finally {
      await inline.close();
    }
  });
});

const round = (ms: number) => Math.round(ms * 10) / 10;
const roundKeys = (k: { count: number; p99: number }) => ({ keystrokes: k.count, roundTripP99Ms: round(k.p99) });
