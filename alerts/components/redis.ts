/** Redis (via redis_exporter): instance down, replica lost its master, Sentinel quorum lost. */
import { external } from '../../app/telemetry/external-metrics.js';
import { lt, series } from '../../app/telemetry/promql.js';
import type { ComponentRules } from '../define.js';

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
          'Dashboard "HSC-JIT data stores", panel "Redis up". `kubectl get pods -l app.kubernetes.io/name=redis`; `redis-cli -h <sentinel> -p 26379 sentinel get-master-addr-by-name hsc-jit` shows the current master.',
        act: '1. If a failover happened, check the app reconnected (gateway logs, /readyz 200). 2. Find why the pod died (`kubectl describe pod`, OOMKilled?). 3. If the pod does not come back, delete it so the StatefulSet recreates it; it rejoins as a replica.',
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
          '`redis-cli -p 26379 sentinel ckquorum hsc-jit` on a sentinel pod; panel "Sentinels OK" on "HSC-JIT data stores". Check how many sentinel pods run.',
        act: '1. Bring the missing sentinel pods back (describe, logs, node). 2. Check the network policy lets sentinels reach each other on 26379. 3. Do not restart the master while quorum is lost.',
      },
    },
  ],
};
