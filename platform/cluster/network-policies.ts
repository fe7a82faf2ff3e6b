/**
 * Network policies from the one dependency graph (graph.ts): default deny in both directions for the
 * namespace, then per component one policy whose ingress rules are the graph's edges into it and whose
 * egress rules are the edges out of it (plus DNS). Adding an edge opens both ends; nothing else can.
 */
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import type { Component, Edge } from './graph.js';
import { commonLabels, componentSelector, type StackIdentity } from '../k8s/labels.js';
import { anyInstance, anyPooler, type LabelSelector } from './postgres/operator-contract.js';

/** Private ranges are never "the internet": egress to them goes through declared edges only. */
const PRIVATE_RANGES = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '169.254.0.0/16'];

/** The operator's pods are selected by the labels CloudNativePG guarantees on them; ours by our component label. */
const operatorRun: Readonly<Partial<Record<Component, LabelSelector>>> = {
  postgres: anyInstance,
  'postgres-pooler': anyPooler,
};

/**
 * A connection as the policies read it: graph.ts's `Edge`, whose ends are its components and external
 * peers. Any end that is not one of the external peers is a component in the namespace, selected by its label.
 */
export type PolicyEdge = Pick<Edge, 'ports'> & { readonly from: string; readonly to: string };

function podsOf(component: string): kplus.PodsSelectOptions {
  const selector = operatorRun[component as Component];
  if (!selector) return { labels: componentSelector(component) };
  const expression = (e: NonNullable<LabelSelector['matchExpressions']>[number]) => {
    switch (e.operator) {
      case 'In':
        return kplus.LabelExpression.in(e.key, e.values ?? []);
      case 'NotIn':
        return kplus.LabelExpression.notIn(e.key, e.values ?? []);
      case 'Exists':
        return kplus.LabelExpression.exists(e.key);
      case 'DoesNotExist':
        return kplus.LabelExpression.doesNotExist(e.key);
    }
  };
  return { labels: selector.matchLabels ?? {}, expressions: (selector.matchExpressions ?? []).map(expression) };
}

export interface NetworkPoliciesProps {
  /** The stack's name: labels. */
  readonly stack: Pick<StackIdentity, 'name'>;
  /** The components the stack runs: one policy each (graph.ts, `stackComponents`). */
  readonly components: readonly string[];
  /** Every connection, both ends opened (graph.ts, `dependencyGraph`). */
  readonly edges: readonly PolicyEdge[];
  /** Where the peers outside the namespace run. */
  readonly namespaces: {
    readonly ingressController: string;
    readonly prometheus: string;
    readonly databaseOperator: string;
  };
  /** The API server's addresses as the network policy sees them (after the Service's DNAT). */
  readonly kubernetesApiCidrs: readonly string[];
}

export class NetworkPolicies extends Construct {
  constructor(scope: Construct, id: string, props: NetworkPoliciesProps) {
    super(scope, id);
    const { stack, edges } = props;
    new kplus.NetworkPolicy(this, 'default-deny', {
      metadata: { name: 'default-deny', labels: commonLabels(stack) },
      selector: kplus.Pods.all(this, 'all-pods'),
      ingress: { default: kplus.NetworkPolicyTrafficDefault.DENY },
      egress: { default: kplus.NetworkPolicyTrafficDefault.DENY },
    });

    const peers = new Map<string, kplus.INetworkPolicyPeer[]>();
    const peersOf = (node: string): kplus.INetworkPolicyPeer[] => {
      const known = peers.get(node);
      if (known) return known;
      const created = this.resolve(props, node);
      peers.set(node, created);
      return created;
    };
    const dns = kplus.Pods.select(this, 'dns', {
      labels: { 'k8s-app': 'kube-dns' },
      namespaces: kplus.Namespaces.select(this, 'kube-system', { names: ['kube-system'] }),
    });

    for (const component of props.components) {
      const policy = new kplus.NetworkPolicy(this, component, {
        metadata: { name: `allow-${component}`, labels: commonLabels(stack) },
        selector: kplus.Pods.select(this, `${component}-pods`, podsOf(component)),
      });
      const tcp = (edge: PolicyEdge) => edge.ports.map((p) => kplus.NetworkPolicyPort.tcp(p));
      for (const edge of edges.filter((e) => e.to === component))
        for (const peer of peersOf(edge.from)) policy.addIngressRule(peer, tcp(edge));
      for (const edge of edges.filter((e) => e.from === component))
        for (const peer of peersOf(edge.to)) policy.addEgressRule(peer, tcp(edge));
      policy.addEgressRule(dns, [kplus.NetworkPolicyPort.udp(53), kplus.NetworkPolicyPort.tcp(53)]);
    }
  }

  private resolve(props: NetworkPoliciesProps, node: string): kplus.INetworkPolicyPeer[] {
    switch (node) {
      case 'ingress-controller':
        return [
          kplus.Pods.select(this, 'peer-ingress', {
            labels: { 'app.kubernetes.io/name': 'ingress-nginx' },
            namespaces: kplus.Namespaces.select(this, 'ingress-namespace', {
              names: [props.namespaces.ingressController],
            }),
          }),
        ];
      case 'prometheus':
        return [
          kplus.Pods.select(this, 'peer-prometheus', {
            labels: { 'app.kubernetes.io/name': 'prometheus' },
            namespaces: kplus.Namespaces.select(this, 'monitoring-namespace', { names: [props.namespaces.prometheus] }),
          }),
        ];
      case 'cnpg-operator':
        return [
          kplus.Pods.select(this, 'peer-cnpg-operator', {
            labels: { 'app.kubernetes.io/name': 'cloudnative-pg' },
            namespaces: kplus.Namespaces.select(this, 'cnpg-namespace', { names: [props.namespaces.databaseOperator] }),
          }),
        ];
      case 'kubernetes-api':
        return props.kubernetesApiCidrs.map((cidr, i) =>
          kplus.NetworkPolicyIpBlock.ipv4(this, `peer-kubernetes-api-${i}`, cidr),
        );
      case 'internet':
        return [kplus.NetworkPolicyIpBlock.ipv4(this, 'peer-internet', '0.0.0.0/0', PRIVATE_RANGES)];
      default:
        return [kplus.Pods.select(this, `peer-${node}`, podsOf(node))];
    }
  }
}
