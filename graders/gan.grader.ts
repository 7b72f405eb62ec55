/**
 * Family P (GAN): public checks. The notes' worked value (p_g = p_data ⇒ D* = ½, C(G) = −log 4)
 * and hand-derived examples (fixtures/gan.fixtures.ts), then relations that need no reference:
 * every gradient against the central difference of its objective as the stub defines it (the
 * toy's σ(w(az + b) + c), the small networks' layers), the ratio (1 − D)/D of the two generator
 * gradients (P3), D* beating any other D for fixed G, C(G) ≥ −log 4 and = V(G, D*), KL ≥ 0,
 * JSD symmetric in [0, log 2], Algorithm 1 as the composition of the student's own P2 steps,
 * and the identities of mutual information.
 */
import fc from 'fast-check';
import { algorithmOneStep, disjoint, halves, informationExamples, theoremOne, toyExample, valueExamples } from '../fixtures/gan.fixtures.ts';
import { direction, signed, vectorOf } from './engine/arbitraries.ts';
import { callText, example, expectClose, expectThat, FLOAT64, NUMERIC, property } from './engine/checks.ts';
import { negated, scaled, type Variants } from './engine/diagnose.ts';
import { directionalDerivative, numericalGradient } from './engine/numeric.ts';
import { isNumber, isObject, isVector } from './engine/shapes.ts';
import type { Check, FamilyGrader, StudentModule } from './engine/types.ts';

type Vec = number[];
type Mat = number[][];
type S = StudentModule;
type Toy = { a: number; b: number; w: number; c: number };
type Act = 'linear' | 'sigmoid' | 'tanh' | 'relu';
type Net = { W: Mat; b: Vec; activation: Act }[];
type Grads = { dW: Mat; db: Vec }[];
type Loss = 'saturating' | 'non-saturating';
type Iteration = { discriminator: { x: Vec; z: Vec }[]; generator: Vec };

// ---------------------------------------------------------------------------------------------
// mistakes the reports name (the hidden checks use the same labels)

export const MISTAKES = {
  logDFake: 'log D(G(z)) where log(1 − D(G(z))) belongs (the generated samples enter through 1 − D)',
  noMean: 'the minibatch sum not divided by m (the estimate is a mean, (1/m) Σ)',
  descent: 'the negative of the gradient returned (the discriminator ASCENDS its objective: return ∇, not −∇)',
  nonSatSign: 'the non-saturating loss with the wrong sign: +log D(G(z)) instead of −log D(G(z))',
  swappedLosses: "the generator's two losses swapped ('saturating' computed as −log D, 'non-saturating' as log(1 − D))",
  logOneMinus: '−log(1 − D(G(z))) where −log D(G(z)) belongs',
  pgNumerator: 'D* with p_g in the numerator: p_g/(p_data + p_g) instead of p_data/(p_data + p_g)',
  jsdNoHalf: 'JSD without the ½: KL(p‖M) + KL(q‖M) instead of ½KL(p‖M) + ½KL(q‖M)',
  klSwapped: 'KL with its arguments swapped: KL(q‖p) instead of KL(p‖q)',
  log2: 'log base 2 (bits) where the notes use the natural log (−log 4 = −1.386…)',
  criterionOneJsd: 'C(G) = −log 4 + JSD instead of −log 4 + 2·JSD (KL(p_data‖M) + KL(p_g‖M) = 2·JSD)',
  generatorAscends: 'the generator ASCENDS (a, b) ← (a, b) + η∇ instead of descending',
  discriminatorDescends: 'the discriminator DESCENDS (w, c) ← (w, c) − η∇ instead of ascending',
  oneStep: 'one discriminator step per iteration instead of the k minibatches given',
  conditionalIsJoint: 'H(X|Y) computed as the joint entropy H(X, Y) (it is H(X, Y) − H(Y))',
  plusLambda: 'V + λI instead of V − λI',
} as const;

// ---------------------------------------------------------------------------------------------
// the definitions of the stub, written out (the objectives whose gradients the students return)

const sum = (v: Vec) => v.reduce((a, b) => a + b, 0);
const mean = (v: Vec) => sum(v) / v.length;
const sigma = (s: number) => 1 / (1 + Math.exp(-s));
/** log σ(s) and log(1 − σ(s)) = −softplus(−s), −softplus(s): finite where σ rounds to 0 or 1. */
const softplus = (s: number) => Math.max(s, 0) + Math.log1p(Math.exp(-Math.abs(s)));
const logSig = (s: number) => -softplus(-s);
const logOneMinusSig = (s: number) => -softplus(s);

const toyJD = (p: Toy, x: Vec, z: Vec, fake = logOneMinusSig) => mean(x.map((xi, i) => logSig(p.w * xi + p.c) + fake(p.w * (p.a * z[i] + p.b) + p.c)));
const toyJG = (p: Toy, z: Vec, loss: Loss) => mean(z.map((zi) => (loss === 'saturating' ? logOneMinusSig : (s: number) => -logSig(s))(p.w * (p.a * zi + p.b) + p.c)));

const act = (a: Act, v: number) => (a === 'linear' ? v : a === 'tanh' ? Math.tanh(v) : a === 'relu' ? Math.max(0, v) : sigma(v));
/** The network's output; for D, its last pre-activation s (D = σ(s)). */
const netOut = (net: Net, x: Vec, logit = false): Vec =>
  net.reduce((z, l, i) => l.W.map((row, j) => {
    const a = sum(row.map((w, k) => w * z[k])) + l.b[j];
    return logit && i === net.length - 1 ? a : act(l.activation, a);
  }), x);
const flatNet = (net: Net): Vec => net.flatMap((l) => [...l.W.flat(), ...l.b]);
const unflat = (net: Net, v: Vec): Net => {
  let k = 0;
  return net.map((l) => ({ ...l, W: l.W.map((row) => row.map(() => v[k++])), b: l.b.map(() => v[k++]) }));
};
const flatGrads = (g: Grads): Vec => g.flatMap((l) => [...l.dW.flat(), ...l.db]);
const mlpJD = (D: Net, G: Net, X: Mat, Z: Mat, fake = logOneMinusSig) => mean(X.map((x, i) => logSig(netOut(D, x, true)[0]) + fake(netOut(D, netOut(G, Z[i]), true)[0])));
const mlpJG = (D: Net, G: Net, Z: Mat, loss: Loss) => mean(Z.map((z) => {
  const s = netOut(D, netOut(G, z), true)[0];
  return loss === 'saturating' ? logOneMinusSig(s) : -logSig(s);
}));

/** p log(p/q) with 0·log(0/q) = 0, +∞ for q = 0 < p. */
const klTerm = (p: number, q: number) => (p === 0 ? 0 : q === 0 ? Infinity : p * Math.log(p / q));
const kl = (p: Vec, q: Vec) => sum(p.map((v, k) => klTerm(v, q[k])));
const jsd = (p: Vec, q: Vec) => {
  const M = p.map((v, k) => (v + q[k]) / 2);
  return 0.5 * kl(p, M) + 0.5 * kl(q, M);
};
const dStar = (p: Vec, q: Vec) => p.map((v, k) => (v + q[k] === 0 ? 0.5 : v / (v + q[k])));
/** V(G, D) = Σ p_data log D + p_g log(1 − D) on a discrete space (0·log 0 = 0). */
const discreteValue = (p: Vec, q: Vec, D: Vec) => sum(p.map((v, k) => (v === 0 ? 0 : v * Math.log(D[k])) + (q[k] === 0 ? 0 : q[k] * Math.log(1 - D[k]))));
const entropy = (p: Vec) => -sum(p.map((v) => (v === 0 ? 0 : v * Math.log(v))));

// ---------------------------------------------------------------------------------------------
// inputs: the engine's generators, magnitudes away from 0 where a factor must show

const prob = fc.integer({ min: 5, max: 95 }).map((k) => k / 100);
const probs = (m: number) => vectorOf(m, prob);
const toyParams = fc.record({ a: signed(0.25, 2), b: signed(0.25, 2), w: signed(0.25, 2), c: signed(0.1, 2) });
const samples = (m: number) => vectorOf(m, signed(0.1, 2));
const toyCase = fc.integer({ min: 2, max: 6 }).chain((m) => fc.record({ params: toyParams, x: samples(m), z: samples(m) }));
/** A distribution over K outcomes from weights in [0.05, 1], some zeroed when `zeros` (at least one kept). */
const distribution = (K: number, zeros = false) =>
  fc.array(fc.tuple(fc.integer({ min: 1, max: 20 }), zeros ? fc.integer({ min: 0, max: 3 }) : fc.constant(1)), { minLength: K, maxLength: K })
    .map((ws) => {
      const v = ws.map(([w, keep], k) => (keep === 0 && k > 0 ? 0 : w));
      const t = sum(v);
      return v.map((x) => x / t);
    });
const distPair = (zeros = false, minK = 2) => fc.integer({ min: minK, max: 6 }).chain((K) => fc.tuple(distribution(K, zeros), distribution(K, zeros)));
const layerOf = (out: number, inp: number, activation: Act) => fc.record({ W: fc.array(vectorOf(inp, signed(0.1, 1.5)), { minLength: out, maxLength: out }), b: vectorOf(out, signed(0.1, 1)), activation: fc.constant(activation) });
/** G: n → h (tanh) → d (linear); D: d → h (tanh) → 1 (sigmoid): smooth, so central differences are accurate. */
const mlpCase = fc.record({ n: fc.integer({ min: 1, max: 3 }), d: fc.integer({ min: 1, max: 3 }), h: fc.integer({ min: 1, max: 3 }), m: fc.integer({ min: 2, max: 4 }) }).chain(({ n, d, h, m }) =>
  fc.record({
    G: fc.tuple(layerOf(h, n, 'tanh'), layerOf(d, h, 'linear')) as fc.Arbitrary<Net>,
    D: fc.tuple(layerOf(h, d, 'tanh'), layerOf(1, h, 'sigmoid')) as fc.Arbitrary<Net>,
    X: fc.array(samples(d), { minLength: m, maxLength: m }),
    Z: fc.array(samples(n), { minLength: m, maxLength: m }),
  }),
);

// ---------------------------------------------------------------------------------------------
// calling the student's functions with shape checks

async function num(s: S, name: string, args: unknown[], finite = true): Promise<number> {
  const r = await s.call(name, args);
  expectThat(typeof r === 'number' && (!finite || Number.isFinite(r)), `${callText(name, args)} must return a ${finite ? 'finite ' : ''}number`, r);
  return r as number;
}
async function pair<K extends string>(s: S, name: string, args: unknown[], keys: [K, K]): Promise<Record<K, number>> {
  const r = await s.call(name, args);
  expectThat(isObject(r) && keys.every((k) => isNumber(r[k])), `${callText(name, args)} must return { ${keys.join(', ')} } of finite numbers`, r);
  return r as Record<K, number>;
}
async function grads(s: S, name: string, args: unknown[], net: Net): Promise<Grads> {
  const r = await s.call(name, args);
  const ok = Array.isArray(r) && r.length === net.length && net.every((l, i) => isObject(r[i]) && Array.isArray(r[i].dW) && r[i].dW.length === l.W.length && (r[i].dW as unknown[]).every((row) => isVector(row, l.W[0].length)) && isVector(r[i].db, l.b.length));
  expectThat(ok, `${callText(name, args)} must return one { dW, db } per layer with the shapes of W and b`, r);
  return r as Grads;
}

// ---------------------------------------------------------------------------------------------
// P1 — minibatch value

const valueVariants = (r: Vec, f: Vec): Variants => ({
  [MISTAKES.logDFake]: mean(r.map((v, i) => Math.log(v) + Math.log(f[i]))),
  [MISTAKES.noMean]: sum(r.map((v, i) => Math.log(v) + Math.log(1 - f[i]))),
});
const two = valueExamples[1].input;

const valueChecks: Check[] = [
  example({
    id: 'P1.minibatchValue.undecided', exercise: 'minibatchValue', catalogue: 'P1',
    title: 'D = ½ on every sample: V = log ½ + log ½ = −log 4 (the value of Theorem 1)',
    hint: 'P1: (1/m) Σ [log D(x) + log(1 − D(G(z)))], natural log',
    args: [valueExamples[0].input.dReal, valueExamples[0].input.dFake], expected: valueExamples[0].expected,
    variants: { [MISTAKES.noMean]: 3 * valueExamples[0].expected, [MISTAKES.log2]: -2 },
  }),
  example({
    id: 'P1.minibatchValue.example', exercise: 'minibatchValue', catalogue: 'P1',
    title: 'D(x) = [¾, ½], D(G(z)) = [¼, ½]: ½[(log ¾ + log ¾) + (log ½ + log ½)] = log(3/8)',
    hint: 'P1: the generated samples enter through log(1 − D(G(z))); the sum is divided by m',
    args: [two.dReal, two.dFake], expected: valueExamples[1].expected, variants: valueVariants(two.dReal, two.dFake),
  }),
  property({
    id: 'P1.minibatchValue.mean', exercise: 'minibatchValue', catalogue: 'P1', numRuns: 50,
    title: 'on random outputs of D: the mean over the m pairs of log D(x) + log(1 − D(G(z)))',
    hint: 'P1: (1/m) Σ_i [log D(x^(i)) + log(1 − D(G(z^(i))))]',
    arbitrary: fc.integer({ min: 2, max: 8 }).chain((m) => fc.tuple(probs(m), probs(m))),
    verify: async ([r, f], s) => {
      const v = await num(s, 'minibatchValue', [r, f]);
      expectClose(v, mean(r.map((d, i) => Math.log(d) + Math.log(1 - f[i]))), FLOAT64, callText('minibatchValue', [r, f]), valueVariants(r, f));
    },
  }),
];

// ---------------------------------------------------------------------------------------------
// P2 — toy gradients

const toyD = toyExample.input;
const gradNumeric = (f: (v: Vec) => number, at: Vec) => numericalGradient(f, at);

const toyChecks: Check[] = [
  example({
    id: 'P2.toyDiscriminatorGradient.example', exercise: 'toyDiscriminatorGradient', catalogue: 'P2',
    title: 'G(z) = 2z + 1, D(x) = σ(x), x = ln 3 (D = ¾), G(z) = −ln 3 (D = ¼): dw = ¼ ln 3 + ¼ ln 3 = ½ ln 3, dc = ¼ − ¼ = 0',
    hint: 'P2: ∂/∂s log σ(s) = 1 − σ(s) and ∂/∂s log(1 − σ(s)) = −σ(s), s = w·x + c; average over the m samples',
    args: [toyD.params, toyD.x, toyD.z], expected: toyExample.expected.discriminator,
    variants: { [MISTAKES.descent]: negated(toyExample.expected.discriminator) },
  }),
  property({
    id: 'P2.toyDiscriminatorGradient.numeric', exercise: 'toyDiscriminatorGradient', catalogue: 'P2', numRuns: 40,
    title: 'on random toys and minibatches: { dw, dc } equals the central difference of (1/m) Σ [log σ(w x + c) + log(1 − σ(w G(z) + c))] in w and c',
    hint: 'P2: the gradient of the objective the discriminator ascends; with G(z) = a z + b fixed',
    arbitrary: toyCase,
    verify: async (t, s) => {
      const r = await pair(s, 'toyDiscriminatorGradient', [t.params, t.x, t.z], ['dw', 'dc']);
      const f = (fake = logOneMinusSig) => gradNumeric(([w, c]) => toyJD({ ...t.params, w, c }, t.x, t.z, fake), [t.params.w, t.params.c]);
      const g = await f();
      expectClose([r.dw, r.dc], g, NUMERIC, 'toyDiscriminatorGradient vs central differences', {
        [MISTAKES.descent]: negated(g),
        [MISTAKES.noMean]: scaled(g, t.x.length),
        [MISTAKES.logDFake]: await f(logSig),
      });
    },
  }),
  example({
    id: 'P2.toyGeneratorGradient.example', exercise: 'toyGeneratorGradient', catalogue: 'P2',
    title: "the same toy, z = −(ln 3 + 1)/2 (D(G(z)) = ¼), loss 'saturating': ∂/∂s log(1 − σ(s)) = −¼, so da = −¼ z, db = −¼",
    hint: 'P2: chain rule s = w(a z + b) + c: ∂s/∂a = w z, ∂s/∂b = w',
    args: [toyD.params, toyD.z, 'saturating'], expected: toyExample.expected.saturating,
    variants: { [MISTAKES.swappedLosses]: toyExample.expected.nonSaturating, [MISTAKES.descent]: negated(toyExample.expected.saturating) },
  }),
  example({
    id: 'P3.toyGeneratorGradient.non-saturating', exercise: 'toyGeneratorGradient', catalogue: 'P3',
    title: "the same toy and z, loss 'non-saturating': ∂/∂s (−log σ(s)) = −(1 − ¼) = −¾, so da = −¾ z, db = −¾ (three times the saturating gradient)",
    hint: 'P3: the gradient of −log D(G(z)), −(1 − D)·w·(z, 1) per sample',
    args: [toyD.params, toyD.z, 'non-saturating'], expected: toyExample.expected.nonSaturating,
    variants: { [MISTAKES.nonSatSign]: negated(toyExample.expected.nonSaturating), [MISTAKES.swappedLosses]: toyExample.expected.saturating },
  }),
  property({
    id: 'P2.toyGeneratorGradient.numeric', exercise: 'toyGeneratorGradient', catalogue: 'P2', numRuns: 40,
    title: 'on random toys, both losses: { da, db } equals the central difference in a and b of the loss the generator descends',
    hint: "P2, P3: 'saturating' (1/m) Σ log(1 − σ(s)), 'non-saturating' (1/m) Σ −log σ(s), s = w(a z + b) + c",
    arbitrary: fc.tuple(toyCase, fc.constantFrom<Loss>('saturating', 'non-saturating')),
    verify: async ([t, loss], s) => {
      const r = await pair(s, 'toyGeneratorGradient', [t.params, t.z, loss], ['da', 'db']);
      const g = await gradNumeric(([a, b]) => toyJG({ ...t.params, a, b }, t.z, loss), [t.params.a, t.params.b]);
      const other = await gradNumeric(([a, b]) => toyJG({ ...t.params, a, b }, t.z, loss === 'saturating' ? 'non-saturating' : 'saturating'), [t.params.a, t.params.b]);
      expectClose([r.da, r.db], g, NUMERIC, `toyGeneratorGradient (${loss}) vs central differences`, {
        [loss === 'saturating' ? MISTAKES.descent : MISTAKES.nonSatSign]: negated(g),
        [MISTAKES.noMean]: scaled(g, t.z.length),
        [MISTAKES.swappedLosses]: other,
      });
    },
  }),
  property({
    id: 'P3.toyGeneratorGradient.ratio', exercise: 'toyGeneratorGradient', catalogue: 'P3', numRuns: 40,
    title: 'on one sample: the non-saturating gradient is (1 − D)/D times the saturating one, D = D(G(z)); so when D → 0 it stays large while the other vanishes',
    hint: 'P3: ∂/∂s of log(1 − σ(s)) is −σ(s) = −D, of −log σ(s) it is −(1 − D): same sign, ratio (1 − D)/D',
    arbitrary: fc.tuple(toyParams, signed(0.1, 2)),
    verify: async ([p, z], s) => {
      const sat = await pair(s, 'toyGeneratorGradient', [p, [z], 'saturating'], ['da', 'db']);
      const non = await pair(s, 'toyGeneratorGradient', [p, [z], 'non-saturating'], ['da', 'db']);
      const D = sigma(p.w * (p.a * z + p.b) + p.c);
      expectThat(sat.db !== 0, `toyGeneratorGradient(…, 'saturating').db is 0 at D(G(z)) = ${D}: it is −D·w ≠ 0`, sat);
      expectClose(non.db / sat.db, (1 - D) / D, NUMERIC, `non-saturating db / saturating db (D(G(z)) = ${D})`, { [MISTAKES.nonSatSign]: -(1 - D) / D });
    },
  }),
];

// ---------------------------------------------------------------------------------------------
// P3 — non-saturating loss

const nsVariants = (f: Vec): Variants => ({
  [MISTAKES.nonSatSign]: mean(f.map(Math.log)),
  [MISTAKES.logOneMinus]: -mean(f.map((d) => Math.log(1 - d))),
  [MISTAKES.noMean]: -sum(f.map(Math.log)),
});

const nsChecks: Check[] = [
  example({
    id: 'P3.nonSaturatingLoss.example', exercise: 'nonSaturatingLoss', catalogue: 'P3',
    title: 'D(G(z)) = [¼, ½]: −½(log ¼ + log ½) = ½ log 8 (positive: a loss the generator minimises)',
    hint: 'P3: −(1/m) Σ log D(G(z)); log D ≤ 0, so the loss is ≥ 0',
    args: [[0.25, 0.5]], expected: 0.5 * Math.log(8), variants: nsVariants([0.25, 0.5]),
  }),
  property({
    id: 'P3.nonSaturatingLoss.mean', exercise: 'nonSaturatingLoss', catalogue: 'P3', numRuns: 50,
    title: 'on random D(G(z)): the loss is −(1/m) Σ log D(G(z)) ≥ 0',
    hint: 'P3: the non-saturating generator loss −(1/m) Σ log D(G(z^(i)))',
    arbitrary: fc.integer({ min: 2, max: 8 }).chain(probs),
    verify: async (f, s) => {
      expectClose(await num(s, 'nonSaturatingLoss', [f]), -mean(f.map(Math.log)), FLOAT64, callText('nonSaturatingLoss', [f]), nsVariants(f));
    },
  }),
];

// ---------------------------------------------------------------------------------------------
// P2 — MLP gradients

const toyNets = (p: Toy): { D: Net; G: Net } => ({ D: [{ W: [[p.w]], b: [p.c], activation: 'sigmoid' }], G: [{ W: [[p.a]], b: [p.b], activation: 'linear' }] });
const { D: D1, G: G1 } = toyNets(toyD.params);
const one = (g: { d1: number; d2: number }): Grads => [{ dW: [[g.d1]], db: [g.d2] }];

const mlpChecks: Check[] = [
  example({
    id: 'P2.mlpDiscriminatorGradient.example', exercise: 'mlpDiscriminatorGradient', catalogue: 'P2',
    title: "one-layer nets that are the toy (G: W = [[2]], b = [1], linear; D: W = [[1]], b = [0], sigmoid), X = [[ln 3]], Z = [[−(ln 3 + 1)/2]]: [{ dW: [[½ ln 3]], db: [0] }]",
    hint: 'P2: D(x) = σ(W x + b) here, so the toy\'s dw, dc are D\'s dW, db',
    args: [D1, G1, toyD.x.map((v) => [v]), toyD.z.map((v) => [v])],
    expected: one({ d1: toyExample.expected.discriminator.dw, d2: 0 }),
    variants: { [MISTAKES.descent]: one({ d1: -toyExample.expected.discriminator.dw, d2: 0 }) },
  }),
  property({
    id: 'P2.mlpDiscriminatorGradient.numeric', exercise: 'mlpDiscriminatorGradient', catalogue: 'P2', numRuns: 20,
    title: "two-layer nets (tanh hidden, sigmoid out for D; tanh then linear for G): every dW, db of D equals the central difference of (1/m) Σ [log D(x) + log(1 − D(G(z)))]",
    hint: "P2: backpropagate ∂/∂s log σ(s) = 1 − σ(s) (real) and ∂/∂s log(1 − σ(s)) = −σ(s) (generated) from D's logit s; G is fixed",
    arbitrary: mlpCase,
    verify: async (t, s) => {
      const r = flatGrads(await grads(s, 'mlpDiscriminatorGradient', [t.D, t.G, t.X, t.Z], t.D));
      const g = await gradNumeric((v) => mlpJD(unflat(t.D, v), t.G, t.X, t.Z), flatNet(t.D));
      expectClose(r, g, NUMERIC, 'mlpDiscriminatorGradient vs central differences', {
        [MISTAKES.descent]: negated(g),
        [MISTAKES.noMean]: scaled(g, t.X.length),
        [MISTAKES.logDFake]: await gradNumeric((v) => mlpJD(unflat(t.D, v), t.G, t.X, t.Z, logSig), flatNet(t.D)),
      });
    },
  }),
  example({
    id: 'P2.mlpGeneratorGradient.example', exercise: 'mlpGeneratorGradient', catalogue: 'P2',
    title: "the toy as one-layer nets, Z = [[−(ln 3 + 1)/2]], loss 'saturating': [{ dW: [[−¼ z]], db: [−¼] }]; 'non-saturating' gives three times that",
    hint: "P2, P3: ∂/∂x of D's logit is W_D (here 1), then through G's linear layer: dW = δ zᵀ, db = δ",
    verify: async (s) => {
      const Z = toyD.z.map((v) => [v]);
      const e = toyExample.expected;
      for (const [loss, g] of [['saturating', e.saturating], ['non-saturating', e.nonSaturating]] as const) {
        const r = await grads(s, 'mlpGeneratorGradient', [D1, G1, Z, loss], G1);
        expectClose(r, one({ d1: g.da, d2: g.db }), FLOAT64, callText('mlpGeneratorGradient', [D1, G1, Z, loss]), {
          [MISTAKES.swappedLosses]: one({ d1: loss === 'saturating' ? e.nonSaturating.da : e.saturating.da, d2: loss === 'saturating' ? e.nonSaturating.db : e.saturating.db }),
          [loss === 'saturating' ? MISTAKES.descent : MISTAKES.nonSatSign]: one({ d1: -g.da, d2: -g.db }),
        });
      }
    },
  }),
  property({
    id: 'P2.mlpGeneratorGradient.directional', exercise: 'mlpGeneratorGradient', catalogue: 'P2', numRuns: 20,
    title: "two-layer nets, both losses: along random directions v, vᵀ(your dW, db of G) equals the directional derivative of the generator's loss",
    hint: "P2, P3: from D's logit s, ∂/∂s is −σ(s) (saturating) or −(1 − σ(s)) (non-saturating); back through D to its input, then through G; D is fixed",
    arbitrary: fc.tuple(mlpCase, fc.constantFrom<Loss>('saturating', 'non-saturating')).chain((t) => fc.tuple(fc.constant(t), direction(flatNet(t[0].G).length))),
    verify: async ([[t, loss], v], s) => {
      const r = flatGrads(await grads(s, 'mlpGeneratorGradient', [t.D, t.G, t.Z, loss], t.G));
      const dot = (a: Vec) => sum(a.map((x, i) => x * v[i]));
      const f = (l: Loss) => (u: Vec) => mlpJG(t.D, unflat(t.G, u), t.Z, l);
      const d = await directionalDerivative(f(loss), flatNet(t.G), v);
      expectClose(dot(r), d, NUMERIC, `vᵀ∇ (${loss}) vs (L(θ + hv) − L(θ − hv))/2h`, {
        [loss === 'saturating' ? MISTAKES.descent : MISTAKES.nonSatSign]: -d,
        [MISTAKES.noMean]: t.Z.length * d,
        [MISTAKES.swappedLosses]: await directionalDerivative(f(loss === 'saturating' ? 'non-saturating' : 'saturating'), flatNet(t.G), v),
      });
    },
  }),
];

// ---------------------------------------------------------------------------------------------
// P4, P5, P6 — discrete distributions

const dStarChecks: Check[] = [
  example({
    id: 'P4.optimalDiscriminator.theorem', exercise: 'optimalDiscriminator', catalogue: 'P4',
    title: '[Jung] Theorem 1: at p_g = p_data = [0.1, 0.2, 0.3, 0.4], D* = ½ everywhere',
    hint: 'P4: D* = p_data/(p_data + p_g) = p/(2p) = ½',
    args: [theoremOne.input.pData, theoremOne.input.pG], expected: theoremOne.expected.dStar,
  }),
  example({
    id: 'P4.optimalDiscriminator.example', exercise: 'optimalDiscriminator', catalogue: 'P4',
    title: 'p_data = [½, ½], p_g = [¼, ¾]: D* = [½/¾, ½/(5/4)] = [2/3, 2/5]',
    hint: 'P4: D*(x) = p_data(x)/(p_data(x) + p_g(x)) (Proposition 1)',
    args: [halves.input.p, halves.input.q], expected: halves.expected.dStar,
    variants: { [MISTAKES.pgNumerator]: [1 / 3, 3 / 5] },
  }),
  property({
    id: 'P4.optimalDiscriminator.beats', exercise: 'optimalDiscriminator', catalogue: 'P4', numRuns: 50,
    title: 'for random p_data, p_g (some zeros) and any other D in (0, 1): V(G, D*) ≥ V(G, D), D* = p_data/(p_data + p_g), ½ where both are 0',
    hint: 'P4: y ↦ α log y + β log(1 − y) peaks at y = α/(α + β): D* maximises V for fixed G',
    arbitrary: distPair(true).chain(([p, q]) => fc.tuple(fc.constant(p), fc.constant(q), probs(p.length))),
    verify: async ([p, q, D], s) => {
      const r = await s.call('optimalDiscriminator', [p, q]);
      expectThat(isVector(r, p.length) && r.every((v) => v >= 0 && v <= 1), `${callText('optimalDiscriminator', [p, q])} must return ${p.length} numbers in [0, 1]`, r);
      const star = r as Vec;
      const vStar = discreteValue(p, q, star);
      expectThat(!(vStar < discreteValue(p, q, D) - 1e-12), `V(G, your D*) = ${vStar} is below V(G, D) = ${discreteValue(p, q, D)} for D = ${JSON.stringify(D)}: D* must maximise V`, star);
      expectClose(star, dStar(p, q), FLOAT64, callText('optimalDiscriminator', [p, q]), { [MISTAKES.pgNumerator]: dStar(q, p) });
    },
  }),
];

const criterionChecks: Check[] = [
  example({
    id: 'P5.virtualTrainingCriterion.theorem', exercise: 'virtualTrainingCriterion', catalogue: 'P5',
    title: '[Jung] Theorem 1: at p_g = p_data, C(G) = −log 4 (its minimum)',
    hint: 'P5: C(G) = −log 4 + KL(p_data‖M) + KL(p_g‖M) and both KL vanish when p_g = p_data = M; natural log',
    args: [theoremOne.input.pData, theoremOne.input.pG], expected: theoremOne.expected.C,
    variants: { [MISTAKES.log2]: -2 },
  }),
  example({
    id: 'P5.virtualTrainingCriterion.example', exercise: 'virtualTrainingCriterion', catalogue: 'P5',
    title: 'p_data = [½, ½], p_g = [¼, ¾]: −log 4 + ½ log(16/15) + ¼ log(2/3) + ¾ log(6/5)',
    hint: 'P5: C(G) = −log 4 + KL(p_data‖M) + KL(p_g‖M), M = (p_data + p_g)/2',
    args: [halves.input.p, halves.input.q], expected: halves.expected.C,
    variants: { [MISTAKES.criterionOneJsd]: -Math.log(4) + halves.expected.jsd },
  }),
  property({
    id: 'P5.virtualTrainingCriterion.bound', exercise: 'virtualTrainingCriterion', catalogue: 'P5', numRuns: 50,
    title: 'for random p_data ≠ p_g (some zeros): C(G) = V(G, D*) = −log 4 + 2·JSD, strictly above −log 4',
    hint: 'P5: C(G) = max_D V(G, D) = V(G, D*_G) ≥ −log 4, with equality iff p_g = p_data',
    arbitrary: distPair(true).filter(([p, q]) => p.some((v, k) => Math.abs(v - q[k]) > 0.05)),
    verify: async ([p, q], s) => {
      const C = await num(s, 'virtualTrainingCriterion', [p, q]);
      expectThat(C > -Math.log(4), `C(G) = ${C} for p_g ≠ p_data must exceed −log 4 = ${-Math.log(4)}`, C);
      expectClose(C, discreteValue(p, q, dStar(p, q)), FLOAT64, `${callText('virtualTrainingCriterion', [p, q])} vs V(G, D*)`, { [MISTAKES.criterionOneJsd]: -Math.log(4) + jsd(p, q) });
    },
  }),
];

const klChecks: Check[] = [
  example({
    id: 'P6.klDivergence.example', exercise: 'klDivergence', catalogue: 'P6',
    title: 'KL([½, ½] ‖ [¼, ¾]) = ½ log 2 + ½ log(2/3) = ½ log(4/3) (not KL([¼, ¾] ‖ [½, ½]) = ¾ log 3 − log 2)',
    hint: 'P6: KL(p‖q) = Σ p_k log(p_k/q_k): the weights are the FIRST argument',
    args: [halves.input.p, halves.input.q], expected: halves.expected.klPQ,
    variants: { [MISTAKES.klSwapped]: halves.expected.klQP, [MISTAKES.log2]: halves.expected.klPQ / Math.LN2 },
  }),
  example({
    id: 'P6.klDivergence.zeros', exercise: 'klDivergence', catalogue: 'P6',
    title: 'zero probabilities: KL([1, 0] ‖ [½, ½]) = log 2 (0·log 0 = 0) and KL([1, 0] ‖ [0, 1]) = +Infinity (q = 0 < p)',
    hint: 'P6: a term with p_k = 0 contributes 0 (0 * -Infinity is NaN in JavaScript: skip it); q_k = 0 < p_k makes KL = +∞',
    verify: async (s) => {
      const a = await num(s, 'klDivergence', [[1, 0], [0.5, 0.5]], false);
      expectClose(a, Math.LN2, FLOAT64, 'klDivergence([1, 0], [0.5, 0.5])', { [MISTAKES.klSwapped]: Infinity });
      const b = await num(s, 'klDivergence', [disjoint.input.pData, disjoint.input.pG], false);
      expectThat(b === Infinity, `klDivergence([1, 0], [0, 1]) must be Infinity; got ${b}`, b);
    },
  }),
  property({
    id: 'P6.klDivergence.gibbs', exercise: 'klDivergence', catalogue: 'P6', numRuns: 50,
    title: 'for random p, q with full support: KL(p‖q) = Σ p log(p/q) ≥ 0, and KL(p‖p) = 0',
    hint: "P6: Gibbs' inequality: KL ≥ 0 with equality iff p = q; natural log",
    arbitrary: distPair(false),
    verify: async ([p, q], s) => {
      const v = await num(s, 'klDivergence', [p, q]);
      expectThat(v >= 0, `KL(p‖q) = ${v} < 0`, v);
      expectClose(v, kl(p, q), FLOAT64, callText('klDivergence', [p, q]), { [MISTAKES.klSwapped]: kl(q, p), [MISTAKES.log2]: kl(p, q) / Math.LN2 });
      // p against itself: every term p log 1 = 0 exactly
      expectClose(await num(s, 'klDivergence', [p, p]), 0, { rtol: 0, atol: 1e-15 }, 'KL(p‖p)');
    },
  }),
];

const jsdChecks: Check[] = [
  example({
    id: 'P6.jsDivergence.example', exercise: 'jsDivergence', catalogue: 'P6',
    title: 'JSD([½, ½] ‖ [¼, ¾]) = ½·½ log(16/15) + ½(¼ log(2/3) + ¾ log(6/5)), M = [3/8, 5/8]',
    hint: 'P6: JSD = ½ KL(p‖M) + ½ KL(q‖M), M = (p + q)/2',
    args: [halves.input.p, halves.input.q], expected: halves.expected.jsd,
    variants: { [MISTAKES.jsdNoHalf]: 2 * halves.expected.jsd, [MISTAKES.log2]: halves.expected.jsd / Math.LN2 },
  }),
  example({
    id: 'P6.jsDivergence.bound', exercise: 'jsDivergence', catalogue: 'P6',
    title: 'disjoint supports [1, 0] and [0, 1]: JSD = log 2, its upper bound (natural log; finite although KL(p‖q) = ∞)',
    hint: 'P6: M = [½, ½] > 0 wherever p or q is, so JSD ≤ ½ log 2 + ½ log 2 = log 2',
    args: [disjoint.input.pData, disjoint.input.pG], expected: disjoint.expected.jsd,
    variants: { [MISTAKES.jsdNoHalf]: 2 * Math.LN2, [MISTAKES.log2]: 1 },
  }),
  property({
    id: 'P6.jsDivergence.symmetric', exercise: 'jsDivergence', catalogue: 'P6', numRuns: 50,
    title: 'for random p, q (some zeros): JSD(p‖q) = JSD(q‖p) = ½KL(p‖M) + ½KL(q‖M) ∈ [0, log 2]',
    hint: 'P6: symmetric by construction; bounded by log 2 (natural log)',
    arbitrary: distPair(true),
    verify: async ([p, q], s) => {
      const [a, b] = [await num(s, 'jsDivergence', [p, q]), await num(s, 'jsDivergence', [q, p])];
      expectThat(a >= 0 && a <= Math.LN2 + 1e-15, `JSD = ${a} outside [0, log 2]`, a);
      expectClose(b, a, FLOAT64, 'JSD(q‖p) vs JSD(p‖q)');
      expectClose(a, jsd(p, q), FLOAT64, callText('jsDivergence', [p, q]), { [MISTAKES.jsdNoHalf]: 2 * jsd(p, q), [MISTAKES.log2]: jsd(p, q) / Math.LN2 });
    },
  }),
];

// ---------------------------------------------------------------------------------------------
// P7 — Algorithm 1

const s1 = 1 / (1 + Math.exp(-1));
const iterationCase = fc.record({ T: fc.integer({ min: 1, max: 3 }), k: fc.integer({ min: 1, max: 3 }), m: fc.integer({ min: 1, max: 3 }) }).chain(({ T, k, m }) =>
  fc.record({
    params: toyParams,
    iterations: fc.array(fc.record({ discriminator: fc.array(fc.record({ x: samples(m), z: samples(m) }), { minLength: k, maxLength: k }), generator: samples(m) }), { minLength: T, maxLength: T }),
    eta: fc.constantFrom(0.05, 0.1, 0.5),
    loss: fc.constantFrom<Loss>('saturating', 'non-saturating'),
  }),
);

/** The trajectory composed from the student's own P2 gradients, with the steps' signs and the k minibatches as given (or not). */
async function composed(s: S, t: { params: Toy; iterations: Iteration[]; eta: number; loss: Loss }, how = { dSign: 1, gSign: -1, all: true }): Promise<Toy[]> {
  let th = { ...t.params };
  const out: Toy[] = [];
  for (const it of t.iterations) {
    for (const bt of how.all ? it.discriminator : it.discriminator.slice(0, 1)) {
      const g = await pair(s, 'toyDiscriminatorGradient', [th, bt.x, bt.z], ['dw', 'dc']);
      th = { ...th, w: th.w + how.dSign * t.eta * g.dw, c: th.c + how.dSign * t.eta * g.dc };
    }
    const g = await pair(s, 'toyGeneratorGradient', [th, it.generator, t.loss], ['da', 'db']);
    th = { ...th, a: th.a + how.gSign * t.eta * g.da, b: th.b + how.gSign * t.eta * g.db };
    out.push(th);
  }
  return out;
}

const trainChecks: Check[] = [
  example({
    id: 'P7.trainToyGan.example', exercise: 'trainToyGan', catalogue: 'P7',
    title: 'one iteration, k = 1, η = 1 from (a, b, w, c) = (1, 0, 0, 0), x = [2], z = [0], then z = [1]: w = 1, c = 0, then a = 1 + σ(1), b = σ(1)',
    hint: 'P7: D first (ascend: + η∇), with D = ½ everywhere dw = ½·2 − ½·0 = 1; then G descends (− η∇) with the NEW w = 1: da = db = −σ(1)',
    args: [algorithmOneStep.input.params, algorithmOneStep.input.iterations, algorithmOneStep.input.eta], expected: algorithmOneStep.expected,
    variants: { [MISTAKES.generatorAscends]: [{ a: 1 - s1, b: -s1, w: 1, c: 0 }], [MISTAKES.discriminatorDescends]: [{ a: 1 - 1 / (1 + Math.exp(1)), b: -1 / (1 + Math.exp(1)), w: -1, c: 0 }] },
  }),
  property({
    id: 'P7.trainToyGan.composition', exercise: 'trainToyGan', catalogue: 'P7', numRuns: 25,
    title: 'random runs (T ≤ 3 iterations, k ≤ 3, both losses): the trajectory is your toyDiscriminatorGradient ascended over the k minibatches, then your toyGeneratorGradient descended, iteration after iteration',
    hint: 'P7: for each minibatch (w, c) ← (w, c) + η∇_{w,c}; then (a, b) ← (a, b) − η∇_{a,b}; each step starts where the previous one ended',
    arbitrary: iterationCase,
    verify: async (t, s) => {
      const r = await s.call('trainToyGan', [t.params, t.iterations, t.eta, t.loss]);
      expectThat(Array.isArray(r) && r.length === t.iterations.length && r.every((p) => isObject(p) && ['a', 'b', 'w', 'c'].every((k) => isNumber(p[k]))), `${callText('trainToyGan', [t.params, t.iterations, t.eta, t.loss])} must return ${t.iterations.length} parameter sets { a, b, w, c }`, r);
      // a few dozen float64 steps that both sides compute from the same gradients: rounding ~1e−15, FLOAT64's 1e−7 is loose
      expectClose(r, await composed(s, t), FLOAT64, 'the trajectory', {
        [MISTAKES.generatorAscends]: await composed(s, t, { dSign: 1, gSign: 1, all: true }),
        [MISTAKES.discriminatorDescends]: await composed(s, t, { dSign: -1, gSign: -1, all: true }),
        ...(t.iterations[0].discriminator.length > 1 ? { [MISTAKES.oneStep]: await composed(s, t, { dSign: 1, gSign: -1, all: false }) } : {}),
      });
    },
  }),
];

// ---------------------------------------------------------------------------------------------
// P8 — InfoGAN

const jointCase = fc.record({ r: fc.integer({ min: 2, max: 4 }), c: fc.integer({ min: 2, max: 4 }) }).chain(({ r, c }) =>
  fc.array(fc.integer({ min: 0, max: 9 }), { minLength: r * c, maxLength: r * c }).filter((w) => sum(w) > 0).map((w) => Array.from({ length: r }, (_, i) => w.slice(i * c, (i + 1) * c).map((v) => v / sum(w)))),
);
const infoOf = (joint: Mat) => {
  const pX = joint.map(sum);
  const pY = joint[0].map((_, j) => sum(joint.map((row) => row[j])));
  const HXY = entropy(joint.flat());
  return { HX: entropy(pX), HY: entropy(pY), HXgivenY: HXY - entropy(pY), HYgivenX: HXY - entropy(pX), I: sum(joint.flatMap((row, i) => row.map((p, j) => klTerm(p, pX[i] * pY[j])))), HXY };
};
async function information(s: S, joint: Mat): Promise<Record<string, number>> {
  const r = await s.call('mutualInformation', [joint]);
  expectThat(isObject(r) && ['HX', 'HY', 'HXgivenY', 'HYgivenX', 'I'].every((k) => isNumber(r[k])), `${callText('mutualInformation', [joint])} must return { HX, HY, HXgivenY, HYgivenX, I } of finite numbers`, r);
  return r as Record<string, number>;
}

const infoChecks: Check[] = [
  ...informationExamples.map((f) =>
    example({
      id: `P8.mutualInformation.${f.id.replace('P8-', '')}`, exercise: 'mutualInformation', catalogue: 'P8',
      title: f.id === 'P8-copy' ? 'Y = X, joint [[½, 0], [0, ½]]: H(X) = H(Y) = log 2, H(X|Y) = H(Y|X) = 0, I = log 2' : 'independent, joint [[¼, ¼], [¼, ¼]]: H(X|Y) = H(X) = log 2, I = 0',
      hint: 'P8: I(X;Y) = H(X) − H(X|Y) = H(Y) − H(Y|X), natural log, 0·log 0 = 0',
      args: [f.input.joint], expected: f.expected,
      variants: f.id === 'P8-copy' ? { [MISTAKES.conditionalIsJoint]: { HXgivenY: Math.LN2, HYgivenX: Math.LN2 }, [MISTAKES.log2]: { HX: 1, HY: 1, HXgivenY: 0, HYgivenX: 0, I: 1 } } : {},
    }),
  ),
  property({
    id: 'P8.mutualInformation.identities', exercise: 'mutualInformation', catalogue: 'P8', numRuns: 50,
    title: 'random joint tables (some zero cells): H(X) = −Σ P(x) log P(x), H(X|Y) = H(X, Y) − H(Y), and I = H(X) − H(X|Y) = H(Y) − H(Y|X) = KL(P(X, Y)‖P(X)P(Y)) ≥ 0',
    hint: 'P8: rows are X, columns Y; P(x) sums a row, P(y) a column; 0·log 0 = 0',
    arbitrary: jointCase,
    verify: async (joint, s) => {
      const r = await information(s, joint);
      const e = infoOf(joint);
      expectClose(r.HX - r.HXgivenY, r.I, FLOAT64, 'H(X) − H(X|Y) vs your I');
      expectClose(r.HY - r.HYgivenX, r.I, FLOAT64, 'H(Y) − H(Y|X) vs your I');
      const { HXY: _, ...expected } = e;
      expectClose(r, expected, FLOAT64, callText('mutualInformation', [joint]), {
        [MISTAKES.conditionalIsJoint]: { ...expected, HXgivenY: e.HXY, HYgivenX: e.HXY },
        [MISTAKES.log2]: Object.fromEntries(Object.entries(expected).map(([k, v]) => [k, v / Math.LN2])),
      });
    },
  }),
  example({
    id: 'P8.infoGanValue.example', exercise: 'infoGanValue', catalogue: 'P8',
    title: 'D(x) = [¾, ½], D(G(z)) = [¼, ½] (V = log(3/8)), the joint of Y = X (I = log 2), λ = 2: V_I = log(3/8) − 2 log 2 = log(3/32)',
    hint: 'P8: V_I = V − λ I(c; G(z, c)): the generator gains by making the code readable',
    args: [two.dReal, two.dFake, informationExamples[0].input.joint, 2], expected: Math.log(3 / 32),
    variants: { [MISTAKES.plusLambda]: Math.log(3 / 8) + 2 * Math.LN2, [MISTAKES.noMean]: 2 * Math.log(3 / 8) - 2 * Math.LN2 },
  }),
  property({
    id: 'P8.infoGanValue.definition', exercise: 'infoGanValue', catalogue: 'P8', numRuns: 40,
    title: 'random outputs of D, joint tables and λ ∈ [0.5, 3]: V_I = (1/m) Σ [log D(x) + log(1 − D(G(z)))] − λ·I',
    hint: 'P8: V_I = V − λI, with V the minibatch value of P1 and I = Σ P(x, y) log(P(x, y)/(P(x)P(y)))',
    arbitrary: fc.integer({ min: 2, max: 5 }).chain((m) => fc.tuple(probs(m), probs(m), jointCase.filter((j) => infoOf(j).I > 0.01), fc.integer({ min: 2, max: 12 }).map((k) => k / 4))),
    verify: async ([r, f, joint, lambda], s) => {
      const V = mean(r.map((d, i) => Math.log(d) + Math.log(1 - f[i])));
      const I = infoOf(joint).I;
      expectClose(await num(s, 'infoGanValue', [r, f, joint, lambda]), V - lambda * I, FLOAT64, callText('infoGanValue', [r, f, joint, lambda]), { [MISTAKES.plusLambda]: V + lambda * I, [MISTAKES.noMean]: r.length * V - lambda * I });
    },
  }),
];

export const gan: FamilyGrader = {
  id: 'P',
  module: 'gan',
  title: 'Generative adversarial networks',
  exercises: [
    { name: 'minibatchValue', catalogue: 'P1', arity: 2, summary: '(1/m) Σ [log D(x) + log(1 − D(G(z)))]' },
    { name: 'toyDiscriminatorGradient', catalogue: 'P2', arity: 3, summary: "the toy discriminator's ascent gradient { dw, dc }" },
    { name: 'toyGeneratorGradient', catalogue: 'P2', arity: 3, summary: "the toy generator's descent gradient { da, db }, saturating or non-saturating" },
    { name: 'nonSaturatingLoss', catalogue: 'P3', arity: 1, summary: '−(1/m) Σ log D(G(z))' },
    { name: 'mlpDiscriminatorGradient', catalogue: 'P2', arity: 4, summary: "the discriminator's ascent gradient through small MLPs" },
    { name: 'mlpGeneratorGradient', catalogue: 'P2', arity: 4, summary: "the generator's descent gradient through small MLPs" },
    { name: 'optimalDiscriminator', catalogue: 'P4', arity: 2, summary: 'D* = p_data/(p_data + p_g)' },
    { name: 'virtualTrainingCriterion', catalogue: 'P5', arity: 2, summary: 'C(G) = −log 4 + 2·JSD(p_data‖p_g)' },
    { name: 'klDivergence', catalogue: 'P6', arity: 2, summary: 'KL(p‖q) = Σ p log(p/q)' },
    { name: 'jsDivergence', catalogue: 'P6', arity: 2, summary: 'JSD = ½KL(p‖M) + ½KL(q‖M)' },
    { name: 'trainToyGan', catalogue: 'P7', arity: 4, summary: 'Algorithm 1 on the toy: k ascent steps for D, one descent step for G' },
    { name: 'mutualInformation', catalogue: 'P8', arity: 1, summary: 'H(X), H(Y), H(X|Y), H(Y|X) and I(X;Y) of a joint table' },
    { name: 'infoGanValue', catalogue: 'P8', arity: 4, summary: 'V_I = V − λI' },
  ],
  checks: [...valueChecks, ...toyChecks, ...nsChecks, ...mlpChecks, ...dStarChecks, ...criterionChecks, ...klChecks, ...jsdChecks, ...trainChecks, ...infoChecks],
};
