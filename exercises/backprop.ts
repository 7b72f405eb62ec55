/**
 * C. Feedforward network and backpropagation — catalogue family C (C1–C9). Implement each
 * function below. This is where you derive the deltas by hand.
 *
 * The decks use three notations. This file uses Bishop's ([Tu]); learn the mapping, it is the trap:
 *
 * quantity            here (Bishop)                   [Training] deck        [Oh] EBU7240 deck
 * pre-activation      a^(l) = W^(l) z^(l−1) + b^(l)   z^(l)                  s
 * activation          z^(l) = h(a^(l)), z^(0) = x     a^(l) = f(z^(l))       p = σ(s)
 * target              t                               y                      z (!)
 * error signal        δ^(l) = ∂E/∂a^(l)               δ^(l) = ∂J/∂z^(l)      ∂L/∂s
 *
 * symbol   id        shape                     meaning
 * net      net       Layer[]                   layer l (0-based) maps z[l] to a[l] and z[l+1]
 * W        W         [out, in]                 row j holds the weights into unit j (w_ji)
 * b        b         [out]                     biases
 * cache    a, z      Vector[] (batch: Matrix[], one row per example)
 * δ, Δ     delta     like a                    ∂E_n/∂a (one example) or ∂J/∂A (batch, with the 1/m)
 *
 * Losses: 'sse' E_n = ½Σ(y − t)²; 'l2' L = Σ(t − y)² (EBU7240); 'bce' −Σ[t ln y + (1 − t) ln(1 − y)]
 * (sigmoid outputs only); 'ce' −Σ t ln y (softmax outputs only, t a probability vector).
 *
 * Conventions the grader holds you to:
 * - every function returns new values and leaves its arguments unchanged: a call that writes into
 *   one fails its check (even when it puts the value back by arithmetic: x + h − h is not always x);
 * - δ = ∂E/∂a: output minus target, y − t (never t − y) for the canonical pairs linear+sse,
 *   sigmoid+bce, softmax+ce; for every other pair δ = h′(a) ⊙ ∂E/∂y;
 * - every derivative h′ is taken at the PRE-activation a (not at z = h(a)); at a kink it follows
 *   activations.ts: relu′(0) = 0, leakyRelu′(0) = α, elu′(0) = 1;
 * - per example δ_hidden = h′(a) ⊙ (W_nextᵀ δ_next); with rows = examples Δ_hidden = (Δ_next W_next) ⊙ h′(A);
 * - dW = δ zᵀ has W's shape [out, in]; in the batch form dW = Δᵀ Z;
 * - the batch cost is a mean, J = (1/m) Σ_n E_n, so every batch gradient carries the 1/m;
 *   errorFunction (C9) is a sum E = Σ_n E_n, without 1/m;
 * - leakyRelu and elu layers carry their slope/scale in `alpha`; softmax only in the output layer.
 * You may import the activations you wrote in './activations.ts' and the losses in './losses.ts'.
 * Check your backward passes with gradcheck.ts (S1–S4) before you submit.
 */
import { NotImplemented } from './not-implemented.ts';
import type { Matrix, Vector } from './tensor.ts';

export type ActivationName = 'linear' | 'sigmoid' | 'tanh' | 'relu' | 'leakyRelu' | 'elu' | 'softplus' | 'softmax';
export type LossName = 'sse' | 'l2' | 'bce' | 'ce';
/** One fully connected layer; `alpha` is the slope of leakyRelu / the scale of elu (required for those two). */
export interface Layer {
  W: Matrix;
  b: Vector;
  activation: ActivationName;
  alpha?: number;
}
export type Network = Layer[];
/** a[l] = W^(l) z[l] + b^(l), z[l+1] = h(a[l]); z[0] = x, z[L] = y (L = number of layers). */
export interface ForwardCache {
  a: Vector[];
  z: Vector[];
}
/** The same with one row per example. */
export interface BatchCache {
  a: Matrix[];
  z: Matrix[];
}
/** ∂E/∂W^(l) and ∂E/∂b^(l) for every layer, in the network's order. */
export type Gradients = { dW: Matrix; db: Vector }[];

/** C1 — the network function y(x, w): apply every layer, a = Wz + b then z = h(a). */
export function networkFunction(net: Network, x: Vector): Vector {
  throw new NotImplemented('C1 networkFunction');
}

/** C2 — forward pass returning y and the cache { a, z } (z[0] = x; a has one entry per layer, z one more). */
export function forward(net: Network, x: Vector): { out: Vector; cache: ForwardCache } {
  throw new NotImplemented('C2 forward');
}

/**
 * C3 — output delta δ = ∂E_n/∂a at the output pre-activation a: y − t for the canonical pairs,
 * h′(a) ⊙ ∂E_n/∂y otherwise (sse: ∂E/∂y = y − t; l2: −2(t − y)). `alpha` for leakyRelu/elu outputs.
 */
export function outputDelta(a: Vector, t: Vector, activation: ActivationName, loss: LossName, alpha?: number): Vector {
  throw new NotImplemented('C3 outputDelta');
}

/** C4 — hidden delta δ_j = h′(a_j) Σ_k w_kj δ_k, i.e. h′(a) ⊙ (Wnextᵀ deltaNext); Wnext [K, J] feeds the next layer. */
export function hiddenDelta(a: Vector, Wnext: Matrix, deltaNext: Vector, activation: ActivationName, alpha?: number): Vector {
  throw new NotImplemented('C4 hiddenDelta');
}

/** C5 — ∂E_n/∂w_ji = δ_j z_i and ∂E_n/∂b_j = δ_j: { dW: δ zᵀ [out, in], db: δ }. */
export function layerGradients(delta: Vector, zPrev: Vector): { dW: Matrix; db: Vector } {
  throw new NotImplemented('C5 layerGradients');
}

/** C3–C5 — backpropagation for one example: the gradient of E_n for every layer, from forward's cache. */
export function backward(net: Network, cache: ForwardCache, t: Vector, loss: LossName): Gradients {
  throw new NotImplemented('C5 backward');
}

/** C6 — batch forward, rows = examples: A^(l) = Z^(l) W^(l)ᵀ + b^(l) (added to every row), Z^(l+1) = h(A^(l)). */
export function batchForward(net: Network, X: Matrix): { out: Matrix; cache: BatchCache } {
  throw new NotImplemented('C6 batchForward');
}

/** C6 — the mean cost J = (1/m) Σ_n E_n over the m rows ('sse': J = (1/2m) Σ_n Σ_k (y − t)²). */
export function batchCost(net: Network, X: Matrix, T: Matrix, loss: LossName): number {
  throw new NotImplemented('C6 batchCost');
}

/** C6 — Δ^(L): row n is the output delta of example n divided by m ('sse': (1/m)(Y − T) ⊙ f′(A), f′ at A). */
export function batchOutputDelta(A: Matrix, T: Matrix, activation: ActivationName, loss: LossName, alpha?: number): Matrix {
  throw new NotImplemented('C6 batchOutputDelta');
}

/** C6 — Δ^(l) = (Δ^(l+1) W^(l+1)) ⊙ f′(A^(l)), rows = examples (no transpose on W here). */
export function batchHiddenDelta(A: Matrix, Wnext: Matrix, DeltaNext: Matrix, activation: ActivationName, alpha?: number): Matrix {
  throw new NotImplemented('C6 batchHiddenDelta');
}

/** C6 — gradients of J = (1/m) Σ_n E_n: dW^(l) = Δ^(l)ᵀ Z^(l−1), db^(l) = column sums of Δ^(l). */
export function batchBackward(net: Network, cache: BatchCache, T: Matrix, loss: LossName): Gradients {
  throw new NotImplemented('C6 batchBackward');
}

/** A layer of the EBU7240 nets: s = Wx + b. */
export interface EbuLayer {
  W: Matrix;
  b: Vector;
}
/** Per layer (index 0 = the first): p, ∂L/∂p, ∂L/∂s, ∂L/∂W, ∂L/∂b; and ∂L/∂x = W₁ᵀ ∂L/∂s₁. */
export interface EbuResult {
  loss: number;
  p: Vector[];
  dp: Vector[];
  ds: Vector[];
  dW: Matrix[];
  db: Vector[];
  dx: Vector;
}

/**
 * C7 — the EBU7240 L2 regression nets (1 or 2 layers in the deck; any depth here): s = Wx + b, p = σ(s) in every layer,
 * L = Σ(z − p)² with z the ground truth; ∂L/∂p = −2(z − p), ∂L/∂s = σ(s)(1 − σ(s)) ⊙ ∂L/∂p,
 * ∂L/∂W = ∂L/∂s xᵀ, ∂L/∂b = ∂L/∂s, ∂L/∂(input) = Wᵀ ∂L/∂s.
 */
export function ebuL2Net(x: Vector, layers: EbuLayer[], z: Vector): EbuResult {
  throw new NotImplemented('C7 ebuL2Net');
}

/**
 * C7 — the EBU7240 softmax classifiers: sigmoid hidden layer(s), p = softmax(s) at the top,
 * L = −log p_y for the class index y (0-based); ∂L/∂p = −1/p_y in row y, ∂L/∂s = p − e_y.
 */
export function ebuSoftmaxNet(x: Vector, layers: EbuLayer[], y: number): EbuResult {
  throw new NotImplemented('C7 ebuSoftmaxNet');
}

/**
 * C8 — one iteration of the deck's numpy loop, in its layout (x [N, D_in], w1 [D_in, H],
 * w2 [H, D_out], no biases): h = σ(x·w1), y_pred = h·w2, loss = Σ(y_pred − y)² at the incoming
 * weights; grad_y = 2(y_pred − y), grad_w2 = hᵀ·grad_y, grad_h = grad_y·w2ᵀ,
 * grad_w1 = xᵀ·(grad_h ⊙ h ⊙ (1 − h)); then w −= learningRate·grad (the deck uses 1e−4).
 */
export function numpyTrainingStep(
  x: Matrix,
  y: Matrix,
  w1: Matrix,
  w2: Matrix,
  learningRate: number,
): { loss: number; gradW1: Matrix; gradW2: Matrix; w1: Matrix; w2: Matrix } {
  throw new NotImplemented('C8 numpyTrainingStep');
}

/** C9 — E(w) = Σ_n E_n(w) over the rows of X and T: a sum over the examples, not a mean. */
export function errorFunction(net: Network, X: Matrix, T: Matrix, loss: LossName): number {
  throw new NotImplemented('C9 errorFunction');
}

/** C9 — one gradient-descent step W ← W − η dW, b ← b − η db for every layer; returns a new network (same activations). */
export function gradientDescentStep(net: Network, grads: Gradients, eta: number): Network {
  throw new NotImplemented('C9 gradientDescentStep');
}
