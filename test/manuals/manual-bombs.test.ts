/**
 * Issue #24, finding 4: a decompression-bomb PDF (a few hundred kilobytes whose 2,000 pages share one
 * compressed content stream: 12 MB of text, 22,000 chunks unbounded) on the embedded stack, where one
 * PGlite connection serves everyone. Another customer asks about a ready manual before the bomb (the
 * control) and while it is processed, in the same run. The bomb must end within its bounds (failed with
 * a reason the customer reads, or indexed within them), and the other customer's slowest asks during it
 * must stay within a ratio of the control's. Before the bounds, the chunking on the main thread and the
 * one-transaction replace held every ask for seconds.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir, type TempDir } from '../harness/index.js';
import { startTestRuntime, type TestRuntime } from '../helpers/runtime.js';
import { TestClient } from '../helpers/ws-client.js';
import { bombPdf } from './helpers/bomb-pdf.js';

const DEMO = 'roland_87-tr8s';
const BOMB = 'bomb';
const CONTROL_ASKS = 12;
/** The slowest ask while the bomb is processed, against the slowest of the control (a p99 of so few asks). */
const MAX_RATIO = 5;

let host: Server;
let dir: TempDir;
let app: TestRuntime;
const bomb = bombPdf({ pages: 2_000, linesPerPage: 100 });

beforeAll(async () => {
  host = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/pdf' }).end(bomb));
  await new Promise<void>((resolve) => host.listen(0, '127.0.0.1', resolve));
  const port = (host.address() as AddressInfo).port;
  dir = await tempDir('manual-bombs');
  const catalogFile = join(dir.path, 'catalog.json');
  await writeFile(
    catalogFile,
    JSON.stringify([
      { id: DEMO, brand: 'Roland', name: 'TR-8S Rhythm Performer', category: 'drum machines' },
      { id: BOMB, brand: 'Bomb', name: 'Bomb manual', category: 'x', manualUrl: `http://127.0.0.1:${port}/bomb.pdf` },
    ]),
  );
  app = await startTestRuntime({ CATALOG_FILE: catalogFile, DEMO_MANUALS: 'true', MANUAL_HOSTS: `127.0.0.1:${port}` });
}, 300_000);

afterAll(async () => {
  await app?.dispose();
  host?.closeAllConnections();
  await new Promise((resolve) => host?.close(resolve));
  await dir?.remove();
});

let asked = 0;
/** One question (a new one each time: a cached answer would not touch the database), timed to its end. */
async function timedAsk(client: TestClient): Promise<number> {
  asked += 1;
  const id = `q${asked}`;
  const started = performance.now();
  client.send({ type: 'ask', id, productId: DEMO, question: `How do I set the tempo of pattern ${asked}?` });
  await client.next('answer_done', (d) => d.id === id, 120_000);
  return performance.now() - started;
}

describe('a decompression-bomb manual', () => {
  it('ends within its bounds while other customers are answered as fast as without it', async () => {
    const customer = await TestClient.connect(app.wsUrl);
    const attacker = await TestClient.connect(app.wsUrl);
    try {
      await Promise.all([customer.next('hello'), attacker.next('hello')]);
      customer.send({ type: 'select', productId: DEMO });
      await customer.next('manual', (m) => m.productId === DEMO && m.status === 'ready', 60_000);
      await timedAsk(customer); // warm-up: the first ask loads what every later one shares

      const control: number[] = [];
      for (let i = 0; i < CONTROL_ASKS; i += 1) control.push(await timedAsk(customer));

      attacker.send({ type: 'select', productId: BOMB });
      let settled = false;
      const final = attacker
        .next('manual', (m) => m.productId === BOMB && (m.status === 'ready' || m.status === 'failed'), 240_000)
        .finally(() => {
          settled = true;
        });
      const during: number[] = [];
      while (!settled) during.push(await timedAsk(customer));
      const outcome = await final;

      const slowest = (times: number[]) => Math.max(...times);
      console.log('manual bomb', {
        bombBytes: bomb.length,
        outcome: outcome.status,
        error: outcome.error,
        pages: outcome.pages,
        controlMaxMs: Math.round(slowest(control)),
        duringMaxMs: Math.round(slowest(during)),
        asksDuring: during.length,
      });
      if (outcome.status === 'failed') expect(outcome.error).toMatch(/refused/);
      // Within its bounds if indexed: at most 1,000 pages per MiB of PDF, counted as at least 1 MiB.
      else expect(outcome.pages).toBeLessThanOrEqual(1_000);
      expect(during.length).toBeGreaterThanOrEqual(3);
      expect(slowest(during)).toBeLessThanOrEqual(MAX_RATIO * slowest(control));
    } finally {
      customer.close();
      attacker.close();
    }
  });
});
