/**
 * Runs the procedure evaluation set through the real pipeline: PDF (pdfkit) → pdftotext → chunks →
 * Postgres full-text index (PGlite) → retrieval with context → the extractive model. Reports step
 * recall, caution recall, citation exactness and answer length per case and overall.
 */
import { createExtractiveModel } from '../../app/core/answers/extractive.js';
import { retrieveWithContext, withoutProductName } from '../../app/core/answers/context.js';
import { readFile } from 'node:fs/promises';
import { chunkPages } from '../../app/core/manuals/chunk.js';
import { extractWithPdftotext } from '../../app/core/manuals/extract.js';
import { readDemoManifest, readDemoManual } from '../../app/core/manuals/demo/manifest.js';
import { renderManualPdf } from '../../scripts/demo-manuals/render.js';
import { ManualIndexStore } from '../../app/core/manuals/index-store.js';
import { migrate } from '../../app/adapters/storage/migrate.js';
import { openPgliteDb } from '../../app/adapters/storage/pglite-db.js';
import { DEMO_PROCEDURES, generatedManuals, type ProcedureCase } from './procedure-set.js';

export interface CaseResult {
  manual: string;
  question: string;
  stepRecall: number;
  cautionRecall: number;
  citedExactly: boolean;
  cited: number[];
  answerWords: number;
  /** Answer words over the words of the steps and cautions it had to contain. */
  lengthRatio: number;
  missing: string[];
}

export interface ProcedureReport {
  cases: number;
  stepRecall: number;
  cautionRecall: number;
  citationExactRate: number;
  meanAnswerWords: number;
  meanLengthRatio: number;
  maxLengthRatio: number;
  results: CaseResult[];
}

const norm = (text: string) => text.replace(/\s+/g, ' ').replace(/[•]/g, '-').trim().toLowerCase();
const words = (text: string) => text.split(/\s+/).filter(Boolean).length;

export async function evaluateProcedures(): Promise<ProcedureReport> {
  const db = await openPgliteDb({});
  try {
    await migrate(db);
    const store = new ManualIndexStore(db);
    const index = async (id: string, pdf: Buffer) => {
      await db.query(`INSERT INTO products (id, brand, name) VALUES ($1, 'Eval', $1)`, [id]);
      const manual = await extractWithPdftotext(pdf);
      await store.upsert(id, `http://127.0.0.1/${id}.pdf`);
      await store.replaceChunks(id, chunkPages(manual.pages), {
        pages: manual.pageCount,
        contentHash: id,
        bytes: pdf.length,
      });
    };
    for (const entry of (await readDemoManifest()).manuals) await index(entry.productId, await readDemoManual(entry));
    const generated = generatedManuals();
    for (const manual of generated)
      await index(manual.name, await renderManualPdf(manual.pages, { title: manual.title }));

    // The demo products' catalog names, as the app passes them (generated manuals have none).
    const catalog = JSON.parse(
      await readFile(new URL('../../app/core/catalog/products.json', import.meta.url), 'utf8'),
    ) as {
      id: string;
      brand: string;
      name: string;
    }[];
    const model = createExtractiveModel();
    const results: CaseResult[] = [];
    for (const item of [...DEMO_PROCEDURES, ...generated.flatMap((m) => m.cases)]) {
      const focus = withoutProductName(
        item.question,
        catalog.find((p) => p.id === item.manual),
      );
      const chunks = await retrieveWithContext(store, item.manual, focus, 4);
      const stream = model.stream(focus, chunks, new AbortController().signal);
      let answer = '';
      for await (const piece of stream) answer += piece;
      results.push(
        score(
          item,
          answer,
          stream.citations().map((c) => c.page),
        ),
      );
    }
    const mean = (pick: (r: CaseResult) => number) => results.reduce((n, r) => n + pick(r), 0) / results.length;
    const allSteps = results.length;
    return {
      cases: allSteps,
      stepRecall: round(mean((r) => r.stepRecall)),
      cautionRecall: round(mean((r) => r.cautionRecall)),
      citationExactRate: round(mean((r) => (r.citedExactly ? 1 : 0))),
      meanAnswerWords: round(mean((r) => r.answerWords)),
      meanLengthRatio: round(mean((r) => r.lengthRatio)),
      maxLengthRatio: round(Math.max(...results.map((r) => r.lengthRatio))),
      results,
    };
  } finally {
    await db.close();
  }
}

function score(item: ProcedureCase, answer: string, cited: number[]): CaseResult {
  const text = norm(answer);
  const found = (s: string) => text.includes(norm(s));
  const missing = [...item.steps, ...item.cautions].filter((s) => !found(s));
  const recall = (list: string[]) => (list.length === 0 ? 1 : list.filter(found).length / list.length);
  const needed = words([...item.steps, ...item.cautions].join(' '));
  const answerWords = words(answer);
  return {
    manual: item.manual,
    question: item.question,
    stepRecall: recall(item.steps),
    cautionRecall: recall(item.cautions),
    citedExactly: [...cited].sort().join(',') === [...item.pages].sort().join(','),
    cited,
    answerWords,
    lengthRatio: round(answerWords / Math.max(1, needed)),
    missing,
  };
}

const round = (n: number) => Math.round(n * 1000) / 1000;
