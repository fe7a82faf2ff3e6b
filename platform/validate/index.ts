/** All synth-time validation: schemas with unknown fields rejected, then the cross-object rules. */
import type { StackObjects } from '../render/stack-objects.js';
import type { Obj } from './objects.js';
import { reachabilityViolations } from './reachability.js';
import { checkRules } from './rules.js';
import { validateSchema } from './schema.js';
import { SynthError, type Violation } from './violation.js';

export function knownNamespaces(stack: StackObjects['stack']): string[] {
  return [
    stack.namespace,
    stack.ingress.controllerNamespace,
    stack.monitoring.namespace,
    stack.databaseOperator.namespace,
    'kube-system',
  ];
}

export function findViolations(objects: StackObjects): Violation[] {
  const all = [...objects.topology, ...objects.gitops] as Obj[];
  const seen = new Set<string>();
  const duplicates: Violation[] = [];
  for (const o of all) {
    const key = `${o.kind}/${o.metadata.name}`;
    if (seen.has(key))
      duplicates.push({
        rule: 'unique-names',
        object: key,
        message: 'two objects of this kind share the name (one file per object needs unique names)',
      });
    seen.add(key);
  }
  return [
    ...duplicates,
    ...all.flatMap((o) => validateSchema(o)),
    ...checkRules({ objects: objects.topology as Obj[], knownNamespaces: knownNamespaces(objects.stack) }),
    ...reachabilityViolations(objects),
  ];
}

export function validateObjects(objects: StackObjects): void {
  const violations = findViolations(objects);
  if (violations.length > 0) throw new SynthError(objects.stack.name, violations);
}

export { SynthError, type Violation } from './violation.js';
export { scanForSecrets } from './secret-scan.js';
