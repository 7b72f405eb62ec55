/**
 * Family D (Jacobian, Hessian, MAP): the reference against TensorFlow.js, against float64
 * numerical derivatives of its own gradient, against the worked fixtures, properties the theory
 * guarantees (symmetry, the outer-product approximation equal to H at zero residual and for
 * y linear in w, Becker–LeCun exact for one hidden layer and not beyond, the Laplace variance of a
 * linear net = Bayesian linear regression), a gradient-descent run to w_MAP, and validation.
 *
 * tfjs cross-checks and why each is built as it is:
 * - D1: one tf.grad per output k of Σ_n y_k (a one-hot mask picks y_k): row k of J.
 * - D2 gradient: tf.grads of E (family C's tfjs network), laid out in the order of w.
 * - D2 Hessian: tf.grad of tf.grad, row i = ∇(e_iᵀ∇E), on a flat parameter tensor θ sliced into
 *   W (reshape [out, in]) and b: exact second derivatives (no step size) with the float32 error of
 *   two backward passes, where finite differences of tf's float32 gradients would lose about half
 *   of the float32 digits. Found while writing this spec: tfjs's second-order gradients lose the
 *   dependence through an op's *saved output* — exp, sigmoid, tanh and softmax keep their output
 *   for the gradient — and then fail ("Cannot compute gradient") or are silently wrong (the
 *   Hessian of log Σe^a came out as diag(−p) − ppᵀ instead of diag(p) − ppᵀ; demonstrated below).
 *   expm1's gradient recomputes e^x from its input, so every exponential here is written
 *   expm1(a) + 1: σ(a) = 1/(1 + e^−a), tanh(a) = 2σ(2a) − 1, softmax = e^a/Σe^a, ce =
 *   Σ(log Σe^a − tᵀa), bce = Σ(softplus(a) − t·a) (softplus's gradient is σ of its input), relu =
 *   max(a, 0), leaky relu = αa + (1 − α)max(a, 0). tf.elu/leakyRelu/where have no second derivative in tfjs
 *   (no gradient for Greater / LogicalNot): elu is covered by float64 finite differences only.
 * - D4: one double-backward pass, ∇(vᵀ∇E); D3: the tf Hessian at zero-residual targets.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as F from '../fixtures/second-order.fixtures.ts';
import { MISTAKE } from '../fixtures/second-order.fixtures.ts';
import { HEADS, KINKED, network, problem, SMOOTH, spread, type ActSpec, type Head, type Problem } from '../graders/backprop.grader.ts';
import { transposed } from '../graders/engine/diagnose.ts';
import * as C from '../reference/backprop.ts';
import type { Layer, LossName, Network } from '../reference/backprop.ts';
import { numericalGradient, numericalJacobian } from '../reference/gradcheck.ts';
import { createRandom, normalMatrix } from '../reference/random.ts';
import * as D from '../reference/second-order.ts';
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
const norm = (v: number[]) => Math.sqrt(v.reduce((s, x) => s + x * x, 0));
/** ‖a − b‖/max(‖a‖, ‖b‖): see specs/backprop.spec.ts (entrywise relative errors are meaningless at entries ~0) */
const normRelError = (a: number[], b: number[]) => {
  const scale = Math.max(norm(a), norm(b));
  return scale === 0 ? 0 : norm(a.map((v, i) => v - b[i])) / scale;
};
const f32Net = (net: Network): Network => net.map((l) => ({ ...l, W: f32(l.W), b: f32(l.b) }));
const dot = (u: number[], v: number[]) => u.reduce((s, ui, i) => s + ui * v[i], 0);
const diag = (M: number[][]) => M.map((row, i) => row[i]);
/** column i of H by central differences of the reference's analytic gradient (float64) */
const fdHessian = (p: Problem) => {
  const w = flat(netOf(p));
  const g = (u: number[]) => D.errorAndGradient(unflat(netOf(p), u), p.X, p.T, p.loss).g;
  const cols = w.map((_, i) => {
    const [plus, minus] = [g(w.map((v, k) => (k === i ? v + 1e-5 : v))), g(w.map((v, k) => (k === i ? v - 1e-5 : v)))];
    return plus.map((q, k) => (q - minus[k]) / 2e-5);
  });
  return transposed(cols);
};
/** A u = b by Gauss–Jordan elimination (small, well-conditioned systems of these specs). */
function solve(A: number[][], b: number[]): number[] {
  const n = b.length;
  const M = A.map((row, i) => [...row, b[i]]);
  for (let c = 0; c < n; c++) {
    const piv = M[c][c];
    for (let k = 0; k <= n; k++) M[c][k] /= piv;
    for (let r = 0; r < n; r++) if (r !== c) { const f = M[r][c]; for (let k = 0; k <= n; k++) M[r][k] -= f * M[c][k]; }
  }
  return M.map((row) => row[n]);
}
const zeroResidual = (p: Problem): Problem => ({ ...p, T: p.X.map((x) => C.networkFunction(netOf(p), x)) });

const SECOND_ORDER_SAFE: ActSpec[] = [{ activation: 'sigmoid' }, { activation: 'tanh' }, { activation: 'softplus' }, { activation: 'linear' }];
/** heads whose output unit has a second-order-safe tf form (no elu) */
const SAFE_HEADS = HEADS.filter((h) => h.activation !== 'elu');
const smallNets = (hidden: ActSpec[] = SMOOTH, heads: Head[] = HEADS, depth: [number, number] = [1, 2]) => problem(network({ depth, width: [1, 3], hidden, heads }), [1, 3]);

// ---------------------------------------------------------------------------------------------

/** The standard tf ops (first-order checks). */
function tfAct(l: Layer, a: tf.Tensor): tf.Tensor {
  switch (l.activation) {
    case 'sigmoid': return tf.sigmoid(a);
    case 'tanh': return tf.tanh(a);
    case 'softplus': return tf.softplus(a);
    case 'relu': return tf.relu(a);
    case 'leakyRelu': return tf.leakyRelu(a, l.alpha);
    case 'elu': return tf.where(tf.greaterEqual(a, 0), a, tf.mul(l.alpha ?? 1, tf.sub(tf.exp(a), 1)));
    case 'softmax': return tf.softmax(a);
    default: return a;
  }
}
/** e^a as expm1(a) + 1: its gradient is computed from the input, so second derivatives survive. */
const exp2 = (a: tf.Tensor) => tf.add(tf.expm1(a), 1);
const sigmoid2 = (a: tf.Tensor) => tf.div(1, tf.add(1, exp2(tf.neg(a))));
/** The activations written with second-order-safe ops only. */
function tfAct2(l: Layer, a: tf.Tensor): tf.Tensor {
  switch (l.activation) {
    case 'sigmoid': return sigmoid2(a);
    case 'tanh': return tf.sub(tf.mul(2, sigmoid2(tf.mul(2, a))), 1);
    case 'softplus': return tf.softplus(a);
    case 'relu': return tf.maximum(a, 0);
    // αa + (1 − α)max(a, 0): max(a, αa) would need the gradient of Less at second order
    case 'leakyRelu': return tf.add(tf.mul(a, l.alpha ?? 0), tf.mul(1 - (l.alpha ?? 0), tf.maximum(a, 0)));
    case 'softmax': return tf.div(exp2(a), tf.sum(exp2(a), 1, true));
    case 'linear': return a;
    default: throw new Error(`${l.activation} has no second-order-safe form in tfjs`);
  }
}
const oneHot = (i: number, n: number) => tf.tensor1d(Array.from({ length: n }, (_, k) => (k === i ? 1 : 0)));

/**
 * E(θ) on a flat parameter tensor in the order of w. `safe` uses the second-order-safe ops; a
 * softmax/ce output then subtracts from each row of A^(L) a constant c_n = max_k a_nk (read from the
 * reference's forward pass, so outside the graph: no derivative changes), because expm1(a) + 1
 * cancels in float32 for a ≪ 0 (a relative error ~ulp/e^a).
 */
function tfObjective(net: Network, loss: LossName, X: number[][], T: number[][], safe = true) {
  const shift = C.batchForward(net, X).cache.a[net.length - 1].map((row) => [Math.max(...row)]);
  return (theta: tf.Tensor): tf.Scalar => {
    let Z: tf.Tensor = tf.tensor2d(X);
    let A: tf.Tensor = Z;
    let k = 0;
    net.forEach((l, i) => {
      const [out, inp] = [l.W.length, l.W[0].length];
      const W = theta.slice([k], [out * inp]).reshape([out, inp]) as tf.Tensor2D;
      const b = theta.slice([k + out * inp], [out]);
      k += out * inp + out;
      A = tf.add(tf.matMul(Z as tf.Tensor2D, W, false, true), b);
      Z = !safe ? tfAct(l, A) : l.activation === 'softmax' && i === net.length - 1 ? tfAct2(l, tf.sub(A, tf.tensor2d(shift))) : tfAct2(l, A);
    });
    const Tt = tf.tensor2d(T);
    switch (loss) {
      case 'sse': return tf.sum(tf.square(tf.sub(Z, Tt))).mul(0.5) as tf.Scalar;
      case 'l2': return tf.sum(tf.square(tf.sub(Tt, Z))) as tf.Scalar;
      case 'bce': return tf.sum(tf.sub(tf.softplus(A), tf.mul(Tt, A))) as tf.Scalar;
      case 'ce': {
        if (!safe) return tf.losses.softmaxCrossEntropy(Tt, A, undefined, 0, tf.Reduction.SUM) as tf.Scalar;
        const As = tf.sub(A, tf.tensor2d(shift)); // log Σ e^a − tᵀa = log Σ e^(a−c) − tᵀ(a − c) when Σt = 1
        return tf.sum(tf.sub(tf.log(tf.sum(exp2(As), 1)), tf.sum(tf.mul(Tt, As), 1))) as tf.Scalar;
      }
    }
  };
}
function tfHessian(net: Network, loss: LossName, X: number[][], T: number[][]): number[][] {
  const E = tfObjective(net, loss, X, T);
  const P = flat(net).length;
  return Array.from({ length: P }, (_, i) =>
    run(() => tf.grad((th: tf.Tensor) => tf.sum(tf.mul(tf.grad(E)(th), oneHot(i, P))))(tf.tensor1d(flat(net)))) as number[]);
}

describe(`second-order vs TensorFlow.js [${backend.label}]`, () => {
  it('D1: networkJacobian = one tf.grad per output (every activation and output, kinked units away from their kinks)', () =>
    fc.assert(fc.property(problem(network({ depth: [1, 3], width: [1, 4], hidden: [...SMOOTH, ...KINKED] }), [1, 1]), (p) => {
      const [net, x] = [f32Net(netOf(p)), f32(p.X[0])];
      const { a } = C.forward(net, x).cache;
      fc.pre(net.every((l, i) => !['relu', 'leakyRelu', 'elu'].includes(l.activation) || a[i].every((v) => Math.abs(v) >= 1e-3)));
      const K = net[net.length - 1].W.length;
      const rows = Array.from({ length: K }, (_, k) => (run(() => tf.grad((xs: tf.Tensor) => {
        let Z = xs.reshape([1, x.length]);
        net.forEach((l) => { Z = tfAct(l, tf.add(tf.matMul(Z as tf.Tensor2D, tf.tensor2d(l.W), false, true), tf.tensor1d(l.b))); });
        return tf.sum(tf.mul(Z, oneHot(k, K).reshape([1, K])));
      })(tf.tensor1d(x))) as number[]));
      expectAllClose(D.networkJacobian(net, x).J, rows, TF_COMPOSITE, 'J');
    }), { numRuns: 40 }));

  it("tfjs's second derivative through an op that saves its output is wrong; through expm1 it is right (why every exponential here is expm1 + 1)", () => {
    const a = [0.3, -0.2];
    const p = [Math.exp(0.3), Math.exp(-0.2)].map((v, _, e) => v / (e[0] + e[1]));
    const exact = [[p[0] * (1 - p[0]), -p[0] * p[1]], [-p[0] * p[1], p[1] * (1 - p[1])]]; // ∇∇ log Σe^a = diag(p) − ppᵀ
    const hess = (f: (x: tf.Tensor) => tf.Tensor) => [0, 1].map((i) => run(() => tf.grad((x: tf.Tensor) => tf.sum(tf.mul(tf.grad((y: tf.Tensor) => f(y) as tf.Scalar)(x), oneHot(i, 2))))(tf.tensor1d(a))) as number[]);
    expectAllClose(hess((x) => tf.log(tf.sum(exp2(x)))), exact, TF_COMPOSITE, 'expm1 + 1');
    const viaExp = hess((x) => tf.log(tf.sum(tf.exp(x))));
    expectAllClose(viaExp, exact.map((row, i) => row.map((v, j) => v - (i === j ? p[i] : 0))), TF_COMPOSITE, 'tf.exp: the diag(p) term is lost');
  });

  it('D2: the Hessian = tf.grad of tf.grad (row i = ∇(e_iᵀ∇E)), every pair, second-order-safe units', () =>
    fc.assert(fc.property(smallNets(SECOND_ORDER_SAFE, SAFE_HEADS), (p) => {
      const [net, X, T] = [f32Net(netOf(p)), f32(p.X), f32(p.T)];
      expectAllClose(D.hessian(net, X, T, p.loss), tfHessian(net, p.loss, X, T), TF_COMPOSITE, `H (${net.map((l) => l.activation).join(' → ')}, ${p.loss})`);
    }), { numRuns: 30 }));

  it('D2/D4: g = tf.grad of E laid out in the order of w, and Hv = ∇(vᵀ∇E) by one double-backward pass', () =>
    fc.assert(fc.property(smallNets([...SECOND_ORDER_SAFE, { activation: 'relu' }, { activation: 'leakyRelu', alpha: 0.1 }], SAFE_HEADS), fc.integer({ min: 1, max: 1e6 }), (p, seed) => {
      const [net, X, T] = [f32Net(netOf(p)), f32(p.X), f32(p.T)];
      const { a } = C.batchForward(net, X).cache;
      fc.pre(net.every((l, i) => !['relu', 'leakyRelu'].includes(l.activation) || a[i].flat().every((v) => Math.abs(v) >= 1e-3)));
      const E = tfObjective(net, p.loss, X, T);
      const theta = () => tf.tensor1d(flat(net));
      expectAllClose(D.errorAndGradient(net, X, T, p.loss).g, run(() => tf.grad(tfObjective(net, p.loss, X, T, false))(theta())), TF_COMPOSITE, 'g');
      const v = f32(normalMatrix(createRandom(seed), 1, flat(net).length, 0, 1)[0]);
      const tfHv = run(() => tf.grad((th: tf.Tensor) => tf.sum(tf.mul(tf.grad(E)(th), tf.tensor1d(v))))(theta()));
      expectAllClose(D.hessianVectorProduct(net, X, T, p.loss, v), tfHv, TF_COMPOSITE, 'Hv');
    }), { numRuns: 30 }));

  it('D3: the outer-product approximation = the tf Hessian at zero-residual targets (t = y)', () =>
    fc.assert(fc.property(smallNets(SECOND_ORDER_SAFE, SAFE_HEADS), (p) => {
      const q = zeroResidual({ ...p, net: f32Net(netOf(p)), X: f32(p.X) });
      expectAllClose(D.outerProductHessian(netOf(q), q.X, q.T, q.loss), tfHessian(netOf(q), q.loss, q.X, q.T), TF_COMPOSITE, 'OP vs tf H at t = y');
    }), { numRuns: 20 }));
});

// ---------------------------------------------------------------------------------------------

describe('second-order vs numerical derivatives (float64) and the theory', () => {
  it('D1: networkJacobian = numericalJacobian of y(x) (norm-wise relative error ≤ 1e−7)', () =>
    fc.assert(fc.property(smallNets(SMOOTH, HEADS, [1, 3]), (p) => {
      const J = D.networkJacobian(netOf(p), p.X[0]).J;
      const num = numericalJacobian((x) => C.networkFunction(netOf(p), x), p.X[0]);
      fc.pre(norm(J.flat()) >= 1e-3);
      expect(normRelError(J.flat(), num.flat())).toBeLessThan(NUMERIC_REL_ERROR);
    })));

  it('D2: H is symmetric to rounding and equals central differences of the analytic gradient (every activation, away from kinks)', () =>
    fc.assert(fc.property(smallNets([...SMOOTH, ...KINKED, { activation: 'elu', alpha: 2 }]), (p) => {
      const net = netOf(p);
      const { a } = C.batchForward(net, p.X).cache;
      fc.pre(net.every((l, i) => !['relu', 'leakyRelu', 'elu'].includes(l.activation) || a[i].flat().every((v) => Math.abs(v) >= 1e-3)));
      const H = D.hessian(net, p.X, p.T, p.loss);
      const scale = Math.max(1e-300, ...H.flat().map(Math.abs));
      expect(Math.max(...H.flatMap((row, i) => row.map((v, j) => Math.abs(v - H[j][i]))))).toBeLessThanOrEqual(1e-13 * scale);
      // central differences of g: truncation h²|∇³g| and rounding ε|g|/h, ≲ 1e−9 of ‖H‖ here
      fc.pre(norm(H.flat()) >= 1e-3);
      expect(normRelError(H.flat(), fdHessian(p).flat())).toBeLessThan(NUMERIC_REL_ERROR);
    }), { numRuns: 60 }));

  it('D2: with a ReLU or leaky-ReLU output layer (sse), H equals central differences of the analytic gradient away from the kink', () =>
    fc.assert(fc.property(smallNets(SMOOTH, [{ activation: 'relu', loss: 'sse' }, { activation: 'leakyRelu', alpha: 0.1, loss: 'sse' }]), (p) => {
      const net = netOf(p);
      const { a } = C.batchForward(net, p.X).cache;
      // away from the kink h'' = 0, so the output curvature is (h')², 0 or α², with no second-derivative term
      fc.pre(a[a.length - 1].flat().every((v) => Math.abs(v) >= 1e-3));
      const H = D.hessian(net, p.X, p.T, p.loss);
      fc.pre(norm(H.flat()) >= 1e-3);
      expect(normRelError(H.flat(), fdHessian(p).flat())).toBeLessThan(NUMERIC_REL_ERROR);
    }), { numRuns: 40 }));

  it('D4: hessianVectorProduct = H v, and = (g(w + hv) − g(w − hv))/2h', () =>
    fc.assert(fc.property(smallNets(), fc.integer({ min: 1, max: 1e6 }), (p, seed) => {
      const net = netOf(p);
      const w = flat(net);
      const v = normalMatrix(createRandom(seed), 1, w.length, 0, 1)[0];
      const Hv = D.hessianVectorProduct(net, p.X, p.T, p.loss, v);
      expectAllClose(Hv, D.hessian(net, p.X, p.T, p.loss).map((row) => dot(row, v)), { rtol: 1e-12, atol: 1e-13 }, 'Hv vs H·v');
      const g = (u: number[]) => D.errorAndGradient(unflat(net, u), p.X, p.T, p.loss).g;
      const [plus, minus] = [g(w.map((x, i) => x + 1e-5 * v[i])), g(w.map((x, i) => x - 1e-5 * v[i]))];
      fc.pre(norm(Hv) >= 1e-3);
      expect(normRelError(Hv, plus.map((q, i) => (q - minus[i]) / 2e-5))).toBeLessThan(NUMERIC_REL_ERROR);
    })));

  it('D2/D5: errorAndGradient.g and mapObjective.g = numericalGradient of their E', () =>
    fc.assert(fc.property(smallNets(SMOOTH, HEADS.filter((h) => h.loss === 'sse')), spread(0, 3), spread(0.2, 4), (p, alpha, beta) => {
      const net = netOf(p);
      const r = D.errorAndGradient(net, p.X, p.T, p.loss);
      const m = D.mapObjective(net, p.X, p.T, alpha, beta);
      fc.pre(norm(r.g) >= 1e-2 * (1 + Math.abs(r.E)) && norm(m.g) >= 1e-2 * (1 + Math.abs(m.E)));
      expect(normRelError(r.g, numericalGradient((u) => D.errorAndGradient(unflat(net, u), p.X, p.T, p.loss).E, flat(net)))).toBeLessThan(NUMERIC_REL_ERROR);
      expect(normRelError(m.g, numericalGradient((u) => D.mapObjective(unflat(net, u), p.X, p.T, alpha, beta).E, flat(net)))).toBeLessThan(NUMERIC_REL_ERROR);
    })));

  it('D3: the outer-product approximation equals H at zero residual (every pair), for y linear in w at any targets, is PSD and independent of t', () =>
    fc.assert(fc.property(smallNets(), smallNets(SMOOTH, [{ activation: 'linear', loss: 'sse' }], [1, 1]), fc.integer({ min: 1, max: 1e6 }), (p, lin, seed) => {
      const q = zeroResidual(p);
      const OP = D.outerProductHessian(netOf(q), q.X, q.T, q.loss);
      expectAllClose(OP, D.hessian(netOf(q), q.X, q.T, q.loss), { rtol: 1e-10, atol: 1e-12 }, 'OP = H at t = y');
      expectAllClose(D.outerProductHessian(netOf(p), p.X, p.T, p.loss), OP, { rtol: 1e-12, atol: 1e-14 }, 'OP does not depend on t');
      const v = normalMatrix(createRandom(seed), 1, OP.length, 0, 1)[0];
      expect(dot(v, OP.map((row) => dot(row, v)))).toBeGreaterThanOrEqual(-1e-12 * norm(OP.flat()));
      // one linear layer with sse: y is linear in w, ∇∇y = 0, so OP = H whatever the residuals
      expectAllClose(D.outerProductHessian(netOf(lin), lin.X, lin.T, 'sse'), D.hessian(netOf(lin), lin.X, lin.T, 'sse'), { rtol: 1e-12, atol: 1e-13 }, 'linear net');
    })));

  it('D3: the Becker–LeCun diagonal is exact with one hidden layer and elementwise outputs; with two hidden layers it is an approximation', () => {
    fc.assert(fc.property(smallNets(SMOOTH, HEADS.filter((h) => h.loss !== 'ce'), [1, 2]), (p) => {
      expectAllClose(D.diagonalHessian(netOf(p), p.X, p.T, p.loss), diag(D.hessian(netOf(p), p.X, p.T, p.loss)), { rtol: 1e-10, atol: 1e-12 }, 'one hidden layer');
    }));
    // a fixed 2-3-3-1 tanh net: the neglected ∂²E/∂a_j∂a_j′ of the second hidden layer change the first layer's entries
    const rnd = createRandom(54);
    const net: Network = [
      { W: normalMatrix(rnd, 3, 2, 0, 1), b: [0.1, -0.2, 0.3], activation: 'tanh' },
      { W: normalMatrix(rnd, 3, 3, 0, 1), b: [0, 0.1, -0.1], activation: 'tanh' },
      { W: normalMatrix(rnd, 1, 3, 0, 1), b: [0.2], activation: 'linear' },
    ];
    const [X, T] = [[[0.5, -1], [1, 0.3]], [[0.7], [-0.4]]];
    const [approx, exact] = [D.diagonalHessian(net, X, T, 'sse'), diag(D.hessian(net, X, T, 'sse'))];
    expect(normRelError(approx.slice(0, 9), exact.slice(0, 9))).toBeGreaterThan(1e-3);
    expectAllClose(approx.slice(9), exact.slice(9), { rtol: 1e-10, atol: 1e-12 }, 'the layers above the first are still exact here');
  });
});

// ---------------------------------------------------------------------------------------------

describe('second-order: the worked fixtures', () => {
  const close = (received: unknown, expected: unknown, label: string) => expectAllClose(received, expected, FIXTURE_FLOAT64, label);

  it("D1: the Jacobian of family C's Bishop net", () => {
    close(D.networkJacobian(F.bishopJacobian.input.net as Network, F.bishopJacobian.input.x), F.bishopJacobian.expected, 'J');
  });

  it('D2: E and g of the Bishop net (in the order of w) and of the tiny net on two examples', () => {
    const b = F.bishopErrorAndGradient.input;
    close(D.errorAndGradient(b.net as Network, b.X, b.T, b.loss), F.bishopErrorAndGradient.expected, 'Bishop');
    const t = F.tinyErrorAndGradient.input;
    close(D.errorAndGradient(t.net, t.X, t.T, t.loss), F.tinyErrorAndGradient.expected, 'tiny ×2');
  });

  it('D2–D4: the tiny net — H, the Becker–LeCun diagonal, the outer product bbᵀ, Hv; H = bbᵀ at zero residual', () => {
    const { net, X, T, Tfit } = F.tiny;
    close(D.hessian(net, X, T, 'sse'), F.tiny.H, 'H');
    close(D.diagonalHessian(net, X, T, 'sse'), F.tinyDiagonal.expected, 'diag');
    close(D.outerProductHessian(net, X, T, 'sse'), F.tiny.outerProduct, 'bbᵀ');
    close(D.hessianVectorProduct(net, X, T, 'sse', F.tiny.v), F.tiny.Hv, 'Hv');
    close(D.hessian(net, X, Tfit, 'sse'), F.tiny.outerProduct, 'H at t = y');
  });

  it.each(F.tinyMap.map((f) => [f.id, f] as const))('D5 %s', (_, f) => {
    close(D.mapObjective(f.input.net, f.input.X, f.input.T, f.input.alpha, f.input.beta), f.expected, f.id);
  });

  it.each(F.laplace.map((f) => [f.id, f] as const))('D6 %s', (_, f) => {
    close(D.laplaceVariance(f.input.net as Network, f.input.X, f.input.T, f.input.alpha, f.input.beta, f.input.x), f.expected, f.id);
  });

  it('every variant (a named mistake) differs from the correct value and is labelled by MISTAKE', () => {
    const labels = new Set<string>(Object.values(MISTAKE));
    const all = [F.bishopJacobian, F.bishopErrorAndGradient, F.tinyErrorAndGradient, F.tinyHessian, F.tinyDiagonal, F.tinyOuterProduct, F.tinyHessianVector, ...F.tinyMap, ...F.laplace];
    for (const f of all) {
      for (const [label, value] of Object.entries(f.variants as Record<string, unknown>)) {
        expect(labels.has(label), `${f.id}: ${label}`).toBe(true);
        expect(() => expectAllClose(value, f.expected, { rtol: 1e-5, atol: 1e-7 }), `${f.id}: "${label}" equals the correct value`).toThrow();
      }
    }
  });
});

// ---------------------------------------------------------------------------------------------

describe('second-order: MAP and the Laplace approximation', () => {
  /** σ² of Bayesian linear regression: 1/β + φᵀ(αI + βΦᵀΦ)⁻¹φ, φ = [x, 1], solved independently */
  function blrVariance(X: number[][], x: number[], alpha: number, beta: number): number {
    const phi = (r: number[]) => [...r, 1];
    const P = x.length + 1;
    const A = Array.from({ length: P }, (_, i) => Array.from({ length: P }, (__, j) => (i === j ? alpha : 0) + beta * X.reduce((s, r) => s + phi(r)[i] * phi(r)[j], 0)));
    return 1 / beta + dot(phi(x), solve(A, phi(x)));
  }

  it('D6: for one linear unit the Laplace variance is exactly Bayesian linear regression (H = ΦᵀΦ whatever w and t)', () =>
    fc.assert(fc.property(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 1e6 }), spread(0.05, 5), spread(0.1, 5), (d, m, seed, alpha, beta) => {
      const rnd = createRandom(seed);
      const net: Network = [{ W: normalMatrix(rnd, 1, d, 0, 1), b: [0.3], activation: 'linear' }];
      const [X, T, x] = [normalMatrix(rnd, m, d, 0, 1), normalMatrix(rnd, m, 1, 0, 1), normalMatrix(rnd, 1, d, 0, 1)[0]];
      const r = D.laplaceVariance(net, X, T, alpha, beta, x);
      expectAllClose(r.variance, blrVariance(X, x, alpha, beta), { rtol: 1e-10, atol: 0 }, 'σ²');
      expectAllClose(r.mean, C.networkFunction(net, x)[0], { rtol: 1e-15, atol: 1e-15 }, 'mean');
    })));

  it('D6: σ² ≥ 1/β, it falls as α grows, and gᵀA⁻¹g = ‖g‖²/α − βgᵀHg/α² + O(α⁻³) for a strong prior (nonlinear nets at zero residual)', () =>
    fc.assert(fc.property(smallNets(SMOOTH, HEADS.filter((h) => h.loss === 'sse')), spread(0.1, 3), spread(0.3, 4), (p, alpha, beta) => {
      const net = netOf(p).map((l, i, all) => (i === all.length - 1 ? { ...l, W: [l.W[0]], b: [l.b[0]] } : l));
      const q = zeroResidual({ ...p, net });
      const x = q.X[0].map((v) => v + 0.5);
      const s = (a: number) => D.laplaceVariance(net, q.X, q.T, a, beta, x).variance;
      expect(s(alpha)).toBeGreaterThanOrEqual(1 / beta);
      expect(s(2 * alpha)).toBeLessThanOrEqual(s(alpha) * (1 + 1e-12));
      const g = D.errorAndGradient(net, [x], [[C.networkFunction(net, x)[0] - 1]], 'sse').g; // ∇y
      const H = D.hessian(net, q.X, q.T, 'sse');
      // α = 1e6: the O(α⁻³) term is (β‖H‖/α)² ≲ 1e−7 of the rest; σ² − 1/β loses ~2 ulps of 1/β to the subtraction
      const a = 1e6;
      expectAllClose(s(a) - 1 / beta, dot(g, g) / a - (beta * dot(g, H.map((row) => dot(row, g)))) / (a * a), { rtol: 1e-6, atol: 1e-15 / beta }, 'strong prior');
    })));

  it('D5/D6: gradient descent then Newton steps with A = αI + βH (D2) reach w_MAP (∇Ẽ = 0), where the Laplace variance is defined', () => {
    const rnd = createRandom(2021);
    let net: Network = [{ W: normalMatrix(rnd, 2, 1, 0, 0.5), b: [0, 0], activation: 'tanh' }, { W: normalMatrix(rnd, 1, 2, 0, 0.5), b: [0], activation: 'linear' }];
    const X = [[-1], [-0.5], [0], [0.5], [1]];
    const T = X.map(([x]) => [Math.sin(2 * x)]);
    const [alpha, beta] = [0.5, 4];
    for (let step = 0; step < 500; step++) net = unflat(net, flat(net).map((w, i) => w - 0.02 * D.mapObjective(net, X, T, alpha, beta).g[i]));
    for (let step = 0; step < 8; step++) {
      const A = D.hessian(net, X, T, 'sse').map((row, i) => row.map((v, j) => beta * v + (i === j ? alpha : 0)));
      const u = solve(A, D.mapObjective(net, X, T, alpha, beta).g);
      net = unflat(net, flat(net).map((w, i) => w - u[i]));
    }
    expect(norm(D.mapObjective(net, X, T, alpha, beta).g)).toBeLessThan(1e-10);
    const far = D.laplaceVariance(net, X, T, alpha, beta, [2]).variance;
    expect(far).toBeGreaterThan(1 / beta);
    // away from the data the uncertainty about w widens the prediction more than among the data
    expect(far).toBeGreaterThan(D.laplaceVariance(net, X, T, alpha, beta, [0]).variance);
  });

  it("D5: the notes' Ẽ = E + ½wᵀw is mapObjective with α = β = 1; α = 0, β = 1 is the plain sum-of-squares error", () =>
    fc.assert(fc.property(smallNets(SMOOTH, HEADS.filter((h) => h.loss === 'sse')), (p) => {
      const net = netOf(p);
      const { E, g } = D.errorAndGradient(net, p.X, p.T, 'sse');
      const w = flat(net);
      expectAllClose(D.mapObjective(net, p.X, p.T, 1, 1), { E: E + 0.5 * dot(w, w), g: g.map((v, i) => v + w[i]) }, { rtol: 1e-14, atol: 1e-15 }, 'α = β = 1');
      expectAllClose(D.mapObjective(net, p.X, p.T, 0, 1), { E, g }, { rtol: 0, atol: 0 }, 'α = 0');
    })));
});

// ---------------------------------------------------------------------------------------------

describe('second-order: input validation', () => {
  const net = F.tiny.net as Network;
  const two: Network = [{ W: [[1, 0], [0, 1]], b: [0, 0], activation: 'tanh' }, { W: [[1, 1], [1, -1]], b: [0, 0], activation: 'linear' }];
  it.each([
    [() => D.networkJacobian([], [1]), /networkJacobian: argument 'net' must be a non-empty array of layers/],
    [() => D.networkJacobian(net, [1, 2]), /networkJacobian: argument 'x' must have length 1; got length 2/],
    [() => D.errorAndGradient(net, [[1, 2]], [[0]], 'sse'), /errorAndGradient: argument 'X' must have 1 columns; got 2/],
    [() => D.hessian(net, [[1]], [[0], [1]], 'sse'), /hessian: argument 'T' must have 1 rows; got 2/],
    [() => D.hessian(net, [[1]], [[0]], 'ce'), /hessian: argument 'loss' does not fit the output activation linear/],
    [() => D.diagonalHessian(net, [[1]], [[0]], 'hinge' as never), /diagonalHessian: argument 'loss' must be one of sse, l2, bce, ce; got hinge/],
    [() => D.outerProductHessian([{ W: [[1]], b: [0], activation: 'softmax' }, { W: [[1]], b: [0], activation: 'linear' }], [[1]], [[0]], 'sse'), /outerProductHessian: argument 'net\[0\]\.activation' softmax is only allowed in the output layer/],
    [() => D.hessianVectorProduct(net, [[1]], [[0]], 'sse', [1, 2, 3]), /hessianVectorProduct: argument 'v' must have length 4; got length 3/],
    [() => D.mapObjective(net, [[1]], [[0]], -1, 1), /mapObjective: argument 'alpha' must be ≥ 0 \(a prior precision\); got -1/],
    [() => D.mapObjective(net, [[1]], [[0]], 1, 0), /mapObjective: argument 'beta' must be > 0 \(a noise precision\); got 0/],
    [() => D.laplaceVariance(net, [[1]], [[0]], 0, 1, [1]), /laplaceVariance: argument 'alpha' must be > 0/],
    [() => D.laplaceVariance(two, [[1, 0]], [[0, 0]], 1, 1, [1, 0]), /laplaceVariance: argument 'net' must have one output \(regression\); got 2/],
    [() => D.laplaceVariance([{ W: [[3]], b: [0], activation: 'tanh' }, { W: [[10]], b: [0], activation: 'linear' }], [[0.3], [-0.2]], [[-40], [40]], 0.01, 1, [0]), /laplaceVariance: argument 'net' gives A = αI \+ βH that is not positive definite/],
  ])('%#: %s', (call, message) => {
    expect(call).toThrowError(message);
  });
});
