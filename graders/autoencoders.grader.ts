/**
 * Family O (autoencoders): public checks. Hand-worked examples (fixtures/autoencoders.fixtures.ts:
 * the reconstruction loss of three entries, a sparse autoencoder with a negative code and one
 * whose code is exactly 0, the seeded corruptions); the loss on random inputs from its
 * definition; each gradient against the numerical derivative of the student's own loss; the
 * corruptions against the draws of the provided random.ts (the contract fixes the draw order);
 * and the linear autoencoder's PCA property: trained on centred data, the columns of W_d span the
 * top-k eigenvectors of the sample covariance (a Jacobi eigen-decomposition below, no reference).
 */
import fc from 'fast-check';
import { gaussianExample, maskingExample, reconstructionExample, sparseAtZero, sparseExample } from '../fixtures/autoencoders.fixtures.ts';
import type { Autoencoder, DecoderActivation, EncoderActivation } from '../exercises/autoencoders.ts';
import { createRandom, normalMatrix } from '../exercises/random.ts';
import { direction, real, vectorPair } from './engine/arbitraries.ts';
import { callText, example, expectClose, expectThat, FLOAT64, NUMERIC, property } from './engine/checks.ts';
import { negated, scaled, type Variants } from './engine/diagnose.ts';
import { directionalDerivative, numericalGradient } from './engine/numeric.ts';
import { isMatrix, isNumber, isObject, isVector } from './engine/shapes.ts';
import type { Check, FamilyGrader, StudentModule } from './engine/types.ts';

type Vec = number[];
type Mat = number[][];
type S = StudentModule;

// ---------------------------------------------------------------------------------------------
// mistakes the reports name (the hidden checks use the same labels)

export const MISTAKES = {
  unsquared: 'the loss without the square: Σ|x_i − x′_i| instead of Σ(x_i − x′_i)²',
  mean: 'the mean over the entries instead of the sum: the slide writes Σ(x_i − x′_i)²',
  half: '½Σ(x − x′)² instead of Σ(x − x′)²: the slide has no ½',
  gradSign: 'the gradient with the wrong sign: ∂L/∂x′ = 2(x′ − x), not 2(x − x′)',
  gradNoTwo: 'the factor 2 missing: ∂/∂x′ of (x − x′)² is 2(x′ − x)',
  l2Penalty: 'an L2 penalty λΣh² instead of the L1 penalty λΣ|h| (its gradient 2λh instead of λ·sign(h))',
  lambdaOnReconstruction: 'λ applied to the reconstruction term too: L = ‖x − x′‖² + λΣ|h|, λ weights the penalty only',
  penaltyNoSign: "the penalty's gradient without sign(h): ∂|h|/∂h = sign(h), not 1",
  signAtZero: 'the subgradient of |h| at h = 0 taken as 1: this course uses sign(0) = 0',
  varianceForStd: 'σ²·z instead of σ·z: sigma is the standard deviation',
  scaledSurvivors: 'the kept entries rescaled by 1/p (inverted dropout): masking only zeroes the dropped entries',
  keepAsDrop: 'an entry kept when u ≥ p: p is the probability of KEEPING an entry (kept iff u < p)',
  sumNotMean: 'the gradient of the SUM Σ_n ‖x_n − x′_n‖² instead of the mean (1/N)Σ_n: a step N times too long',
  decoderFirst: 'W_d drawn before W_e: draw W_e [k × d] first, then W_d [d × k]',
} as const;

// ---------------------------------------------------------------------------------------------
// definitions the checks compute from (no reference)

/** The stub's network (exercises/autoencoders.ts states it; a type import ships nothing of the reference). */
export type AE = Autoencoder;
const sum = (v: Vec) => v.reduce((a, b) => a + b, 0);
const dot = (u: Vec, v: Vec) => sum(u.map((ui, i) => ui * v[i]));
const matVec = (W: Mat, x: Vec) => W.map((row) => dot(row, x));
const act = (f: EncoderActivation | DecoderActivation, a: number) =>
  f === 'linear' ? a : f === 'sigmoid' ? 1 / (1 + Math.exp(-a)) : f === 'tanh' ? Math.tanh(a) : Math.max(0, a);

/** a_e, h, x′ of the stub's network. */
export function aeForward(ae: AE, x: Vec): { ae: Vec; h: Vec; xHat: Vec } {
  const aE = matVec(ae.We, x).map((v, j) => v + ae.be[j]);
  const h = aE.map((v) => act(ae.encoder, v));
  const xHat = matVec(ae.Wd, h).map((v, i) => act(ae.decoder, v + ae.bd[i]));
  return { ae: aE, h, xHat };
}
/** The sparse objective, with the wrong forms the mistakes name. */
export function aeLoss(ae: AE, x: Vec, lambda: number, { penalty = 'l1', lambdaOnReconstruction = false } = {}): number {
  const { h, xHat } = aeForward(ae, x);
  const recon = sum(x.map((xi, i) => (xi - xHat[i]) ** 2));
  const pen = sum(h.map((v) => (penalty === 'l1' ? Math.abs(v) : v * v)));
  return (lambdaOnReconstruction ? lambda * recon : recon) + lambda * pen;
}
export const lossVariants = (x: Vec, xHat: Vec): Variants => {
  const sq = sum(x.map((v, i) => (v - xHat[i]) ** 2));
  return { [MISTAKES.unsquared]: sum(x.map((v, i) => Math.abs(v - xHat[i]))), [MISTAKES.mean]: sq / x.length, [MISTAKES.half]: sq / 2 };
};
export const sparseLossVariants = (ae: AE, x: Vec, lambda: number): Variants => ({
  [MISTAKES.l2Penalty]: aeLoss(ae, x, lambda, { penalty: 'l2' }),
  [MISTAKES.lambdaOnReconstruction]: aeLoss(ae, x, lambda, { lambdaOnReconstruction: true }),
});

/** The parameters of an AE as one vector (We row by row, be, Wd row by row, bd) and back. */
export const flatten = (g: { We?: Mat; be?: Vec; Wd?: Mat; bd?: Vec; dWe?: Mat; dbe?: Vec; dWd?: Mat; dbd?: Vec }): Vec =>
  [...(g.We ?? g.dWe ?? []).flat(), ...(g.be ?? g.dbe ?? []), ...(g.Wd ?? g.dWd ?? []).flat(), ...(g.bd ?? g.dbd ?? [])];
export function withParams(ae: AE, v: Vec): AE {
  const [k, d] = [ae.We.length, ae.Wd.length];
  let at = 0;
  const take = (n: number) => v.slice(at, (at += n));
  const We = Array.from({ length: k }, () => take(d));
  const be = take(k);
  const Wd = Array.from({ length: d }, () => take(k));
  return { ...ae, We, be, Wd, bd: take(d) };
}

/**
 * Random autoencoders: d = 1…4 inputs, k = 1…3 code units, every activation pair, entries in
 * [−1.5, 1.5], x in [−2, 2], λ in [0.1, 2]; `awayFromKinks` keeps every a_e at least 0.01 from 0
 * (relu′ and |h| both break there; central differences with h = 1e−5 straddle nothing).
 */
export const aeCase = ({ awayFromKinks = false } = {}): fc.Arbitrary<{ ae: AE; x: Vec; lambda: number }> =>
  fc
    .record({ d: fc.integer({ min: 1, max: 4 }), k: fc.integer({ min: 1, max: 3 }) })
    .chain(({ d, k }) => {
      const e = real({ min: -1.5, max: 1.5 });
      const m = (r: number, c: number) => fc.array(fc.array(e, { minLength: c, maxLength: c }), { minLength: r, maxLength: r });
      const v = (n: number, min = -1.5, max = 1.5) => fc.array(real({ min, max }), { minLength: n, maxLength: n });
      return fc.record({
        ae: fc.record({
          We: m(k, d), be: v(k),
          encoder: fc.constantFrom<EncoderActivation>('linear', 'sigmoid', 'tanh', 'relu'),
          Wd: m(d, k), bd: v(d),
          decoder: fc.constantFrom<DecoderActivation>('linear', 'sigmoid'),
        }),
        x: v(d, -2, 2),
        lambda: real({ min: 0.1, max: 2 }),
      });
    })
    .filter(({ ae, x }) => !awayFromKinks || aeForward(ae, x).ae.every((a) => Math.abs(a) >= 0.01));

async function numberFrom(s: S, name: string, args: unknown[]): Promise<number> {
  const r = await s.call(name, args);
  expectThat(isNumber(r), `${callText(name, args)} must return a finite number`, r);
  return r as number;
}
async function matrixFrom(s: S, name: string, args: unknown[], rows: number, cols: number): Promise<Mat> {
  const r = await s.call(name, args);
  expectThat(isMatrix(r, rows, cols), `${callText(name, args)} must return ${rows} rows of ${cols} finite numbers`, r);
  return r as Mat;
}
async function gradsFrom(s: S, ae: AE, x: Vec, lambda: number): Promise<Vec> {
  const args = [ae, x, lambda];
  const r = await s.call('sparseAutoencoderGrad', args);
  const [k, d] = [ae.We.length, ae.Wd.length];
  const ok = isObject(r) && isMatrix(r.dWe, k, d) && isVector(r.dbe, k) && isMatrix(r.dWd, d, k) && isVector(r.dbd, d);
  expectThat(ok, `${callText('sparseAutoencoderGrad', args)} must return { dWe: ${k}×${d}, dbe: ${k}, dWd: ${d}×${k}, dbd: ${d} } of finite numbers`, r);
  return flatten(r as { dWe: Mat; dbe: Vec; dWd: Mat; dbd: Vec });
}

// ---------------------------------------------------------------------------------------------
// O1 — reconstructionLoss, reconstructionLossGrad

const R = reconstructionExample;
const pairs = vectorPair({ min: -5, max: 5, maxLength: 8 }, { min: -5, max: 5 });
const reconstructionChecks: Check[] = [
  example({
    id: 'O1.reconstructionLoss.example', exercise: 'reconstructionLoss', catalogue: 'O1',
    title: 'reconstructionLoss([1, 2, 3], [1.5, 2, 2]) = 0.5² + 0² + 1² = 1.25',
    hint: 'O1: L(x, x′) = ‖x − x′‖²₂ = Σ_i (x_i − x′_i)², a sum, no ½ ([Training] "Fully-Connected (Multilayer-Perceptron) Autoencoder")',
    args: [R.input.x, R.input.xHat], expected: R.expected.loss, variants: lossVariants(R.input.x, R.input.xHat),
  }),
  property({
    id: 'O1.reconstructionLoss.random', exercise: 'reconstructionLoss', catalogue: 'O1', numRuns: 60,
    title: 'random x, x′ (1 to 8 entries in [−5, 5]): Σ_i (x_i − x′_i)²',
    hint: 'O1: square each difference and add them up (no mean over the entries)',
    arbitrary: pairs,
    verify: async ([x, xHat], s) => {
      expectClose(await numberFrom(s, 'reconstructionLoss', [x, xHat]), sum(x.map((v, i) => (v - xHat[i]) ** 2)), FLOAT64, callText('reconstructionLoss', [x, xHat]), lossVariants(x, xHat));
    },
  }),
  example({
    id: 'O1.reconstructionLossGrad.example', exercise: 'reconstructionLossGrad', catalogue: 'O1',
    title: 'reconstructionLossGrad([1, 2, 3], [1.5, 2, 2]) = 2(x′ − x) = [1, 0, −2]',
    hint: 'O1: ∂/∂x′_i of Σ(x_i − x′_i)² is 2(x′_i − x_i)',
    args: [R.input.x, R.input.xHat], expected: R.expected.grad,
    variants: { [MISTAKES.gradSign]: negated(R.expected.grad), [MISTAKES.gradNoTwo]: scaled(R.expected.grad, 0.5) },
  }),
  property({
    id: 'O1.reconstructionLossGrad.numeric', exercise: 'reconstructionLossGrad', catalogue: 'O1', numRuns: 30,
    title: 'the gradient equals the numerical gradient of your reconstructionLoss with respect to x′',
    hint: 'O1: differentiate with respect to the reconstruction x′ (the second argument), not x',
    arbitrary: pairs,
    verify: async ([x, xHat], s) => {
      const g = await s.call('reconstructionLossGrad', [x, xHat]);
      expectThat(isVector(g, x.length), `${callText('reconstructionLossGrad', [x, xHat])} must return ${x.length} finite numbers`, g);
      const numeric = await numericalGradient((v) => numberFrom(s, 'reconstructionLoss', [x, v]), xHat);
      expectClose(g, numeric, NUMERIC, 'your gradient vs central differences of your reconstructionLoss in x′', {
        [MISTAKES.gradSign]: negated(numeric),
        [MISTAKES.gradNoTwo]: scaled(numeric, 0.5),
      });
    },
  }),
];

// ---------------------------------------------------------------------------------------------
// O2 — sparseAutoencoderLoss, sparseAutoencoderGrad

const E = sparseExample.input;
const Z = sparseAtZero.input;
const sparseLossChecks: Check[] = [
  example({
    id: 'O2.sparseAutoencoderLoss.example', exercise: 'sparseAutoencoderLoss', catalogue: 'O2',
    title: 'linear AE We = [[1, −1]], be = [−2.5], Wd = [[2], [1]], bd = [0, −1], x = [2, 1], λ = 0.1: h = −1.5, x′ = [−3, −2.5], L = 37.25 + 0.15 = 37.4',
    hint: 'O2: L = ‖x − Dec(Enc(x))‖² + λΣ_i|h_i| ([Training] "Sparse Autoencoder": "Add L1 penalty to the loss")',
    args: [E.ae, E.x, E.lambda], expected: sparseExample.expected.loss, variants: sparseLossVariants(E.ae, E.x, E.lambda),
  }),
  property({
    id: 'O2.sparseAutoencoderLoss.random', exercise: 'sparseAutoencoderLoss', catalogue: 'O2', numRuns: 80,
    title: 'random autoencoders (d ≤ 4, k ≤ 3, every encoder and decoder activation) and λ ∈ [0.1, 2]: Σ(x − x′)² + λΣ|h|',
    hint: 'O2: h = f_e(W_e x + b_e), x′ = f_d(W_d h + b_d); the penalty is on the code h, weighted by λ',
    arbitrary: aeCase(),
    verify: async ({ ae, x, lambda }, s) => {
      const args = [ae, x, lambda];
      expectClose(await numberFrom(s, 'sparseAutoencoderLoss', args), aeLoss(ae, x, lambda), FLOAT64, callText('sparseAutoencoderLoss', args), sparseLossVariants(ae, x, lambda));
    },
  }),
];

const gradOf = (g: typeof sparseExample.expected.grad) => flatten(g);
const sparseGradChecks: Check[] = [
  example({
    id: 'O2.sparseAutoencoderGrad.example', exercise: 'sparseAutoencoderGrad', catalogue: 'O2',
    title: 'the same AE: ∂L/∂h = W_dᵀ·2(x′ − x) + λ·sign(h) = −27 − 0.1, dWe = [[−54.2, −27.1]], dbe = [−27.1], dWd = [[15], [10.5]], dbd = [−10, −7]',
    hint: 'O2: backpropagate 2(x′ − x) through the decoder and the encoder; the penalty adds λ·sign(h) ⊙ f_e′(a_e) at the code',
    verify: async (s) => {
      const g = await gradsFrom(s, E.ae, E.x, E.lambda);
      const expected = gradOf(sparseExample.expected.grad);
      // the penalty enters dWe (entries 0, 1) and dbe (entry 2) only: −27 + 0.1·c with c = −1 (right), +1 (no sign), −3 (2h)
      const withPenalty = (c: number) => expected.map((v, i) => (i < 3 ? v + (0.1 * (c + 1) * [2, 1, 1][i]) : v));
      expectClose(g, expected, FLOAT64, 'your [dWe, dbe, dWd, dbd] (flattened) on the worked example', {
        [MISTAKES.penaltyNoSign]: withPenalty(1),
        [MISTAKES.l2Penalty]: withPenalty(-3),
      });
    },
  }),
  example({
    id: 'O2.sparseAutoencoderGrad.at-zero', exercise: 'sparseAutoencoderGrad', catalogue: 'O2',
    title: 'be = [−1] makes the code exactly h = 0: with sign(0) = 0, ∂L/∂h = −12, dWe = [[−24, −12]], dbe = [−12], dWd = [[0], [0]], dbd = [−4, −4]',
    hint: 'O2: the subgradient of |h| at h = 0 is 0 in this course (sign(0) = 0, as family E\'s L1 penalty)',
    verify: async (s) => {
      const g = await gradsFrom(s, Z.ae, Z.x, Z.lambda);
      const expected = gradOf(sparseAtZero.expected.grad);
      const shifted = (c: number) => expected.map((v, i) => (i < 3 ? v + 0.1 * c * [2, 1, 1][i] : v));
      expectClose(g, expected, FLOAT64, 'your [dWe, dbe, dWd, dbd] (flattened) where h = 0', { [MISTAKES.signAtZero]: shifted(1) });
    },
  }),
  property({
    id: 'O2.sparseAutoencoderGrad.directional', exercise: 'sparseAutoencoderGrad', catalogue: 'O2', numRuns: 40,
    title: 'along random directions v in parameter space: vᵀ∇L equals the directional derivative of your sparseAutoencoderLoss (every activation pair, codes away from 0)',
    hint: 'O2: every parameter enters vᵀ∇L; the penalty contributes λ·sign(h_j)·f_e′(a_j) to δ at the code (and nothing to the decoder)',
    arbitrary: aeCase({ awayFromKinks: true }).chain((c) => fc.tuple(fc.constant(c), direction(flatten(c.ae).length))),
    verify: async ([{ ae, x, lambda }, v], s) => {
      const g = await gradsFrom(s, ae, x, lambda);
      const numeric = await directionalDerivative((p) => numberFrom(s, 'sparseAutoencoderLoss', [withParams(ae, p), x, lambda]), flatten(ae), v);
      expectClose(dot(g, v), numeric, NUMERIC, `vᵀ(your gradient) vs (L(θ + hv) − L(θ − hv))/2h of your sparseAutoencoderLoss`);
    },
  }),
];

// ---------------------------------------------------------------------------------------------
// O3 — gaussianCorruption, maskingCorruption

/** X [N × D] with N, D in 1…5, entries in [−3, 3]; a seed in [−2³¹, 2³¹). */
const corruptionInput = fc
  .record({ N: fc.integer({ min: 1, max: 5 }), D: fc.integer({ min: 1, max: 5 }) })
  .chain(({ N, D }) => fc.array(fc.array(real({ min: -3, max: 3 }), { minLength: D, maxLength: D }), { minLength: N, maxLength: N }))
  .chain((X) => fc.tuple(fc.constant(X), fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 })));
/** The contract's uniforms: one per entry, row by row, from createRandom(seed). */
const uniformsOf = (seed: number, N: number, D: number): Mat => {
  const r = createRandom(seed);
  return Array.from({ length: N }, () => Array.from({ length: D }, () => r.uniform()));
};
const noisy = (X: Mat, seed: number, c: number) => {
  const z = normalMatrix(createRandom(seed), X.length, X[0].length, 0, 1);
  return X.map((row, i) => row.map((v, j) => v + c * z[i][j]));
};
const masked = (X: Mat, seed: number, p: number, { scale = 1, keepAbove = false } = {}) => {
  const u = uniformsOf(seed, X.length, X[0].length);
  return X.map((row, i) => row.map((v, j) => ((keepAbove ? u[i][j] >= p : u[i][j] < p) ? v * scale : 0)));
};

const G = gaussianExample.input;
const M = maskingExample.input;
const corruptionChecks: Check[] = [
  example({
    id: 'O3.gaussianCorruption.example', exercise: 'gaussianCorruption', catalogue: 'O3',
    title: 'gaussianCorruption([[1, 2, 3], [−1, 0, 0.5]], 0.5, 20260) = X + 0.5·z, z = −1.599 0.337 0.298 | 0.023 −2.036 −0.181 (createRandom(20260).normal(), row by row)',
    hint: 'O3: X̃ = X + σz with z_ij = random.normal() of random = createRandom(seed), one draw per entry, row by row ([Training] "Denoising Autoencoder")',
    args: [G.X, G.sigma, G.seed], expected: gaussianExample.expected,
    variants: { [MISTAKES.varianceForStd]: noisy(G.X, G.seed, G.sigma ** 2) },
  }),
  property({
    id: 'O3.gaussianCorruption.draws', exercise: 'gaussianCorruption', catalogue: 'O3', numRuns: 60,
    title: 'random X, σ ∈ [0.1, 3] and seeds: X̃ − X = σ·(the normals of createRandom(seed), row by row); the same seed gives the same X̃',
    hint: 'O3: draw from createRandom(seed), never Math.random, one normal per entry in row order, nothing else drawn',
    arbitrary: fc.tuple(corruptionInput, real({ min: 0.1, max: 3 })),
    verify: async ([[X, seed], sigma], s) => {
      const args = [X, sigma, seed];
      const out = await matrixFrom(s, 'gaussianCorruption', args, X.length, X[0].length);
      expectClose(out, noisy(X, seed, sigma), FLOAT64, callText('gaussianCorruption', args), { [MISTAKES.varianceForStd]: noisy(X, seed, sigma * sigma) });
    },
  }),
  example({
    id: 'O3.maskingCorruption.example', exercise: 'maskingCorruption', catalogue: 'O3',
    title: 'maskingCorruption([[1, 2, 3], [4, 5, 6]], 0.5, 4242) = [[0, 2, 3], [0, 0, 6]] (u = 0.875 0.388 0.198 | 0.910 0.958 0.288; kept iff u < 0.5, not rescaled)',
    hint: 'O3: X̃_ij = X_ij when u_ij < p and 0 otherwise, u_ij = random.uniform() of createRandom(seed), row by row; the kept entries are NOT divided by p',
    args: [M.X, M.p, M.seed], expected: maskingExample.expected,
    variants: { [MISTAKES.scaledSurvivors]: masked(M.X, M.seed, M.p, { scale: 1 / M.p }), [MISTAKES.keepAsDrop]: masked(M.X, M.seed, M.p, { keepAbove: true }) },
  }),
  property({
    id: 'O3.maskingCorruption.draws', exercise: 'maskingCorruption', catalogue: 'O3', numRuns: 60,
    title: 'random X, p ∈ [0.1, 1] and seeds: X̃_ij = X_ij if u_ij < p else 0, u the uniforms of createRandom(seed) row by row',
    hint: 'O3: one uniform per entry in row order from createRandom(seed); keep iff u < p; no rescaling (the notes\' dropout at training time)',
    arbitrary: fc.tuple(corruptionInput, real({ min: 0.1, max: 1 })),
    verify: async ([[X, seed], p], s) => {
      const args = [X, p, seed];
      const out = await matrixFrom(s, 'maskingCorruption', args, X.length, X[0].length);
      expectClose(out, masked(X, seed, p), FLOAT64, callText('maskingCorruption', args), {
        [MISTAKES.scaledSurvivors]: masked(X, seed, p, { scale: 1 / p }),
        [MISTAKES.keepAsDrop]: masked(X, seed, p, { keepAbove: true }),
      });
    },
  }),
];

// ---------------------------------------------------------------------------------------------
// O1 — trainLinearAutoencoder: the first step exactly, and PCA's subspace after training

const transpose = (A: Mat): Mat => A[0].map((_, j) => A.map((row) => row[j]));
const matMul = (A: Mat, B: Mat): Mat => A.map((row) => B[0].map((_, j) => row.reduce((s, v, k) => s + v * B[k][j], 0)));

/** The contract's start: W_e [k × d] then W_d [d × k], 0.1·normal() row by row (`decoderFirst` swaps the order). */
export function startOf(d: number, k: number, seed: number, { decoderFirst = false } = {}): { We: Mat; Wd: Mat } {
  const r = createRandom(seed);
  if (decoderFirst) {
    const Wd = normalMatrix(r, d, k, 0, 0.1);
    return { We: normalMatrix(r, k, d, 0, 0.1), Wd };
  }
  const We = normalMatrix(r, k, d, 0, 0.1);
  return { We, Wd: normalMatrix(r, d, k, 0, 0.1) };
}
/** One step of gradient descent on J = (c/N)Σ‖x − W_d W_e x‖² (c = 1 the contract, c = N the sum): with E = X̂ − X [N × d], ∂J/∂W_d = (2c/N)EᵀH, ∂J/∂W_e = (2c/N)W_dᵀEᵀX. */
export function stepOf(X: Mat, { We, Wd }: { We: Mat; Wd: Mat }, eta: number, c = 1): { We: Mat; Wd: Mat } {
  const H = matMul(X, transpose(We));
  const Err = matMul(H, transpose(Wd)).map((row, n) => row.map((v, i) => v - X[n][i]));
  const f = (2 * c) / X.length;
  const dWd = matMul(transpose(Err), H).map((row) => row.map((v) => f * v));
  const dWe = matMul(transpose(Wd), matMul(transpose(Err), X)).map((row) => row.map((v) => f * v));
  return { We: We.map((row, j) => row.map((w, i) => w - eta * dWe[j][i])), Wd: Wd.map((row, i) => row.map((w, j) => w - eta * dWd[i][j])) };
}

/** Eigenvalues (descending) and unit eigenvectors of a small symmetric matrix, by cyclic Jacobi rotations. */
export function symmetricEigen(A: Mat): { values: Vec; vectors: Mat } {
  const n = A.length;
  const a = A.map((r) => r.slice());
  const V = a.map((_, i) => a.map((__, j) => (i === j ? 1 : 0)));
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += a[p][q] ** 2;
    if (off < 1e-30) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        if (a[p][q] === 0) continue;
        // the rotation that zeroes a[p][q]: t = tan θ, the smaller root of t² + 2t·cot 2θ − 1 = 0
        const theta = (a[q][q] - a[p][p]) / (2 * a[p][q]);
        const t = (theta >= 0 ? 1 : -1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (const M of [a, V]) for (let k = 0; k < n; k++) [M[k][p], M[k][q]] = [c * M[k][p] - s * M[k][q], s * M[k][p] + c * M[k][q]];
        for (let k = 0; k < n; k++) [a[p][k], a[q][k]] = [c * a[p][k] - s * a[q][k], s * a[p][k] + c * a[q][k]];
      }
    }
  }
  const order = a.map((_, i) => i).sort((i, j) => a[j][j] - a[i][i]);
  return { values: order.map((i) => a[i][i]), vectors: order.map((i) => V.map((row) => row[i])) };
}
/** Orthonormal vectors spanning what the given ones span, in order (Gram–Schmidt; dependent ones dropped). */
function orthonormal(vectors: Mat): Mat {
  const Q: Mat = [];
  for (const v of vectors) {
    let u = v.slice();
    for (const q of Q) u = u.map((x, i) => x - dot(u, q) * q[i]);
    const n = Math.hypot(...u);
    if (n > 1e-12) Q.push(u.map((x) => x / n));
  }
  return Q;
}
/** The orthogonal projector onto the span of the given vectors. */
export function projector(vectors: Mat): Mat {
  const Q = orthonormal(vectors);
  const n = vectors[0].length;
  return Array.from({ length: n }, (_, i) => Array.from({ length: n }, (__, j) => sum(Q.map((q) => q[i] * q[j]))));
}

/**
 * Centred data with a clear gap after the k-th principal direction: N = 12 rows of d = 2…5
 * entries and k = 1 or 2 (at most d − 1), z_n ~ N(0, diag(s²)) with s = 3, 2, 0.6, 0.5, 0.4 in a random orthonormal basis,
 * drawn from createRandom(dataSeed) and centred; kept when λ_k ≥ 2λ_{k+1} (then 400 steps at
 * η = 0.3/λ_1 of the covariance XᵀX/N bring the subspace within 3.1e−3 of PCA's, worst of 300 samples).
 */
export const pcaCase = fc
  .record({ d: fc.integer({ min: 2, max: 5 }), kRaw: fc.integer({ min: 1, max: 2 }), dataSeed: fc.integer({ min: 0, max: 2 ** 31 - 1 }), seed: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }) })
  .map(({ d, kRaw, dataSeed, seed }) => {
    const k = Math.min(kRaw, d - 1);
    const r = createRandom(dataSeed);
    const s = [3, 2, 0.6, 0.5, 0.4];
    const Zs = normalMatrix(r, 12, d, 0, 1).map((row) => row.map((v, j) => v * s[j]));
    // rows of an orthonormal basis (Gram–Schmidt of a random matrix): the variances stay s², so
    // the smallest one, which sets how fast the encoder settles, is not left to chance
    const basis = orthonormal(normalMatrix(r, d, d, 0, 1));
    const raw = matMul(Zs, basis);
    const mean = raw[0].map((_, j) => sum(raw.map((row) => row[j])) / raw.length);
    const X = raw.map((row) => row.map((v, j) => v - mean[j]));
    const { values, vectors } = symmetricEigen(matMul(transpose(X), X).map((row) => row.map((v) => v / X.length)));
    return { X, k, seed, eta: 0.3 / values[0], values, top: vectors.slice(0, k) };
  })
  .filter(({ values, k }) => values[k - 1] >= 2 * values[k] && values[0] < 1e4);

const trainChecks: Check[] = [
  property({
    id: 'O1.trainLinearAutoencoder.start', exercise: 'trainLinearAutoencoder', catalogue: 'O1', numRuns: 30,
    title: 'steps = 0 returns the start (W_e then W_d, 0.1·normal() row by row from createRandom(seed)); steps = 1 is one step on the MEAN loss (1/N)Σ‖x − W_dW_e x‖²',
    hint: 'O1: ∂J/∂W_d = (2/N)(X̂ − X)ᵀH and ∂J/∂W_e = (2/N)W_dᵀ(X̂ − X)ᵀX with H = XW_eᵀ; update both from the old weights',
    arbitrary: pcaCase.chain((c) => fc.tuple(fc.constant(c), real({ min: 0.01, max: 0.2 }))),
    verify: async ([{ X, k, seed }, eta], s) => {
      const d = X[0].length;
      const start = startOf(d, k, seed);
      const got = (r: unknown, args: unknown[]) => {
        expectThat(isObject(r) && isMatrix(r.We, k, d) && isMatrix(r.Wd, d, k), `${callText('trainLinearAutoencoder', args)} must return { We: ${k}×${d}, Wd: ${d}×${k} } of finite numbers`, r);
        return r as { We: Mat; Wd: Mat };
      };
      const args0 = [X, k, eta, 0, seed];
      const r0 = got(await s.call('trainLinearAutoencoder', args0), args0);
      expectClose([r0.We, r0.Wd], [start.We, start.Wd], FLOAT64, `[We, Wd] of ${callText('trainLinearAutoencoder', args0)}`, {
        [MISTAKES.decoderFirst]: ((w) => [w.We, w.Wd])(startOf(d, k, seed, { decoderFirst: true })),
      });
      const args1 = [X, k, eta, 1, seed];
      const r1 = got(await s.call('trainLinearAutoencoder', args1), args1);
      const one = stepOf(X, start, eta);
      const sumStep = stepOf(X, start, eta, X.length);
      expectClose([r1.We, r1.Wd], [one.We, one.Wd], FLOAT64, `[We, Wd] of ${callText('trainLinearAutoencoder', args1)}`, { [MISTAKES.sumNotMean]: [sumStep.We, sumStep.Wd] });
    },
  }),
  property({
    id: 'O1.trainLinearAutoencoder.pca', exercise: 'trainLinearAutoencoder', catalogue: 'O1', numRuns: 5,
    title: "400 steps at η = 0.3/λ₁ on centred data with a gap λ_k ≥ 2λ_{k+1}: the projector onto W_d's columns equals the projector onto the top-k eigenvectors of XᵀX/N (entries within 1e−2)",
    hint: 'O1: a linear autoencoder trained on the reconstruction loss learns the PCA subspace: train BOTH W_e and W_d by gradient descent on the mean loss',
    arbitrary: pcaCase,
    verify: async ({ X, k, seed, eta, top }, s) => {
      const d = X[0].length;
      const args = [X, k, eta, 400, seed];
      const r = await s.call('trainLinearAutoencoder', args);
      expectThat(isObject(r) && isMatrix(r.Wd, d, k), `${callText('trainLinearAutoencoder', args)} must return Wd of ${d}×${k} finite numbers`, r);
      // rtol 0, atol 1e−2: training converges geometrically but slowly along small variances; after
      // 400 steps the reference is within 3.1e−3 (worst of 300 samples); a subspace off PCA's by an
      // angle θ differs by ≈ θ, and an untrained or wrong one by O(1)
      expectClose(projector(transpose((r as { Wd: Mat }).Wd)), projector(top), { rtol: 0, atol: 1e-2 }, `the projector onto the columns of Wd (${callText('trainLinearAutoencoder', args)}) vs PCA's top-${k} projector`);
    },
  }),
];

export const autoencoders: FamilyGrader = {
  id: 'O',
  module: 'autoencoders',
  title: 'Autoencoders',
  exercises: [
    { name: 'reconstructionLoss', catalogue: 'O1', arity: 2, summary: 'Σ_i (x_i − x′_i)²' },
    { name: 'reconstructionLossGrad', catalogue: 'O1', arity: 2, summary: '2(x′ − x)' },
    { name: 'sparseAutoencoderLoss', catalogue: 'O2', arity: 3, summary: '‖x − Dec(Enc(x))‖² + λΣ|h_i|' },
    { name: 'sparseAutoencoderGrad', catalogue: 'O2', arity: 3, summary: 'its gradient; sign(0) = 0' },
    { name: 'gaussianCorruption', catalogue: 'O3', arity: 3, summary: 'X + σz, z from createRandom(seed)' },
    { name: 'maskingCorruption', catalogue: 'O3', arity: 3, summary: 'X ⊙ m, m_ij = [u_ij < p], not rescaled' },
    { name: 'trainLinearAutoencoder', catalogue: 'O1', arity: 5, summary: 'gradient descent on the mean loss; spans the PCA subspace' },
  ],
  checks: [...reconstructionChecks, ...sparseLossChecks, ...sparseGradChecks, ...corruptionChecks, ...trainChecks],
};
