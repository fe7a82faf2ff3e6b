/**
 * The one typed shape of an environment. Every stack (dev, staging, prod) is a value of this type, so a
 * missing or misspelt setting fails `tsc`. Values that follow from others (Redis maxmemory, Postgres
 * buffers, the sentinel quorum, the grace period) are computed in platform/, never written here.
 */
import type { AppSettings } from '../app/shared/config.js';

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
  /** Where CloudNativePG's operator and the Barman Cloud Plugin run (installed by the Pulumi program). */
  databaseOperator: { namespace: string };
  /**
   * Where pods that talk to the Kubernetes API (CloudNativePG's instance managers, the restore check) may
   * connect: the API server's addresses and ports as the network policy sees them (after the Service's DNAT).
   */
  kubernetesApi: { cidrs: string[]; ports: number[] };
  storageClass: string | undefined;
  /** Read from the stack's pin file in stacks/images/ (platform/render/stacks.ts), never written in a stack file. */
  images: {
    gateway: ImageRef;
    worker: ImageRef;
    web: ImageRef;
    redis: ImageRef;
    redisExporter: ImageRef;
    /** The CloudNativePG operand (`ghcr.io/cloudnative-pg/postgresql`): what every instance of the Cluster runs. */
    postgres: ImageRef;
    /** The official Debian image, for compose only (its entrypoint initialises a database from POSTGRES_* variables). */
    postgresLocal: ImageRef;
    /** Runs the weekly restore check (kubectl and a shell). */
    kubectl: ImageRef;
  };
  gateway: {
    autoscaling: AutoscalingConfig;
    resources: Resources;
    /** How long a draining gateway keeps WebSockets open after SIGTERM (the app's DRAIN_SECONDS). */
    drainSeconds: number;
    /** preStop sleep, so endpoints are removed before the drain starts. */
    preStopSeconds: number;
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
  postgres: PostgresConfig;
  backups: BackupConfig;
  /** Loki (when this stack installs it): how long logs are kept, and the volume that holds them. */
  logs: { retentionDays: number; storageGiB: number };
  features: { llm: boolean; errorReporting: boolean; adminApi: boolean };
  /**
   * The app's settings for this stack, by program, named and typed as the app declares them (app/shared/config.ts):
   * `shared` reaches the gateway, the workers and the migration Job (and compose's gateway and worker), a
   * program's own win over it. Unset: the app's default. What the platform derives (addresses, ports,
   * the drain, secrets) is not settable here: synth refuses it (platform/workloads/app-env.ts).
   */
  settings: { shared: AppSettings; gateway: AppSettings; workers: AppSettings; migrate: AppSettings };
  llm: { baseUrl: string; model: string };
  gitops: { repoURL: string; targetRevision: string };
  /**
   * Destructive changes this stack's next render may make (platform/render/destructive.ts refuses any other):
   * each names the change as the guard prints it, the day it was decided and why. Remove an entry once
   * the change has reached the stack; it matches nothing after that.
   */
  allowDestructive: DestructiveOverride[];
}

export interface DestructiveOverride {
  /** `Kind/name path`, e.g. `Cluster/postgres spec.storage.size`. */
  change: string;
  /** YYYY-MM-DD: when it was decided. */
  date: string;
  reason: string;
}

/** Postgres settings this project sets, in one typed place (rendered into the Cluster's `postgresql.parameters`). */
export interface PostgresParameters {
  /** Checked by the construct against the pooler's and apps' connection budget. */
  max_connections: number;
  work_mem: `${number}MB`;
  log_min_duration_statement: `${number}ms`;
  /** A replica keeps the primary from vacuuming rows its queries still read (no "canceling statement due to conflict"). */
  hot_standby_feedback: 'on' | 'off';
  idle_in_transaction_session_timeout: `${number}s`;
}

/**
 * Postgres as a CloudNativePG Cluster (platform/cluster/postgres/cluster.ts). Buffers are derived from the memory
 * limit; everything else Postgres is told comes from `parameters`.
 */
export interface PostgresConfig {
  /** The Cluster's name: the operator names its Services `<name>-rw` / `-ro` and its app Secret `<name>-app` after it. */
  clusterName: string;
  database: string;
  /** The role that owns the database; the app connects as it. */
  owner: string;
  /** 1 (no replica) or more: one primary, the rest hot standbys the operator fails over to. */
  instances: number;
  /**
   * Quorum-based synchronous replication: a commit waits for `number` standbys. `required` refuses writes
   * when no standby can confirm (no acknowledged write is ever lost); `preferred` degrades to asynchronous
   * while standbys are missing (writes go on). Unset: asynchronous.
   */
  synchronous: { number: number; dataDurability: 'required' | 'preferred' } | undefined;
  storageGiB: number;
  /**
   * A separate WAL volume per instance (CloudNativePG `walStorage`): WAL writes do not compete with data
   * I/O, and a WAL backlog (archive stuck, a slot held) fills this volume, not the data one. Unset: WAL
   * lives on the data volume. `max_slot_wal_keep_size` is derived from it (platform/cluster/postgres/parameters.ts).
   */
  walStorageGiB: number | undefined;
  /** Instances across zones: `required` refuses to schedule a second instance into a zone while another is free of them. */
  zoneSpread: 'required' | 'preferred';
  resources: Resources;
  parameters: PostgresParameters;
  /** The app's statement timeout (DATABASE_STATEMENT_TIMEOUT_MS), also the pooler's query timeout. */
  statementTimeoutMs: number;
  /** A PgBouncer Pooler (transaction mode) in front of the primary for the app; unset: the app connects to `-rw`. */
  pooler: { instances: number; defaultPoolSize: number; maxClientConnections: number } | undefined;
  /**
   * Point-in-time recovery into a new Cluster (named `<clusterName>-pitr-<yyyymmddhhmm>`) beside the live
   * one, bootstrapped from the object store: the base backup and WAL archived under server name `from`,
   * replayed up to `targetTime` (RFC 3339, with a zone). `stage` walks it through (docs/operations.md,
   * "Point-in-time recovery"): `restore` renders both Clusters and the app stays on `clusterName`;
   * `cutover` points the app (its hosts, the Pooler, backups, the restore check) at the recovered one, and
   * back to `restore` is the rollback; `retire` stops rendering `clusterName` (Git never deletes a Cluster:
   * it is removed by hand once the recovered one has proven itself).
   */
  recovery: { from: string; targetTime: string; stage: 'restore' | 'cutover' | 'retire' } | undefined;
}

/**
 * Backups with the Barman Cloud Plugin: base backups and continuous WAL archiving to S3-compatible storage.
 * The bucket and endpoint are per-stack settings (they are rendered into the ObjectStore); the access keys
 * are Pulumi config secrets (`backupAccessKeyId`, `backupSecretAccessKey`).
 */
export interface BackupConfig {
  /** `s3://bucket/prefix`: each Cluster archives under `<prefix>/<cluster name>/`. */
  destinationPath: string;
  /** The S3 API endpoint (AWS, or MinIO/Ceph/R2 …). */
  endpointURL: string;
  /** Base backups and WAL older than this (beyond the newest backup) are deleted by the plugin. */
  retentionDays: number;
  /** ScheduledBackup schedule: six fields (seconds first), UTC, as CloudNativePG reads it. */
  schedule: string;
  /** The restore check: a CronJob schedule (five fields, UTC) and the throwaway Cluster's sizing. */
  verification: { schedule: string; timeoutMinutes: number; storageGiB: number; resources: Resources };
}

export type DeepPartial<T> = T extends readonly unknown[]
  ? T
  : T extends object
    ? { [K in keyof T]?: DeepPartial<T[K]> }
    : T;

/** A stack as its file declares it: everything but the images, which come from its pin file (platform/render/stacks.ts). */
export type StackSpec = Omit<StackConfig, 'images'>;
