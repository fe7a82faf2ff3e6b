/** axe-core (pinned devDependency) injected into the page under test: no serious or critical violation. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';

const AXE = fileURLToPath(new URL('../../../node_modules/axe-core/axe.min.js', import.meta.url));

export async function axe(page: Page, state: string): Promise<void> {
  // Evaluated over CDP: the page's CSP (no inline script) rightly refuses an injected <script>.
  await page.evaluate(`${readFileSync(AXE, 'utf8')}\n;undefined`);
  const violations = await page.evaluate(async () => {
    const result = await (
      globalThis as unknown as {
        axe: {
          run(
            options: object,
          ): Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }>;
        };
      }
    ).axe.run({ resultTypes: ['violations'] });
    return result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(' ')).slice(0, 3) }));
  });
  expect(violations, `axe in state "${state}"`).toEqual([]);
}
