/**
 * The turns one `history` frame carries: the newest ones that fit MAX_HISTORY_FRAME_BYTES (and `limit`),
 * oldest first, and whether older ones were left out. On resume the page ends at the newest turn; a v5
 * client asks for the page before its oldest turn with a `history` frame (`before`: that turn's id).
 */
import { MAX_HISTORY_FRAME_BYTES, type HistoryTurn } from '../../shared/protocol.js';

export interface HistoryPage {
  turns: HistoryTurn[];
  /** Older turns exist beyond this page. */
  more: boolean;
}

export function historyPage(
  all: readonly HistoryTurn[],
  options: { before?: string; limit?: number; maxBytes?: number } = {},
): HistoryPage | undefined {
  const { limit = 100, maxBytes = MAX_HISTORY_FRAME_BYTES } = options;
  let end = all.length;
  if (options.before !== undefined) {
    end = all.findIndex((t) => t.id === options.before);
    if (end < 0) return undefined;
  }
  const turns: HistoryTurn[] = [];
  // The frame's own envelope, then each turn and its comma.
  let bytes = 64;
  let start = end;
  while (start > 0 && turns.length < limit) {
    const turn = all[start - 1]!;
    const size = Buffer.byteLength(JSON.stringify(turn)) + 1;
    if (bytes + size > maxBytes) break;
    bytes += size;
    turns.unshift(turn);
    start -= 1;
  }
  return { turns, more: start > 0 };
}
