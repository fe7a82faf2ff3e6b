/**
 * A small Dockerfile reader for the image policy tests: instructions (continuations joined, comments
 * dropped), build stages, ARG defaults, and the exec-form arrays of CMD/ENTRYPOINT/HEALTHCHECK.
 * Anything it does not understand is kept as raw text, so a policy can still refuse it.
 */
import { readFileSync } from 'node:fs';

export interface Instruction {
  keyword: string;
  args: string;
}

export interface Stage {
  /** The FROM argument as written (`${NODE_IMAGE}`, a stage name, or an image reference). */
  from: string;
  name: string | undefined;
  instructions: Instruction[];
}

export interface Dockerfile {
  /** Parser directives (`# syntax=…`, `# escape=…`): the leading comment lines of the form `# key=value`. */
  directives: Map<string, string>;
  /** ARGs declared before the first FROM, with their defaults. */
  globalArgs: Map<string, string | undefined>;
  stages: Stage[];
}

export function parseDockerfile(path: string): Dockerfile {
  const text = readFileSync(path, 'utf8');
  const directives = new Map<string, string>();
  for (const line of text.split('\n')) {
    const directive = /^#\s*([a-z]+)\s*=\s*(.*)$/i.exec(line.trim());
    if (!directive) break;
    directives.set(directive[1]!.toLowerCase(), directive[2]!.trim());
  }
  const logical: string[] = [];
  let current = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (current === '' && (line === '' || line.startsWith('#'))) continue;
    if (line.startsWith('#')) continue; // comment lines inside a continuation
    if (line.endsWith('\\')) {
      current += `${line.slice(0, -1).trim()} `;
      continue;
    }
    logical.push(`${current}${line}`.trim());
    current = '';
  }
  const globalArgs = new Map<string, string | undefined>();
  const stages: Stage[] = [];
  for (const line of logical) {
    const [keyword = '', ...rest] = line.split(/\s+/);
    const instruction = { keyword: keyword.toUpperCase(), args: rest.join(' ') };
    if (instruction.keyword === 'FROM') {
      const match = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(instruction.args);
      if (!match) throw new Error(`${path}: cannot read FROM ${instruction.args}`);
      stages.push({ from: match[1]!, name: match[2], instructions: [] });
    } else if (stages.length === 0) {
      if (instruction.keyword !== 'ARG') throw new Error(`${path}: ${instruction.keyword} before the first FROM`);
      const [name, value] = instruction.args.split(/=(.*)/s);
      globalArgs.set(name!, value);
    } else {
      stages.at(-1)!.instructions.push(instruction);
    }
  }
  return { directives, globalArgs, stages };
}

/** The JSON array of an exec-form instruction, or undefined for shell form. */
export function execForm(args: string): string[] | undefined {
  if (!args.trimStart().startsWith('[')) return undefined;
  const parsed: unknown = JSON.parse(args);
  return Array.isArray(parsed) && parsed.every((p) => typeof p === 'string') ? parsed : undefined;
}

/** The last occurrence of `keyword` in the stage or the stages it is built FROM (how Docker inherits CMD, USER…). */
export function effective(file: Dockerfile, stage: Stage, keyword: string): Instruction | undefined {
  for (let s: Stage | undefined = stage; s; s = file.stages.find((p) => p.name === s!.from)) {
    const found = s.instructions.filter((i) => i.keyword === keyword).at(-1);
    if (found) return found;
  }
  return undefined;
}

/** Every instruction of a stage, its parents' first (the layers the final image is made of). */
export function lineage(file: Dockerfile, stage: Stage): Instruction[] {
  const parent = file.stages.find((p) => p.name === stage.from);
  return [...(parent ? lineage(file, parent) : []), ...stage.instructions];
}
