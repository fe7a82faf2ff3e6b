/**
 * Answers a question about one product's manual: wait for the manual (with progress, up to a limit),
 * then L1 → L2 cache → retrieve the best chunks → stream the model's answer. Citations come from the
 * chunks the model used. Every turn is recorded in the conversation history, whatever its outcome.
 */
import type { Logger } from 'pino';
import type { LayeredCache } from '../../adapters/cache/layered-cache.js';
import type { ConversationStore, ConversationTurn } from '../conversations/conversation-store.js';
import {
  SessionGoneError,
  UserFacingError,
  type AnswerPort,
  type AnswerRequest,
  type AnswerResult,
  type AnswerSink,
  type ManualPort,
  type Requester,
} from '../ports.js';
import { manualIdFor, type ManualIndexStore, type ManualRecord } from '../manuals/index-store.js';
import { frameOf } from '../manuals/manual-service.js';
import type { Product } from '../catalog/product.js';
import type { AnswerMeta, Citation, HistoryTurn, ManualFrameBody } from '../../shared/protocol.js';
import type { Instruments } from '../../shared/telemetry/registry.js';
import { AnswerModelError, type AnswerModel } from './model.js';
import { answerQuestion } from './pipeline.js';
import { sanitizeMarkdown } from './safe-markdown.js';
import { resolveFollowUp, type PreviousTurn } from './follow-up.js';
import { CircuitOpenError, type Breaker } from '../resilience/breaker.js';

export interface CachedAnswer extends Partial<AnswerMeta> {
  text: string;
  citations: Citation[];
}

export interface AnswerServiceDeps {
  store: ManualIndexStore;
  manuals: ManualPort;
  model: AnswerModel;
  /** Guards a remote model; while its circuit is open, answers come from `fallbackModel`. */
  breaker?: Breaker;
  fallbackModel?: AnswerModel;
  cache: LayeredCache<CachedAnswer>;
  conversations: ConversationStore;
  metrics: Instruments;
  log: Logger;
  /** How long an ask waits for a manual that is still being fetched or indexed. */
  waitForManualMs: number;
  /**
   * Throws when the job queue cannot be reached. A manual that is not ready cannot progress then (its
   * job and the news of it go through the queue's Redis), so the ask answers at once instead of waiting.
   */
  jobsReachable?: () => Promise<void>;
  chunksPerAnswer?: number;
  /** The catalog's maker and name for a product: left out of the question when answering. */
  productName?: (productId: string) => { brand: string; name: string } | undefined;
  /**
   * The running release (APP_RELEASE), part of the cache key: the cache outlives a deploy (Redis), and a
   * release whose answerer changed must not serve the previous release's answers under the same model name.
   */
  release?: string;
}

/** The cache key's question part: case, spacing and trailing punctuation do not make a new question. */
export function normalizeQuestion(question: string): string {
  return question
    .normalize('NFKC')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/[\s?!.]+$/, '');
}

/**
 * The error an ask about this manual ends with at once: it failed, or its last attempt failed and the
 * next waits for a backoff. Undefined while it is ready or on its way.
 */
export function failingManual(manual: ManualFrameBody): UserFacingError | undefined {
  // Held back for the asker's share (manuals/fairness.ts): waiting here would hold an ask slot for nothing.
  if (manual.queuedReason === 'fair_share')
    return new UserFacingError(
      'rate_limited',
      `manuals you asked for earlier are prepared first; ask again in ${Math.max(1, Math.ceil((manual.retryInMs ?? 0) / 1000))} s or when one of them is ready`,
    );
  if (manual.status === 'failed')
    return new UserFacingError('unavailable', `the manual could not be prepared: ${manual.error ?? 'unknown reason'}`);
  if (manual.status === 'queued' && manual.retryInMs !== undefined) {
    const reason = manual.error?.replace(/^retrying: /, '') ?? 'the last attempt failed';
    const seconds = Math.max(1, Math.ceil(manual.retryInMs / 1000));
    return new UserFacingError(
      'unavailable',
      `the manual is not available yet: ${reason}; the next attempt to get it starts in ${seconds} s, ask again after that`,
    );
  }
  return undefined;
}

/** False when `probe` throws or takes longer than `ms` (a client waiting out its own retries). */
async function answersWithin(probe: () => Promise<void>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([
      probe().then(
        () => true,
        () => false,
      ),
      late,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

export function createAnswerService(
  deps: AnswerServiceDeps,
): AnswerPort & { warm(productId: string, question: string): Promise<boolean> } {
  const { store, manuals, model, cache, conversations, metrics, log } = deps;

  /**
   * Resolves with the ready manual, or throws a UserFacingError that says why not. Waits (up to
   * `waitForManualMs`) only for a manual that is on its way: one that failed, or whose last attempt
   * failed and waits for a retry, is answered at once, since nothing the customer could wait for
   * here is likely to change that.
   */
  async function readyManual(
    product: Product,
    signal: AbortSignal,
    requester: Requester | undefined,
  ): Promise<ManualRecord> {
    const id = manualIdFor(product.id);
    const current = await store.get(id);
    if (current?.status === 'ready') return current;
    // Checked before ensure, which would otherwise wait out the queue client's retries and leave the
    // manual `queued` with no job behind it.
    if (deps.jobsReachable && !(await answersWithin(deps.jobsReachable, 1_500))) {
      const known = await manuals.status(product);
      if (known.status === 'none' && known.error) throw new UserFacingError('not_found', known.error);
      throw new UserFacingError(
        'unavailable',
        'the manual is not ready yet, and the service that prepares it cannot be reached right now; please try again in a minute',
      );
    }
    const ensured = await manuals.ensure(product, { urgent: true, ...(requester ? { requester } : {}) });
    if (ensured.status === 'none')
      throw new UserFacingError('not_found', ensured.error ?? 'there is no manual for this product to answer from');
    const failing = failingManual(ensured);
    if (failing) throw failing;
    return new Promise<ManualRecord>((resolve, reject) => {
      let stop: (() => Promise<void>) | undefined;
      let settled = false;
      const finish = (outcome: () => void) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        void stop?.();
        outcome();
      };
      const check = async () => {
        const record = await store.get(id);
        if (record?.status === 'ready') return finish(() => resolve(record));
        const failing = record && failingManual(frameOf(record));
        if (failing) finish(() => reject(failing));
      };
      const timer = setTimeout(
        () =>
          finish(() =>
            reject(
              new UserFacingError('unavailable', 'the manual is still being prepared; please ask again in a moment'),
            ),
          ),
        deps.waitForManualMs,
      );
      const onAbort = () => finish(() => reject(new UserFacingError('unavailable', 'the question was cancelled')));
      signal.addEventListener('abort', onAbort, { once: true });
      void manuals
        .watch(product.id, (body) => {
          if (body.status === 'ready' || failingManual(body))
            void check().catch((e: unknown) => finish(() => reject(e)));
        })
        .then((unsubscribe) => {
          stop = unsubscribe;
          if (settled) void unsubscribe();
          // It may have become ready between the first read and the subscription.
          return check();
        })
        .catch((error: unknown) => finish(() => reject(error)));
    });
  }

  async function compute(
    manual: ManualRecord,
    question: string,
    previous: PreviousTurn | undefined,
    signal: AbortSignal,
    onPiece: (text: string) => void,
  ): Promise<CachedAnswer> {
    const generate = async (with_: AnswerModel): Promise<CachedAnswer> => {
      const { text, citations, confidence, structure, context, parts } = await answerQuestion({
        store,
        model: with_,
        manualId: manual.id,
        question,
        previous,
        product: deps.productName?.(manual.productId),
        signal,
        onPiece,
        chunks: deps.chunksPerAnswer ?? 4,
      });
      return {
        text,
        citations,
        confidence,
        ...(structure ? { structure } : {}),
        ...(context ? { context } : {}),
        ...(parts ? { parts } : {}),
      };
    };
    if (!deps.breaker) return generate(model);
    try {
      return await deps.breaker.run(() => generate(model));
    } catch (error) {
      if (!(error instanceof CircuitOpenError) || !deps.fallbackModel) throw error;
      log.warn({ circuit: error.circuit }, 'model circuit open: answering with the fallback model');
      return generate(deps.fallbackModel);
    }
  }

  /**
   * The turn a follow-up is read against: the latest answered one of the same thread (or, from a client
   * without threads, about the same product).
   */
  async function previousTurn(request: AnswerRequest): Promise<PreviousTurn | undefined> {
    const turns = await conversations.history(request.sessionId);
    const last = turns.findLast(
      (t) =>
        t.outcome === 'ok' &&
        t.askId !== request.id &&
        t.productId === request.product.id &&
        (request.thread === undefined || t.threadId === request.thread),
    );
    return last ? { id: last.askId, question: last.question } : undefined;
  }

  const release = deps.release ?? 'unreleased';
  const keyOf = (manual: ManualRecord, question: string) =>
    `${manual.contentHash}:${model.name}:${release}:${normalizeQuestion(question)}`;

  return {
    async answer(request: AnswerRequest, sink: AnswerSink): Promise<AnswerResult> {
      const end = metrics.answerGenerationSeconds.startTimer({ model: model.name });
      const turn: Omit<ConversationTurn, 'answer' | 'citations' | 'outcome'> = {
        sessionId: request.sessionId,
        askId: request.id,
        threadId: request.thread,
        productId: request.product.id,
        question: request.question,
        model: model.name,
      };
      let streamed = '';
      try {
        const manual = await readyManual(request.product, sink.signal, request.requester);
        const previous = await previousTurn(request);
        // Keyed by what is answered: "how long does that take?" means something else in each thread.
        const key = keyOf(manual, resolveFollowUp(request.question, previous).question);
        const cached = await cache.peek(key);
        const result =
          cached ??
          (await compute(manual, request.question, previous, sink.signal, (piece) => {
            streamed += piece;
            sink.chunk(piece);
          }));
        // Sanitized again: a cache (or a history, below) may hold answers written before the policy.
        if (cached) sink.chunk(sanitizeMarkdown(cached.text));
        else await cache.set(key, result);
        end({ outcome: 'ok' });
        await conversations.record({ ...turn, answer: result.text, citations: result.citations, outcome: 'ok' });
        const { text: _text, ...answered } = result;
        return answered;
      } catch (error) {
        const outcome = sink.signal.aborted
          ? 'cancelled'
          : error instanceof AnswerModelError && error.code === 'timeout'
            ? 'timeout'
            : 'error';
        end({ outcome });
        await conversations.record({ ...turn, answer: streamed, citations: [], outcome }).catch((e: unknown) => {
          // An erased (or expired) session records nothing: that is the point, not a failure.
          if (!(e instanceof SessionGoneError)) log.warn({ err: e }, 'conversation turn not recorded');
        });
        if (error instanceof AnswerModelError)
          throw new UserFacingError('unavailable', `the answer could not be completed: ${error.message}`);
        throw error;
      }
    },

    async history(sessionId) {
      return (await conversations.history(sessionId)).map(
        (t): HistoryTurn => ({
          id: t.askId,
          ...(t.threadId ? { thread: t.threadId } : {}),
          productId: t.productId,
          question: t.question,
          answer: sanitizeMarkdown(t.answer),
          citations: t.citations,
          outcome: t.outcome,
          ...(t.vote ? { vote: t.vote } : {}),
        }),
      );
    },

    async vote(sessionId, askId, vote) {
      const stored = await conversations.vote(sessionId, askId, vote);
      if (stored) metrics.answerFeedbackTotal.inc({ model: model.name, vote: vote ?? 'withdrawn' });
      return stored;
    },

    /** Computes and caches an answer ahead of time (cache regeneration); false when the manual is not ready. */
    async warm(productId, question) {
      const manual = await store.get(manualIdFor(productId));
      if (manual?.status !== 'ready') return false;
      const key = keyOf(manual, question);
      if ((await cache.peek(key)) !== undefined) return true;
      await cache.set(key, await compute(manual, question, undefined, new AbortController().signal, () => undefined));
      return true;
    },
  };
}
