/**
 * `npm ci && npm test` on a fresh Debian machine: the Debian packages the tests need are listed once
 * (scripts/test-packages), and scripts/test-deps.sh, which `npm test` runs first and .ci/run and CI run
 * too, installs the missing ones as root with apt-get or else stops at once printing the one command.
 * apt-get is a stub here (a test must not install packages on the machine); the chroot proof in the
 * issue note ran the real one.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../platform/render/synth.js';
import { tempDir, testPackages, type TempDir } from '../harness/index.js';

const read = (path: string) => readFileSync(join(repoRoot, path), 'utf8');

function sources(dir: string): string[] {
  return readdirSync(join(repoRoot, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.parentPath.includes('node_modules'))
    .map((e) => relative(repoRoot, join(e.parentPath, e.name)));
}

let scratch: TempDir;
beforeAll(async () => {
  scratch = await tempDir('test-deps');
  chmodSync(scratch.path, 0o755); // readable by the unprivileged run
  // The script reads the list beside it: a copy with one binary no machine has.
  copyFileSync(join(repoRoot, 'scripts/test-deps.sh'), join(scratch.path, 'test-deps.sh'));
  writeFileSync(
    join(scratch.path, 'test-packages'),
    '# binary package\nhsc-jit-no-such-tool   hsc-jit-no-such-package\nsh dash\n',
  );
  // An apt-get that records its arguments instead of installing.
  writeFileSync(join(scratch.path, 'apt-get'), `#!/bin/sh\necho "$*" >> '${scratch.path}/apt-calls'\n`);
  chmodSync(join(scratch.path, 'apt-get'), 0o755);
});
afterAll(() => scratch?.remove());

function testDeps(options: { path: string; asNobody?: boolean; script?: string }) {
  const script = options.script ?? join(scratch.path, 'test-deps.sh');
  const argv = options.asNobody
    ? ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', '/bin/bash', script]
    : ['/bin/bash', script];
  const result = spawnSync(argv[0]!, argv.slice(1), { env: { PATH: options.path }, encoding: 'utf8', timeout: 30_000 });
  return { status: result.status, stderr: result.stderr };
}

describe('the Debian packages the tests need', () => {
  it('every binary a test requires is listed with the package that requireBinary names', () => {
    const listed = testPackages();
    const calls = ['app', 'platform', 'alerts', 'test'].flatMap(sources).flatMap((file) =>
      [...read(file).matchAll(/requireBinary\('([^']+)', '([^']+)'\)/g)].map(([, binary, pkg]) => ({
        file,
        binary,
        pkg,
      })),
    );
    expect(calls.length).toBeGreaterThan(10);
    // harness.test.ts checks the error for a binary that exists nowhere.
    for (const { file, binary, pkg } of calls.filter((c) => !c.binary!.startsWith('no-such-')))
      expect(listed.get(binary!), `${file}: ${binary}`).toBe(pkg);
    // The packages the other test tools shell out to, and kubectl, the decoder of record for deploy/.
    for (const binary of ['pdftotext', 'promtool', 'kubectl', 'pgrep', 'git', 'unshare'])
      expect(listed.has(binary), binary).toBe(true);
  });

  it('without apt-get it stops at once, naming the one command to run', () => {
    const { status, stderr } = testDeps({ path: join(scratch.path, 'empty') });
    expect(status).toBe(1);
    // Nothing is on this PATH, so sh's package is missing too.
    expect(stderr).toContain("sudo sh -c 'apt-get update && apt-get install -y hsc-jit-no-such-package dash'");
    expect(existsSync(join(scratch.path, 'apt-calls'))).toBe(false);
  });

  it('not as root it stops the same way, even with apt-get on the PATH', () => {
    const { status, stderr } = testDeps({ path: `${scratch.path}:/usr/bin:/bin`, asNobody: true });
    expect(status, stderr).toBe(1);
    expect(stderr).toContain('apt-get install -y hsc-jit-no-such-package');
    expect(existsSync(join(scratch.path, 'apt-calls'))).toBe(false);
  });

  it('as root with apt-get it installs the missing packages only, and a second binary of a package adds it once', () => {
    if (process.getuid?.() !== 0) throw new Error('this test runs as root, as .ci/run and CI do');
    writeFileSync(
      join(scratch.path, 'test-packages'),
      'hsc-jit-no-such-tool  hsc-jit-no-such-package\nhsc-jit-no-such-tool2 hsc-jit-no-such-package\nsh dash\n',
    );
    const { status, stderr } = testDeps({ path: `${scratch.path}:/usr/bin:/bin` });
    expect(status, stderr).toBe(0);
    expect(
      read(relative(repoRoot, join(scratch.path, 'apt-calls')))
        .trim()
        .split('\n'),
    ).toEqual(['update -qq', 'install -y -qq hsc-jit-no-such-package']);
  });

  it('on this machine nothing is missing, and npm test, .ci/run and CI run the script before any test', () => {
    expect(testDeps({ path: process.env.PATH!, script: join(repoRoot, 'scripts/test-deps.sh') }).status).toBe(0);
    const pkg = JSON.parse(read('package.json')) as { scripts: Record<string, string> };
    expect(pkg.scripts.pretest).toMatch(/^bash scripts\/test-deps\.sh && /);
    const ci = read('.ci/run');
    expect(ci.indexOf('\nscripts/test-deps.sh\n')).toBeGreaterThan(-1);
    expect(ci.indexOf('\nscripts/test-deps.sh\n')).toBeLessThan(ci.indexOf('\nnpm test\n'));
    const workflow = read('.github/workflows/ci.yml');
    expect(workflow.indexOf('run: scripts/test-deps.sh')).toBeGreaterThan(-1);
    expect(workflow.indexOf('run: scripts/test-deps.sh')).toBeLessThan(workflow.indexOf('npx vitest run'));
  });
});
