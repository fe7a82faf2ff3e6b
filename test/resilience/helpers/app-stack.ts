/** Starting the real gateway and worker processes for a drill, and bringing a demo manual to `ready` first. */
import { spawnApp, type AppProcess } from '../../helpers/app-process.js';
import { TestClient } from '../../helpers/ws-client.js';
import type { ServerFrame } from '../../../app/shared/protocol.js';

/** Demo products (DEMO_MANUALS=true) that have a bundled manual. */
export const DEMO_PRODUCTS = {
  tr8s: 'roland_87-tr8s',
  sq5: 'allen_heath_40_sq5',
  mpcLive2: 'akai_professional_55_mpclive2',
  mcasterLive: 'mackie_60_mcasterlive',
  spdsx: 'roland_87-spdsx',
} as const;

/** What a user types on the way to a demo product: every keystroke gets a prediction. */
export const TYPING_TEXTS = [
  'r',
  'ro',
  'rol',
  'rola',
  'roland',
  'roland t',
  'roland tr',
  'roland tr8',
  'roland tr8s',
  'allen',
  'allen heath sq',
  'allen heath sq5',
];

export function spawnGateway(env: Record<string, string>): Promise<AppProcess> {
  return spawnApp({ DEMO_MANUALS: 'true', ...env });
}

/** The BullMQ worker; without PUBLIC_URL it reads the demo manuals from its own bundle. */
export async function spawnWorker(env: Record<string, string>): Promise<AppProcess> {
  return spawnApp({ DEMO_MANUALS: 'true', ...env }, 'app/worker.ts', 'worker running');
}

/** Asks once about the product, which fetches and indexes its manual, and waits for the answer. */
export async function prepareManual(wsUrl: string, productId: string, timeoutMs = 60_000): Promise<void> {
  const client = await TestClient.connect(wsUrl);
  try {
    await client.next('hello');
    client.send({ type: 'ask', id: 'prepare', productId, question: 'how do I restore the factory settings' });
    const outcome = await answerOf(client, 'prepare', timeoutMs);
    if (outcome.type === 'error')
      throw new Error(`preparing the manual of ${productId} failed: ${outcome.code} ${outcome.message}`);
  } finally {
    client.close();
  }
}

/** The ask's outcome: its answer_done, or the error frame that refers to it. */
export async function answerOf(
  client: TestClient,
  askId: string,
  timeoutMs: number,
): Promise<Extract<ServerFrame, { type: 'answer_done' | 'error' }>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const outcome = client.frames.find(
      (f): f is Extract<ServerFrame, { type: 'answer_done' | 'error' }> =>
        (f.type === 'answer_done' && f.id === askId) || (f.type === 'error' && f.ref === askId),
    );
    if (outcome) return outcome;
    if (client.closed || Date.now() > deadline)
      throw new Error(`no answer_done or error for ask ${askId} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export async function killAll(apps: readonly (AppProcess | undefined)[]): Promise<void> {
  await Promise.all(
    apps.map(async (app) => {
      if (!app || app.child.exitCode !== null || app.child.signalCode !== null) return;
      app.child.kill('SIGKILL');
      await app.exited;
    }),
  );
}
