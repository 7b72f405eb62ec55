/**
 * Type guards for what a student's function returned: plain arrays of the expected dimensions
 * holding finite numbers. Checks use them before comparing, so that a wrong shape or a NaN is
 * reported as such ("must return [2, 3, 3] of finite numbers") rather than as a value mismatch.
 */
export const isNumber = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);

export const isVector = (x: unknown, n: number): x is number[] => Array.isArray(x) && x.length === n && x.every(isNumber);

export const isMatrix = (x: unknown, r: number, c: number): x is number[][] => Array.isArray(x) && x.length === r && x.every((row) => isVector(row, c));

/** C×H×W. */
export const isImage = (x: unknown, C: number, H: number, W: number): x is number[][][] => Array.isArray(x) && x.length === C && x.every((ch) => isMatrix(ch, H, W));

/** A plain object (not null, not an array). */
export const isObject = (x: unknown): x is Record<string, unknown> => x !== null && typeof x === 'object' && !Array.isArray(x);

/**
 * The first entry of `values` that is not a number passing `ok`, said as a person reads it: "NaN
 * at index 2", "-0 at index 0", "Infinity at index 1", "a string at index 3"; undefined when
 * every entry passes. For range checks, whose message must show the offending value (JSON would
 * print NaN and ±Infinity as null).
 */
export function firstOffending(values: unknown[], ok: (v: number) => boolean): string | undefined {
  const i = values.findIndex((v) => typeof v !== 'number' || !ok(v));
  if (i < 0) return undefined;
  const v = values[i];
  const shown = typeof v !== 'number' ? `${v === null ? 'null' : `a ${typeof v}`}` : Object.is(v, -0) ? '-0' : String(v);
  return `${shown} at index ${i}`;
}
