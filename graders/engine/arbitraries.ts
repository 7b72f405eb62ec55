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

/** Steps of the uniform part of {@link real}: 2³⁰ values across the range. */
const STEPS = 2 ** 30;

/**
 * Evenly spread over [min, max]: k/STEPS of the way from the end nearest 0 (0 itself when the range
 * holds it) to each end, so that shrinking heads for 0, or the end nearest it.
 */
function uniform(min: number, max: number): fc.Arbitrary<number> {
  if (min <= 0 && max >= 0) return fc.integer({ min: -STEPS, max: STEPS }).map((k) => (k === 0 ? 0 : k > 0 ? (max * k) / STEPS : (-min * k) / STEPS));
  const [near, far] = Math.abs(min) <= Math.abs(max) ? [min, max] : [max, min];
  return fc.integer({ min: 0, max: STEPS }).map((k) => (k === STEPS ? far : near + ((far - near) * k) / STEPS));
}

/**
 * A finite float64 in [min, max], optionally away from kinks, covering the range evenly in
 * magnitude: uniform values (4 in 10 draws), integers and multiples of 1/8 in range (2 in 10 each:
 * exact in binary, so a shrunk counterexample reads clearly), the two ends (1 in 10), and
 * fast-check's own doubles (1 in 10), which bring −0, subnormals and tiny magnitudes. fast-check's
 * doubles alone favour tiny values (two thirds below 1e−100 over [−2, 2]), where a formula wrong
 * by a factor hides under an absolute tolerance. specs/graders/arbitraries.spec.ts measures the mix.
 */
export function real({ min, max, avoid = [], gap = 1e-3 }: RealConstraints): fc.Arbitrary<number> {
  const grid = (scale: number) => {
    const [lo, hi] = [Math.ceil(min * scale), Math.floor(max * scale)];
    return lo <= hi ? [fc.integer({ min: lo, max: hi }).map((v) => v / scale)] : [];
  };
  const [integers, eighthsInRange] = [grid(1), grid(8)];
  const base = fc.oneof(
    { weight: 4, arbitrary: uniform(min, max) },
    ...integers.map((arbitrary) => ({ weight: 2, arbitrary })),
    ...eighthsInRange.map((arbitrary) => ({ weight: 2, arbitrary })),
    { weight: 1, arbitrary: fc.constantFrom(min, max) },
    { weight: 1, arbitrary: fc.double({ min, max, noNaN: true, noDefaultInfinity: true }) },
  );
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

/** A number[] of exactly n entries drawn from `entry`. */
export const vectorOf = (n: number, entry: fc.Arbitrary<number>): fc.Arbitrary<number[]> => fc.array(entry, { minLength: n, maxLength: n });

/** An r × c number[][] with entries drawn from `entry`. */
export const matrixOf = (r: number, c: number, entry: fc.Arbitrary<number>): fc.Arbitrary<number[][]> => fc.array(vectorOf(c, entry), { minLength: r, maxLength: r });

/** A C×H×W image with entries drawn from `entry`. */
export const imageOf = (C: number, H: number, W: number, entry: fc.Arbitrary<number>): fc.Arbitrary<number[][][]> => fc.array(matrixOf(H, W, entry), { minLength: C, maxLength: C });

/** Magnitudes in [lo, hi] (spread as {@link real} spreads them) with either sign: shrinking stops at ±lo, never at 0. */
export const signed = (lo: number, hi: number): fc.Arbitrary<number> =>
  fc.tuple(real({ min: lo, max: hi }), fc.boolean()).map(([a, neg]) => (neg ? -a : a));

/**
 * Multiples of 1/8 in [−max, max] (without 0 when `nonzero`): exact in binary, so a shrunk
 * counterexample shows a clearly wrong value instead of a difference at the tolerance.
 */
export const eighths = (max: number, { nonzero = false } = {}): fc.Arbitrary<number> =>
  fc.integer({ min: -8 * max, max: 8 * max }).filter((v) => !nonzero || v !== 0).map((v) => v / 8);
