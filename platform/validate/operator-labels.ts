/**
 * Operator-run pods are selected only by labels the operator guarantees on them. For every label selector
 * of ours (network policies and their peers, PDBs, PodMonitors, Services, and every `labelSelector` of an
 * affinity or spread term) and every pod CloudNativePG runs for one of our resources: a selector that would
 * match those pods if they carried what our resource declares (its labels, inheritedMetadata, the Pooler's
 * template) but does not match the labels the operator guarantees (postgres/operator-contract.ts) is
 * refused — in the cluster it matches nothing, or not what it was written for.
 */
import { CNPG_VERSION, type LabelSelector } from '../cluster/postgres/operator-contract.js';
import { type Loose, type Obj, selects, workloads } from './objects.js';
import type { Rule } from './rule.js';
import { objectId } from './violation.js';

/** Every `labelSelector` anywhere in an object (affinity and topology-spread terms, wherever the pod spec sits). */
function nestedLabelSelectors(value: unknown): LabelSelector[] {
  if (Array.isArray(value)) return value.flatMap(nestedLabelSelectors);
  if (!value || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, child]) =>
    key === 'labelSelector' ? [child as LabelSelector] : nestedLabelSelectors(child),
  );
}

function selectorsOf(object: Obj): LabelSelector[] {
  const spec: Loose = object.spec ?? {};
  const own: LabelSelector[] = [];
  switch (object.kind) {
    case 'NetworkPolicy': {
      own.push(spec.podSelector);
      const peers = [
        ...(spec.ingress ?? []).flatMap((r: Loose) => r.from ?? []),
        ...(spec.egress ?? []).flatMap((r: Loose) => r.to ?? []),
      ];
      // Only peers in our namespace can be our operator's pods.
      for (const peer of peers) if (peer.podSelector && !peer.namespaceSelector) own.push(peer.podSelector);
      break;
    }
    case 'PodDisruptionBudget':
    case 'PodMonitor':
      own.push(spec.selector);
      break;
    case 'Service':
      if (spec.selector) own.push({ matchLabels: spec.selector });
      break;
  }
  return [...own.filter(Boolean), ...nestedLabelSelectors(spec)];
}

export const operatorLabelContract: Rule = ({ objects }) => {
  const operatorPods = workloads(objects).filter((w) => w.operator);
  return objects.flatMap((object) =>
    selectorsOf(object).flatMap((selector) =>
      operatorPods
        .filter((w) => {
          const believed = { ...w.podLabels, ...w.operator!.declaredLabels };
          return selects(selector, believed) && !selects(selector, w.podLabels);
        })
        .map((w) => ({
          rule: 'operator-label-contract',
          object: objectId(object),
          message: `selector ${JSON.stringify(selector)} matches ${objectId(w.object)}'s pods only by labels CloudNativePG ${CNPG_VERSION} does not guarantee on them (it writes app.kubernetes.io/* itself); select them by cnpg.io/* labels (platform/cluster/postgres/operator-contract.ts)`,
        })),
    ),
  );
};
