/**
 * H. Optimisers — catalogue family H (H1–H8). Implement each function below.
 *
 * symbol    id          shape   meaning
 * θ         theta       [d]     parameters
 * g         g           [d]     gradient ∇_θ J at the point the rule asks for
 * η         eta         number  learning rate (> 0)
 * γ         gamma       number  momentum / decay rate, in [0, 1)
 * β1, β2    beta1,beta2 number  Adam's decay rates, in [0, 1)
 * ε         epsilon     number  smoothing term (> 0)
 * v         v           [d]     velocity (momentum, Nesterov)            — η is inside v
 * G         G           [d]     Adagrad's running sum of g²
 * E[g²]     Eg2         [d]     running average of g² (Adadelta, RMSprop)
 * E[Δθ²]    Edtheta2    [d]     running average of the squared updates (Adadelta)
 * m, v      m, v        [d]     Adam's first and second moment estimates
 * t         t           number  Adam's step counter (number of steps taken so far)
 *
 * Conventions the grader holds you to (they change the numbers):
 * - every step function is pure: (θ, g, state, hyper) → { theta, state }; return new arrays and
 *   the state for the next step, with the same keys as the state you were given;
 * - every optimiser starts from the all-zero state: v = 0, G = 0, E[g²] = E[Δθ²] = 0,
 *   m = v = 0 and t = 0 (the grader builds it that way, and so must your `train`);
 * - everything is elementwise (the notes' G_t is a diagonal matrix: one entry per parameter);
 * - hyper-parameters always arrive explicitly in `hyper`: no hidden defaults;
 * - validate inputs where it helps you; the grader only passes valid ones.
 */
import { NotImplemented } from './not-implemented.ts';
import type { Matrix, Vector } from './tensor.ts';

export type SgdState = Record<string, never>;
export type MomentumState = { v: Vector };
export type NesterovState = { v: Vector };
export type AdagradState = { G: Vector };
export type AdadeltaState = { Eg2: Vector; Edtheta2: Vector };
export type RmspropState = { Eg2: Vector };
export type AdamState = { m: Vector; v: Vector; t: number };

export type SgdHyper = { eta: number };
export type MomentumHyper = { eta: number; gamma: number };
export type NesterovHyper = { eta: number; gamma: number };
export type AdagradHyper = { eta: number; epsilon: number };
export type AdadeltaHyper = { gamma: number; epsilon: number };
export type RmspropHyper = { eta: number; gamma: number; epsilon: number };
export type AdamHyper = { eta: number; beta1: number; beta2: number; epsilon: number };

/** A step's result: the new parameters and the state to pass to the next step. */
export type Step<S> = { theta: Vector; state: S };

/** J and ∇J at θ (H8). */
export type Objective = (theta: Vector) => { loss: number; grad: Vector };

export type OptimizerName = 'gd' | 'momentum' | 'nesterov' | 'adagrad' | 'adadelta' | 'rmsprop' | 'adam';
export const OPTIMIZERS: readonly OptimizerName[] = ['gd', 'momentum', 'nesterov', 'adagrad', 'adadelta', 'rmsprop', 'adam'];

/** Every hyper-parameter any optimiser reads; each rule uses the ones it needs. */
export type Hyper = Partial<SgdHyper & MomentumHyper & AdagradHyper & AdadeltaHyper & RmspropHyper & AdamHyper>;

/** H1 — θ ← θ − η·g. SGD has no state: take {} and return {}. */
export function sgdStep(theta: Vector, g: Vector, state: SgdState, hyper: SgdHyper): Step<SgdState> {
  throw new NotImplemented('H1 sgdStep');
}

/**
 * H1 — one epoch of mini-batch GD: for i = 0, n, 2n, … (in order) take the slice of rows
 * i … i+n−1 of X and y (the last slice may be shorter, and it counts), and make one step
 * θ ← θ − η·ḡ with ḡ the MEAN (not the sum) of exampleGrad(θ, X[k], y[k]) over the slice, all
 * evaluated at the θ of that step. Call exampleGrad exactly once per example. n ≥ m is batch GD
 * (one step); n = 1 is SGD. Returns the θ after the epoch.
 */
export function minibatchEpoch(
  theta: Vector,
  X: Matrix,
  y: Vector,
  exampleGrad: (theta: Vector, x: Vector, y: number) => Vector,
  eta: number,
  batchSize: number,
): Vector {
  throw new NotImplemented('H1 minibatchEpoch');
}

/** H2 — momentum: v_t = γv_{t−1} + η·g; θ ← θ − v_t (η is inside v; v_0 = 0). */
export function momentumStep(theta: Vector, g: Vector, state: MomentumState, hyper: MomentumHyper): Step<MomentumState> {
  throw new NotImplemented('H2 momentumStep');
}

/** H3 — the look-ahead point θ − γv_{t−1}, where Nesterov evaluates the gradient. */
export function nesterovLookahead(theta: Vector, state: NesterovState, hyper: Pick<NesterovHyper, 'gamma'>): Vector {
  throw new NotImplemented('H3 nesterovLookahead');
}

/**
 * H3 — Nesterov: v_t = γv_{t−1} + η·∇J(θ − γv_{t−1}); θ ← θ − v_t. `gAhead` is the gradient
 * already evaluated at nesterovLookahead(θ, state, hyper) (your caller does that), not at θ.
 */
export function nesterovStep(theta: Vector, gAhead: Vector, state: NesterovState, hyper: NesterovHyper): Step<NesterovState> {
  throw new NotImplemented('H3 nesterovStep');
}

/**
 * H4 — Adagrad: G ← G + g² first (G_0 = 0, this step's g² included), then
 * θ ← θ − η/√(G + ε)·g with ε INSIDE the square root.
 */
export function adagradStep(theta: Vector, g: Vector, state: AdagradState, hyper: AdagradHyper): Step<AdagradState> {
  throw new NotImplemented('H4 adagradStep');
}

/**
 * H5 — Adadelta (the notes' form, NO learning rate η):
 *   E[g²]_t = γE[g²]_{t−1} + (1 − γ)g²,  RMS[x] = √(E[x²] + ε),
 *   Δθ = −RMS[Δθ]_{t−1}/RMS[g]_t · g    (last step's E[Δθ²], this step's E[g²]),
 *   E[Δθ²]_t = γE[Δθ²]_{t−1} + (1 − γ)Δθ²,  θ ← θ + Δθ.
 */
export function adadeltaStep(theta: Vector, g: Vector, state: AdadeltaState, hyper: AdadeltaHyper): Step<AdadeltaState> {
  throw new NotImplemented('H5 adadeltaStep');
}

/** H6 — RMSprop: E[g²]_t = γE[g²]_{t−1} + (1 − γ)g² (the notes use γ = 0.9); θ ← θ − η/√(E[g²]_t + ε)·g, ε INSIDE the root. */
export function rmspropStep(theta: Vector, g: Vector, state: RmspropState, hyper: RmspropHyper): Step<RmspropState> {
  throw new NotImplemented('H6 rmspropStep');
}

/**
 * H7 — Adam: increment t FIRST (the first step uses t = 1), then
 *   m = β1m + (1 − β1)g,  v = β2v + (1 − β2)g²,  m̂ = m/(1 − β1^t),  v̂ = v/(1 − β2^t),
 *   θ ← θ − η·m̂/(√v̂ + ε)   (ε OUTSIDE the square root).
 * Return the raw m and v (not m̂, v̂) and the incremented t in the state. The notes' defaults
 * are β1 = 0.9, β2 = 0.999, ε = 10⁻⁸, but they always arrive in `hyper`.
 */
export function adamStep(theta: Vector, g: Vector, state: AdamState, hyper: AdamHyper): Step<AdamState> {
  throw new NotImplemented('H7 adamStep');
}

/**
 * H8 — runs `steps` steps of optimiser `name` (your step functions above) on `objective` from θ₀,
 * starting from the all-zero state, and returns the final θ and losses[k] = J(θ_k) for
 * k = 0 … steps (steps + 1 entries: losses[0] = J(θ₀)). hyper holds what the optimiser needs.
 * Call objective exactly once at each θ_k (use its gradient for the next step and its loss for
 * losses[k]): steps + 1 calls. Nesterov also calls it once at each look-ahead point
 * θ_k − γv_k, k < steps, and steps with that gradient: 2·steps + 1 calls.
 */
export function train(name: OptimizerName, objective: Objective, theta0: Vector, hyper: Hyper, steps: number): { theta: Vector; losses: number[] } {
  throw new NotImplemented('H8 train');
}
