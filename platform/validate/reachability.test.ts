/**
 * Every connection a stack makes — read from the rendered environment, the monitors, the Ingress, API
 * access and CloudNativePG's own traffic — passes the rendered NetworkPolicies at both ends. The planted
 * cases put back what prod rendered before the fix (workers without egress to the standbys, the Pooler
 * selected by labels the operator overwrites) and see the connections dropped.
 */
import { describe, expect, it } from 'vitest';
import { stackNames, stacks } from '../render/stacks.js';
import { synthObjects } from '../render/build-stack.js';
import { componentSelector } from '../k8s/labels.js';
import { deriveConnections } from './connections.js';
import { broken } from './helpers/broken.js';
import type { Loose, Obj } from './objects.js';
import { reachabilityViolations } from './reachability.js';

const messages = (objects: Parameters<typeof reachabilityViolations>[0]) =>
  reachabilityViolations(objects).map((v) => v.message);

describe('reachability', () => {
  for (const name of stackNames)
    it(`${name}: no connection the stack makes is dropped by its policies`, () => {
      const objects = synthObjects(stacks[name]);
      const { connections } = deriveConnections(stacks[name], objects.topology as Obj[]);
      // The derivation sees the app's data stores and the operator's traffic, not just DNS.
      const whys = new Set(connections.map((c) => c.why));
      for (const expected of [
        'DATABASE_URL',
        'REDIS_SENTINELS',
        'operator → instance manager',
        'PgBouncer server connections',
      ])
        if (expected !== 'PgBouncer server connections' || stacks[name].postgres.pooler)
          expect(
            [...whys].some((w) => w.includes(expected)),
            expected,
          ).toBe(true);
      expect(messages(objects)).toEqual([]);
    });

  it("prod before the fix: workers without egress to the standbys can't reach -ro", () => {
    const objects = broken((find) => {
      const policy = find('NetworkPolicy', 'allow-workers');
      policy.spec.egress = policy.spec.egress.filter((r: Loose) => !JSON.stringify(r.to).includes('cnpg.io/cluster'));
      policy.spec.egress.push({
        ports: [{ port: 5432, protocol: 'TCP' }],
        to: [{ podSelector: { matchLabels: { 'cnpg.io/podRole': 'pooler' } } }],
      });
    });
    expect(messages(objects)).toContainEqual(
      expect.stringMatching(
        /^Deployment\/workers → Cluster\/postgres standby:5432\/TCP \(workers DATABASE_REPLICA_URL\) is dropped by the egress/,
      ),
    );
  });

  it('prod before the fix: a pooler policy on our own labels leaves PgBouncer to default-deny', () => {
    const objects = broken((find) => {
      find('NetworkPolicy', 'allow-postgres-pooler').spec.podSelector = {
        matchLabels: componentSelector('postgres-pooler'),
      };
    });
    const dropped = messages(objects);
    expect(dropped).toContainEqual(
      expect.stringMatching(
        /^Deployment\/gateway → Pooler\/postgres-pooler-rw:5432\/TCP .* dropped by the ingress of Pooler/,
      ),
    );
    expect(dropped).toContainEqual(
      expect.stringMatching(
        /^Pooler\/postgres-pooler-rw → Cluster\/postgres primary:5432\/TCP .* dropped by the egress of Pooler/,
      ),
    );
    expect(dropped).toContainEqual(expect.stringMatching(/^prometheus → Pooler\/postgres-pooler-rw:9127\/TCP/));
  });

  it('an ingress rule that names the wrong namespace drops the scrape; a new URL without a policy is dropped', () => {
    const objects = broken((find, { topology }) => {
      const rule = find('NetworkPolicy', 'allow-workers').spec.ingress[0];
      rule.from[0].namespaceSelector = { matchLabels: { 'kubernetes.io/metadata.name': 'elsewhere' } };
      // The migration Job is named after its schema version and spec (migrate-<schema>-<hash>).
      const job = topology.find((o) => o.kind === 'Job' && o.metadata.name.startsWith('migrate-')) as Loose;
      const migrate = job.spec.template.spec.containers[0];
      migrate.env.push({
        name: 'CACHE_URL',
        value: `redis://redis-headless.${stacks.prod.namespace}.svc.cluster.local:6379`,
      });
    });
    const dropped = messages(objects);
    expect(dropped).toContainEqual(
      expect.stringMatching(/^prometheus → Deployment\/workers:9464\/TCP .* dropped by the ingress/),
    );
    expect(dropped).toContainEqual(
      expect.stringMatching(
        /^Job\/migrate-\d+-[0-9a-f]{8} → StatefulSet\/redis:6379\/TCP \(migrate CACHE_URL\) is dropped by the egress/,
      ),
    );
  });
});
