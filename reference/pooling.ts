/**
 * K. Pooling — catalogue family K (K1–K3): max, average and sum pooling with their backward
 * passes, and global average pooling.
 *
 * Decks: [Tu] "Pooling" (average and maximum pooling, 3×3 windows at stride 1 on a 5×5 map);
 * [Oh] "Pooling layer" / "MAX POOLING" (2×2 windows at stride 2 on a single depth slice);
 * [Training] "Pooling" (max, average and sum pooling), "Max Pooling — Remember which element
 * was max!" and "Global Average Pooling"; [Jung] "Pooling" ("Need to save the 'switch' index
 * for backpropagation").
 *
 * symbol      id        shape          meaning
 * x           x         [C, H, W]      input feature maps (one image; a batch is a map over images)
 * k           size      integer        side of the square pooling window (k×k)
 * s           stride    integer        step between neighbouring windows
 * OH, OW      —         integers       ⌊(H − k)/s⌋ + 1, ⌊(W − k)/s⌋ + 1: windows that fit
 * out         out       [C, OH, OW]    pooled maps: out[c][i][j] summarises x[c] over rows
 *                                      i·s … i·s + k − 1 and columns j·s … j·s + k − 1
 * switches    switches  [C, OH, OW]    max pooling: the flat index row·W + col, inside x[c],
 *                                      of the maximum that out[c][i][j] copied
 * dout        dout      like out       upstream gradient ∂L/∂out
 * dx          —         [C, H, W]      ∂L/∂x
 * f_{h,w,k}   x         [K, H, W]      [Training] GAP: feature map k (a channel here)
 * F_k         —         [K]            (1/HW) Σ_{h,w} f_{h,w,k}
 *
 * Conventions:
 * - Pooling is per channel and has no padding: only windows that fit ('valid'), and the output
 *   size is rounded down, ⌊(H − k)/s⌋ + 1, as tfjs's 'valid' pooling does: rows and columns
 *   left over at the bottom and right belong to no window (their gradient is 0). Padding is left
 *   out because the frameworks disagree on it: tfjs's avgPool divides by the real cells only,
 *   PyTorch by k² (count_include_pad); max pooling treats a pad cell as −∞. The notes pad none.
 * - Ties: max pooling copies the FIRST maximum of a window in row-major order (tfjs's cpu kernel;
 *   its wasm kernel takes the last — specs/pooling.spec.ts shows both), and the switch records it.
 * - Overlapping windows (s < k) share cells: every backward pass ACCUMULATES the contributions
 *   of all windows that contain a cell.
 * - Contracts: maxPool returns { out, cache } and maxPoolBackward takes (dout, cache), because
 *   only the forward pass knows where each maximum was; average, sum and global average pooling
 *   are linear with weights fixed by the window, so their backward takes just the input shape
 *   and the window, (dout, shape, size, stride) or (dout, shape) for GAP, and no cache.
 */
import { ArgumentError, assertImage, assertInteger, assertVector, type Image, type Vector } from './tensor.ts';

/** C×OH×OW: the flat index row·W + col of each window's maximum inside its channel's H×W input. */
export type Switches = number[][][];

/** What maxPoolBackward needs: the input, its switches and the window geometry. */
export interface MaxPoolCache {
  x: Image;
  switches: Switches;
  size: number;
  stride: number;
}

// ---------------------------------------------------------------------------------------------
// validation and geometry

/** Validates size and stride against an H×W input and returns the output size [OH, OW]. */
function geometry(fn: string, H: number, W: number, size: number, stride: number, sizeArg = 'size', strideArg = 'stride'): [number, number] {
  assertInteger(fn, sizeArg, size, 1);
  assertInteger(fn, strideArg, stride, 1);
  if (size > H || size > W) throw new ArgumentError(fn, sizeArg, `must fit in the ${H}×${W} input (no padding); got ${size}`);
  return [Math.floor((H - size) / stride) + 1, Math.floor((W - size) / stride) + 1];
}

/** A shape [C, H, W] of positive integers. */
function assertShape(fn: string, arg: string, shape: unknown): asserts shape is [number, number, number] {
  if (!Array.isArray(shape) || shape.length !== 3) throw new ArgumentError(fn, arg, `must be a shape [C, H, W]; got ${JSON.stringify(shape)}`);
  shape.forEach((n, i) => assertInteger(fn, `${arg}[${i}]`, n, 1));
}

/** dout must be C×OH×OW for the pooling of a C×H×W input. */
function assertDout(fn: string, dout: unknown, [C, OH, OW]: number[], of: string): asserts dout is Image {
  assertImage(fn, 'dout', dout);
  const got = [dout.length, dout[0].length, dout[0][0].length];
  if (got[0] !== C || got[1] !== OH || got[2] !== OW) {
    throw new ArgumentError(fn, 'dout', `must have the pooled shape [${C}, ${OH}, ${OW}] of ${of}; got [${got.join(', ')}]`);
  }
}

const zeros = (C: number, H: number, W: number): Image => Array.from({ length: C }, () => Array.from({ length: H }, () => new Array<number>(W).fill(0)));

/** Σ of x[c] over the k×k window whose top-left corner is (top, left). */
function windowSum(xc: number[][], top: number, left: number, k: number): number {
  let sum = 0;
  for (let r = top; r < top + k; r++) for (let q = left; q < left + k; q++) sum += xc[r][q];
  return sum;
}

/** Pools every window of every channel with `reduce(channel, top, left)`. */
function pool(x: Image, OH: number, OW: number, stride: number, reduce: (xc: number[][], top: number, left: number) => number): Image {
  return x.map((xc) => Array.from({ length: OH }, (_, i) => Array.from({ length: OW }, (_, j) => reduce(xc, i * stride, j * stride))));
}

/** Adds weight·dout[c][i][j] to every cell of window (i, j): the backward pass of a window sum. */
function spread(dout: Image, [C, H, W]: number[], size: number, stride: number, weight: number): Image {
  const dx = zeros(C, H, W);
  dout.forEach((dc, c) =>
    dc.forEach((row, i) =>
      row.forEach((g, j) => {
        for (let r = i * stride; r < i * stride + size; r++) for (let q = j * stride; q < j * stride + size; q++) dx[c][r][q] += weight * g;
      }),
    ),
  );
  return dx;
}

// ---------------------------------------------------------------------------------------------
// K1, K2 — max pooling

/**
 * K1 — max pooling: out[c][i][j] = max_{0 ≤ a, b < k} x[c][i·s + a][j·s + b], and the switch
 * switches[c][i][j] = r·W + q of the cell (r, q) that held it ([Oh] "MAX POOLING": 2×2 windows
 * at stride 2 turn [[1,1,2,4],[5,6,7,8],[3,2,1,0],[1,2,3,4]] into [[6,8],[3,4]]; [Training]
 * "Max Pooling — Remember which element was max!"). Ties go to the first maximum in row-major
 * order. OH = ⌊(H − k)/s⌋ + 1, OW likewise; no padding.
 */
export function maxPool(x: Image, size: number, stride: number): { out: Image; cache: MaxPoolCache } {
  const fn = 'maxPool';
  assertImage(fn, 'x', x);
  const [H, W] = [x[0].length, x[0][0].length];
  const [OH, OW] = geometry(fn, H, W, size, stride);
  const switches = pool(x, OH, OW, stride, (xc, top, left) => {
    let best = top * W + left;
    for (let r = top; r < top + size; r++) {
      for (let q = left; q < left + size; q++) if (xc[r][q] > xc[Math.floor(best / W)][best % W]) best = r * W + q; // strict >: the first maximum stays
    }
    return best;
  });
  const out = switches.map((sc, c) => sc.map((row) => row.map((idx) => x[c][Math.floor(idx / W)][idx % W])));
  return { out, cache: { x, switches, size, stride } };
}

/**
 * K2 — max pooling backward: the gradient goes to the recorded argmax ("switch") of each window
 * and nowhere else, dx[c][r][q] = Σ_{(i,j): switches[c][i][j] = r·W + q} dout[c][i][j]
 * ([Jung] "Pooling": "Need to save the 'switch' index for backpropagation"). A cell that is the
 * maximum of several overlapping windows receives the sum of their gradients.
 */
export function maxPoolBackward(dout: Image, cache: MaxPoolCache): Image {
  const fn = 'maxPoolBackward';
  if (cache === null || typeof cache !== 'object') throw new ArgumentError(fn, 'cache', `must be the cache of maxPool { x, switches, size, stride }; got ${String(cache)}`);
  const { x, switches, size, stride } = cache;
  assertImage(fn, 'cache.x', x);
  const [C, H, W] = [x.length, x[0].length, x[0][0].length];
  const [OH, OW] = geometry(fn, H, W, size, stride, 'cache.size', 'cache.stride');
  assertImage(fn, 'cache.switches', switches, [C, OH, OW]);
  assertDout(fn, dout, [C, OH, OW], `the ${C}×${H}×${W} input`);
  const dx = zeros(C, H, W);
  switches.forEach((sc, c) =>
    sc.forEach((row, i) =>
      row.forEach((idx, j) => {
        const [r, q] = [Math.floor(idx / W), idx % W];
        const inside = Number.isInteger(idx) && r >= i * stride && r < i * stride + size && q >= j * stride && q < j * stride + size;
        if (!inside) throw new ArgumentError(fn, 'cache.switches', `must hold r·W + q of a cell inside window (${i}, ${j}); got cache.switches[${c}][${i}][${j}] = ${idx}`);
        dx[c][r][q] += dout[c][i][j];
      }),
    ),
  );
  return dx;
}

// ---------------------------------------------------------------------------------------------
// K1, K2 — average pooling

/**
 * K1 — average pooling: out[c][i][j] = (1/k²) Σ_{0 ≤ a, b < k} x[c][i·s + a][j·s + b]
 * ([Tu] "Pooling — Average pooling": 3×3 windows at stride 1 on the 5×5 map, printed to one
 * decimal: 15/9 = 1.666… appears as 1.7). No padding: every window has exactly k² cells.
 */
export function avgPool(x: Image, size: number, stride: number): Image {
  assertImage('avgPool', 'x', x);
  const [OH, OW] = geometry('avgPool', x[0].length, x[0][0].length, size, stride);
  return pool(x, OH, OW, stride, (xc, top, left) => windowSum(xc, top, left, size) / (size * size));
}

/**
 * K2 — average pooling backward: each window spreads its gradient evenly over its k² cells,
 * dx[c][r][q] = Σ_{windows (i,j) ∋ (r,q)} dout[c][i][j] / k², accumulated where windows overlap
 * (the derivative of [Tu] "Pooling — Average pooling"; no deck works this backward out).
 */
export function avgPoolBackward(dout: Image, shape: [C: number, H: number, W: number], size: number, stride: number): Image {
  const fn = 'avgPoolBackward';
  assertShape(fn, 'shape', shape);
  const [OH, OW] = geometry(fn, shape[1], shape[2], size, stride);
  assertDout(fn, dout, [shape[0], OH, OW], `a ${shape.join('×')} input`);
  return spread(dout, shape, size, stride, 1 / (size * size));
}

// ---------------------------------------------------------------------------------------------
// K1, K2 — sum pooling

/** K1 — sum pooling: out[c][i][j] = Σ_{0 ≤ a, b < k} x[c][i·s + a][j·s + b] ([Training] "Pooling": "3. Sum Pooling"). */
export function sumPool(x: Image, size: number, stride: number): Image {
  assertImage('sumPool', 'x', x);
  const [OH, OW] = geometry('sumPool', x[0].length, x[0][0].length, size, stride);
  return pool(x, OH, OW, stride, (xc, top, left) => windowSum(xc, top, left, size));
}

/**
 * K2 — sum pooling backward: each window copies its gradient to all its k² cells, accumulated
 * where windows overlap (the derivative of [Training] "Pooling": "3. Sum Pooling").
 */
export function sumPoolBackward(dout: Image, shape: [C: number, H: number, W: number], size: number, stride: number): Image {
  const fn = 'sumPoolBackward';
  assertShape(fn, 'shape', shape);
  const [OH, OW] = geometry(fn, shape[1], shape[2], size, stride);
  assertDout(fn, dout, [shape[0], OH, OW], `a ${shape.join('×')} input`);
  return spread(dout, shape, size, stride, 1);
}

// ---------------------------------------------------------------------------------------------
// K3 — global average pooling

/**
 * K3 — global average pooling: F_k = (1/HW) Σ_{h,w} f_{h,w,k}, one number per channel
 * ([Training] "Global Average Pooling"; the deck's f is H×W×K, the channel index last; here
 * channel k is x[k]). It is avgPool with a window of the whole H×W map.
 */
export function globalAvgPool(x: Image): Vector {
  assertImage('globalAvgPool', 'x', x);
  const [H, W] = [x[0].length, x[0][0].length];
  return x.map((xc) => xc.flat().reduce((a, b) => a + b, 0) / (H * W));
}

/**
 * K3 — global average pooling backward: ∂L/∂f_{h,w,k} = dout_k / (HW) at every position of
 * channel k (the derivative of F_k = (1/HW) Σ_{h,w} f_{h,w,k}, [Training] "Global Average Pooling").
 */
export function globalAvgPoolBackward(dout: Vector, shape: [C: number, H: number, W: number]): Image {
  const fn = 'globalAvgPoolBackward';
  assertShape(fn, 'shape', shape);
  const [C, H, W] = shape;
  assertVector(fn, 'dout', dout, C);
  return dout.map((g) => Array.from({ length: H }, () => new Array<number>(W).fill(g / (H * W))));
}
