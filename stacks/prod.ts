/** prod: the seed's values (HPA 2..10 at 70% CPU / 80% memory), bigger stores, promoted from staging. */
import { defineStack } from './defaults.js';

export const prod = defineStack('prod', {
  domain: 'support.halilit.example',
  settings: { shared: { LOG_LEVEL: 'info' } },
  workers: { replicas: 3 },
  web: { replicas: 3 },
  redis: { storageGiB: 16 },
  postgres: {
    // Three instances, as CloudNativePG recommends for HA: a commit waits for one of the two standbys
    // (quorum ANY 1), so with one standby down writes go on and each is still on two nodes;
    // "required" refuses a write no standby confirmed (no acknowledged write lost on failover).
    // Storage arithmetic in docs/operations.md, "Postgres on CloudNativePG".
    instances: 3,
    storageGiB: 100,
    walStorageGiB: 20,
    zoneSpread: 'required',
    // Requests equal to limits: Guaranteed QoS, the last to be evicted or throttled under node pressure.
    resources: { cpuMillis: { request: 2000, limit: 2000 }, memoryMiB: { request: 8192, limit: 8192 } },
    parameters: { max_connections: 300 },
    synchronous: { number: 1, dataDurability: 'required' },
    // Why a pooler in prod (numbers in docs/operations.md, "Postgres"): up to 130 app connections become
    // 2 × 20 server backends on the primary, and a switchover pauses clients instead of failing them.
    pooler: { instances: 2, defaultPoolSize: 20, maxClientConnections: 1000 },
  },
  backups: { verification: { storageGiB: 100 } },
  logs: { retentionDays: 30, storageGiB: 100 },
});
