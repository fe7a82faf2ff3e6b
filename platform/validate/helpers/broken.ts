/** Break one thing in real synth output (prod) and check the validator reports it and the synth refuses. */
import { expect } from 'vitest';
import { stacks } from '../../render/stacks.js';
import { type StackObjects, synthObjects } from '../../render/build-stack.js';
import { findViolations, SynthError, validateObjects } from '../index.js';
import type { Loose } from '../objects.js';

export function broken(
  mutate: (find: (kind: string, name: string) => Loose, objects: StackObjects) => void,
): StackObjects {
  const objects = structuredClone(synthObjects(stacks.prod));
  const find = (kind: string, name: string) => {
    const o = objects.topology.find((x) => x.kind === kind && x.metadata.name === name);
    if (!o) throw new Error(`no ${kind}/${name}`);
    return o as Loose;
  };
  mutate(find, objects);
  return objects;
}

export function expectRefused(objects: StackObjects, rule: string, object: string, message: RegExp): void {
  const hit = findViolations(objects).find((v) => v.rule === rule && v.object === object);
  expect(hit, `expected a ${rule} violation on ${object}`).toBeDefined();
  expect(hit!.message).toMatch(message);
  expect(() => validateObjects(objects)).toThrow(SynthError);
  expect(() => validateObjects(objects)).toThrow(object);
}
