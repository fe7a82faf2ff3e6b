// The answer renderer in node (react-dom/server): what the browser would build from hostile Markdown.
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { AnswerText } from './components/AnswerText.tsx';
import { manualPageUrl } from './format.ts';

const render = (text: string) =>
  renderToStaticMarkup(createElement(AnswerText, { text, pageUrl: (page: number) => manualPageUrl('acme-9', page) }));

describe('AnswerText', () => {
  it('loads no image and links nowhere off the site, whatever the text says', () => {
    const html = render(
      [
        '![x](https://attacker.example/track.png)',
        '[support portal](//attacker.example/login)',
        '[back](/\\attacker.example)',
        '[site](https://attacker.example)',
        '<https://attacker.example/auto>',
        '[run](javascript:alert(1))',
        '<img src="https://attacker.example/raw.png">',
      ].join('\n\n'),
    );
    expect(html).not.toContain('<img');
    // Every link left resolves on the app's own origin.
    const hrefs = [...html.matchAll(/href="([^"]*)"/g)].map((m) => new URL(m[1]!, 'https://app.example').origin);
    expect(hrefs.filter((origin) => origin !== 'https://app.example')).toEqual([]);
    expect(html).not.toContain('javascript:');
    // The words stay readable.
    expect(html).toContain('support portal');
    expect(html).toContain('x');
  });

  it('links a cited page and the app routes', () => {
    const html = render('Hold SHIFT [p. 4]. See [help](/help).');
    expect(html).toContain('href="/manuals/acme-9.pdf#page=4"');
    expect(html).toContain('href="/help"');
  });
});
