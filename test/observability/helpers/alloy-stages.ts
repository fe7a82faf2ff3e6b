/**
 * An interpreter of the Alloy `loki.process` stages the platform generates, read from the generated River
 * text itself (so what is tested is what the agent gets). No Alloy binary installs here (no Debian or
 * npm package), so this follows Alloy's documented stage semantics for exactly the stages and options
 * used, and throws on anything else rather than guess:
 *  - stage.json: each expression (a plain field name: a JMESPath identifier) copies that field into the
 *    extracted map; a line that is not a JSON object extracts nothing;
 *  - stage.template: runs the Go template with `.Value` = the source value as a string (numbers as Go's
 *    FormatFloat 'f' -1), stores the result in the source key, deletes the key when the result is empty;
 *  - stage.labels / stage.structured_metadata: copy extracted values (as strings) to labels / metadata,
 *    `name = ""` meaning the extracted key of the same name;
 *  - stage.timestamp: parse the source with the given format (RFC3339 only); on failure keep the time.
 */

export interface LogEntry {
  line: string;
  labels: Record<string, string>;
  metadata: Record<string, string>;
  timestamp: number;
}

type Attr = string | Record<string, string>;
interface Stage {
  kind: string;
  attrs: Record<string, Attr>;
}

const STRING = /"(?:[^"\\]|\\.)*"/;

function parseValue(text: string): Attr {
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    const body = trimmed.slice(1, trimmed.lastIndexOf('}'));
    const pairs = [...body.matchAll(new RegExp(`(\\w+)\\s*=\\s*(${STRING.source})`, 'g'))];
    const rest = body.replace(new RegExp(`(\\w+)\\s*=\\s*(${STRING.source})`, 'g'), '').replace(/[\s,]/g, '');
    if (rest !== '') throw new Error(`unsupported object value: ${trimmed}`);
    return Object.fromEntries(pairs.map((m) => [m[1]!, JSON.parse(m[2]!) as string]));
  }
  if (!STRING.test(trimmed) || !trimmed.startsWith('"')) throw new Error(`unsupported value: ${trimmed}`);
  return JSON.parse(trimmed) as string;
}

/** The stages of the `loki.process "<name>"` block in River text. */
export function parseProcessStages(river: string, name: string): Stage[] {
  const start = river.indexOf(`loki.process ${JSON.stringify(name)} {`);
  if (start < 0) throw new Error(`no loki.process "${name}" block`);
  const block = river.slice(start, river.indexOf('\n}', start));
  const stages: Stage[] = [];
  for (const m of block.matchAll(/ {2}stage\.(\w+) \{\n([\s\S]*?)\n {2}\}/g)) {
    const attrs: Record<string, Attr> = {};
    for (const line of m[2]!.split('\n')) {
      const a = /^\s*(\w+)\s*=\s*(.+)$/.exec(line);
      if (!a) throw new Error(`unsupported line in stage.${m[1]}: ${line}`);
      attrs[a[1]!] = parseValue(a[2]!);
    }
    stages.push({ kind: m[1]!, attrs });
  }
  return stages;
}

/** Go's string form of a JSON value as Loki's getString does it. */
function asString(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return JSON.stringify(value);
}

/** The Go template subset the generator emits: text, {{ .Value }}, if / else if / else / end on `eq .Value "…"`. */
export function runGoTemplate(template: string, value: string): string {
  const tokens = template.split(/(\{\{.*?\}\})/).filter((t) => t !== '');
  let pos = 0;
  const condition = (action: string): boolean => {
    const m = /^eq \.Value ("(?:[^"\\]|\\.)*")$/.exec(action);
    if (!m) throw new Error(`unsupported template condition: ${action}`);
    return value === (JSON.parse(m[1]!) as string);
  };
  // Evaluates tokens until an else/else if/end at this level; returns the text and the stopping action.
  const run = (): { out: string; stop?: string } => {
    let out = '';
    while (pos < tokens.length) {
      const token = tokens[pos++]!;
      const action = /^\{\{\s*(.*?)\s*\}\}$/.exec(token)?.[1];
      if (action === undefined) out += token;
      else if (action === '.Value') out += value;
      else if (action.startsWith('if ')) out += runIf(condition(action.slice(3)));
      else if (action === 'else' || action.startsWith('else if ') || action === 'end') return { out, stop: action };
      else throw new Error(`unsupported template action: ${action}`);
    }
    return { out };
  };
  const runIf = (taken: boolean): string => {
    let result = '';
    let done = taken;
    let branch = run();
    if (taken) result = branch.out;
    while (branch.stop && branch.stop !== 'end') {
      const isElseIf = branch.stop.startsWith('else if ');
      const take = !done && (isElseIf ? condition(branch.stop.slice('else if '.length)) : true);
      branch = run();
      if (take) {
        result = branch.out;
        done = true;
      }
    }
    if (branch.stop !== 'end') throw new Error('template: if without end');
    return result;
  };
  const { out, stop } = run();
  if (stop) throw new Error(`template: unexpected ${stop}`);
  return out;
}

export function runStages(stages: Stage[], line: string, labels: Record<string, string>, receivedAt: number): LogEntry {
  const entry: LogEntry = { line, labels: { ...labels }, metadata: {}, timestamp: receivedAt };
  const extracted: Record<string, unknown> = {};
  for (const stage of stages) {
    const { attrs } = stage;
    switch (stage.kind) {
      case 'json': {
        let parsed: unknown;
        try {
          parsed = JSON.parse(line);
        } catch {
          break;
        }
        if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) break;
        for (const [key, path] of Object.entries(attrs.expressions as Record<string, string>)) {
          if (!/^[A-Za-z_]\w*$/.test(path)) throw new Error(`unsupported JMESPath expression: ${path}`);
          const value = (parsed as Record<string, unknown>)[path];
          if (value !== undefined && value !== null) extracted[key] = value;
        }
        break;
      }
      case 'template': {
        const source = attrs.source as string;
        const value = extracted[source] === undefined ? '' : asString(extracted[source]);
        const result = runGoTemplate(attrs.template as string, value);
        if (result === '') delete extracted[source];
        else extracted[source] = result;
        break;
      }
      case 'labels':
      case 'structured_metadata': {
        const target = stage.kind === 'labels' ? entry.labels : entry.metadata;
        for (const [name, from] of Object.entries(attrs.values as Record<string, string>)) {
          const value = extracted[from === '' ? name : from];
          if (value !== undefined && asString(value) !== '') target[name] = asString(value);
        }
        break;
      }
      case 'timestamp': {
        if (attrs.format !== 'RFC3339') throw new Error(`unsupported timestamp format: ${String(attrs.format)}`);
        const raw = extracted[attrs.source as string];
        const parsed =
          typeof raw === 'string' && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/.test(raw)
            ? Date.parse(raw)
            : Number.NaN;
        if (!Number.isNaN(parsed)) entry.timestamp = parsed;
        break;
      }
      default:
        throw new Error(`the interpreter does not know stage.${stage.kind}`);
    }
  }
  return entry;
}
