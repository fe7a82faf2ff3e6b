/** The Argo CD Application of a stack: it syncs deploy/<stack>/ (the committed synth output) into the namespace. */
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import type { StackConfig } from '../stacks/types.js';
import { commonLabels } from './labels.js';

export const ARGOCD_NAMESPACE = 'argocd';

export function stackFolder(stack: StackConfig): string {
  return `deploy/${stack.name}`;
}

export class ArgoApplication extends Construct {
  constructor(scope: Construct, id: string, props: { stack: StackConfig }) {
    super(scope, id);
    const { stack } = props;
    new ApiObject(this, 'application', {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: { name: `hsc-jit-${stack.name}`, namespace: ARGOCD_NAMESPACE, labels: commonLabels(stack) },
      spec: {
        project: 'default',
        // Top-level *.yaml only: prometheus/ and grafana/ hold plain files for other tools.
        source: {
          repoURL: stack.gitops.repoURL,
          targetRevision: stack.gitops.targetRevision,
          path: stackFolder(stack),
          directory: { recurse: false, include: '*.yaml' },
        },
        destination: { server: 'https://kubernetes.default.svc', namespace: stack.namespace },
        syncPolicy: {
          automated: { prune: true, selfHeal: true },
          // Server-side apply: dashboard ConfigMaps exceed the client-side last-applied annotation limit.
          syncOptions: ['ServerSideApply=true', 'PruneLast=true'],
        },
      },
    });
  }
}
