/**
 * Every connection the stack makes (connections.ts, derived from the render) evaluated against the
 * rendered NetworkPolicies at both ends (network-model.ts): a connection a policy would drop, or one whose
 * target resolves to no pod, is a violation.
 */
import type { StackObjects } from '../render/stack-objects.js';
import { deriveConnections } from './connections.js';
import { NetworkModel } from './network-model.js';
import type { Obj } from './objects.js';
import type { Violation } from './violation.js';

export function reachabilityViolations({ stack, topology }: StackObjects): Violation[] {
  const objects = topology as Obj[];
  const namespaces = new Map(
    objects.filter((o) => o.kind === 'Namespace').map((o) => [o.metadata.name, o.metadata.labels ?? {}]),
  );
  const model = new NetworkModel(
    objects.filter((o) => o.kind === 'NetworkPolicy'),
    (name) => ({ ...namespaces.get(name), 'kubernetes.io/metadata.name': name }),
  );
  const { connections, unresolved } = deriveConnections(stack, objects);
  const target = (c: (typeof connections)[number]) => ('pod' in c.to ? c.to.pod.id : c.to.what);
  return [
    ...unresolved.map((message) => ({ rule: 'reachability', object: `stack/${stack.name}`, message })),
    ...connections.flatMap((c) => {
      const drop = model.dropped(c);
      return drop
        ? [
            {
              rule: 'reachability',
              object: c.from.id,
              message: `${c.from.id} → ${target(c)}:${c.port}/${c.protocol} (${c.why}) is dropped by the ${drop}`,
            },
          ]
        : [];
    }),
  ];
}
