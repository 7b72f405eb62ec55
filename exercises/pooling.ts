/**
 * K. Pooling — catalogue family K (K1–K3). Implement each function below.
 *
 * symbol      id        shape          meaning
 * x           x         [C, H, W]      input feature maps (one image)
 * k           size      integer        side of the square pooling window (k×k)
 * s           stride    integer        step between neighbouring windows
 * OH, OW      —         integers       ⌊(H − k)/s⌋ + 1, ⌊(W − k)/s⌋ + 1
 * out         out       [C, OH, OW]    out[c][i][j] summarises x[c] over rows i·s … i·s + k − 1
 *                                      and columns j·s … j·s + k − 1
 * switches    switches  [C, OH, OW]    max pooling: flat index row·W + col (inside x[c]) of the max
 * dout        dout      like out       upstream gradient ∂L/∂out
 *
 * Conventions the grader holds you to:
 * - every function returns new values and leaves its arguments unchanged: a call that writes into
 *   one fails its check (even when it puts the value back by arithmetic: x + h − h is not always x);
 * - pooling is per channel, with no padding: only windows that fit, OH = ⌊(H − k)/s⌋ + 1 (rounded
 *   down: leftover rows/columns at the bottom/right belong to no window and get gradient 0);
 * - H and W may differ; the window is always k×k;
 * - ties in max pooling go to the FIRST maximum in row-major order (scan rows top to bottom, each
 *   row left to right, and replace the best only on a strictly larger value);
 * - when windows overlap (s < k) a cell belongs to several windows: backward passes ADD the
 *   contributions of all of them;
 * - maxPool returns its cache with exactly the fields of MaxPoolCache (the grader also calls your
 *   maxPoolBackward with caches it built to that contract);
 * - only max pooling has a cache, since only its forward pass knows where each maximum was: the
 *   other backward passes are fixed linear maps and take just the shape and window (no cache);
 * - validate inputs where it helps you; the grader only passes valid ones.
 * Check your backward passes with gradcheck.ts (S1–S4) before you submit.
 */
import { NotImplemented } from './not-implemented.ts';
import type { Image, Vector } from './tensor.ts';

/** C×OH×OW: the flat index row·W + col of each window's maximum inside its channel's H×W input. */
export type Switches = number[][][];

/** The cache of maxPool: the input x, its switches, and the window size and stride. */
export interface MaxPoolCache {
  x: Image;
  switches: Switches;
  size: number;
  stride: number;
}

/**
 * K1 — max pooling: out[c][i][j] = max over the k×k window at (i·s, j·s) of x[c], and
 * switches[c][i][j] = r·W + q of the cell (r, q) it came from (first maximum on ties).
 * Return { out, cache: { x, switches, size, stride } }.
 */
export function maxPool(x: Image, size: number, stride: number): { out: Image; cache: MaxPoolCache } {
  throw new NotImplemented('K1 maxPool');
}

/**
 * K2 — max pooling backward: dx [C, H, W] with each dout[c][i][j] added to the cell its window
 * copied (the switch) and 0 elsewhere; a cell that is the max of several windows gets the sum.
 */
export function maxPoolBackward(dout: Image, cache: MaxPoolCache): Image {
  throw new NotImplemented('K2 maxPoolBackward');
}

/** K1 — average pooling: out[c][i][j] = (1/k²) Σ of x[c] over the k×k window at (i·s, j·s). */
export function avgPool(x: Image, size: number, stride: number): Image {
  throw new NotImplemented('K1 avgPool');
}

/**
 * K2 — average pooling backward: dx of shape [C, H, W]; every window spreads dout[c][i][j]/k²
 * evenly over its k² cells, summed over the windows that contain a cell.
 */
export function avgPoolBackward(dout: Image, shape: [C: number, H: number, W: number], size: number, stride: number): Image {
  throw new NotImplemented('K2 avgPoolBackward');
}

/** K1 — sum pooling: out[c][i][j] = Σ of x[c] over the k×k window at (i·s, j·s). */
export function sumPool(x: Image, size: number, stride: number): Image {
  throw new NotImplemented('K1 sumPool');
}

/** K2 — sum pooling backward: dx of shape [C, H, W]; every window copies dout[c][i][j] to its k² cells, summed over windows. */
export function sumPoolBackward(dout: Image, shape: [C: number, H: number, W: number], size: number, stride: number): Image {
  throw new NotImplemented('K2 sumPoolBackward');
}

/** K3 — global average pooling: F_c = (1/(H·W)) Σ_{h,w} x[c][h][w], one number per channel. */
export function globalAvgPool(x: Image): Vector {
  throw new NotImplemented('K3 globalAvgPool');
}

/** K3 — global average pooling backward: dx[c][h][w] = dout[c]/(H·W) for shape [C, H, W]. */
export function globalAvgPoolBackward(dout: Vector, shape: [C: number, H: number, W: number]): Image {
  throw new NotImplemented('K3 globalAvgPoolBackward');
}
