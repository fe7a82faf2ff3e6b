/**
 * The image drill: the real Dockerfiles built on local bases (Debian's packages, Node from the npm
 * registry), then each image run as the dev stack's pods run it, with the rendered security context,
 * limits, args and env. Substituted, and only these: the data stores (the harness's Postgres and Redis
 * Sentinel on loopback, without Redis auth), the Secrets' values, and free host ports.
 * `npm run test:images`; figures (build times, sizes, time to ready, idle RSS) are printed.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { chmod } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docker, ensureLocalBases, run, type BaseTimings, type LocalBases } from '../../scripts/local-bases.js';
import { repoRoot } from '../../platform/render/synth.js';
import { synthObjects, type KubeObject } from '../../platform/render/build-stack.js';
import { stacks } from '../../platform/render/stacks.js';
import {
  CertificateDir,
  freePort,
  startPostgres,
  tempDir,
  startRedisSentinel,
  waitFor,
  type PostgresInstance,
  type SentinelCluster,
  type TempDir,
} from '../harness/index.js';
import { TestClient } from '../helpers/ws-client.js';
import { buildDrillImages, type BuiltImage, type DrillImage } from './helpers/build.js';
import { ensureEngine, type Engine } from './helpers/engine.js';
import {
  childPids,
  cmdline,
  devPod,
  namespacePid,
  podEnv,
  rssMiB,
  runFlags,
  runPod,
  type PodSpec,
  type RunningContainer,
  type Substitutions,
  writesOutsideMounts,
} from './helpers/pod.js';

/**
 * The gateway as docker/app.Dockerfile built it before this drill (tsx, hand-pruned dependencies, npm and
 * node headers kept), on the same local base: 525 MB (690 MB on an untrimmed debootstrap base, issue 18).
 */
const GATEWAY_BEFORE_MB = 525;

let engine: Engine;
let bases: LocalBases;
let baseTimings: BaseTimings;
let images: Record<DrillImage, BuiltImage>;
let postgres: PostgresInstance;
let certDir: TempDir;
let certs: CertificateDir;
let redis: SentinelCluster;
const figures: Record<string, unknown> = {};

const dev = synthObjects(stacks.dev).topology;
const masterName = podEnvValue(devPod('gateway'), 'REDIS_MASTER_NAME');

function podEnvValue(pod: PodSpec, name: string): string {
  return pod.containers[0]!.env.find((e) => e.name === name)!.value!;
}

/** What the drill substitutes in every app pod's env: the data stores here, drill Secrets, and ports. */
function substitutions(ports: Record<string, string>): Substitutions {
  const pgUrl = (rendered: string) => rendered.replace(/@[^/]+\//, `@${postgres.host}:${postgres.port}/`);
  const gateway = devPod('gateway').containers[0]!;
  const rendered = (name: string) => gateway.env.find((e) => e.name === name)?.value;
  // A stack with one Postgres instance renders no replica URL (its -ro Service has no endpoints).
  const replica = rendered('DATABASE_REPLICA_URL');
  return {
    env: {
      DATABASE_URL: pgUrl(rendered('DATABASE_URL')!),
      ...(replica ? { DATABASE_REPLICA_URL: pgUrl(replica) } : {}),
      REDIS_SENTINELS: redis.sentinels.map((s) => `127.0.0.1:${s.port}`).join(','),
      ...ports,
    },
    secrets: {
      'postgres-app/password': 'drill', // trust auth on the harness's Postgres: sent, not checked
      // The harness's Redis has no password: the app would fail AUTH against it, so none is set.
      'hsc-jit-redis/password': undefined,
      'hsc-jit-redis/sentinel-password': undefined,
      'hsc-jit-admin/token': 'drill-admin-token-0123456789-abcdefghijklmnop',
    },
    // The operator's CA, as the pods mount it: the harness's Postgres serves a certificate it signed.
    secretFiles: { [`${databaseCa.secretName}/${databaseCa.key}`]: certs.file('ca.crt') },
  };
}

/** The Secret volume that holds the database CA in the dev pods, and its one key. */
const databaseCa = (() => {
  const volume = devPod('gateway').volumes.find((v) => v.secret?.items?.some((i) => i.path.endsWith('.crt')));
  if (!volume?.secret?.items?.[0]) throw new Error('the dev gateway mounts no database CA');
  return { secretName: volume.secret.secretName, key: volume.secret.items[0].key };
})();

beforeAll(async () => {
  engine = await ensureEngine();
  ({ bases, timings: baseTimings } = await ensureLocalBases());
  images = await buildDrillImages(bases);
  // Postgres over TLS with a certificate for 127.0.0.1 signed by a throwaway CA: the pods verify it.
  certDir = await tempDir('image-drill-ca');
  await chmod(certDir.path, 0o755);
  certs = new CertificateDir(certDir.path);
  await certs.makeCa('ca');
  await certs.makeServerCert('ca', 'IP:127.0.0.1,DNS:localhost');
  await chmod(certs.file('ca.crt'), 0o644);
  postgres = await startPostgres({ conf: certs.postgresConf });
  // The dev stack's role and database, owned as CloudNativePG's bootstrap owns them.
  const database = new URL(podEnvValue(devPod('gateway'), 'DATABASE_URL'));
  await postgres.query(`CREATE ROLE ${database.username} LOGIN`);
  await postgres.query(`CREATE DATABASE ${database.pathname.slice(1)} OWNER ${database.username}`);
  redis = await startRedisSentinel({ masterName });
}, 3_600_000);

afterAll(async () => {
  console.log(
    `image drill figures (measured on a shared, loaded 2-core machine):\n${JSON.stringify(figures, null, 2)}`,
  );
  for (const name of ['drill-migrate', 'drill-gateway', 'drill-worker', 'drill-web']) {
    await run(docker(), ['rm', '-f', name]).catch(() => '');
  }
  await redis?.stop();
  await postgres?.stop();
  await certDir?.remove();
  await engine?.stop();
  // No limit of its own: pruning vfs layers outlasted 120 s at load 40; the drill's hookTimeout applies.
});

describe('the images the stacks deploy, built from the real Dockerfiles', () => {
  it('builds gateway, worker and web with only the base substituted, a third smaller than before', () => {
    figures.baseSeconds = baseTimings;
    figures.images = images;
    const deployed = dev
      .filter((o: KubeObject) => o.kind === 'Deployment')
      .map((o) => (o as unknown as { spec: { template: { spec: PodSpec } } }).spec.template.spec)
      .flatMap((spec) => (spec.containers as unknown as Array<{ image: string }>).map((c) => c.image));
    // Every image a Deployment runs is one of ours or a third-party image of the catalogue.
    for (const image of deployed.filter((i) => i.includes('/hsc-jit-'))) {
      const key = /hsc-jit-(\w+):/.exec(image)![1] as DrillImage;
      expect(images[key], image).toBeDefined();
    }
    expect(images.gateway.sizeMB).toBeLessThanOrEqual((GATEWAY_BEFORE_MB * 2) / 3);
    expect(images.web.sizeMB).toBeGreaterThan(0);
  });

  it.each(['gateway', 'worker', 'web'] as const)(
    '%s: the CA secret used by the build is in no layer and no setting of the image',
    async (key) => {
      const config = await run(docker(), ['image', 'inspect', '-f', '{{json .Config.Env}}', images[key].tag]);
      expect(config).not.toMatch(/NODE_EXTRA_CA_CERTS|CAInfo/);
      const history = await run(docker(), ['history', '--no-trunc', '--format', '{{.CreatedBy}}', images[key].tag]);
      expect(history).not.toMatch(/ca-certificates\.crt/);
      const listing = await run(docker(), [
        'run',
        '--rm',
        '--entrypoint',
        'sh',
        images[key].tag,
        '-c',
        'ls -A /run/secrets 2>/dev/null | wc -l',
      ]);
      expect(listing.trim()).toBe('0');
    },
  );

  it('the app image runs JavaScript only: no TypeScript, no transpiler, no npm', async () => {
    const listing = await run(docker(), [
      'run',
      '--rm',
      '--entrypoint',
      'sh',
      images.gateway.tag,
      '-c',
      'find /app/app -name "*.ts" | wc -l; ls /app/node_modules; command -v npm || echo no-npm',
    ]);
    const [tsFiles, ...rest] = listing.trim().split('\n');
    expect(tsFiles).toBe('0');
    expect(rest).not.toContain('tsx');
    expect(rest).not.toContain('typescript');
    expect(rest.at(-1)).toBe('no-npm');
  });
});

/** Runs a Deployment's pod as a container; returns it once the startup probe passes, timed. */
async function startAsPod(
  name: string,
  image: string,
  pod: PodSpec,
  env: Record<string, string>,
  port: number,
): Promise<{ container: RunningContainer; readySeconds: number }> {
  const probe = pod.containers[0]!.startupProbe;
  const budgetMs = probe.failureThreshold * probe.periodSeconds * 1000;
  const started = performance.now();
  const container = await runPod(name, image, pod, env, substitutions({}).secretFiles);
  await waitFor(async () => (await fetch(`http://127.0.0.1:${port}${probe.httpGet.path}`)).ok, {
    what: `${name} startup probe within ${budgetMs} ms`,
    timeoutMs: budgetMs,
    intervalMs: 200,
  }).catch(async (error: Error) => {
    throw new Error(`${error.message}\n${(await run(docker(), ['logs', name]).catch(String)).slice(-3000)}`);
  });
  return { container, readySeconds: Math.round((performance.now() - started) / 100) / 10 };
}

/** SIGTERM as the kubelet sends it; the exit code and how long the drain took. */
async function terminate(name: string): Promise<{ code: number; seconds: number }> {
  const started = performance.now();
  await run(docker(), ['kill', '--signal', 'TERM', name]);
  const code = Number((await run(docker(), ['wait', name])).trim());
  return { code, seconds: Math.round((performance.now() - started) / 100) / 10 };
}

async function assertPid1IsTini(container: RunningContainer, program: string): Promise<number> {
  expect(namespacePid(container.pid)).toBe(1);
  expect(cmdline(container.pid)).toEqual(['/usr/bin/tini', '--', 'node', program]);
  const [node] = childPids(container.pid);
  expect(cmdline(node!)).toEqual(['node', program]);
  return node!;
}

/**
 * What the pod leaves behind and how it stops: nothing written outside its mounts, then SIGTERM exits 0
 * within the grace period. Returns the seconds the drain took.
 */
async function expectCleanExit(container: RunningContainer, pod: PodSpec): Promise<number> {
  expect(await writesOutsideMounts(container.name, pod)).toEqual([]);
  const stop = await terminate(container.name);
  expect(stop.code, (await run(docker(), ['logs', container.name]).catch(String)).slice(-2000)).toBe(0);
  expect(stop.seconds).toBeLessThan(pod.terminationGracePeriodSeconds);
  return stop.seconds;
}

describe('run as the dev stack runs them', () => {
  it('the migration Job applies the schema (the pods only check it)', async () => {
    const job = dev.find((o: KubeObject) => o.kind === 'Job' && o.metadata.name.startsWith('migrate-')) as unknown as {
      spec: { template: { spec: PodSpec } };
    };
    const pod = job.spec.template.spec;
    const container = pod.containers[0]!;
    const env = podEnv(container, {
      env: {
        DATABASE_URL: container.env
          .find((e) => e.name === 'DATABASE_URL')!
          .value!.replace(/@[^/]+\//, `@${postgres.host}:${postgres.port}/`),
      },
      secrets: substitutions({}).secrets,
    });
    await runPod('drill-migrate', images.gateway.tag, pod, env, substitutions({}).secretFiles);
    const code = Number((await run(docker(), ['wait', 'drill-migrate'])).trim());
    expect(code, await run(docker(), ['logs', 'drill-migrate']).catch(String)).toBe(0);
    const db = new pg.Client({ connectionString: env.DATABASE_URL });
    await db.connect();
    try {
      const { rows } = await db.query<{ n: string }>(
        "SELECT count(*)::text AS n FROM information_schema.tables WHERE table_schema = 'public'",
      );
      expect(Number(rows[0]!.n)).toBeGreaterThan(3);
    } finally {
      await db.end();
    }
  });

  it('gateway: ready within the startup probe, probes answer, predicts over /ws, writes nothing outside /tmp, PID 1 is tini, SIGTERM exits 0 within the grace period', async () => {
    const pod = devPod('gateway');
    const port = await freePort();
    const internal = await freePort();
    const env = podEnv(pod.containers[0]!, substitutions({ PORT: String(port), INTERNAL_PORT: String(internal) }));
    const { container, readySeconds } = await startAsPod('drill-gateway', images.gateway.tag, pod, env, port);
    figures.gatewayReadySeconds = readySeconds;
    const node = await assertPid1IsTini(container, 'app/main.js');

    const { livenessProbe, readinessProbe } = pod.containers[0]!;
    expect((await fetch(`http://127.0.0.1:${port}${livenessProbe.httpGet.path}`)).status).toBe(200);
    await waitFor(async () => (await fetch(`http://127.0.0.1:${port}${readinessProbe.httpGet.path}`)).ok, {
      what: 'gateway /readyz',
      timeoutMs: 30_000,
    });

    // Every connection the gateway holds is TLS, verified against the mounted CA (DATABASE_CA_FILE).
    const user = new URL(env.DATABASE_URL!).username;
    const connections = await postgres.query<{ ssl: boolean }>(
      'SELECT s.ssl FROM pg_stat_ssl s JOIN pg_stat_activity a USING (pid) WHERE a.usename = $1',
      [user],
    );
    expect(connections.length).toBeGreaterThan(0);
    expect(connections.every((c) => c.ssl)).toBe(true);

    const client = await TestClient.connect(`ws://127.0.0.1:${port}/ws`);
    await client.next('hello');
    client.send({ type: 'typing', seq: 1, text: 'rolnd tr8s' });
    const prediction = await client.next('prediction', () => true, 10_000);
    expect(prediction.items[0]?.productId).toBe('roland_87-tr8s');
    client.socket.close();

    await new Promise((resolve) => setTimeout(resolve, 10_000));
    figures.gatewayIdleRssMiB = rssMiB(node);
    figures.gatewayDrainSeconds = await expectCleanExit(container, pod);
  });

  it('worker: ready within the startup probe, /readyz answers, writes nothing outside /tmp, PID 1 is tini, SIGTERM exits 0 within the grace period', async () => {
    const pod = devPod('workers');
    const port = await freePort();
    const env = podEnv(pod.containers[0]!, substitutions({ WORKER_PORT: String(port) }));
    const { container, readySeconds } = await startAsPod('drill-worker', images.worker.tag, pod, env, port);
    figures.workerReadySeconds = readySeconds;
    const node = await assertPid1IsTini(container, 'app/worker.js');
    await waitFor(async () => (await fetch(`http://127.0.0.1:${port}/readyz`)).ok, {
      what: 'worker /readyz',
      timeoutMs: 30_000,
    });
    await new Promise((resolve) => setTimeout(resolve, 5_000));
    figures.workerIdleRssMiB = rssMiB(node);
    figures.workerDrainSeconds = await expectCleanExit(container, pod);
  });
});

describe('the web image through its own nginx', () => {
  const dist = join(repoRoot, 'app/web/dist');

  it('serves the UI and its precompressed assets with the right encoding, type, Vary and security headers; read-only, exits on SIGQUIT', async () => {
    const pod = devPod('web');
    // nginx listens on the port baked into its config: the one Service the web pod has, on a free host port.
    const port = await freePort();
    await run(docker(), ['rm', '-f', 'drill-web']).catch(() => '');
    await run(docker(), [
      'run',
      '-d',
      '--name',
      'drill-web',
      '-p',
      `127.0.0.1:${port}:8080`,
      ...runFlags(pod),
      images.web.tag,
    ]);
    await waitFor(async () => (await fetch(`http://127.0.0.1:${port}/healthz`)).ok, {
      what: 'web /healthz',
      timeoutMs: 30_000,
    });

    const page = await fetch(`http://127.0.0.1:${port}/`, { headers: { 'accept-encoding': 'identity' } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.headers.get('cache-control')).toBe('no-cache');
    expect(page.headers.get('content-security-policy')).toMatch(/default-src 'self'/);
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    const html = await page.text();
    expect(html).toBe(readFileSync(join(dist, 'index.html'), 'utf8'));

    const script = `/assets/${readdirSync(join(dist, 'assets')).find((f) => f.endsWith('.js'))!}`;
    const file = (suffix: string) => readFileSync(join(dist, `${script}${suffix}`));
    const raw = async (encoding: string) => {
      // node's fetch decodes bodies; the bytes on the wire are compared through the raw length instead.
      const response = await fetch(`http://127.0.0.1:${port}${script}`, { headers: { 'accept-encoding': encoding } });
      return { response, length: Number(response.headers.get('content-length')) };
    };
    const br = await raw('gzip, deflate, br');
    expect(br.response.headers.get('content-encoding')).toBe('br');
    expect(br.response.headers.get('content-type')).toMatch(/^application\/javascript/);
    expect(br.response.headers.get('vary')).toBe('Accept-Encoding');
    expect(br.response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(br.length).toBe(file('.br').length);
    expect(await br.response.text()).toBe(file('').toString());

    const gz = await raw('gzip');
    expect(gz.response.headers.get('content-encoding')).toBe('gzip');
    expect(gz.response.headers.get('content-type')).toMatch(/^application\/javascript/);
    expect(gz.response.headers.get('vary')).toBe('Accept-Encoding');
    expect(gz.length).toBe(file('.gz').length);

    const plain = await raw('identity');
    expect(plain.response.headers.get('content-encoding')).toBeNull();
    expect(plain.length).toBe(file('').length);

    const css = `/assets/${readdirSync(join(dist, 'assets')).find((f) => f.endsWith('.css'))!}`;
    const cssBr = await fetch(`http://127.0.0.1:${port}${css}`, { headers: { 'accept-encoding': 'br' } });
    expect(cssBr.headers.get('content-type')).toMatch(/^text\/css/);
    expect(cssBr.headers.get('content-encoding')).toBe('br');

    expect((await fetch(`http://127.0.0.1:${port}/assets/missing-0000.js`)).status).toBe(404);
    const route = await fetch(`http://127.0.0.1:${port}/some/client/route`, { headers: { 'accept-encoding': 'br' } });
    expect(route.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await route.text()).toBe(html);

    expect((await run(docker(), ['diff', 'drill-web'])).trim()).toBe('');
    const pid = Number((await run(docker(), ['inspect', '-f', '{{.State.Pid}}', 'drill-web'])).trim());
    expect(cmdline(pid)[0]).toMatch(/^nginx: master process/);
    const stop = await run(docker(), ['stop', '-t', String(pod.terminationGracePeriodSeconds ?? 30), 'drill-web']);
    expect(stop.trim()).toBe('drill-web');
    expect((await run(docker(), ['inspect', '-f', '{{.State.ExitCode}}', 'drill-web'])).trim()).toBe('0');
  });
});
