/**
 * Family H (optimisers): hidden differential checks, student vs reference. Instructor side only.
 *
 * A step rule is checked over several chained steps from a random (not only zero) state: the
 * student's returned state is fed to the student's next step and the reference's to the
 * reference's, and the two are compared after every step. That also catches a state that is
 * written in one convention and read in another (v/η instead of v, m̂ instead of m, t off by one).
 * Inputs come in strata: gradients of very different scales (10⁻³ … 10²), ε tiny (10⁻⁸) and ε
 * comparable to g² (where its placement matters), decay rates near 0 and near 1.
 */
import fc from 'fast-check';
import * as ref from '../../reference/optimizers.ts';
import { callText, differential, expectClose, FLOAT64, property } from '../engine/checks.ts';
import type { Check, StudentModule, Tolerance } from '../engine/types.ts';
import { materialize } from '../sandbox/runtime/functions.mjs';

type Vec = number[];
type StepFn = (theta: Vec, g: Vec, state: never, hyper: never) => { theta: Vec; state: unknown };

/**
 * Entries of magnitude in [lo, hi] with either sign, or exactly 0 one time in ten: shrinking stops
 * at ±lo, where a wrong rule still differs plainly (not at a tiny value under the absolute tolerance).
 */
const signed = (lo: number, hi: number) =>
  fc.oneof(
    { weight: 9, arbitrary: fc.tuple(fc.double({ min: lo, max: hi, noNaN: true }), fc.boolean()).map(([a, neg]) => (neg ? -a : a)) },
    { weight: 1, arbitrary: fc.constant(0) },
  );
const unsigned = (lo: number, hi: number) => fc.oneof({ weight: 9, arbitrary: fc.double({ min: lo, max: hi, noNaN: true }) }, { weight: 1, arbitrary: fc.constant(0) });
const vec = (d: number, lo: number, hi: number) => fc.array(signed(lo, hi), { minLength: d, maxLength: d });
const nonneg = (d: number, lo: number, hi: number) => fc.array(unsigned(lo, hi), { minLength: d, maxLength: d });
const zeros = (d: number) => new Array<number>(d).fill(0);

/** Gradient entries at one of three scales, so that a rule is seen on tiny, unit and large gradients. */
const gradientScale = fc.constantFrom(1, 1e-3, 100);
/** Decay rates over [0.1, 0.99] and at the values used in practice, 0 and 0.999 included. */
const rate = fc.oneof(fc.double({ min: 0.1, max: 0.99, noNaN: true }), fc.constantFrom(0.9, 0, 0.95, 0.99, 0.999));
const eta = fc.oneof(fc.double({ min: 1e-3, max: 0.5, noNaN: true }), fc.constantFrom(0.01, 1e-3, 0.1));
/** ε tiny, and ε comparable to g² (where its placement changes the step). */
const epsilon = fc.oneof(fc.constantFrom(1e-8, 1e-6), fc.double({ min: 1e-3, max: 1, noNaN: true }));

/** A chain of 1–5 gradients (one per step) of dimension d at one scale. */
const gradients = (d: number) =>
  fc.tuple(gradientScale, fc.array(vec(d, 0.1, 1), { minLength: 1, maxLength: 5 })).map(([c, gs]) => gs.map((g) => g.map((x) => c * x)));
/** The optimiser's all-zero initial state, or a random one (a state some earlier steps produced). */
const stateOf = <S>(zero: S, random: fc.Arbitrary<S>) => fc.oneof({ weight: 1, arbitrary: fc.constant(zero) }, { weight: 3, arbitrary: random });

/**
 * Student vs reference over a chain of steps. Kind 'differential' (student vs reference, hidden)
 * built on the engine's property runner, because one case here is several calls.
 */
function chained<T extends { theta: Vec; gs: Vec[]; state: unknown; hyper: unknown }>(spec: {
  id: string;
  exercise: string;
  catalogue: string;
  title: string;
  hint: string;
  arbitrary: fc.Arbitrary<T>;
  reference: StepFn;
}): Check {
  return {
    ...property({
      ...spec,
      visibility: 'hidden',
      verify: async (input: T, s: StudentModule) => {
        let mine = { theta: input.theta, state: input.state };
        let theirs = { theta: input.theta, state: input.state as unknown };
        for (let k = 0; k < input.gs.length; k++) {
          const args = [theirs.theta, input.gs[k], theirs.state, input.hyper];
          theirs = (await s.call(spec.exercise, args)) as typeof theirs;
          mine = spec.reference(mine.theta, input.gs[k], mine.state as never, input.hyper as never) as typeof mine;
          expectClose(theirs, mine, FLOAT64, `step ${k + 1} of ${input.gs.length}: ${callText(spec.exercise, args)} differs from the reference`);
        }
      },
    }),
    kind: 'differential',
  };
}

const sized = <T>(make: (d: number) => fc.Arbitrary<T>) => fc.integer({ min: 1, max: 5 }).chain(make);

/**
 * train over 0–15 steps on the three surfaces of H8. The trajectories stay where every optimiser
 * is stable (the step sizes of the public checks, scaled by ½ … 2), so the float64 rounding of two
 * algebraically equal forms (η/√x·g vs ηg/√x) is not amplified: each step maps an error δ to at
 * most (1 + η‖∇²J‖)δ ≈ 1.3δ on Rosenbrock's valley walls, 1.3¹⁵·(a few ulps) ≈ 1e−13. rtol 1e−9
 * is far above that and far below any wrong rule (a wrong rule moves θ by ≥ 1e−4 relative in one step).
 */
const TRAIN: Tolerance = { rtol: 1e-9, atol: 1e-12 };

const BASE: Record<string, Record<string, Record<string, number>>> = {
  quadratic: {
    gd: { eta: 0.05 }, momentum: { eta: 0.01, gamma: 0.9 }, nesterov: { eta: 0.01, gamma: 0.9 }, adagrad: { eta: 0.1, epsilon: 1e-8 },
    adadelta: { gamma: 0.95, epsilon: 1e-4 }, rmsprop: { eta: 0.01, gamma: 0.9, epsilon: 1e-8 }, adam: { eta: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 },
  },
  rosenbrock: {
    gd: { eta: 1e-4 }, momentum: { eta: 1e-4, gamma: 0.9 }, nesterov: { eta: 1e-4, gamma: 0.9 }, adagrad: { eta: 0.01, epsilon: 1e-8 },
    adadelta: { gamma: 0.95, epsilon: 1e-6 }, rmsprop: { eta: 1e-3, gamma: 0.9, epsilon: 1e-8 }, adam: { eta: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 },
  },
  saddle: {
    gd: { eta: 0.05 }, momentum: { eta: 0.02, gamma: 0.9 }, nesterov: { eta: 0.02, gamma: 0.9 }, adagrad: { eta: 0.1, epsilon: 1e-8 },
    adadelta: { gamma: 0.95, epsilon: 1e-4 }, rmsprop: { eta: 0.01, gamma: 0.9, epsilon: 1e-8 }, adam: { eta: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 },
  },
};

const objectiveSpec = fc.oneof(
  fc.record({ A: fc.tuple(fc.double({ min: 0.5, max: 4, noNaN: true }), fc.double({ min: -0.4, max: 0.4, noNaN: true }), fc.double({ min: 0.5, max: 4, noNaN: true })), b: vec(2, 0.1, 2) }).map(({ A: [a, c, d], b }) => ({
    $fn: 'objective', name: 'quadratic', A: [[a, c], [c, d]], b,
  })),
  fc.constant({ $fn: 'objective', name: 'rosenbrock' }),
  fc.constant({ $fn: 'objective', name: 'saddle' }),
);

const trainInput = fc.record({
  spec: objectiveSpec,
  name: fc.constantFrom(...ref.OPTIMIZERS),
  theta0: fc.tuple(fc.double({ min: -1.5, max: 1.5, noNaN: true }), fc.double({ min: -0.5, max: 2, noNaN: true })),
  factor: fc.constantFrom(0.5, 1, 2),
  steps: fc.integer({ min: 0, max: 15 }),
});
/** Scales the learning rate only (Adadelta has none: its ε stays). */
const hyperOf = (t: { spec: { name: string }; name: string; factor: number }) => {
  const h = { ...BASE[t.spec.name][t.name] };
  if (h.eta !== undefined) h.eta *= t.factor;
  return h;
};

export const hidden: Check[] = [
  differential({
    id: 'H1.sgdStep.reference', exercise: 'sgdStep', catalogue: 'H1', title: 'sgdStep matches the reference', hint: 'H1: θ ← θ − η·g',
    arbitrary: sized((d) => fc.tuple(vec(d, 0.1, 10), gradientScale.chain((c) => vec(d, 0.1 * c, c)), eta)),
    args: ([theta, g, lr]) => [theta, g, {}, { eta: lr }], expected: ([theta, g, lr]) => ref.sgdStep(theta, g, {}, { eta: lr }),
  }),
  differential({
    id: 'H1.minibatchEpoch.reference', exercise: 'minibatchEpoch', catalogue: 'H1', title: 'minibatchEpoch matches the reference for every batch size (1, m, > m and in between)',
    hint: 'H1: slices in order, the last may be shorter; the mean example gradient per slice',
    arbitrary: fc.record({ m: fc.integer({ min: 1, max: 9 }), d: fc.integer({ min: 1, max: 3 }) }).chain(({ m, d }) =>
      fc.record({
        theta: vec(d, 0.1, 2), X: fc.array(vec(d, 0.5, 2), { minLength: m, maxLength: m }), y: vec(m, 0.5, 3),
        eta: fc.double({ min: 0.05, max: 0.2, noNaN: true }),
        n: fc.oneof(fc.integer({ min: 1, max: m }), fc.constantFrom(1, m, m + 1)),
      }),
    ),
    args: (t) => [t.theta, t.X, t.y, { $fn: 'leastSquaresExampleGrad' }, t.eta, t.n],
    expected: (t) => ref.minibatchEpoch(t.theta, t.X, t.y, materialize({ $fn: 'leastSquaresExampleGrad' }), t.eta, t.n),
  }),
  chained({
    id: 'H2.momentumStep.reference', exercise: 'momentumStep', catalogue: 'H2', title: 'momentumStep matches the reference over chained steps from random velocities',
    hint: 'H2: v_t = γv_{t−1} + η·g; θ ← θ − v_t', reference: ref.momentumStep as StepFn,
    arbitrary: sized((d) => fc.record({ theta: vec(d, 0.1, 5), gs: gradients(d), state: stateOf({ v: zeros(d) }, fc.record({ v: vec(d, 0.1, 1) })), hyper: fc.record({ eta, gamma: rate }) })),
  }),
  differential({
    id: 'H3.nesterovLookahead.reference', exercise: 'nesterovLookahead', catalogue: 'H3', title: 'nesterovLookahead matches the reference', hint: 'H3: θ − γv',
    arbitrary: sized((d) => fc.tuple(vec(d, 0.1, 5), vec(d, 0.1, 2), rate)),
    args: ([theta, v, gamma]) => [theta, { v }, { gamma }], expected: ([theta, v, gamma]) => ref.nesterovLookahead(theta, { v }, { gamma }),
  }),
  chained({
    id: 'H3.nesterovStep.reference', exercise: 'nesterovStep', catalogue: 'H3', title: 'nesterovStep matches the reference over chained steps from random velocities',
    hint: 'H3: v_t = γv_{t−1} + η·gAhead; θ ← θ − v_t', reference: ref.nesterovStep as StepFn,
    arbitrary: sized((d) => fc.record({ theta: vec(d, 0.1, 5), gs: gradients(d), state: stateOf({ v: zeros(d) }, fc.record({ v: vec(d, 0.1, 1) })), hyper: fc.record({ eta, gamma: rate }) })),
  }),
  chained({
    id: 'H4.adagradStep.reference', exercise: 'adagradStep', catalogue: 'H4', title: 'adagradStep matches the reference over chained steps (ε tiny and ε comparable to g²)',
    hint: 'H4: G ← G + g²; θ ← θ − η/√(G + ε)·g', reference: ref.adagradStep as StepFn,
    arbitrary: sized((d) => fc.record({ theta: vec(d, 0.1, 5), gs: gradients(d), state: stateOf({ G: zeros(d) }, fc.record({ G: nonneg(d, 0.01, 2) })), hyper: fc.record({ eta, epsilon }) })),
  }),
  chained({
    id: 'H5.adadeltaStep.reference', exercise: 'adadeltaStep', catalogue: 'H5', title: 'adadeltaStep matches the reference over chained steps',
    hint: 'H5: E[g²]_t; Δθ = −RMS[Δθ]_{t−1}/RMS[g]_t·g; E[Δθ²]_t; θ ← θ + Δθ', reference: ref.adadeltaStep as StepFn,
    arbitrary: sized((d) => fc.record({
      theta: vec(d, 0.1, 5), gs: gradients(d), state: stateOf({ Eg2: zeros(d), Edtheta2: zeros(d) }, fc.record({ Eg2: nonneg(d, 0.01, 2), Edtheta2: nonneg(d, 1e-4, 0.01) })),
      hyper: fc.record({ gamma: rate, epsilon: fc.oneof(fc.constantFrom(1e-8, 1e-6, 1e-4), fc.double({ min: 1e-3, max: 0.1, noNaN: true })) }),
    })),
  }),
  chained({
    id: 'H6.rmspropStep.reference', exercise: 'rmspropStep', catalogue: 'H6', title: 'rmspropStep matches the reference over chained steps (ε tiny and ε comparable to g²)',
    hint: 'H6: E[g²]_t = γE[g²]_{t−1} + (1 − γ)g²; θ ← θ − η/√(E[g²]_t + ε)·g', reference: ref.rmspropStep as StepFn,
    arbitrary: sized((d) => fc.record({ theta: vec(d, 0.1, 5), gs: gradients(d), state: stateOf({ Eg2: zeros(d) }, fc.record({ Eg2: nonneg(d, 0.01, 2) })), hyper: fc.record({ eta, gamma: rate, epsilon }) })),
  }),
  chained({
    id: 'H7.adamStep.reference', exercise: 'adamStep', catalogue: 'H7', title: 'adamStep matches the reference over chained steps from random moments and step counts',
    hint: 'H7: t ← t + 1; m, v; m̂ = m/(1 − β1^t), v̂ = v/(1 − β2^t); θ ← θ − η·m̂/(√v̂ + ε)', reference: ref.adamStep as StepFn,
    arbitrary: sized((d) => fc.record({
      theta: vec(d, 0.1, 5), gs: gradients(d),
      state: stateOf({ m: zeros(d), v: zeros(d), t: 0 }, fc.record({ m: vec(d, 0.1, 1), v: nonneg(d, 0.01, 1), t: fc.oneof(fc.integer({ min: 1, max: 10 }), fc.integer({ min: 10, max: 5000 })) })),
      hyper: fc.record({ eta, beta1: rate, beta2: fc.oneof(fc.constant(0.999), rate), epsilon }),
    })),
  }),
  differential({
    id: 'H8.train.reference', exercise: 'train', catalogue: 'H8', title: 'train matches the reference on quadratics, Rosenbrock and the saddle for every optimiser',
    hint: 'H8: all-zero initial state, losses[k] = J(θ_k), Nesterov\'s gradient at the look-ahead point',
    arbitrary: trainInput, tol: TRAIN,
    args: (t) => [t.name, t.spec, [...t.theta0], hyperOf(t), t.steps],
    expected: (t) => ref.train(t.name, materialize(t.spec), [...t.theta0], hyperOf(t), t.steps),
  }),
];
