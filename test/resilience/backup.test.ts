/** The weekly backup verification, made a test: back up a populated database, restore it, compare. */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgres, tempDir, type PostgresInstance, type TempDir } from '../harness/index.js';
import { openPostgresDb } from '../../app/storage/postgres-db.js';
import { migrate } from '../../app/storage/migrate.js';
import { BUNDLED_CATALOG, importCatalog, readCatalogFile } from '../../app/catalog/import.js';
import { ConversationStore } from '../../app/conversations/conversation-store.js';

const run = promisify(execFile);
const SCRIPT = new URL('../../scripts/pg-backup.sh', import.meta.url).pathname;

let source: PostgresInstance;
let target: PostgresInstance;
let dir: TempDir;
beforeAll(async () => {
  [source, target, dir] = await Promise.all([startPostgres(), startPostgres(), tempDir('backup')]);
});
afterAll(async () => {
  await Promise.allSettled([source?.stop(), target?.stop(), dir?.remove()]);
});

/** Every table's rows, hashed in a stable order: equal fingerprints mean equal contents. */
async function fingerprint(url: string): Promise<Record<string, string>> {
  const db = openPostgresDb({ url, poolMax: 2, statementTimeoutMs: 10_000 });
  try {
    const tables = (
      await db.query<{ t: string }>("SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")
    ).rows.map((r) => r.t);
    const result: Record<string, string> = {};
    for (const table of tables) {
      const { rows } = await db.query<{ n: string; h: string | null }>(
        `SELECT count(*)::text AS n, md5(string_agg(x::text, '|' ORDER BY x::text)) AS h FROM ${table} x`,
      );
      result[table] = `${rows[0]?.n}:${rows[0]?.h}`;
    }
    return result;
  } finally {
    await db.close();
  }
}

describe('backup and restore', () => {
  it('restores a populated database to identical contents', async () => {
    const url = await source.createDatabase('hsc');
    const db = openPostgresDb({ url, poolMax: 2, statementTimeoutMs: 10_000 });
    await migrate(db);
    await importCatalog(db, 'bundled', await readCatalogFile(BUNDLED_CATALOG));
    await new ConversationStore(db).record({
      sessionId: 's1',
      askId: 'a1',
      productId: 'p',
      question: 'how do I reset it?',
      answer: 'Hold [SHIFT] and power on.',
      citations: [{ page: 4, snippet: 'factory reset' }],
      outcome: 'ok',
      model: 'extractive',
    });
    await db.close();

    const { stdout } = await run('bash', [SCRIPT, 'backup', url, dir.path]);
    const dump = stdout.trim();
    expect(dump).toMatch(/hsc-jit-\d{8}T\d{6}Z\.dump$/);

    const restored = await target.createDatabase('restored');
    await run('bash', [SCRIPT, 'restore', dump, restored]);
    const [before, after] = await Promise.all([fingerprint(url), fingerprint(restored)]);
    expect(Object.keys(before)).toEqual(
      expect.arrayContaining(['products', 'conversation_turns', 'audit_log', 'schema_migrations']),
    );
    expect(before.products).toMatch(/^2789:/);
    expect(after).toEqual(before);
  });

  it('refuses a corrupted dump', async () => {
    const url = await source.createDatabase('small');
    const { stdout } = await run('bash', [SCRIPT, 'backup', url, `${dir.path}/small`]);
    const dump = stdout.trim();
    await run('bash', ['-c', `printf 'x' >> "${dump}"`]);
    await expect(run('bash', [SCRIPT, 'restore', dump, await target.createDatabase('never')])).rejects.toThrow(
      /FAILED|checksum/i,
    );
  });
});
