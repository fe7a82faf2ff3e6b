/**
 * A hardened, stateless Deployment (cdk8s-plus-28), with everything it ships stated here: component labels
 * on pods, the restricted security context, a writable /tmp on a size-limited emptyDir (the root
 * filesystem is read-only), pods spread across nodes and zones, a PDB, and the workload hygiene
 * (hygiene.ts): its own ServiceAccount without an API token, pull policy IfNotPresent, ephemeral storage,
 * the app tier's priority class. gateway, workers and web are built with it; docs/adding-a-workload.md
 * adds another.
 */
import { ApiObject, Duration, JsonPatch, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import type { Resources } from '../../stacks/types.js';
import { disruptionBudget } from '../k8s/disruption-budget.js';
import { defaultEmptyDirSizeLimitMiB, priorityClassName, tierOfKind } from '../k8s/hygiene.js';
import { componentLabels, componentSelector, type StackIdentity } from '../k8s/labels.js';
import { kplusEphemeralStorage, kplusResources } from '../k8s/resources.js';
import { kplusRestrictedContainer, kplusRestrictedPod } from '../k8s/security.js';

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

/** The container as the caller describes it; its name, security context, pull policy and sizing are set here. */
export type HardenedContainerProps = Omit<
  kplus.ContainerProps,
  'name' | 'securityContext' | 'imagePullPolicy' | 'resources'
>;

export interface HardenedDeploymentProps {
  /** The stack's name (labels, priority class); its namespace is the chart's. */
  readonly stack: Pick<StackIdentity, 'name'>;
  /** Names the Deployment, its container, ServiceAccount and PDB, and is the pods' component label. */
  readonly component: string;
  /**
   * A fixed replica count; two or more also get a PodDisruptionBudget.
   * @default - unset: a HorizontalPodAutoscaler owns the count (and the PDB is rendered)
   */
  readonly replicas?: number;
  /** The image's user and group (10000 or above: validate/hygiene-rules.ts). */
  readonly uid: number;
  /**
   * Seconds from SIGTERM to SIGKILL (app-image.ts derives the app's from its drain).
   * @default 30 (Kubernetes' default)
   */
  readonly terminationGracePeriodSeconds?: number;
  /** CPU and memory; the hygiene's ephemeral storage is added to them. */
  readonly resources: Resources;
  readonly container: HardenedContainerProps;
}

export class HardenedDeployment extends Construct {
  readonly deployment: kplus.Deployment;
  readonly serviceAccount: kplus.ServiceAccount;
  readonly labels: Record<string, string>;
  readonly selector: Record<string, string>;

  constructor(scope: Construct, id: string, props: HardenedDeploymentProps) {
    super(scope, id);
    const { stack, component } = props;
    this.labels = componentLabels(stack, component);
    this.selector = componentSelector(component);
    // Its own account, no API token: nothing in these pods calls the Kubernetes API (hygiene.ts).
    this.serviceAccount = new kplus.ServiceAccount(this, 'account', {
      metadata: { name: component, labels: this.labels },
      automountToken: false,
    });
    const tmp = kplus.Volume.fromEmptyDir(this, 'tmp', 'tmp', {
      sizeLimit: Size.mebibytes(defaultEmptyDirSizeLimitMiB),
    });
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
      // cdk8s-plus' own classes miss exactOptionalPropertyTypes (resourceName?: string | undefined).
      serviceAccount: this.serviceAccount as kplus.IServiceAccount,
      automountServiceAccountToken: false,
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
          // Every pin carries its digest: a node never needs to ask the registry again (hygiene.ts).
          imagePullPolicy: kplus.ImagePullPolicy.IF_NOT_PRESENT,
          resources: kplusResources(props.resources),
          volumeMounts: [{ path: '/tmp', volume: tmp }, ...(props.container.volumeMounts ?? [])],
        },
      ],
    });
    this.deployment.select(kplus.LabelSelector.of({ labels: this.selector }));
    for (const [key, value] of Object.entries(this.labels)) this.deployment.podMetadata.addLabel(key, value);
    kplusEphemeralStorage(this.deployment, 0);
    const apiObject = ApiObject.of(this.deployment);
    // cdk8s-plus labels every pod template with the path hash; nothing selects on it any more, and a path
    // change would otherwise roll every pod for nothing.
    apiObject.addJsonPatch(JsonPatch.remove(`/spec/template/metadata/labels/${ADDRESS_LABEL.replace('/', '~1')}`));
    // cdk8s-plus has no class for these pod-spec fields; the JSON patch is its documented escape hatch.
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
      JsonPatch.add('/spec/template/spec/priorityClassName', priorityClassName(stack, tierOfKind.Deployment!)),
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
