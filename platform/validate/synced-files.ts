/**
 * What Argo CD syncs, as committed: a stack's folder (`directory: { recurse: false, include: '*.yaml' }`)
 * and deploy/argocd/, which holds every stack's GitOps objects (and whatever else Argo CD itself reads).
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { StackConfig } from '../../stacks/types.js';
import { stackFolder } from '../cluster/gitops.js';

const yamlFiles = (root: string, folder: string) =>
  readdirSync(join(root, folder), { withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.yaml'))
    .map((e) => `${folder}/${e.name}`);

/** The stack folder's synced files, repository-relative, read from the tree under `root`. */
export function syncedFiles(root: string, stack: StackConfig): string[] {
  return yamlFiles(root, stackFolder(stack));
}

/** Every file of deploy/argocd/ (the stacks' Applications and what else the render puts there). */
export function gitopsFiles(root: string): string[] {
  return yamlFiles(root, 'deploy/argocd');
}
