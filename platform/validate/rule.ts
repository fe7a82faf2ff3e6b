/** What a cross-object rule is: the stack's objects in, the violations it finds out. */
import type { Obj } from './objects.js';
import type { Violation } from './violation.js';

export interface RuleContext {
  objects: Obj[];
  /** Namespaces a network-policy peer may name (the stack's own, ingress, monitoring, kube-system). */
  knownNamespaces: string[];
}

export type Rule = (ctx: RuleContext) => Violation[];
