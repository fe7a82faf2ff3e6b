/**
 * The domain thesaurus of music-equipment manuals: customers ask "how heavy", manuals print "Weight";
 * they want to "wipe" it, the manual says "factory reset". One typed source, applied to the question
 * (query expansion) before it becomes a tsquery, so it works the same on PGlite and on Postgres and
 * needs no dictionary file on the database server. Each group lists words and phrases that answer the
 * same question; a question naming any of them also searches for the others.
 */
export const MANUAL_THESAURUS: readonly (readonly string[])[] = [
  ['weight', 'weigh', 'weighs', 'heavy', 'heaviness', 'kg', 'kilograms', 'pounds', 'lbs'],
  ['dimensions', 'size', 'how big', 'how large', 'measurements', 'footprint', 'width', 'depth', 'height', 'mm'],
  ['how long', 'hours', 'runtime', 'battery life', 'lasts'],
  ['firmware', 'system program', 'system software', 'software update', 'updates', 'update', 'upgrade', 'updater'],
  [
    'factory reset',
    'factory settings',
    'factory defaults',
    'factory image',
    'wipe',
    'erase everything',
    'initialize',
    'initialise',
    'out of the box',
    'start from scratch',
  ],
  ['bluetooth', 'pair', 'pairing', 'paired', 'wireless', 'wirelessly'],
  ['no sound', 'silent', 'no audio', 'nothing comes out', 'cannot hear', "can't hear"],
  ['battery', 'charge', 'charging', 'unplugged', 'cordless', 'rechargeable'],
  ['sync', 'synchronisation', 'synchronization', 'midi clock', 'external sequencer'],
  ['samples', 'wav', 'aiff', 'audio files', 'sound files'],
  ['headphones', 'headphone', 'earphones', 'cans', 'phones output'],
  ['power switch', 'switch on', 'turn on', 'power on', 'boot', 'start-up'],
  ['scene', 'scenes', 'snapshot', 'snapshots'],
  ['sensitivity', 'threshold', 'velocity curve', 'too sensitive', 'double triggers'],
  ['phantom power', '48v', 'condenser'],
  ['back up', 'backup', 'save a copy', 'keep a copy'],
  ['audio interface', 'sound card', 'record into my computer', 'record on my computer'],
  ['contrast', 'too dark', 'brightness', 'hard to read'],
  ['feedback', 'howling', 'ringing', 'squealing'],
  ['tempo', 'bpm', 'speed'],
];

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** One matcher per group: any of its terms as whole words. */
const MATCHERS = MANUAL_THESAURUS.map(
  (group) => new RegExp(`(?:^|[^\\p{L}\\p{N}])(?:${group.map(escapeRegExp).join('|')})(?=$|[^\\p{L}\\p{N}])`, 'iu'),
);

/** The thesaurus groups a text names (indices into MANUAL_THESAURUS). */
export function thesaurusGroupsIn(text: string): number[] {
  return MATCHERS.flatMap((matcher, g) => (matcher.test(text) ? [g] : []));
}

/** The question followed by the other terms of every thesaurus group it names (each group once). */
export function expandQuestion(question: string): string {
  const extra: string[] = [];
  MATCHERS.forEach((matcher, g) => {
    if (matcher.test(question)) extra.push(...MANUAL_THESAURUS[g]!);
  });
  return extra.length === 0 ? question : `${question} ${extra.join(' ')}`;
}
