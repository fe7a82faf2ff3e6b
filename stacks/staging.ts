/** staging: production shape at a smaller scale, so failovers and rollouts are rehearsed before prod. */
import { defineStack } from './defaults.js';

export const staging = defineStack('staging', {
  domain: 'staging.support.halilit.example',
  gateway: { autoscaling: { minReplicas: 2, maxReplicas: 4 } },
  redis: { storageGiB: 4 },
  postgres: { storageGiB: 10, synchronous: { number: 1, dataDurability: 'preferred' } },
  backups: { verification: { storageGiB: 10 } },
  retentionDays: 30,
});
