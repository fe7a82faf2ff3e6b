/** Operator-run pods selected by our own labels, which CloudNativePG overwrites, are refused wherever the selector sits. */
import { describe, expect, it } from 'vitest';
import { componentSelector } from '../k8s/labels.js';
import { broken, expectRefused } from './helpers/broken.js';
import { findViolations } from './index.js';

const ourPoolerLabels = componentSelector('postgres-pooler');
const RULE = 'operator-label-contract';
const MESSAGE = /CloudNativePG 1\.30\.0 does not guarantee.*cnpg\.io/;

describe('operator-label-contract (prod, which runs a Pooler)', () => {
  it('finds nothing to refuse in the render as it is (the control for the cases below)', () => {
    expect(findViolations(broken(() => {})).filter((v) => v.rule === RULE)).toEqual([]);
  });

  it('refuses an app.kubernetes.io/component selector on the pooler policy', () => {
    const objects = broken((find) => {
      find('NetworkPolicy', 'allow-postgres-pooler').spec.podSelector = { matchLabels: ourPoolerLabels };
    });
    expectRefused(objects, RULE, 'NetworkPolicy/allow-postgres-pooler', MESSAGE);
  });

  it('refuses it as a peer of a client policy, on the PDB and on the PodMonitor', () => {
    const objects = broken((find) => {
      const rule = find('NetworkPolicy', 'allow-workers').spec.egress.find(
        (r: { to: Array<{ podSelector?: object }> }) =>
          r.to.some((p) => JSON.stringify(p.podSelector ?? {}).includes('pooler')),
      );
      rule.to = [{ podSelector: { matchLabels: ourPoolerLabels } }];
      find('PodDisruptionBudget', 'postgres-pooler-rw').spec.selector = { matchLabels: ourPoolerLabels };
      find('PodMonitor', 'postgres-pooler-rw').spec.selector = { matchLabels: ourPoolerLabels };
    });
    expectRefused(objects, RULE, 'NetworkPolicy/allow-workers', MESSAGE);
    expectRefused(objects, RULE, 'PodDisruptionBudget/postgres-pooler-rw', MESSAGE);
    expectRefused(objects, RULE, 'PodMonitor/postgres-pooler-rw', MESSAGE);
  });

  it("refuses an affinity term on the instances by the Cluster's own labels", () => {
    const objects = broken((find) => {
      find('Cluster', 'postgres').spec.topologySpreadConstraints[0].labelSelector = {
        matchLabels: componentSelector('postgres'),
      };
    });
    expectRefused(objects, RULE, 'Cluster/postgres', MESSAGE);
  });
});
