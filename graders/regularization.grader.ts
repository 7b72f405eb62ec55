/**
 * Family E (regularisation): public checks. Hand-derived examples (fixtures) whose failures name
 * the mistake they look like (the L2 gradient's factor 2, a missing 1/n, dropout scaling in the
 * wrong phase, p taken as the drop probability …); invariants that need no solution (the data
 * term is a mean, duplicating the examples while doubling λ changes nothing, the penalty's
 * degree, dropout keeps the expectation, clipping keeps the direction, max-norm bounds every
 * row, the early-stopping rule characterised epoch by epoch); and every gradient against the
 * numerical derivative of the student's own cost or forward pass.
 *
 * Statistical checks are seeded (fast-check's seed) and their bounds come from Hoeffding's
 * inequality, P(|k/R − p| ≥ t) ≤ 2·exp(−2Rt²) for the fraction k/R of R independent units kept:
 * each bound states R, t and the resulting failure probability for a correct implementation.
 */
import fc from 'fast-check';
import { dropoutExample, l1Example, l2Example, maskExample, stopExamples, uniforms, type StopFixture } from '../fixtures/regularization.fixtures.ts';
import { callText, example, expectClose, expectThat, FLOAT64, NUMERIC, property } from './engine/checks.ts';
import { scaled, type Variants } from './engine/diagnose.ts';
import { numericalGradient } from './engine/numeric.ts';
import type { Check, FamilyGrader, StudentModule, Tolerance } from './engine/types.ts';
import { uniform } from './losses.grader.ts';
import { isMatrix, isNumber, isObject, isVector } from './engine/shapes.ts';

type Vec = number[];
type Mat = number[][];
type S = StudentModule;

// ---------------------------------------------------------------------------------------------
// The mistakes a report can name (the hidden checks and the mutants use the same words)

export const MISTAKES = {
  l2Two: 'the L2 gradient is missing its factor 2: d/dw (λ/n)w² = (2λ/n)w',
  penaltyNoN: 'the penalty is missing its 1/n: (λ/n)Σ_j, n the number of examples',
  dataSum: 'the data term is summed, not averaged: (1/n)Σ_i L_i',
  half: 'the ½λ convention: the slide has (λ/n)Σ w_j², no ½',
  normNotSquared: 'the norm ‖w‖ instead of its square Σ w_j²',
  penaltySign: 'the penalty gradient has the wrong sign: it pulls w towards 0',
  l1Sign0: 'the subgradient at w_j = 0 taken as +1: this course takes sign(0) = 0',
  l1Sign0Neg: 'the subgradient at w_j = 0 taken as −1: this course takes sign(0) = 0',
  l1W: 'w instead of sign(w): the L1 penalty has gradient (λ/n)·sign(w)',
  keepAsDrop: 'p used as the drop probability: p is the keep probability (keep a unit iff u < p)',
  columnOrder: 'the uniforms drawn column by column: draw them row by row (u_00, u_01, …)',
  maskIgnored: 'the mask is not applied: a dropped unit outputs 0 and passes no gradient',
  testMasked: 'a mask drawn at test time: at test time every unit is used',
  notesScaledAtTrain: 'dropout scaling in the wrong phase: the notes scale by p at test time, not during training',
  notesInvertedAtTrain: "inverted dropout's 1/p in the notes' form: the notes do not rescale during training",
  notesTestUnscaled: 'dropout scaling in the wrong phase: the notes scale every activation by p at test time',
  notesTestInverse: 'scaled by 1/p at test time: the notes multiply by p',
  oneMinusP: 'scaled by 1 − p: p is the keep probability, not the drop probability',
  invTrainUnscaled: 'dropout scaling in the wrong phase: inverted dropout divides by p during training',
  invTrainTimesP: 'multiplied by p during training: inverted dropout divides by p',
  invTestScaled: "dropout scaling in the wrong phase: inverted dropout's test time is the identity (it divided by p during training)",
  invTestNotes: "the notes' test-time factor p in inverted dropout: its test time is the identity",
  byValue: 'clipped entry by entry (clipByValue): clipping by norm rescales the whole vector',
  squaredNorm: 'divided by ‖g‖² instead of ‖g‖',
  l1Norm: 'the L1 norm Σ|g_i| instead of the Euclidean norm',
  alwaysRescaled: 'rescaled although the norm is already ≤ c: only a longer vector is shrunk',
  byNorm: 'clipped by norm: clipping by value clamps each entry',
  clampAtZero: 'clamped to [0, c]: clipping by value keeps the sign',
  columns: "renormalised the columns: each ROW of W holds one unit's incoming weights",
  frobenius: 'the whole matrix rescaled by its Frobenius norm: the constraint holds per unit (row)',
  ties: 'a tie counted as an improvement: only a strictly lower error improves',
  late: 'stopped one epoch late: stop when the count of epochs without improvement reaches patience',
  early: 'stopped one epoch early: patience counts the epochs after the best one',
  lastBest: 'bestEpoch reported as the last epoch that improved on the previous one, not the best so far',
} as const;

// ---------------------------------------------------------------------------------------------
// Helpers (plain data; a malformed student result fails the property, never the grader)

const sum = (v: Vec) => v.reduce((a, b) => a + b, 0);
const norm = (v: Vec) => Math.hypot(...v);
const dot = (a: Vec, b: Vec) => sum(a.map((x, i) => x * b[i]));
const add = (a: Vec, b: Vec) => a.map((x, i) => x + b[i]);
const mul = (a: Mat, b: Mat) => a.map((row, i) => row.map((x, j) => x * b[i][j]));
const mapM = (a: Mat, f: (x: number) => number) => a.map((row) => row.map(f));
const sumRows = (G: Mat) => G[0].map((_, j) => sum(G.map((r) => r[j])));
const meanRows = (G: Mat) => sumRows(G).map((x) => x / G.length);
const transpose = (M: Mat) => M[0].map((_, j) => M.map((row) => row[j]));
const flat = (M: Mat) => M.flat();
const reshape = (v: Vec, cols: number) => Array.from({ length: v.length / cols }, (_, i) => v.slice(i * cols, (i + 1) * cols));


async function number(s: S, name: string, args: unknown[]): Promise<number> {
  const v = await s.call(name, args);
  expectThat(isNumber(v), `${callText(name, args)} returned ${Array.isArray(v) ? 'an array' : String(v)}, not a finite number`, v);
  return v as number;
}

async function vector(s: S, name: string, args: unknown[], d: number): Promise<Vec> {
  const v = await s.call(name, args);
  expectThat(isVector(v, d), `${callText(name, args)} must return ${d} finite numbers`, v);
  return v as Vec;
}

async function matrix(s: S, name: string, args: unknown[], r: number, c: number): Promise<Mat> {
  const v = await s.call(name, args);
  expectThat(isMatrix(v, r, c), `${callText(name, args)} must return a ${r} × ${c} matrix of finite numbers`, v);
  return v as Mat;
}

interface Dropout {
  out: Mat;
  cache: Record<string, unknown>;
}

async function dropout(s: S, name: string, a: Mat, p: number, mode: 'train' | 'test', seed: number): Promise<Dropout> {
  const args = [a, p, mode, seed];
  const v = await s.call(name, args);
  const what = callText(name, args);
  expectThat(isObject(v), `${what} must return { out, cache }`, v);
  const o = v as Record<string, unknown>;
  expectThat(isMatrix(o.out, a.length, a[0].length), `${what}.out must be a ${a.length} × ${a[0].length} matrix of finite numbers`, o.out);
  expectThat(isObject(o.cache), `${what}.cache must be an object { mask, p, mode }`, o.cache);
  return o as unknown as Dropout;
}

// ---------------------------------------------------------------------------------------------
// Arbitraries

/** A nonzero number of size in [lo, hi] with either sign (shrinking cannot drive it to 0). */
const signed = (lo: number, hi: number) => fc.tuple(fc.boolean(), uniform({ min: lo, max: hi })).map(([neg, m]) => (neg ? -m : m));
const seed = fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 });
const lambda = uniform({ min: 0.1, max: 5 });
const losses = fc.array(uniform({ min: 0, max: 5 }), { minLength: 1, maxLength: 6 });
const weights = fc.array(signed(0.05, 3), { minLength: 1, maxLength: 5 });
const keep = uniform({ min: 0.1, max: 1 });

/** A rows × cols matrix with entries from `entry`, rows and cols in [1, max]. */
const matrixOf = (entry: fc.Arbitrary<number>, max = 4) =>
  fc.tuple(fc.integer({ min: 1, max }), fc.integer({ min: 1, max })).chain(([r, c]) => fc.array(fc.array(entry, { minLength: c, maxLength: c }), { minLength: r, maxLength: r }));

/** n per-example gradient rows of the same width d as w. */
const gradsFor = (d: number, n: fc.Arbitrary<number>) => n.chain((k) => fc.array(fc.array(signed(0.01, 5), { minLength: d, maxLength: d }), { minLength: k, maxLength: k }));

/**
 * A least-squares model for the numerical checks: L_i(w) = (x_iᵀw − y_i)², ∇L_i = 2(x_iᵀw − y_i)x_i.
 * The grader computes the losses and their gradients (plain data); the student's cost and
 * gradient get them, and the gradient must match the central difference of the student's cost.
 */
interface Regression {
  X: Mat;
  y: Vec;
  w: Vec;
  lambda: number;
}
const regression = (entry: fc.Arbitrary<number>) =>
  fc.tuple(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 4 })).chain(([n, d]) =>
    fc.record({
      X: fc.array(fc.array(signed(0.1, 2), { minLength: d, maxLength: d }), { minLength: n, maxLength: n }),
      y: fc.array(signed(0.1, 2), { minLength: n, maxLength: n }),
      w: fc.array(entry, { minLength: d, maxLength: d }),
      lambda,
    }),
  );
const modelAt = ({ X, y }: Regression, w: Vec) => {
  const r = X.map((x, i) => dot(x, w) - y[i]);
  return { losses: r.map((v) => v * v), lossGrads: r.map((v, i) => X[i].map((x) => 2 * v * x)) };
};

// ---------------------------------------------------------------------------------------------
// E1, E2 — regularised costs (shared checks: the data term is a mean, n is the number of examples)

type CostName = 'l2RegularizedCost' | 'l1RegularizedCost';
type GradName = 'l2RegularizedCostGrad' | 'l1RegularizedCostGrad';

function meanCheck(exercise: CostName, catalogue: string): Check {
  return property({
    id: `${catalogue}.${exercise}.mean`, exercise, catalogue,
    title: `${exercise}(L, w, 0) = ${exercise}(L, 0, λ) = mean(L): the data term is (1/n)Σ_i L_i`,
    hint: `${catalogue}: the data term is the mean (1/n)Σ_i L_i over the n examples, and the penalty vanishes at λ = 0 and at w = 0`,
    arbitrary: fc.tuple(losses, weights, lambda),
    verify: async ([L, w, lam], s) => {
      const mean = sum(L) / L.length;
      const variants = { [MISTAKES.dataSum]: sum(L) };
      expectClose(await number(s, exercise, [L, w, 0]), mean, FLOAT64, `${exercise}(L, w, 0) vs the mean of L`, variants);
      expectClose(await number(s, exercise, [L, w.map(() => 0), lam]), mean, FLOAT64, `${exercise}(L, 0, λ) vs the mean of L`, variants);
    },
  });
}

function perExampleCost(exercise: CostName, catalogue: string): Check {
  return property({
    id: `${catalogue}.${exercise}.per-example`, exercise, catalogue,
    title: `${exercise}(L ⧺ L, w, 2λ) = ${exercise}(L, w, λ): both terms are divided by n`,
    hint: `${catalogue}: (λ/n) with n the number of examples: twice the examples and twice λ give the same cost`,
    arbitrary: fc.tuple(losses, weights, lambda),
    verify: async ([L, w, lam], s) => {
      const once = await number(s, exercise, [L, w, lam]);
      expectClose(await number(s, exercise, [[...L, ...L], w, 2 * lam]), once, FLOAT64, `${exercise}(L ⧺ L, w, 2λ) vs ${exercise}(L, w, λ)`);
    },
  });
}

function perExampleGrad(exercise: GradName, catalogue: string): Check {
  return property({
    id: `${catalogue}.${exercise}.per-example`, exercise, catalogue,
    title: `${exercise}(G ⧺ G, w, 2λ) = ${exercise}(G, w, λ): a mean over the rows, and λ/n`,
    hint: `${catalogue}: average the per-example gradients over the n rows, and divide the penalty's λ by the same n`,
    arbitrary: weights.chain((w) => fc.tuple(gradsFor(w.length, fc.integer({ min: 1, max: 5 })), fc.constant(w), lambda)),
    verify: async ([G, w, lam], s) => {
      const once = await vector(s, exercise, [G, w, lam], w.length);
      expectClose(await vector(s, exercise, [[...G, ...G], w, 2 * lam], w.length), once, FLOAT64, `${exercise}(G ⧺ G, w, 2λ) vs ${exercise}(G, w, λ)`);
    },
  });
}

/**
 * The gradient of the student's own cost, on the least-squares model: w ↦ cost(L(w), w, λ) by
 * central differences against grad(∇L(w), w, λ). `penalty(w, λ, n)` is the penalty's correct
 * gradient, from which the variants subtract or add what a mistake changes.
 */
function numericGrad(exercise: GradName, cost: CostName, catalogue: string, hint: string, entry: fc.Arbitrary<number>, variants: (r: Regression, numeric: Vec) => Variants): Check {
  return property({
    id: `${catalogue}.${exercise}.numeric`, exercise, catalogue, hint,
    title: `${exercise} equals the numerical gradient of your ${cost} (least-squares losses L_i = (x_iᵀw − y_i)²)`,
    arbitrary: regression(entry),
    numRuns: 50,
    verify: async (r, s) => {
      const received = await vector(s, exercise, [modelAt(r, r.w).lossGrads, r.w, r.lambda], r.w.length);
      const numeric = await numericalGradient(async (v) => number(s, cost, [modelAt(r, v).losses, v, r.lambda]), r.w);
      expectClose(received, numeric, NUMERIC, `${exercise}(∇L(w), w, λ) vs the central difference of your ${cost}(L(w), w, λ)`, variants(r, numeric));
    },
  });
}

const l2 = l2Example.input;
const l1 = l1Example.input;

const l2CostChecks: Check[] = [
  example({
    id: 'E1.l2RegularizedCost.example', exercise: 'l2RegularizedCost', catalogue: 'E1',
    title: 'l2RegularizedCost([1, 2, 3], [1, −2], 0.3) = 6/3 + (0.3/3)·5 = 2.5',
    hint: 'E1: (1/n)Σ_i L_i + (λ/n)Σ_j w_j² ([Training] "L1/L2 Regularization"), n = 3 examples',
    args: [l2.losses, l2.w, l2.lambda], expected: l2Example.expected.cost,
    variants: { [MISTAKES.penaltyNoN]: 2 + 0.3 * 5, [MISTAKES.dataSum]: 6 + 0.5, [MISTAKES.half]: 2 + 0.25, [MISTAKES.normNotSquared]: 2 + 0.1 * Math.sqrt(5) },
  }),
  meanCheck('l2RegularizedCost', 'E1'),
  perExampleCost('l2RegularizedCost', 'E1'),
  property({
    id: 'E1.l2RegularizedCost.quadratic', exercise: 'l2RegularizedCost', catalogue: 'E1',
    title: 'the penalty cost(L, w, λ) − cost(L, 0, λ) is ≥ 0 and quadruples when w doubles',
    hint: 'E1: Σ_j w_j² = ‖w‖₂², the squared norm: degree 2 in w',
    arbitrary: fc.tuple(losses, weights, lambda),
    verify: async ([L, w, lam], s) => {
      const base = await number(s, 'l2RegularizedCost', [L, w.map(() => 0), lam]);
      const once = (await number(s, 'l2RegularizedCost', [L, w, lam])) - base;
      const twice = (await number(s, 'l2RegularizedCost', [L, w.map((x) => 2 * x), lam])) - base;
      expectThat(once >= -1e-12 * (1 + Math.abs(base)), `the penalty cost(L, w, λ) − cost(L, 0, λ) = ${once} is negative`, once);
      // the differences cancel the data term: allow its rounding, 1e−15·|base| per evaluation
      expectClose(twice, 4 * once, { rtol: 1e-9, atol: 1e-13 * (1 + Math.abs(base)) }, 'cost(L, 2w, λ) − cost(L, 0, λ) vs 4·(cost(L, w, λ) − cost(L, 0, λ))', { [MISTAKES.normNotSquared]: 2 * once });
    },
  }),
];

const l2GradChecks: Check[] = [
  example({
    id: 'E1.l2RegularizedCostGrad.example', exercise: 'l2RegularizedCostGrad', catalogue: 'E1',
    title: 'l2RegularizedCostGrad([[1, 0], [0, 1], [2, −1]], [1, −2], 0.3) = [1, 0] + 0.2·[1, −2] = [1.2, −0.4]',
    hint: 'E1: (1/n)Σ_i ∇L_i + (2λ/n)w: the mean of the rows plus the penalty\'s gradient, factor 2 included',
    args: [l2.lossGrads, l2.w, l2.lambda], expected: l2Example.expected.grad,
    variants: { [MISTAKES.l2Two]: [1.1, -0.2], [MISTAKES.penaltyNoN]: [1.6, -1.2], [MISTAKES.dataSum]: [3.2, -0.4], [MISTAKES.penaltySign]: [0.8, 0.4] },
  }),
  numericGrad('l2RegularizedCostGrad', 'l2RegularizedCost', 'E1', 'E1: ∂/∂w [(1/n)Σ L_i + (λ/n)Σ w_j²] = (1/n)Σ ∇L_i + (2λ/n)w', signed(0.05, 2), (r, numeric) => {
    const n = r.X.length;
    const data = meanRows(modelAt(r, r.w).lossGrads);
    return {
      [MISTAKES.l2Two]: add(numeric, scaled(r.w, -r.lambda / n)),
      [MISTAKES.penaltyNoN]: add(numeric, scaled(r.w, 2 * r.lambda - (2 * r.lambda) / n)),
      [MISTAKES.dataSum]: add(numeric, scaled(data, n - 1)),
      [MISTAKES.penaltySign]: add(numeric, scaled(r.w, (-4 * r.lambda) / n)),
    };
  }),
  perExampleGrad('l2RegularizedCostGrad', 'E1'),
];

const l1CostChecks: Check[] = [
  example({
    id: 'E2.l1RegularizedCost.example', exercise: 'l1RegularizedCost', catalogue: 'E2',
    title: 'l1RegularizedCost([1, 2, 3], [1, −2, 0], 0.3) = 2 + 0.1·3 = 2.3',
    hint: 'E2: (1/n)Σ_i L_i + (λ/n)Σ_j |w_j| ([Training] "L1/L2 Regularization")',
    args: [l1.losses, l1.w, l1.lambda], expected: l1Example.expected.cost,
    variants: { [MISTAKES.penaltyNoN]: 2 + 0.9, [MISTAKES.dataSum]: 6.3, 'Σ w_j without the absolute value': 2 - 0.1 },
  }),
  meanCheck('l1RegularizedCost', 'E2'),
  perExampleCost('l1RegularizedCost', 'E2'),
  property({
    id: 'E2.l1RegularizedCost.absolute', exercise: 'l1RegularizedCost', catalogue: 'E2',
    title: 'the penalty cost(L, w, λ) − cost(L, 0, λ) is the same for −w and doubles when w doubles',
    hint: 'E2: Σ_j |w_j| = ‖w‖₁: the absolute values, degree 1 in w (not squared)',
    arbitrary: fc.tuple(losses, weights, lambda),
    verify: async ([L, w, lam], s) => {
      const base = await number(s, 'l1RegularizedCost', [L, w.map(() => 0), lam]);
      const once = (await number(s, 'l1RegularizedCost', [L, w, lam])) - base;
      // the differences cancel the data term: each cost rounds by ~1e−16·(|base| + penalty), far inside
      // rtol 1e−9 of the penalty (≥ (0.1/6)·0.05 ≈ 8e−4 here) plus atol 1e−13·(1 + |base|); a penalty of
      // the wrong degree (squares: 4× instead of 2×) or without |·| is off by O(1)
      const tol: Tolerance = { rtol: 1e-9, atol: 1e-13 * (1 + Math.abs(base)) };
      expectClose((await number(s, 'l1RegularizedCost', [L, w.map((x) => -x), lam])) - base, once, tol, 'the penalty at −w vs at w');
      expectClose((await number(s, 'l1RegularizedCost', [L, w.map((x) => 2 * x), lam])) - base, 2 * once, tol, 'the penalty at 2w vs 2 × the penalty at w', { 'Σ w_j² instead of Σ|w_j|': 4 * once });
    },
  }),
];

const l1GradChecks: Check[] = [
  example({
    id: 'E2.l1RegularizedCostGrad.example', exercise: 'l1RegularizedCostGrad', catalogue: 'E2',
    title: 'l1RegularizedCostGrad([[1, 0, 1], [0, 1, 1], [2, −1, 1]], [1, −2, 0], 0.3) = [1, 0, 1] + 0.1·[1, −1, 0]',
    hint: 'E2: (1/n)Σ_i ∇L_i + (λ/n)·sign(w), with sign(0) = 0 at the kink',
    args: [l1.lossGrads, l1.w, l1.lambda], expected: l1Example.expected.grad,
    variants: {
      [MISTAKES.l1Sign0]: [1.1, -0.1, 1.1],
      [MISTAKES.l1Sign0Neg]: [1.1, -0.1, 0.9],
      [MISTAKES.l1W]: [1.1, -0.2, 1],
      [MISTAKES.penaltyNoN]: [1.3, -0.3, 1],
      [MISTAKES.dataSum]: [3.1, -0.1, 3],
    },
  }),
  numericGrad('l1RegularizedCostGrad', 'l1RegularizedCost', 'E2', 'E2: ∂/∂w [(1/n)Σ L_i + (λ/n)Σ|w_j|] = (1/n)Σ ∇L_i + (λ/n)·sign(w) away from w_j = 0', signed(0.01, 2), (r, numeric) => {
    const n = r.X.length;
    const sign = r.w.map(Math.sign);
    return {
      [MISTAKES.l1W]: add(numeric, r.w.map((x, j) => (r.lambda / n) * (x - sign[j]))),
      [MISTAKES.penaltyNoN]: add(numeric, scaled(sign, r.lambda - r.lambda / n)),
      [MISTAKES.dataSum]: add(numeric, scaled(meanRows(modelAt(r, r.w).lossGrads), n - 1)),
    };
  }),
  perExampleGrad('l1RegularizedCostGrad', 'E2'),
];

// ---------------------------------------------------------------------------------------------
// E3 — dropout

const D = dropoutExample;
const M = D.train.mask;
const complement = mapM(M, (m) => 1 - m);
const DOUT = [[2, 1, -1, 3], [0.5, -2, 4, 1]];

const maskChecks: Check[] = [
  example({
    id: 'E3.dropoutMask.example', exercise: 'dropoutMask', catalogue: 'E3',
    title: 'dropoutMask(2, 4, 0.5, 987659584) = [[1, 0, 1, 0], [1, 1, 0, 1]] (the uniforms 0.009 0.937 0.241 0.671 | 0.009 0.164 0.674 0.096)',
    hint: 'E3: random = createRandom(seed); for each row, for each column: m = random.uniform() < p ? 1 : 0',
    args: [maskExample.input.rows, maskExample.input.cols, maskExample.input.p, maskExample.input.seed], expected: maskExample.expected,
    variants: { [MISTAKES.keepAsDrop]: complement, [MISTAKES.columnOrder]: [[1, 1, 1, 0], [0, 0, 1, 1]] },
  }),
  // u < p is strict: with p set to the third uniform u_02 = 0.24105253849340025 itself (printed to
  // 17 digits, so it round-trips exactly), that unit is dropped. The other seven against 0.241 by
  // hand: row 0 0.009 → 1, 0.937 → 0, u_02 → 0, 0.671 → 0; row 1 0.009 → 1, 0.164 → 1, 0.674 → 0, 0.096 → 1
  example({
    id: 'E3.dropoutMask.tie', exercise: 'dropoutMask', catalogue: 'E3',
    title: 'dropoutMask(2, 4, u_02, 987659584) = [[1, 0, 0, 0], [1, 1, 0, 1]]: the unit whose uniform equals p is dropped (u < p is strict)',
    hint: 'E3: the unit is kept iff u < p, strictly: a uniform equal to p drops its unit',
    args: [2, 4, uniforms[2], maskExample.input.seed], expected: [[1, 0, 0, 0], [1, 1, 0, 1]],
    variants: { 'u ≤ p instead of u < p: a uniform equal to p must drop its unit': [[1, 0, 1, 0], [1, 1, 0, 1]] },
  }),
  property({
    id: 'E3.dropoutMask.binary', exercise: 'dropoutMask', catalogue: 'E3',
    title: 'dropoutMask(rows, cols, p, seed) is a rows × cols matrix of 0s and 1s, the same for the same seed, all 1s at p = 1',
    hint: 'E3: a mask of 0/1 entries from createRandom(seed): create the generator inside the call, so that one seed always gives one mask',
    arbitrary: fc.tuple(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 5 }), keep, seed),
    numRuns: 50,
    verify: async ([r, c, p, sd], s) => {
      const m = await matrix(s, 'dropoutMask', [r, c, p, sd], r, c);
      expectThat(m.every((row) => row.every((v) => v === 0 || v === 1)), `${callText('dropoutMask', [r, c, p, sd])} has entries other than 0 and 1`, m);
      expectClose(await matrix(s, 'dropoutMask', [r, c, p, sd], r, c), m, FLOAT64, 'a second call with the same seed');
      expectClose(await matrix(s, 'dropoutMask', [r, c, 1, sd], r, c), m.map((row) => row.map(() => 1)), FLOAT64, `${callText('dropoutMask', [r, c, 1, sd])} (p = 1 keeps every unit: u < 1 always)`);
    },
  }),
  property({
    id: 'E3.dropoutMask.order', exercise: 'dropoutMask', catalogue: 'E3',
    title: 'one uniform per unit, row by row: the first rows of a taller mask, and a 1 × (rows·cols) mask, repeat the mask',
    hint: 'E3: draw exactly one random.uniform() per unit in the order u_00, u_01, …, u_10, … from a single createRandom(seed)',
    arbitrary: fc.tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 5 }), keep, seed),
    numRuns: 50,
    verify: async ([r1, r2, c, p, sd], s) => {
      const m = await matrix(s, 'dropoutMask', [r1, c, p, sd], r1, c);
      const taller = await matrix(s, 'dropoutMask', [r1 + r2, c, p, sd], r1 + r2, c);
      expectClose(taller.slice(0, r1), m, FLOAT64, `the first ${r1} rows of ${callText('dropoutMask', [r1 + r2, c, p, sd])} vs ${callText('dropoutMask', [r1, c, p, sd])}`);
      const row = await matrix(s, 'dropoutMask', [1, r1 * c, p, sd], 1, r1 * c);
      expectClose(row[0], flat(m), FLOAT64, `${callText('dropoutMask', [1, r1 * c, p, sd])} vs ${callText('dropoutMask', [r1, c, p, sd])} read row by row`);
    },
  }),
  property({
    id: 'E3.dropoutMask.rate', exercise: 'dropoutMask', catalogue: 'E3',
    title: 'a 200 × 100 mask keeps a fraction p of the units (within ±0.025)',
    hint: 'E3: each unit is kept with probability p (u < p for u ~ U[0, 1)): p is the KEEP probability',
    // R = 20000 independent units: Hoeffding gives P(|k/R − p| ≥ 0.025) ≤ 2e^(−2·20000·0.025²) = 2e^−25 ≈ 2.8e−11 per run
    // for a correct mask (the sd of k/R is ≤ 0.0035, so ±0.025 is ≥ 7 sd); p = drop probability gives 1 − p, off by |1 − 2p| > 0.025 for p ∉ [0.4875, 0.5125]
    arbitrary: fc.tuple(uniform({ min: 0.05, max: 0.95 }), seed),
    numRuns: 10,
    verify: async ([p, sd], s) => {
      const m = await matrix(s, 'dropoutMask', [200, 100, p, sd], 200, 100);
      const fraction = sum(flat(m)) / 20000;
      // Hoeffding with R = 20000 units and t = 0.025 (the bound above): a correct mask fails with probability ≤ 2.8e−11 per run
      expectClose(fraction, p, { rtol: 0, atol: 0.025 }, `the fraction of units kept by ${callText('dropoutMask', [200, 100, p, sd])}`, { [MISTAKES.keepAsDrop]: 1 - p });
    },
  }),
];

/** The variants of a train-time dropout output (or gradient) x ⊙ m, for the notes' form (inverted = false) or the inverted one. */
function trainVariants(x: Mat, mask: Mat, p: number, inverted: boolean, key?: 'out'): Variants {
  const kept = mul(x, mask);
  const wrap = (v: Mat) => (key ? { [key]: v } : v);
  const dropped = mul(x, mapM(mask, (m) => 1 - m));
  return inverted
    ? {
        [MISTAKES.invTrainUnscaled]: wrap(kept),
        [MISTAKES.invTrainTimesP]: wrap(mapM(kept, (v) => p * v)),
        [MISTAKES.keepAsDrop]: wrap(mapM(dropped, (v) => v / p)),
        [MISTAKES.maskIgnored]: wrap(mapM(x, (v) => v / p)),
      }
    : {
        [MISTAKES.notesScaledAtTrain]: wrap(mapM(kept, (v) => p * v)),
        [MISTAKES.notesInvertedAtTrain]: wrap(mapM(kept, (v) => v / p)),
        [MISTAKES.keepAsDrop]: wrap(dropped),
        [MISTAKES.maskIgnored]: wrap(x),
      };
}

/**
 * The variants of a test-time output (or gradient) for input x; `maskAtTest` is the mask the
 * train phase would draw with the test's p and seed (a student who masks at test time uses it).
 */
function testVariants(x: Mat, p: number, inverted: boolean, maskAtTest: Mat | null, key?: 'out'): Variants {
  const wrap = (v: Mat) => (key ? { [key]: v } : v);
  const masked = maskAtTest ? { [MISTAKES.testMasked]: wrap(mapM(mul(x, maskAtTest), (v) => (inverted ? v / p : v))) } : {};
  return inverted
    ? { [MISTAKES.invTestNotes]: wrap(mapM(x, (v) => p * v)), [MISTAKES.invTestScaled]: wrap(mapM(x, (v) => v / p)), ...masked }
    : {
        [MISTAKES.notesTestUnscaled]: wrap(x),
        [MISTAKES.notesTestInverse]: wrap(mapM(x, (v) => v / p)),
        [MISTAKES.oneMinusP]: wrap(mapM(x, (v) => (1 - p) * v)),
        ...masked,
      };
}

const activations = matrixOf(signed(0.1, 3));

/** out = a ⊙ (your mask) [/ p] and cache = { mask: your mask, p, mode: 'train' }. */
function ownMask(exercise: 'dropoutForward' | 'invertedDropoutForward', inverted: boolean): Check {
  return property({
    id: `E3.${exercise}.mask`, exercise, catalogue: 'E3',
    title: `${exercise}(a, p, 'train', seed) = a ⊙ m${inverted ? ' / p' : ''} with m = your dropoutMask(N, D, p, seed), cached as { mask: m, p, mode }`,
    hint: `E3: draw the mask with dropoutMask(a.length, a[0].length, p, seed)${inverted ? ', multiply and divide by p' : ' and multiply (no rescaling at train time in the notes\' form)'}; keep it in the cache for the backward pass`,
    arbitrary: fc.tuple(activations, keep, seed),
    numRuns: 50,
    verify: async ([a, p, sd], s) => {
      const m = await matrix(s, 'dropoutMask', [a.length, a[0].length, p, sd], a.length, a[0].length);
      const { out, cache } = await dropout(s, exercise, a, p, 'train', sd);
      const expected = inverted ? mapM(mul(a, m), (v) => v / p) : mul(a, m);
      expectClose(out, expected, FLOAT64, `${callText(exercise, [a, p, 'train', sd])}.out vs a ⊙ m${inverted ? ' / p' : ''}`, trainVariants(a, m, p, inverted));
      expectClose(cache, { mask: m, p, mode: 'train' }, FLOAT64, `${callText(exercise, [a, p, 'train', sd])}.cache`);
    },
  });
}

/**
 * Dropout keeps the expectation: the column means of the train output over R = 4000 identical
 * rows v equal the test output for v. Column j's mean is v_j·k_j/R (notes) or v_j·k_j/(Rp)
 * (inverted), k_j ~ Binomial(R, p): Hoeffding, P(|k_j/R − p| ≥ 0.06) ≤ 2e^(−2·4000·0.06²) =
 * 2e^−28.8 ≈ 6e−13 per column, so the bound |mean_j − test_j| ≤ 0.06·|v_j| (divided by p when
 * inverted) fails a correct implementation with probability ≤ 2.5e−11 over 10 runs × 4 columns.
 * p stays in [0.2, 0.8]: every wrong phase (p applied at train instead of test, 1/p at test
 * instead of train, p or 1/p in both) puts the mean at least (1 − p)|v_j| ≥ 0.2|v_j| from the
 * test output, which stays outside the bound even after the mean's own noise: that needs
 * (1 − p) − 0.06/p > 0.06/p, i.e. p(1 − p) > 0.12, and p(1 − p) ≥ 0.16 on [0.2, 0.8].
 */
function expectation(exercise: 'dropoutForward' | 'invertedDropoutForward', inverted: boolean): Check {
  const R = 4000;
  return property({
    id: `E3.${exercise}.expectation`, exercise, catalogue: 'E3',
    title: `dropout keeps the expectation: the mean ${exercise} train output over ${R} rows ≈ the test output (±0.06|v|${inverted ? '/p' : ''})`,
    hint: inverted
      ? 'E3: E[a ⊙ m / p] = a, so inverted dropout is the identity at test time'
      : 'E3: E[a ⊙ m] = p·a, so the notes scale by p at test time (not during training)',
    arbitrary: fc.tuple(fc.array(signed(0.5, 2), { minLength: 1, maxLength: 4 }), uniform({ min: 0.2, max: 0.8 }), seed),
    numRuns: 10,
    verify: async ([v, p, sd], s) => {
      const train = await dropout(s, exercise, Array.from({ length: R }, () => v), p, 'train', sd);
      const test = (await dropout(s, exercise, [v], p, 'test', sd)).out[0];
      const mean = meanRows(train.out);
      for (let j = 0; j < v.length; j++) {
        const variants = inverted
          ? { [MISTAKES.invTrainUnscaled]: p * test[j], [MISTAKES.invTestScaled]: p * p * test[j], [MISTAKES.invTestNotes]: test[j] / p }
          : { [MISTAKES.notesScaledAtTrain]: p * p * test[j], [MISTAKES.notesInvertedAtTrain]: test[j] / p };
        // Hoeffding with R = 4000 rows and t = 0.06 per column, scaled by |v_j| (and 1/p when inverted): see the comment above expectation()
        expectClose(mean[j], test[j], { rtol: 0, atol: (0.06 * Math.abs(v[j])) / (inverted ? p : 1) }, `column ${j} (v_j = ${v[j]}, p = ${p}): the mean train output vs the test output`, variants);
      }
    },
  });
}

const notesForwardChecks: Check[] = [
  example({
    id: 'E3.dropoutForward.train', exercise: 'dropoutForward', catalogue: 'E3',
    title: "dropoutForward(a, 0.6, 'train', 987659584).out = a ⊙ m = [[1, 0, 3, 0], [−1, 4, 0, −3]] (no rescaling)",
    hint: 'E3: the notes\' train phase only drops: out = a ⊙ m; the scaling by p happens at test time ([Tu] "Dropout")',
    args: [D.a, D.train.p, 'train', D.train.seed], expected: { out: D.notesTrain, cache: { mask: M, p: D.train.p, mode: 'train' } },
    variants: trainVariants(D.a, M, D.train.p, false, 'out'),
  }),
  example({
    id: 'E3.dropoutForward.test', exercise: 'dropoutForward', catalogue: 'E3',
    title: "dropoutForward(a, 0.8, 'test', …).out = 0.8·a, cache.mask = null",
    hint: 'E3: "During testing, use all activations but scale them by p" ([Tu] "Dropout"): no mask, out = p·a',
    args: [D.a, D.test.p, 'test', D.train.seed], expected: { out: D.notesTest, cache: { mask: null, p: D.test.p, mode: 'test' } },
    variants: testVariants(D.a, D.test.p, false, D.test.mask, 'out'),
  }),
  ownMask('dropoutForward', false),
  expectation('dropoutForward', false),
];

const invertedForwardChecks: Check[] = [
  example({
    id: 'E3.invertedDropoutForward.train', exercise: 'invertedDropoutForward', catalogue: 'E3',
    title: "invertedDropoutForward(a, 0.6, 'train', 987659584).out = a ⊙ m / 0.6 = [[5/3, 0, 5, 0], [−5/3, 20/3, 0, −5]]",
    hint: 'E3: inverted dropout rescales at train time: out = a ⊙ m / p, so that E[out] = a',
    args: [D.a, D.train.p, 'train', D.train.seed], expected: { out: D.invertedTrain, cache: { mask: M, p: D.train.p, mode: 'train' } },
    variants: trainVariants(D.a, M, D.train.p, true, 'out'),
  }),
  example({
    id: 'E3.invertedDropoutForward.test', exercise: 'invertedDropoutForward', catalogue: 'E3',
    title: "invertedDropoutForward(a, 0.8, 'test', …).out = a (the identity), cache.mask = null",
    hint: 'E3: inverted dropout already divided by p during training, so at test time it returns a unchanged',
    args: [D.a, D.test.p, 'test', D.train.seed], expected: { out: D.a, cache: { mask: null, p: D.test.p, mode: 'test' } },
    variants: testVariants(D.a, D.test.p, true, D.test.mask, 'out'),
  }),
  ownMask('invertedDropoutForward', true),
  expectation('invertedDropoutForward', true),
];

/**
 * backward(dout, cache) = the numerical gradient of a ↦ Σ dout ⊙ forward(a, p, mode, seed).out,
 * the student's own forward with the mask fixed by the seed (the forward is linear in a, so the
 * central difference is exact up to rounding ≈ 1e−16·|L|/h ≤ 1e−8).
 */
function backwardNumeric(exercise: 'dropoutBackward' | 'invertedDropoutBackward', forward: 'dropoutForward' | 'invertedDropoutForward', inverted: boolean): Check {
  return property({
    id: `E3.${exercise}.numeric`, exercise, catalogue: 'E3',
    title: `${exercise}(dout, cache) equals the numerical gradient of Σ dout ⊙ your ${forward}(a, p, mode, seed).out, in both modes`,
    hint: inverted
      ? 'E3: the forward is linear in a: ∂L/∂a = dout ⊙ m / p at train time and dout at test time'
      : 'E3: the forward is linear in a: ∂L/∂a = dout ⊙ m at train time and p·dout at test time',
    arbitrary: activations.chain((a) => fc.tuple(fc.constant(a), fc.array(fc.array(signed(0.1, 3), { minLength: a[0].length, maxLength: a[0].length }), { minLength: a.length, maxLength: a.length }), uniform({ min: 0.2, max: 1 }), fc.constantFrom<'train' | 'test'>('train', 'test'), seed)),
    numRuns: 40,
    verify: async ([a, dout, p, mode, sd], s) => {
      const { cache } = await dropout(s, forward, a, p, mode, sd);
      const received = await s.call(exercise, [dout, cache]);
      const cols = a[0].length;
      const loss = async (v: Vec) => sum(flat(mul((await dropout(s, forward, reshape(v, cols), p, mode, sd)).out, dout)));
      const numeric = reshape(await numericalGradient(loss, flat(a)), cols);
      // a factor between the two names a phase mistake in one of them (the forward checks say which)
      const off = (factor: string, rule: string) => `your ${exercise} is ${factor} × the derivative of your ${forward} in mode '${mode}': dropout scaling in the wrong phase in one of the two (${rule})`;
      const ratio = (c: number) => mapM(numeric, (x) => c * x);
      const rule = inverted ? 'inverted dropout divides by p during training and is the identity at test time' : 'the notes do not rescale during training and multiply by p at test time';
      const variants: Variants =
        mode === 'train'
          ? inverted
            ? { [off('p', rule)]: ratio(p), [off('p²', rule)]: ratio(p * p) }
            : { [off('p', rule)]: ratio(p), [off('1/p', rule)]: ratio(1 / p) }
          : inverted
            ? { [off('p', rule)]: ratio(p), [off('1/p', rule)]: ratio(1 / p) }
            : { [off('1/p', rule)]: ratio(1 / p), [off('1/p²', rule)]: ratio(1 / (p * p)) };
      expectClose(received, numeric, NUMERIC, `${exercise}(dout, cache) in mode '${mode}' vs the central difference of Σ dout ⊙ your ${forward}(a, ${p}, '${mode}', ${sd}).out`, variants);
    },
  });
}

const notesBackwardChecks: Check[] = [
  example({
    id: 'E3.dropoutBackward.train', exercise: 'dropoutBackward', catalogue: 'E3',
    title: "dropoutBackward(dout, { mask, p: 0.6, mode: 'train' }) = dout ⊙ mask",
    hint: 'E3: at train time the notes\' dropout is out = a ⊙ m, so ∂L/∂a = dout ⊙ m (no factor p)',
    args: [DOUT, { mask: M, p: D.train.p, mode: 'train' }], expected: mul(DOUT, M),
    variants: trainVariants(DOUT, M, D.train.p, false),
  }),
  example({
    id: 'E3.dropoutBackward.test', exercise: 'dropoutBackward', catalogue: 'E3',
    title: "dropoutBackward(dout, { mask: null, p: 0.8, mode: 'test' }) = 0.8·dout",
    hint: 'E3: at test time the notes\' dropout is out = p·a, so ∂L/∂a = p·dout',
    args: [DOUT, { mask: null, p: D.test.p, mode: 'test' }], expected: mapM(DOUT, (g) => D.test.p * g),
    variants: testVariants(DOUT, D.test.p, false, null),
  }),
  backwardNumeric('dropoutBackward', 'dropoutForward', false),
];

const invertedBackwardChecks: Check[] = [
  example({
    id: 'E3.invertedDropoutBackward.train', exercise: 'invertedDropoutBackward', catalogue: 'E3',
    title: "invertedDropoutBackward(dout, { mask, p: 0.6, mode: 'train' }) = dout ⊙ mask / 0.6",
    hint: 'E3: at train time inverted dropout is out = a ⊙ m / p, so ∂L/∂a = dout ⊙ m / p',
    args: [DOUT, { mask: M, p: D.train.p, mode: 'train' }], expected: mapM(mul(DOUT, M), (g) => g / D.train.p),
    variants: trainVariants(DOUT, M, D.train.p, true),
  }),
  example({
    id: 'E3.invertedDropoutBackward.test', exercise: 'invertedDropoutBackward', catalogue: 'E3',
    title: "invertedDropoutBackward(dout, { mask: null, p: 0.8, mode: 'test' }) = dout",
    hint: 'E3: at test time inverted dropout is the identity, so ∂L/∂a = dout',
    args: [DOUT, { mask: null, p: D.test.p, mode: 'test' }], expected: DOUT,
    variants: testVariants(DOUT, D.test.p, true, null),
  }),
  backwardNumeric('invertedDropoutBackward', 'invertedDropoutForward', true),
];

// ---------------------------------------------------------------------------------------------
// E4 — gradient clipping

const gradient = fc.array(signed(0.01, 10), { minLength: 1, maxLength: 6 });
const threshold = uniform({ min: 0.1, max: 10 });

const clipNormChecks: Check[] = [
  example({
    id: 'E4.clipByNorm.clipped', exercise: 'clipByNorm', catalogue: 'E4',
    title: 'clipByNorm([3, 4], 1) = [3, 4]·1/5 = [0.6, 0.8]',
    hint: 'E4: ‖g‖₂ = 5 > c = 1, so g ← g·c/‖g‖₂: the direction is kept, the norm becomes c',
    args: [[3, 4], 1], expected: [0.6, 0.8],
    variants: { [MISTAKES.byValue]: [1, 1], [MISTAKES.squaredNorm]: [0.12, 0.16], [MISTAKES.l1Norm]: [3 / 7, 4 / 7] },
  }),
  example({
    id: 'E4.clipByNorm.unchanged', exercise: 'clipByNorm', catalogue: 'E4',
    title: 'clipByNorm([0.3, −0.4], 1) = [0.3, −0.4] (‖g‖ = 0.5 ≤ c)',
    hint: 'E4: only a gradient whose norm exceeds c is rescaled; a shorter one is returned unchanged',
    args: [[0.3, -0.4], 1], expected: [0.3, -0.4],
    variants: { [MISTAKES.alwaysRescaled]: [0.6, -0.8] },
  }),
  example({
    id: 'E4.clipByNorm.no-overflow', exercise: 'clipByNorm', catalogue: 'E4',
    title: 'clipByNorm([3e200, 4e200], 1) = [0.6, 0.8]: ‖g‖₂ = 5e200 computed without overflow',
    hint: 'E4: √(Σg²) overflows to ∞ once entries pass 1e154 (and g·c/∞ = 0): Math.hypot, or scale by max|g_i| first (the stub says so)',
    args: [[3e200, 4e200], 1], expected: [0.6, 0.8],
  }),
  property({
    id: 'E4.clipByNorm.norm', exercise: 'clipByNorm', catalogue: 'E4',
    title: 'clipByNorm(g, c) = s·g with 0 < s ≤ 1 and ‖clipByNorm(g, c)‖ = min(‖g‖, c)',
    hint: 'E4: clipping by norm keeps the direction of g and caps its Euclidean norm at c',
    arbitrary: fc.tuple(gradient, threshold),
    verify: async ([g, c], s) => {
      const out = await vector(s, 'clipByNorm', [g, c], g.length);
      const size = norm(g);
      const what = callText('clipByNorm', [g, c]);
      if (size === 0) return expectClose(out, g, FLOAT64, `${what} (a zero gradient stays zero)`);
      expectClose(norm(out), Math.min(size, c), FLOAT64, `‖${what}‖ vs min(‖g‖, c)`, { [MISTAKES.alwaysRescaled]: c });
      expectClose(out, scaled(g, Math.min(1, c / size)), FLOAT64, `${what} vs g·min(1, c/‖g‖) (the same direction)`, { [MISTAKES.byValue]: g.map((x) => Math.min(c, Math.max(-c, x))) });
    },
  }),
];

const clipValueChecks: Check[] = [
  example({
    id: 'E4.clipByValue.example', exercise: 'clipByValue', catalogue: 'E4',
    title: 'clipByValue([−3, 0.5, 2, −0.2], 1) = [−1, 0.5, 1, −0.2]',
    hint: 'E4: clamp every entry to [−c, c]: min(c, max(−c, g_i))',
    args: [[-3, 0.5, 2, -0.2], 1], expected: [-1, 0.5, 1, -0.2],
    variants: { [MISTAKES.clampAtZero]: [0, 0.5, 1, 0], [MISTAKES.byNorm]: scaled([-3, 0.5, 2, -0.2], 1 / Math.sqrt(13.29)) },
  }),
  property({
    id: 'E4.clipByValue.clamp', exercise: 'clipByValue', catalogue: 'E4',
    title: 'every entry of clipByValue(g, c) lies in [−c, c]; entries inside are unchanged, entries outside become ±c with their sign',
    hint: 'E4: clipping by value touches only the entries with |g_i| > c, setting them to c·sign(g_i)',
    arbitrary: fc.tuple(gradient, threshold),
    verify: async ([g, c], s) => {
      const out = await vector(s, 'clipByValue', [g, c], g.length);
      const what = callText('clipByValue', [g, c]);
      for (let i = 0; i < g.length; i++) {
        const want = Math.abs(g[i]) <= c ? g[i] : Math.sign(g[i]) * c;
        expectClose(out[i], want, FLOAT64, `${what}[${i}] for g_i = ${g[i]}, c = ${c}`);
      }
    },
  }),
];

// ---------------------------------------------------------------------------------------------
// E5 — max-norm

/** The rows of W renormalised to norm ≤ c (a variant generator: applied to Wᵀ it renormalises the columns). */
const renormRows = (W: Mat, c: number) => W.map((row) => (norm(row) > c ? scaled(row, c / norm(row)) : row));
const MAXNORM_W = [[3, 4], [0.3, 0.4], [0, -2]];

const maxNormChecks: Check[] = [
  example({
    id: 'E5.maxNorm.example', exercise: 'maxNorm', catalogue: 'E5',
    title: 'maxNorm([[3, 4], [0.3, 0.4], [0, −2]], 1) = [[0.6, 0.8], [0.3, 0.4], [0, −1]]',
    hint: 'E5: each row (a unit\'s incoming weights) with ‖w_j‖₂ > c is rescaled to norm c; row [0.3, 0.4] (norm 0.5) stays',
    args: [MAXNORM_W, 1], expected: [[0.6, 0.8], [0.3, 0.4], [0, -1]],
    variants: {
      [MISTAKES.columns]: transpose(renormRows(transpose(MAXNORM_W), 1)),
      [MISTAKES.frobenius]: mapM(MAXNORM_W, (x) => x / Math.sqrt(29.25)),
      [MISTAKES.alwaysRescaled]: [[0.6, 0.8], [0.6, 0.8], [0, -1]],
    },
  }),
  example({
    id: 'E5.maxNorm.no-overflow', exercise: 'maxNorm', catalogue: 'E5',
    title: 'maxNorm([[3e200, 4e200], [0.3, 0.4]], 1) = [[0.6, 0.8], [0.3, 0.4]]: the row norm 5e200 computed without overflow',
    hint: 'E5: √(Σw²) overflows to ∞ past 1e154 and the row collapses to 0: Math.hypot, or scale by the row\'s largest |w| first (the stub says so)',
    args: [[[3e200, 4e200], [0.3, 0.4]], 1], expected: [[0.6, 0.8], [0.3, 0.4]],
  }),
  property({
    id: 'E5.maxNorm.rows', exercise: 'maxNorm', catalogue: 'E5',
    title: 'every row of maxNorm(W, c) has norm ≤ c: rows within c are unchanged, longer rows keep their direction with norm c',
    hint: 'E5: renormalise row by row: w_j ← w_j·c/‖w_j‖ only when ‖w_j‖ > c',
    arbitrary: fc.tuple(matrixOf(signed(0.01, 5), 5), uniform({ min: 0.5, max: 8 })),
    verify: async ([W, c], s) => {
      const out = await matrix(s, 'maxNorm', [W, c], W.length, W[0].length);
      const variants = { [MISTAKES.columns]: transpose(renormRows(transpose(W), c)) };
      expectClose(out, renormRows(W, c), FLOAT64, `${callText('maxNorm', [W, c])} vs each row w_j·min(1, c/‖w_j‖)`, variants);
    },
  }),
];

// ---------------------------------------------------------------------------------------------
// E6 — early stopping

/** The stopping rule with a deliberate mistake (variant generator): ties improving, or the stop shifted by `shift` epochs. */
export function misrule(valErrors: Vec, patience: number, { ties = false, shift = 0, lastBest = false }): { bestEpoch: number; stopEpoch: number; stopped: boolean } {
  let best = 0;
  for (let e = 1; e < valErrors.length; e++) {
    const improves = lastBest ? valErrors[e] < valErrors[e - 1] : ties ? valErrors[e] <= valErrors[best] : valErrors[e] < valErrors[best];
    if (improves) best = e;
    else if (e - best === patience + shift) return { bestEpoch: best, stopEpoch: e, stopped: true };
  }
  return { bestEpoch: best, stopEpoch: valErrors.length - 1, stopped: false };
}

function stopExample(f: StopFixture, slug: string, title: string): Check {
  const { valErrors, patience } = f.input;
  return example({
    id: `E6.earlyStopping.${slug}`, exercise: 'earlyStopping', catalogue: 'E6', title,
    hint: 'E6: epoch 0 is the first best; a strictly lower error is an improvement (counter back to 0), anything else adds 1; stop at the epoch where the counter reaches patience',
    args: [valErrors, patience], expected: f.expected,
    variants: {
      [MISTAKES.ties]: misrule(valErrors, patience, { ties: true }),
      [MISTAKES.late]: misrule(valErrors, patience, { shift: 1 }),
      [MISTAKES.early]: misrule(valErrors, patience, { shift: -1 }),
      [MISTAKES.lastBest]: misrule(valErrors, patience, { lastBest: true }),
    },
  });
}

const byId = (id: string) => {
  const f = stopExamples.find((x) => x.id === id);
  if (!f) throw new Error(`no early-stopping fixture ${id}`);
  return f;
};

const stopChecks: Check[] = [
  stopExample(byId('E6-u-curve-patience-3'), 'u-curve', 'patience 3 on a U-shaped curve: the bump at epochs 5–6 is waited out, best epoch 7, stop at 10'),
  stopExample(byId('E6-u-curve-patience-2'), 'short-patience', 'patience 2 on the same curve: stop at epoch 6, best epoch 4'),
  stopExample(byId('E6-plateau-ties'), 'ties', 'a plateau of ties is no improvement: best epoch 2 (the first to reach 0.6), stop at 5'),
  stopExample(byId('E6-always-improving'), 'improving', 'a curve that always improves runs to its last epoch: { bestEpoch: 4, stopEpoch: 4, stopped: false }'),
  stopExample(byId('E6-stops-at-last-epoch'), 'last-epoch', 'patience running out exactly at the last epoch is a stop: { bestEpoch: 0, stopEpoch: 2, stopped: true }'),
  property({
    id: 'E6.earlyStopping.rule', exercise: 'earlyStopping', catalogue: 'E6',
    title: 'bestEpoch is the first minimum of the errors up to stopEpoch; stopped ⇔ stopEpoch − bestEpoch = patience, and no earlier epoch had waited that long',
    hint: 'E6: track the first epoch with the lowest error so far; stop as soon as `patience` epochs have passed since it',
    // errors from a few levels, so that ties and plateaus are common
    arbitrary: fc.tuple(fc.array(fc.integer({ min: 0, max: 6 }).map((k) => k / 4), { minLength: 1, maxLength: 15 }), fc.integer({ min: 1, max: 5 })),
    verify: async ([errors, patience], s) => {
      const r = await s.call('earlyStopping', [errors, patience]);
      const what = callText('earlyStopping', [errors, patience]);
      expectThat(isObject(r) && Number.isInteger(r.bestEpoch) && Number.isInteger(r.stopEpoch) && typeof r.stopped === 'boolean', `${what} must return { bestEpoch, stopEpoch, stopped } (integers and a boolean)`, r);
      const { bestEpoch, stopEpoch, stopped } = r as { bestEpoch: number; stopEpoch: number; stopped: boolean };
      expectThat(bestEpoch >= 0 && bestEpoch <= stopEpoch && stopEpoch < errors.length, `${what}: need 0 ≤ bestEpoch ≤ stopEpoch ≤ ${errors.length - 1}`, r);
      // the first argmin of each prefix, and how long it has been waited for
      let first = 0;
      for (let e = 1; e <= stopEpoch; e++) {
        if (errors[e] < errors[first]) first = e;
        else if (e < stopEpoch) expectThat(e - first < patience, `${what}: at epoch ${e} the best epoch ${first} was ${e - first} ≥ patience epochs ago: training should have stopped there`, r);
      }
      const variants = { [MISTAKES.ties]: misrule(errors, patience, { ties: true }), [MISTAKES.late]: misrule(errors, patience, { shift: 1 }), [MISTAKES.early]: misrule(errors, patience, { shift: -1 }) };
      expectClose(r, { bestEpoch: first, stopEpoch, stopped: stopEpoch - first === patience }, FLOAT64, `${what}: bestEpoch must be the first epoch with the lowest error up to stopEpoch, and stopped true exactly when stopEpoch − bestEpoch = patience`, variants);
      if (!stopped) expectThat(stopEpoch === errors.length - 1, `${what}: without a stop, training runs to the last epoch ${errors.length - 1}`, r);
    },
  }),
];

export const regularization: FamilyGrader = {
  id: 'E',
  module: 'regularization',
  title: 'Regularisation',
  exercises: [
    { name: 'l2RegularizedCost', catalogue: 'E1', arity: 3, summary: '(1/n)ΣL_i + (λ/n)Σw_j²' },
    { name: 'l2RegularizedCostGrad', catalogue: 'E1', arity: 3, summary: '(1/n)Σ∇L_i + (2λ/n)w' },
    { name: 'l1RegularizedCost', catalogue: 'E2', arity: 3, summary: '(1/n)ΣL_i + (λ/n)Σ|w_j|' },
    { name: 'l1RegularizedCostGrad', catalogue: 'E2', arity: 3, summary: '(1/n)Σ∇L_i + (λ/n)sign(w), sign(0) = 0' },
    { name: 'dropoutMask', catalogue: 'E3', arity: 4, summary: 'm_ij = [u_ij < p], u from createRandom(seed) row by row' },
    { name: 'dropoutForward', catalogue: 'E3', arity: 4, summary: "notes' dropout: train a ⊙ m, test p·a" },
    { name: 'dropoutBackward', catalogue: 'E3', arity: 2, summary: 'train dout ⊙ m, test p·dout' },
    { name: 'invertedDropoutForward', catalogue: 'E3', arity: 4, summary: 'inverted dropout: train a ⊙ m / p, test a' },
    { name: 'invertedDropoutBackward', catalogue: 'E3', arity: 2, summary: 'train dout ⊙ m / p, test dout' },
    { name: 'clipByNorm', catalogue: 'E4', arity: 2, summary: 'g·c/‖g‖ when ‖g‖ > c' },
    { name: 'clipByValue', catalogue: 'E4', arity: 2, summary: 'each entry clamped to [−c, c]' },
    { name: 'maxNorm', catalogue: 'E5', arity: 2, summary: 'each row of W renormalised to norm ≤ c' },
    { name: 'earlyStopping', catalogue: 'E6', arity: 2, summary: '{ bestEpoch, stopEpoch, stopped } with patience' },
  ],
  checks: [
    ...l2CostChecks, ...l2GradChecks, ...l1CostChecks, ...l1GradChecks,
    ...maskChecks, ...notesForwardChecks, ...notesBackwardChecks, ...invertedForwardChecks, ...invertedBackwardChecks,
    ...clipNormChecks, ...clipValueChecks, ...maxNormChecks, ...stopChecks,
  ],
};
