/**
 * Family O (autoencoders): the reference against TensorFlow.js (the loss and tf.grads through the
 * autoencoder), against numerical derivatives (reference gradcheck), against the hand-worked
 * fixtures and the draws of random.ts they print, against mathjs's eigen-decomposition (the linear
 * autoencoder learns PCA's subspace), the catalogue's properties (seeded corruptions: the same seed
 * gives the same output; the noise has mean 0 and standard deviation σ; masking keeps a fraction p
 * and is family E's dropout on the input), and input validation.
 *
 * tfjs mapping: the AE is written with tf ops on column vectors (x as [d, 1], W_e as [k, d], so
 * a_e = matMul(W_e, x) + b_e, the reference's layout; no transpose). tf.abs's gradient at 0 is −1
 * (tfjs-notes §3), not this family's sign(0) = 0: the tf cases keep every a_e at least 0.05 from 0,
 * so no code is 0 and no relu sits at its kink; the convention at 0 is held by the fixture.
 */
import fc from 'fast-check';
import { eigs } from 'mathjs';
import { describe, expect, it } from 'vitest';
import { gaussianExample, maskingExample, normals20260, reconstructionExample, sparseAtZero, sparseExample, uniforms4242 } from '../fixtures/autoencoders.fixtures.ts';
import { EXACT } from '../graders/engine/checks.ts';
import * as O from '../reference/autoencoders.ts';
import { backward, forward } from '../reference/backprop.ts';
import { numericalGradient } from '../reference/gradcheck.ts';
import { createRandom, normalMatrix } from '../reference/random.ts';
import { dropoutForward } from '../reference/regularization.ts';
import { expectAllClose } from './support/expect.ts';
import { f32, oracle, run, tf } from './support/tf.ts';
import { FIXTURE_FLOAT64, NUMERIC_REL_ERROR, PCA_SUBSPACE, TF_COMPOSITE } from './support/tolerances.ts';

const backend = await oracle();

type Vec = number[];
type Mat = number[][];
type AE = O.Autoencoder;

const sum = (v: Vec) => v.reduce((a, b) => a + b, 0);
const flat = (g: { dWe: Mat; dbe: Vec; dWd: Mat; dbd: Vec }): Vec => [...g.dWe.flat(), ...g.dbe, ...g.dWd.flat(), ...g.dbd];
const params = (ae: AE): Vec => [...ae.We.flat(), ...ae.be, ...ae.Wd.flat(), ...ae.bd];
function withParams(ae: AE, v: Vec): AE {
  const [k, d] = [ae.We.length, ae.Wd.length];
  let at = 0;
  const take = (n: number) => v.slice(at, (at += n));
  const We = Array.from({ length: k }, () => take(d));
  const be = take(k);
  const Wd = Array.from({ length: d }, () => take(k));
  return { ...ae, We, be, Wd, bd: take(d) };
}
const transpose = (A: Mat): Mat => A[0].map((_, j) => A.map((row) => row[j]));
const matMul = (A: Mat, B: Mat): Mat => A.map((row) => B[0].map((_, j) => row.reduce((s, v, k) => s + v * B[k][j], 0)));
/** Orthonormal vectors spanning the same nested subspaces as the given ones (Gram–Schmidt). */
function orthonormal(vectors: Mat): Mat {
  const Q: Mat = [];
  for (const v of vectors) {
    let u = v.slice();
    for (const q of Q) {
      const c = sum(u.map((x, i) => x * q[i]));
      u = u.map((x, i) => x - c * q[i]);
    }
    const n = Math.hypot(...u);
    Q.push(u.map((x) => x / n));
  }
  return Q;
}
/** The orthogonal projector onto the span of the columns of A. */
function projectorOnto(A: Mat): Mat {
  const Q = orthonormal(transpose(A));
  return A.map((_, i) => A.map((__, j) => sum(Q.map((q) => q[i] * q[j]))));
}
/** max|a − b| / max(|a|, |b|) over all entries: a relative error of the whole gradient (entries that are 0 in both, e.g. behind a dead relu, do not count alone). */
const normwiseError = (a: Vec, b: Vec) => Math.max(...a.map((v, i) => Math.abs(v - b[i]))) / Math.max(1e-300, ...a.map(Math.abs), ...b.map(Math.abs));

// ---------------------------------------------------------------------------------------------
// inputs

/** Evenly spread over [min, max] (2²¹ steps): ordinary magnitudes, not fast-check's subnormals, so a relative error measures the formula. */
const uniformIn = (min: number, max: number) => fc.integer({ min: 0, max: 2 ** 21 }).map((k) => min + ((max - min) * k) / 2 ** 21);
const entry = uniformIn(-1.5, 1.5);
const vec = (n: number, e = entry) => fc.array(e, { minLength: n, maxLength: n });
const mat = (r: number, c: number) => fc.array(vec(c), { minLength: r, maxLength: r });
/** Autoencoders of every activation pair, d ≤ 4, k ≤ 3; `gap` keeps every a_e that far from 0 (kinks of relu and |h|). */
const aeCase = (gap = 0) =>
  fc
    .record({ d: fc.integer({ min: 1, max: 4 }), k: fc.integer({ min: 1, max: 3 }) })
    .chain(({ d, k }) =>
      fc.record({
        ae: fc.record({ We: mat(k, d), be: vec(k), encoder: fc.constantFrom<O.EncoderActivation>('linear', 'sigmoid', 'tanh', 'relu'), Wd: mat(d, k), bd: vec(d), decoder: fc.constantFrom<O.DecoderActivation>('linear', 'sigmoid') }),
        x: vec(d, uniformIn(-2, 2)),
        lambda: uniformIn(0, 2),
      }),
    )
    .filter(({ ae, x }) => gap === 0 || ae.We.every((row, j) => Math.abs(sum(row.map((w, i) => w * x[i])) + ae.be[j]) >= gap));

// ---------------------------------------------------------------------------------------------
// the worked examples

describe('O fixtures (hand-worked, [Training] "Fully-Connected Autoencoder", "Sparse Autoencoder", "Denoising Autoencoder")', () => {
  it('O1 x = [1, 2, 3], x′ = [1.5, 2, 2]: L = 1.25, ∂L/∂x′ = [1, 0, −2]', () => {
    const { x, xHat } = reconstructionExample.input;
    expectAllClose(O.reconstructionLoss(x, xHat), reconstructionExample.expected.loss, FIXTURE_FLOAT64);
    expectAllClose(O.reconstructionLossGrad(x, xHat), reconstructionExample.expected.grad, FIXTURE_FLOAT64);
  });

  for (const f of [sparseExample, sparseAtZero]) {
    it(`O2 ${f.id}: L = ${f.expected.loss} and its gradient`, () => {
      const { ae, x, lambda } = f.input;
      expectAllClose(O.sparseAutoencoderLoss(ae, x, lambda), f.expected.loss, FIXTURE_FLOAT64);
      expectAllClose(O.sparseAutoencoderGrad(ae, x, lambda), f.expected.grad, FIXTURE_FLOAT64);
    });
  }

  it('the printed draws are createRandom(20260).normal() and createRandom(4242).uniform(), bit for bit', () => {
    const n = createRandom(20260);
    const u = createRandom(4242);
    // EXACT: the fixtures print 17 significant digits, which round-trip a float64
    expectAllClose(normals20260.map(() => n.normal()), normals20260, EXACT);
    expectAllClose(uniforms4242.map(() => u.uniform()), uniforms4242, EXACT);
  });

  it('O3 seeded corruptions: X + 0.5·z (seed 20260) and the mask of seed 4242 at p = 0.5', () => {
    const g = gaussianExample.input;
    expectAllClose(O.gaussianCorruption(g.X, g.sigma, g.seed), gaussianExample.expected, FIXTURE_FLOAT64);
    const m = maskingExample.input;
    // EXACT: a mask selects entries of X or 0
    expectAllClose(O.maskingCorruption(m.X, m.p, m.seed), maskingExample.expected, EXACT);
  });
});

// ---------------------------------------------------------------------------------------------
// tfjs

describe(`O1, O2 vs TensorFlow.js [${backend.label}]`, () => {
  it('O1: Σ(x − x′)² is tf.sum(tf.squaredDifference), and its gradient is tf.grad in x′', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10 }).chain((n) => fc.tuple(vec(n, uniformIn(-10, 10)), vec(n, uniformIn(-10, 10)))), ([x0, xHat0]) => {
        const [x, xHat] = f32([x0, xHat0]);
        const loss = (t: tf.Tensor) => tf.sum(tf.squaredDifference(tf.tensor1d(x), t));
        const [value, grad] = run(() => [loss(tf.tensor1d(xHat)), tf.grad(loss)(tf.tensor1d(xHat))]);
        expectAllClose(O.reconstructionLoss(x, xHat), value, TF_COMPOSITE);
        expectAllClose(O.reconstructionLossGrad(x, xHat), grad, TF_COMPOSITE);
      }),
      { numRuns: 25 },
    );
  });

  it('O2: the sparse objective and tf.grads through the autoencoder (every activation pair; a_e ≥ 0.05 from 0)', () => {
    const act = (f: string, a: tf.Tensor) => (f === 'sigmoid' ? tf.sigmoid(a) : f === 'tanh' ? tf.tanh(a) : f === 'relu' ? tf.relu(a) : a);
    fc.assert(
      fc.property(aeCase(0.05), (c) => {
        const { ae, x, lambda } = f32(c);
        const d = x.length;
        const objective = (We: tf.Tensor, be: tf.Tensor, Wd: tf.Tensor, bd: tf.Tensor) => {
          const h = act(ae.encoder, tf.add(tf.matMul(We as tf.Tensor2D, tf.tensor2d(x, [d, 1])), be));
          const xHat = act(ae.decoder, tf.add(tf.matMul(Wd as tf.Tensor2D, h as tf.Tensor2D), bd));
          return tf.add(tf.sum(tf.squaredDifference(tf.tensor2d(x, [d, 1]), xHat)), tf.mul(lambda, tf.sum(tf.abs(h))));
        };
        const inputs = () => [tf.tensor2d(ae.We), tf.tensor2d(ae.be, [ae.be.length, 1]), tf.tensor2d(ae.Wd), tf.tensor2d(ae.bd, [d, 1])];
        const [value, ...grads] = run(() => {
          const [We, be, Wd, bd] = inputs();
          return [objective(We, be, Wd, bd), ...tf.grads(objective as (...t: tf.Tensor[]) => tf.Tensor)(inputs())];
        }) as [number, Mat, Mat, Mat, Mat];
        expectAllClose(O.sparseAutoencoderLoss(ae, x, lambda), value, TF_COMPOSITE);
        const g = O.sparseAutoencoderGrad(ae, x, lambda);
        expectAllClose(flat(g), [...grads[0].flat(), ...grads[1].flat(), ...grads[2].flat(), ...grads[3].flat()], TF_COMPOSITE);
      }),
      { numRuns: 30 },
    );
  });
});

// ---------------------------------------------------------------------------------------------
// numerical derivatives and properties of O1, O2

describe('O1, O2 vs numerical derivatives (float64 central differences)', () => {
  it('O1: ∂L/∂x′ is the numerical gradient of Σ(x − x′)² in x′', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 8 }).chain((n) => fc.tuple(vec(n, uniformIn(-5, 5)), vec(n, uniformIn(-5, 5)))), ([x, xHat]) => {
        const numeric = numericalGradient((v) => O.reconstructionLoss(x, v), xHat);
        expect(normwiseError(O.reconstructionLossGrad(x, xHat), numeric)).toBeLessThan(NUMERIC_REL_ERROR);
      }),
      { numRuns: 25 },
    );
  });

  it('O2: every parameter gradient is the numerical gradient of the sparse objective (a_e ≥ 0.01 from 0)', () => {
    fc.assert(
      fc.property(aeCase(0.01), ({ ae, x, lambda }) => {
        const numeric = numericalGradient((p) => O.sparseAutoencoderLoss(withParams(ae, p), x, lambda), params(ae));
        const g = flat(O.sparseAutoencoderGrad(ae, x, lambda));
        // a saturated sigmoid decoder leaves a loss of O(10) with gradients near 0: the central
        // difference's rounding error ε·|L|/h ≈ 1e−11·|L| is then the floor, not the formula
        const floor = 1e-9 * Math.abs(O.sparseAutoencoderLoss(ae, x, lambda));
        const worst = Math.max(...g.map((v, i) => Math.abs(v - numeric[i])));
        expect(worst).toBeLessThan(NUMERIC_REL_ERROR * Math.max(...g.map(Math.abs), ...numeric.map(Math.abs)) + floor);
      }),
      { numRuns: 40 },
    );
  });

  it('O2 at λ = 0 is family C: the loss is Σ(x − y)² of forward, the gradient C\'s backward with target x and loss l2', () => {
    fc.assert(
      fc.property(aeCase(), ({ ae, x }) => {
        const net = [{ W: ae.We, b: ae.be, activation: ae.encoder }, { W: ae.Wd, b: ae.bd, activation: ae.decoder }];
        const { out, cache } = forward(net, x);
        expectAllClose(O.sparseAutoencoderLoss(ae, x, 0), sum(x.map((v, i) => (v - out[i]) ** 2)), FIXTURE_FLOAT64);
        const [enc, dec] = backward(net, cache, x, 'l2');
        expectAllClose(O.sparseAutoencoderGrad(ae, x, 0), { dWe: enc.dW, dbe: enc.db, dWd: dec.dW, dbd: dec.db }, FIXTURE_FLOAT64);
      }),
      { numRuns: 30 },
    );
  });

  it('O2: the penalty adds λ·sign(h) ⊙ f_e′(a_e) to the encoder only, linearly in λ; a relu code cut to 0 (a_e < 0) adds nothing', () => {
    fc.assert(
      fc.property(aeCase(), ({ ae, x, lambda }) => {
        const [g0, g1, gl] = [0, 1, lambda].map((l) => O.sparseAutoencoderGrad(ae, x, l));
        expectAllClose(gl.dWd, g0.dWd, FIXTURE_FLOAT64);
        expectAllClose(gl.dbd, g0.dbd, FIXTURE_FLOAT64);
        // g0 + λ(g1 − g0) rounds in other places than the reference's one sum: a few ulps of the
        // largest term (|δ| ≲ 50 here), far below any wrong λ or sign
        expectAllClose(gl.dbe, g0.dbe.map((v, j) => v + lambda * (g1.dbe[j] - v)), { rtol: 1e-12, atol: 1e-12 });
      }),
      { numRuns: 30 },
    );
    // relu codes are 0 exactly wherever a_e < 0, and relu′ is 0 there: the penalty changes nothing
    // (sign(0) = 0 at a code of exactly 0 behind a nonzero slope is the fixture O2-sparse-code-at-zero's)
    const ae: AE = { We: [[1, 0], [0, 1]], be: [-5, 0.5], encoder: 'relu', Wd: [[1, 1], [1, -1]], bd: [0, 0], decoder: 'linear' };
    const [g0, g2] = [0, 2].map((l) => O.sparseAutoencoderGrad(ae, [1, 1], l));
    expect(g2.dbe[0]).toBe(g0.dbe[0]);
    expect(g2.dbe[1]).toBe(g0.dbe[1] + 2);
  });

  it('the sparse objective is ≥ the reconstruction loss, with equality at λ = 0', () => {
    fc.assert(
      fc.property(aeCase(), ({ ae, x, lambda }) => {
        expect(O.sparseAutoencoderLoss(ae, x, lambda)).toBeGreaterThanOrEqual(O.sparseAutoencoderLoss(ae, x, 0));
        expect(O.sparseAutoencoderLoss(ae, x, 0)).toBeGreaterThanOrEqual(0);
      }),
      { numRuns: 30 },
    );
  });
});

// ---------------------------------------------------------------------------------------------
// O3 — seeded corruptions

describe('O3 denoising corruption (seeded)', () => {
  const X = Array.from({ length: 200 }, (_, i) => Array.from({ length: 50 }, (__, j) => ((i * 7 + j * 3) % 11) - 5));

  it('Gaussian: the same seed gives the same X̃, another seed another; the noise X̃ − X has mean ≈ 0 and standard deviation ≈ σ (10 000 draws)', () => {
    const a = O.gaussianCorruption(X, 0.7, 11);
    // EXACT: the same seed replays the same draws
    expectAllClose(O.gaussianCorruption(X, 0.7, 11), a, EXACT);
    expect(O.gaussianCorruption(X, 0.7, 12)[0][0]).not.toBe(a[0][0]);
    const noise = a.flatMap((row, i) => row.map((v, j) => v - X[i][j]));
    const mean = sum(noise) / noise.length;
    const std = Math.sqrt(sum(noise.map((v) => (v - mean) ** 2)) / noise.length);
    // 10 000 normal draws: the standard error of the mean is 0.7/100 = 0.007, of the std ≈ 0.005
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(Math.abs(std - 0.7)).toBeLessThan(0.02);
    // EXACT: σ = 0 adds 0·z
    expectAllClose(O.gaussianCorruption(X, 0, 11), X, EXACT);
  });

  it('Gaussian: X̃ − X is σ times normalMatrix(createRandom(seed), N, D, 0, 1), read row by row', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 5 }), fc.integer({ min: 0, max: 2 ** 31 - 1 }), (N, D, seed) => {
        const Y = Array.from({ length: N }, () => new Array(D).fill(0));
        const z = normalMatrix(createRandom(seed), N, D, 0, 1);
        expectAllClose(O.gaussianCorruption(Y, 2, seed), z.map((row) => row.map((v) => 2 * v)), FIXTURE_FLOAT64);
      }),
      { numRuns: 20 },
    );
  });

  it('masking: every entry is X_ij or 0, a fraction ≈ p is kept, p = 1 keeps everything, and it is family E\'s dropout (train, notes\' form) on the input', () => {
    const ones = X.map((row) => row.map(() => 1));
    for (const p of [0.2, 0.5, 0.9]) {
      const m = O.maskingCorruption(ones, p, 5);
      const kept = sum(m.flat()) / m.flat().length;
      // 10 000 Bernoulli(p) draws: standard error ≤ 0.005
      expect(Math.abs(kept - p)).toBeLessThan(0.02);
      // EXACT: both sides select entries of X or 0 with the same mask
      expectAllClose(O.maskingCorruption(X, p, 5), dropoutForward(X, p, 'train', 5).out, EXACT);
    }
    const Xm = O.maskingCorruption(X, 0.5, 9);
    expect(Xm.every((row, i) => row.every((v, j) => v === 0 || v === X[i][j]))).toBe(true);
    // EXACT: u < 1 always
    expectAllClose(O.maskingCorruption(X, 1, 9), X, EXACT);
  });
});

// ---------------------------------------------------------------------------------------------
// O1 — the linear autoencoder learns PCA's subspace

describe('O1 linear autoencoder vs PCA (mathjs eigs on seeded data)', () => {
  /** N = 40 centred rows of d = 4 entries: N(0, diag(9, 4, 0.36, 0.16)) rotated by a seeded random orthonormal basis. */
  function data(seed: number): Mat {
    const r = createRandom(seed);
    const s = [3, 2, 0.6, 0.4];
    const Z = normalMatrix(r, 40, 4, 0, 1).map((row) => row.map((v, j) => v * s[j]));
    const raw = matMul(Z, orthonormal(normalMatrix(r, 4, 4, 0, 1)));
    const mean = raw[0].map((_, j) => sum(raw.map((row) => row[j])) / raw.length);
    return raw.map((row) => row.map((v, j) => v - mean[j]));
  }
  const covariance = (X: Mat) => matMul(transpose(X), X).map((row) => row.map((v) => v / X.length));

  for (const [seed, k] of [[101, 1], [202, 2], [303, 2]] as const) {
    it(`seed ${seed}, k = ${k}: span(W_d) is the top-${k} eigenspace of XᵀX/N (projectors agree), and the loss is the sum of the discarded eigenvalues`, () => {
      const X = data(seed);
      const { values, eigenvectors } = eigs(covariance(X)) as unknown as { values: number[]; eigenvectors: { value: number; vector: number[] }[] };
      const byValue = [...eigenvectors].sort((a, b) => b.value - a.value);
      const top = byValue.slice(0, k).map((e) => e.vector);
      const lambda1 = Math.max(...values);
      const { We, Wd } = O.trainLinearAutoencoder(X, k, 0.3 / lambda1, 2000, seed);
      expectAllClose(projectorOnto(Wd), projectorOnto(transpose(top)), PCA_SUBSPACE);
      const meanLoss = sum(X.map((x) => O.reconstructionLoss(x, matMul(Wd, matMul(We, transpose([x]))).map((r) => r[0])))) / X.length;
      expectAllClose(meanLoss, sum(byValue.slice(k).map((e) => e.value)), PCA_SUBSPACE);
    });
  }

  it('steps = 0 returns the seeded start (W_e, then W_d, 0.1·normal() row by row) and the loss decreases along training', () => {
    const X = data(7);
    const r = createRandom(3);
    const We = normalMatrix(r, 2, 4, 0, 0.1);
    const Wd = normalMatrix(r, 4, 2, 0, 0.1);
    // EXACT: the same draws in the same order
    expectAllClose(O.trainLinearAutoencoder(X, 2, 0.01, 0, 3), { We, Wd }, EXACT);
    const loss = (w: { We: Mat; Wd: Mat }) => sum(X.map((x) => O.reconstructionLoss(x, matMul(w.Wd, matMul(w.We, transpose([x]))).map((row) => row[0]))));
    const losses = [0, 10, 50, 200].map((t) => loss(O.trainLinearAutoencoder(X, 2, 0.01, t, 3)));
    for (let i = 1; i < losses.length; i++) expect(losses[i]).toBeLessThan(losses[i - 1]);
  });
});

// ---------------------------------------------------------------------------------------------
// validation

describe('O input validation: an Error naming the function and the argument', () => {
  const ae = sparseExample.input.ae;
  it.each([
    ['reconstructionLoss', () => O.reconstructionLoss([1, 2], [1]), /reconstructionLoss: argument 'xHat'/],
    ['reconstructionLossGrad', () => O.reconstructionLossGrad([1, NaN], [1, 2]), /reconstructionLossGrad: argument 'x'/],
    ['sparseAutoencoderLoss (λ < 0)', () => O.sparseAutoencoderLoss(ae, [2, 1], -1), /sparseAutoencoderLoss: argument 'lambda'/],
    ['sparseAutoencoderLoss (Wd shape)', () => O.sparseAutoencoderLoss({ ...ae, Wd: [[1, 2], [3, 4]] }, [2, 1], 0.1), /sparseAutoencoderLoss: argument 'ae.Wd'/],
    ['sparseAutoencoderGrad (encoder)', () => O.sparseAutoencoderGrad({ ...ae, encoder: 'softmax' as never }, [2, 1], 0.1), /sparseAutoencoderGrad: argument 'ae.encoder'/],
    ['gaussianCorruption (σ < 0)', () => O.gaussianCorruption([[1]], -0.1, 1), /gaussianCorruption: argument 'sigma'/],
    ['gaussianCorruption (seed)', () => O.gaussianCorruption([[1]], 0.1, 1.5), /gaussianCorruption: argument 'seed'/],
    ['maskingCorruption (p = 0)', () => O.maskingCorruption([[1]], 0, 1), /maskingCorruption: argument 'p'/],
    ['maskingCorruption (p > 1)', () => O.maskingCorruption([[1]], 1.5, 1), /maskingCorruption: argument 'p'/],
    ['trainLinearAutoencoder (k > d)', () => O.trainLinearAutoencoder([[1, 2]], 3, 0.1, 1, 1), /trainLinearAutoencoder: argument 'k'/],
    ['trainLinearAutoencoder (η ≤ 0)', () => O.trainLinearAutoencoder([[1, 2]], 1, 0, 1, 1), /trainLinearAutoencoder: argument 'eta'/],
  ])('%s', (_, call, message) => {
    expect(call).toThrowError(message);
  });
});
