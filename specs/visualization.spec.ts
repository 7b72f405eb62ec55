/**
 * Family Q (visualisation and style): the reference against TensorFlow.js (tf.matMul for Gram
 * matrices and CAMs, and tf.grads through the content, style and total losses, the TV
 * regulariser, feature inversion, the regularised class score and the DeepDream objectives),
 * against numerical derivatives (reference gradcheck, float64), against the hand-worked
 * examples and erratum 6 (fixtures/visualization.fixtures.ts), the catalogue's properties (Gram
 * matrices symmetric positive semi-definite; S_c = (1/HW) Σ M_c; R_β = 0 on constant images),
 * and input validation.
 *
 * Parametrisation mapped onto tfjs (nothing in tfjs is these losses; each is written from ops):
 * - G = F Fᵀ is tf.matMul(F, F, false, true) (transposeB), F as an N × M tensor;
 * - the TV regulariser's missing neighbour (difference 0) is a column / row of zeros concatenated
 *   after the differences x[:, 1:] − x[:, :−1] and x[1:, :] − x[:−1, :];
 * - the CAM's f is [K, H, W] here and H×W×K in the deck: as a K × HW matrix, M = wᵀ f
 *   (tf.matMul(w, f, true, false)), one row per class;
 * - the class score's gradient is given as data in the reference: for a linear score
 *   S_c(I) = Σ W ⊙ I, tf.grad of S_c(I) − λ‖I‖² is W − 2λI, the step's direction.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { A22, ascentExample, camExample, contentExample, deepDreamHalf, deepDreamSum, F23, gramExample, gramPositions, inversionExample, styleNotSquared, styleTextureExample, styleTransferExample, totalExample, tvBeta1Loss, tvExample, X22 } from '../fixtures/visualization.fixtures.ts';
import { matrixOf, real, signed } from '../graders/engine/arbitraries.ts';
import { directionalCheck, numericalGradient, relativeError } from '../reference/gradcheck.ts';
import * as Q from '../reference/visualization.ts';
import { expectAllClose } from './support/expect.ts';
import { f32, oracle, run, tf } from './support/tf.ts';
import { FIXTURE_FLOAT64, NUMERIC_REL_ERROR, TF_COMPOSITE } from './support/tolerances.ts';

const backend = await oracle();

type Vec = number[];
type Mat = number[][];

const shaped = (v: Vec, r: number, c: number): Mat => Array.from({ length: r }, (_, i) => v.slice(i * c, (i + 1) * c));
const dot = (a: Vec, b: Vec) => a.reduce((s, v, i) => s + v * b[i], 0);
const transpose = (X: Mat): Mat => X[0].map((_, j) => X.map((row) => row[j]));

// ---------------------------------------------------------------------------------------------
// inputs (the engine's generators: magnitudes away from 0, so a missing factor shows)

const entry = signed(0.1, 3);
const features = (maxN = 4, maxM = 6) => fc.tuple(fc.integer({ min: 1, max: maxN }), fc.integer({ min: 1, max: maxM })).chain(([N, M]) => matrixOf(N, M, entry));
const gram = (F: Mat): Mat => F.map((a) => F.map((b) => dot(a, b))); // the style image's A, built independently of Q.gramMatrix
/** F and the Gram matrix A of another feature map with the same N filters. */
const styleCase = (maxN = 4, maxM = 6) => features(maxN, maxM).chain((F) => fc.tuple(fc.constant(F), fc.integer({ min: 1, max: 5 }).chain((m) => matrixOf(F.length, m, entry)).map(gram)));
/** Distinct hundredths in [−5, 5]: every neighbouring difference ≥ 0.01 in size, so each TV term away from the corner is smooth. */
const distinctImage = (maxH = 4, maxW = 4) =>
  fc.tuple(fc.integer({ min: 1, max: maxH }), fc.integer({ min: 2, max: maxW })).chain(([H, W]) =>
    fc.uniqueArray(fc.integer({ min: -500, max: 500 }), { minLength: H * W, maxLength: H * W }).map((v) => shaped(v.map((a) => a / 100), H, W)),
  );
const norms = fc.constantFrom<Q.StyleOptions['normalization']>('transfer', 'texture');

// ---------------------------------------------------------------------------------------------
// the tfjs side

const tfStyle = (F: tf.Tensor2D, A: tf.Tensor2D, c: number) => tf.mul(c, tf.sum(tf.square(tf.sub(tf.matMul(F, F, false, true), A))));
const tfContent = (F: tf.Tensor2D, P: tf.Tensor2D) => tf.mul(0.5, tf.sum(tf.square(tf.sub(F, P))));
const styleC = (N: number, M: number, n: Q.StyleOptions['normalization']) => (n === 'texture' ? 1 : 0.25) / (N * N * M * M);
/** R_β with the missing neighbour as a zero column / row appended to the differences. */
function tfTv(x: tf.Tensor2D, beta: number): tf.Scalar {
  const [H, W] = x.shape;
  const a = W > 1 ? tf.concat([tf.sub(tf.slice(x, [0, 1], [H, W - 1]), tf.slice(x, [0, 0], [H, W - 1])), tf.zeros([H, 1])], 1) : tf.zeros([H, W]);
  const b = H > 1 ? tf.concat([tf.sub(tf.slice(x, [1, 0], [H - 1, W]), tf.slice(x, [0, 0], [H - 1, W])), tf.zeros([1, W])], 0) : tf.zeros([H, W]);
  return tf.sum(tf.pow(tf.add(tf.square(a), tf.square(b)), beta / 2));
}

describe(`visualization vs TensorFlow.js [${backend.label}]`, () => {
  it('Q1: gramMatrix(F) = tf.matMul(F, F, false, true) on random N × M features', () =>
    fc.assert(fc.property(features(6, 8).map(f32), (F) => {
      // Not one rounding: wasm's matMul accumulates in float32, so an inner product that cancels
      // (−0.056 from products of size ~5) is off by ulps of the largest product, 1.1e−7 measured.
      // Bound: ≤ 8 products ≤ 9 each, a few ulps (6e−8) apiece ≈ 4e−6 absolute < TF_COMPOSITE's floor.
      expectAllClose(Q.gramMatrix(F), run(() => tf.matMul(tf.tensor2d(F), tf.tensor2d(F), false, true)), TF_COMPOSITE, 'G');
    }), { numRuns: 40 }));

  it('Q2: contentLoss and dF = tf.grads of 0.5·Σ(F − P)²', () =>
    fc.assert(fc.property(features().chain((F) => fc.tuple(fc.constant(F), matrixOf(F.length, F[0].length, entry))).map(f32), ([F, P]) => {
      const { loss, dF } = Q.contentLoss(F, P);
      // sub, square, sum, mul chained in float32 (TF_COMPOSITE)
      expectAllClose(loss, run(() => tfContent(tf.tensor2d(F), tf.tensor2d(P))), TF_COMPOSITE, 'loss');
      expectAllClose(dF, run(() => tf.grads((f: tf.Tensor) => tfContent(f as tf.Tensor2D, tf.tensor2d(P)))([tf.tensor2d(F)]))[0], TF_COMPOSITE, 'dF');
    }), { numRuns: 30 }));

  it('Q3: styleLayerLoss and dF = tf.grads of c·Σ(F Fᵀ − A)², both normalisations', () =>
    fc.assert(fc.property(styleCase().map(f32), norms, ([F, A], normalization) => {
      const c = styleC(F.length, F[0].length, normalization);
      const { loss, dF } = Q.styleLayerLoss(F, A, { normalization });
      expectAllClose(loss, run(() => tfStyle(tf.tensor2d(F), tf.tensor2d(A), c)), TF_COMPOSITE, 'loss');
      expectAllClose(dF, run(() => tf.grads((f: tf.Tensor) => tfStyle(f as tf.Tensor2D, tf.tensor2d(A), c))([tf.tensor2d(F)]))[0], TF_COMPOSITE, 'dF');
    }), { numRuns: 30 }));

  it('Q4: totalLoss and its gradients = tf.grads of α·content + β·Σ w_l E_l with respect to every layer', () =>
    fc.assert(fc.property(
      fc.record({
        content: features(3, 4).chain((F) => fc.record({ F: fc.constant(F), P: matrixOf(F.length, F[0].length, entry) })),
        style: fc.array(styleCase(3, 4).chain(([F, A]) => fc.record({ F: fc.constant(F), A: fc.constant(A), w: signed(0.25, 2) })), { minLength: 1, maxLength: 3 }),
        alpha: signed(0.25, 4),
        beta: signed(0.25, 20),
      }).map(f32),
      ({ content, style, alpha, beta }) => {
        const r = Q.totalLoss(content, style, alpha, beta);
        const total = (fc0: tf.Tensor, ...fs: tf.Tensor[]) =>
          tf.add(tf.mul(alpha, tfContent(fc0 as tf.Tensor2D, tf.tensor2d(content.P))), tf.mul(beta, tf.addN(style.map((l, i) => tf.mul(l.w, tfStyle(fs[i] as tf.Tensor2D, tf.tensor2d(l.A), styleC(l.F.length, l.F[0].length, 'transfer')))))));
        const inputs = () => [tf.tensor2d(content.F), ...style.map((l) => tf.tensor2d(l.F))];
        expectAllClose(r.loss, run(() => total(...(inputs() as [tf.Tensor, ...tf.Tensor[]]))), TF_COMPOSITE, 'loss');
        const grads = run(() => tf.grads((...xs: tf.Tensor[]) => total(xs[0], ...xs.slice(1)) as tf.Scalar)(inputs())) as unknown[];
        expectAllClose([r.dContent, ...r.dStyle], grads, TF_COMPOSITE, 'gradients');
      },
    ), { numRuns: 20 }));

  it('Q5: tvRegularizer = R_β from tf.slice differences with a zero column / row appended, and dx = tf.grads for β ≥ 2', () =>
    fc.assert(fc.property(fc.oneof(distinctImage(5, 5), distinctImage(5, 5).map(transpose)), fc.constantFrom(1, 1.5, 2, 3, 4), (x0, beta) => {
      const x = f32(x0);
      const { loss, dx } = Q.tvRegularizer(x, beta);
      expectAllClose(loss, run(() => tfTv(tf.tensor2d(x), beta)), TF_COMPOSITE, 'loss');
      // for β < 2, tf.pow's gradient at the all-zero corner term is ∞·0 = NaN (the reference takes 0 there): numerical derivatives cover β < 2
      if (beta >= 2) expectAllClose(dx, run(() => tf.grads((t: tf.Tensor) => tfTv(t as tf.Tensor2D, beta))([tf.tensor2d(x)]))[0], TF_COMPOSITE, 'dx');
    }), { numRuns: 40 }));

  it('Q5: featureInversion = tf.grads of ‖Phi·vec(x) − Φ0‖² + λR_β(x)', () =>
    fc.assert(fc.property(distinctImage(3, 3).chain((x) => fc.tuple(fc.constant(x), fc.integer({ min: 1, max: 4 }).chain((d) => fc.tuple(matrixOf(d, x.flat().length, real({ min: -2, max: 2 })), fc.array(real({ min: -3, max: 3 }), { minLength: d, maxLength: d }))), real({ min: 0.1, max: 2 }), fc.constantFrom(2, 3))).map(f32), ([x, [Phi, phi0], lambda, beta]) => {
      const r = Q.featureInversion(x, Phi, phi0, lambda, beta);
      const [H, W] = [x.length, x[0].length];
      const objective = (t: tf.Tensor) => {
        const res = tf.sub(tf.matMul(tf.tensor2d(Phi), tf.reshape(t, [H * W, 1])), tf.tensor2d(phi0, [phi0.length, 1]));
        return tf.add(tf.sum(tf.square(res)), tf.mul(lambda, tfTv(t as tf.Tensor2D, beta))) as tf.Scalar;
      };
      expectAllClose(r.loss, run(() => objective(tf.tensor2d(x))), TF_COMPOSITE, 'loss');
      expectAllClose(r.dx, run(() => tf.grads(objective)([tf.tensor2d(x)]))[0], TF_COMPOSITE, 'dx');
    }), { numRuns: 25 }));

  it('Q6: classVisualizationStep = I + η·tf.grad(S_c(I) − λ‖I‖²) for a linear score S_c = Σ W ⊙ I', () =>
    fc.assert(fc.property(fc.tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 })).chain(([H, W]) => fc.tuple(matrixOf(H, W, entry), matrixOf(H, W, entry), real({ min: 0.1, max: 2 }), real({ min: 0.1, max: 2 }))).map(f32), ([I, Wlin, eta, lambda]) => {
      const g = run(() => tf.grad((t: tf.Tensor) => tf.sub(tf.sum(tf.mul(tf.tensor2d(Wlin), t)), tf.mul(lambda, tf.sum(tf.square(t)))))(tf.tensor2d(I))) as Mat;
      expectAllClose(Q.classVisualizationStep(I, Wlin, eta, lambda), I.map((row, i) => row.map((v, j) => v + eta * g[i][j])), TF_COMPOSITE, 'I′');
    }), { numRuns: 30 }));

  it('Q7: deepDream grad = tf.grad of ½Σf² (f) and of Σf² (2f)', () =>
    fc.assert(fc.property(fc.array(entry, { minLength: 1, maxLength: 10 }).map(f32), (f) => {
      const half = (t: tf.Tensor) => tf.mul(0.5, tf.sum(tf.square(t)));
      const full = (t: tf.Tensor) => tf.sum(tf.square(t));
      expectAllClose(Q.deepDream(f).grad, run(() => tf.grad(half)(tf.tensor1d(f))), TF_COMPOSITE, '½Σf²');
      expectAllClose(Q.deepDream(f, { objective: 'sum' }).grad, run(() => tf.grad(full)(tf.tensor1d(f))), TF_COMPOSITE, 'Σf²');
      expectAllClose(Q.deepDream(f, { objective: 'sum' }).objective, run(() => full(tf.tensor1d(f))), TF_COMPOSITE, 'Σf² value');
    }), { numRuns: 30 }));

  it('Q8: every classActivationMap = a row of tf.matMul(w, f, true, false) (f as K × HW), and classScores = wᵀ·tf.mean over positions', () =>
    fc.assert(fc.property(fc.record({ K: fc.integer({ min: 1, max: 5 }), H: fc.integer({ min: 1, max: 4 }), W: fc.integer({ min: 1, max: 4 }), C: fc.integer({ min: 1, max: 4 }) }).chain(({ K, H, W, C }) => fc.tuple(fc.array(matrixOf(H, W, real({ min: -3, max: 3 })), { minLength: K, maxLength: K }), matrixOf(K, C, entry))).map(f32), ([f, w]) => {
      const [K, H, W] = [f.length, f[0].length, f[0][0].length];
      const maps = run(() => tf.matMul(tf.tensor2d(w), tf.tensor2d(f.map((fk) => fk.flat()), [K, H * W]), true, false)) as Mat;
      w[0].forEach((_, c) => expectAllClose(Q.classActivationMap(f, w, c), shaped(maps[c], H, W), TF_COMPOSITE, `M_${c}`)); // a matMul of K ≤ 5 products ≤ 9, accumulated in float32 on wasm (see Q1)
      const S = run(() => tf.matMul(tf.mean(tf.tensor2d(f.map((fk) => fk.flat()), [K, H * W]), 1, true), tf.tensor2d(w), true, false)) as Mat;
      expectAllClose(Q.classScores(f, w), S[0], TF_COMPOSITE, 'S'); // mean then matMul: two roundings
    }), { numRuns: 30 }));
});

// ---------------------------------------------------------------------------------------------
// numerical derivatives

describe('visualization vs numerical derivatives (float64 central differences)', () => {
  // Every objective here is a polynomial of degree ≤ 4 in its argument (or, for TV with β ∉ 2ℕ,
  // smooth with every difference ≥ 0.01 from 0): truncation ~h²·|f'''| ≤ 1e−8 relative and rounding
  // ε·|f|/h ≈ 1e−11·|f|. An entry of the gradient that cancels to ~0 has no meaningful relative
  // error: those are compared absolutely, at 1e−8 (≫ the rounding, ≪ any wrong factor on entries ≥ 0.1).
  const check = (grad: Vec, numeric: Vec) => {
    if (grad.every((g) => Math.abs(g) > 1e-3)) expect(relativeError(grad, numeric)).toBeLessThan(NUMERIC_REL_ERROR);
    else expectAllClose(grad, numeric, { rtol: 1e-7, atol: 1e-8 });
  };

  it('Q2, Q3: dF of contentLoss and of styleLayerLoss (both normalisations) = the numerical gradient', () =>
    fc.assert(fc.property(styleCase(3, 4), norms, ([F, A], normalization) => {
      const [N, M] = [F.length, F[0].length];
      const P = F.map((row) => row.map((v, j) => v / 2 + j - 1));
      check(Q.contentLoss(F, P).dF.flat(), numericalGradient((v) => Q.contentLoss(shaped(v, N, M), P).loss, F.flat()));
      check(Q.styleLayerLoss(F, A, { normalization }).dF.flat(), numericalGradient((v) => Q.styleLayerLoss(shaped(v, N, M), A, { normalization }).loss, F.flat()));
    }), { numRuns: 30 }));

  it('Q4: the total loss along random directions for every layer', () =>
    fc.assert(fc.property(styleCase(3, 4), styleCase(2, 3), signed(0.25, 4), signed(0.25, 20), ([F1, A1], [F2, A2], alpha, beta) => {
      const content = { F: F2, P: F2.map((row) => row.map((v) => -v / 3)) };
      const style = [{ F: F1, A: A1, w: 0.5 }, { F: F2, A: A2, w: 2 }];
      const r = Q.totalLoss(content, style, alpha, beta);
      const v1 = F1.flat().map((_, i) => ((i * 7) % 5) / 5 - 0.4);
      const dStyle = directionalCheck((v) => Q.totalLoss(content, [{ ...style[0], F: shaped(v, F1.length, F1[0].length) }, style[1]], alpha, beta).loss, r.dStyle[0].flat(), F1.flat(), v1);
      expect(dStyle.relError).toBeLessThan(1e-6); // one directional derivative: truncation and rounding of a single quotient
      check(r.dContent.flat(), numericalGradient((v) => Q.totalLoss({ ...content, F: shaped(v, F2.length, F2[0].length) }, style, alpha, beta).loss, F2.flat()));
    }), { numRuns: 20 }));

  it('Q5: dx of tvRegularizer (β ∈ {1, 1.5, 2, 3, 4}) and of featureInversion = the numerical gradient', () =>
    fc.assert(fc.property(distinctImage(4, 4), fc.constantFrom(1, 1.5, 2, 3, 4), (x, beta) => {
      const [H, W] = [x.length, x[0].length];
      check(Q.tvRegularizer(x, beta).dx.flat(), numericalGradient((v) => Q.tvRegularizer(shaped(v, H, W), beta).loss, x.flat()));
      const Phi = [x.flat().map((_, i) => (i % 3) - 1), x.flat().map((_, i) => 0.5 * i)];
      const phi0 = [1, -2];
      check(Q.featureInversion(x, Phi, phi0, 0.3, beta).dx.flat(), numericalGradient((v) => Q.featureInversion(shaped(v, H, W), Phi, phi0, 0.3, beta).loss, x.flat()));
    }), { numRuns: 30 }));

  it('Q6, Q7: the ascent step moves along the numerical gradient of S_c − λ‖I‖²; deepDream grad = the numerical gradient of its objective', () =>
    fc.assert(fc.property(fc.array(entry, { minLength: 1, maxLength: 8 }), real({ min: 0.1, max: 2 }), real({ min: 0.1, max: 2 }), (f, eta, lambda) => {
      const Wlin = [f.map((v) => v / 2 + 1)];
      const I = [f];
      const step = Q.classVisualizationStep(I, Wlin, eta, lambda)[0].map((v, j) => (v - f[j]) / eta);
      check(step, numericalGradient((v) => dot(Wlin[0], v) - lambda * dot(v, v), f));
      check(Q.deepDream(f).grad, numericalGradient((v) => Q.deepDream(v).objective, f));
      check(Q.deepDream(f, { objective: 'sum' }).grad, numericalGradient((v) => Q.deepDream(v, { objective: 'sum' }).objective, f));
    }), { numRuns: 30 }));
});

// ---------------------------------------------------------------------------------------------
// the hand-worked examples and erratum 6

describe('visualization: the hand-worked examples (fixtures/visualization.fixtures.ts) and erratum 6', () => {
  it('Q1: F = [[1, 2, 0], [0, 1, 3]] gives G = [[5, 2], [2, 10]], not the 3 × 3 FᵀF', () => {
    expectAllClose(Q.gramMatrix(gramExample.input.F), gramExample.expected, FIXTURE_FLOAT64);
    expect(Q.gramMatrix(F23)).not.toEqual(gramPositions);
  });

  it('Q2: ½Σ(F − P)² = 7, dF = F − P', () => expectAllClose(Q.contentLoss(contentExample.input.F, contentExample.input.P), contentExample.expected, FIXTURE_FLOAT64));

  it('Q3, erratum 6: 7/144 with the default (style transfer), 7/36 with texture synthesis — a factor 4; N instead of N² would give 7/72', () => {
    const transfer = Q.styleLayerLoss(F23, A22);
    const texture = Q.styleLayerLoss(F23, A22, styleTextureExample.input.options);
    expectAllClose(transfer, styleTransferExample.expected, FIXTURE_FLOAT64);
    expectAllClose(Q.styleLayerLoss(F23, A22, { normalization: 'transfer' }), styleTransferExample.expected, FIXTURE_FLOAT64);
    expectAllClose(texture, styleTextureExample.expected, FIXTURE_FLOAT64);
    expect(texture.loss / transfer.loss).toBeCloseTo(4, 12);
    expect(transfer.loss).not.toBeCloseTo(styleNotSquared, 6);
    expect(styleTransferExample.erratum?.number).toBe(6);
  });

  it('Q4: 1·7 + 72·2·7/144 = 14', () => {
    const { content, style, alpha, beta } = totalExample.input;
    expectAllClose(Q.totalLoss(content, style, alpha, beta), totalExample.expected, FIXTURE_FLOAT64);
  });

  it('Q5: R_2([[1, 2], [4, 3]]) = 12 with dx = [[−8, 0], [8, 0]]; R_1 = 2 + √10; feature inversion 8', () => {
    expectAllClose(Q.tvRegularizer(tvExample.input.x, tvExample.input.beta), tvExample.expected, FIXTURE_FLOAT64);
    expectAllClose(Q.tvRegularizer(X22, 1).loss, tvBeta1Loss, FIXTURE_FLOAT64);
    const { x, Phi, phi0, lambda, beta } = inversionExample.input;
    expectAllClose(Q.featureInversion(x, Phi, phi0, lambda, beta), inversionExample.expected, FIXTURE_FLOAT64);
  });

  it('Q6: one ascent step gives [[1, 0.25]]; from I = 0 the slide\'s step I ← I + ∂S_c/∂I (η = 1)', () => {
    const { I, dScore, eta, lambda } = ascentExample.input;
    expectAllClose(Q.classVisualizationStep(I, dScore, eta, lambda), ascentExample.expected, FIXTURE_FLOAT64);
    expectAllClose(Q.classVisualizationStep([[0, 0]], dScore, 1, 0.7), dScore, FIXTURE_FLOAT64);
  });

  it('Q7, erratum 6: ½Σf² = 7 has gradient f; Σf² = 14 has gradient 2f', () => {
    expectAllClose(Q.deepDream(deepDreamHalf.input.f), deepDreamHalf.expected, FIXTURE_FLOAT64);
    expectAllClose(Q.deepDream(deepDreamSum.input.f, deepDreamSum.input.options), deepDreamSum.expected, FIXTURE_FLOAT64);
    expect(deepDreamSum.erratum?.number).toBe(6);
  });

  it('Q8: M_0 = [[7, 2]], M_1 = [[2, −2]], S = [4.5, 0]', () => {
    const { f, w } = camExample.input;
    expectAllClose([Q.classActivationMap(f, w, 0), Q.classActivationMap(f, w, 1)], camExample.expected.M, FIXTURE_FLOAT64);
    expectAllClose(Q.classScores(f, w), camExample.expected.S, FIXTURE_FLOAT64);
  });
});

// ---------------------------------------------------------------------------------------------
// properties

describe('visualization: properties', () => {
  // float64 sums of a few dozen products of entries ≤ 3: rounding ≲ 1e−14 relative (FLOAT64-like bound)
  const CLOSE = { rtol: 1e-12, atol: 1e-12 };

  it('Q1: G is symmetric positive semi-definite: Gᵀ = G and vᵀGv = ‖Fᵀv‖² ≥ 0', () =>
    fc.assert(fc.property(features(5, 7).chain((F) => fc.tuple(fc.constant(F), fc.array(real({ min: -2, max: 2 }), { minLength: F.length, maxLength: F.length }))), ([F, v]) => {
      const G = Q.gramMatrix(F);
      expect(G).toEqual(transpose(G));
      const Ftv = transpose(F).map((x) => dot(x, v));
      const quad = dot(v, G.map((row) => dot(row, v)));
      expectAllClose(quad, dot(Ftv, Ftv), CLOSE, 'vᵀGv');
      expect(quad).toBeGreaterThanOrEqual(-1e-12);
    }), { numRuns: 60 }));

  it('Q3: E_l = 0 when A is the Gram matrix of F itself, and > 0 otherwise (for an A at least 0.01 away)', () =>
    fc.assert(fc.property(styleCase(), ([F, A]) => {
      expectAllClose(Q.styleLayerLoss(F, Q.gramMatrix(F)), { loss: 0, dF: F.map((row) => row.map(() => 0)) }, CLOSE);
      const G = gram(F);
      fc.pre(G.some((row, i) => row.some((g, j) => Math.abs(g - A[i][j]) > 0.01)));
      expect(Q.styleLayerLoss(F, A).loss).toBeGreaterThan(0);
    }), { numRuns: 40 }));

  it('Q5: R_β = 0 and dx = 0 on constant images; R_β unchanged by adding a constant', () =>
    fc.assert(fc.property(distinctImage(4, 5), fc.constantFrom(1, 1.5, 2, 3), real({ min: -3, max: 3 }), (x, beta, c) => {
      expectAllClose(Q.tvRegularizer(x.map((row) => row.map(() => c)), beta), { loss: 0, dx: x.map((row) => row.map(() => 0)) }, { rtol: 0, atol: 0 }); // exact: every difference is 0 − 0
      expectAllClose(Q.tvRegularizer(x.map((row) => row.map((v) => v + 0.5)), beta).loss, Q.tvRegularizer(x, beta).loss, { rtol: 1e-13, atol: 0 }); // x + 0.5 rounds each difference by ≤ 1 ulp of |x| ≤ 5.5
    }), { numRuns: 40 }));

  it('Q8: the CAM identity S_c = (1/HW) Σ_{h,w} M_c(h, w) for every class', () =>
    fc.assert(fc.property(fc.record({ K: fc.integer({ min: 1, max: 5 }), H: fc.integer({ min: 1, max: 4 }), W: fc.integer({ min: 1, max: 4 }), C: fc.integer({ min: 1, max: 4 }) }).chain(({ K, H, W, C }) => fc.tuple(fc.array(matrixOf(H, W, real({ min: -3, max: 3 })), { minLength: K, maxLength: K }), matrixOf(K, C, entry))), ([f, w]) => {
      const HW = f[0].length * f[0][0].length;
      const S = Q.classScores(f, w);
      w[0].forEach((_, c) => expectAllClose(Q.classActivationMap(f, w, c).flat().reduce((a, b) => a + b, 0) / HW, S[c], CLOSE, `S_${c}`));
    }), { numRuns: 60 }));
});

// ---------------------------------------------------------------------------------------------
// validation

describe('visualization: bad input is an Error naming the function, the argument and what was wrong', () => {
  it.each([
    ['gramMatrix', () => Q.gramMatrix([[1, 2], [3]]), /gramMatrix: argument 'F' must be rectangular/],
    ['contentLoss', () => Q.contentLoss([[1, 2]], [[1, 2, 3]]), /contentLoss: argument 'P' must have the shape \[1, 2\] of F/],
    ['styleLayerLoss A', () => Q.styleLayerLoss(F23, [[1, 2, 3]]), /styleLayerLoss: argument 'A' must have the shape \[2, 2\]/],
    ['styleLayerLoss options', () => Q.styleLayerLoss(F23, A22, { normalization: 'gatys' as never }), /styleLayerLoss: argument 'options.normalization' must be 'transfer' or 'texture'/],
    ['totalLoss', () => Q.totalLoss(contentExample.input, [{ F: F23, A: A22, w: Number.NaN }], 1, 1), /totalLoss: argument 'style\[0\].w' must be a finite number/],
    ['tvRegularizer', () => Q.tvRegularizer(X22, 0.5), /tvRegularizer: argument 'beta' must be ≥ 1/],
    ['featureInversion', () => Q.featureInversion(X22, [[1, 2, 3]], [0], 1, 2), /featureInversion: argument 'Phi' must have 4 columns/],
    ['classVisualizationStep', () => Q.classVisualizationStep(X22, [[1]], 1, 0), /classVisualizationStep: argument 'dScore' must have the shape \[2, 2\] of I/],
    ['deepDream', () => Q.deepDream([1], { objective: 'mean' as never }), /deepDream: argument 'options.objective' must be 'half' or 'sum'/],
    ['classActivationMap w', () => Q.classActivationMap(camExample.input.f, [[1, 2]], 0), /classActivationMap: argument 'w' must have one row per channel of f \(K = 2\)/],
    ['classActivationMap c', () => Q.classActivationMap(camExample.input.f, camExample.input.w, 2), /classActivationMap: argument 'c' must be a class index < C = 2/],
    ['classScores', () => Q.classScores([[[1]]], [[1], [2]]), /classScores: argument 'w' must have one row per channel/],
  ])('%s', (_, call, message) => expect(call).toThrowError(message));
});
