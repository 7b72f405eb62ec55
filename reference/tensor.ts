/**
 * Plain data types and input validation shared by every family.
 *
 * This file is provided to students unchanged (exercises/tensor.ts is an identical copy; a spec
 * keeps the two in step). Numbers are float64; vectors and matrices are plain nested arrays,
 * matrices row-major.
 *
 * Every public function validates its arguments with these helpers, so a wrong input is an
 * Error that names the function, the argument and what was wrong:
 *   "softmax: argument 'x' must contain only finite numbers; got x[2] = NaN"
 */

export type Vector = number[];
export type Matrix = number[][];

/** Thrown for every invalid argument; `fn` and `arg` let callers test what was rejected. */
export class ArgumentError extends Error {
  constructor(
    readonly fn: string,
    readonly arg: string,
    detail: string,
  ) {
    super(`${fn}: argument '${arg}' ${detail}`);
    this.name = 'ArgumentError';
  }
}

function describe(x: unknown): string {
  if (typeof x === 'number') return String(x);
  if (Array.isArray(x)) return `an array of length ${x.length}`;
  if (x === null) return 'null';
  return typeof x === 'object' ? 'an object' : `${typeof x} ${String(x)}`;
}

/** A finite number (NaN and ±Infinity are rejected). */
export function assertNumber(fn: string, arg: string, x: unknown): asserts x is number {
  if (typeof x !== 'number') throw new ArgumentError(fn, arg, `must be a number; got ${describe(x)}`);
  if (!Number.isFinite(x)) throw new ArgumentError(fn, arg, `must be a finite number; got ${x}`);
}

/** An integer ≥ min (sizes, strides, counts). */
export function assertInteger(fn: string, arg: string, x: unknown, min: number): asserts x is number {
  assertNumber(fn, arg, x);
  if (!Number.isInteger(x) || x < min) {
    throw new ArgumentError(fn, arg, `must be an integer ≥ ${min}; got ${x}`);
  }
}

/** A finite number in [lo, hi] (or (lo, hi) when `open`). */
export function assertInRange(
  fn: string,
  arg: string,
  x: unknown,
  lo: number,
  hi: number,
  open = false,
): asserts x is number {
  assertNumber(fn, arg, x);
  const inside = open ? x > lo && x < hi : x >= lo && x <= hi;
  if (!inside) {
    const interval = open ? `(${lo}, ${hi})` : `[${lo}, ${hi}]`;
    throw new ArgumentError(fn, arg, `must lie in ${interval}; got ${x}`);
  }
}

/** A non-empty vector of finite numbers, optionally of a given length. */
export function assertVector(fn: string, arg: string, x: unknown, length?: number): asserts x is Vector {
  if (!Array.isArray(x)) throw new ArgumentError(fn, arg, `must be a vector (number[]); got ${describe(x)}`);
  if (x.length === 0) throw new ArgumentError(fn, arg, 'must be a non-empty vector; got length 0');
  if (length !== undefined && x.length !== length) {
    throw new ArgumentError(fn, arg, `must have length ${length}; got length ${x.length}`);
  }
  for (let i = 0; i < x.length; i++) {
    const v: unknown = x[i];
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new ArgumentError(fn, arg, `must contain only finite numbers; got ${arg}[${i}] = ${describe(v)}`);
    }
  }
}

/** A non-empty rectangular matrix of finite numbers, optionally of a given shape. */
export function assertMatrix(
  fn: string,
  arg: string,
  x: unknown,
  rows?: number,
  cols?: number,
): asserts x is Matrix {
  if (!Array.isArray(x) || x.length === 0) {
    throw new ArgumentError(fn, arg, `must be a non-empty matrix (number[][]); got ${describe(x)}`);
  }
  if (rows !== undefined && x.length !== rows) {
    throw new ArgumentError(fn, arg, `must have ${rows} rows; got ${x.length}`);
  }
  const width = Array.isArray(x[0]) ? x[0].length : -1;
  for (let i = 0; i < x.length; i++) {
    const row: unknown = x[i];
    if (!Array.isArray(row) || row.length !== width || width === 0) {
      throw new ArgumentError(fn, arg, `must be rectangular; row ${i} is ${describe(row)}, row 0 has ${width} entries`);
    }
    for (let j = 0; j < row.length; j++) {
      const v: unknown = row[j];
      if (typeof v !== 'number' || !Number.isFinite(v)) {
        throw new ArgumentError(fn, arg, `must contain only finite numbers; got ${arg}[${i}][${j}] = ${describe(v)}`);
      }
    }
  }
  if (cols !== undefined && width !== cols) {
    throw new ArgumentError(fn, arg, `must have ${cols} columns; got ${width}`);
  }
}

/** Two vectors of the same length (both validated). */
export function assertSameLength(fn: string, argA: string, a: unknown, argB: string, b: unknown): void {
  assertVector(fn, argA, a);
  assertVector(fn, argB, b);
  if (a.length !== b.length) {
    throw new ArgumentError(fn, argB, `must have the same length as '${argA}' (${a.length}); got length ${b.length}`);
  }
}

/** A function argument (objectives, step rules, functions under test). */
export function assertFunction(fn: string, arg: string, f: unknown): asserts f is (...args: never[]) => unknown {
  if (typeof f !== 'function') throw new ArgumentError(fn, arg, `must be a function; got ${describe(f)}`);
}
