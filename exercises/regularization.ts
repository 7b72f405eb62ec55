/**
 * E. Regularisation — catalogue family E (E1–E6). Implement each function below.
 *
 * symbol  id         shape             meaning
 * n       —          number            number of training examples: losses.length = lossGrads rows
 * L_i     losses     [n]               per-example loss L(y^[i], ŷ^[i]), computed by the model
 * ∇L_i    lossGrads  [n × d]           row i is ∂L_i/∂w (rows = examples)
 * w       w          [d]               the weights being penalised (biases are not: the slide's Σ_j w_j²)
 * λ       lambda     number            regularisation strength, ≥ 0
 * a       a          [N × D]           activations of one layer, rows = examples
 * p       p          number            the KEEP probability of a unit, in (0, 1] (the notes' p)
 * m       mask       [N × D]           m_ij ∈ {0, 1}: unit kept iff u_ij < p
 * u       —          [N × D]           uniforms of createRandom(seed), drawn row by row (random.ts)
 * g       g          [d]               a gradient
 * c       c          number            clipping threshold / max norm, > 0
 * W       W          [units × inputs]  row j holds the incoming weights of unit j (Bishop's w_ji)
 * e       —          number            an epoch index, 0-based: valErrors[e] is epoch e's error
 *
 * Conventions the grader holds you to:
 * - n in λ/n is the number of examples (the rows of lossGrads), and both terms of the cost are
 *   divided by it: the data term is a MEAN, (1/n) Σ_i L_i;
 * - d/dw of (λ/n) w² is (2λ/n) w: the factor 2 stays (no ½ in front of λ here);
 * - the L1 subgradient at w_j = 0 is 0 (sign(0) = 0);
 * - p is the probability of KEEPING a unit. The mask comes from the provided random source:
 *   `const random = createRandom(seed)`, then `random.uniform()` once per unit, row by row
 *   (u_00, u_01, …, u_10, …), and the unit is kept iff u < p. Use exactly this order, one draw per
 *   unit, no other draws: the grader compares your mask with the one this contract gives;
 * - the notes' dropout rescales at TEST time (by p), inverted dropout at TRAIN time (by 1/p);
 * - a dropout forward returns { out, cache } with cache = { mask, p, mode }, mask = null at test
 *   time; the backward gets that cache back;
 * - never modify an argument in place: return new arrays.
 * Validate inputs where it helps you; the grader only passes valid ones.
 * Check your gradients with gradcheck.ts (S1–S4) before you submit.
 */
import { NotImplemented } from './not-implemented.ts';
// dropoutMask draws its uniforms with createRandom(seed).uniform() (see the conventions above)
import { createRandom } from './random.ts';
import type { Matrix, Vector } from './tensor.ts';

/** 'train' draws a mask; 'test' uses every unit. */
export type Mode = 'train' | 'test';

/** What a dropout backward pass needs: the mask drawn at train time (null at test time), p and the mode. */
export interface DropoutCache {
  mask: Matrix | null;
  p: number;
  mode: Mode;
}

export interface DropoutResult {
  out: Matrix;
  cache: DropoutCache;
}

/** The epoch with the lowest validation error so far, the epoch training stopped at, and whether patience ran out. */
export interface EarlyStop {
  bestEpoch: number;
  stopEpoch: number;
  stopped: boolean;
}

/**
 * E1 — L2-Regularized-Cost = (1/n) Σ_i L_i + (λ/n) Σ_j w_j² ([Training] "L1/L2 Regularization"),
 * n = losses.length.
 */
export function l2RegularizedCost(losses: Vector, w: Vector, lambda: number): number {
  throw new NotImplemented('E1 l2RegularizedCost');
}

/**
 * E1 — ∂Cost/∂w (a vector of length d): the mean of the per-example gradients (rows of
 * lossGrads, n = its number of rows) plus the derivative of the penalty (λ/n) Σ_j w_j².
 */
export function l2RegularizedCostGrad(lossGrads: Matrix, w: Vector, lambda: number): Vector {
  throw new NotImplemented('E1 l2RegularizedCostGrad');
}

/** E2 — L1-Regularized-Cost = (1/n) Σ_i L_i + (λ/n) Σ_j |w_j|, n = losses.length. */
export function l1RegularizedCost(losses: Vector, w: Vector, lambda: number): number {
  throw new NotImplemented('E2 l1RegularizedCost');
}

/** E2 — a subgradient of the L1-regularised cost with respect to w; take 0 for the penalty's part where w_j = 0. */
export function l1RegularizedCostGrad(lossGrads: Matrix, w: Vector, lambda: number): Vector {
  throw new NotImplemented('E2 l1RegularizedCostGrad');
}

/**
 * E3 — the rows × cols dropout mask for keep probability p: m_ij = 1 iff u_ij < p, the u_ij drawn
 * from createRandom(seed).uniform() row by row (see the conventions above), else 0.
 */
export function dropoutMask(rows: number, cols: number, p: number, seed: number): Matrix {
  throw new NotImplemented('E3 dropoutMask');
}

/**
 * E3 — dropout as the notes write it ([Tu] "Dropout"): mode 'train' keeps each unit with
 * probability p, out = a ⊙ m with m = dropoutMask(N, D, p, seed), and does NOT rescale; mode
 * 'test' uses every unit and scales it by p, out = p·a (seed is then ignored).
 * Returns { out, cache: { mask, p, mode } } (mask = null at test time).
 */
export function dropoutForward(a: Matrix, p: number, mode: Mode, seed: number): DropoutResult {
  throw new NotImplemented('E3 dropoutForward');
}

/** E3 — ∂L/∂a of the notes' dropout, given dout = ∂L/∂out and the forward's cache. */
export function dropoutBackward(dout: Matrix, cache: DropoutCache): Matrix {
  throw new NotImplemented('E3 dropoutBackward');
}

/**
 * E3 — inverted dropout (tf.dropout's form): mode 'train' gives out = a ⊙ m / p with the same
 * mask as dropoutForward; mode 'test' gives out = a. Returns { out, cache: { mask, p, mode } }.
 */
export function invertedDropoutForward(a: Matrix, p: number, mode: Mode, seed: number): DropoutResult {
  throw new NotImplemented('E3 invertedDropoutForward');
}

/** E3 — ∂L/∂a of inverted dropout, given dout = ∂L/∂out and the forward's cache. */
export function invertedDropoutBackward(dout: Matrix, cache: DropoutCache): Matrix {
  throw new NotImplemented('E3 invertedDropoutBackward');
}

/**
 * E4 — gradient clipping by norm: g·c/‖g‖₂ when ‖g‖₂ > c, otherwise g unchanged (Euclidean norm).
 * Exploding gradients are what this is for: ‖g‖₂ must not overflow for entries up to 1e300
 * (√Σg² does past 1e154: use Math.hypot, or divide by the largest |g_i| first).
 */
export function clipByNorm(g: Vector, c: number): Vector {
  throw new NotImplemented('E4 clipByNorm');
}

/** E4 — gradient clipping by value: every entry clamped to [−c, c]. */
export function clipByValue(g: Vector, c: number): Vector {
  throw new NotImplemented('E4 clipByValue');
}

/**
 * E5 — max-norm constraint: every ROW of W (the incoming weights of one unit) whose Euclidean norm
 * exceeds c is rescaled to norm c; the other rows are left as they are. A row's norm must not
 * overflow for entries up to 1e300 (as for clipByNorm).
 */
export function maxNorm(W: Matrix, c: number): Matrix {
  throw new NotImplemented('E5 maxNorm');
}

/**
 * E6 — early stopping with patience, epochs 0-based (valErrors[e] is the validation error after
 * epoch e). Epoch 0 is the first best. An epoch improves only if its error is STRICTLY below the
 * best so far (a tie is not an improvement). Training stops at the epoch where `patience` epochs
 * in a row have passed without improvement since the best one (stopEpoch = bestEpoch + patience,
 * stopped = true); if that never happens, stopEpoch is the last epoch and stopped = false.
 */
export function earlyStopping(valErrors: Vector, patience: number): EarlyStop {
  throw new NotImplemented('E6 earlyStopping');
}
