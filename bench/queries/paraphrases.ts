/**
 * Retrieval evaluation sets over the demo manuals (scripts/demo-manuals/content.ts, page = position + 1):
 * - paraphrases: questions worded the way customers ask, with the domain's other words for what the
 *   manual says (heavy/weight, wipe/factory reset, pair/Bluetooth, install firmware/update);
 * - literal: generated from the manuals themselves, each page's heading asked as a question, so the
 *   thesaurus must not cost anything where the customer uses the manual's own words.
 */
import { DEMO_MANUALS } from '../../scripts/demo-manuals/content.js';

export interface PageQuestion {
  productId: string;
  question: string;
  page: number;
}

const TR8S = 'roland_87-tr8s';
const MPC = 'akai_professional_55_mpclive2';
const SQ5 = 'allen_heath_40_sq5';
const MCASTER = 'mackie_60_mcasterlive';
const SPDSX = 'roland_87-spdsx';

export const PARAPHRASES: readonly PageQuestion[] = [
  { productId: TR8S, question: 'how heavy is this drum machine', page: 7 },
  { productId: TR8S, question: 'I want to wipe it clean', page: 5 },
  { productId: TR8S, question: 'how do I install a newer system program', page: 5 },
  { productId: TR8S, question: 'it is silent, I cannot hear anything', page: 6 },
  { productId: TR8S, question: 'how big is it, will it fit my desk', page: 7 },
  { productId: TR8S, question: 'the screen is hard to read', page: 6 },
  { productId: TR8S, question: 'can I record into my computer with it', page: 2 },
  { productId: MPC, question: 'how heavy is the mpc', page: 7 },
  { productId: MPC, question: 'wipe the whole mpc and start from scratch', page: 5 },
  { productId: MPC, question: 'how do I upgrade the system software', page: 5 },
  { productId: MPC, question: 'pair a wireless keyboard controller', page: 4 },
  { productId: MPC, question: 'the pads are too sensitive', page: 6 },
  { productId: MPC, question: 'how long can I play unplugged', page: 7 },
  { productId: SQ5, question: 'how heavy is the desk', page: 7 },
  { productId: SQ5, question: 'wipe the console back to factory', page: 5 },
  { productId: SQ5, question: 'install new firmware from a stick', page: 5 },
  { productId: SQ5, question: 'the monitors are howling', page: 6 },
  { productId: SQ5, question: 'save a snapshot of my mix', page: 3 },
  { productId: SQ5, question: 'where do I turn on 48v for a condenser', page: 2 },
  { productId: SQ5, question: 'how big is the mixer', page: 7 },
  { productId: MCASTER, question: 'how heavy is the mcaster', page: 7 },
  { productId: MCASTER, question: 'pair my phone with it', page: 4 },
  { productId: MCASTER, question: 'wipe my recorded clips and settings', page: 5 },
  { productId: MCASTER, question: 'how long does a charge last when streaming', page: 7 },
  { productId: MCASTER, question: 'where do I plug in my earphones', page: 2 },
  { productId: MCASTER, question: 'how big is it', page: 7 },
  { productId: SPDSX, question: 'how heavy is the pad', page: 7 },
  { productId: SPDSX, question: 'wipe everything and start from scratch', page: 5 },
  { productId: SPDSX, question: 'pads double trigger', page: 6 },
  { productId: SPDSX, question: 'keep a copy of my kits before I reset', page: 5 },
  { productId: SPDSX, question: 'follow the tempo of my external sequencer', page: 4 },
  { productId: SPDSX, question: 'what are its measurements', page: 7 },
];

/** Every page's heading, asked of its own manual. */
export function literalQuestions(): PageQuestion[] {
  return DEMO_MANUALS.flatMap((manual) =>
    manual.pages.map((page, i) => ({ productId: manual.productId, question: page.heading, page: i + 1 })),
  );
}

export interface RetrievalRecall {
  questions: number;
  recallAt1: number;
  recallAt3: number;
  recallAt5: number;
  missesAt3: string[];
}

/** Recall@1/3/5 of the right page among the chunks `search` returns, best first. */
export async function pageRecall(
  questions: readonly PageQuestion[],
  search: (productId: string, question: string) => Promise<{ page: number }[]>,
): Promise<RetrievalRecall> {
  const hitsAt = { 1: 0, 3: 0, 5: 0 };
  const missesAt3: string[] = [];
  for (const q of questions) {
    const pages = (await search(q.productId, q.question)).map((c) => c.page);
    for (const k of [1, 3, 5] as const) if (pages.slice(0, k).includes(q.page)) hitsAt[k]++;
    if (!pages.slice(0, 3).includes(q.page))
      missesAt3.push(`${q.question} → want p${q.page}, got [${pages.slice(0, 3).join(',')}]`);
  }
  const share = (hits: number) => Math.round((hits / Math.max(1, questions.length)) * 10_000) / 10_000;
  return {
    questions: questions.length,
    recallAt1: share(hitsAt[1]),
    recallAt3: share(hitsAt[3]),
    recallAt5: share(hitsAt[5]),
    missesAt3,
  };
}
