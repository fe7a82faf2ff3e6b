/**
 * The backup CronJob's container, run as rendered (dev): its `bash -c` command, its environment (only the
 * Service host:port substituted by a loopback streaming replica's) and pg-backup.sh from its ConfigMap,
 * against a hot standby. The dump restores to the primary's rows; a dump older than keepDays is pruned,
 * a fresh one is kept.
 */
import { execFile } from 'node:child_process';
import { readdir, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { stacks } from '../../stacks/index.js';
import {
  startPostgres,
  startPostgresReplica,
  tempDir,
  waitFor,
  type PostgresInstance,
  type TempDir,
} from '../harness/index.js';
import { renderedConfigMap, renderedObject, substitute, writeFiles } from './helpers/rendered.js';

const run = promisify(execFile);
const stack = stacks.dev;

async function sql(url: string, text: string): Promise<pg.QueryResultRow[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text)).rows;
  } finally {
    await client.end();
  }
}

describe('postgres-backup CronJob as rendered (dev)', () => {
  const instances: PostgresInstance[] = [];
  const dirs: TempDir[] = [];
  afterAll(async () => {
    await Promise.allSettled(instances.reverse().map((i) => i.stop()));
    await Promise.allSettled(dirs.map((d) => d.remove()));
  });

  it('dumps the hot standby onto the backup directory and prunes only dumps older than keepDays', async () => {
    const primary = await startPostgres();
    instances.push(primary);
    const { user, database } = stack.postgres;
    await sql(primary.url, `CREATE ROLE ${user} LOGIN`);
    await sql(primary.url, `CREATE DATABASE ${database} OWNER ${user}`);
    const primaryDb = primary.url.replace(/\/postgres$/, `/${database}`).replace('//postgres@', `//${user}@`);
    await sql(
      primaryDb,
      'CREATE TABLE turns (id int PRIMARY KEY, q text); INSERT INTO turns SELECT g, md5(g::text) FROM generate_series(1, 500) g',
    );
    const replica = await startPostgresReplica(primary);
    instances.push(replica);
    const replicaDb = primaryDb.replace(`:${primary.port}/`, `:${replica.port}/`);
    await waitFor(async () => (await sql(replicaDb, 'SELECT count(*)::int AS n FROM turns'))[0]!.n === 500, {
      what: 'the replica to stream the rows',
    });

    const cron = renderedObject(stack, 'CronJob', 'postgres-backup');
    const pod = cron.spec.jobTemplate.spec.template.spec;
    const container = pod.containers[0];
    const [scripts, backups] = await Promise.all([tempDir('backup-scripts'), tempDir('backups')]);
    dirs.push(scripts, backups);
    const scriptVolume = pod.volumes.find((v: { configMap?: object }) => v.configMap).configMap.name as string;
    await writeFiles(scripts.path, renderedConfigMap(stack, scriptVolume));
    const env = Object.fromEntries(
      container.env
        .filter((e: { value?: string }) => e.value !== undefined)
        .map((e: { name: string; value: string }) => [e.name, e.value]),
    );
    env.BACKUP_URL = substitute(env.BACKUP_URL, [
      [`postgres-ro.${stack.namespace}.svc.cluster.local:5432`, `127.0.0.1:${replica.port}`],
    ]);
    const command = substitute(container.command[2], [
      ['/scripts/', `${scripts.path}/`],
      ['/backups', backups.path],
    ]);

    const old = join(backups.path, 'hsc-jit-20000101T000000Z.dump');
    const fresh = join(backups.path, 'hsc-jit-29990101T000000Z.dump');
    await Promise.all([writeFile(old, 'old'), writeFile(`${old}.sha256`, 'old'), writeFile(fresh, 'fresh')]);
    const longAgo = new Date(Date.now() - (Number(env.KEEP_DAYS) + 2) * 86_400_000);
    await Promise.all([utimes(old, longAgo, longAgo), utimes(`${old}.sha256`, longAgo, longAgo)]);

    const { stdout } = await run(container.command[0], [container.command[1], command], {
      env: { PATH: process.env.PATH ?? '', ...env, PGPASSWORD: 'unused-under-trust' },
    });
    const files = (await readdir(backups.path)).sort();
    const dumps = files.filter(
      (f) => /^hsc-jit-\d{8}T\d{6}Z\.dump$/.test(f) && !f.startsWith('hsc-jit-2999') && !f.startsWith('hsc-jit-2000'),
    );
    expect(dumps).toHaveLength(1);
    expect(files).toEqual([...dumps, `${dumps[0]}.sha256`, 'hsc-jit-29990101T000000Z.dump'].sort());
    expect(stdout).toContain(old); // find -print names what it pruned

    const target = await primary.createDatabase('restored');
    await run('bash', [join(scripts.path, 'pg-backup.sh'), 'restore', join(backups.path, dumps[0]!), target]);
    expect(await sql(target, "SELECT count(*)::int AS n, md5(string_agg(q, '' ORDER BY id)) AS h FROM turns")).toEqual(
      await sql(primaryDb, "SELECT count(*)::int AS n, md5(string_agg(q, '' ORDER BY id)) AS h FROM turns"),
    );
  }, 120_000);
});
