/**
 * node-postgres adapter: writes to the primary, lag-tolerant reads to the replica. A replica that
 * errors is taken out of rotation for a cool-down and its reads go to the primary, so losing it fails
 * no user request.
 */
import pg from 'pg';
import type { Db, Queryable, QueryResult, Session } from './db.js';
import type { Instruments } from '../telemetry/registry.js';
import type { Logger } from 'pino';

export interface PostgresOptions {
  url: string;
  replicaUrl?: string | undefined;
  poolMax: number;
  statementTimeoutMs: number;
  /** How long a failing replica stays out of rotation before it is tried again. */
  replicaCooldownMs?: number;
  metrics?: Instruments;
  log?: Logger;
}

type Role = 'primary' | 'replica';

function createPool(url: string, role: Role, options: PostgresOptions): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolMax,
    // Pool exhaustion queues briefly, then fails fast instead of piling up requests.
    connectionTimeoutMillis: 2_000,
    idleTimeoutMillis: 30_000,
    statement_timeout: options.statementTimeoutMs,
    query_timeout: options.statementTimeoutMs + 1_000,
    application_name: `hsc-jit-${role}`,
  });
  // An idle client losing its server (failover, restart) must not crash the process.
  pool.on('error', (error) => options.log?.warn({ err: error, pool: role }, 'idle database connection failed'));
  options.metrics?.postgresqlConnectionsMax.set({ pool: role }, options.poolMax);
  return pool;
}

function instrumented(pool: pg.Pool, role: Role, metrics: Instruments | undefined): Queryable {
  return {
    async query<R>(sql: string, params?: readonly unknown[]): Promise<QueryResult<R>> {
      const end = metrics?.postgresqlQueryDurationSeconds.startTimer({ pool: role });
      try {
        const result = await pool.query(sql, params ? [...params] : undefined);
        end?.({ outcome: 'ok' });
        return { rows: result.rows as R[] };
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
      const client = await primaryPool.connect();
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
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    async maintenanceSession(fn) {
      const client = new pg.Client({ connectionString: options.url, application_name: 'hsc-jit-maintenance' });
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
    async ping() {
      await primary.query('SELECT 1');
    },
    async close() {
      await Promise.all([primaryPool.end(), replicaPool?.end()]);
    },
  };
}
