/**
 * Family L (up-sampling): the reference against TensorFlow.js (resizeNearestNeighbor,
 * resizeBilinear with halfPixelCenters, conv2dTranspose with explicit pads, maxPool's gradient and
 * maxPoolWithArgmax, conv2d for the adjoint), against the notes' worked examples (the bilinear
 * slide printed truncated, recorded as printed vs exact), the catalogue's properties (transposed ≡
 * stretched direct form, transposed conv is the adjoint of conv, unpool∘pool keeps the maxima,
 * nearest and bed of nails are transposed convs, the overlap map is uniform inside iff s | k), and
 * input validation. The adjoint identity ⟨conv(x), y⟩ = ⟨x, tconv(y)⟩ is what ties
 * transposedConv2d to conv's derivative (J4's dx).
 *
 * Issue 13 (the frameworks' resize conventions): nearest and bilinear resizing with each
 * coordinate mapping (half-pixel, align-corners, asymmetric) and any output size against
 * resizeNearestNeighbor / resizeBilinear with the matching flags; the bilinear backward pass
 * (reference only) against the adjoint of tfjs's forward, tf.grad where tfjs's gradient is right,
 * numerical derivatives, and PyTorch's published nn.Upsample values. tfjs findings:
 * ResizeBilinearGrad ignores halfPixelCenters, and cpu's mis-shapes non-square images.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  bedOfNailsExample,
  bilinearExample,
  nearestExample,
  overlapExamples,
  transposedExample,
  transposedPaddedExample,
  transposedSizeExamples,
  transposedStrideExample,
  unpoolExample,
  unpoolOverlapExample,
} from '../fixtures/upsampling.fixtures.ts';
import { EXACT, FLOAT64 } from '../graders/engine/checks.ts';
import type { Filters, Image } from '../reference/tensor.ts';
import { createRandom, uniformMatrix } from '../reference/random.ts';
import * as J from '../reference/convolution.ts';
import * as L from '../reference/upsampling.ts';
import { expectAllClose } from './support/expect.ts';
import { argmaxToSwitches, explicitPad, f32, fromNHWC, oracle, run, tf, toHWIO, toNHWC, onBackend } from './support/tf.ts';
import { NUMERIC_REL_ERROR, TF_CONV_TRANSPOSE, TF_KERNEL, TF_RESIZE, TF_RESIZE_GRAD } from './support/tolerances.ts';
import { numericalGradient } from '../reference/gradcheck.ts';

const backend = await oracle();

const int = (min: number, max: number) => fc.integer({ min, max });
const unit = fc.double({ min: -1, max: 1, noNaN: true });
const ten = fc.double({ min: -10, max: 10, noNaN: true });
const image = (C: number, H: number, W: number, e = unit) => fc.array(fc.array(fc.array(e, { minLength: W, maxLength: W }), { minLength: H, maxLength: H }), { minLength: C, maxLength: C });
const filters = (F: number, C: number, KH: number, KW: number) => fc.array(image(C, KH, KW), { minLength: F, maxLength: F });
const build = (C: number, H: number, W: number, f: (c: number, i: number, j: number) => number): Image =>
  Array.from({ length: C }, (_, c) => Array.from({ length: H }, (_, i) => Array.from({ length: W }, (_, j) => f(c, i, j))));
const dot = (a: Image, b: Image) => a.flat(2).reduce((s, v, i) => s + v * b.flat(2)[i], 0);
/** A seeded float64 C×H×W image of U[lo, hi) draws. */
const randomImage = (seed: number, C: number, H: number, W: number, lo: number, hi: number): Image => {
  const r = createRandom(seed);
  return Array.from({ length: C }, () => uniformMatrix(r, H, W, lo, hi));
};
const maxGap = (a: Image, b: Image) => Math.max(...a.flat(2).map((v, i) => Math.abs(v - b.flat(2)[i])));

interface TCase {
  x: Image;
  W: Filters;
  b: number[];
  stride: number;
  pad: number;
}
/** F → C channels, non-square input and kernel, strides 1–3, padding 0–3 (p > k − 1 included), output ≥ 1×1. */
const tcase = (e = unit) =>
  fc
    .record({ F: int(1, 3), C: int(1, 3), H: int(1, 4), W: int(1, 4), KH: int(1, 4), KW: int(1, 4), stride: int(1, 3), pad: int(0, 3) })
    .filter((g) => g.stride * (g.H - 1) + g.KH - 2 * g.pad >= 1 && g.stride * (g.W - 1) + g.KW - 2 * g.pad >= 1)
    .chain((g) => fc.record({ x: image(g.F, g.H, g.W, e), W: filters(g.F, g.C, g.KH, g.KW), b: fc.array(e, { minLength: g.C, maxLength: g.C }), stride: fc.constant(g.stride), pad: fc.constant(g.pad) }));
const outSize = (t: TCase): [number, number, number] => [t.W[0].length, t.stride * (t.x[0].length - 1) + t.W[0][0].length - 2 * t.pad, t.stride * (t.x[0][0].length - 1) + t.W[0][0][0].length - 2 * t.pad];

/** A private float64 cross-correlation C → F (J1's formula), for the adjoint identity: y[f][o][q] = Σ_c Σ_{u,v} xpad[c][s·o + u][s·q + v]·W[f][c][u][v]. */
function conv(x: Image, W: Filters, stride: number, pad: number): Image {
  const [KH, KW] = [W[0][0].length, W[0][0][0].length];
  const [OH, OW] = [Math.floor((x[0].length + 2 * pad - KH) / stride) + 1, Math.floor((x[0][0].length + 2 * pad - KW) / stride) + 1];
  const at = (c: number, r: number, q: number) => x[c][r - pad]?.[q - pad] ?? 0;
  return W.map((filter) => build(1, OH, OW, (_, o, q) => filter.reduce((s, kc, c) => s + kc.reduce((s2, row, u) => s2 + row.reduce((s3, w, v) => s3 + at(c, stride * o + u, stride * q + v) * w, 0), 0), 0))[0]);
}

/** Max pooling with switches (first maximum in row-major order), for unpool∘pool. */
function maxPool(x: Image, k: number, s: number): { out: Image; switches: Image } {
  const [OH, OW] = [Math.floor((x[0].length - k) / s) + 1, Math.floor((x[0][0].length - k) / s) + 1];
  const switches = build(x.length, OH, OW, (c, i, j) => {
    let best = -1;
    for (let u = 0; u < k; u++) for (let v = 0; v < k; v++) if (best < 0 || x[c][s * i + u][s * j + v] > x[c][Math.floor(best / x[0][0].length)][best % x[0][0].length]) best = (s * i + u) * x[0][0].length + s * j + v;
    return best;
  });
  return { out: switches.map((ch, c) => ch.map((row) => row.map((m) => x[c][Math.floor(m / x[0][0].length)][m % x[0][0].length]))), switches };
}

/** tf.conv2dTranspose of a course transposed conv: HWIO(W) is [KH, KW, C, F] = [fh, fw, outC, inC]; explicit pads (numeric pads mis-shape non-square kernels). */
const tfTransposed = (t: TCase) => {
  const [C, OH, OW] = outSize(t);
  return fromNHWC(run(() => tf.add(tf.conv2dTranspose(toNHWC([t.x]), toHWIO(t.W), [1, OH, OW, C], t.stride, explicitPad(t.pad)), tf.tensor1d(t.b))))[0];
};
/** Filters F×C×f×f that copy channel c to channel c with kernel `k` (identity across channels). */
const perChannel = (C: number, k: number[][]): Filters => build(C, C, 1, () => 0).map((_, f) => Array.from({ length: C }, (_, c) => (c === f ? k : k.map((r) => r.map(() => 0)))));


describe(`upsampling vs TensorFlow.js [${backend.label}]`, () => {
  it('L1 nearestUpsample = tf.image.resizeNearestNeighbor to [fH, fW] (default ⌊i·in/out⌋ and halfPixelCenters ⌊(i + ½)/f⌋ agree for integer f): an exact copy', () =>
    fc.assert(
      fc.property(int(1, 3), int(1, 5), int(1, 5), int(1, 4), fc.boolean(), (C, H, W, f, half) => {
        const x = f32(build(C, H, W, (c, i, j) => 100 * c + 10 * i + j + 0.5));
        const y = fromNHWC(run(() => tf.image.resizeNearestNeighbor(toNHWC([x]), [f * H, f * W], false, half)))[0];
        expect(y).toEqual(L.nearestUpsample(x, f));
      }),
      { numRuns: 40 },
    ));

  it('L2 bilinearResize = tf.image.resizeBilinear(x, [outH, outW], alignCorners = false, halfPixelCenters = true): up, down, non-integer ratios, non-square', () => {
    let gap = 0;
    fc.assert(
      fc.property(int(1, 3), int(1, 6), int(1, 6), int(1, 11), int(1, 11), fc.integer({ min: 1, max: 1000 }), (C, H, W, outH, outW, seed) => {
        const x = f32(randomImage(seed, C, H, W, -10, 10));
        const y = fromNHWC(run(() => tf.image.resizeBilinear(toNHWC([x]), [outH, outW], false, true)))[0];
        const ref = L.bilinearResize(x, outH, outW);
        gap = Math.max(gap, maxGap(y, ref));
        expectAllClose(y, ref, TF_RESIZE, `${C}×${H}×${W} → ${outH}×${outW}`);
      }),
      { numRuns: 60 },
    );
    expect(gap).toBeLessThan(TF_RESIZE.atol);
  });

  it("L2: tfjs's default resizeBilinear (src = i·in/out) and alignCorners give other values on the notes' example: halfPixelCenters is the mapping the slide uses", () => {
    const x = [[[10, 20], [30, 40]]];
    const resize = (align: boolean, half: boolean) => fromNHWC(run(() => tf.image.resizeBilinear(toNHWC([x]), [4, 4], align, half)))[0];
    expectAllClose(resize(false, true), bilinearExample.expected, TF_KERNEL, 'halfPixelCenters');
    expectAllClose(resize(false, false), bilinearExample.wrong.asymmetric, TF_KERNEL, 'default');
    expectAllClose(resize(true, false), bilinearExample.wrong.alignCorners, TF_RESIZE, 'alignCorners');
    expect(() => resize(true, true)).toThrow();
    // issue 13: each is one option of the reference
    expectAllClose(L.bilinearResize(x, 4, 4, { mapping: 'asymmetric' }), bilinearExample.wrong.asymmetric, FLOAT64, 'reference asymmetric');
    expectAllClose(L.bilinearResize(x, 4, 4, { mapping: 'align-corners' }), bilinearExample.wrong.alignCorners, TF_RESIZE, 'reference align-corners');
  });

  it('L1/L3: nearestUpsample and bedOfNails = tf.conv2dTranspose with stride f of the f×f kernel of ones / of e₀₀ (per channel)', () =>
    fc.assert(
      fc.property(int(1, 3), int(1, 4), int(1, 4), int(1, 3), fc.integer({ min: 1, max: 1000 }), (C, H, W, f, seed) => {
        const x = f32(randomImage(seed, C, H, W, -1, 1));
        const tconv = (k: number[][]) => fromNHWC(run(() => tf.conv2dTranspose(toNHWC([x]), toHWIO(perChannel(C, k)), [1, f * H, f * W, C], f, explicitPad(0))))[0];
        const ones = build(1, f, f, () => 1)[0];
        const nail = build(1, f, f, (_, i, j) => (i === 0 && j === 0 ? 1 : 0))[0];
        expectAllClose(tconv(ones), L.nearestUpsample(x, f), TF_KERNEL, 'ones kernel');
        expectAllClose(tconv(nail), L.bedOfNails(x, f), TF_KERNEL, 'e00 kernel');
      }),
      { numRuns: 30 },
    ));

  /**
   * tfjs-backend-wasm 4.22 starts its max at FLT_MIN (1.17549435e−38, the smallest positive float)
   * instead of −∞ in MaxPoolWithArgmax and MaxPoolGrad: an all-negative window returns 1.2e−38 with
   * index 0, and its gradient goes to the wrong cell (demonstrated below; tf.maxPool itself is right).
   * The values of this comparison are therefore taken from tfjs's cpu kernels.
   */
  it("L4: tfjs-backend-wasm 4.22 maxPoolWithArgmax returns 1.2e−38 and index 0 for an all-negative window, and MaxPoolGrad misroutes it; the cpu kernels are right", async () => {
    const x = () => tf.tensor4d([[[[-0.27], [-0.98], [-0.62]]]]);
    const probe = () => {
      const r = tf.maxPoolWithArgmax(x(), 1, 2, 'valid');
      const out = { values: r.result.arraySync(), indexes: r.indexes.arraySync(), grad: tf.grad((t: tf.Tensor) => tf.maxPool(t as tf.Tensor4D, 1, 2, 'valid'))(x(), tf.tensor4d([[[[1], [2]]]])).arraySync() };
      tf.dispose([r.result, r.indexes]);
      return out;
    };
    const cpu = await onBackend('cpu', probe);
    expect(argmaxToSwitches(cpu.indexes)).toEqual([[[0, 2]]]);
    expect(fromNHWC(cpu.grad)[0]).toEqual(L.maxUnpool([[[1, 2]]], [[[0, 2]]], [1, 1, 3]));
    const wasm = await onBackend('wasm', probe);
    expect(fromNHWC(wasm.values)[0]).toEqual([[[Math.fround(1.1754943508222875e-38), Math.fround(1.1754943508222875e-38)]]]);
    expect(argmaxToSwitches(wasm.indexes)).toEqual([[[0, 0]]]);
    expect(fromNHWC(wasm.grad)[0]).not.toEqual(fromNHWC(cpu.grad)[0]);
  });

  it('L4 maxUnpool with the switches of tf.maxPoolWithArgmax = tf.grad of tf.maxPool with dy = the values: unpooling is max pooling\'s backward pass, summing where windows overlap (cpu kernels)', () =>
    onBackend('cpu', () => fc.assert(
      fc.property(int(1, 2), int(1, 3), int(1, 3), int(1, 3), int(1, 3), fc.integer({ min: 1, max: 1000 }), (C, OH, OW, k, s, seed) => {
        const [H, W] = [s * (OH - 1) + k, s * (OW - 1) + k];
        const x = f32(randomImage(seed, C, H, W, -1, 1));
        const dy = f32(randomImage(seed + 1, C, OH, OW, -1, 1));
        const { indexes } = tf.tidy(() => {
          const r = tf.maxPoolWithArgmax(toNHWC([x]), k, s, 'valid');
          return { indexes: r.indexes.arraySync() };
        });
        const switches = argmaxToSwitches(indexes);
        expect(switches).toEqual(maxPool(x, k, s).switches); // random floats: no ties
        const grad = fromNHWC(run(() => tf.grad((t: tf.Tensor) => tf.maxPool(t as tf.Tensor4D, k, s, 'valid'))(toNHWC([x]), toNHWC([dy]))))[0];
        expectAllClose(L.maxUnpool(dy, switches, [C, H, W]), grad, TF_KERNEL, `k = ${k}, s = ${s}`);
      }),
      { numRuns: 40 },
    )));

  it('L5 transposedConv2d and transposedConv2dDirect = tf.conv2dTranspose(x, HWIO(W), [1, s(n − 1) + k − 2p, …, C], s, explicit [p, p]) + b (F ≠ C, non-square kernels, p > k − 1)', () => {
    let gap = 0;
    fc.assert(
      fc.property(tcase(), (t) => {
        const u = f32(t);
        const y = tfTransposed(u);
        const ref = L.transposedConv2d(u.x, u.W, u.b, u.stride, u.pad);
        gap = Math.max(gap, maxGap(y, ref));
        expectAllClose(y, ref, TF_CONV_TRANSPOSE, `s = ${t.stride}, p = ${t.pad}`);
        expectAllClose(y, L.transposedConv2dDirect(u.x, u.W, u.b, u.stride, u.pad), TF_CONV_TRANSPOSE, 'direct form');
      }),
      { numRuns: 60 },
    );
    expect(gap).toBeLessThan(TF_CONV_TRANSPOSE.atol);
  });

  it("L5: numeric pad = p with the notes' outputShape s(n − 1) + k − 2p also matches for square kernels (tfjs-notes §2)", () => {
    const t = f32({ x: [[[0.5, -1, 0.25], [1, 0, -0.5]]], W: [[[[1, -1, 0.5], [0, 2, 1], [-1, 0.5, 1]]]], b: [0], stride: 2, pad: 1 });
    const y = fromNHWC(run(() => tf.conv2dTranspose(toNHWC([t.x]), toHWIO(t.W), [1, 3, 5, 1], 2, 1)))[0];
    expectAllClose(y, L.transposedConv2d(t.x, t.W, t.b, 2, 1), TF_CONV_TRANSPOSE);
  });

  it('L5 adjoint: ⟨tf.conv2d(x, HWIO(W), s, [p, p]), y⟩ = ⟨x, transposedConv2d(y, W, 0, s, p)⟩', () =>
    fc.assert(
      fc.property(tcase().chain((t) => fc.tuple(fc.constant(t), image(...outSize(t)))), ([t, x]) => {
        const [u, xs] = f32([t, x] as const);
        const forward = fromNHWC(run(() => tf.conv2d(toNHWC([xs]), toHWIO(u.W), u.stride, explicitPad(u.pad))))[0];
        const lhs = dot(forward, u.x);
        const rhs = dot(xs, L.transposedConv2d(u.x, u.W, u.b.map(() => 0), u.stride, u.pad));
        expect(Math.abs(lhs - rhs)).toBeLessThan(TF_CONV_TRANSPOSE.atol * (1 + u.x.flat(2).reduce((a, v) => a + Math.abs(v), 0)));
      }),
      { numRuns: 40 },
    ));

  it('L6 overlapMap = tf.conv2dTranspose of an n×n ones input with a k×k ones kernel, stride s (exact: small integers)', () =>
    fc.assert(
      fc.property(int(1, 6), int(1, 5), int(1, 4), (n, k, s) => {
        const o = s * (n - 1) + k;
        const y = run(() => tf.conv2dTranspose(tf.ones([1, n, n, 1]) as tf.Tensor4D, tf.ones([k, k, 1, 1]) as tf.Tensor4D, [1, o, o, 1], s, explicitPad(0)));
        expect(fromNHWC(y)[0][0]).toEqual(L.overlapMap(n, k, s));
      }),
      { numRuns: 40 },
    ));
});

// ---------------------------------------------------------------------------------------------
// issue 13: the frameworks' resize conventions (options.mapping, nearestUpsample's options.size, bilinearResizeBackward)

const MAPPINGS: L.ResizeMapping[] = ['half-pixel', 'align-corners', 'asymmetric'];
/** tfjs's two flags for each mapping: [alignCorners, halfPixelCenters] (tfjs throws when both are set). */
const FLAGS: Record<L.ResizeMapping, [boolean, boolean]> = { 'half-pixel': [false, true], 'align-corners': [true, false], asymmetric: [false, false] };
const tfResize = (kind: 'nearest' | 'bilinear', x: tf.Tensor4D, size: [number, number], m: L.ResizeMapping) =>
  kind === 'nearest' ? tf.image.resizeNearestNeighbor(x, size, ...FLAGS[m]) : tf.image.resizeBilinear(x, size, ...FLAGS[m]);
const resizeCase = fc.record({ C: int(1, 2), H: int(1, 7), W: int(1, 7), outH: int(1, 12), outW: int(1, 12), mapping: fc.constantFrom(...MAPPINGS), seed: fc.integer({ min: 1, max: 1000 }) });

describe(`upsampling: the frameworks' resize conventions vs TensorFlow.js [${backend.label}] (issue 13)`, () => {
  // the index is computed in floating point by tfjs (float64 on cpu, float32 on wasm): at exact integers and halves both must land where the exact rational does
  it.each(['cpu', 'wasm'])('L1 nearest source index = tf.image.resizeNearestNeighbor (%s kernel) for every in ≤ 8, out ≤ 16 and each mapping (rounding included: floor of i·in/out, floor of (i + ½)·in/out, round for align-corners)', (b) =>
    onBackend(b, () => {
      for (const m of MAPPINGS) {
        for (let n = 1; n <= 8; n++) {
          const ramp = [Array.from({ length: n }, (_, i) => [i])]; // one channel, n×1, values = the row index
          for (let out = 1; out <= 16; out++) {
            const tfRows = fromNHWC(run(() => tfResize('nearest', toNHWC([ramp]), [out, 1], m)))[0][0].map((row) => row[0]);
            expect(L.nearestUpsample(ramp, null, { size: [out, 1], mapping: m })[0].map((row) => row[0]), `${m} ${n} → ${out}`).toEqual(tfRows);
          }
        }
      }
    }));

  it('L1 nearestUpsample(x, null, { size, mapping }) = tf.image.resizeNearestNeighbor(x, size, alignCorners, halfPixelCenters) on random non-square sizes: an exact copy', () =>
    fc.assert(
      fc.property(resizeCase, (t) => {
        const x = f32(randomImage(t.seed, t.C, t.H, t.W, -10, 10));
        const y = fromNHWC(run(() => tfResize('nearest', toNHWC([x]), [t.outH, t.outW], t.mapping)))[0];
        expect(L.nearestUpsample(x, null, { size: [t.outH, t.outW], mapping: t.mapping })).toEqual(y);
      }),
      { numRuns: 40 },
    ));

  it('L2 bilinearResize(x, outH, outW, { mapping }) = tf.image.resizeBilinear(x, size, alignCorners, halfPixelCenters) for each mapping: up, down, non-integer ratios, odd sizes', () =>
    fc.assert(
      fc.property(resizeCase, (t) => {
        const x = f32(randomImage(t.seed, t.C, t.H, t.W, -10, 10));
        const y = fromNHWC(run(() => tfResize('bilinear', toNHWC([x]), [t.outH, t.outW], t.mapping)))[0];
        expectAllClose(y, L.bilinearResize(x, t.outH, t.outW, { mapping: t.mapping }), TF_RESIZE, `${t.mapping} ${t.H}×${t.W} → ${t.outH}×${t.outW}`);
      }),
      { numRuns: 60 },
    ));

  /** tfjs's forward resize as a matrix: the H·W one-hot images resized in one batch, row h·W + w = resize(e_hw) flattened (outH·outW). */
  const tfResizeMatrix = (H: number, W: number, outH: number, outW: number, m: L.ResizeMapping) =>
    run(() => tf.reshape(tfResize('bilinear', tf.reshape(tf.eye(H * W), [H * W, H, W, 1]) as tf.Tensor4D, [outH, outW], m), [H * W, outH * outW])) as number[][];

  it("L2 bilinearResizeBackward(dout, [C, H, W], { mapping }) = the adjoint of tf.image.resizeBilinear's forward for each mapping: dx[h][w] = ⟨resize(e_hw), dout⟩ (the gradient of tfjs's own forward; see the finding below for tf.grad)", () => {
    let gap = 0;
    fc.assert(
      fc.property(resizeCase, (t) => {
        const dout = f32(randomImage(t.seed + 1, t.C, t.outH, t.outW, -1, 1));
        const R = tfResizeMatrix(t.H, t.W, t.outH, t.outW, t.mapping);
        const adjoint = dout.map((ch) => build(1, t.H, t.W, (_, h, w) => R[h * t.W + w].reduce((acc, r, k) => acc + r * ch.flat()[k], 0))[0]);
        const dx = L.bilinearResizeBackward(dout, [t.C, t.H, t.W], { mapping: t.mapping });
        gap = Math.max(gap, maxGap(adjoint, dx));
        expectAllClose(adjoint, dx, TF_RESIZE_GRAD, `${t.mapping} ${t.H}×${t.W} → ${t.outH}×${t.outW}`);
      }),
      { numRuns: 60 },
    );
    expect(gap).toBeLessThan(TF_RESIZE_GRAD.atol);
  });

  it("L2 bilinearResizeBackward = tf.grad of tf.image.resizeBilinear for 'asymmetric' and 'align-corners' (wasm kernel: cpu's ResizeBilinearGrad mis-shapes non-square inputs, below)", () =>
    onBackend('wasm', () =>
      fc.assert(
        fc.property(resizeCase.filter((t) => t.mapping !== 'half-pixel'), (t) => {
          const x = f32(randomImage(t.seed, t.C, t.H, t.W, -1, 1));
          const dout = f32(randomImage(t.seed + 1, t.C, t.outH, t.outW, -1, 1));
          const grad = fromNHWC(run(() => tf.grad((v: tf.Tensor) => tfResize('bilinear', v as tf.Tensor4D, [t.outH, t.outW], t.mapping))(toNHWC([x]), toNHWC([dout]))))[0];
          expectAllClose(grad, L.bilinearResizeBackward(dout, [t.C, t.H, t.W], { mapping: t.mapping }), TF_RESIZE_GRAD, `${t.mapping} ${t.H}×${t.W} → ${t.outH}×${t.outW}`);
        }),
        { numRuns: 40 },
      ),
    ));

  it('tfjs 4.22 findings: ResizeBilinearGrad ignores halfPixelCenters (cpu and wasm return the asymmetric mapping\'s gradient), and cpu\'s gives the shape [N, W, H, C], so tf.grad throws for non-square images', async () => {
    // 2×2 → 1×1 with half-pixel centres averages the four pixels (src = ½): each gets ¼ of dy; the asymmetric mapping reads x[0][0] only
    const x = [[[1, 2], [3, 4]]];
    expect(L.bilinearResize(x, 1, 1)).toEqual([[[2.5]]]);
    expect(fromNHWC(run(() => tf.image.resizeBilinear(toNHWC([x]), [1, 1], false, true)))[0]).toEqual([[[2.5]]]);
    expect(L.bilinearResizeBackward([[[1]]], [1, 2, 2])).toEqual([[[0.25, 0.25], [0.25, 0.25]]]);
    expect(L.bilinearResizeBackward([[[1]]], [1, 2, 2], { mapping: 'asymmetric' })).toEqual([[[1, 0], [0, 0]]]);
    const gradOn = (b: string, img: Image) => onBackend(b, () => fromNHWC(run(() => tf.grad((v: tf.Tensor) => tf.image.resizeBilinear(v as tf.Tensor4D, [1, 1], false, true))(toNHWC([img]))))[0]);
    expect(await gradOn('cpu', x)).toEqual([[[1, 0], [0, 0]]]);
    expect(await gradOn('wasm', x)).toEqual([[[1, 0], [0, 0]]]);
    await expect(gradOn('cpu', [[[1, 2, 3], [4, 5, 6]]])).rejects.toThrow(/gradient of input 'images' has shape '1,3,2,1', which does not match the shape of the input '1,2,3,1'/);
  });
});

describe('upsampling: resize conventions against numerical derivatives and published PyTorch values (issue 13)', () => {
  // smaller sizes than resizeCase (≤ 5 → ≤ 8): a full central-difference gradient costs 2·C·H·W resizes
  const smallResize = fc.record({ C: int(1, 2), H: int(1, 5), W: int(1, 5), outH: int(1, 8), outW: int(1, 8), mapping: fc.constantFrom(...MAPPINGS), seed: fc.integer({ min: 1, max: 1000 }) });
  it('L2 bilinearResizeBackward = the numerical gradient of Σ dout ⊙ bilinearResize(x) (float64 central differences), and ⟨resize(x), y⟩ = ⟨x, backward(y)⟩', () =>
    fc.assert(
      fc.property(smallResize, (t) => {
        const x = randomImage(t.seed, t.C, t.H, t.W, -5, 5);
        const dout = randomImage(t.seed + 1, t.C, t.outH, t.outW, -2, 2);
        const shaped = (v: number[]) => build(t.C, t.H, t.W, (c, i, j) => v[(c * t.H + i) * t.W + j]);
        const loss = (v: number[]) => dot(L.bilinearResize(shaped(v), t.outH, t.outW, { mapping: t.mapping }), dout);
        const dx = L.bilinearResizeBackward(dout, [t.C, t.H, t.W], { mapping: t.mapping }).flat(2);
        const numeric = numericalGradient(loss, x.flat(2));
        const scale = Math.max(1e-300, ...dx.map(Math.abs), ...numeric.map(Math.abs));
        expect(Math.max(...dx.map((v, i) => Math.abs(v - numeric[i]))) / scale).toBeLessThan(NUMERIC_REL_ERROR);
        expect(Math.abs(loss(x.flat(2)) - dot(x, L.bilinearResizeBackward(dout, [t.C, t.H, t.W], { mapping: t.mapping })))).toBeLessThanOrEqual(1e-12 * (1 + Math.abs(loss(x.flat(2)))));
      }),
      { numRuns: 30 },
    ));

  // torch.nn.Upsample's docstring (torch/nn/modules/upsampling.py), printed to 4 decimals: published PyTorch values
  const input = [[[1, 2], [3, 4]]];
  const input3x3 = [[[1, 2, 0], [3, 4, 0], [0, 0, 0]]];
  const printed = (y: Image) => y.map((ch) => ch.map((row) => row.map((v) => Math.round(v * 1e4) / 1e4)));
  it("PyTorch's published nn.Upsample values: scale_factor = 2, 'nearest', 'bilinear' with align_corners = False (half-pixel) and True (align-corners)", () => {
    expect(L.nearestUpsample(input, null, { size: [4, 4], mapping: 'asymmetric' })).toEqual([[[1, 1, 2, 2], [1, 1, 2, 2], [3, 3, 4, 4], [3, 3, 4, 4]]]);
    expect(L.bilinearResize(input, 4, 4)).toEqual([[[1, 1.25, 1.75, 2], [1.5, 1.75, 2.25, 2.5], [2.5, 2.75, 3.25, 3.5], [3, 3.25, 3.75, 4]]]);
    expect(printed(L.bilinearResize(input, 4, 4, { mapping: 'align-corners' }))).toEqual([[[1, 1.3333, 1.6667, 2], [1.6667, 2, 2.3333, 2.6667], [2.3333, 2.6667, 3, 3.3333], [3, 3.3333, 3.6667, 4]]]);
    expect(printed(L.bilinearResize(input3x3, 6, 6))).toEqual([
      [
        [1, 1.25, 1.75, 1.5, 0.5, 0],
        [1.5, 1.75, 2.25, 1.875, 0.625, 0],
        [2.5, 2.75, 3.25, 2.625, 0.875, 0],
        [2.25, 2.4375, 2.8125, 2.25, 0.75, 0],
        [0.75, 0.8125, 0.9375, 0.75, 0.25, 0],
        [0, 0, 0, 0, 0, 0],
      ],
    ]);
    expect(printed(L.bilinearResize(input3x3, 6, 6, { mapping: 'align-corners' }))).toEqual([
      [
        [1, 1.4, 1.8, 1.6, 0.8, 0],
        [1.8, 2.2, 2.6, 2.24, 1.12, 0],
        [2.6, 3, 3.4, 2.88, 1.44, 0],
        [2.4, 2.72, 3.04, 2.56, 1.28, 0],
        [1.2, 1.36, 1.52, 1.28, 0.64, 0],
        [0, 0, 0, 0, 0, 0],
      ],
    ]);
    // the legacy asymmetric mapping gives neither: src = i/2 reaches the last row at i = 4 and repeats it
    expect(L.bilinearResize(input, 4, 4, { mapping: 'asymmetric' })).toEqual([[[1, 1.5, 2, 2], [2, 2.5, 3, 3], [3, 3.5, 4, 4], [3, 3.5, 4, 4]]]);
  });

  it("L1: with an integer factor the three mappings' nearest indices coincide with the notes' ⌊i/f⌋ except align-corners; the default keeps the notes' form", () => {
    const x = [[[1, 2], [3, 4]]];
    expect(L.nearestUpsample(x, 2, { mapping: 'half-pixel' })).toEqual(L.nearestUpsample(x, 2));
    expect(L.nearestUpsample(x, 2, { mapping: 'asymmetric' })).toEqual(L.nearestUpsample(x, 2));
    expect(L.nearestUpsample(x, null, { size: [4, 4] })).toEqual(L.nearestUpsample(x, 2));
    // align-corners: round(i·1/3) = 0, 0, 1, 1 → the same here; at 3 → 5 it is round(i/2) = 0, 1, 1, 2, 2 vs half-pixel ⌊(i + ½)·3/5⌋ = 0, 0, 1, 2, 2
    const ramp = [[[0], [1], [2]]];
    expect(L.nearestUpsample(ramp, null, { size: [5, 1], mapping: 'align-corners' })[0].flat()).toEqual([0, 1, 1, 2, 2]);
    expect(L.nearestUpsample(ramp, null, { size: [5, 1] })[0].flat()).toEqual([0, 0, 1, 2, 2]);
    expect(L.nearestUpsample(ramp, null, { size: [5, 1], mapping: 'asymmetric' })[0].flat()).toEqual([0, 0, 1, 1, 2]);
  });
});

describe("upsampling: the notes' worked examples (fixtures)", () => {
  it(`${nearestExample.id} [${nearestExample.source.slide}]`, () => {
    expect(L.nearestUpsample(nearestExample.input.x, 2)).toEqual(nearestExample.expected);
    expect(nearestExample.wrong.round).not.toEqual(nearestExample.expected);
  });

  it(`${bilinearExample.id}: half-pixel centres give the exact values; the slide prints them truncated to integers`, () => {
    const exact = L.bilinearResize(bilinearExample.input.x, 4, 4);
    expectAllClose(exact, bilinearExample.expected, FLOAT64);
    expect(exact.map((ch) => ch.map((row) => row.map(Math.trunc)))).toEqual(bilinearExample.printedValues);
    expect(bilinearExample.printedValues).not.toEqual(bilinearExample.expected);
    // rounding to nearest would print 13, 18 … (JS rounds .5 up): the slide truncated
    expect(exact[0][0].map(Math.round)).not.toEqual(bilinearExample.printedValues[0][0]);
  });

  it(`${bedOfNailsExample.id}, ${unpoolExample.id}, ${unpoolOverlapExample.id}`, () => {
    expect(L.bedOfNails(bedOfNailsExample.input.x, 2)).toEqual(bedOfNailsExample.expected);
    const pooled = maxPool(unpoolExample.pooledFrom, 2, 2);
    expect(pooled.out).toEqual(unpoolExample.input.x); // [Oh] "MAX POOLING": [[6,8],[3,4]]
    expect(pooled.switches).toEqual(unpoolExample.input.switches);
    expect(L.maxUnpool(unpoolExample.input.x, unpoolExample.input.switches, [1, 4, 4])).toEqual(unpoolExample.expected);
    const o = unpoolOverlapExample.input;
    expect(maxPool([[[1, 2, 0], [3, 9, 1], [0, 4, 12]]], 2, 1).switches).toEqual(o.switches);
    expect(L.maxUnpool(o.x, o.switches, o.shape)).toEqual(unpoolOverlapExample.expected);
  });

  it.each(transposedSizeExamples.map((f) => [f.id, f] as const))("%s: the notes' output = s(n − 1) + k − 2p, and the values are the overlap counts", (_, f) => {
    const { x, W, b, stride, pad } = f.input;
    const y = L.transposedConv2d(x, W, b, stride, pad);
    expect(y[0].length).toBe(f.printedSize);
    expect(y).toEqual(f.expected);
    expect(y[0]).toEqual(L.overlapMap(x[0].length, 3, 1));
  });

  it(`${transposedExample.id}, ${transposedStrideExample.id}, ${transposedPaddedExample.id}: scatter and direct forms; Figure 4.5's stretched input ĩ' = 3 and padding p' = 2`, () => {
    for (const f of [transposedExample, transposedStrideExample, transposedPaddedExample]) {
      const { x, W, b, stride, pad } = f.input;
      expectAllClose(L.transposedConv2d(x, W, b, stride, pad), f.expected, EXACT, f.id);
      expectAllClose(L.transposedConv2dDirect(x, W, b, stride, pad), f.expected, EXACT, `${f.id} (direct)`);
    }
    // the flipped kernel's values are the direct form without the 180° rotation
    const { x, W } = transposedExample.input;
    expect(L.transposedConv2d(x, [[W[0][0].slice().reverse().map((r) => r.slice().reverse())]], [0], 1, 0)).toEqual(transposedExample.wrong.flipped);
    expect(transposedStrideExample.directPad).toBe(3 - 0 - 1);
    expect(L.bedOfNails(transposedStrideExample.input.x, 2)[0].slice(0, 3).map((r) => r.slice(0, 3))).toEqual(transposedStrideExample.stretched);
    const t = transposedPaddedExample.input;
    expect(L.transposedConv2d(t.x, t.W, t.b, t.stride, 0)).toEqual(transposedPaddedExample.wrong.uncropped);
  });

  it.each(overlapExamples.map((f) => [f.id, f] as const))('%s', (_, f) => {
    expect(L.overlapMap(f.input.n, f.input.k, f.input.s)).toEqual(f.expected);
  });
});

describe('upsampling: properties of the catalogue', () => {
  it('L5: the scatter form equals the direct form (stretch, pad k − p − 1, rotated kernel), also where k − p − 1 < 0 crops', () =>
    fc.assert(
      fc.property(tcase(ten), (t) => expectAllClose(L.transposedConv2dDirect(t.x, t.W, t.b, t.stride, t.pad), L.transposedConv2d(t.x, t.W, t.b, t.stride, t.pad), { rtol: 1e-12, atol: 1e-11 })),
      { numRuns: 100 },
    ));

  it('L5: transposed conv is the adjoint of conv (float64, private conv): ⟨conv(x, W, s, p), y⟩ = ⟨x, tconv(y, W, 0, s, p)⟩', () =>
    fc.assert(
      fc.property(tcase(ten).chain((t) => fc.tuple(fc.constant(t), image(...outSize(t), ten))), ([t, x]) => {
        const lhs = dot(conv(x, t.W, t.stride, t.pad), t.x);
        const rhs = dot(x, L.transposedConv2d(t.x, t.W, t.b.map(() => 0), t.stride, t.pad));
        expect(Math.abs(lhs - rhs)).toBeLessThanOrEqual(1e-10 * (1 + Math.abs(lhs)));
      }),
      { numRuns: 100 },
    ));

  it('L4: unpool(pool(x)) keeps the window maxima in place and zeros the rest (non-overlapping windows); with overlap a cell chosen m times holds m·max', () =>
    fc.assert(
      fc.property(int(1, 2), int(1, 3), int(1, 3), int(1, 3), int(1, 3), fc.integer({ min: 1, max: 1000 }), (C, OH, OW, k, s, seed) => {
        const [H, W] = [s * (OH - 1) + k, s * (OW - 1) + k];
        const x = randomImage(seed, C, H, W, -1, 1);
        const { out, switches } = maxPool(x, k, s);
        const times = build(C, H, W, (c, i, j) => switches[c].flat().filter((m) => m === i * W + j).length);
        expectAllClose(L.maxUnpool(out, switches, [C, H, W]), build(C, H, W, (c, i, j) => times[c][i][j] * x[c][i][j]), FLOAT64);
      }),
    ));

  it('L1–L3: nearest and bed of nails subsample back to x; nearest = bed of nails convolved with ones (as transposed convs); bilinear keeps constants and ramps, and is the identity at the same size', () =>
    fc.assert(
      fc.property(int(1, 2), int(1, 4), int(1, 4), int(1, 3), int(1, 9), int(1, 9), fc.integer({ min: 1, max: 1000 }), (C, H, W, f, outH, outW, seed) => {
        const x = randomImage(seed, C, H, W, -5, 5);
        const every = (y: Image) => y.map((ch) => ch.filter((_, i) => i % f === 0).map((row) => row.filter((_, j) => j % f === 0)));
        expect(every(L.nearestUpsample(x, f))).toEqual(x);
        expect(every(L.bedOfNails(x, f))).toEqual(x);
        const ones: Filters = perChannel(C, build(1, f, f, () => 1)[0]);
        expect(L.transposedConv2d(x, ones, new Array<number>(C).fill(0), f, 0)).toEqual(L.nearestUpsample(x, f));
        expectAllClose(L.bilinearResize(x, H, W), x, FLOAT64);
        expectAllClose(L.bilinearResize(build(C, H, W, (c) => c + 0.5), outH, outW), build(C, outH, outW, (c) => c + 0.5), FLOAT64);
        const clampSrc = (i: number, n: number, o: number) => Math.min(Math.max((i + 0.5) * (n / o) - 0.5, 0), n - 1);
        expectAllClose(L.bilinearResize(build(C, H, W, (c, i, j) => 2 * i - 3 * j + c), outH, outW), build(C, outH, outW, (c, i, j) => 2 * clampSrc(i, H, outH) - 3 * clampSrc(j, W, outW) + c), FLOAT64);
      }),
      { numRuns: 60 },
    ));

  it('L6: the overlap map sums to n²k², and for k ≥ s, s·n ≥ k its interior [k − s, s·n − 1]² is uniform iff s | k; then (k/s)² and the border ring is lower', () =>
    fc.assert(
      fc.property(int(1, 7), int(1, 7), int(1, 5), (n, k, s) => {
        const map = L.overlapMap(n, k, s);
        expect(map.flat().reduce((a, b) => a + b, 0)).toBe(n * n * k * k);
        if (k < s || s * n < k) return;
        const [lo, hi] = [k - s, s * n - 1];
        const inner = map.slice(lo, hi + 1).flatMap((row) => row.slice(lo, hi + 1));
        expect(inner.every((v) => v === inner[0])).toBe(k % s === 0);
        if (k % s === 0) {
          expect(inner[0]).toBe((k / s) ** 2);
          expect(map.flatMap((row, r) => row.filter((_, q) => r < lo || r > hi || q < lo || q > hi)).every((v) => v < inner[0])).toBe(true);
        }
      }),
    ));
});

describe('upsampling: invalid input is an error naming the function and the argument', () => {
  const x = [[[1, 2], [3, 4]]];
  const W = [[[[1, 0], [0, 1]]]];
  it.each([
    [() => L.nearestUpsample(x, 0), /nearestUpsample: argument 'factor' must be an integer ≥ 1; got 0/],
    [() => L.nearestUpsample([[[1], [2, 3]]], 2), /nearestUpsample: argument 'x\[0\]' must be rectangular/],
    [() => L.bilinearResize(x, 2.5, 3), /bilinearResize: argument 'outH' must be an integer ≥ 1; got 2.5/],
    [() => L.bilinearResize([], 2, 3), /bilinearResize: argument 'x' must be a non-empty C×H×W image/],
    [() => L.bedOfNails(x, -1), /bedOfNails: argument 'factor' must be an integer ≥ 1; got -1/],
    [() => L.nearestUpsample(x, 2, { size: [3, 3] }), /nearestUpsample: argument 'factor' must be null when options.size is given/],
    [() => L.nearestUpsample(x, null), /nearestUpsample: argument 'factor' must be a number; got null/],
    [() => L.nearestUpsample(x, null, { size: [3] as never }), /nearestUpsample: argument 'options.size' must be \[outH, outW\]; got \[3\]/],
    [() => L.nearestUpsample(x, null, { size: [3, 0] }), /nearestUpsample: argument 'options.size\[1\]' must be an integer ≥ 1; got 0/],
    [() => L.nearestUpsample(x, 2, { mapping: 'nearest-exact' as never }), /nearestUpsample: argument 'options.mapping' must be one of 'half-pixel', 'align-corners', 'asymmetric'; got "nearest-exact"/],
    [() => L.bilinearResize(x, 3, 3, { size: [3, 3] } as never), /bilinearResize: argument 'options' has no key 'size' \(known: mapping\)/],
    [() => L.bilinearResize(x, 3, 3, null as never), /bilinearResize: argument 'options' must be an object \{ mapping\? \}; got null/],
    [() => L.bilinearResizeBackward(x, [1, 2] as never), /bilinearResizeBackward: argument 'shape' must be the input's shape \[C, H, W\]; got \[1,2\]/],
    [() => L.bilinearResizeBackward(x, [2, 2, 2]), /bilinearResizeBackward: argument 'dout' must have shape\[0\] = 2 channels; got 1/],
    [() => L.bilinearResizeBackward(x, [1, 2, 2], { mapping: 'align_corners' as never }), /bilinearResizeBackward: argument 'options.mapping' must be one of/],
    [() => L.maxUnpool(x, [[[0, 1]]], [1, 4, 4]), /maxUnpool: argument 'switches' must have the shape of x, 1×2×2; got 1×1×2/],
    [() => L.maxUnpool(x, [[[0, 1], [2, 16]]], [1, 4, 4]), /maxUnpool: argument 'switches' must hold flat indices row·W \+ col in \[0, 16\) \(H×W = 4×4\); got switches\[0\]\[1\]\[1\] = 16/],
    [() => L.maxUnpool(x, [[[0, 1], [2, 1.5]]], [1, 4, 4]), /got switches\[0\]\[1\]\[1\] = 1.5/],
    [() => L.maxUnpool(x, [[[0, 1], [2, 3]]], [2, 4, 4]), /maxUnpool: argument 'x' must have shape\[0\] = 2 channels; got 1/],
    [() => L.maxUnpool(x, [[[0, 1], [2, 3]]], [1, 4] as never), /maxUnpool: argument 'shape' must be \[C, H, W\]/],
    [() => L.transposedConv2d([[[1]], [[2]]], W, [0], 1, 0), /transposedConv2d: argument 'x' must have 1 channels, one per filter of W \(1×1×2×2: the transposed conv maps F = 1 channels to C = 1\); got 2×1×1/],
    [() => L.transposedConv2d(x, W, [0, 0], 1, 0), /transposedConv2d: argument 'b' must have length 1; got length 2/],
    [() => L.transposedConv2d(x, W, [0], 0, 0), /transposedConv2d: argument 'stride' must be an integer ≥ 1; got 0/],
    [() => L.transposedConv2dDirect(x, W, [0], 1, 2), /transposedConv2dDirect: argument 'pad' is too large: the output s\(n − 1\) \+ k − 2p = -1×-1 would be empty/],
    [() => L.transposedConv2dDirect(x, [[[[Number.NaN]]]], [0], 1, 0), /transposedConv2dDirect: argument 'W\[0\]\[0\]' must contain only finite numbers/],
    [() => L.overlapMap(3, 0, 1), /overlapMap: argument 'k' must be an integer ≥ 1; got 0/],
  ])('%#', (call, message) => {
    expect(call).toThrowError(message);
  });
});

// ---------------------------------------------------------------------------------------------
// L5 framework conventions (issue 13): stride [s_h, s_w], the forward conv's pads [top, bottom,
// left, right] or TF 'same'/'valid', and the output size as PyTorch's output_padding
// (options.outputPadding) or TensorFlow's outputShape (options.outputSize). These run on the
// oracle's backend: unlike wasm's conv2d, its conv2dTranspose gets 'same' with room to spare
// right (k < s, e.g. n = 3, k = 2, s = 3, o = 9, cases the generator draws).

interface TConventions {
  x: Image;
  W: Filters;
  b: number[];
  stride: [number, number];
  pad: L.TransposedPadding;
  options: L.TransposedOptions;
}
/**
 * One axis's output size, written out here from the two frameworks' definitions (not taken from
 * the reference): tf.conv2dTranspose's outputShape o is any size the forward conv maps back to n;
 * PyTorch's is (n − 1)·s − p_t − p_b + (k − 1) + a + 1 ("H_out = (H_in − 1)×stride[0] −
 * 2×padding[0] + dilation[0]×(kernel_size[0] − 1) + output_padding[0] + 1", torch.nn.ConvTranspose2d
 * documentation, with dilation 1 and p_t = p_b = padding); 'same' without outputShape gives s·n
 * (tf.layers.conv2dTranspose).
 */
const tOut = (n: number, k: number, s: number, pad: L.TransposedPadding, axis: 0 | 1, a: number, o?: number) => {
  if (o !== undefined) return o;
  if (pad === 'same') return s * n;
  const [pt, pb] = pad === 'valid' ? [0, 0] : typeof pad === 'number' ? [pad, pad] : [pad[2 * axis], pad[2 * axis + 1]];
  return (n - 1) * s - pt - pb + (k - 1) + a + 1;
};
/** The valid outputShape range of one axis: sizes the forward conv (floor rule, or ⌈o/s⌉ for 'same') maps back to n. */
const tRange = (n: number, k: number, s: number, pad: L.TransposedPadding, axis: 0 | 1): [number, number] => {
  if (pad === 'same') return [s * (n - 1) + 1, s * n];
  const [pt, pb] = pad === 'valid' ? [0, 0] : typeof pad === 'number' ? [pad, pad] : [pad[2 * axis], pad[2 * axis + 1]];
  const lo = s * (n - 1) + k - pt - pb;
  return [lo, lo + s - 1];
};
const tconvCase = (e = unit) =>
  fc
    .record({
      F: int(1, 3), C: int(1, 3), H: int(1, 4), W: int(1, 4), KH: int(1, 4), KW: int(1, 4), sh: int(1, 3), sw: int(1, 3),
      pad: fc.oneof(fc.constantFrom<L.TransposedPadding>('same', 'valid'), fc.tuple(int(0, 3), int(0, 3), int(0, 3), int(0, 3)), int(0, 2)),
      mode: fc.constantFrom('none', 'outputPadding', 'outputSize'),
      r: fc.tuple(fc.nat(), fc.nat()),
    })
    .map((g) => {
      let options: L.TransposedOptions = {};
      if (g.mode === 'outputPadding' && g.pad !== 'same') options = { outputPadding: [g.r[0] % g.sh, g.r[1] % g.sw] };
      if (g.mode === 'outputSize') {
        const [[lh, hh], [lw, hw]] = [tRange(g.H, g.KH, g.sh, g.pad, 0), tRange(g.W, g.KW, g.sw, g.pad, 1)];
        options = { outputSize: [lh + (g.r[0] % (hh - lh + 1)), lw + (g.r[1] % (hw - lw + 1))] };
      }
      const a = (options.outputPadding ?? [0, 0]) as [number, number];
      return { ...g, options, OH: tOut(g.H, g.KH, g.sh, g.pad, 0, a[0], options.outputSize?.[0]), OW: tOut(g.W, g.KW, g.sw, g.pad, 1, a[1], options.outputSize?.[1]) };
    })
    .filter((g) => g.OH >= 1 && g.OW >= 1)
    .chain((g) =>
      fc.record({
        x: image(g.F, g.H, g.W, e),
        W: filters(g.F, g.C, g.KH, g.KW),
        b: fc.array(e, { minLength: g.C, maxLength: g.C }),
        stride: fc.constant<[number, number]>([g.sh, g.sw]),
        pad: fc.constant(g.pad),
        options: fc.constant(g.options),
      }),
    );
const tSize = (t: TConventions): [number, number] => {
  const a = (t.options.outputPadding ?? [0, 0]) as [number, number];
  return [tOut(t.x[0].length, t.W[0][0].length, t.stride[0], t.pad, 0, a[0], t.options.outputSize?.[0]), tOut(t.x[0][0].length, t.W[0][0][0].length, t.stride[1], t.pad, 1, a[1], t.options.outputSize?.[1])];
};
const tfTPad = (pad: L.TransposedPadding) => (typeof pad === 'string' || typeof pad === 'number' ? (typeof pad === 'number' ? explicitPad(pad) : pad) : ([[0, 0], [pad[0], pad[1]], [pad[2], pad[3]], [0, 0]] as [[0, 0], [number, number], [number, number], [0, 0]]));
const tlabel = (t: TConventions) => `n=${t.x[0].length}×${t.x[0][0].length} k=${t.W[0][0].length}×${t.W[0][0][0].length} s=${JSON.stringify(t.stride)} p=${JSON.stringify(t.pad)} ${JSON.stringify(t.options)}`;

describe(`L5 framework conventions vs TensorFlow.js [${backend.label}]`, () => {
  it("transposedConv2d and transposedConv2dDirect = tf.conv2dTranspose(x, HWIO(W), [1, o_h, o_w, C], [s_h, s_w], 'same' | 'valid' | explicit pads) + b, o from outputShape or PyTorch's output_padding formula", () =>
    fc.assert(
      fc.property(tconvCase(), (raw) => {
        const t = f32(raw) as TConventions;
        const [OH, OW] = tSize(t);
        const y = fromNHWC(run(() => tf.add(tf.conv2dTranspose(toNHWC([t.x]), toHWIO(t.W), [1, OH, OW, t.W[0].length], t.stride, tfTPad(t.pad)), tf.tensor1d(t.b))))[0];
        expectAllClose(L.transposedConv2d(t.x, t.W, t.b, t.stride, t.pad, t.options), y, TF_CONV_TRANSPOSE, tlabel(t));
        expectAllClose(L.transposedConv2dDirect(t.x, t.W, t.b, t.stride, t.pad, t.options), y, TF_CONV_TRANSPOSE, `direct ${tlabel(t)}`);
      }),
      { numRuns: 80 },
    ));

  it("Keras/tf.layers.conv2dTranspose({ padding: 'same' }) gives s·n and the values of pad 'same' (k − s odd: the extra row/column cut at the bottom/right)", () => {
    // n = 3, k = 4, s = 3 (rows) / k = 3, s = 2 (columns): P = max((n − 1)s + k − s·n, 0) = k − s = 1, cropped [0, 1]
    const t = f32({ x: [[[0.5, -1, 0.25], [1, 0, -0.5], [0.75, 0.3, -0.2]]], W: [[[[1, -1, 0.5], [0, 2, 1], [-1, 0.5, 1], [0.2, 0.4, -0.6]]]], b: [0.1] });
    const layer = tf.layers.conv2dTranspose({ filters: 1, kernelSize: [4, 3], strides: [3, 2], padding: 'same', weights: [toHWIO(t.W), tf.tensor1d(t.b)] });
    const y = fromNHWC(run(() => layer.apply(toNHWC([t.x])) as tf.Tensor))[0];
    expect([y[0].length, y[0][0].length]).toEqual([9, 6]);
    expectAllClose(L.transposedConv2d(t.x, t.W, t.b, [3, 2], 'same'), y, TF_CONV_TRANSPOSE, 'same');
    // the pads of the forward conv: [0, 1, 0, 1] (the extra cut after), not [1, 0, 1, 0]
    expectAllClose(L.transposedConv2d(t.x, t.W, t.b, [3, 2], [0, 1, 0, 1]), y, TF_CONV_TRANSPOSE, 'explicit');
    expect(maxGap(L.transposedConv2d(t.x, t.W, t.b, [3, 2], [1, 0, 1, 0]), y)).toBeGreaterThan(0.1);
    layer.dispose();
  });
});

describe('L5 framework conventions: properties (float64)', () => {
  it("every convention is the input gradient of the forward conv it transposes: transposedConv2d(y, W, 0, s, p, o) = conv2dBackward(y, zeros(o), W, s, p).dx (family J's conv with the same stride and pads)", () =>
    fc.assert(
      fc.property(tconvCase(fc.integer({ min: -3, max: 3 })), (t) => {
        const [OH, OW] = tSize(t as TConventions);
        const dx = J.conv2dBackward(t.x, build(t.W[0].length, OH, OW, () => 0), t.W, t.stride, t.pad).dx;
        expect(L.transposedConv2d(t.x, t.W, t.b.map(() => 0), t.stride, t.pad, t.options)).toEqual(dx);
        expect(L.transposedConv2dDirect(t.x, t.W, t.b.map(() => 0), t.stride, t.pad, t.options)).toEqual(dx);
      }),
      { numRuns: 80 },
    ));

  it("the notes' form is the default: stride s ≡ [s, s], pad p ≡ [p, p, p, p], outputPadding 0 ≡ {}", () =>
    fc.assert(
      fc.property(tcase(fc.integer({ min: -3, max: 3 })), (t) => {
        const out = L.transposedConv2d(t.x, t.W, t.b, t.stride, t.pad);
        expect(L.transposedConv2d(t.x, t.W, t.b, [t.stride, t.stride], [t.pad, t.pad, t.pad, t.pad], { outputPadding: 0 })).toEqual(out);
      }),
      { numRuns: 30 },
    ));

  it.each([
    [() => L.transposedConv2d([[[1, 2]]], [[[[1, 0], [0, 1]]]], [0], [1, 0], 0), /transposedConv2d: argument 'stride\[1\]' must be an integer ≥ 1; got 0/],
    [() => L.transposedConv2d([[[1, 2]]], [[[[1, 0], [0, 1]]]], [0], 1, [0, 0, 0] as never), /transposedConv2d: argument 'pad' must be an integer ≥ 0, \[top, bottom, left, right\], 'same' or 'valid'; got an array of length 3/],
    [() => L.transposedConv2d([[[1, 2]]], [[[[1, 0], [0, 1]]]], [0], 1, 'full' as never), /transposedConv2d: argument 'pad' must be .*; got "full"/],
    [() => L.transposedConv2d([[[1, 2]]], [[[[1, 0], [0, 1]]]], [0], 2, 0, { outputPadding: 2 }), /transposedConv2d: argument 'options.outputPadding' must be smaller than the stride 2 .*; got 2/],
    [() => L.transposedConv2d([[[1, 2]]], [[[[1, 0], [0, 1]]]], [0], [2, 3], 0, { outputPadding: [1, -1] }), /transposedConv2d: argument 'options.outputPadding\[1\]' must be an integer ≥ 0; got -1/],
    [() => L.transposedConv2d([[[1, 2]]], [[[[1, 0], [0, 1]]]], [0], 2, 'same', { outputPadding: 1 }), /transposedConv2d: argument 'options.outputPadding' cannot be used with pad 'same'/],
    [() => L.transposedConv2d([[[1, 2]]], [[[[1, 0], [0, 1]]]], [0], 2, 0, { outputPadding: 1, outputSize: [3, 5] }), /transposedConv2d: argument 'options' takes outputPadding \(PyTorch\) or outputSize \(TensorFlow's outputShape\), not both/],
    // rows: n = 1, k = 2, s = 2, pads 0: the forward conv maps o ∈ [2, 3] back to 1; 4 would make 2 rows (tfjs reads past dy)
    [() => L.transposedConv2d([[[1, 2]]], [[[[1, 0], [0, 1]]]], [0], 2, 0, { outputSize: [4, 5] }), /transposedConv2d: argument 'options.outputSize' must map back to the input: .* needs o in \[2, 3\] for the height .*; got 4/],
    [() => L.transposedConv2dDirect([[[1, 2]]], [[[[1, 0], [0, 1]]]], [0], 2, 'same', { outputSize: [2, 5] }), /transposedConv2dDirect: argument 'options.outputSize' must map back to the input under 'same': ⌈o\/s⌉ = n needs o in \[3, 4\] for the width .*; got 5/],
    [() => L.transposedConv2d([[[1, 2]]], [[[[1, 0], [0, 1]]]], [0], 2, 0, { outputSize: [2.5, 4] }), /transposedConv2d: argument 'options.outputSize\[0\]' must be an integer ≥ 1; got 2.5/],
    [() => L.transposedConv2d([[[1, 2]]], [[[[1, 0], [0, 1]]]], [0], 2, 0, null as never), /transposedConv2d: argument 'options' must be an object/],
  ])('validation %#', (call, message) => {
    expect(call).toThrowError(message);
  });
});
