import { describe, expect, it } from 'vitest';
import { chunkPages, CHUNK_DEFAULTS } from './chunk.js';
import { generatedManualPages } from '../../../scripts/demo-manuals/render.js';

const prose = (page: number, sentences: number) =>
  Array.from(
    { length: sentences },
    (_, i) => `Page ${page} sentence ${i} explains how the module keeps fact number ${page * 100 + i} safe.`,
  ).join(' ');

describe('chunkPages', () => {
  it('never lets a chunk cross a page boundary, and numbers pages from 1', () => {
    const chunks = chunkPages([prose(1, 30), prose(2, 3), '', prose(4, 12)]);
    for (const chunk of chunks) {
      const pages = new Set([...chunk.text.matchAll(/Page (\d+) sentence/g)].map((m) => Number(m[1])));
      expect([...pages]).toEqual([chunk.page]);
    }
    expect(new Set(chunks.map((c) => c.page))).toEqual(new Set([1, 2, 4])); // the empty page 3 has no chunk
    expect(chunks.map((c) => c.ord)).toEqual(chunks.map((_, i) => i));
  });

  it('keeps sizes in the retrieval range and cuts between sentences', () => {
    const chunks = chunkPages([prose(1, 60)]);
    expect(chunks.length).toBeGreaterThan(3);
    for (const chunk of chunks) {
      expect(chunk.text.length).toBeLessThanOrEqual(CHUNK_DEFAULTS.maxChars);
      expect(chunk.text).toMatch(/^Page 1 sentence \d+ .*safe\.$/);
    }
    for (const chunk of chunks.slice(0, -1)) expect(chunk.text.length).toBeGreaterThan(450);
  });

  it('repeats the last sentence of a chunk at the start of the next (overlap)', () => {
    const chunks = chunkPages([prose(1, 40)]);
    for (let i = 1; i < chunks.length; i++) {
      const previousLast = chunks[i - 1]!.text.match(/Page 1 sentence \d+ [^.]*\.$/)?.[0];
      expect(previousLast).toBeDefined();
      expect(chunks[i]!.text.startsWith(previousLast!)).toBe(true);
    }
  });

  it('cuts a sentence longer than the maximum at word boundaries', () => {
    const long = `${'word '.repeat(400)}end.`;
    const chunks = chunkPages([long]);
    expect(chunks.length).toBeGreaterThan(1);
    for (const chunk of chunks) {
      expect(chunk.text.length).toBeLessThanOrEqual(CHUNK_DEFAULTS.maxChars);
      expect(chunk.text).not.toMatch(/wor$|^ord/);
    }
  });

  it('joins wrapped lines, mends words broken by a hyphen, and keeps model codes', () => {
    const page =
      'Factory reset\nTo restore the configu-\nration of the TD-\n17 module, hold the button.\nThe TR-8S then restarts.';
    const [chunk] = chunkPages([page]);
    expect(chunk?.heading).toBe('Factory reset');
    expect(chunk?.text).toBe(
      'To restore the configuration of the TD-17 module, hold the button. The TR-8S then restarts.',
    );
  });

  it('starts a new chunk at a heading and labels the chunk with it', () => {
    const page = `Setup\n${prose(1, 2)}\nMIDI\n${prose(1, 2).replace(/module/g, 'MIDI port')}`;
    const chunks = chunkPages([page]);
    expect(chunks.map((c) => c.heading)).toEqual(['Setup', 'MIDI']);
    expect(chunks[1]?.text).toContain('MIDI port');
    expect(chunks[0]?.text).not.toContain('MIDI port');
  });

  it('chunks the generated 100-page manual page by page', () => {
    const pages = generatedManualPages(100).map((p) => `${p.heading}\n${p.paragraphs.join('\n')}`);
    const chunks = chunkPages(pages);
    expect(new Set(chunks.map((c) => c.page)).size).toBe(100);
  });
});

describe('chunkPages: procedure layouts', () => {
  const title = 'Barista Duo — Owner Manual';
  const pages = [
    [
      title,
      'Descaling the machine',
      'Dissolve one sachet in one litre of water.',
      '1.',
      '',
      'Place a container under the group head.',
      'WARNING',
      '',
      'The solution is hot. Keep hands away',
      'from the wand.',
      'Step 2 Press CLEAN.',
      '1',
    ].join('\n'),
    [title, 'c) Open the steam knob.', 'Note: never use vinegar. It attacks', 'the seals.', '2'].join('\n'),
  ];
  const chunks = chunkPages(pages);
  const text = chunks.map((c) => c.text).join('\n');

  it('drops running headers and page numbers, so a procedure crossing a page stays one section', () => {
    expect(text).not.toContain(title);
    expect(chunks.map((c) => c.heading)).toEqual(['Descaling the machine', undefined]);
  });

  it('keeps a step or a caution per line, a label or step number on its own line joined to its text', () => {
    expect(text.split('\n')).toEqual([
      'Dissolve one sachet in one litre of water.',
      '1. Place a container under the group head.',
      'WARNING: The solution is hot. Keep hands away from the wand.',
      'Step 2 Press CLEAN.',
      'c) Open the steam knob.',
      'NOTE: never use vinegar. It attacks the seals.',
    ]);
  });

  it('reads neither "IMPORTANT SAFETY INSTRUCTIONS" nor "Note the serial number" as a caution label', () => {
    const [chunk] = chunkPages(['IMPORTANT SAFETY INSTRUCTIONS\nNote the serial number. It is on the base.']);
    expect(chunk).toMatchObject({ heading: 'IMPORTANT SAFETY INSTRUCTIONS' });
    expect(chunk?.text).toBe('Note the serial number. It is on the base.');
  });

  it('reads the wrapped lines of a narrow column as prose, not as headings', () => {
    // Two-column pages: each line of a caution or a paragraph is short and has no closing punctuation.
    const page = [
      'Cleaning the nozzle',
      'Heat the nozzle to 200 °C before you start.',
      'WARNING: The nozzle stays hot for several minutes.',
      'Let it cool on the stand and keep your',
      'fingers away from the heater block.',
      '1. Push the cleaning needle into the nozzle.',
      'The machine weighs 5 kg without the spool. The spool',
      'holder takes spools of up to 1 kg.',
    ].join('\n');
    const chunks = chunkPages([page]);
    expect(chunks.map((c) => c.heading)).toEqual(['Cleaning the nozzle']);
    expect(chunks[0]?.text).toContain(
      'WARNING: The nozzle stays hot for several minutes. Let it cool on the stand and keep your fingers away',
    );
    expect(chunks[0]?.text).toContain('The spool holder takes spools of up to 1 kg.');
  });
});
