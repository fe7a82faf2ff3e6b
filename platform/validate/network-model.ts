/**
 * NetworkPolicy semantics (networking.k8s.io/v1), applied to a connection at both ends: a pod selected by
 * no policy of a direction is open in it; a pod selected by one or more is closed except for what one of
 * their rules allows (peer: podSelector / namespaceSelector / ipBlock; ports: number, name, endPort,
 * protocol). Only our namespace's policies are rendered, so other namespaces count as open (their owners'
 * business). Modelled: pod addresses are cluster-internal, so ipBlock peers match only addresses outside
 * the cluster (the API server, the internet), as CNIs treat pod traffic.
 */
import ipaddr from 'ipaddr.js';
import type { LabelSelector } from '../cluster/postgres/operator-contract.js';
import type { Connection, Endpoint, Pod } from './connections.js';
import { type Loose, type Obj, selects } from './objects.js';

type Direction = 'Ingress' | 'Egress';

function policyTypes(policy: Obj): Direction[] {
  if (policy.spec?.policyTypes) return policy.spec.policyTypes;
  return policy.spec?.egress ? ['Ingress', 'Egress'] : ['Ingress'];
}

function inCidr(ip: string, cidr: string): boolean {
  const [range, bits] = ipaddr.parseCIDR(cidr);
  const address = ipaddr.parse(ip);
  return address.kind() === range.kind() && address.match(range, bits);
}

export class NetworkModel {
  constructor(
    private readonly policies: Obj[],
    /** Namespace name → its labels (kubernetes.io/metadata.name is always there). */
    private readonly namespaceLabels: (name: string) => Record<string, string>,
  ) {}

  private selecting(pod: Pod, direction: Direction): Obj[] {
    return this.policies.filter(
      (p) =>
        (p.metadata.namespace ?? '') === pod.namespace &&
        policyTypes(p).includes(direction) &&
        selects((p.spec?.podSelector ?? {}) as LabelSelector, pod.labels),
    );
  }

  private peerMatches(peer: Loose, policyNamespace: string, other: Endpoint): boolean {
    if (peer.ipBlock)
      return (
        'ip' in other &&
        inCidr(other.ip, peer.ipBlock.cidr) &&
        !(peer.ipBlock.except ?? []).some((c: string) => inCidr(other.ip, c))
      );
    if (!('pod' in other)) return false;
    const namespaceOk = peer.namespaceSelector
      ? selects(peer.namespaceSelector, this.namespaceLabels(other.pod.namespace))
      : other.pod.namespace === policyNamespace;
    return namespaceOk && (peer.podSelector ? selects(peer.podSelector, other.pod.labels) : true);
  }

  private portMatches(rulePorts: Loose[] | undefined, port: number, protocol: string, destination: Endpoint): boolean {
    if (!rulePorts || rulePorts.length === 0) return true;
    return rulePorts.some((p) => {
      if ((p.protocol ?? 'TCP') !== protocol) return false;
      if (p.port === undefined) return true;
      if (typeof p.port === 'string')
        return 'pod' in destination && destination.pod.ports.some((c) => c.name === p.port && c.containerPort === port);
      return p.endPort ? port >= p.port && port <= p.endPort : port === p.port;
    });
  }

  /** Why the policies selecting `pod` for `direction` drop the connection; undefined when none selects it or one allows it. */
  private open(pod: Pod, direction: Direction, peer: Endpoint, c: Connection): string | undefined {
    const selecting = this.selecting(pod, direction);
    const field = direction === 'Egress' ? 'egress' : 'ingress';
    const peers = direction === 'Egress' ? 'to' : 'from';
    const allowed = selecting.some((policy) =>
      (policy.spec?.[field] ?? []).some(
        (rule: Loose) =>
          (!rule[peers] ||
            rule[peers].length === 0 ||
            rule[peers].some((p: Loose) => this.peerMatches(p, policy.metadata.namespace!, peer))) &&
          this.portMatches(rule.ports, c.port, c.protocol, c.to),
      ),
    );
    return selecting.length === 0 || allowed
      ? undefined
      : `${field} of ${pod.id} (policies ${selecting.map((p) => p.metadata.name).join(', ')})`;
  }

  /** Why the connection is dropped, or undefined when both ends' policies let it through. */
  dropped(c: Connection): string | undefined {
    return (
      this.open(c.from, 'Egress', c.to, c) ??
      ('pod' in c.to ? this.open(c.to.pod, 'Ingress', { pod: c.from }, c) : undefined)
    );
  }
}
