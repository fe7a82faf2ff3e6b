/**
 * `npm run import:crds`: regenerates platform/imports/ from the CRDs kept in platform/crds/ (the list is
 * cdk8s.yaml's `imports`) with `cdk8s import`, then makes the generated files' type imports type-only,
 * which this project's `verbatimModuleSyntax` requires (tsx would otherwise import them as values).
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const output = join(root, 'platform/imports');
const GENERATED_IMPORT = "import { ApiObject, ApiObjectMetadata, GroupVersionKind } from 'cdk8s';";
const TYPE_ONLY_IMPORT = "import { ApiObject, type ApiObjectMetadata, type GroupVersionKind } from 'cdk8s';";

execFileSync('npx', ['cdk8s', 'import', '--language', 'typescript', '--output', output], {
  cwd: root,
  stdio: 'inherit',
});
for (const file of readdirSync(output).filter((f) => f.endsWith('.ts'))) {
  const path = join(output, file);
  const text = readFileSync(path, 'utf8');
  if (!text.includes(GENERATED_IMPORT))
    throw new Error(`${file}: cdk8s import changed its import line; update ${import.meta.url}`);
  writeFileSync(path, text.replace(GENERATED_IMPORT, TYPE_ONLY_IMPORT));
}
