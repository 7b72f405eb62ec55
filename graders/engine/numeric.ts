/**
 * Central differences for the graders' public checks ("your backward agrees with the numerical
 * derivative of your own forward"). The student package ships without reference/, so the
 * graders carry this small copy of catalogue S1/S3; specs/gradcheck.spec.ts holds it to the
 * reference. The function under test may live in the student process, hence async.
 */

/** Step for float64 central differences: truncation ~h², rounding ~ε/h, balanced near 1e−5. */
export const H = 1e-5;

/** S1 — f'(x) ≈ (f(x+h) − f(x−h)) / 2h. */
export async function centralDifference(f: (x: number) => number | Promise<number>, x: number, h = H): Promise<number> {
  return ((await f(x + h)) - (await f(x - h))) / (2 * h);
}

/** S1 — ∇f(x) coordinate by coordinate. */
export async function numericalGradient(f: (x: number[]) => number | Promise<number>, x: number[], h = H): Promise<number[]> {
  const g: number[] = [];
  for (let i = 0; i < x.length; i++) {
    const plus = x.slice();
    const minus = x.slice();
    plus[i] += h;
    minus[i] -= h;
    g.push(((await f(plus)) - (await f(minus))) / (2 * h));
  }
  return g;
}

/** S3 — vᵀ∇f(x) ≈ (f(x + hv) − f(x − hv)) / 2h: two evaluations whatever the dimension. */
export async function directionalDerivative(
  f: (x: number[]) => number | Promise<number>,
  x: number[],
  v: number[],
  h = H,
): Promise<number> {
  const plus = x.map((xi, i) => xi + h * v[i]);
  const minus = x.map((xi, i) => xi - h * v[i]);
  return ((await f(plus)) - (await f(minus))) / (2 * h);
}
