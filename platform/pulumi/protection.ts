/**
 * What `pulumi destroy` or a rename must never delete in prod without a deliberate unprotect: the objects
 * that hold data (StatefulSets with their volume claims, PersistentVolumeClaims, a CloudNativePG Cluster).
 * Other stacks stay disposable. `pulumi state unprotect <urn>` releases one on purpose.
 */
import type { StackConfig } from '../../stacks/types.js';
import type { KubeObject } from '../render/build-stack.js';

const STATEFUL = new Set(['apps/v1/StatefulSet', 'v1/PersistentVolumeClaim', 'postgresql.cnpg.io/v1/Cluster']);
export const PROTECTED_STACKS: ReadonlySet<string> = new Set(['prod']);

export function isStateful(object: KubeObject): boolean {
  return STATEFUL.has(`${object.apiVersion}/${object.kind}`);
}

export function isProtected(object: KubeObject, stack: StackConfig): boolean {
  return PROTECTED_STACKS.has(stack.name) && isStateful(object);
}
