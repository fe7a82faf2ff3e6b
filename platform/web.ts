/**
 * The web UI (static assets behind unprivileged nginx) and the Ingress: TLS from cert-manager, WebSocket
 * friendly proxy timeouts, `/` to the UI, `/ws` and the manual links to the gateway. The gateway's
 * internal port (/metrics, the admin API) is never routed: only Prometheus reaches it, inside the cluster.
 */
import { Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import type { StackConfig } from '../stacks/types.js';
import { port } from './graph.js';
import { commonLabels } from './labels.js';
import { kplusResources } from './resources.js';
import { HardenedDeployment } from './workload.js';

/**
 * Paths the Ingress sends to the gateway (everything else is the UI). Not `/api`: its only route is the
 * admin erasure API, which stays inside the cluster (operators reach it by port-forward). Citation links open
 * `/manuals/<productId>.pdf`, which the gateway answers with a 302 (to the manual's URL, or to its own
 * `/demo/manuals/<file>`): without these two, the links would reach the UI's SPA fallback.
 */
export const gatewayPaths = ['/ws', '/manuals', '/demo/manuals'] as const;

export interface WebProps {
  stack: StackConfig;
  gateway: kplus.Service;
}

export class Web extends Construct {
  readonly workload: HardenedDeployment;
  readonly service: kplus.Service;
  readonly ingress: kplus.Ingress;

  constructor(scope: Construct, id: string, props: WebProps) {
    super(scope, id);
    const { stack } = props;
    const http = port('web', 'http');
    this.workload = new HardenedDeployment(this, 'workload', {
      stack,
      component: 'web',
      replicas: stack.web.replicas,
      uid: 10101, // the web image's USER (nginx-unprivileged runs as any uid)
      container: {
        image: stack.images.web,
        ports: [{ number: http, name: 'http' }],
        resources: kplusResources(stack.web.resources),
        startup: kplus.Probe.fromHttpGet('/', { port: http, periodSeconds: Duration.seconds(2), failureThreshold: 15 }),
        liveness: kplus.Probe.fromHttpGet('/', { port: http, periodSeconds: Duration.seconds(10) }),
        readiness: kplus.Probe.fromHttpGet('/', { port: http, periodSeconds: Duration.seconds(5) }),
      },
    });
    this.service = this.workload.selectedBy(
      new kplus.Service(this, 'service', {
        metadata: { name: 'web', labels: this.workload.labels },
        ports: [{ name: 'http', port: http, targetPort: http }],
      }),
    );

    const timeout = String(stack.ingress.websocketTimeoutSeconds);
    this.ingress = new kplus.Ingress(this, 'ingress', {
      metadata: {
        name: 'hsc-jit',
        labels: commonLabels(stack),
        annotations: {
          'cert-manager.io/cluster-issuer': stack.tls.clusterIssuer,
          // A WebSocket is one long request: the proxy must not cut it at the default 60 s.
          'nginx.ingress.kubernetes.io/proxy-read-timeout': timeout,
          'nginx.ingress.kubernetes.io/proxy-send-timeout': timeout,
          'nginx.ingress.kubernetes.io/ssl-redirect': 'true',
        },
      },
      className: stack.ingress.className,
      tls: [{ hosts: [stack.domain], secret: kplus.Secret.fromSecretName(this, 'tls', `hsc-jit-${stack.name}-tls`) }],
    });
    this.ingress.addHostDefaultBackend(stack.domain, kplus.IngressBackend.fromService(this.service, { port: http }));
    for (const path of gatewayPaths) {
      this.ingress.addHostRule(
        stack.domain,
        path,
        kplus.IngressBackend.fromService(props.gateway, { port: port('gateway', 'http') }),
        kplus.HttpIngressPathType.PREFIX,
      );
    }
  }
}
