import { describe, expect, it } from 'vitest';
import { resolveFollowUp } from './follow-up.js';

const previous = (question: string) => ({ id: 'q1', question });

describe('resolveFollowUp', () => {
  it('reads "how long does that take?" as about what the previous question asked to do', () => {
    expect(resolveFollowUp('and how long does that take?', previous('How do I descale the machine?'))).toEqual({
      question: 'and how long does descale the machine take?',
      context: { id: 'q1', question: 'How do I descale the machine?' },
    });
    expect(resolveFollowUp('how long does it take?', previous('How do I update the firmware?')).question).toBe(
      'how long does update the firmware take?',
    );
  });

  it('puts the previous subject in for "it" when the follow-up has its own verb', () => {
    expect(resolveFollowUp('and how do I take it out?', previous('How do I charge the battery?')).question).toBe(
      'and how do I take the battery out?',
    );
  });

  it('asks the previous request about the new subject of "what about X?", without the old verb', () => {
    expect(resolveFollowUp('what about the salt?', previous('How do I clean the filters?')).question).toBe(
      'How do I the salt?',
    );
  });

  it('leaves a question asked again alone: "it" is then the product, not the previous subject', () => {
    expect(
      resolveFollowUp('How do I reset it to factory settings', previous('how do I reset it to factory settings?')),
    ).toEqual({ question: 'How do I reset it to factory settings' });
  });

  it('leaves a question that names its own subject, or has no previous turn, alone', () => {
    expect(resolveFollowUp('How do I update the firmware?', previous('How do I reset it?'))).toEqual({
      question: 'How do I update the firmware?',
    });
    expect(resolveFollowUp('how long does that take?', undefined)).toEqual({ question: 'how long does that take?' });
  });
});
