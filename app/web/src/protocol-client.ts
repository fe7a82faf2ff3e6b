/**
 * The browser side of the protocol (app/shared/protocol.ts, v5, asked for with `/ws?protocol=5`; a v4 gateway
 * mid-rollout is served too): one WebSocket, kept alive across drops.
 *
 * - Connection state the UI can show: connecting (never been open), open, switching (draining), reconnecting, offline.
 * - Reconnects with jittered exponential backoff; after a reconnect it sends `resume` with the stored
 *   sessionId and holds every other frame until the server answers (resumed `hello`, or an error:
 *   then the caller is told to start fresh). The session id is the one a v4 `hello` carries, or (v5)
 *   the one the `session` frame brings when the first `select` or `ask` makes the session.
 * - Nothing typed is lost while offline: the latest typing text is re-sent with a new `seq`, a pending
 *   `select` is sent, and every `ask` without an `answer_done` (or error) is sent again.
 * - `seq` rises with each keystroke; predictions older than one already delivered are dropped.
 * - Heartbeat: the server's `heartbeat` frames are answered at once. After `probeAfterMs` without any
 *   frame the client asks the server itself; after `deadAfterMs` of silence the server counts as dead or
 *   frozen and the socket is abandoned for a new one (a dead TCP peer may never deliver a close event).
 * - Drain (protocol v4): a `draining` frame means this gateway is shutting down. The state becomes
 *   `switching`; at a random moment within the server's window, once no answer is streaming on the
 *   socket, the client leaves it and connects again at once (the load balancer sends it to another
 *   instance) and resumes there. Meanwhile keystrokes and cancels still use the old socket; questions,
 *   picks and votes wait for the new one, where nothing cuts them off.
 */
import { backoffDelay, DEFAULT_BACKOFF, type BackoffPolicy } from './backoff.ts';
import { parseServerFrame, type ClientFrame, type ServerFrame } from './server-frames.ts';

/** `switching`: still connected, but the server is shutting down and the client is moving to another. */
export type ConnectionState = 'connecting' | 'open' | 'switching' | 'reconnecting' | 'offline';

export interface ConnectionInfo {
  state: ConnectionState;
  /** Failed attempts since the socket was last open. */
  attempt: number;
  /** When reconnecting: milliseconds until the next attempt. */
  retryInMs?: number;
  /** The server's close reason, when it gave one (e.g. "server is shutting down; reconnect"). */
  reason?: string;
}

/** The part of the WebSocket API this client uses: the browser's WebSocket and node's `ws` both fit. */
export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: unknown) => void) | null;
  onclose: ((event: { code: number; reason: string }) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onerror: ((event: unknown) => void) | null;
}

export interface SessionStorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

export interface NetworkMonitor {
  isOnline(): boolean;
  /** Calls back when the browser goes on- or offline; returns an unsubscribe function. */
  subscribe(onChange: () => void): () => void;
}

export interface ProtocolClientOptions {
  url: string;
  createSocket?: (url: string) => SocketLike;
  storage?: SessionStorageLike | undefined;
  network?: NetworkMonitor;
  backoff?: BackoffPolicy;
  random?: () => number;
  /** A socket that opens but never says hello (or never answers resume) is abandoned after this. */
  helloTimeoutMs?: number;
  /** Silence before the client sends its own heartbeat, and before it gives the server up (5 s, 10 s). */
  heartbeat?: { probeAfterMs: number; deadAfterMs: number };
  onConnection?(info: ConnectionInfo): void;
  /** `predictionText`: for a prediction, the text of the keystroke it answers. */
  onFrame?(frame: ServerFrame, predictionText?: string): void;
  /**
   * After each (re)connect: resumed=false means the server has none of our state (new or expired);
   * `lost` says why when the stored session could not be resumed.
   */
  onSession?(session: { sessionId?: string; resumed: boolean; lost?: 'expired' | 'erased' }): void;
}

const OPEN = 1;
const SENT_WHILE_DRAINING = new Set<ClientFrame['type']>(['typing', 'cancel']);
const SESSION_KEY = 'hsc.sessionId';
const DEFAULT_HEARTBEAT = { probeAfterMs: 5_000, deadAfterMs: 10_000 };
type AskFrame = Extract<ClientFrame, { type: 'ask' }>;
type Phase = 'connecting' | 'awaiting-hello' | 'resuming' | 'open' | 'draining' | 'waiting' | 'offline' | 'stopped';

export class ProtocolClient {
  private socket: SocketLike | undefined;
  private phase: Phase = 'waiting';
  private everOpen = false;
  private attempt = 0;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private switchTimer: ReturnType<typeof setTimeout> | undefined;
  /** Draining: the moment to leave has come; waiting only for the answers still streaming. */
  private switchDue = false;
  /** Answers this socket has started streaming and not finished. */
  private readonly streaming = new Set<string>();
  /** Questions sent on this socket: a cancel goes to the server that has them. */
  private readonly sentAsks = new Set<string>();
  private helloTimer: ReturnType<typeof setTimeout> | undefined;
  private silenceTimer: ReturnType<typeof setTimeout> | undefined;
  /** When the current socket last delivered anything, and whether we already asked it since. */
  private lastHeardAt = 0;
  private probed = false;
  private unsubscribeNetwork: (() => void) | undefined;
  /** v4: the sessionId of the hello that greeted this socket; kept if resuming the stored one fails. */
  private freshSessionId: string | undefined;

  private seq = 0;
  private typingText: string | undefined;
  private typingUnsent = false;
  private pendingSelect: string | undefined;
  /** Asks not yet finished, in the order they were asked: re-sent after a reconnect. */
  private readonly unfinishedAsks = new Map<string, AskFrame>();
  private lastPredictionSeq = -1;
  /** The protocol version the server greeted with: frames it does not know are not sent to it. */
  private serverProtocol = 0;
  /** The text of each keystroke not yet answered, so a prediction can say which text it is for. */
  private readonly typedTexts = new Map<number, string>();
  /** Votes not yet delivered (given offline): sent after a reconnect. */
  private readonly unsentVotes = new Map<string, Extract<ClientFrame, { type: 'feedback' }>>();

  constructor(private readonly options: ProtocolClientOptions) {}

  get sessionId(): string | undefined {
    // '' is a session forgotten (the server no longer had it): storage offers no removal here.
    return this.options.storage?.getItem(SESSION_KEY) || undefined;
  }

  get connection(): ConnectionState {
    if (this.phase === 'open') return 'open';
    if (this.phase === 'draining') return 'switching';
    if (this.phase === 'offline') return 'offline';
    return this.everOpen ? 'reconnecting' : 'connecting';
  }

  start(): void {
    if (this.phase !== 'waiting' || this.socket) return;
    this.unsubscribeNetwork = this.options.network?.subscribe(() => this.onNetworkChange());
    this.connect();
  }

  stop(): void {
    this.phase = 'stopped';
    this.clearTimers();
    this.unsubscribeNetwork?.();
    const socket = this.socket;
    this.socket = undefined;
    if (socket) {
      socket.onclose = null;
      socket.close(1000, 'client closed');
    }
  }

  /** A keystroke: returns its seq. Offline, only the latest text is kept, and sent on reconnect. */
  typing(text: string): number {
    this.seq += 1;
    this.typingText = text;
    this.typedTexts.set(this.seq, text);
    this.typingUnsent = !this.sendIfOpen({ type: 'typing', seq: this.seq, text });
    return this.seq;
  }

  select(productId: string): void {
    this.pendingSelect = this.sendIfOpen({ type: 'select', productId }) ? undefined : productId;
  }

  ask(frame: Omit<AskFrame, 'type'>): void {
    const ask: AskFrame = { type: 'ask', ...frame };
    this.unfinishedAsks.set(ask.id, ask);
    this.sendIfOpen(ask);
  }

  /** Stops a streaming (or queued) answer: the server stops generating and ends it with `cancelled`. */
  cancel(id: string): void {
    const unfinished = this.unfinishedAsks.delete(id);
    if (this.sentAsks.has(id) && this.sendIfOpen({ type: 'cancel', id })) return;
    // Never reached this socket's server (queued, or asked on a socket since lost): end it here.
    if (unfinished)
      this.options.onFrame?.({ type: 'error', code: 'cancelled', message: 'stopped at your request', ref: id });
  }

  feedback(id: string, vote: 'up' | 'down' | null): void {
    const frame = { type: 'feedback', id, vote } as const;
    if (this.sendIfOpen(frame)) this.unsentVotes.delete(id);
    else this.unsentVotes.set(id, frame);
  }

  private sendIfOpen(frame: ClientFrame): boolean {
    // A draining server still predicts and stops its own answers; anything that starts work waits.
    const usable = this.phase === 'open' || (this.phase === 'draining' && SENT_WHILE_DRAINING.has(frame.type));
    if (!usable || !this.socket || this.socket.readyState !== OPEN) return false;
    // A server older than protocol 3 rejects its frames and fields: leave them out.
    if (this.serverProtocol < 3) {
      if (frame.type === 'cancel' || frame.type === 'feedback') return false;
      if (frame.type === 'ask' && frame.thread !== undefined) {
        const { thread: _thread, ...older } = frame;
        this.socket.send(JSON.stringify(older));
        this.sentAsks.add(frame.id);
        return true;
      }
    }
    this.socket.send(JSON.stringify(frame));
    if (frame.type === 'ask') this.sentAsks.add(frame.id);
    return true;
  }

  private connect(): void {
    if (this.phase === 'stopped') return;
    if (this.options.network && !this.options.network.isOnline()) return this.goOffline();
    this.phase = 'connecting';
    this.emit();
    const create = this.options.createSocket ?? ((url: string) => new WebSocket(url) as unknown as SocketLike);
    let socket: SocketLike;
    try {
      socket = create(this.options.url);
    } catch {
      return this.scheduleRetry();
    }
    this.socket = socket;
    socket.onopen = () => {
      if (this.socket !== socket) return;
      this.phase = 'awaiting-hello';
      this.armHelloTimer(socket);
    };
    socket.onmessage = (event) => {
      if (this.socket !== socket) return;
      this.lastHeardAt = Date.now();
      this.probed = false;
      this.onMessage(event.data);
    };
    socket.onerror = () => undefined; // a close event always follows; that is where we react
    socket.onclose = (event) => {
      if (this.socket !== socket) return;
      this.socket = undefined;
      this.scheduleRetry(event.reason || undefined);
    };
  }

  private onMessage(data: unknown): void {
    const frame = parseServerFrame(data);
    if (!frame) return;
    if (frame.type === 'heartbeat') {
      if (!frame.reply) this.socket?.send(JSON.stringify({ type: 'heartbeat', reply: true } satisfies ClientFrame));
      return;
    }
    if (frame.type === 'draining') return this.onDraining(frame.reconnectWithinMs);
    if (frame.type === 'hello') this.serverProtocol = frame.protocol;
    // A v4 hello carries a session id; a fresh v5 one has none until the session is used.
    if (frame.type === 'hello' && !frame.resumed && this.phase === 'awaiting-hello') {
      this.options.onFrame?.(frame); // what the server says of itself (protocol, support contact)
      return this.onGreeting(frame.sessionId);
    }
    if (this.phase === 'resuming') {
      if (frame.type === 'hello' && frame.resumed && frame.sessionId !== undefined) {
        this.options.onFrame?.(frame);
        return this.becomeOpen(frame.sessionId, true);
      }
      // Expired (not_found) or the session store is down: start without it (v4: the greeting's session).
      if (frame.type === 'error' && frame.ref === undefined) {
        // Only `not_found` means the server no longer has it; another error (the store down) loses nothing.
        const lost = frame.code === 'not_found' ? (frame.reason ?? 'expired') : undefined;
        return this.becomeOpen(this.freshSessionId, false, lost);
      }
    }
    // v5: the first `select` or `ask` made the session; every tab of the browser resumes it from now on.
    if (frame.type === 'session') this.options.storage?.setItem(SESSION_KEY, frame.sessionId);
    if (frame.type === 'prediction') {
      if (frame.seq <= this.lastPredictionSeq) return; // a newer keystroke's prediction is already shown
      this.lastPredictionSeq = frame.seq;
      const text = this.typedTexts.get(frame.seq);
      for (const seq of this.typedTexts.keys()) if (seq <= frame.seq) this.typedTexts.delete(seq);
      return this.options.onFrame?.(frame, text);
    }
    if (frame.type === 'answer_chunk') this.streaming.add(frame.id);
    const finished = frame.type === 'answer_done' ? frame.id : frame.type === 'error' ? frame.ref : undefined;
    if (finished !== undefined) {
      this.unfinishedAsks.delete(finished);
      this.streaming.delete(finished);
    }
    this.options.onFrame?.(frame);
    if (finished !== undefined && this.switchDue) this.switchIfIdle();
  }

  private onDraining(withinMs: number): void {
    if (this.phase !== 'open') {
      // Not settled on this server yet (greeting or resume in flight): nothing here to finish, leave now.
      this.switchDue = true;
      return this.switchIfIdle();
    }
    this.phase = 'draining';
    this.emit();
    const delay = Math.max(0, withinMs) * (this.options.random ?? Math.random)();
    this.switchTimer = setTimeout(() => {
      this.switchDue = true;
      this.switchIfIdle();
    }, delay);
  }

  /** Leaves a draining server once no answer streams on it, and connects again at once (no backoff). */
  private switchIfIdle(): void {
    if (this.streaming.size > 0 || !this.socket) return;
    const socket = this.socket;
    this.socket = undefined;
    socket.onclose = null;
    socket.onmessage = null;
    socket.close(1000, 'switching server');
    this.resetSocketState();
    this.connect();
  }

  /** What belonged to the socket just lost or left. */
  private resetSocketState(): void {
    this.clearTimers();
    this.switchDue = false;
    this.streaming.clear();
    this.sentAsks.clear();
    // A typing frame sent on the old socket may never have been answered: send the latest text again.
    if (this.typingText !== undefined) this.typingUnsent = true;
  }

  private onGreeting(sessionId: string | undefined): void {
    const stored = this.sessionId;
    if (stored && stored !== sessionId) {
      this.freshSessionId = sessionId;
      this.phase = 'resuming';
      this.socket?.send(JSON.stringify({ type: 'resume', sessionId: stored } satisfies ClientFrame));
      return;
    }
    this.becomeOpen(sessionId, false);
  }

  private becomeOpen(sessionId: string | undefined, resumed: boolean, lost?: 'expired' | 'erased'): void {
    if (this.helloTimer) clearTimeout(this.helloTimer);
    // A lost session is forgotten, so the next connection does not ask for it again.
    if (sessionId !== undefined || lost) this.options.storage?.setItem(SESSION_KEY, sessionId ?? '');
    this.phase = 'open';
    this.everOpen = true;
    this.attempt = 0;
    this.lastHeardAt = Date.now();
    this.probed = false;
    this.watchSilence();
    this.emit();
    this.options.onSession?.({ ...(sessionId !== undefined ? { sessionId } : {}), resumed, ...(lost ? { lost } : {}) });
    this.flush();
  }

  /** After (re)connecting: the product pick, the latest text, then every unfinished question. */
  private flush(): void {
    if (this.pendingSelect !== undefined) this.select(this.pendingSelect);
    if (this.typingUnsent && this.typingText !== undefined) this.typing(this.typingText);
    for (const ask of this.unfinishedAsks.values()) this.sendIfOpen(ask);
    for (const vote of [...this.unsentVotes.values()]) this.feedback(vote.id, vote.vote);
  }

  private armHelloTimer(socket: SocketLike): void {
    if (this.helloTimer) clearTimeout(this.helloTimer);
    this.helloTimer = setTimeout(() => {
      if (this.socket === socket && this.phase !== 'open') this.abandon('no hello from server');
    }, this.options.helloTimeoutMs ?? 10_000);
  }

  /** One timer per socket, re-armed from `lastHeardAt` rather than reset on every frame. */
  private watchSilence(): void {
    const { probeAfterMs, deadAfterMs } = this.options.heartbeat ?? DEFAULT_HEARTBEAT;
    if (this.silenceTimer) clearTimeout(this.silenceTimer);
    const silentFor = Date.now() - this.lastHeardAt;
    if (silentFor >= deadAfterMs) {
      this.abandon('server not responding');
      return;
    }
    if (silentFor >= probeAfterMs && !this.probed) {
      this.probed = true;
      this.socket?.send(JSON.stringify({ type: 'heartbeat' } satisfies ClientFrame));
    }
    const next = silentFor < probeAfterMs ? probeAfterMs : deadAfterMs;
    this.silenceTimer = setTimeout(() => this.watchSilence(), next - silentFor);
  }

  /** Gives up on the current socket without waiting for a close event that a dead peer never sends. */
  private abandon(reason: string): void {
    const socket = this.socket;
    if (!socket) return;
    this.socket = undefined;
    socket.onclose = null;
    socket.onmessage = null;
    socket.close(4000, reason);
    this.scheduleRetry(reason);
  }

  private scheduleRetry(reason?: string): void {
    if (this.phase === 'stopped') return;
    this.resetSocketState();
    if (this.options.network && !this.options.network.isOnline()) return this.goOffline(reason);
    const retryInMs = backoffDelay(this.attempt, this.options.backoff ?? DEFAULT_BACKOFF, this.options.random);
    this.attempt += 1;
    this.phase = 'waiting';
    this.emit({ retryInMs, reason });
    this.retryTimer = setTimeout(() => this.connect(), retryInMs);
  }

  private goOffline(reason?: string): void {
    this.phase = 'offline';
    this.emit({ reason });
  }

  private onNetworkChange(): void {
    const online = this.options.network?.isOnline() ?? true;
    if (online && (this.phase === 'offline' || this.phase === 'waiting')) {
      this.clearTimers();
      this.connect(); // the network is back: no reason to wait out the backoff
    } else if (!online && this.phase === 'waiting') {
      this.clearTimers();
      this.goOffline();
    } else if (!online && this.socket) {
      // The browser says the network is gone: a socket that looks open cannot be trusted (its close may
      // take minutes to arrive). Drop it now, so the page says offline and queues what is asked.
      const socket = this.socket;
      this.socket = undefined;
      socket.onclose = null;
      socket.close(4001, 'network offline');
      this.scheduleRetry();
    }
  }

  private clearTimers(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.helloTimer) clearTimeout(this.helloTimer);
    if (this.silenceTimer) clearTimeout(this.silenceTimer);
    if (this.switchTimer) clearTimeout(this.switchTimer);
    this.switchTimer = undefined;
    this.retryTimer = undefined;
    this.helloTimer = undefined;
    this.silenceTimer = undefined;
  }

  private emit(extra: { retryInMs?: number; reason?: string | undefined } = {}): void {
    const info: ConnectionInfo = { state: this.connection, attempt: this.attempt };
    if (extra.retryInMs !== undefined) info.retryInMs = extra.retryInMs;
    if (extra.reason) info.reason = extra.reason;
    this.options.onConnection?.(info);
  }
}

/** The browser's own online/offline signal. */
export const browserNetwork: NetworkMonitor = {
  isOnline: () => typeof navigator === 'undefined' || navigator.onLine !== false,
  subscribe(onChange) {
    window.addEventListener('online', onChange);
    window.addEventListener('offline', onChange);
    return () => {
      window.removeEventListener('online', onChange);
      window.removeEventListener('offline', onChange);
    };
  },
};

/** ws://host/ws?protocol=5 (wss: on https) for the page's own origin. */
export function sameOriginSocketUrl(location: { protocol: string; host: string }): string {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws?protocol=5`;
}
