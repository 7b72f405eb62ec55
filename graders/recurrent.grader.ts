/**
 * Family M (recurrent), M1–M3: public checks. Hand-worked examples (two steps of a tanh RNN with
 * a non-symmetric W_hh; BPTT at the zero fixed point, where every sum of the notes' formula is a
 * geometric series: full, truncated, and what not accumulating or dropping h^(0) gives; the
 * powers diag(½, 3/2)^10 of the step Jacobian; clipping (3, 4)), then relations that need no
 * reference: the step and the sequence against the notes' formulas written out here, BPTT against
 * the numerical derivative of the student's own forward (full on a small net, along random
 * directions on larger ones), truncated BPTT as a sum of full BPTT over one window per loss term
 * (run with the student's own functions), the step Jacobians against the numerical Jacobian of the
 * student's own step, their product against the student's own Jacobians, and clipping's
 * invariants. M4–M6: the notes' gates written out here, hand-worked steps and backward passes on
 * caches built to the contract, BPTT against the numerical derivative of the student's own forward;
 * M5 also the reduction to the plain LSTM (written out) when the peephole columns are zero.
 * M1/M2 batch form (rows = examples, W_x = W_hxᵀ, W_h = W_hhᵀ): the two-step example as one batch
 * step and as a batch of one sequence, a hand-worked step back at z = 0 and BPTT at the fixed
 * point, the rows against the recurrence written out here, and both backward passes against the
 * numerical derivative of the student's own forward.
 */
import fc from 'fast-check';
import { bpttFixedPoint, clipExample, elmanBatchBackwardStep, elmanBatchFixedPoint, elmanBatchStep, elmanTwoSteps, embeddingExample, temporalAffineExample, temporalLossExample, gruConstantGates, gruOneStep, jacobianPowers, lstmCellPath, lstmOneStep, peepholeBackwardStep, peepholeOneStep } from '../fixtures/recurrent.fixtures.ts';
import { direction, eighths, matrixOf, signed, vectorOf } from './engine/arbitraries.ts';
import { callText, EXACT, example, expectClose, expectThat, FLOAT64, NUMERIC, property } from './engine/checks.ts';
import type { Variants } from './engine/diagnose.ts';
import { directionalDerivative, numericalGradient } from './engine/numeric.ts';
import { isMatrix, isObject, isVector } from './engine/shapes.ts';
import type { Check, FamilyGrader, StudentModule } from './engine/types.ts';

type Vec = number[];
type Mat = number[][];
type S = StudentModule;
type Act = 'tanh' | 'sigmoid' | 'linear';
interface Params {
  Whx: Mat;
  Whh: Mat;
  bh: Vec;
  Wyh: Mat;
  by: Vec;
}
interface Opts {
  activation: 'tanh' | 'sigmoid';
  output: Act;
  mode: 'many-to-many' | 'many-to-one';
}
interface Grads {
  dWhx: Mat;
  dWhh: Mat;
  dbh: Vec;
  dWyh: Mat;
  dby: Vec;
  dh0: Vec;
  dxs: Vec[];
}
type Cache = { xs: Vec[]; h0: Vec; params: Params; zh: Vec[]; h: Vec[]; zy: Vec[] } & Opts;

// ---------------------------------------------------------------------------------------------
// mistakes the reports name (the hidden checks use the same labels)

export const MISTAKES = {
  embedOverwritten: 'the embedding gradient overwritten at each occurrence instead of summed: a repeated word keeps only its last gradient (= instead of +=)',
  embedAveraged: 'a repeated word\'s gradient averaged over its occurrences instead of summed',
  embedFirstWord: 'every step looks up the word of the first step, x[n][0]',
  biasDropped: 'the bias b left out of the temporal affine map',
  biasFirstStep: 'the bias added at the first step only',
  dbLastStep: 'the bias gradient not summed over time: db from the last step only',
  dwLastExample: 'the weight gradient dw from the last example only, not summed over the batch',
  maskIgnored: 'the mask ignored: padded steps counted in the loss and its gradient',
  byNT: 'the loss divided by N·T instead of N (the number of examples)',
  byMaskCount: 'the loss divided by the number of unmasked steps instead of N',
  dxNotByN: 'the gradient dx not divided by N (the loss is)',
  whhTransposed: 'W_hhᵀ h^(t−1) instead of W_hh h^(t−1) (vectors are columns: row i of W_hh dotted with h)',
  activationSwapped: 'the sigmoid where tanh belongs, or tanh where the sigmoid belongs (σ_h swapped)',
  outputIgnored: 'the output activation σ_y left out: y = z_y',
  h0Ignored: 'the sequence started from a zero state instead of h^(0)',
  notCarried: 'the hidden state not carried: every step starts from h^(0) instead of h^(t−1)',
  firstOutput: 'many-to-one returns y^(1) instead of y^(T)',
  notAccumulated: 'the gradients overwritten at each time step instead of summed over t (= instead of +=)',
  h0Dropped: 'the gradient of the initial state h^(0) dropped (left at 0)',
  windowLong: 'the truncation window one step too long (k + 1 steps)',
  windowShort: 'the truncation window one step too short (k − 1 steps)',
  slopeOnColumns: 'W_hh diag(σ′) instead of diag(σ′) W_hh (the slope of unit i scales row i)',
  noSlope: 'the slope σ′(z_h) left out of the step Jacobian (J = W_hh)',
  reversed: 'the product in the wrong order, J_(k+1) … J_t instead of J_t … J_(k+1)',
  oneShort: 'one factor too few: J_t … J_(k+2)',
  perTensor: 'each gradient clipped to maxNorm on its own instead of by the global norm of all of them',
  alwaysRescaled: 'the gradients rescaled to norm maxNorm even when their norm is already below it',
  byValue: 'each entry clipped to [−maxNorm, maxNorm] instead of scaling by the global norm',
  lstmGatesSwapped: 'the gates mixed up: W_o used for the forget gate and W_f for the output gate',
  forgetOnCandidate: 'the forget gate applied to C̃ and the input gate to C^(t−1): C = i ⊙ C^(t−1) + f ⊙ C̃',
  hIsOC: 'h = o ⊙ C instead of o ⊙ tanh(C)',
  sigmaCandidate: 'σ on the candidate instead of tanh: C̃ = σ(W_C[h, x] + b_C)',
  hxOrder: '[x, h] instead of the notes\' [h, x]: the first H columns of each W_g belong to h^(t−1)',
  cellNotCarried: 'the cell not carried: every step starts from C^(0) instead of C^(t−1)',
  hFromOldCell: 'h^(t) = o ⊙ tanh(C^(t−1)), the previous cell instead of the new one',
  cellPathDropped: 'the cell\'s own path dropped: ∂L/∂C^(t−1) reaches back only through h^(t−1), not as ∂L/∂C^(t) ⊙ f',
  noForgetFactor: '∂L/∂C^(t−1) = ∂L/∂C^(t) without the factor f^(t)',
  lstmNotAccumulated: 'the weight gradients overwritten at each time step instead of summed over t',
  c0Dropped: 'the gradient of the initial cell C^(0) dropped (left at 0)',
  oSeesOldCell: 'the output gate peeking at the old cell: o = σ(W_o[C^(t−1), h, x] + b_o) where the notes write W_o[C^(t), h, x]',
  peepholesDropped: 'the peepholes left out: the cell columns of W_f, W_i, W_o unused (the plain LSTM on [h, x])',
  cellLast: 'the cell read last, [h, x, C], where the notes put it first: W_f[C^(t−1), h, x]',
  oPeepholePathDropped: 'o\'s peephole left out of ∂L/∂C^(t): the term W_o,Cᵀ δ_o (o sees the new cell)',
  fiPeepholePathDropped: 'the f and i peepholes left out of ∂L/∂C^(t−1): the terms W_f,Cᵀ δ_f + W_i,Cᵀ δ_i',
  fiSeeNewCell: '∂L/∂W_f and ∂L/∂W_i formed with C^(t) in their peephole columns, where f and i saw C^(t−1)',
  zSwapped: 'z and 1 − z swapped: h = z ⊙ h^(t−1) + (1 − z) ⊙ h̃ (tfjs\'s and Keras\'s convention, not the notes\')',
  resetAfter: 'the reset gate applied after the matmul, r ⊙ (W_h h^(t−1)), where the notes apply it before: W[r ⊙ h^(t−1), x]',
  biasesIgnored: 'the GRU\'s optional biases b_z, b_r, b ignored when they are given',
  gruNotCarried: 'the state not carried: every GRU step starts from h^(0) instead of h^(t−1)',
  gruDirectDropped: 'the direct path left out of ∂L/∂h^(t−1): the term ∂L/∂h^(t) ⊙ (1 − z)',
  gruNotAccumulated: 'the GRU\'s weight and bias gradients overwritten at each time step instead of summed over t',
  whTransposed: 'hPrev W_hᵀ instead of hPrev W_h (the notes\' W_hh put where the batch form\'s W_h = W_hhᵀ belongs)',
  dWxNotesLayout: 'dW_x in the notes\' layout δᵀx [H, D] instead of xᵀδ [D, H], the shape of W_x',
  slopeAtZ: 'σ_h′ taken at the pre-activation z with the formula written in terms of h: 1 − z² (or z(1 − z)) instead of 1 − h² (h(1 − h))',
  dhPrevUntransposed: 'dhPrev = δ W_h instead of δ W_hᵀ',
} as const;

// ---------------------------------------------------------------------------------------------
// the notes' formulas, written out (column vectors)

const dot = (u: Vec, v: Vec) => u.reduce((s, ui, i) => s + ui * v[i], 0);
const matVec = (W: Mat, x: Vec) => W.map((row) => dot(row, x));
export const tr = (M: Mat): Mat => M[0].map((_, j) => M.map((row) => row[j]));
export const matMul = (A: Mat, B: Mat): Mat => A.map((row) => B[0].map((_, j) => row.reduce((s, v, k) => s + v * B[k][j], 0)));
export const eye = (n: number): Mat => Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)));
const sigma = (a: Act, z: number) => (a === 'tanh' ? Math.tanh(z) : a === 'sigmoid' ? 1 / (1 + Math.exp(-z)) : z);
const other = (a: 'tanh' | 'sigmoid') => (a === 'tanh' ? 'sigmoid' : 'tanh');
const step = (x: Vec, h: Vec, p: Params, o: Opts, { whh = p.Whh, act = o.activation as Act, out = o.output } = {}) => {
  const zh = matVec(p.Whx, x).map((v, i) => v + matVec(whh, h)[i] + p.bh[i]);
  const hn = zh.map((z) => sigma(act, z));
  const zy = matVec(p.Wyh, hn).map((v, k) => v + p.by[k]);
  return { zh, h: hn, zy, y: zy.map((z) => sigma(out, z)) };
};
/** The sequence; `start` chooses the state step t starts from (the wrong ones name mistakes). */
const sequence = (xs: Vec[], h0: Vec, p: Params, o: Opts, start: (t: number, h: Vec[]) => Vec = (t, h) => (t === 0 ? h0 : h[t - 1])) => {
  const hs: Vec[] = [];
  const ys: Vec[] = [];
  xs.forEach((x, t) => {
    const s = step(x, start(t, hs), p, o);
    hs.push(s.h);
    ys.push(s.y);
  });
  return { h: hs, y: o.mode === 'many-to-one' ? [ys[ys.length - 1]] : ys, all: ys };
};
const addTo = (A: Mat, B: Mat) => A.map((row, i) => row.map((v, j) => v + B[i][j]));

// ---------------------------------------------------------------------------------------------
// inputs

/** Sizes and options: D, H ≤ maxDim, K ≤ 2, T ≤ maxT. */
interface Shape {
  D: number;
  H: number;
  K: number;
  T: number;
  opts: Opts;
}
const optsArb = (modes: Opts['mode'][] = ['many-to-many', 'many-to-one']): fc.Arbitrary<Opts> =>
  fc.record({ activation: fc.constantFrom('tanh' as const, 'sigmoid' as const), output: fc.constantFrom<Act>('linear', 'sigmoid', 'tanh'), mode: fc.constantFrom(...modes) });
const shapeArb = ({ maxDim = 3, maxT = 4, minT = 1, modes }: { maxDim?: number; maxT?: number; minT?: number; modes?: Opts['mode'][] } = {}): fc.Arbitrary<Shape> =>
  fc.record({ D: fc.integer({ min: 1, max: maxDim }), H: fc.integer({ min: 1, max: maxDim }), K: fc.integer({ min: 1, max: 2 }), T: fc.integer({ min: minT, max: maxT }), opts: optsArb(modes) });
/** Magnitudes in [0.1, 1] with either sign: ordinary values, never so small that a wrong formula hides under the tolerance. */
const w = signed(0.1, 1);
interface Case {
  g: Shape;
  xs: Vec[];
  h0: Vec;
  params: Params;
  dy: Vec[];
}
const caseArb = (shape: fc.Arbitrary<Shape>): fc.Arbitrary<Case> =>
  shape.chain((g) =>
    fc.record({
      g: fc.constant(g),
      xs: matrixOf(g.T, g.D, w),
      h0: vectorOf(g.H, w),
      params: fc.record({ Whx: matrixOf(g.H, g.D, w), Whh: matrixOf(g.H, g.H, w), bh: vectorOf(g.H, w), Wyh: matrixOf(g.K, g.H, w), by: vectorOf(g.K, w) }),
      dy: matrixOf(g.opts.mode === 'many-to-one' ? 1 : g.T, g.K, eighths(2, { nonzero: true })),
    }),
  );

// ---------------------------------------------------------------------------------------------
// calling the student's functions with shape checks

async function forwardOf(s: S, c: { xs: Vec[]; h0: Vec; params: Params }, o: Partial<Opts>): Promise<{ y: Vec[]; h: Vec[]; cache: Cache }> {
  const args = [c.xs, c.h0, c.params, o];
  const r = await s.call('rnnForward', args);
  const [T, H, K] = [c.xs.length, c.h0.length, c.params.Wyh.length];
  const outs = o.mode === 'many-to-one' ? 1 : T;
  expectThat(isObject(r) && isMatrix(r.y, outs, K) && isMatrix(r.h, T, H) && isObject(r.cache), `${callText('rnnForward', args)} must return { y: [${outs}, ${K}], h: [${T}, ${H}], cache } of finite numbers`, r);
  return r as { y: Vec[]; h: Vec[]; cache: Cache };
}

async function backwardOf(s: S, dy: Vec[], cache: Cache, truncate?: number): Promise<Grads> {
  const args = truncate === undefined ? [dy, cache] : [dy, cache, truncate];
  const r = await s.call('rnnBackward', args);
  const [T, D, H, K] = [cache.xs.length, cache.params.Whx[0].length, cache.params.Whh.length, cache.params.Wyh.length];
  const ok = isObject(r) && isMatrix(r.dWhx, H, D) && isMatrix(r.dWhh, H, H) && isVector(r.dbh, H) && isMatrix(r.dWyh, K, H) && isVector(r.dby, K) && isVector(r.dh0, H) && isMatrix(r.dxs, T, D);
  expectThat(ok, `${callText('rnnBackward', args)} must return { dWhx: [${H}, ${D}], dWhh: [${H}, ${H}], dbh: [${H}], dWyh: [${K}, ${H}], dby: [${K}], dh0: [${H}], dxs: [${T}, ${D}] } of finite numbers`, r);
  return r as Grads;
}

const packGrads = (g: Grads): Vec => [...g.dWhx.flat(), ...g.dWhh.flat(), ...g.dbh, ...g.dWyh.flat(), ...g.dby, ...g.dh0, ...g.dxs.flat()];
const packCase = (c: Case): Vec => [...c.params.Whx.flat(), ...c.params.Whh.flat(), ...c.params.bh, ...c.params.Wyh.flat(), ...c.params.by, ...c.h0, ...c.xs.flat()];
function unpackCase(v: Vec, c: Case): Case {
  let at = 0;
  const take = (n: number) => v.slice(at, (at += n));
  const rows = (r: number, k: number) => Array.from({ length: r }, () => take(k));
  const { D, H, K, T } = c.g;
  const params = { Whx: rows(H, D), Whh: rows(H, H), bh: take(H), Wyh: rows(K, H), by: take(K) };
  return { ...c, params, h0: take(H), xs: rows(T, D) };
}
/** L = Σ_t dy^(t)·y^(t) of the student's own rnnForward, as a function of everything packed. */
const lossOf = (s: S, c: Case) => async (v: Vec) => {
  const u = unpackCase(v, c);
  const { y } = await forwardOf(s, u, c.g.opts);
  return y.reduce((acc, yt, j) => acc + dot(yt, c.dy[j]), 0);
};

/** The cache of the fixed-point example, built to the contract (x = h = 0 at every step). */
const fixedCache = (T: number, Whh: Mat, H = Whh.length): Cache => ({
  xs: Array.from({ length: T }, () => [0]),
  h0: new Array<number>(H).fill(0),
  params: { Whx: Array.from({ length: H }, () => [H === 1 ? 1 : 0]), Whh, bh: new Array<number>(H).fill(0), Wyh: [new Array<number>(H).fill(1)], by: [0] },
  activation: 'tanh', output: 'linear', mode: 'many-to-many',
  zh: Array.from({ length: T }, () => new Array<number>(H).fill(0)),
  h: Array.from({ length: T }, () => new Array<number>(H).fill(0)),
  zy: Array.from({ length: T }, () => [0]),
});
const bpttCache = fixedCache(3, bpttFixedPoint.input.params.Whh);

/** The cache of the two-step example, built to the contract from the hand-worked values. */
const twoStepCache: Cache = {
  ...elmanTwoSteps.input,
  activation: 'tanh', output: 'linear', mode: 'many-to-many',
  zh: elmanTwoSteps.expected.zh, h: elmanTwoSteps.expected.h, zy: elmanTwoSteps.expected.y,
};

// ---------------------------------------------------------------------------------------------
// M1 — the step and the sequence

const ex = elmanTwoSteps.expected;
const rnnStepChecks: Check[] = [
  example({
    id: 'M1.rnnStep.example', exercise: 'rnnStep', catalogue: 'M1',
    title: 'the first step of the two-step example: z_h = [0.1, −0.9], h = [tanh 0.1, tanh(−0.9)], y = h₁ − h₂ + 0.5 (W_hh = [[0, 1], [0, 0]] is not symmetric)',
    hint: 'M1: z_h = W_hx x + W_hh h^(t−1) + b_h with column vectors, h = tanh(z_h), y = W_yh h + b_y ([Training] "Weight Matrix")',
    args: [elmanTwoSteps.input.xs[0], elmanTwoSteps.input.h0, elmanTwoSteps.input.params],
    expected: { zh: ex.zh[0], h: ex.h[0], zy: ex.y[0], y: ex.y[0] },
    variants: { [MISTAKES.whhTransposed]: { h: elmanTwoSteps.transposedWhh.h1 }, [MISTAKES.activationSwapped]: { h: ex.zh[0].map((z) => sigma('sigmoid', z)) } },
  }),
  property({
    id: 'M1.rnnStep.formula', exercise: 'rnnStep', catalogue: 'M1', numRuns: 60,
    title: 'on random sizes, activations and outputs: { zh, h, zy, y } are the notes\' z_h = W_hx x + W_hh h + b_h, h = σ_h(z_h), z_y = W_yh h + b_y, y = σ_y(z_y)',
    hint: 'M1: σ_h is tanh or the logistic sigmoid as options.activation says, σ_y as options.output says (identity for \'linear\')',
    arbitrary: caseArb(shapeArb({ maxDim: 4, maxT: 1 })),
    verify: async (c, s) => {
      const args = [c.xs[0], c.h0, c.params, c.g.opts];
      const r = await s.call('rnnStep', args);
      const o = c.g.opts;
      expectClose(r, step(c.xs[0], c.h0, c.params, o), FLOAT64, callText('rnnStep', args), {
        [MISTAKES.whhTransposed]: step(c.xs[0], c.h0, c.params, o, { whh: tr(c.params.Whh) }),
        [MISTAKES.activationSwapped]: step(c.xs[0], c.h0, c.params, o, { act: other(o.activation) }),
        [MISTAKES.outputIgnored]: { y: step(c.xs[0], c.h0, c.params, o).zy },
      });
    },
  }),
];

const rnnForwardChecks: Check[] = [
  example({
    id: 'M1.rnnForward.example', exercise: 'rnnForward', catalogue: 'M1',
    title: 'the two-step example: h^(2) = [tanh(tanh(−0.9)), tanh 0.35] (h^(1)₂ reaches unit 1 through W_hh), y^(t) = h^(t)₁ − h^(t)₂ + 0.5',
    hint: 'M1: h^(t) = tanh(W_hx x^(t) + W_hh h^(t−1) + b_h) from h^(0) = h0, carried from step to step',
    args: [elmanTwoSteps.input.xs, elmanTwoSteps.input.h0, elmanTwoSteps.input.params],
    expected: { y: ex.y, h: ex.h, cache: { zh: ex.zh, h: ex.h, zy: ex.y } },
    variants: {
      [MISTAKES.h0Ignored]: { h: sequence(elmanTwoSteps.input.xs, [0, 0], elmanTwoSteps.input.params, twoStepCache).h },
      [MISTAKES.notCarried]: { h: sequence(elmanTwoSteps.input.xs, elmanTwoSteps.input.h0, elmanTwoSteps.input.params, twoStepCache, () => elmanTwoSteps.input.h0).h },
    },
  }),
  property({
    id: 'M1.rnnForward.sequence', exercise: 'rnnForward', catalogue: 'M1', numRuns: 50,
    title: 'on random sequences (T ≤ 5, tanh or sigmoid, any output, many-to-many and many-to-one): h^(t) and the outputs follow the notes\' recurrence from h^(0)',
    hint: 'M1: many-to-many returns y^(1) … y^(T), many-to-one [y^(T)]; the state h^(t−1) of the previous step feeds step t',
    arbitrary: caseArb(shapeArb({ maxT: 5, minT: 2 })),
    verify: async (c, s) => {
      const o = c.g.opts;
      const r = await forwardOf(s, c, o);
      const right = sequence(c.xs, c.h0, c.params, o);
      expectClose({ y: r.y, h: r.h }, { y: right.y, h: right.h }, FLOAT64, callText('rnnForward', [c.xs, c.h0, c.params, o]), {
        [MISTAKES.h0Ignored]: { h: sequence(c.xs, c.h0.map(() => 0), c.params, o).h },
        [MISTAKES.notCarried]: { h: sequence(c.xs, c.h0, c.params, o, () => c.h0).h },
        ...(o.mode === 'many-to-one' ? { [MISTAKES.firstOutput]: { y: [right.all[0]] } } : {}),
      });
    },
  }),
  property({
    id: 'M1.rnnForward.cache', exercise: 'rnnForward', catalogue: 'M1', numRuns: 30,
    title: 'the cache holds xs, h0, params, the options with their defaults filled in, and z_h, h (T of each) and z_y (one per output) of your forward pass',
    hint: 'M1: rnnBackward, stepJacobians and jacobianProduct read only the cache: { xs, h0, params, activation, output, mode, zh, h, zy }, options omitted mean tanh, linear, many-to-many',
    arbitrary: caseArb(shapeArb({ maxT: 4 })).chain((c) => fc.tuple(fc.constant(c), fc.boolean())),
    verify: async ([c, omit], s) => {
      const o = omit ? {} : c.g.opts;
      const full: Opts = omit ? { activation: 'tanh', output: 'linear', mode: 'many-to-many' } : c.g.opts;
      const r = await forwardOf(s, c, o);
      const right = sequence(c.xs, c.h0, c.params, full);
      const zh = right.h.map((_, t) => step(c.xs[t], t === 0 ? c.h0 : right.h[t - 1], c.params, full).zh);
      const zy = (full.mode === 'many-to-one' ? [right.h[right.h.length - 1]] : right.h).map((h) => matVec(c.params.Wyh, h).map((v, k) => v + c.params.by[k]));
      expectClose(r.cache, { xs: c.xs, h0: c.h0, params: c.params, ...full, zh, h: right.h, zy }, FLOAT64, `${callText('rnnForward', [c.xs, c.h0, c.params, o])}.cache`);
    },
  }),
];

// ---------------------------------------------------------------------------------------------
// M2 — BPTT

const bp = bpttFixedPoint;
/** "=" in place of "+=" going from t = T down to 1: what is left is step 1's own term. */
const overwritten = { dbh: [1.75], dby: [1] };
const rnnBackwardChecks: Check[] = [
  example({
    id: 'M2.rnnBackward.example', exercise: 'rnnBackward', catalogue: 'M2',
    title: 'BPTT at the zero fixed point (T = 3, W_hh = ½, dy = 1 at every step): ∂L/∂b_h = 1 + 1.5 + 1.75 = 4.25, ∂L/∂h^(0) = ½ + ¼ + ⅛ = 0.875, ∂L/∂x = [1.75, 1.5, 1], ∂L/∂b_y = 3',
    hint: 'M2: L = Σ_t L^(t): each L^(t) reaches b_h at every step s ≤ t through (W_hh)^(t−s), and h^(0) through (W_hh)^t; sum them all ([Training] "Backpropagation through time (BPTT)")',
    args: [bp.input.dy, bpttCache],
    expected: bp.expected,
    variants: { [MISTAKES.notAccumulated]: overwritten, [MISTAKES.h0Dropped]: { dh0: [0] } },
  }),
  example({
    id: 'M2.rnnBackward.truncated-example', exercise: 'rnnBackward', catalogue: 'M2',
    title: 'the same, truncated to k = 2: ∂L/∂b_h = 1 + 1.5 + 1.5 = 4, ∂L/∂h^(0) = ½ + ¼ = 0.75 (L^(3) no longer reaches h^(0) nor step 1), ∂L/∂x = [1.5, 1.5, 1]',
    hint: 'M2: truncated to k steps, L^(t) flows back through steps t, …, t − k + 1 only (k steps, t itself included), and reaches h^(0) only when t ≤ k',
    args: [bp.input.dy, bpttCache, 2],
    expected: { ...bp.expected, ...bp.truncated[2] },
    variants: { [MISTAKES.windowShort]: bp.truncated[1], [MISTAKES.windowLong]: { dbh: bp.expected.dbh, dh0: bp.expected.dh0, dxs: bp.expected.dxs } },
  }),
  property({
    id: 'M2.rnnBackward.numeric', exercise: 'rnnBackward', catalogue: 'M2', numRuns: 10,
    title: 'every gradient (W_hx, W_hh, b_h, W_yh, b_y, h^(0), every x^(t)) equals the numerical gradient of L = Σ_t dy^(t)·y^(t) of your rnnForward (small nets, T ≤ 3)',
    hint: 'M2: full BPTT: δ^(t) = σ_h′ ⊙ (W_yhᵀ δ_y^(t) + W_hhᵀ δ^(t+1)); every weight gradient sums its immediate term over all t, and ∂L/∂h^(0) = W_hhᵀ δ^(1)',
    arbitrary: caseArb(shapeArb({ maxDim: 2, maxT: 3 })),
    verify: async (c, s) => {
      const { cache } = await forwardOf(s, c, c.g.opts);
      const g = await backwardOf(s, c.dy, cache);
      const numeric = await numericalGradient(lossOf(s, c), packCase(c));
      expectClose(packGrads(g), numeric, NUMERIC, 'every gradient, packed as [dWhx, dWhh, dbh, dWyh, dby, dh0, dxs], vs central differences of your rnnForward');
    },
  }),
  property({
    id: 'M2.rnnBackward.directional', exercise: 'rnnBackward', catalogue: 'M2', numRuns: 25,
    title: 'along random directions v of all weights, h^(0) and the inputs: vᵀ∇L equals the directional derivative of L = Σ_t dy^(t)·y^(t) of your rnnForward (D, H ≤ 4, T ≤ 6)',
    hint: 'M2: a directional check (S3): every gradient enters vᵀ∇L, so any one that is wrong shows',
    arbitrary: caseArb(shapeArb({ maxDim: 4, maxT: 6 })).chain((c) => fc.tuple(fc.constant(c), direction(packCase(c).length))),
    verify: async ([c, v], s) => {
      const { cache } = await forwardOf(s, c, c.g.opts);
      const g = await backwardOf(s, c.dy, cache);
      const numeric = await directionalDerivative(lossOf(s, c), packCase(c), v);
      expectClose(dot(packGrads(g), v), numeric, NUMERIC, 'vᵀ∇L vs (L(θ + hv) − L(θ − hv))/2h of your rnnForward');
    },
  }),
  property({
    id: 'M2.rnnBackward.truncated-windows', exercise: 'rnnBackward', catalogue: 'M2', numRuns: 25,
    title: 'truncated to k: the sum over t of your full BPTT of L^(t) alone on the window x^(t−k+1) … x^(t), started from your h^(t−k) (h^(0) when t ≤ k)',
    hint: 'M2: truncation cuts each L^(t) off after k steps back; h^(t−k) is then a constant, so only a window that starts at step 1 reaches h^(0)',
    arbitrary: caseArb(shapeArb({ maxT: 5, minT: 2 })).chain((c) => fc.tuple(fc.constant(c), fc.integer({ min: 1, max: c.g.T - 1 }))),
    verify: async ([c, k], s) => {
      const o = c.g.opts;
      const { h, cache } = await forwardOf(s, c, o);
      const g = await backwardOf(s, c.dy, cache, k);
      const { D, H, K, T } = c.g;
      let sum: Grads = { dWhx: eye(H).map(() => new Array<number>(D).fill(0)), dWhh: eye(H).map((r) => r.map(() => 0)), dbh: new Array<number>(H).fill(0), dWyh: Array.from({ length: K }, () => new Array<number>(H).fill(0)), dby: new Array<number>(K).fill(0), dh0: new Array<number>(H).fill(0), dxs: Array.from({ length: T }, () => new Array<number>(D).fill(0)) };
      for (let t = 0; t < T; t++) {
        if (o.mode === 'many-to-one' && t !== T - 1) continue;
        const first = Math.max(0, t - k + 1);
        const win = { xs: c.xs.slice(first, t + 1), h0: first === 0 ? c.h0 : h[first - 1], params: c.params };
        const part = await backwardOf(s, [c.dy[o.mode === 'many-to-one' ? 0 : t]], (await forwardOf(s, win, { ...o, mode: 'many-to-one' })).cache);
        sum = {
          dWhx: addTo(sum.dWhx, part.dWhx), dWhh: addTo(sum.dWhh, part.dWhh), dbh: sum.dbh.map((v, i) => v + part.dbh[i]), dWyh: addTo(sum.dWyh, part.dWyh), dby: sum.dby.map((v, i) => v + part.dby[i]),
          dh0: first === 0 ? sum.dh0.map((v, i) => v + part.dh0[i]) : sum.dh0,
          dxs: sum.dxs.map((row, r) => (r >= first && r <= t ? row.map((v, j) => v + part.dxs[r - first][j]) : row)),
        };
      }
      // both sides add the same ≤ 5 window terms of size ≲ 10 in different orders: rounding ~1e−15, far under FLOAT64
      expectClose(g, sum, FLOAT64, `${callText('rnnBackward', [c.dy, '<cache>', k])} vs the sum of your full BPTT over each loss term's window of ${k} step(s)`);
    },
  }),
  property({
    id: 'M2.rnnBackward.truncate-T', exercise: 'rnnBackward', catalogue: 'M2', numRuns: 25,
    title: 'truncated to k = T (or more): the same gradients as your full BPTT',
    hint: 'M2: a window of T steps reaches back from every L^(t) to step 1 and to h^(0): nothing is cut',
    arbitrary: caseArb(shapeArb({ maxT: 5 })).chain((c) => fc.tuple(fc.constant(c), fc.integer({ min: 0, max: 2 }))),
    verify: async ([c, extra], s) => {
      const { cache } = await forwardOf(s, c, c.g.opts);
      const full = await backwardOf(s, c.dy, cache);
      expectClose(await backwardOf(s, c.dy, cache, c.g.T + extra), full, FLOAT64, `rnnBackward(dy, cache, ${c.g.T + extra}) vs your rnnBackward(dy, cache) (T = ${c.g.T})`);
    },
  }),
];

// ---------------------------------------------------------------------------------------------
// M3 — the step Jacobians, their product, clipping

/** diag(d) W_hh and W_hh diag(d), d = 1 − h² of the two-step example. */
const slopes = ex.h.map((h) => h.map((v) => 1 - v * v));
const W2 = elmanTwoSteps.input.params.Whh;
const stepJacobiansChecks: Check[] = [
  example({
    id: 'M3.stepJacobians.example', exercise: 'stepJacobians', catalogue: 'M3',
    title: 'the two-step example: J_t = diag(1 − h^(t)²) W_hh = [[0, 1 − (h^(t)₁)²], [0, 0]]',
    hint: 'M3: ∂h_i^(t)/∂h_j^(t−1) = σ_h′(z_h,i^(t)) (W_hh)_ij: the slope of unit i scales row i of W_hh',
    args: [twoStepCache],
    expected: slopes.map((d) => W2.map((row, i) => row.map((v) => d[i] * v))),
    variants: { [MISTAKES.slopeOnColumns]: slopes.map((d) => W2.map((row) => row.map((v, j) => v * d[j]))), [MISTAKES.noSlope]: [W2, W2] },
  }),
  property({
    id: 'M3.stepJacobians.numeric', exercise: 'stepJacobians', catalogue: 'M3', numRuns: 25,
    title: 'on random sequences: J_t equals the numerical Jacobian of your rnnStep\'s h in h^(t−1), at your cached x^(t) and h^(t−1)',
    hint: 'M3: J_t = diag(σ_h′(z_h^(t))) W_hh, with σ_h′ = 1 − h² (tanh) or h(1 − h) (sigmoid)',
    arbitrary: caseArb(shapeArb({ maxT: 3 })),
    verify: async (c, s) => {
      const o = c.g.opts;
      const { cache } = await forwardOf(s, c, o);
      const J = await s.call('stepJacobians', [cache]);
      expectThat(Array.isArray(J) && J.length === c.g.T && J.every((m) => isMatrix(m, c.g.H, c.g.H)), `stepJacobians(cache) must return ${c.g.T} matrices [${c.g.H}, ${c.g.H}]`, J);
      for (let t = 0; t < c.g.T; t++) {
        const hPrev = t === 0 ? c.h0 : cache.h[t - 1];
        const cols: Vec[] = [];
        for (let j = 0; j < c.g.H; j++) {
          const f = async (v: number) => ((await s.call('rnnStep', [c.xs[t], hPrev.map((x, i) => (i === j ? v : x)), c.params, o])) as { h: Vec }).h;
          const [plus, minus] = [await f(hPrev[j] + 1e-5), await f(hPrev[j] - 1e-5)];
          cols.push(plus.map((p, i) => (p - minus[i]) / 2e-5));
        }
        expectClose((J as Mat[])[t], tr(cols), NUMERIC, `J_${t + 1} vs central differences of your rnnStep`);
      }
    },
  }),
];

const jp = jacobianPowers;
const powersCache = fixedCache(jp.input.T, jp.input.Whh);
const jacobianProductChecks: Check[] = [
  example({
    id: 'M3.jacobianProduct.example', exercise: 'jacobianProduct', catalogue: 'M3',
    title: 'at the zero fixed point with W_hh = diag(½, 3/2): ∂h^(10)/∂h^(0) = diag(½^10, 1.5^10) = diag(0.0009765625, 57.6650390625): one direction vanishes, the other explodes',
    hint: 'M3: ∂h^(t)/∂h^(k) = Π_{i=k+1}^{t} ∂h^(i)/∂h^(i−1): t − k factors, each W_hh here (tanh′(0) = 1)',
    args: [powersCache, 10, 0],
    expected: jp.expected,
    variants: { [MISTAKES.oneShort]: [[1 / 512, 0], [0, 19683 / 512]] },
  }),
  property({
    id: 'M3.jacobianProduct.chain', exercise: 'jacobianProduct', catalogue: 'M3', numRuns: 30,
    title: 'on random sequences: jacobianProduct(cache, t, k) = J_t J_(t−1) … J_(k+1) of your stepJacobians, and the identity when k = t',
    hint: 'M3: the chain rule multiplies the newest Jacobian on the left: ∂h^(t)/∂h^(k) = J_t · ∂h^(t−1)/∂h^(k)',
    arbitrary: caseArb(shapeArb({ maxDim: 3, maxT: 4, minT: 2 })).chain((c) => fc.tuple(fc.constant(c), fc.integer({ min: 0, max: c.g.T }).chain((t) => fc.tuple(fc.constant(t), fc.integer({ min: 0, max: t }))))),
    verify: async ([c, [t, k]], s) => {
      const { cache } = await forwardOf(s, c, c.g.opts);
      const J = (await s.call('stepJacobians', [cache])) as Mat[];
      const P = await s.call('jacobianProduct', [cache, t, k]);
      const H = c.g.H;
      let right = eye(H);
      let reversed = eye(H);
      let short = eye(H);
      for (let i = k + 1; i <= t; i++) {
        right = matMul(J[i - 1], right);
        reversed = matMul(reversed, J[i - 1]);
        if (i > k + 1) short = matMul(J[i - 1], short);
      }
      expectClose(P, right, FLOAT64, `jacobianProduct(cache, ${t}, ${k}) vs J_${t} … J_${k + 1} of your stepJacobians`, { [MISTAKES.reversed]: reversed, ...(t > k ? { [MISTAKES.oneShort]: short } : {}) });
    },
  }),
];

export const clipVariants = (grads: Record<string, Vec | Mat>, maxNorm: number): Variants => {
  const all = Object.values(grads).flatMap((v) => v.flat());
  const norm = Math.hypot(...all);
  const map = (f: (e: number, v: Vec | Mat) => number) => Object.fromEntries(Object.entries(grads).map(([k, v]) => [k, Array.isArray(v[0]) ? (v as Mat).map((r) => r.map((e) => f(e, v))) : (v as Vec).map((e) => f(e, v))]));
  return {
    [MISTAKES.perTensor]: map((e, v) => {
      const n = Math.hypot(...v.flat());
      return n > maxNorm ? (e * maxNorm) / n : e;
    }),
    [MISTAKES.alwaysRescaled]: map((e) => (e * maxNorm) / norm),
    [MISTAKES.byValue]: map((e) => Math.max(-maxNorm, Math.min(maxNorm, e))),
  };
};
const clipChecks: Check[] = [
  example({
    id: 'M3.clipGradientNorm.example', exercise: 'clipGradientNorm', catalogue: 'M3',
    title: '{ dW: [[3]], db: [4] } with maxNorm 1: the global norm is 5, so { dW: [[0.6]], db: [0.8] }',
    hint: 'M3: one norm over all the gradients together, √(3² + 4²) = 5; scale every one by maxNorm/5 ([Training] "Gradient Clipping")',
    args: [clipExample.input.grads, clipExample.input.maxNorm],
    expected: clipExample.expected,
    variants: clipVariants(clipExample.input.grads, 1),
  }),
  example({
    id: 'M3.clipGradientNorm.below', exercise: 'clipGradientNorm', catalogue: 'M3',
    title: 'the same gradients with maxNorm 10: their norm 5 is below it, so they come back unchanged',
    hint: 'M3: clipping only shortens: when ‖g‖ ≤ maxNorm the gradients are returned as they are',
    args: [clipExample.input.grads, clipExample.unclipped],
    expected: clipExample.input.grads,
    variants: { [MISTAKES.alwaysRescaled]: { dW: [[6]], db: [8] } },
  }),
  property({
    id: 'M3.clipGradientNorm.global', exercise: 'clipGradientNorm', catalogue: 'M3', numRuns: 60,
    title: 'on random sets of gradients and thresholds: the result points the same way, has global norm min(‖g‖, maxNorm), and keeps every key and shape',
    hint: 'M3: g ← g·maxNorm/‖g‖ only when ‖g‖ > maxNorm, with ‖g‖ over every entry of every gradient',
    // at least two entries per gradient: with one, clipping each by its own norm and clipping by value coincide
    arbitrary: fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 2, max: 3 }), fc.integer({ min: 2, max: 3 })).chain(([r, c, n]) =>
      fc.tuple(fc.record({ dW: matrixOf(r, c, signed(0.1, 4)), db: vectorOf(n, signed(0.1, 4)) }), fc.constantFrom(0.5, 1, 2, 5, 20)),
    ),
    verify: async ([grads, maxNorm], s) => {
      const r = await s.call('clipGradientNorm', [grads, maxNorm]);
      const norm = Math.hypot(...grads.dW.flat(), ...grads.db);
      const scale = norm > maxNorm ? maxNorm / norm : 1;
      expectClose(r, { dW: grads.dW.map((row) => row.map((e) => e * scale)), db: grads.db.map((e) => e * scale) }, FLOAT64, callText('clipGradientNorm', [grads, maxNorm]), clipVariants(grads, maxNorm));
    },
  }),
];


// ---------------------------------------------------------------------------------------------
// M4 — the LSTM, the notes' gates over [h, x] (h first)

interface LParams {
  Wf: Mat;
  bf: Vec;
  Wi: Mat;
  bi: Vec;
  WC: Mat;
  bC: Vec;
  Wo: Mat;
  bo: Vec;
}
interface LStep {
  f: Vec;
  i: Vec;
  cTilde: Vec;
  c: Vec;
  o: Vec;
  h: Vec;
}
type LCache = { xs: Vec[]; h0: Vec; c0: Vec; params: LParams } & { [K in keyof LStep]: Vec[] };
interface LGrads {
  dWf: Mat;
  dbf: Vec;
  dWi: Mat;
  dbi: Vec;
  dWC: Mat;
  dbC: Vec;
  dWo: Mat;
  dbo: Vec;
  dh0: Vec;
  dc0: Vec;
  dxs: Vec[];
}
const LGATES = ['f', 'i', 'C', 'o'] as const;
const sig = (z: number) => 1 / (1 + Math.exp(-z));
/** The notes' step written out; the switches make the mistakes the reports name. */
const lstmStepOf = (x: Vec, h: Vec, cPrev: Vec, p: LParams, { swap = false, forgetOnC = false, hOC = false, sigC = false, xFirst = false } = {}): LStep => {
  const hx = xFirst ? [...x, ...h] : [...h, ...x];
  const net = (W: Mat, b: Vec) => matVec(W, hx).map((v, u) => v + b[u]);
  const f = net(swap ? p.Wo : p.Wf, swap ? p.bo : p.bf).map(sig);
  const i = net(p.Wi, p.bi).map(sig);
  const cTilde = net(p.WC, p.bC).map((z) => (sigC ? sig(z) : Math.tanh(z)));
  const c = forgetOnC ? cPrev.map((cp, u) => i[u] * cp + f[u] * cTilde[u]) : cPrev.map((cp, u) => f[u] * cp + i[u] * cTilde[u]);
  const o = net(swap ? p.Wf : p.Wo, swap ? p.bf : p.bo).map(sig);
  return { f, i, cTilde, c, o, h: c.map((cu, u) => o[u] * (hOC ? cu : Math.tanh(cu))) };
};
/** The sequence written out; `cellFrom` chooses the cell step t starts from, `hFromOld` uses C^(t−1) in h. */
const lstmSequenceOf = (xs: Vec[], h0: Vec, c0: Vec, p: LParams, { cellFrom = (t: number, c: Vec[]) => (t === 0 ? c0 : c[t - 1]), hFromOld = false } = {}) => {
  const hs: Vec[] = [];
  const cs: Vec[] = [];
  xs.forEach((x, t) => {
    const cPrev = cellFrom(t, cs);
    const s = lstmStepOf(x, t === 0 ? h0 : hs[t - 1], cPrev, p);
    cs.push(s.c);
    hs.push(hFromOld ? s.o.map((o, u) => o * Math.tanh(cPrev[u])) : s.h);
  });
  return { h: hs, c: cs };
};

interface LCase {
  D: number;
  H: number;
  T: number;
  xs: Vec[];
  h0: Vec;
  c0: Vec;
  params: LParams;
  dh: Vec[];
}
const lstmCaseArb = ({ maxDim = 3, maxT = 4, minT = 1 } = {}): fc.Arbitrary<LCase> =>
  fc.record({ D: fc.integer({ min: 1, max: maxDim }), H: fc.integer({ min: 1, max: maxDim }), T: fc.integer({ min: minT, max: maxT }) }).chain(({ D, H, T }) =>
    fc.record({
      D: fc.constant(D), H: fc.constant(H), T: fc.constant(T),
      xs: matrixOf(T, D, w), h0: vectorOf(H, w), c0: vectorOf(H, w),
      params: fc.record({
        Wf: matrixOf(H, H + D, w), bf: vectorOf(H, w), Wi: matrixOf(H, H + D, w), bi: vectorOf(H, w),
        WC: matrixOf(H, H + D, w), bC: vectorOf(H, w), Wo: matrixOf(H, H + D, w), bo: vectorOf(H, w),
      }),
      dh: matrixOf(T, H, eighths(2, { nonzero: true })),
    }),
  );

async function lstmForwardOf(s: S, c: { xs: Vec[]; h0: Vec; c0: Vec; params: LParams }): Promise<{ h: Vec[]; c: Vec[]; cache: LCache }> {
  const args = [c.xs, c.h0, c.c0, c.params];
  const r = await s.call('lstmForward', args);
  const [T, H] = [c.xs.length, c.h0.length];
  const cacheOk = isObject(r) && isObject(r.cache) && (['f', 'i', 'cTilde', 'c', 'o', 'h'] as const).every((k) => isMatrix((r.cache as Record<string, unknown>)[k], T, H));
  expectThat(isObject(r) && isMatrix(r.h, T, H) && isMatrix(r.c, T, H) && cacheOk, `${callText('lstmForward', args)} must return { h: [${T}, ${H}], c: [${T}, ${H}], cache } with cache.f, i, cTilde, c, o, h each [${T}, ${H}], of finite numbers`, r);
  return r as { h: Vec[]; c: Vec[]; cache: LCache };
}

async function lstmBackwardOf(s: S, dh: Vec[], cache: LCache): Promise<LGrads> {
  const r = await s.call('lstmBackward', [dh, cache]);
  const [T, D, H] = [cache.xs.length, cache.xs[0].length, cache.h0.length];
  const ok = isObject(r) && LGATES.every((g) => isMatrix(r[`dW${g}`], H, H + D) && isVector(r[`db${g}`], H)) && isVector(r.dh0, H) && isVector(r.dc0, H) && isMatrix(r.dxs, T, D);
  expectThat(ok, `lstmBackward(dh, cache) must return { dWf, dWi, dWC, dWo: [${H}, ${H + D}], dbf, dbi, dbC, dbo: [${H}], dh0: [${H}], dc0: [${H}], dxs: [${T}, ${D}] } of finite numbers`, r);
  return r as LGrads;
}

const lstmPack = (c: LCase): Vec => [...LGATES.flatMap((g) => [...c.params[`W${g}`].flat(), ...c.params[`b${g}`]]), ...c.h0, ...c.c0, ...c.xs.flat()];
const lstmPackGrads = (g: LGrads): Vec => [...LGATES.flatMap((q) => [...g[`dW${q}`].flat(), ...g[`db${q}`]]), ...g.dh0, ...g.dc0, ...g.dxs.flat()];
function lstmUnpack(v: Vec, c: LCase): LCase {
  let at = 0;
  const take = (n: number) => v.slice(at, (at += n));
  const rows = (r: number, k: number) => Array.from({ length: r }, () => take(k));
  const params = {} as Record<string, Vec | Mat>;
  for (const g of LGATES) [params[`W${g}`], params[`b${g}`]] = [rows(c.H, c.H + c.D), take(c.H)];
  return { ...c, params: params as unknown as LParams, h0: take(c.H), c0: take(c.H), xs: rows(c.T, c.D) };
}
/** L = Σ_t dh^(t)·h^(t) of the student's own lstmForward, as a function of everything packed. */
const lstmLossOf = (s: S, c: LCase) => async (v: Vec) => {
  const u = lstmUnpack(v, c);
  const { h } = await lstmForwardOf(s, u);
  return h.reduce((acc, ht, t) => acc + dot(ht, c.dh[t]), 0);
};
const lstmPackedText = 'every gradient, packed as [dWf, dbf, dWi, dbi, dWC, dbC, dWo, dbo, dh0, dc0, dxs]';

const ls = lstmOneStep;
const lstmStepChecks: Check[] = [
  example({
    id: 'M4.lstmStep.example', exercise: 'lstmStep', catalogue: 'M4',
    title: 'one step, H = D = 1, [h, x] = [0, 1], weights ±ln 3 on x, C^(t−1) = 0.4: f = ¾, i = ½, C̃ = ⅘, o = ¼, C = ¾·0.4 + ½·⅘ = 0.7, h = ¼·tanh 0.7',
    hint: 'M4: f = σ(W_f[h, x] + b_f), i = σ(W_i[h, x] + b_i), C̃ = tanh(W_C[h, x] + b_C), C = f ⊙ C^(t−1) + i ⊙ C̃, o = σ(W_o[h, x] + b_o), h = o ⊙ tanh C ([Training] "Long short-term memory (LSTM)")',
    args: [ls.input.x, ls.input.hPrev, ls.input.cPrev, ls.input.params],
    expected: ls.expected,
    variants: {
      [MISTAKES.lstmGatesSwapped]: ls.wrong.gatesSwapped,
      [MISTAKES.forgetOnCandidate]: ls.wrong.forgetOnCandidate,
      [MISTAKES.hIsOC]: ls.wrong.hIsOC,
      [MISTAKES.sigmaCandidate]: ls.wrong.sigmaCandidate,
    },
  }),
  property({
    id: 'M4.lstmStep.formula', exercise: 'lstmStep', catalogue: 'M4', numRuns: 60,
    title: 'on random sizes (D, H ≤ 4): { f, i, cTilde, c, o, h } are the notes\' gates over [h, x], C = f ⊙ C^(t−1) + i ⊙ C̃ and h = o ⊙ tanh C',
    hint: 'M4: columns 0 … H − 1 of every W_g multiply h^(t−1), the rest x^(t); the gates are logistic sigmoids, the candidate and the output squashing tanh',
    arbitrary: lstmCaseArb({ maxDim: 4, maxT: 1 }),
    verify: async (c, s) => {
      const args = [c.xs[0], c.h0, c.c0, c.params];
      const r = await s.call('lstmStep', args);
      const at = (o = {}) => lstmStepOf(c.xs[0], c.h0, c.c0, c.params, o);
      expectClose(r, at(), FLOAT64, callText('lstmStep', args), {
        [MISTAKES.lstmGatesSwapped]: at({ swap: true }),
        [MISTAKES.forgetOnCandidate]: at({ forgetOnC: true }),
        [MISTAKES.hIsOC]: at({ hOC: true }),
        [MISTAKES.sigmaCandidate]: at({ sigC: true }),
        [MISTAKES.hxOrder]: at({ xFirst: true }),
      });
    },
  }),
];

const lstmForwardChecks: Check[] = [
  property({
    id: 'M4.lstmForward.sequence', exercise: 'lstmForward', catalogue: 'M4', numRuns: 50,
    title: 'on random sequences (T ≤ 5): h^(t) and C^(t) follow the notes\' recurrence from h^(0) and C^(0), each step from the previous step\'s h and C',
    hint: 'M4: step t reads h^(t−1) and C^(t−1) (h^(0) = h0, C^(0) = c0) and returns h^(t) = o ⊙ tanh C^(t)',
    arbitrary: lstmCaseArb({ maxT: 5, minT: 2 }),
    verify: async (c, s) => {
      const r = await lstmForwardOf(s, c);
      expectClose({ h: r.h, c: r.c }, lstmSequenceOf(c.xs, c.h0, c.c0, c.params), FLOAT64, callText('lstmForward', [c.xs, c.h0, c.c0, c.params]), {
        [MISTAKES.cellNotCarried]: lstmSequenceOf(c.xs, c.h0, c.c0, c.params, { cellFrom: () => c.c0 }),
        [MISTAKES.hFromOldCell]: { h: lstmSequenceOf(c.xs, c.h0, c.c0, c.params, { hFromOld: true }).h },
      });
    },
  }),
  property({
    id: 'M4.lstmForward.gated-sum', exercise: 'lstmForward', catalogue: 'M4', numRuns: 40,
    title: 'your own gates make your cell a gated sum: C^(T) = (Π_t f^(t)) ⊙ C^(0) + Σ_s (Π_{t>s} f^(t)) ⊙ i^(s) ⊙ C̃^(s), h^(t) = o^(t) ⊙ tanh C^(t), and the cache holds the h and c you return',
    hint: 'M4: C^(t) = f ⊙ C^(t−1) + i ⊙ C̃ unrolled: each candidate enters once, through its input gate, and every later forget gate scales it',
    arbitrary: lstmCaseArb({ maxT: 5 }),
    verify: async (c, s) => {
      const r = await lstmForwardOf(s, c);
      const k = r.cache;
      // EXACT: the cache's h and c are the very values returned, copies at most
      expectClose({ h: k.h, c: k.c }, { h: r.h, c: r.c }, EXACT, 'cache.h and cache.c vs the h and c returned');
      const gated = c.c0.map((c0u, u) => {
        let total = c0u * k.f.reduce((p, f) => p * f[u], 1);
        for (let t = 0; t < c.T; t++) total += k.i[t][u] * k.cTilde[t][u] * k.f.slice(t + 1).reduce((p, f) => p * f[u], 1);
        return total;
      });
      expectClose(r.c[c.T - 1], gated, FLOAT64, `C^(${c.T}) vs the gated sum of your cache's f, i and cTilde`);
      expectClose(r.h, k.o.map((o, t) => o.map((ou, u) => ou * Math.tanh(r.c[t][u]))), FLOAT64, 'h^(t) vs o^(t) ⊙ tanh C^(t) from your cache', { [MISTAKES.hFromOldCell]: k.o.map((o, t) => o.map((ou, u) => ou * Math.tanh(t === 0 ? c.c0[u] : r.c[t - 1][u]))) });
    },
  }),
];

/** The cell-path example's cache, built to the contract from the hand-worked states. */
const cp = lstmCellPath;
const cellPathCache: LCache = {
  ...cp.input,
  ...(Object.fromEntries(Object.entries(cp.states).map(([k, v]) => [k, cp.input.xs.map(() => v)])) as { [K in keyof LStep]: Vec[] }),
};
const lstmBackwardChecks: Check[] = [
  example({
    id: 'M4.lstmBackward.example', exercise: 'lstmBackward', catalogue: 'M4',
    title: 'constant gates f = ¾, i = o = ½, C̃ = 0, zero states, T = 3, dh = (0, 0, 1): ∂L/∂C^(0) = ½·¾³ = 27/128 through the cell alone, ∂L/∂b_C = ½(½ + ⅜ + 9/32) = 37/64, every other gradient 0',
    hint: 'M4: the cell carries the gradient back on its own path, ∂L/∂C^(t−1) = ∂L/∂C^(t) ⊙ f^(t), with ∂L/∂C^(t) += ∂L/∂h^(t) ⊙ o ⊙ (1 − tanh²C^(t)) at every step; sum every gate\'s gradient over t',
    args: [cp.input.dh, cellPathCache],
    expected: cp.expected,
    variants: { [MISTAKES.cellPathDropped]: cp.wrong.cellPathDropped, [MISTAKES.noForgetFactor]: cp.wrong.noForgetFactor, [MISTAKES.lstmNotAccumulated]: cp.wrong.notAccumulated, [MISTAKES.c0Dropped]: { dc0: [0], dbC: cp.expected.dbC } },
  }),
  property({
    id: 'M4.lstmBackward.numeric', exercise: 'lstmBackward', catalogue: 'M4', numRuns: 8,
    title: 'every gradient (each W_g, b_g, h^(0), C^(0), every x^(t)) equals the numerical gradient of L = Σ_t dh^(t)·h^(t) of your lstmForward (D, H ≤ 2, T ≤ 3)',
    hint: 'M4: going back in time carry both ∂L/∂h^(t−1) = Σ_g W_g,hᵀ δ_g and ∂L/∂C^(t−1) = ∂L/∂C^(t) ⊙ f; δ_f = ∂L/∂C ⊙ C^(t−1) ⊙ f(1 − f), δ_i = ∂L/∂C ⊙ C̃ ⊙ i(1 − i), δ_C = ∂L/∂C ⊙ i ⊙ (1 − C̃²), δ_o = ∂L/∂h ⊙ tanh C ⊙ o(1 − o)',
    arbitrary: lstmCaseArb({ maxDim: 2, maxT: 3 }),
    verify: async (c, s) => {
      const { cache } = await lstmForwardOf(s, c);
      const g = await lstmBackwardOf(s, c.dh, cache);
      expectClose(lstmPackGrads(g), await numericalGradient(lstmLossOf(s, c), lstmPack(c)), NUMERIC, `${lstmPackedText}, vs central differences of your lstmForward`);
    },
  }),
  property({
    id: 'M4.lstmBackward.directional', exercise: 'lstmBackward', catalogue: 'M4', numRuns: 25,
    title: 'along random directions v of all weights, h^(0), C^(0) and the inputs: vᵀ∇L equals the directional derivative of L = Σ_t dh^(t)·h^(t) of your lstmForward (D, H ≤ 3, T ≤ 5)',
    hint: 'M4: a directional check (S3): every gradient enters vᵀ∇L, so any one that is wrong shows',
    arbitrary: lstmCaseArb({ maxDim: 3, maxT: 5 }).chain((c) => fc.tuple(fc.constant(c), direction(lstmPack(c).length))),
    verify: async ([c, v], s) => {
      const { cache } = await lstmForwardOf(s, c);
      const g = await lstmBackwardOf(s, c.dh, cache);
      expectClose(dot(lstmPackGrads(g), v), await directionalDerivative(lstmLossOf(s, c), lstmPack(c), v), NUMERIC, 'vᵀ∇L vs (L(θ + hv) − L(θ − hv))/2h of your lstmForward');
    },
  }),
];

// ---------------------------------------------------------------------------------------------
// M5 — the peephole LSTM: W_f, W_i over [C^(t−1), h, x], W_o over [C^(t), h, x], W_C over [h, x]

/** The notes' peephole step written out; the switches make the mistakes the reports name. */
const peepholeStepOf = (x: Vec, h: Vec, cPrev: Vec, p: LParams, { oOld = false, drop = false, last = false } = {}): LStep => {
  const read = (cell: Vec) => (drop ? [...cell.map(() => 0), ...h, ...x] : last ? [...h, ...x, ...cell] : [...cell, ...h, ...x]);
  const net = (W: Mat, b: Vec, v: Vec) => matVec(W, v).map((z, u) => z + b[u]);
  const f = net(p.Wf, p.bf, read(cPrev)).map(sig);
  const i = net(p.Wi, p.bi, read(cPrev)).map(sig);
  const cTilde = net(p.WC, p.bC, [...h, ...x]).map(Math.tanh);
  const c = cPrev.map((cp, u) => f[u] * cp + i[u] * cTilde[u]);
  const o = net(p.Wo, p.bo, read(oOld ? cPrev : c)).map(sig);
  return { f, i, cTilde, c, o, h: c.map((cu, u) => o[u] * Math.tanh(cu)) };
};
const peepholeSequenceOf = (xs: Vec[], h0: Vec, c0: Vec, p: LParams, { fromC0 = false, oOld = false } = {}) => {
  const hs: Vec[] = [];
  const cs: Vec[] = [];
  xs.forEach((x, t) => {
    const s = peepholeStepOf(x, t === 0 ? h0 : hs[t - 1], t === 0 || fromC0 ? c0 : cs[t - 1], p, { oOld });
    cs.push(s.c);
    hs.push(s.h);
  });
  return { h: hs, c: cs };
};
/** An LSTM case widened to the peephole layout: W_f, W_i, W_o get H leading columns for the cell. */
const peepholeCaseArb = (o: { maxDim?: number; maxT?: number; minT?: number } = {}): fc.Arbitrary<LCase> =>
  lstmCaseArb(o).chain((c) =>
    fc.record({ f: matrixOf(c.H, c.H, w), i: matrixOf(c.H, c.H, w), o: matrixOf(c.H, c.H, w) }).map((peep) => ({
      ...c,
      params: { ...c.params, Wf: c.params.Wf.map((r, u) => [...peep.f[u], ...r]), Wi: c.params.Wi.map((r, u) => [...peep.i[u], ...r]), Wo: c.params.Wo.map((r, u) => [...peep.o[u], ...r]) },
    })),
  );
const peepholeWidth = (g: (typeof LGATES)[number], c: { H: number; D: number }) => (g === 'C' ? c.H + c.D : 2 * c.H + c.D);

async function peepholeForwardOf(s: S, c: { xs: Vec[]; h0: Vec; c0: Vec; params: LParams }): Promise<{ h: Vec[]; c: Vec[]; cache: LCache }> {
  const args = [c.xs, c.h0, c.c0, c.params];
  const r = await s.call('peepholeLstmForward', args);
  const [T, H] = [c.xs.length, c.h0.length];
  const cacheOk = isObject(r) && isObject(r.cache) && (['f', 'i', 'cTilde', 'c', 'o', 'h'] as const).every((k) => isMatrix((r.cache as Record<string, unknown>)[k], T, H));
  expectThat(isObject(r) && isMatrix(r.h, T, H) && isMatrix(r.c, T, H) && cacheOk, `${callText('peepholeLstmForward', args)} must return { h: [${T}, ${H}], c: [${T}, ${H}], cache } with cache.f, i, cTilde, c, o, h each [${T}, ${H}], of finite numbers`, r);
  return r as { h: Vec[]; c: Vec[]; cache: LCache };
}

async function peepholeBackwardOf(s: S, dh: Vec[], cache: LCache): Promise<LGrads> {
  const r = await s.call('peepholeLstmBackward', [dh, cache]);
  const [T, D, H] = [cache.xs.length, cache.xs[0].length, cache.h0.length];
  const ok = isObject(r) && LGATES.every((g) => isMatrix(r[`dW${g}`], H, peepholeWidth(g, { H, D })) && isVector(r[`db${g}`], H)) && isVector(r.dh0, H) && isVector(r.dc0, H) && isMatrix(r.dxs, T, D);
  expectThat(ok, `peepholeLstmBackward(dh, cache) must return { dWf, dWi, dWo: [${H}, ${2 * H + D}], dWC: [${H}, ${H + D}], dbf, dbi, dbC, dbo: [${H}], dh0: [${H}], dc0: [${H}], dxs: [${T}, ${D}] } of finite numbers`, r);
  return r as LGrads;
}

function peepholeUnpack(v: Vec, c: LCase): LCase {
  let at = 0;
  const take = (n: number) => v.slice(at, (at += n));
  const rows = (r: number, k: number) => Array.from({ length: r }, () => take(k));
  const params = {} as Record<string, Vec | Mat>;
  for (const g of LGATES) [params[`W${g}`], params[`b${g}`]] = [rows(c.H, peepholeWidth(g, c)), take(c.H)];
  return { ...c, params: params as unknown as LParams, h0: take(c.H), c0: take(c.H), xs: rows(c.T, c.D) };
}
/** L = Σ_t dh^(t)·h^(t) of the student's own peepholeLstmForward, as a function of everything packed. */
const peepholeLossOf = (s: S, c: LCase) => async (v: Vec) => {
  const u = peepholeUnpack(v, c);
  const { h } = await peepholeForwardOf(s, u);
  return h.reduce((acc, ht, t) => acc + dot(ht, c.dh[t]), 0);
};

const ps = peepholeOneStep;
const peepholeStepChecks: Check[] = [
  example({
    id: 'M5.peepholeLstmStep.example', exercise: 'peepholeLstmStep', catalogue: 'M5',
    title: 'one step, H = D = 1, h = 0, x = 1, C^(t−1) = 2, peepholes −½ ln 3 (f), ½ ln 3 (i), ln 3 (o): f = ¼, i = ¾, C̃ = tanh(½ ln 5) = ⅔, C = ¼·2 + ¾·⅔ = 1, o = σ(ln 3·C) = ¾, h = ¾·tanh 1',
    hint: 'M5: f = σ(W_f[C^(t−1), h, x] + b_f), i = σ(W_i[C^(t−1), h, x] + b_i), C̃ = tanh(W_C[h, x] + b_C), C = f ⊙ C^(t−1) + i ⊙ C̃, o = σ(W_o[C^(t), h, x] + b_o): the output gate sees the new cell ([Training] "Long short-term memory (LSTM)")',
    args: [ps.input.x, ps.input.hPrev, ps.input.cPrev, ps.input.params],
    expected: ps.expected,
    variants: { [MISTAKES.oSeesOldCell]: ps.wrong.oSeesOldCell, [MISTAKES.peepholesDropped]: ps.wrong.peepholesDropped },
  }),
  property({
    id: 'M5.peepholeLstmStep.formula', exercise: 'peepholeLstmStep', catalogue: 'M5', numRuns: 60,
    title: 'on random sizes (D, H ≤ 4): { f, i, cTilde, c, o, h } are the notes\' peephole gates: f, i over [C^(t−1), h, x], C̃ over [h, x], o over [C^(t), h, x]',
    hint: 'M5: columns 0 … H − 1 of W_f, W_i, W_o multiply a cell (the old one for f and i, the new one for o), H … 2H − 1 h^(t−1), the rest x^(t)',
    arbitrary: peepholeCaseArb({ maxDim: 4, maxT: 1 }),
    verify: async (c, s) => {
      const args = [c.xs[0], c.h0, c.c0, c.params];
      const r = await s.call('peepholeLstmStep', args);
      const at = (o = {}) => peepholeStepOf(c.xs[0], c.h0, c.c0, c.params, o);
      expectClose(r, at(), FLOAT64, callText('peepholeLstmStep', args), {
        [MISTAKES.oSeesOldCell]: at({ oOld: true }),
        [MISTAKES.peepholesDropped]: at({ drop: true }),
        [MISTAKES.cellLast]: at({ last: true }),
      });
    },
  }),
];

const peepholeForwardChecks: Check[] = [
  property({
    id: 'M5.peepholeLstmForward.sequence', exercise: 'peepholeLstmForward', catalogue: 'M5', numRuns: 50,
    title: 'on random sequences (T ≤ 5): h^(t) and C^(t) follow the notes\' peephole recurrence from h^(0) and C^(0), each step from the previous step\'s h and C',
    hint: 'M5: step t reads h^(t−1) and C^(t−1) (h^(0) = h0, C^(0) = c0); f and i peek at C^(t−1), o at C^(t)',
    arbitrary: peepholeCaseArb({ maxT: 5, minT: 2 }),
    verify: async (c, s) => {
      const r = await peepholeForwardOf(s, c);
      expectClose({ h: r.h, c: r.c }, peepholeSequenceOf(c.xs, c.h0, c.c0, c.params), FLOAT64, callText('peepholeLstmForward', [c.xs, c.h0, c.c0, c.params]), {
        [MISTAKES.cellNotCarried]: peepholeSequenceOf(c.xs, c.h0, c.c0, c.params, { fromC0: true }),
        [MISTAKES.oSeesOldCell]: peepholeSequenceOf(c.xs, c.h0, c.c0, c.params, { oOld: true }),
      });
    },
  }),
  property({
    id: 'M5.peepholeLstmForward.zero-peephole', exercise: 'peepholeLstmForward', catalogue: 'M5', numRuns: 40,
    title: 'with the peephole columns (the first H of W_f, W_i, W_o) zero, your peephole LSTM is the notes\' LSTM (M4) on the other columns: h, c and the cache\'s gates',
    hint: 'M5: a zero peephole adds 0 to every gate\'s net input, so what is left is M4 over [h, x]; the cell\'s columns come first, then h^(t−1), then x^(t)',
    arbitrary: peepholeCaseArb({ maxT: 4 }),
    verify: async (c, s) => {
      const zero = (W: Mat) => W.map((r) => r.map((v, j) => (j < c.H ? 0 : v)));
      const p = { ...c.params, Wf: zero(c.params.Wf), Wi: zero(c.params.Wi), Wo: zero(c.params.Wo) };
      const r = await peepholeForwardOf(s, { ...c, params: p });
      const plain = { ...p, Wf: p.Wf.map((r) => r.slice(c.H)), Wi: p.Wi.map((r) => r.slice(c.H)), Wo: p.Wo.map((r) => r.slice(c.H)) };
      const want = lstmSequenceOf(c.xs, c.h0, c.c0, plain);
      const gates = { f: [] as Vec[], i: [] as Vec[], o: [] as Vec[] };
      c.xs.forEach((x, t) => {
        const st = lstmStepOf(x, t === 0 ? c.h0 : want.h[t - 1], t === 0 ? c.c0 : want.c[t - 1], plain);
        gates.f.push(st.f);
        gates.i.push(st.i);
        gates.o.push(st.o);
      });
      expectClose({ h: r.h, c: r.c, f: r.cache.f, i: r.cache.i, o: r.cache.o }, { ...want, ...gates }, FLOAT64, `${callText('peepholeLstmForward', [c.xs, c.h0, c.c0, p])} vs the plain LSTM on columns H … of W_f, W_i, W_o`);
    },
  }),
];

/** The hand-worked backward example's cache, built to the contract from its states. */
const pb = peepholeBackwardStep;
const peepholeCache: LCache = { ...pb.input, ...(Object.fromEntries(Object.entries(pb.states).map(([k, v]) => [k, [v]])) as { [K in keyof LStep]: Vec[] }) };
const peepholeBackwardChecks: Check[] = [
  example({
    id: 'M5.peepholeLstmBackward.example', exercise: 'peepholeLstmBackward', catalogue: 'M5',
    title: 'the example step as a sequence (T = 1, C^(0) = 2, dh = 1): ∂L/∂C = ¾(1 − tanh²1) + ln 3·3 tanh 1/16 (o\'s peephole), ∂L/∂C^(0) = ∂L/∂C·(2 − ln 3)/8 (f\'s and i\'s), ∂L/∂W_f = δ_f·[C^(0), h, x] = δ_f·[2, 0, 1]',
    hint: 'M5: ∂L/∂C^(t) = (carried) + ∂L/∂h ⊙ o ⊙ (1 − tanh²C) + W_o,Cᵀ δ_o; ∂L/∂C^(t−1) = ∂L/∂C ⊙ f + W_f,Cᵀ δ_f + W_i,Cᵀ δ_i (W_g,C: the first H columns of W_g)',
    args: [pb.input.dh, peepholeCache],
    expected: pb.expected,
    variants: { [MISTAKES.oPeepholePathDropped]: pb.wrong.oPeepholeDropped, [MISTAKES.fiPeepholePathDropped]: pb.wrong.fiPeepholesDropped, [MISTAKES.fiSeeNewCell]: pb.wrong.fiSeeNewCell },
  }),
  property({
    id: 'M5.peepholeLstmBackward.numeric', exercise: 'peepholeLstmBackward', catalogue: 'M5', numRuns: 8,
    title: 'every gradient (each W_g with its peephole columns, b_g, h^(0), C^(0), every x^(t)) equals the numerical gradient of L = Σ_t dh^(t)·h^(t) of your peepholeLstmForward (D, H ≤ 2, T ≤ 3)',
    hint: 'M5: as M4, plus the peepholes\' paths into the cell: W_o,Cᵀ δ_o into ∂L/∂C^(t), W_f,Cᵀ δ_f + W_i,Cᵀ δ_i into ∂L/∂C^(t−1); ∂L/∂W_f = Σ_t δ_f [C^(t−1), h, x]ᵀ, ∂L/∂W_o = Σ_t δ_o [C^(t), h, x]ᵀ',
    arbitrary: peepholeCaseArb({ maxDim: 2, maxT: 3 }),
    verify: async (c, s) => {
      const { cache } = await peepholeForwardOf(s, c);
      const g = await peepholeBackwardOf(s, c.dh, cache);
      expectClose(lstmPackGrads(g), await numericalGradient(peepholeLossOf(s, c), lstmPack(c)), NUMERIC, `${lstmPackedText}, vs central differences of your peepholeLstmForward`);
    },
  }),
  property({
    id: 'M5.peepholeLstmBackward.directional', exercise: 'peepholeLstmBackward', catalogue: 'M5', numRuns: 25,
    title: 'along random directions v of all weights, h^(0), C^(0) and the inputs: vᵀ∇L equals the directional derivative of L = Σ_t dh^(t)·h^(t) of your peepholeLstmForward (D, H ≤ 3, T ≤ 5)',
    hint: 'M5: a directional check (S3): every gradient enters vᵀ∇L, so any one that is wrong shows',
    arbitrary: peepholeCaseArb({ maxDim: 3, maxT: 5 }).chain((c) => fc.tuple(fc.constant(c), direction(lstmPack(c).length))),
    verify: async ([c, v], s) => {
      const { cache } = await peepholeForwardOf(s, c);
      const g = await peepholeBackwardOf(s, c.dh, cache);
      expectClose(dot(lstmPackGrads(g), v), await directionalDerivative(peepholeLossOf(s, c), lstmPack(c), v), NUMERIC, 'vᵀ∇L vs (L(θ + hv) − L(θ − hv))/2h of your peepholeLstmForward');
    },
  }),
];

// ---------------------------------------------------------------------------------------------
// M6 — the GRU, the notes' form (biases optional)

interface GParams {
  Wz: Mat;
  Wr: Mat;
  W: Mat;
  bz?: Vec;
  br?: Vec;
  b?: Vec;
}
interface GGrads {
  dWz: Mat;
  dbz: Vec;
  dWr: Mat;
  dbr: Vec;
  dW: Mat;
  db: Vec;
  dh0: Vec;
  dxs: Vec[];
}
type GCache = { xs: Vec[]; h0: Vec; params: GParams; z: Vec[]; r: Vec[]; hTilde: Vec[]; h: Vec[] };
/** The notes' GRU step written out; the switches make the mistakes the reports name. */
const gruStepOf = (x: Vec, h: Vec, p: GParams, { zSwap = false, after = false, noBias = false } = {}) => {
  const H = h.length;
  const bias = (b?: Vec) => (noBias || !b ? new Array<number>(H).fill(0) : b);
  const z = matVec(p.Wz, [...h, ...x]).map((v, u) => sig(v + bias(p.bz)[u]));
  const r = matVec(p.Wr, [...h, ...x]).map((v, u) => sig(v + bias(p.br)[u]));
  const Wh = p.W.map((row) => row.slice(0, H));
  const Wx = p.W.map((row) => row.slice(H));
  const recurrent = after ? matVec(Wh, h).map((v, u) => r[u] * v) : matVec(Wh, h.map((v, u) => r[u] * v));
  const hTilde = matVec(Wx, x).map((v, u) => Math.tanh(v + recurrent[u] + bias(p.b)[u]));
  const keep = (u: number) => (zSwap ? z[u] : 1 - z[u]);
  return { z, r, hTilde, h: h.map((hp, u) => keep(u) * hp + (1 - keep(u)) * hTilde[u]) };
};
const gruSequenceOf = (xs: Vec[], h0: Vec, p: GParams, o: { zSwap?: boolean; noBias?: boolean; fromH0?: boolean } = {}): Vec[] => {
  const hs: Vec[] = [];
  xs.forEach((x, t) => hs.push(gruStepOf(x, t === 0 || o.fromH0 ? h0 : hs[t - 1], p, o).h));
  return hs;
};

interface GCase {
  D: number;
  H: number;
  T: number;
  xs: Vec[];
  h0: Vec;
  params: GParams;
  dh: Vec[];
}
const gruCaseArb = ({ maxDim = 3, maxT = 4, minT = 1, biases = fc.boolean() } = {}): fc.Arbitrary<GCase> =>
  fc.record({ D: fc.integer({ min: 1, max: maxDim }), H: fc.integer({ min: 1, max: maxDim }), T: fc.integer({ min: minT, max: maxT }), biases }).chain(({ D, H, T, biases: withBiases }) =>
    fc.record({
      D: fc.constant(D), H: fc.constant(H), T: fc.constant(T),
      xs: matrixOf(T, D, w), h0: vectorOf(H, w),
      params: fc.record({ Wz: matrixOf(H, H + D, w), Wr: matrixOf(H, H + D, w), W: matrixOf(H, H + D, w), ...(withBiases ? { bz: vectorOf(H, w), br: vectorOf(H, w), b: vectorOf(H, w) } : {}) }) as fc.Arbitrary<GParams>,
      dh: matrixOf(T, H, eighths(2, { nonzero: true })),
    }),
  );

async function gruForwardOf(s: S, c: { xs: Vec[]; h0: Vec; params: GParams }): Promise<{ h: Vec[]; cache: GCache }> {
  const args = [c.xs, c.h0, c.params];
  const r = await s.call('gruForward', args);
  const [T, H] = [c.xs.length, c.h0.length];
  expectThat(isObject(r) && isMatrix(r.h, T, H) && isObject(r.cache), `${callText('gruForward', args)} must return { h: [${T}, ${H}], cache } of finite numbers`, r);
  return r as { h: Vec[]; cache: GCache };
}
async function gruBackwardOf(s: S, dh: Vec[], cache: GCache): Promise<GGrads> {
  const r = await s.call('gruBackward', [dh, cache]);
  const [T, D, H] = [cache.xs.length, cache.xs[0].length, cache.h0.length];
  const ok = isObject(r) && ['dWz', 'dWr', 'dW'].every((k) => isMatrix(r[k], H, H + D)) && ['dbz', 'dbr', 'db', 'dh0'].every((k) => isVector(r[k], H)) && isMatrix(r.dxs, T, D);
  expectThat(ok, `gruBackward(dh, cache) must return { dWz, dWr, dW: [${H}, ${H + D}], dbz, dbr, db, dh0: [${H}], dxs: [${T}, ${D}] } of finite numbers`, r);
  return r as GGrads;
}
/** Every parameter (biases included: the case's, or zeros), h^(0) and the inputs, packed. */
const gruPack = (c: GCase): Vec => {
  const zero = new Array<number>(c.H).fill(0);
  const p = c.params;
  return [...p.Wz.flat(), ...(p.bz ?? zero), ...p.Wr.flat(), ...(p.br ?? zero), ...p.W.flat(), ...(p.b ?? zero), ...c.h0, ...c.xs.flat()];
};
const gruPackGrads = (g: GGrads): Vec => [...g.dWz.flat(), ...g.dbz, ...g.dWr.flat(), ...g.dbr, ...g.dW.flat(), ...g.db, ...g.dh0, ...g.dxs.flat()];
/** L = Σ_t dh^(t)·h^(t) of the student's own gruForward, biases passed explicitly (the gradient in them is asked for either way). */
const gruLossOf = (s: S, c: GCase) => async (v: Vec) => {
  let at = 0;
  const take = (n: number) => v.slice(at, (at += n));
  const rows = (r: number) => Array.from({ length: r }, () => take(c.H + c.D));
  const params = { Wz: rows(c.H), bz: take(c.H), Wr: rows(c.H), br: take(c.H), W: rows(c.H), b: take(c.H) };
  const h0 = take(c.H);
  const xs = Array.from({ length: c.T }, () => take(c.D));
  const { h } = await gruForwardOf(s, { xs, h0, params });
  return h.reduce((acc, ht, t) => acc + dot(ht, c.dh[t]), 0);
};
const gruPackedText = 'every gradient, packed as [dWz, dbz, dWr, dbr, dW, db, dh0, dxs]';

const gs = gruOneStep;
const gruStepChecks: Check[] = [
  example({
    id: 'M6.gruStep.example', exercise: 'gruStep', catalogue: 'M6',
    title: 'one step without biases, H = 2, h^(t−1) = [1, 1], x = [1]: z = [¾, ¾], r = [¾, ¼], W[r ⊙ h, x] = [¼, ¾] (W_h swaps the units), h = ¼·h^(t−1) + ¾·tanh([¼, ¾])',
    hint: 'M6: z = σ(W_z[h, x]), r = σ(W_r[h, x]), h̃ = tanh(W[r ⊙ h, x]), h = (1 − z) ⊙ h + z ⊙ h̃ ([Training] "Gated Recurrent Unit(GRU)")',
    args: [gs.input.x, gs.input.hPrev, gs.input.params],
    expected: gs.expected,
    variants: { [MISTAKES.zSwapped]: gs.wrong.zSwapped, [MISTAKES.resetAfter]: gs.wrong.resetAfter },
  }),
  property({
    id: 'M6.gruStep.formula', exercise: 'gruStep', catalogue: 'M6', numRuns: 60,
    title: 'on random sizes (D, H ≤ 4), with and without biases: { z, r, hTilde, h } are the notes\' gates, the candidate with the reset before the matmul, and the interpolation (1 − z) ⊙ h + z ⊙ h̃',
    hint: 'M6: columns 0 … H − 1 of W multiply r ⊙ h^(t−1), the rest x; a bias that is given is added inside σ or tanh, one that is omitted is 0',
    arbitrary: gruCaseArb({ maxDim: 4, maxT: 1 }),
    verify: async (c, s) => {
      const args = [c.xs[0], c.h0, c.params];
      const r = await s.call('gruStep', args);
      const at = (o = {}) => gruStepOf(c.xs[0], c.h0, c.params, o);
      expectClose(r, at(), FLOAT64, callText('gruStep', args), {
        [MISTAKES.zSwapped]: at({ zSwap: true }),
        [MISTAKES.resetAfter]: at({ after: true }),
        ...(c.params.b ? { [MISTAKES.biasesIgnored]: at({ noBias: true }) } : {}),
      });
    },
  }),
];

const gruForwardChecks: Check[] = [
  property({
    id: 'M6.gruForward.sequence', exercise: 'gruForward', catalogue: 'M6', numRuns: 50,
    title: 'on random sequences (T ≤ 5, with and without biases): h^(t) follows the notes\' recurrence from h^(0)',
    hint: 'M6: step t reads h^(t−1) (h^(0) = h0) and returns h^(t) = (1 − z) ⊙ h^(t−1) + z ⊙ h̃',
    arbitrary: gruCaseArb({ maxT: 5, minT: 2 }),
    verify: async (c, s) => {
      const r = await gruForwardOf(s, c);
      expectClose(r.h, gruSequenceOf(c.xs, c.h0, c.params), FLOAT64, callText('gruForward', [c.xs, c.h0, c.params]), {
        [MISTAKES.gruNotCarried]: gruSequenceOf(c.xs, c.h0, c.params, { fromH0: true }),
        [MISTAKES.zSwapped]: gruSequenceOf(c.xs, c.h0, c.params, { zSwap: true }),
        ...(c.params.b ? { [MISTAKES.biasesIgnored]: gruSequenceOf(c.xs, c.h0, c.params, { noBias: true }) } : {}),
      });
    },
  }),
  property({
    id: 'M6.gruForward.update-gate', exercise: 'gruForward', catalogue: 'M6', numRuns: 30,
    title: 'the update gate decides: with W_z = 0 and b_z = −40 (z = σ(−40) ≈ 4e−18) your states keep h^(0); with b_z = +40 (z ≈ 1) each h^(t) is your own h̃^(t)',
    hint: 'M6: h = (1 − z) ⊙ h^(t−1) + z ⊙ h̃: z = 0 keeps the old state, z = 1 takes the candidate',
    arbitrary: gruCaseArb({ maxT: 4, biases: fc.constant(true) }),
    verify: async (c, s) => {
      const zero = c.params.Wz.map((row) => row.map(() => 0));
      const shut = await gruForwardOf(s, { ...c, params: { ...c.params, Wz: zero, bz: c.h0.map(() => -40) } });
      // the exact state is h^(0) + 4e−18·(h̃ − h^(0)): FLOAT64 is 1e10 times wider than that
      expectClose(shut.h, c.xs.map(() => c.h0), FLOAT64, 'h^(t) with z = 0', { [MISTAKES.zSwapped]: shut.cache?.hTilde });
      const open = await gruForwardOf(s, { ...c, params: { ...c.params, Wz: zero, bz: c.h0.map(() => 40) } });
      expectThat(isMatrix(open.cache?.hTilde, c.T, c.H), `gruForward(…).cache.hTilde must list h̃^(1) … h̃^(${c.T}), each of length ${c.H}`, open.cache);
      expectClose(open.h, open.cache.hTilde, FLOAT64, 'h^(t) with z = 1 vs your cache.hTilde');
    },
  }),
];

const gc = gruConstantGates;
const gruBackwardChecks: Check[] = [
  example({
    id: 'M6.gruBackward.example', exercise: 'gruBackward', catalogue: 'M6',
    title: 'constant gates z = r = ½, h̃ = 0 (every W = 0, no biases), h^(0) = 1, T = 2, dh = (0, 1): ∂L/∂h^(0) = ½·½ = ¼, ∂L/∂b_z = −¼, ∂L/∂b = ¾, ∂L/∂W_z = [−3/16, 0], ∂L/∂W = [¼, 0]',
    hint: 'M6: ∂L/∂h^(t−1) gets d ⊙ (1 − z) directly; δ_z = d ⊙ (h̃ − h^(t−1)) ⊙ z(1 − z), δ_h̃ = d ⊙ z ⊙ (1 − h̃²); the biases\' gradients are returned even when the biases were omitted; sum over t',
    args: [gc.input.dh, { ...gc.input, ...gc.states }],
    expected: gc.expected,
    variants: { [MISTAKES.gruDirectDropped]: gc.wrong.directDropped, [MISTAKES.gruNotAccumulated]: gc.wrong.notAccumulated },
  }),
  property({
    id: 'M6.gruBackward.numeric', exercise: 'gruBackward', catalogue: 'M6', numRuns: 8,
    title: 'every gradient (W_z, W_r, W, the three biases, h^(0), every x^(t)) equals the numerical gradient of L = Σ_t dh^(t)·h^(t) of your gruForward (D, H ≤ 2, T ≤ 3)',
    hint: 'M6: h^(t−1) reaches h^(t) four ways: (1 − z) directly, r ⊙ h^(t−1) inside the candidate (∂ = W_hᵀδ_h̃ ⊙ r), and both gates (W_z,hᵀδ_z + W_r,hᵀδ_r); δ_z = dh ⊙ (h̃ − h^(t−1)) ⊙ z(1 − z)',
    arbitrary: gruCaseArb({ maxDim: 2, maxT: 3 }),
    verify: async (c, s) => {
      const { cache } = await gruForwardOf(s, c);
      const g = await gruBackwardOf(s, c.dh, cache);
      expectClose(gruPackGrads(g), await numericalGradient(gruLossOf(s, c), gruPack(c)), NUMERIC, `${gruPackedText}, vs central differences of your gruForward`);
    },
  }),
  property({
    id: 'M6.gruBackward.directional', exercise: 'gruBackward', catalogue: 'M6', numRuns: 25,
    title: 'along random directions v of all weights, biases, h^(0) and the inputs: vᵀ∇L equals the directional derivative of L = Σ_t dh^(t)·h^(t) of your gruForward (D, H ≤ 3, T ≤ 5)',
    hint: 'M6: a directional check (S3): every gradient enters vᵀ∇L, so any one that is wrong shows',
    arbitrary: gruCaseArb({ maxDim: 3, maxT: 5 }).chain((c) => fc.tuple(fc.constant(c), direction(gruPack(c).length))),
    verify: async ([c, v], s) => {
      const { cache } = await gruForwardOf(s, c);
      const g = await gruBackwardOf(s, c.dh, cache);
      expectClose(dot(gruPackGrads(g), v), await directionalDerivative(gruLossOf(s, c), gruPack(c), v), NUMERIC, 'vᵀ∇L vs (L(θ + hv) − L(θ − hv))/2h of your gruForward');
    },
  }),
];

// ---------------------------------------------------------------------------------------------
// M1, batch form: word embedding, temporal affine, temporal softmax loss with a mask

type T3 = number[][][];
const flat3 = (a: T3): Vec => a.flat(2);
const reshape3 = (v: Vec, like: T3): T3 => {
  let k = 0;
  return like.map((m) => m.map((r) => r.map(() => v[k++])));
};
const reshape2 = (v: Vec, like: Mat): Mat => {
  let k = 0;
  return like.map((r) => r.map(() => v[k++]));
};
const t3Of = (N: number, T: number, D: number, entry: fc.Arbitrary<number>) => fc.array(matrixOf(T, D, entry), { minLength: N, maxLength: N });
const intsOf = (N: number, T: number, V: number) => matrixOf(N, T, fc.integer({ min: 0, max: V - 1 }));
// small vocabularies (V ≤ 3) and at least two positions, so that words repeat
const embedArb = fc.record({ N: fc.integer({ min: 1, max: 2 }), T: fc.integer({ min: 2, max: 4 }), V: fc.integer({ min: 1, max: 3 }), D: fc.integer({ min: 1, max: 3 }) })
  .chain(({ N, T, V, D }) => fc.record({ x: intsOf(N, T, V), W: matrixOf(V, D, eighths(1)), dout: t3Of(N, T, D, eighths(2)), V: fc.constant(V) }));
const affineArb = fc.record({ N: fc.integer({ min: 1, max: 3 }), T: fc.integer({ min: 2, max: 4 }), D: fc.integer({ min: 1, max: 3 }), M: fc.integer({ min: 1, max: 3 }) })
  .chain(({ N, T, D, M }) => fc.record({ x: t3Of(N, T, D, eighths(1)), w: matrixOf(D, M, eighths(1)), b: vectorOf(M, eighths(1, { nonzero: true })), dout: t3Of(N, T, M, eighths(2, { nonzero: true })) }));
const lossArb = fc.record({ N: fc.integer({ min: 1, max: 3 }), T: fc.integer({ min: 1, max: 4 }), V: fc.integer({ min: 2, max: 4 }) })
  .chain(({ N, T, V }) => fc.record({ scores: t3Of(N, T, V, signed(0.01, 3)), y: intsOf(N, T, V), mask: matrixOf(N, T, fc.integer({ min: 0, max: 1 })) }));
const affineOut = (x: T3, w: Mat, b: Vec): T3 => x.map((seq) => seq.map((xt) => b.map((bm, m) => xt.reduce((a, xd, d) => a + xd * w[d][m], bm))));
interface AffineGrads {
  dx: T3;
  dw: Mat;
  db: Vec;
}

const embeddingChecks: Check[] = [
  example({
    id: 'M1.wordEmbeddingForward.example', exercise: 'wordEmbeddingForward', catalogue: 'M1',
    title: 'x = [[0, 2, 0]], W = [[1, 2], [3, 4], [5, 6]]: out = [[[1, 2], [5, 6], [1, 2]]], the rows of the words',
    hint: 'M1 (CS231n word_embedding_forward): out[n][t] = W[x[n][t]], one-hot(x)ᵀ W picks row x of W',
    args: [embeddingExample.input.x, embeddingExample.input.W],
    expected: embeddingExample.expected.out,
    tol: EXACT, // rows copied: nothing to round
    variants: { [MISTAKES.embedFirstWord]: [[[1, 2], [1, 2], [1, 2]]] },
  }),
  property({
    id: 'M1.wordEmbeddingForward.rows', exercise: 'wordEmbeddingForward', catalogue: 'M1', numRuns: 60,
    title: 'on random batches: out is N×T×D and out[n][t] is row x[n][t] of W',
    hint: 'M1: rows are examples, columns time steps: out[n][t] = W[x[n][t]]',
    arbitrary: embedArb,
    verify: async (c, s) => {
      const out = await s.call('wordEmbeddingForward', [c.x, c.W]);
      // a lookup copies the rows: nothing to round
      expectClose(out, c.x.map((row) => row.map((v) => c.W[v])), EXACT, callText('wordEmbeddingForward', [c.x, c.W]), { [MISTAKES.embedFirstWord]: c.x.map((row) => row.map(() => c.W[row[0]])) });
    },
  }),
];

const embedVariants = (dout: T3, x: Mat, V: number) => {
  const D = dout[0][0].length;
  const last: Mat = Array.from({ length: V }, () => new Array<number>(D).fill(0));
  const sum: Mat = Array.from({ length: V }, () => new Array<number>(D).fill(0));
  const count = new Array<number>(V).fill(0);
  x.forEach((row, n) => row.forEach((v, t) => {
    last[v] = dout[n][t].slice();
    count[v]++;
    dout[n][t].forEach((g, d) => (sum[v][d] += g));
  }));
  return { sum, variants: { [MISTAKES.embedOverwritten]: last, [MISTAKES.embedAveraged]: sum.map((r, v) => r.map((g) => (count[v] ? g / count[v] : 0))) } as Variants };
};
const embeddingBackwardChecks: Check[] = [
  example({
    id: 'M1.wordEmbeddingBackward.example', exercise: 'wordEmbeddingBackward', catalogue: 'M1',
    title: 'x = [[0, 2, 0]], dout = [[[1, 0], [0, 1], [2, 3]]], V = 3: dW = [[3, 3], [0, 0], [0, 1]] (word 0 twice: (1, 0) + (2, 3))',
    hint: 'M1 (CS231n word_embedding_backward, np.add.at): dW[v] += dout[n][t] for every position where x[n][t] = v',
    args: [embeddingExample.input.dout, embeddingExample.input.x, embeddingExample.input.V],
    expected: embeddingExample.expected.dW,
    tol: EXACT, // sums of small integers: exact
    variants: { [MISTAKES.embedOverwritten]: embeddingExample.overwritten, [MISTAKES.embedAveraged]: [[1.5, 1.5], [0, 0], [0, 1]] },
  }),
  property({
    id: 'M1.wordEmbeddingBackward.sum', exercise: 'wordEmbeddingBackward', catalogue: 'M1', numRuns: 60,
    title: 'on random batches with repeated words: dW[v] is the sum of dout[n][t] over the positions of word v, 0 for a word never used',
    hint: 'M1: a word used k times gets k gradients added, never the last one alone',
    arbitrary: embedArb,
    verify: async (c, s) => {
      const dW = await s.call('wordEmbeddingBackward', [c.dout, c.x, c.V]);
      const { sum, variants } = embedVariants(c.dout, c.x, c.V);
      // sums of ≤ 8 multiples of ⅛: exact in binary, any order
      expectClose(dW, sum, EXACT, callText('wordEmbeddingBackward', [c.dout, c.x, c.V]), variants);
    },
  }),
  property({
    id: 'M1.wordEmbeddingBackward.numeric', exercise: 'wordEmbeddingBackward', catalogue: 'M1', numRuns: 30,
    title: 'dW equals the numerical gradient in W of L = Σ dout ⊙ out of your wordEmbeddingForward',
    hint: 'M1: L is linear in W; each position adds dout[n][t] to the row it read',
    arbitrary: embedArb,
    verify: async (c, s) => {
      const dW = (await s.call('wordEmbeddingBackward', [c.dout, c.x, c.V])) as Mat;
      expectThat(isMatrix(dW, c.V, c.W[0].length), `wordEmbeddingBackward must return a ${c.V}×${c.W[0].length} matrix`, dW);
      const L = async (v: Vec) => dot(flat3((await s.call('wordEmbeddingForward', [c.x, reshape2(v, c.W)])) as T3), flat3(c.dout));
      expectClose(dW.flat(), await numericalGradient(L, c.W.flat()), NUMERIC, 'dW vs central differences of your wordEmbeddingForward', embedVariants(c.dout, c.x, c.V).variants);
    },
  }),
];

const affineChecks: Check[] = [
  example({
    id: 'M1.temporalAffineForward.example', exercise: 'temporalAffineForward', catalogue: 'M1',
    title: 'x = [[[1, 2], [3, −1]]], w = [[1, 0, 2], [0, 1, −1]], b = (1, 1, 1): out = [[[2, 3, 1], [4, 0, 8]]]',
    hint: 'M1 (CS231n temporal_affine_forward): out[n][t] = x[n][t] w + b at every step t',
    args: [temporalAffineExample.input.x, temporalAffineExample.input.w, temporalAffineExample.input.b],
    expected: temporalAffineExample.expected.out,
    tol: EXACT, // small integers
    variants: { [MISTAKES.biasDropped]: [[[1, 2, 0], [3, -1, 7]]], [MISTAKES.biasFirstStep]: [[[2, 3, 1], [3, -1, 7]]] },
  }),
  property({
    id: 'M1.temporalAffineForward.formula', exercise: 'temporalAffineForward', catalogue: 'M1', numRuns: 60,
    title: 'on random batches: out[n][t] = x[n][t] w + b, the same w and b at every step',
    hint: 'M1: the affine map of a dense layer, applied to each of the N·T rows',
    arbitrary: affineArb,
    verify: async (c, s) => {
      const out = await s.call('temporalAffineForward', [c.x, c.w, c.b]);
      const zero = c.b.map(() => 0);
      // ≤ 4 products of eighths: float64 rounding only
      expectClose(out, affineOut(c.x, c.w, c.b), FLOAT64, callText('temporalAffineForward', [c.x, c.w, c.b]), {
        [MISTAKES.biasDropped]: affineOut(c.x, c.w, zero),
        [MISTAKES.biasFirstStep]: c.x.map((seq) => seq.map((xt, t) => affineOut([[xt]], c.w, t === 0 ? c.b : zero)[0][0])),
      });
    },
  }),
];

const affineBackwardChecks: Check[] = [
  example({
    id: 'M1.temporalAffineBackward.example', exercise: 'temporalAffineBackward', catalogue: 'M1',
    title: 'the same x, w with dout = [[[1, 0, 1], [0, 2, 1]]]: dx = [[[3, −1], [2, 1]]], dw = [[1, 6, 4], [2, −2, 1]], db = (1, 2, 2)',
    hint: 'M1 (CS231n temporal_affine_backward): dx = w dout, dw = Σ_{n,t} x ᵀ dout, db = Σ_{n,t} dout (w and b are shared by every step)',
    args: [temporalAffineExample.input.dout, temporalAffineExample.input.x, temporalAffineExample.input.w],
    expected: { dx: temporalAffineExample.expected.dx, dw: temporalAffineExample.expected.dw, db: temporalAffineExample.expected.db },
    tol: EXACT, // small integers
    variants: { [MISTAKES.dbLastStep]: { dx: temporalAffineExample.expected.dx, dw: temporalAffineExample.expected.dw, db: temporalAffineExample.dbLastStep } },
  }),
  property({
    id: 'M1.temporalAffineBackward.numeric', exercise: 'temporalAffineBackward', catalogue: 'M1', numRuns: 25,
    title: 'dx, dw, db equal the numerical gradient of L = Σ dout ⊙ out of your temporalAffineForward',
    hint: 'M1: every step uses the same w and b, so their gradients are sums over all N·T rows',
    arbitrary: affineArb,
    verify: async (c, s) => {
      const g = (await s.call('temporalAffineBackward', [c.dout, c.x, c.w])) as AffineGrads;
      expectThat(isObject(g) && Array.isArray(g.dx) && isMatrix(g.dw, c.w.length, c.b.length) && isVector(g.db, c.b.length), `temporalAffineBackward must return { dx: N×T×D, dw: ${c.w.length}×${c.b.length}, db: [${c.b.length}] }`, g);
      const [nx, nw] = [flat3(c.x).length, c.w.flat().length];
      const L = async (v: Vec) => dot(flat3((await s.call('temporalAffineForward', [reshape3(v.slice(0, nx), c.x), reshape2(v.slice(nx, nx + nw), c.w), v.slice(nx + nw)])) as T3), flat3(c.dout));
      const right = [...flat3(c.x), ...c.w.flat(), ...c.b];
      expectClose([...flat3(g.dx), ...g.dw.flat(), ...g.db], await numericalGradient(L, right), NUMERIC, '[dx, dw, db] vs central differences of your temporalAffineForward');
    },
  }),
];

/** loss and dx of the masked temporal softmax loss at constant scores: every softmax is uniform, 1/V. */
const uniformLoss = (N: number, V: number, y: Mat, mask: Mat) => ({
  loss: (mask.flat().reduce((a, m) => a + m, 0) * Math.log(V)) / N,
  dx: y.map((row, n) => row.map((w, t) => Array.from({ length: V }, (_, v) => (mask[n][t] === 0 ? 0 : (1 / V - (v === w ? 1 : 0)) / N)))),
});
const lossChecks: Check[] = [
  example({
    id: 'M1.temporalSoftmaxLoss.example', exercise: 'temporalSoftmaxLoss', catalogue: 'M1',
    title: 'N = 2, T = 2, V = 2, every score 0, mask [[1, 1], [1, 0]]: loss = 3 ln 2 / 2, dx ±¼ at the three unmasked steps, 0 at the padded one',
    hint: 'M1 (CS231n temporal_softmax_loss): loss = −(1/N) Σ_{n,t} mask·log p_y; a padded step adds nothing; divide by N, not N·T nor the mask count',
    args: [temporalLossExample.input.scores, temporalLossExample.input.y, temporalLossExample.input.mask],
    expected: temporalLossExample.expected,
    tol: FLOAT64, // ln 2 computed through a softmax
    variants: {
      [MISTAKES.maskIgnored]: { loss: temporalLossExample.wrong.maskIgnored, dx: [[[-0.25, 0.25], [0.25, -0.25]], [[0.25, -0.25], [-0.25, 0.25]]] },
      [MISTAKES.byNT]: { loss: temporalLossExample.wrong.byNT, dx: temporalLossExample.expected.dx.map((m) => m.map((r) => r.map((v) => v / 2))) },
      [MISTAKES.byMaskCount]: { loss: temporalLossExample.wrong.byMaskCount, dx: temporalLossExample.expected.dx.map((m) => m.map((r) => r.map((v) => (v * 2) / 3))) },
      [MISTAKES.dxNotByN]: { loss: temporalLossExample.expected.loss, dx: temporalLossExample.expected.dx.map((m) => m.map((r) => r.map((v) => v * 2))) },
    },
  }),
  property({
    id: 'M1.temporalSoftmaxLoss.uniform', exercise: 'temporalSoftmaxLoss', catalogue: 'M1', numRuns: 60,
    title: 'with every score equal (each softmax 1/V): loss = (number of unmasked steps)·ln V / N and dx = mask·(1/V − one-hot(y))/N',
    hint: 'M1: the sum over time of the masked cross-entropies, divided by N, the number of examples',
    arbitrary: lossArb.chain((c) => fc.tuple(fc.constant(c), eighths(2))),
    verify: async ([c, k], s) => {
      const [N, T, V] = [c.scores.length, c.scores[0].length, c.scores[0][0].length];
      const scores = Array.from({ length: N }, () => Array.from({ length: T }, () => new Array<number>(V).fill(k)));
      const r = await s.call('temporalSoftmaxLoss', [scores, c.y, c.mask]);
      const count = c.mask.flat().reduce((a, m) => a + m, 0);
      const right = uniformLoss(N, V, c.y, c.mask);
      // a softmax and a log of equal numbers: float64 rounding only
      expectClose(r, right, FLOAT64, callText('temporalSoftmaxLoss', [scores, c.y, c.mask]), {
        [MISTAKES.maskIgnored]: uniformLoss(N, V, c.y, c.mask.map((row) => row.map(() => 1))),
        [MISTAKES.byNT]: { loss: right.loss / T, dx: right.dx.map((m) => m.map((v) => v.map((e) => e / T))) },
        ...(count > 0 ? { [MISTAKES.byMaskCount]: { loss: (right.loss * N) / count, dx: right.dx.map((m) => m.map((v) => v.map((e) => (e * N) / count))) } } : {}),
      });
    },
  }),
  property({
    id: 'M1.temporalSoftmaxLoss.mask', exercise: 'temporalSoftmaxLoss', catalogue: 'M1', numRuns: 60,
    title: 'a padded step (mask 0) contributes neither loss nor gradient: changing its scores and its word changes nothing, and its dx is 0',
    hint: 'M1: multiply each step\'s cross-entropy and its gradient by mask[n][t]',
    arbitrary: lossArb.filter((c) => c.mask.flat().includes(0)).chain((c) => fc.tuple(fc.constant(c), fc.nat(), signed(0.5, 3))),
    verify: async ([c, k, shift], s) => {
      const padded = c.mask.flatMap((row, n) => row.map((m, t) => [m, n, t] as const)).filter(([m]) => m === 0);
      const [, n, t] = padded[k % padded.length];
      const V = c.scores[0][0].length;
      const scores = c.scores.map((m, i) => m.map((r, j) => (i === n && j === t ? r.map((v, u) => v + (u === 0 ? shift : 0)) : r)));
      const y = c.y.map((row, i) => row.map((w, j) => (i === n && j === t ? (w + 1) % V : w)));
      const a = (await s.call('temporalSoftmaxLoss', [c.scores, c.y, c.mask])) as { loss: number; dx: T3 };
      const b = (await s.call('temporalSoftmaxLoss', [scores, y, c.mask])) as { loss: number; dx: T3 };
      expectThat(isObject(a) && Array.isArray(a.dx), 'temporalSoftmaxLoss must return { loss, dx }', a);
      // the padded step must not enter the sum at all: the same operations on the same numbers
      expectClose(b.loss, a.loss, FLOAT64, `the loss after changing the padded step [${n}][${t}] (mask 0)`);
      expectClose(a.dx[n][t], new Array<number>(V).fill(0), EXACT, `dx[${n}][${t}] at a padded step`);
    },
  }),
  property({
    id: 'M1.temporalSoftmaxLoss.numeric', exercise: 'temporalSoftmaxLoss', catalogue: 'M1', numRuns: 25,
    title: 'dx equals the numerical gradient of your own loss in the scores',
    hint: 'M1: ∂loss/∂scores[n][t] = mask[n][t]·(softmax(scores[n][t]) − one-hot(y[n][t]))/N',
    arbitrary: lossArb,
    verify: async (c, s) => {
      const r = (await s.call('temporalSoftmaxLoss', [c.scores, c.y, c.mask])) as { loss: number; dx: T3 };
      expectThat(isObject(r) && Array.isArray(r.dx), 'temporalSoftmaxLoss must return { loss, dx }', r);
      const L = async (v: Vec) => ((await s.call('temporalSoftmaxLoss', [reshape3(v, c.scores), c.y, c.mask])) as { loss: number }).loss;
      expectClose(flat3(r.dx), await numericalGradient(L, flat3(c.scores)), NUMERIC, 'dx vs central differences of your loss');
    },
  }),
];

// ---------------------------------------------------------------------------------------------
// M1, M2, batch form of the Elman RNN (rows = examples; W_x = W_hxᵀ, W_h = W_hhᵀ): written out here

type BAct = 'tanh' | 'sigmoid';
interface BParams {
  Wx: Mat;
  Wh: Mat;
  b: Vec;
}
/** the row x times W */
const rowTimes = (x: Vec, W: Mat): Vec => W[0].map((_, j) => x.reduce((a, v, k) => a + v * W[k][j], 0));
/** σ_h′ written in terms of the output a: 1 − a² or a(1 − a) */
const slopeOf = (act: BAct, a: number) => (act === 'tanh' ? 1 - a * a : a * (1 - a));
/** z = x W_x + hPrev W_h + b row by row, h = σ_h(z); `whT` puts W_hᵀ where W_h belongs */
const batchStepOf = (x: Mat, hPrev: Mat, p: BParams, act: BAct, { whT = false } = {}) => {
  const Wh = whT ? tr(p.Wh) : p.Wh;
  const z = x.map((xn, n) => {
    const hw = rowTimes(hPrev[n], Wh);
    return rowTimes(xn, p.Wx).map((v, j) => v + hw[j] + p.b[j]);
  });
  return { z, h: z.map((row) => row.map((v) => sigma(act, v))) };
};
/** the sequence on a batch; `start` chooses the states step t starts from (the wrong ones name mistakes) */
const batchSequenceOf = (x: T3, h0: Mat, p: BParams, act: BAct, start: (t: number, prev: Mat) => Mat = (_t, prev) => prev) => {
  const [N, T] = [x.length, x[0].length];
  const z: T3 = Array.from({ length: N }, () => []);
  const h: T3 = Array.from({ length: N }, () => []);
  let prev = h0;
  for (let t = 0; t < T; t++) {
    const s = batchStepOf(x.map((seq) => seq[t]), start(t, prev), p, act);
    s.z.forEach((row, n) => z[n].push(row));
    s.h.forEach((row, n) => h[n].push(row));
    prev = s.h;
  }
  return { z, h };
};
/** one step back for L = Σ dh ⊙ h; `atZ` takes σ_h′ from z with the formula in terms of h, `whUntransposed` dhPrev = δ W_h */
const batchStepGradsOf = (dh: Mat, x: Mat, hPrev: Mat, p: BParams, act: BAct, { atZ = false, whUntransposed = false } = {}) => {
  const { z, h } = batchStepOf(x, hPrev, p, act);
  const delta = dh.map((row, n) => row.map((v, j) => v * slopeOf(act, (atZ ? z : h)[n][j])));
  const tMul = (A: Mat, B: Mat): Mat => tr(A).map((col) => B[0].map((_, j) => col.reduce((a, v, n) => a + v * B[n][j], 0))); // Aᵀ B
  return {
    dx: delta.map((d) => p.Wx.map((row) => dot(row, d))),
    dhPrev: delta.map((d) => (whUntransposed ? tr(p.Wh) : p.Wh).map((row) => dot(row, d))),
    dWx: tMul(x, delta),
    dWh: tMul(hPrev, delta),
    db: p.b.map((_, j) => delta.reduce((a, row) => a + row[j], 0)),
  };
};
interface BStepGrads {
  dx: Mat;
  dhPrev: Mat;
  dWx: Mat;
  dWh: Mat;
  db: Vec;
}
interface BGrads {
  dx: T3;
  dh0: Mat;
  dWx: Mat;
  dWh: Mat;
  db: Vec;
}
const bActArb = fc.constantFrom<BAct>('tanh', 'sigmoid');
/** N ≤ 3 examples, D, H ≤ maxDim, T ≤ maxT; weights and inputs of magnitude [0.1, 1], dh multiples of ⅛ in [−2, 2] without 0 */
const batchArb = ({ maxDim = 3, maxT = 4, maxN = 3 } = {}) =>
  fc.record({ N: fc.integer({ min: 1, max: maxN }), D: fc.integer({ min: 1, max: maxDim }), H: fc.integer({ min: 1, max: maxDim }), T: fc.integer({ min: 1, max: maxT }), act: bActArb, omit: fc.boolean() }).chain((g) =>
    fc.record({
      g: fc.constant(g),
      x: t3Of(g.N, g.T, g.D, w),
      h0: matrixOf(g.N, g.H, w),
      params: fc.record({ Wx: matrixOf(g.D, g.H, w), Wh: matrixOf(g.H, g.H, w), b: vectorOf(g.H, w) }),
      dh: t3Of(g.N, g.T, g.H, eighths(2, { nonzero: true })),
    }),
  );
type BCase = typeof batchArb extends (...a: never[]) => fc.Arbitrary<infer C> ? C : never;
const bOpts = (c: BCase) => (c.g.omit && c.g.act === 'tanh' ? undefined : { activation: c.g.act });
const at = (a: T3, t: number): Mat => a.map((seq) => seq[t]);

async function batchStepCall(s: S, x: Mat, hPrev: Mat, p: BParams, o: { activation: BAct } | undefined) {
  const args = o === undefined ? [x, hPrev, p] : [x, hPrev, p, o];
  const r = await s.call('rnnStepBatch', args);
  const [N, H] = [x.length, p.b.length];
  expectThat(isObject(r) && isMatrix(r.z, N, H) && isMatrix(r.h, N, H) && isObject(r.cache), `${callText('rnnStepBatch', args)} must return { z: [${N}, ${H}], h: [${N}, ${H}], cache } of finite numbers`, r);
  return r as { z: Mat; h: Mat; cache: unknown };
}
async function batchStepBackCall(s: S, dh: Mat, cache: unknown, D: number, H: number) {
  const r = await s.call('rnnStepBatchBackward', [dh, cache]);
  const N = dh.length;
  const ok = isObject(r) && isMatrix(r.dx, N, D) && isMatrix(r.dhPrev, N, H) && isMatrix(r.dWx, D, H) && isMatrix(r.dWh, H, H) && isVector(r.db, H);
  expectThat(ok, `rnnStepBatchBackward(dh, cache) must return { dx: [${N}, ${D}], dhPrev: [${N}, ${H}], dWx: [${D}, ${H}] (the shape of W_x), dWh: [${H}, ${H}], db: [${H}] } of finite numbers`, r);
  return r as BStepGrads;
}
async function batchForwardCall(s: S, x: T3, h0: Mat, p: BParams, o: { activation: BAct } | undefined) {
  const args = o === undefined ? [x, h0, p] : [x, h0, p, o];
  const r = await s.call('rnnForwardBatch', args);
  const [N, T, H] = [x.length, x[0].length, p.b.length];
  const ok = isObject(r) && Array.isArray(r.h) && r.h.length === N && (r.h as unknown[]).every((m) => isMatrix(m, T, H)) && isObject(r.cache);
  expectThat(ok, `${callText('rnnForwardBatch', args)} must return { h: [${N}, ${T}, ${H}], cache } of finite numbers`, r);
  return r as { h: T3; cache: unknown };
}
async function batchBackCall(s: S, dh: T3, cache: unknown, D: number, H: number) {
  const r = await s.call('rnnBackwardBatch', [dh, cache]);
  const [N, T] = [dh.length, dh[0].length];
  const ok = isObject(r) && Array.isArray(r.dx) && r.dx.length === N && (r.dx as unknown[]).every((m) => isMatrix(m, T, D)) && isMatrix(r.dh0, N, H) && isMatrix(r.dWx, D, H) && isMatrix(r.dWh, H, H) && isVector(r.db, H);
  expectThat(ok, `rnnBackwardBatch(dh, cache) must return { dx: [${N}, ${T}, ${D}], dh0: [${N}, ${H}], dWx: [${D}, ${H}], dWh: [${H}, ${H}], db: [${H}] } of finite numbers`, r);
  return r as BGrads;
}
const packStep = (x: Mat, hPrev: Mat, p: BParams): Vec => [...x.flat(), ...hPrev.flat(), ...p.Wx.flat(), ...p.Wh.flat(), ...p.b];
const packStepGrads = (g: BStepGrads): Vec => [...g.dx.flat(), ...g.dhPrev.flat(), ...g.dWx.flat(), ...g.dWh.flat(), ...g.db];
const packSeq = (c: BCase): Vec => [...flat3(c.x), ...c.h0.flat(), ...c.params.Wx.flat(), ...c.params.Wh.flat(), ...c.params.b];
const packSeqGrads = (g: BGrads): Vec => [...flat3(g.dx), ...g.dh0.flat(), ...g.dWx.flat(), ...g.dWh.flat(), ...g.db];
function unpackSeq(v: Vec, c: BCase): { x: T3; h0: Mat; params: BParams } {
  let k = 0;
  const take = (n: number) => v.slice(k, (k += n));
  const rows = (r: number, m: number) => Array.from({ length: r }, () => take(m));
  const { N, T, D, H } = c.g;
  return { x: Array.from({ length: N }, () => rows(T, D)), h0: rows(N, H), params: { Wx: rows(D, H), Wh: rows(H, H), b: take(H) } };
}
/** L = Σ dh ⊙ h of the student's own rnnForwardBatch, as a function of everything packed */
const batchLossOf = (s: S, c: BCase) => async (v: Vec) => {
  const u = unpackSeq(v, c);
  const { h } = await batchForwardCall(s, u.x, u.h0, u.params, bOpts(c));
  return dot(flat3(h), flat3(c.dh));
};

const bs = elmanBatchStep;
const rnnStepBatchChecks: Check[] = [
  example({
    id: 'M1.rnnStepBatch.example', exercise: 'rnnStepBatch', catalogue: 'M1',
    title: 'the two-step example as one batch step, rows = (x^(1), h^(0)) and (x^(2), h^(1)), W_x = W_hxᵀ = I, W_h = W_hhᵀ = [[0, 0], [1, 0]]: z = [[0.1, −0.9], [tanh(−0.9), 0.35]], the notes\' z_h^(1), z_h^(2)',
    hint: 'M1 (batch form, CS231n rnn_step_forward): z = x W_x + hPrev W_h + b, rows times weights; W_h is W_hhᵀ, so hPrev W_h is row by row the notes\' W_hh h',
    args: [bs.input.x, bs.input.hPrev, bs.input.params],
    expected: { z: bs.expected.z, h: bs.expected.h },
    variants: { [MISTAKES.whTransposed]: bs.whTransposed },
  }),
  property({
    id: 'M1.rnnStepBatch.rows', exercise: 'rnnStepBatch', catalogue: 'M1', numRuns: 60,
    title: 'on random batches (N ≤ 3, D, H ≤ 4, tanh or sigmoid, options omitted or given): z = x W_x + hPrev W_h + b and h = σ_h(z) row by row, and the cache holds x, hPrev, params, the activation (default filled in), z and h',
    hint: 'M1: row n is the notes\' step of example n with W_hx = W_xᵀ, W_hh = W_hᵀ; rnnStepBatchBackward reads only the cache { x, hPrev, params, activation, z, h }',
    arbitrary: batchArb({ maxDim: 4, maxT: 1 }),
    verify: async (c, s) => {
      const [x, hPrev, o] = [at(c.x, 0), c.h0, bOpts(c)];
      const r = await batchStepCall(s, x, hPrev, c.params, o);
      const right = batchStepOf(x, hPrev, c.params, c.g.act);
      // a few products and one activation per entry: float64 rounding only
      expectClose(r, { ...right, cache: { x, hPrev, params: c.params, activation: c.g.act, ...right } }, FLOAT64, callText('rnnStepBatch', o === undefined ? [x, hPrev, c.params] : [x, hPrev, c.params, o]), {
        [MISTAKES.whTransposed]: batchStepOf(x, hPrev, c.params, c.g.act, { whT: true }),
        [MISTAKES.activationSwapped]: batchStepOf(x, hPrev, c.params, other(c.g.act)),
      });
    },
  }),
];

const rnnForwardBatchChecks: Check[] = [
  example({
    id: 'M1.rnnForwardBatch.example', exercise: 'rnnForwardBatch', catalogue: 'M1',
    title: 'the two-step example as a batch of one sequence (W_x = W_hxᵀ, W_h = W_hhᵀ): h = [[h^(1), h^(2)]] = [[[tanh 0.1, tanh(−0.9)], [tanh(tanh(−0.9)), tanh 0.35]]]',
    hint: 'M1 (batch form, CS231n rnn_forward): h[:, t] = σ_h(x[:, t] W_x + h[:, t − 1] W_h + b) from h0, the state carried from step to step',
    args: [[elmanTwoSteps.input.xs], [elmanTwoSteps.input.h0], bs.input.params],
    expected: { h: [ex.h] },
    variants: {
      [MISTAKES.h0Ignored]: { h: batchSequenceOf([elmanTwoSteps.input.xs], [[0, 0]], bs.input.params, 'tanh', (t, prev) => (t === 0 ? [[0, 0]] : prev)).h },
      [MISTAKES.notCarried]: { h: batchSequenceOf([elmanTwoSteps.input.xs], [elmanTwoSteps.input.h0], bs.input.params, 'tanh', () => [elmanTwoSteps.input.h0]).h },
    },
  }),
  property({
    id: 'M1.rnnForwardBatch.sequence', exercise: 'rnnForwardBatch', catalogue: 'M1', numRuns: 50,
    title: 'on random batches of sequences (N ≤ 3, T ≤ 5, tanh or sigmoid): h[n][t] follows the recurrence from h0[n], and the cache holds x, h0, params, the activation (default filled in), z and h',
    hint: 'M1: every example is its own sequence; rnnBackwardBatch reads only the cache { x, h0, params, activation, z, h }',
    arbitrary: batchArb({ maxT: 5 }),
    verify: async (c, s) => {
      const o = bOpts(c);
      const r = await batchForwardCall(s, c.x, c.h0, c.params, o);
      const right = batchSequenceOf(c.x, c.h0, c.params, c.g.act);
      // T steps of a few products each: float64 rounding only
      expectClose(r, { h: right.h, cache: { x: c.x, h0: c.h0, params: c.params, activation: c.g.act, ...right } }, FLOAT64, callText('rnnForwardBatch', o === undefined ? [c.x, c.h0, c.params] : [c.x, c.h0, c.params, o]), {
        [MISTAKES.h0Ignored]: { h: batchSequenceOf(c.x, c.h0, c.params, c.g.act, (t, prev) => (t === 0 ? prev.map((row) => row.map(() => 0)) : prev)).h },
        [MISTAKES.notCarried]: { h: batchSequenceOf(c.x, c.h0, c.params, c.g.act, () => c.h0).h },
        [MISTAKES.whTransposed]: { h: batchSequenceOf(c.x, c.h0, { ...c.params, Wh: tr(c.params.Wh) }, c.g.act).h },
      });
    },
  }),
];

const bb = elmanBatchBackwardStep;
const rnnStepBatchBackwardChecks: Check[] = [
  example({
    id: 'M2.rnnStepBatchBackward.example', exercise: 'rnnStepBatchBackward', catalogue: 'M2',
    title: 'a step at z = 0 (tanh′ = 1, δ = dh = [(1), (2)]), N = 2, D = 2, H = 1: dx = δ W_xᵀ = [(0.5, 0.25), (1, 0.5)], dhPrev = [(0.5), (1)], dW_x = xᵀδ = [(5), (6)] (D×H), dW_h = (1), db = (3)',
    hint: 'M2 (batch form, CS231n rnn_step_backward): δ = dh ⊙ σ_h′; dW_x = xᵀ δ has the shape of W_x [D, H], dW_h = hPrevᵀ δ, db sums δ over the rows, dx = δ W_xᵀ, dhPrev = δ W_hᵀ',
    args: [bb.input.dh, bb.input.cache],
    expected: bb.expected,
    variants: { [MISTAKES.dWxNotesLayout]: { dWx: bb.dWxUntransposed } },
  }),
  property({
    id: 'M2.rnnStepBatchBackward.numeric', exercise: 'rnnStepBatchBackward', catalogue: 'M2', numRuns: 25,
    title: 'dx, dhPrev, dW_x, dW_h, db equal the numerical gradient of L = Σ dh ⊙ h of your rnnStepBatch (random batches, tanh or sigmoid)',
    hint: 'M2: δ = dh ⊙ σ_h′ with σ_h′ from the output (1 − h², h(1 − h)), then the affine map\'s gradients',
    arbitrary: batchArb({ maxT: 1 }),
    verify: async (c, s) => {
      const [x, hPrev, dh, o] = [at(c.x, 0), c.h0, at(c.dh, 0), bOpts(c)];
      const { cache } = await batchStepCall(s, x, hPrev, c.params, o);
      const g = await batchStepBackCall(s, dh, cache, c.g.D, c.g.H);
      const H = c.g.H;
      const L = async (v: Vec) => {
        const u = unpackSeq(v, { ...c, g: { ...c.g, T: 1 } }); // packStep's order is packSeq's with T = 1
        return dot((await batchStepCall(s, at(u.x, 0), u.h0, u.params, o)).h.flat(), dh.flat());
      };
      const wrong = (k: Parameters<typeof batchStepGradsOf>[5]) => packStepGrads(batchStepGradsOf(dh, x, hPrev, c.params, c.g.act, k));
      expectClose(packStepGrads(g), await numericalGradient(L, packStep(x, hPrev, c.params)), NUMERIC, `[dx, dhPrev, dWx, dWh, db] vs central differences of your rnnStepBatch (H = ${H})`, {
        [MISTAKES.slopeAtZ]: wrong({ atZ: true }),
        [MISTAKES.dhPrevUntransposed]: wrong({ whUntransposed: true }),
      });
    },
  }),
];

const bf = elmanBatchFixedPoint;
const rnnBackwardBatchChecks: Check[] = [
  example({
    id: 'M2.rnnBackwardBatch.example', exercise: 'rnnBackwardBatch', catalogue: 'M2',
    title: 'BPTT at the zero fixed point as a batch of one (T = 3, W_h = ½, dh = 1 at every step): db = 1 + 1.5 + 1.75 = 4.25, dh0 = ½ + ¼ + ⅛ = 0.875, dx = [1.75, 1.5, 1]',
    hint: 'M2 (batch form, CS231n rnn_backward): carry ∂L/∂h back from t = T to 1, add dh[:, t] at each step, sum every weight gradient over t; what is left at the start is dh0',
    args: [bf.input.dh, bf.input.cache],
    expected: bf.expected,
    variants: { [MISTAKES.notAccumulated]: bf.notAccumulated, [MISTAKES.h0Dropped]: { dh0: [[0]] } },
  }),
  property({
    id: 'M2.rnnBackwardBatch.numeric', exercise: 'rnnBackwardBatch', catalogue: 'M2', numRuns: 10,
    title: 'every gradient (dx, dh0, dW_x, dW_h, db) equals the numerical gradient of L = Σ dh ⊙ h of your rnnForwardBatch (N ≤ 2, D, H ≤ 2, T ≤ 3)',
    hint: 'M2: δ_t = (dh[:, t] + δ_(t+1) W_hᵀ) ⊙ σ_h′; dW_x = Σ_t x_tᵀ δ_t, dW_h = Σ_t h_(t−1)ᵀ δ_t, db = Σ_t Σ_n δ_t; dh0 = δ_1 W_hᵀ',
    arbitrary: batchArb({ maxDim: 2, maxT: 3, maxN: 2 }),
    verify: async (c, s) => {
      const { cache } = await batchForwardCall(s, c.x, c.h0, c.params, bOpts(c));
      const g = await batchBackCall(s, c.dh, cache, c.g.D, c.g.H);
      expectClose(packSeqGrads(g), await numericalGradient(batchLossOf(s, c), packSeq(c)), NUMERIC, 'every gradient, packed as [dx, dh0, dWx, dWh, db], vs central differences of your rnnForwardBatch');
    },
  }),
  property({
    id: 'M2.rnnBackwardBatch.directional', exercise: 'rnnBackwardBatch', catalogue: 'M2', numRuns: 25,
    title: 'along random directions v of the inputs, h0 and the weights: vᵀ∇L equals the directional derivative of L = Σ dh ⊙ h of your rnnForwardBatch (N ≤ 3, D, H ≤ 4, T ≤ 6)',
    hint: 'M2: a directional check (S3): every gradient enters vᵀ∇L, so any one that is wrong shows',
    arbitrary: batchArb({ maxDim: 4, maxT: 6 }).chain((c) => fc.tuple(fc.constant(c), direction(packSeq(c).length))),
    verify: async ([c, v], s) => {
      const { cache } = await batchForwardCall(s, c.x, c.h0, c.params, bOpts(c));
      const g = await batchBackCall(s, c.dh, cache, c.g.D, c.g.H);
      expectClose(dot(packSeqGrads(g), v), await directionalDerivative(batchLossOf(s, c), packSeq(c), v), NUMERIC, 'vᵀ∇L vs (L(θ + hv) − L(θ − hv))/2h of your rnnForwardBatch');
    },
  }),
];

export const recurrent: FamilyGrader = {
  id: 'M',
  module: 'recurrent',
  title: 'Recurrent networks',
  exercises: [
    { name: 'rnnStep', catalogue: 'M1', arity: 4, summary: 'one Elman step: z_h = W_hx x + W_hh h + b_h, h = σ_h(z_h), y = σ_y(W_yh h + b_y)' },
    { name: 'rnnForward', catalogue: 'M1', arity: 4, summary: 'the Elman RNN over a sequence from h^(0), many-to-many or many-to-one, with its cache' },
    { name: 'rnnBackward', catalogue: 'M2', arity: 3, summary: 'BPTT of L = Σ_t dy^(t)·y^(t): every weight, h^(0) and x^(t), full or truncated to k steps' },
    { name: 'stepJacobians', catalogue: 'M3', arity: 1, summary: 'J_t = ∂h^(t)/∂h^(t−1) = diag(σ_h′(z_h^(t))) W_hh' },
    { name: 'jacobianProduct', catalogue: 'M3', arity: 3, summary: '∂h^(t)/∂h^(k) = J_t … J_(k+1)' },
    { name: 'clipGradientNorm', catalogue: 'M3', arity: 2, summary: 'scale all gradients by maxNorm/‖g‖ when their global norm exceeds maxNorm' },
    { name: 'lstmStep', catalogue: 'M4', arity: 4, summary: 'one LSTM step: gates f, i, o and candidate C̃ over [h, x], C = f ⊙ C + i ⊙ C̃, h = o ⊙ tanh C' },
    { name: 'lstmForward', catalogue: 'M4', arity: 4, summary: 'the LSTM over a sequence from h^(0), C^(0), with its cache' },
    { name: 'lstmBackward', catalogue: 'M4', arity: 2, summary: 'BPTT through the LSTM for L = Σ_t dh^(t)·h^(t): every gate\'s W and b, h^(0), C^(0) and x^(t)' },
    { name: 'peepholeLstmStep', catalogue: 'M5', arity: 4, summary: 'one peephole LSTM step: f, i over [C^(t−1), h, x], o over [C^(t), h, x], C̃ over [h, x]' },
    { name: 'peepholeLstmForward', catalogue: 'M5', arity: 4, summary: 'the peephole LSTM over a sequence from h^(0), C^(0), with its cache' },
    { name: 'peepholeLstmBackward', catalogue: 'M5', arity: 2, summary: 'BPTT through the peephole LSTM for L = Σ_t dh^(t)·h^(t), the peepholes\' paths into the cell included' },
    { name: 'gruStep', catalogue: 'M6', arity: 3, summary: 'one GRU step: z, r over [h, x], h̃ = tanh(W[r ⊙ h, x]), h = (1 − z) ⊙ h + z ⊙ h̃' },
    { name: 'gruForward', catalogue: 'M6', arity: 3, summary: 'the GRU over a sequence from h^(0), with its cache' },
    { name: 'gruBackward', catalogue: 'M6', arity: 2, summary: 'BPTT through the GRU for L = Σ_t dh^(t)·h^(t): W_z, W_r, W, the biases, h^(0) and x^(t)' },
    { name: 'wordEmbeddingForward', catalogue: 'M1', arity: 2, summary: 'batch form: out[n][t] = W[x[n][t]], one-hot(x) times W' },
    { name: 'wordEmbeddingBackward', catalogue: 'M1', arity: 3, summary: 'dW[v] = the sum of dout[n][t] over the positions of word v (repeated words add)' },
    { name: 'temporalAffineForward', catalogue: 'M1', arity: 3, summary: 'batch form: out[n][t] = x[n][t] w + b at every step' },
    { name: 'temporalAffineBackward', catalogue: 'M1', arity: 3, summary: 'dx = w dout, dw and db summed over examples and time' },
    { name: 'temporalSoftmaxLoss', catalogue: 'M1', arity: 3, summary: 'masked softmax cross-entropy summed over time, divided by N, and its gradient' },
    { name: 'rnnStepBatch', catalogue: 'M1', arity: 4, summary: 'batch form: z = x W_x + hPrev W_h + b, h = σ_h(z), rows = examples, with its cache' },
    { name: 'rnnStepBatchBackward', catalogue: 'M2', arity: 2, summary: 'batch form: dx, dhPrev, dW_x, dW_h, db of one step for L = Σ dh ⊙ h' },
    { name: 'rnnForwardBatch', catalogue: 'M1', arity: 4, summary: 'batch form: the Elman RNN over N sequences [N, T, D] from h0 [N, H], with its cache' },
    { name: 'rnnBackwardBatch', catalogue: 'M2', arity: 2, summary: 'batch form: BPTT of L = Σ dh ⊙ h: dx, dh0, and dW_x, dW_h, db summed over time' },
  ],
  checks: [...rnnStepChecks, ...rnnForwardChecks, ...rnnBackwardChecks, ...stepJacobiansChecks, ...jacobianProductChecks, ...clipChecks, ...lstmStepChecks, ...lstmForwardChecks, ...lstmBackwardChecks, ...peepholeStepChecks, ...peepholeForwardChecks, ...peepholeBackwardChecks, ...gruStepChecks, ...gruForwardChecks, ...gruBackwardChecks, ...embeddingChecks, ...embeddingBackwardChecks, ...affineChecks, ...affineBackwardChecks, ...lossChecks, ...rnnStepBatchChecks, ...rnnStepBatchBackwardChecks, ...rnnForwardBatchChecks, ...rnnBackwardBatchChecks],
};
