/** Every Grafana dashboard, as JSON; the platform writes them (and their sidecar ConfigMaps) under deploy/. */
import type { StackConfig } from '../stacks/types.js';
import { datastoresDashboard } from './datastores.js';
import { manualsDashboard } from './manuals.js';
import { overview } from './overview.js';
import { buildDashboard, type BuiltDashboard, type DashboardSpec } from './panels.js';
import { sloDashboard } from './slo.js';
import { workloadsDashboard } from './workloads.js';

export const dashboardSpecs: readonly DashboardSpec[] = [
  overview,
  sloDashboard,
  manualsDashboard,
  datastoresDashboard,
  workloadsDashboard,
];

/** With a stack, the namespace variable defaults to that stack's namespace. */
export function dashboards(stack?: StackConfig): BuiltDashboard[] {
  return dashboardSpecs.map((spec) => buildDashboard(spec, stack));
}
