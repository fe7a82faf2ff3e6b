/** The BullMQ workers: the app image with the worker entry point, metrics and probes on their own port, and a PDB. */
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import type { ImageRef, Resources } from '../../stacks/types.js';
import { APP_UID, appGracePeriodSeconds, appProbes } from './app-image.js';
import { appCommands, type ComponentEnv, databaseCaMount, kplusEnv } from './app-env.js';
import { port } from '../cluster/graph.js';
import type { StackIdentity } from '../k8s/labels.js';
import type { DatabaseEndpoints } from '../cluster/postgres/cluster.js';
import { HardenedDeployment } from './workload.js';

export interface WorkersProps {
  /** The stack's name: labels and the priority class. */
  readonly stack: Pick<StackIdentity, 'name'>;
  readonly image: ImageRef;
  /** The workers' environment (app-env.ts, `workersEnv`). */
  readonly env: ComponentEnv;
  /** The database they connect to: its CA is mounted for verify-full TLS. */
  readonly database: DatabaseEndpoints;
  readonly replicas: number;
  readonly resources: Resources;
  /** How long a job in flight gets after SIGTERM (the env's DRAIN_SECONDS). */
  readonly drainSeconds: number;
}

export class Workers extends Construct {
  readonly workload: HardenedDeployment;
  readonly service: kplus.Service;

  constructor(scope: Construct, id: string, props: WorkersProps) {
    super(scope, id);
    const metrics = port('workers', 'metrics');
    this.workload = new HardenedDeployment(this, 'workload', {
      stack: props.stack,
      component: 'workers',
      replicas: props.replicas,
      uid: APP_UID,
      // A job in flight gets the drain to finish; BullMQ hands back what is still running after that.
      terminationGracePeriodSeconds: appGracePeriodSeconds(props),
      resources: props.resources,
      container: {
        image: props.image,
        // `args`, not `command`: the image's ENTRYPOINT (tini) stays PID 1, reaping and forwarding signals.
        args: [...appCommands.worker],
        volumeMounts: [databaseCaMount(this, props.database)],
        ports: [{ number: metrics, name: 'metrics' }],
        envVariables: kplusEnv(this, props.env),
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
