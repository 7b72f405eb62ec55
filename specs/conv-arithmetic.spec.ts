/**
 * Family I (convolution arithmetic): the reference against the shapes TensorFlow.js actually
 * produces (conv2d, maxPool/avgPool, conv2dTranspose), against tfjs-layers parameter counts
 * (VGG16, AlexNet, random layer lists), against brute-force receptive fields and impulse
 * responses, against the notes' worked examples (errata 4 and 5 kept as printed), and its input
 * validation. Tensors stay tiny: a shape costs the same to check on a 1-channel 9×9 map.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  alexnetConv1,
  alexnetParams,
  alexnetShapes,
  factorisations,
  jungOutputSizes,
  outputSizes,
  poolSizes,
  receptiveFields,
  samePaddings,
  sameValid,
  transposedSizes,
  vgg16Conv1Erratum,
  vgg16FcErratum,
  vgg16MemoryErratum,
  vgg16Table,
  vgg16Totals,
  weightSharingExample,
} from '../fixtures/conv-arithmetic.fixtures.ts';
import { exactConvGeometry, rfLayer, transposedGeometry, validLayerList } from '../graders/conv-arithmetic.grader.ts';
import * as I from '../reference/conv-arithmetic.ts';
import * as J from '../reference/convolution.ts';
import * as L from '../reference/upsampling.ts';
import type { Layer, Shape3 } from '../reference/conv-arithmetic.ts';
import { expectAllClose } from './support/expect.ts';
import { oracle, run, tf, onBackend } from './support/tf.ts';
import { TF_KERNEL } from './support/tolerances.ts';

const backend = await oracle();

const int = (min: number, max: number) => fc.integer({ min, max });
/** tfjs throws when a conv has both a stride and a dilation above 1 (tfjs-notes §2): keep one of them at 1. */
const tfCompatible = <T extends { S: number; d: number }>(g: T) => g.S === 1 || g.d === 1;

/** The [H, W] of a tfjs NHWC result, disposing the tensor. */
function hw(make: () => tf.Tensor): [number, number] {
  return tf.tidy(() => {
    const t = make();
    return [t.shape[1] as number, t.shape[2] as number];
  });
}
const ones = (shape: [number, number, number, number]) => tf.ones(shape) as tf.Tensor4D;
/** Explicit NHWC padding [[0,0],[top,bottom],[left,right],[0,0]]: avoids the numeric-pad bug for non-square kernels. */
const pads = (top: number, bottom: number, left = top, right = bottom): [[0, 0], [number, number], [number, number], [0, 0]] => [[0, 0], [top, bottom], [left, right], [0, 0]];

describe(`conv arithmetic vs TensorFlow.js shapes [${backend.label}]`, () => {
  it('I1 exact: convOutputSize = the shape of tf.conv2d with explicit pads [[0,0],[P,P],[P,P],[0,0]] (non-square inputs, dilation)', () =>
    fc.assert(
      fc.property(
        exactConvGeometry({ maxOut: 8, maxK: 5, maxS: 3, maxP: 2, maxD: 3 }).filter(tfCompatible),
        int(1, 6),
        ({ W, K, P, S, d, O }, extraRows) => {
          // a taller input with the same geometry: H = W + S·extraRows keeps S | H − K_eff + 2P
          const H = W + S * extraRows;
          const shape = hw(() => tf.conv2d(ones([1, H, W, 1]), ones([K, K, 1, 1]), S, pads(P, P), 'NHWC', d));
          expect(shape).toEqual([I.convOutputSize(H, K, P, S, { dilation: d }), I.convOutputSize(W, K, P, S, { dilation: d })]);
          expect(shape[1]).toBe(O);
        },
      ),
    ));

  it("I1 floor: convOutputSize(…, { rounding: 'floor' }) = tf.conv2d with explicit pads and dimRoundingMode 'floor'; exact mode throws exactly when tfjs drops pixels", () =>
    fc.assert(
      fc.property(fc.record({ W: int(1, 14), K: int(1, 5), P: int(0, 2), S: int(1, 4), d: int(1, 3) }).filter((g) => tfCompatible(g) && g.d * (g.K - 1) + 1 <= g.W + 2 * g.P), ({ W, K, P, S, d }) => {
        const [, tfW] = hw(() => tf.conv2d(ones([1, 1 + 2 * P + d * (K - 1), W, 1]), ones([K, K, 1, 1]), S, pads(P, P), 'NHWC', d, 'floor'));
        expect(I.convOutputSize(W, K, P, S, { dilation: d, rounding: 'floor' })).toBe(tfW);
        const leftover = (W - (d * (K - 1) + 1) + 2 * P) % S;
        if (leftover === 0) expect(I.convOutputSize(W, K, P, S, { dilation: d })).toBe(tfW);
        else expect(() => I.convOutputSize(W, K, P, S, { dilation: d })).toThrowError(/convOutputSize: argument 'S' \(stride S = \d+\) does not divide/);
      }),
    ));

  it('I1: the notes\' N = 7, F = 3, stride 3 — tfjs silently returns 2 (it drops the last column), the exact convention throws', () => {
    expect(hw(() => tf.conv2d(ones([1, 7, 7, 1]), ones([3, 3, 1, 1]), 3, 'valid'))).toEqual([2, 2]);
    expect(I.convOutputSize(7, 3, 0, 3, { rounding: 'floor' })).toBe(2);
    expect(() => I.convOutputSize(7, 3, 0, 3)).toThrowError(/\(7 − 3\)\/3 \+ 1 = … :\\/);
  });

  it("I2/I3: tfOutputSize = tf.conv2d 'same' and 'valid' shapes, with strides or dilation", () =>
    fc.assert(
      fc.property(
        fc.record({ H: int(1, 16), W: int(1, 16), K: int(1, 5), S: int(1, 4), d: int(1, 3), padding: fc.constantFrom('same' as const, 'valid' as const) })
          .filter((g) => tfCompatible(g) && (g.padding === 'same' || g.d * (g.K - 1) + 1 <= Math.min(g.H, g.W))),
        ({ H, W, K, S, d, padding }) => {
          const shape = hw(() => tf.conv2d(ones([1, H, W, 1]), ones([K, K, 1, 1]), S, padding, 'NHWC', d));
          expect(shape).toEqual([I.tfOutputSize(H, K, S, padding, d), I.tfOutputSize(W, K, S, padding, d)]);
          // 'valid' is the floor convention with P = 0
          if (padding === 'valid') expect(shape[1]).toBe(I.convOutputSize(W, K, 0, S, { dilation: d, rounding: 'floor' }));
        },
      ),
    ));

  // tfjs-backend-wasm 4.22 returns all zeros from conv2d 'same' when a kernel wider than 1 leaves
  // spare room, (⌈W/S⌉ − 1)S + K_eff < W (its padding goes negative instead of max(0, …); shown
  // below): the values of 'same' padding are therefore checked on tfjs's cpu kernel (onBackend).

  it("I2: tfSamePads = where tfjs puts 'same' padding: conv2d 'same' equals conv2d with explicit [before, after] pads, value for value (cpu kernel)", () =>
    onBackend('cpu', () =>
      fc.assert(
        fc.property(
          fc.record({ H: int(1, 9), W: int(1, 9), K: int(1, 4), S: int(1, 3), d: int(1, 2) }).filter(tfCompatible),
          fc.integer({ min: 1, max: 1000 }),
          ({ H, W, K, S, d }, seed) => {
            const x = () => tf.randomUniform([1, H, W, 1], -1, 1, 'float32', seed) as tf.Tensor4D;
            const f = () => tf.randomUniform([K, K, 1, 1], -1, 1, 'float32', seed + 1) as tf.Tensor4D;
            const [t, b] = I.tfSamePads(H, K, S, d);
            const [l, r] = I.tfSamePads(W, K, S, d);
            const same = run(() => tf.conv2d(x(), f(), S, 'same', 'NHWC', d));
            expectAllClose(run(() => tf.conv2d(x(), f(), S, pads(t, b, l, r), 'NHWC', d)), same, TF_KERNEL, `pads [${t}, ${b}] × [${l}, ${r}]`);
            // the mirrored split (the extra pixel before) gives other values: the check above can fail
            if (b > t) {
              const mirrored = run(() => tf.conv2d(x(), f(), S, pads(b, t, l, r), 'NHWC', d)) as number[][][][];
              expect(JSON.stringify(mirrored)).not.toBe(JSON.stringify(same));
            }
          },
        ),
        { numRuns: 60 },
      ),
    ));

  it("I2: tfjs-backend-wasm 4.22 'same' with spare room (W = 9, K = 2, S = 3: (3 − 1)·3 + 2 < 9) returns zeros; the cpu kernel and tfSamePads' [0, 0] agree", async () => {
    const x = () => tf.range(1, 10).reshape([1, 1, 9, 1]) as tf.Tensor4D;
    const f = () => tf.tensor4d([1, 10, 100, 1000], [2, 2, 1, 1]);
    // H = 1: one padding row after (tfSamePads(1, 2, 3) = [0, 1]); W = 9: windows at 0, 3, 6 already fit (tfSamePads(9, 2, 3) = [0, 0])
    expect([I.tfSamePads(1, 2, 3), I.tfSamePads(9, 2, 3)]).toEqual([[0, 1], [0, 0]]);
    const explicit = await onBackend('cpu', () => run(() => tf.conv2d(x(), f(), 3, pads(0, 1, 0, 0))));
    expect(explicit).toEqual([[[[21], [54], [87]]]]); // 1 + 10·2, 4 + 10·5, 7 + 10·8
    expect(await onBackend('cpu', () => run(() => tf.conv2d(x(), f(), 3, 'same')))).toEqual(explicit);
    expect(await onBackend('wasm', () => run(() => tf.conv2d(x(), f(), 3, 'same')))).toEqual([[[[0], [0], [0]]]]);
  });

  it("I4: poolOutputSize = tf.maxPool / tf.avgPool 'valid' shapes (exact geometries) and dimRoundingMode 'floor'", () => {
    fc.assert(
      fc.property(exactConvGeometry({ maxOut: 8, maxK: 4, maxS: 3, maxP: 0, maxD: 1 }), ({ W, K: F, S, O }) => {
        expect(hw(() => tf.maxPool(ones([1, W, W, 1]), F, S, 'valid'))).toEqual([O, O]);
        expect(hw(() => tf.avgPool(ones([1, W, W, 1]), F, S, 'valid'))).toEqual([O, O]);
        expect(I.poolOutputSize(W, F, S)).toBe(O);
      }),
    );
    fc.assert(
      fc.property(fc.record({ W: int(1, 16), F: int(1, 4), S: int(1, 4) }).filter((g) => g.F <= g.W), ({ W, F, S }) => {
        expect(hw(() => tf.maxPool(ones([1, W, W, 1]), F, S, 0, 'floor'))).toEqual([I.poolOutputSize(W, F, S, 'floor'), I.poolOutputSize(W, F, S, 'floor')]);
      }),
    );
    // the notes' AlexNet pool1: 55 → 27
    expect(hw(() => tf.maxPool(ones([1, 55, 55, 1]), 3, 2, 'valid'))).toEqual([27, 27]);
  });

  /**
   * The transposed conv by definition (scatter-add of kernel·input, 1-D along each axis) cropped
   * by p at the start: out[o] = full[o + p], zero past the end of full. With all-ones data the
   * 2-D result is the outer product of the 1-D row and column results.
   */
  const scatter1d = (n: number, k: number, s: number, p: number, o: number): number[] => {
    const full = new Array<number>(s * (n - 1) + k).fill(0);
    for (let i = 0; i < n; i++) for (let j = 0; j < k; j++) full[i * s + j] += 1;
    return Array.from({ length: o }, (_, t) => full[t + p] ?? 0);
  };
  const outer = (a: number[], b: number[]) => a.map((u) => b.map((v) => [u * v]));

  it('I5: tf.conv2dTranspose with numeric pad p and outputShape = transposedOutputSize(n, k, s, p, a) is the cropped scatter-add (the mapping of tfjs-notes §2)', () =>
    fc.assert(
      fc.property(transposedGeometry({ maxN: 5, maxK: 4, maxS: 3, maxP: 2 }).filter(({ k, p }) => p <= k - 1), ({ n, k, s, p, a }) => {
        const o = I.transposedOutputSize(n, k, s, p, a);
        // outputShape is tfjs's forward-conv input: it must map back to n (tfjs does not check it)
        expect(I.convOutputSize(o, k, p, s, { rounding: 'floor' })).toBe(n);
        const y = run(() => tf.conv2dTranspose(ones([1, n, n, 1]), ones([k, k, 1, 1]), [1, o, o, 1], s, p)) as number[][][][];
        const line = scatter1d(n, k, s, p, o);
        expectAllClose(y[0], outer(line, line), TF_KERNEL, `n=${n} k=${k} s=${s} p=${p} a=${a}`);
      }),
    ));

  it("I5: conv2dTranspose 'valid' gives s(n − 1) + k (p = 0) and 'same' gives s·n (cropped by tfSamePads' before)", () =>
    fc.assert(
      fc.property(int(1, 5), int(1, 4), int(1, 3), (n, k, s) => {
        const full = I.transposedOutputSize(n, k, s, 0);
        expect(I.tfOutputSize(full, k, s, 'valid')).toBe(n);
        const valid = run(() => tf.conv2dTranspose(ones([1, n, n, 1]), ones([k, k, 1, 1]), [1, full, full, 1], s, 'valid')) as number[][][][];
        const line = scatter1d(n, k, s, 0, full);
        expectAllClose(valid[0], outer(line, line), TF_KERNEL, "'valid'");
        expect(I.tfOutputSize(s * n, k, s, 'same')).toBe(n);
        const [before] = I.tfSamePads(s * n, k, s);
        const same = run(() => tf.conv2dTranspose(ones([1, n, n, 1]), ones([k, k, 1, 1]), [1, s * n, s * n, 1], s, 'same')) as number[][][][];
        const cropped = scatter1d(n, k, s, before, s * n);
        expectAllClose(same[0], outer(cropped, cropped), TF_KERNEL, "'same'");
      }),
      { numRuns: 60 },
    ));

  it('I5: the notes\' transposed sizes 2 → 4, 4 → 6, 8 → 10 (k = 3, s = 1, p = 0) are the tfjs shapes', () => {
    for (const f of transposedSizes) {
      const { n, k, s, p } = f.input;
      expect(hw(() => tf.conv2dTranspose(ones([1, n, n, 1]), ones([k, k, 1, 1]), [1, f.expected, f.expected, 1], s, p)), f.id).toEqual([f.expected, f.expected]);
      expect(I.transposedOutputSize(n, k, s, p), f.id).toBe(f.expected);
    }
  });
});

// ---------------------------------------------------------------------------------------------

/**
 * A layer list as tfjs-layers: explicit padding becomes a zeroPadding2d before a 'valid' conv,
 * an FC after a spatial map gets a flatten, and 'norm' becomes a parameter-free shape-preserving
 * layer (tfjs-layers has no LRN layer; AlexNet's NORM has no parameters either). Returns the
 * model and, per layer of the list, the tfjs layer whose output is that row.
 */
function toTfModel(input: Shape3, layers: Layer[]): { model: tf.Sequential; rowLayers: tf.layers.Layer[] } {
  const model = tf.sequential();
  model.add(tf.layers.inputLayer({ inputShape: input }));
  const rowLayers: tf.layers.Layer[] = [];
  let flat = false;
  for (const l of layers) {
    let last: tf.layers.Layer;
    if (flat && (l.type === 'conv' || l.type === 'pool')) {
      // a conv or pool after an FC sees the FC output as a 1×1×n map, as the summary does
      model.add(tf.layers.reshape({ targetShape: [1, 1, (model.outputs[0].shape as number[])[1]] }));
      flat = false;
    }
    if (l.type === 'conv') {
      if (l.pad) model.add(tf.layers.zeroPadding2d({ padding: l.pad }));
      last = tf.layers.conv2d({ filters: l.filters, kernelSize: l.size, strides: l.stride ?? 1, dilationRate: l.dilation ?? 1, padding: 'valid', useBias: l.bias ?? true, kernelInitializer: 'zeros' });
    } else if (l.type === 'pool') {
      last = tf.layers.maxPooling2d({ poolSize: l.size, strides: l.stride ?? l.size, padding: 'valid' });
    } else if (l.type === 'fc') {
      if (!flat) model.add(tf.layers.flatten());
      flat = true;
      last = tf.layers.dense({ units: l.units, useBias: l.bias ?? true, kernelInitializer: 'zeros' });
    } else {
      last = tf.layers.activation({ activation: 'linear' });
    }
    model.add(last);
    rowLayers.push(last);
  }
  return { model, rowLayers };
}
/** tfjs [null, H, W, C] or [null, n] (after flatten/dense) as the summary's [H, W, C] / [1, 1, n]. */
const asShape3 = (s: tf.Shape | tf.Shape[]) => {
  const d = (s as (number | null)[]).slice(1) as number[];
  return d.length === 1 ? [1, 1, d[0]] : d;
};

describe(`parameter counts vs tfjs-layers countParams [${backend.label}]`, () => {
  it(`VGG16 as tf.sequential: countParams() = ${vgg16Totals.expected.params.toLocaleString('en')} = layerSummary's total, per-layer shapes and counts agree`, () => {
    const { model, rowLayers } = toTfModel(vgg16Totals.input.input, vgg16Totals.input.layers);
    try {
      const s = I.layerSummary(vgg16Totals.input.input, vgg16Totals.input.layers);
      expect(model.countParams()).toBe(vgg16Totals.expected.params);
      expect(s.totals.params).toBe(model.countParams());
      rowLayers.forEach((l, i) => {
        expect(asShape3(l.outputShape), `layer ${i}`).toEqual(s.rows[i + 1].shape);
        expect(l.countParams(), `layer ${i}`).toBe(s.rows[i + 1].params);
      });
      // the weights-only column (the notes' "not counting biases"): every bias vector has one entry per output channel/unit
      const biases = rowLayers.reduce((n, l) => n + (l.getWeights()[1]?.size ?? 0), 0);
      expect(model.countParams() - biases).toBe(vgg16Totals.expected.weights);
    } finally {
      model.dispose();
    }
  });

  it(`AlexNet (simplified, the notes' list): countParams() = ${alexnetParams.expected.toLocaleString('en')} ("${alexnetParams.printed}"), shapes 227 → 55 → … → 1000`, () => {
    const { model, rowLayers } = toTfModel(alexnetParams.input.input, alexnetParams.input.layers);
    try {
      expect(model.countParams()).toBe(alexnetParams.expected);
      expect(I.layerSummary(alexnetParams.input.input, alexnetParams.input.layers).totals.params).toBe(model.countParams());
      expect([alexnetShapes.input.input, ...rowLayers.map((l) => asShape3(l.outputShape))]).toEqual(alexnetShapes.expected);
    } finally {
      model.dispose();
    }
  });

  it('AlexNet conv1 as tf.layers.conv2d (96 filters 11×11, stride 4): 34,848 weights + 96 biases, output 55×55×96', () => {
    const conv1 = tf.layers.conv2d({ filters: 96, kernelSize: 11, strides: 4, kernelInitializer: 'zeros', inputShape: [227, 227, 3] });
    const model = tf.sequential({ layers: [conv1] });
    try {
      expect(conv1.getWeights().map((w) => w.size)).toEqual([alexnetConv1.expected.weights, alexnetConv1.expected.biases]);
      expect(conv1.countParams()).toBe(I.convParams(11, 3, 96));
      expect(asShape3(conv1.outputShape)).toEqual([55, 55, 96]);
    } finally {
      model.dispose();
    }
  });

  it('I6/I10: random valid layer lists: layerSummary rows = tfjs-layers output shapes and countParams, per layer', () =>
    fc.assert(
      fc.property(validLayerList({ maxLayers: 5, maxSize: 12 }), ({ input, layers }) => {
        const { model, rowLayers } = toTfModel(input, layers);
        try {
          const s = I.layerSummary(input, layers);
          expect(s.totals.params).toBe(model.countParams());
          rowLayers.forEach((l, i) => {
            expect(asShape3(l.outputShape)).toEqual(s.rows[i + 1].shape);
            expect(l.countParams()).toBe(s.rows[i + 1].params);
          });
        } finally {
          model.dispose();
        }
      }),
      { numRuns: 40 },
    ));

  it('I6: convParams and fcParams = tf.layers conv2d / dense countParams, with and without biases', () =>
    fc.assert(
      fc.property(int(1, 7), int(1, 16), int(1, 32), int(1, 64), fc.boolean(), (F, D1, K, nOut, bias) => {
        const conv = tf.layers.conv2d({ filters: K, kernelSize: F, useBias: bias, kernelInitializer: 'zeros', inputShape: [F, F, D1] });
        const dense = tf.layers.dense({ units: nOut, useBias: bias, kernelInitializer: 'zeros', inputShape: [D1 * K] });
        const models = [tf.sequential({ layers: [conv] }), tf.sequential({ layers: [dense] })];
        try {
          expect(conv.countParams()).toBe(I.convParams(F, D1, K, bias));
          expect(dense.countParams()).toBe(I.fcParams(D1 * K, nOut, bias));
        } finally {
          models.forEach((m) => m.dispose());
        }
      }),
      { numRuns: 30 },
    ));
});

// ---------------------------------------------------------------------------------------------

/** 1-D receptive field by brute force: the input positions output unit 0 reads, through every layer. */
function bruteForceRf(layers: { k: number; s: number; d?: number }[]): number {
  let positions = new Set([0]);
  for (const l of [...layers].reverse()) {
    const next = new Set<number>();
    for (const i of positions) for (let j = 0; j < l.k; j++) next.add(i * l.s + j * (l.d ?? 1));
    positions = next;
  }
  return Math.max(...positions) - Math.min(...positions) + 1;
}

describe(`receptive field (I8): brute force and tfjs impulse responses [${backend.label}]`, () => {
  it('receptiveField = the span of input positions unit 0 reads (brute force over index sets)', () =>
    fc.assert(fc.property(fc.array(rfLayer, { maxLength: 5 }), (layers) => {
      expect(I.receptiveField(layers)).toBe(bruteForceRf(layers));
    })));

  it('receptiveField = the input pixels whose impulse reaches output unit 0 through a stack of tf.conv2d (ones kernels)', () =>
    fc.assert(
      fc.property(
        fc.array(fc.record({ k: int(1, 4), s: int(1, 2), d: int(1, 2) }).map((l) => (l.s > 1 ? { ...l, d: 1 } : l)), { minLength: 1, maxLength: 3 }),
        (layers) => {
          // every stack here has RF ≤ 1 + 6 + 6·2 + 6·4 = 43 < L, so unit 0 exists; one one-hot input per batch entry
          const L = 48;
          const reach = tf.tidy(() => {
            let x = tf.oneHot(tf.range(0, L, 1, 'int32'), L).reshape([L, L, 1, 1]).toFloat() as tf.Tensor4D;
            for (const l of layers) x = tf.conv2d(x, ones([l.k, 1, 1, 1]), [l.s, 1], 'valid', 'NHWC', [l.d, 1]);
            return Array.from(x.slice([0, 0, 0, 0], [L, 1, 1, 1]).dataSync());
          });
          const hit = reach.flatMap((v, i) => (v > 0 ? [i] : []));
          expect(hit[hit.length - 1] - hit[0] + 1).toBe(I.receptiveField(layers));
        },
      ),
      { numRuns: 40 },
    ));
});

// ---------------------------------------------------------------------------------------------

describe('conv arithmetic: worked examples of the notes (fixtures)', () => {
  for (const f of jungOutputSizes) {
    it(`${f.id}: "${f.printed}" [${f.source.deck}]`, () => {
      const { W, K, P, S } = f.input;
      if (f.expected === 'error') expect(() => I.convOutputSize(W, K, P, S)).toThrowError(/does not divide W − K_eff \+ 2P = 7 − 3 \+ 2·0 = 4/);
      else expect(I.convOutputSize(W, K, P, S)).toBe(f.expected);
    });
  }
  for (const f of outputSizes) {
    it(`${f.id}: → ${f.expected} [${f.source.deck}, "${f.source.slide}"]`, () => expect(I.convOutputSize(f.input.W, f.input.K, f.input.P, f.input.S)).toBe(f.expected));
  }
  for (const f of sameValid) {
    it(`${f.id}: 9 → ${f.expected.join(' → ')}`, () => {
      let W = f.input.W;
      const got = f.input.layers.map((l) => (W = I.convOutputSize(W, l.K, l.P, l.S)));
      expect(got).toEqual(f.expected);
    });
  }
  it('I2: "F = 3 ⇒ 1, F = 5 ⇒ 2, F = 7 ⇒ 3"', () => {
    for (const f of samePaddings) expect(I.samePadding(f.input.F), f.id).toBe(f.expected);
  });
  it('I4: pooling sizes (55 − 3)/2 + 1 = 27 and the others', () => {
    for (const f of poolSizes) expect(I.poolOutputSize(f.input.W, f.input.F, f.input.S), f.id).toBe(f.expected);
  });
  it(`${alexnetConv1.id}: "${alexnetConv1.printed}" — 34,848 ≈ 35K weights + 96 biases`, () => {
    const { F, D1, K } = alexnetConv1.input;
    expect(I.convParams(F, D1, K, false)).toBe(alexnetConv1.expected.weights);
    expect(I.convParams(F, D1, K) - I.convParams(F, D1, K, false)).toBe(alexnetConv1.expected.biases);
    expect(Math.round(alexnetConv1.expected.weights / 1000)).toBe(35); // the slide's "35K"
  });
  for (const f of factorisations) {
    it(`${f.id}: "${f.printed}"`, () => {
      expect(I.stackParams(f.input.kernels, 1)).toBe(f.expected);
      expect(I.stackParams(f.input.kernels, 64)).toBe(f.expected * 64 ** 2);
    });
  }
  for (const f of receptiveFields) {
    it(`${f.id}: "${f.printed}"`, () => expect(I.receptiveField(f.input.layers)).toBe(f.expected));
  }
  it(`${alexnetShapes.id}: the notes' AlexNet shapes, input line first`, () => {
    expect(I.layerSummary(alexnetShapes.input.input, alexnetShapes.input.layers).rows.map((r) => r.shape)).toEqual(alexnetShapes.expected);
  });
  it("I10: every line of the notes' VGG16 table (shape, memory, params not counting biases) and its totals", () => {
    const s = I.layerSummary(vgg16Totals.input.input, vgg16Totals.input.layers);
    expect(s.rows.map((r) => ({ shape: r.shape, memory: r.activations, params: r.weights }))).toEqual(vgg16Table.map((r) => ({ shape: r.shape, memory: r.memory, params: r.params })));
    expect(s.totals).toEqual(vgg16Totals.expected);
  });
  it("I10: the table's printed numbers agree with its rows (memory rounded to K/M, params written in full) and add up to the totals", () => {
    const abbreviated = (t: string) => Number(t.replace(/^.*=/, '').replace(/K$/, 'e3').replace(/M$/, 'e6'));
    for (const r of vgg16Table) {
      // "224*224*3=150K": the product is written out, the result rounded to 2 significant digits
      const product = r.printedMemory.includes('=') ? r.printedMemory.split('=')[0].split('*').reduce((a, b) => a * Number(b), 1) : Number(r.printedMemory);
      expect(product, r.layer).toBe(r.memory);
      expect(Math.abs(abbreviated(r.printedMemory) - r.memory) / r.memory, r.layer).toBeLessThan(0.07);
      expect(Number(r.printedParams.replace(/^.*=\s*/, '').replace(/,/g, '')), r.layer).toBe(r.params);
    }
    expect(vgg16Table.reduce((a, r) => a + r.memory, 0)).toBe(vgg16Totals.expected.activations);
    expect(vgg16Table.reduce((a, r) => a + r.params, 0)).toBe(vgg16Totals.expected.weights);
    expect((vgg16Totals.expected.activations / 1e6).toFixed(1)).toBe('15.2'); // "15.2M"
    expect(Math.round(vgg16Totals.expected.bytes / 1e6)).toBe(61); // "~= 61MB"
    expect(Math.round(vgg16Totals.expected.params / 1e6)).toBe(138); // "138M parameters"
  });
  it(`${weightSharingExample.id}: "${weightSharingExample.printed}"; 28·28·30·75 = 1,764,000 without sharing`, () => {
    const { input, F, K } = weightSharingExample.input;
    expect(I.weightSharing(input, F, K)).toEqual(weightSharingExample.expected);
  });
});

describe('conv arithmetic: errata 4 and 5 keep the printed number beside the correct one', () => {
  it(`erratum 4 (${vgg16MemoryErratum.id}): "${vgg16MemoryErratum.erratum?.printed}" — the table sums to 15.2M ≈ 61 MB`, () => {
    const s = I.layerSummary(vgg16MemoryErratum.input.input, vgg16MemoryErratum.input.layers);
    expect({ activations: s.totals.activations, bytes: s.totals.bytes }).toEqual(vgg16MemoryErratum.expected);
    expect(vgg16MemoryErratum.erratum?.printed).toMatch(/24M \* 4 bytes ~= 96MB/);
    expect(Math.round(vgg16MemoryErratum.expected.activations / 1e6)).not.toBe(24);
    expect(Math.round(vgg16MemoryErratum.expected.bytes / 1e6)).not.toBe(96);
    expect(vgg16MemoryErratum.erratum?.why).toMatch(/15,237,608/);
  });
  it(`erratum 4 (${vgg16Conv1Erratum.id}): "${vgg16Conv1Erratum.erratum?.printed}" is 1,728`, () => {
    const { F, D1, K } = vgg16Conv1Erratum.input;
    expect(I.convParams(F, D1, K, false)).toBe(vgg16Conv1Erratum.expected);
    expect(Number(String(vgg16Conv1Erratum.erratum?.printed).split('=')[1])).toBe(1.728);
    expect(vgg16Conv1Erratum.expected).not.toBe(1.728);
    expect(vgg16Conv1Erratum.erratum?.why).toMatch(/decimal point/);
  });
  it(`erratum 4 (${vgg16FcErratum.id}): "${vgg16FcErratum.erratum?.printed}" — fc6 and fc7 have 4096 units`, () => {
    expect(I.fcParams(vgg16FcErratum.input.nIn, vgg16FcErratum.input.nOut, false)).toBe(vgg16FcErratum.expected);
    expect(I.fcParams(4098, 4098, false)).not.toBe(vgg16FcErratum.expected);
    expect(vgg16Table.filter((r) => r.layer === 'FC').map((r) => r.shape[2])).toEqual([4096, 4096, 1000]);
    expect(vgg16FcErratum.erratum?.why).toMatch(/4096 units/);
  });
  it(`erratum 5 (${weightSharingExample.id}): "${weightSharingExample.erratum?.printed}" — 32·32·30·75 = 2,304,000, and the layer has 28·28·30 neurons: 1,764,000`, () => {
    const { input, F, K } = weightSharingExample.input;
    const { unshared, neurons } = I.weightSharing(input, F, K);
    const printedProduct = 32 * 32 * 30 * 75;
    expect(printedProduct).toBe(2_304_000);
    expect(printedProduct).not.toBe(3_000_000); // "3 million" does not even match the slide's own product
    expect(unshared).not.toBe(printedProduct); // the neurons sit on the 28×28 output, not the 32×32 input
    expect(neurons).toBe(28 * 28 * 30);
    expect(unshared).toBe(weightSharingExample.expected.unshared);
    expect(weightSharingExample.erratum?.why).toMatch(/2,304,000.*28×28 output grid.*1,764,000/);
  });
});

describe('conv arithmetic: properties of the catalogue', () => {
  it('I1: a geometry built from O gives O back; floor mode ignores up to S − 1 extra pixels; exact mode rejects them', () =>
    fc.assert(fc.property(exactConvGeometry(), int(0, 3), ({ W, K, P, S, d, O }, r) => {
      expect(I.convOutputSize(W, K, P, S, { dilation: d })).toBe(O);
      const extra = r % S;
      expect(I.convOutputSize(W + extra, K, P, S, { dilation: d, rounding: 'floor' })).toBe(O);
      if (extra > 0) expect(() => I.convOutputSize(W + extra, K, P, S, { dilation: d })).toThrowError(/does not divide/);
    })));

  it("I2: 'same' at stride 1 preserves the size, with samePadding for odd K and tfSamePads for any K", () =>
    fc.assert(fc.property(int(1, 200), int(1, 9), int(1, 3), (W, K, d) => {
      if (K % 2 === 1) expect(I.convOutputSize(W, K, I.samePadding(K), 1)).toBe(W);
      const [b, a] = I.tfSamePads(W, K, 1, d);
      expect(b + a).toBe(d * (K - 1)); // at stride 1 TF pads K_eff − 1 in total
      expect(I.tfOutputSize(W, K, 1, 'same', d)).toBe(W);
    })));

  it('I3/I8: one dilated layer sees K_eff; stacking stride-1 layers adds k_eff − 1 each', () =>
    fc.assert(fc.property(fc.array(rfLayer.map((l) => ({ ...l, s: 1 })), { minLength: 1, maxLength: 5 }), (layers) => {
      expect(I.receptiveField([layers[0]])).toBe(I.effectiveKernel(layers[0].k, layers[0].d));
      expect(I.receptiveField(layers)).toBe(1 + layers.reduce((t, l) => t + I.effectiveKernel(l.k, l.d) - 1, 0));
    })));

  it('I5: convOutputSize(transposedOutputSize(n, k, s, p, a), k, p, s) = n (exact when a = 0, floor otherwise)', () =>
    fc.assert(fc.property(transposedGeometry(), ({ n, k, s, p, a }) => {
      expect(I.convOutputSize(I.transposedOutputSize(n, k, s, p), k, p, s)).toBe(n);
      expect(I.convOutputSize(I.transposedOutputSize(n, k, s, p, a), k, p, s, { rounding: 'floor' })).toBe(n);
    })));

  it('I6/I9: parameters are linear in the filter count; three 3×3 are 27/49 of one 7×7 for every C', () =>
    fc.assert(fc.property(int(1, 11), int(1, 64), int(1, 128), int(1, 512), (F, D1, K, C) => {
      expect(I.convParams(F, D1, 2 * K)).toBe(2 * I.convParams(F, D1, K));
      expect(49 * I.stackParams([[3, 3], [3, 3], [3, 3]], C)).toBe(27 * I.stackParams([[7, 7]], C));
    })));

  it('I10: totals are the sums of the rows; rows[0] is the input', () =>
    fc.assert(fc.property(validLayerList(), ({ input, layers }) => {
      const { rows, totals } = I.layerSummary(input, layers);
      expect(rows[0]).toEqual({ type: 'input', shape: input, params: 0, weights: 0, activations: input[0] * input[1] * input[2] });
      const sum = (k: 'params' | 'weights' | 'activations') => rows.reduce((t, r) => t + r[k], 0);
      expect(totals).toEqual({ params: sum('params'), weights: sum('weights'), activations: sum('activations'), bytes: 4 * sum('activations') });
    })));

  it('I7/I11: memory counts match activationMemory; sharing divides the weights by the output positions', () =>
    fc.assert(fc.property(exactConvGeometry({ maxD: 1 }), int(1, 8), int(1, 32), ({ W, K, P, S, O }, D1, filters) => {
      const w = I.weightSharing([W, W, D1], K, filters, S, P);
      expect(w.unshared / w.shared).toBe(O * O);
      expect(I.activationMemory([O, O, filters]).count).toBe(w.neurons);
    })));
});

describe('grader generators: should only produce valid geometries', () => {
  it('exactConvGeometry: W ≥ 1 and S divides W − K_eff + 2P (the reference accepts it and returns O)', () =>
    fc.assert(fc.property(exactConvGeometry(), (g) => {
      expect(g.W).toBeGreaterThanOrEqual(1);
      expect(g.Keff).toBe(I.effectiveKernel(g.K, g.d));
      expect((g.W - g.Keff + 2 * g.P) % g.S).toBe(0);
    })));
  it('transposedGeometry: output ≥ 1 and 0 ≤ a < s', () =>
    fc.assert(fc.property(transposedGeometry(), ({ n, k, s, p, a }) => {
      expect(s * (n - 1) + k - 2 * p).toBeGreaterThanOrEqual(1);
      expect(a >= 0 && a < s).toBe(true);
    })));
  it('validLayerList: every layer fits exactly (layerSummary does not throw) and has integer sizes', () =>
    fc.assert(fc.property(validLayerList({ maxLayers: 8, maxSize: 32 }), ({ input, layers }) => {
      const { rows } = I.layerSummary(input, layers);
      expect(rows.every((r) => r.shape.every((n) => Number.isInteger(n) && n >= 1))).toBe(true);
    })));
});

describe('conv arithmetic: invalid input is an error naming the function and the argument', () => {
  it.each([
    [() => I.convOutputSize(7, 3, 0, 3), /convOutputSize: argument 'S' \(stride S = 3\) does not divide W − K_eff \+ 2P = 7 − 3 \+ 2·0 = 4/],
    [() => I.convOutputSize(3, 5, 0, 1), /convOutputSize: argument 'K' does not fit: kernel 5 is larger than the padded input W \+ 2P = 3/],
    [() => I.convOutputSize(3, 3, 0, 1, { dilation: 2 }), /convOutputSize: argument 'K' does not fit: kernel 3 \(effective 5 at dilation 2\)/],
    [() => I.convOutputSize(7.5, 3, 0, 1), /convOutputSize: argument 'W' must be an integer ≥ 1; got 7.5/],
    [() => I.convOutputSize(7, 3, -1, 1), /convOutputSize: argument 'P' must be an integer ≥ 0; got -1/],
    [() => I.convOutputSize(7, 3, 0, 0), /convOutputSize: argument 'S' must be an integer ≥ 1; got 0/],
    [() => I.convOutputSize(7, 3, 0, 1, { rounding: 'ceil' as never }), /convOutputSize: argument 'options.rounding' must be 'exact' or 'floor'; got "ceil"/],
    [() => I.convOutputSize(7, 3, 0, 1, 2 as never), /convOutputSize: argument 'options' must be an object/],
    [() => I.samePadding(4), /samePadding: argument 'K' must be odd: an even kernel \(K = 4\) needs K − 1 = 3 padding/],
    [() => I.tfOutputSize(7, 3, 1, 'full' as never), /tfOutputSize: argument 'padding' must be 'same' or 'valid'; got "full"/],
    [() => I.tfOutputSize(3, 5, 1, 'valid'), /tfOutputSize: argument 'K' does not fit: effective kernel 5 is larger than the input W = 3/],
    [() => I.tfSamePads(7, 3, 1, 0), /tfSamePads: argument 'dilation' must be an integer ≥ 1; got 0/],
    [() => I.effectiveKernel(0, 1), /effectiveKernel: argument 'K' must be an integer ≥ 1; got 0/],
    [() => I.poolOutputSize(6, 3, 2), /poolOutputSize: argument 'S' \(stride S = 2\) does not divide/],
    [() => I.poolOutputSize(2, 3, 1), /poolOutputSize: argument 'F' does not fit/],
    [() => I.poolOutputSize(6, 3, 2, 'round' as never), /poolOutputSize: argument 'rounding' must be 'exact' or 'floor'/],
    [() => I.transposedOutputSize(3, 3, 2, 1, 2), /transposedOutputSize: argument 'outputPadding' must be smaller than the stride s = 2; got 2/],
    [() => I.transposedOutputSize(1, 1, 1, 1), /transposedOutputSize: argument 'p' is too large: s\(n − 1\) \+ k − 2p \+ a = 1·0 \+ 1 − 2·1 \+ 0 = -1 < 1/],
    [() => I.convParams(3, 0, 64), /convParams: argument 'D1' must be an integer ≥ 1; got 0/],
    [() => I.fcParams(4096, 1.5), /fcParams: argument 'nOut' must be an integer ≥ 1; got 1.5/],
    [() => I.activationMemory([]), /activationMemory: argument 'shape' must be a non-empty array of sizes/],
    [() => I.activationMemory([224, 0, 3]), /activationMemory: argument 'shape\[1\]' must be an integer ≥ 1; got 0/],
    [() => I.receptiveField([{ k: 3, s: 0 }]), /receptiveField: argument 'layers\[0\].s' must be an integer ≥ 1; got 0/],
    [() => I.receptiveField([null as never]), /receptiveField: argument 'layers\[0\]' must be an object/],
    [() => I.stackParams([], 64), /stackParams: argument 'kernels' must be a non-empty array of \[kh, kw\] pairs/],
    [() => I.stackParams([[3, 3, 3] as never], 64), /stackParams: argument 'kernels\[0\]' must be a pair \[kh, kw\]/],
    [() => I.layerSummary([224, 224] as never, []), /layerSummary: argument 'input' must be a shape \[H, W, C\]; got \[224,224\]/],
    [() => I.layerSummary([7, 7, 1], [{ type: 'conv', filters: 1, size: 3, stride: 3 }]), /layerSummary: argument 'layers\[0\]' \(stride S = 3\) does not divide/],
    [() => I.layerSummary([7, 7, 1], [{ type: 'conv', filters: 0, size: 3 }]), /layerSummary: argument 'layers\[0\].filters' must be an integer ≥ 1; got 0/],
    [() => I.layerSummary([7, 7, 1], [{ type: 'lrn' } as never]), /layerSummary: argument 'layers\[0\].type' must be 'conv', 'pool', 'fc' or 'norm'; got "lrn"/],
    [() => I.weightSharing([7, 7, 3], 3, 10, 3), /weightSharing: argument 'S' \(stride S = 3\) does not divide/],
    [() => I.weightSharing([7, 7, 3], 9, 10), /weightSharing: argument 'F' does not fit/],
  ])('%#', (call, message) => {
    expect(call).toThrowError(message);
  });
});

// ---------------------------------------------------------------------------------------------
// Framework conventions (issue 13): the size rules agree with family J's conv2d and family L's
// transposedConv2d taking the same arguments, and with tfjs's shapes.
describe('I2/I5 framework conventions: per-side pads, TF same/valid, output padding', () => {
  const ones4 = (shape: [number, number, number, number]) => tf.ones(shape) as tf.Tensor4D;
  const shapeOf = (f: () => tf.Tensor) => run(() => tf.tensor1d(f().shape.slice(1, 3), 'int32')) as number[];
  const unitImage = (H: number, W: number) => [Array.from({ length: H }, () => new Array<number>(W).fill(1))];
  const kernel = (KH: number, KW: number) => [[Array.from({ length: KH }, () => new Array<number>(KW).fill(1))]];

  it("I1: convOutputSize(W, K, [P_b, P_a], S, floor) = tf.conv2d with explicit [[0,0],[P_t,P_b],[P_l,P_r],[0,0]] and strides [sh, sw] = family J's conv2d with pad [top, bottom, left, right]", () =>
    fc.assert(
      fc.property(fc.record({ H: int(1, 9), W: int(1, 9), KH: int(1, 4), KW: int(1, 4), sh: int(1, 3), sw: int(1, 3), pads: fc.tuple(int(0, 3), int(0, 3), int(0, 3), int(0, 3)) }), ({ H, W, KH, KW, sh, sw, pads }) => {
        fc.pre(KH <= H + pads[0] + pads[1] && KW <= W + pads[2] + pads[3]);
        const [pt, pb, pl, pr] = pads;
        const sizes = [I.convOutputSize(H, KH, [pt, pb], sh, { rounding: 'floor' }), I.convOutputSize(W, KW, [pl, pr], sw, { rounding: 'floor' })];
        expect(shapeOf(() => tf.conv2d(ones4([1, H, W, 1]), ones4([KH, KW, 1, 1]), [sh, sw], [[0, 0], [pt, pb], [pl, pr], [0, 0]]))).toEqual(sizes);
        const y = J.conv2d(unitImage(H, W), kernel(KH, KW), [0], [sh, sw], pads);
        expect([y[0].length, y[0][0].length]).toEqual(sizes);
        if (pt === pb) expect(I.convOutputSize(H, KH, [pt, pb], sh, { rounding: 'floor' })).toBe(I.convOutputSize(H, KH, pt, sh, { rounding: 'floor' }));
      }),
      { numRuns: 60 },
    ));

  it("I2: tfOutputSize and tfSamePads = family J's conv2d with pad 'same' / 'valid' (shape) and with explicit pads [before, after] (values)", () =>
    fc.assert(
      fc.property(fc.record({ H: int(1, 8), W: int(1, 8), KH: int(1, 4), KW: int(1, 4), sh: int(1, 3), sw: int(1, 3) }), ({ H, W, KH, KW, sh, sw }) => {
        const x = [Array.from({ length: H }, (_, i) => Array.from({ length: W }, (_, j) => 10 * i + j))];
        const same = J.conv2d(x, kernel(KH, KW), [0], [sh, sw], 'same');
        expect([same[0].length, same[0][0].length]).toEqual([I.tfOutputSize(H, KH, sh, 'same'), I.tfOutputSize(W, KW, sw, 'same')]);
        expect(same).toEqual(J.conv2d(x, kernel(KH, KW), [0], [sh, sw], [...I.tfSamePads(H, KH, sh), ...I.tfSamePads(W, KW, sw)]));
        if (KH <= H && KW <= W) {
          const valid = J.conv2d(x, kernel(KH, KW), [0], [sh, sw], 'valid');
          expect([valid[0].length, valid[0][0].length]).toEqual([I.tfOutputSize(H, KH, sh, 'valid'), I.tfOutputSize(W, KW, sw, 'valid')]);
        }
      }),
      { numRuns: 60 },
    ));

  it("I5: transposedOutputSize(n, k, s, [p_b, p_a] | 'same' | 'valid', a) = family L's transposedConv2d output, and tf.conv2d of that size with the same pads maps back to n", () =>
    fc.assert(
      fc.property(
        fc.record({ n: int(1, 5), k: int(1, 4), s: int(1, 3), pad: fc.oneof(fc.constantFrom<'same' | 'valid'>('same', 'valid'), fc.tuple(int(0, 3), int(0, 3))), r: fc.nat() }),
        ({ n, k, s, pad, r }) => {
          const a = pad === 'same' ? 0 : r % s;
          const [pb, pa] = pad === 'valid' || pad === 'same' ? [0, 0] : pad;
          fc.pre(pad === 'same' || s * (n - 1) + k - pb - pa + a >= 1);
          const o = I.transposedOutputSize(n, k, s, pad, a);
          const lpad = typeof pad === 'string' ? pad : ([pad[0], pad[1], 0, 0] as [number, number, number, number]);
          const y = L.transposedConv2d([unitImage(n, 1)[0]], [[Array.from({ length: k }, () => [1])]], [0], [s, 1], lpad, pad === 'same' ? {} : { outputPadding: [a, 0] });
          expect(y[0].length).toBe(o);
          const forward = typeof pad === 'string' ? pad : ([[0, 0], [pb, pa], [0, 0], [0, 0]] as [[0, 0], [number, number], [0, 0], [0, 0]]);
          expect(shapeOf(() => tf.conv2d(ones4([1, o, 1, 1]), ones4([k, 1, 1, 1]), [s, 1], forward))[0]).toBe(n);
        },
      ),
      { numRuns: 80 },
    ));

  it("I5: tf.layers.conv2dTranspose's shapes: 'same' gives s·n; 'valid' gives s·n + max(k − s, 0) = transposedOutputSize(n, k, s, 'valid', max(s − k, 0)) — Keras pads a kernel smaller than its stride up to s·n", () =>
    fc.assert(
      fc.property(int(1, 5), int(1, 4), int(1, 3), (n, k, s) => {
        for (const padding of ['same', 'valid'] as const) {
          const layer = tf.layers.conv2dTranspose({ filters: 1, kernelSize: k, strides: s, padding, useBias: false });
          const got = shapeOf(() => layer.apply(tf.ones([1, n, n, 1])) as tf.Tensor);
          layer.dispose();
          const expected = padding === 'same' ? I.transposedOutputSize(n, k, s, 'same') : I.transposedOutputSize(n, k, s, 'valid', Math.max(s - k, 0));
          expect(got, `${padding} n=${n} k=${k} s=${s}`).toEqual([expected, expected]);
        }
      }),
      { numRuns: 30 },
    ));

  it.each([
    [() => I.convOutputSize(7, 3, [1, -1], 1), /convOutputSize: argument 'P\[1\]' must be an integer ≥ 0; got -1/],
    [() => I.convOutputSize(7, 3, [1, 1, 1] as never, 1), /convOutputSize: argument 'P' must be an integer ≥ 0 or a pair \[before, after\]; got an array of length 3/],
    [() => I.convOutputSize(7, 3, [0, 1], 2), /convOutputSize: argument 'S' \(stride S = 2\) does not divide W − K_eff \+ P_b \+ P_a = 7 − 3 \+ 0 \+ 1 = 5/],
    [() => I.convOutputSize(2, 5, [1, 1], 1), /convOutputSize: argument 'K' does not fit: kernel 5 is larger than the padded input W \+ P_b \+ P_a = 2 \+ 1 \+ 1 = 4/],
    [() => I.transposedOutputSize(3, 3, 2, 'same', 1), /transposedOutputSize: argument 'outputPadding' must be 0 with p = 'same'/],
    [() => I.transposedOutputSize(3, 3, 2, 'full' as never), /transposedOutputSize: argument 'p' must be an integer ≥ 0, a pair \[before, after\], 'same' or 'valid'; got "full"/],
    [() => I.transposedOutputSize(1, 1, 1, [1, 1]), /transposedOutputSize: argument 'p' is too large: s\(n − 1\) \+ k − p_b − p_a \+ a = 1·0 \+ 1 − 1 − 1 \+ 0 = -1 < 1/],
  ])('validation %#', (call, message) => {
    expect(call).toThrowError(message);
  });
});
