/**
 * Family K (pooling): hidden differential checks, student vs reference on random inputs.
 * Instructor side only.
 *
 * Geometries are drawn so that every convention shows: non-square maps, windows from 1×1 to
 * 4×4, strides below k (overlap: shared cells must accumulate), equal to k, and above k (gaps
 * that get no gradient), leftover rows and columns (the output size rounds down), several
 * channels. Values come in two strata: distinct multiples of ⅛ (no ties) and small integers
 * (many ties, so the first-maximum rule and the switches built from it are exercised); dout is a
 * multiple of ⅛ too. On a grid, a counterexample shrinks to values like ±⅛ where a mistake is off
 * by a visible amount, never to doubles of 1e−12 whose error sits at the tolerance and reads as
 * rounding noise. Each check names the mistakes its wrong values match by running the
 * reference's own building blocks wrongly, and names none where two of them coincide.
 */
import fc from 'fast-check';
import * as ref from '../../reference/pooling.ts';
import { differential, EXACT } from '../engine/checks.ts';
import { scaled, type Variants } from '../engine/diagnose.ts';
import type { Check } from '../engine/types.ts';
import { MISTAKES } from '../pooling.grader.ts';
import { eighths, imageOf } from '../engine/arbitraries.ts';

type Vec = number[];
type Img = number[][][];

interface Case {
  x: Img;
  size: number;
  stride: number;
  dout: Img;
}

const outSize = (n: number, k: number, s: number) => Math.floor((n - k) / s) + 1;
/** Multiples of ⅛ in [−max, max]: exact in binary, and shrinking ends at 0 or ±⅛. */
const integers = fc.integer({ min: -2, max: 2 });
/** C·H·W distinct multiples of ⅛ in [−50, 50] (801 values for at most 300 cells): no ties. */
const distinctImage = (C: number, H: number, W: number): fc.Arbitrary<Img> =>
  fc.uniqueArray(fc.integer({ min: -400, max: 400 }), { minLength: C * H * W, maxLength: C * H * W }).map((v) =>
    Array.from({ length: C }, (_, c) => Array.from({ length: H }, (_, h) => v.slice((c * H + h) * W, (c * H + h + 1) * W).map((a) => a / 8))),
  );

const poolCase: fc.Arbitrary<Case> = fc
  .record({ C: fc.integer({ min: 1, max: 3 }), size: fc.integer({ min: 1, max: 4 }), stride: fc.integer({ min: 1, max: 5 }), ties: fc.boolean() })
  .chain((g) => fc.record({ ...Object.fromEntries(Object.entries(g).map(([k, v]) => [k, fc.constant(v)])), H: fc.integer({ min: g.size, max: 10 }), W: fc.integer({ min: g.size, max: 10 }) }) as fc.Arbitrary<typeof g & { H: number; W: number }>)
  .chain((g) =>
    fc.record({
      x: g.ties ? imageOf(g.C, g.H, g.W, integers) : distinctImage(g.C, g.H, g.W),
      size: fc.constant(g.size),
      stride: fc.constant(g.stride),
      dout: imageOf(g.C, outSize(g.H, g.size, g.stride), outSize(g.W, g.size, g.stride), eighths(3)),
    }),
  );
const shapeOf = (x: Img): [number, number, number] => [x.length, x[0].length, x[0][0].length];

/**
 * Global pooling: C channels of H×W, H = 1 … 10 drawn but shrunk towards H = 2. At H = 1 the
 * mistakes ÷H, ÷H² and no division all give the channel sum and cannot be told apart, so a
 * counterexample that shrank there would name none of them.
 */
const gapCase = fc
  .record({ C: fc.integer({ min: 1, max: 3 }), H: fc.integer({ min: 2, max: 11 }).map((h) => (h === 11 ? 1 : h)), W: fc.integer({ min: 1, max: 10 }) })
  .chain(({ C, H, W }) => fc.record({ x: imageOf(C, H, W, eighths(10)), d: fc.array(eighths(3), { minLength: C, maxLength: C }) }));

// ---------------------------------------------------------------------------------------------
// wrong conventions, built from the reference

/** Switches with ties to the last maximum: the reference on the point-reflected map, mapped back. */
function lastMaxSwitches(t: Case): Img | undefined {
  const [, H, W] = shapeOf(t.x);
  const flipped = t.x.map((ch) => ch.slice().reverse().map((row) => row.slice().reverse()));
  // reflecting the map reverses row-major order inside every window, but windows move unless they tile the map
  if ((H - t.size) % t.stride !== 0 || (W - t.size) % t.stride !== 0) return undefined;
  const sw = ref.maxPool(flipped, t.size, t.stride).cache.switches;
  return sw.map((sc) => sc.slice().reverse().map((row) => row.slice().reverse().map((idx) => H * W - 1 - idx)));
}

function routed(t: Case, overwrite: boolean): Img {
  const [C, H, W] = shapeOf(t.x);
  const dx: Img = Array.from({ length: C }, () => Array.from({ length: H }, () => new Array<number>(W).fill(0)));
  ref.maxPool(t.x, t.size, t.stride).cache.switches.forEach((sc, c) =>
    sc.forEach((row, i) => row.forEach((idx, j) => (dx[c][Math.floor(idx / W)][idx % W] = (overwrite ? 0 : dx[c][Math.floor(idx / W)][idx % W]) + t.dout[c][i][j]))),
  );
  return dx;
}

function spreadOverwrite(t: Case, weight: number): Img {
  const [C, H, W] = shapeOf(t.x);
  const dx: Img = Array.from({ length: C }, () => Array.from({ length: H }, () => new Array<number>(W).fill(0)));
  t.dout.forEach((dc, c) => dc.forEach((row, i) => row.forEach((g, j) => {
    for (let r = i * t.stride; r < i * t.stride + t.size; r++) for (let q = j * t.stride; q < j * t.stride + t.size; q++) dx[c][r][q] = weight * g;
  })));
  return dx;
}


export const hidden: Check[] = [
  differential({
    id: 'K1.maxPool.reference', exercise: 'maxPool', catalogue: 'K1', numRuns: 150,
    title: 'maxPool matches the reference: out and switches (ties to the first maximum), on random geometries with ties and without',
    hint: 'K1: max of each k×k window at (i·s, j·s), switch r·W + q of the first maximum in row-major order, output ⌊(H − k)/s⌋ + 1',
    // EXACT: out copies input values and switches are integer indices (a pure selection)
    arbitrary: poolCase, args: (t) => [t.x, t.size, t.stride], tol: EXACT,
    expected: (t) => {
      const r = ref.maxPool(t.x, t.size, t.stride);
      return { out: r.out, cache: { switches: r.cache.switches, size: t.size, stride: t.stride } };
    },
    variants: (t): Variants => {
      const [, H, W] = shapeOf(t.x);
      const switches = ref.maxPool(t.x, t.size, t.stride).cache.switches;
      const last = lastMaxSwitches(t);
      return {
        ...(last ? { [MISTAKES.lastMax]: { cache: { switches: last } } } : {}),
        [MISTAKES.channelGlobal]: { cache: { switches: switches.map((sc, c) => sc.map((row) => row.map((idx) => c * H * W + idx))) } },
      };
    },
  }),
  differential({
    id: 'K2.maxPoolBackward.reference', exercise: 'maxPoolBackward', catalogue: 'K2', numRuns: 150,
    title: 'maxPoolBackward matches the reference on caches built to the contract (overlapping windows, ties, leftover rows)',
    hint: 'K2: dout to the switch of each window, summed where a cell is the switch of several windows',
    arbitrary: poolCase,
    args: (t) => [t.dout, ref.maxPool(t.x, t.size, t.stride).cache],
    expected: (t) => ref.maxPoolBackward(t.dout, ref.maxPool(t.x, t.size, t.stride).cache),
    variants: (t) => ({
      [MISTAKES.overwrite]: routed(t, true),
      [MISTAKES.everyCell]: ref.sumPoolBackward(t.dout, shapeOf(t.x), t.size, t.stride),
    }),
  }),
  differential({
    id: 'K1.avgPool.reference', exercise: 'avgPool', catalogue: 'K1', numRuns: 150,
    title: 'avgPool matches the reference on random geometries',
    hint: 'K1: (1/k²) Σ of each k×k window at (i·s, j·s), output ⌊(H − k)/s⌋ + 1',
    arbitrary: poolCase, args: (t) => [t.x, t.size, t.stride],
    expected: (t) => ref.avgPool(t.x, t.size, t.stride),
    variants: (t) => ({
      [MISTAKES.notDivided]: ref.sumPool(t.x, t.size, t.stride),
      [MISTAKES.byK]: scaled(ref.sumPool(t.x, t.size, t.stride), 1 / t.size),
    }),
  }),
  differential({
    id: 'K2.avgPoolBackward.reference', exercise: 'avgPoolBackward', catalogue: 'K2', numRuns: 150,
    title: 'avgPoolBackward matches the reference on random geometries',
    hint: 'K2: dout/k² to each cell of each window, summed over overlapping windows; cells in no window get 0',
    arbitrary: poolCase, args: (t) => [t.dout, shapeOf(t.x), t.size, t.stride],
    expected: (t) => ref.avgPoolBackward(t.dout, shapeOf(t.x), t.size, t.stride),
    variants: (t) => ({
      [MISTAKES.notDivided]: ref.sumPoolBackward(t.dout, shapeOf(t.x), t.size, t.stride),
      [MISTAKES.byK]: scaled(ref.sumPoolBackward(t.dout, shapeOf(t.x), t.size, t.stride), 1 / t.size),
      [MISTAKES.overwrite]: spreadOverwrite(t, 1 / (t.size * t.size)),
    }),
  }),
  differential({
    id: 'K1.sumPool.reference', exercise: 'sumPool', catalogue: 'K1', numRuns: 150,
    title: 'sumPool matches the reference on random geometries',
    hint: 'K1: Σ of each k×k window at (i·s, j·s), output ⌊(H − k)/s⌋ + 1',
    arbitrary: poolCase, args: (t) => [t.x, t.size, t.stride],
    expected: (t) => ref.sumPool(t.x, t.size, t.stride),
    variants: (t) => ({ [MISTAKES.divided]: ref.avgPool(t.x, t.size, t.stride) }),
  }),
  differential({
    id: 'K2.sumPoolBackward.reference', exercise: 'sumPoolBackward', catalogue: 'K2', numRuns: 150,
    title: 'sumPoolBackward matches the reference on random geometries',
    hint: 'K2: dout copied to each cell of each window, summed over overlapping windows; cells in no window get 0',
    arbitrary: poolCase, args: (t) => [t.dout, shapeOf(t.x), t.size, t.stride],
    expected: (t) => ref.sumPoolBackward(t.dout, shapeOf(t.x), t.size, t.stride),
    variants: (t) => ({
      [MISTAKES.divided]: ref.avgPoolBackward(t.dout, shapeOf(t.x), t.size, t.stride),
      [MISTAKES.overwrite]: spreadOverwrite(t, 1),
    }),
  }),
  differential({
    id: 'K3.globalAvgPool.reference', exercise: 'globalAvgPool', catalogue: 'K3', numRuns: 100,
    title: 'globalAvgPool matches the reference (square and non-square maps, 1×1 included)',
    hint: 'K3: F_c = (1/HW) Σ_{h,w} x[c][h][w]',
    arbitrary: gapCase, args: (t) => [t.x],
    expected: (t) => ref.globalAvgPool(t.x),
    variants: (t) => {
      const [, H] = shapeOf(t.x);
      const sums: Vec = t.x.map((ch) => ch.flat().reduce((a, b) => a + b, 0));
      return { [MISTAKES.byH]: sums.map((v) => v / H), [MISTAKES.bySquare]: sums.map((v) => v / (H * H)), [MISTAKES.gapSum]: sums };
    },
  }),
  differential({
    id: 'K3.globalAvgPoolBackward.reference', exercise: 'globalAvgPoolBackward', catalogue: 'K3', numRuns: 100,
    title: 'globalAvgPoolBackward matches the reference (square and non-square maps, 1×1 included)',
    hint: 'K3: dout_c/(HW) at every position of channel c',
    arbitrary: gapCase,
    args: (t) => [t.d, shapeOf(t.x)],
    expected: (t) => ref.globalAvgPoolBackward(t.d, shapeOf(t.x)),
    variants: (t) => {
      const [C, H, W] = shapeOf(t.x);
      const mean = ref.globalAvgPoolBackward(t.d, [C, H, W]);
      return { [MISTAKES.byH]: scaled(mean, W), [MISTAKES.bySquare]: scaled(mean, W / H), [MISTAKES.gapSum]: scaled(mean, H * W) };
    },
  }),
];
