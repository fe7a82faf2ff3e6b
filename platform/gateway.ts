/**
 * The gateway: Deployment + Service + HPA + PDB. Liveness /livez, readiness /readyz (503 only while
 * draining: the app degrades without Postgres or Redis instead of leaving the Service), a startup probe; on SIGTERM the preStop sleep lets endpoints drop the pod
 * before the app drains its WebSockets, and the grace period is derived to cover both.
 */
import { Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import type { StackConfig } from '../stacks/types.js';
import { appCommands, databaseCaMount, type DataStoreEndpoints, gatewayEnv, kplusEnv } from './app-env.js';
import { port } from './graph.js';
import { kplusResources } from './resources.js';
import { appProbes, HardenedDeployment } from './workload.js';

/** Seconds between the app's drain deadline and SIGKILL, for the process to close its pools and exit. */
export const SHUTDOWN_MARGIN_SECONDS = 10;

/** preStop sleep + WebSocket drain + margin: the grace period follows from the drain, it is never restated. */
export function gatewayGracePeriodSeconds(stack: StackConfig): number {
  return stack.gateway.preStopSeconds + stack.gateway.drainSeconds + SHUTDOWN_MARGIN_SECONDS;
}

export interface GatewayProps {
  stack: StackConfig;
  stores: DataStoreEndpoints;
}

export class Gateway extends Construct {
  readonly workload: HardenedDeployment;
  readonly service: kplus.Service;

  constructor(scope: Construct, id: string, props: GatewayProps) {
    super(scope, id);
    const { stack } = props;
    const http = port('gateway', 'http');
    const internal = port('gateway', 'internal');
    this.workload = new HardenedDeployment(this, 'workload', {
      stack,
      component: 'gateway',
      uid: 10001,
      terminationGracePeriodSeconds: gatewayGracePeriodSeconds(stack),
      container: {
        image: stack.images.gateway,
        // `args`, not `command`: the image's ENTRYPOINT (tini) stays PID 1, reaping and forwarding signals.
        args: [...appCommands.gateway],
        volumeMounts: [databaseCaMount(this, props.stores.database)],
        ports: [
          { number: http, name: 'http' },
          { number: internal, name: 'internal' },
        ],
        envVariables: kplusEnv(this, gatewayEnv(stack, props.stores)),
        resources: kplusResources(stack.gateway.resources),
        ...appProbes(http, { periodSeconds: 5, failureThreshold: 2 }),
        lifecycle: { preStop: kplus.Handler.fromCommand(['sleep', String(stack.gateway.preStopSeconds)]) },
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
    const a = stack.gateway.autoscaling;
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
