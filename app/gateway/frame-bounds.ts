/**
 * Every server frame has a size bound (SERVER_FRAME_MAX_BYTES), so what one socket can make the gateway
 * hold is a known multiple of what it asks for. Frames whose content grows with data the server does
 * not control (a model's answer, a manual's text, a long conversation) are shaped to fit here: history
 * drops its oldest turns, an answer chunk is split, free-text fields are cut. A frame still over its
 * bound after shaping is a bug, and throws.
 */
import { SERVER_FRAME_MAX_BYTES, type HistoryTurn, type ManualFrameBody, type ServerFrame } from '../protocol.js';

/** Free text the server relays (error messages, a manual's failure reason, citation snippets). */
const MAX_MESSAGE_CHARS = 1_000;
const MAX_CITATIONS = 20;
/** JSON escapes one UTF-16 unit into at most 6 bytes (`\uXXXX`): a chunk of this many units always fits. */
const ANSWER_CHUNK_CHARS = Math.floor((SERVER_FRAME_MAX_BYTES.answer_chunk - 200) / 6);

export class FrameTooLargeError extends Error {
  constructor(type: ServerFrame['type'], bytes: number) {
    super(`a ${type} frame of ${bytes} bytes exceeds its ${SERVER_FRAME_MAX_BYTES[type]} byte bound`);
    this.name = 'FrameTooLargeError';
  }
}

/** Cuts at a code point boundary, never inside a surrogate pair. */
function cut(text: string, chars: number): string {
  if (text.length <= chars) return text;
  const end = /[\uD800-\uDBFF]/.test(text.charAt(chars - 1)) ? chars - 1 : chars;
  return `${text.slice(0, end)}…`;
}

function splitText(text: string, chars: number): string[] {
  if (text.length === 0) return [text];
  const parts: string[] = [];
  for (let start = 0; start < text.length; ) {
    let end = Math.min(text.length, start + chars);
    if (end < text.length && /[\uD800-\uDBFF]/.test(text.charAt(end - 1))) end -= 1;
    parts.push(text.slice(start, end));
    start = end;
  }
  return parts;
}

function shapeManual<T extends ManualFrameBody>(body: T): T {
  return body.error === undefined ? body : { ...body, error: cut(body.error, MAX_MESSAGE_CHARS) };
}

/**
 * The newest turns that fit `maxBytes`, oldest first, and how many older ones were left out: a
 * resumed page shows the recent conversation; the rest stays stored (and erasable) on the server.
 */
export function newestTurnsWithin(
  turns: readonly HistoryTurn[],
  maxBytes: number,
): { turns: HistoryTurn[]; omitted: number } {
  const kept: HistoryTurn[] = [];
  let bytes = 64; // the frame's own envelope
  for (let i = turns.length - 1; i >= 0; i -= 1) {
    const size = Buffer.byteLength(JSON.stringify(turns[i])) + 1;
    if (bytes + size > maxBytes) break;
    bytes += size;
    kept.push(turns[i]!);
  }
  return { turns: kept.reverse(), omitted: turns.length - kept.length };
}

/** The frame shaped to its bound, as the JSON texts to send (an answer chunk may become several). */
export function encodeFrame(frame: ServerFrame, historyMaxBytes = SERVER_FRAME_MAX_BYTES.history): string[] {
  let frames: ServerFrame[];
  switch (frame.type) {
    case 'history': {
      const { turns, omitted } = newestTurnsWithin(
        frame.turns,
        Math.min(historyMaxBytes, SERVER_FRAME_MAX_BYTES.history),
      );
      frames = [{ type: 'history', turns, ...(omitted > 0 ? { omitted } : {}) }];
      break;
    }
    case 'answer_chunk':
      frames = splitText(frame.text, ANSWER_CHUNK_CHARS).map((text) => ({ ...frame, text }));
      break;
    case 'answer_done':
      frames = [
        {
          ...frame,
          citations: frame.citations
            .slice(0, MAX_CITATIONS)
            .map((c) => ({ ...c, snippet: cut(c.snippet, MAX_MESSAGE_CHARS) })),
        },
      ];
      break;
    case 'error':
      frames = [{ ...frame, message: cut(frame.message, MAX_MESSAGE_CHARS) }];
      break;
    case 'manual':
      frames = [shapeManual(frame)];
      break;
    case 'hello':
      frames = [frame.manual ? { ...frame, manual: shapeManual(frame.manual) } : frame];
      break;
    case 'prediction':
    case 'draining':
    case 'heartbeat':
      frames = [frame];
      break;
  }
  return frames.map((shaped) => {
    const json = JSON.stringify(shaped);
    const bytes = Buffer.byteLength(json);
    if (bytes > SERVER_FRAME_MAX_BYTES[frame.type]) throw new FrameTooLargeError(frame.type, bytes);
    return json;
  });
}
