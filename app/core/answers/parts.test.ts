import { describe, expect, it } from 'vitest';
import { splitQuestion } from './parts.js';

const asked = (question: string) => splitQuestion(question).map((p) => p.asked);

describe('splitQuestion', () => {
  it('cuts a list of requests into one question each, repeating the request', () => {
    expect(asked('How do I save a pattern, copy it to another slot and chain patterns together?')).toEqual([
      'How do I save a pattern?',
      'How do I copy it to another slot?',
      'How do I chain patterns together?',
    ]);
    expect(asked('how to clean the filter and then descale the machine')).toEqual([
      'how to clean the filter?',
      'how to descale the machine?',
    ]);
  });

  it('reads a part that refers back against the part before it', () => {
    const parts = splitQuestion('How do I save a pattern, copy it to another slot and chain patterns together?');
    expect(parts[1]?.question).toBe('How do I copy a pattern to another slot?');
  });

  it('gives verbs that share one object that object each', () => {
    expect(asked('How do I save, copy and chain patterns?')).toEqual([
      'How do I save patterns?',
      'How do I copy patterns?',
      'How do I chain patterns?',
    ]);
  });

  it('cuts separate questions apart', () => {
    expect(asked('What is the battery life? How do I charge it?')).toEqual([
      'What is the battery life?',
      'How do I charge it?',
    ]);
    expect(asked('what is the weight and how do I mount it on a stand')).toEqual([
      'what is the weight?',
      'how do I mount it on a stand?',
    ]);
  });

  it('leaves a list of things, and a single question, whole', () => {
    for (const question of [
      'how do I connect headphones and speakers',
      'How do I set the tempo and swing?',
      'how long does the factory reset take?',
      'Press and hold what?',
    ])
      expect(splitQuestion(question)).toEqual([{ asked: question, question }]);
  });

  it('never makes more than five parts, and drops none of what was asked', () => {
    const parts = asked('How do I save, copy, rename, delete, export and import patterns?');
    expect(parts).toHaveLength(5);
    expect(parts.at(-1)).toBe('How do I export patterns and import patterns?');
  });
});
