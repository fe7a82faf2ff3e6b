/** What a screen reader hears about brand and family rows (issue #25), once typing pauses. */
import { describe, expect, it } from 'vitest';
import { predictionSummary } from './components/PredictionStatus.tsx';
import type { FamilyRow, NotFound, Prediction } from './server-frames.ts';
import { initialState, reduce, type UiState } from './state.ts';

const open: UiState = { ...initialState(), connection: { state: 'open', attempt: 0 } };
const summaryOf = (text: string, items: Prediction[], notFound?: NotFound) =>
  predictionSummary(
    [
      { type: 'typed' as const, text },
      {
        type: 'frame' as const,
        frame: { type: 'prediction' as const, seq: 1, items, ...(notFound ? { notFound } : {}) },
      },
    ].reduce(reduce, open),
  );
const family: FamilyRow = {
  kind: 'family',
  familyId: 'f',
  brand: 'Roland',
  name: 'Roland SPD-30',
  confidence: 0.99,
  hasManual: false,
  variants: [
    { productId: 'f', label: 'Standard', hasManual: false },
    { productId: 'f-bk', label: 'Black', hasManual: false },
  ],
};

describe('the prediction summary', () => {
  it('names a brand as a brand, whatever its share, and says Enter adds it', () => {
    const brands: Prediction[] = [
      { kind: 'brand', brand: 'Roland', confidence: 0.3, families: 416 },
      { kind: 'brand', brand: 'Remo', confidence: 0.2, families: 218 },
    ];
    expect(summaryOf('r', brands)).toBe('2 matches. Best match: Roland, a brand: Enter adds it.');
  });

  it('says how many variants the best family has and that Enter asks which', () => {
    expect(summaryOf('spd-30', [family])).toBe(
      '1 matching product. Best match: Roland SPD-30, 2 variants: Enter asks which.',
    );
  });

  it("reads the server's verdict: the brand it does not carry and the closest it does", () => {
    const verdict = { uncarriedBrand: 'Yamaha', closestBrands: ['Mackie'] };
    expect(summaryOf('yamaha', [], verdict)).toBe(
      "We couldn't find that model. We don't carry Yamaha. Closest brands we carry: Mackie.",
    );
    // A confident row under a verdict is still not offered as the answer.
    expect(summaryOf('yamha mg10', [family], verdict)).toMatch(/^We couldn't find that model\./);
  });
});
