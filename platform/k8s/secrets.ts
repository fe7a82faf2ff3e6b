/**
 * Secrets are references: objects name a Secret and a key, never a value. The Pulumi program (issue 6)
 * creates exactly these Secrets from encrypted config; `referencedSecrets()` reads them back from the
 * synthesized objects so the two can never disagree. The database password is not among them:
 * CloudNativePG creates and manages `<cluster>-app` itself (`isOperatorManaged`).
 */
import { APP } from './labels.js';

export const secrets = {
  /** The object store's access keys, as the Barman Cloud Plugin's ObjectStore reads them. */
  backup: { name: `${APP}-backup-s3`, keys: { accessKeyId: 'ACCESS_KEY_ID', secretAccessKey: 'ACCESS_SECRET_KEY' } },
  /** The data nodes' password, and the sentinels' own (`requirepass` on the sentinels). */
  redis: { name: `${APP}-redis`, keys: { password: 'password', sentinelPassword: 'sentinel-password' } },
  llm: { name: `${APP}-llm`, keys: { apiKey: 'api-key' } },
  sentry: { name: `${APP}-sentry`, keys: { dsn: 'dsn' } },
  admin: { name: `${APP}-admin`, keys: { token: 'token' } },
} as const;

export interface SecretRef {
  name: string;
  key: string;
}

/** The app role's Secret CloudNativePG creates for each Cluster (`<cluster>-app`): the Pulumi program does not provide it. */
export function isOperatorManaged(ref: SecretRef, clusters: readonly string[]): boolean {
  return clusters.some((c) => ref.name === `${c}-app`);
}

/** Where a Kubernetes object names a (Secret, key): env secretKeyRef, and the ObjectStore's S3 credentials. */
const SECRET_REFERENCE_KEYS = ['secretKeyRef', 'accessKeyId', 'secretAccessKey', 'sessionToken'];

/** Every (Secret, key) pair the objects reference, sorted. */
export function referencedSecrets(objects: readonly unknown[]): SecretRef[] {
  const found = new Map<string, SecretRef>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const item of node) visit(item);
      return;
    }
    if (!node || typeof node !== 'object') return;
    const record = node as Record<string, unknown>;
    for (const field of SECRET_REFERENCE_KEYS) {
      const ref = record[field] as { name?: unknown; key?: unknown } | undefined;
      if (typeof ref?.name === 'string' && typeof ref.key === 'string')
        found.set(`${ref.name}/${ref.key}`, { name: ref.name, key: ref.key });
    }
    Object.values(record).forEach(visit);
  };
  objects.forEach(visit);
  return [...found.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, ref]) => ref);
}
