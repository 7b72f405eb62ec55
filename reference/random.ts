/**
 * A seedable random source shared by every family that draws numbers (dropout, initialisers,
 * noise): pure-rand's xoroshiro128+ (the generator fast-check itself uses), so one seed gives
 * the same numbers on every machine and Node version.
 *
 * This file is provided to students unchanged (exercises/random.ts is an identical copy; a spec
 * keeps the two in step), and the grader's sandbox ships pure-rand with every submission.
 *
 * Draw order is part of the contract: matrices are filled row by row, and each normal draw
 * consumes exactly two uniforms (Box–Muller, the cosine branch), so two implementations that draw
 * in the same order from the same seed get the same numbers.
 */
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { assertInteger, assertNumber, ArgumentError, type Matrix } from './tensor.ts';

export interface Random {
  /** u ~ U[0, 1): multiples of 2^−53 */
  uniform(): number;
  /** z ~ N(0, 1), from two uniforms (Box–Muller) */
  normal(): number;
}

/**
 * A generator seeded with an integer in [−2³¹, 2³¹). xoroshiro128+ seeded from a small integer
 * starts in a low-entropy state (seeds 0 … 65535 all give a first uniform within 1e−3 of 0 or
 * 1), so the generator jumps 2⁶⁴ steps ahead before its first draw.
 */
export function createRandom(seed: number): Random {
  assertInteger('createRandom', 'seed', seed, -(2 ** 31));
  if (seed >= 2 ** 31) throw new ArgumentError('createRandom', 'seed', `must be below 2^31; got ${seed}`);
  const rng = xoroshiro128plus(seed);
  rng.jump();
  const uniform = () => uniformFloat64(rng);
  return {
    uniform,
    // z = √(−2 ln(1 − u₁)) cos(2π u₂); 1 − u₁ ∈ (0, 1] keeps the logarithm finite
    normal: () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform()),
  };
}

/** A rows × cols matrix of U[lo, hi) draws, filled row by row. */
export function uniformMatrix(random: Random, rows: number, cols: number, lo: number, hi: number): Matrix {
  assertInteger('uniformMatrix', 'rows', rows, 1);
  assertInteger('uniformMatrix', 'cols', cols, 1);
  assertNumber('uniformMatrix', 'lo', lo);
  assertNumber('uniformMatrix', 'hi', hi);
  if (!(hi > lo)) throw new ArgumentError('uniformMatrix', 'hi', `must be greater than lo = ${lo}; got ${hi}`);
  return Array.from({ length: rows }, () => Array.from({ length: cols }, () => lo + (hi - lo) * random.uniform()));
}

/** A rows × cols matrix of N(mean, std²) draws, filled row by row. */
export function normalMatrix(random: Random, rows: number, cols: number, mean: number, std: number): Matrix {
  assertInteger('normalMatrix', 'rows', rows, 1);
  assertInteger('normalMatrix', 'cols', cols, 1);
  assertNumber('normalMatrix', 'mean', mean);
  assertNumber('normalMatrix', 'std', std);
  if (std < 0) throw new ArgumentError('normalMatrix', 'std', `must be ≥ 0; got ${std}`);
  return Array.from({ length: rows }, () => Array.from({ length: cols }, () => mean + std * random.normal()));
}
