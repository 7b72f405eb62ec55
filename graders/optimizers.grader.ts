/**
 * Family H (optimisers): public checks. Hand-derived first steps on one small problem (fixtures),
 * properties that pin each update rule without a reference (zero gradient, γ = 0 reduces to SGD,
 * running averages, invariance to the gradient's scale, Adam's first step of size η, Adagrad's
 * shrinking step), and the runner's trajectories on a convex quadratic, Rosenbrock and the saddle
 * x² − y² ([Training] "SGD optimization on loss surface contours", "… on saddle point").
 *
 * Objectives cross into the student's process as `{ $fn: 'objective', … }` specs
 * (sandbox/runtime/functions.mjs); the grader builds the same function to evaluate J.
 */
import fc from 'fast-check';
import {
  adadeltaSteps,
  adagradSteps,
  adamSteps,
  minibatchEpochs,
  momentumSteps,
  nesterovLookaheads,
  nesterovSteps,
  problem,
  rmspropSteps,
  sgdSteps,
  trajectories,
  type StepFixture,
} from '../fixtures/optimizers.fixtures.ts';
import { vector } from './engine/arbitraries.ts';
import { callText, example, expectClose, expectThat, FLOAT64, property } from './engine/checks.ts';
import type { Check, FamilyGrader, StudentModule } from './engine/types.ts';
import { materialize } from './sandbox/runtime/functions.mjs';
import { isObject, isVector } from './engine/shapes.ts';

type Vec = number[];
type State = Record<string, unknown>;
type Out = { theta: Vec; state: State };

// ---------------------------------------------------------------------------------------------
// helpers


/**
 * Calls a step function and requires { theta: [d], state: { key: [d] … } } of finite numbers
 * before a property digs into it (a malformed result fails the property; it never throws a
 * TypeError inside the grader).
 */
async function step(s: StudentModule, fn: string, args: unknown[], d: number, keys: string[]): Promise<Out> {
  const out = await s.call(fn, args);
  const what = callText(fn, args);
  expectThat(isObject(out), `${what} returned ${Array.isArray(out) ? 'an array' : typeof out}, not { theta, state }`, out);
  const o = out as Record<string, unknown>;
  expectThat(isVector(o.theta, d), `${what}: theta must be ${d} finite numbers`, o.theta);
  expectThat(isObject(o.state), `${what}: state must be an object`, o.state);
  for (const k of keys) expectThat(isVector((o.state as State)[k], d), `${what}: state.${k} must be ${d} finite numbers`, o.state);
  return o as Out;
}

async function trainRun(s: StudentModule, args: unknown[], steps: number): Promise<{ theta: Vec; losses: Vec }> {
  const out = await s.call('train', args);
  const what = callText('train', args);
  expectThat(isObject(out), `${what} returned ${typeof out}, not { theta, losses }`, out);
  const o = out as Record<string, unknown>;
  expectThat(Array.isArray(o.losses) && o.losses.length === steps + 1, `${what}: losses must have steps + 1 = ${steps + 1} entries (J(θ₀) … J(θ_steps))`, o.losses);
  expectThat((o.losses as unknown[]).every((v) => typeof v === 'number' && !Number.isNaN(v)), `${what}: losses must be numbers`, o.losses);
  expectThat(Array.isArray(o.theta) && (o.theta as unknown[]).every((v) => typeof v === 'number'), `${what}: theta must be a number[]`, o.theta);
  return o as { theta: Vec; losses: Vec };
}

const zeros = (d: number) => new Array<number>(d).fill(0);
const sub = (a: Vec, b: Vec) => a.map((x, i) => x - b[i]);
const sized = <T>(make: (d: number) => fc.Arbitrary<T>, max = 5) => fc.integer({ min: 1, max }).chain(make);
/**
 * Entries of magnitude in [lo, hi] with either sign, or exactly 0 one time in ten. Shrinking then
 * stops at ±lo, where a wrong rule still differs plainly, instead of at a tiny value whose error
 * slips under the absolute tolerance (a counterexample of 1e−12 vs −1e−12 teaches nothing).
 */
const signed = (lo: number, hi: number) =>
  fc.oneof(
    { weight: 9, arbitrary: fc.tuple(fc.double({ min: lo, max: hi, noNaN: true }), fc.boolean()).map(([a, neg]) => (neg ? -a : a)) },
    { weight: 1, arbitrary: fc.constant(0) },
  );
const unsigned = (lo: number, hi: number) => fc.oneof({ weight: 9, arbitrary: fc.double({ min: lo, max: hi, noNaN: true }) }, { weight: 1, arbitrary: fc.constant(0) });
/** [d] entries ±[lo, hi] or 0. */
const vec = (d: number, lo = 0.1, hi = 5) => fc.array(signed(lo, hi), { minLength: d, maxLength: d });
/** [d] entries in [lo, hi] or 0 (running sums and averages of squares). */
const nonneg = (d: number, lo = 0.1, hi = 4) => fc.array(unsigned(lo, hi), { minLength: d, maxLength: d });
/** A box [min, max]^d of plain doubles (start points, where any value is as good as another). */
const box = (d: number, min: number, max: number) => vector({ min, max, minLength: d, maxLength: d });
const eta = fc.double({ min: 0.01, max: 0.5, noNaN: true });
const rate = fc.double({ min: 0.1, max: 0.99, noNaN: true });
/** ε comparable to g² as well as tiny, so that where ε goes changes the numbers. */
const epsilon = fc.oneof(fc.constantFrom(1e-8, 1e-6), fc.double({ min: 1e-3, max: 1, noNaN: true }));
/** Powers of two: scaling by them is exact in floating point, so scale invariance holds to the last bit. */
const scale = fc.constantFrom(0.125, 0.5, 4, 16);

function stepExamples<S, H>(exercise: string, catalogue: string, fixtures: StepFixture<S, H>[], hint: string): Check[] {
  return fixtures.map((f) =>
    example({
      id: `${catalogue}.${exercise}.${f.id}`, exercise, catalogue, hint,
      title: `hand-derived step ${f.id.slice(-1)} on J = ½(θ₁² + 4θ₂²) from θ₀ = [1, −0.5] [${f.source.slide}]`,
      args: [f.input.theta, f.input.g, f.input.state, f.input.hyper], expected: f.expected,
    }),
  );
}

// ---------------------------------------------------------------------------------------------
// H1 gradient descent

const sgdChecks: Check[] = [
  ...stepExamples('sgdStep', 'H1', sgdSteps, 'H1: θ ← θ − η·g'),
  property({
    id: 'H1.sgdStep.descent', exercise: 'sgdStep', catalogue: 'H1', title: 'θ − θ′ = η·g exactly, and the state stays {}',
    hint: 'H1: θ ← θ − η·∇J: a step against the gradient, scaled by η',
    arbitrary: sized((d) => fc.tuple(vec(d), vec(d), eta)),
    verify: async ([theta, g, lr], s) => {
      const out = await step(s, 'sgdStep', [theta, g, {}, { eta: lr }], theta.length, []);
      expectClose(out, { theta: theta.map((t, i) => t - lr * g[i]), state: {} }, FLOAT64, callText('sgdStep', [theta, g, {}, { eta: lr }]));
    },
  }),
];

const leastSquares = { $fn: 'leastSquaresExampleGrad' };
/** ∇_θ ½(θᵀx − y)² = (θᵀx − y)x: the gradient the `leastSquaresExampleGrad` spec builds. */
const lsGrad = (theta: Vec, x: Vec, y: number) => {
  const r = theta.reduce((acc, t, j) => acc + t * x[j], 0) - y;
  return x.map((xj) => r * xj);
};
const regression = fc
  .record({ m: fc.integer({ min: 1, max: 7 }), d: fc.integer({ min: 1, max: 3 }) })
  .chain(({ m, d }) =>
    fc.record({
      theta: vec(d, 0.1, 2),
      X: fc.array(vec(d, 0.5, 2), { minLength: m, maxLength: m }),
      y: vec(m, 0.5, 3),
      eta: fc.double({ min: 0.05, max: 0.2, noNaN: true }),
      extra: fc.integer({ min: 0, max: 2 }),
      n: fc.integer({ min: 1, max: m }),
    }),
  );

const minibatchChecks: Check[] = [
  ...minibatchEpochs.map((f) =>
    example({
      id: `H1.minibatchEpoch.${f.id}`, exercise: 'minibatchEpoch', catalogue: 'H1',
      title: `one epoch of least squares on x = y = [1, 2, 3] from θ = 0, η = 0.1, batch size ${f.input.batchSize} → ${f.expected[0].toFixed(4)}`,
      hint: 'H1: slices x^(i:i+n) in order, the last one may be shorter; each step uses the MEAN example gradient of its slice at the current θ',
      args: [f.input.theta, f.input.X, f.input.y, leastSquares, f.input.eta, f.input.batchSize], expected: f.expected,
    }),
  ),
  property({
    id: 'H1.minibatchEpoch.batch-is-one-step', exercise: 'minibatchEpoch', catalogue: 'H1', title: 'batchSize ≥ m is batch GD: one step with the mean gradient over all m examples',
    hint: 'H1: batch GD θ ← θ − η·(1/m)Σ_k ∇J(θ; x^(k); y^(k)): the mean, not the sum',
    arbitrary: regression,
    verify: async ({ theta, X, y, eta: lr, extra }, s) => {
      const n = X.length + extra;
      const args = [theta, X, y, leastSquares, lr, n];
      const mean = theta.map((_, j) => X.reduce((acc, x, k) => acc + lsGrad(theta, x, y[k])[j], 0) / X.length);
      expectClose(await s.call('minibatchEpoch', args), theta.map((t, j) => t - lr * mean[j]), FLOAT64, callText('minibatchEpoch', args));
    },
  }),
  property({
    id: 'H1.minibatchEpoch.sgd-in-order', exercise: 'minibatchEpoch', catalogue: 'H1', title: 'batchSize 1 is SGD: m steps, one per example, in order, each at the updated θ',
    hint: 'H1: SGD θ ← θ − η∇J(θ; x^(i); y^(i)) for i = 1 … m: each gradient at the θ the previous step produced',
    arbitrary: regression,
    verify: async ({ theta, X, y, eta: lr }, s) => {
      const args = [theta, X, y, leastSquares, lr, 1];
      let th = theta;
      for (let k = 0; k < X.length; k++) {
        const g = lsGrad(th, X[k], y[k]);
        th = th.map((t, j) => t - lr * g[j]);
      }
      expectClose(await s.call('minibatchEpoch', args), th, FLOAT64, callText('minibatchEpoch', args));
    },
  }),
  property({
    id: 'H1.minibatchEpoch.calls', exercise: 'minibatchEpoch', catalogue: 'H1', title: 'one epoch evaluates every example gradient exactly once, whatever the batch size',
    hint: 'H1: an epoch goes through all m examples once; the last, shorter slice counts too',
    arbitrary: regression,
    verify: async ({ theta, X, y, eta: lr, n }, s) => {
      const args = [theta, X, y, leastSquares, lr, n];
      const { calls } = await s.callCounting('minibatchEpoch', args);
      expectThat(calls[0] === X.length, `${callText('minibatchEpoch', args)} called exampleGrad ${calls[0]} times for m = ${X.length} examples and batch size ${n}`, calls[0]);
    },
  }),
];

// ---------------------------------------------------------------------------------------------
// H2 momentum, H3 Nesterov

const velocityInput = sized((d) => fc.tuple(vec(d), vec(d), vec(d, 0.1, 2), eta, rate));

/** γ = 0 and a zero gradient: the two limits that pin a velocity rule (momentum and Nesterov alike). */
function velocityLimits(exercise: string, catalogue: string, gradient: string): Check[] {
  return [
    property({
      id: `${catalogue}.${exercise}.gamma-zero-is-sgd`, exercise, catalogue, title: 'γ = 0 is plain SGD: v = η·g and θ′ = θ − η·g',
      hint: `${catalogue}: v_t = γv_{t−1} + η${gradient}: with γ = 0 the velocity is η·g and the step is SGD's`,
      arbitrary: velocityInput,
      verify: async ([theta, g, v, lr], s) => {
        const args = [theta, g, { v }, { eta: lr, gamma: 0 }];
        const out = await step(s, exercise, args, theta.length, ['v']);
        expectClose(out, { theta: theta.map((t, i) => t - lr * g[i]), state: { v: g.map((gi) => lr * gi) } }, FLOAT64, callText(exercise, args));
      },
    }),
    property({
      id: `${catalogue}.${exercise}.coasts`, exercise, catalogue, title: 'with a zero gradient the velocity decays by γ and θ still moves by it: v′ = γv, θ′ = θ − γv',
      hint: `${catalogue}: θ ← θ − v_t with v_t = γv_{t−1} + η·0: momentum carries θ on even where the gradient vanishes`,
      arbitrary: velocityInput,
      verify: async ([theta, , v, lr, gamma], s) => {
        const args = [theta, zeros(theta.length), { v }, { eta: lr, gamma }];
        const out = await step(s, exercise, args, theta.length, ['v']);
        expectClose(out, { theta: theta.map((t, i) => t - gamma * v[i]), state: { v: v.map((vi) => gamma * vi) } }, FLOAT64, callText(exercise, args));
      },
    }),
  ];
}

const momentumChecks: Check[] = [
  ...stepExamples('momentumStep', 'H2', momentumSteps, 'H2: v_t = γv_{t−1} + η∇J(θ); θ ← θ − v_t (η inside v, v₀ = 0)'),
  ...velocityLimits('momentumStep', 'H2', '∇J(θ)'),
  property({
    id: 'H2.momentumStep.terminal-velocity', exercise: 'momentumStep', catalogue: 'H2', title: 'a constant gradient from v₀ = 0 builds up v_k = η·g·(1 + γ + … + γ^(k−1))',
    hint: 'H2: v_t = γv_{t−1} + ηg accumulates a geometric series (terminal velocity ηg/(1 − γ)); pass the returned state to the next step',
    arbitrary: sized((d) => fc.tuple(vec(d), vec(d), eta, rate, fc.integer({ min: 1, max: 8 }))),
    verify: async ([theta, g, lr, gamma, k], s) => {
      let th = theta;
      let state: State = { v: zeros(theta.length) };
      for (let j = 0; j < k; j++) ({ theta: th, state } = await step(s, 'momentumStep', [th, g, state, { eta: lr, gamma }], theta.length, ['v']));
      let series = 0;
      for (let j = 0; j < k; j++) series += gamma ** j;
      expectClose(state.v, g.map((gi) => lr * gi * series), FLOAT64, `v after ${k} momentum steps with the constant gradient g = ${JSON.stringify(g)}`);
    },
  }),
];

const lookaheadChecks: Check[] = [
  ...nesterovLookaheads.map((f) =>
    example({
      id: `H3.nesterovLookahead.${f.id}`, exercise: 'nesterovLookahead', catalogue: 'H3', title: `look-ahead θ − γv at θ = ${JSON.stringify(f.input.theta)}, v = ${JSON.stringify(f.input.state.v)}, γ = 0.9`,
      hint: 'H3: Nesterov evaluates the gradient at θ − γv_{t−1}', args: [f.input.theta, f.input.state, f.input.hyper], expected: f.expected,
    }),
  ),
  property({
    id: 'H3.nesterovLookahead.definition', exercise: 'nesterovLookahead', catalogue: 'H3', title: 'the look-ahead point is θ − γv (θ itself when γ = 0)',
    hint: 'H3: ∇J(θ − γv_{t−1}): where momentum is about to carry θ',
    arbitrary: velocityInput,
    verify: async ([theta, , v, , gamma], s) => {
      const args = [theta, { v }, { gamma }];
      expectClose(await s.call('nesterovLookahead', args), theta.map((t, i) => t - gamma * v[i]), FLOAT64, callText('nesterovLookahead', args));
      expectClose(await s.call('nesterovLookahead', [theta, { v }, { gamma: 0 }]), theta, FLOAT64, 'nesterovLookahead with γ = 0');
    },
  }),
];

const nesterovChecks: Check[] = [
  ...stepExamples('nesterovStep', 'H3', nesterovSteps, 'H3: v_t = γv_{t−1} + η∇J(θ − γv_{t−1}); θ ← θ − v_t, with gAhead already evaluated at the look-ahead'),
  ...velocityLimits('nesterovStep', 'H3', '∇J(θ − γv_{t−1})'),
];

// ---------------------------------------------------------------------------------------------
// H4 Adagrad, H5 Adadelta, H6 RMSprop, H7 Adam

/** Nonzero gradient entries (|g| ≥ 0.05), for properties about the size of a step. */
const nonzero = (d: number) => fc.array(fc.tuple(fc.double({ min: 0.05, max: 5, noNaN: true }), fc.boolean()).map(([a, neg]) => (neg ? -a : a)), { minLength: d, maxLength: d });

const adagradChecks: Check[] = [
  ...stepExamples('adagradStep', 'H4', adagradSteps, 'H4: G ← G + g² (G₀ = 0, this g² included); θ ← θ − η/√(G + ε)·g'),
  property({
    id: 'H4.adagradStep.accumulates', exercise: 'adagradStep', catalogue: 'H4', title: 'G′ = G + g²: the sum of all squared gradients so far, elementwise',
    hint: 'H4: G_t,ii is the sum of the squares of the gradients w.r.t. θ_i up to step t',
    arbitrary: sized((d) => fc.tuple(vec(d), vec(d), nonneg(d), eta, epsilon)),
    verify: async ([theta, g, G, lr, eps], s) => {
      const args = [theta, g, { G }, { eta: lr, epsilon: eps }];
      const out = await step(s, 'adagradStep', args, theta.length, ['G']);
      expectClose(out.state, { G: G.map((Gi, i) => Gi + g[i] * g[i]) }, FLOAT64, `${callText('adagradStep', args)}.state`);
    },
  }),
  property({
    id: 'H4.adagradStep.zero-gradient', exercise: 'adagradStep', catalogue: 'H4', title: 'a zero gradient leaves θ and G unchanged',
    hint: 'H4: the step η/√(G + ε)·g is 0 when g = 0, and G gains g² = 0',
    arbitrary: sized((d) => fc.tuple(vec(d), nonneg(d), eta, epsilon)),
    verify: async ([theta, G, lr, eps], s) => {
      const args = [theta, zeros(theta.length), { G }, { eta: lr, epsilon: eps }];
      expectClose(await step(s, 'adagradStep', args, theta.length, ['G']), { theta, state: { G } }, FLOAT64, callText('adagradStep', args));
    },
  }),
  property({
    id: 'H4.adagradStep.shrinks', exercise: 'adagradStep', catalogue: 'H4', title: 'with a constant gradient the effective step η/√(G + ε) shrinks at every step',
    hint: 'H4: G only grows, so each parameter\'s step size decreases over time; pass the returned state to the next step',
    arbitrary: sized((d) => fc.tuple(vec(d), nonzero(d), eta)),
    verify: async ([theta, g, lr], s) => {
      let th = theta;
      let state: State = { G: zeros(theta.length) };
      let previous: Vec | null = null;
      for (let k = 1; k <= 5; k++) {
        const out = await step(s, 'adagradStep', [th, g, state, { eta: lr, epsilon: 1e-8 }], theta.length, ['G']);
        const size = sub(th, out.theta).map(Math.abs);
        if (previous) {
          const p = previous;
          expectThat(size.every((x, i) => x < p[i]), `step ${k} has size ${JSON.stringify(size)}, not smaller than step ${k - 1}'s ${JSON.stringify(p)} (constant g = ${JSON.stringify(g)})`, size);
        }
        previous = size;
        ({ theta: th, state } = out);
      }
    },
  }),
  property({
    id: 'H4.adagradStep.scale-invariant', exercise: 'adagradStep', catalogue: 'H4', title: 'scaling g by c (with G and ε by c²) leaves the step unchanged',
    hint: 'H4: η·cg/√(c²G + c²ε) = η·g/√(G + ε) only when ε is inside the square root',
    arbitrary: sized((d) => fc.tuple(vec(d), vec(d, 0.1, 3), nonneg(d), eta, epsilon, scale)),
    verify: async ([theta, g, G, lr, eps, c], s) => {
      const a = await step(s, 'adagradStep', [theta, g, { G }, { eta: lr, epsilon: eps }], theta.length, ['G']);
      const args = [theta, g.map((x) => c * x), { G: G.map((x) => c * c * x) }, { eta: lr, epsilon: c * c * eps }];
      const b = await step(s, 'adagradStep', args, theta.length, ['G']);
      expectClose(b.theta, a.theta, FLOAT64, `${callText('adagradStep', args)}.theta vs the unscaled step (c = ${c})`);
    },
  }),
];

const adadeltaState = (d: number) => fc.record({ Eg2: nonneg(d), Edtheta2: nonneg(d, 1e-4, 0.01) });
const adadeltaInput = sized((d) => fc.tuple(vec(d), vec(d), adadeltaState(d), rate, fc.constantFrom(1e-8, 1e-6, 1e-4)));

const adadeltaChecks: Check[] = [
  ...stepExamples('adadeltaStep', 'H5', adadeltaSteps, 'H5: E[g²]_t first; Δθ = −RMS[Δθ]_{t−1}/RMS[g]_t·g; then E[Δθ²]_t; θ ← θ + Δθ (no η)'),
  property({
    id: 'H5.adadeltaStep.running-averages', exercise: 'adadeltaStep', catalogue: 'H5', title: 'E[g²]′ = γE[g²] + (1 − γ)g² and E[Δθ²]′ = γE[Δθ²] + (1 − γ)Δθ² with Δθ = θ′ − θ',
    hint: 'H5: both running averages decay by γ; E[Δθ²] is updated with the step just taken',
    arbitrary: adadeltaInput,
    verify: async ([theta, g, st, gamma, eps], s) => {
      const args = [theta, g, st, { gamma, epsilon: eps }];
      const out = await step(s, 'adadeltaStep', args, theta.length, ['Eg2', 'Edtheta2']);
      const dtheta = sub(out.theta, theta);
      expectClose(out.state, {
        Eg2: st.Eg2.map((E, i) => gamma * E + (1 - gamma) * g[i] * g[i]),
        Edtheta2: st.Edtheta2.map((E, i) => gamma * E + (1 - gamma) * dtheta[i] * dtheta[i]),
      }, FLOAT64, `${callText('adadeltaStep', args)}.state`);
    },
  }),
  property({
    id: 'H5.adadeltaStep.step-ratio', exercise: 'adadeltaStep', catalogue: 'H5', title: 'Δθ = −√(E[Δθ²]_{t−1} + ε)/√(E[g²]_t + ε)·g: last step\'s E[Δθ²], this step\'s E[g²]',
    hint: 'H5: the numerator RMS[Δθ]_{t−1} uses the state you were given; the denominator RMS[g]_t the average you just updated; there is no η',
    arbitrary: adadeltaInput,
    verify: async ([theta, g, st, gamma, eps], s) => {
      const args = [theta, g, st, { gamma, epsilon: eps }];
      const out = await step(s, 'adadeltaStep', args, theta.length, ['Eg2', 'Edtheta2']);
      const Eg2t = out.state.Eg2 as Vec;
      expectClose(out.theta, theta.map((t, i) => t - (Math.sqrt(st.Edtheta2[i] + eps) / Math.sqrt(Eg2t[i] + eps)) * g[i]), FLOAT64, `${callText('adadeltaStep', args)}.theta with your E[g²]_t = ${JSON.stringify(Eg2t)}`);
    },
  }),
  property({
    id: 'H5.adadeltaStep.zero-gradient', exercise: 'adadeltaStep', catalogue: 'H5', title: 'a zero gradient leaves θ unchanged and both averages decay by γ',
    hint: 'H5: Δθ is proportional to g; E[g²] and E[Δθ²] then only decay',
    arbitrary: adadeltaInput,
    verify: async ([theta, , st, gamma, eps], s) => {
      const args = [theta, zeros(theta.length), st, { gamma, epsilon: eps }];
      expectClose(await step(s, 'adadeltaStep', args, theta.length, ['Eg2', 'Edtheta2']), {
        theta, state: { Eg2: st.Eg2.map((E) => gamma * E), Edtheta2: st.Edtheta2.map((E) => gamma * E) },
      }, FLOAT64, callText('adadeltaStep', args));
    },
  }),
];

const rmspropInput = sized((d) => fc.tuple(vec(d), vec(d, 0.1, 3), nonneg(d), eta, rate, epsilon));

const rmspropChecks: Check[] = [
  ...stepExamples('rmspropStep', 'H6', rmspropSteps, 'H6: E[g²]_t = γE[g²]_{t−1} + (1 − γ)g² (γ = 0.9 in the notes); θ ← θ − η/√(E[g²]_t + ε)·g'),
  property({
    id: 'H6.rmspropStep.running-average', exercise: 'rmspropStep', catalogue: 'H6', title: 'E[g²]′ = γE[g²] + (1 − γ)g²',
    hint: 'H6: the notes\' E[g²]_t = 0.9E[g²]_{t−1} + 0.1g_t²: γ on the old average, 1 − γ on the new g²',
    arbitrary: rmspropInput,
    verify: async ([theta, g, Eg2, lr, gamma, eps], s) => {
      const args = [theta, g, { Eg2 }, { eta: lr, gamma, epsilon: eps }];
      const out = await step(s, 'rmspropStep', args, theta.length, ['Eg2']);
      expectClose(out.state, { Eg2: Eg2.map((E, i) => gamma * E + (1 - gamma) * g[i] * g[i]) }, FLOAT64, `${callText('rmspropStep', args)}.state`);
    },
  }),
  property({
    id: 'H6.rmspropStep.zero-gradient', exercise: 'rmspropStep', catalogue: 'H6', title: 'a zero gradient leaves θ unchanged and E[g²] decays by γ',
    hint: 'H6: the step is proportional to g',
    arbitrary: rmspropInput,
    verify: async ([theta, , Eg2, lr, gamma, eps], s) => {
      const args = [theta, zeros(theta.length), { Eg2 }, { eta: lr, gamma, epsilon: eps }];
      expectClose(await step(s, 'rmspropStep', args, theta.length, ['Eg2']), { theta, state: { Eg2: Eg2.map((E) => gamma * E) } }, FLOAT64, callText('rmspropStep', args));
    },
  }),
  property({
    id: 'H6.rmspropStep.scale-invariant', exercise: 'rmspropStep', catalogue: 'H6', title: 'scaling g by c (with E[g²] and ε by c²) leaves the step unchanged',
    hint: 'H6: η·cg/√(c²E[g²] + c²ε) = η·g/√(E[g²] + ε) only when ε is inside the square root',
    arbitrary: fc.tuple(rmspropInput, scale),
    verify: async ([[theta, g, Eg2, lr, gamma, eps], c], s) => {
      const a = await step(s, 'rmspropStep', [theta, g, { Eg2 }, { eta: lr, gamma, epsilon: eps }], theta.length, ['Eg2']);
      const args = [theta, g.map((x) => c * x), { Eg2: Eg2.map((x) => c * c * x) }, { eta: lr, gamma, epsilon: c * c * eps }];
      const b = await step(s, 'rmspropStep', args, theta.length, ['Eg2']);
      expectClose(b.theta, a.theta, FLOAT64, `${callText('rmspropStep', args)}.theta vs the unscaled step (c = ${c})`);
    },
  }),
];

const adamState = (d: number) => fc.record({ m: vec(d, 0.1, 3), v: nonneg(d), t: fc.integer({ min: 0, max: 50 }) });
/** Adam's usual ranges: near 0 the bias correction 1 − β^t is ≈ 1 and a missing one barely shows. */
const betas = fc.record({ beta1: fc.double({ min: 0.5, max: 0.99, noNaN: true }), beta2: fc.double({ min: 0.9, max: 0.999, noNaN: true }) });

const adamChecks: Check[] = [
  ...stepExamples('adamStep', 'H7', adamSteps, 'H7: t ← t + 1 first; m, v running averages; m̂ = m/(1 − β1^t), v̂ = v/(1 − β2^t); θ ← θ − η·m̂/(√v̂ + ε)'),
  property({
    id: 'H7.adamStep.first-step-is-eta', exercise: 'adamStep', catalogue: 'H7', title: 'from the zero state the first step has size η in every coordinate, whatever the scale of g (10⁻³ … 10³)',
    hint: 'H7: at t = 1 bias correction gives m̂ = g and v̂ = g², so |Δθ| = η|g|/(|g| + ε) ≈ η with ε added outside √v̂; without the correction the step is off by (1 − β1)/√(1 − β2), with ε inside the root small gradients take shorter steps',
    arbitrary: sized((d) => fc.tuple(vec(d), fc.array(fc.tuple(fc.double({ min: -3, max: 3, noNaN: true }), fc.boolean()).map(([e, neg]) => (neg ? -1 : 1) * 10 ** e), { minLength: d, maxLength: d }), eta, betas)),
    verify: async ([theta, g, lr, b], s) => {
      const d = theta.length;
      const args = [theta, g, { m: zeros(d), v: zeros(d), t: 0 }, { eta: lr, ...b, epsilon: 1e-8 }];
      const out = await step(s, 'adamStep', args, d, ['m', 'v']);
      expectClose(sub(theta, out.theta).map(Math.abs), g.map((gi) => (lr * Math.abs(gi)) / (Math.abs(gi) + 1e-8)), FLOAT64, `|θ − θ′| for ${callText('adamStep', args)}`);
    },
  }),
  property({
    id: 'H7.adamStep.first-step-epsilon', exercise: 'adamStep', catalogue: 'H7',
    title: 'from the zero state with the ε given in hyper (10⁻⁸ … 1): the first step is θ′ = θ − η·g/(|g| + ε)',
    hint: 'H7: at t = 1, m̂ = g and √v̂ = |g|, so Δθ = −η·g/(|g| + ε): read ε (and β1, β2) from hyper, never a default of your own; ε goes outside the square root',
    arbitrary: sized((d) => fc.tuple(vec(d), nonzero(d), eta, betas, epsilon)),
    verify: async ([theta, g, lr, b, eps], s) => {
      const d = theta.length;
      const args = [theta, g, { m: zeros(d), v: zeros(d), t: 0 }, { eta: lr, ...b, epsilon: eps }];
      const out = await step(s, 'adamStep', args, d, ['m', 'v']);
      // FLOAT64: m̂ = (1 − β1)g/(1 − β1) and √v̂ come back to g and |g| within a few ulps; a hard-coded
      // ε = 10⁻⁸ (or ε under the root) is off by ≈ ε/|g| ≥ 2·10⁻⁴ relative whenever ε ≥ 10⁻³ is drawn
      expectClose(out.theta, theta.map((t, i) => t - (lr * g[i]) / (Math.abs(g[i]) + eps)), FLOAT64, `${callText('adamStep', args)}.theta`);
    },
  }),
  property({
    id: 'H7.adamStep.state', exercise: 'adamStep', catalogue: 'H7', title: 't′ = t + 1, m′ = β1m + (1 − β1)g and v′ = β2v + (1 − β2)g² (the raw moments, not m̂ and v̂)',
    hint: 'H7: the state keeps the running averages m_t and v_t; m̂ and v̂ are recomputed from them at every step',
    arbitrary: sized((d) => fc.tuple(vec(d), vec(d, 0.1, 3), adamState(d), eta, betas, epsilon)),
    verify: async ([theta, g, st, lr, b, eps], s) => {
      const args = [theta, g, st, { eta: lr, ...b, epsilon: eps }];
      const out = await step(s, 'adamStep', args, theta.length, ['m', 'v']);
      expectClose(out.state, {
        m: st.m.map((mi, i) => b.beta1 * mi + (1 - b.beta1) * g[i]),
        v: st.v.map((vi, i) => b.beta2 * vi + (1 - b.beta2) * g[i] * g[i]),
        t: st.t + 1,
      }, FLOAT64, `${callText('adamStep', args)}.state`);
    },
  }),
  property({
    id: 'H7.adamStep.zero-gradient', exercise: 'adamStep', catalogue: 'H7', title: 'from the zero state a zero gradient leaves θ unchanged (and t becomes 1)',
    hint: 'H7: m̂ = 0 gives a zero step: 0/(√0 + ε) = 0; the bias correction at t = 1 divides by 1 − β, never by 0',
    arbitrary: sized((d) => fc.tuple(vec(d), eta, betas)),
    verify: async ([theta, lr, b], s) => {
      const d = theta.length;
      const args = [theta, zeros(d), { m: zeros(d), v: zeros(d), t: 0 }, { eta: lr, ...b, epsilon: 1e-8 }];
      expectClose(await step(s, 'adamStep', args, d, ['m', 'v']), { theta, state: { m: zeros(d), v: zeros(d), t: 1 } }, FLOAT64, callText('adamStep', args));
    },
  }),
  property({
    id: 'H7.adamStep.scale-invariant', exercise: 'adamStep', catalogue: 'H7', title: 'scaling g and m by c (v by c², ε by c) leaves the step unchanged',
    hint: 'H7: η·cm̂/(√(c²v̂) + cε) = η·m̂/(√v̂ + ε): ε is added OUTSIDE the square root',
    arbitrary: sized((d) => fc.tuple(vec(d), vec(d, 0.1, 3), adamState(d), eta, betas, epsilon, scale)),
    verify: async ([theta, g, st, lr, b, eps, c], s) => {
      const a = await step(s, 'adamStep', [theta, g, st, { eta: lr, ...b, epsilon: eps }], theta.length, ['m', 'v']);
      const args = [theta, g.map((x) => c * x), { m: st.m.map((x) => c * x), v: st.v.map((x) => c * c * x), t: st.t }, { eta: lr, ...b, epsilon: c * eps }];
      const o = await step(s, 'adamStep', args, theta.length, ['m', 'v']);
      expectClose(o.theta, a.theta, FLOAT64, `${callText('adamStep', args)}.theta vs the unscaled step (c = ${c})`);
    },
  }),
];

// ---------------------------------------------------------------------------------------------
// H8 trajectories

type Objective = (theta: Vec) => { loss: number; grad: Vec };
const objective = (spec: Record<string, unknown>) => materialize(spec) as Objective;
const NAMES = ['gd', 'momentum', 'nesterov', 'adagrad', 'adadelta', 'rmsprop', 'adam'] as const;

/** Small step sizes for which every optimiser decreases J = ½θᵀAθ − bᵀθ with eigenvalues of A in [0.5, 4] (L = 4). */
const QUADRATIC_HYPER: Record<(typeof NAMES)[number], Record<string, number>> = {
  gd: { eta: 0.05 },
  momentum: { eta: 0.01, gamma: 0.9 },
  nesterov: { eta: 0.01, gamma: 0.9 },
  adagrad: { eta: 0.1, epsilon: 1e-8 },
  adadelta: { gamma: 0.95, epsilon: 1e-4 },
  rmsprop: { eta: 0.01, gamma: 0.9, epsilon: 1e-8 },
  adam: { eta: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 },
};
/** Rosenbrock (a = 1, b = 100) has curvature up to ~3000 on the start region: much smaller steps. */
const ROSENBROCK_HYPER: Record<(typeof NAMES)[number], Record<string, number>> = {
  gd: { eta: 1e-4 },
  momentum: { eta: 1e-4, gamma: 0.9 },
  nesterov: { eta: 1e-4, gamma: 0.9 },
  adagrad: { eta: 0.01, epsilon: 1e-8 },
  adadelta: { gamma: 0.95, epsilon: 1e-6 },
  rmsprop: { eta: 1e-3, gamma: 0.9, epsilon: 1e-8 },
  adam: { eta: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 },
};

/** A = R(φ)·diag(λ₁, λ₂)·R(φ)ᵀ, λ ∈ [0.5, 4]: symmetric positive definite with coupled coordinates. */
const convexQuadratic = fc
  .record({
    l1: fc.double({ min: 0.5, max: 4, noNaN: true }),
    l2: fc.double({ min: 0.5, max: 4, noNaN: true }),
    phi: fc.double({ min: 0, max: Math.PI, noNaN: true }),
    b: box(2, -2, 2),
  })
  .map(({ l1, l2, phi, b }) => {
    const [c, s] = [Math.cos(phi), Math.sin(phi)];
    const off = c * s * (l1 - l2);
    return { $fn: 'objective', name: 'quadratic', A: [[c * c * l1 + s * s * l2, off], [off, s * s * l1 + c * c * l2]], b };
  });
/** A quadratic and a start θ₀ where the gradient is not small (|∇J(θ₀)| ≥ 0.5). */
const quadraticStart = fc.tuple(convexQuadratic, box(2, -3, 3)).filter(([spec, theta]) => Math.hypot(...objective(spec)(theta).grad) >= 0.5);

const trainExamples: Check[] = trajectories.map((f) =>
  example({
    id: `H8.train.${f.id}`, exercise: 'train', catalogue: 'H8',
    title: `train('${f.input.name}') for 2 steps on J = ½(θ₁² + 4θ₂²) from [1, −0.5]: hand-derived θ₂ and losses [J(θ₀), J(θ₁), J(θ₂)]`,
    hint: `H8: start from the all-zero state, record J(θ_k) for k = 0 … steps, carry the state from step to step${f.input.name === 'nesterov' ? ', and take the gradient at the look-ahead θ − γv' : ''}`,
    args: [f.input.name, problem.objective, problem.theta0, f.input.hyper, f.input.steps], expected: f.expected,
  }),
);

const trainChecks: Check[] = [
  ...trainExamples,
  property({
    id: 'H8.train.losses', exercise: 'train', catalogue: 'H8', title: 'losses has steps + 1 entries, losses[0] = J(θ₀) and losses[steps] = J(θ returned)',
    hint: 'H8: losses[k] = J(θ_k) for k = 0 … steps: record the loss before the first step and after every step',
    arbitrary: fc.tuple(quadraticStart, fc.constantFrom(...NAMES), fc.integer({ min: 0, max: 12 })),
    verify: async ([[spec, theta0], name, steps], s) => {
      const args = [name, spec, theta0, QUADRATIC_HYPER[name], steps];
      const { theta, losses } = await trainRun(s, args, steps);
      const J = objective(spec);
      expectClose(losses[0], J(theta0).loss, FLOAT64, `${callText('train', args)}.losses[0] vs J(θ₀)`);
      expectThat(theta.length === 2, `${callText('train', args)}.theta has ${theta.length} entries, θ₀ has 2`, theta);
      expectClose(losses[steps], J(theta).loss, FLOAT64, `${callText('train', args)}.losses[${steps}] vs J(θ) at the θ returned`);
    },
  }),
  property({
    id: 'H8.train.calls', exercise: 'train', catalogue: 'H8', title: 'the objective is evaluated once per iterate: steps + 1 times (2·steps + 1 for Nesterov, which adds the look-ahead points)',
    hint: 'H8: one evaluation at each θ_k gives both J(θ_k) and the next gradient; Nesterov needs its gradient at θ_k − γv_k instead',
    arbitrary: fc.tuple(quadraticStart, fc.constantFrom(...NAMES), fc.integer({ min: 0, max: 12 })),
    verify: async ([[spec, theta0], name, steps], s) => {
      const args = [name, spec, theta0, QUADRATIC_HYPER[name], steps];
      const { calls } = await s.callCounting('train', args);
      const expected = name === 'nesterov' ? 2 * steps + 1 : steps + 1;
      expectThat(calls[0] === expected, `${callText('train', args)} evaluated the objective ${calls[0]} times; expected ${expected}`, calls[0]);
    },
  }),
  property({
    id: 'H8.train.quadratic-decreases', exercise: 'train', catalogue: 'H8', title: 'on a convex quadratic every optimiser lowers the loss in 30 small steps (GD monotonically)',
    hint: 'H8: with η below 1/L gradient descent decreases J at every step; the others decrease it overall',
    numRuns: 30,
    arbitrary: quadraticStart,
    verify: async ([spec, theta0], s) => {
      for (const name of NAMES) {
        const args = [name, spec, theta0, QUADRATIC_HYPER[name], 30];
        const { losses } = await trainRun(s, args, 30);
        expectThat(losses[30] < losses[0], `${callText('train', args)}: J went from ${losses[0]} to ${losses[30]}`, losses);
        if (name === 'gd') expectThat(losses.every((l, k) => k === 0 || l <= losses[k - 1]), `${callText('train', args)}: gradient descent with η = 0.05 < 1/L increased J: ${JSON.stringify(losses)}`, losses);
      }
    },
  }),
  property({
    id: 'H8.train.rosenbrock-decreases', exercise: 'train', catalogue: 'H8', title: 'on Rosenbrock (1 − x)² + 100(y − x²)² every optimiser lowers the loss in 50 small steps (GD monotonically)',
    hint: 'H8: the curved valley needs small steps, but each optimiser must still go downhill',
    numRuns: 30,
    arbitrary: fc.tuple(fc.double({ min: -1.5, max: 1.5, noNaN: true }), fc.double({ min: -0.5, max: 2.5, noNaN: true })).filter((t) => Math.hypot(...objective({ $fn: 'objective', name: 'rosenbrock' })(t).grad) >= 0.5),
    verify: async (theta0, s) => {
      for (const name of NAMES) {
        const args = [name, { $fn: 'objective', name: 'rosenbrock' }, theta0, ROSENBROCK_HYPER[name], 50];
        const { losses } = await trainRun(s, args, 50);
        expectThat(losses[50] < losses[0], `${callText('train', args)}: J went from ${losses[0]} to ${losses[50]}`, losses);
        if (name === 'gd') expectThat(losses.every((l, k) => k === 0 || l <= losses[k - 1]), `${callText('train', args)}: gradient descent increased J`, losses);
      }
    },
  }),
  property({
    id: 'H8.train.saddle-escape', exercise: 'train', catalogue: 'H8', title: 'near the saddle of x² − y², momentum (γ = 0.9) escapes (J < −1) in fewer steps than GD with the same η',
    hint: 'H8: along y the gradient is tiny near the saddle; GD grows y by (1 + 2η) per step, momentum accumulates velocity and gets away much sooner',
    numRuns: 30,
    arbitrary: fc.tuple(fc.double({ min: -1, max: 1, noNaN: true }), fc.double({ min: 1e-3, max: 0.1, noNaN: true }), fc.boolean(), fc.double({ min: 0.01, max: 0.05, noNaN: true })),
    verify: async ([x, y, below, lr], s) => {
      const theta0 = [x, below ? -y : y];
      const saddle = { $fn: 'objective', name: 'saddle' };
      const gd = await trainRun(s, ['gd', saddle, theta0, { eta: lr }, 600], 600);
      const mo = await trainRun(s, ['momentum', saddle, theta0, { eta: lr, gamma: 0.9 }, 600], 600);
      const [tg, tm] = [gd.losses.findIndex((l) => l < -1), mo.losses.findIndex((l) => l < -1)];
      expectThat(tg >= 0, `GD from ${JSON.stringify(theta0)} with η = ${lr} never reached J < −1 in 600 steps (it should escape in ≤ 350)`, gd.losses.slice(-3));
      expectThat(tm >= 0 && tm < tg, `from ${JSON.stringify(theta0)} with η = ${lr}: momentum escaped at step ${tm < 0 ? 'never' : tm}, GD at step ${tg}`, { momentum: tm, gd: tg });
    },
  }),
];

export const optimizers: FamilyGrader = {
  id: 'H',
  module: 'optimizers',
  title: 'Optimisers',
  exercises: [
    { name: 'sgdStep', catalogue: 'H1', arity: 4, summary: 'θ ← θ − η·g' },
    { name: 'minibatchEpoch', catalogue: 'H1', arity: 6, summary: 'one epoch of mini-batch GD over slices x^(i:i+n), mean gradient per slice' },
    { name: 'momentumStep', catalogue: 'H2', arity: 4, summary: 'v = γv + η·g; θ ← θ − v' },
    { name: 'nesterovLookahead', catalogue: 'H3', arity: 3, summary: 'the look-ahead point θ − γv' },
    { name: 'nesterovStep', catalogue: 'H3', arity: 4, summary: 'v = γv + η·∇J(θ − γv); θ ← θ − v' },
    { name: 'adagradStep', catalogue: 'H4', arity: 4, summary: 'G ← G + g²; θ ← θ − η/√(G + ε)·g' },
    { name: 'adadeltaStep', catalogue: 'H5', arity: 4, summary: 'Δθ = −RMS[Δθ]_{t−1}/RMS[g]_t·g, no η' },
    { name: 'rmspropStep', catalogue: 'H6', arity: 4, summary: 'E[g²] = γE[g²] + (1 − γ)g²; θ ← θ − η/√(E[g²] + ε)·g' },
    { name: 'adamStep', catalogue: 'H7', arity: 4, summary: 'bias-corrected moments; θ ← θ − η·m̂/(√v̂ + ε)' },
    { name: 'train', catalogue: 'H8', arity: 5, summary: 'runs an optimiser on an objective, returning θ and the losses' },
  ],
  checks: [
    ...sgdChecks, ...minibatchChecks, ...momentumChecks, ...lookaheadChecks, ...nesterovChecks,
    ...adagradChecks, ...adadeltaChecks, ...rmspropChecks, ...adamChecks, ...trainChecks,
  ],
};
