/** Finds a service binary on PATH or in /usr/lib/postgresql/<version>/bin, or says which Debian package brings it. */
import { accessSync, constants, readdirSync, readFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** scripts/test-packages: the binaries the tests need and their Debian packages, which `npm test` installs. */
export const TEST_PACKAGES_FILE = new URL('../../scripts/test-packages', import.meta.url);

/** binary → Debian package, as listed in scripts/test-packages. */
export function testPackages(): Map<string, string> {
  const entries = readFileSync(TEST_PACKAGES_FILE, 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => line.split(/\s+/) as [string, string]);
  return new Map(entries);
}

/** Debian keeps the postgres server binaries off PATH; newest version first. */
function postgresBinDirs(): string[] {
  try {
    return readdirSync('/usr/lib/postgresql')
      .filter((v) => /^\d+$/.test(v))
      .sort((a, b) => Number(b) - Number(a))
      .map((v) => `/usr/lib/postgresql/${v}/bin`);
  } catch {
    return [];
  }
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The absolute path of `name`; throws `Error("<name> not found: apt-get install -y <debianPackage>")`. */
export function requireBinary(name: string, debianPackage: string): string {
  const dirs = [...(process.env.PATH ?? '').split(delimiter).filter(Boolean), ...postgresBinDirs()];
  for (const dir of dirs) {
    const candidate = join(dir, name);
    if (isExecutable(candidate)) return candidate;
  }
  throw new Error(`${name} not found: apt-get install -y ${debianPackage}`);
}
