/**
 * Server frames as the browser receives them. The server is trusted, but a proxy, an older gateway or a
 * newer protocol revision may hand us something unexpected: frames are shape-checked by the checks the
 * server's tests hold to protocol.ts's schemas (app/shared/server-frames.ts, no zod, to keep the bundle small)
 * and anything unrecognised is ignored rather than crashing the UI.
 */
import type {
  BrandRow,
  FamilyRow,
  ManualFrameBody,
  NotFound,
  PredictionItem,
  ProductRow,
  ServerFrame as ProtocolFrame,
} from '../../shared/protocol.ts';
import { parseServerFrame as parseProtocolFrame } from '../../shared/server-frames.ts';

export type {
  AnswerConfidence,
  AnswerPart,
  BrandRow,
  Citation,
  ClientFrame,
  ErrorCode,
  FamilyRow,
  HistoryTurn,
  ManualStatus,
  NotFound,
  SupportContact,
  Variant,
  Vote,
} from '../../shared/protocol.ts';

/**
 * A product the list offers. `hasManual` is unknown from a v4 gateway; `imageUrl` is an optional field
 * the UI shows when a server sends it (protocol v1 allows new optional fields).
 */
export type ProductPrediction = Omit<ProductRow, 'hasManual'> & { hasManual?: boolean; imageUrl?: string };
/** A row of the list: a product, a product family (its variant is chosen after), or a brand. */
export type Prediction = ProductPrediction | FamilyRow | BrandRow;
/**
 * A manual's status as the card shows it (`bytes`/`totalBytes` while fetching, `pages` once read), and
 * `retryAt`: when the next attempt starts, on this browser's clock (from the frame's `retryInMs`).
 */
export type ManualView = ManualFrameBody & { retryAt?: number };

/** A prediction of either protocol version, as rows: v4 items are product rows. */
export interface PredictionFrame {
  type: 'prediction';
  seq: number;
  items: Prediction[];
  /** v5: no row is good enough; the brand typed that the catalog lacks and the closest it carries. */
  notFound?: NotFound;
}

/** The server frames the page handles: as protocol.ts has them, with predictions as rows. */
export type ServerFrame = Exclude<ProtocolFrame, { type: 'prediction' }> | PredictionFrame;

/** A v4 item (no `kind`) as the product row it is; v5 rows as they are. */
function asRow(item: PredictionItem | Prediction): Prediction {
  return 'kind' in item ? item : { kind: 'product', ...item };
}

/** The frame, or undefined when the text is not a frame this client understands. */
export function parseServerFrame(raw: unknown): ServerFrame | undefined {
  const frame = parseProtocolFrame(raw);
  if (frame?.type !== 'prediction') return frame;
  // The shared checks accept either version's prediction; the protocol's type names only v4's.
  const { seq, items, notFound } = frame as unknown as {
    seq: number;
    items: (PredictionItem | Prediction)[];
    notFound?: NotFound;
  };
  return { type: 'prediction', seq, items: items.map(asRow), ...(notFound ? { notFound } : {}) };
}
