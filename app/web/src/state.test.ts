import { describe, expect, it } from 'vitest';
import {
  activeMessages,
  activeThread,
  initialState,
  predictionsCurrent,
  reduce,
  type Action,
  type Answer,
  type UiState,
} from './state.ts';
import type { FamilyRow, NotFound, Prediction, ServerFrame } from './server-frames.ts';
import { rowKey, variantProduct } from './rows.ts';

const td17 = { productId: 'roland-td-17', brand: 'Roland', name: 'TD-17' };
const run = (actions: Action[], from: UiState = initialState()) => actions.reduce(reduce, from);
const frame = (f: ServerFrame): Action => ({ type: 'frame', frame: f });
const prediction = (seq: number, ...ids: string[]): Action =>
  frame({
    type: 'prediction',
    seq,
    items: ids.map((id, i) => ({
      kind: 'product',
      productId: id,
      brand: 'Roland',
      name: id,
      confidence: 0.9 - i / 10,
    })),
  });
const answers = (s: UiState) => activeMessages(s).filter((m): m is Answer => m.kind === 'answer');

describe('the combobox', () => {
  it('opens on typing, shows predictions, and moves the highlight with wrap-around', () => {
    let s = run([{ type: 'typed', text: 'rolnd td' }, prediction(1, 'a', 'b', 'c')]);
    expect(s.listOpen).toBe(true);
    expect(s.predictions.map(rowKey)).toEqual(['product:a', 'product:b', 'product:c']);
    expect(s.activeIndex).toBe(-1);
    s = run(
      [
        { type: 'move', to: 'next' },
        { type: 'move', to: 'next' },
      ],
      s,
    );
    expect(s.activeIndex).toBe(1);
    s = run(
      [
        { type: 'move', to: 'next' },
        { type: 'move', to: 'next' },
      ],
      s,
    );
    expect(s.activeIndex).toBe(0);
    s = run([{ type: 'move', to: 'previous' }], s);
    expect(s.activeIndex).toBe(2);
    s = run([{ type: 'move', to: 'first' }], s);
    expect(s.activeIndex).toBe(0);
  });

  it('keeps the highlighted product highlighted when newer predictions reorder it', () => {
    let s = run([{ type: 'typed', text: 'td' }, prediction(1, 'a', 'b'), { type: 'move', to: 'last' }]);
    expect(s.predictions[s.activeIndex]).toMatchObject({ productId: 'b' });
    s = run([prediction(2, 'b', 'a')], s);
    expect(s.activeIndex).toBe(0);
    s = run([prediction(3, 'c')], s);
    expect(s.activeIndex).toBe(-1);
  });

  it('closes on Escape and shows no predictions for an empty box', () => {
    let s = run([{ type: 'typed', text: 'td' }, prediction(1, 'a'), { type: 'list', open: false }]);
    expect(s.listOpen).toBe(false);
    s = run([{ type: 'typed', text: '' }, prediction(2, 'a')], s);
    expect(s.predictions).toEqual([]);
    expect(s.listOpen).toBe(false);
  });

  it('picking fills the box, closes the list and keeps a manual status already prefetched', () => {
    const manual = { productId: td17.productId, status: 'fetching' as const, progress: 0.4 };
    const s = run([
      { type: 'typed', text: 'td17' },
      prediction(1, td17.productId),
      frame({ type: 'manual', ...manual }),
      { type: 'picked', product: td17 },
    ]);
    expect(s.product).toEqual(td17);
    expect(s.query).toBe('Roland TD-17');
    expect(s.listOpen).toBe(false);
    expect(s.manual).toEqual(manual);
    expect(s.selecting).toBe(td17.productId);
  });
});

describe('brand and family rows (protocol v5)', () => {
  const family: FamilyRow = {
    kind: 'family',
    familyId: 'roland_87-spd30',
    brand: 'Roland',
    name: 'Roland SPD-30',
    confidence: 0.99,
    hasManual: false,
    variants: [
      { productId: 'roland_87-spd30', label: 'Standard', hasManual: false },
      { productId: 'roland_87-spd30bk', label: 'Black', hasManual: false },
      { productId: 'roland_87-spd30wh', label: 'White', hasManual: false },
    ],
  };
  const brand = { kind: 'brand' as const, brand: 'Roland', confidence: 1, families: 416 };
  const rows = (seq: number, items: Prediction[], notFound?: NotFound): Action =>
    frame({ type: 'prediction', seq, items, ...(notFound ? { notFound } : {}) });

  it('keeps the highlighted brand or family highlighted across replies, by kind and name', () => {
    let s = run([{ type: 'typed', text: 'roland spd' }, rows(1, [brand, family]), { type: 'move', to: 'last' }]);
    expect(s.predictions[s.activeIndex]).toBe(family);
    s = run([rows(2, [family, brand])], s);
    expect(s.activeIndex).toBe(0);
    // The family's lead variant offered as a product is another row.
    s = run([prediction(3, family.familyId)], s);
    expect(s.activeIndex).toBe(-1);
  });

  it("keeps the server's not-found verdict with the rows it came with, and none for an empty box", () => {
    const verdict: NotFound = { uncarriedBrand: 'Yamaha', closestBrands: ['Mackie'] };
    let s = run([{ type: 'typed', text: 'yamaha' }, rows(1, [], verdict)]);
    expect(s.notFound).toEqual(verdict);
    s = run([{ type: 'typed', text: 'roland' }, rows(2, [brand])], s);
    expect(s.notFound).toBeUndefined();
    s = run([{ type: 'typed', text: '' }, rows(3, [], verdict)], s);
    expect(s.notFound).toBeUndefined();
  });

  it('opens the variant picker on a family, closing the list, and moves through variants with wrap-around', () => {
    let s = run([
      { type: 'typed', text: 'spd-30' },
      rows(1, [family]),
      { type: 'move', to: 'next' },
      { type: 'variants', family },
    ]);
    expect(s.listOpen).toBe(false);
    expect(s.variants).toEqual({ family, activeIndex: 0 });
    s = run([{ type: 'variant-move', to: 'next' }], s);
    expect(s.variants?.activeIndex).toBe(1);
    s = run(
      [
        { type: 'variant-move', to: 'last' },
        { type: 'variant-move', to: 'next' },
      ],
      s,
    );
    expect(s.variants?.activeIndex).toBe(0);
    s = run([{ type: 'variant-move', to: 'previous' }], s);
    expect(s.variants?.activeIndex).toBe(2);
    s = run([{ type: 'variant-move', to: 'first' }], s);
    expect(s.variants?.activeIndex).toBe(0);
  });

  it('picking a variant selects its own id, names it in the box and closes the picker', () => {
    const black = variantProduct(family, family.variants[1]!);
    const s = run([
      { type: 'typed', text: 'spd-30' },
      rows(1, [family]),
      { type: 'variants', family },
      { type: 'variant-move', to: 'next' },
      { type: 'picked', product: black },
    ]);
    expect(s.variants).toBeUndefined();
    expect(s.product).toEqual({ productId: 'roland_87-spd30bk', brand: 'Roland', name: 'Roland SPD-30 (Black)' });
    expect(s.selecting).toBe('roland_87-spd30bk');
    expect(s.query).toBe('Roland SPD-30 (Black)');
    expect(activeThread(s)?.product.productId).toBe('roland_87-spd30bk');
  });

  it('closes the picker on Escape, or when the customer types another text', () => {
    const open = run([{ type: 'typed', text: 'spd-30' }, rows(1, [family]), { type: 'variants', family }]);
    expect(run([{ type: 'variants-closed' }], open).variants).toBeUndefined();
    expect(run([{ type: 'typed', text: 'spd-3' }], open).variants).toBeUndefined();
    // A move with no picker open changes nothing.
    const closed = run([{ type: 'variants-closed' }], open);
    expect(run([{ type: 'variant-move', to: 'next' }], closed)).toBe(closed);
  });
});

describe('the conversation', () => {
  it('appends streamed chunks in order and records citations', () => {
    const s = run([
      { type: 'asked', askId: 'q1', productId: td17.productId, question: 'How do I reset it?' },
      frame({ type: 'answer_chunk', id: 'q1', text: 'Hold ' }),
      frame({ type: 'answer_chunk', id: 'q1', text: 'EXIT.' }),
      frame({ type: 'answer_done', id: 'q1', citations: [{ page: 12, snippet: 'Factory reset' }] }),
    ]);
    expect(activeMessages(s).map((m) => m.kind)).toEqual(['question', 'answer']);
    expect(answers(s)[0]).toMatchObject({
      text: 'Hold EXIT.',
      status: 'done',
      citations: [{ page: 12 }],
      productId: td17.productId,
    });
    expect(s.announcement).toBe('Answer: Hold EXIT.'); // screen readers hear the answer itself
  });

  it('streams interleaved answers into the right messages', () => {
    const s = run([
      { type: 'asked', askId: 'q1', productId: 'p', question: 'one' },
      { type: 'asked', askId: 'q2', productId: 'p', question: 'two' },
      frame({ type: 'answer_chunk', id: 'q2', text: 'B' }),
      frame({ type: 'answer_chunk', id: 'q1', text: 'A' }),
    ]);
    expect(answers(s).map((a) => a.text)).toEqual(['A', 'B']);
  });

  it('shows an error on the question it is about', () => {
    const s = run([
      { type: 'asked', askId: 'q1', productId: 'p', question: 'one' },
      frame({ type: 'error', code: 'unavailable', message: 'answers are down', ref: 'q1' }),
    ]);
    expect(answers(s)[0]).toMatchObject({
      status: 'failed',
      error: { code: 'unavailable', message: 'answers are down' },
    });
    expect(s.notice).toBeUndefined();
  });

  it('restarts a half-streamed answer when the connection drops (the client asks again)', () => {
    const open: Action = { type: 'connection', info: { state: 'open', attempt: 0 } };
    const s = run([
      open,
      { type: 'asked', askId: 'q1', productId: 'p', question: 'one' },
      frame({ type: 'answer_chunk', id: 'q1', text: 'half' }),
      { type: 'connection', info: { state: 'reconnecting', attempt: 1, retryInMs: 300 } },
    ]);
    expect(answers(s)[0]).toMatchObject({ text: '', status: 'waiting' });
    expect(s.connection).toEqual({ state: 'reconnecting', attempt: 1, retryInMs: 300 });
  });

  it("counts an answer's wait from when its question is sent, not while it is queued offline", () => {
    const offline: Action = { type: 'connection', info: { state: 'offline', attempt: 0 }, at: 1_000 };
    const queued = run([offline, { type: 'asked', askId: 'q1', productId: 'p', question: 'one', at: 2_000 }]);
    expect(answers(queued)[0]!.sentAt).toBeUndefined();
    // Back online 60 s later: the client sends it now, so the wait starts now.
    const sent = reduce(queued, { type: 'connection', info: { state: 'open', attempt: 0 }, at: 62_000 });
    expect(answers(sent)[0]!.sentAt).toBe(62_000);
    // Asked while connected: sent at once.
    const direct = reduce(sent, { type: 'asked', askId: 'q2', productId: 'p', question: 'two', at: 63_000 });
    expect(answers(direct)[1]!.sentAt).toBe(63_000);
    // The socket drops: neither is with a server any more.
    const dropped = reduce(direct, { type: 'connection', info: { state: 'reconnecting', attempt: 1 }, at: 64_000 });
    expect(answers(dropped).map((a) => a.sentAt)).toEqual([undefined, undefined]);
  });

  it('keeps an answer streaming while the server drains, and restarts it only when the socket is gone', () => {
    const start: Action[] = [
      { type: 'connection', info: { state: 'open', attempt: 0 } },
      { type: 'asked', askId: 'q1', productId: 'p', question: 'one' },
      frame({ type: 'answer_chunk', id: 'q1', text: 'half' }),
      { type: 'connection', info: { state: 'switching', attempt: 0 } },
    ];
    const switching = run(start);
    expect(answers(switching)[0]).toMatchObject({ text: 'half', status: 'streaming' });
    const cut = run([...start, { type: 'connection', info: { state: 'reconnecting', attempt: 0 } }]);
    expect(answers(cut)[0]).toMatchObject({ text: '', status: 'waiting' });
  });

  it("places a manual's retry on this browser's clock when the frame arrives", () => {
    const retrying = {
      type: 'manual',
      productId: 'p',
      status: 'queued',
      progress: 0,
      error: 'retrying: down',
      retryInMs: 30_000,
    } as const;
    const s = reduce(initialState(), { type: 'frame', frame: retrying, at: 1_000_000 });
    expect(s.manual).toMatchObject({ status: 'queued', retryAt: 1_030_000 });
    const next = reduce(s, {
      type: 'frame',
      frame: { type: 'manual', productId: 'p', status: 'fetching', progress: 0 },
      at: 1_031_000,
    });
    expect(next.manual?.retryAt).toBeUndefined();
  });

  it('keeps what a v5 answer_done says of the answer: sureness, context, parts, a contact', () => {
    const parts = [
      { question: 'How do I save it?', confidence: 'confident' as const, citations: [{ page: 4, snippet: 'WRITE' }] },
      { question: 'How do I chain it?', confidence: 'not_in_manual' as const, citations: [] },
    ];
    const s = run([
      { type: 'picked', product: td17 },
      { type: 'asked', askId: 'q1', productId: td17.productId, question: 'save it and chain it?' },
      frame({
        type: 'answer_done',
        id: 'q1',
        citations: [{ page: 4, snippet: 'WRITE' }],
        confidence: 'closest',
        context: { id: 'q0', question: 'how do I make a pattern?' },
        parts,
        support: { url: 'https://support.example/td17' },
      }),
    ]);
    expect(answers(s)[0]).toMatchObject({
      status: 'done',
      confidence: 'closest',
      context: { id: 'q0', question: 'how do I make a pattern?' },
      parts,
      support: { url: 'https://support.example/td17' },
    });
    // From a v4 server, none of it.
    const v4 = run([
      { type: 'picked', product: td17 },
      { type: 'asked', askId: 'q1', productId: td17.productId, question: 'x' },
      frame({ type: 'answer_done', id: 'q1', citations: [] }),
    ]);
    expect(Object.keys(answers(v4)[0]!)).not.toContain('confidence');
  });

  it('ignores chunks for questions it never asked', () => {
    const s0 = run([{ type: 'asked', askId: 'q1', productId: 'p', question: 'one' }]);
    expect(reduce(s0, frame({ type: 'answer_chunk', id: 'nope', text: 'x' }))).toBe(s0);
  });
});

describe('errors and resume', () => {
  it('puts an error after a pick on the product card, and any other on the search box', () => {
    let s = run([
      { type: 'picked', product: td17 },
      frame({ type: 'error', code: 'not_found', message: 'no product' }),
    ]);
    expect(s.notice).toEqual({ where: 'product', code: 'not_found', message: 'no product' });
    s = run([frame({ type: 'manual', productId: td17.productId, status: 'queued', progress: 0 })], s);
    expect(s.notice).toBeUndefined();
    s = run([frame({ type: 'error', code: 'rate_limited', message: 'slow down' })], s);
    expect(s.notice?.where).toBe('search');
    s = run([{ type: 'typed', text: 'x' }], s);
    expect(s.notice).toBeUndefined();
  });

  it('restores the product and manual status from a resumed hello', () => {
    const manual = { productId: td17.productId, status: 'ready' as const, progress: 1, pages: 40 };
    const known = run(
      [frame({ type: 'hello', sessionId: 's', protocol: 1, resumed: true, productId: td17.productId, manual })],
      initialState(td17),
    );
    expect(known.product).toEqual(td17);
    expect(known.manual).toEqual(manual);
    const unknown = run([frame({ type: 'hello', sessionId: 's', protocol: 1, resumed: true, productId: 'other' })]);
    expect(unknown.product).toEqual({ productId: 'other', brand: '', name: 'other' });
    const cleared = run([frame({ type: 'hello', sessionId: 's', protocol: 1, resumed: true })], initialState(td17));
    expect(cleared.product).toBeUndefined();
  });

  it('handles 10,000 messages with a chunk touching only the last answer', () => {
    let s = initialState();
    for (let i = 0; i < 5_000; i++)
      s = reduce(s, { type: 'asked', askId: `q${i}`, productId: 'p', question: `question ${i}` });
    const before = activeMessages(s);
    s = reduce(s, frame({ type: 'answer_chunk', id: 'q4999', text: 'last' }));
    expect(activeMessages(s)).toHaveLength(10_000);
    expect(activeMessages(s)[9_999]).toMatchObject({ text: 'last', status: 'streaming' });
    expect(activeMessages(s)[9_997]).toBe(before[9_997]); // untouched items keep identity, so memoized rows skip re-render
  });
});

describe('conversations per product', () => {
  const mpc = { productId: 'akai-mpc', brand: 'Akai Professional', name: 'MPC Live II' };
  const ask = (askId: string, productId: string): Action => ({ type: 'asked', askId, productId, question: askId });

  it('gives each product its own thread and returns to it on a later pick', () => {
    let s = run([{ type: 'picked', product: td17 }, ask('q1', td17.productId)]);
    const td17Thread = s.threadId;
    s = run([{ type: 'picked', product: mpc }], s);
    expect(activeMessages(s)).toEqual([]); // the TR-8S answer does not sit under the MPC
    s = run([ask('q2', mpc.productId), { type: 'picked', product: td17 }], s);
    expect(s.threadId).toBe(td17Thread);
    expect(activeMessages(s).map((m) => m.askId)).toEqual(['q1', 'q1']);
  });

  it('starts a new conversation for the same product and can go back to the earlier one', () => {
    let s = run([{ type: 'picked', product: td17 }, ask('q1', td17.productId), { type: 'new-conversation' }]);
    expect(activeMessages(s)).toEqual([]);
    expect(s.threads).toHaveLength(2);
    expect(run([{ type: 'new-conversation' }], s)).toBe(s); // an empty one is not duplicated
    s = run([{ type: 'open-thread', threadId: s.threads[0]!.id }], s);
    expect(activeMessages(s).map((m) => m.askId)).toEqual(['q1', 'q1']);
  });

  it('rebuilds threads from the server history after a reload, without duplicating known turns', () => {
    const turn = (id: string, thread: string, productId: string, name: string) => ({
      id,
      thread,
      productId,
      brand: 'Roland',
      name,
      question: `question ${id}`,
      answer: `answer ${id}`,
      citations: [{ page: 5, snippet: 'x' }],
      outcome: 'ok' as const,
    });
    const history = frame({
      type: 'history',
      turns: [
        turn('a', 'x-t1', td17.productId, 'TD-17'),
        turn('b', 'x-t2', 'other', 'Other'),
        turn('c', 'x-t1', td17.productId, 'TD-17'),
      ],
    });
    let s = run(
      [frame({ type: 'hello', sessionId: 's', protocol: 1, resumed: true, productId: td17.productId }), history],
      initialState(td17, 'y-'),
    );
    expect(s.threadId).toBe('x-t1');
    expect(activeMessages(s).map((m) => m.key)).toEqual(['q:a', 'a:a', 'q:c', 'a:c']);
    expect(s.threads.map((t) => t.product.name)).toEqual(['TD-17', 'Other']);
    s = run([history], s);
    expect(activeMessages(s)).toHaveLength(4);
  });

  it('knows when the predictions shown are for an older text', () => {
    let s = run([
      { type: 'typed', text: 'td1' },
      { type: 'frame', frame: { type: 'prediction', seq: 1, items: [] }, predictionText: 'td1' },
    ]);
    expect(predictionsCurrent(s)).toBe(true);
    s = run([{ type: 'typed', text: 'td17' }], s);
    expect(predictionsCurrent(s)).toBe(false);
  });

  it('marks an answer stopped when the server confirms the cancel, and keeps a vote', () => {
    const s = run([
      ask('q1', 'p'),
      frame({ type: 'answer_chunk', id: 'q1', text: 'half' }),
      frame({ type: 'error', code: 'cancelled', message: 'stopped at your request', ref: 'q1' }),
      { type: 'voted', askId: 'q1', vote: 'down' },
    ]);
    expect(answers(s)[0]).toMatchObject({ status: 'stopped', text: 'half', vote: 'down' });
  });
});

describe("a conversation shared by the browser's tabs", () => {
  const turn = (answer: string) => ({
    id: 'other-1',
    thread: 'other-t1',
    productId: td17.productId,
    brand: td17.brand,
    name: td17.name,
    question: 'how do I reset it?',
    answer,
    citations: answer ? [{ page: 3, snippet: 'Hold ENTER' }] : [],
    outcome: 'ok' as const,
  });

  it("shows a question asked in another tab, then its answer, in that tab's thread", () => {
    let s = run([{ type: 'picked', product: td17 }]);
    s = run([frame({ type: 'turn', phase: 'asked', turn: turn('') })], s);
    const thread = s.threads.find((t) => t.id === 'other-t1');
    expect(thread?.product).toEqual(td17);
    expect(thread?.messages.map((m) => m.kind)).toEqual(['question', 'answer']);
    expect(thread?.messages[1]).toMatchObject({ kind: 'answer', status: 'waiting', text: '' });

    s = run([frame({ type: 'turn', phase: 'done', turn: turn('Hold ENTER while powering on.') })], s);
    const done = s.threads.find((t) => t.id === 'other-t1')!.messages;
    expect(done).toHaveLength(2);
    expect(done[1]).toMatchObject({
      status: 'done',
      text: 'Hold ENTER while powering on.',
      citations: [{ page: 3, snippet: 'Hold ENTER' }],
    });
  });

  it('takes a finished turn it never saw asked, once', () => {
    const done = frame({ type: 'turn', phase: 'done', turn: turn('Hold ENTER.') });
    const s = run([done, done]);
    expect(s.threads.flatMap((t) => t.messages).map((m) => m.kind)).toEqual(['question', 'answer']);
  });

  it('says plainly when the server no longer has the session, and keeps what the page shows', () => {
    let s = run([
      { type: 'picked', product: td17 },
      { type: 'asked', askId: 'q1', productId: td17.productId, question: 'how do I reset it?' },
      frame({ type: 'answer_done', id: 'q1', citations: [] }),
    ]);
    s = run([{ type: 'session-lost', reason: 'expired' }], s);
    expect(s.sessionLost).toMatchObject({ kept: true });
    expect(s.sessionLost?.message).toMatch(/couldn't bring back your earlier conversation.*stays on this page/);
    expect(activeMessages(s)).toHaveLength(2);
    // Still said after the customer picks a product again; gone once dismissed.
    expect(run([{ type: 'picked', product: td17 }], s).sessionLost).toBeDefined();
    expect(run([{ type: 'dismiss-session-lost' }], s).sessionLost).toBeUndefined();
    const picked = run([{ type: 'picked', product: td17 }]);
    const erased = run([{ type: 'session-lost', reason: 'erased' }], picked).sessionLost;
    expect(erased).toMatchObject({ kept: false });
    expect(erased?.message).toMatch(/erased, as requested/);
    // A session that only ever typed held nothing (it was never stored): no alarm.
    expect(run([{ type: 'session-lost', reason: 'expired' }]).sessionLost).toBeUndefined();
  });
});
