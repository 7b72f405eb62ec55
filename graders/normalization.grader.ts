/**
 * Family F (normalisation): public checks. The notes print the algorithms but no numbers, so
 * the examples are derived by hand (fixtures/normalization.fixtures.ts); then the invariants of
 * each transform (batch norm's output has mean β and variance γ²σ²/(σ² + ε) per feature; a
 * standardised feature has mean 0 and variance 1; LRN's window, symmetry and scaling; group
 * norm's G = 1 → layer norm and G = C → instance norm), the running averages and test mode, and
 * every backward against the numerical gradient of the student's own forward (full and along
 * random directions). Where a wrong value matches a known mistake, the report names it.
 */
import fc from 'fast-check';
import {
  batchNormBackwardExample,
  batchNormTest,
  batchNormTrain,
  groupNormBackwardExample,
  groupNormExample,
  lrnExample,
  lrnWide,
  standardizeConstant,
  standardizeExample,
  standardizeOffset,
} from '../fixtures/normalization.fixtures.ts';
import { direction } from './engine/arbitraries.ts';
import { callText, example, expectClose, expectThat, FLOAT64, NUMERIC, property } from './engine/checks.ts';
import { negated, scaled, type Variants } from './engine/diagnose.ts';
import { directionalDerivative, numericalGradient } from './engine/numeric.ts';
import type { Check, FamilyGrader, StudentModule, Tolerance } from './engine/types.ts';
import { isImage, isMatrix, isObject, isVector } from './engine/shapes.ts';
import { imageOf, matrixOf, signed, vectorOf } from './engine/arbitraries.ts';

type Vec = number[];
type Mat = number[][];
type Img = number[][][];
type Running = { mean: Vec; variance: Vec };
type Options = { mode: 'train' | 'test'; eps: number; momentum: number };
type S = StudentModule;

// ---------------------------------------------------------------------------------------------
// mistakes the reports name (the hidden checks use the same labels)

export const MISTAKES = {
  unbiased: 'the unbiased variance 1/(m − 1) where batch norm uses the biased 1/m',
  epsOutside: 'ε added outside the square root: (x − μ)/(√σ² + ε) instead of (x − μ)/√(σ² + ε)',
  momentumSwapped: 'the momentum weights swapped: running ← (1 − momentum)·running + momentum·batch',
  unbiasedRunning: "the running variance updated with the unbiased σ² (PyTorch's convention; this course keeps the biased σ²_B)",
  batchStatsInTest: 'test mode normalised with the batch statistics instead of the running averages',
  swapped: 'the γ and β gradients swapped',
  constantStats: 'the mean and variance treated as constants: only the direct path dout·γ/√(σ² + ε) to x',
  missingOneOverM: 'a missing 1/m',
  unbiasedStd: 'the unbiased standard deviation 1/(m − 1) where standardisation uses the biased 1/m',
  varianceNotStd: 'divided by the variance σ² instead of the standard deviation σ',
  alphaOverN: "α divided by the window size n (Caffe's and PyTorch's convention; the notes' formula has no 1/n)",
  unbiasedGroup: 'the unbiased variance 1/(M − 1) where group norm uses the biased 1/M',
} as const;

// ---------------------------------------------------------------------------------------------
// helpers


const sum = (v: Vec) => v.reduce((a, b) => a + b, 0);
const avg = (v: Vec) => sum(v) / v.length;
/** (1/n)Σ(v − mean)², two passes. */
const popVar = (v: Vec) => {
  const m = avg(v);
  return v.reduce((a, b) => a + (b - m) ** 2, 0) / v.length;
};
const col = (x: Mat, j: number) => x.map((row) => row[j]);
const cols = (x: Mat) => x[0].map((_, j) => col(x, j));
const flatImage = (x: Img) => x.flat(2);
const shapeImage = (v: Vec, C: number, H: number, W: number): Img => Array.from({ length: C }, (_, c) => Array.from({ length: H }, (_, h) => v.slice((c * H + h) * W, (c * H + h + 1) * W)));
const dot = (a: Vec, b: Vec) => a.reduce((s, v, i) => s + v * b[i], 0);

/** Entries of magnitude in [lo, hi] with either sign: shrinking stops at ±lo, never at a meaningless 1e−300. */

/** ε where its placement shows (1e−3 … 1) and, for the numerical checks, ≥ 0.05 so that 1/√(σ² + ε) stays ≤ 4.5. */
const epsilon = fc.oneof(fc.constantFrom(1e-3, 0.01, 0.5), fc.double({ min: 1e-3, max: 1, noNaN: true }));
const smoothEpsilon = fc.oneof(fc.constantFrom(0.1, 0.5), fc.double({ min: 0.05, max: 1, noNaN: true }));
/** Momentum away from ½ (where swapping its weights changes nothing), tfjs-layers' 0.99 often. */
const momentum = fc.oneof(fc.constantFrom(0.9, 0.99, 0), fc.double({ min: 0.6, max: 0.99, noNaN: true }));

/**
 * Sums that must vanish, compared with an absolute tolerance scaled to the terms summed:
 * rounding leaves ~1e−16 per term, 1e−9 of the largest term is far above that and far below
 * what a wrong gradient leaves (a fraction of the terms themselves).
 */
const vanishing = (scale: number): Tolerance => ({ rtol: 0, atol: 1e-9 * (1 + scale) });

// ---------------------------------------------------------------------------------------------
// F1 — batch norm forward

interface BatchCase {
  x: Mat;
  gamma: Vec;
  beta: Vec;
  running: Running;
  options: Options;
}

/** m examples × D features, every part of the input drawn from the ranges given. */
const batchCase = ({ minM = 2, maxM = 6, maxD = 4, eps = epsilon, mode = 'train' as Options['mode'] } = {}): fc.Arbitrary<BatchCase> =>
  fc.record({ m: fc.integer({ min: minM, max: maxM }), D: fc.integer({ min: 1, max: maxD }) }).chain(({ m, D }) =>
    fc.record({
      x: matrixOf(m, D, signed(0.1, 5)),
      gamma: vectorOf(D, signed(0.2, 3)),
      beta: vectorOf(D, fc.double({ min: -3, max: 3, noNaN: true })),
      running: fc.record({ mean: vectorOf(D, fc.double({ min: -3, max: 3, noNaN: true })), variance: vectorOf(D, fc.oneof(fc.constant(0), fc.double({ min: 0.1, max: 4, noNaN: true }))) }),
      options: fc.record({ mode: fc.constant(mode), eps, momentum }),
    }),
  );

const bnArgs = (t: BatchCase) => [t.x, t.gamma, t.beta, t.running, t.options];

/** Calls batchNormForward and requires { out: [m × D], running: { mean, variance }, cache } of finite numbers. */
async function bnForward(s: S, t: BatchCase): Promise<{ out: Mat; running: Running; cache: unknown }> {
  const [m, D] = [t.x.length, t.gamma.length];
  const r = await s.call('batchNormForward', bnArgs(t));
  const what = callText('batchNormForward', bnArgs(t));
  expectThat(isObject(r), `${what} returned ${Array.isArray(r) ? 'an array' : typeof r}, not { out, cache, running }`, r);
  const o = r as Record<string, unknown>;
  expectThat(isMatrix(o.out, m, D), `${what}: out must be an ${m}×${D} matrix of finite numbers`, o.out);
  const run = o.running as Record<string, unknown> | undefined;
  expectThat(isObject(run) && isVector(run.mean, D) && isVector(run.variance, D), `${what}: running must be { mean: [${D}], variance: [${D}] }`, o.running);
  return o as { out: Mat; running: Running; cache: unknown };
}

/** x̂ of every column with the given statistics (the grader's own Algorithm 1 lines 3, for variants). */
const normalise = (x: Mat, mu: Vec, denom: Vec): Mat => x.map((row) => row.map((v, j) => (v - mu[j]) / denom[j]));

const bnForwardChecks: Check[] = [
  example({
    id: 'F1.batchNormForward.example', exercise: 'batchNormForward', catalogue: 'F1',
    title: 'a hand-derived batch of 4 × 2 with ε = ½ (σ² + ε = 4 and 9): out and the running averages (momentum 0.9)',
    hint: 'F1: μ_B and σ²_B per column with 1/m, x̂ = (x − μ_B)/√(σ²_B + ε), y = γx̂ + β; running ← 0.9·running + 0.1·batch ([Tu] "Batch Normalization", Algorithm 1)',
    args: bnArgs(batchNormTrain.input), expected: batchNormTrain.expected,
    variants: {
      [MISTAKES.unbiased]: batchNormTrain.wrong.unbiased,
      [MISTAKES.epsOutside]: batchNormTrain.wrong.epsOutside,
      [MISTAKES.unbiasedRunning]: batchNormTrain.wrong.unbiasedRunning,
      [MISTAKES.momentumSwapped]: batchNormTrain.wrong.momentumSwapped,
    },
  }),
  example({
    // by hand: μ_B = 1e8 + 2 (exact), x − μ_B = [−1, 1, 0], σ²_B = 2/3, σ²_B + ε = 1, so out = [−1, 1, 0];
    // running mean ½·0 + ½(1e8 + 2), running variance ½·1 + ½·⅔
    id: 'F1.batchNormForward.offset', exercise: 'batchNormForward', catalogue: 'F1',
    title: 'a feature far from 0, 1e8 + [1, 3, 2], ε = ⅓: σ²_B = 2/3 and out = [−1, 1, 0]',
    hint: 'F1: compute σ²_B as (1/m)Σ(x − μ_B)² after μ_B, as Algorithm 1 writes it (the stub says so): E[x²] − μ² subtracts two numbers near 1e16 whose spacing is 2, and σ² = 2/3 is lost',
    args: [[[1e8 + 1], [1e8 + 3], [1e8 + 2]], [1], [0], { mean: [0], variance: [1] }, { mode: 'train', eps: 1 / 3, momentum: 0.5 }],
    expected: { out: [[-1], [1], [0]], running: { mean: [5e7 + 1], variance: [0.5 + 1 / 3] } },
  }),
  example({
    id: 'F1.batchNormForward.cache', exercise: 'batchNormForward', catalogue: 'F1',
    title: 'the cache of the same batch holds x, x̂, μ_B, the biased σ²_B, γ, ε and the mode, as the contract says',
    hint: 'F1: cache = { x, xHat, mu, variance, gamma, eps, mode } with variance = σ²_B (not σ, not √(σ² + ε)): batchNormBackward is also called with caches built to this contract',
    args: bnArgs(batchNormTrain.input),
    expected: { cache: { x: batchNormTrain.input.x, xHat: batchNormTrain.cache.xHat, mu: batchNormTrain.cache.mu, variance: batchNormTrain.cache.variance, gamma: batchNormTrain.input.gamma, eps: 0.5, mode: 'train' } },
  }),
  example({
    id: 'F1.batchNormForward.test-example', exercise: 'batchNormForward', catalogue: 'F1',
    title: 'test mode with running { mean: [1, 2], variance: [3.5, 0.5] }, ε = ½: out = [[2.5, −1], [−1.5, 1]], running unchanged',
    hint: 'F1: at test time every example is normalised with the running averages, not with the statistics of the batch it arrives in',
    args: bnArgs(batchNormTest.input), expected: batchNormTest.expected,
    variants: { [MISTAKES.batchStatsInTest]: batchNormTest.wrong.batchStatistics },
  }),
  example({
    // by hand: √(3.5 + ½) = 2 and √(0.5 + ½) = 1, so x̂ = [[(3 − 1)/2, (4 − 2)/1], [(−1 − 1)/2, (2 − 2)/1]] = [[1, 2], [−1, 0]]
    id: 'F1.batchNormForward.test-cache', exercise: 'batchNormForward', catalogue: 'F1',
    title: "the test-mode cache holds the running averages x was normalised with: mu = [1, 2], variance = [3.5, 0.5], x̂ = [[1, 2], [−1, 0]], mode 'test'",
    hint: "F1: the cache's mu and variance are the statistics x was normalised with: the running averages in 'test' (not the batch's μ_B and σ²_B), and xHat is computed with them",
    args: bnArgs(batchNormTest.input),
    expected: { cache: { x: batchNormTest.input.x, xHat: [[1, 2], [-1, 0]], mu: [1, 2], variance: [3.5, 0.5], gamma: batchNormTest.input.gamma, eps: 0.5, mode: 'test' } },
  }),
  property({
    id: 'F1.batchNormForward.invariants', exercise: 'batchNormForward', catalogue: 'F1',
    title: 'in train mode every output feature has mean β_j and variance γ_j²σ_j²/(σ_j² + ε) (γ_j² when ε → 0)',
    hint: 'F1: x̂ has mean 0 and variance σ²/(σ² + ε) over the batch when σ² is the biased (1/m) variance and ε sits inside the root; y = γx̂ + β',
    arbitrary: batchCase(),
    verify: async (t, s) => {
      const { out } = await bnForward(s, t);
      const m = t.x.length;
      const sigma2 = cols(t.x).map(popVar);
      // means and (1/m) variances of m ≤ 6 values |y| ≲ 3√m + 3: rounding ~1e−15; atol 1e−9 for β_j near 0 and for
      // nearly constant columns (σ² ≪ ε, variance ≈ 0); the wrong variances (1/(m − 1), ε outside) are off by far more
      const tol = { rtol: 1e-7, atol: 1e-9 };
      expectClose(cols(out).map(avg), t.beta, tol, 'the mean of each output column (should be β)');
      const g2 = t.gamma.map((g) => g * g);
      const { eps } = t.options;
      const expected = sigma2.map((v, j) => (g2[j] * v) / (v + eps));
      expectClose(cols(out).map(popVar), expected, tol, 'the (1/m) variance of each output column (should be γ²σ²/(σ² + ε))', {
        [MISTAKES.unbiased]: sigma2.map((v, j) => (g2[j] * v) / ((v * m) / (m - 1) + eps)),
        [MISTAKES.epsOutside]: sigma2.map((v, j) => (g2[j] * v) / (Math.sqrt(v) + eps) ** 2),
      });
    },
  }),
  property({
    id: 'F1.batchNormForward.running', exercise: 'batchNormForward', catalogue: 'F1',
    title: 'train mode returns running = momentum·running + (1 − momentum)·(μ_B, biased σ²_B)',
    hint: 'F1: momentum weighs the old running average (tfjs-layers: 0.99), and the running variance averages the biased σ²_B',
    arbitrary: batchCase(),
    verify: async (t, s) => {
      const { running } = await bnForward(s, t);
      const mu = cols(t.x).map(avg);
      const sigma2 = cols(t.x).map(popVar);
      const m = t.x.length;
      const p = t.options.momentum;
      const blend = (old: Vec, batch: Vec, w: number) => old.map((r, j) => w * r + (1 - w) * batch[j]);
      const expected = { mean: blend(t.running.mean, mu, p), variance: blend(t.running.variance, sigma2, p) };
      expectClose(running, expected, FLOAT64, 'the returned running averages', {
        [MISTAKES.momentumSwapped]: { mean: blend(t.running.mean, mu, 1 - p), variance: blend(t.running.variance, sigma2, 1 - p) },
        [MISTAKES.unbiasedRunning]: { mean: blend(t.running.mean, mu, p), variance: blend(t.running.variance, sigma2.map((v) => (v * m) / (m - 1)), p) },
      });
    },
  }),
  property({
    id: 'F1.batchNormForward.test-mode', exercise: 'batchNormForward', catalogue: 'F1',
    title: 'test mode returns γ(x − running.mean)/√(running.variance + ε) + β and the running averages unchanged',
    hint: 'F1: in test mode the statistics are the running averages (constants): nothing is computed from the batch and nothing is updated',
    arbitrary: batchCase({ minM: 1, mode: 'test' }),
    verify: async (t, s) => {
      const { out, running } = await bnForward(s, t);
      const { eps } = t.options;
      const scaleShift = (xh: Mat) => xh.map((row) => row.map((v, j) => t.gamma[j] * v + t.beta[j]));
      const expected = scaleShift(normalise(t.x, t.running.mean, t.running.variance.map((v) => Math.sqrt(v + eps))));
      const batchOut = scaleShift(normalise(t.x, cols(t.x).map(avg), cols(t.x).map((c) => Math.sqrt(popVar(c) + eps))));
      const epsOut = scaleShift(normalise(t.x, t.running.mean, t.running.variance.map((v) => Math.sqrt(v) + eps)));
      expectClose(out, expected, FLOAT64, `${callText('batchNormForward', bnArgs(t))}.out`, { [MISTAKES.batchStatsInTest]: batchOut, [MISTAKES.epsOutside]: epsOut });
      expectClose(running, t.running, FLOAT64, 'test mode must return the running averages unchanged');
    },
  }),
];

// ---------------------------------------------------------------------------------------------
// F2 — batch norm backward

type Grads = { dx: unknown; dgamma: unknown; dbeta: unknown };

/** L(x, γ, β) = Σ dout ⊙ your batchNormForward(x, γ, β, running, options).out, with x, γ, β packed in one vector. */
function bnLoss(s: S, t: BatchCase, dout: Mat) {
  const [m, D] = [t.x.length, t.gamma.length];
  return async (v: Vec) => {
    const x = Array.from({ length: m }, (_, i) => v.slice(i * D, (i + 1) * D));
    const { out } = await bnForward(s, { ...t, x, gamma: v.slice(m * D, m * D + D), beta: v.slice(m * D + D) });
    return sum(out.map((row, i) => dot(row, dout[i])));
  };
}

async function bnGrads(s: S, t: BatchCase, dout: Mat): Promise<Grads> {
  const { cache } = await bnForward(s, t);
  const g = await s.call('batchNormBackward', [dout, cache]);
  expectThat(isObject(g), `batchNormBackward(dout, cache) returned ${Array.isArray(g) ? 'an array' : typeof g}, not { dx, dgamma, dbeta }`, g);
  return g as Grads;
}

const withDout = (arb: fc.Arbitrary<BatchCase>) => arb.chain((t) => fc.tuple(fc.constant(t), matrixOf(t.x.length, t.gamma.length, fc.double({ min: -3, max: 3, noNaN: true }))));

/** The full-gradient check of a backward (batch or group norm): received vs central differences, with the mistakes it names. */
function gradientsVersusNumeric(received: Grads, numeric: { dx: unknown; dgamma: Vec; dbeta: Vec }, constantDx: unknown, m: number, what: string): void {
  const variants: Variants = {
    [MISTAKES.swapped]: { dgamma: numeric.dbeta, dbeta: numeric.dgamma },
    [MISTAKES.constantStats]: { dx: constantDx },
    [MISTAKES.missingOneOverM]: { dx: scaled(numeric.dx as number[], m) },
    'the sign of ∂L/∂x flipped': { dx: negated(numeric.dx as number[]) },
  };
  expectClose(received, numeric, NUMERIC, what, variants);
}

const bnBackwardChecks: Check[] = [
  example({
    id: 'F2.batchNormBackward.example', exercise: 'batchNormBackward', catalogue: 'F2',
    title: 'the hand-derived gradients of the 4 × 2 batch for dout = [[1, 0], [0, 1], [−1, 2], [3, 0]]',
    hint: 'F2: dγ = Σ dout·x̂, dβ = Σ dout, dx = (1/√(σ² + ε))(dx̂ − mean(dx̂) − x̂·mean(dx̂·x̂)) with dx̂ = dout·γ: μ_B and σ²_B depend on every x_i',
    args: [batchNormBackwardExample.input.dout, { x: batchNormTrain.input.x, gamma: batchNormTrain.input.gamma, ...batchNormTrain.cache }],
    expected: batchNormBackwardExample.expected,
    variants: {
      [MISTAKES.swapped]: { dgamma: batchNormBackwardExample.expected.dbeta, dbeta: batchNormBackwardExample.expected.dgamma },
      [MISTAKES.constantStats]: batchNormBackwardExample.wrong.constantStatistics,
      [MISTAKES.missingOneOverM]: { dx: scaled(batchNormBackwardExample.expected.dx, 4) },
    },
  }),
  property({
    id: 'F2.batchNormBackward.numeric', exercise: 'batchNormBackward', catalogue: 'F2', numRuns: 40,
    title: 'dx, dγ and dβ equal the numerical gradient of Σ dout ⊙ your batchNormForward (train mode)',
    hint: 'F2: differentiate through all three paths of Algorithm 1 (x̂, σ²_B and μ_B); dγ = Σ_i dout_i x̂_i and dβ = Σ_i dout_i',
    arbitrary: withDout(batchCase({ maxM: 4, maxD: 3, eps: smoothEpsilon })),
    verify: async ([t, dout], s) => {
      const [m, D] = [t.x.length, t.gamma.length];
      const received = await bnGrads(s, t, dout);
      const g = await numericalGradient(bnLoss(s, t, dout), [...t.x.flat(), ...t.gamma, ...t.beta]);
      const numeric = { dx: Array.from({ length: m }, (_, i) => g.slice(i * D, (i + 1) * D)), dgamma: g.slice(m * D, m * D + D), dbeta: g.slice(m * D + D) };
      const denom = cols(t.x).map((c) => Math.sqrt(popVar(c) + t.options.eps));
      const constantDx = dout.map((row) => row.map((v, j) => (v * t.gamma[j]) / denom[j]));
      gradientsVersusNumeric(received, numeric, constantDx, m, 'batchNormBackward(dout, your cache) vs central differences of your batchNormForward');
    },
  }),
  property({
    id: 'F2.batchNormBackward.directional', exercise: 'batchNormBackward', catalogue: 'F2',
    title: 'along random directions v in (x, γ, β): vᵀ(dx, dγ, dβ) equals the directional derivative of Σ dout ⊙ your forward',
    hint: 'F2: a directional check (S3) on larger batches: every entry of dx, dγ and dβ enters vᵀ∇L',
    arbitrary: withDout(batchCase({ maxM: 8, maxD: 5, eps: smoothEpsilon })).chain(([t, dout]) => fc.tuple(fc.constant(t), fc.constant(dout), direction(t.x.length * t.gamma.length + 2 * t.gamma.length))),
    verify: async ([t, dout, v], s) => {
      const [m, D] = [t.x.length, t.gamma.length];
      const g = await bnGrads(s, t, dout);
      expectThat(isMatrix(g.dx, m, D) && isVector(g.dgamma, D) && isVector(g.dbeta, D), `batchNormBackward must return dx [${m}×${D}], dgamma [${D}] and dbeta [${D}] of finite numbers`, g);
      const analytic = dot([...(g.dx as Mat).flat(), ...(g.dgamma as Vec), ...(g.dbeta as Vec)], v);
      const numeric = await directionalDerivative(bnLoss(s, t, dout), [...t.x.flat(), ...t.gamma, ...t.beta], v);
      expectClose(analytic, numeric, NUMERIC, 'vᵀ(dx, dγ, dβ) vs (L(θ + hv) − L(θ − hv))/2h of your batchNormForward');
    },
  }),
  property({
    id: 'F2.batchNormBackward.invariants', exercise: 'batchNormBackward', catalogue: 'F2',
    title: 'in train mode, per feature: Σ_i dx_ij = 0 and Σ_i dx_ij(x_ij − μ_j) = −2ε·∂L/∂ε = ε·γ_j·Σ_i dout_ij x̂_ij/(σ_j² + ε)',
    hint: 'F2: y does not change when a constant is added to a feature (so Σ_i dx_ij = 0), nor when x − μ is scaled by c and ε by c² together (so Σ_i dx_ij(x_ij − μ_j) + 2ε ∂L/∂ε = 0): both fail when μ_B or σ²_B is treated as a constant',
    arbitrary: withDout(batchCase({ maxM: 8, maxD: 5 })),
    verify: async ([t, dout], s) => {
      const [m, D] = [t.x.length, t.gamma.length];
      const g = await bnGrads(s, t, dout);
      expectThat(isMatrix(g.dx, m, D), `batchNormBackward must return dx of shape [${m}×${D}] with finite entries`, g.dx);
      const { eps } = t.options;
      const mu = cols(t.x).map(avg);
      const sigma2 = cols(t.x).map(popVar);
      const xHat = normalise(t.x, mu, sigma2.map((v) => Math.sqrt(v + eps)));
      const centred = t.x.map((row) => row.map((v, j) => v - mu[j]));
      const moments = (d: Mat) => [...cols(d).map(sum), ...cols(d).map((c, j) => dot(c, col(centred, j)))];
      const expected = [...mu.map(() => 0), ...sigma2.map((v, j) => (eps * t.gamma[j] * dot(col(dout, j), col(xHat, j))) / (v + eps))];
      const constant = dout.map((row) => row.map((v, j) => (v * t.gamma[j]) / Math.sqrt(sigma2[j] + eps)));
      const scale = Math.max(...constant.flat().map(Math.abs)) * m * (1 + Math.max(...centred.flat().map(Math.abs)));
      expectClose(moments(g.dx as Mat), expected, vanishing(scale), '[Σ_i dx_ij for each j, Σ_i dx_ij(x_ij − μ_j) for each j]', { [MISTAKES.constantStats]: moments(constant) });
    },
  }),
  property({
    id: 'F2.batchNormBackward.test-mode', exercise: 'batchNormBackward', catalogue: 'F2', numRuns: 40,
    title: 'with a test-mode cache, dx, dγ and dβ equal the numerical gradient of Σ dout ⊙ your test-mode forward',
    hint: 'F2: in test mode μ and σ² are the running averages, constants of the batch: ∂L/∂x = dout·γ/√(running.variance + ε)',
    arbitrary: withDout(batchCase({ minM: 1, maxM: 4, maxD: 3, eps: smoothEpsilon, mode: 'test' })),
    verify: async ([t, dout], s) => {
      const [m, D] = [t.x.length, t.gamma.length];
      const received = await bnGrads(s, t, dout);
      const g = await numericalGradient(bnLoss(s, t, dout), [...t.x.flat(), ...t.gamma, ...t.beta]);
      const numeric = { dx: Array.from({ length: m }, (_, i) => g.slice(i * D, (i + 1) * D)), dgamma: g.slice(m * D, m * D + D), dbeta: g.slice(m * D + D) };
      expectClose(received, numeric, NUMERIC, 'batchNormBackward(dout, your test-mode cache) vs central differences of your test-mode batchNormForward', { [MISTAKES.swapped]: { dgamma: numeric.dbeta, dbeta: numeric.dgamma } });
    },
  }),
];

// ---------------------------------------------------------------------------------------------
// F3 — standardisation

const standardizeCheck = async (s: S, x: Mat) => {
  const r = await s.call('standardize', [x]);
  const [m, D] = [x.length, x[0].length];
  const o = r as Record<string, unknown>;
  expectThat(isObject(r) && isMatrix(o.out, m, D) && isVector(o.mean, D) && isVector(o.std, D), `${callText('standardize', [x])} must return { out: [${m}×${D}], mean: [${D}], std: [${D}] } of finite numbers`, r);
  return r as { out: Mat; mean: Vec; std: Vec };
};

const constantColumn = (c: Vec) => c.every((v) => v === c[0]);
/** m × D data whose every column is constant or spread by ≥ 0.05 (no column that is constant up to rounding). */
const dataset = fc
  .record({ m: fc.integer({ min: 2, max: 8 }), D: fc.integer({ min: 1, max: 4 }) })
  .chain(({ m, D }) => fc.tuple(matrixOf(m, D, signed(0.1, 5)), fc.array(fc.constantFrom(false, false, false, true), { minLength: D, maxLength: D })))
  .map(([x, constant]) => x.map((row) => row.map((v, j) => (constant[j] ? x[0][j] : v))))
  .filter((x) => cols(x).every((c) => constantColumn(c) || Math.max(...c) - Math.min(...c) >= 0.05));

const standardizeChecks: Check[] = [
  example({
    id: 'F3.standardize.example', exercise: 'standardize', catalogue: 'F3',
    title: 'standardize([[1, −1, 2], [1, 5, 2], [3, 5, 2], [3, 7, 2]]): σ = [1, 3, 0], out column 3 = 0 (a constant feature)',
    hint: 'F3: (x − μ)/σ per column with the biased σ = √((1/m)Σ(x − μ)²); a constant feature gives std 0 and out 0',
    args: [standardizeExample.input.x], expected: standardizeExample.expected,
    variants: {
      [MISTAKES.unbiasedStd]: { out: scaled(standardizeExample.expected.out, Math.sqrt(3 / 4)) },
      [MISTAKES.varianceNotStd]: { out: [[-1, -5 / 9, 0], [-1, 1 / 9, 0], [1, 1 / 9, 0], [1, 1 / 3, 0]] },
    },
  }),
  example({
    id: 'F3.standardize.constant', exercise: 'standardize', catalogue: 'F3',
    title: 'a constant feature of 0.1s (whose mean rounds to 0.10000000000000002) gives std 0 and out 0',
    hint: 'F3: decide "constant" from the values (all equal), not from σ === 0: here σ computes to 1.4e−17 and (x − μ)/σ to −1',
    args: [standardizeConstant.input.x], expected: standardizeConstant.expected,
  }),
  example({
    // by hand: μ = 2e−10, deviations ∓1e−10, σ = 1e−10, so out = [−1, 1]: a tiny scale is still a scale
    id: 'F3.standardize.tiny-scale', exercise: 'standardize', catalogue: 'F3',
    title: 'a feature on a tiny scale, [1e−10, 3e−10]: std 1e−10 and out = [−1, 1] (it is not constant)',
    hint: 'F3: only a feature whose values are all equal is constant (the stub says: decide from the values); a threshold on σ such as 1e−8 zeroes features that merely use small units',
    args: [[[1e-10], [3e-10]]], expected: { out: [[-1], [1]], mean: [2e-10], std: [1e-10] },
  }),
  example({
    id: 'F3.standardize.offset', exercise: 'standardize', catalogue: 'F3',
    title: 'a feature far from 0, 1e8 + [1, 3, 2]: σ² = 2/3 and out = [−√1.5, √1.5, 0]',
    hint: 'F3: compute σ² as (1/m)Σ(x − μ)² after μ, as Algorithm 1 writes it: E[x²] − μ² subtracts two numbers near 1e16 whose spacing is 2, and σ² = 2/3 is lost',
    args: [standardizeOffset.input.x], expected: standardizeOffset.expected,
  }),
  property({
    id: 'F3.standardize.moments', exercise: 'standardize', catalogue: 'F3',
    title: 'out = (x − mean)/std with mean the column means; every non-constant column of out has mean 0 and (1/m) variance 1',
    hint: 'F3: divide by the biased σ (1/m): then (1/m)Σ out² = 1 exactly; with 1/(m − 1) it would be (m − 1)/m',
    arbitrary: dataset,
    verify: async (x, s) => {
      const { out, mean, std } = await standardizeCheck(s, x);
      const m = x.length;
      expectClose(mean, cols(x).map(avg), FLOAT64, 'mean (the column means)');
      const varying = cols(x).map((c, j) => [c, j] as const).filter(([c]) => !constantColumn(c)).map(([, j]) => j);
      // the mean of out is (mean(x) − μ)/σ, the rounding of your μ (≤ ~1e−15 for |x| ≤ 5) over σ ≥ 0.016 (a spread
      // ≥ 0.05 over m ≤ 8 values): ≤ ~1e−13, so 1e−12 absolute (a sum that must vanish has no scale for rtol)
      expectClose(varying.map((j) => avg(col(out, j))), varying.map(() => 0), { rtol: 0, atol: 1e-12 }, 'the mean of each non-constant column of out');
      expectClose(varying.map((j) => popVar(col(out, j))), varying.map(() => 1), FLOAT64, 'the (1/m) variance of each non-constant column of out', {
        [MISTAKES.unbiasedStd]: varying.map(() => (m - 1) / m),
      });
      expectClose(out, x.map((row) => row.map((v, j) => (std[j] === 0 ? 0 : (v - mean[j]) / std[j]))), FLOAT64, 'out vs (x − mean)/std from your own mean and std');
    },
  }),
  property({
    id: 'F3.standardize.affine', exercise: 'standardize', catalogue: 'F3',
    title: 'standardize(a_j·x_j + b_j) = sign(a_j)·standardize(x)_j column by column',
    hint: 'F3: (x − μ)/σ removes every shift and every positive scale; dividing by σ² (or forgetting to centre) does not',
    arbitrary: dataset.chain((x) => fc.tuple(fc.constant(x), vectorOf(x[0].length, fc.constantFrom(-2, -0.5, 0.25, 3, 4)), vectorOf(x[0].length, fc.double({ min: -5, max: 5, noNaN: true })))),
    verify: async ([x, a, b], s) => {
      const base = await standardizeCheck(s, x);
      const moved = await standardizeCheck(s, x.map((row) => row.map((v, j) => a[j] * v + b[j])));
      // a·x + b (|·| ≤ 25) rounds by ~3e−15, which dividing by |a|σ ≥ 0.25·0.016 turns into ≤ ~1e−12 in out;
      // atol 1e−9 for the values near 0, rtol 1e−7 as FLOAT64; not centring or dividing by σ² is off by O(1)
      expectClose(moved.out, base.out.map((row) => row.map((v, j) => Math.sign(a[j]) * v)), { rtol: 1e-7, atol: 1e-9 }, 'standardize(a·x + b).out vs sign(a)·standardize(x).out');
    },
  }),
];

// ---------------------------------------------------------------------------------------------
// F4 — local response normalisation

interface LrnCase {
  a: Img;
  n: number;
  k: number;
  alpha: number;
  beta: number;
}
const lrnArgs = (t: LrnCase) => [t.a, t.n, t.k, t.alpha, t.beta];

const lrnParams = fc.record({
  k: fc.oneof(fc.constantFrom(1, 2), fc.double({ min: 0.5, max: 3, noNaN: true })),
  alpha: fc.oneof(fc.constantFrom(1e-4, 1), fc.double({ min: 0.01, max: 1, noNaN: true })),
  beta: fc.oneof(fc.constantFrom(0.75, 0.5, 1), fc.double({ min: 0.25, max: 1.5, noNaN: true })),
});
const lrnImage = (minN = 1, maxN = 6) =>
  fc.record({ N: fc.integer({ min: minN, max: maxN }), H: fc.integer({ min: 1, max: 2 }), W: fc.integer({ min: 1, max: 2 }) }).chain(({ N, H, W }) => imageOf(N, H, W, signed(0.1, 5)));

async function lrn(s: S, t: LrnCase): Promise<Img> {
  const b = await s.call('localResponseNorm', lrnArgs(t));
  const [N, H, W] = [t.a.length, t.a[0].length, t.a[0][0].length];
  expectThat(isImage(b, N, H, W), `${callText('localResponseNorm', lrnArgs(t))} must return an image of shape [${N}, ${H}, ${W}] of finite numbers`, b);
  return b as Img;
}

/** b^i when every window holds every channel: a^i/(k + α‖a‖²)^β at each position, with α as given. */
const fullWindow = (a: Img, k: number, alpha: number, beta: number): Img =>
  a.map((ch) => ch.map((row, y) => row.map((v, x) => v / (k + alpha * sum(a.map((c) => c[y][x] ** 2))) ** beta)));

const lrnChecks: Check[] = [
  example({
    id: 'F4.localResponseNorm.example', exercise: 'localResponseNorm', catalogue: 'F4',
    title: 'n = 3, k = α = β = 1 at two positions: [1, 2, 3] → [1/6, 2/15, 3/14] and [0, 3, 4] → [0, 3/26, 2/13]',
    hint: 'F4: b^i = a^i/(k + α Σ_{j = max(0, i − n/2)}^{min(N − 1, i + n/2)} (a^j)²)^β with n/2 = 1: the window is clipped at the first and last channel, and α is not divided by n',
    args: lrnArgs(lrnExample.input), expected: lrnExample.expected,
    variants: { [MISTAKES.alphaOverN]: lrnExample.wrong.alphaOverN },
  }),
  example({
    id: 'F4.localResponseNorm.wide', exercise: 'localResponseNorm', catalogue: 'F4',
    title: 'n = 5 over 3 channels, k = 11, α = 1, β = ½: [0, 3, 4] → [0, ½, 2/3] (the denominator is √36)',
    hint: 'F4: β is the exponent of the whole bracket (k + αΣ(a^j)²)^β',
    args: lrnArgs(lrnWide.input), expected: lrnWide.expected,
    variants: { [MISTAKES.alphaOverN]: lrnWide.wrong.alphaOverN },
  }),
  example({
    id: 'F4.localResponseNorm.even-n', exercise: 'localResponseNorm', catalogue: 'F4',
    title: 'an even window n = 4 is an error (n/2 … would not be centred on the channel)',
    hint: 'F4: the window i − n/2 … i + n/2 holds n channels centred on i only for odd n; throw an Error for even n',
    args: [[[[1]], [[2]], [[3]]], 4, 1, 1, 1], throws: true,
  }),
  property({
    id: 'F4.localResponseNorm.full-window', exercise: 'localResponseNorm', catalogue: 'F4',
    title: 'when n ≥ 2N − 1 every window holds all N channels: b^i = a^i/(k + α Σ_j (a^j)²)^β',
    hint: 'F4: the window i − n/2 … i + n/2, clipped to 0 … N − 1, is all the channels once n/2 ≥ N − 1; the sum is of squares, times α (not α/n)',
    arbitrary: fc.tuple(lrnImage(), lrnParams, fc.integer({ min: 0, max: 2 })).map(([a, p, t]): LrnCase => ({ a, n: 2 * a.length - 1 + 2 * t, ...p })),
    verify: async (t, s) => {
      const expected = fullWindow(t.a, t.k, t.alpha, t.beta);
      expectClose(await lrn(s, t), expected, FLOAT64, callText('localResponseNorm', lrnArgs(t)), { [MISTAKES.alphaOverN]: fullWindow(t.a, t.k, t.alpha / t.n, t.beta) });
    },
  }),
  property({
    id: 'F4.localResponseNorm.single', exercise: 'localResponseNorm', catalogue: 'F4',
    title: 'n = 1: every channel is normalised by itself, b^i = a^i/(k + α(a^i)²)^β',
    hint: 'F4: with n = 1 the window is the channel itself (n/2 = 0); square the activity, add k, raise to β',
    arbitrary: fc.tuple(lrnImage(), lrnParams).map(([a, p]): LrnCase => ({ a, n: 1, ...p })),
    verify: async (t, s) => {
      const expected = t.a.map((ch) => ch.map((row) => row.map((v) => v / (t.k + t.alpha * v * v) ** t.beta)));
      expectClose(await lrn(s, t), expected, FLOAT64, callText('localResponseNorm', lrnArgs(t)));
    },
  }),
  property({
    id: 'F4.localResponseNorm.symmetry', exercise: 'localResponseNorm', catalogue: 'F4',
    title: 'reversing the channel order reverses the output, and each position is normalised on its own',
    hint: 'F4: the window i − n/2 … i + n/2 is symmetric about i, and it runs over channels at one position (x, y) only',
    arbitrary: fc.tuple(lrnImage(2, 7), lrnParams, fc.constantFrom(3, 5)).map(([a, p, n]): LrnCase => ({ a, n, ...p })),
    verify: async (t, s) => {
      const b = await lrn(s, t);
      const reversed = await lrn(s, { ...t, a: t.a.slice().reverse() });
      expectClose(reversed, b.slice().reverse(), FLOAT64, 'localResponseNorm(channels reversed) vs localResponseNorm(a) reversed');
      const [H, W] = [t.a[0].length, t.a[0][0].length];
      for (let y = 0; y < H; y++) {
        for (let x = 0; x < W; x++) {
          const alone = await lrn(s, { ...t, a: t.a.map((ch) => [[ch[y][x]]]) });
          expectClose(alone.map((ch) => ch[0][0]), b.map((ch) => ch[y][x]), FLOAT64, `position (${y}, ${x}) normalised alone vs within the image`);
        }
      }
    },
  }),
  property({
    id: 'F4.localResponseNorm.scale', exercise: 'localResponseNorm', catalogue: 'F4',
    title: 'localResponseNorm(c·a, n, k, α/c², β) = c·localResponseNorm(a, n, k, α, β)',
    hint: 'F4: the sum is of squares (a^j)², so scaling a by c and α by 1/c² leaves the bracket unchanged',
    arbitrary: fc.tuple(lrnImage(), lrnParams, fc.constantFrom(1, 3, 5), fc.constantFrom(2, 0.5, -3)).map(([a, p, n, c]) => [{ a, n, ...p }, c] as [LrnCase, number]),
    verify: async ([t, c], s) => {
      const b = await lrn(s, t);
      const bc = await lrn(s, { ...t, a: t.a.map((ch) => ch.map((row) => row.map((v) => c * v))), alpha: t.alpha / (c * c) });
      expectClose(bc, b.map((ch) => ch.map((row) => row.map((v) => c * v))), FLOAT64, `localResponseNorm(${c}·a, α/${c * c}) vs ${c}·localResponseNorm(a, α)`);
    },
  }),
];

// ---------------------------------------------------------------------------------------------
// F5 — group norm

/** One group-norm case, shared with the hidden checks. */
export interface GroupCase {
  x: Img;
  gamma: Vec;
  beta: Vec;
  groups: number;
  eps: number;
}
const gnArgs = (t: GroupCase) => [t.x, t.gamma, t.beta, t.groups, t.eps];

/** C = G·(C/G) channels of H × W, G from the divisors of C (or forced to 1 or C). */
const groupCase = ({ maxG = 3, maxPer = 3, maxHW = 3, groups = 'any' as 'any' | 'one' | 'all', eps = epsilon } = {}): fc.Arbitrary<GroupCase> =>
  fc.record({ G: fc.integer({ min: 1, max: maxG }), per: fc.integer({ min: 1, max: maxPer }), H: fc.integer({ min: 1, max: maxHW }), W: fc.integer({ min: 1, max: maxHW }) })
    .filter(({ per, H, W }) => per * H * W >= 2)
    .chain(({ G, per, H, W }) => {
      const C = G * per;
      return fc.record({
        x: imageOf(C, H, W, signed(0.1, 5)),
        gamma: vectorOf(C, signed(0.2, 3)),
        beta: vectorOf(C, fc.double({ min: -3, max: 3, noNaN: true })),
        groups: fc.constant(groups === 'one' ? 1 : groups === 'all' ? C : G),
        eps,
      });
    });

async function gnForward(s: S, t: GroupCase): Promise<{ out: Img; cache: unknown }> {
  const r = await s.call('groupNormForward', gnArgs(t));
  const [C, H, W] = [t.x.length, t.x[0].length, t.x[0][0].length];
  const o = r as Record<string, unknown>;
  expectThat(isObject(r) && isImage(o.out, C, H, W), `${callText('groupNormForward', gnArgs(t))} must return { out: [${C}, ${H}, ${W}], cache } of finite numbers`, r);
  return r as { out: Img; cache: unknown };
}

/** The values of each group of consecutive channels. */
const groupValues = (x: Img, G: number) => Array.from({ length: G }, (_, g) => x.slice((g * x.length) / G, ((g + 1) * x.length) / G).flat(2));
/** Every value of `set` normalised with the set's own mean and (1/M) variance. */
const normaliseSet = (x: Img, eps: number) => {
  const v = x.flat(2);
  const [mu, d] = [avg(v), Math.sqrt(popVar(v) + eps)];
  return x.map((ch) => ch.map((row) => row.map((u) => (u - mu) / d)));
};
const affine = (x: Img, gamma: Vec, beta: Vec) => x.map((ch, c) => ch.map((row) => row.map((v) => gamma[c] * v + beta[c])));

const gnForwardChecks: Check[] = [
  example({
    id: 'F5.groupNormForward.example', exercise: 'groupNormForward', catalogue: 'F5',
    title: 'C = 4 channels of 1 × 2 in G = 2 groups, ε = 4 (σ² + ε = 9 in both groups): the hand-derived output',
    hint: 'F5: group g holds the consecutive channels g·C/G … (g + 1)·C/G − 1; one mean and biased variance per group, then γ_c, β_c per channel',
    args: gnArgs(groupNormExample.input), expected: groupNormExample.expected,
    variants: { [MISTAKES.unbiasedGroup]: groupNormExample.wrong.unbiased },
  }),
  example({
    id: 'F5.groupNormForward.cache', exercise: 'groupNormForward', catalogue: 'F5',
    title: 'the cache of the same example: x, x̂, μ = [4, 0] and σ² = [5, 5] per group, γ, G and ε',
    hint: 'F5: cache = { x, xHat, mu, variance, gamma, groups, eps }, mu and variance with one entry per group (biased variance)',
    args: gnArgs(groupNormExample.input),
    expected: { cache: { x: groupNormExample.input.x, gamma: groupNormExample.input.gamma, ...groupNormExample.cache } },
  }),
  property({
    id: 'F5.groupNormForward.invariants', exercise: 'groupNormForward', catalogue: 'F5',
    title: 'within each group, (y_c − β_c)/γ_c has mean 0 and variance σ_g²/(σ_g² + ε)',
    hint: 'F5: every group of C/G consecutive channels is normalised over all its (C/G)·H·W values with the biased variance, ε inside the root',
    arbitrary: groupCase(),
    verify: async (t, s) => {
      const { out } = await gnForward(s, t);
      const z = out.map((ch, c) => ch.map((row) => row.map((v) => (v - t.beta[c]) / t.gamma[c])));
      const zs = groupValues(z, t.groups);
      const sigma2 = groupValues(t.x, t.groups).map(popVar);
      const M = zs[0].length;
      // means and (1/M) variances of M ≤ 27 values |z| ≤ √M: rounding ~1e−14; atol 1e−9 for groups whose
      // variance σ²/(σ² + ε) is near 0 (σ² ≪ ε); the wrong variances (1/(M − 1), ε outside) are off by far more
      const tol = { rtol: 1e-7, atol: 1e-9 };
      expectClose(zs.map(avg), zs.map(() => 0), tol, 'the mean of (y − β)/γ over each group');
      const expected = sigma2.map((v) => v / (v + t.eps));
      expectClose(zs.map(popVar), expected, tol, 'the (1/M) variance of (y − β)/γ over each group', {
        [MISTAKES.unbiasedGroup]: sigma2.map((v) => v / ((v * M) / (M - 1) + t.eps)),
        [MISTAKES.epsOutside]: sigma2.map((v) => v / (Math.sqrt(v) + t.eps) ** 2),
      });
    },
  }),
  property({
    id: 'F5.groupNormForward.layer-norm', exercise: 'groupNormForward', catalogue: 'F5',
    title: 'G = 1 is layer norm: every value normalised with the mean and variance of the whole example',
    hint: 'F5: one group holds all C·H·W values of the example',
    arbitrary: groupCase({ groups: 'one' }),
    verify: async (t, s) => {
      expectClose((await gnForward(s, t)).out, affine(normaliseSet(t.x, t.eps), t.gamma, t.beta), FLOAT64, `${callText('groupNormForward', gnArgs(t))}.out vs layer norm`);
    },
  }),
  property({
    id: 'F5.groupNormForward.instance-norm', exercise: 'groupNormForward', catalogue: 'F5',
    title: 'G = C is instance norm: every channel normalised over its own H·W values',
    hint: 'F5: with G = C each group is a single channel',
    arbitrary: groupCase({ groups: 'all' }).filter((t) => t.x[0].length * t.x[0][0].length >= 2),
    verify: async (t, s) => {
      const expected = affine(t.x.map((ch) => normaliseSet([ch], t.eps)[0]), t.gamma, t.beta);
      expectClose((await gnForward(s, t)).out, expected, FLOAT64, `${callText('groupNormForward', gnArgs(t))}.out vs instance norm`);
    },
  }),
];

// ---------------------------------------------------------------------------------------------
// F5 — group norm backward

function gnLoss(s: S, t: GroupCase, dout: Img) {
  const [C, H, W] = [t.x.length, t.x[0].length, t.x[0][0].length];
  const n = C * H * W;
  return async (v: Vec) => {
    const { out } = await gnForward(s, { ...t, x: shapeImage(v.slice(0, n), C, H, W), gamma: v.slice(n, n + C), beta: v.slice(n + C) });
    return dot(out.flat(2), dout.flat(2));
  };
}

async function gnGrads(s: S, t: GroupCase, dout: Img): Promise<Grads> {
  const { cache } = await gnForward(s, t);
  const g = await s.call('groupNormBackward', [dout, cache]);
  expectThat(isObject(g), `groupNormBackward(dout, cache) returned ${Array.isArray(g) ? 'an array' : typeof g}, not { dx, dgamma, dbeta }`, g);
  return g as Grads;
}

const gnWithDout = (arb: fc.Arbitrary<GroupCase>) => arb.chain((t) => fc.tuple(fc.constant(t), imageOf(t.x.length, t.x[0].length, t.x[0][0].length, fc.double({ min: -3, max: 3, noNaN: true }))));

/** dout·γ/√(σ_g² + ε): the gradient with the group statistics held constant. */
const gnConstantDx = (t: GroupCase, dout: Img) => {
  const per = t.x.length / t.groups;
  const denom = groupValues(t.x, t.groups).map((v) => Math.sqrt(popVar(v) + t.eps));
  return dout.map((ch, c) => ch.map((row) => row.map((v) => (v * t.gamma[c]) / denom[Math.floor(c / per)])));
};

const gnBackwardChecks: Check[] = [
  example({
    id: 'F5.groupNormBackward.example', exercise: 'groupNormBackward', catalogue: 'F5',
    title: 'the hand-derived gradients of the 4-channel example (G = 2, ε = 4) for dout = [[1, 0], [0, 1], [1, 1], [2, 0]]',
    hint: 'F5: per group, dx = (1/√(σ² + ε))(dx̂ − mean(dx̂) − x̂·mean(dx̂·x̂)) with dx̂ = dout·γ_c and the means over the whole group; dγ_c = Σ dout_c·x̂_c, dβ_c = Σ dout_c over channel c',
    args: [groupNormBackwardExample.input.dout, { x: groupNormExample.input.x, gamma: groupNormExample.input.gamma, ...groupNormExample.cache }],
    expected: groupNormBackwardExample.expected,
    variants: {
      [MISTAKES.swapped]: { dgamma: groupNormBackwardExample.expected.dbeta, dbeta: groupNormBackwardExample.expected.dgamma },
      [MISTAKES.constantStats]: groupNormBackwardExample.wrong.constantStatistics,
      [MISTAKES.missingOneOverM]: { dx: scaled(groupNormBackwardExample.expected.dx, 4) },
    },
  }),
  property({
    id: 'F5.groupNormBackward.numeric', exercise: 'groupNormBackward', catalogue: 'F5', numRuns: 30,
    title: 'dx, dγ and dβ equal the numerical gradient of Σ dout ⊙ your groupNormForward',
    hint: 'F5: batch norm\'s backward with the group in place of the batch: differentiate through μ_g and σ²_g; dγ_c and dβ_c sum over the H·W positions of channel c',
    arbitrary: gnWithDout(groupCase({ maxG: 2, maxPer: 2, maxHW: 2, eps: smoothEpsilon })),
    verify: async ([t, dout], s) => {
      const [C, H, W] = [t.x.length, t.x[0].length, t.x[0][0].length];
      const n = C * H * W;
      const received = await gnGrads(s, t, dout);
      const g = await numericalGradient(gnLoss(s, t, dout), [...flatImage(t.x), ...t.gamma, ...t.beta]);
      const numeric = { dx: shapeImage(g.slice(0, n), C, H, W), dgamma: g.slice(n, n + C), dbeta: g.slice(n + C) };
      gradientsVersusNumeric(received, numeric, gnConstantDx(t, dout), n / t.groups, 'groupNormBackward(dout, your cache) vs central differences of your groupNormForward');
    },
  }),
  property({
    id: 'F5.groupNormBackward.directional', exercise: 'groupNormBackward', catalogue: 'F5',
    title: 'along random directions v in (x, γ, β): vᵀ(dx, dγ, dβ) equals the directional derivative of Σ dout ⊙ your forward',
    hint: 'F5: a directional check (S3) on larger examples: every entry of dx, dγ and dβ enters vᵀ∇L',
    arbitrary: gnWithDout(groupCase({ eps: smoothEpsilon })).chain(([t, dout]) => fc.tuple(fc.constant(t), fc.constant(dout), direction(flatImage(t.x).length + 2 * t.x.length))),
    verify: async ([t, dout, v], s) => {
      const [C, H, W] = [t.x.length, t.x[0].length, t.x[0][0].length];
      const g = await gnGrads(s, t, dout);
      expectThat(isImage(g.dx, C, H, W) && isVector(g.dgamma, C) && isVector(g.dbeta, C), `groupNormBackward must return dx [${C}, ${H}, ${W}], dgamma [${C}] and dbeta [${C}] of finite numbers`, g);
      const analytic = dot([...flatImage(g.dx as Img), ...(g.dgamma as Vec), ...(g.dbeta as Vec)], v);
      const numeric = await directionalDerivative(gnLoss(s, t, dout), [...flatImage(t.x), ...t.gamma, ...t.beta], v);
      expectClose(analytic, numeric, NUMERIC, 'vᵀ(dx, dγ, dβ) vs (L(θ + hv) − L(θ − hv))/2h of your groupNormForward');
    },
  }),
  property({
    id: 'F5.groupNormBackward.invariants', exercise: 'groupNormBackward', catalogue: 'F5',
    title: 'per group g: Σ dx = 0 and Σ dx·(x − μ_g) = −2ε·∂L/∂ε_g = ε·Σ_c γ_c Σ_{h,w} dout_c x̂_c/(σ_g² + ε)',
    hint: 'F5: y does not change when a constant is added to a whole group, nor when x − μ_g is scaled by c and ε by c² together: both fail when μ_g or σ²_g is treated as a constant',
    arbitrary: gnWithDout(groupCase()),
    verify: async ([t, dout], s) => {
      const [C, H, W] = [t.x.length, t.x[0].length, t.x[0][0].length];
      const g = await gnGrads(s, t, dout);
      expectThat(isImage(g.dx, C, H, W), `groupNormBackward must return dx of shape [${C}, ${H}, ${W}] with finite entries`, g.dx);
      const per = C / t.groups;
      const mu = groupValues(t.x, t.groups).map(avg);
      const sigma2 = groupValues(t.x, t.groups).map(popVar);
      const centred = t.x.map((ch, c) => ch.map((row) => row.map((v) => v - mu[Math.floor(c / per)])));
      const xHat = centred.map((ch, c) => ch.map((row) => row.map((v) => v / Math.sqrt(sigma2[Math.floor(c / per)] + t.eps))));
      const moments = (d: Img) => [...groupValues(d, t.groups).map(sum), ...groupValues(d, t.groups).map((v, q) => dot(v, groupValues(centred, t.groups)[q]))];
      const weighted = dout.map((ch, c) => ch.map((row, h) => row.map((v, w) => t.gamma[c] * v * xHat[c][h][w])));
      const expected = [...mu.map(() => 0), ...groupValues(weighted, t.groups).map((v, q) => (t.eps * sum(v)) / (sigma2[q] + t.eps))];
      const constant = gnConstantDx(t, dout);
      const scale = Math.max(...constant.flat(2).map(Math.abs)) * per * H * W * (1 + Math.max(...centred.flat(2).map(Math.abs)));
      expectClose(moments(g.dx as Img), expected, vanishing(scale), '[Σ dx over each group, Σ dx·(x − μ_g) over each group]', { [MISTAKES.constantStats]: moments(constant) });
    },
  }),
];

export const normalization: FamilyGrader = {
  id: 'F',
  module: 'normalization',
  title: 'Normalisation',
  exercises: [
    { name: 'batchNormForward', catalogue: 'F1', arity: 5, summary: 'Algorithm 1 (biased σ², ε inside the root); train/test mode, running averages' },
    { name: 'batchNormBackward', catalogue: 'F2', arity: 2, summary: 'dx through μ_B and σ²_B, dγ = Σ dout·x̂, dβ = Σ dout' },
    { name: 'standardize', catalogue: 'F3', arity: 1, summary: '(x − μ)/σ per feature, biased σ; constant features → 0' },
    { name: 'localResponseNorm', catalogue: 'F4', arity: 5, summary: 'b^i = a^i/(k + α Σ_window (a^j)²)^β across channels, odd n' },
    { name: 'groupNormForward', catalogue: 'F5', arity: 5, summary: 'normalise groups of C/G consecutive channels, γ/β per channel' },
    { name: 'groupNormBackward', catalogue: 'F5', arity: 2, summary: 'dx through the group statistics, dγ, dβ per channel' },
  ],
  checks: [...bnForwardChecks, ...bnBackwardChecks, ...standardizeChecks, ...lrnChecks, ...gnForwardChecks, ...gnBackwardChecks],
};
