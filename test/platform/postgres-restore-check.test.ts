/**
 * The weekly restore check, run as rendered: restore-check.sh from its ConfigMap with the CronJob's own
 * environment. The Kubernetes API is the one fake (a `kubectl` on PATH that records what it is asked and
 * answers `exec … psql` from a real Postgres standing in for the restored instance); the database, the
 * schema, the catalog and psql are real. Passing needs a real copy of the data; a restored database that
 * is empty or never becomes Ready fails the Job, prints the throwaway Cluster's status and its instance's
 * log, and keeps it for the next run to remove; each failure prints a line the runbook quotes.
 */
import { execFile } from 'node:child_process';
import { chmod, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUNDLED_CATALOG, importCatalog, readCatalogFile } from '../../app/core/catalog/import.js';
import { migrate } from '../../app/adapters/storage/migrate.js';
import { openPostgresDb } from '../../app/adapters/storage/postgres-db.js';
import { alertDefinitions } from '../../alerts/index.js';
import { stacks } from '../../platform/render/stacks.js';
import { startPostgres, tempDir, type PostgresInstance, type TempDir } from '../harness/index.js';
import { renderedConfigMap, renderedObject, writeFiles } from './helpers/rendered.js';

const run = promisify(execFile);
const stack = stacks.prod;

/** kubectl as the script uses it; `exec <pod> -c postgres -- psql …` runs that psql against $RESTORED_PORT. */
const FAKE_KUBECTL = `#!/bin/sh
echo "$*" >> "$KUBECTL_LOG"
[ "$1" = --namespace ] && shift 2
case "$1" in
  apply) cp "$3" "$APPLIED_MANIFEST" ;;
  wait) exit "\${WAIT_EXIT:-0}" ;;
  delete) ;;
  get) echo "Setting up primary: Restoring a backup"; echo "Ready=False Cluster Is Not Ready" ;;
  logs) echo "restored log line" ;;
  exec)
    [ -n "\${EXEC_EXIT:-}" ] && exit "$EXEC_EXIT"
    while [ "$1" != -- ]; do shift; done
    shift
    exec "$@" -h 127.0.0.1 -p "$RESTORED_PORT" -U postgres ;;
  *) echo "unexpected kubectl $*" >&2; exit 2 ;;
esac
`;

let restored: PostgresInstance;
let dir: TempDir;
let bin: string;
const cron = renderedObject(stack, 'CronJob', 'postgres-restore-check');
const container = cron.spec.jobTemplate.spec.template.spec.containers[0];
const jobEnv = Object.fromEntries(container.env.map((e: { name: string; value: string }) => [e.name, e.value]));
const config = renderedConfigMap(stack, 'postgres-restore-check');

beforeAll(async () => {
  [restored, dir] = await Promise.all([startPostgres(), tempDir('restore-check')]);
  bin = await writeFiles(join(dir.path, 'bin'), { kubectl: FAKE_KUBECTL });
  await chmod(join(bin, 'kubectl'), 0o755);
  await writeFiles(join(dir.path, 'config'), config);
});
afterAll(async () => {
  await Promise.allSettled([restored?.stop(), dir?.remove()]);
});

async function populate(database: string, withCatalog: boolean): Promise<void> {
  const db = openPostgresDb({ url: await restored.createDatabase(database), poolMax: 2, statementTimeoutMs: 30_000 });
  await migrate(db);
  if (withCatalog) await importCatalog(db, 'bundled', await readCatalogFile(BUNDLED_CATALOG));
  await db.close();
}

async function check(name: string, database: string, extra: Record<string, string> = {}) {
  const log = join(dir.path, `${name}.log`);
  const applied = join(dir.path, `${name}.yaml`);
  const started = Date.now();
  const result = await run('sh', [join(dir.path, 'config', 'restore-check.sh')], {
    env: {
      ...process.env,
      ...jobEnv,
      DATABASE: database,
      MANIFEST: join(dir.path, 'config', 'cluster.yaml'),
      PATH: `${bin}:${process.env.PATH}`,
      KUBECTL_LOG: log,
      APPLIED_MANIFEST: applied,
      RESTORED_PORT: String(restored.port),
      ...extra,
    },
  }).then(
    (r) => ({ code: 0, ...r }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  );
  const calls = (await readFile(log, 'utf8')).trim().split('\n');
  console.log(`restore check "${name}": exit ${result.code} in ${Date.now() - started} ms`);
  return { ...result, calls, applied: () => readFile(applied, 'utf8') };
}

const ns = `--namespace ${stack.namespace}`;
const removal = `${ns} delete cluster postgres-restore-check --ignore-not-found --wait=true --timeout=600s`;

describe('restore check (restore-check.sh as rendered)', () => {
  it('passes on a restored copy holding the schema and the catalog, applying the rendered Cluster and removing it after', async () => {
    expect(jobEnv.DATABASE).toBe(stack.postgres.database);
    await populate('restored_full', true);
    const { code, stdout, calls, applied } = await check('full', 'restored_full');
    expect(code).toBe(0);
    expect(stdout).toContain('restore check passed');
    expect(stdout).toMatch(/answered "t"/);
    expect(calls).toEqual([
      removal,
      `${ns} apply -f ${join(dir.path, 'config', 'cluster.yaml')}`,
      `${ns} wait cluster/postgres-restore-check --for=condition=Ready --timeout=${jobEnv.TIMEOUT_SECONDS}s`,
      expect.stringMatching(
        new RegExp(`^${ns} exec postgres-restore-check-1 -c postgres -- psql .* -d restored_full -tAc SELECT`),
      ),
      removal,
    ]);
    expect(await applied()).toBe(config['cluster.yaml']);
  });

  // Each failure: its one `restore check FAILED: …` line, the Cluster's status and log, the Cluster kept.
  it.each([
    {
      what: 'the restored database is empty (migrated, no catalog)',
      database: 'restored_empty',
      env: {},
      line: 'restore check FAILED: the restored database does not hold what the live one does',
    },
    {
      what: 'the Cluster never becomes Ready (a restore that cannot complete)',
      database: 'restored_full',
      env: { WAIT_EXIT: '1' },
      line: 'restore check FAILED: Cluster postgres-restore-check never became Ready',
    },
    {
      what: 'the query cannot run on the restored Cluster',
      database: 'restored_full',
      env: { EXEC_EXIT: '1' },
      line: 'restore check FAILED: the query could not run on the restored database',
    },
  ])('fails when $what: prints the status and log, keeps the Cluster', async ({ database, env, line }) => {
    if (database === 'restored_empty') await populate(database, false);
    const { code, stderr, calls } = await check(line.slice(22, 40).replace(/\W/g, '-'), database, env);
    expect(code).not.toBe(0);
    expect(stderr).toContain(line);
    if (env.WAIT_EXIT) expect(calls.some((c) => c.includes(' exec '))).toBe(false);
    expect(stderr).toContain('restore check: status of Cluster postgres-restore-check:');
    expect(stderr).toContain('Setting up primary: Restoring a backup');
    expect(stderr).toContain('restored log line');
    expect(calls.filter((c) => c.includes(' delete '))).toEqual([removal]); // only the clean start
    failures.push(stderr);
  });

  it('the runbook of PostgresRestoreCheckFailing quotes only what the script prints', () => {
    const runbook = alertDefinitions().find((a) => a.name === 'PostgresRestoreCheckFailing')!.runbook;
    const quoted = [...`${runbook.confirm} ${runbook.act}`.matchAll(/`(restore check[^`…]*)/g)].map((m) =>
      m[1]!.trim(),
    );
    expect(quoted.length).toBeGreaterThanOrEqual(4);
    // Every message it quotes was printed by one of the runs above (a passing run ends with the last).
    const printed = [...failures, 'restore check passed'].join('\n');
    for (const line of quoted) expect(printed, line).toContain(line);
  });
});

const failures: string[] = [];
