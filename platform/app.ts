/**
 * Building a stack in-process: `buildApp()` returns the cdk8s App and its charts (the Pulumi program
 * hands `synthObjects()`' plain objects to @pulumi/kubernetes); `synthObjects()` validates them first,
 * so both delivery paths get the same, checked objects. Writing files is platform/synth.ts, on top.
 */
import { App, Chart } from 'cdk8s';
import { ruleGroups as defaultRuleGroups } from '../alerts/index.js';
import { dashboards as defaultDashboards } from '../dashboards/index.js';
import type { StackConfig } from '../stacks/types.js';
import { ArgoApplication } from './gitops.js';
import type { Dashboard, RuleGroup } from './monitoring.js';
import { Topology } from './topology.js';
import type { KubeObject, StackObjects } from './stack-objects.js';
import { validateObjects } from './validate/index.js';

export interface BuildOptions {
  /** Default: alerts/index.ts ruleGroups(). */
  ruleGroups?: RuleGroup[];
  /** Default: dashboards/index.ts dashboards(). */
  dashboards?: Dashboard[];
  /** Where `app.synth()` writes (cdk8s synth); unused by synthObjects(). */
  outdir?: string;
}

export interface StackApp {
  app: App;
  /** Everything that runs in the cluster. */
  topology: Topology;
  /** The Argo CD Application (GitOps path only; the Pulumi path skips it). */
  gitops: Chart;
}

export function buildApp(stack: StackConfig, options: BuildOptions = {}): StackApp {
  const app = new App({ outdir: options.outdir ?? 'dist/cdk8s', outputFileExtension: '.yaml' });
  return { app, ...addStack(app, stack, options) };
}

/** Adds a stack's two charts to an existing App (cdk8s synth puts every stack in one App). */
export function addStack(app: App, stack: StackConfig, options: BuildOptions = {}): Omit<StackApp, 'app'> {
  const topology = new Topology(app, stack.name, {
    stack,
    ruleGroups: options.ruleGroups ?? defaultRuleGroups(),
    dashboards: options.dashboards ?? defaultDashboards(stack),
  });
  const gitops = new Chart(app, `${stack.name}-gitops`, { disableResourceNameHashes: true });
  new ArgoApplication(gitops, 'argocd', { stack });
  return { topology, gitops };
}

export type { KubeObject, StackObjects } from './stack-objects.js';

/** The stack's objects as plain JSON, validated (schemas, unknown fields, cross-object rules); throws SynthError naming each offending object. */
export function synthObjects(stack: StackConfig, options: BuildOptions = {}): StackObjects {
  const { topology, gitops } = buildApp(stack, options);
  const objects: StackObjects = {
    stack,
    topology: topology.toJson() as KubeObject[],
    gitops: gitops.toJson() as KubeObject[],
  };
  validateObjects(objects);
  return objects;
}
