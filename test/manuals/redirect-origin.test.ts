/**
 * Issue 12 finding 7: the gateway trusted its own host for demo manuals whatever the port, so a manual
 * host could redirect the fetcher to any port of it, and the manual frame's error (ECONNREFUSED vs
 * ECONNRESET) told which ports listen. Only the exact demo origin is trusted now, and a failed
 * connection reads the same whatever the socket said.
 */
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createTcpServer, type Server as TcpServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readDemoManifest } from '../../app/core/manuals/demo/manifest.js';
import { freePort, tempDir, type TempDir } from '../harness/index.js';
import { startTestRuntime, type TestRuntime } from '../helpers/runtime.js';
import { TestClient } from '../helpers/ws-client.js';

let app: TestRuntime;
let manualHost: Server;
let resetter: TcpServer;
let dir: TempDir;
let closedPort: number;
let resettingPort: number;
let demoFile: string;

beforeAll(async () => {
  demoFile = (await readDemoManifest()).manuals[0]!.file;
  closedPort = await freePort(); // nothing listens here
  // Something listens here and drops every connection at once: ECONNRESET, "the port is open".
  resetter = createTcpServer((socket) => socket.resetAndDestroy());
  await new Promise<void>((resolve) => resetter.listen(0, '127.0.0.1', resolve));
  resettingPort = (resetter.address() as AddressInfo).port;
  // The hostile manual host, reached by name (MANUAL_HOSTS trusts "localhost" on its port, not 127.0.0.1).
  manualHost = createHttpServer((req, res) => {
    const to: Record<string, string> = {
      '/to-closed.pdf': `http://127.0.0.1:${closedPort}/manual.pdf`,
      '/to-open.pdf': `http://127.0.0.1:${resettingPort}/manual.pdf`,
      '/to-demo.pdf': `${app.url}/demo/manuals/${demoFile}`,
    };
    const location = to[req.url ?? ''];
    if (location) res.writeHead(302, { location }).end();
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => manualHost.listen(0, resolve));
  const { port } = manualHost.address() as AddressInfo;
  const base = `http://localhost:${port}`;
  dir = await tempDir('redirect-origin');
  const catalogFile = join(dir.path, 'catalog.json');
  const product = (id: string, path: string) => ({
    id,
    brand: 'Roland',
    name: `Roland ${id}`,
    category: 'x',
    manualUrl: `${base}${path}`,
  });
  await writeFile(
    catalogFile,
    JSON.stringify([
      product('to-closed', '/to-closed.pdf'),
      product('to-open', '/to-open.pdf'),
      product('to-demo', '/to-demo.pdf'),
    ]),
  );
  app = await startTestRuntime({
    CATALOG_FILE: catalogFile,
    MANUAL_HOSTS: `localhost:${port}`,
    MANUAL_JOB_ATTEMPTS: '1',
  });
});
afterAll(async () => {
  await app?.dispose();
  manualHost?.close();
  resetter?.close();
  await dir?.remove();
});

async function manualOutcome(productId: string) {
  const client = await TestClient.connect(app.wsUrl);
  await client.next('hello');
  client.send({ type: 'select', productId });
  const final = await client.next('manual', (m) => m.status === 'failed' || m.status === 'ready', 30_000);
  client.close();
  return final;
}

describe('manual redirects to the gateway host', () => {
  it('are refused on any port but the demo origin, with one message whether the port is open or closed', async () => {
    const [closed, open] = await Promise.all([manualOutcome('to-closed'), manualOutcome('to-open')]);
    console.log(JSON.stringify({ closed: closed.error, open: open.error }));
    for (const outcome of [closed, open]) {
      expect(outcome.status).toBe('failed');
      expect(outcome.error).toMatch(/not an allowed manual host/);
      expect(outcome.error).not.toMatch(/ECONN|EHOST|ETIMEDOUT|refused|reset/i);
    }
    expect(open.error!.replace(String(resettingPort), 'PORT')).toBe(closed.error!.replace(String(closedPort), 'PORT'));
  });

  it('still follows a redirect to the exact demo origin', async () => {
    expect(await manualOutcome('to-demo')).toMatchObject({ status: 'ready' });
  });
});
