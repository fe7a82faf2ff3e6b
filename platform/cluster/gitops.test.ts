/**
 * The Argo CD project and ignored fields of every stack, against what the stack renders. Argo CD itself
 * cannot run here: `permits` models its project check (a namespaced object needs its namespace among the
 * destinations and its group/kind in namespaceResourceWhitelist; a cluster-scoped one needs its
 * group/kind in clusterResourceWhitelist), and `normalize` applies ignoreDifferences as Argo CD does
 * (JSON pointers removed, jq path expressions deleted with the real jq).
 */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { stacks } from '../render/stacks.js';
import { requireBinary } from '../../test/harness/binaries.js';
import { synthObjects } from '../render/build-stack.js';
import type { KubeObject } from '../render/stack-objects.js';
import type { Loose } from '../validate/objects.js';

interface GroupKind {
  group: string;
  kind: string;
}

const jq = requireBinary('jq', 'jq');
const groupOf = (o: KubeObject) => (o.apiVersion.includes('/') ? o.apiVersion.split('/')[0]! : '');

function permits(project: Loose, o: KubeObject): boolean {
  const listed = (list: GroupKind[] = []) => list.some((gk) => gk.group === groupOf(o) && gk.kind === o.kind);
  if (o.metadata.namespace === undefined) return listed(project.spec.clusterResourceWhitelist);
  return (
    listed(project.spec.namespaceResourceWhitelist) &&
    project.spec.destinations.some((d: Loose) => d.namespace === o.metadata.namespace)
  );
}

function normalize(object: Loose, ignores: Loose[]): Loose {
  const copy = structuredClone(object);
  for (const ignore of ignores.filter((i) => i.kind === object.kind && i.name === object.metadata.name)) {
    for (const pointer of ignore.jsonPointers ?? []) {
      const keys = (pointer as string).split('/').slice(1);
      const parent = keys.slice(0, -1).reduce<Loose | undefined>((node, key) => node?.[key], copy);
      if (parent) delete parent[keys.at(-1)!];
    }
    for (const expression of ignore.jqPathExpressions ?? []) {
      const out = execFileSync(jq, ['-c', `del(${expression})`], { input: JSON.stringify(copy) }).toString();
      Object.assign(copy, JSON.parse(out));
    }
  }
  return copy;
}

/** A live Cluster as CloudNativePG's defaulting webhook leaves it (api/v1/cluster_defaults.go). */
function defaulted(cluster: Loose): Loose {
  const live = structuredClone(cluster);
  const spec = live.spec;
  spec.logLevel ??= 'info';
  spec.probes ??= { liveness: { isolationCheck: { enabled: true, requestTimeout: 1000, connectionTimeout: 1000 } } };
  spec.monitoring ??= { customQueriesConfigMap: [{ name: 'cnpg-default-monitoring', key: 'queries' }] };
  spec.replicationSlots ??= {};
  spec.replicationSlots.highAvailability = { slotPrefix: '_cnpg_', ...spec.replicationSlots.highAvailability };
  spec.replicationSlots.synchronizeReplicas ??= { enabled: true };
  if (spec.bootstrap?.initdb)
    spec.bootstrap.initdb = { encoding: 'UTF8', localeCollate: 'C', localeCType: 'C', ...spec.bootstrap.initdb };
  spec.affinity = { podAntiAffinityType: 'preferred', ...spec.affinity };
  spec.postgresql.parameters = {
    archive_mode: 'on',
    archive_timeout: '5min',
    dynamic_shared_memory_type: 'posix',
    ...spec.postgresql.parameters,
  };
  spec.plugins = [...(spec.plugins ?? []), { name: 'cnpg-i-other.example', enabled: true }];
  return live;
}

describe.each(Object.values(stacks).map((s) => [s.name, s] as const))('Argo CD for %s', (_name, stack) => {
  const { topology, gitops } = synthObjects(stack);
  const project = gitops.find((o) => o.kind === 'AppProject') as Loose;
  const app = gitops.find((o) => o.kind === 'Application') as Loose;

  it('has its own AppProject (not default) allowing its repository, its namespaces and exactly the kinds it renders', () => {
    expect(app.spec.project).toBe(project.metadata.name);
    expect(app.spec.project).not.toBe('default');
    expect(project.spec.sourceRepos).toEqual([app.spec.source.repoURL]);
    expect(project.spec.destinations.map((d: Loose) => d.namespace)).toContain(app.spec.destination.namespace);
    expect(topology.filter((o) => !permits(project, o)).map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([]);
    // Nothing more than rendered: every whitelisted kind and destination is used by some object.
    const used = (gk: GroupKind, clusterScoped: boolean) =>
      topology.some(
        (o) => groupOf(o) === gk.group && o.kind === gk.kind && (o.metadata.namespace === undefined) === clusterScoped,
      );
    expect(project.spec.clusterResourceWhitelist.filter((gk: GroupKind) => !used(gk, true))).toEqual([]);
    expect(project.spec.namespaceResourceWhitelist.filter((gk: GroupKind) => !used(gk, false))).toEqual([]);
    expect(project.spec.clusterResourceWhitelist.map((gk: GroupKind) => gk.kind).sort()).toEqual([
      'Namespace',
      'PriorityClass',
    ]);
  });

  it('refuses what the stack does not render: another cluster-scoped kind, another namespace', () => {
    const clusterRole = {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: 'x' },
    } as KubeObject;
    const elsewhere = {
      ...topology.find((o) => o.kind === 'ConfigMap')!,
      metadata: { name: 'x', namespace: 'kube-system' },
    };
    expect(permits(project, clusterRole)).toBe(false);
    expect(permits(project, elsewhere as KubeObject)).toBe(false);
  });

  it('ignores what CloudNativePG defaults and the HPA scales, and nothing Git sets', () => {
    const ignores = app.spec.ignoreDifferences as Loose[];
    for (const o of topology) expect(normalize(o, ignores), `${o.kind}/${o.metadata.name}`).toEqual(o);
    const cluster = topology.find((o) => o.kind === 'Cluster') as Loose;
    expect(normalize(defaulted(cluster), ignores)).toEqual(cluster);
    // A real drift of a field Git sets still shows.
    const drifted = defaulted(cluster);
    drifted.spec.postgresql.parameters.max_connections = '10';
    expect(normalize(drifted, ignores)).not.toEqual(cluster);
    for (const hpa of topology.filter((o) => o.kind === 'HorizontalPodAutoscaler') as Loose[]) {
      const target = topology.find((o) => o.kind === 'Deployment' && o.metadata.name === hpa.spec.scaleTargetRef.name)!;
      expect(normalize({ ...target, spec: { ...(target as Loose).spec, replicas: 7 } }, ignores)).toEqual(target);
    }
  });
});
