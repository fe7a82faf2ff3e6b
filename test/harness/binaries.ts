/** Finds a service binary, or says which Debian package brings it. */
import { existsSync, readdirSync } from 'node:fs';
import { delimiter, join } from 'node:path';

const EXTRA_DIRS = (() => {
  try {
    return readdirSync('/usr/lib/postgresql').map((v) => `/usr/lib/postgresql/${v}/bin`);
  } catch {
    return [];
  }
})();

export function requireBinary(name: string, debianPackage: string): string {
  for (const dir of [...(process.env.PATH ?? '').split(delimiter), ...EXTRA_DIRS]) {
    const candidate = join(dir, name);
    if (dir && existsSync(candidate)) return candidate;
  }
  throw new Error(`${name} not found: apt-get install -y ${debianPackage}`);
}
