/** The GitOps release step's edit of stacks/defaults.ts: exactly the two app image lines, digest references only. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isPinnedImage } from '../../platform/validate/rules.js';
import { repoRoot } from '../../platform/synth.js';
import { pinImages } from '../../scripts/pin-images.js';

const source = readFileSync(join(repoRoot, 'stacks/defaults.ts'), 'utf8');
const digest = (c: string) => `sha256:${c.repeat(64)}`;
const refs = {
  gateway: `ghcr.io/halilit/hsc-jit-gateway:sha-0123abc@${digest('a')}`,
  web: `ghcr.io/halilit/hsc-jit-web:sha-0123abc@${digest('b')}`,
};

describe('pinImages', () => {
  it('changes the gateway and web lines of the real stack defaults and nothing else', () => {
    const before = source.split('\n');
    const after = pinImages(source, refs).split('\n');
    expect(after).toHaveLength(before.length);
    const changed = after.filter((line, i) => line !== before[i]);
    expect(changed).toEqual([`      gateway: '${refs.gateway}',`, `      web: '${refs.web}',`]);
    for (const ref of Object.values(refs)) expect(isPinnedImage(ref)).toBe(true);
  });

  it('refuses references without a digest, and a file whose images block it cannot find', () => {
    expect(() => pinImages(source, { ...refs, web: 'ghcr.io/halilit/hsc-jit-web:latest' })).toThrow(/sha256/);
    expect(() => pinImages('export const x = 1;\n', refs)).toThrow(/exactly one "images: \{ … \}" block/);
    expect(() => pinImages("images: { redis: 'r' }", refs)).toThrow(/no "gateway: '…'" entry/);
  });
});
