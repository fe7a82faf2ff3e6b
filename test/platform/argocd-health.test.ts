/**
 * The health check deploy/argocd/argocd-cm.yaml gives Argo CD for CloudNativePG Clusters, run as Lua
 * (helpers/lua.ts) on Cluster statuses as the operator writes them. It decides when the sync waves after
 * the Cluster start (platform/cluster/sync-order.ts): only a Ready Cluster lets the migration Job run, a Cluster
 * on its way (bootstrap, recovery, failover, switchover) keeps the sync waiting instead of failing it,
 * and only a state that needs a person fails the sync.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CLUSTER_HEALTH_KEY } from '../../platform/cluster/gitops.js';
import { repoRoot } from '../../platform/render/synth.js';
import { runHealthScript } from './helpers/lua.js';

const settings = parse(readFileSync(join(repoRoot, 'deploy', 'argocd', 'argocd-cm.yaml'), 'utf8'));
const script: string = settings.data[CLUSTER_HEALTH_KEY];
const cluster = (status?: object, extra: object = {}) => ({
  apiVersion: 'postgresql.cnpg.io/v1',
  kind: 'Cluster',
  metadata: { name: 'postgres', ...extra },
  ...(status ? { status } : {}),
});
const ready = (value: 'True' | 'False') => ({ type: 'Ready', status: value, reason: 'x', message: 'x' });

describe('Argo CD health of a CloudNativePG Cluster (the rendered Lua)', () => {
  it('is in argocd-cm under the key Argo CD reads for postgresql.cnpg.io/Cluster', () => {
    expect(settings.metadata).toMatchObject({ name: 'argocd-cm', namespace: 'argocd' });
    expect(CLUSTER_HEALTH_KEY).toBe('resource.customizations.health.postgresql.cnpg.io_Cluster');
    expect(script).toContain('obj.status');
  });

  it.each([
    ['no status yet (just created)', undefined, 'Progressing'],
    ['bootstrapping', { phase: 'Setting up primary', conditions: [ready('False')] }, 'Progressing'],
    ['replaying WAL in a recovery', { phase: 'Setting up primary' }, 'Progressing'],
    ['failing over', { phase: 'Failing over', conditions: [ready('False')] }, 'Progressing'],
    ['switching over', { phase: 'Switchover in progress', conditions: [ready('False')] }, 'Progressing'],
    ['Ready', { phase: 'Cluster in healthy state', conditions: [ready('True')] }, 'Healthy'],
    [
      'unrecoverable',
      { phase: 'Cluster is unrecoverable and needs manual intervention', conditions: [ready('False')] },
      'Degraded',
    ],
    ['waiting for a person', { phase: 'Waiting for user action' }, 'Degraded'],
  ])('%s: %s', (_what, status, expected) => {
    expect(runHealthScript(script, cluster(status)).status).toBe(expected);
  });

  it('a Cluster being deleted is not Healthy, whatever its last status said', () => {
    const deleting = cluster(
      { phase: 'Cluster in healthy state', conditions: [ready('True')] },
      { deletionTimestamp: '2026-12-07T00:00:00Z' },
    );
    expect(runHealthScript(script, deleting)).toEqual({
      status: 'Progressing',
      message: 'the Cluster is being deleted',
    });
  });
});
