/**
 * Family M (recurrent), M1–M6: hidden differential checks, student vs reference on random inputs.
 * Instructor side only.
 *
 * Sizes D, H ≤ 4, K ≤ 3, T ≤ 6, both hidden activations, all three outputs, both modes;
 * weights and inputs are multiples of ⅛ in [−1, 1] (exact in binary: a shrunk counterexample
 * shows a clearly wrong value), dy multiples of ⅛ in [−2, 2]. Caches are built by the reference
 * (the contract's fields), so a submission is graded on each function alone. Each check names
 * the mistakes its wrong values match by running the reference's building blocks wrongly.
 * LSTM (M4): D, H ≤ 4, T ≤ 6, every weight, bias, state and input a multiple of ⅛ in [−1, 1],
 * dh multiples of ⅛ in [−2, 2]. Peephole LSTM (M5): the same, W_f, W_i, W_o with H more columns
 * (the peepholes, multiples of ⅛ in [−1, 1]). GRU (M6): the same, with the biases present or absent.
 * M1's batch-form blocks: N ≤ 3, T ≤ 5, V ≤ 6, D, M ≤ 4; weights, inputs and upstream gradients
 * multiples of ⅛; scores multiples of ⅛ in [−3, 3]; masks of 0 and 1 (the last step often padding).
 */
import fc from 'fast-check';
import * as ref from '../../reference/recurrent.ts';
import { eighths, matrixOf, vectorOf } from '../engine/arbitraries.ts';
import { differential } from '../engine/checks.ts';
import type { Variants } from '../engine/diagnose.ts';
import type { Check } from '../engine/types.ts';
import { clipVariants, eye, matMul, MISTAKES, tr } from '../recurrent.grader.ts';

type Vec = number[];
type Mat = number[][];

interface Case {
  xs: Vec[];
  h0: Vec;
  params: ref.RnnParams;
  dy: Vec[];
  opts: Required<ref.RnnOptions>;
}
const e = eighths(1);
const rnnCase: fc.Arbitrary<Case> = fc
  .record({
    D: fc.integer({ min: 1, max: 4 }), H: fc.integer({ min: 1, max: 4 }), K: fc.integer({ min: 1, max: 3 }), T: fc.integer({ min: 1, max: 6 }),
    opts: fc.record({ activation: fc.constantFrom<ref.HiddenActivation>('tanh', 'sigmoid'), output: fc.constantFrom<ref.OutputActivation>('linear', 'sigmoid', 'tanh'), mode: fc.constantFrom<ref.RnnMode>('many-to-many', 'many-to-one') }),
  })
  .chain((g) =>
    fc.record({
      xs: matrixOf(g.T, g.D, e),
      h0: vectorOf(g.H, e),
      params: fc.record({ Whx: matrixOf(g.H, g.D, e), Whh: matrixOf(g.H, g.H, e), bh: vectorOf(g.H, e), Wyh: matrixOf(g.K, g.H, e), by: vectorOf(g.K, e) }),
      dy: matrixOf(g.opts.mode === 'many-to-one' ? 1 : g.T, g.K, eighths(2)),
      opts: fc.constant(g.opts),
    }),
  );
const cacheOf = (c: Case) => ref.rnnForward(c.xs, c.h0, c.params, c.opts).cache;
const other = (a: ref.HiddenActivation): ref.HiddenActivation => (a === 'tanh' ? 'sigmoid' : 'tanh');

export const hidden: Check[] = [
  differential({
    id: 'M1.rnnStep.reference', exercise: 'rnnStep', catalogue: 'M1', numRuns: 150,
    title: 'rnnStep matches the reference on random sizes, activations and outputs',
    hint: 'M1: z_h = W_hx x + W_hh h + b_h, h = σ_h(z_h), z_y = W_yh h + b_y, y = σ_y(z_y)',
    arbitrary: rnnCase, args: (c) => [c.xs[0], c.h0, c.params, c.opts],
    expected: (c) => ref.rnnStep(c.xs[0], c.h0, c.params, c.opts),
    variants: (c): Variants => ({
      [MISTAKES.whhTransposed]: ref.rnnStep(c.xs[0], c.h0, { ...c.params, Whh: tr(c.params.Whh) }, c.opts),
      [MISTAKES.activationSwapped]: ref.rnnStep(c.xs[0], c.h0, c.params, { ...c.opts, activation: other(c.opts.activation) }),
      [MISTAKES.outputIgnored]: { y: ref.rnnStep(c.xs[0], c.h0, c.params, c.opts).zy },
    }),
  }),
  differential({
    id: 'M1.rnnForward.reference', exercise: 'rnnForward', catalogue: 'M1', numRuns: 150,
    title: 'rnnForward matches the reference: y, h and the cache, on random sequences, both modes',
    hint: 'M1: h^(t) = σ_h(W_hx x^(t) + W_hh h^(t−1) + b_h) from h0; y at every step or only the last',
    arbitrary: rnnCase, args: (c) => [c.xs, c.h0, c.params, c.opts],
    expected: (c) => ref.rnnForward(c.xs, c.h0, c.params, c.opts),
    variants: (c): Variants => {
      const zero = ref.rnnForward(c.xs, c.h0.map(() => 0), c.params, c.opts);
      const many = ref.rnnForward(c.xs, c.h0, c.params, { ...c.opts, mode: 'many-to-many' });
      return {
        [MISTAKES.h0Ignored]: { h: zero.h },
        [MISTAKES.notCarried]: { h: c.xs.map((x) => ref.rnnStep(x, c.h0, c.params, c.opts).h) },
        ...(c.opts.mode === 'many-to-one' ? { [MISTAKES.firstOutput]: { y: [many.y[0]] } } : {}),
      };
    },
  }),
  differential({
    id: 'M2.rnnBackward.reference', exercise: 'rnnBackward', catalogue: 'M2', numRuns: 150,
    title: 'rnnBackward (full BPTT) matches the reference on caches built to the contract',
    hint: 'M2: every weight gradient sums its immediate term over all t; ∂L/∂h^(0) = W_hhᵀ δ^(1)',
    arbitrary: rnnCase, args: (c) => [c.dy, cacheOf(c)],
    expected: (c) => ref.rnnBackward(c.dy, cacheOf(c)),
    variants: (c): Variants => ({ [MISTAKES.h0Dropped]: { ...ref.rnnBackward(c.dy, cacheOf(c)), dh0: c.h0.map(() => 0) } }),
  }),
  differential({
    id: 'M2.rnnBackward.truncated-reference', exercise: 'rnnBackward', catalogue: 'M2', numRuns: 150,
    title: 'rnnBackward truncated to k = 1 … T + 1 matches the reference',
    hint: 'M2: L^(t) flows back through steps t … t − k + 1 only, and reaches h^(0) only when t ≤ k',
    arbitrary: rnnCase.chain((c) => fc.tuple(fc.constant(c), fc.integer({ min: 1, max: c.xs.length + 1 }))),
    args: ([c, k]) => [c.dy, cacheOf(c), k],
    expected: ([c, k]) => ref.rnnBackward(c.dy, cacheOf(c), k),
    variants: ([c, k]): Variants => ({
      [MISTAKES.windowLong]: ref.rnnBackward(c.dy, cacheOf(c), k + 1),
      ...(k > 1 ? { [MISTAKES.windowShort]: ref.rnnBackward(c.dy, cacheOf(c), k - 1) } : {}),
    }),
  }),
  differential({
    id: 'M3.stepJacobians.reference', exercise: 'stepJacobians', catalogue: 'M3', numRuns: 100,
    title: 'stepJacobians matches the reference on random sequences',
    hint: 'M3: J_t = diag(σ_h′(z_h^(t))) W_hh',
    arbitrary: rnnCase, args: (c) => [cacheOf(c)],
    expected: (c) => ref.stepJacobians(cacheOf(c)),
    variants: (c): Variants => {
      const J = ref.stepJacobians(cacheOf(c));
      const W = c.params.Whh;
      // the slopes σ_h′ from the cached states, put on the columns of W_hh instead of its rows
      const d = cacheOf(c).h.map((h) => h.map((v) => (c.opts.activation === 'tanh' ? 1 - v * v : v * (1 - v))));
      return { [MISTAKES.slopeOnColumns]: d.map((dt) => W.map((row) => row.map((v, j) => v * dt[j]))), [MISTAKES.noSlope]: J.map(() => W) };
    },
  }),
  differential({
    id: 'M3.jacobianProduct.reference', exercise: 'jacobianProduct', catalogue: 'M3', numRuns: 100,
    title: 'jacobianProduct matches the reference for every 0 ≤ k ≤ t ≤ T',
    hint: 'M3: ∂h^(t)/∂h^(k) = J_t J_(t−1) … J_(k+1)',
    arbitrary: rnnCase.chain((c) => fc.tuple(fc.constant(c), fc.integer({ min: 0, max: c.xs.length }).chain((t) => fc.tuple(fc.constant(t), fc.integer({ min: 0, max: t }))))),
    args: ([c, [t, k]]) => [cacheOf(c), t, k],
    expected: ([c, [t, k]]) => ref.jacobianProduct(cacheOf(c), t, k),
    variants: ([c, [t, k]]): Variants => {
      const J = ref.stepJacobians(cacheOf(c));
      let reversed = eye(c.h0.length);
      for (let i = k + 1; i <= t; i++) reversed = matMul(reversed, J[i - 1]);
      return { [MISTAKES.reversed]: reversed, ...(t > k ? { [MISTAKES.oneShort]: ref.jacobianProduct(cacheOf(c), t, k + 1) } : {}) };
    },
  }),
  differential({
    id: 'M3.clipGradientNorm.reference', exercise: 'clipGradientNorm', catalogue: 'M3', numRuns: 100,
    title: 'clipGradientNorm matches the reference on the BPTT gradients of random sequences, thresholds above and below their norm',
    hint: 'M3: one global norm over every entry of every gradient; scale only when it exceeds maxNorm',
    arbitrary: rnnCase.chain((c) => fc.tuple(fc.constant(c), fc.constantFrom(0.25, 1, 4, 100))),
    args: ([c, m]) => [ref.rnnBackward(c.dy, cacheOf(c)), m],
    expected: ([c, m]) => ref.clipGradientNorm(ref.rnnBackward(c.dy, cacheOf(c)) as unknown as Record<string, Vec | Mat>, m),
    variants: ([c, m]) => clipVariants(ref.rnnBackward(c.dy, cacheOf(c)) as unknown as Record<string, Vec | Mat>, m),
  }),
];

interface LCase {
  xs: Vec[];
  h0: Vec;
  c0: Vec;
  params: ref.LstmParams;
  dh: Vec[];
}
const lstmCase: fc.Arbitrary<LCase> = fc
  .record({ D: fc.integer({ min: 1, max: 4 }), H: fc.integer({ min: 1, max: 4 }), T: fc.integer({ min: 1, max: 6 }) })
  .chain(({ D, H, T }) =>
    fc.record({
      xs: matrixOf(T, D, e), h0: vectorOf(H, e), c0: vectorOf(H, e),
      params: fc.record({
        Wf: matrixOf(H, H + D, e), bf: vectorOf(H, e), Wi: matrixOf(H, H + D, e), bi: vectorOf(H, e),
        WC: matrixOf(H, H + D, e), bC: vectorOf(H, e), Wo: matrixOf(H, H + D, e), bo: vectorOf(H, e),
      }),
      dh: matrixOf(T, H, eighths(2)),
    }),
  );
const lstmCacheOf = (c: LCase) => ref.lstmForward(c.xs, c.h0, c.c0, c.params).cache;

hidden.push(
  differential({
    id: 'M4.lstmStep.reference', exercise: 'lstmStep', catalogue: 'M4', numRuns: 150,
    title: 'lstmStep matches the reference on random sizes, states and weights',
    hint: 'M4: the gates over [h, x] (h first); C = f ⊙ C^(t−1) + i ⊙ C̃, h = o ⊙ tanh C',
    arbitrary: lstmCase, args: (c) => [c.xs[0], c.h0, c.c0, c.params],
    expected: (c) => ref.lstmStep(c.xs[0], c.h0, c.c0, c.params),
    variants: (c): Variants => {
      const right = ref.lstmStep(c.xs[0], c.h0, c.c0, c.params);
      const p = c.params;
      return {
        [MISTAKES.lstmGatesSwapped]: ref.lstmStep(c.xs[0], c.h0, c.c0, { ...p, Wf: p.Wo, bf: p.bo, Wo: p.Wf, bo: p.bf }),
        [MISTAKES.forgetOnCandidate]: { c: c.c0.map((cp, u) => right.i[u] * cp + right.f[u] * right.cTilde[u]) },
        [MISTAKES.hIsOC]: { h: right.c.map((cu, u) => right.o[u] * cu) },
      };
    },
  }),
  differential({
    id: 'M4.lstmForward.reference', exercise: 'lstmForward', catalogue: 'M4', numRuns: 150,
    title: 'lstmForward matches the reference: h, c and the cache, on random sequences',
    hint: 'M4: step t reads h^(t−1) and C^(t−1); the cache lists f, i, C̃, C, o, h of every step',
    arbitrary: lstmCase, args: (c) => [c.xs, c.h0, c.c0, c.params],
    expected: (c) => ref.lstmForward(c.xs, c.h0, c.c0, c.params),
    variants: (c): Variants => ({ [MISTAKES.cellNotCarried]: { c: c.xs.map((x, t) => ref.lstmStep(x, t === 0 ? c.h0 : ref.lstmForward(c.xs, c.h0, c.c0, c.params).h[t - 1], c.c0, c.params).c) } }),
  }),
  differential({
    id: 'M4.lstmBackward.reference', exercise: 'lstmBackward', catalogue: 'M4', numRuns: 150,
    title: 'lstmBackward matches the reference on caches built to the contract',
    hint: 'M4: carry ∂L/∂h and ∂L/∂C back from step to step; sum every gate\'s gradient over t',
    arbitrary: lstmCase, args: (c) => [c.dh, lstmCacheOf(c)],
    expected: (c) => ref.lstmBackward(c.dh, lstmCacheOf(c)),
    variants: (c): Variants => ({ [MISTAKES.c0Dropped]: { ...ref.lstmBackward(c.dh, lstmCacheOf(c)), dc0: c.c0.map(() => 0) } }),
  }),
);

/** The LSTM case widened to the peephole layout (M5): H leading columns of W_f, W_i, W_o for the cell. */
const peepholeCase: fc.Arbitrary<LCase> = lstmCase.chain((c) => {
  const H = c.h0.length;
  return fc.record({ f: matrixOf(H, H, e), i: matrixOf(H, H, e), o: matrixOf(H, H, e) }).map((peep) => ({
    ...c,
    params: { ...c.params, Wf: c.params.Wf.map((r, u) => [...peep.f[u], ...r]), Wi: c.params.Wi.map((r, u) => [...peep.i[u], ...r]), Wo: c.params.Wo.map((r, u) => [...peep.o[u], ...r]) },
  }));
});
const peepholeCacheOf = (c: LCase) => ref.peepholeLstmForward(c.xs, c.h0, c.c0, c.params).cache;

hidden.push(
  differential({
    id: 'M5.peepholeLstmStep.reference', exercise: 'peepholeLstmStep', catalogue: 'M5', numRuns: 150,
    title: 'peepholeLstmStep matches the reference on random sizes, states and weights',
    hint: 'M5: f, i over [C^(t−1), h, x], o over [C^(t), h, x] (the new cell), C̃ over [h, x]',
    arbitrary: peepholeCase, args: (c) => [c.xs[0], c.h0, c.c0, c.params],
    expected: (c) => ref.peepholeLstmStep(c.xs[0], c.h0, c.c0, c.params),
    variants: (c): Variants => {
      const right = ref.peepholeLstmStep(c.xs[0], c.h0, c.c0, c.params);
      const oOld = c.params.Wo.map((row, u) => 1 / (1 + Math.exp(-(row.reduce((s, v, j) => s + v * [...c.c0, ...c.h0, ...c.xs[0]][j], 0) + c.params.bo[u]))));
      return { [MISTAKES.oSeesOldCell]: { o: oOld, h: right.c.map((cu, u) => oOld[u] * Math.tanh(cu)) } };
    },
  }),
  differential({
    id: 'M5.peepholeLstmForward.reference', exercise: 'peepholeLstmForward', catalogue: 'M5', numRuns: 150,
    title: 'peepholeLstmForward matches the reference: h, c and the cache, on random sequences',
    hint: 'M5: step t reads h^(t−1) and C^(t−1); the cache lists f, i, C̃, C, o, h of every step',
    arbitrary: peepholeCase, args: (c) => [c.xs, c.h0, c.c0, c.params],
    expected: (c) => ref.peepholeLstmForward(c.xs, c.h0, c.c0, c.params),
    variants: (c): Variants => {
      const { h } = ref.peepholeLstmForward(c.xs, c.h0, c.c0, c.params);
      return { [MISTAKES.cellNotCarried]: { c: c.xs.map((x, t) => ref.peepholeLstmStep(x, t === 0 ? c.h0 : h[t - 1], c.c0, c.params).c) } };
    },
  }),
  differential({
    id: 'M5.peepholeLstmBackward.reference', exercise: 'peepholeLstmBackward', catalogue: 'M5', numRuns: 150,
    title: 'peepholeLstmBackward matches the reference on caches built to the contract',
    hint: 'M5: carry ∂L/∂h and ∂L/∂C back; the peepholes add W_o,Cᵀ δ_o to ∂L/∂C^(t) and W_f,Cᵀ δ_f + W_i,Cᵀ δ_i to ∂L/∂C^(t−1)',
    arbitrary: peepholeCase, args: (c) => [c.dh, peepholeCacheOf(c)],
    expected: (c) => ref.peepholeLstmBackward(c.dh, peepholeCacheOf(c)),
    variants: (c): Variants => ({ [MISTAKES.c0Dropped]: { ...ref.peepholeLstmBackward(c.dh, peepholeCacheOf(c)), dc0: c.c0.map(() => 0) } }),
  }),
);

interface GCase {
  xs: Vec[];
  h0: Vec;
  params: ref.GruParams;
  dh: Vec[];
}
const gruCase: fc.Arbitrary<GCase> = fc
  .record({ D: fc.integer({ min: 1, max: 4 }), H: fc.integer({ min: 1, max: 4 }), T: fc.integer({ min: 1, max: 6 }), biases: fc.boolean() })
  .chain(({ D, H, T, biases }) =>
    fc.record({
      xs: matrixOf(T, D, e), h0: vectorOf(H, e),
      params: fc.record({ Wz: matrixOf(H, H + D, e), Wr: matrixOf(H, H + D, e), W: matrixOf(H, H + D, e), ...(biases ? { bz: vectorOf(H, e), br: vectorOf(H, e), b: vectorOf(H, e) } : {}) }) as fc.Arbitrary<ref.GruParams>,
      dh: matrixOf(T, H, eighths(2)),
    }),
  );
const gruCacheOf = (c: GCase) => ref.gruForward(c.xs, c.h0, c.params).cache;

hidden.push(
  differential({
    id: 'M6.gruStep.reference', exercise: 'gruStep', catalogue: 'M6', numRuns: 150,
    title: 'gruStep matches the reference on random sizes, with and without biases',
    hint: 'M6: the reset before the matmul, W[r ⊙ h, x]; h = (1 − z) ⊙ h + z ⊙ h̃',
    arbitrary: gruCase, args: (c) => [c.xs[0], c.h0, c.params],
    expected: (c) => ref.gruStep(c.xs[0], c.h0, c.params),
    variants: (c): Variants => {
      const right = ref.gruStep(c.xs[0], c.h0, c.params);
      return { [MISTAKES.zSwapped]: { h: c.h0.map((hp, u) => right.z[u] * hp + (1 - right.z[u]) * right.hTilde[u]) } };
    },
  }),
  differential({
    id: 'M6.gruForward.reference', exercise: 'gruForward', catalogue: 'M6', numRuns: 150,
    title: 'gruForward matches the reference: h and the cache, on random sequences',
    hint: 'M6: step t reads h^(t−1); the cache lists z, r, h̃, h of every step',
    arbitrary: gruCase, args: (c) => [c.xs, c.h0, c.params],
    expected: (c) => ref.gruForward(c.xs, c.h0, c.params),
    variants: (c): Variants => ({ [MISTAKES.gruNotCarried]: { h: c.xs.map((x) => ref.gruStep(x, c.h0, c.params).h) } }),
  }),
  differential({
    id: 'M6.gruBackward.reference', exercise: 'gruBackward', catalogue: 'M6', numRuns: 150,
    title: 'gruBackward matches the reference on caches built to the contract, with and without biases',
    hint: 'M6: carry ∂L/∂h back through all four paths; sum every gradient over t',
    arbitrary: gruCase, args: (c) => [c.dh, gruCacheOf(c)],
    expected: (c) => ref.gruBackward(c.dh, gruCacheOf(c)),
  }),
);

// M1, batch form
const ints = (N: number, T: number, V: number) => matrixOf(N, T, fc.integer({ min: 0, max: V - 1 }));
const t3 = (N: number, T: number, D: number, a: fc.Arbitrary<number>) => fc.array(matrixOf(T, D, a), { minLength: N, maxLength: N });
const sizes = fc.record({ N: fc.integer({ min: 1, max: 3 }), T: fc.integer({ min: 1, max: 5 }), V: fc.integer({ min: 1, max: 6 }), D: fc.integer({ min: 1, max: 4 }), M: fc.integer({ min: 1, max: 4 }) });
const embedCase = sizes.chain(({ N, T, V, D }) => fc.record({ x: ints(N, T, V), W: matrixOf(V, D, e), dout: t3(N, T, D, eighths(2)), V: fc.constant(V) }));
const affineCase = sizes.chain(({ N, T, D, M }) => fc.record({ x: t3(N, T, D, e), w: matrixOf(D, M, e), b: vectorOf(M, e), dout: t3(N, T, M, eighths(2)) }));
const lossCase = sizes.chain(({ N, T, V }) => fc.record({ scores: t3(N, T, Math.max(V, 2), eighths(3)), y: ints(N, T, Math.max(V, 2)), mask: matrixOf(N, T, fc.integer({ min: 0, max: 1 })) }));
hidden.push(
  differential({
    id: 'M1.wordEmbeddingForward.reference', exercise: 'wordEmbeddingForward', catalogue: 'M1', numRuns: 100,
    title: 'wordEmbeddingForward matches the reference on random batches of word indices',
    hint: 'M1: out[n][t] = W[x[n][t]]',
    arbitrary: embedCase, args: (c) => [c.x, c.W],
    expected: (c) => ref.wordEmbeddingForward(c.x, c.W),
    variants: (c): Variants => ({ [MISTAKES.embedFirstWord]: c.x.map((row) => row.map(() => c.W[row[0]])) }),
  }),
  differential({
    id: 'M1.wordEmbeddingBackward.reference', exercise: 'wordEmbeddingBackward', catalogue: 'M1', numRuns: 100,
    title: 'wordEmbeddingBackward matches the reference on random batches (words repeat)',
    hint: 'M1: dW[v] += dout[n][t] wherever x[n][t] = v',
    arbitrary: embedCase, args: (c) => [c.dout, c.x, c.V],
    expected: (c) => ref.wordEmbeddingBackward(c.dout, c.x, c.V),
  }),
  differential({
    id: 'M1.temporalAffineForward.reference', exercise: 'temporalAffineForward', catalogue: 'M1', numRuns: 100,
    title: 'temporalAffineForward matches the reference on random batches',
    hint: 'M1: out[n][t] = x[n][t] w + b',
    arbitrary: affineCase, args: (c) => [c.x, c.w, c.b],
    expected: (c) => ref.temporalAffineForward(c.x, c.w, c.b),
  }),
  differential({
    id: 'M1.temporalAffineBackward.reference', exercise: 'temporalAffineBackward', catalogue: 'M1', numRuns: 100,
    title: 'temporalAffineBackward matches the reference on random batches',
    hint: 'M1: dw and db sum over the examples and over time',
    arbitrary: affineCase, args: (c) => [c.dout, c.x, c.w],
    expected: (c) => ref.temporalAffineBackward(c.dout, c.x, c.w),
  }),
  differential({
    id: 'M1.temporalSoftmaxLoss.reference', exercise: 'temporalSoftmaxLoss', catalogue: 'M1', numRuns: 100,
    title: 'temporalSoftmaxLoss matches the reference: loss and dx, random scores, words and masks',
    hint: 'M1: −(1/N) Σ mask·log softmax(scores)[y], and its gradient mask·(p − one-hot)/N',
    arbitrary: lossCase, args: (c) => [c.scores, c.y, c.mask],
    expected: (c) => ref.temporalSoftmaxLoss(c.scores, c.y, c.mask),
    variants: (c): Variants => ({ [MISTAKES.maskIgnored]: ref.temporalSoftmaxLoss(c.scores, c.y, c.mask.map((r) => r.map(() => 1))) }),
  }),
);

// M1, M2, batch form of the Elman RNN: N ≤ 3, T ≤ 6, D, H ≤ 4, both activations; weights, inputs
// and states multiples of ⅛ in [−1, 1], dh multiples of ⅛ in [−2, 2]; caches built by the reference
const batchCase = fc
  .record({ N: fc.integer({ min: 1, max: 3 }), T: fc.integer({ min: 1, max: 6 }), D: fc.integer({ min: 1, max: 4 }), H: fc.integer({ min: 1, max: 4 }), activation: fc.constantFrom<ref.HiddenActivation>('tanh', 'sigmoid') })
  .chain((g) =>
    fc.record({
      x: t3(g.N, g.T, g.D, e),
      h0: matrixOf(g.N, g.H, e),
      params: fc.record({ Wx: matrixOf(g.D, g.H, e), Wh: matrixOf(g.H, g.H, e), b: vectorOf(g.H, e) }),
      dh: t3(g.N, g.T, g.H, eighths(2)),
      opts: fc.constant({ activation: g.activation }),
    }),
  );
type BatchCase = typeof batchCase extends fc.Arbitrary<infer C> ? C : never;
const step0 = (c: BatchCase) => ({ x: c.x.map((s) => s[0]), dh: c.dh.map((s) => s[0]) });
const stepCacheOf = (c: BatchCase) => ref.rnnStepBatch(step0(c).x, c.h0, c.params, c.opts).cache;
const seqCacheOf = (c: BatchCase) => ref.rnnForwardBatch(c.x, c.h0, c.params, c.opts).cache;
hidden.push(
  differential({
    id: 'M1.rnnStepBatch.reference', exercise: 'rnnStepBatch', catalogue: 'M1', numRuns: 150,
    title: 'rnnStepBatch matches the reference on random batches, tanh and sigmoid: z, h and the cache',
    hint: 'M1: z = x W_x + hPrev W_h + b, h = σ_h(z), rows = examples',
    arbitrary: batchCase, args: (c) => [step0(c).x, c.h0, c.params, c.opts],
    expected: (c) => ref.rnnStepBatch(step0(c).x, c.h0, c.params, c.opts),
    variants: (c): Variants => ({ [MISTAKES.whTransposed]: ref.rnnStepBatch(step0(c).x, c.h0, { ...c.params, Wh: tr(c.params.Wh) }, c.opts) }),
  }),
  differential({
    id: 'M2.rnnStepBatchBackward.reference', exercise: 'rnnStepBatchBackward', catalogue: 'M2', numRuns: 150,
    title: 'rnnStepBatchBackward matches the reference on caches built to the contract',
    hint: 'M2: δ = dh ⊙ σ_h′(from h); dx = δ W_xᵀ, dhPrev = δ W_hᵀ, dW_x = xᵀ δ, dW_h = hPrevᵀ δ, db = Σ_n δ_n',
    arbitrary: batchCase, args: (c) => [step0(c).dh, stepCacheOf(c)],
    expected: (c) => ref.rnnStepBatchBackward(step0(c).dh, stepCacheOf(c)),
    variants: (c): Variants => {
      const g = ref.rnnStepBatchBackward(step0(c).dh, stepCacheOf(c));
      return { [MISTAKES.dWxNotesLayout]: { ...g, dWx: tr(g.dWx) } };
    },
  }),
  differential({
    id: 'M1.rnnForwardBatch.reference', exercise: 'rnnForwardBatch', catalogue: 'M1', numRuns: 150,
    title: 'rnnForwardBatch matches the reference on random batches of sequences: h and the cache',
    hint: 'M1: h[:, t] = σ_h(x[:, t] W_x + h[:, t − 1] W_h + b) from h0',
    arbitrary: batchCase, args: (c) => [c.x, c.h0, c.params, c.opts],
    expected: (c) => ref.rnnForwardBatch(c.x, c.h0, c.params, c.opts),
    variants: (c): Variants => ({
      [MISTAKES.h0Ignored]: { h: ref.rnnForwardBatch(c.x, c.h0.map((r) => r.map(() => 0)), c.params, c.opts).h },
      [MISTAKES.whTransposed]: { h: ref.rnnForwardBatch(c.x, c.h0, { ...c.params, Wh: tr(c.params.Wh) }, c.opts).h },
    }),
  }),
  differential({
    id: 'M2.rnnBackwardBatch.reference', exercise: 'rnnBackwardBatch', catalogue: 'M2', numRuns: 150,
    title: 'rnnBackwardBatch matches the reference on caches built to the contract',
    hint: 'M2: carry ∂L/∂h back through time, add dh at every step, sum dW_x, dW_h, db over t; dh0 is what reaches h0',
    arbitrary: batchCase, args: (c) => [c.dh, seqCacheOf(c)],
    expected: (c) => ref.rnnBackwardBatch(c.dh, seqCacheOf(c)),
    variants: (c): Variants => ({ [MISTAKES.h0Dropped]: { dh0: c.h0.map((r) => r.map(() => 0)) } }),
  }),
);
