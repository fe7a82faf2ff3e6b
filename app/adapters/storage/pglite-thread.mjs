// PGlite in a worker thread (plain JS: it runs without tsx, under vitest too). PGlite executes SQL as
// synchronous WebAssembly: on the gateway's thread a manual being indexed stalls every keystroke for
// the length of each statement. Here it stalls only this thread; the gateway waits on a message.
//
// Requests (pglite-db.ts sends them, one reply each, by id):
//   {id, op: 'query', sql, params, tx?}  {id, op: 'exec', sql, tx?}
//   {id, op: 'begin'} → the transaction's id once it is open; {id, op: 'end', tx, commit} → after COMMIT/ROLLBACK
//   {id, op: 'close'}
// A statement tagged with `tx` runs inside that transaction; any other waits behind it, as in PGlite itself.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';

/** @type {{ dataDir?: string, postgresqlconf?: string[] }} */
const options = workerData ?? {};
const port = parentPort;
if (!port) throw new Error('pglite-thread.mjs runs as a worker thread');

/** What crosses the thread boundary of an error: the fields callers and isDependencyDown() read. */
function describe(error) {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error) };
  const fields = {};
  for (const key of ['code', 'detail', 'hint', 'severity', 'position', 'schema', 'table', 'column', 'constraint']) {
    const value = error[key];
    if (typeof value === 'string' || typeof value === 'number') fields[key] = value;
  }
  return { name: error.name, message: error.message, ...fields };
}

const reply = (id, value) => port.postMessage({ id, ok: true, value });
const fail = (id, error) => port.postMessage({ id, ok: false, error: describe(error) });

function collectGarbage() {
  setFlagsFromString('--expose-gc');
  runInNewContext('gc')();
}

let pg;
try {
  pg = await PGlite.create({
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
    ...(options.postgresqlconf ? { postgresqlconf: options.postgresqlconf } : {}),
  });
  // A fresh data directory runs initdb in a WebAssembly instance of its own: ~370 MB of memory that is
  // garbage once it is done, but this thread allocates too little JavaScript for V8 to collect it soon.
  collectGarbage();
  port.postMessage({ ready: true });
} catch (error) {
  port.postMessage({ ready: false, error: describe(error) });
  process.exit(1);
}

/** Open transactions: PGlite's handle and how to end the callback that holds it open. */
const open = new Map();
let nextTx = 1;

function target(tx) {
  if (tx === undefined) return pg;
  const entry = open.get(tx);
  if (!entry) throw new Error(`transaction ${tx} is not open`);
  return entry.tx;
}

function begin(id) {
  const txId = nextTx++;
  let entry;
  pg.transaction(
    (tx) =>
      new Promise((resolve, reject) => {
        entry = { tx, resolve, reject, endId: undefined, commit: false };
        open.set(txId, entry);
        reply(id, txId);
      }),
  ).then(
    () => {
      open.delete(txId);
      if (entry?.endId !== undefined) reply(entry.endId, null);
    },
    (error) => {
      open.delete(txId);
      if (entry?.endId === undefined) return fail(id, error); // BEGIN itself failed
      // A rollback asked for ends well; a COMMIT that failed is the caller's error.
      if (entry.commit) fail(entry.endId, error);
      else reply(entry.endId, null);
    },
  );
}

function end(id, tx, commit) {
  const entry = open.get(tx);
  if (!entry) return fail(id, new Error(`transaction ${tx} is not open`));
  entry.endId = id;
  entry.commit = commit;
  if (commit) entry.resolve();
  else entry.reject(new Error('rolled back'));
}

async function handle(message) {
  const { id, op } = message;
  try {
    switch (op) {
      case 'query': {
        const result = await target(message.tx).query(message.sql, message.params);
        return reply(id, result.rows);
      }
      case 'exec':
        await target(message.tx).exec(message.sql);
        return reply(id, null);
      case 'begin':
        return begin(id);
      case 'end':
        return end(id, message.tx, message.commit);
      case 'close':
        await pg.close();
        reply(id, null);
        port.close();
        return;
      default:
        throw new Error(`unknown operation ${String(op)}`);
    }
  } catch (error) {
    fail(id, error);
  }
}

port.on('message', (message) => void handle(message));
