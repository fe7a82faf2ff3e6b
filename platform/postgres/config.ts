/**
 * postgresql.conf and pg_hba.conf rendered from typed options, shared by the primary and the replica (a
 * replica is a primary's clone: the same settings keep a promoted replica a sound primary). Buffers are
 * derived from the memory limit, not restated. The bootstrap scripts take their passwords from the Secret.
 */
import { readFileSync } from 'node:fs';

export interface PostgresConfigOptions {
  port: number;
  socketDir: string;
  maxConnections: number;
  memoryLimitMiB: number;
}

export function renderPostgresqlConf(o: PostgresConfigOptions): string {
  const sharedBuffers = Math.max(32, Math.floor(o.memoryLimitMiB / 4));
  const effectiveCache = Math.floor((o.memoryLimitMiB * 3) / 4);
  return [
    '# Rendered by platform/postgres/config.ts (shared by primary and replica).',
    "listen_addresses = '*'",
    `port = ${o.port}`,
    `unix_socket_directories = '${o.socketDir}'`,
    `max_connections = ${o.maxConnections}`,
    `shared_buffers = ${sharedBuffers}MB`,
    `effective_cache_size = ${effectiveCache}MB`,
    'work_mem = 4MB',
    "password_encryption = 'scram-sha-256'",
    '# Streaming replication: a replica cloned with pg_basebackup follows over the replication protocol.',
    'wal_level = replica',
    'max_wal_senders = 10',
    'max_replication_slots = 10',
    'wal_keep_size = 1GB',
    'hot_standby = on',
    'hot_standby_feedback = on',
    "log_destination = 'stderr'",
    'logging_collector = off',
    'log_min_duration_statement = 500',
    "log_line_prefix = '%m [%p] %q%u@%d '",
    '',
  ].join('\n');
}

/** Local socket: the postgres OS user by peer; everything over TCP by password (the network policy narrows who may connect). */
export function renderPgHba(): string {
  return [
    '# Rendered by platform/postgres/config.ts.',
    '# TYPE  DATABASE     USER         ADDRESS   METHOD',
    'local   all          postgres               peer',
    'host    replication  replicator   all       scram-sha-256',
    'host    all          all          all       scram-sha-256',
    '',
  ].join('\n');
}

export const postgresPrimaryBootstrap = readFileSync(new URL('./bootstrap-primary.sh', import.meta.url), 'utf8');
export const postgresReplicaBootstrap = readFileSync(new URL('./bootstrap-replica.sh', import.meta.url), 'utf8');
