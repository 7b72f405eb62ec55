/**
 * Family S (gradcheck): public checks. The functions under test cross into the student process
 * as `{ $fn }` specs (sandbox/runtime/functions.mjs); the grader builds the same functions to
 * know the truth: exact derivatives, and closed forms of the central difference at a finite h
 * (for f = Σ sin(w_i x_i) + ½‖x‖², (f(x+hv) − f(x−hv))/2h = Σ cos(w_i x_i) sin(w_i h v_i)/h + xᵀv),
 * so a checker that ignores h or differences forward cannot pass. Evaluation counts come from
 * the student process (`callCounting`): a directional check must cost O(1) evaluations.
 */
import fc from 'fast-check';
import { real, vector, matrix, direction, signed } from './engine/arbitraries.ts';
import { example, expectClose, expectThat, property, EXACT, NUMERIC } from './engine/checks.ts';
import type { Check, FamilyGrader, StudentModule } from './engine/types.ts';
import { materialize } from './sandbox/runtime/functions.mjs';

type Fn = (...a: unknown[]) => unknown;
const fn = (spec: Record<string, unknown>) => materialize(spec) as Fn;

const sinSum = (w: number[]) => ({ $fn: 'sinSum', w });
/** exact gradient of sinSum: w_i cos(w_i x_i) + x_i */
const sinSumGrad = (w: number[], x: number[]) => x.map((xi, i) => w[i] * Math.cos(w[i] * xi) + xi);
/** (f(x + hv) − f(x − hv))/2h for sinSum, in closed form */
const sinSumDifference = (w: number[], x: number[], v: number[], h: number) =>
  x.reduce((s, xi, i) => s + (Math.cos(w[i] * xi) * Math.sin(w[i] * h * v[i])) / h + xi * v[i], 0);
const unit = (n: number, i: number) => Array.from({ length: n }, (_, k) => (k === i ? 1 : 0));

/** |w_i| ≥ 0.5: with w_i → 0 a finite-h difference becomes indistinguishable from the exact derivative. */
const point = fc.integer({ min: 1, max: 6 }).chain((n) =>
  fc.record({
    w: vector({ min: -3, max: 3, minLength: n, maxLength: n, avoid: [0], gap: 0.5 }),
    x: vector({ min: -2, max: 2, minLength: n, maxLength: n }),
    v: direction(n),
  }),
);
const coarseH = fc.double({ min: 0.05, max: 0.5, noNaN: true });

/** A symmetric positive-definite A = MᵀM + I and b, for the quadratic objective ½θᵀAθ − bᵀθ. */
const quadratic = fc.integer({ min: 1, max: 5 }).chain((n) =>
  fc.record({
    M: matrix({ rows: n, cols: n, min: -2, max: 2 }),
    b: vector({ min: -3, max: 3, minLength: n, maxLength: n }),
    x: vector({ min: -3, max: 3, minLength: n, maxLength: n }),
  }).map(({ M, b, x }) => ({ A: M.map((_, i) => M.map((__, j) => M.reduce((s, row) => s + row[i] * row[j], i === j ? 1 : 0))), b, x })),
);

const poly = fc.array(real({ min: -3, max: 3 }), { minLength: 1, maxLength: 5 });

const num = async (s: StudentModule, name: string, args: unknown[]) => (await s.call(name, args)) as number;

/**
 * A central difference rounds by ~ε|f|/h ≈ 1.1e−11·|f| in absolute terms, so a relative bar on a
 * correct derivative d only holds where |d| is not tiny next to |f|: with |d| ≥ 1e−2·(1 + |f|)
 * the rounding is ≤ 1.1e−9 relative, far below the 1e−7 bar. Inputs failing this are skipped.
 */
const wellConditioned = (d: number, f: number) => Math.abs(d) >= 1e-2 * (1 + Math.abs(f));

const centralDifferenceChecks: Check[] = [
  example({
    id: 'S1.centralDifference.square', exercise: 'centralDifference', catalogue: 'S1', title: 'd/dx x² at 3 is 6',
    hint: 'S1: (f(x + h) − f(x − h)) / 2h', args: [{ $fn: 'poly', c: [0, 0, 1] }, 3], expected: 6, tol: NUMERIC,
  }),
  property({
    id: 'S1.centralDifference.cubic-with-h', exercise: 'centralDifference', catalogue: 'S1',
    title: 'with an explicit h, the central difference of x³ is exactly 3x² + h²',
    hint: 'S1: use the h you are given, and difference both sides: ((x+h)³ − (x−h)³)/2h = 3x² + h²',
    arbitrary: fc.tuple(real({ min: -3, max: 3 }), coarseH),
    // (x ± h)³ ≤ 43 round by ~ε·43, over 2h ≥ 0.1: ~1e−13 against 3x² + h² ≥ 2.5e−3 (4e−11 relative);
    // a forward difference is off by 3xh, a step of 1e−5 by h²
    verify: async ([x, h], s) => expectClose(await s.call('centralDifference', [{ $fn: 'poly', c: [0, 0, 0, 1] }, x, h]), 3 * x * x + h * h, { rtol: 1e-9, atol: 1e-12 }, `centralDifference(x³, ${x}, ${h})`),
  }),
  example({
    id: 'S1.centralDifference.default-step', exercise: 'centralDifference', catalogue: 'S1', title: 'with the default h, the central difference of x³ at 0 is h² = 1e−10 (by hand: (h³ − (−h)³)/2h = h²)',
    hint: 'S1: the default step is h = 1e−5 (not √ε ≈ 1.5e−8, the rule for forward differences)', args: [{ $fn: 'poly', c: [0, 0, 0, 1] }, 0], expected: 1e-10,
    // h³ and the division round by a few ulps (~1e−15 relative); a default of 1e−4 or 1e−6 gives 1e−8 or 1e−12
    tol: { rtol: 1e-9, atol: 0 },
  }),
  property({
    id: 'S1.centralDifference.polynomials', exercise: 'centralDifference', catalogue: 'S1',
    title: 'matches the exact derivative of random polynomials (default h)', hint: 'S1: the default step is h = 1e−5',
    arbitrary: fc.tuple(poly, real({ min: -2, max: 2 })),
    verify: async ([c, x], s) => {
      const { value, calls } = await s.callCounting('centralDifference', [{ $fn: 'poly', c }, x]);
      expectClose(value, fn({ $fn: 'polyDerivative', c })(x), NUMERIC, `centralDifference(poly, ${x})`);
      expectClose(calls, [2], EXACT, 'evaluations of f'); // a count of calls: integer arithmetic
    },
  }),
];

const numericalGradientChecks: Check[] = [
  property({
    id: 'S1.numericalGradient.exact', exercise: 'numericalGradient', catalogue: 'S1', title: 'matches the exact gradient of Σ sin(w_i x_i) + ½‖x‖² with 2n evaluations',
    hint: 'S1: perturb one coordinate at a time, on copies of x (x.slice()), both sides: 2n evaluations',
    arbitrary: point,
    verify: async ({ w, x }, s) => {
      const { value, calls } = await s.callCounting('numericalGradient', [sinSum(w), x]);
      expectClose(value, sinSumGrad(w, x), NUMERIC, 'numericalGradient(f, x)');
      expectClose(calls, [2 * x.length], EXACT, 'evaluations of f'); // a count of calls: integer arithmetic
    },
  }),
  property({
    id: 'S1.numericalGradient.with-h', exercise: 'numericalGradient', catalogue: 'S1', title: 'with an explicit h, entry i is (f(x + h·e_i) − f(x − h·e_i))/2h',
    hint: 'S1: use the h you are given in both the step and the denominator',
    arbitrary: fc.tuple(point, coarseH),
    // f ≤ 18 here rounds by ~2e−15, over 2h ≥ 0.1: ~2e−14 absolute between the student's f(x ± h·e_i) and
    // the closed form (itself ~1e−16); a forward difference or an ignored h is off by ≥ 1e−4
    verify: async ([{ w, x }, h], s) =>
      expectClose(await s.call('numericalGradient', [sinSum(w), x, h]), x.map((_, i) => sinSumDifference(w, x, unit(x.length, i), h)), { rtol: 1e-9, atol: 1e-12 }, `numericalGradient(f, x, ${h})`),
  }),
];

const entries3 = fc.array(fc.oneof(real({ min: -5, max: 5, avoid: [0], gap: 1e-3 }), fc.constant(0)), { minLength: 3, maxLength: 3 });

const numericalGradientCoupled: Check = property({
  id: 'S1.numericalGradient.coupled', exercise: 'numericalGradient', catalogue: 'S1', title: 'on a quadratic with coupled coordinates it returns Aθ − b for any h (x restored between coordinates)',
  hint: 'S1: perturb copies of x; after coordinate i, every other coordinate must be back at its value',
  arbitrary: fc.tuple(quadratic, coarseH),
  verify: async ([{ A, b, x }, h], s) => {
    const grad = (fn({ $fn: 'objective', name: 'quadratic', A, b })(x) as { grad: number[] }).grad;
    // central differences are exact on quadratics: only rounding (≤ ~1e−13 here) separates them
    expectClose(await s.call('numericalGradient', [{ $fn: 'loss', name: 'quadratic', A, b }, x, h]), grad, { rtol: 1e-9, atol: 1e-9 }, `numericalGradient(quadratic, x, ${h})`);
  },
});

const relativeErrorChecks: Check[] = [
  example({ id: 'S2.relativeError.example', exercise: 'relativeError', catalogue: 'S2', title: 'relativeError([1], [1.1]) = 0.1/1.1', hint: 'S2: |a − b| / max(|a|, |b|)', args: [[1], [1.1]], expected: 0.1 / 1.1 }),
  example({ id: 'S2.relativeError.negative', exercise: 'relativeError', catalogue: 'S2', title: 'relativeError([−1, 3], [−1.1, 3]) = 0.1/1.1 (absolute values in the denominator)', hint: 'S2: max(|a_i|, |b_i|) — the magnitudes', args: [[-1, 3], [-1.1, 3]], expected: 0.1 / 1.1 }),
  example({ id: 'S2.relativeError.zeros', exercise: 'relativeError', catalogue: 'S2', title: 'relativeError([0, 2], [0, 2]) = 0 (0/0 taken as 0)', hint: 'S2: two exact zeros agree: do not divide 0 by 0', args: [[0, 2], [0, 2]], expected: 0 }),
  example({ id: 'S2.relativeError.worst', exercise: 'relativeError', catalogue: 'S2', title: 'relativeError([1, 10], [2, 10]) = 0.5 (the worst entry, not the mean)', hint: 'S2: the maximum over entries', args: [[1, 10], [2, 10]], expected: 0.5 }),
  property({
    id: 'S2.relativeError.scale-free', exercise: 'relativeError', catalogue: 'S2', title: 'relativeError(c·a, c·b) = relativeError(a, b), symmetric, in [0, 2]',
    hint: 'S2: a relative error does not depend on units',
    // entries are exact zeros or at least 1e−3 in size: scaled subnormals would underflow to 0
    arbitrary: fc.tuple(entries3, entries3, fc.constantFrom(1e-6, 1e-3, 1e3, 1e6, -2)),
    verify: async ([a, b, c], s) => {
      const r = await num(s, 'relativeError', [a, b]);
      // [0, 2] closed: |a − b| ≤ 2 max(|a|, |b|) holds after rounding too (a correctly rounded quotient of
      // two numbers with ratio ≤ 2 stays ≤ 2); ≤ 1 would not hold for entries of opposite signs
      expectThat(typeof r === 'number' && r >= 0 && r <= 2, `relativeError(${JSON.stringify(a)}, ${JSON.stringify(b)}) = ${r} is outside [0, 2]`, r);
      // symmetric by formula (|a − b| = |b − a|, max symmetric): 1e−12 leaves a form that divides in another order its few ulps
      expectClose(await s.call('relativeError', [b, a]), r, { rtol: 1e-12, atol: 0 }, 'relativeError(b, a)');
      // c·a_i, c·b_i round once each: ε·|a|/|a − b| relative in the difference, ≤ 1e−9 unless a_i, b_i agree to 7 digits
      expectClose(await s.call('relativeError', [a.map((v) => c * v), b.map((v) => c * v)]), r, { rtol: 1e-9, atol: 1e-15 }, `relativeError(${c}·a, ${c}·b)`);
    },
  }),
];

const gradientCheckChecks: Check[] = [
  property({
    id: 'S2.gradientCheck.correct', exercise: 'gradientCheck', catalogue: 'S2', title: 'a correct gradient scores below 1e−7, whatever the scale of f',
    hint: 'S2: compare with relativeError (scale-free) against a central-difference gradient',
    arbitrary: fc.tuple(quadratic, fc.constantFrom(1e-3, 1, 1e3)),
    verify: async ([{ A, b, x }, k], s) => {
      const Ak = A.map((r) => r.map((v) => v * k));
      const bk = b.map((v) => v * k);
      const { loss, grad } = fn({ $fn: 'objective', name: 'quadratic', A: Ak, b: bk })(x) as { loss: number; grad: number[] };
      fc.pre(grad.every((g) => wellConditioned(g / k, loss / k)));
      const r = await num(s, 'gradientCheck', [{ $fn: 'loss', name: 'quadratic', A: Ak, b: bk }, grad, x]);
      expectThat(typeof r === 'number' && r < 1e-7, `gradientCheck of the exact gradient returned ${r} (scale ${k})`, r);
    },
  }),
  property({
    id: 'S2.gradientCheck.wrong', exercise: 'gradientCheck', catalogue: 'S2', title: 'a gradient with one wrong entry scores its relative error',
    hint: 'S2: the score is the worst entry: max_i |g_i − n_i| / max(|g_i|, |n_i|)',
    arbitrary: point.chain((p) => fc.tuple(fc.constant(p), fc.nat(p.x.length - 1), fc.double({ min: 0.5, max: 3, noNaN: true }))),
    verify: async ([{ w, x }, i, err], s) => {
      const g = sinSumGrad(w, x);
      fc.pre(g.every((gk) => wellConditioned(gk, fn(sinSum(w))(x) as number)));
      const bad = g.map((gi, k) => (k === i ? gi + err : gi));
      const expected = Math.abs(bad[i] - g[i]) / Math.max(Math.abs(bad[i]), Math.abs(g[i]));
      // the numerical gradient is off the exact g by truncation h²|w|³/6 ≤ 5e−10 and rounding ≤ 1.1e−9·|g|
      // (wellConditioned, |g| ≥ 1e−2): ≤ 6e−8 relative in the score ≥ 0.05; forward differences move it by ~1e−5
      expectClose(await s.call('gradientCheck', [sinSum(w), bad, x]), expected, { rtol: 1e-6, atol: 1e-9 }, 'gradientCheck(f, wrong gradient, x)');
    },
  }),
  property({
    id: 'S2.gradientCheck.with-h', exercise: 'gradientCheck', catalogue: 'S2', title: 'with an explicit coarse h, the exact gradient scores the truncation error of that h',
    hint: 'S2: pass your h on to the numerical gradient: with h = 0.1 the central difference is off by about h²f‴/6, and the score must show it',
    arbitrary: fc.tuple(point, coarseH),
    verify: async ([{ w, x }, h], s) => {
      const g = sinSumGrad(w, x);
      const n = x.map((_, i) => sinSumDifference(w, x, unit(x.length, i), h));
      const expected = Math.max(...g.map((gi, i) => (gi === n[i] ? 0 : Math.abs(gi - n[i]) / Math.max(Math.abs(gi), Math.abs(n[i])))));
      fc.pre(expected > 1e-6); // h matters here: the default h would score below 1e−9
      // the student's differences come from f(x ± h·e_i), these from the closed form in sin(w·h):
      // they agree to ≈ 1e−14 (f's rounding over 2h), under 1e−8 of a score ≥ 1e−6
      expectClose(await s.call('gradientCheck', [sinSum(w), g, x, h]), expected, { rtol: 1e-6, atol: 0 }, `gradientCheck(f, exact gradient, x, ${h})`);
    },
  }),
];

const directionalDerivativeChecks: Check[] = [
  property({
    id: 'S3.directionalDerivative.two-evaluations', exercise: 'directionalDerivative', catalogue: 'S3', title: 'equals vᵀ∇f with exactly two evaluations of f, whatever the dimension',
    hint: 'S3: (f(x + hv) − f(x − hv)) / 2h — do not build the full gradient',
    arbitrary: point,
    verify: async ({ w, x, v }, s) => {
      const { value, calls } = await s.callCounting('directionalDerivative', [sinSum(w), x, v]);
      expectClose(value, sinSumGrad(w, x).reduce((acc, gi, i) => acc + gi * v[i], 0), NUMERIC, 'directionalDerivative(f, x, v)');
      expectClose(calls, [2], EXACT, 'evaluations of f'); // a count of calls: integer arithmetic
    },
  }),
  property({
    id: 'S3.directionalDerivative.with-h', exercise: 'directionalDerivative', catalogue: 'S3', title: 'with an explicit h, equals (f(x + hv) − f(x − hv))/2h',
    hint: 'S3: step along v scaled by h, and divide by 2h',
    arbitrary: fc.tuple(point, coarseH),
    // as numericalGradient.with-h: ~2e−14 absolute between f(x ± hv) and the closed form, h ≥ 0.05
    verify: async ([{ w, x, v }, h], s) => expectClose(await s.call('directionalDerivative', [sinSum(w), x, v, h]), sinSumDifference(w, x, v, h), { rtol: 1e-9, atol: 1e-12 }, `directionalDerivative(f, x, v, ${h})`),
  }),
];

const directionalCheckChecks: Check[] = [
  property({
    id: 'S3.directionalCheck.fields', exercise: 'directionalCheck', catalogue: 'S3', title: 'analytic = vᵀ·grad, numeric = the directional difference, relError = their relative error',
    hint: 'S3: project the claimed gradient on v; compare with the two-evaluation difference',
    arbitrary: fc.tuple(point, fc.double({ min: -1, max: 1, noNaN: true })),
    verify: async ([{ w, x, v }, noise], s) => {
      const grad = sinSumGrad(w, x).map((g, i) => (i === 0 ? g + noise : g));
      const r = (await s.call('directionalCheck', [sinSum(w), grad, x, v])) as { analytic: number; numeric: number; relError: number };
      // a sum of n ≤ 6 products ≤ 36 in any order: ≤ 6ε·36 ≈ 5e−14 apart
      expectClose(r?.analytic, grad.reduce((acc, g, i) => acc + g * v[i], 0), { rtol: 1e-12, atol: 1e-12 }, '.analytic');
      expectClose(r.numeric, sinSumDifference(w, x, v, 1e-5), NUMERIC, '.numeric');
      const rel = Math.abs(r.analytic - r.numeric) / Math.max(Math.abs(r.analytic), Math.abs(r.numeric));
      // from the student's own analytic and numeric: the same quotient, a few ulps apart at most
      expectClose(r.relError, Number.isNaN(rel) ? 0 : rel, { rtol: 1e-9, atol: 1e-15 }, '.relError');
    },
  }),
  property({
    id: 'S3.directionalCheck.catches', exercise: 'directionalCheck', catalogue: 'S3', title: 'a correct gradient scores below 1e−6; one off by 1 along v scores above 1e−3',
    hint: 'S3: relError compares vᵀ·grad with the numerical directional derivative',
    arbitrary: point.filter(({ v }) => Math.abs(v[0]) > 0.2),
    verify: async ({ w, x, v }, s) => {
      const g = sinSumGrad(w, x);
      fc.pre(wellConditioned(g.reduce((acc, gi, i) => acc + gi * v[i], 0), fn(sinSum(w))(x) as number));
      const good = (await s.call('directionalCheck', [sinSum(w), g, x, v])) as { relError: number };
      expectThat(good?.relError < 1e-6, `relError ${good?.relError} for the exact gradient`, good);
      const bad = (await s.call('directionalCheck', [sinSum(w), g.map((gi, i) => (i === 0 ? gi + 1 / v[0] : gi)), x, v])) as { relError: number };
      expectThat(bad?.relError > 1e-3, `relError ${bad?.relError} for a gradient off by 1 along v`, bad);
    },
  }),
];

/** W [m × n] with m ≠ n on purpose, so that a transposed Jacobian has the wrong shape. */
/**
 * W entries away from 0 and |Wx + b| ≤ 3, so every J_ki = (1 − tanh²)·w_ki is ≥ 5e−4 in size and
 * the central difference's rounding (~1e−11 absolute, see wellConditioned) stays ≤ 2e−8 of it.
 */
const tanhInput = fc.record({ m: fc.integer({ min: 1, max: 4 }), n: fc.integer({ min: 1, max: 4 }) }).filter(({ m, n }) => m !== n).chain(({ m, n }) =>
  fc.record({ W: matrix({ rows: m, cols: n, min: -1, max: 1, avoid: [0], gap: 0.05 }), b: vector({ min: -1, max: 1, minLength: m, maxLength: m }), x: vector({ min: -0.5, max: 0.5, minLength: n, maxLength: n }) }),
);
const tanhJacobian = ({ W, b, x }: { W: number[][]; b: number[]; x: number[] }) =>
  W.map((row, k) => {
    const t = Math.tanh(row.reduce((s, wki, i) => s + wki * x[i], b[k]));
    return row.map((wki) => (1 - t * t) * wki);
  });

const numericalJacobianChecks: Check[] = [
  property({
    id: 'S4.numericalJacobian.exact', exercise: 'numericalJacobian', catalogue: 'S4', title: 'matches the exact Jacobian of tanh(Wx + b) (rows = outputs) with 2n evaluations',
    hint: 'S4: J_ki = ∂f_k/∂x_i is m × n; build it column by column from f(x ± h·e_i)',
    arbitrary: tanhInput,
    verify: async (t, s) => {
      const { value, calls } = await s.callCounting('numericalJacobian', [{ $fn: 'tanhAffine', W: t.W, b: t.b }, t.x]);
      expectClose(value, tanhJacobian(t), NUMERIC, 'numericalJacobian(f, x)');
      expectClose(calls, [2 * t.x.length], EXACT, 'evaluations of f'); // a count of calls: integer arithmetic
    },
  }),
  property({
    id: 'S4.numericalJacobian.with-h', exercise: 'numericalJacobian', catalogue: 'S4', title: 'with an explicit h, column i is (f(x + h·e_i) − f(x − h·e_i))/2h',
    hint: 'S4: use the h you are given in both the step and the denominator',
    arbitrary: fc.tuple(tanhInput, coarseH),
    verify: async ([t, h], s) => {
      const f = fn({ $fn: 'tanhAffine', W: t.W, b: t.b }) as (x: number[]) => number[];
      const cols = t.x.map((_, i) => {
        const [p, m] = [t.x.slice(), t.x.slice()];
        p[i] += h;
        m[i] -= h;
        const [fp, fm] = [f(p), f(m)];
        return fp.map((v, k) => (v - fm[k]) / (2 * h));
      });
      // the same f at the same points x ± h·e_i: only the division's rounding (a few ulps) can differ
      expectClose(await s.call('numericalJacobian', [{ $fn: 'tanhAffine', W: t.W, b: t.b }, t.x, h]), t.W.map((_, k) => cols.map((c) => c[k])), { rtol: 1e-9, atol: 1e-12 }, `numericalJacobian(f, x, ${h})`);
    },
  }),
];

const jacobianCheckChecks: Check[] = [
  property({
    id: 'S4.jacobianCheck.scores', exercise: 'jacobianCheck', catalogue: 'S4', title: 'the exact Jacobian scores below 1e−6; one with a wrong entry scores its relative error',
    hint: 'S4: relative error (S2) between the claimed J and the numerical Jacobian, over all entries',
    arbitrary: tanhInput,
    verify: async (t, s) => {
      const J = tanhJacobian(t);
      const f = { $fn: 'tanhAffine', W: t.W, b: t.b };
      const good = await num(s, 'jacobianCheck', [f, J, t.x]);
      expectThat(typeof good === 'number' && good < 1e-6, `jacobianCheck of the exact Jacobian returned ${good}`, good);
      const bad = J.map((row, k) => row.map((v, i) => (k === 0 && i === 0 ? v + 1 : v)));
      // the numerical J is off the exact one by rounding ≤ 2e−8 and truncation ≤ 7e−8 of each entry (|J_ki| ≥ 5e−4,
      // |tanh‴| ≤ 2): the score 1/max(·) moves by ≤ 1e−7 relative
      expectClose(await s.call('jacobianCheck', [f, bad, t.x]), 1 / Math.max(Math.abs(bad[0][0]), Math.abs(J[0][0])), { rtol: 1e-6, atol: 1e-9 }, 'jacobianCheck(f, J with J[0][0] + 1, x)');
    },
  }),
];

const derivativeCheckChecks: Check[] = [
  property({
    id: 'S5.derivativeCheck.scores', exercise: 'derivativeCheck', catalogue: 'S5', title: "a correct f' scores below 1e−7; a wrong one scores its worst relative error over the points",
    hint: "S5: max over the points of |f'(x) − (f(x+h) − f(x−h))/2h| / max(|·|, |·|)",
    arbitrary: fc.tuple(poly, fc.array(real({ min: -2, max: 2 }), { minLength: 1, maxLength: 5 }), real({ min: -2, max: 2 }).filter((d) => Math.abs(d) > 0.1)),
    verify: async ([c, points, delta], s) => {
      const f = { $fn: 'poly', c };
      const [F, dF] = [fn(f) as (x: number) => number, fn({ $fn: 'polyDerivative', c }) as (x: number) => number];
      fc.pre(points.every((x) => wellConditioned(dF(x), F(x))));
      const good = await num(s, 'derivativeCheck', [f, { $fn: 'polyDerivative', c }, points]);
      expectThat(typeof good === 'number' && good < 1e-7, `derivativeCheck of the exact derivative returned ${good}`, good);
      // claimed f' = true f' + delta (the derivative of poly c + delta·x). The central difference is off f' by
      // truncation h²|f‴|/6 ≤ 2.7e−9 (|f‴| ≤ 162 here) and rounding ≤ 1.1e−9 relative, against |f'| ≥ 1e−2:
      // ≤ 4e−7 relative in the score; a mean or an absolute error is off by O(1)
      const claimed = { $fn: 'polyDerivative', c: [0, (c[1] ?? 0) + delta, ...c.slice(2)] };
      const worst = Math.max(...points.map((x) => { const [a, b] = [dF(x) + delta, dF(x)]; return Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b)); }));
      expectClose(await s.call('derivativeCheck', [f, claimed, points]), worst, { rtol: 1e-6, atol: 1e-9 }, "derivativeCheck(f, f' + δ, points)");
    },
  }),
  property({
    id: 'S5.derivativeCheck.with-h', exercise: 'derivativeCheck', catalogue: 'S5', title: "with an explicit coarse h, the exact f' of a cubic scores the central difference's error c₃h²",
    hint: "S5: pass your h on to the central difference: for a cubic it is f'(x) + c₃h² exactly, so the score must show c₃h²",
    arbitrary: fc.tuple(fc.array(real({ min: -3, max: 3 }), { minLength: 3, maxLength: 3 }), signed(0.5, 3), fc.array(real({ min: -2, max: 2 }), { minLength: 1, maxLength: 5 }), coarseH),
    verify: async ([low, c3, points, h], s) => {
      const c = [...low, c3];
      const dF = fn({ $fn: 'polyDerivative', c }) as (x: number) => number;
      const worst = Math.max(...points.map((x) => { const [a, b] = [dF(x), dF(x) + c3 * h * h]; return Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b)); }));
      // c₃h² ≥ 1.25e−3 against |f'| ≤ 70 here: a score ≥ 1.7e−5; f(x ± h) rounds by ≈ 1e−14 over
      // 2h ≥ 0.1, under 1e−8 of it
      expectClose(await s.call('derivativeCheck', [{ $fn: 'poly', c }, { $fn: 'polyDerivative', c }, points, h]), worst, { rtol: 1e-6, atol: 0 }, `derivativeCheck(cubic, its exact f', points, ${h})`);
    },
  }),
];

/** Exported for the hidden checks, which draw from the same inputs. */
export const inputs = { point, quadratic, tanhInput, poly, coarseH, sinSum, sinSumGrad };

export const gradcheck: FamilyGrader = {
  id: 'S',
  module: 'gradcheck',
  title: 'Numerical verification',
  exercises: [
    { name: 'centralDifference', catalogue: 'S1', arity: 3, summary: "f'(x) ≈ (f(x+h) − f(x−h))/2h" },
    { name: 'numericalGradient', catalogue: 'S1', arity: 3, summary: '∇f(x) coordinate by coordinate' },
    { name: 'relativeError', catalogue: 'S2', arity: 2, summary: 'max |a − b| / max(|a|, |b|)' },
    { name: 'gradientCheck', catalogue: 'S2', arity: 4, summary: 'relative error of a claimed gradient' },
    { name: 'directionalDerivative', catalogue: 'S3', arity: 4, summary: 'vᵀ∇f in two evaluations' },
    { name: 'directionalCheck', catalogue: 'S3', arity: 5, summary: 'a claimed gradient along a random direction' },
    { name: 'numericalJacobian', catalogue: 'S4', arity: 3, summary: 'J_ki = ∂f_k/∂x_i column by column' },
    { name: 'jacobianCheck', catalogue: 'S4', arity: 4, summary: 'relative error of a claimed Jacobian' },
    { name: 'derivativeCheck', catalogue: 'S5', arity: 4, summary: "a hand-derived f' at given points" },
  ],
  checks: [
    ...centralDifferenceChecks, ...numericalGradientChecks, numericalGradientCoupled, ...relativeErrorChecks, ...gradientCheckChecks,
    ...directionalDerivativeChecks, ...directionalCheckChecks, ...numericalJacobianChecks, ...jacobianCheckChecks, ...derivativeCheckChecks,
  ],
};
