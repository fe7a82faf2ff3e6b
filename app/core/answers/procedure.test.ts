import { describe, expect, it } from 'vitest';
import { asksHowTo, blocksOf, roleOf } from './procedure.js';

describe('procedure structure', () => {
  it('tells purposes, steps, cautions, back-references and new topics apart by shape', () => {
    expect(roleOf('To perform the factory reset: switch the unit off.')).toBe('purpose');
    expect(roleOf('For a complete restore, hold SHIFT and MENU.')).toBe('purpose');
    expect(roleOf('3. Slide the old filter out.')).toBe('step');
    expect(roleOf('Keep holding until the display shows RESET.')).toBe('step');
    expect(roleOf('Note: the connector is fragile.')).toBe('caution');
    expect(roleOf('All memories are erased.')).toBe('caution');
    expect(roleOf('This erases the internal drive.')).toBe('caution');
    expect(roleOf('Your projects are kept.')).toBe('refers-back');
    expect(roleOf('A full factory reset erases all scenes.')).toBe('opener');
    expect(roleOf('Software updates are installed from Preferences.')).toBe('opener');
    // A topic, then what to do after a colon: a procedure of its own.
    expect(roleOf('Firmware is updated from a USB drive: copy the file to the drive and go to Setup.')).toBe('purpose');
    expect(roleOf('Feedback in the monitors: lower the send level.')).toBe('purpose');
    expect(roleOf('WARNING: Never touch the heater.')).toBe('caution');
    expect(roleOf('Connectors: MIX OUT L and R, phones, MIDI IN and OUT.')).toBe('opener');
  });

  it('keeps a procedure and its warnings in one block, and starts a new one at another procedure', () => {
    const texts = [
      'To reset the unit: hold POWER.',
      'Press ENTER to confirm.',
      'All memories are erased.',
      'The reset takes a minute.',
      'The display dims after an hour.',
      'To update the firmware, copy the file.',
    ];
    expect(blocksOf(texts.map((text) => ({ text, section: 0 })))).toEqual([0, 0, 0, 0, 1, 2]);
  });

  it('recognises how-to questions', () => {
    expect(asksHowTo('How do I restore the factory settings?')).toBe(true);
    expect(asksHowTo('steps to replace the filter')).toBe(true);
    expect(asksHowTo('reset the mixer')).toBe(true);
    expect(asksHowTo('how heavy is it')).toBe(false);
    expect(asksHowTo('which midi channel does it use')).toBe(false);
  });
});
