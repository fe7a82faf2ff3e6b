/**
 * What the topology needs from the cluster before it can be applied, installed from the upstream Helm
 * charts: kube-prometheus-stack (the prometheus-operator CRDs behind ServiceMonitor and PrometheusRule,
 * plus Prometheus, Alertmanager and Grafana with its dashboard sidecar), cert-manager (its CRDs and the
 * ClusterIssuer the Ingress names), CloudNativePG with the Barman Cloud Plugin (the Postgres operator, its
 * backup plugin and their CRDs) and, unless the cluster has one, ingress-nginx. Chart versions are
 * pinned here and move by pull request.
 */
import * as k8s from '@pulumi/kubernetes';
import type * as pulumi from '@pulumi/pulumi';
import type { StackConfig } from '../../stacks/types.js';
import type { AcmeSettings, PrerequisiteName } from './config.js';
import { kubeStateMetricsValues } from '../cluster/postgres/state-metrics.js';

export const charts = {
  kubePrometheusStack: {
    chart: 'kube-prometheus-stack',
    version: '65.3.2',
    repo: 'https://prometheus-community.github.io/helm-charts',
  },
  certManager: {
    chart: 'cert-manager',
    version: 'v1.19.4',
    repo: 'https://charts.jetstack.io',
    namespace: 'cert-manager',
  },
  ingressNginx: { chart: 'ingress-nginx', version: '4.14.4', repo: 'https://kubernetes.github.io/ingress-nginx' },
  /** CloudNativePG 1.30.0: the operator and the CRDs in platform/crds/ (postgresql.cnpg.io). */
  cloudnativePg: { chart: 'cloudnative-pg', version: '0.29.0', repo: 'https://cloudnative-pg.github.io/charts' },
  /** Barman Cloud Plugin v0.14.0: the ObjectStore CRD and the plugin CloudNativePG calls for WAL archiving and backups. */
  barmanCloud: { chart: 'plugin-barman-cloud', version: '0.8.0', repo: 'https://cloudnative-pg.github.io/charts' },
} as const;

/** The Secret kube-prometheus-stack's Grafana reads its admin login from (grafana.admin.existingSecret). */
export const grafanaAdminSecret = {
  name: 'grafana-admin',
  userKey: 'admin-user',
  passwordKey: 'admin-password',
} as const;

export function grafanaHost(stack: StackConfig): string {
  return `grafana.${stack.domain}`;
}

export interface Prerequisites {
  /** Everything a ServiceMonitor, a PrometheusRule or a dashboard ConfigMap needs first. */
  monitoring: pulumi.Resource[];
  /** Everything the stack's Ingress needs first (controller, cert-manager, the issuer). */
  ingress: pulumi.Resource[];
  /** Everything a CloudNativePG or Barman Cloud custom resource needs first (the operator, the plugin, their CRDs). */
  database: pulumi.Resource[];
}

/** Options that place a resource in one of the program's components (components.ts). */
export type Placement = pulumi.CustomResourceOptions;

export interface PrerequisiteProps {
  stack: StackConfig;
  provider: k8s.Provider;
  /** Where the cluster-wide charts go, and where the monitoring stack goes. */
  placement: { prerequisites: Placement; monitoring: Placement };
  grafanaAdminPassword: pulumi.Output<string>;
  /** Which of the cluster-wide prerequisites this stack installs (config.ts prerequisiteKeys). */
  install: Record<PrerequisiteName, boolean>;
  acme?: AcmeSettings;
}

export function installPrerequisites(props: PrerequisiteProps): Prerequisites {
  const { stack, provider } = props;
  const opts = { provider, ...props.placement.prerequisites };

  const ingress: pulumi.Resource[] = [];
  const certManager = props.install.certManager
    ? new k8s.helm.v3.Release(
        'cert-manager',
        {
          name: 'cert-manager',
          chart: charts.certManager.chart,
          version: charts.certManager.version,
          repositoryOpts: { repo: charts.certManager.repo },
          namespace: charts.certManager.namespace,
          createNamespace: true,
          values: { crds: { enabled: true } },
        },
        opts,
      )
    : undefined;
  if (certManager) ingress.push(certManager);
  if (props.acme) {
    // A ClusterIssuer is a cert-manager custom resource: it cannot be created before the chart's CRDs.
    ingress.push(
      new k8s.apiextensions.CustomResource(
        'cluster-issuer',
        {
          apiVersion: 'cert-manager.io/v1',
          kind: 'ClusterIssuer',
          metadata: { name: stack.tls.clusterIssuer },
          spec: {
            acme: {
              email: props.acme.email,
              server: props.acme.server,
              privateKeySecretRef: { name: `${stack.tls.clusterIssuer}-account-key` },
              solvers: [{ http01: { ingress: { ingressClassName: stack.ingress.className } } }],
            },
          },
        },
        // Without cert-manager of its own, the stack relies on the cluster's (its CRDs must already be there).
        { ...opts, dependsOn: certManager ? [certManager] : [] },
      ),
    );
  }
  if (props.install.ingressController) {
    ingress.push(
      new k8s.helm.v3.Release(
        'ingress-nginx',
        {
          name: 'ingress-nginx',
          chart: charts.ingressNginx.chart,
          version: charts.ingressNginx.version,
          repositoryOpts: { repo: charts.ingressNginx.repo },
          namespace: stack.ingress.controllerNamespace,
          createNamespace: true,
          values: {
            controller: { ingressClassResource: { name: stack.ingress.className }, metrics: { enabled: true } },
          },
        },
        opts,
      ),
    );
  }

  return {
    monitoring: installMonitoringStack(props, ingress),
    ingress,
    database: installDatabaseOperator(props, certManager),
  };
}

/** kube-prometheus-stack with Grafana's admin Secret, when this stack installs it (else: nothing to wait for). */
function installMonitoringStack(props: PrerequisiteProps, ingress: pulumi.Resource[]): pulumi.Resource[] {
  const { stack, provider } = props;
  if (!props.install.monitoringStack) return [];
  const opts = { provider, ...props.placement.monitoring };
  // The monitoring namespace and Grafana's admin Secret come first, so the password is a Kubernetes Secret
  // the chart references, never a Helm value.
  const monitoringNamespace = new k8s.core.v1.Namespace(
    'monitoring-namespace',
    { metadata: { name: stack.monitoring.namespace } },
    opts,
  );
  const grafanaSecret = new k8s.core.v1.Secret(
    'grafana-admin',
    {
      metadata: { name: grafanaAdminSecret.name, namespace: stack.monitoring.namespace },
      stringData: {
        [grafanaAdminSecret.userKey]: 'admin',
        [grafanaAdminSecret.passwordKey]: props.grafanaAdminPassword,
      },
    },
    { ...opts, dependsOn: [monitoringNamespace] },
  );
  const host = grafanaHost(stack);
  const kubePrometheusStack = new k8s.helm.v3.Release(
    'kube-prometheus-stack',
    {
      // Its Prometheus selects ServiceMonitors and rules by `release: <this name>`, which the topology's labels carry.
      name: stack.monitoring.release,
      chart: charts.kubePrometheusStack.chart,
      version: charts.kubePrometheusStack.version,
      repositoryOpts: { repo: charts.kubePrometheusStack.repo },
      namespace: stack.monitoring.namespace,
      createNamespace: false,
      values: {
        // Each CloudNativePG Cluster's spec.instances, for PostgresInstanceMissing.
        'kube-state-metrics': kubeStateMetricsValues(),
        grafana: {
          admin: {
            existingSecret: grafanaAdminSecret.name,
            userKey: grafanaAdminSecret.userKey,
            passwordKey: grafanaAdminSecret.passwordKey,
          },
          ingress: {
            enabled: true,
            ingressClassName: stack.ingress.className,
            annotations: { 'cert-manager.io/cluster-issuer': stack.tls.clusterIssuer },
            hosts: [host],
            tls: [{ hosts: [host], secretName: 'grafana-tls' }],
          },
          // The topology's dashboard ConfigMaps (label grafana_dashboard: "1", folder annotation) are loaded by this sidecar.
          sidecar: {
            dashboards: {
              enabled: true,
              label: 'grafana_dashboard',
              labelValue: '1',
              folderAnnotation: 'grafana-folder',
              provider: { foldersFromFilesStructure: true },
            },
          },
        },
      },
    },
    { ...opts, dependsOn: [grafanaSecret, ...ingress] },
  );
  return [kubePrometheusStack];
}

/**
 * CloudNativePG and its Barman Cloud Plugin, when this stack installs them (another stack on a shared
 * cluster may own them). The plugin registers with the operator and gets its TLS certificates from
 * cert-manager: both come first, cert-manager only when this stack installs it (else the cluster's is there).
 */
function installDatabaseOperator(
  props: PrerequisiteProps,
  certManager: k8s.helm.v3.Release | undefined,
): pulumi.Resource[] {
  const { stack, provider } = props;
  if (!props.install.databaseOperator) return [];
  const opts = { provider, ...props.placement.prerequisites };
  const operatorNamespace = stack.databaseOperator.namespace;
  const cloudnativePg = new k8s.helm.v3.Release(
    'cloudnative-pg',
    {
      name: 'cloudnative-pg',
      chart: charts.cloudnativePg.chart,
      version: charts.cloudnativePg.version,
      repositoryOpts: { repo: charts.cloudnativePg.repo },
      namespace: operatorNamespace,
      createNamespace: true,
      values: { crds: { create: true } },
    },
    opts,
  );
  const barmanCloud = new k8s.helm.v3.Release(
    'plugin-barman-cloud',
    {
      name: 'plugin-barman-cloud',
      chart: charts.barmanCloud.chart,
      version: charts.barmanCloud.version,
      repositoryOpts: { repo: charts.barmanCloud.repo },
      namespace: operatorNamespace,
      createNamespace: false,
    },
    { ...opts, dependsOn: certManager ? [cloudnativePg, certManager] : [cloudnativePg] },
  );
  return [cloudnativePg, barmanCloud];
}
