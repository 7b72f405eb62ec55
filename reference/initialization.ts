/**
 * G. Weight initialisation — catalogue family G (G1–G4).
 *
 * Decks: [Training] "Weight Initialization", "Custom Weight Initialization in PyTorch",
 * "Weight Initialization -- Xavier Initialization", "Weight Initialization -- He Initialization";
 * [Jung] "MS Net" (½·n_l·Var[w_l] = 1 → √(2/n_l), n_l = k_l²·c_l).
 *
 * symbol        id        shape              meaning
 * m^(l−1), n    fanIn     integer ≥ 1        inputs of the layer = units of the previous layer
 * n_{j+1}       fanOut    integer ≥ 1        units of the layer (its outputs)
 * W^(l)         W         [fanOut, fanIn]    weights: one row per unit, one column per input,
 *                                            z = W·a ([Training]: θ_jk joins input k to unit j;
 *                                            Glorot: "n … the number of columns of W")
 * k, c, F       k, c, filters                conv kernel size, input channels, number of filters
 * n_l           k²·c                         fan-in of one conv unit ([Jung] "MS Net")
 * Var(W), Var(a) varW, varA  number ≥ 0      variances of the weights and of the layer's inputs
 * z             z         [samples]          pre-activations z = Σ_k W_k·a_k (G4)
 * seed          seed      integer in [−2³¹, 2³¹)  the seed of createRandom (random.ts)
 *
 * Reading of the notes: N(0, 0.01) is N(μ = 0, σ² = 0.01), a variance ([Training] "Weight
 * Initialization -- Xavier Initialization" writes σ² = 0.01; "Custom Weight Initialization in
 * PyTorch" calls normal_(0.0, 0.1), whose second argument is the standard deviation 0.1 = √0.01).
 *
 * Draw order (what makes a result reproducible from its seed): every sampler starts a fresh
 * createRandom(seed) and fills its result in row-major order — matrices row by row through
 * uniformMatrix / normalMatrix, conv filters in the order [f][c][i][j] — so that any two
 * implementations that follow this order return the same numbers for the same seed.
 */
import { createRandom, normalMatrix, uniformMatrix } from './random.ts';
import { ArgumentError, assertInRange, assertInteger, type Filters, type Matrix, type Vector } from './tensor.ts';

/** Scales and variances are accepted up to 1e100 (beyond that 2·limit and m·Var overflow). */
const HUGE = 1e100;

function assertSeed(fn: string, seed: unknown): asserts seed is number {
  assertInteger(fn, 'seed', seed, -(2 ** 31));
  if (seed >= 2 ** 31) throw new ArgumentError(fn, 'seed', `must be below 2^31; got ${seed}`);
}

function assertFans(fn: string, fanIn: unknown, fanOut: unknown): void {
  assertInteger(fn, 'fanIn', fanIn, 1);
  assertInteger(fn, 'fanOut', fanOut, 1);
}

// ---------------------------------------------------------------------------------------------
// G1 — the traditional initialisers ([Training] "Weight Initialization")

/**
 * G1 — W ~ U[−limit, limit): "sample from a random uniform distribution in range [0, 1], or
 * better, [−0.5, 0.5]" (limit = 0.5). W is fanOut × fanIn, drawn row by row:
 * W[j][k] = −limit + 2·limit·u with u the next createRandom(seed).uniform().
 */
export function uniformInit(fanIn: number, fanOut: number, limit: number, seed: number): Matrix {
  assertFans('uniformInit', fanIn, fanOut);
  assertInRange('uniformInit', 'limit', limit, 0, HUGE, true);
  assertSeed('uniformInit', seed);
  return uniformMatrix(createRandom(seed), fanOut, fanIn, -limit, limit);
}

/**
 * G1 — W ~ N(0, σ²) with σ² = variance: "a Gaussian distribution with mean 0 and small variance
 * (e.g., 0.1 or 0.01)". The argument is the variance; each entry is σ·z with σ = √variance and
 * z the next createRandom(seed).normal(), row by row.
 */
export function gaussianInit(fanIn: number, fanOut: number, variance: number, seed: number): Matrix {
  assertFans('gaussianInit', fanIn, fanOut);
  assertInRange('gaussianInit', 'variance', variance, 0, HUGE);
  assertSeed('gaussianInit', seed);
  return normalMatrix(createRandom(seed), fanOut, fanIn, 0, Math.sqrt(variance));
}

// ---------------------------------------------------------------------------------------------
// G2 — Xavier / Glorot ([Training] "Weight Initialization -- Xavier Initialization")

/**
 * G2 — the Xavier factor √(1/m^(l−1)) of W^(l) := W^(l)·√(1/m^(l−1)), m^(l−1) = fanIn: with
 * unit-variance draws it gives Var(W) = 1/m, so that m·Var(W)·Var(a) = Var(a) (G4).
 */
export function xavierFactor(fanIn: number): number {
  assertInteger('xavierFactor', 'fanIn', fanIn, 1);
  return Math.sqrt(1 / fanIn);
}

/** G2 — Glorot's normalised bound √6/√(n_j + n_{j+1}) (eq. 16); U[−L, L] has Var = L²/3 = 2/(n_j + n_{j+1}). */
export function xavierUniformLimit(fanIn: number, fanOut: number): number {
  assertFans('xavierUniformLimit', fanIn, fanOut);
  return Math.sqrt(6) / Math.sqrt(fanIn + (fanOut));
}

/**
 * G2 — Glorot's "commonly used heuristic" (eq. 1): W ~ U[−1/√n, 1/√n], n = fanIn ("the size of
 * the previous layer (the number of columns of W)"). Var = 1/(3n). Drawn as uniformInit.
 */
export function xavierHeuristicUniform(fanIn: number, fanOut: number, seed: number): Matrix {
  assertFans('xavierHeuristicUniform', fanIn, fanOut);
  assertSeed('xavierHeuristicUniform', seed);
  const a = 1 / Math.sqrt(fanIn);
  return uniformMatrix(createRandom(seed), fanOut, fanIn, -a, a);
}

/** G2 — the normalised initialisation (eq. 16): W ~ U[−L, L], L = √6/√(fanIn + fanOut). Drawn as uniformInit. */
export function xavierUniform(fanIn: number, fanOut: number, seed: number): Matrix {
  assertFans('xavierUniform', fanIn, fanOut);
  assertSeed('xavierUniform', seed);
  const L = xavierUniformLimit(fanIn, fanOut);
  return uniformMatrix(createRandom(seed), fanOut, fanIn, -L, L);
}

// ---------------------------------------------------------------------------------------------
// G3 — He ([Training] "Weight Initialization -- He Initialization"; [Jung] "MS Net")

/**
 * G3 — the He factor √(2/m^(l−1)) of W^(l) := W^(l)·√(2/m^(l−1)): Xavier's times 2^0.5, because a
 * ReLU zeroes half of its inputs and so halves E[a²] (He: ½·n_l·Var[w_l] = 1).
 */
export function heFactor(fanIn: number): number {
  assertInteger('heFactor', 'fanIn', fanIn, 1);
  return Math.sqrt(2 / fanIn);
}

/**
 * G3 — W ~ N(0, 2/fanIn): unit normals scaled by the He factor, Var[w] = 2/n_l. Each entry is
 * heFactor(fanIn)·z with z the next createRandom(seed).normal(), row by row.
 */
export function heNormal(fanIn: number, fanOut: number, seed: number): Matrix {
  assertFans('heNormal', fanIn, fanOut);
  assertSeed('heNormal', seed);
  return normalMatrix(createRandom(seed), fanOut, fanIn, 0, heFactor(fanIn));
}

/**
 * G3 — He for a conv layer: F filters of C×K×K with Var[w] = 2/n_l, n_l = k²·c (the inputs one
 * output unit sees: a k×k window over all c input channels). Drawn in the order [f][c][i][j],
 * so filter f flattened is row f of heNormal(k²c, F, seed).
 */
export function heConvNormal(k: number, c: number, filters: number, seed: number): Filters {
  assertInteger('heConvNormal', 'k', k, 1);
  assertInteger('heConvNormal', 'c', c, 1);
  assertInteger('heConvNormal', 'filters', filters, 1);
  assertSeed('heConvNormal', seed);
  const std = heFactor(k * k * c);
  const random = createRandom(seed);
  const window = () => Array.from({ length: k }, () => Array.from({ length: k }, () => std * random.normal()));
  return Array.from({ length: filters }, () => Array.from({ length: c }, window));
}

// ---------------------------------------------------------------------------------------------
// G4 — variance propagation ([Training] "Weight Initialization -- Xavier Initialization")

/**
 * G4 — Var(z_j) = Var(Σ_{k=1}^{m} W_jk·a_k) = Σ_k Var[W_jk]·Var[a_k] = m·Var(W)·Var(a), for
 * independent, zero-mean W and a (the notes assume activations with mean 0).
 */
export function propagatedVariance(m: number, varW: number, varA: number): number {
  assertInteger('propagatedVariance', 'm', m, 1);
  assertInRange('propagatedVariance', 'varW', varW, 0, HUGE);
  assertInRange('propagatedVariance', 'varA', varA, 0, HUGE);
  return m * varW * varA;
}

/**
 * G4 — the Monte Carlo experiment behind propagatedVariance: `samples` independent units, each
 * z_s = Σ_{k<m} W[s][k]·A[s][k] with W ~ N(0, varW) and A ~ N(0, varA). Draw order: all of W
 * first (samples × m, row by row), then all of A, from one createRandom(seed); the sum runs
 * over k in order. The sample variance of z estimates m·varW·varA.
 */
export function simulatePreactivations(m: number, varW: number, varA: number, samples: number, seed: number): Vector {
  assertInteger('simulatePreactivations', 'm', m, 1);
  assertInRange('simulatePreactivations', 'varW', varW, 0, HUGE);
  assertInRange('simulatePreactivations', 'varA', varA, 0, HUGE);
  assertInteger('simulatePreactivations', 'samples', samples, 1);
  assertSeed('simulatePreactivations', seed);
  const random = createRandom(seed);
  const W = normalMatrix(random, samples, m, 0, Math.sqrt(varW));
  const A = normalMatrix(random, samples, m, 0, Math.sqrt(varA));
  return W.map((row, s) => row.reduce((z, w, k) => z + w * A[s][k], 0));
}
