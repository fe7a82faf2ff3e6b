/** One abuse scenario of the drill: what it measured, and each budget it checked. */
import type { AbuseStack } from './stack.js';

export interface Budget {
  name: string;
  value: number;
  /** The largest value allowed (`max`) or the smallest (`min`). */
  max?: number;
  min?: number;
}

export interface ScenarioResult {
  figures: Record<string, unknown>;
  budgets: Budget[];
}

export interface Scenario {
  name: string;
  run(stack: AbuseStack): Promise<ScenarioResult>;
}

export function withinBudget(budget: Budget): boolean {
  return (
    (budget.max === undefined || budget.value <= budget.max) && (budget.min === undefined || budget.value >= budget.min)
  );
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
