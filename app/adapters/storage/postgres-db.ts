/**
 * node-postgres adapter: writes to the primary, lag-tolerant reads to the replica. A replica that
 * errors is taken out of rotation for a cool-down and its reads go to the primary, so losing it fails
 * no user request.
 */
import pg from 'pg';
import type { Db, Queryable, QueryResult, Session } from './db.js';
import type { Instruments } from '../../shared/telemetry/registry.js';
import type { Logger } from 'pino';

export interface PostgresOptions {
  url: string;
  replicaUrl?: string | undefined;
  poolMax: number;
  statementTimeoutMs: number;
  /** PEM of the CA that signs the server's certificate: every connection is TLS, certificate and host name verified. */
  ca?: string | undefined;
  /** How long a failing replica stays out of rotation before it is tried again. */
  replicaCooldownMs?: number;
  /** A connection held or awaited this long has the database checked (see `healthSignal`). */
  probeAfterMs?: number;
  /** How long that check waits for an answer before the database is taken as unreachable. */
  probeTimeoutMs?: number;
  metrics?: Instruments;
  log?: Logger;
}

type Role = 'primary' | 'replica';

/**
 * verify-full: the server's chain must lead to `ca`, and its certificate must name the URL's host
 * (node-postgres hands the host to the TLS check, for an IP address too).
 */
function tls(options: PostgresOptions): Pick<pg.ClientConfig, 'ssl'> {
  return options.ca ? { ssl: { ca: options.ca, rejectUnauthorized: true } } : {};
}

/** What acquiring fails with while the database is known to be unreachable (the gateway answers `unavailable`). */
export class DatabaseUnreachableError extends Error {
  /** SQLSTATE class 08, connection exception: what callers already treat as a dependency being down. */
  readonly code = '08006';
  constructor(role: Role) {
    super(`the ${role} database does not answer (connection failure)`);
    this.name = 'DatabaseUnreachableError';
  }
}

/**
 * The pool's health signal. A server that vanished without closing its sockets (a node lost, a frozen
 * VM, a partition) leaves connections that answer nothing: a query on one would wait for the client-side
 * read timeout (statement timeout + 1 s, since the server cannot enforce its own), and a new connection
 * for the connect timeout. So when a connection is held, or awaited, longer than `probeAfterMs`, a fresh
 * connection through the configured address (the Service) runs `SELECT 1`. No answer within
 * `probeTimeoutMs`, twice in a row: the database is unreachable. Every connection of the pool is destroyed (their
 * queries fail now, `Connection terminated`), waiting and new acquisitions fail at once, and the probe
 * repeats every `probeAfterMs / 2` until a server answers, when the pool connects afresh. A slow query on
 * a server that answers the probe is left to its statement timeout. Idle connections to a vanished
 * server are found by TCP keepalive before the Service can point elsewhere.
 */
function healthSignal(url: string, pool: pg.Pool, role: Role, options: PostgresOptions) {
  const probeAfterMs = options.probeAfterMs ?? 1_000;
  const probeTimeoutMs = options.probeTimeoutMs ?? 1_000;
  const clients = new Set<pg.PoolClient>();
  pool.on('connect', (client) => clients.add(client));
  pool.on('remove', (client) => clients.delete(client));
  const waiting = new Set<(error: Error) => void>();
  let down = false;
  let probing: Promise<boolean> | undefined;

  const answers = async (): Promise<boolean> => {
    const probe = new pg.Client({
      connectionString: url,
      connectionTimeoutMillis: probeTimeoutMs,
      query_timeout: probeTimeoutMs,
      application_name: `hsc-jit-${role}-probe`,
      ...tls(options),
    });
    probe.on('error', () => undefined);
    const timer = setTimeout(() => void probe.end().catch(() => undefined), probeTimeoutMs);
    try {
      await probe.connect();
      await probe.query('SELECT 1');
      return true;
    } catch {
      return false;
    } finally {
      clearTimeout(timer);
      await probe.end().catch(() => undefined);
    }
  };
  const recheck = () => {
    setTimeout(
      () =>
        void answers().then((alive) => {
          if (!alive) return recheck();
          down = false;
          options.log?.info({ pool: role }, 'database answers again');
        }),
      Math.max(100, probeAfterMs / 2),
    ).unref();
  };
  const check = () => {
    if (down) return;
    // Two probes in a row must go unanswered: on a machine at load 20 one fresh connect can take longer
    // than the timeout, and taking the database for gone destroys every query in flight.
    probing ??= answers()
      .then((alive) => alive || answers())
      .finally(() => {
        probing = undefined;
      });
    void probing.then((alive) => {
      if (alive || down) return;
      down = true;
      options.log?.warn({ pool: role }, 'database does not answer; failing its queries until it does');
      for (const reject of waiting) reject(new DatabaseUnreachableError(role));
      for (const client of clients)
        (client as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy();
      recheck();
    });
  };

  return {
    /** A connection from the pool, watched until it is released; fails at once while the database is down. */
    async acquire(): Promise<{ client: pg.PoolClient; release(error?: Error): void }> {
      if (down) throw new DatabaseUnreachableError(role);
      const timer = setTimeout(check, probeAfterMs);
      let reject!: (error: Error) => void;
      const abandoned = new Promise<never>((_, r) => {
        reject = r;
      });
      waiting.add(reject);
      const connecting = pool.connect();
      try {
        const client = await Promise.race([connecting, abandoned]);
        // The pool listens for errors only on idle connections: one that ends while held between two
        // statements (a terminated backend, a failover) would otherwise crash the process.
        let lost: Error | undefined;
        const onError = (error: Error) => {
          lost = error;
          options.log?.warn({ err: error, pool: role }, 'database connection failed while in use');
        };
        client.on('error', onError);
        return {
          client,
          release(error) {
            clearTimeout(timer);
            client.off('error', onError);
            // With an error the pool destroys the connection rather than reusing it.
            client.release(error ?? lost);
          },
        };
      } catch (error) {
        clearTimeout(timer);
        // A connection that arrives after its caller gave up goes straight back.
        void connecting.then(
          (late) => late.release(),
          () => undefined,
        );
        throw error;
      } finally {
        waiting.delete(reject);
      }
    },
  };
}

interface WatchedPool {
  pool: pg.Pool;
  acquire: ReturnType<typeof healthSignal>['acquire'];
}

function createPool(url: string, role: Role, options: PostgresOptions): WatchedPool {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolMax,
    // Pool exhaustion queues briefly, then fails fast instead of piling up requests.
    connectionTimeoutMillis: 2_000,
    idleTimeoutMillis: 30_000,
    statement_timeout: options.statementTimeoutMs,
    query_timeout: options.statementTimeoutMs + 1_000,
    application_name: `hsc-jit-${role}`,
    ...tls(options),
    // Idle connections to a server that vanished are found and dropped in the background.
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
  });
  // An idle client losing its server (failover, restart) must not crash the process.
  pool.on('error', (error) => options.log?.warn({ err: error, pool: role }, 'idle database connection failed'));
  options.metrics?.postgresqlConnectionsMax.set({ pool: role }, options.poolMax);
  return { pool, acquire: healthSignal(url, pool, role, options).acquire };
}

function instrumented({ pool, acquire }: WatchedPool, role: Role, metrics: Instruments | undefined): Queryable {
  return {
    async query<R>(sql: string, params?: readonly unknown[]): Promise<QueryResult<R>> {
      const end = metrics?.postgresqlQueryDurationSeconds.startTimer({ pool: role });
      try {
        const held = await acquire();
        try {
          const result = await held.client.query(sql, params ? [...params] : undefined);
          held.release();
          end?.({ outcome: 'ok' });
          return { rows: result.rows as R[] };
        } catch (error) {
          held.release(error as Error);
          throw error;
        }
      } catch (error) {
        end?.({ outcome: 'error' });
        throw error;
      } finally {
        metrics?.postgresqlConnectionsUsed.set({ pool: role }, pool.totalCount - pool.idleCount);
      }
    },
  };
}

export function openPostgresDb(options: PostgresOptions): Db {
  const primaryPool = createPool(options.url, 'primary', options);
  const primary = instrumented(primaryPool, 'primary', options.metrics);
  const replicaPool = options.replicaUrl ? createPool(options.replicaUrl, 'replica', options) : undefined;
  const replica = replicaPool ? instrumented(replicaPool, 'replica', options.metrics) : undefined;
  const cooldownMs = options.replicaCooldownMs ?? 10_000;
  let replicaDownUntil = 0;

  const read: Queryable = {
    async query<R>(sql: string, params?: readonly unknown[]) {
      if (!replica || Date.now() < replicaDownUntil) return primary.query<R>(sql, params);
      try {
        return await replica.query<R>(sql, params);
      } catch (error) {
        replicaDownUntil = Date.now() + cooldownMs;
        options.log?.warn({ err: error }, 'read replica failed; reading from the primary');
        return primary.query<R>(sql, params);
      }
    },
  };

  return {
    kind: 'postgres',
    query: primary.query,
    read,
    async transaction(fn) {
      const { client, release } = await primaryPool.acquire();
      let failure: Error | undefined;
      const session: Session = {
        query: async (sql, params) => ({ rows: (await client.query(sql, params ? [...params] : undefined)).rows }),
        exec: async (sql) => {
          await client.query(sql);
        },
      };
      try {
        await client.query('BEGIN');
        const result = await fn(session);
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch((e: unknown) => {
          failure = e as Error;
        });
        throw error;
      } finally {
        // A connection that could not even roll back is not handed out again.
        release(failure);
      }
    },
    async maintenanceSession(fn) {
      const client = new pg.Client({
        connectionString: options.url,
        application_name: 'hsc-jit-maintenance',
        ...tls(options),
      });
      client.on('error', (error) => options.log?.warn({ err: error }, 'maintenance connection failed'));
      await client.connect();
      try {
        return await fn({
          query: async (sql, params) => ({ rows: (await client.query(sql, params ? [...params] : undefined)).rows }),
          exec: async (sql) => {
            await client.query(sql);
          },
        });
      } finally {
        await client.end().catch(() => undefined);
      }
    },
    // The server's memory is the server's; pooled connections hold little.
    releaseMemory: async () => undefined,
    async ping() {
      await primary.query('SELECT 1');
    },
    async close() {
      await Promise.all([primaryPool.pool.end(), replicaPool?.pool.end()]);
    },
  };
}
