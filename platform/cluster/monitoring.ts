/**
 * Monitoring objects: a ServiceMonitor per metrics Service, the PrometheusRule carrying alerts/'s rule
 * groups, and one Grafana-sidecar ConfigMap per dashboard (label grafana_dashboard: "1", in the
 * monitoring namespace where the sidecar looks). Rules and dashboards come in as props, so this
 * construct does not care where they are authored.
 */
import { ApiObject } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { commonLabels, type StackIdentity } from '../k8s/labels.js';

/** The shape alerts/index.ts exports (plain Prometheus rule groups). */
export interface RuleGroup {
  name: string;
  interval?: string;
  rules: Array<{
    alert?: string;
    record?: string;
    expr: string;
    for?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  }>;
}

/** The shape dashboards/index.ts exports. */
export interface Dashboard {
  uid: string;
  title: string;
  json: object;
}

export interface ScrapeTarget {
  /** The ServiceMonitor's name; default the Service's (set it when one Service has two monitors). */
  name?: string;
  /** The Service whose named port is scraped. */
  service: string;
  /** Labels of that Service the monitor selects on. */
  selector: Record<string, string>;
  port: string;
  path?: string;
}

export interface MonitoringProps {
  /** The stack's name: labels, dashboard uids and folder. */
  readonly stack: Pick<StackIdentity, 'name'>;
  /** Where kube-prometheus-stack runs: its Grafana sidecar loads dashboards from ConfigMaps there. */
  readonly namespace: string;
  /** The `release` label its Prometheus selects ServiceMonitors and rules by. */
  readonly release: string;
  readonly targets: readonly ScrapeTarget[];
  readonly ruleGroups: readonly RuleGroup[];
  readonly dashboards: readonly Dashboard[];
}

/**
 * A dashboard as one stack loads it into a Grafana that may serve several stacks: its uid (also the name of
 * its ConfigMap in the shared monitoring namespace) and folder carry the stack's name, so stacks on one
 * cluster neither overwrite each other's ConfigMaps nor collide on a dashboard uid (Grafana allows 40 chars).
 */
export function stackDashboardUid(stack: Pick<StackIdentity, 'name'>, uid: string): string {
  const stackUid = `${uid}-${stack.name}`;
  if (stackUid.length > 40) throw new Error(`dashboard uid "${stackUid}" is longer than Grafana's 40 characters`);
  return stackUid;
}

export function dashboardFolder(stack: Pick<StackIdentity, 'name'>): string {
  return `HSC-JIT ${stack.name}`;
}

export class Monitoring extends Construct {
  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    const { stack } = props;
    const labels = { ...commonLabels(stack), release: props.release };
    for (const target of props.targets) {
      const name = target.name ?? target.service;
      new ApiObject(this, `monitor-${name}`, {
        apiVersion: 'monitoring.coreos.com/v1',
        kind: 'ServiceMonitor',
        metadata: { name, labels },
        spec: {
          selector: { matchLabels: target.selector },
          endpoints: [{ port: target.port, path: target.path ?? '/metrics', interval: '15s' }],
        },
      });
    }
    new ApiObject(this, 'rules', {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'PrometheusRule',
      metadata: { name: 'hsc-jit', labels },
      spec: { groups: [...props.ruleGroups] },
    });
    for (const dashboard of props.dashboards) {
      new kplus.ConfigMap(this, `dashboard-${dashboard.uid}`, {
        metadata: {
          name: stackDashboardUid(stack, dashboard.uid),
          namespace: props.namespace,
          labels: { ...commonLabels(stack), grafana_dashboard: '1' },
          annotations: { 'grafana-folder': dashboardFolder(stack) },
        },
        data: {
          [`${stackDashboardUid(stack, dashboard.uid)}.json`]: `${JSON.stringify({ ...dashboard.json, uid: stackDashboardUid(stack, dashboard.uid) }, null, 2)}\n`,
        },
      });
    }
  }
}
