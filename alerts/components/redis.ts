/** Redis (via redis_exporter): instance down, replica lost its master, Sentinel quorum lost, memory near maxmemory. */
import { external } from '../../observability/external-metrics.js';
import { and, gt, lt, ratio, series } from '../../observability/promql.js';
import type { ComponentRules } from '../define.js';

/** Used memory over maxmemory, where a maxmemory is set (sentinels and unlimited nodes have none). */
const memoryOfMax = and(
  ratio(series(external.redisMemoryUsedBytes), series(external.redisMemoryMaxBytes)),
  gt(series(external.redisMemoryMaxBytes), 0),
);

export const redisRules: ComponentRules = {
  group: 'hsc-jit.redis',
  recordings: [],
  alerts: [
    {
      name: 'RedisDown',
      severity: 'critical',
      expr: lt(series(external.redisUp), 1),
      for: '1m',
      summary: 'redis_exporter cannot reach its Redis instance.',
      description: 'Redis behind {{ $labels.instance }} (pod {{ $labels.pod }}) has been unreachable for a minute.',
      dashboard: 'hsc-jit-datastores',
      runbook: {
        meaning:
          'One Redis instance is down. If it is the master, Sentinel should promote a replica within seconds; sessions, the L2 cache, pub/sub and queues are briefly unavailable. No data is lost (Postgres is the source of truth).',
        confirm:
          'Dashboard "HSC-JIT data stores", panel "Redis up". `kubectl get pods -l app.kubernetes.io/component=redis`; `kubectl exec redis-0 -c sentinel -- redis-cli -p 26379 sentinel get-master-addr-by-name hsc-jit` shows the current master (the sentinels require their password: the sentinel container has it in REDISCLI_AUTH, which redis-cli reads). The pod label tells which exporter: container `exporter` is the data node, `sentinel-exporter` the sentinel.',
        act: '1. If a failover happened, check the app reconnected (gateway logs, `/dependencies` shows cache ok; gateways stay Ready throughout and keep predicting). 2. Find why the pod died (`kubectl describe pod`, OOMKilled? see RedisMemoryNearMax). 3. If the pod does not come back, delete it so the StatefulSet recreates it: its bootstrap asks the sentinels for the master and it rejoins as a replica (a master being deleted hands its role over in its preStop first).',
      },
    },
    {
      name: 'RedisMasterLinkDown',
      severity: 'critical',
      expr: lt(series(external.redisMasterLinkUp), 1),
      for: '2m',
      summary: 'A Redis replica has lost its replication link to the master.',
      description: 'Replica {{ $labels.pod }} has had no link to its Redis master for 2 minutes.',
      dashboard: 'hsc-jit-datastores',
      runbook: {
        meaning:
          'A replica cannot reach the master: either the master is unreachable (and Sentinel should fail over) or the network between them is broken. A failover now could lose recent writes.',
        confirm:
          'Panel "Redis replication" on "HSC-JIT data stores"; on the replica `redis-cli info replication` (master_link_status). Check RedisDown and the Sentinel alerts.',
        act: '1. If the master is down, confirm Sentinel promoted a replica and the replica now follows it. 2. If the master is up, check network policies between the Redis pods. 3. Restart the replica if the link does not recover.',
      },
    },
    {
      name: 'RedisSentinelQuorumLost',
      severity: 'critical',
      expr: lt(series(external.redisSentinelMasterCkquorumStatus), 1),
      for: '1m',
      summary: 'Redis Sentinel can no longer reach a quorum to fail over the master.',
      description: 'Sentinel {{ $labels.pod }} reports no quorum for master {{ $labels.master_name }}.',
      dashboard: 'hsc-jit-datastores',
      runbook: {
        meaning:
          'Too few sentinels agree with each other: if the master fails now, nobody will promote a replica and Redis stays down.',
        confirm:
          'The `message` label is the sentinel\'s own CKQUORUM reply. On a sentinel pod: `kubectl exec redis-0 -c sentinel -- sh -c \'REDISCLI_AUTH=$REDISCLI_AUTH redis-cli -p 26379 sentinel ckquorum hsc-jit\'` (the sentinels require their password; the container has it in REDISCLI_AUTH); panel "Sentinels OK" on "HSC-JIT data stores". Check how many sentinel pods run and that every sentinel has the same `sentinel-password` (a sentinel with another one cannot talk to its peers).',
        act: '1. Bring the missing sentinel pods back (describe, logs, node). 2. Check the network policy lets sentinels reach each other on 26379. 3. After a sentinel password rotation, restart every redis pod so all sentinels use the new one. 4. Do not restart the master while quorum is lost: its preStop handover needs a sentinel to fail over.',
      },
    },
    {
      name: 'RedisMemoryNearMax',
      severity: 'warning',
      expr: gt(memoryOfMax, 0.85),
      for: '5m',
      summary: 'A Redis node uses more than 85% of its maxmemory.',
      description: 'Redis {{ $labels.pod }} uses {{ $value | humanizePercentage }} of its maxmemory.',
      dashboard: 'hsc-jit-datastores',
      runbook: {
        meaning:
          'Redis runs with maxmemory-policy noeviction (evicting keys would lose BullMQ jobs): at 100% every write fails with OOM, so manual jobs cannot be queued, sessions and cache writes fail, and asks that need a job answer `unavailable`.',
        confirm:
          'Panel "Redis memory" on "HSC-JIT data stores"; `kubectl exec redis-0 -c redis -- redis-cli info memory` (used_memory_human, maxmemory_human); `redis-cli --bigkeys` for what grew; `redis-cli -n 0 keys \'hsc:*\' | cut -d: -f1-2 | sort | uniq -c` for a BullMQ backlog (completed or failed jobs kept).',
        act: '1. A queue backlog (QueueBacklogHigh): scale the workers. 2. Kept job records: the queues remove completed jobs; delete old failed ones with BullMQ\'s clean. 3. Real growth: raise `redis.resources.memoryMiB` in the stack (maxmemory follows from the limit: docs/operations.md, "Redis memory headroom") and roll the StatefulSet (its preStop hands the master over, no writes are lost).',
      },
    },
  ],
};
