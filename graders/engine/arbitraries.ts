/**
 * Input generators for checks, named after what they produce (style.md §12). Each takes a
 * constraints object and has its own spec (specs/graders/arbitraries.spec.ts).
 */
import fc from 'fast-check';

export interface RealConstraints {
  min: number;
  max: number;
  /** keep at least this far from each of `avoid` (kinks: finite differences straddle them) */
  avoid?: number[];
  gap?: number;
}

/** A finite float64 in [min, max] (−0 and subnormals included), optionally away from kinks. */
export function real({ min, max, avoid = [], gap = 1e-3 }: RealConstraints): fc.Arbitrary<number> {
  const base = fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
  return avoid.length === 0 ? base : base.filter((x) => avoid.every((k) => Math.abs(x - k) >= gap));
}

export interface VectorConstraints extends RealConstraints {
  minLength?: number;
  maxLength?: number;
}

/** A non-empty number[] of finite entries. */
export function vector({ minLength = 1, maxLength = 8, ...entries }: VectorConstraints): fc.Arbitrary<number[]> {
  return fc.array(real(entries), { minLength, maxLength });
}

/** Two vectors of the same length. */
export function vectorPair(a: VectorConstraints, b: RealConstraints): fc.Arbitrary<[number[], number[]]> {
  return vector(a).chain((x) => fc.tuple(fc.constant(x), fc.array(real(b), { minLength: x.length, maxLength: x.length })));
}

export interface MatrixConstraints extends RealConstraints {
  rows: number;
  cols: number;
}

/** A rows × cols number[][] of finite entries. */
export function matrix({ rows, cols, ...entries }: MatrixConstraints): fc.Arbitrary<number[][]> {
  return fc.array(fc.array(real(entries), { minLength: cols, maxLength: cols }), { minLength: rows, maxLength: rows });
}

/**
 * A direction for directional (random-projection) checks: every entry nonzero, of size in
 * [0.1, 0.9], with a random sign. Never a coordinate axis: along e_i a directional check
 * degenerates into one partial derivative (fast-check's plain doubles favour 0 and ±1).
 */
export function direction(length: number): fc.Arbitrary<number[]> {
  const entry = fc.tuple(fc.boolean(), fc.double({ min: 0.1, max: 0.9, noNaN: true })).map(([neg, m]) => (neg ? -m : m));
  return fc.array(entry, { minLength: length, maxLength: length });
}
