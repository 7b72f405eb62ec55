/**
 * Family K (pooling): public checks. The notes' worked examples (max pooling on [Oh]'s 4×4
 * slice and on [Tu]'s 5×5 map, whose ties pin the first-maximum convention; the 3×3 averages
 * that [Tu] prints to one decimal, checked at their exact values), hand-derived sums and
 * gradients on the same inputs, then relations that need no reference: each output is the
 * max / mean / sum of its own window (random geometries: non-square maps, strides above and
 * below the window, leftover rows), the max sits at its switch, max pooling's gradient keeps
 * the mass of dout on the switches, and every backward against the numerical derivative of the
 * student's own forward (full on a tiny map, along random directions on larger ones).
 */
import fc from 'fast-check';
import { gapExamples, ohMax, ohMaxBackward, ohSlice, ohSpreadBackward, ohSum, tuAverage, tuAverageBackward, tuMap, tuMax, tuMaxBackward } from '../fixtures/pooling.fixtures.ts';
import { direction } from './engine/arbitraries.ts';
import { callText, EXACT, example, expectClose, expectThat, FLOAT64, NUMERIC, property } from './engine/checks.ts';
import { scaled, type Variants } from './engine/diagnose.ts';
import { directionalDerivative, numericalGradient } from './engine/numeric.ts';
import type { Check, FamilyGrader, StudentModule } from './engine/types.ts';
import { isImage, isObject } from './engine/shapes.ts';

type Vec = number[];
type Mat = number[][];
type Img = number[][][];
type S = StudentModule;

// ---------------------------------------------------------------------------------------------
// mistakes the reports name (the hidden checks use the same labels)

export const MISTAKES = {
  lastMax: 'ties sent to the last maximum of the window (>= instead of >); the convention is the first maximum in row-major order',
  relativeSwitch: 'switches counted inside the window (a·k + b) instead of as the flat index row·W + col in the whole H×W map',
  channelGlobal: 'switches counted across channels (c·H·W + row·W + col) instead of as row·W + col inside the H×W map of channel c',
  everyCell: "the max-pool gradient sent to every cell of the window instead of only to the window's maximum",
  overwrite: 'overlapping windows overwrite a shared cell instead of adding their contributions',
  notDivided: 'average pooling without dividing by k² (that is sum pooling)',
  byK: 'average pooling divided by k instead of k² (a k×k window has k² cells)',
  divided: 'sum pooling divided by k² (that is average pooling)',
  strideIgnored: 'the window of output (i, j) placed at (i, j) instead of (i·s, j·s): the stride ignored',
  byH: 'global average pooling divided by H only instead of H·W',
  bySquare: 'global average pooling divided by H² (a square map assumed) instead of H·W',
  gapSum: 'global average pooling without dividing by H·W (a global sum)',
} as const;

// ---------------------------------------------------------------------------------------------
// helpers

const dims = (x: Img): [number, number, number] => [x.length, x[0].length, x[0][0].length];
const sum = (v: Vec) => v.reduce((a, b) => a + b, 0);
const dot = (a: Vec, b: Vec) => a.reduce((s, v, i) => s + v * b[i], 0);
const flat = (x: Img): Vec => x.flat(2);
const shaped = (v: Vec, C: number, H: number, W: number): Img => Array.from({ length: C }, (_, c) => Array.from({ length: H }, (_, h) => v.slice((c * H + h) * W, (c * H + h + 1) * W)));
const outSize = (n: number, k: number, s: number) => Math.floor((n - k) / s) + 1;

/** The k×k window of channel xc whose top-left corner is (top, left), row-major. */
const windowOf = (xc: Mat, top: number, left: number, k: number): Vec => Array.from({ length: k * k }, (_, t) => xc[top + Math.floor(t / k)][left + (t % k)]);
/** out[c][i][j] = reduce(window at (i·s, j·s)); with `at` the window sits at (i·at, j·at) instead (stride-ignored variant). */
const pooled = (x: Img, k: number, s: number, reduce: (w: Vec) => number, at = s): Img =>
  x.map((xc) => Array.from({ length: outSize(xc.length, k, s) }, (_, i) => Array.from({ length: outSize(xc[0].length, k, s) }, (_, j) => reduce(windowOf(xc, i * at, j * at, k)))));
/** Adds weight·dout to every cell of each window (overwriting instead when `overwrite`). */
const spreadOf = (dout: Img, [C, H, W]: number[], k: number, s: number, weight: number, overwrite = false): Img => {
  const dx = shaped(new Array<number>(C * H * W).fill(0), C, H, W);
  dout.forEach((dc, c) => dc.forEach((row, i) => row.forEach((g, j) => {
    for (let r = i * s; r < i * s + k; r++) for (let q = j * s; q < j * s + k; q++) dx[c][r][q] = (overwrite ? 0 : dx[c][r][q]) + weight * g;
  })));
  return dx;
};

/** A pooling geometry: C channels of H×W (H ≠ W allowed), a k×k window that fits, stride s (below, at or above k). */
export interface PoolCase {
  C: number;
  H: number;
  W: number;
  size: number;
  stride: number;
}
export const poolCase = ({ maxC = 2, maxHW = 7, maxK = 3, maxS = 3, minK = 1 } = {}): fc.Arbitrary<PoolCase> =>
  fc.record({ C: fc.integer({ min: 1, max: maxC }), size: fc.integer({ min: minK, max: maxK }), stride: fc.integer({ min: 1, max: maxS }) }).chain((g) =>
    fc.record({ C: fc.constant(g.C), size: fc.constant(g.size), stride: fc.constant(g.stride), H: fc.integer({ min: g.size, max: maxHW }), W: fc.integer({ min: g.size, max: maxHW }) }),
  );

/**
 * Entries of magnitude in [0.1, 5] with either sign: shrinking stops at ±0.1, never at values so
 * small (1e−12) that every variant is within the absolute tolerance of the right answer.
 */
const entry = fc.tuple(fc.double({ min: 0.1, max: 5, noNaN: true }), fc.boolean()).map(([a, neg]) => (neg ? -a : a));
const imageOf = (C: number, H: number, W: number, e: fc.Arbitrary<number> = entry): fc.Arbitrary<Img> => fc.array(fc.array(fc.array(e, { minLength: W, maxLength: W }), { minLength: H, maxLength: H }), { minLength: C, maxLength: C });
/**
 * Distinct values at least 0.01 apart (hundredths in [−5, 5]): no ties, so each window has one
 * maximum and max pooling is differentiable there, with a margin far above the step h = 1e−5.
 */
const distinctImage = (C: number, H: number, W: number): fc.Arbitrary<Img> =>
  fc.uniqueArray(fc.integer({ min: -500, max: 500 }), { minLength: C * H * W, maxLength: C * H * W }).map((v) => shaped(v.map((a) => a / 100), C, H, W));
const withImage = (arb: fc.Arbitrary<PoolCase>, img: (C: number, H: number, W: number) => fc.Arbitrary<Img>) => arb.chain((g) => fc.tuple(fc.constant(g), img(g.C, g.H, g.W)));
const withDout = <T extends [PoolCase, Img]>(arb: fc.Arbitrary<T>) =>
  arb.chain((t) => fc.tuple(fc.constant(t), imageOf(t[0].C, outSize(t[0].H, t[0].size, t[0].stride), outSize(t[0].W, t[0].size, t[0].stride))));

// ---------------------------------------------------------------------------------------------
// calling the student's functions with shape checks

async function poolImage(s: S, name: string, x: Img, size: number, stride: number): Promise<Img> {
  const [C, H, W] = dims(x);
  const [OH, OW] = [outSize(H, size, stride), outSize(W, size, stride)];
  const r = await s.call(name, [x, size, stride]);
  expectThat(isImage(r, C, OH, OW), `${callText(name, [x, size, stride])} must return [${C}, ${OH}, ${OW}] (⌊(H − k)/s⌋ + 1 = ${OH}, ⌊(W − k)/s⌋ + 1 = ${OW}) of finite numbers`, r);
  return r as Img;
}

async function maxPoolOf(s: S, x: Img, size: number, stride: number): Promise<{ out: Img; cache: Record<string, unknown> }> {
  const [C, H, W] = dims(x);
  const [OH, OW] = [outSize(H, size, stride), outSize(W, size, stride)];
  const r = await s.call('maxPool', [x, size, stride]);
  const what = callText('maxPool', [x, size, stride]);
  expectThat(isObject(r) && isImage(r.out, C, OH, OW), `${what} must return { out: [${C}, ${OH}, ${OW}], cache } of finite numbers`, r);
  const o = r as { out: Img; cache: unknown };
  expectThat(isObject(o.cache) && isImage(o.cache.switches, C, OH, OW), `${what}: cache.switches must be [${C}, ${OH}, ${OW}]`, o.cache);
  return o as { out: Img; cache: Record<string, unknown> };
}

async function backward(s: S, name: string, args: unknown[], [C, H, W]: number[]): Promise<Img> {
  const r = await s.call(name, args);
  expectThat(isImage(r, C, H, W), `${callText(name, args)} must return dx of the input's shape [${C}, ${H}, ${W}] with finite entries`, r);
  return r as Img;
}

/**
 * The two numerical checks of a backward pass against the student's own forward, L(x) = Σ dout ⊙ forward(x):
 * the full gradient on a tiny map, and vᵀdx against the directional derivative on larger maps.
 */
function numericChecks(spec: {
  exercise: string;
  forward: string;
  hint: string;
  images: (C: number, H: number, W: number) => fc.Arbitrary<Img>;
  run: (s: S, x: Img, g: PoolCase) => Promise<Img>;
  grad: (s: S, x: Img, dout: Img, g: PoolCase) => Promise<Img>;
}): Check[] {
  const loss = (s: S, g: PoolCase, dout: Img) => async (v: Vec) => dot(flat(await spec.run(s, shaped(v, g.C, g.H, g.W), g)), flat(dout));
  return [
    property({
      id: `K2.${spec.exercise}.numeric`, exercise: spec.exercise, catalogue: 'K2', numRuns: 10,
      title: `dx equals the full numerical gradient of Σ dout ⊙ your ${spec.forward} on a small map (overlapping and strided windows)`,
      hint: spec.hint,
      arbitrary: withDout(withImage(poolCase({ maxC: 1, maxHW: 4, minK: 2 }), spec.images)),
      verify: async ([[g, x], dout], s) => {
        const dx = await spec.grad(s, x, dout, g);
        const numeric = await numericalGradient(loss(s, g, dout), flat(x));
        expectClose(dx, shaped(numeric, g.C, g.H, g.W), NUMERIC, `${spec.exercise} vs central differences of your ${spec.forward}`);
      },
    }),
    property({
      id: `K2.${spec.exercise}.directional`, exercise: spec.exercise, catalogue: 'K2', numRuns: 25,
      title: `along random directions v: vᵀdx equals the directional derivative of Σ dout ⊙ your ${spec.forward} (up to 3 channels of 9×9)`,
      hint: `${spec.hint} (a directional check, S3: every entry of dx enters vᵀdx)`,
      arbitrary: withDout(withImage(poolCase({ maxC: 3, maxHW: 9, maxK: 4, maxS: 4 }), spec.images)).chain((t) => fc.tuple(fc.constant(t), direction(t[0][0].C * t[0][0].H * t[0][0].W))),
      verify: async ([[[g, x], dout], v], s) => {
        const dx = await spec.grad(s, x, dout, g);
        const numeric = await directionalDerivative(loss(s, g, dout), flat(x), v);
        expectClose(dot(flat(dx), v), numeric, NUMERIC, `vᵀdx vs (L(x + hv) − L(x − hv))/2h of your ${spec.forward}`);
      },
    }),
  ];
}

// ---------------------------------------------------------------------------------------------
// K1 — max pooling

const relativeSwitches = (x: Img, switches: Img, k: number, s: number) => {
  const W = x[0][0].length;
  return switches.map((sc) => sc.map((row, i) => row.map((idx, j) => (Math.floor(idx / W) - i * s) * k + ((idx % W) - j * s))));
};

const maxPoolChecks: Check[] = [
  example({
    id: 'K1.maxPool.example', exercise: 'maxPool', catalogue: 'K1',
    title: "[Oh]'s 4×4 slice, 2×2 windows at stride 2: out = [[6, 8], [3, 4]], switches [[5, 7], [8, 15]], and the cache { x, switches, size, stride }",
    hint: 'K1: out[c][i][j] = max of the k×k window at (i·s, j·s); the switch is the flat index r·W + q of that maximum in the H×W map ([Oh] "MAX POOLING")',
    args: [[ohSlice], 2, 2],
    expected: { out: [ohMax.expected.out], cache: { x: [ohSlice], switches: [ohMax.expected.switches], size: 2, stride: 2 } },
    variants: { [MISTAKES.relativeSwitch]: { cache: { switches: relativeSwitches([ohSlice], [ohMax.expected.switches], 2, 2) } } },
  }),
  example({
    id: 'K1.maxPool.ties', exercise: 'maxPool', catalogue: 'K1',
    title: "[Tu]'s 5×5 map, 3×3 windows at stride 1: out = [[3, 3, 3], [3, 3, 3], [3, 2, 3]] and, where a window holds its maximum twice, the switch of the first in row-major order",
    hint: 'K1: scan each window row by row, left to right, and replace the best only on a strictly larger value: ties go to the first maximum (tfjs cpu\'s convention)',
    args: [[tuMap], 3, 1],
    expected: { out: [tuMax.expected.out], cache: { switches: [tuMax.expected.switches] } },
    variants: {
      [MISTAKES.lastMax]: { cache: { switches: [tuMax.lastMaxSwitches] } },
      [MISTAKES.relativeSwitch]: { cache: { switches: relativeSwitches([tuMap], [tuMax.expected.switches], 3, 1) } },
    },
  }),
  property({
    id: 'K1.maxPool.windows', exercise: 'maxPool', catalogue: 'K1', numRuns: 60,
    title: 'on random maps (non-square, stride below/at/above k, leftover rows): out has ⌊(H − k)/s⌋ + 1 rows, each out is the max of its window, and x at its switch is that max',
    hint: 'K1: window (i, j) covers rows i·s … i·s + k − 1 and columns j·s … j·s + k − 1; no padding, the output size is rounded down; switches are r·W + q',
    arbitrary: withImage(poolCase(), distinctImage),
    verify: async ([g, x], s) => {
      const { out, cache } = await maxPoolOf(s, x, g.size, g.stride);
      const expected = pooled(x, g.size, g.stride, (w) => Math.max(...w));
      expectClose(out, expected, FLOAT64, `${callText('maxPool', [x, g.size, g.stride])}.out`, { [MISTAKES.strideIgnored]: pooled(x, g.size, g.stride, (w) => Math.max(...w), 1) });
      // the values are distinct: each window has one maximum, at offset t = a·k + b inside the window
      const switches = pooled(x, g.size, g.stride, (w) => w.indexOf(Math.max(...w))).map((sc) => sc.map((row, i) => row.map((t, j) => (i * g.stride + Math.floor(t / g.size)) * g.W + j * g.stride + (t % g.size))));
      expectClose(cache.switches, switches, EXACT, 'cache.switches (r·W + q of each maximum)', {
        [MISTAKES.relativeSwitch]: relativeSwitches(x, switches, g.size, g.stride),
        [MISTAKES.channelGlobal]: switches.map((sc, c) => sc.map((row) => row.map((idx) => c * g.H * g.W + idx))),
      });
    },
  }),
];

// ---------------------------------------------------------------------------------------------
// K2 — max pooling backward

/** A cache to the contract for [Oh]'s and [Tu]'s examples (the first-maximum switches). */
const ohCache = { x: [ohSlice], switches: [ohMax.expected.switches], size: 2, stride: 2 };
const tuCache = { x: [tuMap], switches: [tuMax.expected.switches], size: 3, stride: 1 };
/** The gradient the switches route, overwriting a shared cell instead of adding (for the variant). */
const routed = (switches: Mat, dout: Mat, [H, W]: number[], overwrite: boolean): Mat => {
  const dx = Array.from({ length: H }, () => new Array<number>(W).fill(0));
  switches.forEach((row, i) => row.forEach((idx, j) => (dx[Math.floor(idx / W)][idx % W] = (overwrite ? 0 : dx[Math.floor(idx / W)][idx % W]) + dout[i][j])));
  return dx;
};

const maxPoolBackwardChecks: Check[] = [
  example({
    id: 'K2.maxPoolBackward.example', exercise: 'maxPoolBackward', catalogue: 'K2',
    title: "[Oh]'s slice (2×2, stride 2) with dout = [[1, 2], [3, 4]]: each gradient lands on its window's maximum (6, 8, 3, 4), zeros elsewhere",
    hint: 'K2: max pooling passes the gradient only to the recorded argmax ("switch") of each window ([Jung] "Pooling": save the switch index for backpropagation)',
    args: [[ohMaxBackward.input.dout], ohCache],
    expected: [ohMaxBackward.expected],
    variants: { [MISTAKES.everyCell]: spreadOf([ohMaxBackward.input.dout], [1, 4, 4], 2, 2, 1) },
  }),
  example({
    id: 'K2.maxPoolBackward.recorded-switches', exercise: 'maxPoolBackward', catalogue: 'K2',
    title: 'a 2×2 window of equal values whose cache records the switch at cell (1, 1): dout = 5 goes there, not to the first maximum',
    hint: 'K2: route each gradient through cache.switches, as recorded by the forward pass: do not find the maximum again from cache.x (on ties it may not be the cell the forward pass copied)',
    args: [[[[5]]], { x: [[[1, 1], [1, 1]]], switches: [[[3]]], size: 2, stride: 2 }],
    expected: [[[0, 0], [0, 5]]],
  }),
  example({
    id: 'K2.maxPoolBackward.overlap', exercise: 'maxPoolBackward', catalogue: 'K2',
    title: "[Tu]'s 5×5 map (3×3, stride 1, overlapping) with dout = 1: cell (1, 3) is the switch of three windows and receives 3, cell (2, 0) receives 2",
    hint: 'K2: a cell that is the maximum of several overlapping windows receives the SUM of their gradients (+=, not =)',
    args: [[tuMaxBackward.input.dout], tuCache],
    expected: [tuMaxBackward.expected],
    variants: {
      [MISTAKES.overwrite]: [routed(tuMax.expected.switches, tuMaxBackward.input.dout, [5, 5], true)],
      [MISTAKES.everyCell]: spreadOf([tuMaxBackward.input.dout], [1, 5, 5], 3, 1, 1),
      [MISTAKES.lastMax]: [routed(tuMax.lastMaxSwitches, tuMaxBackward.input.dout, [5, 5], false)],
    },
  }),
  property({
    id: 'K2.maxPoolBackward.switches-only', exercise: 'maxPoolBackward', catalogue: 'K2', numRuns: 40,
    title: 'with the cache of your maxPool: dx is 0 off the switches, and Σ dx = Σ dout in every channel (the gradient is routed, not copied)',
    hint: 'K2: each dout[c][i][j] goes to exactly one cell, its switch: the total is kept and no other cell of the window gets any',
    arbitrary: withDout(withImage(poolCase({ maxC: 2, maxHW: 7, maxK: 3, maxS: 3 }), distinctImage)),
    verify: async ([[g, x], dout], s) => {
      const { cache } = await maxPoolOf(s, x, g.size, g.stride);
      const dx = await backward(s, 'maxPoolBackward', [dout, cache], [g.C, g.H, g.W]);
      const onSwitch = (cache.switches as Img).map((sc) => new Set(sc.flat()));
      const off = dx.flatMap((ch, c) => ch.flatMap((row, h) => row.filter((v, w) => v !== 0 && !onSwitch[c].has(h * g.W + w))));
      expectThat(off.length === 0, `maxPoolBackward put gradient on ${off.length} cell(s) that are no window's switch`, dx);
      // both sides add the same ≤ 49 dout entries (|·| ≤ 5) in different orders: rounding ≤ 49·u·245 ≈ 1.3e−12
      // (u = 1.1e−16), far under 1e−9; sending dout to every cell multiplies the total by k² (k = 1 coincides)
      expectClose(dx.map((ch) => sum(ch.flat())), dout.map((ch) => sum(ch.flat())), { rtol: 1e-9, atol: 1e-9 }, 'Σ dx per channel (should be Σ dout)', {
        [MISTAKES.everyCell]: dout.map((ch) => g.size * g.size * sum(ch.flat())),
      });
    },
  }),
  ...numericChecks({
    exercise: 'maxPoolBackward', forward: 'maxPool',
    hint: 'K2: L = Σ dout ⊙ maxPool(x).out is linear in x near a tie-free x: ∂L/∂x sends each dout[c][i][j] to its switch and adds where windows overlap',
    images: distinctImage,
    run: async (s, x, g) => (await maxPoolOf(s, x, g.size, g.stride)).out,
    grad: async (s, x, dout, g) => backward(s, 'maxPoolBackward', [dout, (await maxPoolOf(s, x, g.size, g.stride)).cache], [g.C, g.H, g.W]),
  }),
];

// ---------------------------------------------------------------------------------------------
// K1 — average and sum pooling

const mean = (w: Vec) => sum(w) / w.length;

function windowChecks(name: 'avgPool' | 'sumPool'): Check[] {
  const avg = name === 'avgPool';
  const reduce = avg ? mean : sum;
  const other = avg ? sum : mean;
  return [
    avg
      ? example({
          id: 'K1.avgPool.example', exercise: 'avgPool', catalogue: 'K1',
          title: "[Tu]'s 5×5 map, 3×3 windows at stride 1: [[15, 15, 15], [9, 11, 16], [10, 7, 12]]/9 (printed to one decimal: [[1.7, 1.7, 1.7], [1.0, 1.2, 1.8], [1.1, 0.8, 1.3]])",
          hint: 'K1: out = (1/k²) Σ of the window; the slide rounds 15/9 = 1.666… to 1.7: return the exact mean',
          args: [[tuMap], 3, 1], expected: [tuAverage.expected],
          variants: { [MISTAKES.notDivided]: [tuAverage.sums], [MISTAKES.byK]: [scaled(tuAverage.sums, 1 / 3)] },
        })
      : example({
          id: 'K1.sumPool.example', exercise: 'sumPool', catalogue: 'K1',
          title: "[Oh]'s 4×4 slice, 2×2 windows at stride 2: sums [[13, 21], [8, 8]]",
          hint: 'K1: sum pooling ([Training] "Pooling": 3. Sum Pooling) adds the k² values of each window, without dividing',
          args: [[ohSlice], 2, 2], expected: [ohSum.expected],
          variants: { [MISTAKES.divided]: [scaled(ohSum.expected, 1 / 4)] },
        }),
    property({
      id: `K1.${name}.windows`, exercise: name, catalogue: 'K1', numRuns: 60,
      title: `on random maps (non-square, stride below/at/above k, leftover rows): each output is the ${avg ? 'mean' : 'sum'} of its k×k window at (i·s, j·s)`,
      hint: `K1: window (i, j) covers rows i·s … i·s + k − 1 and columns j·s … j·s + k − 1; ${avg ? 'divide by k²' : 'no division'}; output size ⌊(H − k)/s⌋ + 1`,
      arbitrary: withImage(poolCase(), (C, H, W) => imageOf(C, H, W)),
      verify: async ([g, x], s) => {
        const out = await poolImage(s, name, x, g.size, g.stride);
        expectClose(out, pooled(x, g.size, g.stride, reduce), FLOAT64, callText(name, [x, g.size, g.stride]), {
          [avg ? MISTAKES.notDivided : MISTAKES.divided]: pooled(x, g.size, g.stride, other),
          ...(avg ? { [MISTAKES.byK]: pooled(x, g.size, g.stride, (w) => sum(w) / g.size) } : {}),
          [MISTAKES.strideIgnored]: pooled(x, g.size, g.stride, reduce, 1),
        });
      },
    }),
  ];
}

// ---------------------------------------------------------------------------------------------
// K2 — average and sum pooling backward

function spreadChecks(name: 'avgPoolBackward' | 'sumPoolBackward'): Check[] {
  const avg = name === 'avgPoolBackward';
  const forward = avg ? 'avgPool' : 'sumPool';
  const spec = ohSpreadBackward.input;
  const tu = tuAverageBackward.input;
  const weight = (k: number) => (avg ? 1 / (k * k) : 1);
  return [
    example({
      id: `K2.${name}.example`, exercise: name, catalogue: 'K2',
      title: `2×2 windows at stride 2 on a 4×4 map, dout = [[1, 2], [3, 4]]: each 2×2 block holds ${avg ? 'a quarter of ' : ''}its window's gradient`,
      hint: `K2: ${avg ? 'average pooling spreads each gradient evenly: dout/k² to each of the k² cells' : 'sum pooling copies each gradient to all k² cells of its window'}`,
      args: [[spec.dout], spec.shape, 2, 2], expected: [avg ? ohSpreadBackward.expected.avg : ohSpreadBackward.expected.sum],
      variants: avg
        ? { [MISTAKES.notDivided]: [ohSpreadBackward.expected.sum], [MISTAKES.byK]: [scaled(ohSpreadBackward.expected.sum, 1 / 2)] }
        : { [MISTAKES.divided]: [ohSpreadBackward.expected.avg] },
    }),
    example({
      id: `K2.${name}.overlap`, exercise: name, catalogue: 'K2',
      title: `3×3 windows at stride 1 on a 5×5 map (overlapping), dout = 1: cell (r, q) lies in n_r·n_q windows, n = [1, 2, 3, 2, 1], and receives n_r·n_q${avg ? '/9' : ''}`,
      hint: 'K2: a cell shared by several overlapping windows receives the SUM of their contributions (+=, not =)',
      args: [[tu.dout], tu.shape, 3, 1], expected: [scaled(tuAverageBackward.expected, avg ? 1 : 9)],
      variants: {
        [MISTAKES.overwrite]: spreadOf([tu.dout], tu.shape, 3, 1, weight(3), true),
        [avg ? MISTAKES.notDivided : MISTAKES.divided]: spreadOf([tu.dout], tu.shape, 3, 1, avg ? 1 : 1 / 9),
        ...(avg ? { [MISTAKES.byK]: spreadOf([tu.dout], tu.shape, 3, 1, 1 / 3) } : {}),
      },
    }),
    property({
      id: `K2.${name}.strided`, exercise: name, catalogue: 'K2', numRuns: 40,
      title: `on random geometries (non-square, stride above and below k, leftover rows): Σ dx = ${avg ? 'Σ dout' : 'k²·Σ dout'} per channel and leftover rows/columns get 0`,
      hint: `K2: window (i, j) sends ${avg ? 'dout[c][i][j]/k²' : 'dout[c][i][j]'} to each of its k² cells at rows i·s … i·s + k − 1, columns j·s … j·s + k − 1; cells in no window get nothing`,
      arbitrary: withDout(poolCase({ maxHW: 9, maxK: 3, maxS: 4 }).map((g): [PoolCase, Img] => [g, []])),
      verify: async ([[g], dout], s) => {
        const shape = [g.C, g.H, g.W];
        const dx = await backward(s, name, [dout, shape, g.size, g.stride], shape);
        const [OH, OW] = [outSize(g.H, g.size, g.stride), outSize(g.W, g.size, g.stride)];
        // cell n of an axis lies in some window i·s … i·s + k − 1 with 0 ≤ i < O
        const inWindow = (n: number, O: number) => Array.from({ length: O }, (_, i) => i * g.stride).some((t) => n >= t && n < t + g.size);
        const covered = (h: number, w: number) => inWindow(h, OH) && inWindow(w, OW);
        const stray = dx.flatMap((ch) => ch.flatMap((row, h) => row.filter((v, w) => v !== 0 && !covered(h, w))));
        expectThat(stray.length === 0, `${name} put gradient on ${stray.length} cell(s) that lie in no window (leftover rows/columns, or gaps when s > k)`, dx);
        const k2 = g.size * g.size;
        const expected = dout.map((ch) => weight(g.size) * k2 * sum(ch.flat()));
        // Σ dx adds k²·OH·OW ≤ 9·81 weighted copies of dout entries (|·| ≤ 5) in another order than Σ dout: rounding
        // ≤ 729·u·3645 ≈ 3e−10 at worst (u = 1.1e−16), under 1e−9; a wrong weight (1/k, 1, 1/k²) is off by a factor ≥ 2 when k ≥ 2
        expectClose(dx.map((ch) => sum(ch.flat())), expected, { rtol: 1e-9, atol: 1e-9 }, `Σ dx per channel (should be ${avg ? 'Σ dout' : 'k²·Σ dout'})`, {
          [avg ? MISTAKES.notDivided : MISTAKES.divided]: dout.map((ch) => (avg ? k2 : 1) * sum(ch.flat())),
          ...(avg ? { [MISTAKES.byK]: dout.map((ch) => g.size * sum(ch.flat())) } : {}),
        });
      },
    }),
    ...numericChecks({
      exercise: name, forward,
      hint: `K2: ${forward} is linear, so its backward is its adjoint: ⟨${forward}(x), dout⟩ = ⟨x, dx⟩ for every x`,
      images: (C, H, W) => imageOf(C, H, W),
      run: (s, x, g) => poolImage(s, forward, x, g.size, g.stride),
      grad: (s, _x, dout, g) => backward(s, name, [dout, [g.C, g.H, g.W], g.size, g.stride], [g.C, g.H, g.W]),
    }),
  ];
}

// ---------------------------------------------------------------------------------------------
// K3 — global average pooling

/** ÷H, ÷H² and no division; on a one-row map (H = 1) they coincide and none is named. */
const gapVariants = (x: Img): Variants => {
  const H = x[0].length;
  const sums = x.map((ch) => sum(ch.flat()));
  return { [MISTAKES.byH]: sums.map((v) => v / H), [MISTAKES.bySquare]: sums.map((v) => v / (H * H)), [MISTAKES.gapSum]: sums };
};
const gapBackVariants = (dout: Vec, [, H, W]: number[]): Variants => ({
  [MISTAKES.byH]: dout.map((g) => Array.from({ length: H }, () => new Array<number>(W).fill(g / H))),
  [MISTAKES.bySquare]: dout.map((g) => Array.from({ length: H }, () => new Array<number>(W).fill(g / (H * H)))),
  [MISTAKES.gapSum]: dout.map((g) => Array.from({ length: H }, () => new Array<number>(W).fill(g))),
});
/** H ≥ 2 (where 1/H and 1/H² differ) and W ≠ H (where H·W and H² differ). */
const nonSquare = fc.record({ C: fc.integer({ min: 1, max: 3 }), H: fc.integer({ min: 2, max: 6 }), W: fc.integer({ min: 1, max: 6 }) }).filter((g) => g.H !== g.W);

const gapChecks: Check[] = [
  example({
    id: 'K3.globalAvgPool.example', exercise: 'globalAvgPool', catalogue: 'K3',
    title: "[Tu]'s two 3×3 channels [[0,1,2],[3,4,5],[6,7,8]] and [[1,2,3],[4,5,6],[7,8,9]]: F = [36/9, 45/9] = [4, 5]",
    hint: 'K3: F_k = (1/HW) Σ_{h,w} f_{h,w,k} — one mean per channel over all its H·W positions ([Training] "Global Average Pooling")',
    args: [gapExamples[0].input.x], expected: gapExamples[0].expected, variants: gapVariants(gapExamples[0].input.x),
  }),
  property({
    id: 'K3.globalAvgPool.non-square', exercise: 'globalAvgPool', catalogue: 'K3', numRuns: 50,
    title: 'on non-square maps (H ≠ W): F_c is the mean of the H·W values of channel c',
    hint: 'K3: divide by H·W, the number of positions, not by H or H²',
    arbitrary: nonSquare.chain((g) => imageOf(g.C, g.H, g.W)),
    verify: async (x, s) => {
      const r = await s.call('globalAvgPool', [x]);
      const expected = x.map((ch) => mean(ch.flat()));
      expectThat(Array.isArray(r) && r.length === x.length, `${callText('globalAvgPool', [x])} must return one number per channel (${x.length})`, r);
      expectClose(r, expected, FLOAT64, callText('globalAvgPool', [x]), gapVariants(x));
    },
  }),
  example({
    id: 'K3.globalAvgPoolBackward.example', exercise: 'globalAvgPoolBackward', catalogue: 'K3',
    title: 'dout = [1, 2] for shape [2, 2, 3]: every position of channel c receives dout_c/6',
    hint: 'K3: F_c is a mean of H·W values, so ∂F_c/∂f_{h,w,c} = 1/(HW) at every position',
    args: [[1, 2], [2, 2, 3]], expected: [[[1 / 6, 1 / 6, 1 / 6], [1 / 6, 1 / 6, 1 / 6]], [[1 / 3, 1 / 3, 1 / 3], [1 / 3, 1 / 3, 1 / 3]]],
    variants: gapBackVariants([1, 2], [2, 2, 3]),
  }),
  property({
    id: 'K3.globalAvgPoolBackward.directional', exercise: 'globalAvgPoolBackward', catalogue: 'K3', numRuns: 30,
    title: 'along random directions v on non-square maps: vᵀdx equals the directional derivative of Σ dout ⊙ your globalAvgPool',
    hint: 'K3: the backward pass of a mean over H·W positions: dout_c/(HW) everywhere in channel c',
    arbitrary: nonSquare.chain((g) => fc.tuple(imageOf(g.C, g.H, g.W), fc.array(entry, { minLength: g.C, maxLength: g.C }), direction(g.C * g.H * g.W))),
    verify: async ([x, dout, v], s) => {
      const [C, H, W] = dims(x);
      const dx = await backward(s, 'globalAvgPoolBackward', [dout, [C, H, W]], [C, H, W]);
      const loss = async (u: Vec) => dot((await s.call('globalAvgPool', [shaped(u, C, H, W)])) as Vec, dout);
      const numeric = await directionalDerivative(loss, flat(x), v);
      expectClose(dot(flat(dx), v), numeric, NUMERIC, 'vᵀdx vs (L(x + hv) − L(x − hv))/2h of your globalAvgPool', Object.fromEntries(Object.entries(gapBackVariants(dout, [C, H, W])).map(([k, d]) => [k, dot(flat(d as Img), v)])));
    },
  }),
];

export const pooling: FamilyGrader = {
  id: 'K',
  module: 'pooling',
  title: 'Pooling',
  exercises: [
    { name: 'maxPool', catalogue: 'K1', arity: 3, summary: 'max of each k×k window at stride s, with the switches r·W + q (first maximum on ties)' },
    { name: 'maxPoolBackward', catalogue: 'K2', arity: 2, summary: 'dout routed to the switches, summed where windows overlap' },
    { name: 'avgPool', catalogue: 'K1', arity: 3, summary: 'mean of each k×k window at stride s (no padding)' },
    { name: 'avgPoolBackward', catalogue: 'K2', arity: 4, summary: 'dout/k² spread over each window, summed where windows overlap' },
    { name: 'sumPool', catalogue: 'K1', arity: 3, summary: 'sum of each k×k window at stride s' },
    { name: 'sumPoolBackward', catalogue: 'K2', arity: 4, summary: 'dout copied to each window cell, summed where windows overlap' },
    { name: 'globalAvgPool', catalogue: 'K3', arity: 1, summary: 'F_c = (1/HW) Σ_{h,w} x[c][h][w]' },
    { name: 'globalAvgPoolBackward', catalogue: 'K3', arity: 2, summary: 'dout_c/(HW) at every position of channel c' },
  ],
  checks: [
    ...maxPoolChecks,
    ...maxPoolBackwardChecks,
    ...windowChecks('avgPool'),
    ...spreadChecks('avgPoolBackward'),
    ...windowChecks('sumPool'),
    ...spreadChecks('sumPoolBackward'),
    ...gapChecks,
  ],
};
