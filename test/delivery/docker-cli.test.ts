/**
 * The image drill's Docker CLI is the first that builds with BuildKit, not whichever `docker` the PATH
 * names first: this machine's /usr/local/bin/docker 28.2.2 has no buildx plugin and fails every build,
 * while Debian's /usr/bin/docker (docker.io 20.10) builds with BuildKit itself. Stub CLIs stand for the
 * clients this machine does not have (a 28 with buildx); the real ones are checked where present.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildsWithBuildKit, findDocker } from '../../scripts/local-bases.js';
import { tempDir, type TempDir } from '../harness/index.js';

let scratch: TempDir;
const cli = (name: string) => join(scratch.path, name, 'docker');

/** A `docker` that prints `version` and answers `buildx version` only when it has the plugin. */
function stub(name: string, version: string, buildx: boolean): void {
  mkdirSync(join(scratch.path, name));
  const plugin = buildx
    ? 'echo "github.com/docker/buildx v0.24.0"'
    : 'echo "docker: unknown command: docker buildx" >&2; exit 1';
  writeFileSync(
    cli(name),
    `#!/bin/sh\ncase "$1" in\n  --version) echo "Docker version ${version}, build 0000000" ;;\n  buildx) ${plugin} ;;\n  *) exit 1 ;;\nesac\n`,
    { mode: 0o755 },
  );
}

beforeAll(async () => {
  scratch = await tempDir('docker-cli');
  stub('new-without-buildx', '28.2.2', false);
  stub('new-with-buildx', '28.2.2', true);
  stub('debian', '20.10.24+dfsg1', false);
});
afterAll(() => scratch?.remove());

describe('the Docker CLI the image drill uses', () => {
  it('a client before 23 builds with BuildKit itself; from 23 on only with the buildx plugin', () => {
    expect(buildsWithBuildKit(cli('debian'))).toBe(true);
    expect(buildsWithBuildKit(cli('new-with-buildx'))).toBe(true);
    expect(buildsWithBuildKit(cli('new-without-buildx'))).toBe(false);
    expect(buildsWithBuildKit(join(scratch.path, 'absent', 'docker'))).toBe(false);
  });

  it('the real clients on this machine, where present: Debian’s builds, the plugin-less 28 does not', () => {
    const present = ['/usr/bin/docker', '/usr/local/bin/docker'].filter(existsSync);
    console.log(
      `docker CLIs here: ${present.map((p) => `${p} ${buildsWithBuildKit(p) ? 'builds' : 'cannot build'}`).join('; ')}`,
    );
    if (existsSync('/usr/bin/docker')) expect(buildsWithBuildKit('/usr/bin/docker')).toBe(true);
  });

  it('is chosen at first use from the whole PATH, skipping a first `docker` that cannot build', () => {
    const path = process.env.PATH;
    try {
      process.env.PATH = [join(scratch.path, 'new-without-buildx'), join(scratch.path, 'debian')].join(':');
      expect(findDocker()).toBe(cli('debian'));
    } finally {
      process.env.PATH = path;
    }
  });
});
