import { describe, expect, it } from 'vitest';
import {
  asSentence,
  confidencePercent,
  formatBytes,
  linkPageReferences,
  manualPageUrl,
  percent,
  productTitle,
  safeImageUrl,
} from './format.ts';

describe('format', () => {
  it('formats sizes, percentages and manual links', () => {
    expect([formatBytes(512), formatBytes(2048), formatBytes(3.5 * 1024 * 1024)]).toEqual(['512 B', '2 KB', '3.5 MB']);
    expect([percent(0.923), percent(-1), percent(2)]).toEqual(['92%', '0%', '100%']);
    // A prediction is never shown as certain; progress may reach 100%.
    expect([confidencePercent(0.999), confidencePercent(0.923), confidencePercent(-1)]).toEqual(['99%', '92%', '0%']);
    expect(manualPageUrl('roland td/17', 12)).toBe('/manuals/roland%20td%2F17.pdf#page=12');
    expect(manualPageUrl('x')).toBe('/manuals/x.pdf');
  });

  it("links a model's page references to the manual page, leaving written links alone", () => {
    const url = (page: number) => manualPageUrl('tr8s', page);
    expect(linkPageReferences('Hold SAMPLE [p. 5], then [page 6] and [p.7].', url)).toBe(
      'Hold SAMPLE [p. 5](/manuals/tr8s.pdf#page=5), then [page 6](/manuals/tr8s.pdf#page=6) and [p. 7](/manuals/tr8s.pdf#page=7).',
    );
    expect(linkPageReferences('See [p. 5](https://example.com) or [step 5].', url)).toBe(
      'See [p. 5](https://example.com) or [step 5].',
    );
  });

  it('names a product once, without repeating a maker its name already starts with', () => {
    expect(productTitle({ brand: 'Roland Commercial', name: 'Roland TR-8S Rhythm Performer' })).toBe(
      'Roland TR-8S Rhythm Performer',
    );
    expect(productTitle({ brand: 'On Stage', name: 'On Stage MS7201B Round Base Mic Stand' })).toBe(
      'On Stage MS7201B Round Base Mic Stand',
    );
    expect(productTitle({ brand: 'Roland Blueprint', name: 'FP-E50' })).toBe('Roland Blueprint FP-E50');
    expect(productTitle({ brand: 'Roland', name: 'Rolandish X' })).toBe('Roland Rolandish X');
    expect(productTitle({ brand: '', name: 'other' })).toBe('other');
  });

  it('turns server messages into sentences', () => {
    expect(asSentence('no manual is available for this product')).toBe('No manual is available for this product.');
    expect(asSentence('Already done!')).toBe('Already done!');
    expect(asSentence('')).toBe('');
  });

  it('refuses non-http image URLs', () => {
    expect(safeImageUrl('https://cdn.example/x.png')).toBe('https://cdn.example/x.png');
    expect(safeImageUrl('javascript:alert(1)')).toBeUndefined();
    expect(safeImageUrl(undefined)).toBeUndefined();
  });
});
