/**
 * What a Redis data node needs under its container limit besides the dataset, and so how large
 * `maxmemory` may be. One model, used twice: redis-sentinel.ts sizes maxmemory with it, and the validator
 * (rules.ts, redis-memory-headroom) checks the rendered redis.conf against the rendered container limit.
 *
 *   limit ≥ maxmemory × (1 + copyOnWrite) × (1 + fragmentation)
 *           + (nodes − 1) × replica output buffer (hard limit) + replication backlog + process baseline
 *
 * - copy-on-write (1.0, the worst case): BGSAVE (`save`), the AOF rewrite and a diskless full sync to a
 *   replica (`repl-diskless-sync yes`) each fork; every page the parent writes while the child runs is
 *   copied. BullMQ rewrites its keys continuously, so a fork of a few seconds can touch most of the
 *   dataset: the parent plus the child can reach twice the dataset. Without this, the kernel OOM-kills
 *   redis-server in the middle of a snapshot, on the master, which is a failover.
 * - fragmentation (10 %): jemalloc's allocation overhead over `used_memory` (mem_fragmentation_ratio).
 * - replica output buffers: what the master holds for each replica during a full sync, up to the hard
 *   limit rendered as `client-output-buffer-limit replica`; Redis does not count them in maxmemory.
 * - replication backlog (`repl-backlog-size`): lets a replica that was briefly away resync partially.
 * - baseline: the process itself, Lua, the sockets.
 * Client output buffers of normal and pub/sub clients count towards maxmemory already (used_memory).
 */

export const redisMemoryModel = {
  copyOnWrite: 1,
  fragmentation: 0.1,
  replicaBufferHardMiB: 64,
  replicaBufferSoftMiB: 32,
  replicaBufferSoftSeconds: 60,
  replBacklogMiB: 16,
  baselineMiB: 16,
} as const;

export interface RedisMemoryFigures {
  maxMemoryMiB: number;
  nodes: number;
  replicaBufferHardMiB: number;
  replBacklogMiB: number;
}

/** MiB the container needs for a given maxmemory and its fixed reserves. */
export function requiredLimitMiB(f: RedisMemoryFigures, m = redisMemoryModel): number {
  return Math.ceil(
    f.maxMemoryMiB * (1 + m.copyOnWrite) * (1 + m.fragmentation) +
      Math.max(0, f.nodes - 1) * f.replicaBufferHardMiB +
      f.replBacklogMiB +
      m.baselineMiB,
  );
}

/** The largest maxmemory (MiB) that fits `limitMiB` by the model; throws when the reserves alone do not fit. */
export function maxMemoryFor(limitMiB: number, nodes: number, m = redisMemoryModel): number {
  const reserves = Math.max(0, nodes - 1) * m.replicaBufferHardMiB + m.replBacklogMiB + m.baselineMiB;
  const maxMemoryMiB = Math.floor((limitMiB - reserves) / ((1 + m.copyOnWrite) * (1 + m.fragmentation)));
  if (maxMemoryMiB < 64)
    throw new Error(
      `a ${limitMiB} MiB Redis container with ${nodes} nodes leaves ${maxMemoryMiB} MiB for data (reserves ${reserves} MiB); raise its memory limit`,
    );
  return maxMemoryMiB;
}

const UNIT_BYTES: Record<string, number> = { b: 1, k: 1e3, kb: 1024, m: 1e6, mb: 1024 ** 2, g: 1e9, gb: 1024 ** 3 };

/** A redis.conf size in MiB as redis reads it: `1mb` is 1024² bytes, `1m` is 10⁶ (memtoull in util.c). */
export function redisSizeMiB(value: string): number | undefined {
  const match = /^(\d+)(b|k|kb|m|mb|g|gb)?$/i.exec(value.trim());
  if (!match) return undefined;
  return (Number(match[1]) * UNIT_BYTES[(match[2] ?? 'b').toLowerCase()]!) / 2 ** 20;
}
