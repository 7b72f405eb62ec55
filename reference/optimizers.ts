/**
 * H. Optimisers — catalogue family H (H1–H8).
 *
 * Deck: [Training] "Gradient Descent", "Momentum", "Nesterov accelerated gradient", "Adagrad",
 * "Adadelta", "RMSprop", "Adam", "SGD optimization on loss surface contours", "SGD optimization
 * on saddle point".
 *
 * symbol    id          shape   meaning
 * θ         theta       [d]     parameters
 * g         g           [d]     gradient ∇_θ J at the point the rule asks for
 * η         eta         number  learning rate (> 0)
 * γ         gamma       number  momentum / decay rate, in [0, 1)
 * β1, β2    beta1,beta2 number  Adam's decay rates, in [0, 1)
 * ε         epsilon     number  smoothing term (> 0)
 * v         v           [d]     velocity (momentum, Nesterov)            — η is inside v
 * G         G           [d]     Adagrad's running sum of g², the diagonal of G_t
 * E[g²]     Eg2         [d]     running average of g² (Adadelta, RMSprop)
 * E[Δθ²]    Edtheta2    [d]     running average of the squared updates (Adadelta)
 * m, v      m, v        [d]     Adam's first and second moment estimates
 * t         t           number  Adam's step counter (number of steps taken so far)
 * μ         momentum    number  RMSprop's momentum coefficient (option; TensorFlow and PyTorch)
 * mom       mom         [d]     RMSprop's momentum buffer (option)       — η is inside mom
 * E[g]      Eg          [d]     running average of g (centred RMSprop, option)
 *
 * Every rule is a pure step function (θ, g, state, hyper) → { θ, state }: nothing is modified in
 * place and all arithmetic is elementwise (the notes' diagonal G_t). The initial state of every
 * optimiser is all zeros (t = 0): `initialState` below builds it. Hyper-parameters are always
 * passed explicitly; the notes' Adam defaults (β1 = 0.9, β2 = 0.999, ε = 10⁻⁸) are in
 * fixtures/optimizers.fixtures.ts. RMSprop (H6) and Adadelta (H5) also take optional fields of
 * their hyper object that select a framework's convention (momentum, centred, ε outside the root;
 * a learning rate, tfjs's form); omitted, each is the notes' form, which is what students implement.
 */
import {
  ArgumentError,
  assertFunction,
  assertInRange,
  assertInteger,
  assertMatrix,
  assertNumber,
  assertVector,
  type Matrix,
  type Vector,
} from './tensor.ts';

export type SgdState = Record<string, never>;
export type MomentumState = { v: Vector };
export type NesterovState = { v: Vector };
export type AdagradState = { G: Vector };
export type AdadeltaState = { Eg2: Vector; Edtheta2: Vector };
/**
 * RMSprop's state: E[g²], plus the momentum buffer `mom` when hyper.momentum is given and the
 * running mean E[g] when hyper.centered is true (each starts at 0, as in tfjs and PyTorch).
 */
export type RmspropState = { Eg2: Vector; mom?: Vector; Eg?: Vector };
export type AdamState = { m: Vector; v: Vector; t: number };

export type SgdHyper = { eta: number };
export type MomentumHyper = { eta: number; gamma: number };
export type NesterovHyper = { eta: number; gamma: number };
export type AdagradHyper = { eta: number; epsilon: number };
/**
 * Adadelta's hyper-parameters. The notes' form needs γ and ε only; the options reproduce the
 * frameworks' numbers (see adadeltaStep):
 * - `eta` (default 1): a learning rate multiplying Δθ, outside the running averages — PyTorch's
 *   `lr` (default 1.0), Keras's `learning_rate`, tfjs's `learningRate`. 1 is the notes' form.
 * - `form` (default 'notes'): 'tfjs' divides by LAST step's E[g²] (tf.train.adadelta).
 */
export type AdadeltaHyper = { gamma: number; epsilon: number; eta?: number; form?: AdadeltaForm };
export type AdadeltaForm = 'notes' | 'tfjs';
export const ADADELTA_FORMS: readonly AdadeltaForm[] = ['notes', 'tfjs'];
/**
 * RMSprop's hyper-parameters. The notes' form needs η, γ and ε only; the options reproduce the
 * frameworks' numbers (see rmspropStep):
 * - `momentum` μ ∈ [0, 1) (default: none): mom ← μ·mom + η·g/√(E[g²] + ε), θ ← θ − mom
 *   (tf.train.rmsprop's `momentum`, PyTorch's `momentum`). Needs state.mom.
 * - `centered` (default false): E[g²] − E[g]² under the root (tfjs/PyTorch `centered`). Needs state.Eg.
 * - `epsilonPlacement` (default 'inside'): √(E[g²] + ε) as in the notes and TensorFlow, or
 *   'outside': √E[g²] + ε as in PyTorch and Hinton's lecture, or 'subtracted': √(D − ε), what
 *   tf.train.rmsprop computes when centred (it adds ε to E[g]² before subtracting: ms − (mg² + ε)),
 *   so that tfjs's centred numbers are reproduced with its own ε. D is E[g²] (− E[g]² centred).
 */
export type RmspropHyper = { eta: number; gamma: number; epsilon: number; momentum?: number; centered?: boolean; epsilonPlacement?: EpsilonPlacement };
export type EpsilonPlacement = 'inside' | 'outside' | 'subtracted';
export const EPSILON_PLACEMENTS: readonly EpsilonPlacement[] = ['inside', 'outside', 'subtracted'];
export type AdamHyper = { eta: number; beta1: number; beta2: number; epsilon: number };

/** A step's result: the new parameters and the state to pass to the next step. */
export type Step<S> = { theta: Vector; state: S };

/** J and ∇J at θ (H8). */
export type Objective = (theta: Vector) => { loss: number; grad: Vector };

export type OptimizerName = 'gd' | 'momentum' | 'nesterov' | 'adagrad' | 'adadelta' | 'rmsprop' | 'adam';
export const OPTIMIZERS: readonly OptimizerName[] = ['gd', 'momentum', 'nesterov', 'adagrad', 'adadelta', 'rmsprop', 'adam'];

/** Every hyper-parameter any optimiser reads; each rule uses the ones it needs. */
export type Hyper = Partial<SgdHyper & MomentumHyper & AdagradHyper & AdadeltaHyper & RmspropHyper & AdamHyper>;

// ---------------------------------------------------------------------------------------------
// validation

function assertObject(fn: string, arg: string, x: unknown): asserts x is Record<string, unknown> {
  if (x === null || typeof x !== 'object' || Array.isArray(x)) {
    throw new ArgumentError(fn, arg, `must be an object; got ${x === null ? 'null' : Array.isArray(x) ? 'an array' : typeof x}`);
  }
}

function eta(fn: string, hyper: unknown): number {
  assertObject(fn, 'hyper', hyper);
  assertInRange(fn, 'hyper.eta', hyper.eta, 0, Infinity, true);
  return hyper.eta;
}

function epsilon(fn: string, hyper: unknown): number {
  assertObject(fn, 'hyper', hyper);
  assertInRange(fn, 'hyper.epsilon', hyper.epsilon, 0, Infinity, true);
  return hyper.epsilon;
}

/** A decay rate in [0, 1): 1 would never forget, and 1 − β^t = 0 would divide by zero. */
function rate(fn: string, name: string, hyper: unknown): number {
  assertObject(fn, 'hyper', hyper);
  const x = hyper[name];
  assertNumber(fn, `hyper.${name}`, x);
  if (!(x >= 0 && x < 1)) throw new ArgumentError(fn, `hyper.${name}`, `must lie in [0, 1); got ${x}`);
  return x;
}

function describe(x: unknown): string {
  return typeof x === 'string' ? JSON.stringify(x) : x === null ? 'null' : Array.isArray(x) ? 'an array' : typeof x === 'object' ? 'an object' : `${typeof x} ${String(x)}`;
}

/** An option that names a convention: one of `allowed`. */
function oneOf<T extends string>(fn: string, arg: string, x: unknown, allowed: readonly T[]): T {
  if (!allowed.includes(x as T)) throw new ArgumentError(fn, arg, `must be one of ${allowed.map((a) => `'${a}'`).join(', ')}; got ${describe(x)}`);
  return x as T;
}

function stateVector(fn: string, state: unknown, key: string, d: number): Vector {
  assertObject(fn, 'state', state);
  const x = state[key];
  assertVector(fn, `state.${key}`, x, d);
  return x;
}

function thetaAndGradient(fn: string, theta: unknown, g: unknown): asserts theta is Vector {
  assertVector(fn, 'theta', theta);
  assertVector(fn, 'g', g, theta.length);
}

// ---------------------------------------------------------------------------------------------
// H1 gradient descent

/** H1 — θ = θ − η·∇_θ J(θ) [Training] "Gradient Descent". SGD has no state ({}). */
export function sgdStep(theta: Vector, g: Vector, state: SgdState, hyper: SgdHyper): Step<SgdState> {
  thetaAndGradient('sgdStep', theta, g);
  assertObject('sgdStep', 'state', state);
  const lr = eta('sgdStep', hyper);
  return { theta: theta.map((th, i) => th - lr * g[i]), state: {} };
}

/**
 * H1 — one epoch of mini-batch gradient descent [Training] "Gradient Descent":
 * θ = θ − η·∇_θ J(θ; x^(i:i+n); y^(i:i+n)) for i = 0, n, 2n, … in order, where the slice's
 * gradient is the mean of the example gradients ∇_θ J(θ; x^(k); y^(k)) over the slice (at the
 * current θ). The last slice may be shorter; n = batchSize ≥ m is batch GD (one step over all m
 * examples) and n = 1 is SGD (m steps, one example each).
 *
 * @param X  [m, ·] examples, one per row
 * @param y  [m] targets
 * @param exampleGrad (θ, x^(k), y^(k)) ↦ ∇_θ J(θ; x^(k); y^(k)), a [d] vector
 */
export function minibatchEpoch(
  theta: Vector,
  X: Matrix,
  y: Vector,
  exampleGrad: (theta: Vector, x: Vector, y: number) => Vector,
  eta: number,
  batchSize: number,
): Vector {
  const fn = 'minibatchEpoch';
  assertVector(fn, 'theta', theta);
  assertMatrix(fn, 'X', X);
  assertVector(fn, 'y', y, X.length);
  assertFunction(fn, 'exampleGrad', exampleGrad);
  assertInRange(fn, 'eta', eta, 0, Infinity, true);
  assertInteger(fn, 'batchSize', batchSize, 1);
  const m = X.length;
  let th = theta;
  for (let i = 0; i < m; i += batchSize) {
    const end = Math.min(i + batchSize, m);
    const sum = th.map(() => 0);
    for (let k = i; k < end; k++) {
      const gk = exampleGrad(th, X[k], y[k]);
      assertVector(fn, 'exampleGrad(θ, x, y)', gk, th.length);
      for (let j = 0; j < sum.length; j++) sum[j] += gk[j];
    }
    // the mean over the slice, not the sum: a step's size must not grow with the batch
    th = sgdStep(th, sum.map((s) => s / (end - i)), {}, { eta }).theta;
  }
  return th;
}

// ---------------------------------------------------------------------------------------------
// H2 momentum, H3 Nesterov

/**
 * H2 — momentum [Training] "Momentum":
 *   v_t = γ v_{t−1} + η ∇_θ J(θ)
 *   θ = θ − v_t
 * η sits inside the velocity; v_0 = 0.
 */
export function momentumStep(theta: Vector, g: Vector, state: MomentumState, hyper: MomentumHyper): Step<MomentumState> {
  const fn = 'momentumStep';
  thetaAndGradient(fn, theta, g);
  const v = stateVector(fn, state, 'v', theta.length);
  const lr = eta(fn, hyper);
  const gamma = rate(fn, 'gamma', hyper);
  const vt = v.map((vi, i) => gamma * vi + lr * g[i]);
  return { theta: theta.map((th, i) => th - vt[i]), state: { v: vt } };
}

/**
 * H3 — the look-ahead point θ − γ v_{t−1} at which Nesterov evaluates the gradient
 * [Training] "Nesterov accelerated gradient". With v_0 = 0 it is θ itself.
 */
export function nesterovLookahead(theta: Vector, state: NesterovState, hyper: Pick<NesterovHyper, 'gamma'>): Vector {
  const fn = 'nesterovLookahead';
  assertVector(fn, 'theta', theta);
  const v = stateVector(fn, state, 'v', theta.length);
  const gamma = rate(fn, 'gamma', hyper);
  return theta.map((th, i) => th - gamma * v[i]);
}

/**
 * H3 — Nesterov accelerated gradient [Training] "Nesterov accelerated gradient":
 *   v_t = γ v_{t−1} + η ∇_θ J(θ − γ v_{t−1})
 *   θ = θ − v_t
 * `gAhead` is ∇J evaluated at nesterovLookahead(θ, state, hyper), not at θ: that is the only
 * difference from momentum, so the caller evaluates the gradient.
 */
export function nesterovStep(theta: Vector, gAhead: Vector, state: NesterovState, hyper: NesterovHyper): Step<NesterovState> {
  const fn = 'nesterovStep';
  assertVector(fn, 'theta', theta);
  assertVector(fn, 'gAhead', gAhead, theta.length);
  const v = stateVector(fn, state, 'v', theta.length);
  const lr = eta(fn, hyper);
  const gamma = rate(fn, 'gamma', hyper);
  const vt = v.map((vi, i) => gamma * vi + lr * gAhead[i]);
  return { theta: theta.map((th, i) => th - vt[i]), state: { v: vt } };
}

// ---------------------------------------------------------------------------------------------
// H4 Adagrad, H5 Adadelta, H6 RMSprop, H7 Adam

/**
 * H4 — Adagrad [Training] "Adagrad":
 *   θ_{t+1,i} = θ_{t,i} − η/√(G_{t,ii} + ε) · g_{t,i}
 * where G_{t,ii} is the sum of the squares of the gradients w.r.t. θ_i up to time step t (this
 * step's g² included): G ← G + g² first, G_0 = 0. ε is inside the square root.
 */
export function adagradStep(theta: Vector, g: Vector, state: AdagradState, hyper: AdagradHyper): Step<AdagradState> {
  const fn = 'adagradStep';
  thetaAndGradient(fn, theta, g);
  const G = stateVector(fn, state, 'G', theta.length);
  const lr = eta(fn, hyper);
  const eps = epsilon(fn, hyper);
  const Gt = G.map((Gi, i) => Gi + g[i] * g[i]);
  return { theta: theta.map((th, i) => th - (lr / Math.sqrt(Gt[i] + eps)) * g[i]), state: { G: Gt } };
}

/**
 * H5 — Adadelta [Training] "Adadelta" (Zeiler's form; no learning rate):
 *   E[g²]_t   = γ E[g²]_{t−1} + (1 − γ) g_t²
 *   RMS[x]_t  = √(E[x²]_t + ε)
 *   Δθ_t      = −RMS[Δθ]_{t−1} / RMS[g]_t · g_t
 *   E[Δθ²]_t  = γ E[Δθ²]_{t−1} + (1 − γ) Δθ_t²
 *   θ_{t+1}   = θ_t + Δθ_t
 * The numerator uses last step's E[Δθ²] and the denominator this step's E[g²]. The slide shows
 * RMS[Δθ]_t but not how E[Δθ²] is updated: it is the same running average as E[g²] (Zeiler 2012).
 *
 * Framework conventions (the defaults are the notes' form):
 * - hyper.eta = η (default 1): θ_{t+1} = θ_t + η·Δθ_t, with E[Δθ²] still accumulating the
 *   unscaled Δθ_t. This is PyTorch's Adadelta (`lr`, default 1.0: exactly the notes) and
 *   TensorFlow/Keras's (`learning_rate`, default 0.001).
 * - hyper.form = 'tfjs': tf.train.adadelta(learningRate = η, rho = γ, epsilon = ε), which divides
 *   by LAST step's E[g²] and updates it afterwards:
 *     Δθ_t = −√(E[Δθ²]_{t−1} + ε)/√(E[g²]_{t−1} + ε)·g_t,   θ_{t+1} = θ_t + η·Δθ_t
 *   From the zero state its first step is √ε/√ε·g = plain SGD with rate η. No choice of η maps
 *   this form onto the notes' (their ratio depends on g), hence a form and not a parameter.
 */
export function adadeltaStep(theta: Vector, g: Vector, state: AdadeltaState, hyper: AdadeltaHyper): Step<AdadeltaState> {
  const fn = 'adadeltaStep';
  thetaAndGradient(fn, theta, g);
  const Eg2 = stateVector(fn, state, 'Eg2', theta.length);
  const Edtheta2 = stateVector(fn, state, 'Edtheta2', theta.length);
  const gamma = rate(fn, 'gamma', hyper);
  const eps = epsilon(fn, hyper);
  const lr = hyper.eta === undefined ? 1 : eta(fn, hyper);
  const form = oneOf(fn, 'hyper.form', hyper.form ?? 'notes', ADADELTA_FORMS);
  const Eg2t = Eg2.map((E, i) => gamma * E + (1 - gamma) * g[i] * g[i]);
  const denominator = form === 'tfjs' ? Eg2 : Eg2t;
  const dtheta = g.map((gi, i) => -(Math.sqrt(Edtheta2[i] + eps) / Math.sqrt(denominator[i] + eps)) * gi);
  const Edtheta2t = Edtheta2.map((E, i) => gamma * E + (1 - gamma) * dtheta[i] * dtheta[i]);
  return { theta: theta.map((th, i) => th + lr * dtheta[i]), state: { Eg2: Eg2t, Edtheta2: Edtheta2t } };
}

/**
 * H6 — RMSprop [Training] "RMSprop":
 *   E[g²]_t = 0.9 E[g²]_{t−1} + 0.1 g_t²      (γ = 0.9 on the slide; γ is a parameter here)
 *   θ_{t+1} = θ_t − η/√(E[g²]_t + ε) · g_t    (ε inside the square root)
 *
 * Framework conventions (each off by default, which is the notes' form above). With
 * D_t = E[g²]_t, or D_t = E[g²]_t − E[g]_t² where E[g]_t = γ E[g]_{t−1} + (1 − γ) g_t (centred),
 * and the root r_t = √(D_t + ε) (ε 'inside') or √D_t + ε ('outside'):
 *   no momentum:      θ_{t+1} = θ_t − η·g_t / r_t
 *   hyper.momentum μ: mom_t = μ·mom_{t−1} + η·g_t / r_t,   θ_{t+1} = θ_t − mom_t
 * - tf.train.rmsprop(η, decay = γ, momentum = μ, epsilon = ε, centered) is ε 'inside' with η
 *   inside the buffer, as here. Its centred form subtracts ε (√(E[g²] − E[g]² − ε)); TF/Keras add it,
 *   as here: tfjs with epsilon = −ε reproduces this form.
 * - torch.optim.RMSprop(lr = η, alpha = γ, eps = ε, momentum = μ, centered) is ε 'outside', with
 *   its buffer b_t = μ·b_{t−1} + g_t/r_t and θ ← θ − η·b_t: the same steps while η is constant
 *   (mom = η·b).
 */
export function rmspropStep(theta: Vector, g: Vector, state: RmspropState, hyper: RmspropHyper): Step<RmspropState> {
  const fn = 'rmspropStep';
  thetaAndGradient(fn, theta, g);
  const Eg2 = stateVector(fn, state, 'Eg2', theta.length);
  const lr = eta(fn, hyper);
  const gamma = rate(fn, 'gamma', hyper);
  const eps = epsilon(fn, hyper);
  const placement = oneOf(fn, 'hyper.epsilonPlacement', hyper.epsilonPlacement ?? 'inside', EPSILON_PLACEMENTS);
  const centered = hyper.centered ?? false;
  if (typeof centered !== 'boolean') throw new ArgumentError(fn, 'hyper.centered', `must be a boolean; got ${describe(centered)}`);
  const mu = hyper.momentum === undefined ? undefined : rate(fn, 'momentum', hyper);
  const Eg2t = Eg2.map((E, i) => gamma * E + (1 - gamma) * g[i] * g[i]);
  const Egt = centered ? stateVector(fn, state, 'Eg', theta.length).map((E, i) => gamma * E + (1 - gamma) * g[i]) : undefined;
  const D = Egt ? Eg2t.map((E, i) => E - Egt[i] * Egt[i]) : Eg2t;
  const root = D.map((Di) => (placement === 'inside' ? Math.sqrt(Di + eps) : placement === 'subtracted' ? Math.sqrt(Di - eps) : Math.sqrt(Di) + eps));
  const step = g.map((gi, i) => (lr * gi) / root[i]);
  const next: RmspropState = { Eg2: Eg2t };
  if (Egt) next.Eg = Egt;
  if (mu !== undefined) {
    const mom = stateVector(fn, state, 'mom', theta.length);
    next.mom = mom.map((m, i) => mu * m + step[i]);
  }
  const delta = next.mom ?? step;
  return { theta: theta.map((th, i) => th - delta[i]), state: next };
}

/**
 * H7 — Adam [Training] "Adam":
 *   m_t = β1 m_{t−1} + (1 − β1) g_t
 *   v_t = β2 v_{t−1} + (1 − β2) g_t²
 *   m̂_t = m_t / (1 − β1^t),   v̂_t = v_t / (1 − β2^t)
 *   θ_{t+1} = θ_t − η/(√v̂_t + ε) · m̂_t
 * t counts the steps: it is incremented before the bias correction (the first step uses t = 1).
 * ε is added outside the square root. The notes' defaults are β1 = 0.9, β2 = 0.999, ε = 10⁻⁸.
 */
export function adamStep(theta: Vector, g: Vector, state: AdamState, hyper: AdamHyper): Step<AdamState> {
  const fn = 'adamStep';
  thetaAndGradient(fn, theta, g);
  const m = stateVector(fn, state, 'm', theta.length);
  const v = stateVector(fn, state, 'v', theta.length);
  assertInteger(fn, 'state.t', state.t, 0);
  const lr = eta(fn, hyper);
  const beta1 = rate(fn, 'beta1', hyper);
  const beta2 = rate(fn, 'beta2', hyper);
  const eps = epsilon(fn, hyper);
  const t = state.t + 1;
  const mt = m.map((mi, i) => beta1 * mi + (1 - beta1) * g[i]);
  const vt = v.map((vi, i) => beta2 * vi + (1 - beta2) * g[i] * g[i]);
  const mHat = mt.map((mi) => mi / (1 - beta1 ** t));
  const vHat = vt.map((vi) => vi / (1 - beta2 ** t));
  return { theta: theta.map((th, i) => th - (lr / (Math.sqrt(vHat[i]) + eps)) * mHat[i]), state: { m: mt, v: vt, t } };
}

// ---------------------------------------------------------------------------------------------
// H8 trajectories

function zeros(d: number): Vector {
  return new Array<number>(d).fill(0);
}

/**
 * The all-zero initial state of each optimiser (t = 0 for Adam), for d parameters; RMSprop's
 * momentum buffer and E[g] are there when its options ask for them.
 */
function initialState(name: OptimizerName, d: number, hyper: Hyper): unknown {
  switch (name) {
    case 'gd':
      return {};
    case 'momentum':
    case 'nesterov':
      return { v: zeros(d) };
    case 'adagrad':
      return { G: zeros(d) };
    case 'adadelta':
      return { Eg2: zeros(d), Edtheta2: zeros(d) };
    case 'rmsprop':
      return { Eg2: zeros(d), ...(hyper.momentum === undefined ? {} : { mom: zeros(d) }), ...(hyper.centered === true ? { Eg: zeros(d) } : {}) };
    case 'adam':
      return { m: zeros(d), v: zeros(d), t: 0 };
  }
}

type AnyStep = (theta: Vector, g: Vector, state: never, hyper: never) => Step<unknown>;
const STEPS: Record<OptimizerName, AnyStep> = {
  gd: sgdStep,
  momentum: momentumStep,
  nesterov: nesterovStep,
  adagrad: adagradStep,
  adadelta: adadeltaStep,
  rmsprop: rmspropStep,
  adam: adamStep,
};

function evaluate(objective: Objective, theta: Vector): { loss: number; grad: Vector } {
  const r = objective(theta);
  assertObject('train', 'objective(θ)', r);
  assertNumber('train', 'objective(θ).loss', r.loss);
  assertVector('train', 'objective(θ).grad', r.grad, theta.length);
  return r;
}

/**
 * H8 — runs `steps` steps of optimiser `name` on `objective` from θ₀ and records the loss
 * [Training] "SGD optimization on loss surface contours", "SGD optimization on saddle point".
 *
 * losses[k] = J(θ_k) for k = 0 … steps (losses[0] = J(θ₀), losses[steps] = J(θ) returned).
 * The objective is called exactly once at each θ_k (its gradient drives step k+1, its loss is
 * recorded), so steps + 1 calls; Nesterov also evaluates the gradient at each look-ahead point
 * θ_k − γv_k, k < steps: 2·steps + 1 calls. Each optimiser starts from its all-zero state.
 */
export function train(name: OptimizerName, objective: Objective, theta0: Vector, hyper: Hyper, steps: number): { theta: Vector; losses: number[] } {
  const fn = 'train';
  if (!OPTIMIZERS.includes(name)) {
    throw new ArgumentError(fn, 'name', `must be one of ${OPTIMIZERS.map((n) => `'${n}'`).join(', ')}; got ${JSON.stringify(name)}`);
  }
  assertFunction(fn, 'objective', objective);
  assertVector(fn, 'theta0', theta0);
  assertObject(fn, 'hyper', hyper);
  assertInteger(fn, 'steps', steps, 0);
  const step = STEPS[name];
  let theta = theta0;
  let state = initialState(name, theta0.length, hyper);
  let here = evaluate(objective, theta);
  const losses = [here.loss];
  for (let k = 0; k < steps; k++) {
    const g = name === 'nesterov' ? evaluate(objective, nesterovLookahead(theta, state as NesterovState, hyper as NesterovHyper)).grad : here.grad;
    ({ theta, state } = step(theta, g, state as never, hyper as never));
    here = evaluate(objective, theta);
    losses.push(here.loss);
  }
  return { theta, losses };
}
