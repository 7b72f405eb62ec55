/**
 * Family C (backpropagation): hidden differential checks, student vs reference, instructor side.
 *
 * Inputs come in strata: rectangular nets, square nets (every W n × n, so that W for Wᵀ or a
 * transposed gradient is a wrong value rather than a shape error), deep narrow nets of sigmoid
 * and tanh units (where f′ at the activation differs most from f′ at the pre-activation), every
 * (output activation, loss) pair, kinked units with weights, biases and inputs that are sometimes
 * exactly 0 (so a pre-activation sits on the kink and the subgradient convention shows).
 *
 * Every check names the mistakes a wrong value may look like: the reference's own building
 * blocks run with the wrong convention (f′ at z = h(a), W for Wᵀ, the deck's printed δ …).
 */
import fc from 'fast-check';
import { MISTAKE } from '../../fixtures/backprop.fixtures.ts';
import * as ref from '../../reference/backprop.ts';
import type { EbuLayer, EbuResult, Gradients, Network } from '../../reference/backprop.ts';
import { HEADS, KINKED, network, problem, SMOOTH, spread, target, type ActSpec, type Head, type Problem } from '../backprop.grader.ts';
import { differential } from '../engine/checks.ts';
import { negated, scaled, transposed, type Variants } from '../engine/diagnose.ts';
import type { Check } from '../engine/types.ts';

// ---------------------------------------------------------------------------------------------
// Strata

const ALL: ActSpec[] = [...SMOOTH, ...KINKED, { activation: 'leakyRelu', alpha: 0.2 }, { activation: 'elu', alpha: 2 }];
/** Weights, biases and inputs: mostly spread, sometimes exactly 0 (kinks at a = 0). */
const value = fc.oneof({ weight: 6, arbitrary: spread(-2, 2) }, { weight: 1, arbitrary: fc.constant(0) });
const nets = fc.oneof(
  { weight: 2, arbitrary: network({ depth: [1, 3], width: [1, 4], hidden: ALL, weight: value }) },
  { weight: 2, arbitrary: network({ depth: [2, 3], width: [2, 3], square: true, hidden: ALL, weight: value }) },
  { weight: 1, arbitrary: network({ depth: [3, 4], width: [1, 3], hidden: [{ activation: 'sigmoid' }, { activation: 'tanh' }], heads: HEADS.filter((h) => h.loss !== 'ce') }) },
);
const examples = problem(nets, [1, 1], value);
const batches = problem(nets, [2, 4], value);

// ---------------------------------------------------------------------------------------------
// The reference run with a wrong convention (built from its own exports)

const I = (n: number) => Array.from({ length: n }, (_, i) => Array.from({ length: n }, (__, j) => (i === j ? 1 : 0)));
const ones = (n: number) => Array.from({ length: n }, () => 1);
const zeros = (n: number) => Array.from({ length: n }, () => 0);
const layerOf = ({ activation, alpha }: ActSpec, n: number) => ({ W: I(n), b: zeros(n), activation, ...(alpha === undefined ? {} : { alpha }) });
/** h(v) and h′(v) of the reference, for an elementwise activation */
const h = (spec: ActSpec, v: number[]) => ref.networkFunction([layerOf(spec, v.length)], v);
const hp = (spec: ActSpec, v: number[]) => ref.hiddenDelta(v, I(v.length), ones(v.length), spec.activation, spec.alpha);
const WT = (W: number[][], d: number[]) => W[0].map((_, j) => W.reduce((s, row, k) => s + row[j] * d[k], 0));
const Wd = (W: number[][], d: number[]) => W.map((row) => row.reduce((s, w, k) => s + w * d[k], 0));
const canonical = (h: Head) => (h.activation === 'linear' && h.loss === 'sse') || h.loss === 'bce' || h.loss === 'ce';
const transposeNet = (net: Network): Network => net.map((l) => ({ ...l, W: transposed(l.W) }));
const square = (net: Network) => net.every((l) => l.W.length === l.W[0].length);

type OutputMistake = 'atActivation' | 'fPrimeMissing' | 'erratum2';
/** δ^(L) with a wrong convention; canonical pairs have no h′ to misplace and keep δ = y − t. */
function wrongOutputDelta(a: number[], t: number[], head: Head, mistake: OutputMistake): number[] {
  if (canonical(head)) return ref.outputDelta(a, t, head.activation, head.loss, head.alpha);
  const c = head.loss === 'sse' ? 1 : 2;
  const y = h(head, a);
  if (mistake === 'fPrimeMissing') return y.map((yk, k) => c * (yk - t[k]));
  const atZ = hp(head, y);
  return y.map((yk, k) => atZ[k] * c * (mistake === 'erratum2' ? t[k] - yk : yk - t[k]));
}

type Mistake = OutputMistake | 'WnotWT' | 'gradientTransposed';
/** The per-example backward pass with one mistake (erratum 2 also takes f′ at z in the hidden layers, as the deck does). */
function wrongBackward(net: Network, x: number[], t: number[], loss: Head['loss'], mistake: Mistake): Gradients {
  const { cache } = ref.forward(net, x);
  const L = net.length;
  const top = net[L - 1];
  const head: Head = { activation: top.activation, alpha: top.alpha, loss };
  let delta = mistake === 'WnotWT' || mistake === 'gradientTransposed' ? ref.outputDelta(cache.a[L - 1], t, top.activation, loss, top.alpha) : wrongOutputDelta(cache.a[L - 1], t, head, mistake);
  const grads: Gradients = new Array(L);
  for (let l = L - 1; l >= 0; l--) {
    const z = cache.z[l];
    grads[l] = { dW: mistake === 'gradientTransposed' ? z.map((zi) => delta.map((dj) => zi * dj)) : delta.map((dj) => z.map((zi) => dj * zi)), db: delta.slice() };
    if (l > 0) {
      const spec = net[l - 1];
      const back = mistake === 'WnotWT' ? Wd(net[l].W, delta) : WT(net[l].W, delta);
      const g = mistake === 'atActivation' || mistake === 'erratum2' ? hp(spec, cache.z[l]) : mistake === 'fPrimeMissing' ? ones(back.length) : hp(spec, cache.a[l - 1]);
      delta = g.map((gj, j) => gj * back[j]);
    }
  }
  return grads;
}
const meanGrads = (all: Gradients[]): Gradients =>
  all[0].map((_, l) => ({
    dW: all[0][l].dW.map((row, j) => row.map((__, i) => all.reduce((s, g) => s + g[l].dW[j][i], 0) / all.length)),
    db: all[0][l].db.map((__, j) => all.reduce((s, g) => s + g[l].db[j], 0) / all.length),
  }));
const wrongBatchBackward = (p: Problem, mistake: Mistake) => meanGrads(p.X.map((x, n) => wrongBackward(p.net as Network, x, p.T[n], p.loss, mistake)));

// ---------------------------------------------------------------------------------------------
// C1–C5, one example

const deltaArgs = (a: number[], t: number[], hd: Head) => (hd.alpha === undefined ? [a, t, hd.activation, hd.loss] : [a, t, hd.activation, hd.loss, hd.alpha]);
/** every head, and outputs whose alpha is not the usual default (elu α = 1, leakyRelu 0.01): the alpha passed in must be used */
const OUTPUT_HEADS: Head[] = [...HEADS, { activation: 'elu', alpha: 0.5, loss: 'l2' }, { activation: 'leakyRelu', alpha: 0.2, loss: 'sse' }];
const outputInputs = fc.constantFrom(...OUTPUT_HEADS).chain((head) =>
  fc.integer({ min: head.loss === 'ce' ? 2 : 1, max: 5 }).chain((K) =>
    fc.record({ head: fc.constant(head), a: fc.array(fc.oneof({ weight: 5, arbitrary: spread(-6, 6) }, { weight: 1, arbitrary: fc.constant(0) }), { minLength: K, maxLength: K }), t: target(head.loss, K) })));
const hiddenInputs = fc.record({ J: fc.integer({ min: 1, max: 4 }), sq: fc.boolean(), K: fc.integer({ min: 1, max: 4 }), spec: fc.constantFrom(...ALL) }).chain(({ J, sq, K, spec }) =>
  fc.record({
    spec: fc.constant(spec),
    a: fc.array(fc.oneof({ weight: 5, arbitrary: spread(-4, 4) }, { weight: 1, arbitrary: fc.constant(0) }), { minLength: J, maxLength: J }),
    W: fc.array(fc.array(value, { minLength: J, maxLength: J }), { minLength: sq ? J : K, maxLength: sq ? J : K }),
    d: fc.array(spread(-2, 2), { minLength: sq ? J : K, maxLength: sq ? J : K }),
  }));

const perExample: Check[] = [
  differential({
    id: 'C1.networkFunction.reference', exercise: 'networkFunction', catalogue: 'C1', title: 'networkFunction matches the reference (any depth, every activation)', hint: 'C1: a = Wz + b, z = h(a), layer after layer',
    arbitrary: examples, args: (p) => [p.net, p.X[0]], expected: (p) => ref.networkFunction(p.net as Network, p.X[0]),
    variants: (p) => (square(p.net as Network) ? { [MISTAKE.forwardTransposed]: ref.networkFunction(transposeNet(p.net as Network), p.X[0]) } : {}),
  }),
  differential({
    id: 'C2.forward.reference', exercise: 'forward', catalogue: 'C2', title: 'forward (out and cache) matches the reference', hint: 'C2: cache.a the pre-activations, cache.z the activations with z[0] = x',
    arbitrary: examples, args: (p) => [p.net, p.X[0]], expected: (p) => ref.forward(p.net as Network, p.X[0]),
    variants: (p) => (square(p.net as Network) ? { [MISTAKE.forwardTransposed]: ref.forward(transposeNet(p.net as Network), p.X[0]) } : {}),
  }),
  differential({
    id: 'C3.outputDelta.reference', exercise: 'outputDelta', catalogue: 'C3', title: 'outputDelta matches the reference for every (activation, loss) pair', hint: 'C3: y − t for the canonical pairs, h′(a) ⊙ ∂E/∂y otherwise (h′ at a)',
    arbitrary: outputInputs, args: ({ a, t, head }) => deltaArgs(a, t, head), expected: ({ a, t, head }) => ref.outputDelta(a, t, head.activation, head.loss, head.alpha),
    variants: ({ a, t, head }) => {
      const expected = ref.outputDelta(a, t, head.activation, head.loss, head.alpha);
      return {
        [MISTAKE.sign]: negated(expected),
        [MISTAKE.erratum2]: wrongOutputDelta(a, t, head, 'erratum2'),
        [MISTAKE.atActivation]: wrongOutputDelta(a, t, head, 'atActivation'),
        [MISTAKE.fPrimeMissing]: wrongOutputDelta(a, t, head, 'fPrimeMissing'),
        ...(head.loss === 'bce' ? { [MISTAKE.fPrimeExtra]: hp(head, a).map((g, k) => g * expected[k]) } : {}),
        [head.loss === 'l2' ? MISTAKE.factorTwoDropped : MISTAKE.factorTwoExtra]: scaled(expected, head.loss === 'l2' ? 0.5 : 2),
      };
    },
  }),
  differential({
    id: 'C4.hiddenDelta.reference', exercise: 'hiddenDelta', catalogue: 'C4', title: 'hiddenDelta matches the reference (square and rectangular W, every activation, kinks included)', hint: 'C4: h′(a) ⊙ Wnextᵀ δ_next',
    arbitrary: hiddenInputs, args: ({ spec, a, W, d }) => (spec.alpha === undefined ? [a, W, d, spec.activation] : [a, W, d, spec.activation, spec.alpha]),
    expected: ({ spec, a, W, d }) => ref.hiddenDelta(a, W, d, spec.activation, spec.alpha),
    variants: ({ spec, a, W, d }) => {
      const back = WT(W, d);
      const v: Variants = { [MISTAKE.sign]: negated(ref.hiddenDelta(a, W, d, spec.activation, spec.alpha)), [MISTAKE.atActivation]: hp(spec, h(spec, a)).map((g, j) => g * back[j]), [MISTAKE.fPrimeMissing]: back };
      if (W.length === W[0].length) v[MISTAKE.WnotWT] = hp(spec, a).map((g, j) => g * Wd(W, d)[j]);
      return v;
    },
  }),
  differential({
    id: 'C5.layerGradients.reference', exercise: 'layerGradients', catalogue: 'C5', title: 'layerGradients matches the reference', hint: 'C5: dW = δ zᵀ [out, in], db = δ',
    arbitrary: fc.record({ J: fc.integer({ min: 1, max: 5 }), sq: fc.boolean(), I: fc.integer({ min: 1, max: 5 }) }).chain(({ J, sq, I: n }) =>
      fc.record({ delta: fc.array(spread(-3, 3), { minLength: J, maxLength: J }), z: fc.array(value, { minLength: sq ? J : n, maxLength: sq ? J : n }) })),
    args: ({ delta, z }) => [delta, z], expected: ({ delta, z }) => ref.layerGradients(delta, z),
    variants: ({ delta, z }) => {
      const g = ref.layerGradients(delta, z);
      return { [MISTAKE.gradientTransposed]: { dW: transposed(g.dW), db: g.db }, [MISTAKE.sign]: negated(g) };
    },
  }),
  differential({
    id: 'C5.backward.reference', exercise: 'backward', catalogue: 'C5', title: 'backward matches the reference on one example (any depth, every activation and pair)', hint: 'C3–C5: δ^(L), then δ^(l) = h′(a^(l)) ⊙ W^(l+1)ᵀδ^(l+1), dW = δ zᵀ',
    arbitrary: examples, args: (p) => [p.net, ref.forward(p.net as Network, p.X[0]).cache, p.T[0], p.loss],
    expected: (p) => ref.backward(p.net as Network, ref.forward(p.net as Network, p.X[0]).cache, p.T[0], p.loss),
    variants: (p) => {
      const [net, x, t] = [p.net as Network, p.X[0], p.T[0]];
      return {
        [MISTAKE.sign]: negated(ref.backward(net, ref.forward(net, x).cache, t, p.loss)),
        [MISTAKE.atActivation]: wrongBackward(net, x, t, p.loss, 'atActivation'),
        [MISTAKE.erratum2]: wrongBackward(net, x, t, p.loss, 'erratum2'),
        [MISTAKE.fPrimeMissing]: wrongBackward(net, x, t, p.loss, 'fPrimeMissing'),
        ...(square(net) ? { [MISTAKE.WnotWT]: wrongBackward(net, x, t, p.loss, 'WnotWT'), [MISTAKE.gradientTransposed]: wrongBackward(net, x, t, p.loss, 'gradientTransposed') } : {}),
      };
    },
  }),
];

// ---------------------------------------------------------------------------------------------
// C6, rows = examples

const batchHidden = hiddenInputs.chain((hIn) => fc.tuple(fc.constant(hIn), fc.integer({ min: 2, max: 4 }))).chain(([{ spec, a, W, d }, m]) =>
  fc.record({
    spec: fc.constant(spec), W: fc.constant(W),
    A: fc.array(fc.array(fc.oneof(spread(-4, 4), fc.constant(0)), { minLength: a.length, maxLength: a.length }), { minLength: m, maxLength: m }),
    D: fc.array(fc.array(spread(-2, 2), { minLength: d.length, maxLength: d.length }), { minLength: m, maxLength: m }),
  }));
const batchOutput = outputInputs.chain((o) => fc.tuple(fc.constant(o.head), fc.integer({ min: 2, max: 4 }))).chain(([head, m]) =>
  fc.integer({ min: head.loss === 'ce' ? 2 : 1, max: 4 }).chain((K) =>
    fc.record({ head: fc.constant(head), A: fc.array(fc.array(spread(-6, 6), { minLength: K, maxLength: K }), { minLength: m, maxLength: m }), T: fc.array(target(head.loss, K), { minLength: m, maxLength: m }) })));
const rowsOf = (M: number[][], f: (row: number[], n: number) => number[]) => M.map(f);

const batch: Check[] = [
  differential({
    id: 'C6.batchForward.reference', exercise: 'batchForward', catalogue: 'C6', title: 'batchForward matches the reference (rows = examples)', hint: 'C6: A = Z Wᵀ + b row by row, Z = h(A)',
    arbitrary: batches, args: (p) => [p.net, p.X], expected: (p) => ref.batchForward(p.net as Network, p.X),
    variants: (p) => (square(p.net as Network) ? { [MISTAKE.forwardTransposed]: ref.batchForward(transposeNet(p.net as Network), p.X) } : {}),
  }),
  differential({
    id: 'C6.batchCost.reference', exercise: 'batchCost', catalogue: 'C6', title: 'batchCost matches the reference', hint: 'C6: J = (1/m) Σ_n E_n',
    arbitrary: batches, args: (p) => [p.net, p.X, p.T, p.loss], expected: (p) => ref.batchCost(p.net as Network, p.X, p.T, p.loss),
    variants: (p) => {
      const J = ref.batchCost(p.net as Network, p.X, p.T, p.loss);
      return { [MISTAKE.oneOverM]: J * p.X.length, ...(p.loss === 'sse' ? { [MISTAKE.halfMissing]: 2 * J } : {}) };
    },
  }),
  differential({
    id: 'C6.batchOutputDelta.reference', exercise: 'batchOutputDelta', catalogue: 'C6', title: 'batchOutputDelta matches the reference for every pair', hint: 'C6: (1/m)(per-example δ); sse: (1/m)(Y − T) ⊙ f′(A)',
    arbitrary: batchOutput, args: ({ head, A, T }) => (head.alpha === undefined ? [A, T, head.activation, head.loss] : [A, T, head.activation, head.loss, head.alpha]),
    expected: ({ head, A, T }) => ref.batchOutputDelta(A, T, head.activation, head.loss, head.alpha),
    variants: ({ head, A, T }) => {
      const m = A.length;
      const expected = ref.batchOutputDelta(A, T, head.activation, head.loss, head.alpha);
      const wrong = (k: OutputMistake) => rowsOf(A, (a, n) => wrongOutputDelta(a, T[n], head, k).map((v) => v / m));
      return { [MISTAKE.erratum2]: wrong('erratum2'), [MISTAKE.oneOverM]: scaled(expected, m), [MISTAKE.sign]: negated(expected), [MISTAKE.atActivation]: wrong('atActivation'), [MISTAKE.fPrimeMissing]: wrong('fPrimeMissing') };
    },
  }),
  differential({
    id: 'C6.batchHiddenDelta.reference', exercise: 'batchHiddenDelta', catalogue: 'C6', title: 'batchHiddenDelta matches the reference (square and rectangular W)', hint: 'C6: (Δ_next W_next) ⊙ f′(A), no transpose with rows = examples',
    arbitrary: batchHidden, args: ({ spec, A, W, D }) => (spec.alpha === undefined ? [A, W, D, spec.activation] : [A, W, D, spec.activation, spec.alpha]),
    expected: ({ spec, A, W, D }) => ref.batchHiddenDelta(A, W, D, spec.activation, spec.alpha),
    variants: ({ spec, A, W, D }) => {
      const v: Variants = {
        [MISTAKE.sign]: negated(ref.batchHiddenDelta(A, W, D, spec.activation, spec.alpha)),
        [MISTAKE.atActivation]: rowsOf(A, (a, n) => hp(spec, h(spec, a)).map((g, j) => g * WT(W, D[n])[j])),
      };
      if (W.length === W[0].length) v[MISTAKE.WTnotW] = rowsOf(A, (a, n) => hp(spec, a).map((g, j) => g * Wd(W, D[n])[j]));
      return v;
    },
  }),
  differential({
    id: 'C6.batchBackward.reference', exercise: 'batchBackward', catalogue: 'C6', title: 'batchBackward matches the reference (m = 2–4 examples)', hint: 'C6: dW = Δᵀ Z with the 1/m of the mean cost',
    arbitrary: batches, args: (p) => [p.net, ref.batchForward(p.net as Network, p.X).cache, p.T, p.loss],
    expected: (p) => ref.batchBackward(p.net as Network, ref.batchForward(p.net as Network, p.X).cache, p.T, p.loss),
    variants: (p) => {
      const expected = ref.batchBackward(p.net as Network, ref.batchForward(p.net as Network, p.X).cache, p.T, p.loss);
      return {
        [MISTAKE.oneOverM]: scaled(expected, p.X.length),
        [MISTAKE.sign]: negated(expected),
        [MISTAKE.erratum2]: wrongBatchBackward(p, 'erratum2'),
        [MISTAKE.atActivation]: wrongBatchBackward(p, 'atActivation'),
        [MISTAKE.fPrimeMissing]: wrongBatchBackward(p, 'fPrimeMissing'),
        ...(square(p.net as Network) ? { [MISTAKE.WTnotW]: wrongBatchBackward(p, 'WnotWT'), [MISTAKE.gradientTransposed]: wrongBatchBackward(p, 'gradientTransposed') } : {}),
      };
    },
  }),
];

// ---------------------------------------------------------------------------------------------
// C7–C9

const ebuInputs = (minTop: number) =>
  fc.record({ d: fc.integer({ min: 1, max: 4 }), L: fc.integer({ min: 1, max: 3 }), hw: fc.integer({ min: 1, max: 4 }), K: fc.integer({ min: minTop, max: 4 }) }).chain(({ d, L, hw, K }) => {
    const widths = [d, ...Array.from({ length: L - 1 }, () => hw), K];
    return fc.record({
      x: fc.array(value, { minLength: d, maxLength: d }),
      layers: fc.tuple(...widths.slice(1).map((out, l) => fc.record({ W: fc.array(fc.array(value, { minLength: widths[l], maxLength: widths[l] }), { minLength: out, maxLength: out }), b: fc.array(value, { minLength: out, maxLength: out }) }))),
      pick: fc.nat(),
      z: fc.array(spread(0, 1), { minLength: K, maxLength: K }),
    });
  });
const negEbu = (r: EbuResult): EbuResult => ({ ...r, dp: negated(r.dp), ds: negated(r.ds), dW: negated(r.dW), db: negated(r.db), dx: negated(r.dx) });
/** The deck's L2 net with σ′ evaluated at p = σ(s) instead of s (a local re-run of its backward). */
function ebuAtActivation(x: number[], layers: EbuLayer[], z: number[]): EbuResult {
  const r = ref.ebuL2Net(x, layers, z);
  const sp = (p: number) => { const q = 1 / (1 + Math.exp(-p)); return q * (1 - q); };
  const L = layers.length;
  const dp: number[][] = new Array(L);
  const ds: number[][] = new Array(L);
  dp[L - 1] = r.dp[L - 1];
  for (let l = L - 1; l >= 0; l--) {
    if (l < L - 1) dp[l] = WT(layers[l + 1].W, ds[l + 1]);
    ds[l] = r.p[l].map((p, j) => sp(p) * dp[l][j]);
  }
  const input = (l: number) => (l === 0 ? x : r.p[l - 1]);
  return { ...r, dp, ds, dW: ds.map((d, l) => d.map((dj) => input(l).map((v) => dj * v))), db: ds, dx: WT(layers[0].W, ds[0]) };
}
type NumpyIn = { x: number[][]; y: number[][]; w1: number[][]; w2: number[][]; lr: number };
const numpyInputs = fc.record({ N: fc.integer({ min: 1, max: 5 }), D: fc.integer({ min: 1, max: 4 }), Hd: fc.integer({ min: 1, max: 4 }), O: fc.integer({ min: 1, max: 3 }) }).chain(({ N, D, Hd, O }) => {
  const m = (r: number, c: number) => fc.array(fc.array(spread(-2, 2), { minLength: c, maxLength: c }), { minLength: r, maxLength: r });
  return fc.record({ x: m(N, D), y: m(N, O), w1: m(D, Hd), w2: m(Hd, O), lr: fc.constantFrom(1e-4, 1e-3, 0.1) });
});

const rest: Check[] = [
  differential({
    id: 'C7.ebuL2Net.reference', exercise: 'ebuL2Net', catalogue: 'C7', title: 'ebuL2Net matches the reference (1–3 sigmoid layers)', hint: 'C7: ∂L/∂p = −2(z − p), ∂L/∂s = σ(s)(1 − σ(s)) ⊙ ∂L/∂p',
    arbitrary: ebuInputs(1), args: ({ x, layers, z }) => [x, layers, z], expected: ({ x, layers, z }) => ref.ebuL2Net(x, layers, z),
    variants: ({ x, layers, z }) => ({ [MISTAKE.sign]: negEbu(ref.ebuL2Net(x, layers, z)), [MISTAKE.atActivation]: ebuAtActivation(x, layers, z) }),
  }),
  differential({
    id: 'C7.ebuSoftmaxNet.reference', exercise: 'ebuSoftmaxNet', catalogue: 'C7', title: 'ebuSoftmaxNet matches the reference (sigmoid hidden layers, softmax on top)', hint: 'C7: L = −log p_y, ∂L/∂s = p − e_y at the top',
    arbitrary: ebuInputs(2), args: ({ x, layers, pick }) => [x, layers, pick % layers[layers.length - 1].W.length],
    expected: ({ x, layers, pick }) => ref.ebuSoftmaxNet(x, layers, pick % layers[layers.length - 1].W.length),
    variants: ({ x, layers, pick }) => ({ [MISTAKE.sign]: negEbu(ref.ebuSoftmaxNet(x, layers, pick % layers[layers.length - 1].W.length)) }),
  }),
  differential({
    id: 'C8.numpyTrainingStep.reference', exercise: 'numpyTrainingStep', catalogue: 'C8', title: "numpyTrainingStep matches the reference (the deck's loop, one iteration)", hint: 'C8: grad_y = 2(ŷ − y), grad_w1 = xᵀ(grad_h ⊙ h ⊙ (1 − h))',
    arbitrary: numpyInputs, args: (p: NumpyIn) => [p.x, p.y, p.w1, p.w2, p.lr], expected: (p: NumpyIn) => ref.numpyTrainingStep(p.x, p.y, p.w1, p.w2, p.lr),
    variants: (p: NumpyIn) => {
      const r = ref.numpyTrainingStep(p.x, p.y, p.w1, p.w2, p.lr);
      const up = ref.numpyTrainingStep(p.x, p.y, p.w1, p.w2, -p.lr);
      return {
        [MISTAKE.sign]: { ...up, gradW1: negated(r.gradW1), gradW2: negated(r.gradW2) },
        ...(r.gradW1.length === r.gradW1[0].length ? { [MISTAKE.gradientTransposed]: { ...r, gradW1: transposed(r.gradW1) } } : {}),
      };
    },
  }),
  differential({
    id: 'C9.errorFunction.reference', exercise: 'errorFunction', catalogue: 'C9', title: 'errorFunction matches the reference', hint: 'C9: E = Σ_n E_n, a sum',
    arbitrary: batches, args: (p) => [p.net, p.X, p.T, p.loss], expected: (p) => ref.errorFunction(p.net as Network, p.X, p.T, p.loss),
    variants: (p) => ({ [MISTAKE.meanNotSum]: ref.batchCost(p.net as Network, p.X, p.T, p.loss) }),
  }),
  differential({
    id: 'C9.gradientDescentStep.reference', exercise: 'gradientDescentStep', catalogue: 'C9', title: 'gradientDescentStep matches the reference (η from 0 to 1)', hint: 'C9: W ← W − η dW',
    arbitrary: batches.chain((p) => fc.tuple(fc.constant(p), spread(0, 1))),
    args: ([p, eta]) => [p.net, ref.batchBackward(p.net as Network, ref.batchForward(p.net as Network, p.X).cache, p.T, p.loss), eta],
    expected: ([p, eta]) => ref.gradientDescentStep(p.net as Network, ref.batchBackward(p.net as Network, ref.batchForward(p.net as Network, p.X).cache, p.T, p.loss), eta),
    variants: ([p, eta]) => ({ [MISTAKE.ascent]: ref.gradientDescentStep(p.net as Network, ref.batchBackward(p.net as Network, ref.batchForward(p.net as Network, p.X).cache, p.T, p.loss), -eta) }),
  }),
];

export const hidden: Check[] = [...perExample, ...batch, ...rest];
