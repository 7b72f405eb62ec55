/**
 * L. Up-sampling — catalogue family L (L1–L6). Implement each function below.
 *
 * symbol  id        shape          meaning
 * x       x         [C, H, W]      input image (channel c is the H×W matrix x[c])
 * f       factor    integer ≥ 1    up-sampling factor (nearest neighbour, bed of nails)
 * W       W         [F, C, KH, KW] the FORWARD conv's filters (filter f reads input channel c);
 *                                  the transposed conv maps an F-channel input to C channels
 * b       b         [C]            bias of the transposed conv's C output channels
 * s, p    stride, pad              stride and padding of the transposed conv
 * switch  switches  [C, OH, OW]    flat index row·W + col of each pooled maximum in its H×W channel
 *
 * Conventions the grader holds you to:
 * - every function returns new values and leaves its arguments unchanged: a call that writes into
 *   one fails its check (even when it puts the value back by arithmetic: x + h − h is not always x);
 * - nearest neighbour and bed of nails use integer factors; out[c][i][j] reads x[c][⌊i/f⌋][⌊j/f⌋]
 *   (not Math.round); bed of nails puts the value at the TOP-LEFT of each f×f block;
 * - bilinear uses half-pixel centres: src = (i + ½)·in/out − ½, clamped to [0, in − 1]
 *   (tf.image.resizeBilinear(x, size, false, true); not align-corners, not src = i·in/out);
 * - max unpooling ADDS when two windows recorded the same position (overlapping windows), so it
 *   is the transpose of max pooling's selection; all other positions are 0; with pooling.ts,
 *   maxUnpool(out, cache.switches, [C, H, W] of cache.x) undoes const { out, cache } = maxPool(x, k, s);
 * - a transposed conv's output is s(n − 1) + k − 2p per dimension; the kernel is NOT flipped in
 *   the scatter form; b has one entry per output channel C;
 * - the direct form stretches (s − 1 zeros between pixels), pads k − p − 1 per side (a negative
 *   amount crops) and cross-correlates with the kernel rotated 180°, channels swapped;
 * - validate inputs where it helps you; the grader only passes valid ones.
 */
import { NotImplemented } from './not-implemented.ts';
import type { Filters, Image, Matrix, Vector } from './tensor.ts';

/**
 * Max-pool switches, C×OH×OW: the flat index row·W + col of the maximum of each window inside
 * its channel's H×W input.
 */
export type Switches = number[][][];

/**
 * L1 — nearest-neighbour up-sampling by an integer factor f: every pixel becomes an f×f block,
 *   out[c][i][j] = x[c][⌊i/f⌋][⌊j/f⌋],  out: C × fH × fW.
 * Example ([Training] "Up-Sampling Method"): [[1,2],[3,4]], f = 2 → [[1,1,2,2],[1,1,2,2],[3,3,4,4],[3,3,4,4]].
 */
export function nearestUpsample(x: Image, factor: number): Image {
  throw new NotImplemented('L1 nearestUpsample');
}

/**
 * L2 — bilinear resize of every channel to outH × outW with half-pixel centres:
 *   src_r = clamp((i + ½)·H/outH − ½, 0, H − 1),  src_c = clamp((j + ½)·W/outW − ½, 0, W − 1),
 *   r0 = ⌊src_r⌋, r1 = min(r0 + 1, H − 1), t_r = src_r − r0 (columns alike),
 *   out = (1 − t_r)(1 − t_c)x[r0][c0] + (1 − t_r)t_c x[r0][c1] + t_r(1 − t_c)x[r1][c0] + t_r t_c x[r1][c1].
 * Any output size (up or down, non-square). [[10,20],[30,40]] → 4×4 gives [[10, 12.5, 17.5, 20], …]
 * (the notes print it truncated to integers: [[10,12,17,20], …]).
 */
export function bilinearResize(x: Image, outH: number, outW: number): Image {
  throw new NotImplemented('L2 bilinearResize');
}

/**
 * L3 — bed of nails: out[c][f·i][f·j] = x[c][i][j] and 0 everywhere else; out: C × fH × fW.
 */
export function bedOfNails(x: Image, factor: number): Image {
  throw new NotImplemented('L3 bedOfNails');
}

/**
 * L4 — max unpooling: x (C×OH×OW) goes back to the positions recorded by max pooling,
 *   out[c][row][col] = Σ_{(i, j): switches[c][i][j] = row·W + col} x[c][i][j],  0 elsewhere;
 * shape = [C, H, W] is the shape of the pooling layer's input.
 */
export function maxUnpool(x: Image, switches: Switches, shape: [C: number, H: number, W: number]): Image {
  throw new NotImplemented('L4 maxUnpool');
}

/**
 * L5 — transposed convolution, scatter form: each input pixel x[f][i][j] adds x[f][i][j]·W[f][c]
 * (not flipped) to the k×k window at (s·i, s·j) of the full s(n − 1) + k map; then p rows/columns
 * are cut from each side and b[c] is added:
 *   out[c][o][q] = b[c] + Σ_f Σ_{s·i + u = o + p, s·j + v = q + p} x[f][i][j]·W[f][c][u][v],
 *   output size s(n − 1) + k − 2p per dimension. x: F×H×W, W: F×C×KH×KW, b: [C], out: C×OH×OW.
 */
export function transposedConv2d(x: Image, W: Filters, b: Vector, stride: number, pad: number): Image {
  throw new NotImplemented('L5 transposedConv2d');
}

/**
 * L5 — the same transposed convolution as a direct convolution: insert s − 1 zeros between the
 * input pixels, pad k − p − 1 zeros per side (negative: crop), then cross-correlate at stride 1
 * with the kernel rotated 180° and channels swapped, W'[c][f][u][v] = W[f][c][k − 1 − u][k − 1 − v],
 * and add b[c]. Must equal transposedConv2d.
 */
export function transposedConv2dDirect(x: Image, W: Filters, b: Vector, stride: number, pad: number): Image {
  throw new NotImplemented('L5 transposedConv2dDirect');
}

/**
 * L6 — overlap map of a transposed conv with an all-ones k×k kernel, stride s, no padding, on an
 * n×n input: map[r][q] = count(r)·count(q) on the (s(n − 1) + k)² output, where
 * count(r) = #{a ∈ 0 … n − 1 : a·s ≤ r < a·s + k} is how many input positions write to row r.
 */
export function overlapMap(n: number, k: number, s: number): Matrix {
  throw new NotImplemented('L6 overlapMap');
}
