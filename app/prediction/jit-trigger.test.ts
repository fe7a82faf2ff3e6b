import { describe, expect, it } from 'vitest';
import type { PredictionItem } from '../protocol.js';
import { loadBundledCatalog } from '../../bench/queries/catalog.js';
import { createPredictor } from './index.js';
import { JustInTimeTrigger } from './jit-trigger.js';

const item = (productId: string, confidence: number): PredictionItem => ({
  productId,
  brand: 'B',
  name: productId,
  confidence,
});

describe('the just-in-time trigger', () => {
  it('waits for the same product to lead confidently for its confirmations, then fires once', () => {
    const trigger = new JustInTimeTrigger(0.9, 3);
    expect(trigger.keystroke([item('a', 0.95)])).toBeUndefined();
    expect(trigger.keystroke([item('a', 0.97)])).toBeUndefined();
    expect(trigger.keystroke([item('a', 0.99)])).toBe('a');
    expect(trigger.keystroke([item('a', 0.99)])).toBeUndefined();
    expect(trigger.pending).toBe(false);
  });

  it('starts counting again when the leader changes or drops under the threshold', () => {
    const trigger = new JustInTimeTrigger(0.9, 2);
    trigger.keystroke([item('a', 0.95)]);
    expect(trigger.keystroke([item('b', 0.95)])).toBeUndefined();
    expect(trigger.keystroke([item('b', 0.5)])).toBeUndefined();
    expect(trigger.keystroke([item('b', 0.95)])).toBeUndefined();
    expect(trigger.keystroke([item('b', 0.95)])).toBe('b');
    expect(trigger.keystroke([])).toBeUndefined();
  });

  it('fires the confident leader when the customer pauses, and nothing when none leads', () => {
    const trigger = new JustInTimeTrigger(0.9, 4);
    trigger.keystroke([item('a', 0.95)]);
    expect(trigger.pending).toBe(true);
    expect(trigger.pause()).toBe('a');
    expect(trigger.pause()).toBeUndefined();
    trigger.keystroke([item('b', 0.3)]);
    expect(trigger.pending).toBe(false);
    expect(trigger.pause()).toBeUndefined();
  });

  it('does not fetch the TR-808 manual on the way to the TR-8S, as crossing the threshold once did', () => {
    const predictor = createPredictor(loadBundledCatalog());
    // At the old default threshold (0.75): the confirmations alone keep the passing TR-808 out.
    const trigger = new JustInTimeTrigger(0.75);
    const text = 'roland tr-8s';
    const crossedFirst: string[] = [];
    const fired: string[] = [];
    for (let typed = 1; typed <= text.length; typed++) {
      const items = predictor.predict(text.slice(0, typed));
      if (items[0] && items[0].confidence >= 0.75 && crossedFirst.length === 0) crossedFirst.push(items[0].name);
      const now = trigger.keystroke(items);
      if (now) fired.push(now);
    }
    const paused = trigger.pause();
    if (paused) fired.push(paused);
    expect(crossedFirst).toEqual(['TR-808']);
    expect(fired).toEqual(['roland_87-tr8s']);
  });
});
