/** One WebSocket connection speaking protocol v4 or v5, as its client asked (see app/shared/protocol.ts). */
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { WebSocket, type RawData } from 'ws';
import {
  CloseCodes,
  parseClientFrame,
  serializePrediction,
  type ProtocolVersion,
  type AskFrame,
  type ClientFrame,
  type ErrorCode,
  type HistoryTurn,
  type ManualFrameBody,
  type SessionGoneReason,
  type ServerFrame,
  type SupportContact,
  type TypingFrame,
} from '../../shared/protocol.js';
import type { Instruments } from '../../shared/telemetry/registry.js';
import type { WebsocketCloseReason } from '../../shared/telemetry/catalog.js';
import { encodeFrame } from './frame-bounds.js';
import type { AskSlots } from './ask-slots.js';
import { TokenBucket } from './rate-limit.js';
import { historyPage } from './history-page.js';
import { JustInTimeTrigger } from '../../core/prediction/jit-trigger.js';
import {
  isDependencyDown,
  SessionGoneError,
  UserFacingError,
  type AnswerPort,
  type ManualPort,
  type PredictionPort,
  type ProductLookup,
  type Requester,
} from '../../core/ports.js';
import { IN_FLIGHT_RECHECK_MS } from '../../core/manuals/fairness.js';
import type { SessionStore } from '../../core/sessions/session-store.js';
import { followSession, publishSessionEvent, type SessionEvent } from '../../core/sessions/session-events.js';
import type { Bus } from '../../adapters/bus/bus.js';
import type { AuditLog } from '../../core/audit/audit-log.js';
import { reportError } from '../../shared/telemetry/errors.js';
import { sessionRef } from '../../shared/log.js';
import { supportContactFor } from '../../core/catalog/product.js';

export interface ConnectionDeps {
  /** The keystroke's port, for the current catalog: each `typing` frame is answered from it. */
  predictions: () => PredictionPort;
  /** The current catalog's products, for the ids clients send (`select`, `ask`, `resume`). */
  catalog: () => ProductLookup;
  manuals: ManualPort;
  answers: AnswerPort;
  sessions: SessionStore;
  /** Carries the session's events between its sockets on every instance (other tabs' turns, erasure). */
  bus: Bus;
  audit: AuditLog;
  metrics: Instruments;
  log: Logger;
  /** A product led at or above this confidence has its manual fetched before it is chosen (MANUAL_PREFETCH_CONFIDENCE). */
  prefetchConfidence: number;
  /** Where customers get help when no manual can (sent in `hello`). */
  support?: SupportContact;
  ratePerSecond: number;
  rateBurst: number;
  /** Answers one socket may have streaming or waiting at once. */
  maxAsksPerConnection: number;
  /** Shared by every socket of this instance. */
  askSlots: AskSlots;
  /**
   * The socket's send budget: past this many bytes not yet taken by the network, frames that a later
   * one supersedes (predictions, manual progress, heartbeats) are dropped and any other frame closes
   * the socket (1013): a client that does not read cannot make the gateway hold more than this.
   */
  sendBacklogBytes: number;
  /** The `history` frame's size cap: the oldest turns are left out beyond it. */
  historyMaxBytes: number;
}

/** A slow reader's socket buffer past this skips predictions: a newer keystroke supersedes them anyway. */
const PREDICTION_BACKLOG_BYTES = 256 * 1024;
/** How long a `select`, `ask` or `resume` waits for the session's events subscription (a bus that is down). */
const SESSION_EVENTS_WAIT_MS = 1_000;
/**
 * A socket the server closes is cut after this if its close handshake has not completed: a client that
 * does not read never answers it, and `ws` would otherwise hold the socket and its backlog for 30 s.
 */
const CLOSE_GRACE_MS = 1_000;

export class Connection {
  /** Not stored until the first `select` or `ask` uses it (`stored`): a socket that only types costs nothing. */
  private sessionId: string = randomUUID();
  private stored = false;
  /** The session whose events this socket follows (once stored or resumed), and how to stop. */
  private sessionEvents: { sessionId: string; stop: Promise<() => Promise<void>> } | undefined;
  /** Names this socket in its session's events, so the turns it published are not sent back to it. */
  private readonly id = randomUUID();
  private lastSeq = -1;
  private selectedProductId: string | undefined;
  /** The selects still being handled, in order: each waits for the one before it. */
  private selecting: Promise<void> = Promise.resolve();
  /** Decides when a keystroke (or a pause after one) starts fetching a manual. */
  private readonly trigger: JustInTimeTrigger;
  private watched: { productId: string; stop: () => Promise<void> } | undefined;
  /** Asks again for a manual held back by this customer's share (manuals/fairness.ts). */
  private deferTimer: NodeJS.Timeout | undefined;
  /** The last `manual` body sent, as JSON: a repeat of it is not a state change. */
  private lastManual: string | undefined;
  private readonly answers = new Map<string, AbortController>();
  private readonly bucket: TokenBucket;
  private log: Logger;
  private closed = false;
  /**
   * The client proved it reads since the last heartbeat: a protocol pong or a `heartbeat` reply, each an
   * answer to something we sent. Other frames do not count: a client that only writes (and never reads
   * what its frames cause) is not healthy.
   */
  private heard = true;
  /** `resume` is accepted once per connection: each one costs a history read and a large frame. */
  private resumed = false;
  /** The client knows its session id: a v4 hello carries it, a v5 client gets it on first use or resume. */
  private announced: boolean;

  constructor(
    private readonly socket: WebSocket,
    private readonly deps: ConnectionDeps,
    private readonly client: string | undefined,
    /** Negotiated at the upgrade (`/ws?protocol=5`); every frame is sent as this version has it. */
    private readonly version: ProtocolVersion = 4,
  ) {
    this.announced = version === 4;
    this.bucket = new TokenBucket(deps.ratePerSecond, deps.rateBurst);
    this.trigger = new JustInTimeTrigger(deps.prefetchConfidence, {
      fire: (productId) => {
        if (!this.closed) this.startPrefetch(productId);
      },
    });
    this.log = deps.log.child({ session: sessionRef(this.sessionId) });
    socket.on('message', (data, isBinary) => this.onMessage(data, isBinary));
    socket.on('pong', () => {
      this.heard = true;
    });
    socket.on('close', () => this.dispose());
    socket.on('error', (error) => this.log.debug({ err: error }, 'socket error'));
    // v5: the id is the browser's once a `select` or `ask` uses it (the `session` frame); until then none.
    // v4 hellos carry it, but it is stored only once used too.
    this.send({ type: 'hello', ...(this.version === 5 ? {} : { sessionId: this.sessionId }), ...this.greeting() });
  }

  /**
   * Called once per heartbeat interval. A socket that sent nothing since the previous beat, not even a
   * pong, is gone (a vanished client, a dead NAT mapping): it is cut, freeing its slot and its address's
   * quota. Otherwise a `heartbeat` frame the browser can see, plus a protocol ping that any WebSocket
   * stack (a v1 client too) answers by itself.
   */
  heartbeat(): void {
    if (this.closed) return;
    if (!this.heard) {
      this.closed = true;
      this.deps.metrics.websocketClosedTotal.inc({ reason: 'heartbeat' });
      this.socket.terminate();
      return;
    }
    this.heard = false;
    this.send({ type: 'heartbeat' });
    this.socket.ping();
  }

  private onMessage(data: RawData, isBinary: boolean): void {
    const admission = this.bucket.take();
    if (admission === 'close') return this.close(CloseCodes.policyViolation, 'rate limit exceeded', 'flood');
    if (admission === 'limit') return this.error('rate_limited', 'too many frames; slow down');
    if (admission === 'drop') return;
    if (isBinary) return this.error('bad_request', 'binary frames are not supported; send JSON text');
    const parsed = parseClientFrame(data.toString());
    if (!parsed.ok) return this.error('bad_request', parsed.message, parsed.ref);
    const frame = parsed.frame;
    const instruments = frameInstruments(this.deps.metrics);
    instruments.framesIn(frame.type).inc();
    const started = performance.now();
    const settle = (error?: unknown) => {
      const outcome =
        error === undefined
          ? 'ok'
          : error instanceof UserFacingError
            ? error.code
            : isDependencyDown(error)
              ? 'unavailable'
              : 'internal';
      instruments.duration(frame.type, outcome).observe((performance.now() - started) / 1000);
      this.audit(frame, outcome);
      // A `resume` that finds its session gone is about that session, not this socket's own.
      if (error !== undefined) this.fail(error, frameRef(frame), frame.type !== 'resume');
    };
    // Synchronous frames (a keystroke) are timed as they finish: frames that arrive in one chunk are
    // handled back to back before any promise callback runs, so a .then() would add the others' time.
    let pending: Promise<void> | undefined;
    try {
      pending = this.dispatch(frame);
    } catch (error) {
      return settle(error);
    }
    if (pending === undefined) return settle();
    pending.then(
      () => settle(),
      (error: unknown) => settle(error),
    );
  }

  /** A promise for frames that wait on I/O; undefined when the frame was handled synchronously. */
  private dispatch(frame: ClientFrame): Promise<void> | undefined {
    switch (frame.type) {
      case 'typing':
        this.onTyping(frame);
        return undefined;
      case 'select':
        return this.onSelect(frame.productId);
      case 'ask':
        return this.onAsk(frame);
      case 'resume':
        if (this.resumed) {
          this.close(CloseCodes.policyViolation, 'resume is allowed once per connection', 'resume_repeated');
          return undefined;
        }
        this.resumed = true;
        return this.onResume(frame.sessionId);
      case 'heartbeat':
        if (frame.reply) this.heard = true;
        else this.send({ type: 'heartbeat', reply: true });
        return undefined;
      case 'cancel':
        // Unknown or finished ids are ignored: the answer may have ended while the cancel was on its way.
        this.answers.get(frame.id)?.abort(new UserFacingError('cancelled', 'stopped at your request'));
        return undefined;
      case 'feedback':
        return this.onFeedback(frame);
      case 'history':
        return this.onHistoryPage(frame.before, frame.limit);
    }
  }

  /** v5: the page of this session's turns before `before`. */
  private async onHistoryPage(before: string, limit: number | undefined): Promise<void> {
    const page = historyPage(await this.labelledHistory(), {
      before,
      maxBytes: this.deps.historyMaxBytes,
      ...(limit ? { limit } : {}),
    });
    if (!page) throw new UserFacingError('not_found', `no turn with id "${before}" in this session`);
    this.send({ type: 'history', turns: page.turns, more: page.more, page: true });
  }

  /** The session's turns, each with its product's catalog name so a reloaded page can label threads. */
  private async labelledHistory() {
    return (await this.deps.answers.history(this.sessionId)).map((turn) => {
      const about = this.deps.catalog().product(turn.productId);
      return about ? { ...turn, brand: about.brand, name: about.name } : turn;
    });
  }

  /** What every `hello` carries besides the session: the protocol and the support contact. */
  private greeting(): { protocol: number; support?: SupportContact } {
    const support = this.deps.support;
    return {
      protocol: this.version,
      ...(support && (support.url || support.email) ? { support } : {}),
    };
  }

  private async onFeedback(frame: Extract<ClientFrame, { type: 'feedback' }>): Promise<void> {
    if (!(await this.deps.answers.vote(this.sessionId, frame.id, frame.vote)))
      throw new UserFacingError('not_found', `no finished answer with id "${frame.id}" in this session`);
  }

  private onTyping(frame: TypingFrame): void {
    if (frame.seq <= this.lastSeq) return; // stale: the client already has a newer answer coming
    this.lastSeq = frame.seq;
    const started = performance.now();
    const { items, json } = this.deps.predictions().prediction(frame.text);
    this.deps.metrics.predictionLatencySeconds.observe((performance.now() - started) / 1000);
    // The items' JSON is shared by every socket that typed the same words: only the seq is this socket's.
    if (this.socket.bufferedAmount < PREDICTION_BACKLOG_BYTES)
      this.sendRaw('prediction', serializePrediction(this.version, frame.seq, json), true);
    else frameInstruments(this.deps.metrics).dropped('prediction').inc();
    this.trigger.keystroke(items);
  }

  private startPrefetch(productId: string): void {
    void this.prefetch(productId).catch((error: unknown) => this.log.warn({ err: error }, 'manual prefetch failed'));
  }

  /**
   * Just in time: a confident prediction starts the manual before the customer asks. Until they pick
   * a product the socket follows the prediction's manual; after that it stays on their pick.
   */
  private async prefetch(productId: string): Promise<void> {
    const product = this.deps.catalog().product(productId);
    if (!product) return;
    if (this.selectedProductId) await this.deps.manuals.ensure(product, { requester: this.requester() });
    else await this.follow(product.id, true);
  }

  /**
   * Selects are handled in the order they came: each waits on a database write, and writes finish in
   * any order, so without the queue an older pick could finish last and take the socket back to it.
   */
  private onSelect(productId: string): Promise<void> {
    const done = this.selecting.then(() => this.select(productId));
    this.selecting = done.catch(() => undefined);
    return done;
  }

  private async select(productId: string): Promise<void> {
    const product = this.deps.catalog().product(productId);
    if (!product) throw new UserFacingError('not_found', `no product with id "${productId}"`);
    this.selectedProductId = product.id;
    await this.storeSession(product.id);
    await this.follow(product.id, 'retry');
  }

  /** Subscribes this socket to one product's manual and sends its current state. */
  private async follow(productId: string, ensure: boolean | 'retry'): Promise<void> {
    const product = this.deps.catalog().product(productId);
    if (!product) return;
    if (this.watched?.productId !== productId) {
      const previous = this.watched;
      const stop = await this.deps.manuals.watch(productId, (body) => this.sendManual(body));
      this.watched = { productId, stop };
      await previous?.stop();
    }
    const body = ensure
      ? await this.deps.manuals.ensure(product, { retry: ensure === 'retry', requester: this.requester() })
      : await this.deps.manuals.status(product);
    this.sendManual(body);
    if (ensure && body.queuedReason === 'fair_share') this.askAgainLater(product.id, ensure, body.retryInMs);
  }

  /** While the socket still follows the product, asks for it again when this customer's share may have freed. */
  private askAgainLater(productId: string, ensure: true | 'retry', afterMs = IN_FLIGHT_RECHECK_MS): void {
    clearTimeout(this.deferTimer);
    this.deferTimer = setTimeout(() => {
      const product = this.deps.catalog().product(productId);
      if (this.closed || this.watched?.productId !== productId || !product) return;
      this.deps.manuals
        .ensure(product, { retry: ensure === 'retry', requester: this.requester() })
        .then((body) => {
          if (body.queuedReason === 'fair_share') this.askAgainLater(productId, ensure, body.retryInMs);
          else this.sendManual(body);
        })
        .catch((error: unknown) => this.fail(error));
    }, afterMs);
    this.deferTimer.unref();
  }

  private requester(): Requester {
    return { sessionId: this.sessionId, address: this.client };
  }

  /**
   * One `manual` frame per state change: `ensure` publishes the state it sets on the bus (which the
   * watch delivers here) and `follow` sends the state it returns, so the same state can arrive twice.
   */
  private sendManual(state: ManualFrameBody): void {
    if (this.watched?.productId !== state.productId) return;
    const body = this.withSupport(state);
    const json = JSON.stringify(body);
    if (json === this.lastManual) return;
    this.lastManual = json;
    this.send({ type: 'manual', ...body });
  }

  /**
   * The manual's state with where to reach a person about its product (SUPPORT_URL / SUPPORT_EMAIL,
   * else the catalog's `supportUrl`): the page offers it on a no-manual card and after a thumbs-down
   * on any answer. v5 only (`frameFor` strips it for v4).
   */
  private withSupport(body: ManualFrameBody): ManualFrameBody {
    const support = supportContactFor(this.deps.catalog().product(body.productId), this.deps.support);
    return support ? { ...body, support } : body;
  }

  private async onAsk(frame: AskFrame): Promise<void> {
    const product = this.deps.catalog().product(frame.productId);
    if (!product) throw new UserFacingError('not_found', `no product with id "${frame.productId}"`);
    if (this.answers.has(frame.id))
      throw new UserFacingError('bad_request', `an answer with id "${frame.id}" is already streaming`);
    if (this.answers.size >= this.deps.maxAsksPerConnection)
      throw new UserFacingError(
        'rate_limited',
        `${this.deps.maxAsksPerConnection} questions are already being answered on this connection; ask again when one is done`,
      );
    if (!this.deps.askSlots.tryTake())
      throw new UserFacingError(
        'unavailable',
        'the server is answering too many questions right now; try again shortly',
      );
    const controller = new AbortController();
    this.answers.set(frame.id, controller);
    // The session's other sockets (another tab, on any instance) follow the question as it goes.
    const asked: HistoryTurn = {
      id: frame.id,
      ...(frame.thread ? { thread: frame.thread } : {}),
      productId: product.id,
      brand: product.brand,
      name: product.name,
      question: frame.question,
      answer: '',
      citations: [],
      outcome: 'ok',
    };
    let answered = '';
    try {
      await this.storeSession();
      this.publishTurn('asked', asked);
      // Asking about a product makes it the one whose manual progress this socket sees while it waits.
      if (this.watched?.productId !== product.id) await this.follow(product.id, false);
      const result = await this.deps.answers.answer(
        {
          id: frame.id,
          sessionId: this.sessionId,
          product,
          question: frame.question,
          thread: frame.thread,
          requester: this.requester(),
        },
        {
          chunk: (text) => {
            answered += text;
            this.send({ type: 'answer_chunk', id: frame.id, text });
          },
          signal: controller.signal,
        },
      );
      this.publishTurn('done', { ...asked, ...result, answer: answered });
      // Where to reach a person goes with every answer that is not sure of itself (v5 only).
      const support = supportContactFor(product, this.deps.support);
      const needsPerson = result.confidence !== undefined && result.confidence !== 'confident';
      this.send({ type: 'answer_done', id: frame.id, ...result, ...(needsPerson && support ? { support } : {}) });
    } catch (error) {
      // A cancelled answer ends with the reason the customer gave, not with whatever the model threw.
      const reason: unknown = controller.signal.reason;
      if (this.stored && !this.closed)
        this.publishTurn('done', {
          ...asked,
          answer: answered,
          outcome: controller.signal.aborted ? 'cancelled' : 'error',
        });
      throw reason instanceof UserFacingError ? reason : error;
    } finally {
      // dispose() may have released it already, with every other answer of a closed socket.
      if (this.answers.delete(frame.id)) this.deps.askSlots.release();
    }
  }

  /**
   * Stores the session on its first use (a `select` or an `ask`), or records this use; tells a v5 client
   * its id and follows the session's events from then on.
   */
  private async storeSession(productId?: string): Promise<void> {
    await this.deps.sessions.use(this.sessionId, { fresh: !this.stored, ...(productId ? { productId } : {}) });
    this.stored = true;
    this.announceSession();
    await this.followSession();
  }

  /**
   * Subscribes to the current session's events (once per session), leaving the previous one's. Waits
   * for the subscription at most SESSION_EVENTS_WAIT_MS and never fails the frame: other tabs' turns
   * are a convenience, and an erasure is enforced by the database whether or not this socket hears it.
   */
  private async followSession(): Promise<void> {
    if (this.sessionEvents?.sessionId !== this.sessionId) {
      const previous = this.sessionEvents;
      const sessionId = this.sessionId;
      const stop = followSession(this.deps.bus, sessionId, (event) => this.onSessionEvent(sessionId, event));
      this.sessionEvents = { sessionId, stop };
      // A failed subscription is tried again by the next use, not remembered.
      stop.catch((error: unknown) => {
        this.log.debug({ err: error }, 'session events not followed');
        if (this.sessionEvents?.stop === stop) this.sessionEvents = undefined;
      });
      if (previous) void unfollow(previous.stop);
    }
    const subscribed = this.sessionEvents?.stop.then(() => undefined);
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, SESSION_EVENTS_WAIT_MS);
    });
    await Promise.race([subscribed?.catch(() => undefined), late]);
    clearTimeout(timer);
  }

  private onSessionEvent(sessionId: string, event: SessionEvent): void {
    if (this.closed || sessionId !== this.sessionId) return;
    if (event.kind === 'erased') return this.onErased();
    if (event.origin !== this.id) this.send({ type: 'turn', phase: event.phase, turn: event.turn });
  }

  private publishTurn(phase: 'asked' | 'done', turn: HistoryTurn): void {
    publishSessionEvent(this.deps.bus, this.sessionId, { kind: 'turn', origin: this.id, phase, turn }).catch(
      (error: unknown) => this.log.debug({ err: error }, "turn not passed to the session's other sockets"),
    );
  }

  /** The session was erased: its answers stop, the client is told why, and the socket is closed. */
  private onErased(): void {
    const gone = new SessionGoneError('erased');
    for (const controller of this.answers.values()) controller.abort(gone);
    this.error('not_found', gone.message, undefined, 'erased');
    this.close(CloseCodes.policyViolation, 'session erased', 'erased');
  }

  /** v5: the first `select` or `ask` makes the session the browser's; tell the client its id, once. */
  private announceSession(): void {
    if (this.announced) return;
    this.announced = true;
    this.send({ type: 'session', sessionId: this.sessionId });
  }

  private async onResume(sessionId: string): Promise<void> {
    const state = await this.deps.sessions.lookup(sessionId);
    if (!state.found) throw new SessionGoneError(state.reason);
    this.sessionId = sessionId;
    this.stored = true;
    this.announced = true;
    this.log = this.deps.log.child({ session: sessionRef(sessionId) });
    this.lastSeq = -1;
    this.selectedProductId = state.productId;
    await this.followSession();
    const product = state.productId ? this.deps.catalog().product(state.productId) : undefined;
    const manual = product ? await this.deps.manuals.status(product) : undefined;
    this.send({
      type: 'hello',
      sessionId,
      ...this.greeting(),
      resumed: true,
      ...(product ? { productId: product.id } : {}),
      ...(manual ? { manual: this.withSupport(manual) } : {}),
    });
    // The conversation lives on the server: a reloaded page gets its threads back from here.
    const page = historyPage(await this.labelledHistory(), { maxBytes: this.deps.historyMaxBytes })!;
    this.send({ type: 'history', turns: page.turns, more: page.more }); // the newest that fit WS_HISTORY_MAX_BYTES
    if (product) await this.follow(product.id, false);
  }

  /** Keystrokes and heartbeats are too many to audit (metrics count them); every other call is. */
  private audit(frame: ClientFrame, outcome: string): void {
    if (frame.type === 'typing' || frame.type === 'heartbeat') return;
    this.deps.audit.record({
      sessionId: this.sessionId,
      client: this.client,
      action: frame.type,
      target:
        frame.type === 'resume'
          ? sessionRef(frame.sessionId)
          : frame.type === 'history'
            ? frame.before
            : 'productId' in frame
              ? frame.productId
              : frame.id,
      outcome,
      detail: frame.type === 'ask' ? frame.question : undefined,
    });
  }

  private fail(error: unknown, ref?: string, ownSession = true): void {
    if (error instanceof SessionGoneError) {
      // Erased while this socket was using it (the bus event may not have arrived yet): the same end.
      if (ownSession && error.reason === 'erased') return this.onErased();
      return this.error(error.code, error.message, ref, error.reason);
    }
    if (error instanceof UserFacingError) return this.error(error.code, error.message, ref);
    if (isDependencyDown(error)) {
      this.log.warn({ err: error }, 'a dependency is unavailable');
      return this.error('unavailable', 'a service we depend on is unavailable; try again in a moment', ref);
    }
    const incident = reportError(error, { session: sessionRef(this.sessionId) }) ?? randomUUID();
    this.log.error({ err: error, incident }, 'frame handling failed');
    this.error('internal', `something went wrong on our side (incident ${incident})`, ref);
  }

  private error(code: ErrorCode, message: string, ref?: string, reason?: SessionGoneReason): void {
    this.deps.metrics.websocketErrorFramesTotal.inc({ code });
    this.send({ type: 'error', code, message, ...(ref ? { ref } : {}), ...(reason ? { reason } : {}) });
  }

  send(frame: ServerFrame): void {
    if (this.socket.readyState !== WebSocket.OPEN) return;
    const droppable = frame.type === 'heartbeat' || (frame.type === 'manual' && isProgress(frame));
    let texts: string[];
    try {
      texts = encodeFrame(frame, this.version);
    } catch (error) {
      return this.fail(error);
    }
    for (const json of texts) this.sendRaw(frame.type, json, droppable);
  }

  /** Sends within the socket's budget (see ConnectionDeps.sendBacklogBytes). */
  private sendRaw(type: ServerFrame['type'], json: string, droppable: boolean): void {
    if (this.socket.readyState !== WebSocket.OPEN) return;
    if (this.socket.bufferedAmount + json.length > this.deps.sendBacklogBytes) {
      if (droppable) return void frameInstruments(this.deps.metrics).dropped(type).inc();
      this.close(CloseCodes.tryAgainLater, 'not reading fast enough; reconnect', 'backlog');
      return;
    }
    frameInstruments(this.deps.metrics).framesOut(type).inc();
    this.socket.send(json);
  }

  close(code: number, reason: string, metricReason: WebsocketCloseReason): void {
    if (this.closed) return;
    this.closed = true;
    this.deps.metrics.websocketClosedTotal.inc({ reason: metricReason });
    this.socket.close(code, reason);
    setTimeout(() => this.socket.terminate(), CLOSE_GRACE_MS).unref();
  }

  private dispose(): void {
    this.closed = true;
    this.trigger.stop();
    clearTimeout(this.deferTimer);
    for (const controller of this.answers.values()) controller.abort();
    this.deps.askSlots.release(this.answers.size);
    this.answers.clear();
    void this.watched?.stop().catch(() => undefined);
    this.watched = undefined;
    if (this.sessionEvents) void unfollow(this.sessionEvents.stop);
    this.sessionEvents = undefined;
  }
}

/** Leaves a session's events once the subscription is in place (or never was). */
async function unfollow(stop: Promise<() => Promise<void>>): Promise<void> {
  await (await stop.catch(() => undefined))?.().catch(() => undefined);
}

/**
 * The per-frame metric series, resolved once per label set: prom-client hashes a labels object on every
 * inc()/observe() call, a visible share of a keystroke's cost at thousands of frames a second.
 */
interface FrameInstruments {
  framesIn(type: string): { inc(): void };
  framesOut(type: string): { inc(): void };
  dropped(type: string): { inc(): void };
  duration(type: string, outcome: string): { observe(seconds: number): void };
}

const instrumentsByRegistry = new WeakMap<Instruments, FrameInstruments>();

function frameInstruments(m: Instruments): FrameInstruments {
  let found = instrumentsByRegistry.get(m);
  if (!found) {
    const memo = <T>(make: (key: string) => T) => {
      const children = new Map<string, T>();
      return (key: string): T => {
        let child = children.get(key);
        if (child === undefined) {
          child = make(key);
          children.set(key, child);
        }
        return child;
      };
    };
    const durations = memo((key) => {
      const [type = '', outcome = ''] = key.split('\0');
      return m.websocketFrameDurationSeconds.labels({ type, outcome });
    });
    found = {
      framesIn: memo((type) => m.websocketFramesTotal.labels({ direction: 'in', type })),
      framesOut: memo((type) => m.websocketFramesTotal.labels({ direction: 'out', type })),
      dropped: memo((type) => m.websocketFramesTotal.labels({ direction: 'dropped', type })),
      duration: (type, outcome) => durations(`${type}\0${outcome}`),
    };
    instrumentsByRegistry.set(m, found);
  }
  return found;
}

/** A manual frame on the way (not its first `queued`, nor ready/failed): the next one supersedes it. */
function isProgress(frame: ManualFrameBody): boolean {
  return frame.status === 'fetching' || frame.status === 'indexing';
}

function frameRef(frame: ClientFrame): string | undefined {
  return frame.type === 'ask' ? frame.id : undefined;
}
