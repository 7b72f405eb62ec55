/**
 * M. Recurrent networks — catalogue family M: the Elman RNN (M1), backpropagation through time,
 * full and truncated (M2), the gradient-norm story: the product of the step Jacobians and
 * gradient clipping (M3), the LSTM (M4), the peephole LSTM (M5) and the GRU (M6), forward and
 * backward through time.
 * Notes' form: column vectors, one example (a sequence) per call; the gates' weights act on [h, x].
 *
 * Deck: [Training] "Types of RNN" (many-to-one, many-to-many), "Weight Matrix" (net input and
 * activation of the hidden and output layers), "Backpropagation through time (BPTT)" (L = Σ_t L^(t),
 * the sum over k of ∂h^(t)/∂h^(k) as a product of adjacent steps), "Solutions to the
 * vanishing/exploding gradient problems" (gradient clipping, truncated BPTT, LSTM), "Long short-term memory (LSTM)" (the
 * forget, input and output gates and the candidate over [h_{t−1}, x_t], the cell state), "Gated
 * Recurrent Unit(GRU)" (z, r, h̃ = tanh(W·[r_t * h_{t−1}, x_t]), no biases).
 *
 * symbol        id        shape      meaning
 * x^(t)         xs[t−1]   [D]        input at step t = 1 … T
 * h^(0)         h0        [H]        initial state
 * W_hx          Whx       [H, D]     input → hidden
 * W_hh          Whh       [H, H]     hidden → hidden (the recurrent weights)
 * b_h           bh        [H]
 * z_h^(t)       zh[t−1]   [H]        W_hx x^(t) + W_hh h^(t−1) + b_h
 * h^(t)         h[t−1]    [H]        σ_h(z_h^(t)), σ_h = tanh (default) or the logistic sigmoid
 * W_yh, b_y     Wyh, by   [K, H], [K]
 * z_y^(t)       zy        [K]        W_yh h^(t) + b_y
 * y^(t)         y         [K]        σ_y(z_y^(t)), σ_y = identity (default), sigmoid or tanh
 * dy            dy        like y     upstream gradient ∂L/∂y^(t) of L = Σ_t L^(t)
 * J_t           —         [H, H]     ∂h^(t)/∂h^(t−1) = diag(σ_h′(z_h^(t))) W_hh
 *
 * Conventions:
 * - many-to-many has an output y^(t) at every step; many-to-one only y^(T) ([Training] "Types of
 *   RNN"). The outputs, and dy, are lists of T vectors or of one.
 * - Backward passes are driven by an upstream gradient dy (the loss is left to the caller, as
 *   everywhere in this suite): L = Σ_t dy^(t) · y^(t) is the loss whose gradient they return.
 * - Truncated BPTT to k steps (Williams & Peng's BPTT(k)): the gradient of each L^(t) flows back
 *   through at most k steps, the sum over s of [Training]'s formula runs over s = t − k + 1 … t,
 *   and h^(0) gets the part of L^(t) only when the window reaches it (t ≤ k). k ≥ T is full BPTT.
 *   (The other scheme, cutting the sequence into chunks of k and detaching the state between
 *   them, gives a different gradient; it is not this one.)
 * - Derivatives are taken from the outputs as the notes do: tanh′ = 1 − h², σ′ = h(1 − h).
 */
import { sigmoid, tanh } from './activations.ts';
import { ArgumentError, assertInteger, assertMatrix, assertNumber, assertVector, type Matrix, type Vector } from './tensor.ts';

export type HiddenActivation = 'tanh' | 'sigmoid';
export type OutputActivation = 'linear' | 'sigmoid' | 'tanh';
export type RnnMode = 'many-to-many' | 'many-to-one';

/** The notes' weights of an Elman network ([Training] "Weight Matrix"). */
export interface RnnParams {
  Whx: Matrix;
  Whh: Matrix;
  bh: Vector;
  Wyh: Matrix;
  by: Vector;
}

/** Defaults: activation 'tanh', output 'linear', mode 'many-to-many'. */
export interface RnnOptions {
  activation?: HiddenActivation;
  output?: OutputActivation;
  mode?: RnnMode;
}

/** One step: both net inputs and both activations. */
export interface RnnStep {
  zh: Vector;
  h: Vector;
  zy: Vector;
  y: Vector;
}

/**
 * What rnnBackward needs: the inputs, the weights, the options resolved, and per step z_h^(t),
 * h^(t) (t = 1 … T) and z_y of every output (T of them, or one for many-to-one).
 */
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

/** ∂L/∂ of every weight, of h^(0) and of every input x^(t). */
export interface RnnGradients {
  dWhx: Matrix;
  dWhh: Matrix;
  dbh: Vector;
  dWyh: Matrix;
  dby: Vector;
  dh0: Vector;
  dxs: Vector[];
}

// ---------------------------------------------------------------------------------------------
// small linear algebra and the activations, applied to vectors

const dot = (u: Vector, v: Vector): number => u.reduce((s, ui, i) => s + ui * v[i], 0);
const matVec = (W: Matrix, x: Vector): Vector => W.map((row) => dot(row, x));
/** Wᵀd: column j of W dotted with d. */
const matTVec = (W: Matrix, d: Vector): Vector => W[0].map((_, j) => W.reduce((s, row, k) => s + row[j] * d[k], 0));
const add = (u: Vector, v: Vector): Vector => u.map((ui, i) => ui + v[i]);
const zerosM = (r: number, c: number): Matrix => Array.from({ length: r }, () => new Array<number>(c).fill(0));
/** M += u vᵀ in place (M is a local accumulator). */
const addOuter = (M: Matrix, u: Vector, v: Vector): void => u.forEach((ui, i) => v.forEach((vj, j) => (M[i][j] += ui * vj)));
const identity = (n: number): Matrix => Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)));
const matMul = (A: Matrix, B: Matrix): Matrix => A.map((row) => B[0].map((_, j) => row.reduce((s, v, k) => s + v * B[k][j], 0)));

function activate(act: HiddenActivation | OutputActivation, z: Vector): Vector {
  return act === 'tanh' ? z.map(tanh) : act === 'sigmoid' ? z.map(sigmoid) : z.slice();
}

/** σ′ written from the output a = σ(z): tanh′ = 1 − a², sigmoid′ = a(1 − a), identity′ = 1. */
function slope(act: HiddenActivation | OutputActivation, a: Vector): Vector {
  return act === 'tanh' ? a.map((v) => 1 - v * v) : act === 'sigmoid' ? a.map((v) => v * (1 - v)) : a.map(() => 1);
}

// ---------------------------------------------------------------------------------------------
// validation

function assertChoice<T extends string>(fn: string, arg: string, x: unknown, allowed: readonly T[]): asserts x is T {
  if (typeof x !== 'string' || !allowed.includes(x as T)) throw new ArgumentError(fn, arg, `must be one of ${allowed.map((a) => `'${a}'`).join(', ')}; got ${String(x)}`);
}

function resolve(fn: string, options: unknown): Required<RnnOptions> {
  if (options !== undefined && (options === null || typeof options !== 'object')) throw new ArgumentError(fn, 'options', `must be an object { activation?, output?, mode? }; got ${String(options)}`);
  const { activation = 'tanh', output = 'linear', mode = 'many-to-many' } = (options ?? {}) as RnnOptions;
  assertChoice(fn, 'options.activation', activation, ['tanh', 'sigmoid']);
  assertChoice(fn, 'options.output', output, ['linear', 'sigmoid', 'tanh']);
  assertChoice(fn, 'options.mode', mode, ['many-to-many', 'many-to-one']);
  return { activation, output, mode };
}

/** The five weights with consistent sizes; returns [D, H, K]. */
function assertParams(fn: string, arg: string, p: unknown): [number, number, number] {
  if (p === null || typeof p !== 'object') throw new ArgumentError(fn, arg, `must be { Whx, Whh, bh, Wyh, by }; got ${String(p)}`);
  const { Whx, Whh, bh, Wyh, by } = p as RnnParams;
  assertMatrix(fn, `${arg}.Whx`, Whx);
  const [H, D] = [Whx.length, Whx[0].length];
  assertMatrix(fn, `${arg}.Whh`, Whh, H, H);
  assertVector(fn, `${arg}.bh`, bh, H);
  assertMatrix(fn, `${arg}.Wyh`, Wyh, undefined, H);
  assertVector(fn, `${arg}.by`, by, Wyh.length);
  return [D, H, Wyh.length];
}

function assertSequence(fn: string, arg: string, xs: unknown, D: number, length?: number): asserts xs is Vector[] {
  if (!Array.isArray(xs) || xs.length === 0) throw new ArgumentError(fn, arg, `must be a non-empty list of vectors; got ${Array.isArray(xs) ? 'an empty list' : String(xs)}`);
  if (length !== undefined && xs.length !== length) throw new ArgumentError(fn, arg, `must hold ${length} vectors; got ${xs.length}`);
  xs.forEach((x, t) => assertVector(fn, `${arg}[${t}]`, x, D));
}

function assertCache(fn: string, cache: unknown): asserts cache is RnnCache {
  if (cache === null || typeof cache !== 'object') throw new ArgumentError(fn, 'cache', `must be the cache of rnnForward { xs, h0, params, activation, output, mode, zh, h, zy }; got ${String(cache)}`);
  const c = cache as RnnCache;
  const [D, H, K] = assertParams(fn, 'cache.params', c.params);
  resolve(fn, { activation: c.activation, output: c.output, mode: c.mode });
  assertSequence(fn, 'cache.xs', c.xs, D);
  const T = c.xs.length;
  assertVector(fn, 'cache.h0', c.h0, H);
  assertSequence(fn, 'cache.zh', c.zh, H, T);
  assertSequence(fn, 'cache.h', c.h, H, T);
  assertSequence(fn, 'cache.zy', c.zy, K, c.mode === 'many-to-one' ? 1 : T);
}

// ---------------------------------------------------------------------------------------------
// M1 — the Elman RNN

function stepUnchecked(x: Vector, hPrev: Vector, p: RnnParams, activation: HiddenActivation): { zh: Vector; h: Vector } {
  const zh = add(add(matVec(p.Whx, x), matVec(p.Whh, hPrev)), p.bh);
  return { zh, h: activate(activation, zh) };
}

/**
 * M1 — one step of the Elman RNN ([Training] "Weight Matrix"):
 *   z_h = W_hx x^(t) + W_hh h^(t−1) + b_h,  h^(t) = σ_h(z_h),  z_y = W_yh h^(t) + b_y,  y^(t) = σ_y(z_y).
 */
export function rnnStep(x: Vector, hPrev: Vector, params: RnnParams, options?: RnnOptions): RnnStep {
  const fn = 'rnnStep';
  const [D, H] = assertParams(fn, 'params', params);
  assertVector(fn, 'x', x, D);
  assertVector(fn, 'hPrev', hPrev, H);
  const { activation, output } = resolve(fn, options);
  const { zh, h } = stepUnchecked(x, hPrev, params, activation);
  const zy = add(matVec(params.Wyh, h), params.by);
  return { zh, h, zy, y: activate(output, zy) };
}

/**
 * M1 — the Elman RNN over a sequence x^(1) … x^(T) from h^(0): h^(t) = σ_h(W_hx x^(t) + W_hh h^(t−1) + b_h)
 * for t = 1 … T; many-to-many returns y^(t) = σ_y(W_yh h^(t) + b_y) for every t, many-to-one only y^(T)
 * ([Training] "Types of RNN", "Weight Matrix"). h lists h^(1) … h^(T).
 */
export function rnnForward(xs: Vector[], h0: Vector, params: RnnParams, options?: RnnOptions): { y: Vector[]; h: Vector[]; cache: RnnCache } {
  const fn = 'rnnForward';
  const [D, H] = assertParams(fn, 'params', params);
  assertSequence(fn, 'xs', xs, D);
  assertVector(fn, 'h0', h0, H);
  const { activation, output, mode } = resolve(fn, options);
  const zh: Vector[] = [];
  const h: Vector[] = [];
  xs.forEach((x, t) => {
    const s = stepUnchecked(x, t === 0 ? h0 : h[t - 1], params, activation);
    zh.push(s.zh);
    h.push(s.h);
  });
  const outputsAt = mode === 'many-to-one' ? [h[h.length - 1]] : h;
  const zy = outputsAt.map((ht) => add(matVec(params.Wyh, ht), params.by));
  return { y: zy.map((z) => activate(output, z)), h, cache: { xs, h0, params, activation, output, mode, zh, h, zy } };
}

// ---------------------------------------------------------------------------------------------
// M2 — backpropagation through time

/**
 * M2 — BPTT: the gradient of L = Σ_t L^(t), with ∂L/∂y^(t) = dy^(t), for every weight, for h^(0)
 * and for every x^(t) ([Training] "Backpropagation through time (BPTT)"):
 *   ∂L^(t)/∂W_hh = ∂L^(t)/∂y^(t) · ∂y^(t)/∂h^(t) · Σ_{s=1}^{t} (Π_{i=s+1}^{t} ∂h^(i)/∂h^(i−1)) · ∂⁺h^(s)/∂W_hh,
 * where ∂⁺ is the immediate partial (h^(s−1) held fixed), and likewise for W_hx, b_h, h^(0) and x^(s).
 * Full BPTT (truncate omitted) runs the usual backward recursion δ^(t) = σ_h′ ⊙ (W_yhᵀ δ_y^(t) + W_hhᵀ δ^(t+1));
 * truncated BPTT to k steps sums s over t − k + 1 … t only (h^(0) gets L^(t)'s part when t ≤ k),
 * one window per loss term, so k ≥ T gives full BPTT. The output layer's gradients,
 * ∂L/∂W_yh = Σ_t δ_y^(t) h^(t)ᵀ and ∂L/∂b_y = Σ_t δ_y^(t) with δ_y = dy ⊙ σ_y′, are not truncated.
 */
export function rnnBackward(dy: Vector[], cache: RnnCache, truncate?: number): RnnGradients {
  const fn = 'rnnBackward';
  assertCache(fn, cache);
  const { xs, h0, params: p, activation, output, mode, h, zy } = cache;
  const [T, D, H, K] = [xs.length, p.Whx[0].length, p.Whh.length, p.Wyh.length];
  assertSequence(fn, 'dy', dy, K, zy.length);
  if (truncate !== undefined) assertInteger(fn, 'truncate', truncate, 1);
  const g: RnnGradients = { dWhx: zerosM(H, D), dWhh: zerosM(H, H), dbh: new Array<number>(H).fill(0), dWyh: zerosM(K, H), dby: new Array<number>(K).fill(0), dh0: new Array<number>(H).fill(0), dxs: zerosM(T, D) };
  // δ_y and ∂L^(t)/∂h^(t) at every step that has an output (0 where it has none)
  const stepOf = (j: number) => (mode === 'many-to-one' ? T - 1 : j);
  const dhOut: Vector[] = Array.from({ length: T }, () => new Array<number>(H).fill(0));
  zy.forEach((z, j) => {
    const t = stepOf(j);
    const dSigma = slope(output, activate(output, z));
    const dzy = dy[j].map((d, k) => d * dSigma[k]);
    addOuter(g.dWyh, dzy, h[t]);
    dzy.forEach((v, k) => (g.dby[k] += v));
    dhOut[t] = matTVec(p.Wyh, dzy);
  });
  const hPrev = (t: number) => (t === 0 ? h0 : h[t - 1]);
  /** The immediate partials of step t (0-based) for δ = ∂L/∂z_h^(t): adds them and returns W_hhᵀ δ. */
  const through = (t: number, dh: Vector): Vector => {
    const dSigma = slope(activation, h[t]);
    const delta = dh.map((v, i) => v * dSigma[i]);
    addOuter(g.dWhx, delta, xs[t]);
    addOuter(g.dWhh, delta, hPrev(t));
    delta.forEach((v, i) => (g.dbh[i] += v));
    g.dxs[t] = add(g.dxs[t], matTVec(p.Whx, delta));
    return matTVec(p.Whh, delta);
  };
  if (truncate === undefined) {
    let carry = new Array<number>(H).fill(0);
    for (let t = T - 1; t >= 0; t--) carry = through(t, add(dhOut[t], carry));
    g.dh0 = carry;
  } else {
    for (let t = 0; t < T; t++) {
      if (mode === 'many-to-one' && t !== T - 1) continue;
      let dh = dhOut[t];
      const first = Math.max(0, t - truncate + 1);
      for (let s = t; s >= first; s--) dh = through(s, dh);
      if (first === 0) g.dh0 = add(g.dh0, dh);
    }
  }
  return g;
}

// ---------------------------------------------------------------------------------------------
// M3 — the product of the step Jacobians, and clipping

/**
 * M3 — the step Jacobians J_t = ∂h^(t)/∂h^(t−1) = diag(σ_h′(z_h^(t))) W_hh, t = 1 … T, of a forward
 * pass: row i of W_hh scaled by σ_h′(z_h,i^(t)) ([Training] "Backpropagation through time (BPTT)":
 * "computed as a multiplication of adjacent time steps").
 */
export function stepJacobians(cache: RnnCache): Matrix[] {
  assertCache('stepJacobians', cache);
  const { params, activation, h } = cache;
  return h.map((ht) => {
    const d = slope(activation, ht);
    return params.Whh.map((row, i) => row.map((w) => d[i] * w));
  });
}

/**
 * M3 — ∂h^(t)/∂h^(k) = Π_{i=k+1}^{t} ∂h^(i)/∂h^(i−1) = J_t J_{t−1} … J_{k+1} for 0 ≤ k ≤ t ≤ T (the
 * identity when k = t). Its norm is at most Π_i ‖diag σ_h′‖ ‖W_hh‖ ≤ (γ‖W_hh‖)^(t−k), γ = 1 for tanh
 * and ¼ for the sigmoid: it shrinks geometrically when γ‖W_hh‖ < 1 (vanishing gradients) and can
 * grow geometrically when the recurrent weights are large (exploding gradients).
 */
export function jacobianProduct(cache: RnnCache, t: number, k: number): Matrix {
  const fn = 'jacobianProduct';
  assertCache(fn, cache);
  const T = cache.xs.length;
  assertInteger(fn, 't', t, 0);
  assertInteger(fn, 'k', k, 0);
  if (t > T) throw new ArgumentError(fn, 't', `must be a step 0 … T = ${T}; got ${t}`);
  if (k > t) throw new ArgumentError(fn, 'k', `must satisfy k ≤ t = ${t}; got ${k}`);
  const J = stepJacobians(cache);
  let P = identity(cache.h0.length);
  for (let i = k + 1; i <= t; i++) P = matMul(J[i - 1], P); // J_i on the left: J_t … J_{k+1}
  return P;
}

/**
 * M3 — gradient clipping by the global norm ([Training] "Solutions to the vanishing/exploding
 * gradient problems": "Gradient Clipping"; Pascanu et al. 2013): with ‖g‖ = √(Σ of every squared
 * entry of every gradient), g ← g · maxNorm/‖g‖ when ‖g‖ > maxNorm, and g unchanged otherwise.
 * The direction of the whole update is kept; only its length is capped.
 */
export function clipGradientNorm<G extends Record<string, Vector | Matrix>>(grads: G, maxNorm: number): G {
  const fn = 'clipGradientNorm';
  if (grads === null || typeof grads !== 'object' || Array.isArray(grads) || Object.keys(grads).length === 0) {
    throw new ArgumentError(fn, 'grads', `must be a non-empty object of vectors and matrices; got ${Array.isArray(grads) ? 'an array' : String(grads)}`);
  }
  for (const [name, v] of Object.entries(grads)) {
    if (Array.isArray(v) && Array.isArray(v[0])) assertMatrix(fn, `grads.${name}`, v);
    else assertVector(fn, `grads.${name}`, v);
  }
  assertNumber(fn, 'maxNorm', maxNorm);
  if (maxNorm <= 0) throw new ArgumentError(fn, 'maxNorm', `must be > 0; got ${maxNorm}`);
  const entries = Object.values(grads).flatMap((v) => (v as number[] | number[][]).flat());
  const norm = Math.hypot(...entries);
  const scale = norm > maxNorm ? maxNorm / norm : 1;
  return Object.fromEntries(Object.entries(grads).map(([name, v]) => [name, Array.isArray(v[0]) ? (v as Matrix).map((row) => row.map((e) => e * scale)) : (v as Vector).map((e) => e * scale)])) as G;
}

// ---------------------------------------------------------------------------------------------
// M4, M5 — the LSTM and the peephole LSTM
//
// symbol        id         shape            meaning
// [h, x]        —          [H + D]          h^(t−1) stacked on x^(t): h first, as the notes write it
// W_f, b_f      Wf, bf     [H, H + D], [H]  forget gate f = σ(W_f[h, x] + b_f)
// W_i, b_i      Wi, bi     [H, H + D], [H]  input gate i = σ(W_i[h, x] + b_i)
// W_C, b_C      WC, bC     [H, H + D], [H]  candidate C̃ = tanh(W_C[h, x] + b_C)
// W_o, b_o      Wo, bo     [H, H + D], [H]  output gate o = σ(W_o[h, x] + b_o)
// C^(t)         c[t−1]     [H]              cell: C = f ⊙ C^(t−1) + i ⊙ C̃
// h^(t)         h[t−1]     [H]              o ⊙ tanh(C)
// peephole (M5): W_f, W_i [H, 2H + D] over [C^(t−1), h, x]; W_o [H, 2H + D] over [C^(t), h, x]; W_C as above.

/** The notes' per-gate LSTM weights ([Training] "Long short-term memory (LSTM)"): every W over [h^(t−1), x^(t)]. */
export interface LstmParams {
  Wf: Matrix;
  bf: Vector;
  Wi: Matrix;
  bi: Vector;
  WC: Matrix;
  bC: Vector;
  Wo: Matrix;
  bo: Vector;
}

/** One LSTM step: the gates, the candidate, the new cell and the new state. */
export interface LstmStep {
  f: Vector;
  i: Vector;
  cTilde: Vector;
  c: Vector;
  o: Vector;
  h: Vector;
}

/** What the LSTM backward passes need: the inputs, the weights, and every step's gates, cells and states (t = 1 … T). */
export interface LstmCache {
  xs: Vector[];
  h0: Vector;
  c0: Vector;
  params: LstmParams;
  f: Vector[];
  i: Vector[];
  cTilde: Vector[];
  c: Vector[];
  o: Vector[];
  h: Vector[];
}

/** ∂L/∂ of every gate's weights and bias, of h^(0), C^(0) and every x^(t). */
export interface LstmGradients {
  dWf: Matrix;
  dbf: Vector;
  dWi: Matrix;
  dbi: Vector;
  dWC: Matrix;
  dbC: Vector;
  dWo: Matrix;
  dbo: Vector;
  dh0: Vector;
  dc0: Vector;
  dxs: Vector[];
}

const GATES = ['f', 'i', 'C', 'o'] as const;
type Gate = (typeof GATES)[number];
const wOf = (g: Gate) => `W${g}` as 'Wf' | 'Wi' | 'WC' | 'Wo';
const bOf = (g: Gate) => `b${g}` as 'bf' | 'bi' | 'bC' | 'bo';
const sigmoidV = (z: Vector) => z.map(sigmoid);
const tanhV = (z: Vector) => z.map(tanh);
const mul = (u: Vector, v: Vector): Vector => u.map((ui, k) => ui * v[k]);

/**
 * The LSTM weights with consistent sizes; returns [D, H]. `peephole`: W_f, W_i, W_o have 2H + D
 * columns (C, h, x), W_C has H + D.
 */
function assertLstmParams(fn: string, arg: string, p: unknown, peephole: boolean): [number, number] {
  if (p === null || typeof p !== 'object') throw new ArgumentError(fn, arg, `must be { Wf, bf, Wi, bi, WC, bC, Wo, bo }; got ${String(p)}`);
  const q = p as LstmParams;
  assertMatrix(fn, `${arg}.WC`, q.WC);
  const H = q.WC.length;
  const D = q.WC[0].length - H;
  if (D < 1) throw new ArgumentError(fn, `${arg}.WC`, `must be [H, H + D] with D ≥ 1 (over [h, x]); got ${H}×${q.WC[0].length}`);
  for (const g of GATES) {
    assertMatrix(fn, `${arg}.${wOf(g)}`, q[wOf(g)], H, g !== 'C' && peephole ? 2 * H + D : H + D);
    assertVector(fn, `${arg}.${bOf(g)}`, q[bOf(g)], H);
  }
  return [D, H];
}

function assertLstmCache(fn: string, cache: unknown, peephole: boolean): asserts cache is LstmCache {
  if (cache === null || typeof cache !== 'object') throw new ArgumentError(fn, 'cache', `must be the cache of the forward pass { xs, h0, c0, params, f, i, cTilde, c, o, h }; got ${String(cache)}`);
  const k = cache as LstmCache;
  const [D, H] = assertLstmParams(fn, 'cache.params', k.params, peephole);
  assertSequence(fn, 'cache.xs', k.xs, D);
  const T = k.xs.length;
  assertVector(fn, 'cache.h0', k.h0, H);
  assertVector(fn, 'cache.c0', k.c0, H);
  for (const name of ['f', 'i', 'cTilde', 'c', 'o', 'h'] as const) assertSequence(fn, `cache.${name}`, k[name], H, T);
}

/** One step of either LSTM, unchecked. */
function lstmStepUnchecked(x: Vector, hPrev: Vector, cPrev: Vector, p: LstmParams, peephole: boolean): LstmStep {
  const hx = [...hPrev, ...x];
  const net = (g: Gate, pre: Vector) => add(matVec(p[wOf(g)], [...pre, ...hx]), p[bOf(g)]);
  const before = peephole ? cPrev : [];
  const f = sigmoidV(net('f', before));
  const i = sigmoidV(net('i', before));
  const cTilde = tanhV(net('C', []));
  const c = add(mul(f, cPrev), mul(i, cTilde));
  const o = sigmoidV(net('o', peephole ? c : []));
  return { f, i, cTilde, c, o, h: mul(o, tanhV(c)) };
}

function lstmForwardUnchecked(xs: Vector[], h0: Vector, c0: Vector, params: LstmParams, peephole: boolean): { h: Vector[]; c: Vector[]; cache: LstmCache } {
  const cache: LstmCache = { xs, h0, c0, params, f: [], i: [], cTilde: [], c: [], o: [], h: [] };
  xs.forEach((x, t) => {
    const s = lstmStepUnchecked(x, t === 0 ? h0 : cache.h[t - 1], t === 0 ? c0 : cache.c[t - 1], params, peephole);
    for (const name of ['f', 'i', 'cTilde', 'c', 'o', 'h'] as const) cache[name].push(s[name]);
  });
  return { h: cache.h, c: cache.c, cache };
}

/**
 * BPTT through either LSTM for L = Σ_t dh^(t)·h^(t). Going from t = T down to 1, with
 * dh = dh^(t) + ∂L/∂h^(t) carried from step t + 1 and dC the cell's gradient carried likewise:
 *   δ_o = dh ⊙ tanh(C) ⊙ o(1 − o),  dC += dh ⊙ o ⊙ (1 − tanh²C)  (+ W_o,Cᵀ δ_o with peepholes),
 *   δ_f = dC ⊙ C^(t−1) ⊙ f(1 − f),  δ_i = dC ⊙ C̃ ⊙ i(1 − i),  δ_C = dC ⊙ i ⊙ (1 − C̃²),
 *   ∂L/∂W_g += δ_g [·, h^(t−1), x^(t)]ᵀ,  ∂L/∂b_g += δ_g,  [·, ∂h^(t−1), ∂x^(t)] = Σ_g W_gᵀ δ_g,
 *   ∂L/∂C^(t−1) = dC ⊙ f  (+ W_f,Cᵀ δ_f + W_i,Cᵀ δ_i with peepholes).
 */
function lstmBackwardUnchecked(dh: Vector[], k: LstmCache, peephole: boolean): LstmGradients {
  const { xs, h0, c0, params: p } = k;
  const [T, D, H] = [xs.length, xs[0].length, h0.length];
  const P = peephole ? H : 0;
  const g: LstmGradients = {
    dWf: zerosM(H, P + H + D), dbf: new Array<number>(H).fill(0), dWi: zerosM(H, P + H + D), dbi: new Array<number>(H).fill(0),
    dWC: zerosM(H, H + D), dbC: new Array<number>(H).fill(0), dWo: zerosM(H, P + H + D), dbo: new Array<number>(H).fill(0),
    dh0: [], dc0: [], dxs: zerosM(T, D),
  };
  let dhNext = new Array<number>(H).fill(0);
  let dcNext = new Array<number>(H).fill(0);
  for (let t = T - 1; t >= 0; t--) {
    const [hPrev, cPrev] = [t === 0 ? h0 : k.h[t - 1], t === 0 ? c0 : k.c[t - 1]];
    const [f, i, cTilde, c, o] = [k.f[t], k.i[t], k.cTilde[t], k.c[t], k.o[t]];
    const dhT = add(dh[t], dhNext);
    const tc = tanhV(c);
    const dzo = dhT.map((v, u) => v * tc[u] * o[u] * (1 - o[u]));
    let dc = add(dcNext, dhT.map((v, u) => v * o[u] * (1 - tc[u] * tc[u])));
    if (peephole) dc = add(dc, matTVec(p.Wo, dzo).slice(0, H));
    const dz: Record<Gate, Vector> = {
      f: dc.map((v, u) => v * cPrev[u] * f[u] * (1 - f[u])),
      i: dc.map((v, u) => v * cTilde[u] * i[u] * (1 - i[u])),
      C: dc.map((v, u) => v * i[u] * (1 - cTilde[u] * cTilde[u])),
      o: dzo,
    };
    const hx = [...hPrev, ...xs[t]];
    const inputOf = (gate: Gate) => (!peephole || gate === 'C' ? hx : [...(gate === 'o' ? c : cPrev), ...hx]);
    let dhx = new Array<number>(H + D).fill(0);
    let dcPrev = mul(dc, f);
    for (const gate of GATES) {
      addOuter(g[`d${wOf(gate)}`], dz[gate], inputOf(gate));
      dz[gate].forEach((v, u) => (g[`d${bOf(gate)}`][u] += v));
      const back = matTVec(p[wOf(gate)], dz[gate]);
      const skip = peephole && gate !== 'C' ? H : 0;
      if (peephole && (gate === 'f' || gate === 'i')) dcPrev = add(dcPrev, back.slice(0, H));
      dhx = add(dhx, back.slice(skip));
    }
    dhNext = dhx.slice(0, H);
    dcNext = dcPrev;
    g.dxs[t] = dhx.slice(H);
  }
  return { ...g, dh0: dhNext, dc0: dcNext };
}

function assertLstmState(fn: string, xs: unknown, h0: unknown, c0: unknown, D: number, H: number, sequence: boolean): void {
  if (sequence) assertSequence(fn, 'xs', xs, D);
  else assertVector(fn, 'x', xs, D);
  assertVector(fn, sequence ? 'h0' : 'hPrev', h0, H);
  assertVector(fn, sequence ? 'c0' : 'cPrev', c0, H);
}

/**
 * M4 — one LSTM step ([Training] "Long short-term memory (LSTM)"), the gates over [h^(t−1), x^(t)]:
 *   f = σ(W_f[h, x] + b_f), i = σ(W_i[h, x] + b_i), C̃ = tanh(W_C[h, x] + b_C),
 *   C^(t) = f ⊙ C^(t−1) + i ⊙ C̃, o = σ(W_o[h, x] + b_o), h^(t) = o ⊙ tanh(C^(t)).
 */
export function lstmStep(x: Vector, hPrev: Vector, cPrev: Vector, params: LstmParams): LstmStep {
  const fn = 'lstmStep';
  const [D, H] = assertLstmParams(fn, 'params', params, false);
  assertLstmState(fn, x, hPrev, cPrev, D, H, false);
  return lstmStepUnchecked(x, hPrev, cPrev, params, false);
}

/** M4 — the LSTM over x^(1) … x^(T) from h^(0), C^(0): lstmStep chained; h and c list h^(1) … h^(T) and C^(1) … C^(T). */
export function lstmForward(xs: Vector[], h0: Vector, c0: Vector, params: LstmParams): { h: Vector[]; c: Vector[]; cache: LstmCache } {
  const fn = 'lstmForward';
  const [D, H] = assertLstmParams(fn, 'params', params, false);
  assertLstmState(fn, xs, h0, c0, D, H, true);
  return lstmForwardUnchecked(xs, h0, c0, params, false);
}

/**
 * M4 — backpropagation through time for the LSTM: the gradient of L = Σ_t dh^(t)·h^(t) for every
 * gate's W and b, for h^(0), C^(0) and every x^(t). Two quantities are carried back from step to
 * step, ∂L/∂h^(t−1) = Σ_g W_g,hᵀ δ_g and ∂L/∂C^(t−1) = ∂L/∂C^(t) ⊙ f (the cell's additive path), where
 * ∂L/∂C^(t) = (carried) + ∂L/∂h^(t) ⊙ o ⊙ (1 − tanh²C^(t)); δ_f = ∂L/∂C ⊙ C^(t−1) ⊙ f(1 − f),
 * δ_i = ∂L/∂C ⊙ C̃ ⊙ i(1 − i), δ_C = ∂L/∂C ⊙ i ⊙ (1 − C̃²), δ_o = ∂L/∂h ⊙ tanh C ⊙ o(1 − o);
 * ∂L/∂W_g = Σ_t δ_g^(t) [h^(t−1), x^(t)]ᵀ, ∂L/∂b_g = Σ_t δ_g^(t).
 */
export function lstmBackward(dh: Vector[], cache: LstmCache): LstmGradients {
  const fn = 'lstmBackward';
  assertLstmCache(fn, cache, false);
  assertSequence(fn, 'dh', dh, cache.h0.length, cache.xs.length);
  return lstmBackwardUnchecked(dh, cache, false);
}

/**
 * The peephole LSTM's weights (M5): the same eight fields as LstmParams, but W_f, W_i and W_o are
 * [H, 2H + D], their first H columns the peepholes on the cell: W_f, W_i over [C^(t−1), h^(t−1), x^(t)],
 * W_o over [C^(t), h^(t−1), x^(t)] (the new cell); W_C stays [H, H + D] over [h^(t−1), x^(t)].
 */
export type PeepholeLstmParams = LstmParams;

/**
 * M5 — one peephole LSTM step ([Training] "Long short-term memory (LSTM)", the slides with
 * W_f·[C_{t−1}, h_{t−1}, x_t]): the forget and input gates also see the old cell, the output gate the
 * new one. The peepholes are full [H, H] blocks, as the notes' concatenation writes them (Gers &
 * Schmidhuber's original peepholes are diagonal: a diagonal block is the special case).
 *   f = σ(W_f[C^(t−1), h, x] + b_f), i = σ(W_i[C^(t−1), h, x] + b_i), C̃ = tanh(W_C[h, x] + b_C),
 *   C^(t) = f ⊙ C^(t−1) + i ⊙ C̃, o = σ(W_o[C^(t), h, x] + b_o), h^(t) = o ⊙ tanh(C^(t)).
 * With the peephole columns zero it is lstmStep (M4) with W_g's last H + D columns.
 */
export function peepholeLstmStep(x: Vector, hPrev: Vector, cPrev: Vector, params: PeepholeLstmParams): LstmStep {
  const fn = 'peepholeLstmStep';
  const [D, H] = assertLstmParams(fn, 'params', params, true);
  assertLstmState(fn, x, hPrev, cPrev, D, H, false);
  return lstmStepUnchecked(x, hPrev, cPrev, params, true);
}

/** M5 — the peephole LSTM over x^(1) … x^(T) from h^(0), C^(0): peepholeLstmStep chained; h and c list h^(1) … h^(T) and C^(1) … C^(T); the cache is an LstmCache. */
export function peepholeLstmForward(xs: Vector[], h0: Vector, c0: Vector, params: PeepholeLstmParams): { h: Vector[]; c: Vector[]; cache: LstmCache } {
  const fn = 'peepholeLstmForward';
  const [D, H] = assertLstmParams(fn, 'params', params, true);
  assertLstmState(fn, xs, h0, c0, D, H, true);
  return lstmForwardUnchecked(xs, h0, c0, params, true);
}

/**
 * M5 — backpropagation through time for the peephole LSTM, L = Σ_t dh^(t)·h^(t). As lstmBackward
 * (M4), with the peepholes' two extra paths into the cell:
 *   ∂L/∂C^(t) = (carried) + ∂L/∂h^(t) ⊙ o ⊙ (1 − tanh²C^(t)) + W_o,Cᵀ δ_o   (o sees the new cell),
 *   ∂L/∂C^(t−1) = ∂L/∂C^(t) ⊙ f + W_f,Cᵀ δ_f + W_i,Cᵀ δ_i                     (f and i see the old one),
 * where W_g,C are the first H columns of W_g; ∂L/∂W_f = Σ_t δ_f [C^(t−1), h^(t−1), x^(t)]ᵀ (W_i
 * likewise), ∂L/∂W_o = Σ_t δ_o [C^(t), h^(t−1), x^(t)]ᵀ, ∂L/∂W_C = Σ_t δ_C [h^(t−1), x^(t)]ᵀ.
 */
export function peepholeLstmBackward(dh: Vector[], cache: LstmCache): LstmGradients {
  const fn = 'peepholeLstmBackward';
  assertLstmCache(fn, cache, true);
  assertSequence(fn, 'dh', dh, cache.h0.length, cache.xs.length);
  return lstmBackwardUnchecked(dh, cache, true);
}

// ---------------------------------------------------------------------------------------------
// M6 — the GRU
//
// symbol        id         shape            meaning
// W_z, b_z      Wz, bz     [H, H + D], [H]  update gate z = σ(W_z[h, x] + b_z)
// W_r, b_r      Wr, br     [H, H + D], [H]  reset gate r = σ(W_r[h, x] + b_r)
// W, b          W, b       [H, H + D], [H]  candidate h̃ = tanh(W[r ⊙ h, x] + b): the reset before the matmul
// h^(t)         h[t−1]     [H]              (1 − z) ⊙ h^(t−1) + z ⊙ h̃
// The notes' GRU has no biases; bz, br, b are optional (each omitted one is 0).

/** The notes' GRU weights ([Training] "Gated Recurrent Unit(GRU)"), every W over [h^(t−1), x^(t)]; biases optional. */
export interface GruParams {
  Wz: Matrix;
  Wr: Matrix;
  W: Matrix;
  bz?: Vector;
  br?: Vector;
  b?: Vector;
}

export interface GruStep {
  z: Vector;
  r: Vector;
  hTilde: Vector;
  h: Vector;
}

export interface GruCache {
  xs: Vector[];
  h0: Vector;
  params: GruParams;
  z: Vector[];
  r: Vector[];
  hTilde: Vector[];
  h: Vector[];
}

/** The gradients of the three weights, of the three biases (also when they were omitted: the gradient at 0), of h^(0) and every x^(t). */
export interface GruGradients {
  dWz: Matrix;
  dbz: Vector;
  dWr: Matrix;
  dbr: Vector;
  dW: Matrix;
  db: Vector;
  dh0: Vector;
  dxs: Vector[];
}

function assertGruParams(fn: string, arg: string, p: unknown): [number, number] {
  if (p === null || typeof p !== 'object') throw new ArgumentError(fn, arg, `must be { Wz, Wr, W, bz?, br?, b? }; got ${String(p)}`);
  const q = p as GruParams;
  assertMatrix(fn, `${arg}.W`, q.W);
  const H = q.W.length;
  const D = q.W[0].length - H;
  if (D < 1) throw new ArgumentError(fn, `${arg}.W`, `must be [H, H + D] with D ≥ 1 (over [r ⊙ h, x]); got ${H}×${q.W[0].length}`);
  assertMatrix(fn, `${arg}.Wz`, q.Wz, H, H + D);
  assertMatrix(fn, `${arg}.Wr`, q.Wr, H, H + D);
  for (const b of ['bz', 'br', 'b'] as const) if (q[b] !== undefined) assertVector(fn, `${arg}.${b}`, q[b], H);
  return [D, H];
}

function gruStepUnchecked(x: Vector, hPrev: Vector, p: GruParams): GruStep {
  const H = hPrev.length;
  const bias = (b?: Vector) => b ?? new Array<number>(H).fill(0);
  const z = sigmoidV(add(matVec(p.Wz, [...hPrev, ...x]), bias(p.bz)));
  const r = sigmoidV(add(matVec(p.Wr, [...hPrev, ...x]), bias(p.br)));
  const hTilde = tanhV(add(matVec(p.W, [...mul(r, hPrev), ...x]), bias(p.b)));
  return { z, r, hTilde, h: hPrev.map((hp, u) => (1 - z[u]) * hp + z[u] * hTilde[u]) };
}

/**
 * M6 — one GRU step ([Training] "Gated Recurrent Unit(GRU)"):
 *   z = σ(W_z[h^(t−1), x^(t)] + b_z), r = σ(W_r[h^(t−1), x^(t)] + b_r),
 *   h̃ = tanh(W[r ⊙ h^(t−1), x^(t)] + b), h^(t) = (1 − z) ⊙ h^(t−1) + z ⊙ h̃;
 * the notes' form has no biases (omit bz, br, b). The reset gate scales h^(t−1) before the matmul.
 */
export function gruStep(x: Vector, hPrev: Vector, params: GruParams): GruStep {
  const fn = 'gruStep';
  const [D, H] = assertGruParams(fn, 'params', params);
  assertVector(fn, 'x', x, D);
  assertVector(fn, 'hPrev', hPrev, H);
  return gruStepUnchecked(x, hPrev, params);
}

/** M6 — the GRU over x^(1) … x^(T) from h^(0): gruStep chained; h lists h^(1) … h^(T). */
export function gruForward(xs: Vector[], h0: Vector, params: GruParams): { h: Vector[]; cache: GruCache } {
  const fn = 'gruForward';
  const [D, H] = assertGruParams(fn, 'params', params);
  assertSequence(fn, 'xs', xs, D);
  assertVector(fn, 'h0', h0, H);
  const cache: GruCache = { xs, h0, params, z: [], r: [], hTilde: [], h: [] };
  xs.forEach((x, t) => {
    const s = gruStepUnchecked(x, t === 0 ? h0 : cache.h[t - 1], params);
    cache.z.push(s.z);
    cache.r.push(s.r);
    cache.hTilde.push(s.hTilde);
    cache.h.push(s.h);
  });
  return { h: cache.h, cache };
}

/**
 * M6 — backpropagation through time for the GRU, L = Σ_t dh^(t)·h^(t). From t = T down to 1, with
 * dh = dh^(t) + ∂L/∂h^(t) carried from step t + 1 and W = [W_h | W_x] split at column H:
 *   δ_z = dh ⊙ (h̃ − h^(t−1)) ⊙ z(1 − z),  δ_h̃ = dh ⊙ z ⊙ (1 − h̃²),
 *   ∂(r ⊙ h^(t−1)) = W_hᵀ δ_h̃,  δ_r = ∂(r ⊙ h^(t−1)) ⊙ h^(t−1) ⊙ r(1 − r),
 *   ∂L/∂h^(t−1) = dh ⊙ (1 − z) + ∂(r ⊙ h^(t−1)) ⊙ r + W_z,hᵀ δ_z + W_r,hᵀ δ_r,
 *   ∂L/∂W_z = Σ_t δ_z [h^(t−1), x]ᵀ, ∂L/∂W_r = Σ_t δ_r [h^(t−1), x]ᵀ, ∂L/∂W = Σ_t δ_h̃ [r ⊙ h^(t−1), x]ᵀ,
 *   the biases' gradients Σ_t δ, and ∂L/∂x^(t) = W_z,xᵀ δ_z + W_r,xᵀ δ_r + W_xᵀ δ_h̃.
 */
export function gruBackward(dh: Vector[], cache: GruCache): GruGradients {
  const fn = 'gruBackward';
  if (cache === null || typeof cache !== 'object') throw new ArgumentError(fn, 'cache', `must be the cache of gruForward { xs, h0, params, z, r, hTilde, h }; got ${String(cache)}`);
  const [D, H] = assertGruParams(fn, 'cache.params', cache.params);
  assertSequence(fn, 'cache.xs', cache.xs, D);
  const T = cache.xs.length;
  assertVector(fn, 'cache.h0', cache.h0, H);
  for (const name of ['z', 'r', 'hTilde', 'h'] as const) assertSequence(fn, `cache.${name}`, cache[name], H, T);
  assertSequence(fn, 'dh', dh, H, T);
  const { xs, h0, params: p } = cache;
  const g: GruGradients = { dWz: zerosM(H, H + D), dbz: new Array<number>(H).fill(0), dWr: zerosM(H, H + D), dbr: new Array<number>(H).fill(0), dW: zerosM(H, H + D), db: new Array<number>(H).fill(0), dh0: [], dxs: zerosM(T, D) };
  let dhNext = new Array<number>(H).fill(0);
  for (let t = T - 1; t >= 0; t--) {
    const hPrev = t === 0 ? h0 : cache.h[t - 1];
    const [z, r, hT] = [cache.z[t], cache.r[t], cache.hTilde[t]];
    const dhT = add(dh[t], dhNext);
    const dz = dhT.map((v, u) => v * (hT[u] - hPrev[u]) * z[u] * (1 - z[u]));
    const dTilde = dhT.map((v, u) => v * z[u] * (1 - hT[u] * hT[u]));
    const back = matTVec(p.W, dTilde);
    const dRh = back.slice(0, H);
    const dr = dRh.map((v, u) => v * hPrev[u] * r[u] * (1 - r[u]));
    const hx = [...hPrev, ...xs[t]];
    addOuter(g.dWz, dz, hx);
    addOuter(g.dWr, dr, hx);
    addOuter(g.dW, dTilde, [...mul(r, hPrev), ...xs[t]]);
    dz.forEach((v, u) => (g.dbz[u] += v));
    dr.forEach((v, u) => (g.dbr[u] += v));
    dTilde.forEach((v, u) => (g.db[u] += v));
    const viaGates = add(matTVec(p.Wz, dz), matTVec(p.Wr, dr));
    dhNext = dhT.map((v, u) => v * (1 - z[u]) + dRh[u] * r[u] + viaGates[u]);
    g.dxs[t] = add(viaGates.slice(H), back.slice(H));
  }
  return { ...g, dh0: dhNext };
}

// ---------------------------------------------------------------------------------------------
// M1 — the captioning-style building blocks, in the batch form (rows = examples), as the CS231n
// captioning assignment composes them (rnn_layers.py: word_embedding_forward/backward,
// temporal_affine_forward/backward, temporal_softmax_loss). N examples, T steps, a vocabulary of
// V words, word vectors of size D.
//   x        [N][T]        word indices in 0 … V − 1 (embedding), or N×T×D inputs (affine)
//   W        [V][D]        the embedding: row v is word v's vector (one-hot(v)ᵀ W)
//   w, b     [D][M], [M]   the temporal affine map, the same at every step: out[n][t] = x[n][t] w + b
//   scores   [N][T][V]     unnormalised log-probabilities; y [N][T] the right words; mask [N][T] 0 or 1

type Tensor3 = number[][][];

function assertIndices(fn: string, arg: string, x: unknown, V: number): asserts x is number[][] {
  assertMatrix(fn, arg, x);
  (x as number[][]).forEach((row, n) => row.forEach((v, t) => {
    if (!Number.isInteger(v) || v < 0 || v >= V) throw new ArgumentError(fn, arg, `must hold word indices in 0 … ${V - 1}; got ${arg}[${n}][${t}] = ${v}`);
  }));
}

function assertTensor3(fn: string, arg: string, x: unknown, N?: number, T?: number, D?: number): asserts x is Tensor3 {
  if (!Array.isArray(x) || x.length === 0) throw new ArgumentError(fn, arg, `must be a non-empty N×T×D array; got ${Array.isArray(x) ? 'an empty list' : String(x)}`);
  if (N !== undefined && x.length !== N) throw new ArgumentError(fn, arg, `must hold ${N} examples; got ${x.length}`);
  const T0 = T ?? (Array.isArray(x[0]) ? x[0].length : undefined);
  const D0 = D ?? (Array.isArray(x[0]) && Array.isArray(x[0][0]) ? x[0][0].length : undefined);
  x.forEach((m, n) => assertMatrix(fn, `${arg}[${n}]`, m, T0, D0));
}

/**
 * M1 (batch form) — word embedding forward: out[n][t] = W[x[n][t]], the row of W that the one-hot
 * vector of word x[n][t] picks (one-hot(x)ᵀ W); out is N×T×D. CS231n word_embedding_forward.
 */
export function wordEmbeddingForward(x: number[][], W: Matrix): Tensor3 {
  const fn = 'wordEmbeddingForward';
  assertMatrix(fn, 'W', W);
  assertIndices(fn, 'x', x, W.length);
  return x.map((row) => row.map((v) => W[v].slice()));
}

/**
 * M1 (batch form) — word embedding backward: ∂L/∂W = Σ_{n,t} one-hot(x[n][t]) dout[n][t]ᵀ, i.e.
 * dW[v] = Σ over every (n, t) with x[n][t] = v of dout[n][t]: a word used twice gets the sum of both
 * gradients; a word never used gets 0. V is the vocabulary size (the rows of W). CS231n
 * word_embedding_backward (np.add.at).
 */
export function wordEmbeddingBackward(dout: Tensor3, x: number[][], V: number): Matrix {
  const fn = 'wordEmbeddingBackward';
  assertInteger(fn, 'V', V, 1);
  assertIndices(fn, 'x', x, V);
  assertTensor3(fn, 'dout', dout, x.length, x[0].length);
  const D = dout[0][0].length;
  const dW = zerosM(V, D);
  x.forEach((row, n) => row.forEach((v, t) => dout[n][t].forEach((g, d) => (dW[v][d] += g))));
  return dW;
}

/**
 * M1 (batch form) — temporal affine forward: the same affine map at every step,
 * out[n][t] = x[n][t] w + b (row vector times w, D → M); out is N×T×M. CS231n temporal_affine_forward.
 */
export function temporalAffineForward(x: Tensor3, w: Matrix, b: Vector): Tensor3 {
  const fn = 'temporalAffineForward';
  assertMatrix(fn, 'w', w);
  const [D, M] = [w.length, w[0].length];
  assertVector(fn, 'b', b, M);
  assertTensor3(fn, 'x', x, undefined, undefined, D);
  return x.map((seq) => seq.map((xt) => b.map((bm, m) => xt.reduce((s, xd, d) => s + xd * w[d][m], bm))));
}

/**
 * M1 (batch form) — temporal affine backward, for L = Σ_{n,t} dout[n][t] · out[n][t]:
 *   dx[n][t] = w dout[n][t],  dw = Σ_{n,t} x[n][t]ᵀ dout[n][t],  db = Σ_{n,t} dout[n][t]
 * (w and b are shared by every step, so their gradients sum over n and t). CS231n temporal_affine_backward.
 */
export function temporalAffineBackward(dout: Tensor3, x: Tensor3, w: Matrix): { dx: Tensor3; dw: Matrix; db: Vector } {
  const fn = 'temporalAffineBackward';
  assertMatrix(fn, 'w', w);
  const [D, M] = [w.length, w[0].length];
  assertTensor3(fn, 'x', x, undefined, undefined, D);
  assertTensor3(fn, 'dout', dout, x.length, x[0].length, M);
  const dw = zerosM(D, M);
  const db = new Array<number>(M).fill(0);
  const dx = x.map((seq, n) => seq.map((xt, t) => {
    const g = dout[n][t];
    addOuter(dw, xt, g);
    g.forEach((gm, m) => (db[m] += gm));
    return w.map((row) => dot(row, g));
  }));
  return { dx, dw, db };
}

/**
 * M1 (batch form) — temporal softmax loss with a mask over padding (CS231n temporal_softmax_loss):
 *   L = −(1/N) Σ_n Σ_t mask[n][t] · log softmax(scores[n][t])[y[n][t]],
 *   ∂L/∂scores[n][t] = (mask[n][t]/N) (softmax(scores[n][t]) − one-hot(y[n][t])).
 * Divided by N (the examples), not by N·T nor by the number of unmasked steps; a masked-out step
 * (mask 0) contributes neither loss nor gradient. mask entries are 0 or 1.
 */
export function temporalSoftmaxLoss(scores: Tensor3, y: number[][], mask: number[][]): { loss: number; dx: Tensor3 } {
  const fn = 'temporalSoftmaxLoss';
  assertTensor3(fn, 'scores', scores);
  const [N, T, V] = [scores.length, scores[0].length, scores[0][0].length];
  assertIndices(fn, 'y', y, V);
  assertMatrix(fn, 'y', y, N, T);
  assertMatrix(fn, 'mask', mask, N, T);
  mask.forEach((row, n) => row.forEach((m, t) => {
    if (m !== 0 && m !== 1) throw new ArgumentError(fn, 'mask', `must hold 0 or 1; got mask[${n}][${t}] = ${m}`);
  }));
  let loss = 0;
  const dx = scores.map((seq, n) => seq.map((s, t) => {
    const top = Math.max(...s);
    const e = s.map((v) => Math.exp(v - top));
    const Z = e.reduce((a, v) => a + v, 0);
    const m = mask[n][t];
    if (m === 1) loss -= (s[y[n][t]] - top - Math.log(Z)) / N;
    return e.map((ev, v) => (m === 0 ? 0 : (ev / Z - (v === y[n][t] ? 1 : 0)) / N));
  }));
  return { loss, dx };
}

// ---------------------------------------------------------------------------------------------
// M1, M2 — the Elman RNN in the batch form (rows = examples), as frameworks and the CS231n
// assignment (rnn_layers.py: rnn_step_forward/backward, rnn_forward/backward) write it:
//   x        [N][D]        one step's inputs, row n the input of example n; a sequence is [N][T][D]
//   hPrev    [N][H]        the previous states (h0 [N][H] for a sequence)
//   Wx, Wh   [D][H], [H][H]  the notes' W_hxᵀ and W_hhᵀ: rows times weights, no transposes
//   b        [H]           the notes' b_h
//   z        [N][H]        x Wx + hPrev Wh + b (b added to every row); h = σ_h(z), tanh or the sigmoid
// Row n of the batch form is the notes' column form of example n: h_n = σ_h(W_hx x_n + W_hh h_n′ + b_h)
// with W_hx = Wxᵀ, W_hh = Whᵀ. No output layer (as in CS231n: a temporal affine layer follows);
// the backward passes take the upstream gradient dh of every state, L = Σ dh ⊙ h.

/** The batch form's weights: Wx = W_hxᵀ [D, H], Wh = W_hhᵀ [H, H], b = b_h [H]. */
export interface RnnBatchParams {
  Wx: Matrix;
  Wh: Matrix;
  b: Vector;
}

/** What rnnStepBatchBackward needs: the step's inputs, weights, activation, z and h. */
export interface RnnBatchStepCache {
  x: Matrix;
  hPrev: Matrix;
  params: RnnBatchParams;
  activation: HiddenActivation;
  z: Matrix;
  h: Matrix;
}

/** What rnnBackwardBatch needs: the inputs [N][T][D], h0, the weights, the activation, and z, h [N][T][H]. */
export interface RnnBatchCache {
  x: Tensor3;
  h0: Matrix;
  params: RnnBatchParams;
  activation: HiddenActivation;
  z: Tensor3;
  h: Tensor3;
}

/** ∂L/∂ of one step's inputs, previous states and weights. */
export interface RnnBatchStepGradients {
  dx: Matrix;
  dhPrev: Matrix;
  dWx: Matrix;
  dWh: Matrix;
  db: Vector;
}

/** ∂L/∂ of the inputs [N][T][D], of h0 [N][H] and of the weights. */
export interface RnnBatchGradients {
  dx: Tensor3;
  dh0: Matrix;
  dWx: Matrix;
  dWh: Matrix;
  db: Vector;
}

/** A B for rows A [N][K] and B [K][M]. */
const rowsTimes = (A: Matrix, B: Matrix): Matrix => A.map((row) => B[0].map((_, j) => row.reduce((s, v, k) => s + v * B[k][j], 0)));
/** A Bᵀ for A [N][M] and B [K][M]. */
const rowsTimesT = (A: Matrix, B: Matrix): Matrix => A.map((row) => B.map((brow) => dot(row, brow)));
/** M += Aᵀ B in place (M is a local accumulator). */
const addTransposedTimes = (M: Matrix, A: Matrix, B: Matrix): void => A.forEach((a, n) => addOuter(M, a, B[n]));

function batchActivation(fn: string, options: unknown): HiddenActivation {
  if (options !== undefined && (options === null || typeof options !== 'object')) throw new ArgumentError(fn, 'options', `must be an object { activation? }; got ${String(options)}`);
  const { activation = 'tanh' } = (options ?? {}) as { activation?: HiddenActivation };
  assertChoice(fn, 'options.activation', activation, ['tanh', 'sigmoid']);
  return activation;
}

/** Wx [D, H], Wh [H, H], b [H]; returns [D, H]. */
function assertBatchParams(fn: string, arg: string, p: unknown): [number, number] {
  if (p === null || typeof p !== 'object') throw new ArgumentError(fn, arg, `must be { Wx, Wh, b }; got ${String(p)}`);
  const { Wx, Wh, b } = p as RnnBatchParams;
  assertMatrix(fn, `${arg}.Wx`, Wx);
  const [D, H] = [Wx.length, Wx[0].length];
  assertMatrix(fn, `${arg}.Wh`, Wh, H, H);
  assertVector(fn, `${arg}.b`, b, H);
  return [D, H];
}

function batchStepUnchecked(x: Matrix, hPrev: Matrix, p: RnnBatchParams, activation: HiddenActivation): { z: Matrix; h: Matrix } {
  const xw = rowsTimes(x, p.Wx);
  const hw = rowsTimes(hPrev, p.Wh);
  const z = xw.map((row, n) => row.map((v, j) => v + hw[n][j] + p.b[j]));
  return { z, h: z.map((row) => activate(activation, row)) };
}

/** One step back: δ = dh ⊙ σ_h′ (from h), accumulated into g; returns ∂L/∂hPrev = δ Whᵀ. */
function batchStepBack(dh: Matrix, x: Matrix, hPrev: Matrix, h: Matrix, p: RnnBatchParams, activation: HiddenActivation, g: { dWx: Matrix; dWh: Matrix; db: Vector }): { dx: Matrix; dhPrev: Matrix } {
  const delta = dh.map((row, n) => mul(row, slope(activation, h[n])));
  addTransposedTimes(g.dWx, x, delta);
  addTransposedTimes(g.dWh, hPrev, delta);
  delta.forEach((row) => row.forEach((v, j) => (g.db[j] += v)));
  return { dx: rowsTimesT(delta, p.Wx), dhPrev: rowsTimesT(delta, p.Wh) };
}

/**
 * M1 (batch form) — one Elman step on a batch, rows = examples (CS231n rnn_step_forward):
 *   z = x W_x + h_prev W_h + b,  h = σ_h(z),
 * x [N, D], hPrev [N, H], W_x [D, H], W_h [H, H], b [H] added to every row; σ_h = tanh (default)
 * or the sigmoid. Row n is rnnStep's z_h, h for example n with W_hx = W_xᵀ, W_hh = W_hᵀ.
 */
export function rnnStepBatch(x: Matrix, hPrev: Matrix, params: RnnBatchParams, options?: { activation?: HiddenActivation }): { z: Matrix; h: Matrix; cache: RnnBatchStepCache } {
  const fn = 'rnnStepBatch';
  const [D, H] = assertBatchParams(fn, 'params', params);
  assertMatrix(fn, 'x', x, undefined, D);
  assertMatrix(fn, 'hPrev', hPrev, x.length, H);
  const activation = batchActivation(fn, options);
  const { z, h } = batchStepUnchecked(x, hPrev, params, activation);
  return { z, h, cache: { x, hPrev, params, activation, z, h } };
}

/**
 * M2 (batch form) — one step back (CS231n rnn_step_backward), for L = Σ dh ⊙ h:
 *   δ = dh ⊙ σ_h′ (tanh′ = 1 − h², σ′ = h(1 − h), from the output h),
 *   dx = δ W_xᵀ,  dhPrev = δ W_hᵀ,  dW_x = xᵀ δ,  dW_h = h_prevᵀ δ,  db = Σ_n δ_n.
 */
export function rnnStepBatchBackward(dh: Matrix, cache: RnnBatchStepCache): RnnBatchStepGradients {
  const fn = 'rnnStepBatchBackward';
  if (cache === null || typeof cache !== 'object') throw new ArgumentError(fn, 'cache', `must be the cache of rnnStepBatch { x, hPrev, params, activation, z, h }; got ${String(cache)}`);
  const [D, H] = assertBatchParams(fn, 'cache.params', cache.params);
  batchActivation(fn, { activation: cache.activation });
  assertMatrix(fn, 'cache.x', cache.x, undefined, D);
  const N = cache.x.length;
  for (const name of ['hPrev', 'z', 'h'] as const) assertMatrix(fn, `cache.${name}`, cache[name], N, H);
  assertMatrix(fn, 'dh', dh, N, H);
  const g = { dWx: zerosM(D, H), dWh: zerosM(H, H), db: new Array<number>(H).fill(0) };
  const { dx, dhPrev } = batchStepBack(dh, cache.x, cache.hPrev, cache.h, cache.params, cache.activation, g);
  return { dx, dhPrev, ...g };
}

/**
 * M1 (batch form) — the Elman RNN over N sequences at once (CS231n rnn_forward):
 * h[:, t] = σ_h(x[:, t] W_x + h[:, t − 1] W_h + b) for t = 1 … T from h[:, 0] = h0;
 * x [N, T, D], h0 [N, H]; returns h [N, T, H] (the states h^(1) … h^(T) of every example) and the cache.
 */
export function rnnForwardBatch(x: Tensor3, h0: Matrix, params: RnnBatchParams, options?: { activation?: HiddenActivation }): { h: Tensor3; cache: RnnBatchCache } {
  const fn = 'rnnForwardBatch';
  const [D, H] = assertBatchParams(fn, 'params', params);
  assertTensor3(fn, 'x', x, undefined, undefined, D);
  assertMatrix(fn, 'h0', h0, x.length, H);
  const activation = batchActivation(fn, options);
  const [N, T] = [x.length, x[0].length];
  const z: Tensor3 = Array.from({ length: N }, () => []);
  const h: Tensor3 = Array.from({ length: N }, () => []);
  let state = h0;
  for (let t = 0; t < T; t++) {
    const s = batchStepUnchecked(x.map((seq) => seq[t]), state, params, activation);
    s.z.forEach((row, n) => z[n].push(row));
    s.h.forEach((row, n) => h[n].push(row));
    state = s.h;
  }
  return { h, cache: { x, h0, params, activation, z, h } };
}

/**
 * M2 (batch form) — BPTT over N sequences (CS231n rnn_backward), for L = Σ_{n,t} dh[n][t] · h[n][t]
 * (an upstream gradient at every state): from t = T down to 1, the step back of
 * rnnStepBatchBackward with dh[:, t] + the ∂L/∂h carried from step t + 1; dW_x, dW_h and db are
 * summed over every step (the weights are shared through time), dh0 is what reaches h0.
 */
export function rnnBackwardBatch(dh: Tensor3, cache: RnnBatchCache): RnnBatchGradients {
  const fn = 'rnnBackwardBatch';
  if (cache === null || typeof cache !== 'object') throw new ArgumentError(fn, 'cache', `must be the cache of rnnForwardBatch { x, h0, params, activation, z, h }; got ${String(cache)}`);
  const [D, H] = assertBatchParams(fn, 'cache.params', cache.params);
  batchActivation(fn, { activation: cache.activation });
  assertTensor3(fn, 'cache.x', cache.x, undefined, undefined, D);
  const [N, T] = [cache.x.length, cache.x[0].length];
  assertMatrix(fn, 'cache.h0', cache.h0, N, H);
  assertTensor3(fn, 'cache.z', cache.z, N, T, H);
  assertTensor3(fn, 'cache.h', cache.h, N, T, H);
  assertTensor3(fn, 'dh', dh, N, T, H);
  const { x, h0, h, params: p, activation } = cache;
  const at = (a: Tensor3, t: number): Matrix => a.map((seq) => seq[t]);
  const g = { dWx: zerosM(D, H), dWh: zerosM(H, H), db: new Array<number>(H).fill(0) };
  const dx: Tensor3 = Array.from({ length: N }, () => new Array<Vector>(T));
  let carry = zerosM(N, H);
  for (let t = T - 1; t >= 0; t--) {
    const total = at(dh, t).map((row, n) => add(row, carry[n]));
    const s = batchStepBack(total, at(x, t), t === 0 ? h0 : at(h, t - 1), at(h, t), p, activation, g);
    s.dx.forEach((row, n) => (dx[n][t] = row));
    carry = s.dhPrev;
  }
  return { dx, dh0: carry, ...g };
}
