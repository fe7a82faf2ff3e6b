/**
 * Words that carry meaning in a question or a manual sentence, lightly stemmed so "resetting" meets
 * "reset" and "settings" meets "setting". Model codes count as one term however they are typed
 * ("TD-17", "td17" and "TD 17" all give "td17"), matching what the database index does.
 */
const STOP_WORDS = new Set(
  (
    'a an and are as at be but by can do does for from had has have how i if in into is it its me my no not of on or our ' +
    'so than that the their them then there these they this to too up was we what when where which while who why will with ' +
    'you your yours should would could get got any all out off about after before again just very one some such only own same'
  ).split(' '),
);

/** Verbs customers use for what manuals call by another name: one term for both. */
const SAME_ACTION: Record<string, string> = { chang: 'replac', swap: 'replac', exchang: 'replac' };

function suffixless(word: string): string {
  if (/\d/.test(word) || word.length <= 3) return word;
  if (word.endsWith('ies') && word.length > 4) return `${word.slice(0, -3)}y`;
  if (word.endsWith('ing') && word.length > 5) return word.slice(0, -3);
  if (word.endsWith('ed') && word.length > 4) return word.slice(0, -2);
  if (word.endsWith('es') && word.length > 4 && !word.endsWith('ses')) return word.slice(0, -2);
  if (word.endsWith('s') && !word.endsWith('ss')) return word.slice(0, -1);
  return word;
}

function stem(word: string): string {
  const base = suffixless(word);
  // "replace" and "replacing" → "replac", "update" and "updating" → "updat".
  const root = base.length > 4 && base.endsWith('e') && !/\d/.test(base) ? base.slice(0, -1) : base;
  return SAME_ACTION[root] ?? root;
}

export function terms(text: string): string[] {
  const out: string[] = [];
  const lower = text.toLowerCase();
  for (const match of lower.matchAll(/[\p{L}\p{N}]+(?:-[\p{L}\p{N}]+)*/gu)) {
    const word = match[0];
    const parts = word.split('-');
    if (parts.length > 1) out.push(parts.join(''));
    for (const part of parts) if (!STOP_WORDS.has(part)) out.push(stem(part));
  }
  // "td 17" → also "td17": a letters-then-digits pair typed with a space is a model code too.
  for (const match of lower.matchAll(/\b(\p{L}{1,8}) (\d[\p{L}\p{N}]*)\b/gu)) out.push(`${match[1]}${match[2]}`);
  return out;
}
