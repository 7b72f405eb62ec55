/**
 * Family P (GAN): the reference against TensorFlow.js (the minibatch value, tf.grads through the
 * toy GAN and through the MLP GAN for both players and both generator losses), against numerical
 * derivatives (every gradient), against mathjs BigNumber (−log 4, log 2, the JSD bounds), the
 * worked example of the notes (p_g = p_data ⇒ D* = ½, C(G) = −log 4) and hand-derived ones, the
 * catalogue's properties, and input validation.
 *
 * tfjs mapping: tfjs has no GAN op; each objective is written with tf ops in the notes' form.
 * The toy's D(x) = σ(wx + c) is tf.sigmoid(w·x + c); log D and log(1 − D) are −softplus(−s) and
 * −softplus(s) (tf.softplus, stable where σ rounds to 0 or 1, as the reference). A family C layer
 * W [out × in] acting on a column z is, for rows Z [m × in], Z·Wᵀ + b (tf.matMul(Z, W, false, true)).
 */
import fc from 'fast-check';
import type { BigNumber } from 'mathjs';
import { describe, expect, it } from 'vitest';
import { algorithmOneStep, disjoint, halves, informationExamples, theoremOne, toyExample, valueExamples } from '../fixtures/gan.fixtures.ts';
import { FLOAT64 } from '../graders/engine/checks.ts';
import type { Network } from '../reference/backprop.ts';
import * as P from '../reference/gan.ts';
import { numericalGradient } from '../reference/gradcheck.ts';
import { createRandom } from '../reference/random.ts';
import { big } from './support/bignumber.ts';
import { expectAllClose } from './support/expect.ts';
import { f32, oracle, run, tf } from './support/tf.ts';
import { BIGNUMBER, FIXTURE_FLOAT64, NUMERIC_REL_ERROR, TF_COMPOSITE } from './support/tolerances.ts';

const backend = await oracle();

type Vec = number[];
const sum = (v: Vec) => v.reduce((a, b) => a + b, 0);
/**
 * max |a − b| over the largest entry, floored at 1: relative for gradients of size ≥ 1, absolute
 * below (an exactly 0 gradient, e.g. at w = 0, meets central-difference noise of ~1e−11 there).
 */
const normwiseError = (a: Vec, b: Vec) => Math.max(...a.map((v, i) => Math.abs(v - b[i]))) / Math.max(1, ...a.map(Math.abs), ...b.map(Math.abs));
const sigma = (s: number) => 1 / (1 + Math.exp(-s));

// ---------------------------------------------------------------------------------------------
// inputs

const real = (lo: number, hi: number) => fc.double({ min: lo, max: hi, noNaN: true });
const prob = real(0.01, 0.99);
const toyParams = fc.record({ a: real(-2, 2), b: real(-2, 2), w: real(-2, 2), c: real(-2, 2) });
const batch = (m: number) => fc.array(real(-2, 2), { minLength: m, maxLength: m });
const toyCase = fc.integer({ min: 1, max: 6 }).chain((m) => fc.record({ params: toyParams, x: batch(m), z: batch(m), zG: batch(m) }));
/** A distribution over K outcomes from positive weights, some zeroed when `zeros`. */
const distribution = (K: number, zeros = false) =>
  fc.array(fc.tuple(real(0.05, 1), zeros ? fc.boolean() : fc.constant(false)), { minLength: K, maxLength: K })
    .filter((ws) => ws.some(([, z]) => !z))
    .map((ws) => {
      const v = ws.map(([w, z]) => (z ? 0 : w));
      const t = sum(v);
      return v.map((x) => x / t);
    });
const distPair = (zeros = false) => fc.integer({ min: 1, max: 6 }).chain((K) => fc.tuple(distribution(K, zeros), distribution(K, zeros)));

type Act = 'linear' | 'sigmoid' | 'tanh';
const layer = (out: number, inp: number, activation: Act) =>
  fc.record({ W: fc.array(batch(inp), { minLength: out, maxLength: out }), b: batch(out), activation: fc.constant(activation) });
/** G: n → h → d (tanh hidden, linear out), D: d → h → 1 (tanh hidden, sigmoid out); smooth, so the numerical derivative is exact to ~h². */
const mlpCase = fc.record({ n: fc.integer({ min: 1, max: 3 }), d: fc.integer({ min: 1, max: 3 }), h: fc.integer({ min: 1, max: 4 }), m: fc.integer({ min: 1, max: 4 }) }).chain(({ n, d, h, m }) =>
  fc.record({
    G: fc.tuple(layer(h, n, 'tanh'), layer(d, h, 'linear')),
    D: fc.tuple(layer(h, d, 'tanh'), layer(1, h, 'sigmoid')),
    X: fc.array(batch(d), { minLength: m, maxLength: m }),
    Z: fc.array(batch(n), { minLength: m, maxLength: m }),
  }),
);

// ---------------------------------------------------------------------------------------------
// the objectives written out, float64 (for numerical derivatives) and in tf

const toyValueD = (p: P.ToyParams, x: Vec, z: Vec) => sum(x.map((xi, i) => Math.log(sigma(p.w * xi + p.c)) + Math.log(1 - sigma(p.w * (p.a * z[i] + p.b) + p.c)))) / x.length;
const toyValueG = (p: P.ToyParams, z: Vec, loss: P.GeneratorLoss) =>
  sum(z.map((zi) => {
    const D = sigma(p.w * (p.a * zi + p.b) + p.c);
    return loss === 'saturating' ? Math.log(1 - D) : -Math.log(D);
  })) / z.length;

/** The network's output for one input column, written independently of family C. */
const act = (a: Act, v: number) => (a === 'linear' ? v : a === 'tanh' ? Math.tanh(v) : sigma(v));
const netOut = (net: Network, x: Vec): Vec => net.reduce((z, l) => l.W.map((row, j) => act(l.activation as Act, sum(row.map((w, i) => w * z[i])) + l.b[j])), x);
const flatNet = (net: Network): Vec => net.flatMap((l) => [...l.W.flat(), ...l.b]);
const unflat = (net: Network, v: Vec): Network => {
  let k = 0;
  return net.map((l) => ({ ...l, W: l.W.map((row) => row.map(() => v[k++])), b: l.b.map(() => v[k++]) }));
};
const flatGrads = (g: { dW: number[][]; db: Vec }[]): Vec => g.flatMap((l) => [...l.dW.flat(), ...l.db]);
const mlpValueD = (D: Network, G: Network, X: number[][], Z: number[][]) => sum(X.map((x, i) => Math.log(netOut(D, x)[0]) + Math.log(1 - netOut(D, netOut(G, Z[i]))[0]))) / X.length;
const mlpValueG = (D: Network, G: Network, Z: number[][], loss: P.GeneratorLoss) =>
  sum(Z.map((z) => {
    const d = netOut(D, netOut(G, z))[0];
    return loss === 'saturating' ? Math.log(1 - d) : -Math.log(d);
  })) / Z.length;

const tfAct = (a: string, t: tf.Tensor) => (a === 'linear' ? t : a === 'tanh' ? tf.tanh(t) : tf.sigmoid(t));
/** Rows Z [m × in] through the layers: Z·Wᵀ + b per layer; the last layer's pre-activation is returned separately. */
const tfNet = (params: tf.Tensor[], net: Network, Z: tf.Tensor): { out: tf.Tensor; logit: tf.Tensor } => {
  let z = Z;
  let logit = Z;
  net.forEach((l, i) => {
    logit = tf.add(tf.matMul(z as tf.Tensor2D, params[2 * i] as tf.Tensor2D, false, true), params[2 * i + 1]);
    z = tfAct(l.activation, logit);
  });
  return { out: z, logit };
};
const logSig = (s: tf.Tensor) => tf.neg(tf.softplus(tf.neg(s)));
const logOneMinusSig = (s: tf.Tensor) => tf.neg(tf.softplus(s));

describe(`GAN vs TensorFlow.js [${backend.label}]`, () => {
  it('P1 minibatchValue = tf.mean(log D(x) + log(1 − D(G(z))))', () =>
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 8 }).chain((m) => fc.tuple(fc.array(prob, { minLength: m, maxLength: m }), fc.array(prob, { minLength: m, maxLength: m }))), ([r0, f0]) => {
        const [r, f] = f32([r0, f0]);
        const v = run(() => tf.mean(tf.add(tf.log(tf.tensor1d(r)), tf.log(tf.sub(1, tf.tensor1d(f)))))) as number;
        expectAllClose(v, P.minibatchValue(r, f), TF_COMPOSITE);
      }),
      { numRuns: 40 },
    ));

  it('P2/P3 toy gradients = tf.grads of the toy objectives with respect to (w, c) and (a, b), both generator losses', () =>
    fc.assert(
      fc.property(toyCase, (t0) => {
        const t = f32(t0);
        const { a, b, w, c } = t.params;
        const [x, z, zG] = [tf.tensor1d(t.x), tf.tensor1d(t.z), tf.tensor1d(t.zG)];
        const JD = (wt: tf.Tensor, ct: tf.Tensor) => tf.mean(tf.add(logSig(tf.add(tf.mul(wt, x), ct)), logOneMinusSig(tf.add(tf.mul(wt, tf.add(tf.mul(a, z), b)), ct))));
        const [dw, dc] = run(() => tf.grads(JD)([tf.scalar(w), tf.scalar(c)])) as number[];
        expectAllClose([dw, dc], Object.values(P.toyDiscriminatorGradient(t.params, t.x, t.z)), TF_COMPOSITE, 'discriminator');
        for (const loss of ['saturating', 'non-saturating'] as const) {
          const JG = (at: tf.Tensor, bt: tf.Tensor) => {
            const s = tf.add(tf.mul(w, tf.add(tf.mul(at, zG), bt)), c);
            return tf.mean(loss === 'saturating' ? logOneMinusSig(s) : tf.neg(logSig(s)));
          };
          const [da, db] = run(() => tf.grads(JG)([tf.scalar(a), tf.scalar(b)])) as number[];
          expectAllClose([da, db], Object.values(P.toyGeneratorGradient(t.params, t.zG, loss)), TF_COMPOSITE, loss);
        }
      }),
      { numRuns: 40 },
    ));

  it('P2/P3 MLP gradients = tf.grads through G and D written with tf.matMul (Z·Wᵀ + b), both players, both generator losses', () =>
    fc.assert(
      fc.property(mlpCase, (t0) => {
        const t = f32(t0);
        const params = (net: Network) => net.flatMap((l) => [tf.tensor2d(l.W), tf.tensor1d(l.b)]);
        const [X, Z] = [tf.tensor2d(t.X), tf.tensor2d(t.Z)];
        const JD = (...pd: tf.Tensor[]) => {
          const real = tfNet(pd, t.D, X).logit;
          const fake = tfNet(pd, t.D, tfNet(params(t.G), t.G, Z).out).logit;
          return tf.mean(tf.add(logSig(real), logOneMinusSig(fake)));
        };
        const gD = run(() => tf.grads(JD)(params(t.D))) as (number[] | number[][])[];
        expectAllClose(gD.flat(2), flatGrads(P.mlpDiscriminatorGradient(t.D, t.G, t.X, t.Z)), TF_COMPOSITE, 'discriminator');
        for (const loss of ['saturating', 'non-saturating'] as const) {
          const JG = (...pg: tf.Tensor[]) => {
            const s = tfNet(params(t.D), t.D, tfNet(pg, t.G, Z).out).logit;
            return tf.mean(loss === 'saturating' ? logOneMinusSig(s) : tf.neg(logSig(s)));
          };
          const gG = run(() => tf.grads(JG)(params(t.G))) as (number[] | number[][])[];
          expectAllClose(gG.flat(2), flatGrads(P.mlpGeneratorGradient(t.D, t.G, t.Z, loss)), TF_COMPOSITE, loss);
        }
      }),
      { numRuns: 25 },
    ));
});

// ---------------------------------------------------------------------------------------------

describe('GAN vs numerical derivatives (float64 central differences)', () => {
  it('P2/P3 toy: the discriminator and generator gradients (both losses)', () =>
    fc.assert(
      fc.property(toyCase, (t) => {
        const p = t.params;
        const gD = P.toyDiscriminatorGradient(p, t.x, t.z);
        expect(normwiseError([gD.dw, gD.dc], numericalGradient(([w, c]) => toyValueD({ ...p, w, c }, t.x, t.z), [p.w, p.c]))).toBeLessThan(NUMERIC_REL_ERROR);
        for (const loss of ['saturating', 'non-saturating'] as const) {
          const gG = P.toyGeneratorGradient(p, t.zG, loss);
          expect(normwiseError([gG.da, gG.db], numericalGradient(([a, b]) => toyValueG({ ...p, a, b }, t.zG, loss), [p.a, p.b]))).toBeLessThan(NUMERIC_REL_ERROR);
        }
      }),
      { numRuns: 60 },
    ));

  it('P2/P3 MLP: every weight and bias of D and of G', () =>
    fc.assert(
      fc.property(mlpCase, (t) => {
        const dD = flatGrads(P.mlpDiscriminatorGradient(t.D, t.G, t.X, t.Z));
        expect(normwiseError(dD, numericalGradient((v) => mlpValueD(unflat(t.D, v), t.G, t.X, t.Z), flatNet(t.D)))).toBeLessThan(NUMERIC_REL_ERROR);
        for (const loss of ['saturating', 'non-saturating'] as const) {
          const dG = flatGrads(P.mlpGeneratorGradient(t.D, t.G, t.Z, loss));
          expect(normwiseError(dG, numericalGradient((v) => mlpValueG(t.D, unflat(t.G, v), t.Z, loss), flatNet(t.G)))).toBeLessThan(NUMERIC_REL_ERROR);
        }
      }),
      { numRuns: 30 },
    ));

  it('P2: an MLP with one linear layer for G and one sigmoid unit for D is the toy (same gradients)', () =>
    fc.assert(
      fc.property(toyCase, (t) => {
        const { a, b, w, c } = t.params;
        const G: Network = [{ W: [[a]], b: [b], activation: 'linear' }];
        const D: Network = [{ W: [[w]], b: [c], activation: 'sigmoid' }];
        const gD = P.mlpDiscriminatorGradient(D, G, t.x.map((v) => [v]), t.z.map((v) => [v]));
        expectAllClose([gD[0].dW[0][0], gD[0].db[0]], Object.values(P.toyDiscriminatorGradient(t.params, t.x, t.z)), FLOAT64);
        const gG = P.mlpGeneratorGradient(D, G, t.zG.map((v) => [v]), 'non-saturating');
        expectAllClose([gG[0].dW[0][0], gG[0].db[0]], Object.values(P.toyGeneratorGradient(t.params, t.zG, 'non-saturating')), FLOAT64);
      }),
      { numRuns: 40 },
    ));
});

// ---------------------------------------------------------------------------------------------

describe('GAN vs mathjs BigNumber: −log 4, log 2 and the JSD bounds', () => {
  const ln = (x: number) => Number(big.log(big.bignumber(x)).toString());
  it(`${theoremOne.id}: C(G) at p_g = p_data is −log 4 to the last digits; D* = ½; JSD = 0`, () => {
    const { pData, pG } = theoremOne.input;
    expectAllClose(P.virtualTrainingCriterion(pData, pG), -ln(4), BIGNUMBER);
    expect(P.optimalDiscriminator(pData, pG)).toEqual(theoremOne.expected.dStar);
    expect(P.jsDivergence(pData, pG)).toBe(0);
    expectAllClose(P.minibatchValue([0.5], [0.5]), -ln(4), BIGNUMBER); // log ½ + log ½
  });
  it('P6: the bound log 2 of the properties below (Math.LN2) is ln 2 at 500 digits, rounded to float64', () => {
    expect(Math.LN2).toBe(ln(2));
    expect(-Math.log(4)).toBe(-ln(4));
  });
  it(`${disjoint.id}: JSD reaches its bound log 2 and C(G) = −log 4 + 2 log 2 = 0 on disjoint supports`, () => {
    const { pData, pG } = disjoint.input;
    expectAllClose(P.jsDivergence(pData, pG), ln(2), BIGNUMBER);
    expect(Math.abs(P.virtualTrainingCriterion(pData, pG))).toBeLessThan(1e-15); // −ln 4 + 2 ln 2 rounds to 0 or ±2.2e−16
  });
  it('P5: C(G) = −log 4 + 2·JSD at 60-digit precision for the halves/quarters example', () => {
    const b = (x: number) => big.bignumber(x);
    const kl = (p: number[], q: BigNumber[]): BigNumber => p.reduce<BigNumber>((s, pk, k) => big.add(s, big.multiply(b(pk), big.log(big.divide(b(pk), q[k]) as BigNumber))) as BigNumber, b(0));
    const { p, q } = halves.input;
    const M = p.map((pk, k) => big.divide(big.add(b(pk), b(q[k])), 2) as BigNumber);
    const exact = big.add(big.unaryMinus(big.log(b(4))), big.add(kl(p, M), kl(q, M)));
    expectAllClose(P.virtualTrainingCriterion(p, q), Number(exact.toString()), BIGNUMBER);
  });
});

// ---------------------------------------------------------------------------------------------

describe("GAN: the notes' worked example and hand-derived fixtures", () => {
  it.each(valueExamples.map((f) => [f.id, f] as const))('%s: minibatch value', (_, f) => {
    expectAllClose(P.minibatchValue(f.input.dReal, f.input.dFake), f.expected, FIXTURE_FLOAT64);
  });
  it(`${theoremOne.id} and ${disjoint.id}: D*, C(G), JSD`, () => {
    for (const f of [theoremOne, disjoint]) {
      expectAllClose(P.optimalDiscriminator(f.input.pData, f.input.pG), f.expected.dStar, FIXTURE_FLOAT64);
      expectAllClose(P.virtualTrainingCriterion(f.input.pData, f.input.pG), f.expected.C, FIXTURE_FLOAT64);
      expectAllClose(P.jsDivergence(f.input.pData, f.input.pG), f.expected.jsd, FIXTURE_FLOAT64);
    }
    expect(P.klDivergence(disjoint.input.pData, disjoint.input.pG)).toBe(Infinity);
  });
  it(`${halves.id}: D*, KL both ways (not symmetric), JSD, C(G)`, () => {
    const { p, q } = halves.input;
    const e = halves.expected;
    expectAllClose(P.optimalDiscriminator(p, q), e.dStar, FIXTURE_FLOAT64);
    expectAllClose([P.klDivergence(p, q), P.klDivergence(q, p), P.jsDivergence(p, q), P.virtualTrainingCriterion(p, q)], [e.klPQ, e.klQP, e.jsd, e.C], FIXTURE_FLOAT64);
  });
  it(`${toyExample.id}: toy gradients at D(x) = ¾, D(G(z)) = ¼; the non-saturating gradient is (1 − D)/D = 3 times the saturating one`, () => {
    const { params, x, z } = toyExample.input;
    expectAllClose(P.toyDiscriminatorGradient(params, x, z), toyExample.expected.discriminator, FIXTURE_FLOAT64);
    expectAllClose(P.toyGeneratorGradient(params, z), toyExample.expected.saturating, FIXTURE_FLOAT64);
    expectAllClose(P.toyGeneratorGradient(params, z, 'non-saturating'), toyExample.expected.nonSaturating, FIXTURE_FLOAT64);
  });
  it(`${algorithmOneStep.id}: one iteration of Algorithm 1`, () => {
    const { params, iterations, eta } = algorithmOneStep.input;
    expectAllClose(P.trainToyGan(params, iterations, eta), algorithmOneStep.expected, FIXTURE_FLOAT64);
  });
  it.each(informationExamples.map((f) => [f.id, f] as const))('%s: entropies and I(X;Y)', (_, f) => {
    expectAllClose(P.mutualInformation(f.input.joint), f.expected, FIXTURE_FLOAT64);
  });
});

// ---------------------------------------------------------------------------------------------

/** V(G, D) = Σ_x p_data(x) log D(x) + p_g(x) log(1 − D(x)) with 0·log 0 = 0 (the notes' integral form, discrete). */
const discreteValue = (pData: Vec, pG: Vec, D: Vec) => sum(pData.map((p, k) => (p === 0 ? 0 : p * Math.log(D[k])) + (pG[k] === 0 ? 0 : pG[k] * Math.log(1 - D[k]))));

describe('GAN: properties of the catalogue', () => {
  it('P4: D* beats every other D for fixed G: V(G, D*) ≥ V(G, D), and V(G, D*) = C(G) (P5)', () =>
    fc.assert(
      fc.property(distPair(true).chain(([p, q]) => fc.tuple(fc.constant(p), fc.constant(q), fc.array(prob, { minLength: p.length, maxLength: p.length }))), ([p, q, D]) => {
        const star = P.optimalDiscriminator(p, q);
        const best = discreteValue(p, q, star);
        expect(best).toBeGreaterThanOrEqual(discreteValue(p, q, D) - 1e-12);
        expectAllClose(P.virtualTrainingCriterion(p, q), best, { rtol: 1e-12, atol: 1e-12 });
      }),
    ));

  it('P5: C(G) ≥ −log 4, with equality iff p_g = p_data (where D* = ½); C(G) = −log 4 + 2·JSD', () =>
    fc.assert(
      fc.property(distPair(true), ([p, q]) => {
        const C = P.virtualTrainingCriterion(p, q);
        expect(C).toBeGreaterThanOrEqual(-Math.log(4) - 1e-12);
        expectAllClose(C, -Math.log(4) + 2 * P.jsDivergence(p, q), { rtol: 1e-12, atol: 1e-12 });
        expectAllClose(P.virtualTrainingCriterion(p, p), -Math.log(4), { rtol: 1e-14, atol: 0 });
        expect(P.optimalDiscriminator(p, p).every((d) => d === 0.5)).toBe(true);
        if (Math.max(...p.map((v, k) => Math.abs(v - q[k]))) > 1e-3) expect(C).toBeGreaterThan(-Math.log(4) + 1e-9);
      }),
    ));

  it('P6: KL ≥ 0 (0 iff p = q), JSD symmetric in [0, log 2], JSD = ½KL(p‖M) + ½KL(q‖M); KL = +∞ where q = 0 < p', () =>
    fc.assert(
      fc.property(distPair(true), ([p, q]) => {
        const kl = P.klDivergence(p, q);
        expect(kl).toBeGreaterThanOrEqual(0);
        expect(P.klDivergence(p, p)).toBe(0);
        if (p.some((v, k) => v > 0 && q[k] === 0)) expect(kl).toBe(Infinity);
        const jsd = P.jsDivergence(p, q);
        expect(jsd).toBeGreaterThanOrEqual(0);
        expect(jsd).toBeLessThanOrEqual(Math.LN2 + 1e-15);
        expectAllClose(P.jsDivergence(q, p), jsd, { rtol: 1e-14, atol: 1e-16 });
        const M = p.map((v, k) => (v + q[k]) / 2);
        expectAllClose(jsd, 0.5 * P.klDivergence(p, M) + 0.5 * P.klDivergence(q, M), { rtol: 1e-12, atol: 1e-15 });
      }),
    ));

  it('P3: the non-saturating loss −(1/m) Σ log D(G(z)), worked by hand; +Infinity when D(G(z)) = 0', () => {
    // −(ln ½ + ln ¼)/2 = (ln 2 + 2 ln 2)/2 = 1.5 ln 2
    expectAllClose(P.nonSaturatingLoss([0.5, 0.25]), 1.5 * Math.LN2, FLOAT64);
    expect(P.nonSaturatingLoss([0.5, 0])).toBe(Infinity);
    expect(Math.abs(P.nonSaturatingLoss([1]))).toBe(0); // log 1 = 0: D fooled completely costs G nothing
  });

  it('P3: per sample the non-saturating gradient is (1 − D)/D times the saturating one; as D(G(z)) → 0 the saturating one vanishes and the other tends to −w·(z, 1)', () => {
    const p = { a: 1, b: 0, w: 2, c: 0 };
    fc.assert(
      fc.property(real(0.1, 2), real(-30, 5), (z, c) => {
        const q = { ...p, c };
        const D = sigma(q.w * z + c);
        const sat = P.toyGeneratorGradient(q, [z]);
        const non = P.toyGeneratorGradient(q, [z], 'non-saturating');
        expectAllClose(non.db / sat.db, (1 - D) / D, { rtol: 1e-9, atol: 0 });
      }),
    );
    const ratios = [-5, -10, -20, -30].map((c) => {
      const q = { ...p, c };
      return [P.toyGeneratorGradient(q, [1]).db, P.toyGeneratorGradient(q, [1], 'non-saturating').db];
    });
    // D(G(z)) = σ(2 + c): 0.047, 3.4e−4, 1.5e−8, 6.9e−13
    expect(Math.abs(ratios[3][0])).toBeLessThan(1e-11);
    expectAllClose(ratios[3][1], -2, { rtol: 1e-11, atol: 0 });
    ratios.slice(1).forEach(([s, n], i) => {
      expect(Math.abs(s)).toBeLessThan(Math.abs(ratios[i][0]));
      expect(Math.abs(n)).toBeGreaterThan(1.9);
    });
  });

  it('P7: k discriminator steps then one generator step, iteration after iteration (the trajectory composes the P2 steps); a seeded run is reproducible', () => {
    const data = (seed: number, T: number, k: number, m: number): P.ToyIteration[] => {
      const rng = createRandom(seed);
      const draw = (f: () => number) => Array.from({ length: m }, f);
      // x ~ N(3, 0.5²) (p_data), z ~ U[−1, 1) (p_z): per iteration k × (m z, then m x), then m z for G
      return Array.from({ length: T }, () => ({
        discriminator: Array.from({ length: k }, () => {
          const z = draw(() => 2 * rng.uniform() - 1);
          return { z, x: draw(() => 3 + 0.5 * rng.normal()) };
        }),
        generator: draw(() => 2 * rng.uniform() - 1),
      }));
    };
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1000 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 4 }), (seed, k, m) => {
        const its = data(seed, 5, k, m);
        const start = { a: 1, b: 0, w: 0.1, c: 0 };
        const traj = P.trainToyGan(start, its, 0.05);
        let th = start;
        its.forEach((it, t) => {
          for (const bt of it.discriminator) {
            const g = P.toyDiscriminatorGradient(th, bt.x, bt.z);
            th = { ...th, w: th.w + 0.05 * g.dw, c: th.c + 0.05 * g.dc };
          }
          const g = P.toyGeneratorGradient(th, it.generator);
          th = { ...th, a: th.a - 0.05 * g.da, b: th.b - 0.05 * g.db };
          expectAllClose(traj[t], th, { rtol: 0, atol: 0 });
        });
        expect(P.trainToyGan(start, data(seed, 5, k, m), 0.05)).toEqual(traj);
      }),
      { numRuns: 30 },
    );
  });

  it('P7: on the seeded toy the generator moves its mean b towards the data mean 3 (non-saturating, k = 1, 300 iterations)', () => {
    const rng = createRandom(7);
    const its: P.ToyIteration[] = Array.from({ length: 300 }, () => ({
      discriminator: [{ z: Array.from({ length: 16 }, () => 2 * rng.uniform() - 1), x: Array.from({ length: 16 }, () => 3 + 0.5 * rng.normal()) }],
      generator: Array.from({ length: 16 }, () => 2 * rng.uniform() - 1),
    }));
    const traj = P.trainToyGan({ a: 1, b: 0, w: 0.1, c: 0 }, its, 0.1, 'non-saturating');
    expect(traj[0].b).toBeLessThan(0.1);
    expect(Math.abs(traj[299].b - 3)).toBeLessThan(Math.abs(traj[0].b - 3) / 2);
  });

  it('P8: I = H(X) − H(X|Y) = H(Y) − H(Y|X) = KL(P(X, Y)‖P(X)P(Y)) ≥ 0; V_I = V − λI', () =>
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 }), (r, c) => {
        const rng = createRandom(r * 10 + c);
        const w = Array.from({ length: r * c }, () => (rng.uniform() < 0.2 ? 0 : rng.uniform() + 0.01));
        if (sum(w) === 0) w[0] = 1;
        const joint = Array.from({ length: r }, (_, i) => w.slice(i * c, (i + 1) * c).map((v) => v / sum(w)));
        const info = P.mutualInformation(joint);
        expectAllClose(info.HX - info.HXgivenY, info.I, { rtol: 1e-10, atol: 1e-14 });
        expectAllClose(info.HY - info.HYgivenX, info.I, { rtol: 1e-10, atol: 1e-14 });
        expect(info.I).toBeGreaterThanOrEqual(-1e-15);
        const pX = joint.map((row) => sum(row));
        const pY = joint[0].map((_, j) => sum(joint.map((row) => row[j])));
        expectAllClose(P.klDivergence(joint.flat(), joint.flatMap((_, i) => pY.map((q) => pX[i] * q))), info.I, { rtol: 1e-10, atol: 1e-14 });
        expectAllClose(P.infoGanValue([0.7, 0.4], [0.2, 0.5], joint, 1.5), P.minibatchValue([0.7, 0.4], [0.2, 0.5]) - 1.5 * info.I, { rtol: 1e-14, atol: 1e-15 });
      }),
    ));
});

// ---------------------------------------------------------------------------------------------

describe('GAN: invalid input is an error naming the function and the argument', () => {
  const toy = { a: 1, b: 0, w: 1, c: 0 };
  const D: Network = [{ W: [[1]], b: [0], activation: 'sigmoid' }];
  const G: Network = [{ W: [[1]], b: [0], activation: 'linear' }];
  it.each([
    [() => P.minibatchValue([0.5], [0.5, 0.5]), /minibatchValue: argument 'dFake' must have length 1; got length 2/],
    [() => P.minibatchValue([1.5], [0.5]), /minibatchValue: argument 'dReal\[0\]' must lie in \[0, 1\]; got 1.5/],
    [() => P.toyDiscriminatorGradient({ a: 1, b: 0, w: 1 } as never, [1], [1]), /toyDiscriminatorGradient: argument 'params.c' must be a number/],
    [() => P.toyGeneratorGradient(toy, [1], 'minimax' as never), /toyGeneratorGradient: argument 'loss' must be 'saturating' or 'non-saturating'/],
    [() => P.nonSaturatingLoss([]), /nonSaturatingLoss: argument 'dFake' must be a non-empty vector/],
    [() => P.mlpDiscriminatorGradient(G, G, [[1]], [[1]]), /mlpDiscriminatorGradient: argument 'D' must end in one sigmoid unit/],
    [() => P.mlpGeneratorGradient(D, [{ W: [[1], [1]], b: [0, 0], activation: 'linear' }], [[1]]), /mlpGeneratorGradient: argument 'G' must output D's input width 1; got 2/],
    [() => P.mlpDiscriminatorGradient(D, [{ W: [[1, 2]], b: [0, 0], activation: 'linear' }], [[1]], [[1, 2]]), /mlpDiscriminatorGradient: argument 'G\[0\].b' must have length 1; got length 2/],
    [() => P.mlpGeneratorGradient(D, [{ W: [[1]], b: [0], activation: 'softmax' as never }], [[1]]), /mlpGeneratorGradient: argument 'G\[0\].activation' must be one of linear, sigmoid, tanh, relu, leakyRelu, elu, softplus; got softmax/],
    [() => P.optimalDiscriminator([0.5, 0.5], [1]), /optimalDiscriminator: argument 'pG' must have length 2; got length 1/],
    [() => P.klDivergence([0.5, 0.6], [0.5, 0.5]), /klDivergence: argument 'p' must sum to 1 \(a distribution\); got sum 1.1/],
    [() => P.jsDivergence([1, 0], [-0.5, 1.5]), /jsDivergence: argument 'q\[0\]' must lie in \[0, 1\]; got -0.5/],
    [() => P.virtualTrainingCriterion([1], [0.9]), /virtualTrainingCriterion: argument 'pG' must sum to 1/],
    [() => P.trainToyGan(toy, [], 0.1), /trainToyGan: argument 'iterations' must be a non-empty array/],
    [() => P.trainToyGan(toy, [{ discriminator: [], generator: [1] }], 0.1), /trainToyGan: argument 'iterations\[0\].discriminator' must be a non-empty array/],
    [() => P.trainToyGan(toy, [{ discriminator: [{ x: [1], z: [1] }], generator: [1] }], 0), /trainToyGan: argument 'eta' must be > 0; got 0/],
    [() => P.mutualInformation([[0.5, 0.5], [0.5, 0.5]]), /mutualInformation: argument 'joint' must sum to 1 \(a joint distribution\); got sum 2/],
    [() => P.infoGanValue([0.5], [0.5], [[1]], -1), /infoGanValue: argument 'lambda' must be ≥ 0; got -1/],
  ])('%#', (call, message) => {
    expect(call).toThrowError(message);
  });
});
