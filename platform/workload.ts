/**
 * A hardened, stateless Deployment (cdk8s-plus-28): component labels on pods, the restricted security
 * context, a writable /tmp on an emptyDir (the root filesystem is read-only), pods spread across nodes,
 * and a PDB (pull policy and the rest of the hygiene: hygiene.ts, for every workload). gateway, workers and web are built with it.
 */
import { ApiObject, Duration, JsonPatch } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import type { StackConfig } from '../stacks/types.js';
import { disruptionBudget } from './disruption-budget.js';
import { componentLabels, componentSelector } from './labels.js';
import { kplusRestrictedContainer, kplusRestrictedPod } from './security.js';

/**
 * The app image's probes on one port: /livez for start-up (up to 60 s) and liveness, /readyz for readiness,
 * whose pace is the caller's (a gateway leaves the Service faster than a worker needs to).
 */
export function appProbes(
  port: number,
  readiness: { periodSeconds: number; failureThreshold: number },
): Pick<kplus.ContainerProps, 'startup' | 'liveness' | 'readiness'> {
  return {
    startup: kplus.Probe.fromHttpGet('/livez', { port, periodSeconds: Duration.seconds(2), failureThreshold: 30 }),
    liveness: kplus.Probe.fromHttpGet('/livez', { port, periodSeconds: Duration.seconds(10), failureThreshold: 3 }),
    readiness: kplus.Probe.fromHttpGet('/readyz', {
      port,
      periodSeconds: Duration.seconds(readiness.periodSeconds),
      failureThreshold: readiness.failureThreshold,
    }),
  };
}

const ADDRESS_LABEL = kplus.Pod.ADDRESS_LABEL;
const SYNC_OPTIONS = 'argocd.argoproj.io/sync-options';
/** Argo CD deletes and re-creates the object instead of patching it (kubectl replace --force). */
const ONE_TIME_REPLACE = 'Force=true,Replace=true';

/**
 * ONE-TIME: the Deployments whose spec.selector changed from the cdk8s path hash to the component labels.
 * spec.selector is immutable, so Argo CD must replace them once (docs/operations.md, "Selector change").
 * Empty this list in the next change after every stack's Application has synced it: while an entry is
 * here, every sync of that Deployment deletes and re-creates it.
 */
export const replaceOnNextSync: readonly string[] = ['gateway', 'workers', 'web'];

export interface HardenedDeploymentProps {
  stack: StackConfig;
  component: string;
  /** Undefined when an HPA owns the replica count. */
  replicas?: number;
  uid: number;
  terminationGracePeriodSeconds?: number;
  container: Omit<kplus.ContainerProps, 'securityContext' | 'imagePullPolicy' | 'name'>;
}

export class HardenedDeployment extends Construct {
  readonly deployment: kplus.Deployment;
  readonly labels: Record<string, string>;
  readonly selector: Record<string, string>;

  constructor(scope: Construct, id: string, props: HardenedDeploymentProps) {
    super(scope, id);
    const { stack, component } = props;
    this.labels = componentLabels(stack, component);
    this.selector = componentSelector(component);
    const tmp = kplus.Volume.fromEmptyDir(this, 'tmp', 'tmp');
    this.deployment = new kplus.Deployment(this, 'deployment', {
      metadata: {
        name: component,
        labels: this.labels,
        ...(replaceOnNextSync.includes(component) ? { annotations: { [SYNC_OPTIONS]: ONE_TIME_REPLACE } } : {}),
      },
      // Select by the component's labels, not cdk8s's path hash (cdk8s.io/metadata.addr): renaming or moving
      // a construct must not change spec.selector, which the API server refuses to change on a live object.
      select: false,
      ...(props.replicas !== undefined ? { replicas: props.replicas } : {}),
      // Zero-downtime rollouts: a new pod must be ready before an old one goes.
      strategy: kplus.DeploymentStrategy.rollingUpdate({
        maxSurge: kplus.PercentOrAbsolute.absolute(1),
        maxUnavailable: kplus.PercentOrAbsolute.absolute(0),
      }),
      securityContext: kplusRestrictedPod(props.uid),
      ...(props.terminationGracePeriodSeconds !== undefined
        ? { terminationGracePeriod: Duration.seconds(props.terminationGracePeriodSeconds) }
        : {}),
      volumes: [tmp],
      containers: [
        {
          ...props.container,
          name: component,
          securityContext: kplusRestrictedContainer,
          volumeMounts: [{ path: '/tmp', volume: tmp }, ...(props.container.volumeMounts ?? [])],
        },
      ],
    });
    this.deployment.select(kplus.LabelSelector.of({ labels: this.selector }));
    for (const [key, value] of Object.entries(this.labels)) this.deployment.podMetadata.addLabel(key, value);
    const apiObject = ApiObject.of(this.deployment);
    // cdk8s-plus labels every pod template with the path hash; nothing selects on it any more, and a path
    // change would otherwise roll every pod for nothing.
    apiObject.addJsonPatch(JsonPatch.remove(`/spec/template/metadata/labels/${ADDRESS_LABEL.replace('/', '~1')}`));
    // cdk8s-plus has no class for these two pod-spec fields; the JSON patch is its documented escape hatch.
    apiObject.addJsonPatch(
      JsonPatch.add('/spec/template/spec/topologySpreadConstraints', [
        {
          maxSkew: 1,
          topologyKey: 'kubernetes.io/hostname',
          whenUnsatisfiable: 'ScheduleAnyway',
          labelSelector: { matchLabels: this.selector },
        },
        {
          maxSkew: 1,
          topologyKey: 'topology.kubernetes.io/zone',
          whenUnsatisfiable: 'ScheduleAnyway',
          labelSelector: { matchLabels: this.selector },
        },
      ]),
      JsonPatch.add('/spec/template/spec/securityContext/seccompProfile', { type: 'RuntimeDefault' }),
    );
    // A PDB for replicated workloads only: on a single pod it could either block drains or protect nothing.
    if (props.replicas === undefined || props.replicas >= 2)
      disruptionBudget(this, { name: component, labels: this.labels, selector: this.selector });
  }

  /** A Service in front of these pods, selecting them as the Deployment does (by component labels). */
  selectedBy(service: kplus.Service): kplus.Service {
    for (const [key, value] of Object.entries(this.selector)) service.selectLabel(key, value);
    return service;
  }
}
