import { describe, expect, it } from 'vitest';
import { parseServerFrame } from './server-frames.ts';

describe('server frames', () => {
  it('keeps the fetch progress a manual frame carries', () => {
    const frame = {
      type: 'manual',
      productId: 'roland_87-tr8s',
      status: 'fetching',
      progress: 0.5,
      bytes: 9040,
      totalBytes: 9040,
    };
    expect(parseServerFrame(JSON.stringify(frame))).toEqual(frame);
  });

  it('ignores a manual frame whose sizes are not numbers, rather than showing garbage', () => {
    const frame = { type: 'manual', productId: 'p', status: 'fetching', progress: 0.1, bytes: '9 KB' };
    expect(parseServerFrame(JSON.stringify(frame))).toBeUndefined();
    expect(parseServerFrame(JSON.stringify({ ...frame, bytes: 1, pages: 'many' }))).toBeUndefined();
  });
});
