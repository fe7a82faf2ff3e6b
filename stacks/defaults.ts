/** The seed's values: every stack starts from these and states only how it differs. */
import type { DeepPartial, Resources, StackName, StackSpec } from './types.js';

/** requests 500m / 512Mi, limits 1000m / 1Gi (the seed's gateway sizing). */
export const seedResources: Resources = {
  cpuMillis: { request: 500, limit: 1000 },
  memoryMiB: { request: 512, limit: 1024 },
};

const small: Resources = { cpuMillis: { request: 50, limit: 200 }, memoryMiB: { request: 64, limit: 128 } };

export function seedDefaults(name: StackName): StackSpec {
  return {
    name,
    namespace: `hsc-jit-${name}`,
    domain: `${name}.support.halilit.example`,
    tls: { clusterIssuer: 'letsencrypt' },
    ingress: { className: 'nginx', controllerNamespace: 'ingress-nginx', websocketTimeoutSeconds: 3600 },
    monitoring: { namespace: 'monitoring', release: 'kube-prometheus-stack' },
    databaseOperator: { namespace: 'cnpg-system' },
    // Most clusters serve the API on a private address, at 443 (managed) or 6443 (kubeadm).
    kubernetesApi: { cidrs: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'], ports: [443, 6443] },
    storageClass: undefined,
    gateway: {
      autoscaling: {
        minReplicas: 2,
        maxReplicas: 10,
        cpuUtilization: 70,
        memoryUtilization: 80,
        scaleDownStabilizationSeconds: 300,
      },
      resources: seedResources,
      drainSeconds: 20,
      preStopSeconds: 5,
    },
    workers: { replicas: 2, resources: seedResources, drainSeconds: 30 },
    web: { replicas: 2, resources: small },
    redis: {
      masterName: 'hsc-jit',
      nodes: 3,
      storageGiB: 8,
      resources: { cpuMillis: { request: 250, limit: 1000 }, memoryMiB: { request: 512, limit: 1024 } },
      downAfterMs: 5_000,
      failoverTimeoutMs: 30_000,
    },
    postgres: {
      clusterName: 'postgres',
      database: 'hsc_jit',
      owner: 'hsc_jit',
      instances: 2,
      synchronous: undefined,
      storageGiB: 20,
      walStorageGiB: undefined,
      zoneSpread: 'preferred',
      resources: { cpuMillis: { request: 500, limit: 2000 }, memoryMiB: { request: 1024, limit: 2048 } },
      parameters: {
        max_connections: 200,
        work_mem: '4MB',
        log_min_duration_statement: '500ms',
        hot_standby_feedback: 'on',
        idle_in_transaction_session_timeout: '60s',
      },
      statementTimeoutMs: 5_000,
      pooler: undefined,
      recovery: undefined,
    },
    // Base backups at 03:17 UTC: off the hour (when many CronJobs fire) and in the night of the product's users.
    // The restore check runs on Sundays after it, so it verifies that night's backup.
    backups: {
      destinationPath: `s3://halilit-hsc-jit-backups/${name}`,
      endpointURL: 'https://s3.eu-central-1.amazonaws.com',
      retentionDays: 30,
      schedule: '0 17 3 * * *',
      verification: {
        schedule: '47 5 * * 0',
        timeoutMinutes: 60,
        storageGiB: 20,
        resources: { cpuMillis: { request: 250, limit: 1000 }, memoryMiB: { request: 512, limit: 1024 } },
      },
    },
    logs: { retentionDays: 7, storageGiB: 20 },
    features: { llm: true, errorReporting: true, adminApi: true },
    settings: {
      shared: {
        LOG_LEVEL: 'info',
        MANUAL_HOSTS: ['www.roland.com', 'static.roland.com', 'www.boss.info', 'usa.yamaha.com', 'www.korg.com'],
        RETENTION_DAYS: 90,
      },
      gateway: { WS_MAX_CONNECTIONS: 20_000 },
      workers: {},
      migrate: {},
    },
    llm: { baseUrl: 'https://api.openai.com/v1', model: 'gpt-4o-mini' },
    // What the stack's Application syncs: its environment branch, which only promotion advances
    // (scripts/promote.ts). The first stack (dev) follows main instead.
    gitops: { repoURL: 'https://github.com/halilit/hsc-jit.git', targetRevision: `env/${name}` },
    allowDestructive: [],
  };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Overrides win; nested objects merge; arrays and scalars replace. */
export function deepMerge<T>(base: T, overrides: DeepPartial<T>): T {
  if (!isPlainObject(base) || !isPlainObject(overrides)) return (overrides === undefined ? base : overrides) as T;
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) continue;
    merged[key] =
      isPlainObject(value) && isPlainObject(merged[key])
        ? deepMerge(merged[key], value as DeepPartial<unknown>)
        : value;
  }
  return merged as T;
}

/** Everything a stack file may override: images are not among it, they come from the stack's pin file. */
export type StackOverrides = DeepPartial<Omit<StackSpec, 'name'>>;

export function defineStack(name: StackName, overrides: StackOverrides = {}): StackSpec {
  return deepMerge<StackSpec>(seedDefaults(name), overrides);
}
