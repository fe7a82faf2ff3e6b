/** The pull request's summary of rendered changes: per stack, exactly the objects a change touches. */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { renderAll } from '../../platform/synth.js';
import { changesByStack, markdown, treeAt } from '../../scripts/deploy-diff.js';
import { releaseToDev } from '../../scripts/pin-images.js';
import { defaultImagesDir } from '../../stacks/images.js';
import { loadStacks } from '../../stacks/index.js';

const dir = mkdtempSync(join(tmpdir(), 'hsc-deploy-diff-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('deploy-diff', () => {
  it('a release shows as the three app Deployments and the migration Job of dev changed, and nothing in staging or prod', () => {
    cpSync(defaultImagesDir, dir, { recursive: true });
    const before = renderAll(loadStacks(dir)).files;
    const digest = `sha256:${'d'.repeat(64)}`;
    releaseToDev(
      {
        gateway: `ghcr.io/halilit/hsc-jit-gateway:sha-1@${digest}`,
        worker: `ghcr.io/halilit/hsc-jit-worker:sha-1@${digest}`,
        web: `ghcr.io/halilit/hsc-jit-web:sha-1@${digest}`,
      },
      dir,
    );
    const changes = changesByStack(before, renderAll(loadStacks(dir)).files);
    const dev = changes.find((c) => c.stack === 'dev')!;
    expect(dev).toEqual({
      stack: 'dev',
      added: [],
      removed: [],
      changed: [
        'Deployment/hsc-jit-dev/gateway',
        'Deployment/hsc-jit-dev/web',
        'Deployment/hsc-jit-dev/workers',
        'Job/hsc-jit-dev/migrate',
      ],
    });
    for (const stack of ['staging', 'prod'])
      expect(changes.find((c) => c.stack === stack)).toMatchObject({ added: [], removed: [], changed: [] });
    const text = markdown(changes);
    expect(text).toContain('| dev | 0 | 0 | 4 |');
    expect(text).toContain('| prod | 0 | 0 | 0 |');
    expect(text).toContain('- changed `Deployment/hsc-jit-dev/gateway`');
  });

  it('names added and removed objects and plain files', () => {
    const before = new Map([
      [
        'deploy/prod/service-web.yaml',
        'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  namespace: hsc-jit-prod\n',
      ],
      ['deploy/prod/README.md', 'old'],
    ]);
    const after = new Map([
      ['deploy/prod/serviceaccount-web.yaml', 'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: web\n'],
      ['deploy/prod/README.md', 'new'],
    ]);
    expect(changesByStack(before, after)).toEqual([
      { stack: 'prod', added: ['ServiceAccount/web'], removed: ['Service/hsc-jit-prod/web'], changed: ['README.md'] },
    ]);
  });

  it('reads the committed tree of a revision, which HEAD renders unchanged', () => {
    const committed = treeAt('HEAD');
    expect(committed.size).toBeGreaterThan(100);
    expect(changesByStack(committed, renderAll().files).every((c) => c.added.length + c.removed.length === 0)).toBe(
      true,
    );
  });
});
