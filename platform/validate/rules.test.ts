/**
 * Each validation rule, broken on real synth output (prod), is reported naming the object, and the synth
 * refuses (validateObjects throws SynthError). The unbroken output passes every rule.
 */
import { describe, expect, it } from 'vitest';
import { stacks } from '../render/stacks.js';
import { synthObjects } from '../render/build-stack.js';
import { broken, expectRefused } from './helpers/broken.js';
import { findViolations, scanForSecrets } from './index.js';
import { isPinnedImage } from './rules.js';
import type { Loose } from './objects.js';

describe('validation rules', () => {
  it('every stack passes as rendered', () => {
    for (const stack of Object.values(stacks)) expect(findViolations(synthObjects(stack))).toEqual([]);
  });

  it('schema: a wrong type is refused', () => {
    expectRefused(
      broken((find) => (find('Deployment', 'gateway').spec.replicas = 'two')),
      'schema',
      'Deployment/gateway',
      /replicas/,
    );
  });

  it('unknown-field: a misspelt field is refused, also deep inside and on CRDs', () => {
    expectRefused(
      broken((find) => (find('Deployment', 'gateway').spec.template.spec.containers[0].livenesProbe = {})),
      'unknown-field',
      'Deployment/gateway',
      /containers\/0\/livenesProbe/,
    );
    expectRefused(
      broken((find) => (find('ServiceMonitor', 'gateway').spec.endpoints[0].intervall = '5s')),
      'unknown-field',
      'ServiceMonitor/gateway',
      /intervall/,
    );
    // CloudNativePG's and the Barman Cloud Plugin's resources: against the vendored CRDs' OpenAPI schemas.
    expectRefused(
      broken((find) => (find('Cluster', 'postgres').spec.postgresql.synchronus = { number: 1 })),
      'unknown-field',
      'Cluster/postgres',
      /\/spec\/postgresql\/synchronus is not a field of postgresql.cnpg.io\/v1\/Cluster/,
    );
    expectRefused(
      broken((find) => (find('ScheduledBackup', 'postgres-daily').spec.method = 'snapshot')),
      'schema',
      'ScheduledBackup/postgres-daily',
      /\/spec\/method: must be equal to one of the allowed values/,
    );
    expectRefused(
      broken((find) => delete find('ObjectStore', 'postgres-backups').spec.configuration.destinationPath),
      'schema',
      'ObjectStore/postgres-backups',
      /destinationPath/,
    );
    expectRefused(
      broken((find) => (find('Pooler', 'postgres-pooler-rw').spec.instances = 'two')),
      'schema',
      'Pooler/postgres-pooler-rw',
      /instances: must be integer/,
    );
    expectRefused(
      broken((_, o) => ((o.gitops.find((g) => g.kind === 'Application') as Loose).spec.source.branch = 'main')),
      'unknown-field',
      'Application/hsc-jit-prod',
      /\/spec\/source\/branch is not a field of argoproj\.io\/v1alpha1\/Application/,
    );
    expectRefused(
      broken((_, o) => ((o.gitops.find((g) => g.kind === 'AppProject') as Loose).spec.sourceRepo = ['*'])),
      'unknown-field',
      'AppProject/hsc-jit-prod',
      /\/spec\/sourceRepo is not a field of argoproj\.io\/v1alpha1\/AppProject/,
    );
    // The Argo CD models' validators never read `description` (their generator drops it): checked by hand.
    expectRefused(
      broken((_, o) => ((o.gitops.find((g) => g.kind === 'AppProject') as Loose).spec.description = 42)),
      'schema',
      'AppProject/hsc-jit-prod',
      /\/spec\/description has the wrong type/,
    );
  });

  it('pdb-budget: a PDB that allows no disruption, or every one, is refused', () => {
    expectRefused(
      broken(
        (find) =>
          (find('PodDisruptionBudget', 'gateway').spec = {
            ...find('PodDisruptionBudget', 'gateway').spec,
            maxUnavailable: undefined,
            minAvailable: 2,
          }),
      ),
      'pdb-budget',
      'PodDisruptionBudget/gateway',
      /allows no voluntary disruption/,
    );
    expectRefused(
      broken((find) => (find('PodDisruptionBudget', 'redis').spec.maxUnavailable = 3)),
      'pdb-budget',
      'PodDisruptionBudget/redis',
      /could take every pod/,
    );
    expectRefused(
      broken(
        (_, o) =>
          (o.topology = o.topology.filter((x) => !(x.kind === 'PodDisruptionBudget' && x.metadata.name === 'workers'))),
      ),
      'pdb-budget',
      'Deployment/workers',
      /without a PodDisruptionBudget/,
    );
  });

  it('grace-period: preStop + drain must end before SIGKILL', () => {
    expectRefused(
      broken((find) => (find('Deployment', 'gateway').spec.template.spec.terminationGracePeriodSeconds = 25)),
      'grace-period',
      'Deployment/gateway',
      /preStop 5 s \+ drain 20 s/,
    );
  });

  it('sentinel-quorum: the quorum must be a majority of the sentinels that run', () => {
    expectRefused(
      broken(
        (find) =>
          (find('ConfigMap', 'redis').data['sentinel.conf'] = find('ConfigMap', 'redis').data['sentinel.conf'].replace(
            / 6379 2$/m,
            ' 6379 1',
          )),
      ),
      'sentinel-quorum',
      'ConfigMap/redis',
      /quorum 1 is not a majority of the 3/,
    );
    expectRefused(
      broken((find) => (find('StatefulSet', 'redis').spec.replicas = 5)),
      'sentinel-quorum',
      'ConfigMap/redis',
      /quorum 2 is not a majority of the 5/,
    );
  });

  it('redis-memory-headroom: maxmemory must leave the fork, replica buffers and overhead room under the limit', () => {
    // The previous sizing: 70 % of a 1 GiB limit, no room for a copy-on-write fork.
    const conf = (find: (kind: string, name: string) => Loose) => find('ConfigMap', 'redis').data;
    expectRefused(
      broken(
        (find) => (conf(find)['redis.conf'] = conf(find)['redis.conf'].replace(/^maxmemory .*$/m, 'maxmemory 716mb')),
      ),
      'redis-memory-headroom',
      'StatefulSet/redis',
      /container redis: memory limit 1024 MiB < 1736 MiB needed for maxmemory 716 MiB/,
    );
    expectRefused(
      broken((find) => (conf(find)['redis.conf'] = conf(find)['redis.conf'].replace(/^maxmemory .*$/m, ''))),
      'redis-memory-headroom',
      'ConfigMap/redis',
      /sets no maxmemory/,
    );
    expectRefused(
      broken(
        (find) =>
          (conf(find)['redis.conf'] = conf(find)['redis.conf'].replace(
            /^client-output-buffer-limit replica .*$/m,
            'client-output-buffer-limit replica 0 0 0',
          )),
      ),
      'redis-memory-headroom',
      'ConfigMap/redis',
      /no bounded "client-output-buffer-limit replica"/,
    );
    // More replicas, more buffers on the master: five nodes no longer fit the rendered maxmemory.
    expectRefused(
      broken((find) => (find('StatefulSet', 'redis').spec.replicas = 7)),
      'redis-memory-headroom',
      'StatefulSet/redis',
      /memory limit 1024 MiB < \d+ MiB/,
    );
  });

  it('service-selects-pods: a Service selecting nothing is refused', () => {
    expectRefused(
      broken((find) => (find('Service', 'web').spec.selector = { 'app.kubernetes.io/component': 'webs' })),
      'service-selects-pods',
      'Service/web',
      /matches the pods of no workload/,
    );
  });

  it('network-policy-peers: peers must exist, namespaces be known, ports be listened on', () => {
    expectRefused(
      broken(
        (find) =>
          (find('NetworkPolicy', 'allow-gateway').spec.egress[0].to[0].podSelector.matchLabels[
            'app.kubernetes.io/component'
          ] = 'redis-cluster'),
      ),
      'network-policy-peers',
      'NetworkPolicy/allow-gateway',
      /selects no pods/,
    );
    expectRefused(
      broken(
        (find) =>
          (find('NetworkPolicy', 'allow-web').spec.ingress[0].from[0].namespaceSelector.matchLabels[
            'kubernetes.io/metadata.name'
          ] = 'nginx'),
      ),
      'network-policy-peers',
      'NetworkPolicy/allow-web',
      /namespace "nginx"/,
    );
    expectRefused(
      broken((find) => (find('NetworkPolicy', 'allow-redis').spec.ingress[0].ports[0].port = 6380)),
      'network-policy-peers',
      'NetworkPolicy/allow-redis',
      /port 6380/,
    );
  });

  it('container-hardening: requests, limits, probes and the restricted context on every container', () => {
    expectRefused(
      broken((find) => delete find('StatefulSet', 'redis').spec.template.spec.containers[2].resources.limits.memory),
      'container-hardening',
      'StatefulSet/redis',
      /container exporter: no memory limit/,
    );
    expectRefused(
      broken((find) => delete find('Deployment', 'web').spec.template.spec.containers[0].readinessProbe),
      'container-hardening',
      'Deployment/web',
      /no readinessProbe/,
    );
    expectRefused(
      broken(
        (find) =>
          (find('StatefulSet', 'redis').spec.template.spec.containers[0].securityContext.readOnlyRootFilesystem =
            false),
      ),
      'container-hardening',
      'StatefulSet/redis',
      /writable root filesystem/,
    );
    expectRefused(
      broken(
        (find) =>
          (find('Deployment', 'workers').spec.template.spec.containers[0].securityContext.capabilities.drop = []),
      ),
      'container-hardening',
      'Deployment/workers',
      /capabilities not all dropped/,
    );
  });

  it('container-hardening on a CronJob: probes are not required (its pods run to completion), everything else is', () => {
    const check = (o: Loose) => o.spec.jobTemplate.spec.template.spec.containers[0];
    const CRON = 'postgres-restore-check';
    const rendered = synthObjects(stacks.prod);
    const cron = rendered.topology.find((o) => o.kind === 'CronJob' && o.metadata.name === CRON) as Loose;
    expect([check(cron).livenessProbe, check(cron).readinessProbe]).toEqual([undefined, undefined]);
    expect(findViolations(rendered).filter((v) => v.object === `CronJob/${CRON}`)).toEqual([]);
    expectRefused(
      broken((find) => delete check(find('CronJob', CRON)).resources.limits.cpu),
      'container-hardening',
      `CronJob/${CRON}`,
      /container restore-check: no cpu limit/,
    );
    expectRefused(
      broken((find) => (check(find('CronJob', CRON)).securityContext.readOnlyRootFilesystem = false)),
      'container-hardening',
      `CronJob/${CRON}`,
      /writable root filesystem/,
    );
    expectRefused(
      broken((find) => (check(find('CronJob', CRON)).image = 'alpine/k8s:latest')),
      'image-pinned',
      `CronJob/${CRON}`,
      /not pinned/,
    );
    // The CronJob's pods are peers like any other: a policy selecting a misspelt label is still refused.
    expectRefused(
      broken(
        (find) =>
          (find('NetworkPolicy', 'allow-postgres-restore-check').spec.podSelector.matchLabels[
            'app.kubernetes.io/component'
          ] = 'restore-check'),
      ),
      'network-policy-peers',
      'NetworkPolicy/allow-postgres-restore-check',
      /selects no pods/,
    );
  });

  it('operator-run pods (CloudNativePG Cluster, Pooler) count as pods: policies must select them, ports must be theirs, images pinned', () => {
    // The operator's pods carry the labels CloudNativePG guarantees (postgres/operator-contract.ts), nothing else.
    expectRefused(
      broken(
        (find) =>
          (find('NetworkPolicy', 'allow-postgres-pooler').spec.podSelector = {
            matchLabels: { 'cnpg.io/poolerName': 'postgres-pooler-ro' },
          }),
      ),
      'network-policy-peers',
      'NetworkPolicy/allow-postgres-pooler',
      /selects no pods/,
    );
    expectRefused(
      broken((find) => (find('NetworkPolicy', 'allow-postgres').spec.ingress[0].ports[0].port = 5433)),
      'network-policy-peers',
      'NetworkPolicy/allow-postgres',
      /port 5433/,
    );
    expectRefused(
      broken((find) => (find('Cluster', 'postgres').spec.imageName = 'ghcr.io/cloudnative-pg/postgresql:15')),
      'image-pinned',
      'Cluster/postgres',
      /not pinned/,
    );
    // The Pooler gets no PDB from the operator: ours is required.
    expectRefused(
      broken(
        (_, o) =>
          (o.topology = o.topology.filter(
            (x) => !(x.kind === 'PodDisruptionBudget' && x.metadata.name === 'postgres-pooler-rw'),
          )),
      ),
      'pdb-budget',
      'Pooler/postgres-pooler-rw',
      /without a PodDisruptionBudget/,
    );
  });

  it('image-pinned: mutable tags are refused', () => {
    expect(
      ['redis:7', 'redis', 'redis:latest', 'ghcr.io/x/y:main', 'localhost:5000/app'].filter(isPinnedImage),
    ).toEqual([]);
    const pinned = [
      'redis:7.2.5-bookworm',
      'oliver006/redis_exporter:v1.62.0',
      'postgres:15.8-bookworm',
      'ghcr.io/x/y:sha-0123abc',
      `ghcr.io/x/y@sha256:${'a'.repeat(64)}`,
    ];
    expect(pinned.filter(isPinnedImage)).toEqual(pinned);
    expectRefused(
      broken(
        (find) =>
          (find('Deployment', 'web').spec.template.spec.containers[0].image = 'ghcr.io/halilit/hsc-jit-web:latest'),
      ),
      'image-pinned',
      'Deployment/web',
      /not pinned/,
    );
  });

  it('no-secret-values: no Secret objects, no literal secret env, no credentials in any file', () => {
    expectRefused(
      broken((_, o) =>
        o.topology.push({
          apiVersion: 'v1',
          kind: 'Secret',
          metadata: { name: 'leak' },
          stringData: { a: 'b' },
        } as never),
      ),
      'no-secret-values',
      'Secret/leak',
      /Pulumi path/,
    );
    expectRefused(
      broken((find) =>
        find('Deployment', 'gateway').spec.template.spec.containers[0].env.push({
          name: 'REDIS_PASSWORD',
          value: 'hunter22',
        }),
      ),
      'no-secret-values',
      'Deployment/gateway',
      /REDIS_PASSWORD carries a value/,
    );
    // A URL is fine without credentials (the database URLs are), refused with a password, whatever its name.
    expectRefused(
      broken((find) =>
        find('Deployment', 'workers').spec.template.spec.containers[0].env.push({
          name: 'UPSTREAM',
          value: 'postgresql://hsc_jit:hunter22@postgres-rw:5432/hsc_jit',
        }),
      ),
      'no-secret-values',
      'Deployment/workers',
      /UPSTREAM carries a value/,
    );
    const files = new Map([
      ['a.yaml', 'url: postgres://app:s3cret@db:5432/x'],
      ['b.conf', 'requirepass hunter22'],
      ['c.sh', 'echo "requirepass \\"$REDIS_PASSWORD\\""'],
      ['d.yaml', 'POSTGRES_PASSWORD: "abcd1234"'],
    ]);
    expect(scanForSecrets(files).map((v) => v.object)).toEqual(['a.yaml', 'b.conf', 'd.yaml']);
  });

  it('metrics-internal: routing any path to the scraped (internal) port of a Service is refused', () => {
    for (const index of [0, 1]) {
      expectRefused(
        broken((find) => {
          const path = find('Ingress', 'hsc-jit').spec.rules[0].http.paths[index];
          path.backend.service = { name: 'gateway', port: { number: 9465 } };
        }),
        'metrics-internal',
        'Ingress/hsc-jit',
        /routes the scraped \(internal\) port 9465 of Service gateway/,
      );
    }
  });
});
