/**
 * An OpenAI-compatible streaming chat client (OpenAI, Gemini's OpenAI endpoint, vLLM, Ollama): POST
 * `${baseUrl}/chat/completions` with `stream: true`, server-sent events of `choices[0].delta.content`.
 * The prompt carries only the retrieved chunks, each labelled with its page, and asks the model to cite
 * the pages it uses as "[p. N]"; the answer's sources are the given pages its text cites (a page the
 * model was not given is never a source; see citationsOfAnswer). Two timeouts keep a silent upstream from hanging an
 * answer: until the first token, and between tokens. A stream that errors or ends without `[DONE]`
 * (or a finish_reason) throws a named error instead of passing off half an answer as complete.
 * The API key goes in the Authorization header and nowhere else: not in errors, not in logs.
 */
import {
  citationsOfAnswer,
  throwIfAborted,
  AnswerModelError,
  type AnswerModel,
  type AnswerSource,
  type AnswerStream,
} from './model.js';
import type { Citation } from '../../shared/protocol.js';

export interface OpenAiCompatibleOptions {
  baseUrl: string;
  model: string;
  apiKey?: string | undefined;
  firstTokenTimeoutMs?: number;
  idleTimeoutMs?: number;
  maxTokens?: number;
}

const SYSTEM_PROMPT =
  "You are a support assistant for a music-equipment distributor. Answer the customer's question using only the manual " +
  'excerpts provided, each marked with its page. Be brief and practical; give steps in order. After each fact or step, ' +
  'cite the page it comes from as [p. 5]; cite only pages you used. ' +
  'If the excerpts do not contain the answer, say that the manual does not cover it. Never invent settings or specifications.';

export function buildMessages(
  question: string,
  chunks: readonly AnswerSource[],
): { role: 'system' | 'user'; content: string }[] {
  const excerpts = chunks.map((c) => `[page ${c.page}]${c.heading ? ` ${c.heading}:` : ''} ${c.text}`).join('\n\n');
  return [
    { role: 'system', content: SYSTEM_PROMPT },
    { role: 'user', content: `Manual excerpts:\n\n${excerpts || '(none found)'}\n\nQuestion: ${question}` },
  ];
}

interface StreamEvent {
  choices?: { delta?: { content?: string | null }; finish_reason?: string | null }[];
  error?: { message?: string };
}

/** Parses SSE `data:` payloads out of a growing text buffer; returns the payloads and the unparsed rest. */
export function takeSseData(buffer: string): { data: string[]; rest: string } {
  const events = buffer.split(/\r?\n\r?\n/);
  const rest = events.pop() ?? '';
  const data: string[] = [];
  for (const event of events) {
    const lines = event.split(/\r?\n/).filter((line) => line.startsWith('data:'));
    if (lines.length > 0) data.push(lines.map((line) => line.slice(5).replace(/^ /, '')).join('\n'));
  }
  return { data, rest };
}

export function createOpenAiCompatibleModel(options: OpenAiCompatibleOptions): AnswerModel {
  const { firstTokenTimeoutMs = 20_000, idleTimeoutMs = 15_000, maxTokens = 500 } = options;
  const endpoint = `${options.baseUrl.replace(/\/+$/, '')}/chat/completions`;
  return {
    name: `openai-compatible:${options.model}`,
    stream(question, chunks, signal): AnswerStream {
      let answered = '';
      async function* pieces(): AsyncGenerator<string> {
        throwIfAborted(signal);
        const controller = new AbortController();
        const onAbort = () => controller.abort(new AnswerModelError('cancelled', 'the answer was cancelled'));
        signal.addEventListener('abort', onAbort, { once: true });
        let timer: NodeJS.Timeout | undefined;
        let timedOut: AnswerModelError | undefined;
        const arm = (ms: number, what: string) => {
          clearTimeout(timer);
          timer = setTimeout(() => {
            timedOut = new AnswerModelError('timeout', `the language model ${what} for ${Math.round(ms / 1000)} s`);
            controller.abort(timedOut);
          }, ms);
        };
        const failure = (error: unknown): AnswerModelError => {
          if (timedOut) return timedOut;
          if (signal.aborted) return new AnswerModelError('cancelled', 'the answer was cancelled', { cause: error });
          if (error instanceof AnswerModelError) return error;
          return new AnswerModelError('broken_stream', 'the connection to the language model broke during the answer', {
            cause: error,
          });
        };
        try {
          arm(firstTokenTimeoutMs, 'sent nothing');
          const response = await fetch(endpoint, {
            method: 'POST',
            headers: {
              'content-type': 'application/json',
              accept: 'text/event-stream',
              ...(options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {}),
            },
            body: JSON.stringify({
              model: options.model,
              stream: true,
              temperature: 0.2,
              max_tokens: maxTokens,
              messages: buildMessages(question, chunks),
            }),
            signal: controller.signal,
          }).catch((error: unknown) => {
            throw failure(error);
          });
          if (!response.ok || !response.body) {
            await response.body?.cancel();
            throw new AnswerModelError(
              'upstream_status',
              `the language model service answered HTTP ${response.status}`,
            );
          }
          const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
          let buffer = '';
          let finished = false;
          while (!finished) {
            const { value, done } = await reader.read().catch((error: unknown) => {
              throw failure(error);
            });
            if (done) break;
            buffer += value;
            const parsed = takeSseData(buffer);
            buffer = parsed.rest;
            for (const data of parsed.data) {
              if (data.trim() === '[DONE]') {
                finished = true;
                break;
              }
              let event: StreamEvent;
              try {
                event = JSON.parse(data) as StreamEvent;
              } catch (error) {
                throw new AnswerModelError('bad_response', 'the language model sent an unreadable stream event', {
                  cause: error,
                });
              }
              if (event.error)
                throw new AnswerModelError(
                  'upstream_status',
                  `the language model reported an error: ${String(event.error.message ?? 'unknown').slice(0, 200)}`,
                );
              const choice = event.choices?.[0];
              const content = choice?.delta?.content;
              if (content) {
                arm(idleTimeoutMs, 'stopped sending');
                answered += content;
                yield content;
              }
              if (choice?.finish_reason) finished = true;
            }
          }
          if (!finished)
            throw new AnswerModelError(
              'broken_stream',
              'the language model stream ended before the answer was complete',
            );
          await reader.cancel().catch(() => undefined);
        } finally {
          clearTimeout(timer);
          signal.removeEventListener('abort', onAbort);
          controller.abort();
        }
      }
      return { [Symbol.asyncIterator]: pieces, citations: (): Citation[] => citationsOfAnswer(answered, chunks) };
    },
  };
}
