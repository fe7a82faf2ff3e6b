/**
 * `docker run` as the cluster runs a container: everything read from the Deployment the synth renders
 * (user, read-only root, emptyDir mounts as tmpfs with their size limit, dropped capabilities,
 * no-new-privileges, CPU and memory limits, args, env, probes, grace period). What a laptop cannot
 * have is substituted and named by the caller: the data stores' addresses, the Secrets' values, and free
 * host ports (the containers share the host's network, where the rendered ports may be taken).
 */
import { readFileSync } from 'node:fs';
import { docker, run } from '../../../scripts/local-bases.js';
import { synthObjects, type KubeObject } from '../../../platform/render/build-stack.js';
import { stacks } from '../../../platform/render/stacks.js';

interface Probe {
  httpGet: { path: string; port: number };
  periodSeconds: number;
  failureThreshold: number;
}
interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: { name: string; key: string } };
}
interface Container {
  args: string[];
  env: EnvVar[];
  resources: { limits: { cpu: string; memory: string } };
  securityContext: {
    readOnlyRootFilesystem?: boolean;
    allowPrivilegeEscalation?: boolean;
    capabilities?: { drop?: string[] };
  };
  startupProbe: Probe;
  livenessProbe: Probe;
  readinessProbe: Probe;
  volumeMounts: Array<{ name: string; mountPath: string }>;
}
export interface PodSpec {
  containers: Container[];
  securityContext: { runAsUser: number; runAsGroup: number };
  terminationGracePeriodSeconds: number;
  volumes: Array<{
    name: string;
    emptyDir?: { sizeLimit?: string };
    secret?: { secretName: string; items?: Array<{ key: string; path: string }> };
  }>;
}

/** The dev stack's pod template of a Deployment. */
export function devPod(deployment: string): PodSpec {
  const found = synthObjects(stacks.dev).topology.find(
    (o: KubeObject) => o.kind === 'Deployment' && o.metadata.name === deployment,
  ) as { spec: { template: { spec: PodSpec } } } | undefined;
  if (!found) throw new Error(`no Deployment ${deployment} in the dev stack`);
  return found.spec.template.spec;
}

export interface Substitutions {
  /** Env values replaced (data store addresses, ports); a name mapped to undefined is left out. */
  env: Record<string, string | undefined>;
  /** Values for secretKeyRef entries, by `secret/key`; undefined leaves the variable out. A missing entry is an error. */
  secrets: Record<string, string | undefined>;
  /** Host files standing in for the keys of Secret volumes, by `secret/key`. A missing entry is an error. */
  secretFiles?: Record<string, string>;
}

/** The container's environment as rendered, with the substitutions applied; throws on an unmapped Secret. */
export function podEnv(container: Container, subs: Substitutions): Record<string, string> {
  const env: Record<string, string> = {};
  for (const entry of container.env) {
    if (Object.hasOwn(subs.env, entry.name)) {
      const value = subs.env[entry.name];
      if (value !== undefined) env[entry.name] = value;
      continue;
    }
    const ref = entry.valueFrom?.secretKeyRef;
    if (ref) {
      const id = `${ref.name}/${ref.key}`;
      if (!Object.hasOwn(subs.secrets, id)) throw new Error(`no drill value for Secret ${id} (${entry.name})`);
      const value = subs.secrets[id];
      if (value !== undefined) env[entry.name] = value;
      continue;
    }
    if (entry.value === undefined) throw new Error(`${entry.name}: neither a value nor a secretKeyRef`);
    env[entry.name] = entry.value;
  }
  return env;
}

function memory(limit: string): string {
  const mi = /^(\d+)Mi$/.exec(limit);
  const gi = /^(\d+)Gi$/.exec(limit);
  if (mi) return `${mi[1]}m`;
  if (gi) return `${Number(gi[1]) * 1024}m`;
  throw new Error(`memory limit ${limit}`);
}

function cpus(limit: string): string {
  const milli = /^(\d+)m$/.exec(limit);
  return milli ? String(Number(milli[1]) / 1000) : limit;
}

/**
 * `docker run` flags for the pod's one container: security context, limits, emptyDirs as tmpfs, each
 * key of a Secret volume as a read-only bind of the host file `secretFiles` names for it.
 */
export function runFlags(pod: PodSpec, secretFiles: Record<string, string> = {}): string[] {
  const container = pod.containers[0]!;
  const sc = container.securityContext;
  const flags = ['--user', `${pod.securityContext.runAsUser}:${pod.securityContext.runAsGroup}`];
  if (sc.readOnlyRootFilesystem) flags.push('--read-only');
  if (sc.capabilities?.drop?.includes('ALL')) flags.push('--cap-drop', 'ALL');
  if (sc.allowPrivilegeEscalation === false) flags.push('--security-opt', 'no-new-privileges');
  flags.push('--memory', memory(container.resources.limits.memory), '--cpus', cpus(container.resources.limits.cpu));
  for (const mount of container.volumeMounts) {
    const volume = pod.volumes.find((v) => v.name === mount.name);
    if (volume?.secret) {
      const { secretName, items } = volume.secret;
      if (!items) throw new Error(`volume ${mount.name}: name the Secret's keys (items), as the pods do`);
      for (const { key, path } of items) {
        const host = secretFiles[`${secretName}/${key}`];
        if (!host) throw new Error(`no drill file for Secret ${secretName}/${key} (volume ${mount.name})`);
        flags.push('-v', `${host}:${mount.mountPath}/${path}:ro`);
      }
      continue;
    }
    if (!volume?.emptyDir) throw new Error(`volume ${mount.name}: only emptyDir and Secret volumes are drilled`);
    const size = volume.emptyDir.sizeLimit ? `,size=${memory(volume.emptyDir.sizeLimit)}` : '';
    // mode 1777 as an emptyDir the pod's fsGroup can write; exec allowed (node may map JIT pages there).
    flags.push('--tmpfs', `${mount.mountPath}:rw,mode=1777${size}`);
  }
  return flags;
}

export interface RunningContainer {
  name: string;
  /** Host pid of the container's PID 1. */
  pid: number;
}

export async function runPod(
  name: string,
  image: string,
  pod: PodSpec,
  env: Record<string, string>,
  secretFiles: Record<string, string> = {},
): Promise<RunningContainer> {
  await run(docker(), ['rm', '-f', name]).catch(() => '');
  const envFlags = Object.entries(env).flatMap(([k, v]) => ['-e', `${k}=${v}`]);
  // Kubernetes `args` replace the image's CMD and keep its ENTRYPOINT (tini), as here.
  await run(docker(), [
    'run',
    '-d',
    '--name',
    name,
    '--network',
    'host',
    ...runFlags(pod, secretFiles),
    ...envFlags,
    image,
    ...pod.containers[0]!.args,
  ]);
  const pid = Number((await run(docker(), ['inspect', '-f', '{{.State.Pid}}', name])).trim());
  return { name, pid };
}

/** The command line of a host pid, as argv. */
export function cmdline(pid: number): string[] {
  return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
}

/** The pid as seen inside its own PID namespace (the last NSpid field). */
export function namespacePid(pid: number): number {
  return Number(
    /^NSpid:\s+(.*)$/m
      .exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]!
      .split(/\s+/)
      .at(-1),
  );
}

export function childPids(pid: number): number[] {
  return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
}

export function rssMiB(pid: number): number {
  const kb = Number(/^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]);
  return Math.round(kb / 102.4) / 10;
}

/**
 * `docker diff` of a container without what the engine itself creates for the pod's mounts (the mount
 * points and the directories above them): what is left was written by the process.
 */
export async function writesOutsideMounts(name: string, pod: PodSpec): Promise<string[]> {
  const mounts = pod.containers[0]!.volumeMounts.map((m) => m.mountPath);
  const madeForAMount = (path: string) =>
    mounts.some((mount) => mount === path || mount.startsWith(`${path}/`) || path.startsWith(`${mount}/`));
  return (await run(docker(), ['diff', name]))
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !madeForAMount(line.slice(2)));
}
