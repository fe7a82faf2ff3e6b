import { describe, expect, it } from 'vitest';
import { splitParts } from './answer-parts.ts';

describe('splitParts', () => {
  const questions = ['How do I save a pattern?', 'How do I copy it?'];
  it('cuts the text the server streamed into its parts, headings left out', () => {
    const text = "How do I save a pattern?\nPress WRITE. [p. 4]\n\nHow do I copy it?\nThis isn't in the manual.";
    expect(splitParts(text, questions)).toEqual(['Press WRITE. [p. 4]', "This isn't in the manual."]);
  });
  it('keeps a text that does not hold the parts in order whole', () => {
    expect(splitParts('How do I copy it?\nx\n\nHow do I save a pattern?\ny', questions)).toBeUndefined();
    expect(splitParts('Preface.\nHow do I save a pattern?\nx\nHow do I copy it?\ny', questions)).toBeUndefined();
    expect(splitParts('How do I save a pattern?\nx', questions.slice(0, 1))).toBeUndefined();
  });
});
