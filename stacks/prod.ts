/** prod: the seed's values (HPA 2..10 at 70% CPU / 80% memory), bigger stores, pinned release tag. */
import { defineStack } from './defaults.js';

export const prod = defineStack('prod', {
  domain: 'support.halilit.example',
  gateway: { logLevel: 'info' },
  workers: { replicas: 3 },
  web: { replicas: 3 },
  redis: { storageGiB: 16 },
  postgres: {
    storageGiB: 100,
    resources: { cpuMillis: { request: 1000, limit: 4000 }, memoryMiB: { request: 4096, limit: 8192 } },
    parameters: { max_connections: 300 },
    // A commit waits for the standby while it is there; without it writes go on (2 instances: "required"
    // would stop every write while the standby restarts).
    synchronous: { number: 1, dataDurability: 'preferred' },
    // Why a pooler in prod (numbers in docs/operations.md, "Postgres"): up to 130 app connections become
    // 2 × 20 server backends on the primary, and a switchover pauses clients instead of failing them.
    pooler: { instances: 2, defaultPoolSize: 20, maxClientConnections: 1000 },
  },
  backups: { verification: { storageGiB: 100 } },
  gitops: { targetRevision: 'main' },
});
