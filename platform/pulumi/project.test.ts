/**
 * The Pulumi project files agree with the program: Pulumi.yaml points at an entry module with only a
 * default export (the ESM shape Pulumi's Node host accepts), each Pulumi.<stack>.yaml names a stack of
 * stacks/, uses only keys the program reads, and never holds a secret in plain text.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { stackNames } from '../../stacks/index.js';
import { repoRoot } from '../render/synth.js';
import { plainConfigKeys, PROJECT, secretConfigKeys } from './config.js';

const project = parse(readFileSync(join(repoRoot, 'Pulumi.yaml'), 'utf8')) as {
  name: string;
  main: string;
  runtime: { name: string; options: { typescript: boolean; nodeargs: string } };
  config?: Record<string, unknown>;
};
const stackFiles = readdirSync(repoRoot).filter((f) => /^Pulumi\.[\w-]+\.yaml$/.test(f));

describe('Pulumi.yaml', () => {
  it('is the nodejs project the config keys are namespaced by, running the ESM TypeScript entry through tsx', () => {
    expect(project.name).toBe(PROJECT);
    expect(project.runtime.name).toBe('nodejs');
    expect(project.runtime.options).toMatchObject({ typescript: false, nodeargs: '--import tsx' });
    expect(existsSync(join(repoRoot, project.main))).toBe(true);
    for (const key of Object.keys(project.config ?? {})) expect(plainConfigKeys as readonly string[]).toContain(key);
  });

  it('points at a module with only a default export, a function', async () => {
    const entry = (await import(join(repoRoot, project.main))) as Record<string, unknown>;
    expect(Object.keys(entry)).toEqual(['default']);
    expect(typeof entry.default).toBe('function');
  });
});

describe('Pulumi.<stack>.yaml', () => {
  it('exists for every stack and for nothing else', () => {
    expect(stackFiles.map((f) => f.split('.')[1]).sort()).toEqual([...stackNames].sort());
  });

  it.each(stackFiles)('%s: only keys the program reads; secret keys only as encrypted values', (file) => {
    const config =
      (parse(readFileSync(join(repoRoot, file), 'utf8')) as { config?: Record<string, unknown> }).config ?? {};
    for (const [fullKey, value] of Object.entries(config)) {
      const [namespace, key] = fullKey.split(':');
      expect(namespace, fullKey).toBe(PROJECT);
      expect([...plainConfigKeys, ...secretConfigKeys] as string[]).toContain(key);
      if ((secretConfigKeys as readonly string[]).includes(key!))
        expect(value, `${fullKey} must be set with --secret`).toMatchObject({ secure: expect.any(String) });
    }
  });
});
