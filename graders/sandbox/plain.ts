/**
 * What the grader accepts from a student process: plain data only (design.md, "Lessons").
 *
 * Values arrive through Node's structured-clone IPC, so they carry no functions, getters or
 * prototypes of the student's making. This pass still checks every node by type: numbers,
 * booleans, strings, null/undefined, dense arrays and plain objects; typed arrays are accepted
 * and turned into number[]; anything else (Map, Set, Date, Error, BigInt …) is rejected with the
 * place where it was found. Size and depth are bounded.
 */

export class InvalidOutput extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidOutput';
  }
}

const MAX_NODES = 2_000_000;
const MAX_DEPTH = 16;

export function toPlain(x: unknown, at = 'result'): unknown {
  const budget = { nodes: 0 };
  return walk(x, at, 0, budget);
}

function walk(x: unknown, at: string, depth: number, budget: { nodes: number }): unknown {
  if (++budget.nodes > MAX_NODES) throw new InvalidOutput(`the returned value has more than ${MAX_NODES} entries`);
  if (depth > MAX_DEPTH) throw new InvalidOutput(`the returned value is nested deeper than ${MAX_DEPTH} levels (at ${at})`);
  switch (typeof x) {
    case 'number':
    case 'boolean':
    case 'string':
    case 'undefined':
      return x;
    case 'bigint':
      throw new InvalidOutput(`${at} is a BigInt; return a number`);
    case 'object':
      break;
    default:
      throw new InvalidOutput(`${at} is a ${typeof x}; return plain numbers and arrays`);
  }
  if (x === null) return null;
  if (ArrayBuffer.isView(x) && !(x instanceof DataView)) {
    return Array.from(x as unknown as ArrayLike<number>, Number);
  }
  if (Array.isArray(x)) {
    const out = new Array<unknown>(x.length);
    for (let i = 0; i < x.length; i++) {
      if (!(i in x)) throw new InvalidOutput(`${at} has a hole at index ${i}`);
      out[i] = walk(x[i], `${at}[${i}]`, depth + 1, budget);
    }
    return out;
  }
  const proto = Object.getPrototypeOf(x);
  if (proto !== Object.prototype && proto !== null) {
    const name = (x as object).constructor?.name ?? 'an object';
    throw new InvalidOutput(`${at} is a ${name}; return plain numbers, arrays and objects`);
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(x as Record<string, unknown>)) out[k] = walk(v, `${at}.${k}`, depth + 1, budget);
  return out;
}
