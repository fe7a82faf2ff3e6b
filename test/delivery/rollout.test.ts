/**
 * Zero-downtime rollouts follow from the objects both delivery paths apply (synthesized here, the same
 * objects as deploy/<stack>/ and the Pulumi program): maxUnavailable 0 with a surge, readiness probes
 * gating traffic, the gateway's preStop sleep and drain inside its grace period, and PDBs. The rollout
 * model then shows the consequence: a release whose pods never pass readiness never removes an old pod.
 */
import { describe, expect, it } from 'vitest';
import { synthObjects, type KubeObject } from '../../platform/render/build-stack.js';
import { stacks } from '../../platform/render/stacks.js';
import { simulateRollout } from './helpers/rollout-model.js';

interface Probe {
  httpGet?: { path: string; port: number | string };
  periodSeconds?: number;
  failureThreshold?: number;
}
interface Container {
  name: string;
  env?: Array<{ name: string; value?: string }>;
  readinessProbe?: Probe;
  livenessProbe?: Probe;
  lifecycle?: { preStop?: { exec?: { command: string[] } } };
}
interface Deployment {
  metadata: { name: string };
  spec: {
    replicas?: number;
    strategy: { type: string; rollingUpdate: { maxSurge: number | string; maxUnavailable: number | string } };
    progressDeadlineSeconds?: number;
    selector: { matchLabels: Record<string, string> };
    template: { spec: { terminationGracePeriodSeconds?: number; containers: Container[] } };
  };
}

const workloads = ['gateway', 'workers', 'web'];

describe.each(Object.values(stacks))('$name rollout settings', (stack) => {
  const objects = synthObjects(stack).topology;
  const deployments = objects.filter((o) => o.kind === 'Deployment') as unknown as Deployment[];
  const byName = (name: string) => deployments.find((d) => d.metadata.name === name)!;
  const hpa = objects.find((o) => o.kind === 'HorizontalPodAutoscaler' && o.metadata.name === 'gateway') as unknown as {
    spec: { minReplicas: number };
  };
  const replicasOf = (d: Deployment) => d.spec.replicas ?? hpa.spec.minReplicas;

  it('rolls every stateless workload with maxUnavailable 0 and a surge of at least one, within a progress deadline', () => {
    expect(deployments.map((d) => d.metadata.name).sort()).toEqual([...workloads].sort());
    for (const d of deployments) {
      expect(d.spec.strategy.type, d.metadata.name).toBe('RollingUpdate');
      expect(d.spec.strategy.rollingUpdate.maxUnavailable, d.metadata.name).toBe(0);
      expect(Number(d.spec.strategy.rollingUpdate.maxSurge), d.metadata.name).toBeGreaterThanOrEqual(1);
      expect(d.spec.progressDeadlineSeconds ?? 600, d.metadata.name).toBeGreaterThan(0);
    }
  });

  it('gates traffic on readiness: every container has an HTTP readiness probe; the gateway’s is /readyz, not its liveness path', () => {
    for (const d of deployments)
      for (const c of d.spec.template.spec.containers)
        expect(c.readinessProbe?.httpGet, `${d.metadata.name}/${c.name}`).toBeDefined();
    const gateway = byName('gateway').spec.template.spec.containers[0]!;
    expect(gateway.readinessProbe!.httpGet!.path).toBe('/readyz');
    expect(gateway.livenessProbe!.httpGet!.path).toBe('/livez');
  });

  it('drains the gateway inside its grace period: preStop sleep, then DRAIN_SECONDS, then a margin', () => {
    const pod = byName('gateway').spec.template.spec;
    const container = pod.containers[0]!;
    const preStop = container.lifecycle?.preStop?.exec?.command;
    expect(preStop).toEqual(['sleep', String(stack.gateway.preStopSeconds)]);
    const drain = Number(container.env?.find((e) => e.name === 'DRAIN_SECONDS')?.value);
    expect(drain).toBe(stack.gateway.drainSeconds);
    expect(pod.terminationGracePeriodSeconds).toBeGreaterThan(stack.gateway.preStopSeconds + drain);
    // Endpoints drop a draining pod within the readiness probe's failure window, before the preStop sleep ends.
    const probe = container.readinessProbe!;
    expect((probe.periodSeconds ?? 10) * (probe.failureThreshold ?? 3)).toBeLessThanOrEqual(
      stack.gateway.preStopSeconds + drain,
    );
  });

  it('protects replicated workloads with a PDB that still lets one pod go', () => {
    for (const d of deployments.filter((x) => replicasOf(x) >= 2)) {
      const pdb = objects.find(
        (o: KubeObject) => o.kind === 'PodDisruptionBudget' && o.metadata.name === d.metadata.name,
      ) as unknown as { spec: { maxUnavailable?: number; minAvailable?: number } } | undefined;
      expect(pdb, `PDB for ${d.metadata.name}`).toBeDefined();
      const allowed = pdb!.spec.maxUnavailable ?? replicasOf(d) - (pdb!.spec.minAvailable ?? 0);
      expect(allowed).toBeGreaterThanOrEqual(1);
      expect(allowed).toBeLessThan(replicasOf(d));
    }
  });

  it.each(workloads)(
    '%s: a release that never passes readiness keeps every old pod serving; a healthy one completes',
    (name) => {
      const d = byName(name);
      const settings = {
        replicas: replicasOf(d),
        maxSurge: Number(d.spec.strategy.rollingUpdate.maxSurge),
        maxUnavailable: Number(d.spec.strategy.rollingUpdate.maxUnavailable),
      };
      const broken = simulateRollout(settings, false);
      expect(broken.complete).toBe(false);
      expect(broken.oldLeft).toBe(settings.replicas);
      expect(Math.min(...broken.ready)).toBe(settings.replicas);
      const healthy = simulateRollout(settings, true);
      expect(healthy.complete).toBe(true);
      expect(Math.min(...healthy.ready)).toBeGreaterThanOrEqual(settings.replicas);
    },
  );
});

describe('the rollout model', () => {
  it('loses capacity when maxUnavailable allows it (so the assertions above can fail)', () => {
    const trace = simulateRollout({ replicas: 3, maxSurge: 0, maxUnavailable: 1 }, false);
    expect(Math.min(...trace.ready)).toBe(2);
    expect(trace.oldLeft).toBe(2);
  });
});
