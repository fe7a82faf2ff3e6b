/** Builds the app's prom-client registry from the metric catalog, keeping label names typed. */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { metrics, type MetricCatalog, type MetricDeclaration, type MetricKind } from './catalog.js';

type Instrument<D> =
  D extends MetricDeclaration<string, 'counter', infer L>
    ? Counter<L>
    : D extends MetricDeclaration<string, 'gauge', infer L>
      ? Gauge<L>
      : D extends MetricDeclaration<string, 'histogram', infer L>
        ? Histogram<L>
        : never;

export type Instruments = { [K in keyof MetricCatalog]: Instrument<MetricCatalog[K]> };

export interface Telemetry {
  registry: Registry;
  m: Instruments;
}

function instrument(declaration: MetricDeclaration<string, MetricKind, string>, registry: Registry) {
  const common = {
    name: declaration.name,
    help: declaration.help,
    labelNames: [...declaration.labelNames],
    registers: [registry],
  };
  const made =
    declaration.kind === 'counter'
      ? new Counter(common)
      : declaration.kind === 'gauge'
        ? new Gauge(common)
        : new Histogram({ ...common, buckets: [...(declaration.buckets ?? [])] });
  for (const labels of declaration.initial ?? []) {
    if (made instanceof Histogram) made.zero(labels);
    else made.inc(labels, 0);
  }
  return made;
}

/**
 * One registry per app instance (tests run several in one process, so no global default registry).
 * Process metrics (process_resident_memory_bytes, nodejs_eventloop_lag_seconds, …) come with it.
 */
export function createTelemetry(options: { defaultMetrics?: boolean; version?: string } = {}): Telemetry {
  const registry = new Registry();
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry });
  const m = Object.fromEntries(
    Object.entries(metrics).map(([key, declaration]) => [key, instrument(declaration, registry)]),
  ) as Instruments;
  // The release sets APP_RELEASE to the image tag; dashboards annotate a deploy when this label changes.
  m.buildInfo.set({ version: options.version ?? process.env.APP_RELEASE ?? 'unknown' }, 1);
  return { registry, m };
}
