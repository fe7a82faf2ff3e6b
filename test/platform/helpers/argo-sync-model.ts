/**
 * A MODEL of one Argo CD sync, for checking the order deploy/ is applied in without a cluster. It follows
 * gitops-engine's pkg/sync (sync_context.go `Sync()`, sync_tasks.go): tasks ordered by phase (PreSync,
 * Sync, PostSync), wave (`argocd.argoproj.io/sync-wave`), kind (Helm's kind order, custom resources
 * last) and name; one phase/wave applied at a time; when the sync has more than one step, every task of
 * the step must turn Healthy before the next is applied (Degraded fails the sync), except the last step
 * of non-hooks, which is not waited on; hooks always run and are always waited on; `ApplyOutOfSyncOnly`
 * drops unchanged objects; prune tasks run in reverse wave order, after everything with `PruneLast`;
 * `Prune=false` keeps an object.
 *
 * What it cannot know it models, simply and on purpose: health is a function of a small world (is
 * Postgres up, which schema version is applied, which archives exist); the operator's Secrets
 * (`<cluster>-app`, `-ca`, …) exist once their Cluster has been healthy (and stay while it is down); a migration Job completes only with
 * Postgres up and records its schema version; an app pod is Ready only on a schema at least as new as its
 * release's. Nothing here runs in time: a step that cannot become healthy is reported as where the sync
 * stops. On a real cluster the check is a sync itself (`argocd app sync`, then `argocd app wait --health`).
 */
import type { KubeObject } from '../../../platform/render/stack-objects.js';
import { podSpecOf } from '../../../platform/k8s/hygiene.js';

// biome-ignore lint/suspicious/noExplicitAny: plain Kubernetes JSON
type Obj = KubeObject & { metadata: { annotations?: Record<string, string> } } & Record<string, any>;
type Health = 'Healthy' | 'Progressing' | 'Degraded' | undefined;

/** gitops-engine pkg/sync/sync_tasks.go `kindOrder` (Helm's install order); anything else sorts after. */
const KIND_ORDER = [
  'Namespace',
  'NetworkPolicy',
  'ResourceQuota',
  'LimitRange',
  'PodSecurityPolicy',
  'PodDisruptionBudget',
  'ServiceAccount',
  'Secret',
  'SecretList',
  'ConfigMap',
  'StorageClass',
  'PersistentVolume',
  'PersistentVolumeClaim',
  'CustomResourceDefinition',
  'ClusterRole',
  'ClusterRoleList',
  'ClusterRoleBinding',
  'ClusterRoleBindingList',
  'Role',
  'RoleList',
  'RoleBinding',
  'RoleBindingList',
  'Service',
  'DaemonSet',
  'Pod',
  'ReplicationController',
  'ReplicaSet',
  'Deployment',
  'HorizontalPodAutoscaler',
  'StatefulSet',
  'Job',
  'CronJob',
  'IngressClass',
  'Ingress',
  'APIService',
];
const kindRank = (kind: string) => {
  const i = KIND_ORDER.indexOf(kind);
  return i < 0 ? 0 : i - KIND_ORDER.length;
};
const PHASES = ['PreSync', 'Sync', 'PostSync'] as const;
/** The Secrets CloudNativePG creates for a Cluster named c: `c-app`, `c-ca`, … */
const OPERATOR_SECRET_SUFFIXES = ['app', 'ca', 'server', 'replication', 'superuser'];

export const keyOf = (o: KubeObject) => `${o.kind}/${o.metadata.name}`;
const annotation = (o: Obj, name: string): string | undefined => o.metadata.annotations?.[name];
const syncOptions = (o: Obj) =>
  (annotation(o, 'argocd.argoproj.io/sync-options') ?? '').split(',').map((s) => s.trim());

export interface World {
  postgresUp: boolean;
  /** The schema version the database has (the newest applied migration), if any. */
  schema: string | undefined;
  /**
   * Clusters that have run (been healthy once): their operator Secrets exist, and their archive (server
   * name = Cluster name) holds base backups and WAL.
   */
  archives: Set<string>;
}

export interface SyncOptions {
  applyOutOfSyncOnly: boolean;
  pruneLast: boolean;
}

/** The Application's own sync options, as rendered. */
export function applicationOptions(application: Obj): SyncOptions {
  const options: string[] = application.spec.syncPolicy?.syncOptions ?? [];
  return {
    applyOutOfSyncOnly: options.includes('ApplyOutOfSyncOnly=true'),
    pruneLast: options.includes('PruneLast=true'),
  };
}

interface Task {
  obj: Obj;
  phase: (typeof PHASES)[number];
  wave: number;
  hook: boolean;
  prune: boolean;
}

export interface SyncResult {
  /** What was applied or pruned, in order (`prune Kind/name` for deletions). */
  steps: string[];
  /** Each object applied before something it needs, or a database deleted. */
  violations: string[];
  /** Where the sync stopped without completing: the tasks it waits on, and why. */
  stuck: string[] | undefined;
  /** Whether the sync failed (a Degraded task). */
  failed: boolean;
  world: World;
  live: Map<string, Obj>;
}

const isMigration = (o: Obj): boolean =>
  o.kind === 'Job' && o.metadata.labels?.['app.kubernetes.io/component'] === 'migrations';

/** What an object needs to exist (or, for a producer's Secrets, its producer to be healthy) when it is applied. */
function needs(o: Obj, clusters: Set<string>): Array<{ key: string; why: string }> {
  const out: Array<{ key: string; why: string }> = [];
  const secret = (name: string, why: string) => {
    const producer =
      clusters.has(name.replace(/-[a-z]+$/, '')) && OPERATOR_SECRET_SUFFIXES.includes(name.split('-').at(-1)!);
    out.push({ key: producer ? `operator-secret:${name.replace(/-[a-z]+$/, '')}:${name}` : `Secret/${name}`, why });
  };
  const spec = podSpecOf[o.kind]?.(o) ?? (o.kind === 'Pooler' ? o.spec.template?.spec : undefined);
  if (spec) {
    if (spec.serviceAccountName)
      out.push({ key: `ServiceAccount/${spec.serviceAccountName}`, why: 'its pods run as it' });
    if (spec.priorityClassName) out.push({ key: `PriorityClass/${spec.priorityClassName}`, why: 'its pods name it' });
    for (const v of spec.volumes ?? []) {
      if (v.secret) secret(v.secret.secretName, `volume ${v.name}`);
      if (v.configMap) out.push({ key: `ConfigMap/${v.configMap.name}`, why: `volume ${v.name}` });
    }
    for (const c of [...(spec.initContainers ?? []), ...(spec.containers ?? [])])
      for (const e of c.env ?? []) {
        if (e.valueFrom?.secretKeyRef) secret(e.valueFrom.secretKeyRef.name, `env ${e.name}`);
        if (e.valueFrom?.configMapKeyRef)
          out.push({ key: `ConfigMap/${e.valueFrom.configMapKeyRef.name}`, why: `env ${e.name}` });
      }
  }
  if (o.kind === 'Cluster') {
    if (o.spec.priorityClassName)
      out.push({ key: `PriorityClass/${o.spec.priorityClassName}`, why: 'its instances name it' });
    for (const p of o.spec.plugins ?? [])
      out.push({ key: `ObjectStore/${p.parameters.barmanObjectName}`, why: 'it archives WAL there' });
    for (const e of o.spec.externalClusters ?? []) {
      out.push({ key: `ObjectStore/${e.plugin.parameters.barmanObjectName}`, why: `recovery source ${e.name}` });
      out.push({ key: `archive:${e.plugin.parameters.serverName}`, why: `it restores from that archive` });
    }
  }
  if (o.kind === 'Pooler' || o.kind === 'ScheduledBackup')
    out.push({ key: `healthy:Cluster/${o.spec.cluster.name}`, why: 'it connects to (backs up) that Cluster' });
  if (o.kind === 'RoleBinding') {
    out.push({ key: `${o.roleRef.kind}/${o.roleRef.name}`, why: 'roleRef' });
    for (const s of o.subjects ?? [])
      if (s.kind === 'ServiceAccount') out.push({ key: `ServiceAccount/${s.name}`, why: 'subject' });
  }
  if (o.kind === 'HorizontalPodAutoscaler')
    out.push({ key: `${o.spec.scaleTargetRef.kind}/${o.spec.scaleTargetRef.name}`, why: 'scaleTargetRef' });
  return out;
}

class Model {
  constructor(
    readonly live: Map<string, Obj>,
    readonly world: World,
    readonly rendered: Set<string>,
    readonly clusters: Set<string>,
  ) {}

  has(key: string): boolean {
    if (key.startsWith('healthy:')) return this.health(this.live.get(key.slice('healthy:'.length))) === 'Healthy';
    if (key.startsWith('archive:')) return this.world.archives.has(key.slice('archive:'.length));
    if (key.startsWith('operator-secret:')) return this.world.archives.has(key.split(':')[1]!);
    // A Secret nothing here renders or produces comes from outside (the Pulumi program): present.
    if (key.startsWith('Secret/') && !this.rendered.has(key)) return true;
    return this.live.has(key);
  }

  unmet(o: Obj): Array<{ key: string; why: string }> {
    return needs(o, this.clusters).filter((n) => !this.has(n.key));
  }

  /** The app's release version an image carries (the tag), for the schema it needs. */
  health(o: Obj | undefined): Health {
    if (!o) return 'Progressing';
    switch (o.kind) {
      case 'Cluster':
        return this.world.postgresUp && this.unmet(o).length === 0 ? 'Healthy' : 'Progressing';
      case 'Pooler':
        return this.unmet(o).length === 0 ? 'Healthy' : 'Progressing';
      case 'Job':
        return this.world.postgresUp && this.unmet(o).length === 0 ? 'Healthy' : 'Progressing';
      case 'Deployment':
      case 'StatefulSet': {
        if (this.unmet(o).length > 0) return 'Progressing';
        const needsSchema = o.metadata.annotations?.['model/needs-schema'];
        if (needsSchema === undefined) return 'Healthy';
        // The app's pods check the schema at start: they need Postgres up and a schema at least as new.
        return this.world.postgresUp && this.world.schema !== undefined && this.world.schema >= needsSchema
          ? 'Healthy'
          : 'Progressing';
      }
      default:
        return undefined;
    }
  }

  /** What follows from the world by itself: a completed migration Job records its schema version. */
  settle(): void {
    for (const o of this.live.values())
      if (o.metadata.annotations?.['model/schema'] && this.health(o) === 'Healthy') {
        const version = o.metadata.annotations['model/schema'];
        if (version && (this.world.schema === undefined || version > this.world.schema)) this.world.schema = version;
      }
    for (const o of this.live.values())
      if (o.kind === 'Cluster' && this.health(o) === 'Healthy') this.world.archives.add(o.metadata.name);
  }
}

/**
 * Marks a copy of a release's objects for the model: its migration Job applies `schema`
 * (`model/schema`), and every Deployment whose pods connect to Postgres (a DATABASE_URL) needs it.
 */
export function markSchemaNeeds(objects: readonly KubeObject[], schema: string): Obj[] {
  const copies = structuredClone(objects) as Obj[];
  for (const o of copies) {
    if (isMigration(o) || (o.kind === 'Job' && o.metadata.name === 'migrate'))
      o.metadata.annotations = { ...o.metadata.annotations, 'model/schema': schema };
    if (o.kind !== 'Deployment') continue;
    const env = podSpecOf.Deployment!(o)?.containers.flatMap((c: { env?: Array<{ name: string }> }) => c.env ?? []);
    if (env?.some((e: { name: string }) => e.name === 'DATABASE_URL'))
      o.metadata.annotations = { ...o.metadata.annotations, 'model/needs-schema': schema };
  }
  return copies;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** One sync of `target` over `live` (objects already in the cluster, as last applied) in `world`. */
export function simulateSync(
  target: readonly Obj[],
  liveObjects: readonly Obj[],
  world: World,
  options: SyncOptions,
): SyncResult {
  const live = new Map(liveObjects.map((o) => [keyOf(o), o]));
  const targetKeys = new Set(target.map(keyOf));
  const clusters = new Set([...target, ...liveObjects].filter((o) => o.kind === 'Cluster').map((o) => o.metadata.name));
  const model = new Model(
    live,
    { ...world, archives: new Set(world.archives) },
    new Set([...target, ...liveObjects].map(keyOf)),
    clusters,
  );
  model.settle();
  const wave = (o: Obj) => Number.parseInt(annotation(o, 'argocd.argoproj.io/sync-wave') ?? '0', 10) || 0;

  let tasks: Task[] = target.map((obj) => {
    const hook = annotation(obj, 'argocd.argoproj.io/hook');
    return {
      obj,
      phase: (PHASES as readonly string[]).includes(hook ?? '') ? (hook as Task['phase']) : 'Sync',
      wave: wave(obj),
      hook: hook !== undefined,
      prune: false,
    };
  });
  if (options.applyOutOfSyncOnly) tasks = tasks.filter((t) => t.hook || !same(live.get(keyOf(t.obj)), t.obj));

  const violations: string[] = [];
  const steps: string[] = [];
  // Prune: what is live and no longer rendered, unless it says Prune=false.
  const pruneTasks: Task[] = [];
  for (const [key, obj] of live)
    if (!targetKeys.has(key) && !syncOptions(obj).includes('Prune=false'))
      pruneTasks.push({ obj, phase: 'Sync', wave: wave(obj), hook: false, prune: true });
  const pruneWaves = [...new Set(pruneTasks.map((t) => t.wave))].sort((a, b) => a - b);
  for (const t of pruneTasks) t.wave = pruneWaves[pruneWaves.length - 1 - pruneWaves.indexOf(t.wave)]!;
  if (options.pruneLast) {
    const last =
      Math.max(0, ...tasks.filter((t) => t.phase === 'Sync').map((t) => t.wave), ...pruneTasks.map((t) => t.wave)) + 1;
    for (const t of pruneTasks) t.wave = last;
  }
  tasks.push(...pruneTasks);

  const order = (t: Task) => [PHASES.indexOf(t.phase), t.wave, kindRank(t.obj.kind)] as const;
  tasks.sort((a, b) => {
    const [pa, wa, ka] = order(a);
    const [pb, wb, kb] = order(b);
    return pa - pb || wa - wb || ka - kb || a.obj.metadata.name.localeCompare(b.obj.metadata.name);
  });
  const steps_ = [...new Set(tasks.map((t) => `${t.phase}:${t.wave}`))];
  const multiStep = steps_.length > 1;

  for (const [i, step] of steps_.entries()) {
    const group = tasks.filter((t) => `${t.phase}:${t.wave}` === step);
    for (const t of group) {
      const key = keyOf(t.obj);
      if (t.prune) {
        if (t.obj.kind === 'Cluster' || t.obj.kind === 'ObjectStore')
          violations.push(`prunes ${key}: the sync deletes a database (or its archive's definition)`);
        live.delete(key);
        steps.push(`prune ${key}`);
        continue;
      }
      for (const n of model.unmet(t.obj)) violations.push(`${key} applied before ${n.key} (${n.why})`);
      live.set(key, t.obj);
      steps.push(key);
    }
    model.settle();
    const last = i === steps_.length - 1 && group.every((t) => !t.hook);
    if (last) break;
    if (!multiStep && group.every((t) => !t.hook)) break;
    const waiting = group.filter(
      (t) => !t.prune && (t.hook || multiStep) && model.health(live.get(keyOf(t.obj))) === 'Progressing',
    );
    const degraded = group.filter((t) => !t.prune && model.health(live.get(keyOf(t.obj))) === 'Degraded');
    if (degraded.length > 0)
      return { steps, violations, stuck: degraded.map((t) => keyOf(t.obj)), failed: true, world: model.world, live };
    if (waiting.length > 0)
      return {
        steps,
        violations,
        stuck: waiting.map((t) => `${keyOf(t.obj)} (step ${step}): ${describeWait(model, t.obj)}`),
        failed: false,
        world: model.world,
        live,
      };
  }
  return { steps, violations, stuck: undefined, failed: false, world: model.world, live };
}

function describeWait(model: Model, o: Obj): string {
  const unmet = model.unmet(o).map((n) => n.key);
  if (unmet.length > 0) return `needs ${unmet.join(', ')}`;
  if (!model.world.postgresUp) return 'Postgres is down';
  return `needs schema ${o.metadata.annotations?.['model/needs-schema']}, the database has ${model.world.schema ?? 'none'}`;
}
