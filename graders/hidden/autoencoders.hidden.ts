/**
 * Family O (autoencoders): hidden differential checks, student vs reference on random inputs.
 * Instructor side only.
 *
 * Autoencoders of every activation pair with codes of either sign (and exact zeros: linear
 * encoders on multiples of 1/8 hit a_e = 0), corruptions of random matrices with random seeds,
 * and the linear autoencoder's trained weights after a few steps. Each check names the mistakes
 * its wrong values match by running the public grader's formulas with a wrong convention.
 */
import fc from 'fast-check';
import * as ref from '../../reference/autoencoders.ts';
import { aeCase, aeForward, flatten, lossVariants, MISTAKES, pcaCase, sparseLossVariants, startOf, stepOf, type AE } from '../autoencoders.grader.ts';
import { eighths, real, vectorPair } from '../engine/arbitraries.ts';
import { differential } from '../engine/checks.ts';
import { negated, scaled, type Variants } from '../engine/diagnose.ts';
import type { Check } from '../engine/types.ts';

type Vec = number[];

/** Linear-encoder autoencoders on multiples of 1/8: a_e is often exactly 0, where sign(0) = 0 matters. */
const eighthsCase = fc
  .record({ d: fc.integer({ min: 1, max: 3 }), k: fc.integer({ min: 1, max: 2 }) })
  .chain(({ d, k }) => {
    const m = (r: number, c: number) => fc.array(fc.array(eighths(1), { minLength: c, maxLength: c }), { minLength: r, maxLength: r });
    const v = (n: number) => fc.array(eighths(1), { minLength: n, maxLength: n });
    return fc.record({
      ae: fc.record({ We: m(k, d), be: v(k), encoder: fc.constant('linear' as const), Wd: m(d, k), bd: v(d), decoder: fc.constant('linear' as const) }),
      x: v(d),
      lambda: real({ min: 0.25, max: 2 }),
    });
  });

/** The reference's gradient with the penalty's δ at the code replaced by f_e′(a_e)·dh(h) (the mistakes' forms). */
function gradWithPenalty(ae: AE, x: Vec, lambda: number, dh: (h: number) => number): Vec {
  const base = flatten(ref.sparseAutoencoderGrad(ae as ref.Autoencoder, x, 0));
  const { ae: aE, h } = aeForward(ae, x);
  const fPrime = (a: number) => (ae.encoder === 'linear' ? 1 : ae.encoder === 'relu' ? (a > 0 ? 1 : 0) : ae.encoder === 'tanh' ? 1 - Math.tanh(a) ** 2 : (1 / (1 + Math.exp(-a))) * (1 - 1 / (1 + Math.exp(-a))));
  const delta = h.map((hj, j) => fPrime(aE[j]) * lambda * dh(hj));
  const extra = flatten({ dWe: delta.map((dj) => x.map((xi) => dj * xi)), dbe: delta, dWd: ae.Wd.map((row) => row.map(() => 0)), dbd: x.map(() => 0) });
  return base.map((v, i) => v + extra[i]);
}
const sign = (v: number) => (v > 0 ? 1 : v < 0 ? -1 : 0);
const gradVariants = (ae: AE, x: Vec, lambda: number): Variants => ({
  [MISTAKES.penaltyNoSign]: gradWithPenalty(ae, x, lambda, () => 1),
  [MISTAKES.l2Penalty]: gradWithPenalty(ae, x, lambda, (h) => 2 * h),
  [MISTAKES.signAtZero]: gradWithPenalty(ae, x, lambda, (h) => (h === 0 ? 1 : sign(h))),
});
const gradCheck = (id: string, title: string, arbitrary: fc.Arbitrary<{ ae: AE; x: Vec; lambda: number }>): Check =>
  differential({
    id, exercise: 'sparseAutoencoderGrad', catalogue: 'O2', numRuns: 100, title,
    hint: 'O2: backpropagate 2(x′ − x) through Dec and Enc; the penalty adds λ·sign(h) ⊙ f_e′(a_e) at the code, with sign(0) = 0',
    arbitrary, args: ({ ae, x, lambda }) => [ae, x, lambda],
    expected: ({ ae, x, lambda }) => ref.sparseAutoencoderGrad(ae as ref.Autoencoder, x, lambda),
    variants: ({ ae, x, lambda }) => {
      const [k, d] = [ae.We.length, ae.Wd.length];
      const shape = (v: Vec) => ({ dWe: Array.from({ length: k }, (_, j) => v.slice(j * d, (j + 1) * d)), dbe: v.slice(k * d, k * d + k), dWd: Array.from({ length: d }, (_, i) => v.slice(k * d + k + i * k, k * d + k + (i + 1) * k)), dbd: v.slice(2 * k * d + k) });
      return Object.fromEntries(Object.entries(gradVariants(ae, x, lambda)).map(([m, v]) => [m, shape(v as Vec)]));
    },
  });

const corruption = fc
  .record({ N: fc.integer({ min: 1, max: 6 }), D: fc.integer({ min: 1, max: 6 }) })
  .chain(({ N, D }) => fc.array(fc.array(real({ min: -4, max: 4 }), { minLength: D, maxLength: D }), { minLength: N, maxLength: N }))
  .chain((X) => fc.tuple(fc.constant(X), fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 })));

export const hidden: Check[] = [
  differential({
    id: 'O1.reconstructionLoss.reference', exercise: 'reconstructionLoss', catalogue: 'O1', numRuns: 150,
    title: 'reconstructionLoss matches the reference on random vectors (up to 12 entries in [−10, 10])',
    hint: 'O1: Σ_i (x_i − x′_i)², a sum',
    arbitrary: vectorPair({ min: -10, max: 10, maxLength: 12 }, { min: -10, max: 10 }), args: ([x, xHat]) => [x, xHat],
    expected: ([x, xHat]) => ref.reconstructionLoss(x, xHat),
    variants: ([x, xHat]) => lossVariants(x, xHat),
  }),
  differential({
    id: 'O1.reconstructionLossGrad.reference', exercise: 'reconstructionLossGrad', catalogue: 'O1', numRuns: 150,
    title: 'reconstructionLossGrad matches the reference on random vectors',
    hint: 'O1: ∂L/∂x′ = 2(x′ − x)',
    arbitrary: vectorPair({ min: -10, max: 10, maxLength: 12 }, { min: -10, max: 10 }), args: ([x, xHat]) => [x, xHat],
    expected: ([x, xHat]) => ref.reconstructionLossGrad(x, xHat),
    variants: ([x, xHat]) => ({ [MISTAKES.gradSign]: negated(ref.reconstructionLossGrad(x, xHat)), [MISTAKES.gradNoTwo]: scaled(ref.reconstructionLossGrad(x, xHat), 0.5) }),
  }),
  differential({
    id: 'O2.sparseAutoencoderLoss.reference', exercise: 'sparseAutoencoderLoss', catalogue: 'O2', numRuns: 150,
    title: 'sparseAutoencoderLoss matches the reference on random autoencoders (every activation pair) and λ',
    hint: 'O2: ‖x − Dec(Enc(x))‖² + λΣ|h_i|',
    arbitrary: aeCase(), args: ({ ae, x, lambda }) => [ae, x, lambda],
    expected: ({ ae, x, lambda }) => ref.sparseAutoencoderLoss(ae as ref.Autoencoder, x, lambda),
    variants: ({ ae, x, lambda }) => sparseLossVariants(ae, x, lambda),
  }),
  gradCheck('O2.sparseAutoencoderGrad.reference', 'sparseAutoencoderGrad matches the reference on random autoencoders (every activation pair, codes of either sign)', aeCase()),
  gradCheck('O2.sparseAutoencoderGrad.reference-zero-codes', 'sparseAutoencoderGrad matches the reference on linear autoencoders over multiples of 1/8 (codes exactly 0 included: sign(0) = 0)', eighthsCase),
  differential({
    id: 'O3.gaussianCorruption.reference', exercise: 'gaussianCorruption', catalogue: 'O3', numRuns: 100,
    title: 'gaussianCorruption matches the reference on random matrices, σ ∈ [0, 3] and seeds',
    hint: 'O3: X + σ·(createRandom(seed).normal(), row by row)',
    arbitrary: fc.tuple(corruption, real({ min: 0, max: 3 })), args: ([[X, seed], sigma]) => [X, sigma, seed],
    expected: ([[X, seed], sigma]) => ref.gaussianCorruption(X, sigma, seed),
    variants: ([[X, seed], sigma]) => ({ [MISTAKES.varianceForStd]: ref.gaussianCorruption(X, sigma * sigma, seed) }),
  }),
  differential({
    id: 'O3.maskingCorruption.reference', exercise: 'maskingCorruption', catalogue: 'O3', numRuns: 100,
    title: 'maskingCorruption matches the reference on random matrices, p ∈ [0.05, 1] and seeds',
    hint: 'O3: X ⊙ m with m_ij = 1 iff createRandom(seed).uniform() < p (row by row), no rescaling',
    arbitrary: fc.tuple(corruption, real({ min: 0.05, max: 1 })), args: ([[X, seed], p]) => [X, p, seed],
    expected: ([[X, seed], p]) => ref.maskingCorruption(X, p, seed),
    variants: ([[X, seed], p]) => ({ [MISTAKES.scaledSurvivors]: ref.maskingCorruption(X, p, seed).map((row) => row.map((v) => v / p)) }),
  }),
  differential({
    id: 'O1.trainLinearAutoencoder.reference', exercise: 'trainLinearAutoencoder', catalogue: 'O1', numRuns: 25,
    title: 'trainLinearAutoencoder matches the reference after 0 to 5 steps on random centred data',
    hint: 'O1: start from createRandom(seed) (W_e, then W_d, 0.1·normal()), then full-batch steps on the mean loss, both matrices from the old weights',
    arbitrary: fc.tuple(pcaCase, fc.integer({ min: 0, max: 5 }), real({ min: 0.01, max: 0.2 })),
    args: ([{ X, k, seed }, steps, eta]) => [X, k, eta, steps, seed],
    expected: ([{ X, k, seed }, steps, eta]) => ref.trainLinearAutoencoder(X, k, eta, steps, seed),
    variants: ([{ X, k, seed }, steps, eta]) => {
      let w = startOf(X[0].length, k, seed);
      for (let t = 0; t < steps; t++) w = stepOf(X, w, eta, X.length);
      return { [MISTAKES.sumNotMean]: w };
    },
  }),
];
