/**
 * The abuse drill (`npm run drill:abuse`, issue #24): one run against a gateway and a worker as real
 * processes on real Postgres and Redis. Each scenario is one attack an anonymous client could make; it
 * prints its figures and checks its budgets. One JSON object on stdout; exit code 1 when a budget is
 * missed. New attacks are new files in scenarios/, listed below.
 */
import { cpus } from 'node:os';
import { loadAverage } from '../load/proc-stats.js';
import { withinBudget, type Scenario } from './scenario.js';
import { connectionChurn } from './scenarios/connection-churn.js';
import { erasureDuringAsk } from './scenarios/erasure-during-ask.js';
import { failedReselects } from './scenarios/failed-reselects.js';
import { hostileMarkdown } from './scenarios/hostile-markdown.js';
import { manualBombs } from './scenarios/manual-bombs.js';
import { manualFlood } from './scenarios/manual-flood.js';
import { manualHosts } from './scenarios/manual-hosts.js';
import { slowReaders } from './scenarios/slow-readers.js';
import { startAbuseStack } from './stack.js';

const scenarios: Scenario[] = [
  slowReaders,
  manualFlood,
  failedReselects,
  manualBombs,
  hostileMarkdown,
  manualHosts,
  connectionChurn,
  erasureDuringAsk,
];

const only = process.argv.slice(2);
const stack = await startAbuseStack();
const results: Record<string, unknown> = {};
let failed = 0;
try {
  for (const scenario of scenarios) {
    if (only.length > 0 && !only.includes(scenario.name)) continue;
    const started = performance.now();
    const { figures, budgets } = await scenario.run(stack);
    const checked = budgets.map((b) => ({ ...b, ok: withinBudget(b) }));
    failed += checked.filter((b) => !b.ok).length;
    results[scenario.name] = {
      seconds: Math.round((performance.now() - started) / 100) / 10,
      figures,
      budgets: checked,
    };
  }
} finally {
  await stack.stop();
}
console.log(
  JSON.stringify(
    {
      drill: 'abuse',
      machine: { cores: cpus().length, loadAverage: loadAverage() },
      scenarios: results,
      budgetsMissed: failed,
    },
    null,
    2,
  ),
);
process.exit(failed > 0 ? 1 : 0);
