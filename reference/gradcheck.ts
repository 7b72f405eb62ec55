/**
 * S. Numerical verification — catalogue family S (S1–S5): a tool for students and for the specs.
 *
 * Everything is float64. Central differences have truncation error ~h²·|f'''|/6 and rounding
 * error ~ε·|f|/h; h = 1e−5 balances the two for well-scaled f, giving ~1e−10 relative
 * agreement with the true derivative. The usual bar for a correct float64 gradient is a
 * relative error of about 1e−7 or less; near kinks (relu, max, |x|) expect far worse.
 *
 * symbol   id     shape    meaning
 * f        f      —        function under test
 * h        h      number   finite-difference step
 * v        v      [n]      direction of a directional check
 * J        J      [m, n]   Jacobian, J_ki = ∂f_k/∂x_i (rows = outputs)
 */
import {
  ArgumentError,
  assertFunction,
  assertInRange,
  assertMatrix,
  assertNumber,
  assertSameLength,
  assertVector,
  type Matrix,
  type Vector,
} from './tensor.ts';

/** The default step: central differences in float64 are most accurate near h ≈ 1e−5. */
export const DEFAULT_H = 1e-5;

function evaluate(fn: string, f: (x: Vector) => number, x: Vector): number {
  const y = f(x);
  if (typeof y !== 'number' || !Number.isFinite(y)) {
    throw new ArgumentError(fn, 'f', `must return a finite number; returned ${String(y)} at x = [${x.join(', ')}]`);
  }
  return y;
}

/** S1 — f'(x) ≈ (f(x + h) − f(x − h)) / 2h for a scalar function. */
export function centralDifference(f: (x: number) => number, x: number, h: number = DEFAULT_H): number {
  assertFunction('centralDifference', 'f', f);
  assertNumber('centralDifference', 'x', x);
  assertInRange('centralDifference', 'h', h, 0, 1, true);
  const g = (v: Vector) => f(v[0]);
  return (evaluate('centralDifference', g, [x + h]) - evaluate('centralDifference', g, [x - h])) / (2 * h);
}

/** S1 — ∂f/∂x_i ≈ (f(x + h·e_i) − f(x − h·e_i)) / 2h for every coordinate i (2n evaluations). */
export function numericalGradient(f: (x: Vector) => number, x: Vector, h: number = DEFAULT_H): Vector {
  assertFunction('numericalGradient', 'f', f);
  assertVector('numericalGradient', 'x', x);
  assertInRange('numericalGradient', 'h', h, 0, 1, true);
  return x.map((_, i) => {
    const plus = x.slice();
    const minus = x.slice();
    plus[i] += h;
    minus[i] -= h;
    return (evaluate('numericalGradient', f, plus) - evaluate('numericalGradient', f, minus)) / (2 * h);
  });
}

/**
 * S2 — relative error max_i |a_i − b_i| / max(|a_i|, |b_i|), taking 0/0 = 0 (both exactly zero).
 * Scale-free: 1e−7 means about seven agreeing digits whatever the magnitude.
 */
export function relativeError(a: Vector, b: Vector): number {
  assertSameLength('relativeError', 'a', a, 'b', b);
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    const scale = Math.max(Math.abs(a[i]), Math.abs(b[i]));
    if (scale > 0) worst = Math.max(worst, Math.abs(a[i] - b[i]) / scale);
  }
  return worst;
}

/** S1+S2 — relative error between a claimed gradient and the central-difference gradient of f at x. */
export function gradientCheck(f: (x: Vector) => number, grad: Vector, x: Vector, h: number = DEFAULT_H): number {
  assertSameLength('gradientCheck', 'x', x, 'grad', grad);
  return relativeError(grad, numericalGradient(f, x, h));
}

/** S3 — vᵀ∇f(x) ≈ (f(x + hv) − f(x − hv)) / 2h: two evaluations whatever the dimension. */
export function directionalDerivative(f: (x: Vector) => number, x: Vector, v: Vector, h: number = DEFAULT_H): number {
  assertFunction('directionalDerivative', 'f', f);
  assertSameLength('directionalDerivative', 'x', x, 'v', v);
  assertInRange('directionalDerivative', 'h', h, 0, 1, true);
  const plus = x.map((xi, i) => xi + h * v[i]);
  const minus = x.map((xi, i) => xi - h * v[i]);
  return (evaluate('directionalDerivative', f, plus) - evaluate('directionalDerivative', f, minus)) / (2 * h);
}

/**
 * S3 — checks a claimed gradient along one direction v (a random projection): compares the
 * analytic vᵀ·grad with the numerical directional derivative. O(1) evaluations instead of 2n,
 * and a wrong gradient is caught unless v happens to be orthogonal to the error.
 */
export function directionalCheck(
  f: (x: Vector) => number,
  grad: Vector,
  x: Vector,
  v: Vector,
  h: number = DEFAULT_H,
): { analytic: number; numeric: number; relError: number } {
  assertSameLength('directionalCheck', 'x', x, 'grad', grad);
  const numeric = directionalDerivative(f, x, v, h);
  const analytic = grad.reduce((s, gi, i) => s + gi * v[i], 0);
  return { analytic, numeric, relError: relativeError([analytic], [numeric]) };
}

/** S4 — J_ki ≈ (f_k(x + h·e_i) − f_k(x − h·e_i)) / 2h, built column by column (rows = outputs). */
export function numericalJacobian(f: (x: Vector) => Vector, x: Vector, h: number = DEFAULT_H): Matrix {
  assertFunction('numericalJacobian', 'f', f);
  assertVector('numericalJacobian', 'x', x);
  assertInRange('numericalJacobian', 'h', h, 0, 1, true);
  const columns = x.map((_, i) => {
    const plus = x.slice();
    const minus = x.slice();
    plus[i] += h;
    minus[i] -= h;
    const fp = f(plus);
    const fm = f(minus);
    assertVector('numericalJacobian', 'f(x)', fp);
    assertVector('numericalJacobian', 'f(x)', fm, fp.length);
    return fp.map((v, k) => (v - fm[k]) / (2 * h));
  });
  return columns[0].map((_, k) => columns.map((col) => col[k]));
}

/** S4 — relative error between a claimed Jacobian J [m × n] and the numerical one. */
export function jacobianCheck(f: (x: Vector) => Vector, J: Matrix, x: Vector, h: number = DEFAULT_H): number {
  assertVector('jacobianCheck', 'x', x);
  const numeric = numericalJacobian(f, x, h);
  assertMatrix('jacobianCheck', 'J', J, numeric.length, x.length);
  return relativeError(J.flat(), numeric.flat());
}

/**
 * S5 — checks a hand-derived derivative f' of a scalar f at the given points: the largest
 * relative error between f'(x) and the central difference of f. (The CLI's
 * `dlgrade derivative` pairs this with mathjs's symbolic derivative.)
 */
export function derivativeCheck(
  f: (x: number) => number,
  fPrime: (x: number) => number,
  points: Vector,
  h: number = DEFAULT_H,
): number {
  assertFunction('derivativeCheck', 'fPrime', fPrime);
  assertVector('derivativeCheck', 'points', points);
  const claimed = points.map((x) => fPrime(x));
  assertVector('derivativeCheck', "fPrime's values", claimed);
  return relativeError(claimed, points.map((x) => centralDifference(f, x, h)));
}
