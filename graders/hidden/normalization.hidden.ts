/**
 * Family F (normalisation): hidden differential checks, student vs reference on random inputs
 * in strata. Instructor side only.
 *
 * Random doubles rarely land where normalisation goes wrong, so inputs are drawn in strata:
 * a batch of one example (σ²_B = 0), constant features and features with two values, features
 * far from 0 (μ large against σ), ε from 1e−5 (where its placement barely shows) to 1 (where it
 * dominates), momentum 0, 1 and the usual 0.9/0.99, LRN windows wider than the channels, group
 * counts 1 and C. Each check names the mistakes its wrong values match, by running the
 * reference's own building blocks with the wrong convention.
 */
import fc from 'fast-check';
import * as ref from '../../reference/normalization.ts';
import { differential } from '../engine/checks.ts';
import { scaled } from '../engine/diagnose.ts';
import type { Check } from '../engine/types.ts';
import { MISTAKES, type GroupCase } from '../normalization.grader.ts';

type Vec = number[];
type Mat = number[][];
type Img = number[][][];
type Options = ref.BatchNormOptions;

/**
 * The forward outputs are compared with atol 1e−10 rather than 1e−12: on a constant feature
 * x − μ is a rounding residue (~1e−15 at |x| = 10, depending on how μ was summed) that
 * 1/√ε with ε = 1e−5 amplifies by ~300 and γ by up to 3. Every mistake named below is off by
 * far more.
 */
const FORWARD = { rtol: 1e-7, atol: 1e-10 };

/**
 * Standardised values are O(1) but some sit near 0, where only an absolute bound means
 * anything: on a feature at ±1e6 the last bit of μ (1.2e−10), which depends on the summation
 * order, becomes up to ~5e−8 after dividing by σ ≥ 0.02. atol 1e−7 is seven digits of a
 * unit-variance value; E[x²] − μ² is off by ~5e−5 there, the wrong σ by 10% or more.
 */
const STANDARDIZED = { rtol: 1e-7, atol: 1e-7 };

// ---------------------------------------------------------------------------------------------
// strata

const moderate = fc.double({ min: -10, max: 10, noNaN: true });
/**
 * Constant, or spread by at least 1e−3 of its magnitude. Between those lies nothing the stubs
 * ask for: values a few ulps apart (51.20000000022415 and 51.200000000224136) normalise to
 * whatever the last bit of μ says, so two correct summation orders disagree by O(1) there.
 */
const wellConditioned = (v: Vec) => v.every((a) => a === v[0]) || Math.max(...v) - Math.min(...v) >= 1e-3 * Math.max(1, ...v.map(Math.abs));
/**
 * One feature of m values: anything, constant, two values, or far from 0 with a spread of order
 * 1. With `far`, also ±1e6 + [−1, 1] (spread ≥ 0.1): there the two-pass σ² that the stub pins
 * is exact to ~1e−9 whatever the summation order, and E[x²] − μ² is off by ~1e−4 (squares near
 * 1e12 are 1.2e−4 apart).
 */
const feature = (m: number, far = false): fc.Arbitrary<Vec> =>
  fc.oneof(
    { weight: 4, arbitrary: fc.array(moderate, { minLength: m, maxLength: m }).filter(wellConditioned) },
    { weight: 1, arbitrary: fc.constantFrom(0, 0.1, -2, 3, 0.7).map((c) => Array<number>(m).fill(c)) },
    { weight: 1, arbitrary: fc.tuple(moderate, moderate, fc.array(fc.boolean(), { minLength: m, maxLength: m })).map(([a, b, pick]) => pick.map((p) => (p ? a : b))).filter(wellConditioned) },
    { weight: 1, arbitrary: fc.tuple(fc.double({ min: -100, max: 100, noNaN: true }), fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: m, maxLength: m })).map(([c, d]) => d.map((v) => c + v)).filter(wellConditioned) },
    { weight: far ? 2 : 0, arbitrary: fc.tuple(fc.constantFrom(1e6, -1e6), fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: m, maxLength: m })).filter(([, d]) => m === 1 || Math.max(...d) - Math.min(...d) >= 0.1).map(([c, d]) => d.map((v) => c + v)) },
  );
const eps = fc.oneof(fc.constantFrom(1e-5, 1e-3, 0.5, 1), fc.double({ min: 1e-5, max: 1, noNaN: true }));
const momentum = fc.oneof(fc.constantFrom(0, 1, 0.9, 0.99, 0.1), fc.double({ min: 0, max: 1, noNaN: true }));
const signedScale = fc.oneof(fc.constantFrom(1, -1, 0.5), fc.double({ min: -3, max: 3, noNaN: true }));

interface BatchCase {
  x: Mat;
  gamma: Vec;
  beta: Vec;
  running: ref.RunningStats;
  options: Options;
}

const batchCase = (mode: Options['mode']): fc.Arbitrary<BatchCase> =>
  fc.record({ m: fc.oneof({ weight: 1, arbitrary: fc.constant(1) }, { weight: 6, arbitrary: fc.integer({ min: 2, max: 8 }) }), D: fc.integer({ min: 1, max: 5 }) }).chain(({ m, D }) =>
    fc.record({
      x: fc.array(feature(m), { minLength: D, maxLength: D }).map((columns) => Array.from({ length: m }, (_, i) => columns.map((c) => c[i]))),
      gamma: fc.array(signedScale, { minLength: D, maxLength: D }),
      beta: fc.array(moderate, { minLength: D, maxLength: D }),
      running: fc.record({
        mean: fc.array(moderate, { minLength: D, maxLength: D }),
        variance: fc.array(fc.oneof(fc.constant(0), fc.double({ min: 0, max: 10, noNaN: true })), { minLength: D, maxLength: D }),
      }),
      options: fc.record({ mode: fc.constant(mode), eps, momentum }),
    }),
  );
const bnArgs = (t: BatchCase) => [t.x, t.gamma, t.beta, t.running, t.options];

// ---------------------------------------------------------------------------------------------
// the reference's building blocks run with the wrong conventions

const mean = (v: Vec) => v.reduce((a, b) => a + b, 0) / v.length;
const sumSq = (v: Vec, mu: number) => v.reduce((a, b) => a + (b - mu) ** 2, 0);
const columns = (x: Mat) => x[0].map((_, j) => x.map((row) => row[j]));

/** Batch norm with σ² from `divisor(m)` and the denominator from `denominator(σ², ε)`. */
function bnWith(t: BatchCase, divisor: (m: number) => number, denominator: (v: number, e: number) => number): Mat {
  const mu = columns(t.x).map(mean);
  const v = columns(t.x).map((c, j) => sumSq(c, mu[j]) / divisor(c.length));
  return t.x.map((row) => row.map((xv, j) => (t.gamma[j] * (xv - mu[j])) / denominator(v[j], t.options.eps) + t.beta[j]));
}

function trainVariants(t: BatchCase) {
  const m = t.x.length;
  const mu = columns(t.x).map(mean);
  const biased = columns(t.x).map((c, j) => sumSq(c, mu[j]) / m);
  const p = t.options.momentum;
  const blend = (old: Vec, batch: Vec, w: number) => old.map((r, j) => w * r + (1 - w) * batch[j]);
  return {
    [MISTAKES.unbiased]: { out: bnWith(t, (n) => n - 1, (v, e) => Math.sqrt(v + e)) },
    [MISTAKES.epsOutside]: { out: bnWith(t, (n) => n, (v, e) => Math.sqrt(v) + e) },
    [MISTAKES.momentumSwapped]: { running: { mean: blend(t.running.mean, mu, 1 - p), variance: blend(t.running.variance, biased, 1 - p) } },
    [MISTAKES.unbiasedRunning]: { running: { mean: blend(t.running.mean, mu, p), variance: blend(t.running.variance, biased.map((v) => (v * m) / (m - 1)), p) } },
    'statistics taken over the features of each example (a row) instead of over the batch (a column)': {
      out: t.x.map((row) => {
        const [mi, vi] = [mean(row), sumSq(row, mean(row)) / row.length];
        return row.map((xv, j) => (t.gamma[j] * (xv - mi)) / Math.sqrt(vi + t.options.eps) + t.beta[j]);
      }),
    },
  };
}

// ---------------------------------------------------------------------------------------------
// F5 helpers: interleaved groups are consecutive groups of permuted channels

/** The channel order that makes the interleaved groups {g, g + G, g + 2G, …} consecutive. */
const interleavedOrder = (C: number, G: number) => Array.from({ length: G }, (_, g) => Array.from({ length: C / G }, (_, q) => g + q * G)).flat();
function interleaved(x: Img, gamma: Vec, beta: Vec, G: number, e: number): Img {
  const order = interleavedOrder(x.length, G);
  const { out } = ref.groupNormForward(order.map((c) => x[c]), order.map((c) => gamma[c]), order.map((c) => beta[c]), G, e);
  const back: Img = new Array<Img[number]>(x.length);
  order.forEach((c, q) => (back[c] = out[q]));
  return back;
}
function groupUnbiased(x: Img, gamma: Vec, beta: Vec, G: number, e: number): Img {
  const per = x.length / G;
  return x.map((ch, c) => {
    const values = x.slice(Math.floor(c / per) * per, (Math.floor(c / per) + 1) * per).flat(2);
    const mu = mean(values);
    const v = sumSq(values, mu) / (values.length - 1);
    return ch.map((row) => row.map((xv) => (gamma[c] * (xv - mu)) / Math.sqrt(v + e) + beta[c]));
  });
}

const groupCase: fc.Arbitrary<GroupCase> = fc
  .record({ G: fc.integer({ min: 1, max: 4 }), per: fc.integer({ min: 1, max: 4 }), H: fc.integer({ min: 1, max: 3 }), W: fc.integer({ min: 1, max: 3 }), which: fc.constantFrom('G', 'G', 'one', 'all') })
  .filter(({ per, H, W, which }) => (which === 'all' ? H * W : per * H * W) >= 2)
  .chain(({ G, per, H, W, which }) => {
    const C = G * per;
    return fc.record({
      x: fc.array(fc.array(feature(W), { minLength: H, maxLength: H }), { minLength: C, maxLength: C }),
      gamma: fc.array(signedScale, { minLength: C, maxLength: C }),
      beta: fc.array(moderate, { minLength: C, maxLength: C }),
      groups: fc.constant(which === 'one' ? 1 : which === 'all' ? C : G),
      eps,
    });
  });
const gnArgs = (t: GroupCase) => [t.x, t.gamma, t.beta, t.groups, t.eps];

// ---------------------------------------------------------------------------------------------
// F3, F4 strata

/** m × D data with constant features (some whose mean rounds, like 0.1s) and ordinary ones. */
const dataset = fc
  .record({ m: fc.integer({ min: 1, max: 8 }), D: fc.integer({ min: 1, max: 5 }) })
  .chain(({ m, D }) => fc.array(feature(m, true), { minLength: D, maxLength: D }))
  .map((cs) => cs[0].map((_, i) => cs.map((c) => c[i])));

interface LrnCase {
  a: Img;
  n: number;
  k: number;
  alpha: number;
  beta: number;
}
const lrnCase: fc.Arbitrary<LrnCase> = fc
  .record({ N: fc.integer({ min: 1, max: 8 }), H: fc.integer({ min: 1, max: 3 }), W: fc.integer({ min: 1, max: 3 }) })
  .chain(({ N, H, W }) =>
    fc.record({
      a: fc.array(fc.array(fc.array(fc.oneof(moderate, fc.constant(0)), { minLength: W, maxLength: W }), { minLength: H, maxLength: H }), { minLength: N, maxLength: N }),
      n: fc.constantFrom(1, 3, 5, 7, 9, 17),
      k: fc.oneof(fc.constantFrom(1, 2), fc.double({ min: 0.1, max: 5, noNaN: true })),
      alpha: fc.oneof(fc.constantFrom(1e-4, 1, 0), fc.double({ min: 0, max: 2, noNaN: true })),
      beta: fc.oneof(fc.constantFrom(0.75, 0.5, 1, 0), fc.double({ min: 0, max: 2, noNaN: true })),
    }),
  );

// ---------------------------------------------------------------------------------------------

export const hidden: Check[] = [
  differential({
    id: 'F1.batchNormForward.reference', exercise: 'batchNormForward', catalogue: 'F1',
    title: 'batchNormForward in train mode matches the reference: out, running averages and cache statistics',
    hint: 'F1: biased σ²_B, ε inside the root, statistics down the columns; running ← momentum·running + (1 − momentum)·batch',
    arbitrary: batchCase('train'), args: bnArgs, tol: FORWARD,
    expected: (t) => {
      const r = ref.batchNormForward(t.x, t.gamma, t.beta, t.running, t.options);
      return { out: r.out, running: r.running, cache: { mu: r.cache.mu, variance: r.cache.variance, mode: 'train' } };
    },
    variants: trainVariants,
  }),
  differential({
    id: 'F1.batchNormForward.reference-test', exercise: 'batchNormForward', catalogue: 'F1',
    title: 'batchNormForward in test mode matches the reference (running statistics, nothing updated, the running statistics cached)',
    hint: 'F1: test mode normalises with the running averages and returns them unchanged',
    arbitrary: batchCase('test'), args: bnArgs, tol: FORWARD,
    expected: (t) => {
      const r = ref.batchNormForward(t.x, t.gamma, t.beta, t.running, t.options);
      return { out: r.out, running: r.running, cache: { mu: r.cache.mu, variance: r.cache.variance, mode: 'test' } };
    },
    variants: (t) => {
      const withRunning = (denominator: (v: number) => number) => t.x.map((row) => row.map((v, j) => (t.gamma[j] * (v - t.running.mean[j])) / denominator(t.running.variance[j]) + t.beta[j]));
      return {
        [MISTAKES.batchStatsInTest]: { out: bnWith(t, (n) => n, (v, e) => Math.sqrt(v + e)) },
        [MISTAKES.epsOutside]: { out: withRunning((v) => Math.sqrt(v) + t.options.eps) },
      };
    },
  }),
  differential({
    id: 'F2.batchNormBackward.reference', exercise: 'batchNormBackward', catalogue: 'F2',
    title: 'batchNormBackward matches the reference on train- and test-mode caches built to the contract',
    hint: 'F2: train: dx = (1/√(σ² + ε))(dx̂ − mean(dx̂) − x̂·mean(dx̂·x̂)); test: dx = dx̂/√(σ² + ε); dγ = Σ dout·x̂, dβ = Σ dout',
    arbitrary: fc.oneof(batchCase('train'), batchCase('test')).chain((t) =>
      fc.tuple(fc.constant(t), fc.array(fc.array(fc.double({ min: -3, max: 3, noNaN: true }), { minLength: t.gamma.length, maxLength: t.gamma.length }), { minLength: t.x.length, maxLength: t.x.length })),
    ),
    args: ([t, dout]) => [dout, ref.batchNormForward(t.x, t.gamma, t.beta, t.running, t.options).cache],
    expected: ([t, dout]) => ref.batchNormBackward(dout, ref.batchNormForward(t.x, t.gamma, t.beta, t.running, t.options).cache),
    // dx is amplified by 1/√ε up to ~300 on constant features: as for the forward pass, 1e−10 absolute
    tol: FORWARD,
    variants: ([t, dout]) => {
      const { cache } = ref.batchNormForward(t.x, t.gamma, t.beta, t.running, t.options);
      const e = ref.batchNormBackward(dout, cache);
      return {
        [MISTAKES.swapped]: { dgamma: e.dbeta, dbeta: e.dgamma },
        [MISTAKES.constantStats]: { dx: ref.batchNormBackward(dout, { ...cache, mode: 'test' }).dx },
        'the train-mode gradient (through μ_B and σ²_B) on a test-mode cache, where μ and σ² are constants': { dx: ref.batchNormBackward(dout, { ...cache, mode: 'train' }).dx },
        [MISTAKES.missingOneOverM]: { dx: scaled(e.dx, t.x.length) },
      };
    },
  }),
  differential({
    id: 'F3.standardize.reference', exercise: 'standardize', catalogue: 'F3',
    title: 'standardize matches the reference, constant features (also those whose mean rounds) included',
    hint: 'F3: (x − μ)/σ with the biased σ; a feature whose values are all equal gives std 0 and out 0',
    arbitrary: dataset, args: (x) => [x], expected: (x) => ref.standardize(x), tol: STANDARDIZED,
    variants: (x) => {
      const e = ref.standardize(x);
      const m = x.length;
      return {
        [MISTAKES.unbiasedStd]: { out: scaled(e.out, Math.sqrt((m - 1) / m)) },
        [MISTAKES.varianceNotStd]: { out: e.out.map((row) => row.map((v, j) => (e.std[j] === 0 ? 0 : v / e.std[j]))) },
      };
    },
  }),
  differential({
    id: 'F4.localResponseNorm.reference', exercise: 'localResponseNorm', catalogue: 'F4',
    title: 'localResponseNorm matches the reference (windows clipped at the edges, n up to 17 > N)',
    hint: 'F4: b^i = a^i/(k + α Σ_{j=max(0,i−(n−1)/2)}^{min(N−1,i+(n−1)/2)} (a^j)²)^β, α not divided by n',
    arbitrary: lrnCase, args: (t) => [t.a, t.n, t.k, t.alpha, t.beta],
    expected: (t) => ref.localResponseNorm(t.a, t.n, t.k, t.alpha, t.beta),
    variants: (t) => ({ [MISTAKES.alphaOverN]: ref.localResponseNorm(t.a, t.n, t.k, t.alpha / t.n, t.beta) }),
  }),
  differential({
    id: 'F5.groupNormForward.reference', exercise: 'groupNormForward', catalogue: 'F5',
    title: 'groupNormForward matches the reference (G = 1, G = C and in between; constant groups included)',
    hint: 'F5: consecutive channels per group, biased variance over the (C/G)·H·W values, ε inside the root, γ_c and β_c per channel',
    arbitrary: groupCase, args: gnArgs, tol: FORWARD,
    expected: (t) => {
      const r = ref.groupNormForward(t.x, t.gamma, t.beta, t.groups, t.eps);
      return { out: r.out, cache: { mu: r.cache.mu, variance: r.cache.variance } };
    },
    variants: (t) => ({
      'groups of interleaved channels {g, g + G, g + 2G, …} instead of consecutive ones': { out: interleaved(t.x, t.gamma, t.beta, t.groups, t.eps) },
      [MISTAKES.unbiasedGroup]: { out: groupUnbiased(t.x, t.gamma, t.beta, t.groups, t.eps) },
    }),
  }),
  differential({
    id: 'F5.groupNormBackward.reference', exercise: 'groupNormBackward', catalogue: 'F5',
    title: 'groupNormBackward matches the reference on caches built to the contract',
    hint: 'F5: per group dx = (1/√(σ² + ε))(dx̂ − mean(dx̂) − x̂·mean(dx̂·x̂)), dx̂ = dout·γ_c; dγ_c, dβ_c sum over channel c',
    arbitrary: groupCase.chain((t) => fc.tuple(fc.constant(t), fc.array(fc.array(fc.array(fc.double({ min: -3, max: 3, noNaN: true }), { minLength: t.x[0][0].length, maxLength: t.x[0][0].length }), { minLength: t.x[0].length, maxLength: t.x[0].length }), { minLength: t.x.length, maxLength: t.x.length }))),
    args: ([t, dout]) => [dout, ref.groupNormForward(t.x, t.gamma, t.beta, t.groups, t.eps).cache],
    expected: ([t, dout]) => ref.groupNormBackward(dout, ref.groupNormForward(t.x, t.gamma, t.beta, t.groups, t.eps).cache),
    tol: FORWARD,
    variants: ([t, dout]) => {
      const { cache } = ref.groupNormForward(t.x, t.gamma, t.beta, t.groups, t.eps);
      const e = ref.groupNormBackward(dout, cache);
      const per = t.x.length / t.groups;
      return {
        [MISTAKES.swapped]: { dgamma: e.dbeta, dbeta: e.dgamma },
        [MISTAKES.constantStats]: { dx: dout.map((ch, c) => ch.map((row) => row.map((v) => (v * t.gamma[c]) / Math.sqrt(cache.variance[Math.floor(c / per)] + t.eps)))) },
      };
    },
  }),
];
