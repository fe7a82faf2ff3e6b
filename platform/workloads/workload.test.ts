/**
 * Selectors do not depend on where a construct sits: the whole topology rendered under another construct
 * id (which moves every construct's path, hence cdk8s's path hash) selects exactly the same pods. The
 * one-time replace of the Deployments whose selector changed is rendered on them and on nothing else.
 */
import { App } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { ruleGroups } from '../../alerts/index.js';
import { dashboards } from '../../dashboards/index.js';
import { stacks } from '../render/stacks.js';
import type { StackConfig } from '../../stacks/types.js';
import type { KubeObject } from '../render/stack-objects.js';
import { Topology } from '../cluster/topology.js';
import { replaceOnNextSync } from './workload.js';

type Spec = {
  selector?: { matchLabels?: Record<string, string> } | Record<string, string>;
  podSelector?: { matchLabels?: Record<string, string> };
  template?: { metadata?: { labels?: Record<string, string> }; spec?: Record<string, unknown> };
};

function render(stack: StackConfig, id: string): KubeObject[] {
  return new Topology(new App(), id, { stack, ruleGroups: ruleGroups(), dashboards: dashboards(stack) }).toJson();
}

/** Every label selector an object carries, by object and field. */
function selectors(objects: KubeObject[]): Record<string, unknown> {
  const found: Record<string, unknown> = {};
  for (const o of objects) {
    const spec = (o as { spec?: Spec }).spec;
    if (!spec) continue;
    const key = `${o.kind}/${o.metadata.name}`;
    if (spec.selector !== undefined) found[`${key} spec.selector`] = spec.selector;
    if (spec.podSelector !== undefined) found[`${key} spec.podSelector`] = spec.podSelector;
    const constraints = spec.template?.spec?.topologySpreadConstraints;
    if (constraints !== undefined) found[`${key} topologySpreadConstraints`] = constraints;
    if (spec.template?.metadata?.labels) found[`${key} pod labels`] = spec.template.metadata.labels;
  }
  return found;
}

describe('selectors independent of construct paths', () => {
  it.each(Object.values(stacks).map((s) => [s.name, s] as const))(
    '%s: renaming the topology’s construct id changes no selector and no pod label',
    (_name, stack) => {
      const before = selectors(render(stack, stack.name));
      const after = selectors(render(stack, `${stack.name}-renamed`));
      expect(Object.keys(before).length).toBeGreaterThanOrEqual(10);
      expect(after).toEqual(before);
      // …and nothing selects by (or labels pods with) cdk8s's path label.
      expect(JSON.stringify(before)).not.toContain('cdk8s.io/');
    },
  );

  it('the one-time replace (Force=true,Replace=true) is on the listed Deployments only', () => {
    for (const stack of Object.values(stacks)) {
      const replaced = render(stack, stack.name)
        .filter((o) =>
          /Force=true|Replace=true/.test(
            (o.metadata as { annotations?: Record<string, string> }).annotations?.['argocd.argoproj.io/sync-options'] ??
              '',
          ),
        )
        .map((o) => `${o.kind}/${o.metadata.name}`)
        .sort();
      expect(replaced).toEqual(replaceOnNextSync.map((name) => `Deployment/${name}`).sort());
    }
  });
});
