/**
 * The drills run the files exactly as synthesized into the ConfigMaps, changing only hosts, ports and
 * directories (Kubernetes names and ports become loopback ones). Each substitution must match, so a
 * change in the rendered shape fails the drill loudly instead of silently testing something else.
 */
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { synthObjects, type KubeObject } from '../../../platform/render/build-stack.js';
import type { Loose } from '../../../platform/validate/objects.js';
import type { StackConfig } from '../../../stacks/types.js';

export function renderedObject(stack: StackConfig, kind: string, name: string): KubeObject & Loose {
  const object = synthObjects(stack).topology.find((o) => o.kind === kind && o.metadata.name === name);
  if (!object) throw new Error(`stack ${stack.name} renders no ${kind}/${name}`);
  return object as KubeObject & Loose;
}

export function renderedConfigMap(stack: StackConfig, name: string): Record<string, string> {
  return renderedObject(stack, 'ConfigMap', name).data as Record<string, string>;
}

/** Replaces each `from` (which must occur) by `to`. */
export function substitute(text: string, pairs: Array<[from: string, to: string]>): string {
  let out = text;
  for (const [from, to] of pairs) {
    if (!out.includes(from))
      throw new Error(`rendered file no longer contains "${from}": update the drill's substitutions`);
    out = out.replaceAll(from, to);
  }
  return out;
}

/** Writes files into dir (created), world-readable so the postgres OS user can read them; *.sh executable. */
export async function writeFiles(dir: string, files: Record<string, string>): Promise<string> {
  await mkdir(dir, { recursive: true });
  await chmod(dir, 0o755);
  for (const [name, text] of Object.entries(files)) {
    await writeFile(join(dir, name), text);
    await chmod(join(dir, name), name.endsWith('.sh') ? 0o755 : 0o644);
  }
  return dir;
}

/** The value of a plain env var of a container in a rendered workload. */
export function renderedEnv(workload: Loose, container: string, name: string): string {
  const spec = workload.spec.template.spec;
  const c = [...(spec.initContainers ?? []), ...spec.containers].find((x: { name: string }) => x.name === container);
  const value = c?.env?.find((e: { name: string }) => e.name === name)?.value;
  if (typeof value !== 'string')
    throw new Error(`${workload.kind}/${workload.metadata.name} container ${container} has no plain env ${name}`);
  return value;
}
