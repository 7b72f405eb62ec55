/**
 * Family B (losses): public checks. The notes print no worked numbers for the losses, so the
 * examples are exactly known values (hinge at the margin, Huber where its branches meet, BCE at
 * h = ½ is ln 2 per entry, CE with uniform logits is ln C …); then invariants (symmetry, sums
 * not means, shift invariance, Huber between its linear and quadratic bounds, the logits form
 * equal to the probability form of your own functions), stability over |s| ≤ 1000 for the
 * logits forms, and every gradient against the numerical gradient of your own loss.
 */
import fc from 'fast-check';
import { real, vectorPair } from './engine/arbitraries.ts';
import { example, expectClose, expectThat, property, callText, FLOAT64 } from './engine/checks.ts';
import { gradientOfOwnForward } from './engine/patterns.ts';
import { firstOffending } from './engine/shapes.ts';
import type { Check, FamilyGrader, StudentModule } from './engine/types.ts';

// ---------------------------------------------------------------------------------------------
// Arbitraries (specs/losses.spec.ts holds them to what they promise)

/**
 * A number spread evenly over [min, max] on a grid of 2^30 steps. fc.double draws evenly over
 * the floats, i.e. mostly tiny magnitudes: 90% of fc.double({ min: 0, max: 1 }) lies below 1e−6,
 * which would leave the middle of a probability range untested.
 */
export function uniform({ min, max }: { min: number; max: number }): fc.Arbitrary<number> {
  return fc.integer({ min: 0, max: 2 ** 30 }).map((k) => min + ((max - min) * k) / 2 ** 30);
}

/** A probability vector of length C: one-hot (a class index) or soft (normalised random weights, some may be 0). */
export function distribution({ classes, soft }: { classes: number; soft: boolean }): fc.Arbitrary<number[]> {
  if (!soft) return fc.integer({ min: 0, max: classes - 1 }).map((k) => Array.from({ length: classes }, (_, c) => (c === k ? 1 : 0)));
  return fc
    .array(fc.oneof(uniform({ min: 0, max: 1 }), fc.constant(0)), { minLength: classes, maxLength: classes })
    .filter((w) => w.reduce((a, b) => a + b, 0) > 0.1)
    .map((w) => {
      const total = w.reduce((a, b) => a + b, 0);
      return w.map((v) => v / total);
    });
}

/**
 * Logits over the whole stated range |s| ≤ 1000, in strata: moderate values, the full range,
 * and the tails past ±700 where e^±s overflows (fc.double alone lands there only ~8% of the time).
 */
export const logit: fc.Arbitrary<number> = fc.oneof(
  { weight: 3, arbitrary: real({ min: -10, max: 10 }) },
  { weight: 1, arbitrary: real({ min: -1000, max: 1000 }) },
  { weight: 1, arbitrary: real({ min: 700, max: 1000 }) },
  { weight: 1, arbitrary: real({ min: -1000, max: -700 }) },
);

/** Two vectors of the same length n, built by `entry`; the second generated from the first. */
function pairWith(first: fc.Arbitrary<number>, second: (x: number) => fc.Arbitrary<number>, maxLength = 8): fc.Arbitrary<[number[], number[]]> {
  return fc.array(first, { minLength: 1, maxLength }).chain((a) => fc.tuple(fc.constant(a), fc.tuple(...a.map(second))));
}

const pairs = vectorPair({ min: -10, max: 10 }, { min: -10, max: 10 });
/** y and ŷ with every |ŷ_i − y_i| ≥ 1e−3: finite differences must not straddle a tie (L1's kink). */
const apart = pairWith(real({ min: -5, max: 5 }), (y) => real({ min: -5, max: 5, avoid: [0] }).map((d) => y + d), 6);
const labels = uniform({ min: 0, max: 1 });
const inner = uniform({ min: 0.01, max: 0.99 });
const sum = (v: number[]) => v.reduce((a, b) => a + b, 0);
const sigma = (s: number) => 1 / (1 + Math.exp(-s));
/** The logit of p ∈ (0, 1): σ(logit(p)) = p. */
const logitOf = (p: number) => Math.log(p / (1 - p));

type S = StudentModule;
const num = async (s: S, name: string, args: unknown[]) => (await s.call(name, args)) as number;
const vec = async (s: S, name: string, args: unknown[]) => (await s.call(name, args)) as number[];

/** exercise(y, p) equals the central-difference gradient of your forward(y, ·) at p. */
function numeric(id: string, exercise: string, forward: string, catalogue: string, hint: string, arbitrary: fc.Arbitrary<[number[], number[]]>): Check {
  return gradientOfOwnForward({
    id, exercise, catalogue, hint, arbitrary,
    title: `${exercise} equals the numerical gradient of your ${forward}`,
    point: ([, p]) => p,
    loss: (s, v, [y]) => num(s, forward, [y, v]),
    received: (s, [y, p]) => s.call(exercise, [y, p]),
    what: `${exercise}(y, …) vs the central difference of your ${forward}(y, …)`,
  });
}

/** L(y₁ ⧺ y₂, ŷ₁ ⧺ ŷ₂) = L(y₁, ŷ₁) + L(y₂, ŷ₂): the loss is a sum over entries, not a mean. */
function additive(exercise: string, catalogue: string, hint: string): Check {
  return property({
    id: `${catalogue}.${exercise}.additive`, exercise, catalogue, hint,
    title: `${exercise} of two concatenated vectors is the sum of the two losses (a sum, not a mean)`,
    arbitrary: fc.tuple(pairs, pairs),
    verify: async ([[a, ah], [b, bh]], s) => {
      const whole = await num(s, exercise, [[...a, ...b], [...ah, ...bh]]);
      const parts = (await num(s, exercise, [a, ah])) + (await num(s, exercise, [b, bh]));
      expectClose(whole, parts, FLOAT64, `${exercise}(y₁ ⧺ y₂, ŷ₁ ⧺ ŷ₂) vs ${exercise}(y₁, ŷ₁) + ${exercise}(y₂, ŷ₂)`);
    },
  });
}

/** L(y, ŷ) = L(ŷ, y) ≥ 0 and L(y, y) = 0. */
function metric(exercise: string, catalogue: string, hint: string): Check {
  return property({
    id: `${catalogue}.${exercise}.metric`, exercise, catalogue, hint,
    title: `${exercise}(y, ŷ) = ${exercise}(ŷ, y) ≥ 0, and ${exercise}(y, y) = 0`,
    arbitrary: pairs,
    verify: async ([y, yh], s) => {
      const l = await num(s, exercise, [y, yh]);
      expectThat(typeof l === 'number' && l >= 0, `${callText(exercise, [y, yh])} = ${String(l)} is negative`, l);
      expectClose(await num(s, exercise, [yh, y]), l, FLOAT64, `${exercise}(ŷ, y) vs ${exercise}(y, ŷ)`);
      expectClose(await num(s, exercise, [y, y]), 0, FLOAT64, `${exercise}(y, y)`);
    },
  });
}

// ---------------------------------------------------------------------------------------------
// B1 — L1, L2, SSE

const Y = [1, 2, 3];
const YHAT = [2, 2, 1];

const l1Checks: Check[] = [
  example({ id: 'B1.l1Loss.example', exercise: 'l1Loss', catalogue: 'B1', title: 'l1Loss([1, 2, 3], [2, 2, 1]) = 1 + 0 + 2 = 3', hint: 'B1: Σ_i |y_i − ŷ_i|, a sum (no 1/N)', args: [Y, YHAT], expected: 3 }),
  metric('l1Loss', 'B1', 'B1: |y − ŷ| is symmetric, never negative and 0 only at y = ŷ: do not forget the absolute value'),
  additive('l1Loss', 'B1', 'B1: the notes write the L1 loss as a sum Σ_i |y_i − ŷ_i|, not a mean'),
];

const l1GradChecks: Check[] = [
  example({ id: 'B1.l1LossGrad.tie', exercise: 'l1LossGrad', catalogue: 'B1', title: 'l1LossGrad([1, 2, 3], [1, 3, 0]) = [0, 1, −1] (subgradient 0 at a tie)', hint: 'B1: ∂|y − ŷ|/∂ŷ = sign(ŷ − y), and this course takes 0 at the kink ŷ = y', args: [[1, 2, 3], [1, 3, 0]], expected: [0, 1, -1] }),
  numeric('B1.l1LossGrad.numeric', 'l1LossGrad', 'l1Loss', 'B1', 'B1: ∂/∂ŷ_i Σ|y − ŷ| = sign(ŷ_i − y_i): the derivative is with respect to the prediction ŷ', apart),
];

const l2Checks: Check[] = [
  example({ id: 'B1.l2Loss.example', exercise: 'l2Loss', catalogue: 'B1', title: 'l2Loss([1, 2, 3], [2, 2, 1]) = 1 + 0 + 4 = 5', hint: 'B1: Σ_i (y_i − ŷ_i)², the squared error itself (no ½, no 1/N, no square root)', args: [Y, YHAT], expected: 5 }),
  metric('l2Loss', 'B1', 'B1: (y − ŷ)² is symmetric, never negative and 0 only at y = ŷ'),
  additive('l2Loss', 'B1', 'B1: the L2 loss is a sum Σ_i (y_i − ŷ_i)², not a mean and not a norm'),
];

const l2GradChecks: Check[] = [
  example({ id: 'B1.l2LossGrad.example', exercise: 'l2LossGrad', catalogue: 'B1', title: 'l2LossGrad([1, 2, 3], [2, 2, 1]) = [2, 0, −4]', hint: 'B1: ∂/∂ŷ_i Σ(y − ŷ)² = 2(ŷ_i − y_i) ([Oh]: grad_y_pred = 2.0 * (y_pred - y))', args: [Y, YHAT], expected: [2, 0, -4] }),
  numeric('B1.l2LossGrad.numeric', 'l2LossGrad', 'l2Loss', 'B1', 'B1: ∂/∂ŷ_i Σ(y − ŷ)² = 2(ŷ_i − y_i)', pairs),
];

const sseChecks: Check[] = [
  example({ id: 'B1.sseLoss.example', exercise: 'sseLoss', catalogue: 'B1', title: 'sseLoss([1, 2, 3], [2, 2, 1]) = ½(1 + 0 + 4) = 2.5', hint: 'B1: Bishop\'s E_n = ½ Σ_j (y_j − t_j)² ([Tu] "Error function for linear function")', args: [Y, YHAT], expected: 2.5 }),
  additive('sseLoss', 'B1', 'B1: E_n = ½ Σ_j (y_j − t_j)² is a sum over the outputs j'),
];

const sseGradChecks: Check[] = [
  example({ id: 'B1.sseLossGrad.example', exercise: 'sseLossGrad', catalogue: 'B1', title: 'sseLossGrad([1, 2, 3], [2, 2, 1]) = y − t = [−1, 0, 2]', hint: 'B1: ∂E_n/∂y_j = y_j − t_j: the ½ cancels the 2, and the sign is output minus target ([Tu] "Error propagation (3/3)")', args: [Y, YHAT], expected: [-1, 0, 2] }),
  gradientOfOwnForward({
    id: 'B1.sseLossGrad.numeric', exercise: 'sseLossGrad', catalogue: 'B1', title: 'sseLossGrad equals the numerical gradient of your sseLoss with respect to the output y',
    hint: 'B1: ∂E_n/∂y_j = y_j − t_j, with respect to the output y (the first argument)',
    arbitrary: pairs, point: ([y]) => y,
    loss: (s, v, [, t]) => num(s, 'sseLoss', [v, t]),
    received: (s, [y, t]) => s.call('sseLossGrad', [y, t]),
    what: 'sseLossGrad(y, t) vs the central difference of your sseLoss(·, t)',
  }),
];

// ---------------------------------------------------------------------------------------------
// B2 — MSE

const mseChecks: Check[] = [
  example({ id: 'B2.mse.example', exercise: 'mse', catalogue: 'B2', title: 'mse([1, 2, 3], [2, 2, 1]) = (1 + 0 + 4)/3', hint: 'B2: J = (1/N) Σ_i (y_i − h_i)², divided by N (not N − 1)', args: [Y, YHAT], expected: 5 / 3 }),
  property({
    id: 'B2.mse.duplicate', exercise: 'mse', catalogue: 'B2', title: 'mse(y ⧺ y, h ⧺ h) = mse(y, h) ≥ 0 (a mean does not change when the data are repeated)',
    hint: 'B2: J = (1/N) Σ_i (y_i − h_i)² is a mean over the N entries',
    arbitrary: pairs,
    verify: async ([y, h], s) => {
      const j = await num(s, 'mse', [y, h]);
      expectThat(typeof j === 'number' && j >= 0, `${callText('mse', [y, h])} = ${String(j)} is negative`, j);
      expectClose(await num(s, 'mse', [[...y, ...y], [...h, ...h]]), j, FLOAT64, 'mse(y ⧺ y, h ⧺ h) vs mse(y, h)');
    },
  }),
];

const mseGradChecks: Check[] = [
  example({ id: 'B2.mseGrad.example', exercise: 'mseGrad', catalogue: 'B2', title: 'mseGrad([1, 2, 3], [2, 2, 1]) = (2/3)·[1, 0, −2]', hint: 'B2: ∂J/∂h_i = (2/N)(h_i − y_i)', args: [Y, YHAT], expected: [2 / 3, 0, -4 / 3] }),
  numeric('B2.mseGrad.numeric', 'mseGrad', 'mse', 'B2', 'B2: ∂J/∂h_i = (2/N)(h_i − y_i): keep the 1/N of the mean', pairs),
];

// ---------------------------------------------------------------------------------------------
// B3 — binary cross-entropy

const bceChecks: Check[] = [
  example({ id: 'B3.binaryCrossEntropy.half', exercise: 'binaryCrossEntropy', catalogue: 'B3', title: 'binaryCrossEntropy([1, 0, 0.3], [½, ½, ½]) = 3 ln 2', hint: 'B3: −Σ[y log h + (1 − y) log(1 − h)] with the natural log; at h = ½ every entry costs ln 2', args: [[1, 0, 0.3], [0.5, 0.5, 0.5]], expected: 3 * Math.LN2 }),
  example({ id: 'B3.binaryCrossEntropy.ends', exercise: 'binaryCrossEntropy', catalogue: 'B3', title: 'binaryCrossEntropy([1, 0], [1, 0]) = 0 (0·log 0 = 0)', hint: 'B3: a term with coefficient 0 contributes 0 even where its log is −∞ (the limit 0·log 0 = 0): 0 * -Infinity is NaN in JavaScript', args: [[1, 0], [1, 0]], expected: 0 }),
  example({ id: 'B3.binaryCrossEntropy.wrong-end', exercise: 'binaryCrossEntropy', catalogue: 'B3', title: 'binaryCrossEntropy([1, 0.5], [0, 0.5]) = +∞ (a certain prediction that is wrong)', hint: 'B3: −log 0 = +∞: return Infinity, and do not clip h with an ε (that changes the value everywhere near the ends)', args: [[1, 0.5], [0, 0.5]], expected: Infinity }),
  example({ id: 'B3.binaryCrossEntropy.tiny', exercise: 'binaryCrossEntropy', catalogue: 'B3', title: 'binaryCrossEntropy([1, 0], [1e−9, 1 − 2^−20]) = −ln 1e−9 + 20 ln 2', hint: 'B3: −log h for small h, exactly: an ε added inside the log (log(h + 1e−7)) changes the value by far more than rounding', args: [[1, 0], [1e-9, 1 - 2 ** -20]], expected: -Math.log(1e-9) + 20 * Math.LN2 }),
  property({
    id: 'B3.binaryCrossEntropy.minimum', exercise: 'binaryCrossEntropy', catalogue: 'B3', title: 'for a fixed label y, the loss is smallest at h = y (Gibbs inequality)',
    hint: 'B3: BCE(y, h) − BCE(y, y) is a KL divergence, ≥ 0: check the overall minus sign and that h and y are not swapped',
    arbitrary: pairWith(inner, () => inner),
    verify: async ([y, h], s) => {
      const [at, best] = [await num(s, 'binaryCrossEntropy', [y, h]), await num(s, 'binaryCrossEntropy', [y, y])];
      expectThat(Number.isFinite(at) && Number.isFinite(best) && at >= best - 1e-9 * (1 + Math.abs(best)), `binaryCrossEntropy(y, h) = ${at} is below binaryCrossEntropy(y, y) = ${best} for y = ${JSON.stringify(y)}, h = ${JSON.stringify(h)}`, at);
    },
  }),
];

const bceGradChecks: Check[] = [
  example({ id: 'B3.binaryCrossEntropyGrad.example', exercise: 'binaryCrossEntropyGrad', catalogue: 'B3', title: 'binaryCrossEntropyGrad([1, 0, 0.5], [½, ½, ½]) = [−2, 2, 0]', hint: 'B3: ∂J/∂h_i = −y_i/h_i + (1 − y_i)/(1 − h_i): the derivative with respect to the probability h, not the logit', args: [[1, 0, 0.5], [0.5, 0.5, 0.5]], expected: [-2, 2, 0] }),
  example({
    id: 'B3.binaryCrossEntropyGrad.ends', exercise: 'binaryCrossEntropyGrad', catalogue: 'B3', title: 'binaryCrossEntropyGrad([1, 0], [1e−9, 1 − 2^−20]) = [−1e9, 2^20] (near the ends, exactly)',
    // by hand: −1/1e−9 = −1e9, and 1 − h = 2^−20 exactly (h = 1 − 2^−20 is a double), so (1 − 0)/2^−20 = 2^20
    hint: 'B3: −y/h + (1 − y)/(1 − h) as it is: clipping h to [ε, 1 − ε] (an ε of 1e−7) changes the value by orders of magnitude near the ends',
    args: [[1, 0], [1e-9, 1 - 2 ** -20]], expected: [-1e9, 2 ** 20],
  }),
  numeric('B3.binaryCrossEntropyGrad.numeric', 'binaryCrossEntropyGrad', 'binaryCrossEntropy', 'B3', 'B3: ∂J/∂h_i = −y_i/h_i + (1 − y_i)/(1 − h_i); mind the sign of each term', pairWith(labels, () => uniform({ min: 0.1, max: 0.9 }), 6)),
];

const sigmoidCeChecks: Check[] = [
  example({ id: 'B3.sigmoidCrossEntropy.zero-logits', exercise: 'sigmoidCrossEntropy', catalogue: 'B3', title: 'sigmoidCrossEntropy([1, 0, 0.3], [0, 0, 0]) = 3 ln 2', hint: 'B3: σ(0) = ½, and the binary cross-entropy at h = ½ is ln 2 per entry (natural log)', args: [[1, 0, 0.3], [0, 0, 0]], expected: 3 * Math.LN2 }),
  example({ id: 'B3.sigmoidCrossEntropy.extreme', exercise: 'sigmoidCrossEntropy', catalogue: 'B3', title: 'sigmoidCrossEntropy([1, 0, 0.5], [−1000, 1000, 80]) = 1000 + 1000 + 40', hint: 'B3: −log σ(s) = log(1 + e^−s) ≈ −s for s ≪ 0 (softplus, A7): σ(−1000) rounds to 0, so never take log σ(s) directly', args: [[1, 0, 0.5], [-1000, 1000, 80]], expected: 2040 }),
  property({
    id: 'B3.sigmoidCrossEntropy.prob-form', exercise: 'sigmoidCrossEntropy', catalogue: 'B3', title: 'sigmoidCrossEntropy(y, s) = your binaryCrossEntropy(y, σ(s)) for |s| ≤ 10',
    hint: 'B3: the logits form is the same loss as the probability form at h = σ(s); log σ(s) = −softplus(−s), log(1 − σ(s)) = −softplus(s)',
    arbitrary: pairWith(labels, () => real({ min: -10, max: 10 })),
    verify: async ([y, sv], s) => {
      const viaProbabilities = await num(s, 'binaryCrossEntropy', [y, sv.map(sigma)]);
      expectClose(await num(s, 'sigmoidCrossEntropy', [y, sv]), viaProbabilities, FLOAT64, `${callText('sigmoidCrossEntropy', [y, sv])} vs your binaryCrossEntropy(y, σ(s))`);
    },
  }),
  property({
    id: 'B3.sigmoidCrossEntropy.stable', exercise: 'sigmoidCrossEntropy', catalogue: 'B3', title: 'sigmoidCrossEntropy(y, s) is finite and ≥ 0 for |s| ≤ 1000',
    hint: 'B3: e^−s overflows for s < −709 and σ(s) rounds to 0 or 1 for |s| > 37: write it as max(s, 0) − s·y + log(1 + e^−|s|)',
    arbitrary: pairWith(labels, () => logit),
    verify: async ([y, sv], s) => {
      const l = await num(s, 'sigmoidCrossEntropy', [y, sv]);
      expectThat(typeof l === 'number' && Number.isFinite(l) && l >= 0, `${callText('sigmoidCrossEntropy', [y, sv])} returned ${String(l)}: the true value is finite and ≥ 0 (use a stable form)`, l);
    },
  }),
];

const sigmoidCeGradChecks: Check[] = [
  example({ id: 'B3.sigmoidCrossEntropyGrad.example', exercise: 'sigmoidCrossEntropyGrad', catalogue: 'B3', title: 'sigmoidCrossEntropyGrad([1, 0, 0.25], [0, 0, ln 3]) = [−½, ½, ½]', hint: 'B3: ∂J/∂s_i = σ(s_i) − y_i (σ(ln 3) = ¾)', args: [[1, 0, 0.25], [0, 0, Math.log(3)]], expected: [-0.5, 0.5, 0.5] }),
  numeric('B3.sigmoidCrossEntropyGrad.numeric', 'sigmoidCrossEntropyGrad', 'sigmoidCrossEntropy', 'B3', 'B3: ∂J/∂s_i = σ(s_i) − y_i, prediction minus label', pairWith(labels, () => real({ min: -10, max: 10 }), 6)),
  property({
    id: 'B3.sigmoidCrossEntropyGrad.stable', exercise: 'sigmoidCrossEntropyGrad', catalogue: 'B3', title: 'every entry is finite and in [−1, 1] for |s| ≤ 1000',
    hint: 'B3: σ(s) − y with σ(s) ∈ [0, 1]: use a σ that does not overflow (A1)',
    arbitrary: pairWith(labels, () => logit),
    verify: async ([y, sv], s) => {
      const g = await vec(s, 'sigmoidCrossEntropyGrad', [y, sv]);
      const what = callText('sigmoidCrossEntropyGrad', [y, sv]);
      expectThat(Array.isArray(g) && g.length === y.length, `${what} returned ${Array.isArray(g) ? `${g.length} entries for ${y.length}` : g === null ? 'null' : typeof g}, not ${y.length} number${y.length === 1 ? '' : 's'}`, g);
      const outside = firstOffending(g, (v) => Number.isFinite(v) && Math.abs(v) <= 1);
      expectThat(outside === undefined, `${what} has an entry that is not finite or outside [−1, 1]: ${outside}`, g);
    },
  }),
];

// ---------------------------------------------------------------------------------------------
// B4 — softmax cross-entropy

const classes = fc.integer({ min: 2, max: 6 });
/** [y, s]: labels (one-hot or soft) and logits with entries from `entry`. */
const labelled = (entry: fc.Arbitrary<number>, soft: boolean) =>
  classes.chain((C) => fc.tuple(distribution({ classes: C, soft }), fc.array(entry, { minLength: C, maxLength: C })));
const anyLabels = fc.oneof(labelled(real({ min: -10, max: 10 }), false), labelled(real({ min: -10, max: 10 }), true));
/** −log p_k = log Σ_c e^{s_c} − s_k, for the grader's own comparisons (moderate s only). */
const minusLogP = (s: number[], k: number) => {
  const m = Math.max(...s);
  return m + Math.log(sum(s.map((v) => Math.exp(v - m)))) - s[k];
};

const softmaxCeChecks: Check[] = [
  example({ id: 'B4.softmaxCrossEntropy.uniform', exercise: 'softmaxCrossEntropy', catalogue: 'B4', title: 'four equal logits: softmaxCrossEntropy([0, 0, 1, 0], [7, 7, 7, 7]) = ln 4', hint: 'B4: equal logits give p_c = 1/C, and −log(1/C) = ln C', args: [[0, 0, 1, 0], [7, 7, 7, 7]], expected: Math.log(4) }),
  example({ id: 'B4.softmaxCrossEntropy.ratios', exercise: 'softmaxCrossEntropy', catalogue: 'B4', title: 'softmaxCrossEntropy([0, 1, 0], [ln 1, ln 2, ln 3]) = −log(2/6) = ln 3', hint: 'B4: p = softmax(s) = [1/6, 2/6, 3/6], and the loss is −log p_y of the labelled class', args: [[0, 1, 0], [0, Math.log(2), Math.log(3)]], expected: Math.log(3) }),
  property({
    id: 'B4.softmaxCrossEntropy.one-hot', exercise: 'softmaxCrossEntropy', catalogue: 'B4', title: 'with a one-hot label the loss is −log p_y = log Σ_c e^{s_c} − s_y',
    hint: 'B4: −Σ_c y_c log p_c with p = softmax(s) ([Oh] "1-layer Neural Net (Softmax classifier)")',
    arbitrary: labelled(real({ min: -20, max: 20 }), false),
    verify: async ([y, sv], s) => expectClose(await num(s, 'softmaxCrossEntropy', [y, sv]), minusLogP(sv, y.indexOf(1)), FLOAT64, `${callText('softmaxCrossEntropy', [y, sv])} vs −log p_y`),
  }),
  property({
    id: 'B4.softmaxCrossEntropy.soft-labels', exercise: 'softmaxCrossEntropy', catalogue: 'B4', title: 'soft labels: the loss is Σ_c y_c × (your loss with the one-hot label c)',
    hint: 'B4: −Σ_c y_c log p_c is linear in y: every class with y_c > 0 contributes, not only the largest',
    arbitrary: labelled(real({ min: -10, max: 10 }), true),
    verify: async ([y, sv], s) => {
      let mixed = 0;
      for (let c = 0; c < y.length; c++) if (y[c] > 0) mixed += y[c] * (await num(s, 'softmaxCrossEntropy', [y.map((_, k) => (k === c ? 1 : 0)), sv]));
      expectClose(await num(s, 'softmaxCrossEntropy', [y, sv]), mixed, FLOAT64, `${callText('softmaxCrossEntropy', [y, sv])} vs Σ_c y_c·softmaxCrossEntropy(e_c, s)`);
    },
  }),
  property({
    id: 'B4.softmaxCrossEntropy.shift', exercise: 'softmaxCrossEntropy', catalogue: 'B4', title: 'softmaxCrossEntropy(y, s + c) = softmaxCrossEntropy(y, s)',
    hint: 'B4: softmax is invariant to adding a constant to every logit, so the loss is too',
    arbitrary: fc.tuple(anyLabels, real({ min: -50, max: 50 })),
    // s + c rounds each logit by up to ½ ulp(64) ≈ 7e−15, and L moves by at most Σ_c |p_c − y_c| ≤ 2
    // times that; log-sum-exp adds its own rounding at ulp(60): ~1e−13 absolute in all, atol 1e−9
    // covers it (a loss that is not shift invariant, e.g. per-class sigmoids, is O(1) off)
    verify: async ([[y, sv], c], s) => expectClose(await num(s, 'softmaxCrossEntropy', [y, sv.map((v) => v + c)]), await num(s, 'softmaxCrossEntropy', [y, sv]), { rtol: 1e-9, atol: 1e-9 }, `softmaxCrossEntropy(y, s + ${c}) vs softmaxCrossEntropy(y, s)`),
  }),
  property({
    id: 'B4.softmaxCrossEntropy.stable', exercise: 'softmaxCrossEntropy', catalogue: 'B4', title: 'softmaxCrossEntropy(y, s) is finite and ≥ 0 for |s| ≤ 1000',
    hint: 'B4: log p_c = s_c − log Σ_k e^{s_k} (A9, log-sum-exp with the max subtracted); log(softmax(s)) is −∞ where p_c underflows',
    arbitrary: fc.oneof(labelled(logit, false), labelled(logit, true)),
    verify: async ([y, sv], s) => {
      const l = await num(s, 'softmaxCrossEntropy', [y, sv]);
      expectThat(typeof l === 'number' && Number.isFinite(l) && l >= 0, `${callText('softmaxCrossEntropy', [y, sv])} returned ${String(l)}: the true value is finite and ≥ 0 (use log-sum-exp)`, l);
    },
  }),
];

const softmaxCeGradChecks: Check[] = [
  example({ id: 'B4.softmaxCrossEntropyGrad.example', exercise: 'softmaxCrossEntropyGrad', catalogue: 'B4', title: 'softmaxCrossEntropyGrad([1, 0], [0, 0]) = p − y = [−½, ½]', hint: 'B4: ∂L/∂s = p − y, prediction minus label, for every class', args: [[1, 0], [0, 0]], expected: [-0.5, 0.5] }),
  numeric('B4.softmaxCrossEntropyGrad.numeric', 'softmaxCrossEntropyGrad', 'softmaxCrossEntropy', 'B4', 'B4: ∂L/∂s = p − y ([Oh] "Summary")', anyLabels),
  property({
    id: 'B4.softmaxCrossEntropyGrad.stable', exercise: 'softmaxCrossEntropyGrad', catalogue: 'B4', title: 'the gradient is finite and sums to 0 for |s| ≤ 1000',
    hint: 'B4: Σ_c (p_c − y_c) = 1 − 1 = 0; compute p with the max subtracted (A8)',
    arbitrary: fc.oneof(labelled(logit, false), labelled(logit, true)),
    verify: async ([y, sv], s) => {
      const g = await vec(s, 'softmaxCrossEntropyGrad', [y, sv]);
      expectThat(Array.isArray(g) && g.length === y.length && g.every(Number.isFinite), `${callText('softmaxCrossEntropyGrad', [y, sv])} = ${JSON.stringify(g)} is not a finite vector of length ${y.length}`, g);
      // Σ_c (p_c − y_c): C ≤ 6 terms of size ≤ 1, each rounded at ~1e−16 (and Σ y_c is 1 to a few
      // ulps when the labels are soft): within ~1e−15 of 0, atol 1e−12 (rtol 0: the target is 0)
      expectClose(sum(g), 0, { rtol: 0, atol: 1e-12 }, `Σ_c ${callText('softmaxCrossEntropyGrad', [y, sv])}_c`);
    },
  }),
];

// ---------------------------------------------------------------------------------------------
// B5 — hinge

const sign = fc.constantFrom(-1, 1);

const hingeChecks: Check[] = [
  example({ id: 'B5.hingeLoss.margin', exercise: 'hingeLoss', catalogue: 'B5', title: 'hingeLoss([−1, −1], [−1, 1]) = 0 + 2 (0 at the margin y·h = 1)', hint: 'B5: max(0, 1 − y·h) with y ∈ {−1, +1} used as given (tfjs maps 0/1 labels with 2y − 1; these are already ±1)', args: [[-1, -1], [-1, 1]], expected: 2 }),
  example({ id: 'B5.hingeLoss.example', exercise: 'hingeLoss', catalogue: 'B5', title: 'hingeLoss([1, −1, 1], [0.5, 0.5, −2]) = 0.5 + 1.5 + 3 = 5', hint: 'B5: Σ_i max(0, 1 − y_i·h_i): the margin is 1, and the loss is a sum', args: [[1, -1, 1], [0.5, 0.5, -2]], expected: 5 }),
  example({ id: 'B5.hingeLoss.fractional', exercise: 'hingeLoss', catalogue: 'B5', title: 'hingeLoss([1, −1], [0.3, 0.2]) = 0.7 + 1.2 = 1.9 (both margins violated)', hint: 'B5: Σ_i max(0, 1 − y_i·h_i): each violated margin adds 1 − y_i·h_i', args: [[1, -1], [0.3, 0.2]], expected: 1.9 }),
  property({
    id: 'B5.hingeLoss.symmetry', exercise: 'hingeLoss', catalogue: 'B5', title: 'hingeLoss(−y, −h) = hingeLoss(y, h) ≥ 0',
    hint: 'B5: only the product y·h enters, and the labels are −1 and +1, not 0 and 1',
    arbitrary: pairWith(sign, () => real({ min: -5, max: 5 })),
    verify: async ([y, h], s) => {
      const l = await num(s, 'hingeLoss', [y, h]);
      expectThat(typeof l === 'number' && l >= 0, `${callText('hingeLoss', [y, h])} = ${String(l)} is negative`, l);
      expectClose(await num(s, 'hingeLoss', [y.map((v) => -v), h.map((v) => -v)]), l, FLOAT64, 'hingeLoss(−y, −h) vs hingeLoss(y, h)');
    },
  }),
];

/** ±1 labels and scores whose margin y·h stays ≥ 1e−3 away from the kink at 1. */
const offKink = pairWith(sign, (yi) => real({ min: -4, max: 4, avoid: [1] }).map((m) => yi * m), 6);

const hingeGradChecks: Check[] = [
  example({ id: 'B5.hingeLossGrad.kink', exercise: 'hingeLossGrad', catalogue: 'B5', title: 'hingeLossGrad([1, −1], [1, −1]) = [0, 0] (0 at the kink y·h = 1)', hint: 'B5: the gradient is −y only where the margin is violated, y·h < 1 (strictly); at y·h = 1 this course takes 0', args: [[1, -1], [1, -1]], expected: [0, 0] }),
  example({ id: 'B5.hingeLossGrad.example', exercise: 'hingeLossGrad', catalogue: 'B5', title: 'hingeLossGrad([1, −1, 1], [0.5, 0.5, 3]) = [−1, 1, 0]', hint: 'B5: ∂/∂h_i max(0, 1 − y_i h_i) = −y_i where y_i h_i < 1, else 0', args: [[1, -1, 1], [0.5, 0.5, 3]], expected: [-1, 1, 0] }),
  numeric('B5.hingeLossGrad.numeric', 'hingeLossGrad', 'hingeLoss', 'B5', 'B5: −y_i where y_i h_i < 1, else 0', offKink),
];

// ---------------------------------------------------------------------------------------------
// B6 — Huber

const delta = uniform({ min: 0.1, max: 5 });
const huberInput = fc.tuple(pairs, delta);

const huberChecks: Check[] = [
  example({ id: 'B6.huberLoss.quadratic', exercise: 'huberLoss', catalogue: 'B6', title: 'huberLoss([0, 1], [0.5, 0.25], 1) = ½·0.25 + ½·0.5625 (both residuals ≤ δ)', hint: 'B6: ½(y − f)² where |y − f| ≤ δ', args: [[0, 1], [0.5, 0.25], 1], expected: 0.125 + 0.28125 }),
  example({ id: 'B6.huberLoss.linear', exercise: 'huberLoss', catalogue: 'B6', title: 'huberLoss([0, 3], [5, −1], 2) = (2·5 − 2) + (2·4 − 2) = 14 (both residuals > δ)', hint: 'B6: δ|y − f| − ½δ² where |y − f| > δ', args: [[0, 3], [5, -1], 2], expected: 14 }),
  example({
    id: 'B6.huberLoss.continuity', exercise: 'huberLoss', catalogue: 'B6', title: 'just past |y − f| = δ = 2 the loss is still ½δ² = 2 per entry (the branches meet)',
    hint: 'B6: both branches give ½δ² at |y − f| = δ: keep the −½δ² of the linear branch', args: [[0, 0], [2 + 1e-9, -2 - 1e-9], 2], expected: 2 * (2 * (2 + 1e-9) - 2),
  }),
  property({
    id: 'B6.huberLoss.bounds', exercise: 'huberLoss', catalogue: 'B6', title: 'Σ max(0, δ|r| − ½δ²) ≤ huberLoss ≤ Σ min(½r², δ|r|), r = y − f',
    hint: 'B6: Huber is quadratic near 0 and linear (slope δ) in the tails, never above ½r² or δ|r|',
    arbitrary: huberInput,
    verify: async ([[y, f], d], s) => {
      const l = await num(s, 'huberLoss', [y, f, d]);
      const r = y.map((v, i) => Math.abs(v - f[i]));
      const [lo, hi] = [sum(r.map((v) => Math.max(0, d * v - 0.5 * d * d))), sum(r.map((v) => Math.min(0.5 * v * v, d * v)))];
      const slack = 1e-9 * (1 + hi);
      expectThat(typeof l === 'number' && l >= lo - slack && l <= hi + slack, `${callText('huberLoss', [y, f, d])} = ${String(l)} lies outside [${lo}, ${hi}]`, l);
    },
  }),
  property({
    id: 'B6.huberLoss.homogeneous', exercise: 'huberLoss', catalogue: 'B6', title: 'huberLoss(2y, 2f, 2δ) = 4·huberLoss(y, f, δ)',
    hint: 'B6: every term (½r², δ|r| − ½δ²) is quadratic in (r, δ): check that δ is squared in ½δ²',
    arbitrary: huberInput,
    verify: async ([[y, f], d], s) => {
      const twice = (v: number[]) => v.map((x) => 2 * x);
      expectClose(await num(s, 'huberLoss', [twice(y), twice(f), 2 * d]), 4 * (await num(s, 'huberLoss', [y, f, d])), FLOAT64, 'huberLoss(2y, 2f, 2δ) vs 4·huberLoss(y, f, δ)');
    },
  }),
];

/** y, f and δ with every | |f − y| − δ | ≥ 1e−3: Huber's second derivative jumps there. */
const huberOffKink = fc.tuple(pairWith(real({ min: -5, max: 5 }), (yi) => real({ min: -8, max: 8 }).map((r) => yi + r), 6), delta).filter(([[y, f], d]) => y.every((v, i) => Math.abs(Math.abs(f[i] - v) - d) >= 1e-3));

const huberGradChecks: Check[] = [
  example({ id: 'B6.huberLossGrad.example', exercise: 'huberLossGrad', catalogue: 'B6', title: 'huberLossGrad([0, 0, 0], [0.5, 3, −2], 1) = [0.5, 1, −1]', hint: 'B6: ∂/∂f = f − y inside |f − y| ≤ δ, δ·sign(f − y) outside (the residual clipped to [−δ, δ])', args: [[0, 0, 0], [0.5, 3, -2], 1], expected: [0.5, 1, -1] }),
  gradientOfOwnForward({
    id: 'B6.huberLossGrad.numeric', exercise: 'huberLossGrad', catalogue: 'B6', title: 'huberLossGrad equals the numerical gradient of your huberLoss',
    hint: 'B6: f − y inside the band, ±δ outside; the derivative is with respect to the prediction f',
    arbitrary: huberOffKink, point: ([[, f]]) => f,
    loss: (s, v, [[y], d]) => num(s, 'huberLoss', [y, v, d]),
    received: (s, [[y, f], d]) => s.call('huberLossGrad', [y, f, d]),
    what: 'huberLossGrad(y, f, δ) vs the central difference of your huberLoss(y, f, δ)',
  }),
  property({
    id: 'B6.huberLossGrad.bounded', exercise: 'huberLossGrad', catalogue: 'B6', title: 'every entry has the sign of f − y and magnitude ≤ δ (robust to outliers)',
    hint: 'B6: outside the band the slope is δ, so an outlier pulls with force δ at most',
    arbitrary: huberInput,
    verify: async ([[y, f], d], s) => {
      const g = await vec(s, 'huberLossGrad', [y, f, d]);
      const ok = Array.isArray(g) && g.length === y.length && g.every((v, i) => Number.isFinite(v) && Math.abs(v) <= d * (1 + 1e-12) && v * (f[i] - y[i]) >= 0);
      expectThat(ok, `${callText('huberLossGrad', [y, f, d])} = ${JSON.stringify(g)} has an entry larger than δ or of the wrong sign`, g);
    },
  }),
];

// ---------------------------------------------------------------------------------------------
// B7 — sigmoid + L2 output layer (EBU7240)

const targets = uniform({ min: 0, max: 1 });

const sigmoidL2Checks: Check[] = [
  example({ id: 'B7.sigmoidL2Loss.example', exercise: 'sigmoidL2Loss', catalogue: 'B7', title: 'sigmoidL2Loss([1, 0], [0, 0]) = ¼ + ¼', hint: 'B7: p = σ(s) = ½ at s = 0, and L = Σ (z − p)²', args: [[1, 0], [0, 0]], expected: 0.5 }),
  example({ id: 'B7.sigmoidL2Loss.fit', exercise: 'sigmoidL2Loss', catalogue: 'B7', title: 'sigmoidL2Loss([¾, ¼], [ln 3, −ln 3]) = 0 (σ(±ln 3) = ¾, ¼)', hint: 'B7: p = σ(s) = 1/(1 + e^−s); check the sign of the exponent', args: [[0.75, 0.25], [Math.log(3), -Math.log(3)]], expected: 0 }),
  property({
    id: 'B7.sigmoidL2Loss.stable', exercise: 'sigmoidL2Loss', catalogue: 'B7', title: 'sigmoidL2Loss(z, s) is finite and in [0, Σ max(z², (1 − z)²)] for |s| ≤ 1000',
    hint: 'B7: p = σ(s) ∈ [0, 1] must not be NaN: e^s/(1 + e^s) is ∞/∞ past s ≈ 709 (A1)',
    arbitrary: pairWith(targets, () => logit),
    verify: async ([z, sv], s) => {
      const l = await num(s, 'sigmoidL2Loss', [z, sv]);
      const hi = sum(z.map((v) => Math.max(v * v, (1 - v) ** 2)));
      expectThat(typeof l === 'number' && Number.isFinite(l) && l >= 0 && l <= hi * (1 + 1e-12), `${callText('sigmoidL2Loss', [z, sv])} returned ${String(l)}, outside [0, ${hi}]`, l);
    },
  }),
];

const l2Grad = async (s: S, z: number[], sv: number[]) => (await s.call('sigmoidL2LossGrad', [z, sv])) as { dp: number[]; ds: number[] };

const sigmoidL2GradChecks: Check[] = [
  example({ id: 'B7.sigmoidL2LossGrad.example', exercise: 'sigmoidL2LossGrad', catalogue: 'B7', title: 'sigmoidL2LossGrad([1, 0], [0, 0]) = { dp: [−1, 1], ds: [−¼, ¼] }', hint: 'B7: dp = −2(z − p), ds = p(1 − p) ⊙ dp, at p = σ(0) = ½', args: [[1, 0], [0, 0]], expected: { dp: [-1, 1], ds: [-0.25, 0.25] } }),
  gradientOfOwnForward({
    id: 'B7.sigmoidL2LossGrad.dp', exercise: 'sigmoidL2LossGrad', catalogue: 'B7', title: 'dp equals the numerical derivative of your sigmoidL2Loss with respect to p',
    hint: 'B7: ∂L/∂p = −2(z − p) ([Oh] "Output layer"): keep the 2 and the sign',
    arbitrary: pairWith(targets, () => uniform({ min: 0.05, max: 0.95 }), 6),
    // L as a function of p: evaluate your loss at the logits s = log(p/(1 − p)), where σ(s) = p
    point: ([, p]) => p,
    loss: (s, v, [z]) => num(s, 'sigmoidL2Loss', [z, v.map(logitOf)]),
    received: async (s, [z, p]) => (await l2Grad(s, z, p.map(logitOf))).dp,
    what: 'sigmoidL2LossGrad(z, s).dp vs the central difference of your sigmoidL2Loss in p = σ(s)',
  }),
  gradientOfOwnForward({
    id: 'B7.sigmoidL2LossGrad.ds', exercise: 'sigmoidL2LossGrad', catalogue: 'B7', title: 'ds equals the numerical gradient of your sigmoidL2Loss with respect to s',
    hint: 'B7: ∂L/∂s = (1 − σ(s)) ⊙ σ(s) ⊙ ∂L/∂p: the sigmoid derivative at p = σ(s), not at s',
    arbitrary: pairWith(targets, () => real({ min: -8, max: 8 }), 6),
    point: ([, sv]) => sv,
    loss: (s, v, [z]) => num(s, 'sigmoidL2Loss', [z, v]),
    received: async (s, [z, sv]) => (await l2Grad(s, z, sv)).ds,
    what: 'sigmoidL2LossGrad(z, s).ds vs the central difference of your sigmoidL2Loss',
  }),
  property({
    id: 'B7.sigmoidL2LossGrad.stable', exercise: 'sigmoidL2LossGrad', catalogue: 'B7', title: 'dp and ds are finite for |s| ≤ 1000',
    hint: "B7: σ'(s) = σ(s)(1 − σ(s)); the form e^−s/(1 + e^−s)² is ∞/∞ for s < −709",
    arbitrary: pairWith(targets, () => logit),
    verify: async ([z, sv], s) => {
      const g = await l2Grad(s, z, sv);
      const finite = (v: unknown) => Array.isArray(v) && v.length === z.length && v.every(Number.isFinite);
      expectThat(g !== null && typeof g === 'object' && finite(g.dp) && finite(g.ds), `${callText('sigmoidL2LossGrad', [z, sv])} = ${JSON.stringify(g)} is not finite`, g);
    },
  }),
];

export const losses: FamilyGrader = {
  id: 'B',
  module: 'losses',
  title: 'Losses',
  exercises: [
    { name: 'l1Loss', catalogue: 'B1', arity: 2, summary: 'Σ|y − ŷ|' },
    { name: 'l1LossGrad', catalogue: 'B1', arity: 2, summary: 'sign(ŷ − y), 0 at ties' },
    { name: 'l2Loss', catalogue: 'B1', arity: 2, summary: 'Σ(y − ŷ)²' },
    { name: 'l2LossGrad', catalogue: 'B1', arity: 2, summary: '2(ŷ − y)' },
    { name: 'sseLoss', catalogue: 'B1', arity: 2, summary: '½Σ(y − t)² (Bishop: y output, t target)' },
    { name: 'sseLossGrad', catalogue: 'B1', arity: 2, summary: 'y − t' },
    { name: 'mse', catalogue: 'B2', arity: 2, summary: '(1/N)Σ(y − h)²' },
    { name: 'mseGrad', catalogue: 'B2', arity: 2, summary: '(2/N)(h − y)' },
    { name: 'binaryCrossEntropy', catalogue: 'B3', arity: 2, summary: '−Σ[y log h + (1 − y) log(1 − h)], 0·log 0 = 0' },
    { name: 'binaryCrossEntropyGrad', catalogue: 'B3', arity: 2, summary: '−y/h + (1 − y)/(1 − h)' },
    { name: 'sigmoidCrossEntropy', catalogue: 'B3', arity: 2, summary: 'BCE from logits, stable for |s| ≤ 1000' },
    { name: 'sigmoidCrossEntropyGrad', catalogue: 'B3', arity: 2, summary: 'σ(s) − y' },
    { name: 'softmaxCrossEntropy', catalogue: 'B4', arity: 2, summary: '−Σ y_c log softmax(s)_c, stable' },
    { name: 'softmaxCrossEntropyGrad', catalogue: 'B4', arity: 2, summary: 'p − y' },
    { name: 'hingeLoss', catalogue: 'B5', arity: 2, summary: 'Σ max(0, 1 − y·h), y ∈ {−1, +1}' },
    { name: 'hingeLossGrad', catalogue: 'B5', arity: 2, summary: '−y where y·h < 1, else 0' },
    { name: 'huberLoss', catalogue: 'B6', arity: 3, summary: '½r² if |r| ≤ δ else δ|r| − ½δ²' },
    { name: 'huberLossGrad', catalogue: 'B6', arity: 3, summary: 'the residual f − y clipped to [−δ, δ]' },
    { name: 'sigmoidL2Loss', catalogue: 'B7', arity: 2, summary: 'Σ(z − σ(s))²' },
    { name: 'sigmoidL2LossGrad', catalogue: 'B7', arity: 2, summary: 'dp = −2(z − p), ds = p(1 − p) ⊙ dp' },
  ],
  checks: [
    ...l1Checks, ...l1GradChecks, ...l2Checks, ...l2GradChecks, ...sseChecks, ...sseGradChecks,
    ...mseChecks, ...mseGradChecks, ...bceChecks, ...bceGradChecks, ...sigmoidCeChecks, ...sigmoidCeGradChecks,
    ...softmaxCeChecks, ...softmaxCeGradChecks, ...hingeChecks, ...hingeGradChecks, ...huberChecks, ...huberGradChecks,
    ...sigmoidL2Checks, ...sigmoidL2GradChecks,
  ],
};
