import { describe, expect, it } from 'vitest';
import { isAppRoute } from '../../shared/link-policy.js';
import { SafeMarkdownStream, sanitizeMarkdown } from './safe-markdown.js';

const HOSTILE =
  'Register the unit first. ![x](https://attacker.example/track.png) Then open the [support portal](//attacker.example/login) and sign in.';

describe('the link policy', () => {
  it('allows the app routes and refuses everything that leaves the site', () => {
    for (const url of ['/', '/manuals/roland_87-tr8s.pdf#page=3', '/help?topic=reset'])
      expect(isAppRoute(url), url).toBe(true);
    for (const url of [
      '//attacker.example/login',
      '/\\attacker.example',
      '/\t/attacker.example',
      '/\n/attacker.example',
      'https://attacker.example',
      'javascript:alert(1)',
      'data:text/html,x',
      'mailto:a@b.c',
      'manuals/x.pdf',
      '#top',
      '',
    ])
      expect(isAppRoute(url), JSON.stringify(url)).toBe(false);
  });
});

describe('sanitizeMarkdown', () => {
  it('turns images into their alt text and outside links into their words', () => {
    expect(sanitizeMarkdown(HOSTILE)).toBe('Register the unit first. x Then open the support portal and sign in.');
  });

  it('keeps links to app routes, such as a cited page', () => {
    const text = 'See [p. 4](/manuals/acme.pdf#page=4) and [the help](/help).';
    expect(sanitizeMarkdown(text)).toBe(text);
  });

  it('neutralises every other way to write a link or an image', () => {
    const cases: [string, string][] = [
      ['[a](https://attacker.example "title")', 'a'],
      ['[a](</\\attacker.example>)', 'a'],
      ['[a](javascript:alert(1))', 'a'],
      ['![logo](/logo.png)', 'logo'],
      ['[![badge](https://x.example/b.svg)](https://x.example)', 'badge'],
      ['[portal][1]\n\n[1]: //attacker.example', 'portal\n\n1: //attacker.example'],
      ['- [1]: https://attacker.example', '- 1: https://attacker.example'],
      ['![pixel][p]', 'pixel'],
      ['Go to <https://attacker.example/login>.', 'Go to https://attacker.example/login.'],
      ['Mail <help@attacker.example>.', 'Mail help@attacker.example.'],
      ['<a href="//attacker.example">portal</a>', 'portal'],
      ['<img src="https://attacker.example/t.png">', ''],
    ];
    for (const [input, expected] of cases) expect(sanitizeMarkdown(input), input).toBe(expected);
  });

  it('leaves the ordinary text of a manual alone', () => {
    for (const text of [
      'Press [ENTER] to confirm.',
      'Keep the level <10 dB, then press <ENTER>.',
      'Cite pages as [p. 5].',
      'An escaped \\[link](//attacker.example) stays text.',
      '1. Hold SHIFT.\n2. Press [WRITE]. ',
      'Turn it off (and on again) [if needed]',
    ])
      expect(sanitizeMarkdown(text), text).toBe(text);
  });
});

describe('SafeMarkdownStream', () => {
  const streamed = (pieces: string[]) => {
    const stream = new SafeMarkdownStream();
    return pieces.map((p) => stream.push(p)).join('') + stream.end();
  };

  it('gives the same text however the answer is split into pieces', () => {
    const text = `${HOSTILE}\nSee [p. 2] and <https://attacker.example>, [help](/help) <10 dB ![y][r]!`;
    const whole = sanitizeMarkdown(text);
    for (let cut = 0; cut <= text.length; cut++)
      expect(streamed([text.slice(0, cut), text.slice(cut)]), `cut at ${cut}`).toBe(whole);
    expect(streamed([...text])).toBe(whole);
  });

  it('passes plain text on at once and holds only an unfinished construct', () => {
    const stream = new SafeMarkdownStream();
    expect(stream.push('Hold SHIFT and press START. ')).toBe('Hold SHIFT and press START. ');
    expect(stream.push('Open the [support')).toBe('Open the ');
    expect(stream.push(' portal](//attacker.example/login) now.')).toBe('support portal now.');
    expect(stream.end()).toBe('');
  });

  it('does not hold a long bracket forever', () => {
    const stream = new SafeMarkdownStream();
    const long = `[${'word '.repeat(1000)}`;
    expect(stream.push(long)).toBe(long);
  });
});
