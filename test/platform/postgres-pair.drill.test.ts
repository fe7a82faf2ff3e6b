/**
 * Postgres drill on loopback with the synthesized postgresql.conf, pg_hba.conf and bootstrap scripts of
 * the dev stack (listen address, port and socket dir substituted, nothing else): the primary initialises
 * itself with the app and replication roles, the replica clones it with pg_basebackup through its own
 * bootstrap script, streams, serves reads and refuses writes. Passwords are test-only values given the
 * way the Secret gives them (environment), and pg_hba.conf makes every TCP login prove one.
 */
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { stacks } from '../../stacks/index.js';
import {
  freePort,
  postgresOsUser,
  postgresTempDir,
  requireBinary,
  spawnService,
  waitFor,
  type Service,
  type TempDir,
} from '../harness/index.js';
import { renderedConfigMap, renderedEnv, renderedObject, substitute, writeFiles } from './helpers/rendered.js';

const stack = stacks.dev;
const HOST = '127.0.0.1';
const passwords = {
  POSTGRES_PASSWORD: 'drill-superuser',
  REPLICATION_PASSWORD: "drill-repl-with-'quote",
  APP_PASSWORD: 'drill-app',
};

async function query<R>(port: number, user: string, password: string, database: string, sql: string): Promise<R[]> {
  const client = new pg.Client({ host: HOST, port, user, password, database, connectionTimeoutMillis: 2_000 });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return (await client.query(sql)).rows as R[];
  } finally {
    await client.end().catch(() => undefined);
  }
}

describe('Postgres primary/replica from the rendered ConfigMap (dev)', () => {
  const started: Service[] = [];
  const dirs: TempDir[] = [];
  afterAll(async () => {
    await Promise.all(started.map((s) => s.stop(10_000)));
    await Promise.all(dirs.map((d) => d.remove()));
  });

  it('the replica cloned by bootstrap-replica.sh streams from the primary and serves reads', async () => {
    const binDir = requireBinary('pg_basebackup', 'postgresql').replace(/\/pg_basebackup$/, '');
    const user = await postgresOsUser();
    const config = renderedConfigMap(stack, 'postgres');
    const primarySet = renderedObject(stack, 'StatefulSet', 'postgres-primary');
    const replicaSet = renderedObject(stack, 'StatefulSet', 'postgres-replica');
    const appUser = renderedEnv(primarySet, 'postgres', 'APP_USER');
    const appDatabase = renderedEnv(primarySet, 'postgres', 'APP_DATABASE');
    const primaryHost = renderedEnv(replicaSet, 'postgres', 'PRIMARY_HOST');
    const primaryPortRendered = renderedEnv(replicaSet, 'postgres', 'PRIMARY_PORT');
    const socketDirRendered = /^unix_socket_directories = '([^']+)'$/m.exec(config['postgresql.conf']!)![1]!;
    expect(primaryHost).toBe(`postgres-rw.${stack.namespace}.svc.cluster.local`);

    const start = async (role: 'primary' | 'replica', port: number, env: Record<string, string>) => {
      const dir = await postgresTempDir(`pgdrill-${role}`);
      dirs.push(dir);
      const configDir = await writeFiles(join(dir.path, 'config'), {
        'postgresql.conf': substitute(config['postgresql.conf']!, [
          ["listen_addresses = '*'", `listen_addresses = '${HOST}'`],
          [`port = ${primaryPortRendered}`, `port = ${port}`],
          [socketDirRendered, dir.path],
        ]),
        'pg_hba.conf': config['pg_hba.conf']!,
        [`bootstrap-${role}.sh`]: config[`bootstrap-${role}.sh`]!,
      });
      const service = await spawnService({
        name: `postgres-${role}`,
        command: 'sh',
        args: [join(configDir, `bootstrap-${role}.sh`)],
        dir: dir.path,
        ...user,
        env: {
          PATH: `${binDir}:${process.env.PATH}`,
          PGDATA: join(dir.path, 'pgdata'),
          CONFIG_DIR: configDir,
          TMPDIR: dir.path,
          ...env,
        },
        stopSignal: 'SIGINT',
        readyTimeoutMs: 90_000,
        ready: async () => {
          // The wal receiver's status is visible to privileged roles only: the superuser (cloned along) checks it.
          const [row] =
            role === 'primary'
              ? await query<{ ok: boolean }>(port, appUser, passwords.APP_PASSWORD, appDatabase, 'SELECT true AS ok')
              : await query<{ ok: boolean }>(
                  port,
                  'postgres',
                  passwords.POSTGRES_PASSWORD,
                  'postgres',
                  "SELECT pg_is_in_recovery() AND EXISTS (SELECT 1 FROM pg_stat_wal_receiver WHERE status = 'streaming') AS ok",
                );
          return row?.ok === true;
        },
      });
      started.push(service);
      return service;
    };

    const primaryPort = await freePort();
    const primaryStart = performance.now();
    await start('primary', primaryPort, { ...passwords, APP_USER: appUser, APP_DATABASE: appDatabase });
    const timeToPrimaryMs = Math.round(performance.now() - primaryStart);
    await query(
      primaryPort,
      appUser,
      passwords.APP_PASSWORD,
      appDatabase,
      "CREATE TABLE drill (id int PRIMARY KEY, note text); INSERT INTO drill VALUES (1, 'before clone')",
    );
    await expect(query(primaryPort, appUser, 'wrong-password', appDatabase, 'SELECT 1')).rejects.toThrow(
      /password authentication failed/,
    );

    const replicaPort = await freePort();
    const replicaStart = performance.now();
    await start('replica', replicaPort, {
      PRIMARY_HOST: HOST,
      PRIMARY_PORT: String(primaryPort),
      REPLICATION_PASSWORD: passwords.REPLICATION_PASSWORD,
    });
    const timeToStreamingReplicaMs = Math.round(performance.now() - replicaStart);

    expect(
      await query(replicaPort, appUser, passwords.APP_PASSWORD, appDatabase, 'SELECT note FROM drill WHERE id = 1'),
    ).toEqual([{ note: 'before clone' }]);
    await query(
      primaryPort,
      appUser,
      passwords.APP_PASSWORD,
      appDatabase,
      "INSERT INTO drill VALUES (2, 'after clone')",
    );
    const lagStart = performance.now();
    await waitFor(
      async () =>
        (await query(replicaPort, appUser, passwords.APP_PASSWORD, appDatabase, 'SELECT 1 FROM drill WHERE id = 2'))
          .length === 1,
      { what: 'the replica to receive a new row', timeoutMs: 15_000, intervalMs: 20 },
    );
    const replicationVisibleMs = Math.round(performance.now() - lagStart);
    await expect(
      query(replicaPort, appUser, passwords.APP_PASSWORD, appDatabase, "INSERT INTO drill VALUES (3, 'nope')"),
    ).rejects.toThrow(/read-only transaction/);
    const senders = await query<{ usename: string; state: string }>(
      primaryPort,
      'postgres',
      passwords.POSTGRES_PASSWORD,
      'postgres',
      'SELECT usename, state FROM pg_stat_replication',
    );
    expect(senders).toEqual([{ usename: 'replicator', state: 'streaming' }]);

    console.log(
      JSON.stringify({
        drill: 'postgres-pair',
        stack: stack.name,
        timeToPrimaryMs,
        timeToStreamingReplicaMs,
        replicationVisibleMs,
      }),
    );
  }, 150_000);
});
