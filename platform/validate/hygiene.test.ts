/**
 * Workload hygiene (each workload construct states it, with the values of platform/k8s/hygiene.ts;
 * validate/rules.ts enforces it): every rule holds on every stack as rendered, and breaking each one on
 * real synth output is refused, naming the object.
 */
import { describe, expect, it } from 'vitest';
import { stacks } from '../render/stacks.js';
import { synthObjects } from '../render/build-stack.js';
import { API_ACCESS_ANNOTATION, imagePullPolicy, priorityClassName, tierOfKind } from '../k8s/hygiene.js';
import { broken, expectRefused } from './helpers/broken.js';
import { bytes } from './hygiene-rules.js';
import { findViolations } from './index.js';
import { allContainers, type Loose, type Obj, workloads } from './objects.js';

/** The pods we template ourselves; CloudNativePG renders and hardens the Cluster's and Pooler's (hygiene-rules.ts). */
const templated = (objects: Obj[]) => workloads(objects).filter((w) => !w.operator);

const digestRef = `ghcr.io/halilit/hsc-jit-web:sha-0123abc@sha256:${'a'.repeat(64)}`;

describe('pull policy: IfNotPresent, every pin carrying (or awaiting) its digest', () => {
  it('IfNotPresent on every container of every stack', () => {
    for (const stack of Object.values(stacks))
      for (const w of workloads(synthObjects(stack).topology as Obj[]))
        for (const { container } of allContainers(w.podSpec).filter(({ container }) => container.image))
          expect(container.imagePullPolicy, `${stack.name} ${w.object.metadata.name}/${container.name}`).toBe(
            imagePullPolicy,
          );
    // The CloudNativePG Cluster carries it for the instance pods the operator renders.
    const cluster = synthObjects(stacks.prod).topology.find((o) => o.kind === 'Cluster') as Obj;
    expect(cluster.spec.imagePullPolicy).toBe(imagePullPolicy);
  });

  it('an image pulled Always is refused, naming the object', () => {
    expectRefused(
      broken((find) => {
        const c = find('Deployment', 'web').spec.template.spec.containers[0];
        c.image = digestRef;
        c.imagePullPolicy = 'Always';
      }),
      'pull-policy',
      'Deployment/web',
      /imagePullPolicy Always .* expected IfNotPresent/,
    );
    expectRefused(
      broken((find) => (find('StatefulSet', 'redis').spec.template.spec.initContainers[0].imagePullPolicy = 'Always')),
      'pull-policy',
      'StatefulSet/redis',
      /container bootstrap: imagePullPolicy Always .* expected IfNotPresent/,
    );
    expectRefused(
      broken((find) => (find('Cluster', stacks.prod.postgres.clusterName).spec.imagePullPolicy = 'Always')),
      'pull-policy',
      `Cluster/${stacks.prod.postgres.clusterName}`,
      /container postgres: imagePullPolicy Always .* expected IfNotPresent/,
    );
  });
});

describe('a dedicated ServiceAccount, no API token', () => {
  it('every templated workload of every stack has its own account, token unmounted unless the account says why', () => {
    for (const stack of Object.values(stacks)) {
      const objects = synthObjects(stack).topology as Obj[];
      const pods = templated(objects).map((w) => w.podSpec);
      const names = pods.map((spec) => spec.serviceAccountName);
      expect(new Set(names).size).toBe(names.length);
      const withToken = pods.filter((spec) => spec.automountServiceAccountToken !== false);
      // Only the restore check talks to the API server (it runs kubectl against a throwaway Cluster).
      expect(withToken.map((spec) => spec.serviceAccountName)).toEqual(['postgres-restore-check']);
      for (const name of names) {
        const account: Loose | undefined = objects.find((o) => o.kind === 'ServiceAccount' && o.metadata.name === name);
        expect(account?.automountServiceAccountToken, `${stack.name} ${name}`).toBe(false);
        if (withToken.some((spec) => spec.serviceAccountName === name))
          expect(account?.metadata.annotations?.[API_ACCESS_ANNOTATION]).toMatch(/kubectl .*Cluster/);
      }
    }
  });

  it('the default account, a shared one, a missing one, or a mounted token without a reason is refused', () => {
    expectRefused(
      broken((find) => delete find('Deployment', 'web').spec.template.spec.serviceAccountName),
      'service-account',
      'Deployment/web',
      /default ServiceAccount/,
    );
    expectRefused(
      broken((find) => (find('Deployment', 'web').spec.template.spec.serviceAccountName = 'gateway')),
      'service-account',
      'Deployment/web',
      /shares ServiceAccount gateway with Deployment\/gateway/,
    );
    expectRefused(
      broken((find, o) => {
        o.topology = o.topology.filter((x) => !(x.kind === 'ServiceAccount' && x.metadata.name === 'workers'));
        find('Deployment', 'workers');
      }),
      'service-account',
      'Deployment/workers',
      /ServiceAccount workers, which is not rendered/,
    );
    const mounted = broken((find) => {
      find('StatefulSet', 'redis').spec.template.spec.automountServiceAccountToken = true;
    });
    expectRefused(mounted, 'service-account', 'StatefulSet/redis', /mounts an API token/);
    // Saying why on the account is what allows it.
    const account = mounted.topology.find((x) => x.kind === 'ServiceAccount' && x.metadata.name === 'redis') as Obj;
    Object.assign(account.metadata, { annotations: { [API_ACCESS_ANNOTATION]: 'reads its own Endpoints' } });
    expect(findViolations(mounted).filter((x) => x.rule === 'service-account')).toEqual([]);
    // The restore check's token is allowed by its reason alone.
    expectRefused(
      broken(
        (find) => delete find('ServiceAccount', 'postgres-restore-check').metadata.annotations[API_ACCESS_ANNOTATION],
      ),
      'service-account',
      'CronJob/postgres-restore-check',
      /mounts an API token/,
    );
  });
});

describe('ephemeral storage', () => {
  it('every container has ephemeral-storage requests and limits, every emptyDir a sizeLimit, in every stack', () => {
    for (const stack of Object.values(stacks))
      for (const w of templated(synthObjects(stack).topology as Obj[])) {
        for (const { container } of allContainers(w.podSpec)) {
          expect(bytes(container.resources.requests['ephemeral-storage'])).toBeGreaterThan(0);
          expect(bytes(container.resources.limits['ephemeral-storage'])).toBeGreaterThan(0);
        }
        for (const volume of w.podSpec.volumes ?? [])
          if (volume.emptyDir) expect(bytes(volume.emptyDir.sizeLimit), volume.name).toBeGreaterThan(0);
      }
  });

  it('a container without them, an unbounded emptyDir, or emptyDirs larger than the limits is refused', () => {
    expectRefused(
      broken(
        (find) =>
          delete find('Deployment', 'gateway').spec.template.spec.containers[0].resources.limits['ephemeral-storage'],
      ),
      'ephemeral-storage',
      'Deployment/gateway',
      /container gateway: no ephemeral-storage limits/,
    );
    expectRefused(
      broken(
        (find) =>
          delete find('CronJob', 'postgres-restore-check').spec.jobTemplate.spec.template.spec.containers[0].resources
            .requests['ephemeral-storage'],
      ),
      'ephemeral-storage',
      'CronJob/postgres-restore-check',
      /no ephemeral-storage requests/,
    );
    expectRefused(
      broken((find) => delete find('Deployment', 'web').spec.template.spec.volumes[0].emptyDir.sizeLimit),
      'ephemeral-storage',
      'Deployment/web',
      /emptyDir tmp: no sizeLimit/,
    );
    expectRefused(
      broken((find) => (find('Deployment', 'web').spec.template.spec.volumes[0].emptyDir.sizeLimit = '4Gi')),
      'ephemeral-storage',
      'Deployment/web',
      /emptyDirs may hold 4294967296 bytes, more than the containers' ephemeral-storage limits/,
    );
  });

  it('reads Kubernetes quantities', () => {
    expect([bytes('256Mi'), bytes('1Gi'), bytes('500M'), bytes('1.5Ki'), bytes(1024)]).toEqual([
      256 * 2 ** 20,
      2 ** 30,
      5e8,
      1536,
      1024,
    ]);
    expect(bytes('lots')).toBeUndefined();
  });
});

describe('priority by tier: data > app > batch', () => {
  it('every workload names its stack’s class for its tier, and the values are ordered', () => {
    for (const stack of Object.values(stacks)) {
      const objects = synthObjects(stack).topology as Obj[];
      for (const w of workloads(objects))
        expect(w.podSpec.priorityClassName).toBe(priorityClassName(stack, tierOfKind[w.object.kind]!));
      const value = (tier: 'data' | 'app' | 'batch') =>
        objects.find((o) => o.kind === 'PriorityClass' && o.metadata.name === priorityClassName(stack, tier))!.value;
      expect(value('data')).toBeGreaterThan(value('app'));
      expect(value('app')).toBeGreaterThan(value('batch'));
    }
  });

  it('a missing class, an unrendered one, or a tier above the one it must stay below is refused', () => {
    expectRefused(
      broken((find) => delete find('Deployment', 'workers').spec.template.spec.priorityClassName),
      'priority-class',
      'Deployment/workers',
      /no priorityClassName/,
    );
    expectRefused(
      broken(
        (find) => (find('Deployment', 'workers').spec.template.spec.priorityClassName = 'system-cluster-critical'),
      ),
      'priority-class',
      'Deployment/workers',
      /system-cluster-critical is not rendered/,
    );
    expectRefused(
      broken(
        (find) =>
          (find('CronJob', 'postgres-restore-check').spec.jobTemplate.spec.template.spec.priorityClassName =
            'hsc-jit-prod-data'),
      ),
      'priority-class',
      'CronJob/postgres-restore-check',
      /batch tier priority 300000 is not below the data tier's 300000/,
    );
    expectRefused(
      broken((find) => (find('PriorityClass', 'hsc-jit-prod-app').value = 400_000)),
      'priority-class',
      'Deployment/gateway',
      /app tier priority 400000 is not below the data tier's 300000/,
    );
    expectRefused(
      broken((find) => delete find('Cluster', stacks.prod.postgres.clusterName).spec.priorityClassName),
      'priority-class',
      `Cluster/${stacks.prod.postgres.clusterName}`,
      /no priorityClassName/,
    );
  });
});

describe('UIDs at or above 10000', () => {
  it('every container we template runs at uid >= 10000', () => {
    for (const stack of Object.values(stacks))
      for (const w of templated(synthObjects(stack).topology as Obj[]))
        for (const { container } of allContainers(w.podSpec)) {
          const uid = container.securityContext?.runAsUser ?? w.podSpec.securityContext?.runAsUser;
          expect(uid, `${w.object.metadata.name}/${container.name}`).toBeGreaterThanOrEqual(10_000);
        }
  });

  it('a low uid on an image that allows any is refused, at pod or container level', () => {
    expectRefused(
      broken((find) => (find('Deployment', 'web').spec.template.spec.securityContext.runAsUser = 101)),
      'uid-range',
      'Deployment/web',
      /container web: runs as uid 101, below 10000/,
    );
    expectRefused(
      broken((find) => {
        const containers = find('StatefulSet', 'redis').spec.template.spec.containers;
        containers.find((c: Obj) => c.name === 'sentinel').securityContext.runAsUser = 999;
      }),
      'uid-range',
      'StatefulSet/redis',
      /container sentinel: runs as uid 999/,
    );
  });
});
