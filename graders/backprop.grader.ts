/**
 * Family C (backpropagation): public checks. The decks' nets worked by hand (fixtures, each with
 * the values the named mistakes give on it, so a wrong answer is diagnosed), invariants of the
 * forward pass (composition, the cache holds what it should, a batch is its rows), and every
 * backward pass against the numerical derivative of your own forward or error function: full
 * central differences on small nets, a directional derivative on larger ones.
 *
 * The named mistakes (MISTAKE in fixtures/backprop.fixtures.ts) are diagnosed from your own
 * functions too: the f′-at-the-activation variant is built from the numerical derivative of your
 * own activation taken at z = h(a), the Wᵀ variant from your own hiddenDelta with W transposed.
 */
import fc from 'fast-check';
import * as F from '../fixtures/backprop.fixtures.ts';
import { MISTAKE } from '../fixtures/backprop.fixtures.ts';
import { direction } from './engine/arbitraries.ts';
import { example, expectClose, expectThat, property, callText, FLOAT64, NUMERIC } from './engine/checks.ts';
import { negated, scaled, transposed, type Variants } from './engine/diagnose.ts';
import { directionalDerivative, numericalGradient, H } from './engine/numeric.ts';
import type { Check, FamilyGrader, StudentModule } from './engine/types.ts';

export type Act = 'linear' | 'sigmoid' | 'tanh' | 'relu' | 'leakyRelu' | 'elu' | 'softplus' | 'softmax';
export type Loss = 'sse' | 'l2' | 'bce' | 'ce';
export interface Layer {
  W: number[][];
  b: number[];
  activation: Act;
  alpha?: number;
}
export type Net = Layer[];
export type Grads = { dW: number[][]; db: number[] }[];
/** An activation with its parameter (leakyRelu, elu). */
export interface ActSpec {
  activation: Act;
  alpha?: number;
}
/** The output activation and the loss after it. */
export interface Head extends ActSpec {
  loss: Loss;
}
export interface Problem {
  net: Net;
  loss: Loss;
  X: number[][];
  T: number[][];
}

// ---------------------------------------------------------------------------------------------
// Arbitraries (specs/backprop.spec.ts holds them to what they promise)

/** A number spread evenly over [min, max] (fc.double would mostly give tiny magnitudes). */
export const spread = (min: number, max: number): fc.Arbitrary<number> => fc.integer({ min: 0, max: 2 ** 24 }).map((k) => min + ((max - min) * k) / 2 ** 24);
/** |v| in [lo, hi] with a random sign: bounded away from 0 (kinks, meaningless tiny values). */
export const apart = (lo: number, hi: number): fc.Arbitrary<number> => fc.tuple(fc.boolean(), spread(lo, hi)).map(([neg, m]) => (neg ? -m : m));

/** Hidden activations with a continuous derivative (central differences are exact to ~h² everywhere). */
export const SMOOTH: ActSpec[] = [{ activation: 'sigmoid' }, { activation: 'tanh' }, { activation: 'softplus' }, { activation: 'linear' }, { activation: 'elu', alpha: 1 }];
/** Hidden activations with a kink at 0. */
export const KINKED: ActSpec[] = [{ activation: 'relu' }, { activation: 'leakyRelu', alpha: 0.1 }, { activation: 'leakyRelu', alpha: 0.01 }, { activation: 'elu', alpha: 0.5 }];
/** Every (output activation, loss) pair the contract allows, canonical ones first. */
export const HEADS: Head[] = [
  { activation: 'linear', loss: 'sse' }, { activation: 'sigmoid', loss: 'bce' }, { activation: 'softmax', loss: 'ce' },
  { activation: 'sigmoid', loss: 'l2' }, { activation: 'sigmoid', loss: 'sse' }, { activation: 'tanh', loss: 'sse' },
  { activation: 'softplus', loss: 'l2' }, { activation: 'linear', loss: 'l2' }, { activation: 'elu', alpha: 1, loss: 'sse' },
];

export const matrixArb = (rows: number, cols: number, entry: fc.Arbitrary<number>) => fc.array(fc.array(entry, { minLength: cols, maxLength: cols }), { minLength: rows, maxLength: rows });
export const vectorArb = (n: number, entry: fc.Arbitrary<number>) => fc.array(entry, { minLength: n, maxLength: n });

export interface NetConstraints {
  depth: [number, number];
  width: [number, number];
  /** every layer n × n (a transposed W is then a wrong value, not a shape error) */
  square?: boolean;
  hidden?: ActSpec[];
  heads?: Head[];
  weight?: fc.Arbitrary<number>;
}

/** A network with its head: depth and widths in range, weights and biases in [−1.5, 1.5]. */
export function network({ depth, width, square = false, hidden = SMOOTH, heads = HEADS, weight = spread(-1.5, 1.5) }: NetConstraints): fc.Arbitrary<{ net: Net; head: Head }> {
  return fc
    .record({ L: fc.integer({ min: depth[0], max: depth[1] }), head: fc.constantFrom(...heads), n: fc.integer({ min: width[0], max: width[1] }) })
    .chain(({ L, head, n }) => {
      const minOut = head.loss === 'ce' ? 2 : 1;
      const widths = square
        ? fc.constant(Array.from({ length: L + 1 }, () => Math.max(n, minOut)))
        : fc.tuple(fc.array(fc.integer({ min: width[0], max: width[1] }), { minLength: L, maxLength: L }), fc.integer({ min: Math.max(width[0], minOut), max: Math.max(width[1], minOut) })).map(([w, K]) => [...w, K]);
      return widths.chain((ws) =>
        fc.tuple(
          fc.tuple(...ws.slice(1).map((out, l) => fc.tuple(matrixArb(out, ws[l], weight), vectorArb(out, weight), fc.constantFrom(...hidden)))),
          fc.constant(head),
        ),
      );
    })
    .map(([layers, head]) => ({
      head,
      net: layers.map(([W, b, act], l): Layer => {
        const spec: ActSpec = l === layers.length - 1 ? head : act;
        return spec.alpha === undefined ? { W, b, activation: spec.activation } : { W, b, activation: spec.activation, alpha: spec.alpha };
      }),
    }));
}

/** A target vector for the loss: [0, 1] entries for bce, a probability vector (one-hot or soft) for ce, [−1, 1] otherwise. */
export function target(loss: Loss, K: number): fc.Arbitrary<number[]> {
  if (loss === 'bce') return vectorArb(K, spread(0, 1));
  if (loss === 'ce') {
    return fc.oneof(
      fc.integer({ min: 0, max: K - 1 }).map((k) => Array.from({ length: K }, (_, c) => (c === k ? 1 : 0))),
      vectorArb(K, spread(0.05, 1)).map((w) => w.map((v) => v / w.reduce((s, u) => s + u, 0))),
    );
  }
  return vectorArb(K, spread(-1, 1));
}

/** A network with m examples (rows of X in [−2, 2]) and their targets. */
export function problem(nets: fc.Arbitrary<{ net: Net; head: Head }>, rows: [number, number], input = spread(-2, 2)): fc.Arbitrary<Problem> {
  return fc.tuple(nets, fc.integer({ min: rows[0], max: rows[1] })).chain(([{ net, head }, m]) =>
    fc.record({
      net: fc.constant(net),
      loss: fc.constant(head.loss),
      X: fc.array(vectorArb(net[0].W[0].length, input), { minLength: m, maxLength: m }),
      T: fc.array(target(head.loss, net[net.length - 1].W.length), { minLength: m, maxLength: m }),
    }),
  );
}

// ---------------------------------------------------------------------------------------------
// Helpers: parameters as one flat vector (any fixed order: only your own functions see it)

export const flatten = (net: Net): number[] => net.flatMap((l) => [...l.W.flat(), ...l.b]);
export function unflatten(net: Net, w: number[]): Net {
  let k = 0;
  return net.map((l) => ({ ...l, W: l.W.map((row) => row.map(() => w[k++])), b: l.b.map(() => w[k++]) }));
}
const asGrads = (net: Net, g: number[]): Grads => unflatten(net, g).map(({ W, b }) => ({ dW: W, db: b }));
const flatGrads = (g: Grads): number[] => g.flatMap(({ dW, db }) => [...dW.flat(), ...db]);
const transposedGrads = (g: Grads): Grads => g.map(({ dW, db }) => ({ dW: transposed(dW), db }));
export const identity = (n: number): number[][] => Array.from({ length: n }, (_, i) => Array.from({ length: n }, (__, j) => (i === j ? 1 : 0)));
const zeros = (n: number): number[] => Array.from({ length: n }, () => 0);
const isSquare = (M: number[][]) => M.length === M[0].length;
const dot = (u: number[], v: number[]) => u.reduce((s, ui, i) => s + ui * v[i], 0);
/** a layer that applies only the activation: a = Iz + 0, z' = h(a) */
const activationLayer = ({ activation, alpha }: ActSpec, n: number): Layer => (alpha === undefined ? { W: identity(n), b: zeros(n), activation } : { W: identity(n), b: zeros(n), activation, alpha });
const KINKS = new Set<Act>(['relu', 'leakyRelu', 'elu']);

type S = StudentModule;
const num = async (s: S, name: string, args: unknown[]) => (await s.call(name, args)) as number;
const vec = async (s: S, name: string, args: unknown[]) => (await s.call(name, args)) as number[];
/** h(v) of your own activation (networkFunction of an activation-only layer). */
const ownActivation = (s: S, spec: ActSpec, v: number[]) => vec(s, 'networkFunction', [[activationLayer(spec, v.length)], v]);
/** h′(v) elementwise, as the central difference of your own activation (all coordinates at once: h is elementwise). */
async function ownActivationGrad(s: S, spec: ActSpec, v: number[]): Promise<number[]> {
  const [plus, minus] = [await ownActivation(s, spec, v.map((x) => x + H)), await ownActivation(s, spec, v.map((x) => x - H))];
  return plus.map((p, i) => (p - minus[i]) / (2 * H));
}
/** A kinked activation with a pre-activation within 1e−3 of its kink: central differences would straddle it. */
function nearKink(net: Net, a: unknown): boolean {
  return net.some((l, i) => KINKS.has(l.activation) && !(l.activation === 'elu' && l.alpha === 1) && Array.isArray(a) && (a[i] as number[] | number[][]).flat().some((v) => Math.abs(v) < 1e-3));
}

// ---------------------------------------------------------------------------------------------
// C1 — the network function

const C1 = 'C1: y(x, w) applies every layer in turn: a = Wz + b (row j of W holds the weights into unit j), then z = h(a)';

const networkFunctionChecks: Check[] = [
  example({
    id: 'C1.networkFunction.bishop', exercise: 'networkFunction', catalogue: 'C1', title: "the Bishop net of the fixtures: y = σ(W2 tanh(W1x + b1) + b2) = [3/4, 1/2]",
    hint: `${C1} ([Tu] "Overall neural network function": tanh hidden units, sigmoid outputs)`,
    args: [F.bishop.net, F.bishop.x], expected: F.bishop.forward.out, variants: { [MISTAKE.forwardTransposed]: F.bishop.forwardTransposed.out },
  }),
  property({
    id: 'C1.networkFunction.affine', exercise: 'networkFunction', catalogue: 'C1', title: 'one linear n × n layer computes Wx + b (not Wᵀx + b)',
    hint: C1, numRuns: 50,
    // square W: reading W as [in × out] then gives a wrong value (and a diagnosis), not a shape error
    arbitrary: fc.integer({ min: 1, max: 4 }).chain((n) => fc.tuple(matrixArb(n, n, spread(-2, 2)), vectorArb(n, spread(-2, 2)), vectorArb(n, spread(-2, 2)))),
    verify: async ([W, b, x], s) => {
      const expected = W.map((row, j) => dot(row, x) + b[j]);
      const wrong = isSquare(W) ? { [MISTAKE.forwardTransposed]: transposed(W).map((row, j) => dot(row, x) + b[j]) } : undefined;
      expectClose(await vec(s, 'networkFunction', [[{ W, b, activation: 'linear' }], x]), expected, FLOAT64, 'networkFunction([{ W, b, linear }], x) vs Wx + b', wrong);
    },
  }),
  property({
    id: 'C1.networkFunction.composition', exercise: 'networkFunction', catalogue: 'C1', title: 'a network is the composition of its layers: y(net, x) = y(net[k:], y(net[:k], x))',
    hint: `${C1}; every layer takes the previous layer's activation z as its input`, numRuns: 50,
    arbitrary: fc.tuple(problem(network({ depth: [2, 3], width: [1, 4], hidden: [...SMOOTH, ...KINKED] }), [1, 1]), fc.integer({ min: 1, max: 2 })),
    verify: async ([{ net, X }, k], s) => {
      const cut = Math.min(k, net.length - 1);
      const inner = await vec(s, 'networkFunction', [net.slice(0, cut), X[0]]);
      expectClose(await vec(s, 'networkFunction', [net, X[0]]), await vec(s, 'networkFunction', [net.slice(cut), inner]), FLOAT64, `networkFunction(net, x) vs networkFunction(net[${cut}:], networkFunction(net[:${cut}], x))`);
    },
  }),
];

// ---------------------------------------------------------------------------------------------
// C2 — forward with a cache

type Cache = { a: number[][]; z: number[][] };
const forwardChecks: Check[] = [
  example({
    id: 'C2.forward.bishop', exercise: 'forward', catalogue: 'C2', title: 'the Bishop net: a = [[ln 2, 0], [ln 3, 0]], z = [x, [3/5, 0], [3/4, 1/2]]',
    hint: 'C2: the cache keeps Bishop\'s names: a^(l) the pre-activations, z^(l) = h(a^(l)) the activations, z[0] = x',
    args: [F.bishop.net, F.bishop.x], expected: F.bishop.forward, variants: { [MISTAKE.forwardTransposed]: F.bishop.forwardTransposed },
  }),
  property({
    id: 'C2.forward.cache', exercise: 'forward', catalogue: 'C2', title: 'out = your networkFunction(net, x), z[0] = x, a[l] = W z[l] + b, z[l+1] = h(a[l])',
    hint: 'C2: a has one entry per layer (the pre-activations W z + b), z one more (z[0] = x, then the activations h(a))', numRuns: 50,
    arbitrary: problem(network({ depth: [1, 3], width: [1, 4], hidden: [...SMOOTH, ...KINKED] }), [1, 1]),
    verify: async ({ net, X: [x] }, s) => {
      const r = (await s.call('forward', [net, x])) as { out: number[]; cache: Cache };
      expectThat(r !== null && typeof r === 'object' && r.cache !== null && typeof r.cache === 'object' && Array.isArray(r.cache.a) && Array.isArray(r.cache.z) && r.cache.a.length === net.length && r.cache.z.length === net.length + 1,
        `forward(net, x) must return { out, cache: { a, z } } with ${net.length} entries in a and ${net.length + 1} in z`, r);
      expectClose(r.out, await vec(s, 'networkFunction', [net, x]), FLOAT64, 'forward(net, x).out vs your networkFunction(net, x)');
      expectClose(r.cache.z[0], x, FLOAT64, 'cache.z[0] (the input x)');
      for (let l = 0; l < net.length; l++) {
        const { W, b } = net[l];
        const wrong = isSquare(W) ? { [MISTAKE.forwardTransposed]: transposed(W).map((row, j) => dot(row, r.cache.z[l]) + b[j]) } : undefined;
        expectClose(r.cache.a[l], W.map((row, j) => dot(row, r.cache.z[l]) + b[j]), FLOAT64, `cache.a[${l}] vs W z[${l}] + b of layer ${l}`, wrong);
        expectClose(r.cache.z[l + 1], await ownActivation(s, net[l], r.cache.a[l]), FLOAT64, `cache.z[${l + 1}] vs h(cache.a[${l}]) (your networkFunction of a ${net[l].activation} layer)`);
      }
      expectClose(r.out, r.cache.z[net.length], FLOAT64, `out vs cache.z[${net.length}]`);
    },
  }),
];

// ---------------------------------------------------------------------------------------------
// C3 — output deltas

const C3 = 'C3: δ = ∂E_n/∂a at the output pre-activation: y − t for linear+sse, sigmoid+bce, softmax+ce; h′(a) ⊙ ∂E_n/∂y otherwise, with h′ at a';
const canonical = (h: Head) => (h.activation === 'linear' && h.loss === 'sse') || h.loss === 'bce' || h.loss === 'ce';
const deltaArgs = (a: number[], t: number[], h: Head) => (h.alpha === undefined ? [a, t, h.activation, h.loss] : [a, t, h.activation, h.loss, h.alpha]);

const outputDeltaChecks: Check[] = [
  ...F.outputDeltas.map((f) =>
    example({
      id: `C3.outputDelta.${f.id.replace(/^C3-/, '')}`, exercise: 'outputDelta', catalogue: 'C3',
      title: `outputDelta for ${f.input.activation} + ${f.input.loss} at a = [${f.input.a.map((v) => +v.toFixed(4)).join(', ')}], t = [${f.input.t.join(', ')}] (${f.source.slide})`,
      hint: C3, args: deltaArgs(f.input.a, f.input.t, f.input), expected: f.expected, variants: f.variants,
    }),
  ),
  property({
    id: 'C3.outputDelta.numeric', exercise: 'outputDelta', catalogue: 'C3', title: 'δ equals the numerical gradient of your errorFunction with respect to the output pre-activation a',
    hint: `${C3}. The check evaluates E_n(a) as your errorFunction of an activation-only output layer (W = I, b = 0) at input a`, numRuns: 60,
    arbitrary: fc.constantFrom(...HEADS).chain((head) =>
      fc.integer({ min: head.loss === 'ce' ? 2 : 1, max: 4 }).chain((K) => fc.record({ head: fc.constant(head), a: vectorArb(K, spread(-3, 3)), t: target(head.loss, K) }))),
    verify: async ({ head, a, t }, s) => {
      const E = (v: number[]) => num(s, 'errorFunction', [[activationLayer(head, v.length)], [v], [t], head.loss]);
      const expected = await numericalGradient(E, a);
      const received = await s.call('outputDelta', deltaArgs(a, t, head));
      const variants: Variants = { [MISTAKE.sign]: negated(expected) };
      if (!canonical(head)) {
        const c = head.loss === 'sse' ? 1 : 2;
        const y = await ownActivation(s, head, a);
        const atZ = await ownActivationGrad(s, head, y);
        variants[MISTAKE.fPrimeMissing] = y.map((yk, k) => c * (yk - t[k]));
        variants[MISTAKE.atActivation] = y.map((yk, k) => atZ[k] * c * (yk - t[k]));
        variants[head.loss === 'l2' ? MISTAKE.factorTwoDropped : MISTAKE.factorTwoExtra] = scaled(expected, head.loss === 'l2' ? 0.5 : 2);
      }
      expectClose(received, expected, NUMERIC, `${callText('outputDelta', deltaArgs(a, t, head))} vs the central difference of your errorFunction in a`, variants);
    },
  }),
];

// ---------------------------------------------------------------------------------------------
// C4 — hidden deltas

const C4 = 'C4: δ_j = h′(a_j) Σ_k w_kj δ_k = h′(a) ⊙ (Wnextᵀ δ_next): the column j of Wnext (weights out of unit j), and h′ at the pre-activation a';

/** Square or rectangular W_next, activations with and without kinks (a kept ≥ 1e−3 away from 0). */
const hiddenInput = fc.record({ J: fc.integer({ min: 1, max: 4 }), square: fc.boolean(), K: fc.integer({ min: 1, max: 4 }), spec: fc.constantFrom(...SMOOTH, ...KINKED) }).chain(({ J, square, K, spec }) =>
  fc.record({ spec: fc.constant(spec), a: vectorArb(J, apart(1e-3, 3)), W: matrixArb(square ? J : K, J, spread(-2, 2)), d: vectorArb(square ? J : K, spread(-2, 2)) }));

const hiddenDeltaChecks: Check[] = [
  example({
    id: 'C4.hiddenDelta.bishop', exercise: 'hiddenDelta', catalogue: 'C4', title: "the Bishop net's tanh layer: δ1 = [16/25, 1] ⊙ W2ᵀδ2 = [8/25 − (4/15)ln 3, −3/2]",
    hint: C4, args: [F.bishopHiddenDelta.input.a, F.bishopHiddenDelta.input.Wnext, F.bishopHiddenDelta.input.deltaNext, 'tanh'],
    expected: F.bishopHiddenDelta.expected, variants: F.bishopHiddenDelta.variants,
  }),
  property({
    id: 'C4.hiddenDelta.numeric', exercise: 'hiddenDelta', catalogue: 'C4', title: 'δ equals the numerical gradient of a ↦ δ_nextᵀ (Wnext h(a)), built from your networkFunction',
    hint: `${C4}. The check differentiates δ_nextᵀ·networkFunction([h-layer, linear Wnext layer], a)`, numRuns: 60,
    arbitrary: hiddenInput,
    verify: async ({ spec, a, W, d }, s) => {
      const twoLayers = [activationLayer(spec, a.length), { W, b: zeros(W.length), activation: 'linear' }];
      const expected = await numericalGradient(async (v) => dot(d, await vec(s, 'networkFunction', [twoLayers, v])), a);
      const args = spec.alpha === undefined ? [a, W, d, spec.activation] : [a, W, d, spec.activation, spec.alpha];
      const received = await s.call('hiddenDelta', args);
      const back = a.map((_, j) => W.reduce((acc, row, k) => acc + row[j] * d[k], 0)); // Wᵀd
      const [hp, hpAtZ] = [await ownActivationGrad(s, spec, a), await ownActivationGrad(s, spec, await ownActivation(s, spec, a))];
      const variants: Variants = { [MISTAKE.sign]: negated(expected), [MISTAKE.atActivation]: hpAtZ.map((g, j) => g * back[j]), [MISTAKE.fPrimeMissing]: back };
      if (isSquare(W)) variants[MISTAKE.WnotWT] = hp.map((g, j) => g * dot(W[j], d));
      expectClose(received, expected, NUMERIC, `${callText('hiddenDelta', args)} vs the central difference`, variants);
    },
  }),
];

// ---------------------------------------------------------------------------------------------
// C5 — weight gradients, one layer and the whole backward pass

const C5 = 'C5: ∂E_n/∂w_ji = δ_j z_i, so dW = δ zᵀ with W\'s shape [out, in], and db = δ';

const layerGradientChecks: Check[] = [
  example({
    id: 'C5.layerGradients.bishop', exercise: 'layerGradients', catalogue: 'C5', title: "the Bishop net's output layer: dW2 = δ2 z1ᵀ = [[−3/20, 0], [3/10, 0]], db2 = δ2",
    hint: C5, args: [F.bishopLayerGradients.input.delta, F.bishopLayerGradients.input.zPrev], expected: F.bishopLayerGradients.expected, variants: F.bishopLayerGradients.variants,
  }),
  property({
    id: 'C5.layerGradients.numeric', exercise: 'layerGradients', catalogue: 'C5', title: 'dW, db equal the numerical gradient of δᵀ(Wz + b) (your networkFunction of a linear layer) in W and b',
    hint: `${C5}: ∂(δᵀ(Wz + b))/∂W = δzᵀ`, numRuns: 40,
    arbitrary: fc.record({ out: fc.integer({ min: 1, max: 4 }), n: fc.integer({ min: 1, max: 4 }), square: fc.boolean() }).chain(({ out, n, square }) =>
      fc.record({ W: matrixArb(square ? n : out, n, spread(-2, 2)), b: vectorArb(square ? n : out, spread(-2, 2)), z: vectorArb(n, apart(0.1, 2)), d: vectorArb(square ? n : out, apart(0.1, 2)) })),
    verify: async ({ W, b, z, d }, s) => {
      const layer: Net = [{ W, b, activation: 'linear' }];
      const numeric = await numericalGradient(async (w) => dot(d, await vec(s, 'networkFunction', [unflatten(layer, w), z])), flatten(layer));
      const [expected] = asGrads(layer, numeric);
      const variants: Variants = { [MISTAKE.sign]: negated(expected), ...(isSquare(W) ? { [MISTAKE.gradientTransposed]: { dW: transposed(expected.dW), db: expected.db } } : {}) };
      expectClose(await s.call('layerGradients', [d, z]), expected, NUMERIC, `${callText('layerGradients', [d, z])} vs the central difference`, variants);
    },
  }),
];

/** Small nets (≤ ~40 parameters) for full central differences; smooth and kinked hidden units. */
const smallNets = problem(network({ depth: [1, 3], width: [1, 3], hidden: [...SMOOTH, ...KINKED] }), [1, 1]);
const squareNets = problem(network({ depth: [2, 3], width: [2, 3], square: true, hidden: [...SMOOTH, ...KINKED] }), [1, 1]);

const backwardChecks: Check[] = [
  example({
    id: 'C5.backward.bishop', exercise: 'backward', catalogue: 'C5', title: 'the Bishop net with sigmoid + BCE: δ2 = y − t, δ1 = h′(a1) ⊙ W2ᵀδ2, dW = δzᵀ per layer',
    hint: `C5: δ at the output, then δ^(l) = h′(a^(l)) ⊙ W^(l+1)ᵀδ^(l+1) down the layers, dW^(l) = δ^(l) z^(l−1)ᵀ ([Tu] "Error propagation algorithm")`,
    args: [F.bishop.net, F.bishop.forward.cache, F.bishop.t, F.bishop.loss], expected: F.bishopBackward.expected, variants: F.bishopBackward.variants,
  }),
  property({
    id: 'C5.backward.numeric', exercise: 'backward', catalogue: 'C5', title: 'backward equals the numerical gradient of your errorFunction on one example (every weight and bias)',
    hint: 'C3–C5: the gradient of E_n for every layer; compare your backward with gradcheck\'s numericalGradient of your own errorFunction', numRuns: 40,
    arbitrary: fc.oneof(smallNets, squareNets),
    verify: async ({ net, loss, X: [x], T: [t] }, s) => {
      const { cache } = (await s.call('forward', [net, x])) as { cache: Cache };
      if (nearKink(net, cache?.a)) return;
      const expected = asGrads(net, await numericalGradient((w) => num(s, 'errorFunction', [unflatten(net, w), [x], [t], loss]), flatten(net)));
      const variants: Variants = { [MISTAKE.sign]: negated(expected), [MISTAKE.gradientTransposed]: transposedGrads(expected) };
      expectClose(await s.call('backward', [net, cache, t, loss]), expected, NUMERIC, 'backward(net, forward(net, x).cache, t, loss) vs the central difference of your errorFunction', variants);
    },
  }),
  property({
    id: 'C5.backward.directional', exercise: 'backward', catalogue: 'C5', title: 'on larger nets vᵀ·backward equals (E(w + hv) − E(w − hv))/2h along random directions v',
    hint: 'C3–C5: a directional (random-projection) check of your gradient against your own errorFunction, O(1) evaluations whatever the size', numRuns: 40,
    arbitrary: problem(network({ depth: [2, 4], width: [3, 6] }), [1, 1]).chain((p) => fc.tuple(fc.constant(p), direction(flatten(p.net).length))),
    verify: async ([{ net, loss, X: [x], T: [t] }, v], s) => {
      const { cache } = (await s.call('forward', [net, x])) as { cache: Cache };
      const g = (await s.call('backward', [net, cache, t, loss])) as Grads;
      const flat = flatGrads(g);
      expectThat(flat.length === v.length && flat.every(Number.isFinite), 'backward must return one finite { dW, db } per layer, shaped like the layer', g);
      const numeric = await directionalDerivative((w) => num(s, 'errorFunction', [unflatten(net, w), [x], [t], loss]), flatten(net), v);
      expectClose(dot(flat, v), numeric, NUMERIC, 'vᵀ·backward(…) vs the directional difference of your errorFunction', { [MISTAKE.sign]: -numeric });
    },
  }),
];

// ---------------------------------------------------------------------------------------------
// C6 — the batch form with 1/m

const C6 = 'C6: rows are examples; J = (1/m) Σ_n E_n, so Δ^(L) = (1/m)(per-example δ), Δ^(l) = (Δ^(l+1) W^(l+1)) ⊙ f′(A^(l)), dW = Δᵀ Z';
const batches = problem(network({ depth: [1, 3], width: [1, 3], hidden: [...SMOOTH, ...KINKED] }), [2, 4]);

const batchForwardChecks: Check[] = [
  example({
    id: 'C6.batchForward.training', exercise: 'batchForward', catalogue: 'C6', title: 'the [Training] net on two examples: A1 = X W1ᵀ, Z1 = σ(A1) = [[3/4, 1/4], [1/2, 1/4]], Ŷ = [[1/2, 3/4], [1/2, 1/2]]',
    hint: `${C6}. Forward: A^(l) = Z^(l) W^(l)ᵀ + b (b added to every row)`,
    args: [F.training.net, F.training.X], expected: F.training.forward, variants: { [MISTAKE.forwardTransposed]: F.training.forwardTransposed },
  }),
  property({
    id: 'C6.batchForward.rows', exercise: 'batchForward', catalogue: 'C6', title: 'row n of out and of every cache matrix is your forward of example n',
    hint: 'C6: the batch form stacks the examples as rows and changes nothing else', numRuns: 40,
    arbitrary: batches,
    verify: async ({ net, X }, s) => {
      const r = (await s.call('batchForward', [net, X])) as { out: number[][]; cache: Cache & { a: number[][][]; z: number[][][] } };
      const rows = (await Promise.all(X.map((x) => s.call('forward', [net, x])))) as { out: number[]; cache: Cache }[];
      expectClose(r, { out: rows.map((f) => f.out), cache: { a: net.map((_, l) => rows.map((f) => f.cache.a[l])), z: [...net.map((_, l) => rows.map((f) => f.cache.z[l])), rows.map((f) => f.cache.z[net.length])] } }, FLOAT64, 'batchForward(net, X) vs your forward of each row');
    },
  }),
];

const batchCostChecks: Check[] = [
  example({
    id: 'C6.batchCost.training', exercise: 'batchCost', catalogue: 'C6', title: 'the [Training] net: J = (1/2m) Σ (y − ŷ)² = (1/4)(1/4 + 9/16 + 1/4 + 1/4) = 21/64',
    hint: `${C6}. J = (1/2m) Σ_i Σ_k (y − a)² for sse`, args: [F.training.net, F.training.X, F.training.T, F.training.loss], expected: F.training.cost,
  }),
  example({
    id: 'C6.batchCost.least-squares', exercise: 'batchCost', catalogue: 'C6', title: 'y = x₁ + 2x₂ on three examples: E = ½(4 + 1 + 1) = 3, J = E/3 = 1',
    hint: `${C6}. The mean over m = 3 examples, of the per-example ½Σ(y − t)²`, args: [F.leastSquares.net, F.leastSquares.X, F.leastSquares.T, 'sse'], expected: F.leastSquares.cost,
    variants: { [MISTAKE.oneOverM]: F.leastSquares.error, [MISTAKE.halfMissing]: 2 * F.leastSquares.cost },
  }),
  property({
    id: 'C6.batchCost.mean', exercise: 'batchCost', catalogue: 'C6', title: 'batchCost = your errorFunction / m (the batch cost is the mean of the per-example errors)',
    hint: `${C6}: J carries 1/m, E(w) = Σ_n E_n does not`, numRuns: 40,
    arbitrary: batches,
    verify: async ({ net, loss, X, T }, s) => {
      const E = await num(s, 'errorFunction', [net, X, T, loss]);
      expectClose(await s.call('batchCost', [net, X, T, loss]), E / X.length, FLOAT64, `batchCost vs errorFunction / ${X.length}`, { [MISTAKE.oneOverM]: E });
    },
  }),
];

const batchOutputDeltaChecks: Check[] = [
  example({
    id: 'C6.batchOutputDelta.training', exercise: 'batchOutputDelta', catalogue: 'C6', title: 'the [Training] net: Δ^(L) = (1/m)(Ŷ − T) ⊙ σ′(A^(L)) = [[−1/16, 9/128], [1/16, −1/16]] (erratum 2: not the printed (1/m)(y − a)f′(a))',
    hint: `${C6}. The deck prints δ^(3) = (1/m)(y − a^(3)) f′(a^(3)) (erratum 2): the derivative of (1/2m)Σ(y − a)² is (1/m)(a − y), and f′ is taken at the pre-activation`,
    args: [F.trainingOutputDelta.input.A, F.trainingOutputDelta.input.T, 'sigmoid', 'sse'], expected: F.trainingOutputDelta.expected, variants: F.trainingOutputDelta.variants,
  }),
  property({
    id: 'C6.batchOutputDelta.rows', exercise: 'batchOutputDelta', catalogue: 'C6', title: 'row n of Δ^(L) is your outputDelta of example n divided by m',
    hint: `${C6}: the 1/m of the mean cost appears in Δ^(L) and from there in every gradient`, numRuns: 40,
    arbitrary: fc.constantFrom(...HEADS).chain((head) =>
      fc.record({ m: fc.integer({ min: 2, max: 4 }), K: fc.integer({ min: head.loss === 'ce' ? 2 : 1, max: 4 }) }).chain(({ m, K }) =>
        fc.record({ head: fc.constant(head), A: fc.array(vectorArb(K, spread(-3, 3)), { minLength: m, maxLength: m }), T: fc.array(target(head.loss, K), { minLength: m, maxLength: m }) }))),
    verify: async ({ head, A, T }, s) => {
      const m = A.length;
      const rows = (await Promise.all(A.map((a, n) => s.call('outputDelta', deltaArgs(a, T[n], head))))) as number[][];
      const expected = rows.map((r) => r.map((v) => v / m));
      const args = head.alpha === undefined ? [A, T, head.activation, head.loss] : [A, T, head.activation, head.loss, head.alpha];
      expectClose(await s.call('batchOutputDelta', args), expected, FLOAT64, `${callText('batchOutputDelta', args)} vs your outputDelta of each row / ${m}`, { [MISTAKE.oneOverM]: rows, [MISTAKE.sign]: negated(expected) });
    },
  }),
];

const batchHiddenDeltaChecks: Check[] = [
  example({
    id: 'C6.batchHiddenDelta.training', exercise: 'batchHiddenDelta', catalogue: 'C6', title: 'the [Training] net: Δ1 = (Δ2 W2) ⊙ σ′(A1) = [[(27/512)ln 3, 3/512], [−(1/16)ln 3, 0]]',
    hint: `${C6}. With rows = examples the deck writes δ^(2) = δ^(3) Θ^(2) f′: Δ W, not Δ Wᵀ`,
    args: [F.trainingHiddenDelta.input.A, F.trainingHiddenDelta.input.Wnext, F.trainingHiddenDelta.input.DeltaNext, 'sigmoid'], expected: F.trainingHiddenDelta.expected, variants: F.trainingHiddenDelta.variants,
  }),
  property({
    id: 'C6.batchHiddenDelta.rows', exercise: 'batchHiddenDelta', catalogue: 'C6', title: 'row n of Δ^(l) is your hiddenDelta of row n (Δ_next W_next in rows is W_nextᵀ δ_next per example)',
    hint: `${C6}: (Δ W)_n = Wᵀ δ_n, so the batch form needs no transpose on W`, numRuns: 40,
    arbitrary: hiddenInput.chain((h) => fc.tuple(fc.constant(h), fc.integer({ min: 2, max: 3 }))).chain(([{ spec, a, W, d }, m]) =>
      fc.record({ spec: fc.constant(spec), A: fc.tuple(fc.constant(a), ...Array.from({ length: m - 1 }, () => vectorArb(a.length, apart(1e-3, 3)))), W: fc.constant(W), D: fc.tuple(fc.constant(d), ...Array.from({ length: m - 1 }, () => vectorArb(d.length, spread(-2, 2)))) })),
    verify: async ({ spec, A, W, D }, s) => {
      const tail = spec.alpha === undefined ? [spec.activation] : [spec.activation, spec.alpha];
      const expected = (await Promise.all(A.map((a, n) => s.call('hiddenDelta', [a, W, D[n], ...tail])))) as number[][];
      const variants: Variants = { [MISTAKE.sign]: negated(expected) };
      if (isSquare(W)) variants[MISTAKE.WTnotW] = (await Promise.all(A.map((a, n) => s.call('hiddenDelta', [a, transposed(W), D[n], ...tail])))) as number[][];
      const args = [A, W, D, ...tail];
      expectClose(await s.call('batchHiddenDelta', args), expected, FLOAT64, `${callText('batchHiddenDelta', args)} vs your hiddenDelta of each row`, variants);
    },
  }),
];

const batchBackwardChecks: Check[] = [
  example({
    id: 'C6.batchBackward.training', exercise: 'batchBackward', catalogue: 'C6', title: 'the [Training] net: dW = Δᵀ Z per layer, with the 1/m of J = (1/2m) Σ (y − ŷ)²',
    hint: `${C6}; ∂J/∂Θ^(2) = (δ^(3))ᵀ a^(2) in the deck's letters`,
    args: [F.training.net, F.training.forward.cache, F.training.T, F.training.loss], expected: F.trainingBackward.expected, variants: F.trainingBackward.variants,
  }),
  example({
    id: 'C6.batchBackward.least-squares', exercise: 'batchBackward', catalogue: 'C6', title: 'y = x₁ + 2x₂ on three examples: ∂J/∂W = (1/3)[4, 3], ∂J/∂b = 4/3',
    hint: `${C6}: the gradient of the mean is the mean of the per-example gradients`,
    args: [F.leastSquares.net, { a: [[[3], [2], [2]]], z: [F.leastSquares.X, [[3], [2], [2]]] }, F.leastSquares.T, 'sse'], expected: F.leastSquares.batchGradients,
    variants: { [MISTAKE.oneOverM]: F.leastSquares.gradients },
  }),
  property({
    id: 'C6.batchBackward.numeric', exercise: 'batchBackward', catalogue: 'C6', title: 'batchBackward equals the numerical gradient of your batchCost (every weight and bias)',
    hint: `${C6}; check it with numericalGradient of your own batchCost`, numRuns: 30,
    arbitrary: fc.oneof(batches, problem(network({ depth: [2, 3], width: [2, 3], square: true, hidden: [...SMOOTH, ...KINKED] }), [2, 3])),
    verify: async ({ net, loss, X, T }, s) => {
      const { cache } = (await s.call('batchForward', [net, X])) as { cache: Cache };
      if (nearKink(net, cache?.a)) return;
      const expected = asGrads(net, await numericalGradient((w) => num(s, 'batchCost', [unflatten(net, w), X, T, loss]), flatten(net)));
      const variants: Variants = { [MISTAKE.oneOverM]: scaled(expected, X.length), [MISTAKE.sign]: negated(expected), [MISTAKE.gradientTransposed]: transposedGrads(expected) };
      expectClose(await s.call('batchBackward', [net, cache, T, loss]), expected, NUMERIC, 'batchBackward(net, batchForward(net, X).cache, T, loss) vs the central difference of your batchCost', variants);
    },
  }),
];

// ---------------------------------------------------------------------------------------------
// C7 — the EBU7240 nets

type Ebu = { loss: number; dW: number[][][]; db: number[][]; dx: number[] };
type EbuLayer = { W: number[][]; b: number[] };
/** x and 1–2 layers of width ≤ 3 (the deck's shapes), weights in [−2, 2]. */
const ebuNets = (minTop: number) =>
  fc.record({ d: fc.integer({ min: 1, max: 3 }), L: fc.integer({ min: 1, max: 2 }), h: fc.integer({ min: 1, max: 3 }), K: fc.integer({ min: minTop, max: 3 }) }).chain(({ d, L, h, K }) => {
    const widths = L === 1 ? [d, K] : [d, h, K];
    return fc.record({
      x: vectorArb(d, spread(-2, 2)),
      layers: fc.tuple(...widths.slice(1).map((out, l) => fc.record({ W: matrixArb(out, widths[l], spread(-2, 2)), b: vectorArb(out, spread(-2, 2)) }))),
    });
  });
/** The gradient of your own .loss in every W, b and in x, arranged like the result. */
async function ebuNumeric(s: S, name: string, x: number[], layers: EbuLayer[], target: unknown): Promise<{ dW: number[][][]; db: number[][]; dx: number[] }> {
  const net: Net = layers.map((l) => ({ ...l, activation: 'linear' }));
  const P = flatten(net).length;
  const g = await numericalGradient(async (w) => ((await s.call(name, [w.slice(P), unflatten(net, w.slice(0, P)).map(({ W, b }) => ({ W, b })), target])) as Ebu).loss, [...flatten(net), ...x]);
  const grads = asGrads(net, g.slice(0, P));
  return { dW: grads.map((q) => q.dW), db: grads.map((q) => q.db), dx: g.slice(P) };
}
function ebuChecks(exercise: 'ebuL2Net' | 'ebuSoftmaxNet', fixtures: typeof F.ebuL2Nets | typeof F.ebuSoftmaxNets, hint: string, targets: (K: number) => fc.Arbitrary<unknown>): Check[] {
  return [
    ...fixtures.map((f) =>
      example({
        id: `C7.${exercise}.${f.id.replace(/^C7-ebu-/, '')}`, exercise, catalogue: 'C7', title: `${f.source.slide}: the fixture's net, every quantity of the deck's "Summary"`,
        hint, args: [f.input.x, f.input.layers, f.input.target], expected: f.expected, variants: f.variants,
      }),
    ),
    property({
      id: `C7.${exercise}.numeric`, exercise, catalogue: 'C7', title: `dW, db and dx equal the numerical gradient of your ${exercise}(…).loss`,
      hint, numRuns: 30,
      arbitrary: ebuNets(exercise === 'ebuSoftmaxNet' ? 2 : 1).chain((n) => fc.tuple(fc.constant(n), targets(n.layers[n.layers.length - 1].W.length))),
      verify: async ([{ x, layers }, t], s) => {
        const expected = await ebuNumeric(s, exercise, x, layers, t);
        const variants: Variants = { [MISTAKE.sign]: negated(expected) };
        expectClose(await s.call(exercise, [x, layers, t]), expected, NUMERIC, `${exercise}(x, layers, …) vs the central difference of its own loss`, variants);
      },
    }),
  ];
}

// ---------------------------------------------------------------------------------------------
// C8 — the numpy training loop

type Step = { loss: number; gradW1: number[][]; gradW2: number[][]; w1: number[][]; w2: number[][] };
const numpyProblem = fc.record({ N: fc.integer({ min: 1, max: 4 }), D: fc.integer({ min: 1, max: 3 }), Hd: fc.integer({ min: 1, max: 3 }), O: fc.integer({ min: 1, max: 2 }) }).chain(({ N, D, Hd, O }) =>
  fc.record({ x: matrixArb(N, D, spread(-1, 1)), y: matrixArb(N, O, spread(-1, 1)), w1: matrixArb(D, Hd, spread(-1, 1)), w2: matrixArb(Hd, O, spread(-1, 1)) }));
const C8 = 'C8: [Oh] "Full implementation of training a 2-layer Neural Network": grad_y = 2(ŷ − y), grad_w2 = hᵀ·grad_y, grad_h = grad_y·w2ᵀ, grad_w1 = xᵀ·(grad_h ⊙ h ⊙ (1 − h)), then w −= lr·grad';

const numpyChecks: Check[] = [
  example({
    id: 'C8.numpyTrainingStep.fixture', exercise: 'numpyTrainingStep', catalogue: 'C8', title: 'one iteration on N = 2, D_in = H = 2, D_out = 1: loss 17/16, grad_w2 = [[5/4], [7/8]], grad_w1 = [[3/4, −1/2], [1/2, −13/32]]',
    hint: C8, args: [F.numpyTraining.input.x, F.numpyTraining.input.y, F.numpyTraining.input.w1, F.numpyTraining.input.w2, F.numpyTraining.input.learningRate],
    expected: F.numpyTraining.expected, variants: F.numpyTraining.variants,
  }),
  property({
    id: 'C8.numpyTrainingStep.numeric', exercise: 'numpyTrainingStep', catalogue: 'C8', title: 'grad_w1, grad_w2 equal the numerical gradient of your loss, and the new weights are w − lr·grad',
    hint: `${C8}. The loss is Σ(ŷ − y)² without ½ or 1/N, hence the 2 in grad_y`, numRuns: 40,
    arbitrary: numpyProblem,
    verify: async ({ x, y, w1, w2 }, s) => {
      const n1 = w1.length * w1[0].length;
      const split = (w: number[]) => [w1.map((row, i) => row.map((_, j) => w[i * row.length + j])), w2.map((row, i) => row.map((_, j) => w[n1 + i * row.length + j]))];
      const g = await numericalGradient(async (w) => ((await s.call('numpyTrainingStep', [x, y, ...split(w), 1e-4])) as Step).loss, [...w1.flat(), ...w2.flat()]);
      const [g1, g2] = split(g);
      const r = (await s.call('numpyTrainingStep', [x, y, w1, w2, 0.01])) as Step;
      const variants: Variants = { [MISTAKE.sign]: { gradW1: negated(g1), gradW2: negated(g2) }, ...(isSquare(g1) ? { [MISTAKE.gradientTransposed]: { gradW1: transposed(g1), gradW2: g2 } } : {}) };
      expectClose(r, { gradW1: g1, gradW2: g2 }, NUMERIC, 'numpyTrainingStep(x, y, w1, w2, lr) vs the central difference of its own loss', variants);
      expectClose({ w1: r.w1, w2: r.w2 }, { w1: w1.map((row, i) => row.map((w, j) => w - 0.01 * r.gradW1[i][j])), w2: w2.map((row, i) => row.map((w, j) => w - 0.01 * r.gradW2[i][j])) }, FLOAT64, 'the new weights vs w − 0.01·grad');
    },
  }),
  property({
    id: 'C8.numpyTrainingStep.descent', exercise: 'numpyTrainingStep', catalogue: 'C8', title: 'five iterations with lr = 1e−3 never increase the loss, and lower it',
    hint: `${C8}. A small step against the gradient lowers the loss: check the sign of each gradient and that you subtract it`, numRuns: 30,
    arbitrary: numpyProblem,
    verify: async ({ x, y, w1, w2 }, s) => {
      let state = { w1, w2 };
      const losses: number[] = [];
      for (let k = 0; k < 5; k++) {
        const r = (await s.call('numpyTrainingStep', [x, y, state.w1, state.w2, 1e-3])) as Step;
        losses.push(r.loss);
        state = { w1: r.w1, w2: r.w2 };
      }
      losses.push(((await s.call('numpyTrainingStep', [x, y, state.w1, state.w2, 1e-3])) as Step).loss);
      // |∇L| ≤ ~40 here, so each step lowers L by ≈ lr·|∇L|² while the second-order term stays below lr²·|∇L|²·‖H‖/2 (‖H‖ ≲ 50): a decrease unless ∇L ≈ 0
      expectThat(losses.every((l, k) => k === 0 || l <= losses[k - 1] * (1 + 1e-12) + 1e-15), `the loss went up: ${losses.join(' → ')}`, losses);
      expectThat(losses[5] < losses[0] || losses[0] < 1e-9, `five steps did not lower the loss: ${losses.join(' → ')}`, losses);
    },
  }),
];

// ---------------------------------------------------------------------------------------------
// C9 — the error function and a gradient-descent step

const errorFunctionChecks: Check[] = [
  example({
    id: 'C9.errorFunction.least-squares', exercise: 'errorFunction', catalogue: 'C9', title: 'y = x₁ + 2x₂ on three examples with sse: E = ½(4 + 1 + 1) = 3',
    hint: 'C9: E(w) = Σ_n E_n(w), each E_n = ½Σ_k(y_k − t_k)² for sse: a sum over the examples, no 1/N ([Tu] "Error Function")',
    args: [F.leastSquares.net, F.leastSquares.X, F.leastSquares.T, 'sse'], expected: F.leastSquares.error,
    variants: { [MISTAKE.meanNotSum]: F.leastSquares.cost, [MISTAKE.halfMissing]: 2 * F.leastSquares.error },
  }),
  example({
    id: 'C9.errorFunction.bishop', exercise: 'errorFunction', catalogue: 'C9', title: 'the Bishop net with BCE: E = −ln(3/4) − ln(1/2) = ln(8/3)',
    hint: 'C9: bce: E_n = −Σ_k [t_k ln y_k + (1 − t_k) ln(1 − y_k)] with the natural log', args: [F.bishop.net, [F.bishop.x], [F.bishop.t], 'bce'], expected: F.bishop.error,
  }),
  property({
    id: 'C9.errorFunction.additive', exercise: 'errorFunction', catalogue: 'C9', title: 'E over two data sets put together is the sum of the two errors',
    hint: 'C9: E(w) = Σ_n E_n(w) adds over the examples (a mean would not)', numRuns: 40,
    arbitrary: batches.chain((p) => fc.tuple(fc.constant(p), fc.integer({ min: 1, max: p.X.length - 1 }))),
    verify: async ([{ net, loss, X, T }, k], s) => {
      const parts = (await num(s, 'errorFunction', [net, X.slice(0, k), T.slice(0, k), loss])) + (await num(s, 'errorFunction', [net, X.slice(k), T.slice(k), loss]));
      expectClose(await num(s, 'errorFunction', [net, X, T, loss]), parts, FLOAT64, `errorFunction of all ${X.length} rows vs the sum over rows [0, ${k}) and [${k}, ${X.length})`);
    },
  }),
];

const stepOf = (net: Net, g: Grads, eta: number): Net => net.map((l, i) => ({ ...l, W: l.W.map((row, j) => row.map((w, k) => w - eta * g[i].dW[j][k])), b: l.b.map((v, j) => v - eta * g[i].db[j]) }));

const gradientDescentChecks: Check[] = [
  example({
    id: 'C9.gradientDescentStep.least-squares', exercise: 'gradientDescentStep', catalogue: 'C9', title: 'W = [[1, 2]], b = [0], ∂E/∂W = [[4, 3]], ∂E/∂b = [4], η = 0.1 → W = [[0.6, 1.7]], b = [−0.4]',
    hint: 'C9: W ← W − η ∂E/∂W ([Oh] "Gradient Descent": W^{T+1} = W^T − α ∂L/∂W^T)', args: [F.leastSquares.net, F.leastSquares.gradients, F.leastSquares.eta], expected: F.leastSquares.stepped,
    variants: { [MISTAKE.ascent]: [{ W: [[1.4, 2.3]], b: [0.4], activation: 'linear' }] },
  }),
  property({
    id: 'C9.gradientDescentStep.rule', exercise: 'gradientDescentStep', catalogue: 'C9', title: 'every weight and bias moves by −η times its gradient; activations are kept',
    hint: 'C9: W ← W − η dW and b ← b − η db for every layer; return a new network with the same activations', numRuns: 40,
    arbitrary: batches.chain((p) => fc.tuple(fc.constant(p.net), fc.array(spread(-2, 2), { minLength: flatten(p.net).length, maxLength: flatten(p.net).length }), spread(0, 1))),
    verify: async ([net, g, eta], s) => {
      const grads = asGrads(net, g);
      expectClose(await s.call('gradientDescentStep', [net, grads, eta]), stepOf(net, grads, eta), FLOAT64, `gradientDescentStep(net, grads, ${eta})`, { [MISTAKE.ascent]: stepOf(net, grads, -eta) });
    },
  }),
];

export const backprop: FamilyGrader = {
  id: 'C',
  module: 'backprop',
  title: 'Feedforward network and backpropagation',
  exercises: [
    { name: 'networkFunction', catalogue: 'C1', arity: 2, summary: 'y(x, w): every layer a = Wz + b, z = h(a)' },
    { name: 'forward', catalogue: 'C2', arity: 2, summary: '{ out, cache: { a, z } } in Bishop\'s names' },
    { name: 'outputDelta', catalogue: 'C3', arity: 5, summary: 'δ = ∂E_n/∂a at the output: y − t for canonical pairs, h′(a) ⊙ ∂E/∂y otherwise' },
    { name: 'hiddenDelta', catalogue: 'C4', arity: 5, summary: 'δ = h′(a) ⊙ Wnextᵀ δ_next' },
    { name: 'layerGradients', catalogue: 'C5', arity: 2, summary: 'dW = δ zᵀ, db = δ' },
    { name: 'backward', catalogue: 'C5', arity: 4, summary: 'per-example gradients of every layer from the cache' },
    { name: 'batchForward', catalogue: 'C6', arity: 2, summary: 'rows = examples: A = Z Wᵀ + b' },
    { name: 'batchCost', catalogue: 'C6', arity: 4, summary: 'J = (1/m) Σ_n E_n' },
    { name: 'batchOutputDelta', catalogue: 'C6', arity: 5, summary: 'Δ^(L) = (1/m)(per-example δ)' },
    { name: 'batchHiddenDelta', catalogue: 'C6', arity: 5, summary: 'Δ = (Δ_next W_next) ⊙ f′(A)' },
    { name: 'batchBackward', catalogue: 'C6', arity: 4, summary: 'gradients of J: dW = Δᵀ Z, db = Σ_rows Δ' },
    { name: 'ebuL2Net', catalogue: 'C7', arity: 3, summary: 'EBU7240 sigmoid + L2 nets: loss, p, dp, ds, dW, db, dx' },
    { name: 'ebuSoftmaxNet', catalogue: 'C7', arity: 3, summary: 'EBU7240 softmax classifiers: loss −log p_y and every gradient' },
    { name: 'numpyTrainingStep', catalogue: 'C8', arity: 5, summary: "one iteration of the deck's numpy loop" },
    { name: 'errorFunction', catalogue: 'C9', arity: 4, summary: 'E(w) = Σ_n E_n(w)' },
    { name: 'gradientDescentStep', catalogue: 'C9', arity: 3, summary: 'W ← W − η dW' },
  ],
  checks: [
    ...networkFunctionChecks, ...forwardChecks, ...outputDeltaChecks, ...hiddenDeltaChecks, ...layerGradientChecks, ...backwardChecks,
    ...batchForwardChecks, ...batchCostChecks, ...batchOutputDeltaChecks, ...batchHiddenDeltaChecks, ...batchBackwardChecks,
    ...ebuChecks('ebuL2Net', F.ebuL2Nets, 'C7: [Oh] "Summary": ∂L/∂p = −2(z − p), ∂L/∂s = σ(s)(1 − σ(s)) ⊙ ∂L/∂p (σ′ at the score s), ∂L/∂W = ∂L/∂s xᵀ, ∂L/∂x = Wᵀ∂L/∂s', (K) => vectorArb(K, spread(0, 1))),
    ...ebuChecks('ebuSoftmaxNet', F.ebuSoftmaxNets, 'C7: [Oh] softmax classifier: L = −log p_y, ∂L/∂s = p − e_y at the top, σ(s)(1 − σ(s)) ⊙ W2ᵀ∂L/∂s2 below', (K) => fc.integer({ min: 0, max: K - 1 })),
    ...numpyChecks, ...errorFunctionChecks, ...gradientDescentChecks,
  ],
};
