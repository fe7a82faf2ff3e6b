/** docs/architecture.md's layers table and layer diagram are generated (from scripts/layers.cjs and the imports) and must match. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { appEdges, docPath, layersTable, mermaid, withGenerated } from '../../scripts/architecture-diagram.js';
import table from '../../scripts/layers.cjs';
import { repoRoot } from '../../platform/render/synth.js';

describe('docs/architecture.md', () => {
  it('shows the layer table and draws exactly the imports between the top-level units of app/ (npm run architecture regenerates both)', async () => {
    const doc = readFileSync(docPath, 'utf8');
    const edges = await appEdges();
    expect(edges.length).toBeGreaterThan(20);
    expect(doc).toBe(withGenerated(doc, edges));
  });

  it('refuses a unit that belongs to no layer, so a new folder must be placed on the map', () => {
    expect(() => mermaid([['app/edges/gateway', 'app/newfolder']])).toThrow(/newfolder/);
  });

  it('places every top-level folder and file of app/ in exactly one layer of scripts/layers.cjs', () => {
    const members = table.layers.flatMap((layer) => layer.members);
    const onDisk = readdirSync(join(repoRoot, 'app'), { withFileTypes: true })
      .filter((entry) => entry.isDirectory() || (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')))
      .map((entry) => `app/${entry.name}${entry.isDirectory() ? '/' : ''}`);
    // The entry points, the layer folders and the UI.
    expect(onDisk.length).toBeGreaterThan(6);
    for (const path of onDisk)
      expect(
        members.filter((member) => member === path),
        path,
      ).toHaveLength(1);
    expect(layersTable()).toContain('| shared | `app/shared/config.ts`');
  });
});
