/**
 * Several stacks on one cluster: no object is written by two of them. The GitOps trees of all stacks are
 * disjoint (objects in shared namespaces and cluster-scoped ones carry the stack's name), and with the
 * cluster-wide prerequisites installed by one stack only, the Pulumi programs of two stacks register no
 * common object either. Installing them twice is caught, so the check can fail.
 */
import * as pulumi from '@pulumi/pulumi';
import { afterEach, describe, expect, it } from 'vitest';
import { stacks } from '../render/stacks.js';
import { synthObjects } from '../render/build-stack.js';
import { prerequisiteKeys } from './config.js';
import { logNamespaces } from './logging.js';
import { providedSecrets, type Registration, run } from './helpers/mocks.js';

afterEach(() => pulumi.runtime.setAllConfig({}));

const identity = (apiVersionKind: string, namespace: string | undefined, name: string) =>
  `${apiVersionKind} ${namespace ?? '(cluster)'}/${name}`;

/** What a Pulumi registration writes into the cluster (a Helm release counts as the release object). */
function written(registrations: Registration[]): string[] {
  return registrations
    .filter((r) => r.custom && r.type.startsWith('kubernetes:') && !r.type.startsWith('pulumi:'))
    .map((r) => {
      if (r.type === 'kubernetes:helm.sh/v3:Release')
        return identity('helm release', r.inputs.namespace as string, r.inputs.name as string);
      const metadata = (r.inputs.metadata ?? {}) as { name?: string; namespace?: string };
      return identity(r.type.replace(/^kubernetes:/, ''), metadata.namespace, metadata.name ?? r.name);
    });
}

function common(a: string[], b: string[]): string[] {
  const inA = new Set(a);
  return [...new Set(b.filter((x) => inA.has(x)))].sort();
}

describe('stacks sharing a cluster', () => {
  it('the rendered trees of all stacks write no object twice (shared namespaces and cluster scope included)', () => {
    const seen = new Map<string, string>();
    const clashes: string[] = [];
    for (const stack of Object.values(stacks)) {
      const { topology, gitops } = synthObjects(stack);
      for (const o of [...topology, ...gitops]) {
        const key = identity(`${o.apiVersion}:${o.kind}`, o.metadata.namespace, o.metadata.name);
        if (seen.has(key)) clashes.push(`${key}: ${seen.get(key)} and ${stack.name}`);
        seen.set(key, stack.name);
      }
    }
    expect(clashes).toEqual([]);
    // The shared monitoring namespace does hold objects of every stack: they are named apart.
    const inMonitoring = [...seen].filter(([key]) => key.includes(` ${stacks.prod.monitoring.namespace}/`));
    expect(new Set(inMonitoring.map(([, stack]) => stack))).toEqual(new Set(Object.keys(stacks)));
  });

  it('with the prerequisites installed by one stack, two Pulumi stacks register no common object', async () => {
    const first = written((await run('staging', providedSecrets)).registrations);
    const secondConfig = {
      ...providedSecrets,
      ...Object.fromEntries(Object.values(prerequisiteKeys).map((key) => [key, 'false'])),
    };
    const second = written((await run('prod', secondConfig, Object.keys(providedSecrets))).registrations);
    expect(first.filter((w) => w.startsWith('helm release')).length).toBe(7);
    expect(second.filter((w) => w.startsWith('helm release'))).toEqual([]);
    expect(common(first, second)).toEqual([]);
  });

  it('installing the prerequisites from both stacks is caught: the charts and the monitoring namespace would be written twice', async () => {
    const first = written((await run('staging', providedSecrets)).registrations);
    const second = written((await run('prod', providedSecrets)).registrations);
    const twice = common(first, second);
    expect(twice).toEqual(
      expect.arrayContaining([
        identity('helm release', 'cert-manager', 'cert-manager'),
        identity('helm release', stacks.prod.ingress.controllerNamespace, 'ingress-nginx'),
        identity('helm release', stacks.prod.monitoring.namespace, stacks.prod.monitoring.release),
        identity('helm release', stacks.prod.monitoring.namespace, 'loki'),
        identity('helm release', stacks.prod.monitoring.namespace, 'alloy'),
        identity('helm release', stacks.prod.databaseOperator.namespace, 'cloudnative-pg'),
        identity('helm release', stacks.prod.databaseOperator.namespace, 'plugin-barman-cloud'),
        identity('core/v1:Namespace', undefined, stacks.prod.monitoring.namespace),
      ]),
    );
  });

  it('the database operator follows its own flag, not the monitoring one; the plugin waits for cert-manager only when this stack installs it', async () => {
    const releases = (registrations: Registration[]) =>
      new Map(
        registrations
          .filter((r) => r.type === 'kubernetes:helm.sh/v3:Release')
          .map((r) => [r.inputs.name as string, r] as const),
      );
    const off = (...keys: (keyof typeof prerequisiteKeys)[]) =>
      Object.fromEntries(keys.map((k) => [prerequisiteKeys[k], 'false']));
    const secretKeys = Object.keys(providedSecrets);

    const operatorOnly = releases(
      (
        await run(
          'prod',
          { ...providedSecrets, ...off('monitoringStack', 'loki', 'logAgent', 'certManager') },
          secretKeys,
        )
      ).registrations,
    );
    expect([...operatorOnly.keys()].sort()).toEqual(['cloudnative-pg', 'ingress-nginx', 'plugin-barman-cloud']);
    expect(operatorOnly.get('plugin-barman-cloud')?.dependencies).toEqual([operatorOnly.get('cloudnative-pg')?.urn]);

    const withCertManager = releases((await run('prod', providedSecrets)).registrations);
    expect(withCertManager.get('plugin-barman-cloud')?.dependencies.sort()).toEqual(
      [withCertManager.get('cloudnative-pg')?.urn, withCertManager.get('cert-manager')?.urn].sort(),
    );

    const monitoringOnly = releases(
      (await run('prod', { ...providedSecrets, ...off('databaseOperator') }, secretKeys)).registrations,
    );
    expect(monitoringOnly.has(stacks.prod.monitoring.release)).toBe(true);
    expect(monitoringOnly.has('loki')).toBe(true);
    expect(monitoringOnly.has('cloudnative-pg')).toBe(false);
    expect(monitoringOnly.has('plugin-barman-cloud')).toBe(false);
  });

  it('the one log agent, installed by the stack that installs monitoring, tails every stack’s namespace', async () => {
    const alloyConfig = (registrations: Registration[]) =>
      registrations
        .filter((r) => r.type === 'kubernetes:helm.sh/v3:Release' && r.inputs.name === 'alloy')
        .map((r) => (r.inputs.values as { alloy: { configMap: { content: string } } }).alloy.configMap.content);
    const [installed] = alloyConfig((await run('staging', providedSecrets)).registrations);
    const secondConfig = {
      ...providedSecrets,
      ...Object.fromEntries(Object.values(prerequisiteKeys).map((key) => [key, 'false'])),
    };
    expect(alloyConfig((await run('prod', secondConfig, Object.keys(providedSecrets))).registrations)).toEqual([]);
    const tailed = /namespaces \{ names = \[([^\]]*)\] \}/.exec(installed ?? '')?.[1]?.match(/"[^"]+"/g);
    expect(tailed?.map((n) => JSON.parse(n) as string).sort()).toEqual(
      Object.values(stacks)
        .map((s) => s.namespace)
        .sort(),
    );
    // A stack served by another monitoring installation is not tailed by this one.
    const elsewhere = { ...stacks.prod, monitoring: { ...stacks.prod.monitoring, namespace: 'observability' } };
    expect(logNamespaces(stacks.staging, [stacks.dev, stacks.staging, elsewhere])).toEqual([
      stacks.staging.namespace,
      stacks.dev.namespace,
    ]);
  });
});
