/**
 * Family T (computability interlude): the reference evaluator and builders against integer
 * arithmetic (fast-check), against TensorFlow.js's int32 arithmetic, against the deck's definitions
 * (composition, ρ's two equations and μ's least witness as relations over random terms), against
 * the grader's own step counter (graders/recursion.grader.ts `cost`, an evaluator written
 * separately), against the fixtures (the deck's unrolled f(x̄, 3), div), and input validation.
 * Every comparison is exact: these are natural numbers.
 *
 * tfjs mapping (int32 tensors, exact below 2³¹): addition tf.add, multiplication tf.mul,
 * predecessor tf.maximum(x − 1, 0), truncated subtraction tf.relu(x − y) (= max(x − y, 0)), div
 * tf.floorDiv, which for x ≥ 0, y > 0 is the integer portion of x/y. tfjs has no "undefined":
 * tf.floorDiv(x, 0) returns a number, so div's y = 0 is checked against the deck, not tfjs.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ADD, deckUnrolled, DIV, divByZero, divExamples, MONUS, MUL, PRED, type Term } from '../fixtures/recursion.fixtures.ts';
import { cost, termArity, termOf } from '../graders/recursion.grader.ts';
import * as T from '../reference/recursion.ts';
import { oracle, run, tf } from './support/tf.ts';

const backend = await oracle();
const nat = (max: number) => fc.integer({ min: 0, max });
const pairs = (xMax: number, yMin: number, yMax: number) => fc.array(fc.tuple(nat(xMax), fc.integer({ min: yMin, max: yMax })), { minLength: 1, maxLength: 12 });
const evalAll = (t: T.Term, ps: number[][]) => ps.map((p) => T.evaluate(t, p));
/** Every op in a term. */
const ops = (t: Term): string[] => {
  const kids = t.op === 'comp' ? [t.h, ...t.g] : t.op === 'rho' ? [t.g, t.h] : t.op === 'mu' ? [t.f, t.bound] : [];
  return [t.op, ...kids.flatMap(ops)];
};

describe('builders vs integer arithmetic', () => {
  const cases: [string, () => T.Term, (x: number, y: number) => number, fc.Arbitrary<[number, number][]>][] = [
    ['addition', T.addition, (x, y) => x + y, pairs(40, 0, 40)],
    ['multiplication', T.multiplication, (x, y) => x * y, pairs(25, 0, 25)],
    ['truncatedSubtraction', T.truncatedSubtraction, (x, y) => Math.max(x - y, 0), pairs(40, 0, 40)],
    ['div', T.div, (x, y) => Math.floor(x / y), pairs(40, 1, 12)],
  ];
  for (const [name, build, f, arb] of cases) {
    it(`${name}(x, y) = its integer value at random x, y`, () => {
      fc.assert(fc.property(arb, (ps) => {
        expect(evalAll(build(), ps)).toEqual(ps.map(([x, y]) => f(x, y)));
      }), { numRuns: 40 });
    });
  }
  it('predecessor(x) = x − 1 for x ≥ 1 and predecessor(0) = 0', () => {
    expect([0, 1, 2, 3, 50, 999].map((x) => T.evaluate(T.predecessor(), [x]))).toEqual([0, 0, 1, 2, 49, 998]);
  });
  it('truncated subtraction never goes below 0: x ∸ y = 0 whenever y ≥ x', () => {
    fc.assert(fc.property(nat(30), nat(30), (x, d) => {
      expect(T.evaluate(T.truncatedSubtraction(), [x, x + d])).toBe(0);
    }), { numRuns: 40 });
  });
  it('div rounds down: div(x, y)·y ≤ x < (div(x, y) + 1)·y', () => {
    fc.assert(fc.property(nat(40), fc.integer({ min: 1, max: 12 }), (x, y) => {
      const q = T.evaluate(T.div(), [x, y]);
      expect(q * y <= x && x < (q + 1) * y).toBe(true);
    }), { numRuns: 40 });
  });
});

describe(`builders vs tfjs int32 arithmetic [${backend.label}]`, () => {
  const xs = [0, 1, 2, 3, 5, 7, 12, 20];
  const ys = [0, 1, 2, 3, 4, 9, 15];
  const grid = xs.flatMap((x) => ys.map((y) => [x, y]));
  const X = () => tf.tensor1d(grid.map((p) => p[0]), 'int32');
  const Y = () => tf.tensor1d(grid.map((p) => p[1]), 'int32');
  it('addition = tf.add, multiplication = tf.mul, truncated subtraction = tf.relu(x − y)', () => {
    expect(evalAll(T.addition(), grid)).toEqual(run(() => tf.add(X(), Y())));
    expect(evalAll(T.multiplication(), grid)).toEqual(run(() => tf.mul(X(), Y())));
    expect(evalAll(T.truncatedSubtraction(), grid)).toEqual(run(() => tf.relu(tf.sub(X(), Y()))));
  });
  it('predecessor = tf.maximum(x − 1, 0)', () => {
    expect(xs.map((x) => T.evaluate(T.predecessor(), [x]))).toEqual(run(() => tf.maximum(tf.sub(tf.tensor1d(xs, 'int32'), 1), 0)));
  });
  it('div = tf.floorDiv for y ≥ 1', () => {
    const g = grid.filter((p) => p[1] > 0);
    expect(evalAll(T.div(), g)).toEqual(run(() => tf.floorDiv(tf.tensor1d(g.map((p) => p[0]), 'int32'), tf.tensor1d(g.map((p) => p[1]), 'int32'))));
  });
});

describe("the deck's definitions as relations over random terms", () => {
  const k02 = fc.integer({ min: 0, max: 2 });
  it('composition: h ∘ (g_1 … g_m)(x) = h(g_1(x), …, g_m(x))', () => {
    const arb = fc.tuple(k02, fc.integer({ min: 1, max: 3 })).chain(([k, m]) => fc.tuple(termOf(m, 1), fc.array(termOf(k, 1), { minLength: m, maxLength: m }), fc.array(nat(4), { minLength: k, maxLength: k })));
    fc.assert(fc.property(arb, ([h, g, x]) => {
      fc.pre(typeof cost({ op: 'comp', h, g }, x) === 'number');
      expect(T.evaluate({ op: 'comp', h, g }, x)).toBe(T.evaluate(h, g.map((gj) => T.evaluate(gj, x))));
    }), { numRuns: 60 });
  });
  it('primitive recursion: f(0, x) = g(x) and f(y + 1, x) = h(y, f(y, x), x)', () => {
    const arb = k02.chain((k) => fc.tuple(termOf(k, 1), termOf(k + 2, 1), nat(4), fc.array(nat(4), { minLength: k, maxLength: k })));
    fc.assert(fc.property(arb, ([g, h, y, x]) => {
      const f: T.Term = { op: 'rho', g, h };
      fc.pre(typeof cost(f, [y + 1, ...x]) === 'number');
      expect(T.evaluate(f, [0, ...x])).toBe(T.evaluate(g, x));
      expect(T.evaluate(f, [y + 1, ...x])).toBe(T.evaluate(h, [y, T.evaluate(f, [y, ...x]), ...x]));
    }), { numRuns: 60 });
  });
  it('minimisation: μ(f)(x) = z has f(z, x) = 0 and f(i, x) > 0 for i < z; otherwise an Error naming evaluate', () => {
    const arb = k02.chain((k) => fc.tuple(termOf(k + 1, 1), termOf(k, 0), fc.array(nat(4), { minLength: k, maxLength: k })));
    let errors = 0;
    fc.assert(fc.property(arb, ([f, bound, x]) => {
      const b = cost(bound, x);
      fc.pre(typeof b === 'number' && Array.from({ length: b + 1 }, (_, z) => cost(f, [z, ...x])).every((v) => typeof v === 'number'));
      const fz = Array.from({ length: (b as number) + 1 }, (_, z) => T.evaluate(f, [z, ...x]));
      const witness = fz.indexOf(0);
      if (witness < 0) {
        errors++;
        expect(() => T.evaluate({ op: 'mu', f, bound }, x)).toThrow(/^evaluate: μ\(f\).* has no z ≤ bound/);
      } else expect(T.evaluate({ op: 'mu', f, bound }, x)).toBe(witness);
    }), { numRuns: 80 });
    expect(errors).toBeGreaterThan(0); // the inputs reach the case without a witness
  });
  it("the reference agrees with the grader's separately written step counter on random terms", () => {
    const arb = k02.chain((k) => fc.tuple(termOf(k, 3), fc.array(nat(4), { minLength: k, maxLength: k })));
    fc.assert(fc.property(arb, ([t, x]) => {
      const v = cost(t, x);
      fc.pre(typeof v === 'number');
      expect(T.evaluate(t, x)).toBe(v);
    }), { numRuns: 150 });
  });
});

describe('fixtures (the deck)', () => {
  it(`${deckUnrolled.id}: f(5, 0 … 3) = 0, 5, 10, 15 with g = 0 and h = z + x`, () => {
    expect([0, 1, 2, 3].map((y) => T.evaluate(deckUnrolled.input.term, [y, 5]))).toEqual(deckUnrolled.trace);
    expect(T.evaluate(deckUnrolled.input.term, deckUnrolled.input.args)).toBe(deckUnrolled.expected);
  });
  it(`${divExamples.id}: the integer portion of x/y, by the reference's div and the fixtures' hand-written DIV`, () => {
    expect(evalAll(T.div(), divExamples.input.pairs)).toEqual(divExamples.expected);
    expect(evalAll(DIV, divExamples.input.pairs)).toEqual(divExamples.expected);
  });
  it(`${divByZero.id}: div(x, 0) is an Error naming evaluate (μ finds no z ≤ x)`, () => {
    for (const x of divByZero.input.x) expect(() => T.evaluate(T.div(), [x, 0])).toThrow(new RegExp(`^evaluate: μ\\(f\\)\\(${x}, 0\\) has no z ≤ bound = ${x}`));
  });
  it('the hand-written terms of the fixtures compute x + y, x·y, x ∸ 1, x ∸ y', () => {
    const g = [[0, 0], [3, 4], [9, 2], [2, 9], [7, 7]];
    expect(evalAll(ADD, g)).toEqual([0, 7, 11, 11, 14]);
    expect(evalAll(MUL, g)).toEqual([0, 12, 18, 18, 49]);
    expect(evalAll(MONUS, g)).toEqual([0, 0, 7, 0, 0]);
    expect([0, 1, 8].map((x) => T.evaluate(PRED, [x]))).toEqual([0, 0, 7]);
  });
});

describe('terms built only from the primitives', () => {
  const builders = { addition: [T.addition, 2], multiplication: [T.multiplication, 2], predecessor: [T.predecessor, 1], truncatedSubtraction: [T.truncatedSubtraction, 2], div: [T.div, 2] } as const;
  for (const [name, [build, k]] of Object.entries(builders)) {
    it(`${name}() has arity ${k} and only const, succ, proj, comp, rho, mu nodes (the grader's termArity accepts it)`, () => {
      expect(termArity(build())).toBe(k);
      expect(new Set(ops(build()))).toSatisfy((s: Set<string>) => [...s].every((op) => ['const', 'succ', 'proj', 'comp', 'rho', 'mu'].includes(op)));
    });
  }
  it('only div uses μ; the others are primitive recursive without it', () => {
    expect(Object.entries(builders).filter(([, [b]]) => ops(b()).includes('mu')).map(([n]) => n)).toEqual(['div']);
  });
  it("the grader's termArity rejects a node that is not primitive and a negative constant", () => {
    expect(() => termArity({ op: 'add' })).toThrow(/op "add": only const, succ, proj, comp, rho, mu are primitive/);
    expect(() => termArity({ op: 'rho', g: { op: 'const', n: -1, k: 0 }, h: { op: 'proj', i: 1, k: 2 } })).toThrow(/term\.g is a constant with n = -1/);
  });
});

describe('steps, validation and purity', () => {
  it('add(3, 4) takes 7 steps (P_1 once, then S ∘ P_2 three times): maxSteps = 7 passes, 6 is an Error naming evaluate', () => {
    expect(T.evaluate(ADD, [3, 4], 7)).toBe(7);
    expect(() => T.evaluate(ADD, [3, 4], 6)).toThrow(/^evaluate: more than maxSteps = 6 steps/);
  });
  it('mul(400, 400) with maxSteps = 1000 stops with an Error, and the default limit is 1,000,000', () => {
    expect(() => T.evaluate(T.multiplication(), [400, 400], 1000)).toThrow(/^evaluate: more than maxSteps = 1000 steps/);
    expect(T.MAX_STEPS).toBe(1_000_000);
    expect(() => T.evaluate(T.multiplication(), [1000, 1000])).toThrow(/maxSteps = 1000000/);
  });
  const bad: [string, unknown, unknown[], RegExp][] = [
    ['P_0', { op: 'proj', i: 0, k: 3 }, [1, 2, 3], /^evaluate: argument 'term\.i' must be 1 … 3 \(P_i is 1-based/],
    ['P_4 of 3', { op: 'proj', i: 4, k: 3 }, [1, 2, 3], /^evaluate: argument 'term\.i' must be 1 … 3/],
    ['h of the wrong arity', { op: 'comp', h: ADD, g: [{ op: 'proj', i: 1, k: 2 }] }, [1, 2], /^evaluate: argument 'term\.h' takes 2 argument\(s\) but h ∘ \(g_1 … g_m\) gives it m = 1/],
    ['g_j of different arities', { op: 'comp', h: ADD, g: [{ op: 'proj', i: 1, k: 2 }, { op: 'proj', i: 1, k: 1 }] }, [1, 2], /^evaluate: argument 'term\.g\[1\]' takes 1 argument\(s\) where g_1 takes 2/],
    ['ρ with h of arity 2', { op: 'rho', g: { op: 'proj', i: 1, k: 1 }, h: { op: 'proj', i: 1, k: 2 } }, [1, 2], /^evaluate: argument 'term\.h' takes 2 argument\(s\); ρ\(g, h\) with g of arity 1 needs .* of arity 3/],
    ['μ with f of arity 1', { op: 'mu', f: { op: 'proj', i: 1, k: 1 }, bound: { op: 'const', n: 3, k: 1 } }, [1], /^evaluate: argument 'term\.f' takes 1 argument\(s\); μ\(f\) with a bound of arity 1/],
    ['an unknown op', { op: 'add' }, [1, 2], /^evaluate: argument 'term\.op' must be one of const, succ, proj, comp, rho, mu; got "add"/],
    ['a negative constant', { op: 'const', n: -1, k: 0 }, [], /^evaluate: argument 'term\.n' \(the value of a constant\) must be a natural number; got -1/],
    ['too few arguments', ADD, [1], /^evaluate: argument 'args' must hold 2 number\(s\), the arity of the term; got 1/],
    ['a negative argument', ADD, [1, -2], /^evaluate: argument 'args\[1\]' must be a natural number/],
    ['a fractional argument', T.predecessor(), [1.5], /^evaluate: argument 'args\[0\]' must be a natural number/],
  ];
  for (const [what, t, x, re] of bad) it(`${what}: ${re.source.slice(1, 40)}…`, () => expect(() => T.evaluate(t as T.Term, x as number[])).toThrow(re));
  it('evaluate leaves its term and arguments unchanged, and the builders return new terms', () => {
    const t = T.div();
    const before = JSON.stringify(t);
    const x = [9, 2];
    expect(T.evaluate(Object.freeze(t), Object.freeze(x) as number[])).toBe(4);
    expect(JSON.stringify(t)).toBe(before);
    expect(T.div()).not.toBe(T.div());
  });
});
