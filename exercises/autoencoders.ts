/**
 * O. Autoencoders — catalogue family O (O1–O3). Implement each function below.
 *
 * symbol  id        shape      meaning
 * x       x         [d]        an input (one example); X [N × d] for a batch, rows = examples
 * x′      xHat      [d]        its reconstruction Dec(Enc(x))
 * W_e     We        [k × d]    encoder weights, row j feeds code unit j
 * b_e     be        [k]        encoder biases
 * h       —         [k]        the code h = Enc(x) = f_e(W_e x + b_e)
 * W_d     Wd        [d × k]    decoder weights
 * b_d     bd        [d]        decoder biases; x′ = Dec(h) = f_d(W_d h + b_d)
 * λ       lambda    number     sparsity weight, ≥ 0
 * σ       sigma     number     standard deviation of the additive Gaussian noise, ≥ 0
 * p       p         number     the probability of KEEPING an input unit under masking, in (0, 1]
 *
 * The small network of O2 (write it yourself: this file is graded on its own):
 *   a_e = W_e x + b_e,  h = f_e(a_e),  a_d = W_d h + b_d,  x′ = f_d(a_d)
 * f_e is ae.encoder: 'linear' (f(a) = a), 'sigmoid' (1/(1 + e^(−a))), 'tanh' or 'relu' (max(0, a),
 * with relu′(0) = 0); f_d is ae.decoder: 'linear' or 'sigmoid'.
 *
 * Conventions the grader holds you to:
 * - the reconstruction loss is a SUM over the entries, ‖x − x′‖² = Σ_i (x_i − x′_i)²: no ½, no mean;
 * - the sparsity penalty is λ Σ_i |h_i|, an L1 penalty on the code (not on the weights), and λ
 *   multiplies the penalty only, not the reconstruction term;
 * - the subgradient of |h| at h = 0 is 0 (sign(0) = 0);
 * - the noise comes from the provided random source: `const random = createRandom(seed)`, then
 *   one draw per entry of X, row by row (X[0][0], X[0][1], …, X[1][0], …), and no other draws:
 *   random.normal() for the Gaussian noise, random.uniform() for the mask;
 * - masking keeps an entry iff its uniform u < p and does NOT rescale the entries it keeps (the
 *   notes' dropout at training time, family E): a dropped entry becomes 0;
 * - every function returns new values and leaves its arguments unchanged.
 * Validate inputs where it helps you; the grader only passes valid ones.
 * Check your gradients with gradcheck.ts (S1–S4) before you submit.
 */
import { NotImplemented } from './not-implemented.ts';
// the corruptions draw with createRandom(seed) (see the conventions above)
import { createRandom } from './random.ts';
import type { Matrix, Vector } from './tensor.ts';

/** Activations of the encoder. */
export type EncoderActivation = 'linear' | 'sigmoid' | 'tanh' | 'relu';
/** Activations of the decoder. */
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

/** O1 — the reconstruction loss L(x, x′) = ‖x − x′‖²₂ = Σ_i (x_i − x′_i)². */
export function reconstructionLoss(x: Vector, xHat: Vector): number {
  throw new NotImplemented('O1 reconstructionLoss');
}

/** O1 — its gradient with respect to the reconstruction: ∂L/∂x′_i. */
export function reconstructionLossGrad(x: Vector, xHat: Vector): Vector {
  throw new NotImplemented('O1 reconstructionLossGrad');
}

/** O2 — the sparse autoencoder objective L = ‖x − Dec(Enc(x))‖² + λ Σ_i |Enc_i(x)| for the network above. */
export function sparseAutoencoderLoss(ae: Autoencoder, x: Vector, lambda: number): number {
  throw new NotImplemented('O2 sparseAutoencoderLoss');
}

/** O2 — ∂L/∂W_e, ∂L/∂b_e, ∂L/∂W_d, ∂L/∂b_d of sparseAutoencoderLoss, as { dWe, dbe, dWd, dbd } (shapes of We, be, Wd, bd). */
export function sparseAutoencoderGrad(ae: Autoencoder, x: Vector, lambda: number): AutoencoderGradients {
  throw new NotImplemented('O2 sparseAutoencoderGrad');
}

/** O3 — additive Gaussian corruption: X̃_ij = X_ij + σ·z_ij, z_ij = random.normal() of createRandom(seed), row by row. */
export function gaussianCorruption(X: Matrix, sigma: number, seed: number): Matrix {
  throw new NotImplemented('O3 gaussianCorruption');
}

/** O3 — masking corruption (dropout on the input): X̃_ij = X_ij if u_ij < p, else 0, u_ij = random.uniform() of createRandom(seed), row by row. */
export function maskingCorruption(X: Matrix, p: number, seed: number): Matrix {
  throw new NotImplemented('O3 maskingCorruption');
}

/**
 * O1 — trains the linear autoencoder x′ = W_d W_e x (no biases, no activations) on the rows of
 * X by full-batch gradient descent on the MEAN reconstruction loss J = (1/N) Σ_n ‖x_n − W_d W_e x_n‖²,
 * `steps` times: W_e ← W_e − η ∂J/∂W_e and W_d ← W_d − η ∂J/∂W_d, both gradients taken at the
 * weights before the step. Start: `const random = createRandom(seed)`, then W_e [k × d] and after
 * it W_d [d × k], each entry 0.1·random.normal(), row by row. Returns { We, Wd }; steps = 0 returns
 * the starting weights. On centred data the columns of W_d end up spanning the top-k principal
 * directions of X (the PCA subspace), which the grader checks.
 */
export function trainLinearAutoencoder(X: Matrix, k: number, eta: number, steps: number, seed: number): { We: Matrix; Wd: Matrix } {
  throw new NotImplemented('O1 trainLinearAutoencoder');
}
