/**
 * The gateway: Deployment + Service + HPA + PDB. Liveness /livez, readiness /readyz (503 only while
 * draining: the app degrades without Postgres or Redis instead of leaving the Service), a startup probe; on SIGTERM the preStop sleep lets endpoints drop the pod
 * before the app drains its WebSockets, and the grace period is derived to cover both.
 */
import { Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import type { AutoscalingConfig, ImageRef, Resources } from '../../stacks/types.js';
import { APP_UID, appGracePeriodSeconds, appProbes } from './app-image.js';
import { appCommands, type ComponentEnv, databaseCaMount, kplusEnv } from './app-env.js';
import { port } from '../cluster/graph.js';
import type { StackIdentity } from '../k8s/labels.js';
import type { DatabaseEndpoints } from '../cluster/postgres/cluster.js';
import { HardenedDeployment } from './workload.js';

export interface GatewayProps {
  /** The stack's name: labels and the priority class. */
  readonly stack: Pick<StackIdentity, 'name'>;
  readonly image: ImageRef;
  /** The gateway's environment (app-env.ts, `gatewayEnv`). */
  readonly env: ComponentEnv;
  /** The database it connects to: its CA is mounted for verify-full TLS. */
  readonly database: DatabaseEndpoints;
  readonly resources: Resources;
  readonly autoscaling: AutoscalingConfig;
  /** How long a draining gateway keeps WebSockets open after SIGTERM (the env's DRAIN_SECONDS). */
  readonly drainSeconds: number;
  /** The preStop sleep, so endpoints drop the pod before the drain starts. */
  readonly preStopSeconds: number;
}

export class Gateway extends Construct {
  readonly workload: HardenedDeployment;
  readonly service: kplus.Service;

  constructor(scope: Construct, id: string, props: GatewayProps) {
    super(scope, id);
    const http = port('gateway', 'http');
    const internal = port('gateway', 'internal');
    this.workload = new HardenedDeployment(this, 'workload', {
      stack: props.stack,
      component: 'gateway',
      uid: APP_UID,
      terminationGracePeriodSeconds: appGracePeriodSeconds(props),
      resources: props.resources,
      container: {
        image: props.image,
        // `args`, not `command`: the image's ENTRYPOINT (tini) stays PID 1, reaping and forwarding signals.
        args: [...appCommands.gateway],
        volumeMounts: [databaseCaMount(this, props.database)],
        ports: [
          { number: http, name: 'http' },
          { number: internal, name: 'internal' },
        ],
        envVariables: kplusEnv(this, props.env),
        ...appProbes(http, { periodSeconds: 5, failureThreshold: 2 }),
        lifecycle: { preStop: kplus.Handler.fromCommand(['sleep', String(props.preStopSeconds)]) },
      },
    });
    const deployment = this.workload.deployment;
    this.service = this.workload.selectedBy(
      new kplus.Service(this, 'service', {
        metadata: { name: 'gateway', labels: this.workload.labels },
        // `internal` is for the ServiceMonitor (and an operator's port-forward); the Ingress routes only `http`.
        ports: [
          { name: 'http', port: http, targetPort: http },
          { name: 'internal', port: internal, targetPort: internal },
        ],
      }),
    );
    const a = props.autoscaling;
    new kplus.HorizontalPodAutoscaler(this, 'hpa', {
      metadata: { name: 'gateway', labels: this.workload.labels },
      target: deployment,
      minReplicas: a.minReplicas,
      maxReplicas: a.maxReplicas,
      // Resource metrics only: they need no custom-metrics adapter in the cluster.
      metrics: [
        kplus.Metric.resourceCpu(kplus.MetricTarget.averageUtilization(a.cpuUtilization)),
        kplus.Metric.resourceMemory(kplus.MetricTarget.averageUtilization(a.memoryUtilization)),
      ],
      scaleUp: { stabilizationWindow: Duration.seconds(0) },
      scaleDown: { stabilizationWindow: Duration.seconds(a.scaleDownStabilizationSeconds) },
    });
  }
}
