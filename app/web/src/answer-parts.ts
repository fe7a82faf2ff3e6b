/**
 * A multi-part answer's text cut back into its parts. The server streams each part under the part as
 * asked ("How do I copy it?\n…", parts after the first preceded by a blank line: app/core/answers/pipeline.ts)
 * and says at the end which parts there were (`answer_done.parts`); the page then shows each part on its
 * own, with its own sureness and citations. A text that does not hold the parts in order is shown whole.
 */
export function splitParts(text: string, questions: readonly string[]): string[] | undefined {
  if (questions.length < 2) return undefined;
  const starts: { heading: number; body: number }[] = [];
  let from = 0;
  for (const question of questions) {
    const heading = text.indexOf(`${question}\n`, from);
    if (heading < 0 || (starts.length === 0 && text.slice(0, heading).trim() !== '')) return undefined;
    starts.push({ heading, body: heading + question.length + 1 });
    from = heading + question.length + 1;
  }
  return starts.map((s, i) => text.slice(s.body, starts[i + 1]?.heading ?? text.length).trim());
}
