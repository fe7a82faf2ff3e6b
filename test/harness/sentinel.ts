/**
 * A Redis Sentinel cluster on loopback: 1 master, N replicas (default 2), M sentinels (default 3, quorum
 * a majority). Ready only when it could fail over right now: the replicas are online at the master, and
 * every sentinel reports the master, sees every replica and passes CKQUORUM (it knows enough peers to
 * authorise a failover). The replicas start before the sentinels so that each sentinel's first INFO of
 * the master already lists them (otherwise a sentinel learns of them only at its next 10 s INFO poll).
 */
import { redisCommand, redisInfo, startRedis, type RedisInstance } from './redis.js';
import { waitFor } from './wait.js';

export interface RedisAddress {
  host: string;
  port: number;
}

export interface SentinelClusterOptions {
  replicas?: number;
  sentinels?: number;
  /** Default "mymaster". */
  masterName?: string;
  /** Default a majority of the sentinels. */
  quorum?: number;
  /** How long a node must be unreachable before it is considered down; default 1000. */
  downAfterMs?: number;
  /** Default 3000: short, so a failover that stalls is retried quickly. */
  failoverTimeoutMs?: number;
  readyTimeoutMs?: number;
}

export interface SentinelCluster {
  masterName: string;
  quorum: number;
  /** The node that was master at start (it may no longer be after a failover). */
  master: RedisInstance;
  replicas: RedisInstance[];
  sentinels: RedisInstance[];
  /** The master according to the first sentinel that answers SENTINEL get-master-addr-by-name. */
  currentMaster(): Promise<RedisAddress>;
  /** The data node (master or replica) at an address, e.g. to kill the current master. */
  nodeAt(address: RedisAddress): RedisInstance;
  /**
   * Waits until every running sentinel names a master other than `previous` and that node reports
   * role:master; returns it. Default timeout 30 s.
   */
  waitForFailover(previous: RedisAddress, timeoutMs?: number): Promise<RedisAddress>;
  stop(): Promise<void>;
}

function positiveInt(name: string, value: number, min: number): number {
  if (!Number.isInteger(value) || value < min)
    throw new Error(`startRedisSentinel: ${name} must be an integer >= ${min}, got ${value}`);
  return value;
}

async function askMaster(sentinel: RedisAddress, masterName: string): Promise<RedisAddress> {
  const reply = await redisCommand(sentinel.host, sentinel.port, 'SENTINEL', 'get-master-addr-by-name', masterName);
  if (!Array.isArray(reply) || reply.length !== 2)
    throw new Error(`sentinel ${sentinel.port} knows no master "${masterName}"`);
  return { host: String(reply[0]), port: Number(reply[1]) };
}

/** SENTINEL replicas/sentinels answer a list of flat [key, value, key, value…] arrays. */
function records(reply: unknown): Array<Record<string, string>> {
  if (!Array.isArray(reply)) return [];
  return reply.map((flat: unknown[]) => {
    const record: Record<string, string> = {};
    for (let i = 0; i + 1 < flat.length; i += 2) record[String(flat[i])] = String(flat[i + 1]);
    return record;
  });
}

async function onlineReplicaCount(master: RedisAddress): Promise<number> {
  const info = await redisInfo(master.host, master.port, 'replication');
  return Object.entries(info).filter(([key, value]) => /^slave\d+$/.test(key) && value.includes('state=online')).length;
}

async function sentinelIsReady(
  sentinel: RedisInstance,
  masterName: string,
  master: RedisAddress,
  replicas: number,
): Promise<boolean> {
  const reported = await askMaster(sentinel, masterName);
  if (reported.port !== master.port) return false;
  const known = records(await redisCommand(sentinel.host, sentinel.port, 'SENTINEL', 'replicas', masterName));
  if (known.filter((r) => !/s_down|o_down|disconnected/.test(r.flags ?? '')).length < replicas) return false;
  // CKQUORUM fails until this sentinel has heard enough peers (hello messages every 2 s) to authorise a failover.
  return String(await redisCommand(sentinel.host, sentinel.port, 'SENTINEL', 'CKQUORUM', masterName)).startsWith('OK');
}

export async function startRedisSentinel(options: SentinelClusterOptions = {}): Promise<SentinelCluster> {
  const replicaCount = positiveInt('replicas', options.replicas ?? 2, 0);
  const sentinelCount = positiveInt('sentinels', options.sentinels ?? 3, 1);
  const quorum = positiveInt('quorum', options.quorum ?? Math.floor(sentinelCount / 2) + 1, 1);
  const masterName = options.masterName ?? 'mymaster';
  if (!/^[A-Za-z0-9._-]+$/.test(masterName))
    throw new Error(`startRedisSentinel: masterName "${masterName}": use letters, digits, ., _ and -`);
  const downAfterMs = positiveInt('downAfterMs', options.downAfterMs ?? 1_000, 1);
  const failoverTimeoutMs = positiveInt('failoverTimeoutMs', options.failoverTimeoutMs ?? 3_000, 1);
  const readyTimeoutMs = options.readyTimeoutMs ?? 30_000;

  const started: RedisInstance[] = [];
  const keep = (instance: RedisInstance) => {
    started.push(instance);
    return instance;
  };
  try {
    const master = keep(await startRedis({ name: 'redis-master' }));
    const replicas = await Promise.all(
      Array.from({ length: replicaCount }, async (_, i) =>
        keep(await startRedis({ name: `redis-replica-${i + 1}`, config: `replicaof ${master.host} ${master.port}` })),
      ),
    );
    await waitFor(async () => (await onlineReplicaCount(master)) >= replicaCount, {
      what: `${replicaCount} replicas online at the master`,
      timeoutMs: readyTimeoutMs,
    });

    const sentinelConfig = [
      `sentinel monitor ${masterName} ${master.host} ${master.port} ${quorum}`,
      `sentinel down-after-milliseconds ${masterName} ${downAfterMs}`,
      `sentinel failover-timeout ${masterName} ${failoverTimeoutMs}`,
      `sentinel parallel-syncs ${masterName} 1`,
    ].join('\n');
    const sentinels = await Promise.all(
      Array.from({ length: sentinelCount }, async (_, i) =>
        keep(await startRedis({ name: `sentinel-${i + 1}`, sentinel: true, config: sentinelConfig })),
      ),
    );
    await waitFor(
      async () =>
        (await Promise.all(sentinels.map((s) => sentinelIsReady(s, masterName, master, replicaCount)))).every(Boolean),
      {
        what: `every sentinel to report master ${master.port}, ${replicaCount} replicas and a quorum`,
        timeoutMs: readyTimeoutMs,
        intervalMs: 200,
      },
    );

    const dataNodes = [master, ...replicas];
    const currentMaster = async (): Promise<RedisAddress> => {
      let lastError: unknown;
      for (const sentinel of sentinels.filter((s) => s.service.running)) {
        try {
          return await askMaster(sentinel, masterName);
        } catch (error) {
          lastError = error;
        }
      }
      throw new Error(
        `no sentinel answered get-master-addr-by-name ${masterName}: ${(lastError as Error | undefined)?.message ?? 'none running'}`,
      );
    };
    return {
      masterName,
      quorum,
      master,
      replicas,
      sentinels,
      currentMaster,
      nodeAt(address) {
        const node = dataNodes.find((n) => n.port === address.port && n.host === address.host);
        if (!node) throw new Error(`no data node of this cluster at ${address.host}:${address.port}`);
        return node;
      },
      async waitForFailover(previous, timeoutMs = 30_000) {
        let elected: RedisAddress | undefined;
        await waitFor(
          async () => {
            const answers = await Promise.all(
              sentinels.filter((s) => s.service.running).map((s) => askMaster(s, masterName)),
            );
            const candidate = answers[0];
            if (!candidate || candidate.port === previous.port || answers.some((a) => a.port !== candidate.port))
              return false;
            if ((await redisInfo(candidate.host, candidate.port, 'replication')).role !== 'master') return false;
            elected = candidate;
            return true;
          },
          {
            what: `the sentinels to elect a master other than ${previous.host}:${previous.port}`,
            timeoutMs,
            intervalMs: 100,
          },
        );
        return elected!;
      },
      async stop() {
        // Sentinels first, so they do not start a failover while the data nodes go away.
        await Promise.all(sentinels.map((s) => s.stop()));
        await Promise.all(dataNodes.map((n) => n.stop()));
      },
    };
  } catch (error) {
    // The logs go with the temp dirs, so their tails travel in the error.
    const tails = started.map((s) => `--- ${s.service.name} (port ${s.port}) ---\n${s.service.logTail(8)}`).join('\n');
    await Promise.allSettled(started.map((s) => s.stop()));
    throw new Error(`${(error as Error).message}\n${tails}`);
  }
}
