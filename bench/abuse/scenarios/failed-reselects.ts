/**
 * Finding 3: a manual that failed (its host answers 404) selected 100 more times from one socket, at
 * 40 selects a second. Budget: at most 2 downloads in all (the first, and none until its cool-down).
 */
import { TestClient } from '../../../test/helpers/ws-client.js';
import { sleep, type Scenario } from '../scenario.js';

const RESELECTS = 100;

export const failedReselects: Scenario = {
  name: 'failed-manual-reselects',
  async run(stack) {
    const client = await TestClient.connect(stack.gateway.wsUrl);
    try {
      await client.next('hello');
      const before = stack.downloads.gone;
      client.send({ type: 'select', productId: 'gone' });
      await client.next('manual', (m) => m.productId === 'gone' && m.status === 'failed', 60_000);
      for (let i = 0; i < RESELECTS; i += 1) {
        client.send({ type: 'select', productId: 'gone' });
        if (i % 4 === 3) await sleep(100);
      }
      const deadline = Date.now() + 30_000;
      const replies = () => client.frames.filter((f) => f.type === 'manual' && f.productId === 'gone').length;
      while (replies() < RESELECTS + 1 && Date.now() < deadline) await sleep(100);
      await sleep(1_000); // a download a late select started would have reached the host by now
      const downloads = stack.downloads.gone - before;
      return {
        figures: { reselects: RESELECTS, downloads, manualFramesReceived: replies() },
        budgets: [{ name: 'downloads of the failed manual', value: downloads, max: 2 }],
      };
    } finally {
      client.close();
    }
  },
};
