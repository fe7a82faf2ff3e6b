/**
 * An answer's structure for protocol v5 (`answer_done.structure`): the procedure's intro, its steps
 * with the manual's numbering, and its cautions by kind, each as plain text. Sanitized here, on the
 * server, where the source is known: manual text is data, so Markdown link and image syntax, raw URLs
 * in angle brackets and control characters are reduced to their words; the client renders text only.
 */
import type { AnswerStructure } from '../protocol.js';
import { cautionLabel, STEP_MARKER } from '../manuals/chunk.js';
import { isCaution, roleOf } from './procedure.js';

type CautionKind = AnswerStructure['cautions'][number]['kind'];

const KIND_OF_LABEL: Record<string, CautionKind> = {
  DANGER: 'danger',
  WARNING: 'warning',
  CAUTION: 'caution',
  IMPORTANT: 'important',
  NOTICE: 'important',
  ATTENTION: 'important',
  NOTE: 'note',
  NOTES: 'note',
  TIP: 'note',
  HINT: 'note',
};

/** Manual text as plain text: no Markdown images or links, no autolinks, no control characters. */
export function plainText(text: string): string {
  return (
    text
      .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
      .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
      .replace(/<((?:https?|ftp|mailto|javascript|data):[^>]*)>/gi, '$1')
      // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point.
      .replace(/[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g, '')
      .replace(/\s+/g, ' ')
      .trim()
  );
}

/** The structure of a procedure answer from its paragraphs (in manual order, each with its page). */
export function structureOf(paragraphs: readonly { text: string; page: number }[]): AnswerStructure {
  const out: AnswerStructure = { steps: [], cautions: [] };
  const intro: string[] = [];
  for (const { text: raw, page } of paragraphs) {
    const text = plainText(raw);
    const labelled = cautionLabel(text);
    if (labelled) {
      out.cautions.push({ kind: KIND_OF_LABEL[labelled.label] ?? 'note', text: labelled.rest, page });
      continue;
    }
    const marker = STEP_MARKER.exec(text)?.[0];
    if (marker) {
      out.steps.push({ text: text.slice(marker.length).trim(), page, marker });
      continue;
    }
    if (out.steps.length === 0 && out.cautions.length === 0) intro.push(text);
    else if (isCaution(text) && roleOf(text) !== 'step') out.cautions.push({ kind: 'caution', text, page });
    else out.steps.push({ text, page });
  }
  if (intro.length > 0) out.intro = intro.join(' ');
  return out;
}
