/**
 * Cross-object rules: what no single schema can check. Each returns the violations it finds, naming the
 * object; platform/validate/rules.test.ts breaks each one on real synth output and sees it reported.
 */
import { redisMemoryModel, redisSizeMiB, requiredLimitMiB } from '../cluster/redis/memory.js';
import { bytes, hygieneRules } from './hygiene-rules.js';
import type { Rule, RuleContext } from './rule.js';
import type { LabelSelector } from '../cluster/postgres/operator-contract.js';
import { operatorLabelContract } from './operator-labels.js';
import { allContainers, matches, selects, workloads, type Obj, type Workload } from './objects.js';
import type { Loose } from './objects.js';
import { objectId, type Violation } from './violation.js';

export type { Rule, RuleContext } from './rule.js';

const v = (rule: string, object: Obj, message: string): Violation => ({ rule, object: objectId(object), message });

function resolveBudget(value: number | string | undefined, total: number): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'number') return value;
  return Math.ceil((Number.parseFloat(value) / 100) * total);
}

/** A PDB allows at least one disruption and keeps at least one pod (stays below the HPA minimum); every replicated workload has one. */
export const pdbBudget: Rule = ({ objects }) => {
  const out: Violation[] = [];
  const all = workloads(objects);
  const pdbs = objects.filter((o) => o.kind === 'PodDisruptionBudget');
  for (const pdb of pdbs) {
    const covered = all.filter((w) => selects(pdb.spec?.selector, w.podLabels));
    const total = covered.reduce((sum, w) => sum + w.minReplicas, 0);
    if (covered.length === 0) {
      out.push(v('pdb-budget', pdb, 'selects the pods of no workload'));
      continue;
    }
    const maxUnavailable = resolveBudget(pdb.spec?.maxUnavailable, total);
    const minAvailable = resolveBudget(pdb.spec?.minAvailable, total);
    const allowed = maxUnavailable ?? total - (minAvailable ?? total);
    if (allowed < 1)
      out.push(
        v(
          'pdb-budget',
          pdb,
          `allows no voluntary disruption at the minimum of ${total} replica(s): node drains would hang`,
        ),
      );
    if (allowed >= total)
      out.push(
        v(
          'pdb-budget',
          pdb,
          `allows ${allowed} disruption(s) at the minimum of ${total} replica(s): a drain could take every pod`,
        ),
      );
  }
  for (const w of all.filter((w) => w.minReplicas >= 2 && !w.operator?.disruptionBudgets)) {
    if (!pdbs.some((p) => selects(p.spec?.selector, w.podLabels)))
      out.push(v('pdb-budget', w.object, `runs ${w.minReplicas}+ replicas without a PodDisruptionBudget`));
  }
  return out;
};

function preStopSeconds(container: Loose): number {
  const preStop = container.lifecycle?.preStop;
  if (preStop?.sleep?.seconds !== undefined) return Number(preStop.sleep.seconds);
  const command: string[] = preStop?.exec?.command ?? [];
  return command[0] === 'sleep' ? Number(command[1] ?? 0) : 0;
}

/** preStop sleep + the app's drain finish before the kubelet's SIGKILL. */
export const gracePeriod: Rule = ({ objects }) =>
  workloads(objects).flatMap((w) => {
    const grace = w.podSpec.terminationGracePeriodSeconds ?? 30;
    return allContainers(w.podSpec)
      .filter(({ init }) => !init)
      .flatMap(({ container }) => {
        const drain = Number(container.env?.find((e: { name: string }) => e.name === 'DRAIN_SECONDS')?.value ?? 0);
        const preStop = preStopSeconds(container);
        return preStop + drain < grace
          ? []
          : [
              v(
                'grace-period',
                w.object,
                `container ${container.name}: preStop ${preStop} s + drain ${drain} s is not inside the ${grace} s grace period`,
              ),
            ];
      });
  });

/** The sentinel quorum is a majority of the sentinels that actually run (one per pod of the StatefulSet mounting sentinel.conf). */
export const sentinelQuorum: Rule = ({ objects }) => {
  const out: Violation[] = [];
  for (const cm of objects.filter((o) => o.kind === 'ConfigMap' && typeof o.data?.['sentinel.conf'] === 'string')) {
    const monitor = /^sentinel monitor \S+ \S+ \d+ (\d+)$/m.exec(cm.data['sentinel.conf']);
    if (!monitor) {
      out.push(v('sentinel-quorum', cm, 'sentinel.conf has no "sentinel monitor <name> <host> <port> <quorum>" line'));
      continue;
    }
    const quorum = Number(monitor[1]);
    const mounting = workloads(objects).filter((w) =>
      (w.podSpec.volumes ?? []).some(
        (vol: { configMap?: { name?: string } }) => vol.configMap?.name === cm.metadata.name,
      ),
    );
    const sentinels = mounting.reduce(
      (sum, w) =>
        sum +
        (w.object.spec?.replicas ?? 1) *
          w.podSpec.containers.filter((c: { command?: string[] }) => c.command?.includes('--sentinel')).length,
      0,
    );
    if (sentinels === 0) out.push(v('sentinel-quorum', cm, 'no workload runs a sentinel with this configuration'));
    else if (quorum <= sentinels / 2 || quorum > sentinels)
      out.push(
        v(
          'sentinel-quorum',
          cm,
          `quorum ${quorum} is not a majority of the ${sentinels} sentinels (needs ${Math.floor(sentinels / 2) + 1}..${sentinels})`,
        ),
      );
  }
  return out;
};

/**
 * A Redis data node's container limit holds its maxmemory through a fork (copy-on-write), its replicas'
 * output buffers, the backlog and the allocator's overhead (the model in platform/cluster/redis/memory.ts).
 */
export const redisMemoryHeadroom: Rule = ({ objects }) => {
  const out: Violation[] = [];
  for (const cm of objects.filter((o) => o.kind === 'ConfigMap' && typeof o.data?.['redis.conf'] === 'string')) {
    const conf: string = cm.data['redis.conf'];
    const directive = (name: string) => new RegExp(`^${name} (.+)$`, 'm').exec(conf)?.[1]?.trim().split(/\s+/);
    const maxMemoryMiB = redisSizeMiB(directive('maxmemory')?.[0] ?? '');
    if (maxMemoryMiB === undefined || maxMemoryMiB === 0) {
      out.push(v('redis-memory-headroom', cm, 'redis.conf sets no maxmemory: the dataset could outgrow the container'));
      continue;
    }
    const replica = directive('client-output-buffer-limit replica');
    const replicaBufferHardMiB = redisSizeMiB(replica?.[0] ?? '');
    if (replicaBufferHardMiB === undefined || replicaBufferHardMiB === 0) {
      out.push(v('redis-memory-headroom', cm, 'redis.conf sets no bounded "client-output-buffer-limit replica"'));
      continue;
    }
    const replBacklogMiB = redisSizeMiB(directive('repl-backlog-size')?.[0] ?? '1mb') ?? 1;
    for (const w of workloads(objects)) {
      const mounts = (w.podSpec.volumes ?? []).some(
        (vol: { configMap?: { name?: string } }) => vol.configMap?.name === cm.metadata.name,
      );
      if (!mounts) continue;
      const nodes = w.object.spec?.replicas ?? 1;
      for (const c of w.podSpec.containers.filter(
        (c: { command?: string[] }) => c.command?.includes('redis-server') && !c.command.includes('--sentinel'),
      )) {
        const limitMiB = (bytes(c.resources?.limits?.memory) ?? 0) / 2 ** 20;
        const required = requiredLimitMiB({ maxMemoryMiB, nodes, replicaBufferHardMiB, replBacklogMiB });
        if (limitMiB < required)
          out.push(
            v(
              'redis-memory-headroom',
              w.object,
              `container ${c.name}: memory limit ${limitMiB} MiB < ${required} MiB needed for maxmemory ${maxMemoryMiB} MiB ` +
                `× ${1 + redisMemoryModel.copyOnWrite} (fork copy-on-write) × ${1 + redisMemoryModel.fragmentation} (fragmentation) ` +
                `+ ${nodes - 1} replica buffers × ${replicaBufferHardMiB} MiB + backlog ${replBacklogMiB} MiB + ${redisMemoryModel.baselineMiB} MiB baseline`,
            ),
          );
      }
    }
  }
  return out;
};

/** Every Service selects the pods of some workload. */
export const serviceSelectsPods: Rule = ({ objects }) => {
  const all = workloads(objects);
  return objects
    .filter((o) => o.kind === 'Service')
    .filter((svc) => !all.some((w) => matches(svc.spec?.selector, w.podLabels)))
    .map((svc) =>
      v(
        'service-selects-pods',
        svc,
        `selector ${JSON.stringify(svc.spec?.selector ?? {})} matches the pods of no workload`,
      ),
    );
};

type Peer = {
  podSelector?: LabelSelector;
  namespaceSelector?: {
    matchLabels?: Record<string, string>;
    matchExpressions?: Array<{ key: string; values?: string[] }>;
  };
  ipBlock?: object;
};

function peerNamespaces(peer: Peer): string[] {
  const selector = peer.namespaceSelector;
  if (!selector) return [];
  const byLabel = selector.matchLabels?.['kubernetes.io/metadata.name'];
  const byExpression =
    selector.matchExpressions?.filter((e) => e.key === 'kubernetes.io/metadata.name').flatMap((e) => e.values ?? []) ??
    [];
  return [...(byLabel ? [byLabel] : []), ...byExpression];
}

/** Every network-policy target and in-namespace peer selects existing pods; every other namespace named is known; ingress ports are ports the target pods listen on. */
export const networkPolicyPeers: Rule = ({ objects, knownNamespaces }) => {
  const out: Violation[] = [];
  const all = workloads(objects);
  const podsOf = (selector: LabelSelector | undefined): Workload[] => all.filter((w) => selects(selector, w.podLabels));
  for (const policy of objects.filter((o) => o.kind === 'NetworkPolicy')) {
    const target = policy.spec?.podSelector;
    const targets = podsOf(target);
    if (targets.length === 0)
      out.push(v('network-policy-peers', policy, `podSelector ${JSON.stringify(target)} selects no pods`));
    const listening = new Set(
      targets.flatMap((w) =>
        w.podSpec.containers.flatMap((c: { ports?: Array<{ containerPort: number }> }) =>
          (c.ports ?? []).map((p) => p.containerPort),
        ),
      ),
    );
    const rules = [
      ...(policy.spec?.ingress ?? []).map((r: object) => ({
        r,
        peers: (r as { from?: Peer[] }).from ?? [],
        ingress: true,
      })),
      ...(policy.spec?.egress ?? []).map((r: object) => ({
        r,
        peers: (r as { to?: Peer[] }).to ?? [],
        ingress: false,
      })),
    ];
    for (const { r, peers, ingress } of rules) {
      for (const peer of peers) {
        if (peer.ipBlock) continue;
        const namespaces = peerNamespaces(peer);
        for (const ns of namespaces)
          if (!knownNamespaces.includes(ns))
            out.push(
              v(
                'network-policy-peers',
                policy,
                `peer namespace "${ns}" is not one this stack knows (${knownNamespaces.join(', ')})`,
              ),
            );
        if (!peer.namespaceSelector && podsOf(peer.podSelector).length === 0)
          out.push(
            v(
              'network-policy-peers',
              policy,
              `peer ${JSON.stringify(peer.podSelector ?? {})} selects no pods in the namespace`,
            ),
          );
      }
      if (ingress) {
        for (const p of (r as { ports?: Array<{ port?: number }> }).ports ?? []) {
          if (typeof p.port === 'number' && !listening.has(p.port))
            out.push(
              v('network-policy-peers', policy, `allows ingress on port ${p.port}, where none of its pods listens`),
            );
        }
      }
    }
  }
  return out;
};

/** Requests, limits, probes and the restricted security context on every container (probes: not on init containers, nor on Jobs' and CronJobs' run-to-completion pods). */
export const containerHardening: Rule = ({ objects }) =>
  workloads(objects)
    .filter((w) => !w.operator)
    .flatMap((w) => {
      const pod = w.podSpec.securityContext ?? {};
      return allContainers(w.podSpec).flatMap(({ container: c, init }) => {
        const problems: string[] = [];
        for (const kind of ['requests', 'limits'] as const)
          for (const r of ['cpu', 'memory'])
            if (c.resources?.[kind]?.[r] === undefined) problems.push(`no ${r} ${kind.slice(0, -1)}`);
        if (!init && !w.runsToCompletion)
          for (const probe of ['livenessProbe', 'readinessProbe'] as const) if (!c[probe]) problems.push(`no ${probe}`);
        const sc = c.securityContext ?? {};
        if ((sc.runAsNonRoot ?? pod.runAsNonRoot) !== true) problems.push('may run as root (runAsNonRoot not true)');
        if (sc.readOnlyRootFilesystem !== true) problems.push('writable root filesystem');
        if (sc.allowPrivilegeEscalation !== false) problems.push('privilege escalation not disabled');
        if (sc.privileged === true) problems.push('privileged');
        if (!(sc.capabilities?.drop ?? []).includes('ALL')) problems.push('capabilities not all dropped');
        if ((sc.seccompProfile?.type ?? pod.seccompProfile?.type) !== 'RuntimeDefault')
          problems.push('seccomp profile not RuntimeDefault');
        return problems.map((p) => v('container-hardening', w.object, `container ${c.name}: ${p}`));
      });
    });

/** Digest, a full version tag (1.2.3, v1.62.0, 15.8-bookworm) or a commit tag (sha-<hex>): a mutable tag can change what runs without a diff. */
export function isPinnedImage(image: string): boolean {
  if (/@sha256:[0-9a-f]{64}$/.test(image)) return true;
  const slash = image.lastIndexOf('/');
  const colon = image.lastIndexOf(':');
  if (colon <= slash) return false; // no tag: implicitly latest
  const tag = image.slice(colon + 1);
  return (
    /^v?\d+\.\d+(\.\d+)+([-.][0-9A-Za-z.-]+)?$/.test(tag) ||
    /^v?\d+\.\d+-[A-Za-z][0-9A-Za-z.-]*$/.test(tag) ||
    /^sha-[0-9a-f]{7,40}$/.test(tag)
  );
}

export const imagePinned: Rule = ({ objects }) =>
  workloads(objects).flatMap((w) =>
    allContainers(w.podSpec)
      // An operator-rendered pod without an image of ours runs the operator's pinned default.
      .filter(({ container }) => !(w.operator && container.image === undefined) && !isPinnedImage(container.image))
      .map(({ container }) =>
        v(
          'image-pinned',
          w.object,
          `container ${container.name}: image "${container.image}" is not pinned by digest or an immutable version tag`,
        ),
      ),
  );

const SECRET_ENV = /PASSWORD|PASS$|SECRET|TOKEN|API_KEY|DSN/;
/** A URL carrying a password (`scheme://user:password@host`), whatever the variable is called. */
const URL_WITH_PASSWORD = /^[a-z][a-z0-9+.-]*:\/\/[^/@\s:]*:[^/@\s]+@/i;

function literalSecret(e: { name: string; value?: string }): boolean {
  return e.value !== undefined && (SECRET_ENV.test(e.name) || URL_WITH_PASSWORD.test(e.value));
}

/** No Secret objects in the rendered tree; secret-like variables and URLs with passwords only by secretKeyRef. */
export const noSecretObjects: Rule = ({ objects }) => [
  ...objects
    .filter((o) => o.kind === 'Secret')
    .map((o) => v('no-secret-values', o, 'Secret objects are created by the Pulumi path, never rendered into deploy/')),
  ...workloads(objects).flatMap((w) =>
    allContainers(w.podSpec).flatMap(({ container }) =>
      (container.env ?? [])
        .filter(literalSecret)
        .map((e: { name: string }) =>
          v(
            'no-secret-values',
            w.object,
            `container ${container.name}: ${e.name} carries a value; reference a Secret key instead`,
          ),
        ),
    ),
  ),
];

/**
 * A port a ServiceMonitor scrapes is internal (the gateway's also carries the admin API): the Ingress
 * routes no path to it, whatever the path, so neither /metrics nor anything beside it is public.
 */
export const metricsStayInternal: Rule = ({ objects }) => {
  const out: Violation[] = [];
  const services = objects.filter((o) => o.kind === 'Service');
  const monitors = objects.filter((o) => o.kind === 'ServiceMonitor');
  for (const ingress of objects.filter((o) => o.kind === 'Ingress')) {
    for (const rule of ingress.spec?.rules ?? []) {
      for (const path of rule.http?.paths ?? []) {
        const svc = services.find((s) => s.metadata.name === path.backend?.service?.name);
        const backendPort = path.backend?.service?.port?.number;
        const scraped = monitors.some((m) =>
          (m.spec?.endpoints ?? []).some(
            (e: { port?: string }) =>
              svc &&
              matches(m.spec?.selector?.matchLabels, svc.metadata.labels) &&
              svc.spec.ports.some((p: { name: string; port: number }) => p.name === e.port && p.port === backendPort),
          ),
        );
        if (scraped)
          out.push(
            v(
              'metrics-internal',
              ingress,
              `path "${path.path}" routes the scraped (internal) port ${backendPort} of Service ${svc?.metadata.name} to the public`,
            ),
          );
      }
    }
  }
  return out;
};

export const rules: Record<string, Rule> = {
  pdbBudget,
  gracePeriod,
  sentinelQuorum,
  redisMemoryHeadroom,
  serviceSelectsPods,
  networkPolicyPeers,
  containerHardening,
  imagePinned,
  ...hygieneRules,
  noSecretObjects,
  metricsStayInternal,
  operatorLabelContract,
};

export function checkRules(ctx: RuleContext): Violation[] {
  return Object.values(rules).flatMap((rule) => rule(ctx));
}
