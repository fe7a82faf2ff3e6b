/**
 * The pull request's review of rendered changes (each changed field as `path: old → new`, per stack,
 * compose apart) and the destructive-change guard that synth and the preview apply: one refusal per rule,
 * each on a real render of prod with one setting changed, and the dated override that lets it through.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { destructiveChanges, refusedChanges } from '../../platform/render/destructive.js';
import { renderStack } from '../../platform/render/render.js';
import type { Loose } from '../../platform/validate/objects.js';
import { guard, renderAll, repoRoot } from '../../platform/render/synth.js';
import { changesByStack, markdown, treeAt } from '../../scripts/deploy-diff.js';
import { deepMerge, type StackOverrides } from '../../stacks/defaults.js';
import { type StackConfig, stackNames, stacks } from '../../platform/render/stacks.js';

const prod = stacks.prod;
const render = (stack: StackConfig) => renderStack(stack).files;
const variant = (overrides: StackOverrides) => deepMerge<StackConfig>(prod, overrides);
const baseline = render(prod);
/** The guard's refusals for prod, from the committed render to `after`. */
function refusals(after: Map<string, string>, stack: StackConfig = prod): string[] {
  return refusedChanges(stack, destructiveChanges(baseline, after, 'deploy/prod'));
}
/** `after` with one rendered object edited (what a construct change would render). */
function edited(file: string, edit: (o: Loose) => void): Map<string, string> {
  const files = new Map(baseline);
  const path = `deploy/prod/${file}`;
  const object = parse(files.get(path)!) as Loose;
  edit(object);
  files.set(path, stringify(object));
  return files;
}

describe('deploy-diff', () => {
  it('prints each changed field of each changed object as path: old → new, per stack', () => {
    const grown = render(variant({ postgres: { storageGiB: 200 } }));
    const changes = changesByStack(baseline, grown);
    expect(changes.map((c) => c.stack)).toEqual(stackNames);
    const cluster = changes
      .find((c) => c.stack === 'prod')!
      .changed.find((o) => o.name === 'Cluster/hsc-jit-prod/postgres');
    expect(cluster?.fields).toContain('spec.storage.size: 100Gi → 200Gi');
    const text = markdown(changes);
    expect(text).toContain('- changed `Cluster/hsc-jit-prod/postgres`');
    expect(text).toContain('  - `spec.storage.size: 100Gi → 200Gi`');
    expect(refusals(grown)).toEqual([]);
  });

  it('addresses list items by name and shows added and removed fields', () => {
    const before = new Map([
      [
        'deploy/dev/deployment-web.yaml',
        'kind: Deployment\nmetadata: {name: web}\nspec:\n  template:\n    spec:\n      containers:\n        - {name: web, image: a}\n',
      ],
    ]);
    const after = new Map([
      [
        'deploy/dev/deployment-web.yaml',
        'kind: Deployment\nmetadata: {name: web}\nspec:\n  replicas: 2\n  template:\n    spec:\n      containers:\n        - {name: sidecar, image: s}\n        - {name: web, image: b}\n',
      ],
    ]);
    expect(changesByStack(before, after).find((c) => c.stack === 'dev')!.changed).toEqual([
      {
        name: 'Deployment/web',
        fields: [
          'spec.template.spec.containers[name=web].image: a → b',
          'spec.template.spec.containers[name=sidecar]: (none) → {"name":"sidecar","image":"s"}',
          'spec.replicas: (none) → 2',
        ].sort((a, b) => (a.startsWith('spec.replicas') ? 1 : b.startsWith('spec.replicas') ? -1 : 0)),
      },
    ]);
  });

  it('reports compose apart from the stacks, and the Application with its stack', () => {
    const before = new Map([
      ['deploy/compose.yaml', 'services: {gateway: {image: a}}\n'],
      [
        'deploy/argocd/hsc-jit-prod.yaml',
        'kind: Application\nmetadata: {name: hsc-jit-prod}\nspec: {source: {targetRevision: main}}\n',
      ],
    ]);
    const after = new Map([
      ['deploy/compose.yaml', 'services: {gateway: {image: b}}\n'],
      [
        'deploy/argocd/hsc-jit-prod.yaml',
        'kind: Application\nmetadata: {name: hsc-jit-prod}\nspec: {source: {targetRevision: env/prod}}\n',
      ],
    ]);
    const changes = changesByStack(before, after);
    expect(changes.find((c) => c.stack === 'prod')!.changed).toEqual([
      { name: 'Application/hsc-jit-prod', fields: ['spec.source.targetRevision: main → env/prod'] },
    ]);
    expect(changes.map((c) => c.stack)).not.toContain('argocd');
    const text = markdown(changes);
    expect(text).not.toContain('| compose |');
    expect(text.slice(text.indexOf('### Local compose'))).toContain('`services.gateway.image: a → b`');
  });

  it('HEAD renders its committed tree: no object added or removed', () => {
    const committed = treeAt('HEAD');
    expect(committed.size).toBeGreaterThan(100);
    const changes = changesByStack(committed, renderAll().files);
    expect(changes.every((c) => c.added.length + c.removed.length === 0)).toBe(true);
    expect(guard(committed, renderAll().files)).toEqual([]);
  });

  it('synth’s and the preview’s guard (every stack, against the previous tree) refuses a shrink in one stack', () => {
    const before = renderAll().files;
    const after = renderAll({ ...stacks, prod: variant({ postgres: { storageGiB: 50 } }) }).files;
    expect(guard(before, after)).toEqual([
      expect.stringContaining('prod: Cluster/postgres: spec.storage.size: 100Gi → 50Gi'),
    ]);
  });

  it('--help prints the usage', () => {
    const run = (...args: string[]) =>
      execFileSync('npx', ['tsx', join(repoRoot, 'scripts/deploy-diff.ts'), ...args], {
        cwd: repoRoot,
        encoding: 'utf8',
      });
    expect(run('--help')).toContain('usage: deploy-diff.ts --base <git revision>');
  });
});

describe('the destructive-change guard refuses, unless the stack file allows it with a date', () => {
  it('shrinking Postgres storage (spec.storage.size), and lets it through with a dated override', () => {
    const shrunk = render(variant({ postgres: { storageGiB: 50 } }));
    expect(refusals(shrunk)).toEqual([
      expect.stringContaining('prod: Cluster/postgres: spec.storage.size: 100Gi → 50Gi shrinks storage'),
    ]);
    const allowed = variant({
      postgres: { storageGiB: 50 },
      allowDestructive: [
        { change: 'Cluster/postgres spec.storage.size', date: '2026-12-07', reason: 'moved to a new volume by hand' },
      ],
    });
    expect(refusals(shrunk, allowed)).toEqual([]);
    const undated = { ...allowed, allowDestructive: [{ ...allowed.allowDestructive[0]!, date: 'soon' }] };
    expect(refusals(shrunk, undated)).toEqual([
      expect.stringContaining('needs a date (YYYY-MM-DD) and a reason'),
      expect.stringContaining('spec.storage.size'),
    ]);
  });

  it('shrinking a volume claim (Redis’ StatefulSet)', () => {
    expect(refusals(render(variant({ redis: { storageGiB: 8 } })))).toEqual([
      expect.stringMatching(/StatefulSet\/redis: spec\.volumeClaimTemplates\[\w+\]: 16Gi → 8Gi shrinks storage/),
    ]);
  });

  it('changing the storage class', () => {
    const found = refusals(render(variant({ storageClass: 'fast-ssd' })));
    expect(found).toEqual(
      expect.arrayContaining([
        expect.stringContaining('Cluster/postgres: spec.storage.storageClass: storage class (default) → fast-ssd'),
        expect.stringMatching(/StatefulSet\/redis: spec\.volumeClaimTemplates\[\w+\]: changes the storage class/),
      ]),
    );
  });

  it('a StatefulSet’s immutable field (serviceName)', () => {
    const files = edited('statefulset-redis.yaml', (o) => {
      o.spec.serviceName = `${o.spec.serviceName}-x`;
    });
    expect(refusals(files)).toEqual([expect.stringContaining('StatefulSet/redis: spec.serviceName: is immutable')]);
  });

  it('a Deployment’s selector, unless Argo CD force-replaces the Deployment', () => {
    const renamed = (options: string | undefined) =>
      edited('deployment-gateway.yaml', (o) => {
        o.spec.selector.matchLabels['cdk8s.io/renamed'] = 'gateway-x';
        o.metadata.annotations = options ? { 'argocd.argoproj.io/sync-options': options } : {};
      });
    const refused = [expect.stringContaining('Deployment/gateway: spec.selector: is immutable')];
    expect(refusals(renamed(undefined))).toEqual(refused);
    // `kubectl replace` without --force is refused like an apply.
    expect(refusals(renamed('Replace=true'))).toEqual(refused);
    expect(refusals(renamed('Force=true,Replace=true'))).toEqual([]);
  });

  it('a Job’s pod template under the same name (a new template needs a new Job)', () => {
    const file = [...baseline.keys()]
      .find((p) => /\/job-migrate-[^/]+\.yaml$/.test(p))!
      .split('/')
      .pop()!;
    const files = edited(file, (o) => {
      o.spec.template.spec.containers[0].imagePullPolicy = 'Always';
    });
    expect(refusals(files)).toEqual([expect.stringMatching(/Job\/migrate-[\w-]+: spec\.template: is immutable/)]);
  });

  it('lowering prod’s Postgres instances', () => {
    const fewer = prod.postgres.instances - 1;
    const files = edited('cluster-postgres.yaml', (o) => {
      o.spec.instances = fewer;
    });
    expect(refusals(files)).toEqual(
      expect.arrayContaining([
        expect.stringContaining(
          `Cluster/postgres: spec.instances: ${prod.postgres.instances} → ${fewer} lowers the Postgres instances`,
        ),
      ]),
    );
  });

  it('removing a PodDisruptionBudget', () => {
    const files = new Map(baseline);
    files.delete('deploy/prod/poddisruptionbudget-web.yaml');
    expect(refusals(files)).toEqual([expect.stringContaining('PodDisruptionBudget/web: removed')]);
  });
});
