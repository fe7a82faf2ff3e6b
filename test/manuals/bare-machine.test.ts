/**
 * A bare machine: no poppler-utils, so no `pdftotext` on PATH. The gateway (embedded defaults, as
 * `npm ci && npm start` runs it) falls back to pdf.js in a child process, says so once in the log and
 * in /readyz, and still turns a selected product into a ready manual and a cited answer.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnApp, type AppProcess } from '../helpers/app-process.js';
import { TestClient } from '../helpers/ws-client.js';

let app: AppProcess;
let emptyBin: string;

beforeAll(async () => {
  emptyBin = await mkdtemp(join(tmpdir(), 'hsc-jit-bare-path-'));
  app = await spawnApp({ PATH: emptyBin });
});

afterAll(async () => {
  app?.child.kill('SIGKILL');
  await rm(emptyBin, { recursive: true, force: true });
});

describe('a machine without pdftotext', () => {
  it('reads manuals with pdf.js, says so once, and answers with a citation', async () => {
    const said = app.logs.filter((l) => typeof l.msg === 'string' && l.msg.startsWith('manual text extractor'));
    expect(said).toHaveLength(1);
    expect(said[0]).toMatchObject({ extractor: 'pdfjs' });
    const ready = (await (await fetch(`${app.url}/readyz`)).json()) as { details?: Record<string, string> };
    expect(ready.details).toEqual({ extractor: 'pdfjs' });

    const client = await TestClient.connect(app.wsUrl);
    await client.next('hello');
    client.send({ type: 'select', productId: 'roland_87-tr8s' });
    expect(await client.next('manual', (m) => m.status === 'ready' || m.status === 'failed', 60_000)).toMatchObject({
      status: 'ready',
      pages: 7,
    });
    client.send({
      type: 'ask',
      id: 'q1',
      productId: 'roland_87-tr8s',
      question: 'How do I restore the factory settings?',
    });
    const done = await client.next('answer_done', (d) => d.id === 'q1', 30_000);
    expect(done.citations.length).toBeGreaterThan(0);
    expect(done.citations[0]?.page).toBe(5);
    client.close();
  });
});
