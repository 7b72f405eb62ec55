/**
 * Family E (regularisation): the reference against TensorFlow.js (every parameter mapping written
 * out), against numerical derivatives (reference gradcheck, full and directional), against the
 * hand-derived fixtures and the notes' dropout slide, seeded statistics with stated bounds,
 * properties of the catalogue, and input validation.
 *
 * Mappings (notes ↔ tfjs):
 * - E1/E2: the penalty (λ/n)Σw² is tf.regularizers.l2({ l2: λ/n }).apply(w) (tfjs computes
 *   l2·Σx²), and (λ/n)Σ|w| is tf.regularizers.l1({ l1: λ/n }).apply(w): tfjs has no 1/n, so
 *   λ/n is passed as its coefficient. tf.grad of the whole cost is the oracle for the gradient.
 * - E3: tf.dropout(x, rate, noiseShape, seed) is INVERTED dropout with rate = the DROP
 *   probability: rate = 1 − p, kept values multiplied by 1/(1 − rate) = 1/p. Its mask comes from
 *   tfjs's own seeded generator (seedrandom's alea in randomUniform) and keeps a unit iff
 *   floor(u + p) = 1, i.e. u ≥ 1 − p; ours comes from xoroshiro128+ (random.ts) and keeps it iff
 *   u < p. The two masks therefore differ for the same seed: the spec compares what can be
 *   compared — the kept values (x/p), the fraction kept and the expectation (seeded statistics),
 *   and the gradient given tfjs's own mask, fed to the reference backward as its cache. The notes'
 *   form has no tfjs op: it is p × the inverted form in both phases (checked on the reference).
 * - E4: tf.clipByValue(g, −c, c) is clipByValue. tfjs has no clipByNorm (TF Python's
 *   tf.clip_by_norm computes t·c/max(‖t‖₂, c)): the spec composes exactly that from tf.norm and
 *   tf.maximum.
 * - E5: tf.constraints.maxNorm({ maxValue: c, axis: 0 }) on a Dense kernel [inputs, units] = Wᵀ
 *   (axis 0 sums over the inputs of each unit, i.e. over a row of our W). tfjs multiplies by
 *   clip(‖w‖, 0, c)/(ε + ‖w‖) with ε = 1e−7 (tf.backend().epsilon()), so even a row within the
 *   bound is scaled by ‖w‖/(ε + ‖w‖) ≈ 1 − ε/‖w‖: rows are kept at norm ≥ 0.1, a 1e−6 relative
 *   effect, inside TF_COMPOSITE.
 * - E6: tf.callbacks.earlyStopping({ monitor: 'val_loss', patience, minDelta: 0, mode: 'min' })
 *   driven epoch by epoch (onTrainBegin, then onEpochEnd(e, { val_loss })): it sets
 *   model.stopTraining at the epoch the reference calls stopEpoch, and its wait counter returns to
 *   0 exactly at the improving epochs. Epochs are plain JS numbers there: the comparison is exact.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dropoutExample, dropoutSlide, l1Example, l2Example, maskExample, SEED, stopExamples, uniforms } from '../fixtures/regularization.fixtures.ts';
import { directionalCheck, numericalGradient, numericalJacobian, relativeError } from '../reference/gradcheck.ts';
import { createRandom } from '../reference/random.ts';
import * as E from '../reference/regularization.ts';
import { expectAllClose } from './support/expect.ts';
import { f32, oracle, run, tf } from './support/tf.ts';
import { NUMERIC_REL_ERROR, TF_COMPOSITE, TF_KERNEL } from './support/tolerances.ts';

const backend = await oracle();

type Vec = number[];
type Mat = number[][];

const sum = (v: Vec) => v.reduce((a, b) => a + b, 0);
const norm = (v: Vec) => Math.hypot(...v);
const mean = (v: Vec) => sum(v) / v.length;
const transpose = (M: Mat) => M[0].map((_, j) => M.map((row) => row[j]));
const reshape = (v: Vec, cols: number) => Array.from({ length: v.length / cols }, (_, i) => v.slice(i * cols, (i + 1) * cols));
const FLOAT64 = { rtol: 1e-12, atol: 1e-12 };

/** A nonzero number of size in [lo, hi] with either sign. */
const signed = (lo: number, hi: number) => fc.tuple(fc.boolean(), fc.double({ min: lo, max: hi, noNaN: true })).map(([neg, m]) => (neg ? -m : m));
const seed = fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 });
const keep = fc.double({ min: 0.1, max: 1, noNaN: true });
const matrixOf = (entry: fc.Arbitrary<number>, maxRows = 5, maxCols = 5) =>
  fc.tuple(fc.integer({ min: 1, max: maxRows }), fc.integer({ min: 1, max: maxCols })).chain(([r, c]) => fc.array(fc.array(entry, { minLength: c, maxLength: c }), { minLength: r, maxLength: r }));

/** Least squares: X [n × d], y [n], w [d], λ; L_i = (x_iᵀw − y_i)², ∇L_i = 2(x_iᵀw − y_i)x_i. */
const regression = (entry: fc.Arbitrary<number>) =>
  fc.tuple(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 5 })).chain(([n, d]) =>
    fc.record({
      X: fc.array(fc.array(signed(0.1, 2), { minLength: d, maxLength: d }), { minLength: n, maxLength: n }),
      y: fc.array(signed(0.1, 2), { minLength: n, maxLength: n }),
      w: fc.array(entry, { minLength: d, maxLength: d }),
      lambda: fc.double({ min: 0.1, max: 5, noNaN: true }),
    }),
  );
const model = (X: Mat, y: Vec, w: Vec) => {
  const r = X.map((x, i) => sum(x.map((v, j) => v * w[j])) - y[i]);
  return { losses: r.map((v) => v * v), lossGrads: r.map((v, i) => X[i].map((x) => 2 * v * x)) };
};

describe(`regularization vs TensorFlow.js [${backend.label}]`, () => {
  /** The cost of the notes on the least-squares model, in tfjs: mean((Xw − y)²) + penalty(w). */
  const tfCost = (X: Mat, y: Vec, penalty: (w: tf.Tensor) => tf.Tensor) => (w: tf.Tensor) =>
    tf.add(tf.mean(tf.square(tf.sub(tf.matMul(tf.tensor2d(X), w.reshape([-1, 1])).reshape([-1]), tf.tensor1d(y)))), penalty(w));

  it('E1: l2RegularizedCost = mean((Xw − y)²) + tf.regularizers.l2({ l2: λ/n }), l2RegularizedCostGrad = its tf.grad', () =>
    fc.assert(fc.property(regression(signed(0.05, 2)), ({ X, y, w, lambda }) => {
      const n = X.length;
      const cost = tfCost(X, y, (v) => tf.regularizers.l2({ l2: lambda / n }).apply(v));
      // the reference at the float32-rounded inputs; λ/n rounds too, a relative 6e−8
      const { losses, lossGrads } = model(f32(X), f32(y), f32(w));
      expectAllClose(run(() => cost(tf.tensor1d(w))), E.l2RegularizedCost(losses, f32(w), lambda), TF_COMPOSITE, 'cost');
      expectAllClose(run(() => tf.grad(cost)(tf.tensor1d(w))), E.l2RegularizedCostGrad(lossGrads, f32(w), lambda), TF_COMPOSITE, 'gradient');
    }), { numRuns: 50 }));

  it('E2: l1RegularizedCost = mean((Xw − y)²) + tf.regularizers.l1({ l1: λ/n }), and its gradient away from w_j = 0', () =>
    fc.assert(fc.property(regression(signed(0.01, 2)), ({ X, y, w, lambda }) => {
      const n = X.length;
      const cost = tfCost(X, y, (v) => tf.regularizers.l1({ l1: lambda / n }).apply(v));
      const { losses, lossGrads } = model(f32(X), f32(y), f32(w));
      expectAllClose(run(() => cost(tf.tensor1d(w))), E.l1RegularizedCost(losses, f32(w), lambda), TF_COMPOSITE, 'cost');
      expectAllClose(run(() => tf.grad(cost)(tf.tensor1d(w))), E.l1RegularizedCostGrad(lossGrads, f32(w), lambda), TF_COMPOSITE, 'gradient');
    }), { numRuns: 50 }));

  it("E2: at w_j = 0 tfjs's abs takes the subgradient −1 (tfjs-notes §3), the reference 0 (documented choice)", () => {
    const g = run(() => tf.grad((v: tf.Tensor) => tf.regularizers.l1({ l1: 0.1 }).apply(v))(tf.tensor1d([0, 2]))) as number[];
    expect(g).toEqual([-0.1, 0.1].map(Math.fround));
    // one example with zero loss gradient: the penalty's part alone, λ/n = 0.1
    expect(E.l1RegularizedCostGrad([[0, 0]], [0, 2], 0.1)).toEqual([0, 0.1]);
  });

  it('E3: tf.dropout(x, 1 − p) keeps a value as x/p or drops it to 0, as invertedDropoutForward does', () =>
    fc.assert(fc.property(matrixOf(signed(0.1, 10)), fc.double({ min: 0.1, max: 0.95, noNaN: true }), seed, (a, p, s) => {
      const kept = f32(a);
      const out = run(() => tf.dropout(tf.tensor2d(a), 1 - p, undefined, s)) as Mat;
      // a dropped entry is ±0; a kept one is x/keepProb, keepProb = 1 − rate computed in float64 and rounded once: TF_KERNEL
      out.forEach((row, i) => row.forEach((v, j) => v !== 0 && expectAllClose(v, kept[i][j] / (1 - (1 - p)), TF_KERNEL, `tf.dropout[${i}][${j}]`)));
      const ref = E.invertedDropoutForward(a, p, 'train', s).out;
      expect(ref.every((row, i) => row.every((v, j) => v === 0 || Math.abs(v - a[i][j] / p) <= 1e-15 * Math.abs(a[i][j] / p)))).toBe(true);
    }), { numRuns: 30 }));

  it('E3: tf.dropout and the reference keep a fraction p of 20,000 units (seeded, ±0.025)', () => {
    // Hoeffding: P(|k/R − p| ≥ 0.025) ≤ 2e^(−2·20000·0.025²) ≈ 2.8e−11 for each of the 10 draws below
    for (const [p, s] of [[0.1, 1], [0.3, 2], [0.5, 3], [0.8, 4], [0.95, 5]] as const) {
      const tfKept = (run(() => tf.dropout(tf.ones([200, 100]), 1 - p, undefined, s)) as Mat).flat().filter((v) => v !== 0).length;
      const refKept = sum(E.dropoutMask(200, 100, p, s).flat());
      expect(Math.abs(tfKept / 20000 - p), `tf.dropout, p = ${p}`).toBeLessThan(0.025);
      expect(Math.abs(refKept / 20000 - p), `dropoutMask, p = ${p}`).toBeLessThan(0.025);
    }
  });

  it('E3: tf.dropout and invertedDropoutForward both keep the expectation: column means over 4000 rows ≈ v (seeded, ±0.06|v|/p)', () => {
    // column j's mean is v_j·k_j/(Rp), k_j ~ Binomial(4000, p): Hoeffding P(|k_j/R − p| ≥ 0.06) ≤ 2e^−28.8 ≈ 6e−13
    const v = [1.5, -0.5, 2];
    for (const [p, s] of [[0.2, 11], [0.5, 12], [0.8, 13]] as const) {
      const rows = Array.from({ length: 4000 }, () => v);
      const tfMean = transpose(run(() => tf.dropout(tf.tensor2d(rows), 1 - p, undefined, s)) as Mat).map(mean);
      const refMean = transpose(E.invertedDropoutForward(rows, p, 'train', s).out).map(mean);
      v.forEach((vj, j) => {
        expect(Math.abs(tfMean[j] - vj), `tf.dropout column ${j}, p = ${p}`).toBeLessThan((0.06 * Math.abs(vj)) / p);
        expect(Math.abs(refMean[j] - vj), `reference column ${j}, p = ${p}`).toBeLessThan((0.06 * Math.abs(vj)) / p);
      });
    }
  });

  it("E3: tf.grad through tf.dropout = invertedDropoutBackward(dout, { mask: tfjs's mask, p, mode: 'train' })", () =>
    fc.assert(fc.property(matrixOf(signed(0.1, 5)), fc.double({ min: 0.1, max: 0.95, noNaN: true }), seed, (dout, p, s) => {
      const shape: [number, number] = [dout.length, dout[0].length];
      // the mask tfjs draws for this seed, read off a tensor of ones (kept entries are 1/p)
      const mask = (run(() => tf.dropout(tf.ones(shape), 1 - p, undefined, s)) as Mat).map((row) => row.map((v) => (v === 0 ? 0 : 1)));
      const g = run(() => tf.grad((x: tf.Tensor) => tf.sum(tf.mul(tf.dropout(x, 1 - p, undefined, s), tf.tensor2d(dout))))(tf.ones(shape)));
      expectAllClose(g, E.invertedDropoutBackward(f32(dout), { mask, p, mode: 'train' }), TF_KERNEL, 'gradient');
    }), { numRuns: 30 }));

  it('E4: clipByValue(g, c) = tf.clipByValue(g, −c, c); clipByNorm(g, c) = g·c/max(‖g‖, c) composed in tfjs', () =>
    fc.assert(fc.property(fc.array(signed(0.01, 10), { minLength: 1, maxLength: 10 }), fc.double({ min: 0.1, max: 20, noNaN: true }), (g, c) => {
      const [gk, ck] = [f32(g), Math.fround(c)];
      expectAllClose(run(() => tf.clipByValue(tf.tensor1d(g), -ck, ck)), E.clipByValue(gk, ck), TF_KERNEL, 'clipByValue');
      const byNorm = run(() => tf.mul(tf.tensor1d(g), tf.div(tf.scalar(ck), tf.maximum(tf.norm(tf.tensor1d(g)), tf.scalar(ck)))));
      expectAllClose(byNorm, E.clipByNorm(gk, ck), TF_COMPOSITE, 'clipByNorm');
    })));

  it('E5: maxNorm(W, c) = tf.constraints.maxNorm({ maxValue: c, axis: 0 }) applied to the Dense kernel Wᵀ', () =>
    fc.assert(fc.property(matrixOf(signed(0.1, 5)), fc.double({ min: 0.5, max: 8, noNaN: true }), (W, c) => {
      const ck = Math.fround(c);
      const kernel = run(() => tf.constraints.maxNorm({ maxValue: ck, axis: 0 }).apply(tf.tensor2d(transpose(W)))) as Mat;
      expectAllClose(transpose(kernel), E.maxNorm(f32(W), ck), TF_COMPOSITE, 'maxNorm');
    })));

  // the callback only reads and sets model.stopTraining, but setModel insists on a real LayersModel
  // (and a Sequential one must be compiled before stopTraining can be set): one tiny model, reused
  const host = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [1] })] });
  host.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });

  /** Drives tf.callbacks.earlyStopping epoch by epoch; bestEpoch = the last epoch after which its wait counter was 0. */
  async function tfEarlyStopping(valErrors: Vec, patience: number): Promise<E.EarlyStop> {
    const cb = tf.callbacks.earlyStopping({ monitor: 'val_loss', patience, minDelta: 0, mode: 'min' });
    host.stopTraining = false;
    cb.setModel(host);
    await cb.onTrainBegin();
    let bestEpoch = 0;
    for (let e = 0; e < valErrors.length; e++) {
      await cb.onEpochEnd(e, { val_loss: valErrors[e] });
      // `wait` is private in the typings; it is reset to 0 exactly when an epoch improves
      if ((cb as unknown as { wait: number }).wait === 0) bestEpoch = e;
      if (host.stopTraining) return { bestEpoch, stopEpoch: e, stopped: true };
    }
    return { bestEpoch, stopEpoch: valErrors.length - 1, stopped: false };
  }

  it('E6: earlyStopping = tf.callbacks.earlyStopping (minDelta 0, mode min) on the fixtures and on random curves with ties', async () => {
    for (const f of stopExamples) expect(await tfEarlyStopping(f.input.valErrors, f.input.patience), f.id).toEqual(E.earlyStopping(f.input.valErrors, f.input.patience));
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 0, max: 6 }).map((k) => k / 4), { minLength: 1, maxLength: 20 }), fc.integer({ min: 1, max: 6 }), async (v, k) => {
        expect(await tfEarlyStopping(v, k)).toEqual(E.earlyStopping(v, k));
      }),
    );
  });
});

describe('regularization vs numerical derivatives (float64 central differences)', () => {
  // The costs are quadratic (L2) or piecewise linear plus quadratic (L1, weights ≥ 0.01 from the
  // kink, far beyond h = 1e−5) in w, so the central difference is exact up to rounding ≈
  // ε·|cost|/h ≤ 2e−16·300/1e−5 ≈ 6e−9 absolute, against gradient entries ≳ 1e−2: relative ≤ 1e−6 in the
  // worst case, typically 1e−10. Entries are kept away from 0 so that every relative error is meaningful.
  const check = (grad: Vec, numeric: Vec) => expect(relativeError(grad, numeric)).toBeLessThan(NUMERIC_REL_ERROR);

  it('E1: l2RegularizedCostGrad = numerical gradient of l2RegularizedCost on least squares, full and directional', () =>
    fc.assert(fc.property(regression(signed(0.05, 2)), fc.array(signed(0.1, 0.9), { minLength: 5, maxLength: 5 }), ({ X, y, w, lambda }, dir) => {
      const cost = (v: Vec) => E.l2RegularizedCost(model(X, y, v).losses, v, lambda);
      const grad = E.l2RegularizedCostGrad(model(X, y, w).lossGrads, w, lambda);
      const numeric = numericalGradient(cost, w);
      // an entry that cancels to ~0 has no meaningful relative error: compare it absolutely
      if (grad.every((g) => Math.abs(g) > 1e-3)) check(grad, numeric);
      else expectAllClose(grad, numeric, { rtol: 1e-7, atol: 1e-8 });
      expect(directionalCheck(cost, grad, w, dir.slice(0, w.length)).relError).toBeLessThan(1e-6);
    })));

  it('E2: l1RegularizedCostGrad = numerical gradient of l1RegularizedCost, |w_j| ≥ 0.01', () =>
    fc.assert(fc.property(regression(signed(0.01, 2)), ({ X, y, w, lambda }) => {
      const cost = (v: Vec) => E.l1RegularizedCost(model(X, y, v).losses, v, lambda);
      const grad = E.l1RegularizedCostGrad(model(X, y, w).lossGrads, w, lambda);
      expectAllClose(grad, numericalGradient(cost, w), { rtol: 1e-7, atol: 1e-8 });
    })));

  it('E3: the backward passes are the transposed numerical Jacobians of the forward passes, both forms, both modes', () =>
    fc.assert(fc.property(matrixOf(signed(0.1, 3), 3, 3), keep, fc.constantFrom<E.Mode>('train', 'test'), seed, (a, p, mode, s) => {
      const cols = a[0].length;
      for (const [forward, backward] of [[E.dropoutForward, E.dropoutBackward], [E.invertedDropoutForward, E.invertedDropoutBackward]] as const) {
        const { cache } = forward(a, p, mode, s);
        const J = numericalJacobian((v) => forward(reshape(v, cols), p, mode, s).out.flat(), a.flat());
        // backward(e_k) = Jᵀe_k is row k of J
        const rows = a.flat().map((_, k) => backward(reshape(a.flat().map((_, i) => (i === k ? 1 : 0)), cols), cache).flat());
        expectAllClose(rows, J, { rtol: 1e-9, atol: 1e-10 }, `${forward.name} in mode ${mode}`);
      }
    }), { numRuns: 50 }));
});

describe('regularization vs the fixtures and the notes', () => {
  it('the printed uniforms are createRandom(987659584)\'s first eight draws, exactly', () => {
    const r = createRandom(SEED);
    for (const u of uniforms) expect(r.uniform()).toBe(u);
  });

  it('E1/E2: the hand-derived costs and gradients', () => {
    for (const [f, cost, grad] of [[l2Example, E.l2RegularizedCost, E.l2RegularizedCostGrad], [l1Example, E.l1RegularizedCost, E.l1RegularizedCostGrad]] as const) {
      const { losses, lossGrads, w, lambda } = f.input;
      expectAllClose(cost(losses, w, lambda), f.expected.cost, FLOAT64, `${f.id} cost`);
      expectAllClose(grad(lossGrads, w, lambda), f.expected.grad, FLOAT64, `${f.id} gradient`);
    }
  });

  it('E3: the seeded mask and both dropout forms on the example layer', () => {
    const { rows, cols, p, seed: s } = maskExample.input;
    expect(E.dropoutMask(rows, cols, p, s)).toEqual(maskExample.expected);
    const D = dropoutExample;
    expect(E.dropoutMask(2, 4, D.train.p, D.train.seed)).toEqual(D.train.mask);
    expect(E.dropoutMask(2, 4, D.test.p, D.train.seed)).toEqual(D.test.mask);
    expectAllClose(E.dropoutForward(D.a, D.train.p, 'train', D.train.seed), { out: D.notesTrain, cache: { mask: D.train.mask, p: D.train.p, mode: 'train' } }, FLOAT64);
    expectAllClose(E.invertedDropoutForward(D.a, D.train.p, 'train', D.train.seed).out, D.invertedTrain, FLOAT64);
    expectAllClose(E.dropoutForward(D.a, D.test.p, 'test', D.train.seed), { out: D.notesTest, cache: { mask: null, p: D.test.p, mode: 'test' } }, FLOAT64);
    expect(E.invertedDropoutForward(D.a, D.test.p, 'test', D.train.seed).out).toEqual(D.a);
  });

  it("E3: the [Tu] slide with p the KEEP probability: E[train] = p·a = the test output (seeded); the drop-probability reading gives (1 − p)·a", () => {
    const { p, a } = dropoutSlide.input;
    // 20,000 copies of the unit: the mean is a·k/R; Hoeffding P(|k/R − p| ≥ 0.025) ≤ 2.8e−11, so the mean is within 0.05 of p·a = 1.6
    const train = mean(E.dropoutForward([Array.from({ length: 20000 }, () => a)], p, 'train', 7).out[0]);
    expect(Math.abs(train - dropoutSlide.expected.trainExpectation)).toBeLessThan(0.025 * a);
    expectAllClose(E.dropoutForward([[a]], p, 'test', 0).out[0][0], dropoutSlide.expected.testOutput, FLOAT64);
    expect(Math.abs(train - (1 - p) * a)).toBeGreaterThan(1);
  });

  it('E6: the hand-made validation curves', () => {
    for (const f of stopExamples) expect(E.earlyStopping(f.input.valErrors, f.input.patience), f.id).toEqual(f.expected);
  });
});

describe('regularization: properties of the catalogue', () => {
  const losses = fc.array(fc.double({ min: 0, max: 10, noNaN: true }), { minLength: 1, maxLength: 8 });
  const weights = fc.array(fc.double({ min: -5, max: 5, noNaN: true }), { minLength: 1, maxLength: 8 });
  const lambda = fc.double({ min: 0, max: 5, noNaN: true });

  it('E1/E2: the data term is a mean and n divides the penalty: duplicating the examples and doubling λ changes nothing', () =>
    fc.assert(fc.property(losses, weights, lambda, (L, w, lam) => {
      for (const cost of [E.l2RegularizedCost, E.l1RegularizedCost]) {
        expectAllClose(cost(L, w, 0), mean(L), FLOAT64);
        expectAllClose(cost([...L, ...L], w, 2 * lam), cost(L, w, lam), FLOAT64);
      }
      const G = L.map((l) => w.map((x) => l * x - 1));
      for (const grad of [E.l2RegularizedCostGrad, E.l1RegularizedCostGrad]) expectAllClose(grad([...G, ...G], w, 2 * lam), grad(G, w, lam), FLOAT64);
    })));

  it('E1: the L2 penalty gradient is exactly 2× the ½λ convention (the mistake the graders name)', () =>
    fc.assert(fc.property(weights, lambda, (w, lam) => {
      const zero = [w.map(() => 0)];
      expectAllClose(E.l2RegularizedCostGrad(zero, w, lam), w.map((x) => 2 * lam * x), FLOAT64);
    })));

  it("E3: the notes' form is p × the inverted form in both phases, with the same mask", () =>
    fc.assert(fc.property(matrixOf(fc.double({ min: -10, max: 10, noNaN: true })), keep, fc.constantFrom<E.Mode>('train', 'test'), seed, (a, p, mode, s) => {
      const notes = E.dropoutForward(a, p, mode, s);
      const inverted = E.invertedDropoutForward(a, p, mode, s);
      expect(notes.cache.mask).toEqual(inverted.cache.mask);
      expectAllClose(notes.out, inverted.out.map((row) => row.map((x) => p * x)), { rtol: 1e-15, atol: 1e-300 });
    })));

  it('E3: the mask draws one uniform per unit, row by row (a taller mask starts with the shorter one)', () =>
    fc.assert(fc.property(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 6 }), keep, seed, (r1, r2, c, p, s) => {
      expect(E.dropoutMask(r1 + r2, c, p, s).slice(0, r1)).toEqual(E.dropoutMask(r1, c, p, s));
      expect(E.dropoutMask(1, r1 * c, p, s)[0]).toEqual(E.dropoutMask(r1, c, p, s).flat());
      expect(E.dropoutMask(r1, c, 1, s).flat().every((m) => m === 1)).toBe(true);
    })));

  it('E4: clipByNorm keeps the direction with norm min(‖g‖, c) and is idempotent; clipByValue bounds every entry', () =>
    fc.assert(fc.property(fc.array(fc.oneof(signed(1e-3, 100), fc.constant(0)), { minLength: 1, maxLength: 8 }), fc.double({ min: 0.01, max: 50, noNaN: true }), (g, c) => {
      const out = E.clipByNorm(g, c);
      expectAllClose(norm(out), Math.min(norm(g), c), { rtol: 1e-12, atol: 1e-300 });
      if (norm(g) > 0) expectAllClose(out, g.map((x) => (x * norm(out)) / norm(g)), { rtol: 1e-12, atol: 1e-300 });
      expectAllClose(E.clipByNorm(out, c), out, { rtol: 1e-12, atol: 1e-300 });
      expect(E.clipByValue(g, c).every((x, i) => Math.abs(x) <= c && (Math.abs(g[i]) > c || x === g[i]))).toBe(true);
    })));

  it('E5: every row of maxNorm(W, c) has norm ≤ c, rows within c are unchanged, and it is idempotent', () =>
    fc.assert(fc.property(matrixOf(fc.double({ min: -10, max: 10, noNaN: true })), fc.double({ min: 0.1, max: 10, noNaN: true }), (W, c) => {
      const out = E.maxNorm(W, c);
      out.forEach((row, j) => {
        expect(norm(row)).toBeLessThanOrEqual(c * (1 + 1e-12));
        if (norm(W[j]) <= c) expect(row).toEqual(W[j]);
      });
      expectAllClose(E.maxNorm(out, c), out, { rtol: 1e-12, atol: 1e-300 });
    })));

  it('E6: a stop comes exactly patience epochs after the best epoch, and never earlier', () =>
    fc.assert(fc.property(fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 30 }), fc.integer({ min: 1, max: 8 }), (v, k) => {
      const r = E.earlyStopping(v, k);
      expect(v[r.bestEpoch]).toBe(Math.min(...v.slice(0, r.stopEpoch + 1)));
      expect(r.stopped ? r.stopEpoch - r.bestEpoch === k : r.stopEpoch === v.length - 1 && r.stopEpoch - r.bestEpoch < k).toBe(true);
      // a longer patience never stops earlier
      expect(E.earlyStopping(v, k + 1).stopEpoch).toBeGreaterThanOrEqual(r.stopEpoch);
    })));
});

describe('regularization: invalid input is an error naming the function and the argument', () => {
  const cache = (mask: unknown, p: unknown, mode: unknown) => ({ mask, p, mode }) as unknown as E.DropoutCache;
  it.each([
    [() => E.l2RegularizedCost([], [1], 0.1), /l2RegularizedCost: argument 'losses' must be a non-empty vector/],
    [() => E.l2RegularizedCost([1], [1], -1), /l2RegularizedCost: argument 'lambda' must be ≥ 0; got -1/],
    [() => E.l1RegularizedCost([1], [Number.NaN], 1), /l1RegularizedCost: argument 'w' must contain only finite numbers; got w\[0\] = NaN/],
    [() => E.l2RegularizedCostGrad([[1, 2]], [1], 0), /l2RegularizedCostGrad: argument 'lossGrads' must have one column per weight \(1, the length of 'w'\); got 2/],
    [() => E.l1RegularizedCostGrad([[1], [1, 2]], [1], 0), /l1RegularizedCostGrad: argument 'lossGrads' must be rectangular/],
    [() => E.dropoutMask(0, 2, 0.5, 1), /dropoutMask: argument 'rows' must be an integer ≥ 1; got 0/],
    [() => E.dropoutMask(2, 2, 0, 1), /dropoutMask: argument 'p' must be a keep probability in \(0, 1\]; got 0/],
    [() => E.dropoutMask(2, 2, 1.5, 1), /dropoutMask: argument 'p' must be a keep probability in \(0, 1\]; got 1.5/],
    [() => E.dropoutMask(2, 2, 0.5, 1.5), /dropoutMask: argument 'seed' must be an integer/],
    [() => E.dropoutMask(2, 2, 0.5, 2 ** 31), /dropoutMask: argument 'seed' must be below 2\^31/],
    [() => E.dropoutForward([[1]], 0.5, 'eval' as E.Mode, 1), /dropoutForward: argument 'mode' must be 'train' or 'test'; got "eval"/],
    [() => E.invertedDropoutForward([[1], []], 0.5, 'test', 1), /invertedDropoutForward: argument 'a' must be rectangular/],
    [() => E.dropoutBackward([[1, 2]], cache([[1]], 0.5, 'train')), /dropoutBackward: argument 'cache.mask' must have 2 columns; got 1/],
    [() => E.dropoutBackward([[1]], cache([[0.5]], 0.5, 'train')), /dropoutBackward: argument 'cache.mask' must contain only 0 and 1/],
    [() => E.dropoutBackward([[1]], null as unknown as E.DropoutCache), /dropoutBackward: argument 'cache' must be the cache returned by the forward pass/],
    [() => E.invertedDropoutBackward([[1]], cache(null, 2, 'test')), /invertedDropoutBackward: argument 'p' must be a keep probability/],
    [() => E.clipByNorm([1], 0), /clipByNorm: argument 'c' must be > 0; got 0/],
    [() => E.clipByValue([], 1), /clipByValue: argument 'g' must be a non-empty vector/],
    [() => E.maxNorm([[1], [1, 2]], 1), /maxNorm: argument 'W' must be rectangular/],
    [() => E.earlyStopping([1, 2], 0), /earlyStopping: argument 'patience' must be an integer ≥ 1; got 0/],
    [() => E.earlyStopping([1, Number.NaN], 1), /earlyStopping: argument 'valErrors' must contain only finite numbers/],
  ])('%#', (call, message) => {
    expect(call).toThrowError(message);
  });
});
