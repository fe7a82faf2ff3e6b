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

/** "sett" (from "setting"), "stopp", "plugg": a consonant doubled before -ing/-ed is one. */
const undoubled = (base: string) =>
  /([b-df-hj-np-tv-z])\1$/.test(base) && !/(?:ll|ss|ff|zz|dd)$/.test(base) ? base.slice(0, -1) : base;

function suffixless(word: string): string {
  if (/\d/.test(word) || word.length <= 3) return word;
  if (word.endsWith('ies') && word.length > 4) return `${word.slice(0, -3)}y`;
  if (word.endsWith('ing') && word.length > 5) return undoubled(word.slice(0, -3));
  if (word.endsWith('ed') && word.length > 4) return undoubled(word.slice(0, -2));
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

/**
 * Phrasal verbs customers say where manuals print one verb: "take the battery out" is "remove",
 * "put the filter back" is "insert". The particle is a stop word and the verb says nothing on its own
 * ("take" is also "takes four minutes"), so the verb is read as the manual's verb.
 */
const PHRASAL: readonly [RegExp, string][] = [
  [
    /\b(?:take|took|taking|pull|pulled|pulling|get|getting|lift|lifting)(?=\s+(?:[\p{L}-]+\s+){0,3}?(?:out|off)\b)/giu,
    'remove',
  ],
  [/\b(?:put|putting|slide|sliding|push|pushing)(?=\s+(?:[\p{L}-]+\s+){0,3}?(?:in|back)\b)/giu, 'insert'],
];

export function terms(text: string): string[] {
  const out: string[] = [];
  const lower = PHRASAL.reduce((t, [pattern, verb]) => t.replace(pattern, verb), text.toLowerCase());
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
