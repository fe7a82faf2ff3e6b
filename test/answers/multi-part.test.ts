/**
 * A question with several parts through the real pipeline (chunks → Postgres full-text index on PGlite
 * → retrieval with context → the extractive model): each part answered with its own citation, and a
 * part the manual does not cover said to be missing rather than answered confidently.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerQuestion } from '../../app/core/answers/pipeline.js';
import { createExtractiveModel } from '../../app/core/answers/extractive.js';
import { chunkPages } from '../../app/core/manuals/chunk.js';
import { ManualIndexStore } from '../../app/core/manuals/index-store.js';
import { migrate } from '../../app/adapters/storage/migrate.js';
import { openPgliteDb } from '../../app/adapters/storage/pglite-db.js';

const PAGES = [
  'Cleaning the filters\nCheck the filters after every ten washes.\n1. Turn the microfilter anticlockwise and lift it out.\n2. Rinse the filters under running water.\n3. Refit the filters and turn the microfilter clockwise.',
  'Adding salt\nFill the salt container whenever the salt light comes on.\n1. Unscrew the cap of the salt container.\n2. Fill the container with dishwasher salt up to the rim.\n3. Screw the cap on tightly.',
  'Noise level\nThe dishwasher runs at 44 dB in the ECO programme.',
];

let db: Awaited<ReturnType<typeof openPgliteDb>>;
let store: ManualIndexStore;

beforeAll(async () => {
  db = await openPgliteDb({});
  await migrate(db);
  store = new ManualIndexStore(db);
  await db.query(`INSERT INTO products (id, brand, name) VALUES ('washer', 'Test', 'Washer')`);
  await store.upsert('washer', 'http://127.0.0.1/washer.pdf');
  await store.replaceChunks('washer', chunkPages(PAGES), { pages: PAGES.length, contentHash: 'washer', bytes: 1 });
});
afterAll(() => db.close());

describe('a question with several parts', () => {
  const ask = (question: string, onPiece?: (text: string) => void) =>
    answerQuestion({
      store,
      model: createExtractiveModel(),
      manualId: 'washer',
      question,
      ...(onPiece ? { onPiece } : {}),
    });

  it('answers each part with its own citation, under the part as asked, streamed as shown', async () => {
    let streamed = '';
    const answer = await ask('How do I clean the filters and add the salt?', (piece) => {
      streamed += piece;
    });
    expect(answer.parts?.map((p) => p.question)).toEqual(['How do I clean the filters?', 'How do I add the salt?']);
    expect(answer.parts?.map((p) => p.confidence)).toEqual(['confident', 'confident']);
    expect(answer.parts?.map((p) => p.citations.map((c) => c.page))).toEqual([[1], [2]]);
    expect(answer.parts?.[1]?.structure?.steps.map((s) => s.text)).toContain(
      'Fill the container with dishwasher salt up to the rim.',
    );
    expect(answer.text).toBe(streamed);
    expect(answer.text.indexOf('Rinse the filters')).toBeLessThan(answer.text.indexOf('How do I add the salt?'));
    expect(answer.confidence).toBe('confident');
  });

  it('says which part is not in the manual, and is then not confident as a whole', async () => {
    const answer = await ask('How do I clean the filters? How do I connect it to the app?');
    expect(answer.parts?.[0]?.confidence).toBe('confident');
    expect(answer.parts?.[1]?.confidence).not.toBe('confident');
    expect(answer.confidence).toBe('closest');
  });

  it('leaves a question with one part as it was (control)', async () => {
    const answer = await ask('How do I clean the filters?');
    expect(answer.parts).toBeUndefined();
    expect(answer.citations.map((c) => c.page)).toEqual([1]);
  });
});
