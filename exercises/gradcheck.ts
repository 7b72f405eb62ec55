/**
 * S. Numerical verification — catalogue family S (S1–S5). Implement these, then use them on
 * every derivative you write in the other families: a gradient you have checked numerically is
 * a gradient the grader will accept.
 *
 * symbol   id     shape    meaning
 * f        f      —        function under test
 * h        h      number   finite-difference step (default 1e−5, float64)
 * v        v      [n]      direction of a directional check
 * J        J      [m, n]   Jacobian, J_ki = ∂f_k/∂x_i (rows = outputs)
 *
 * Rules of thumb: relative error ≲ 1e−7 means the gradient is right; ≳ 1e−2 means it is wrong;
 * in between, look for kinks (relu, max, |x|) near your point.
 *
 * Every function returns new values and leaves its arguments unchanged: a call that writes into
 * one fails its check (even when it puts the value back by arithmetic: x + h − h is not always x).
 */
import { NotImplemented } from './not-implemented.ts';
import type { Matrix, Vector } from './tensor.ts';

/** The default step for float64 central differences. */
export const DEFAULT_H = 1e-5;

/** S1 — f'(x) ≈ (f(x + h) − f(x − h)) / 2h for a scalar function. */
export function centralDifference(f: (x: number) => number, x: number, h: number = DEFAULT_H): number {
  throw new NotImplemented('S1 centralDifference');
}

/** S1 — ∂f/∂x_i ≈ (f(x + h·e_i) − f(x − h·e_i)) / 2h for every coordinate i; do not modify x. */
export function numericalGradient(f: (x: Vector) => number, x: Vector, h: number = DEFAULT_H): Vector {
  throw new NotImplemented('S1 numericalGradient');
}

/** S2 — max_i |a_i − b_i| / max(|a_i|, |b_i|), with 0/0 taken as 0 (both entries exactly zero). */
export function relativeError(a: Vector, b: Vector): number {
  throw new NotImplemented('S2 relativeError');
}

/** S1+S2 — relative error between a claimed gradient and the numerical gradient of f at x. */
export function gradientCheck(f: (x: Vector) => number, grad: Vector, x: Vector, h: number = DEFAULT_H): number {
  throw new NotImplemented('S2 gradientCheck');
}

/** S3 — vᵀ∇f(x) ≈ (f(x + hv) − f(x − hv)) / 2h: two evaluations of f, whatever the dimension. */
export function directionalDerivative(f: (x: Vector) => number, x: Vector, v: Vector, h: number = DEFAULT_H): number {
  throw new NotImplemented('S3 directionalDerivative');
}

/** S3 — compares vᵀ·grad (analytic) with the numerical directional derivative along v. */
export function directionalCheck(
  f: (x: Vector) => number,
  grad: Vector,
  x: Vector,
  v: Vector,
  h: number = DEFAULT_H,
): { analytic: number; numeric: number; relError: number } {
  throw new NotImplemented('S3 directionalCheck');
}

/** S4 — numerical Jacobian J_ki = ∂f_k/∂x_i, built column by column (rows = outputs). */
export function numericalJacobian(f: (x: Vector) => Vector, x: Vector, h: number = DEFAULT_H): Matrix {
  throw new NotImplemented('S4 numericalJacobian');
}

/** S4 — relative error between a claimed Jacobian J [m × n] and the numerical one. */
export function jacobianCheck(f: (x: Vector) => Vector, J: Matrix, x: Vector, h: number = DEFAULT_H): number {
  throw new NotImplemented('S4 jacobianCheck');
}

/** S5 — the largest relative error between a hand-derived f'(x) and the central difference of f over the points. */
export function derivativeCheck(f: (x: number) => number, fPrime: (x: number) => number, points: Vector, h: number = DEFAULT_H): number {
  throw new NotImplemented('S5 derivativeCheck');
}
