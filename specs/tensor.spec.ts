/**
 * The provided validators for images (C×H×W) and filters (F×C×KH×KW): a wrong input is an
 * ArgumentError naming the function, the argument and what was wrong.
 */
import { describe, expect, it } from 'vitest';
import { ArgumentError, assertFilters, assertImage } from '../reference/tensor.ts';

const rejects = (f: () => void, pattern: RegExp) => {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(ArgumentError);
    expect((e as Error).message).toMatch(pattern);
    return;
  }
  throw new Error('expected an ArgumentError');
};

describe('assertImage', () => {
  const img = [[[1, 2, 3], [4, 5, 6]], [[0, 0, 0], [1, 1, 1]]];

  it('accepts a C×H×W image and checks the given dimensions', () => {
    expect(() => assertImage('conv2d', 'x', img)).not.toThrow();
    expect(() => assertImage('conv2d', 'x', img, [2, 2, 3])).not.toThrow();
    expect(() => assertImage('conv2d', 'x', img, [undefined, undefined, 3])).not.toThrow();
  });

  it('names the function, the argument and the problem', () => {
    rejects(() => assertImage('conv2d', 'x', []), /^conv2d: argument 'x' must be a non-empty C×H×W image/);
    rejects(() => assertImage('conv2d', 'x', 3), /got 3$/);
    rejects(() => assertImage('conv2d', 'x', img, [3]), /must have 3 channels; got 2/);
    rejects(() => assertImage('conv2d', 'x', img, [2, 3]), /'x\[0\]' must have 3 rows; got 2/);
    rejects(() => assertImage('conv2d', 'x', img, [2, 2, 4]), /'x\[0\]' must have 4 columns; got 3/);
    rejects(() => assertImage('conv2d', 'x', [img[0], [[1, 2], [3, 4]]]), /channels of one size 2×3; channel 1 is 2×2/);
    rejects(() => assertImage('conv2d', 'x', [img[0], [[1, 2, 3], [3, 4, NaN]]]), /'x\[1\]' must contain only finite numbers; got x\[1\]\[1\]\[2\] = NaN/);
  });
});

describe('assertFilters', () => {
  const w = [[[[1, 0], [0, 1]]], [[[2, 2], [2, 2]]]];

  it('accepts F×C×KH×KW filters and checks the given dimensions', () => {
    expect(() => assertFilters('conv2d', 'W', w, [2, 1, 2, 2])).not.toThrow();
  });

  it('names the function, the argument and the problem', () => {
    rejects(() => assertFilters('conv2d', 'W', [[1, 2]]), /^conv2d: argument 'W\[0\]\[0\]' must be a non-empty matrix/);
    rejects(() => assertFilters('conv2d', 'W', w, [3]), /must have 3 filters; got 2/);
    rejects(() => assertFilters('conv2d', 'W', w, [2, 3]), /'W\[0\]' must have 3 channels; got 1/);
    rejects(() => assertFilters('conv2d', 'W', [w[0], [[[1, 2, 3], [4, 5, 6]]]]), /'W\[1\]\[0\]' must have 2 columns; got 3/);
  });
});
