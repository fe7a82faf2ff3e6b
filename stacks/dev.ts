/** dev: one of each where availability does not matter, small Postgres and Redis, debug logs. */
import { defineStack } from './defaults.js';

export const dev = defineStack('dev', {
  domain: 'dev.support.halilit.example',
  tls: { clusterIssuer: 'letsencrypt-staging' },
  gateway: {
    autoscaling: { minReplicas: 2, maxReplicas: 3 },
    resources: { cpuMillis: { request: 250, limit: 1000 }, memoryMiB: { request: 256, limit: 1024 } },
    logLevel: 'debug',
  },
  workers: { replicas: 1 },
  web: { replicas: 1 },
  redis: { storageGiB: 1 },
  postgres: {
    storageGiB: 2,
    maxConnections: 50,
    resources: { cpuMillis: { request: 250, limit: 1000 }, memoryMiB: { request: 256, limit: 512 } },
  },
  retentionDays: 7,
  features: { llm: false, errorReporting: false },
  gitops: { targetRevision: 'main' },
});
