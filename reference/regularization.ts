/**
 * E. Regularisation — catalogue family E (E1–E6).
 *
 * Decks (see README, "Decks"): [Training] "Regularization" (early stopping, L1/L2 norm
 * penalties, dropout), "L1/L2 Regularization", "Early Stopping", "Dropout in a Nutshell: Dropping
 * Nodes", "Solutions to the vanishing/exploding gradient problems" (gradient clipping);
 * [Tu] "Regularization" (L1 / L2, dropout, batch norm, gradient clipping, max norm constraint)
 * and "Dropout" ("During training, randomly ignore activations by probability p. During testing,
 * use all activations but scale them by p").
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
 * The per-example losses and their gradients are data, not functions: the model that produced
 * them is the caller's business (C, B), and E adds the penalty with the slide's 1/n.
 * Dropout comes in the notes' form (train: a ⊙ m; test: p·a) and the inverted variant
 * (train: a ⊙ m / p; test: a), side by side; both keep the expectation: E[train output] =
 * test output. Every function is pure: inputs are never modified.
 */
import { createRandom, uniformMatrix } from './random.ts';
import { ArgumentError, assertInteger, assertMatrix, assertNumber, assertVector, type Matrix, type Vector } from './tensor.ts';

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

const sum = (v: Vector): number => v.reduce((s, x) => s + x, 0);
/** ‖v‖₂ without overflow or underflow of the squares (Math.hypot scales internally): clipping is for exploding gradients. */
const norm = (v: Vector): number => Math.hypot(...v);

function assertLambda(fn: string, lambda: unknown): asserts lambda is number {
  assertNumber(fn, 'lambda', lambda);
  if (lambda < 0) throw new ArgumentError(fn, 'lambda', `must be ≥ 0; got ${lambda}`);
}

function assertPositive(fn: string, arg: string, x: unknown): asserts x is number {
  assertNumber(fn, arg, x);
  if (!(x > 0)) throw new ArgumentError(fn, arg, `must be > 0; got ${x}`);
}

/** The keep probability p ∈ (0, 1]: p = 0 would drop every unit (and divide by 0 in inverted dropout). */
function assertKeep(fn: string, p: unknown): asserts p is number {
  assertNumber(fn, 'p', p);
  if (!(p > 0 && p <= 1)) throw new ArgumentError(fn, 'p', `must be a keep probability in (0, 1]; got ${p}`);
}

function assertMode(fn: string, mode: unknown): asserts mode is Mode {
  if (mode !== 'train' && mode !== 'test') throw new ArgumentError(fn, 'mode', `must be 'train' or 'test'; got ${JSON.stringify(mode)}`);
}

function assertSeed(fn: string, seed: unknown): asserts seed is number {
  assertInteger(fn, 'seed', seed, -(2 ** 31));
  if (seed >= 2 ** 31) throw new ArgumentError(fn, 'seed', `must be below 2^31; got ${seed}`);
}

/** The per-example gradients: an n × d matrix whose width is the number of weights. */
function assertLossGrads(fn: string, lossGrads: unknown, w: Vector): asserts lossGrads is Matrix {
  assertMatrix(fn, 'lossGrads', lossGrads);
  if (lossGrads[0].length !== w.length) {
    throw new ArgumentError(fn, 'lossGrads', `must have one column per weight (${w.length}, the length of 'w'); got ${lossGrads[0].length}`);
  }
}

/** (1/n) Σ_i ∇L_i, column by column: the gradient of the data term. */
function meanRow(rows: Matrix): Vector {
  return rows[0].map((_, j) => sum(rows.map((r) => r[j])) / rows.length);
}

// ---------------------------------------------------------------------------------------------
// E1 — L2-regularised cost

/**
 * E1 — L2-Regularized-Cost = (1/n) Σ_i L_i + (λ/n) Σ_j w_j²  ([Training] "L1/L2 Regularization").
 * n is the number of examples (losses.length): the penalty is divided by n too, so duplicating
 * every example while doubling λ leaves the cost unchanged.
 */
export function l2RegularizedCost(losses: Vector, w: Vector, lambda: number): number {
  const fn = 'l2RegularizedCost';
  assertVector(fn, 'losses', losses);
  assertVector(fn, 'w', w);
  assertLambda(fn, lambda);
  const n = losses.length;
  return sum(losses) / n + (lambda / n) * sum(w.map((x) => x * x));
}

/** E1 — ∂Cost/∂w = (1/n) Σ_i ∇L_i + (2λ/n) w: d/dw_j (λ/n) w_j² = (2λ/n) w_j, the factor 2 stays. */
export function l2RegularizedCostGrad(lossGrads: Matrix, w: Vector, lambda: number): Vector {
  const fn = 'l2RegularizedCostGrad';
  assertVector(fn, 'w', w);
  assertLossGrads(fn, lossGrads, w);
  assertLambda(fn, lambda);
  const n = lossGrads.length;
  return meanRow(lossGrads).map((gj, j) => gj + ((2 * lambda) / n) * w[j]);
}

// ---------------------------------------------------------------------------------------------
// E2 — L1-regularised cost

/** E2 — L1-Regularized-Cost = (1/n) Σ_i L_i + (λ/n) Σ_j |w_j|  ([Training] "L1/L2 Regularization"). */
export function l1RegularizedCost(losses: Vector, w: Vector, lambda: number): number {
  const fn = 'l1RegularizedCost';
  assertVector(fn, 'losses', losses);
  assertVector(fn, 'w', w);
  assertLambda(fn, lambda);
  const n = losses.length;
  return sum(losses) / n + (lambda / n) * sum(w.map(Math.abs));
}

/**
 * E2 — a subgradient (1/n) Σ_i ∇L_i + (λ/n) sign(w). |w_j| has a kink at w_j = 0, where any value
 * in [−λ/n, λ/n] is a subgradient; we take sign(0) = 0, the middle (as relu'(0) = 0 in A3 and
 * l1LossGrad in B1; tfjs's abs takes −1 there).
 */
export function l1RegularizedCostGrad(lossGrads: Matrix, w: Vector, lambda: number): Vector {
  const fn = 'l1RegularizedCostGrad';
  assertVector(fn, 'w', w);
  assertLossGrads(fn, lossGrads, w);
  assertLambda(fn, lambda);
  const n = lossGrads.length;
  return meanRow(lossGrads).map((gj, j) => gj + (lambda / n) * (w[j] > 0 ? 1 : w[j] < 0 ? -1 : 0));
}

// ---------------------------------------------------------------------------------------------
// E3 — dropout

/**
 * E3 — the dropout mask: m_ij = 1 (kept) iff u_ij < p, where u_ij are the uniforms of
 * createRandom(seed), drawn row by row (u_00, u_01, …, u_10, …; random.ts). Each unit is kept
 * with probability p, independently. The same seed gives the same mask in every implementation
 * that follows this contract.
 */
export function dropoutMask(rows: number, cols: number, p: number, seed: number): Matrix {
  const fn = 'dropoutMask';
  assertInteger(fn, 'rows', rows, 1);
  assertInteger(fn, 'cols', cols, 1);
  assertKeep(fn, p);
  assertSeed(fn, seed);
  return uniformMatrix(createRandom(seed), rows, cols, 0, 1).map((row) => row.map((u) => (u < p ? 1 : 0)));
}

function checkDropoutArgs(fn: string, a: unknown, p: unknown, mode: unknown, seed: unknown): asserts a is Matrix {
  assertMatrix(fn, 'a', a);
  assertKeep(fn, p);
  assertMode(fn, mode);
  if (mode === 'train') assertSeed(fn, seed);
}

/**
 * E3 — dropout as the notes write it ([Tu] "Dropout"): at train time each unit is kept with
 * probability p, out = a ⊙ m (no rescaling); at test time every unit is used and scaled by p,
 * out = p·a. E[a_ij m_ij] = p·a_ij, so the test output is the expected train output. `seed` is
 * ignored at test time.
 */
export function dropoutForward(a: Matrix, p: number, mode: Mode, seed: number): DropoutResult {
  checkDropoutArgs('dropoutForward', a, p, mode, seed);
  if (mode === 'test') return { out: a.map((row) => row.map((x) => p * x)), cache: { mask: null, p, mode } };
  const mask = dropoutMask(a.length, a[0].length, p, seed);
  return { out: a.map((row, i) => row.map((x, j) => x * mask[i][j])), cache: { mask, p, mode } };
}

/**
 * E3 — inverted dropout, the variant frameworks use (tf.dropout, rate = 1 − p): at train time
 * out = a ⊙ m / p, so that E[out] = a already; at test time out = a (nothing to do).
 */
export function invertedDropoutForward(a: Matrix, p: number, mode: Mode, seed: number): DropoutResult {
  checkDropoutArgs('invertedDropoutForward', a, p, mode, seed);
  if (mode === 'test') return { out: a.map((row) => row.slice()), cache: { mask: null, p, mode } };
  const mask = dropoutMask(a.length, a[0].length, p, seed);
  return { out: a.map((row, i) => row.map((x, j) => (x * mask[i][j]) / p)), cache: { mask, p, mode } };
}

/** The cache of a dropout forward pass, checked against dout's shape. */
function checkCache(fn: string, dout: unknown, cache: unknown): asserts dout is Matrix {
  assertMatrix(fn, 'dout', dout);
  if (cache === null || typeof cache !== 'object') throw new ArgumentError(fn, 'cache', 'must be the cache returned by the forward pass ({ mask, p, mode })');
  const { mask, p, mode } = cache as Record<string, unknown>;
  assertKeep(fn, p);
  assertMode(fn, mode);
  if (mode === 'test') return;
  assertMatrix(fn, 'cache.mask', mask, dout.length, dout[0].length);
  if (mask.some((row) => row.some((v) => v !== 0 && v !== 1))) throw new ArgumentError(fn, 'cache.mask', 'must contain only 0 and 1');
}

/** E3 — backward of the notes' dropout: ∂L/∂a = dout ⊙ m at train time, p·dout at test time (the forward is linear in a). */
export function dropoutBackward(dout: Matrix, cache: DropoutCache): Matrix {
  checkCache('dropoutBackward', dout, cache);
  const { mask, p } = cache;
  return mask === null || cache.mode === 'test' ? dout.map((row) => row.map((g) => p * g)) : dout.map((row, i) => row.map((g, j) => g * mask[i][j]));
}

/** E3 — backward of inverted dropout: ∂L/∂a = dout ⊙ m / p at train time, dout at test time. */
export function invertedDropoutBackward(dout: Matrix, cache: DropoutCache): Matrix {
  checkCache('invertedDropoutBackward', dout, cache);
  const { mask, p } = cache;
  return mask === null || cache.mode === 'test' ? dout.map((row) => row.slice()) : dout.map((row, i) => row.map((g, j) => (g * mask[i][j]) / p));
}

// ---------------------------------------------------------------------------------------------
// E4 — gradient clipping

/**
 * E4 — clipping by norm ([Training] "Solutions to the vanishing/exploding gradient problems";
 * [Tu] "Regularization"): g ← g · c/‖g‖₂ when ‖g‖₂ > c, else g unchanged. The direction is kept
 * and the norm becomes min(‖g‖₂, c).
 */
export function clipByNorm(g: Vector, c: number): Vector {
  assertVector('clipByNorm', 'g', g);
  assertPositive('clipByNorm', 'c', c);
  const size = norm(g);
  return size > c ? g.map((x) => (x * c) / size) : g.slice();
}

/** E4 — clipping by value: every entry clamped to [−c, c] (tf.clipByValue(g, −c, c)); the direction may change. */
export function clipByValue(g: Vector, c: number): Vector {
  assertVector('clipByValue', 'g', g);
  assertPositive('clipByValue', 'c', c);
  return g.map((x) => Math.min(c, Math.max(-c, x)));
}

// ---------------------------------------------------------------------------------------------
// E5 — max-norm constraint

/**
 * E5 — max-norm constraint ([Tu] "Regularization": "Max norm constraint"): the incoming weight
 * vector of every unit (row j of W) is renormalised to norm c when ‖w_j‖₂ > c, and left as it is
 * otherwise. Applied after each update step.
 */
export function maxNorm(W: Matrix, c: number): Matrix {
  assertMatrix('maxNorm', 'W', W);
  assertPositive('maxNorm', 'c', c);
  return W.map((row) => {
    const size = norm(row);
    return size > c ? row.map((x) => (x * c) / size) : row.slice();
  });
}

// ---------------------------------------------------------------------------------------------
// E6 — early stopping

/**
 * E6 — early stopping with patience ([Training] "Early Stopping"), the rule of Keras and
 * tf.callbacks.earlyStopping (minDelta = 0, mode 'min'):
 * - epoch 0 is the first best; at each later epoch e, valErrors[e] improves only if it is
 *   strictly below the best so far (a tie is not an improvement, so the best epoch is the first
 *   epoch reaching the minimum);
 * - every epoch without improvement adds 1 to a counter, an improvement resets it to 0;
 * - training stops at the epoch where the counter reaches `patience`, i.e. `patience` epochs
 *   after the last improvement: stopEpoch = bestEpoch + patience, stopped = true;
 * - if that never happens, training runs to the last epoch: stopEpoch = n − 1, stopped = false.
 * bestEpoch is the epoch whose weights early stopping keeps.
 */
export function earlyStopping(valErrors: Vector, patience: number): EarlyStop {
  assertVector('earlyStopping', 'valErrors', valErrors);
  assertInteger('earlyStopping', 'patience', patience, 1);
  let bestEpoch = 0;
  for (let e = 1; e < valErrors.length; e++) {
    if (valErrors[e] < valErrors[bestEpoch]) bestEpoch = e;
    else if (e - bestEpoch === patience) return { bestEpoch, stopEpoch: e, stopped: true };
  }
  return { bestEpoch, stopEpoch: valErrors.length - 1, stopped: false };
}
