/**
 * Family T (computability interlude): public checks. A student's function is a term (plain data)
 * and an evaluator, so the checks need no reference: the deck's defining equations are
 * relations between calls of the student's own evaluate (composition, ρ's two equations, μ's
 * least witness), hand-written terms (fixtures/recursion.fixtures.ts) have values known from
 * integer arithmetic, and a builder's term is checked twice: as data (only the six node kinds,
 * natural numbers, the right arity: `termArity` below, which evaluates nothing) and through the
 * student's evaluate against integer arithmetic. The hidden checks evaluate the builders' terms
 * with the reference evaluator.
 *
 * Random terms come from `termOf` (small arities, shallow, small constants) and are kept only
 * when `cost` — a step counter written here to choose inputs, never used as the expected value —
 * says they evaluate within STEPS/100 applications of the basic functions (the stub promises a hundredth of maxSteps).
 */
import fc from 'fast-check';
import { ADD, deckUnrolled, DIV, divByZero, divExamples, MONUS, MUL, PRED, type Term } from '../fixtures/recursion.fixtures.ts';
import { vectorOf } from './engine/arbitraries.ts';
import { callText, EXACT, example, expectArgumentError, expectClose, expectThat, property, PropertyFailure } from './engine/checks.ts';
import { StudentFault, type Check, type FamilyGrader, type StudentModule } from './engine/types.ts';

type S = StudentModule;

export const MISTAKES = {
  rhoOffByOne: 'ρ applies h once too often: f(0, x) must be g(x) itself, f(y, x) applies h exactly y times',
  muBound: 'μ returned the bound where no z ≤ bound(x) has f(z, x) = 0: that must be an Error',
  predNegative: 'predecessor(0) = −1: the predecessor of 0 is 0 (x ∸ 1)',
  monusNegative: 'x − y below 0: truncated subtraction stops at 0',
  divCeil: 'div rounded up: the integer portion of x/y is ⌊x/y⌋',
} as const;

/** The step limit the checks of evaluate pass: 100 times what the random terms they keep may need (`cost`). */
export const STEPS = 200_000;
/** The step limit with which the builders' terms are evaluated (the stub states it; the reference's div(40, 1) takes 20,421). */
export const BUILDER_STEPS = 10_000_000;

// ---------------------------------------------------------------------------------------------
// terms as data: the grader's own arity rule and step counter (no reference)

const OPS = ['const', 'succ', 'proj', 'comp', 'rho', 'mu'];
const natural = (x: unknown): x is number => typeof x === 'number' && Number.isSafeInteger(x) && x >= 0;

/** The arity of a well-formed term built from the six node kinds only; a PropertyFailure naming the first fault otherwise. */
export function termArity(t: unknown, at = 'term'): number {
  const fail = (why: string): never => {
    throw new PropertyFailure(`${at} ${why}`, 'a term of the six node kinds', t);
  };
  if (t === null || typeof t !== 'object' || Array.isArray(t)) return fail('is not a term (an object with an op)');
  const u = t as Record<string, unknown>;
  if (!OPS.includes(u.op as string)) return fail(`has op ${JSON.stringify(u.op)}: only ${OPS.join(', ')} are primitive`);
  const extra = Object.keys(u).filter((key) => !['op', ...({ const: ['n', 'k'], succ: [], proj: ['i', 'k'], comp: ['h', 'g'], rho: ['g', 'h'], mu: ['f', 'bound'] } as Record<string, string[]>)[u.op as string]].includes(key));
  if (extra.length > 0) return fail(`has field(s) ${extra.join(', ')} that a ${u.op} node does not have`);
  switch (u.op) {
    case 'const':
      if (!natural(u.n) || !natural(u.k)) return fail(`is a constant with n = ${String(u.n)}, k = ${String(u.k)}: both must be natural numbers`);
      return u.k;
    case 'succ':
      return 1;
    case 'proj':
      if (!natural(u.k) || !natural(u.i) || u.i < 1 || u.i > u.k) return fail(`is P_${String(u.i)} of arity ${String(u.k)}: 1 ≤ i ≤ k`);
      return u.k;
    case 'comp': {
      if (!Array.isArray(u.g) || u.g.length === 0) return fail('is a composition without g_1 … g_m');
      const m = termArity(u.h, `${at}.h`);
      const ks = u.g.map((g, j) => termArity(g, `${at}.g[${j}]`));
      if (m !== ks.length || ks.some((kj) => kj !== ks[0])) return fail(`is h ∘ (g_1 … g_m) with h of arity ${m}, m = ${ks.length} and g arities ${ks.join(', ')}`);
      return ks[0];
    }
    case 'rho': {
      const k = termArity(u.g, `${at}.g`);
      if (termArity(u.h, `${at}.h`) !== k + 2) return fail(`is ρ(g, h) with g of arity ${k} and h not of arity ${k + 2}`);
      return k + 1;
    }
    default: {
      const k = termArity(u.bound, `${at}.bound`);
      if (termArity(u.f, `${at}.f`) !== k + 1) return fail(`is μ(f) with a bound of arity ${k} and f not of arity ${k + 1}`);
      return k;
    }
  }
}

/**
 * Chooses inputs: the value of a well-formed term when it takes at most `limit` steps, 'undefined'
 * when a μ finds no witness, null when it costs more (counting as the stub does).
 */
export function cost(term: Term, args: number[], limit = STEPS / 100): number | 'undefined' | null {
  let steps = 0;
  class Stop {
    constructor(readonly why: 'undefined' | null) {}
  }
  const tick = () => {
    if (++steps > limit) throw new Stop(null);
  };
  const ev = (t: Term, x: number[]): number => {
    if (t.op === 'const') return tick(), t.n;
    if (t.op === 'succ') return tick(), x[0] + 1;
    if (t.op === 'proj') return tick(), x[t.i - 1];
    if (t.op === 'comp') {
      const gx = t.g.map((g) => ev(g, x));
      return ev(t.h, gx);
    }
    if (t.op === 'rho') {
      let f = ev(t.g, x.slice(1));
      for (let i = 0; i < x[0]; i++) f = ev(t.h, [i, f, ...x.slice(1)]);
      return f;
    }
    const b = ev(t.bound, x);
    for (let z = 0; z <= b; z++) if (ev(t.f, [z, ...x]) === 0) return z;
    throw new Stop('undefined');
  };
  try {
    return ev(term, args);
  } catch (e) {
    if (e instanceof Stop) return e.why;
    throw e;
  }
}

// ---------------------------------------------------------------------------------------------
// random terms

const termsOf = (m: number, t: fc.Arbitrary<Term>): fc.Arbitrary<Term[]> => fc.array(t, { minLength: m, maxLength: m });
const small = fc.integer({ min: 0, max: 4 });
const leafOf = (k: number): fc.Arbitrary<Term> =>
  fc.oneof(
    fc.integer({ min: 0, max: 3 }).map((n): Term => ({ op: 'const', n, k })),
    ...(k >= 1 ? [fc.integer({ min: 1, max: k }).map((i): Term => ({ op: 'proj', i, k }))] : []),
    ...(k === 1 ? [fc.constant<Term>({ op: 'succ' })] : []),
  );
/** A well-formed term of arity k, at most `depth` operators deep (constants 0 … 3, μ bounds leaves). */
export function termOf(k: number, depth: number): fc.Arbitrary<Term> {
  if (depth === 0) return leafOf(k);
  const sub = (kk: number) => termOf(kk, depth - 1);
  const comp = fc.integer({ min: 1, max: 3 }).chain((m) => fc.tuple(sub(m), termsOf(m, sub(k))).map(([h, g]): Term => ({ op: 'comp', h, g })));
  const rho = k >= 1 ? [{ weight: 2, arbitrary: fc.tuple(sub(k - 1), sub(k + 1)).map(([g, h]): Term => ({ op: 'rho', g, h })) }] : [];
  const mu = fc.tuple(sub(k + 1), leafOf(k)).map(([f, bound]): Term => ({ op: 'mu', f, bound }));
  return fc.oneof({ weight: 1, arbitrary: leafOf(k) }, { weight: 2, arbitrary: comp }, ...rho, { weight: 1, arbitrary: mu });
}
/** A term of arity 0 … 2 with arguments 0 … 4 at which it is defined and cheap. */
export const termAndArgs = (depth = 2): fc.Arbitrary<[Term, number[]]> =>
  fc.integer({ min: 0, max: 2 }).chain((k) => fc.tuple(termOf(k, depth), vectorOf(k, small))).filter(([t, x]) => typeof cost(t, x) === 'number');

async function valueOf(s: S, term: Term, args: number[]): Promise<number> {
  const r = await s.call('evaluate', [term, args, STEPS]);
  expectThat(natural(r), `${callText('evaluate', [term, args, STEPS])} must return a natural number`, r);
  return r as number;
}

// ---------------------------------------------------------------------------------------------
// T1 — evaluate

const P = (i: number, k: number): Term => ({ op: 'proj', i, k });
const C = (n: number, k: number): Term => ({ op: 'const', n, k });
/** Terms that are not well formed, each with why. */
const ILL_FORMED: [Term | Record<string, unknown>, number[], string][] = [
  [{ op: 'proj', i: 0, k: 3 }, [1, 2, 3], 'P_0: projections are 1-based, i = 1 … k'],
  [{ op: 'proj', i: 4, k: 3 }, [1, 2, 3], 'P_4 of arity 3: i > k'],
  [{ op: 'comp', h: ADD, g: [P(1, 2)] }, [1, 2], 'h ∘ (g_1) with h of arity 2: h must take m = 1 argument'],
  [{ op: 'comp', h: ADD, g: [P(1, 2), P(1, 1)] }, [1, 2], 'g_1 of arity 2 and g_2 of arity 1'],
  [{ op: 'rho', g: P(1, 1), h: P(1, 2) }, [1, 2], 'ρ(g, h) with g of arity 1 needs h of arity 3'],
  [{ op: 'mu', f: P(1, 1), bound: C(3, 1) }, [1], 'μ(f) with a bound of arity 1 needs f of arity 2'],
  [{ op: 'add', k: 2 }, [1, 2], 'add is not one of the six node kinds'],
  [ADD, [1], 'addition takes 2 arguments'],
  [{ op: 'succ' }, [1, 2], 'the successor takes 1 argument'],
];

const evaluateChecks: Check[] = [
  example({
    id: 'T1.evaluate.basic', exercise: 'evaluate', catalogue: 'T1',
    title: 'constants and the successor: f(1, 2, 3) = 5 for the constant 5 of arity 3, the constant 7 of arity 0 at (), S(4) = 5, S(0) = 1',
    hint: 'T1: f(x_1, …, x_k) = n, f(x) = x + 1 ([Tu] "Basic functions: constant, successor, projection")',
    verify: async (s) => {
      const cases: [Term, number[], number][] = [[C(5, 3), [1, 2, 3], 5], [C(7, 0), [], 7], [{ op: 'succ' }, [4], 5], [{ op: 'succ' }, [0], 1]];
      const got = [];
      for (const [t, x] of cases) got.push(await s.call('evaluate', [t, x, STEPS]));
      // EXACT: natural numbers, no rounding anywhere
      expectClose(got, cases.map((c) => c[2]), EXACT, 'evaluate of [const 5 (k = 3), const 7 (k = 0), succ at 4, succ at 0]');
    },
  }),
  example({
    id: 'T1.evaluate.projection', exercise: 'evaluate', catalogue: 'T1',
    title: 'P_1, P_2, P_3 of (7, 8, 9) are 7, 8, 9 and P_1 of (6) is 6 (1-based, as in the deck)',
    hint: 'T1: P_i(x_1, …, x_k) = x_i with i counted from 1 ([Tu] "Basic functions")',
    verify: async (s) => {
      const got = [];
      for (const i of [1, 2, 3]) got.push(await s.call('evaluate', [P(i, 3), [7, 8, 9], STEPS]));
      got.push(await s.call('evaluate', [P(1, 1), [6], STEPS]));
      // EXACT: natural numbers, no rounding anywhere
      expectClose(got, [7, 8, 9, 6], EXACT, 'evaluate of P_1, P_2, P_3 at (7, 8, 9) and P_1 at (6)');
    },
  }),
  example({
    id: 'T1.evaluate.examples', exercise: 'evaluate', catalogue: 'T1',
    title: 'hand-written terms: add(3, 4) = 7, mul(3, 4) = 12, pred(0) = 0, pred(5) = 4, 3 ∸ 5 = 0, 9 ∸ 4 = 5, div(7, 2) = 3, div(11, 4) = 2',
    hint: 'T1: composition, ρ and μ as the deck defines them, evaluated at small numbers (the terms are in the fixtures)',
    verify: async (s) => {
      const cases: [Term, number[], number][] = [[ADD, [3, 4], 7], [MUL, [3, 4], 12], [PRED, [0], 0], [PRED, [5], 4], [MONUS, [3, 5], 0], [MONUS, [9, 4], 5], [DIV, [7, 2], 3], [DIV, [11, 4], 2]];
      const got = [];
      for (const [t, x] of cases) got.push(await s.call('evaluate', [t, x, STEPS]));
      // EXACT: natural numbers, no rounding anywhere
      expectClose(got, cases.map((c) => c[2]), EXACT, 'evaluate of add(3, 4), mul(3, 4), pred(0), pred(5), 3 ∸ 5, 9 ∸ 4, div(7, 2), div(11, 4)');
    },
  }),
  example({
    id: 'T1.evaluate.deck-unrolled', exercise: 'evaluate', catalogue: 'T1',
    title: "the deck's unrolled f(x̄, 3) with g = 0, h = z + x at x̄ = 5: f(·, 0 … 3) = 0, 5, 10, 15",
    hint: 'T1: f(0, x) = g(x) and f(y + 1, x) = h(y, f(y, x), x): h is applied exactly y times ([Tu] "Primitive recursion operator")',
    verify: async (s) => {
      const got = [];
      for (const y of [0, 1, 2, 3]) got.push(await s.call('evaluate', [deckUnrolled.input.term, [y, 5], STEPS]));
      // EXACT: natural numbers, no rounding anywhere
      expectClose(got, deckUnrolled.trace, EXACT, 'evaluate of ρ(0, add ∘ (P_3, P_2)) at (0, 5) … (3, 5)', {
        // every ρ one step long, the inner add too: add(a, x) = x + a + 1, so f(y, 5) = f(y − 1, 5) + 6 from f(−1) = 0
        [MISTAKES.rhoOffByOne]: [6, 12, 18, 24],
      });
    },
  }),
  property({
    id: 'T1.evaluate.composition', exercise: 'evaluate', catalogue: 'T1', numRuns: 40,
    title: 'random h and g_1 … g_m: your evaluate(h ∘ (g_1 … g_m), x) = your evaluate(h, (g_1(x), …, g_m(x)))',
    hint: 'T1: h ∘ (g_1, …, g_m)(x) = h(g_1(x), …, g_m(x)) ([Tu] "Composition operator")',
    arbitrary: fc
      .tuple(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 1, max: 3 }))
      .chain(([k, m]) => fc.tuple(termOf(m, 1), termsOf(m, termOf(k, 1)), vectorOf(k, small)))
      .map(([h, g, x]): [Term, number[]] => [{ op: 'comp', h, g }, x])
      .filter(([t, x]) => typeof cost(t, x) === 'number'),
    verify: async ([t, x], s) => {
      if (t.op !== 'comp') return;
      const gx = [];
      for (const g of t.g) gx.push(await valueOf(s, g, x));
      // EXACT: natural numbers, no rounding anywhere
      expectClose(await valueOf(s, t, x), await valueOf(s, t.h, gx), EXACT, `your evaluate of the composition at (${x.join(', ')}) vs your h at your g_j values (${gx.join(', ')})`);
    },
  }),
  property({
    id: 'T1.evaluate.rho', exercise: 'evaluate', catalogue: 'T1', numRuns: 50,
    title: 'random g, h and y: your ρ(g, h) has f(0, x) = g(x) and f(y + 1, x) = h(y, f(y, x), x)',
    hint: 'T1: f(0, x) = g(x), f(y + 1, x) = h(y, f(y, x), x): the recursion variable comes first, h gets y (not y + 1) ([Tu] "Primitive recursion operator")',
    arbitrary: fc
      .integer({ min: 0, max: 2 })
      .chain((k) => fc.tuple(termOf(k, 1), termOf(k + 2, 1), fc.integer({ min: 0, max: 4 }), vectorOf(k, small)))
      .filter(([g, h, y, x]) => typeof cost({ op: 'rho', g, h }, [y + 1, ...x]) === 'number'),
    verify: async ([g, h, y, x], s) => {
      const f: Term = { op: 'rho', g, h };
      // EXACT: natural numbers, no rounding anywhere
      expectClose(await valueOf(s, f, [0, ...x]), await valueOf(s, g, x), EXACT, `f(0, ${x.join(', ')}) vs g(${x.join(', ')})`);
      const fy = await valueOf(s, f, [y, ...x]);
      expectClose(await valueOf(s, f, [y + 1, ...x]), await valueOf(s, h, [y, fy, ...x]), EXACT, `f(${[y + 1, ...x].join(', ')}) vs h(${[y, fy, ...x].join(', ')})`);
    },
  }),
  property({
    id: 'T1.evaluate.mu', exercise: 'evaluate', catalogue: 'T1', numRuns: 50,
    title: 'random f and bound: your μ(f)(x) = z has f(z, x) = 0, f(i, x) > 0 for i < z and z ≤ bound(x); an Error only when no such z exists',
    hint: 'T1: μ(f)(x) = z ⟺ f(z, x) = 0 and f(i, x) > 0 for i = 0 … z − 1, searching z = 0 … bound(x) ([Tu] "Minimization operator")',
    arbitrary: fc
      .integer({ min: 0, max: 2 })
      .chain((k) => fc.tuple(termOf(k + 1, 1), leafOf(k), vectorOf(k, small)))
      // f defined and cheap at every z the search may try: a throw of the student's μ then means "no witness"
      .filter(([f, bound, x]) => {
        const b = cost(bound, x);
        return typeof b === 'number' && Array.from({ length: b + 1 }, (_, z) => cost(f, [z, ...x])).every((v) => typeof v === 'number');
      })
      .map(([f, bound, x]): [Term, number[]] => [{ op: 'mu', f, bound }, x]),
    verify: async ([t, x], s) => {
      if (t.op !== 'mu') return;
      const b = await valueOf(s, t.bound, x);
      let z: number | null = null;
      try {
        z = await valueOf(s, t, x);
      } catch (e) {
        if (!(e instanceof StudentFault && e.kind === 'threw')) throw e;
      }
      const fs = [];
      for (let i = 0; i <= Math.min(z ?? b, b); i++) fs.push(await valueOf(s, t.f, [i, ...x]));
      const witness = fs.findIndex((v) => v === 0);
      if (z === null) expectThat(witness < 0, `your evaluate threw for μ(f)(${x.join(', ')}), but f(${[witness, ...x].join(', ')}) = 0 with ${witness} ≤ bound = ${b}`);
      // EXACT: natural numbers, no rounding anywhere
      else expectClose(z, witness, EXACT, `μ(f)(${x.join(', ')}) with your f(0 … ${Math.min(z, b)}, x) = ${fs.join(', ')} and bound ${b}`, { [MISTAKES.muBound]: b });
    },
  }),
  example({
    id: 'T1.evaluate.mu-no-witness', exercise: 'evaluate', catalogue: 'T1',
    title: 'μ(f) with f = 1 everywhere (bound 3) at (4), and the fixtures\' div at (5, 0): Errors naming evaluate',
    hint: 'T1: when no z ≤ bound(x) has f(z, x) = 0, μ(f)(x) is undefined: throw an Error naming evaluate, never return the bound',
    verify: async (s) => {
      await expectArgumentError(s, 'evaluate', [{ op: 'mu', f: C(1, 2), bound: C(3, 1) }, [4], STEPS], 'no z ≤ 3 has f(z, 4) = 0');
      await expectArgumentError(s, 'evaluate', [DIV, [5, 0], STEPS], 'div(5, 0) is undefined: (z + 1)·0 > 5 holds for no z');
    },
  }),
  example({
    id: 'T1.evaluate.ill-formed', exercise: 'evaluate', catalogue: 'T1',
    title: 'ill-formed terms and wrong argument counts (P_0, P_4 of 3, mismatched arities in ∘, ρ and μ, an unknown op): Errors naming evaluate',
    hint: 'T1: check the arities before evaluating: P_i needs 1 ≤ i ≤ k, h ∘ (g_1 … g_m) needs h of arity m and equal g arities, ρ(g, h) needs h of arity k + 2, μ(f) f of arity k + 1',
    verify: async (s) => {
      for (const [t, x, why] of ILL_FORMED) await expectArgumentError(s, 'evaluate', [t, x, STEPS], why);
    },
  }),
  example({
    id: 'T1.evaluate.step-limit', exercise: 'evaluate', catalogue: 'T1',
    title: 'mul(400, 400) with maxSteps = 1000 (some 480,000 steps) is an Error naming evaluate; add(3, 4) with maxSteps = 2000 (7 steps) is 7',
    hint: 'T1: count a step per application of const, succ or proj, and throw once the count passes maxSteps',
    verify: async (s) => {
      // EXACT: natural numbers, no rounding anywhere
      expectClose(await s.call('evaluate', [ADD, [3, 4], 2000]), 7, EXACT, 'evaluate(add, [3, 4], 2000)');
      await expectArgumentError(s, 'evaluate', [MUL, [400, 400], 1000], 'the evaluation needs far more than maxSteps = 1000 steps');
    },
  }),
];

// ---------------------------------------------------------------------------------------------
// T2 – T6 — the builders

interface Builder {
  name: 'addition' | 'multiplication' | 'predecessor' | 'truncatedSubtraction' | 'div';
  id: string;
  arity: number;
  /** the function in integer arithmetic (y > 0 for div) */
  value: (x: number[]) => number;
  what: string;
  args: fc.Arbitrary<number[]>;
  variants?: (x: number[]) => Record<string, number>;
}
export const BUILDERS: Builder[] = [
  { name: 'addition', id: 'T2', arity: 2, value: ([x, y]) => x + y, what: 'x + y', args: vectorOf(2, fc.integer({ min: 0, max: 15 })) },
  { name: 'multiplication', id: 'T3', arity: 2, value: ([x, y]) => x * y, what: 'x·y', args: vectorOf(2, fc.integer({ min: 0, max: 12 })) },
  { name: 'predecessor', id: 'T4', arity: 1, value: ([x]) => Math.max(x - 1, 0), what: 'x ∸ 1 (0 ↦ 0)', args: vectorOf(1, fc.integer({ min: 0, max: 30 })), variants: ([x]) => ({ [MISTAKES.predNegative]: x - 1 }) },
  { name: 'truncatedSubtraction', id: 'T5', arity: 2, value: ([x, y]) => Math.max(x - y, 0), what: 'x ∸ y = max(x − y, 0)', args: vectorOf(2, fc.integer({ min: 0, max: 15 })), variants: ([x, y]) => ({ [MISTAKES.monusNegative]: x - y }) },
  { name: 'div', id: 'T6', arity: 2, value: ([x, y]) => Math.floor(x / y), what: '⌊x/y⌋', args: fc.tuple(fc.integer({ min: 0, max: 20 }), fc.integer({ min: 1, max: 6 })).map(([x, y]) => [x, y]), variants: ([x, y]) => ({ [MISTAKES.divCeil]: Math.ceil(x / y) }) },
];

/** The builder's term, checked as data: the six node kinds only, natural numbers, the arity of the function. */
export async function builtTerm(s: S, b: Builder): Promise<Term> {
  const t = await s.call(b.name, []);
  const k = termArity(t, `${b.name}()`);
  expectThat(k === b.arity, `${b.name}() has arity ${k}; ${b.what} takes ${b.arity} argument(s)`, t);
  return t as Term;
}

const builderChecks: Check[] = BUILDERS.flatMap((b): Check[] => [
  example({
    id: `${b.id}.${b.name}.primitives`, exercise: b.name, catalogue: b.id,
    title: `${b.name}() is a term of arity ${b.arity} built only from const, succ, proj, comp, rho and mu (natural numbers, matching arities)`,
    hint: `${b.id}: write ${b.what} only from the basic functions and the three operators of the deck; no other op, no negative or fractional constants`,
    verify: async (s) => {
      await builtTerm(s, b);
    },
  }),
  property({
    id: `${b.id}.${b.name}.values`, exercise: b.name, catalogue: b.id, numRuns: 15,
    title: `your evaluate of your ${b.name}() at random (x${b.arity === 2 ? ', y' : ''}) is ${b.what}${b.name === 'div' ? ' (y ≥ 1)' : ''}`,
    hint: `${b.id}: ${b.what}; check your term with your evaluate at small numbers, 0 included`,
    arbitrary: fc.array(b.args, { minLength: 6, maxLength: 6 }),
    verify: async (xs, s) => {
      const t = await s.call(b.name, []); // as data it is the primitives check's concern: here only its values
      for (const x of xs) {
        const r = await s.call('evaluate', [t, x, BUILDER_STEPS]);
        expectClose(r, b.value(x), EXACT, `your evaluate(${b.name}(), [${x.join(', ')}])`, b.variants?.(x));
      }
    },
  }),
]);

const divZeroCheck: Check = example({
  id: 'T6.div.zero', exercise: 'div', catalogue: 'T6',
  title: `your div() at (${divByZero.input.x.join(', ')}) and y = 0: your evaluate throws an Error naming evaluate (div is undefined at y = 0)`,
  hint: 'T6: "div(x, y) … undefined if y = 0" ([Tu]): a μ that finds no witness within its bound is an Error',
  verify: async (s) => {
    const t = await builtTerm(s, BUILDERS[4]);
    for (const x of divByZero.input.x) await expectArgumentError(s, 'evaluate', [t, [x, 0], BUILDER_STEPS], `div(${x}, 0) is undefined`);
  },
});

const divDeckCheck: Check = example({
  id: 'T6.div.example', exercise: 'div', catalogue: 'T6',
  title: `the integer portion of x/y: div(${divExamples.input.pairs.map((p) => p.join(', ')).join('), (')}) = ${divExamples.expected.join(', ')}`,
  hint: 'T6: div(x, y) is the integer portion of x/y: rounded down, 5/7 gives 0 ([Tu] after the "Minimization operator")',
  verify: async (s) => {
    const t = await builtTerm(s, BUILDERS[4]);
    const got = [];
    for (const p of divExamples.input.pairs) got.push(await s.call('evaluate', [t, p, BUILDER_STEPS]));
    // EXACT: natural numbers, no rounding anywhere
    expectClose(got, divExamples.expected, EXACT, 'your evaluate of your div() at the pairs', { [MISTAKES.divCeil]: divExamples.input.pairs.map(([x, y]) => Math.ceil(x / y)) });
  },
});

export const recursion: FamilyGrader = {
  id: 'T',
  module: 'recursion',
  title: 'Computability interlude',
  exercises: [
    { name: 'evaluate', catalogue: 'T1', arity: 3, summary: 'the value of a const/succ/proj/comp/rho/mu term' },
    { name: 'addition', catalogue: 'T2', arity: 0, summary: 'the term of x + y' },
    { name: 'multiplication', catalogue: 'T3', arity: 0, summary: 'the term of x·y' },
    { name: 'predecessor', catalogue: 'T4', arity: 0, summary: 'the term of x ∸ 1' },
    { name: 'truncatedSubtraction', catalogue: 'T5', arity: 0, summary: 'the term of x ∸ y' },
    { name: 'div', catalogue: 'T6', arity: 0, summary: 'the term of ⌊x/y⌋, undefined at y = 0' },
  ],
  checks: [...evaluateChecks, ...builderChecks, divDeckCheck, divZeroCheck],
};
