/**
 * The files and npm packages an entry point loads, found by following its imports (static `from`, dynamic
 * `import()`, and `new URL('./x', import.meta.url)` for worker scripts) from file to file. The image
 * policy tests use it to prove the image holds every file and production dependency the app needs.
 */
import { existsSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';

const SPECIFIER = /(?:\bfrom\s+|\bimport\s*\(\s*|^import\s+|new URL\(\s*)['"]([^'"]+)['"]/gm;
const PACKAGE = /^(@[a-z0-9][\w.-]*\/)?[a-z0-9][\w.-]*$/;
const builtins = new Set(builtinModules);

export interface ImportClosure {
  /** Repository-relative paths of every local file loaded. */
  files: string[];
  /** npm package names (`@scope/name` or `name`). */
  packages: string[];
}

function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!;
}

/** `./x.js` in TypeScript source names `./x.ts` (NodeNext); other extensions are taken as they are. */
function resolveLocal(from: string, specifier: string): string {
  const target = resolve(dirname(from), specifier);
  if (existsSync(target)) return target;
  const ts = target.replace(/\.js$/, '.ts');
  if (existsSync(ts)) return ts;
  throw new Error(`${from}: cannot resolve ${specifier}`);
}

export function importClosure(root: string, entries: string[]): ImportClosure {
  const files = new Set<string>();
  const packages = new Set<string>();
  const queue = entries.map((e) => join(root, e));
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (files.has(file)) continue;
    files.add(file);
    if (!/\.(ts|mjs|js)$/.test(file)) continue;
    const source = readFileSync(file, 'utf8').replace(/^\s*(\/\/|\*|\/\*).*$/gm, ''); // comments name modules too
    for (const match of source.matchAll(SPECIFIER)) {
      const specifier = match[1]!;
      if (specifier.startsWith('.')) queue.push(resolveLocal(file, specifier));
      else if (!specifier.startsWith('node:') && !builtins.has(specifier)) {
        const name = packageName(specifier);
        if (!PACKAGE.test(name)) throw new Error(`${file}: "${specifier}" is not a package name`);
        packages.add(name);
      }
    }
  }
  return { files: [...files].map((f) => relative(root, f)).sort(), packages: [...packages].sort() };
}
