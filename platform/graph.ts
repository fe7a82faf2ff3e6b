/**
 * The dependency graph, written once. Network policies (both directions), the Mermaid diagram, compose's
 * depends_on and the "every peer exists" rule are all derived from it.
 */
import type { StackConfig } from '../stacks/types.js';

/** Every in-namespace component and its named ports. */
export const components = {
  web: { http: 8080 },
  gateway: { http: 8080 },
  workers: { metrics: 9464 },
  redis: { redis: 6379, sentinel: 26379, metrics: 9121, 'sentinel-metrics': 9355 },
  'postgres-primary': { postgres: 5432, metrics: 9187 },
  'postgres-replica': { postgres: 5432, metrics: 9187 },
  /** The migration Job (a release step): it listens on nothing. */
  migrations: {},
  /** The scheduled pg_dump (a CronJob): it listens on nothing. */
  'postgres-backup': {},
} as const;

export type Component = keyof typeof components;
export type PortName<C extends Component> = keyof (typeof components)[C] & string;

/** Peers outside the namespace; resolved to selectors from the stack in network-policies.ts. */
export type External = 'ingress-controller' | 'prometheus' | 'internet';

export interface Edge {
  from: Component | External;
  to: Component | External;
  /** Resolved TCP ports on the receiving side. */
  ports: number[];
  /** Port names for components, or the numbers as text for the internet. */
  portNames: string[];
  why: string;
}

export function isComponent(node: string): node is Component {
  return Object.hasOwn(components, node);
}

export function port<C extends Component>(component: C, name: PortName<C>): number {
  return (components[component] as Record<string, number>)[name]!;
}

/** A typed edge into a component: the port names must exist on the target, or tsc refuses. */
function to<C extends Component>(from: Component | External, target: C, names: PortName<C>[], why: string): Edge {
  return { from, to: target, ports: names.map((n) => port(target, n)), portNames: names, why };
}

function toInternet(from: Component, ports: number[], why: string): Edge {
  return { from, to: 'internet', ports, portNames: ports.map(String), why };
}

export function dependencyGraph(stack: StackConfig): Edge[] {
  const edges: Edge[] = [
    to('ingress-controller', 'web', ['http'], 'static UI'),
    to('ingress-controller', 'gateway', ['http'], '/ws, /api, /manuals'),
  ];
  for (const client of ['gateway', 'workers'] as const) {
    edges.push(to(client, 'redis', ['redis', 'sentinel'], 'sessions, cache, pub/sub, queues (via Sentinel)'));
    edges.push(to(client, 'postgres-primary', ['postgres'], 'writes'));
  }
  edges.push(to('gateway', 'postgres-replica', ['postgres'], 'retrieval reads'));
  edges.push(to('migrations', 'postgres-primary', ['postgres'], 'schema migrations before a rollout'));
  // The backup reads the hot standby: pg_dump's one long snapshot then costs the primary no I/O or
  // buffer cache, and hot_standby_feedback keeps the replica from cancelling it over vacuumed rows.
  edges.push(to('postgres-backup', 'postgres-replica', ['postgres'], 'scheduled pg_dump'));
  edges.push(to('redis', 'redis', ['redis', 'sentinel'], 'replication and sentinel gossip'));
  edges.push(to('postgres-replica', 'postgres-primary', ['postgres'], 'streaming replication'));
  edges.push(toInternet('workers', [443, 80], 'manual downloads (MANUAL_HOSTS)'));
  if (stack.features.llm) edges.push(toInternet('gateway', [443], 'answer model API'));
  edges.push(to('prometheus', 'gateway', ['http'], 'scrape /metrics'));
  edges.push(to('prometheus', 'workers', ['metrics'], 'scrape'));
  edges.push(
    to('prometheus', 'redis', ['metrics', 'sentinel-metrics'], 'scrape redis_exporter (data node and sentinel)'),
  );
  edges.push(to('prometheus', 'postgres-primary', ['metrics'], 'scrape postgres_exporter'));
  edges.push(to('prometheus', 'postgres-replica', ['metrics'], 'scrape postgres_exporter'));
  return edges;
}
