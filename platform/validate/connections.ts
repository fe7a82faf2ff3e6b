/**
 * Who connects to whom, derived from the rendered objects rather than from the dependency graph that
 * writes the policies: the app's environment (every URL, `REDIS_SENTINELS`, `*_HOSTS`, URL-valued secrets),
 * the Ingress's backends, the monitors' scrape targets, API access granted by RoleBindings, DNS, and
 * CloudNativePG's own traffic (postgres/operator-contract.ts). What cannot be read from a render is
 * modelled and says so: third-party pods' labels, pod and API addresses, StatefulSet peers' gossip.
 */
import { parse } from 'yaml';
import { appCommands } from '../workloads/app-env.js';
import type { StackConfig } from '../../stacks/types.js';
import {
  clusterServices,
  cnpgPorts,
  instanceJobPodLabels,
  instancePodLabels,
  poolerPodLabels,
  type Selector,
} from '../cluster/postgres/operator-contract.js';
import { allContainers, type Loose, type Obj, selects, workloads } from './objects.js';

export interface Port {
  name?: string;
  containerPort: number;
  protocol?: string;
}

export interface Pod {
  id: string;
  namespace: string;
  labels: Record<string, string>;
  ports: Port[];
}

export type Endpoint = { pod: Pod } | { ip: string; what: string };

export interface Connection {
  from: Pod;
  to: Endpoint;
  port: number;
  protocol: 'TCP' | 'UDP';
  why: string;
}

/** A public address standing for any host outside the cluster (TEST-NET-3: public, never private). */
export const PUBLIC_ADDRESS = '203.0.113.10';

/** Where third-party charts run their pods and how they label them (modelled: not rendered here). */
function externalPods(stack: StackConfig): Record<'prometheus' | 'ingress' | 'operator' | 'dns', Pod> {
  return {
    prometheus: {
      id: 'prometheus',
      namespace: stack.monitoring.namespace,
      labels: { 'app.kubernetes.io/name': 'prometheus' },
      ports: [],
    },
    ingress: {
      id: 'ingress-controller',
      namespace: stack.ingress.controllerNamespace,
      labels: { 'app.kubernetes.io/name': 'ingress-nginx' },
      ports: [],
    },
    operator: {
      id: 'cnpg-operator',
      namespace: stack.databaseOperator.namespace,
      labels: { 'app.kubernetes.io/name': 'cloudnative-pg' },
      ports: [],
    },
    dns: {
      id: 'kube-dns',
      namespace: 'kube-system',
      labels: { 'k8s-app': 'kube-dns' },
      ports: [
        { name: 'dns', containerPort: 53, protocol: 'UDP' },
        { name: 'dns-tcp', containerPort: 53, protocol: 'TCP' },
      ],
    },
  };
}

const named = (ports: Record<string, number>): Port[] =>
  Object.entries(ports).map(([name, containerPort]) => ({ name, containerPort }));

interface Model {
  pods: Pod[];
  /** name/namespace → selector and port → target (number or port name), our Services and the operator's. */
  services: Map<string, { selector: Selector; ports: Array<{ port: number; targetPort: number | string }> }>;
}

/** The Clusters the stack runs: rendered ones, and those a ConfigMap carries for a Job to create (the restore check). */
function clusters(objects: Obj[]): Obj[] {
  const carried = objects
    .filter((o) => o.kind === 'ConfigMap')
    .flatMap((o) => Object.values((o.data ?? {}) as Record<string, string>))
    .flatMap((text) => {
      try {
        const doc = parse(text) as Loose | null;
        return doc?.apiVersion === 'postgresql.cnpg.io/v1' && doc.kind === 'Cluster' ? [doc as Obj] : [];
      } catch {
        return [];
      }
    });
  return [...objects.filter((o) => o.apiVersion === 'postgresql.cnpg.io/v1' && o.kind === 'Cluster'), ...carried];
}

function buildModel(stack: StackConfig, objects: Obj[]): Model {
  const ns = (o: Obj) => o.metadata.namespace ?? stack.namespace;
  const pods: Pod[] = workloads(objects)
    .filter((w) => !w.operator)
    .map((w) => ({
      id: `${w.object.kind}/${w.object.metadata.name}`,
      namespace: ns(w.object),
      labels: w.podLabels,
      ports: allContainers(w.podSpec).flatMap(({ container }) => container.ports ?? []),
    }));
  const services: Model['services'] = new Map();
  for (const svc of objects.filter((o) => o.kind === 'Service'))
    services.set(`${svc.metadata.name}/${ns(svc)}`, {
      selector: svc.spec?.selector ?? {},
      ports: (svc.spec?.ports ?? []).map((p: Loose) => ({ port: p.port, targetPort: p.targetPort ?? p.port })),
    });
  for (const cluster of clusters(objects)) {
    const name = cluster.metadata.name;
    const namespace = cluster.metadata.namespace ?? stack.namespace;
    pods.push({
      id: `Cluster/${name} primary`,
      namespace,
      labels: instancePodLabels(name, 'primary'),
      ports: named(cnpgPorts.instance),
    });
    if ((cluster.spec?.instances ?? 1) > 1)
      pods.push({
        id: `Cluster/${name} standby`,
        namespace,
        labels: instancePodLabels(name, 'replica'),
        ports: named(cnpgPorts.instance),
      });
    // The bootstrap Job (initdb or full-recovery) and, with standbys, the join Job that clones the primary.
    const bootstrap = cluster.spec?.bootstrap?.recovery ? 'full-recovery' : 'initdb';
    pods.push({
      id: `Cluster/${name} ${bootstrap} Job`,
      namespace,
      labels: instanceJobPodLabels(name, bootstrap),
      ports: [],
    });
    if ((cluster.spec?.instances ?? 1) > 1)
      pods.push({ id: `Cluster/${name} join Job`, namespace, labels: instanceJobPodLabels(name, 'join'), ports: [] });
    for (const [service, selector] of Object.entries(clusterServices(name)))
      services.set(`${service}/${namespace}`, { selector, ports: [{ port: 5432, targetPort: 5432 }] });
  }
  for (const pooler of objects.filter((o) => o.apiVersion === 'postgresql.cnpg.io/v1' && o.kind === 'Pooler')) {
    const labels = poolerPodLabels(pooler.metadata.name, pooler.spec?.cluster?.name);
    pods.push({ id: `Pooler/${pooler.metadata.name}`, namespace: ns(pooler), labels, ports: named(cnpgPorts.pooler) });
    services.set(`${pooler.metadata.name}/${ns(pooler)}`, {
      selector: { 'cnpg.io/poolerName': pooler.metadata.name },
      ports: [{ port: cnpgPorts.pooler.pgbouncer, targetPort: 'pgbouncer' }],
    });
  }
  return { pods, services };
}

const DEFAULT_PORTS: Record<string, number> = {
  'postgres:': 5432,
  'postgresql:': 5432,
  'redis:': 6379,
  'rediss:': 6379,
  'http:': 80,
  'https:': 443,
};

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/**
 * Allow-lists of hosts and the program that downloads from them (the app's own knowledge: the gateway is
 * given MANUAL_HOSTS too, but only the worker program fetches manuals).
 */
const HOST_LISTS: Record<string, (container: Loose) => boolean> = {
  MANUAL_HOSTS: (c) => JSON.stringify(c.args ?? c.command ?? []) === JSON.stringify(appCommands.worker),
};

/** Secrets whose value is a URL to a service outside the cluster (the host is not in the render). */
const EXTERNAL_URL_SECRETS: Record<string, number> = { SENTRY_DSN: 443 };

export function deriveConnections(
  stack: StackConfig,
  objects: Obj[],
): { pods: Pod[]; connections: Connection[]; unresolved: string[] } {
  const model = buildModel(stack, objects);
  const external = externalPods(stack);
  const connections: Connection[] = [];
  const unresolved: string[] = [];
  const podsIn = (namespace: string, selector: Selector) =>
    model.pods.filter(
      (p) =>
        p.namespace === namespace && Object.keys(selector).length > 0 && selects({ matchLabels: selector }, p.labels),
    );
  const portOf = (pod: Pod, target: number | string) =>
    typeof target === 'number' ? target : pod.ports.find((p) => p.name === target)?.containerPort;

  /** A connection to host:port as the client names it: a Service (or a pod behind a headless one), else the internet. */
  const connectHost = (from: Pod, host: string, port: number, why: string) => {
    const parts = host.replace(/\.svc(\.cluster\.local)?$/, '').split('.');
    const local = host.endsWith('.svc.cluster.local') || host.endsWith('.svc') || !host.includes('.');
    if (!local) {
      connections.push({ from, to: { ip: PUBLIC_ADDRESS, what: host }, port, protocol: 'TCP', why });
      return;
    }
    // <svc>[.<ns>] or <pod>.<svc>.<ns> (a StatefulSet pod behind its headless Service).
    const [svcName, namespace] = parts.length >= 3 ? [parts[1]!, parts[2]!] : [parts[0]!, parts[1] ?? from.namespace];
    const service = model.services.get(`${svcName}/${namespace}`);
    const viaPod = parts.length >= 3;
    const targets = service ? podsIn(namespace, service.selector) : [];
    if (targets.length === 0) {
      unresolved.push(`${from.id} → ${host}:${port} (${why}): no pod behind it`);
      return;
    }
    for (const pod of viaPod ? targets.slice(0, 1) : targets) {
      const mapped = viaPod ? port : service!.ports.find((p) => p.port === port)?.targetPort;
      const target = mapped === undefined ? undefined : portOf(pod, mapped);
      if (target === undefined) unresolved.push(`${from.id} → ${host}:${port} (${why}): the Service has no such port`);
      else connections.push({ from, to: { pod }, port: target, protocol: 'TCP', why });
    }
  };

  // 1. The environment each container is given.
  for (const w of workloads(objects).filter((w) => !w.operator)) {
    const from = model.pods.find((p) => p.id === `${w.object.kind}/${w.object.metadata.name}`)!;
    for (const { container } of allContainers(w.podSpec))
      for (const env of (container.env ?? []) as Loose[]) {
        const why = `${container.name} ${env.name}`;
        if (env.valueFrom?.secretKeyRef && EXTERNAL_URL_SECRETS[env.name] !== undefined)
          connections.push({
            from,
            to: { ip: PUBLIC_ADDRESS, what: env.name },
            port: EXTERNAL_URL_SECRETS[env.name]!,
            protocol: 'TCP',
            why,
          });
        if (typeof env.value !== 'string' || env.value === '') continue;
        const value: string = env.value;
        if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) {
          const url = new URL(value);
          const port = url.port ? Number(url.port) : DEFAULT_PORTS[url.protocol];
          if (port !== undefined && !LOOPBACK.has(url.hostname)) connectHost(from, url.hostname, port, why);
        } else if (/^[a-z0-9.-]+:\d+(,[a-z0-9.-]+:\d+)*$/i.test(value)) {
          // host:port lists: Sentinels (REDIS_SENTINELS, SENTINEL_HOSTS).
          for (const entry of value.split(',')) {
            const [host, port] = entry.split(':');
            connectHost(from, host!, Number(port), why);
          }
          if (/SENTINEL/.test(env.name)) {
            // Sentinel answers with the master's pod address: the client then dials that pod's data port.
            const asked = connections.filter((c) => c.from === from && c.why === why && 'pod' in c.to);
            for (const pod of new Set(asked.map((c) => (c.to as { pod: Pod }).pod))) {
              const data = pod.ports.find((p) => p.name === 'redis')?.containerPort;
              if (data !== undefined)
                connections.push({
                  from,
                  to: { pod },
                  port: data,
                  protocol: 'TCP',
                  why: `${why} (the master Sentinel names)`,
                });
            }
          }
        } else if (HOST_LISTS[env.name]?.(container)) {
          for (const host of value.split(',').map((h) => h.trim().replace(/^\*\./, 'any.')))
            if (host) connectHost(from, host, 443, why);
        }
      }
  }

  // 2. CloudNativePG's own traffic.
  const instances = model.pods.filter((p) => p.labels['cnpg.io/podRole'] === 'instance');
  const jobs = model.pods.filter((p) => p.labels['cnpg.io/jobRole'] !== undefined);
  for (const pod of instances) {
    connections.push({
      from: external.operator,
      to: { pod },
      port: cnpgPorts.instance.status,
      protocol: 'TCP',
      why: 'operator → instance manager',
    });
    const cluster = pod.labels['cnpg.io/cluster'];
    for (const peer of instances.filter((p) => p !== pod && p.labels['cnpg.io/cluster'] === cluster))
      connections.push({
        from: pod,
        to: { pod: peer },
        port: cnpgPorts.instance.status,
        protocol: 'TCP',
        why: 'instance managers',
      });
    if (pod.labels['cnpg.io/instanceRole'] === 'replica')
      connectHost(pod, `${cluster}-rw.${pod.namespace}.svc`, 5432, 'streaming replication');
  }
  for (const job of jobs.filter((j) => j.labels['cnpg.io/jobRole'] === 'join'))
    connectHost(
      job,
      `${job.labels['cnpg.io/cluster']}-rw.${job.namespace}.svc`,
      5432,
      'join: pg_basebackup from the primary',
    );
  for (const pooler of model.pods.filter((p) => p.labels['cnpg.io/podRole'] === 'pooler'))
    connectHost(
      pooler,
      `${pooler.labels['cnpg.io/cluster']}-rw.${pooler.namespace}.svc`,
      5432,
      'PgBouncer server connections',
    );
  // The WAL archive and base backups (instances) and the recovery source (the full-recovery Job).
  const stores = objects.filter((o) => o.kind === 'ObjectStore');
  for (const pod of [...instances, ...jobs.filter((j) => j.labels['cnpg.io/jobRole'] === 'full-recovery')])
    for (const store of stores) {
      const url = new URL(store.spec.configuration.endpointURL);
      connectHost(
        pod,
        url.hostname,
        url.port ? Number(url.port) : (DEFAULT_PORTS[url.protocol] ?? 443),
        `object store ${store.metadata.name}`,
      );
    }

  // 3. The Kubernetes API: the operator's pods (instance managers) and every pod whose account a RoleBinding grants.
  const apiIp = stack.kubernetesApi.cidrs[0]!.split('/')[0]!.replace(/\.0$/, '.1');
  const bound = new Set(
    objects
      .filter((o) => o.kind === 'RoleBinding')
      .flatMap((b) => (b.subjects ?? []).map((s: Loose) => s.name as string)),
  );
  const apiClients = [
    ...instances,
    ...jobs,
    ...model.pods.filter((p) => p.labels['cnpg.io/podRole'] === 'pooler'),
    ...workloads(objects)
      .filter((w) => !w.operator && bound.has(w.podSpec.serviceAccountName))
      .map((w) => model.pods.find((p) => p.id === `${w.object.kind}/${w.object.metadata.name}`)!),
  ];
  for (const from of apiClients)
    for (const port of stack.kubernetesApi.ports)
      connections.push({ from, to: { ip: apiIp, what: 'kubernetes API' }, port, protocol: 'TCP', why: 'API client' });

  // 4. Scrapes: PodMonitors by pod port name, ServiceMonitors through their Services.
  for (const monitor of objects.filter((o) => o.kind === 'PodMonitor'))
    for (const pod of model.pods.filter(
      (p) =>
        p.namespace === (monitor.metadata.namespace ?? stack.namespace) && selects(monitor.spec?.selector, p.labels),
    ))
      for (const endpoint of monitor.spec?.podMetricsEndpoints ?? []) {
        const port = portOf(pod, endpoint.port);
        if (port === undefined)
          unresolved.push(`PodMonitor/${monitor.metadata.name} → ${pod.id}: no port ${endpoint.port}`);
        else
          connections.push({
            from: external.prometheus,
            to: { pod },
            port,
            protocol: 'TCP',
            why: `scrape (PodMonitor ${monitor.metadata.name})`,
          });
      }
  for (const monitor of objects.filter((o) => o.kind === 'ServiceMonitor'))
    for (const svc of objects.filter(
      (o) => o.kind === 'Service' && selects(monitor.spec?.selector, o.metadata.labels ?? {}),
    ))
      for (const endpoint of monitor.spec?.endpoints ?? []) {
        const port = (svc.spec?.ports ?? []).find((p: Loose) => p.name === endpoint.port);
        if (port) connectHostFromService(external.prometheus, svc, port.port);
      }
  function connectHostFromService(from: Pod, svc: Obj, port: number) {
    connectHost(
      from,
      `${svc.metadata.name}.${svc.metadata.namespace ?? stack.namespace}.svc`,
      port,
      `scrape (ServiceMonitor → ${svc.metadata.name})`,
    );
  }

  // 5. The Ingress controller to the Ingress's backends.
  for (const ingress of objects.filter((o) => o.kind === 'Ingress'))
    for (const rule of ingress.spec?.rules ?? [])
      for (const path of rule.http?.paths ?? []) {
        const backend = path.backend?.service;
        if (backend)
          connectHost(
            external.ingress,
            `${backend.name}.${ingress.metadata.namespace ?? stack.namespace}.svc`,
            backend.port.number,
            `ingress ${path.path}`,
          );
      }

  // 6. StatefulSet peers (Redis replication and Sentinel gossip) on their non-metrics ports (modelled).
  for (const set of objects.filter((o) => o.kind === 'StatefulSet' && (o.spec?.replicas ?? 1) > 1)) {
    const pod = model.pods.find((p) => p.id === `StatefulSet/${set.metadata.name}`)!;
    for (const port of pod.ports.filter((p) => !/metrics/.test(p.name ?? '')))
      connections.push({ from: pod, to: { pod }, port: port.containerPort, protocol: 'TCP', why: 'StatefulSet peers' });
  }

  // 7. DNS, for every pod of the namespace.
  for (const from of model.pods.filter((p) => p.namespace === stack.namespace))
    for (const protocol of ['UDP', 'TCP'] as const)
      connections.push({ from, to: { pod: external.dns }, port: 53, protocol, why: 'DNS' });

  return { pods: model.pods, connections, unresolved };
}
