/**
 * The CrossGuard policy pack (PulumiPolicy.yaml beside it): every rule mandatory, so `pulumi preview` and
 * `pulumi up --policy-pack platform/pulumi/policy` stop before a resource that breaks one is created.
 */
import { PolicyPack } from '@pulumi/policy';
import { deploymentsHavePdb, noPrivilegedPods, noPublicAdminRoute, resourcesSet } from './rules.js';

new PolicyPack('hsc-jit', {
  enforcementLevel: 'mandatory',
  policies: [
    {
      name: 'no-privileged-pods',
      description:
        'Pods run unprivileged: no privileged or escalating containers, no added capabilities, no host namespaces, non-root.',
      validateResource: (args, report) => noPrivilegedPods(args.type, args.props, report),
    },
    {
      name: 'resources-set',
      description: 'Every container has CPU and memory requests and limits.',
      validateResource: (args, report) => resourcesSet(args.type, args.props, report),
    },
    {
      name: 'deployment-has-pdb',
      description: 'Every Deployment that runs two or more pods has a PodDisruptionBudget.',
      validateStack: (args, report) => deploymentsHavePdb(args.resources, report),
    },
    {
      name: 'no-public-admin-route',
      description: 'No Ingress path reaches the admin API (/api/admin).',
      validateStack: (args, report) => noPublicAdminRoute(args.resources, report),
    },
  ],
});
