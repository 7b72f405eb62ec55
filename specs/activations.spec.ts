/**
 * Family A (activations): the reference against TensorFlow.js, against numerical derivatives
 * (reference gradcheck), against mathjs (symbolic derivatives, BigNumber values at extreme
 * inputs), against the notes' worked examples, and its input validation.
 */
import fc from 'fast-check';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { describe, expect, it } from 'vitest';
import { leakySlopes, sigmoidGradAtZero, vanishingTenLayers } from '../fixtures/activations.fixtures.ts';
import * as A from '../reference/activations.ts';
import { centralDifference, numericalGradient, numericalJacobian, relativeError } from '../reference/gradcheck.ts';
import { big, evalExact, exactBig } from './support/bignumber.ts';
import { expectAllClose } from './support/expect.ts';
import { f32, oracle, run, tf } from './support/tf.ts';
import { BIGNUMBER, NUMERIC_REL_ERROR, TF_COMPOSITE, TF_KERNEL } from './support/tolerances.ts';

const backend = await oracle();

const moderate = fc.double({ min: -20, max: 20, noNaN: true });
const xs = fc.array(moderate, { minLength: 1, maxLength: 16 });
const awayFromKink = fc.double({ min: -20, max: 20, noNaN: true }).filter((x) => Math.abs(x) > 1e-3);

describe(`activations vs TensorFlow.js [${backend.label}]`, () => {
  const elementwise: [string, (x: number) => number, (t: tf.Tensor) => tf.Tensor][] = [
    ['sigmoid = tf.sigmoid', A.sigmoid, (t) => tf.sigmoid(t)],
    ['tanh = tf.tanh', A.tanh, (t) => tf.tanh(t)],
    ['relu = tf.relu', A.relu, (t) => tf.relu(t)],
    ['softplus = tf.softplus', A.softplus, (t) => tf.softplus(t)],
    // tf.elu has no α (tfjs-notes §3): it is the notes' ELU with α = 1
    ['elu(x, 1) = tf.elu', (x) => A.elu(x, 1), (t) => tf.elu(t)],
  ];
  for (const [name, f, op] of elementwise) {
    it(name, () =>
      fc.assert(fc.property(xs, (x) => expectAllClose(run(() => op(tf.tensor1d(x))), f32(x).map(f), TF_KERNEL, name))),
    );
  }

  // tf.grad of each op is tfjs's own derivative; kinks are excluded (the subgradient choice at 0 is checked below)
  const derivatives: [string, (x: number) => number, (t: tf.Tensor) => tf.Tensor][] = [
    ['sigmoidGrad = tf.grad(sigmoid)', A.sigmoidGrad, (t) => tf.sigmoid(t)],
    ['tanhGrad = tf.grad(tanh)', A.tanhGrad, (t) => tf.tanh(t)],
    ['reluGrad = tf.grad(relu)', A.reluGrad, (t) => tf.relu(t)],
    ['softplusGrad = tf.grad(softplus)', A.softplusGrad, (t) => tf.softplus(t)],
    ['eluGrad(x, 1) = tf.grad(elu)', (x) => A.eluGrad(x, 1), (t) => tf.elu(t)],
  ];
  for (const [name, f, op] of derivatives) {
    it(name, () =>
      fc.assert(
        fc.property(fc.array(awayFromKink, { minLength: 1, maxLength: 16 }), (x) =>
          expectAllClose(run(() => tf.grad((t: tf.Tensor) => op(t))(tf.tensor1d(x))), f32(x).map(f), TF_COMPOSITE, name),
        ),
      ),
    );
  }

  it("subgradients at the kink agree with tfjs: relu'(0) = 0, leakyRelu'(0) = α, elu'(0) = 1", () => {
    const at0 = (op: (t: tf.Tensor) => tf.Tensor) => run(() => tf.grad(op)(tf.tensor1d([0]))) as number[];
    expect(at0((t) => tf.relu(t))).toEqual([A.reluGrad(0)]);
    expectAllClose(at0((t) => tf.leakyRelu(t, 0.1)), [A.leakyReluGrad(0, 0.1)], TF_KERNEL);
    expect(at0((t) => tf.elu(t))).toEqual([A.eluGrad(0, 1)]);
  });

  it('leakyRelu and its gradient = tf.leakyRelu with the same α', () =>
    fc.assert(
      fc.property(xs, fc.double({ min: 0, max: 1, noNaN: true }), (x, alpha) => {
        const a = Math.fround(alpha);
        expectAllClose(run(() => tf.leakyRelu(tf.tensor1d(x), a)), f32(x).map((v) => A.leakyRelu(v, a)), TF_KERNEL, 'forward');
        const xk = x.filter((v) => Math.abs(v) > 1e-3);
        if (xk.length > 0) {
          const g = run(() => tf.grad((t: tf.Tensor) => tf.leakyRelu(t, a))(tf.tensor1d(xk)));
          expectAllClose(g, f32(xk).map((v) => A.leakyReluGrad(v, a)), TF_KERNEL, 'gradient');
        }
      }),
    ));

  it('prelu and preluBackward (dy and the shared da) = tf.prelu and tf.grads', () =>
    fc.assert(
      fc.property(fc.array(awayFromKink, { minLength: 1, maxLength: 12 }), fc.double({ min: -1, max: 1, noNaN: true }), (y, a) => {
        const dout = y.map((_, i) => ((i * 7) % 5) - 2);
        const [yf, af] = [f32(y), Math.fround(a)];
        expectAllClose(run(() => tf.prelu(tf.tensor1d(y) as tf.Tensor, tf.scalar(af))), A.prelu(yf, af), TF_KERNEL, 'forward');
        // tf.prelu's alpha is a tensor broadcast over y: its gradient sums over every position, like da
        const [dy, da] = run(() => tf.grads((t: tf.Tensor, s: tf.Tensor) => tf.prelu(t, s as typeof t))([tf.tensor1d(y), tf.scalar(af)], tf.tensor1d(dout)));
        const ref = A.preluBackward(dout, yf, af);
        expectAllClose(dy, ref.dy, TF_COMPOSITE, 'dy');
        expectAllClose(da, ref.da, TF_COMPOSITE, 'da');
      }),
    ));

  it('softmax, logSoftmax and logSumExp = tf.softmax, tf.logSoftmax, tf.logSumExp', () =>
    fc.assert(
      fc.property(xs, (x) => {
        const t = () => tf.tensor1d(x);
        expectAllClose(run(() => tf.softmax(t())), A.softmax(f32(x)), TF_COMPOSITE, 'softmax');
        expectAllClose(run(() => tf.logSoftmax(t())), A.logSoftmax(f32(x)), TF_COMPOSITE, 'logSoftmax');
        expectAllClose(run(() => tf.logSumExp(t())), A.logSumExp(f32(x)), TF_COMPOSITE, 'logSumExp');
      }),
    ));

  it('softmaxJacobian = rows of tf.grad(p_a)', () =>
    fc.assert(
      fc.property(fc.array(fc.double({ min: -5, max: 5, noNaN: true }), { minLength: 1, maxLength: 6 }), (x) => {
        // p_a as a dot product with a one-hot vector (gather's gradient needs UnsortedSegmentSum, missing on wasm)
        const rows = x.map((_, a) => run(() => tf.grad((t: tf.Tensor) => tf.softmax(t).mul(tf.tensor1d(x.map((_, b) => (a === b ? 1 : 0)))).sum())(tf.tensor1d(x))));
        expectAllClose(rows, A.softmaxJacobian(f32(x)), TF_COMPOSITE, 'Jacobian');
      }),
    ));

  it('maxout and maxoutBackward = max over tf.matMul pieces and tf.grads', () =>
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3 }).chain((m) =>
          fc.integer({ min: 1, max: 3 }).chain((k) =>
            fc.tuple(
              fc.array(fc.double({ min: -2, max: 2, noNaN: true }), { minLength: 3, maxLength: 3 }),
              fc.array(fc.array(fc.array(fc.double({ min: -2, max: 2, noNaN: true }), { minLength: 3, maxLength: 3 }), { minLength: k, maxLength: k }), { minLength: m, maxLength: m }),
              fc.array(fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: k, maxLength: k }), { minLength: m, maxLength: m }),
            ),
          ),
        ),
        ([x, W, b]) => {
          const [xf, Wf, bf] = [f32(x), f32(W), f32(b)];
          // tf.max passes the gradient to every tied piece, the reference to the first: keep ties out
          const pieces = Wf.map((Wi, i) => Wi.map((Wij, j) => Wij.reduce((s, w, d) => s + w * xf[d], bf[i][j])).sort((p, q) => q - p));
          fc.pre(pieces.every((z) => z.length < 2 || z[0] - z[1] > 1e-3));
          // pieces z_ij = Σ_d W_ijd x_d + b_ij as one einsum-free matMul over the flattened [m·k, d] weights
          const forward = (xt: tf.Tensor, Wt: tf.Tensor, bt: tf.Tensor) =>
            tf.max(tf.add(tf.reshape(tf.matMul(tf.reshape(Wt, [-1, 3]), tf.reshape(xt, [3, 1])), [W.length, -1]), bt), 1);
          expectAllClose(run(() => forward(tf.tensor1d(x), tf.tensor3d(W), tf.tensor2d(b))), A.maxout(xf, Wf, bf), TF_COMPOSITE, 'forward');
          const dout = W.map((_, i) => i + 1);
          const [dx, dW, db] = run(() => tf.grads(forward)([tf.tensor1d(x), tf.tensor3d(W), tf.tensor2d(b)], tf.tensor1d(dout)));
          const ref = A.maxoutBackward(dout, xf, Wf, bf);
          expectAllClose(dx, ref.dx, TF_COMPOSITE, 'dx');
          expectAllClose(dW, ref.dW, TF_COMPOSITE, 'dW');
          expectAllClose(db, ref.db, TF_COMPOSITE, 'db');
        },
      ),
    ));
});

describe('activations vs numerical derivatives (float64 central differences)', () => {
  const pairs: [string, (x: number) => number, (x: number) => number][] = [
    ['sigmoidGrad', A.sigmoid, A.sigmoidGrad],
    ['tanhGrad', A.tanh, A.tanhGrad],
    ['reluGrad', A.relu, A.reluGrad],
    ['leakyReluGrad (α = 0.2)', (x) => A.leakyRelu(x, 0.2), (x) => A.leakyReluGrad(x, 0.2)],
    ['eluGrad (α = 0.7)', (x) => A.elu(x, 0.7), (x) => A.eluGrad(x, 0.7)],
    ['softplusGrad', A.softplus, A.softplusGrad],
  ];
  // The central difference itself rounds by ~ε|f|/h: where f' ≪ f (tanh' at |x| = 8 is 5e−7) that is
  // not 1e−7 of f'. On |x| ≤ 4 every f' here is ≥ 1e−3·|f| and the bound holds; the tails are
  // checked against 500-digit values below.
  for (const [name, f, df] of pairs) {
    it(`${name} = (f(x+h) − f(x−h))/2h`, () =>
      fc.assert(fc.property(fc.double({ min: -4, max: 4, noNaN: true }).filter((x) => Math.abs(x) > 1e-3), (x) => {
        expect(relativeError([df(x)], [centralDifference(f, x)])).toBeLessThan(NUMERIC_REL_ERROR);
      })));
  }

  it('preluBackward = numerical gradient of Σ dout·prelu(y, a) in y and a', () =>
    fc.assert(
      // Each central difference carries a rounding error ~ε|L|/h ≈ 1e−11·|L|. A slope with
      // |a| ≥ 0.05 (or exactly 0) keeps every nonzero ∂L/∂y_i ≥ 2.5e−2·|y| and that error far below
      // 1e−7 of it; with |a| → 0 (e.g. 2e−6) ∂L/∂y_i shrinks with it and the difference, not the
      // reference, loses the digits.
      fc.property(fc.array(fc.double({ min: -3, max: 3, noNaN: true }).filter((v) => Math.abs(v) > 1e-3), { minLength: 1, maxLength: 6 }), fc.double({ min: -1, max: 1, noNaN: true }).filter((a) => a === 0 || Math.abs(a) >= 0.05), (y, a) => {
        const dout = y.map((_, i) => 0.5 + i);
        const L = (v: number[], s: number) => A.prelu(v, s).reduce((acc, p, i) => acc + p * dout[i], 0);
        const { dy, da } = A.preluBackward(dout, y, a);
        expect(relativeError(dy, numericalGradient((v) => L(v, a), y))).toBeLessThan(NUMERIC_REL_ERROR);
        expect(relativeError([da], numericalGradient(([s]) => L(y, s), [a]))).toBeLessThan(NUMERIC_REL_ERROR);
      }),
    ));

  it('softmaxJacobian = numerical Jacobian of softmax', () =>
    fc.assert(fc.property(fc.array(fc.double({ min: -5, max: 5, noNaN: true }), { minLength: 1, maxLength: 6 }), (x) => {
      expect(relativeError(A.softmaxJacobian(x).flat(), numericalJacobian(A.softmax, x).flat())).toBeLessThan(1e-6);
    })));

  it('maxoutBackward = numerical gradient of Σ dout·maxout away from ties', () => {
    const x = [0.3, -1.2, 2.0];
    const W = [[[1, 2, 0.5], [-1, 0.3, 0.2]], [[0.4, -0.6, 1.1], [0.9, 0.8, -0.7]]];
    const b = [[0.1, -0.2], [0.05, 0.3]];
    const dout = [1.5, -0.5];
    const L = (xv: number[], Wv: number[][][], bv: number[][]) => A.maxout(xv, Wv, bv).reduce((s, h, i) => s + h * dout[i], 0);
    const g = A.maxoutBackward(dout, x, W, b);
    expect(relativeError(g.dx, numericalGradient((v) => L(v, W, b), x))).toBeLessThan(NUMERIC_REL_ERROR);
    const flat = W.flat(2);
    const numericW = numericalGradient((v) => L(x, [[v.slice(0, 3), v.slice(3, 6)], [v.slice(6, 9), v.slice(9, 12)]], b), flat);
    expect(relativeError(g.dW.flat(2), numericW)).toBeLessThan(NUMERIC_REL_ERROR);
    expect(relativeError(g.db.flat(), numericalGradient((v) => L(x, W, [v.slice(0, 2), v.slice(2)]), b.flat()))).toBeLessThan(NUMERIC_REL_ERROR);
  });
});

describe('activations vs mathjs (symbolic derivatives, 500-digit BigNumber values)', () => {
  const extremes = [-1000, -745, -709.5, -40, -3.7, -1e-9, 0, 1e-9, 0.3, 40, 709.5, 745, 1000];

  const symbolic: [string, string, (x: number) => number][] = [
    ['A1', '1 / (1 + exp(-x))', A.sigmoidGrad],
    ['A2', '(exp(x) - exp(-x)) / (exp(x) + exp(-x))', A.tanhGrad],
    ['A7', 'log(1 + exp(x))', A.softplusGrad],
  ];
  for (const [id, expr, df] of symbolic) {
    const d = big.derivative(expr, 'x').compile();
    it(`${id}: d/dx ${expr} (mathjs.derivative, evaluated in BigNumber) = the reference derivative`, () => {
      const at = (x: number) => Number((d.evaluate({ x: exactBig(x) }) as { toString(): string }).toString());
      for (const x of extremes) expectAllClose(df(x), at(x), BIGNUMBER, `${id} derivative at ${x}`);
      fc.assert(fc.property(fc.double({ min: -50, max: 50, noNaN: true }), (x) => expectAllClose(df(x), at(x), BIGNUMBER, `at ${x}`)), { numRuns: 50 });
    });
  }

  const values: [string, string, (x: number) => number][] = [
    ['A1 sigmoid', '1 / (1 + exp(-x))', A.sigmoid],
    ['A2 tanh', '(exp(x) - exp(-x)) / (exp(x) + exp(-x))', A.tanh],
    ['A7 softplus', 'log(1 + exp(x))', A.softplus],
  ];
  for (const [name, expr, f] of values) {
    it(`${name} is accurate to a few ulps for |x| up to 1000 (BigNumber ${expr})`, () => {
      for (const x of extremes) expectAllClose(f(x), evalExact(expr, x), BIGNUMBER, `${name}(${x})`);
    });
  }

  it('A8/A9 softmax, logSoftmax and logSumExp are accurate on vectors with entries near ±1000', () => {
    const cases = [[1000, 999, -1000], [-1000, -1000, -999.5], [0, -745, 700, 709.7], [3.1, -2.2, 0.4]];
    for (const x of cases) {
      const bx = x.map(exactBig);
      const lse = big.log(big.sum(bx.map((v) => big.exp(v))));
      const toNumber = (v: unknown) => Number((v as { toString(): string }).toString());
      expectAllClose(A.logSumExp(x), toNumber(lse), BIGNUMBER, `logSumExp(${x})`);
      expectAllClose(A.softmax(x), bx.map((v) => toNumber(big.exp(big.subtract(v, lse)))), BIGNUMBER, `softmax(${x})`);
      // x_j − lse cancels when x_j ≈ lse: its error is an ulp of the inputs (≤ 1.2e−13 at 1000), not of the result
      expectAllClose(A.logSoftmax(x), bx.map((v) => toNumber(big.subtract(v, lse))), { rtol: 1e-15, atol: 2.5e-13 }, `logSoftmax(${x})`);
    }
  });
});

describe('activations: worked examples of the notes (fixtures)', () => {
  it(`${sigmoidGradAtZero.id}: σ'(0) = 0.25 [${sigmoidGradAtZero.source.slide}]`, () => {
    expect(A.sigmoidGrad(sigmoidGradAtZero.input.x)).toBe(sigmoidGradAtZero.expected);
  });
  it(`${vanishingTenLayers.id}: 0.25^10 = 2^−20 (printed "${vanishingTenLayers.printed}")`, () => {
    expect(A.sigmoidChainBound(vanishingTenLayers.input.depth)).toBe(vanishingTenLayers.expected);
    expect(vanishingTenLayers.expected).toBe(2 ** -20);
    expect(Math.abs(Math.log10(vanishingTenLayers.expected) + 6)).toBeLessThan(0.05); // the notes' "≈ 10^−6"
  });
  for (const f of leakySlopes) {
    it(`${f.id}: leakyRelu(${f.input.x}, ${f.input.alpha}) = ${f.expected} [${f.source.slide}]${f.erratum ? ` (erratum ${f.erratum.number})` : ''}`, () => {
      expect(A.leakyRelu(f.input.x, f.input.alpha)).toBeCloseTo(f.expected, 15);
    });
  }
});

describe('activations: properties of the catalogue', () => {
  it('A8: softmax sums to 1 and is shift invariant', () =>
    fc.assert(fc.property(fc.array(fc.double({ min: -1000, max: 1000, noNaN: true }), { minLength: 1, maxLength: 10 }), fc.double({ min: -100, max: 100, noNaN: true }), (x, c) => {
      const p = A.softmax(x);
      expect(Math.abs(p.reduce((s, v) => s + v, 0) - 1)).toBeLessThan(1e-12);
      expectAllClose(A.softmax(x.map((v) => v + c)), p, { rtol: 1e-9, atol: 1e-13 });
    })));

  it('A1/A2/A7: every smooth activation is finite for |x| ≤ 1000', () =>
    fc.assert(fc.property(fc.double({ min: -1000, max: 1000, noNaN: true }), (x) => {
      for (const f of [A.sigmoid, A.sigmoidGrad, A.tanh, A.tanhGrad, A.softplus, A.softplusGrad]) expect(Number.isFinite(f(x))).toBe(true);
      expect(Number.isFinite(A.elu(x, 1)) && Number.isFinite(A.eluGrad(x, 1))).toBe(true);
    })));

  it("A11: σ' is at most σ'(0) = 1/4 everywhere", () =>
    fc.assert(fc.property(fc.double({ min: -50, max: 50, noNaN: true }), (x) => {
      expect(A.sigmoidGrad(x)).toBeLessThanOrEqual(A.sigmoidGrad(0));
    })));

  it('A12: with zero-mean symmetric weights about half of the ReLU units are inactive (seeded)', () => {
    // a_j = Σ_i w_ji x_i with w_ji ~ U[−0.5, 0.5] i.i.d. is symmetric about 0 and independent across
    // units j for a fixed input, so the inactive count over 10,000 units is Binomial(10^4, 1/2):
    // sd = 0.005 in the fraction; ±0.03 is 6 sd (a false alarm once in ~10^9 seeds).
    const rng = xoroshiro128plus(12345);
    const u = () => uniformFloat64(rng) - 0.5;
    const x = Array.from({ length: 20 }, () => 2 * u());
    const a = [Array.from({ length: 10_000 }, () => x.reduce((s, xi) => s + u() * xi, 0))];
    expect(Math.abs(A.reluInactiveFraction(a) - 0.5)).toBeLessThan(0.03);
  });
});

describe('activations: invalid input is an error naming the function and the argument', () => {
  it.each([
    [() => A.sigmoid(Number.NaN), /sigmoid: argument 'x' must be a finite number; got NaN/],
    [() => A.leakyRelu(1, 2), /leakyRelu: argument 'alpha' must lie in \[0, 1\]; got 2/],
    [() => A.softmax([]), /softmax: argument 'x' must be a non-empty vector/],
    [() => A.softmax([1, Number.POSITIVE_INFINITY]), /softmax: argument 'x' must contain only finite numbers; got x\[1\] = Infinity/],
    [() => A.preluBackward([1], [1, 2], 0.1), /preluBackward: argument 'dout' must have the same length as 'y' \(2\); got length 1/],
    [() => A.maxout([1, 2], [[[1, 2, 3]]], [[0]]), /maxout: argument 'W\[0\]' must have 3 columns|maxout: argument 'W\[0\]' must have 2 columns; got 3/],
    [() => A.maxout([1], [], [[0]]), /maxout: argument 'W' must be a non-empty/],
    [() => A.sigmoidChainBound(2.5), /sigmoidChainBound: argument 'depth' must be an integer ≥ 0; got 2.5/],
    [() => A.reluInactiveFraction([[1], [1, 2]]), /reluInactiveFraction: argument 'a' must be rectangular/],
  ])('%#', (call, message) => {
    expect(call).toThrowError(message);
  });
});
