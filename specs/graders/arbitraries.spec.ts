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
});
