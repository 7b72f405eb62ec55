/**
 * P. Generative adversarial networks — catalogue family P (P1–P8). Implement each function below.
 *
 * symbol        id             shape            meaning
 * D(x)          dReal          [m]              the discriminator's outputs on m real samples x^(i)
 * D(G(z))       dFake          [m]              its outputs on m generated samples G(z^(i))
 * a, b          params.a, .b   numbers          the toy generator G(z) = a·z + b
 * w, c          params.w, .c   numbers          the toy discriminator D(x) = σ(w·x + c), σ(s) = 1/(1 + e^−s)
 * D, G          D, G           Layer[]          small MLPs, described below
 * X, Z          X, Z           [m × d], [m × n] real samples and noise, one row per example
 * p_data, p_g   pData, pG      [K]              discrete distributions over the same K outcomes
 * P(X, Y)       joint          [|X| × |Y|]      a discrete joint distribution (rows: X, columns: Y)
 *
 * The small networks (self-contained: write their forward and backward passes here): a network is
 * an array of layers { W, b, activation }, layer l maps its input z (z = x for the first layer) to
 * a = W z + b (W is [out × in], row j holds the weights into unit j) and then to h(a), with h one
 * of 'linear' (h(a) = a), 'sigmoid' (σ(a)), 'tanh' or 'relu' (max(0, a), derivative 0 at a = 0);
 * the next layer takes h(a). G maps noise (n numbers) to a sample (d numbers); D maps a sample to
 * one number, and its last layer is a single 'sigmoid' unit, so D(x) = σ(s) with s its logit.
 * Gradients of a network are returned as one { dW, db } per layer, in the network's order, with
 * the shapes of W and b.
 *
 * Conventions the grader holds you to:
 * - every function returns new values and leaves its arguments unchanged: a call that writes into
 *   one fails its check (even when it puts the value back by arithmetic: x + h − h is not always x);
 * - log is the natural logarithm (the notes' −log 4 = −1.386…), so JSD lies in [0, log 2];
 * - zero probabilities: 0·log 0 = 0 and 0·log(0/q) = 0; KL(p‖q) = +Infinity when some q_k = 0 < p_k;
 * - a minibatch estimate divides its sum by m; dReal and dFake have the same length m;
 * - the discriminator ASCENDS the gradient of (1/m) Σ [log D(x^(i)) + log(1 − D(G(z^(i))))];
 *   return that gradient (not its negative);
 * - the generator DESCENDS the gradient of (1/m) Σ log(1 − D(G(z^(i)))) (loss 'saturating', the
 *   default) or of (1/m) Σ −log D(G(z^(i))) (loss 'non-saturating'); return that gradient;
 * - in Algorithm 1 every step is a plain gradient step with learning rate eta and uses the
 *   parameters the previous step left;
 * - validate inputs where it helps you; the grader only passes valid ones (distributions sum to 1).
 * Check your gradients with gradcheck.ts (S1–S4) before you submit.
 */
import { NotImplemented } from './not-implemented.ts';
import type { Matrix, Vector } from './tensor.ts';

/** The 1-D toy of Algorithm 1: G(z) = a·z + b, D(x) = σ(w·x + c). */
export interface ToyParams {
  a: number;
  b: number;
  w: number;
  c: number;
}
export type GeneratorLoss = 'saturating' | 'non-saturating';
/** One layer of a small network: a = W z + b, then h(a). */
export interface Layer {
  W: Matrix;
  b: Vector;
  activation: 'linear' | 'sigmoid' | 'tanh' | 'relu';
}
export type Network = Layer[];
/** One { dW, db } per layer, in the network's order. */
export type Gradients = { dW: Matrix; db: Vector }[];
/** One iteration of Algorithm 1: k discriminator minibatches { x, z } (each of m samples), then m noise samples for the generator. */
export interface ToyIteration {
  discriminator: { x: Vector; z: Vector }[];
  generator: Vector;
}
/** Entropies of a joint table and the mutual information, in nats. */
export interface Information {
  HX: number;
  HY: number;
  HXgivenY: number;
  HYgivenX: number;
  I: number;
}

/** P1 — the minibatch value (1/m) Σ_i [log D(x^(i)) + log(1 − D(G(z^(i))))], from dReal = D(x^(i)) and dFake = D(G(z^(i))). */
export function minibatchValue(dReal: Vector, dFake: Vector): number {
  throw new NotImplemented('P1 minibatchValue');
}

/**
 * P2 — on the toy: the gradient { dw, dc } of (1/m) Σ [log σ(w x_i + c) + log(1 − σ(w G(z_i) + c))]
 * with respect to w and c (the discriminator's ascent direction), G(z) = a z + b.
 */
export function toyDiscriminatorGradient(params: ToyParams, x: Vector, z: Vector): { dw: number; dc: number } {
  throw new NotImplemented('P2 toyDiscriminatorGradient');
}

/**
 * P2, P3 — on the toy: the gradient { da, db } with respect to a and b of (1/m) Σ log(1 − σ(w(a z_i + b) + c))
 * ('saturating') or of (1/m) Σ −log σ(w(a z_i + b) + c) ('non-saturating').
 */
export function toyGeneratorGradient(params: ToyParams, z: Vector, loss: GeneratorLoss = 'saturating'): { da: number; db: number } {
  throw new NotImplemented('P2 toyGeneratorGradient');
}

/** P3 — the non-saturating generator loss −(1/m) Σ_i log D(G(z^(i))), from dFake = D(G(z^(i))). */
export function nonSaturatingLoss(dFake: Vector): number {
  throw new NotImplemented('P3 nonSaturatingLoss');
}

/**
 * P2 — through the MLPs: the gradient with respect to D's W and b of
 * (1/m) Σ_i [log D(X[i]) + log(1 − D(G(Z[i])))], one { dW, db } per layer of D (G is fixed).
 */
export function mlpDiscriminatorGradient(D: Network, G: Network, X: Matrix, Z: Matrix): Gradients {
  throw new NotImplemented('P2 mlpDiscriminatorGradient');
}

/**
 * P2, P3 — through the MLPs: the gradient with respect to G's W and b of (1/m) Σ_i log(1 − D(G(Z[i])))
 * ('saturating') or of (1/m) Σ_i −log D(G(Z[i])) ('non-saturating'), one { dW, db } per layer of G (D is fixed).
 */
export function mlpGeneratorGradient(D: Network, G: Network, Z: Matrix, loss: GeneratorLoss = 'saturating'): Gradients {
  throw new NotImplemented('P2 mlpGeneratorGradient');
}

/** P4 — the optimal discriminator D*(x) = p_data(x)/(p_data(x) + p_g(x)) for each outcome; ½ where p_data = p_g = 0. */
export function optimalDiscriminator(pData: Vector, pG: Vector): Vector {
  throw new NotImplemented('P4 optimalDiscriminator');
}

/** P5 — the virtual training criterion C(G) = −log 4 + KL(p_data‖M) + KL(p_g‖M) = −log 4 + 2·JSD(p_data‖p_g), M = (p_data + p_g)/2. */
export function virtualTrainingCriterion(pData: Vector, pG: Vector): number {
  throw new NotImplemented('P5 virtualTrainingCriterion');
}

/** P6 — KL(p‖q) = Σ_k p_k log(p_k/q_k). */
export function klDivergence(p: Vector, q: Vector): number {
  throw new NotImplemented('P6 klDivergence');
}

/** P6 — JSD(p‖q) = ½ KL(p‖M) + ½ KL(q‖M), M = (p + q)/2. */
export function jsDivergence(p: Vector, q: Vector): number {
  throw new NotImplemented('P6 jsDivergence');
}

/**
 * P7 — Algorithm 1 on the toy, one entry of iterations per training iteration: for each of its k
 * discriminator minibatches { x, z } in order, (w, c) ← (w, c) + eta·∇_{w,c} (toyDiscriminatorGradient);
 * then (a, b) ← (a, b) − eta·∇_{a,b} on its generator noise (toyGeneratorGradient with loss).
 * Return the parameters { a, b, w, c } after every iteration: [θ_1, …, θ_T].
 */
export function trainToyGan(params: ToyParams, iterations: ToyIteration[], eta: number, loss: GeneratorLoss = 'saturating'): ToyParams[] {
  throw new NotImplemented('P7 trainToyGan');
}

/**
 * P8 — for a joint table P(X, Y): H(X), H(Y), H(X|Y) = −Σ P(x, y) log P(x|y), H(Y|X), and
 * I(X;Y) = H(X) − H(X|Y) = H(Y) − H(Y|X) = Σ P(x, y) log(P(x, y)/(P(x)P(y))).
 */
export function mutualInformation(joint: Matrix): Information {
  throw new NotImplemented('P8 mutualInformation');
}

/** P8 — InfoGAN's V_I = V − λ·I: the minibatch value of P1 minus lambda times I(X;Y) of the joint table. */
export function infoGanValue(dReal: Vector, dFake: Vector, joint: Matrix, lambda: number): number {
  throw new NotImplemented('P8 infoGanValue');
}
