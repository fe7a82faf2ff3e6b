/**
 * Building a stack in-process: `addStack()` puts a stack's charts into a cdk8s App, `validatedObjects()`
 * turns them into plain objects and validates them, `synthObjects()` does both in a fresh App. The
 * Pulumi program hands `synthObjects()`' objects to @pulumi/kubernetes and `cdk8s synth`
 * (cdk8s-main.ts) validates through `validatedObjects()`, so every delivery path gets the same, checked
 * objects. Writing files is platform/render/synth.ts, on top.
 */
import { App, Chart } from 'cdk8s';
import { ruleGroups as defaultRuleGroups } from '../../alerts/index.js';
import { dashboards as defaultDashboards } from '../../dashboards/index.js';
import type { StackConfig } from '../../stacks/types.js';
import { ArgoApplication } from '../cluster/gitops.js';
import type { Dashboard, RuleGroup } from '../cluster/monitoring.js';
import { Topology } from '../cluster/topology.js';
import type { KubeObject, StackObjects } from './stack-objects.js';
import { validateObjects } from '../validate/index.js';

export interface BuildOptions {
  /** Default: alerts/index.ts ruleGroups(). */
  ruleGroups?: RuleGroup[];
  /** Default: dashboards/index.ts dashboards(). */
  dashboards?: Dashboard[];
  /** Default: the newest migration of this checkout (what the release's image was built with). */
  schemaVersion?: string;
}

export interface StackCharts {
  /** Everything that runs in the cluster. */
  topology: Topology;
  /** The Argo CD Application (GitOps path only; the Pulumi path skips it). */
  gitops: Chart;
}

/** Adds a stack's two charts to an existing App (cdk8s synth puts every stack in one App). */
export function addStack(app: App, stack: StackConfig, options: BuildOptions = {}): StackCharts {
  const topology = new Topology(app, stack.name, {
    stack,
    ruleGroups: options.ruleGroups ?? defaultRuleGroups(),
    dashboards: options.dashboards ?? defaultDashboards(stack),
    ...(options.schemaVersion ? { schemaVersion: options.schemaVersion } : {}),
  });
  const gitops = new Chart(app, `${stack.name}-gitops`, { disableResourceNameHashes: true });
  // The project's scope and the ignored fields are derived from what the topology renders.
  new ArgoApplication(gitops, 'argocd', { stack, objects: topology.toJson() as KubeObject[] });
  return { topology, gitops };
}

export type { KubeObject, StackObjects } from './stack-objects.js';

/** The charts' objects as plain JSON, validated (schemas, unknown fields, cross-object rules); throws SynthError naming each offending object. */
export function validatedObjects(stack: StackConfig, { topology, gitops }: StackCharts): StackObjects {
  const objects: StackObjects = {
    stack,
    topology: topology.toJson() as KubeObject[],
    gitops: gitops.toJson() as KubeObject[],
  };
  validateObjects(objects);
  return objects;
}

/** One stack in a fresh App, as validated plain objects. */
export function synthObjects(stack: StackConfig, options: BuildOptions = {}): StackObjects {
  return validatedObjects(stack, addStack(new App(), stack, options));
}
