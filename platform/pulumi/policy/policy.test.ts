/**
 * The policy pack's validation functions on the objects the Pulumi program creates (the synthesized prod
 * topology, as typed resources): all pass as rendered, and breaking each rule is reported. No Pulumi CLI.
 */
import { describe, expect, it } from 'vitest';
import { stacks } from '../../render/stacks.js';
import { type KubeObject, synthObjects } from '../../render/build-stack.js';
import type { Loose } from '../../validate/objects.js';
import { deploymentsHavePdb, noPrivilegedPods, noPublicAdminRoute, resourcesSet } from './rules.js';

const typeOf = (o: KubeObject) =>
  `kubernetes:${o.apiVersion.includes('/') ? o.apiVersion : `core/${o.apiVersion}`}:${o.kind}`;
const resourcesOf = (objects: KubeObject[]) =>
  objects.map((o) => ({ type: typeOf(o), name: o.metadata.name, props: structuredClone(o) as Loose }));

function violations(check: (report: (m: string) => void) => void): string[] {
  const found: string[] = [];
  check((m) => found.push(m));
  return found;
}
const perResource = (resources: ReturnType<typeof resourcesOf>, fn: typeof noPrivilegedPods) =>
  resources.flatMap((r) => violations((report) => fn(r.type, r.props, report)));

const find = (resources: ReturnType<typeof resourcesOf>, type: string, name: string) =>
  resources.find((r) => r.type.endsWith(`:${type}`) && r.name === name)!.props;

describe('CrossGuard validations', () => {
  it('every stack as synthesized passes every policy', () => {
    for (const stack of Object.values(stacks)) {
      const resources = resourcesOf(synthObjects(stack).topology);
      expect(resources.filter((r) => r.type.endsWith(':Deployment')).length).toBeGreaterThanOrEqual(3);
      expect(perResource(resources, noPrivilegedPods)).toEqual([]);
      expect(perResource(resources, resourcesSet)).toEqual([]);
      expect(violations((report) => deploymentsHavePdb(resources, report))).toEqual([]);
      expect(violations((report) => noPublicAdminRoute(resources, report))).toEqual([]);
    }
  });

  const prod = () => resourcesOf(synthObjects(stacks.prod).topology);

  it('no-privileged-pods: a privileged container, an escalating one, added capabilities, host network, root', () => {
    const resources = prod();
    const gateway = find(resources, 'Deployment', 'gateway').spec.template.spec;
    gateway.containers[0].securityContext.privileged = true;
    gateway.containers[0].securityContext.capabilities.add = ['NET_ADMIN'];
    gateway.hostNetwork = true;
    const redis = find(resources, 'StatefulSet', 'redis').spec.template.spec;
    redis.containers[0].securityContext.allowPrivilegeEscalation = true;
    const restoreCheck = find(resources, 'CronJob', 'postgres-restore-check').spec.jobTemplate.spec.template.spec;
    delete restoreCheck.securityContext.runAsNonRoot;
    delete restoreCheck.containers[0].securityContext.runAsNonRoot;
    expect(perResource(resources, noPrivilegedPods).sort()).toEqual(
      [
        'container gateway: privileged',
        'container gateway: adds capabilities NET_ADMIN',
        'shares the host network, PID or IPC namespace',
        'container redis: privilege escalation not disabled',
        'container restore-check: may run as root',
      ].sort(),
    );
  });

  it('resources-set: a container without a memory limit or a cpu request', () => {
    const resources = prod();
    delete find(resources, 'Deployment', 'web').spec.template.spec.containers[0].resources.limits.memory;
    const migration = resources.find((r) => r.type.endsWith(':Job'))!.props;
    delete migration.spec.template.spec.containers[0].resources.requests.cpu;
    expect(perResource(resources, resourcesSet).sort()).toEqual([
      'container migrate: no cpu requests',
      'container web: no memory limits',
    ]);
  });

  it('deployment-has-pdb: a replicated Deployment (by replicas or by HPA minimum) without a PDB', () => {
    const resources = prod().filter(
      (r) => !(r.type.endsWith(':PodDisruptionBudget') && ['gateway', 'web'].includes(r.name)),
    );
    expect(violations((report) => deploymentsHavePdb(resources, report)).sort()).toEqual([
      `Deployment gateway runs ${stacks.prod.gateway.autoscaling.minReplicas}+ pods without a PodDisruptionBudget`,
      `Deployment web runs ${stacks.prod.web.replicas}+ pods without a PodDisruptionBudget`,
    ]);
    // A single pod needs none (a PDB on it would block drains or protect nothing).
    find(resources, 'Deployment', 'web').spec.replicas = 1;
    expect(violations((report) => deploymentsHavePdb(resources, report))).toHaveLength(1);
  });

  it('no-public-admin-route: /api, /api/admin or a catch-all to the gateway is refused; / to the UI is not', () => {
    for (const path of ['/api', '/api/admin', '/api/admin/sessions', '/']) {
      const resources = prod();
      const rule = find(resources, 'Ingress', 'hsc-jit').spec.rules[0];
      rule.http.paths.push({
        path,
        pathType: 'Prefix',
        backend: { service: { name: 'gateway', port: { number: 8080 } } },
      });
      expect(
        violations((report) => noPublicAdminRoute(resources, report)),
        path,
      ).toEqual([`Ingress hsc-jit: path "${path}" (Prefix) on ${stacks.prod.domain} routes /api/admin to gateway`]);
    }
    const exact = prod();
    find(exact, 'Ingress', 'hsc-jit').spec.rules[0].http.paths.push({
      path: '/api',
      pathType: 'Exact',
      backend: { service: { name: 'gateway', port: { number: 8080 } } },
    });
    expect(violations((report) => noPublicAdminRoute(exact, report))).toEqual([]);
  });
});
