/**
 * The log agent's configuration (Grafana Alloy, River syntax), generated from one typed description so
 * the stream labels, the structured metadata and the level names are decided here, once:
 *  - discovery: the pods of the stacks' namespaces, tailed through the Kubernetes API (no host mounts,
 *    so the agent runs non-root and read-only);
 *  - stream labels (bounded): namespace, pod, container, app (the workload) and level (six names);
 *  - structured metadata (unbounded, searchable without being indexed): msg, session (a short hash of
 *    the session id, never the id), reqId, productId;
 *  - the line's own `time` as the entry timestamp.
 * test/observability/log-pipeline.test.ts runs this exact text's stages over the app's real log lines.
 */

/** pino's numeric levels as the names Grafana's log views colour by. */
export const PINO_LEVELS: Readonly<Record<string, string>> = {
  '10': 'trace',
  '20': 'debug',
  '30': 'info',
  '40': 'warn',
  '50': 'error',
  '60': 'fatal',
};

/** Labels every stream carries, from Kubernetes discovery (bounded by the topology). */
export const DISCOVERY_LABELS = {
  namespace: '__meta_kubernetes_namespace',
  pod: '__meta_kubernetes_pod_name',
  container: '__meta_kubernetes_pod_container_name',
  app: '__meta_kubernetes_pod_label_app_kubernetes_io_component',
} as const;

/** pino fields lifted from each line: bounded ones become labels, the rest structured metadata. */
export const LOG_LABELS = ['level'] as const;
export const LOG_METADATA = ['msg', 'session', 'reqId', 'productId'] as const;

export interface LogPipelineOptions {
  /** The stacks' namespaces: only their pods are tailed. */
  namespaces: readonly string[];
  /** Loki's push endpoint. */
  lokiPushUrl: string;
}

const q = (s: string) => JSON.stringify(s);

/** `{{ if eq .Value "10" }}trace{{ else if … }}…{{ else }}{{ .Value }}{{ end }}`: unknown levels pass through. */
export function levelTemplate(levels: Readonly<Record<string, string>> = PINO_LEVELS): string {
  const branches = Object.entries(levels).map(
    ([num, name], i) => `{{ ${i === 0 ? 'if' : 'else if'} eq .Value "${num}" }}${name}`,
  );
  return `${branches.join('')}{{ else }}{{ .Value }}{{ end }}`;
}

/** The `loki.process` block: the part that turns a pino line into labels, metadata and a timestamp. */
export function processBlock(forwardTo: string): string {
  const fields = [...LOG_LABELS, ...LOG_METADATA, 'time'];
  return [
    'loki.process "pino" {',
    '  stage.json {',
    `    expressions = { ${fields.map((f) => `${f} = ${q(f)}`).join(', ')} }`,
    '  }',
    '  stage.template {',
    '    source   = "level"',
    `    template = ${q(levelTemplate())}`,
    '  }',
    '  stage.labels {',
    `    values = { ${LOG_LABELS.map((l) => `${l} = ""`).join(', ')} }`,
    '  }',
    '  stage.structured_metadata {',
    `    values = { ${LOG_METADATA.map((m) => `${m} = ""`).join(', ')} }`,
    '  }',
    '  stage.timestamp {',
    '    source = "time"',
    '    format = "RFC3339"',
    '  }',
    `  forward_to = [${forwardTo}]`,
    '}',
  ].join('\n');
}

export function alloyConfig(o: LogPipelineOptions): string {
  return [
    'discovery.kubernetes "pods" {',
    '  role = "pod"',
    `  namespaces { names = [${o.namespaces.map(q).join(', ')}] }`,
    '}',
    '',
    'discovery.relabel "pods" {',
    '  targets = discovery.kubernetes.pods.targets',
    ...Object.entries(DISCOVERY_LABELS).flatMap(([label, meta]) => [
      '  rule {',
      `    source_labels = [${q(meta)}]`,
      `    target_label  = ${q(label)}`,
      '  }',
    ]),
    '}',
    '',
    'loki.source.kubernetes "pods" {',
    '  targets    = discovery.relabel.pods.output',
    '  forward_to = [loki.process.pino.receiver]',
    '}',
    '',
    processBlock('loki.write.loki.receiver'),
    '',
    'loki.write "loki" {',
    `  endpoint { url = ${q(o.lokiPushUrl)} }`,
    '}',
    '',
  ].join('\n');
}
