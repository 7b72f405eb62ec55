/**
 * Family B (losses): hidden differential checks, student vs reference on random inputs over the
 * full stated ranges. Instructor side only.
 *
 * Random doubles rarely land where losses go wrong, so every input is drawn in strata: moderate
 * values, the full range, exact ties / margins / kinks (where a subgradient choice shows), the
 * ends 0 and 1 of a probability (0·log 0), probabilities within 1e−6 of an end, and logits in
 * the tails past ±700 where e^±s overflows.
 */
import fc from 'fast-check';
import * as ref from '../../reference/losses.ts';
import { real } from '../engine/arbitraries.ts';
import { differential } from '../engine/checks.ts';
import type { Check } from '../engine/types.ts';
import { distribution, logit, uniform } from '../losses.grader.ts';

type Pair = [number[], number[]];

/** A value anywhere in [−1000, 1000], mostly moderate, with small integers and 0 often. */
const value = fc.oneof(
  { weight: 4, arbitrary: real({ min: -10, max: 10 }) },
  { weight: 2, arbitrary: real({ min: -1000, max: 1000 }) },
  { weight: 1, arbitrary: fc.constantFrom(0, -0, 1, -1, 0.5, 2, -3) },
);

/** The prediction for label y: unrelated, exactly y (a tie: L1's kink), or within 1e−6 of it. */
const near = (y: number) =>
  fc.oneof(
    { weight: 3, arbitrary: value },
    { weight: 1, arbitrary: fc.constant(y) },
    { weight: 1, arbitrary: real({ min: -1e-6, max: 1e-6 }).map((d) => y + d) },
  );

/** [y, ŷ] of the same length 1–8, the second drawn entry by entry from the first. */
function pairWith(first: fc.Arbitrary<number>, second: (x: number) => fc.Arbitrary<number>): fc.Arbitrary<Pair> {
  return fc.array(first, { minLength: 1, maxLength: 8 }).chain((a) => fc.tuple(fc.constant(a), fc.tuple(...a.map(second))));
}

const regression = pairWith(value, near);

/** A label in [0, 1]: exactly 0 or 1 (hard labels) or soft. */
const label = fc.oneof(fc.constantFrom(0, 1), uniform({ min: 0, max: 1 }), fc.double({ min: 0, max: 1, noNaN: true }));
/**
 * A probability h for the label y, where BCE is finite: spread evenly inside (0, 1), ½, within
 * 1e−6 of either end, and the end itself when the label sits there (y = 0 with h = 0 and y = 1
 * with h = 1: 0·log 0 = 0). The wrong end (+∞) is a public example: a differential compares
 * finite values only.
 */
const inside = fc.integer({ min: 1, max: 2 ** 30 - 1 }).map((k) => k / 2 ** 30);
const probabilityFor = (y: number) =>
  fc.oneof(
    { weight: 3, arbitrary: inside },
    { weight: 1, arbitrary: fc.constantFrom(0.5, ...(y === 0 ? [0] : y === 1 ? [1] : [])) },
    { weight: 1, arbitrary: fc.double({ min: Number.MIN_VALUE, max: 1e-6, noNaN: true }) },
    { weight: 1, arbitrary: fc.double({ min: 1 - 1e-6, max: 1, maxExcluded: true, noNaN: true }) },
  );
/**
 * A probability strictly inside (0, 1), where the BCE derivative is finite (the stub says so):
 * h ≥ 1e−300 keeps y/h below the largest double.
 */
const openProbability = fc.oneof(
  { weight: 3, arbitrary: inside },
  { weight: 1, arbitrary: fc.constant(0.5) },
  { weight: 1, arbitrary: fc.double({ min: 1e-300, max: 1e-6, noNaN: true }) },
  { weight: 1, arbitrary: fc.double({ min: 1 - 1e-6, max: 1, maxExcluded: true, noNaN: true }) },
);
/** Logits over |s| ≤ 1000 (the public strata) plus 0 and ±1 exactly. */
const score = fc.oneof({ weight: 6, arbitrary: logit }, { weight: 1, arbitrary: fc.constantFrom(0, 1, -1) });

/** Labels (one-hot or soft) and logits for 2–10 classes. */
const classification = fc
  .tuple(fc.integer({ min: 2, max: 10 }), fc.boolean())
  .chain(([C, soft]) => fc.tuple(distribution({ classes: C, soft }), fc.array(score, { minLength: C, maxLength: C })));

/** ±1 labels with scores anywhere, exactly on the margin (h = y, so y·h = 1), or within 1e−9 of it. */
const hinge = pairWith(fc.constantFrom(-1, 1), (y) =>
  fc.oneof(
    { weight: 3, arbitrary: value },
    { weight: 1, arbitrary: fc.constant(y) },
    { weight: 1, arbitrary: real({ min: -1e-9, max: 1e-9 }).map((d) => y + d) },
  ),
);

/** y, f and δ: residuals anywhere, exactly ±δ (where the branches meet) or 0, δ from a few round values or (0, 10]. */
const huber = fc.tuple(fc.oneof(fc.constantFrom(0.5, 1, 2), uniform({ min: 0.01, max: 10 })), fc.array(fc.tuple(value, fc.oneof(value, fc.constantFrom('+δ', '-δ', '0'))), { minLength: 1, maxLength: 8 })).map(
  ([d, entries]): [number[], number[], number] => {
    const y = entries.map(([yi]) => yi);
    const f = entries.map(([yi, r]) => (r === '+δ' ? yi + d : r === '-δ' ? yi - d : r === '0' ? yi : (r as number)));
    return [y, f, d];
  },
);

/** Targets z ∈ [0, 1] (the sigmoid's range, ends included) and logits over |s| ≤ 1000. */
const output = pairWith(fc.oneof(uniform({ min: 0, max: 1 }), fc.constantFrom(0, 1)), () => score);

function pairCheck(exercise: string, catalogue: string, f: (a: number[], b: number[]) => unknown, arbitrary: fc.Arbitrary<Pair>, hint: string, range: string): Check {
  return differential({
    id: `${catalogue}.${exercise}.reference`, exercise, catalogue, hint,
    title: `${exercise} matches the reference ${range}`,
    arbitrary, args: ([a, b]) => [a, b], expected: ([a, b]) => f(a, b),
  });
}

const entries = 'for entries in [−1000, 1000], ties included';

export const hidden: Check[] = [
  pairCheck('l1Loss', 'B1', ref.l1Loss, regression, 'B1: Σ|y − ŷ|', entries),
  pairCheck('l1LossGrad', 'B1', ref.l1LossGrad, regression, 'B1: sign(ŷ − y), 0 at a tie', entries),
  pairCheck('l2Loss', 'B1', ref.l2Loss, regression, 'B1: Σ(y − ŷ)²', entries),
  pairCheck('l2LossGrad', 'B1', ref.l2LossGrad, regression, 'B1: 2(ŷ − y)', entries),
  pairCheck('sseLoss', 'B1', ref.sseLoss, regression, 'B1: ½Σ(y − t)², y the output', entries),
  pairCheck('sseLossGrad', 'B1', ref.sseLossGrad, regression, 'B1: y − t', entries),
  pairCheck('mse', 'B2', ref.mse, regression, 'B2: (1/N)Σ(y − h)²', entries),
  pairCheck('mseGrad', 'B2', ref.mseGrad, regression, 'B2: (2/N)(h − y)', entries),
  pairCheck('binaryCrossEntropy', 'B3', ref.binaryCrossEntropy, pairWith(label, probabilityFor), 'B3: −Σ[y log h + (1 − y) log(1 − h)], 0·log 0 = 0, +∞ at the wrong end', 'for y, h ∈ [0, 1] (0·log 0 at the ends included)'),
  pairCheck('binaryCrossEntropyGrad', 'B3', ref.binaryCrossEntropyGrad, pairWith(label, () => openProbability), 'B3: −y/h + (1 − y)/(1 − h)', 'for y ∈ [0, 1], h ∈ (0, 1) up to the ends'),
  pairCheck('sigmoidCrossEntropy', 'B3', ref.sigmoidCrossEntropy, pairWith(label, () => score), 'B3: max(s, 0) − s·y + log(1 + e^−|s|)', 'for |s| ≤ 1000'),
  pairCheck('sigmoidCrossEntropyGrad', 'B3', ref.sigmoidCrossEntropyGrad, pairWith(label, () => score), 'B3: σ(s) − y', 'for |s| ≤ 1000'),
  pairCheck('softmaxCrossEntropy', 'B4', ref.softmaxCrossEntropy, classification, 'B4: Σ_c y_c (logΣe^s − s_c)', 'for one-hot and soft labels, |s| ≤ 1000'),
  pairCheck('softmaxCrossEntropyGrad', 'B4', ref.softmaxCrossEntropyGrad, classification, 'B4: p − y', 'for one-hot and soft labels, |s| ≤ 1000'),
  pairCheck('hingeLoss', 'B5', ref.hingeLoss, hinge, 'B5: Σ max(0, 1 − y·h), y ∈ {−1, +1}', 'for scores in [−1000, 1000], margins included'),
  pairCheck('hingeLossGrad', 'B5', ref.hingeLossGrad, hinge, 'B5: −y where y·h < 1, else 0 (0 at the kink)', 'for scores in [−1000, 1000], margins included'),
  differential({
    id: 'B6.huberLoss.reference', exercise: 'huberLoss', catalogue: 'B6', title: 'huberLoss matches the reference, residuals at ±δ included', hint: 'B6: ½r² if |r| ≤ δ else δ|r| − ½δ²',
    arbitrary: huber, args: ([y, f, d]) => [y, f, d], expected: ([y, f, d]) => ref.huberLoss(y, f, d),
  }),
  differential({
    id: 'B6.huberLossGrad.reference', exercise: 'huberLossGrad', catalogue: 'B6', title: 'huberLossGrad matches the reference, residuals at ±δ included', hint: 'B6: f − y clipped to [−δ, δ]',
    arbitrary: huber, args: ([y, f, d]) => [y, f, d], expected: ([y, f, d]) => ref.huberLossGrad(y, f, d),
  }),
  pairCheck('sigmoidL2Loss', 'B7', ref.sigmoidL2Loss, output, 'B7: Σ(z − σ(s))²', 'for z ∈ [0, 1], |s| ≤ 1000'),
  pairCheck('sigmoidL2LossGrad', 'B7', ref.sigmoidL2LossGrad, output, 'B7: dp = −2(z − p), ds = p(1 − p) ⊙ dp', 'for z ∈ [0, 1], |s| ≤ 1000'),
];
