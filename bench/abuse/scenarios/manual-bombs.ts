/**
 * Finding 4: the two decompression-bomb PDFs (pages sharing one compressed content stream: the issue's
 * 472 KB → 3,000 pages and 741 KB → 51,700 chunks), each selected by an attacker while another customer
 * keeps asking about a ready manual. Budgets: each bomb ends failed with a reason or indexed within its
 * bounds, and the customer's ask p99 while it is processed stays within 2× of the p99 without a bomb,
 * measured just before in the same run.
 */
import { setTimeout } from 'node:timers/promises';
import { TestClient } from '../../../test/helpers/ws-client.js';
import type { Scenario } from '../scenario.js';
import { BOMB_PRODUCTS, DEMO_PRODUCTS } from '../stack.js';

const CONTROL_ASKS = 40;
/**
 * Pause between the customer's asks while a bomb is processed (20 a second): under the socket's rate
 * limit (50 frames/s, burst 100), which back-to-back asks answered in a few milliseconds would trip.
 */
const ASK_GAP_MS = 50;
/** The bounds' default: pages per MiB of PDF, a file counted as at least 1 MiB. */
const MAX_PAGES_PER_MB = 1_000;

function p99(times: number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(0.99 * sorted.length) - 1)] ?? Number.NaN;
}

export const manualBombs: Scenario = {
  name: 'manual-bombs',
  async run(stack) {
    const customer = await TestClient.connect(stack.gateway.wsUrl);
    const attacker = await TestClient.connect(stack.gateway.wsUrl);
    let asked = 0;
    // A new question each time: an answer from the cache would not touch the database.
    const timedAsk = async () => {
      asked += 1;
      const id = `bomb-q${asked}`;
      const started = performance.now();
      customer.send({
        type: 'ask',
        id,
        productId: DEMO_PRODUCTS.tr8s,
        question: `How do I set the tempo of pattern ${asked}?`,
      });
      await customer.next('answer_done', (d) => d.id === id, 120_000);
      return performance.now() - started;
    };
    try {
      await Promise.all([customer.next('hello'), attacker.next('hello')]);
      customer.send({ type: 'select', productId: DEMO_PRODUCTS.tr8s });
      await customer.next('manual', (m) => m.productId === DEMO_PRODUCTS.tr8s && m.status === 'ready', 120_000);
      await timedAsk(); // warm-up
      const control: number[] = [];
      for (let i = 0; i < CONTROL_ASKS; i += 1) control.push(await timedAsk());
      const controlP99 = p99(control);

      const figures: Record<string, unknown> = { controlAsks: control.length, controlP99Ms: Math.round(controlP99) };
      const budgets = [];
      for (const productId of Object.keys(BOMB_PRODUCTS)) {
        const selected = performance.now();
        attacker.send({ type: 'select', productId });
        let settled = false;
        const final = attacker
          .next('manual', (m) => m.productId === productId && (m.status === 'ready' || m.status === 'failed'), 600_000)
          .finally(() => {
            settled = true;
          });
        const during: number[] = [];
        while (!settled) {
          during.push(await timedAsk());
          await setTimeout(ASK_GAP_MS);
        }
        const outcome = await final;
        const duringP99 = p99(during);
        const withinBounds =
          outcome.status === 'failed'
            ? /refused/.test(outcome.error ?? '')
            : (outcome.pages ?? Number.POSITIVE_INFINITY) <= MAX_PAGES_PER_MB;
        figures[productId] = {
          pdfBytes: stack.bombBytes[productId],
          outcome: outcome.status,
          error: outcome.error,
          pages: outcome.pages,
          seconds: Math.round((performance.now() - selected) / 100) / 10,
          asksDuring: during.length,
          duringP99Ms: Math.round(duringP99),
          p99Ratio: Math.round((duringP99 / controlP99) * 100) / 100,
        };
        budgets.push(
          {
            name: `${productId}: failed with a reason or indexed within its bounds`,
            value: withinBounds ? 1 : 0,
            min: 1,
          },
          {
            name: `${productId}: other customers' ask p99 / p99 without a bomb`,
            value: duringP99 / controlP99,
            max: 2,
          },
        );
      }
      return { figures, budgets };
    } finally {
      customer.close();
      attacker.close();
    }
  },
};
