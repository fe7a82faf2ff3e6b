/**
 * Where a customer reaches a person goes with the product to a v5 client (protocol v5, additive): every
 * `manual` frame of the product carries its contact, so the page can offer it after a thumbs-down on a
 * confident answer too, not only on the answers that are not sure of themselves. A v4 client is served
 * exactly as before.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRuntime, type TestRuntime } from '../helpers/runtime.js';
import { TestClient } from '../helpers/ws-client.js';

const TR8S = 'roland_87-tr8s';
const SUPPORT = { email: 'help@shop.example' };

let app: TestRuntime;
beforeAll(async () => {
  app = await startTestRuntime({ SUPPORT_EMAIL: SUPPORT.email });
});
afterAll(async () => {
  await app?.dispose();
});

describe('the support contact on manual frames', () => {
  it('comes with every manual frame of the product on v5, and in a resumed hello', async () => {
    const client = await TestClient.connect(`${app.wsUrl}?protocol=5`);
    await client.next('hello');
    client.send({ type: 'select', productId: TR8S });
    expect(await client.next('manual')).toMatchObject({ productId: TR8S, support: SUPPORT });
    const { sessionId } = await client.next('session');
    client.close();

    const again = await TestClient.connect(`${app.wsUrl}?protocol=5`);
    again.send({ type: 'resume', sessionId });
    const hello = await again.next('hello', (h) => h.resumed === true);
    expect(hello.manual).toMatchObject({ productId: TR8S, support: SUPPORT });
    again.close();
  });

  it('is left out for a v4 client', async () => {
    const client = await TestClient.connect(app.wsUrl);
    await client.next('hello');
    client.send({ type: 'select', productId: TR8S });
    const manual = await client.next('manual');
    expect(manual.productId).toBe(TR8S);
    expect(manual).not.toHaveProperty('support');
    client.close();
  });
});
