/**
 * Closed-loop typists: each client sends one `typing` frame (the next keystroke prefix of a realistic
 * query), waits for the `prediction` echoing its seq, records the round trip, sends the next. Runs in
 * this thread or in a worker thread (typing-worker.ts); only answers inside the measured window count.
 */
import type WebSocket from 'ws';
import { connectForHello } from './connect.js';

export interface TypingLoopOptions {
  wsUrl: string;
  clients: number;
  /** Keystroke texts, cycled: client i starts at a different offset. */
  texts: readonly string[];
  /** Offset so clients in different workers type different texts. */
  firstClient: number;
  warmupMs: number;
  durationMs: number;
}

export interface TypingLoopResult {
  predictions: number;
  /** Round trips (ms) of the predictions inside the window. */
  latenciesMs: number[];
  /** `error` frames by code (rate_limited, …) and answers that never came. */
  errors: Record<string, number>;
  timeouts: number;
  connectFailures: number;
  /** One `items` array as the server sent it, for the peer to answer with the same bytes. */
  sampleItems: string | undefined;
}

const RESPONSE_TIMEOUT_MS = 5_000;
const PREDICTION_PREFIX = '{"type":"prediction","seq":';

/** The seq of a prediction frame without parsing its items: the client must stay cheaper than the server. */
function predictionSeq(text: string): number | undefined {
  if (!text.startsWith(PREDICTION_PREFIX)) return undefined;
  return Number.parseInt(text.slice(PREDICTION_PREFIX.length, text.indexOf(',', PREDICTION_PREFIX.length)), 10);
}

export async function runTypingLoop(options: TypingLoopOptions): Promise<TypingLoopResult> {
  const result: TypingLoopResult = {
    predictions: 0,
    latenciesMs: [],
    errors: {},
    timeouts: 0,
    connectFailures: 0,
    sampleItems: undefined,
  };
  const settled = await Promise.allSettled(
    Array.from({ length: options.clients }, () => connectForHello(options.wsUrl)),
  );
  const sockets = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  result.connectFailures = settled.length - sockets.length;
  const start = performance.now();
  const windowStart = start + options.warmupMs;
  const windowEnd = windowStart + options.durationMs;
  await Promise.all(
    sockets.map((socket, i) => typist(socket, options.firstClient + i, options, result, windowStart, windowEnd)),
  );
  for (const socket of sockets) socket.terminate();
  return result;
}

function typist(
  socket: WebSocket,
  client: number,
  options: TypingLoopOptions,
  result: TypingLoopResult,
  windowStart: number,
  windowEnd: number,
): Promise<void> {
  return new Promise((resolve) => {
    let seq = 0;
    let sentAt = 0;
    let timer: NodeJS.Timeout | undefined;
    let textIndex = (client * 7919) % options.texts.length;
    const next = () => {
      clearTimeout(timer);
      if (performance.now() >= windowEnd || socket.readyState !== socket.OPEN) return resolve();
      seq++;
      const text = options.texts[textIndex]!;
      textIndex = (textIndex + 1) % options.texts.length;
      timer = setTimeout(() => {
        result.timeouts++;
        next();
      }, RESPONSE_TIMEOUT_MS);
      sentAt = performance.now();
      socket.send(JSON.stringify({ type: 'typing', seq, text }));
    };
    socket.on('message', (data) => {
      const frame = String(data);
      const answered = predictionSeq(frame);
      if (answered === seq) {
        const now = performance.now();
        if (sentAt >= windowStart && now <= windowEnd) {
          result.predictions++;
          result.latenciesMs.push(now - sentAt);
          if (result.sampleItems === undefined && frame.includes('"items":[{'))
            result.sampleItems = frame.slice(frame.indexOf('"items":') + 8, -1);
        }
        return next();
      }
      if (answered !== undefined || !frame.startsWith('{"type":"error"')) return; // manual progress, hello, a stale seq
      const code = (JSON.parse(frame) as { code?: string }).code ?? 'unknown';
      result.errors[code] = (result.errors[code] ?? 0) + 1;
      next(); // the keystroke was refused: no prediction will come for it
    });
    socket.on('close', () => {
      clearTimeout(timer);
      resolve();
    });
    next();
  });
}
