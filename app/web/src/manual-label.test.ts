import { describe, expect, it } from 'vitest';
import { manualLabel } from './manual-label.ts';

const productId = 'roland_87-tr8s';

describe('manual label', () => {
  it('shows downloaded bytes while fetching, with the total when the server knows it', () => {
    expect(
      manualLabel({ productId, status: 'fetching', progress: 0.2, bytes: 1_200_000, totalBytes: 3_400_000 }),
    ).toEqual({
      label: 'Downloading the manual… 1.1 MB of 3.2 MB',
      value: 0.2,
    });
    expect(manualLabel({ productId, status: 'fetching', progress: 0.3, bytes: 9040 }).label).toBe(
      'Downloading the manual… 9 KB',
    );
  });

  it('does not show a stuck 0% before the first byte, and falls back to a percentage without bytes', () => {
    expect(manualLabel({ productId, status: 'fetching', progress: 0 })).toEqual({
      label: 'Downloading the manual…',
      value: undefined,
    });
    expect(manualLabel({ productId, status: 'fetching', progress: 0.25 }).label).toBe('Downloading the manual… 25%');
  });

  it('counts pages only as the server reports them (progress spans the whole journey)', () => {
    expect(manualLabel({ productId, status: 'indexing', progress: 0.75, pages: 7 })).toEqual({
      label: 'Reading the manual… 7 pages',
      value: 0.75,
    });
    expect(manualLabel({ productId, status: 'indexing', progress: 0.5, bytes: 9040 }).label).toBe(
      'Reading the manual…',
    );
    expect(manualLabel({ productId, status: 'ready', progress: 1, pages: 7 })).toEqual({
      label: 'Manual ready · 7 pages',
      value: 1,
    });
  });

  it('says why there is no manual when the server says so', () => {
    expect(
      manualLabel({ productId, status: 'none', progress: 0, error: 'no manual is available for this product' }).label,
    ).toBe('No manual is available for this product.');
    expect(manualLabel({ productId, status: 'none', progress: 0 }).label).toBe('Manual not requested yet');
    expect(manualLabel(undefined)).toEqual({ label: 'Checking for the manual…', value: undefined });
  });

  it('says why a manual waits its turn (v5 `queuedReason: fair_share`)', () => {
    const now = new Date(2026, 0, 1, 9, 0, 0).getTime();
    const held = { productId, status: 'queued' as const, progress: 0 };
    expect(manualLabel({ ...held, queuedReason: 'fair_share', retryAt: now + 41_500 }, now).label).toBe(
      'Manual waiting its turn: your other manuals are prepared first…',
    );
    // A queued manual without a reason is simply in the line.
    expect(manualLabel(held, now).label).toBe('Manual queued…');
  });

  it('says when a failed attempt is retried, and never promises a retry once the app has given up', () => {
    const now = new Date(2026, 0, 1, 9, 0, 0).getTime();
    const retrying = {
      productId,
      status: 'queued' as const,
      progress: 0,
      error: "retrying: the manual's server is failing or busy (HTTP 503)",
    };
    expect(manualLabel({ ...retrying, retryAt: now + 29_200 }, now).label).toBe(
      "Last attempt failed: the manual's server is failing or busy (HTTP 503). Retrying in 30 s.",
    );
    expect(manualLabel({ ...retrying, retryAt: now + 5 * 60_000 }, now).label).toMatch(/\. Retrying at 09:05\.$/);
    expect(manualLabel({ ...retrying, retryAt: now - 10 }, now).label).toMatch(/\. Trying again now…$/);
    // A v3 server sends no retry time.
    expect(manualLabel(retrying, now).label).toMatch(/\. Trying again automatically…$/);
    const failed = manualLabel({
      productId,
      status: 'failed',
      progress: 0,
      error: "the manual's server could not be reached",
    });
    expect(failed.label).toBe('Could not get the manual; the app stopped trying');
    expect(failed.label).not.toMatch(/retry/i);
  });
});
