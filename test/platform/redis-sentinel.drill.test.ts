/**
 * Redis Sentinel drill on loopback with the synthesized redis.conf, sentinel.conf and bootstrap.sh of
 * the prod stack (hosts, ports and dirs substituted, nothing else): three nodes form a cluster (one
 * master, two replicas following), the sentinels agree on the master, SIGKILL of the master promotes a
 * replica, and the old master, restarted through bootstrap.sh, rejoins as a replica of the new one.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { stacks } from '../../stacks/index.js';
import {
  freePort,
  requireBinary,
  spawnService,
  tempDir,
  waitFor,
  type Service,
  type TempDir,
} from '../harness/index.js';
import { renderedConfigMap, renderedObject, substitute, writeFiles } from './helpers/rendered.js';

const run = promisify(execFile);
const stack = stacks.prod;
const PASSWORD = 'drill-only-password';
const HOST = '127.0.0.1';

async function command(port: number, password: string | undefined, ...args: (string | number)[]): Promise<unknown> {
  const client = new Redis({
    host: HOST,
    port,
    password,
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    connectTimeout: 1_000,
    commandTimeout: 2_000,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return await client.call(String(args[0]), ...args.slice(1));
  } finally {
    client.disconnect();
  }
}

async function info(port: number): Promise<Record<string, string>> {
  const text = String(await command(port, PASSWORD, 'INFO', 'replication'));
  return Object.fromEntries(
    text
      .split('\r\n')
      .filter((l) => l.includes(':'))
      .map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1)]),
  );
}

describe('Redis Sentinel from the rendered ConfigMap (prod)', () => {
  const started: Service[] = [];
  const dirs: TempDir[] = [];
  afterAll(async () => {
    await Promise.all(started.map((s) => s.stop()));
    await Promise.all(dirs.map((d) => d.remove()));
  });

  it('forms a cluster, fails over on SIGKILL of the master, and the old master rejoins as a replica', async () => {
    const redisServer = requireBinary('redis-server', 'redis-server');
    requireBinary('redis-cli', 'redis-tools');
    const config = renderedConfigMap(stack, 'redis');
    const statefulSet = renderedObject(stack, 'StatefulSet', 'redis');
    const nodes = statefulSet.spec.replicas as number;
    const monitor = /^sentinel monitor (\S+) (\S+) (\d+) (\d+)$/m.exec(config['sentinel.conf']!)!;
    const [, masterName, seedHost, redisPort, quorum] = monitor;
    expect(Number(quorum)).toBe(Math.floor(nodes / 2) + 1);
    const sentinelPort = /^port (\d+)$/m.exec(config['sentinel.conf']!)![1]!;

    const ports = await Promise.all(
      Array.from({ length: nodes }, async () => ({ redis: await freePort(), sentinel: await freePort() })),
    );
    const sentinelHosts = ports.map((p) => `${HOST}:${p.sentinel}`).join(',');
    const nodeDirs = await Promise.all(
      ports.map(async (_, i) => {
        const dir = await tempDir(`redis-drill-${i}`);
        dirs.push(dir);
        return dir.path;
      }),
    );

    // Each node gets the rendered templates with its own port and dir; the seed master becomes node 0.
    const prepare = async (i: number) => {
      const dir = nodeDirs[i]!;
      const moves: Array<[string, string]> = [
        ['bind 0.0.0.0', `bind ${HOST}`],
        ['dir /data', `dir ${dir}`],
      ];
      await writeFiles(join(dir, 'template'), {
        'redis.conf': substitute(config['redis.conf']!, [...moves, [`port ${redisPort}`, `port ${ports[i]!.redis}`]]),
        'sentinel.conf': substitute(config['sentinel.conf']!, [
          ...moves,
          [`port ${sentinelPort}`, `port ${ports[i]!.sentinel}`],
          [`${seedHost} ${redisPort}`, `${HOST} ${ports[0]!.redis}`],
        ]),
        'bootstrap.sh': config['bootstrap.sh']!,
      });
      const { stdout } = await run('sh', [join(dir, 'template', 'bootstrap.sh')], {
        env: {
          ...process.env,
          SELF_HOST: HOST,
          SENTINEL_HOSTS: sentinelHosts,
          TEMPLATE_DIR: join(dir, 'template'),
          CONF_DIR: join(dir, 'conf'),
          REDIS_PASSWORD: PASSWORD,
        },
      });
      return stdout;
    };
    const startRedis = async (i: number) => {
      const service = await spawnService({
        name: `redis-${i}`,
        command: redisServer,
        args: [join(nodeDirs[i]!, 'conf', 'redis.conf')],
        dir: nodeDirs[i]!,
        ready: async () => (await command(ports[i]!.redis, PASSWORD, 'PING')) === 'PONG',
      });
      started.push(service);
      return service;
    };

    for (let i = 0; i < nodes; i++) await prepare(i);
    const redis = await Promise.all(ports.map((_, i) => startRedis(i)));
    await waitFor(
      async () =>
        Number((await info(ports[0]!.redis)).connected_slaves) === nodes - 1 &&
        Object.values(await info(ports[0]!.redis)).filter((v) => v.includes('state=online')).length === nodes - 1,
      { what: 'replicas online at node 0', timeoutMs: 30_000 },
    );
    expect((await info(ports[1]!.redis)).role).toBe('slave');

    const electStart = performance.now();
    const sentinels = await Promise.all(
      ports.map(async (p, i) => {
        const service = await spawnService({
          name: `sentinel-${i}`,
          command: redisServer,
          args: [join(nodeDirs[i]!, 'conf', 'sentinel.conf'), '--sentinel'],
          dir: nodeDirs[i]!,
          ready: async () => (await command(p.sentinel, undefined, 'PING')) === 'PONG',
        });
        started.push(service);
        return service;
      }),
    );
    const sentinelView = async (p: { sentinel: number }) => {
      const [host, port] = (await command(
        p.sentinel,
        undefined,
        'SENTINEL',
        'get-master-addr-by-name',
        masterName!,
      )) as string[];
      const replicas = (await command(p.sentinel, undefined, 'SENTINEL', 'replicas', masterName!)) as unknown[];
      const quorumOk = String(
        await command(p.sentinel, undefined, 'SENTINEL', 'CKQUORUM', masterName!).catch(() => ''),
      ).startsWith('OK');
      return { host, port: Number(port), replicas: replicas.length, quorumOk };
    };
    await waitFor(
      async () =>
        (await Promise.all(ports.map(sentinelView))).every(
          (s) => s.port === ports[0]!.redis && s.replicas === nodes - 1 && s.quorumOk,
        ),
      { what: 'every sentinel to know master, replicas and quorum', timeoutMs: 30_000, intervalMs: 100 },
    );
    const timeToElectMs = Math.round(performance.now() - electStart);

    await command(ports[0]!.redis, PASSWORD, 'SET', 'drill:before', 'kept');
    await waitFor(async () => (await command(ports[1]!.redis, PASSWORD, 'GET', 'drill:before')) === 'kept', {
      what: 'a write to replicate',
    });

    const failoverStart = performance.now();
    await redis[0]!.kill('SIGKILL');
    let promoted = -1;
    await waitFor(
      async () => {
        const views = await Promise.all(ports.map(sentinelView));
        const port = views[0]!.port;
        if (port === ports[0]!.redis || views.some((v) => v.port !== port)) return false;
        promoted = ports.findIndex((p) => p.redis === port);
        return (await info(port)).role === 'master';
      },
      { what: 'the sentinels to promote a replica', timeoutMs: 45_000, intervalMs: 100 },
    );
    const timeToFailoverMs = Math.round(performance.now() - failoverStart);
    expect(promoted).toBeGreaterThan(0);
    expect(await command(ports[promoted]!.redis, PASSWORD, 'GET', 'drill:before')).toBe('kept');

    // The old master restarts the way a pod does: bootstrap.sh asks the sentinels, then redis-server starts.
    const rejoinStart = performance.now();
    const bootstrapLog = await prepare(0);
    expect(bootstrapLog).toContain(`reports master ${HOST}:${ports[promoted]!.redis}`);
    await startRedis(0);
    await waitFor(
      async () => {
        const state = await info(ports[0]!.redis);
        return (
          state.role === 'slave' &&
          state.master_port === String(ports[promoted]!.redis) &&
          state.master_link_status === 'up'
        );
      },
      { what: 'the old master to follow the new one', timeoutMs: 30_000 },
    );
    const timeToRejoinMs = Math.round(performance.now() - rejoinStart);
    await command(ports[promoted]!.redis, PASSWORD, 'SET', 'drill:after', 'replicated');
    await waitFor(async () => (await command(ports[0]!.redis, PASSWORD, 'GET', 'drill:after')) === 'replicated', {
      what: 'the rejoined node to receive new writes',
    });
    expect(sentinels.every((s) => s.running)).toBe(true);

    console.log(
      JSON.stringify({
        drill: 'redis-sentinel',
        stack: stack.name,
        nodes,
        quorum: Number(quorum),
        downAfterMs: stack.redis.downAfterMs,
        timeToElectMs,
        timeToFailoverMs,
        timeToRejoinMs,
      }),
    );
  }, 120_000);
});
