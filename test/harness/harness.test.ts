/**
 * Proves each harness piece against the real binary. The tests are independent and mostly wait on
 * child processes, so they run concurrently (hence the per-test `expect`); everything lives on OS-chosen
 * ports in private temp dirs.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, it } from 'vitest';
import { Redis } from 'ioredis';
import {
  freePort,
  launchChromium,
  promtool,
  redisCommand,
  redisPing,
  requireBinary,
  spawnService,
  startPostgres,
  startPostgresReplica,
  startPrometheus,
  startRedis,
  startRedisSentinel,
  tempDir,
  waitFor,
} from './index.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const REPO = join(HERE, '../..');

/** Alive and not a zombie (an orphan killed by the kernel lingers as a zombie until init reaps it). */
function isRunning(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

const cleanups: Array<() => Promise<unknown>> = [];
afterAll(async () => {
  await Promise.allSettled(cleanups.reverse().map((cleanup) => cleanup()));
});

describe.concurrent('harness', () => {
  describe('primitives', () => {
    it('names the Debian package of a missing binary', ({ expect }) => {
      expect(() => requireBinary('no-such-server', 'no-such-package')).toThrow(
        'no-such-server not found: apt-get install -y no-such-package',
      );
      expect(requireBinary('postgres', 'postgresql')).toMatch(/\/postgres$/);
    });

    it('hands out distinct free ports and temp dirs that stop() removes', async ({ expect }) => {
      const [a, b] = await Promise.all([freePort(), freePort()]);
      expect(a).toBeGreaterThan(0);
      expect(a).not.toBe(b);
      const dir = await tempDir('probe');
      expect(existsSync(dir.path)).toBe(true);
      await dir.remove();
      expect(existsSync(dir.path)).toBe(false);
    });

    it('waitFor names what it waited for', async ({ expect }) => {
      await expect(waitFor(() => false, { what: 'the impossible', timeoutMs: 100 })).rejects.toThrow(
        /timed out after 100 ms waiting for the impossible/,
      );
    });

    it('a service that dies during start fails at once, quoting its last output', async ({ expect }) => {
      const dir = await tempDir('dies');
      cleanups.push(() => dir.remove());
      const failing = spawnService({
        name: 'dies',
        command: 'sh',
        args: ['-c', 'echo "config line 3: bad directive" >&2; exit 3'],
        dir: dir.path,
        ready: async () => false,
        readyTimeoutMs: 30_000,
      });
      await expect(failing).rejects.toThrow(/dies exited with code 3[\s\S]*config line 3: bad directive/);
    });
  });

  describe('no orphans', () => {
    it('a service dies with a test process that was SIGKILLed before it could clean up', async ({ expect }) => {
      const holder = spawn(process.execPath, ['--import', 'tsx', join(HERE, 'fixtures/hold-redis.ts')], {
        cwd: REPO,
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      const [line] = (await once(createInterface({ input: holder.stdout! }), 'line')) as [string];
      const held = JSON.parse(line) as { pid: number; port: number; dir: string };
      cleanups.push(() => rm(held.dir, { recursive: true, force: true }));
      expect(await redisPing('127.0.0.1', held.port)).toBe(true);

      holder.kill('SIGKILL');
      await waitFor(async () => !(await redisPing('127.0.0.1', held.port)) && !isRunning(held.pid), {
        what: `redis ${held.pid} to die with its parent`,
        timeoutMs: 10_000,
      });
    });
  });

  describe('redis', () => {
    it('starts a private redis-server that stores and returns a value', async ({ expect }) => {
      const redis = await startRedis();
      cleanups.push(() => redis.stop());
      expect(redis.port).not.toBe(6379);
      const client = new Redis(redis.url);
      try {
        await client.set('k', 'v');
        expect(await client.get('k')).toBe('v');
        expect(await client.config('GET', 'appendonly')).toEqual(['appendonly', 'no']);
      } finally {
        client.disconnect();
      }
      await redis.kill('SIGKILL');
      expect(redis.service.running).toBe(false);
    });

    it('a sentinel cluster reports its master and elects a replica when the master is SIGKILLed', async ({
      expect,
    }) => {
      const cluster = await startRedisSentinel({ replicas: 2, sentinels: 3, downAfterMs: 1000 });
      cleanups.push(() => cluster.stop());
      expect(cluster.quorum).toBe(2);
      const before = await cluster.currentMaster();
      expect(before.port).toBe(cluster.master.port);
      await redisCommand(cluster.master.host, cluster.master.port, 'SET', 'survives', 'failover');

      await cluster.master.kill('SIGKILL');
      const after = await cluster.waitForFailover(before);
      expect(cluster.replicas.map((r) => r.port)).toContain(after.port);
      const promoted = new Redis(cluster.nodeAt(after).url);
      try {
        expect(await promoted.get('survives')).toBe('failover');
        expect(await promoted.set('written', 'after failover')).toBe('OK');
      } finally {
        promoted.disconnect();
      }
    });
  });

  describe('postgres', () => {
    it('starts a primary and a streaming replica that serves its writes and can be promoted', async ({ expect }) => {
      const primary = await startPostgres();
      cleanups.push(() => primary.stop());
      const replica = await startPostgresReplica(primary);
      cleanups.push(() => replica.stop());
      expect(primary.port).not.toBe(5432);

      const appUrl = await primary.createDatabase('app');
      expect(appUrl).toBe(`postgres://postgres@127.0.0.1:${primary.port}/app`);
      await primary.query('CREATE TABLE t (v text)');
      await primary.query('INSERT INTO t VALUES ($1)', ['written on the primary']);
      await expect
        .poll(async () => (await replica.query<{ v: string }>('SELECT v FROM t').catch(() => []))[0]?.v, {
          timeout: 15_000,
        })
        .toBe('written on the primary');
      expect((await replica.query<{ r: boolean }>('SELECT pg_is_in_recovery() AS r'))[0]?.r).toBe(true);
      await expect(replica.query('INSERT INTO t VALUES ($1)', ['x'])).rejects.toThrow(/read-only/);

      await primary.kill('SIGKILL');
      await replica.promote();
      expect((await replica.query<{ r: boolean }>('SELECT pg_is_in_recovery() AS r'))[0]?.r).toBe(false);
      await replica.query('INSERT INTO t VALUES ($1)', ['written after promotion']);
      expect((await replica.query('SELECT v FROM t')).length).toBe(2);
    });
  });

  describe('prometheus', () => {
    const rules = [
      'groups:',
      '  - name: harness',
      '    rules:',
      '      - alert: AlwaysFiring',
      '        expr: vector(1) > 0',
      '        labels: { severity: info }',
      '        annotations: { summary: proves the rule file was loaded }',
      '',
    ].join('\n');

    it('promtool accepts a valid rule file and rejects a broken one', async ({ expect }) => {
      const dir = await tempDir('promtool');
      cleanups.push(() => dir.remove());
      await writeFile(join(dir.path, 'good.yml'), rules);
      await writeFile(join(dir.path, 'bad.yml'), rules.replace('vector(1) > 0', 'vector(1) >'));
      const good = await promtool(['check', 'rules', 'good.yml'], { cwd: dir.path });
      expect(good.code).toBe(0);
      expect(good.stdout).toMatch(/SUCCESS: 1 rules found/);
      const bad = await promtool(['check', 'rules', 'bad.yml'], { cwd: dir.path });
      expect(bad.code).not.toBe(0);
      expect(bad.stderr + bad.stdout).toMatch(/bad\.yml/);
    });

    it('prometheus starts, loads the rule file and answers its API', async ({ expect }) => {
      const prometheus = await startPrometheus({
        config: ['global:', '  evaluation_interval: 1s', 'rule_files: [harness.yml]', ''].join('\n'),
        ruleFiles: { 'harness.yml': rules },
      });
      cleanups.push(() => prometheus.stop());
      const query = (await (
        await fetch(`${prometheus.url}/api/v1/query?query=${encodeURIComponent('1 + 1')}`)
      ).json()) as { status: string; data: { result: [number, string] } };
      expect(query.status).toBe('success');
      expect(query.data.result[1]).toBe('2');
      const ruleNames = async () => {
        const body = (await (await fetch(`${prometheus.url}/api/v1/rules`)).json()) as {
          data: { groups: Array<{ rules: Array<{ name: string }> }> };
        };
        return body.data.groups.flatMap((g) => g.rules.map((r) => r.name));
      };
      expect(await ruleNames()).toEqual(['AlwaysFiring']);
      await prometheus.reload();
    });
  });

  describe('chromium', () => {
    it('loads a data: URL and reads its title', async ({ expect }) => {
      const browser = await launchChromium();
      cleanups.push(() => browser.close());
      const page = await browser.newPage();
      await page.goto('data:text/html,<title>harness says hi</title><p>ok</p>');
      expect(await page.title()).toBe('harness says hi');
    });
  });
});
