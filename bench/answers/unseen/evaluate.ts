/**
 * Runs the unseen-layouts evaluation (./spec.ts) through the real pipeline, once per extractor:
 * manual (rendered by ./render.ts) → pdftotext or pdf.js → chunks → Postgres full-text index (PGlite)
 * → the app's answer pipeline (follow-up resolution, retrieval with context, the extractive model).
 * Procedure cases score step recall (intro and steps), caution recall and whether the right page is
 * cited; follow-up pairs and not-in-the-manual questions score confident-wrong answers.
 */
import type { Browser } from 'playwright-core';
import { answerQuestion, type AnsweredQuestion } from '../../../app/core/answers/pipeline.js';
import { createExtractiveModel } from '../../../app/core/answers/extractive.js';
import { chunkPages } from '../../../app/core/manuals/chunk.js';
import { extractWithPdfjs, extractWithPdftotext, type Extractor } from '../../../app/core/manuals/extract.js';
import { ManualIndexStore } from '../../../app/core/manuals/index-store.js';
import { migrate } from '../../../app/adapters/storage/migrate.js';
import { openPgliteDb } from '../../../app/adapters/storage/pglite-db.js';
import { renderEvaluationManual } from './render.js';
import { isProcedure, type EvaluationPart, type ManualSpec } from './spec.js';

const norm = (text: string) => text.normalize('NFKC').replace(/[‘’]/g, "'").replace(/\s+/g, ' ').trim().toLowerCase();

export interface ProcedureResult {
  manual: string;
  question: string;
  stepRecall: number;
  cautionRecall: number;
  rightPage: boolean;
  cited: number[];
  expectedPages: number[];
  confidence: string;
  missing: string[];
}

export interface PartReport {
  extractor: string;
  procedures: {
    cases: number;
    /** Over the cases whose answer cites a page of the procedure: the targets. */
    stepRecallRightPage: number;
    cautionRecallRightPage: number;
    rightPageRate: number;
    /** Over every case. */
    stepRecall: number;
    cautionRecall: number;
    /** Procedure answers that were not marked confident (an honest answer hedged needlessly). */
    notConfidentRate: number;
  };
  followUps: { cases: number; correct: number; confidentWrongRate: number; contextNamedRate: number };
  absent: { cases: number; confidentWrongRate: number };
  /**
   * Parts of multi-part questions: answered on their own with the expected text and a citation, or
   * (for a part not in the manual) marked as not confident; confident-wrong parts counted apart.
   */
  multiPart: { cases: number; parts: number; partsRight: number; confidentWrongRate: number };
  failures: unknown[];
}

/** The pages of the PDF a text is on: where it is whole, or the pages its start and its end are on. */
function pagesOf(text: string, pages: readonly string[]): number[] {
  const wanted = norm(text);
  const whole = pages.flatMap((p, i) => (norm(p).includes(wanted) ? [i + 1] : []));
  if (whole.length > 0) return whole;
  const words = wanted.split(' ');
  const half = Math.max(3, Math.floor(words.length / 2));
  const head = words.slice(0, half).join(' ');
  const tail = words.slice(-half).join(' ');
  return pages.flatMap((p, i) => (norm(p).includes(head) || norm(p).includes(tail) ? [i + 1] : []));
}

async function runPart(part: EvaluationPart, pdfs: Map<string, Buffer>, extractor: Extractor, name: string) {
  const db = await openPgliteDb({});
  try {
    await migrate(db);
    const store = new ManualIndexStore(db);
    const pagesById = new Map<string, string[]>();
    for (const manual of part.manuals) {
      const pdf = pdfs.get(manual.id)!;
      await db.query(`INSERT INTO products (id, brand, name) VALUES ($1, 'Eval', $1)`, [manual.id]);
      const extracted = await extractor(pdf);
      // Ground truth pages come from pdftotext whatever is evaluated: they are properties of the PDF.
      pagesById.set(manual.id, (await extractWithPdftotext(pdf)).pages);
      await store.upsert(manual.id, `http://127.0.0.1/${manual.id}.pdf`);
      await store.replaceChunks(manual.id, chunkPages(extracted.pages), {
        pages: extracted.pageCount,
        contentHash: manual.id,
        bytes: pdf.length,
      });
    }
    const model = createExtractiveModel();
    const ask = (manual: string, question: string, previous?: AnsweredQuestion) =>
      answerQuestion({ store, model, manualId: manual, question, previous });
    const failures: unknown[] = [];

    const procedures: ProcedureResult[] = [];
    for (const manual of part.manuals)
      for (const section of manual.sections.filter(isProcedure))
        for (const question of section.questions) {
          const answer = await ask(manual.id, question);
          const text = norm(answer.text);
          const steps = [section.intro, ...section.steps];
          const cautions = section.cautions.map((c) => c.text);
          const found = (s: string) => text.includes(norm(s).replace(/\.$/, ''));
          const recall = (list: string[]) => (list.length === 0 ? 1 : list.filter(found).length / list.length);
          const pages = pagesById.get(manual.id)!;
          const expectedPages = [...new Set([...steps, ...cautions].flatMap((s) => pagesOf(s, pages)))].sort();
          const cited = answer.citations.map((c) => c.page);
          const result: ProcedureResult = {
            manual: manual.id,
            question,
            stepRecall: recall(steps),
            cautionRecall: recall(cautions),
            rightPage: cited.some((p) => expectedPages.includes(p)),
            cited,
            expectedPages,
            confidence: answer.confidence,
            missing: [...steps, ...cautions].filter((s) => !found(s)),
          };
          procedures.push(result);
          if (result.missing.length > 0 || !result.rightPage || result.confidence !== 'confident')
            failures.push({ ...result, answer: answer.text });
        }

    let followCorrect = 0;
    let followConfidentWrong = 0;
    let contextNamed = 0;
    for (const pair of part.followUps) {
      const first = await ask(pair.manual, pair.first);
      const answer = await ask(pair.manual, pair.followUp, first);
      const correct = norm(answer.text).includes(norm(pair.expect));
      if (correct) followCorrect += 1;
      if (answer.context) contextNamed += 1;
      if (!correct && answer.confidence === 'confident') {
        followConfidentWrong += 1;
        failures.push({ followUp: pair, answer: answer.text, confidence: answer.confidence });
      }
    }

    let absentConfident = 0;
    for (const item of part.absent) {
      const answer = await ask(item.manual, item.question);
      if (answer.confidence === 'confident') {
        absentConfident += 1;
        failures.push({ absent: item, answer: answer.text });
      }
    }

    let parts = 0;
    let partsRight = 0;
    let partsConfidentWrong = 0;
    for (const item of part.multiPart ?? []) {
      const answer = await ask(item.manual, item.question);
      const answered = answer.parts ?? [];
      // The combined text holds each part's answer after the part as asked, in order.
      const sections = splitByParts(
        answer.text,
        answered.map((p) => p.question),
      );
      item.parts.forEach((expect, i) => {
        parts += 1;
        const got = answered[i];
        const right =
          got !== undefined &&
          (expect === null
            ? got.confidence !== 'confident'
            : norm(sections[i] ?? '').includes(norm(expect)) && got.citations.length > 0);
        if (right) partsRight += 1;
        else {
          if (got?.confidence === 'confident') partsConfidentWrong += 1;
          failures.push({ multiPart: item, part: i, answer: answer.text, parts: answered });
        }
      });
    }

    const mean = (list: ProcedureResult[], pick: (r: ProcedureResult) => number) =>
      list.length === 0 ? 0 : round(list.reduce((n, r) => n + pick(r), 0) / list.length);
    const right = procedures.filter((r) => r.rightPage);
    return {
      extractor: name,
      procedures: {
        cases: procedures.length,
        stepRecallRightPage: mean(right, (r) => r.stepRecall),
        cautionRecallRightPage: mean(right, (r) => r.cautionRecall),
        rightPageRate: mean(procedures, (r) => (r.rightPage ? 1 : 0)),
        stepRecall: mean(procedures, (r) => r.stepRecall),
        cautionRecall: mean(procedures, (r) => r.cautionRecall),
        notConfidentRate: mean(procedures, (r) => (r.confidence === 'confident' ? 0 : 1)),
      },
      followUps: {
        cases: part.followUps.length,
        correct: followCorrect,
        confidentWrongRate: round(followConfidentWrong / part.followUps.length),
        contextNamedRate: round(contextNamed / part.followUps.length),
      },
      absent: { cases: part.absent.length, confidentWrongRate: round(absentConfident / part.absent.length) },
      multiPart: {
        cases: part.multiPart?.length ?? 0,
        parts,
        partsRight,
        confidentWrongRate: parts === 0 ? 0 : round(partsConfidentWrong / parts),
      },
      failures,
    } satisfies PartReport;
  } finally {
    await db.close();
  }
}

export async function renderAll(manuals: readonly ManualSpec[], browser: Browser): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  for (const manual of manuals) out.set(manual.id, await renderEvaluationManual(manual, browser));
  return out;
}

export async function evaluateUnseen(part: EvaluationPart, browser: Browser): Promise<PartReport[]> {
  const pdfs = await renderAll(part.manuals, browser);
  return [
    await runPart(part, pdfs, extractWithPdftotext, 'pdftotext'),
    await runPart(part, pdfs, extractWithPdfjs, 'pdfjs'),
  ];
}

/** The answer text under each part's heading (the part as asked, on a line of its own). */
function splitByParts(text: string, asked: readonly string[]): string[] {
  const starts = asked.map((q, i) => text.indexOf(`${q}\n`, i === 0 ? 0 : undefined));
  return starts.map((start, i) => (start < 0 ? '' : text.slice(start, starts[i + 1] ?? text.length)));
}

const round = (n: number) => Math.round(n * 1000) / 1000;
