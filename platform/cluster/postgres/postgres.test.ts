/**
 * Postgres on CloudNativePG, asserted on the rendered objects of every stack: one Cluster per stack with
 * the stack's sizing and replication, the backups, the prod Pooler, point-in-time recovery as a stack
 * option, the app's connection settings, and no hand-made Postgres left anywhere.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { defineStack } from '../../../stacks/defaults.js';
import { withImages } from '../../render/stacks.js';
import { stacks } from '../../render/stacks.js';
import type { StackConfig } from '../../../stacks/types.js';
import { synthObjects, type KubeObject } from '../../render/build-stack.js';
import { dependencyGraph } from '../graph.js';
import { workloads, allContainers, type Loose, type Obj } from '../../validate/objects.js';
import { crdProblems } from '../../validate/crd-schema.js';
import { CHECK_CLUSTER, CHECK_SQL } from './restore-check.js';
import { recoveredClusterName } from './cluster.js';

const rendered = Object.fromEntries(Object.values(stacks).map((s) => [s.name, synthObjects(s).topology]));
const all = (stack: StackConfig, kind: string) => rendered[stack.name]!.filter((o) => o.kind === kind) as Loose[];
const one = (objects: KubeObject[], kind: string, name?: string): Loose => {
  const found = objects.filter((o) => o.kind === kind && (name === undefined || o.metadata.name === name));
  expect(found, `${kind}/${name ?? '*'}`).toHaveLength(1);
  return found[0] as Loose;
};
const env = (objects: KubeObject[], deployment: string) =>
  Object.fromEntries(
    (one(objects, 'Deployment', deployment).spec.template.spec.containers[0].env as Loose[]).map((e) => [
      e.name,
      e.value ?? e.valueFrom,
    ]),
  );

describe.each(Object.values(stacks))('stack $name', (stack) => {
  const objects = rendered[stack.name]!;
  const cluster = () => one(objects, 'Cluster', 'postgres');

  it('runs one CloudNativePG Cluster sized from the stack: instances, storage, resources, parameters', () => {
    expect(all(stack, 'Cluster')).toHaveLength(1);
    const spec = cluster().spec;
    expect(spec.instances).toBe(stack.postgres.instances);
    expect(spec.walStorage?.size).toBe(stack.postgres.walStorageGiB ? `${stack.postgres.walStorageGiB}Gi` : undefined);
    expect(spec.storage.size).toBe(`${stack.postgres.storageGiB}Gi`);
    expect(spec.resources.limits.memory).toBe(`${stack.postgres.resources.memoryMiB.limit}Mi`);
    expect(spec.imageName).toBe(stack.images.postgres);
    expect(spec.postgresql.parameters).toMatchObject({
      max_connections: String(stack.postgres.parameters.max_connections),
      shared_buffers: `${stack.postgres.resources.memoryMiB.limit / 4}MB`,
      hot_standby_feedback: 'on',
    });
    expect(spec.bootstrap.initdb).toMatchObject({ database: 'hsc_jit', owner: 'hsc_jit' });
    expect(spec.enableSuperuserAccess).toBe(false);
    // Standbys keep slots on the primary: WAL they still need is never recycled under them.
    expect(spec.replicationSlots.highAvailability.enabled).toBe(true);
  });

  it('places instances one per node and spreads them over zones; the operator keeps the PDBs where there is a standby', () => {
    const spec = cluster().spec;
    expect(spec.affinity).toMatchObject({ enablePodAntiAffinity: true, podAntiAffinityType: 'required' });
    expect(spec.topologySpreadConstraints[0]).toMatchObject({
      topologyKey: 'topology.kubernetes.io/zone',
      labelSelector: { matchLabels: { 'cnpg.io/cluster': 'postgres', 'cnpg.io/podRole': 'instance' } },
    });
    expect(spec.enablePDB).toBe(spec.instances > 1);
    // No PDB of ours over the instances: one over primary and standby is what let a drain evict the primary.
    const instanceLabels = { ...spec.inheritedMetadata.labels, 'cnpg.io/cluster': 'postgres' };
    for (const pdb of all(stack, 'PodDisruptionBudget'))
      expect(
        Object.entries(pdb.spec.selector.matchLabels).every(([k, v]) => instanceLabels[k] === v),
        pdb.metadata.name,
      ).toBe(false);
  });

  it('replicates synchronously where the stack asks: its quorum, which still holds with one standby down', () => {
    const synchronous = cluster().spec.postgresql.synchronous;
    const pg = stack.postgres;
    if (pg.synchronous) {
      expect(synchronous).toEqual({ method: 'any', ...pg.synchronous });
      // Standbys left when one is down still make the quorum: writes go on, each on two nodes at least.
      if (pg.synchronous.dataDurability === 'required')
        expect(pg.instances - 1 - 1).toBeGreaterThanOrEqual(pg.synchronous.number);
    } else expect(synchronous).toBeUndefined();
    // Staging rehearses prod's replication: both refuse a write no standby confirmed (other stacks choose).
    if (stack.name === 'staging' || stack.name === 'prod') expect(synchronous?.dataDurability).toBe('required');
  });

  it('bounds the WAL a slot may hold to what its volume has room for; prod runs Guaranteed on its own WAL volume', () => {
    const spec = cluster().spec;
    const volume = stack.postgres.walStorageGiB ?? stack.postgres.storageGiB;
    const keep = Number.parseInt(spec.postgresql.parameters.max_slot_wal_keep_size, 10);
    expect(keep).toBeGreaterThan(0);
    expect(keep).toBeLessThanOrEqual(volume / 2);
    if (stack.name === 'prod') {
      expect(spec.walStorage.size).toBe(`${stack.postgres.walStorageGiB}Gi`);
      expect(spec.resources.requests).toEqual(spec.resources.limits);
      expect(spec.topologySpreadConstraints[0].whenUnsatisfiable).toBe('DoNotSchedule');
    }
  });

  it('archives WAL and takes daily base backups with the Barman Cloud Plugin, kept 30 days', () => {
    const store = one(objects, 'ObjectStore', 'postgres-backups');
    expect(store.spec.configuration).toMatchObject({
      destinationPath: stack.backups.destinationPath,
      endpointURL: stack.backups.endpointURL,
      s3Credentials: {
        accessKeyId: { name: 'hsc-jit-backup-s3', key: 'ACCESS_KEY_ID' },
        secretAccessKey: { name: 'hsc-jit-backup-s3', key: 'ACCESS_SECRET_KEY' },
      },
    });
    expect(store.spec.retentionPolicy).toBe('30d');
    expect(cluster().spec.plugins).toEqual([
      {
        name: 'barman-cloud.cloudnative-pg.io',
        isWALArchiver: true,
        parameters: { barmanObjectName: 'postgres-backups' },
      },
    ]);
    const backup = one(objects, 'ScheduledBackup', 'postgres-daily');
    expect(backup.spec).toMatchObject({
      cluster: { name: 'postgres' },
      schedule: '0 17 3 * * *',
      method: 'plugin',
      pluginConfiguration: { name: 'barman-cloud.cloudnative-pg.io' },
      immediate: true,
    });
  });

  it('points the app at the operator Services and its Secret: rw (or the prod Pooler), ro, PGPASSWORD; no password in any URL', () => {
    const host = (name: string) => `${name}.${stack.namespace}.svc.cluster.local`;
    const rw = stack.postgres.pooler ? 'postgres-pooler-rw' : 'postgres-rw';
    for (const deployment of ['gateway', 'workers']) {
      const e = env(objects, deployment);
      expect(e.DATABASE_URL).toBe(`postgresql://hsc_jit@${host(rw)}:5432/hsc_jit`);
      // A single instance has no standby behind -ro: no replica URL to wait out a connect timeout on.
      expect(e.DATABASE_REPLICA_URL).toBe(
        stack.postgres.instances > 1 ? `postgresql://hsc_jit@${host('postgres-ro')}:5432/hsc_jit` : undefined,
      );
      expect(e.PGPASSWORD).toEqual({ secretKeyRef: { name: 'postgres-app', key: 'password' } });
      expect(e.DATABASE_STATEMENT_TIMEOUT_MS).toBe('5000');
    }
  });

  it("verifies the server over TLS with the operator's CA: DATABASE_CA_FILE in the mounted `postgres-ca` Secret, the rw host in the certificate", () => {
    const pods = [
      ...['gateway', 'workers'].map((d) => one(objects, 'Deployment', d).spec.template.spec),
      one(objects, 'Job').spec.template.spec,
    ];
    for (const pod of pods) {
      const container = pod.containers[0];
      const e = Object.fromEntries((container.env as Loose[]).map((x) => [x.name, x.value ?? x.valueFrom]));
      expect(e.DATABASE_CA_FILE).toBe('/etc/postgres-ca/ca.crt');
      const mount = (container.volumeMounts as Loose[]).find((m) => m.mountPath === '/etc/postgres-ca');
      expect(mount?.readOnly).toBe(true);
      // Only the CA's certificate: the Secret also holds the CA's private key.
      expect((pod.volumes as Loose[]).find((v) => v.name === mount?.name)?.secret).toEqual({
        secretName: 'postgres-ca',
        items: [{ key: 'ca.crt', path: 'ca.crt' }],
      });
    }
    // CloudNativePG's certificate names its own Services; the Pooler's host must be added for verify-full.
    const cluster = one(objects, 'Cluster', 'postgres');
    const rwHost = new URL(env(objects, 'gateway').DATABASE_URL as string).hostname;
    if (stack.postgres.pooler) expect(cluster.spec.certificates.serverAltDNSNames).toContain(rwHost);
    else expect(rwHost.startsWith('postgres-rw.')).toBe(true);
  });

  it('runs the migration Job straight against -rw (never the Pooler) with the operator-managed password', () => {
    const job = one(objects, 'Job').spec.template.spec.containers[0];
    const e = Object.fromEntries((job.env as Loose[]).map((x) => [x.name, x.value ?? x.valueFrom]));
    expect(e.DATABASE_URL).toBe(`postgresql://hsc_jit@postgres-rw.${stack.namespace}.svc.cluster.local:5432/hsc_jit`);
    expect(e.PGPASSWORD).toEqual({ secretKeyRef: { name: 'postgres-app', key: 'password' } });
  });

  it('has a Pooler where the stack asks for one (staging rehearses prod): transaction mode for rw, PgBouncer enforcing the app statement timeout, a PDB and a PodMonitor', () => {
    const poolers = all(stack, 'Pooler');
    if (!stack.postgres.pooler) {
      expect(poolers).toEqual([]);
      return;
    }
    const pooler = poolers[0]!;
    const sized = stack.postgres.pooler;
    expect(pooler.spec).toMatchObject({ cluster: { name: 'postgres' }, instances: sized.instances, type: 'rw' });
    expect(pooler.spec.pgbouncer).toMatchObject({
      poolMode: 'transaction',
      parameters: {
        ignore_startup_parameters: 'statement_timeout',
        query_timeout: '5',
        default_pool_size: String(sized.defaultPoolSize),
      },
    });
    expect(one(objects, 'PodDisruptionBudget', 'postgres-pooler-rw').spec.maxUnavailable).toBe(1);
    // Its server connections fit under max_connections with room for the operator and a failover.
    expect(sized.instances * sized.defaultPoolSize).toBeLessThan(stack.postgres.parameters.max_connections / 2);
  });

  it('runs no Postgres image outside the operator: no StatefulSet, Deployment or Job of ours is a database', () => {
    const own = workloads(objects as Obj[]).filter((w) => !w.operator);
    const images = own.flatMap((w) => allContainers(w.podSpec).map(({ container }) => container.image as string));
    expect(images.length).toBeGreaterThan(3);
    expect(images.filter((image) => /postgres/.test(image))).toEqual([]);
    expect(all(stack, 'StatefulSet').map((s) => s.metadata.name)).toEqual(['redis']);
  });

  it('checks the backups weekly by restoring them into a throwaway Cluster that never archives', () => {
    const cron = one(objects, 'CronJob', 'postgres-restore-check');
    expect([cron.spec.schedule, cron.spec.timeZone, cron.spec.concurrencyPolicy]).toEqual([
      stack.backups.verification.schedule,
      'Etc/UTC',
      'Forbid',
    ]);
    const pod = cron.spec.jobTemplate.spec.template.spec;
    expect(pod.serviceAccountName).toBe('postgres-restore-check');
    const config = one(objects, 'ConfigMap', 'postgres-restore-check').data;
    expect(config['restore-check.sh']).toBe(readFileSync(new URL('./restore-check.sh', import.meta.url), 'utf8'));
    const check = parse(config['cluster.yaml']);
    expect(crdProblems('postgresql.cnpg.io/v1/Cluster', check)).toEqual([]);
    expect(check.metadata.name).toBe(CHECK_CLUSTER);
    expect(check.spec.bootstrap.recovery.source).toBe('origin');
    expect(check.spec.externalClusters).toEqual([
      {
        name: 'origin',
        plugin: {
          name: 'barman-cloud.cloudnative-pg.io',
          parameters: { barmanObjectName: 'postgres-backups', serverName: 'postgres' },
        },
      },
    ]);
    expect(check.spec.plugins).toBeUndefined();
    // Created by the Job, not by Git: without Argo CD's tracking label, or a sync would prune it mid-check.
    expect(check.metadata.labels['app.kubernetes.io/instance']).toBeUndefined();
    expect(check.spec.inheritedMetadata).toBeUndefined();
    const envOf = Object.fromEntries(pod.containers[0].env.map((e: Loose) => [e.name, e.value]));
    expect(envOf.CHECK_SQL).toBe(CHECK_SQL);
    // RBAC: create Clusters; everything else only on the throwaway Cluster and its one pod.
    const rules = one(objects, 'Role', 'postgres-restore-check').rules as Loose[];
    for (const rule of rules.filter((r) => !r.verbs.includes('create') || r.resources.includes('pods/exec')))
      expect(rule.resourceNames, JSON.stringify(rule)).toEqual(
        expect.arrayContaining([expect.stringMatching(/^postgres-restore-check/)]),
      );
  });

  it('network: the operator reaches the instances, the app and Pooler reach Postgres, the instances reach the object store and the API', () => {
    const edges = dependencyGraph(stack).map((e) => `${e.from}->${e.to}:${e.ports.join('/')}`);
    const rw = stack.postgres.pooler ? 'postgres-pooler' : 'postgres';
    expect(edges).toEqual(
      expect.arrayContaining([
        'cnpg-operator->postgres:5432/8000',
        'postgres->postgres:5432/8000',
        `gateway->${rw}:5432`,
        `workers->${rw}:5432`,
        'gateway->postgres:5432',
        'workers->postgres:5432',
        'postgres->internet:443',
        'postgres->kubernetes-api:443/6443',
        'postgres-restore-check->kubernetes-api:443/6443',
        'prometheus->postgres:9187',
        'migrations->postgres:5432',
      ]),
    );
    // Nothing else may reach the instances.
    expect(
      [
        ...new Set(
          dependencyGraph(stack)
            .filter((e) => e.to === 'postgres')
            .map((e) => e.from),
        ),
      ].sort(),
    ).toEqual(
      [
        ...new Set([
          'cnpg-operator',
          'gateway',
          'migrations',
          'postgres',
          'prometheus',
          'workers',
          ...(stack.postgres.pooler ? ['postgres-pooler'] : []),
        ]),
      ].sort(),
    );
  });
});

describe('point-in-time recovery (a stack option)', () => {
  const targetTime = '2026-11-29T14:05:00+01:00';
  const at = (stage: 'restore' | 'cutover' | 'retire') =>
    synthObjects(
      withImages(defineStack('staging', { postgres: { recovery: { from: 'postgres', targetTime, stage } } })),
    ).topology; // validated, CRD schemas included
  const name = recoveredClusterName('postgres', targetTime);

  it('restores into a new Cluster beside the live one, bootstrapped from the archive up to the target time; the app stays on the live one', () => {
    expect(name).toBe('postgres-pitr-202611291305');
    const objects = at('restore');
    const cluster = one(objects, 'Cluster', name);
    expect(cluster.spec.bootstrap).toEqual({
      recovery: { source: 'origin', database: 'hsc_jit', owner: 'hsc_jit', recoveryTarget: { targetTime } },
    });
    expect(cluster.spec.externalClusters[0].plugin.parameters).toEqual({
      barmanObjectName: 'postgres-backups',
      serverName: 'postgres',
    });
    expect(one(objects, 'Cluster', 'postgres').spec.bootstrap.initdb).toBeDefined();
    expect(env(objects, 'gateway').DATABASE_URL).toContain('@postgres-rw.');
    for (const c of objects.filter((o) => o.kind === 'Cluster') as Loose[])
      expect(c.metadata.annotations['argocd.argoproj.io/sync-options']).toBe('Prune=false,Delete=false');
  });

  it('cuts the app over by host and secret at "cutover", keeps the old Cluster, and drops it from Git only at "retire"', () => {
    const cutover = at('cutover');
    expect(
      cutover
        .filter((o) => o.kind === 'Cluster')
        .map((o) => o.metadata.name)
        .sort(),
    ).toEqual(['postgres', name]);
    const e = env(cutover, 'gateway');
    expect(e.DATABASE_URL).toContain(`@${name}-rw.`);
    expect(e.PGPASSWORD).toEqual({ secretKeyRef: { name: `${name}-app`, key: 'password' } });
    expect(one(cutover, 'ScheduledBackup', `${name}-daily`).spec.cluster.name).toBe(name);
    expect(
      at('retire')
        .filter((o) => o.kind === 'Cluster')
        .map((o) => o.metadata.name),
    ).toEqual([name]);
  });

  it('refuses a target time without a zone, and synchronous replication without enough standbys', () => {
    expect(() =>
      synthObjects(
        withImages(
          defineStack('staging', {
            postgres: { recovery: { from: 'postgres', targetTime: '2026-11-29 14:05', stage: 'restore' } },
          }),
        ),
      ),
    ).toThrow(/RFC 3339 with a zone/);
    expect(() =>
      synthObjects(
        withImages(
          defineStack('dev', { postgres: { instances: 1, synchronous: { number: 1, dataDurability: 'required' } } }),
        ),
      ),
    ).toThrow(/synchronous.number 1 needs 1..0 standbys/);
  });
});
