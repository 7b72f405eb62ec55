/**
 * Family A (activations): public checks. Worked examples from the notes and exactly known
 * values, invariants (symmetry, shift invariance, sums), stability over |x| ≤ 1000, and every
 * derivative against the numerical derivative of the student's own forward function.
 */
import fc from 'fast-check';
import { sigmoidGradAtZero, vanishingTenLayers, leakySlopes } from '../fixtures/activations.fixtures.ts';
import { real, vector, matrix } from './engine/arbitraries.ts';
import { example, expectClose, expectThat, property, callText, FLOAT64, NUMERIC } from './engine/checks.ts';
import { numericalGradient } from './engine/numeric.ts';
import { derivativeOfOwnForward, finiteEverywhere, gradientOfOwnForward } from './engine/patterns.ts';
import { firstOffending } from './engine/shapes.ts';
import type { Check, FamilyGrader } from './engine/types.ts';

const wide = real({ min: -1000, max: 1000 });
const moderate = real({ min: -10, max: 10 });
const awayFromZero = real({ min: -10, max: 10, avoid: [0] });
const slope = fc.double({ min: 0, max: 1, noNaN: true });
const positive = fc.double({ min: 0.05, max: 5, noNaN: true });

const sigmoidChecks: Check[] = [
  example({ id: 'A1.sigmoid.zero', exercise: 'sigmoid', catalogue: 'A1', title: 'σ(0) = 1/2', hint: 'A1: σ(x) = 1/(1 + e^−x)', args: [0], expected: 0.5 }),
  example({ id: 'A1.sigmoid.ln3', exercise: 'sigmoid', catalogue: 'A1', title: 'σ(ln 3) = 3/4', hint: 'A1: σ(x) = 1/(1 + e^−x); e^−ln 3 = 1/3. Check the sign of the exponent.', args: [Math.log(3)], expected: 0.75 }),
  property({
    id: 'A1.sigmoid.symmetry', exercise: 'sigmoid', catalogue: 'A1', title: 'σ(−x) = 1 − σ(x)',
    hint: 'A1: the logistic curve is point-symmetric about (0, 1/2)',
    arbitrary: real({ min: -30, max: 30 }),
    verify: async (x, s) => {
      const [a, b] = [await s.call('sigmoid', [-x]), await s.call('sigmoid', [x])];
      // 1 − σ(x) cancels: its absolute error is up to ½ ulp(1) ≈ 1.1e−16 whatever x, i.e. up to
      // ~1e−3 relative where σ(−x) ≈ 1e−13 (x = 30): atol 1e−15 covers that; rtol 1e−9 is the
      // few-ulp rounding of two equal forms near x = 0 with room to spare (a wrong branch is O(1) off)
      expectClose(a, 1 - (b as number), { rtol: 1e-9, atol: 1e-15 }, `σ(${-x}) vs 1 − σ(${x})`);
    },
  }),
  finiteEverywhere({
    id: 'A1.sigmoid.stable', exercise: 'sigmoid', catalogue: 'A1', title: 'σ(x) is finite and in [0, 1] for |x| ≤ 1000',
    hint: 'A1: e^−x overflows for x < −709; for x < 0 use the equal form e^x/(1 + e^x)',
    arbitrary: wide, args: (x) => [x], inRange: (v) => v >= 0 && v <= 1, range: '[0, 1]',
  }),
];

const sigmoidGradChecks: Check[] = [
  example({ id: 'A1.sigmoidGrad.zero', exercise: 'sigmoidGrad', catalogue: 'A1', title: "σ'(0) = 0.25 (notes, A11)", hint: "A1/A11: σ'(x) = σ(x)(1 − σ(x))", args: [sigmoidGradAtZero.input.x], expected: sigmoidGradAtZero.expected }),
  derivativeOfOwnForward({
    id: 'A1.sigmoidGrad.numeric', exercise: 'sigmoidGrad', forward: 'sigmoid', catalogue: 'A1',
    hint: "A1: σ'(x) = σ(x)(1 − σ(x)) is the derivative at the pre-activation x: do not pass σ(x) in again",
    arbitrary: moderate, args: (x) => [x],
  }),
  finiteEverywhere({
    id: 'A1.sigmoidGrad.stable', exercise: 'sigmoidGrad', catalogue: 'A1', title: "σ'(x) is finite and in [0, 1/4] for |x| ≤ 1000",
    hint: "A1: σ' peaks at σ'(0) = 1/4 and is never negative",
    arbitrary: wide, args: (x) => [x], inRange: (v) => v >= 0 && v <= 0.25, range: '[0, 0.25]',
  }),
];

const tanhChecks: Check[] = [
  example({ id: 'A2.tanh.ln2', exercise: 'tanh', catalogue: 'A2', title: 'tanh(ln 2) = 3/5', hint: 'A2: (e^x − e^−x)/(e^x + e^−x) with e^x = 2', args: [Math.log(2)], expected: 0.6 }),
  property({
    id: 'A2.tanh.odd', exercise: 'tanh', catalogue: 'A2', title: 'tanh(−x) = −tanh(x)', hint: 'A2: tanh is an odd function',
    arbitrary: moderate,
    verify: async (x, s) => expectClose(await s.call('tanh', [-x]), -((await s.call('tanh', [x])) as number), FLOAT64, `tanh(${-x}) vs −tanh(${x})`),
  }),
  finiteEverywhere({
    id: 'A2.tanh.stable', exercise: 'tanh', catalogue: 'A2', title: 'tanh(x) is finite and in [−1, 1] for |x| ≤ 1000',
    hint: 'A2: e^x overflows past x ≈ 709, and ∞/∞ is NaN: rewrite with e^−2|x|',
    arbitrary: wide, args: (x) => [x], inRange: (v) => Math.abs(v) <= 1, range: '[−1, 1]',
  }),
];

const tanhGradChecks: Check[] = [
  example({ id: 'A2.tanhGrad.zero', exercise: 'tanhGrad', catalogue: 'A2', title: "tanh'(0) = 1", hint: "A2: tanh' = 1 − tanh²", args: [0], expected: 1 }),
  derivativeOfOwnForward({ id: 'A2.tanhGrad.numeric', exercise: 'tanhGrad', forward: 'tanh', catalogue: 'A2', hint: "A2: tanh'(x) = 1 − tanh²(x), at the pre-activation x", arbitrary: moderate, args: (x) => [x] }),
  finiteEverywhere({
    id: 'A2.tanhGrad.stable', exercise: 'tanhGrad', catalogue: 'A2', title: "tanh'(x) is finite and in [0, 1] for |x| ≤ 1000",
    // the stable form 4t/(1 + t)², t = e^−2|x|, is 1 + 2⁻⁵² near x = 0 (three roundings of ½ ulp
    // each): the bound allows two ulps above 1, and nothing a wrong formula could hide in
    hint: "A2: tanh' = 1 − tanh² lies in [0, 1]", arbitrary: wide, args: (x) => [x], inRange: (v) => v >= 0 && v <= 1 + 2 * Number.EPSILON, range: '[0, 1] (to two ulps)',
  }),
];

const reluChecks: Check[] = [
  example({ id: 'A3.relu.negative', exercise: 'relu', catalogue: 'A3', title: 'relu(−2) = 0', hint: 'A3: max(0, x)', args: [-2], expected: 0 }),
  example({ id: 'A3.relu.positive', exercise: 'relu', catalogue: 'A3', title: 'relu(3) = 3', hint: 'A3: max(0, x)', args: [3], expected: 3 }),
  property({
    id: 'A3.relu.identity', exercise: 'relu', catalogue: 'A3', title: 'relu(x) − relu(−x) = x and relu(x) ≥ 0', hint: 'A3: max(0, x) − max(0, −x) = x',
    arbitrary: wide,
    verify: async (x, s) => {
      const [p, n] = [(await s.call('relu', [x])) as number, (await s.call('relu', [-x])) as number];
      expectThat(p >= 0, `relu(${x}) = ${p} is negative`, p);
      expectClose(p - n, x, FLOAT64, `relu(${x}) − relu(${-x})`);
    },
  }),
];

const reluGradChecks: Check[] = [
  example({ id: 'A3.reluGrad.kink', exercise: 'reluGrad', catalogue: 'A3', title: "relu'(0) = 0 (the course's subgradient at the kink)", hint: 'A3: the subgradient at 0 is a choice; this course (and tfjs) takes 0', args: [0], expected: 0 }),
  derivativeOfOwnForward({ id: 'A3.reluGrad.numeric', exercise: 'reluGrad', forward: 'relu', catalogue: 'A3', hint: "A3: relu'(x) = 1 for x > 0, else 0", arbitrary: awayFromZero, args: (x) => [x] }),
];

const leakyChecks: Check[] = [
  ...leakySlopes.map((f) =>
    example({
      id: `A4.leakyRelu.${f.id}`, exercise: 'leakyRelu', catalogue: 'A4', title: `leakyRelu(${f.input.x}, ${f.input.alpha}) = ${f.expected} (${f.source.slide})`,
      hint: 'A4: max(αx, x); the slope α is a parameter (the decks use 0.01, 0.1 and 0.2)', args: [f.input.x, f.input.alpha], expected: f.expected,
    }),
  ),
  property({
    id: 'A4.leakyRelu.max', exercise: 'leakyRelu', catalogue: 'A4', title: 'leakyRelu(x, α) = max(αx, x) for α ∈ [0, 1]', hint: 'A4: max(αx, x)',
    arbitrary: fc.tuple(moderate, slope),
    verify: async ([x, a], s) => expectClose(await s.call('leakyRelu', [x, a]), Math.max(a * x, x), FLOAT64, callText('leakyRelu', [x, a])),
  }),
];

const leakyGradChecks: Check[] = [
  example({ id: 'A4.leakyReluGrad.kink', exercise: 'leakyReluGrad', catalogue: 'A4', title: "leakyRelu'(0, α) = α", hint: 'A4: take the slope α at the kink, as relu takes 0', args: [0, 0.1], expected: 0.1 }),
  derivativeOfOwnForward({ id: 'A4.leakyReluGrad.numeric', exercise: 'leakyReluGrad', forward: 'leakyRelu', catalogue: 'A4', hint: "A4: f'(x) = 1 for x > 0, else α", arbitrary: fc.tuple(awayFromZero, slope), args: ([x, a]) => [x, a] }),
];

const preluChecks: Check[] = [
  example({ id: 'A5.prelu.example', exercise: 'prelu', catalogue: 'A5', title: 'prelu([−2, 0, 3], 0.25) = [−0.5, 0, 3]', hint: 'A5: f(y) = y if y > 0 else a·y, elementwise', args: [[-2, 0, 3], 0.25], expected: [-0.5, 0, 3] }),
  property({
    id: 'A5.prelu.limits', exercise: 'prelu', catalogue: 'A5', title: 'prelu(y, 1) = y and prelu(y, 0) = relu(y)', hint: 'A5: a = 1 is the identity, a = 0 is ReLU',
    arbitrary: vector({ min: -10, max: 10 }),
    verify: async (y, s) => {
      expectClose(await s.call('prelu', [y, 1]), y, FLOAT64, 'prelu(y, 1)');
      expectClose(await s.call('prelu', [y, 0]), y.map((v) => Math.max(v, 0)), FLOAT64, 'prelu(y, 0)');
    },
  }),
];

const preluInput = fc.tuple(vector({ min: -5, max: 5, avoid: [0] }), fc.double({ min: -1, max: 1, noNaN: true })).chain(([y, a]) =>
  fc.tuple(fc.constant(y), fc.constant(a), fc.array(fc.double({ min: -2, max: 2, noNaN: true }), { minLength: y.length, maxLength: y.length })),
);
const preluLoss = async (s: { call: (n: string, a: unknown[]) => Promise<unknown> }, y: number[], a: number, dout: number[]) =>
  ((await s.call('prelu', [y, a])) as number[]).reduce((acc, v, i) => acc + v * dout[i], 0);

const preluBackwardChecks: Check[] = [
  example({
    id: 'A5.preluBackward.kink', exercise: 'preluBackward', catalogue: 'A5', title: 'preluBackward([1, 2, 3], [0, −0, 2], ½) = { dy: [½, 1, 3], da: 0 } (the kink takes the negative side)',
    // by hand: y = 0 and −0 take the slope, dy = ½·1 and ½·2; y = 2 passes dout; da = 1·0 + 2·(−0) = 0
    hint: 'A5: at y_i = 0 (and −0) take the negative side: dy_i = a·dout_i, and y_i contributes dout_i·0 to da',
    args: [[1, 2, 3], [0, -0, 2], 0.5], expected: { dy: [0.5, 1, 3], da: 0 },
  }),
  gradientOfOwnForward({
    id: 'A5.preluBackward.dy', exercise: 'preluBackward', catalogue: 'A5', title: 'dy equals the numerical gradient of Σ dout·prelu(y, a) w.r.t. y',
    hint: 'A5: ∂L/∂y_i = dout_i·(1 if y_i > 0 else a)', arbitrary: preluInput, point: ([y]) => y,
    loss: (s, v, [, a, dout]) => preluLoss(s, v, a, dout),
    received: async (s, [y, a, dout]) => ((await s.call('preluBackward', [dout, y, a])) as { dy: unknown }).dy,
    what: 'preluBackward(dout, y, a).dy',
  }),
  gradientOfOwnForward({
    id: 'A5.preluBackward.da', exercise: 'preluBackward', catalogue: 'A5', title: 'da equals the numerical derivative of Σ dout·prelu(y, a) w.r.t. a',
    hint: 'A5: the slope is shared, so ∂L/∂a = Σ_{y_i ≤ 0} dout_i·y_i accumulates over every position', arbitrary: preluInput, point: ([, a]) => [a],
    loss: (s, [a], [y, , dout]) => preluLoss(s, y, a, dout),
    received: async (s, [y, a, dout]) => [((await s.call('preluBackward', [dout, y, a])) as { da: unknown }).da],
    what: 'preluBackward(dout, y, a).da',
  }),
];

const eluChecks: Check[] = [
  example({ id: 'A6.elu.halfway', exercise: 'elu', catalogue: 'A6', title: 'elu(ln ½, 1) = −½', hint: 'A6: α(e^x − 1) for x < 0', args: [Math.log(0.5), 1], expected: -0.5 }),
  example({ id: 'A6.elu.alpha', exercise: 'elu', catalogue: 'A6', title: 'elu(ln ½, 2) = −1 (α scales the negative branch)', hint: 'A6: α(e^x − 1): α multiplies the whole bracket', args: [Math.log(0.5), 2], expected: -1 }),
  example({ id: 'A6.elu.positive', exercise: 'elu', catalogue: 'A6', title: 'elu(2, 0.7) = 2', hint: 'A6: x for x ≥ 0', args: [2, 0.7], expected: 2 }),
  finiteEverywhere({
    id: 'A6.elu.stable', exercise: 'elu', catalogue: 'A6', title: 'elu(x, α) is finite and ≥ −α for |x| ≤ 1000', hint: 'A6: for x → −∞, α(e^x − 1) → −α',
    arbitrary: fc.tuple(wide, positive), args: ([x, a]) => [x, a], inRange: (v, [, a]) => v >= -a, range: '[−α, ∞)',
  }),
];

const eluGradChecks: Check[] = [
  example({ id: 'A6.eluGrad.zero', exercise: 'eluGrad', catalogue: 'A6', title: "elu'(0, α) = 1 (the x ≥ 0 branch)", hint: 'A6: f(x) = x for x ≥ 0, so the derivative at 0 is taken from that branch', args: [0, 0.5], expected: 1 }),
  derivativeOfOwnForward({ id: 'A6.eluGrad.numeric', exercise: 'eluGrad', forward: 'elu', catalogue: 'A6', hint: "A6: f'(x) = α·e^x for x < 0", arbitrary: fc.tuple(awayFromZero, positive), args: ([x, a]) => [x, a] }),
  finiteEverywhere({
    id: 'A6.eluGrad.stable', exercise: 'eluGrad', catalogue: 'A6', title: "elu'(x, α) is finite and in [0, max(1, α)] for |x| ≤ 1000",
    // α·e^x ≤ α·1 survives rounding (e^x rounds to at most 1 for x < 0), and underflows to 0 far left
    hint: "A6: evaluate only the branch you return: a mask times α·e^1000 is 0·∞ = NaN", arbitrary: fc.tuple(wide, positive), args: ([x, a]) => [x, a],
    inRange: (v, [, a]) => v >= 0 && v <= Math.max(1, a), range: '[0, max(1, α)]',
  }),
];

const softplusChecks: Check[] = [
  example({ id: 'A7.softplus.zero', exercise: 'softplus', catalogue: 'A7', title: 'softplus(0) = ln 2', hint: 'A7: ln(1 + e^x)', args: [0], expected: Math.LN2 }),
  property({
    id: 'A7.softplus.identity', exercise: 'softplus', catalogue: 'A7', title: 'softplus(x) − softplus(−x) = x', hint: 'A7: ln(1 + e^x) − ln(1 + e^−x) = x',
    arbitrary: moderate,
    // the difference of two values up to ~10 cancels: each is rounded at ulp(10) ≈ 2e−15, so the
    // difference is off by ~4e−15 absolute, which only atol can cover for small x; atol 1e−12 keeps
    // a wide margin, and a log10 or a lost |x| is off by O(|x|)
    verify: async (x, s) => expectClose(((await s.call('softplus', [x])) as number) - ((await s.call('softplus', [-x])) as number), x, { rtol: 1e-9, atol: 1e-12 }, `softplus(${x}) − softplus(${-x})`),
  }),
  example({ id: 'A7.softplus.large', exercise: 'softplus', catalogue: 'A7', title: 'softplus(1000) = 1000 (no overflow)', hint: 'A7: ln(1 + e^x) = max(x, 0) + ln(1 + e^−|x|)', args: [1000], expected: 1000 }),
  finiteEverywhere({ id: 'A7.softplus.stable', exercise: 'softplus', catalogue: 'A7', title: 'softplus(x) is finite and ≥ 0 for |x| ≤ 1000', hint: 'A7: e^x overflows for x > 709', arbitrary: wide, args: (x) => [x], inRange: (v) => v >= 0, range: '[0, ∞)' }),
];

const softplusGradChecks: Check[] = [
  example({ id: 'A7.softplusGrad.zero', exercise: 'softplusGrad', catalogue: 'A7', title: "softplus'(0) = 1/2", hint: "A7: softplus' = σ", args: [0], expected: 0.5 }),
  derivativeOfOwnForward({ id: 'A7.softplusGrad.numeric', exercise: 'softplusGrad', forward: 'softplus', catalogue: 'A7', hint: "A7: softplus'(x) = σ(x)", arbitrary: moderate, args: (x) => [x] }),
  finiteEverywhere({
    id: 'A7.softplusGrad.stable', exercise: 'softplusGrad', catalogue: 'A7', title: "softplus'(x) is finite and in [0, 1] for |x| ≤ 1000",
    hint: "A7: softplus' = σ: e^x/(1 + e^x) is ∞/∞ past x ≈ 709; use the stable σ of A1", arbitrary: wide, args: (x) => [x], inRange: (v) => v >= 0 && v <= 1, range: '[0, 1]',
  }),
];

const sum = (v: number[]) => v.reduce((a, b) => a + b, 0);

const softmaxChecks: Check[] = [
  example({ id: 'A8.softmax.ratios', exercise: 'softmax', catalogue: 'A8', title: 'softmax([ln 1, ln 2, ln 3]) = [1/6, 2/6, 3/6]', hint: 'A8: e^{x_j}/Σ e^{x_k}', args: [[0, Math.log(2), Math.log(3)]], expected: [1 / 6, 2 / 6, 3 / 6] }),
  property({
    id: 'A8.softmax.distribution', exercise: 'softmax', catalogue: 'A8', title: 'softmax(x) is a probability vector (entries in [0, 1], sum 1) for |x| ≤ 1000',
    hint: 'A8: subtract max_k x_k before exponentiating, or e^x overflows',
    arbitrary: vector({ min: -1000, max: 1000 }),
    verify: async (x, s) => {
      const p = (await s.call('softmax', [x])) as number[];
      expectThat(Array.isArray(p) && p.length === x.length, `softmax of ${x.length} entries returned ${Array.isArray(p) ? p.length : typeof p} entries`, p);
      const outside = firstOffending(p, (v) => Number.isFinite(v) && v >= 0 && v <= 1);
      expectThat(outside === undefined, `softmax(${JSON.stringify(x)}) has an entry outside [0, 1]: ${outside}`, p);
      // K ≤ 8 entries, each within a few ulps of its value: the sum is within ~1e−15 of the constant 1
      expectClose(sum(p), 1, { rtol: 0, atol: 1e-12 }, 'Σ softmax(x)');
    },
  }),
  property({
    id: 'A8.softmax.shift', exercise: 'softmax', catalogue: 'A8', title: 'softmax(x + c) = softmax(x)', hint: 'A8: a constant added to every logit cancels in the ratio',
    arbitrary: fc.tuple(vector({ min: -20, max: 20 }), real({ min: -50, max: 50 })),
    // x + c rounds each logit by up to ½ ulp(70) ≈ 7e−15, which moves each log p_j by at most twice
    // that (its partial derivatives lie in [−1, 1]): ~1.4e−14 relative; rtol 1e−9 has room for the
    // rounding of the softmax itself, atol 1e−15 for entries near underflow
    verify: async ([x, c], s) => expectClose(await s.call('softmax', [x.map((v) => v + c)]), await s.call('softmax', [x]), { rtol: 1e-9, atol: 1e-15 }, `softmax(x + ${c}) vs softmax(x)`),
  }),
];

const softmaxJacobianChecks: Check[] = [
  example({
    id: 'A8.softmaxJacobian.large', exercise: 'softmaxJacobian', catalogue: 'A8', title: 'softmaxJacobian([1000, 1000]) = [[¼, −¼], [−¼, ¼]] (equal logits: p = [½, ½]; no overflow)',
    hint: 'A8: D_ab = p_a(δ_ab − p_b) with p computed after subtracting max x (e^1000 overflows)', args: [[1000, 1000]], expected: [[0.25, -0.25], [-0.25, 0.25]],
  }),
  property({
    id: 'A8.softmaxJacobian.numeric', exercise: 'softmaxJacobian', catalogue: 'A8', title: 'D_ab equals the numerical ∂p_a/∂x_b of your softmax',
    hint: 'A8: D_ab = p_a(δ_ab − p_b); row a is the gradient of p_a',
    arbitrary: vector({ min: -5, max: 5, maxLength: 5 }),
    verify: async (x, s) => {
      const D = (await s.call('softmaxJacobian', [x])) as number[][];
      const numeric: number[][] = [];
      for (let a = 0; a < x.length; a++) numeric.push(await numericalGradient(async (v) => ((await s.call('softmax', [v])) as number[])[a], x));
      expectClose(D, numeric, NUMERIC, `softmaxJacobian(${JSON.stringify(x)})`);
    },
  }),
  property({
    id: 'A8.softmaxJacobian.structure', exercise: 'softmaxJacobian', catalogue: 'A8', title: 'D is symmetric and its columns sum to 0',
    hint: 'A8: Σ_a p_a = 1 for every x, so Σ_a ∂p_a/∂x_b = 0; p_a p_b is symmetric',
    arbitrary: vector({ min: -10, max: 10, maxLength: 6 }),
    verify: async (x, s) => {
      const D = (await s.call('softmaxJacobian', [x])) as number[][];
      expectThat(Array.isArray(D) && D.length === x.length, `expected a ${x.length}×${x.length} matrix`, D);
      // D_ab = −p_a p_b and D_ba = −p_b p_a are the same product, rounded perhaps through different
      // forms (p_a(0 − p_b)): a few ulps relative, atol 1e−15 for products near underflow
      expectClose(D, D.map((_, a) => D.map((row) => row[a])), { rtol: 1e-9, atol: 1e-15 }, 'D vs Dᵀ');
      // a column sum adds K ≤ 6 entries of size ≤ ¼, each rounded at ~1e−16: within ~1e−15 of 0
      expectClose(D[0].map((_, b) => sum(D.map((row) => row[b]))), x.map(() => 0), { rtol: 0, atol: 1e-12 }, 'column sums of D');
    },
  }),
];

const logSumExpChecks: Check[] = [
  example({ id: 'A9.logSumExp.large', exercise: 'logSumExp', catalogue: 'A9', title: 'logSumExp([1000, 1000]) = 1000 + ln 2 (no overflow)', hint: 'A9: m + log Σ e^{x_k − m}, m = max x', args: [[1000, 1000]], expected: 1000 + Math.LN2 }),
  property({
    id: 'A9.logSumExp.shift', exercise: 'logSumExp', catalogue: 'A9', title: 'logSumExp(x + c) = logSumExp(x) + c, finite and ≥ max x, for |x| ≤ 1000',
    hint: 'A9: log Σ e^{x_k + c} = c + log Σ e^{x_k}; compute it as m + log Σ e^{x_k − m}',
    arbitrary: fc.tuple(vector({ min: -1000, max: 1000 }), real({ min: -400, max: 400 })),
    verify: async ([x, c], s) => {
      const l = (await s.call('logSumExp', [x])) as number;
      expectThat(typeof l === 'number' && Number.isFinite(l), `logSumExp(${JSON.stringify(x)}) returned ${l}: the true value is finite`, l);
      expectThat(l >= Math.max(...x) - 1e-9, `logSumExp(${JSON.stringify(x)}) = ${l} is below max x`, l);
      // x + c and l + c are rounded at ulp(1400) ≈ 2.3e−13 each, and log-sum-exp moves by at most
      // the largest change of a logit: ~5e−13 absolute; atol 1e−9 covers it at every size (a
      // forgotten m is off by m, a naive form is ∞)
      expectClose(await s.call('logSumExp', [x.map((v) => v + c)]), l + c, { rtol: 1e-12, atol: 1e-9 }, `logSumExp(x + ${c})`);
    },
  }),
];

const logSoftmaxChecks: Check[] = [
  example({ id: 'A9.logSoftmax.large', exercise: 'logSoftmax', catalogue: 'A9', title: 'logSoftmax([1000, 0]) = [0, −1000] (log Σ e^x = 1000 + ln(1 + e^−1000) = 1000 in float64; no overflow)', hint: 'A9: x_j − (m + log Σ_k e^{x_k − m}), m = max x: e^1000 overflows', args: [[1000, 0]], expected: [0, -1000] }),
  example({ id: 'A9.logSoftmax.tiny', exercise: 'logSoftmax', catalogue: 'A9', title: 'logSoftmax([0, −1000]) = [0, −1000] (finite where p underflows)', hint: 'A9: x_j − logSumExp(x), never log(softmax(x))', args: [[0, -1000]], expected: [0, -1000] }),
  property({
    id: 'A9.logSoftmax.normalised', exercise: 'logSoftmax', catalogue: 'A9', title: 'Σ exp(logSoftmax(x)) = 1 and differences equal x_a − x_b',
    hint: 'A9: log p_a − log p_b = x_a − x_b', arbitrary: vector({ min: -50, max: 50, minLength: 2 }),
    verify: async (x, s) => {
      const l = (await s.call('logSoftmax', [x])) as number[];
      // K ≤ 8 terms, each within a few ulps: the sum is within ~1e−15 of the constant 1
      expectClose(sum(l.map(Math.exp)), 1, { rtol: 0, atol: 1e-12 }, 'Σ exp(logSoftmax(x))');
      // l_j = x_j − log Σ e^x is rounded at ulp(100) ≈ 1.4e−14 absolute for |x| ≤ 50: the
      // differences are within ~3e−14 of x_a − x_0, whatever their size
      expectClose(l.map((v) => v - l[0]), x.map((v) => v - x[0]), { rtol: 1e-9, atol: 1e-9 }, 'logSoftmax(x)_a − logSoftmax(x)_0');
    },
  }),
];

/** m units, k pieces, d inputs: W [m][k][d], b [m][k], x [d]. */
const maxoutInput = fc
  .record({ m: fc.integer({ min: 1, max: 3 }), k: fc.integer({ min: 1, max: 3 }), d: fc.integer({ min: 1, max: 4 }) })
  .chain(({ m, k, d }) =>
    fc.record({
      x: vector({ min: -3, max: 3, minLength: d, maxLength: d }),
      W: fc.array(matrix({ rows: k, cols: d, min: -2, max: 2 }), { minLength: m, maxLength: m }),
      b: matrix({ rows: m, cols: k, min: -1, max: 1 }),
      dout: vector({ min: -2, max: 2, minLength: m, maxLength: m }),
    }),
  );
const affine = (W: number[][], b: number[], x: number[]) => W.map((row, j) => row.reduce((s, w, i) => s + w * x[i], b[j]));
/** The smallest gap between the best and second-best piece of any unit: finite differences must not cross a tie. */
const margin = ({ x, W, b }: { x: number[]; W: number[][][]; b: number[][] }) =>
  Math.min(...W.map((Wi, i) => { const z = affine(Wi, b[i], x).sort((p, q) => q - p); return z.length > 1 ? z[0] - z[1] : Infinity; }));

const maxoutChecks: Check[] = [
  example({ id: 'A10.maxout.example', exercise: 'maxout', catalogue: 'A10', title: 'maxout of one unit with pieces 2x₁ − x₂ + 0 and x₁ + x₂ + 1 at x = [1, 2] is 4', hint: 'A10: h_i = max_j (xᵀW_ij + b_ij)', args: [[1, 2], [[[2, -1], [1, 1]]], [[0, 1]]], expected: [4] }),
  property({
    id: 'A10.maxout.generalises-relu', exercise: 'maxout', catalogue: 'A10', title: 'pieces wᵀx and 0 give relu(wᵀx); one piece gives the affine map',
    hint: 'A10: maxout is a generalisation of ReLU ([Jung], "More Complex Activation Function")',
    arbitrary: fc.tuple(vector({ min: -3, max: 3, minLength: 3, maxLength: 3 }), vector({ min: -3, max: 3, minLength: 3, maxLength: 3 })),
    verify: async ([x, w], s) => {
      const z = w.reduce((acc, wi, i) => acc + wi * x[i], 0);
      expectClose(await s.call('maxout', [x, [[w, [0, 0, 0]]], [[0, 0]]]), [Math.max(z, 0)], FLOAT64, 'maxout with pieces wᵀx and 0');
      expectClose(await s.call('maxout', [x, [[w]], [[0.5]]]), [z + 0.5], FLOAT64, 'maxout with one piece');
    },
  }),
];

type MaxoutInput = { x: number[]; W: number[][][]; b: number[][]; dout: number[] };
const maxoutLoss = async (s: { call: (n: string, a: unknown[]) => Promise<unknown> }, t: MaxoutInput) =>
  ((await s.call('maxout', [t.x, t.W, t.b])) as number[]).reduce((acc, h, i) => acc + h * t.dout[i], 0);
const untied = maxoutInput.filter((t) => margin(t) > 1e-3);
const flatW = (W: number[][][]) => W.flat(2);
const shapeW = (v: number[], like: number[][][]) => { let i = 0; return like.map((Wi) => Wi.map((Wij) => Wij.map(() => v[i++]))); };

const maxoutBackwardChecks: Check[] = [
  gradientOfOwnForward({
    id: 'A10.maxoutBackward.dx', exercise: 'maxoutBackward', catalogue: 'A10', title: 'dx equals the numerical gradient of Σ dout·maxout(x) w.r.t. x',
    hint: 'A10: only the winning piece j* of each unit passes gradient: ∂L/∂x = Σ_i dout_i W_ij*',
    arbitrary: untied, point: (t) => t.x, loss: (s, v, t) => maxoutLoss(s, { ...t, x: v }),
    received: async (s, t) => ((await s.call('maxoutBackward', [t.dout, t.x, t.W, t.b])) as { dx: unknown }).dx, what: 'maxoutBackward(...).dx',
  }),
  gradientOfOwnForward({
    id: 'A10.maxoutBackward.dW', exercise: 'maxoutBackward', catalogue: 'A10', title: 'dW and db equal the numerical gradients w.r.t. W and b',
    hint: 'A10: ∂L/∂W_ij* = dout_i·x and ∂L/∂b_ij* = dout_i for the winning piece; 0 for the others',
    arbitrary: untied, point: (t) => [...flatW(t.W), ...t.b.flat()],
    loss: (s, v, t) => { const n = flatW(t.W).length; return maxoutLoss(s, { ...t, W: shapeW(v.slice(0, n), t.W), b: t.b.map((bi, i) => bi.map((_, j) => v[n + i * bi.length + j])) }); },
    received: async (s, t) => { const r = (await s.call('maxoutBackward', [t.dout, t.x, t.W, t.b])) as { dW: number[][][]; db: number[][] }; return [...flatW(r.dW), ...r.db.flat()]; },
    what: 'maxoutBackward(...).dW and .db (flattened)',
  }),
  example({
    id: 'A10.maxoutBackward.first-on-tie', exercise: 'maxoutBackward', catalogue: 'A10', title: 'on a tie the first maximal piece takes the gradient: pieces x₁ and x₂ at x = [1, 1]',
    hint: 'A10: with z_i1 = z_i2 the winner is j* = 1, the first maximal piece (the stub states it): the other gets no gradient',
    args: [[1], [1, 1], [[[1, 0], [0, 1]]], [[0, 0]]], expected: { dx: [1, 0], dW: [[[1, 1], [0, 0]]], db: [[1, 0]] },
  }),
];

const chainChecks: Check[] = [
  example({
    id: 'A11.sigmoidChainBound.ten', exercise: 'sigmoidChainBound', catalogue: 'A11', title: `ten sigmoid layers: 0.25^10 = ${vanishingTenLayers.expected} (notes: "${vanishingTenLayers.printed}")`,
    hint: "A11: max σ' = σ'(0) = 0.25 per layer, multiplied over the layers", args: [vanishingTenLayers.input.depth], expected: vanishingTenLayers.expected,
  }),
  example({ id: 'A11.sigmoidChainBound.none', exercise: 'sigmoidChainBound', catalogue: 'A11', title: 'no layer: the bound is 1', hint: 'A11: an empty product is 1', args: [0], expected: 1 }),
];

const inactiveChecks: Check[] = [
  example({ id: 'A12.reluInactiveFraction.example', exercise: 'reluInactiveFraction', catalogue: 'A12', title: 'a = [[1, −1], [0, 2]]: half of the units are inactive (a ≤ 0)', hint: 'A12: a unit with a ≤ 0 outputs 0 and passes no gradient (relu\'(0) = 0)', args: [[[1, -1], [0, 2]]], expected: 0.5 }),
  property({
    id: 'A12.reluInactiveFraction.complement', exercise: 'reluInactiveFraction', catalogue: 'A12', title: 'without zeros, fraction(a) + fraction(−a) = 1',
    hint: 'A12: every nonzero pre-activation is active in exactly one of a and −a',
    arbitrary: fc.record({ r: fc.integer({ min: 1, max: 5 }), c: fc.integer({ min: 1, max: 5 }) }).chain(({ r, c }) => matrix({ rows: r, cols: c, min: -5, max: 5, avoid: [0], gap: 1e-9 })),
    verify: async (a, s) => {
      const f = (await s.call('reluInactiveFraction', [a])) as number;
      const g = (await s.call('reluInactiveFraction', [a.map((row) => row.map((v) => -v))])) as number;
      // k/n + (n − k)/n: two rounded quotients may miss 1 by an ulp (so not EXACT); atol 1e−12
      expectClose(f + g, 1, { rtol: 0, atol: 1e-12 }, 'fraction(a) + fraction(−a)');
    },
  }),
];

export const activations: FamilyGrader = {
  id: 'A',
  module: 'activations',
  title: 'Activations',
  exercises: [
    { name: 'sigmoid', catalogue: 'A1', arity: 1, summary: 'σ(x) = 1/(1 + e^−x), stable for |x| ≤ 1000' },
    { name: 'sigmoidGrad', catalogue: 'A1', arity: 1, summary: "σ'(x) = σ(x)(1 − σ(x))" },
    { name: 'tanh', catalogue: 'A2', arity: 1, summary: 'tanh(x), stable for |x| ≤ 1000' },
    { name: 'tanhGrad', catalogue: 'A2', arity: 1, summary: "tanh'(x) = 1 − tanh²(x)" },
    { name: 'relu', catalogue: 'A3', arity: 1, summary: 'max(0, x)' },
    { name: 'reluGrad', catalogue: 'A3', arity: 1, summary: "relu'(x), 0 at the kink" },
    { name: 'leakyRelu', catalogue: 'A4', arity: 2, summary: 'max(αx, x)' },
    { name: 'leakyReluGrad', catalogue: 'A4', arity: 2, summary: "1 for x > 0, else α" },
    { name: 'prelu', catalogue: 'A5', arity: 2, summary: 'y if y > 0 else a·y, elementwise' },
    { name: 'preluBackward', catalogue: 'A5', arity: 3, summary: 'gradients w.r.t. y and the shared slope a' },
    { name: 'elu', catalogue: 'A6', arity: 2, summary: 'x if x ≥ 0 else α(e^x − 1)' },
    { name: 'eluGrad', catalogue: 'A6', arity: 2, summary: "1 if x ≥ 0 else α·e^x" },
    { name: 'softplus', catalogue: 'A7', arity: 1, summary: 'ln(1 + e^x), stable' },
    { name: 'softplusGrad', catalogue: 'A7', arity: 1, summary: 'σ(x)' },
    { name: 'softmax', catalogue: 'A8', arity: 1, summary: 'e^{x_j}/Σ e^{x_k}, max-shifted' },
    { name: 'softmaxJacobian', catalogue: 'A8', arity: 1, summary: 'D_ab = p_a(δ_ab − p_b)' },
    { name: 'logSumExp', catalogue: 'A9', arity: 1, summary: 'log Σ e^{x_k}, stable' },
    { name: 'logSoftmax', catalogue: 'A9', arity: 1, summary: 'x_j − log Σ e^{x_k}' },
    { name: 'maxout', catalogue: 'A10', arity: 3, summary: 'h_i = max_j (xᵀW_ij + b_ij)' },
    { name: 'maxoutBackward', catalogue: 'A10', arity: 4, summary: 'gradient routed to the winning piece' },
    { name: 'sigmoidChainBound', catalogue: 'A11', arity: 1, summary: "σ'(0)^depth: 0.25^10 ≈ 9.54e−7" },
    { name: 'reluInactiveFraction', catalogue: 'A12', arity: 1, summary: 'fraction of pre-activations ≤ 0' },
  ],
  checks: [
    ...sigmoidChecks, ...sigmoidGradChecks, ...tanhChecks, ...tanhGradChecks, ...reluChecks, ...reluGradChecks,
    ...leakyChecks, ...leakyGradChecks, ...preluChecks, ...preluBackwardChecks, ...eluChecks, ...eluGradChecks,
    ...softplusChecks, ...softplusGradChecks, ...softmaxChecks, ...softmaxJacobianChecks, ...logSumExpChecks,
    ...logSoftmaxChecks, ...maxoutChecks, ...maxoutBackwardChecks, ...chainChecks, ...inactiveChecks,
  ],
};
