/**
 * Plain data types and input validation shared by every family.
 *
 * This file is provided to students unchanged (exercises/tensor.ts is an identical copy; a spec
 * keeps the two in step). Numbers are float64; vectors and matrices are plain nested arrays,
 * matrices row-major.
 *
 * Images are C×H×W (channel c is the H×W matrix x[c]) and convolution filters F×C×K×K (filter f,
 * input channel c) — design.md, "Data"; a batch is an array of images.
 *
 * Every public function validates its arguments with these helpers, so a wrong input is an
 * Error that names the function, the argument and what was wrong:
 *   "softmax: argument 'x' must contain only finite numbers; got x[2] = NaN"
 */

export type Vector = number[];
export type Matrix = number[][];
/** C×H×W: channel c is the H×W matrix x[c]. */
export type Image = number[][][];
/** F×C×KH×KW: filter f, input channel c. */
export type Filters = number[][][][];

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

/** A non-empty C×H×W image of finite numbers; `shape` entries that are given must match. */
export function assertImage(
  fn: string,
  arg: string,
  x: unknown,
  shape: [channels?: number, height?: number, width?: number] = [],
): asserts x is Image {
  if (!Array.isArray(x) || x.length === 0) {
    throw new ArgumentError(fn, arg, `must be a non-empty C×H×W image (number[][][]); got ${describe(x)}`);
  }
  const [C, H, W] = shape;
  if (C !== undefined && x.length !== C) throw new ArgumentError(fn, arg, `must have ${C} channels; got ${x.length}`);
  assertMatrix(fn, `${arg}[0]`, x[0], H, W);
  const [h, w] = [x[0].length, x[0][0].length];
  for (let c = 1; c < x.length; c++) {
    const m: unknown = x[c];
    if (!Array.isArray(m) || m.length !== h || !Array.isArray(m[0]) || m[0].length !== w) {
      throw new ArgumentError(fn, arg, `must have channels of one size ${h}×${w}; channel ${c} is ${Array.isArray(m) ? `${m.length}×${Array.isArray(m[0]) ? m[0].length : '?'}` : describe(m)}`);
    }
    assertMatrix(fn, `${arg}[${c}]`, m, h, w);
  }
}

/** Non-empty F×C×KH×KW filters of finite numbers; `shape` entries that are given must match. */
export function assertFilters(
  fn: string,
  arg: string,
  x: unknown,
  shape: [filters?: number, channels?: number, height?: number, width?: number] = [],
): asserts x is Filters {
  if (!Array.isArray(x) || x.length === 0) {
    throw new ArgumentError(fn, arg, `must be non-empty F×C×K×K filters (number[][][][]); got ${describe(x)}`);
  }
  const [F, C, KH, KW] = shape;
  if (F !== undefined && x.length !== F) throw new ArgumentError(fn, arg, `must have ${F} filters; got ${x.length}`);
  assertImage(fn, `${arg}[0]`, x[0], [C, KH, KW]);
  const [c, kh, kw] = [x[0].length, x[0][0].length, x[0][0][0].length];
  for (let f = 1; f < x.length; f++) assertImage(fn, `${arg}[${f}]`, x[f], [c, kh, kw]);
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
