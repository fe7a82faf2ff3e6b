/** docs/architecture.md's layer diagram is generated from the code's imports and must match them. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { appEdges, docPath, LAYERS, mermaid, withDiagram } from '../../scripts/architecture-diagram.js';

describe('docs/architecture.md', () => {
  it('draws exactly the imports between the top-level units of app/ (npm run architecture regenerates it)', async () => {
    const doc = readFileSync(docPath, 'utf8');
    const edges = await appEdges();
    expect(edges.length).toBeGreaterThan(20);
    expect(doc).toBe(withDiagram(doc, mermaid(edges)));
  });

  it('refuses a unit that belongs to no layer, so a new folder must be placed on the map', () => {
    expect(() => mermaid([['gateway', 'newfolder']])).toThrow(/newfolder/);
  });

  it('names every layer in the layers table', () => {
    const doc = readFileSync(docPath, 'utf8');
    for (const layer of Object.keys(LAYERS)) expect(doc).toContain(`| ${layer} |`);
  });
});
