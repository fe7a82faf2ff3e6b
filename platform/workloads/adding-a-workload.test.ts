/**
 * The recipe in docs/adding-a-workload.md, followed in a temp chart: a small Deployment built the
 * documented way (a construct on HardenedDeployment, its edge for the network policies, the chart's
 * PriorityClasses) renders with everything the platform demands of every workload and passes each schema
 * and cross-object rule the synth applies. The same container as a bare cdk8s-plus Deployment is refused
 * by those checks, naming the rules: they, not the test's own assertions, are what tell the two apart.
 */
import { App, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { stacks } from '../render/stacks.js';
import type { ImageRef, Resources } from '../../stacks/types.js';
import { imagePullPolicy, PriorityClasses, priorityClassName } from '../k8s/hygiene.js';
import { componentSelector, type StackIdentity } from '../k8s/labels.js';
import { NetworkPolicies } from '../cluster/network-policies.js';
import { withSyncWaves } from '../cluster/sync-order.js';
import { knownNamespaces } from '../validate/index.js';
import { type Loose, type Obj, selects } from '../validate/objects.js';
import { checkRules } from '../validate/rules.js';
import { validateSchema } from '../validate/schema.js';
import { HardenedDeployment } from './workload.js';

const stack = stacks.dev;
const PORT = 8080;

// Step 1 of the recipe: the construct, as platform/workloads/echo.ts would hold it.
interface EchoProps {
  /** The stack's name: labels and the priority class. */
  readonly stack: Pick<StackIdentity, 'name'>;
  readonly image: ImageRef;
  /**
   * CPU and memory.
   * @default - 10m/100m CPU, 16/64 MiB memory
   */
  readonly resources?: Resources;
}

class Echo extends Construct {
  readonly workload: HardenedDeployment;
  readonly service: kplus.Service;

  constructor(scope: Construct, id: string, props: EchoProps) {
    super(scope, id);
    this.workload = new HardenedDeployment(this, 'workload', {
      stack: props.stack,
      component: 'echo',
      replicas: 2,
      uid: 10201,
      resources: props.resources ?? { cpuMillis: { request: 10, limit: 100 }, memoryMiB: { request: 16, limit: 64 } },
      container: {
        image: props.image,
        ports: [{ number: PORT, name: 'http' }],
        liveness: kplus.Probe.fromHttpGet('/', { port: PORT }),
        readiness: kplus.Probe.fromHttpGet('/', { port: PORT }),
      },
    });
    this.service = this.workload.selectedBy(
      new kplus.Service(this, 'service', {
        metadata: { name: 'echo', labels: this.workload.labels },
        ports: [{ name: 'http', port: PORT, targetPort: PORT }],
      }),
    );
  }
}

/**
 * A chart as topology.ts assembles one (the stack's PriorityClasses, the network policies from the graph),
 * with `add` placing the workload (step 3). Step 2, the graph's edge into `echo`, is handed to
 * NetworkPolicies here as graph.ts would list it.
 */
function render(add: (chart: Chart) => void): Obj[] {
  const chart = new Chart(new App(), 'temp', { namespace: stack.namespace, disableResourceNameHashes: true });
  new PriorityClasses(chart, 'priority-classes', { stack });
  add(chart);
  new NetworkPolicies(chart, 'network', {
    stack,
    components: ['echo'],
    edges: [{ from: 'ingress-controller', to: 'echo', ports: [PORT] }],
    namespaces: {
      ingressController: stack.ingress.controllerNamespace,
      prometheus: stack.monitoring.namespace,
      databaseOperator: stack.databaseOperator.namespace,
    },
    kubernetesApiCidrs: stack.kubernetesApi.cidrs,
  });
  // Every kind it renders has a sync wave (sync-order.ts throws on one that has none).
  return withSyncWaves(chart.toJson()) as Obj[];
}

/** What the synth refuses in these objects: schemas (unknown fields too) and every cross-object rule. */
function refusals(objects: Obj[]): string[] {
  const violations = [
    ...objects.flatMap((o) => validateSchema(o)),
    ...checkRules({ objects, knownNamespaces: knownNamespaces(stack) }),
  ];
  return violations.map((v) => `[${v.rule}] ${v.object}: ${v.message}`);
}

const find = (objects: Obj[], kind: string, name: string): Loose => {
  const found = objects.find((o) => o.kind === kind && o.metadata.name === name);
  if (!found) throw new Error(`${kind}/${name} is not rendered`);
  return found;
};

describe('adding a Deployment (docs/adding-a-workload.md)', () => {
  const image = stack.images.web;

  it('renders probes, hygiene, a PDB and a network policy, and passes every check the synth applies', () => {
    const objects = render((chart) => new Echo(chart, 'echo', { stack, image }));
    expect(refusals(objects)).toEqual([]);

    const deployment = find(objects, 'Deployment', 'echo');
    const pod = deployment.spec.template.spec;
    const podLabels = deployment.spec.template.metadata.labels;
    const [container] = pod.containers;
    expect(container.livenessProbe.httpGet.port).toBe(PORT);
    expect(container.readinessProbe.httpGet.port).toBe(PORT);
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 10201 });
    expect(container.securityContext).toMatchObject({
      runAsNonRoot: true,
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
    });
    expect(container.imagePullPolicy).toBe(imagePullPolicy);
    expect(container.resources.limits['ephemeral-storage']).toBeDefined();
    expect(pod.volumes).toEqual([{ name: 'tmp', emptyDir: { sizeLimit: expect.any(String) } }]);

    expect(pod.priorityClassName).toBe(priorityClassName(stack, 'app'));
    expect(find(objects, 'PriorityClass', pod.priorityClassName).value).toBeGreaterThan(0);
    expect(pod).toMatchObject({ serviceAccountName: 'echo', automountServiceAccountToken: false });
    expect(find(objects, 'ServiceAccount', 'echo').automountServiceAccountToken).toBe(false);

    expect(selects(find(objects, 'PodDisruptionBudget', 'echo').spec.selector, podLabels)).toBe(true);
    const policy = find(objects, 'NetworkPolicy', 'allow-echo');
    expect(selects(policy.spec.podSelector, podLabels)).toBe(true);
    expect(policy.spec.ingress).toEqual([
      expect.objectContaining({
        from: [
          expect.objectContaining({ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'ingress-nginx' } } }),
        ],
        ports: [{ port: PORT, protocol: 'TCP' }],
      }),
    ]);
  });

  it('the same container as a bare cdk8s-plus Deployment is refused, naming what the recipe adds', () => {
    const objects = render((chart) => {
      const deployment = new kplus.Deployment(chart, 'echo', {
        metadata: { name: 'echo' },
        replicas: 2,
        containers: [
          {
            name: 'echo',
            image,
            ports: [{ number: PORT, name: 'http' }],
            liveness: kplus.Probe.fromHttpGet('/', { port: PORT }),
            readiness: kplus.Probe.fromHttpGet('/', { port: PORT }),
          },
        ],
      });
      // Labelled like the component, so the Service and the policy still find its pods.
      for (const [key, value] of Object.entries(componentSelector('echo'))) deployment.podMetadata.addLabel(key, value);
    });
    const refused = new Set(refusals(objects).map((r) => /^\[([\w-]+)\] Deployment\/echo:/.exec(r)?.[1]));
    for (const rule of [
      'container-hardening',
      'service-account',
      'priority-class',
      'pull-policy',
      'ephemeral-storage',
      'uid-range',
      'pdb-budget',
    ])
      expect(refused, rule).toContain(rule);
  });
});
