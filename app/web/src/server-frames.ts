/**
 * Server frames as the browser receives them. The server is trusted, but a proxy, an older gateway or a
 * newer protocol revision may hand us something unexpected: frames are shape-checked by the checks the
 * server's tests hold to protocol.ts's schemas (app/server-frames.ts, no zod, to keep the bundle small)
 * and anything unrecognised is ignored rather than crashing the UI.
 */
import type { ManualFrameBody, PredictionItem, PredictionRow, ServerFrame } from '../../protocol.ts';
import { parseServerFrame as parseProtocolFrame } from '../../server-frames.ts';

export type {
  AnswerConfidence,
  AnswerPart,
  Citation,
  ClientFrame,
  ErrorCode,
  HistoryTurn,
  ManualStatus,
  ServerFrame,
  SupportContact,
  Vote,
} from '../../protocol.ts';

/** An optional field the UI shows when a server sends it (protocol v1 allows new optional fields). */
export type Prediction = PredictionItem & { imageUrl?: string };
/**
 * A manual's status as the card shows it (`bytes`/`totalBytes` while fetching, `pages` once read), and
 * `retryAt`: when the next attempt starts, on this browser's clock (from the frame's `retryInMs`).
 */
export type ManualView = ManualFrameBody & { retryAt?: number };

/**
 * The products a v5 prediction offers, as a v4 socket is served them (protocol.ts `productItemOf`,
 * mirrored here to keep zod out of the bundle): a family as its first variant with a manual (else its
 * first), brand rows left out. This page offers products only.
 */
function asProducts(items: ServerFramePrediction['items']): Prediction[] {
  return items.flatMap((item): Prediction[] => {
    if (!('kind' in item) || item.kind === 'product') return [item as Prediction];
    const row = item as PredictionRow;
    if (row.kind !== 'family') return [];
    const variant = row.variants.find((v) => v.hasManual) ?? row.variants[0];
    return variant
      ? [{ productId: variant.productId, brand: row.brand, name: row.name, confidence: row.confidence }]
      : [];
  });
}

type ServerFramePrediction = Extract<ServerFrame, { type: 'prediction' }>;

/** The frame, or undefined when the text is not a frame this client understands. */
export function parseServerFrame(raw: unknown): ServerFrame | undefined {
  const frame = parseProtocolFrame(raw);
  if (frame?.type === 'prediction') return { ...frame, items: asProducts(frame.items) };
  return frame;
}
