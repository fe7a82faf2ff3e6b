/** The BullMQ workers: the app image with the worker entry point, metrics and probes on their own port, and a PDB. */
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import type { StackConfig } from '../stacks/types.js';
import { appCommands, databaseCaMount, type DataStoreEndpoints, kplusEnv, workersEnv } from './app-env.js';
import { SHUTDOWN_MARGIN_SECONDS } from './gateway.js';
import { port } from './graph.js';
import { kplusResources } from './resources.js';
import { appProbes, HardenedDeployment } from './workload.js';

export interface WorkersProps {
  stack: StackConfig;
  stores: DataStoreEndpoints;
}

export class Workers extends Construct {
  readonly workload: HardenedDeployment;
  readonly service: kplus.Service;

  constructor(scope: Construct, id: string, props: WorkersProps) {
    super(scope, id);
    const { stack } = props;
    const metrics = port('workers', 'metrics');
    this.workload = new HardenedDeployment(this, 'workload', {
      stack,
      component: 'workers',
      replicas: stack.workers.replicas,
      uid: 10001,
      // A job in flight gets the drain to finish; BullMQ hands back what is still running after that.
      terminationGracePeriodSeconds: stack.workers.drainSeconds + SHUTDOWN_MARGIN_SECONDS,
      container: {
        image: stack.images.worker,
        // `args`, not `command`: the image's ENTRYPOINT (tini) stays PID 1, reaping and forwarding signals.
        args: [...appCommands.worker],
        volumeMounts: [databaseCaMount(this, props.stores.database)],
        ports: [{ number: metrics, name: 'metrics' }],
        envVariables: kplusEnv(this, workersEnv(stack, props.stores)),
        resources: kplusResources(stack.workers.resources),
        ...appProbes(metrics, { periodSeconds: 10, failureThreshold: 3 }),
      },
    });
    // Only for the ServiceMonitor: nothing calls the workers.
    this.service = this.workload.selectedBy(
      new kplus.Service(this, 'service', {
        metadata: { name: 'workers', labels: this.workload.labels },
        ports: [{ name: 'metrics', port: metrics, targetPort: metrics }],
      }),
    );
  }
}
