/** prod's data-holding resources are protected (dev and staging stay disposable); the outputs name what an operator needs. */
import * as pulumi from '@pulumi/pulumi';
import { afterEach, describe, expect, it } from 'vitest';
import { stacks } from '../render/stacks.js';
import { backupSecrets, providedSecrets, type Registration, resolved, run } from './helpers/mocks.js';

afterEach(() => pulumi.runtime.setAllConfig({}));

const kindOf = (r: Registration) => r.type.split(':').at(-1)!;
const STATEFUL = ['StatefulSet', 'PersistentVolumeClaim', 'Cluster'];

describe('protect in prod', () => {
  it('protects exactly the StatefulSets, PersistentVolumeClaims and the CloudNativePG Cluster of prod', async () => {
    const { registrations } = await run('prod', providedSecrets);
    const stateful = registrations.filter((r) => r.custom && STATEFUL.includes(kindOf(r)));
    expect(stateful.map((r) => `${kindOf(r)} ${r.name}`).sort()).toEqual(
      expect.arrayContaining([
        `Cluster hsc-jit-prod/${stacks.prod.postgres.clusterName}`,
        'StatefulSet hsc-jit-prod/redis',
      ]),
    );
    for (const r of stateful) expect(r.protect, r.name).toBe(true);
    const others = registrations.filter((r) => r.custom && !STATEFUL.includes(kindOf(r)) && r.protect);
    expect(others.map((r) => `${r.type} ${r.name}`)).toEqual([]);
  });

  it('protects nothing in dev', async () => {
    const { registrations } = await run('dev', backupSecrets);
    expect(registrations.filter((r) => r.protect).map((r) => r.name)).toEqual([]);
  });
});

describe('stack outputs', () => {
  it('name the URLs, the Secrets the program creates and every dashboard', async () => {
    const { deployment, registrations, outputs } = await run('prod', providedSecrets);
    expect(outputs.url).toBe(`https://${stacks.prod.domain}`);
    const secretNames = await resolved(deployment.outputs.secretNames);
    const created = registrations
      .filter((r) => r.type === 'kubernetes:core/v1:Secret')
      .map((r) => r.inputs.metadata as { name: string; namespace: string })
      .filter((m) => m.namespace === stacks.prod.namespace)
      .map((m) => m.name);
    expect(secretNames).toEqual([...created].sort());
    expect(secretNames.length).toBeGreaterThanOrEqual(4);
    const dashboards = await resolved(deployment.outputs.dashboards);
    expect(Object.keys(dashboards).length).toBeGreaterThanOrEqual(3);
    for (const [uid, url] of Object.entries(dashboards)) {
      expect(uid).toMatch(/-prod$/);
      expect(url).toBe(`https://grafana.${stacks.prod.domain}/d/${uid}`);
    }
  });
});
