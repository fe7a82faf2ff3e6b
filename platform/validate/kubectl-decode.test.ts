/**
 * One meaning, two paths: every file Argo CD syncs from deploy/ (each stack's top-level *.yaml and its
 * GitOps objects in deploy/argocd/), decoded by kubectl itself, is exactly the objects the Pulumi program applies for that
 * stack (the synth's objects, handed over as JS values). A YAML 1.2 scalar that a 1.1 reader resolves
 * differently (`on` → true) breaks the equality; the planted case shows the check sees it.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stackNames, stacks } from '../render/stacks.js';
import { synthObjects, type KubeObject } from '../render/build-stack.js';
import { argoSettings } from '../cluster/gitops.js';
import { repoRoot } from '../render/synth.js';
import { toYaml } from '../render/yaml.js';
import { gitopsFiles, syncedFiles } from './synced-files.js';
import { decodeWithKubectl, KUBECTL_PACKAGE, kubectlVersion } from './kubectl-decode.js';

const key = (o: KubeObject) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;
const byKey = (objects: KubeObject[]) => Object.fromEntries(objects.map((o) => [key(o), o]));

describe(`kubectl decodes deploy/ to the objects Pulumi applies (${kubectlVersion()})`, () => {
  const gitops = decodeWithKubectl(gitopsFiles(repoRoot), repoRoot);
  for (const name of stackNames) {
    it(`${name}: every synced file, decoded by kubectl, equals the synth's objects`, () => {
      const objects = synthObjects(stacks[name]);
      const started = performance.now();
      const files = syncedFiles(repoRoot, stacks[name]);
      const decoded = decodeWithKubectl(files, repoRoot);
      console.log(`${name}: ${files.length} files decoded in ${Math.round(performance.now() - started)} ms`);
      expect(decoded).toHaveLength(files.length);
      expect(byKey(decoded)).toEqual(byKey(objects.topology));
      // deploy/argocd/ is shared by the stacks: each of this stack's GitOps objects is there, decoded the same.
      const committed = byKey(gitops);
      for (const object of objects.gitops) expect(committed[key(object)]).toEqual(object);
    });
  }

  it("deploy/argocd/ is every stack's GitOps objects and Argo CD's settings, nothing else", () => {
    // argocd-cm carries the Lua health check: a multi-line string kubectl must read back byte for byte.
    const expected = [...stackNames.flatMap((name) => synthObjects(stacks[name]).gitops), argoSettings()];
    expect(gitops).toHaveLength(gitopsFiles(repoRoot).length);
    expect(byKey(gitops)).toEqual(byKey(expected as KubeObject[]));
  });

  it('fails on a planted unquoted `on` in a string field (and passes on the quoted form)', () => {
    // A custom resource's free-form string map: kubectl decodes it untyped, as the API server would store it.
    const cluster = synthObjects(stacks.dev).topology.find((o) => o.kind === 'Cluster') as KubeObject & {
      spec: { postgresql: { parameters: Record<string, unknown> } };
    };
    const planted = structuredClone(cluster);
    planted.spec.postgresql.parameters.planted_setting = 'on';
    const dir = mkdtempSync(join(tmpdir(), 'decode-'));
    try {
      const quoted = toYaml(planted);
      expect(quoted).toContain('planted_setting: "on"');
      writeFileSync(join(dir, 'quoted.yaml'), quoted);
      writeFileSync(join(dir, 'unquoted.yaml'), quoted.replace('planted_setting: "on"', 'planted_setting: on'));
      const [fromQuoted, fromUnquoted] = decodeWithKubectl(['quoted.yaml', 'unquoted.yaml'], dir);
      expect(fromQuoted).toEqual(planted);
      expect(fromUnquoted).not.toEqual(planted);
      expect((fromUnquoted as typeof planted).spec.postgresql.parameters.planted_setting).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('names the Debian package when kubectl is missing', () => {
    const saved = process.env.KUBECTL;
    process.env.KUBECTL = '/nonexistent/kubectl';
    try {
      expect(() => decodeWithKubectl(['x.yaml'])).toThrow(`kubectl not found: apt-get install -y ${KUBECTL_PACKAGE}`);
    } finally {
      if (saved === undefined) delete process.env.KUBECTL;
      else process.env.KUBECTL = saved;
    }
  });
});
