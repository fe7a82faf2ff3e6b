/**
 * The Pulumi stack's configuration, read once and checked before any resource is declared: the Pulumi
 * stack name selects a typed stack from stacks/, and every secret the topology needs is either set with
 * `pulumi config set --secret` or generated (random) by the program. A mistake fails with a message that
 * says which key to set and how, never with a half-built plan.
 */
import * as pulumi from '@pulumi/pulumi';
import { stackByName, stackNames } from '../render/stacks.js';
import type { StackConfig } from '../../stacks/types.js';

/** Pulumi.yaml's `name`: every config key below lives in this namespace (`hsc-jit:llmApiKey`). */
export const PROJECT = 'hsc-jit';

export class StackConfigError extends Error {
  override readonly name = 'StackConfigError';
}

/** Secrets an operator must provide (nothing sensible can be generated for them). */
export const providedSecretKeys = {
  llmApiKey: 'llmApiKey',
  sentryDsn: 'sentryDsn',
  backupAccessKeyId: 'backupAccessKeyId',
  backupSecretAccessKey: 'backupSecretAccessKey',
} as const;

/** Secrets the program generates when unset; setting one (`--secret`) overrides it, which is how a rotation starts. */
export const generatedSecretKeys = [
  'redisPassword',
  'redisSentinelPassword',
  'adminToken',
  'grafanaAdminPassword',
] as const;
export type GeneratedSecretKey = (typeof generatedSecretKeys)[number];

/** Plain (non-secret) keys the program reads. */
/**
 * The cluster-wide prerequisites, each optional per stack (`pulumi config set installCertManager false`):
 * on a cluster another stack already equips, a second stack installs none of them twice.
 */
export const prerequisiteKeys = {
  certManager: 'installCertManager',
  /** kube-prometheus-stack (Prometheus, Alertmanager, Grafana, kube-state-metrics). */
  monitoringStack: 'installMonitoringStack',
  /** Loki and its Grafana data source, apart from the metrics stack (a cluster may keep logs elsewhere). */
  loki: 'installLoki',
  /** The log agent (Grafana Alloy) shipping this stack's pod logs to Loki. */
  logAgent: 'installLogAgent',
  ingressController: 'installIngressController',
  databaseOperator: 'installDatabaseOperator',
} as const;
export type PrerequisiteName = keyof typeof prerequisiteKeys;

export const plainConfigKeys = ['kubeContext', ...Object.values(prerequisiteKeys), 'acmeEmail', 'acmeServer'] as const;
/** Keys that must only ever be set with `--secret`. */
export const secretConfigKeys = ['kubeconfig', ...Object.values(providedSecretKeys), ...generatedSecretKeys] as const;

export interface AcmeSettings {
  email: string;
  /** ACME directory; defaults to Let's Encrypt (its staging directory for an issuer named `*-staging`). */
  server: string;
}

export interface DeliveryConfig {
  stack: StackConfig;
  cluster: { kubeconfig?: pulumi.Output<string>; context?: string };
  /** Which cluster-wide prerequisites this stack installs (default: all; off where another stack or the cluster's owner does). */
  install: Record<PrerequisiteName, boolean>;
  /** Create the stack's cert-manager ClusterIssuer (ACME HTTP-01 through the ingress class); unset: it must already exist. */
  acme?: AcmeSettings;
  provided: {
    llmApiKey?: pulumi.Output<string>;
    sentryDsn?: pulumi.Output<string>;
    /** The object store's access keys for the Barman Cloud Plugin (every stack archives WAL). */
    backup: { accessKeyId: pulumi.Output<string>; secretAccessKey: pulumi.Output<string> };
  };
  /** Operator overrides of generated secrets, by key. */
  overrides: Partial<Record<GeneratedSecretKey, pulumi.Output<string>>>;
}

const LETSENCRYPT = 'https://acme-v02.api.letsencrypt.org/directory';
const LETSENCRYPT_STAGING = 'https://acme-staging-v02.api.letsencrypt.org/directory';

function requireSecret(config: pulumi.Config, stack: StackConfig, key: string, why: string): pulumi.Output<string> {
  const value = config.getSecret(key);
  if (value === undefined) {
    throw new StackConfigError(
      `stack "${stack.name}": missing secret config "${PROJECT}:${key}" (${why}). Set it with: pulumi config set --secret ${key} <value> --stack ${stack.name}`,
    );
  }
  return value;
}

/** Reads and checks the configuration of the selected Pulumi stack (default: the running one). */
export function readDeliveryConfig(
  stackName: string = pulumi.getStack(),
  config = new pulumi.Config(PROJECT),
): DeliveryConfig {
  let stack: StackConfig;
  try {
    stack = stackByName(stackName);
  } catch (error) {
    throw new StackConfigError(
      `Pulumi stack "${stackName}" has no typed config in stacks/: ${(error as Error).message}. Create it with: pulumi stack init <${stackNames.join('|')}>`,
    );
  }
  const provided: DeliveryConfig['provided'] = {
    backup: {
      accessKeyId: requireSecret(
        config,
        stack,
        providedSecretKeys.backupAccessKeyId,
        'Postgres backups to the object store',
      ),
      secretAccessKey: requireSecret(
        config,
        stack,
        providedSecretKeys.backupSecretAccessKey,
        'Postgres backups to the object store',
      ),
    },
  };
  if (stack.features.llm)
    provided.llmApiKey = requireSecret(config, stack, providedSecretKeys.llmApiKey, 'features.llm is on');
  if (stack.features.errorReporting)
    provided.sentryDsn = requireSecret(config, stack, providedSecretKeys.sentryDsn, 'features.errorReporting is on');

  const overrides: DeliveryConfig['overrides'] = {};
  for (const key of generatedSecretKeys) {
    const value = config.getSecret(key);
    if (value !== undefined) overrides[key] = value;
  }

  const email = config.get('acmeEmail');
  if (email !== undefined && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) {
    throw new StackConfigError(
      `stack "${stack.name}": "${PROJECT}:acmeEmail" is not an e-mail address: ${JSON.stringify(email)}`,
    );
  }
  const server =
    config.get('acmeServer') ?? (stack.tls.clusterIssuer.endsWith('-staging') ? LETSENCRYPT_STAGING : LETSENCRYPT);
  const kubeconfig = config.getSecret('kubeconfig');
  const context = config.get('kubeContext');
  return {
    stack,
    cluster: { ...(kubeconfig !== undefined ? { kubeconfig } : {}), ...(context !== undefined ? { context } : {}) },
    install: Object.fromEntries(
      Object.entries(prerequisiteKeys).map(([name, key]) => [name, config.getBoolean(key) ?? true]),
    ) as Record<PrerequisiteName, boolean>,
    ...(email !== undefined ? { acme: { email, server } } : {}),
    provided,
    overrides,
  };
}
