/**
 * Family C (backpropagation): the reference against TensorFlow.js (the same network built from
 * tf ops with the same float32 weights, its gradients from tf.grads), against numerical
 * derivatives (reference gradcheck: full and directional), against the decks' nets worked by hand
 * (fixtures, erratum 2 included), against the general network for the decks' special layouts
 * (EBU7240 nets, the numpy loop), properties of the catalogue, the graders' arbitraries, and
 * input validation.
 *
 * Mapping onto tfjs (rows = examples, as in the [Training] deck): A = tf.matMul(Z, W, false, true)
 * + b with W [out, in] as in the reference; activations tf.sigmoid/tanh/relu/softplus/softmax,
 * tf.leakyRelu(a, α), tf.elu for α = 1 (tf.elu has no α: other α written out with tf.where);
 * losses: sse = ½·Σ(y − t)², l2 = Σ(t − y)² from tf.square; bce = tf.losses.sigmoidCrossEntropy(
 * T, A_L, undefined, 0, SUM) on the logits; ce = tf.losses.softmaxCrossEntropy(T, A_L, undefined,
 * 0, SUM). Reduction.SUM because E = Σ_n E_n (C9); the batch cost J = E/m (C6) divides by m.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as F from '../fixtures/backprop.fixtures.ts';
import { MISTAKE } from '../fixtures/backprop.fixtures.ts';
import { apart, HEADS, KINKED, network, problem, SMOOTH, spread, target, type Problem } from '../graders/backprop.grader.ts';
import { transposed } from '../graders/engine/diagnose.ts';
import * as C from '../reference/backprop.ts';
import type { Gradients, Layer, LossName, Network } from '../reference/backprop.ts';
import { directionalCheck, numericalGradient } from '../reference/gradcheck.ts';
import { createRandom, normalMatrix } from '../reference/random.ts';
import { expectAllClose } from './support/expect.ts';
import { f32, oracle, run, tf } from './support/tf.ts';
import { FIXTURE_FLOAT64, NUMERIC_REL_ERROR, TF_COMPOSITE } from './support/tolerances.ts';

const backend = await oracle();

const netOf = (p: Problem) => p.net as Network;
const flat = (net: Network) => net.flatMap((l) => [...l.W.flat(), ...l.b]);
function unflat(net: Network, w: number[]): Network {
  let k = 0;
  return net.map((l) => ({ ...l, W: l.W.map((row) => row.map(() => w[k++])), b: l.b.map(() => w[k++]) }));
}
const flatGrads = (g: Gradients) => g.flatMap(({ dW, db }) => [...dW.flat(), ...db]);
const norm = (v: number[]) => Math.sqrt(v.reduce((s, x) => s + x * x, 0));
/**
 * ‖a − b‖ / max(‖a‖, ‖b‖). An entrywise relative error (S2) is meaningless for the entries of a
 * network gradient that are ~0 by cancellation (the central difference leaves ~1e−11 absolute
 * there); the norm-wise error is the fraction of the gradient that is wrong. Measured ≤ 6e−9 over
 * 300 smooth 2-3-3-2 nets; a wrong sign, factor or transpose is O(1).
 */
const normRelError = (a: number[], b: number[]) => {
  const scale = Math.max(norm(a), norm(b));
  return scale === 0 ? 0 : norm(a.map((v, i) => v - b[i])) / scale;
};
const f32Net = (net: Network): Network => net.map((l) => ({ ...l, W: f32(l.W), b: f32(l.b), ...(l.alpha === undefined ? {} : { alpha: Math.fround(l.alpha) }) }));
const T2 = (M: number[][]) => transposed(M);
const kinked = (l: Layer) => l.activation === 'relu' || l.activation === 'leakyRelu' || (l.activation === 'elu' && l.alpha !== 1);
/** every pre-activation of a kinked layer at least 1e−3 from 0 (float32 rounding or a step h must not cross the kink) */
const offKinks = (net: Network, X: number[][]) => {
  const { a } = C.batchForward(net, X).cache;
  return net.every((l, i) => !kinked(l) || a[i].flat().every((v) => Math.abs(v) >= 1e-3));
};

const anyNets = problem(network({ depth: [1, 3], width: [1, 4], hidden: [...SMOOTH, ...KINKED] }), [1, 4]);
const smoothNets = problem(network({ depth: [1, 3], width: [1, 3] }), [1, 3]);

// ---------------------------------------------------------------------------------------------

function tfAct(l: Layer, a: tf.Tensor): tf.Tensor {
  switch (l.activation) {
    case 'linear': return a;
    case 'sigmoid': return tf.sigmoid(a);
    case 'tanh': return tf.tanh(a);
    case 'relu': return tf.relu(a);
    case 'leakyRelu': return tf.leakyRelu(a, l.alpha);
    case 'elu': return l.alpha === 1 ? tf.elu(a) : tf.where(tf.greaterEqual(a, 0), a, tf.mul(l.alpha ?? 1, tf.sub(tf.exp(a), 1)));
    case 'softplus': return tf.softplus(a);
    case 'softmax': return tf.softmax(a);
  }
}
/** The network as tf ops on parameters [W0, b0, W1, b1, …]: the pre-activations and the output. */
function tfForward(net: Network, params: tf.Tensor[], X: tf.Tensor): { A: tf.Tensor[]; Y: tf.Tensor } {
  const A: tf.Tensor[] = [];
  let Z = X;
  net.forEach((l, i) => {
    A.push(tf.add(tf.matMul(Z, params[2 * i] as tf.Tensor2D, false, true), params[2 * i + 1]));
    Z = tfAct(l, A[i]);
  });
  return { A, Y: Z };
}
/** E = Σ_n E_n in tf ops. */
function tfError(net: Network, loss: LossName, params: tf.Tensor[], X: tf.Tensor, T: tf.Tensor): tf.Scalar {
  const { A, Y } = tfForward(net, params, X);
  const AL = A[A.length - 1];
  switch (loss) {
    case 'sse': return tf.sum(tf.square(tf.sub(Y, T))).mul(0.5);
    case 'l2': return tf.sum(tf.square(tf.sub(T, Y)));
    case 'bce': return tf.losses.sigmoidCrossEntropy(T, AL, undefined, 0, tf.Reduction.SUM) as tf.Scalar;
    case 'ce': return tf.losses.softmaxCrossEntropy(T, AL, undefined, 0, tf.Reduction.SUM) as tf.Scalar;
  }
}
const paramTensors = (net: Network) => net.flatMap((l) => [tf.tensor2d(l.W), tf.tensor1d(l.b)]);
/** tf.grads of E (divided by `scale`) with respect to every W and b, as { dW, db } per layer */
function tfGradients(net: Network, loss: LossName, X: number[][], T: number[][], scale = 1): Gradients {
  const g = run(() => tf.grads((...p: tf.Tensor[]) => tfError(net, loss, p, tf.tensor2d(X), tf.tensor2d(T)).div(scale))(paramTensors(net))) as (number[][] | number[])[];
  return net.map((_, i) => ({ dW: g[2 * i] as number[][], db: g[2 * i + 1] as number[] }));
}

describe(`backprop vs TensorFlow.js [${backend.label}]`, () => {
  it('C1/C2/C6: networkFunction, forward and batchForward = the tf ops network (out and pre-activations), every activation', () =>
    fc.assert(fc.property(anyNets, (p) => {
      const [net, X] = [f32Net(netOf(p)), f32(p.X)];
      const tfOut = run(() => { const { A, Y } = tfForward(net, paramTensors(net), tf.tensor2d(X)); return [Y, ...A]; }) as number[][][];
      const ref = C.batchForward(net, X);
      expectAllClose(ref.out, tfOut[0], TF_COMPOSITE, 'batchForward out');
      expectAllClose(ref.cache.a, tfOut.slice(1), TF_COMPOSITE, 'batchForward cache.a');
      expectAllClose(C.networkFunction(net, X[0]), tfOut[0][0], TF_COMPOSITE, 'networkFunction');
      expectAllClose(C.forward(net, X[0]).cache.a, tfOut.slice(1).map((A) => A[0]), TF_COMPOSITE, 'forward cache.a');
    }), { numRuns: 40 }));

  it('C3–C5: backward on one example = tf.grads of E_n with respect to every W and b (every pair, kinked units off their kinks)', () =>
    fc.assert(fc.property(anyNets, (p) => {
      const [net, x, t] = [f32Net(netOf(p)), f32(p.X[0]), f32(p.T[0])];
      fc.pre(offKinks(net, [x]));
      expectAllClose(C.backward(net, C.forward(net, x).cache, t, p.loss), tfGradients(net, p.loss, [x], [t]), TF_COMPOSITE, `backward (${net.map((l) => l.activation).join(' → ')}, ${p.loss})`);
    }), { numRuns: 40 }));

  it('C6: batchBackward = tf.grads of J = E/m (rows = examples), and errorFunction, batchCost = tf E, E/m', () =>
    fc.assert(fc.property(anyNets, (p) => {
      const [net, X, T] = [f32Net(netOf(p)), f32(p.X), f32(p.T)];
      fc.pre(offKinks(net, X));
      const m = X.length;
      expectAllClose(C.batchBackward(net, C.batchForward(net, X).cache, T, p.loss), tfGradients(net, p.loss, X, T, m), TF_COMPOSITE, 'batchBackward');
      const E = run(() => tfError(net, p.loss, paramTensors(net), tf.tensor2d(X), tf.tensor2d(T))) as number;
      expectAllClose(C.errorFunction(net, X, T, p.loss), E, TF_COMPOSITE, 'errorFunction');
      expectAllClose(C.batchCost(net, X, T, p.loss), E / m, TF_COMPOSITE, 'batchCost');
    }), { numRuns: 40 }));

  it("C7: the EBU7240 nets' loss, dW, db and dx = tf.grads of the same sigmoid/softmax stack (x included)", () =>
    fc.assert(fc.property(fc.integer({ min: 1, max: 2 }), fc.integer({ min: 2, max: 3 }), fc.boolean(), fc.integer({ min: 0, max: 2 }), (L, K, softmax, cls) => {
      const rnd = createRandom(L * 100 + K * 10 + cls + (softmax ? 5 : 0));
      const x = f32(normalMatrix(rnd, 1, 3, 0, 1)[0]);
      const widths = L === 1 ? [3, K] : [3, 2, K];
      const layers = widths.slice(1).map((out, l) => ({ W: f32(normalMatrix(rnd, out, widths[l], 0, 1)), b: f32(normalMatrix(rnd, 1, out, 0, 1)[0]) }));
      const z = f32(normalMatrix(rnd, 1, K, 0.5, 0.2)[0]);
      const y = cls % K;
      const L2 = (xs: tf.Tensor, ...p: tf.Tensor[]) => {
        let h = xs.reshape([1, 3]);
        layers.forEach((_, l) => {
          const s = tf.add(tf.matMul(h, p[2 * l] as tf.Tensor2D, false, true), p[2 * l + 1]);
          h = softmax && l === layers.length - 1 ? tf.softmax(s) : tf.sigmoid(s);
        });
        // −log p_y through a one-hot mask (gather's gradient needs UnsortedSegmentSum, which wasm lacks)
        return softmax ? tf.neg(tf.log(tf.sum(tf.mul(h, tf.tensor2d([Array.from({ length: K }, (_, k) => (k === y ? 1 : 0))]))))) : tf.sum(tf.square(tf.sub(tf.tensor2d([z]), h)));
      };
      const args = [tf.tensor1d(x), ...layers.flatMap((l) => [tf.tensor2d(l.W), tf.tensor1d(l.b)])];
      const g = run(() => tf.grads(L2)(args)) as (number[] | number[][])[];
      const value = run(() => L2(args[0], ...args.slice(1))) as number;
      const ref = softmax ? C.ebuSoftmaxNet(x, layers, y) : C.ebuL2Net(x, layers, z);
      expectAllClose(ref.loss, value, TF_COMPOSITE, 'loss');
      expectAllClose(ref.dx, g[0], TF_COMPOSITE, 'dx');
      expectAllClose(ref.dW, layers.map((_, l) => g[1 + 2 * l]), TF_COMPOSITE, 'dW');
      expectAllClose(ref.db, layers.map((_, l) => g[2 + 2 * l]), TF_COMPOSITE, 'db');
    }), { numRuns: 24 }));

  it("C8: the numpy loop's loss, grad_w1, grad_w2 = tf.grads of Σ(σ(x·w1)·w2 − y)² (the deck's [in, out] layout: tf.matMul(x, w1) without transposes)", () =>
    fc.assert(fc.property(fc.integer({ min: 1, max: 1000 }), (seed) => {
      const rnd = createRandom(seed);
      const [x, y, w1, w2] = [normalMatrix(rnd, 4, 3, 0, 1), normalMatrix(rnd, 4, 2, 0, 1), normalMatrix(rnd, 3, 5, 0, 0.5), normalMatrix(rnd, 5, 2, 0, 0.5)].map(f32);
      const loss = (a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.square(tf.sub(tf.matMul(tf.sigmoid(tf.matMul(tf.tensor2d(x), a as tf.Tensor2D)), b as tf.Tensor2D), tf.tensor2d(y))));
      const [g1, g2] = run(() => tf.grads(loss)([tf.tensor2d(w1), tf.tensor2d(w2)])) as number[][][];
      const r = C.numpyTrainingStep(x, y, w1, w2, 1e-4);
      expectAllClose(r.loss, run(() => loss(tf.tensor2d(w1), tf.tensor2d(w2))) as number, TF_COMPOSITE, 'loss');
      expectAllClose(r.gradW1, g1, TF_COMPOSITE, 'grad_w1');
      expectAllClose(r.gradW2, g2, TF_COMPOSITE, 'grad_w2');
    }), { numRuns: 20 }));
});

// ---------------------------------------------------------------------------------------------

describe('backprop vs numerical derivatives (float64 central differences, reference gradcheck)', () => {
  const below = (err: number) => expect(err).toBeLessThan(NUMERIC_REL_ERROR);
  /**
   * Each central difference rounds by ~ε|E|/h ≈ 2.2e−11|E| absolute, ≲ 1.4e−10|E| in norm over
   * ≤ 40 entries: a norm-wise relative bar of 1e−7 needs ‖g‖ ≳ 1.4e−3|E|. Saturated units can make
   * the true gradient that small; such inputs are skipped (‖g‖ ≥ 1e−2(1 + |E|) keeps rounding ≤ 1.4e−8).
   */
  const wellConditioned = (g: number[], E: number) => norm(g) >= 1e-2 * (1 + Math.abs(E));

  it('C3–C5: backward = numericalGradient of errorFunction on one example (norm-wise relative error)', () =>
    fc.assert(fc.property(problem(network({ depth: [1, 3], width: [1, 3], hidden: [...SMOOTH, ...KINKED] }), [1, 1]), (p) => {
      const net = netOf(p);
      fc.pre(offKinks(net, p.X));
      const g = flatGrads(C.backward(net, C.forward(net, p.X[0]).cache, p.T[0], p.loss));
      fc.pre(wellConditioned(g, C.errorFunction(net, p.X, p.T, p.loss)));
      below(normRelError(g, numericalGradient((w) => C.errorFunction(unflat(net, w), p.X, p.T, p.loss), flat(net))));
    }), { numRuns: 60 }));

  it('C6: batchBackward = numericalGradient of batchCost (m = 1–3)', () =>
    fc.assert(fc.property(smoothNets, (p) => {
      const net = netOf(p);
      const g = flatGrads(C.batchBackward(net, C.batchForward(net, p.X).cache, p.T, p.loss));
      fc.pre(wellConditioned(g, C.batchCost(net, p.X, p.T, p.loss)));
      below(normRelError(g, numericalGradient((w) => C.batchCost(unflat(net, w), p.X, p.T, p.loss), flat(net))));
    }), { numRuns: 60 }));

  it('C3–C5: directional checks on deeper, wider nets (2 evaluations per direction): |vᵀg − D_v E| ≤ 1e−7·‖g‖‖v‖', () =>
    fc.assert(fc.property(problem(network({ depth: [3, 5], width: [4, 8] }), [1, 1]), fc.integer({ min: 1, max: 1e6 }), (p, seed) => {
      const net = netOf(p);
      const w = flat(net);
      const v = normalMatrix(createRandom(seed), 1, w.length, 0, 1)[0];
      const g = flatGrads(C.backward(net, C.forward(net, p.X[0]).cache, p.T[0], p.loss));
      const { analytic, numeric } = directionalCheck((u) => C.errorFunction(unflat(net, u), p.X, p.T, p.loss), g, w, v);
      // rounding ε|E|/h ≈ 1e−11|E| and truncation h²|D³E| stay far below 1e−7‖g‖‖v‖ for these bounded nets
      expect(Math.abs(analytic - numeric)).toBeLessThanOrEqual(NUMERIC_REL_ERROR * norm(g) * norm(v) + 1e-12);
    }), { numRuns: 40 }));

  it('C3: outputDelta = numericalGradient of E_n in the output pre-activation, for every (activation, loss) pair', () =>
    fc.assert(fc.property(fc.constantFrom(...HEADS).chain((head) =>
      fc.integer({ min: head.loss === 'ce' ? 2 : 1, max: 4 }).chain((K) => fc.tuple(fc.constant(head), fc.array(spread(-3, 3), { minLength: K, maxLength: K }), target(head.loss, K)))), ([head, a, t]) => {
      const layer = (v: number[]): Network => [{ W: v.map((_, i) => v.map((__, j) => (i === j ? 1 : 0))), b: v.map(() => 0), activation: head.activation, ...(head.alpha === undefined ? {} : { alpha: head.alpha }) }];
      const d = C.outputDelta(a, t, head.activation, head.loss, head.alpha);
      fc.pre(wellConditioned(d, C.errorFunction(layer(a), [a], [t], head.loss)));
      below(normRelError(d, numericalGradient((v) => C.errorFunction(layer(v), [v], [t], head.loss), a)));
    }), { numRuns: 100 }));

  it('C4: hiddenDelta = numericalGradient of a ↦ δ_nextᵀ W h(a)', () =>
    fc.assert(fc.property(fc.constantFrom(...SMOOTH, ...KINKED), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 1e6 }), (spec, J, K, seed) => {
      const rnd = createRandom(seed);
      const a = normalMatrix(rnd, 1, J, 0, 2)[0].map((v) => (Math.abs(v) < 1e-3 ? 1 : v));
      const [W, d] = [normalMatrix(rnd, K, J, 0, 1), normalMatrix(rnd, 1, K, 0, 1)[0]];
      const E = (v: number[]) => C.networkFunction([{ W, b: d.map(() => 0), activation: 'linear' }], C.networkFunction([{ W: v.map((_, i) => v.map((__, j) => (i === j ? 1 : 0))), b: v.map(() => 0), ...spec }], v)).reduce((s, y, k) => s + y * d[k], 0);
      const delta = C.hiddenDelta(a, W, d, spec.activation, spec.alpha);
      fc.pre(wellConditioned(delta, E(a)));
      below(normRelError(delta, numericalGradient(E, a)));
    })));

  it('C7: ebuL2Net and ebuSoftmaxNet: dW, db and dx = numericalGradient of their own loss', () =>
    fc.assert(fc.property(fc.integer({ min: 1, max: 1e6 }), fc.integer({ min: 1, max: 2 }), fc.boolean(), (seed, L, softmax) => {
      const rnd = createRandom(seed);
      const widths = L === 1 ? [3, 3] : [3, 2, 3];
      const layers = widths.slice(1).map((out, l) => ({ W: normalMatrix(rnd, out, widths[l], 0, 1), b: normalMatrix(rnd, 1, out, 0, 1)[0] }));
      const x = normalMatrix(rnd, 1, 3, 0, 1)[0];
      const f = (xs: number[], ls: typeof layers) => (softmax ? C.ebuSoftmaxNet(xs, ls, seed % 3) : C.ebuL2Net(xs, ls, [0.2, 0.5, 0.9]));
      const net: Network = layers.map((l) => ({ ...l, activation: 'linear' }));
      const P = flat(net).length;
      const num = numericalGradient((w) => f(w.slice(P), unflat(net, w.slice(0, P)).map(({ W, b }) => ({ W, b }))).loss, [...flat(net), ...x]);
      const r = f(x, layers);
      fc.pre(wellConditioned([...r.dW.flat(2), ...r.dx], r.loss));
      below(normRelError([...r.dW.flatMap((M, l) => [...M.flat(), ...r.db[l]]), ...r.dx], num));
    }), { numRuns: 40 }));

  it('C8: numpyTrainingStep gradients = numericalGradient of its loss', () =>
    fc.assert(fc.property(fc.integer({ min: 1, max: 1e6 }), (seed) => {
      const rnd = createRandom(seed);
      const [x, y, w1, w2] = [normalMatrix(rnd, 4, 3, 0, 1), normalMatrix(rnd, 4, 2, 0, 1), normalMatrix(rnd, 3, 5, 0, 0.5), normalMatrix(rnd, 5, 2, 0, 0.5)];
      const split = (w: number[]) => [w1.map((row, i) => row.map((_, j) => w[i * 5 + j])), w2.map((row, i) => row.map((_, j) => w[15 + i * 2 + j]))];
      const num = numericalGradient((w) => C.numpyTrainingStep(x, y, split(w)[0], split(w)[1], 0).loss, [...w1.flat(), ...w2.flat()]);
      const r = C.numpyTrainingStep(x, y, w1, w2, 1e-4);
      fc.pre(wellConditioned([...r.gradW1.flat(), ...r.gradW2.flat()], r.loss));
      below(normRelError([...r.gradW1.flat(), ...r.gradW2.flat()], num));
    }), { numRuns: 40 }));
});

// ---------------------------------------------------------------------------------------------

describe("backprop: the decks' nets worked by hand (fixtures) and erratum 2", () => {
  const close = (received: unknown, expected: unknown, label: string) => expectAllClose(received, expected, FIXTURE_FLOAT64, label);

  it('C1–C5, C9: the Bishop net (tanh hidden, sigmoid outputs, BCE) — forward, deltas, gradients and E', () => {
    const { net, x, t, loss } = F.bishop;
    close(C.networkFunction(net, x), F.bishop.forward.out, 'networkFunction');
    close(C.forward(net, x), F.bishop.forward, 'forward');
    close(C.errorFunction(net, [x], [t], loss), F.bishop.error, 'E = ln(8/3)');
    const h = F.bishopHiddenDelta.input;
    close(C.hiddenDelta(h.a, h.Wnext, h.deltaNext, h.activation), F.bishopHiddenDelta.expected, 'δ1');
    close(C.layerGradients(F.bishopLayerGradients.input.delta, F.bishopLayerGradients.input.zPrev), F.bishopLayerGradients.expected, 'dW2, db2');
    close(C.backward(net, C.forward(net, x).cache, t, loss), F.bishopBackward.expected, 'backward');
  });

  it.each(F.outputDeltas.map((f) => [f.id, f] as const))('C3 %s', (_, f) => {
    close(C.outputDelta(f.input.a, f.input.t, f.input.activation, f.input.loss, f.input.alpha), f.expected, f.id);
  });

  it('C6: the [Training] net in matrix form — forward, J = 21/64, Δ2, Δ1 and the gradients with 1/m', () => {
    const { net, X, T, loss } = F.training;
    close(C.batchForward(net, X), F.training.forward, 'batchForward');
    close(C.batchCost(net, X, T, loss), F.training.cost, 'J');
    const o = F.trainingOutputDelta.input;
    close(C.batchOutputDelta(o.A, o.T, o.activation, o.loss), F.trainingOutputDelta.expected, 'Δ2');
    const hd = F.trainingHiddenDelta.input;
    close(C.batchHiddenDelta(hd.A, hd.Wnext, hd.DeltaNext, hd.activation), F.trainingHiddenDelta.expected, 'Δ1');
    close(C.batchBackward(net, C.batchForward(net, X).cache, T, loss), F.trainingBackward.expected, 'batchBackward');
  });

  it('C6/C9: least squares on three examples — E = 3 (a sum), J = 1 (a mean), their gradients, one step of gradient descent', () => {
    const q = F.leastSquares;
    close(C.errorFunction(q.net, q.X, q.T, q.loss), q.error, 'E');
    close(C.batchCost(q.net, q.X, q.T, q.loss), q.cost, 'J');
    close(C.batchBackward(q.net, C.batchForward(q.net, q.X).cache, q.T, q.loss), q.batchGradients, '∇J');
    const perExample = q.X.map((x, n) => C.backward(q.net, C.forward(q.net, x).cache, q.T[n], q.loss));
    close(perExample.reduce((s, g) => s.map((l, i) => ({ dW: l.dW.map((r, j) => r.map((v, k) => v + g[i].dW[j][k])), db: l.db.map((v, j) => v + g[i].db[j]) }))), q.gradients, '∇E = Σ_n ∇E_n');
    close(C.gradientDescentStep(q.net, q.gradients, q.eta), q.stepped, 'W − η∇E');
  });

  it.each([...F.ebuL2Nets.map((f) => [f.id, f, 'l2'] as const), ...F.ebuSoftmaxNets.map((f) => [f.id, f, 'softmax'] as const)])('C7 %s', (_, f, kind) => {
    const r = kind === 'l2' ? C.ebuL2Net(f.input.x, f.input.layers, f.input.target as number[]) : C.ebuSoftmaxNet(f.input.x, f.input.layers, f.input.target as number);
    close(r, f.expected, f.id);
  });

  it("C8: one iteration of the deck's numpy loop — loss 17/16 and both gradients", () => {
    const { x, y, w1, w2, learningRate } = F.numpyTraining.input;
    close(C.numpyTrainingStep(x, y, w1, w2, learningRate), F.numpyTraining.expected, 'numpy step');
  });

  it("erratum 2: the deck's printed δ^(3) = (1/m)(y − a^(3)) f′(a^(3)) is not ∂J/∂z^(3); the reference's Δ^(L) is", () => {
    const { A, T, activation, loss } = F.trainingOutputDelta.input;
    expect(F.trainingOutputDelta.erratum?.number).toBe(2);
    // J as a function of the output pre-activations: an activation-only sigmoid layer fed A^(L)
    const layer: Network = [{ W: [[1, 0], [0, 1]], b: [0, 0], activation }];
    const numeric = numericalGradient((v) => C.batchCost(layer, [v.slice(0, 2), v.slice(2)], T, loss), A.flat());
    const correct = C.batchOutputDelta(A, T, activation, loss).flat();
    const printed = F.trainingOutputDelta.variants[MISTAKE.erratum2].flat();
    expect(normRelError(correct, numeric)).toBeLessThan(NUMERIC_REL_ERROR);
    expect(normRelError(printed, numeric)).toBeGreaterThan(0.5);
    // the printed form is the correct one with the sign flipped and σ′ moved from A to Ŷ = σ(A)
    const Yhat = F.training.forward.out;
    close(printed, Yhat.flatMap((row, n) => row.map((y, k) => ((T[n][k] - y) * (1 / (1 + Math.exp(-y))) * (1 - 1 / (1 + Math.exp(-y)))) / 2)), 'printed form');
  });

  it('every fixture variant (a named mistake) differs from the correct value and is labelled by MISTAKE', () => {
    const labels = new Set<string>(Object.values(MISTAKE));
    const all = [F.bishopHiddenDelta, F.bishopLayerGradients, F.bishopBackward, ...F.outputDeltas, F.trainingOutputDelta, F.trainingHiddenDelta, F.trainingBackward, ...F.ebuL2Nets, ...F.ebuSoftmaxNets, F.numpyTraining];
    for (const f of all) {
      for (const [label, value] of Object.entries(f.variants as Record<string, unknown>)) {
        expect(labels.has(label), `${f.id}: ${label}`).toBe(true);
        expect(() => expectAllClose(value, f.expected, { rtol: 1e-6, atol: 1e-9 }), `${f.id}: "${label}" equals the correct value`).toThrow();
      }
    }
  });

  it('the forwardTransposed fixtures are the reference run with every W transposed (the mistake, evaluated)', () => {
    const T = (net: Network) => net.map((l) => ({ ...l, W: T2(l.W) }));
    close(C.forward(T(F.bishop.net), F.bishop.x), F.bishop.forwardTransposed, 'Bishop net with Wᵀ');
    close(C.batchForward(T(F.training.net), F.training.X), F.training.forwardTransposed, '[Training] net with Wᵀ');
  });
});

// ---------------------------------------------------------------------------------------------

describe('backprop: properties of the catalogue', () => {
  it('C1: a network is the composition of its layers; C2: the cache is consistent (z[0] = x, a = Wz + b, z = h(a))', () =>
    fc.assert(fc.property(anyNets, (p) => {
      const net = netOf(p);
      const x = p.X[0];
      const { out, cache } = C.forward(net, x);
      expect(cache.z[0]).toEqual(x);
      net.forEach((l, i) => {
        expectAllClose(cache.a[i], l.W.map((row, j) => row.reduce((s, w, k) => s + w * cache.z[i][k], l.b[j])), { rtol: 1e-14, atol: 1e-15 }, `a[${i}]`);
        expectAllClose(C.networkFunction([l], cache.z[i]), cache.z[i + 1], { rtol: 1e-15, atol: 0 }, `z[${i + 1}]`);
      });
      if (net.length > 1) expect(C.networkFunction(net.slice(1), C.networkFunction(net.slice(0, 1), x))).toEqual(out);
    })));

  it('C6: batchForward and batchBackward are the per-example forward and the mean of the per-example backward; errorFunction = m·batchCost', () =>
    fc.assert(fc.property(anyNets, (p) => {
      const net = netOf(p);
      const m = p.X.length;
      const batch = C.batchForward(net, p.X);
      p.X.forEach((x, n) => expectAllClose(batch.out[n], C.forward(net, x).out, { rtol: 1e-15, atol: 1e-16 }, `row ${n}`));
      const per = p.X.map((x, n) => flatGrads(C.backward(net, C.forward(net, x).cache, p.T[n], p.loss)));
      expectAllClose(flatGrads(C.batchBackward(net, batch.cache, p.T, p.loss)), per[0].map((_, i) => per.reduce((s, g) => s + g[i], 0) / m), { rtol: 1e-12, atol: 1e-14 }, 'mean');
      expectAllClose(C.errorFunction(net, p.X, p.T, p.loss), m * C.batchCost(net, p.X, p.T, p.loss), { rtol: 1e-14, atol: 1e-15 }, 'E = mJ');
    })));

  it('C3: for the canonical pairs δ = y − t exactly; for sse with any activation δ = h′(a)(y − t); l2 gives twice that', () =>
    fc.assert(fc.property(fc.constantFrom(...HEADS).chain((head) =>
      fc.integer({ min: head.loss === 'ce' ? 2 : 1, max: 4 }).chain((K) => fc.tuple(fc.constant(head), fc.array(spread(-5, 5), { minLength: K, maxLength: K }), target(head.loss, K)))), ([head, a, t]) => {
      const layer: Network = [{ W: a.map((_, i) => a.map((__, j) => (i === j ? 1 : 0))), b: a.map(() => 0), activation: head.activation, ...(head.alpha === undefined ? {} : { alpha: head.alpha }) }];
      const y = C.networkFunction(layer, a);
      const d = C.outputDelta(a, t, head.activation, head.loss, head.alpha);
      const canonical = (head.activation === 'linear' && head.loss === 'sse') || head.loss === 'bce' || head.loss === 'ce';
      if (canonical) expectAllClose(d, y.map((v, k) => v - t[k]), { rtol: 1e-12, atol: 1e-15 }, 'y − t');
      else {
        const hp = C.hiddenDelta(a, layer[0].W, a.map(() => 1), head.activation, head.alpha);
        expectAllClose(d, y.map((v, k) => (head.loss === 'l2' ? 2 : 1) * hp[k] * (v - t[k])), { rtol: 1e-14, atol: 1e-16 }, 'h′(a)·∂E/∂y');
      }
    })));

  it('C9: a small gradient-descent step lowers E(w) (η = 1e−3, E summed over the examples)', () =>
    fc.assert(fc.property(smoothNets, (p) => {
      const net = netOf(p);
      const grads = C.batchBackward(net, C.batchForward(net, p.X).cache, p.T, p.loss).map(({ dW, db }) => ({ dW: dW.map((r) => r.map((v) => v * p.X.length)), db: db.map((v) => v * p.X.length) }));
      const g2 = flatGrads(grads).reduce((s, v) => s + v * v, 0);
      fc.pre(g2 > 1e-6);
      // E(w − ηg) = E − η‖g‖² + O(η²‖g‖²‖H‖): with ‖H‖ ≲ 100 here the first-order decrease dominates
      expect(C.errorFunction(C.gradientDescentStep(net, grads, 1e-3), p.X, p.T, p.loss)).toBeLessThan(C.errorFunction(net, p.X, p.T, p.loss));
    })));

  it("C7: the EBU7240 nets are the general network with sigmoid layers (l2 loss) or a softmax top (ce, one-hot): ∂L/∂s = δ", () =>
    fc.assert(fc.property(fc.integer({ min: 1, max: 1e6 }), fc.integer({ min: 1, max: 3 }), (seed, L) => {
      const rnd = createRandom(seed);
      const widths = [2, ...Array.from({ length: L - 1 }, () => 3), 3];
      const layers = widths.slice(1).map((out, l) => ({ W: normalMatrix(rnd, out, widths[l], 0, 1), b: normalMatrix(rnd, 1, out, 0, 1)[0] }));
      const x = normalMatrix(rnd, 1, 2, 0, 1)[0];
      const z = [0.1, 0.5, 0.8];
      const sig: Network = layers.map((l) => ({ ...l, activation: 'sigmoid' }));
      const soft: Network = layers.map((l, i) => ({ ...l, activation: i === L - 1 ? 'softmax' : 'sigmoid' }));
      const rL2 = C.ebuL2Net(x, layers, z);
      const gL2 = C.backward(sig, C.forward(sig, x).cache, z, 'l2');
      expectAllClose(rL2.dW, gL2.map((g) => g.dW), { rtol: 1e-12, atol: 1e-15 }, 'L2 dW');
      expectAllClose(rL2.ds, gL2.map((g) => g.db), { rtol: 1e-12, atol: 1e-15 }, 'L2 ds = δ');
      expectAllClose(rL2.loss, C.errorFunction(sig, [x], [z], 'l2'), { rtol: 1e-14, atol: 0 }, 'L2 loss');
      const y = seed % 3;
      const onehot = [0, 1, 2].map((k) => (k === y ? 1 : 0));
      const rS = C.ebuSoftmaxNet(x, layers, y);
      const gS = C.backward(soft, C.forward(soft, x).cache, onehot, 'ce');
      expectAllClose(rS.dW, gS.map((g) => g.dW), { rtol: 1e-12, atol: 1e-15 }, 'softmax dW');
      expectAllClose(rS.loss, C.errorFunction(soft, [x], [onehot], 'ce'), { rtol: 1e-14, atol: 1e-15 }, 'softmax loss');
    })));

  it("C8: the numpy loop is the general network in the deck's [in, out] layout: W = w1ᵀ, w2ᵀ, l2 loss summed over the rows, grad_w = (ΣdW)ᵀ", () =>
    fc.assert(fc.property(fc.integer({ min: 1, max: 1e6 }), (seed) => {
      const rnd = createRandom(seed);
      const [x, y, w1, w2] = [normalMatrix(rnd, 4, 3, 0, 1), normalMatrix(rnd, 4, 2, 0, 1), normalMatrix(rnd, 3, 5, 0, 1), normalMatrix(rnd, 5, 2, 0, 1)];
      const net: Network = [{ W: T2(w1), b: [0, 0, 0, 0, 0], activation: 'sigmoid' }, { W: T2(w2), b: [0, 0], activation: 'linear' }];
      const r = C.numpyTrainingStep(x, y, w1, w2, 1e-4);
      const m = x.length;
      const g = C.batchBackward(net, C.batchForward(net, x).cache, y, 'l2'); // ∇J = ∇E/m
      expectAllClose(r.loss, C.errorFunction(net, x, y, 'l2'), { rtol: 1e-13, atol: 0 }, 'loss');
      expectAllClose(r.gradW1, T2(g[0].dW).map((row) => row.map((v) => v * m)), { rtol: 1e-12, atol: 1e-14 }, 'grad_w1');
      expectAllClose(r.gradW2, T2(g[1].dW).map((row) => row.map((v) => v * m)), { rtol: 1e-12, atol: 1e-14 }, 'grad_w2');
    })));

  it("C8: the deck's own run — N = 64, D_in = 1000, H = 100, D_out = 10, randn data and weights (seeded), lr = 1e−4 — lowers the loss at every one of 5 iterations", () => {
    const rnd = createRandom(7240);
    let [w1, w2] = [normalMatrix(rnd, 1000, 100, 0, 1), normalMatrix(rnd, 100, 10, 0, 1)];
    const [x, y] = [normalMatrix(rnd, 64, 1000, 0, 1), normalMatrix(rnd, 64, 10, 0, 1)];
    const losses: number[] = [];
    for (let t = 0; t < 5; t++) {
      const r = C.numpyTrainingStep(x, y, w1, w2, 1e-4);
      losses.push(r.loss);
      [w1, w2] = [r.w1, r.w2];
    }
    for (let t = 1; t < 5; t++) expect(losses[t], losses.join(' → ')).toBeLessThan(losses[t - 1]);
  });
});

// ---------------------------------------------------------------------------------------------

describe("backprop: the graders' arbitraries", () => {
  it('network() should only produce chained layers, softmax only on top with ce, alpha where needed; target() valid targets', () =>
    fc.assert(fc.property(problem(network({ depth: [1, 4], width: [1, 5], hidden: [...SMOOTH, ...KINKED] }), [1, 4]), (p) => {
      const net = netOf(p);
      net.forEach((l, i) => {
        if (i > 0) expect(l.W[0].length).toBe(net[i - 1].W.length);
        expect(l.b.length).toBe(l.W.length);
        expect(l.activation === 'softmax').toBe(i === net.length - 1 && p.loss === 'ce');
        if (l.activation === 'leakyRelu' || l.activation === 'elu') expect(typeof l.alpha).toBe('number');
        expect(l.W.flat().every((w) => w >= -1.5 && w <= 1.5)).toBe(true);
      });
      expect(() => C.errorFunction(net, p.X, p.T, p.loss)).not.toThrow();
      for (const t of p.T) {
        if (p.loss === 'bce') expect(t.every((v) => v >= 0 && v <= 1)).toBe(true);
        if (p.loss === 'ce') expect(Math.abs(t.reduce((s, v) => s + v, 0) - 1)).toBeLessThan(1e-12);
      }
    })));

  it('network({ square: true }) should only produce n × n layers; apart(lo, hi) should stay in ±[lo, hi]', () => {
    fc.assert(fc.property(network({ depth: [1, 3], width: [2, 4], square: true, heads: HEADS.filter((h) => h.loss !== 'ce') }), ({ net }) => {
      expect(net.every((l) => l.W.length === l.W[0].length && l.W.length === net[0].W.length)).toBe(true);
    }));
    fc.assert(fc.property(apart(1e-3, 3), (v) => {
      expect(Math.abs(v)).toBeGreaterThanOrEqual(1e-3);
      expect(Math.abs(v)).toBeLessThanOrEqual(3);
    }));
  });
});

// ---------------------------------------------------------------------------------------------

describe('backprop: input validation', () => {
  const net = F.bishop.net as Network;
  const sig = (W: number[][], b: number[]): Layer => ({ W, b, activation: 'sigmoid' });
  it.each([
    [() => C.networkFunction([], [1]), /networkFunction: argument 'net' must be a non-empty array of layers/],
    [() => C.networkFunction(net, [1, 2, 3]), /networkFunction: argument 'x' must have length 2; got length 3/],
    [() => C.forward([sig([[1, 2]], [0]), sig([[1, 2]], [0])], [1, 1]), /forward: argument 'net\[1\]\.W' must have 1 columns; got 2/],
    [() => C.forward([sig([[1, 2]], [0, 1])], [1, 1]), /forward: argument 'net\[0\]\.b' must have length 1; got length 2/],
    [() => C.forward([{ W: [[1]], b: [0], activation: 'swish' as never }], [1]), /forward: argument 'net\[0\]\.activation' must be one of linear, sigmoid/],
    [() => C.forward([{ W: [[1]], b: [0], activation: 'leakyRelu' }], [1]), /forward: argument 'net\[0\]\.alpha' must be a number; got undefined/],
    [() => C.forward([{ W: [[1]], b: [0], activation: 'leakyRelu', alpha: 2 }], [1]), /forward: argument 'net\[0\]\.alpha' must lie in \[0, 1\] for leakyRelu; got 2/],
    [() => C.forward([{ W: [[1, 0], [0, 1]], b: [0, 0], activation: 'softmax' }, sig([[1, 1]], [0])], [1, 1]), /forward: argument 'net\[0\]\.activation' softmax is only allowed in the output layer/],
    [() => C.outputDelta([0, 0], [1, 0], 'tanh', 'bce'), /outputDelta: argument 'loss' does not fit: 'bce' needs a sigmoid output; got tanh with bce/],
    [() => C.outputDelta([0, 0], [1, 0], 'softmax', 'sse'), /outputDelta: argument 'activation' does not fit: a softmax output goes with 'ce'/],
    [() => C.outputDelta([0, 0], [1, 1], 'softmax', 'ce'), /outputDelta: argument 't' must be a probability vector for ce/],
    [() => C.outputDelta([0], [2], 'sigmoid', 'bce'), /outputDelta: argument 't' must have entries in \[0, 1\] for bce/],
    [() => C.outputDelta([0], [1], 'sigmoid', 'mse' as never), /outputDelta: argument 'loss' must be one of sse, l2, bce, ce; got mse/],
    [() => C.hiddenDelta([0, 0], [[1, 2, 3]], [1], 'tanh'), /hiddenDelta: argument 'Wnext' must have 2 columns; got 3/],
    [() => C.hiddenDelta([0, 0], [[1, 2]], [1, 1], 'tanh'), /hiddenDelta: argument 'deltaNext' must have length 1; got length 2/],
    [() => C.backward(net, { a: [[0, 0]], z: [[1, 2], [0, 0], [0, 0]] }, [1, 0], 'bce'), /backward: argument 'cache\.a' must hold one entry per layer \(2\)/],
    [() => C.backward(net, F.bishop.forward.cache, [1, 0], 'ce'), /backward: argument 'loss' does not fit: 'ce' needs a softmax output; got sigmoid with ce/],
    [() => C.batchOutputDelta([[0, 0]], [[1, 0], [0, 1]], 'sigmoid', 'sse'), /batchOutputDelta: argument 'T' must have 1 rows; got 2/],
    [() => C.batchHiddenDelta([[0, 0]], [[1, 2]], [[1], [2]], 'sigmoid'), /batchHiddenDelta: argument 'DeltaNext' must have 1 rows; got 2/],
    [() => C.batchCost(net, [[1, 2]], [[1, 0], [0, 1]], 'bce'), /batchCost: argument 'T' must have 1 rows; got 2/],
    [() => C.ebuSoftmaxNet([1, 2], [{ W: [[1, 0], [0, 1]], b: [0, 0] }], 2), /ebuSoftmaxNet: argument 'y' must be a class index below 2; got 2/],
    [() => C.ebuL2Net([1, 2], [{ W: [[1, 0, 1]], b: [0] }], [1]), /ebuL2Net: argument 'layers\[0\]\.W' must have 2 columns; got 3/],
    [() => C.numpyTrainingStep([[1, 2]], [[1]], [[1], [2], [3]], [[1]], 1e-4), /numpyTrainingStep: argument 'w1' must have 2 rows; got 3/],
    [() => C.gradientDescentStep(net, [], 0.1), /gradientDescentStep: argument 'grads' must hold one \{ dW, db \} per layer \(2\)/],
    [() => C.gradientDescentStep(net, F.bishopBackward.expected, Number.NaN), /gradientDescentStep: argument 'eta' must be a finite number; got NaN/],
  ])('%#: %s', (_call, message) => {
    const call = _call;
    expect(call).toThrowError(message);
  });
});
