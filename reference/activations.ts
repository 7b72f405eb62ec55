/**
 * A. Activations — catalogue family A (A1–A12).
 *
 * Decks (see README, "Decks"): [Oh] "Activation functions"; [Training] "Activation Functions",
 * "Leaky ReLU", "Vanishing/Exploding Gradient problems"; [Jung] "Other Activation Functions",
 * "More Complex Activation Function"; [Tu] "Softmax".
 *
 * symbol   id        shape         meaning
 * x        x         number        pre-activation (scalar functions)
 * σ        sigmoid   number        logistic sigmoid
 * α        alpha     number        slope / scale parameter (leaky ReLU, ELU)
 * a        a         number        PReLU slope (learned, shared by the vector y)
 * p        softmax   [K]           probabilities
 * D        jacobian  [K, K]        D_ab = ∂p_a/∂x_b
 * W        W         [m, k, d]     maxout weights: unit i, piece j, input d
 * dout     dout      like output   upstream gradient ∂L/∂(output)
 *
 * Every smooth function here is evaluated in a form that stays finite and accurate for
 * |x| ≤ 1000 (catalogue A1): no exp of a large positive number, no 1 − (nearly 1).
 */
import {
  ArgumentError,
  assertInRange,
  assertInteger,
  assertMatrix,
  assertNumber,
  assertSameLength,
  assertVector,
  type Matrix,
  type Vector,
} from './tensor.ts';

/** A1 — σ(x) = 1/(1 + e^−x). For x < 0 the equal form e^x/(1 + e^x) avoids e^−x overflowing. */
export function sigmoid(x: number): number {
  assertNumber('sigmoid', 'x', x);
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/** A1 — σ'(x) = σ(x)(1 − σ(x)), written σ(x)σ(−x) because 1 − σ(x) = σ(−x) is exact in both tails. */
export function sigmoidGrad(x: number): number {
  assertNumber('sigmoidGrad', 'x', x);
  return sigmoid(x) * sigmoid(-x);
}

/**
 * A2 — tanh(x) = (e^x − e^−x)/(e^x + e^−x) = sign(x)(1 − t)/(1 + t) with t = e^−2|x|.
 * 1 − t is computed as −expm1(−2|x|) so that small |x| keeps full relative precision.
 */
export function tanh(x: number): number {
  assertNumber('tanh', 'x', x);
  const t = Math.exp(-2 * Math.abs(x));
  return (Math.sign(x) * -Math.expm1(-2 * Math.abs(x))) / (1 + t);
}

/** A2 — tanh'(x) = 1 − tanh²(x) = 4t/(1 + t)², t = e^−2|x| (the sech² form, exact when tanh → ±1). */
export function tanhGrad(x: number): number {
  assertNumber('tanhGrad', 'x', x);
  const t = Math.exp(-2 * Math.abs(x));
  return (4 * t) / ((1 + t) * (1 + t));
}

/** A3 — relu(x) = max(0, x). */
export function relu(x: number): number {
  assertNumber('relu', 'x', x);
  return x > 0 ? x : 0;
}

/** A3 — relu'(x) = 1 for x > 0, else 0. At the kink x = 0 we take the subgradient 0 (as tfjs does). */
export function reluGrad(x: number): number {
  assertNumber('reluGrad', 'x', x);
  return x > 0 ? 1 : 0;
}

/**
 * A4 — leaky relu f(x) = max(αx, x), α ∈ [0, 1]. The decks use α = 0.01 [Training] and
 * α = 0.1 [Oh] (erratum 7), DCGAN 0.2 [Jung]: α is a parameter, not a constant.
 */
export function leakyRelu(x: number, alpha: number): number {
  assertNumber('leakyRelu', 'x', x);
  assertInRange('leakyRelu', 'alpha', alpha, 0, 1);
  return x > 0 ? x : alpha * x;
}

/** A4 — f'(x) = 1 for x > 0, else α (the subgradient α at x = 0, as tfjs). */
export function leakyReluGrad(x: number, alpha: number): number {
  assertNumber('leakyReluGrad', 'x', x);
  assertInRange('leakyReluGrad', 'alpha', alpha, 0, 1);
  return x > 0 ? 1 : alpha;
}

/** A5 — PReLU, f(y_i) = y_i if y_i > 0 else a·y_i, one learned slope a shared by all of y. */
export function prelu(y: Vector, a: number): Vector {
  assertVector('prelu', 'y', y);
  assertNumber('prelu', 'a', a);
  return y.map((yi) => (yi > 0 ? yi : a * yi));
}

/**
 * A5 — PReLU backward: ∂L/∂y_i = dout_i·(1 if y_i > 0 else a) and, because a is shared,
 * ∂L/∂a = Σ_{i: y_i ≤ 0} dout_i·y_i (contributions accumulate over every position).
 */
export function preluBackward(dout: Vector, y: Vector, a: number): { dy: Vector; da: number } {
  assertSameLength('preluBackward', 'y', y, 'dout', dout);
  assertNumber('preluBackward', 'a', a);
  const dy = y.map((yi, i) => dout[i] * (yi > 0 ? 1 : a));
  let da = 0;
  for (let i = 0; i < y.length; i++) if (y[i] <= 0) da += dout[i] * y[i];
  return { dy, da };
}

/** A6 — ELU, f(x) = x if x ≥ 0 else α(e^x − 1); e^x − 1 via expm1 keeps precision near 0. */
export function elu(x: number, alpha: number): number {
  assertNumber('elu', 'x', x);
  assertInRange('elu', 'alpha', alpha, 0, Number.MAX_VALUE);
  return x >= 0 ? x : alpha * Math.expm1(x);
}

/** A6 — f'(x) = 1 if x ≥ 0 else α·e^x (at 0 the right derivative 1, as tfjs). */
export function eluGrad(x: number, alpha: number): number {
  assertNumber('eluGrad', 'x', x);
  assertInRange('eluGrad', 'alpha', alpha, 0, Number.MAX_VALUE);
  return x >= 0 ? 1 : alpha * Math.exp(x);
}

/** A7 — softplus(x) = ln(1 + e^x) = max(x, 0) + ln(1 + e^−|x|), which never exponentiates a large number. */
export function softplus(x: number): number {
  assertNumber('softplus', 'x', x);
  return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
}

/** A7 — softplus'(x) = σ(x). */
export function softplusGrad(x: number): number {
  assertNumber('softplusGrad', 'x', x);
  return sigmoid(x);
}

/** A8 — p_j = e^{x_j} / Σ_k e^{x_k}, computed after subtracting max_k x_k (same p, no overflow). */
export function softmax(x: Vector): Vector {
  assertVector('softmax', 'x', x);
  const m = Math.max(...x);
  const e = x.map((xj) => Math.exp(xj - m));
  const sum = e.reduce((s, v) => s + v, 0);
  return e.map((v) => v / sum);
}

/** A8 — softmax Jacobian D_ab = ∂p_a/∂x_b = p_a(δ_ab − p_b). */
export function softmaxJacobian(x: Vector): Matrix {
  assertVector('softmaxJacobian', 'x', x);
  const p = softmax(x);
  return p.map((pa, a) => p.map((pb, b) => pa * ((a === b ? 1 : 0) - pb)));
}

/** A9 — log Σ_k e^{x_k} = m + log Σ_k e^{x_k − m}, m = max_k x_k. */
export function logSumExp(x: Vector): number {
  assertVector('logSumExp', 'x', x);
  const m = Math.max(...x);
  let sum = 0;
  for (const xk of x) sum += Math.exp(xk - m);
  return m + Math.log(sum);
}

/** A9 — log p_j = x_j − log Σ_k e^{x_k} (finite even where p_j underflows to 0). */
export function logSoftmax(x: Vector): Vector {
  assertVector('logSoftmax', 'x', x);
  const lse = logSumExp(x);
  return x.map((xj) => xj - lse);
}

function assertMaxoutParams(fn: string, x: Vector, W: Matrix[], b: Matrix): void {
  assertVector(fn, 'x', x);
  if (!Array.isArray(W) || W.length === 0) {
    throw new ArgumentError(fn, 'W', `must be a non-empty [m][k][d] array; got ${Array.isArray(W) ? 'length 0' : typeof W}`);
  }
  assertMatrix(fn, 'b', b, W.length);
  const k = b[0].length;
  W.forEach((Wi, i) => assertMatrix(fn, `W[${i}]`, Wi, k, x.length));
}

/** Index of the largest entry; ties go to the first (the piece that "wins" in the forward pass). */
function argmax(z: Vector): number {
  let best = 0;
  for (let j = 1; j < z.length; j++) if (z[j] > z[best]) best = j;
  return best;
}

function maxoutPieces(x: Vector, W: Matrix[], b: Matrix): Matrix {
  return W.map((Wi, i) => Wi.map((Wij, j) => Wij.reduce((s, w, d) => s + w * x[d], b[i][j])));
}

/** A10 — maxout h_i(x) = max_j z_ij, z_ij = xᵀW_ij + b_ij [Jung, "More Complex Activation Function"]. */
export function maxout(x: Vector, W: Matrix[], b: Matrix): Vector {
  assertMaxoutParams('maxout', x, W, b);
  return maxoutPieces(x, W, b).map((zi) => zi[argmax(zi)]);
}

/**
 * A10 — maxout backward: the gradient of unit i flows only through its winning piece j* = argmax_j z_ij:
 * ∂L/∂x = Σ_i dout_i W_ij*, ∂L/∂W_ij* = dout_i x, ∂L/∂b_ij* = dout_i; every other piece gets 0.
 */
export function maxoutBackward(
  dout: Vector,
  x: Vector,
  W: Matrix[],
  b: Matrix,
): { dx: Vector; dW: Matrix[]; db: Matrix } {
  assertMaxoutParams('maxoutBackward', x, W, b);
  assertVector('maxoutBackward', 'dout', dout, W.length);
  const dx = x.map(() => 0);
  const dW = W.map((Wi) => Wi.map((Wij) => Wij.map(() => 0)));
  const db = b.map((bi) => bi.map(() => 0));
  maxoutPieces(x, W, b).forEach((zi, i) => {
    const j = argmax(zi);
    db[i][j] = dout[i];
    for (let d = 0; d < x.length; d++) {
      dW[i][j][d] = dout[i] * x[d];
      dx[d] += dout[i] * W[i][j][d];
    }
  });
  return { dx, dW, db };
}

/**
 * A11 — the largest factor a sigmoid contributes to a backpropagated product is max σ' = σ'(0) = 0.25,
 * so `depth` sigmoid layers scale a gradient by at most σ'(0)^depth: 0.25^10 ≈ 9.54e−7
 * ("≈ 10^−6", [Training] "Vanishing/Exploding Gradient problems").
 */
export function sigmoidChainBound(depth: number): number {
  assertInteger('sigmoidChainBound', 'depth', depth, 0);
  return sigmoidGrad(0) ** depth;
}

/**
 * A12 — fraction of ReLU units that are inactive (a ≤ 0: output 0 and gradient 0) over a batch of
 * pre-activations a [N examples × units]. With a zero-mean symmetric weight initialisation each
 * pre-activation is ≤ 0 with probability ½, so about half of the units are inactive.
 */
export function reluInactiveFraction(a: Matrix): number {
  assertMatrix('reluInactiveFraction', 'a', a);
  let inactive = 0;
  for (const row of a) for (const v of row) if (v <= 0) inactive++;
  return inactive / (a.length * a[0].length);
}
