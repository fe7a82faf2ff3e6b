/**
 * The one typed shape of an environment. Every stack (dev, staging, prod) is a value of this type, so a
 * missing or misspelt setting fails `tsc`. Values that follow from others (Redis maxmemory, Postgres
 * buffers, the sentinel quorum, the grace period) are computed in platform/, never written here.
 */
export type StackName = 'dev' | 'staging' | 'prod';

/** CPU in millicores, memory in MiB: plain numbers so that rules (request <= limit, percentages) are arithmetic. */
export interface Resources {
  cpuMillis: { request: number; limit: number };
  memoryMiB: { request: number; limit: number };
}

/**
 * An image reference pinned by digest (`repo@sha256:…`) or by an immutable tag: a full version
 * (`1.27.3`, `v1.62.0`, `15.8-bookworm`) or a commit tag (`sha-<hex>`). `latest`, `7` or no tag fail synth.
 */
export type ImageRef = string;

export interface AutoscalingConfig {
  minReplicas: number;
  maxReplicas: number;
  /** Target average utilization, percent of the request. */
  cpuUtilization: number;
  memoryUtilization: number;
  /** Scale-down waits this long for the load to stay low; scale-up is immediate. */
  scaleDownStabilizationSeconds: number;
}

export interface StackConfig {
  name: StackName;
  namespace: string;
  /** Public host name of the UI and the WebSocket. */
  domain: string;
  tls: { clusterIssuer: string };
  ingress: {
    className: string;
    controllerNamespace: string /** WebSocket idle timeout at the proxy. */;
    websocketTimeoutSeconds: number;
  };
  /** Where kube-prometheus-stack runs: its Prometheus scrapes the metrics ports, its Grafana sidecar loads dashboards there. */
  monitoring: {
    namespace: string /** The `release` label its Prometheus selects ServiceMonitors and rules by. */;
    release: string;
  };
  storageClass: string | undefined;
  images: {
    gateway: ImageRef;
    web: ImageRef;
    redis: ImageRef;
    redisExporter: ImageRef;
    postgres: ImageRef;
    postgresExporter: ImageRef;
  };
  gateway: {
    autoscaling: AutoscalingConfig;
    resources: Resources;
    /** How long a draining gateway keeps WebSockets open after SIGTERM (the app's DRAIN_SECONDS). */
    drainSeconds: number;
    /** preStop sleep, so endpoints are removed before the drain starts. */
    preStopSeconds: number;
    logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug';
    websocketMaxConnections: number;
  };
  workers: { replicas: number; resources: Resources; drainSeconds: number };
  web: { replicas: number; resources: Resources };
  redis: {
    masterName: string;
    /** Data nodes (1 master + replicas), each with a sentinel beside it. */
    nodes: number;
    storageGiB: number;
    resources: Resources;
    downAfterMs: number;
    failoverTimeoutMs: number;
  };
  postgres: { database: string; user: string; storageGiB: number; resources: Resources; maxConnections: number };
  /**
   * The scheduled `pg_dump` (platform/postgres/backup.ts): a cron expression in UTC, the volume the dumps
   * land on, and retention: dumps older than `keepDays` are deleted after each successful backup, so the
   * volume must hold about keepDays + 1 dumps (a custom-format dump is compressed, a fraction of the
   * database's size). Off-site copies are the volume's snapshot policy, outside this topology.
   */
  backups: { schedule: string; storageGiB: number; keepDays: number; resources: Resources };
  /** Conversations and audit rows are purged after this many days (the app's RETENTION_DAYS). */
  retentionDays: number;
  features: { llm: boolean; errorReporting: boolean; adminApi: boolean };
  llm: { baseUrl: string; model: string };
  /** Hosts the manual fetcher may download from (the app's MANUAL_HOSTS). */
  manualHosts: string[];
  gitops: { repoURL: string; targetRevision: string };
}

export type DeepPartial<T> = T extends readonly unknown[]
  ? T
  : T extends object
    ? { [K in keyof T]?: DeepPartial<T[K]> }
    : T;
