/**
 * The app's one typed configuration, read from the environment and validated at start-up.
 *
 * Every setting is declared once, in `settings` below: its environment variable, the parser that checks
 * and converts it, its default and a one-line description. The config type (`AppConfig`), the reading of
 * the environment, the README's settings table (scripts/settings-doc.ts), the start-up warnings about
 * unknown variables (config/warnings.ts) and the typed per-stack overrides (stacks/types.ts) all follow
 * from that declaration.
 *
 * Nothing set → embedded defaults (PGlite in DATA_DIR, in-process cache/bus/queue, bundled catalog).
 * A bad value stops start-up with a message naming the variable and what it expects.
 */
import { X509Certificate } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { z } from 'zod';
import {
  email,
  flag,
  manualHostList,
  hostPortList,
  httpUrl,
  int,
  number,
  oneOf,
  originSet,
  postgresUrl,
  proxyHops,
  redisUrl,
  secretToken,
  sentryDsn,
  text,
} from './config/values.js';

/** One setting: an environment variable and what it means to the app. */
export interface SettingSpec {
  readonly env: string;
  /** Parses the variable's string (never empty: empty counts as unset) into the value the app uses. */
  readonly value: z.ZodType<unknown, string>;
  /** What an unset variable means, written as the variable would be; without one the setting is optional. */
  readonly default?: string;
  /** One line for the README's settings table. */
  readonly doc: string;
  /** Never echoed, not even in an error: it holds (or may hold) a credential. */
  readonly redact?: true;
  /** Reaches a container only from a Secret (a stack can never write it as a plain value). */
  readonly secret?: true;
  /** Older names still read, each with a deprecation warning at start-up. */
  readonly formerly?: readonly string[];
}
interface SettingsTree {
  readonly [name: string]: SettingSpec | SettingsTree;
}

const MiB = 1024 * 1024;

export const settings = {
  server: {
    environment: {
      env: 'NODE_ENV',
      value: oneOf(['development', 'production', 'test']),
      default: 'development',
      doc: "the deployment's kind: Sentry's environment",
    },
    host: {
      env: 'HOST',
      value: text(),
      default: '0.0.0.0',
      doc: "the address the gateway's public port (`PORT`: HTTP and `/ws`) listens on",
    },
    internalHost: {
      env: 'INTERNAL_HOST',
      value: text(),
      default: '127.0.0.1',
      doc: "the address the internal listeners bind (the gateway's `INTERNAL_PORT`: `/metrics`, admin API; the worker's `WORKER_PORT`: probes, `/metrics`): loopback unless set; the cluster sets `0.0.0.0` so Prometheus and the kubelet reach them",
    },
    port: { env: 'PORT', value: int(0, 65_535), default: '8080', doc: "the gateway's port: HTTP and `/ws`" },
    internalPort: {
      env: 'INTERNAL_PORT',
      value: int(0, 65_535),
      default: '9465',
      doc: "the gateway's internal listener: `/metrics` and the admin API, never routed by the Ingress (Prometheus scrapes it; operators use `kubectl port-forward`)",
    },
    drainSeconds: {
      env: 'DRAIN_SECONDS',
      value: number(0, 300),
      default: '10',
      doc: 'on SIGTERM: readiness 503 at once, new sockets refused, open ones are sent `draining` (they reconnect elsewhere within a quarter of this, at most 2 s) and get this long, then 1001',
    },
    publicUrl: {
      env: 'PUBLIC_URL',
      value: httpUrl().transform((u) => u.replace(/\/+$/, '')),
      doc: 'the address every instance shares (the gateway Service); workers fetch demo manuals from it',
      redact: true,
    },
    adminToken: {
      env: 'ADMIN_TOKEN',
      value: secretToken(),
      doc: 'bearer token for `DELETE /api/admin/sessions/:id` on `INTERNAL_PORT` (erasure, final: the id is tombstoned, its asks stopped and its sockets on every instance closed, then its rows deleted); unset: the admin API is off; 10 failed attempts from one address within a minute are answered 429 until the minute ends, counted in `admin_auth_failures_total`',
      redact: true,
      secret: true,
    },
  },
  observability: {
    logLevel: {
      env: 'LOG_LEVEL',
      value: oneOf(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
      default: 'info',
      doc: 'pino level; logs are JSON on stdout ([fields](docs/logging.md))',
    },
    sentryDsn: {
      env: 'SENTRY_DSN',
      value: sentryDsn(),
      doc: 'report unhandled errors and 5xx to Sentry, secrets scrubbed',
      redact: true,
      secret: true,
    },
  },
  storage: {
    dataDir: {
      env: 'DATA_DIR',
      value: text(),
      default: '.data',
      doc: "embedded mode's PGlite data directory (must be writable when `DATABASE_URL` is unset)",
    },
    migrateOnStart: {
      env: 'MIGRATE_ON_START',
      value: flag(),
      default: 'true',
      doc: 'apply pending schema migrations at start-up; `false` (the cluster, where the migration Job is the release step) only checks them and refuses to start, naming what is missing, when the schema is older than this version needs',
    },
    catalogFile: {
      env: 'CATALOG_FILE',
      value: text(),
      doc: "catalog imported at start-up instead of the bundled one: a JSON array of `{id, brand, name, category, aliases?, manualUrl?, imageUrl?, supportUrl?}` (`supportUrl`: the product's own https support page, the default support contact when `SUPPORT_URL` is unset), cleaned on the way in by the data rules in `app/core/catalog/rules/catalog-rules.json` (one display name per brand, mended names; `npm run catalog:report` previews a file); streamed and written in batches (a million records import on embedded defaults: `npm run bench:catalog`); bad records (a missing field, control characters, a lone surrogate, a duplicate id) are reported by position and skipped; re-importing is idempotent; products missing from a new file are retired",
    },
  },
  database: {
    url: {
      env: 'DATABASE_URL',
      value: postgresUrl(),
      doc: 'Postgres primary; unset: embedded PGlite in `DATA_DIR`',
      redact: true,
    },
    replicaUrl: {
      env: 'DATABASE_REPLICA_URL',
      value: postgresUrl(),
      doc: 'optional read replica for lag-tolerant reads (falls back to the primary when it fails); needs `DATABASE_URL`',
      redact: true,
    },
    poolMax: {
      env: 'DATABASE_POOL_MAX',
      value: int(1, 500),
      default: '10',
      doc: 'pool size (a full pool waits 2 s, then fails fast)',
    },
    statementTimeoutMs: {
      env: 'DATABASE_STATEMENT_TIMEOUT_MS',
      value: int(100, 600_000),
      default: '5000',
      doc: 'statement timeout',
    },
    caFile: {
      env: 'DATABASE_CA_FILE',
      value: text(),
      doc: "PEM of the CA that signs the server's certificate: every connection is TLS with the chain and the host name verified (verify-full); the cluster mounts CloudNativePG's `<cluster>-ca` there. Checked at start; the URLs then carry no `ssl*` parameters; unset: plain, or the URL's own `sslmode`",
    },
  },
  redis: {
    url: {
      env: 'REDIS_URL',
      value: redisUrl(),
      doc: 'Redis for the L2 cache, pub/sub and BullMQ queues (sessions are in the database, apart from the cache); unset (and no `REDIS_SENTINELS`): in-process',
      redact: true,
    },
    sentinels: {
      env: 'REDIS_SENTINELS',
      value: hostPortList(),
      doc: "Redis through Sentinel instead of `REDIS_URL`: every sentinel's host:port",
    },
    masterName: {
      env: 'REDIS_MASTER_NAME',
      value: text(),
      default: 'hsc-jit',
      doc: "the master's name the sentinels monitor",
    },
    password: {
      env: 'REDIS_PASSWORD',
      value: text(),
      doc: "the Redis data nodes' password",
      redact: true,
      secret: true,
    },
    sentinelPassword: {
      env: 'REDIS_SENTINEL_PASSWORD',
      value: text(),
      doc: "the sentinels' own password (`requirepass` on the sentinels); only with `REDIS_SENTINELS`; unset: `REDIS_PASSWORD`",
      redact: true,
      secret: true,
    },
  },
  prediction: {
    limit: { env: 'PREDICTION_LIMIT', value: int(1, 20), default: '5', doc: 'predictions per keystroke' },
  },
  manuals: {
    prefetchConfidence: {
      env: 'MANUAL_PREFETCH_CONFIDENCE',
      value: number(0, 1),
      default: '0.9',
      doc: 'a product predicted with at least this confidence for 4 keystrokes (or when typing pauses) has its manual fetched before it is chosen; only decides the prefetch',
      formerly: ['PREDICTION_CONFIDENCE_THRESHOLD'],
    },
    hosts: {
      env: 'MANUAL_HOSTS',
      value: manualHostList(),
      default: '',
      doc: "hosts manuals may be fetched from besides the catalog's manual hosts (comma-separated `host` or `host:port`, IPv6 in brackets); these may resolve to private addresses; a host alone means its default ports (80, 443) only, so a redirect to another port of it is refused",
    },
    maxBytes: {
      env: 'MANUAL_MAX_BYTES',
      value: int(1024, 1024 * MiB),
      default: String(50 * MiB),
      doc: 'download cap (50 MiB), enforced while streaming',
    },
    /**
     * What one manual may grow into, relative to its PDF's size (counted as at least 1 MiB, so a small
     * manual is never refused for being small): a small PDF whose pages share one compressed content
     * stream can decompress into thousands of pages. Past any of them the manual fails with the reason.
     */
    bounds: {
      pagesPerMb: {
        env: 'MANUAL_MAX_PAGES_PER_MB',
        value: int(1, 1_000_000),
        default: '1000',
        doc: 'pages a manual may have per MiB of PDF (a real page costs about a kilobyte or more)',
      },
      textPerMb: {
        env: 'MANUAL_MAX_TEXT_MB_PER_MB',
        value: int(1, 1_000),
        default: '8',
        doc: 'MiB of extracted text a manual may yield per MiB of PDF, and never more than 32 MiB; the extractor is stopped as soon as it passes',
      },
      chunksPerMb: {
        env: 'MANUAL_MAX_CHUNKS_PER_MB',
        value: int(1, 1_000_000),
        default: '5000',
        doc: 'search chunks (about 700 characters each) a manual may be indexed as per MiB of PDF',
      },
    },
    attempts: { env: 'MANUAL_JOB_ATTEMPTS', value: int(1, 10), default: '3', doc: 'download attempts per manual' },
    retrySeconds: {
      env: 'MANUAL_RETRY_SECONDS',
      value: int(1, 3_600),
      default: '1',
      doc: "the first retry's delay, doubling after each failed attempt (the page shows when the next starts)",
    },
    failedCooldownSeconds: {
      env: 'MANUAL_FAILED_COOLDOWN_SECONDS',
      value: int(0, 86_400),
      default: '60',
      doc: 'how long a manual that failed transiently stays failed before a `select` may download it again; a changed URL starts over at once',
    },
    permanentFailureCooldownSeconds: {
      env: 'MANUAL_PERMANENT_FAILURE_COOLDOWN_SECONDS',
      value: int(0, 7 * 86_400),
      default: '3600',
      doc: 'the same after a permanent failure (404, not a PDF)',
    },
    queueMax: {
      env: 'MANUAL_QUEUE_MAX',
      value: int(1, 1_000_000),
      default: '1000',
      doc: 'manuals waiting at most; a request beyond it gets `unavailable`',
    },
    demo: {
      env: 'DEMO_MANUALS',
      value: flag(),
      default: 'true',
      doc: 'serve and use the bundled demo manuals (off in the cluster)',
    },
    /** Each customer's share of manual preparation, per gateway instance: see ManualFairness (manuals/fairness.ts). */
    fairness: {
      inFlightPerSession: {
        env: 'MANUAL_IN_FLIGHT_PER_SESSION',
        value: int(1, 1_000),
        default: '2',
        doc: 'manuals one session may have in preparation at once; beyond it the manual waits (`queued`, v5 `queuedReason: fair_share`) while predictions and answers carry on ([protocol](docs/protocol.md#fair-share-version-5))',
      },
      inFlightPerAddress: {
        env: 'MANUAL_IN_FLIGHT_PER_ADDRESS',
        value: int(1, 10_000),
        default: '6',
        doc: 'the same for one client address',
      },
      startsPerMinutePerSession: {
        env: 'MANUAL_STARTS_PER_MINUTE_PER_SESSION',
        value: int(1, 10_000),
        default: '10',
        doc: 'manual preparations one session may start per minute',
      },
      startsPerMinutePerAddress: {
        env: 'MANUAL_STARTS_PER_MINUTE_PER_ADDRESS',
        value: int(1, 100_000),
        default: '30',
        doc: 'the same for one client address',
      },
    },
  },
  answers: {
    waitSeconds: {
      env: 'ANSWER_WAIT_SECONDS',
      value: number(0, 600),
      default: '60',
      doc: 'how long an ask waits for a manual still being prepared',
    },
    llm: {
      baseUrl: {
        env: 'LLM_BASE_URL',
        value: httpUrl(),
        doc: "an OpenAI-compatible streaming model (OpenAI, Gemini's OpenAI endpoint, vLLM, Ollama), with `LLM_MODEL`; unset: the extractive model answers from the manual's own sentences",
        redact: true,
      },
      model: { env: 'LLM_MODEL', value: text(), doc: "the model's name, with `LLM_BASE_URL`" },
      apiKey: { env: 'LLM_API_KEY', value: text(), doc: "the model API's key", redact: true, secret: true },
    },
  },
  support: {
    url: {
      env: 'SUPPORT_URL',
      value: httpUrl(),
      doc: 'where customers get help when no manual can (none exists, or it failed for good) or an answer is not sure ("The closest I found…", "This isn\'t in the manual"): shown in the product card and the conversation; unset, the product\'s catalog `supportUrl` is used',
    },
    email: { env: 'SUPPORT_EMAIL', value: email(), doc: 'the same as an email address' },
  },
  websocket: {
    maxConnections: {
      env: 'WS_MAX_CONNECTIONS',
      value: int(1, 1_000_000),
      default: '20000',
      doc: 'sockets per instance (beyond it: 1013 with a reason)',
    },
    maxConnectionsPerClient: {
      env: 'WS_MAX_CONNECTIONS_PER_CLIENT',
      value: int(1, 1_000_000),
      default: '200',
      doc: 'sockets per client address (beyond it: 1008 with a reason)',
    },
    connectsPerMinutePerClient: {
      env: 'WS_CONNECTS_PER_MINUTE_PER_CLIENT',
      value: int(1, 1_000_000),
      default: '300',
      doc: 'new sockets one client address may open per minute, a burst of as many then that rate (beyond it: 1013 `connect_rate`)',
    },
    trustedProxyHops: {
      env: 'TRUST_PROXY',
      value: proxyHops(),
      default: 'false',
      doc: 'proxies in front of the gateway (the ingress is `1`; `true` = 1, `false` = 0): the client address is the `X-Forwarded-For` hop the outermost of them added, never a hop the client wrote',
    },
    allowedOrigins: {
      env: 'ALLOWED_ORIGINS',
      value: originSet(),
      default: '',
      doc: "browser origins (`https://host[:port]`, comma-separated) allowed to open `/ws` besides the gateway's own host; other origins get 403, clients without `Origin` are allowed",
    },
    ratePerSecond: {
      env: 'WS_RATE_PER_SECOND',
      value: number(1, 10_000),
      default: '50',
      doc: "per-connection token bucket's rate: a 40 frames/s typist is never limited, a flood is told `rate_limited`, then closed with 1008",
    },
    rateBurst: { env: 'WS_RATE_BURST', value: int(1, 100_000), default: '100', doc: "the token bucket's burst" },
    heartbeatSeconds: {
      env: 'WS_HEARTBEAT_SECONDS',
      value: number(1, 300),
      default: '20',
      doc: 'a `heartbeat` frame (and a protocol ping) to every socket this often; a socket that answers neither for a whole interval is cut ([protocol](docs/protocol.md#heartbeat))',
    },
    maxAsksPerConnection: {
      env: 'WS_MAX_ASKS_PER_CONNECTION',
      value: int(1, 100),
      default: '3',
      doc: 'questions one socket may have answering or waiting at once; beyond it an `ask` gets `error` `rate_limited` with its `ref`',
    },
    maxAsks: {
      env: 'WS_MAX_ASKS',
      value: int(1, 1_000_000),
      default: '1000',
      doc: 'the same for the whole instance; beyond it an `ask` gets `unavailable`',
    },
    sendBacklogBytes: {
      env: 'WS_SEND_BACKLOG_BYTES',
      value: int(64 * 1024, 256 * MiB),
      default: String(MiB),
      doc: "a socket's send budget (1 MiB): past it, superseded frames (predictions, manual progress) are dropped and anything else closes the socket with 1013",
    },
    historyMaxBytes: {
      env: 'WS_HISTORY_MAX_BYTES',
      value: int(16 * 1024, MiB),
      default: String(256 * 1024),
      doc: 'the cap of one `history` frame (256 KiB): the newest turns that fit; a v5 client pages older ones ([protocol](docs/protocol.md#version-5))',
    },
  },
  worker: {
    port: { env: 'WORKER_PORT', value: int(0, 65_535), default: '9464', doc: "the worker's probe and metrics port" },
    concurrency: {
      env: 'WORKER_CONCURRENCY',
      value: int(1, 64),
      default: '2',
      doc: 'manuals a worker processes at once',
    },
    urgentConcurrency: {
      env: 'WORKER_URGENT_CONCURRENCY',
      value: int(1, 64),
      default: '1',
      doc: 'workers more that only take urgent manuals (a question waits on it; demo or small ones: the `manuals-urgent` queue), so bulk requests never hold every worker',
    },
    lockSeconds: {
      env: 'JOB_LOCK_SECONDS',
      value: int(1, 3600),
      default: '30',
      doc: "how soon a dead worker's job is taken over (and a `select` of a manual whose record has not moved for this long re-queues it at once)",
    },
  },
  sessions: {
    storeMax: {
      env: 'SESSION_STORE_MAX',
      value: int(1, 100_000_000),
      default: '1000000',
      doc: "stored sessions at most (a session is stored on its first `select` or `ask`, in the database); past it a new customer's `select`/`ask` gets `unavailable`, counted in `session_store_full_total` (alert `SessionStoreFull`)",
    },
  },
  privacy: {
    retentionDays: {
      env: 'RETENTION_DAYS',
      value: int(1, 3650),
      default: '90',
      doc: 'conversations and audit rows older than this are purged hourly',
    },
    auditDetailMaxChars: {
      env: 'AUDIT_DETAIL_MAX_CHARS',
      value: int(0, 2_000),
      default: '200',
      doc: 'question text kept in an audit row, at most',
    },
  },
} as const satisfies SettingsTree;

/** The settings' values, shaped like the schema's groups. */
type Values<T> = { -readonly [K in keyof T]: T[K] extends SettingSpec ? ValueOf<T[K]> : Values<T[K]> };
type ValueOf<S extends SettingSpec> = S extends { default: string }
  ? z.output<S['value']>
  : z.output<S['value']> | undefined;
export type SettingValues = Values<typeof settings>;

type Leaves<T> = T extends SettingSpec ? T : { [K in keyof T]: Leaves<T[K]> }[keyof T];
type Setting = Leaves<typeof settings>;
/** Every setting's environment variable. */
export type SettingName = Setting['env'];
/** A setting's value by its variable, as the app uses it. */
export type SettingValue<N extends SettingName> = z.output<Extract<Setting, { env: N }>['value']>;

/** Every setting, in declaration order, with the path of its value in `SettingValues`. */
export const settingList: ReadonlyArray<SettingSpec & { path: readonly string[] }> = (function flatten(
  tree: SettingsTree,
  at: readonly string[],
): Array<SettingSpec & { path: readonly string[] }> {
  return Object.entries(tree).flatMap(([key, node]) =>
    'env' in node && typeof node.env === 'string'
      ? [{ ...(node as SettingSpec), path: [...at, key] }]
      : flatten(node as SettingsTree, [...at, key]),
  );
})(settings, []);
const byName = new Map(settingList.map((s) => [s.env, s]));

/**
 * Variables the app reads besides the settings: PGPASSWORD (node-postgres, when a database URL carries no
 * password) and APP_RELEASE (the build-info metric's version, Sentry's release).
 */
const PASSTHROUGH_ENV = ['PGPASSWORD', 'APP_RELEASE'] as const;
/** Every environment variable the app reads. */
export type AppEnvName = SettingName | (typeof PASSTHROUGH_ENV)[number];
export const APP_ENV_NAMES: ReadonlySet<AppEnvName> = new Set<AppEnvName>([
  ...settingList.map((s) => s.env as SettingName),
  ...PASSTHROUGH_ENV,
]);
/**
 * A container's environment for the app, as the platform builds it: only variables the app reads, each
 * a `V` (a string, a secret reference). A misspelt name fails `tsc` instead of falling back to a default.
 */
export type AppEnv<V = string> = { [K in AppEnvName]?: V };

/** A setting as a stack writes it: its value, lists as arrays. */
type Writable<T> = T extends ReadonlySet<infer U> ? readonly U[] : T;
/**
 * The settings a deployment may give a component as plain values, typed by the schema: every setting but
 * those that only come from a Secret.
 */
export type AppSettings = {
  [N in Exclude<Setting, { secret: true }>['env']]?: Writable<SettingValue<N>>;
};

/** A setting's value written as its environment variable (lists comma-separated). */
export function formatSetting(value: unknown): string {
  if (typeof value === 'object' && value !== null && Symbol.iterator in value)
    return [...(value as Iterable<unknown>)].map(formatSetting).join(',');
  if (typeof value === 'object' && value !== null && 'host' in value && 'port' in value)
    return `${String(value.host)}:${String(value.port)}`;
  return String(value);
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const present = (value: string | undefined): string | undefined =>
  value === undefined || value.trim() === '' ? undefined : value;

/** The variable a setting is read from: its own name, else the first former name that is set. */
export function sourceOf(setting: SettingSpec, source: Record<string, string | undefined>): string {
  if (present(source[setting.env]) !== undefined) return setting.env;
  return setting.formerly?.find((name) => present(source[name]) !== undefined) ?? setting.env;
}

/** A setting's value from `raw` (unset or empty: its default), or the problem, naming `variable`. */
function parseSetting(
  setting: SettingSpec,
  variable: string,
  raw: string | undefined,
): { value: unknown } | { problem: string } {
  const input = present(raw) ?? setting.default;
  if (input === undefined) return { value: undefined };
  const parsed = setting.value.safeParse(input);
  if (parsed.success) return { value: parsed.data };
  // Never echo a secret back, even in an error.
  const shown = setting.redact || raw === undefined ? '' : ` (got "${raw}")`;
  return { problem: `${variable}: expected ${parsed.error.issues.map((i) => i.message).join('; ')}${shown}` };
}

/**
 * Why `raw` is not a valid value of the setting `name` (a message naming it), or undefined when it is.
 * The platform checks a stack's settings with it, so a bad one fails synth rather than a pod's start.
 */
export function settingProblem(name: SettingName, raw: string): string | undefined {
  const setting = byName.get(name);
  if (!setting) return `${name}: not a setting of the app`;
  const parsed = parseSetting(setting, name, raw);
  return 'problem' in parsed ? parsed.problem : undefined;
}

/** Every setting's value from the environment, in the schema's shape, or every problem at once. */
function readSettings(source: Record<string, string | undefined>): SettingValues {
  const problems: string[] = [];
  const values: Record<string, unknown> = {};
  for (const setting of settingList) {
    const variable = sourceOf(setting, source);
    const parsed = parseSetting(setting, variable, source[variable]);
    if ('problem' in parsed) problems.push(parsed.problem);
    else {
      let group = values;
      for (const key of setting.path.slice(0, -1)) {
        group[key] ??= {};
        group = group[key] as Record<string, unknown>;
      }
      group[setting.path.at(-1) as string] = parsed.value;
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return values as SettingValues;
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

/** What no single setting can check: settings that need, exclude or change each other. */
function combinationProblems(s: SettingValues): string[] {
  const problems: string[] = [];
  const { database, redis } = s;
  if (redis.url && redis.sentinels) problems.push('REDIS_URL and REDIS_SENTINELS: set one of them, not both');
  if (redis.sentinelPassword && !redis.sentinels)
    problems.push('REDIS_SENTINEL_PASSWORD: only used with REDIS_SENTINELS; set that too, or unset it');
  if (database.replicaUrl && !database.url)
    problems.push('DATABASE_REPLICA_URL: needs DATABASE_URL (the primary) as well');
  if ((s.answers.llm.baseUrl === undefined) !== (s.answers.llm.model === undefined))
    problems.push('LLM_BASE_URL and LLM_MODEL: set both to use an LLM, or neither for the extractive model');
  if (database.caFile && !database.url)
    problems.push('DATABASE_CA_FILE: only used with DATABASE_URL; set that too, or unset it');
  // node-postgres lets a URL's ssl parameters replace the TLS options built from the CA file.
  for (const [name, url] of [
    ['DATABASE_URL', database.url],
    ['DATABASE_REPLICA_URL', database.replicaUrl],
  ] as const)
    if (database.caFile && url && [...new URL(url).searchParams.keys()].some((k) => k.startsWith('ssl')))
      problems.push(`${name}: leave out ssl* parameters when DATABASE_CA_FILE is set (it turns on verify-full TLS)`);
  if (!database.url) {
    const unwritable = writeProblem(s.storage.dataDir);
    if (unwritable)
      problems.push(
        `DATA_DIR: expected a writable directory for the embedded database (got "${s.storage.dataDir}": ${unwritable})`,
      );
  }
  return problems;
}

/** The settings as the app uses them: the database, Redis and the LLM each resolved to the one mode configured. */
function resolve(s: SettingValues, problems: string[]) {
  const { database, redis, answers, support } = s;
  const ca = database.caFile ? readCa(database.caFile, problems) : undefined;
  return {
    ...s,
    database: database.url
      ? {
          kind: 'postgres' as const,
          url: database.url,
          replicaUrl: database.replicaUrl,
          poolMax: database.poolMax,
          statementTimeoutMs: database.statementTimeoutMs,
          /** PEM of the CA that signs the server's certificate: TLS with the certificate and host name verified. */
          ca,
        }
      : { kind: 'embedded' as const, dataDir: s.storage.dataDir },
    redis: redis.sentinels
      ? {
          kind: 'sentinel' as const,
          sentinels: redis.sentinels,
          masterName: redis.masterName,
          password: redis.password,
          // Bitnami's convention: without a password of their own, sentinels share the data nodes' one.
          sentinelPassword: redis.sentinelPassword ?? redis.password,
        }
      : redis.url
        ? { kind: 'url' as const, url: redis.url, password: redis.password }
        : { kind: 'embedded' as const },
    answers: {
      waitSeconds: answers.waitSeconds,
      llm:
        answers.llm.baseUrl && answers.llm.model
          ? { baseUrl: answers.llm.baseUrl, model: answers.llm.model, apiKey: answers.llm.apiKey }
          : undefined,
    },
    support: {
      ...(support.url ? { url: support.url } : {}),
      ...(support.email ? { email: support.email } : {}),
    },
  };
}

/** The app's configuration: the settings in their groups, with the database, Redis and the LLM resolved. */
export type AppConfig = ReturnType<typeof resolve>;

export function loadConfig(source: Record<string, string | undefined> = process.env): AppConfig {
  const values = readSettings(source);
  const problems = combinationProblems(values);
  const config = resolve(values, problems);
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}
