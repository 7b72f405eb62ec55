/**
 * Family F (normalisation): the reference against TensorFlow.js (tf.moments, tf.batchNorm,
 * tf.layers.batchNormalization, tf.localResponseNormalization, tf.grads, each parameter mapping
 * written out), against numerical derivatives (reference gradcheck, full and directional),
 * against the hand-derived examples (and the values of the mistakes the graders name, each
 * reproduced by tfjs run with the wrong parametrisation), the catalogue's properties, seeded
 * statistics of the running averages, and input validation.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  alexNetLrn,
  batchNormBackwardExample,
  batchNormTest,
  batchNormTrain,
  groupNormExample,
  lrnExample,
  lrnWide,
  standardizeConstant,
  standardizeExample,
  standardizeOffset,
} from '../fixtures/normalization.fixtures.ts';
import { FLOAT64 } from '../graders/engine/checks.ts';
import { directionalCheck, numericalGradient } from '../reference/gradcheck.ts';
import * as F from '../reference/normalization.ts';
import { createRandom, normalMatrix } from '../reference/random.ts';
import { expectAllClose } from './support/expect.ts';
import { f32, oracle, run, tf } from './support/tf.ts';
import { NUMERIC_REL_ERROR, TF_COMPOSITE, TF_KERNEL } from './support/tolerances.ts';

const backend = await oracle();

type Vec = number[];
type Mat = number[][];
type Img = number[][][];

const sum = (v: Vec) => v.reduce((a, b) => a + b, 0);
const mean = (v: Vec) => sum(v) / v.length;
const popVar = (v: Vec) => sum(v.map((a) => (a - mean(v)) ** 2)) / v.length;
const cols = (x: Mat) => x[0].map((_, j) => x.map((row) => row[j]));
const flat = (x: unknown): number[] => (Array.isArray(x) ? x.flatMap(flat) : [x as number]);

/** max|a − b| / max(|a|, |b|) over all entries: the relative error of a whole gradient (S2 on its ∞-norm). */
const normwiseError = (a: Vec, b: Vec) => Math.max(...a.map((v, i) => Math.abs(v - b[i]))) / Math.max(1e-300, ...a.map(Math.abs), ...b.map(Math.abs));

// ---------------------------------------------------------------------------------------------
// inputs

/** A feature of m values in [−5, 5] with σ² ≥ 0.25: float32 deviations (≤ 5e−7) then move x̂ by ≤ 1e−6. */
const spreadFeature = (m: number) => fc.array(fc.double({ min: -5, max: 5, noNaN: true }), { minLength: m, maxLength: m }).filter((c) => popVar(c) >= 0.25);
const batchMatrix = (maxM = 6, maxD = 4) =>
  fc.record({ m: fc.integer({ min: 2, max: maxM }), D: fc.integer({ min: 1, max: maxD }) }).chain(({ m, D }) => fc.array(spreadFeature(m), { minLength: D, maxLength: D }).map((c) => c[0].map((_, i) => c.map((col) => col[i]))));
const scaleEntry = fc.tuple(fc.double({ min: 0.5, max: 2, noNaN: true }), fc.boolean()).map(([g, neg]) => (neg ? -g : g));
const shiftEntry = fc.double({ min: -2, max: 2, noNaN: true });
const vecOf = (n: number, e: fc.Arbitrary<number>) => fc.array(e, { minLength: n, maxLength: n });
const matOf = (r: number, c: number, e: fc.Arbitrary<number>) => fc.array(vecOf(c, e), { minLength: r, maxLength: r });

interface BatchCase {
  x: Mat;
  gamma: Vec;
  beta: Vec;
  running: F.RunningStats;
  options: F.BatchNormOptions;
  dout: Mat;
}
const batchCase = (mode: 'train' | 'test', eps: fc.Arbitrary<number> = fc.constantFrom(1e-3, 0.1, 0.5)): fc.Arbitrary<BatchCase> =>
  batchMatrix().chain((x) => {
    const [m, D] = [x.length, x[0].length];
    return fc.record({
      x: fc.constant(x),
      gamma: vecOf(D, scaleEntry),
      beta: vecOf(D, shiftEntry),
      running: fc.record({ mean: vecOf(D, shiftEntry), variance: vecOf(D, fc.double({ min: 0.25, max: 4, noNaN: true })) }),
      options: fc.record({ mode: fc.constant(mode), eps, momentum: fc.constantFrom(0.9, 0.99, 0.5) }),
      dout: matOf(m, D, fc.double({ min: -1, max: 1, noNaN: true })),
    });
  });
/** The case with every number rounded to float32, as tfjs will see it. */
const f32Case = (t: BatchCase): BatchCase => ({ ...t, x: f32(t.x), gamma: f32(t.gamma), beta: f32(t.beta), running: { mean: f32(t.running.mean), variance: f32(t.running.variance) }, options: { ...t.options, eps: Math.fround(t.options.eps) }, dout: f32(t.dout) });
const bn = (t: BatchCase) => F.batchNormForward(t.x, t.gamma, t.beta, t.running, t.options);

/** C×H×W ↔ tfjs NHWC with N = 1. */
const toNHWC = (a: Img): number[][][][] => [a[0].map((row, y) => row.map((_, x) => a.map((ch) => ch[y][x])))];
const fromNHWC = (t: unknown): Img => {
  const [img] = t as number[][][][];
  return img[0][0].map((_, c) => img.map((row) => row.map((px) => px[c])));
};
const imageOf = (C: number, H: number, W: number, e: fc.Arbitrary<number>) => fc.array(matOf(H, W, e), { minLength: C, maxLength: C });

// ---------------------------------------------------------------------------------------------
// the tfjs side

/**
 * F1 in tfjs: tf.moments(x, 0) gives the per-feature mean and the biased (÷m) variance
 * (tfjs-notes §2), and tf.batchNorm(x, mean, variance, offset, scale, ε) = offset + (x − mean)·scale/√(variance + ε).
 * Mapping: offset = β, scale = γ (offset comes first), varianceEpsilon = ε (its default 1e−3 is
 * always overridden here).
 */
const tfBatchNormTrain = (eps: number) => (x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor) => {
  const { mean: mu, variance } = tf.moments(x, 0);
  return tf.batchNorm(x, mu, variance, beta as tf.Tensor1D, gamma as tf.Tensor1D, eps);
};
/** Test mode: the running averages as constant tensors. */
const tfBatchNormTest = (eps: number, running: F.RunningStats) => (x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor) =>
  tf.batchNorm(x, tf.tensor1d(running.mean), tf.tensor1d(running.variance), beta as tf.Tensor1D, gamma as tf.Tensor1D, eps);

/** F5 in tfjs: x [C, H, W] reshaped to [G, (C/G)·H·W], tf.moments over axis 1, then γ_c, β_c broadcast as [C, 1, 1]. */
const tfGroupNorm = (G: number, eps: number, varianceScale = 1) => (x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor) => {
  const [C, H, W] = x.shape;
  const groups = tf.reshape(x, [G, -1]);
  const { mean: mu, variance } = tf.moments(groups, 1, true);
  const xHat = tf.reshape(tf.div(tf.sub(groups, mu), tf.sqrt(tf.add(tf.mul(variance, varianceScale), eps))), [C, H, W]);
  return tf.add(tf.mul(xHat, tf.reshape(gamma, [C, 1, 1])), tf.reshape(beta, [C, 1, 1]));
};

/**
 * F4 in tfjs: localResponseNormalization(x, depthRadius, bias, alpha, beta) computes
 * x_c·(bias + alpha·Σ_{k=c−r}^{c+r} x_k²)^(−beta) over the last axis, clipped at the edges, and
 * does NOT divide alpha by the window (tfjs-notes §2) — the notes' formula exactly. Mapping:
 * depthRadius = (n − 1)/2 (= the notes' n/2 for odd n), bias = k, alpha = α, beta = β; the image
 * goes in as NHWC [1, H, W, N]. (Caffe's and PyTorch's (k + (α/n)Σ)^β would need alpha = α/n.)
 */
const tfLrn = (a: Img, n: number, k: number, alpha: number, beta: number) =>
  fromNHWC(run(() => tf.localResponseNormalization(tf.tensor4d(toNHWC(a)), (n - 1) / 2, k, alpha, beta)));

describe(`normalization vs TensorFlow.js [${backend.label}]`, () => {
  it('F1 train mode: out and the batch statistics = tf.moments(x, 0) + tf.batchNorm(x, mean, variance, β, γ, ε)', () =>
    fc.assert(
      fc.property(batchCase('train'), (t0) => {
        const t = f32Case(t0);
        const r = bn(t);
        expectAllClose(run(() => tfBatchNormTrain(t.options.eps)(tf.tensor2d(t.x), tf.tensor1d(t.gamma), tf.tensor1d(t.beta))), r.out, TF_COMPOSITE, 'out');
        const [mu, variance] = run(() => { const m = tf.moments(tf.tensor2d(t.x), 0); return [m.mean, m.variance]; });
        expectAllClose(mu, r.cache.mu, TF_COMPOSITE, 'μ_B');
        expectAllClose(variance, r.cache.variance, TF_COMPOSITE, 'σ²_B (biased in both)');
      }),
      { numRuns: 50 },
    ));

  it('F1 running averages and test mode = tf.layers.batchNormalization({ momentum, epsilon }) trained on one batch, then applied with training: false', () =>
    fc.assert(
      fc.property(batchCase('train').chain((t) => fc.tuple(fc.constant(t), matOf(3, t.gamma.length, fc.double({ min: -5, max: 5, noNaN: true })))), ([t0, xTest0]) => {
        const t = f32Case(t0);
        const xTest = f32(xTest0);
        // tfjs-layers: moving ← moving − (moving − batch)·(1 − momentum) = momentum·moving + (1 − momentum)·batch,
        // with the biased batch variance: the reference's convention, so momentum and epsilon map one to one
        const layer = tf.layers.batchNormalization({ momentum: t.options.momentum, epsilon: t.options.eps });
        tf.tidy(() => { layer.apply(tf.tensor2d(t.x), { training: false }); }); // builds the weights: [gamma, beta, moving_mean, moving_variance]
        layer.setWeights([tf.tensor1d(t.gamma), tf.tensor1d(t.beta), tf.tensor1d(t.running.mean), tf.tensor1d(t.running.variance)]);
        const trained = run(() => layer.apply(tf.tensor2d(t.x), { training: true }) as tf.Tensor);
        const weights = layer.getWeights().map((w) => w.arraySync());
        const tested = run(() => layer.apply(tf.tensor2d(xTest), { training: false }) as tf.Tensor);
        layer.dispose();
        const r = bn(t);
        expectAllClose(trained, r.out, TF_COMPOSITE, 'train-mode output');
        expectAllClose({ mean: weights[2], variance: weights[3] }, r.running, TF_COMPOSITE, 'moving mean and variance');
        const test = F.batchNormForward(xTest, t.gamma, t.beta, r.running, { ...t.options, mode: 'test' });
        expectAllClose(tested, test.out, TF_COMPOSITE, 'test-mode output with the updated running averages');
      }),
      { numRuns: 25 },
    ));

  it('F2 train mode: dx, dγ, dβ = tf.grads of moments + batchNorm (the gradient flows through μ_B and σ²_B)', () =>
    fc.assert(
      fc.property(batchCase('train'), (t0) => {
        const t = f32Case(t0);
        const r = F.batchNormBackward(t.dout, bn(t).cache);
        const [dx, dgamma, dbeta] = run(() => tf.grads(tfBatchNormTrain(t.options.eps))([tf.tensor2d(t.x), tf.tensor1d(t.gamma), tf.tensor1d(t.beta)], tf.tensor2d(t.dout)));
        expectAllClose({ dx, dgamma, dbeta }, r, TF_COMPOSITE, 'gradients');
      }),
      { numRuns: 50 },
    ));

  it('F2 test mode: dx, dγ, dβ = tf.grads of batchNorm with the running averages as constants', () =>
    fc.assert(
      fc.property(batchCase('test'), (t0) => {
        const t = f32Case(t0);
        const r = F.batchNormBackward(t.dout, bn(t).cache);
        const [dx, dgamma, dbeta] = run(() => tf.grads(tfBatchNormTest(t.options.eps, t.running))([tf.tensor2d(t.x), tf.tensor1d(t.gamma), tf.tensor1d(t.beta)], tf.tensor2d(t.dout)));
        expectAllClose({ dx, dgamma, dbeta }, r, TF_COMPOSITE, 'gradients');
      }),
      { numRuns: 50 },
    ));

  it('F3 standardize = (x − mean)/√variance with tf.moments(x, 0) (biased variance in both)', () =>
    fc.assert(
      fc.property(batchMatrix(8, 4), (x0) => {
        const x = f32(x0);
        const r = F.standardize(x);
        const out = run(() => { const m = tf.moments(tf.tensor2d(x), 0); return tf.div(tf.sub(tf.tensor2d(x), m.mean), tf.sqrt(m.variance)); });
        expectAllClose(out, r.out, TF_COMPOSITE, 'out');
      }),
      { numRuns: 50 },
    ));

  it('F4 localResponseNorm = tf.localResponseNormalization(NHWC, depthRadius = (n − 1)/2, bias = k, alpha = α, beta = β)', () =>
    fc.assert(
      fc.property(
        fc.record({ N: fc.integer({ min: 1, max: 8 }), H: fc.integer({ min: 1, max: 3 }), W: fc.integer({ min: 1, max: 3 }) }).chain(({ N, H, W }) => imageOf(N, H, W, fc.double({ min: -5, max: 5, noNaN: true }))),
        fc.constantFrom(1, 3, 5, 7),
        fc.double({ min: 0.5, max: 3, noNaN: true }),
        fc.double({ min: 1e-4, max: 1, noNaN: true }),
        fc.double({ min: 0.25, max: 1.5, noNaN: true }),
        (a0, n, k0, alpha0, beta0) => {
          const [a, k, alpha, beta] = [f32(a0), Math.fround(k0), Math.fround(alpha0), Math.fround(beta0)];
          expectAllClose(tfLrn(a, n, k, alpha, beta), F.localResponseNorm(a, n, k, alpha, beta), TF_KERNEL, `n = ${n}`);
        },
      ),
      { numRuns: 50 },
    ));

  it("F4 AlexNet's k = 2, n = 5, α = 1e−4, β = 0.75 map to tfjs (2, 2, 1e−4, 0.75); Caffe's alpha = α/n would be another function", () => {
    const { k, n, alpha, beta } = alexNetLrn;
    const rng = createRandom(7);
    const a = f32(Array.from({ length: 8 }, () => normalMatrix(rng, 3, 3, 0, 30))); // activations of a few tens, where α = 1e−4 matters
    const b = F.localResponseNorm(a, n, k, alpha, beta);
    expectAllClose(tfLrn(a, n, k, alpha, beta), b, TF_KERNEL, 'AlexNet');
    // the notes' formula is not Caffe's: with alpha = α/n the denominators move by up to ~10% here
    const caffe = tfLrn(a, n, k, alpha / n, beta);
    expect(Math.max(...flat(caffe).map((v, i) => Math.abs(v - flat(b)[i]) / Math.max(1e-12, Math.abs(flat(b)[i]))))).toBeGreaterThan(1e-2);
  });

  it('F5 groupNormForward and groupNormBackward = tf.moments over [G, (C/G)·H·W] and tf.grads of it', () =>
    fc.assert(
      fc.property(
        fc.record({ G: fc.integer({ min: 1, max: 3 }), per: fc.integer({ min: 1, max: 3 }), H: fc.integer({ min: 1, max: 3 }), W: fc.integer({ min: 2, max: 3 }) }).chain(({ G, per, H, W }) =>
          fc.record({
            G: fc.constant(G),
            x: imageOf(G * per, H, W, fc.double({ min: -5, max: 5, noNaN: true })),
            gamma: vecOf(G * per, scaleEntry),
            beta: vecOf(G * per, shiftEntry),
            dout: imageOf(G * per, H, W, fc.double({ min: -1, max: 1, noNaN: true })),
            eps: fc.constantFrom(0.1, 0.5),
          }),
        ),
        (t0) => {
          const [x, gamma, beta, dout, eps] = [f32(t0.x), f32(t0.gamma), f32(t0.beta), f32(t0.dout), Math.fround(t0.eps)];
          const { out, cache } = F.groupNormForward(x, gamma, beta, t0.G, eps);
          const args = () => [tf.tensor3d(x), tf.tensor1d(gamma), tf.tensor1d(beta)];
          expectAllClose(run(() => tfGroupNorm(t0.G, eps)(...(args() as [tf.Tensor, tf.Tensor, tf.Tensor]))), out, TF_COMPOSITE, 'out');
          const [dx, dgamma, dbeta] = run(() => tf.grads(tfGroupNorm(t0.G, eps))(args(), tf.tensor3d(dout)));
          expectAllClose({ dx, dgamma, dbeta }, F.groupNormBackward(dout, cache), TF_COMPOSITE, 'gradients');
        },
      ),
      { numRuns: 50 },
    ));
});

// ---------------------------------------------------------------------------------------------

describe('normalization vs numerical derivatives (float64 central differences)', () => {
  /** L(x, γ, β) = Σ dout ⊙ forward(x, γ, β) with the three packed in one vector. */
  const bnLoss = (t: BatchCase) => (v: Vec) => {
    const [m, D] = [t.x.length, t.gamma.length];
    const x = Array.from({ length: m }, (_, i) => v.slice(i * D, (i + 1) * D));
    const { out } = F.batchNormForward(x, v.slice(m * D, m * D + D), v.slice(m * D + D), t.running, t.options);
    return sum(out.map((row, i) => sum(row.map((y, j) => y * t.dout[i][j]))));
  };
  const packed = (t: BatchCase) => [...t.x.flat(), ...t.gamma, ...t.beta];

  // rounding in a central difference is ~ε·|L|/h ≈ 1e−11·|L| and truncation ~h²·|L'''|; with
  // σ² ≥ 0.25 (or ε ≥ 0.1) the gradient's largest entry is ≥ 1e−2·|L| and both stay below 1e−8 of it
  for (const mode of ['train', 'test'] as const) {
    it(`F2 batchNormBackward (${mode} mode) = the numerical gradient of Σ dout ⊙ batchNormForward: full, and along random directions`, () =>
      fc.assert(
        fc.property(batchCase(mode, fc.constantFrom(0.1, 0.5, 1)), fc.integer({ min: 1, max: 2 ** 31 - 1 }), (t, seed) => {
          const g = F.batchNormBackward(t.dout, bn(t).cache);
          const analytic = [...g.dx.flat(), ...g.dgamma, ...g.dbeta];
          expect(normwiseError(analytic, numericalGradient(bnLoss(t), packed(t)))).toBeLessThan(NUMERIC_REL_ERROR);
          const rng = createRandom(seed % 2 ** 30);
          const v = analytic.map(() => rng.normal());
          expect(directionalCheck(bnLoss(t), analytic, packed(t), v).relError).toBeLessThan(NUMERIC_REL_ERROR);
        }),
        { numRuns: 50 },
      ));
  }

  it('F5 groupNormBackward = the numerical gradient of Σ dout ⊙ groupNormForward: full, and along random directions', () =>
    fc.assert(
      fc.property(
        fc.record({ G: fc.integer({ min: 1, max: 3 }), per: fc.integer({ min: 1, max: 2 }), H: fc.integer({ min: 1, max: 2 }), W: fc.integer({ min: 2, max: 3 }) }).chain(({ G, per, H, W }) =>
          fc.record({
            G: fc.constant(G),
            x: imageOf(G * per, H, W, fc.double({ min: -5, max: 5, noNaN: true })),
            gamma: vecOf(G * per, scaleEntry),
            beta: vecOf(G * per, shiftEntry),
            dout: imageOf(G * per, H, W, fc.double({ min: -1, max: 1, noNaN: true })),
          }),
        ),
        fc.integer({ min: 1, max: 2 ** 30 }),
        (t, seed) => {
          const [C, H, W] = [t.x.length, t.x[0].length, t.x[0][0].length];
          const n = C * H * W;
          const loss = (v: Vec) => {
            const x = Array.from({ length: C }, (_, c) => Array.from({ length: H }, (_, h) => v.slice((c * H + h) * W, (c * H + h + 1) * W)));
            return sum(flat(F.groupNormForward(x, v.slice(n, n + C), v.slice(n + C), t.G, 0.5).out).map((y, i) => y * flat(t.dout)[i]));
          };
          const point = [...flat(t.x), ...t.gamma, ...t.beta];
          const g = F.groupNormBackward(t.dout, F.groupNormForward(t.x, t.gamma, t.beta, t.G, 0.5).cache);
          const analytic = [...flat(g.dx), ...g.dgamma, ...g.dbeta];
          expect(normwiseError(analytic, numericalGradient(loss, point))).toBeLessThan(NUMERIC_REL_ERROR);
          const rng = createRandom(seed);
          expect(directionalCheck(loss, analytic, point, analytic.map(() => rng.normal())).relError).toBeLessThan(NUMERIC_REL_ERROR);
        },
      ),
      { numRuns: 50 },
    ));
});

// ---------------------------------------------------------------------------------------------

describe('normalization: the hand-derived examples (fixtures) and the mistakes they name', () => {
  const b = batchNormTrain.input;

  it(`${batchNormTrain.id}: out, running averages and cache [${batchNormTrain.source.slide}, Algorithm 1]`, () => {
    const r = F.batchNormForward(b.x, b.gamma, b.beta, b.running, b.options);
    expectAllClose({ out: r.out, running: r.running }, batchNormTrain.expected, FLOAT64);
    expectAllClose(r.cache, { ...batchNormTrain.cache, x: b.x, gamma: b.gamma }, FLOAT64);
  });

  it(`${batchNormTrain.id}: tfjs reproduces the example and each wrong value from the wrong parametrisation`, () => {
    const m = b.x.length;
    const eps = b.options.eps;
    const withVariance = (scale: number, epsOutside: boolean) =>
      run(() => {
        const { mean: mu, variance } = tf.moments(tf.tensor2d(b.x), 0);
        const denom = epsOutside ? tf.add(tf.sqrt(tf.mul(variance, scale)), eps) : tf.sqrt(tf.add(tf.mul(variance, scale), eps));
        return tf.add(tf.mul(tf.div(tf.sub(tf.tensor2d(b.x), mu), denom), tf.tensor1d(b.gamma)), tf.tensor1d(b.beta));
      });
    expectAllClose(withVariance(1, false), batchNormTrain.expected.out, TF_COMPOSITE, 'the example');
    expectAllClose(withVariance(m / (m - 1), false), (batchNormTrain.wrong.unbiased as { out: Mat }).out, TF_COMPOSITE, 'unbiased σ²');
    expectAllClose(withVariance(1, true), (batchNormTrain.wrong.epsOutside as { out: Mat }).out, TF_COMPOSITE, 'ε outside the root');
    // PyTorch's momentum 0.9 is tfjs-layers' momentum 0.1: the swapped weights
    const layer = tf.layers.batchNormalization({ momentum: 1 - b.options.momentum, epsilon: eps, movingVarianceInitializer: 'ones' });
    tf.tidy(() => { layer.apply(tf.tensor2d(b.x), { training: true }); });
    const [, , mu, variance] = layer.getWeights().map((w) => w.arraySync());
    layer.dispose();
    expectAllClose({ mean: mu, variance }, (batchNormTrain.wrong.momentumSwapped as { running: unknown }).running, TF_COMPOSITE, 'momentum swapped');
    // the unbiased running variance: 0.9·1 + 0.1·(14/3, 34/3), by hand
    expectAllClose((batchNormTrain.wrong.unbiasedRunning as { running: { variance: Vec } }).running.variance, [0.9 + 0.1 * (14 / 3), 0.9 + 0.1 * (34 / 3)], FLOAT64);
    for (const wrong of Object.values(batchNormTrain.wrong)) expect(JSON.stringify(wrong)).not.toBe(JSON.stringify(batchNormTrain.expected));
  });

  it(`${batchNormTest.id}: test mode uses the running averages; the batch statistics give tfjs's moments-based value instead`, () => {
    const t = batchNormTest.input;
    const r = F.batchNormForward(t.x, t.gamma, t.beta, t.running, t.options);
    expectAllClose({ out: r.out, running: r.running }, batchNormTest.expected, FLOAT64);
    expectAllClose(run(() => tfBatchNormTrain(t.options.eps)(tf.tensor2d(t.x), tf.tensor1d(t.gamma), tf.tensor1d(t.beta))), batchNormTest.wrong.batchStatistics.out, TF_COMPOSITE, 'batch statistics');
  });

  it(`${batchNormBackwardExample.id}: the hand-derived gradients; tf.grads agrees, and with μ, σ² held constant gives the "constants" value`, () => {
    const { cache } = F.batchNormForward(b.x, b.gamma, b.beta, b.running, b.options);
    const { dout } = batchNormBackwardExample.input;
    expectAllClose(F.batchNormBackward(dout, cache), batchNormBackwardExample.expected, FLOAT64);
    const [dx, dgamma, dbeta] = run(() => tf.grads(tfBatchNormTrain(b.options.eps))([tf.tensor2d(b.x), tf.tensor1d(b.gamma), tf.tensor1d(b.beta)], tf.tensor2d(dout)));
    expectAllClose({ dx, dgamma, dbeta }, batchNormBackwardExample.expected, TF_COMPOSITE);
    const constant = run(() => tf.grad((x: tf.Tensor) => tfBatchNormTest(b.options.eps, { mean: [3, 10], variance: [3.5, 8.5] })(x, tf.tensor1d(b.gamma), tf.tensor1d(b.beta)))(tf.tensor2d(b.x), tf.tensor2d(dout)));
    expectAllClose(constant, batchNormBackwardExample.wrong.constantStatistics.dx, TF_COMPOSITE, 'μ and σ² held constant');
  });

  it.each([standardizeExample, standardizeConstant, standardizeOffset])('$id: standardize($input.x)', (f) => {
    expectAllClose(F.standardize(f.input.x), f.expected, FLOAT64);
  });

  it(`${standardizeConstant.id}: the constant feature's mean does round, so σ computed from it is not 0`, () => {
    const x = standardizeConstant.input.x.map((row) => row[0]);
    const mu = mean(x);
    expect(mu).not.toBe(0.1);
    expect(Math.sqrt(popVar(x))).toBeGreaterThan(0);
  });

  it(`${standardizeOffset.id}: E[x²] − μ² loses σ² = 2/3 at 1e8, the two-pass form keeps it`, () => {
    const x = standardizeOffset.input.x.map((row) => row[0]);
    const onePass = mean(x.map((v) => v * v)) - mean(x) ** 2;
    expect(Math.abs(onePass - 2 / 3)).toBeGreaterThan(0.1);
    expect(F.standardize(standardizeOffset.input.x).std[0] ** 2).toBeCloseTo(2 / 3, 14);
  });

  it.each([lrnExample, lrnWide])('$id: the notes\' LRN formula, and tfjs with alpha = α (α/n gives the "α/n" value)', (f) => {
    const { a, n, k, alpha, beta } = f.input;
    expectAllClose(F.localResponseNorm(a, n, k, alpha, beta), f.expected, FLOAT64);
    expectAllClose(tfLrn(a, n, k, alpha, beta), f.expected, TF_KERNEL, 'tfjs');
    expectAllClose(tfLrn(a, n, k, alpha / n, beta), f.wrong.alphaOverN, TF_KERNEL, 'tfjs with alpha = α/n');
  });

  it(`${groupNormExample.id}: out and cache; tfjs agrees, and the unbiased variance gives the "1/(M − 1)" value`, () => {
    const { x, gamma, beta, groups, eps } = groupNormExample.input;
    const r = F.groupNormForward(x, gamma, beta, groups, eps);
    expectAllClose(r.out, groupNormExample.expected.out, FLOAT64);
    expectAllClose(r.cache, { ...groupNormExample.cache, x, gamma }, FLOAT64);
    expectAllClose(run(() => tfGroupNorm(groups, eps)(tf.tensor3d(x), tf.tensor1d(gamma), tf.tensor1d(beta))), groupNormExample.expected.out, TF_COMPOSITE, 'tfjs');
    // M = 4 values per group: the unbiased variance is tf.moments' variance × 4/3
    expectAllClose(run(() => tfGroupNorm(groups, eps, 4 / 3)(tf.tensor3d(x), tf.tensor1d(gamma), tf.tensor1d(beta))), groupNormExample.wrong.unbiased.out, TF_COMPOSITE, 'unbiased');
  });
});

// ---------------------------------------------------------------------------------------------

describe('normalization: properties of the catalogue', () => {
  it('F1: each output feature has mean β and variance γ²σ²/(σ² + ε) (γ² as ε → 0)', () =>
    fc.assert(
      fc.property(batchCase('train', fc.constantFrom(1e-8, 1e-3, 0.5)), (t) => {
        const { out } = bn(t);
        const sigma2 = cols(t.x).map(popVar);
        expectAllClose(cols(out).map(mean), t.beta, { rtol: 1e-12, atol: 1e-12 });
        expectAllClose(cols(out).map(popVar), sigma2.map((v, j) => (t.gamma[j] ** 2 * v) / (v + t.options.eps)), { rtol: 1e-12, atol: 1e-12 });
      }),
    ));

  it('F1: test mode with the batch statistics as running averages reproduces train mode; test mode treats every example alone', () =>
    fc.assert(
      fc.property(batchCase('train'), (t) => {
        const train = bn(t);
        const test = F.batchNormForward(t.x, t.gamma, t.beta, { mean: train.cache.mu, variance: train.cache.variance }, { ...t.options, mode: 'test' });
        expectAllClose(test.out, train.out, { rtol: 1e-14, atol: 1e-14 });
        const alone = t.x.map((row) => F.batchNormForward([row], t.gamma, t.beta, t.running, { ...t.options, mode: 'test' }).out[0]);
        expect(alone).toEqual(F.batchNormForward(t.x, t.gamma, t.beta, t.running, { ...t.options, mode: 'test' }).out);
      }),
    ));

  it('F1: after s identical batches the running mean is μ_B + momentum^s·(running₀ − μ_B)', () =>
    fc.assert(
      fc.property(batchCase('train'), fc.integer({ min: 1, max: 30 }), (t, s) => {
        let running = t.running;
        for (let k = 0; k < s; k++) running = F.batchNormForward(t.x, t.gamma, t.beta, running, t.options).running;
        const mu = cols(t.x).map(mean);
        const p = t.options.momentum;
        expectAllClose(running.mean, mu.map((m, j) => m + p ** s * (t.running.mean[j] - m)), { rtol: 1e-12, atol: 1e-12 });
      }),
    ));

  it('F1: the running averages estimate the population mean and (m − 1)/m·σ², not σ² (seeded)', () => {
    // 20,000 batches of m = 4 from N(2, 3²), momentum 0.999 from running₀ = (0, 1): the start is forgotten
    // (0.999^20000 ≈ 2e−9). At stationarity an exponential average with weight 1 − p of i.i.d. values of
    // variance s² has variance s²·(1 − p)/(1 + p) = 5.0e−4·s². Batch means: s² = 9/4, sd of the estimate
    // 0.034, so ±0.2 is 6 sd. Biased batch variances: mean (m − 1)/m·σ² = 6.75, s² = 2σ⁴(m − 1)/m² = 30.4,
    // sd 0.12, so ±0.75 is 6 sd (a false alarm once in ~10⁹ seeds) — and σ² = 9 lies 18 sd away.
    const rng = createRandom(20261122);
    let running: F.RunningStats = { mean: [0], variance: [1] };
    const options: F.BatchNormOptions = { mode: 'train', eps: 1e-5, momentum: 0.999 };
    for (let k = 0; k < 20_000; k++) running = F.batchNormForward(normalMatrix(rng, 4, 1, 2, 3), [1], [0], running, options).running;
    expect(Math.abs(running.mean[0] - 2)).toBeLessThan(0.2);
    expect(Math.abs(running.variance[0] - 6.75)).toBeLessThan(0.75);
  });

  it('F2: Σ_i dx_ij = 0, Σ_i dx_ij(x_ij − μ_j) = ε·γ_j·Σ_i dout_ij x̂_ij/(σ_j² + ε), and a batch of one passes no gradient to x', () =>
    fc.assert(
      fc.property(batchCase('train', fc.constantFrom(1e-3, 0.5)), (t) => {
        const { cache } = bn(t);
        const { dx } = F.batchNormBackward(t.dout, cache);
        const mu = cols(t.x).map(mean);
        const eps = t.options.eps;
        expectAllClose(cols(dx).map(sum), mu.map(() => 0), { rtol: 0, atol: 1e-10 });
        const lhs = cols(dx).map((c, j) => sum(c.map((v, i) => v * (t.x[i][j] - mu[j]))));
        const rhs = cache.variance.map((v, j) => (eps * t.gamma[j] * sum(t.dout.map((row, i) => row[j] * cache.xHat[i][j]))) / (v + eps));
        expectAllClose(lhs, rhs, { rtol: 1e-9, atol: 1e-10 });
        const one = F.batchNormForward([t.x[0]], t.gamma, t.beta, t.running, t.options);
        expect(F.batchNormBackward([t.dout[0]], one.cache).dx[0].every((v) => v === 0)).toBe(true);
      }),
    ));

  it('F3: standardize is batch norm with γ = 1, β = 0 and ε → 0; it ignores positive scales and shifts of a feature', () =>
    fc.assert(
      fc.property(batchMatrix(8, 4), fc.constantFrom(0.5, 2, 4), fc.double({ min: -3, max: 3, noNaN: true }), (x, a, c) => {
        const D = x[0].length;
        const viaBn = F.batchNormForward(x, Array(D).fill(1), Array(D).fill(0), { mean: Array(D).fill(0), variance: Array(D).fill(1) }, { mode: 'train', eps: 1e-14, momentum: 0.9 }).out;
        // ε = 1e−14 against σ² ≥ 0.25 moves x̂ by ≤ 2e−14 relative
        expectAllClose(F.standardize(x).out, viaBn, { rtol: 1e-12, atol: 1e-12 });
        expectAllClose(F.standardize(x.map((row) => row.map((v) => a * v + c))).out, F.standardize(x).out, { rtol: 1e-9, atol: 1e-12 });
      }),
    ));

  it('F4: β = 0 is the identity, α = 0 divides by k^β, and reversing the channels reverses the output', () =>
    fc.assert(
      fc.property(
        fc.record({ N: fc.integer({ min: 1, max: 6 }), H: fc.integer({ min: 1, max: 2 }), W: fc.integer({ min: 1, max: 2 }) }).chain(({ N, H, W }) => imageOf(N, H, W, fc.double({ min: -5, max: 5, noNaN: true }))),
        fc.constantFrom(1, 3, 5),
        fc.double({ min: 0.5, max: 3, noNaN: true }),
        fc.double({ min: 0.25, max: 1.5, noNaN: true }),
        (a, n, k, beta) => {
          expect(F.localResponseNorm(a, n, k, 0.7, 0)).toEqual(a);
          expectAllClose(F.localResponseNorm(a, n, k, 0, beta), a.map((ch) => ch.map((row) => row.map((v) => v / k ** beta))), { rtol: 1e-15, atol: 0 });
          // the window's squares are summed in the opposite order: a few ulps
          expectAllClose(F.localResponseNorm(a.slice().reverse(), n, k, 0.7, beta), F.localResponseNorm(a, n, k, 0.7, beta).reverse(), { rtol: 1e-14, atol: 0 });
        },
      ),
    ));

  it('F5: G = 1 is batch norm of the whole example as one feature (layer norm), G = C is batch norm of each channel (instance norm); backward likewise', () =>
    fc.assert(
      fc.property(
        fc.record({ C: fc.integer({ min: 1, max: 4 }), H: fc.integer({ min: 1, max: 3 }), W: fc.integer({ min: 2, max: 3 }) }).chain(({ C, H, W }) =>
          fc.tuple(imageOf(C, H, W, fc.double({ min: -5, max: 5, noNaN: true })), imageOf(C, H, W, fc.double({ min: -1, max: 1, noNaN: true })), scaleEntry, shiftEntry),
        ),
        ([x, dout, g, b]) => {
          const C = x.length;
          const asColumn = (v: Vec): Mat => v.map((u) => [u]);
          const bnOf = (v: Vec, d: Vec) => {
            const r = F.batchNormForward(asColumn(v), [g], [b], { mean: [0], variance: [1] }, { mode: 'train', eps: 0.5, momentum: 0.9 });
            return { out: r.out.flat(), back: F.batchNormBackward(asColumn(d), r.cache) };
          };
          // G = 1 with one γ, β for every channel
          const layer = F.groupNormForward(x, Array(C).fill(g), Array(C).fill(b), 1, 0.5);
          const whole = bnOf(flat(x), flat(dout));
          expectAllClose(flat(layer.out), whole.out, { rtol: 1e-13, atol: 1e-13 });
          const layerBack = F.groupNormBackward(dout, layer.cache);
          expectAllClose(flat(layerBack.dx), whole.back.dx.flat(), { rtol: 1e-12, atol: 1e-12 });
          expectAllClose(sum(layerBack.dgamma), whole.back.dgamma[0], { rtol: 1e-12, atol: 1e-12 });
          // G = C: every channel on its own
          const instance = F.groupNormForward(x, Array(C).fill(g), Array(C).fill(b), C, 0.5);
          const instanceBack = F.groupNormBackward(dout, instance.cache);
          for (let c = 0; c < C; c++) {
            const own = bnOf(flat(x[c]), flat(dout[c]));
            expectAllClose(flat(instance.out[c]), own.out, { rtol: 1e-13, atol: 1e-13 });
            expectAllClose(flat(instanceBack.dx[c]), own.back.dx.flat(), { rtol: 1e-12, atol: 1e-12 });
          }
        },
      ),
    ));
});

// ---------------------------------------------------------------------------------------------

describe('normalization: invalid input is an error naming the function and the argument', () => {
  const { x, gamma, beta, running, options } = batchNormTrain.input;
  const { cache } = F.batchNormForward(x, gamma, beta, running, options);
  const g = groupNormExample.input;
  it.each([
    [() => F.batchNormForward(x, [1, 2, 3], beta, running, options), /batchNormForward: argument 'gamma' must have length 2; got length 3/],
    [() => F.batchNormForward(x, gamma, beta, { mean: [0, 0], variance: [1, -1] }, options), /batchNormForward: argument 'running.variance' must have entries ≥ 0 \(variances\); got running.variance\[1\] = -1/],
    [() => F.batchNormForward(x, gamma, beta, [0, 0] as never, options), /batchNormForward: argument 'running' must be an object with keys \{mean, variance\}/],
    [() => F.batchNormForward(x, gamma, beta, running, { ...options, mode: 'eval' as never }), /batchNormForward: argument 'options.mode' must be 'train' or 'test'; got eval/],
    [() => F.batchNormForward(x, gamma, beta, running, { ...options, eps: 0 }), /batchNormForward: argument 'options.eps' must be > 0; got 0/],
    [() => F.batchNormForward(x, gamma, beta, running, { ...options, momentum: 1.5 }), /batchNormForward: argument 'options.momentum' must lie in \[0, 1\]; got 1.5/],
    [() => F.batchNormForward([[1, 2], [3]], gamma, beta, running, options), /batchNormForward: argument 'x' must be rectangular/],
    [() => F.batchNormBackward([[1, 2]], cache), /batchNormBackward: argument 'dout' must have 4 rows; got 1/],
    [() => F.batchNormBackward([[1, 2]], { ...cache, xHat: undefined } as never), /batchNormBackward: argument 'cache.xHat' must be a non-empty matrix/],
    [() => F.batchNormBackward([[1, 2]], { x } as never), /batchNormBackward: argument 'cache' must have the key 'xHat'/],
    [() => F.standardize([[1, Number.NaN]]), /standardize: argument 'x' must contain only finite numbers; got x\[0\]\[1\] = NaN/],
    [() => F.localResponseNorm([[[1]], [[2]]], 4, 1, 1, 1), /localResponseNorm: argument 'n' must be odd \(the window i − n\/2 … i \+ n\/2 is centred only for odd n\); got 4/],
    [() => F.localResponseNorm([[[1]], [[2]]], 3, 0, 1, 1), /localResponseNorm: argument 'k' must be > 0; got 0/],
    [() => F.localResponseNorm([[[1]], [[2], [3]]], 3, 1, 1, 1), /localResponseNorm: argument 'a' must have channels of one size 1×1; channel 1 is 2×1/],
    [() => F.localResponseNorm([[[1]]], 3, 1, -1, 1), /localResponseNorm: argument 'alpha' must lie in \[0, /],
    [() => F.groupNormForward(g.x, g.gamma, g.beta, 3, g.eps), /groupNormForward: argument 'groups' must divide the number of channels C = 4; got 3/],
    [() => F.groupNormForward(g.x, [1, 2], g.beta, 2, g.eps), /groupNormForward: argument 'gamma' must have length 4; got length 2/],
    [() => F.groupNormForward([], g.gamma, g.beta, 2, g.eps), /groupNormForward: argument 'x' must be a non-empty C×H×W image/],
    [() => F.groupNormBackward([[[1, 1]]], F.groupNormForward(g.x, g.gamma, g.beta, 2, g.eps).cache), /groupNormBackward: argument 'dout' must have 4 channels; got 1/],
  ])('%#', (call, message) => {
    expect(call).toThrowError(message);
  });
});
