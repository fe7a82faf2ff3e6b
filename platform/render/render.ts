/**
 * Every file of the GitOps tree for a stack, as a map path → text (no I/O): one YAML file per object
 * (`<kind>-<name>.yaml`, stable), the plain Prometheus rule file and Grafana dashboards, README.md with
 * the diagram, the Argo CD Application, and for dev the compose file. The whole text is scanned for
 * secret values before anything is returned.
 */
import { ruleGroups as defaultRuleGroups } from '../../alerts/index.js';
import { dashboards as defaultDashboards } from '../../dashboards/index.js';
import type { StackConfig } from '../../stacks/types.js';
import { synthObjects, type BuildOptions, type KubeObject, type StackObjects } from './build-stack.js';
import { composeWebRoutesFile, renderCompose, renderComposeWebRoutes } from './compose.js';
import { renderReadme } from './diagram.js';
import { stackFolder } from '../cluster/gitops.js';
import { scanForSecrets, SynthError } from '../validate/index.js';
import { toYaml } from './yaml.js';

export function objectFileName(object: KubeObject): string {
  return `${object.kind.toLowerCase()}-${object.metadata.name}.yaml`;
}

export interface RenderedStack {
  objects: StackObjects;
  /** Repository-relative path → file text. */
  files: Map<string, string>;
}

export function renderStack(stack: StackConfig, options: BuildOptions = {}): RenderedStack {
  const ruleGroups = options.ruleGroups ?? defaultRuleGroups();
  const dashboards = options.dashboards ?? defaultDashboards(stack);
  const objects = synthObjects(stack, { ...options, ruleGroups, dashboards });
  const folder = stackFolder(stack);
  const files = new Map<string, string>();
  for (const object of objects.topology) files.set(`${folder}/${objectFileName(object)}`, toYaml(object));
  files.set(`${folder}/prometheus/rules.yaml`, toYaml({ groups: ruleGroups }));
  for (const d of dashboards) files.set(`${folder}/grafana/${d.uid}.json`, `${JSON.stringify(d.json, null, 2)}\n`);
  files.set(`${folder}/README.md`, renderReadme(stack, objects.topology));
  // deploy/argocd/hsc-jit-<stack>.yaml is the Application; other kinds carry their kind in the file name.
  for (const object of objects.gitops) {
    const prefix = object.kind === 'Application' ? '' : `${object.kind.toLowerCase()}-`;
    files.set(`deploy/argocd/${prefix}${object.metadata.name}.yaml`, toYaml(object));
  }
  if (stack.name === 'dev') {
    files.set('deploy/compose.yaml', renderCompose(stack));
    files.set(`deploy/${composeWebRoutesFile}`, renderComposeWebRoutes(stack));
  }
  const leaks = scanForSecrets(files);
  if (leaks.length > 0) throw new SynthError(stack.name, leaks);
  return { objects, files };
}
