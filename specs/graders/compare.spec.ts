import { describe, expect, it } from 'vitest';
import { compare, exact, fmt, literal, shapeOf, short, SHORT_LIMIT } from '../../graders/engine/compare.ts';
import { expectClose, PropertyFailure } from '../../graders/engine/checks.ts';
import { InvalidOutput, toPlain } from '../../graders/sandbox/plain.ts';

const tol = { rtol: 1e-7, atol: 1e-12 };

describe('compare: shape first, then allclose', () => {
  it('accepts values within atol + rtol·|expected|', () => {
    expect(compare(1 + 5e-8, 1, tol)).toBeNull();
    expect(compare([[1, 2], [3, 4]], [[1, 2], [3, 4 + 1e-7]], tol)).toBeNull();
    expect(compare({ a: [1], b: 2, extra: 'ignored' }, { a: [1], b: 2 }, tol)).toBeNull();
  });
  it('reports the first element that differs, with both values', () => {
    expect(compare([1, 2, 3], [1, 2.5, 3], tol)).toEqual({ at: '[1]', message: expect.stringMatching(/expected 2.5, received 2 \(\|diff\| 0.5 > tolerance/) });
    expect(compare({ state: { m: [0, 1] } }, { state: { m: [0, 2] } }, tol)?.at).toBe('.state.m[1]');
  });
  it('reports a shape mismatch before any value', () => {
    expect(compare([[1, 2, 3]], [[1], [2], [3]], tol)?.message).toBe('shape mismatch: expected [3, 1], received [1, 3]');
    expect(compare([1, 2], 3, tol)?.message).toMatch(/expected a number, received an array of shape \[2\]/);
    expect(compare(3, [3], tol)?.message).toMatch(/expected an array of shape \[1\], received a number/);
  });
  it('never lets NaN pass, not even against NaN; ±Infinity matches only itself', () => {
    expect(compare(Number.NaN, Number.NaN, tol)?.message).toMatch(/received NaN/);
    expect(compare(Number.NaN, 1, tol)?.message).toBe('received NaN, expected 1');
    expect(compare(Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY, tol)).toBeNull();
    expect(compare(Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY, tol)).not.toBeNull();
    expect(compare(Number.POSITIVE_INFINITY, 1e308, tol)?.message).toMatch(/received Infinity/);
  });
  it('names non-numbers and missing keys', () => {
    expect(compare('1', 1, tol)?.message).toMatch(/expected a number, received a string/);
    expect(compare(undefined, [1], tol)?.message).toMatch(/received undefined/);
    expect(compare({ dx: [1] }, { dx: [1], db: [2] }, tol)).toEqual({ at: '.db', message: "missing key 'db'" });
    expect(compare([1, 'a'], [1, 2], tol)?.at).toBe('[1]');
  });
  it('shapeOf and short describe values compactly', () => {
    expect(shapeOf([[1, 2], [3, 4], [5, 6]])).toEqual([3, 2]);
    expect(shapeOf([[1], [2, 3]])).toBeNull();
    expect(short([1, 2, 3, 4, 5, 6, 7, 8], 3)).toBe('[1, 2, 3, … 5 more]');
    expect(fmt(0.1234567891234)).toBe('0.12345679');
    expect(fmt(1.5e-12)).toBe('1.5e-12');
  });
});

describe('literal: a value as written in code', () => {
  it('keeps −0, NaN and ±Infinity apart (JSON prints 0 and null) and every digit', () => {
    expect(literal([0.1, -0, 0, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 1 / 3])).toBe('[0.1, -0, 0, NaN, Infinity, -Infinity, 0.3333333333333333]');
    expect(literal({ theta: [1], state: { m: [] }, 'odd key': null })).toBe('{ theta: [1], state: { m: [] }, "odd key": null }');
    expect(literal({})).toBe('{}');
  });
  it('gives up past its limit, even on a value of millions of numbers; exact() then shortens', () => {
    const huge = new Array(2_000_000).fill(1.5);
    expect(literal(huge)).toBeUndefined();
    expect(literal(new Array(5).fill('x'.repeat(100)))).toBeUndefined(); // each string clipped as in short(), five too long together
    expect(exact(huge)).toBe('[1.5, 1.5, 1.5, 1.5, 1.5, 1.5, 1.5, 1.5, … 1999992 more]');
    expect(exact([-0, Number.NaN])).toBe('[-0, NaN]');
  });
  it('escapes strings and keys as short() does', () => {
    expect(literal({ '\x1b[2J': 'a\u202eb' })).toBe('{ "\\u001b[2J": "a\\u202eb" }');
  });
});

describe('short and compare on hostile keys and strings', () => {
  // raw C0/C1 controls and bidi characters: none may survive into a rendering or a path
  // eslint-disable-next-line no-control-regex
  const RAW = /[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

  it('keeps ordinary renderings and paths as they were', () => {
    expect(short({ dx: [1, 2], dW: [[0.5, -1e-12]], ok: true, name: 'relu', none: null })).toBe('{ dx: [1, 2], dW: [[0.5, -1e-12]], ok: true, name: "relu", none: null }');
    expect(short({ a: { b: { c: { d: { e: 1 } } } } })).toBe('{ a: { b: { c: { d: {…} } } } }');
    expect(compare({ state: { $m: 'x' } }, { state: { $m: 1 } }, tol)).toEqual({ at: '.state.$m', message: 'expected a number, received a string' });
    expect(compare('a', 'b', tol)?.message).toBe('expected "b", received a string "a"');
  });
  it('quotes keys that are not plain identifiers and escapes every control and bidi character', () => {
    expect(short({ '\u001b[2J': 1, 'a b': 2, '\u202egnp.exe': 3 })).toBe('{ "\\u001b[2J": 1, "a b": 2, "\\u202egnp.exe": 3 }');
    expect(short(['\x1b]52;c;ZXZpbA==\x07', '\x9b31m', 'nul\0'])).toBe('["\\u001b]52;c;ZXZpbA==\\u0007", "\\u009b31m", "nul\\u0000"]');
    const at = compare({ '\u001b[2J': { '\u202e': 2 } }, { '\u001b[2J': { '\u202e': 1 } }, tol)?.at;
    expect(at).toBe('["\\u001b[2J"]["\\u202e"]');
    const missing = compare({}, { '\x1b]52;c;x\x1b\\': 1 }, tol)!;
    expect(missing.message).toBe('missing key "\\u001b]52;c;x\\u001b\\\\"');
    const wrong = compare({ k: '\x1b[31mred\u202e' }, { k: 'plain' }, tol)!;
    for (const text of [missing.at, missing.message, wrong.message]) expect(text).not.toMatch(RAW);
  });
  it('bounds one rendering whatever the keys, strings, width or depth', () => {
    const longKey = 'k'.repeat(1_000_000);
    let deep: unknown = 1;
    for (let i = 0; i < 6; i++) deep = Object.fromEntries(Array.from({ length: 8 }, (_, j) => [`${longKey}${j}`, [deep, deep]]));
    for (const x of [deep, Array.from({ length: 8 }, () => Array(8).fill('s'.repeat(100)))]) {
      const s = short(x, 8);
      expect(s.length).toBeLessThanOrEqual(SHORT_LIMIT);
      expect(s).toMatch(/…$/);
    }
    expect(short({ [longKey]: longKey })).toBe(`{ "${'k'.repeat(57)}...": "${'k'.repeat(57)}..." }`);
    expect(compare({}, { [longKey]: 1 }, tol)!.at.length).toBeLessThan(70);
  });
});

describe('expectClose in properties', () => {
  it('refuses a non-finite value to compare with (it may come from the student)', () => {
    expect(() => expectClose(Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY, tol, 'lse(x + c)')).toThrow(PropertyFailure);
    expect(() => expectClose(1, 1, tol, 'ok')).not.toThrow();
  });
});

describe('toPlain: only plain data crosses from the student process', () => {
  it('keeps numbers, arrays and plain objects; turns typed arrays into number[]', () => {
    expect(toPlain({ a: [1, Number.NaN], b: new Float64Array([1, 2]), c: null, d: 'x' })).toEqual({ a: [1, Number.NaN], b: [1, 2], c: null, d: 'x' });
  });
  it('rejects anything else, saying where it was found', () => {
    expect(() => toPlain({ m: new Map() })).toThrow(/result.m is a Map/);
    expect(() => toPlain([1, 2n])).toThrow(/result\[1\] is a BigInt/);
    expect(() => toPlain(new Date(0))).toThrow(/result is a Date/);
    // eslint-disable-next-line no-sparse-arrays
    expect(() => toPlain([1, , 3])).toThrow(InvalidOutput);
    let deep: unknown = 1;
    for (let i = 0; i < 20; i++) deep = [deep];
    expect(() => toPlain(deep)).toThrow(/nested deeper/);
  });
});
