/**
 * Family J (convolution): hidden differential checks, student vs reference on random inputs
 * with several channels and filters, non-square images and kernels, stride > 1, padding and
 * dilation (and leftover pixels dropped by the floor rule). Entries are multiples of ¼ (exact
 * sums) except for the backward pass, which also runs on arbitrary doubles. Each check names the
 * mistakes its wrong values match by running the reference with the wrong convention.
 * Instructor side only.
 */
import fc from 'fast-check';
import * as ref from '../../reference/convolution.ts';
import { colCase, convCase, MISTAKES } from '../convolution.grader.ts';
import { differential, FLOAT64 } from '../engine/checks.ts';
import type { Check, Tolerance } from '../engine/types.ts';

type Mat = number[][];

const rot180 = (k: Mat): Mat => k.slice().reverse().map((row) => row.slice().reverse());
const quarter = fc.integer({ min: -12, max: 12 }).map((v) => v / 4);
const wide = convCase({ maxC: 3, maxF: 3, maxHW: 8, maxK: 4, maxS: 3, maxP: 3, maxD: 3 });

/**
 * Backward on doubles in [−3, 3]: a correct implementation may sum in any order; each entry of
 * dx/dW is a sum of ≤ ~150 products of size ≤ 9, rounding by ≤ 150·9·1.1e−16 ≈ 1.5e−13 absolute.
 * atol 1e−10 is far above that and far below any wrong gradient.
 */
const SUMS: Tolerance = { rtol: 1e-9, atol: 1e-10 };

export const hidden: Check[] = [
  differential({
    id: 'J1.conv2d.reference', exercise: 'conv2d', catalogue: 'J1', numRuns: 80,
    title: 'conv2d matches the reference (channels, filters, non-square, stride, pad, dilation)',
    hint: 'J1: cross-correlation, P zeros on each side, window at (oy·S + u·d − P, ox·S + v·d − P), output ⌊(H + 2P − K_eff)/S⌋ + 1',
    arbitrary: wide,
    args: (t) => [t.x, t.W, t.b, t.stride, t.pad, t.dilation],
    expected: (t) => ref.conv2d(t.x, t.W, t.b, t.stride, t.pad, t.dilation),
    variants: (t) => ({ [MISTAKES.flipped]: ref.conv2d(t.x, t.W.map((wf) => wf.map(rot180)), t.b, t.stride, t.pad, t.dilation) }),
  }),
  differential({
    id: 'J2.convolve2d.reference', exercise: 'convolve2d', catalogue: 'J2', numRuns: 60,
    title: 'convolve2d matches the reference (non-square images and kernels)',
    hint: 'J2: the kernel rotated by 180°, valid part only',
    arbitrary: fc.record({ H: fc.integer({ min: 1, max: 7 }), W: fc.integer({ min: 1, max: 7 }), KH: fc.integer({ min: 1, max: 4 }), KW: fc.integer({ min: 1, max: 4 }) })
      .filter((g) => g.KH <= g.H && g.KW <= g.W)
      .chain((g) => fc.tuple(fc.array(fc.array(quarter, { minLength: g.W, maxLength: g.W }), { minLength: g.H, maxLength: g.H }), fc.array(fc.array(quarter, { minLength: g.KW, maxLength: g.KW }), { minLength: g.KH, maxLength: g.KH }))),
    args: ([x, w]) => [x, w],
    expected: ([x, w]) => ref.convolve2d(x, w),
    variants: ([x, w]) => ({ [MISTAKES.notFlipped]: ref.convolve2d(x, rot180(w)) }),
  }),
  differential({
    id: 'J3.im2col.reference', exercise: 'im2col', catalogue: 'J3', numRuns: 60,
    title: 'im2col matches the reference (channels, stride, pad, dilation)',
    hint: 'J3: row (c·KH + u)·KW + v, column oy·OW + ox, zeros from the padding',
    arbitrary: colCase.chain((g) => fc.tuple(fc.constant(g), fc.array(fc.array(fc.array(quarter, { minLength: g.shape[2], maxLength: g.shape[2] }), { minLength: g.shape[1], maxLength: g.shape[1] }), { minLength: g.shape[0], maxLength: g.shape[0] }))),
    args: ([g, x]) => [x, g.KH, g.KW, g.stride, g.pad, g.dilation],
    expected: ([g, x]) => ref.im2col(x, g.KH, g.KW, g.stride, g.pad, g.dilation),
  }),
  differential({
    id: 'J3.col2im.reference', exercise: 'col2im', catalogue: 'J3', numRuns: 60,
    title: 'col2im matches the reference (overlapping windows, padding dropped)',
    hint: 'J3: add every entry into the pixel im2col took it from',
    arbitrary: colCase.chain((g) => {
      const [C, H, W] = g.shape;
      const OH = Math.floor((H + 2 * g.pad - (g.dilation * (g.KH - 1) + 1)) / g.stride) + 1;
      const OW = Math.floor((W + 2 * g.pad - (g.dilation * (g.KW - 1) + 1)) / g.stride) + 1;
      return fc.tuple(fc.constant(g), fc.array(fc.array(quarter, { minLength: OH * OW, maxLength: OH * OW }), { minLength: C * g.KH * g.KW, maxLength: C * g.KH * g.KW }));
    }),
    args: ([g, cols]) => [cols, g.shape, g.KH, g.KW, g.stride, g.pad, g.dilation],
    expected: ([g, cols]) => ref.col2im(cols, g.shape, g.KH, g.KW, g.stride, g.pad, g.dilation),
  }),
  differential({
    id: 'J3.conv2dIm2col.reference', exercise: 'conv2dIm2col', catalogue: 'J3', numRuns: 60,
    title: 'conv2dIm2col matches the reference conv2d',
    hint: 'J3: W_row·X_col + b_col reshaped row by row',
    arbitrary: wide,
    args: (t) => [t.x, t.W, t.b, t.stride, t.pad, t.dilation],
    expected: (t) => ref.conv2d(t.x, t.W, t.b, t.stride, t.pad, t.dilation),
  }),
  differential({
    id: 'J4.conv2dBackward.reference', exercise: 'conv2dBackward', catalogue: 'J4', numRuns: 60,
    title: 'conv2dBackward matches the reference (doubles; stride, pad, dilation, leftover pixels)',
    hint: 'J4: dx accumulated over every window, dW summed over every output position, db summed',
    arbitrary: fc.oneof(wide, convCase({ maxC: 3, maxF: 3, maxHW: 8, maxK: 4, maxS: 3, maxP: 3, maxD: 3, entries: fc.double({ min: -3, max: 3, noNaN: true }) })).chain((t) => {
      const o = ref.conv2d(t.x, t.W, t.b, t.stride, t.pad, t.dilation);
      return fc.tuple(fc.constant(t), fc.array(fc.array(fc.array(fc.double({ min: -3, max: 3, noNaN: true }), { minLength: o[0][0].length, maxLength: o[0][0].length }), { minLength: o[0].length, maxLength: o[0].length }), { minLength: o.length, maxLength: o.length }));
    }),
    args: ([t, dout]) => [dout, t.x, t.W, t.stride, t.pad, t.dilation],
    expected: ([t, dout]) => ref.conv2dBackward(dout, t.x, t.W, t.stride, t.pad, t.dilation),
    tol: SUMS,
  }),
  differential({
    id: 'J5.imageKernel.reference', exercise: 'imageKernel', catalogue: 'J5', numRuns: 100,
    title: 'imageKernel matches the reference for every name (100 draws of the 7 names)',
    hint: "J5: the notes' table",
    arbitrary: fc.constantFrom<ref.KernelName>('identity', 'edge1', 'edge2', 'edge3', 'sharpen', 'boxBlur', 'gaussianBlur'),
    args: (name) => [name],
    expected: (name) => ref.imageKernel(name),
    tol: FLOAT64,
  }),
  differential({
    id: 'J6.conv1x1.reference', exercise: 'conv1x1', catalogue: 'J6', numRuns: 60,
    title: 'conv1x1 matches the reference',
    hint: 'J6: W·(channel vector) + b at every pixel',
    arbitrary: fc.record({ C: fc.integer({ min: 1, max: 5 }), F: fc.integer({ min: 1, max: 5 }), H: fc.integer({ min: 1, max: 5 }), W: fc.integer({ min: 1, max: 5 }) }).chain((g) =>
      fc.record({
        x: fc.array(fc.array(fc.array(quarter, { minLength: g.W, maxLength: g.W }), { minLength: g.H, maxLength: g.H }), { minLength: g.C, maxLength: g.C }),
        W: fc.array(fc.array(quarter, { minLength: g.C, maxLength: g.C }), { minLength: g.F, maxLength: g.F }),
        b: fc.array(quarter, { minLength: g.F, maxLength: g.F }),
      }),
    ),
    args: (t) => [t.x, t.W, t.b],
    expected: (t) => ref.conv1x1(t.x, t.W, t.b),
  }),
];
