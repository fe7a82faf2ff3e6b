/**
 * deploy/compose.yaml brought up for real with Docker Compose, on the images built from the real
 * Dockerfiles and local stand-ins for its third-party images (Postgres and Redis from Debian's packages),
 * tagged with the names compose.yaml pulls, so the file runs as written. Debian's docker-compose (1.29)
 * predates the top-level `name:`; it gets the same file without that line, and the name as `-p`.
 * Then the golden path through the web container's nginx, and the gateway killed mid-session.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { docker, ensureLocalBases, run } from '../../scripts/local-bases.js';
import { repoRoot } from '../../platform/render/synth.js';
import { tempDir, waitFor, type TempDir } from '../harness/index.js';
import { TestClient } from '../helpers/ws-client.js';
import { buildDrillImages } from './helpers/build.js';
import { ensureEngine, type Engine } from './helpers/engine.js';

const composeFile = join(repoRoot, 'deploy/compose.yaml');
const composeText = readFileSync(composeFile, 'utf8');
const compose = parse(composeText) as { name: string; services: Record<string, { image: string; ports?: string[] }> };
const hostPort = (service: string) => Number(compose.services[service]!.ports![0]!.split(':')[1]);
const web = `127.0.0.1:${hostPort('web')}`;

let engine: Engine;
let scratch: TempDir;
let copy: string;

function composeCmd(...args: string[]): Promise<string> {
  return run('docker-compose', [
    '-p',
    compose.name,
    '--project-directory',
    join(repoRoot, 'deploy'),
    '-f',
    copy,
    ...args,
  ]);
}

beforeAll(async () => {
  engine = await ensureEngine();
  const { bases } = await ensureLocalBases();
  const images = await buildDrillImages(bases);
  const standIns: Record<string, string> = {
    gateway: images.gateway.tag,
    worker: images.worker.tag,
    web: images.web.tag,
    postgres: bases.postgres,
    redis: bases.redis,
  };
  expect(Object.keys(compose.services).sort()).toEqual(Object.keys(standIns).sort());
  for (const [service, source] of Object.entries(standIns)) {
    await run(docker(), ['tag', source, compose.services[service]!.image]);
  }
  scratch = await tempDir('compose');
  copy = join(scratch.path, 'compose.yaml');
  writeFileSync(copy, composeText.replace(/^name: .*\n/m, ''));
  await composeCmd('down', '-v', '--remove-orphans').catch(() => '');
  await composeCmd('up', '-d', '--no-build');
}, 3_600_000);

afterAll(async () => {
  if (copy) {
    const logs = await composeCmd('logs', '--no-color', '--tail', '40').catch(String);
    console.log(`compose logs (last lines):\n${logs.slice(-6000)}`);
    await composeCmd('down', '-v', '--remove-orphans').catch(() => '');
  }
  await scratch?.remove();
  await engine?.stop();
  // No limit of its own: pruning vfs layers outlasted 180 s at load 40; the drill's hookTimeout applies.
});

describe('deploy/compose.yaml', () => {
  it('is run as written: the copy differs only by the top-level name, given as the project name', () => {
    const original = composeText.split('\n');
    const copied = readFileSync(copy, 'utf8').split('\n');
    expect(original.filter((line) => !/^name: /.test(line))).toEqual(copied);
    expect(original).toContain(`name: ${compose.name}`);
  });

  it('golden path through the web nginx: UI, misspelled prediction, demo manual ready in the worker, cited answer, PDF; the gateway killed mid-session and the client resumes', async () => {
    await waitFor(async () => (await fetch(`http://${web}/healthz`)).ok, { what: 'web', timeoutMs: 120_000 });
    const page = await fetch(`http://${web}/`);
    expect(page.status).toBe(200);
    const html = await page.text();
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(script, html).toBeDefined();
    expect((await fetch(`http://${web}${script}`)).status).toBe(200);

    const client = await TestClient.connect(`ws://${web}/ws`);
    const hello = await client.next('hello', () => true, 30_000);
    client.send({ type: 'typing', seq: 1, text: 'rolnd tr8s' });
    const prediction = await client.next('prediction', () => true, 15_000);
    const productId = prediction.items[0]!.productId;
    expect(productId).toBe('roland_87-tr8s');
    client.send({ type: 'select', productId });
    // Fetched, extracted (pdftotext in the worker image) and indexed by the worker container.
    await client.next('manual', (m) => m.productId === productId && m.status === 'ready', 120_000);

    client.send({ type: 'ask', id: 'q1', productId, question: 'How do I restore the factory settings?' });
    const done = await client.next('answer_done', (d) => d.id === 'q1', 60_000);
    const chunks = client.frames.filter((f) => f.type === 'answer_chunk' && f.id === 'q1');
    expect(chunks.length).toBeGreaterThan(0);
    expect(done.citations.length).toBeGreaterThan(0);
    // The citation's link, as the UI builds it (app/web/src/format.ts): the PDF, through the web nginx.
    const pdf = await fetch(`http://${web}/manuals/${encodeURIComponent(productId)}.pdf`);
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toMatch(/^application\/pdf/);
    expect(
      Buffer.from(await pdf.arrayBuffer())
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-');

    const gateway = (await composeCmd('ps', '-q', 'gateway')).trim();
    await run(docker(), ['kill', gateway]);
    await client.waitClosed(15_000);
    await composeCmd('start', 'gateway');

    let resumed: TestClient | undefined;
    await waitFor(
      async () => {
        resumed = await TestClient.connect(`ws://${web}/ws`);
        return true;
      },
      { what: 'the gateway back behind the web nginx', timeoutMs: 120_000, intervalMs: 1_000 },
    );
    await resumed!.next('hello', () => true, 30_000);
    resumed!.send({ type: 'resume', sessionId: hello.sessionId! });
    const back = await resumed!.next('hello', (h) => h.resumed === true, 30_000);
    expect(back).toMatchObject({ sessionId: hello.sessionId, productId });
    const history = await resumed!.next('history', () => true, 30_000);
    expect(history.turns.map((t) => t.id)).toContain('q1');
    resumed!.socket.close();
  });
});
