/**
 * T. Computability interlude — catalogue family T: the primitive recursive functions of [Tu]
 * (the Bishop-notation deck's slides "Basic functions: constant, successor, projection",
 * "Composition operator", "Primitive recursion operator", "Minimization operator" and div).
 * The catalogue lists T as one row; the ids used here split it: T1 the basic functions and the
 * three operators (one evaluator), T2 addition, T3 multiplication, T4 predecessor, T5 truncated
 * subtraction, T6 div.
 *
 * A function is a term: plain data (it crosses the grader's process boundary, where functions
 * cannot), built from six node kinds and nothing else, in the deck's notation:
 *
 * term                               deck                               arity
 * { op: 'const', n, k }              f(x_1, …, x_k) = n                 k (k ≥ 0, n ≥ 0)
 * { op: 'succ' }                     f(x) = x + 1                       1
 * { op: 'proj', i, k }               P_i(x_1, …, x_k) = x_i (1-based)   k (1 ≤ i ≤ k)
 * { op: 'comp', h, g: [g_1…g_m] }    h ∘ (g_1, …, g_m)                  k of every g_j (m ≥ 1, h of arity m)
 * { op: 'rho', g, h }                ρ(g, h) = f(y, x_1, …, x_k)        k + 1 (g of arity k, h of arity k + 2)
 * { op: 'mu', f, bound }             μ(f), searching z = 0 … bound(x)   k (f of arity k + 1, bound of arity k)
 *
 * ρ(g, h): f(0, x) = g(x), f(y + 1, x) = h(y, f(y, x), x) — the recursion variable comes first,
 * as on the "Primitive recursion operator" slide. (The slide after div unrolls the other order,
 * f(x, y + 1) = h(x, y, f(x, y)): fixtures/recursion.fixtures.ts records it.)
 *
 * μ(f)(x) = z ⟺ f(z, x) = 0 and f(i, x) > 0 for i = 0 … z − 1 (the deck's "Minimization
 * operator"). The deck's μ is unbounded and partial; here it is bounded minimisation: the search
 * stops at z = bound(x), and when no z ≤ bound(x) has f(z, x) = 0 the evaluation is an Error
 * naming evaluate (where the deck's μ(f)(x) is undefined, or runs on beyond the bound). With
 * bound = P_1 the search covers every witness of div: div(x, y) ≤ x.
 *
 * Cost: evaluate counts steps, one per application of a basic function (const, succ, proj).
 * Every operator applies at least one per iteration, so the count bounds the work; past
 * maxSteps the evaluation is an Error naming evaluate. Multiplication by nested ρ takes O(x·y)
 * steps, div by μ O(x²) at least.
 *
 * Numbers are natural numbers (integers ≥ 0) throughout.
 */
import { ArgumentError } from './tensor.ts';

/** A primitive recursive function as data (see the table above). */
export type Term =
  | { op: 'const'; n: number; k: number }
  | { op: 'succ' }
  | { op: 'proj'; i: number; k: number }
  | { op: 'comp'; h: Term; g: Term[] }
  | { op: 'rho'; g: Term; h: Term }
  | { op: 'mu'; f: Term; bound: Term };

/** The default step limit of evaluate. */
export const MAX_STEPS = 1_000_000;

const isNatural = (x: unknown): x is number => typeof x === 'number' && Number.isSafeInteger(x) && x >= 0;
const show = (x: unknown) => (typeof x === 'number' ? String(x) : x === null ? 'null' : Array.isArray(x) ? 'an array' : typeof x);

/** The arity of a well-formed term; an ArgumentError of `fn` naming the path of the first fault. */
function arityOf(fn: string, t: unknown, at: string): number {
  if (t === null || typeof t !== 'object' || Array.isArray(t)) throw new ArgumentError(fn, at, `must be a term (an object with an op); got ${show(t)}`);
  const u = t as Record<string, unknown>;
  switch (u.op) {
    case 'const':
      if (!isNatural(u.n)) throw new ArgumentError(fn, `${at}.n`, `(the value of a constant) must be a natural number; got ${show(u.n)}`);
      if (!isNatural(u.k)) throw new ArgumentError(fn, `${at}.k`, `(the arity of a constant) must be a natural number; got ${show(u.k)}`);
      return u.k;
    case 'succ':
      return 1;
    case 'proj':
      if (!isNatural(u.k) || u.k < 1) throw new ArgumentError(fn, `${at}.k`, `(the arity of a projection) must be an integer ≥ 1; got ${show(u.k)}`);
      if (!isNatural(u.i) || u.i < 1 || u.i > u.k) throw new ArgumentError(fn, `${at}.i`, `must be 1 … ${u.k} (P_i is 1-based, as in the deck); got ${show(u.i)}`);
      return u.k;
    case 'comp': {
      if (!Array.isArray(u.g) || u.g.length === 0) throw new ArgumentError(fn, `${at}.g`, `must be a non-empty array of terms g_1 … g_m; got ${show(u.g)}`);
      const m = arityOf(fn, u.h, `${at}.h`);
      if (m !== u.g.length) throw new ArgumentError(fn, `${at}.h`, `takes ${m} argument(s) but h ∘ (g_1 … g_m) gives it m = ${u.g.length}`);
      const ks = u.g.map((gj, j) => arityOf(fn, gj, `${at}.g[${j}]`));
      const j = ks.findIndex((kj) => kj !== ks[0]);
      if (j > 0) throw new ArgumentError(fn, `${at}.g[${j}]`, `takes ${ks[j]} argument(s) where g_1 takes ${ks[0]}: every g_j of a composition takes the same x_1 … x_k`);
      return ks[0];
    }
    case 'rho': {
      const k = arityOf(fn, u.g, `${at}.g`);
      const kh = arityOf(fn, u.h, `${at}.h`);
      if (kh !== k + 2) throw new ArgumentError(fn, `${at}.h`, `takes ${kh} argument(s); ρ(g, h) with g of arity ${k} needs h(y, f(y, x), x_1 … x_${k}) of arity ${k + 2}`);
      return k + 1;
    }
    case 'mu': {
      const kf = arityOf(fn, u.f, `${at}.f`);
      const k = arityOf(fn, u.bound, `${at}.bound`);
      if (kf !== k + 1) throw new ArgumentError(fn, `${at}.f`, `takes ${kf} argument(s); μ(f) with a bound of arity ${k} needs f(z, x_1 … x_${k}) of arity ${k + 1}`);
      return k;
    }
    default:
      throw new ArgumentError(fn, `${at}.op`, `must be one of const, succ, proj, comp, rho, mu; got ${JSON.stringify(u.op)}`);
  }
}

/**
 * T1 — the value of a term at natural numbers args ([Tu] "Basic functions", "Composition
 * operator", "Primitive recursion operator", "Minimization operator"):
 * const: n; succ: x + 1; proj: x_i (1-based); comp: h(g_1(x), …, g_m(x));
 * rho: f(0, x) = g(x), f(y + 1, x) = h(y, f(y, x), x); mu: the least z ≤ bound(x) with
 * f(z, x) = 0, an Error naming evaluate when there is none.
 * An ill-formed term, args of the wrong length or not natural numbers, and an evaluation that
 * needs more than maxSteps applications of const, succ and proj are Errors naming evaluate.
 */
export function evaluate(term: Term, args: number[], maxSteps: number = MAX_STEPS): number {
  const k = arityOf('evaluate', term, 'term');
  if (!Array.isArray(args)) throw new ArgumentError('evaluate', 'args', `must be an array of natural numbers; got ${show(args)}`);
  if (args.length !== k) throw new ArgumentError('evaluate', 'args', `must hold ${k} number(s), the arity of the term; got ${args.length}`);
  args.forEach((a, j) => {
    if (!isNatural(a)) throw new ArgumentError('evaluate', `args[${j}]`, `must be a natural number (an integer ≥ 0); got ${show(a)}`);
  });
  if (!isNatural(maxSteps)) throw new ArgumentError('evaluate', 'maxSteps', `must be a natural number; got ${show(maxSteps)}`);

  let steps = 0;
  const step = () => {
    if (++steps > maxSteps) throw new Error(`evaluate: more than maxSteps = ${maxSteps} steps (applications of const, succ and proj); the term is too costly at these arguments`);
  };
  // recursive on the term (its depth is small), iterative in y and z (they can be large)
  const ev = (t: Term, x: number[]): number => {
    switch (t.op) {
      case 'const':
        step();
        return t.n;
      case 'succ':
        step();
        return x[0] + 1;
      case 'proj':
        step();
        return x[t.i - 1];
      case 'comp': {
        const gx = t.g.map((gj) => ev(gj, x));
        return ev(t.h, gx);
      }
      case 'rho': {
        const [y, ...rest] = x;
        let f = ev(t.g, rest); // f(0, x) = g(x)
        for (let i = 0; i < y; i++) f = ev(t.h, [i, f, ...rest]); // f(i + 1, x) = h(i, f(i, x), x)
        return f;
      }
      case 'mu': {
        const b = ev(t.bound, x);
        for (let z = 0; z <= b; z++) if (ev(t.f, [z, ...x]) === 0) return z;
        throw new Error(`evaluate: μ(f)(${x.join(', ')}) has no z ≤ bound = ${b} with f(z, ${x.length === 0 ? '' : `${x.join(', ')}`}) = 0 (minimisation undefined within the bound)`);
      }
    }
  };
  return ev(term, args);
}

// ---------------------------------------------------------------------------------------------
// term builders (plain data, so that a term reads as the deck writes it)

const C = (n: number, k: number): Term => ({ op: 'const', n, k });
const S: Term = { op: 'succ' };
const P = (i: number, k: number): Term => ({ op: 'proj', i, k });
const comp = (h: Term, ...g: Term[]): Term => ({ op: 'comp', h, g });
const rho = (g: Term, h: Term): Term => ({ op: 'rho', g, h });
const mu = (f: Term, bound: Term): Term => ({ op: 'mu', f, bound });

/**
 * T2 — addition (x, y) ↦ x + y = ρ(P_1, S ∘ P_2): add(0, x) = x, add(y + 1, x) = add(y, x) + 1
 * (recursion on the first argument; x + y = y + x).
 */
export function addition(): Term {
  return rho(P(1, 1), comp(S, P(2, 3)));
}

/**
 * T3 — multiplication (x, y) ↦ x·y = ρ(0, add ∘ (P_3, P_2)): mul(0, x) = 0,
 * mul(y + 1, x) = x + mul(y, x) (add recursing on x, not on the growing product: O(x·y) steps).
 */
export function multiplication(): Term {
  return rho(C(0, 1), comp(addition(), P(3, 3), P(2, 3)));
}

/** T4 — predecessor x ↦ x ∸ 1 = ρ(0, P_1): pred(0) = 0, pred(y + 1) = y. */
export function predecessor(): Term {
  return rho(C(0, 0), P(1, 2));
}

/**
 * T5 — truncated subtraction (x, y) ↦ x ∸ y = max(x − y, 0): sub'(y, x) = ρ(P_1, pred ∘ P_2)
 * (y predecessors of x), then x ∸ y = sub' ∘ (P_2, P_1).
 */
export function truncatedSubtraction(): Term {
  const subFlipped = rho(P(1, 1), comp(predecessor(), P(2, 3)));
  return comp(subFlipped, P(2, 2), P(1, 2));
}

/**
 * T6 — div (x, y) ↦ ⌊x/y⌋ for y ≠ 0, undefined for y = 0 ([Tu] after the "Minimization
 * operator"): the least z with (z + 1)·y > x, i.e. μ over f(z, x, y) = 1 ∸ ((z + 1)·y ∸ x),
 * searching z = 0 … x. For y = 0 no z has f = 0: evaluating div at y = 0 is μ's Error.
 */
export function div(): Term {
  const zPlus1TimesY = comp(multiplication(), comp(S, P(1, 3)), P(3, 3)); // (z + 1)·y
  const exceeds = comp(truncatedSubtraction(), zPlus1TimesY, P(2, 3)); // (z + 1)·y ∸ x: > 0 iff (z + 1)·y > x
  const f = comp(truncatedSubtraction(), C(1, 3), exceeds); // 1 ∸ that: 0 iff (z + 1)·y > x
  return mu(f, P(1, 2));
}
