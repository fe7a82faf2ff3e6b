/** A PodDisruptionBudget (cdk8s-plus-28 has no class for it, so the generated L1). */
import * as kplus from 'cdk8s-plus-28';
import type { Construct } from 'constructs';

export interface DisruptionBudgetProps {
  name: string;
  labels: Record<string, string>;
  selector: Record<string, string>;
  /** Default 1: a voluntary eviction (drain, upgrade) may take one pod at a time, never all. */
  maxUnavailable?: number;
}

export function disruptionBudget(scope: Construct, props: DisruptionBudgetProps): kplus.k8s.KubePodDisruptionBudget {
  return new kplus.k8s.KubePodDisruptionBudget(scope, 'pdb', {
    metadata: { name: props.name, labels: props.labels },
    spec: {
      maxUnavailable: kplus.k8s.IntOrString.fromNumber(props.maxUnavailable ?? 1),
      selector: { matchLabels: props.selector },
    },
  });
}
