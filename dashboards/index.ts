/** Every Grafana dashboard, as JSON; the platform writes them (and their sidecar ConfigMaps) under deploy/. */
import { datastoresDashboard } from './datastores.js';
import { manualsDashboard } from './manuals.js';
import { overview } from './overview.js';
import { buildDashboard, type DashboardSpec } from './panels.js';

export const dashboardSpecs: readonly DashboardSpec[] = [overview, manualsDashboard, datastoresDashboard];

export function dashboards(): { uid: string; title: string; json: object }[] {
  return dashboardSpecs.map(buildDashboard);
}
