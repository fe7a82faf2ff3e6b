/**
 * PGlite in a worker thread: a long statement (what indexing a manual runs) must not stall the caller's
 * event loop, which on the embedded gateway serves every keystroke. The same statement on PGlite in the
 * caller's thread is the control: it shows the measurement catches a stall.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Db } from './db.js';
import { openPgliteDb } from './pglite-db.js';
import { isDependencyDown } from '../../core/ports.js';
import { longestStall } from '../../../test/helpers/event-loop.js';

/** Long enough to stall the loop visibly on a loaded machine; about 0.3-1 s of WebAssembly. */
const HEAVY = 'SELECT count(*)::int AS n FROM generate_series(1, 3000000) g WHERE g % 7 = 3';

describe('PGlite in a worker thread', () => {
  const opened: Db[] = [];
  afterAll(async () => {
    await Promise.allSettled(opened.map((db) => db.close()));
  });

  it('runs a long statement without holding the event loop (PGlite in this thread does hold it)', async () => {
    const threaded = await openPgliteDb({ thread: true });
    const inline = await openPgliteDb({});
    opened.push(threaded, inline);
    const off = await longestStall(() => threaded.query(HEAVY));
    const on = await longestStall(() => inline.query(HEAVY));
    console.log(
      `statement ${Math.round(off.workMs)} ms: longest stall ${off.stallMs.toFixed(1)} ms in a thread, ${on.stallMs.toFixed(1)} ms inline`,
    );
    // The control: inline, the statement holds the loop for most of its length (0.8-1.6 s here).
    expect(on.stallMs).toBeGreaterThan(on.workMs * 0.5);
    // Ratios only: at load 7 on 2 cores a 5 ms timer was seen 114 ms late from scheduling alone, so no
    // fixed figure holds; a loaded machine slows the inline statement as much as it delays the timer.
    expect(off.stallMs).toBeLessThan(on.stallMs / 3);
    expect((await threaded.query<{ n: number }>(HEAVY)).rows[0]?.n).toBe(428572);
  });

  it('fails calls after the thread has stopped as a database that is down, not as a bug', async () => {
    const db = await openPgliteDb({ thread: true });
    await db.close();
    const error = await db.query('SELECT 1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(isDependencyDown(error)).toBe(true);
  });
});

describe('releasing PGlite memory', () => {
  const mb = (bytes: number) => Math.round(bytes / 1048576);

  it('gives back the WebAssembly memory of heavy work, keeps the data, and loses no call made meanwhile', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hsc-jit-pglite-release-'));
    const db = await openPgliteDb({ dataDir: dir, thread: true });
    try {
      await db.query('CREATE TABLE kept (n int)');
      await db.query('INSERT INTO kept VALUES (1)');
      // A 100 MB value: PGlite's WebAssembly memory grows past it and never shrinks on its own.
      await db.query("SELECT length(repeat('x', 100000000)) AS n");
      const grown = process.memoryUsage.rss();

      // A transaction in flight when the release starts, and queries on both sides of it.
      const held = db.transaction(async (tx) => {
        await tx.query('INSERT INTO kept VALUES (2)');
        await new Promise((resolve) => setTimeout(resolve, 100));
        await tx.query('INSERT INTO kept VALUES (3)');
      });
      const before = Array.from({ length: 10 }, (_, i) => db.query<{ n: number }>('SELECT $1::int AS n', [i]));
      const started = performance.now();
      const released = db.releaseMemory();
      const during = Array.from({ length: 10 }, (_, i) => db.query<{ n: number }>('SELECT $1::int AS n', [i + 10]));
      await Promise.all([held, released]);
      const releaseMs = performance.now() - started;
      const answers = await Promise.all([...before, ...during]);
      expect(answers.map((a) => a.rows[0]?.n)).toEqual(Array.from({ length: 20 }, (_, i) => i));
      expect((await db.query<{ n: number }>('SELECT n FROM kept ORDER BY n')).rows.map((r) => r.n)).toEqual([1, 2, 3]);

      const after = process.memoryUsage.rss();
      console.log(
        `RSS ${mb(grown)} MB after the heavy statement, ${mb(after)} MB after release (${Math.round(releaseMs)} ms)`,
      );
      expect(grown - after).toBeGreaterThan(100 * 1048576);
    } finally {
      await db.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('keeps an in-memory database as it is: reopening it would lose everything', async () => {
    const db = await openPgliteDb({ thread: true });
    try {
      await db.query('CREATE TABLE kept (n int)');
      await db.query('INSERT INTO kept VALUES (7)');
      await db.releaseMemory();
      expect((await db.query<{ n: number }>('SELECT n FROM kept')).rows).toEqual([{ n: 7 }]);
    } finally {
      await db.close();
    }
  });
});
