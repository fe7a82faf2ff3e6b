import { describe, expect, it } from 'vitest';
import { terms } from './terms.js';

describe('terms', () => {
  it('stems a doubled consonant before -ing and -ed to the word the manual uses', () => {
    expect(terms('Setting up a network')).toEqual(terms('set up a network'));
    expect(terms('stopped')).toEqual(terms('stop'));
    expect(terms('installing')).toEqual(terms('install'));
    expect(terms('adding')).toEqual(terms('add'));
  });

  it("reads a phrasal verb as the manual's verb, and leaves the verb alone elsewhere", () => {
    expect(terms('take the battery out')).toEqual(terms('remove the battery'));
    expect(terms('pull out the plug')).toEqual(terms('remove the plug'));
    expect(terms('put the filter back')).toContain(terms('insert')[0]);
    expect(terms('how long does it take')).toContain('take');
  });
});
