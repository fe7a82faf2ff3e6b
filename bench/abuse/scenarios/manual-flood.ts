/**
 * Finding 2: one socket selects 300 products whose manuals take 12 s each, at 40 selects a second;
 * then another customer picks a demo product. Budgets: the demo manual is ready within 2 s of the
 * customer's select, and both the customer's and the flooding socket's questions are answered.
 */
import { TestClient } from '../../../test/helpers/ws-client.js';
import { sleep, type Scenario } from '../scenario.js';
import { DEMO_PRODUCTS, SLOW_PRODUCTS } from '../stack.js';

const DEMO_READY_BUDGET_MS = 2_000;

async function answered(client: TestClient, id: string, productId: string): Promise<boolean> {
  client.send({ type: 'ask', id, productId, question: 'How do I store a scene?' });
  const end = await Promise.race([
    client.next('answer_done', (d) => d.id === id, 60_000),
    client.next('error', (e) => e.ref === id, 60_000),
  ]);
  return end.type === 'answer_done';
}

export const manualFlood: Scenario = {
  name: 'one-socket-manual-flood',
  async run(stack) {
    const flooder = await TestClient.connect(`${stack.gateway.wsUrl}?protocol=5`); // v5: `queuedReason`
    const customer = await TestClient.connect(stack.gateway.wsUrl);
    try {
      await Promise.all([flooder.next('hello'), customer.next('hello')]);
      const downloadsBefore = stack.downloads.slow;
      const floodStarted = Date.now();
      for (let i = 0; i < SLOW_PRODUCTS; i += 1) {
        flooder.send({ type: 'select', productId: `slow-${i}` });
        if (i % 4 === 3) await sleep(100);
      }
      const floodMs = Date.now() - floodStarted;
      await flooder.next('manual', (m) => m.productId === `slow-${SLOW_PRODUCTS - 1}`, 30_000);
      const deferred = flooder.frames.filter((f) => f.type === 'manual' && f.queuedReason === 'fair_share').length;

      const selected = Date.now();
      customer.send({ type: 'select', productId: DEMO_PRODUCTS.sq5 });
      await customer.next('manual', (m) => m.productId === DEMO_PRODUCTS.sq5 && m.status === 'ready', 120_000);
      const demoReadyMs = Date.now() - selected;
      const customerAnswered = await answered(customer, 'customer-ask', DEMO_PRODUCTS.sq5);
      const flooderAnswered = await answered(flooder, 'flooder-ask', DEMO_PRODUCTS.sq5);
      return {
        figures: {
          selects: SLOW_PRODUCTS,
          floodSeconds: Math.round(floodMs / 100) / 10,
          selectsDeferred: deferred,
          slowDownloadsStarted: stack.downloads.slow - downloadsBefore,
          demoManualReadyMs: demoReadyMs,
          customerAnswered,
          flooderAnswered,
        },
        budgets: [
          { name: 'demo manual ready after select (ms)', value: demoReadyMs, max: DEMO_READY_BUDGET_MS },
          {
            name: 'questions answered (customer and flooder)',
            value: Number(customerAnswered) + Number(flooderAnswered),
            min: 2,
          },
        ],
      };
    } finally {
      flooder.close();
      customer.close();
    }
  },
};
