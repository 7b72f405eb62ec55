/**
 * Family K (pooling): the reference against TensorFlow.js (tf.maxPool, tf.avgPool, sum pooling as
 * a depthwise conv with a ones filter, tf.maxPoolWithArgmax with its index layout mapped, tf.mean,
 * and tf.grads through each), against numerical derivatives (reference gradcheck, max pooling
 * away from ties), against the notes' worked examples (the 3×3 averages [Tu] prints to one
 * decimal), the catalogue's properties, and input validation.
 *
 * tfjs finding shown below: on ties, tfjs's cpu kernels (maxPool's gradient and
 * maxPoolWithArgmax) take the FIRST maximum of a window in row-major order — the convention of
 * this suite — while tfjs-backend-wasm 4.22 takes the LAST. Tie-free inputs agree on every
 * backend; the tie convention is checked on the cpu kernel and the wasm behaviour is pinned.
 *
 * Issue 13 (the frameworks' padding conventions): 'same' and explicit padding against tf.maxPool,
 * tf.avgPool, tf.maxPoolWithArgmax and tf.grad of maxPool; PyTorch's count_include_pad against
 * its documented formula (a 'valid' average of the zero-padded input, in tfjs); the real-cell
 * average's backward against tfjs autodiff of the same quotient and numerical derivatives.
 * tfjs finding: AvgPoolGrad divides by kH·kW even with padding (count_include_pad's backward).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { gapExamples, ohMax, ohMaxBackward, ohSlice, ohSpreadBackward, ohSum, tuAverage, tuAverageBackward, tuAveragePrinted, tuMap, tuMax, tuMaxBackward } from '../fixtures/pooling.fixtures.ts';
import { EXACT, FLOAT64 } from '../graders/engine/checks.ts';
import { directionalCheck, numericalGradient } from '../reference/gradcheck.ts';
import * as K from '../reference/pooling.ts';
import { createRandom } from '../reference/random.ts';
import { expectAllClose } from './support/expect.ts';
import { argmaxToSwitches, f32, fromNHWC, oracle, run, tf, toNHWC, onBackend } from './support/tf.ts';
import { NUMERIC_REL_ERROR, TF_POOL } from './support/tolerances.ts';

const backend = await oracle();

type Vec = number[];
type Img = number[][][];

const sum = (v: Vec) => v.reduce((a, b) => a + b, 0);
const flat = (x: Img): Vec => x.flat(2);
const shaped = (v: Vec, [C, H, W]: number[]): Img => Array.from({ length: C }, (_, c) => Array.from({ length: H }, (_, h) => v.slice((c * H + h) * W, (c * H + h + 1) * W)));
const dims = (x: Img): [number, number, number] => [x.length, x[0].length, x[0][0].length];
const outSize = (n: number, k: number, s: number) => Math.floor((n - k) / s) + 1;
const maxGap = (a: Img, b: Img) => Math.max(...flat(a).map((v, i) => Math.abs(v - flat(b)[i])));
const normwiseError = (a: Vec, b: Vec) => Math.max(...a.map((v, i) => Math.abs(v - b[i]))) / Math.max(1e-300, ...a.map(Math.abs), ...b.map(Math.abs));

// ---------------------------------------------------------------------------------------------
// inputs

interface Case {
  x: Img;
  size: number;
  stride: number;
  dout: Img;
}
/** C ≤ 3 channels of H×W ≤ 8×8 (non-square), windows 1…3, strides 1…4 (overlap, tiling, gaps, leftover rows). */
const geometry = fc.record({ C: fc.integer({ min: 1, max: 3 }), size: fc.integer({ min: 1, max: 3 }), stride: fc.integer({ min: 1, max: 4 }) }).chain((g) =>
  fc.record({ C: fc.constant(g.C), size: fc.constant(g.size), stride: fc.constant(g.stride), H: fc.integer({ min: g.size, max: 8 }), W: fc.integer({ min: g.size, max: 8 }) }),
);
const imageOf = ([C, H, W]: number[], e: fc.Arbitrary<number>) => fc.array(e, { minLength: C * H * W, maxLength: C * H * W }).map((v) => shaped(v, [C, H, W]));
const real = fc.double({ min: -5, max: 5, noNaN: true });
/** Distinct hundredths in [−5, 5]: no ties, exact in float32 up to rounding (gaps ≥ 0.01 ≫ the step h = 1e−5). */
const distinct = ([C, H, W]: number[]) => fc.uniqueArray(fc.integer({ min: -500, max: 500 }), { minLength: C * H * W, maxLength: C * H * W }).map((v) => shaped(v.map((a) => a / 100), [C, H, W]));
const poolCase = (values: (shape: number[]) => fc.Arbitrary<Img> = (s) => imageOf(s, real)): fc.Arbitrary<Case> =>
  geometry.chain((g) =>
    fc.record({
      x: values([g.C, g.H, g.W]),
      size: fc.constant(g.size),
      stride: fc.constant(g.stride),
      dout: imageOf([g.C, outSize(g.H, g.size, g.stride), outSize(g.W, g.size, g.stride)], fc.double({ min: -2, max: 2, noNaN: true })),
    }),
  );
const f32Case = (t: Case): Case => ({ ...t, x: f32(t.x), dout: f32(t.dout) });

// ---------------------------------------------------------------------------------------------
// the tfjs side: NHWC with N = 1, 'valid' (no padding: the suite's convention), square windows

const nhwc = (x: Img) => toNHWC([x]);
const one = (y: unknown): Img => fromNHWC(y)[0];
const tfMaxPool = (x: tf.Tensor4D, k: number, s: number) => tf.maxPool(x, k, s, 'valid');
const tfAvgPool = (x: tf.Tensor4D, k: number, s: number) => tf.avgPool(x, k, s, 'valid');
/** Sum pooling = a depthwise conv with a k×k filter of ones per channel ([k, k, C, 1], output channel c·1 + 0 = c). */
const tfSumPool = (x: tf.Tensor4D, k: number, s: number) => tf.depthwiseConv2d(x, tf.ones([k, k, x.shape[3], 1]) as tf.Tensor4D, s, 'valid');
/** GAP = the mean over H and W of NHWC, one value per channel. */
const tfGap = (x: tf.Tensor4D) => tf.mean(x, [1, 2]);
/** ∂(Σ dout ⊙ f(x))/∂x by tf.grad with dy = dout. */
const tfGrad = (f: (x: tf.Tensor) => tf.Tensor, x: Img, dout: tf.Tensor) => one(run(() => tf.grad(f)(nhwc(x), dout)));

describe(`pooling vs TensorFlow.js [${backend.label}]`, () => {
  it("K1 maxPool = tf.maxPool 'valid' (the same float32 values: exact)", () =>
    fc.assert(
      fc.property(poolCase(), (t0) => {
        const t = f32Case(t0);
        expectAllClose(one(run(() => tfMaxPool(nhwc(t.x), t.size, t.stride))), K.maxPool(t.x, t.size, t.stride).out, EXACT, 'out');
      }),
      { numRuns: 60 },
    ));

  // maxPoolWithArgmax and maxPool's gradient are wrong on tfjs-backend-wasm 4.22 for windows whose values are all negative (shown below): cpu kernel
  it("K1 switches = tf.maxPoolWithArgmax's indexes (y·W + x)·C + c mapped to y·W + x per channel (tie-free maps, cpu kernel)", () =>
    onBackend('cpu', () =>
      fc.assert(
        fc.property(poolCase(distinct), (t0) => {
          const t = f32Case(t0);
          const r = K.maxPool(t.x, t.size, t.stride);
          const [result, indexes] = run(() => Object.values(tf.maxPoolWithArgmax(nhwc(t.x), t.size, t.stride, 'valid'))) as [unknown, unknown];
          expect(one(result)).toEqual(r.out);
          expect(argmaxToSwitches(indexes)).toEqual(r.cache.switches);
        }),
        { numRuns: 60 },
      ),
    ));

  it("K1 avgPool = tf.avgPool 'valid', sumPool = tf.depthwiseConv2d with a ones filter", () =>
    fc.assert(
      fc.property(poolCase(), (t0) => {
        const t = f32Case(t0);
        const avg = one(run(() => tfAvgPool(nhwc(t.x), t.size, t.stride)));
        const total = one(run(() => tfSumPool(nhwc(t.x), t.size, t.stride)));
        expectAllClose(avg, K.avgPool(t.x, t.size, t.stride), TF_POOL, 'avgPool');
        expectAllClose(total, K.sumPool(t.x, t.size, t.stride), TF_POOL, 'sumPool');
      }),
      { numRuns: 60 },
    ));

  it('K2 maxPoolBackward = tf.grad of tf.maxPool with dy = dout (tie-free maps, overlapping windows accumulate in both; cpu kernel, see the wasm finding below)', () =>
    onBackend('cpu', () =>
      fc.assert(
        fc.property(poolCase(distinct), (t0) => {
          const t = f32Case(t0);
          const dx = K.maxPoolBackward(t.dout, K.maxPool(t.x, t.size, t.stride).cache);
          expectAllClose(tfGrad((x) => tfMaxPool(x as tf.Tensor4D, t.size, t.stride), t.x, nhwc(t.dout)), dx, TF_POOL, 'dx');
        }),
        { numRuns: 60 },
      ),
    ));

  it('K2 avgPoolBackward = tf.grad of tf.avgPool', () =>
    fc.assert(
      fc.property(poolCase(), (t0) => {
        const t = f32Case(t0);
        expectAllClose(tfGrad((x) => tfAvgPool(x as tf.Tensor4D, t.size, t.stride), t.x, nhwc(t.dout)), K.avgPoolBackward(t.dout, dims(t.x), t.size, t.stride), TF_POOL, 'avgPool dx');
      }),
      { numRuns: 60 },
    ));

  // tfjs-backend-wasm has no depthwise backprop kernels (tfjs-notes §2): the sum pool gradient runs on tfjs's cpu kernel
  it('K2 sumPoolBackward = tf.grad of the ones depthwise conv (cpu kernel)', () =>
    onBackend('cpu', () =>
      fc.assert(
        fc.property(poolCase(), (t0) => {
          const t = f32Case(t0);
          expectAllClose(tfGrad((x) => tfSumPool(x as tf.Tensor4D, t.size, t.stride), t.x, nhwc(t.dout)), K.sumPoolBackward(t.dout, dims(t.x), t.size, t.stride), TF_POOL, 'sumPool dx');
        }),
        { numRuns: 60 },
      ),
    ));

  it('K3 globalAvgPool = tf.mean(x, [1, 2]) and its backward = tf.grad of it with dy = dout', () =>
    fc.assert(
      fc.property(poolCase(), (t0) => {
        const t = f32Case(t0);
        const shape = dims(t.x);
        const dout = t.dout.map((ch) => ch[0][0]);
        expectAllClose((run(() => tfGap(nhwc(t.x))) as number[][])[0], K.globalAvgPool(t.x), TF_POOL, 'F');
        expectAllClose(tfGrad((x) => tfGap(x as tf.Tensor4D), t.x, tf.tensor2d([dout])), K.globalAvgPoolBackward(dout, shape), TF_POOL, 'dx');
      }),
      { numRuns: 60 },
    ));

  it("K1/K2 ties on [Tu]'s 5×5 map (3×3, stride 1): tfjs's cpu kernels take the first maximum, as the reference does; tfjs-backend-wasm 4.22 takes the last", async () => {
    const x = () => nhwc([tuMap]);
    const dy = () => nhwc([tuMaxBackward.input.dout]);
    const switchesOn = (b: string) => onBackend(b, () => argmaxToSwitches(run(() => tf.maxPoolWithArgmax(x(), 3, 1, 'valid').indexes))[0]);
    const gradOn = (b: string) => onBackend(b, () => one(run(() => tf.grad((t: tf.Tensor) => tfMaxPool(t as tf.Tensor4D, 3, 1))(x(), dy())))[0]);
    const { cache } = K.maxPool([tuMap], 3, 1);
    expect(cache.switches[0]).toEqual(tuMax.expected.switches);
    expect(await switchesOn('cpu')).toEqual(tuMax.expected.switches);
    expect(await gradOn('cpu')).toEqual(tuMaxBackward.expected);
    expect(K.maxPoolBackward([tuMaxBackward.input.dout], cache)[0]).toEqual(tuMaxBackward.expected);
    // wasm: the last maximum in row-major order, in the argmax and in the gradient alike
    expect(await switchesOn('wasm')).toEqual(tuMax.lastMaxSwitches);
    const lastMaxGrad = K.maxPoolBackward([tuMaxBackward.input.dout], { ...cache, switches: [tuMax.lastMaxSwitches] })[0];
    expect(await gradOn('wasm')).toEqual(lastMaxGrad);
    expect(lastMaxGrad).not.toEqual(tuMaxBackward.expected);
  });

  it('tfjs-backend-wasm 4.22 finding: maxPoolWithArgmax and the maxPool gradient start the running max at FLT_MIN ≈ 1.18e−38, so windows of negative values go wrong (maxPool itself is right)', async () => {
    // 2×2 windows at stride 2 on a map whose values are all negative: maxima −1, −2, −1, −1 at (0,1), (0,2), (2,0), (2,2)
    const neg = [[-3, -1, -2, -4], [-5, -6, -7, -8], [-1, -1, -1, -1], [-2, -2, -2, -2]];
    const { out, cache } = K.maxPool([neg], 2, 2);
    expect({ out: out[0], switches: cache.switches[0] }).toEqual({ out: [[-1, -2], [-1, -1]], switches: [[1, 2], [8, 10]] });
    const argmaxOn = (b: string) => onBackend(b, () => run(() => Object.values(tf.maxPoolWithArgmax(nhwc([neg]), 2, 2, 'valid'))) as [unknown, unknown]);
    const gradOn = (b: string) => onBackend(b, () => one(run(() => tf.grad((t: tf.Tensor) => tfMaxPool(t as tf.Tensor4D, 2, 2))(nhwc([neg]))))[0]);
    const [cpuOut, cpuIdx] = await argmaxOn('cpu');
    expect([one(cpuOut)[0], argmaxToSwitches(cpuIdx)[0]]).toEqual([out[0], cache.switches[0]]);
    expect(await gradOn('cpu')).toEqual(K.maxPoolBackward([[[1, 1], [1, 1]]], cache)[0]);
    const [wasmOut, wasmIdx] = await argmaxOn('wasm');
    expect(one(wasmOut)[0].flat()).toEqual(Array(4).fill(Math.fround(1.1754943508222875e-38)));
    expect(argmaxToSwitches(wasmIdx)[0]).toEqual([[0, 0], [0, 0]]);
    expect(sum((await gradOn('wasm')).flat())).not.toBe(4); // the routed gradient of dy = 1 must sum to 4
    expect(await onBackend('wasm', () => one(run(() => tfMaxPool(nhwc([neg]), 2, 2)))[0])).toEqual(out[0]);
  });
});

// ---------------------------------------------------------------------------------------------
// issue 13: the frameworks' padding conventions (options.padding, options.countIncludePad)

interface PadCase extends Case {
  padding: 'same' | K.Padding;
}
/** Odd and even sizes 1…7 (where 'same' puts the extra row/column at the bottom/right), windows 1…3, strides 1…3, 'same' or explicit pads 0…k − 1 per side. */
const padCase = (values: (shape: number[]) => fc.Arbitrary<Img> = (s) => imageOf(s, real)): fc.Arbitrary<PadCase> =>
  fc
    .record({ C: fc.integer({ min: 1, max: 2 }), H: fc.integer({ min: 1, max: 7 }), W: fc.integer({ min: 1, max: 7 }), size: fc.integer({ min: 1, max: 3 }), stride: fc.integer({ min: 1, max: 3 }) })
    .chain((g) => fc.record({ g: fc.constant(g), padding: fc.oneof(fc.constant('same' as const), fc.tuple(...[0, 1, 2, 3].map(() => fc.integer({ min: 0, max: g.size - 1 }))) as fc.Arbitrary<K.Padding>) }))
    .filter(({ g, padding }) => padding === 'same' || (g.H + padding[0] + padding[1] >= g.size && g.W + padding[2] + padding[3] >= g.size))
    .chain(({ g, padding }) => {
      const [OH, OW] = padding === 'same' ? [Math.ceil(g.H / g.stride), Math.ceil(g.W / g.stride)] : [Math.floor((g.H + padding[0] + padding[1] - g.size) / g.stride) + 1, Math.floor((g.W + padding[2] + padding[3] - g.size) / g.stride) + 1];
      return fc.record({ x: values([g.C, g.H, g.W]), size: fc.constant(g.size), stride: fc.constant(g.stride), padding: fc.constant(padding), dout: imageOf([g.C, OH, OW], fc.double({ min: -2, max: 2, noNaN: true })) });
    });
/** The reference's padding as tfjs's pad argument: 'same' as it is, [t, b, l, r] as NHWC [[0, 0], [t, b], [l, r], [0, 0]]. */
const tfPad = (p: 'same' | K.Padding) => (p === 'same' ? ('same' as const) : ([[0, 0], [p[0], p[1]], [p[2], p[3]], [0, 0]] as [[0, 0], [number, number], [number, number], [0, 0]]));
/** The padding 'same' resolves to (TensorFlow: P = max((⌈n/s⌉ − 1)·s + k − n, 0), ⌊P/2⌋ before, the rest after), for tf.pad. */
const resolved = (t: PadCase): K.Padding => (t.padding === 'same' ? (K.maxPool(t.x, t.size, t.stride, { padding: 'same' }).cache.padding as K.Padding) : t.padding);
/** x zero-padded on H and W (NHWC). */
const zeroPad = (x: tf.Tensor4D, [t, b, l, r]: K.Padding) => tf.pad(x, [[0, 0], [t, b], [l, r], [0, 0]]);
/**
 * PyTorch's AvgPool2d with count_include_pad = True, from its documented formula (the
 * torch.nn.AvgPool2d docs: out(N_i, C_j, h, w) = 1/(kH·kW) Σ_{m=0}^{kH−1} Σ_{n=0}^{kW−1}
 * input(N_i, C_j, stride[0]·h + m, stride[1]·w + n), where "padding: implicit zero padding to be
 * added on both sides" and "count_include_pad: when True, will include the zero-padding in the
 * averaging calculation"), written with tfjs ops: a 'valid' tf.avgPool of the zero-padded input.
 */
const torchAvgPoolIncludePad = (x: tf.Tensor4D, t: PadCase) => tf.avgPool(zeroPad(x, resolved(t)), t.size, t.stride, 'valid');
/** TensorFlow's average over the real cells from tfjs ops: Σ over the window of the zero-padded x, divided by the same sum of a ones map (the count of real cells). */
const realCellMean = (x: tf.Tensor4D, t: PadCase) => tf.div(torchAvgPoolIncludePad(x, t), torchAvgPoolIncludePad(tf.onesLike(x), t));

describe(`pooling: the frameworks' padding conventions vs TensorFlow.js [${backend.label}] (issue 13)`, () => {
  it("K1 maxPool(x, k, s, { padding }) = tf.maxPool(x, k, s, 'same' | explicit): the maximum over the real cells (the same float32 values: exact)", () =>
    fc.assert(
      fc.property(padCase(), (t0) => {
        const t = f32Case(t0) as PadCase;
        expectAllClose(one(run(() => tf.maxPool(nhwc(t.x), t.size, t.stride, tfPad(t.padding)))), K.maxPool(t.x, t.size, t.stride, { padding: t.padding }).out, EXACT, `padding ${JSON.stringify(t.padding)}`);
      }),
      { numRuns: 50 },
    ));

  it("K1 maxPool 'same' switches = tf.maxPoolWithArgmax(…, 'same')'s indexes, mapped per channel (tie-free maps, cpu kernel)", () =>
    onBackend('cpu', () =>
      fc.assert(
        fc.property(padCase(distinct).filter((t) => t.padding === 'same'), (t0) => {
          const t = f32Case(t0) as PadCase;
          const { indexes } = tf.tidy(() => ({ indexes: tf.maxPoolWithArgmax(nhwc(t.x), t.size, t.stride, 'same').indexes.arraySync() }));
          expect(argmaxToSwitches(indexes)).toEqual(K.maxPool(t.x, t.size, t.stride, { padding: 'same' }).cache.switches);
        }),
        { numRuns: 30 },
      ),
    ));

  it("K1 avgPool(x, k, s, { padding }) = tf.avgPool(x, k, s, 'same' | explicit): the mean over the real cells (TensorFlow's rule)", () =>
    fc.assert(
      fc.property(padCase(), (t0) => {
        const t = f32Case(t0) as PadCase;
        expectAllClose(one(run(() => tf.avgPool(nhwc(t.x), t.size, t.stride, tfPad(t.padding)))), K.avgPool(t.x, t.size, t.stride, { padding: t.padding }), TF_POOL, `padding ${JSON.stringify(t.padding)}`);
      }),
      { numRuns: 50 },
    ));

  it("K1 avgPool(…, { padding, countIncludePad: true }) = PyTorch's documented count_include_pad = True formula (a 'valid' average of the zero-padded input, in tfjs)", () =>
    fc.assert(
      fc.property(padCase(), (t0) => {
        const t = f32Case(t0) as PadCase;
        const torch = one(run(() => torchAvgPoolIncludePad(nhwc(t.x), t)));
        expectAllClose(torch, K.avgPool(t.x, t.size, t.stride, { padding: t.padding, countIncludePad: true }), TF_POOL, 'count_include_pad');
      }),
      { numRuns: 50 },
    ));

  it('K2 maxPoolBackward with cache.padding = tf.grad of tf.maxPool with that padding (tie-free maps; cpu kernel): pad cells get nothing', () =>
    onBackend('cpu', () =>
      fc.assert(
        fc.property(padCase(distinct), (t0) => {
          const t = f32Case(t0) as PadCase;
          const dx = K.maxPoolBackward(t.dout, K.maxPool(t.x, t.size, t.stride, { padding: t.padding }).cache);
          expectAllClose(tfGrad((x) => tf.maxPool(x as tf.Tensor4D, t.size, t.stride, tfPad(t.padding)), t.x, nhwc(t.dout)), dx, TF_POOL, 'dx');
        }),
        { numRuns: 40 },
      ),
    ));

  it("K2 avgPoolBackward with padding = tf.grad of TensorFlow's real-cell mean written in tfjs ops (Σ of the zero-padded x / Σ of the padded ones); with countIncludePad = tf.grad of PyTorch's formula", () =>
    fc.assert(
      fc.property(padCase(), (t0) => {
        const t = f32Case(t0) as PadCase;
        const shape = dims(t.x);
        expectAllClose(tfGrad((x) => realCellMean(x as tf.Tensor4D, t), t.x, nhwc(t.dout)), K.avgPoolBackward(t.dout, shape, t.size, t.stride, { padding: t.padding }), TF_POOL, 'real cells');
        expectAllClose(tfGrad((x) => torchAvgPoolIncludePad(x as tf.Tensor4D, t), t.x, nhwc(t.dout)), K.avgPoolBackward(t.dout, shape, t.size, t.stride, { padding: t.padding, countIncludePad: true }), TF_POOL, 'count_include_pad');
      }),
      { numRuns: 40 },
    ));

  it("tfjs 4.22 finding: tf.grad of tf.avgPool with padding divides by k² (AvgPoolGrad's avgMultiplier = 1/(kH·kW)), i.e. it is count_include_pad's backward, not the derivative of tf.avgPool's own real-cell forward", () => {
    // [Tu]-free minimal case: 2×2 map, 2×2 window, stride 1, 'same' (padding [0, 1, 0, 1]); dy = 1
    const x = [[[1, 2], [3, 4]]];
    const ones = [[[1, 1], [1, 1]]];
    const grad = one(run(() => tf.grad((t: tf.Tensor) => tf.avgPool(t as tf.Tensor4D, 2, 1, 'same'))(nhwc(x), nhwc(ones))));
    const includePad = K.avgPoolBackward(ones, [1, 2, 2], 2, 1, { padding: 'same', countIncludePad: true });
    const realCells = K.avgPoolBackward(ones, [1, 2, 2], 2, 1, { padding: 'same' });
    // by hand: cell (1, 1) is in all four windows, of 4, 2, 2 and 1 real cells: 1/4 + 1/2 + 1/2 + 1 = 2.25 (real cells) vs 4/4 = 1 (k² = 4)
    expect(realCells).toEqual([[[0.25, 0.75], [0.75, 2.25]]]);
    expect(includePad).toEqual([[[0.25, 0.5], [0.5, 1]]]);
    expectAllClose(grad, includePad, TF_POOL, 'tfjs = count_include_pad');
    expect(maxGap(grad, realCells)).toBeGreaterThan(1);
  });
});

// ---------------------------------------------------------------------------------------------

describe('pooling vs numerical derivatives (float64 central differences)', () => {
  /** L(x) = Σ dout ⊙ f(x) for x packed in one vector. */
  const loss = (f: (x: Img) => Img, t: Case) => (v: Vec) => sum(flat(f(shaped(v, dims(t.x)))).map((y, i) => y * flat(t.dout)[i]));

  const cases: [string, (t: Case) => (x: Img) => Img, (t: Case) => Img, (shape: number[]) => fc.Arbitrary<Img>][] = [
    ['maxPoolBackward (tie-free maps: L is linear near x)', (t) => (x) => K.maxPool(x, t.size, t.stride).out, (t) => K.maxPoolBackward(t.dout, K.maxPool(t.x, t.size, t.stride).cache), distinct],
    ['avgPoolBackward', (t) => (x) => K.avgPool(x, t.size, t.stride), (t) => K.avgPoolBackward(t.dout, dims(t.x), t.size, t.stride), (s) => imageOf(s, real)],
    ['sumPoolBackward', (t) => (x) => K.sumPool(x, t.size, t.stride), (t) => K.sumPoolBackward(t.dout, dims(t.x), t.size, t.stride), (s) => imageOf(s, real)],
  ];
  for (const [name, forward, back, values] of cases) {
    it(`K2 ${name} = the numerical gradient of Σ dout ⊙ forward: full, and along random directions`, () =>
      fc.assert(
        fc.property(poolCase(values), fc.integer({ min: 1, max: 2 ** 30 }), (t, seed) => {
          const analytic = flat(back(t));
          expect(normwiseError(analytic, numericalGradient(loss(forward(t), t), flat(t.x)))).toBeLessThan(NUMERIC_REL_ERROR);
          const rng = createRandom(seed);
          expect(directionalCheck(loss(forward(t), t), analytic, flat(t.x), analytic.map(() => rng.normal())).relError).toBeLessThan(NUMERIC_REL_ERROR);
        }),
        { numRuns: 30 },
      ));
  }

  it("K2 with the frameworks' padding (issue 13): maxPoolBackward (tie-free), avgPoolBackward over real cells and with countIncludePad = the numerical gradients of their forwards", () =>
    fc.assert(
      fc.property(padCase(distinct), fc.boolean(), (t, includePad) => {
        const opts = { padding: t.padding };
        const L = (f: (x: Img) => Img) => (v: Vec) => sum(flat(f(shaped(v, dims(t.x)))).map((y, i) => y * flat(t.dout)[i]));
        const maxDx = flat(K.maxPoolBackward(t.dout, K.maxPool(t.x, t.size, t.stride, opts).cache));
        expect(normwiseError(maxDx, numericalGradient(L((x) => K.maxPool(x, t.size, t.stride, opts).out), flat(t.x)))).toBeLessThan(NUMERIC_REL_ERROR);
        const avgOpts = { padding: t.padding, countIncludePad: includePad };
        const avgDx = flat(K.avgPoolBackward(t.dout, dims(t.x), t.size, t.stride, avgOpts));
        expect(normwiseError(avgDx, numericalGradient(L((x) => K.avgPool(x, t.size, t.stride, avgOpts)), flat(t.x)))).toBeLessThan(NUMERIC_REL_ERROR);
      }),
      { numRuns: 30 },
    ));

  it('K3 globalAvgPoolBackward = the numerical gradient of dout · globalAvgPool(x)', () =>
    fc.assert(
      fc.property(poolCase(), (t) => {
        const dout = t.dout.map((ch) => ch[0][0]);
        const L = (v: Vec) => sum(K.globalAvgPool(shaped(v, dims(t.x))).map((F, c) => F * dout[c]));
        expect(normwiseError(flat(K.globalAvgPoolBackward(dout, dims(t.x))), numericalGradient(L, flat(t.x)))).toBeLessThan(NUMERIC_REL_ERROR);
      }),
      { numRuns: 30 },
    ));
});

// ---------------------------------------------------------------------------------------------

describe("pooling: the notes' worked examples (fixtures)", () => {
  it(`${ohMax.id}: [${ohMax.source.slide}] [[6, 8], [3, 4]] with switches [[5, 7], [8, 15]]`, () => {
    const { out, cache } = K.maxPool([ohMax.input.x], ohMax.input.size, ohMax.input.stride);
    expect({ out: out[0], switches: cache.switches[0] }).toEqual(ohMax.expected);
    expect(K.maxPoolBackward([ohMaxBackward.input.dout], cache)[0]).toEqual(ohMaxBackward.expected);
  });

  it(`${tuMax.id}: [${tuMax.source.slide}] printed ${tuMax.printed}; first-maximum switches and the accumulated backward`, () => {
    const { out, cache } = K.maxPool([tuMax.input.x], 3, 1);
    expect({ out: out[0], switches: cache.switches[0] }).toEqual(tuMax.expected);
    expect(K.maxPoolBackward([tuMaxBackward.input.dout], cache)[0]).toEqual(tuMaxBackward.expected);
  });

  it(`${tuAverage.id}: the exact means [[15, 15, 15], [9, 11, 16], [10, 7, 12]]/9; the slide prints them to one decimal`, () => {
    const avg = K.avgPool([tuAverage.input.x], 3, 1)[0];
    expectAllClose(avg, tuAverage.expected, FLOAT64);
    expect(K.sumPool([tuAverage.input.x], 3, 1)[0]).toEqual(tuAverage.sums);
    // the printed values are the exact ones rounded to one decimal, and differ from them by up to 0.033 (1.7 vs 15/9)
    expect(avg.map((row) => row.map((v) => Math.round(v * 10) / 10))).toEqual(tuAveragePrinted);
    expect(Math.max(...avg.flat().map((v, i) => Math.abs(v - tuAveragePrinted.flat()[i])))).toBeCloseTo(1.7 - 15 / 9, 12);
    expectAllClose(K.avgPoolBackward([tuAverageBackward.input.dout], [1, 5, 5], 3, 1)[0], tuAverageBackward.expected, FLOAT64);
  });

  it(`${ohSum.id} and ${ohSpreadBackward.id}: sums [[13, 21], [8, 8]]; the backward passes copy or quarter each gradient over its block`, () => {
    expect(K.sumPool([ohSlice], 2, 2)[0]).toEqual(ohSum.expected);
    const { dout, shape } = ohSpreadBackward.input;
    expect(K.sumPoolBackward([dout], shape, 2, 2)[0]).toEqual(ohSpreadBackward.expected.sum);
    expect(K.avgPoolBackward([dout], shape, 2, 2)[0]).toEqual(ohSpreadBackward.expected.avg);
  });

  it("issue 13: tfjs's published avgPool test value ('x=[2,2,1] f=[2,2] s=1 p=same': [1, 2, 3, 4] → [2.5, 3, 3.5, 4]) and PyTorch's count_include_pad on the same padding, by hand", () => {
    // tfjs-core avg_pool_test.ts: 'same' on a 2×2 map with a 2×2 window pads [0, 1, 0, 1]; real cells 4, 2, 2, 1
    const x = [[[1, 2], [3, 4]]];
    expect(K.avgPool(x, 2, 1, { padding: 'same' })).toEqual([[[2.5, 3], [3.5, 4]]]);
    expect(K.avgPool(x, 2, 1, { padding: [0, 1, 0, 1] })).toEqual([[[2.5, 3], [3.5, 4]]]);
    // count_include_pad: the same sums 10, 6, 7, 4 over k² = 4
    expect(K.avgPool(x, 2, 1, { padding: [0, 1, 0, 1], countIncludePad: true })).toEqual([[[2.5, 1.5], [1.75, 1]]]);
    // max over real cells; an all-negative map stays negative (a pad cell is no 0)
    expect(K.maxPool([[[-1, -2], [-3, -4]]], 2, 1, { padding: 'same' }).out).toEqual([[[-1, -2], [-3, -4]]]);
    expect(K.maxPool(x, 2, 1, { padding: 'same' }).cache.padding).toEqual([0, 1, 0, 1]);
    expect(K.maxPool(x, 2, 1).cache).not.toHaveProperty('padding');
    // 'valid' is the default: the notes' form
    expect(K.avgPool(x, 2, 1, { padding: 'valid' })).toEqual(K.avgPool(x, 2, 1));
  });

  it.each(gapExamples.map((f) => [f.id, f] as const))('%s: global average pooling', (_, f) => {
    expectAllClose(K.globalAvgPool(f.input.x), f.expected, FLOAT64);
  });
});

// ---------------------------------------------------------------------------------------------

describe('pooling: properties of the catalogue', () => {
  it('K1: sumPool = k²·avgPool; min of the window ≤ avgPool ≤ maxPool; a 1×1 window at stride 1 is the identity for all three', () =>
    fc.assert(
      fc.property(poolCase(), (t) => {
        const k2 = t.size * t.size;
        const avg = K.avgPool(t.x, t.size, t.stride);
        expectAllClose(K.sumPool(t.x, t.size, t.stride), avg.map((ch) => ch.map((row) => row.map((v) => k2 * v))), FLOAT64);
        const max = flat(K.maxPool(t.x, t.size, t.stride).out);
        const min = flat(K.maxPool(t.x.map((ch) => ch.map((row) => row.map((v) => -v))), t.size, t.stride).out).map((v) => -v);
        flat(avg).forEach((a, i) => expect(min[i] - 1e-12 <= a && a <= max[i] + 1e-12).toBe(true));
        for (const f of [K.avgPool, K.sumPool, (x: Img, k: number, s: number) => K.maxPool(x, k, s).out]) expectAllClose(f(t.x, 1, 1), t.x, EXACT);
      }),
    ));

  it('K2: avg and sum backward are the adjoints of their forwards, ⟨pool(x), dout⟩ = ⟨x, dx⟩; cells in no window (leftover rows, gaps when s > k) get 0', () =>
    fc.assert(
      fc.property(poolCase(), (t) => {
        const shape = dims(t.x);
        for (const [f, b] of [[K.avgPool, K.avgPoolBackward], [K.sumPool, K.sumPoolBackward]] as const) {
          const dx = b(t.dout, shape, t.size, t.stride);
          const lhs = sum(flat(f(t.x, t.size, t.stride)).map((v, i) => v * flat(t.dout)[i]));
          expectAllClose(sum(flat(dx).map((v, i) => v * flat(t.x)[i])), lhs, { rtol: 1e-12, atol: 1e-12 });
          // an all-ones map pooled and sent back marks exactly the covered cells
          const covered = b(K.sumPool(t.x.map((ch) => ch.map((row) => row.map(() => 1))), t.size, t.stride).map((ch) => ch.map((row) => row.map(() => 1))), shape, t.size, t.stride);
          flat(dx).forEach((v, i) => expect(v === 0 || flat(covered)[i] > 0).toBe(true));
        }
      }),
    ));

  it('K2: maxPoolBackward routes the gradient: Σ dx = Σ dout per channel, nonzero only at switches; with s ≥ k every cell gets at most one window', () =>
    fc.assert(
      fc.property(poolCase(), (t) => {
        const { cache } = K.maxPool(t.x, t.size, t.stride);
        const dx = K.maxPoolBackward(t.dout, cache);
        expectAllClose(dx.map((ch) => sum(ch.flat())), t.dout.map((ch) => sum(ch.flat())), { rtol: 1e-12, atol: 1e-12 });
        const W = t.x[0][0].length;
        dx.forEach((ch, c) => ch.forEach((row, h) => row.forEach((v, w) => expect(v === 0 || cache.switches[c].flat().includes(h * W + w)).toBe(true))));
        if (t.stride >= t.size) expect(flat(dx).filter((v) => v !== 0).length).toBeLessThanOrEqual(flat(t.dout).length);
      }),
    ));

  it('K3: globalAvgPool is avgPool with the whole map as its window (square maps) and the mean of each channel; its backward is avgPoolBackward with k = H', () =>
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 2 ** 30 }), (C, H, W, seed) => {
        const rng = createRandom(seed);
        const x = shaped(Array.from({ length: C * H * W }, () => rng.normal()), [C, H, W]);
        expectAllClose(K.globalAvgPool(x), x.map((ch) => sum(ch.flat()) / (H * W)), FLOAT64);
        const square = x.map((ch) => ch.slice(0, Math.min(H, W)).map((row) => row.slice(0, Math.min(H, W))));
        const n = Math.min(H, W);
        expectAllClose(K.globalAvgPool(square), K.avgPool(square, n, 1).map((ch) => ch[0][0]), FLOAT64);
        const dout = Array.from({ length: C }, () => rng.normal());
        expectAllClose(K.globalAvgPoolBackward(dout, [C, n, n]), K.avgPoolBackward(dout.map((g) => [[g]]), [C, n, n], n, 1), FLOAT64);
      }),
    ));
});

// ---------------------------------------------------------------------------------------------

describe('pooling: invalid input is an error naming the function and the argument', () => {
  const x = [ohSlice];
  const { cache } = K.maxPool(x, 2, 2);
  const dout = [[[1, 2], [3, 4]]];
  it.each([
    [() => K.maxPool(x, 5, 1), /maxPool: argument 'size' must fit in the 4×4 input \(no padding\); got 5/],
    [() => K.maxPool(x, 2, 0), /maxPool: argument 'stride' must be an integer ≥ 1; got 0/],
    [() => K.maxPool(x, 1.5, 1), /maxPool: argument 'size' must be an integer ≥ 1; got 1.5/],
    [() => K.maxPool([[[1, 2], [3]]], 1, 1), /maxPool: argument 'x\[0\]' must be rectangular/],
    [() => K.maxPoolBackward(dout, null as never), /maxPoolBackward: argument 'cache' must be the cache of maxPool/],
    [() => K.maxPoolBackward(dout, { ...cache, size: 3 }), /maxPoolBackward: argument 'cache.switches\[0\]' must have 1 rows; got 2/],
    [() => K.maxPoolBackward(dout, { ...cache, switches: [[[5, 7], [8, 0]]] }), /maxPoolBackward: argument 'cache.switches' must hold r·W \+ q of a cell inside window \(1, 1\); got cache.switches\[0\]\[1\]\[1\] = 0/],
    [() => K.maxPoolBackward([[[1, 2]]], cache), /maxPoolBackward: argument 'dout' must have the pooled shape \[1, 2, 2\] of the 1×4×4 input; got \[1, 1, 2\]/],
    [() => K.avgPool(x, 2, -1), /avgPool: argument 'stride' must be an integer ≥ 1; got -1/],
    [() => K.avgPoolBackward(dout, [1, 4] as never, 2, 2), /avgPoolBackward: argument 'shape' must be a shape \[C, H, W\]; got \[1,4\]/],
    [() => K.avgPoolBackward(dout, [1, 4, 0], 2, 2), /avgPoolBackward: argument 'shape\[2\]' must be an integer ≥ 1; got 0/],
    [() => K.avgPoolBackward(dout, [2, 4, 4], 2, 2), /avgPoolBackward: argument 'dout' must have the pooled shape \[2, 2, 2\] of a 2×4×4 input; got \[1, 2, 2\]/],
    [() => K.sumPool(x, 2, Number.NaN), /sumPool: argument 'stride' must be a finite number; got NaN/],
    [() => K.sumPoolBackward(dout, [1, 4, 4], 4, 1), /sumPoolBackward: argument 'dout' must have the pooled shape \[1, 1, 1\] of a 1×4×4 input; got \[1, 2, 2\]/],
    [() => K.maxPool(x, 2, 2, { padding: 'full' as never }), /maxPool: argument 'options.padding' must be 'valid', 'same' or \[top, bottom, left, right\]; got "full"/],
    [() => K.maxPool(x, 2, 2, { padding: [0, 2, 0, 0] }), /maxPool: argument 'options.padding\[1\]' must be ≤ k − 1 = 1, so that every window holds a real cell; got 2/],
    [() => K.maxPool(x, 2, 2, { padding: [0, 0.5, 0, 0] }), /maxPool: argument 'options.padding\[1\]' must be an integer ≥ 0; got 0.5/],
    [() => K.maxPool(x, 2, 2, { countIncludePad: true }), /maxPool: argument 'options' has no key 'countIncludePad' \(known: padding\)/],
    [() => K.maxPool([[[1]]], 3, 1, { padding: [1, 0, 1, 1] }), /maxPool: argument 'size' must fit in the 1×1 padded input \(padding \[1, 0, 1, 1\]\); got 3/],
    [() => K.avgPool(x, 2, 2, null as never), /avgPool: argument 'options' must be an object \{ padding\?, countIncludePad\? \}; got null/],
    [() => K.avgPool(x, 2, 2, { countIncludePad: 1 as never }), /avgPool: argument 'options.countIncludePad' must be a boolean; got 1/],
    [() => K.avgPoolBackward(dout, [1, 4, 4], 2, 2, { padding: 'same', countIncludePad: 'yes' as never }), /avgPoolBackward: argument 'options.countIncludePad' must be a boolean; got "yes"/],
    [() => K.avgPoolBackward(dout, [1, 4, 4], 2, 1, { padding: 'same' }), /avgPoolBackward: argument 'dout' must have the pooled shape \[1, 4, 4\] of a 1×4×4 input; got \[1, 2, 2\]/],
    [() => K.maxPoolBackward(dout, { ...cache, padding: [0, 3, 0, 0] }), /maxPoolBackward: argument 'cache.padding\[1\]' must be ≤ k − 1 = 1/],
    [() => K.globalAvgPool([]), /globalAvgPool: argument 'x' must be a non-empty C×H×W image/],
    [() => K.globalAvgPoolBackward([1, 2], [3, 2, 2]), /globalAvgPoolBackward: argument 'dout' must have length 3; got length 2/],
  ])('%#', (call, message) => {
    expect(call).toThrowError(message);
  });
});
