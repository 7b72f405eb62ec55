/**
 * F. Normalisation — catalogue family F (F1–F5). Implement each function below.
 *
 * symbol       id           shape       meaning
 * x_i          x            [m, D]      mini-batch: m examples (rows) × D features (columns)
 * μ_B          mu           [D]         mini-batch mean per feature
 * σ²_B         variance     [D]         mini-batch variance per feature, (1/m) Σ (x_i − μ_B)²
 * ε            eps          number      > 0
 * x̂_i          xHat         [m, D]      (x_i − μ_B) / √(σ²_B + ε)
 * γ, β         gamma, beta  [D] / [C]   learned scale and shift
 * dout         dout         like out    upstream gradient ∂L/∂y
 * a            a            [N, H, W]   LRN input: N channels of H×W
 * k, n, α, β   k, n, alpha, beta        LRN hyper-parameters (this β is an exponent)
 * G            groups       integer     group norm: number of channel groups, dividing C
 *
 * Conventions the grader holds you to:
 * - every function returns new values and leaves its arguments unchanged: a call that writes into
 *   one fails its check (even when it puts the value back by arithmetic: x + h − h is not always x);
 * - rows are examples: batch statistics are taken down each column (over the m examples);
 * - every variance is the biased one, 1/m (1/M for a group), as in Algorithm 1 — not 1/(m − 1) —
 *   and is computed as Algorithm 1 writes it, (1/m) Σ (x − μ)² once μ is known: the one-pass
 *   E[x²] − μ² cancels catastrophically when the values sit far from 0 (1e8 + 1, 1e8 + 3 …);
 * - ε goes inside the square root: √(σ² + ε), not √σ² + ε;
 * - running averages: running ← momentum·running + (1 − momentum)·batch, with the biased σ²_B
 *   (tfjs-layers' convention; momentum 0.99 there);
 * - a forward pass returns its cache with exactly the fields of the cache type below (the
 *   grader also calls your backward with caches it built to that contract);
 * - validate inputs where it helps you; the grader passes valid ones, except an even window n
 *   to localResponseNorm, which must throw an Error naming the function (e.g. tensor.ts's
 *   new ArgumentError('localResponseNorm', 'n', '…')): a crash is not a check and earns nothing.
 * Check your backward passes with gradcheck.ts (S1–S4) before you submit.
 */
import { NotImplemented } from './not-implemented.ts';
import type { Image, Matrix, Vector } from './tensor.ts';

/** Running (moving) averages of the batch statistics, used in test mode. */
export interface RunningStats {
  mean: Vector;
  variance: Vector;
}

export interface BatchNormOptions {
  /** 'train': normalise with the batch statistics and update the running ones; 'test': use the running ones */
  mode: 'train' | 'test';
  eps: number;
  /** weight of the old running average: running ← momentum·running + (1 − momentum)·batch */
  momentum: number;
}

/**
 * The cache of batchNormForward:
 * x the input, xHat the normalised input, mu and variance the statistics x was normalised with
 * (the batch's μ_B and biased σ²_B in 'train', the running averages in 'test'), gamma, eps, mode.
 */
export interface BatchNormCache {
  x: Matrix;
  xHat: Matrix;
  mu: Vector;
  variance: Vector;
  gamma: Vector;
  eps: number;
  mode: 'train' | 'test';
}

/** The cache of groupNormForward: mu and variance have one entry per group (biased variance). */
export interface GroupNormCache {
  x: Image;
  xHat: Image;
  mu: Vector;
  variance: Vector;
  gamma: Vector;
  groups: number;
  eps: number;
}

/**
 * F1 — batch norm forward (Algorithm 1), per feature j over the m rows:
 *   μ_B = (1/m) Σ x_i,  σ²_B = (1/m) Σ (x_i − μ_B)²,  x̂_i = (x_i − μ_B)/√(σ²_B + ε),  y_i = γ x̂_i + β.
 * options.mode 'train': use μ_B, σ²_B and return running = { mean: momentum·running.mean +
 * (1 − momentum)·μ_B, variance: momentum·running.variance + (1 − momentum)·σ²_B }.
 * options.mode 'test': use running.mean and running.variance instead, and return them unchanged.
 */
export function batchNormForward(
  x: Matrix,
  gamma: Vector,
  beta: Vector,
  running: RunningStats,
  options: BatchNormOptions,
): { out: Matrix; cache: BatchNormCache; running: RunningStats } {
  throw new NotImplemented('F1 batchNormForward');
}

/**
 * F2 — batch norm backward: ∂L/∂x, ∂L/∂γ, ∂L/∂β from dout = ∂L/∂y [m × D] and the forward cache.
 * In 'train' mode μ_B and σ²_B depend on every x_i: differentiate through them too (the three
 * paths x̂, σ², μ of Algorithm 1). In 'test' mode the running statistics are constants.
 */
export function batchNormBackward(dout: Matrix, cache: BatchNormCache): { dx: Matrix; dgamma: Vector; dbeta: Vector } {
  throw new NotImplemented('F2 batchNormBackward');
}

/**
 * F3 — input standardisation per feature (column): out_ij = (x_ij − μ_j)/σ_j with the biased
 * σ_j = √((1/m) Σ_i (x_ij − μ_j)²) (two passes: μ first); also return mean = μ and std = σ.
 * A feature whose values are all equal has σ_j = 0: return std_j = 0 and out_ij = 0 for it
 * (decide that from the values, not from σ_j: the mean of equal values can round).
 */
export function standardize(x: Matrix): { out: Matrix; mean: Vector; std: Vector } {
  throw new NotImplemented('F3 standardize');
}

/**
 * F4 — local response normalisation across the N channels of a [N × H × W], at every position:
 *   b^i = a^i / (k + α Σ_{j=max(0, i−n/2)}^{min(N−1, i+n/2)} (a^j)²)^β,  n/2 read as (n − 1)/2.
 * α is not divided by n. n must be odd: throw an Error for an even n.
 */
export function localResponseNorm(a: Image, n: number, k: number, alpha: number, beta: number): Image {
  throw new NotImplemented('F4 localResponseNorm');
}

/**
 * F5 — group norm of one example x [C × H × W]: groups of C/G consecutive channels
 * (group g = channels g·C/G … (g+1)·C/G − 1), each normalised over all its (C/G)·H·W values
 * with its own mean and biased variance, ε inside the root; then y_c = γ_c x̂_c + β_c per channel.
 */
export function groupNormForward(x: Image, gamma: Vector, beta: Vector, groups: number, eps: number): { out: Image; cache: GroupNormCache } {
  throw new NotImplemented('F5 groupNormForward');
}

/** F5 — group norm backward: ∂L/∂x, ∂L/∂γ, ∂L/∂β (each [C]) from dout [C × H × W] and the cache. */
export function groupNormBackward(dout: Image, cache: GroupNormCache): { dx: Image; dgamma: Vector; dbeta: Vector } {
  throw new NotImplemented('F5 groupNormBackward');
}
