/**
 * J. Convolution — catalogue family J (J1–J6). Implement each function below.
 *
 * symbol      id        shape                 meaning
 * X, x        x         [C, H, W]             input image (C channels of H×W)
 * w           W         [F, C, KH, KW]        F filters; filter f reads input channel c with W[f][c]
 * b           b         [F]                   one bias per filter (output map)
 * Y, s        out       [F, OH, OW]           output maps
 * S, P, d     stride, pad, dilation            integers ≥ 1, ≥ 0, ≥ 1; pad is symmetric zero padding
 * X_col       cols      [C·KH·KW, OH·OW]      im2col: one column per output position p
 * W_row       —         [F, C·KH·KW]          the filters flattened row by row
 * ∂L/∂s       dout      [F, OH, OW]           upstream gradient
 *
 * Conventions the grader holds you to:
 * - every function returns new values and leaves its arguments unchanged: a call that writes into
 *   one fails its check (even when it puts the value back by arithmetic: x + h − h is not always x);
 * - conv2d is CROSS-CORRELATION (the kernel is not flipped), as in every framework; only
 *   convolve2d (J2) flips the kernel.
 * - Geometry: K_eff = d(K − 1) + 1, OH = ⌊(H + 2P − K_eff_H)/S⌋ + 1 (likewise OW: leftover
 *   pixels at the bottom/right are dropped). Output (oy, ox) with kernel tap (u, v) reads input
 *   pixel (oy·S + u·d − P, ox·S + v·d − P), and 0 outside the image: P zeros on EACH side.
 * - im2col layout: row r = (c·KH + u)·KW + v, column p = oy·OW + ox.
 * - col2im ADDS every entry into its pixel (overlapping windows accumulate); padding entries are dropped.
 * - Images are plain C×H×W arrays.
 * - Throw an Error for invalid input where the docs say so, with a message that names the
 *   function, e.g. tensor.ts's new ArgumentError('conv2d', 'W', '…') or its assertImage /
 *   assertFilters; a TypeError from reading past an array is a crash, not a check. The grader
 *   otherwise passes valid input.
 * - Fix conv2d first: these checks of other exercises call YOUR conv2d, because the relation with
 *   conv2d is the property being checked: J2.convolve2d.flipped-correlation (convolution ≡
 *   cross-correlation with the kernel rotated by 180°) and J4.conv2dBackward.numeric, .directional
 *   and .bilinear (the gradient of your forward pass). conv2dIm2col is compared with
 *   W_row·(your im2col) + b, imageKernel and conv1x1 with no other function of yours.
 * - conv2dBackward takes (dout, x, W, stride, pad, dilation), the forward's own inputs, not a cache.
 * Check conv2dBackward with gradcheck.ts (S1–S4) before you submit.
 */
import { NotImplemented } from './not-implemented.ts';
import type { Filters, Image, Matrix, Vector } from './tensor.ts';

/** [C, H, W] of an image. */
export type ImageShape = [C: number, H: number, W: number];

/** The classic 3×3 image kernels of J5, in the order of the notes' table. */
export type KernelName = 'identity' | 'edge1' | 'edge2' | 'edge3' | 'sharpen' | 'boxBlur' | 'gaussianBlur';

export interface ConvGradients {
  dx: Image;
  dW: Filters;
  db: Vector;
}

/**
 * J1 — out_f(oy, ox) = b_f + Σ_c Σ_u Σ_v x_c(oy·S + u·d − P, ox·S + v·d − P) · W[f][c][u][v]
 * (cross-correlation; zero padding P on all sides; stride S; dilation d). Output [F, OH, OW].
 * Throw an Error naming conv2d (e.g. new ArgumentError('conv2d', 'W', …) from tensor.ts) when the
 * (dilated) kernel does not fit in the padded input, or when W's channels do not match x's.
 * @example conv2d([[[3,3,2,1,0],[0,0,1,3,1],[3,1,2,2,3],[2,0,0,2,2],[2,0,0,0,1]]], [[[[0,1,2],[2,2,0],[0,1,2]]]], [0]) // [[[12,12,17],[10,17,19],[9,6,14]]]
 */
export function conv2d(x: Image, W: Filters, b: Vector, stride = 1, pad = 0, dilation = 1): Image {
  throw new NotImplemented('J1 conv2d');
}

/**
 * J4 — gradients of conv2d(x, W, b, stride, pad, dilation) for the upstream gradient dout [F, OH, OW]:
 *   dx_c(i, j) = Σ over every (f, oy, ox, u, v) whose forward product read x_c(i, j) of dout_f(oy, ox)·W[f][c][u][v]
 *                (overlapping windows ACCUMULATE; pixels no window reads get 0),
 *   dW[f][c][u][v] = Σ_{oy, ox} dout_f(oy, ox) · x_c(oy·S + u·d − P, ox·S + v·d − P)  (0 in the padding),
 *   db_f = Σ_{oy, ox} dout_f(oy, ox).
 * Returns { dx [C, H, W], dW [F, C, KH, KW], db [F] }.
 */
export function conv2dBackward(dout: Image, x: Image, W: Filters, stride = 1, pad = 0, dilation = 1): ConvGradients {
  throw new NotImplemented('J4 conv2dBackward');
}

/**
 * J2 — true convolution of one channel, 'valid' part: the kernel rotated by 180°,
 *   out[i][j] = Σ_u Σ_v x[i + KH − 1 − u][j + KW − 1 − v] · w[u][v],  output (H − KH + 1) × (W − KW + 1).
 * Throw when w is larger than x.
 */
export function convolve2d(x: Matrix, w: Matrix): Matrix {
  throw new NotImplemented('J2 convolve2d');
}

/**
 * J3 — im2col: X_col [C·KH·KW × OH·OW] with X_col[(c·KH + u)·KW + v][oy·OW + ox] =
 * x_c(oy·S + u·d − P, ox·S + v·d − P), 0 in the padding.
 */
export function im2col(x: Image, KH: number, KW: number, stride = 1, pad = 0, dilation = 1): Matrix {
  throw new NotImplemented('J3 im2col');
}

/**
 * J3 — col2im, the adjoint of im2col: start from zeros of `shape` [C, H, W] and ADD every entry
 * cols[(c·KH + u)·KW + v][oy·OW + ox] into pixel (c, oy·S + u·d − P, ox·S + v·d − P) when that
 * pixel is inside the image (entries from the padding are dropped).
 */
export function col2im(cols: Matrix, shape: ImageShape, KH: number, KW: number, stride = 1, pad = 0, dilation = 1): Image {
  throw new NotImplemented('J3 col2im');
}

/**
 * J3 — conv2d as one matrix product: O = W_row · X_col + b_col, W_row [F × C·KH·KW] (W[f]
 * flattened), X_col = im2col(x, …), row f of O reshaped to OH × OW. Must equal conv2d; the grader
 * compares it with W_row·(your im2col) + b.
 */
export function conv2dIm2col(x: Image, W: Filters, b: Vector, stride = 1, pad = 0, dilation = 1): Image {
  throw new NotImplemented('J3 conv2dIm2col');
}

/**
 * J5 — the notes' 3×3 kernels: 'identity' [[0,0,0],[0,1,0],[0,0,0]]; 'edge1' [[1,0,−1],[0,0,0],[−1,0,1]];
 * 'edge2' [[0,1,0],[1,−4,1],[0,1,0]]; 'edge3' [[−1,−1,−1],[−1,8,−1],[−1,−1,−1]];
 * 'sharpen' [[0,−1,0],[−1,5,−1],[0,−1,0]]; 'boxBlur' (1/9)·ones(3, 3);
 * 'gaussianBlur' (1/16)·[[1,2,1],[2,4,2],[1,2,1]]. Throw for any other name.
 */
export function imageKernel(name: KernelName): Matrix {
  throw new NotImplemented('J5 imageKernel');
}

/**
 * J6 — 1×1 convolution: out_f(i, j) = b_f + Σ_c W[f][c] · x_c(i, j), W [F × C], output [F, H, W].
 */
export function conv1x1(x: Image, W: Matrix, b: Vector): Image {
  throw new NotImplemented('J6 conv1x1');
}
