/**
 * The dependency graph, written once. Network policies (both directions), the Mermaid diagram, compose's
 * depends_on and the "every peer exists" rule are all derived from it.
 */
import type { StackConfig } from '../../stacks/types.js';

/** Every in-namespace component and its named ports. */
export const components = {
  web: { http: 8080 },
  /** `internal`: /metrics and the admin API, on a port the Ingress never routes to. */
  gateway: { http: 8080, internal: 9465 },
  workers: { metrics: 9464 },
  redis: { redis: 6379, sentinel: 26379, metrics: 9121, 'sentinel-metrics': 9355 },
  /**
   * CloudNativePG's instances (primary and standbys; the restore check's throwaway Cluster runs under the
   * same policy): Postgres, the instance manager's status endpoint the operator polls, the exporter.
   */
  postgres: { postgres: 5432, status: 8000, metrics: 9187 },
  /** PgBouncer, the Pooler's pods (stacks with `postgres.pooler` only). */
  'postgres-pooler': { pgbouncer: 5432, metrics: 9127 },
  /** The migration Job (a release step): it listens on nothing. */
  migrations: {},
  /** The weekly restore check (a CronJob running kubectl): it listens on nothing. */
  'postgres-restore-check': {},
} as const;

export type Component = keyof typeof components;
export type PortName<C extends Component> = keyof (typeof components)[C] & string;

/** Peers outside the namespace; resolved to selectors from the stack in network-policies.ts. */
export type External = 'ingress-controller' | 'prometheus' | 'internet' | 'cnpg-operator' | 'kubernetes-api';

/** The components a stack runs (the Pooler only where the stack has one). */
export function stackComponents(stack: StackConfig): Component[] {
  return (Object.keys(components) as Component[]).filter((c) => c !== 'postgres-pooler' || stack.postgres.pooler);
}

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

function toExternal(from: Component, target: 'internet' | 'kubernetes-api', ports: number[], why: string): Edge {
  return { from, to: target, ports, portNames: ports.map(String), why };
}

const toInternet = (from: Component, ports: number[], why: string) => toExternal(from, 'internet', ports, why);

/** The object store's TCP port, from its endpoint URL. */
function objectStorePort(stack: StackConfig): number {
  const url = new URL(stack.backups.endpointURL);
  return url.port ? Number(url.port) : url.protocol === 'http:' ? 80 : 443;
}

export function dependencyGraph(stack: StackConfig): Edge[] {
  const edges: Edge[] = [
    to('ingress-controller', 'web', ['http'], 'static UI'),
    to('ingress-controller', 'gateway', ['http'], '/ws, /manuals'),
  ];
  for (const client of ['gateway', 'workers'] as const) {
    edges.push(to(client, 'redis', ['redis', 'sentinel'], 'sessions, cache, pub/sub, queues (via Sentinel)'));
    edges.push(
      stack.postgres.pooler
        ? to(client, 'postgres-pooler', ['pgbouncer'], 'writes, through PgBouncer')
        : to(client, 'postgres', ['postgres'], 'writes (-rw)'),
    );
  }
  // Both get DATABASE_REPLICA_URL (app-env.ts) wherever there are standbys to read from.
  if (stack.postgres.instances > 1)
    for (const client of ['gateway', 'workers'] as const)
      if (!edges.some((e) => e.from === client && e.to === 'postgres'))
        edges.push(to(client, 'postgres', ['postgres'], 'replica reads (-ro)'));
  if (stack.postgres.pooler) edges.push(to('postgres-pooler', 'postgres', ['postgres'], 'server connections (-rw)'));
  // Migrations hold a session advisory lock and run long DDL: straight to -rw, never through the Pooler.
  edges.push(to('migrations', 'postgres', ['postgres'], 'schema migrations before a rollout (-rw)'));
  edges.push(to('redis', 'redis', ['redis', 'sentinel'], 'replication and sentinel gossip'));
  edges.push(to('postgres', 'postgres', ['postgres', 'status'], 'streaming replication, pg_rewind, instance managers'));
  edges.push(to('cnpg-operator', 'postgres', ['postgres', 'status'], 'the operator manages the instances'));
  const api = stack.kubernetesApi.ports;
  edges.push(toExternal('postgres', 'kubernetes-api', api, 'instance manager: Cluster status, leader lease'));
  if (stack.postgres.pooler)
    edges.push(toExternal('postgres-pooler', 'kubernetes-api', api, 'PgBouncer instance manager: Pooler spec'));
  edges.push(
    toExternal('postgres-restore-check', 'kubernetes-api', api, 'creates, watches, queries the throwaway Cluster'),
  );
  edges.push(toInternet('postgres', [objectStorePort(stack)], 'WAL archive and base backups (Barman Cloud Plugin)'));
  edges.push(toInternet('workers', [443, 80], 'manual downloads (MANUAL_HOSTS)'));
  if (stack.features.llm) edges.push(toInternet('gateway', [443], 'answer model API'));
  edges.push(to('prometheus', 'gateway', ['internal'], 'scrape /metrics (internal listener)'));
  edges.push(to('prometheus', 'workers', ['metrics'], 'scrape'));
  edges.push(
    to('prometheus', 'redis', ['metrics', 'sentinel-metrics'], 'scrape redis_exporter (data node and sentinel)'),
  );
  edges.push(to('prometheus', 'postgres', ['metrics'], 'scrape the instances (PodMonitor)'));
  if (stack.postgres.pooler)
    edges.push(to('prometheus', 'postgres-pooler', ['metrics'], 'scrape PgBouncer (PodMonitor)'));
  return edges;
}
