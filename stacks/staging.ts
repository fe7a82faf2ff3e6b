/** staging: production shape at a smaller scale, so failovers and rollouts are rehearsed before prod. */
import { defineStack } from './defaults.js';

export const staging = defineStack('staging', {
  domain: 'staging.support.halilit.example',
  gateway: { autoscaling: { minReplicas: 2, maxReplicas: 4 } },
  redis: { storageGiB: 4 },
  // Prod's replication shape (3 instances, quorum of 1, required), smaller: failovers, a switchover, the
  // pooler's policies and its TLS names are rehearsed here before prod.
  postgres: {
    instances: 3,
    storageGiB: 10,
    synchronous: { number: 1, dataDurability: 'required' },
    pooler: { instances: 2, defaultPoolSize: 10, maxClientConnections: 500 },
  },
  backups: { verification: { storageGiB: 10 } },
  settings: { shared: { RETENTION_DAYS: 30 } },
});
