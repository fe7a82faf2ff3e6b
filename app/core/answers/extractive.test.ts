import { describe, expect, it } from 'vitest';
import { createExtractiveModel, NOT_FOUND_ANSWER } from './extractive.js';
import { AnswerModelError, type AnswerSource } from './model.js';
import { DEMO_MANUALS } from '../../../scripts/demo-manuals/content.js';

const tr8s = DEMO_MANUALS.find((m) => m.productId === 'roland_87-tr8s')!;
const chunkOf = (page: number, ord = page): AnswerSource => ({
  page,
  ord,
  heading: tr8s.pages[page - 1]!.heading,
  text: tr8s.pages[page - 1]!.paragraphs.join(' '),
});

async function collect(stream: AsyncIterable<string>): Promise<string> {
  let text = '';
  for await (const piece of stream) text += piece;
  return text;
}

describe('extractive answer model', () => {
  const model = createExtractiveModel();

  it('answers from the most relevant sentences and cites the pages it used', async () => {
    const chunks = [chunkOf(6), chunkOf(5), chunkOf(4)];
    const stream = model.stream('how do I do a factory reset?', chunks, new AbortController().signal);
    const text = await collect(stream);
    expect(text).toContain('hold the SAMPLE button and switch the power on');
    const citations = stream.citations();
    expect(citations[0]?.page).toBe(5);
    for (const citation of citations) {
      const source = chunks.find((c) => c.page === citation.page);
      expect(source, `cited page ${citation.page} was retrieved`).toBeDefined();
      expect(source!.text).toContain(citation.snippet.replace(/…$/, ''));
    }
  });

  it('streams in several pieces, in manual order', async () => {
    const pieces: string[] = [];
    for await (const piece of model.stream('midi channel sync clock', [chunkOf(4)], new AbortController().signal))
      pieces.push(piece);
    expect(pieces.length).toBeGreaterThan(3);
    const text = pieces.join('');
    expect(text.indexOf('channel 10')).toBeLessThan(text.indexOf('Sync Mode'));
  });

  it('keeps the step that follows a sentence ending in a colon', async () => {
    const chunk: AnswerSource = {
      page: 2,
      ord: 0,
      heading: 'Reset',
      text: 'Battery care matters. To reset the unit: Hold POWER and VOLUME for five seconds. Colours are blue.',
    };
    const text = await collect(model.stream('reset unit', [chunk], new AbortController().signal));
    expect(text).toContain('To reset the unit: Hold POWER and VOLUME for five seconds.');
  });

  it('says so when there is nothing to answer from, with no citations', async () => {
    const stream = model.stream('how do I reset it', [], new AbortController().signal);
    expect(await collect(stream)).toBe(NOT_FOUND_ANSWER);
    expect(stream.citations()).toEqual([]);
  });

  it('stops with a named error when the caller aborts', async () => {
    const controller = new AbortController();
    const stream = model.stream('factory reset', [chunkOf(5)], controller.signal);
    const seen: string[] = [];
    const error = await (async () => {
      for await (const piece of stream) {
        seen.push(piece);
        controller.abort();
      }
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AnswerModelError);
    expect((error as AnswerModelError).code).toBe('cancelled');
    expect(seen).toHaveLength(1);
  });
});

describe('extractive answer model: procedures on other layouts', () => {
  const model = createExtractiveModel();
  const section = (page: number, ord: number, heading: string | undefined, lines: string[]): AnswerSource => ({
    page,
    ord,
    heading,
    text: lines.join('\n'),
  });

  it('returns the intro, every step however numbered, and each caution whole, across a page break', async () => {
    const chunks = [
      section(1, 0, 'Specifications', ['The grinder has 18 settings.']),
      section(1, 1, 'Replacing the nozzle', [
        'Replace the nozzle when it is clogged or worn.',
        'a) Heat the nozzle to 200 °C.',
        'WARNING: The heater block is at 200 °C. Never touch it, and never loosen the nozzle when cold.',
        'b) Hold the heater block with the spanner supplied.',
      ]),
      section(2, 2, undefined, [
        'c) Unscrew the nozzle anticlockwise.',
        'NOTE: Worn nozzles leave gaps. Replace them in pairs.',
      ]),
      section(2, 3, 'Changing the filament', ['Heat the nozzle first.', 'a) Press the lever.']),
    ];
    const stream = model.stream('How do I replace the nozzle?', chunks, new AbortController().signal);
    const text = await collect(stream);
    expect(text.split('\n')).toEqual([
      'Replace the nozzle when it is clogged or worn.',
      'a) Heat the nozzle to 200 °C.',
      'WARNING: The heater block is at 200 °C. Never touch it, and never loosen the nozzle when cold.',
      'b) Hold the heater block with the spanner supplied.',
      'c) Unscrew the nozzle anticlockwise.',
      'NOTE: Worn nozzles leave gaps. Replace them in pairs.',
    ]);
    expect(stream.citations().map((c) => c.page)).toEqual([1, 2]);
  });

  it('reads a procedure written as one prose paragraph, without the topics around it, a step per line', async () => {
    const chunks = [
      section(5, 4, 'Restoring the factory settings', [
        'A factory reset returns all settings to the state they were in when the unit left the factory. ' +
          'Everything you saved is erased, so back up your data first. ' +
          'To perform the factory reset: switch the unit off, then hold the SAMPLE button and switch the power on. ' +
          'Keep holding until the display shows FACTORY RESET. ' +
          'Press the flashing step button 16 to confirm. ' +
          'To update the firmware, copy the update file to the SD card and power on while holding START.',
      ]),
    ];
    const stream = model.stream('How do I restore the factory settings?', chunks, new AbortController().signal);
    expect((await collect(stream)).split('\n')).toEqual([
      'Everything you saved is erased, so back up your data first.',
      'To perform the factory reset: switch the unit off, then hold the SAMPLE button and switch the power on.',
      'Keep holding until the display shows FACTORY RESET.',
      'Press the flashing step button 16 to confirm.',
    ]);
  });

  it('reads a procedure stated after a topic and a colon, without the procedure before it', async () => {
    const chunks = [
      section(5, 4, 'Resetting the mixer', [
        'A full factory reset erases all scenes. Hold the Home key while switching the mixer on. ' +
          'Firmware is updated from a USB drive: copy the firmware file to the drive and go to Setup, Firmware.',
      ]),
      section(4, 3, 'Remote apps', ['To connect a DAW controller, plug it into the USB-B port.']),
    ];
    const stream = model.stream('how do I update the firmware from a usb drive', chunks, new AbortController().signal);
    expect(await collect(stream)).toBe(
      'Firmware is updated from a USB drive: copy the firmware file to the drive and go to Setup, Firmware.',
    );
    expect(stream.citations().map((c) => c.page)).toEqual([5]);
  });

  it('answers a how-to question from the sentence that covers it when no procedure does', async () => {
    const chunks = [
      section(4, 3, 'Monitor mixes', ['To send a channel to a monitor mix, press the Mix key of that mix.']),
      section(2, 1, 'Inputs', [
        'Phantom power for condenser microphones is switched per channel on the Preamp screen.',
      ]),
    ];
    const stream = model.stream(
      'how do I power a condenser microphone on a channel',
      chunks,
      new AbortController().signal,
    );
    expect(await collect(stream)).toContain('Phantom power for condenser microphones');
    expect(stream.citations().map((c) => c.page)).toEqual([2]);
  });

  it('picks the procedure the question is about, not one that mentions its words in passing', async () => {
    const chunks = [
      section(2, 1, 'Resetting the camera', [
        'Use a reset when the camera no longer responds.',
        'CAUTION: A reset erases the Wi-Fi name, the lens profiles and your custom buttons.',
        '1. Switch the camera off and take out the battery.',
        '2. Hold MENU while you switch the camera on.',
      ]),
      section(3, 2, 'Removing the lens', [
        'Switch the camera off before you remove the lens.',
        '1. Hold the lens release button.',
        '2. Turn the lens anticlockwise and remove it.',
      ]),
    ];
    const stream = model.stream('how do I take the lens out?', chunks, new AbortController().signal);
    const text = await collect(stream);
    expect(text).toContain('Turn the lens anticlockwise and remove it.');
    expect(text).not.toContain('Hold MENU');
    expect(stream.citations().map((c) => c.page)).toEqual([3]);
  });

  it('is not confident when a word the question weighs is only in another section', async () => {
    const chunks = [
      section(3, 2, 'Programming a pattern', [
        'To save a pattern, press WRITE, choose a pattern slot and press WRITE again.',
      ]),
      section(5, 4, 'Firmware', ['To update the firmware, copy the update file to the root of the SD card.']),
    ];
    const stream = model.stream('How do I copy a pattern?', chunks, new AbortController().signal);
    expect(await collect(stream)).toMatch(/^The closest I found in the manual is:/);
    expect(stream.meta?.().confidence).toBe('closest');
  });

  it('answers "how long does it take?" from the sentence that states the duration, confidently', async () => {
    const chunks = [
      section(5, 4, 'Restoring the factory settings', [
        'A factory reset returns all settings to the state they were in when the unit left the factory.',
        'To perform the factory reset: switch the unit off, then hold SAMPLE and switch the power on.',
        'Keep holding until the display shows FACTORY RESET.',
        'Press step 16 to confirm. The reset takes about one minute.',
      ]),
    ];
    const stream = model.stream('how long does the factory reset take?', chunks, new AbortController().signal);
    expect(await collect(stream)).toContain('The reset takes about one minute.');
    expect(stream.meta?.().confidence).toBe('confident');
  });
});
