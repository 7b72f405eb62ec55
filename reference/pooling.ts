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
 * - Pooling is per channel and, by default (the notes' form), has no padding: only windows that
 *   fit ('valid'), and the output size is rounded down, ⌊(H − k)/s⌋ + 1, as tfjs's 'valid'
 *   pooling does: rows and columns left over at the bottom and right belong to no window (their
 *   gradient is 0).
 * - Framework conventions (issue 13), selected by the trailing `options` of maxPool, avgPool and
 *   avgPoolBackward (maxPoolBackward reads them from the cache):
 *   options.padding = 'valid' (default) | 'same' | [top, bottom, left, right]. 'same' is
 *   TensorFlow's rule: OH = ⌈H/s⌉, P = max((OH − 1)·s + k − H, 0), top = ⌊P/2⌋, bottom = P − top
 *   (the extra row at the bottom, the extra column at the right). Explicit pads give
 *   OH = ⌊(H + top + bottom − k)/s⌋ + 1 (PyTorch's padding = p is [p, p, p, p]); each pad ≤ k − 1,
 *   so that every window holds at least one real cell. A padded cell is IGNORED: max pooling
 *   takes the maximum over the real cells of a window (TensorFlow; PyTorch pads max pooling with
 *   −∞, the same thing); average pooling divides by the number of real cells (TensorFlow's rule,
 *   PyTorch's count_include_pad = False), or, with options.countIncludePad = true, by k²
 *   (PyTorch's default count_include_pad = True: the pad cells count as zeros).
 *   Window (i, j) then covers rows i·s − top … i·s − top + k − 1 of x (those in 0 … H − 1).
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
  /** [top, bottom, left, right], only when maxPool was given options.padding (absent: none, the notes' form) */
  padding?: Padding;
}

/** Explicit padding [top, bottom, left, right] in cells. */
export type Padding = [top: number, bottom: number, left: number, right: number];

/**
 * The framework conventions of pooling (issue 13); the notes' form is the default {}.
 * padding: 'valid' (default, the notes), 'same' (TensorFlow's rule) or [top, bottom, left, right];
 * countIncludePad (avgPool, avgPoolBackward): false (default, TensorFlow: divide by the real
 * cells) or true (PyTorch's default count_include_pad: divide by k²).
 */
export interface PoolOptions {
  padding?: 'valid' | 'same' | Padding;
  countIncludePad?: boolean;
}

// ---------------------------------------------------------------------------------------------
// validation and geometry

/** A window geometry: output size, the padding before the first row/column, and the window's side and step. */
interface Geometry {
  OH: number;
  OW: number;
  padding: Padding;
  size: number;
  stride: number;
}

/** Validates an options object { padding?, countIncludePad? } and the keys `allowed` for this function. */
function assertOptions(fn: string, options: unknown, allowed: readonly (keyof PoolOptions)[]): asserts options is PoolOptions {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) throw new ArgumentError(fn, 'options', `must be an object { ${allowed.map((k) => `${k}?`).join(', ')} }; got ${JSON.stringify(options)}`);
  for (const key of Object.keys(options)) {
    if (!(allowed as string[]).includes(key)) throw new ArgumentError(fn, 'options', `has no key '${key}' (known: ${allowed.join(', ')})`);
  }
  const { countIncludePad } = options as PoolOptions;
  if (countIncludePad !== undefined && typeof countIncludePad !== 'boolean') throw new ArgumentError(fn, 'options.countIncludePad', `must be a boolean; got ${JSON.stringify(countIncludePad)}`);
}

/**
 * Validates size, stride and the padding against an H×W input and returns the geometry:
 * 'valid' OH = ⌊(H − k)/s⌋ + 1; 'same' OH = ⌈H/s⌉ with P = max((OH − 1)·s + k − H, 0) split
 * ⌊P/2⌋ above, the rest below (TensorFlow); explicit OH = ⌊(H + top + bottom − k)/s⌋ + 1.
 */
function geometry(fn: string, H: number, W: number, size: number, stride: number, pad: PoolOptions['padding'] = 'valid', sizeArg = 'size', strideArg = 'stride', padArg = 'options.padding'): Geometry {
  assertInteger(fn, sizeArg, size, 1);
  assertInteger(fn, strideArg, stride, 1);
  let padding: Padding;
  if (pad === 'valid') padding = [0, 0, 0, 0];
  else if (pad === 'same') {
    const total = (n: number) => Math.max((Math.ceil(n / stride) - 1) * stride + size - n, 0);
    const [PH, PW] = [total(H), total(W)];
    padding = [Math.floor(PH / 2), PH - Math.floor(PH / 2), Math.floor(PW / 2), PW - Math.floor(PW / 2)];
  } else if (Array.isArray(pad) && pad.length === 4) {
    pad.forEach((p, i) => assertInteger(fn, `${padArg}[${i}]`, p, 0));
    const too = pad.findIndex((p) => p > size - 1);
    if (too >= 0) throw new ArgumentError(fn, `${padArg}[${too}]`, `must be ≤ k − 1 = ${size - 1}, so that every window holds a real cell; got ${pad[too]}`);
    padding = [pad[0], pad[1], pad[2], pad[3]];
  } else throw new ArgumentError(fn, padArg, `must be 'valid', 'same' or [top, bottom, left, right]; got ${JSON.stringify(pad)}`);
  const [top, bottom, left, right] = padding;
  if (size > H + top + bottom || size > W + left + right) {
    const what = pad === 'valid' ? 'input (no padding)' : `padded input (padding [${padding.join(', ')}])`;
    throw new ArgumentError(fn, sizeArg, `must fit in the ${H}×${W} ${what}; got ${size}`);
  }
  return { OH: Math.floor((H + top + bottom - size) / stride) + 1, OW: Math.floor((W + left + right - size) / stride) + 1, padding, size, stride };
}

/** The real rows [r0, r1) and columns [q0, q1) of window (i, j): the k×k window clipped to the H×W input. */
function windowOf(g: Geometry, H: number, W: number, i: number, j: number): [r0: number, r1: number, q0: number, q1: number] {
  const [top, left] = [i * g.stride - g.padding[0], j * g.stride - g.padding[2]];
  return [Math.max(top, 0), Math.min(top + g.size, H), Math.max(left, 0), Math.min(left + g.size, W)];
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

/** Σ of x[c] over the real cells [r0, r1) × [q0, q1) of a window. */
function windowSum(xc: number[][], [r0, r1, q0, q1]: number[]): number {
  let sum = 0;
  for (let r = r0; r < r1; r++) for (let q = q0; q < q1; q++) sum += xc[r][q];
  return sum;
}

/** Pools every window of every channel with `reduce(channel, window)`, the window's real cells [r0, r1, q0, q1]. */
function pool(x: Image, g: Geometry, reduce: (xc: number[][], window: number[]) => number): Image {
  const [H, W] = [x[0].length, x[0][0].length];
  return x.map((xc) => Array.from({ length: g.OH }, (_, i) => Array.from({ length: g.OW }, (_, j) => reduce(xc, windowOf(g, H, W, i, j)))));
}

/** Adds weight(window)·dout[c][i][j] to every real cell of window (i, j): the backward pass of a weighted window sum. */
function spread(dout: Image, [C, H, W]: number[], g: Geometry, weight: (window: number[]) => number): Image {
  const dx = zeros(C, H, W);
  dout.forEach((dc, c) =>
    dc.forEach((row, i) =>
      row.forEach((d, j) => {
        const win = windowOf(g, H, W, i, j);
        const w = weight(win);
        for (let r = win[0]; r < win[1]; r++) for (let q = win[2]; q < win[3]; q++) dx[c][r][q] += w * d;
      }),
    ),
  );
  return dx;
}

/** The divisor of average pooling: the real cells of the window (TensorFlow) or k² (PyTorch's count_include_pad). */
const divisor = (g: Geometry, countIncludePad: boolean) => ([r0, r1, q0, q1]: number[]) => (countIncludePad ? g.size * g.size : (r1 - r0) * (q1 - q0));

// ---------------------------------------------------------------------------------------------
// K1, K2 — max pooling

/**
 * K1 — max pooling: out[c][i][j] = max_{0 ≤ a, b < k} x[c][i·s + a][j·s + b], and the switch
 * switches[c][i][j] = r·W + q of the cell (r, q) that held it ([Oh] "MAX POOLING": 2×2 windows
 * at stride 2 turn [[1,1,2,4],[5,6,7,8],[3,2,1,0],[1,2,3,4]] into [[6,8],[3,4]]; [Training]
 * "Max Pooling — Remember which element was max!"). Ties go to the first maximum in row-major
 * order. OH = ⌊(H − k)/s⌋ + 1, OW likewise; no padding (the notes' form, the default).
 *
 * options.padding = 'same' (TensorFlow's rule) or [top, bottom, left, right] (PyTorch's
 * padding = p is [p, p, p, p]): the maximum over the REAL cells of each window, rows
 * i·s − top … i·s − top + k − 1 clipped to the input — tf.maxPool's 'same'/explicit padding
 * (pad cells ignored), PyTorch's MaxPool2d (implicit −∞ padding). The cache then carries the padding.
 */
export function maxPool(x: Image, size: number, stride: number, options: PoolOptions = {}): { out: Image; cache: MaxPoolCache } {
  const fn = 'maxPool';
  assertImage(fn, 'x', x);
  assertOptions(fn, options, ['padding']);
  const [H, W] = [x[0].length, x[0][0].length];
  const g = geometry(fn, H, W, size, stride, options.padding);
  const switches = pool(x, g, (xc, [r0, r1, q0, q1]) => {
    let best = r0 * W + q0;
    for (let r = r0; r < r1; r++) {
      for (let q = q0; q < q1; q++) if (xc[r][q] > xc[Math.floor(best / W)][best % W]) best = r * W + q; // strict >: the first maximum stays
    }
    return best;
  });
  const out = switches.map((sc, c) => sc.map((row) => row.map((idx) => x[c][Math.floor(idx / W)][idx % W])));
  return { out, cache: options.padding === undefined ? { x, switches, size, stride } : { x, switches, size, stride, padding: g.padding } };
}

/**
 * K2 — max pooling backward: the gradient goes to the recorded argmax ("switch") of each window
 * and nowhere else, dx[c][r][q] = Σ_{(i,j): switches[c][i][j] = r·W + q} dout[c][i][j]
 * ([Jung] "Pooling": "Need to save the 'switch' index for backpropagation"). A cell that is the
 * maximum of several overlapping windows receives the sum of their gradients. With
 * cache.padding (maxPool's options.padding) the windows are the padded ones and a switch is
 * always a real cell: pad cells get no gradient (tf.grad of tf.maxPool with padding).
 */
export function maxPoolBackward(dout: Image, cache: MaxPoolCache): Image {
  const fn = 'maxPoolBackward';
  if (cache === null || typeof cache !== 'object') throw new ArgumentError(fn, 'cache', `must be the cache of maxPool { x, switches, size, stride, padding? }; got ${String(cache)}`);
  const { x, switches, size, stride, padding } = cache;
  assertImage(fn, 'cache.x', x);
  const [C, H, W] = [x.length, x[0].length, x[0][0].length];
  const g = geometry(fn, H, W, size, stride, padding ?? 'valid', 'cache.size', 'cache.stride', 'cache.padding');
  assertImage(fn, 'cache.switches', switches, [C, g.OH, g.OW]);
  assertDout(fn, dout, [C, g.OH, g.OW], `the ${C}×${H}×${W} input`);
  const dx = zeros(C, H, W);
  switches.forEach((sc, c) =>
    sc.forEach((row, i) =>
      row.forEach((idx, j) => {
        const [r, q] = [Math.floor(idx / W), idx % W];
        const [r0, r1, q0, q1] = windowOf(g, H, W, i, j);
        const inside = Number.isInteger(idx) && r >= r0 && r < r1 && q >= q0 && q < q1;
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
 * decimal: 15/9 = 1.666… appears as 1.7). No padding (the default): every window has k² cells.
 *
 * options.padding = 'same' | [top, bottom, left, right] (as maxPool): the mean over the REAL
 * cells, out = Σ_{real cells of the window} x / #(real cells) — tf.avgPool's rule, PyTorch's
 * AvgPool2d(count_include_pad = False); with options.countIncludePad = true the sum over the
 * real cells is divided by k² (pad cells count as zeros: PyTorch's default count_include_pad = True).
 */
export function avgPool(x: Image, size: number, stride: number, options: PoolOptions = {}): Image {
  const fn = 'avgPool';
  assertImage(fn, 'x', x);
  assertOptions(fn, options, ['padding', 'countIncludePad']);
  const g = geometry(fn, x[0].length, x[0][0].length, size, stride, options.padding);
  const n = divisor(g, options.countIncludePad ?? false);
  return pool(x, g, (xc, win) => windowSum(xc, win) / n(win));
}

/**
 * K2 — average pooling backward: each window spreads its gradient evenly over its k² cells,
 * dx[c][r][q] = Σ_{windows (i,j) ∋ (r,q)} dout[c][i][j] / k², accumulated where windows overlap
 * (the derivative of [Tu] "Pooling — Average pooling"; no deck works this backward out).
 * With options (as avgPool's): dout[c][i][j] / n_ij to each REAL cell of window (i, j), where
 * n_ij is the window's number of real cells (TensorFlow's rule) or k² (countIncludePad, PyTorch).
 */
export function avgPoolBackward(dout: Image, shape: [C: number, H: number, W: number], size: number, stride: number, options: PoolOptions = {}): Image {
  const fn = 'avgPoolBackward';
  assertShape(fn, 'shape', shape);
  assertOptions(fn, options, ['padding', 'countIncludePad']);
  const g = geometry(fn, shape[1], shape[2], size, stride, options.padding);
  assertDout(fn, dout, [shape[0], g.OH, g.OW], `a ${shape.join('×')} input`);
  const n = divisor(g, options.countIncludePad ?? false);
  return spread(dout, shape, g, (win) => 1 / n(win));
}

// ---------------------------------------------------------------------------------------------
// K1, K2 — sum pooling

/** K1 — sum pooling: out[c][i][j] = Σ_{0 ≤ a, b < k} x[c][i·s + a][j·s + b] ([Training] "Pooling": "3. Sum Pooling"). */
export function sumPool(x: Image, size: number, stride: number): Image {
  assertImage('sumPool', 'x', x);
  const g = geometry('sumPool', x[0].length, x[0][0].length, size, stride);
  return pool(x, g, (xc, win) => windowSum(xc, win));
}

/**
 * K2 — sum pooling backward: each window copies its gradient to all its k² cells, accumulated
 * where windows overlap (the derivative of [Training] "Pooling": "3. Sum Pooling").
 */
export function sumPoolBackward(dout: Image, shape: [C: number, H: number, W: number], size: number, stride: number): Image {
  const fn = 'sumPoolBackward';
  assertShape(fn, 'shape', shape);
  const g = geometry(fn, shape[1], shape[2], size, stride);
  assertDout(fn, dout, [shape[0], g.OH, g.OW], `a ${shape.join('×')} input`);
  return spread(dout, shape, g, () => 1);
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
