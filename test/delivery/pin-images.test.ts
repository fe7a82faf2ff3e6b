/** The release step's edit: dev's pin file gets exactly the released images, by digest, and nothing else. */
import { describe, expect, it } from 'vitest';
import { isPinnedImage } from '../../platform/validate/rules.js';
import { releasePins } from '../../scripts/pin-images.js';
import { formatPins, readPins } from '../../stacks/images.js';

const digest = (c: string) => `sha256:${c.repeat(64)}`;
const refs = {
  gateway: `ghcr.io/halilit/hsc-jit-gateway:sha-0123abc@${digest('a')}`,
  worker: `ghcr.io/halilit/hsc-jit-worker:sha-0123abc@${digest('c')}`,
  web: `ghcr.io/halilit/hsc-jit-web:sha-0123abc@${digest('b')}`,
};

describe('releasePins', () => {
  it('changes the three app image lines of the real dev pin file and nothing else', () => {
    const before = formatPins(readPins('dev')).split('\n');
    const after = formatPins(releasePins(readPins('dev'), refs)).split('\n');
    expect(after).toHaveLength(before.length);
    expect(after.filter((line, i) => line !== before[i])).toEqual([
      `  "gateway": "${refs.gateway}",`,
      `  "worker": "${refs.worker}",`,
      `  "web": "${refs.web}"`,
    ]);
    for (const ref of Object.values(refs)) expect(isPinnedImage(ref)).toBe(true);
  });

  it('keeps any other pin dev carries', () => {
    const redis = 'docker.io/library/redis:7.2.6-bookworm';
    expect(releasePins({ ...readPins('dev'), redis }, refs).redis).toBe(redis);
  });

  it('refuses references without a digest, and a missing image', () => {
    expect(() => releasePins({}, { ...refs, web: 'ghcr.io/halilit/hsc-jit-web:latest' })).toThrow(/sha256/);
    const { worker: _, ...withoutWorker } = refs;
    expect(() => releasePins({}, withoutWorker as typeof refs)).toThrow(/worker/);
  });
});
