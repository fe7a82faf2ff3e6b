/**
 * The platform checks against a real cluster (never run in CI here: there is no API server). For each
 * stack, or the ones named with --stack:
 *   1. offline, as `npm test` does: kubectl decodes deploy/<stack>/ to exactly the synth's objects;
 *   2. every custom resource against its CRD, CEL transition rules with the LIVE object as `oldSelf`;
 *   3. `kubectl apply --dry-run=server --server-side` of the stack's files: the API server's own schemas,
 *      CEL rules, defaulting and admission webhooks (the operators' included);
 *   4. with --sync only: asks Argo CD to sync the stack's Application and waits for Synced + Healthy.
 *   KUBECONFIG=~/.kube/staging npx tsx scripts/cluster-check.ts --stack staging [--sync] [--timeout 900]
 * Exits 1 on the first stack that fails a step, printing what kubectl or the check said.
 */
import { execFileSync } from 'node:child_process';
import { isDeepStrictEqual, parseArgs } from 'node:util';
import { type StackName, stackNames, stacks } from '../platform/render/stacks.js';
import { type KubeObject, synthObjects } from '../platform/render/build-stack.js';
import { ARGOCD_NAMESPACE } from '../platform/cluster/gitops.js';
import { repoRoot } from '../platform/render/synth.js';
import { crdProblems, hasCrdSchema } from '../platform/validate/crd-schema.js';
import { decodeWithKubectl } from '../platform/validate/kubectl-decode.js';
import { gitopsFiles, syncedFiles } from '../platform/validate/synced-files.js';

const kubectl = (args: string[]) => execFileSync('kubectl', args, { cwd: repoRoot, encoding: 'utf8', stdio: 'pipe' });
const keyOf = (o: KubeObject) => `${o.apiVersion}/${o.kind}`;
const idOf = (o: KubeObject) => `${o.kind}/${o.metadata.name}`;

function liveObject(object: KubeObject, namespace: string): KubeObject | undefined {
  try {
    const resource = `${object.kind.toLowerCase()}.${object.apiVersion.split('/')[0]}`;
    return JSON.parse(kubectl(['get', resource, object.metadata.name, '-n', namespace, '-o', 'json'])) as KubeObject;
  } catch {
    return undefined; // not there yet: a create, so transition rules do not apply
  }
}

function checkStack(name: StackName, sync: boolean, timeoutSeconds: number): string[] {
  const stack = stacks[name];
  const objects = synthObjects(stack);
  // The stack's folder, and the files of deploy/argocd/ that hold this stack's GitOps objects.
  const argocd = gitopsFiles(repoRoot);
  const argocdObjects = decodeWithKubectl(argocd, repoRoot);
  const ours = new Set(objects.gitops.map(idOf));
  const files = [...syncedFiles(repoRoot, stack), ...argocd.filter((_, i) => ours.has(idOf(argocdObjects[i]!)))];
  const problems: string[] = [];

  const decoded = new Map(decodeWithKubectl(files, repoRoot).map((o) => [idOf(o), o]));
  for (const o of [...objects.topology, ...objects.gitops])
    if (!isDeepStrictEqual(decoded.get(idOf(o)), o)) problems.push(`${idOf(o)}: kubectl decodes deploy/ differently`);

  for (const o of objects.topology.filter((x) => hasCrdSchema(keyOf(x))))
    for (const p of crdProblems(keyOf(o), o, liveObject(o, stack.namespace))) problems.push(`${idOf(o)}: ${p.message}`);
  if (problems.length > 0) return problems;

  try {
    const args = ['apply', '--dry-run=server', '--server-side', '--field-manager=cluster-check'];
    console.log(kubectl([...args, ...files.flatMap((f) => ['-f', f])]).trim());
  } catch (error) {
    return [`kubectl apply --dry-run=server: ${(error as { stderr?: string }).stderr ?? String(error)}`];
  }

  if (!sync) return [];
  const app = `hsc-jit-${name}`;
  kubectl([
    'patch',
    'application',
    app,
    '-n',
    ARGOCD_NAMESPACE,
    '--type',
    'merge',
    '-p',
    JSON.stringify({ operation: { sync: { revision: stack.gitops.targetRevision, prune: true } } }),
  ]);
  const deadline = Date.now() + timeoutSeconds * 1000;
  for (;;) {
    const status = JSON.parse(kubectl(['get', 'application', app, '-n', ARGOCD_NAMESPACE, '-o', 'json'])).status ?? {};
    const phase = status.operationState?.phase;
    console.log(
      `${app}: operation ${phase ?? '-'}, sync ${status.sync?.status ?? '-'}, health ${status.health?.status ?? '-'}`,
    );
    if (phase === 'Failed' || phase === 'Error') return [`${app}: sync ${phase}: ${status.operationState?.message}`];
    if (phase === 'Succeeded' && status.sync?.status === 'Synced' && status.health?.status === 'Healthy') return [];
    if (Date.now() > deadline) return [`${app}: not Synced and Healthy after ${timeoutSeconds} s`];
    execFileSync('sleep', ['10']);
  }
}

const { values } = parseArgs({
  options: {
    stack: { type: 'string', multiple: true },
    sync: { type: 'boolean', default: false },
    timeout: { type: 'string', default: '900' },
  },
});
if (!process.env.KUBECONFIG) {
  console.error('cluster-check talks to a real cluster: set KUBECONFIG (it is never run without one)');
  process.exit(2);
}
const selected = (values.stack ?? stackNames) as StackName[];
for (const name of selected) {
  if (!stackNames.includes(name)) throw new Error(`unknown stack "${name}": expected one of ${stackNames.join(', ')}`);
  const problems = checkStack(name, values.sync ?? false, Number(values.timeout));
  console.log(problems.length === 0 ? `${name}: ok` : `${name}: FAILED\n  ${problems.join('\n  ')}`);
  if (problems.length > 0) process.exit(1);
}
