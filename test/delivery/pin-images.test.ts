/** The release step's edit: every stack's pin file gets exactly the released images, by digest. */
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isPinnedImage } from '../../platform/validate/rules.js';
import { awaitingEntries, initPins, releasePins, releaseToAll } from '../../scripts/pin-images.js';
import { defaultImagesDir, readPins } from '../../platform/render/image-pins.js';
import { releasedImageKeys } from '../../stacks/images.js';
import { stackNames } from '../../stacks/index.js';

const digest = (c: string) => `sha256:${c.repeat(64)}`;
const refs = {
  gateway: `ghcr.io/halilit/hsc-jit-gateway:sha-0123abc@${digest('a')}`,
  worker: `ghcr.io/halilit/hsc-jit-worker:sha-0123abc@${digest('c')}`,
  web: `ghcr.io/halilit/hsc-jit-web:sha-0123abc@${digest('b')}`,
};

describe('a release', () => {
  it('writes the app images into every stack’s pin file and takes them off the awaiting list', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hsc-pins-'));
    try {
      cpSync(defaultImagesDir, dir, { recursive: true });
      releaseToAll(refs, {}, dir);
      expect(stackNames.every((s) => readPins(s, dir))).toBe(true);
      for (const stack of stackNames) {
        expect(readPins(stack, dir)).toMatchObject(refs);
        const listed = (
          JSON.parse(readFileSync(join(dir, `${stack}.json`), 'utf8')) as { awaitingFirstRelease?: string[] }
        ).awaitingFirstRelease;
        for (const key of releasedImageKeys) expect(listed ?? []).not.toContain(key);
      }
      for (const ref of Object.values(refs)) expect(isPinnedImage(ref)).toBe(true);
      // What is left for the workflow to resolve from the registry: third-party entries only.
      expect(awaitingEntries(dir).every((line) => !/^(gateway|worker|web) /.test(line))).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('gives a third-party entry its resolved digest only at the tag it pins (a resolution never changes a version)', () => {
    const pins = { redis: 'docker.io/library/redis:7.2.11-bookworm' };
    expect(releasePins(pins, refs, { redis: `docker.io/library/redis:7.2.11-bookworm@${digest('e')}` }).redis).toBe(
      `docker.io/library/redis:7.2.11-bookworm@${digest('e')}`,
    );
    expect(releasePins(pins, refs, { redis: `docker.io/library/redis:7.4.0@${digest('e')}` }).redis).toBe(pins.redis);
  });

  it('refuses references without a digest, and a missing image', () => {
    expect(() => releasePins({}, { ...refs, web: 'ghcr.io/halilit/hsc-jit-web:sha-1' })).toThrow(/sha256/);
    const { worker: _, ...withoutWorker } = refs;
    expect(() => releasePins({}, withoutWorker as typeof refs)).toThrow(/worker/);
  });

  it('--init writes a new stack’s pin file from the stack it follows, and never overwrites one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hsc-pins-'));
    try {
      cpSync(defaultImagesDir, dir, { recursive: true });
      rmSync(join(dir, 'prod.json'));
      expect(initPins('prod', 'staging', dir)).toEqual(readPins('staging', dir));
      expect(() => initPins('prod', 'staging', dir)).toThrow(/exists already/);
      expect(() => initPins('Q A', 'staging', dir)).toThrow(/lower-case/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
