/**
 * A conversation as plain text, for the hand-off to a person (pasted into an e-mail or a support
 * form): what was asked, what was answered, how sure the answer was and which manual pages it cited.
 * Built only from what the page shows: the session id (which would let a reader resume the session)
 * is never in it, nor any link carrying it.
 */
import type { Answer, Message, Product } from './state.ts';
import { manualPageUrl, productTitle } from './format.ts';

const SURENESS: Record<string, string> = {
  closest: ' (not sure: the closest the manual had)',
  not_in_manual: ' (not in the manual)',
};

/** Markdown links and emphasis as their words: the reader gets the text, not the syntax. */
function plain(markdown: string): string {
  return markdown
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/(\*\*|__)(.+?)\1/g, '$2')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

function answerLines(answer: Answer): string[] {
  const lines: string[] = [];
  if (answer.context) lines.push(`(Taking the earlier question "${answer.context.question}" as context.)`);
  const sureness = answer.confidence ? (SURENESS[answer.confidence] ?? '') : '';
  if (answer.text.trim()) lines.push(`Answer${sureness}:`, plain(answer.text));
  if (answer.status === 'failed') lines.push(`No answer: ${answer.error?.message ?? 'it could not be produced'}.`);
  else if (answer.status === 'stopped') lines.push(answer.text ? '(Stopped before the end.)' : '(Cancelled.)');
  else if (answer.status !== 'done') lines.push('(Still waiting for the answer.)');
  const pages = [...new Set(answer.citations.map((c) => c.page))];
  if (pages.length > 0) lines.push(`Manual pages cited: ${pages.map((p) => `p. ${p}`).join(', ')}`);
  if (answer.vote === 'down') lines.push('Marked as not helpful.');
  if (answer.vote === 'up') lines.push('Marked as helpful.');
  return lines;
}

/**
 * The thread's questions and answers, oldest first, under the product's name; `origin` (the page's)
 * makes the manual's address one a person can open (it names the product, never the session).
 */
export function conversationSummary(product: Product, messages: readonly Message[], origin?: string): string {
  const heading = `Conversation about the ${productTitle(product)} (from the manual assistant)`;
  const cites = messages.some((m) => m.kind === 'answer' && m.citations.length > 0);
  const blocks = [cites && origin ? `${heading}\nManual: ${origin}${manualPageUrl(product.productId)}` : heading];
  for (const message of messages) {
    if (message.kind === 'question') blocks.push(`Question: ${message.text}`);
    else blocks.push(answerLines(message).join('\n'));
  }
  return `${blocks.filter((b) => b !== '').join('\n\n')}\n`;
}
