/**
 * The workflow files, validated by a real workflow schema (@action-validator/core, the action-validator
 * linter compiled to WebAssembly) and by our policy (workflow-policy.ts); Dependabot's config by shape.
 * Also: every npm script, file and Dockerfile a workflow names exists, so a rename breaks CI here first.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateWorkflow } from '@action-validator/core';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../platform/render/synth.js';
import { rollbackGroups } from '../../scripts/promote.js';
import { thirdPartyImageRefs } from '../../scripts/third-party-images.js';
import { parseCatalogue, readPins } from '../../platform/render/image-pins.js';
import { imageKeys, imageSource, releasedImageKeys } from '../../stacks/images.js';
import { stackNames } from '../../stacks/index.js';
import { workflowViolations } from './helpers/workflow-policy.js';

const dir = join(repoRoot, '.github/workflows');
const files = readdirSync(dir).filter((f) => f.endsWith('.yml') || f.endsWith('.yaml'));
const read = (file: string) => readFileSync(join(dir, file), 'utf8');
const scripts = (
  JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { scripts: Record<string, string> }
).scripts;

describe('workflows', () => {
  it('are the ones this project needs', () => {
    expect(files.sort()).toEqual(['bench.yml', 'ci.yml', 'deploy.yml', 'preview.yml', 'promote.yml', 'release.yml']);
  });

  it.each(files)('%s passes the workflow schema', (file) => {
    const state = validateWorkflow(read(file));
    expect(state.errors).toEqual([]);
  });

  it.each(files)(
    '%s follows the policy (SHA pins, least privilege, concurrency, timeouts, no expressions in scripts)',
    (file) => {
      expect(workflowViolations(read(file))).toEqual([]);
    },
  );

  it.each(files)('%s names only npm scripts and files that exist', (file) => {
    const text = read(file);
    for (const [, script] of text.matchAll(/npm run (?:-s )?([\w:-]+)/g))
      expect(scripts, `npm run ${script}`).toHaveProperty([script!]);
    for (const [, path] of text.matchAll(
      /\b((?:docker|scripts|platform|\.github)\/[\w./-]+\.(?:ts|json|Dockerfile))\b/g,
    ))
      expect(existsSync(join(repoRoot, path!)), path).toBe(true);
  });

  it('every stack list in a workflow is stacks/index.ts’s (a new stack fails here until added)', () => {
    const dispatch = (file: string) =>
      (parse(read(file)) as { on: { workflow_dispatch: { inputs: Record<string, { options?: string[] }> } } }).on
        .workflow_dispatch.inputs;
    expect(dispatch('deploy.yml').stack?.options).toEqual(stackNames);
    // Promotion targets: every stack but the first, which follows main.
    expect(dispatch('promote.yml').to?.options).toEqual(stackNames.slice(1));
    const preview = parse(read('preview.yml')) as { jobs: { pulumi: { strategy: { matrix: { stack: string[] } } } } };
    expect(preview.jobs.pulumi.strategy.matrix.stack).toEqual(stackNames);
    // No other hand-written list of stacks in any workflow.
    for (const file of files)
      for (const [line] of read(file).matchAll(/^.*\[(?:\s*\w+\s*,)+\s*\w+\s*\].*$/gm))
        if (stackNames.some((s) => new RegExp(`\\b${s}\\b`).test(line!)))
          expect(line, file).toMatch(/options: \[|stack: \[/);
  });

  it('CI runs lint, typecheck, the tests, the synth drift check and promtool; release scans before GitOps; deploys never overlap', () => {
    const ci = read('ci.yml');
    for (const step of [
      'npm ci',
      'npm run lint',
      'npm run typecheck',
      'npx vitest run',
      'npm run synth:check',
      'promtool check rules',
    ])
      expect(ci).toContain(step);
    const release = parse(read('release.yml')) as {
      jobs: Record<string, { needs?: string; steps: Array<{ uses?: string }> }>;
      concurrency: { 'cancel-in-progress': boolean };
    };
    expect(release.jobs.images!.steps.map((s) => s.uses?.split('@')[0])).toEqual(
      expect.arrayContaining(['docker/build-push-action', 'aquasecurity/trivy-action']),
    );
    expect(release.jobs.gitops!.needs).toBe('images');
    // It builds exactly the images it pins: one matrix leg per released image key.
    const legs = (
      parse(read('release.yml')) as {
        jobs: { images: { strategy: { matrix: { include: Array<{ image: string }> } } } };
      }
    ).jobs.images.strategy.matrix.include.map((l) => l.image);
    expect(legs.sort()).toEqual([...releasedImageKeys].sort());
    expect(release.concurrency['cancel-in-progress']).toBe(false);
    const promote = parse(read('promote.yml')) as {
      on: { workflow_dispatch: { inputs: { to: { options: string[] }; group: { options: string[] } } } };
      jobs: {
        promote: { environment: string; steps: Array<{ run?: string; env?: Record<string, string> }> };
      };
      concurrency: { 'cancel-in-progress': boolean };
    };
    // Manual only, into every stack after the first, inside the target's environment (prod's reviewers).
    expect(Object.keys(promote.on)).toEqual(['workflow_dispatch']);
    expect(promote.on.workflow_dispatch.inputs.group.options).toEqual([...rollbackGroups]);
    expect(promote.jobs.promote.environment).toBe('${{ inputs.to }}');
    expect(promote.concurrency['cancel-in-progress']).toBe(false);
    const promoteRuns = promote.jobs.promote.steps.map((s) => s.run ?? '').join('\n');
    for (const step of ['scripts/promote.ts', '--rollback', 'npm run synth', 'refs/heads/env/${TO}'])
      expect(promoteRuns).toContain(step);
    // The gate asks Argo CD; nothing here pushes main.
    expect(promote.jobs.promote.steps.some((s) => s.env?.ARGOCD_AUTH_TOKEN?.includes('secrets.'))).toBe(true);
    for (const file of files) expect(read(file), file).not.toMatch(/push origin HEAD:main|git push[^\n]*:main\b/);
    // Every pull request: the rendered summary and drift check, and a read-only pulumi preview per stack.
    const preview = parse(read('preview.yml')) as {
      on: Record<string, unknown>;
      jobs: Record<
        string,
        {
          environment?: string;
          strategy?: { matrix: { stack: string[] } };
          steps: Array<{ run?: string; uses?: string; with?: Record<string, unknown>; env?: Record<string, string> }>;
        }
      >;
    };
    expect(Object.keys(preview.on)).toEqual(['pull_request']);
    const renderRuns = preview.jobs.render!.steps.map((s) => s.run ?? '').join('\n');
    for (const step of ['scripts/deploy-diff.ts --base', 'npm run synth:check', 'GITHUB_STEP_SUMMARY'])
      expect(renderRuns).toContain(step);
    const pulumiJob = preview.jobs.pulumi!;
    expect(pulumiJob.strategy?.matrix.stack).toEqual(stackNames);
    expect(pulumiJob.environment).toBe('preview');
    const action = pulumiJob.steps.find((s) => s.uses?.startsWith('pulumi/actions@'))!;
    expect(action.with).toMatchObject({ command: 'preview', 'comment-on-pr': true });
    expect(action.env?.PULUMI_ACCESS_TOKEN).toBe('${{ secrets.PULUMI_ACCESS_TOKEN_READONLY }}');
    // A release pins the digests its own build pushed into every pin file, by pull request.
    const releaseText = read('release.yml');
    for (const step of [
      'steps.build.outputs.digest',
      'scripts/pin-images.ts --awaiting',
      'gh pr create',
      'gh pr merge',
    ])
      expect(releaseText).toContain(step);
    expect(releaseText).not.toMatch(/imagetools inspect "\$IMAGE_PREFIX/);
    // The Pulumi path deploys what the stack's Application syncs, never main past a promotion.
    expect(read('deploy.yml')).toContain('git checkout -q --detach "origin/${rev}"');
    expect(read('deploy.yml')).toContain('targetRevision');
    const deploy = parse(read('deploy.yml')) as { concurrency: { group: string; 'cancel-in-progress': boolean } };
    expect(deploy.concurrency).toEqual({ group: 'deploy-${{ inputs.stack }}', 'cancel-in-progress': false });
  });
});

type ScanJob = {
  needs?: string;
  strategy?: { matrix: { image: string | string[] } };
  steps: Array<{ uses?: string; run?: string; with?: Record<string, unknown> }>;
};

/** The image references a workflow's Trivy jobs scan: a static matrix as written, or the listing script's output. */
function scannedImages(text: string): string[] {
  const jobs = (parse(text) as { jobs: Record<string, ScanJob> }).jobs;
  return Object.values(jobs).flatMap((job) => {
    const trivy = job.steps.find((s) => s.uses?.startsWith('aquasecurity/trivy-action@'));
    if (trivy?.with?.['image-ref'] !== '${{ matrix.image }}') return [];
    expect(trivy?.with).toMatchObject({ severity: 'HIGH,CRITICAL', 'ignore-unfixed': true, 'exit-code': '1' });
    const matrix = job.strategy?.matrix.image;
    if (Array.isArray(matrix)) return matrix;
    const lister = job.needs !== undefined ? jobs[job.needs] : undefined;
    const listsPins = lister?.steps.some((s) => s.run?.includes('npx tsx scripts/third-party-images.ts'));
    return matrix === `\${{ fromJSON(needs.${job.needs}.outputs.images) }}` && listsPins ? thirdPartyImageRefs() : [];
  });
}

/** Every third-party reference written anywhere: the catalogue and each stack's pin file, read directly. */
function allThirdPartyPins(): string[] {
  const dir = join(repoRoot, 'stacks/images');
  const thirdParty = imageKeys.filter((k) => imageSource[k] === 'catalogue');
  const files = [parseCatalogue(readFileSync(join(dir, 'Dockerfile'), 'utf8')), ...stackNames.map((s) => readPins(s))];
  return [...new Set(files.flatMap((pins) => thirdParty.flatMap((k) => (pins[k] ? [pins[k]!] : []))))];
}

describe('third-party image scanning', () => {
  it('CI scans every third-party image pin of every stack with Trivy, failing on fixable HIGH/CRITICAL', () => {
    const scanned = new Set(scannedImages(read('ci.yml')));
    const pins = allThirdPartyPins();
    expect(pins.length).toBeGreaterThanOrEqual(5);
    expect(pins.filter((p) => !scanned.has(p))).toEqual([]);
  });

  it('a pin left out of a static scan matrix fails the check', () => {
    const [first, ...rest] = allThirdPartyPins();
    const staticMatrix = [
      'on: push',
      'jobs:',
      '  scan:',
      '    strategy:',
      '      matrix:',
      `        image: ${JSON.stringify(rest)}`,
      '    steps:',
      '      - uses: aquasecurity/trivy-action@915b19bbe73b92a6cf82a1bc12b087c9a19a5fe2',
      '        with:',
      '          image-ref: ${{ matrix.image }}',
      '          severity: HIGH,CRITICAL',
      '          ignore-unfixed: true',
      '          exit-code: "1"',
    ].join('\n');
    const scanned = new Set(scannedImages(staticMatrix));
    expect(allThirdPartyPins().filter((p) => !scanned.has(p))).toEqual([first]);
  });
});

describe('CODEOWNERS', () => {
  it('gives platform/, stacks/, alerts/, dashboards/ and .github/ an owner', () => {
    const rules = readFileSync(join(repoRoot, '.github/CODEOWNERS'), 'utf8')
      .split('\n')
      .filter((l) => l.trim() && !l.startsWith('#'))
      .map((l) => l.trim().split(/\s+/));
    for (const dir of ['/platform/', '/stacks/', '/alerts/', '/dashboards/', '/.github/']) {
      const rule = rules.find(([path]) => path === dir);
      expect(rule, dir).toBeDefined();
      expect(
        rule!.slice(1).every((o) => /^@[\w-]+\/[\w-]+$/.test(o)),
        dir,
      ).toBe(true);
      expect(rule!.length, dir).toBeGreaterThan(1);
    }
  });
});

describe('the workflow policy', () => {
  it('catches each rule it claims (tag pins, missing permissions, write-all, no concurrency or timeout, expressions in run, token kept)', () => {
    const bad = [
      'on: push',
      'permissions: write-all',
      'jobs:',
      '  build:',
      '    runs-on: ubuntu-24.04',
      '    permissions: write-all',
      '    steps:',
      '      - uses: actions/checkout@v4',
      '      - uses: actions/setup-node@39370e3970a6d050c480ffad4ff0ed4d3fdee5af',
      '      - run: echo "${{ github.event.pull_request.title }}"',
    ].join('\n');
    const violations = workflowViolations(bad);
    for (const expected of [
      /top-level permissions grant more/,
      /no concurrency group/,
      /no timeout-minutes/,
      /permissions "write-all"/,
      /actions\/checkout@v4" is not pinned/,
      /setup-node.* has no "# <version>" comment/,
      /expression inside a run script/,
    ]) {
      expect(
        violations.some((v) => expected.test(v)),
        String(expected),
      ).toBe(true);
    }
    expect(workflowViolations('on: push\njobs: {}\n')).toContain(
      'no top-level permissions (the token would get the repository default)',
    );
  });

  it('the schema validator rejects a broken workflow (so the schema test can fail)', () => {
    expect(validateWorkflow('on: push\njobs:\n  x:\n    steps: 3\n').errors.length).toBeGreaterThan(0);
  });
});

describe('dependabot.yml', () => {
  const config = parse(readFileSync(join(repoRoot, '.github/dependabot.yml'), 'utf8')) as {
    version: number;
    updates: Array<{ 'package-ecosystem': string; directory: string; schedule: { interval: string } }>;
  };

  it('updates npm, the Dockerfiles’ base images, the stacks’ third-party images and the actions, on a schedule', () => {
    expect(config.version).toBe(2);
    expect(config.updates.map((u) => u['package-ecosystem']).sort()).toEqual([
      'docker',
      'docker',
      'github-actions',
      'npm',
    ]);
    for (const u of config.updates) expect(['daily', 'weekly', 'monthly']).toContain(u.schedule.interval);
    const dockerDirs = config.updates.filter((u) => u['package-ecosystem'] === 'docker').map((u) => u.directory);
    expect(readdirSync(join(repoRoot, 'docker')).filter((f) => f.endsWith('Dockerfile')).length).toBeGreaterThanOrEqual(
      2,
    );
    expect(dockerDirs.sort()).toEqual(['/docker', '/stacks/images']);
    // Every third-party image every stack runs is a FROM line Dependabot bumps there.
    const catalogue = parseCatalogue(readFileSync(join(repoRoot, 'stacks/images/Dockerfile'), 'utf8'));
    expect(Object.keys(catalogue).sort()).toEqual(imageKeys.filter((k) => imageSource[k] === 'catalogue').sort());
  });
});
