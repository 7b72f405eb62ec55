/**
 * B. Losses — catalogue family B (B1–B7).
 *
 * Decks (see README, "Decks"): [Tu] "Loss layer" (L1/L2, cross-entropy, hinge, Huber, MSE),
 * "Error function for linear function" and "Error propagation (3/3)" (E_n = ½Σ(y − t)², δ = y − t);
 * [Oh] "Output layer" (sigmoid + L2 loss L = (z − p)², ∂L/∂p = −2(z − p)) and
 * "1-layer Neural Net (Softmax classifier)" (−log p_y, ∂L/∂s = p − y);
 * [Training] "L2 Regularization for Logistic Regression in PyTorch" (binary_cross_entropy with
 * reduction='sum').
 *
 * The decks use three notations; each function keeps the one of the slide it comes from:
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
 * Losses are sums over the entries, as the notes write them (Σ_i …); only B2 (MSE) is a mean.
 * Every gradient is with respect to the prediction-side argument (ŷ, h, f, s or y in Bishop's
 * SSE), has the same length, and is chosen at kinks as stated in its comment.
 * The logits forms (B3 sigmoidCrossEntropy, B4 softmaxCrossEntropy, B7) stay finite and accurate
 * for |s| ≤ 1000.
 */
import { logSumExp, sigmoid, sigmoidGrad, softmax } from './activations.ts';
import { ArgumentError, assertNumber, assertSameLength, type Vector } from './tensor.ts';

/** Every entry of v lies in [lo, hi]; the message names the first one that does not. */
function assertEntriesIn(fn: string, arg: string, v: Vector, lo: number, hi: number, why: string): void {
  const i = v.findIndex((x) => x < lo || x > hi);
  if (i >= 0) throw new ArgumentError(fn, arg, `must have entries in [${lo}, ${hi}] (${why}); got ${arg}[${i}] = ${v[i]}`);
}

function assertProbabilities(fn: string, arg: string, v: Vector): void {
  assertEntriesIn(fn, arg, v, 0, 1, 'probabilities');
}

/**
 * Σ y = 1 up to 1e−6: a probability vector stored in float32 (as tfjs and most data sets do) sums
 * to 1 only within about n·6e−8; anything further off is not a distribution (logits, counts).
 */
const SUM_TO_ONE = 1e-6;

function assertDistribution(fn: string, arg: string, v: Vector): void {
  const i = v.findIndex((x) => x < 0);
  if (i >= 0) throw new ArgumentError(fn, arg, `must be a probability vector (entries ≥ 0); got ${arg}[${i}] = ${v[i]}`);
  const total = v.reduce((a, b) => a + b, 0);
  if (Math.abs(total - 1) > SUM_TO_ONE) throw new ArgumentError(fn, arg, `must be a probability vector (entries sum to 1); got sum ${total}`);
}

function assertSigns(fn: string, arg: string, v: Vector): void {
  const i = v.findIndex((x) => x !== 1 && x !== -1);
  if (i >= 0) {
    throw new ArgumentError(fn, arg, `must contain labels −1 or +1 (for 0/1 labels use 2y − 1); got ${arg}[${i}] = ${v[i]}`);
  }
}

/** The Huber threshold δ: a finite number > 0. */
function assertPositive(fn: string, delta: number): void {
  assertNumber(fn, 'delta', delta);
  if (!(delta > 0)) throw new ArgumentError(fn, 'delta', `must be > 0; got ${delta}`);
}

const sum = (v: Vector): number => v.reduce((a, b) => a + b, 0);

// ---------------------------------------------------------------------------------------------
// B1 — L1, L2 and Bishop's sum-of-squares error

/** B1 — L1 loss Σ_i |y_i − ŷ_i| ([Tu] "Loss layer": "L1, L2 loss"). */
export function l1Loss(y: Vector, yHat: Vector): number {
  assertSameLength('l1Loss', 'y', y, 'yHat', yHat);
  return sum(y.map((yi, i) => Math.abs(yi - yHat[i])));
}

/**
 * B1 — ∂/∂ŷ_i Σ|y − ŷ| = sign(ŷ_i − y_i). At a tie ŷ_i = y_i, where |·| has a kink, we take the
 * subgradient 0 (the middle of [−1, 1], as relu'(0) = 0 in A3; tfjs's abs takes −1 there, which
 * makes tf.grad of absoluteDifference give +1 w.r.t. the prediction).
 */
export function l1LossGrad(y: Vector, yHat: Vector): Vector {
  assertSameLength('l1LossGrad', 'y', y, 'yHat', yHat);
  return yHat.map((h, i) => (h > y[i] ? 1 : h < y[i] ? -1 : 0));
}

/** B1 — L2 loss Σ_i (y_i − ŷ_i)², the squared error without ½ or 1/N ([Tu] "Loss layer"; [Oh] `np.square(y_pred - y).sum()`). */
export function l2Loss(y: Vector, yHat: Vector): number {
  assertSameLength('l2Loss', 'y', y, 'yHat', yHat);
  return sum(y.map((yi, i) => (yi - yHat[i]) ** 2));
}

/** B1 — ∂/∂ŷ_i Σ(y − ŷ)² = 2(ŷ_i − y_i) ([Oh]: `grad_y_pred = 2.0 * (y_pred - y)`). */
export function l2LossGrad(y: Vector, yHat: Vector): Vector {
  assertSameLength('l2LossGrad', 'y', y, 'yHat', yHat);
  return yHat.map((h, i) => 2 * (h - y[i]));
}

/**
 * B1 — Bishop's sum-of-squares error E_n = ½ Σ_j (y_j − t_j)², y the network output and t the
 * target ([Tu] "Error function for linear function"). Note the argument order: output first.
 */
export function sseLoss(y: Vector, t: Vector): number {
  assertSameLength('sseLoss', 'y', y, 't', t);
  return 0.5 * sum(y.map((yj, j) => (yj - t[j]) ** 2));
}

/** B1 — ∂E_n/∂y_j = y_j − t_j: the ½ cancels the 2 ([Tu] "Error propagation (3/3)": δ_k = y_k − t_k for linear outputs). */
export function sseLossGrad(y: Vector, t: Vector): Vector {
  assertSameLength('sseLossGrad', 'y', y, 't', t);
  return y.map((yj, j) => yj - t[j]);
}

// ---------------------------------------------------------------------------------------------
// B2 — mean squared error

/** B2 — MSE J = (1/N) Σ_i (y_i − h_i)², y the labels, h = h_θ(x_i) the predictions ([Tu] "Loss layer"). */
export function mse(y: Vector, h: Vector): number {
  assertSameLength('mse', 'y', y, 'h', h);
  return sum(y.map((yi, i) => (yi - h[i]) ** 2)) / y.length;
}

/** B2 — ∂J/∂h_i = (2/N)(h_i − y_i). */
export function mseGrad(y: Vector, h: Vector): Vector {
  assertSameLength('mseGrad', 'y', y, 'h', h);
  return h.map((hi, i) => (2 / y.length) * (hi - y[i]));
}

// ---------------------------------------------------------------------------------------------
// B3 — binary cross-entropy, from probabilities and from logits

/**
 * B3 — J = −Σ_i [y_i log h_i + (1 − y_i) log(1 − h_i)], labels y_i ∈ [0, 1] (0/1, or soft) and
 * probabilities h_i = h_θ(x_i) ∈ [0, 1] ([Tu] "Loss layer"; [Training]: binary_cross_entropy,
 * reduction='sum').
 *
 * Conventions: 0·log 0 = 0 (the limit), so a term whose coefficient is 0 is dropped and
 * BCE(y = 1, h = 1) = BCE(y = 0, h = 0) = 0. Where the prediction is at the wrong end
 * (h_i = 0 with y_i > 0, or h_i = 1 with y_i < 1) the true value is +∞ and Infinity is returned,
 * never NaN. log(1 − h) is evaluated as log1p(−h), which keeps its digits for small h.
 */
export function binaryCrossEntropy(y: Vector, h: Vector): number {
  assertSameLength('binaryCrossEntropy', 'y', y, 'h', h);
  assertProbabilities('binaryCrossEntropy', 'y', y);
  assertProbabilities('binaryCrossEntropy', 'h', h);
  let total = 0;
  for (let i = 0; i < y.length; i++) {
    if (y[i] > 0) total -= y[i] * Math.log(h[i]);
    if (y[i] < 1) total -= (1 - y[i]) * Math.log1p(-h[i]);
  }
  return total;
}

/**
 * B3 — ∂J/∂h_i = −y_i/h_i + (1 − y_i)/(1 − h_i) = (h_i − y_i) / (h_i(1 − h_i)).
 * At the ends the 0·log 0 convention drops a term: h_i = 0 gives 1 if y_i = 0 (else −∞), and
 * h_i = 1 gives −1 if y_i = 1 (else +∞).
 */
export function binaryCrossEntropyGrad(y: Vector, h: Vector): Vector {
  assertSameLength('binaryCrossEntropyGrad', 'y', y, 'h', h);
  assertProbabilities('binaryCrossEntropyGrad', 'y', y);
  assertProbabilities('binaryCrossEntropyGrad', 'h', h);
  return h.map((hi, i) => {
    if (hi === 0) return y[i] === 0 ? 1 : -Infinity;
    if (hi === 1) return y[i] === 1 ? -1 : Infinity;
    return (hi - y[i]) / (hi * (1 - hi));
  });
}

/**
 * B3 — binary cross-entropy of h = σ(s) computed from the logits s:
 *   −[y log σ(s) + (1 − y) log(1 − σ(s))] = log(1 + e^s) − y·s = max(s, 0) − s·y + log(1 + e^−|s|),
 * summed over i. (log σ(s) = −softplus(−s) and log(1 − σ(s)) = −softplus(s), A7.) The last form
 * never exponentiates a positive number and never takes log of a σ that rounded to 0 or 1, so it
 * is finite and accurate for |s| ≤ 1000 — it is what tf.losses.sigmoidCrossEntropy computes.
 */
export function sigmoidCrossEntropy(y: Vector, s: Vector): number {
  assertSameLength('sigmoidCrossEntropy', 'y', y, 's', s);
  assertProbabilities('sigmoidCrossEntropy', 'y', y);
  return sum(s.map((si, i) => Math.max(si, 0) - si * y[i] + Math.log1p(Math.exp(-Math.abs(si)))));
}

/**
 * B3 — ∂/∂s_i = σ(s_i) − y_i (the sigmoid's σ(1 − σ) cancels the cross-entropy's 1/(h(1 − h)), C3).
 * For s_i > 0 it is evaluated as (1 − y_i) − σ(−s_i), the same number: σ(s) rounds to 1 past
 * s ≈ 37, and σ(s) − 1 would then be 0 instead of −σ(−s).
 */
export function sigmoidCrossEntropyGrad(y: Vector, s: Vector): Vector {
  assertSameLength('sigmoidCrossEntropyGrad', 'y', y, 's', s);
  assertProbabilities('sigmoidCrossEntropyGrad', 'y', y);
  return s.map((si, i) => (si > 0 ? 1 - y[i] - sigmoid(-si) : sigmoid(si) - y[i]));
}

// ---------------------------------------------------------------------------------------------
// B4 — softmax cross-entropy

/**
 * B4 — L = −Σ_c y_c log p_c with p = softmax(s), y a probability vector over the C classes
 * (one-hot: L = −log p_y, [Oh] "1-layer Neural Net (Softmax classifier)"; soft labels allowed).
 * log p_c = s_c − logΣ_k e^{s_k} (A9), so L = Σ_c y_c (logΣe^s − s_c): every term is ≥ 0 and
 * nothing overflows or takes log 0 for |s| ≤ 1000.
 */
export function softmaxCrossEntropy(y: Vector, s: Vector): number {
  assertSameLength('softmaxCrossEntropy', 'y', y, 's', s);
  assertDistribution('softmaxCrossEntropy', 'y', y);
  const lse = logSumExp(s);
  return sum(s.map((sc, c) => y[c] * (lse - sc)));
}

/** B4 — ∂L/∂s = p − y ([Oh] "Summary": D·∂L/∂p with D_ab = p_a(δ_ab − p_b) and Σ_c y_c = 1). */
export function softmaxCrossEntropyGrad(y: Vector, s: Vector): Vector {
  assertSameLength('softmaxCrossEntropyGrad', 'y', y, 's', s);
  assertDistribution('softmaxCrossEntropyGrad', 'y', y);
  const p = softmax(s);
  return p.map((pc, c) => pc - y[c]);
}

// ---------------------------------------------------------------------------------------------
// B5 — hinge

/** B5 — Σ_i max(0, 1 − y_i·h_i), labels y_i ∈ {−1, +1}, scores h_i ([Tu] "Loss layer"). 0/1 labels are an error. */
export function hingeLoss(y: Vector, h: Vector): number {
  assertSameLength('hingeLoss', 'y', y, 'h', h);
  assertSigns('hingeLoss', 'y', y);
  return sum(y.map((yi, i) => Math.max(0, 1 - yi * h[i])));
}

/**
 * B5 — ∂/∂h_i = −y_i where the margin is violated (y_i·h_i < 1), else 0. At the kink y_i·h_i = 1
 * we take 0, the one-sided derivative from the satisfied side (as relu'(0) = 0; tfjs agrees).
 */
export function hingeLossGrad(y: Vector, h: Vector): Vector {
  assertSameLength('hingeLossGrad', 'y', y, 'h', h);
  assertSigns('hingeLossGrad', 'y', y);
  return h.map((hi, i) => (y[i] * hi < 1 ? -y[i] : 0));
}

// ---------------------------------------------------------------------------------------------
// B6 — Huber

/**
 * B6 — Σ_i L_δ(y_i, f_i) with L_δ = ½(y − f)² for |y − f| ≤ δ, else δ|y − f| − ½δ²
 * ([Tu] "Loss layer"). The two branches meet with equal value ½δ² and slope δ at |y − f| = δ.
 */
export function huberLoss(y: Vector, f: Vector, delta: number): number {
  assertSameLength('huberLoss', 'y', y, 'f', f);
  assertPositive('huberLoss', delta);
  return sum(y.map((yi, i) => {
    const r = Math.abs(yi - f[i]);
    return r <= delta ? 0.5 * r * r : delta * r - 0.5 * delta * delta;
  }));
}

/** B6 — ∂/∂f_i = (f_i − y_i) for |f_i − y_i| ≤ δ, else δ·sign(f_i − y_i): the residual clipped to [−δ, δ] (continuous, no kink choice). */
export function huberLossGrad(y: Vector, f: Vector, delta: number): Vector {
  assertSameLength('huberLossGrad', 'y', y, 'f', f);
  assertPositive('huberLossGrad', delta);
  return f.map((fi, i) => Math.min(delta, Math.max(-delta, fi - y[i])));
}

// ---------------------------------------------------------------------------------------------
// B7 — the EBU7240 output layer: sigmoid followed by an L2 loss

/** B7 — L = Σ_j (z_j − p_j)², p = σ(s), z the ground truth ([Oh] "Output layer": 3. Loss L = (z − p)²). */
export function sigmoidL2Loss(z: Vector, s: Vector): number {
  assertSameLength('sigmoidL2Loss', 'z', z, 's', s);
  return sum(s.map((sj, j) => (z[j] - sigmoid(sj)) ** 2));
}

/**
 * B7 — ∂L/∂p = −2(z − p) and ∂L/∂s = (1 − σ(s)) ⊙ σ(s) ⊙ ∂L/∂p ([Oh] "Summary").
 * σ(s)(1 − σ(s)) is taken as σ'(s) = σ(s)σ(−s) (A1), which is the same number without the
 * cancellation of 1 − σ(s) when σ(s) ≈ 1.
 */
export function sigmoidL2LossGrad(z: Vector, s: Vector): { dp: Vector; ds: Vector } {
  assertSameLength('sigmoidL2LossGrad', 'z', z, 's', s);
  const dp = s.map((sj, j) => -2 * (z[j] - sigmoid(sj)));
  const ds = dp.map((g, j) => sigmoidGrad(s[j]) * g);
  return { dp, ds };
}
