/**
 * Family J (convolution): public checks. The notes' worked examples (erratum 3 recorded: the
 * printed stride-2 figure is the stride-1 result), then metamorphic relations that need no
 * solution: a unit impulse reads out the kernel rotated by 180° (cross-correlation, not
 * convolution), stride = subsampling of the stride-1 output, padding = explicit zeros, dilation =
 * a kernel with zeros inserted, channels and filters decompose, the identity kernel returns the
 * input, im2col's index map and col2im's adjointness and window counts, conv2dIm2col = W_row·(your
 * im2col) + b, the backward pass against the numerical derivative of your own conv2d (full on tiny
 * shapes, directional on larger ones) and the bilinearity identity, the notes' kernel table and
 * its sums, and 1×1 convolution as a per-pixel matrix. Entries are multiples of ¼ (⅛ for the
 * numerical checks), so every sum is exact in float64 whatever the summation order (no tolerance
 * question between correct implementations) and a shrunk counterexample has readable entries.
 *
 * The grader holds no convolution of its own (it ships to students). Checks of another exercise
 * that call YOUR conv2d are only those where the relation with conv2d is the catalogue's property
 * or the exercise's definition: J2.convolve2d.flipped-correlation (convolution ≡ flipped
 * cross-correlation) and J4's numeric, directional and bilinear checks (the gradient of your
 * forward pass). Their hints say "fix conv2d first".
 */
import fc from 'fast-check';
import {
  backwardExample,
  backwardStridedExample,
  binaryExample,
  col2imExample,
  conv1x1Example,
  im2colExample,
  im2colPaddedExample,
  imageKernels,
  stridedPaddedExample,
  trueConvolutionExample,
  tuExample,
  twoChannelExample,
  twoFilterExample,
  type ConvInput,
} from '../fixtures/convolution.fixtures.ts';
import { direction, eighths, imageOf, matrixOf, vectorOf } from './engine/arbitraries.ts';
import { callText, example, expectArgumentError, expectClose, expectThat, FLOAT64, NUMERIC, property } from './engine/checks.ts';
import type { Variants } from './engine/diagnose.ts';
import { directionalDerivative, numericalGradient } from './engine/numeric.ts';
import type { Check, FamilyGrader, StudentModule } from './engine/types.ts';
import { isImage, isMatrix, isObject, isVector } from './engine/shapes.ts';

type Vec = number[];
type Mat = number[][];
type Img = number[][][];
type Fil = number[][][][];
type S = StudentModule;

// ---------------------------------------------------------------------------------------------
// mistakes the reports name (the hidden checks use the same labels)

export const MISTAKES = {
  flipped: 'the kernel flipped by 180°: true convolution (J2) where conv2d is cross-correlation',
  padAfterOnly: 'padding on one side only: all the zeros after the image (the −P offset is missing)',
  padBeforeOnly: 'padding on one side only: all 2P zeros before the image',
  strideIgnored: "the window slides by 1 whatever the stride (the notes' erratum-3 figure shows exactly these numbers)",
  oneChannel: 'the input channels not summed: only one channel contributes',
  notFlipped: 'the kernel not flipped: cross-correlation (J1) where convolve2d is true convolution',
  overwritten: 'col2im overwrote each pixel instead of adding the overlapping windows',
  dxFlipped: 'dx spreads the kernel rotated by 180° (each dout must spread W itself: dx_c(i, j) += dout·W[u][v] at i = oy·S + u·d − P)',
  backwardStrideIgnored: 'the stride ignored in the backward pass (windows taken at stride 1)',
  biasIgnored: 'the bias b_f left out',
  transposedW: 'W transposed: Wᵀ·x where out_f = Σ_c W[f][c]·x_c',
} as const;

// ---------------------------------------------------------------------------------------------
// helpers (shapes, relations between images: none of them computes a convolution)


const dims = (x: Img): [number, number, number] => [x.length, x[0].length, x[0][0].length];
const flat = (x: unknown): number[] => (Array.isArray(x) ? x.flatMap(flat) : [x as number]);
const dot = (a: Vec, b: Vec) => a.reduce((s, v, i) => s + v * b[i], 0);
const sum = (v: Vec) => v.reduce((a, b) => a + b, 0);
const rot180 = (k: Mat): Mat => k.slice().reverse().map((row) => row.slice().reverse());
const zeroPad = (x: Img, P: number): Img => x.map((ch) => [
  ...Array.from({ length: P }, () => Array<number>(ch[0].length + 2 * P).fill(0)),
  ...ch.map((row) => [...Array<number>(P).fill(0), ...row, ...Array<number>(P).fill(0)]),
  ...Array.from({ length: P }, () => Array<number>(ch[0].length + 2 * P).fill(0)),
]);
/** The kernel with d − 1 zeros between taps: size d(K − 1) + 1. */
const dilateKernel = (k: Mat, d: number): Mat =>
  Array.from({ length: d * (k.length - 1) + 1 }, (_, i) => Array.from({ length: d * (k[0].length - 1) + 1 }, (_, j) => (i % d === 0 && j % d === 0 ? k[i / d][j / d] : 0)));
const outSize = (n: number, K: number, S: number, P: number, d: number) => Math.floor((n + 2 * P - (d * (K - 1) + 1)) / S) + 1;
/** Packs a flat vector back into C×H×W / F×C×KH×KW. */
const toImage = (v: Vec, C: number, H: number, W: number): Img => Array.from({ length: C }, (_, c) => Array.from({ length: H }, (_, i) => v.slice((c * H + i) * W, (c * H + i + 1) * W)));
const toFilters = (v: Vec, F: number, C: number, KH: number, KW: number): Fil => Array.from({ length: F }, (_, f) => toImage(v.slice(f * C * KH * KW, (f + 1) * C * KH * KW), C, KH, KW));

/** Multiples of ¼ in [−3, 3]: products are multiples of 1/16 and every sum here is exact in float64. */
const quarter = fc.integer({ min: -12, max: 12 }).map((v) => v / 4);
/**
 * Entries for the numerical checks: multiples of ⅛ in [−2, 2] (the loss is bilinear, so central
 * differences are exact up to rounding on any input). A grid, not arbitrary doubles: shrinking
 * then ends at entries like ⅛ where a wrong gradient is off by a visible amount, not at 1.7e−6
 * where the difference sits at the tolerance and reads like float noise.
 */

/** One conv2d call's arguments (shared with the hidden checks and the specs). */
export type ConvCase = ConvInput;

export interface ConvCaseConstraints {
  maxC?: number;
  maxF?: number;
  maxHW?: number;
  maxK?: number;
  maxS?: number;
  maxP?: number;
  maxD?: number;
  entries?: fc.Arbitrary<number>;
}

/** A valid conv2d call: non-square inputs and kernels, stride, padding and dilation, the (dilated) kernel fitting in the padded input. */
export function convCase({ maxC = 2, maxF = 2, maxHW = 6, maxK = 3, maxS = 2, maxP = 2, maxD = 2, entries = quarter }: ConvCaseConstraints = {}): fc.Arbitrary<ConvCase> {
  const int = (min: number, max: number) => fc.integer({ min, max });
  return fc
    .record({ C: int(1, maxC), F: int(1, maxF), H: int(1, maxHW), W: int(1, maxHW), KH: int(1, maxK), KW: int(1, maxK), stride: int(1, maxS), pad: int(0, maxP), dilation: int(1, maxD) })
    .filter((g) => g.dilation * (g.KH - 1) + 1 <= g.H + 2 * g.pad && g.dilation * (g.KW - 1) + 1 <= g.W + 2 * g.pad)
    .chain((g) =>
      fc.record({
        x: imageOf(g.C, g.H, g.W, entries),
        W: fc.array(imageOf(g.C, g.KH, g.KW, entries), { minLength: g.F, maxLength: g.F }),
        b: vectorOf(g.F, entries),
        stride: fc.constant(g.stride),
        pad: fc.constant(g.pad),
        dilation: fc.constant(g.dilation),
      }),
    );
}

const convArgs = (t: ConvCase) => [t.x, t.W, t.b, t.stride, t.pad, t.dilation];
/** [F, OH, OW] of a conv case. */
const outShape = (t: ConvCase): [number, number, number] => {
  const [, H, W] = dims(t.x);
  return [t.W.length, outSize(H, t.W[0][0].length, t.stride, t.pad, t.dilation), outSize(W, t.W[0][0][0].length, t.stride, t.pad, t.dilation)];
};

/** The student's conv2d (or conv2dIm2col), required to return an [F, OH, OW] image of finite numbers. */
async function studentConv(s: S, t: ConvCase, name = 'conv2d'): Promise<Img> {
  const out = await s.call(name, convArgs(t));
  const [F, OH, OW] = outShape(t);
  expectThat(isImage(out, F, OH, OW), `${callText(name, convArgs(t))} must return an image of shape [${F}, ${OH}, ${OW}] (OH = ⌊(H + 2P − K_eff)/S⌋ + 1) with finite entries`, out);
  return out as Img;
}

const exampleArgs = (i: ConvInput) => [i.x, i.W, i.b, i.stride, i.pad, i.dilation];

// ---------------------------------------------------------------------------------------------
// J1 — conv2d

const J1 = 'J1: out_f(oy, ox) = b_f + Σ_c Σ_u Σ_v x_c(oy·S + u·d − P, ox·S + v·d − P)·W[f][c][u][v] — cross-correlation, no flip ([Jung] "Convolution vs Cross-correlation")';

const conv2dChecks: Check[] = [
  example({
    id: 'J1.conv2d.binary-example', exercise: 'conv2d', catalogue: 'J1',
    title: 'the binary 5×5 image with [[1,0,1],[0,1,0],[1,0,1]] gives [[4,3,4],[2,4,3],[2,3,4]] ([Training] "Convolution Operation(Filtering)")',
    hint: `${J1}; a 5×5 input and a 3×3 kernel give a 3×3 map`,
    args: exampleArgs(binaryExample.input), expected: binaryExample.expected,
  }),
  example({
    id: 'J1.conv2d.discrete-example', exercise: 'conv2d', catalogue: 'J1',
    title: 'the [Tu] "Discrete convolution" 5×5 example: [[12,12,17],[10,17,19],[9,6,14]]',
    hint: `${J1}: "0×3 + 1×3 + 2×2 + 2×0 + 2×0 + 0×1 + 0×3 + 1×1 + 2×2 = 12"`,
    args: exampleArgs(tuExample.input), expected: tuExample.expected,
    variants: { [MISTAKES.flipped]: tuExample.wrong.flipped },
  }),
  example({
    id: 'J1.conv2d.stride-pad-example', exercise: 'conv2d', catalogue: 'J1',
    title: 'the same 5×5 with stride 2 and pad 1: [[6,17,3],[8,17,13],[6,4,4]] (the notes print the stride-1 numbers: erratum 3)',
    hint: `${J1}; P zeros on every side, and the window moves by S pixels ([Tu] "Example with zero paddings": the figure there slides by 1, see erratum 3)`,
    args: exampleArgs(stridedPaddedExample.input), expected: stridedPaddedExample.expected,
    variants: {
      [MISTAKES.strideIgnored]: stridedPaddedExample.wrong.strideIgnored,
      [MISTAKES.padAfterOnly]: stridedPaddedExample.wrong.padAfterOnly,
      [MISTAKES.padBeforeOnly]: stridedPaddedExample.wrong.padBeforeOnly,
      [MISTAKES.flipped]: stridedPaddedExample.wrong.flipped,
    },
  }),
  example({
    id: 'J1.conv2d.channels-example', exercise: 'conv2d', catalogue: 'J1',
    title: 'two input channels, one 2-channel filter: [[56,72],[104,120]] ([Tu] "Multiple Input Channels")',
    hint: 'J1: "one kernel for each channel, and then sum results over channels": (1×1 + 2×2 + 4×3 + 5×4) + (0×0 + 1×1 + 3×2 + 4×3) = 56',
    args: exampleArgs(twoChannelExample.input), expected: twoChannelExample.expected,
    variants: { [MISTAKES.oneChannel]: twoChannelExample.wrong.firstChannelOnly, [MISTAKES.flipped]: twoChannelExample.wrong.flipped },
  }),
  example({
    id: 'J1.conv2d.filters-bias-example', exercise: 'conv2d', catalogue: 'J1',
    title: 'two filters with biases [0, −1] on the same two channels: [[[56,72],[104,120]], [[4,6],[10,12]]]',
    hint: 'J1: F filters give F output maps; map f adds its own bias b_f once per output pixel',
    args: exampleArgs(twoFilterExample.input), expected: twoFilterExample.expected,
  }),
  example({
    id: 'J1.conv2d.channel-mismatch', exercise: 'conv2d', catalogue: 'J1',
    title: 'filters with 2 channels on a 1-channel image must throw an Error that names conv2d (not crash with a TypeError)',
    hint: "J1: W is F×C×KH×KW and its C must equal the number of channels of x; check it before the loops and throw an Error naming conv2d and both shapes, e.g. tensor.ts's new ArgumentError('conv2d', 'W', …)",
    verify: (s) => expectArgumentError(s, 'conv2d', [[tuExample.input.x[0]], twoChannelExample.input.W, [0], 1, 0, 1], 'W has 2 channels per filter ([1, 2, 2, 2]) but x has 1 ([1, 5, 5])'),
  }),
  // Worked by hand: K_eff = d(K − 1) + 1 against H + 2P. A 3×3 kernel on a 2×2 image with pad 0
  // (3 > 2), and a 2×2 kernel at dilation 3 on a 3×3 image (K_eff = 3·1 + 1 = 4 > 3).
  example({
    id: 'J1.conv2d.kernel-too-large', exercise: 'conv2d', catalogue: 'J1',
    title: 'a 3×3 kernel on a 2×2 image (pad 0), and a 2×2 kernel at dilation 3 (K_eff = 4) on a 3×3 image, must throw an Error that names conv2d',
    hint: "J1: the (dilated) kernel must fit in the padded input, K_eff = d(K − 1) + 1 ≤ H + 2P (likewise W): OH = ⌊(H + 2P − K_eff)/S⌋ + 1 would be ≤ 0; throw an Error naming conv2d, e.g. tensor.ts's new ArgumentError('conv2d', 'W', …)",
    verify: async (s) => {
      await expectArgumentError(s, 'conv2d', [[[[1, 2], [3, 4]]], [[[[1, 0, 1], [0, 1, 0], [1, 0, 1]]]], [0], 1, 0, 1], 'the 3×3 kernel does not fit in the 2×2 image with pad 0');
      await expectArgumentError(s, 'conv2d', [[[[1, 2, 3], [4, 5, 6], [7, 8, 9]]], [[[[1, 1], [1, 1]]]], [0], 1, 0, 3], 'at dilation 3 the 2×2 kernel spans K_eff = 3·(2 − 1) + 1 = 4 > 3 pixels');
    },
  }),
  property({
    id: 'J1.conv2d.impulse', exercise: 'conv2d', catalogue: 'J1', numRuns: 30,
    title: 'a unit impulse (the 1×1 image [[1]], pad K − 1) returns the kernel rotated by 180°',
    hint: `${J1}. Output (oy, ox) reads the impulse at tap u = K − 1 − oy: the kernel comes out rotated; returning it upright means you flipped it`,
    arbitrary: fc.integer({ min: 1, max: 4 }).chain((K) => matrixOf(K, K, quarter)),
    verify: async (k, s) => {
      const K = k.length;
      const t: ConvCase = { x: [[[1]]], W: [[k]], b: [0], stride: 1, pad: K - 1, dilation: 1 };
      const out = await studentConv(s, t);
      const expected = [rot180(k)];
      expectClose(out, expected, FLOAT64, callText('conv2d', convArgs(t)), JSON.stringify(k) === JSON.stringify(rot180(k)) ? undefined : { [MISTAKES.flipped]: [k] });
    },
  }),
  property({
    id: 'J1.conv2d.stride-subsamples', exercise: 'conv2d', catalogue: 'J1', numRuns: 40,
    title: 'conv2d at stride S = every S-th row and column of conv2d at stride 1 (same pad and dilation)',
    hint: 'J1: the stride only moves the window by S pixels: out_S(oy, ox) = out_1(S·oy, S·ox); the output size is ⌊(H + 2P − K_eff)/S⌋ + 1',
    arbitrary: convCase({ maxS: 3 }).filter((t) => t.stride > 1),
    verify: async (t, s) => {
      const strided = await studentConv(s, t);
      const dense = await studentConv(s, { ...t, stride: 1 });
      const expected = strided.map((_, f) => strided[f].map((row, oy) => row.map((_v, ox) => dense[f][t.stride * oy][t.stride * ox])));
      expectClose(strided, expected, FLOAT64, `${callText('conv2d', convArgs(t))} vs your stride-1 output sampled every ${t.stride} pixels`);
    },
  }),
  property({
    id: 'J1.conv2d.padding-is-zeros', exercise: 'conv2d', catalogue: 'J1', numRuns: 40,
    title: 'conv2d(x, …, pad P) = conv2d(x with P rows/columns of zeros added on every side, …, pad 0)',
    hint: 'J1: zero padding adds P zeros before AND after each spatial axis (2P in total): the window at (0, 0) starts P pixels above and left of the image',
    arbitrary: convCase().filter((t) => t.pad > 0),
    verify: async (t, s) => {
      const padded = await studentConv(s, t);
      const explicit = await studentConv(s, { ...t, x: zeroPad(t.x, t.pad), pad: 0 });
      expectClose(padded, explicit, FLOAT64, `${callText('conv2d', convArgs(t))} vs your conv2d of the explicitly zero-padded image with pad 0`);
    },
  }),
  property({
    id: 'J1.conv2d.dilation', exercise: 'conv2d', catalogue: 'J1', numRuns: 40,
    title: 'conv2d with dilation d = conv2d (dilation 1) with the kernel spread out by d − 1 zeros between taps',
    hint: 'J1: dilation d reads the taps d pixels apart: input row oy·S + u·d − P; the effective kernel is d(K − 1) + 1 wide',
    arbitrary: convCase({ maxD: 3 }).filter((t) => t.dilation > 1),
    verify: async (t, s) => {
      const dilated = await studentConv(s, t);
      const spread = await studentConv(s, { ...t, W: t.W.map((wf) => wf.map((k) => dilateKernel(k, t.dilation))), dilation: 1 });
      expectClose(dilated, spread, FLOAT64, `${callText('conv2d', convArgs(t))} vs your conv2d with the zero-spread kernel and dilation 1`);
    },
  }),
  property({
    id: 'J1.conv2d.channels-and-filters', exercise: 'conv2d', catalogue: 'J1', numRuns: 25,
    title: 'output map f = b_f + Σ_c (channel c alone convolved with W[f][c], bias 0)',
    hint: 'J1: each filter gives its own map, each input channel has its own kernel W[f][c], the C results are summed and the bias added once',
    arbitrary: convCase({ maxC: 3, maxF: 3 }).filter((t) => t.x.length * t.W.length > 1),
    verify: async (t, s) => {
      const out = await studentConv(s, t);
      const [F, OH, OW] = outShape(t);
      const expected = Array.from({ length: F }, (_, f) => Array.from({ length: OH }, () => Array<number>(OW).fill(t.b[f])));
      for (let f = 0; f < F; f++) {
        for (let c = 0; c < t.x.length; c++) {
          const part = await studentConv(s, { ...t, x: [t.x[c]], W: [[t.W[f][c]]], b: [0] });
          part[0].forEach((row, i) => row.forEach((v, j) => (expected[f][i][j] += v)));
        }
      }
      expectClose(out, expected, FLOAT64, `${callText('conv2d', convArgs(t))} vs the sum of your single-channel, single-filter convolutions plus b`);
    },
  }),
  property({
    id: 'J1.conv2d.identity-kernel', exercise: 'conv2d', catalogue: 'J1', numRuns: 30,
    title: 'filters W[f][c] = δ_fc·(K×K with a 1 at the centre), pad (K − 1)/2, stride 1 return x + b',
    hint: 'J1/J5: the identity kernel reads x(i + (K − 1)/2 − P, j + …) = x(i, j) when P = (K − 1)/2: the output is the input, shifted by nothing',
    arbitrary: fc.record({ C: fc.integer({ min: 1, max: 3 }), H: fc.integer({ min: 1, max: 5 }), W: fc.integer({ min: 1, max: 5 }), half: fc.integer({ min: 0, max: 2 }) }).chain((g) =>
      fc.record({ x: imageOf(g.C, g.H, g.W, quarter), b: vectorOf(g.C, quarter), half: fc.constant(g.half) }),
    ),
    verify: async ({ x, b, half }, s) => {
      const K = 2 * half + 1;
      const C = x.length;
      const W = Array.from({ length: C }, (_, f) => Array.from({ length: C }, (_, c) => Array.from({ length: K }, (_, i) => Array.from({ length: K }, (_, j) => (f === c && i === half && j === half ? 1 : 0)))));
      const t: ConvCase = { x, W, b, stride: 1, pad: half, dilation: 1 };
      const out = await studentConv(s, t);
      expectClose(out, x.map((ch, c) => ch.map((row) => row.map((v) => v + b[c]))), FLOAT64, `${callText('conv2d', convArgs(t))} (identity filters) vs x + b`);
    },
  }),
];

// ---------------------------------------------------------------------------------------------
// J2 — true convolution

const J2 = 'J2: out[i][j] = Σ_u Σ_v x[i + KH − 1 − u][j + KW − 1 − v]·w[u][v] = cross-correlation with w rotated by 180° ([Jung] "Convolution vs Cross-correlation")';

const convolveChecks: Check[] = [
  example({
    id: 'J2.convolve2d.example', exercise: 'convolve2d', catalogue: 'J2',
    title: 'true convolution of the [Tu] 5×5 with its kernel: [[18,20,19],[10,9,17],[11,8,14]]',
    hint: `${J2}; the cross-correlation [[12,12,17],…] is what you get without the flip`,
    args: [trueConvolutionExample.input.x, trueConvolutionExample.input.w], expected: trueConvolutionExample.expected,
    variants: { [MISTAKES.notFlipped]: trueConvolutionExample.wrong.notFlipped },
  }),
  example({
    id: 'J2.convolve2d.kernel-too-large', exercise: 'convolve2d', catalogue: 'J2',
    title: 'a 2×3 kernel on a 3×2 image (wider than x, though not taller) must throw an Error that names convolve2d',
    hint: "J2: the 'valid' output is (H − KH + 1) × (W − KW + 1): here W − KW + 1 = 0 columns; throw an Error naming convolve2d (e.g. tensor.ts's new ArgumentError('convolve2d', 'w', …)) when w is larger than x in either dimension",
    args: [[[1, 2], [3, 4], [5, 6]], [[1, 0, 1], [0, 1, 0]]], throws: true,
  }),
  property({
    id: 'J2.convolve2d.impulse-kernel', exercise: 'convolve2d', catalogue: 'J2', numRuns: 40,
    title: 'a one-hot kernel (1 at (a, b) of KH×KW) shifts the image: out[i][j] = x[i + KH − 1 − a][j + KW − 1 − b]',
    hint: `${J2}: Y(x, y) = Σ X(x − u, y − v)w(u, v): a tap at (a, b) reads the pixel a rows above the window's last row`,
    arbitrary: fc.record({ H: fc.integer({ min: 1, max: 6 }), W: fc.integer({ min: 1, max: 6 }), KH: fc.integer({ min: 1, max: 4 }), KW: fc.integer({ min: 1, max: 4 }) })
      .filter((g) => g.KH <= g.H && g.KW <= g.W && g.KH * g.KW > 1)
      .chain((g) => fc.record({ x: matrixOf(g.H, g.W, quarter), a: fc.integer({ min: 0, max: g.KH - 1 }), b: fc.integer({ min: 0, max: g.KW - 1 }), KH: fc.constant(g.KH), KW: fc.constant(g.KW) })),
    verify: async ({ x, a, b, KH, KW }, s) => {
      const w = Array.from({ length: KH }, (_, u) => Array.from({ length: KW }, (_, v) => (u === a && v === b ? 1 : 0)));
      const out = await s.call('convolve2d', [x, w]);
      const [OH, OW] = [x.length - KH + 1, x[0].length - KW + 1];
      const expected = Array.from({ length: OH }, (_, i) => Array.from({ length: OW }, (_, j) => x[i + KH - 1 - a][j + KW - 1 - b]));
      const upright = Array.from({ length: OH }, (_, i) => Array.from({ length: OW }, (_, j) => x[i + a][j + b]));
      expectClose(out, expected, FLOAT64, callText('convolve2d', [x, w]), { [MISTAKES.notFlipped]: upright });
    },
  }),
  property({
    id: 'J2.convolve2d.flipped-correlation', exercise: 'convolve2d', catalogue: 'J2', numRuns: 30,
    title: 'convolve2d(x, w) = your conv2d([x], [[w rotated by 180°]], [0])[0] (compares with your conv2d: fix conv2d first)',
    hint: `${J2}: "to perform convolution operation, we need to flip the weights in both dimension or rotate the matrix 180 degree". This check compares with YOUR conv2d (J1): if conv2d fails its own checks, fix it first`,
    arbitrary: fc.record({ H: fc.integer({ min: 1, max: 6 }), W: fc.integer({ min: 1, max: 6 }), KH: fc.integer({ min: 1, max: 4 }), KW: fc.integer({ min: 1, max: 4 }) })
      .filter((g) => g.KH <= g.H && g.KW <= g.W)
      .chain((g) => fc.tuple(matrixOf(g.H, g.W, quarter), matrixOf(g.KH, g.KW, quarter))),
    verify: async ([x, w], s) => {
      const out = await s.call('convolve2d', [x, w]);
      const viaConv = await studentConv(s, { x: [x], W: [[rot180(w)]], b: [0], stride: 1, pad: 0, dilation: 1 });
      expectClose(out, viaConv[0], FLOAT64, `${callText('convolve2d', [x, w])} vs your conv2d with the kernel rotated by 180°`);
    },
  }),
];

// ---------------------------------------------------------------------------------------------
// J3 — im2col, col2im, conv2dIm2col

const J3 = 'J3: X_col[(c·KH + u)·KW + v][oy·OW + ox] = x_c(oy·S + u·d − P, ox·S + v·d − P), 0 in the padding ([Oh] "Implementation as Matrix Multiplication")';

interface ColCase {
  shape: [number, number, number];
  KH: number;
  KW: number;
  stride: number;
  pad: number;
  dilation: number;
}

/** An im2col/col2im geometry (any C, non-square, stride, pad, dilation) with the kernel fitting. */
export const colCase: fc.Arbitrary<ColCase> = fc
  .record({ C: fc.integer({ min: 1, max: 3 }), H: fc.integer({ min: 1, max: 6 }), W: fc.integer({ min: 1, max: 6 }), KH: fc.integer({ min: 1, max: 3 }), KW: fc.integer({ min: 1, max: 3 }), stride: fc.integer({ min: 1, max: 3 }), pad: fc.integer({ min: 0, max: 2 }), dilation: fc.integer({ min: 1, max: 2 }) })
  .filter((g) => g.dilation * (g.KH - 1) + 1 <= g.H + 2 * g.pad && g.dilation * (g.KW - 1) + 1 <= g.W + 2 * g.pad)
  .map(({ C, H, W, ...rest }) => ({ shape: [C, H, W] as [number, number, number], ...rest }));

const colGeometry = (g: ColCase) => {
  const [C, H, W] = g.shape;
  const [OH, OW] = [outSize(H, g.KH, g.stride, g.pad, g.dilation), outSize(W, g.KW, g.stride, g.pad, g.dilation)];
  return { C, H, W, OH, OW, rows: C * g.KH * g.KW, cols: OH * OW };
};
/** The input pixel (c, i, j) that entry (r, p) of X_col reads, or null in the padding. */
function source(g: ColCase, r: number, p: number): [number, number, number] | null {
  const { H, W, OW } = colGeometry(g);
  const [c, u, v] = [Math.floor(r / (g.KH * g.KW)), Math.floor(r / g.KW) % g.KH, r % g.KW];
  const [i, j] = [Math.floor(p / OW) * g.stride + u * g.dilation - g.pad, (p % OW) * g.stride + v * g.dilation - g.pad];
  return i >= 0 && i < H && j >= 0 && j < W ? [c, i, j] : null;
}
const colArgs = (x: Img, g: ColCase) => [x, g.KH, g.KW, g.stride, g.pad, g.dilation];
const col2imArgs = (cols: Mat, g: ColCase) => [cols, g.shape, g.KH, g.KW, g.stride, g.pad, g.dilation];

async function studentCol2im(s: S, cols: Mat, g: ColCase): Promise<Img> {
  const out = await s.call('col2im', col2imArgs(cols, g));
  const [C, H, W] = g.shape;
  expectThat(isImage(out, C, H, W), `${callText('col2im', col2imArgs(cols, g))} must return an image of shape [${C}, ${H}, ${W}] with finite entries`, out);
  return out as Img;
}

const im2colChecks: Check[] = [
  example({
    id: 'J3.im2col.example', exercise: 'im2col', catalogue: 'J3',
    title: 'im2col of [[1,2,3],[4,5,6],[7,8,9]] with a 2×2 kernel: one column per output position, rows (u, v) in row-major order',
    hint: `${J3}; here X_col = [[1,2,4,5],[2,3,5,6],[4,5,7,8],[5,6,8,9]]`,
    args: colArgs(im2colExample.input.x, { ...im2colExample.input, shape: [1, 3, 3] }), expected: im2colExample.expected,
  }),
  example({
    id: 'J3.im2col.padded-example', exercise: 'im2col', catalogue: 'J3',
    title: 'im2col of two 2×2 channels, 2×2 kernel, stride 2, pad 1: an 8×4 matrix with one real pixel per window',
    hint: `${J3}: rows run over channels first (c·KH·KW + …), padding contributes zeros`,
    args: colArgs(im2colPaddedExample.input.x, { ...im2colPaddedExample.input, shape: [2, 2, 2] }), expected: im2colPaddedExample.expected,
  }),
  property({
    id: 'J3.im2col.index-map', exercise: 'im2col', catalogue: 'J3', numRuns: 60,
    title: 'on an image whose pixels are their own labels, every entry of X_col is the pixel its (row, column) reads, or 0 in the padding',
    hint: `${J3}; X_col has C·KH·KW rows and OH·OW columns`,
    arbitrary: colCase,
    verify: async (g, s) => {
      const [C, H, W] = g.shape;
      const x = Array.from({ length: C }, (_, c) => Array.from({ length: H }, (_, i) => Array.from({ length: W }, (_, j) => 1 + (c * H + i) * W + j)));
      const { rows, cols } = colGeometry(g);
      const out = await s.call('im2col', colArgs(x, g));
      expectThat(isMatrix(out, rows, cols), `${callText('im2col', colArgs(x, g))} must return a [C·KH·KW, OH·OW] = [${rows}, ${cols}] matrix of finite numbers`, out);
      const expected = Array.from({ length: rows }, (_, r) => Array.from({ length: cols }, (_, p) => {
        const at = source(g, r, p);
        return at ? x[at[0]][at[1]][at[2]] : 0;
      }));
      expectClose(out, expected, FLOAT64, `${callText('im2col', colArgs(x, g))} (x_c(i, j) = 1 + (c·H + i)·W + j)`);
    },
  }),
];

const col2imChecks: Check[] = [
  example({
    id: 'J3.col2im.example', exercise: 'col2im', catalogue: 'J3',
    title: 'col2im of the im2col of 1..9 (2×2 kernel): each pixel times the number of windows covering it, [[1,4,3],[8,20,12],[7,16,9]]',
    hint: 'J3: col2im ADDS every column entry into its pixel ([Oh] "overlapped gradients are accumulated"): the centre pixel lies in 4 windows',
    args: col2imArgs(col2imExample.input.cols, col2imExample.input), expected: col2imExample.expected,
    variants: { [MISTAKES.overwritten]: col2imExample.wrong.overwritten },
  }),
  property({
    id: 'J3.col2im.window-counts', exercise: 'col2im', catalogue: 'J3', numRuns: 60,
    title: 'col2im of an all-ones X_col counts, at every pixel, the windows that cover it (padding entries dropped)',
    hint: 'J3: every entry (r, p) lands on the pixel im2col read it from, and overlapping windows add up; entries that im2col took from the padding are dropped',
    arbitrary: colCase,
    verify: async (g, s) => {
      const { C, H, W, rows, cols } = colGeometry(g);
      const ones = Array.from({ length: rows }, () => Array<number>(cols).fill(1));
      const out = await studentCol2im(s, ones, g);
      const counts = Array.from({ length: C }, () => Array.from({ length: H }, () => Array<number>(W).fill(0)));
      for (let r = 0; r < rows; r++) for (let p = 0; p < cols; p++) {
        const at = source(g, r, p);
        if (at) counts[at[0]][at[1]][at[2]] += 1;
      }
      expectClose(out, counts, FLOAT64, callText('col2im', col2imArgs(ones, g)), { [MISTAKES.overwritten]: counts.map((ch) => ch.map((row) => row.map((n) => (n > 0 ? 1 : 0)))) });
    },
  }),
  property({
    id: 'J3.col2im.adjoint', exercise: 'col2im', catalogue: 'J3', numRuns: 40,
    title: 'col2im is the adjoint of your im2col: ⟨im2col(x), Y⟩ = ⟨x, col2im(Y)⟩ for random x and Y',
    hint: 'J3/J4: col2im sends each entry of Y back where im2col took it from, adding overlaps — that is what makes dx = col2im(W_rowᵀ·dout) the gradient',
    arbitrary: colCase.chain((g) => {
      const { C, H, W, rows, cols } = colGeometry(g);
      return fc.tuple(fc.constant(g), imageOf(C, H, W, quarter), matrixOf(rows, cols, quarter));
    }),
    verify: async ([g, x, Y], s) => {
      const { rows, cols } = colGeometry(g);
      const Xcol = await s.call('im2col', colArgs(x, g));
      expectThat(isMatrix(Xcol, rows, cols), `your im2col must return a [${rows}, ${cols}] matrix here (needed by this check)`, Xcol);
      const back = await studentCol2im(s, Y, g);
      expectClose(dot(flat(back), flat(x)), dot(flat(Xcol), flat(Y)), FLOAT64, `⟨x, col2im(Y)⟩ vs ⟨im2col(x), Y⟩ (${callText('col2im', col2imArgs(Y, g))})`);
    },
  }),
];

const im2colConvChecks: Check[] = [
  example({
    id: 'J3.conv2dIm2col.discrete-example', exercise: 'conv2dIm2col', catalogue: 'J3',
    title: 'W_row·X_col on the [Tu] 5×5 example: [[12,12,17],[10,17,19],[9,6,14]]',
    hint: `${J3}; O = W_row·X_col + b_col, then row f of O reshaped to OH × OW (row-major: p = oy·OW + ox)`,
    args: exampleArgs(tuExample.input), expected: tuExample.expected,
    variants: { [MISTAKES.flipped]: tuExample.wrong.flipped },
  }),
  example({
    id: 'J3.conv2dIm2col.filters-bias-example', exercise: 'conv2dIm2col', catalogue: 'J3',
    title: 'two 2-channel filters with biases [0, −1]: [[[56,72],[104,120]], [[4,6],[10,12]]]',
    hint: 'J3: W_row[f] is filter f flattened in the order of X_col\'s rows ((c·KH + u)·KW + v); b_col repeats b_f in every column of row f',
    args: exampleArgs(twoFilterExample.input), expected: twoFilterExample.expected,
  }),
  // Compared with W_row·(your im2col) + b rather than with your conv2d: this is J3's own definition,
  // it tests exactly what conv2dIm2col adds (W flattened in X_col's row order, the product, b_col,
  // the row-major reshape) and depends only on im2col, graded on its own index map in this row of
  // the catalogue. A wrong conv2d (J1) costs no points here; im2col ≡ direct is still held by the
  // two worked examples above and the hidden check against the reference.
  property({
    id: 'J3.conv2dIm2col.matrix-product', exercise: 'conv2dIm2col', catalogue: 'J3', numRuns: 40,
    title: 'conv2dIm2col = W_row·(your im2col) + b_col reshaped to [F, OH, OW], on random inputs (channels, filters, stride, pad, dilation)',
    hint: 'J3: W_row[f] is filter f flattened in the order of X_col\'s rows ((c·KH + u)·KW + v); O = W_row·X_col + b_col, row f of O reshaped row by row (p = oy·OW + ox) ([Oh]: "the forward pass of a convolutional layer as one big matrix multiply")',
    arbitrary: convCase({ maxC: 3, maxF: 3 }),
    verify: async (t, s) => {
      const viaCols = await studentConv(s, t, 'conv2dIm2col');
      const [, OH, OW] = outShape(t);
      const [KH, KW] = [t.W[0][0].length, t.W[0][0][0].length];
      const imArgs = [t.x, KH, KW, t.stride, t.pad, t.dilation];
      const Xcol = await s.call('im2col', imArgs);
      const rows = t.x.length * KH * KW;
      expectThat(isMatrix(Xcol, rows, OH * OW), `your ${callText('im2col', imArgs)} must return a [${rows}, ${OH * OW}] matrix here (needed by this check)`, Xcol);
      const column = (p: number) => (Xcol as Mat).map((row) => row[p]);
      const product = t.W.map((wf, f) => toImage(Array.from({ length: OH * OW }, (_, p) => t.b[f] + dot(flat(wf), column(p))), 1, OH, OW)[0]);
      expectClose(viaCols, product, FLOAT64, `${callText('conv2dIm2col', convArgs(t))} vs W_row·(your im2col) + b_col`);
    },
  }),
];

// ---------------------------------------------------------------------------------------------
// J4 — backward

const J4 = 'J4: dx_c(i, j) = Σ dout_f(oy, ox)·W[f][c][u][v] over every window position and tap that read x_c(i, j); dW[f][c][u][v] = Σ_{oy,ox} dout_f(oy, ox)·x_c(oy·S + u·d − P, ox·S + v·d − P); db_f = Σ dout_f ([Oh] "Backpropagation of Convolution Layer")';

interface BackCase {
  t: ConvCase;
  dout: Img;
}

const backArgs = ({ t, dout }: BackCase) => [dout, t.x, t.W, t.stride, t.pad, t.dilation];
const withDout = (arb: fc.Arbitrary<ConvCase>, e: fc.Arbitrary<number>) => arb.chain((t) => {
  const [F, OH, OW] = outShape(t);
  return imageOf(F, OH, OW, e).map((dout) => ({ t, dout }));
});

async function studentGrads(s: S, c: BackCase): Promise<{ dx: Img; dW: Fil; db: Vec }> {
  const g = await s.call('conv2dBackward', backArgs(c));
  const [C, H, W] = dims(c.t.x);
  const [F, , KH, KW] = [c.t.W.length, C, c.t.W[0][0].length, c.t.W[0][0][0].length];
  const what = callText('conv2dBackward', backArgs(c));
  expectThat(isObject(g), `${what} must return { dx, dW, db }`, g);
  const o = g as Record<string, unknown>;
  expectThat(isImage(o.dx, C, H, W), `${what}: dx must have x's shape [${C}, ${H}, ${W}] with finite entries`, o.dx);
  expectThat(Array.isArray(o.dW) && o.dW.length === F && o.dW.every((wf) => isImage(wf, C, KH, KW)), `${what}: dW must have W's shape [${F}, ${C}, ${KH}, ${KW}] with finite entries`, o.dW);
  expectThat(isVector(o.db, F), `${what}: db must have length F = ${F}`, o.db);
  return o as { dx: Img; dW: Fil; db: Vec };
}

/** L(x, W, b) = Σ dout ⊙ your conv2d(x, W, b, …), with (x, W, b) packed in one vector. */
function convLoss(s: S, { t, dout }: BackCase) {
  const [C, H, W] = dims(t.x);
  const [F, KH, KW] = [t.W.length, t.W[0][0].length, t.W[0][0][0].length];
  const [nx, nw] = [C * H * W, F * C * KH * KW];
  return async (v: Vec) => {
    const out = await studentConv(s, { ...t, x: toImage(v.slice(0, nx), C, H, W), W: toFilters(v.slice(nx, nx + nw), F, C, KH, KW), b: v.slice(nx + nw) });
    return dot(flat(out), flat(dout));
  };
}
const packed = (t: ConvCase) => [...flat(t.x), ...flat(t.W), ...t.b];

const backwardChecks: Check[] = [
  example({
    id: 'J4.conv2dBackward.example', exercise: 'conv2dBackward', catalogue: 'J4',
    title: 'the [Tu] 5×5 and kernel with dout = [[1,0,0],[0,2,0],[0,0,−1]]: dW = [[1,3,5],[2,2,3],[3,1,5]], db = [2], dx = the kernel stamped at (0,0), ×2 at (1,1), ×−1 at (2,2)',
    hint: `${J4}`,
    args: backArgs({ t: { ...backwardExample.input, b: [0] }, dout: backwardExample.input.dout }), expected: backwardExample.expected,
    variants: { [MISTAKES.dxFlipped]: { dx: backwardExample.wrong.flippedDx } },
  }),
  example({
    id: 'J4.conv2dBackward.strided-example', exercise: 'conv2dBackward', catalogue: 'J4',
    title: 'stride 2, pad 1 on the same 5×5 with dout = [[1,0,2],[0,1,0],[−1,0,1]]: dW = [[2,1,3],[3,4,5],[6,2,2]], db = [4]',
    hint: `${J4}: the backward pass visits exactly the windows of the forward pass — at stride S, with the −P offset, dropping padding taps`,
    args: backArgs({ t: { ...backwardStridedExample.input, b: [0] }, dout: backwardStridedExample.input.dout }), expected: backwardStridedExample.expected,
    variants: { [MISTAKES.backwardStrideIgnored]: backwardStridedExample.wrong.strideIgnored },
  }),
  property({
    id: 'J4.conv2dBackward.numeric', exercise: 'conv2dBackward', catalogue: 'J4', numRuns: 10,
    title: 'dx, dW and db equal the numerical gradient of Σ dout ⊙ your conv2d on tiny inputs (every entry)',
    hint: `${J4}. Check each of dx, dW, db with central differences (S1) of your own forward pass. This check differentiates YOUR conv2d (J1): fix conv2d first`,
    arbitrary: withDout(convCase({ maxC: 2, maxF: 2, maxHW: 4, maxK: 2, maxS: 2, maxP: 1, maxD: 2, entries: eighths(2) }), eighths(2)),
    verify: async (c, s) => {
      const g = await studentGrads(s, c);
      const numeric = await numericalGradient(convLoss(s, c), packed(c.t));
      const [C, H, W] = dims(c.t.x);
      const [F, KH, KW] = [c.t.W.length, c.t.W[0][0].length, c.t.W[0][0][0].length];
      const [nx, nw] = [C * H * W, F * C * KH * KW];
      expectClose(g, { dx: toImage(numeric.slice(0, nx), C, H, W), dW: toFilters(numeric.slice(nx, nx + nw), F, C, KH, KW), db: numeric.slice(nx + nw) }, NUMERIC,
        `${callText('conv2dBackward', backArgs(c))} vs central differences of your conv2d`);
    },
  }),
  property({
    id: 'J4.conv2dBackward.directional', exercise: 'conv2dBackward', catalogue: 'J4', numRuns: 30,
    title: 'along random directions v in (x, W, b): vᵀ(dx, dW, db) equals the directional derivative of Σ dout ⊙ your conv2d (larger inputs)',
    hint: `${J4}. A directional check (S3): every entry of dx, dW and db enters vᵀ∇L. This check differentiates YOUR conv2d (J1): fix conv2d first`,
    arbitrary: withDout(convCase({ maxC: 3, maxF: 3, maxHW: 7, maxK: 3, maxS: 3, maxP: 2, maxD: 2, entries: eighths(2) }), eighths(2)).chain((c) => fc.tuple(fc.constant(c), direction(packed(c.t).length))),
    verify: async ([c, v], s) => {
      const g = await studentGrads(s, c);
      const analytic = dot([...flat(g.dx), ...flat(g.dW), ...g.db], v);
      const numeric = await directionalDerivative(convLoss(s, c), packed(c.t), v);
      expectClose(analytic, numeric, NUMERIC, `vᵀ(dx, dW, db) vs (L(θ + hv) − L(θ − hv))/2h of your conv2d for ${callText('conv2dBackward', backArgs(c))}`);
    },
  }),
  property({
    id: 'J4.conv2dBackward.bilinear', exercise: 'conv2dBackward', catalogue: 'J4', numRuns: 40,
    title: 'conv is bilinear in (x, W): Σ dx ⊙ x = Σ dW ⊙ W = Σ dout ⊙ (out − b), and db_f = Σ dout_f',
    hint: `${J4}. Euler's identity for a function linear in x and in W: both sums equal Σ dout ⊙ conv2d(x, W, 0). This check uses YOUR conv2d (J1): fix conv2d first`,
    arbitrary: withDout(convCase({ maxC: 3, maxF: 3, maxHW: 7, maxS: 3 }), quarter),
    verify: async (c, s) => {
      const g = await studentGrads(s, c);
      const out = await studentConv(s, { ...c.t, b: c.t.b.map(() => 0) });
      const target = dot(flat(out), flat(c.dout));
      expectClose([dot(flat(g.dx), flat(c.t.x)), dot(flat(g.dW), flat(c.t.W))], [target, target], FLOAT64, '[Σ dx ⊙ x, Σ dW ⊙ W] vs Σ dout ⊙ your conv2d(x, W, 0)');
      expectClose(g.db, c.dout.map((m) => sum(flat(m))), FLOAT64, 'db vs Σ dout over each output map');
    },
  }),
];

// ---------------------------------------------------------------------------------------------
// J5 — image kernels

const kernelOf = (name: string) => imageKernels.find((k) => k.input.name === name)!.expected;
const kernelExample = (id: string, names: string[], title: string, hint: string): Check =>
  example({
    id: `J5.imageKernel.${id}`, exercise: 'imageKernel', catalogue: 'J5', title, hint,
    verify: async (s) => {
      for (const name of names) expectClose(await s.call('imageKernel', [name]), kernelOf(name), FLOAT64, `imageKernel('${name}')`);
    },
  });
const BLURS = ['boxBlur', 'gaussianBlur'];
const EDGES = ['edge1', 'edge2', 'edge3'];

const kernelChecks: Check[] = [
  kernelExample('identity', ['identity'], "imageKernel('identity') = [[0,0,0],[0,1,0],[0,0,0]]", 'J5: the notes\' table ([Training] "Convolution Operation(Filtering)"): identity has a single 1 at the centre'),
  kernelExample('edges', EDGES, "imageKernel('edge1' | 'edge2' | 'edge3') = the table's three edge-detection kernels", 'J5: edge1 [[1,0,−1],[0,0,0],[−1,0,1]], edge2 [[0,1,0],[1,−4,1],[0,1,0]], edge3 [[−1,−1,−1],[−1,8,−1],[−1,−1,−1]]'),
  kernelExample('sharpen', ['sharpen'], "imageKernel('sharpen') = [[0,−1,0],[−1,5,−1],[0,−1,0]]", "J5: sharpen = identity − edge2 (it sums to 1); the [Tu] copy of the table prints the Laplacian on the Sharpen line — a lost row"),
  kernelExample('blurs', BLURS, "imageKernel('boxBlur') = (1/9)·ones, imageKernel('gaussianBlur') = (1/16)[[1,2,1],[2,4,2],[1,2,1]]", 'J5: the notes\' blurs are normalised ("Box blur (normalized)"): they sum to 1'),
  example({
    id: 'J5.imageKernel.unknown-name', exercise: 'imageKernel', catalogue: 'J5',
    title: "imageKernel('emboss') (a name outside the table) must throw an Error that names imageKernel",
    hint: "J5: only the seven names of the table are kernels; for any other name throw an Error naming imageKernel (e.g. new ArgumentError('imageKernel', 'name', …)), not a default kernel",
    args: ['emboss'], throws: true,
  }),
  // Checked on the kernels themselves, without your conv2d: on a constant image c every 'valid'
  // output is c·Σk, and the identity returns every image iff it is the centred unit impulse.
  example({
    id: 'J5.imageKernel.constant-images', exercise: 'imageKernel', catalogue: 'J5',
    title: 'a constant image stays constant under the blurs, identity and sharpen (their entries sum to 1) and becomes 0 under the edge kernels (sum 0)',
    hint: 'J5: on a constant image c every window gives c·Σk: blurs must sum to 1 ("normalized"), edge kernels to 0',
    verify: async (s) => {
      for (const name of ['identity', 'sharpen', ...BLURS, ...EDGES]) {
        const k = await s.call('imageKernel', [name]);
        expectThat(isMatrix(k, 3, 3), `imageKernel('${name}') must be a 3×3 matrix`, k);
        const level = EDGES.includes(name) ? 0 : 1;
        const total = sum(flat(k));
        // nine entries summed: the ninths and sixteenths are rounded in binary, so Σ is within ~9·1.1e−16
        // of 1 (or 0), far inside 1e−12; the mistakes this targets (a blur without its 1/9 or 1/16, a
        // wrong centre tap) miss by 1/16 or more
        expectClose(total, level, { rtol: 1e-12, atol: 1e-12 }, `Σ imageKernel('${name}') (a constant image c would come out as ${total}·c, not ${level === 0 ? '0' : 'c'})`);
      }
    },
  }),
  example({
    id: 'J5.imageKernel.identity-returns-input', exercise: 'imageKernel', catalogue: 'J5',
    title: "imageKernel('identity') returns the image (with pad 1): it is the unit impulse at the centre tap",
    hint: 'J5: out(i, j) = Σ_u Σ_v x(i + u − 1, j + v − 1)·k[u][v] equals x(i, j) for every image only when k[1][1] = 1 and every other tap is 0; a 1 at tap (u, v) shifts the image by (u − 1, v − 1)',
    verify: async (s) => {
      const k = await s.call('imageKernel', ['identity']);
      expectThat(isMatrix(k, 3, 3), "imageKernel('identity') must be a 3×3 matrix", k);
      const taps = (k as Mat).flatMap((row, u) => row.map((v, w) => ({ u, w, v }))).filter((t) => t.v !== 0);
      const shifts = taps.map((t) => `${t.v} at (${t.u}, ${t.w}): shifts the image by (${t.u - 1}, ${t.w - 1})`).join('; ');
      expectThat(taps.length === 1 && taps[0].u === 1 && taps[0].w === 1 && taps[0].v === 1, `imageKernel('identity') must have a single 1 at the centre (1, 1) to return the image; its nonzero taps: ${shifts || 'none'}`, k);
    },
  }),
];

// ---------------------------------------------------------------------------------------------
// J6 — 1×1 convolution

const J6 = 'J6: out_f(i, j) = b_f + Σ_c W[f][c]·x_c(i, j): the same F×C matrix applied to the channel vector of every pixel ([Oh] "1X1 Convolution")';

const oneByOneCase = fc.record({ C: fc.integer({ min: 1, max: 4 }), F: fc.integer({ min: 1, max: 4 }), H: fc.integer({ min: 1, max: 4 }), W: fc.integer({ min: 1, max: 4 }) }).chain((g) =>
  fc.record({ x: imageOf(g.C, g.H, g.W, quarter), W: matrixOf(g.F, g.C, quarter), b: vectorOf(g.F, quarter) }),
);

async function student1x1(s: S, t: { x: Img; W: Mat; b: Vec }): Promise<Img> {
  const out = await s.call('conv1x1', [t.x, t.W, t.b]);
  const [, H, W] = dims(t.x);
  expectThat(isImage(out, t.W.length, H, W), `${callText('conv1x1', [t.x, t.W, t.b])} must return [F, H, W] = [${t.W.length}, ${H}, ${W}] of finite numbers`, out);
  return out as Img;
}

const conv1x1Checks: Check[] = [
  example({
    id: 'J6.conv1x1.example', exercise: 'conv1x1', catalogue: 'J6',
    title: 'two channels [[1,2]], [[3,4]], W = [[1,−1],[2,½],[0,1]], b = [0,1,−1]: [[[−2,−2]],[[4.5,7]],[[2,3]]]',
    hint: J6,
    args: [conv1x1Example.input.x, conv1x1Example.input.W, conv1x1Example.input.b], expected: conv1x1Example.expected,
  }),
  // the catalogue's "1×1 conv ≡ per-pixel matrix" is J6's definition: checked directly, without your conv2d
  property({
    id: 'J6.conv1x1.per-pixel', exercise: 'conv1x1', catalogue: 'J6', numRuns: 60,
    title: 'at every pixel, the output channel vector is W·(x_0(i, j), …, x_{C−1}(i, j)) + b',
    hint: J6,
    arbitrary: oneByOneCase,
    verify: async (t, s) => {
      const out = await student1x1(s, t);
      const [C, H, W] = dims(t.x);
      const at = (M: Mat) => Array.from({ length: M.length }, (_, f) => Array.from({ length: H }, (_, i) => Array.from({ length: W }, (_, j) => t.b[f] + sum(Array.from({ length: C }, (_, c) => M[f][c] * t.x[c][i][j])))));
      const variants: Variants = { [MISTAKES.biasIgnored]: at(t.W).map((ch, f) => ch.map((row) => row.map((v) => v - t.b[f]))) };
      if (C === t.W.length) variants[MISTAKES.transposedW] = at(t.W[0].map((_, f) => t.W.map((row) => row[f])));
      expectClose(out, at(t.W), FLOAT64, callText('conv1x1', [t.x, t.W, t.b]), variants);
    },
  }),
];

export const convolution: FamilyGrader = {
  id: 'J',
  module: 'convolution',
  title: 'Convolution',
  exercises: [
    { name: 'conv2d', catalogue: 'J1', arity: 6, summary: 'multi-channel cross-correlation with bias, stride, zero padding and dilation' },
    { name: 'convolve2d', catalogue: 'J2', arity: 2, summary: "true convolution (kernel rotated 180°), one channel, 'valid'" },
    { name: 'im2col', catalogue: 'J3', arity: 6, summary: 'X_col [C·KH·KW × OH·OW]: one column per window' },
    { name: 'col2im', catalogue: 'J3', arity: 7, summary: 'the adjoint of im2col: entries added back onto their pixels' },
    { name: 'conv2dIm2col', catalogue: 'J3', arity: 6, summary: 'conv2d as W_row·X_col + b_col' },
    { name: 'conv2dBackward', catalogue: 'J4', arity: 6, summary: 'dx (accumulated), dW, db of conv2d' },
    { name: 'imageKernel', catalogue: 'J5', arity: 1, summary: "the notes' identity, edge, sharpen and blur kernels" },
    { name: 'conv1x1', catalogue: 'J6', arity: 3, summary: 'a per-pixel linear map across channels' },
  ],
  checks: [...conv2dChecks, ...convolveChecks, ...im2colChecks, ...col2imChecks, ...im2colConvChecks, ...backwardChecks, ...kernelChecks, ...conv1x1Checks],
};
