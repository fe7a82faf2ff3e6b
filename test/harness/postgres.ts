/**
 * postgres on a free loopback port in a temp dir, started directly with `postgres -D` (never
 * pg_ctlcluster or the machine's own service on 5432), and a streaming replica cloned with pg_basebackup.
 *
 * Running as root: postgres refuses to run as root, so when process.getuid() === 0 initdb, pg_basebackup
 * and postgres run as the `postgres` OS user (spawn's uid/gid) and the temp dirs are chown'ed to it.
 * The test process itself stays root and connects over TCP with trust auth.
 *
 * initdb runs once per test process into a template; each instance copies it (`cp -a`, ~0.2 s instead
 * of ~1.4 s for initdb).
 */
import { execFile } from 'node:child_process';
import { appendFile, chown, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { requireBinary } from './binaries.js';
import { freePort } from './ports.js';
import { spawnService, type Service } from './process.js';
import { tempDir, type TempDir } from './temp.js';

const run = promisify(execFile);

export interface PostgresInstance {
  host: string;
  port: number;
  /** postgres://postgres@127.0.0.1:<port>/postgres (trust auth, no password). */
  url: string;
  /** The cluster's data directory (PGDATA). */
  dataDir: string;
  logFile: string;
  /** The managed postmaster, for fault tests (pid, running, exited, SIGSTOP/SIGCONT). */
  service: Service;
  /** Creates a database and returns its URL. */
  createDatabase(name: string): Promise<string>;
  /** One query on a fresh connection; returns the rows. */
  query<R = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<R[]>;
  /** Promotes a replica to primary (pg_promote, waiting until it accepts writes). */
  promote(): Promise<void>;
  /** Fast shutdown (SIGINT), SIGKILL after 10 s, then removes the temp dir. */
  stop(): Promise<void>;
  /** Default SIGKILL; the data dir stays until stop(). */
  kill(signal?: NodeJS.Signals): Promise<void>;
}

export interface PostgresOptions {
  /** postgresql.conf settings, applied after the harness defaults (so they win): { fsync: 'on' }. */
  conf?: Record<string, string>;
  /** The whole pg_hba.conf; default initdb's trust for local and loopback, replication included. */
  hba?: string;
  readyTimeoutMs?: number;
}

/** The uid/gid to run postgres binaries as: none when not root, the `postgres` OS user when root. */
export interface OsUser {
  uid?: number;
  gid?: number;
}

let osUser: Promise<OsUser> | undefined;
export function postgresOsUser(): Promise<OsUser> {
  osUser ??= (async () => {
    if (process.getuid?.() !== 0) return {};
    try {
      const [uid, gid] = await Promise.all([run('id', ['-u', 'postgres']), run('id', ['-g', 'postgres'])]);
      return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
    } catch {
      throw new Error(
        'tests run as root, and postgres refuses to: the postgres OS user is missing (apt-get install -y postgresql creates it)',
      );
    }
  })();
  return osUser;
}

/** A temp dir that postgres processes may write to (owned by the postgres OS user when running as root). */
export async function postgresTempDir(prefix: string): Promise<TempDir> {
  const [user, dir] = await Promise.all([postgresOsUser(), tempDir(prefix)]);
  if (user.uid !== undefined && user.gid !== undefined) await chown(dir.path, user.uid, user.gid);
  return dir;
}

async function runAs(user: OsUser, what: string, command: string, args: string[], cwd: string): Promise<void> {
  try {
    await run(command, args, { ...user, cwd });
  } catch (error) {
    const e = error as Error & { stderr?: string };
    throw new Error(`${what} failed: ${e.stderr?.trim() || e.message}`);
  }
}

let template: Promise<string> | undefined;
/** A fresh cluster at `dataDir` (which must not exist; its parent must be a postgresTempDir). */
export async function initPostgresDataDir(dataDir: string): Promise<void> {
  const user = await postgresOsUser();
  template ??= (async () => {
    const initdb = requireBinary('initdb', 'postgresql');
    const dir = await postgresTempDir('pg-template');
    const path = join(dir.path, 'data');
    await runAs(
      user,
      'initdb',
      initdb,
      ['-D', path, '--auth=trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8', '--locale=C'],
      dir.path,
    );
    return path;
  })();
  // If the template failed, the next caller tries again rather than inheriting the rejection forever.
  const source = await template.catch((error: unknown) => {
    template = undefined;
    throw error;
  });
  await runAs(user, 'copying the initdb template', 'cp', ['-a', source, dataDir], join(dataDir, '..'));
}

function confValue(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/** Appends settings to postgresql.conf: the last occurrence of a setting wins, so these override. */
async function writeSettings(dataDir: string, settings: Record<string, string>): Promise<void> {
  for (const key of Object.keys(settings)) {
    if (!/^[a-z_][a-z0-9_.]*$/.test(key)) throw new Error(`postgres setting "${key}": not a valid parameter name`);
  }
  const lines = Object.entries(settings).map(([key, value]) => `${key} = ${confValue(value)}`);
  await appendFile(join(dataDir, 'postgresql.conf'), `\n# test harness\n${lines.join('\n')}\n`);
}

function harnessSettings(port: number, socketDir: string): Record<string, string> {
  return {
    listen_addresses: '127.0.0.1',
    port: String(port),
    unix_socket_directories: socketDir,
    // Durability is not under test here and costs seconds on a shared 2-core machine; override with conf.
    fsync: 'off',
    synchronous_commit: 'off',
    full_page_writes: 'off',
    wal_level: 'replica',
    max_wal_senders: '10',
    max_replication_slots: '10',
    wal_keep_size: '128MB',
    hot_standby: 'on',
    shared_buffers: '32MB',
    max_connections: '100',
    logging_collector: 'off',
  };
}

/** True when `sql`'s first column in the first row is truthy. */
async function answers(url: string, sql: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1_000 });
  client.on('error', () => undefined); // a server going away mid-check is a "not yet", not a crash
  try {
    await client.connect();
    const row = (await client.query(sql)).rows[0] as Record<string, unknown> | undefined;
    return Boolean(row && Object.values(row)[0]);
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function launch(
  name: string,
  dir: TempDir,
  dataDir: string,
  settings: Record<string, string>,
  ready: (url: string) => Promise<boolean>,
  readyTimeoutMs?: number,
): Promise<PostgresInstance> {
  const host = '127.0.0.1';
  const port = Number(settings.port);
  const url = `postgres://postgres@${host}:${port}/postgres`;
  await writeSettings(dataDir, settings);
  const service = await spawnService({
    name,
    command: requireBinary('postgres', 'postgresql'),
    args: ['-D', dataDir],
    dir: dir.path,
    ...(await postgresOsUser()),
    stopSignal: 'SIGINT', // "fast" shutdown: does not wait for clients (pools) to disconnect
    ready: () => ready(url),
    readyTimeoutMs: readyTimeoutMs ?? 30_000,
  });
  const query = async <R>(sql: string, params?: unknown[]): Promise<R[]> => {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
    await client.connect();
    try {
      return (await client.query(sql, params)).rows as R[];
    } finally {
      await client.end();
    }
  };
  return {
    host,
    port,
    url,
    dataDir,
    logFile: service.logFile,
    service,
    query,
    async createDatabase(database) {
      if (!/^[a-z_][a-z0-9_]*$/.test(database))
        throw new Error(`database name "${database}": use lowercase letters, digits and _`);
      await query(`CREATE DATABASE ${database}`);
      return `postgres://postgres@${host}:${port}/${database}`;
    },
    async promote() {
      const [row] = await query<{ promoted: boolean }>('SELECT pg_promote(true, 30) AS promoted');
      if (!row?.promoted) throw new Error(`${name} on port ${port} did not finish promotion within 30 s`);
    },
    kill: (signal) => service.kill(signal),
    async stop() {
      await service.stop(10_000);
      await dir.remove();
    },
  };
}

export async function startPostgres(options: PostgresOptions = {}): Promise<PostgresInstance> {
  const dir = await postgresTempDir('pg');
  const dataDir = join(dir.path, 'data');
  await initPostgresDataDir(dataDir);
  if (options.hba !== undefined) await writeFile(join(dataDir, 'pg_hba.conf'), options.hba);
  const settings = { ...harnessSettings(await freePort(), dir.path), ...options.conf };
  return launch('postgres', dir, dataDir, settings, (url) => answers(url, 'SELECT 1'), options.readyTimeoutMs);
}

/** A streaming replica of `primary`, cloned with pg_basebackup -R; ready once in recovery and streaming. */
export async function startPostgresReplica(
  primary: PostgresInstance,
  options: Pick<PostgresOptions, 'conf' | 'readyTimeoutMs'> = {},
): Promise<PostgresInstance> {
  const basebackup = requireBinary('pg_basebackup', 'postgresql');
  const dir = await postgresTempDir('pg-replica');
  const dataDir = join(dir.path, 'data');
  await runAs(
    await postgresOsUser(),
    'pg_basebackup',
    basebackup,
    [
      '-h',
      primary.host,
      '-p',
      String(primary.port),
      '-U',
      'postgres',
      '-D',
      dataDir,
      '-R',
      '-X',
      'stream',
      '--checkpoint=fast',
      '--no-sync',
    ],
    dir.path,
  );
  // The clone carries the primary's postgresql.conf; these lines, appended after it, give it its own port and socket dir.
  const settings = { ...harnessSettings(await freePort(), dir.path), ...options.conf };
  const streaming =
    "SELECT pg_is_in_recovery() AND EXISTS (SELECT 1 FROM pg_stat_wal_receiver WHERE status = 'streaming')";
  return launch('postgres-replica', dir, dataDir, settings, (url) => answers(url, streaming), options.readyTimeoutMs);
}
