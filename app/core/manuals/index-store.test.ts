/** The manual store and retrieval SQL on both adapters: embedded PGlite and a real postgres server. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bothDbAdapters } from '../../../test/helpers/db-adapters.js';
import type { Db } from '../../adapters/storage/db.js';
import { migrate } from '../../adapters/storage/migrate.js';
import { chunkPages } from './chunk.js';
import { extractWithPdftotext } from './extract.js';
import { readDemoManifest, readDemoManual } from './demo/manifest.js';
import { ManualIndexStore } from './index-store.js';

describe.each(bothDbAdapters())('ManualIndexStore on %s', (_name, open) => {
  let db: Db;
  let store: ManualIndexStore;

  beforeAll(async () => {
    db = await open();
    await migrate(db);
    for (const id of ['roland_87-tr8s', 'codes_product', 'other_product']) {
      await db.query(`INSERT INTO products (id, brand, name) VALUES ($1, 'Brand', $1)`, [id]);
    }
    store = new ManualIndexStore(db);
    const entry = (await readDemoManifest()).manuals.find((m) => m.productId === 'roland_87-tr8s')!;
    const pdf = await readDemoManual(entry);
    const manual = await extractWithPdftotext(pdf);
    await store.upsert('roland_87-tr8s', 'http://127.0.0.1/tr8s.pdf');
    await store.replaceChunks('roland_87-tr8s', chunkPages(manual.pages), {
      pages: manual.pageCount,
      contentHash: entry.sha256,
      bytes: pdf.length,
    });
  });
  afterAll(async () => {
    await db?.close();
  });

  it('creates a manual as none, keeps it for the same URL, starts over for a new one', async () => {
    const created = await store.upsert('other_product', 'http://a.example/1.pdf');
    expect(created).toMatchObject({ id: 'other_product', productId: 'other_product', status: 'none' });
    await store.setStatus(created.id, 'failed', { error: 'the manual is no longer at its address (HTTP 404)' });
    expect((await store.upsert('other_product', 'http://a.example/1.pdf')).status).toBe('failed');
    const moved = await store.upsert('other_product', 'http://a.example/2.pdf');
    expect(moved).toMatchObject({ status: 'none', url: 'http://a.example/2.pdf', error: undefined });
  });

  it('lets exactly one of two concurrent triggers queue the manual', async () => {
    await store.setStatus('other_product', 'none');
    const results = await Promise.all([
      store.transition('other_product', ['none', 'failed'], 'queued'),
      store.transition('other_product', ['none', 'failed'], 'queued'),
    ]);
    expect(results.filter(Boolean)).toHaveLength(1);
    expect((await store.get('other_product'))?.status).toBe('queued');
    expect((await store.inFlight(new Date(Date.now() + 60_000))).map((m) => m.id)).toContain('other_product');
  });

  it('records the indexed manual as ready with its facts', async () => {
    const manual = await store.get('roland_87-tr8s');
    expect(manual).toMatchObject({ status: 'ready', pages: 7 });
    expect(manual?.contentHash).toMatch(/^[0-9a-f]{64}$/);
    expect(manual?.bytes).toBeGreaterThan(1000);
  });

  it('retrieves the page that holds the answer, with its page number', async () => {
    const [best] = await store.search('roland_87-tr8s', 'how do I restore the factory settings?');
    expect(best?.page).toBe(5);
    expect(best?.text).toContain('SAMPLE button');
    expect(best?.heading).toBe('Restoring the factory settings');
  });

  it('ORs the words of a question where plainto_tsquery needs them all', async () => {
    const question = 'which midi channel does my drum machine listen on by default';
    expect(await store.search('roland_87-tr8s', question, 3, 'plain')).toEqual([]);
    const found = await store.search('roland_87-tr8s', question, 3, 'or');
    expect(found[0]?.page).toBe(4);
    expect(found.length).toBeLessThanOrEqual(3);
  });

  it('finds model codes however they are typed', async () => {
    await store.upsert('codes_product', 'http://a.example/codes.pdf');
    await store.replaceChunks(
      'codes_product',
      [
        { page: 1, ord: 0, text: 'Read page 12 about cables. Set the level to 17 on track TD.' },
        { page: 2, ord: 1, text: 'The TD-17 module is reset by holding two buttons.' },
        { page: 3, ord: 2, text: 'The SPD-SX pad has nine pads.' },
      ],
      { pages: 3, contentHash: 'x'.repeat(64), bytes: 1 },
    );
    for (const typed of ['td-17', 'td17', 'TD 17', 'TD-17 reset']) {
      const [best] = await store.search('codes_product', typed);
      expect(best?.page, typed).toBe(2);
    }
    for (const typed of ['spdsx', 'SPD-SX', 'spd sx']) {
      const [best] = await store.search('codes_product', typed);
      expect(best?.page, typed).toBe(3);
    }
  });

  it('answers an empty or stop-word-only question with no chunks instead of an error', async () => {
    expect(await store.search('roland_87-tr8s', '')).toEqual([]);
    expect(await store.search('roland_87-tr8s', 'the of and')).toEqual([]);
    expect(await store.search('roland_87-tr8s', "it's \\ 'quoted' : & | !")).toEqual([]);
  });

  it('replacing chunks swaps the whole index', async () => {
    await store.replaceChunks('codes_product', [{ page: 1, ord: 0, text: 'Only this remains.' }], {
      pages: 1,
      contentHash: 'y'.repeat(64),
      bytes: 2,
    });
    expect(await store.search('codes_product', 'TD-17')).toEqual([]);
    expect((await store.search('codes_product', 'remains'))[0]?.text).toBe('Only this remains.');
  });
});
