/**
 * C. Feedforward network and backpropagation — catalogue family C (C1–C9).
 *
 * Decks (see README, "Decks"): [Tu] "Overall neural network function", "Error Function",
 * "Error backpropagation (1/3)–(3/3)", "Error propagation algorithm"; [Training] the backprop
 * slides in matrix form with m examples ("Layer 2 Parameters", δ^(3), δ^(2)); [Oh] "Derivative of
 * Neural Net using Chain Rules" (1- and 2-layer nets, L2 loss and softmax classifier), "Full
 * implementation of training a 2-layer Neural Network", "Gradient Descent".
 *
 * The three decks use three notations. The reference keeps Bishop's ([Tu]); the table maps the
 * others onto it. The trap: [Training] swaps a and z, and [Oh] uses z for the target.
 *
 * quantity                 here (Bishop, [Tu])          [Training] (rows = examples)   [Oh] EBU7240
 * pre-activation           a^(l) = W^(l) z^(l−1) + b^(l) z^(l)                           s
 * activation               z^(l) = h(a^(l)),  z^(0) = x  a^(l) = f(z^(l))                p = σ(s); h in the numpy loop
 * network output           y = z^(L)                     a^(L) (a^(3) on the slides)     p, y_pred
 * target                   t                             y                               z (!), y in the numpy loop
 * weights into layer l     W^(l) [out × in], w_ji        Θ^(l−1) (Θ^(2) feeds layer 3)   W, w_j; numpy w1 is [in × out]
 * error signal             δ^(l) = ∂E/∂a^(l)             δ^(l) = ∂J/∂z^(l)               ∂L/∂s
 * per-example error        E_n = ½Σ_k (y_k − t_k)²       J = (1/2m)Σ_i Σ_k (y − a)²       L = Σ (z − p)²
 *
 * symbol   id        shape           meaning
 * net      net       Layer[]         layer l (0-based) maps z[l] to a[l] and z[l+1]
 * W        W         [out, in]       row j holds the weights into unit j (w_ji)
 * b        b         [out]           biases w_j0
 * a, z     cache     Vector[] / Matrix[] (batch: rows = examples)
 * t, T     t, T      [K] / [m, K]    targets
 * δ, Δ     delta     like a          ∂E_n/∂a (per example) or ∂J/∂A (batch, includes 1/m)
 *
 * Losses (E_n per example; `loss` names it): 'sse' ½Σ(y − t)² [Tu]; 'l2' Σ(t − y)² [Oh]; 'bce'
 * −Σ[t ln y + (1 − t) ln(1 − y)] (sigmoid outputs only); 'ce' −Σ t ln y (softmax outputs only).
 * The canonical pairs linear+sse, sigmoid+bce, softmax+ce have δ = y − t; every other pair has
 * δ = h′(a) ⊙ ∂E_n/∂y, with h′ at the pre-activation a (erratum 2 writes it at the activation).
 */
import { elu, eluGrad, leakyRelu, leakyReluGrad, relu, reluGrad, sigmoid, sigmoidGrad, softmax, softplus, softplusGrad, tanh, tanhGrad } from './activations.ts';
import { l2Loss, sigmoidCrossEntropy, sigmoidCrossEntropyGrad, softmaxCrossEntropy, softmaxCrossEntropyGrad, sseLoss } from './losses.ts';
import { ArgumentError, assertInteger, assertMatrix, assertNumber, assertVector, type Matrix, type Vector } from './tensor.ts';

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
/** a[l] = W^(l) z[l] + b^(l), z[l+1] = h(a[l]); z[0] = x, z[L] = y. */
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

const ACTIVATIONS: readonly ActivationName[] = ['linear', 'sigmoid', 'tanh', 'relu', 'leakyRelu', 'elu', 'softplus', 'softmax'];

// ---------------------------------------------------------------------------------------------
// Small linear algebra (plain loops) and the activations of family A, applied to vectors

const dot = (u: Vector, v: Vector): number => u.reduce((s, ui, i) => s + ui * v[i], 0);
const matVec = (W: Matrix, x: Vector): Vector => W.map((row) => dot(row, x));
/** Wᵀd: column j of W dotted with d. */
const matTVec = (W: Matrix, d: Vector): Vector => W[0].map((_, j) => W.reduce((s, row, k) => s + row[j] * d[k], 0));
const outer = (u: Vector, v: Vector): Matrix => u.map((ui) => v.map((vj) => ui * vj));
const transpose = (M: Matrix): Matrix => M[0].map((_, j) => M.map((row) => row[j]));
const matMul = (A: Matrix, B: Matrix): Matrix => A.map((row) => B[0].map((_, j) => row.reduce((s, v, k) => s + v * B[k][j], 0)));

/** h(a) elementwise (softmax over the whole vector). */
function activate(act: ActivationName, a: Vector, alpha = 0): Vector {
  switch (act) {
    case 'linear': return a.slice();
    case 'sigmoid': return a.map(sigmoid);
    case 'tanh': return a.map(tanh);
    case 'relu': return a.map(relu);
    case 'leakyRelu': return a.map((v) => leakyRelu(v, alpha));
    case 'elu': return a.map((v) => elu(v, alpha));
    case 'softplus': return a.map(softplus);
    case 'softmax': return softmax(a);
  }
}

/** h′(a) elementwise, at the pre-activation a (softmax has a Jacobian instead and is never hidden). */
function activationGrad(act: ActivationName, a: Vector, alpha = 0): Vector {
  switch (act) {
    case 'linear': return a.map(() => 1);
    case 'sigmoid': return a.map(sigmoidGrad);
    case 'tanh': return a.map(tanhGrad);
    case 'relu': return a.map(reluGrad);
    case 'leakyRelu': return a.map((v) => leakyReluGrad(v, alpha));
    case 'elu': return a.map((v) => eluGrad(v, alpha));
    case 'softplus': return a.map(softplusGrad);
    case 'softmax': throw new Error('softmax has no elementwise derivative');
  }
}

// ---------------------------------------------------------------------------------------------
// Validation

function assertActivation(fn: string, arg: string, act: unknown, alpha: unknown, alphaArg: string): asserts act is ActivationName {
  if (typeof act !== 'string' || !ACTIVATIONS.includes(act as ActivationName)) {
    throw new ArgumentError(fn, arg, `must be one of ${ACTIVATIONS.join(', ')}; got ${String(act)}`);
  }
  if (act === 'leakyRelu' || act === 'elu') {
    assertNumber(fn, alphaArg, alpha);
    if (alpha < 0 || (act === 'leakyRelu' && alpha > 1)) {
      throw new ArgumentError(fn, alphaArg, `must lie in ${act === 'leakyRelu' ? '[0, 1]' : '[0, ∞)'} for ${act}; got ${alpha}`);
    }
  }
}

/** A non-empty list of layers whose widths chain; softmax only as the output activation. */
function assertNetwork(fn: string, net: unknown): asserts net is Network {
  if (!Array.isArray(net) || net.length === 0) throw new ArgumentError(fn, 'net', 'must be a non-empty array of layers { W, b, activation }');
  net.forEach((layer: unknown, l) => {
    if (layer === null || typeof layer !== 'object') throw new ArgumentError(fn, `net[${l}]`, 'must be a layer { W, b, activation }');
    const { W, b, activation, alpha } = layer as Layer;
    assertMatrix(fn, `net[${l}].W`, W, undefined, l > 0 ? (net[l - 1] as Layer).W.length : undefined);
    assertVector(fn, `net[${l}].b`, b, W.length);
    assertActivation(fn, `net[${l}].activation`, activation, alpha, `net[${l}].alpha`);
    if (activation === 'softmax' && l < net.length - 1) {
      throw new ArgumentError(fn, `net[${l}].activation`, 'softmax is only allowed in the output layer');
    }
  });
}

/** The (output activation, loss) pair: bce needs sigmoid outputs, ce softmax outputs, softmax only ce. */
function assertPair(fn: string, act: ActivationName, loss: unknown, actArg = 'activation'): asserts loss is LossName {
  if (loss !== 'sse' && loss !== 'l2' && loss !== 'bce' && loss !== 'ce') {
    throw new ArgumentError(fn, 'loss', `must be one of sse, l2, bce, ce; got ${String(loss)}`);
  }
  const fits = loss === 'bce' ? act === 'sigmoid' : loss === 'ce' ? act === 'softmax' : act !== 'softmax';
  if (!fits) {
    const why = loss === 'bce' ? "'bce' needs a sigmoid output" : loss === 'ce' ? "'ce' needs a softmax output" : "a softmax output goes with 'ce'";
    throw new ArgumentError(fn, loss === 'bce' || loss === 'ce' ? 'loss' : actArg, `does not fit: ${why}; got ${act} with ${loss}`);
  }
}

function assertTargets(fn: string, arg: string, t: Vector, K: number, loss: LossName): void {
  assertVector(fn, arg, t, K);
  if (loss === 'bce' && t.some((v) => v < 0 || v > 1)) throw new ArgumentError(fn, arg, `must have entries in [0, 1] for bce; got [${t.join(', ')}]`);
  if (loss === 'ce' && (t.some((v) => v < 0) || Math.abs(t.reduce((s, v) => s + v, 0) - 1) > 1e-6)) {
    throw new ArgumentError(fn, arg, `must be a probability vector for ce (δ = y − t needs Σt = 1); got [${t.join(', ')}]`);
  }
}

/** A batch: a matrix of m rows of the given width. */
function assertRows(fn: string, arg: string, M: unknown, rows: number | undefined, cols: number): asserts M is Matrix {
  assertMatrix(fn, arg, M, rows, cols);
}

const last = (net: Network): Layer => net[net.length - 1];

// ---------------------------------------------------------------------------------------------
// C1, C2 — the network function and the forward pass with a cache

function forwardUnchecked(net: Network, x: Vector): { out: Vector; cache: ForwardCache } {
  const a: Vector[] = [];
  const z: Vector[] = [x.slice()];
  net.forEach((layer, l) => {
    a.push(matVec(layer.W, z[l]).map((v, j) => v + layer.b[j]));
    z.push(activate(layer.activation, a[l], layer.alpha));
  });
  return { out: z[net.length], cache: { a, z } };
}

/** C1 — y_k(x, w) = σ(Σ_j w_kj^(2) h(Σ_i w_ji^(1) x_i + w_j0^(1)) + w_k0^(2)), for any depth and activations ([Tu] "Overall neural network function"). */
export function networkFunction(net: Network, x: Vector): Vector {
  assertNetwork('networkFunction', net);
  assertVector('networkFunction', 'x', x, net[0].W[0].length);
  return forwardUnchecked(net, x).out;
}

/** C2 — forward pass keeping a^(l) = W^(l) z^(l−1) + b^(l) and z^(l) = h(a^(l)) in Bishop's names ([Tu] "Error propagation algorithm"). */
export function forward(net: Network, x: Vector): { out: Vector; cache: ForwardCache } {
  assertNetwork('forward', net);
  assertVector('forward', 'x', x, net[0].W[0].length);
  return forwardUnchecked(net, x);
}

// ---------------------------------------------------------------------------------------------
// C3–C5 — deltas and gradients for one example

/** E_n of one example from the output pre-activation a (logits forms for bce and ce: stable). */
function exampleError(a: Vector, t: Vector, act: ActivationName, loss: LossName, alpha?: number): number {
  if (loss === 'bce') return sigmoidCrossEntropy(t, a);
  if (loss === 'ce') return softmaxCrossEntropy(t, a);
  const y = activate(act, a, alpha);
  return loss === 'sse' ? sseLoss(y, t) : l2Loss(t, y);
}

function outputDeltaUnchecked(a: Vector, t: Vector, act: ActivationName, loss: LossName, alpha?: number): Vector {
  if (loss === 'bce') return sigmoidCrossEntropyGrad(t, a); // σ(a) − t
  if (loss === 'ce') return softmaxCrossEntropyGrad(t, a); // softmax(a) − t
  const y = activate(act, a, alpha);
  const fPrime = activationGrad(act, a, alpha); // at the pre-activation a
  const scale = loss === 'sse' ? 1 : 2; // ∂/∂y of ½Σ(y − t)² and of Σ(t − y)²
  return y.map((yk, k) => fPrime[k] * scale * (yk - t[k]));
}

/**
 * C3 — output deltas δ_k = ∂E_n/∂a_k at the output pre-activation a ([Tu] "Error propagation
 * (3/3)": δ_k = y_k − t_k). Canonical pairs (linear+sse, sigmoid+bce, softmax+ce): δ = y − t.
 * Otherwise δ = h′(a) ⊙ ∂E_n/∂y: sse gives h′(a)(y − t); the EBU7240 sigmoid + L2 output gives
 * σ′(a)·(−2)(t − y) ([Oh] "Summary": ∂L/∂s = (1 − σ(s)) ⊗ σ(s) ⊗ ∂L/∂p).
 */
export function outputDelta(a: Vector, t: Vector, activation: ActivationName, loss: LossName, alpha?: number): Vector {
  assertVector('outputDelta', 'a', a);
  assertActivation('outputDelta', 'activation', activation, alpha, 'alpha');
  assertPair('outputDelta', activation, loss);
  assertTargets('outputDelta', 't', t, a.length, loss);
  return outputDeltaUnchecked(a, t, activation, loss, alpha);
}

/**
 * C4 — hidden deltas δ_j = h′(a_j) Σ_k w_kj δ_k, i.e. δ = h′(a) ⊙ (W_nextᵀ δ_next), where W_next
 * [K × J] feeds the next layer from this one ([Tu] "Error backpropagation (2/3)").
 */
export function hiddenDelta(a: Vector, Wnext: Matrix, deltaNext: Vector, activation: ActivationName, alpha?: number): Vector {
  assertVector('hiddenDelta', 'a', a);
  assertMatrix('hiddenDelta', 'Wnext', Wnext, undefined, a.length);
  assertVector('hiddenDelta', 'deltaNext', deltaNext, Wnext.length);
  assertActivation('hiddenDelta', 'activation', activation, alpha, 'alpha');
  if (activation === 'softmax') throw new ArgumentError('hiddenDelta', 'activation', 'softmax is only allowed in the output layer');
  const back = matTVec(Wnext, deltaNext);
  return activationGrad(activation, a, alpha).map((g, j) => g * back[j]);
}

/** C5 — ∂E_n/∂w_ji = δ_j z_i and ∂E_n/∂b_j = δ_j: dW = δ zᵀ [out × in], db = δ ([Tu] "Error backpropagation (1/3)"). */
export function layerGradients(delta: Vector, zPrev: Vector): { dW: Matrix; db: Vector } {
  assertVector('layerGradients', 'delta', delta);
  assertVector('layerGradients', 'zPrev', zPrev);
  return { dW: outer(delta, zPrev), db: delta.slice() };
}

function assertCache(fn: string, net: Network, cache: unknown, rows?: number): void {
  if (cache === null || typeof cache !== 'object') throw new ArgumentError(fn, 'cache', 'must be { a, z } from the forward pass');
  const { a, z } = cache as { a: unknown; z: unknown };
  if (!Array.isArray(a) || a.length !== net.length) throw new ArgumentError(fn, 'cache.a', `must hold one entry per layer (${net.length})`);
  if (!Array.isArray(z) || z.length !== net.length + 1) throw new ArgumentError(fn, 'cache.z', `must hold the input and one entry per layer (${net.length + 1})`);
  const width = (l: number) => (l === 0 ? net[0].W[0].length : net[l - 1].W.length);
  for (let l = 0; l <= net.length; l++) {
    if (rows === undefined) assertVector(fn, `cache.z[${l}]`, z[l], width(l));
    else assertRows(fn, `cache.z[${l}]`, z[l], rows, width(l));
    if (l < net.length) {
      if (rows === undefined) assertVector(fn, `cache.a[${l}]`, a[l], net[l].W.length);
      else assertRows(fn, `cache.a[${l}]`, a[l], rows, net[l].W.length);
    }
  }
}

/**
 * C3–C5 — backpropagation for one example: δ^(L) at the output, δ^(l) = h′(a^(l)) ⊙ W^(l+1)ᵀ δ^(l+1)
 * downwards, dW^(l) = δ^(l) z^(l−1)ᵀ, db^(l) = δ^(l) ([Tu] "Error propagation algorithm").
 */
export function backward(net: Network, cache: ForwardCache, t: Vector, loss: LossName): Gradients {
  assertNetwork('backward', net);
  assertCache('backward', net, cache);
  const out = last(net);
  assertPair('backward', out.activation, loss, `net[${net.length - 1}].activation`);
  assertTargets('backward', 't', t, out.W.length, loss);
  const L = net.length;
  const grads: Gradients = new Array(L);
  let delta = outputDeltaUnchecked(cache.a[L - 1], t, out.activation, loss, out.alpha);
  for (let l = L - 1; l >= 0; l--) {
    grads[l] = { dW: outer(delta, cache.z[l]), db: delta.slice() };
    if (l > 0) {
      const back = matTVec(net[l].W, delta);
      delta = activationGrad(net[l - 1].activation, cache.a[l - 1], net[l - 1].alpha).map((g, j) => g * back[j]);
    }
  }
  return grads;
}

// ---------------------------------------------------------------------------------------------
// C6 — the batch (matrix) form, rows = examples, with the 1/m of J = (1/m) Σ_n E_n

/** C6 — batch forward: A^(l) = Z^(l) W^(l)ᵀ + 1 b^(l)ᵀ, Z^(l+1) = h(A^(l)) row by row ([Training]: z^(3) = Θ^(2) a^(2), one row per example). */
export function batchForward(net: Network, X: Matrix): { out: Matrix; cache: BatchCache } {
  assertNetwork('batchForward', net);
  assertRows('batchForward', 'X', X, undefined, net[0].W[0].length);
  const a: Matrix[] = [];
  const z: Matrix[] = [X.map((row) => row.slice())];
  net.forEach((layer, l) => {
    a.push(matMul(z[l], transpose(layer.W)).map((row) => row.map((v, j) => v + layer.b[j])));
    z.push(a[l].map((row) => activate(layer.activation, row, layer.alpha)));
  });
  return { out: z[net.length], cache: { a, z } };
}

/** C6 — the mean cost J = (1/m) Σ_n E_n over the m rows; for 'sse' J = (1/2m) Σ_n Σ_k (y_nk − t_nk)² ([Training]). */
export function batchCost(net: Network, X: Matrix, T: Matrix, loss: LossName): number {
  return errorSum('batchCost', net, X, T, loss) / X.length;
}

/**
 * C6 — Δ^(L) = (1/m) [row n: δ_n], the per-example output deltas of C3 divided by m; for 'sse'
 * Δ^(L) = (1/m)(Y − T) ⊙ f′(A^(L)) with f′ at the pre-activation. Erratum 2: the deck prints
 * (1/m)(y − a^(3)) f′(a^(3)) — the opposite sign, and f′ at its a, the activation.
 */
export function batchOutputDelta(A: Matrix, T: Matrix, activation: ActivationName, loss: LossName, alpha?: number): Matrix {
  assertMatrix('batchOutputDelta', 'A', A);
  assertActivation('batchOutputDelta', 'activation', activation, alpha, 'alpha');
  assertPair('batchOutputDelta', activation, loss);
  assertRows('batchOutputDelta', 'T', T, A.length, A[0].length);
  const m = A.length;
  return A.map((row, n) => {
    assertTargets('batchOutputDelta', `T[${n}]`, T[n], row.length, loss);
    return outputDeltaUnchecked(row, T[n], activation, loss, alpha).map((v) => v / m);
  });
}

/** C6 — Δ^(l) = (Δ^(l+1) W^(l+1)) ⊙ f′(A^(l)): with rows = examples W is not transposed ([Training]: δ^(2) = δ^(3) Θ^(2) f′). */
export function batchHiddenDelta(A: Matrix, Wnext: Matrix, DeltaNext: Matrix, activation: ActivationName, alpha?: number): Matrix {
  assertMatrix('batchHiddenDelta', 'A', A);
  assertMatrix('batchHiddenDelta', 'Wnext', Wnext, undefined, A[0].length);
  assertRows('batchHiddenDelta', 'DeltaNext', DeltaNext, A.length, Wnext.length);
  assertActivation('batchHiddenDelta', 'activation', activation, alpha, 'alpha');
  if (activation === 'softmax') throw new ArgumentError('batchHiddenDelta', 'activation', 'softmax is only allowed in the output layer');
  const back = matMul(DeltaNext, Wnext);
  return A.map((row, n) => activationGrad(activation, row, alpha).map((g, j) => g * back[n][j]));
}

/** C6 — ∂J/∂W^(l) = Δ^(l)ᵀ Z^(l−1) [out × in] (the sum over rows of δ_n z_nᵀ), ∂J/∂b^(l) = column sums of Δ^(l) ([Training]: (δ^(3))ᵀ a^(2)). */
export function batchBackward(net: Network, cache: BatchCache, T: Matrix, loss: LossName): Gradients {
  assertNetwork('batchBackward', net);
  const out = last(net);
  assertPair('batchBackward', out.activation, loss, `net[${net.length - 1}].activation`);
  assertRows('batchBackward', 'T', T, undefined, out.W.length);
  assertCache('batchBackward', net, cache, T.length);
  const L = net.length;
  const grads: Gradients = new Array(L);
  let Delta = batchOutputDelta(cache.a[L - 1], T, out.activation, loss, out.alpha);
  for (let l = L - 1; l >= 0; l--) {
    grads[l] = { dW: matMul(transpose(Delta), cache.z[l]), db: Delta[0].map((_, j) => Delta.reduce((s, row) => s + row[j], 0)) };
    if (l > 0) Delta = batchHiddenDelta(cache.a[l - 1], net[l].W, Delta, net[l - 1].activation, net[l - 1].alpha);
  }
  return grads;
}

// ---------------------------------------------------------------------------------------------
// C7 — the EBU7240 deck's 1- and 2-layer nets, in its letters (s, p, z)

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

function assertEbuLayers(fn: string, layers: unknown, x: Vector): asserts layers is EbuLayer[] {
  if (!Array.isArray(layers) || layers.length === 0) throw new ArgumentError(fn, 'layers', 'must be a non-empty array of { W, b }');
  layers.forEach((layer: EbuLayer, l) => {
    assertMatrix(fn, `layers[${l}].W`, layer?.W, undefined, l === 0 ? x.length : (layers[l - 1] as EbuLayer).W.length);
    assertVector(fn, `layers[${l}].b`, layer.b, layer.W.length);
  });
}

/** Backward through s_l = W_l p_{l−1} + b_l from ∂L/∂p of the last layer; sigmoid below it. */
function ebuBackward(x: Vector, layers: EbuLayer[], s: Vector[], p: Vector[], loss: number, dpLast: Vector, dsLast: Vector): EbuResult {
  const L = layers.length;
  const dp: Vector[] = new Array(L);
  const ds: Vector[] = new Array(L);
  dp[L - 1] = dpLast;
  ds[L - 1] = dsLast;
  for (let l = L - 2; l >= 0; l--) {
    dp[l] = matTVec(layers[l + 1].W, ds[l + 1]); // ∂L/∂p_l = W_{l+1}ᵀ ∂L/∂s_{l+1}
    ds[l] = s[l].map((v, j) => sigmoidGrad(v) * dp[l][j]); // diag((1 − σ(s))σ(s)) ∂L/∂p
  }
  const input = (l: number) => (l === 0 ? x : p[l - 1]);
  return { loss, p, dp, ds, dW: ds.map((d, l) => outer(d, input(l))), db: ds.map((d) => d.slice()), dx: matTVec(layers[0].W, ds[0]) };
}

function ebuForward(x: Vector, layers: EbuLayer[], lastSoftmax: boolean): { s: Vector[]; p: Vector[] } {
  const s: Vector[] = [];
  const p: Vector[] = [];
  layers.forEach((layer, l) => {
    s.push(matVec(layer.W, l === 0 ? x : p[l - 1]).map((v, j) => v + layer.b[j]));
    p.push(lastSoftmax && l === layers.length - 1 ? softmax(s[l]) : s[l].map(sigmoid));
  });
  return { s, p };
}

/**
 * C7 — the deck's L2 regression nets: s_l = W_l p_{l−1} + b_l, p_l = σ(s_l) for every layer,
 * L = Σ(z − p_L)² with z the ground truth; ∂L/∂p = −2(z − p), ∂L/∂s = σ(s)(1 − σ(s)) ⊙ ∂L/∂p,
 * ∂L/∂W = ∂L/∂s xᵀ, ∂L/∂b = ∂L/∂s, ∂L/∂x = Wᵀ ∂L/∂s ([Oh] "Summary", 1- and 2-layer nets).
 */
export function ebuL2Net(x: Vector, layers: EbuLayer[], z: Vector): EbuResult {
  assertVector('ebuL2Net', 'x', x);
  assertEbuLayers('ebuL2Net', layers, x);
  assertVector('ebuL2Net', 'z', z, layers[layers.length - 1].W.length);
  const { s, p } = ebuForward(x, layers, false);
  const L = layers.length;
  const pL = p[L - 1];
  const dpLast = pL.map((pk, k) => -2 * (z[k] - pk));
  return ebuBackward(x, layers, s, p, l2Loss(z, pL), dpLast, s[L - 1].map((v, k) => sigmoidGrad(v) * dpLast[k]));
}

/**
 * C7 — the deck's softmax classifiers: sigmoid hidden layers, p_L = softmax(s_L), L = −log p_y
 * for the class index y (0-based); ∂L/∂p_L = −1/p_y in row y (0 elsewhere), ∂L/∂s_L = D ∂L/∂p =
 * p − e_y with D_ab = p_a(δ_ab − p_b) ([Oh] "1-layer / 2-layer Neural Net (Softmax classifier)").
 */
export function ebuSoftmaxNet(x: Vector, layers: EbuLayer[], y: number): EbuResult {
  assertVector('ebuSoftmaxNet', 'x', x);
  assertEbuLayers('ebuSoftmaxNet', layers, x);
  const K = layers[layers.length - 1].W.length;
  assertInteger('ebuSoftmaxNet', 'y', y, 0);
  if (y >= K) throw new ArgumentError('ebuSoftmaxNet', 'y', `must be a class index below ${K}; got ${y}`);
  const { s, p } = ebuForward(x, layers, true);
  const L = layers.length;
  const onehot = p[L - 1].map((_, k) => (k === y ? 1 : 0));
  const dpLast = p[L - 1].map((pk, k) => (k === y ? -1 / pk : 0));
  return ebuBackward(x, layers, s, p, softmaxCrossEntropy(onehot, s[L - 1]), dpLast, softmaxCrossEntropyGrad(onehot, s[L - 1]));
}

// ---------------------------------------------------------------------------------------------
// C8 — the deck's numpy training loop, one iteration

/**
 * C8 — one iteration of [Oh] "Full implementation of training a 2-layer Neural Network", in its
 * layout (x [N × D_in], w1 [D_in × H], w2 [H × D_out], no biases): h = σ(x·w1), ŷ = h·w2,
 * loss = Σ(ŷ − y)² (at the incoming weights, as the loop prints it), grad_y = 2(ŷ − y),
 * grad_w2 = hᵀ·grad_y, grad_h = grad_y·w2ᵀ, grad_w1 = xᵀ·(grad_h ⊙ h ⊙ (1 − h)),
 * w1 −= learningRate·grad_w1, w2 −= learningRate·grad_w2 (the deck uses 1e−4).
 */
export function numpyTrainingStep(
  x: Matrix,
  y: Matrix,
  w1: Matrix,
  w2: Matrix,
  learningRate: number,
): { loss: number; gradW1: Matrix; gradW2: Matrix; w1: Matrix; w2: Matrix } {
  assertMatrix('numpyTrainingStep', 'x', x);
  assertMatrix('numpyTrainingStep', 'w1', w1, x[0].length);
  assertMatrix('numpyTrainingStep', 'w2', w2, w1[0].length);
  assertMatrix('numpyTrainingStep', 'y', y, x.length, w2[0].length);
  assertNumber('numpyTrainingStep', 'learningRate', learningRate);
  const h = matMul(x, w1).map((row) => row.map(sigmoid));
  const yPred = matMul(h, w2);
  const loss = yPred.reduce((s, row, n) => s + row.reduce((r, v, k) => r + (v - y[n][k]) ** 2, 0), 0);
  const gradY = yPred.map((row, n) => row.map((v, k) => 2 * (v - y[n][k])));
  const gradW2 = matMul(transpose(h), gradY);
  const gradH = matMul(gradY, transpose(w2));
  const gradW1 = matMul(transpose(x), gradH.map((row, n) => row.map((g, j) => g * h[n][j] * (1 - h[n][j]))));
  const step = (w: Matrix, g: Matrix) => w.map((row, i) => row.map((v, j) => v - learningRate * g[i][j]));
  return { loss, gradW1, gradW2, w1: step(w1, gradW1), w2: step(w2, gradW2) };
}

// ---------------------------------------------------------------------------------------------
// C9 — the error function over a data set, and a gradient-descent step

function errorSum(fn: string, net: Network, X: Matrix, T: Matrix, loss: LossName): number {
  assertNetwork(fn, net);
  const out = last(net);
  assertPair(fn, out.activation, loss, `net[${net.length - 1}].activation`);
  assertRows(fn, 'X', X, undefined, net[0].W[0].length);
  assertRows(fn, 'T', T, X.length, out.W.length);
  return X.reduce((s, x, n) => {
    assertTargets(fn, `T[${n}]`, T[n], out.W.length, loss);
    return s + exampleError(forwardUnchecked(net, x).cache.a[net.length - 1], T[n], out.activation, loss, out.alpha);
  }, 0);
}

/** C9 — E(w) = Σ_n E_n(w) over the N rows of X and T: a sum, not a mean ([Tu] "Error Function"). */
export function errorFunction(net: Network, X: Matrix, T: Matrix, loss: LossName): number {
  return errorSum('errorFunction', net, X, T, loss);
}

/** C9 — one gradient-descent step W ← W − η ∂E/∂W, b ← b − η ∂E/∂b ([Oh] "Gradient Descent": W^{T+1} = W^T − α ∂L/∂W^T); returns a new network. */
export function gradientDescentStep(net: Network, grads: Gradients, eta: number): Network {
  assertNetwork('gradientDescentStep', net);
  assertNumber('gradientDescentStep', 'eta', eta);
  if (!Array.isArray(grads) || grads.length !== net.length) throw new ArgumentError('gradientDescentStep', 'grads', `must hold one { dW, db } per layer (${net.length})`);
  return net.map((layer, l) => {
    assertMatrix('gradientDescentStep', `grads[${l}].dW`, grads[l]?.dW, layer.W.length, layer.W[0].length);
    assertVector('gradientDescentStep', `grads[${l}].db`, grads[l].db, layer.b.length);
    return { ...layer, W: layer.W.map((row, j) => row.map((w, i) => w - eta * grads[l].dW[j][i])), b: layer.b.map((bj, j) => bj - eta * grads[l].db[j]) };
  });
}
