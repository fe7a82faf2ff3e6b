/**
 * The Pulumi program: the same cdk8s app `npm run synth` renders, built in-process for the selected stack
 * and handed object by object to @pulumi/kubernetes through one explicit provider. Order: prerequisites
 * (Helm charts with their CRDs) → namespace → Secrets → the migration Job (awaited until it completes) →
 * the topology, each object depending on exactly what it needs (dependencies.ts): the gateway and worker
 * Deployments wait for the migration Job, so a release never starts on a schema it does not have. The Argo CD Application is left out: it belongs to the GitOps path.
 * Every resource sits in one of four components (components.ts: prerequisites, data, app, monitoring),
 * and the topology is one ConfigGroup per component.
 */
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { synthObjects, type KubeObject } from '../render/build-stack.js';
import { readDeliveryConfig, StackConfigError, type DeliveryConfig } from './config.js';
import { MIGRATION_DEADLINE_SECONDS } from '../workloads/migrations.js';
import { isClusterScoped, isMigrationJob, prerequisitesOf, type Prerequisite } from './dependencies.js';
import { installLogging, type Logging } from './logging.js';
import { isProtected } from './protection.js';
import { grafanaHost, installPrerequisites } from './prerequisites.js';
import { checkSecretCoverage, createSecrets, generated, secretValues } from './secrets.js';
import { createTiers, tierOf, type Tiers, under } from './components.js';

export interface StackOutputs {
  url: pulumi.Output<string>;
  grafanaUrl: pulumi.Output<string>;
  namespace: pulumi.Output<string>;
  /** Marked secret: `pulumi stack output --show-secrets grafanaAdminPassword`. */
  grafanaAdminPassword: pulumi.Output<string>;
  /** The Kubernetes Secrets the program creates in the namespace (what a rotation or a restore touches). */
  secretNames: pulumi.Output<string[]>;
  /** Each dashboard's Grafana URL (the stack's own uid). */
  dashboards: pulumi.Output<Record<string, string>>;
}

export interface Deployment {
  config: DeliveryConfig;
  provider: k8s.Provider;
  objects: KubeObject[];
  tiers: Tiers;
  /** The synthesized objects of each component (the namespace and the migration Job are on their own, in app). */
  topology: Record<'data' | 'app' | 'monitoring', k8s.yaml.ConfigGroup>;
  /** Loki, the log agent and Grafana's Loki data source: each only where this stack installs it. */
  logging: Logging;
  outputs: StackOutputs;
}

export function deploy(config: DeliveryConfig = readDeliveryConfig()): Deployment {
  const { stack } = config;
  const objects = synthObjects(stack).topology;
  const values = secretValues(config);
  checkSecretCoverage(stack, objects, values);

  const provider = new k8s.Provider('cluster', {
    ...config.cluster,
    // Server-side apply: the dashboard ConfigMaps exceed the client-side last-applied annotation limit.
    enableServerSideApply: true,
  });
  const grafanaAdminPassword = generated(config, 'grafanaAdminPassword');
  const tiers = createTiers();
  const prerequisites = installPrerequisites({
    stack,
    provider,
    placement: { prerequisites: under(tiers.prerequisites), monitoring: under(tiers.monitoring) },
    grafanaAdminPassword,
    install: config.install,
    ...(config.acme ? { acme: config.acme } : {}),
  });
  // Loki and Alloy live in the shared monitoring namespace under fixed release names: on a shared cluster
  // one stack installs each (installLoki, installLogAgent), like the monitoring stack (installMonitoringStack).
  const logging = installLogging(
    stack,
    provider,
    prerequisites.monitoring,
    { loki: config.install.loki, logAgent: config.install.logAgent },
    under(tiers.monitoring),
  );

  const clusterScoped = objects.filter(isClusterScoped);
  const namespaceObject = clusterScoped.find((o) => o.kind === 'Namespace' && o.metadata.name === stack.namespace);
  const namespaces = clusterScoped.filter((o) => o.kind === 'Namespace');
  if (!namespaceObject || namespaces.length !== 1) {
    throw new StackConfigError(
      `stack "${stack.name}": expected exactly one Namespace, ${stack.namespace}; got ${namespaces.map((o) => o.metadata.name).join(', ') || 'none'}`,
    );
  }
  const namespace = new k8s.core.v1.Namespace('namespace', namespaceObject as k8s.core.v1.NamespaceArgs, {
    provider,
    ...under(tiers.app),
  });
  const secrets = createSecrets(stack, values, { provider, ...under(tiers.app), dependsOn: [namespace] });

  const needs: Record<Prerequisite, pulumi.Resource[]> = {
    namespace: [namespace],
    monitoring: prerequisites.monitoring,
    ingress: prerequisites.ingress,
    secrets,
    migrations: [],
    database: prerequisites.database,
  };
  const dependsOn = (object: KubeObject) => prerequisitesOf(object, stack).flatMap((p) => needs[p]);
  const migration = objects.find(isMigrationJob);
  if (migration) {
    // The Job's pod template changes with every image, so each release replaces (reruns) it; Pulumi
    // awaits its completion, and a failed Job fails `pulumi up` before any Deployment changes.
    const timeout = `${Math.ceil(MIGRATION_DEADLINE_SECONDS / 60) + 5}m`;
    needs.migrations.push(
      new k8s.batch.v1.Job('migrate', structuredClone(migration) as k8s.batch.v1.JobArgs, {
        provider,
        ...under(tiers.app),
        dependsOn: dependsOn(migration),
        deleteBeforeReplace: true,
        customTimeouts: { create: timeout, update: timeout },
      }),
    );
  }
  // The objects used to be children of one root-level ConfigGroup, "topology": each keeps that identity.
  const formerGroup = pulumi.createUrn('topology', 'kubernetes:yaml:ConfigGroup');
  const separate = objects.filter((o) => o !== namespaceObject && !isMigrationJob(o));
  const group = (tier: 'data' | 'app' | 'monitoring') =>
    new k8s.yaml.ConfigGroup(
      `${tier}-objects`,
      {
        // Copies: transformations may not touch the synthesized objects, which other code still reads.
        objs: separate.filter((o) => tierOf(o, stack) === tier).map((o) => structuredClone(o)),
        transformations: [
          (object: KubeObject, opts: pulumi.CustomResourceOptions) => {
            opts.dependsOn = dependsOn(object);
            opts.aliases = [{ parent: formerGroup }];
            if (isProtected(object, stack)) opts.protect = true;
          },
        ],
      },
      { provider, parent: tiers[tier], dependsOn: [namespace] },
    );
  const topology = { data: group('data'), app: group('app'), monitoring: group('monitoring') };

  return {
    config,
    provider,
    objects,
    tiers,
    topology,
    logging,
    outputs: {
      url: pulumi.output(`https://${stack.domain}`),
      grafanaUrl: pulumi.output(`https://${grafanaHost(stack)}`),
      namespace: namespace.metadata.name,
      grafanaAdminPassword: pulumi.secret(grafanaAdminPassword),
      secretNames: pulumi.output([...values.keys()].sort()),
      dashboards: pulumi.output(
        Object.fromEntries(
          objects
            .filter((o) => o.kind === 'ConfigMap' && o.metadata.labels?.grafana_dashboard === '1')
            .map((o) => [o.metadata.name, `https://${grafanaHost(stack)}/d/${o.metadata.name}`]),
        ),
      ),
    },
  };
}
