/**
 * Family S (gradcheck): hidden differential checks, the student's checkers against the
 * reference's on the same functions, points and steps. Instructor side only.
 */
import fc from 'fast-check';
import * as ref from '../../reference/gradcheck.ts';
import { real, vector } from '../engine/arbitraries.ts';
import { differential } from '../engine/checks.ts';
import type { Check, Tolerance } from '../engine/types.ts';
import { inputs } from '../gradcheck.grader.ts';
import { materialize } from '../sandbox/runtime/functions.mjs';

type F<A, R> = (x: A) => R;
const fn = <A, R>(spec: Record<string, unknown>) => materialize(spec) as F<A, R>;
const { point, tanhInput, poly, coarseH, sinSum, sinSumGrad } = inputs;
/** the default step, or a coarse one that makes the choice of h visible */
const step = fc.oneof(fc.constant(undefined), coarseH);
const withStep = (args: unknown[], h: number | undefined) => (h === undefined ? args : [...args, h]);
/**
 * Student and reference difference the same f at the same points (x ± h·e_i, x ± hv): a correct
 * form differs only in the rounding of the last operations, a few ulps of (f₊ − f₋)/2h, or one ulp
 * of x in a point (ε·|x|·|f'|/2h ≤ 1e−10 absolute here). A score (relative error) moves by at most
 * twice that over its denominator. A wrong default or ignored h, or forward differences, move
 * every value by ≥ 1e−8 relative (h² or h·f″ terms).
 */
const SAME_POINTS: Tolerance = { rtol: 1e-9, atol: 1e-9 };

export const hidden: Check[] = [
  differential({
    id: 'S1.centralDifference.reference', exercise: 'centralDifference', catalogue: 'S1', title: 'centralDifference matches the reference', hint: 'S1: (f(x+h) − f(x−h))/2h',
    arbitrary: fc.tuple(poly, real({ min: -3, max: 3 }), step), args: ([c, x, h]) => withStep([{ $fn: 'poly', c }, x], h),
    expected: ([c, x, h]) => ref.centralDifference(fn({ $fn: 'poly', c }), x, h), tol: SAME_POINTS,
  }),
  differential({
    id: 'S1.numericalGradient.reference', exercise: 'numericalGradient', catalogue: 'S1', title: 'numericalGradient matches the reference', hint: 'S1: one coordinate at a time, both sides',
    arbitrary: fc.tuple(point, step), args: ([p, h]) => withStep([sinSum(p.w), p.x], h),
    expected: ([p, h]) => ref.numericalGradient(fn(sinSum(p.w)), p.x, h), tol: SAME_POINTS,
  }),
  differential({
    id: 'S2.relativeError.reference', exercise: 'relativeError', catalogue: 'S2', title: 'relativeError matches the reference', hint: 'S2: max |a − b| / max(|a|, |b|), 0/0 = 0',
    arbitrary: vector({ min: -10, max: 10 }).chain((a) => fc.tuple(fc.constant(a), fc.array(fc.oneof(real({ min: -10, max: 10 }), fc.constant(0)), { minLength: a.length, maxLength: a.length }))),
    args: ([a, b]) => [a, b], expected: ([a, b]) => ref.relativeError(a, b),
  }),
  differential({
    id: 'S2.gradientCheck.reference', exercise: 'gradientCheck', catalogue: 'S2', title: 'gradientCheck matches the reference', hint: 'S2: relativeError(grad, numericalGradient(f, x))',
    arbitrary: fc.tuple(point, real({ min: -1, max: 1 })), args: ([p, e]) => [sinSum(p.w), sinSumGrad(p.w, p.x).map((g, i) => (i === 0 ? g + e : g)), p.x],
    expected: ([p, e]) => ref.gradientCheck(fn(sinSum(p.w)), sinSumGrad(p.w, p.x).map((g, i) => (i === 0 ? g + e : g)), p.x), tol: SAME_POINTS,
  }),
  differential({
    id: 'S3.directionalDerivative.reference', exercise: 'directionalDerivative', catalogue: 'S3', title: 'directionalDerivative matches the reference', hint: 'S3: (f(x + hv) − f(x − hv))/2h',
    arbitrary: fc.tuple(point, step), args: ([p, h]) => withStep([sinSum(p.w), p.x, p.v], h),
    expected: ([p, h]) => ref.directionalDerivative(fn(sinSum(p.w)), p.x, p.v, h), tol: SAME_POINTS,
  }),
  differential({
    id: 'S3.directionalCheck.reference', exercise: 'directionalCheck', catalogue: 'S3', title: 'directionalCheck matches the reference', hint: 'S3: { analytic: vᵀg, numeric, relError }',
    arbitrary: fc.tuple(point, real({ min: -1, max: 1 }), step), args: ([p, e, h]) => withStep([sinSum(p.w), sinSumGrad(p.w, p.x).map((g) => g + e), p.x, p.v], h),
    expected: ([p, e, h]) => ref.directionalCheck(fn(sinSum(p.w)), sinSumGrad(p.w, p.x).map((g) => g + e), p.x, p.v, h), tol: SAME_POINTS,
  }),
  differential({
    id: 'S4.numericalJacobian.reference', exercise: 'numericalJacobian', catalogue: 'S4', title: 'numericalJacobian matches the reference', hint: 'S4: rows = outputs, columns = inputs',
    arbitrary: fc.tuple(tanhInput, step), args: ([t, h]) => withStep([{ $fn: 'tanhAffine', W: t.W, b: t.b }, t.x], h),
    expected: ([t, h]) => ref.numericalJacobian(fn({ $fn: 'tanhAffine', W: t.W, b: t.b }), t.x, h), tol: SAME_POINTS,
  }),
  differential({
    id: 'S4.jacobianCheck.reference', exercise: 'jacobianCheck', catalogue: 'S4', title: 'jacobianCheck matches the reference', hint: 'S4: relative error over all entries',
    arbitrary: fc.tuple(tanhInput, real({ min: 0.5, max: 2 }), step),
    args: ([t, e, h]) => withStep([{ $fn: 'tanhAffine', W: t.W, b: t.b }, t.W.map((row) => row.map((w) => w * e)), t.x], h),
    expected: ([t, e, h]) => ref.jacobianCheck(fn({ $fn: 'tanhAffine', W: t.W, b: t.b }), t.W.map((row) => row.map((w) => w * e)), t.x, h), tol: SAME_POINTS,
  }),
  differential({
    id: 'S5.derivativeCheck.reference', exercise: 'derivativeCheck', catalogue: 'S5', title: 'derivativeCheck matches the reference', hint: "S5: the worst relative error of f' over the points",
    // non-constant polynomials and several points, so that the worst point differs from the others
    arbitrary: fc.tuple(...[0, 1].map(() => fc.array(real({ min: -3, max: 3, avoid: [0], gap: 0.1 }), { minLength: 3, maxLength: 5 })), fc.uniqueArray(real({ min: -2, max: 2 }), { minLength: 2, maxLength: 5 })) as fc.Arbitrary<[number[], number[], number[]]>,
    args: ([c, d, pts]) => [{ $fn: 'poly', c }, { $fn: 'polyDerivative', c: d }, pts],
    expected: ([c, d, pts]) => ref.derivativeCheck(fn({ $fn: 'poly', c }), fn({ $fn: 'polyDerivative', c: d }), pts), tol: SAME_POINTS,
  }),
];
