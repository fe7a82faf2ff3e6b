import { describe, expect, it } from 'vitest';
import type { Message } from './state.ts';
import { conversationSummary } from './summary.ts';

const product = { productId: 'roland_87-tr8s', brand: 'Roland', name: 'TR-8S' };
const answer = (askId: string, extra: Partial<Extract<Message, { kind: 'answer' }>>): Message => ({
  kind: 'answer',
  key: `a:${askId}`,
  askId,
  productId: product.productId,
  text: '',
  status: 'done',
  citations: [],
  ...extra,
});

describe('conversationSummary', () => {
  it('gives each question, its answer as words, how sure it was, and the pages cited', () => {
    const messages: Message[] = [
      { kind: 'question', key: 'q:1', askId: '1', text: 'How do I restore the factory settings?' },
      answer('1', {
        text: 'Hold **SHIFT** and press [p. 12](/manuals/roland_87-tr8s.pdf#page=12).',
        citations: [
          { page: 12, snippet: 'Hold SHIFT' },
          { page: 12, snippet: 'again' },
          { page: 13, snippet: 'Note' },
        ],
        vote: 'down',
      }),
      { kind: 'question', key: 'q:2', askId: '2', text: 'and the warranty?' },
      answer('2', {
        text: "This isn't in the manual.",
        confidence: 'not_in_manual',
        context: { id: '1', question: 'How do I restore the factory settings?' },
      }),
    ];
    expect(conversationSummary(product, messages, 'https://help.example')).toBe(
      [
        'Conversation about the Roland TR-8S (from the manual assistant)',
        'Manual: https://help.example/manuals/roland_87-tr8s.pdf',
        '',
        'Question: How do I restore the factory settings?',
        '',
        'Answer:',
        'Hold SHIFT and press p. 12.',
        'Manual pages cited: p. 12, p. 13',
        'Marked as not helpful.',
        '',
        'Question: and the warranty?',
        '',
        '(Taking the earlier question "How do I restore the factory settings?" as context.)',
        'Answer (not in the manual):',
        "This isn't in the manual.",
        '',
      ].join('\n'),
    );
  });

  it('says what became of a question without an answer', () => {
    const text = conversationSummary(product, [
      { kind: 'question', key: 'q:1', askId: '1', text: 'How?' },
      answer('1', { status: 'failed', error: { code: 'unavailable', message: 'the manual could not be read' } }),
    ]);
    expect(text).toContain('No answer: the manual could not be read.');
    expect(text).not.toContain('Manual:');
  });
});
