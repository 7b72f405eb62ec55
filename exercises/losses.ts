/**
 * B. Losses — catalogue family B (B1–B7). Implement each function below.
 *
 * symbol    id          shape      meaning
 * y         y           [N]        Bishop (sseLoss): network output, the prediction
 * t         t           [N]        Bishop (sseLoss): target
 * y         y           [N] / [C]  elsewhere: label / ground truth (a probability vector in B4)
 * ŷ, h, f   yHat, h, f  [N]        elsewhere: prediction h_θ(x_i); f(x) in Huber (B6)
 * s         s           [N] / [C]  logits (scores) fed to a sigmoid (B3, B7) or a softmax (B4)
 * p         —           [N] / [C]  σ(s) or softmax(s)
 * z         z           [N]        EBU7240 (B7): ground truth of the sigmoid + L2 output layer
 * δ         delta       number     Huber threshold, > 0
 *
 * Conventions the grader holds you to:
 * - every function returns new values and leaves its arguments unchanged: a call that writes into
 *   one fails its check (even when it puts the value back by arithmetic: x + h − h is not always x);
 * - every loss is a SUM over the entries, as the notes write Σ_i …; only mse (B2) is a mean;
 * - every gradient is with respect to the prediction-side argument (ŷ, h, f, s; Bishop's
 *   output y in sseLossGrad) and has the same length as it;
 * - the logits forms (sigmoidCrossEntropy, softmaxCrossEntropy, sigmoidL2Loss and their
 *   gradients) must stay finite and accurate for |s| ≤ 1000;
 * - validate inputs where it helps you; the grader only passes valid ones.
 * You may import your own functions from './activations.ts' (sigmoid, softmax, logSumExp …).
 * Check your own derivatives with gradcheck.ts (S1–S4) before you submit.
 */
import { NotImplemented } from './not-implemented.ts';
import type { Vector } from './tensor.ts';

/** B1 — L1 loss Σ_i |y_i − ŷ_i| (a sum, not a mean). */
export function l1Loss(y: Vector, yHat: Vector): number {
  throw new NotImplemented('B1 l1Loss');
}

/** B1 — ∂/∂ŷ_i of Σ|y − ŷ|; at a tie ŷ_i = y_i (the kink) return the subgradient 0. */
export function l1LossGrad(y: Vector, yHat: Vector): Vector {
  throw new NotImplemented('B1 l1LossGrad');
}

/** B1 — L2 loss Σ_i (y_i − ŷ_i)² (no ½, no 1/N, no square root). */
export function l2Loss(y: Vector, yHat: Vector): number {
  throw new NotImplemented('B1 l2Loss');
}

/** B1 — ∂/∂ŷ_i of Σ(y − ŷ)². */
export function l2LossGrad(y: Vector, yHat: Vector): Vector {
  throw new NotImplemented('B1 l2LossGrad');
}

/** B1 — Bishop's sum-of-squares error E_n = ½ Σ_j (y_j − t_j)²: y is the network output, t the target. */
export function sseLoss(y: Vector, t: Vector): number {
  throw new NotImplemented('B1 sseLoss');
}

/** B1 — ∂E_n/∂y_j (with respect to the output y, not the target). */
export function sseLossGrad(y: Vector, t: Vector): Vector {
  throw new NotImplemented('B1 sseLossGrad');
}

/** B2 — mean squared error J = (1/N) Σ_i (y_i − h_i)², y the labels, h the predictions. */
export function mse(y: Vector, h: Vector): number {
  throw new NotImplemented('B2 mse');
}

/** B2 — ∂J/∂h_i. */
export function mseGrad(y: Vector, h: Vector): Vector {
  throw new NotImplemented('B2 mseGrad');
}

/**
 * B3 — binary cross-entropy J = −Σ_i [y_i log h_i + (1 − y_i) log(1 − h_i)] (natural log), labels
 * y_i ∈ [0, 1] and probabilities h_i ∈ [0, 1], including the ends. Take 0·log 0 = 0 (the limit),
 * so a perfect prediction at an end costs 0; where h_i is at the wrong end the loss is +∞: return
 * Infinity, never NaN.
 */
export function binaryCrossEntropy(y: Vector, h: Vector): number {
  throw new NotImplemented('B3 binaryCrossEntropy');
}

/**
 * B3 — ∂J/∂h_i. The grader passes h_i strictly inside (0, 1), as close to the ends as 1e−300
 * (at the ends themselves the derivative is ±∞, or ±1 where the label matches the end).
 */
export function binaryCrossEntropyGrad(y: Vector, h: Vector): Vector {
  throw new NotImplemented('B3 binaryCrossEntropyGrad');
}

/**
 * B3 — the same loss computed from the logits: J = −Σ_i [y_i log σ(s_i) + (1 − y_i) log(1 − σ(s_i))],
 * y_i ∈ [0, 1]. It must stay finite and accurate for |s_i| ≤ 1000, where σ(s) rounds to exactly
 * 0 or 1 long before: rewrite log σ(s) and log(1 − σ(s)) so that no log of 0 and no e^(large)
 * ever happens.
 */
export function sigmoidCrossEntropy(y: Vector, s: Vector): number {
  throw new NotImplemented('B3 sigmoidCrossEntropy');
}

/** B3 — ∂J/∂s_i of the logits form, finite for |s_i| ≤ 1000. */
export function sigmoidCrossEntropyGrad(y: Vector, s: Vector): Vector {
  throw new NotImplemented('B3 sigmoidCrossEntropyGrad');
}

/**
 * B4 — softmax cross-entropy L = −Σ_c y_c log p_c, p = softmax(s), y a probability vector over the
 * C classes (one-hot gives −log p_y; soft labels are allowed). Finite for |s_c| ≤ 1000, where a
 * p_c can underflow to 0.
 */
export function softmaxCrossEntropy(y: Vector, s: Vector): number {
  throw new NotImplemented('B4 softmaxCrossEntropy');
}

/** B4 — ∂L/∂s (a vector of length C), finite for |s_c| ≤ 1000. */
export function softmaxCrossEntropyGrad(y: Vector, s: Vector): Vector {
  throw new NotImplemented('B4 softmaxCrossEntropyGrad');
}

/** B5 — hinge loss Σ_i max(0, 1 − y_i·h_i) with labels y_i ∈ {−1, +1} (not 0/1) and scores h_i. */
export function hingeLoss(y: Vector, h: Vector): number {
  throw new NotImplemented('B5 hingeLoss');
}

/** B5 — ∂/∂h_i of the hinge loss; at the kink y_i·h_i = 1 return 0. */
export function hingeLossGrad(y: Vector, h: Vector): Vector {
  throw new NotImplemented('B5 hingeLossGrad');
}

/** B6 — Huber loss Σ_i L_δ(y_i, f_i), L_δ = ½(y − f)² if |y − f| ≤ δ, else δ|y − f| − ½δ²; δ > 0. */
export function huberLoss(y: Vector, f: Vector, delta: number): number {
  throw new NotImplemented('B6 huberLoss');
}

/** B6 — ∂/∂f_i of the Huber loss. */
export function huberLossGrad(y: Vector, f: Vector, delta: number): Vector {
  throw new NotImplemented('B6 huberLossGrad');
}

/** B7 — the EBU7240 output layer: p = σ(s), L = Σ_j (z_j − p_j)², finite for |s_j| ≤ 1000. */
export function sigmoidL2Loss(z: Vector, s: Vector): number {
  throw new NotImplemented('B7 sigmoidL2Loss');
}

/** B7 — dp = ∂L/∂p and ds = ∂L/∂s (the chain rule through p = σ(s)), both of length N, finite for |s_j| ≤ 1000. */
export function sigmoidL2LossGrad(z: Vector, s: Vector): { dp: Vector; ds: Vector } {
  throw new NotImplemented('B7 sigmoidL2LossGrad');
}
