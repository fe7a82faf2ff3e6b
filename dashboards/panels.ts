/**
 * The few building blocks every HSC-JIT dashboard uses, over @grafana/grafana-foundation-sdk: a
 * Prometheus datasource variable, time-series panels whose queries are typed PromQL (so they come from
 * the metric catalog) and whose unit is mandatory, and links from a panel to the runbook of the
 * alert that watches the same signal.
 */
import {
  DashboardBuilder,
  DashboardLinkBuilder,
  DatasourceVariableBuilder,
  RowBuilder,
} from '@grafana/grafana-foundation-sdk/dashboard';
import { LegendDisplayMode, LegendPlacement, VizLegendOptionsBuilder } from '@grafana/grafana-foundation-sdk/common';
import { DataqueryBuilder } from '@grafana/grafana-foundation-sdk/prometheus';
import { PanelBuilder } from '@grafana/grafana-foundation-sdk/timeseries';
import type { Vector } from '../app/telemetry/promql.js';
import { runbookUrl } from '../alerts/define.js';

export const DATASOURCE_VARIABLE = 'datasource';
const datasource = { type: 'prometheus', uid: `\${${DATASOURCE_VARIABLE}}` };

/** Grafana unit ids this project uses; a panel cannot be built without one. */
export type GrafanaUnit = 's' | 'percentunit' | 'short' | 'bytes' | 'reqps' | 'ops';

export interface PanelQuery {
  expr: Vector<string>;
  /** Legend template, e.g. `{{status}}`. */
  legend: string;
}

export interface PanelSpec {
  title: string;
  description: string;
  unit: GrafanaUnit;
  queries: PanelQuery[];
  /** Alerts watching this signal: the panel links to their runbooks. */
  alerts?: string[];
  /** Half width (12 columns) by default. */
  width?: 6 | 8 | 12 | 24;
}

export interface RowSpec {
  title: string;
  panels: PanelSpec[];
}

export interface DashboardSpec {
  uid: string;
  title: string;
  description: string;
  tags: string[];
  rows: RowSpec[];
}

function panel(spec: PanelSpec, id: number): PanelBuilder {
  const builder = new PanelBuilder()
    .id(id)
    .title(spec.title)
    .description(spec.description)
    .datasource(datasource)
    .unit(spec.unit)
    .height(8)
    .span(spec.width ?? 12)
    .lineWidth(1)
    .fillOpacity(10)
    .legend(
      new VizLegendOptionsBuilder()
        .showLegend(true)
        .displayMode(LegendDisplayMode.List)
        .placement(LegendPlacement.Bottom),
    );
  spec.queries.forEach((q, i) => {
    builder.withTarget(
      new DataqueryBuilder()
        .datasource(datasource)
        .expr(q.expr.text)
        .legendFormat(q.legend)
        .refId(String.fromCharCode(65 + i)),
    );
  });
  if (spec.alerts?.length) {
    builder.links(
      spec.alerts.map((alert) =>
        new DashboardLinkBuilder(`Runbook: ${alert}`).url(runbookUrl(alert)).targetBlank(true),
      ),
    );
  }
  return builder;
}

export function buildDashboard(spec: DashboardSpec): { uid: string; title: string; json: object } {
  const builder = new DashboardBuilder(spec.title)
    .uid(spec.uid)
    .description(spec.description)
    .tags(['hsc-jit', ...spec.tags])
    .refresh('30s')
    .time({ from: 'now-3h', to: 'now' })
    .timezone('browser')
    .withVariable(new DatasourceVariableBuilder(DATASOURCE_VARIABLE).label('Data source').type('prometheus'));
  let id = 1;
  for (const row of spec.rows) {
    builder.withRow(new RowBuilder(row.title).id(id++));
    for (const p of row.panels) builder.withPanel(panel(p, id++));
  }
  return { uid: spec.uid, title: spec.title, json: builder.build() };
}
