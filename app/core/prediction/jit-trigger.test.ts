import { describe, expect, it } from 'vitest';
import type { PredictionItem } from '../../shared/protocol.js';
import { loadBundledCatalog } from '../../../bench/queries/catalog.js';
import { createPredictor } from './index.js';
import { JustInTimeTrigger } from './jit-trigger.js';

const item = (productId: string, confidence: number): PredictionItem => ({
  productId,
  brand: 'B',
  name: productId,
  confidence,
});

/** A trigger whose fires are recorded; `pauseMs` long enough that no test here reaches it by accident. */
function recorded(confirmations: number, pauseMs = 60_000) {
  const fired: string[] = [];
  const trigger = new JustInTimeTrigger(0.9, { fire: (id) => fired.push(id), confirmations, pauseMs });
  return { trigger, fired };
}

const later = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the just-in-time trigger', () => {
  it('waits for the same product to lead confidently for its confirmations, then fires once', () => {
    const { trigger, fired } = recorded(3);
    trigger.keystroke([item('a', 0.95)]);
    trigger.keystroke([item('a', 0.97)]);
    expect(fired).toEqual([]);
    trigger.keystroke([item('a', 0.99)]);
    expect(fired).toEqual(['a']);
    trigger.keystroke([item('a', 0.99)]);
    expect(fired).toEqual(['a']);
    expect(trigger.pending).toBe(false);
    trigger.stop();
  });

  it('starts counting again when the leader changes or drops under the threshold', () => {
    const { trigger, fired } = recorded(2);
    trigger.keystroke([item('a', 0.95)]);
    trigger.keystroke([item('b', 0.95)]);
    trigger.keystroke([item('b', 0.5)]);
    trigger.keystroke([item('b', 0.95)]);
    expect(fired).toEqual([]);
    trigger.keystroke([item('b', 0.95)]);
    expect(fired).toEqual(['b']);
    trigger.keystroke([]);
    expect(fired).toEqual(['b']);
    trigger.stop();
  });

  it('fires the confident leader when the customer pauses, and nothing when none leads', () => {
    const { trigger, fired } = recorded(4);
    trigger.keystroke([item('a', 0.95)]);
    expect(trigger.pending).toBe(true);
    trigger.pause();
    trigger.pause();
    expect(fired).toEqual(['a']);
    trigger.keystroke([item('b', 0.3)]);
    expect(trigger.pending).toBe(false);
    trigger.pause();
    expect(fired).toEqual(['a']);
  });

  it('times the pause itself: a leader fires once typing stops, and not while keystrokes keep coming', async () => {
    const pauseMs = 200;
    const fired: string[] = [];
    let firedAt: (at: number) => void = () => undefined;
    const fire = new Promise<number>((resolve) => {
      firedAt = resolve;
    });
    const trigger = new JustInTimeTrigger(0.9, {
      fire: (id) => {
        fired.push(id);
        firedAt(performance.now());
      },
      confirmations: 100,
      pauseMs,
    });
    // Keystrokes a quarter of the pause apart, for three pauses' worth: each starts the pause again. A
    // keystroke's timer falls due before the pause it refreshes, so a busy machine still runs it first.
    for (let i = 0; i < 12; i++) {
      trigger.keystroke([item('a', 0.95)]);
      await later(pauseMs / 4);
      expect(fired).toEqual([]);
    }
    trigger.keystroke([item('a', 0.95)]);
    const stoppedAt = performance.now();
    // After the pause, not at once (half the pause: the timer's start may be read a little early).
    expect((await fire) - stoppedAt).toBeGreaterThan(pauseMs / 2);
    expect(fired).toEqual(['a']);
    trigger.stop();
  });

  it('fires nothing after stop(), and no pause for a leader that dropped out', async () => {
    const pauseMs = 50;
    const stopped = recorded(100, pauseMs);
    stopped.trigger.keystroke([item('a', 0.95)]);
    stopped.trigger.stop();
    const dropped = recorded(100, pauseMs);
    dropped.trigger.keystroke([item('a', 0.95)]);
    dropped.trigger.keystroke([item('a', 0.2)]);
    // The control: a trigger left alone fires on its pause, while the waiting below is still going on.
    const control = recorded(100, pauseMs);
    control.trigger.keystroke([item('c', 0.95)]);
    await later(pauseMs * 3);
    expect(control.fired).toEqual(['c']);
    expect(stopped.fired).toEqual([]);
    expect(dropped.fired).toEqual([]);
  });

  it('does not fetch the TR-808 manual on the way to the TR-8S, as crossing the threshold once did', () => {
    const predictor = createPredictor(loadBundledCatalog());
    // At the old default threshold (0.75): the confirmations alone keep the passing TR-808 out.
    const fired: string[] = [];
    const trigger = new JustInTimeTrigger(0.75, { fire: (id) => fired.push(id) });
    const text = 'roland tr-8s';
    const crossedFirst: string[] = [];
    for (let typed = 1; typed <= text.length; typed++) {
      const items = predictor.predict(text.slice(0, typed));
      if (items[0] && items[0].confidence >= 0.75 && crossedFirst.length === 0) crossedFirst.push(items[0].name);
      trigger.keystroke(items);
    }
    trigger.pause();
    expect(crossedFirst).toEqual(['TR-808']);
    expect(fired).toEqual(['roland_87-tr8s']);
  });
});
