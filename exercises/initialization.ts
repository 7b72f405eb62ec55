/**
 * G. Weight initialisation — catalogue family G (G1–G4). Implement each function below.
 *
 * symbol        id        shape              meaning
 * m^(l−1), n    fanIn     integer ≥ 1        inputs of the layer = units of the previous layer
 * n_{j+1}       fanOut    integer ≥ 1        units of the layer (its outputs)
 * W^(l)         W         [fanOut, fanIn]    one row per unit, one column per input (z = W·a)
 * k, c, F       k, c, filters                conv kernel size, input channels, number of filters
 * n_l           k²·c                         fan-in of one conv unit
 * Var(W), Var(a) varW, varA  number ≥ 0      variances of the weights and of the layer's inputs
 * seed          seed      integer in [−2³¹, 2³¹)  the seed of createRandom (random.ts)
 *
 * Conventions the grader holds you to:
 * - every function returns new values and leaves its arguments unchanged: a call that writes into
 *   one fails its check (even when it puts the value back by arithmetic: x + h − h is not always x);
 * - W has fanOut ROWS and fanIn COLUMNS (Glorot: n is "the number of columns of W");
 * - every random function starts its own createRandom(seed) from ./random.ts (use no other source
 *   of randomness: Math.random() cannot be reproduced) and fills its result ROW BY ROW —
 *   uniformMatrix / normalMatrix in random.ts do exactly that; conv filters in the order
 *   [f][c][i][j]. The grader compares your matrix with the one built in that order, number for
 *   number, so the same seed must give the same matrix;
 * - N(0, σ²) takes a VARIANCE σ²: the notes' N(0, 0.01) has σ² = 0.01, i.e. σ = 0.1 (their PyTorch
 *   code writes normal_(0.0, 0.1), whose second argument is the standard deviation). A draw is σ·z;
 * - validate inputs where it helps you; the grader only passes valid ones.
 */
import { NotImplemented } from './not-implemented.ts';
import type { Filters, Matrix, Vector } from './tensor.ts';

/**
 * G1 — W ~ U[−limit, limit) ("[0, 1], or better, [−0.5, 0.5]": limit = 0.5), fanOut × fanIn:
 * uniformMatrix(createRandom(seed), fanOut, fanIn, −limit, limit).
 */
export function uniformInit(fanIn: number, fanOut: number, limit: number, seed: number): Matrix {
  throw new NotImplemented('G1 uniformInit');
}

/**
 * G1 — W ~ N(0, variance), fanOut × fanIn, row by row from createRandom(seed). The argument is the
 * variance σ²: each entry is σ·z with σ = √variance.
 */
export function gaussianInit(fanIn: number, fanOut: number, variance: number, seed: number): Matrix {
  throw new NotImplemented('G1 gaussianInit');
}

/** G2 — the Xavier factor √(1/m^(l−1)) in W^(l) := W^(l)·√(1/m^(l−1)), m^(l−1) = fanIn. */
export function xavierFactor(fanIn: number): number {
  throw new NotImplemented('G2 xavierFactor');
}

/** G2 — Glorot's normalised bound √6/√(n_j + n_{j+1}), n_j = fanIn, n_{j+1} = fanOut. */
export function xavierUniformLimit(fanIn: number, fanOut: number): number {
  throw new NotImplemented('G2 xavierUniformLimit');
}

/**
 * G2 — Glorot's heuristic W ~ U[−1/√n, 1/√n] with n = fanIn (the number of columns of W),
 * fanOut × fanIn, drawn like uniformInit.
 */
export function xavierHeuristicUniform(fanIn: number, fanOut: number, seed: number): Matrix {
  throw new NotImplemented('G2 xavierHeuristicUniform');
}

/** G2 — the normalised initialisation W ~ U[−L, L], L = √6/√(fanIn + fanOut), fanOut × fanIn, drawn like uniformInit. */
export function xavierUniform(fanIn: number, fanOut: number, seed: number): Matrix {
  throw new NotImplemented('G2 xavierUniform');
}

/** G3 — the He factor √(2/m^(l−1)) in W^(l) := W^(l)·√(2/m^(l−1)), m^(l−1) = fanIn. */
export function heFactor(fanIn: number): number {
  throw new NotImplemented('G3 heFactor');
}

/**
 * G3 — W ~ N(0, 2/fanIn) (Var[w] = 2/n_l), fanOut × fanIn: unit normals from createRandom(seed),
 * row by row, each multiplied by the He factor √(2/fanIn).
 */
export function heNormal(fanIn: number, fanOut: number, seed: number): Matrix {
  throw new NotImplemented('G3 heNormal');
}

/**
 * G3 — He for a conv layer: `filters` filters of c×k×k, Var[w] = 2/n_l with n_l = k²·c (the inputs
 * one output unit sees). Returns filters[f][c][i][j], drawn from createRandom(seed) in exactly that
 * order (f outermost, then c, then the row i, then the column j), each std·z.
 */
export function heConvNormal(k: number, c: number, filters: number, seed: number): Filters {
  throw new NotImplemented('G3 heConvNormal');
}

/** G4 — Var(z) = m·Var(W)·Var(a) for z = Σ_{k=1}^{m} W_k·a_k with independent, zero-mean W and a. */
export function propagatedVariance(m: number, varW: number, varA: number): number {
  throw new NotImplemented('G4 propagatedVariance');
}

/**
 * G4 — the Monte Carlo experiment: returns `samples` pre-activations z_s = Σ_{k<m} W[s][k]·A[s][k].
 * From one createRandom(seed): first W = normalMatrix(random, samples, m, 0, √varW), then
 * A = normalMatrix(random, samples, m, 0, √varA) (all of W before any of A); sum over k in order.
 */
export function simulatePreactivations(m: number, varW: number, varA: number, samples: number, seed: number): Vector {
  throw new NotImplemented('G4 simulatePreactivations');
}
