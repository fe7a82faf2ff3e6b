/**
 * Issue 12, "what must be shown": a manual host that sends malformed redirects, header floods, endless
 * bodies, false or contradictory lengths and broken chunked encoding. As deployed (a gateway and a
 * separate worker process on Postgres and Redis) and embedded (one process that runs its own jobs):
 * every manual ends `failed` with a reason, and every process stays up and keeps answering.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startPostgres,
  startRedis,
  tempDir,
  type PostgresInstance,
  type RedisInstance,
  type TempDir,
} from '../harness/index.js';
import { spawnApp, type AppProcess } from '../helpers/app-process.js';
import { TestClient } from '../helpers/ws-client.js';
import { HOSTILE_PATHS, startHostileHost, type HostileHost } from './helpers/hostile-host.js';

let host: HostileHost;
let pg: PostgresInstance;
let redis: RedisInstance;
let dir: TempDir;
const processes: AppProcess[] = [];
const topologies: Record<string, { gateway: AppProcess; others: AppProcess[] }> = {};

const productIdOf = (path: string) => `hostile-${path.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-pdf$/g, '')}`;

beforeAll(async () => {
  [host, pg, redis, dir] = await Promise.all([startHostileHost(), startPostgres(), startRedis(), tempDir('hostile')]);
  const catalogFile = join(dir.path, 'catalog.json');
  await writeFile(
    catalogFile,
    JSON.stringify([
      { id: 'p-ok', brand: 'Roland', name: 'Roland TR-8S Rhythm Performer', category: 'x' },
      ...Object.keys(HOSTILE_PATHS).map((path) => ({
        id: productIdOf(path),
        brand: 'Hostile',
        name: `Hostile ${path}`,
        category: 'x',
        manualUrl: `${host.base}${path}`,
      })),
    ]),
  );
  const common = {
    CATALOG_FILE: catalogFile,
    DEMO_MANUALS: 'false',
    MANUAL_HOSTS: new URL(host.base).host,
    MANUAL_MAX_BYTES: String(1024 * 1024),
    MANUAL_JOB_ATTEMPTS: '2',
  };
  const deployed = { ...common, DATABASE_URL: await pg.createDatabase('hostile'), REDIS_URL: redis.url };
  const [gateway, worker, embedded] = await Promise.all([
    spawnApp(deployed),
    spawnApp(deployed, 'app/worker.ts', 'worker running'),
    spawnApp(common),
  ]);
  processes.push(gateway, worker, embedded);
  topologies.deployed = { gateway, others: [worker] };
  topologies.embedded = { gateway: embedded, others: [] };
});

afterAll(async () => {
  for (const p of processes) p.child.kill('SIGKILL');
  await Promise.allSettled([host?.close(), pg?.stop(), redis?.stop(), dir?.remove()]);
});

describe.each(['deployed', 'embedded'])('a hostile manual host, %s', (topology) => {
  it('ends every manual failed with a reason, and no process goes down', async () => {
    const { gateway, others } = topologies[topology]!;
    const client = await TestClient.connect(gateway.wsUrl);
    await client.next('hello');
    const failures: Record<string, string | undefined> = {};
    for (const path of Object.keys(HOSTILE_PATHS)) {
      const productId = productIdOf(path);
      client.send({ type: 'select', productId });
      const final = await client.next(
        'manual',
        (m) => m.productId === productId && (m.status === 'failed' || m.status === 'ready'),
        60_000,
      );
      failures[path] = final.status === 'failed' ? final.error : `unexpectedly ${final.status}`;
    }
    console.log(JSON.stringify({ topology, failures }, null, 1));
    for (const [path, reason] of Object.entries(failures)) {
      expect(reason, path).toMatch(/manual|server|redirect|download|limit|URL|allowed/i);
      expect(reason, path).not.toMatch(/unexpectedly|unexpected error/);
    }
    for (const p of [gateway, ...others]) expect(p.child.exitCode).toBeNull();
    expect(processes.every((p) => p.child.exitCode === null)).toBe(true);
    expect((await fetch(`${gateway.url}/livez`)).status).toBe(200);
    client.send({ type: 'typing', seq: 1, text: 'roland tr8s' });
    expect((await client.next('prediction')).items[0]?.productId).toBe('p-ok');
    const guard = gateway.logs.filter((l) => /uncaught exception|unhandled promise rejection/.test(String(l.msg)));
    expect(guard).toEqual([]);
    client.close();
  });
});
