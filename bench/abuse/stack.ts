/**
 * The deployed shape the abuse drill attacks: a gateway and a worker as real processes on real
 * Postgres and Redis (the harness), a catalog with demo products and hundreds of slow manuals, and a
 * manual host whose slow and failing paths count the downloads they receive, and whose `held` manual
 * is answered (with a real PDF) only when a scenario releases it. The manual host is named to the
 * worker as `127.0.0.1:<port>` (MANUAL_HOSTS), and also serves a manual with hostile Markdown and
 * redirects to other ports of its host: the gateway's internal listener, and a spy that counts what
 * reaches it. The gateway trusts one proxy hop (`X-Forwarded-For`), so a scenario can speak for many
 * client addresses, and has an admin token.
 */
import { writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { PostgresInstance, RedisInstance, TempDir } from '../../test/harness/index.js';
import { startPostgres, startRedis, tempDir } from '../../test/harness/index.js';
import { spawnApp, type AppProcess } from '../../test/helpers/app-process.js';
import { readDemoManifest, readDemoManual } from '../../app/core/manuals/demo/manifest.js';
import { bombPdf } from '../../test/manuals/helpers/bomb-pdf.js';
import { hostileManualPdf, hostileProduct } from '../../test/web/helpers/hostile-manual.js';

/** Demo products (bundled manuals): each scenario that needs a fresh one takes its own. */
export const DEMO_PRODUCTS = {
  tr8s: 'roland_87-tr8s',
  sq5: 'allen_heath_40_sq5',
} as const;
export const SLOW_PRODUCTS = 300;
/** How long a slow manual's host takes before it answers (404): the manuals took 12 s each. */
export const SLOW_MANUAL_MS = 12_000;
/** A product whose manual download waits until `releaseHeldManual()`. */
export const HELD_PRODUCT = 'held';
/**
 * Decompression-bomb manuals (finding 4), by product id: pages sharing one compressed content stream.
 * The two: 472 KB → 3,000 pages (33,000 chunks) and 741 KB → 4,700 pages (51,700 chunks),
 * written at those sizes (test/manuals/helpers/bomb-pdf.ts measures them).
 */
export const BOMB_PRODUCTS = { 'bomb-3000': 3_000, 'bomb-4700': 4_700 } as const;
/** A plain manual on the listed port (finding 8: a `host:port` entry that works). */
export const LISTED_PORT_PRODUCT = 'listed-port';
/** Manuals whose host redirects to another port of itself: the gateway's internal listener, the spy. */
export const REDIRECT_PRODUCTS = { internal: 'to-internal-listener', spy: 'to-other-port' } as const;
export const ADMIN_TOKEN = 'abuse-drill-admin-token-0123456789abcdef';

export interface AbuseStack {
  gateway: AppProcess;
  worker: AppProcess;
  /** The gateway's internal listener (/metrics). */
  internalUrl: string;
  /** Requests the manual host received, by path kind; `spy`: requests that reached the other port. */
  downloads: { slow: number; gone: number; spy: number };
  /** The worker's environment (MANUAL_HOSTS names the manual host as `127.0.0.1:<port>`). */
  workerEnv: Record<string, string>;
  /** Each bomb manual's size in bytes, by product id. */
  bombBytes: Record<string, number>;
  /** The shared Postgres (sessions, conversations, audit). */
  databaseUrl: string;
  /** Answers the held manual's download(s) with a real PDF, now and from now on. */
  releaseHeldManual(): void;
  /** A metric's value from the gateway's /metrics (summed over the series matching `labels`). */
  metric(name: string, labels?: Record<string, string>): Promise<number>;
  stop(): Promise<void>;
}

export async function startAbuseStack(): Promise<AbuseStack> {
  const downloads = { slow: 0, gone: 0, spy: 0 };
  const holds = new Set<NodeJS.Timeout>();
  const demo = (await readDemoManifest()).manuals[0]!;
  const heldPdf = await readDemoManual(demo);
  let held: Array<() => void> | undefined = [];
  const bombs = new Map(
    Object.entries(BOMB_PRODUCTS).map(([id, pages]) => [
      `/${id}.pdf`,
      bombPdf({ pages, linesPerPage: 100, resourcesPerPage: true }),
    ]),
  );
  const hostilePdf = await hostileManualPdf();
  // Another port of the manual host's address, serving a real manual: a redirect followed there would
  // make the manual ready. Only the count should move, and it should not.
  const spy: Server = createServer((_req, res) => {
    downloads.spy += 1;
    res.writeHead(200, { 'content-type': 'application/pdf' }).end(heldPdf);
  });
  await new Promise<void>((resolve) => spy.listen(0, '127.0.0.1', resolve));
  const spyUrl = `http://127.0.0.1:${(spy.address() as AddressInfo).port}/manual.pdf`;
  let internalUrl = '';
  const host: Server = createServer((req, res) => {
    const path = req.url ?? '';
    if (path === '/listed-port.pdf') {
      res.writeHead(200, { 'content-type': 'application/pdf' }).end(heldPdf);
      return;
    }
    if (path === '/portal-7.pdf') {
      res.writeHead(200, { 'content-type': 'application/pdf' }).end(hostilePdf);
      return;
    }
    if (path === `/${REDIRECT_PRODUCTS.internal}.pdf`) {
      res.writeHead(302, { location: `${internalUrl}/metrics` }).end();
      return;
    }
    if (path === `/${REDIRECT_PRODUCTS.spy}.pdf`) {
      res.writeHead(302, { location: spyUrl }).end();
      return;
    }
    if (path === '/held.pdf') {
      const answer = () => res.writeHead(200, { 'content-type': 'application/pdf' }).end(heldPdf);
      if (held) held.push(answer);
      else answer();
      return;
    }
    const bomb = bombs.get(path);
    if (bomb) {
      res.writeHead(200, { 'content-type': 'application/pdf' }).end(bomb);
      return;
    }
    if (path.startsWith('/slow/')) {
      downloads.slow += 1;
      const timer = setTimeout(() => {
        holds.delete(timer);
        res.writeHead(404).end();
      }, SLOW_MANUAL_MS);
      holds.add(timer);
      return;
    }
    if (path === '/gone.pdf') downloads.gone += 1;
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => host.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(host.address() as AddressInfo).port}`;

  let pg: PostgresInstance | undefined;
  let redis: RedisInstance | undefined;
  let dir: TempDir | undefined;
  let gateway: AppProcess | undefined;
  let worker: AppProcess | undefined;
  const stop = async () => {
    for (const app of [gateway, worker]) {
      if (app && app.child.exitCode === null && app.child.signalCode === null) {
        app.child.kill('SIGKILL');
        await app.exited;
      }
    }
    for (const timer of holds) clearTimeout(timer);
    held = undefined;
    for (const server of [host, spy]) {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
    await Promise.allSettled([pg?.stop(), redis?.stop(), dir?.remove()]);
  };
  try {
    [pg, redis, dir] = await Promise.all([startPostgres(), startRedis(), tempDir('abuse-drill')]);
    const catalogFile = join(dir.path, 'catalog.json');
    await writeFile(
      catalogFile,
      JSON.stringify([
        { id: DEMO_PRODUCTS.tr8s, brand: 'Roland', name: 'TR-8S Rhythm Performer', category: 'drum machines' },
        { id: DEMO_PRODUCTS.sq5, brand: 'Allen & Heath', name: 'SQ-5 Digital Mixer', category: 'mixers' },
        ...Array.from({ length: SLOW_PRODUCTS }, (_, i) => ({
          id: `slow-${i}`,
          brand: 'Slowhost',
          name: `Slow manual ${i}`,
          category: 'x',
          manualUrl: `${base}/slow/${i}.pdf`,
        })),
        { id: 'gone', brand: 'Gonehost', name: 'Gone manual', category: 'x', manualUrl: `${base}/gone.pdf` },
        { id: HELD_PRODUCT, brand: 'Heldhost', name: 'Held manual', category: 'x', manualUrl: `${base}/held.pdf` },
        hostileProduct(base),
        ...[LISTED_PORT_PRODUCT, ...Object.values(REDIRECT_PRODUCTS)].map((id) => ({
          id,
          brand: 'Porthost',
          name: `Port manual ${id}`,
          category: 'x',
          manualUrl: `${base}/${id}.pdf`,
        })),
        ...Object.keys(BOMB_PRODUCTS).map((id) => ({
          id,
          brand: 'Bombhost',
          name: `Bomb manual ${id}`,
          category: 'x',
          manualUrl: `${base}/${id}.pdf`,
        })),
      ]),
    );
    const env = {
      DATABASE_URL: await pg.createDatabase('hsc'),
      REDIS_URL: redis.url,
      CATALOG_FILE: catalogFile,
      DEMO_MANUALS: 'true',
      LOG_LEVEL: 'warn',
      ADMIN_TOKEN,
      TRUST_PROXY: '1',
    };
    const databaseUrl = env.DATABASE_URL;
    gateway = await spawnApp({ ...env, LOG_LEVEL: 'info' });
    const listening = gateway.logs.find((l) => l.msg === 'gateway listening');
    internalUrl = String(listening?.internal ?? '');
    const workerEnv = { ...env, LOG_LEVEL: 'info', PUBLIC_URL: gateway.url, MANUAL_HOSTS: new URL(base).host };
    worker = await spawnApp(workerEnv, 'app/worker.ts', 'worker running');
    return {
      gateway,
      worker,
      internalUrl,
      downloads,
      workerEnv,
      bombBytes: Object.fromEntries([...bombs].map(([path, pdf]) => [path.slice(1, -'.pdf'.length), pdf.length])),
      databaseUrl,
      releaseHeldManual() {
        const waiting = held ?? [];
        held = undefined;
        for (const answer of waiting) answer();
      },
      async metric(name, labels = {}) {
        const text = await (await fetch(`${internalUrl}/metrics`)).text();
        let sum = 0;
        for (const line of text.split('\n')) {
          const match = new RegExp(`^${name}(\\{[^}]*\\})? (\\S+)$`).exec(line);
          if (!match) continue;
          const set = match[1] ?? '';
          if (Object.entries(labels).every(([k, v]) => set.includes(`${k}="${v}"`))) sum += Number(match[2]);
        }
        return sum;
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
