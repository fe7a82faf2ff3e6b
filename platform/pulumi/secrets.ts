/**
 * The Kubernetes Secrets the topology references, created only here (the Pulumi path): values come from
 * encrypted stack config or from @pulumi/random, stay Outputs marked secret end to end, and are checked
 * against what the synthesized objects actually reference, so a new secretKeyRef in platform/ cannot
 * ship without its Secret.
 */
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import * as random from '@pulumi/random';
import type { KubeObject } from '../render/build-stack.js';
import { isOperatorManaged, referencedSecrets, secrets as secretNames } from '../k8s/secrets.js';
import type { StackConfig } from '../../stacks/types.js';
import { StackConfigError, type DeliveryConfig, type GeneratedSecretKey } from './config.js';

/** A generated secret, or the operator's override of it. */
export function generated(config: DeliveryConfig, key: GeneratedSecretKey): pulumi.Output<string> {
  const override = config.overrides[key];
  if (override) return pulumi.secret(override);
  // Alphanumeric: these end up inside URLs and config files, where symbols would need escaping.
  return new random.RandomPassword(key, { length: 32, special: false }).result;
}

/** Secret name → key → value, for every Secret this stack's objects can reference. */
export function secretValues(config: DeliveryConfig): Map<string, Record<string, pulumi.Output<string>>> {
  const { stack } = config;
  const values = new Map<string, Record<string, pulumi.Output<string>>>();
  // Postgres' own passwords are CloudNativePG's: it generates the app role's into `<cluster>-app`.
  values.set(secretNames.backup.name, {
    [secretNames.backup.keys.accessKeyId]: config.provided.backup.accessKeyId,
    [secretNames.backup.keys.secretAccessKey]: config.provided.backup.secretAccessKey,
  });
  values.set(secretNames.redis.name, {
    [secretNames.redis.keys.password]: generated(config, 'redisPassword'),
    [secretNames.redis.keys.sentinelPassword]: generated(config, 'redisSentinelPassword'),
  });
  if (config.provided.llmApiKey)
    values.set(secretNames.llm.name, { [secretNames.llm.keys.apiKey]: config.provided.llmApiKey });
  if (config.provided.sentryDsn)
    values.set(secretNames.sentry.name, { [secretNames.sentry.keys.dsn]: config.provided.sentryDsn });
  if (stack.features.adminApi)
    values.set(secretNames.admin.name, { [secretNames.admin.keys.token]: generated(config, 'adminToken') });
  return values;
}

/** Throws naming every (Secret, key) the objects reference that neither the program nor CloudNativePG provides. */
export function checkSecretCoverage(
  stack: StackConfig,
  objects: readonly KubeObject[],
  values: Map<string, Record<string, unknown>>,
): void {
  const clusters = objects
    .filter((o) => o.apiVersion === 'postgresql.cnpg.io/v1' && o.kind === 'Cluster')
    .map((o) => o.metadata.name);
  const missing = referencedSecrets(objects).filter(
    (ref) => values.get(ref.name)?.[ref.key] === undefined && !isOperatorManaged(ref, clusters),
  );
  if (missing.length > 0) {
    throw new StackConfigError(
      `stack "${stack.name}": the topology references secrets the Pulumi program cannot provide: ${missing.map((r) => `${r.name}/${r.key}`).join(', ')}`,
    );
  }
}

export function createSecrets(
  stack: StackConfig,
  values: Map<string, Record<string, pulumi.Output<string>>>,
  opts: { provider: k8s.Provider; dependsOn: pulumi.Resource[] },
): k8s.core.v1.Secret[] {
  return [...values.entries()].map(
    ([name, data]) =>
      new k8s.core.v1.Secret(
        `secret-${name}`,
        {
          metadata: { name, namespace: stack.namespace, labels: { 'app.kubernetes.io/managed-by': 'pulumi' } },
          type: 'Opaque',
          stringData: data,
        },
        opts,
      ),
  );
}
