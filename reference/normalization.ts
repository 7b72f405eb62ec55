/**
 * F. Normalisation — catalogue family F (F1–F5).
 *
 * Decks (see README, "Decks"): [Tu] "Batch Normalization" (Algorithm 1: Batch Normalizing
 * Transform) and "Group Normalization"; [Jung] "Inception-v2" (the same Algorithm 1) and
 * "Alex Net" (local response normalisation); [Training] "Features Normalization",
 * "BatchNorm Step 1: Normalize Net Inputs" and "BatchNorm Step 2: Pre-Activation Scaling".
 *
 * symbol       id           shape       meaning
 * x_i          x            [m, D]      mini-batch B: m examples (rows) × D features (columns)
 * μ_B          mu           [D]         mini-batch mean per feature, (1/m) Σ_i x_i
 * σ²_B         variance     [D]         mini-batch variance per feature, (1/m) Σ_i (x_i − μ_B)²: biased
 * ε            eps          number      > 0, added to σ² inside the square root
 * x̂_i          xHat         [m, D]      (x_i − μ_B) / √(σ²_B + ε)
 * γ, β         gamma, beta  [D] / [C]   learned scale and shift (per feature, or per channel in F5)
 * y_i          out          [m, D]      γ x̂_i + β = BN_γ,β(x_i)
 * dout         dout         like out    upstream gradient ∂L/∂y
 * a^i_{x,y}    a            [N, H, W]   LRN: activity of kernel (channel) i at position (x, y)
 * b^i_{x,y}    out          [N, H, W]   LRN: the response-normalised activity
 * k, n, α, β   k, n, alpha, beta        LRN hyper-parameters (this β is an exponent, not the shift)
 * G            groups       integer     F5: number of channel groups; G divides C
 *
 * Images are C×H×W (design.md, "Data"); F4 and F5 take one image (one example): a batch is a
 * map over its examples, because neither LRN nor group norm mixes examples.
 */
import { ArgumentError, assertImage, assertInRange, assertInteger, assertMatrix, assertNumber, assertVector, type Image, type Matrix, type Vector } from './tensor.ts';

/** Running (moving) averages of the batch statistics, used in test mode. */
export interface RunningStats {
  mean: Vector;
  variance: Vector;
}

export interface BatchNormOptions {
  /** 'train': normalise with the batch statistics and update the running ones; 'test': use the running ones */
  mode: 'train' | 'test';
  eps: number;
  /** weight of the old running average: running ← momentum·running + (1 − momentum)·batch (tfjs-layers: 0.99) */
  momentum: number;
}

/** What batchNormBackward needs: mu/variance are the statistics x was normalised with (batch or running). */
export interface BatchNormCache {
  x: Matrix;
  xHat: Matrix;
  mu: Vector;
  variance: Vector;
  gamma: Vector;
  eps: number;
  mode: 'train' | 'test';
}

/** What groupNormBackward needs: one mean and variance per group. */
export interface GroupNormCache {
  x: Image;
  xHat: Image;
  mu: Vector;
  variance: Vector;
  gamma: Vector;
  groups: number;
  eps: number;
}

// ---------------------------------------------------------------------------------------------
// validation

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

function assertObject(fn: string, arg: string, v: unknown, keys: string[]): asserts v is Record<string, unknown> {
  if (!isObject(v)) throw new ArgumentError(fn, arg, `must be an object with keys {${keys.join(', ')}}; got ${Array.isArray(v) ? 'an array' : String(v)}`);
  const missing = keys.find((k) => !(k in v));
  if (missing) throw new ArgumentError(fn, arg, `must have the key '${missing}'`);
}

/** A number > 0 (ε, and LRN's k): it keeps a square root or a power of zero away. */
function assertPositive(fn: string, arg: string, v: unknown): asserts v is number {
  assertNumber(fn, arg, v);
  if (!(v > 0)) throw new ArgumentError(fn, arg, `must be > 0; got ${v}`);
}

function assertNonNegative(fn: string, arg: string, v: Vector): void {
  const i = v.findIndex((s) => s < 0);
  if (i >= 0) throw new ArgumentError(fn, arg, `must have entries ≥ 0 (variances); got ${arg}[${i}] = ${v[i]}`);
}

function assertBatchNormCache(fn: string, cache: unknown): asserts cache is BatchNormCache {
  assertObject(fn, 'cache', cache, ['x', 'xHat', 'mu', 'variance', 'gamma', 'eps', 'mode']);
  assertMatrix(fn, 'cache.x', cache.x);
  const [m, D] = [cache.x.length, cache.x[0].length];
  assertMatrix(fn, 'cache.xHat', cache.xHat, m, D);
  for (const k of ['mu', 'variance', 'gamma']) assertVector(fn, `cache.${k}`, cache[k], D);
  assertNonNegative(fn, 'cache.variance', cache.variance as Vector);
  assertPositive(fn, 'cache.eps', cache.eps);
  if (cache.mode !== 'train' && cache.mode !== 'test') throw new ArgumentError(fn, 'cache.mode', `must be 'train' or 'test'; got ${String(cache.mode)}`);
}

// ---------------------------------------------------------------------------------------------
// statistics

const mean = (v: Vector): number => v.reduce((s, a) => s + a, 0) / v.length;
/** (1/n) Σ (v − μ)²: the biased variance of Algorithm 1, computed in two passes (no E[x²] − μ² cancellation). */
const biasedVariance = (v: Vector, mu: number): number => v.reduce((s, a) => s + (a - mu) ** 2, 0) / v.length;
const column = (x: Matrix, j: number): Vector => x.map((row) => row[j]);

// ---------------------------------------------------------------------------------------------
// F1, F2 — batch normalisation

/**
 * F1 — batch normalisation forward, Algorithm 1 of [Tu] "Batch Normalization" / [Jung]
 * "Inception-v2", per feature j over the m examples of the mini-batch:
 *   μ_B = (1/m) Σ_i x_i,  σ²_B = (1/m) Σ_i (x_i − μ_B)²  (biased: 1/m, not 1/(m − 1)),
 *   x̂_i = (x_i − μ_B) / √(σ²_B + ε)  (ε inside the root),  y_i = γ x̂_i + β.
 *
 * 'train' normalises with μ_B, σ²_B and returns the updated running averages
 *   running.mean ← momentum·running.mean + (1 − momentum)·μ_B,
 *   running.variance ← momentum·running.variance + (1 − momentum)·σ²_B (the biased σ²_B),
 * the convention of tfjs-layers (and Keras): momentum weighs the old average, default 0.99.
 * (PyTorch calls 1 − momentum "momentum", default 0.1, and stores the unbiased variance.)
 * 'test' normalises every example with the running averages and returns them unchanged.
 * With m = 1 in 'train', σ²_B = 0, x̂ = 0 and y = β (ε keeps the division finite).
 */
export function batchNormForward(
  x: Matrix,
  gamma: Vector,
  beta: Vector,
  running: RunningStats,
  options: BatchNormOptions,
): { out: Matrix; cache: BatchNormCache; running: RunningStats } {
  const fn = 'batchNormForward';
  assertMatrix(fn, 'x', x);
  const D = x[0].length;
  assertVector(fn, 'gamma', gamma, D);
  assertVector(fn, 'beta', beta, D);
  assertObject(fn, 'running', running, ['mean', 'variance']);
  assertVector(fn, 'running.mean', running.mean, D);
  assertVector(fn, 'running.variance', running.variance, D);
  assertNonNegative(fn, 'running.variance', running.variance);
  assertObject(fn, 'options', options, ['mode', 'eps', 'momentum']);
  if (options.mode !== 'train' && options.mode !== 'test') throw new ArgumentError(fn, 'options.mode', `must be 'train' or 'test'; got ${String(options.mode)}`);
  assertPositive(fn, 'options.eps', options.eps);
  assertInRange(fn, 'options.momentum', options.momentum, 0, 1);
  const { mode, eps, momentum } = options;

  let mu: Vector;
  let variance: Vector;
  let next: RunningStats;
  if (mode === 'train') {
    mu = gamma.map((_, j) => mean(column(x, j)));
    variance = mu.map((mj, j) => biasedVariance(column(x, j), mj));
    next = {
      mean: running.mean.map((r, j) => momentum * r + (1 - momentum) * mu[j]),
      variance: running.variance.map((r, j) => momentum * r + (1 - momentum) * variance[j]),
    };
  } else {
    mu = running.mean.slice();
    variance = running.variance.slice();
    next = { mean: running.mean.slice(), variance: running.variance.slice() };
  }
  const xHat = x.map((row) => row.map((v, j) => (v - mu[j]) / Math.sqrt(variance[j] + eps)));
  const out = xHat.map((row) => row.map((v, j) => gamma[j] * v + beta[j]));
  return { out, cache: { x, xHat, mu, variance, gamma, eps, mode }, running: next };
}

/**
 * F2 — batch normalisation backward (Ioffe & Szegedy 2015, §3, the chain rule through
 * Algorithm 1), per feature, with dx̂_i = dout_i·γ:
 *   ∂L/∂γ = Σ_i dout_i x̂_i,   ∂L/∂β = Σ_i dout_i,
 *   ∂L/∂σ² = Σ_i dx̂_i (x_i − μ)·(−½)(σ² + ε)^−3/2,   ∂L/∂μ = −Σ_i dx̂_i / √(σ² + ε)
 *   (its ∂σ²/∂μ term is (−2/m)Σ(x_i − μ) = 0),
 *   ∂L/∂x_i = dx̂_i/√(σ² + ε) + ∂L/∂σ²·2(x_i − μ)/m + ∂L/∂μ/m
 *           = (1/√(σ² + ε)) · (dx̂_i − (1/m)Σ_k dx̂_k − x̂_i·(1/m)Σ_k dx̂_k x̂_k).
 * In 'test' mode μ and σ² are the running averages, constants of the batch: ∂L/∂x_i = dx̂_i/√(σ² + ε).
 */
export function batchNormBackward(dout: Matrix, cache: BatchNormCache): { dx: Matrix; dgamma: Vector; dbeta: Vector } {
  const fn = 'batchNormBackward';
  assertBatchNormCache(fn, cache);
  const { xHat, variance, gamma, eps, mode } = cache;
  const [m, D] = [xHat.length, xHat[0].length];
  assertMatrix(fn, 'dout', dout, m, D);

  const dgamma = gamma.map((_, j) => dout.reduce((s, row, i) => s + row[j] * xHat[i][j], 0));
  const dbeta = gamma.map((_, j) => dout.reduce((s, row) => s + row[j], 0));
  const dxHat = dout.map((row) => row.map((v, j) => v * gamma[j]));
  const invStd = variance.map((v) => 1 / Math.sqrt(v + eps));
  if (mode === 'test') return { dx: dxHat.map((row) => row.map((v, j) => v * invStd[j])), dgamma, dbeta };

  const meanDxHat = gamma.map((_, j) => mean(column(dxHat, j)));
  const meanDxHatXHat = gamma.map((_, j) => dxHat.reduce((s, row, i) => s + row[j] * xHat[i][j], 0) / m);
  const dx = dxHat.map((row, i) => row.map((v, j) => invStd[j] * (v - meanDxHat[j] - xHat[i][j] * meanDxHatXHat[j])));
  return { dx, dgamma, dbeta };
}

// ---------------------------------------------------------------------------------------------
// F3 — input standardisation

/**
 * F3 — standardise every feature (column) of a data set x [m examples × D features]:
 *   μ_j = (1/m) Σ_i x_ij,  σ_j = √((1/m) Σ_i (x_ij − μ_j)²),  out_ij = (x_ij − μ_j) / σ_j
 * ([Training] "Features Normalization" and "BatchNorm Step 1: Normalize Net Inputs", which
 * divides by the biased σ_j of the 1/n variance: batch norm without ε, γ and β).
 * A feature whose values are all equal has σ_j = 0: it is returned as std 0 and out 0 (the
 * centred values; scikit-learn's StandardScaler convention). That is tested on the values, not
 * on σ_j: the mean of equal values may round (0.1·3/3 ≠ 0.1), leaving σ_j ≈ 1e−17, not 0.
 */
export function standardize(x: Matrix): { out: Matrix; mean: Vector; std: Vector } {
  assertMatrix('standardize', 'x', x);
  const cols = x[0].map((_, j) => column(x, j));
  const mu = cols.map(mean);
  const std = cols.map((c, j) => (c.every((v) => v === c[0]) ? 0 : Math.sqrt(biasedVariance(c, mu[j]))));
  const out = x.map((row) => row.map((v, j) => (std[j] === 0 ? 0 : (v - mu[j]) / std[j])));
  return { out, mean: mu, std };
}

// ---------------------------------------------------------------------------------------------
// F4 — local response normalisation

/**
 * F4 — local response normalisation across channels ([Jung] "Alex Net"), at every position (x, y):
 *   b^i = a^i / (k + α Σ_{j = max(0, i − n/2)}^{min(N − 1, i + n/2)} (a^j)²)^β
 * over the N channels of a [N × H × W]; α multiplies the plain sum (it is not divided by n, as
 * in Caffe and PyTorch), and the window is clipped at the first and last channel.
 * n must be odd: n/2 then reads ⌊n/2⌋ = (n − 1)/2 and the window i − n/2 … i + n/2 holds n
 * channels, centred on i. (For even n the frameworks disagree — PyTorch pads n/2 before and
 * n/2 − 1 after — so an even n is an error here.) k > 0 keeps the base positive; AlexNet uses
 * k = 2, n = 5, α = 1e−4, β = 0.75.
 */
export function localResponseNorm(a: Image, n: number, k: number, alpha: number, beta: number): Image {
  const fn = 'localResponseNorm';
  assertImage(fn, 'a', a);
  assertInteger(fn, 'n', n, 1);
  if (n % 2 === 0) throw new ArgumentError(fn, 'n', `must be odd (the window i − n/2 … i + n/2 is centred only for odd n); got ${n}`);
  assertPositive(fn, 'k', k);
  assertInRange(fn, 'alpha', alpha, 0, Number.MAX_VALUE);
  assertInRange(fn, 'beta', beta, 0, Number.MAX_VALUE);
  const N = a.length;
  const r = (n - 1) / 2;
  return a.map((channel, i) =>
    channel.map((row, y) =>
      row.map((ai, x) => {
        let sum = 0;
        for (let j = Math.max(0, i - r); j <= Math.min(N - 1, i + r); j++) sum += a[j][y][x] ** 2;
        return ai / (k + alpha * sum) ** beta;
      }),
    ),
  );
}

// ---------------------------------------------------------------------------------------------
// F5 — group normalisation

/** The channels of group g: c = g·C/G … (g + 1)·C/G − 1 (consecutive channels, as in Wu & He 2018). */
const channelsOf = (g: number, C: number, G: number): number[] => Array.from({ length: C / G }, (_, q) => g * (C / G) + q);

/**
 * F5 — group normalisation of one example x [C × H × W] ([Tu] "Group Normalization", Wu & He
 * 2018): the C channels are split into G groups of C/G consecutive channels, and each group is
 * normalised over all its (C/G)·H·W values like Algorithm 1:
 *   μ_g = mean, σ²_g = (1/((C/G)HW)) Σ (x − μ_g)² (biased), x̂ = (x − μ_g)/√(σ²_g + ε),
 * then every channel c gets its own scale and shift: y_c = γ_c x̂_c + β_c.
 * G = 1 is layer normalisation (one group: all of the example); G = C is instance normalisation
 * (every channel on its own, over H·W).
 */
export function groupNormForward(x: Image, gamma: Vector, beta: Vector, groups: number, eps: number): { out: Image; cache: GroupNormCache } {
  const fn = 'groupNormForward';
  assertImage(fn, 'x', x);
  const C = x.length;
  assertVector(fn, 'gamma', gamma, C);
  assertVector(fn, 'beta', beta, C);
  assertInteger(fn, 'groups', groups, 1);
  if (C % groups !== 0) throw new ArgumentError(fn, 'groups', `must divide the number of channels C = ${C}; got ${groups}`);
  assertPositive(fn, 'eps', eps);

  const mu: Vector = [];
  const variance: Vector = [];
  const xHat: Image = x.map((ch) => ch.map((row) => row.map(() => 0)));
  for (let g = 0; g < groups; g++) {
    const cs = channelsOf(g, C, groups);
    const values = cs.flatMap((c) => x[c].flat());
    mu.push(mean(values));
    variance.push(biasedVariance(values, mu[g]));
    const invStd = 1 / Math.sqrt(variance[g] + eps);
    for (const c of cs) xHat[c] = x[c].map((row) => row.map((v) => (v - mu[g]) * invStd));
  }
  const out = xHat.map((ch, c) => ch.map((row) => row.map((v) => gamma[c] * v + beta[c])));
  return { out, cache: { x, xHat, mu, variance, gamma, groups, eps } };
}

/**
 * F5 — group normalisation backward: F2's formula with the group in place of the batch. With
 * dx̂ = dout_c·γ_c and M = (C/G)·H·W values per group,
 *   ∂L/∂γ_c = Σ_{h,w} dout_c x̂_c,   ∂L/∂β_c = Σ_{h,w} dout_c,
 *   ∂L/∂x = (1/√(σ²_g + ε)) · (dx̂ − (1/M)Σ_group dx̂ − x̂·(1/M)Σ_group dx̂ x̂).
 */
export function groupNormBackward(dout: Image, cache: GroupNormCache): { dx: Image; dgamma: Vector; dbeta: Vector } {
  const fn = 'groupNormBackward';
  assertObject(fn, 'cache', cache, ['x', 'xHat', 'mu', 'variance', 'gamma', 'groups', 'eps']);
  assertImage(fn, 'cache.xHat', cache.xHat);
  const { xHat, variance, gamma, groups, eps } = cache;
  const C = xHat.length;
  assertInteger(fn, 'cache.groups', groups, 1);
  if (C % groups !== 0) throw new ArgumentError(fn, 'cache.groups', `must divide the number of channels C = ${C}; got ${groups}`);
  assertVector(fn, 'cache.gamma', gamma, C);
  assertVector(fn, 'cache.variance', variance, groups);
  assertNonNegative(fn, 'cache.variance', variance);
  assertPositive(fn, 'cache.eps', eps);
  assertImage(fn, 'dout', dout, [C]);
  for (let c = 0; c < C; c++) assertMatrix(fn, `dout[${c}]`, dout[c], xHat[0].length, xHat[0][0].length);

  const dgamma = xHat.map((ch, c) => ch.reduce((s, row, h) => row.reduce((t, v, w) => t + dout[c][h][w] * v, s), 0));
  const dbeta = dout.map((ch) => ch.reduce((s, row) => row.reduce((t, v) => t + v, s), 0));
  const dx: Image = xHat.map((ch) => ch.map((row) => row.map(() => 0)));
  for (let g = 0; g < groups; g++) {
    const cs = channelsOf(g, C, groups);
    const dxHat = cs.map((c) => dout[c].map((row) => row.map((v) => v * gamma[c])));
    const M = cs.length * xHat[0].length * xHat[0][0].length;
    const meanDxHat = dxHat.flat(2).reduce((s, v) => s + v, 0) / M;
    const meanDxHatXHat = cs.reduce((s, c, q) => s + dxHat[q].reduce((t, row, h) => row.reduce((u, v, w) => u + v * xHat[c][h][w], t), 0), 0) / M;
    const invStd = 1 / Math.sqrt(variance[g] + eps);
    cs.forEach((c, q) => {
      dx[c] = dxHat[q].map((row, h) => row.map((v, w) => invStd * (v - meanDxHat - xHat[c][h][w] * meanDxHatXHat)));
    });
  }
  return { dx, dgamma, dbeta };
}
