/**
 * The order a GitOps sync applies deploy/ in, checked against a MODEL of Argo CD's sync
 * (helpers/argo-sync-model.ts: phases, waves, kind order, hooks, health gating between steps, prune
 * order, ApplyOutOfSyncOnly, Prune=false), not against a running Argo CD. Three syncs for every stack:
 * into an empty namespace (from the committed files, as Argo CD reads them), a point-in-time recovery
 * walked through its stages, and a rollback of the app images while Postgres is down.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { schemaVersion } from '../../app/adapters/storage/migrate.js';
import { synthObjects, type KubeObject } from '../../platform/render/build-stack.js';
import { repoRoot } from '../../platform/render/synth.js';
import { deepMerge } from '../../stacks/defaults.js';
import { stacks } from '../../platform/render/stacks.js';
import type { StackConfig } from '../../stacks/types.js';
import { applicationOptions, markSchemaNeeds, simulateSync, type World } from './helpers/argo-sync-model.js';

const SCHEMA = schemaVersion();

/** deploy/<stack>/*.yaml (top level only, like the Application's `include`), parsed. */
function committed(stack: StackConfig): KubeObject[] {
  const dir = join(repoRoot, 'deploy', stack.name);
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => parse(readFileSync(join(dir, f), 'utf8')) as KubeObject);
}

function options(stack: StackConfig) {
  return applicationOptions(
    parse(readFileSync(join(repoRoot, 'deploy', 'argocd', `hsc-jit-${stack.name}.yaml`), 'utf8')),
  );
}

/** A world where `objects` ran to health: Postgres up, the schema applied, each Cluster's archive written. */
function settled(objects: readonly KubeObject[], schema: string): World {
  return {
    postgresUp: true,
    schema,
    archives: new Set(objects.filter((o) => o.kind === 'Cluster').map((o) => o.metadata.name)),
  };
}

const render = (stack: StackConfig, schema = SCHEMA) =>
  markSchemaNeeds(synthObjects(stack, { schemaVersion: schema }).topology, schema);

describe.each(Object.values(stacks))('Argo CD sync order (a model), stack $name', (stack) => {
  const opts = options(stack);

  it('a first sync into an empty namespace applies nothing before what it needs, and completes', () => {
    const result = simulateSync(
      markSchemaNeeds(committed(stack), SCHEMA),
      [],
      { postgresUp: true, schema: undefined, archives: new Set() },
      opts,
    );
    expect(result.violations).toEqual([]);
    expect(result.stuck).toBeUndefined();
    expect(result.world.schema).toBe(SCHEMA);
    // The Cluster is healthy before the migration Job and the app are applied.
    const at = (prefix: string) => result.steps.findIndex((s) => s.startsWith(prefix));
    expect(at('Cluster/')).toBeLessThan(at('Job/migrate'));
    expect(at('Job/migrate')).toBeLessThan(result.steps.length);
  });

  it('a point-in-time recovery restores beside the live Cluster, cuts over, rolls back and retires without deleting a database', () => {
    const live = render(stack);
    const pitr = (stage: 'restore' | 'cutover' | 'retire') =>
      render(
        deepMerge(stack, {
          postgres: { recovery: { from: stack.postgres.clusterName, targetTime: '2026-11-29T14:05:00Z', stage } },
        }),
      );
    const recovered = `${stack.postgres.clusterName}-pitr-202611291405`;
    let objects = live;
    let world = settled(live, SCHEMA);
    for (const stage of ['restore', 'cutover', 'restore', 'cutover', 'retire'] as const) {
      const target = pitr(stage);
      const result = simulateSync(target, objects, world, opts);
      expect(result.violations, stage).toEqual([]);
      expect(result.stuck, stage).toBeUndefined();
      // Git never deletes a Cluster: the live one stays through every stage, retire included.
      const clusters = [...result.live.values()].filter((o) => o.kind === 'Cluster').map((o) => o.metadata.name);
      expect(clusters.sort(), stage).toEqual([stack.postgres.clusterName, recovered].sort());
      expect(result.world.archives.has(recovered), `${stage}: the recovered Cluster ran`).toBe(true);
      const gateway = result.live.get('Deployment/gateway')!;
      const url = gateway.spec.template.spec.containers[0].env.find(
        (e: { name: string }) => e.name === 'DATABASE_URL',
      ).value;
      expect(url, stage).toContain(stage === 'restore' ? `@${stack.postgres.clusterName}-` : `@${recovered}-`);
      objects = [...result.live.values()];
      world = result.world;
    }
  });

  it('a rollback of the app images during a Postgres outage applies every changed Deployment before it waits on anything', () => {
    const live = render(stack);
    const previous = '004_turn_thread_vote';
    const rolledBack: StackConfig = {
      ...stack,
      images: {
        ...stack.images,
        gateway: `${stack.images.gateway.split(':')[0]}:0.0.9`,
        worker: `${stack.images.worker.split(':')[0]}:0.0.9`,
      },
    };
    const target = render(rolledBack, previous);
    const result = simulateSync(target, live, { ...settled(live, SCHEMA), postgresUp: false }, opts);
    expect(result.violations).toEqual([]);
    const changed = target
      .filter((o) => o.kind === 'Deployment')
      .filter(
        (o) =>
          JSON.stringify(o) !==
          JSON.stringify(live.find((l) => l.kind === o.kind && l.metadata.name === o.metadata.name)),
      );
    expect(changed.map((o) => o.metadata.name).sort()).toEqual(['gateway', 'workers']);
    for (const d of changed)
      expect(result.steps, `Deployment/${d.metadata.name}`).toContain(`Deployment/${d.metadata.name}`);
    // What the sync waits on while Postgres is down is the release wave itself, never an earlier one.
    expect(
      result.stuck?.every((w) => /^(Job\/migrate-|Deployment\/)/.test(w)),
      String(result.stuck),
    ).toBe(true);
  });
});
