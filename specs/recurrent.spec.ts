/**
 * Family M (recurrent), M1–M3: the reference against TensorFlow.js (one step with tf.matMul /
 * tf.tanh / tf.sigmoid; whole sequences with tf.layers.simpleRNN, its weights set from the notes'
 * W_hx, W_hh, b_h; BPTT against tf.grads through the unrolled sequence, and truncated BPTT
 * against tf.grads through one window per loss term, the window's first state fed in as a
 * constant), against numerical derivatives in float64 (full and directional gradients of
 * L = Σ_t dy^(t)·y^(t), step Jacobians and their products), against hand-worked examples, the
 * catalogue's properties, and input validation.
 *
 * Parametrisation mapped (tfjs-notes §6): tf.layers.simpleRNN computes h = act(x·W + b + h·U) on
 * rows, so its kernel W [D, H] is W_hxᵀ and its recurrent kernel U [H, H] is W_hhᵀ; its bias is
 * b_h. The notes' output layer y = σ_y(W_yh h + b_y) has no part in simpleRNN: it is applied to
 * the layer's returned states with tf.matMul. many-to-one is simpleRNN with returnSequences
 * false. h^(0) is the layer's initialState.
 *
 * M4 (LSTM), mapped through reference/gate-layouts.ts (toLayout/fromLayout), the one converter: the notes' W_g
 * over [h, x] (h first, column vectors) become tfjs's stacked blocks acting on rows, in tfjs's gate
 * order — tf.basicLSTMCell's [i, j, f, o] on concat([x, h]) (x first) with forgetBias 0 (or the
 * bias of f lowered by forgetBias), tf.layers.lstm's [i, f, c, o] with kernel for x and recurrent
 * kernel for h and recurrentActivation 'sigmoid' (its default is hardSigmoid, tfjs-notes §6). Both
 * mapping choices are shown to matter: the notes' order [f, i, C, o] fed to basicLSTMCell and the
 * default hardSigmoid give other numbers.
 *
 * The converter's other layouts have no tfjs oracle: PyTorch's LSTM and GRU and CS231n's stacked
 * LSTM are written here as float64 implementations of their documented equations (quoted above
 * each) and fed the converter's weights; the LSTMs equal the notes' lstmForward, PyTorch's GRU
 * (reset after the matmul) equals gruForward only for a diagonal W_h, and every round trip
 * notes → layout → notes is the identity.
 *
 * M5 (peephole LSTM) has no TensorFlow.js oracle: neither tf.basicLSTMCell nor tf.layers.lstm
 * (LSTMCell) has peephole connections (tfjs-core and tfjs-layers never mention them), and no
 * converter can fold a gate that reads the new cell C^(t) into a cell that computes o before C.
 * Its oracles are numerical derivatives (full and directional), two hand-worked fixtures (a step
 * where the old and new cells differ, its backward pass), and the reduction to M4, which is
 * itself checked against tfjs: with the peephole columns zero, the peephole LSTM is the LSTM.
 *
 * M6 (GRU) against tf.layers.gru (recurrentActivation 'sigmoid', blocks [z, r, h], one bias [3H]),
 * through the same converter. tfjs applies the reset gate BEFORE the matmul, (r ⊙ h)·U_h, as the
 * notes do (tfjs-layers GRUCell; resetAfter true throws), so that needs no mapping: the spec shows
 * tfjs reproducing the notes on the fixture and not the reset-after form r ⊙ (W_h h). The mapping
 * that is needed is the update: tfjs keeps the share z of the old state, h′ = z·h + (1 − z)·h̃, the
 * notes the share 1 − z; since 1 − σ(a) = σ(−a), tfjs's z block carries −W_z and −b_z. Without that
 * sign tfjs gives the notes' formula with z and 1 − z swapped (shown on the fixture). The notes'
 * GRU has no biases: absent biases are zero biases for tfjs.
 *
 * M1's captioning-style building blocks (batch form, rows = examples, as in the CS231n captioning
 * assignment): the embedding against tf.gather(W, x) (the same rows, so EXACT at float32 inputs) and
 * its backward pass against tf.grad of Σ dout ⊙ gather(W, x) in W (tfjs's gather gradient is an
 * unsorted segment sum, so repeated words add); the temporal affine layer against tf.matMul on x
 * reshaped to [N·T, D] plus b, and tf.grads; the temporal softmax loss against
 * tf.losses.softmaxCrossEntropy(one-hot(y), scores, weights = mask, labelSmoothing 0,
 * Reduction.SUM) divided by N (tfjs's SUM_BY_NONZERO_WEIGHTS default would divide by the mask
 * count, the mutant the graders reject), and its gradient by tf.grad of that loss.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bpttFixedPoint, clipExample, elmanBatchBackwardStep, elmanBatchFixedPoint, elmanBatchStep, elmanTwoSteps, embeddingExample, temporalAffineExample, temporalLossExample, gruConstantGates, gruOneStep, jacobianPowers, lstmCellPath, lstmOneStep, peepholeBackwardStep, peepholeOneStep } from '../fixtures/recurrent.fixtures.ts';
import { EXACT, FLOAT64 } from '../graders/engine/checks.ts';
import { directionalCheck, numericalGradient, numericalJacobian } from '../reference/gradcheck.ts';
import { createRandom } from '../reference/random.ts';
import * as M from '../reference/recurrent.ts';
import { expectAllClose } from './support/expect.ts';
import { fromLayout, GATE_ORDER, toLayout } from '../reference/gate-layouts.ts';
import { f32, oracle, run, tf } from './support/tf.ts';
import { NUMERIC_REL_ERROR, TF_COMPOSITE, TF_RNN } from './support/tolerances.ts';

const backend = await oracle();

type Vec = number[];
type Mat = number[][];
type Opts = Required<M.RnnOptions>;

const sum = (v: Vec) => v.reduce((a, b) => a + b, 0);
const dot = (a: Vec, b: Vec) => a.reduce((s, v, i) => s + v * b[i], 0);
const tr = (m: Mat): Mat => m[0].map((_, j) => m.map((row) => row[j]));
const normwiseError = (a: Vec, b: Vec) => Math.max(...a.map((v, i) => Math.abs(v - b[i]))) / Math.max(1e-300, ...a.map(Math.abs), ...b.map(Math.abs));
const frobenius = (m: Mat) => Math.hypot(...m.flat());

// ---------------------------------------------------------------------------------------------
// inputs: D, H, K ≤ 4, T ≤ 6, entries in [−1, 1] (weights scaled so that states stay off saturation)

interface Case {
  xs: Vec[];
  h0: Vec;
  params: M.RnnParams;
  dy: Vec[];
  opts: Opts;
}
/** Thousandths in [−1, 1]: ordinary magnitudes (fast-check's doubles favour 1e−300, where a central difference is all rounding). */
const entry = fc.integer({ min: -1000, max: 1000 }).map((v) => v / 1000);
const matOf = (r: number, c: number, e = entry) => fc.array(fc.array(e, { minLength: c, maxLength: c }), { minLength: r, maxLength: r });
const vecOf = (n: number, e = entry) => fc.array(e, { minLength: n, maxLength: n });
const optsArb: fc.Arbitrary<Opts> = fc.record({
  activation: fc.constantFrom<M.HiddenActivation>('tanh', 'sigmoid'),
  output: fc.constantFrom<M.OutputActivation>('linear', 'sigmoid', 'tanh'),
  mode: fc.constantFrom<M.RnnMode>('many-to-many', 'many-to-one'),
});
const rnnCase = (o: { maxT?: number; opts?: fc.Arbitrary<Opts> } = {}): fc.Arbitrary<Case> =>
  fc.record({ D: fc.integer({ min: 1, max: 4 }), H: fc.integer({ min: 1, max: 4 }), K: fc.integer({ min: 1, max: 3 }), T: fc.integer({ min: 1, max: o.maxT ?? 6 }), opts: o.opts ?? optsArb }).chain((g) =>
    fc.record({
      xs: matOf(g.T, g.D),
      h0: vecOf(g.H),
      params: fc.record({ Whx: matOf(g.H, g.D), Whh: matOf(g.H, g.H), bh: vecOf(g.H), Wyh: matOf(g.K, g.H), by: vecOf(g.K) }),
      dy: matOf(g.opts.mode === 'many-to-one' ? 1 : g.T, g.K),
      opts: fc.constant(g.opts),
    }),
  );

/** Every parameter, h^(0) and the inputs packed in one vector, in the order of RnnGradients. */
function pack(c: Case): Vec {
  const p = c.params;
  return [...p.Whx.flat(), ...p.Whh.flat(), ...p.bh, ...p.Wyh.flat(), ...p.by, ...c.h0, ...c.xs.flat()];
}
function unpack(v: Vec, c: Case): Case {
  let at = 0;
  const take = (n: number) => v.slice(at, (at += n));
  const rows = (r: number, k: number) => Array.from({ length: r }, () => take(k));
  const [H, D, K, T] = [c.params.Whh.length, c.params.Whx[0].length, c.params.Wyh.length, c.xs.length];
  const params = { Whx: rows(H, D), Whh: rows(H, H), bh: take(H), Wyh: rows(K, H), by: take(K) };
  return { ...c, params, h0: take(H), xs: rows(T, D) };
}
const packGrads = (g: M.RnnGradients): Vec => [...g.dWhx.flat(), ...g.dWhh.flat(), ...g.dbh, ...g.dWyh.flat(), ...g.dby, ...g.dh0, ...g.dxs.flat()];
/** L = Σ_t dy^(t)·y^(t) as a function of everything packed. */
const lossOf = (c: Case) => (v: Vec) => {
  const u = unpack(v, c);
  return sum(M.rnnForward(u.xs, u.h0, u.params, u.opts).y.map((y, j) => dot(y, c.dy[j])));
};

// ---------------------------------------------------------------------------------------------
// the tfjs side: column vectors of the notes become rows (h = act(x W_hxᵀ + h W_hhᵀ + b_h))

const actTf = (a: M.HiddenActivation | M.OutputActivation, z: tf.Tensor) => (a === 'tanh' ? tf.tanh(z) : a === 'sigmoid' ? tf.sigmoid(z) : z);
interface TfParams {
  Whx: tf.Tensor2D;
  Whh: tf.Tensor2D;
  bh: tf.Tensor1D;
  Wyh: tf.Tensor2D;
  by: tf.Tensor1D;
}
/** One step on a row h [1, H]: σ_h(x W_hxᵀ + h W_hhᵀ + b_h). */
const stepTf = (p: TfParams, x: tf.Tensor2D, h: tf.Tensor2D, a: M.HiddenActivation) => actTf(a, tf.add(tf.add(tf.matMul(x, p.Whx, false, true), tf.matMul(h, p.Whh, false, true)), p.bh)) as tf.Tensor2D;
const outTf = (p: TfParams, h: tf.Tensor2D, a: M.OutputActivation) => actTf(a, tf.add(tf.matMul(h, p.Wyh, false, true), p.by)) as tf.Tensor2D;
/** L = Σ_t dy^(t)·y^(t) of the steps first … T−1 (0-based) from the state h, outputs only at `outputs`. */
function lossTf(p: TfParams, xs: tf.Tensor2D[], h: tf.Tensor2D, c: Case, first: number, outputs: number[]): tf.Scalar {
  let total = tf.scalar(0);
  let state = h;
  for (let t = first; t < xs.length; t++) {
    state = stepTf(p, xs[t], state, c.opts.activation);
    const j = c.opts.mode === 'many-to-one' ? (t === c.xs.length - 1 ? 0 : -1) : t;
    if (j >= 0 && outputs.includes(t)) total = tf.add(total, tf.sum(tf.mul(outTf(p, state, c.opts.output), tf.tensor2d([c.dy[j]]))));
  }
  return total;
}
const tensorsOf = (c: Case) => ({
  p: { Whx: tf.tensor2d(c.params.Whx), Whh: tf.tensor2d(c.params.Whh), bh: tf.tensor1d(c.params.bh), Wyh: tf.tensor2d(c.params.Wyh), by: tf.tensor1d(c.params.by) },
  h0: tf.tensor2d([c.h0]),
  xs: c.xs.map((x) => tf.tensor2d([x])),
});
/** The tf.grads of `loss` as RnnGradients (rows back to column vectors). */
function gradsTf(c: Case, loss: (p: TfParams, h0: tf.Tensor2D, xs: tf.Tensor2D[]) => tf.Scalar): M.RnnGradients {
  const T = c.xs.length;
  const [dWhx, dWhh, dbh, dWyh, dby, dh0, ...dxs] = run(() => {
    const { p, h0, xs } = tensorsOf(c);
    // + 0·Σ(every input): tf.grads throws for an input the loss never reads (x^(1) in a window that starts later)
    const f = (...a: tf.Tensor[]) =>
      tf.add(loss({ Whx: a[0] as tf.Tensor2D, Whh: a[1] as tf.Tensor2D, bh: a[2] as tf.Tensor1D, Wyh: a[3] as tf.Tensor2D, by: a[4] as tf.Tensor1D }, a[5] as tf.Tensor2D, a.slice(6) as tf.Tensor2D[]), tf.mul(0, tf.addN(a.map((t) => tf.sum(t))))) as tf.Scalar;
    return tf.grads(f)([p.Whx, p.Whh, p.bh, p.Wyh, p.by, h0, ...xs]);
  }) as [Mat, Mat, Vec, Mat, Vec, Mat, ...Mat[]];
  return { dWhx, dWhh, dbh, dWyh, dby, dh0: dh0[0], dxs: dxs.slice(0, T).map((x) => x[0]) };
}

describe(`recurrent (M1–M3) vs TensorFlow.js [${backend.label}]`, () => {
  it('M1 rnnStep = σ_h(x W_hxᵀ + h W_hhᵀ + b_h) and σ_y(h W_yhᵀ + b_y) with tf.matMul, tf.tanh, tf.sigmoid', () =>
    fc.assert(
      fc.property(rnnCase({ maxT: 1 }), (c0) => {
        const c = f32(c0);
        const r = M.rnnStep(c.xs[0], c.h0, c.params, c.opts);
        const [h, y] = run(() => {
          const { p, h0, xs } = tensorsOf(c);
          const hTf = stepTf(p, xs[0], h0, c.opts.activation);
          return [hTf, outTf(p, hTf, c.opts.output)];
        }) as [Mat, Mat];
        expectAllClose(h[0], r.h, TF_RNN, 'h');
        expectAllClose(y[0], r.y, TF_RNN, 'y');
      }),
      { numRuns: 60 },
    ));

  it('M1 rnnForward = tf.layers.simpleRNN (kernel W_hxᵀ, recurrent kernel W_hhᵀ, bias b_h, initialState h^(0); returnSequences false for many-to-one), outputs by tf.matMul', () =>
    fc.assert(
      fc.property(rnnCase(), (c0) => {
        const c = f32(c0);
        const { y, h } = M.rnnForward(c.xs, c.h0, c.params, c.opts);
        const H = c.h0.length;
        const oneToMany = c.opts.mode === 'many-to-many';
        const [states, outputs] = run(() => {
          const layer = tf.layers.simpleRNN({ units: H, returnSequences: oneToMany, activation: c.opts.activation });
          const apply = () => layer.apply(tf.tensor3d([c.xs]), { initialState: [tf.tensor2d([c.h0])] }) as tf.Tensor;
          apply(); // builds the weights
          layer.setWeights([tf.tensor2d(tr(c.params.Whx)), tf.tensor2d(tr(c.params.Whh)), tf.tensor1d(c.params.bh)]);
          const s = (oneToMany ? apply().squeeze([0]) : apply()) as tf.Tensor2D;
          return [s, actTf(c.opts.output, tf.add(tf.matMul(s, tf.tensor2d(c.params.Wyh), false, true), tf.tensor1d(c.params.by)))];
        }) as [Mat, Mat];
        expectAllClose(states, oneToMany ? h : [h[h.length - 1]], TF_RNN, 'h');
        expectAllClose(outputs, y, TF_RNN, 'y');
      }),
      { numRuns: 25 },
    ));

  it('M2 rnnBackward (full BPTT) = tf.grads of Σ_t dy^(t)·y^(t) through the unrolled sequence: every weight, h^(0) and every x^(t)', () =>
    fc.assert(
      fc.property(rnnCase(), (c0) => {
        const c = f32(c0);
        const T = c.xs.length;
        const all = Array.from({ length: T }, (_, t) => t);
        const ref = M.rnnBackward(c.dy, M.rnnForward(c.xs, c.h0, c.params, c.opts).cache);
        expectAllClose(gradsTf(c, (p, h0, xs) => lossTf(p, xs, h0, c, 0, all)), ref, TF_RNN, 'grads');
      }),
      { numRuns: 40 },
    ));

  it('M2 rnnBackward truncated to k = tf.grads of Σ_t L^(t) where L^(t) is unrolled from h^(t−k), fed in as a constant (h^(0) itself when t ≤ k)', () =>
    fc.assert(
      fc.property(rnnCase(), fc.integer({ min: 1, max: 7 }), (c0, k) => {
        const c = f32(c0);
        const T = c.xs.length;
        const { h } = M.rnnForward(c.xs, c.h0, c.params, c.opts);
        const ref = M.rnnBackward(c.dy, M.rnnForward(c.xs, c.h0, c.params, c.opts).cache, k);
        const window = gradsTf(c, (p, h0, xs) => {
          let total = tf.scalar(0);
          for (let t = 0; t < T; t++) {
            const first = Math.max(0, t - k + 1);
            const start = first === 0 ? h0 : tf.tensor2d([h[first - 1]]); // a constant: no gradient flows into earlier steps
            total = tf.add(total, lossTf(p, xs.slice(0, t + 1), start, c, first, [t]));
          }
          return total;
        });
        expectAllClose(window, ref, TF_RNN, `grads, k = ${k}`);
      }),
      { numRuns: 40 },
    ));
});

// ---------------------------------------------------------------------------------------------

describe('recurrent vs numerical derivatives (float64 central differences)', () => {
  it('M2 rnnBackward = the numerical gradient of L = Σ_t dy^(t)·y^(t) in every weight, h^(0) and x^(t): full, and along random directions', () =>
    fc.assert(
      fc.property(rnnCase(), fc.integer({ min: 1, max: 2 ** 30 }), (c, seed) => {
        const analytic = packGrads(M.rnnBackward(c.dy, M.rnnForward(c.xs, c.h0, c.params, c.opts).cache));
        expect(normwiseError(analytic, numericalGradient(lossOf(c), pack(c)))).toBeLessThan(NUMERIC_REL_ERROR);
        const rng = createRandom(seed);
        expect(directionalCheck(lossOf(c), analytic, pack(c), analytic.map(() => rng.normal())).relError).toBeLessThan(NUMERIC_REL_ERROR);
      }),
      { numRuns: 40 },
    ));

  it('M3 stepJacobians: J_t = the numerical Jacobian of h^(t) in h^(t−1) (one step at the cached x^(t), h^(t−1))', () =>
    fc.assert(
      fc.property(rnnCase(), (c) => {
        const { cache } = M.rnnForward(c.xs, c.h0, c.params, c.opts);
        M.stepJacobians(cache).forEach((J, t) => {
          const numeric = numericalJacobian((hPrev) => M.rnnStep(c.xs[t], hPrev, c.params, c.opts).h, t === 0 ? c.h0 : cache.h[t - 1]);
          expect(normwiseError(J.flat(), numeric.flat())).toBeLessThan(NUMERIC_REL_ERROR);
        });
      }),
      { numRuns: 40 },
    ));

  it('M3 jacobianProduct(cache, t, k) = the numerical Jacobian of h^(t) in h^(k) (the sequence rerun from h^(k))', () =>
    fc.assert(
      fc.property(rnnCase().chain((c) => fc.tuple(fc.constant(c), fc.integer({ min: 0, max: c.xs.length }).chain((t) => fc.tuple(fc.constant(t), fc.integer({ min: 0, max: t }))))), ([c, [t, k]]) => {
        const { cache } = M.rnnForward(c.xs, c.h0, c.params, c.opts);
        const P = M.jacobianProduct(cache, t, k);
        const hk = k === 0 ? c.h0 : cache.h[k - 1];
        const numeric = t === k ? numericalJacobian((v) => v, hk) : numericalJacobian((v) => M.rnnForward(c.xs.slice(k, t), v, c.params, c.opts).h[t - k - 1], hk);
        expect(normwiseError(P.flat(), numeric.flat())).toBeLessThan(NUMERIC_REL_ERROR);
      }),
      { numRuns: 40 },
    ));
});

// ---------------------------------------------------------------------------------------------

describe('recurrent: hand-worked examples (fixtures)', () => {
  it(`${elmanTwoSteps.id}: two steps of a tanh RNN with a non-symmetric W_hh`, () => {
    const { xs, h0, params } = elmanTwoSteps.input;
    const r = M.rnnForward(xs, h0, params);
    expectAllClose({ zh: r.cache.zh, h: r.h, y: r.y }, elmanTwoSteps.expected, FLOAT64);
    expectAllClose(M.rnnStep(xs[0], h0, params), { zh: elmanTwoSteps.expected.zh[0], h: elmanTwoSteps.expected.h[0], zy: elmanTwoSteps.expected.y[0], y: elmanTwoSteps.expected.y[0] }, FLOAT64);
    expect(M.rnnForward(xs, h0, params, { mode: 'many-to-one' }).y).toEqual([r.y[1]]);
    // W_hhᵀ in place of W_hh would be visible at the first step already
    expect(Math.abs(r.h[0][1] - elmanTwoSteps.transposedWhh.h1[1])).toBeGreaterThan(0.1);
  });

  it(`${bpttFixedPoint.id}: BPTT at the zero fixed point, full (∂L/∂b_h = 4.25, ∂L/∂h^(0) = 0.875) and truncated to k = 1, 2, 3`, () => {
    const { xs, h0, params, dy } = bpttFixedPoint.input;
    const { cache } = M.rnnForward(xs, h0, params);
    expect(M.rnnBackward(dy, cache)).toEqual(bpttFixedPoint.expected);
    for (const k of [1, 2] as const) expect(M.rnnBackward(dy, cache, k)).toEqual({ ...bpttFixedPoint.expected, ...bpttFixedPoint.truncated[k] });
    expect(M.rnnBackward(dy, cache, 3)).toEqual(bpttFixedPoint.expected);
  });

  it(`${jacobianPowers.id}: ∂h^(10)/∂h^(0) = diag(½^10, 1.5^10) at the zero fixed point`, () => {
    const { T, Whh } = jacobianPowers.input;
    const { cache } = M.rnnForward(Array.from({ length: T }, () => [0]), [0, 0], { Whx: [[0], [0]], Whh, bh: [0, 0], Wyh: [[1, 1]], by: [0] });
    expectAllClose(M.jacobianProduct(cache, T, 0), jacobianPowers.expected, EXACT); // powers of ½ and 3/2: exact in binary
    expect(M.stepJacobians(cache)).toEqual(Array.from({ length: T }, () => Whh));
  });

  it(`${clipExample.id}: (3, 4) clipped to norm 1 is (0.6, 0.8); with maxNorm 10 nothing changes`, () => {
    const { grads, maxNorm } = clipExample.input;
    expectAllClose(M.clipGradientNorm(grads, maxNorm), clipExample.expected, FLOAT64);
    expect(M.clipGradientNorm(grads, clipExample.unclipped)).toEqual(grads);
  });
});

// ---------------------------------------------------------------------------------------------

describe('recurrent: properties of the catalogue', () => {
  it('M1: many-to-one gives y^(T) of many-to-many; the sequence is the step chained; zero input and W_hh = 0 give σ_h(b_h) at every step; x = 0, b_h = 0, h^(0) = 0 stay at 0 under tanh', () =>
    fc.assert(
      fc.property(rnnCase(), (c) => {
        const many = M.rnnForward(c.xs, c.h0, c.params, { ...c.opts, mode: 'many-to-many' });
        expect(M.rnnForward(c.xs, c.h0, c.params, { ...c.opts, mode: 'many-to-one' }).y).toEqual([many.y[many.y.length - 1]]);
        let h = c.h0;
        c.xs.forEach((x, t) => {
          const s = M.rnnStep(x, h, c.params, c.opts);
          expect([s.h, s.y]).toEqual([many.h[t], many.y[t]]);
          h = s.h;
        });
        const zeroX = c.xs.map((x) => x.map(() => 0));
        const H = c.h0.length;
        const noRecurrence = { ...c.params, Whh: c.params.Whh.map((row) => row.map(() => 0)) };
        const sigmaB = M.rnnStep(zeroX[0], c.h0, noRecurrence, c.opts).h;
        M.rnnForward(zeroX, c.h0, noRecurrence, c.opts).h.forEach((ht) => expect(ht).toEqual(sigmaB));
        const still = M.rnnForward(zeroX, new Array<number>(H).fill(0), { ...c.params, bh: new Array<number>(H).fill(0) }, { ...c.opts, activation: 'tanh' }).h;
        expect(still.flat().every((v) => v === 0)).toBe(true);
      }),
    ));

  it('M2: truncation to k ≥ T is full BPTT; k = 1 keeps only the immediate partials (∂L/∂h^(0) from L^(1) alone); the output layer is never truncated', () =>
    fc.assert(
      fc.property(rnnCase(), fc.integer({ min: 0, max: 3 }), (c, extra) => {
        const { cache } = M.rnnForward(c.xs, c.h0, c.params, c.opts);
        const T = c.xs.length;
        const full = M.rnnBackward(c.dy, cache);
        expectAllClose(M.rnnBackward(c.dy, cache, T + extra), full, FLOAT64, `k = ${T + extra}`);
        const one = M.rnnBackward(c.dy, cache, 1);
        expect([one.dWyh, one.dby]).toEqual([full.dWyh, full.dby]);
        // k = 1: h^(0) hears only from L^(1), through W_hhᵀ(σ_h′ ⊙ W_yhᵀ δ_y^(1)); zero when step 1 has no output
        const first = M.rnnBackward(c.dy, cache, 1).dh0;
        if (c.opts.mode === 'many-to-one' && T > 1) expect(first.every((v) => v === 0)).toBe(true);
      }),
    ));

  it('M3: ‖∂h^(t)/∂h^(k)‖_F ≤ √H·(γ‖W_hh‖_F)^(t−k), γ = 1 for tanh, ¼ for the sigmoid: geometric decay when the recurrent weights are small; at the zero fixed point (tanh) the product is W_hh^(t−k), which grows when ‖W_hh‖ > 1', () =>
    fc.assert(
      fc.property(rnnCase(), fc.double({ min: 0.1, max: 3, noNaN: true }), (c, scale) => {
        const params = { ...c.params, Whh: c.params.Whh.map((row) => row.map((w) => w * scale)) };
        const { cache } = M.rnnForward(c.xs, c.h0, params, c.opts);
        const T = c.xs.length;
        const H = c.h0.length;
        const gamma = c.opts.activation === 'tanh' ? 1 : 0.25;
        for (let k = 0; k <= T; k++) expect(frobenius(M.jacobianProduct(cache, T, k))).toBeLessThanOrEqual(Math.sqrt(H) * (gamma * frobenius(params.Whh)) ** (T - k) * (1 + 1e-12) + 1e-300);
        const zero = M.rnnForward(c.xs.map((x) => x.map(() => 0)), new Array<number>(H).fill(0), { ...params, bh: new Array<number>(H).fill(0) }, { ...c.opts, activation: 'tanh' }).cache;
        let power: Mat = params.Whh.map((_, i) => params.Whh.map((__, j) => (i === j ? 1 : 0)));
        for (let t = 1; t <= T; t++) power = params.Whh.map((row) => power[0].map((_, j) => row.reduce((s, w, m) => s + w * power[m][j], 0)));
        expectAllClose(M.jacobianProduct(zero, T, 0), power, FLOAT64, 'W_hh^T');
      }),
    ));

  it('M3: clipping keeps the direction, caps the global norm at maxNorm and leaves gradients below it unchanged', () =>
    fc.assert(
      fc.property(rnnCase(), fc.double({ min: 0.01, max: 5, noNaN: true }), (c, maxNorm) => {
        const grads = M.rnnBackward(c.dy, M.rnnForward(c.xs, c.h0, c.params, c.opts).cache) as unknown as Record<string, Vec | Mat>;
        const clipped = M.clipGradientNorm(grads, maxNorm);
        const before = Object.values(grads).flatMap((v) => v.flat());
        const after = Object.values(clipped).flatMap((v) => v.flat());
        const norm = Math.hypot(...before);
        if (norm <= maxNorm) expect(clipped).toEqual(grads);
        else {
          expect(Math.abs(Math.hypot(...after) - maxNorm)).toBeLessThan(1e-12 * maxNorm);
          expectAllClose(after, before.map((g) => (g * maxNorm) / norm), FLOAT64);
        }
      }),
    ));
});

// ---------------------------------------------------------------------------------------------

describe('recurrent: invalid input is an error naming the function and the argument', () => {
  const { xs, h0, params, dy } = bpttFixedPoint.input;
  const { cache } = M.rnnForward(xs, h0, params);
  it.each([
    [() => M.rnnStep([1, 2], h0, params), /rnnStep: argument 'x' must have length 1; got length 2/],
    [() => M.rnnStep([0], [0, 0], params), /rnnStep: argument 'hPrev' must have length 1; got length 2/],
    [() => M.rnnStep([0], h0, null as never), /rnnStep: argument 'params' must be \{ Whx, Whh, bh, Wyh, by \}/],
    [() => M.rnnStep([0], h0, { ...params, Whh: [[1, 2]] }), /rnnStep: argument 'params.Whh' must have 2 columns|rnnStep: argument 'params.Whh' must have 1 columns; got 2/],
    [() => M.rnnStep([0], h0, { ...params, by: [0, 1] }), /rnnStep: argument 'params.by' must have length 1; got length 2/],
    [() => M.rnnStep([0], h0, params, { activation: 'relu' as never }), /rnnStep: argument 'options.activation' must be one of 'tanh', 'sigmoid'; got relu/],
    [() => M.rnnStep([0], h0, params, 'tanh' as never), /rnnStep: argument 'options' must be an object/],
    [() => M.rnnForward([], h0, params), /rnnForward: argument 'xs' must be a non-empty list of vectors; got an empty list/],
    [() => M.rnnForward([[0], [0, 1]], h0, params), /rnnForward: argument 'xs\[1\]' must have length 1; got length 2/],
    [() => M.rnnForward(xs, h0, params, { mode: 'one-to-many' as never }), /rnnForward: argument 'options.mode' must be one of/],
    [() => M.rnnBackward(dy, null as never), /rnnBackward: argument 'cache' must be the cache of rnnForward/],
    [() => M.rnnBackward(dy, { ...cache, h: cache.h.slice(1) }), /rnnBackward: argument 'cache.h' must hold 3 vectors; got 2/],
    [() => M.rnnBackward(dy.slice(1), cache), /rnnBackward: argument 'dy' must hold 3 vectors; got 2/],
    [() => M.rnnBackward(dy, cache, 0), /rnnBackward: argument 'truncate' must be an integer ≥ 1; got 0/],
    [() => M.rnnBackward(dy, { ...cache, zy: [[0]] }), /rnnBackward: argument 'cache.zy' must hold 3 vectors; got 1/],
    [() => M.stepJacobians({ ...cache, xs: 'x' as never }), /stepJacobians: argument 'cache.xs' must be a non-empty list of vectors/],
    [() => M.jacobianProduct(cache, 4, 0), /jacobianProduct: argument 't' must be a step 0 … T = 3; got 4/],
    [() => M.jacobianProduct(cache, 1, 2), /jacobianProduct: argument 'k' must satisfy k ≤ t = 1; got 2/],
    [() => M.jacobianProduct(cache, 1, -1), /jacobianProduct: argument 'k' must be an integer ≥ 0; got -1/],
    [() => M.clipGradientNorm({}, 1), /clipGradientNorm: argument 'grads' must be a non-empty object/],
    [() => M.clipGradientNorm([[1]] as never, 1), /clipGradientNorm: argument 'grads' must be a non-empty object of vectors and matrices; got an array/],
    [() => M.clipGradientNorm({ a: [1, Number.NaN] }, 1), /clipGradientNorm: argument 'grads.a' must contain only finite numbers/],
    [() => M.clipGradientNorm({ a: [[1], [2, 3]] }, 1), /clipGradientNorm: argument 'grads.a' must be rectangular/],
    [() => M.clipGradientNorm({ a: [1] }, 0), /clipGradientNorm: argument 'maxNorm' must be > 0; got 0/],
  ])('%#', (call, message) => {
    expect(call).toThrowError(message);
  });
});

// ---------------------------------------------------------------------------------------------
// M4 — the LSTM

interface LstmCase {
  xs: Vec[];
  h0: Vec;
  c0: Vec;
  params: M.LstmParams;
  dh: Vec[];
}
const LSTM_GATES = ['f', 'i', 'C', 'o'] as const;
const lstmCase = (o: { maxT?: number; maxDim?: number } = {}): fc.Arbitrary<LstmCase> =>
  fc.record({ D: fc.integer({ min: 1, max: o.maxDim ?? 4 }), H: fc.integer({ min: 1, max: o.maxDim ?? 4 }), T: fc.integer({ min: 1, max: o.maxT ?? 6 }) }).chain((g) =>
    fc.record({
      xs: matOf(g.T, g.D),
      h0: vecOf(g.H),
      c0: vecOf(g.H),
      params: fc.record({
        Wf: matOf(g.H, g.H + g.D), bf: vecOf(g.H), Wi: matOf(g.H, g.H + g.D), bi: vecOf(g.H),
        WC: matOf(g.H, g.H + g.D), bC: vecOf(g.H), Wo: matOf(g.H, g.H + g.D), bo: vecOf(g.H),
      }),
      dh: matOf(g.T, g.H),
    }),
  );
const lstmPack = (c: LstmCase): Vec => [...LSTM_GATES.flatMap((g) => [...c.params[`W${g}`].flat(), ...c.params[`b${g}`]]), ...c.h0, ...c.c0, ...c.xs.flat()];
const lstmPackGrads = (g: M.LstmGradients): Vec => [...LSTM_GATES.flatMap((q) => [...g[`dW${q}`].flat(), ...g[`db${q}`]]), ...g.dh0, ...g.dc0, ...g.dxs.flat()];
function lstmUnpack(v: Vec, c: LstmCase): LstmCase {
  let at = 0;
  const take = (n: number) => v.slice(at, (at += n));
  const rows = (r: number, k: number) => Array.from({ length: r }, () => take(k));
  const [H, D, T] = [c.h0.length, c.xs[0].length, c.xs.length];
  const params = {} as Record<string, Vec | Mat>;
  for (const g of LSTM_GATES) [params[`W${g}`], params[`b${g}`]] = [rows(H, H + D), take(H)];
  return { ...c, params: params as unknown as M.LstmParams, h0: take(H), c0: take(H), xs: rows(T, D) };
}
const lstmLossOf = (c: LstmCase) => (v: Vec) => {
  const u = lstmUnpack(v, c);
  return sum(M.lstmForward(u.xs, u.h0, u.c0, u.params).h.map((h, t) => dot(h, c.dh[t])));
};
/** tf.basicLSTMCell's kernel and bias as tensors, converted from the notes' gates by reference/gate-layouts.ts. */
const basicCellWeights = (p: M.LstmParams, forgetBias = 0) => {
  const { kernel, bias } = toLayout('tfjs-basicLSTMCell', p, { forgetBias });
  return { kernel: tf.tensor2d(kernel), bias: tf.tensor1d(bias) };
};
/** The sequence through tf.basicLSTMCell with the stacked kernel [D + H, 4H] and bias: [C^(t)], [h^(t)] as [1, H] rows. */
function basicCellSequence(kernel: tf.Tensor2D, bias: tf.Tensor1D, xs: tf.Tensor2D[], h0: tf.Tensor2D, c0: tf.Tensor2D, forgetBias = 0) {
  const cs: tf.Tensor2D[] = [];
  const hs: tf.Tensor2D[] = [];
  xs.forEach((x, t) => {
    const [c, h] = tf.basicLSTMCell(forgetBias, kernel, bias, x, t === 0 ? c0 : cs[t - 1], t === 0 ? h0 : hs[t - 1]);
    cs.push(c);
    hs.push(h);
  });
  return { cs, hs };
}

describe(`recurrent (M4, LSTM) vs TensorFlow.js [${backend.label}]`, () => {
  it(`M4 lstmStep = tf.basicLSTMCell with the notes' gates stacked in its order [${GATE_ORDER['tfjs-basicLSTMCell'].join(', ')}] over concat([x, h]) (j = C̃), forgetBias 0 and forgetBias 1 with b_f lowered by 1`, () =>
    fc.assert(
      fc.property(lstmCase({ maxT: 1 }), fc.constantFrom(0, 1), (c0, forgetBias) => {
        const c = f32(c0);
        const r = M.lstmStep(c.xs[0], c.h0, c.c0, c.params);
        const [cNew, hNew] = run(() => {
          const { kernel, bias } = basicCellWeights(c.params, forgetBias);
          const s = basicCellSequence(kernel, bias, [tf.tensor2d([c.xs[0]])], tf.tensor2d([c.h0]), tf.tensor2d([c.c0]), forgetBias);
          return [s.cs[0], s.hs[0]];
        }) as [Mat, Mat];
        expectAllClose(cNew[0], r.c, TF_RNN, 'C');
        expectAllClose(hNew[0], r.h, TF_RNN, 'h');
      }),
      { numRuns: 60 },
    ));

  it("M4 the gate order matters: the notes' gates passed to tf.basicLSTMCell in the notes' order [f, i, C, o] give another cell on the fixture's step", () => {
    const { x, hPrev, cPrev, params } = lstmOneStep.input;
    // the converter stacks [i, C, f, o]; relabelled so, it puts the notes' f, i, C, o in those slots: the notes' order
    const notesOrder = { ...params, Wi: params.Wf, bi: params.bf, WC: params.Wi, bC: params.bi, Wf: params.WC, bf: params.bC };
    const cNew = run(() => {
      const { kernel, bias } = basicCellWeights(notesOrder);
      return tf.basicLSTMCell(0, kernel, bias, tf.tensor2d([x]), tf.tensor2d([cPrev]), tf.tensor2d([hPrev]))[0];
    }) as Mat;
    expect(Math.abs(cNew[0][0] - M.lstmStep(x, hPrev, cPrev, params).c[0])).toBeGreaterThan(0.1);
  });

  /** tf.layers.lstm on one sequence, weights converted from the notes' gates: [h^(1) … h^(T)] and C^(T). */
  const layersLstm = (c: LstmCase, recurrentActivation?: 'sigmoid') =>
    run(() => {
      const layer = tf.layers.lstm({ units: c.h0.length, returnSequences: true, returnState: true, ...(recurrentActivation ? { recurrentActivation } : {}) });
      const apply = () => layer.apply(tf.tensor3d([c.xs]), { initialState: [tf.tensor2d([c.h0]), tf.tensor2d([c.c0])] }) as tf.Tensor[];
      apply(); // builds the weights
      const { kernel, recurrent, bias } = toLayout('keras-lstm', c.params);
      layer.setWeights([tf.tensor2d(kernel), tf.tensor2d(recurrent), tf.tensor1d(bias)]);
      const [seq, , cLast] = apply();
      return [seq.squeeze([0]), cLast];
    }) as [Mat, Mat];

  it(`M4 lstmForward = tf.layers.lstm (recurrentActivation 'sigmoid', kernel, recurrent kernel and bias from the notes' gates in its order [${GATE_ORDER['keras-lstm'].join(', ')}], initialState [h^(0), C^(0)], returnSequences, returnState for C^(T))`, () =>
    fc.assert(
      fc.property(lstmCase(), (c0) => {
        const c = f32(c0);
        const r = M.lstmForward(c.xs, c.h0, c.c0, c.params);
        const [states, cLast] = layersLstm(c, 'sigmoid');
        expectAllClose(states, r.h, TF_RNN, 'h');
        expectAllClose(cLast[0], r.c[r.c.length - 1], TF_RNN, 'C^(T)');
      }),
      { numRuns: 25 },
    ));

  it("M4 tf.layers.lstm's default recurrentActivation, hardSigmoid clip(0.2a + 0.5, 0, 1), is not the notes' σ: on the fixture's step f = 0.7197 for ¾, o = 0.2803 for ¼, and h moves", () => {
    const { x, hPrev, cPrev, params } = lstmOneStep.input;
    const c = { xs: [x], h0: hPrev, c0: cPrev, params, dh: [[1]] };
    const [hard] = layersLstm(c);
    const [sigm] = layersLstm(c, 'sigmoid');
    expectAllClose(sigm[0], lstmOneStep.expected.h, TF_RNN, 'h with sigmoid');
    expect(Math.abs(hard[0][0] - lstmOneStep.expected.h[0])).toBeGreaterThan(0.01);
  });

  it('M4 lstmBackward = tf.grads of Σ_t dh^(t)·h^(t) through tf.basicLSTMCell unrolled, in its stacked kernel and bias, mapped back to every W_g, b_g by the converter; h^(0), C^(0) and x^(t)', () =>
    fc.assert(
      fc.property(lstmCase(), (c0) => {
        const c = f32(c0);
        const T = c.xs.length;
        const ref = M.lstmBackward(c.dh, M.lstmForward(c.xs, c.h0, c.c0, c.params).cache);
        const [dKernel, dBias, dh0, dc0, ...dxs] = run(() => {
          const { kernel, bias } = basicCellWeights(c.params);
          const f = (...a: tf.Tensor[]) => {
            const { hs } = basicCellSequence(a[0] as tf.Tensor2D, a[1] as tf.Tensor1D, a.slice(4) as tf.Tensor2D[], a[2] as tf.Tensor2D, a[3] as tf.Tensor2D);
            return tf.addN(hs.map((h, t) => tf.sum(tf.mul(h, tf.tensor2d([c.dh[t]]))))) as tf.Scalar;
          };
          return tf.grads(f)([kernel, bias, tf.tensor2d([c.h0]), tf.tensor2d([c.c0]), ...c.xs.map((x) => tf.tensor2d([x]))]);
        }) as [Mat, Vec, Mat, Mat, ...Mat[]];
        // the layout only moves entries (and transposes blocks): a permutation P of the weights, so
        // ∂L/∂(notes' weights) = Pᵀ ∂L/∂(stacked) = P⁻¹ ∂L/∂(stacked), fromLayout applied to the gradient
        const g = fromLayout('tfjs-basicLSTMCell', { kernel: dKernel, bias: dBias });
        const got = Object.fromEntries(LSTM_GATES.flatMap((q) => [[`dW${q}`, g[`W${q}`]], [`db${q}`, g[`b${q}`]]]));
        expectAllClose({ ...got, dh0: dh0[0], dc0: dc0[0], dxs: dxs.slice(0, T).map((x) => x[0]) }, ref, TF_RNN, 'grads');
      }),
      { numRuns: 40 },
    ));
});

describe('recurrent (M4, LSTM) vs numerical derivatives, hand-worked examples and properties', () => {
  it('M4 lstmBackward = the numerical gradient of L = Σ_t dh^(t)·h^(t) in every W_g, b_g, h^(0), C^(0) and x^(t): full, and along random directions', () =>
    fc.assert(
      fc.property(lstmCase(), fc.integer({ min: 1, max: 2 ** 30 }), (c, seed) => {
        const analytic = lstmPackGrads(M.lstmBackward(c.dh, M.lstmForward(c.xs, c.h0, c.c0, c.params).cache));
        expect(normwiseError(analytic, numericalGradient(lstmLossOf(c), lstmPack(c)))).toBeLessThan(NUMERIC_REL_ERROR);
        const rng = createRandom(seed);
        expect(directionalCheck(lstmLossOf(c), analytic, lstmPack(c), analytic.map(() => rng.normal())).relError).toBeLessThan(NUMERIC_REL_ERROR);
      }),
      { numRuns: 40 },
    ));

  it(`${lstmOneStep.id}: f = ¾, i = ½, C̃ = ⅘, o = ¼, C = 0.7, h = ¼·tanh 0.7; each mistake of the fixture is ≥ 0.05 away`, () => {
    const { x, hPrev, cPrev, params } = lstmOneStep.input;
    const r = M.lstmStep(x, hPrev, cPrev, params);
    expectAllClose(r, lstmOneStep.expected, FLOAT64);
    const { gatesSwapped, forgetOnCandidate, hIsOC, sigmaCandidate } = lstmOneStep.wrong;
    for (const [wrong, right] of [[gatesSwapped.c, r.c], [forgetOnCandidate.c, r.c], [hIsOC.h, r.h], [sigmaCandidate.c, r.c]]) expect(Math.abs(wrong[0] - right[0])).toBeGreaterThan(0.02);
    // the mistakes of the fixture, made with the reference's own step
    const swapped = M.lstmStep(x, hPrev, cPrev, { ...params, Wf: params.Wo, bf: params.bo, Wo: params.Wf, bo: params.bf });
    expectAllClose({ f: swapped.f, c: swapped.c, o: swapped.o, h: swapped.h }, gatesSwapped, FLOAT64);
  });

  it(`${lstmCellPath.id}: at constant gates the cell carries ∂L/∂C back through f alone: ∂L/∂C^(0) = ½·¾³ = 27/128, ∂L/∂b_C = 37/64`, () => {
    const { xs, h0, c0, params, dh } = lstmCellPath.input;
    const { cache } = M.lstmForward(xs, h0, c0, params);
    for (const [k, v] of Object.entries(lstmCellPath.states)) expectAllClose((cache as unknown as Record<string, Vec[]>)[k], xs.map(() => v), FLOAT64, k);
    expectAllClose(M.lstmBackward(dh, cache), lstmCellPath.expected, FLOAT64);
  });

  it('M4: lstmForward is lstmStep chained; the cell is a gated sum, C^(T) = (Π_t f^(t)) ⊙ C^(0) + Σ_s (Π_{t>s} f^(t)) ⊙ i^(s) ⊙ C̃^(s), and h = o ⊙ tanh C; with f = 1, i = 0 (b_f = +40, b_i = −40, W_f = W_i = 0) the cell keeps C^(0)', () =>
    fc.assert(
      fc.property(lstmCase(), (c) => {
        const r = M.lstmForward(c.xs, c.h0, c.c0, c.params);
        let [h, cell] = [c.h0, c.c0];
        c.xs.forEach((x, t) => {
          const s = M.lstmStep(x, h, cell, c.params);
          expect([s.h, s.c]).toEqual([r.h[t], r.c[t]]);
          expect([s.f, s.i, s.cTilde, s.o]).toEqual([r.cache.f[t], r.cache.i[t], r.cache.cTilde[t], r.cache.o[t]]);
          [h, cell] = [s.h, s.c];
        });
        const T = c.xs.length;
        const gated = c.c0.map((c0u, u) => {
          let total = c0u * r.cache.f.reduce((p, f) => p * f[u], 1);
          for (let s = 0; s < T; s++) total += r.cache.i[s][u] * r.cache.cTilde[s][u] * r.cache.f.slice(s + 1).reduce((p, f) => p * f[u], 1);
          return total;
        });
        expectAllClose(r.c[T - 1], gated, FLOAT64, 'C^(T)');
        r.h.forEach((ht, t) => expectAllClose(ht, r.cache.o[t].map((o, u) => o * Math.tanh(r.c[t][u])), FLOAT64, `h^(${t + 1})`));
        const H = c.h0.length;
        const zeros = c.params.Wf.map((row) => row.map(() => 0));
        const keep = M.lstmForward(c.xs, c.h0, c.c0, { ...c.params, Wf: zeros, bf: new Array<number>(H).fill(40), Wi: zeros, bi: new Array<number>(H).fill(-40) });
        keep.c.forEach((ct) => expectAllClose(ct, c.c0, { rtol: 1e-15, atol: 1e-15 }, 'C kept')); // σ(40) = 1 − 4e−18 rounds to 1, σ(−40) = 4e−18: C^(0)·1 + 4e−18·C̃
      }),
    ));

  const { x, hPrev, cPrev, params } = lstmOneStep.input;
  const { cache: lc } = M.lstmForward([x], hPrev, cPrev, params);
  it.each([
    [() => M.lstmStep([1, 2], hPrev, cPrev, params), /lstmStep: argument 'x' must have length 1; got length 2/],
    [() => M.lstmStep(x, hPrev, [0, 0], params), /lstmStep: argument 'cPrev' must have length 1; got length 2/],
    [() => M.lstmStep(x, hPrev, cPrev, null as never), /lstmStep: argument 'params' must be \{ Wf, bf, Wi, bi, WC, bC, Wo, bo \}/],
    [() => M.lstmStep(x, hPrev, cPrev, { ...params, WC: [[1]] }), /lstmStep: argument 'params.WC' must be \[H, H \+ D\] with D ≥ 1/],
    [() => M.lstmStep(x, hPrev, cPrev, { ...params, Wo: [[1, 2, 3]] }), /lstmStep: argument 'params.Wo' must have 2 columns; got 3/],
    [() => M.lstmStep(x, hPrev, cPrev, { ...params, bi: [] }), /lstmStep: argument 'params.bi'/],
    [() => M.lstmForward([], hPrev, cPrev, params), /lstmForward: argument 'xs' must be a non-empty list of vectors/],
    [() => M.lstmForward([x], hPrev, [], params), /lstmForward: argument 'c0'/],
    [() => M.lstmBackward([[1]], null as never), /lstmBackward: argument 'cache' must be the cache of the forward pass/],
    [() => M.lstmBackward([[1]], { ...lc, cTilde: [] }), /lstmBackward: argument 'cache.cTilde' must be a non-empty list/],
    [() => M.lstmBackward([[1], [1]], lc), /lstmBackward: argument 'dh' must hold 1 vectors; got 2/],
  ])('M4 invalid input %#', (call, message) => {
    expect(call).toThrowError(message);
  });
});

// ---------------------------------------------------------------------------------------------
// M5 — the peephole LSTM (no tfjs oracle: see the header)

/** An LSTM case widened to the peephole layout: W_f, W_i, W_o get H leading columns for the cell. */
const peepholeCase = (o: { maxT?: number; maxDim?: number } = {}): fc.Arbitrary<LstmCase> =>
  lstmCase(o).chain((c) => {
    const H = c.h0.length;
    return fc.record({ f: matOf(H, H), i: matOf(H, H), o: matOf(H, H) }).map((peep) => ({
      ...c,
      params: { ...c.params, Wf: c.params.Wf.map((r, u) => [...peep.f[u], ...r]), Wi: c.params.Wi.map((r, u) => [...peep.i[u], ...r]), Wo: c.params.Wo.map((r, u) => [...peep.o[u], ...r]) },
    }));
  });
const peepholeWidth = (g: (typeof LSTM_GATES)[number], H: number, D: number) => (g === 'C' ? H + D : 2 * H + D);
function peepholeUnpack(v: Vec, c: LstmCase): LstmCase {
  let at = 0;
  const take = (n: number) => v.slice(at, (at += n));
  const rows = (r: number, k: number) => Array.from({ length: r }, () => take(k));
  const [H, D, T] = [c.h0.length, c.xs[0].length, c.xs.length];
  const params = {} as Record<string, Vec | Mat>;
  for (const g of LSTM_GATES) [params[`W${g}`], params[`b${g}`]] = [rows(H, peepholeWidth(g, H, D)), take(H)];
  return { ...c, params: params as unknown as M.LstmParams, h0: take(H), c0: take(H), xs: rows(T, D) };
}
const peepholeLossOf = (c: LstmCase) => (v: Vec) => {
  const u = peepholeUnpack(v, c);
  return sum(M.peepholeLstmForward(u.xs, u.h0, u.c0, u.params).h.map((h, t) => dot(h, c.dh[t])));
};
/** The peephole columns (the first H) set to zero. */
const withoutPeepholes = (p: M.LstmParams, H: number): M.LstmParams => ({ ...p, Wf: p.Wf.map((r) => r.map((v, j) => (j < H ? 0 : v))), Wi: p.Wi.map((r) => r.map((v, j) => (j < H ? 0 : v))), Wo: p.Wo.map((r) => r.map((v, j) => (j < H ? 0 : v))) });
/** W_f, W_i, W_o without their peephole columns: the plain LSTM's weights over [h, x]. */
const plainPart = (p: M.LstmParams, H: number): M.LstmParams => ({ ...p, Wf: p.Wf.map((r) => r.slice(H)), Wi: p.Wi.map((r) => r.slice(H)), Wo: p.Wo.map((r) => r.slice(H)) });

describe('recurrent (M5, peephole LSTM) vs numerical derivatives, hand-worked examples and the reduction to M4', () => {
  it('M5 peepholeLstmBackward = the numerical gradient of L = Σ_t dh^(t)·h^(t) in every W_g (peephole columns included), b_g, h^(0), C^(0) and x^(t): full, and along random directions', () =>
    fc.assert(
      fc.property(peepholeCase(), fc.integer({ min: 1, max: 2 ** 30 }), (c, seed) => {
        const analytic = lstmPackGrads(M.peepholeLstmBackward(c.dh, M.peepholeLstmForward(c.xs, c.h0, c.c0, c.params).cache));
        expect(normwiseError(analytic, numericalGradient(peepholeLossOf(c), lstmPack(c)))).toBeLessThan(NUMERIC_REL_ERROR);
        const rng = createRandom(seed);
        expect(directionalCheck(peepholeLossOf(c), analytic, lstmPack(c), analytic.map(() => rng.normal())).relError).toBeLessThan(NUMERIC_REL_ERROR);
      }),
      { numRuns: 40 },
    ));

  it(`${peepholeOneStep.id}: C^(t−1) = 2, f = ¼, i = ¾, C̃ = ⅔, C = 1, o = σ(ln 3·C) = ¾, h = ¾·tanh 1; o peeking at the old cell, the peepholes dropped and f, i swapped are ≥ 0.1 away`, () => {
    const { x, hPrev, cPrev, params } = peepholeOneStep.input;
    const r = M.peepholeLstmStep(x, hPrev, cPrev, params);
    expectAllClose(r, peepholeOneStep.expected, FLOAT64);
    const { oSeesOldCell, peepholesDropped, fiSwapped } = peepholeOneStep.wrong;
    for (const [wrong, right] of [[oSeesOldCell.o, r.o], [peepholesDropped.c, r.c], [fiSwapped.c, r.c]]) expect(Math.abs(wrong[0] - right[0])).toBeGreaterThan(0.1);
    // two of the mistakes made with the reference's own functions: the plain LSTM on the [h, x] columns, and W_f, W_i swapped
    expectAllClose(M.lstmStep(x, hPrev, cPrev, plainPart(params, 1)), peepholesDropped, FLOAT64);
    expectAllClose(M.peepholeLstmStep(x, hPrev, cPrev, { ...params, Wf: params.Wi, bf: params.bi, Wi: params.Wf, bi: params.bf }), fiSwapped, FLOAT64);
  });

  it(`${peepholeBackwardStep.id}: ∂L/∂C = ¾(1 − tanh²1) + ln 3·3 tanh 1/16 (o's peephole), ∂L/∂C^(0) = ∂L/∂C·(2 − ln 3)/8 (f's and i's), ∂L/∂W_f = δ_f·[C^(0), h, x]`, () => {
    const { xs, h0, c0, params, dh } = peepholeBackwardStep.input;
    const { cache } = M.peepholeLstmForward(xs, h0, c0, params);
    for (const [k, v] of Object.entries(peepholeBackwardStep.states)) expectAllClose((cache as unknown as Record<string, Vec[]>)[k], [v], FLOAT64, k);
    const g = M.peepholeLstmBackward(dh, cache);
    expectAllClose(g, peepholeBackwardStep.expected, FLOAT64);
    const { oPeepholeDropped, fiPeepholesDropped, fiSeeNewCell } = peepholeBackwardStep.wrong;
    for (const [wrong, right] of [[oPeepholeDropped.dbC[0], g.dbC[0]], [fiPeepholesDropped.dc0[0], g.dc0[0]], [fiSeeNewCell.dWf[0][0], g.dWf[0][0]]]) expect(Math.abs(wrong - right)).toBeGreaterThan(0.02);
  });

  it('M5: with the peephole columns zero it is the LSTM (M4) on the remaining columns: h, c and the cache, and every gradient of lstmBackward (dW_f, dW_i, dW_o on their [h, x] columns)', () =>
    fc.assert(
      fc.property(peepholeCase(), (c) => {
        const H = c.h0.length;
        const zero = withoutPeepholes(c.params, H);
        const peep = M.peepholeLstmForward(c.xs, c.h0, c.c0, zero);
        const plain = M.lstmForward(c.xs, c.h0, c.c0, plainPart(zero, H));
        for (const k of ['f', 'i', 'cTilde', 'c', 'o', 'h'] as const) expectAllClose(peep.cache[k], plain.cache[k], FLOAT64, k);
        const gp = M.peepholeLstmBackward(c.dh, peep.cache);
        const gl = M.lstmBackward(c.dh, plain.cache);
        expectAllClose({ ...gp, dWf: gp.dWf.map((r) => r.slice(H)), dWi: gp.dWi.map((r) => r.slice(H)), dWo: gp.dWo.map((r) => r.slice(H)) }, gl, FLOAT64);
        // and the peepholes matter: moving C^(t−1)'s first unit by 1 moves f's net input by W_f's column 0
        const moved = c.c0.map((v, u) => (u === 0 ? v + 1 : v));
        if (c.params.Wf.some((r) => r[0] !== 0)) expect(M.peepholeLstmStep(c.xs[0], c.h0, moved, c.params).f).not.toEqual(M.peepholeLstmStep(c.xs[0], c.h0, c.c0, c.params).f);
      }),
    ));

  it('M5: peepholeLstmForward is peepholeLstmStep chained, the cache holds each step\'s gates, and o reads the new cell: o^(t) = σ(W_o[C^(t), h^(t−1), x^(t)] + b_o)', () =>
    fc.assert(
      fc.property(peepholeCase(), (c) => {
        const r = M.peepholeLstmForward(c.xs, c.h0, c.c0, c.params);
        let [h, cell] = [c.h0, c.c0];
        c.xs.forEach((x, t) => {
          const s = M.peepholeLstmStep(x, h, cell, c.params);
          expect([s.f, s.i, s.cTilde, s.c, s.o, s.h]).toEqual([r.cache.f[t], r.cache.i[t], r.cache.cTilde[t], r.cache.c[t], r.cache.o[t], r.cache.h[t]]);
          const o = c.params.Wo.map((row, u) => 1 / (1 + Math.exp(-(dot(row, [...s.c, ...h, ...x]) + c.params.bo[u]))));
          expectAllClose(s.o, o, FLOAT64, `o^(${t + 1})`);
          [h, cell] = [s.h, s.c];
        });
        expect([r.h, r.c]).toEqual([r.cache.h, r.cache.c]);
      }),
    ));

  const { x, hPrev, cPrev, params } = peepholeOneStep.input;
  const { cache: pc } = M.peepholeLstmForward([x], hPrev, cPrev, params);
  const { cache: lc } = M.lstmForward([lstmOneStep.input.x], lstmOneStep.input.hPrev, lstmOneStep.input.cPrev, lstmOneStep.input.params);
  it.each([
    [() => M.peepholeLstmStep(x, hPrev, cPrev, lstmOneStep.input.params), /peepholeLstmStep: argument 'params.Wf' must have 3 columns; got 2/],
    [() => M.peepholeLstmStep(x, hPrev, cPrev, { ...params, WC: [[0, 1, 2]] }), /peepholeLstmStep: argument 'params.Wf' must have 4 columns; got 3/],
    [() => M.peepholeLstmStep([1, 2], hPrev, cPrev, params), /peepholeLstmStep: argument 'x' must have length 1; got length 2/],
    [() => M.peepholeLstmForward([x], hPrev, [], params), /peepholeLstmForward: argument 'c0'/],
    [() => M.peepholeLstmBackward([[1]], lc), /peepholeLstmBackward: argument 'cache.params.Wf' must have 3 columns; got 2/],
    [() => M.peepholeLstmBackward([[1], [1]], pc), /peepholeLstmBackward: argument 'dh' must hold 1 vectors; got 2/],
  ])('M5 invalid input %#', (call, message) => {
    expect(call).toThrowError(message);
  });
});

// ---------------------------------------------------------------------------------------------
// M6 — the GRU

interface GruCase {
  xs: Vec[];
  h0: Vec;
  params: M.GruParams;
  dh: Vec[];
}
const GRU_W = ['Wz', 'Wr', 'W'] as const;
const GRU_B = ['bz', 'br', 'b'] as const;
const gruCase = (o: { maxT?: number; biases?: boolean } = {}): fc.Arbitrary<GruCase> =>
  fc.record({ D: fc.integer({ min: 1, max: 4 }), H: fc.integer({ min: 1, max: 4 }), T: fc.integer({ min: 1, max: o.maxT ?? 6 }), biases: o.biases === undefined ? fc.boolean() : fc.constant(o.biases) }).chain((g) =>
    fc.record({
      xs: matOf(g.T, g.D),
      h0: vecOf(g.H),
      params: fc.record({ Wz: matOf(g.H, g.H + g.D), Wr: matOf(g.H, g.H + g.D), W: matOf(g.H, g.H + g.D), ...(g.biases ? { bz: vecOf(g.H), br: vecOf(g.H), b: vecOf(g.H) } : {}) }) as fc.Arbitrary<M.GruParams>,
      dh: matOf(g.T, g.H),
    }),
  );
/** The biases' values, zeros where the notes' form omits them. */
const gruBias = (p: M.GruParams, k: (typeof GRU_B)[number]) => p[k] ?? p.W.map(() => 0);
const gruPack = (c: GruCase): Vec => [...GRU_W.flatMap((k, j) => [...c.params[k].flat(), ...gruBias(c.params, GRU_B[j])]), ...c.h0, ...c.xs.flat()];
const gruPackGrads = (g: M.GruGradients): Vec => [...g.dWz.flat(), ...g.dbz, ...g.dWr.flat(), ...g.dbr, ...g.dW.flat(), ...g.db, ...g.dh0, ...g.dxs.flat()];
function gruUnpack(v: Vec, c: GruCase): GruCase {
  let at = 0;
  const take = (n: number) => v.slice(at, (at += n));
  const rows = (r: number, k: number) => Array.from({ length: r }, () => take(k));
  const [H, D, T] = [c.h0.length, c.xs[0].length, c.xs.length];
  const params = { Wz: rows(H, H + D), bz: take(H), Wr: rows(H, H + D), br: take(H), W: rows(H, H + D), b: take(H) };
  return { ...c, params, h0: take(H), xs: rows(T, D) };
}
const gruLossOf = (c: GruCase) => (v: Vec) => {
  const u = gruUnpack(v, c);
  return sum(M.gruForward(u.xs, u.h0, u.params).h.map((h, t) => dot(h, c.dh[t])));
};
/** tf.layers.gru (recurrentActivation 'sigmoid') on one sequence, its weights from the notes' through reference/gate-layouts.ts; `noSign` leaves W_z unnegated. */
const layersGru = (c: { xs: Vec[]; h0: Vec; params: M.GruParams }, noSign = false) =>
  run(() => {
    const layer = tf.layers.gru({ units: c.h0.length, returnSequences: true, recurrentActivation: 'sigmoid' });
    const apply = () => layer.apply(tf.tensor3d([c.xs]), { initialState: [tf.tensor2d([c.h0])] }) as tf.Tensor;
    apply(); // builds the weights
    const p = c.params;
    // noSign cancels the converter's sign: tfjs then keeps the share σ(W_z[h, x]) of the old state
    const given = noSign ? { ...p, Wz: p.Wz.map((row) => row.map((v) => -v)), bz: gruBias(p, 'bz').map((v) => -v) } : p;
    const { kernel, recurrent, bias } = toLayout('keras-gru', given);
    layer.setWeights([tf.tensor2d(kernel), tf.tensor2d(recurrent), tf.tensor1d(bias)]);
    return apply().squeeze([0]);
  }) as Mat;

describe(`recurrent (M6, GRU) vs TensorFlow.js [${backend.label}]`, () => {
  it(`M6 gruForward = tf.layers.gru (recurrentActivation 'sigmoid', blocks [${GATE_ORDER['keras-gru'].join(', ')}] from the notes' W_z (negated), W_r, W, initialState h^(0)), with and without biases`, () =>
    fc.assert(
      fc.property(gruCase(), (c0) => {
        const c = f32(c0);
        expectAllClose(layersGru(c), M.gruForward(c.xs, c.h0, c.params).h, TF_RNN, 'h');
      }),
      { numRuns: 25 },
    ));

  it("M6 on the fixture's step tfjs gives the notes' h (reset before the matmul, as tfjs does too), not the reset-after form r ⊙ (W_h h); without the sign on W_z it gives z and 1 − z swapped", () => {
    const c = { xs: [gruOneStep.input.x], h0: gruOneStep.input.hPrev, params: gruOneStep.input.params };
    const h = layersGru(c)[0];
    expectAllClose(h, gruOneStep.expected.h, TF_RNN, 'h');
    expect(Math.max(...h.map((v, u) => Math.abs(v - gruOneStep.wrong.resetAfter.h[u])))).toBeGreaterThan(0.1);
    expectAllClose(layersGru(c, true)[0], gruOneStep.wrong.zSwapped.h, TF_RNN, 'h, z unnegated');
  });

  it('M6 gruBackward = tf.grads of Σ_t dh^(t)·h^(t) through tfjs-layers\' GRU equations unrolled (z_tf = σ(x K_z + h U_z + b_z), h′ = z_tf·h + (1 − z_tf)·tanh(x K_h + b_h + (r ⊙ h) U_h)), in its stacked kernels and bias, mapped back to the notes\' weights by the converter', () =>
    fc.assert(
      fc.property(gruCase(), (c0) => {
        const c = f32(c0);
        const T = c.xs.length;
        const H = c.h0.length;
        const ref = M.gruBackward(c.dh, M.gruForward(c.xs, c.h0, c.params).cache);
        const stacked = toLayout('keras-gru', c.params);
        const grads = run(() => {
          const inputs = [tf.tensor2d(stacked.kernel), tf.tensor2d(stacked.recurrent), tf.tensor1d(stacked.bias), tf.tensor2d([c.h0]), ...c.xs.map((x) => tf.tensor2d([x]))];
          const f = (...a: tf.Tensor[]) => {
            const [kernel, recurrent, bias] = a as [tf.Tensor2D, tf.Tensor2D, tf.Tensor1D];
            const part = (m: tf.Tensor2D | tf.Tensor1D, k: number) => (m.rank === 2 ? tf.slice(m, [0, k * H], [-1, H]) : tf.slice(m, [k * H], [H]));
            let h = a[3] as tf.Tensor2D;
            let total = tf.scalar(0);
            (a.slice(4) as tf.Tensor2D[]).forEach((x, t) => {
              const z = tf.sigmoid(tf.add(tf.add(tf.matMul(x, part(kernel, 0) as tf.Tensor2D), tf.matMul(h, part(recurrent, 0) as tf.Tensor2D)), part(bias, 0)));
              const r = tf.sigmoid(tf.add(tf.add(tf.matMul(x, part(kernel, 1) as tf.Tensor2D), tf.matMul(h, part(recurrent, 1) as tf.Tensor2D)), part(bias, 1)));
              const hh = tf.tanh(tf.add(tf.add(tf.matMul(x, part(kernel, 2) as tf.Tensor2D), part(bias, 2)), tf.matMul(tf.mul(r, h), part(recurrent, 2) as tf.Tensor2D)));
              h = tf.add(tf.mul(z, h), tf.mul(tf.sub(1, z), hh)) as tf.Tensor2D;
              total = tf.add(total, tf.sum(tf.mul(h, tf.tensor2d([c.dh[t]]))));
            });
            return total;
          };
          return tf.grads(f)(inputs);
        }) as unknown[];
        const [kernel, recurrent, bias, dh0, ...dxs] = grads as [Mat, Mat, Vec, Mat, ...Mat[]];
        // a permutation of the weights with the z block's sign flipped: its own inverse transpose, so fromLayout maps the gradient back
        const g = fromLayout('keras-gru', { kernel, recurrent, bias });
        expectAllClose({ dWz: g.Wz, dbz: g.bz, dWr: g.Wr, dbr: g.br, dW: g.W, db: g.b, dh0: dh0[0], dxs: dxs.slice(0, T).map((x) => x[0]) }, ref, TF_RNN, 'grads');
      }),
      { numRuns: 40 },
    ));
});

describe('recurrent (M6, GRU) vs numerical derivatives, the hand-worked step and properties', () => {
  it('M6 gruBackward = the numerical gradient of L = Σ_t dh^(t)·h^(t) in W_z, W_r, W, the biases, h^(0) and x^(t): full, and along random directions', () =>
    fc.assert(
      fc.property(gruCase({ biases: true }), fc.integer({ min: 1, max: 2 ** 30 }), (c, seed) => {
        const analytic = gruPackGrads(M.gruBackward(c.dh, M.gruForward(c.xs, c.h0, c.params).cache));
        expect(normwiseError(analytic, numericalGradient(gruLossOf(c), gruPack(c)))).toBeLessThan(NUMERIC_REL_ERROR);
        const rng = createRandom(seed);
        expect(directionalCheck(gruLossOf(c), analytic, gruPack(c), analytic.map(() => rng.normal())).relError).toBeLessThan(NUMERIC_REL_ERROR);
      }),
      { numRuns: 40 },
    ));

  it('M6 without biases, the bias gradients are those at zero biases', () =>
    fc.assert(
      fc.property(gruCase({ biases: false }), (c) => {
        const zero = { ...c.params, bz: gruBias(c.params, 'bz'), br: gruBias(c.params, 'br'), b: gruBias(c.params, 'b') };
        expect(M.gruBackward(c.dh, M.gruForward(c.xs, c.h0, c.params).cache)).toEqual(M.gruBackward(c.dh, M.gruForward(c.xs, c.h0, zero).cache));
      }),
    ));

  it(`${gruOneStep.id}: z = [¾, ¾], r = [¾, ¼], h̃ = [tanh ¼, tanh ¾], h = ¼ + ¾·h̃; the fixture's mistakes are ≥ 0.1 away`, () => {
    const { x, hPrev, params } = gruOneStep.input;
    const r = M.gruStep(x, hPrev, params);
    expectAllClose(r, gruOneStep.expected, FLOAT64);
    for (const wrong of [gruOneStep.wrong.zSwapped.h, gruOneStep.wrong.resetAfter.h]) expect(Math.max(...wrong.map((v, u) => Math.abs(v - r.h[u])))).toBeGreaterThan(0.1);
  });

  it(`${gruConstantGates.id}: constant gates z = r = ½, h̃ = 0: ∂L/∂h^(0) = ¼, ∂L/∂b_z = −¼, ∂L/∂b = ¾ (gradients at the omitted biases)`, () => {
    const { xs, h0, params, dh } = gruConstantGates.input;
    const { cache } = M.gruForward(xs, h0, params);
    expectAllClose({ z: cache.z, r: cache.r, hTilde: cache.hTilde, h: cache.h }, gruConstantGates.states, EXACT); // σ(0) = ½, tanh 0 = 0, halvings: exact in binary
    expectAllClose(M.gruBackward(dh, cache), gruConstantGates.expected, FLOAT64);
  });

  it('M6: gruForward is gruStep chained; with z = 0 (W_z = 0, b_z = −40) the state keeps h^(0); with z = 1 (b_z = +40) h^(t) = h̃^(t)', () =>
    fc.assert(
      fc.property(gruCase(), (c) => {
        const r = M.gruForward(c.xs, c.h0, c.params);
        let h = c.h0;
        c.xs.forEach((x, t) => {
          const s = M.gruStep(x, h, c.params);
          expect([s.z, s.r, s.hTilde, s.h]).toEqual([r.cache.z[t], r.cache.r[t], r.cache.hTilde[t], r.h[t]]);
          h = s.h;
        });
        const H = c.h0.length;
        const zeroWz = c.params.Wz.map((row) => row.map(() => 0));
        M.gruForward(c.xs, c.h0, { ...c.params, Wz: zeroWz, bz: new Array<number>(H).fill(-40) }).h.forEach((ht) => expectAllClose(ht, c.h0, { rtol: 1e-15, atol: 1e-15 }, 'h kept')); // σ(−40) = 4e−18
        const open = M.gruForward(c.xs, c.h0, { ...c.params, Wz: zeroWz, bz: new Array<number>(H).fill(40) });
        open.h.forEach((ht, t) => expectAllClose(ht, open.cache.hTilde[t], { rtol: 1e-15, atol: 1e-15 }, 'h = h̃'));
      }),
    ));

  const { x, hPrev, params } = gruOneStep.input;
  const { cache: gc } = M.gruForward([x], hPrev, params);
  it.each([
    [() => M.gruStep([1, 2], hPrev, params), /gruStep: argument 'x' must have length 1; got length 2/],
    [() => M.gruStep(x, [1], params), /gruStep: argument 'hPrev' must have length 2; got length 1/],
    [() => M.gruStep(x, hPrev, null as never), /gruStep: argument 'params' must be \{ Wz, Wr, W, bz\?, br\?, b\? \}/],
    [() => M.gruStep(x, hPrev, { ...params, W: [[1, 2], [3, 4]] }), /gruStep: argument 'params.W' must be \[H, H \+ D\] with D ≥ 1/],
    [() => M.gruStep(x, hPrev, { ...params, bz: [1] }), /gruStep: argument 'params.bz' must have length 2; got length 1/],
    [() => M.gruForward([], hPrev, params), /gruForward: argument 'xs' must be a non-empty list of vectors/],
    [() => M.gruBackward([[1, 1]], null as never), /gruBackward: argument 'cache' must be the cache of gruForward/],
    [() => M.gruBackward([[1, 1]], { ...gc, r: [] }), /gruBackward: argument 'cache.r' must be a non-empty list/],
    [() => M.gruBackward([[1]], gc), /gruBackward: argument 'dh\[0\]' must have length 2; got length 1/],
  ])('M6 invalid input %#', (call, message) => {
    expect(call).toThrowError(message);
  });
});

// ---------------------------------------------------------------------------------------------
// M1, batch form: word embedding, temporal affine, temporal softmax loss with a mask

type T3 = number[][][];
const int = (lo: number, hi: number) => fc.integer({ min: lo, max: hi });
const cell = fc.integer({ min: -2000, max: 2000 }).map((v) => v / 1000);
const t3 = (N: number, T: number, D: number) => fc.array(fc.array(fc.array(cell, { minLength: D, maxLength: D }), { minLength: T, maxLength: T }), { minLength: N, maxLength: N });
const m2 = (N: number, T: number, a: fc.Arbitrary<number>) => fc.array(fc.array(a, { minLength: T, maxLength: T }), { minLength: N, maxLength: N });
// V ≥ 2: tf.oneHot needs depth ≥ 2
const embedCase = fc.record({ N: int(1, 3), T: int(1, 4), V: int(2, 5), D: int(1, 3) }).chain(({ N, T, V, D }) =>
  fc.record({ x: m2(N, T, int(0, V - 1)), W: m2(V, D, cell), dout: t3(N, T, D), V: fc.constant(V) }));
const affineCase = fc.record({ N: int(1, 3), T: int(1, 4), D: int(1, 3), M: int(1, 3) }).chain(({ N, T, D, M }) =>
  fc.record({ x: t3(N, T, D), w: m2(D, M, cell), b: fc.array(cell, { minLength: M, maxLength: M }), dout: t3(N, T, M) }));
const lossCase = fc.record({ N: int(1, 3), T: int(1, 4), V: int(2, 4) }).chain(({ N, T, V }) =>
  fc.record({ scores: t3(N, T, V), y: m2(N, T, int(0, V - 1)), mask: m2(N, T, int(0, 1)) }));
const flat3 = (a: T3): Vec => a.flat(2);
const reshape3 = (v: Vec, like: T3): T3 => { let k = 0; return like.map((m) => m.map((r) => r.map(() => v[k++]))); };
const reshape2 = (v: Vec, like: Mat): Mat => { let k = 0; return like.map((r) => r.map(() => v[k++])); };

describe(`recurrent (M1, captioning building blocks, batch form) vs TensorFlow.js [${backend.label}]`, () => {
  it('wordEmbeddingForward = tf.gather(W, x) = tf.matMul(tf.oneHot(x, V), W); wordEmbeddingBackward = tf.grad of Σ dout ⊙ (one-hot(x) W) in W (repeated words add)', () =>
    fc.assert(fc.property(embedCase, (c0) => {
      const c = f32(c0);
      const [out, dW, viaOneHot] = run(() => {
        const W = tf.tensor2d(c.W);
        const x = tf.tensor2d(c.x, undefined, 'int32');
        // the one-hot product, not gather, for the gradient: gather's gradient is UnsortedSegmentSum, which wasm lacks (tfjs-notes §7)
        const embed = (w: tf.Tensor) => tf.matMul(tf.oneHot(tf.reshape(x, [-1]) as tf.Tensor1D, c.V), w as tf.Tensor2D).reshape([c.x.length, c.x[0].length, c.W[0].length]);
        const g = tf.grad((w: tf.Tensor) => tf.sum(tf.mul(embed(w), tf.tensor3d(c.dout))))(W);
        return [tf.gather(W, x), g, embed(W)];
      }) as [T3, Mat, T3];
      expectAllClose(M.wordEmbeddingForward(c.x, c.W), out, EXACT, 'out'); // the same float32 rows copied
      expectAllClose(M.wordEmbeddingForward(c.x, c.W), viaOneHot, EXACT, 'one-hot(x) W'); // one product by 1, the others by 0: exact
      expectAllClose(M.wordEmbeddingBackward(c.dout, c.x, c.V), dW, TF_COMPOSITE, 'dW'); // float32 sums of ≤ N·T rows
    }), { numRuns: 60 }));

  it('temporalAffineForward = tf.matMul(x as [N·T, D], w) + b; the backward pass = tf.grads of Σ dout ⊙ out in x, w, b', () =>
    fc.assert(fc.property(affineCase, (c0) => {
      const c = f32(c0);
      const [N, T, D] = [c.x.length, c.x[0].length, c.w.length];
      const f = (x: tf.Tensor, w: tf.Tensor, b: tf.Tensor) => tf.add(tf.matMul(tf.reshape(x, [N * T, D]) as tf.Tensor2D, w as tf.Tensor2D), b).reshape([N, T, c.b.length]);
      const [out, dx, dw, db] = run(() => {
        const args = [tf.tensor3d(c.x), tf.tensor2d(c.w), tf.tensor1d(c.b)];
        const gs = tf.grads((x: tf.Tensor, w: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(f(x, w, b), tf.tensor3d(c.dout))))(args);
        return [f(args[0], args[1], args[2]), ...gs];
      }) as [T3, T3, Mat, Vec];
      // matMul then add, each rounding to float32, with cancellation: TF_COMPOSITE
      expectAllClose(M.temporalAffineForward(c.x, c.w, c.b), out, TF_COMPOSITE, 'out');
      expectAllClose(M.temporalAffineBackward(c.dout, c.x, c.w), { dx, dw, db }, TF_COMPOSITE, 'gradients');
    }), { numRuns: 60 }));

  it('temporalSoftmaxLoss = tf.losses.softmaxCrossEntropy(one-hot y, scores, weights = mask, 0, Reduction.SUM)/N, dx = its tf.grad', () =>
    fc.assert(fc.property(lossCase, (c0) => {
      const c = f32(c0);
      const [N, T, V] = [c.scores.length, c.scores[0].length, c.scores[0][0].length];
      const lossTf = (s: tf.Tensor) => tf.div(tf.losses.softmaxCrossEntropy(tf.oneHot(tf.tensor1d(c.y.flat(), 'int32'), V), tf.reshape(s, [N * T, V]), tf.tensor1d(c.mask.flat()), 0, tf.Reduction.SUM), N);
      const [loss, dx] = run(() => {
        const s = tf.tensor3d(c.scores);
        return [lossTf(s), tf.grad(lossTf)(s)];
      }) as [number, T3];
      const r = M.temporalSoftmaxLoss(c.scores, c.y, c.mask);
      expectAllClose(r.loss, loss, TF_COMPOSITE, 'loss'); // logSoftmax and a sum in float32
      expectAllClose(r.dx, dx, TF_COMPOSITE, 'dx');
    }), { numRuns: 60 }));
});

describe('recurrent (M1, captioning building blocks) vs numerical derivatives, hand-worked examples and properties', () => {
  it('wordEmbeddingBackward, temporalAffineBackward and temporalSoftmaxLoss\'s dx = the numerical gradient of their losses, full and along random directions', () =>
    fc.assert(fc.property(embedCase, affineCase, lossCase, fc.integer({ min: 1, max: 2 ** 30 }), (e, a, l, seed) => {
      const rng = createRandom(seed);
      const check = (f: (v: Vec) => number, analytic: Vec, at: Vec) => {
        expect(normwiseError(analytic, numericalGradient(f, at))).toBeLessThan(NUMERIC_REL_ERROR);
        expect(directionalCheck(f, analytic, at, analytic.map(() => rng.normal())).relError).toBeLessThan(NUMERIC_REL_ERROR);
      };
      const Le = (v: Vec) => dot(flat3(M.wordEmbeddingForward(e.x, reshape2(v, e.W))), flat3(e.dout));
      check(Le, M.wordEmbeddingBackward(e.dout, e.x, e.V).flat(), e.W.flat());
      const g = M.temporalAffineBackward(a.dout, a.x, a.w);
      const La = (v: Vec) => {
        const nx = flat3(a.x).length, nw = a.w.flat().length;
        return dot(flat3(M.temporalAffineForward(reshape3(v.slice(0, nx), a.x), reshape2(v.slice(nx, nx + nw), a.w), v.slice(nx + nw))), flat3(a.dout));
      };
      check(La, [...flat3(g.dx), ...g.dw.flat(), ...g.db], [...flat3(a.x), ...a.w.flat(), ...a.b]);
      const Ll = (v: Vec) => M.temporalSoftmaxLoss(reshape3(v, l.scores), l.y, l.mask).loss;
      const dx = flat3(M.temporalSoftmaxLoss(l.scores, l.y, l.mask).dx);
      if (dx.some((v) => v !== 0)) check(Ll, dx, flat3(l.scores)); // all masked: L ≡ 0, nothing to compare
    }), { numRuns: 40 }));

  it('the fixtures: the embedding with a repeated word, the temporal affine layer, the masked loss (3 ln 2 / 2)', () => {
    const E = embeddingExample;
    expect(M.wordEmbeddingForward(E.input.x, E.input.W)).toEqual(E.expected.out);
    expect(M.wordEmbeddingBackward(E.input.dout, E.input.x, E.input.V)).toEqual(E.expected.dW);
    const A = temporalAffineExample;
    expect(M.temporalAffineForward(A.input.x, A.input.w, A.input.b)).toEqual(A.expected.out);
    expect(M.temporalAffineBackward(A.input.dout, A.input.x, A.input.w)).toEqual({ dx: A.expected.dx, dw: A.expected.dw, db: A.expected.db });
    const S = temporalLossExample;
    const r = M.temporalSoftmaxLoss(S.input.scores, S.input.y, S.input.mask);
    expectAllClose(r.loss, S.expected.loss, FLOAT64, 'loss');
    expect(r.dx).toEqual(S.expected.dx);
    for (const wrong of Object.values(S.wrong)) expect(Math.abs(r.loss - wrong)).toBeGreaterThan(0.1);
  });

  it('a masked-out step contributes neither loss nor gradient: changing its scores or its word changes nothing', () =>
    fc.assert(fc.property(lossCase, int(0, 100), cell, (c, k, s) => {
      const steps = c.mask.flatMap((row, n) => row.map((m, t) => [m, n, t] as const)).filter(([m]) => m === 0);
      fc.pre(steps.length > 0);
      const [, n, t] = steps[k % steps.length];
      const scores = c.scores.map((m, i) => m.map((r, j) => (i === n && j === t ? r.map((v) => v + s + 1) : r.slice())));
      const y = c.y.map((row, i) => row.map((v, j) => (i === n && j === t ? (v + 1) % c.scores[0][0].length : v)));
      const [a, b] = [M.temporalSoftmaxLoss(c.scores, c.y, c.mask), M.temporalSoftmaxLoss(scores, y, c.mask)];
      expect(b.loss).toBe(a.loss);
      expect(b.dx).toEqual(a.dx);
      expect(a.dx[n][t].every((v) => v === 0)).toBe(true);
    }), { numRuns: 100 }));

  it('a repeated word\'s embedding gradient is the sum of the gradients at its positions; the affine bias gradient is the sum over every step', () =>
    fc.assert(fc.property(embedCase, affineCase, (e, a) => {
      const dW = M.wordEmbeddingBackward(e.dout, e.x, e.V);
      for (let v = 0; v < e.V; v++) {
        const expected = e.W[0].map((_, d) => e.x.reduce((s, row, n) => s + row.reduce((s2, w, t) => s2 + (w === v ? e.dout[n][t][d] : 0), 0), 0));
        expectAllClose(dW[v], expected, FLOAT64, `dW[${v}]`);
      }
      const db = M.temporalAffineBackward(a.dout, a.x, a.w).db;
      expectAllClose(db, a.b.map((_, m) => sum(a.dout.flatMap((seq) => seq.map((g) => g[m])))), FLOAT64, 'db');
    }), { numRuns: 60 }));

  it('invalid input is an error naming the function and the argument', () => {
    expect(() => M.wordEmbeddingForward([[0, 3]], [[1], [2], [3]])).toThrow(/wordEmbeddingForward: argument 'x'/);
    expect(() => M.wordEmbeddingBackward([[[1]]], [[0]], 0)).toThrow(/wordEmbeddingBackward: argument 'V'/);
    expect(() => M.temporalAffineForward([[[1, 2]]], [[1]], [0])).toThrow(/temporalAffineForward: argument 'x\[0\]'/);
    expect(() => M.temporalAffineBackward([[[1, 2]]], [[[1]]], [[1]])).toThrow(/temporalAffineBackward: argument 'dout\[0\]'/);
    expect(() => M.temporalSoftmaxLoss([[[0, 0]]], [[0]], [[0.5]])).toThrow(/temporalSoftmaxLoss: argument 'mask'/);
    expect(() => M.temporalSoftmaxLoss([[[0, 0]]], [[2]], [[1]])).toThrow(/temporalSoftmaxLoss: argument 'y'/);
  });
});

// ---------------------------------------------------------------------------------------------
// M1, M2 — the Elman RNN in the batch form (rows = examples, CS231n rnn_layers.py)
//
// Parametrisation mapped: the batch form is tf.layers.simpleRNN's own, h = act(x·W + h·U + b) on
// rows, so its kernel is W_x [D, H], its recurrent kernel W_h [H, H] and its bias b, as they are
// (no transposes: those belong to the notes' column form, W_hx = W_xᵀ, W_hh = W_hᵀ). h0 [N, H] is
// the layer's initialState; returnSequences true gives every state, [N, T, H].

interface BatchCase {
  x: number[][][];
  h0: Mat;
  params: M.RnnBatchParams;
  dh: number[][][];
  activation: M.HiddenActivation;
}
const batchCase = (o: { maxT?: number } = {}): fc.Arbitrary<BatchCase> =>
  fc.record({ N: fc.integer({ min: 1, max: 3 }), D: fc.integer({ min: 1, max: 4 }), H: fc.integer({ min: 1, max: 4 }), T: fc.integer({ min: 1, max: o.maxT ?? 6 }), activation: fc.constantFrom<M.HiddenActivation>('tanh', 'sigmoid') }).chain((g) =>
    fc.record({
      x: fc.array(matOf(g.T, g.D), { minLength: g.N, maxLength: g.N }),
      h0: matOf(g.N, g.H),
      params: fc.record({ Wx: matOf(g.D, g.H), Wh: matOf(g.H, g.H), b: vecOf(g.H) }),
      dh: fc.array(matOf(g.T, g.H), { minLength: g.N, maxLength: g.N }),
      activation: fc.constant(g.activation),
    }),
  );
const batchPack = (c: BatchCase): Vec => [...c.x.flat(2), ...c.h0.flat(), ...c.params.Wx.flat(), ...c.params.Wh.flat(), ...c.params.b];
const batchPackGrads = (g: M.RnnBatchGradients): Vec => [...g.dx.flat(2), ...g.dh0.flat(), ...g.dWx.flat(), ...g.dWh.flat(), ...g.db];
function batchUnpack(v: Vec, c: BatchCase): BatchCase {
  let at = 0;
  const take = (n: number) => v.slice(at, (at += n));
  const rows = (r: number, k: number) => Array.from({ length: r }, () => take(k));
  const [N, T, D, H] = [c.x.length, c.x[0].length, c.params.Wx.length, c.params.b.length];
  return { ...c, x: Array.from({ length: N }, () => rows(T, D)), h0: rows(N, H), params: { Wx: rows(D, H), Wh: rows(H, H), b: take(H) } };
}
const batchLossOf = (c: BatchCase) => (v: Vec) => {
  const u = batchUnpack(v, c);
  return dot(M.rnnForwardBatch(u.x, u.h0, u.params, { activation: c.activation }).h.flat(2), c.dh.flat(2));
};
/** The notes' column-form weights of the batch form's, with the identity as output layer (y = h, so dy = dh). */
const notesParamsOf = (p: M.RnnBatchParams): M.RnnParams => {
  const H = p.b.length;
  return { Whx: tr(p.Wx), Whh: tr(p.Wh), bh: p.b, Wyh: Array.from({ length: H }, (_, i) => Array.from({ length: H }, (_, j) => (i === j ? 1 : 0))), by: new Array<number>(H).fill(0) };
};

describe(`recurrent (M1, M2, the Elman RNN's batch form) vs TensorFlow.js [${backend.label}]`, () => {
  it('M1 rnnForwardBatch = tf.layers.simpleRNN on the batch (kernel W_x, recurrent kernel W_h, bias b as they are; initialState h0; returnSequences true)', () =>
    fc.assert(
      fc.property(batchCase(), (c0) => {
        const c = f32(c0);
        const { h } = M.rnnForwardBatch(c.x, c.h0, c.params, { activation: c.activation });
        const states = run(() => {
          const layer = tf.layers.simpleRNN({ units: c.params.b.length, returnSequences: true, activation: c.activation });
          const apply = () => layer.apply(tf.tensor3d(c.x), { initialState: [tf.tensor2d(c.h0)] }) as tf.Tensor3D;
          apply(); // builds the weights
          layer.setWeights([tf.tensor2d(c.params.Wx), tf.tensor2d(c.params.Wh), tf.tensor1d(c.params.b)]);
          return apply();
        }) as number[][][];
        expectAllClose(states, h, TF_RNN, 'h');
      }),
      { numRuns: 25 },
    ));

  it('M1 rnnForwardBatch: simpleRNN given the notes\' W_hx, W_hh (the transposes) gives other numbers (shown on square weights, where it runs)', () => {
    const { x, hPrev, params } = elmanBatchStep.input; // W_h = [[0, 0], [1, 0]] is not symmetric
    const wrong = run(() => {
      const layer = tf.layers.simpleRNN({ units: 2, returnSequences: true, activation: 'tanh' });
      const apply = () => layer.apply(tf.tensor3d([x]), { initialState: [tf.tensor2d([hPrev[0]])] }) as tf.Tensor3D;
      apply();
      layer.setWeights([tf.tensor2d(tr(params.Wx)), tf.tensor2d(tr(params.Wh)), tf.tensor1d(params.b)]);
      return apply();
    }) as number[][][];
    const right = M.rnnForwardBatch([x], [hPrev[0]], params).h;
    expect(Math.max(...wrong.flat(2).map((v, i) => Math.abs(v - right.flat(2)[i])))).toBeGreaterThan(0.1);
  });

  it('M2 rnnBackwardBatch = tf.grads of Σ dh ⊙ h through the batch unrolled with tf.matMul (x[:, t] W_x + h W_h + b): dx, dh0, dW_x, dW_h, db', () =>
    fc.assert(
      fc.property(batchCase(), (c0) => {
        const c = f32(c0);
        const T = c.x[0].length;
        const ref = M.rnnBackwardBatch(c.dh, M.rnnForwardBatch(c.x, c.h0, c.params, { activation: c.activation }).cache);
        const [dWx, dWh, db, dh0, ...dxs] = run(() => {
          const f = (...a: tf.Tensor[]) => {
            const [Wx, Wh, b, h0, ...xs] = a as [tf.Tensor2D, tf.Tensor2D, tf.Tensor1D, tf.Tensor2D, ...tf.Tensor2D[]];
            let h = h0;
            let total = tf.scalar(0);
            xs.forEach((xt, t) => {
              h = actTf(c.activation, tf.add(tf.add(tf.matMul(xt, Wx), tf.matMul(h, Wh)), b)) as tf.Tensor2D;
              total = tf.add(total, tf.sum(tf.mul(h, tf.tensor2d(c.dh.map((seq) => seq[t])))));
            });
            return total as tf.Scalar;
          };
          return tf.grads(f)([tf.tensor2d(c.params.Wx), tf.tensor2d(c.params.Wh), tf.tensor1d(c.params.b), tf.tensor2d(c.h0), ...Array.from({ length: T }, (_, t) => tf.tensor2d(c.x.map((seq) => seq[t])))]);
        }) as [Mat, Mat, Vec, Mat, ...Mat[]];
        const dx = c.x.map((_, n) => dxs.map((m) => m[n]));
        expectAllClose({ dx, dh0, dWx, dWh, db }, ref, TF_RNN, 'grads');
      }),
      { numRuns: 30 },
    ));
});

describe('recurrent (M1, M2, batch form) vs the per-example form, numerical derivatives, hand-worked examples', () => {
  it('M1/M2 batch = the notes\' column form row by row: rnnForward of example n with W_hx = W_xᵀ, W_hh = W_hᵀ, b_h = b (identity output) gives h[n]; rnnBackward with dy = dh[n] gives dx[n], dh0[n], and the weight gradients summed over n, transposed', () =>
    fc.assert(
      fc.property(batchCase(), (c) => {
        const o = { activation: c.activation };
        const { h, cache } = M.rnnForwardBatch(c.x, c.h0, c.params, o);
        const g = M.rnnBackwardBatch(c.dh, cache);
        const p = notesParamsOf(c.params);
        const [D, H] = [c.params.Wx.length, c.params.b.length];
        const sumWhx = Array.from({ length: H }, () => new Array<number>(D).fill(0));
        const sumWhh = Array.from({ length: H }, () => new Array<number>(H).fill(0));
        const sumB = new Array<number>(H).fill(0);
        c.x.forEach((xs, n) => {
          const f = M.rnnForward(xs, c.h0[n], p, o);
          // the same sums in the same order (x W_x's column j is W_hx's row j dotted with x): equal to rounding
          expectAllClose(h[n], f.h, FLOAT64, `h[${n}]`);
          const gn = M.rnnBackward(c.dh[n], f.cache);
          expectAllClose(g.dx[n], gn.dxs, FLOAT64, `dx[${n}]`);
          expectAllClose(g.dh0[n], gn.dh0, FLOAT64, `dh0[${n}]`);
          gn.dWhx.forEach((row, i) => row.forEach((v, j) => (sumWhx[i][j] += v)));
          gn.dWhh.forEach((row, i) => row.forEach((v, j) => (sumWhh[i][j] += v)));
          gn.dbh.forEach((v, j) => (sumB[j] += v));
        });
        expectAllClose({ dWx: g.dWx, dWh: g.dWh, db: g.db }, { dWx: tr(sumWhx), dWh: tr(sumWhh), db: sumB }, FLOAT64, 'weight gradients');
      }),
      { numRuns: 40 },
    ));

  it('M1/M2 one batch step = the sequence of length 1: rnnStepBatch is rnnForwardBatch at T = 1, rnnStepBatchBackward is rnnBackwardBatch (dhPrev = dh0)', () =>
    fc.assert(
      fc.property(batchCase({ maxT: 1 }), (c) => {
        const o = { activation: c.activation };
        const x = c.x.map((seq) => seq[0]);
        const s = M.rnnStepBatch(x, c.h0, c.params, o);
        const f = M.rnnForwardBatch(c.x, c.h0, c.params, o);
        expect(s.h).toEqual(f.h.map((seq) => seq[0]));
        expect(s.z).toEqual(f.cache.z.map((seq) => seq[0]));
        const gs = M.rnnStepBatchBackward(c.dh.map((seq) => seq[0]), s.cache);
        const gf = M.rnnBackwardBatch(c.dh, f.cache);
        expect({ dx: gs.dx.map((r) => [r]), dh0: gs.dhPrev, dWx: gs.dWx, dWh: gs.dWh, db: gs.db }).toEqual(gf);
      }),
      { numRuns: 40 },
    ));

  it('M2 rnnBackwardBatch and rnnStepBatchBackward = the numerical gradient of L = Σ dh ⊙ h: full, and along random directions', () =>
    fc.assert(
      fc.property(batchCase({ maxT: 4 }), fc.integer({ min: 1, max: 2 ** 30 }), (c, seed) => {
        const analytic = batchPackGrads(M.rnnBackwardBatch(c.dh, M.rnnForwardBatch(c.x, c.h0, c.params, { activation: c.activation }).cache));
        expect(normwiseError(analytic, numericalGradient(batchLossOf(c), batchPack(c)))).toBeLessThan(NUMERIC_REL_ERROR);
        const rng = createRandom(seed);
        expect(directionalCheck(batchLossOf(c), analytic, batchPack(c), analytic.map(() => rng.normal())).relError).toBeLessThan(NUMERIC_REL_ERROR);
        // one step: the same with T = 1, through rnnStepBatch
        const one: BatchCase = { ...c, x: c.x.map((seq) => [seq[0]]), dh: c.dh.map((seq) => [seq[0]]) };
        const s = M.rnnStepBatchBackward(one.dh.map((seq) => seq[0]), M.rnnStepBatch(one.x.map((seq) => seq[0]), c.h0, c.params, { activation: c.activation }).cache);
        const packed = [...s.dx.flat(), ...s.dhPrev.flat(), ...s.dWx.flat(), ...s.dWh.flat(), ...s.db];
        expect(normwiseError(packed, numericalGradient(batchLossOf(one), batchPack(one)))).toBeLessThan(NUMERIC_REL_ERROR);
      }),
      { numRuns: 30 },
    ));

  it('M1 the two-step example as one batch step: z = the notes\' z_h^(1), z_h^(2), and as a batch of one sequence: h = [h^(1), h^(2)]', () => {
    const { x, hPrev, params } = elmanBatchStep.input;
    expectAllClose(M.rnnStepBatch(x, hPrev, params), { z: elmanBatchStep.expected.z, h: elmanBatchStep.expected.h }, FLOAT64);
    expectAllClose(M.rnnForwardBatch([elmanTwoSteps.input.xs], [elmanTwoSteps.input.h0], params).h, [elmanTwoSteps.expected.h], FLOAT64);
    expectAllClose(M.rnnStepBatch(x, hPrev, { ...params, Wh: tr(params.Wh) }).h, elmanBatchStep.whTransposed.h, FLOAT64);
  });

  it('M2 hand-worked backward passes: a step at z = 0 (dW_x = xᵀδ = [(5), (6)]), and BPTT at the fixed point as a batch of one (db = 4.25, dh0 = 0.875)', () => {
    expect(M.rnnStepBatchBackward(elmanBatchBackwardStep.input.dh, elmanBatchBackwardStep.input.cache)).toEqual(elmanBatchBackwardStep.expected);
    expect(M.rnnBackwardBatch(elmanBatchFixedPoint.input.dh, elmanBatchFixedPoint.input.cache)).toEqual(elmanBatchFixedPoint.expected);
  });

  it('M1 a zero input with zero states and zero bias stays at 0 (tanh), and at σ(0) = ½ with the sigmoid only while W_h = 0', () => {
    const x = [[[0, 0], [0, 0], [0, 0]]];
    const params = { Wx: [[1, -1], [2, 0.5]], Wh: [[0.5, 0.25], [-1, 0.75]], b: [0, 0] };
    expect(M.rnnForwardBatch(x, [[0, 0]], params).h).toEqual([[[0, 0], [0, 0], [0, 0]]]);
    expect(M.rnnForwardBatch(x, [[0, 0]], { ...params, Wh: [[0, 0], [0, 0]] }, { activation: 'sigmoid' }).h).toEqual([[[0.5, 0.5], [0.5, 0.5], [0.5, 0.5]]]);
  });

  it.each([
    [() => M.rnnStepBatch([[1, 2]], [[0]], { Wx: [[1]], Wh: [[0]], b: [0] }), /rnnStepBatch: argument 'x' must have 1 columns; got 2|rnnStepBatch: argument 'x'/],
    [() => M.rnnStepBatch([[1]], [[0], [0]], { Wx: [[1]], Wh: [[0]], b: [0] }), /rnnStepBatch: argument 'hPrev' must have 1 rows/],
    [() => M.rnnStepBatch([[1]], [[0]], { Wx: [[1]], Wh: [[0]], b: [0, 1] }), /rnnStepBatch: argument 'params.b' must have length 1; got length 2/],
    [() => M.rnnStepBatch([[1]], [[0]], { Wx: [[1]], Wh: [[0]], b: [0] }, { activation: 'relu' as never }), /rnnStepBatch: argument 'options.activation' must be one of 'tanh', 'sigmoid'; got relu/],
    [() => M.rnnStepBatchBackward([[1]], null as never), /rnnStepBatchBackward: argument 'cache' must be the cache of rnnStepBatch/],
    [() => M.rnnStepBatchBackward([[1], [2]], { ...elmanBatchBackwardStep.input.cache, h: [[0]] }), /rnnStepBatchBackward: argument 'cache.h' must have 2 rows/],
    [() => M.rnnForwardBatch([], [[0]], { Wx: [[1]], Wh: [[0]], b: [0] }), /rnnForwardBatch: argument 'x' must be a non-empty N×T×D array; got an empty list/],
    [() => M.rnnForwardBatch([[[1]]], [[0], [0]], { Wx: [[1]], Wh: [[0]], b: [0] }), /rnnForwardBatch: argument 'h0' must have 1 rows/],
    [() => M.rnnBackwardBatch([[[1], [1]]], elmanBatchFixedPoint.input.cache), /rnnBackwardBatch: argument 'dh' must hold 1 examples|rnnBackwardBatch: argument 'dh\[0\]' must have 3 rows/],
    [() => M.rnnBackwardBatch(elmanBatchFixedPoint.input.dh, null as never), /rnnBackwardBatch: argument 'cache' must be the cache of rnnForwardBatch/],
  ])('invalid batch-form input %# is an error naming the function and the argument', (call, message) => {
    expect(call).toThrowError(message);
  });
});

// ---------------------------------------------------------------------------------------------
// M4, M6 — reference/gate-layouts.ts, the one converter: the layouts without a tfjs oracle
// (PyTorch, CS231n) reproduced by small float64 implementations of their own equations, written
// here from their documentation, fed the converter's weights; and every round trip.

const sig = (a: number) => 1 / (1 + Math.exp(-a));
/** W v for W [n, k] acting on a column v (PyTorch's form) */
const colTimes = (W: Mat, v: Vec): Vec => W.map((row) => dot(row, v));
/** v W for a row v and W [k, n] (CS231n's form) */
const rowTimesM = (v: Vec, W: Mat): Vec => W[0].map((_, j) => v.reduce((a, vk, k) => a + vk * W[k][j], 0));
const block = (v: Vec, k: number, H: number) => v.slice(k * H, (k + 1) * H);

/**
 * torch.nn.LSTM, as its documentation states it (one layer, batch of one):
 *   i_t = σ(W_ii x_t + b_ii + W_hi h_{t−1} + b_hi)
 *   f_t = σ(W_if x_t + b_if + W_hf h_{t−1} + b_hf)
 *   g_t = tanh(W_ig x_t + b_ig + W_hg h_{t−1} + b_hg)
 *   o_t = σ(W_io x_t + b_io + W_ho h_{t−1} + b_ho)
 *   c_t = f_t ⊙ c_{t−1} + i_t ⊙ g_t,  h_t = o_t ⊙ tanh(c_t)
 * "weight_ih_l[k]: the learnable input-hidden weights of the k-th layer (W_ii|W_if|W_ig|W_io), of
 * shape (4*hidden_size, input_size)"; weight_hh_l[k] (W_hi|W_hf|W_hg|W_ho), (4*hidden_size, hidden_size).
 */
function torchLstm(w: { weight_ih: Mat; weight_hh: Mat; bias_ih: Vec; bias_hh: Vec }, xs: Vec[], h0: Vec, c0: Vec) {
  const H = h0.length;
  let [h, c] = [h0, c0];
  const hs: Vec[] = [];
  const cs: Vec[] = [];
  for (const x of xs) {
    const a = colTimes(w.weight_ih, x).map((v, k) => v + w.bias_ih[k] + colTimes(w.weight_hh, h)[k] + w.bias_hh[k]);
    const [i, f, g, o] = [block(a, 0, H).map(sig), block(a, 1, H).map(sig), block(a, 2, H).map(Math.tanh), block(a, 3, H).map(sig)];
    c = c.map((cu, u) => f[u] * cu + i[u] * g[u]);
    h = o.map((ou, u) => ou * Math.tanh(c[u]));
    hs.push(h);
    cs.push(c);
  }
  return { h: hs, c: cs };
}

/**
 * torch.nn.GRU, as its documentation states it:
 *   r_t = σ(W_ir x_t + b_ir + W_hr h_{t−1} + b_hr)
 *   z_t = σ(W_iz x_t + b_iz + W_hz h_{t−1} + b_hz)
 *   n_t = tanh(W_in x_t + b_in + r_t ⊙ (W_hn h_{t−1} + b_hn))
 *   h_t = (1 − z_t) ⊙ n_t + z_t ⊙ h_{t−1}
 * weight_ih_l[k] (W_ir|W_iz|W_in), (3*hidden_size, input_size); weight_hh_l[k] (W_hr|W_hz|W_hn).
 */
function torchGru(w: { weight_ih: Mat; weight_hh: Mat; bias_ih: Vec; bias_hh: Vec }, xs: Vec[], h0: Vec): Vec[] {
  const H = h0.length;
  let h = h0;
  const hs: Vec[] = [];
  for (const x of xs) {
    const gi = colTimes(w.weight_ih, x).map((v, k) => v + w.bias_ih[k]);
    const gh = colTimes(w.weight_hh, h).map((v, k) => v + w.bias_hh[k]);
    const r = block(gi, 0, H).map((v, u) => sig(v + block(gh, 0, H)[u]));
    const z = block(gi, 1, H).map((v, u) => sig(v + block(gh, 1, H)[u]));
    const n = block(gi, 2, H).map((v, u) => Math.tanh(v + r[u] * block(gh, 2, H)[u]));
    h = n.map((nu, u) => (1 - z[u]) * nu + z[u] * h[u]);
    hs.push(h);
  }
  return hs;
}

/**
 * CS231n assignment 3, rnn_layers.py lstm_step_forward (rows, batch of one):
 *   a = x.dot(Wx) + prev_h.dot(Wh) + b;  ai, af, ao, ag = a[:H], a[H:2H], a[2H:3H], a[3H:]
 *   i, f, o = sigmoid(ai), sigmoid(af), sigmoid(ao);  g = tanh(ag)
 *   next_c = f * prev_c + i * g;  next_h = o * tanh(next_c)
 */
function cs231nLstm(w: { Wx: Mat; Wh: Mat; b: Vec }, xs: Vec[], h0: Vec, c0: Vec) {
  const H = h0.length;
  let [h, c] = [h0, c0];
  const hs: Vec[] = [];
  const cs: Vec[] = [];
  for (const x of xs) {
    const a = rowTimesM(x, w.Wx).map((v, k) => v + rowTimesM(h, w.Wh)[k] + w.b[k]);
    const [i, f, o, g] = [block(a, 0, H).map(sig), block(a, 1, H).map(sig), block(a, 2, H).map(sig), block(a, 3, H).map(Math.tanh)];
    c = c.map((cu, u) => f[u] * cu + i[u] * g[u]);
    h = o.map((ou, u) => ou * Math.tanh(c[u]));
    hs.push(h);
    cs.push(c);
  }
  return { h: hs, c: cs };
}

describe('recurrent (M4, M6): the layout converter reproduces PyTorch\'s and CS231n\'s numbers, and inverts exactly', () => {
  it(`M4 PyTorch's LSTM (gates [${GATE_ORDER['pytorch-lstm'].join(', ')}] = its [i, f, g, o], weight_ih [4H, D], weight_hh [4H, H]) fed toLayout('pytorch-lstm') = the notes' lstmForward; any split of b into bias_ih + bias_hh gives the same`, () =>
    fc.assert(
      fc.property(lstmCase(), fc.integer({ min: -1000, max: 1000 }), (c, k) => {
        const r = M.lstmForward(c.xs, c.h0, c.c0, c.params);
        const w = toLayout('pytorch-lstm', c.params);
        // the same products, summed in another order (x's part, then h's): float64 rounding only
        expectAllClose(torchLstm(w, c.xs, c.h0, c.c0), { h: r.h, c: r.c }, FLOAT64, 'PyTorch form');
        const split = { ...w, bias_hh: w.bias_ih.map(() => k / 1000), bias_ih: w.bias_ih.map((v) => v - k / 1000) };
        expectAllClose(torchLstm(split, c.xs, c.h0, c.c0).h, r.h, FLOAT64, 'bias split');
      }),
      { numRuns: 40 },
    ));

  it(`M4 CS231n's LSTM (a = x Wx + prev_h Wh + b, gates [${GATE_ORDER['cs231n-lstm'].join(', ')}] = its [i, f, o, g], Wx [D, 4H]) fed toLayout('cs231n-lstm') = the notes' lstmForward; the Keras order [i, f, C, o] in its place does not`, () => {
    fc.assert(
      fc.property(lstmCase(), (c) => {
        const r = M.lstmForward(c.xs, c.h0, c.c0, c.params);
        // the same products, summed in another order: float64 rounding only
        expectAllClose(cs231nLstm(toLayout('cs231n-lstm', c.params), c.xs, c.h0, c.c0), { h: r.h, c: r.c }, FLOAT64, 'CS231n form');
      }),
      { numRuns: 40 },
    );
    const { x, hPrev, cPrev, params } = lstmOneStep.input;
    const keras = toLayout('keras-lstm', params);
    const wrong = cs231nLstm({ Wx: keras.kernel, Wh: keras.recurrent, b: keras.bias }, [x], hPrev, cPrev);
    expect(Math.abs(wrong.c[0][0] - M.lstmStep(x, hPrev, cPrev, params).c[0])).toBeGreaterThan(0.01);
  });

  it("M6 PyTorch's GRU (gates [r, z, n], z negated, reset AFTER the matmul) fed toLayout('pytorch-gru'): the notes' gruForward when W's h columns are diagonal (r ⊙ (W_h h) = W_h (r ⊙ h)); on the fixture's step (W_h = [[0, 1], [1, 0]], r = (¾, ¼)) it gives the reset-after h instead", () => {
    fc.assert(
      fc.property(gruCase(), (c) => {
        const H = c.h0.length;
        const diag = { ...c.params, W: c.params.W.map((row, u) => row.map((v, j) => (j < H && j !== u ? 0 : v))) };
        // the same terms in another order: float64 rounding only
        expectAllClose(torchGru(toLayout('pytorch-gru', diag), c.xs, c.h0), M.gruForward(c.xs, c.h0, diag).h, FLOAT64, 'diagonal W_h');
      }),
      { numRuns: 40 },
    );
    const { x, hPrev, params } = gruOneStep.input;
    const h = torchGru(toLayout('pytorch-gru', params), [x], hPrev)[0];
    expectAllClose(h, gruOneStep.wrong.resetAfter.h, FLOAT64, 'PyTorch = the reset-after form');
    expect(Math.max(...h.map((v, u) => Math.abs(v - gruOneStep.expected.h[u])))).toBeGreaterThan(0.1);
  });

  it('M4, M6 the round trip notes → layout → notes is the identity for every layout (exact; tf.basicLSTMCell with forgetBias 1 up to the rounding of b_f − 1 + 1)', () =>
    fc.assert(
      fc.property(lstmCase({ maxT: 1 }), gruCase({ maxT: 1, biases: true }), (l, g) => {
        for (const layout of ['tfjs-basicLSTMCell', 'keras-lstm', 'pytorch-lstm', 'cs231n-lstm'] as const) expect(fromLayout(layout, toLayout(layout, l.params))).toEqual(l.params);
        for (const layout of ['keras-gru', 'pytorch-gru'] as const) expect(fromLayout(layout, toLayout(layout, g.params))).toEqual(g.params);
        // b_f − 1 + 1 rounds once each way
        expectAllClose(fromLayout('tfjs-basicLSTMCell', toLayout('tfjs-basicLSTMCell', l.params, { forgetBias: 1 }), { forgetBias: 1 }), l.params, FLOAT64);
      }),
      { numRuns: 40 },
    ));

  it('M4, M6 the converter\'s shapes and gate order: blocks land where each layout expects them, and bad input is an error naming the function and the argument', () => {
    const one = (v: number) => [[v, v + 0.5]]; // H = D = 1: W_g = [h column | x column]
    const p = { Wf: one(1), bf: [10], Wi: one(2), bi: [20], WC: one(3), bC: [30], Wo: one(4), bo: [40] };
    expect(toLayout('keras-lstm', p)).toEqual({ kernel: [[2.5, 1.5, 3.5, 4.5]], recurrent: [[2, 1, 3, 4]], bias: [20, 10, 30, 40] });
    expect(toLayout('cs231n-lstm', p)).toEqual({ Wx: [[2.5, 1.5, 4.5, 3.5]], Wh: [[2, 1, 4, 3]], b: [20, 10, 40, 30] });
    expect(toLayout('pytorch-lstm', p)).toEqual({ weight_ih: [[2.5], [1.5], [3.5], [4.5]], weight_hh: [[2], [1], [3], [4]], bias_ih: [20, 10, 30, 40], bias_hh: [0, 0, 0, 0] });
    expect(toLayout('tfjs-basicLSTMCell', p, { forgetBias: 1 })).toEqual({ kernel: [[2.5, 3.5, 1.5, 4.5], [2, 3, 1, 4]], bias: [20, 30, 9, 40] });
    const q = { Wz: one(1), Wr: one(2), W: one(3) };
    expect(toLayout('keras-gru', q)).toEqual({ kernel: [[-1.5, 2.5, 3.5]], recurrent: [[-1, 2, 3]], bias: [-0, 0, 0] }); // the z block negated (−0 for an omitted bias)
    expect(toLayout('pytorch-gru', q).weight_ih).toEqual([[2.5], [-1.5], [3.5]]);
    expect(() => (toLayout as (...a: unknown[]) => unknown)('onnx-lstm', p)).toThrow(/toLayout: argument 'layout' must be one of/);
    expect(() => toLayout('keras-lstm', { ...p, Wo: [[1, 2, 3]] })).toThrow(/toLayout: argument 'weights.Wo'/);
    expect(() => toLayout('keras-lstm', p, { forgetBias: 1 })).toThrow(/toLayout: argument 'options.forgetBias' is tf.basicLSTMCell's only/);
    expect(() => fromLayout('keras-gru', { kernel: [[1, 2]], recurrent: [[1, 2]], bias: [0, 0] })).toThrow(/fromLayout: argument 'stacked.kernel' must have 3H columns/);
  });
});
