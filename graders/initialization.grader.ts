/**
 * Family G (weight initialisation): public checks.
 *
 * Every initialiser is a pure function of its sizes and a seed, drawn from the provided
 * random.ts in a documented order, so the checks can be exact: for a small case the expected
 * matrix is built here from createRandom(seed) and the catalogue formula (the contract, not a
 * solution), and a wrong scale, shape or draw order is named ("this looks like: …"). Then seeded
 * statistics of large draws against the formula's mean and variance, with bounds that cannot
 * flake (reasoning at SD below), and relations that need no solution: the same seed gives the
 * same matrix, √-scaling with the variance, conv filters are rows of fan-in k²c, Var(z) is
 * linear in m, Var(W) and Var(a).
 */
import fc from 'fast-check';
import { createRandom, normalMatrix, uniformMatrix, type Random } from '../exercises/random.ts';
import { gaussianReading, glorotBounds, heFactors, propagation, xavierFactors } from '../fixtures/initialization.fixtures.ts';
import { example, expectClose, expectThat, property, callText, EXACT, FLOAT64, PropertyFailure } from './engine/checks.ts';
import { fmt, shapeOf, short } from './engine/compare.ts';
import { scaled, transposed, type Variants } from './engine/diagnose.ts';
import type { Check, FamilyGrader, StudentModule } from './engine/types.ts';

type Matrix = number[][];

/** The mistakes the reports name (hidden checks and mutants use the same words). */
export const MISTAKES = {
  xavierForHe: 'the Xavier factor √(1/m) used for He (He is √(2/m))',
  heForXavier: 'the He factor √(2/m) used for Xavier (Xavier is √(1/m))',
  varianceAsStd: 'the variance used as the standard deviation (a N(0, σ²) draw is σ·z with σ = √variance)',
  swapped: 'rows and columns swapped (W has fanOut rows, one per unit, and fanIn columns, one per input)',
  columnOrder: 'filled column by column (the draw order is row by row)',
  fanOut: 'the fan-out used where the fan-in belongs (m^(l−1) = n = the inputs of the layer = the columns of W)',
  notCentred: 'U[0, 2·limit) instead of U[−limit, limit) (not centred on 0)',
  halfWidth: 'limit taken as the width of the interval (U[−limit/2, limit/2))',
  noSqrt: 'the square root missing (1/m is the variance, √(1/m) the factor)',
  heNoSqrt: 'the square root missing (2/m is the variance, √(2/m) the factor)',
  sqrtM: '√m instead of √(1/m)',
  noSqrt6: 'the √6 missing from √6/√(n_j + n_{j+1})',
  noRoot: 'the square root missing: 6/(n_j + n_{j+1}) is L², not L',
  heuristicBound: 'the heuristic bound 1/√n used for the normalised initialisation (eq. 16 is √6/√(n_j + n_{j+1}))',
  normalisedBound: 'the normalised bound √6/√(n_j + n_{j+1}) used for the heuristic 1/√n',
  rootSum: '√6/(√n_j + √n_{j+1}): the root of the sum is not the sum of the roots',
  fanInOnly: '√6/√(2·n_j): only the fan-in, where eq. 16 has n_j + n_{j+1}',
  convKC: 'n_l = k·c (the window has k² positions: n_l = k²·c)',
  convOutputChannels: 'n_l counted with the output channels (k²·F is the fan-out; n_l = k²·c)',
  convNoArea: 'n_l = c (the kernel area k² missing: n_l = k²·c)',
  noM: 'the factor m missing (z sums m terms: Var(z) = m·Var(W)·Var(a))',
  stdProduct: 'standard deviations multiplied instead of variances',
  mSquared: 'm² instead of m',
  interleaved: 'weights and activations drawn alternately (draw all of W first, then all of A)',
  meanNotSum: 'the mean over the m inputs instead of the sum (z = Σ_k W_k·a_k)',
} as const;

// ---------------------------------------------------------------------------------------------
// Arbitraries

/**
 * Any seed in [−2³¹, 2³¹), shrinking towards 2026 rather than 0: createRandom(0) starts with the
 * uniforms 1 − 7e−12 and 0.75000001, so its first normal is 3e−7 (cos(2π·0.75) ≈ 0), which makes a
 * confusing counterexample. XOR with 2026 is a bijection of the int32 range.
 */
export const seed = fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }).map((s) => s ^ 2026);
/** A number spread evenly over [min, max] (fc.double would mostly give tiny magnitudes). */
const spread = (min: number, max: number) => fc.integer({ min: 0, max: 2 ** 30 }).map((k) => min + ((max - min) * k) / 2 ** 30);
/** Small sizes for the exact relations. */
const size = fc.integer({ min: 1, max: 6 });
/**
 * Fan-in and fan-out for the statistics: one of them s ∈ [60, 90], the other r·s with r ∈ {3, 4},
 * either way round. N = r·s² ≥ 10800 entries, and the two fans differ by at least 3×, so that a
 * fan-out used for the fan-in moves the variance by ≥ 3× (far outside the bound) and does not
 * coincide with another mistake (with r = 2, He's 2/fanOut would equal Xavier's 1/fanIn).
 */
const fans = fc.tuple(fc.integer({ min: 60, max: 90 }), fc.constantFrom(3, 4), fc.boolean()).map(([s, r, swap]) => (swap ? [s * r, s] : [s, s * r]) as [number, number]);
/** Variances away from 1, where σ and σ² differ by ≥ 4×: a variance used as a std is obvious. */
const farFromOne = fc.oneof(fc.constantFrom(0.01, 0.1), spread(0.001, 0.25), spread(4, 25));

// ---------------------------------------------------------------------------------------------
// Seeded statistics

/**
 * Bounds that cannot flake. For N independent draws with variance σ² and kurtosis κ = μ₄/σ⁴ (3 for a
 * normal, 9/5 for a uniform, 3 + 6/m for z = Σ of m products of independent normals), the sample
 * mean has standard deviation σ/√N and the sample variance (÷N) σ²·√((κ − 1)/N), with a bias of
 * −σ²/N. Every statistical check allows SD = 6.5 of those standard deviations (plus the bias). By
 * the central limit theorem a correct implementation falls outside with probability ≈ 8e−11 per
 * statistic; N ≥ 8000 keeps the estimators' skew small (a χ² with N degrees of freedom has
 * skewness √(8/N) ≤ 0.032, which moves the 6.5-sd tail to at most ~6.3 normal sd, < 3e−10). With
 * ≤ 4 runs × 2 statistics per check that is < 3e−9 per check and submission — and for a given
 * course seed the verdict is deterministic anyway: the seeds are fixed by the check id. A wrong
 * scale moves the variance by ≥ 20% (a factor 2 for the Xavier factor used for He), while the
 * allowance is ≤ 6.5·√(2/8000) = 10.3% (normal), ≤ 6.5·√(0.8/10800) = 5.6% (uniform) and
 * ≤ 6.5·√(2.75/10⁴) = 10.8% (z with m ≥ 8). A statistic names a mistake only when its variance
 * alone lies within the bound (two that both fit are named together).
 */
const SD = 6.5;

interface Target {
  variance: number;
  kurtosis: number;
}

/** The mean and variance (÷N) of `values` against a zero-mean target; variants name the variance a mistake gives. */
function expectMoments(values: number[], target: Target, what: string, variants: Record<string, number> = {}, meanVariants: Record<string, number> = {}): void {
  const n = values.length;
  const mean = values.reduce((s, v) => s + v, 0) / n;
  const variance = values.reduce((s, v) => s + (v - mean) ** 2, 0) / n;
  const meanBand = SD * Math.sqrt(target.variance / n);
  if (!(Math.abs(mean) <= meanBand)) {
    const diagnosis = Object.entries(meanVariants).find(([, m]) => Math.abs(mean - m) <= meanBand)?.[0];
    throw new PropertyFailure(
      `${what}: the sample mean of ${n} entries is ${fmt(mean)}; a zero-mean distribution of variance ${fmt(target.variance)} gives |mean| ≤ ${fmt(meanBand, 3)} (${SD} standard deviations of the sample mean)`,
      0, mean, diagnosis,
    );
  }
  const band = (v: number) => SD * v * Math.sqrt((target.kurtosis - 1) / n) + v / n;
  if (!(Math.abs(variance - target.variance) <= band(target.variance))) {
    const fits = Object.entries(variants).filter(([, v]) => Math.abs(variance - v) <= band(v)).map(([label]) => label);
    const diagnosis = fits.length > 0 ? fits.join(', or ') : undefined;
    throw new PropertyFailure(
      `${what}: the sample variance of ${n} entries is ${fmt(variance)}, expected ${fmt(target.variance)} ± ${fmt(band(target.variance), 3)} (${SD} standard deviations of the sample variance)`,
      target.variance, variance, diagnosis,
    );
  }
}

/** `received` has exactly `shape` and only finite numbers; a transposed shape is named. */
function expectShape(received: unknown, shape: number[], call: string, swapped?: number[]): void {
  const s = shapeOf(received);
  if (s === null || s.join() !== shape.join()) {
    const diagnosis = swapped && s?.join() === swapped.join() ? MISTAKES.swapped : undefined;
    throw new PropertyFailure(`${call} returned ${s ? `shape [${s.join(', ')}]` : short(received)}, expected shape [${shape.join(', ')}]`, undefined, received, diagnosis);
  }
  const flat = (received as unknown[]).flat(Infinity) as number[];
  const bad = flat.findIndex((v) => !Number.isFinite(v));
  expectThat(bad < 0, `${call} has a non-finite entry (${String(flat[bad])})`, received);
}

const flatten = (x: unknown): number[] => (x as unknown[]).flat(Infinity) as number[];
const call = (s: StudentModule, name: string, args: unknown[]) => s.call(name, args);

// ---------------------------------------------------------------------------------------------
// The contract's draws, built from the provided random.ts (fanOut rows × fanIn columns, row by row)

const SEED = 2026;
const drawUniform = (fanIn: number, fanOut: number, limit: number, s = SEED) => uniformMatrix(createRandom(s), fanOut, fanIn, -limit, limit);
const drawNormal = (fanIn: number, fanOut: number, std: number, s = SEED) => normalMatrix(createRandom(s), fanOut, fanIn, 0, std);

/** The shape and order mistakes of a fanOut × fanIn draw; `draw(fanIn, fanOut)` is the correct builder. */
function layoutVariants(fanIn: number, fanOut: number, draw: (fanIn: number, fanOut: number) => Matrix): Variants {
  const wrongShape = draw(fanOut, fanIn); // the fans swapped: fanIn rows × fanOut columns, filled row by row
  return { [MISTAKES.swapped]: wrongShape, [MISTAKES.columnOrder]: transposed(wrongShape) };
}

/**
 * Same seed → the same matrix; another seed → another; the shape is fanOut × fanIn. `scale` is
 * the third argument (limit, variance) of the initialisers that take one, null for (fanIn, fanOut, seed).
 */
function shapeAndSeed(exercise: string, catalogue: string, hint: string, scale: fc.Arbitrary<number> | null): Check {
  const argsOf = (fanIn: number, fanOut: number, p: number, sd: number) => (scale ? [fanIn, fanOut, p, sd] : [fanIn, fanOut, sd]);
  return property({
    id: `${catalogue}.${exercise}.shape-seed`, exercise, catalogue, hint, numRuns: 30,
    title: `${exercise} returns fanOut × fanIn, the same matrix for the same seed and another for another seed`,
    arbitrary: fc.tuple(size, size, scale ?? fc.constant(0), seed, seed).filter(([, , , a, b]) => a !== b),
    verify: async ([fanIn, fanOut, p, s1, s2], s) => {
      const args = argsOf(fanIn, fanOut, p, s1);
      const a = await call(s, exercise, args);
      expectShape(a, [fanOut, fanIn], callText(exercise, args), [fanIn, fanOut]);
      // EXACT: the second call repeats the first one's arithmetic on the same arguments, so a pure function of the seed gives the same bits
      expectClose(await call(s, exercise, args), a, EXACT, `a second ${callText(exercise, args)} (the same seed must give the same matrix: draw only from createRandom(seed), a new one in every call)`);
      const other = argsOf(fanIn, fanOut, p, s2);
      const b = await call(s, exercise, other);
      expectThat(JSON.stringify(b) !== JSON.stringify(a), `${callText(exercise, other)} equals the matrix for seed ${s1}: start createRandom from the seed argument`, b);
    },
  });
}

// ---------------------------------------------------------------------------------------------
// G1 — uniform and Gaussian

const uniformChecks: Check[] = [
  example({
    id: 'G1.uniformInit.draws', exercise: 'uniformInit', catalogue: 'G1',
    title: `uniformInit(3, 2, 0.5, ${SEED}) = uniformMatrix(createRandom(${SEED}), 2, 3, −0.5, 0.5): 2 rows (units) × 3 columns (inputs), row by row`,
    hint: 'G1: W ~ U[−0.5, 0.5] ("or better" than [0, 1]); W[j][k] = −limit + 2·limit·u, u from createRandom(seed), fanOut rows × fanIn columns filled row by row',
    args: [3, 2, 0.5, SEED], expected: drawUniform(3, 2, 0.5),
    variants: {
      ...layoutVariants(3, 2, (fi, fo) => drawUniform(fi, fo, 0.5)),
      [MISTAKES.notCentred]: drawUniform(3, 2, 0.5).map((row) => row.map((w) => w + 0.5)),
      [MISTAKES.halfWidth]: scaled(drawUniform(3, 2, 0.5), 0.5),
    },
  }),
  shapeAndSeed('uniformInit', 'G1', 'G1: a pure function of (fanIn, fanOut, limit, seed): createRandom(seed) inside, no Math.random()', fc.constantFrom(0.5, 1, 0.05, 3)),
  property({
    id: 'G1.uniformInit.statistics', exercise: 'uniformInit', catalogue: 'G1', numRuns: 4,
    title: 'a large uniformInit stays inside [−limit, limit] with mean 0 and variance limit²/3 (seeded)',
    hint: 'G1: U[−a, a] has mean 0 and variance (2a)²/12 = a²/3',
    arbitrary: fc.tuple(fans, spread(0.05, 5), seed),
    verify: async ([[fanIn, fanOut], limit, sd], s) => {
      const args = [fanIn, fanOut, limit, sd];
      const W = await call(s, 'uniformInit', args);
      expectShape(W, [fanOut, fanIn], callText('uniformInit', args), [fanIn, fanOut]);
      const w = flatten(W);
      expectMoments(w, { variance: limit ** 2 / 3, kurtosis: 9 / 5 }, callText('uniformInit', args), { [MISTAKES.halfWidth]: limit ** 2 / 12 }, { [MISTAKES.notCentred]: limit });
      // closed [−limit, limit] although U is half-open: −limit + 2·limit·u with u < 1 (or limit·(2u − 1)) can round to
      // limit itself but never past it (rounding is monotone and limit is a double), so every correct form stays inside
      const out = w.find((v) => !(v >= -limit && v <= limit));
      expectThat(out === undefined, `${callText('uniformInit', args)} has an entry ${String(out)} outside [−${limit}, ${limit}]`, out);
    },
  }),
];

const gaussianChecks: Check[] = [
  example({
    id: 'G1.gaussianInit.draws', exercise: 'gaussianInit', catalogue: 'G1',
    title: `gaussianInit(3, 2, 0.01, ${SEED}) = 0.1 × the normals of createRandom(${SEED}): N(0, 0.01) has σ² = 0.01, σ = 0.1`,
    hint: 'G1: N(μ = 0, σ² = 0.01) in the notes (and normal_(0.0, 0.1) in their PyTorch code): the argument is the variance, each entry σ·z with σ = √variance',
    args: [3, 2, gaussianReading.input.variance, SEED], expected: drawNormal(3, 2, gaussianReading.expected.std),
    variants: {
      [MISTAKES.varianceAsStd]: drawNormal(3, 2, gaussianReading.input.variance),
      ...layoutVariants(3, 2, (fi, fo) => drawNormal(fi, fo, 0.1)),
    },
  }),
  shapeAndSeed('gaussianInit', 'G1', 'G1: a pure function of (fanIn, fanOut, variance, seed): createRandom(seed) inside, no Math.random()', fc.constantFrom(0.01, 0.1, 1, 4)),
  property({
    id: 'G1.gaussianInit.statistics', exercise: 'gaussianInit', catalogue: 'G1', numRuns: 4,
    title: 'a large gaussianInit has mean 0 and the requested variance (seeded)',
    hint: 'G1: N(0, σ²): the argument is the variance σ², not the standard deviation',
    arbitrary: fc.tuple(fans, farFromOne, seed),
    verify: async ([[fanIn, fanOut], v, sd], s) => {
      const args = [fanIn, fanOut, v, sd];
      const W = await call(s, 'gaussianInit', args);
      expectShape(W, [fanOut, fanIn], callText('gaussianInit', args), [fanIn, fanOut]);
      expectMoments(flatten(W), { variance: v, kurtosis: 3 }, callText('gaussianInit', args), { [MISTAKES.varianceAsStd]: v * v });
    },
  }),
  property({
    id: 'G1.gaussianInit.sqrt-variance', exercise: 'gaussianInit', catalogue: 'G1',
    title: 'gaussianInit(…, 4·variance, seed) = 2 × gaussianInit(…, variance, seed): the draws scale with σ = √variance',
    hint: 'G1: quadrupling the variance doubles the standard deviation; the same seed gives the same unit normals',
    arbitrary: fc.tuple(size, size, spread(0.01, 10), seed),
    verify: async ([fanIn, fanOut, v, sd], s) => {
      const a = (await call(s, 'gaussianInit', [fanIn, fanOut, v, sd])) as Matrix;
      expectShape(a, [fanOut, fanIn], callText('gaussianInit', [fanIn, fanOut, v, sd]), [fanIn, fanOut]);
      const b = await call(s, 'gaussianInit', [fanIn, fanOut, 4 * v, sd]);
      expectClose(b, scaled(a, 2), FLOAT64, `${callText('gaussianInit', [fanIn, fanOut, 4 * v, sd])} vs 2 × ${callText('gaussianInit', [fanIn, fanOut, v, sd])}`, { [MISTAKES.varianceAsStd]: scaled(a, 4) });
    },
  }),
];

// ---------------------------------------------------------------------------------------------
// G2 — Xavier / Glorot

const xavierFactorChecks: Check[] = [
  example({
    id: 'G2.xavierFactor.example', exercise: 'xavierFactor', catalogue: 'G2', title: 'xavierFactor(100) = √(1/100) = 0.1',
    hint: 'G2: W^(l) := W^(l)·√(1/m^(l−1)), m^(l−1) = the number of inputs of the layer',
    args: [xavierFactors[0].input.fanIn], expected: xavierFactors[0].expected,
    variants: { [MISTAKES.noSqrt]: 1 / 100, [MISTAKES.heForXavier]: Math.sqrt(2 / 100), [MISTAKES.sqrtM]: 10 },
  }),
  property({
    id: 'G2.xavierFactor.variance', exercise: 'xavierFactor', catalogue: 'G2',
    title: 'm·xavierFactor(m)² = 1: unit-variance draws times the factor give m·Var(W) = 1 (G4 keeps Var(a))',
    hint: 'G2: Var(√(1/m)·z) = 1/m for Var(z) = 1, so m·Var(W)·Var(a) = Var(a)',
    arbitrary: fc.integer({ min: 1, max: 1_000_000 }),
    verify: async (m, s) => {
      const f = await call(s, 'xavierFactor', [m]);
      expectThat(typeof f === 'number' && Number.isFinite(f), `${callText('xavierFactor', [m])} returned ${short(f)}`, f);
      expectClose(m * (f as number) ** 2, 1, FLOAT64, `m·xavierFactor(m)² for m = ${m}`, { [MISTAKES.heForXavier]: 2, [MISTAKES.noSqrt]: 1 / m, [MISTAKES.sqrtM]: m * m });
    },
  }),
];

const { fanIn: FI, fanOut: FO } = glorotBounds.input;
const xavierLimitChecks: Check[] = [
  example({
    id: 'G2.xavierUniformLimit.example', exercise: 'xavierUniformLimit', catalogue: 'G2', title: 'xavierUniformLimit(100, 50) = √6/√150 = 0.2',
    hint: 'G2: Glorot eq. 16, L = √6/√(n_j + n_{j+1})',
    args: [FI, FO], expected: glorotBounds.expected.normalised,
    variants: {
      [MISTAKES.noSqrt6]: 1 / Math.sqrt(FI + FO), [MISTAKES.noRoot]: 6 / (FI + FO), [MISTAKES.heuristicBound]: 1 / Math.sqrt(FI),
      [MISTAKES.rootSum]: Math.sqrt(6) / (Math.sqrt(FI) + Math.sqrt(FO)), [MISTAKES.fanInOnly]: Math.sqrt(6 / (2 * FI)),
    },
  }),
  property({
    id: 'G2.xavierUniformLimit.variance', exercise: 'xavierUniformLimit', catalogue: 'G2',
    title: 'L(n_j, n_{j+1}) = L(n_{j+1}, n_j), and U[−L, L] has variance L²/3 = 2/(n_j + n_{j+1})',
    hint: 'G2: eq. 16 treats both fans alike (it balances the forward and the backward pass): Var = L²/3 = 2/(n_j + n_{j+1})',
    arbitrary: fc.tuple(fc.integer({ min: 1, max: 5000 }), fc.integer({ min: 1, max: 5000 })),
    verify: async ([a, b], s) => {
      const L = await call(s, 'xavierUniformLimit', [a, b]);
      expectThat(typeof L === 'number' && Number.isFinite(L), `${callText('xavierUniformLimit', [a, b])} returned ${short(L)}`, L);
      expectClose(await call(s, 'xavierUniformLimit', [b, a]), L, FLOAT64, `xavierUniformLimit(${b}, ${a}) vs xavierUniformLimit(${a}, ${b})`);
      expectClose((L as number) ** 2 / 3, 2 / (a + b), FLOAT64, `xavierUniformLimit(${a}, ${b})²/3 vs 2/(n_j + n_{j+1})`, { [MISTAKES.noSqrt6]: 1 / (3 * (a + b)) });
    },
  }),
];

const heuristicChecks: Check[] = [
  example({
    id: 'G2.xavierHeuristicUniform.draws', exercise: 'xavierHeuristicUniform', catalogue: 'G2',
    title: `xavierHeuristicUniform(3, 2, ${SEED}) = uniformMatrix(createRandom(${SEED}), 2, 3, −1/√3, 1/√3)`,
    hint: 'G2: Glorot eq. 1, U[−1/√n, 1/√n] with n "the size of the previous layer (the number of columns of W)" = fanIn',
    args: [3, 2, SEED], expected: drawUniform(3, 2, 1 / Math.sqrt(3)),
    variants: {
      [MISTAKES.fanOut]: drawUniform(3, 2, 1 / Math.sqrt(2)), [MISTAKES.noSqrt]: drawUniform(3, 2, 1 / 3), [MISTAKES.normalisedBound]: drawUniform(3, 2, Math.sqrt(6 / 5)),
      ...layoutVariants(3, 2, (fi, fo) => drawUniform(fi, fo, 1 / Math.sqrt(3))),
    },
  }),
  shapeAndSeed('xavierHeuristicUniform', 'G2', 'G2: a pure function of (fanIn, fanOut, seed): a new createRandom(seed) in every call, no Math.random() and no generator kept between calls', null),
  property({
    id: 'G2.xavierHeuristicUniform.statistics', exercise: 'xavierHeuristicUniform', catalogue: 'G2', numRuns: 4,
    title: 'a large xavierHeuristicUniform stays inside ±1/√fanIn with mean 0 and variance 1/(3·fanIn) (seeded)',
    hint: 'G2: U[−1/√n, 1/√n] has variance 1/(3n), n = fanIn',
    arbitrary: fc.tuple(fans, seed),
    verify: async ([[fanIn, fanOut], sd], s) => {
      const args = [fanIn, fanOut, sd];
      const W = await call(s, 'xavierHeuristicUniform', args);
      expectShape(W, [fanOut, fanIn], callText('xavierHeuristicUniform', args), [fanIn, fanOut]);
      const w = flatten(W);
      expectMoments(w, { variance: 1 / (3 * fanIn), kurtosis: 9 / 5 }, callText('xavierHeuristicUniform', args), {
        [MISTAKES.fanOut]: 1 / (3 * fanOut), [MISTAKES.noSqrt]: 1 / (3 * fanIn * fanIn), [MISTAKES.normalisedBound]: 2 / (fanIn + fanOut),
      });
      const a = 1 / Math.sqrt(fanIn);
      const out = w.find((v) => Math.abs(v) > a * (1 + 1e-12));
      expectThat(out === undefined, `${callText('xavierHeuristicUniform', args)} has an entry ${String(out)} outside ±1/√${fanIn}`, out);
    },
  }),
];

const xavierUniformChecks: Check[] = [
  example({
    id: 'G2.xavierUniform.draws', exercise: 'xavierUniform', catalogue: 'G2',
    title: `xavierUniform(3, 2, ${SEED}) = uniformMatrix(createRandom(${SEED}), 2, 3, −√6/√5, √6/√5)`,
    hint: 'G2: the normalised initialisation (eq. 16), U[−L, L] with L = √6/√(n_j + n_{j+1}), drawn like uniformInit',
    args: [3, 2, SEED], expected: drawUniform(3, 2, Math.sqrt(6 / 5)),
    variants: {
      [MISTAKES.heuristicBound]: drawUniform(3, 2, 1 / Math.sqrt(3)), [MISTAKES.noSqrt6]: drawUniform(3, 2, 1 / Math.sqrt(5)), [MISTAKES.noRoot]: drawUniform(3, 2, 6 / 5),
      ...layoutVariants(3, 2, (fi, fo) => drawUniform(fi, fo, Math.sqrt(6 / 5))),
    },
  }),
  shapeAndSeed('xavierUniform', 'G2', 'G2: a pure function of (fanIn, fanOut, seed): a new createRandom(seed) in every call, no Math.random() and no generator kept between calls', null),
  property({
    id: 'G2.xavierUniform.statistics', exercise: 'xavierUniform', catalogue: 'G2', numRuns: 4,
    title: 'a large xavierUniform stays inside ±√6/√(fanIn + fanOut) with mean 0 and variance 2/(fanIn + fanOut) (seeded)',
    hint: 'G2: U[−L, L] has variance L²/3 = 2/(n_j + n_{j+1}), and a uniform never leaves its interval',
    arbitrary: fc.tuple(fans, seed),
    verify: async ([[fanIn, fanOut], sd], s) => {
      const args = [fanIn, fanOut, sd];
      const W = await call(s, 'xavierUniform', args);
      expectShape(W, [fanOut, fanIn], callText('xavierUniform', args), [fanIn, fanOut]);
      const w = flatten(W);
      expectMoments(w, { variance: 2 / (fanIn + fanOut), kurtosis: 9 / 5 }, callText('xavierUniform', args), {
        [MISTAKES.heuristicBound]: 1 / (3 * fanIn), [MISTAKES.noSqrt6]: 1 / (3 * (fanIn + fanOut)),
      });
      const L = Math.sqrt(6) / Math.sqrt(fanIn + fanOut);
      const out = w.find((v) => Math.abs(v) > L * (1 + 1e-12));
      expectThat(out === undefined, `${callText('xavierUniform', args)} has an entry ${String(out)} outside ±√6/√(${fanIn} + ${fanOut}) = ±${fmt(L)}: a uniform, not a normal`, out);
    },
  }),
];

// ---------------------------------------------------------------------------------------------
// G3 — He

const heFactorChecks: Check[] = [
  example({
    id: 'G3.heFactor.example', exercise: 'heFactor', catalogue: 'G3', title: 'heFactor(8) = √(2/8) = 0.5',
    hint: 'G3: W^(l) := W^(l)·√(2/m^(l−1)): Xavier\'s factor times 2^0.5 ("we add a scaling factor of 2^0.5")',
    args: [heFactors[0].input.fanIn], expected: heFactors[0].expected,
    variants: { [MISTAKES.xavierForHe]: Math.sqrt(1 / 8), [MISTAKES.heNoSqrt]: 2 / 8 },
  }),
  property({
    id: 'G3.heFactor.variance', exercise: 'heFactor', catalogue: 'G3',
    title: 'm·heFactor(m)² = 2: He\'s ½·n_l·Var[w_l] = 1',
    hint: 'G3: a ReLU zeroes half of its inputs, so He doubles Xavier\'s variance: Var[w] = 2/n_l',
    arbitrary: fc.integer({ min: 1, max: 1_000_000 }),
    verify: async (m, s) => {
      const f = await call(s, 'heFactor', [m]);
      expectThat(typeof f === 'number' && Number.isFinite(f), `${callText('heFactor', [m])} returned ${short(f)}`, f);
      expectClose(m * (f as number) ** 2, 2, FLOAT64, `m·heFactor(m)² for m = ${m}`, { [MISTAKES.xavierForHe]: 1, [MISTAKES.heNoSqrt]: 4 / m });
    },
  }),
];

const heStd = Math.sqrt(2 / 3);
const heNormalChecks: Check[] = [
  example({
    id: 'G3.heNormal.draws', exercise: 'heNormal', catalogue: 'G3',
    title: `heNormal(3, 2, ${SEED}) = √(2/3) × the normals of createRandom(${SEED}), 2 rows × 3 columns`,
    hint: 'G3: W ~ N(0, 2/n_l), n_l = fanIn: unit normals times the He factor √(2/fanIn)',
    args: [3, 2, SEED], expected: drawNormal(3, 2, heStd),
    variants: {
      [MISTAKES.xavierForHe]: drawNormal(3, 2, Math.sqrt(1 / 3)), [MISTAKES.fanOut]: drawNormal(3, 2, 1), [MISTAKES.varianceAsStd]: drawNormal(3, 2, 2 / 3),
      ...layoutVariants(3, 2, (fi, fo) => drawNormal(fi, fo, heStd)),
    },
  }),
  shapeAndSeed('heNormal', 'G3', 'G3: a pure function of (fanIn, fanOut, seed): a new createRandom(seed) in every call, no Math.random() and no generator kept between calls', null),
  property({
    id: 'G3.heNormal.statistics', exercise: 'heNormal', catalogue: 'G3', numRuns: 4,
    title: 'a large heNormal has mean 0 and variance 2/fanIn (seeded)',
    hint: 'G3: Var[w] = 2/n_l with n_l the fan-in (the columns of W), twice the Xavier variance 1/n_l',
    arbitrary: fc.tuple(fans, seed),
    verify: async ([[fanIn, fanOut], sd], s) => {
      const args = [fanIn, fanOut, sd];
      const W = await call(s, 'heNormal', args);
      expectShape(W, [fanOut, fanIn], callText('heNormal', args), [fanIn, fanOut]);
      expectMoments(flatten(W), { variance: 2 / fanIn, kurtosis: 3 }, callText('heNormal', args), {
        [MISTAKES.xavierForHe]: 1 / fanIn, [MISTAKES.fanOut]: 2 / fanOut, [MISTAKES.varianceAsStd]: 4 / fanIn ** 2,
      });
    },
  }),
];

/** filters[f][c][i][j] = std·z, z the normals of createRandom(seed) in that order. */
function drawFilters(k: number, c: number, F: number, std: number, s = SEED): number[][][][] {
  const r: Random = createRandom(s);
  return Array.from({ length: F }, () => Array.from({ length: c }, () => Array.from({ length: k }, () => Array.from({ length: k }, () => std * r.normal()))));
}
/** F = 3 ≠ 2c: with F = 2c, k²F would equal 2·k²c and the output-channel mistake would look like Xavier's factor. */
const [CK, CC, CF] = [3, 2, 3];
const heConvChecks: Check[] = [
  example({
    id: 'G3.heConvNormal.draws', exercise: 'heConvNormal', catalogue: 'G3',
    title: `heConvNormal(3, 2, 3, ${SEED}): 3 filters of 2×3×3, √(2/18) × the normals of createRandom(${SEED}) in the order [f][c][i][j]`,
    hint: 'G3: [Jung] "MS Net": Var[w] = 2/n_l with n_l = k²·c = 9·2 = 18, the inputs of one output unit',
    args: [CK, CC, CF, SEED], expected: drawFilters(CK, CC, CF, Math.sqrt(2 / (CK * CK * CC))),
    variants: {
      [MISTAKES.convKC]: drawFilters(CK, CC, CF, Math.sqrt(2 / (CK * CC))),
      [MISTAKES.convOutputChannels]: drawFilters(CK, CC, CF, Math.sqrt(2 / (CK * CK * CF))),
      [MISTAKES.convNoArea]: drawFilters(CK, CC, CF, Math.sqrt(2 / CC)),
      [MISTAKES.xavierForHe]: drawFilters(CK, CC, CF, Math.sqrt(1 / (CK * CK * CC))),
    },
  }),
  property({
    id: 'G3.heConvNormal.statistics', exercise: 'heConvNormal', catalogue: 'G3', numRuns: 4,
    title: 'a large heConvNormal has mean 0 and variance 2/(k²c) (seeded)',
    hint: 'G3: n_l = k²·c counts the input channels c (not the filters F) and the k×k window',
    // k ∈ {3, 5}, c ≤ 12 and F = ⌈8000/(k²c)⌉ ≥ 27 ≥ 2c: N ≥ 8000 entries, and n_l's mistakes move the variance ≥ 2×
    arbitrary: fc.tuple(fc.constantFrom(3, 5), fc.integer({ min: 2, max: 12 }), seed),
    verify: async ([k, c, sd], s) => {
      const F = Math.ceil(8000 / (k * k * c));
      const args = [k, c, F, sd];
      const W = await call(s, 'heConvNormal', args);
      expectShape(W, [F, c, k, k], callText('heConvNormal', args));
      expectMoments(flatten(W), { variance: 2 / (k * k * c), kurtosis: 3 }, callText('heConvNormal', args), {
        [MISTAKES.xavierForHe]: 1 / (k * k * c), [MISTAKES.convKC]: 2 / (k * c), [MISTAKES.convOutputChannels]: 2 / (k * k * F), [MISTAKES.convNoArea]: 2 / c,
      });
    },
  }),
  property({
    id: 'G3.heConvNormal.fan-in', exercise: 'heConvNormal', catalogue: 'G3',
    title: 'filter f of heConvNormal(k, c, F, seed), flattened in [c][i][j] order, is row f of your heNormal(k²c, F, seed)',
    hint: 'G3: a conv unit is a dense unit over its k×k×c window: fan-in n_l = k²c, and the draws follow [f][c][i][j]',
    arbitrary: fc.tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 }), seed),
    verify: async ([k, c, F, sd], s) => {
      const W = await call(s, 'heConvNormal', [k, c, F, sd]);
      expectShape(W, [F, c, k, k], callText('heConvNormal', [k, c, F, sd]));
      const rows = await call(s, 'heNormal', [k * k * c, F, sd]);
      const r = rows as Matrix;
      expectClose((W as unknown[]).map(flatten), rows, FLOAT64, `${callText('heConvNormal', [k, c, F, sd])}, each filter flattened, vs your ${callText('heNormal', [k * k * c, F, sd])}`, {
        [MISTAKES.convKC]: scaled(r, Math.sqrt(k)), [MISTAKES.convOutputChannels]: scaled(r, Math.sqrt(c / F)), [MISTAKES.xavierForHe]: scaled(r, Math.SQRT1_2),
      });
    },
  }),
];

// ---------------------------------------------------------------------------------------------
// G4 — variance propagation

const [m500] = propagation.filter((p) => p.id === 'G4-m500');
const propagatedChecks: Check[] = [
  example({
    id: 'G4.propagatedVariance.example', exercise: 'propagatedVariance', catalogue: 'G4', title: 'propagatedVariance(500, 0.01, 1) = 500·0.01·1 = 5 (the notes\' N(0, 0.01) with 500 inputs: the variance grows 5×)',
    hint: 'G4: Var(z) = Σ_{k=1}^{m} Var[W_k]·Var[a_k] = m·Var(W)·Var(a)',
    args: [m500.input.m, m500.input.varW, m500.input.varA], expected: m500.expected,
    variants: { [MISTAKES.noM]: 0.01, [MISTAKES.stdProduct]: 500 * 0.1, [MISTAKES.mSquared]: 500 * 500 * 0.01 },
  }),
  property({
    id: 'G4.propagatedVariance.linear', exercise: 'propagatedVariance', catalogue: 'G4',
    title: 'Var(z) doubles with m, triples with Var(W) and is 5× with 5·Var(a)',
    hint: 'G4: m·Var(W)·Var(a) is linear in each: variances of independent terms add, and Var(W·a) = Var(W)·Var(a) for zero means',
    arbitrary: fc.tuple(fc.integer({ min: 1, max: 1000 }), spread(0.01, 10), spread(0.01, 10)),
    verify: async ([m, w, a], s) => {
      const v = await call(s, 'propagatedVariance', [m, w, a]);
      expectThat(typeof v === 'number' && v > 0 && Number.isFinite(v), `${callText('propagatedVariance', [m, w, a])} = ${short(v)} is not a positive number`, v);
      const x = v as number;
      expectClose(await call(s, 'propagatedVariance', [2 * m, w, a]), 2 * x, FLOAT64, `propagatedVariance(2m, …) vs 2 × propagatedVariance(m, …) for m = ${m}`, { [MISTAKES.noM]: x, [MISTAKES.mSquared]: 4 * x });
      expectClose(await call(s, 'propagatedVariance', [m, 3 * w, a]), 3 * x, FLOAT64, 'propagatedVariance(m, 3·Var(W), Var(a)) vs 3 × propagatedVariance(m, Var(W), Var(a))', { [MISTAKES.stdProduct]: Math.sqrt(3) * x });
      expectClose(await call(s, 'propagatedVariance', [m, w, 5 * a]), 5 * x, FLOAT64, 'propagatedVariance(m, Var(W), 5·Var(a)) vs 5 × propagatedVariance(m, Var(W), Var(a))', { [MISTAKES.stdProduct]: Math.sqrt(5) * x });
    },
  }),
];

/** z_s = Σ_k W[s][k]·A[s][k]. */
const dots = (W: Matrix, A: Matrix) => W.map((row, s) => row.reduce((z, w, k) => z + w * A[s][k], 0));
/** The contract: all of W (samples × m) first, then all of A, from one createRandom(seed). */
function drawZ(m: number, varW: number, varA: number, samples: number, s = SEED): number[] {
  const r = createRandom(s);
  const W = normalMatrix(r, samples, m, 0, Math.sqrt(varW));
  return dots(W, normalMatrix(r, samples, m, 0, Math.sqrt(varA)));
}
/** The interleaved order: for each sample its m weights, then its m activations. */
function drawZInterleaved(m: number, varW: number, varA: number, samples: number, s = SEED): number[] {
  const r = createRandom(s);
  const pairs = Array.from({ length: samples }, () => [normalMatrix(r, 1, m, 0, Math.sqrt(varW))[0], normalMatrix(r, 1, m, 0, Math.sqrt(varA))[0]]);
  return dots(pairs.map((p) => p[0]), pairs.map((p) => p[1]));
}

const [SM, SVW, SVA, SN] = [3, 0.5, 3, 4];
const simulateChecks: Check[] = [
  example({
    id: 'G4.simulatePreactivations.draws', exercise: 'simulatePreactivations', catalogue: 'G4',
    title: `simulatePreactivations(3, 0.5, 3, 4, ${SEED}): W (4×3, std √0.5) then A (4×3, std √3) from createRandom(${SEED}), z_s = Σ_k W[s][k]·A[s][k]`,
    hint: 'G4: the experiment behind Var(z) = m·Var(W)·Var(a): W ~ N(0, varW), A ~ N(0, varA), all of W drawn before A, z sums over the m inputs',
    args: [SM, SVW, SVA, SN, SEED], expected: drawZ(SM, SVW, SVA, SN),
    variants: {
      [MISTAKES.interleaved]: drawZInterleaved(SM, SVW, SVA, SN),
      [MISTAKES.meanNotSum]: scaled(drawZ(SM, SVW, SVA, SN), 1 / SM),
      [MISTAKES.varianceAsStd]: scaled(drawZ(SM, SVW, SVA, SN), Math.sqrt(SVW * SVA)),
    },
  }),
  property({
    id: 'G4.simulatePreactivations.statistics', exercise: 'simulatePreactivations', catalogue: 'G4', numRuns: 4,
    title: 'over 10⁴ samples the pre-activations have mean 0 and variance m·Var(W)·Var(a) (seeded Monte Carlo)',
    hint: 'G4: Var(Σ_k W_k a_k) = m·Var(W)·Var(a) for independent zero-mean W and a; the arguments are variances',
    // m ≥ 8 keeps z's kurtosis 3 + 6/m ≤ 3.75 (near-normal estimators); Var(W)·Var(a) stays ≥ 2× away from 1
    arbitrary: fc.tuple(fc.integer({ min: 8, max: 32 }), farFromOne, spread(0.5, 2), seed).filter(([, w, a]) => w * a <= 0.5 || w * a >= 2),
    verify: async ([m, w, a, sd], s) => {
      const args = [m, w, a, 10_000, sd];
      const z = await call(s, 'simulatePreactivations', args);
      expectShape(z, [10_000], callText('simulatePreactivations', args));
      expectMoments(z as number[], { variance: m * w * a, kurtosis: 3 + 6 / m }, callText('simulatePreactivations', args), {
        [MISTAKES.varianceAsStd]: m * (w * a) ** 2, [MISTAKES.meanNotSum]: (w * a) / m, [MISTAKES.noM]: w * a,
      });
    },
  }),
  property({
    id: 'G4.simulatePreactivations.sqrt-variance', exercise: 'simulatePreactivations', catalogue: 'G4',
    title: 'simulatePreactivations(m, 4·Var(W), 9·Var(a), n, seed) = 6 × simulatePreactivations(m, Var(W), Var(a), n, seed)',
    hint: 'G4: the draws scale with the standard deviations √Var(W)·√Var(a); the same seed gives the same unit normals',
    arbitrary: fc.tuple(size, spread(0.01, 5), spread(0.01, 5), size, seed),
    verify: async ([m, w, a, n, sd], s) => {
      const z = (await call(s, 'simulatePreactivations', [m, w, a, n, sd])) as number[];
      expectShape(z, [n], callText('simulatePreactivations', [m, w, a, n, sd]));
      expectClose(await call(s, 'simulatePreactivations', [m, 4 * w, 9 * a, n, sd]), scaled(z, 6), FLOAT64, `${callText('simulatePreactivations', [m, 4 * w, 9 * a, n, sd])} vs 6 × ${callText('simulatePreactivations', [m, w, a, n, sd])}`, { [MISTAKES.varianceAsStd]: scaled(z, 36) });
    },
  }),
];

export const initialization: FamilyGrader = {
  id: 'G',
  module: 'initialization',
  title: 'Weight initialisation',
  exercises: [
    { name: 'uniformInit', catalogue: 'G1', arity: 4, summary: 'W ~ U[−limit, limit), fanOut × fanIn, row by row from createRandom(seed)' },
    { name: 'gaussianInit', catalogue: 'G1', arity: 4, summary: 'W ~ N(0, variance): σ = √variance' },
    { name: 'xavierFactor', catalogue: 'G2', arity: 1, summary: '√(1/m)' },
    { name: 'xavierUniformLimit', catalogue: 'G2', arity: 2, summary: '√6/√(n_j + n_{j+1})' },
    { name: 'xavierHeuristicUniform', catalogue: 'G2', arity: 3, summary: 'U[−1/√n, 1/√n], n = fanIn' },
    { name: 'xavierUniform', catalogue: 'G2', arity: 3, summary: 'U[±√6/√(fanIn + fanOut)]' },
    { name: 'heFactor', catalogue: 'G3', arity: 1, summary: '√(2/m)' },
    { name: 'heNormal', catalogue: 'G3', arity: 3, summary: 'N(0, 2/fanIn): unit normals × √(2/fanIn)' },
    { name: 'heConvNormal', catalogue: 'G3', arity: 4, summary: 'F×C×K×K filters, N(0, 2/(k²c)), drawn [f][c][i][j]' },
    { name: 'propagatedVariance', catalogue: 'G4', arity: 3, summary: 'm·Var(W)·Var(a)' },
    { name: 'simulatePreactivations', catalogue: 'G4', arity: 5, summary: 'z_s = Σ_k W[s][k]·A[s][k], all of W drawn before A' },
  ],
  checks: [
    ...uniformChecks, ...gaussianChecks, ...xavierFactorChecks, ...xavierLimitChecks, ...heuristicChecks, ...xavierUniformChecks,
    ...heFactorChecks, ...heNormalChecks, ...heConvChecks, ...propagatedChecks, ...simulateChecks,
  ],
};
