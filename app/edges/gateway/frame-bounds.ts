/**
 * Every server frame has a size bound (SERVER_FRAME_MAX_BYTES), so what one socket can make the gateway
 * hold is a known multiple of what it asks for. Frames whose content grows with data the server does
 * not control (a model's answer, a manual's text, a long conversation) are shaped to fit here: history
 * is paged (history-page.ts), a `turn` has its answer cut, an answer chunk is split, free-text fields
 * are cut. A frame still over its bound after shaping is a bug, and throws.
 */
import {
  frameFor,
  MAX_QUESTION_TEXT,
  PROTOCOL_VERSION,
  SERVER_FRAME_MAX_BYTES,
  type Citation,
  type ManualFrameBody,
  type ProtocolVersion,
  type ServerFrame,
} from '../../shared/protocol.js';
import { historyPage } from './history-page.js';

/** Free text the server relays (error messages, a manual's failure reason, citation snippets). */
const MAX_MESSAGE_CHARS = 1_000;
const MAX_CITATIONS = 20;
/** JSON escapes one UTF-16 unit into at most 6 bytes (`\uXXXX`): a chunk of this many units always fits. */
const ANSWER_CHUNK_CHARS = Math.floor((SERVER_FRAME_MAX_BYTES.answer_chunk - 200) / 6);
/** A `turn` frame's answer, cut so that with its question and `answer_done` fields it fits its bound. */
const TURN_ANSWER_CHARS = Math.floor((64 * 1024) / 6);

export class FrameTooLargeError extends Error {
  constructor(type: ServerFrame['type'], bytes: number) {
    super(`a ${type} frame of ${bytes} bytes exceeds its ${SERVER_FRAME_MAX_BYTES[type]} byte bound`);
    this.name = 'FrameTooLargeError';
  }
}

/** Cuts at a code point boundary, never inside a surrogate pair; with its `…`, at most `chars` long (the schemas' bounds). */
function cut(text: string, chars: number): string {
  if (text.length <= chars) return text;
  const end = /[\uD800-\uDBFF]/.test(text.charAt(chars - 2)) ? chars - 2 : chars - 1;
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

function shapeCitations(citations: readonly Citation[]): Citation[] {
  return citations.slice(0, MAX_CITATIONS).map((c) => ({ ...c, snippet: cut(c.snippet, MAX_MESSAGE_CHARS) }));
}

/**
 * The frame shaped to its bound and spoken as `version` hears it (frameFor, the one downgrade point),
 * as the JSON texts to send: an answer chunk may become several, a frame v4 has none of becomes none.
 * A history frame is normally a page already (history-page.ts, cut by WS_HISTORY_MAX_BYTES); one over
 * the type's bound is paged here the same way, and says `more`.
 */
export function encodeFrame(frame: ServerFrame, version: ProtocolVersion = PROTOCOL_VERSION): string[] {
  let frames: ServerFrame[];
  switch (frame.type) {
    case 'history': {
      const page = historyPage(frame.turns, { limit: frame.turns.length, maxBytes: SERVER_FRAME_MAX_BYTES.history })!;
      const more = frame.more === true || page.more;
      frames = [{ ...frame, turns: page.turns, ...(more ? { more } : {}) }];
      break;
    }
    case 'turn':
      frames = [
        {
          ...frame,
          turn: {
            ...frame.turn,
            question: cut(frame.turn.question, MAX_QUESTION_TEXT),
            answer: cut(frame.turn.answer, TURN_ANSWER_CHARS),
            citations: shapeCitations(frame.turn.citations),
          },
        },
      ];
      break;
    case 'answer_chunk':
      frames = splitText(frame.text, ANSWER_CHUNK_CHARS).map((text) => ({ ...frame, text }));
      break;
    case 'answer_done':
      frames = [{ ...frame, citations: shapeCitations(frame.citations) }];
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
    case 'session':
    case 'prediction':
    case 'draining':
    case 'heartbeat':
      frames = [frame];
      break;
  }
  return frames.flatMap((shaped) => {
    const spoken = frameFor(version, shaped);
    if (!spoken) return [];
    const json = JSON.stringify(spoken);
    const bytes = Buffer.byteLength(json);
    if (bytes > SERVER_FRAME_MAX_BYTES[frame.type]) throw new FrameTooLargeError(frame.type, bytes);
    return json;
  });
}
