/**
 * The Pulumi program under Pulumi's own mocks (no CLI, no engine, no cluster): what the engine would be
 * asked to create, with which provider and which dependencies, read from the resource monitor's requests.
 */
import * as pulumi from '@pulumi/pulumi';
import { afterEach, describe, expect, it } from 'vitest';
import type { KubeObject } from '../render/build-stack.js';
import { isOperatorManaged, referencedSecrets } from '../k8s/secrets.js';
import { stackNames, stacks } from '../render/stacks.js';
import { PROJECT, prerequisiteKeys, StackConfigError } from './config.js';
import { isMigrationJob, prerequisitesOf } from './dependencies.js';
import { LOKI_DATASOURCE_UID } from '../../dashboards/panels.js';
import { processBlock } from './log-pipeline.js';
import { loggingCharts, lokiService } from './logging.js';
import { deploy, type Deployment } from './program.js';
import { alertDefinitions } from '../../alerts/index.js';
import { external } from '../../observability/external-metrics.js';
import type { Loose } from '../validate/objects.js';
import {
  backupSecrets,
  generatedValue,
  providedSecrets,
  RANDOM_PASSWORD,
  type Registration,
  run,
} from './helpers/mocks.js';

/** The Pulumi type token @pulumi/kubernetes gives an object of this apiVersion and kind. */
function typeToken(object: KubeObject): string {
  return `kubernetes:${object.apiVersion.includes('/') ? object.apiVersion : `core/${object.apiVersion}`}:${object.kind}`;
}

function metadataOf(r: Registration): { name?: string; namespace?: string } {
  return (r.inputs.metadata ?? {}) as { name?: string; namespace?: string };
}

function registrationOf(registrations: Registration[], object: KubeObject): Registration {
  const found = registrations.filter(
    (r) =>
      r.type === typeToken(object) &&
      metadataOf(r).name === object.metadata.name &&
      metadataOf(r).namespace === object.metadata.namespace,
  );
  expect(found, `${object.kind} ${object.metadata.namespace ?? ''}/${object.metadata.name}`).toHaveLength(1);
  return found[0]!;
}

function urnOf(registrations: Registration[], type: string, name: string): string {
  const found = registrations.find((r) => r.type === type && r.name === name);
  expect(found, `${type} ${name}`).toBeDefined();
  return found!.urn;
}

const fullConfig = { ...providedSecrets };

afterEach(() => {
  pulumi.runtime.setAllConfig({});
});

async function failure(stack: string, config: Record<string, string>): Promise<Error> {
  await pulumi.runtime.setMocks(
    { newResource: (a) => ({ id: a.name, state: a.inputs }), call: (a) => a.inputs },
    PROJECT,
    stack,
    false,
  );
  pulumi.runtime.setAllConfig(
    Object.fromEntries(Object.entries(config).map(([k, v]) => [`${PROJECT}:${k}`, v])),
    Object.keys(config).map((k) => `${PROJECT}:${k}`),
  );
  let thrown: unknown;
  try {
    deploy() satisfies Deployment;
  } catch (error) {
    thrown = error;
  }
  await pulumi.runtime.disconnect();
  expect(thrown).toBeInstanceOf(StackConfigError);
  return thrown as Error;
}

describe.each(stackNames)('the Pulumi program for %s, under mocks', (name) => {
  it('turns every synthesized object into one resource of the same kind, name and namespace', async () => {
    const { deployment, registrations } = await run(name, fullConfig);
    expect(deployment.config.stack.name).toBe(name);
    for (const object of deployment.objects) registrationOf(registrations, object);
    expect(registrations.some((r) => r.type.endsWith(':Application'))).toBe(false);
  });
});

describe('the Pulumi program, under mocks', () => {
  let prod: Awaited<ReturnType<typeof run>>;

  it('turns every synthesized prod object into one resource of the same kind, name and namespace (and nothing of the GitOps path)', async () => {
    prod = await run('prod', fullConfig);
    const { deployment, registrations } = prod;
    expect(deployment.objects.length).toBeGreaterThan(30);
    for (const object of deployment.objects) registrationOf(registrations, object);
    expect(registrations.some((r) => r.type.endsWith(':Application'))).toBe(false);
    // No topology resource beyond the synthesized objects: the ConfigGroup's children are exactly them.
    const children = registrations.filter((r) => r.custom && r.urn.includes('kubernetes:yaml:ConfigGroup$'));
    // The Namespace and the migration Job are created on their own.
    expect(children).toHaveLength(deployment.objects.length - 2);
  });

  it('runs the migration Job after the Secrets it reads and before the gateway and worker Deployments', () => {
    const { deployment, registrations } = prod;
    const stack = deployment.config.stack;
    const job = registrationOf(registrations, deployment.objects.find(isMigrationJob)!);
    const secretUrns = registrations
      .filter((r) => r.type === 'kubernetes:core/v1:Secret' && metadataOf(r).namespace === stack.namespace)
      .map((r) => r.urn);
    expect(job.dependencies).toEqual(expect.arrayContaining(secretUrns));
    const appDeployments = deployment.objects.filter(
      (o) => o.kind === 'Deployment' && ['gateway', 'workers'].includes(o.metadata.name),
    );
    expect(appDeployments).toHaveLength(2);
    for (const object of appDeployments) expect(registrationOf(registrations, object).dependencies).toContain(job.urn);
    // Nothing the Job needs waits for it (no cycle), and what does not run the app image does not wait either.
    const web = registrationOf(
      registrations,
      deployment.objects.find((o) => o.kind === 'Deployment' && o.metadata.name === 'web')!,
    );
    expect(web.dependencies).not.toContain(job.urn);
  });

  it('groups every resource under one of four components, so a preview reads by component', () => {
    const { deployment, registrations } = prod;
    const stack = deployment.config.stack;
    const components = registrations.filter((r) => r.type.startsWith('hsc-jit:platform:'));
    expect(components.map((r) => `${r.type} ${r.name}`).sort()).toEqual([
      'hsc-jit:platform:App app',
      'hsc-jit:platform:Data data',
      'hsc-jit:platform:Monitoring monitoring',
      'hsc-jit:platform:Prerequisites prerequisites',
    ]);
    /** The component a resource sits in: the nearest component up its chain of parents. */
    const byUrn = new Map(registrations.map((r) => [r.urn, r]));
    const componentOf = (r: Registration): string | undefined => {
      const parent = byUrn.get(r.parent);
      if (!parent) return undefined;
      return parent.type.startsWith('hsc-jit:platform:')
        ? parent.type.slice('hsc-jit:platform:'.length)
        : componentOf(parent);
    };
    const kubernetes = registrations.filter((r) => r.custom && r.type.startsWith('kubernetes:'));
    for (const r of kubernetes) expect(componentOf(r), `${r.type} ${r.name}`).toBeDefined();
    const release = (name: string) =>
      registrations.find((r) => r.type === 'kubernetes:helm.sh/v3:Release' && r.name === name)!;
    for (const chart of ['cert-manager', 'ingress-nginx', 'cloudnative-pg', 'plugin-barman-cloud'])
      expect(componentOf(release(chart)), chart).toBe('Prerequisites');
    for (const chart of ['kube-prometheus-stack', 'loki', 'alloy'])
      expect(componentOf(release(chart)), chart).toBe('Monitoring');
    const expected: Array<[kind: string, name: string, component: string]> = [
      ['Cluster', 'postgres', 'Data'],
      ['Pooler', 'postgres-pooler-rw', 'Data'],
      ['StatefulSet', 'redis', 'Data'],
      ['Namespace', stack.namespace, 'App'],
      ['Job', 'migrate', 'App'],
      ['Deployment', 'gateway', 'App'],
      ['Deployment', 'workers', 'App'],
      ['PrometheusRule', 'hsc-jit', 'Monitoring'],
    ];
    for (const [kind, name, component] of expected) {
      const object = deployment.objects.find(
        (o) => o.kind === kind && (o.metadata.name === name || (name === 'migrate' && isMigrationJob(o))),
      );
      expect(object, `${kind} ${name}`).toBeDefined();
      expect(componentOf(registrationOf(registrations, object!)), `${kind} ${name}`).toBe(component);
    }
    for (const object of deployment.objects.filter((o) => o.apiVersion.startsWith('monitoring.coreos.com/')))
      expect(componentOf(registrationOf(registrations, object))).toBe('Monitoring');
  });

  it("has kube-state-metrics export each Cluster's spec.instances, the count PostgresInstanceMissing holds the instances to", () => {
    const { deployment, registrations } = prod;
    const values = registrations.find((r) => r.name === 'kube-prometheus-stack')!.inputs.values as Loose;
    const ksm = values['kube-state-metrics'];
    expect(ksm.customResourceState.enabled).toBe(true);
    expect(ksm.rbac.extraRules).toContainEqual({
      apiGroups: ['postgresql.cnpg.io'],
      resources: ['clusters'],
      verbs: ['list', 'watch'],
    });
    const [resource] = ksm.customResourceState.config.spec.resources;
    expect(resource.groupVersionKind).toEqual({ group: 'postgresql.cnpg.io', version: 'v1', kind: 'Cluster' });
    const metric = `${resource.metricNamePrefix}_${resource.metrics[0].name}`;
    expect(metric).toBe(external.kubeCnpgClusterSpecInstances.name);
    // The path reads the stack's instance count off the Cluster as rendered.
    const cluster = deployment.objects.find((o) => o.kind === 'Cluster' && o.metadata.name === 'postgres')!;
    const path: string[] = resource.metrics[0].each.gauge.path;
    expect(path.reduce<Loose | undefined>((node, key) => node?.[key], cluster as Loose)).toBe(
      deployment.config.stack.postgres.instances,
    );
    expect(alertDefinitions().find((a) => a.name === 'PostgresInstanceMissing')?.expr.text).toContain(metric);
  });

  it("keeps every moved resource's identity: an alias to the root, or to the former single topology group", () => {
    const { registrations } = prod;
    const byUrn = new Map(registrations.map((r) => [r.urn, r]));
    const formerGroup = `urn:pulumi:prod::${PROJECT}::kubernetes:yaml:ConfigGroup::topology`;
    const custom = registrations.filter((r) => r.custom && r.type.startsWith('kubernetes:'));
    const direct = custom.filter((r) => byUrn.get(r.parent)?.type.startsWith('hsc-jit:platform:'));
    const grouped = custom.filter((r) => byUrn.get(r.parent)?.type === 'kubernetes:yaml:ConfigGroup');
    expect(direct.map((r) => r.name)).toEqual(expect.arrayContaining(['cert-manager', 'namespace', 'migrate']));
    expect(direct.length + grouped.length).toBe(custom.length);
    for (const r of direct) expect(r.aliases, `${r.type} ${r.name}`).toContainEqual({ noParent: true });
    for (const r of grouped) expect(r.aliases, `${r.type} ${r.name}`).toContainEqual({ parentUrn: formerGroup });
  });

  it('sends every Kubernetes resource through the one explicit provider', () => {
    const { registrations } = prod;
    const provider = registrations.find((r) => r.type === 'pulumi:providers:kubernetes');
    expect(provider?.name).toBe('cluster');
    expect(String(provider?.inputs.enableServerSideApply)).toBe('true');
    const kubernetes = registrations.filter((r) => r.custom && r.type.startsWith('kubernetes:'));
    expect(kubernetes.length).toBeGreaterThan(40);
    for (const r of kubernetes)
      expect(r.provider, `${r.type} ${r.name}`).toBe(`${provider!.urn}::${provider!.name}-id`);
  });

  it('makes every CRD-dependent object depend on the chart that installs its CRD, and everything namespaced on its namespace', () => {
    const { deployment, registrations } = prod;
    const stack = deployment.config.stack;
    const kps = urnOf(registrations, 'kubernetes:helm.sh/v3:Release', 'kube-prometheus-stack');
    const certManager = urnOf(registrations, 'kubernetes:helm.sh/v3:Release', 'cert-manager');
    const ingressNginx = urnOf(registrations, 'kubernetes:helm.sh/v3:Release', 'ingress-nginx');
    const namespace = urnOf(registrations, 'kubernetes:core/v1:Namespace', 'namespace');
    const secretUrns = registrations
      .filter((r) => r.type === 'kubernetes:core/v1:Secret' && metadataOf(r).namespace === stack.namespace)
      .map((r) => r.urn);
    expect(secretUrns.length).toBeGreaterThanOrEqual(5);

    const monitoring = deployment.objects.filter((o) => o.apiVersion.startsWith('monitoring.coreos.com/'));
    expect(monitoring.map((o) => o.kind).sort()).toEqual(expect.arrayContaining(['PrometheusRule', 'ServiceMonitor']));
    for (const object of monitoring) expect(registrationOf(registrations, object).dependencies).toContain(kps);
    const dashboards = deployment.objects.filter(
      (o) => o.kind === 'ConfigMap' && o.metadata.namespace === stack.monitoring.namespace,
    );
    expect(dashboards.length).toBeGreaterThan(0);
    for (const object of dashboards) expect(registrationOf(registrations, object).dependencies).toContain(kps);

    const ingress = registrationOf(registrations, deployment.objects.find((o) => o.kind === 'Ingress')!);
    expect(ingress.dependencies).toEqual(expect.arrayContaining([certManager, ingressNginx]));
    for (const object of deployment.objects.filter((o) => o.kind === 'Deployment' || o.kind === 'StatefulSet')) {
      expect(registrationOf(registrations, object).dependencies).toEqual(
        expect.arrayContaining([namespace, ...secretUrns]),
      );
    }
    for (const object of deployment.objects.filter((o) => o.metadata.namespace === stack.namespace)) {
      expect(registrationOf(registrations, object).dependencies, `${object.kind}/${object.metadata.name}`).toContain(
        namespace,
      );
    }
    // Grafana's admin password is a Secret the chart reads, created before it.
    expect(registrations.find((r) => r.name === 'kube-prometheus-stack')!.dependencies).toContain(
      urnOf(registrations, 'kubernetes:core/v1:Secret', 'grafana-admin'),
    );
  });

  it('creates a Secret for every key the topology references, and no secret value anywhere else', async () => {
    const { deployment, registrations, outputs } = prod;
    const stack = deployment.config.stack;
    const secrets = registrations.filter((r) => r.type === 'kubernetes:core/v1:Secret');
    const operatorSecrets = referencedSecrets(deployment.objects).filter((ref) => isOperatorManaged(ref, ['postgres']));
    expect(operatorSecrets).toEqual([{ name: 'postgres-app', key: 'password' }]); // CloudNativePG creates it
    for (const ref of referencedSecrets(deployment.objects).filter((r) => !isOperatorManaged(r, ['postgres']))) {
      const secret = secrets.find(
        (r) => metadataOf(r).name === ref.name && metadataOf(r).namespace === stack.namespace,
      );
      expect(secret, `${ref.name}/${ref.key}`).toBeDefined();
      expect(Object.keys(secret!.inputs.stringData as object)).toContain(ref.key);
    }
    const generated = registrations.filter((r) => r.type === RANDOM_PASSWORD).map((r) => generatedValue(r.name));
    expect(generated.length).toBeGreaterThanOrEqual(3);
    const secretValues = [...generated, ...Object.values(providedSecrets)];
    const holders = new Set([
      ...secrets.map((r) => r.urn),
      ...registrations.filter((r) => r.type === RANDOM_PASSWORD).map((r) => r.urn),
    ]);
    for (const r of registrations.filter((r) => !holders.has(r.urn))) {
      const text = JSON.stringify(r.inputs);
      for (const value of secretValues)
        expect(text.includes(value), `${r.type} ${r.name} carries a secret value`).toBe(false);
    }
    // Plain outputs are plain and carry no secret; the one secret output stays marked secret.
    expect(outputs).toEqual({
      url: `https://${stack.domain}`,
      grafanaUrl: `https://grafana.${stack.domain}`,
      namespace: stack.namespace,
    });
    for (const key of ['url', 'grafanaUrl', 'namespace'] as const)
      expect(await pulumi.isSecret(deployment.outputs[key])).toBe(false);
    expect(await pulumi.isSecret(deployment.outputs.grafanaAdminPassword)).toBe(true);
    for (const value of secretValues) expect(JSON.stringify(outputs)).not.toContain(value);
  });

  it('installs CloudNativePG and the Barman Cloud Plugin from pinned charts before every object that needs their CRDs', () => {
    const { deployment, registrations } = prod;
    const release = (name: string) =>
      registrations.find((r) => r.type === 'kubernetes:helm.sh/v3:Release' && r.name === name)!;
    const operator = release('cloudnative-pg');
    const plugin = release('plugin-barman-cloud');
    expect([operator.inputs.chart, operator.inputs.version]).toEqual(['cloudnative-pg', '0.29.0']);
    expect([plugin.inputs.chart, plugin.inputs.version]).toEqual(['plugin-barman-cloud', '0.8.0']);
    expect(operator.inputs.namespace).toBe(deployment.config.stack.databaseOperator.namespace);
    // The plugin registers with the operator and takes its TLS certificates from cert-manager.
    expect(plugin.dependencies).toEqual(
      expect.arrayContaining([operator.urn, urnOf(registrations, 'kubernetes:helm.sh/v3:Release', 'cert-manager')]),
    );
    const crdObjects = deployment.objects.filter((o) => /\.cnpg\.io\//.test(o.apiVersion));
    expect(crdObjects.map((o) => o.kind).sort()).toEqual(['Cluster', 'ObjectStore', 'Pooler', 'ScheduledBackup']);
    for (const object of crdObjects)
      expect(registrationOf(registrations, object).dependencies, `${object.kind}/${object.metadata.name}`).toEqual(
        expect.arrayContaining([operator.urn, plugin.urn]),
      );
    // The ObjectStore reads the S3 keys from a Secret the program creates: that Secret comes first.
    const backupSecret = registrations.find(
      (r) => r.type === 'kubernetes:core/v1:Secret' && metadataOf(r).name === 'hsc-jit-backup-s3',
    )!;
    expect(backupSecret.inputs.stringData).toEqual({
      ACCESS_KEY_ID: backupSecrets.backupAccessKeyId,
      ACCESS_SECRET_KEY: backupSecrets.backupSecretAccessKey,
    });
    expect(registrationOf(registrations, crdObjects.find((o) => o.kind === 'ObjectStore')!).dependencies).toContain(
      backupSecret.urn,
    );
    // Postgres' passwords are the operator's: the program neither generates nor stores one.
    expect(registrations.some((r) => r.type === RANDOM_PASSWORD && /postgres|replication|app/i.test(r.name))).toBe(
      false,
    );
    expect(registrations.some((r) => metadataOf(r).name === 'postgres-app')).toBe(false);
  });

  it('says which backup secret is missing before declaring anything', async () => {
    const error = await failure('dev', {});
    expect(error.message).toContain(
      'missing secret config "hsc-jit:backupAccessKeyId" (Postgres backups to the object store)',
    );
  });

  it('uses an operator-set secret instead of generating one (how a rotation starts)', async () => {
    const { registrations } = await run('dev', { ...backupSecrets, redisPassword: 'rotated-redis-password-0003' });
    expect(registrations.some((r) => r.type === RANDOM_PASSWORD && r.name === 'redisPassword')).toBe(false);
    const redis = registrations.find(
      (r) => r.type === 'kubernetes:core/v1:Secret' && metadataOf(r).name === 'hsc-jit-redis',
    )!;
    expect(redis.inputs.stringData).toEqual({
      password: 'rotated-redis-password-0003',
      'sentinel-password': generatedValue('redisSentinelPassword'),
    });
    // dev has no LLM and no error reporting: nothing asks for those secrets, nothing creates them.
    expect(registrations.some((r) => metadataOf(r).name === 'hsc-jit-llm')).toBe(false);
  });

  it('creates the ClusterIssuer after cert-manager when an ACME e-mail is configured', async () => {
    const { registrations } = await run(
      'staging',
      { ...fullConfig, acmeEmail: 'ops@halilit.example' },
      Object.keys(fullConfig),
    );
    const issuer = registrations.find((r) => r.type === 'kubernetes:cert-manager.io/v1:ClusterIssuer')!;
    expect(metadataOf(issuer).name).toBe(stacks.staging.tls.clusterIssuer);
    expect(issuer.dependencies).toContain(urnOf(registrations, 'kubernetes:helm.sh/v3:Release', 'cert-manager'));
    const ingress = registrations.find((r) => r.type === 'kubernetes:networking.k8s.io/v1:Ingress')!;
    expect(ingress.dependencies).toContain(issuer.urn);
  });
});

describe('logs: Loki, the log agent and the Grafana data source, under mocks', () => {
  it('installs Loki and Alloy from pinned charts after kube-prometheus-stack, with retention per stack, and Loki as a Grafana data source', async () => {
    const retentionOf: Record<string, unknown> = {};
    for (const name of stackNames) {
      const { registrations, deployment } = await run(name, fullConfig);
      const stack = deployment.config.stack;
      const release = (n: string) => {
        const found = registrations.filter((r) => r.type === 'kubernetes:helm.sh/v3:Release' && r.name === n);
        expect(found, n).toHaveLength(1);
        return found[0]!;
      };
      const kps = release('kube-prometheus-stack');
      const loki = release('loki');
      const alloy = release('alloy');
      for (const [r, chart] of [
        [loki, loggingCharts.loki],
        [alloy, loggingCharts.alloy],
      ] as const) {
        expect(r.inputs).toMatchObject({
          chart: chart.chart,
          version: chart.version,
          repositoryOpts: { repo: chart.repo },
          namespace: stack.monitoring.namespace,
        });
        expect(chart.version).toMatch(/^\d+\.\d+\.\d+$/);
      }
      expect(loki.dependencies).toContain(kps.urn);
      expect(alloy.dependencies).toContain(loki.urn);
      const lokiConfig = (loki.inputs.values as { loki: { limits_config: Record<string, unknown> } }).loki;
      retentionOf[name] = lokiConfig.limits_config.retention_period;
      expect(lokiConfig.limits_config.allow_structured_metadata).toBe(true);
      // The agent tails every stack's namespace (this one first) and runs the generated pino pipeline.
      const content = (alloy.inputs.values as { alloy: { configMap: { content: string } } }).alloy.configMap.content;
      const others = Object.values(stacks)
        .map((s) => s.namespace)
        .filter((n) => n !== stack.namespace)
        .sort();
      expect(content).toContain(
        `namespaces { names = [${[stack.namespace, ...others].map((n) => `"${n}"`).join(', ')}] }`,
      );
      expect(content).toContain(processBlock('loki.write.loki.receiver'));
      expect(content).toContain(`${lokiService(stack)}/loki/api/v1/push`);

      const datasource = registrations.find(
        (r) => r.type === 'kubernetes:core/v1:ConfigMap' && r.name === 'grafana-datasource-loki',
      );
      if (!datasource) throw new Error('no grafana-datasource-loki ConfigMap');
      expect(datasource.inputs.metadata).toMatchObject({
        namespace: stack.monitoring.namespace,
        labels: { grafana_datasource: '1' },
      });
      const provisioned = JSON.parse((datasource.inputs.data as Record<string, string>)['loki.yaml'] ?? '') as {
        datasources: { type: string; uid: string; url: string }[];
      };
      expect(provisioned.datasources).toEqual([
        expect.objectContaining({ type: 'loki', uid: LOKI_DATASOURCE_UID, url: lokiService(stack) }),
      ]);
      expect(datasource.dependencies).toEqual(expect.arrayContaining([kps.urn, loki.urn]));
    }
    expect(retentionOf).toEqual(
      Object.fromEntries(stackNames.map((n) => [n, `${stacks[n].logs.retentionDays * 24}h`])),
    );
  });

  it('each part has its own switch: Loki (with its data source) and the log agent apart from the metrics stack', async () => {
    const releases = async (config: Record<string, string>) =>
      (await run(stackNames[0]!, { ...fullConfig, ...config }, Object.keys(fullConfig))).registrations
        .filter((r) => r.type === 'kubernetes:helm.sh/v3:Release' || r.name === 'grafana-datasource-loki')
        .map((r) => r.name)
        .filter((n) => ['kube-prometheus-stack', 'loki', 'alloy', 'grafana-datasource-loki'].includes(n))
        .sort();
    expect(await releases({})).toEqual(['alloy', 'grafana-datasource-loki', 'kube-prometheus-stack', 'loki']);
    expect(await releases({ [prerequisiteKeys.loki]: 'false' })).toEqual(['alloy', 'kube-prometheus-stack']);
    expect(await releases({ [prerequisiteKeys.logAgent]: 'false' })).toEqual([
      'grafana-datasource-loki',
      'kube-prometheus-stack',
      'loki',
    ]);
    expect(await releases({ [prerequisiteKeys.monitoringStack]: 'false' })).toEqual([
      'alloy',
      'grafana-datasource-loki',
      'loki',
    ]);
  });
});

describe('stack configuration errors', () => {
  it('names the stacks that exist when the Pulumi stack is unknown', async () => {
    expect((await failure('no-such-stack', fullConfig)).message).toContain(
      `Pulumi stack "no-such-stack" has no typed config in stacks/: unknown stack "no-such-stack": expected one of ${stackNames.join(', ')}`,
    );
  });

  it('says which secret is missing and the command that sets it', async () => {
    const error = await failure('prod', { ...backupSecrets, sentryDsn: providedSecrets.sentryDsn });
    expect(error.message).toContain('stack "prod": missing secret config "hsc-jit:llmApiKey" (features.llm is on)');
    expect(error.message).toContain('pulumi config set --secret llmApiKey <value> --stack prod');
  });

  it('refuses a malformed ACME e-mail before declaring anything', async () => {
    expect((await failure('staging', { ...fullConfig, acmeEmail: 'not-an-address' })).message).toMatch(
      /acmeEmail" is not an e-mail address/,
    );
  });
});

describe('prerequisitesOf', () => {
  const stack = stacks.prod;
  const object = (apiVersion: string, kind: string, namespace?: string): KubeObject => ({
    apiVersion,
    kind,
    metadata: { name: 'x', ...(namespace ? { namespace } : {}) },
  });

  it('sends prometheus-operator kinds to the monitoring chart, pods to their secrets, the Ingress to its controller and issuer', () => {
    expect(prerequisitesOf(object('monitoring.coreos.com/v1', 'ServiceMonitor', stack.namespace), stack)).toEqual([
      'monitoring',
      'namespace',
    ]);
    expect(prerequisitesOf(object('v1', 'ConfigMap', stack.monitoring.namespace), stack)).toEqual(['monitoring']);
    expect(prerequisitesOf(object('apps/v1', 'StatefulSet', stack.namespace), stack)).toEqual(['namespace', 'secrets']);
    expect(prerequisitesOf(object('networking.k8s.io/v1', 'Ingress', stack.namespace), stack)).toEqual([
      'ingress',
      'namespace',
    ]);
    expect(prerequisitesOf(object('v1', 'Service', stack.namespace), stack)).toEqual(['namespace']);
    expect(prerequisitesOf(object('postgresql.cnpg.io/v1', 'Cluster', stack.namespace), stack)).toEqual([
      'database',
      'namespace',
    ]);
    expect(prerequisitesOf(object('barmancloud.cnpg.io/v1', 'ObjectStore', stack.namespace), stack)).toEqual([
      'database',
      'namespace',
      'secrets',
    ]);
  });

  it('makes long-running pods of the app image wait for the migrations, and nothing else', () => {
    const withImage = (kind: string, image: string): KubeObject => ({
      ...object('apps/v1', kind, stack.namespace),
      spec: { template: { spec: { containers: [{ name: 'c', image }] } } },
    });
    expect(prerequisitesOf(withImage('Deployment', stack.images.gateway), stack)).toContain('migrations');
    expect(prerequisitesOf(withImage('Deployment', stack.images.web), stack)).not.toContain('migrations');
    expect(prerequisitesOf({ ...withImage('Job', stack.images.gateway), apiVersion: 'batch/v1' }, stack)).not.toContain(
      'migrations',
    );
  });
});
