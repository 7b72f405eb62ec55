/**
 * Family E (regularisation): hidden differential checks, student vs reference on random inputs
 * in strata. Instructor side only.
 *
 * Random doubles rarely land where these functions go wrong, so inputs are drawn in strata:
 * one example (n = 1, where a missing 1/n hides) and many; weights exactly 0 (the L1 kink);
 * λ = 0; keep probabilities 1, ½ and small; huge and zero activations; gradients and rows whose
 * norm is exactly c, and entries exactly ±c; validation curves with plateaus (ties) and a
 * patience longer than the curve. Every check names the mistakes of the public ones, built here
 * by running the reference with the wrong convention (λ/2 for the missing factor 2, λ·n for a
 * missing 1/n, the inverted form for the notes' …).
 */
import fc from 'fast-check';
import * as ref from '../../reference/regularization.ts';
import { differential } from '../engine/checks.ts';
import { scaled, transposed, type Variants } from '../engine/diagnose.ts';
import type { Check } from '../engine/types.ts';
import { uniform } from '../losses.grader.ts';
import { MISTAKES, misrule } from '../regularization.grader.ts';

type Vec = number[];
type Mat = number[][];

const sum = (v: Vec) => v.reduce((a, b) => a + b, 0);
const add = (a: Vec, b: Vec) => a.map((x, i) => x + b[i]);
const sub = (a: Vec, b: Vec) => a.map((x, i) => x - b[i]);
const mapM = (a: Mat, f: (x: number, i: number, j: number) => number) => a.map((row, i) => row.map((x, j) => f(x, i, j)));
const norm = (v: Vec) => Math.hypot(...v);

// ---------------------------------------------------------------------------------------------
// Strata

/** A nonzero number of size in [lo, hi] with either sign (shrinking keeps it meaningful: never 1e−300). */
const signed = (lo: number, hi: number) => fc.tuple(fc.boolean(), uniform({ min: lo, max: hi })).map(([neg, m]) => (neg ? -m : m));
/** A value: moderate, large, or a round number (0 included: exact zeros come from here only). */
const value = (big: number) =>
  fc.oneof(
    { weight: 4, arbitrary: signed(0.01, 5) },
    { weight: 1, arbitrary: signed(1, big) },
    { weight: 1, arbitrary: fc.constantFrom(0, 1, -1, 0.5, -2) },
  );
const lossValue = fc.oneof({ weight: 4, arbitrary: uniform({ min: 0, max: 5 }) }, { weight: 1, arbitrary: uniform({ min: 0, max: 1000 }) }, { weight: 1, arbitrary: fc.constant(0) });
const lambda = fc.oneof({ weight: 4, arbitrary: uniform({ min: 0, max: 5 }) }, { weight: 1, arbitrary: fc.constantFrom(0, 1, 0.01, 100) });
const examples = fc.oneof(fc.constant(1), fc.integer({ min: 2, max: 10 }));
const weights = fc.array(value(100), { minLength: 1, maxLength: 8 });
const seed = fc.oneof(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), fc.constantFrom(0, 1, 42, -1));
const keep = fc.oneof({ weight: 4, arbitrary: uniform({ min: 0.05, max: 1 }) }, { weight: 1, arbitrary: fc.constantFrom(1, 0.5, 0.9, 0.1) });
const mode = fc.constantFrom<ref.Mode>('train', 'test');

/** An r × c matrix (r, c ≤ 6) of `entry`. */
const matrixOf = (entry: fc.Arbitrary<number>) =>
  fc.tuple(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 6 })).chain(([r, c]) => fc.array(fc.array(entry, { minLength: c, maxLength: c }), { minLength: r, maxLength: r }));

const costInput = fc.tuple(examples.chain((n) => fc.array(lossValue, { minLength: n, maxLength: n })), weights, lambda);
const gradInput = fc.tuple(weights, examples, lambda).chain(([w, n, lam]) =>
  fc.tuple(fc.array(fc.array(value(100), { minLength: w.length, maxLength: w.length }), { minLength: n, maxLength: n }), fc.constant(w), fc.constant(lam)),
);

// ---------------------------------------------------------------------------------------------
// E1, E2

/** cost + (n − 1)·mean(L): the data term summed instead of averaged. */
const summedData = (cost: number, L: Vec) => cost + (L.length - 1) * (sum(L) / L.length);

const costChecks: Check[] = [
  differential({
    id: 'E1.l2RegularizedCost.reference', exercise: 'l2RegularizedCost', catalogue: 'E1',
    title: 'l2RegularizedCost matches the reference (n = 1 … 10, λ = 0 included, |w| ≤ 100)', hint: 'E1: (1/n)ΣL_i + (λ/n)Σw_j²',
    arbitrary: costInput, args: ([L, w, lam]) => [L, w, lam], expected: ([L, w, lam]) => ref.l2RegularizedCost(L, w, lam),
    variants: ([L, w, lam]) => ({
      [MISTAKES.penaltyNoN]: ref.l2RegularizedCost(L, w, lam * L.length),
      [MISTAKES.half]: ref.l2RegularizedCost(L, w, lam / 2),
      [MISTAKES.dataSum]: summedData(ref.l2RegularizedCost(L, w, lam), L),
      [MISTAKES.normNotSquared]: ref.l2RegularizedCost(L, [Math.sqrt(norm(w))], lam),
    }),
  }),
  differential({
    id: 'E2.l1RegularizedCost.reference', exercise: 'l1RegularizedCost', catalogue: 'E2',
    title: 'l1RegularizedCost matches the reference (n = 1 … 10, λ = 0 and w_j = 0 included)', hint: 'E2: (1/n)ΣL_i + (λ/n)Σ|w_j|',
    arbitrary: costInput, args: ([L, w, lam]) => [L, w, lam], expected: ([L, w, lam]) => ref.l1RegularizedCost(L, w, lam),
    variants: ([L, w, lam]) => ({
      [MISTAKES.penaltyNoN]: ref.l1RegularizedCost(L, w, lam * L.length),
      [MISTAKES.dataSum]: summedData(ref.l1RegularizedCost(L, w, lam), L),
    }),
  }),
];

const gradChecks: Check[] = [
  differential({
    id: 'E1.l2RegularizedCostGrad.reference', exercise: 'l2RegularizedCostGrad', catalogue: 'E1',
    title: 'l2RegularizedCostGrad matches the reference (n = 1 … 10, λ = 0 included)', hint: 'E1: (1/n)Σ∇L_i + (2λ/n)w',
    arbitrary: gradInput, args: ([G, w, lam]) => [G, w, lam], expected: ([G, w, lam]) => ref.l2RegularizedCostGrad(G, w, lam),
    variants: ([G, w, lam]): Variants => {
      const data = ref.l2RegularizedCostGrad(G, w, 0);
      const right = ref.l2RegularizedCostGrad(G, w, lam);
      return {
        // (2·(λ/2)/n)w = (λ/n)w
        [MISTAKES.l2Two]: ref.l2RegularizedCostGrad(G, w, lam / 2),
        [MISTAKES.penaltyNoN]: ref.l2RegularizedCostGrad(G, w, lam * G.length),
        [MISTAKES.dataSum]: add(right, scaled(data, G.length - 1)),
        [MISTAKES.penaltySign]: sub(data, sub(right, data)),
      };
    },
  }),
  differential({
    id: 'E2.l1RegularizedCostGrad.reference', exercise: 'l1RegularizedCostGrad', catalogue: 'E2',
    title: 'l1RegularizedCostGrad matches the reference (w_j = 0 and λ = 0 included)', hint: 'E2: (1/n)Σ∇L_i + (λ/n)sign(w), sign(0) = 0',
    arbitrary: gradInput, args: ([G, w, lam]) => [G, w, lam], expected: ([G, w, lam]) => ref.l1RegularizedCostGrad(G, w, lam),
    variants: ([G, w, lam]) => ({
      // sign(0) = ±1: the reference at w with its zeros nudged to ±1e−300
      [MISTAKES.l1Sign0]: ref.l1RegularizedCostGrad(G, w.map((x) => (x === 0 ? 1e-300 : x)), lam),
      [MISTAKES.l1Sign0Neg]: ref.l1RegularizedCostGrad(G, w.map((x) => (x === 0 ? -1e-300 : x)), lam),
      // (λ/n)w is the L2 gradient with λ/2
      [MISTAKES.l1W]: ref.l2RegularizedCostGrad(G, w, lam / 2),
      [MISTAKES.penaltyNoN]: ref.l1RegularizedCostGrad(G, w, lam * G.length),
    }),
  }),
];

// ---------------------------------------------------------------------------------------------
// E3

const maskInput = fc.tuple(fc.integer({ min: 1, max: 8 }), fc.integer({ min: 1, max: 8 }), keep, seed);
const activations = matrixOf(value(1000));
const forwardInput = fc.tuple(activations, keep, mode, seed);

const notesOut = (a: Mat, p: number, m: ref.Mode, s: number) => ref.dropoutForward(a, p, m, s).out;
const invertedOut = (a: Mat, p: number, m: ref.Mode, s: number) => ref.invertedDropoutForward(a, p, m, s).out;
/** a ⊙ (1 − m) [/ p]: the units kept by u ≥ p, i.e. p taken as the drop probability. */
const dropped = (a: Mat, p: number, s: number, inverted: boolean) => {
  const m = ref.dropoutMask(a.length, a[0].length, p, s);
  return mapM(a, (x, i, j) => (x * (1 - m[i][j])) / (inverted ? p : 1));
};

const forwardChecks: Check[] = [
  differential({
    id: 'E3.dropoutMask.reference', exercise: 'dropoutMask', catalogue: 'E3',
    title: 'dropoutMask matches the reference mask for the same seed (p = 1, ½ and small included)', hint: 'E3: m_ij = [u_ij < p], u from createRandom(seed), row by row',
    arbitrary: maskInput, args: ([r, c, p, s]) => [r, c, p, s], expected: ([r, c, p, s]) => ref.dropoutMask(r, c, p, s),
    variants: ([r, c, p, s]) => ({
      [MISTAKES.keepAsDrop]: ref.dropoutMask(r, c, p, s).map((row) => row.map((m) => 1 - m)),
      [MISTAKES.columnOrder]: transposed(ref.dropoutMask(c, r, p, s)),
    }),
  }),
  differential({
    id: 'E3.dropoutForward.reference', exercise: 'dropoutForward', catalogue: 'E3',
    title: "dropoutForward matches the reference in both modes (|a| ≤ 1000, p = 1 included)", hint: "E3: train a ⊙ m (no rescaling), test p·a",
    arbitrary: forwardInput, args: ([a, p, m, s]) => [a, p, m, s], expected: ([a, p, m, s]) => ref.dropoutForward(a, p, m, s),
    variants: ([a, p, m, s]): Variants =>
      m === 'train'
        ? {
            [MISTAKES.notesScaledAtTrain]: { out: mapM(notesOut(a, p, m, s), (x) => p * x) },
            [MISTAKES.notesInvertedAtTrain]: { out: invertedOut(a, p, m, s) },
            [MISTAKES.keepAsDrop]: { out: dropped(a, p, s, false) },
            [MISTAKES.maskIgnored]: { out: a },
          }
        : {
            [MISTAKES.notesTestUnscaled]: { out: invertedOut(a, p, m, s) },
            [MISTAKES.notesTestInverse]: { out: mapM(a, (x) => x / p) },
            [MISTAKES.oneMinusP]: { out: mapM(a, (x) => (1 - p) * x) },
            [MISTAKES.testMasked]: { out: notesOut(a, p, 'train', s) },
          },
  }),
  differential({
    id: 'E3.invertedDropoutForward.reference', exercise: 'invertedDropoutForward', catalogue: 'E3',
    title: 'invertedDropoutForward matches the reference in both modes (|a| ≤ 1000, p = 1 included)', hint: 'E3: train a ⊙ m / p, test a',
    arbitrary: forwardInput, args: ([a, p, m, s]) => [a, p, m, s], expected: ([a, p, m, s]) => ref.invertedDropoutForward(a, p, m, s),
    variants: ([a, p, m, s]): Variants =>
      m === 'train'
        ? {
            [MISTAKES.invTrainUnscaled]: { out: notesOut(a, p, m, s) },
            [MISTAKES.invTrainTimesP]: { out: mapM(notesOut(a, p, m, s), (x) => p * x) },
            [MISTAKES.keepAsDrop]: { out: dropped(a, p, s, true) },
            [MISTAKES.maskIgnored]: { out: mapM(a, (x) => x / p) },
          }
        : {
            [MISTAKES.invTestNotes]: { out: notesOut(a, p, m, s) },
            [MISTAKES.invTestScaled]: { out: mapM(a, (x) => x / p) },
            [MISTAKES.testMasked]: { out: invertedOut(a, p, 'train', s) },
          },
  }),
];

/** dout and the cache of the reference forward on an a of the same shape (train: the seeded mask; test: null). */
const backwardInput = fc.tuple(activations, keep, mode, seed).chain(([a, p, m, s]) =>
  fc.tuple(fc.array(fc.array(value(1000), { minLength: a[0].length, maxLength: a[0].length }), { minLength: a.length, maxLength: a.length }), fc.constant(ref.dropoutForward(a, p, m, s).cache)),
);

const backwardChecks: Check[] = [
  differential({
    id: 'E3.dropoutBackward.reference', exercise: 'dropoutBackward', catalogue: 'E3',
    title: "dropoutBackward matches the reference for the forward's cache in both modes", hint: 'E3: train dout ⊙ m, test p·dout',
    arbitrary: backwardInput, args: ([dout, cache]) => [dout, cache], expected: ([dout, cache]) => ref.dropoutBackward(dout, cache),
    variants: ([dout, cache]): Variants => {
      const { p } = cache;
      const right = ref.dropoutBackward(dout, cache);
      return cache.mode === 'train'
        ? {
            [MISTAKES.notesScaledAtTrain]: mapM(right, (g) => p * g),
            [MISTAKES.notesInvertedAtTrain]: ref.invertedDropoutBackward(dout, cache),
            [MISTAKES.maskIgnored]: dout,
          }
        : {
            [MISTAKES.notesTestUnscaled]: ref.invertedDropoutBackward(dout, cache),
            [MISTAKES.notesTestInverse]: mapM(dout, (g) => g / p),
            [MISTAKES.oneMinusP]: mapM(dout, (g) => (1 - p) * g),
          };
    },
  }),
  differential({
    id: 'E3.invertedDropoutBackward.reference', exercise: 'invertedDropoutBackward', catalogue: 'E3',
    title: "invertedDropoutBackward matches the reference for the forward's cache in both modes", hint: 'E3: train dout ⊙ m / p, test dout',
    arbitrary: backwardInput, args: ([dout, cache]) => [dout, cache], expected: ([dout, cache]) => ref.invertedDropoutBackward(dout, cache),
    variants: ([dout, cache]): Variants => {
      const { p } = cache;
      return cache.mode === 'train'
        ? {
            [MISTAKES.invTrainUnscaled]: ref.dropoutBackward(dout, cache),
            [MISTAKES.invTrainTimesP]: mapM(ref.dropoutBackward(dout, cache), (g) => p * g),
            [MISTAKES.maskIgnored]: mapM(dout, (g) => g / p),
          }
        : {
            [MISTAKES.invTestNotes]: ref.dropoutBackward(dout, cache),
            [MISTAKES.invTestScaled]: mapM(dout, (g) => g / p),
          };
    },
  }),
];

// ---------------------------------------------------------------------------------------------
// E4, E5

const threshold = fc.oneof(uniform({ min: 0.01, max: 20 }), fc.constantFrom(1, 5));
/** g anywhere, g with ‖g‖ = c exactly (c computed from g), or 0; entries ±c exactly. */
const clipInput = fc.oneof(
  { weight: 4, arbitrary: fc.tuple(weights, threshold) },
  { weight: 1, arbitrary: weights.map((g): [Vec, number] => [g, norm(g) || 1]) },
  { weight: 1, arbitrary: fc.tuple(fc.array(fc.constant(0), { minLength: 1, maxLength: 4 }), threshold) },
  { weight: 1, arbitrary: fc.tuple(fc.array(fc.constantFrom(1, -1, 0.5), { minLength: 1, maxLength: 6 }), threshold).map(([signs, c]): [Vec, number] => [signs.map((x) => (Math.abs(x) === 1 ? x * c : x)), c]) },
);

/** W with rows anywhere, rows of norm exactly c (c = the first row's norm), and zero rows. */
const maxNormInput = fc.oneof(
  { weight: 3, arbitrary: fc.tuple(matrixOf(value(100)), threshold) },
  { weight: 1, arbitrary: matrixOf(value(10)).map((W): [Mat, number] => [W, norm(W[0]) || 1]) },
  { weight: 1, arbitrary: fc.tuple(matrixOf(fc.oneof(fc.constant(0), signed(0.01, 2))), threshold) },
);

const clipChecks: Check[] = [
  differential({
    id: 'E4.clipByNorm.reference', exercise: 'clipByNorm', catalogue: 'E4',
    title: 'clipByNorm matches the reference (‖g‖ = c exactly and g = 0 included)', hint: 'E4: g·c/‖g‖ when ‖g‖ > c, else g',
    arbitrary: clipInput, args: ([g, c]) => [g, c], expected: ([g, c]) => ref.clipByNorm(g, c),
    variants: ([g, c]) => ({
      [MISTAKES.byValue]: ref.clipByValue(g, c),
      [MISTAKES.alwaysRescaled]: norm(g) > 0 ? scaled(g, c / norm(g)) : g,
      [MISTAKES.squaredNorm]: norm(g) > c ? scaled(g, c / norm(g) ** 2) : g,
    }),
  }),
  differential({
    id: 'E4.clipByValue.reference', exercise: 'clipByValue', catalogue: 'E4',
    title: 'clipByValue matches the reference (entries exactly ±c included)', hint: 'E4: min(c, max(−c, g_i))',
    arbitrary: clipInput, args: ([g, c]) => [g, c], expected: ([g, c]) => ref.clipByValue(g, c),
    variants: ([g, c]) => ({ [MISTAKES.byNorm]: ref.clipByNorm(g, c), [MISTAKES.clampAtZero]: g.map((x) => Math.min(c, Math.max(0, x))) }),
  }),
  differential({
    id: 'E5.maxNorm.reference', exercise: 'maxNorm', catalogue: 'E5',
    title: 'maxNorm matches the reference (rows of norm exactly c and zero rows included)', hint: 'E5: each row w_j·c/‖w_j‖ when ‖w_j‖ > c',
    arbitrary: maxNormInput, args: ([W, c]) => [W, c], expected: ([W, c]) => ref.maxNorm(W, c),
    variants: ([W, c]) => {
      const cols = W[0].length;
      const whole = ref.maxNorm([W.flat()], c)[0];
      return {
        [MISTAKES.columns]: transposed(ref.maxNorm(transposed(W), c)),
        [MISTAKES.frobenius]: W.map((_, i) => whole.slice(i * cols, (i + 1) * cols)),
      };
    },
  }),
];

// ---------------------------------------------------------------------------------------------
// E6

/** Validation curves: plateaus from a few levels (ties), smooth U shapes with noise, and patience up to past the end. */
const curve = fc.oneof(
  fc.array(fc.integer({ min: 0, max: 5 }).map((k) => k / 5), { minLength: 1, maxLength: 25 }),
  fc.tuple(fc.integer({ min: 3, max: 30 }), fc.integer({ min: 0, max: 30 }), fc.array(uniform({ min: -0.05, max: 0.05 }), { minLength: 30, maxLength: 30 })).map(([n, bottom, noise]) =>
    Array.from({ length: n }, (_, e) => 0.2 + 0.01 * (e - bottom) ** 2 + noise[e]),
  ),
);

const stopChecks: Check[] = [
  differential({
    id: 'E6.earlyStopping.reference', exercise: 'earlyStopping', catalogue: 'E6',
    title: 'earlyStopping matches the reference on plateaus (ties) and noisy U-shaped curves, patience 1 … 12', hint: 'E6: strict improvement; stop when patience epochs have passed since the best',
    arbitrary: fc.tuple(curve, fc.integer({ min: 1, max: 12 })), args: ([v, k]) => [v, k], expected: ([v, k]) => ref.earlyStopping(v, k),
    variants: ([v, k]) => ({
      [MISTAKES.ties]: misrule(v, k, { ties: true }),
      [MISTAKES.late]: misrule(v, k, { shift: 1 }),
      [MISTAKES.early]: misrule(v, k, { shift: -1 }),
      [MISTAKES.lastBest]: misrule(v, k, { lastBest: true }),
    }),
  }),
];

export const hidden: Check[] = [...costChecks, ...gradChecks, ...forwardChecks, ...backwardChecks, ...clipChecks, ...stopChecks];
