/**
 * O. Autoencoders — catalogue family O (O1–O3).
 *
 * Deck (see README, "Decks"): [Training] "Fully-Connected (Multilayer-Perceptron) Autoencoder"
 * (L(x, x′) = ‖x − x′‖²₂ = Σ(x_i − x′_i)²), "Sparse Autoencoder" ("Add L1 penalty to the loss to
 * learn sparse feature representations": L = ‖x − Dec(Enc(x))‖²₂ + Σ_i |Enc_i(x)|; the catalogue
 * weights the penalty by λ, the slide's form is λ = 1), "Denoising Autoencoder" ("Add dropout after
 * the input, or add noise to the input to learn to denoise images").
 *
 * symbol  id        shape      meaning
 * x       x         [d]        an input (one example); X [N × d] for a batch, rows = examples
 * x′      xHat      [d]        its reconstruction Dec(Enc(x))
 * W_e     We        [k × d]    encoder weights, row j feeds code unit j (Bishop's w_ji, family C)
 * b_e     be        [k]        encoder biases
 * h       —         [k]        the code Enc(x) = f_e(W_e x + b_e)
 * W_d     Wd        [d × k]    decoder weights
 * b_d     bd        [d]        decoder biases; x′ = Dec(h) = f_d(W_d h + b_d)
 * λ       lambda    number     sparsity weight, ≥ 0
 * σ       sigma     number     standard deviation of the additive Gaussian corruption, ≥ 0
 * p       p         number     KEEP probability of an input unit under masking, in (0, 1] (family E's p)
 *
 * Conventions: the reconstruction loss is a SUM over the entries (no ½, no 1/d), as the slide
 * writes it; the subgradient of |h| at h = 0 is 0 (sign(0) = 0, as family E's L1 penalty);
 * masking is the notes' dropout at train time (family E, E3): x ⊙ m without rescaling the
 * survivors. The small network is family C's: the encoder and the decoder are two layers of a
 * reference/backprop.ts network, so the forward and backward passes are C's (C2, C3–C5), and the
 * sparsity term adds its own δ at the code layer.
 */
import { backward, batchBackward, batchForward, forward, gradientDescentStep, hiddenDelta, layerGradients, type Network } from './backprop.ts';
import { l2Loss, l2LossGrad } from './losses.ts';
import { createRandom, normalMatrix } from './random.ts';
import { dropoutMask } from './regularization.ts';
import { ArgumentError, assertInRange, assertInteger, assertMatrix, assertNumber, assertVector, type Matrix, type Vector } from './tensor.ts';

/** Activations of the encoder (any of family C's elementwise ones that the notes' AEs use). */
export type EncoderActivation = 'linear' | 'sigmoid' | 'tanh' | 'relu';
/** Activations of the decoder: linear for real-valued inputs, sigmoid for inputs in [0, 1]. */
export type DecoderActivation = 'linear' | 'sigmoid';

/** A one-hidden-layer autoencoder: h = f_e(W_e x + b_e), x′ = f_d(W_d h + b_d). */
export interface Autoencoder {
  We: Matrix;
  be: Vector;
  encoder: EncoderActivation;
  Wd: Matrix;
  bd: Vector;
  decoder: DecoderActivation;
}

/** ∂L/∂· with the keys of the parameters. */
export interface AutoencoderGradients {
  dWe: Matrix;
  dbe: Vector;
  dWd: Matrix;
  dbd: Vector;
}

const ENCODERS: readonly EncoderActivation[] = ['linear', 'sigmoid', 'tanh', 'relu'];
const DECODERS: readonly DecoderActivation[] = ['linear', 'sigmoid'];

function assertSeed(fn: string, seed: unknown): asserts seed is number {
  assertInteger(fn, 'seed', seed, -(2 ** 31));
  if (seed >= 2 ** 31) throw new ArgumentError(fn, 'seed', `must be below 2^31; got ${seed}`);
}

function assertAutoencoder(fn: string, ae: unknown, x: unknown): asserts ae is Autoencoder {
  if (ae === null || typeof ae !== 'object') throw new ArgumentError(fn, 'ae', 'must be { We, be, encoder, Wd, bd, decoder }');
  const { We, be, encoder, Wd, bd, decoder } = ae as Autoencoder;
  assertVector(fn, 'x', x);
  assertMatrix(fn, 'ae.We', We, undefined, (x as Vector).length);
  assertVector(fn, 'ae.be', be, We.length);
  assertMatrix(fn, 'ae.Wd', Wd, (x as Vector).length, We.length);
  assertVector(fn, 'ae.bd', bd, Wd.length);
  if (!ENCODERS.includes(encoder)) throw new ArgumentError(fn, 'ae.encoder', `must be one of ${ENCODERS.join(', ')}; got ${String(encoder)}`);
  if (!DECODERS.includes(decoder)) throw new ArgumentError(fn, 'ae.decoder', `must be one of ${DECODERS.join(', ')}; got ${String(decoder)}`);
}

/** The autoencoder as family C's two-layer network: layer 0 is Enc, layer 1 is Dec. */
const asNetwork = (ae: Autoencoder): Network => [
  { W: ae.We, b: ae.be, activation: ae.encoder },
  { W: ae.Wd, b: ae.bd, activation: ae.decoder },
];

/** sign with sign(0) = 0: the subgradient of |·| at 0 this family uses. */
const sign = (v: number): number => (v > 0 ? 1 : v < 0 ? -1 : 0);

// ---------------------------------------------------------------------------------------------
// O1 — the reconstruction loss

/** O1 — L(x, x′) = ‖x − x′‖²₂ = Σ_i (x_i − x′_i)², a sum over the entries ([Training] "Fully-Connected (Multilayer-Perceptron) Autoencoder"); family B's L2 loss. */
export function reconstructionLoss(x: Vector, xHat: Vector): number {
  assertVector('reconstructionLoss', 'x', x);
  assertVector('reconstructionLoss', 'xHat', xHat, x.length);
  return l2Loss(x, xHat);
}

/** O1 — ∂L/∂x′_i = 2(x′_i − x_i). */
export function reconstructionLossGrad(x: Vector, xHat: Vector): Vector {
  assertVector('reconstructionLossGrad', 'x', x);
  assertVector('reconstructionLossGrad', 'xHat', xHat, x.length);
  return l2LossGrad(x, xHat);
}

// ---------------------------------------------------------------------------------------------
// O2 — the sparse autoencoder

/**
 * O2 — L = ‖x − Dec(Enc(x))‖²₂ + λ Σ_i |h_i| with h = Enc(x) = f_e(W_e x + b_e) and
 * Dec(h) = f_d(W_d h + b_d) ([Training] "Sparse Autoencoder"; the slide's λ is 1).
 */
export function sparseAutoencoderLoss(ae: Autoencoder, x: Vector, lambda: number): number {
  assertAutoencoder('sparseAutoencoderLoss', ae, x);
  assertInRange('sparseAutoencoderLoss', 'lambda', lambda, 0, Infinity);
  const { out: xHat, cache } = forward(asNetwork(ae), x);
  const h = cache.z[1];
  return l2Loss(x, xHat) + lambda * h.reduce((s, v) => s + Math.abs(v), 0);
}

/**
 * O2 — the gradient of the sparse objective. Reconstruction: family C's backward with target x
 * and loss Σ(x − x′)² ('l2'): δ_d = f_d′(a_d) ⊙ 2(x′ − x), δ_e = f_e′(a_e) ⊙ W_dᵀδ_d. Sparsity:
 * ∂(λΣ|h_i|)/∂a_e = f_e′(a_e) ⊙ λ sign(h) (sign(0) = 0), which adds δ_s xᵀ to ∂L/∂W_e and δ_s to
 * ∂L/∂b_e and nothing to the decoder.
 */
export function sparseAutoencoderGrad(ae: Autoencoder, x: Vector, lambda: number): AutoencoderGradients {
  assertAutoencoder('sparseAutoencoderGrad', ae, x);
  assertInRange('sparseAutoencoderGrad', 'lambda', lambda, 0, Infinity);
  const net = asNetwork(ae);
  const { cache } = forward(net, x);
  const [enc, dec] = backward(net, cache, x, 'l2');
  const k = ae.We.length;
  const identity = Array.from({ length: k }, (_, i) => Array.from({ length: k }, (_, j) => (i === j ? 1 : 0)));
  // f_e′(a_e) ⊙ Iᵀ(λ sign(h)): C4's hidden delta with the identity as the layer above
  const deltaSparse = hiddenDelta(cache.a[0], identity, cache.z[1].map((v) => lambda * sign(v)), ae.encoder);
  const sparse = layerGradients(deltaSparse, x);
  return {
    dWe: enc.dW.map((row, j) => row.map((v, i) => v + sparse.dW[j][i])),
    dbe: enc.db.map((v, j) => v + sparse.db[j]),
    dWd: dec.dW,
    dbd: dec.db,
  };
}

// ---------------------------------------------------------------------------------------------
// O3 — denoising corruption

/**
 * O3 — additive Gaussian corruption x̃ = x + σz, z_ij ~ N(0, 1) from createRandom(seed).normal(),
 * drawn row by row ([Training] "Denoising Autoencoder": "add noise to the input").
 */
export function gaussianCorruption(X: Matrix, sigma: number, seed: number): Matrix {
  assertMatrix('gaussianCorruption', 'X', X);
  assertInRange('gaussianCorruption', 'sigma', sigma, 0, Infinity);
  assertSeed('gaussianCorruption', seed);
  const noise = normalMatrix(createRandom(seed), X.length, X[0].length, 0, sigma);
  return X.map((row, i) => row.map((v, j) => v + noise[i][j]));
}

/**
 * O3 — masking corruption x̃ = x ⊙ m, family E's dropout mask (m_ij = 1 iff u_ij < p, u_ij from
 * createRandom(seed).uniform() row by row) applied to the input, survivors NOT rescaled (the
 * notes' train-time dropout; [Training] "Denoising Autoencoder": "add dropout after the input").
 */
export function maskingCorruption(X: Matrix, p: number, seed: number): Matrix {
  assertMatrix('maskingCorruption', 'X', X);
  assertInRange('maskingCorruption', 'p', p, 0, 1);
  if (p === 0) throw new ArgumentError('maskingCorruption', 'p', 'must be > 0 (p is the probability of KEEPING an input); got 0');
  assertSeed('maskingCorruption', seed);
  const mask = dropoutMask(X.length, X[0].length, p, seed);
  return X.map((row, i) => row.map((v, j) => v * mask[i][j]));
}

// ---------------------------------------------------------------------------------------------
// O1 — a linear autoencoder trained with the reconstruction loss (it finds PCA's subspace)

/**
 * O1 — trains the linear autoencoder x′ = W_d W_e x (no biases, no activations) on the rows of
 * X by full-batch gradient descent on J = (1/N) Σ_n ‖x_n − W_d W_e x_n‖²:
 * W_e ← W_e − η ∂J/∂W_e and W_d ← W_d − η ∂J/∂W_d, both from the same (old) weights. Start:
 * r = createRandom(seed); W_e [k × d] then W_d [d × k], each entry 0.1·r.normal(), row by row.
 * For centred X with λ_k > λ_{k+1} (eigenvalues of XᵀX), the columns of W_d converge to a basis
 * of the span of the top-k principal directions (Baldi & Hornik, 1989). The gradients are
 * family C's batch backward (C6) with loss 'l2'; biases stay 0.
 */
export function trainLinearAutoencoder(X: Matrix, k: number, eta: number, steps: number, seed: number): { We: Matrix; Wd: Matrix } {
  const fn = 'trainLinearAutoencoder';
  assertMatrix(fn, 'X', X);
  const d = X[0].length;
  assertInteger(fn, 'k', k, 1);
  if (k > d) throw new ArgumentError(fn, 'k', `must be at most the input width ${d}; got ${k}`);
  assertNumber(fn, 'eta', eta);
  if (!(eta > 0)) throw new ArgumentError(fn, 'eta', `must be > 0; got ${eta}`);
  assertInteger(fn, 'steps', steps, 0);
  assertSeed(fn, seed);
  const random = createRandom(seed);
  const We = normalMatrix(random, k, d, 0, 0.1);
  const Wd = normalMatrix(random, d, k, 0, 0.1);
  let net: Network = [
    { W: We, b: new Array(k).fill(0), activation: 'linear' },
    { W: Wd, b: new Array(d).fill(0), activation: 'linear' },
  ];
  for (let t = 0; t < steps; t++) {
    const { cache } = batchForward(net, X);
    // C6's 'l2' cost is (1/N) Σ_n Σ_i (x_ni − x′_ni)²; the biases are not trained
    const grads = batchBackward(net, cache, X, 'l2').map(({ dW, db }) => ({ dW, db: db.map(() => 0) }));
    net = gradientDescentStep(net, grads, eta);
  }
  return { We: net[0].W, Wd: net[1].W };
}
