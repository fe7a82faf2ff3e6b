/**
 * Embedded adapter: PGlite keeps its data in a directory (or in memory) and survives restarts.
 *
 * PGlite runs SQL as synchronous WebAssembly. `thread: true` (what the embedded gateway uses) runs it in
 * a worker thread (pglite-thread.mjs) so that a manual being indexed does not stall the keystrokes
 * served on the event loop; without it, PGlite runs in the calling thread (tests, benches, one-shot tools).
 */
import { mkdir } from 'node:fs/promises';
import { Worker } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';
import type { Db, QueryResult, Session } from './db.js';
import type { Instruments } from '../../shared/telemetry/registry.js';

/**
 * Postgres' default shared_buffers (128 MB) is WebAssembly memory PGlite touches at start-up, about a
 * third of an idle embedded gateway's RSS; the embedded data (a catalog, a few manuals' chunks) fits
 * in a fraction of this, and what does not is still in the operating system's page cache.
 */
export const EMBEDDED_POSTGRESQL_CONF = ['shared_buffers = 16MB'];

export interface PgliteOptions {
  dataDir?: string;
  metrics?: Instruments;
  /** Run PGlite in a worker thread, off the caller's event loop. */
  thread?: boolean;
}

/** The part of PGlite the adapter uses; the in-thread instance and the worker-thread client both offer it. */
interface Statements {
  query(sql: string, params?: unknown[]): Promise<{ rows: unknown[] }>;
  exec(sql: string): Promise<unknown>;
}
interface Engine extends Statements {
  transaction<T>(fn: (tx: Statements) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export async function openPgliteDb(options: PgliteOptions): Promise<Db> {
  if (options.dataDir) await mkdir(options.dataDir, { recursive: true });
  const engine = await reopenable(
    (): Promise<Engine> =>
      options.thread
        ? openThreadEngine(options.dataDir)
        : PGlite.create({
            ...(options.dataDir ? { dataDir: options.dataDir } : {}),
            postgresqlconf: EMBEDDED_POSTGRESQL_CONF,
          }),
    options.dataDir !== undefined,
  );
  const m = options.metrics;
  m?.postgresqlConnectionsMax.set({ pool: 'primary' }, 1);

  async function timed<R>(run: () => Promise<{ rows: unknown[] }>): Promise<QueryResult<R>> {
    const end = m?.postgresqlQueryDurationSeconds.startTimer({ pool: 'primary' });
    m?.postgresqlConnectionsUsed.inc({ pool: 'primary' });
    try {
      const result = await run();
      end?.({ outcome: 'ok' });
      return { rows: result.rows as R[] };
    } catch (error) {
      end?.({ outcome: 'error' });
      throw error;
    } finally {
      m?.postgresqlConnectionsUsed.dec({ pool: 'primary' });
    }
  }
  const session = (on: Statements): Session => ({
    query: (sql, params) => timed(() => on.query(sql, params ? [...params] : undefined)),
    exec: async (sql) => {
      await on.exec(sql);
    },
  });

  const direct = session(engine);
  const db: Db = {
    kind: 'embedded',
    query: direct.query,
    get read() {
      return db;
    },
    // PGlite serialises every other query behind an open transaction, so nothing interleaves with it.
    transaction: (fn) => engine.transaction((tx) => fn(session(tx))),
    // PGlite is one connection without timeouts: maintenance runs on it directly.
    maintenanceSession: (fn) => fn(direct),
    ping: async () => {
      await engine.query('SELECT 1');
    },
    releaseMemory: () => engine.reopen(),
    close: () => engine.close(),
  };
  return db;
}

/**
 * An engine that can be closed and opened again on the same data directory: the only way to give back
 * WebAssembly memory, which grows to the high-water mark of the largest work done (a catalog import)
 * and never shrinks. Calls made during the swap wait for it; the
 * swap waits for the calls and transactions already in flight, so none is lost or cut short. Without
 * a data directory the database lives in that memory, and reopening is a no-op.
 */
async function reopenable(
  open: () => Promise<Engine>,
  persistent: boolean,
): Promise<Engine & { reopen(): Promise<void> }> {
  let engine = await open();
  let inFlight = 0;
  let drained: (() => void) | undefined;
  let swap: Promise<void> | undefined;
  async function use<T>(fn: (current: Engine) => Promise<T>): Promise<T> {
    // A failed reopen leaves the closed engine, whose calls fail as a database that is down.
    while (swap) await swap.catch(() => undefined);
    inFlight += 1;
    try {
      return await fn(engine);
    } finally {
      inFlight -= 1;
      if (inFlight === 0) drained?.();
    }
  }
  return {
    query: (sql, params) => use((current) => current.query(sql, params)),
    exec: (sql) => use((current) => current.exec(sql)),
    // The transaction's own statements go to the engine that opened it, not through `use`.
    transaction: (fn) => use((current) => current.transaction(fn)),
    close: () => use((current) => current.close()),
    reopen() {
      if (!persistent) return Promise.resolve();
      swap ??= (async () => {
        if (inFlight > 0) await new Promise<void>((resolve) => (drained = resolve));
        drained = undefined;
        await engine.close();
        engine = await open();
      })().finally(() => {
        swap = undefined;
      });
      return swap;
    },
  };
}

type Reply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: Record<string, unknown> };

/** An error from the thread, with the fields (code, detail, …) the database error had. */
function revive(fields: Record<string, unknown>): Error {
  const error = new Error(String(fields.message ?? 'embedded database error'));
  Object.assign(error, fields);
  return error;
}

async function openThreadEngine(dataDir: string | undefined): Promise<Engine> {
  const worker = new Worker(new URL('./pglite-thread.mjs', import.meta.url), {
    workerData: { ...(dataDir ? { dataDir } : {}), postgresqlconf: EMBEDDED_POSTGRESQL_CONF },
  });
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  let nextId = 1;
  // Once the thread is gone every call fails at once, as a lost connection does (isDependencyDown: 57P01).
  let gone: Error | undefined;
  const stop = (error: Error) => {
    gone ??= Object.assign(error, { code: '57P01' });
    for (const { reject } of pending.values()) reject(gone);
    pending.clear();
  };

  await new Promise<void>((resolve, reject) => {
    const onExit = (code: number) => reject(new Error(`the embedded database thread exited (${code}) while starting`));
    worker.once('error', reject);
    worker.once('exit', onExit);
    worker.once('message', (message: { ready: boolean; error?: Record<string, unknown> }) => {
      worker.off('error', reject);
      worker.off('exit', onExit);
      if (message.ready) resolve();
      else reject(revive(message.error ?? {}));
    });
  });
  worker.on('message', (message: Reply) => {
    const call = pending.get(message.id);
    if (!call) return;
    pending.delete(message.id);
    if (message.ok) call.resolve(message.value);
    else call.reject(revive(message.error));
  });
  worker.on('error', (error) => stop(new Error(`the embedded database thread failed: ${error.message}`)));
  worker.on('exit', (code) => stop(new Error(`the embedded database thread exited (${code})`)));

  const call = <T>(request: Record<string, unknown>): Promise<T> => {
    if (gone) return Promise.reject(gone);
    const id = nextId++;
    return new Promise<T>((resolve, reject) => {
      pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      worker.postMessage({ id, ...request });
    });
  };
  const statements = (tx?: number): Statements => ({
    query: async (sql, params) => ({ rows: await call<unknown[]>({ op: 'query', sql, params, tx }) }),
    exec: (sql) => call({ op: 'exec', sql, tx }),
  });

  return {
    ...statements(),
    async transaction(fn) {
      const tx = await call<number>({ op: 'begin' });
      let result: Awaited<ReturnType<typeof fn>>;
      try {
        result = await fn(statements(tx));
      } catch (error) {
        await call({ op: 'end', tx, commit: false }).catch(() => undefined);
        throw error;
      }
      await call({ op: 'end', tx, commit: true });
      return result;
    },
    async close() {
      if (!gone) await call({ op: 'close' }).catch(() => undefined);
      await worker.terminate();
    },
  };
}
