/**
 * The few building blocks every HSC-JIT dashboard uses, over @grafana/grafana-foundation-sdk:
 *  - variables: the Prometheus data source, the namespace (one per stack) and the pods in it, so every
 *    panel can be sliced; panel queries take the `scope` matchers below;
 *  - deploy annotations: a release appears as a marker where a new `version` of hsc_jit_build_info shows up;
 *  - time-series panels whose queries are typed PromQL (from the metric catalog), with a mandatory unit,
 *    links to the runbooks of the alerts watching the same signal, and links to the matching logs in
 *    Loki (same namespace and pods, same time range; per series when the series is one pod).
 */
import {
  AnnotationQueryBuilder,
  DashboardBuilder,
  DashboardLinkBuilder,
  DatasourceVariableBuilder,
  QueryVariableBuilder,
  RowBuilder,
  VariableRefresh,
  VariableSort,
} from '@grafana/grafana-foundation-sdk/dashboard';
import { LegendDisplayMode, LegendPlacement, VizLegendOptionsBuilder } from '@grafana/grafana-foundation-sdk/common';
import { DataqueryBuilder } from '@grafana/grafana-foundation-sdk/prometheus';
import { PanelBuilder } from '@grafana/grafana-foundation-sdk/timeseries';
import { metrics } from '../app/shared/telemetry/catalog.js';
import { eq, offset, re, series, sumBy, binary, type Vector } from '../observability/promql.js';
import { runbookUrl } from '../alerts/define.js';
import type { StackConfig } from '../stacks/types.js';

export const DATASOURCE_VARIABLE = 'datasource';
export const NAMESPACE_VARIABLE = 'namespace';
export const POD_VARIABLE = 'pod';
/** The uid the platform gives the Loki data source it provisions (platform/pulumi/logging.ts). */
export const LOKI_DATASOURCE_UID = 'loki';

const datasource = { type: 'prometheus', uid: `\${${DATASOURCE_VARIABLE}}` };

/** Matchers every panel query carries: the selected namespace, and the selected pods (all by default). */
export const scope = { namespace: eq(`$${NAMESPACE_VARIABLE}`), pod: re(`$${POD_VARIABLE}`) } as const;
/** For series that are not per pod (recorded per namespace). */
export const namespaceScope = { namespace: eq(`$${NAMESPACE_VARIABLE}`) } as const;

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
  /** Narrows the log link (LogQL after the stream selector), e.g. `| level = "error"`. */
  logs?: string;
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

export interface BuiltDashboard {
  uid: string;
  title: string;
  json: object;
}

/** `${name}`: interpolated by Grafana when the link is opened. */
const grafanaVariable = (name: string) => `\${${name}}`;

/** Explore in Loki, same time range as the dashboard, for the given stream selector and pipeline. */
export function logsUrl(streamSelector: string, pipeline = ''): string {
  const expr = `${streamSelector}${pipeline ? ` ${pipeline}` : ''}`;
  const panes = {
    logs: {
      datasource: LOKI_DATASOURCE_UID,
      queries: [{ refId: 'A', expr, datasource: { type: 'loki', uid: LOKI_DATASOURCE_UID } }],
      range: { from: grafanaVariable('__from'), to: grafanaVariable('__to') },
    },
  };
  return `/explore?schemaVersion=1&orgId=1&panes=${JSON.stringify(panes)}`;
}

/** The stream selector of the logs behind a panel: the dashboard's namespace and pods. */
export const panelLogSelector = `{namespace="\${${NAMESPACE_VARIABLE}}", pod=~"\${${POD_VARIABLE}:regex}"}`;
/** The stream selector behind one series of a panel (its `pod` label). */
export const seriesLogSelector = `{namespace="\${${NAMESPACE_VARIABLE}}", pod="\${__field.labels.pod}"}`;

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
  builder.links([
    new DashboardLinkBuilder('Logs: these pods, this time range')
      .url(logsUrl(panelLogSelector, spec.logs))
      .targetBlank(true),
    ...(spec.alerts ?? []).map((alert) =>
      new DashboardLinkBuilder(`Runbook: ${alert}`).url(runbookUrl(alert)).targetBlank(true),
    ),
  ]);
  // A series that is one pod links to that pod's logs.
  if (spec.queries.every((q) => q.legend.includes('{{pod}}'))) {
    builder.dataLinks([
      new DashboardLinkBuilder('Logs of this pod').url(logsUrl(seriesLogSelector, spec.logs)).targetBlank(true),
    ]);
  }
  return builder;
}

/** Every HSC-JIT process exports it; a version absent five minutes earlier is a deploy. */
const buildInfo = series(metrics.buildInfo, namespaceScope);
export const deployAnnotationExpr = binary(
  sumBy(['version'], buildInfo),
  'unless',
  sumBy(['version'], offset(buildInfo, '5m')),
);

function variables(builder: DashboardBuilder, stack: StackConfig | undefined): void {
  builder
    .withVariable(new DatasourceVariableBuilder(DATASOURCE_VARIABLE).label('Data source').type('prometheus'))
    .withVariable(
      new QueryVariableBuilder(NAMESPACE_VARIABLE)
        .label('Namespace')
        .description('The stack: namespaces running HSC-JIT (they export hsc_jit_build_info).')
        .datasource(datasource)
        .query(`label_values(${metrics.buildInfo.name}, namespace)`)
        .definition(`label_values(${metrics.buildInfo.name}, namespace)`)
        .refresh(VariableRefresh.OnTimeRangeChanged)
        .sort(VariableSort.AlphabeticalAsc)
        .current(stack ? { text: stack.namespace, value: stack.namespace } : { text: '', value: '' }),
    )
    .withVariable(
      new QueryVariableBuilder(POD_VARIABLE)
        .label('Pod')
        .description('Pods scraped in the namespace (all by default).')
        .datasource(datasource)
        .query(`label_values(up{namespace="$${NAMESPACE_VARIABLE}"}, pod)`)
        .definition(`label_values(up{namespace="$${NAMESPACE_VARIABLE}"}, pod)`)
        .refresh(VariableRefresh.OnTimeRangeChanged)
        .sort(VariableSort.AlphabeticalAsc)
        .multi(true)
        .includeAll(true)
        .allValue('.+')
        .current({ text: 'All', value: '$__all' }),
    );
}

export function buildDashboard(spec: DashboardSpec, stack?: StackConfig): BuiltDashboard {
  const builder = new DashboardBuilder(spec.title)
    .uid(spec.uid)
    .description(spec.description)
    .tags(['hsc-jit', ...spec.tags])
    .refresh('30s')
    .time({ from: 'now-3h', to: 'now' })
    .timezone('browser')
    .annotation(
      new AnnotationQueryBuilder()
        .name('Deploys')
        .datasource(datasource)
        .enable(true)
        .iconColor('purple')
        .expr(deployAnnotationExpr.text)
        .step('1m')
        .titleFormat('Deploy {{version}}')
        .textFormat('Release {{version}} started in $namespace')
        .tagKeys('version'),
    );
  variables(builder, stack);
  let id = 1;
  for (const row of spec.rows) {
    builder.withRow(new RowBuilder(row.title).id(id++));
    for (const p of row.panels) builder.withPanel(panel(p, id++));
  }
  return { uid: spec.uid, title: spec.title, json: builder.build() };
}
