/**
 * Family J (convolution): the reference against TensorFlow.js (tf.conv2d with explicit pads,
 * tf.grads through it on the cpu backend), against numerical derivatives (reference gradcheck,
 * full and directional), against the notes' worked examples (erratum 3: the printed stride-2
 * figure is the stride-1 output), the catalogue's properties with fast-check, and its input
 * validation. The tfjs cases stay small (≤ 3 channels and filters, 6×6 maps, 3×3 kernels, entries in
 * [−1, 1]): the shapes the float32 bounds of TF_CONV and TF_CONV_GRAD are derived for.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  backwardExample,
  backwardStridedExample,
  binaryExample,
  col2imExample,
  conv1x1Example,
  im2colExample,
  im2colPaddedExample,
  imageKernels,
  stridedPaddedExample,
  trueConvolutionExample,
  tuExample,
  twoChannelExample,
  twoFilterExample,
  type ConvInput,
} from '../fixtures/convolution.fixtures.ts';
import { convCase, type ConvCase } from '../graders/convolution.grader.ts';
import * as J from '../reference/convolution.ts';
import { directionalDerivative, numericalGradient } from '../reference/gradcheck.ts';
import type { Filters, Image, Matrix } from '../reference/tensor.ts';
import { expectAllClose } from './support/expect.ts';
import { explicitPad, f32, fromHWIO, fromNHWC, oracle, run, tf, toHWIO, toNHWC, onBackend } from './support/tf.ts';
import { FIXTURE_FLOAT64, NUMERIC_REL_ERROR, TF_CONV, TF_CONV_GRAD } from './support/tolerances.ts';

const backend = await oracle();

const flat = (x: unknown): number[] => (Array.isArray(x) ? x.flatMap(flat) : [x as number]);
const dot = (a: number[], b: number[]) => a.reduce((s, v, i) => s + v * b[i], 0);
const rot180 = (k: Matrix): Matrix => k.slice().reverse().map((r) => r.slice().reverse());
const shape3 = (x: Image): [number, number, number] => [x.length, x[0].length, x[0][0].length];
const toImage = (v: number[], [C, H, W]: number[]): Image => Array.from({ length: C }, (_, c) => Array.from({ length: H }, (_, i) => v.slice((c * H + i) * W, (c * H + i + 1) * W)));
const toFilters = (v: number[], [F, C, KH, KW]: number[]): Filters => Array.from({ length: F }, (_, f) => toImage(v.slice(f * C * KH * KW, (f + 1) * C * KH * KW), [C, KH, KW]));
const filterShape = (W: Filters) => [W.length, W[0].length, W[0][0].length, W[0][0][0].length];
const dilateKernel = (k: Matrix, d: number): Matrix =>
  Array.from({ length: d * (k.length - 1) + 1 }, (_, i) => Array.from({ length: d * (k[0].length - 1) + 1 }, (_, j) => (i % d === 0 && j % d === 0 ? k[i / d][j / d] : 0)));
const args = (t: ConvInput) => [t.x, t.W, t.b, t.stride, t.pad, t.dilation] as const;

/** Entries of magnitude in [0.1, 1] with either sign: no denormal inputs for the numerical checks. */
const signedUnit = fc.tuple(fc.double({ min: 0.1, max: 1, noNaN: true }), fc.boolean()).map(([a, neg]) => (neg ? -a : a));
/** max|a − b| / max|a, b| over all entries: S2 on the ∞-norm (an entry that cancels to ~0 cannot blow it up). */
const normwiseError = (a: number[], b: number[]) => Math.max(...a.map((v, i) => Math.abs(v - b[i]))) / Math.max(1e-300, ...a.map(Math.abs), ...b.map(Math.abs));

/** Entries in [−1, 1], at most 3 channels and filters, 3×3 kernels, 6×6 images, pad ≤ 1 (the shapes of the TF_CONV and TF_CONV_GRAD bounds). */
const unit = fc.double({ min: -1, max: 1, noNaN: true });
const small = (o: { maxS?: number; maxD?: number } = {}) => convCase({ maxC: 3, maxF: 3, maxHW: 6, maxK: 3, maxS: o.maxS ?? 3, maxP: 1, maxD: o.maxD ?? 3, entries: unit });
/** tfjs throws when stride and dilation are both > 1 (tfjs-notes §2). */
const tfCompatible = (t: ConvCase) => t.stride === 1 || t.dilation === 1;
const doutFor = (t: ConvCase, e: fc.Arbitrary<number> = unit) => {
  const [F, OH, OW] = shape3(J.conv2d(t.x, t.W, t.b, t.stride, t.pad, t.dilation));
  return fc.array(fc.array(fc.array(e, { minLength: OW, maxLength: OW }), { minLength: OH, maxLength: OH }), { minLength: F, maxLength: F });
};

/** tf.conv2d (+ bias) of one C×H×W image with explicit symmetric pads, back as C×H×W. */
const tfConv = (t: ConvCase): Image =>
  fromNHWC(run(() => tf.add(tf.conv2d(toNHWC([t.x]), toHWIO(t.W), t.stride, explicitPad(t.pad), 'NHWC', t.dilation), tf.tensor1d(t.b))))[0];

/**
 * tf.grads of Σ dout ⊙ conv2d(x, W) + b. tfjs has no conv2d gradient for dilation > 1 ("dilation
 * rates greater than 1 are not yet supported in gradients", shown below): a dilated case is
 * differentiated through the equivalent dilation-1 conv with the zero-spread kernel, and dW is
 * read at the taps of that kernel.
 */
function tfGrads(t: ConvCase, dout: Image): J.ConvGradients {
  const d = t.dilation;
  const spread = t.W.map((wf) => wf.map((k) => dilateKernel(k, d)));
  const [dx, dWs, db] = run(() => {
    const g = tf.grads((x: tf.Tensor, w: tf.Tensor, b: tf.Tensor) => tf.add(tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, t.stride, explicitPad(t.pad), 'NHWC', 1), b));
    return g([toNHWC([t.x]), toHWIO(spread), tf.tensor1d(t.b)], toNHWC([dout]));
  });
  const dWspread = fromHWIO(dWs);
  return { dx: fromNHWC(dx)[0], dW: dWspread.map((wf) => wf.map((k) => k.filter((_, i) => i % d === 0).map((row) => row.filter((_, j) => j % d === 0)))), db: db as number[] };
}

describe(`convolution vs TensorFlow.js [${backend.label}]`, () => {
  it('J1: conv2d = tf.conv2d with explicit pads and a bias (channels, filters, non-square, stride or dilation)', () =>
    fc.assert(
      fc.property(small().filter(tfCompatible), (raw) => {
        const t = f32(raw);
        expectAllClose(J.conv2d(...args(t)), tfConv(t), TF_CONV, `conv2d s=${t.stride} p=${t.pad} d=${t.dilation}`);
      }),
      { numRuns: 60 },
    ));

  it('J1: tf.conv2d is cross-correlation: the [Tu] example gives [[12,12,17],[10,17,19],[9,6,14]] in tfjs too; the flipped kernel gives the true convolution', () => {
    expect(tfConv(tuExample.input)).toEqual(tuExample.expected);
    expect(tfConv({ ...tuExample.input, W: [[rot180(tuExample.input.W[0][0])]] })[0]).toEqual(trueConvolutionExample.expected);
    expect(tfConv(stridedPaddedExample.input)).toEqual(stridedPaddedExample.expected);
  });

  it('J2: convolve2d = tf.conv2d with the kernel reversed on both spatial axes (tf.reverse)', () =>
    fc.assert(
      fc.property(small({ maxS: 1, maxD: 1 }).filter((t) => t.pad === 0), (raw) => {
        const t = f32(raw);
        const viaTf = fromNHWC(run(() => tf.conv2d(toNHWC([[t.x[0]]]), tf.reverse(toHWIO([[t.W[0][0]]]), [0, 1]) as tf.Tensor4D, 1, 'valid')))[0][0];
        expectAllClose(J.convolve2d(t.x[0], t.W[0][0]), viaTf, TF_CONV, 'convolve2d');
      }),
      { numRuns: 40 },
    ));

  it('J3: conv2dIm2col = tf.conv2d', () =>
    fc.assert(
      fc.property(small().filter(tfCompatible), (raw) => {
        const t = f32(raw);
        expectAllClose(J.conv2dIm2col(...args(t)), tfConv(t), TF_CONV, 'conv2dIm2col');
      }),
      { numRuns: 30 },
    ));

  it('J4: conv2dBackward = tf.grads through tf.conv2d (dx, dW, db; cpu kernel: wasm has no Conv2DBackpropFilter)', () =>
    onBackend('cpu', () =>
      fc.assert(
        fc.property(small({ maxD: 1 }).chain((t) => fc.tuple(fc.constant(t), doutFor(t))), ([raw, rawDout]) => {
          const [t, dout] = [f32(raw), f32(rawDout)];
          expectAllClose(J.conv2dBackward(dout, t.x, t.W, t.stride, t.pad, t.dilation), tfGrads(t, dout), TF_CONV_GRAD, `conv2dBackward s=${t.stride} p=${t.pad}`);
        }),
        { numRuns: 60 },
      ),
    ));

  it('J4: dilated backward = tf.grads through the equivalent conv with the zero-spread kernel (tfjs refuses dilated conv gradients)', async () => {
    await onBackend('cpu', () =>
      fc.assert(
        fc.property(small({ maxS: 1 }).filter((t) => t.dilation > 1).chain((t) => fc.tuple(fc.constant(t), doutFor(t))), ([raw, rawDout]) => {
          const [t, dout] = [f32(raw), f32(rawDout)];
          expectAllClose(J.conv2dBackward(dout, t.x, t.W, t.stride, t.pad, t.dilation), tfGrads(t, dout), TF_CONV_GRAD, `conv2dBackward d=${t.dilation}`);
        }),
        { numRuns: 30 },
      ),
    );
    const x = tf.ones([1, 5, 5, 1]) as tf.Tensor4D;
    expect(() => tf.grad((w: tf.Tensor) => tf.conv2d(x, w as tf.Tensor4D, 1, 'valid', 'NHWC', 2))(tf.ones([2, 2, 1, 1]))).toThrowError(/dilation rates greater than 1 are not yet supported in gradients/);
  });

  it('tfjs-backend-wasm 4.22 has no Conv2DBackpropFilter: tf.grads w.r.t. the filter throws there (the reason the gradient checks run on cpu)', async () => {
    const t = tuExample.input;
    await onBackend('wasm', () => {
      expect(() => run(() => tf.grad((w: tf.Tensor) => tf.conv2d(toNHWC([t.x]), w as tf.Tensor4D, 1, 'valid'))(toHWIO(t.W)))).toThrowError(/Conv2DBackpropFilter' not registered for backend 'wasm'/);
    });
  });

  it('J6: conv1x1 = tf.conv2d with 1×1 filters', () =>
    fc.assert(
      fc.property(small({ maxS: 1, maxD: 1 }), (raw) => {
        const t = f32(raw);
        const Wm = t.W.map((wf) => wf.map((k) => k[0][0]));
        const viaTf = tfConv({ x: t.x, W: Wm.map((row) => row.map((w) => [[w]])), b: t.b, stride: 1, pad: 0, dilation: 1 });
        expectAllClose(J.conv1x1(t.x, Wm, t.b), viaTf, TF_CONV, 'conv1x1');
      }),
      { numRuns: 30 },
    ));
});

describe('convolution vs numerical derivatives (reference gradcheck, float64)', () => {
  const loss = (t: ConvCase, dout: Image) => (v: number[]) => {
    const [nx, nw] = [flat(t.x).length, flat(t.W).length];
    return dot(flat(J.conv2d(toImage(v.slice(0, nx), shape3(t.x)), toFilters(v.slice(nx, nx + nw), filterShape(t.W)), v.slice(nx + nw), t.stride, t.pad, t.dilation)), flat(dout));
  };
  const gradOf = (t: ConvCase, dout: Image) => {
    const g = J.conv2dBackward(dout, t.x, t.W, t.stride, t.pad, t.dilation);
    return [...flat(g.dx), ...flat(g.dW), ...g.db];
  };

  it('J4: every entry of (dx, dW, db) on small inputs (stride, pad, dilation)', () =>
    fc.assert(
      fc.property(convCase({ maxC: 2, maxF: 2, maxHW: 4, maxK: 2, maxS: 2, maxP: 1, maxD: 2, entries: signedUnit }).chain((t) => fc.tuple(fc.constant(t), doutFor(t, signedUnit))), ([t, dout]) => {
        const numeric = numericalGradient(loss(t, dout), [...flat(t.x), ...flat(t.W), ...t.b]);
        expect(normwiseError(gradOf(t, dout), numeric)).toBeLessThan(NUMERIC_REL_ERROR);
      }),
      { numRuns: 25 },
    ));

  it('J4: along random directions on larger inputs', () =>
    fc.assert(
      fc.property(
        convCase({ maxC: 3, maxF: 3, maxHW: 8, maxK: 3, maxS: 3, maxP: 2, maxD: 3, entries: signedUnit }).chain((t) =>
          fc.tuple(fc.constant(t), doutFor(t, signedUnit), fc.array(signedUnit, { minLength: flat(t.x).length + flat(t.W).length + t.b.length, maxLength: flat(t.x).length + flat(t.W).length + t.b.length })),
        ),
        ([t, dout, v]) => {
          const g = gradOf(t, dout);
          const numeric = directionalDerivative(loss(t, dout), [...flat(t.x), ...flat(t.W), ...t.b], v);
          // relative to Σ|v_i g_i|: vᵀg itself may cancel to ~0
          expect(Math.abs(dot(v, g) - numeric) / g.reduce((s, gi, i) => s + Math.abs(gi * v[i]), 1e-300)).toBeLessThan(NUMERIC_REL_ERROR);
        },
      ),
      { numRuns: 40 },
    ));
});

describe("convolution vs the notes' worked examples", () => {
  it.each([binaryExample, tuExample, twoChannelExample, twoFilterExample])('$id: conv2d and conv2dIm2col give the printed output', (f) => {
    expect(J.conv2d(...args(f.input))).toEqual(f.expected);
    expect(J.conv2dIm2col(...args(f.input))).toEqual(f.expected);
  });

  it('erratum 3: stride 2, pad 1 gives [[6,17,3],[8,17,13],[6,4,4]]; the printed figure is the top-left 3×3 of the stride-1 output', () => {
    const { input, expected, erratum, wrong } = stridedPaddedExample;
    expect(J.conv2d(...args(input))).toEqual(expected);
    expect(erratum?.printed).not.toEqual(expected);
    const stride1 = J.conv2d(input.x, input.W, input.b, 1, 1, 1);
    expect(stride1[0].slice(0, 3).map((row) => row.slice(0, 3))).toEqual((erratum?.printed as Image)[0]);
    expect(wrong.strideIgnored).toEqual(erratum?.printed);
    // the named wrong values are what those mistakes compute
    expect(J.conv2d(input.x, [[rot180(input.W[0][0])]], [0], 2, 1)).toEqual(wrong.flipped);
    const after = input.x[0].map((row) => [...row, 0, 0]).concat([Array(7).fill(0), Array(7).fill(0)]);
    expect(J.conv2d([after], input.W, [0], 2, 0)).toEqual(wrong.padAfterOnly);
    const before = [Array(7).fill(0), Array(7).fill(0)].concat(input.x[0].map((row) => [0, 0, ...row]));
    expect(J.conv2d([before], input.W, [0], 2, 0)).toEqual(wrong.padBeforeOnly);
  });

  it("the wrong values the graders name: the flipped kernel and one channel only", () => {
    expect(J.conv2d(tuExample.input.x, [[rot180(tuKernelOf())]], [0])).toEqual(tuExample.wrong.flipped);
    expect(J.conv2d([twoChannelExample.input.x[0]], [[twoChannelExample.input.W[0][0]]], [0])).toEqual(twoChannelExample.wrong.firstChannelOnly);
  });
  const tuKernelOf = () => tuExample.input.W[0][0];

  it('J2, J3, J4, J5, J6: the hand-derived examples', () => {
    expect(J.convolve2d(trueConvolutionExample.input.x, trueConvolutionExample.input.w)).toEqual(trueConvolutionExample.expected);
    for (const f of [im2colExample, im2colPaddedExample]) expect(J.im2col(f.input.x, f.input.KH, f.input.KW, f.input.stride, f.input.pad, f.input.dilation)).toEqual(f.expected);
    const c = col2imExample.input;
    expect(J.col2im(c.cols, c.shape, c.KH, c.KW, c.stride, c.pad, c.dilation)).toEqual(col2imExample.expected);
    for (const f of [backwardExample, backwardStridedExample]) {
      const i = f.input;
      expect(J.conv2dBackward(i.dout, i.x, i.W, i.stride, i.pad, i.dilation)).toEqual(f.expected);
    }
    const s = backwardStridedExample.input;
    // the stride-ignored variant: the same loops with windows at stride 1
    expect(backwardStridedExample.wrong.strideIgnored.dW).not.toEqual(backwardStridedExample.expected.dW);
    expect(J.conv2dBackward(s.dout, s.x, s.W, 2, 1).db).toEqual([4]);
    for (const k of imageKernels) expectAllClose(J.imageKernel(k.input.name as J.KernelName), k.expected, FIXTURE_FLOAT64, k.id);
    expect(J.conv1x1(conv1x1Example.input.x, conv1x1Example.input.W, conv1x1Example.input.b)).toEqual(conv1x1Example.expected);
  });
});

describe("the catalogue's properties (fast-check)", () => {
  const quarterCase = convCase({ maxC: 3, maxF: 3, maxHW: 7, maxK: 3, maxS: 3, maxP: 2, maxD: 3 });

  it('J1/J5: the identity kernel (pad 1) returns the input', () =>
    fc.assert(
      fc.property(quarterCase, (t) => {
        expect(J.conv2d([t.x[0]], [[J.imageKernel('identity')]], [0], 1, 1)).toEqual([t.x[0]]);
      }),
    ));

  it('J5: blurs and sharpen sum to 1 and keep constant images; edge kernels sum to 0 and send them to 0', () =>
    fc.assert(
      fc.property(fc.constantFrom<J.KernelName>('identity', 'edge1', 'edge2', 'edge3', 'sharpen', 'boxBlur', 'gaussianBlur'), fc.double({ min: -10, max: 10, noNaN: true }), (name, c) => {
        const k = J.imageKernel(name);
        const total = flat(k).reduce((a, b) => a + b, 0);
        const level = name.startsWith('edge') ? 0 : 1;
        expect(total).toBeCloseTo(level, 14);
        const out = J.conv2d([Array.from({ length: 5 }, () => Array(5).fill(c))], [[k]], [0]);
        expectAllClose(out, [Array.from({ length: 3 }, () => Array(3).fill(level * c))], { rtol: 1e-14, atol: 1e-14 }, name);
      }),
    ));

  it('J3: im2col ≡ direct (conv2dIm2col = conv2d) and col2im is the adjoint of im2col', () =>
    fc.assert(
      fc.property(quarterCase, (t) => {
        expect(J.conv2dIm2col(...args(t))).toEqual(J.conv2d(...args(t)));
        const [KH, KW] = [t.W[0][0].length, t.W[0][0][0].length];
        const cols = J.im2col(t.x, KH, KW, t.stride, t.pad, t.dilation);
        const Y = cols.map((row, r) => row.map((_, p) => ((r * 7 + p * 3) % 5) - 2));
        expect(dot(flat(J.col2im(Y, shape3(t.x), KH, KW, t.stride, t.pad, t.dilation)), flat(t.x))).toBe(dot(flat(cols), flat(Y)));
      }),
    ));

  it('J2: convolution ≡ cross-correlation with the kernel rotated by 180°', () =>
    fc.assert(
      fc.property(quarterCase.filter((t) => t.pad === 0 && t.stride === 1 && t.dilation === 1), (t) => {
        expect(J.convolve2d(t.x[0], t.W[0][0])).toEqual(J.conv2d([t.x[0]], [[rot180(t.W[0][0])]], [0])[0]);
      }),
    ));

  it('J4: dx = col2im(W_rowᵀ·dout_row) ([Oh] "Backpropagation of Convolution Layer")', () =>
    fc.assert(
      fc.property(quarterCase.chain((t) => fc.tuple(fc.constant(t), doutFor(t))), ([t, dout]) => {
        const [KH, KW] = [t.W[0][0].length, t.W[0][0][0].length];
        const Wrow = t.W.map((wf) => flat(wf));
        const doutRow = dout.map((m) => flat(m));
        const dcols = Wrow[0].map((_, r) => doutRow[0].map((_, p) => Wrow.reduce((s, w, f) => s + w[r] * doutRow[f][p], 0)));
        expectAllClose(J.conv2dBackward(dout, t.x, t.W, t.stride, t.pad, t.dilation).dx, J.col2im(dcols, shape3(t.x), KH, KW, t.stride, t.pad, t.dilation), { rtol: 1e-12, atol: 1e-12 }, 'dx');
      }),
    ));

  it('J6: a 1×1 convolution is the same matrix applied to every pixel (≡ conv2d with 1×1 filters)', () =>
    fc.assert(
      fc.property(quarterCase, (t) => {
        const Wm = t.W.map((wf) => wf.map((k) => k[0][0]));
        const out = J.conv1x1(t.x, Wm, t.b);
        expect(out).toEqual(J.conv2d(t.x, Wm.map((row) => row.map((w) => [[w]])), t.b));
        const [C, H, W] = shape3(t.x);
        const [i, j] = [H - 1, W - 1];
        expect(out.map((m) => m[i][j])).toEqual(Wm.map((row, f) => t.b[f] + row.reduce((s, w, c) => s + w * t.x[c][i][j], 0)));
        expect(C).toBe(Wm[0].length);
      }),
    ));
});

describe('convolution input validation', () => {
  const x = tuExample.input.x;
  const W = tuExample.input.W;
  it.each([
    ['conv2d channel mismatch names both shapes', () => J.conv2d(x, twoChannelExample.input.W, [0]), /^conv2d: argument 'W' must have as many channels per filter as x has channels: W is \[1, 2, 2, 2\] .*x is \[1, 5, 5\]/],
    ['conv2d bias length', () => J.conv2d(x, W, [0, 1]), /^conv2d: argument 'b' must have one bias per filter: W has 1 filters/],
    ['conv2d kernel larger than the padded input', () => J.conv2d(x, W, [0], 1, 0, 3), /^conv2d: argument 'W' does not fit: the effective kernel 7×7 \(kernel 3×3, dilation 3\) is larger than the padded input 5×5/],
    ['conv2d stride 0', () => J.conv2d(x, W, [0], 0), /^conv2d: argument 'stride' must be an integer ≥ 1; got 0/],
    ['conv2d negative pad', () => J.conv2d(x, W, [0], 1, -1), /^conv2d: argument 'pad' must be an integer ≥ 0; got -1/],
    ['conv2d NaN in x', () => J.conv2d([[[NaN]]], [[[[1]]]], [0]), /^conv2d: argument 'x\[0\]' must contain only finite numbers/],
    ['conv2dBackward dout shape', () => J.conv2dBackward([[[1, 2], [3, 4]]], x, W), /^conv2dBackward: argument 'dout' must have the shape of conv2d's output \[F, OH, OW\] = \[1, 3, 3\] .* got \[1, 2, 2\]/],
    ['convolve2d kernel larger than x', () => J.convolve2d([[1, 2]], [[1], [2]]), /^convolve2d: argument 'w' does not fit: kernel 2×1 is larger than x 1×2/],
    ['im2col dilation 0', () => J.im2col(x, 2, 2, 1, 0, 0), /^im2col: argument 'dilation' must be an integer ≥ 1; got 0/],
    ['col2im cols shape', () => J.col2im([[1, 2]], [1, 3, 3], 2, 2), /^col2im: argument 'cols' must be \[C·KH·KW, OH·OW\] = \[4, 4\] .* got \[1, 2\]/],
    ['col2im shape', () => J.col2im([[1]], [1, 3] as never, 2, 2), /^col2im: argument 'shape' must be \[C, H, W\]/],
    ['conv2dIm2col channel mismatch', () => J.conv2dIm2col(x, twoChannelExample.input.W, [0]), /^conv2dIm2col: argument 'W' must have as many channels/],
    ['imageKernel unknown name', () => J.imageKernel('emboss' as J.KernelName), /^imageKernel: argument 'name' must be one of 'identity', 'edge1'.*; got "emboss"/],
    ['conv1x1 W columns', () => J.conv1x1(x, [[1, 2]], [0]), /^conv1x1: argument 'W' must be F×C with C = 1 columns \(x is \[1, 5, 5\]\); got 1×2/],
    ['conv1x1 bias length', () => J.conv1x1(x, [[1]], [0, 0]), /^conv1x1: argument 'b' must have one bias per row of W \(1\); got length 2/],
  ])('%s', (_name, call, message) => {
    expect(call).toThrowError(message as RegExp);
  });
});

// ---------------------------------------------------------------------------------------------
// Framework conventions (issue 13): per-axis stride [S_h, S_w], per-side pads [P_t, P_b, P_l, P_r]
// and TensorFlow's 'same' / 'valid'. tfjs takes them as they are: strides [sh, sw], pad
// 'same' | 'valid' | [[0, 0], [P_t, P_b], [P_l, P_r], [0, 0]] (NHWC). The values run on tfjs's cpu
// kernel: tfjs-backend-wasm 4.22 returns zeros from 'same' when a kernel leaves spare room
// (shown in specs/conv-arithmetic.spec.ts), and has no Conv2DBackpropFilter.

type Conventions = { x: Image; W: Filters; b: number[]; stride: [number, number]; pad: J.Padding; dilation: number };
const tfPad = (pad: J.Padding): 'same' | 'valid' | [[0, 0], [number, number], [number, number], [0, 0]] =>
  typeof pad === 'string' ? pad : typeof pad === 'number' ? explicitPad(pad) : [[0, 0], [pad[0], pad[1]], [pad[2], pad[3]], [0, 0]];
/** The padded size of one axis as the reference must resolve it (TF's 'same' rule written out here, not taken from the reference). */
const paddedExtent = (n: number, K: number, S: number, d: number, pad: J.Padding, axis: 0 | 1) => {
  if (pad === 'valid') return n;
  if (pad === 'same') return n + Math.max((Math.ceil(n / S) - 1) * S + d * (K - 1) + 1 - n, 0);
  return typeof pad === 'number' ? n + 2 * pad : n + pad[2 * axis] + pad[2 * axis + 1];
};
/**
 * Odd and even sizes 1…7, kernels 1…3 (non-square), strides [sh, sw] 1…3 each, pads 'same',
 * 'valid' or four sides 0…2 each, dilation ≤ 2 at stride 1 (tfjs refuses both > 1); entries in
 * [−1, 1], ≤ 3 channels and filters: the shapes of the TF_CONV bound (≤ 28 terms per output,
 * whatever the map size). The gradient check keeps to TF_CONV_GRAD's shapes: maps ≤ 6×6 with
 * ≤ 1 pad per side ('same' on them pads ≤ 1 per side with 3×3 kernels), so ≤ 8×8 positions.
 */
const conventionCase = (entries: fc.Arbitrary<number> = unit, maxHW = 7, maxP = 2): fc.Arbitrary<Conventions> => {
  const int = (min: number, max: number) => fc.integer({ min, max });
  const pad: fc.Arbitrary<J.Padding> = fc.oneof(fc.constantFrom<J.Padding>('same', 'valid'), fc.tuple(int(0, maxP), int(0, maxP), int(0, maxP), int(0, maxP)));
  return fc
    .record({ C: int(1, 3), F: int(1, 3), H: int(1, maxHW), W: int(1, maxHW), KH: int(1, 3), KW: int(1, 3), sh: int(1, 3), sw: int(1, 3), d: int(1, 2), pad })
    .filter((g) => (g.d === 1 || (g.sh === 1 && g.sw === 1)) && g.d * (g.KH - 1) + 1 <= paddedExtent(g.H, g.KH, g.sh, g.d, g.pad, 0) && g.d * (g.KW - 1) + 1 <= paddedExtent(g.W, g.KW, g.sw, g.d, g.pad, 1))
    .chain((g) =>
      fc.record({
        x: fc.array(fc.array(fc.array(entries, { minLength: g.W, maxLength: g.W }), { minLength: g.H, maxLength: g.H }), { minLength: g.C, maxLength: g.C }),
        W: fc.array(fc.array(fc.array(fc.array(entries, { minLength: g.KW, maxLength: g.KW }), { minLength: g.KH, maxLength: g.KH }), { minLength: g.C, maxLength: g.C }), { minLength: g.F, maxLength: g.F }),
        b: fc.array(entries, { minLength: g.F, maxLength: g.F }),
        stride: fc.constant<[number, number]>([g.sh, g.sw]),
        pad: fc.constant(g.pad),
        dilation: fc.constant(g.d),
      }),
    );
};
const cargs = (t: Conventions) => [t.x, t.W, t.b, t.stride, t.pad, t.dilation] as const;
const tfConvWith = (t: Conventions): Image => fromNHWC(run(() => tf.add(tf.conv2d(toNHWC([t.x]), toHWIO(t.W), t.stride, tfPad(t.pad), 'NHWC', t.dilation), tf.tensor1d(t.b))))[0];
const doutOf = (t: Conventions, e: fc.Arbitrary<number> = unit) => {
  const [F, OH, OW] = shape3(J.conv2d(...cargs(t)));
  return fc.array(fc.array(fc.array(e, { minLength: OW, maxLength: OW }), { minLength: OH, maxLength: OH }), { minLength: F, maxLength: F });
};
/** tf.grads through tf.conv2d with the case's strides and pads; dilation through the zero-spread kernel (same K_eff, so the same 'same' pads), as tfGrads above. */
const tfGradsWith = (t: Conventions, dout: Image): J.ConvGradients => {
  const d = t.dilation;
  const spread = t.W.map((wf) => wf.map((k) => dilateKernel(k, d)));
  const [dx, dWs, db] = run(() => tf.grads((x: tf.Tensor, w: tf.Tensor, b: tf.Tensor) => tf.add(tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, t.stride, tfPad(t.pad), 'NHWC', 1), b))([toNHWC([t.x]), toHWIO(spread), tf.tensor1d(t.b)], toNHWC([dout])));
  return { dx: fromNHWC(dx)[0], dW: fromHWIO(dWs).map((wf) => wf.map((k) => k.filter((_, i) => i % d === 0).map((row) => row.filter((_, j) => j % d === 0)))), db: db as number[] };
};
const label = (t: Conventions) => `x=${JSON.stringify(shape3(t.x))} k=${t.W[0][0].length}×${t.W[0][0][0].length} s=${JSON.stringify(t.stride)} p=${JSON.stringify(t.pad)} d=${t.dilation}`;

describe(`framework conventions: stride [sh, sw], pads [top, bottom, left, right], TF 'same'/'valid' vs TensorFlow.js [cpu kernel]`, () => {
  it("J1/J3: conv2d and conv2dIm2col = tf.conv2d(x, HWIO(W), [sh, sw], 'same' | 'valid' | explicit pads, dilation) + b on odd and even sizes", () =>
    onBackend('cpu', () =>
      fc.assert(
        fc.property(conventionCase(), (raw) => {
          const t = f32(raw);
          const viaTf = tfConvWith(t);
          expectAllClose(J.conv2d(...cargs(t)), viaTf, TF_CONV, `conv2d ${label(t)}`);
          expectAllClose(J.conv2dIm2col(...cargs(t)), viaTf, TF_CONV, `conv2dIm2col ${label(t)}`);
        }),
        { numRuns: 80 },
      ),
    ));

  it('J4: conv2dBackward = tf.grads through tf.conv2d with the same strides and pads (dx, dW, db)', () =>
    onBackend('cpu', () =>
      fc.assert(
        fc.property(conventionCase(unit, 6, 1).chain((t) => fc.tuple(fc.constant(t), doutOf(t))), ([raw, rawDout]) => {
          const [t, dout] = [f32(raw), f32(rawDout)];
          expectAllClose(J.conv2dBackward(dout, t.x, t.W, t.stride, t.pad, t.dilation), tfGradsWith(t, dout), TF_CONV_GRAD, `conv2dBackward ${label(t)}`);
        }),
        { numRuns: 60 },
      ),
    ));

  it("J6: conv1x1 = tf.conv2d with a [1, 1, C, F] filter, strides [sh, sw] and any pad ('same' never pads a 1×1 kernel)", () =>
    onBackend('cpu', () =>
      fc.assert(
        fc.property(conventionCase(), (raw) => {
          const t = f32(raw);
          const Wm = t.W.map((wf) => wf.map((k) => k[0][0]));
          const viaTf = tfConvWith({ ...t, W: Wm.map((row) => row.map((w) => [[w]])), dilation: 1 });
          expectAllClose(J.conv1x1(t.x, Wm, t.b, t.stride, t.pad), viaTf, TF_CONV, `conv1x1 ${label(t)}`);
          if (typeof t.pad === 'string') expect(shape3(J.conv1x1(t.x, Wm, t.b, t.stride, t.pad)).slice(1)).toEqual([Math.ceil(t.x[0].length / t.stride[0]), Math.ceil(t.x[0][0].length / t.stride[1])]);
        }),
        { numRuns: 40 },
      ),
    ));

  it("I2/J1: TF 'same' puts the odd extra row and column at the bottom/right — 4×4 input 1…16, 3×3 ones, stride 2: P = (2 − 1)·2 + 3 − 4 = 1 → [0, 1, 0, 1]", async () => {
    const x = [Array.from({ length: 4 }, (_, i) => Array.from({ length: 4 }, (_, j) => 4 * i + j + 1))];
    const ones: Filters = [[Array.from({ length: 3 }, () => [1, 1, 1])]];
    // by hand: windows rows/cols {0,1,2} and {2,3,(pad)}: 1+2+3+5+6+7+9+10+11 = 54; 3+4+7+8+11+12 = 45; 9+10+11+13+14+15 = 72; 11+12+15+16 = 54
    const expected = [[[54, 45], [72, 54]]];
    expect(J.conv2d(x, ones, [0], 2, 'same')).toEqual(expected);
    expect(J.conv2d(x, ones, [0], [2, 2], [0, 1, 0, 1])).toEqual(expected);
    expect(J.conv2d(x, ones, [0], 2, [1, 0, 1, 0])).not.toEqual(expected); // the extra pixel before (top/left) is another convention
    expect(await onBackend('cpu', () => tfConvWith({ x, W: ones, b: [0], stride: [2, 2], pad: 'same', dilation: 1 }))).toEqual(expected);
  });

  it('PyTorch nn.Conv2d shapes: "H_out = ⌊(H_in + 2×padding[0] − dilation[0]×(kernel_size[0] − 1) − 1)/stride[0] + 1⌋" (torch.nn.Conv2d documentation) with pad [p_h, p_h, p_w, p_w], stride [s_h, s_w]', () =>
    fc.assert(
      fc.property(fc.record({ H: fc.integer({ min: 1, max: 9 }), W: fc.integer({ min: 1, max: 9 }), KH: fc.integer({ min: 1, max: 3 }), KW: fc.integer({ min: 1, max: 3 }), sh: fc.integer({ min: 1, max: 3 }), sw: fc.integer({ min: 1, max: 3 }), ph: fc.integer({ min: 0, max: 2 }), pw: fc.integer({ min: 0, max: 2 }), d: fc.integer({ min: 1, max: 2 }) }), (g) => {
        const torch = (n: number, p: number, k: number, s: number) => Math.floor((n + 2 * p - g.d * (k - 1) - 1) / s + 1);
        fc.pre(torch(g.H, g.ph, g.KH, g.sh) >= 1 && torch(g.W, g.pw, g.KW, g.sw) >= 1);
        const x = [Array.from({ length: g.H }, () => new Array<number>(g.W).fill(1))];
        const W: Filters = [[Array.from({ length: g.KH }, () => new Array<number>(g.KW).fill(1))]];
        expect(shape3(J.conv2d(x, W, [0], [g.sh, g.sw], [g.ph, g.ph, g.pw, g.pw], g.d))).toEqual([1, torch(g.H, g.ph, g.KH, g.sh), torch(g.W, g.pw, g.KW, g.sw)]);
      }),
      { numRuns: 100 },
    ));
});

describe('framework conventions vs numerical derivatives and properties (float64)', () => {
  it('J4: conv2dBackward with [sh, sw] and per-side / same / valid pads = the central difference of conv2d (every entry)', () =>
    fc.assert(
      fc.property(conventionCase(signedUnit, 5).chain((t) => fc.tuple(fc.constant(t), doutOf(t, signedUnit))), ([t, dout]) => {
        const [nx, nw] = [flat(t.x).length, flat(t.W).length];
        const f = (v: number[]) => dot(flat(J.conv2d(toImage(v.slice(0, nx), shape3(t.x)), toFilters(v.slice(nx, nx + nw), filterShape(t.W)), v.slice(nx + nw), t.stride, t.pad, t.dilation)), flat(dout));
        const g = J.conv2dBackward(dout, t.x, t.W, t.stride, t.pad, t.dilation);
        const numeric = numericalGradient(f, [...flat(t.x), ...flat(t.W), ...t.b]);
        expect(normwiseError([...flat(g.dx), ...flat(g.dW), ...g.db], numeric)).toBeLessThan(NUMERIC_REL_ERROR);
      }),
      { numRuns: 25 },
    ));

  it('J3/J4: col2im is the adjoint of im2col and dx = col2im(W_rowᵀ·dout_row) under every convention', () =>
    fc.assert(
      fc.property(conventionCase(fc.integer({ min: -3, max: 3 })).chain((t) => fc.tuple(fc.constant(t), doutOf(t, fc.integer({ min: -3, max: 3 })))), ([t, dout]) => {
        const [KH, KW] = [t.W[0][0].length, t.W[0][0][0].length];
        const cols = J.im2col(t.x, KH, KW, t.stride, t.pad, t.dilation);
        const Y = cols.map((row, r) => row.map((_, p) => ((r * 7 + p * 3) % 5) - 2));
        expect(dot(flat(J.col2im(Y, shape3(t.x), KH, KW, t.stride, t.pad, t.dilation)), flat(t.x))).toBe(dot(flat(cols), flat(Y)));
        const Wrow = t.W.map((wf) => flat(wf));
        const doutRow = dout.map((m) => flat(m));
        const dcols = Wrow[0].map((_, r) => doutRow[0].map((_, p) => Wrow.reduce((s, w, f) => s + w[r] * doutRow[f][p], 0)));
        expect(J.conv2dBackward(dout, t.x, t.W, t.stride, t.pad, t.dilation).dx).toEqual(J.col2im(dcols, shape3(t.x), KH, KW, t.stride, t.pad, t.dilation));
      }),
      { numRuns: 60 },
    ));

  it("the notes' form is the default and a special case: stride s ≡ [s, s], pad p ≡ [p, p, p, p], 'valid' ≡ 0", () =>
    fc.assert(
      fc.property(convCase({ maxC: 2, maxF: 2, maxHW: 6, maxK: 3, maxS: 3, maxP: 2, maxD: 2 }), (t) => {
        const out = J.conv2d(t.x, t.W, t.b, t.stride, t.pad, t.dilation);
        expect(J.conv2d(t.x, t.W, t.b, [t.stride, t.stride], [t.pad, t.pad, t.pad, t.pad], t.dilation)).toEqual(out);
        if (t.pad === 0) expect(J.conv2d(t.x, t.W, t.b, t.stride, 'valid', t.dilation)).toEqual(out);
      }),
      { numRuns: 40 },
    ));
});

describe('framework conventions: input validation', () => {
  const x = tuExample.input.x;
  const W = tuExample.input.W;
  it.each([
    ['conv2d stride pair with a 0', () => J.conv2d(x, W, [0], [1, 0]), /^conv2d: argument 'stride\[1\]' must be an integer ≥ 1; got 0/],
    ['conv2d stride of length 3', () => J.conv2d(x, W, [0], [1, 1, 1] as never), /^conv2d: argument 'stride' must be an integer ≥ 1 or a pair \[sh, sw\]; got an array of length 3/],
    ['conv2d pads of length 3', () => J.conv2d(x, W, [0], 1, [1, 1, 1] as never), /^conv2d: argument 'pad' must be an integer ≥ 0, \[top, bottom, left, right\], 'same' or 'valid'; got an array of length 3/],
    ['conv2d a negative side', () => J.conv2d(x, W, [0], 1, [0, 0, -1, 0]), /^conv2d: argument 'pad\[2\]' must be an integer ≥ 0; got -1/],
    ['conv2d an unknown mode', () => J.conv2d(x, W, [0], 1, 'full' as never), /^conv2d: argument 'pad' must be an integer ≥ 0, \[top, bottom, left, right\], 'same' or 'valid'; got "full"/],
    ["conv2d 'valid' with a kernel larger than x", () => J.conv2d([[[1, 2]]], W, [0], 1, 'valid'), /^conv2d: argument 'W' does not fit: the effective kernel 3×3 .* larger than the padded input 1×2 \(input 1×2, pad 'valid'\)/],
    ['conv2dBackward dout shape names the pads', () => J.conv2dBackward([[[1]]], x, W, [2, 1], [0, 1, 0, 0]), /^conv2dBackward: argument 'dout' must have the shape of conv2d's output \[F, OH, OW\] = \[1, 2, 3\] .*stride \[2,1\], pad \[0,1,0,0\].* got \[1, 1, 1\]/],
    ['im2col stride pair', () => J.im2col(x, 2, 2, [0, 1]), /^im2col: argument 'stride\[0\]' must be an integer ≥ 1; got 0/],
    ['col2im pads', () => J.col2im([[1]], [1, 3, 3], 2, 2, 1, [1, 1, 1, 1.5]), /^col2im: argument 'pad\[3\]' must be an integer ≥ 0; got 1.5/],
    ['conv2dIm2col mode', () => J.conv2dIm2col(x, W, [0], 1, 'SAME' as never), /^conv2dIm2col: argument 'pad' must be .*; got "SAME"/],
    ['conv1x1 stride', () => J.conv1x1(x, [[1]], [0], [1, -1]), /^conv1x1: argument 'stride\[1\]' must be an integer ≥ 1; got -1/],
    ['conv1x1 pad', () => J.conv1x1(x, [[1]], [0], 1, -1), /^conv1x1: argument 'pad' must be an integer ≥ 0; got -1/],
  ])('%s', (_name, call, message) => {
    expect(call).toThrowError(message as RegExp);
  });
});
