/**
 * "Which mistake does this look like?" When a comparison fails, the received value is compared
 * with known-wrong variants of the expected value (the sign flipped, a factor m too large, the
 * transpose, the derivative taken at the activation …) and the first that matches names the
 * mistake in the report. Variants are built by the check from what it knows: transforms of the
 * expected value for public checks, the reference run with a wrong convention for hidden ones.
 */
import { compare } from './compare.ts';
import type { Tolerance } from './types.ts';

/** label → the value that mistake would produce, e.g. { 'the sign of δ flipped': negated(expected) } */
export type Variants = Record<string, unknown>;

/**
 * The variant the received value matches, or undefined. Two rules keep a name from being given
 * wrongly: a variant that the expected value itself matches names no mistake (it may list only
 * some keys and agree with the right answer on them: interleaved groups when G = 1, swapped
 * momentum weights at ½), so a fault elsewhere is not given its name; and when the matched value
 * is also what another mistake gives on this input (÷H and ÷H² at H = 1, align-corners and
 * i·in/out at size 1), the input cannot tell them apart and nothing is named.
 */
export function diagnose(received: unknown, variants: Variants | undefined, tol: Tolerance, expected?: unknown): string | undefined {
  if (!variants) return undefined;
  const candidates = Object.entries(variants).filter(([, value]) => expected === undefined || compare(expected, value, tol) !== null);
  const match = candidates.find(([, value]) => compare(received, value, tol) === null);
  if (!match) return undefined;
  const twins = candidates.filter(([label, value]) => label !== match[0] && compare(match[1], value, tol) === null);
  return twins.length === 0 ? match[0] : undefined;
}

type Nested = number | Nested[] | { [k: string]: Nested };

function map(x: unknown, f: (v: number) => number): unknown {
  if (typeof x === 'number') return f(x);
  if (Array.isArray(x)) return x.map((v) => map(v, f));
  if (x !== null && typeof x === 'object') return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, map(v, f)]));
  return x;
}

/** −x, entry by entry (numbers, arrays, objects of them). */
export function negated<T extends Nested>(x: T): T {
  return map(x, (v) => -v) as T;
}

/** c·x, entry by entry. */
export function scaled<T extends Nested>(x: T, c: number): T {
  return map(x, (v) => c * v) as T;
}

/** Mᵀ of a rectangular matrix. */
export function transposed(M: number[][]): number[][] {
  return M.length === 0 ? [] : M[0].map((_, j) => M.map((row) => row[j]));
}
