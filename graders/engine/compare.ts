/**
 * Shape-then-allclose comparison of plain data, and the short rendering used in reports.
 *
 * Rules (design.md, "Comparison"): shapes must agree before any value is compared; a number is
 * close when |received − expected| ≤ atol + rtol·|expected|; NaN is never close to anything
 * (not even NaN); ±Infinity matches only the same infinity; a non-number where a number is
 * expected is reported as such. Objects are compared key by key on the expected keys.
 *
 * Keys and strings may come from the student's values: in renderings and `at` paths a key that
 * is not a plain identifier is JSON-quoted, strings are quoted with every control and bidi
 * character escaped, and one rendering is at most SHORT_LIMIT characters, so that no message
 * built here carries a raw escape sequence or grows with what the student returned.
 */
import { escapeInvisible } from './text.ts';
import type { Tolerance } from './types.ts';

/** The longest rendering of {@link short}: deeper or wider values are cut here with "…". */
export const SHORT_LIMIT = 400;
/** Strings and keys longer than this are shown by their first characters. */
const STRING_LIMIT = 60;

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

const clip = (s: string) => (s.length > STRING_LIMIT ? `${s.slice(0, STRING_LIMIT - 3)}...` : s);
const cut = (s: string, max: number) => (s.length > max ? `${s.slice(0, max - 1)}…` : s);

/** A string as shown in a rendering: its first characters, JSON-quoted, nothing left raw. */
const quote = (s: string) => escapeInvisible(JSON.stringify(clip(s)));

/** A key shown as written in JavaScript: a short plain identifier as is, anything else quoted. */
const plainKey = (k: string) => IDENTIFIER.test(k) && k.length <= STRING_LIMIT;
const keyName = (k: string) => (plainKey(k) ? k : quote(k));
/** One step of an `at` path: ".state" or '["\u001b[2J"]'. */
export const keyStep = (k: string) => (plainKey(k) ? `.${k}` : `[${quote(k)}]`);

export interface Mismatch {
  /** where: '' for the whole value, '[2][0]', '.state.m[1]' … */
  at: string;
  message: string;
}

/** Dimensions of a nested number array, or null when it is ragged or not an array of numbers. */
export function shapeOf(x: unknown): number[] | null {
  if (typeof x === 'number') return [];
  if (!Array.isArray(x)) return null;
  if (x.length === 0) return [0];
  const inner = shapeOf(x[0]);
  if (inner === null) return null;
  for (let i = 1; i < x.length; i++) {
    const s = shapeOf(x[i]);
    if (s === null || s.length !== inner.length || s.some((d, k) => d !== inner[k])) return null;
  }
  return [x.length, ...inner];
}

function kindOf(x: unknown): string {
  if (x === null) return 'null';
  if (x === undefined) return 'undefined';
  if (typeof x === 'number') return Number.isNaN(x) ? 'NaN' : Number.isFinite(x) ? 'a number' : String(x);
  if (Array.isArray(x)) {
    const s = shapeOf(x);
    return s ? `an array of shape [${s.join(', ')}]` : `a ragged or non-numeric array of length ${x.length}`;
  }
  if (typeof x === 'object') return 'an object';
  return `a ${typeof x}`;
}

export function numbersClose(received: number, expected: number, tol: Tolerance): boolean {
  if (Number.isNaN(received) || Number.isNaN(expected)) return false;
  if (!Number.isFinite(expected) || !Number.isFinite(received)) return received === expected;
  return Math.abs(received - expected) <= tol.atol + tol.rtol * Math.abs(expected);
}

/** First mismatch between received and expected, or null when they agree. */
export function compare(received: unknown, expected: unknown, tol: Tolerance, at = ''): Mismatch | null {
  if (typeof expected === 'number') {
    if (typeof received !== 'number') return { at, message: `expected a number, received ${kindOf(received)}` };
    if (numbersClose(received, expected, tol)) return null;
    if (Number.isNaN(received)) return { at, message: `received NaN, expected ${fmt(expected)}` };
    if (!Number.isFinite(received)) return { at, message: `received ${received}, expected ${fmt(expected)}` };
    const diff = Math.abs(received - expected);
    const allowed = tol.atol + tol.rtol * Math.abs(expected);
    return {
      at,
      message: `expected ${fmt(expected)}, received ${fmt(received)} (|diff| ${fmt(diff, 2)} > tolerance ${fmt(allowed, 2)})`,
    };
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(received)) return { at, message: `expected ${kindOf(expected)}, received ${kindOf(received)}` };
    const se = shapeOf(expected);
    const sr = shapeOf(received);
    if (se && sr && se.join() !== sr.join()) {
      return { at, message: `shape mismatch: expected [${se.join(', ')}], received [${sr.join(', ')}]` };
    }
    if (received.length !== expected.length) {
      return { at, message: `expected length ${expected.length}, received length ${received.length}` };
    }
    for (let i = 0; i < expected.length; i++) {
      const m = compare(received[i], expected[i], tol, `${at}[${i}]`);
      if (m) return m;
    }
    return null;
  }
  if (expected !== null && typeof expected === 'object') {
    if (received === null || typeof received !== 'object' || Array.isArray(received)) {
      return { at, message: `expected an object with keys {${Object.keys(expected).map(keyName).join(', ')}}, received ${kindOf(received)}` };
    }
    for (const key of Object.keys(expected)) {
      if (!(key in received)) return { at: `${at}${keyStep(key)}`, message: `missing key ${plainKey(key) ? `'${key}'` : quote(key)}` };
      const m = compare((received as Record<string, unknown>)[key], (expected as Record<string, unknown>)[key], tol, `${at}${keyStep(key)}`);
      if (m) return m;
    }
    return null;
  }
  if (received === expected) return null;
  return { at, message: `expected ${short(expected)}, received ${kindOf(received)} ${short(received)}` };
}

/** A number with `digits` significant digits, trailing zeros dropped. */
export function fmt(x: number, digits = 8): string {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  const a = Math.abs(x);
  if (a >= 1e-4 && a < 1e9) return String(Number(x.toPrecision(digits)));
  return x.toExponential(digits - 1).replace(/\.?0+e/, 'e');
}

/**
 * A value as it would be written in code, every number in full precision and −0, NaN and ±Infinity
 * as themselves (JSON would print 0 and null): `[0.1, -0, NaN]`, `{ eta: 0.001 }`; strings and keys
 * quoted and escaped as in short(). Undefined when it would be longer than `limit` characters
 * (then short() is the rendering to use): the text is given up as soon as it passes the limit.
 */
export function literal(x: unknown, limit = 160): string | undefined {
  let budget = limit;
  const walk = (v: unknown, depth: number): string | undefined => {
    let s: string | undefined;
    if (typeof v === 'number') s = Object.is(v, -0) ? '-0' : String(v);
    else if (typeof v === 'string') s = quote(v);
    else if (v === null || v === undefined || typeof v === 'boolean') s = String(v);
    else if (depth > 16 || typeof v !== 'object') return undefined;
    else if (Array.isArray(v)) {
      const items: string[] = [];
      for (const item of v) {
        const r = walk(item, depth + 1);
        if (r === undefined) return undefined;
        items.push(r);
      }
      s = `[${items.join(', ')}]`;
    } else {
      const parts: string[] = [];
      for (const [k, item] of Object.entries(v as Record<string, unknown>)) {
        const r = walk(item, depth + 1);
        if (r === undefined) return undefined;
        parts.push(`${keyName(k)}: ${r}`);
      }
      s = parts.length === 0 ? '{}' : `{ ${parts.join(', ')} }`;
    }
    // leaves count their text, containers their brackets and separators: the total, roughly
    budget -= typeof v === 'object' && v !== null ? 2 + 2 * Object.keys(v).length : s.length;
    return budget < 0 ? undefined : s;
  };
  const s = walk(x, 0);
  return s !== undefined && s.length <= limit ? s : undefined;
}

/** A value in full precision when short enough to paste into a test (literal), else shortened (short). */
export function exact(x: unknown, maxItems = 8): string {
  return literal(x) ?? short(x, maxItems);
}

/**
 * Compact rendering for reports: numbers shortened, strings and keys quoted and escaped (see
 * keyName), arrays cut after `maxItems` per level, nesting after 4 levels, the whole after
 * SHORT_LIMIT characters (each level is cut too, so that no intermediate text grows either).
 */
export function short(x: unknown, maxItems = 6, depth = 0): string {
  if (typeof x === 'number') return fmt(x);
  if (typeof x === 'string') return quote(x);
  if (x === null || x === undefined || typeof x === 'boolean') return String(x);
  if (Array.isArray(x)) {
    if (depth > 3) return '[…]';
    const items = x.slice(0, maxItems).map((v) => short(v, maxItems, depth + 1));
    if (x.length > maxItems) items.push(`… ${x.length - maxItems} more`);
    return cut(`[${items.join(', ')}]`, SHORT_LIMIT);
  }
  if (typeof x === 'object') {
    if (depth > 3) return '{…}';
    const entries = Object.entries(x as Record<string, unknown>);
    const parts = entries.slice(0, maxItems).map(([k, v]) => `${keyName(k)}: ${short(v, maxItems, depth + 1)}`);
    if (entries.length > maxItems) parts.push('…');
    return cut(`{ ${parts.join(', ')} }`, SHORT_LIMIT);
  }
  return typeof x;
}
