/**
 * The fork the Redis memory model (platform/cluster/redis/memory.ts) reserves room for, measured: redis-server
 * runs prod's rendered redis.conf (only host, port, dir changed; maxmemory scaled down to 96 MiB so the
 * shared machine is spared; the model is linear in maxmemory), is filled to 70 % of it with page-sized
 * values, then snapshots (BGSAVE, the fork) while a client rewrites every key. `rdb-key-save-delay` makes
 * the child slow enough that the rewrite finishes while it runs: the worst case, every page copied.
 * Memory is read from /proc: the parent's RSS plus the child's private pages (the copies it keeps).
 * It prints the figures and asserts the peak fits the container limit the model derives for the dataset held.
 */
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { redisMemoryModel, requiredLimitMiB } from '../../platform/cluster/redis/memory.js';
import { stacks } from '../../platform/render/stacks.js';
import { type RedisInstance, redisInfo, startRedis } from '../harness/redis.js';
import { renderedConfigMap } from './helpers/rendered.js';

const MAX_MEMORY_MIB = 96;
const VALUE_BYTES = 4096;
const MIB = 2 ** 20;

async function procKiB(file: string, fields: string[]): Promise<number> {
  const text = await readFile(file, 'utf8').catch(() => '');
  return fields.reduce(
    (sum, field) => sum + Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? 0),
    0,
  );
}

async function childOf(pid: number): Promise<number | undefined> {
  const children = await readFile(`/proc/${pid}/task/${pid}/children`, 'utf8').catch(() => '');
  const first = children.trim().split(/\s+/)[0];
  return first ? Number(first) : undefined;
}

let redis: RedisInstance | undefined;
afterAll(async () => {
  await redis?.stop();
});

describe('Redis fork headroom (prod redis.conf)', () => {
  it('a snapshot while every key is rewritten fits the limit the memory model derives', async () => {
    const rendered = renderedConfigMap(stacks.prod, 'redis')['redis.conf']!;
    // The harness writes bind, port and dir; the rendered ones would override them. A lone master must
    // take writes (min-replicas-to-write 0), and only the BGSAVE below may fork (no AOF, no save points).
    const config = rendered
      .split('\n')
      .filter((l) => !/^(bind|port|dir) /.test(l))
      .join('\n');
    expect(config).toMatch(/^maxmemory \d+mb$/m);
    redis = await startRedis({
      name: 'redis-fork',
      config,
      args: ['--maxmemory', `${MAX_MEMORY_MIB}mb`, '--min-replicas-to-write', '0', '--appendonly', 'no', '--save', ''],
    });
    const client = new Redis(redis.url, { maxRetriesPerRequest: 1 });
    try {
      // Filled to 70 % of maxmemory (noeviction refuses writes past it); every write must succeed.
      const write = async (from: number, to: number) => {
        const batch = client.pipeline();
        for (let i = from; i < to; i++) batch.set(`job:${i}`, randomBytes(VALUE_BYTES));
        const failed = ((await batch.exec()) ?? []).find(([error]) => error);
        if (failed) throw failed[0];
      };
      const usedMemory = async () => Number((await redisInfo(redis!.host, redis!.port, 'memory')).used_memory);
      let keys = 0;
      while ((await usedMemory()) < 0.7 * MAX_MEMORY_MIB * MIB) {
        await write(keys, keys + 500);
        keys += 500;
      }
      const fill = async () => {
        for (let start = 0; start < keys; start += 500) await write(start, Math.min(keys, start + 500));
      };
      const usedMiB = (await usedMemory()) / MIB;
      const pid = redis.service.pid;
      const parentBeforeMiB = (await procKiB(`/proc/${pid}/status`, ['VmRSS'])) / 1024;

      // ~0.4 ms per key: the child runs for seconds, long enough for the rewrite to touch every page.
      await client.config('SET', 'rdb-key-save-delay', '400');
      await client.bgsave();
      let peakTotalMiB = 0;
      let peakChildMiB = 0;
      let sampling = true;
      const sampler = (async () => {
        while (sampling) {
          const child = await childOf(pid);
          const parentMiB = (await procKiB(`/proc/${pid}/status`, ['VmRSS'])) / 1024;
          const childMiB =
            child === undefined
              ? 0
              : (await procKiB(`/proc/${child}/smaps_rollup`, ['Private_Clean', 'Private_Dirty'])) / 1024;
          peakChildMiB = Math.max(peakChildMiB, childMiB);
          peakTotalMiB = Math.max(peakTotalMiB, parentMiB + childMiB);
          await new Promise((r) => setTimeout(r, 20));
        }
      })();
      await fill(); // every key rewritten while the child holds the old pages
      while ((await redisInfo(redis.host, redis.port, 'persistence')).rdb_bgsave_in_progress === '1')
        await new Promise((r) => setTimeout(r, 50));
      sampling = false;
      await sampler;

      // The model at the dataset actually held (tighter than at maxmemory, so the check can fail).
      const modelLimitMiB = requiredLimitMiB({
        maxMemoryMiB: usedMiB,
        nodes: 1,
        replicaBufferHardMiB: redisMemoryModel.replicaBufferHardMiB,
        replBacklogMiB: redisMemoryModel.replBacklogMiB,
      });
      const figures = {
        drill: 'redis-fork',
        maxMemoryMiB: MAX_MEMORY_MIB,
        usedMemoryMiB: Math.round(usedMiB),
        parentRssBeforeMiB: Math.round(parentBeforeMiB),
        peakChildPrivateMiB: Math.round(peakChildMiB),
        peakTotalMiB: Math.round(peakTotalMiB),
        modelLimitMiB,
        forkFactor: Number((peakTotalMiB / usedMiB).toFixed(2)),
        // The previous rule (maxmemory = 70 % of the limit) for this maxmemory: already exceeded at 70 % full.
        previousRuleLimitMiB: Math.round(MAX_MEMORY_MIB / 0.7),
      };
      console.log(JSON.stringify(figures));
      // The drill did exercise the case the model is for: the child kept most of the dataset's pages.
      expect(peakChildMiB).toBeGreaterThan(0.5 * usedMiB);
      expect(peakTotalMiB).toBeLessThanOrEqual(modelLimitMiB);
    } finally {
      client.disconnect();
    }
  });
});
