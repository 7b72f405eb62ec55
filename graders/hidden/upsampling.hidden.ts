/**
 * Family L (up-sampling): hidden differential checks, student vs reference on random inputs:
 * non-square images, factors 1–4, bilinear up AND down to any size, unpooling with overlapping
 * windows and leftover rows, transposed convolutions with F ≠ C, non-square kernels, strides 1–3
 * and padding 0–2 (including p > k − 1, where the direct form's k − p − 1 padding is negative),
 * overlap maps with s ∤ k and k < s. Instructor side only.
 *
 * Every entry is a multiple of ⅛ (integers included, so ties and exact .5s occur): a failing
 * case shrinks to entries like 0 and ±⅛, where a mistake is off by a visible amount, never to
 * near-equal doubles whose difference sits at the tolerance and reads as rounding noise.
 */
import fc from 'fast-check';
import * as ref from '../../reference/upsampling.ts';
import { differential, EXACT, FLOAT64 } from '../engine/checks.ts';
import type { Check } from '../engine/types.ts';
import { MISTAKES, nailsAt, poolCase, tconvCase, tconvGeometry, type TConvCase } from '../upsampling.grader.ts';
import { eighths, imageOf } from '../engine/arbitraries.ts';

const int = (min: number, max: number) => fc.integer({ min, max });
const entry = eighths(10);
const image = (C: number, H: number, W: number) => imageOf(C, H, W, entry);

const upsampleCase = fc.record({ C: int(1, 3), H: int(1, 6), W: int(1, 6), factor: int(1, 4) }).chain(({ C, H, W, factor }) => fc.tuple(image(C, H, W), fc.constant(factor)));
const resizeCase = fc.record({ C: int(1, 3), H: int(1, 7), W: int(1, 7), outH: int(1, 13), outW: int(1, 13) }).chain(({ C, H, W, outH, outW }) => fc.tuple(image(C, H, W), fc.constant(outH), fc.constant(outW)));

/** The course's bilinear with the source coordinate from another mapping (for the diagnoses). */
function bilinearWith(x: number[][][], outH: number, outW: number, src: (i: number, n: number, o: number) => number): number[][][] {
  const [H, W] = [x[0].length, x[0][0].length];
  const at = (i: number, n: number, o: number) => {
    const s = Math.min(Math.max(src(i, n, o), 0), n - 1);
    const lo = Math.floor(s);
    return { lo, hi: Math.min(lo + 1, n - 1), t: s - lo };
  };
  return x.map((ch) =>
    Array.from({ length: outH }, (_, i) => {
      const r = at(i, H, outH);
      return Array.from({ length: outW }, (_, j) => {
        const c = at(j, W, outW);
        const top = (1 - c.t) * ch[r.lo][c.lo] + c.t * ch[r.lo][c.hi];
        const bottom = (1 - c.t) * ch[r.hi][c.lo] + c.t * ch[r.hi][c.hi];
        return (1 - r.t) * top + r.t * bottom;
      });
    }),
  );
}

const unpoolCase = fc.oneof(poolCase({ overlap: true }), poolCase({ overlap: false })).chain((g) => fc.tuple(fc.constant(g), image(g.C, g.switches[0].length, g.switches[0][0].length)));

/** Wider geometries than the public checks: F, C up to 3, input up to 4, kernel up to 4, p up to 3 (> k − 1 included). */
const hiddenTconv = tconvCase(tconvGeometry({ maxF: 3, maxC: 3, maxN: 4, maxK: 4, maxS: 3, maxP: 3 }), eighths(5));
const tArgs = (t: TConvCase) => [t.x, t.W, t.b, t.stride, t.pad];

export const hidden: Check[] = [
  differential({
    id: 'L1.nearestUpsample.reference', exercise: 'nearestUpsample', catalogue: 'L1', title: 'nearestUpsample matches the reference (non-square images, factors 1–4)',
    // EXACT: nearest neighbour copies input values (a selection)
    hint: 'L1: out[c][i][j] = x[c][⌊i/f⌋][⌊j/f⌋]', arbitrary: upsampleCase, args: ([x, f]) => [x, f], expected: ([x, f]) => ref.nearestUpsample(x, f), tol: EXACT,
  }),
  differential({
    id: 'L2.bilinearResize.reference', exercise: 'bilinearResize', catalogue: 'L2', title: 'bilinearResize matches the reference (up and down, any output size, non-square)',
    hint: 'L2: src = clamp((i + ½)·in/out − ½, 0, in − 1) per dimension, then the four-neighbour blend',
    arbitrary: resizeCase, args: ([x, h, w]) => [x, h, w], expected: ([x, h, w]) => ref.bilinearResize(x, h, w), tol: FLOAT64,
    variants: ([x, h, w]) => ({
      [MISTAKES.alignCorners]: bilinearWith(x, h, w, (i, n, o) => (o > 1 ? (i * (n - 1)) / (o - 1) : 0)),
      [MISTAKES.asymmetric]: bilinearWith(x, h, w, (i, n, o) => (i * n) / o),
    }),
  }),
  differential({
    id: 'L3.bedOfNails.reference', exercise: 'bedOfNails', catalogue: 'L3', title: 'bedOfNails matches the reference (non-square images, factors 1–4)',
    // EXACT: bed of nails copies input values and writes zeros
    hint: 'L3: out[c][f·i][f·j] = x[c][i][j], zeros elsewhere', arbitrary: upsampleCase, args: ([x, f]) => [x, f], expected: ([x, f]) => ref.bedOfNails(x, f), tol: EXACT,
    variants: ([x, f]) => ({ [MISTAKES.offCorner]: nailsAt(x, f, Math.floor(f / 2)) }),
  }),
  differential({
    id: 'L4.maxUnpool.reference', exercise: 'maxUnpool', catalogue: 'L4', title: 'maxUnpool matches the reference (overlapping and non-overlapping windows, leftover rows)',
    hint: 'L4: out[c][⌊m/W⌋][m mod W] += x[c][i][j] for m = switches[c][i][j]',
    arbitrary: unpoolCase, args: ([g, x]) => [x, g.switches, [g.C, g.H, g.W]], expected: ([g, x]) => ref.maxUnpool(x, g.switches, [g.C, g.H, g.W]), tol: FLOAT64,
  }),
  differential({
    id: 'L5.transposedConv2d.reference', exercise: 'transposedConv2d', catalogue: 'L5', title: 'transposedConv2d matches the reference (F ≠ C, non-square, strides 1–3, padding 0–3)',
    hint: 'L5: scatter-add of x[f][i][j]·W[f][c] at (s·i − p, s·j − p), output s(n − 1) + k − 2p, plus b[c]',
    arbitrary: hiddenTconv, args: tArgs, expected: (t) => ref.transposedConv2d(t.x, t.W, t.b, t.stride, t.pad), tol: FLOAT64,
  }),
  differential({
    id: 'L5.transposedConv2dDirect.reference', exercise: 'transposedConv2dDirect', catalogue: 'L5', title: 'transposedConv2dDirect matches the reference (F ≠ C, non-square, strides 1–3, padding 0–3: k − p − 1 < 0 crops)',
    hint: 'L5: stretch by s, pad k − p − 1 (negative: crop), cross-correlate with W[f][c] rotated 180°, plus b[c]',
    arbitrary: hiddenTconv, args: tArgs, expected: (t) => ref.transposedConv2dDirect(t.x, t.W, t.b, t.stride, t.pad), tol: FLOAT64,
  }),
  differential({
    id: 'L6.overlapMap.reference', exercise: 'overlapMap', catalogue: 'L6', title: 'overlapMap matches the reference (n 1–8, k 1–7, s 1–5: s ∤ k and k < s included)',
    hint: 'L6: count(r) = #{a : a·s ≤ r < a·s + k}, map = count ⊗ count',
    // EXACT: overlap counts are integer arithmetic
    arbitrary: fc.tuple(int(1, 8), int(1, 7), int(1, 5)), args: ([n, k, s]) => [n, k, s], expected: ([n, k, s]) => ref.overlapMap(n, k, s), tol: EXACT,
  }),
];
