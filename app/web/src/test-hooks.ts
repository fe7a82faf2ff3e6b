/**
 * Test-only: compiled into development and `--mode e2e` builds, never into production (main.tsx imports
 * it behind `__TEST_HOOKS__`). Frames injected here go through the same reducer as real server frames.
 *   ?seed-messages=N   fills the conversation with N messages (N/2 questions and their answers)
 *   window.__hscTest.dispatch(action)   feeds any action, e.g. { type: 'frame', frame: {...} }
 */
import type { Dispatch } from 'react';
import type { Action } from './state.ts';

declare global {
  interface Window {
    __hscTest?: { dispatch: Dispatch<Action>; seeded: number };
  }
}

export function installTestHooks(dispatch: Dispatch<Action>): void {
  if (window.__hscTest) return;
  const count = Number(new URLSearchParams(window.location.search).get('seed-messages') ?? 0);
  const pairs = Number.isInteger(count) && count > 0 ? Math.floor(Math.min(count, 100_000) / 2) : 0;
  for (let i = 0; i < pairs; i++) {
    const id = `seed-${i}`;
    dispatch({ type: 'asked', askId: id, productId: 'seed', question: `Seeded question number ${i}?` });
    dispatch({ type: 'frame', frame: { type: 'answer_chunk', id, text: `Seeded answer number ${i}.` } });
    dispatch({
      type: 'frame',
      frame: { type: 'answer_done', id, citations: [{ page: (i % 40) + 1, snippet: 'seeded' }] },
    });
  }
  window.__hscTest = { dispatch, seeded: pairs * 2 };
}
