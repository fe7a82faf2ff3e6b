import { describe, expect, it } from 'vitest';
import { formatBytes, manualPageUrl, percent, safeImageUrl } from './format.ts';

describe('format', () => {
  it('formats sizes, percentages and manual links', () => {
    expect([formatBytes(512), formatBytes(2048), formatBytes(3.5 * 1024 * 1024)]).toEqual(['512 B', '2 KB', '3.5 MB']);
    expect([percent(0.923), percent(-1), percent(2)]).toEqual(['92%', '0%', '100%']);
    expect(manualPageUrl('roland td/17', 12)).toBe('/manuals/roland%20td%2F17.pdf#page=12');
    expect(manualPageUrl('x')).toBe('/manuals/x.pdf');
  });

  it('refuses non-http image URLs', () => {
    expect(safeImageUrl('https://cdn.example/x.png')).toBe('https://cdn.example/x.png');
    expect(safeImageUrl('javascript:alert(1)')).toBeUndefined();
    expect(safeImageUrl(undefined)).toBeUndefined();
  });
});
