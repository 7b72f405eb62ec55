/**
 * Family I (convolution arithmetic): hidden differential checks, student vs reference on random
 * valid geometries (every input here is one the reference accepts). Integer results: exact.
 * Instructor side only.
 */
import fc from 'fast-check';
import * as ref from '../../reference/conv-arithmetic.ts';
import { exactConvGeometry, rfLayer, transposedGeometry, validLayerList } from '../conv-arithmetic.grader.ts';
import { differential, EXACT } from '../engine/checks.ts';
import type { Check } from '../engine/types.ts';

const size = (max: number) => fc.integer({ min: 1, max });

/** Any geometry in 'floor' mode (leftover pixels allowed), or an exact one in the default mode. */
type ConvOptions = { dilation?: number; rounding?: 'exact' | 'floor' };
const convCase: fc.Arbitrary<{ W: number; K: number; P: number; S: number; options?: ConvOptions }> = fc.oneof(
  exactConvGeometry({ maxOut: 40, maxK: 11, maxS: 5, maxP: 5 }).map(({ W, K, P, S, d }) => ({ W, K, P, S, options: { dilation: d } })),
  exactConvGeometry({ maxOut: 40, maxK: 11, maxS: 5, maxP: 5 }).chain(({ W, K, P, S, d }) =>
    fc.integer({ min: 0, max: S - 1 }).map((r) => ({ W: W + r, K, P, S, options: { dilation: d, rounding: 'floor' as const } })),
  ),
  exactConvGeometry({ maxOut: 40, maxK: 11, maxS: 5, maxP: 5, maxD: 1 }).map(({ W, K, P, S }) => ({ W, K, P, S })),
);

const tfCase = fc
  .record({ W: size(300), K: size(11), S: size(6), padding: fc.constantFrom('same' as const, 'valid' as const), d: size(4) })
  .filter(({ W, K, d, padding }) => padding === 'same' || d * (K - 1) + 1 <= W);

const layerTypes = fc.array(fc.tuple(size(7), size(7)), { minLength: 1, maxLength: 6 });

export const hidden: Check[] = [
  differential({
    id: 'I1.convOutputSize.reference', exercise: 'convOutputSize', catalogue: 'I1', title: 'convOutputSize matches the reference (exact and floor modes, dilation)',
    hint: "I1: (W − K_eff + 2P)/S + 1; 'floor' rounds down", arbitrary: convCase,
    // EXACT: integer results, all far below 2^53 (the largest: 300⁴·8 bytes ≈ 6.5e10)
    args: ({ W, K, P, S, options }) => (options ? [W, K, P, S, options] : [W, K, P, S]), expected: ({ W, K, P, S, options }) => ref.convOutputSize(W, K, P, S, options), tol: EXACT,
  }),
  differential({
    id: 'I2.samePadding.reference', exercise: 'samePadding', catalogue: 'I2', title: 'samePadding matches the reference for odd K',
    // EXACT: integer results, all far below 2^53 (the largest: 300⁴·8 bytes ≈ 6.5e10)
    hint: 'I2: (K − 1)/2', arbitrary: fc.integer({ min: 0, max: 50 }).map((h) => 2 * h + 1), args: (K) => [K], expected: (K) => ref.samePadding(K), tol: EXACT,
  }),
  differential({
    id: 'I2.tfOutputSize.reference', exercise: 'tfOutputSize', catalogue: 'I2', title: "tfOutputSize matches the reference ('same' and 'valid', dilation)",
    // EXACT: integer results, all far below 2^53 (the largest: 300⁴·8 bytes ≈ 6.5e10)
    hint: "I2: ⌈W/S⌉ and ⌈(W − K_eff + 1)/S⌉", arbitrary: tfCase, args: ({ W, K, S, padding, d }) => [W, K, S, padding, d], expected: ({ W, K, S, padding, d }) => ref.tfOutputSize(W, K, S, padding, d), tol: EXACT,
  }),
  differential({
    id: 'I2.tfSamePads.reference', exercise: 'tfSamePads', catalogue: 'I2', title: "tfSamePads matches the reference (strides larger than the kernel included)",
    hint: 'I2: [⌊P/2⌋, P − ⌊P/2⌋], P = max(0, (⌈W/S⌉ − 1)S + K_eff − W)',
    // EXACT: integer results, all far below 2^53 (the largest: 300⁴·8 bytes ≈ 6.5e10)
    arbitrary: fc.record({ W: size(100), K: size(9), S: size(8), d: size(3) }), args: ({ W, K, S, d }) => [W, K, S, d], expected: ({ W, K, S, d }) => ref.tfSamePads(W, K, S, d), tol: EXACT,
  }),
  differential({
    id: 'I3.effectiveKernel.reference', exercise: 'effectiveKernel', catalogue: 'I3', title: 'effectiveKernel matches the reference',
    // EXACT: integer results, all far below 2^53 (the largest: 300⁴·8 bytes ≈ 6.5e10)
    hint: 'I3: d(K − 1) + 1', arbitrary: fc.tuple(size(15), size(8)), args: ([K, d]) => [K, d], expected: ([K, d]) => ref.effectiveKernel(K, d), tol: EXACT,
  }),
  differential({
    id: 'I4.poolOutputSize.reference', exercise: 'poolOutputSize', catalogue: 'I4', title: "poolOutputSize matches the reference (exact and 'floor')",
    hint: 'I4: (W − F)/S + 1',
    arbitrary: fc.oneof(
      exactConvGeometry({ maxOut: 60, maxK: 6, maxS: 4, maxP: 0, maxD: 1 }).map(({ W, K, S }) => [W, K, S, 'exact'] as const),
      fc.record({ W: size(200), F: size(6), S: size(6) }).filter(({ W, F }) => F <= W).map(({ W, F, S }) => [W, F, S, 'floor'] as const),
    ),
    // EXACT: integer results, all far below 2^53 (the largest: 300⁴·8 bytes ≈ 6.5e10)
    args: (c) => [...c], expected: ([W, F, S, r]) => ref.poolOutputSize(W, F, S, r), tol: EXACT,
  }),
  differential({
    id: 'I5.transposedOutputSize.reference', exercise: 'transposedOutputSize', catalogue: 'I5', title: 'transposedOutputSize matches the reference (with output padding)',
    hint: 'I5: s(n − 1) + k − 2p + a', arbitrary: transposedGeometry({ maxN: 40, maxK: 9, maxS: 5, maxP: 4 }),
    // EXACT: integer results, all far below 2^53 (the largest: 300⁴·8 bytes ≈ 6.5e10)
    args: ({ n, k, s, p, a }) => [n, k, s, p, a], expected: ({ n, k, s, p, a }) => ref.transposedOutputSize(n, k, s, p, a), tol: EXACT,
  }),
  differential({
    id: 'I6.convParams.reference', exercise: 'convParams', catalogue: 'I6', title: 'convParams matches the reference (with and without biases)',
    hint: 'I6: (F·F·D₁)·K + K', arbitrary: fc.record({ F: size(11), D1: size(512), K: size(512), bias: fc.boolean() }),
    // EXACT: integer results, all far below 2^53 (the largest: 300⁴·8 bytes ≈ 6.5e10)
    args: ({ F, D1, K, bias }) => [F, D1, K, bias], expected: ({ F, D1, K, bias }) => ref.convParams(F, D1, K, bias), tol: EXACT,
  }),
  differential({
    id: 'I6.fcParams.reference', exercise: 'fcParams', catalogue: 'I6', title: 'fcParams matches the reference (with and without biases)',
    hint: 'I6: n_in·n_out + n_out', arbitrary: fc.record({ a: size(30000), b: size(5000), bias: fc.boolean() }),
    // EXACT: integer results, all far below 2^53 (the largest: 300⁴·8 bytes ≈ 6.5e10)
    args: ({ a, b, bias }) => [a, b, bias], expected: ({ a, b, bias }) => ref.fcParams(a, b, bias), tol: EXACT,
  }),
  differential({
    id: 'I7.activationMemory.reference', exercise: 'activationMemory', catalogue: 'I7', title: 'activationMemory matches the reference',
    hint: 'I7: product of the dimensions; bytes at bytesPerValue (4 by default)',
    arbitrary: fc.record({ shape: fc.array(size(300), { minLength: 1, maxLength: 4 }), b: fc.option(fc.constantFrom(1, 2, 4, 8), { nil: undefined }) }),
    // EXACT: integer results, all far below 2^53 (the largest: 300⁴·8 bytes ≈ 6.5e10)
    args: ({ shape, b }) => (b === undefined ? [shape] : [shape, b]), expected: ({ shape, b }) => ref.activationMemory(shape, b), tol: EXACT,
  }),
  differential({
    id: 'I8.receptiveField.reference', exercise: 'receptiveField', catalogue: 'I8', title: 'receptiveField matches the reference on random stacks',
    // EXACT: integer results, all far below 2^53 (the largest: 300⁴·8 bytes ≈ 6.5e10)
    hint: 'I8: 1 + Σ (k_eff − 1)·Π earlier strides', arbitrary: fc.array(rfLayer, { maxLength: 8 }), args: (layers) => [layers], expected: (layers) => ref.receptiveField(layers), tol: EXACT,
  }),
  differential({
    id: 'I9.stackParams.reference', exercise: 'stackParams', catalogue: 'I9', title: 'stackParams matches the reference (asymmetric kernels included)',
    // EXACT: integer results, all far below 2^53 (the largest: 300⁴·8 bytes ≈ 6.5e10)
    hint: 'I9: C²·Σ kh·kw', arbitrary: fc.tuple(layerTypes, size(512)), args: ([k, C]) => [k, C], expected: ([k, C]) => ref.stackParams(k as [number, number][], C), tol: EXACT,
  }),
  differential({
    id: 'I10.layerSummary.reference', exercise: 'layerSummary', catalogue: 'I10', title: 'layerSummary matches the reference on random valid layer lists',
    hint: 'I10: input row, per-layer shapes/params/weights/activations, totals', arbitrary: validLayerList({ maxLayers: 8, maxSize: 32 }),
    // EXACT: integer results, all far below 2^53 (the largest: 300⁴·8 bytes ≈ 6.5e10)
    args: ({ input, layers }) => [input, layers], expected: ({ input, layers }) => ref.layerSummary(input, layers), tol: EXACT,
  }),
  differential({
    id: 'I11.weightSharing.reference', exercise: 'weightSharing', catalogue: 'I11', title: 'weightSharing matches the reference (strides and padding)',
    hint: 'I11: neurons on the output grid; unshared = neurons · F·F·D₁; shared = K · F·F·D₁',
    // a second output size for the height: H = S(O₂ − 1) + F − 2P ≥ 1
    arbitrary: exactConvGeometry({ maxOut: 30, maxK: 7, maxS: 3, maxP: 3, maxD: 1 }).chain((g) =>
      fc.record({ O2: fc.integer({ min: Math.max(1, 1 + Math.ceil((1 - g.K + 2 * g.P) / g.S)), max: 30 }), D1: size(8), filters: size(64) }).map((x) => ({ ...g, ...x, H: g.S * (x.O2 - 1) + g.K - 2 * g.P })),
    ),
    // EXACT: integer results, all far below 2^53 (the largest: 300⁴·8 bytes ≈ 6.5e10)
    args: (g) => [[g.H, g.W, g.D1], g.K, g.filters, g.S, g.P], expected: (g) => ref.weightSharing([g.H, g.W, g.D1], g.K, g.filters, g.S, g.P), tol: EXACT,
  }),
];
