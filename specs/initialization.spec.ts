/**
 * Family G (weight initialisation): the reference against TensorFlow.js's initialisers (the
 * parameters they are built from, their bounds, and their sample variances with tfjs's truncation
 * accounted for), against the notes (fixtures), its documented draw order, seeded statistics of
 * large draws and of the G4 Monte Carlo (every bound's reasoning at SD), the vanishing variance
 * that motivates He, and its input validation.
 *
 * tfjs draws from its own generator (seedrandom's alea), so nothing is compared entry by entry
 * with tfjs: what is comparable is the scale parameter, the bound and the distribution's moments.
 */
import fc from 'fast-check';
import { erf } from 'mathjs';
import { describe, expect, it } from 'vitest';
import { gaussianReading, glorotBounds, heConv, heFactors, propagation, uniformRange, xavierFactors, xavierSlideNotes } from '../fixtures/initialization.fixtures.ts';
import * as G from '../reference/initialization.ts';
import { createRandom, normalMatrix, uniformMatrix } from '../reference/random.ts';
import { expectAllClose } from './support/expect.ts';
import { oracle, tf } from './support/tf.ts';
import { BIGNUMBER } from './support/tolerances.ts';

const backend = await oracle();

// ---------------------------------------------------------------------------------------------
// Seeded statistics

/**
 * Every statistical assertion allows SD = 6.5 standard deviations of its estimator. For N
 * independent draws of variance σ² and kurtosis κ = μ₄/σ⁴, the sample mean has sd σ/√N and the
 * sample variance (÷N) sd σ²·√((κ − 1)/N) and bias −σ²/N. κ = 3 for a normal, 9/5 for a uniform,
 * 3 + 6/m for a sum of m products of independent normals (G4), and < 3 for a truncated normal (so
 * 3 is a safe upper value there). With N ≥ 5000 the central limit theorem makes an excursion
 * beyond 6.5 sd a ~1e−10 event (a χ²_N has skewness √(8/N) ≤ 0.04, which moves that tail by at
 * most ~0.25 sd). All draws are seeded, so each assertion is deterministic; the bound says that
 * another seed would pass too. The mistakes these statistics separate move a variance by ≥ 20%,
 * far outside the ≤ 6.5·√(2/5000) = 13% allowed.
 */
const SD = 6.5;

interface Moments {
  n: number;
  mean: number;
  variance: number;
  maxAbs: number;
}

function moments(x: number[]): Moments {
  const n = x.length;
  const mean = x.reduce((s, v) => s + v, 0) / n;
  return { n, mean, variance: x.reduce((s, v) => s + (v - mean) ** 2, 0) / n, maxAbs: Math.max(...x.map(Math.abs)) };
}

/** The half-width allowed around the variance σ² for N draws of kurtosis κ. */
const varianceBand = (variance: number, kurtosis: number, n: number) => SD * variance * Math.sqrt((kurtosis - 1) / n) + variance / n;

/** Mean 0 and variance σ² within the bounds above. */
function expectMoments(x: number[], variance: number, kurtosis: number, what: string): Moments {
  const m = moments(x);
  expect(Math.abs(m.mean), `${what}: mean`).toBeLessThanOrEqual(SD * Math.sqrt(variance / m.n));
  expect(Math.abs(m.variance - variance), `${what}: variance ${m.variance} vs ${variance}`).toBeLessThanOrEqual(varianceBand(variance, kurtosis, m.n));
  return m;
}

const flat = (x: unknown): number[] => (x as unknown[]).flat(Infinity) as number[];

/** The values of a tfjs tensor, disposed afterwards. */
function values(make: () => tf.Tensor): number[] {
  const t = make();
  const v = Array.from(t.dataSync());
  t.dispose();
  return v;
}

/**
 * Variance factor of a normal truncated to ±a standard deviations (tf.truncatedNormal re-draws
 * beyond ±2σ and does not rescale): Var = σ²·(1 − 2aφ(a)/(2Φ(a) − 1)), 2Φ(a) − 1 = erf(a/√2).
 * For a = 2: 0.77374 (its square root 0.87963 is the constant Keras divides by in
 * 'truncated_normal' mode; tfjs does not).
 */
const TRUNCATED_2 = (() => {
  const a = 2;
  const phi = Math.exp(-(a * a) / 2) / Math.sqrt(2 * Math.PI);
  return 1 - (2 * a * phi) / (erf(a / Math.SQRT2) as number);
})();

// ---------------------------------------------------------------------------------------------

describe(`initialization vs TensorFlow.js initialisers [${backend.label}]`, () => {
  // Mapping: tfjs's Dense kernel is [fanIn, fanOut] (x·W) where the notes' W is [fanOut, fanIn]
  // (W·a); computeFans takes fanIn = shape[0], fanOut = shape[1] for a matrix and, for a conv kernel
  // [k, k, c, F] (HWIO, channelsLast), fanIn = c·k², fanOut = F·k² (tfjs-layers initializers.ts).

  it('G2 xavierUniformLimit(fanIn, fanOut) = the limit of tf.initializers.glorotUniform: VarianceScaling(1, fanAvg, uniform), √(3/((fanIn + fanOut)/2))', () => {
    for (const [fanIn, fanOut] of [[100, 50], [300, 200], [64, 512]]) {
      const L = G.xavierUniformLimit(fanIn, fanOut);
      const w = values(() => tf.initializers.glorotUniform({ seed: fanIn }).apply([fanIn, fanOut]));
      // tfjs draws U[−L, L) in float32: |w| ≤ fround(L) ≤ L(1 + 6e−8)
      const m = expectMoments(w, (L * L) / 3, 9 / 5, `glorotUniform [${fanIn}, ${fanOut}]`);
      expect(m.maxAbs).toBeLessThanOrEqual(L * (1 + 1e-6));
      // the largest of N ≥ 5000 uniforms lies within 0.3% of L unless all miss: (1 − 0.003)^5000 = e^−15
      expect(m.maxAbs).toBeGreaterThan(L * (1 - 3e-3));
      // the reference's draw has the same support and moments
      const ours = expectMoments(flat(G.xavierUniform(fanIn, fanOut, fanIn)), (L * L) / 3, 9 / 5, `xavierUniform(${fanIn}, ${fanOut})`);
      expect(ours.maxAbs).toBeLessThanOrEqual(L);
      expect(ours.maxAbs).toBeGreaterThan(L * (1 - 3e-3));
    }
  });

  it('G3 heFactor(fanIn) = the stddev of tf.initializers.heNormal: VarianceScaling(2, fanIn, normal), a normal truncated at ±2σ without rescaling', () => {
    for (const [fanIn, fanOut] of [[50, 200], [400, 100]]) {
      const s = G.heFactor(fanIn);
      const w = values(() => tf.initializers.heNormal({ seed: fanOut }).apply([fanIn, fanOut]));
      const m = expectMoments(w, TRUNCATED_2 * s * s, 3, `heNormal [${fanIn}, ${fanOut}]`);
      // the truncation bound is 2σ, and |z| ∈ [1.96, 2] has probability 0.0047 per draw: P(none in 10⁴) = e^−47
      expect(m.maxAbs).toBeLessThanOrEqual(2 * s * (1 + 1e-6));
      expect(m.maxAbs).toBeGreaterThan(1.96 * s);
      // compared without the truncation's factor the variances are 22.6% apart: the mapping matters
      expect(Math.abs(m.variance - s * s)).toBeGreaterThan(varianceBand(s * s, 3, m.n));
      // the reference (an untruncated normal) has the full variance 2/fanIn
      expectMoments(flat(G.heNormal(fanIn, fanOut, fanOut)), s * s, 3, `heNormal(${fanIn}, ${fanOut})`);
    }
  });

  it("G3 heConvNormal's n_l = k²c is tfjs's fan-in of a conv kernel [k, k, c, F] (heNormal on a 4-D shape)", () => {
    for (const [k, c, F] of [[3, 16, 64], [5, 3, 96], [7, 3, 96]]) {
      const s = G.heFactor(k * k * c);
      const w = values(() => tf.initializers.heNormal({ seed: k }).apply([k, k, c, F]));
      const m = expectMoments(w, TRUNCATED_2 * s * s, 3, `tf heNormal [${k}, ${k}, ${c}, ${F}]`);
      expect(m.maxAbs).toBeLessThanOrEqual(2 * s * (1 + 1e-6));
      expectMoments(flat(G.heConvNormal(k, c, F, k)), s * s, 3, `heConvNormal(${k}, ${c}, ${F})`);
    }
  });

  it("G2 xavierFactor(fanIn) = the stddev of tf.initializers.leCunNormal: the slide's W·√(1/m) is LeCun's fan-in scaling (Glorot's own is glorotUniform)", () => {
    for (const [fanIn, fanOut] of [[80, 160], [250, 40]]) {
      const s = G.xavierFactor(fanIn);
      const w = values(() => tf.initializers.leCunNormal({ seed: 3 }).apply([fanIn, fanOut]));
      const m = expectMoments(w, TRUNCATED_2 * s * s, 3, `leCunNormal [${fanIn}, ${fanOut}]`);
      expect(m.maxAbs).toBeLessThanOrEqual(2 * s * (1 + 1e-6));
    }
  });

  it('G1 uniformInit(…, 0.5, …) and tf.randomUniform(shape, −0.5, 0.5) are both U[−0.5, 0.5): variance 1/12', () => {
    const w = values(() => tf.randomUniform([100, 80], -0.5, 0.5, 'float32', 17));
    const ours = flat(G.uniformInit(80, 100, 0.5, 17));
    for (const [what, x] of [['tf.randomUniform', w], ['uniformInit', ours]] as const) {
      const m = expectMoments([...x], uniformRange.expected.variance, 9 / 5, what);
      expect(m.maxAbs).toBeLessThanOrEqual(0.5);
    }
  });

  it("G1 gaussianInit(…, 0.01, …) has the distribution of tf.randomNormal(shape, 0, 0.1): tfjs takes the standard deviation, the notes' N(0, 0.01) the variance", () => {
    const ours = flat(G.gaussianInit(80, 100, gaussianReading.input.variance, 19));
    expectMoments(values(() => tf.randomNormal([100, 80], 0, gaussianReading.expected.std, 'float32', 19)), 0.01, 3, 'tf.randomNormal(0, 0.1)');
    expectMoments(ours, 0.01, 3, 'gaussianInit(…, 0.01, …)');
    // passing the notes' 0.01 to tfjs's stdDev draws variance 1e−4: 100 times too small
    const misread = moments(values(() => tf.randomNormal([100, 80], 0, gaussianReading.input.variance, 'float32', 19)));
    expect(Math.abs(misread.variance - 0.01)).toBeGreaterThan(varianceBand(0.01, 3, misread.n));
  });
});

describe('initialization: the notes (fixtures)', () => {
  it('G1 N(0, 0.01) is a variance: gaussianInit(…, 0.01, …) draws 0.1 × the unit normals', () => {
    expect(Math.sqrt(gaussianReading.input.variance)).toBe(gaussianReading.expected.std);
    expect(G.gaussianInit(3, 2, gaussianReading.input.variance, 5)).toEqual(normalMatrix(createRandom(5), 2, 3, 0, gaussianReading.expected.std));
  });

  it('G1 U[−0.5, 0.5] has variance (2·0.5)²/12 = 1/12', () => {
    expect((2 * uniformRange.input.limit) ** 2 / 12).toBe(uniformRange.expected.variance);
    expectMoments(flat(G.uniformInit(100, 100, uniformRange.input.limit, 23)), uniformRange.expected.variance, 9 / 5, 'uniformInit(100, 100, 0.5)');
  });

  it.each(xavierFactors)('$id: xavierFactor($input.fanIn) = $expected', ({ input, expected }) => {
    expectAllClose(G.xavierFactor(input.fanIn), expected, BIGNUMBER);
  });

  it("G2 Glorot's bounds: normalised √6/√150 = 0.2; the heuristic 1/√100 = 0.1 is the Xavier factor", () => {
    const { fanIn, fanOut } = glorotBounds.input;
    expectAllClose(G.xavierUniformLimit(fanIn, fanOut), glorotBounds.expected.normalised, BIGNUMBER);
    expectAllClose(G.xavierFactor(fanIn), glorotBounds.expected.heuristic, BIGNUMBER);
    const m = moments(flat(G.xavierHeuristicUniform(fanIn, fanOut, 29)));
    expect(m.maxAbs).toBeLessThanOrEqual(glorotBounds.expected.heuristic);
    expect(m.maxAbs).toBeGreaterThan(glorotBounds.expected.heuristic * (1 - 3e-3)); // 5000 draws: (1 − 0.003)^5000 = e^−15
  });

  it.each(heFactors)('$id: heFactor($input.fanIn) = $expected', ({ input, expected }) => {
    expectAllClose(G.heFactor(input.fanIn), expected, BIGNUMBER);
  });

  it('G3 "we add a scaling factor of 2^0.5": heFactor(m) = √2·xavierFactor(m) for every m', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 10_000_000 }), (m) => expectAllClose(G.heFactor(m), Math.SQRT2 * G.xavierFactor(m), BIGNUMBER)));
  });

  it.each(heConv)("$id: [Jung] MS Net, n_l = k²c and std √(2/n_l)", ({ input, expected }) => {
    const { k, c } = input;
    expect(k * k * c).toBe(expected.fanIn);
    expectAllClose(G.heFactor(expected.fanIn), expected.std, BIGNUMBER);
    // 64 filters: ≥ 9408 draws
    expectMoments(flat(G.heConvNormal(k, c, 64, 31)), expected.std ** 2, 3, `heConvNormal(${k}, ${c}, 64)`);
  });

  it.each(propagation)('$id: propagatedVariance($input.m, $input.varW, $input.varA) = $expected', ({ input, expected }) => {
    expectAllClose(G.propagatedVariance(input.m, input.varW, input.varA), expected, BIGNUMBER);
  });

  it("the Xavier slide's example start N(0, 0.01) scaled by √(1/m) leaves m·Var(W) = 0.01, not 1 (recorded note)", () => {
    const { m, startVariance } = xavierSlideNotes.input;
    const f2 = G.xavierFactor(m) ** 2;
    expectAllClose(G.propagatedVariance(m, f2 * startVariance, 1), xavierSlideNotes.expected.literal, BIGNUMBER);
    expectAllClose(G.propagatedVariance(m, f2 * 1, 1), xavierSlideNotes.expected.intended, BIGNUMBER);
    // and the Monte Carlo agrees: m = 100 inputs with Var(W) = 0.01/100, 10⁴ units (κ = 3.06)
    expectMoments(G.simulatePreactivations(m, f2 * startVariance, 1, 10_000, 37), xavierSlideNotes.expected.literal, 3 + 6 / m, 'literal reading');
  });
});

describe('initialization: the documented draw order', () => {
  const seed = fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 });
  const size = fc.integer({ min: 1, max: 7 });

  it('matrices are fanOut × fanIn, filled row by row from createRandom(seed) with the formula\'s scale', () => {
    fc.assert(
      fc.property(size, size, seed, (fanIn, fanOut, s) => {
        const U = (a: number) => uniformMatrix(createRandom(s), fanOut, fanIn, -a, a);
        const N = (std: number) => normalMatrix(createRandom(s), fanOut, fanIn, 0, std);
        expect(G.uniformInit(fanIn, fanOut, 0.5, s)).toEqual(U(0.5));
        expect(G.gaussianInit(fanIn, fanOut, 0.01, s)).toEqual(N(0.1));
        // the scales written as the reference writes them, so that the draws agree bit for bit
        expect(G.xavierHeuristicUniform(fanIn, fanOut, s)).toEqual(U(1 / Math.sqrt(fanIn)));
        expect(G.xavierUniform(fanIn, fanOut, s)).toEqual(U(Math.sqrt(6) / Math.sqrt(fanIn + fanOut)));
        expect(G.heNormal(fanIn, fanOut, s)).toEqual(N(Math.sqrt(2 / fanIn)));
      }),
    );
  });

  it('heConvNormal(k, c, F, seed): filter f, flattened in [c][i][j] order, is row f of heNormal(k²c, F, seed)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 }), seed, (k, c, F, s) => {
        const W = G.heConvNormal(k, c, F, s);
        expect([W.length, W[0].length, W[0][0].length, W[0][0][0].length]).toEqual([F, c, k, k]);
        expect(W.map(flat)).toEqual(G.heNormal(k * k * c, F, s));
      }),
    );
  });

  it('simulatePreactivations draws all of W (samples × m) first, then all of A, and sums over k', () => {
    fc.assert(
      fc.property(size, size, seed, (m, n, s) => {
        const r = createRandom(s);
        const W = normalMatrix(r, n, m, 0, Math.sqrt(0.5));
        const A = normalMatrix(r, n, m, 0, Math.sqrt(3));
        expect(G.simulatePreactivations(m, 0.5, 3, n, s)).toEqual(W.map((w, i) => w.reduce((z, v, k) => z + v * A[i][k], 0)));
      }),
    );
  });

  it('the same seed gives the same matrix, another seed another', () => {
    expect(G.heNormal(5, 4, 99)).toEqual(G.heNormal(5, 4, 99));
    expect(G.heNormal(5, 4, 99)).not.toEqual(G.heNormal(5, 4, 100));
  });
});

describe('initialization: seeded statistics and the variance they propagate', () => {
  it('each initialiser has mean 0 and its formula\'s variance over 10⁴+ draws (fans 200 and 60, both ways round)', () => {
    for (const [fanIn, fanOut] of [[200, 60], [60, 200]]) {
      const n = `(${fanIn}, ${fanOut})`;
      expectMoments(flat(G.uniformInit(fanIn, fanOut, 2, 41)), 4 / 3, 9 / 5, `uniformInit${n}`);
      expectMoments(flat(G.gaussianInit(fanIn, fanOut, 0.1, 43)), 0.1, 3, `gaussianInit${n}`);
      expectMoments(flat(G.xavierHeuristicUniform(fanIn, fanOut, 47)), 1 / (3 * fanIn), 9 / 5, `xavierHeuristicUniform${n}`);
      expectMoments(flat(G.xavierUniform(fanIn, fanOut, 53)), 2 / (fanIn + fanOut), 9 / 5, `xavierUniform${n}`);
      expectMoments(flat(G.heNormal(fanIn, fanOut, 59)), 2 / fanIn, 3, `heNormal${n}`);
    }
  });

  it('G4 Monte Carlo: the sample variance of z over 10⁴ units matches m·Var(W)·Var(a)', () => {
    for (const [m, varW, varA] of [[4, 0.5, 2], [16, 1 / 16, 1], [64, 2 / 64, 0.25], [100, 0.01, 3]]) {
      const z = G.simulatePreactivations(m, varW, varA, 10_000, m);
      expectMoments(z, G.propagatedVariance(m, varW, varA), 3 + 6 / m, `simulatePreactivations(${m}, ${varW}, ${varA})`);
    }
  });

  it('G3 why He: through 10 ReLU layers He keeps E[a²] near 1, the Xavier factor halves it at every layer (2^−10 after 10)', () => {
    // x ~ N(0, 1), 64 examples × 256 units; z = W·a, a = relu(z); E[relu(z)²] = ½·Var(z) = ½·m·Var(W)·E[a²]:
    // He (Var(W) = 2/m) keeps E[a²] = 1 in expectation, Xavier (1/m) halves it per layer.
    // For one draw of the weights, ln E[a²] after L layers fluctuates with sd ≈ √(5·L/width) (a
    // finite-width effect: Hanin & Nica, "Products of many large random matrices", 2019); measured
    // 0.47 at width 128 over 40 seeds, so ≈ 0.33 here: the band [1/8, 8] (ln 8 = 2.08) is ≥ 6 sd.
    const [width, batch, depth] = [256, 64, 10];
    const meanSquare = (a: number[][]) => a.flat().reduce((s, v) => s + v * v, 0) / (a.length * a[0].length);
    const forward = (a: number[][], W: number[][]) => a.map((x) => W.map((w) => Math.max(0, w.reduce((s, v, k) => s + v * x[k], 0))));
    let [he, xavier] = [normalMatrix(createRandom(61), batch, width, 0, 1), normalMatrix(createRandom(61), batch, width, 0, 1)];
    for (let l = 0; l < depth; l++) {
      he = forward(he, G.heNormal(width, width, 100 + l));
      xavier = forward(xavier, normalMatrix(createRandom(100 + l), width, width, 0, G.xavierFactor(width)));
    }
    expect(meanSquare(he)).toBeGreaterThan(1 / 8);
    expect(meanSquare(he)).toBeLessThan(8);
    // the same unit draws: W_xavier = W_he/√2 and relu(c·z) = c·relu(z) for c > 0, so exactly a 2^−10 factor
    // (the two nets round differently: ≤ ~1e−14 relative after 10 layers of 256-term sums)
    expectAllClose(meanSquare(xavier), 2 ** -depth * meanSquare(he), { rtol: 1e-12, atol: 0 });
  });
});

describe('initialization: invalid input is an error naming the function and the argument', () => {
  it.each([
    [() => G.uniformInit(0, 2, 0.5, 1), /uniformInit: argument 'fanIn' must be an integer ≥ 1; got 0/],
    [() => G.uniformInit(2, 2, 0, 1), /uniformInit: argument 'limit' must lie in \(0, 1e\+100\); got 0/],
    [() => G.gaussianInit(2, 2, -1, 1), /gaussianInit: argument 'variance' must lie in \[0, 1e\+100\]; got -1/],
    [() => G.heNormal(2, 1.5, 1), /heNormal: argument 'fanOut' must be an integer ≥ 1; got 1.5/],
    [() => G.heNormal(2, 2, 2 ** 31), /heNormal: argument 'seed' must be below 2\^31; got 2147483648/],
    [() => G.xavierUniform(2, 2, 0.5), /xavierUniform: argument 'seed' must be an integer ≥ -2147483648; got 0.5/],
    [() => G.xavierHeuristicUniform(1, 1, Number.NaN), /xavierHeuristicUniform: argument 'seed' must be a finite number; got NaN/],
    [() => G.xavierFactor(0), /xavierFactor: argument 'fanIn' must be an integer ≥ 1; got 0/],
    [() => G.heFactor(-1), /heFactor: argument 'fanIn' must be an integer ≥ 1; got -1/],
    [() => G.xavierUniformLimit(1, 0), /xavierUniformLimit: argument 'fanOut' must be an integer ≥ 1; got 0/],
    [() => G.heConvNormal(0, 1, 1, 1), /heConvNormal: argument 'k' must be an integer ≥ 1; got 0/],
    [() => G.heConvNormal(3, 1, 0, 1), /heConvNormal: argument 'filters' must be an integer ≥ 1; got 0/],
    [() => G.propagatedVariance(1.5, 1, 1), /propagatedVariance: argument 'm' must be an integer ≥ 1; got 1.5/],
    [() => G.propagatedVariance(1, -0.1, 1), /propagatedVariance: argument 'varW' must lie in \[0, 1e\+100\]; got -0.1/],
    [() => G.simulatePreactivations(2, 1, 1, 0, 1), /simulatePreactivations: argument 'samples' must be an integer ≥ 1; got 0/],
    [() => G.simulatePreactivations(2, 1, -1, 5, 1), /simulatePreactivations: argument 'varA' must lie in \[0, 1e\+100\]; got -1/],
  ])('%#', (call, message) => {
    expect(call).toThrowError(message);
  });
});
