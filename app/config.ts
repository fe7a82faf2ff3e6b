/**
 * The app's one typed configuration, read from the environment and validated at start-up.
 * Nothing set → embedded defaults (PGlite in DATA_DIR, in-process cache/bus/queue, bundled catalog).
 * A bad value stops start-up with a message naming the variable and what it expects.
 */
import { X509Certificate } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';

const emptyAsUndefined = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : value);
const optionalString = z.preprocess(emptyAsUndefined, z.string().optional());
/**
 * Numbers are plain decimals: `Number()` would also take "1e3", "0x50", " 80 " or "Infinity", and a
 * port or a limit written that way is a mistake worth stopping for.
 */
const decimal = (pattern: RegExp, what: string, min: number, max: number, fallback: number) =>
  z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .regex(pattern, `${what} from ${min} to ${max}`)
      .transform(Number)
      .pipe(z.number().min(min, `${what} from ${min} to ${max}`).max(max, `${what} from ${min} to ${max}`))
      .default(fallback),
  );
const int = (min: number, max: number, fallback: number) => decimal(/^\d+$/, 'a whole number', min, max, fallback);
const number = (min: number, max: number, fallback: number) =>
  decimal(/^\d+(\.\d+)?$/, 'a decimal number', min, max, fallback);

/** A URL of one of `schemes` that names a host (a libpq `?host=` socket directory counts). */
const serverUrl = (schemes: string[], expected: string) =>
  z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .refine((value) => {
        const url = URL.canParse(value) ? new URL(value) : undefined;
        return !!url && schemes.includes(url.protocol) && (url.hostname !== '' || url.searchParams.has('host'));
      }, expected)
      .optional(),
  );
const postgresUrl = serverUrl(
  ['postgres:', 'postgresql:'],
  'a postgres:// or postgresql:// URL with a host, e.g. postgres://user:password@host:5432/db',
);
const redisUrl = serverUrl(['redis:', 'rediss:'], 'a redis:// or rediss:// URL with a host, e.g. redis://host:6379');
/** Sentry's DSN: scheme://public-key@host[/path]/project-id. */
const sentryDsn = z.preprocess(
  emptyAsUndefined,
  z
    .string()
    .refine((value) => {
      const url = URL.canParse(value) ? new URL(value) : undefined;
      return !!url && /^https?:$/.test(url.protocol) && url.username !== '' && /\/[^/]+$/.test(url.pathname);
    }, 'a Sentry DSN like https://<public key>@<host>/<project id>')
    .optional(),
);
const hostPortList = z.preprocess(
  emptyAsUndefined,
  z
    .string()
    .regex(/^[^\s:,]+:\d{1,5}(,[^\s:,]+:\d{1,5})*$/, 'a comma-separated list of host:port, e.g. "s1:26379,s2:26379"')
    .transform((list) =>
      list.split(',').map((entry) => {
        const at = entry.lastIndexOf(':');
        return { host: entry.slice(0, at), port: Number(entry.slice(at + 1)) };
      }),
    )
    .optional(),
);
const hostList = z.preprocess(
  emptyAsUndefined,
  z
    .string()
    .transform((list) =>
      list
        .split(',')
        .map((h) => h.trim().toLowerCase())
        .filter(Boolean),
    )
    .default([]),
);

const EnvSchema = z.object({
  NODE_ENV: z.preprocess(emptyAsUndefined, z.enum(['development', 'production', 'test']).default('development')),
  HOST: z.preprocess(emptyAsUndefined, z.string().default('0.0.0.0')),
  PORT: int(0, 65_535, 8080),
  INTERNAL_PORT: int(0, 65_535, 9465),
  LOG_LEVEL: z.preprocess(
    emptyAsUndefined,
    z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  ),
  DATA_DIR: z.preprocess(emptyAsUndefined, z.string().default('.data')),
  CATALOG_FILE: optionalString,
  DATABASE_URL: postgresUrl,
  DATABASE_REPLICA_URL: postgresUrl,
  DATABASE_POOL_MAX: int(1, 500, 10),
  DATABASE_STATEMENT_TIMEOUT_MS: int(100, 600_000, 5_000),
  DATABASE_CA_FILE: optionalString,
  MIGRATE_ON_START: z.preprocess(
    emptyAsUndefined,
    z
      .enum(['true', 'false'])
      .default('true')
      .transform((v) => v === 'true'),
  ),
  REDIS_URL: redisUrl,
  REDIS_SENTINELS: hostPortList,
  REDIS_MASTER_NAME: z.preprocess(emptyAsUndefined, z.string().default('hsc-jit')),
  REDIS_PASSWORD: optionalString,
  REDIS_SENTINEL_PASSWORD: optionalString,
  PREDICTION_CONFIDENCE_THRESHOLD: number(0, 1, 0.9),
  PREDICTION_LIMIT: int(1, 20, 5),
  DRAIN_SECONDS: number(0, 300, 10),
  WS_MAX_CONNECTIONS: int(1, 1_000_000, 20_000),
  WS_MAX_CONNECTIONS_PER_CLIENT: int(1, 1_000_000, 200),
  TRUST_PROXY: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .regex(/^(true|false|\d{1,2})$/, 'the number of proxies in front (the ingress is 1), or true (= 1) / false (= 0)')
      .default('false')
      .transform((v) => (v === 'true' ? 1 : v === 'false' ? 0 : Number(v))),
  ),
  ALLOWED_ORIGINS: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .transform((list, ctx) => {
        const origins = new Set<string>();
        for (const entry of list
          .split(',')
          .map((o) => o.trim())
          .filter(Boolean)) {
          const url = URL.canParse(entry) ? new URL(entry) : undefined;
          if (!url || !/^https?:$/.test(url.protocol) || url.origin !== entry.replace(/\/+$/, '').toLowerCase()) {
            ctx.addIssue({
              code: 'custom',
              message: `a comma-separated list of origins like https://support.example.com; "${entry}" is not one`,
            });
            return z.NEVER;
          }
          origins.add(url.origin);
        }
        return origins;
      })
      .default(new Set<string>()),
  ),
  WS_RATE_PER_SECOND: number(1, 10_000, 50),
  WS_RATE_BURST: int(1, 100_000, 100),
  WS_HEARTBEAT_SECONDS: number(1, 300, 20),
  WS_MAX_ASKS_PER_CONNECTION: int(1, 100, 3),
  WS_MAX_ASKS: int(1, 1_000_000, 1_000),
  WS_SEND_BACKLOG_BYTES: int(64 * 1024, 256 * 1024 * 1024, 1024 * 1024),
  WS_HISTORY_MAX_BYTES: int(16 * 1024, 1024 * 1024, 256 * 1024),
  MANUAL_HOSTS: hostList,
  MANUAL_MAX_BYTES: int(1024, 1024 * 1024 * 1024, 50 * 1024 * 1024),
  MANUAL_JOB_ATTEMPTS: int(1, 10, 3),
  MANUAL_RETRY_SECONDS: int(1, 3_600, 1),
  MANUAL_FAILED_COOLDOWN_SECONDS: int(0, 86_400, 60),
  MANUAL_PERMANENT_FAILURE_COOLDOWN_SECONDS: int(0, 7 * 86_400, 3_600),
  MANUAL_IN_FLIGHT_PER_SESSION: int(1, 1_000, 2),
  MANUAL_IN_FLIGHT_PER_ADDRESS: int(1, 10_000, 6),
  MANUAL_STARTS_PER_MINUTE_PER_SESSION: int(1, 10_000, 10),
  MANUAL_STARTS_PER_MINUTE_PER_ADDRESS: int(1, 100_000, 30),
  MANUAL_QUEUE_MAX: int(1, 1_000_000, 1_000),
  DEMO_MANUALS: z.preprocess(
    emptyAsUndefined,
    z
      .enum(['true', 'false'])
      .default('true')
      .transform((v) => v === 'true'),
  ),
  ANSWER_WAIT_SECONDS: number(0, 600, 60),
  PUBLIC_URL: z.preprocess(
    emptyAsUndefined,
    z
      .url({ protocol: /^https?$/ })
      .transform((u) => u.replace(/\/+$/, ''))
      .optional(),
  ),
  LLM_BASE_URL: z.preprocess(emptyAsUndefined, z.url({ protocol: /^https?$/ }).optional()),
  LLM_MODEL: optionalString,
  LLM_API_KEY: optionalString,
  SENTRY_DSN: sentryDsn,
  RETENTION_DAYS: int(1, 3650, 90),
  WORKER_PORT: int(0, 65_535, 9464),
  WORKER_CONCURRENCY: int(1, 64, 2),
  WORKER_URGENT_CONCURRENCY: int(1, 64, 1),
  JOB_LOCK_SECONDS: int(1, 3600, 30),
  ADMIN_TOKEN: z.preprocess(
    emptyAsUndefined,
    z.string().min(32, 'at least 32 characters (use a random secret)').optional(),
  ),
  AUDIT_DETAIL_MAX_CHARS: int(0, 2_000, 200),
  SUPPORT_URL: z.preprocess(emptyAsUndefined, z.url({ protocol: /^https?$/ }).optional()),
  SUPPORT_EMAIL: z.preprocess(emptyAsUndefined, z.email().optional()),
});

export type Env = z.infer<typeof EnvSchema>;

/**
 * Variables the app reads besides the schema's: PGPASSWORD (node-postgres, when a database URL carries no
 * password) and APP_RELEASE (the build-info metric's version, Sentry's release).
 */
const PASSTHROUGH_ENV = ['PGPASSWORD', 'APP_RELEASE'] as const;
/** Every environment variable the app reads. */
export type AppEnvName = keyof typeof EnvSchema.shape | (typeof PASSTHROUGH_ENV)[number];
export const APP_ENV_NAMES: ReadonlySet<AppEnvName> = new Set<AppEnvName>([
  ...(Object.keys(EnvSchema.shape) as (keyof typeof EnvSchema.shape)[]),
  ...PASSTHROUGH_ENV,
]);
/**
 * A container's environment for the app, as the platform builds it: only variables the app reads, each
 * a `V` (a string, a Kubernetes EnvValue). A misspelt name fails `tsc` instead of falling back to a default.
 */
export type AppEnv<V = string> = { [K in AppEnvName]?: V };

export interface AppConfig {
  env: Env['NODE_ENV'];
  host: string;
  port: number;
  /** The gateway's internal listener: /metrics and the admin API, never routed by the Ingress. */
  internalPort: number;
  logLevel: Env['LOG_LEVEL'];
  dataDir: string;
  catalogFile: string | undefined;
  database:
    | { kind: 'embedded'; dataDir: string }
    | {
        kind: 'postgres';
        url: string;
        replicaUrl: string | undefined;
        poolMax: number;
        statementTimeoutMs: number;
        /** PEM of the CA that signs the server's certificate: TLS with the certificate and host name verified. */
        ca: string | undefined;
      };
  /** Apply pending migrations at start-up (outside the cluster); false: only check them (a release step applied them). */
  migrateOnStart: boolean;
  redis:
    | { kind: 'embedded' }
    | { kind: 'url'; url: string; password: string | undefined }
    | {
        kind: 'sentinel';
        sentinels: { host: string; port: number }[];
        masterName: string;
        password: string | undefined;
        /** The sentinels' own password (`requirepass` on the sentinels). */
        sentinelPassword: string | undefined;
      };
  prediction: { confidenceThreshold: number; limit: number };
  websocket: {
    maxConnections: number;
    maxConnectionsPerClient: number;
    trustedProxyHops: number;
    allowedOrigins: ReadonlySet<string>;
    ratePerSecond: number;
    rateBurst: number;
    heartbeatSeconds: number;
    maxAsksPerConnection: number;
    maxAsks: number;
    /** A socket's send budget (bytes not yet taken by the network) and the `history` frame's cap. */
    sendBacklogBytes: number;
    historyMaxBytes: number;
  };
  drainSeconds: number;
  manualHosts: string[];
  /** `retrySeconds`: the first retry's delay after a failed attempt; each further one doubles it. */
  manuals: {
    maxBytes: number;
    attempts: number;
    retrySeconds: number;
    demo: boolean;
    answerWaitSeconds: number;
    /** How long a failed manual stays failed before a `select` may start it again (longer after a permanent failure). */
    failedCooldownSeconds: number;
    permanentFailureCooldownSeconds: number;
    /** Each customer's share of manual preparation: see ManualFairness (manuals/fairness.ts). */
    fairness: {
      inFlightPerSession: number;
      inFlightPerAddress: number;
      startsPerMinutePerSession: number;
      startsPerMinutePerAddress: number;
    };
    /** Manual jobs waiting at most; a manual requested beyond it gets `unavailable`. */
    queueMax: number;
  };
  /** The address every instance shares (the gateway Service); workers fetch demo manuals from it. */
  publicUrl: string | undefined;
  llm: { baseUrl: string; model: string; apiKey: string | undefined } | undefined;
  sentryDsn: string | undefined;
  /** Conversations and audit rows older than this are purged. */
  retentionDays: number;
  /** Free text (a question) kept in an audit row, at most. */
  auditDetailMaxChars: number;
  /**
   * The worker process's probe and metrics port, how many manuals it processes at once, and how many
   * more it keeps for urgent ones (a question waits on it, a demo or small manual) that bulk cannot take.
   */
  worker: { port: number; concurrency: number; urgentConcurrency: number; lockSeconds: number };
  /** Bearer token for /api/admin (erasure requests); the routes are off without it. */
  adminToken: string | undefined;
  /** Shown to customers where no manual can help (none exists, or it failed for good). */
  support: { url?: string; email?: string };
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Why the embedded database could not write to `dir`, or undefined when it can. PGlite itself hangs
 * without a word on a directory it cannot write, so this is tried with a real file first.
 */
function writeProblem(dir: string): string | undefined {
  const probe = join(dir, `.write-test-${process.pid}`);
  try {
    ensureDir(dir);
    writeFileSync(probe, '');
    rmSync(probe);
    return undefined;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code ?? 'not writable';
  }
}

/** mkdir -p by hand: Node's recursive mkdir never returns for a path under /proc. */
function ensureDir(dir: string): void {
  try {
    mkdirSync(dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return;
    if (code !== 'ENOENT' || dirname(dir) === dir) throw error;
    ensureDir(dirname(dir));
    mkdirSync(dir);
  }
}

/** The CA file's PEM, or undefined with the reason added to `problems` (a missing file or no certificate in it). */
function readCa(path: string, problems: string[]): string | undefined {
  let pem: string;
  try {
    pem = readFileSync(path, 'utf8');
  } catch (error) {
    problems.push(
      `DATABASE_CA_FILE: expected a readable PEM file (got "${path}": ${(error as NodeJS.ErrnoException).code})`,
    );
    return undefined;
  }
  try {
    new X509Certificate(pem);
    return pem;
  } catch {
    problems.push(`DATABASE_CA_FILE: expected a PEM certificate (got "${path}", which holds none)`);
    return undefined;
  }
}

export function loadConfig(source: Record<string, string | undefined> = process.env): AppConfig {
  const parsed = EnvSchema.safeParse(source);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        const variable = String(issue.path[0] ?? '?');
        const raw = source[variable];
        // Never echo a secret back, even in an error.
        const shown = /KEY|PASSWORD|DSN|URL|TOKEN/.test(variable) ? '' : raw === undefined ? '' : ` (got "${raw}")`;
        return `${variable}: expected ${issue.message}${shown}`;
      }),
    );
  }
  const e = parsed.data;
  const problems: string[] = [];
  if (e.REDIS_URL && e.REDIS_SENTINELS) problems.push('REDIS_URL and REDIS_SENTINELS: set one of them, not both');
  if (e.REDIS_SENTINEL_PASSWORD && !e.REDIS_SENTINELS)
    problems.push('REDIS_SENTINEL_PASSWORD: only used with REDIS_SENTINELS; set that too, or unset it');
  if (e.DATABASE_REPLICA_URL && !e.DATABASE_URL)
    problems.push('DATABASE_REPLICA_URL: needs DATABASE_URL (the primary) as well');
  if ((e.LLM_BASE_URL === undefined) !== (e.LLM_MODEL === undefined))
    problems.push('LLM_BASE_URL and LLM_MODEL: set both to use an LLM, or neither for the extractive model');
  const ca = e.DATABASE_CA_FILE ? readCa(e.DATABASE_CA_FILE, problems) : undefined;
  if (e.DATABASE_CA_FILE && !e.DATABASE_URL)
    problems.push('DATABASE_CA_FILE: only used with DATABASE_URL; set that too, or unset it');
  // node-postgres lets a URL's ssl parameters replace the TLS options built from the CA file.
  for (const [name, url] of [
    ['DATABASE_URL', e.DATABASE_URL],
    ['DATABASE_REPLICA_URL', e.DATABASE_REPLICA_URL],
  ] as const)
    if (e.DATABASE_CA_FILE && url && [...new URL(url).searchParams.keys()].some((k) => k.startsWith('ssl')))
      problems.push(`${name}: leave out ssl* parameters when DATABASE_CA_FILE is set (it turns on verify-full TLS)`);
  if (!e.DATABASE_URL) {
    const unwritable = writeProblem(e.DATA_DIR);
    if (unwritable)
      problems.push(
        `DATA_DIR: expected a writable directory for the embedded database (got "${e.DATA_DIR}": ${unwritable})`,
      );
  }
  if (problems.length > 0) throw new ConfigError(problems);

  return {
    env: e.NODE_ENV,
    host: e.HOST,
    port: e.PORT,
    internalPort: e.INTERNAL_PORT,
    logLevel: e.LOG_LEVEL,
    dataDir: e.DATA_DIR,
    catalogFile: e.CATALOG_FILE,
    database: e.DATABASE_URL
      ? {
          kind: 'postgres',
          url: e.DATABASE_URL,
          replicaUrl: e.DATABASE_REPLICA_URL,
          poolMax: e.DATABASE_POOL_MAX,
          statementTimeoutMs: e.DATABASE_STATEMENT_TIMEOUT_MS,
          ca,
        }
      : { kind: 'embedded', dataDir: e.DATA_DIR },
    migrateOnStart: e.MIGRATE_ON_START,
    redis: e.REDIS_SENTINELS
      ? {
          kind: 'sentinel',
          sentinels: e.REDIS_SENTINELS,
          masterName: e.REDIS_MASTER_NAME,
          password: e.REDIS_PASSWORD,
          // Bitnami's convention: without a password of their own, sentinels share the data nodes' one.
          sentinelPassword: e.REDIS_SENTINEL_PASSWORD ?? e.REDIS_PASSWORD,
        }
      : e.REDIS_URL
        ? { kind: 'url', url: e.REDIS_URL, password: e.REDIS_PASSWORD }
        : { kind: 'embedded' },
    prediction: { confidenceThreshold: e.PREDICTION_CONFIDENCE_THRESHOLD, limit: e.PREDICTION_LIMIT },
    websocket: {
      maxConnections: e.WS_MAX_CONNECTIONS,
      maxConnectionsPerClient: e.WS_MAX_CONNECTIONS_PER_CLIENT,
      trustedProxyHops: e.TRUST_PROXY,
      allowedOrigins: e.ALLOWED_ORIGINS,
      ratePerSecond: e.WS_RATE_PER_SECOND,
      rateBurst: e.WS_RATE_BURST,
      heartbeatSeconds: e.WS_HEARTBEAT_SECONDS,
      maxAsksPerConnection: e.WS_MAX_ASKS_PER_CONNECTION,
      maxAsks: e.WS_MAX_ASKS,
      sendBacklogBytes: e.WS_SEND_BACKLOG_BYTES,
      historyMaxBytes: e.WS_HISTORY_MAX_BYTES,
    },
    drainSeconds: e.DRAIN_SECONDS,
    manualHosts: e.MANUAL_HOSTS,
    publicUrl: e.PUBLIC_URL,
    manuals: {
      maxBytes: e.MANUAL_MAX_BYTES,
      attempts: e.MANUAL_JOB_ATTEMPTS,
      retrySeconds: e.MANUAL_RETRY_SECONDS,
      demo: e.DEMO_MANUALS,
      answerWaitSeconds: e.ANSWER_WAIT_SECONDS,
      failedCooldownSeconds: e.MANUAL_FAILED_COOLDOWN_SECONDS,
      permanentFailureCooldownSeconds: e.MANUAL_PERMANENT_FAILURE_COOLDOWN_SECONDS,
      fairness: {
        inFlightPerSession: e.MANUAL_IN_FLIGHT_PER_SESSION,
        inFlightPerAddress: e.MANUAL_IN_FLIGHT_PER_ADDRESS,
        startsPerMinutePerSession: e.MANUAL_STARTS_PER_MINUTE_PER_SESSION,
        startsPerMinutePerAddress: e.MANUAL_STARTS_PER_MINUTE_PER_ADDRESS,
      },
      queueMax: e.MANUAL_QUEUE_MAX,
    },
    llm:
      e.LLM_BASE_URL && e.LLM_MODEL
        ? { baseUrl: e.LLM_BASE_URL, model: e.LLM_MODEL, apiKey: e.LLM_API_KEY }
        : undefined,
    sentryDsn: e.SENTRY_DSN,
    retentionDays: e.RETENTION_DAYS,
    auditDetailMaxChars: e.AUDIT_DETAIL_MAX_CHARS,
    adminToken: e.ADMIN_TOKEN,
    support: {
      ...(e.SUPPORT_URL ? { url: e.SUPPORT_URL } : {}),
      ...(e.SUPPORT_EMAIL ? { email: e.SUPPORT_EMAIL } : {}),
    },
    worker: {
      port: e.WORKER_PORT,
      concurrency: e.WORKER_CONCURRENCY,
      urgentConcurrency: e.WORKER_URGENT_CONCURRENCY,
      lockSeconds: e.JOB_LOCK_SECONDS,
    },
  };
}
