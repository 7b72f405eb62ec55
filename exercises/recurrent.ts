/**
 * M. Recurrent networks — catalogue family M (M1–M3). Implement each function below.
 *
 * symbol        id        shape      meaning
 * x^(t)         xs[t−1]   [D]        input at step t = 1 … T
 * h^(0)         h0        [H]        initial state
 * W_hx, W_hh    Whx, Whh  [H, D], [H, H]
 * b_h           bh        [H]
 * z_h^(t)       zh[t−1]   [H]        W_hx x^(t) + W_hh h^(t−1) + b_h
 * h^(t)         h[t−1]    [H]        σ_h(z_h^(t))
 * W_yh, b_y     Wyh, by   [K, H], [K]
 * z_y, y        zy, y     [K]        z_y = W_yh h^(t) + b_y, y^(t) = σ_y(z_y)
 * dy            dy        like y     upstream gradient ∂L/∂y^(t)
 * J_t           —         [H, H]     ∂h^(t)/∂h^(t−1)
 *
 * Conventions the grader holds you to:
 * - every function returns new values and leaves its arguments unchanged;
 * - vectors are columns, as in the notes: W_hx x^(t) is the matrix times the vector (row i of W_hx
 *   dotted with x^(t)), never x^(t) times W_hx;
 * - options default to activation 'tanh' (σ_h), output 'linear' (σ_y the identity) and mode
 *   'many-to-many'; 'sigmoid' is the logistic function 1/(1 + e^(−z));
 * - many-to-many has an output y^(t) at every step; many-to-one only at the last step, so y, zy and
 *   dy hold T vectors or one;
 * - rnnForward returns its cache with exactly the fields of RnnCache (the grader also calls your
 *   rnnBackward, stepJacobians and jacobianProduct with caches it built to that contract);
 * - the backward pass is for the loss L = Σ_t dy^(t) · y^(t), summed over every time step;
 * - truncated BPTT to k steps: the gradient of each L^(t) flows back through steps t, t − 1, …,
 *   t − k + 1 only (k steps, the step t itself included), and reaches h^(0) only when t ≤ k;
 *   truncate omitted means full BPTT;
 * - validate inputs where it helps you; the grader only passes valid ones.
 * Check your backward pass with gradcheck.ts (S1–S4) before you submit.
 */
import { NotImplemented } from './not-implemented.ts';
import type { Matrix, Vector } from './tensor.ts';

export type HiddenActivation = 'tanh' | 'sigmoid';
export type OutputActivation = 'linear' | 'sigmoid' | 'tanh';
export type RnnMode = 'many-to-many' | 'many-to-one';

export interface RnnParams {
  Whx: Matrix;
  Whh: Matrix;
  bh: Vector;
  Wyh: Matrix;
  by: Vector;
}

export interface RnnOptions {
  activation?: HiddenActivation;
  output?: OutputActivation;
  mode?: RnnMode;
}

export interface RnnStep {
  zh: Vector;
  h: Vector;
  zy: Vector;
  y: Vector;
}

/** The inputs, the weights, the options with their defaults filled in, z_h^(t) and h^(t) for t = 1 … T, and z_y of every output. */
export interface RnnCache {
  xs: Vector[];
  h0: Vector;
  params: RnnParams;
  activation: HiddenActivation;
  output: OutputActivation;
  mode: RnnMode;
  zh: Vector[];
  h: Vector[];
  zy: Vector[];
}

export interface RnnGradients {
  dWhx: Matrix;
  dWhh: Matrix;
  dbh: Vector;
  dWyh: Matrix;
  dby: Vector;
  dh0: Vector;
  dxs: Vector[];
}

/**
 * M1 — one step: z_h = W_hx x + W_hh hPrev + b_h, h = σ_h(z_h), z_y = W_yh h + b_y, y = σ_y(z_y).
 * Return { zh, h, zy, y }.
 */
export function rnnStep(x: Vector, hPrev: Vector, params: RnnParams, options?: RnnOptions): RnnStep {
  throw new NotImplemented('M1 rnnStep');
}

/**
 * M1 — the sequence: h^(t) = σ_h(W_hx x^(t) + W_hh h^(t−1) + b_h) for t = 1 … T from h^(0) = h0.
 * Return { y, h, cache }: y lists y^(1) … y^(T) (many-to-many) or [y^(T)] (many-to-one), h lists
 * h^(1) … h^(T).
 */
export function rnnForward(xs: Vector[], h0: Vector, params: RnnParams, options?: RnnOptions): { y: Vector[]; h: Vector[]; cache: RnnCache } {
  throw new NotImplemented('M1 rnnForward');
}

/**
 * M2 — backpropagation through time: ∂L/∂ of every weight, of h^(0) and of every x^(t) for
 * L = Σ_t dy^(t) · y^(t), full, or truncated to `truncate` steps. The output layer's gradients
 * (dWyh, dby) are never truncated.
 */
export function rnnBackward(dy: Vector[], cache: RnnCache, truncate?: number): RnnGradients {
  throw new NotImplemented('M2 rnnBackward');
}

/** M3 — the step Jacobians J_t = ∂h^(t)/∂h^(t−1) = diag(σ_h′(z_h^(t))) W_hh, for t = 1 … T. */
export function stepJacobians(cache: RnnCache): Matrix[] {
  throw new NotImplemented('M3 stepJacobians');
}

/** M3 — ∂h^(t)/∂h^(k) = J_t J_(t−1) … J_(k+1) for 0 ≤ k ≤ t ≤ T; the identity when k = t. */
export function jacobianProduct(cache: RnnCache, t: number, k: number): Matrix {
  throw new NotImplemented('M3 jacobianProduct');
}

/**
 * M3 — clipping by the global norm ‖g‖ = √(sum of the squares of every entry of every gradient):
 * every gradient times maxNorm/‖g‖ when ‖g‖ > maxNorm; unchanged otherwise. Same keys and shapes.
 */
export function clipGradientNorm<G extends Record<string, Vector | Matrix>>(grads: G, maxNorm: number): G {
  throw new NotImplemented('M3 clipGradientNorm');
}
