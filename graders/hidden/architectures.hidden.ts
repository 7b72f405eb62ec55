/**
 * Family R (architectures): hidden differential checks, student vs reference on random inputs.
 * Instructor side only.
 *
 * Strata where the blocks go wrong: identity and projection shortcuts of every shape (also
 * p = n with a projection), pre-activations that are exactly 0 (integer weights and inputs hit
 * ReLU's kink, where the subgradient 0 of A3 is required), stochastic depth with p_L ∈ {0, 1}
 * and b = 0, SE on 1×1 images and with one hidden unit, inception branches with and without
 * reductions, summaries mixing every block type with strides that leave leftover pixels (pool
 * strides and residual projections also left to their defaults), residual stacks whose depth
 * never changes, NiN stacks of up to four layers. Each check names the mistakes its wrong values match.
 */
import fc from 'fast-check';
import * as ref from '../../reference/architectures.ts';
import { branch, inceptionCase, MISTAKES, ninCase, residualCase, seCase, type NiNCase, type ResidualCase, type SECase } from '../architectures.grader.ts';
import { differential, EXACT } from '../engine/checks.ts';
import type { Variants } from '../engine/diagnose.ts';
import type { Check } from '../engine/types.ts';

type Vec = number[];
type Mat = number[][];

const relu = (v: number) => (v > 0 ? v : 0);
const matVec = (W: Mat, v: Vec): Vec => W.map((row) => row.reduce((s, w, j) => s + w * v[j], 0));
const small = fc.integer({ min: -2, max: 2 });
/** 0, or a magnitude in [0.01, 3] of either sign: shrinking stops at ±0.01, not at a 1e−12 that tolerances cannot tell from 0. */
const signedOrZero = fc.oneof(fc.constant(0), fc.tuple(fc.double({ min: 0.01, max: 3, noNaN: true }), fc.boolean()).map(([a, neg]) => (neg ? -a : a)));

/** Real-valued cases, and integer ones whose pre-activations land on 0 (the kink) now and then. */
const residualStrata: fc.Arbitrary<ResidualCase> = fc.oneof(
  residualCase({ maxN: 5, maxM: 5 }),
  residualCase({ maxN: 3, maxM: 3 }).chain((t) =>
    fc.record({
      x: fc.array(small, { minLength: t.x.length, maxLength: t.x.length }),
      W1: fc.array(fc.array(small, { minLength: t.x.length, maxLength: t.x.length }), { minLength: t.W1.length, maxLength: t.W1.length }),
      W2: fc.array(fc.array(small, { minLength: t.W1.length, maxLength: t.W1.length }), { minLength: t.W2.length, maxLength: t.W2.length }),
      Ws: t.Ws === null ? fc.constant(null) : fc.array(fc.array(small, { minLength: t.x.length, maxLength: t.x.length }), { minLength: t.W2.length, maxLength: t.W2.length }).map((M): Mat | null => M),
    }),
  ),
);
const resArgs = (t: ResidualCase) => [t.x, t.W1, t.W2, t.Ws];

const seStrata: fc.Arbitrary<SECase> = fc.oneof(seCase({ maxC: 6, maxHW: 4, maxR: 4 }), seCase({ maxC: 3, maxHW: 1, maxR: 1 }));

const blockArb: fc.Arbitrary<ref.Block> = fc.oneof(
  fc.record({ type: fc.constant('conv' as const), filters: fc.integer({ min: 1, max: 16 }), size: fc.integer({ min: 1, max: 3 }), stride: fc.integer({ min: 1, max: 2 }), pad: fc.integer({ min: 0, max: 1 }), bias: fc.boolean() }),
  fc.record({ type: fc.constant('residual' as const), filters: fc.integer({ min: 1, max: 16 }), size: fc.constantFrom(1, 3), stride: fc.integer({ min: 1, max: 2 }), projection: fc.boolean(), bias: fc.boolean() }),
  fc.record({ type: fc.constant('residual' as const), filters: fc.integer({ min: 1, max: 16 }), size: fc.constantFrom(1, 3), stride: fc.integer({ min: 1, max: 2 }) }), // projection and bias by default
  fc.record({ type: fc.constant('pool' as const), size: fc.integer({ min: 1, max: 3 }), stride: fc.integer({ min: 1, max: 2 }) }),
  fc.record({ type: fc.constant('pool' as const), size: fc.integer({ min: 1, max: 3 }) }), // stride = size by default
  fc.record({ type: fc.constant('inception' as const), branches: fc.array(branch, { minLength: 1, maxLength: 4 }).map((bs) => bs.map((b) => ({ ...b, size: b.size % 2 ? b.size : b.size + 1 }))), bias: fc.boolean() }),
  fc.record({ type: fc.constant('dense' as const), layers: fc.integer({ min: 1, max: 4 }), growth: fc.integer({ min: 1, max: 12 }), size: fc.constantFrom(1, 3) }),
  fc.record({ type: fc.constant('gap' as const) }),
);
/** Every block fits (a strided stack can shrink the input below a kernel). */
function valid(input: ref.Shape3, blocks: ref.Block[]): boolean {
  try {
    ref.blockSummary(input, blocks);
    return true;
  } catch {
    return false;
  }
}

/** A model on H × W × C: a few blocks (sizes that fit), an optional SE whose ratio divides C, then maybe fc. */
const modelCase = fc
  .record({ H: fc.integer({ min: 6, max: 20 }), W: fc.integer({ min: 6, max: 20 }), C: fc.constantFrom(1, 2, 3, 4, 8, 16), blocks: fc.array(blockArb, { minLength: 1, maxLength: 4 }), fc: fc.option(fc.integer({ min: 1, max: 10 })) })
  .map(({ H, W, C, blocks, fc: units }) => {
    const all: ref.Block[] = [...blocks];
    if (units !== null) all.push({ type: 'fc', units });
    return { input: [H, W, C] as ref.Shape3, blocks: all };
  })
  .filter((t) => valid(t.input, t.blocks))
  .map((t) => {
    // an SE block after the first block, with a ratio dividing that block's depth
    const depth = ref.blockSummary(t.input, [t.blocks[0]]).rows[1].shape[2];
    return { ...t, blocks: [t.blocks[0], { type: 'se' as const, ratio: depth % 2 === 0 ? 2 : 1 }, ...t.blocks.slice(1)] };
  });

/** Residual stacks that keep the depth (filters = C): only the stride and `projection` decide between identity and projection shortcuts. */
const residualStack = fc
  .record({ H: fc.integer({ min: 6, max: 20 }), W: fc.integer({ min: 6, max: 20 }), C: fc.integer({ min: 1, max: 16 }), blocks: fc.array(fc.record({ size: fc.constantFrom(1, 3), stride: fc.integer({ min: 1, max: 2 }), projection: fc.constantFrom(true, false, undefined) }), { minLength: 1, maxLength: 3 }) })
  .map(({ H, W, C, blocks }) => ({ input: [H, W, C] as ref.Shape3, blocks: blocks.map(({ size, stride, projection }): ref.Block => ({ type: 'residual', filters: C, size, stride, ...(projection === undefined ? {} : { projection }) })) }));

const ninStrata: fc.Arbitrary<NiNCase> = ninCase({ maxC: 5, maxHW: 4, maxLayers: 4 });

export const hidden: Check[] = [
  differential({
    id: 'R1.residualForward.reference', exercise: 'residualForward', catalogue: 'R1',
    title: 'residualForward matches the reference: out and the cache pre-activations, identity and projection shortcuts, ReLU kinks included',
    hint: 'R1: out = ReLU(W2 ReLU(W1 x) + shortcut); cache a1 = W1 x, a2 = W2 ReLU(a1) + shortcut',
    arbitrary: residualStrata, args: resArgs,
    expected: (t) => {
      const r = ref.residualForward(t.x, t.W1, t.W2, t.Ws);
      return { out: r.out, cache: { a1: r.cache.a1, a2: r.cache.a2 } };
    },
    variants: (t) => {
      const { cache } = ref.residualForward(t.x, t.W1, t.W2, t.Ws);
      const F = cache.a2.map((a, i) => a - (t.Ws === null ? t.x[i] : matVec(t.Ws, t.x)[i]));
      const shortcut = t.Ws === null ? t.x : matVec(t.Ws, t.x);
      const v: Variants = {
        [MISTAKES.reluBeforeAdd]: { out: F.map((f, i) => relu(f) + shortcut[i]) },
        [MISTAKES.noFinalRelu]: { out: cache.a2 },
      };
      if (t.Ws === null && t.W1.length === t.x.length) v[MISTAKES.addBeforeSecondLayer] = { out: matVec(t.W2, cache.a1.map((a, i) => relu(a) + t.x[i])).map(relu) };
      return v;
    },
  }),
  differential({
    id: 'R1.residualBackward.reference', exercise: 'residualBackward', catalogue: 'R1',
    title: 'residualBackward matches the reference on caches built to the contract (subgradient 0 at the kinks)',
    hint: 'R1: δ2 = dout ⊙ [a2 > 0], δ1 = (W2ᵀδ2) ⊙ [a1 > 0]; dx = W1ᵀδ1 + (δ2 or W_sᵀδ2); dWs null without a projection',
    arbitrary: residualStrata.chain((t) => fc.tuple(fc.constant(t), fc.array(fc.oneof(small, fc.double({ min: -2, max: 2, noNaN: true })), { minLength: t.W2.length, maxLength: t.W2.length }))),
    args: ([t, dout]) => [dout, ref.residualForward(t.x, t.W1, t.W2, t.Ws).cache],
    expected: ([t, dout]) => ref.residualBackward(dout, ref.residualForward(t.x, t.W1, t.W2, t.Ws).cache),
    variants: ([t, dout]) => {
      const { cache } = ref.residualForward(t.x, t.W1, t.W2, t.Ws);
      const g = ref.residualBackward(dout, cache);
      const delta2 = dout.map((d, i) => (cache.a2[i] > 0 ? d : 0));
      const through = t.Ws === null ? delta2 : t.x.map((_, j) => t.Ws!.reduce((s, row, i) => s + row[j] * delta2[i], 0));
      return { [MISTAKES.noShortcutGradient]: { dx: g.dx.map((v, i) => v - through[i]) } };
    },
  }),
  differential({
    id: 'R2.survivalProbabilities.reference', exercise: 'survivalProbabilities', catalogue: 'R2',
    title: 'survivalProbabilities matches the reference (L up to 500, p_L ∈ [0, 1] with 0 and 1)',
    hint: 'R2: p_ℓ = 1 − (ℓ/L)(1 − p_L), ℓ = 1 … L',
    arbitrary: fc.record({ L: fc.integer({ min: 1, max: 500 }), pL: fc.oneof(fc.constantFrom(0, 1, 0.5), fc.double({ min: 0, max: 1, noNaN: true })) }),
    args: ({ L, pL }) => [L, pL], expected: ({ L, pL }) => ref.survivalProbabilities(L, pL),
    variants: ({ L, pL }) => ({ [MISTAKES.lMinusOne]: Array.from({ length: L }, (_, i) => 1 - (i / L) * (1 - pL)) }),
  }),
  differential({
    id: 'R2.expectedDepth.reference', exercise: 'expectedDepth', catalogue: 'R2',
    title: 'expectedDepth matches the reference (L up to 1000)',
    hint: 'R2: E[L̃] = Σ_{ℓ=1}^{L} p_ℓ',
    arbitrary: fc.record({ L: fc.integer({ min: 1, max: 1000 }), pL: fc.oneof(fc.constantFrom(0, 1, 0.5), fc.double({ min: 0, max: 1, noNaN: true })) }),
    // Σ of L ≤ 1000 terms ≤ 1: ≤ 1.1e−16·L² absolute on E ≥ (L − 1)/2, i.e. ≤ ~2.2e−13 relative, inside rtol 1e−12; the ℓ − 1 mistake is off by 1 − p_L
    args: ({ L, pL }) => [L, pL], expected: ({ L, pL }) => ref.expectedDepth(L, pL), tol: { rtol: 1e-12, atol: 1e-12 },
    variants: ({ L, pL }) => ({ [MISTAKES.lMinusOne]: L - ((1 - pL) * (L - 1)) / 2 }),
  }),
  differential({
    id: 'R2.stochasticDepthBlock.reference', exercise: 'stochasticDepthBlock', catalogue: 'R2',
    title: 'stochasticDepthBlock matches the reference in both modes (b = 0 and 1, p from 0 to 1)',
    hint: 'R2: train ReLU(b f + H); test ReLU(p f + H)',
    arbitrary: fc.integer({ min: 1, max: 10 }).chain((n) => fc.record({
      H: fc.array(signedOrZero, { minLength: n, maxLength: n }),
      f: fc.array(signedOrZero, { minLength: n, maxLength: n }),
      mode: fc.constantFrom('train' as const, 'test' as const),
      b: fc.constantFrom(0 as const, 1 as const),
      p: fc.oneof(fc.constantFrom(0, 1), fc.double({ min: 0, max: 1, noNaN: true })),
    })),
    args: (t) => [t.H, t.f, t.mode, t.b, t.p], expected: (t) => ref.stochasticDepthBlock(t.H, t.f, t.mode, t.b, t.p),
    variants: (t) => ({ [MISTAKES.stochasticNoRelu]: t.H.map((h, i) => (t.mode === 'train' ? t.b : t.p) * t.f[i] + h) }),
  }),
  differential({
    id: 'R3.denseBlockChannels.reference', exercise: 'denseBlockChannels', catalogue: 'R3',
    title: 'denseBlockChannels matches the reference',
    hint: 'R3: k0 + k(ℓ − 1)',
    arbitrary: fc.record({ k0: fc.integer({ min: 1, max: 2048 }), k: fc.integer({ min: 1, max: 256 }), l: fc.integer({ min: 1, max: 200 }) }),
    // EXACT: integer arithmetic (k0 + k(ℓ − 1))
    args: ({ k0, k, l }) => [k0, k, l], expected: ({ k0, k, l }) => ref.denseBlockChannels(k0, k, l), tol: EXACT,
    variants: ({ k0, k, l }) => ({ 'k·ℓ instead of k(ℓ − 1): the layer\'s own output counted as its input': k0 + k * l }),
  }),
  differential({
    id: 'R4.squeezeExcitation.reference', exercise: 'squeezeExcitation', catalogue: 'R4',
    title: 'squeezeExcitation matches the reference: out and the cache z, a, s (1×1 images and one hidden unit included)',
    hint: 'R4: z = channel means, a = W1 z, s = sigmoid(W2 ReLU(a)), out_c = s_c x_c',
    arbitrary: seStrata, args: (t) => [t.x, t.W1, t.W2],
    expected: (t) => {
      const r = ref.squeezeExcitation(t.x, t.W1, t.W2);
      return { out: r.out, cache: { z: r.cache.z, a: r.cache.a, s: r.cache.s } };
    },
    variants: (t) => {
      const { cache } = ref.squeezeExcitation(t.x, t.W1, t.W2);
      const sRelu = matVec(t.W2, cache.a.map(relu)).map(relu);
      return { [MISTAKES.reluGate]: { out: t.x.map((ch, c) => ch.map((row) => row.map((v) => sRelu[c] * v))) } };
    },
  }),
  differential({
    id: 'R4.squeezeExcitationBackward.reference', exercise: 'squeezeExcitationBackward', catalogue: 'R4',
    title: 'squeezeExcitationBackward matches the reference on caches built to the contract',
    hint: 'R4: dx_c = s_c dout_c + (W1ᵀδa)_c/(H·W); dW1 = δa zᵀ; dW2 = δs ReLU(a)ᵀ',
    arbitrary: seStrata.chain((t) => fc.tuple(fc.constant(t), fc.array(fc.array(fc.array(fc.double({ min: -2, max: 2, noNaN: true }), { minLength: t.x[0][0].length, maxLength: t.x[0][0].length }), { minLength: t.x[0].length, maxLength: t.x[0].length }), { minLength: t.x.length, maxLength: t.x.length }))),
    args: ([t, dout]) => [dout, ref.squeezeExcitation(t.x, t.W1, t.W2).cache],
    expected: ([t, dout]) => ref.squeezeExcitationBackward(dout, ref.squeezeExcitation(t.x, t.W1, t.W2).cache),
    variants: ([t, dout]) => {
      const { s } = ref.squeezeExcitation(t.x, t.W1, t.W2).cache;
      return { [MISTAKES.directOnly]: { dx: dout.map((ch, c) => ch.map((row) => row.map((d) => s[c] * d))) } };
    },
  }),
  differential({
    id: 'R5.inceptionDepth.reference', exercise: 'inceptionDepth', catalogue: 'R5',
    title: 'inceptionDepth matches the reference on random modules',
    hint: 'R5: Σ filters + (C or project) per pool branch',
    // EXACT: a sum of integer channel counts
    arbitrary: inceptionCase, args: (t) => [t.C, t.branches], expected: (t) => ref.inceptionDepth(t.C, t.branches), tol: EXACT,
  }),
  differential({
    id: 'R5.inceptionMultiplies.reference', exercise: 'inceptionMultiplies', catalogue: 'R5',
    title: 'inceptionMultiplies matches the reference on random modules and sizes',
    hint: 'R5: H·W·C_out·k²·C_in per conv, reductions and projections as 1×1 convs, pools free',
    // EXACT: integer products, all < 2^53
    arbitrary: inceptionCase, args: (t) => [t.H, t.W, t.C, t.branches], expected: (t) => ref.inceptionMultiplies(t.H, t.W, t.C, t.branches), tol: EXACT,
  }),
  differential({
    id: 'R6.blockSummary.reference', exercise: 'blockSummary', catalogue: 'R6', numRuns: 60,
    title: 'blockSummary matches the reference on random models mixing conv, pool, residual (strided, projected), inception, dense, SE, GAP and fc blocks, and on depth-keeping residual stacks',
    hint: 'R6: per block the output shape [H, W, C] (floor) and weights + biases; params is the sum',
    // EXACT: shapes (floor) and parameter counts are integer arithmetic
    arbitrary: fc.oneof(modelCase, residualStack), args: (t) => [t.input, t.blocks], expected: (t) => ref.blockSummary(t.input, t.blocks), tol: EXACT,
  }),
  differential({
    id: 'R7.networkInNetwork.reference', exercise: 'networkInNetwork', catalogue: 'R7',
    title: 'networkInNetwork matches the reference (up to four layers, 1×1 to 4×4 images)',
    hint: 'R7: z ← ReLU(W z + b) per layer at every pixel',
    arbitrary: ninStrata, args: (t) => [t.x, t.layers], expected: (t) => ref.networkInNetwork(t.x, t.layers),
    variants: (t) => ({ [MISTAKES.ninNoBias]: ref.networkInNetwork(t.x, t.layers.map((l) => ({ W: l.W, b: l.b.map(() => 0) }))) }),
  }),
];
