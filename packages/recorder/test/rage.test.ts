import { describe, expect, it } from 'vitest';
import { rageDetector } from '../src/capture/rage';

type Click = [x: number, y: number, t: number];
const run = (clicks: Click[]) => {
  const d = rageDetector();
  return clicks.map(([x, y, t]) => d(x, y, t));
};

describe('rageDetector', () => {
  it.each<[string, Click[], boolean[]]>([
    ['3 fast clicks on one spot', [[10, 10, 0], [11, 10, 200], [12, 11, 400]], [false, false, true]],
    ['one event per burst', [[10, 10, 0], [10, 10, 100], [10, 10, 200], [10, 10, 300], [10, 10, 400]], [false, false, true, false, false]],
    ['too slow', [[10, 10, 0], [10, 10, 600], [10, 10, 1200]], [false, false, false]],
    ['too far apart', [[10, 10, 0], [60, 10, 100], [110, 10, 200]], [false, false, false]],
    ['within 30 px', [[0, 0, 0], [18, 18, 100], [20, 20, 200]], [false, false, true]],
    [
      'a new burst after a pause fires again',
      [[10, 10, 0], [10, 10, 100], [10, 10, 200], [10, 10, 3000], [10, 10, 3100], [10, 10, 3200]],
      [false, false, true, false, false, true],
    ],
  ])('%s', (_, clicks, out) => {
    expect(run(clicks)).toEqual(out);
  });
});
