/**
 * What the grader accepts from a student process: plain data only (design.md, "Lessons").
 *
 * Values arrive deserialised from the grading channel (structured clone), so they carry no
 * functions, getters or prototypes of the student's making, but structured clone keeps shared
 * references: one 8 MB typed array referenced a thousand times is a small message and 8 GB of
 * numbers once expanded. This pass rebuilds the value node by node under one budget that
 * counts every number a typed array expands to, bounds nesting and string lengths, accepts
 * numbers, booleans, strings, null/undefined, dense arrays, typed arrays (turned into number[])
 * and plain objects, and rejects anything else (Map, Set, Date, Error, BigInt …) with the place
 * where it was found. Objects are rebuilt with their own keys as own data properties, so that a
 * key named "__proto__" stays a key and never becomes a prototype.
 */
import { keyStep } from '../engine/compare.ts';
import { studentLine } from '../engine/text.ts';

export class InvalidOutput extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidOutput';
  }
}

/** Numbers, strings and containers in one returned value, typed-array entries included. */
export const MAX_NODES = 2_000_000;
export const MAX_DEPTH = 16;
/** Characters in one returned string (no exercise returns text longer than a label). */
export const MAX_STRING = 10_000;

export function toPlain(x: unknown, at = 'result'): unknown {
  return walk(x, at, [], { nodes: 0 });
}

function spend(budget: { nodes: number }, n: number): void {
  budget.nodes += n;
  if (budget.nodes > MAX_NODES) throw new InvalidOutput(`the returned value has more than ${MAX_NODES} entries`);
}

/** The path of a node, built only for a message: `path` holds keys and indexes from the root. */
const where = (root: string, path: (string | number)[]) => root + path.map((k) => (typeof k === 'number' ? `[${k}]` : keyStep(k))).join('');

function walk(x: unknown, root: string, path: (string | number)[], budget: { nodes: number }): unknown {
  spend(budget, 1);
  if (path.length > MAX_DEPTH) throw new InvalidOutput(`the returned value is nested deeper than ${MAX_DEPTH} levels (at ${where(root, path)})`);
  switch (typeof x) {
    case 'number':
    case 'boolean':
    case 'undefined':
      return x;
    case 'string':
      if (x.length > MAX_STRING) throw new InvalidOutput(`${where(root, path)} is a string of ${x.length} characters; return numbers`);
      return x;
    case 'bigint':
      throw new InvalidOutput(`${where(root, path)} is a BigInt; return a number`);
    case 'object':
      break;
    default:
      throw new InvalidOutput(`${where(root, path)} is a ${typeof x}; return plain numbers and arrays`);
  }
  if (x === null) return null;
  if (ArrayBuffer.isView(x) && !(x instanceof DataView)) {
    const view = x as unknown as ArrayLike<number | bigint>;
    spend(budget, view.length);
    if (x instanceof BigInt64Array || x instanceof BigUint64Array) throw new InvalidOutput(`${where(root, path)} is a ${x.constructor.name}; return numbers`);
    return Array.from(view as ArrayLike<number>, Number);
  }
  if (Array.isArray(x)) {
    spend(budget, x.length);
    const out = new Array<unknown>(x.length);
    for (let i = 0; i < x.length; i++) {
      if (!(i in x)) throw new InvalidOutput(`${where(root, path)} has a hole at index ${i}`);
      const v = x[i];
      // numbers, the bulk of every value, need no recursion
      if (typeof v === 'number') {
        spend(budget, 1);
        out[i] = v;
        continue;
      }
      path.push(i);
      out[i] = walk(v, root, path, budget);
      path.pop();
    }
    return out;
  }
  const proto = Object.getPrototypeOf(x);
  if (proto !== Object.prototype && proto !== null) {
    const name = studentLine((x as object).constructor?.name ?? 'an object', 60);
    throw new InvalidOutput(`${where(root, path)} is a ${name}; return plain numbers, arrays and objects`);
  }
  const out: Record<string, unknown> = {};
  const keys = Object.keys(x as object);
  spend(budget, keys.length);
  for (const k of keys) {
    path.push(k);
    const value = walk((x as Record<string, unknown>)[k], root, path, budget);
    path.pop();
    // "__proto__" assigned would set the prototype: it is defined as the own key it was
    if (k === '__proto__') Object.defineProperty(out, k, { value, enumerable: true, writable: true, configurable: true });
    else out[k] = value;
  }
  return out;
}
