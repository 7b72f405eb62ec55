/**
 * Family G (weight initialisation): hidden differential checks, student vs reference on random
 * sizes and seeds. Instructor side only.
 *
 * With the same seed and draw order the student's matrix must equal the reference's number for
 * number, so the differentials are exact (FLOAT64) and a wrong scale, shape or order is named:
 * the variants are the reference's draws rescaled (same unit draws, wrong factor), with the fans
 * swapped, filled column by column, or drawn in another order. Inputs in strata: fans of 1 (a
 * single input or unit), small and up to 64; seeds anywhere in [−2³¹, 2³¹) and the ends and 0
 * themselves; scales from round values and spread over several decades.
 */
import fc from 'fast-check';
import * as ref from '../../reference/initialization.ts';
import { createRandom, normalMatrix } from '../../reference/random.ts';
import { differential } from '../engine/checks.ts';
import { scaled, transposed, type Variants } from '../engine/diagnose.ts';
import type { Check } from '../engine/types.ts';
import { MISTAKES, seed as anySeed } from '../initialization.grader.ts';

type Matrix = number[][];

/**
 * Any seed (shrinking towards 2026, see the public grader), and 0, ±1 and the ends of the range
 * themselves (listed after 2026, which the constants shrink to).
 */
const seed = fc.oneof(
  { weight: 4, arbitrary: anySeed },
  { weight: 1, arbitrary: fc.constantFrom(2026, 0, 1, -1, 2 ** 31 - 1, -(2 ** 31)) },
);
const fan = fc.oneof(
  { weight: 1, arbitrary: fc.constant(1) },
  { weight: 4, arbitrary: fc.integer({ min: 2, max: 8 }) },
  { weight: 1, arbitrary: fc.integer({ min: 9, max: 64 }) },
);
/** A positive scale: round values, and spread log-uniformly over [1e−4, 1e2]. */
const positive = fc.oneof(
  { weight: 1, arbitrary: fc.constantFrom(0.5, 0.01, 0.1, 1, 2) },
  { weight: 3, arbitrary: fc.integer({ min: 0, max: 2 ** 30 }).map((k) => 10 ** (-4 + (6 * k) / 2 ** 30)) },
);
/** A variance: as `positive`, and exactly 0 now and then (every entry 0). */
const variance = fc.oneof({ weight: 6, arbitrary: positive }, { weight: 1, arbitrary: fc.constant(0) });
/** A large fan for the scalar formulas. */
const bigFan = fc.oneof(fc.integer({ min: 1, max: 10 }), fc.integer({ min: 1, max: 1_000_000 }));

/** The shape and order mistakes: `swapped` is the reference run with the fans exchanged (fanIn rows × fanOut columns). */
const layout = (swapped: Matrix): Variants => ({ [MISTAKES.swapped]: swapped, [MISTAKES.columnOrder]: transposed(swapped) });

/** The interleaved draw order of G4: for each sample its m weights, then its m activations. */
function interleaved(m: number, varW: number, varA: number, samples: number, s: number): number[] {
  const r = createRandom(s);
  return Array.from({ length: samples }, () => {
    const [w] = normalMatrix(r, 1, m, 0, Math.sqrt(varW));
    const [a] = normalMatrix(r, 1, m, 0, Math.sqrt(varA));
    return w.reduce((z, wk, k) => z + wk * a[k], 0);
  });
}

export const hidden: Check[] = [
  differential({
    id: 'G1.uniformInit.reference', exercise: 'uniformInit', catalogue: 'G1', title: 'uniformInit matches the reference draw for draw, for fans 1–64 and any seed',
    hint: 'G1: uniformMatrix(createRandom(seed), fanOut, fanIn, −limit, limit)',
    arbitrary: fc.tuple(fan, fan, positive, seed), args: (x) => x, expected: ([i, o, l, s]) => ref.uniformInit(i, o, l, s),
    variants: ([i, o, l, s]) => {
      const e = ref.uniformInit(i, o, l, s);
      return { ...layout(ref.uniformInit(o, i, l, s)), [MISTAKES.notCentred]: e.map((r) => r.map((w) => w + l)), [MISTAKES.halfWidth]: scaled(e, 0.5) };
    },
  }),
  differential({
    id: 'G1.gaussianInit.reference', exercise: 'gaussianInit', catalogue: 'G1', title: 'gaussianInit matches the reference draw for draw, for fans 1–64, variances 0 and 1e−4–1e2, any seed',
    hint: 'G1: normalMatrix(createRandom(seed), fanOut, fanIn, 0, √variance)',
    arbitrary: fc.tuple(fan, fan, variance, seed), args: (x) => x, expected: ([i, o, v, s]) => ref.gaussianInit(i, o, v, s),
    variants: ([i, o, v, s]) => ({ [MISTAKES.varianceAsStd]: scaled(ref.gaussianInit(i, o, v, s), Math.sqrt(v)), ...layout(ref.gaussianInit(o, i, v, s)) }),
  }),
  differential({
    id: 'G2.xavierFactor.reference', exercise: 'xavierFactor', catalogue: 'G2', title: 'xavierFactor matches the reference for fan-ins 1–10⁶',
    hint: 'G2: √(1/m)', arbitrary: bigFan, args: (m) => [m], expected: (m) => ref.xavierFactor(m),
    variants: (m) => ({ [MISTAKES.noSqrt]: 1 / m, [MISTAKES.heForXavier]: Math.sqrt(2 / m), [MISTAKES.sqrtM]: Math.sqrt(m) }),
  }),
  differential({
    id: 'G2.xavierUniformLimit.reference', exercise: 'xavierUniformLimit', catalogue: 'G2', title: 'xavierUniformLimit matches the reference for fans 1–10⁶',
    hint: 'G2: √6/√(n_j + n_{j+1})', arbitrary: fc.tuple(bigFan, bigFan), args: (x) => x, expected: ([i, o]) => ref.xavierUniformLimit(i, o),
    variants: ([i, o]) => ({
      [MISTAKES.noSqrt6]: 1 / Math.sqrt(i + o), [MISTAKES.noRoot]: 6 / (i + o), [MISTAKES.heuristicBound]: 1 / Math.sqrt(i),
      [MISTAKES.rootSum]: Math.sqrt(6) / (Math.sqrt(i) + Math.sqrt(o)), [MISTAKES.fanInOnly]: Math.sqrt(6 / (2 * i)),
    }),
  }),
  differential({
    id: 'G2.xavierHeuristicUniform.reference', exercise: 'xavierHeuristicUniform', catalogue: 'G2', title: 'xavierHeuristicUniform matches the reference draw for draw',
    hint: 'G2: U[−1/√fanIn, 1/√fanIn], drawn like uniformInit',
    arbitrary: fc.tuple(fan, fan, seed), args: (x) => x, expected: ([i, o, s]) => ref.xavierHeuristicUniform(i, o, s),
    variants: ([i, o, s]) => {
      const e = ref.xavierHeuristicUniform(i, o, s);
      const a = 1 / Math.sqrt(i);
      return {
        [MISTAKES.fanOut]: scaled(e, 1 / Math.sqrt(o) / a), [MISTAKES.noSqrt]: scaled(e, 1 / i / a), [MISTAKES.normalisedBound]: scaled(e, ref.xavierUniformLimit(i, o) / a),
        // the fans swapped, each entry still with the fan-in's bound 1/√i
        ...layout(ref.xavierHeuristicUniform(o, i, s).map((r) => r.map((w) => w * Math.sqrt(o / i)))),
      };
    },
  }),
  differential({
    id: 'G2.xavierUniform.reference', exercise: 'xavierUniform', catalogue: 'G2', title: 'xavierUniform matches the reference draw for draw',
    hint: 'G2: U[±√6/√(fanIn + fanOut)], drawn like uniformInit',
    arbitrary: fc.tuple(fan, fan, seed), args: (x) => x, expected: ([i, o, s]) => ref.xavierUniform(i, o, s),
    variants: ([i, o, s]) => {
      const e = ref.xavierUniform(i, o, s);
      const L = ref.xavierUniformLimit(i, o);
      return { [MISTAKES.heuristicBound]: scaled(e, 1 / Math.sqrt(i) / L), [MISTAKES.noSqrt6]: scaled(e, 1 / Math.sqrt(6)), [MISTAKES.noRoot]: scaled(e, 6 / (i + o) / L), ...layout(ref.xavierUniform(o, i, s)) };
    },
  }),
  differential({
    id: 'G3.heFactor.reference', exercise: 'heFactor', catalogue: 'G3', title: 'heFactor matches the reference for fan-ins 1–10⁶',
    hint: 'G3: √(2/m)', arbitrary: bigFan, args: (m) => [m], expected: (m) => ref.heFactor(m),
    variants: (m) => ({ [MISTAKES.xavierForHe]: Math.sqrt(1 / m), [MISTAKES.heNoSqrt]: 2 / m }),
  }),
  differential({
    id: 'G3.heNormal.reference', exercise: 'heNormal', catalogue: 'G3', title: 'heNormal matches the reference draw for draw',
    hint: 'G3: normalMatrix(createRandom(seed), fanOut, fanIn, 0, √(2/fanIn))',
    arbitrary: fc.tuple(fan, fan, seed), args: (x) => x, expected: ([i, o, s]) => ref.heNormal(i, o, s),
    variants: ([i, o, s]) => {
      const e = ref.heNormal(i, o, s);
      return {
        [MISTAKES.xavierForHe]: scaled(e, Math.SQRT1_2), [MISTAKES.fanOut]: scaled(e, Math.sqrt(i / o)), [MISTAKES.varianceAsStd]: scaled(e, Math.sqrt(2 / i)),
        // the fans swapped, each entry still with the fan-in's factor √(2/i)
        ...layout(ref.heNormal(o, i, s).map((r) => r.map((w) => w * Math.sqrt(o / i)))),
      };
    },
  }),
  differential({
    id: 'G3.heConvNormal.reference', exercise: 'heConvNormal', catalogue: 'G3', title: 'heConvNormal matches the reference draw for draw, for k ∈ {1, 2, 3, 5, 7}, c and F in 1–8',
    hint: 'G3: F×C×K×K, std √(2/(k²c)), drawn [f][c][i][j]',
    arbitrary: fc.tuple(fc.constantFrom(1, 2, 3, 5, 7), fc.integer({ min: 1, max: 8 }), fc.integer({ min: 1, max: 8 }), seed), args: (x) => x,
    expected: ([k, c, F, s]) => ref.heConvNormal(k, c, F, s),
    variants: ([k, c, F, s]) => {
      const e = ref.heConvNormal(k, c, F, s);
      return { [MISTAKES.convKC]: scaled(e, Math.sqrt(k)), [MISTAKES.convOutputChannels]: scaled(e, Math.sqrt(c / F)), [MISTAKES.convNoArea]: scaled(e, k), [MISTAKES.xavierForHe]: scaled(e, Math.SQRT1_2) };
    },
  }),
  differential({
    id: 'G4.propagatedVariance.reference', exercise: 'propagatedVariance', catalogue: 'G4', title: 'propagatedVariance matches the reference for m up to 10⁶ and variances 0 and 1e−4–1e2',
    hint: 'G4: m·Var(W)·Var(a)', arbitrary: fc.tuple(bigFan, variance, variance), args: (x) => x, expected: ([m, w, a]) => ref.propagatedVariance(m, w, a),
    variants: ([m, w, a]) => ({ [MISTAKES.noM]: w * a, [MISTAKES.stdProduct]: m * Math.sqrt(w * a), [MISTAKES.mSquared]: m * m * w * a }),
  }),
  differential({
    id: 'G4.simulatePreactivations.reference', exercise: 'simulatePreactivations', catalogue: 'G4', title: 'simulatePreactivations matches the reference draw for draw',
    hint: 'G4: all of W (samples × m) drawn before A; z_s = Σ_k W[s][k]·A[s][k]',
    arbitrary: fc.tuple(fan, variance, variance, fc.integer({ min: 1, max: 20 }), seed), args: (x) => x,
    expected: ([m, w, a, n, s]) => ref.simulatePreactivations(m, w, a, n, s),
    variants: ([m, w, a, n, s]) => {
      const e = ref.simulatePreactivations(m, w, a, n, s);
      return { [MISTAKES.interleaved]: interleaved(m, w, a, n, s), [MISTAKES.meanNotSum]: scaled(e, 1 / m), [MISTAKES.varianceAsStd]: scaled(e, Math.sqrt(w * a)) };
    },
  }),
];
