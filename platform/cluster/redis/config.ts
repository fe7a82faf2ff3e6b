/**
 * redis.conf and sentinel.conf rendered from typed options. Only what is the same on every node lives
 * here; what differs per pod (its role, its announced address, passwords from the Secret) is appended by
 * bootstrap.sh at pod start, so the ConfigMap holds no secret and no role.
 */
import { readFileSync } from 'node:fs';

export interface RedisConfigOptions {
  masterName: string;
  /** Where sentinels look first when none of them knows a master yet (pod 0). */
  seedMasterHost: string;
  redisPort: number;
  sentinelPort: number;
  dataDir: string;
  maxMemoryMiB: number;
  /** Output buffer per replica: closed above the hard limit, or above the soft one for `seconds` (./memory.ts). */
  replicaBuffer: { hardMiB: number; softMiB: number; seconds: number };
  replBacklogMiB: number;
  quorum: number;
  downAfterMs: number;
  failoverTimeoutMs: number;
}

export function renderRedisConf(o: RedisConfigOptions): string {
  return [
    "# Rendered by platform/cluster/redis/config.ts. bootstrap.sh appends this node's role, announced address and auth.",
    'bind 0.0.0.0',
    `port ${o.redisPort}`,
    'protected-mode no',
    `dir ${o.dataDir}`,
    '# Durability: append-only file fsynced every second, plus RDB snapshots for fast full syncs.',
    'appendonly yes',
    'appendfsync everysec',
    'save 3600 1 300 100 60 10000',
    '# maxmemory leaves the rest of the container limit to the fork, replica buffers and overhead (platform/cluster/redis/memory.ts).',
    `maxmemory ${o.maxMemoryMiB}mb`,
    `client-output-buffer-limit replica ${o.replicaBuffer.hardMiB}mb ${o.replicaBuffer.softMiB}mb ${o.replicaBuffer.seconds}`,
    `repl-backlog-size ${o.replBacklogMiB}mb`,
    '# BullMQ queues live here: evicting keys would lose jobs, so writes fail instead when memory is full.',
    'maxmemory-policy noeviction',
    'replica-read-only yes',
    'repl-diskless-sync yes',
    'repl-diskless-sync-delay 1',
    '# A master cut off from every replica stops taking writes, bounding what a partition can lose.',
    'min-replicas-to-write 1',
    'min-replicas-max-lag 10',
    'tcp-keepalive 60',
    '',
  ].join('\n');
}

export function renderSentinelConf(o: RedisConfigOptions): string {
  return [
    "# Rendered by platform/cluster/redis/config.ts. bootstrap.sh points the monitor line at the current master and appends this sentinel's address and auth.",
    'bind 0.0.0.0',
    `port ${o.sentinelPort}`,
    `dir ${o.dataDir}`,
    'sentinel resolve-hostnames yes',
    'sentinel announce-hostnames yes',
    `sentinel monitor ${o.masterName} ${o.seedMasterHost} ${o.redisPort} ${o.quorum}`,
    `sentinel down-after-milliseconds ${o.masterName} ${o.downAfterMs}`,
    `sentinel failover-timeout ${o.masterName} ${o.failoverTimeoutMs}`,
    `sentinel parallel-syncs ${o.masterName} 1`,
    '',
  ].join('\n');
}

export const redisBootstrapScript = readFileSync(new URL('./bootstrap.sh', import.meta.url), 'utf8');
/** Liveness and readiness of a data node or sentinel (LOADING and MASTERDOWN are alive). */
export const redisHealthScript = readFileSync(new URL('./health.sh', import.meta.url), 'utf8');
/** A master being stopped hands its role over first (preStop). */
export const redisPreStopScript = readFileSync(new URL('./prestop.sh', import.meta.url), 'utf8');

/** A majority of the sentinels: the smallest quorum that can never be met on both sides of a partition. */
export function majority(count: number): number {
  return Math.floor(count / 2) + 1;
}
