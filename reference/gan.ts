/**
 * P. Generative adversarial networks — catalogue family P (P1–P8).
 *
 * Decks: [Jung] "Generative Adversarial Networks (NIPS 2014)" (the minimax problem, Algorithm 1,
 * Proposition 1, Theorem 1) and "Variants of GANs — InfoGAN" (I(X;Y) = H(X) − H(X|Y) =
 * H(Y) − H(Y|X), V_I = V − λI); [Overview] "Generative Adversarial Networks" (Algorithm 1, the
 * integral form of V, D*_G, C(G) = −log(4) + KL(p_data‖M) + KL(p_g‖M), "In the early phase D is
 * confident and gradient is small. Instead we can max D(G(z))"); [Training] the GAN slides
 * (discriminator gradient for update (gradient ascent), generator gradient (gradient descent)).
 *
 * symbol        id             shape            meaning
 * D(x)          dReal          [m]              the discriminator's outputs on the m real samples x^(i)
 * D(G(z))       dFake          [m]              its outputs on the m generated samples G(z^(i))
 * V             —              number           (1/m) Σ_i [log D(x^(i)) + log(1 − D(G(z^(i))))]
 * a, b          params.a, .b   numbers          the toy generator G(z) = a·z + b
 * w, c          params.w, .c   numbers          the toy discriminator D(x) = σ(w·x + c)
 * θ_d, θ_g      D, G           Network          small MLPs (family C's Layer[]: W [out × in], b [out])
 * X, Z          X, Z           [m × d], [m × n] real samples and noise, one row per example
 * p_data, p_g   pData, pG      [K]              discrete distributions over the same K outcomes
 * D*            —              [K]              p_data/(p_data + p_g)
 * M             —              [K]              (p_data + p_g)/2
 * P(X, Y)       joint          [|X| × |Y|]      a discrete joint distribution (rows: X, columns: Y)
 *
 * Conventions:
 * - log is the natural logarithm, as in the notes' −log(4) (so C(G) ≥ −ln 4 ≈ −1.386 and
 *   JSD ∈ [0, ln 2]); entropies and mutual information are in nats.
 * - Zero probabilities: 0·log 0 = 0 and 0·log(0/q) = 0 (a term with p = 0 contributes nothing);
 *   KL(p‖q) = +∞ when some q_k = 0 < p_k. JSD is always finite (M > 0 wherever p or q is).
 * - D* where p_data = p_g = 0: any value maximises V there (both weights are 0); ½ is returned,
 *   the value D* takes where p_g = p_data.
 * - Minibatches: the notes' estimate takes the same m for the real and the generated samples and
 *   divides the sum by m; dReal and dFake must have the same length.
 * - Gradients are of the objective each player follows: the discriminator ASCENDS
 *   ∇_θd (1/m)Σ[log D(x) + log(1 − D(G(z)))]; the generator DESCENDS ∇_θg (1/m)Σ log(1 − D(G(z)))
 *   (loss 'saturating', the notes' minimax form) or ∇_θg (1/m)Σ −log D(G(z)) (loss
 *   'non-saturating', "max D(G(z))"). Algorithm 1's updates are plain gradient steps with
 *   learning rate η (the notes allow "any standard gradient-based learning rule").
 * - The MLPs reuse family C (reference/backprop.ts): forward, the bce output delta of backward for
 *   the discriminator, and hiddenDelta/layerGradients for the backward pass through G.
 */
import { sigmoid } from './activations.ts';
import { backward, forward, hiddenDelta, layerGradients, type Gradients, type Network } from './backprop.ts';
import { ArgumentError, assertInRange, assertMatrix, assertNumber, assertVector, type Matrix, type Vector } from './tensor.ts';

/** The 1-D toy of Algorithm 1: G(z) = a·z + b, D(x) = σ(w·x + c). */
export interface ToyParams {
  a: number;
  b: number;
  w: number;
  c: number;
}
export type GeneratorLoss = 'saturating' | 'non-saturating';
/** One iteration of Algorithm 1: k discriminator minibatches { x, z } (each of m), then m noise samples for the generator. */
export interface ToyIteration {
  discriminator: { x: Vector; z: Vector }[];
  generator: Vector;
}
/** The entropies of a joint table and the mutual information, in nats. */
export interface Information {
  HX: number;
  HY: number;
  HXgivenY: number;
  HYgivenX: number;
  I: number;
}

// ---------------------------------------------------------------------------------------------
// validation and small helpers

/** p·log(p/q) with 0·log(0/q) = 0 and +∞ for q = 0 < p. */
const klTerm = (p: number, q: number): number => (p === 0 ? 0 : q === 0 ? Infinity : p * Math.log(p / q));
/** −p·log p with 0·log 0 = 0. */
const entropyTerm = (p: number): number => (p === 0 ? 0 : -p * Math.log(p));

function assertProbabilities(fn: string, arg: string, p: unknown, length?: number): asserts p is Vector {
  assertVector(fn, arg, p, length);
  p.forEach((v, i) => assertInRange(fn, `${arg}[${i}]`, v, 0, 1));
}

/** A probability vector: entries in [0, 1] that sum to 1 (to 1e−9). */
function assertDistribution(fn: string, arg: string, p: unknown, length?: number): asserts p is Vector {
  assertProbabilities(fn, arg, p, length);
  const total = p.reduce((s, v) => s + v, 0);
  if (Math.abs(total - 1) > 1e-9) throw new ArgumentError(fn, arg, `must sum to 1 (a distribution); got sum ${total}`);
}

function assertPair(fn: string, pArg: string, p: unknown, qArg: string, q: unknown): asserts p is Vector {
  assertDistribution(fn, pArg, p);
  assertDistribution(fn, qArg, q, p.length);
}

function assertToy(fn: string, params: unknown): asserts params is ToyParams {
  if (params === null || typeof params !== 'object') throw new ArgumentError(fn, 'params', `must be { a, b, w, c }; got ${String(params)}`);
  for (const k of ['a', 'b', 'w', 'c'] as const) assertNumber(fn, `params.${k}`, (params as Record<string, unknown>)[k]);
}

function assertLoss(fn: string, loss: unknown): asserts loss is GeneratorLoss {
  if (loss !== 'saturating' && loss !== 'non-saturating') throw new ArgumentError(fn, 'loss', `must be 'saturating' or 'non-saturating'; got ${String(loss)}`);
}

const ACTIVATIONS = ['linear', 'sigmoid', 'tanh', 'relu', 'leakyRelu', 'elu', 'softplus'];

/** Layers { W, b, activation } whose widths chain (family C's Layer; softmax has no place in a GAN's nets here). */
function assertNet(fn: string, arg: string, net: unknown): asserts net is Network {
  if (!Array.isArray(net) || net.length === 0) throw new ArgumentError(fn, arg, 'must be a non-empty array of layers { W, b, activation }');
  net.forEach((layer: unknown, l) => {
    if (layer === null || typeof layer !== 'object') throw new ArgumentError(fn, `${arg}[${l}]`, 'must be a layer { W, b, activation }');
    const { W, b, activation } = layer as Network[number];
    assertMatrix(fn, `${arg}[${l}].W`, W, undefined, l > 0 ? (net[l - 1] as Network[number]).W.length : undefined);
    assertVector(fn, `${arg}[${l}].b`, b, W.length);
    if (!ACTIVATIONS.includes(activation)) throw new ArgumentError(fn, `${arg}[${l}].activation`, `must be one of ${ACTIVATIONS.join(', ')}; got ${String(activation)}`);
  });
}

/** D and G are networks, G's output width is D's input width, and D ends in one sigmoid unit. */
function assertNets(fn: string, D: unknown, G: unknown): asserts D is Network {
  assertNet(fn, 'D', D);
  assertNet(fn, 'G', G as Network);
  const out = D[D.length - 1];
  if (out.activation !== 'sigmoid' || out.W.length !== 1) throw new ArgumentError(fn, 'D', 'must end in one sigmoid unit (D(x) is a probability)');
  const g = G as Network;
  if (D[0].W[0].length !== g[g.length - 1].W.length) throw new ArgumentError(fn, 'G', `must output D's input width ${D[0].W[0].length}; got ${g[g.length - 1].W.length}`);
}

// ---------------------------------------------------------------------------------------------
// P1 — the value function and its minibatch estimate

/**
 * P1 — the minibatch estimate of V(D, G) = E_x[log D(x)] + E_z[log(1 − D(G(z)))]:
 * (1/m) Σ_{i=1}^m [log D(x^(i)) + log(1 − D(G(z^(i))))] ([Overview] Algorithm 1, the quantity
 * whose gradient the discriminator ascends). dReal = D(x^(i)), dFake = D(G(z^(i))), each in
 * [0, 1]; log 0 = −∞ is returned as −Infinity.
 */
export function minibatchValue(dReal: Vector, dFake: Vector): number {
  assertProbabilities('minibatchValue', 'dReal', dReal);
  assertProbabilities('minibatchValue', 'dFake', dFake, dReal.length);
  const m = dReal.length;
  let sum = 0;
  for (let i = 0; i < m; i++) sum += Math.log(dReal[i]) + Math.log(1 - dFake[i]);
  return sum / m;
}

// ---------------------------------------------------------------------------------------------
// P2, P3 — gradients on the 1-D toy

/**
 * P2 — the discriminator's ascent gradient on the toy, s = w·x + c, D = σ(s):
 * ∇_{w,c} (1/m) Σ [log σ(w x_i + c) + log(1 − σ(w G(z_i) + c))], with
 * ∂/∂s log σ(s) = 1 − σ(s) and ∂/∂s log(1 − σ(s)) = −σ(s):
 * dw = (1/m) Σ [(1 − D(x_i)) x_i − D(G(z_i)) G(z_i)], dc = (1/m) Σ [(1 − D(x_i)) − D(G(z_i))].
 */
export function toyDiscriminatorGradient(params: ToyParams, x: Vector, z: Vector): { dw: number; dc: number } {
  const fn = 'toyDiscriminatorGradient';
  assertToy(fn, params);
  assertVector(fn, 'x', x);
  assertVector(fn, 'z', z, x.length);
  const { a, b, w, c } = params;
  let dw = 0;
  let dc = 0;
  for (let i = 0; i < x.length; i++) {
    const real = 1 - sigmoid(w * x[i] + c);
    const g = a * z[i] + b;
    const fake = sigmoid(w * g + c);
    dw += real * x[i] - fake * g;
    dc += real - fake;
  }
  return { dw: dw / x.length, dc: dc / x.length };
}

/**
 * P2, P3 — the generator's descent gradient on the toy, s_i = w(a z_i + b) + c:
 * 'saturating' ∇_{a,b} (1/m) Σ log(1 − σ(s_i)) = (1/m) Σ −σ(s_i)·w·(z_i, 1);
 * 'non-saturating' ∇_{a,b} (1/m) Σ −log σ(s_i) = (1/m) Σ −(1 − σ(s_i))·w·(z_i, 1).
 * Their ratio per sample is (1 − D)/D: when D(G(z)) → 0 (early training, D confident) the
 * saturating gradient vanishes with D while the non-saturating one tends to −w·(z, 1)
 * ([Overview] "In the early phase D is confident and gradient is small. Instead we can max D(G(z))").
 */
export function toyGeneratorGradient(params: ToyParams, z: Vector, loss: GeneratorLoss = 'saturating'): { da: number; db: number } {
  const fn = 'toyGeneratorGradient';
  assertToy(fn, params);
  assertVector(fn, 'z', z);
  assertLoss(fn, loss);
  const { a, b, w, c } = params;
  let da = 0;
  let db = 0;
  for (const zi of z) {
    const D = sigmoid(w * (a * zi + b) + c);
    const ds = loss === 'saturating' ? -D : -(1 - D); // ∂/∂s of log(1 − σ(s)), of −log σ(s)
    da += ds * w * zi;
    db += ds * w;
  }
  return { da: da / z.length, db: db / z.length };
}

/** P3 — the non-saturating generator loss −(1/m) Σ log D(G(z^(i))), minimised by G instead of (1/m) Σ log(1 − D(G(z^(i)))); log 0 = −∞ gives +Infinity. */
export function nonSaturatingLoss(dFake: Vector): number {
  assertProbabilities('nonSaturatingLoss', 'dFake', dFake);
  return -dFake.reduce((s, d) => s + Math.log(d), 0) / dFake.length;
}

// ---------------------------------------------------------------------------------------------
// P2, P3 — gradients through small MLPs (family C)

/** ∂/∂θ of gᵀ net(input) for one example: family C's C4/C5 with the upstream gradient g at the output. */
function backwardFrom(net: Network, cache: { a: Vector[]; z: Vector[] }, g: Vector): Gradients {
  const L = net.length;
  const identity = g.map((_, i) => g.map((__, j) => (i === j ? 1 : 0)));
  let delta = hiddenDelta(cache.a[L - 1], identity, g, net[L - 1].activation, net[L - 1].alpha); // h′(a) ⊙ g
  const grads: Gradients = new Array(L);
  for (let l = L - 1; l >= 0; l--) {
    grads[l] = layerGradients(delta, cache.z[l]);
    if (l > 0) delta = hiddenDelta(cache.a[l - 1], net[l].W, delta, net[l - 1].activation, net[l - 1].alpha);
  }
  return grads;
}

const zerosLike = (net: Network): Gradients => net.map((l) => ({ dW: l.W.map((r) => r.map(() => 0)), db: l.b.map(() => 0) }));
function addScaled(acc: Gradients, g: Gradients, s: number): void {
  acc.forEach((layer, l) => {
    layer.dW.forEach((row, j) => row.forEach((_, i) => (row[i] += s * g[l].dW[j][i])));
    layer.db.forEach((_, j) => (layer.db[j] += s * g[l].db[j]));
  });
}

/**
 * P2 — the discriminator's ascent gradient through an MLP D (θ_d = its W, b):
 * ∇_θd (1/m) Σ_i [log D(x^(i)) + log(1 − D(G(z^(i))))]. With D's sigmoid output, log D(x) is
 * −E_n(t = 1) and log(1 − D) is −E_n(t = 0) of family C's 'bce' loss, whose output delta is
 * σ(a) − t (C3): the gradient is −(1/m) Σ_i [backward(D, x^(i), 1) + backward(D, G(z^(i)), 0)].
 * X holds the real samples [m × d], Z the noise [m × n]; G maps n → d.
 */
export function mlpDiscriminatorGradient(D: Network, G: Network, X: Matrix, Z: Matrix): Gradients {
  const fn = 'mlpDiscriminatorGradient';
  assertNets(fn, D, G);
  assertMatrix(fn, 'X', X, undefined, D[0].W[0].length);
  assertMatrix(fn, 'Z', Z, X.length, G[0].W[0].length);
  const total = zerosLike(D);
  const m = X.length;
  for (let i = 0; i < m; i++) {
    addScaled(total, backward(D, forward(D, X[i]).cache, [1], 'bce'), -1 / m);
    const fake = forward(G, Z[i]).out;
    addScaled(total, backward(D, forward(D, fake).cache, [0], 'bce'), -1 / m);
  }
  return total;
}

/**
 * P2, P3 — the generator's descent gradient through MLPs G and D (θ_g = G's W, b; D fixed):
 * 'saturating' ∇_θg (1/m) Σ log(1 − D(G(z^(i)))), 'non-saturating' ∇_θg (1/m) Σ −log D(G(z^(i))).
 * Chain rule: with s the output logit of D at x = G(z), ∂/∂s is −σ(s) (saturating) or
 * −(1 − σ(s)) (non-saturating); family C's backward through D with the bce delta σ(s) − t
 * (t = 0 gives σ(s), t = 1 gives σ(s) − 1) carries it to ∂/∂x = W_D^(1)ᵀ δ_D^(1), and the
 * backward pass through G (C4, C5) carries that to θ_g.
 */
export function mlpGeneratorGradient(D: Network, G: Network, Z: Matrix, loss: GeneratorLoss = 'saturating'): Gradients {
  const fn = 'mlpGeneratorGradient';
  assertNets(fn, D, G);
  assertMatrix(fn, 'Z', Z, undefined, G[0].W[0].length);
  assertLoss(fn, loss);
  const total = zerosLike(G);
  const m = Z.length;
  for (let i = 0; i < m; i++) {
    const g = forward(G, Z[i]);
    const d = forward(D, g.out);
    // −log(1 − D) is E_n(t = 0) and −log D is E_n(t = 1): the saturating objective is −E_n(0), the non-saturating +E_n(1)
    const dD = backward(D, d.cache, [loss === 'saturating' ? 0 : 1], 'bce');
    const sign = loss === 'saturating' ? -1 : 1;
    const dx = hiddenDelta(d.cache.z[0], D[0].W, dD[0].db, 'linear').map((v) => sign * v); // ∂objective/∂G(z)
    addScaled(total, backwardFrom(G, g.cache, dx), 1 / m);
  }
  return total;
}

// ---------------------------------------------------------------------------------------------
// P4, P5, P6 — discrete distributions

/**
 * P4 — the optimal discriminator for a fixed G, D*_G(x) = p_data(x)/(p_data(x) + p_g(x))
 * ([Jung] "Proposition 1"): it maximises V(G, D) = Σ_x p_data(x) log D(x) + p_g(x) log(1 − D(x))
 * pointwise (y ↦ α log y + β log(1 − y) peaks at α/(α + β)). Where p_data = p_g = 0, ½.
 */
export function optimalDiscriminator(pData: Vector, pG: Vector): Vector {
  assertPair('optimalDiscriminator', 'pData', pData, 'pG', pG);
  return pData.map((p, k) => (p + pG[k] === 0 ? 0.5 : p / (p + pG[k])));
}

/**
 * P6 — KL(p‖q) = Σ_k p_k log(p_k/q_k), natural log; 0·log(0/q) = 0; +∞ when some q_k = 0 < p_k.
 * KL ≥ 0 with equality iff p = q (Gibbs), and it is not symmetric.
 */
export function klDivergence(p: Vector, q: Vector): number {
  assertPair('klDivergence', 'p', p, 'q', q);
  return p.reduce((s, pk, k) => s + klTerm(pk, q[k]), 0);
}

/** P6 — JSD(p‖q) = ½ KL(p‖M) + ½ KL(q‖M), M = (p + q)/2; symmetric, in [0, ln 2] (natural log), 0 iff p = q. */
export function jsDivergence(p: Vector, q: Vector): number {
  assertPair('jsDivergence', 'p', p, 'q', q);
  const M = p.map((pk, k) => (pk + q[k]) / 2);
  return 0.5 * p.reduce((s, pk, k) => s + klTerm(pk, M[k]), 0) + 0.5 * q.reduce((s, qk, k) => s + klTerm(qk, M[k]), 0);
}

/**
 * P5 — the virtual training criterion C(G) = max_D V(G, D) = V(G, D*_G)
 * = −log 4 + KL(p_data‖M) + KL(p_g‖M) = −log 4 + 2·JSD(p_data‖p_g), M = (p_data + p_g)/2
 * ([Overview] "C(G) = −log(4) + KL(…) + KL(…)"; [Jung] "Theorem 1": its minimum −log 4 is reached
 * iff p_g = p_data, where D* = ½).
 */
export function virtualTrainingCriterion(pData: Vector, pG: Vector): number {
  assertPair('virtualTrainingCriterion', 'pData', pData, 'pG', pG);
  const M = pData.map((p, k) => (p + pG[k]) / 2);
  const kl = (p: Vector) => p.reduce((s, pk, k) => s + klTerm(pk, M[k]), 0);
  return -Math.log(4) + kl(pData) + kl(pG);
}

// ---------------------------------------------------------------------------------------------
// P7 — Algorithm 1 on the toy

/**
 * P7 — Algorithm 1 ([Jung], [Overview]: "Minibatch stochastic gradient descent training of
 * generative adversarial nets") on the toy, one entry of `iterations` per training iteration:
 * for each of its k discriminator minibatches { x, z }, ascend (w, c) ← (w, c) + η ∇_{w,c} (P2);
 * then descend (a, b) ← (a, b) − η ∇_{a,b} on its generator noise (P2 saturating, or P3). Each
 * step uses the parameters the previous step left. The samples are data: draw them with
 * random.ts (x ~ p_data, z ~ p_z) to reproduce a seeded run. Returns the parameters after every
 * iteration, [θ_1, …, θ_T].
 */
export function trainToyGan(params: ToyParams, iterations: ToyIteration[], eta: number, loss: GeneratorLoss = 'saturating'): ToyParams[] {
  const fn = 'trainToyGan';
  assertToy(fn, params);
  if (!Array.isArray(iterations) || iterations.length === 0) throw new ArgumentError(fn, 'iterations', 'must be a non-empty array of { discriminator: { x, z }[], generator }');
  assertNumber(fn, 'eta', eta);
  if (!(eta > 0)) throw new ArgumentError(fn, 'eta', `must be > 0; got ${eta}`);
  assertLoss(fn, loss);
  let theta = { a: params.a, b: params.b, w: params.w, c: params.c };
  const trajectory: ToyParams[] = [];
  iterations.forEach((it, t) => {
    if (it === null || typeof it !== 'object' || !Array.isArray(it.discriminator) || it.discriminator.length === 0) {
      throw new ArgumentError(fn, `iterations[${t}].discriminator`, 'must be a non-empty array of k minibatches { x, z }');
    }
    for (const batch of it.discriminator) {
      const { dw, dc } = toyDiscriminatorGradient(theta, batch.x, batch.z);
      theta = { ...theta, w: theta.w + eta * dw, c: theta.c + eta * dc }; // ascend
    }
    const { da, db } = toyGeneratorGradient(theta, it.generator, loss);
    theta = { ...theta, a: theta.a - eta * da, b: theta.b - eta * db }; // descend
    trajectory.push(theta);
  });
  return trajectory;
}

// ---------------------------------------------------------------------------------------------
// P8 — InfoGAN

/**
 * P8 — the entropies of a discrete joint P(X, Y) (rows x, columns y) and the mutual information
 * I(X;Y) = H(X) − H(X|Y) = H(Y) − H(Y|X) ([Jung] "Variants of GANs — InfoGAN"), in nats:
 * H(X) = −Σ_x P(x) log P(x), H(X|Y) = −Σ_{x,y} P(x, y) log P(x|y) = H(X, Y) − H(Y), and
 * I = Σ_{x,y} P(x, y) log(P(x, y)/(P(x)P(y))) ≥ 0, with 0·log 0 = 0.
 */
export function mutualInformation(joint: Matrix): Information {
  const fn = 'mutualInformation';
  assertMatrix(fn, 'joint', joint);
  joint.forEach((row, i) => row.forEach((v, j) => assertInRange(fn, `joint[${i}][${j}]`, v, 0, 1)));
  const total = joint.flat().reduce((s, v) => s + v, 0);
  if (Math.abs(total - 1) > 1e-9) throw new ArgumentError(fn, 'joint', `must sum to 1 (a joint distribution); got sum ${total}`);
  const pX = joint.map((row) => row.reduce((s, v) => s + v, 0));
  const pY = joint[0].map((_, j) => joint.reduce((s, row) => s + row[j], 0));
  const HX = pX.reduce((s, p) => s + entropyTerm(p), 0);
  const HY = pY.reduce((s, p) => s + entropyTerm(p), 0);
  const HXY = joint.flat().reduce((s, p) => s + entropyTerm(p), 0);
  const I = joint.reduce((s, row, i) => s + row.reduce((r, p, j) => r + klTerm(p, pX[i] * pY[j]), 0), 0);
  return { HX, HY, HXgivenY: HXY - HY, HYgivenX: HXY - HX, I };
}

/**
 * P8 — InfoGAN's objective V_I(D, G) = V(D, G) − λ I(c; G(z, c)) ([Jung] "Variants of GANs —
 * InfoGAN"), with V the minibatch estimate of P1 and I the mutual information of the joint table
 * of the latent code c and what the generated samples reveal of it (rows c).
 */
export function infoGanValue(dReal: Vector, dFake: Vector, joint: Matrix, lambda: number): number {
  assertProbabilities('infoGanValue', 'dReal', dReal);
  assertProbabilities('infoGanValue', 'dFake', dFake, dReal.length);
  assertNumber('infoGanValue', 'lambda', lambda);
  if (lambda < 0) throw new ArgumentError('infoGanValue', 'lambda', `must be ≥ 0; got ${lambda}`);
  return minibatchValue(dReal, dFake) - lambda * mutualInformation(joint).I;
}
