/**
 * postgres on a free loopback port in a temp dir (initdb, trust auth), and a streaming replica cloned
 * with pg_basebackup. Postgres refuses to run as root, so when the tests run as root the server
 * processes run as the `postgres` OS user and the data directories are handed to it.
 */
import { execFile } from 'node:child_process';
import { chown } from 'node:fs/promises';
import { promisify } from 'node:util';
import pg from 'pg';
import { requireBinary } from './binaries.js';
import { freePort, tempDir, type TempDir } from './ports.js';
import { spawnService, type Service } from './process.js';

const run = promisify(execFile);

export interface PostgresInstance {
  host: string;
  port: number;
  /** postgres://postgres@host:port/postgres */
  url: string;
  dataDir: string;
  createDatabase(name: string): Promise<string>;
  query<R = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<R[]>;
  promote(): Promise<void>;
  stop(): Promise<void>;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

interface OsUser {
  uid?: number;
  gid?: number;
}

async function serverUser(): Promise<OsUser> {
  if (process.getuid?.() !== 0) return {};
  try {
    const [uid, gid] = await Promise.all([run('id', ['-u', 'postgres']), run('id', ['-g', 'postgres'])]);
    return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
  } catch {
    throw new Error('running as root needs the postgres OS user to run postgres: apt-get install -y postgresql');
  }
}

async function handTo(user: OsUser, dir: TempDir): Promise<void> {
  if (user.uid !== undefined && user.gid !== undefined) await chown(dir.path, user.uid, user.gid);
}

async function accepts(url: string, sql = 'SELECT 1'): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1_000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    const result = await client.query(sql);
    return result.rows.length > 0 && Object.values(result.rows[0] as object)[0] !== false;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

function settings(port: number, dir: string, conf: Record<string, string>): string[] {
  const all: Record<string, string> = {
    listen_addresses: '127.0.0.1',
    port: String(port),
    unix_socket_directories: dir,
    fsync: 'off',
    synchronous_commit: 'off',
    full_page_writes: 'off',
    wal_level: 'replica',
    max_wal_senders: '5',
    hot_standby: 'on',
    shared_buffers: '32MB',
    max_connections: '100',
    ...conf,
  };
  return Object.entries(all).flatMap(([k, v]) => ['-c', `${k}=${v}`]);
}

function instance(host: string, port: number, dir: TempDir, service: Service): PostgresInstance {
  const url = `postgres://postgres@${host}:${port}/postgres`;
  const query = async <R,>(sql: string, params?: unknown[]) => {
    const client = new pg.Client({ connectionString: url });
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
    dataDir: dir.path,
    query,
    async createDatabase(name) {
      if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`database name "${name}": use lowercase letters, digits and _`);
      await query(`CREATE DATABASE ${name}`);
      return `postgres://postgres@${host}:${port}/${name}`;
    },
    async promote() {
      await query('SELECT pg_promote(true, 30)');
    },
    kill: (signal) => service.kill(signal),
    async stop() {
      // SIGINT is postgres' "fast" shutdown: it does not wait for clients to disconnect.
      service.child.kill('SIGINT');
      await service.stop(10_000);
      await dir.remove();
    },
  };
}

export async function startPostgres(options: { conf?: Record<string, string>; hba?: string } = {}): Promise<PostgresInstance> {
  const initdb = requireBinary('initdb', 'postgresql');
  const postgres = requireBinary('postgres', 'postgresql');
  const user = await serverUser();
  const dir = await tempDir('pg');
  await handTo(user, dir);
  const dataDir = `${dir.path}/data`;
  await run(initdb, ['-D', dataDir, '--auth=trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8', '--locale=C'], { ...user, cwd: dir.path }).catch((error: Error & { stderr?: string }) => {
    throw new Error(`initdb failed: ${error.stderr ?? error.message}`);
  });
  if (options.hba) {
    const { writeFile } = await import('node:fs/promises');
    await writeFile(`${dataDir}/pg_hba.conf`, options.hba);
  }
  const host = '127.0.0.1';
  const port = await freePort();
  const url = `postgres://postgres@${host}:${port}/postgres`;
  const service = await spawnService({
    name: 'postgres',
    command: postgres,
    args: ['-D', dataDir, ...settings(port, dir.path, options.conf ?? {})],
    dir: dir.path,
    ...user,
    ready: () => accepts(url),
  });
  return instance(host, port, dir, service);
}

/** A streaming replica of `primary`, cloned with pg_basebackup; ready once it is in recovery and streaming. */
export async function startPostgresReplica(primary: PostgresInstance): Promise<PostgresInstance> {
  const basebackup = requireBinary('pg_basebackup', 'postgresql');
  const postgres = requireBinary('postgres', 'postgresql');
  const user = await serverUser();
  const dir = await tempDir('pg-replica');
  await handTo(user, dir);
  const dataDir = `${dir.path}/data`;
  await run(basebackup, ['-h', primary.host, '-p', String(primary.port), '-U', 'postgres', '-D', dataDir, '-R', '-X', 'stream', '--no-sync'], { ...user, cwd: dir.path });
  const host = '127.0.0.1';
  const port = await freePort();
  const url = `postgres://postgres@${host}:${port}/postgres`;
  const service = await spawnService({
    name: 'postgres-replica',
    command: postgres,
    args: ['-D', dataDir, ...settings(port, dir.path, {})],
    dir: dir.path,
    ...user,
    ready: async () => (await accepts(url, 'SELECT pg_is_in_recovery()')) && (await accepts(url, "SELECT count(*) > 0 FROM pg_stat_wal_receiver WHERE status = 'streaming'")),
  });
  return instance(host, port, dir, service);
}
