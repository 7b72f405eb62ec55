/**
 * Family S (gradcheck): the reference checker against mathjs symbolic derivatives (S5 and the
 * "sym" oracle of S1), its evaluation counts (S3 costs O(1)), its properties, the graders' own
 * copy of S1/S3 (graders/engine/numeric.ts) held to it, and its input validation.
 */
import fc from 'fast-check';
import { derivative, parse } from 'mathjs';
import { describe, expect, it } from 'vitest';
import * as engine from '../graders/engine/numeric.ts';
import * as S from '../reference/gradcheck.ts';
import { expectAllClose } from './support/expect.ts';

/**
 * Central differences at h = 1e−5: truncation ≈ h²|f'''|/6 and rounding ≈ ε|f|/h, i.e. ~1e−10
 * relative for these well-scaled expressions at points where |f'| ≥ 0.05·(1 + |f|) (checked
 * with fc.pre). 1e−8 leaves two orders of margin.
 */
const CENTRAL_REL = 1e-8;

const expressions = ['sin(x) * exp(x / 3)', 'x^3 - 2 * x', 'log(1 + x^2)', 'tanh(2 * x) + x / 4', '1 / (1 + exp(-x))'];

describe('S1/S5 central differences vs mathjs symbolic derivatives', () => {
  for (const expr of expressions) {
    const f = parse(expr).compile();
    const df = derivative(expr, 'x').compile();
    const F = (x: number) => f.evaluate({ x }) as number;
    const dF = (x: number) => df.evaluate({ x }) as number;
    it(`d/dx ${expr}`, () =>
      fc.assert(fc.property(fc.double({ min: -2, max: 2, noNaN: true }), (x) => {
        fc.pre(Math.abs(dF(x)) >= 0.05 * (1 + Math.abs(F(x))));
        expect(S.relativeError([S.centralDifference(F, x)], [dF(x)])).toBeLessThan(CENTRAL_REL);
      })));
  }

  it("S5: derivativeCheck accepts mathjs's derivative and rejects a plausible wrong one", () => {
    const F = (x: number) => parse('x^2 * sin(x)').compile().evaluate({ x }) as number;
    const right = derivative('x^2 * sin(x)', 'x').compile();
    const wrong = parse('2 * x * cos(x)').compile(); // the product rule forgotten
    const points = [-1.7, -0.9, 0.4, 1.3, 2.1];
    expect(S.derivativeCheck(F, (x) => right.evaluate({ x }) as number, points)).toBeLessThan(CENTRAL_REL);
    expect(S.derivativeCheck(F, (x) => wrong.evaluate({ x }) as number, points)).toBeGreaterThan(0.1);
  });

  it('S1: numericalGradient = the mathjs partial derivatives of x·y² + sin(x·y)', () => {
    const expr = 'x * y^2 + sin(x * y)';
    const f = parse(expr).compile();
    const [dx, dy] = ['x', 'y'].map((v) => derivative(expr, v).compile());
    // on [0.5, 2]² the partials are rarely near 0; where they are, the rounding bound fails and the case is skipped
    const coordinate = fc.double({ min: 0.5, max: 2, noNaN: true });
    fc.assert(fc.property(coordinate, coordinate, (x, y) => {
      const exact = [dx.evaluate({ x, y }) as number, dy.evaluate({ x, y }) as number];
      fc.pre(exact.every((d) => Math.abs(d) >= 0.05 * (1 + Math.abs(f.evaluate({ x, y }) as number))));
      const g = S.numericalGradient(([a, b]) => f.evaluate({ x: a, y: b }) as number, [x, y]);
      expect(S.relativeError(g, exact)).toBeLessThan(CENTRAL_REL);
    }));
  });
});

describe('S1–S4: evaluation counts and properties', () => {
  const counted = <A, R>(f: (x: A) => R) => {
    const g = (x: A) => {
      g.calls++;
      return f(x);
    };
    g.calls = 0;
    return g;
  };
  const sinSum = (x: number[]) => x.reduce((s, xi, i) => s + Math.sin((i + 1) * xi) + 0.5 * xi * xi, 0);

  it('numericalGradient costs 2n evaluations, directionalDerivative 2 whatever n (S3)', () => {
    for (const n of [1, 5, 50]) {
      const x = Array.from({ length: n }, (_, i) => Math.cos(i));
      const f = counted(sinSum);
      S.numericalGradient(f, x);
      expect(f.calls).toBe(2 * n);
      const g = counted(sinSum);
      S.directionalDerivative(g, x, x.map((_, i) => (i % 2 ? 0.3 : -0.7)));
      expect(g.calls).toBe(2);
    }
  });

  it('S3: directionalDerivative = vᵀ·numericalGradient up to O(h²)', () =>
    fc.assert(fc.property(fc.array(fc.double({ min: -2, max: 2, noNaN: true }), { minLength: 1, maxLength: 8 }), (x) => {
      const v = x.map((_, i) => Math.sin(3 * i + 1));
      const projected = S.numericalGradient(sinSum, x).reduce((s, g, i) => s + g * v[i], 0);
      expectAllClose(S.directionalDerivative(sinSum, x, v), projected, { rtol: 1e-6, atol: 1e-8 });
    })));

  it('S3: directionalCheck accepts the true gradient and catches a wrong one along a random direction', () => {
    const x = [0.3, -1.1, 0.8];
    const grad = x.map((xi, i) => (i + 1) * Math.cos((i + 1) * xi) + xi);
    const v = [0.41, -0.77, 0.29];
    const good = S.directionalCheck(sinSum, grad, x, v);
    expect(good.relError).toBeLessThan(1e-8);
    expect(good.analytic).toBeCloseTo(grad.reduce((s, g, i) => s + g * v[i], 0), 14);
    const bad = S.directionalCheck(sinSum, grad.map((g, i) => (i === 1 ? -g : g)), x, v);
    expect(bad.relError).toBeGreaterThan(0.1);
  });

  it('S4: numericalJacobian of a linear map is the matrix (rows = outputs), and jacobianCheck scores it ~0', () =>
    fc.assert(fc.property(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 }), (m, n) => {
      const A = Array.from({ length: m }, (_, k) => Array.from({ length: n }, (_, i) => Math.sin(k * n + i + 1)));
      const f = (x: number[]) => A.map((row) => row.reduce((s, a, i) => s + a * x[i], 0));
      const x = Array.from({ length: n }, (_, i) => i - 1);
      expectAllClose(S.numericalJacobian(f, x), A, { rtol: 1e-9, atol: 1e-10 });
      expect(S.jacobianCheck(f, A, x)).toBeLessThan(1e-9);
    })));

  it('S2: relativeError is symmetric, scale-free, 0 on equal vectors (0/0 = 0) and at most 2', () =>
    fc.assert(fc.property(
      fc.array(fc.double({ min: -1e3, max: 1e3, noNaN: true }), { minLength: 1, maxLength: 6 }).chain((a) =>
        fc.tuple(fc.constant(a), fc.array(fc.double({ min: -1e3, max: 1e3, noNaN: true }), { minLength: a.length, maxLength: a.length }))),
      fc.constantFrom(-3, 0.5, 1e3),
      ([a, b], c) => {
        const r = S.relativeError(a, b);
        expect(r).toBe(S.relativeError(b, a));
        expect(r).toBeGreaterThanOrEqual(0);
        expect(r).toBeLessThanOrEqual(2);
        expect(S.relativeError(a, a)).toBe(0);
        fc.pre([...a, ...b].every((v) => v === 0 || Math.abs(v) > 1e-200));
        expectAllClose(S.relativeError(a.map((v) => c * v), b.map((v) => c * v)), r, { rtol: 1e-12, atol: 1e-15 });
      },
    )));
});

describe("the graders' own central differences (graders/engine/numeric.ts) agree with the reference", () => {
  const f = (x: number[]) => Math.log(1 + x.reduce((s, v, i) => s + (i + 1) * v * v, 0)) + x[0];
  it('S1 scalar and vector forms, S3 directional form, default and explicit h', async () => {
    for (const h of [undefined, 0.01]) {
      const x = [0.7, -0.2, 1.3];
      const v = [0.5, -0.3, 0.8];
      expect(await engine.centralDifference(Math.sin, 0.4, h)).toBe(S.centralDifference(Math.sin, 0.4, h));
      expect(await engine.numericalGradient(f, x, h)).toEqual(S.numericalGradient(f, x, h));
      expect(await engine.directionalDerivative(f, x, v, h)).toBe(S.directionalDerivative(f, x, v, h));
    }
    expect(engine.H).toBe(S.DEFAULT_H);
  });
});

describe('gradcheck: invalid input is an error naming the function and the argument', () => {
  it.each([
    [() => S.centralDifference(42 as unknown as (x: number) => number, 1), /centralDifference: argument 'f' must be a function; got 42/],
    [() => S.centralDifference(Math.sin, 1, 0), /centralDifference: argument 'h' must lie in \(0, 1\); got 0/],
    [() => S.centralDifference(Math.log, -1), /centralDifference: argument 'f' must return a finite number; returned NaN at x = \[/],
    [() => S.numericalGradient(() => 1, []), /numericalGradient: argument 'x' must be a non-empty vector/],
    [() => S.relativeError([1, 2], [1]), /relativeError: argument 'b' must have the same length as 'a' \(2\); got length 1/],
    [() => S.gradientCheck((x) => x[0], [1, 2], [1]), /gradientCheck: argument 'grad' must have the same length as 'x' \(1\); got length 2/],
    [() => S.directionalDerivative((x) => x[0], [1, 2], [1]), /directionalDerivative: argument 'v' must have the same length as 'x'/],
    [() => S.numericalJacobian((x) => (x[0] > 1 ? [1] : [1, 2]), [1]), /numericalJacobian: argument 'f\(x\)' must have length 1; got length 2/],
    [() => S.jacobianCheck((x) => [x[0], 2 * x[0]], [[1, 2]], [1]), /jacobianCheck: argument 'J' must have 2 rows; got 1/],
    [() => S.derivativeCheck(Math.sin, () => Number.NaN, [1]), /derivativeCheck: argument 'fPrime's values' must contain only finite numbers/],
  ])('%#', (call, message) => {
    expect(call).toThrowError(message);
  });
});
