/** A stack's rendered objects: what the synth produces and the validator, the GitOps tree and Pulumi consume. */
import type { StackConfig } from '../../stacks/types.js';

export type KubeObject = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
} & Record<string, unknown>;

export interface StackObjects {
  stack: StackConfig;
  topology: KubeObject[];
  gitops: KubeObject[];
}
