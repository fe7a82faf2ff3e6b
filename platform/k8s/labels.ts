/** The labels every object carries, and the one label that tells components apart (selectors, policies, monitors). */
import type { StackConfig } from '../../stacks/types.js';

export const APP = 'hsc-jit';

export const COMPONENT_LABEL = 'app.kubernetes.io/component';

/** What labels, in-cluster DNS names and priority classes need of a stack: its name and namespace. */
export type StackIdentity = Pick<StackConfig, 'name' | 'namespace'>;

export function commonLabels(stack: Pick<StackConfig, 'name'>): Record<string, string> {
  return {
    'app.kubernetes.io/part-of': APP,
    'app.kubernetes.io/instance': `${APP}-${stack.name}`,
    'app.kubernetes.io/managed-by': 'cdk8s',
  };
}

export function componentLabels(stack: Pick<StackConfig, 'name'>, component: string): Record<string, string> {
  return { ...commonLabels(stack), 'app.kubernetes.io/name': APP, [COMPONENT_LABEL]: component };
}

/** What a Service, PDB, policy or anti-affinity term selects: the component only, so it survives label additions. */
export function componentSelector(component: string): Record<string, string> {
  return { 'app.kubernetes.io/name': APP, [COMPONENT_LABEL]: component };
}

/** In-cluster DNS name of a Service (or `<pod>.<headless service>`). */
export function serviceHost(stack: Pick<StackConfig, 'namespace'>, name: string): string {
  return `${name}.${stack.namespace}.svc.cluster.local`;
}
