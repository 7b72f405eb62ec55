/**
 * T. Computability interlude — catalogue family T (T1–T6): the primitive recursive functions of
 * the Bishop-notation deck, as terms (plain data) and an evaluator. Implement each function below.
 *
 * term                               deck                               arity
 * { op: 'const', n, k }              f(x_1, …, x_k) = n                 k (k ≥ 0, n ≥ 0)
 * { op: 'succ' }                     f(x) = x + 1                       1
 * { op: 'proj', i, k }               P_i(x_1, …, x_k) = x_i (1-based)   k (1 ≤ i ≤ k)
 * { op: 'comp', h, g: [g_1…g_m] }    h ∘ (g_1, …, g_m)                  k of every g_j (m ≥ 1, h of arity m)
 * { op: 'rho', g, h }                ρ(g, h) = f(y, x_1, …, x_k)        k + 1 (g of arity k, h of arity k + 2)
 * { op: 'mu', f, bound }             μ(f), searching z = 0 … bound(x)   k (f of arity k + 1, bound of arity k)
 *
 * Conventions the grader holds you to:
 * - every function returns new values and leaves its arguments unchanged;
 * - numbers are natural numbers (integers ≥ 0): a constant's n and k, a projection's i and k,
 *   and every argument and value;
 * - projections are 1-based, as in the deck: P_1(x_1, …, x_k) = x_1;
 * - ρ(g, h) recurses on its first argument: f(0, x) = g(x), f(y + 1, x) = h(y, f(y, x), x);
 * - μ(f)(x) is the least z with f(z, x) = 0, searching z = 0, 1, …, bound(x) (bound(x) included);
 * - the terms the builders return use the six node kinds of the table and nothing else (no other
 *   op, no other fields the grader must understand), so that any correct evaluator computes them;
 * - the grader evaluates the builders' terms at arguments up to 200 (up to 40 for multiplication
 *   and div) with maxSteps = 10,000,000: the deck's constructions take far fewer steps.
 */
import { NotImplemented } from './not-implemented.ts';

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

/**
 * T1 — the value of term at args: const n, succ x + 1, proj x_i, comp h(g_1(x), …, g_m(x)),
 * rho by f(0, x) = g(x) and f(y + 1, x) = h(y, f(y, x), x), mu the least z ≤ bound(x) with f(z, x) = 0.
 * These are Errors naming evaluate: a μ with no z ≤ bound(x) where f(z, x) = 0 (never return the
 * bound or anything else); an ill-formed term (an unknown op, a projection index outside 1 … k,
 * a composition whose h does not take m arguments or whose g_j differ in arity, a ρ whose h does
 * not take k + 2 arguments, a μ whose f does not take one more argument than its bound); args
 * whose length is not the term's arity.
 * Count a step for every application of const, succ or proj; an evaluation that needs more than
 * maxSteps steps is an Error naming evaluate. The grader checks this only with terms that need at
 * least 100 times maxSteps or at most a hundredth of it, so your count may differ a little.
 */
export function evaluate(term: Term, args: number[], maxSteps: number = MAX_STEPS): number {
  throw new NotImplemented('T1 evaluate');
}

/** T2 — the term of addition, arity 2: (x, y) ↦ x + y, built from the six node kinds only. */
export function addition(): Term {
  throw new NotImplemented('T2 addition');
}

/** T3 — the term of multiplication, arity 2: (x, y) ↦ x·y, built from the six node kinds only. */
export function multiplication(): Term {
  throw new NotImplemented('T3 multiplication');
}

/** T4 — the term of the predecessor, arity 1: x ↦ x − 1 for x ≥ 1, and 0 ↦ 0. */
export function predecessor(): Term {
  throw new NotImplemented('T4 predecessor');
}

/** T5 — the term of truncated subtraction, arity 2: (x, y) ↦ x − y when x ≥ y, else 0 (never negative). */
export function truncatedSubtraction(): Term {
  throw new NotImplemented('T5 truncatedSubtraction');
}

/**
 * T6 — the term of div, arity 2: (x, y) ↦ the integer portion of x/y (⌊x/y⌋, rounded down) for
 * y ≠ 0; at y = 0 div is undefined, and evaluating your term there must be an Error naming
 * evaluate (μ finding no z within its bound does that).
 */
export function div(): Term {
  throw new NotImplemented('T6 div');
}
