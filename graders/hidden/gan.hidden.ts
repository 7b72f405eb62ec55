/**
 * Family P (GAN): hidden differential checks, student vs reference on random inputs.
 * Instructor side only.
 *
 * Inputs are drawn on grids (hundredths for D's outputs and for distributions' weights, eighths
 * for the toy's parameters and samples, signed magnitudes ≥ ⅛) so that a counterexample shrinks
 * to values where a mistake is off by a visible amount. Distributions carry zeros (the 0·log 0
 * and KL = +∞ conventions); the networks are the stub's small ones (tanh or relu hidden layers,
 * a sigmoid unit for D). Each check names the mistakes its wrong values match by running the
 * reference's own functions wrongly (arguments swapped, results negated or scaled).
 */
import fc from 'fast-check';
import type { Network } from '../../reference/backprop.ts';
import * as ref from '../../reference/gan.ts';
import { signed, vectorOf } from '../engine/arbitraries.ts';
import { differential } from '../engine/checks.ts';
import { negated, scaled, type Variants } from '../engine/diagnose.ts';
import type { Check } from '../engine/types.ts';
import { MISTAKES } from '../gan.grader.ts';

type Loss = ref.GeneratorLoss;

const eighth = (lo: number, hi: number) => signed(lo, hi).map((v) => Math.round(v * 8) / 8 || 0.125);
const prob = fc.integer({ min: 1, max: 99 }).map((k) => k / 100);
const probs = (m: number) => vectorOf(m, prob);
const toyParams = fc.record({ a: eighth(0.125, 2), b: eighth(0.125, 2), w: eighth(0.125, 2), c: eighth(0.125, 2) });
const toyCase = fc.integer({ min: 1, max: 8 }).chain((m) => fc.record({ params: toyParams, x: vectorOf(m, eighth(0.125, 3)), z: vectorOf(m, eighth(0.125, 2)), loss: fc.constantFrom<Loss>('saturating', 'non-saturating') }));
const distribution = (K: number) =>
  fc.array(fc.integer({ min: 0, max: 9 }), { minLength: K, maxLength: K }).filter((w) => w.some((v) => v > 0)).map((w) => w.map((v) => v / w.reduce((a, b) => a + b, 0)));
const distPair = fc.integer({ min: 1, max: 7 }).chain((K) => fc.tuple(distribution(K), distribution(K)));
const swapLoss = (l: Loss): Loss => (l === 'saturating' ? 'non-saturating' : 'saturating');

const layer = (out: number, inp: number, activation: 'linear' | 'sigmoid' | 'tanh' | 'relu') =>
  fc.record({ W: fc.array(vectorOf(inp, eighth(0.125, 1.5)), { minLength: out, maxLength: out }), b: vectorOf(out, eighth(0.125, 1)), activation: fc.constant(activation) });
const mlpCase = fc.record({ n: fc.integer({ min: 1, max: 3 }), d: fc.integer({ min: 1, max: 3 }), h: fc.integer({ min: 1, max: 4 }), m: fc.integer({ min: 1, max: 4 }), hidden: fc.constantFrom('tanh' as const, 'relu' as const, 'sigmoid' as const), loss: fc.constantFrom<Loss>('saturating', 'non-saturating') }).chain(({ n, d, h, m, hidden, loss }) =>
  fc.record({
    G: fc.tuple(layer(h, n, hidden), layer(d, h, 'linear')) as fc.Arbitrary<Network>,
    D: fc.tuple(layer(h, d, hidden), layer(1, h, 'sigmoid')) as fc.Arbitrary<Network>,
    X: fc.array(vectorOf(d, eighth(0.125, 2)), { minLength: m, maxLength: m }),
    Z: fc.array(vectorOf(n, eighth(0.125, 2)), { minLength: m, maxLength: m }),
    loss: fc.constant(loss),
  }),
);
const iterationCase = fc.record({ T: fc.integer({ min: 1, max: 4 }), k: fc.integer({ min: 1, max: 3 }), m: fc.integer({ min: 1, max: 4 }) }).chain(({ T, k, m }) =>
  fc.record({
    params: toyParams,
    iterations: fc.array(fc.record({ discriminator: fc.array(fc.record({ x: vectorOf(m, eighth(0.125, 3)), z: vectorOf(m, eighth(0.125, 2)) }), { minLength: k, maxLength: k }), generator: vectorOf(m, eighth(0.125, 2)) }), { minLength: T, maxLength: T }),
    eta: fc.constantFrom(0.125, 0.25, 0.5),
    loss: fc.constantFrom<Loss>('saturating', 'non-saturating'),
  }),
);
const jointCase = fc.record({ r: fc.integer({ min: 1, max: 4 }), c: fc.integer({ min: 1, max: 4 }) }).chain(({ r, c }) =>
  fc.array(fc.integer({ min: 0, max: 9 }), { minLength: r * c, maxLength: r * c }).filter((w) => w.some((v) => v > 0)).map((w) => {
    const t = w.reduce((a, b) => a + b, 0);
    return Array.from({ length: r }, (_, i) => w.slice(i * c, (i + 1) * c).map((v) => v / t));
  }),
);

/** Algorithm 1 with a step's sign flipped or only the first discriminator minibatch used, from the reference's P2 gradients. */
function trainWrong(t: { params: ref.ToyParams; iterations: ref.ToyIteration[]; eta: number; loss: Loss }, dSign: number, gSign: number, all: boolean): ref.ToyParams[] {
  let th = { ...t.params };
  return t.iterations.map((it) => {
    for (const bt of all ? it.discriminator : it.discriminator.slice(0, 1)) {
      const g = ref.toyDiscriminatorGradient(th, bt.x, bt.z);
      th = { ...th, w: th.w + dSign * t.eta * g.dw, c: th.c + dSign * t.eta * g.dc };
    }
    const g = ref.toyGeneratorGradient(th, it.generator, t.loss);
    th = { ...th, a: th.a + gSign * t.eta * g.da, b: th.b + gSign * t.eta * g.db };
    return th;
  });
}

export const hidden: Check[] = [
  differential({
    id: 'P1.minibatchValue.reference', exercise: 'minibatchValue', catalogue: 'P1', numRuns: 100,
    title: 'minibatchValue matches the reference on random outputs of D in (0, 1)',
    hint: 'P1: (1/m) Σ [log D(x) + log(1 − D(G(z)))]',
    arbitrary: fc.integer({ min: 1, max: 10 }).chain((m) => fc.tuple(probs(m), probs(m))),
    args: ([r, f]) => [r, f], expected: ([r, f]) => ref.minibatchValue(r, f),
    variants: ([r, f]): Variants => ({ [MISTAKES.logDFake]: ref.minibatchValue(r, f.map((d) => 1 - d)), [MISTAKES.noMean]: r.length * ref.minibatchValue(r, f) }),
  }),
  differential({
    id: 'P2.toyDiscriminatorGradient.reference', exercise: 'toyDiscriminatorGradient', catalogue: 'P2', numRuns: 100,
    title: 'toyDiscriminatorGradient matches the reference on random toys and minibatches',
    hint: 'P2: ∇_{w,c} (1/m) Σ [log σ(w x + c) + log(1 − σ(w G(z) + c))]',
    arbitrary: toyCase, args: (t) => [t.params, t.x, t.z], expected: (t) => ref.toyDiscriminatorGradient(t.params, t.x, t.z),
    variants: (t): Variants => {
      const g = ref.toyDiscriminatorGradient(t.params, t.x, t.z);
      return { [MISTAKES.descent]: negated(g), [MISTAKES.noMean]: scaled(g, t.x.length) };
    },
  }),
  differential({
    id: 'P2.toyGeneratorGradient.reference', exercise: 'toyGeneratorGradient', catalogue: 'P2', numRuns: 100,
    title: 'toyGeneratorGradient matches the reference, both losses',
    hint: "P2, P3: 'saturating' ∇ (1/m) Σ log(1 − D(G(z))), 'non-saturating' ∇ (1/m) Σ −log D(G(z))",
    arbitrary: toyCase, args: (t) => [t.params, t.z, t.loss], expected: (t) => ref.toyGeneratorGradient(t.params, t.z, t.loss),
    variants: (t): Variants => {
      const g = ref.toyGeneratorGradient(t.params, t.z, t.loss);
      return { [t.loss === 'saturating' ? MISTAKES.descent : MISTAKES.nonSatSign]: negated(g), [MISTAKES.swappedLosses]: ref.toyGeneratorGradient(t.params, t.z, swapLoss(t.loss)), [MISTAKES.noMean]: scaled(g, t.z.length) };
    },
  }),
  differential({
    id: 'P3.nonSaturatingLoss.reference', exercise: 'nonSaturatingLoss', catalogue: 'P3', numRuns: 100,
    title: 'nonSaturatingLoss matches the reference',
    hint: 'P3: −(1/m) Σ log D(G(z))',
    arbitrary: fc.integer({ min: 1, max: 10 }).chain(probs), args: (f) => [f], expected: (f) => ref.nonSaturatingLoss(f),
    variants: (f): Variants => ({ [MISTAKES.nonSatSign]: -ref.nonSaturatingLoss(f), [MISTAKES.logOneMinus]: ref.nonSaturatingLoss(f.map((d) => 1 - d)), [MISTAKES.noMean]: f.length * ref.nonSaturatingLoss(f) }),
  }),
  differential({
    id: 'P2.mlpDiscriminatorGradient.reference', exercise: 'mlpDiscriminatorGradient', catalogue: 'P2', numRuns: 60,
    title: 'mlpDiscriminatorGradient matches the reference (tanh, relu or sigmoid hidden layers)',
    hint: "P2: the ascent gradient of (1/m) Σ [log D(x) + log(1 − D(G(z)))] with respect to D's W, b",
    arbitrary: mlpCase, args: (t) => [t.D, t.G, t.X, t.Z], expected: (t) => ref.mlpDiscriminatorGradient(t.D, t.G, t.X, t.Z),
    variants: (t): Variants => {
      const g = ref.mlpDiscriminatorGradient(t.D, t.G, t.X, t.Z);
      return { [MISTAKES.descent]: negated(g), [MISTAKES.noMean]: scaled(g, t.X.length) };
    },
  }),
  differential({
    id: 'P2.mlpGeneratorGradient.reference', exercise: 'mlpGeneratorGradient', catalogue: 'P2', numRuns: 60,
    title: 'mlpGeneratorGradient matches the reference, both losses (tanh, relu or sigmoid hidden layers)',
    hint: "P2, P3: the descent gradient of the generator's loss with respect to G's W, b, through D",
    arbitrary: mlpCase, args: (t) => [t.D, t.G, t.Z, t.loss], expected: (t) => ref.mlpGeneratorGradient(t.D, t.G, t.Z, t.loss),
    variants: (t): Variants => {
      const g = ref.mlpGeneratorGradient(t.D, t.G, t.Z, t.loss);
      return { [t.loss === 'saturating' ? MISTAKES.descent : MISTAKES.nonSatSign]: negated(g), [MISTAKES.swappedLosses]: ref.mlpGeneratorGradient(t.D, t.G, t.Z, swapLoss(t.loss)), [MISTAKES.noMean]: scaled(g, t.Z.length) };
    },
  }),
  differential({
    id: 'P4.optimalDiscriminator.reference', exercise: 'optimalDiscriminator', catalogue: 'P4', numRuns: 100,
    title: 'optimalDiscriminator matches the reference on distributions with zeros (½ where both are 0)',
    hint: 'P4: D* = p_data/(p_data + p_g)',
    arbitrary: distPair, args: ([p, q]) => [p, q], expected: ([p, q]) => ref.optimalDiscriminator(p, q),
    variants: ([p, q]): Variants => ({ [MISTAKES.pgNumerator]: ref.optimalDiscriminator(q, p) }),
  }),
  differential({
    id: 'P5.virtualTrainingCriterion.reference', exercise: 'virtualTrainingCriterion', catalogue: 'P5', numRuns: 100,
    title: 'virtualTrainingCriterion matches the reference on distributions with zeros',
    hint: 'P5: C(G) = −log 4 + 2·JSD(p_data‖p_g)',
    arbitrary: distPair, args: ([p, q]) => [p, q], expected: ([p, q]) => ref.virtualTrainingCriterion(p, q),
    variants: ([p, q]): Variants => ({ [MISTAKES.criterionOneJsd]: -Math.log(4) + ref.jsDivergence(p, q) }),
  }),
  differential({
    id: 'P6.klDivergence.reference', exercise: 'klDivergence', catalogue: 'P6', numRuns: 100,
    title: 'klDivergence matches the reference on distributions with zeros (+Infinity where q = 0 < p)',
    hint: 'P6: KL(p‖q) = Σ p log(p/q), 0·log 0 = 0',
    arbitrary: distPair, args: ([p, q]) => [p, q], expected: ([p, q]) => ref.klDivergence(p, q),
    variants: ([p, q]): Variants => ({ [MISTAKES.klSwapped]: ref.klDivergence(q, p), [MISTAKES.log2]: ref.klDivergence(p, q) / Math.LN2 }),
  }),
  differential({
    id: 'P6.jsDivergence.reference', exercise: 'jsDivergence', catalogue: 'P6', numRuns: 100,
    title: 'jsDivergence matches the reference on distributions with zeros',
    hint: 'P6: JSD = ½KL(p‖M) + ½KL(q‖M)',
    arbitrary: distPair, args: ([p, q]) => [p, q], expected: ([p, q]) => ref.jsDivergence(p, q),
    variants: ([p, q]): Variants => ({ [MISTAKES.jsdNoHalf]: 2 * ref.jsDivergence(p, q), [MISTAKES.log2]: ref.jsDivergence(p, q) / Math.LN2 }),
  }),
  differential({
    id: 'P7.trainToyGan.reference', exercise: 'trainToyGan', catalogue: 'P7', numRuns: 60,
    title: 'trainToyGan matches the reference (T ≤ 4 iterations, k ≤ 3, both losses)',
    hint: 'P7: k ascent steps for (w, c), then one descent step for (a, b), per iteration',
    arbitrary: iterationCase, args: (t) => [t.params, t.iterations, t.eta, t.loss], expected: (t) => ref.trainToyGan(t.params, t.iterations, t.eta, t.loss),
    variants: (t): Variants => ({
      [MISTAKES.generatorAscends]: trainWrong(t, 1, 1, true),
      [MISTAKES.discriminatorDescends]: trainWrong(t, -1, -1, true),
      ...(t.iterations[0].discriminator.length > 1 ? { [MISTAKES.oneStep]: trainWrong(t, 1, -1, false) } : {}),
    }),
  }),
  differential({
    id: 'P8.mutualInformation.reference', exercise: 'mutualInformation', catalogue: 'P8', numRuns: 100,
    title: 'mutualInformation matches the reference on joint tables with zero cells (1×1 to 4×4)',
    hint: 'P8: H(X), H(Y), H(X|Y) = H(X, Y) − H(Y), H(Y|X), I = H(X) − H(X|Y)',
    arbitrary: jointCase, args: (j) => [j], expected: (j) => ref.mutualInformation(j),
    variants: (j): Variants => {
      const e = ref.mutualInformation(j);
      return { [MISTAKES.conditionalIsJoint]: { ...e, HXgivenY: e.HXgivenY + e.HY, HYgivenX: e.HYgivenX + e.HX }, [MISTAKES.log2]: scaled({ ...e }, 1 / Math.LN2) };
    },
  }),
  differential({
    id: 'P8.infoGanValue.reference', exercise: 'infoGanValue', catalogue: 'P8', numRuns: 100,
    title: 'infoGanValue matches the reference',
    hint: 'P8: V_I = V − λI',
    arbitrary: fc.integer({ min: 1, max: 6 }).chain((m) => fc.tuple(probs(m), probs(m), jointCase, fc.integer({ min: 0, max: 16 }).map((k) => k / 4))),
    args: ([r, f, j, l]) => [r, f, j, l], expected: ([r, f, j, l]) => ref.infoGanValue(r, f, j, l),
    variants: ([r, f, j, l]): Variants => ({ [MISTAKES.plusLambda]: ref.minibatchValue(r, f) + l * ref.mutualInformation(j).I }),
  }),
];

