/**
 * An answer's Markdown made safe on the server, where its source is known: manual text (quoted by the
 * extractive model, or echoed by a language model that read it) is data, so nothing in it may become
 * an image or a link off the site. Images (`![alt](…)`, `![alt][ref]`, `<img>`) become their alt text;
 * links (`[text](…)`, `[text][ref]`, `<a>`) become their text unless they point at an app route
 * (./link-policy.ts); autolinks (`<https://…>`, `<a@b.c>`) become plain text; link reference
 * definitions (`[ref]: url`) lose their brackets, so no reference can resolve. Everything else is
 * left as written. The browser applies the same policy when rendering (defence in depth).
 *
 * Answers stream: `SafeMarkdownStream` holds back the tail of the text from where a construct begins
 * until it is complete (or clearly is not one), so a link split across two pieces is still caught.
 */
import { isAppRoute } from '../../shared/link-policy.js';

/** A construct longer than this is not waited for: it is passed on as text (the browser still checks). */
const MAX_HOLD = 2048;

type Parsed = { kind: 'done'; end: number; replacement: string } | { kind: 'none' } | { kind: 'incomplete' };
const NONE: Parsed = { kind: 'none' };
const INCOMPLETE: Parsed = { kind: 'incomplete' };

/** The index of the bracket closing the one at `open`, honouring escapes and nesting; -1 if not yet seen. */
function closing(text: string, open: number, left: string, right: string): number | 'blank-line' {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const ch = text[i];
    if (ch === '\\') i++;
    else if (ch === '\n' && text[i + 1] === '\n') return 'blank-line';
    else if (ch === left) depth++;
    else if (ch === right && --depth === 0) return i;
  }
  return -1;
}

/** The destination of an inline link's `(…)`: `<url>` or the first word, without its title. */
function destination(inside: string): string {
  const trimmed = inside.trim();
  if (trimmed.startsWith('<')) return trimmed.slice(1, trimmed.indexOf('>') < 0 ? undefined : trimmed.indexOf('>'));
  return trimmed.split(/\s/)[0] ?? '';
}

/** `[…]` at `at` (after a `!` for an image): a link, image, reference or definition, or not one. */
function parseBracket(text: string, at: number, image: boolean): Parsed {
  const start = image ? at + 1 : at;
  const close = closing(text, start, '[', ']');
  if (close === 'blank-line') return NONE;
  if (close < 0) return INCOMPLETE;
  const label = sanitizeMarkdown(text.slice(start + 1, close));
  const next = text[close + 1];
  if (next === undefined) return INCOMPLETE;
  if (next === '(') {
    const end = closing(text, close + 1, '(', ')');
    if (end === 'blank-line') return NONE;
    if (end < 0) return INCOMPLETE;
    const url = destination(text.slice(close + 2, end));
    const keep = !image && isAppRoute(url);
    return { kind: 'done', end: end + 1, replacement: keep ? `[${label}](${url})` : label };
  }
  if (next === '[') {
    const end = closing(text, close + 1, '[', ']');
    if (end === 'blank-line') return NONE;
    if (end < 0) return INCOMPLETE;
    return { kind: 'done', end: end + 1, replacement: label };
  }
  // A definition (`[ref]: url`) anywhere, even inside a list or quote: without brackets it defines nothing.
  if (next === ':' && !image) return { kind: 'done', end: close + 2, replacement: `${label}:` };
  // `[text]` alone is a link only through a definition, and none survive; an image without one is text.
  return image ? { kind: 'done', end: close + 1, replacement: label } : NONE;
}

const AUTOLINK = /^<(?:[A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*|[^\s<>@]+@[^\s<>]+)>/;
const LINK_OR_IMAGE_TAG = /^<\/?(?:a|img)(?:\s[^<>]*)?\/?>/i;
/** What follows a `<` that could still become an autolink or an `<a>`/`<img>` tag. */
const MAY_CONTINUE = /^(?:[^\s<>]*|\/?(?:a|img)(?:\s[^<>]*)?)$/i;

function parseAngle(text: string, at: number): Parsed {
  const rest = text.slice(at);
  const autolink = AUTOLINK.exec(rest);
  if (autolink) return { kind: 'done', end: at + autolink[0].length, replacement: autolink[0].slice(1, -1) };
  const tag = LINK_OR_IMAGE_TAG.exec(rest);
  if (tag) return { kind: 'done', end: at + tag[0].length, replacement: '' };
  return MAY_CONTINUE.test(rest.slice(1)) ? INCOMPLETE : NONE;
}

/**
 * Sanitizes `text` from the start; when `final` is false, stops at a construct that is not complete
 * yet and returns the rest unprocessed, to be continued with more text.
 */
function scan(text: string, final: boolean): { out: string; rest: string } {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    let parsed: Parsed = NONE;
    if (ch === '\\') {
      if (i + 1 >= text.length && !final) break;
      out += text.slice(i, i + 2);
      i += 2;
      continue;
    }
    if (ch === '!' && (text[i + 1] === '[' || (i + 1 >= text.length && !final)))
      parsed = text[i + 1] === '[' ? parseBracket(text, i, true) : INCOMPLETE;
    else if (ch === '[') parsed = parseBracket(text, i, false);
    else if (ch === '<') parsed = parseAngle(text, i);
    if (parsed.kind === 'incomplete' && !final && text.length - i <= MAX_HOLD) break;
    if (parsed.kind === 'done') {
      out += parsed.replacement;
      i = parsed.end;
    } else {
      out += ch;
      i++;
    }
  }
  return { out, rest: text.slice(i) };
}

/** A whole answer (or a cached or stored one) made safe. */
export function sanitizeMarkdown(text: string): string {
  return scan(text, true).out;
}

/** The same, piece by piece: what `push` returns is safe to send now; `end` returns what was held. */
export class SafeMarkdownStream {
  private held = '';

  push(piece: string): string {
    const { out, rest } = scan(this.held + piece, false);
    this.held = rest;
    return out;
  }

  end(): string {
    const out = sanitizeMarkdown(this.held);
    this.held = '';
    return out;
  }
}
