/** Reads panels back out of dashboard JSON (what Grafana sees): used by the lint and the live check. */
export interface PanelView {
  title: string;
  unit: string | undefined;
  datasource: { uid?: string } | undefined;
  exprs: string[];
  links: string[];
  /** Per-series links (fieldConfig.defaults.links). */
  dataLinks: string[];
}

interface RawPanel {
  type: string;
  title: string;
  datasource?: { uid?: string };
  fieldConfig?: { defaults?: { unit?: string; links?: { url?: string }[] } };
  targets?: { expr?: string }[];
  links?: { url?: string }[];
  panels?: RawPanel[];
}

/** Every non-row panel, including panels nested in collapsed rows. */
export function panelsOf(json: object): PanelView[] {
  const walk = (panels: RawPanel[]): PanelView[] =>
    panels.flatMap((p) =>
      p.type === 'row'
        ? walk(p.panels ?? [])
        : [
            {
              title: p.title,
              unit: p.fieldConfig?.defaults?.unit,
              datasource: p.datasource,
              exprs: (p.targets ?? []).map((t) => t.expr ?? ''),
              links: (p.links ?? []).map((l) => l.url ?? ''),
              dataLinks: (p.fieldConfig?.defaults?.links ?? []).map((l) => l.url ?? ''),
            },
          ],
    );
  return walk((json as { panels?: RawPanel[] }).panels ?? []);
}

export interface VariableView {
  type: string;
  name: string;
  query: string | Record<string, unknown>;
  allValue?: string;
  includeAll?: boolean;
  current?: { value?: string | string[] };
}

export function variablesOf(json: object): VariableView[] {
  return (json as { templating?: { list?: VariableView[] } }).templating?.list ?? [];
}

export interface AnnotationView {
  name: string;
  expr?: string;
  enable?: boolean;
  titleFormat?: string;
  datasource?: { uid?: string };
}

export function annotationsOf(json: object): AnnotationView[] {
  return (json as { annotations?: { list?: AnnotationView[] } }).annotations?.list ?? [];
}
