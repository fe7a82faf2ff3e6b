/**
 * The web UI (static assets behind unprivileged nginx) and the Ingress: TLS from cert-manager, WebSocket
 * friendly proxy timeouts, `/` to the UI, `/ws` and the manual links to the gateway. The gateway's
 * internal port (/metrics, the admin API) is never routed: only Prometheus reaches it, inside the cluster.
 */
import { Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import type { ImageRef, Resources } from '../../stacks/types.js';
import { port } from '../cluster/graph.js';
import { commonLabels, type StackIdentity } from '../k8s/labels.js';
import { HardenedDeployment } from './workload.js';

/**
 * Paths the Ingress sends to the gateway (everything else is the UI). Not `/api`: its only route is the
 * admin erasure API, which stays inside the cluster (operators reach it by port-forward). Citation links open
 * `/manuals/<productId>.pdf`, which the gateway answers with a 302 (to the manual's URL, or to its own
 * `/demo/manuals/<file>`): without these two, the links would reach the UI's SPA fallback.
 */
export const gatewayPaths = ['/ws', '/manuals', '/demo/manuals'] as const;

export interface WebProps {
  /** The stack's name: labels, the priority class, the TLS Secret's name. */
  readonly stack: Pick<StackIdentity, 'name'>;
  readonly image: ImageRef;
  readonly replicas: number;
  readonly resources: Resources;
  /** Public host name of the UI and the WebSocket. */
  readonly domain: string;
  /** The cert-manager ClusterIssuer that signs the domain's certificate. */
  readonly clusterIssuer: string;
  readonly ingressClassName: string;
  /** WebSocket idle timeout at the proxy. */
  readonly websocketTimeoutSeconds: number;
  /** The gateway's Service: `gatewayPaths` go there. */
  readonly gateway: kplus.Service;
}

export class Web extends Construct {
  readonly workload: HardenedDeployment;
  readonly service: kplus.Service;
  readonly ingress: kplus.Ingress;

  constructor(scope: Construct, id: string, props: WebProps) {
    super(scope, id);
    const { stack, domain } = props;
    const http = port('web', 'http');
    this.workload = new HardenedDeployment(this, 'workload', {
      stack,
      component: 'web',
      replicas: props.replicas,
      uid: 10101, // the web image's USER (nginx-unprivileged runs as any uid)
      resources: props.resources,
      container: {
        image: props.image,
        ports: [{ number: http, name: 'http' }],
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

    const timeout = String(props.websocketTimeoutSeconds);
    this.ingress = new kplus.Ingress(this, 'ingress', {
      metadata: {
        name: 'hsc-jit',
        labels: commonLabels(stack),
        annotations: {
          'cert-manager.io/cluster-issuer': props.clusterIssuer,
          // A WebSocket is one long request: the proxy must not cut it at the default 60 s.
          'nginx.ingress.kubernetes.io/proxy-read-timeout': timeout,
          'nginx.ingress.kubernetes.io/proxy-send-timeout': timeout,
          'nginx.ingress.kubernetes.io/ssl-redirect': 'true',
        },
      },
      className: props.ingressClassName,
      tls: [{ hosts: [domain], secret: kplus.Secret.fromSecretName(this, 'tls', `hsc-jit-${stack.name}-tls`) }],
    });
    this.ingress.addHostDefaultBackend(domain, kplus.IngressBackend.fromService(this.service, { port: http }));
    for (const path of gatewayPaths) {
      this.ingress.addHostRule(
        domain,
        path,
        kplus.IngressBackend.fromService(props.gateway, { port: port('gateway', 'http') }),
        kplus.HttpIngressPathType.PREFIX,
      );
    }
  }
}
