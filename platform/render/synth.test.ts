/**
 * The GitOps tree can never drift from the code: the committed deploy/ equals a fresh synth, and a synth
 * is byte-identical when run twice. Plus the constructs' key properties, asserted on the rendered objects.
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { parse } from 'yaml';
import { effective, execForm, parseDockerfile } from '../../test/delivery/helpers/dockerfile.js';
import { stacks } from './stacks.js';
import { synthObjects, type KubeObject } from './build-stack.js';
import { dependencyGraph, isComponent } from '../cluster/graph.js';
import { defaultEphemeralStorage } from '../k8s/hygiene.js';
import { referencedSecrets } from '../k8s/secrets.js';
import { diffTree, renderAll, repoRoot } from './synth.js';
import type { Loose } from '../validate/objects.js';

const prod = synthObjects(stacks.prod);
const find = (objects: KubeObject[], kind: string, name: string) =>
  objects.find((o) => o.kind === kind && o.metadata.name === name) as Loose;

describe('synth', () => {
  it('the committed deploy/ tree is exactly a fresh synth (run `npm run synth` and commit when this fails)', () => {
    const drift = diffTree(repoRoot, renderAll().files);
    expect(drift).toEqual({ changed: [], missing: [], extra: [] });
  });

  it('is byte-identical when run twice', () => {
    const [a, b] = [renderAll().files, renderAll().files];
    expect([...b.entries()]).toEqual([...a.entries()]);
  });
});

describe('constructs (prod)', () => {
  it('gateway: HPA 2..10 at 70% CPU / 80% memory, immediate scale-up, 300 s scale-down window, no fixed replicas', () => {
    const hpa = find(prod.topology, 'HorizontalPodAutoscaler', 'gateway');
    expect([hpa.spec.minReplicas, hpa.spec.maxReplicas]).toEqual([2, 10]);
    expect(hpa.spec.metrics.map((m: Loose) => [m.resource.name, m.resource.target.averageUtilization])).toEqual([
      ['cpu', 70],
      ['memory', 80],
    ]);
    expect(hpa.spec.behavior.scaleUp.stabilizationWindowSeconds).toBe(0);
    expect(hpa.spec.behavior.scaleDown.stabilizationWindowSeconds).toBe(300);
    expect(find(prod.topology, 'Deployment', 'gateway').spec.replicas).toBeUndefined();
  });

  it('gateway: probes, preStop, derived grace period, requests/limits, rolling update without unavailability', () => {
    const d = find(prod.topology, 'Deployment', 'gateway');
    const c = d.spec.template.spec.containers[0];
    expect([c.livenessProbe.httpGet.path, c.readinessProbe.httpGet.path, c.startupProbe.httpGet.path]).toEqual([
      '/livez',
      '/readyz',
      '/livez',
    ]);
    expect(c.lifecycle.preStop.exec.command).toEqual(['sleep', '5']);
    expect(d.spec.template.spec.terminationGracePeriodSeconds).toBe(5 + stacks.prod.gateway.drainSeconds + 10);
    expect(c.resources).toEqual({
      requests: { cpu: '500m', memory: '512Mi', 'ephemeral-storage': defaultEphemeralStorage.requests },
      limits: { cpu: '1000m', memory: '1024Mi', 'ephemeral-storage': defaultEphemeralStorage.limits },
    });
    expect(d.spec.strategy.rollingUpdate).toEqual({ maxSurge: 1, maxUnavailable: 0 });
    expect(d.spec.template.spec.topologySpreadConstraints[0].topologyKey).toBe('kubernetes.io/hostname');
  });

  it('ingress: /ws and the manual links (/manuals, /demo/manuals) go to the gateway as prefixes, the rest to the UI; never /api or /metrics', () => {
    const rule = find(prod.topology, 'Ingress', 'hsc-jit').spec.rules[0];
    const routes = Object.fromEntries(
      rule.http.paths.map((p: Loose) => [
        p.path,
        `${p.pathType} ${p.backend.service.name}:${p.backend.service.port.number}`,
      ]),
    );
    expect(routes).toEqual({
      '/': 'Prefix web:8080',
      '/ws': 'Prefix gateway:8080',
      '/manuals': 'Prefix gateway:8080',
      '/demo/manuals': 'Prefix gateway:8080',
    });
  });

  it('app pods pass the image CMD as args and set no command, so the image ENTRYPOINT (tini) stays PID 1', () => {
    const dockerfile = parseDockerfile(join(repoRoot, 'docker/app.Dockerfile'));
    const instruction = (target: string, keyword: string) =>
      execForm(effective(dockerfile, dockerfile.stages.find((s) => s.name === target)!, keyword)!.args);
    for (const [deployment, target] of [
      ['gateway', 'gateway'],
      ['workers', 'worker'],
    ] as const) {
      const c = find(prod.topology, 'Deployment', deployment).spec.template.spec.containers[0];
      expect(c.command, deployment).toBeUndefined();
      expect(c.args, deployment).toEqual(instruction(target, 'CMD'));
      expect(instruction(target, 'ENTRYPOINT')).toEqual(['/usr/bin/tini', '--']);
    }
  });

  it('redis: 3 nodes with a sentinel each, quorum 2, hard anti-affinity and a zone spread, an exporter per server, sentinel list and password handed to the app', () => {
    const ss = find(prod.topology, 'StatefulSet', 'redis');
    expect(ss.spec.replicas).toBe(3);
    const containers = ss.spec.template.spec.containers as Loose[];
    expect(containers.map((c) => c.name)).toEqual(['redis', 'sentinel', 'exporter', 'sentinel-exporter']);
    expect(ss.spec.template.spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution).toHaveLength(
      1,
    );
    expect(ss.spec.template.spec.topologySpreadConstraints).toEqual([
      expect.objectContaining({ topologyKey: 'topology.kubernetes.io/zone', maxSkew: 1 }),
    ]);
    const redisContainer = containers.find((c) => c.name === 'redis')!;
    expect(redisContainer.lifecycle.preStop.exec.command).toEqual(['sh', '/config/prestop.sh']);
    expect(redisContainer.livenessProbe.exec.command).toEqual(['sh', '/config/health.sh', '6379', 'live']);
    expect(containers.find((c) => c.name === 'sentinel-exporter')!.env).toEqual(
      expect.arrayContaining([
        { name: 'REDIS_ADDR', value: 'redis://127.0.0.1:26379' },
        { name: 'REDIS_PASSWORD', valueFrom: { secretKeyRef: { name: 'hsc-jit-redis', key: 'sentinel-password' } } },
      ]),
    );
    expect(find(prod.topology, 'ConfigMap', 'redis').data['sentinel.conf']).toMatch(
      /^sentinel monitor hsc-jit redis-0\.redis-headless\.hsc-jit-prod\.svc\.cluster\.local 6379 2$/m,
    );
    const env = find(prod.topology, 'Deployment', 'gateway').spec.template.spec.containers[0].env as Loose[];
    expect(env.find((e) => e.name === 'REDIS_SENTINELS')!.value.split(',')).toHaveLength(3);
    expect(env.find((e) => e.name === 'REDIS_SENTINEL_PASSWORD')!.valueFrom.secretKeyRef.key).toBe('sentinel-password');
    expect(env.find((e) => e.name === 'MIGRATE_ON_START')!.value).toBe('false');
    // (1024 MiB − 2 replica buffers × 64 − 16 backlog − 16 baseline) / (2 for the fork × 1.1 fragmentation)
    expect(find(prod.topology, 'ConfigMap', 'redis').data['redis.conf']).toMatch(/^maxmemory 392mb$/m);
  });

  it('network policies: every graph edge opens ingress at its target and egress at its source, on its ports', () => {
    const policy = (component: string) => find(prod.topology, 'NetworkPolicy', `allow-${component}`).spec;
    const portsOf = (rules: Loose[]) => rules.flatMap((r) => r.ports.map((p: Loose) => p.port));
    for (const edge of dependencyGraph(stacks.prod)) {
      if (isComponent(edge.to)) expect(portsOf(policy(edge.to).ingress)).toEqual(expect.arrayContaining(edge.ports));
      if (isComponent(edge.from)) expect(portsOf(policy(edge.from).egress)).toEqual(expect.arrayContaining(edge.ports));
    }
    expect([...find(prod.topology, 'NetworkPolicy', 'default-deny').spec.policyTypes].sort()).toEqual([
      'Egress',
      'Ingress',
    ]);
    expect(policy('web').egress.flatMap((r: Loose) => r.ports.map((p: Loose) => p.port))).toEqual([53, 53]); // DNS only
  });

  it('monitoring: a ServiceMonitor per metrics Service, rules from alerts/, dashboards for the Grafana sidecar', () => {
    // One per metrics Service, and a second on the Redis one for the sentinels' exporter; Postgres by PodMonitors.
    expect(prod.topology.filter((o) => o.kind === 'ServiceMonitor')).toHaveLength(4);
    expect(
      prod.topology.filter((o) => o.kind === 'PodMonitor').map((o) => (o as Loose).spec.selector.matchLabels),
    ).toEqual([
      { 'cnpg.io/cluster': 'postgres', 'cnpg.io/podRole': 'instance' },
      { 'cnpg.io/poolerName': 'postgres-pooler-rw' },
    ]);
    expect(find(prod.topology, 'PrometheusRule', 'hsc-jit').spec.groups.length).toBeGreaterThan(0);
    const dashboards = prod.topology.filter(
      (o) => o.kind === 'ConfigMap' && o.metadata.labels?.grafana_dashboard === '1',
    );
    expect(dashboards.length).toBeGreaterThan(0);
    expect(dashboards.every((d) => d.metadata.namespace === stacks.prod.monitoring.namespace)).toBe(true);
  });

  it('secrets are references only, and the Pulumi path can list exactly which', () => {
    expect(prod.topology.some((o) => o.kind === 'Secret')).toBe(false);
    expect(referencedSecrets(prod.topology).map((r) => `${r.name}/${r.key}`)).toEqual(
      expect.arrayContaining([
        'postgres-app/password',
        'hsc-jit-backup-s3/ACCESS_KEY_ID',
        'hsc-jit-backup-s3/ACCESS_SECRET_KEY',
        'hsc-jit-redis/password',
        'hsc-jit-llm/api-key',
      ]),
    );
    expect(referencedSecrets(synthObjects(stacks.dev).topology).some((r) => r.name === 'hsc-jit-llm')).toBe(false); // llm off in dev
  });

  it('argo cd: one Application per stack on its folder; compose from the dev model', () => {
    const files = renderAll().files;
    for (const stack of Object.values(stacks)) {
      const app = parse(files.get(`deploy/argocd/hsc-jit-${stack.name}.yaml`)!);
      expect([app.spec.source.path, app.spec.destination.namespace]).toEqual([`deploy/${stack.name}`, stack.namespace]);
      expect(files.get(`deploy/${stack.name}/README.md`)).toContain('```mermaid');
    }
    const compose = parse(files.get('deploy/compose.yaml')!);
    expect(compose.services.gateway.image).toBe(stacks.dev.images.gateway);
    expect(Object.keys(compose.services.gateway.depends_on)).toEqual(['postgres', 'redis']);
  });
});
