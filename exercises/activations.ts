/**
 * A. Activations — catalogue family A (A1–A12). Implement each function below.
 *
 * symbol   id        shape         meaning
 * x        x         number        pre-activation (scalar functions)
 * α        alpha     number        slope / scale parameter (leaky ReLU, ELU)
 * a        a         number        PReLU slope (learned, shared by the vector y)
 * p        softmax   [K]           probabilities
 * W        W         [m, k, d]     maxout weights: unit i, piece j, input d
 * dout     dout      like output   upstream gradient ∂L/∂(output)
 *
 * Conventions the grader holds you to:
 * - every function returns new values and leaves its arguments unchanged: a call that writes into
 *   one fails its check (even when it puts the value back by arithmetic: x + h − h is not always x);
 * - every smooth function must stay finite for |x| ≤ 1000 (no exp of a large positive number);
 * - at a kink, relu'(0) = 0, leakyRelu'(0) = α, elu'(0) = 1;
 * - validate inputs where it helps you; the grader only passes valid ones.
 * Check your own derivatives with gradcheck.ts (S1–S4) before you submit.
 */
import { NotImplemented } from './not-implemented.ts';
import type { Matrix, Vector } from './tensor.ts';

/** A1 — σ(x) = 1/(1 + e^−x), finite for |x| ≤ 1000. */
export function sigmoid(x: number): number {
  throw new NotImplemented('A1 sigmoid');
}

/** A1 — σ'(x) = σ(x)(1 − σ(x)), at the pre-activation x. */
export function sigmoidGrad(x: number): number {
  throw new NotImplemented('A1 sigmoidGrad');
}

/** A2 — tanh(x) = (e^x − e^−x)/(e^x + e^−x), finite for |x| ≤ 1000. */
export function tanh(x: number): number {
  throw new NotImplemented('A2 tanh');
}

/** A2 — tanh'(x) = 1 − tanh²(x). */
export function tanhGrad(x: number): number {
  throw new NotImplemented('A2 tanhGrad');
}

/** A3 — relu(x) = max(0, x). */
export function relu(x: number): number {
  throw new NotImplemented('A3 relu');
}

/** A3 — relu'(x) = 1 for x > 0, else 0 (the subgradient at the kink x = 0 is 0). */
export function reluGrad(x: number): number {
  throw new NotImplemented('A3 reluGrad');
}

/** A4 — leaky relu f(x) = max(αx, x) for α ∈ [0, 1] (the decks use 0.01, 0.1, 0.2). */
export function leakyRelu(x: number, alpha: number): number {
  throw new NotImplemented('A4 leakyRelu');
}

/** A4 — f'(x) = 1 for x > 0, else α (α at the kink). */
export function leakyReluGrad(x: number, alpha: number): number {
  throw new NotImplemented('A4 leakyReluGrad');
}

/** A5 — PReLU, elementwise f(y_i) = y_i if y_i > 0 else a·y_i, one slope a for all of y. */
export function prelu(y: Vector, a: number): Vector {
  throw new NotImplemented('A5 prelu');
}

/**
 * A5 — PReLU backward: ∂L/∂y_i and ∂L/∂a (a is shared: its gradient sums over every position).
 * At the kink y_i = 0 (and −0) take the negative side, as for leaky ReLU: dy_i = a·dout_i, and
 * y_i contributes dout_i·0 to da.
 */
export function preluBackward(dout: Vector, y: Vector, a: number): { dy: Vector; da: number } {
  throw new NotImplemented('A5 preluBackward');
}

/** A6 — ELU, f(x) = x if x ≥ 0 else α(e^x − 1). */
export function elu(x: number, alpha: number): number {
  throw new NotImplemented('A6 elu');
}

/** A6 — f'(x) = 1 if x ≥ 0 else α·e^x. */
export function eluGrad(x: number, alpha: number): number {
  throw new NotImplemented('A6 eluGrad');
}

/** A7 — softplus(x) = ln(1 + e^x), finite for |x| ≤ 1000. */
export function softplus(x: number): number {
  throw new NotImplemented('A7 softplus');
}

/** A7 — softplus'(x) = σ(x). */
export function softplusGrad(x: number): number {
  throw new NotImplemented('A7 softplusGrad');
}

/** A8 — p_j = e^{x_j}/Σ_k e^{x_k}; subtract max_k x_k first so that nothing overflows. */
export function softmax(x: Vector): Vector {
  throw new NotImplemented('A8 softmax');
}

/** A8 — Jacobian D_ab = ∂p_a/∂x_b = p_a(δ_ab − p_b), a K×K matrix. */
export function softmaxJacobian(x: Vector): Matrix {
  throw new NotImplemented('A8 softmaxJacobian');
}

/** A9 — log Σ_k e^{x_k}, finite for |x_k| ≤ 1000. */
export function logSumExp(x: Vector): number {
  throw new NotImplemented('A9 logSumExp');
}

/** A9 — log p_j = x_j − log Σ_k e^{x_k} (finite even where p_j underflows to 0). */
export function logSoftmax(x: Vector): Vector {
  throw new NotImplemented('A9 logSoftmax');
}

/** A10 — maxout h_i(x) = max_j z_ij, z_ij = xᵀW_ij + b_ij; W is [m][k][d], b is [m][k]. */
export function maxout(x: Vector, W: Matrix[], b: Matrix): Vector {
  throw new NotImplemented('A10 maxout');
}

/**
 * A10 — maxout backward: unit i's gradient flows only through its winning piece j* (the first
 * maximal one on a tie): dx = Σ_i dout_i W_ij*, dW_ij* = dout_i x, db_ij* = dout_i, 0 elsewhere.
 */
export function maxoutBackward(dout: Vector, x: Vector, W: Matrix[], b: Matrix): { dx: Vector; dW: Matrix[]; db: Matrix } {
  throw new NotImplemented('A10 maxoutBackward');
}

/** A11 — the largest factor `depth` sigmoid layers apply to a gradient: σ'(0)^depth (0.25^10 ≈ 1e−6). */
export function sigmoidChainBound(depth: number): number {
  throw new NotImplemented('A11 sigmoidChainBound');
}

/** A12 — the fraction of entries of a [N × units] that are ≤ 0 (inactive ReLU units). */
export function reluInactiveFraction(a: Matrix): number {
  throw new NotImplemented('A12 reluInactiveFraction');
}
