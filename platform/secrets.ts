/**
 * Secrets are references: objects name a Secret and a key, never a value. The Pulumi program (issue 6)
 * creates exactly these Secrets from encrypted config; `referencedSecrets()` reads them back from the
 * synthesized objects so the two can never disagree.
 */
import { APP } from './labels.js';

export const secrets = {
  /** DATABASE_URL (primary, app user) and DATABASE_REPLICA_URL (the -ro Service). */
  database: { name: `${APP}-database`, keys: { url: 'url', replicaUrl: 'replica-url' } },
  /** The Postgres superuser, the replication role and the app role, used by the bootstrap scripts and the exporter. */
  postgres: {
    name: `${APP}-postgres`,
    keys: { superuser: 'postgres-password', replication: 'replication-password', app: 'app-password' },
  },
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

/** Every (Secret, key) pair the objects reference through secretKeyRef, sorted. */
export function referencedSecrets(objects: readonly unknown[]): SecretRef[] {
  const found = new Map<string, SecretRef>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const item of node) visit(item);
      return;
    }
    if (!node || typeof node !== 'object') return;
    const record = node as Record<string, unknown>;
    const ref = record.secretKeyRef as { name?: string; key?: string } | undefined;
    if (ref?.name && ref.key) found.set(`${ref.name}/${ref.key}`, { name: ref.name, key: ref.key });
    Object.values(record).forEach(visit);
  };
  objects.forEach(visit);
  return [...found.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, ref]) => ref);
}
