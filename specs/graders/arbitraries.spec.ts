import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { direction, eighths, imageOf, matrix, real, signed, vector, vectorPair } from '../../graders/engine/arbitraries.ts';
import { isImage } from '../../graders/engine/shapes.ts';

describe('arbitraries', () => {
  it('real: should only produce finite numbers in range, away from the given kinks', () =>
    fc.assert(fc.property(real({ min: -5, max: 5, avoid: [0, 1], gap: 1e-3 }), (x) => {
      expect(Number.isFinite(x) && x >= -5 && x <= 5).toBe(true);
      expect(Math.abs(x) >= 1e-3 && Math.abs(x - 1) >= 1e-3).toBe(true);
    })));
  it('vector / vectorPair / matrix: should only produce the requested shapes', () =>
    fc.assert(fc.property(vector({ min: -1, max: 1, minLength: 2, maxLength: 4 }), vectorPair({ min: 0, max: 1 }, { min: 2, max: 3 }), matrix({ rows: 2, cols: 3, min: 0, max: 1 }), (v, [a, b], m) => {
      expect(v.length >= 2 && v.length <= 4).toBe(true);
      expect(a.length).toBe(b.length);
      expect(b.every((x) => x >= 2 && x <= 3)).toBe(true);
      expect(m.length === 2 && m.every((r) => r.length === 3)).toBe(true);
    })));
  it('direction: should only produce oblique directions (no zero entry, no axis)', () =>
    fc.assert(fc.property(direction(4), (v) => {
      expect(v.length).toBe(4);
      expect(v.every((x) => Math.abs(x) >= 0.1 && Math.abs(x) <= 0.9)).toBe(true);
    })));
  it('imageOf / signed / eighths: exact shapes, magnitudes kept off 0, multiples of 1/8 in range', () =>
    fc.assert(fc.property(imageOf(2, 3, 1, signed(0.5, 2)), eighths(3, { nonzero: true }), eighths(1), (x, e, z) => {
      expect(isImage(x, 2, 3, 1)).toBe(true);
      expect(isImage(x, 2, 1, 3)).toBe(false);
      expect(x.flat(2).every((v) => Math.abs(v) >= 0.5 && Math.abs(v) <= 2)).toBe(true);
      expect(Number.isInteger(8 * e) && e !== 0 && Math.abs(e) <= 3).toBe(true);
      expect(Number.isInteger(8 * z) && Math.abs(z) <= 1).toBe(true);
    })));

  describe('the spread of what they draw (10 000 draws each, a fixed seed)', () => {
    const draws = (a: fc.Arbitrary<number>) => fc.sample(a, { numRuns: 10_000, seed: 2026 });
    /** The share of `xs` in each of `n` equal bins of [lo, hi]. */
    const bins = (xs: number[], lo: number, hi: number, n = 8) => {
      const count = new Array<number>(n).fill(0);
      for (const x of xs) count[Math.min(n - 1, Math.floor(((x - lo) / (hi - lo)) * n))]++;
      return count.map((c) => c / xs.length);
    };
    // an even spread puts 1/8 in each bin: every bin must hold at least a third of that
    const EVEN = 1 / 8 / 3;

    it.each([[-2, 2], [-30, 30], [-1000, 1000], [0.1, 5], [-5, -1], [1e-3, 1e3]])('real over [%d, %d]: every eighth of the range drawn, the ends and whole numbers too, tiny values a small share', (min, max) => {
      const xs = draws(real({ min, max }));
      expect(xs.every((x) => Number.isFinite(x) && x >= min && x <= max)).toBe(true);
      for (const [i, share] of bins(xs, min, max).entries()) expect(share, `bin ${i} of [${min}, ${max}]`).toBeGreaterThanOrEqual(EVEN);
      expect(xs).toContain(min);
      expect(xs).toContain(max);
      if (Math.ceil(min) <= Math.floor(max)) expect(xs.filter((x) => Number.isInteger(x)).length / xs.length).toBeGreaterThan(0.1);
      expect(xs.filter((x) => !Number.isInteger(8 * x)).length / xs.length).toBeGreaterThan(0.4); // most are off the 1/8 grid
      const tiny = xs.filter((x) => x !== 0 && Math.abs(x) < 1e-100).length / xs.length;
      if (min <= 0 && max >= 0) expect(tiny).toBeGreaterThan(0.005); // subnormals and the like still come up …
      expect(tiny).toBeLessThan(0.1); // … but no longer as two draws in three (fast-check's doubles alone)
    });

    it('signed, eighths and direction: every eighth of their magnitudes drawn', () => {
      const magnitudes = draws(signed(0.5, 2)).map(Math.abs);
      for (const share of bins(magnitudes, 0.5, 2)) expect(share).toBeGreaterThanOrEqual(EVEN);
      for (const share of bins(draws(eighths(3)), -3, 3)) expect(share).toBeGreaterThanOrEqual(EVEN);
      for (const share of bins(draws(direction(1).map(([v]) => Math.abs(v))), 0.1, 0.9)) expect(share).toBeGreaterThanOrEqual(EVEN);
    });
  });
});
