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
    maxConnections: 300,
  },
  // 14 daily dumps of a database on a 100 Gi volume: dumps compress well, 100 Gi leaves room to grow.
  backups: { storageGiB: 100 },
  gitops: { targetRevision: 'main' },
});
