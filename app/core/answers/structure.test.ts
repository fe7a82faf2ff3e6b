import { describe, expect, it } from 'vitest';
import { plainText, structureOf } from './structure.js';

describe('answer structure', () => {
  it('splits a procedure into intro, numbered steps and cautions by kind', () => {
    expect(
      structureOf([
        { text: 'Copy the update file to the card.', page: 3 },
        { text: 'Step 1 Insert the card.', page: 3 },
        { text: 'WARNING: Do not switch off. It can break the unit.', page: 3 },
        { text: 'b) Press OK.', page: 4 },
        { text: 'NOTE: Settings are kept.', page: 4 },
      ]),
    ).toEqual({
      intro: 'Copy the update file to the card.',
      steps: [
        { text: 'Insert the card.', page: 3, marker: 'Step 1' },
        { text: 'Press OK.', page: 4, marker: 'b)' },
      ],
      cautions: [
        { kind: 'warning', text: 'Do not switch off. It can break the unit.', page: 3 },
        { kind: 'note', text: 'Settings are kept.', page: 4 },
      ],
    });
  });

  it('keeps a warning written as prose among the cautions, even as the first sentence', () => {
    const structure = structureOf([
      { text: 'Everything you saved is erased, so back up your data to an SD card first.', page: 5 },
      { text: 'To perform the factory reset: switch the unit off.', page: 5 },
      { text: 'Press the flashing step button 16 to confirm.', page: 5 },
    ]);
    expect(structure.cautions.map((c) => c.text)).toEqual([
      'Everything you saved is erased, so back up your data to an SD card first.',
    ]);
    expect(structure.intro).toBe('To perform the factory reset: switch the unit off.');
    expect(structure.steps.map((s) => s.text)).toEqual(['Press the flashing step button 16 to confirm.']);
  });

  it('turns manual text into plain text: no image, no link, no control character', () => {
    expect(
      plainText(
        'See ![x](https://attacker.example/t.png) the [portal](//attacker.example/login) <javascript:alert(1)>\u0007 now',
      ),
    ).toBe('See x the portal javascript:alert(1) now');
  });
});
