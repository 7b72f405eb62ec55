/**
 * D. Jacobian, Hessian, MAP — catalogue family D (D1–D6), on the networks of family C.
 *
 * Decks (see README, "Decks"): [Overview] "Jacobian and Hessian Matrices", "Network
 * Regularization", "MAP Neural Networks" (headings only); [Tu] "Regularization" (Ẽ(w) = E(w) +
 * ½wᵀw, "a Gaussian prior … from Bayesian learning perspective"). The formulas are those of the
 * Bishop text the [Tu] deck follows (PRML §5.3.4 Jacobian, §5.4 Hessian: 5.4.1 diagonal and 5.4.2
 * outer-product approximations, 5.4.6 fast multiplication by the Hessian; §5.7.1 Laplace).
 *
 * symbol   id        shape      meaning
 * w        —         [P]        every parameter in one vector: W^(1) row by row, then b^(1),
 *                                then W^(2) row by row, b^(2), … (the order of every result here)
 * E        E         number     E(w) = Σ_n E_n(w) over the rows of X, T (C9), loss as in family C
 * g        g         [P]        ∇E(w)
 * J        J         [K, D]     J_ki = ∂y_k/∂x_i, rows = outputs (as gradcheck's numericalJacobian)
 * H        H         [P, P]     ∇∇E(w), symmetric
 * M        —         [K, K]     ∂²E_n/∂a^(L)∂a^(L): curvature of the loss in the output pre-activation
 * Λ        —         [K, K]     M without its residual terms (Gauss–Newton)
 * v        v         [P]        direction of a Hessian-vector product; R{·} = ∂/∂r (·)(w + rv) at r = 0
 * α, β     alpha, beta          prior precision, noise precision (the notes: α = β = 1)
 * A        —         [P, P]     αI + βH, the precision of the Laplace posterior
 *
 * Every Hessian here is exact up to rounding (the R-operator, not finite differences); at the kink
 * of relu/leakyRelu/elu h″ is taken as 0 (h′ jumps there: E is not twice differentiable).
 */
import { elu, eluGrad, sigmoid, sigmoidGrad, softmax, softplus, softplusGrad, tanh, tanhGrad } from './activations.ts';
import { backward, errorFunction, forward, outputDelta, type ActivationName, type Layer, type LossName, type Network } from './backprop.ts';
import { ArgumentError, assertMatrix, assertNumber, assertVector, type Matrix, type Vector } from './tensor.ts';

// ---------------------------------------------------------------------------------------------
// Validation (the same rules as family C, reported under this family's function names)

const ACTIVATIONS: readonly ActivationName[] = ['linear', 'sigmoid', 'tanh', 'relu', 'leakyRelu', 'elu', 'softplus', 'softmax'];

function assertNetwork(fn: string, net: unknown): asserts net is Network {
  if (!Array.isArray(net) || net.length === 0) throw new ArgumentError(fn, 'net', 'must be a non-empty array of layers { W, b, activation }');
  net.forEach((layer: Layer, l) => {
    assertMatrix(fn, `net[${l}].W`, layer?.W, undefined, l > 0 ? (net[l - 1] as Layer).W.length : undefined);
    assertVector(fn, `net[${l}].b`, layer.b, layer.W.length);
    if (!ACTIVATIONS.includes(layer.activation)) throw new ArgumentError(fn, `net[${l}].activation`, `must be one of ${ACTIVATIONS.join(', ')}; got ${String(layer.activation)}`);
    if (layer.activation === 'leakyRelu' || layer.activation === 'elu') {
      assertNumber(fn, `net[${l}].alpha`, layer.alpha);
      if (layer.alpha < 0 || (layer.activation === 'leakyRelu' && layer.alpha > 1)) throw new ArgumentError(fn, `net[${l}].alpha`, `must lie in ${layer.activation === 'leakyRelu' ? '[0, 1]' : '[0, ∞)'}; got ${layer.alpha}`);
    }
    if (layer.activation === 'softmax' && l < net.length - 1) throw new ArgumentError(fn, `net[${l}].activation`, 'softmax is only allowed in the output layer');
  });
}

function assertData(fn: string, net: Network, X: unknown, T: unknown, loss: unknown): asserts loss is LossName {
  assertMatrix(fn, 'X', X, undefined, net[0].W[0].length);
  assertMatrix(fn, 'T', T, X.length, net[net.length - 1].W.length);
  const act = net[net.length - 1].activation;
  if (loss !== 'sse' && loss !== 'l2' && loss !== 'bce' && loss !== 'ce') throw new ArgumentError(fn, 'loss', `must be one of sse, l2, bce, ce; got ${String(loss)}`);
  const fits = loss === 'bce' ? act === 'sigmoid' : loss === 'ce' ? act === 'softmax' : act !== 'softmax';
  if (!fits) throw new ArgumentError(fn, 'loss', `does not fit the output activation ${act} (bce needs sigmoid outputs, ce and softmax go together)`);
}

// ---------------------------------------------------------------------------------------------
// Helpers: h, h′, h″ and the parameter vector

const dot = (u: Vector, v: Vector): number => u.reduce((s, ui, i) => s + ui * v[i], 0);
const matVec = (W: Matrix, x: Vector): Vector => W.map((row) => dot(row, x));
const matTVec = (W: Matrix, d: Vector): Vector => W[0].map((_, j) => W.reduce((s, row, k) => s + row[j] * d[k], 0));

function h(l: Layer, a: Vector): Vector {
  switch (l.activation) {
    case 'linear': return a.slice();
    case 'sigmoid': return a.map(sigmoid);
    case 'tanh': return a.map(tanh);
    case 'relu': return a.map((v) => (v > 0 ? v : 0));
    case 'leakyRelu': return a.map((v) => (v > 0 ? v : (l.alpha as number) * v));
    case 'elu': return a.map((v) => elu(v, l.alpha as number));
    case 'softplus': return a.map(softplus);
    case 'softmax': return softmax(a);
  }
}
/** h′(a) elementwise (not for softmax). */
function h1(l: Layer, a: Vector): Vector {
  switch (l.activation) {
    case 'linear': return a.map(() => 1);
    case 'sigmoid': return a.map(sigmoidGrad);
    case 'tanh': return a.map(tanhGrad);
    case 'relu': return a.map((v) => (v > 0 ? 1 : 0));
    case 'leakyRelu': return a.map((v) => (v > 0 ? 1 : (l.alpha as number)));
    case 'elu': return a.map((v) => eluGrad(v, l.alpha as number));
    case 'softplus': return a.map(softplusGrad);
    case 'softmax': throw new Error('softmax has no elementwise derivative');
  }
}
/** h″(a) elementwise: σ″ = σ′(1 − 2σ), tanh″ = −2 tanh·tanh′, softplus″ = σ′, elu″ = αe^a (a < 0); 0 for the piecewise linear ones. */
function h2(l: Layer, a: Vector): Vector {
  switch (l.activation) {
    case 'sigmoid': return a.map((v) => sigmoidGrad(v) * (1 - 2 * sigmoid(v)));
    case 'tanh': return a.map((v) => -2 * tanh(v) * tanhGrad(v));
    case 'softplus': return a.map(sigmoidGrad);
    case 'elu': return a.map((v) => (v < 0 ? (l.alpha as number) * Math.exp(v) : 0));
    default: return a.map(() => 0);
  }
}

const flatten = (net: Network): Vector => net.flatMap((l) => [...l.W.flat(), ...l.b]);
const flatGrads = (g: { dW: Matrix; db: Vector }[]): Vector => g.flatMap(({ dW, db }) => [...dW.flat(), ...db]);
/** Split a [P] vector into per-layer { W, b } blocks shaped like the network. */
function split(net: Network, v: Vector): { W: Matrix; b: Vector }[] {
  let k = 0;
  return net.map((l) => ({ W: l.W.map((row) => row.map(() => v[k++])), b: l.b.map(() => v[k++]) }));
}
const paramCount = (net: Network): number => net.reduce((s, l) => s + l.W.length * (l.W[0].length + 1), 0);

/** ∂y/∂a^(L) [K × K]: diag h′(a), or the softmax Jacobian D_ab = p_a(δ_ab − p_b). */
function outputJacobian(l: Layer, a: Vector): Matrix {
  if (l.activation === 'softmax') {
    const p = softmax(a);
    return p.map((pa, i) => p.map((pb, j) => pa * ((i === j ? 1 : 0) - pb)));
  }
  const d = h1(l, a);
  return d.map((v, i) => d.map((_, j) => (i === j ? v : 0)));
}

/**
 * M = ∂δ/∂a^(L) = ∂²E_n/∂a^(L)² for the pair; with `gaussNewton` the residual terms (y − t)h″(a)
 * are dropped (Λ). Canonical pairs have none: linear+sse I, sigmoid+bce diag(y(1 − y)), softmax+ce
 * diag(p) − ppᵀ. Otherwise c·diag(h′(a)² + h″(a)(y − t)), c = 1 (sse) or 2 (l2).
 */
function outputCurvature(l: Layer, a: Vector, t: Vector, loss: LossName, gaussNewton: boolean): Matrix {
  if (loss === 'ce' || loss === 'bce') return outputJacobian(l, a);
  const [y, d1, d2] = [h(l, a), h1(l, a), h2(l, a)];
  const c = loss === 'sse' ? 1 : 2;
  return a.map((_, i) => a.map((__, j) => (i === j ? c * (d1[i] * d1[i] + (gaussNewton ? 0 : d2[i] * (y[i] - t[i]))) : 0)));
}

/** ∂a^(L)_k/∂w for every output unit k [K × P]: C's backward with δ^(L) = e_k (a linear output, t = a − e_k). */
function preActivationJacobian(net: Network, x: Vector): Matrix {
  const linear: Network = net.map((l, i) => (i === net.length - 1 ? { W: l.W, b: l.b, activation: 'linear' } : l));
  const { cache } = forward(linear, x);
  const aL = cache.a[net.length - 1];
  return aL.map((_, k) => flatGrads(backward(linear, cache, aL.map((v, j) => v - (j === k ? 1 : 0)), 'sse')));
}

// ---------------------------------------------------------------------------------------------
// D1 — the network Jacobian

/**
 * D1 — J_ki = ∂y_k/∂x_i by backpropagation from each output: G = ∂y/∂a^(L), then G ← G W^(l) and
 * G ← G diag(h′(a^(l−1))) down to the input (PRML §5.3.4; [Overview] "Jacobian and Hessian Matrices").
 * Returns the output y too, so the Jacobian can be checked against y's finite differences.
 */
export function networkJacobian(net: Network, x: Vector): { y: Vector; J: Matrix } {
  assertNetwork('networkJacobian', net);
  assertVector('networkJacobian', 'x', x, net[0].W[0].length);
  const { out, cache } = forward(net, x);
  const L = net.length;
  let G = outputJacobian(net[L - 1], cache.a[L - 1]);
  for (let l = L - 1; l >= 0; l--) {
    const W = net[l].W;
    G = G.map((row) => W[0].map((_, i) => row.reduce((s, g, j) => s + g * W[j][i], 0))); // G W^(l)
    if (l > 0) {
      const d = h1(net[l - 1], cache.a[l - 1]);
      G = G.map((row) => row.map((g, i) => g * d[i]));
    }
  }
  return { y: out, J: G };
}

// ---------------------------------------------------------------------------------------------
// D2 — E and its gradient as one vector; the exact Hessian

/** D2 — E(w) = Σ_n E_n(w) and g = ∇E(w) in the parameter order of the notation table (C5 summed over the examples). */
export function errorAndGradient(net: Network, X: Matrix, T: Matrix, loss: LossName): { E: number; g: Vector } {
  assertNetwork('errorAndGradient', net);
  assertData('errorAndGradient', net, X, T, loss);
  const g = new Array<number>(paramCount(net)).fill(0);
  X.forEach((x, n) => flatGrads(backward(net, forward(net, x).cache, T[n], loss)).forEach((v, i) => (g[i] += v)));
  return { E: errorFunction(net, X, T, loss), g };
}

/**
 * Hv for one example by the R-operator (Pearlmutter; PRML §5.4.6): forward R{a^(l)} = V^(l) z^(l−1)
 * + W^(l) R{z^(l−1)} + R{b^(l)}, R{z^(l)} = h′(a^(l)) ⊙ R{a^(l)}; R{δ^(L)} = M R{a^(L)}; backward
 * R{δ^(l)} = h″(a) ⊙ R{a} ⊙ W^(l+1)ᵀδ^(l+1) + h′(a) ⊙ (V^(l+1)ᵀδ^(l+1) + W^(l+1)ᵀR{δ^(l+1)});
 * R{∂E/∂W^(l)} = R{δ^(l)} z^(l−1)ᵀ + δ^(l) R{z^(l−1)}ᵀ, R{∂E/∂b^(l)} = R{δ^(l)}.
 */
function exampleHv(net: Network, x: Vector, t: Vector, loss: LossName, v: Vector): Vector {
  const V = split(net, v);
  const L = net.length;
  const { cache } = forward(net, x);
  const { a, z } = cache;
  const Ra: Vector[] = [];
  const Rz: Vector[] = [x.map(() => 0)];
  for (let l = 0; l < L; l++) {
    const WRz = matVec(net[l].W, Rz[l]);
    Ra.push(matVec(V[l].W, z[l]).map((s, j) => s + WRz[j] + V[l].b[j]));
    if (l < L - 1) Rz.push(h1(net[l], a[l]).map((d, j) => d * Ra[l][j]));
  }
  const top = net[L - 1];
  let delta = outputDelta(a[L - 1], t, top.activation, loss, top.alpha);
  let Rdelta = matVec(outputCurvature(top, a[L - 1], t, loss, false), Ra[L - 1]);
  const out: { W: Matrix; b: Vector }[] = new Array(L);
  for (let l = L - 1; l >= 0; l--) {
    out[l] = { W: Rdelta.map((rd, j) => z[l].map((zi, i) => rd * zi + delta[j] * Rz[l][i])), b: Rdelta.slice() };
    if (l > 0) {
      const back = matTVec(net[l].W, delta);
      const WtRdelta = matTVec(net[l].W, Rdelta);
      const Rback = matTVec(V[l].W, delta).map((s, j) => s + WtRdelta[j]);
      const [d1, d2] = [h1(net[l - 1], a[l - 1]), h2(net[l - 1], a[l - 1])];
      Rdelta = d1.map((d, j) => d2[j] * Ra[l - 1][j] * back[j] + d * Rback[j]);
      delta = d1.map((d, j) => d * back[j]);
    }
  }
  return out.flatMap(({ W, b }) => [...W.flat(), ...b]);
}

function hvSum(net: Network, X: Matrix, T: Matrix, loss: LossName, v: Vector): Vector {
  const Hv = v.map(() => 0);
  X.forEach((x, n) => exampleHv(net, x, T[n], loss, v).forEach((u, i) => (Hv[i] += u)));
  return Hv;
}

/** D2 — the exact Hessian H = ∇∇E(w) [P × P], column i = H e_i by the R-operator (small nets: P passes per example). */
export function hessian(net: Network, X: Matrix, T: Matrix, loss: LossName): Matrix {
  assertNetwork('hessian', net);
  assertData('hessian', net, X, T, loss);
  const P = paramCount(net);
  const columns = Array.from({ length: P }, (_, i) => hvSum(net, X, T, loss, Array.from({ length: P }, (__, j) => (j === i ? 1 : 0))));
  return columns.map((_, r) => columns.map((col) => col[r]));
}

// ---------------------------------------------------------------------------------------------
// D3 — diagonal and outer-product approximations

/**
 * D3 — Becker–LeCun diagonal approximation (PRML §5.4.1): ∂²E_n/∂w_ji² = (∂²E_n/∂a_j²) z_i² with,
 * at the output, the exact diagonal of M and, below, the off-diagonal terms neglected:
 * ∂²E_n/∂a_j² ≈ h′(a_j)² Σ_k w_kj² ∂²E_n/∂a_k² + h″(a_j) Σ_k w_kj δ_k. Exact for nets with at
 * most one hidden layer and elementwise outputs; an approximation deeper or under softmax.
 */
export function diagonalHessian(net: Network, X: Matrix, T: Matrix, loss: LossName): Vector {
  assertNetwork('diagonalHessian', net);
  assertData('diagonalHessian', net, X, T, loss);
  const L = net.length;
  const total = new Array<number>(paramCount(net)).fill(0);
  X.forEach((x, n) => {
    const { a, z } = forward(net, x).cache;
    const top = net[L - 1];
    let delta = outputDelta(a[L - 1], T[n], top.activation, loss, top.alpha);
    let d2 = outputCurvature(top, a[L - 1], T[n], loss, false).map((row, k) => row[k]);
    const blocks: Vector[] = new Array(L);
    for (let l = L - 1; l >= 0; l--) {
      blocks[l] = [...d2.flatMap((dj) => z[l].map((zi) => dj * zi * zi)), ...d2];
      if (l > 0) {
        const W = net[l].W;
        const back = matTVec(W, delta);
        const [d1, dd] = [h1(net[l - 1], a[l - 1]), h2(net[l - 1], a[l - 1])];
        d2 = d1.map((d, j) => d * d * W.reduce((s, row, k) => s + row[j] * row[j] * d2[k], 0) + dd[j] * back[j]);
        delta = d1.map((d, j) => d * back[j]);
      }
    }
    blocks.flat().forEach((v, i) => (total[i] += v));
  });
  return total;
}

/**
 * D3 — outer-product (Levenberg–Marquardt / Gauss–Newton) approximation H ≈ Σ_n B_nᵀ Λ_n B_n,
 * B_n = ∂a^(L)/∂w [K × P], Λ_n = M without residual terms (PRML §5.4.2: Σ_n b_n b_nᵀ for linear
 * outputs and sse, Σ_n y_n(1 − y_n) b_n b_nᵀ for sigmoid + bce). Equals H where the residuals
 * y − t vanish, and for any targets when y is linear in w (one linear layer, sse). Positive semi-definite.
 */
export function outerProductHessian(net: Network, X: Matrix, T: Matrix, loss: LossName): Matrix {
  assertNetwork('outerProductHessian', net);
  assertData('outerProductHessian', net, X, T, loss);
  const P = paramCount(net);
  const H = Array.from({ length: P }, () => new Array<number>(P).fill(0));
  const top = net[net.length - 1];
  X.forEach((x, n) => {
    const B = preActivationJacobian(net, x);
    const Lambda = outputCurvature(top, forward(net, x).cache.a[net.length - 1], T[n], loss, true);
    const LB = Lambda.map((row) => B[0].map((_, j) => row.reduce((s, v, k) => s + v * B[k][j], 0))); // Λ B
    for (let i = 0; i < P; i++) for (let j = 0; j < P; j++) H[i][j] += B.reduce((s, row, k) => s + row[i] * LB[k][j], 0);
  });
  return H;
}

// ---------------------------------------------------------------------------------------------
// D4 — Hessian-vector products

/** D4 — Hv exactly, by the R-operator, without forming H: O(P) per example (PRML §5.4.6). Equals (∇E(w + εv) − ∇E(w − εv))/2ε as ε → 0. */
export function hessianVectorProduct(net: Network, X: Matrix, T: Matrix, loss: LossName, v: Vector): Vector {
  assertNetwork('hessianVectorProduct', net);
  assertData('hessianVectorProduct', net, X, T, loss);
  assertVector('hessianVectorProduct', 'v', v, paramCount(net));
  return hvSum(net, X, T, loss, v);
}

// ---------------------------------------------------------------------------------------------
// D5, D6 — MAP and the Laplace predictive variance (regression: Gaussian noise, sse)

function assertPrecisions(fn: string, alpha: unknown, beta: unknown, alphaPositive: boolean): void {
  assertNumber(fn, 'alpha', alpha);
  assertNumber(fn, 'beta', beta);
  if (alpha < 0 || (alphaPositive && alpha === 0)) throw new ArgumentError(fn, 'alpha', `must be ${alphaPositive ? '> 0' : '≥ 0'} (a prior precision); got ${alpha}`);
  if (!(beta > 0)) throw new ArgumentError(fn, 'beta', `must be > 0 (a noise precision); got ${beta}`);
}

/**
 * D5 — the MAP objective Ẽ(w) = β E_D(w) + (α/2) wᵀw with E_D = ½ Σ_n ‖y(x_n, w) − t_n‖² (Gaussian
 * noise of precision β, a Gaussian prior of precision α on every parameter, biases included), and
 * its gradient β∇E_D + αw. The notes' Ẽ = E + ½wᵀw is α = β = 1 ([Tu] "Regularization").
 */
export function mapObjective(net: Network, X: Matrix, T: Matrix, alpha: number, beta: number): { E: number; g: Vector } {
  assertNetwork('mapObjective', net);
  assertData('mapObjective', net, X, T, 'sse');
  assertPrecisions('mapObjective', alpha, beta, false);
  const { E, g } = errorAndGradient(net, X, T, 'sse');
  const w = flatten(net);
  return { E: beta * E + (alpha / 2) * dot(w, w), g: g.map((gi, i) => beta * gi + alpha * w[i]) };
}

/** Cholesky A = LLᵀ; null when A is not positive definite. */
function cholesky(A: Matrix): Matrix | null {
  const n = A.length;
  const L = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let j = 0; j < n; j++) {
    let d = A[j][j];
    for (let k = 0; k < j; k++) d -= L[j][k] * L[j][k];
    if (!(d > 0)) return null;
    L[j][j] = Math.sqrt(d);
    for (let i = j + 1; i < n; i++) {
      let s = A[i][j];
      for (let k = 0; k < j; k++) s -= L[i][k] * L[j][k];
      L[i][j] = s / L[j][j];
    }
  }
  return L;
}

/**
 * D6 — the Laplace predictive distribution of a one-output regression net at w (taken as w_MAP):
 * p(t|x, D) ≈ N(t | y(x, w), σ²(x)), σ²(x) = 1/β + gᵀA⁻¹g, g = ∇_w y(x, w), A = αI + βH with H the
 * exact Hessian of E_D = ½Σ(y − t)² (PRML §5.7.1, eq. 5.173). gᵀA⁻¹g is ‖u‖² with LLᵀ = A, Lu = g.
 */
export function laplaceVariance(net: Network, X: Matrix, T: Matrix, alpha: number, beta: number, x: Vector): { mean: number; variance: number } {
  assertNetwork('laplaceVariance', net);
  assertData('laplaceVariance', net, X, T, 'sse');
  assertPrecisions('laplaceVariance', alpha, beta, true);
  assertVector('laplaceVariance', 'x', x, net[0].W[0].length);
  const top = net[net.length - 1];
  if (top.W.length !== 1) throw new ArgumentError('laplaceVariance', 'net', `must have one output (regression); got ${top.W.length}`);
  const H = hessian(net, X, T, 'sse');
  const A = H.map((row, i) => row.map((v, j) => beta * v + (i === j ? alpha : 0)));
  const L = cholesky(A);
  if (!L) throw new ArgumentError('laplaceVariance', 'net', 'gives A = αI + βH that is not positive definite: the weights are not a MAP point, or α is too small');
  const { cache } = forward(net, x);
  const aL = cache.a[net.length - 1];
  const g = preActivationJacobian(net, x)[0].map((v) => v * outputJacobian(top, aL)[0][0]); // ∇y = y′(a)∇a
  const u: Vector = [];
  for (let i = 0; i < g.length; i++) u.push((g[i] - L[i].slice(0, i).reduce((s, v, k) => s + v * u[k], 0)) / L[i][i]);
  return { mean: h(top, aL)[0], variance: 1 / beta + dot(u, u) };
}
