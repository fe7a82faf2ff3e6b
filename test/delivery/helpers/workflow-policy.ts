/**
 * Our own rules for GitHub workflows, on top of the schema check (@action-validator/core):
 *  - actions pinned by full commit SHA, with the version in a comment (Dependabot keeps both in step);
 *  - least privilege: read-only `permissions` at the top, writes granted per job, never `write-all`;
 *  - a concurrency group (a deploy never overlaps another);
 *  - a timeout on every job;
 *  - no `${{ … }}` expression inside a `run:` script (values reach scripts through `env:`), so no
 *    event field can inject shell;
 *  - checkout keeps no token unless the job writes to the repository.
 */
import { parse } from 'yaml';

interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
}
interface Job {
  permissions?: string | Record<string, string>;
  concurrency?: unknown;
  'timeout-minutes'?: number;
  steps?: Step[];
}
interface Workflow {
  permissions?: string | Record<string, string>;
  concurrency?: unknown;
  jobs?: Record<string, Job>;
}

const SHA_PINNED = /^[\w.-]+\/[\w.-]+(\/[\w./-]+)?@[0-9a-f]{40}$/;

function writes(permissions: Job['permissions']): string[] {
  if (permissions === undefined) return [];
  if (typeof permissions === 'string') return permissions === 'write-all' ? ['write-all'] : [];
  return Object.entries(permissions)
    .filter(([, level]) => level === 'write')
    .map(([scope]) => scope);
}

export function workflowViolations(text: string): string[] {
  const workflow = parse(text) as Workflow;
  const violations: string[] = [];
  if (workflow.permissions === undefined)
    violations.push('no top-level permissions (the token would get the repository default)');
  else if (writes(workflow.permissions).length > 0 || workflow.permissions === 'read-all') {
    violations.push(`top-level permissions grant more than the minimum: ${JSON.stringify(workflow.permissions)}`);
  }
  for (const [name, job] of Object.entries(workflow.jobs ?? {})) {
    if (workflow.concurrency === undefined && job.concurrency === undefined)
      violations.push(`job ${name}: no concurrency group`);
    if (job['timeout-minutes'] === undefined) violations.push(`job ${name}: no timeout-minutes`);
    if (typeof job.permissions === 'string')
      violations.push(`job ${name}: permissions "${job.permissions}" instead of named scopes`);
    const pushes = writes(job.permissions).includes('contents');
    for (const step of job.steps ?? []) {
      if (step.uses !== undefined && !step.uses.startsWith('./')) {
        if (!SHA_PINNED.test(step.uses))
          violations.push(`job ${name}: "${step.uses}" is not pinned by a full commit SHA`);
        else if (!new RegExp(`uses: ${step.uses.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} # \\S+`).test(text)) {
          violations.push(`job ${name}: "${step.uses}" has no "# <version>" comment`);
        }
        if (step.uses.startsWith('actions/checkout@') && !pushes && step.with?.['persist-credentials'] !== false) {
          violations.push(
            `job ${name}: checkout keeps the token although the job does not push (persist-credentials: false)`,
          );
        }
      }
      if (step.run?.includes('${{'))
        violations.push(`job ${name}: an expression inside a run script (pass it through env:)`);
    }
  }
  return violations;
}
