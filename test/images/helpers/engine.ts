/**
 * A Docker engine for the image drill: the running one if `docker info` answers, else Debian's docker.io
 * (installed when missing, with docker-compose, or when no Docker CLI here builds with BuildKit) started
 * here and stopped after. vfs storage because
 * overlayfs may not nest inside this machine's own container; --iptables=false because the engine may
 * not own the host's firewall (containers on the default bridge still reach each other, published
 * ports go through docker-proxy, and builds use the host's network).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { aptInstall, docker, findDocker, run } from '../../../scripts/local-bases.js';
import { onProcessExit, tempDir, waitFor, type TempDir } from '../../harness/index.js';

export interface Engine {
  /** True when this run started dockerd (and so stops it). */
  started: boolean;
  stop(): Promise<void>;
}

/**
 * vfs stores every layer and every cache snapshot as a full copy of the file system (tens of GB after a
 * few rebuilds): images replaced by a rebuild go, and the build cache is cut to what re-runs need most.
 * The tagged bases stay, so the next run starts from them.
 */
export async function tidy(): Promise<void> {
  await run(docker(), ['image', 'prune', '-f']);
  await run(docker(), ['builder', 'prune', '-f', '--keep-storage', '3gb']);
}

async function answers(): Promise<boolean> {
  return run(docker(), ['info', '--format', '{{.ServerVersion}}']).then(
    () => true,
    () => false,
  );
}

export async function ensureEngine(): Promise<Engine> {
  // docker.io brings a client that builds with BuildKit itself, whatever other `docker` the PATH has.
  if (!existsSync('/usr/sbin/dockerd') || !existsSync('/usr/bin/docker-compose') || !findDocker()) {
    await aptInstall(['docker.io', 'docker-compose', 'debootstrap']);
  }
  if (await answers()) return { started: false, stop: tidy };
  const logs: TempDir = await tempDir('dockerd');
  const out = openSync(join(logs.path, 'dockerd.log'), 'a');
  const daemon: ChildProcess = spawn(
    '/usr/sbin/dockerd',
    ['--storage-driver=vfs', '--iptables=false', '--ip-masq=false'],
    { stdio: ['ignore', out, out], detached: true },
  );
  const exited = new Promise<void>((resolve) => daemon.once('exit', () => resolve()));
  // A test process that dies still stops the engine it started (its containers stop with it).
  const unhook = onProcessExit(() => daemon.kill('SIGTERM'));
  await waitFor(answers, { what: 'dockerd to answer', timeoutMs: 60_000, intervalMs: 500 });
  return {
    started: true,
    async stop() {
      await tidy().catch(() => undefined);
      if (daemon.exitCode === null) daemon.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 30_000))]);
      if (daemon.exitCode === null) daemon.kill('SIGKILL');
      unhook();
      await logs.remove();
    },
  };
}
