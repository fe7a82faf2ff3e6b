/**
 * Text normalization shared by the index (product names) and the queries (what the customer types), so
 * both sides meet in the same form: "SQ-5", "sq5" and "sq 5" all become the atoms ["sq", "5"];
 * "M•Caster" becomes ["m", "caster"]; "18\"" and "18in" become "18"; "&" and "and" disappear.
 */

/** Words that carry no identity; dropped on both sides so "allen and heath" meets "Allen & Heath". */
export const STOPWORDS: ReadonlySet<string> = new Set(['and', 'the', 'of', 'for', 'with', 'inch', 'inches']);

/** Standalone roman numerals that product names use for generations ("MPC Live II", "Mk III"). */
const ROMAN: Readonly<Record<string, string>> = { ii: '2', iii: '3', iv: '4' };

/** A word as typed or as printed: its letter/digit runs, and where a run has a numeric twin, that twin. */
export interface Word {
  atoms: string[];
  /** alternates[i] is the digit form of atoms[i] when it is a roman numeral ("ii" → "2"). */
  alternates: (string | undefined)[];
}

const COMBINING_MARKS = /[\u0300-\u036f]/g;
// An inch mark after a number is a size, not a separator worth keeping: 18" / 18″ / 18'' / 18in / 18 inch.
// "in" counts only attached ("18in"): "MP-240 In-Ear" is a model and a word.
const INCH_SUFFIX = /(\p{N})(?:\s*(?:"|″|''|’’|inches\b|inch\b)|in\b)/gu;
const WORD_SEPARATORS = /[^\p{L}\p{N}]+/u;
const ATOMS = /\p{L}+|\p{N}+/gu;
const MK_ROMAN = /^mk(ii|iii|iv)$/;

/** Lowercase, strip accents, unify inch marks. Never throws on any string. */
export function foldText(text: string): string {
  return text.normalize('NFKD').replace(COMBINING_MARKS, '').toLowerCase().replace(INCH_SUFFIX, '$1 ');
}

/** Splits text into words of letter/digit atoms, dropping stopwords. */
export function toWords(text: string): Word[] {
  const words: Word[] = [];
  for (const raw of foldText(text).split(WORD_SEPARATORS)) {
    if (raw.length === 0 || STOPWORDS.has(raw)) continue;
    const roman = MK_ROMAN.exec(raw);
    const atoms = roman ? ['mk', roman[1]!] : (raw.match(ATOMS) ?? []);
    if (atoms.length === 0) continue;
    words.push({ atoms, alternates: atoms.map((atom) => ROMAN[atom]) });
  }
  return words;
}

/** The query's words as the user typed them, each joined back ("tr-8s" → "tr", "8s"; "tr8s" → "tr8s"). */
export function queryWords(text: string): string[] {
  return toWords(text).map((word) => word.atoms.join(''));
}

/** True when the string has at least one digit (model codes). */
export function hasDigit(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 48 && code <= 57) return true;
  }
  return false;
}

/** True when the string is digits only ("15", not "15x"). */
export function isNumber(text: string): boolean {
  if (text.length === 0) return false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 48 || code > 57) return false;
  }
  return true;
}

/** The digits of a string, in order ("tr8s" → "8"): a typo that changes them names another model. */
export function digitsOf(text: string): string {
  let digits = '';
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 48 && code <= 57) digits += text[i];
  }
  return digits;
}
