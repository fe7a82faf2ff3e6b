/**
 * Custom resources checked as the API server checks them: structural schema with pruning (an unknown
 * field is refused), then the CRD's CEL rules, transition rules against the previous render — the
 * committed deploy/ tree, decoded by kubectl — as on an update.
 */
import { describe, expect, it } from 'vitest';
import { stackNames, stacks } from '../render/stacks.js';
import { type KubeObject, synthObjects } from '../render/build-stack.js';
import { repoRoot } from '../render/synth.js';
import { crdProblems, hasCrdSchema } from './crd-schema.js';
import { broken, expectRefused } from './helpers/broken.js';
import { decodeWithKubectl } from './kubectl-decode.js';
import { syncedFiles } from './synced-files.js';

const keyOf = (o: KubeObject) => `${o.apiVersion}/${o.kind}`;

/** The previous render of a stack: its committed files, as kubectl decodes them. */
const previousRender = (name: (typeof stackNames)[number]) =>
  decodeWithKubectl(syncedFiles(repoRoot, stacks[name]), repoRoot);

describe('custom resources against their CRDs', () => {
  it('every custom resource of every stack is a valid update of the committed render (CEL transition rules included)', () => {
    let checked = 0;
    for (const name of stackNames) {
      const old = previousRender(name);
      for (const object of synthObjects(stacks[name]).topology.filter((o) => hasCrdSchema(keyOf(o)))) {
        const previous = old.find((o) => o.kind === object.kind && o.metadata.name === object.metadata.name);
        expect(crdProblems(keyOf(object), object, previous), `${name} ${object.kind}/${object.metadata.name}`).toEqual(
          [],
        );
        checked++;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(stackNames.length * 3);
  });

  it('refuses an unknown field in a CloudNativePG Cluster (pruning would drop it)', () => {
    expectRefused(
      broken((find) => {
        find('Cluster', 'postgres').spec.storage.sizee = '10Gi';
      }),
      'unknown-field',
      'Cluster/postgres',
      /\/spec\/storage\/sizee is not a field of postgresql\.cnpg\.io\/v1\/Cluster/,
    );
  });

  it('refuses a Cluster that breaks a CEL rule (preferred durability with standbyNamesPre)', () => {
    expectRefused(
      broken((find) => {
        find('Cluster', 'postgres').spec.postgresql.synchronous = {
          method: 'any',
          number: 1,
          dataDurability: 'preferred',
          standbyNamesPre: ['an-external-standby'],
        };
      }),
      'cel',
      'Cluster/postgres',
      /\/spec\/postgresql\/synchronous: dataDurability set to 'preferred' requires empty 'standbyNamesPre'/,
    );
  });

  it('evaluates `self == oldSelf` against the committed render: a Pooler moved to another Cluster is refused', () => {
    const old = previousRender('prod').find((o) => o.kind === 'Pooler')!;
    const moved = structuredClone(old) as KubeObject & { spec: { cluster: { name: string } } };
    moved.spec.cluster.name = 'postgres-pitr-202601010000';
    expect(crdProblems(keyOf(moved), moved)).toEqual([]);
    expect(crdProblems(keyOf(moved), moved, old)).toEqual([
      { unknownField: false, cel: true, message: '/spec/cluster: cluster reference is immutable after creation' },
    ]);
  });
});
