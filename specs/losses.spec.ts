/**
 * Family B (losses): the reference against TensorFlow.js (with every parameter mapping written
 * out), against numerical derivatives (reference gradcheck), against mathjs BigNumber values of
 * the logits forms at extreme inputs, against exactly known values (the notes print no worked
 * numbers for the losses, so there is no fixtures file for B), and its input validation.
 *
 * tf.losses.* take (labels, predictions | logits, weights?, …, reduction) and default to
 * Reduction.SUM_BY_NONZERO_WEIGHTS, which without weights is the MEAN over all entries. The notes
 * write the losses as sums (Σ_i …), so every comparison passes Reduction.SUM, except B2 (MSE),
 * which is the mean and uses the default.
 */
import fc from 'fast-check';
import type { BigNumber } from 'mathjs';
import { describe, expect, it } from 'vitest';
import { distribution, logit, uniform } from '../graders/losses.grader.ts';
import { softmax } from '../reference/activations.ts';
import { numericalGradient, relativeError } from '../reference/gradcheck.ts';
import * as B from '../reference/losses.ts';
import { big, exactBig } from './support/bignumber.ts';
import { expectAllClose } from './support/expect.ts';
import { f32, oracle, run, tf } from './support/tf.ts';
import { BIGNUMBER, NUMERIC_REL_ERROR, TF_COMPOSITE } from './support/tolerances.ts';

const backend = await oracle();

const SUM = tf.Reduction.SUM;
const t1 = (v: number[]) => tf.tensor1d(v);
const sum = (v: number[]) => v.reduce((a, b) => a + b, 0);
const sigma = (s: number) => 1 / (1 + Math.exp(-s));

/** [a, b] of the same length 1–12, the second drawn entry by entry from the first. */
function pairWith(first: fc.Arbitrary<number>, second: (x: number) => fc.Arbitrary<number>, maxLength = 12): fc.Arbitrary<[number[], number[]]> {
  return fc.array(first, { minLength: 1, maxLength }).chain((a) => fc.tuple(fc.constant(a), fc.tuple(...a.map(second))));
}

const moderate = fc.double({ min: -20, max: 20, noNaN: true });
const pairs = pairWith(moderate, () => moderate);
/** |ŷ − y| ≥ 1e−3 after float32 rounding: keeps the L1 and hinge kinks (ties) out of the gradients. */
const apart = pairWith(moderate, (y) => moderate.filter((h) => Math.abs(Math.fround(h) - Math.fround(y)) >= 1e-3));
const label = fc.oneof(fc.constantFrom(0, 1), uniform({ min: 0, max: 1 }));
const sign = fc.constantFrom(-1, 1);
/** C classes with one-hot or soft labels and logits in [−20, 20]. */
const classified = fc
  .tuple(fc.integer({ min: 2, max: 8 }), fc.boolean())
  .chain(([C, soft]) => fc.tuple(distribution({ classes: C, soft }), fc.array(moderate, { minLength: C, maxLength: C })));

describe(`losses vs TensorFlow.js [${backend.label}]`, () => {
  // B1/B2: absoluteDifference |y − p| and meanSquaredError (y − p)², labels first, predictions second.
  // A sum of n float32 terms, each rounded once or twice: TF_COMPOSITE.
  it('l1Loss(y, ŷ) = tf.losses.absoluteDifference(y, ŷ, undefined, SUM), and l1LossGrad = tf.grad w.r.t. ŷ away from ties', () =>
    fc.assert(fc.property(apart, ([y, h]) => {
      expectAllClose(run(() => tf.losses.absoluteDifference(t1(y), t1(h), undefined, SUM)), B.l1Loss(f32(y), f32(h)), TF_COMPOSITE, 'loss');
      expectAllClose(run(() => tf.grad((p: tf.Tensor) => tf.losses.absoluteDifference(t1(y), p, undefined, SUM))(t1(h))), B.l1LossGrad(f32(y), f32(h)), TF_COMPOSITE, 'gradient');
    })));

  it('at a tie tfjs takes the subgradient +1 w.r.t. ŷ (abs′(0) = −1 in tfjs), the reference 0 (documented choice)', () => {
    const g = run(() => tf.grad((p: tf.Tensor) => tf.losses.absoluteDifference(t1([1, 2]), p, undefined, SUM))(t1([1, 3]))) as number[];
    expect(g).toEqual([1, 1]);
    expect(B.l1LossGrad([1, 2], [1, 3])).toEqual([0, 1]);
  });

  it('l2Loss(y, ŷ) = tf.losses.meanSquaredError(y, ŷ, undefined, SUM) and l2LossGrad = its tf.grad', () =>
    fc.assert(fc.property(pairs, ([y, h]) => {
      expectAllClose(run(() => tf.losses.meanSquaredError(t1(y), t1(h), undefined, SUM)), B.l2Loss(f32(y), f32(h)), TF_COMPOSITE, 'loss');
      expectAllClose(run(() => tf.grad((p: tf.Tensor) => tf.losses.meanSquaredError(t1(y), p, undefined, SUM))(t1(h))), B.l2LossGrad(f32(y), f32(h)), TF_COMPOSITE, 'gradient');
    })));

  it('sseLoss(y, t) = ½·tf.losses.meanSquaredError(t, y, undefined, SUM) — Bishop\'s y is the prediction, so it goes second', () =>
    fc.assert(fc.property(pairs, ([y, t]) => {
      expectAllClose(run(() => tf.losses.meanSquaredError(t1(t), t1(y), undefined, SUM).mul(0.5)), B.sseLoss(f32(y), f32(t)), TF_COMPOSITE, 'loss');
      const g = run(() => tf.grad((p: tf.Tensor) => tf.losses.meanSquaredError(t1(t), p, undefined, SUM).mul(0.5))(t1(y)));
      expectAllClose(g, B.sseLossGrad(f32(y), f32(t)), TF_COMPOSITE, 'gradient w.r.t. the output y');
    })));

  it('mse(y, h) = tf.losses.meanSquaredError(y, h) with its default reduction (SUM_BY_NONZERO_WEIGHTS = the mean) and mseGrad = its tf.grad', () =>
    fc.assert(fc.property(pairs, ([y, h]) => {
      expectAllClose(run(() => tf.losses.meanSquaredError(t1(y), t1(h))), B.mse(f32(y), f32(h)), TF_COMPOSITE, 'loss');
      expectAllClose(run(() => tf.grad((p: tf.Tensor) => tf.losses.meanSquaredError(t1(y), p))(t1(h))), B.mseGrad(f32(y), f32(h)), TF_COMPOSITE, 'gradient');
    })));

  // B3: logLoss(labels, predictions, weights, epsilon = 1e−7, reduction) computes
  // −y·log(p + ε) − (1 − y)·log(1 − p + ε). The notes have no ε: pass epsilon = 0 explicitly.
  it('binaryCrossEntropy(y, h) = tf.losses.logLoss(y, h, undefined, 0, SUM) (ε = 0) and its gradient, h ∈ [0.01, 0.99]', () =>
    fc.assert(fc.property(pairWith(label, () => uniform({ min: 0.01, max: 0.99 })), ([y, h]) => {
      expectAllClose(run(() => tf.losses.logLoss(t1(y), t1(h), undefined, 0, SUM)), B.binaryCrossEntropy(f32(y), f32(h)), TF_COMPOSITE, 'loss');
      const g = run(() => tf.grad((p: tf.Tensor) => tf.losses.logLoss(t1(y), p, undefined, 0, SUM))(t1(h)));
      // |∂J/∂h| ≤ 1/0.01 = 100 here: float32 rounding of 1 − h and of the quotient, relative
      expectAllClose(g, B.binaryCrossEntropyGrad(f32(y), f32(h)), TF_COMPOSITE, 'gradient');
    })));

  it("logLoss's default ε = 1e−7 is a bias of ≈ ε/h: negligible in the middle, not near the ends, and it hides +∞", () => {
    const withDefault = (y: number[], h: number[]) => run(() => tf.losses.logLoss(t1(y), t1(h), undefined, undefined, SUM)) as number;
    // mid-range: |bias| ≤ ε·(1/h + 1/(1 − h)) ≈ 4e−7 relative at h = ½, within float32 noise of TF_COMPOSITE
    expectAllClose(withDefault([1, 0, 0.3], [0.5, 0.5, 0.5]), B.binaryCrossEntropy([1, 0, 0.3], [0.5, 0.5, 0.5]), TF_COMPOSITE, 'h = ½');
    // near an end: −ln(1e−6 + 1e−7) = 13.72 instead of −ln(1e−6) = 13.82
    const near = withDefault([1], [1e-6]);
    expect(B.binaryCrossEntropy([1], [f32(1e-6)]) - near).toBeGreaterThan(0.09);
    // at the ends: a perfect prediction costs −log(1 + ε) < 0 instead of 0, a certain wrong one 16.1 instead of +∞
    expect(withDefault([1, 0], [1, 0])).toBeLessThan(0);
    expect(B.binaryCrossEntropy([1, 0], [1, 0])).toBe(0);
    expect(withDefault([1], [0])).toBeCloseTo(-Math.log(1e-7), 0);
    expect(B.binaryCrossEntropy([1], [0])).toBe(Infinity);
  });

  // B3: sigmoidCrossEntropy(multiClassLabels, logits, weights, labelSmoothing = 0, reduction)
  // computes max(x, 0) − x·z + log1p(e^−|x|), the same stable form as the reference.
  it('sigmoidCrossEntropy(y, s) = tf.losses.sigmoidCrossEntropy(y, s, undefined, 0, SUM) and its gradient', () =>
    fc.assert(fc.property(pairWith(label, () => moderate), ([y, s]) => {
      expectAllClose(run(() => tf.losses.sigmoidCrossEntropy(t1(y), t1(s), undefined, 0, SUM)), B.sigmoidCrossEntropy(f32(y), f32(s)), TF_COMPOSITE, 'loss');
      const g = run(() => tf.grad((x: tf.Tensor) => tf.losses.sigmoidCrossEntropy(t1(y), x, undefined, 0, SUM))(t1(s)));
      expectAllClose(g, B.sigmoidCrossEntropyGrad(f32(y), f32(s)), TF_COMPOSITE, 'gradient');
    })));

  it('sigmoidCrossEntropy = tfjs at logits up to ±1000 (both use the |s| form; ±1000 is exact in float32)', () => {
    const y = [1, 0, 0.5, 1, 0, 0.25];
    const s = [-1000, 1000, 80, 1000, -1000, -700];
    expectAllClose(run(() => tf.losses.sigmoidCrossEntropy(t1(y), t1(s), undefined, 0, SUM)), B.sigmoidCrossEntropy(y, s), TF_COMPOSITE, 'loss');
  });

  // B4: softmaxCrossEntropy(onehotLabels [batch, C], logits [batch, C], weights, labelSmoothing = 0,
  // reduction) gives the per-row −Σ_c y_c(s_c − logΣe^s); SUM over a batch of one row is that row.
  // Soft labels are accepted; the custom gradient dy·(softmax − y) is p − y as in the reference.
  it('softmaxCrossEntropy(y, s) = tf.losses.softmaxCrossEntropy([y], [s], undefined, 0, SUM) and its gradient, one-hot and soft y', () =>
    fc.assert(fc.property(classified, ([y, s]) => {
      const [yt, st] = [() => tf.tensor2d([y]), () => tf.tensor2d([s])];
      expectAllClose(run(() => tf.losses.softmaxCrossEntropy(yt(), st(), undefined, 0, SUM)), B.softmaxCrossEntropy(f32(y), f32(s)), TF_COMPOSITE, 'loss');
      const g = run(() => tf.grad((x: tf.Tensor) => tf.losses.softmaxCrossEntropy(yt(), x, undefined, 0, SUM))(st())) as number[][];
      expectAllClose(g[0], B.softmaxCrossEntropyGrad(f32(y), f32(s)), TF_COMPOSITE, 'gradient');
    })));

  // B5: hingeLoss(labels, predictions, weights, reduction) converts labels with y′ = 2y − 1, i.e.
  // it expects 0/1 labels. The notes' labels are ±1: pass (y + 1)/2, which tfjs maps back to y.
  it('hingeLoss(y, h) = tf.losses.hingeLoss((y + 1)/2, h, undefined, SUM) and its gradient away from the margin', () =>
    fc.assert(fc.property(pairWith(sign, (y) => moderate.filter((h) => Math.abs(y * Math.fround(h) - 1) >= 1e-3)), ([y, h]) => {
      const y01 = y.map((v) => (v + 1) / 2);
      expectAllClose(run(() => tf.losses.hingeLoss(t1(y01), t1(h), undefined, SUM)), B.hingeLoss(y, f32(h)), TF_COMPOSITE, 'loss');
      const g = run(() => tf.grad((p: tf.Tensor) => tf.losses.hingeLoss(t1(y01), p, undefined, SUM))(t1(h)));
      expectAllClose(g, B.hingeLossGrad(y, f32(h)), TF_COMPOSITE, 'gradient');
    })));

  it('passing ±1 labels to tf.losses.hingeLoss directly is wrong: −1 becomes 2(−1) − 1 = −3', () => {
    const [y, h] = [[1, -1, 1], [0.5, 0.5, -2]];
    expect(B.hingeLoss(y, h)).toBe(5); // 0.5 + 1.5 + 3
    expect(run(() => tf.losses.hingeLoss(t1(y), t1(h), undefined, SUM))).toBe(6); // 0.5 + max(0, 1 + 3·0.5) + 3
    expect(run(() => tf.losses.hingeLoss(t1(y.map((v) => (v + 1) / 2)), t1(h), undefined, SUM))).toBe(5);
  });

  it('at the margin y·h = 1 tfjs (relu′(0) = 0) and the reference both take the subgradient 0', () => {
    const g = run(() => tf.grad((p: tf.Tensor) => tf.losses.hingeLoss(t1([1, 0]), p, undefined, SUM))(t1([1, -1]))) as number[];
    expect(g.map((v) => v + 0)).toEqual(B.hingeLossGrad([1, -1], [1, -1]));
  });

  // B6: huberLoss(labels, predictions, weights, delta = 1.0, reduction) computes, with e = |p − y|
  // and q = min(e, δ), 0.5q² + δ(e − q): the notes' two branches in one expression.
  it('huberLoss(y, f, δ) = tf.losses.huberLoss(y, f, undefined, δ, SUM) and its gradient (residuals away from ±δ)', () =>
    fc.assert(fc.property(pairs, uniform({ min: 0.1, max: 5 }), ([y, f], delta) => {
      const d = Math.fround(delta);
      expectAllClose(run(() => tf.losses.huberLoss(t1(y), t1(f), undefined, d, SUM)), B.huberLoss(f32(y), f32(f), d), TF_COMPOSITE, 'loss');
      const [yk, fk] = [f32(y), f32(f)];
      if (yk.every((v, i) => Math.abs(Math.abs(fk[i] - v) - d) >= 1e-3)) {
        const g = run(() => tf.grad((p: tf.Tensor) => tf.losses.huberLoss(t1(y), p, undefined, d, SUM))(t1(f)));
        expectAllClose(g, B.huberLossGrad(yk, fk, d), TF_COMPOSITE, 'gradient');
      }
    })));

  // B7 has no tfjs loss: L = meanSquaredError(z, sigmoid(s), SUM); dp from the loss at p, ds through the sigmoid.
  it('sigmoidL2Loss(z, s) = tf.losses.meanSquaredError(z, tf.sigmoid(s), undefined, SUM); dp and ds = tf.grad w.r.t. p and s', () =>
    fc.assert(fc.property(pairWith(uniform({ min: 0, max: 1 }), () => moderate), ([z, s]) => {
      const L = (p: tf.Tensor) => tf.losses.meanSquaredError(t1(z), p, undefined, SUM);
      expectAllClose(run(() => L(tf.sigmoid(t1(s)))), B.sigmoidL2Loss(f32(z), f32(s)), TF_COMPOSITE, 'loss');
      const ref = B.sigmoidL2LossGrad(f32(z), f32(s));
      expectAllClose(run(() => tf.grad(L)(tf.sigmoid(t1(s)))), ref.dp, TF_COMPOSITE, 'dp');
      expectAllClose(run(() => tf.grad((x: tf.Tensor) => L(tf.sigmoid(x)))(t1(s))), ref.ds, TF_COMPOSITE, 'ds');
    })));
});

describe('losses vs numerical derivatives (float64 central differences)', () => {
  // A central difference with h = 1e−5 is exact for the piecewise linear/quadratic losses (L1,
  // L2, SSE, MSE, hinge, Huber) as long as [x − h, x + h] stays inside one piece: inputs keep
  // 1e−3 away from every kink. What remains is rounding, ~ε|L|/h ≈ 1e−11·|L| per entry, which
  // must be small against the entry itself: inputs are bounded (|L| ≲ 100) and every gradient
  // entry kept ≳ 1e−3·|L| away from 0 (a near-zero entry has no meaningful relative error). For
  // the smooth losses, truncation h²|f'''|/6 is bounded by keeping h, σ(s) away from 0 and 1.
  const entry = fc.double({ min: -2, max: 2, noNaN: true });
  const separated = pairWith(entry, (y) => fc.double({ min: 0.1, max: 2, noNaN: true }).chain((d) => fc.constantFrom(y + d, y - d)), 6);
  const check = (grad: number[], numeric: number[]): void => {
    expect(relativeError(grad, numeric)).toBeLessThan(NUMERIC_REL_ERROR);
  };
  const gradientPairs: [string, (a: number[], b: number[]) => number, (a: number[], b: number[]) => number[]][] = [
    ['l1LossGrad', B.l1Loss, B.l1LossGrad],
    ['l2LossGrad', B.l2Loss, B.l2LossGrad],
    ['mseGrad', B.mse, B.mseGrad],
  ];
  for (const [name, L, dL] of gradientPairs) {
    it(`${name} = numerical gradient w.r.t. the prediction`, () =>
      fc.assert(fc.property(separated, ([y, h]) => check(dL(y, h), numericalGradient((v) => L(y, v), h)))));
  }

  it('sseLossGrad = numerical gradient w.r.t. the output y (the first argument)', () =>
    fc.assert(fc.property(separated, ([t, y]) => check(B.sseLossGrad(y, t), numericalGradient((v) => B.sseLoss(v, t), y)))));

  it('binaryCrossEntropyGrad = numerical gradient, h ∈ [0.2, 0.8], |h − y| ≥ 0.05', () =>
    // f''' = 2y/h³ + 2(1 − y)/(1 − h)³ ≤ 250 here: truncation ≤ 4e−9, against entries ≥ 0.05/¼ = 0.2
    fc.assert(fc.property(pairWith(label, (y) => uniform({ min: 0.2, max: 0.8 }).filter((h) => Math.abs(h - y) >= 0.05), 6), ([y, h]) =>
      check(B.binaryCrossEntropyGrad(y, h), numericalGradient((v) => B.binaryCrossEntropy(y, v), h)))));

  it('sigmoidCrossEntropyGrad = numerical gradient, |s| ≤ 5, |σ(s) − y| ≥ 0.05', () =>
    fc.assert(fc.property(pairWith(label, (y) => fc.double({ min: -5, max: 5, noNaN: true }).filter((s) => Math.abs(sigma(s) - y) >= 0.05), 6), ([y, s]) =>
      check(B.sigmoidCrossEntropyGrad(y, s), numericalGradient((v) => B.sigmoidCrossEntropy(y, v), s)))));

  it('softmaxCrossEntropyGrad = numerical gradient, |s| ≤ 2, every |p_c − y_c| ≥ 2e−3', () =>
    // |L| ≤ 10 ⇒ rounding ≈ 1e−10, i.e. ≤ 5e−8 of the smallest entry allowed
    fc.assert(fc.property(
      fc.tuple(fc.integer({ min: 2, max: 5 }), fc.boolean())
        .chain(([C, soft]) => fc.tuple(distribution({ classes: C, soft }), fc.array(fc.double({ min: -2, max: 2, noNaN: true }), { minLength: C, maxLength: C })))
        .filter(([y, s]) => softmax(s).every((p, c) => Math.abs(p - y[c]) >= 2e-3)),
      ([y, s]) => check(B.softmaxCrossEntropyGrad(y, s), numericalGradient((v) => B.softmaxCrossEntropy(y, v), s)),
    )));

  it('hingeLossGrad = numerical gradient away from the margin y·h = 1', () =>
    fc.assert(fc.property(pairWith(sign, (y) => fc.double({ min: -3, max: 3, noNaN: true }).filter((m) => Math.abs(m - 1) >= 1e-3).map((m) => y * m), 6), ([y, h]) =>
      check(B.hingeLossGrad(y, h), numericalGradient((v) => B.hingeLoss(y, v), h)))));

  it('huberLossGrad = numerical gradient, residuals ≥ 0.1 and 1e−3 away from ±δ', () =>
    fc.assert(fc.property(
      fc.tuple(pairWith(entry, (y) => fc.double({ min: 0.1, max: 4, noNaN: true }).chain((r) => fc.constantFrom(y + r, y - r)), 6), fc.double({ min: 0.2, max: 3, noNaN: true }))
        .filter(([[y, f], d]) => y.every((v, i) => Math.abs(Math.abs(f[i] - v) - d) >= 1e-3)),
      ([[y, f], d]) => check(B.huberLossGrad(y, f, d), numericalGradient((v) => B.huberLoss(y, v, d), f)),
    )));

  it('sigmoidL2LossGrad: ds = numerical gradient w.r.t. s, dp = numerical gradient w.r.t. p = σ(s)', () =>
    // |s| ≤ 4 and |z − σ(s)| ≥ 0.05 keep every |ds| ≥ 2·0.05·σ′(4) ≈ 1.8e−3 against rounding ≈ 7e−11
    fc.assert(fc.property(pairWith(uniform({ min: 0, max: 1 }), (z) => fc.double({ min: -4, max: 4, noNaN: true }).filter((s) => Math.abs(z - sigma(s)) >= 0.05), 6), ([z, s]) => {
      const { dp, ds } = B.sigmoidL2LossGrad(z, s);
      check(ds, numericalGradient((v) => B.sigmoidL2Loss(z, v), s));
      // L as a function of p: the loss at the logits log(p/(1 − p)), where σ gives p back
      const p = s.map(sigma);
      check(dp, numericalGradient((v) => B.sigmoidL2Loss(z, v.map((q) => Math.log(q / (1 - q)))), p));
    })));
});

describe('losses vs mathjs (500-digit BigNumber values at extreme logits and probabilities)', () => {
  const toNumber = (v: unknown) => Number((v as { toString(): string }).toString());
  // Labels are dyadic (0, ¼, ½, 1), so s·y is exact and the reference rounds only in exp, log1p
  // and the final additions: a few ulps, BIGNUMBER.
  const logits = [-1000, -745, -709.5, -40, -3.7, -1e-9, 0, 1e-9, 0.3, 40, 709.5, 745, 1000];
  const labels = [0, 0.25, 0.5, 1];

  it('B3 sigmoidCrossEntropy([y], [s]) = log(1 + e^s) − s·y', () => {
    for (const s of logits) for (const y of labels) {
      const exact = big.evaluate('log(1 + exp(s)) - s * y', { s: exactBig(s), y: exactBig(y) });
      expectAllClose(B.sigmoidCrossEntropy([y], [s]), toNumber(exact), BIGNUMBER, `s = ${s}, y = ${y}`);
    }
  });

  it('B3 sigmoidCrossEntropyGrad([y], [s]) = 1/(1 + e^−s) − y, to a few ulps even where σ(s) rounds to 1', () => {
    for (const s of logits) for (const y of labels) {
      const exact = big.evaluate('1 / (1 + exp(-s)) - y', { s: exactBig(s), y: exactBig(y) });
      // hard labels: no cancellation is left ((1 − y) − σ(−s) keeps σ(40) − 1 = −4.2e−18, not 0);
      // soft labels: σ(s) − y genuinely cancels where σ(s) ≈ y, and the error is then an ulp of σ (≤ 1.2e−16)
      const tol = y === 0 || y === 1 ? BIGNUMBER : { rtol: 1e-15, atol: 1.2e-16 };
      expectAllClose(B.sigmoidCrossEntropyGrad([y], [s]), [toNumber(exact)], tol, `s = ${s}, y = ${y}`);
    }
  });

  it('B3 binaryCrossEntropy([y], [h]) = −(y log h + (1 − y) log(1 − h)) near both ends', () => {
    for (const h of [1e-300, 1e-10, 0.3, 0.5, 1 - 2 ** -40, 1 - 2 ** -52]) for (const y of labels) {
      const exact = big.evaluate('-(y * log(h) + (1 - y) * log(1 - h))', { h: exactBig(h), y: exactBig(y) });
      expectAllClose(B.binaryCrossEntropy([y], [h]), toNumber(exact), BIGNUMBER, `h = ${h}, y = ${y}`);
    }
  });

  it('B4 softmaxCrossEntropy = −Σ_c y_c (s_c − log Σ_k e^{s_k}) on logits near ±1000', () => {
    const cases: [number[], number[]][] = [
      [[1, 0, 0], [1000, 999, -1000]],
      [[0.5, 0.5, 0], [1000, 999, -1000]],
      [[0, 0, 1], [-1000, -1000, -999.5]],
      [[0.25, 0.25, 0.25, 0.25], [0, -745, 700, 709.7]],
      [[0, 1, 0], [3.1, -2.2, 0.4]],
    ];
    for (const [y, s] of cases) {
      const bs = s.map(exactBig);
      const lse = big.log(big.sum(bs.map((v) => big.exp(v))));
      const exact = big.sum(bs.map((v, c) => big.multiply(exactBig(y[c]), big.subtract(lse, v)) as BigNumber));
      // lse − s_c cancels when s_c ≈ lse: its error is an ulp of the inputs (≤ 1.2e−13 at 1000), not of the result (as A9)
      expectAllClose(B.softmaxCrossEntropy(y, s), toNumber(exact), { rtol: 1e-15, atol: 2.5e-13 }, `y = ${y}, s = ${s}`);
    }
  });
});

describe('losses: exactly known values (the notes print no worked numbers for B)', () => {
  it('B1: L1, L2 and SSE of y = [1, 2, 3], ŷ = [2, 2, 1] are 3, 5 and 2.5; gradients sign(ŷ − y), 2(ŷ − y), y − t', () => {
    expect(B.l1Loss([1, 2, 3], [2, 2, 1])).toBe(3);
    expect(B.l2Loss([1, 2, 3], [2, 2, 1])).toBe(5);
    expect(B.sseLoss([1, 2, 3], [2, 2, 1])).toBe(2.5);
    expect(B.l1LossGrad([1, 2, 3], [2, 2, 1])).toEqual([1, 0, -1]);
    expect(B.l2LossGrad([1, 2, 3], [2, 2, 1])).toEqual([2, 0, -4]);
    expect(B.sseLossGrad([1, 2, 3], [2, 2, 1])).toEqual([-1, 0, 2]);
  });

  it('B2: mse = 5/3 and mseGrad = (2/3)[1, 0, −2] on the same data', () => {
    expect(B.mse([1, 2, 3], [2, 2, 1])).toBeCloseTo(5 / 3, 15);
    expectAllClose(B.mseGrad([1, 2, 3], [2, 2, 1]), [2 / 3, 0, -4 / 3], { rtol: 1e-15, atol: 0 });
  });

  it('B3: BCE at h = ½ is ln 2 per entry; 0 at a correct end (0·log 0 = 0), +∞ at a wrong end; gradient conventions at the ends', () => {
    expect(B.binaryCrossEntropy([1, 0, 0.3], [0.5, 0.5, 0.5])).toBeCloseTo(3 * Math.LN2, 15);
    expect(B.binaryCrossEntropy([1, 0], [1, 0])).toBe(0);
    expect(B.binaryCrossEntropy([1, 0.5], [0, 0.5])).toBe(Infinity);
    expect(B.binaryCrossEntropy([0], [1])).toBe(Infinity);
    expect(B.binaryCrossEntropyGrad([1, 0, 0.5], [0.5, 0.5, 0.5])).toEqual([-2, 2, 0]);
    expect(B.binaryCrossEntropyGrad([0, 1, 0.5, 0.5], [0, 1, 0, 1])).toEqual([1, -1, -Infinity, Infinity]);
    expect(B.sigmoidCrossEntropy([1, 0, 0.3], [0, 0, 0])).toBeCloseTo(3 * Math.LN2, 15);
    expect(B.sigmoidCrossEntropyGrad([1, 0, 0.25], [0, 0, Math.log(3)])).toEqual([-0.5, 0.5, 0.5]);
  });

  it('B4: one-hot CE with C equal logits is ln C; with s = [ln 1, ln 2, ln 3] and class 1 it is ln 3; gradient p − y', () => {
    expect(B.softmaxCrossEntropy([0, 0, 1, 0], [7, 7, 7, 7])).toBeCloseTo(Math.log(4), 15);
    expect(B.softmaxCrossEntropy([0, 1, 0], [0, Math.log(2), Math.log(3)])).toBeCloseTo(Math.log(3), 15);
    expectAllClose(B.softmaxCrossEntropyGrad([0, 1, 0], [0, Math.log(2), Math.log(3)]), [1 / 6, 2 / 6 - 1, 3 / 6], { rtol: 1e-15, atol: 1e-16 });
  });

  it('B5: hinge is 0 at the margin y·h = 1 and grows linearly past it; its gradient is 0 at the kink', () => {
    expect(B.hingeLoss([1, -1], [1, -1])).toBe(0);
    expect(B.hingeLoss([-1, -1], [-1, 1])).toBe(2);
    expect(B.hingeLossGrad([1, -1, 1, -1], [1, -1, 0.5, 0.5])).toEqual([0, 0, -1, 1]);
  });

  it('B6: Huber is ½r² inside the band, δ|r| − ½δ² outside, ½δ² from both sides at |r| = δ', () => {
    expect(B.huberLoss([0, 1], [0.5, 0.25], 1)).toBe(0.125 + 0.28125);
    expect(B.huberLoss([0, 3], [5, -1], 2)).toBe(14);
    expect(B.huberLoss([0], [2], 2)).toBe(2);
    expect(B.huberLoss([0], [2 + 1e-9], 2)).toBeCloseTo(2, 8);
    expect(B.huberLoss([0], [2 - 1e-9], 2)).toBeCloseTo(2, 8);
    expect(B.huberLossGrad([0, 0, 0], [0.5, 3, -2], 1)).toEqual([0.5, 1, -1]);
  });

  it('B7: at s = 0 (p = ½) with z = [1, 0]: L = ½, dp = [−1, 1], ds = [−¼, ¼] ([Oh] "Summary")', () => {
    expect(B.sigmoidL2Loss([1, 0], [0, 0])).toBe(0.5);
    expect(B.sigmoidL2LossGrad([1, 0], [0, 0])).toEqual({ dp: [-1, 1], ds: [-0.25, 0.25] });
  });
});

describe('losses: properties of the catalogue', () => {
  it('B1/B2: SSE = ½·L2, MSE = L2/N, and the losses are ≥ 0 and vanish at ŷ = y', () =>
    fc.assert(fc.property(pairs, ([y, h]) => {
      expect(B.sseLoss(h, y)).toBeCloseTo(0.5 * B.l2Loss(y, h), 9);
      expect(B.mse(y, h)).toBeCloseTo(B.l2Loss(y, h) / y.length, 9);
      for (const L of [B.l1Loss, B.l2Loss, B.sseLoss, B.mse]) {
        expect(L(y, h)).toBeGreaterThanOrEqual(0);
        expect(L(y, y)).toBe(0);
      }
    })));

  it('B3: the logits form equals the probability form at h = σ(s) (|s| ≤ 15), and its gradient is the chain rule BCE′(σ(s))·σ′(s)', () =>
    fc.assert(fc.property(pairWith(label, () => fc.double({ min: -15, max: 15, noNaN: true })), ([y, s]) => {
      const h = s.map(sigma);
      expectAllClose(B.sigmoidCrossEntropy(y, s), B.binaryCrossEntropy(y, h), { rtol: 1e-9, atol: 1e-12 }, 'loss');
      const chained = B.binaryCrossEntropyGrad(y, h).map((g, i) => g * h[i] * (1 - h[i]));
      expectAllClose(B.sigmoidCrossEntropyGrad(y, s), chained, { rtol: 1e-6, atol: 1e-12 }, 'gradient');
    })));

  it('B3/B4/B7: the logits forms and their gradients are finite for |s| ≤ 1000, σ(s) − y ∈ [−1, 1] and Σ_c (p_c − y_c) = 0', () =>
    fc.assert(fc.property(pairWith(label, () => logit), classifiedWide(), ([y, s], [yc, sc]) => {
      expect(Number.isFinite(B.sigmoidCrossEntropy(y, s))).toBe(true);
      expect(B.sigmoidCrossEntropyGrad(y, s).every((g) => Number.isFinite(g) && Math.abs(g) <= 1)).toBe(true);
      expect(Number.isFinite(B.sigmoidL2Loss(y, s))).toBe(true);
      const { dp, ds } = B.sigmoidL2LossGrad(y, s);
      expect([...dp, ...ds].every(Number.isFinite)).toBe(true);
      const L = B.softmaxCrossEntropy(yc, sc);
      expect(Number.isFinite(L) && L >= 0).toBe(true);
      expect(Math.abs(sum(B.softmaxCrossEntropyGrad(yc, sc)))).toBeLessThan(1e-12);
    })));

  it('B4: softmax CE is invariant to a shift of the logits and linear in the labels', () =>
    fc.assert(fc.property(classified, fc.double({ min: -100, max: 100, noNaN: true }), ([y, s], c) => {
      const L = B.softmaxCrossEntropy(y, s);
      expectAllClose(B.softmaxCrossEntropy(y, s.map((v) => v + c)), L, { rtol: 1e-9, atol: 1e-9 }, 'shift');
      const mixed = sum(y.map((yc, k) => (yc === 0 ? 0 : yc * B.softmaxCrossEntropy(y.map((_, j) => (j === k ? 1 : 0)), s))));
      expectAllClose(L, mixed, { rtol: 1e-9, atol: 1e-12 }, 'linearity in y');
    })));

  it('B5: hinge depends on y·h only, and is 0 exactly where every margin is satisfied', () =>
    fc.assert(fc.property(pairWith(sign, () => moderate), ([y, h]) => {
      expect(B.hingeLoss(y.map((v) => -v), h.map((v) => -v))).toBe(B.hingeLoss(y, h));
      expect(B.hingeLoss(y, h) === 0).toBe(y.every((v, i) => v * h[i] >= 1));
    })));

  it('B6: Huber lies between Σ max(0, δ|r| − ½δ²) and Σ min(½r², δ|r|); δ ≥ max|r| gives ½·L2, and Huber/δ → L1 as δ → 0', () =>
    fc.assert(fc.property(pairs, fc.double({ min: 0.01, max: 10, noNaN: true }), ([y, f], d) => {
      const r = y.map((v, i) => Math.abs(v - f[i]));
      const H = B.huberLoss(y, f, d);
      expect(H).toBeGreaterThanOrEqual(sum(r.map((v) => Math.max(0, d * v - 0.5 * d * d))) - 1e-9);
      expect(H).toBeLessThanOrEqual(sum(r.map((v) => Math.min(0.5 * v * v, d * v))) + 1e-9);
      expectAllClose(B.huberLoss(y, f, Math.max(...r, 1e-3)), 0.5 * B.l2Loss(y, f), { rtol: 1e-12, atol: 1e-12 }, 'large δ');
      // for δ below every nonzero |r|: H/δ = Σ_{r ≠ 0} (|r| − δ/2) = L1 − (#nonzero)·δ/2
      const small = Math.min(...r.filter((v) => v > 0), 1) / 2;
      const nonzero = r.filter((v) => v > 0).length;
      expectAllClose(B.huberLoss(y, f, small) / small, B.l1Loss(y, f) - (nonzero * small) / 2, { rtol: 1e-9, atol: 1e-9 }, 'small δ');
    })));
});

function classifiedWide() {
  return fc.tuple(fc.integer({ min: 2, max: 8 }), fc.boolean()).chain(([C, soft]) => fc.tuple(distribution({ classes: C, soft }), fc.array(logit, { minLength: C, maxLength: C })));
}

describe('losses: the grader arbitraries produce what they promise', () => {
  it('uniform({ min, max }) should only produce numbers in [min, max], spread over the range', () => {
    const xs = fc.sample(uniform({ min: 0.01, max: 0.99 }), { numRuns: 1000, seed: 7 });
    expect(xs.every((x) => x >= 0.01 && x <= 0.99)).toBe(true);
    expect(xs.filter((x) => x > 0.5).length).toBeGreaterThan(300); // fc.double would put ~90% below 0.02
  });
  it('distribution({ classes, soft }) should only produce probability vectors (one-hot when not soft)', () =>
    fc.assert(fc.property(fc.integer({ min: 2, max: 8 }).chain((C) => fc.tuple(fc.constant(C), fc.boolean()).chain(([k, soft]) => fc.tuple(fc.constant(k), fc.constant(soft), distribution({ classes: k, soft })))), ([C, soft, y]) => {
      expect(y.length).toBe(C);
      expect(y.every((v) => v >= 0 && v <= 1)).toBe(true);
      expect(Math.abs(sum(y) - 1)).toBeLessThan(1e-12);
      if (!soft) expect(y.filter((v) => v === 1).length).toBe(1);
    })));
  it('logit should only produce |s| ≤ 1000, and reach the overflow tails |s| > 709 often', () => {
    const xs = fc.sample(logit, { numRuns: 1000, seed: 7 });
    expect(xs.every((x) => Number.isFinite(x) && Math.abs(x) <= 1000)).toBe(true);
    expect(xs.filter((x) => Math.abs(x) > 709).length).toBeGreaterThan(200);
  });
});

describe('losses: invalid input is an error naming the function and the argument', () => {
  it.each([
    [() => B.l1Loss([1, 2], [1]), /l1Loss: argument 'yHat' must have the same length as 'y' \(2\); got length 1/],
    [() => B.mse([], []), /mse: argument 'y' must be a non-empty vector/],
    [() => B.sseLoss([1, Number.NaN], [1, 2]), /sseLoss: argument 'y' must contain only finite numbers; got y\[1\] = NaN/],
    [() => B.binaryCrossEntropy([1, 2], [0.5, 0.5]), /binaryCrossEntropy: argument 'y' must have entries in \[0, 1\] \(probabilities\); got y\[1\] = 2/],
    [() => B.binaryCrossEntropy([1], [1.5]), /binaryCrossEntropy: argument 'h' must have entries in \[0, 1\] \(probabilities\); got h\[0\] = 1.5/],
    [() => B.binaryCrossEntropyGrad([1], [-0.1]), /binaryCrossEntropyGrad: argument 'h' must have entries in \[0, 1\]/],
    [() => B.sigmoidCrossEntropy([-1], [0]), /sigmoidCrossEntropy: argument 'y' must have entries in \[0, 1\]/],
    [() => B.softmaxCrossEntropy([1, 1], [0, 0]), /softmaxCrossEntropy: argument 'y' must be a probability vector \(entries sum to 1\); got sum 2/],
    [() => B.softmaxCrossEntropyGrad([1.5, -0.5], [0, 0]), /softmaxCrossEntropyGrad: argument 'y' must be a probability vector \(entries ≥ 0\); got y\[1\] = -0.5/],
    [() => B.softmaxCrossEntropy([1], [0, 0]), /softmaxCrossEntropy: argument 's' must have the same length as 'y' \(1\); got length 2/],
    [() => B.hingeLoss([1, 0], [0.5, 0.5]), /hingeLoss: argument 'y' must contain labels −1 or \+1 \(for 0\/1 labels use 2y − 1\); got y\[1\] = 0/],
    [() => B.hingeLossGrad([0.5], [1]), /hingeLossGrad: argument 'y' must contain labels −1 or \+1/],
    [() => B.huberLoss([1], [2], 0), /huberLoss: argument 'delta' must be > 0; got 0/],
    [() => B.huberLossGrad([1], [2], Number.POSITIVE_INFINITY), /huberLossGrad: argument 'delta' must be a finite number; got Infinity/],
    [() => B.sigmoidL2Loss([1, 2], [0]), /sigmoidL2Loss: argument 's' must have the same length as 'z' \(2\); got length 1/],
    [() => B.sigmoidL2LossGrad([1], [Number.NEGATIVE_INFINITY]), /sigmoidL2LossGrad: argument 's' must contain only finite numbers; got s\[0\] = -Infinity/],
  ])('%#', (call, message) => {
    expect(call).toThrowError(message);
  });

  it('a probability vector read from float32 data (sum 1 ± n·6e−8) is accepted', () => {
    const y = f32([0.1, 0.2, 0.3, 0.4]);
    expect(Math.abs(sum(y) - 1)).toBeGreaterThan(0);
    expect(Number.isFinite(B.softmaxCrossEntropy(y, [1, 2, 3, 4]))).toBe(true);
  });
});
