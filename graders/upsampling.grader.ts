/**
 * Family L (up-sampling): public checks. The notes' examples (nearest [[1,2],[3,4]] → 4×4,
 * bilinear [[10,20],[30,40]] → 4×4 with the printed truncation named as a mistake, the transposed
 * output sizes 2 → 4, 4 → 6, 8 → 10 and Figure 4.5), small hand-derived examples where the slide's
 * picture is lost, and relations that need no reference: nearest blocks are constant, bilinear
 * reproduces a linear ramp at the clamped half-pixel coordinate and commutes with mirroring, bed
 * of nails and unpooling put each value at one known place, a transposed conv's response to one
 * pixel is the kernel at (s·i − p, s·j − p), the bias shifts every output pixel by b[c], and the
 * overlap map is a product of 1-D counts, sums to n²k² and is uniform inside iff s divides k.
 */
import fc from 'fast-check';
import {
  bedOfNailsExample,
  bilinearExample,
  nearestExample,
  overlapExamples,
  transposedExample,
  transposedPaddedExample,
  transposedSizeExamples,
  transposedStrideExample,
  unpoolExample,
  unpoolOverlapExample,
} from '../fixtures/upsampling.fixtures.ts';
import { callText, EXACT, example, expectClose, expectThat, FLOAT64, property } from './engine/checks.ts';
import type { Check, FamilyGrader, StudentModule } from './engine/types.ts';
import { isImage, isMatrix } from './engine/shapes.ts';
import { eighths, imageOf } from './engine/arbitraries.ts';

type Mat = number[][];
type Img = number[][][];
type Flt = number[][][][];
type S = StudentModule;

// ---------------------------------------------------------------------------------------------
// mistakes the reports name (the hidden checks use the same labels)

export const MISTAKES = {
  roundNearest: 'nearest neighbour by Math.round(i/f) instead of ⌊i/f⌋',
  alignCorners: 'align-corners mapping src = i·(in − 1)/(out − 1) instead of half-pixel centres (i + ½)·in/out − ½',
  asymmetric: "tfjs's legacy mapping src = i·in/out (no half-pixel centres)",
  unclamped: 'the source coordinate not clamped to [0, in − 1]: the border pixels are extrapolated',
  truncated: 'the values truncated to integers (the slide prints them so; the exact values have .5s)',
  offCorner: 'each value placed at (⌊f/2⌋, ⌊f/2⌋) of its f×f block (the centre; for f = 2 the bottom-right corner) instead of the top-left corner (f·i, f·j)',
  topLeft: 'the switches ignored: each value placed at the top-left of its window',
  lastWins: 'a position chosen by two windows overwritten (the last value wins) instead of summed',
  firstWins: 'a position chosen by two windows keeps only the first value instead of the sum',
  flipped: 'the kernel rotated 180° in the scatter form (that is the direct form\'s kernel)',
  notFlipped: 'the direct form cross-correlates with the kernel as is: it must be rotated 180°',
  uncropped: 'the output s(n − 1) + k without the −2p: the padding is not cut from the output',
  kOverS: '⌊k/s⌋ overlaps everywhere: the borders and the alternation when s ∤ k are missing',
} as const;

// ---------------------------------------------------------------------------------------------
// helpers and generators

const shapeOf = (x: Img) => `${x.length}×${x[0].length}×${x[0][0].length}`;

/**
 * Multiples of ⅛ in [−max, max]: every value the checks (public and hidden) draw comes from this
 * grid, so shrinking ends at 0 or ±⅛ where a mistake is off by a visible amount, never at a tiny
 * double whose error sits right at the tolerance and reads like float noise. `nonzero` keeps 0
 * out, for values a mistake must move visibly (a zero pixel looks the same wherever it lands).
 */
const image = (C: number, H: number, W: number, entry = eighths(5, { nonzero: true })) => imageOf(C, H, W, entry);
const filters = (F: number, C: number, KH: number, KW: number, entry?: fc.Arbitrary<number>) => fc.array(image(C, KH, KW, entry), { minLength: F, maxLength: F });
const int = (min: number, max: number) => fc.integer({ min, max });
const build = (C: number, H: number, W: number, f: (c: number, i: number, j: number) => number): Img =>
  Array.from({ length: C }, (_, c) => Array.from({ length: H }, (_, i) => Array.from({ length: W }, (_, j) => f(c, i, j))));

/** Calls `name` and requires a C×H×W image of finite numbers. */
async function callImage(s: S, name: string, args: unknown[], [C, H, W]: [number, number, number]): Promise<Img> {
  const r = await s.call(name, args);
  expectThat(isImage(r, C, H, W), `${callText(name, args)} must return a ${C}×${H}×${W} image of finite numbers; got ${Array.isArray(r) && Array.isArray(r[0]) && Array.isArray(r[0][0]) ? shapeOf(r as Img) : typeof r}`, r);
  return r as Img;
}

// ---------------------------------------------------------------------------------------------
// L1 — nearest neighbour

const upsampleCase = fc.record({ C: int(1, 3), H: int(1, 4), W: int(1, 4), factor: int(1, 4) }).chain(({ C, H, W, factor }) => fc.record({ x: image(C, H, W), factor: fc.constant(factor) }));

const nearestChecks: Check[] = [
  example({
    id: 'L1.nearestUpsample.example', exercise: 'nearestUpsample', catalogue: 'L1',
    title: "the notes' [[1,2],[3,4]] with factor 2 → [[1,1,2,2],[1,1,2,2],[3,3,4,4],[3,3,4,4]]",
    hint: 'L1: out[c][i][j] = x[c][⌊i/f⌋][⌊j/f⌋]: every pixel becomes an f×f block ([Training] "Up-Sampling Method")',
    // EXACT: nearest neighbour only copies input values (a selection), no arithmetic
    args: [nearestExample.input.x, nearestExample.input.factor], expected: nearestExample.expected, tol: EXACT,
    variants: { [MISTAKES.roundNearest]: nearestExample.wrong.round },
  }),
  property({
    id: 'L1.nearestUpsample.blocks', exercise: 'nearestUpsample', catalogue: 'L1', numRuns: 50,
    title: 'the output is C × fH × fW and its f×f block (i, j) is constant, equal to x[c][i][j] (non-square images, f = 1 … 4)',
    hint: 'L1: the block of output rows f·i … f·i + f − 1 and columns f·j … f·j + f − 1 repeats x[c][i][j]; rows and columns both grow by f',
    arbitrary: upsampleCase,
    verify: async ({ x, factor }, s) => {
      const [C, H, W] = [x.length, x[0].length, x[0][0].length];
      const out = await callImage(s, 'nearestUpsample', [x, factor], [C, factor * H, factor * W]);
      const expected = build(C, factor * H, factor * W, (c, i, j) => x[c][Math.floor(i / factor)][Math.floor(j / factor)]);
      const round = build(C, factor * H, factor * W, (c, i, j) => x[c][Math.min(H - 1, Math.round(i / factor))][Math.min(W - 1, Math.round(j / factor))]);
      // EXACT: every output pixel is a copy of an input pixel
      expectClose(out, expected, EXACT, callText('nearestUpsample', [x, factor]), { [MISTAKES.roundNearest]: round });
    },
  }),
];

// ---------------------------------------------------------------------------------------------
// L2 — bilinear

type Mapping = (i: number, inSize: number, outSize: number) => number;
const clamp = (v: number, lo: number, hi: number) => Math.min(Math.max(v, lo), hi);
/** Where output index i samples the input, for the course's mapping and the mistaken ones. */
const MAPPINGS: Record<'halfPixel' | 'alignCorners' | 'asymmetric' | 'unclamped', Mapping> = {
  halfPixel: (i, n, o) => clamp((i + 0.5) * (n / o) - 0.5, 0, n - 1),
  alignCorners: (i, n, o) => (o > 1 ? (i * (n - 1)) / (o - 1) : 0),
  asymmetric: (i, n, o) => clamp((i * n) / o, 0, n - 1),
  unclamped: (i, n, o) => (n > 1 ? (i + 0.5) * (n / o) - 0.5 : 0),
};

/** A plane a_c·row + b_c·col + d_c: bilinear interpolation reproduces it exactly at the (clamped) source coordinate. */
interface RampCase {
  a: number[];
  b: number[];
  d: number[];
  H: number;
  W: number;
  outH: number;
  outW: number;
}
const rampCase: fc.Arbitrary<RampCase> = fc
  .record({ C: int(1, 2), H: int(1, 5), W: int(1, 5), outH: int(1, 9), outW: int(1, 9) })
  .filter((g) => g.outH !== g.H || g.outW !== g.W)
  .chain(({ C, H, W, outH, outW }) => {
    const coefficients = (entry: fc.Arbitrary<number>) => fc.array(entry, { minLength: C, maxLength: C });
    return fc.record({ a: coefficients(eighths(3, { nonzero: true })), b: coefficients(eighths(3, { nonzero: true })), d: coefficients(eighths(5)) }).map((p) => ({ ...p, H, W, outH, outW }));
  });
const ramp = (t: RampCase, H: number, W: number, row: (i: number) => number, col: (j: number) => number) => build(t.a.length, H, W, (c, i, j) => t.a[c] * row(i) + t.b[c] * col(j) + t.d[c]);

const mirrorLR = (x: Img) => x.map((ch) => ch.map((row) => row.slice().reverse()));
const mirrorUD = (x: Img) => x.map((ch) => ch.slice().reverse());

const resizeCase = fc.record({ C: int(1, 2), H: int(1, 5), W: int(1, 5), outH: int(1, 8), outW: int(1, 8) }).chain(({ C, H, W, outH, outW }) => fc.record({ x: image(C, H, W), outH: fc.constant(outH), outW: fc.constant(outW) }));

const bilinearChecks: Check[] = [
  example({
    id: 'L2.bilinearResize.example', exercise: 'bilinearResize', catalogue: 'L2',
    title: "the notes' [[10,20],[30,40]] → 4×4: [[10,12.5,17.5,20],[15,17.5,22.5,25],[25,27.5,32.5,35],[30,32.5,37.5,40]] (the slide prints them truncated: 12, 17 …)",
    hint: 'L2: half-pixel centres: src = (i + ½)·2/4 − ½ = −0.25, 0.25, 0.75, 1.25, clamped to [0, 1]; then weights 1 − t and t of the two neighbours ([Training] "Up-Sampling Method")',
    args: [bilinearExample.input.x, 4, 4], expected: bilinearExample.expected,
    variants: {
      [MISTAKES.truncated]: bilinearExample.printedValues,
      [MISTAKES.alignCorners]: bilinearExample.wrong.alignCorners,
      [MISTAKES.asymmetric]: bilinearExample.wrong.asymmetric,
      [MISTAKES.unclamped]: bilinearExample.wrong.unclamped,
    },
  }),
  property({
    id: 'L2.bilinearResize.ramp', exercise: 'bilinearResize', catalogue: 'L2', numRuns: 60,
    title: 'a linear ramp a·row + b·col + d comes out as a·src_r + b·src_c + d with src = clamp((i + ½)·in/out − ½, 0, in − 1), for any (non-square, non-integer, smaller) size',
    hint: 'L2: bilinear interpolation is exact on linear functions, so the ramp reveals where each output pixel samples: half-pixel centres, clamped at the borders, rows with H/outH and columns with W/outW',
    arbitrary: rampCase,
    verify: async (t, s) => {
      const x = ramp(t, t.H, t.W, (i) => i, (j) => j);
      const out = await callImage(s, 'bilinearResize', [x, t.outH, t.outW], [t.a.length, t.outH, t.outW]);
      const at = (m: Mapping) => ramp(t, t.outH, t.outW, (i) => m(i, t.H, t.outH), (j) => m(j, t.W, t.outW));
      const expected = at(MAPPINGS.halfPixel);
      expectClose(out, expected, FLOAT64, callText('bilinearResize', [x, t.outH, t.outW]), {
        [MISTAKES.alignCorners]: at(MAPPINGS.alignCorners),
        [MISTAKES.asymmetric]: at(MAPPINGS.asymmetric),
        [MISTAKES.unclamped]: at(MAPPINGS.unclamped),
      });
    },
  }),
  property({
    id: 'L2.bilinearResize.mirror', exercise: 'bilinearResize', catalogue: 'L2', numRuns: 40,
    title: 'resizing a mirrored image gives the mirrored result (left–right and up–down)',
    hint: 'L2: half-pixel centres treat both ends alike: output pixel i and out − 1 − i sample mirrored positions; src = i·in/out does not',
    arbitrary: resizeCase,
    verify: async ({ x, outH, outW }, s) => {
      const shape: [number, number, number] = [x.length, outH, outW];
      const out = await callImage(s, 'bilinearResize', [x, outH, outW], shape);
      expectClose(await callImage(s, 'bilinearResize', [mirrorLR(x), outH, outW], shape), mirrorLR(out), FLOAT64, 'bilinearResize(x mirrored left–right) vs bilinearResize(x) mirrored');
      expectClose(await callImage(s, 'bilinearResize', [mirrorUD(x), outH, outW], shape), mirrorUD(out), FLOAT64, 'bilinearResize(x mirrored up–down) vs bilinearResize(x) mirrored');
    },
  }),
  property({
    id: 'L2.bilinearResize.identity', exercise: 'bilinearResize', catalogue: 'L2', numRuns: 40,
    title: 'resizing to the same H × W returns x; a constant channel stays constant at any size',
    hint: 'L2: at equal sizes src = i exactly; interpolation weights sum to 1, so constants are kept. Rows use H/outH, columns W/outW',
    arbitrary: resizeCase.chain((t) => fc.tuple(fc.constant(t), fc.array(eighths(5), { minLength: t.x.length, maxLength: t.x.length }))),
    verify: async ([{ x, outH, outW }, levels], s) => {
      const [C, H, W] = [x.length, x[0].length, x[0][0].length];
      expectClose(await callImage(s, 'bilinearResize', [x, H, W], [C, H, W]), x, FLOAT64, callText('bilinearResize', [x, H, W]));
      const flat = build(C, H, W, (c) => levels[c]);
      expectClose(await callImage(s, 'bilinearResize', [flat, outH, outW], [C, outH, outW]), build(C, outH, outW, (c) => levels[c]), FLOAT64, callText('bilinearResize', [flat, outH, outW]));
    },
  }),
];

// ---------------------------------------------------------------------------------------------
// L3 — bed of nails

/** Each x[c][i][j] at offset (o, o) of its f×f block, zeros elsewhere: o = 0 is bed of nails, o = ⌊f/2⌋ the off-corner mistake. */
export const nailsAt = (x: Img, f: number, o: number): Img =>
  build(x.length, f * x[0].length, f * x[0][0].length, (c, i, j) => (i % f === o && j % f === o ? x[c][Math.floor(i / f)][Math.floor(j / f)] : 0));

const bedChecks: Check[] = [
  example({
    id: 'L3.bedOfNails.example', exercise: 'bedOfNails', catalogue: 'L3',
    title: '[[1,2],[3,4]] with factor 2 → [[1,0,2,0],[0,0,0,0],[3,0,4,0],[0,0,0,0]]',
    hint: 'L3: out[c][f·i][f·j] = x[c][i][j], zeros elsewhere: the value goes to the top-left of its f×f block ([Training] "Up-Sampling Method")',
    // EXACT: bed of nails copies each value once and writes 0 elsewhere
    args: [bedOfNailsExample.input.x, 2], expected: bedOfNailsExample.expected, tol: EXACT,
    variants: { [MISTAKES.offCorner]: bedOfNailsExample.wrong.bottomRight },
  }),
  property({
    id: 'L3.bedOfNails.nails', exercise: 'bedOfNails', catalogue: 'L3', numRuns: 50,
    title: 'the output is C × fH × fW with x[c][i][j] at (f·i, f·j) and 0 everywhere else (non-square images, f = 1 … 4)',
    hint: 'L3: only the top-left pixel of each f×f block is set; the other f² − 1 stay 0 (unlike nearest neighbour, which copies)',
    arbitrary: upsampleCase,
    verify: async ({ x, factor }, s) => {
      const [C, H, W] = [x.length, x[0].length, x[0][0].length];
      const out = await callImage(s, 'bedOfNails', [x, factor], [C, factor * H, factor * W]);
      const expected = nailsAt(x, factor, 0);
      // EXACT: a copy of each value at (f·i, f·j), zeros elsewhere
      expectClose(out, expected, EXACT, callText('bedOfNails', [x, factor]), { [MISTAKES.offCorner]: nailsAt(x, factor, Math.floor(factor / 2)) });
    },
  }),
];

// ---------------------------------------------------------------------------------------------
// L4 — max unpooling

/** A pooling geometry (window k, stride s, OH × OW windows, leftover rows/columns < s) with one switch per window. */
interface PoolCase {
  C: number;
  H: number;
  W: number;
  k: number;
  stride: number;
  switches: Img;
}
export const poolCase = ({ overlap }: { overlap: boolean }): fc.Arbitrary<PoolCase> =>
  fc
    .record({ C: int(1, 2), OH: int(1, 3), OW: int(1, 3), k: int(1, 3), ds: int(0, 2), rh: int(0, 2), rw: int(0, 2) })
    .map(({ k, ds, ...g }) => ({ ...g, k, stride: overlap ? Math.max(1, k - ds) : k + ds }))
    .chain(({ C, OH, OW, k, stride, rh, rw }) => {
      const [H, W] = [stride * (OH - 1) + k + (rh % stride), stride * (OW - 1) + k + (rw % stride)];
      const offset = fc.tuple(int(0, k - 1), int(0, k - 1));
      return fc.array(fc.array(fc.array(offset, { minLength: OW, maxLength: OW }), { minLength: OH, maxLength: OH }), { minLength: C, maxLength: C }).map((offs) => ({
        C, H, W, k, stride,
        switches: offs.map((ch) => ch.map((row, i) => row.map(([u, v], j) => (stride * i + u) * W + (stride * j + v)))),
      }));
    });

/** The grader's own scatter: Σ of the values whose switch names each position (or the last one, for the variant). */
function scatter({ C, H, W }: PoolCase, x: Img, switches: Img, combine: (old: number, v: number) => number): Img {
  const out = build(C, H, W, () => 0);
  switches.forEach((ch, c) => ch.forEach((row, i) => row.forEach((idx, j) => (out[c][Math.floor(idx / W)][idx % W] = combine(out[c][Math.floor(idx / W)][idx % W], x[c][i][j])))));
  return out;
}
/** Each window's value at its top-left corner (the switches ignored). */
const topLeft = ({ C, H, W, stride }: PoolCase, x: Img): Img => {
  const out = build(C, H, W, () => 0);
  x.forEach((ch, c) => ch.forEach((row, i) => row.forEach((v, j) => (out[c][stride * i][stride * j] += v))));
  return out;
};

const unpoolChecks: Check[] = [
  example({
    id: 'L4.maxUnpool.example', exercise: 'maxUnpool', catalogue: 'L4',
    title: '2×2 stride-2 max pooling of [[1,1,2,4],[5,6,7,8],[3,2,1,0],[1,2,3,4]] kept [[6,8],[3,4]] with switches [[5,7],[8,15]]: unpooling puts them back, zeros elsewhere',
    hint: 'L4: switch = row·W + col of the maximum in the pooling input: row = ⌊switch/W⌋, col = switch mod W ([Training] "Max Unpooling: Use positions from pooling layer")',
    // EXACT: non-overlapping windows: each value is copied to its switch, the rest is 0
    args: [unpoolExample.input.x, unpoolExample.input.switches, unpoolExample.input.shape], expected: unpoolExample.expected, tol: EXACT,
    variants: { [MISTAKES.topLeft]: unpoolExample.wrong.topLeft },
  }),
  example({
    id: 'L4.maxUnpool.overlap', exercise: 'maxUnpool', catalogue: 'L4',
    title: 'overlapping windows: switches [[4,4],[4,8]] on a 3×3 input; [[1,2],[3,4]] unpools to 1 + 2 + 3 = 6 at (1, 1) and 4 at (2, 2)',
    hint: 'L4: a position recorded by several windows receives the sum of their values (unpooling is the transpose of the pooling selection, = max pooling\'s backward pass), whatever the order of the windows',
    // EXACT: integer arithmetic (1 + 2 + 3 = 6 at the shared switch), exact in any order
    args: [unpoolOverlapExample.input.x, unpoolOverlapExample.input.switches, unpoolOverlapExample.input.shape], expected: unpoolOverlapExample.expected, tol: EXACT,
    variants: { [MISTAKES.lastWins]: unpoolOverlapExample.wrong.lastWins, [MISTAKES.firstWins]: unpoolOverlapExample.wrong.firstWins },
  }),
  property({
    id: 'L4.maxUnpool.keeps-maxima', exercise: 'maxUnpool', catalogue: 'L4', numRuns: 50,
    title: 'unpool(pool(x)) with non-overlapping windows keeps every window maximum in place and zeros the rest (non-square inputs, leftover rows)',
    hint: 'L4: each pooled value returns to the position its switch recorded, in the pooling input of shape [C, H, W]; nothing else is written',
    arbitrary: poolCase({ overlap: false }).chain((g) => fc.tuple(fc.constant(g), image(g.C, g.H, g.W, eighths(5)), image(g.C, g.switches[0].length, g.switches[0][0].length, eighths(2).map((v) => 8 + v)))),
    verify: async ([g, background, maxima], s) => {
      // the input: background values below every maximum, each window's maximum at its switch
      const x = background.map((ch) => ch.map((row) => row.slice()));
      g.switches.forEach((ch, c) => ch.forEach((row, i) => row.forEach((idx, j) => (x[c][Math.floor(idx / g.W)][idx % g.W] = maxima[c][i][j]))));
      const kept = build(g.C, g.H, g.W, (c, i, j) => (g.switches[c].some((row) => row.includes(i * g.W + j)) ? x[c][i][j] : 0));
      const args = [maxima, g.switches, [g.C, g.H, g.W]];
      const out = await callImage(s, 'maxUnpool', args, [g.C, g.H, g.W]);
      // EXACT: non-overlapping windows, so each maximum is copied once to its switch (a selection)
      expectClose(out, kept, EXACT, `${callText('maxUnpool', args)} (pooling input x = ${JSON.stringify(x)})`, { [MISTAKES.topLeft]: topLeft(g, maxima) });
    },
  }),
  property({
    id: 'L4.maxUnpool.scatter', exercise: 'maxUnpool', catalogue: 'L4', numRuns: 50,
    title: 'with overlapping windows (stride < window), every position holds the sum of the values whose switch names it, and 0 if none does',
    hint: 'L4: out[c][⌊m/W⌋][m mod W] += x[c][i][j] for m = switches[c][i][j]; W is the width of the pooling input (shape[2])',
    arbitrary: poolCase({ overlap: true }).chain((g) => fc.tuple(fc.constant(g), image(g.C, g.switches[0].length, g.switches[0][0].length))),
    verify: async ([g, x], s) => {
      const args = [x, g.switches, [g.C, g.H, g.W]];
      const out = await callImage(s, 'maxUnpool', args, [g.C, g.H, g.W]);
      const expected = scatter(g, x, g.switches, (a, v) => a + v);
      expectClose(out, expected, FLOAT64, callText('maxUnpool', args), { [MISTAKES.lastWins]: scatter(g, x, g.switches, (_, v) => v), [MISTAKES.topLeft]: topLeft(g, x) });
    },
  }),
];

// ---------------------------------------------------------------------------------------------
// L5 — transposed convolution (both forms share the checks)

export interface TConvCase {
  x: Img;
  W: Flt;
  b: number[];
  stride: number;
  pad: number;
}
const tconvArgs = (t: TConvCase) => [t.x, t.W, t.b, t.stride, t.pad];
export const tconvSize = (t: TConvCase): [number, number, number] => [t.W[0].length, t.stride * (t.x[0].length - 1) + t.W[0][0].length - 2 * t.pad, t.stride * (t.x[0][0].length - 1) + t.W[0][0][0].length - 2 * t.pad];

/** A transposed-conv geometry: F → C channels, non-square input and kernel, stride 1–3, padding 0–2, output ≥ 1×1. */
export const tconvGeometry = ({ maxF = 2, maxC = 2, maxN = 3, maxK = 3, maxS = 3, maxP = 2 } = {}) =>
  fc
    .record({ F: int(1, maxF), C: int(1, maxC), H: int(1, maxN), W: int(1, maxN), KH: int(1, maxK), KW: int(1, maxK), stride: int(1, maxS), pad: int(0, maxP) })
    .filter((g) => g.stride * (g.H - 1) + g.KH - 2 * g.pad >= 1 && g.stride * (g.W - 1) + g.KW - 2 * g.pad >= 1);

/** `entry` draws the entries of x and W (the hidden checks let 0 in, see upsampling.hidden.ts). */
export const tconvCase = (geometry = tconvGeometry(), entry: fc.Arbitrary<number> = eighths(5, { nonzero: true })): fc.Arbitrary<TConvCase> =>
  geometry.chain(({ F, C, H, W, KH, KW, stride, pad }) =>
    fc.record({ x: image(F, H, W, entry), W: filters(F, C, KH, KW, entry), b: fc.array(eighths(3), { minLength: C, maxLength: C }), stride: fc.constant(stride), pad: fc.constant(pad) }),
  );

/** The response to x = v at (f, i, j), zero elsewhere: b + v·kernel placed at (s·i − p, s·j − p); `flip` rotates the kernel, `crop` = false keeps the full map. */
function impulseResponse(t: TConvCase, [f, i, j]: [number, number, number], v: number, { flip = false, crop = true } = {}): Img {
  const [C, KH, KW] = [t.W[0].length, t.W[0][0].length, t.W[0][0][0].length];
  const [, OH, OW] = tconvSize(t);
  const p = crop ? t.pad : 0;
  const [H, W] = crop ? [OH, OW] : [OH + 2 * t.pad, OW + 2 * t.pad];
  const out = build(C, H, W, (c) => t.b[c]);
  for (let c = 0; c < C; c++) {
    for (let u = 0; u < KH; u++) {
      for (let w = 0; w < KW; w++) {
        const [o, q] = [t.stride * i + u - p, t.stride * j + w - p];
        if (o >= 0 && o < H && q >= 0 && q < W) out[c][o][q] += v * (flip ? t.W[f][c][KH - 1 - u][KW - 1 - w] : t.W[f][c][u][w]);
      }
    }
  }
  return out;
}

const impulseCase = tconvCase().chain((t) =>
  fc.tuple(fc.constant(t), fc.tuple(int(0, t.x.length - 1), int(0, t.x[0].length - 1), int(0, t.x[0][0].length - 1)), eighths(3, { nonzero: true })),
);

function tconvChecks(exercise: 'transposedConv2d' | 'transposedConv2dDirect'): Check[] {
  const direct = exercise === 'transposedConv2dDirect';
  const form = direct
    ? 'direct form: stretch by s (s − 1 zeros between pixels), pad k − p − 1 per side, cross-correlate with the kernel rotated 180°, channels swapped'
    : 'scatter form: x[f][i][j]·W[f][c] added at (s·i, s·j) of the s(n − 1) + k map, then p cut from each side';
  const kernelMistake = direct ? MISTAKES.notFlipped : MISTAKES.flipped;
  return [
    example({
      id: `L5.${exercise}.example`, exercise, catalogue: 'L5',
      title: 'x = [[1,2],[3,4]], kernel [[1,2],[3,4]], s = 1, p = 0 → [[1,4,4],[6,20,16],[9,24,16]]',
      hint: `L5: ${form}; at s = 1, p = 0 this is the full 2-D convolution of x with the kernel`,
      args: tconvArgs(transposedExample.input), expected: transposedExample.expected,
      variants: { [kernelMistake]: transposedExample.wrong.flipped },
    }),
    example({
      id: `L5.${exercise}.stride`, exercise, catalogue: 'L5',
      title: 'Figure 4.5: a 3×3 all-ones kernel, s = 2, p = 0 on [[1,2],[3,4]] → 5×5 (overlapping windows add up to 10 in the centre)',
      hint: `L5: ${form}; 2 → 2·(2 − 1) + 3 = 5; where two windows overlap their contributions add up ([Training] "Transposed Convolution", Figure 4.5)`,
      args: tconvArgs(transposedStrideExample.input), expected: transposedStrideExample.expected,
    }),
    example({
      id: `L5.${exercise}.padded`, exercise, catalogue: 'L5',
      title: 'the same with p = 1 and bias 0.5 → 3×3 [[1.5,3.5,2.5],[4.5,10.5,6.5],[3.5,7.5,4.5]]: s(n − 1) + k − 2p = 3',
      hint: `L5: output = s(n − 1) + k − 2p: the padding p of the forward conv is removed from each side of the full map`,
      args: tconvArgs(transposedPaddedExample.input), expected: transposedPaddedExample.expected,
      variants: { [MISTAKES.uncropped]: transposedPaddedExample.wrong.uncropped },
    }),
    example({
      id: `L5.${exercise}.notes-sizes`, exercise, catalogue: 'L5',
      title: "the notes' 2 → 4, 4 → 6, 8 → 10 (k = 3, s = 1, p = 0) with all-ones input and kernel: the values are the overlap counts",
      hint: 'L5: "# output = s(n-1)+k-2p = 1*(2-1)+3-2*0 = 4" ([Training] "Transposed Convolution"); every output pixel sums the inputs whose window covers it',
      async verify(s) {
        for (const f of transposedSizeExamples) {
          const out = await callImage(s, exercise, tconvArgs(f.input), [1, f.printedSize, f.printedSize]);
          expectClose(out, f.expected, FLOAT64, callText(exercise, tconvArgs(f.input)));
        }
      },
    }),
    property({
      id: `L5.${exercise}.impulse`, exercise, catalogue: 'L5', numRuns: 60,
      title: 'one input pixel v at (f, i, j): the output is b + v·W[f][c] placed at (s·i − p, s·j − p), cut to s(n − 1) + k − 2p (non-square input and kernel, F ≠ C, strides, padding)',
      hint: `L5: ${form}. Channels: the input has F channels (W's first axis), the output C (W's second axis)`,
      arbitrary: impulseCase,
      verify: async ([t, [f, i, j], v], s) => {
        const x = build(t.x.length, t.x[0].length, t.x[0][0].length, (ff, ii, jj) => (ff === f && ii === i && jj === j ? v : 0));
        const u = { ...t, x };
        const expected = impulseResponse(u, [f, i, j], v);
        const out = await callImage(s, exercise, tconvArgs(u), tconvSize(u));
        expectClose(out, expected, FLOAT64, callText(exercise, tconvArgs(u)), {
          [kernelMistake]: impulseResponse(u, [f, i, j], v, { flip: true }),
          [MISTAKES.uncropped]: impulseResponse(u, [f, i, j], v, { crop: false }),
        });
      },
    }),
    property({
      id: `L5.${exercise}.bias`, exercise, catalogue: 'L5', numRuns: 40,
      title: 'changing the bias from 0 to b shifts every pixel of output channel c by b[c], once (F input channels, C output channels)',
      hint: 'L5: b has one entry per OUTPUT channel c (W\'s second axis) and is added once per output pixel, not once per input channel or per contribution',
      arbitrary: tconvCase(tconvGeometry({ maxF: 3 })),
      verify: async (t, s) => {
        const withBias = await callImage(s, exercise, tconvArgs(t), tconvSize(t));
        const zero = { ...t, b: t.b.map(() => 0) };
        const without = await callImage(s, exercise, tconvArgs(zero), tconvSize(t));
        expectClose(withBias, without.map((ch, c) => ch.map((row) => row.map((v) => v + t.b[c]))), FLOAT64, `${callText(exercise, tconvArgs(t))} vs the same with b = 0, plus b[c]`);
      },
    }),
  ];
}

// ---------------------------------------------------------------------------------------------
// L6 — overlap map

const overlapCase = fc.record({ n: int(1, 6), k: int(1, 6), s: int(1, 4) });

async function callOverlap(s: S, { n, k, s: stride }: { n: number; k: number; s: number }): Promise<Mat> {
  const o = stride * (n - 1) + k;
  const r = await s.call('overlapMap', [n, k, stride]);
  expectThat(isMatrix(r, o, o), `${callText('overlapMap', [n, k, stride])} must return an ${o}×${o} matrix (o = s(n − 1) + k) of finite numbers`, r);
  return r as Mat;
}

const overlapChecks: Check[] = [
  ...overlapExamples.map((f) =>
    example({
      id: `L6.overlapMap.n${f.input.n}-k${f.input.k}-s${f.input.s}`, exercise: 'overlapMap', catalogue: 'L6',
      title: `n = ${f.input.n}, k = ${f.input.k}, s = ${f.input.s}: 1-D counts [${f.count.join(', ')}], map = count(r)·count(q)`,
      hint: 'L6: count(r) = #{a ∈ 0 … n − 1 : a·s ≤ r < a·s + k} input positions write to output row r; a 2-D window covers (r, q) iff it covers r and q ([Training] "Problems with Transposed Convolutions")',
      // EXACT: overlap counts are integer arithmetic
      args: [f.input.n, f.input.k, f.input.s], expected: f.expected, tol: EXACT,
      variants: { [MISTAKES.kOverS]: f.expected.map((row) => row.map(() => Math.floor(f.input.k / f.input.s) ** 2)) },
    }),
  ),
  property({
    id: 'L6.overlapMap.totals', exercise: 'overlapMap', catalogue: 'L6', numRuns: 60,
    title: 'the map is (s(n − 1) + k)², sums to n²k², is symmetric and mirror-symmetric, and is the outer product of its first row and column',
    hint: 'L6: each of the n² input pixels writes k² output pixels; rows and columns behave alike (map[r][q] = count(r)·count(q)), and the ends mirror each other',
    arbitrary: overlapCase,
    verify: async (g, s) => {
      const map = await callOverlap(s, g);
      const total = map.flat().reduce((a, b) => a + b, 0);
      expectThat(total === g.n * g.n * g.k * g.k, `Σ overlapMap(${g.n}, ${g.k}, ${g.s}) = ${total}, expected n²k² = ${g.n * g.n * g.k * g.k}`, map);
      // EXACT: the map holds integer counts, compared with a rearrangement of itself
      expectClose(map, map[0].map((_, j) => map.map((row) => row[j])), EXACT, 'the map vs its transpose');
      expectClose(map, map.slice().reverse().map((row) => row.slice().reverse()), EXACT, 'the map vs the map rotated 180°');
      const rankOne = map.map((row, r) => row.map((_, q) => (map[r][0] * map[0][q]) / map[0][0]));
      expectClose(map, rankOne, FLOAT64, 'the map vs map[r][0]·map[0][q]/map[0][0] (count(r)·count(q))');
    },
  }),
  property({
    id: 'L6.overlapMap.checkerboard', exercise: 'overlapMap', catalogue: 'L6', numRuns: 60,
    title: 'for k ≥ s and s·n ≥ k (an interior at least one period s wide), the interior [k − s, s·n − 1]² is uniform (= (k/s)²) iff s divides k; then the border ring of width k − s has fewer overlaps',
    hint: 'L6: inside, count(r) = ⌊r/s⌋ − ⌈(r − k + 1)/s⌉ + 1 has period s: constant k/s when s | k, else ⌊k/s⌋ and ⌈k/s⌉ alternate (the checkerboard); near the borders fewer windows reach',
    arbitrary: overlapCase.filter(({ n, k, s }) => k >= s && s * n >= k),
    verify: async (g, s) => {
      const map = await callOverlap(s, g);
      const [lo, hi] = [g.k - g.s, g.s * g.n - 1];
      const interior = map.slice(lo, hi + 1).flatMap((row) => row.slice(lo, hi + 1));
      const uniform = interior.every((v) => v === interior[0]);
      expectThat(uniform === (g.k % g.s === 0), `overlapMap(${g.n}, ${g.k}, ${g.s}): the interior [${lo}, ${hi}]² is ${uniform ? '' : 'not '}uniform, but s = ${g.s} ${g.k % g.s === 0 ? 'divides' : 'does not divide'} k = ${g.k}`, interior);
      if (uniform) expectThat(interior[0] === (g.k / g.s) ** 2, `overlapMap(${g.n}, ${g.k}, ${g.s}): the uniform interior holds ${interior[0]}, expected (k/s)² = ${(g.k / g.s) ** 2}`, interior[0]);
      // with s | k a border count is ≤ k/s − 1, so every border pixel has ≤ (k/s − 1)·k/s < (k/s)² overlaps
      const border = map.flatMap((row, r) => row.filter((_, q) => r < lo || r > hi || q < lo || q > hi));
      if (uniform) expectThat(border.every((v) => v < interior[0]), `overlapMap(${g.n}, ${g.k}, ${g.s}): a border pixel (outside [${lo}, ${hi}]²) has as many overlaps as the uniform interior (${interior[0]})`, border);
    },
  }),
];

export const upsampling: FamilyGrader = {
  id: 'L',
  module: 'upsampling',
  title: 'Up-sampling',
  exercises: [
    { name: 'nearestUpsample', catalogue: 'L1', arity: 2, summary: 'every pixel becomes an f×f block: out[i][j] = x[⌊i/f⌋][⌊j/f⌋]' },
    { name: 'bilinearResize', catalogue: 'L2', arity: 3, summary: 'bilinear resize with half-pixel centres, clamped at the borders, any output size' },
    { name: 'bedOfNails', catalogue: 'L3', arity: 2, summary: 'each value at the top-left of its f×f block, zeros elsewhere' },
    { name: 'maxUnpool', catalogue: 'L4', arity: 3, summary: 'values back to the max-pool switches (summed when shared), zeros elsewhere' },
    { name: 'transposedConv2d', catalogue: 'L5', arity: 5, summary: 'scatter-add of x·W, output s(n − 1) + k − 2p, bias per output channel' },
    { name: 'transposedConv2dDirect', catalogue: 'L5', arity: 5, summary: 'stretch, pad k − p − 1, cross-correlate with the rotated kernel' },
    { name: 'overlapMap', catalogue: 'L6', arity: 3, summary: 'overlap counts of a transposed conv with an all-ones kernel: the checkerboard' },
  ],
  checks: [...nearestChecks, ...bilinearChecks, ...bedChecks, ...unpoolChecks, ...tconvChecks('transposedConv2d'), ...tconvChecks('transposedConv2dDirect'), ...overlapChecks],
};
