/**
 * YAML as its consumers read it. kubectl and Argo CD decode with sigs.k8s.io/yaml (go-yaml v2, YAML 1.1
 * scalars: `on`, `no`, `y`, `0755`, `1:30`, `~` are booleans, numbers or null there), Prometheus likewise; the
 * `yaml` package writes YAML 1.2 by default and would leave such strings unquoted. Its 1.1 mode quotes every
 * string a 1.1 reader would resolve to something else, so the file means the same to both.
 */
import { stringify } from 'yaml';

export function toYaml(value: unknown): string {
  return stringify(value, { lineWidth: 0, version: '1.1' });
}
