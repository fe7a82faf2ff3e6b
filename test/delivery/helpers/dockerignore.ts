/**
 * .dockerignore semantics, enough for the policy tests: patterns relative to the context root, `*` within
 * a path segment, `**` across segments, a leading `!` re-includes, the last matching pattern wins, and a
 * pattern that matches a directory excludes everything under it.
 */
import { readFileSync } from 'node:fs';

interface Rule {
  exclude: boolean;
  regex: RegExp;
}

function toRegex(pattern: string): RegExp {
  const escaped = pattern
    .replace(/^\/+|\/+$/g, '')
    .split('/')
    .map((segment) =>
      segment === '**'
        ? '\u0000'
        : segment
            .replace(/[.+^${}()|[\]\\]/g, '\\$&')
            .replace(/\*/g, '[^/]*')
            .replace(/\?/g, '[^/]'),
    )
    .join('/')
    // biome-ignore-start lint/suspicious/noControlCharactersInRegex: NUL marks where a ** stood (no path contains it)
    .replace(/\u0000\//g, '(?:.*/)?')
    .replace(/\/\u0000/g, '(?:/.*)?')
    .replace(/\u0000/g, '.*');
  // biome-ignore-end lint/suspicious/noControlCharactersInRegex: NUL marks where a ** stood (no path contains it)
  return new RegExp(`^${escaped}(?:/.*)?$`);
}

export function readDockerignore(path: string): Rule[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'))
    .map((l) =>
      l.startsWith('!') ? { exclude: false, regex: toRegex(l.slice(1)) } : { exclude: true, regex: toRegex(l) },
    );
}

/** True when `path` (context-relative, `/`-separated) is sent to the builder. */
export function isInContext(rules: Rule[], path: string): boolean {
  let included = true;
  for (const rule of rules) if (rule.regex.test(path)) included = !rule.exclude;
  return included;
}
