/**
 * The decoder of record for deploy/: kubectl itself, offline. `kubectl label --local -o json -f <file>…`
 * reads each file exactly as `kubectl apply` and Argo CD do (sigs.k8s.io/yaml: YAML 1.1 scalars, then
 * JSON) and prints the objects without an API server; the probe label it adds is stripped again, so what
 * comes back is what a cluster would be sent.
 */
import { spawnSync } from 'node:child_process';
import type { KubeObject } from '../render/stack-objects.js';

/** The Debian package that brings kubectl (`.ci/run` installs it when no kubectl is on PATH). */
export const KUBECTL_PACKAGE = 'kubernetes-client';
const PROBE_LABEL = 'decode.hsc-jit.dev/probe';
/** Files per kubectl call: one process for a whole stack costs ~0.1 s; the bound keeps argv short. */
const BATCH = 200;

function kubectl(args: string[], cwd?: string): string {
  const run = spawnSync(process.env.KUBECTL ?? 'kubectl', args, { cwd, encoding: 'utf8', maxBuffer: 256 << 20 });
  if ((run.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT')
    throw new Error(`kubectl not found: apt-get install -y ${KUBECTL_PACKAGE}`);
  if (run.status !== 0) throw new Error(`kubectl ${args.slice(0, 3).join(' ')} … failed: ${run.stderr.trim()}`);
  return run.stdout;
}

/** kubectl prints one indented JSON document per object; a top-level one ends with a `}` line at column 0. */
function splitDocuments(stdout: string): unknown[] {
  return stdout
    .split(/(?<=^\})\n(?=\{)/m)
    .filter((d) => d.trim() !== '')
    .map((d) => JSON.parse(d));
}

function stripProbe(object: KubeObject): KubeObject {
  const labels = object.metadata.labels;
  if (labels) {
    delete labels[PROBE_LABEL];
    if (Object.keys(labels).length === 0) delete object.metadata.labels;
  }
  return object;
}

/** The objects kubectl decodes from `files` (paths relative to `cwd`), file by file in order. */
export function decodeWithKubectl(files: string[], cwd?: string): KubeObject[] {
  const objects: KubeObject[] = [];
  for (let i = 0; i < files.length; i += BATCH) {
    const args = ['label', '--local', '-o', 'json', ...files.slice(i, i + BATCH).flatMap((f) => ['-f', f])];
    const stdout = kubectl([...args, `${PROBE_LABEL}=x`], cwd);
    objects.push(...(splitDocuments(stdout) as KubeObject[]).map(stripProbe));
  }
  return objects;
}

/** kubectl's client version line, for a report. */
export function kubectlVersion(): string {
  return kubectl(['version', '--client']).split('\n')[0]!.trim();
}
