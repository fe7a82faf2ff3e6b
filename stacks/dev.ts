/** dev: one of each where availability does not matter (a single Postgres instance), small stores, debug logs. */
import { defineStack } from './defaults.js';

export const dev = defineStack('dev', {
  domain: 'dev.support.halilit.example',
  tls: { clusterIssuer: 'letsencrypt-staging' },
  gateway: {
    autoscaling: { minReplicas: 2, maxReplicas: 3 },
    resources: { cpuMillis: { request: 250, limit: 1000 }, memoryMiB: { request: 256, limit: 1024 } },
  },
  workers: { replicas: 1 },
  web: { replicas: 1 },
  redis: { storageGiB: 1 },
  postgres: {
    instances: 1,
    storageGiB: 2,
    resources: { cpuMillis: { request: 250, limit: 1000 }, memoryMiB: { request: 256, limit: 512 } },
    parameters: { max_connections: 50 },
  },
  backups: { verification: { storageGiB: 2 } },
  logs: { retentionDays: 3, storageGiB: 5 },
  settings: { shared: { LOG_LEVEL: 'debug', RETENTION_DAYS: 7 } },
  features: { llm: false, errorReporting: false },
  // The first stack: follows main, where releases land; every later stack moves only by promotion.
  gitops: { targetRevision: 'main' },
});
