/**
 * L. Up-sampling — catalogue family L (L1–L6): nearest neighbour, bilinear interpolation, bed of
 * nails, max unpooling, transposed convolution (scatter form and direct form) and the overlap map
 * behind its checkerboard artefacts.
 *
 * Decks: [Training] "Up-Sampling Method" (nearest neighbour [[1,2],[3,4]] → 4×4, bilinear
 * [[10,20],[30,40]] → 4×4, bed of nails, "Max Pooling: Remember which element was max!",
 * "Max Unpooling: Use positions from pooling layer"), "Transposed Convolution" (output =
 * s(n − 1) + k − 2p; "emulated with direct convolution", Figure 4.5 of Dumoulin & Visin),
 * "Problems with Transposed Convolutions" (checkerboard effects); [Jung] "DeconvNet"
 * (unpooling with the switches of max pooling).
 *
 * symbol  id        shape          meaning
 * x       x         [C, H, W]      input image (channel c is the H×W matrix x[c])
 * f       factor    integer ≥ 1    up-sampling factor (nearest neighbour, bed of nails)
 * W       W         [F, C, KH, KW] the FORWARD conv's filters (filter f reads input channel c);
 *                                  the transposed conv maps an F-channel input to C channels
 * b       b         [C]            bias of the transposed conv's C output channels
 * n       H, W      integer        input size of a transposed conv
 * k       KH, KW    integer        kernel size
 * s       stride    integer ≥ 1    stride of the transposed conv ("we stride over the output")
 * p       pad       integer ≥ 0    padding of the forward conv: removed from each side of the output
 * a       options   0 ≤ a < s      output padding (PyTorch output_padding): a rows/columns added after
 * o       options   [o_h, o_w]     output size (TF conv2dTranspose outputShape)
 * switch  switches  [C, OH, OW]    flat index row·W + col of each pooled maximum in its H×W channel
 *
 * Conventions: images are C×H×W; every size is an integer. Resizing (L1, L2) takes the
 * frameworks' coordinate mappings as options (ResizeMapping below; the notes' half-pixel centres
 * are the default), nearestUpsample an output size in place of its factor, and
 * bilinearResizeBackward is the bilinear resize's backward pass (issue 13). A transposed conv's
 * output is o = s(n − 1) + k − 2p per dimension (no output padding), which must be ≥ 1. That is
 * the default; the frameworks' conventions are options of transposedConv2d/transposedConv2dDirect
 * (see TransposedOptions): stride [s_h, s_w], the forward conv's pad as [top, bottom, left, right]
 * or 'same'/'valid', PyTorch's output_padding (options.outputPadding) and TensorFlow's
 * outputShape (options.outputSize). With pooling.ts,
 * maxUnpool(out, cache.switches, [C, H, W] of cache.x) undoes const { out, cache } = maxPool(x, k, s).
 */
import { ArgumentError, assertFilters, assertImage, assertInteger, assertVector, type Filters, type Image, type Matrix, type Vector } from './tensor.ts';

/**
 * Max-pool switches, C×OH×OW: the flat index row·W + col of the maximum of each window inside
 * its channel's H×W input (the pooling family's `Switches`, re-declared here identically).
 */
export type Switches = number[][][];

const zeros = (C: number, H: number, W: number): Image => Array.from({ length: C }, () => Array.from({ length: H }, () => new Array<number>(W).fill(0)));

// ---------------------------------------------------------------------------------------------
// L1, L2 — resizing: the coordinate mappings of the frameworks (issue 13)

/**
 * How output index i (of `out` pixels) maps to a source coordinate in the input (of `in`):
 * - 'half-pixel' (default; the notes' form): pixel centres at i + ½ in both grids,
 *   src = (i + ½)·in/out − ½ (bilinear) — tf.image.resizeBilinear(…, halfPixelCenters = true),
 *   TF2's tf.image.resize, PyTorch/OpenCV align_corners = False. Nearest: ⌊(i + ½)·in/out⌋
 *   (tfjs resizeNearestNeighbor(halfPixelCenters = true) = PyTorch mode = 'nearest-exact').
 * - 'align-corners': the corner pixels' centres coincide, src = i·(in − 1)/(out − 1) (src = 0
 *   when out = 1) — tfjs alignCorners = true, PyTorch align_corners = True (bilinear). Nearest
 *   ROUNDS: round(i·(in − 1)/(out − 1)), halves up (tfjs alignCorners; PyTorch has no
 *   align-corners nearest).
 * - 'asymmetric': src = i·in/out — tfjs's DEFAULT resizeBilinear/resizeNearestNeighbor
 *   (TF1's legacy mapping); nearest takes ⌊i·in/out⌋ = PyTorch mode = 'nearest' (and OpenCV
 *   INTER_NEAREST). PyTorch's bilinear has no asymmetric mode.
 * Every nearest index is clamped to [0, in − 1]; a bilinear src is clamped to [0, in − 1]
 * (the edge pixels repeat).
 */
export type ResizeMapping = 'half-pixel' | 'align-corners' | 'asymmetric';

/** bilinearResize and bilinearResizeBackward's options: the coordinate mapping (default 'half-pixel', the notes'). */
export interface ResizeOptions {
  mapping?: ResizeMapping;
}

/** nearestUpsample's options: the mapping, and an output size [outH, outW] in place of the factor (PyTorch's interpolate takes size or scale_factor, not both). */
export interface NearestOptions extends ResizeOptions {
  size?: [outH: number, outW: number];
}

const MAPPINGS: readonly ResizeMapping[] = ['half-pixel', 'align-corners', 'asymmetric'];

/** Validates an options object with the keys `allowed` and returns its mapping. */
function resizeOptions(fn: string, options: unknown, allowed: readonly string[]): ResizeMapping {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) throw new ArgumentError(fn, 'options', `must be an object { ${allowed.map((k) => `${k}?`).join(', ')} }; got ${JSON.stringify(options)}`);
  for (const key of Object.keys(options)) if (!allowed.includes(key)) throw new ArgumentError(fn, 'options', `has no key '${key}' (known: ${allowed.join(', ')})`);
  const { mapping = 'half-pixel' } = options as ResizeOptions;
  if (!MAPPINGS.includes(mapping)) throw new ArgumentError(fn, 'options.mapping', `must be one of ${MAPPINGS.map((m) => `'${m}'`).join(', ')}; got ${JSON.stringify(mapping)}`);
  return mapping;
}

/**
 * Nearest source index of output index i: ⌊(i + ½)·in/out⌋ (half-pixel), round(i·(in − 1)/(out − 1))
 * (align-corners) or ⌊i·in/out⌋ (asymmetric), clamped to [0, in − 1]. Each product is formed
 * before the division, so the quotient of these small integers is exact where it is an integer
 * and the floor/round never falls on the wrong side.
 */
function nearestSource(mapping: ResizeMapping, i: number, inSize: number, outSize: number): number {
  let src: number;
  if (mapping === 'half-pixel') src = Math.floor(((i + 0.5) * inSize) / outSize);
  else if (mapping === 'asymmetric') src = Math.floor((i * inSize) / outSize);
  else src = outSize > 1 ? Math.round((i * (inSize - 1)) / (outSize - 1)) : 0;
  return Math.min(src, inSize - 1);
}

/**
 * Bilinear source of output index i: src by the mapping (see ResizeMapping), clamped to
 * [0, in − 1]; returns the two neighbours lo = ⌊src⌋, hi = min(lo + 1, in − 1) and the weight
 * t = src − lo of the second one.
 */
function bilinearSource(mapping: ResizeMapping, i: number, inSize: number, outSize: number): { lo: number; hi: number; t: number } {
  let src: number;
  if (mapping === 'half-pixel') src = ((i + 0.5) * inSize) / outSize - 0.5;
  else if (mapping === 'asymmetric') src = (i * inSize) / outSize;
  else src = outSize > 1 ? (i * (inSize - 1)) / (outSize - 1) : 0;
  src = Math.min(Math.max(src, 0), inSize - 1);
  const lo = Math.floor(src);
  return { lo, hi: Math.min(lo + 1, inSize - 1), t: src - lo };
}

// ---------------------------------------------------------------------------------------------
// L1 — nearest neighbour

/**
 * L1 — nearest-neighbour up-sampling by an integer factor f: every pixel becomes an f×f block,
 *   out[c][i][j] = x[c][⌊i/f⌋][⌊j/f⌋],  out: C × fH × fW
 * ([Training] "Up-Sampling Method": [[1,2],[3,4]] → [[1,1,2,2],[1,1,2,2],[3,3,4,4],[3,3,4,4]]).
 * This is tf.image.resizeNearestNeighbor to [fH, fW] (src = ⌊i·in/out⌋, and also with half-pixel
 * centres ⌊(i + ½)/f⌋ = ⌊i/f⌋); align-corners rounding would differ.
 *
 * Frameworks (issue 13): options.size = [outH, outW] resizes to any size (pass factor = null:
 * PyTorch's interpolate(size=…) instead of scale_factor), and options.mapping selects the
 * framework's source index, out[c][i][j] = x[c][src(i, H, outH)][src(j, W, outW)]:
 * 'half-pixel' (default) ⌊(i + ½)·in/out⌋ (tfjs halfPixelCenters, PyTorch 'nearest-exact'),
 * 'asymmetric' ⌊i·in/out⌋ (tfjs's default, PyTorch 'nearest'), 'align-corners'
 * round(i·(in − 1)/(out − 1)) (tfjs alignCorners); all clamped to [0, in − 1].
 */
export function nearestUpsample(x: Image, factor: number | null, options: NearestOptions = {}): Image {
  const fn = 'nearestUpsample';
  assertImage(fn, 'x', x);
  const mapping = resizeOptions(fn, options, ['size', 'mapping']);
  const [H, W] = [x[0].length, x[0][0].length];
  let outH: number, outW: number;
  if (options.size === undefined) {
    assertInteger(fn, 'factor', factor, 1);
    [outH, outW] = [factor * H, factor * W];
  } else {
    if (factor !== null) throw new ArgumentError(fn, 'factor', `must be null when options.size is given (a size or a factor, as PyTorch's interpolate takes size or scale_factor); got ${String(factor)}`);
    if (!Array.isArray(options.size) || options.size.length !== 2) throw new ArgumentError(fn, 'options.size', `must be [outH, outW]; got ${JSON.stringify(options.size)}`);
    assertInteger(fn, 'options.size[0]', options.size[0], 1);
    assertInteger(fn, 'options.size[1]', options.size[1], 1);
    [outH, outW] = options.size;
  }
  const rows = Array.from({ length: outH }, (_, i) => nearestSource(mapping, i, H, outH));
  const cols = Array.from({ length: outW }, (_, j) => nearestSource(mapping, j, W, outW));
  return x.map((channel) => rows.map((r) => cols.map((q) => channel[r][q])));
}

// ---------------------------------------------------------------------------------------------
// L2 — bilinear interpolation

/**
 * L2 — bilinear resize of every channel to outH × outW with half-pixel centres:
 *   src_r = clamp((i + ½)·H/outH − ½, 0, H − 1),  src_c likewise with W/outW,
 *   out[c][i][j] = (1 − t_r)(1 − t_c)·x[r0][c0] + (1 − t_r)t_c·x[r0][c1] + t_r(1 − t_c)·x[r1][c0] + t_r t_c·x[r1][c1]
 * with r0 = ⌊src_r⌋, r1 = min(r0 + 1, H − 1), t_r = src_r − r0 (c0, c1, t_c for columns).
 * Any output size (larger, smaller, non-integer ratio, non-square). [Training] "Up-Sampling
 * Method" prints [[10,20],[30,40]] → [[10,12,17,20],[15,17,22,25],[25,27,32,35],[30,32,37,40]],
 * which is this result ([[10,12.5,17.5,20],[15,17.5,22.5,25],…]) truncated to integers.
 * = tf.image.resizeBilinear(x, [outH, outW], alignCorners = false, halfPixelCenters = true)
 * (PyTorch/OpenCV align_corners=False); tfjs's default (src = i·in/out) is another mapping.
 *
 * Frameworks (issue 13): options.mapping = 'half-pixel' (default, above), 'align-corners'
 * (src = i·(in − 1)/(out − 1): tfjs alignCorners = true, PyTorch align_corners = True) or
 * 'asymmetric' (src = i·in/out: tfjs's default resizeBilinear, TF1's legacy mapping).
 */
export function bilinearResize(x: Image, outH: number, outW: number, options: ResizeOptions = {}): Image {
  const fn = 'bilinearResize';
  assertImage(fn, 'x', x);
  assertInteger(fn, 'outH', outH, 1);
  assertInteger(fn, 'outW', outW, 1);
  const mapping = resizeOptions(fn, options, ['mapping']);
  const [H, W] = [x[0].length, x[0][0].length];
  const rows = Array.from({ length: outH }, (_, i) => bilinearSource(mapping, i, H, outH));
  const cols = Array.from({ length: outW }, (_, j) => bilinearSource(mapping, j, W, outW));
  return x.map((channel) =>
    rows.map((r) => {
      const [top, bottom] = [channel[r.lo], channel[r.hi]];
      return cols.map((c) => {
        const upper = (1 - c.t) * top[c.lo] + c.t * top[c.hi];
        const lower = (1 - c.t) * bottom[c.lo] + c.t * bottom[c.hi];
        return (1 - r.t) * upper + r.t * lower;
      });
    }),
  );
}

/**
 * L2 — bilinear resize backward (a reference and verification function, not an exercise): the
 * resize is linear, out = Σ weights·x, so ∂L/∂x sends each dout[c][i][j] back to its four
 * neighbours with the same weights, accumulated where outputs share a neighbour:
 *   dx[c][r0][c0] += (1 − t_r)(1 − t_c)·dout[c][i][j],  dx[c][r0][c1] += (1 − t_r)t_c·dout[c][i][j],
 *   dx[c][r1][c0] += t_r(1 − t_c)·dout[c][i][j],        dx[c][r1][c1] += t_r t_c·dout[c][i][j]
 * (r0 = r1 or c0 = c1 at a clamped edge: both weights land on the one pixel). `shape` is the
 * input's [C, H, W]; dout is C × outH × outW; options.mapping as bilinearResize's.
 * = tf.grad of tf.image.resizeBilinear with the flags of the mapping (ResizeBilinearGrad).
 */
export function bilinearResizeBackward(dout: Image, shape: [C: number, H: number, W: number], options: ResizeOptions = {}): Image {
  const fn = 'bilinearResizeBackward';
  assertImage(fn, 'dout', dout);
  if (!Array.isArray(shape) || shape.length !== 3) throw new ArgumentError(fn, 'shape', `must be the input's shape [C, H, W]; got ${JSON.stringify(shape)}`);
  shape.forEach((n, i) => assertInteger(fn, `shape[${i}]`, n, 1));
  const [C, H, W] = shape;
  if (dout.length !== C) throw new ArgumentError(fn, 'dout', `must have shape[0] = ${C} channels; got ${dout.length}`);
  const mapping = resizeOptions(fn, options, ['mapping']);
  const [outH, outW] = [dout[0].length, dout[0][0].length];
  const rows = Array.from({ length: outH }, (_, i) => bilinearSource(mapping, i, H, outH));
  const cols = Array.from({ length: outW }, (_, j) => bilinearSource(mapping, j, W, outW));
  const dx = zeros(C, H, W);
  dout.forEach((channel, c) =>
    rows.forEach((r, i) =>
      cols.forEach((q, j) => {
        const d = channel[i][j];
        dx[c][r.lo][q.lo] += (1 - r.t) * (1 - q.t) * d;
        dx[c][r.lo][q.hi] += (1 - r.t) * q.t * d;
        dx[c][r.hi][q.lo] += r.t * (1 - q.t) * d;
        dx[c][r.hi][q.hi] += r.t * q.t * d;
      }),
    ),
  );
  return dx;
}

// ---------------------------------------------------------------------------------------------
// L3 — bed of nails

/**
 * L3 — bed of nails: each pixel goes to the top-left corner of its f×f block, zeros elsewhere,
 *   out[c][f·i][f·j] = x[c][i][j],  out[c][r][q] = 0 unless f | r and f | q;  out: C × fH × fW
 * ([Training] "Up-Sampling Method"). It is the transposed conv with stride f of the f×f kernel
 * that is 1 at its top-left and 0 elsewhere (nearest neighbour: the all-ones kernel).
 */
export function bedOfNails(x: Image, factor: number): Image {
  const fn = 'bedOfNails';
  assertImage(fn, 'x', x);
  assertInteger(fn, 'factor', factor, 1);
  const [H, W] = [x[0].length, x[0][0].length];
  const out = zeros(x.length, factor * H, factor * W);
  x.forEach((channel, c) => channel.forEach((row, i) => row.forEach((v, j) => (out[c][factor * i][factor * j] = v))));
  return out;
}

// ---------------------------------------------------------------------------------------------
// L4 — max unpooling

/**
 * L4 — max unpooling ([Training] "Max Unpooling: Use positions from pooling layer"; [Jung]
 * "DeconvNet"): every value x[c][i][j] goes back to the input position its pooling window's
 * maximum came from, switches[c][i][j] = row·W + col; every other position is 0:
 *   out[c][row][col] = Σ_{(i, j): switches[c][i][j] = row·W + col} x[c][i][j]
 * A position chosen by two overlapping windows (stride < window) receives the SUM of their values:
 * unpooling is then the transpose of the pooling's selection, i.e. exactly max pooling's backward
 * pass (tf.grad of maxPool with dy = x), and the result does not depend on the order of the windows.
 * With non-overlapping windows no position is chosen twice, and unpool(pool(x)) keeps the maxima
 * in place and zeros the rest.
 */
export function maxUnpool(x: Image, switches: Switches, shape: [C: number, H: number, W: number]): Image {
  const fn = 'maxUnpool';
  assertImage(fn, 'x', x);
  if (!Array.isArray(shape) || shape.length !== 3) throw new ArgumentError(fn, 'shape', `must be [C, H, W]; got ${JSON.stringify(shape)}`);
  const [C, H, W] = shape;
  assertInteger(fn, 'shape[0]', C, 1);
  assertInteger(fn, 'shape[1]', H, 1);
  assertInteger(fn, 'shape[2]', W, 1);
  const [OH, OW] = [x[0].length, x[0][0].length];
  if (x.length !== C) throw new ArgumentError(fn, 'x', `must have shape[0] = ${C} channels; got ${x.length}`);
  assertImage(fn, 'switches', switches);
  if (switches.length !== C || switches[0].length !== OH || switches[0][0].length !== OW) {
    throw new ArgumentError(fn, 'switches', `must have the shape of x, ${C}×${OH}×${OW}; got ${switches.length}×${switches[0].length}×${switches[0][0].length}`);
  }
  const out = zeros(C, H, W);
  for (let c = 0; c < C; c++) {
    for (let i = 0; i < OH; i++) {
      for (let j = 0; j < OW; j++) {
        const index = switches[c][i][j];
        if (!Number.isInteger(index) || index < 0 || index >= H * W) {
          throw new ArgumentError(fn, 'switches', `must hold flat indices row·W + col in [0, ${H * W}) (H×W = ${H}×${W}); got switches[${c}][${i}][${j}] = ${index}`);
        }
        out[c][Math.floor(index / W)][index % W] += x[c][i][j];
      }
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// L5 — transposed convolution

/** One stride for both axes (the notes), or [s_h, s_w] (tf.conv2dTranspose strides; PyTorch stride=(sh, sw)). */
export type Stride = number | [sh: number, sw: number];

/**
 * The padding of the forward conv that the transposed conv inverts: p on every side (the notes;
 * PyTorch padding=p), [top, bottom, left, right] (tfjs explicit pads), or TensorFlow's 'same' /
 * 'valid' (the forward conv's rule applied to the output size, family I, I2).
 */
export type TransposedPadding = number | [top: number, bottom: number, left: number, right: number] | 'same' | 'valid';

/**
 * The output size conventions of a transposed conv, one or the other (never both):
 * - outputPadding a (or [a_h, a_w]), 0 ≤ a < s: a extra rows/columns at the bottom/right,
 *   o = s(n − 1) + k − p_t − p_b + a (PyTorch ConvTranspose2d output_padding, Keras
 *   Conv2DTranspose output_padding). Not with 'same', whose size is the next option's.
 * - outputSize [o_h, o_w]: TensorFlow's conv2dTranspose outputShape, the input size of the forward
 *   conv this transposes. It must map back to n under that conv's rule (⌊(o + p_t + p_b − k)/s⌋ + 1,
 *   ⌈o/s⌉ for 'same', ⌈(o − k + 1)/s⌉ for 'valid'); with 'same' the pads come from o:
 *   P = max((n − 1)s + k − o, 0), p_t = ⌊P/2⌋ (tfSamePads of family I).
 * Without either, 'same' gives o = s·n (tf.layers.conv2dTranspose, Keras) and 'valid' s(n − 1) + k.
 */
export interface TransposedOptions {
  outputPadding?: number | [ah: number, aw: number];
  outputSize?: [oh: number, ow: number];
}

/** One axis of a transposed conv: the output size o and the rows p_t cropped before it. */
function transposedAxis(fn: string, axis: 0 | 1, n: number, k: number, s: number, pad: TransposedPadding, a: number, o: number | undefined): { o: number; before: number } {
  const name = axis === 0 ? 'height' : 'width';
  if (pad === 'same') {
    if (a !== 0) throw new ArgumentError(fn, 'options.outputPadding', `cannot be used with pad 'same' (its output size is s·n, or options.outputSize as tf.conv2dTranspose's outputShape); got ${a} for the ${name}`);
    const out = o ?? s * n;
    if (Math.ceil(out / s) !== n) throw new ArgumentError(fn, 'options.outputSize', `must map back to the input under 'same': ⌈o/s⌉ = n needs o in [${s * (n - 1) + 1}, ${s * n}] for the ${name} (n = ${n}, s = ${s}); got ${out}`);
    const P = Math.max((n - 1) * s + k - out, 0);
    return { o: out, before: Math.floor(P / 2) };
  }
  const [before, after] = pad === 'valid' ? [0, 0] : typeof pad === 'number' ? [pad, pad] : axis === 0 ? [pad[0], pad[1]] : [pad[2], pad[3]];
  const base = s * (n - 1) + k - before - after;
  if (o === undefined) return { o: base + a, before }; // ≥ 1 is checked for both axes together
  if (o - base < 0 || o - base >= s) {
    throw new ArgumentError(fn, 'options.outputSize', `must map back to the input: the forward conv ⌊(o + p_t + p_b − k)/s⌋ + 1 = n needs o in [${base}, ${base + s - 1}] for the ${name} (n = ${n}, k = ${k}, s = ${s}, pads ${before} and ${after}); got ${o}`);
  }
  return { o, before };
}

/** Validates (x, W, b, stride, pad, options) of a transposed conv and returns the sizes; the output must be ≥ 1×1. */
function transposedGeometry(fn: string, x: Image, W: Filters, b: Vector, stride: Stride, pad: TransposedPadding, options: TransposedOptions) {
  assertImage(fn, 'x', x);
  assertFilters(fn, 'W', W);
  const [F, C, KH, KW] = [W.length, W[0].length, W[0][0].length, W[0][0][0].length];
  if (x.length !== F) {
    throw new ArgumentError(fn, 'x', `must have ${F} channels, one per filter of W (${F}×${C}×${KH}×${KW}: the transposed conv maps F = ${F} channels to C = ${C}); got ${x.length}×${x[0].length}×${x[0][0].length}`);
  }
  assertVector(fn, 'b', b, C);
  let SH: number, SW: number;
  if (Array.isArray(stride)) {
    if ((stride as number[]).length !== 2) throw new ArgumentError(fn, 'stride', `must be an integer ≥ 1 or a pair [sh, sw]; got an array of length ${(stride as number[]).length}`);
    assertInteger(fn, 'stride[0]', stride[0], 1);
    assertInteger(fn, 'stride[1]', stride[1], 1);
    [SH, SW] = stride;
  } else {
    assertInteger(fn, 'stride', stride, 1);
    [SH, SW] = [stride, stride];
  }
  if (Array.isArray(pad)) {
    if ((pad as number[]).length !== 4) throw new ArgumentError(fn, 'pad', `must be an integer ≥ 0, [top, bottom, left, right], 'same' or 'valid'; got an array of length ${(pad as number[]).length}`);
    pad.forEach((p, i) => assertInteger(fn, `pad[${i}]`, p, 0));
  } else if (typeof pad === 'string') {
    if (pad !== 'same' && pad !== 'valid') throw new ArgumentError(fn, 'pad', `must be an integer ≥ 0, [top, bottom, left, right], 'same' or 'valid'; got ${JSON.stringify(pad)}`);
  } else {
    assertInteger(fn, 'pad', pad, 0);
  }
  if (options === null || typeof options !== 'object' || Array.isArray(options)) throw new ArgumentError(fn, 'options', `must be an object { outputPadding?, outputSize? }; got ${JSON.stringify(options)}`);
  const { outputPadding = 0, outputSize } = options;
  if (options.outputPadding !== undefined && outputSize !== undefined) {
    throw new ArgumentError(fn, 'options', `takes outputPadding (PyTorch) or outputSize (TensorFlow's outputShape), not both; got ${JSON.stringify(options)}`);
  }
  let AH: number, AW: number;
  if (Array.isArray(outputPadding)) {
    if ((outputPadding as number[]).length !== 2) throw new ArgumentError(fn, 'options.outputPadding', `must be an integer or a pair [ah, aw]; got an array of length ${(outputPadding as number[]).length}`);
    [AH, AW] = outputPadding;
  } else {
    [AH, AW] = [outputPadding, outputPadding];
  }
  for (const [name, a, s] of [['options.outputPadding[0]', AH, SH], ['options.outputPadding[1]', AW, SW]] as const) {
    assertInteger(fn, Array.isArray(outputPadding) ? name : 'options.outputPadding', a, 0);
    if (a >= s) throw new ArgumentError(fn, Array.isArray(outputPadding) ? name : 'options.outputPadding', `must be smaller than the stride ${s} (a stride-${s} conv maps only ${s} input sizes to n, as PyTorch requires); got ${a}`);
  }
  if (outputSize !== undefined) {
    if (!Array.isArray(outputSize) || outputSize.length !== 2) throw new ArgumentError(fn, 'options.outputSize', `must be a pair [oh, ow]; got ${JSON.stringify(outputSize)}`);
    assertInteger(fn, 'options.outputSize[0]', outputSize[0], 1);
    assertInteger(fn, 'options.outputSize[1]', outputSize[1], 1);
  }
  const [H, Wd] = [x[0].length, x[0][0].length];
  const rows = transposedAxis(fn, 0, H, KH, SH, pad, AH, outputSize?.[0]);
  const cols = transposedAxis(fn, 1, Wd, KW, SW, pad, AW, outputSize?.[1]);
  if (rows.o < 1 || cols.o < 1) {
    const a = AH || AW ? `, a = ${JSON.stringify(outputPadding)}` : '';
    throw new ArgumentError(fn, 'pad', `is too large: the output s(n − 1) + k − 2p = ${rows.o}×${cols.o} would be empty (n = ${H}×${Wd}, k = ${KH}×${KW}, s = ${JSON.stringify(stride)}, p = ${JSON.stringify(pad)}${a})`);
  }
  return { F, C, KH, KW, H, Wd, OH: rows.o, OW: cols.o, SH, SW, PT: rows.before, PL: cols.before };
}

/**
 * L5 — transposed convolution, scatter form ([Training] "Transposed Convolution"): every input
 * pixel x[f][i][j] adds x[f][i][j]·W[f][c] (the k×k kernel, not flipped) to the output window
 * whose top-left corner is (s·i, s·j) of the full map, which is s(n − 1) + k wide; the padding p
 * of the forward conv is then cut from each side, and b[c] added:
 *   out[c][o][q] = b[c] + Σ_f Σ_{i,j,u,v: s·i + u = o + p, s·j + v = q + p} x[f][i][j]·W[f][c][u][v]
 *   output = s(n − 1) + k − 2p per dimension (2 → 4, 4 → 6, 8 → 10 for k = 3, s = 1, p = 0).
 * W is the F×C×KH×KW filter bank of the forward conv C → F it transposes: this maps F channels to
 * C (PyTorch ConvTranspose2d's [in, out, kH, kW]); = tf.conv2dTranspose with filter HWIO(W).
 * Framework conventions (TransposedOptions): with stride [s_h, s_w], pads [p_t, p_b, p_l, p_r] or
 * 'same'/'valid', and an output size o (from options.outputPadding a: o = s(n − 1) + k − p_t − p_b + a,
 * PyTorch's output_padding; or options.outputSize: tf.conv2dTranspose's outputShape),
 *   out[c][o][q] = b[c] + full[c][o + p_t][q + p_l]  for o < o_h, q < o_w  (0 + b[c] past the full map),
 * the input gradient of the forward conv of an o_h × o_w image with those strides and pads.
 * tf.conv2dTranspose(x, HWIO(W), [1, o_h, o_w, C], [s_h, s_w], pad) + b is this for every pad form.
 */
export function transposedConv2d(x: Image, W: Filters, b: Vector, stride: Stride, pad: TransposedPadding, options: TransposedOptions = {}): Image {
  const { F, C, KH, KW, H, Wd, OH, OW, SH, SW, PT, PL } = transposedGeometry('transposedConv2d', x, W, b, stride, pad, options);
  const out = Array.from({ length: C }, (_, c) => Array.from({ length: OH }, () => new Array<number>(OW).fill(b[c])));
  for (let f = 0; f < F; f++) {
    for (let i = 0; i < H; i++) {
      for (let j = 0; j < Wd; j++) {
        const v = x[f][i][j];
        for (let c = 0; c < C; c++) {
          const kernel = W[f][c];
          for (let u = 0; u < KH; u++) {
            const o = SH * i + u - PT; // row in the cropped output
            if (o < 0 || o >= OH) continue;
            for (let w = 0; w < KW; w++) {
              const q = SW * j + w - PL;
              if (q >= 0 && q < OW) out[c][o][q] += v * kernel[u][w];
            }
          }
        }
      }
    }
  }
  return out;
}

/**
 * L5 — the same transposed convolution as a direct convolution ([Training] "Transposed
 * Convolution (emulated with direct convolution)", Dumoulin & Visin Figure 4.5):
 *   1. stretch: insert s − 1 zeros between the input pixels, z[f][s·i][s·j] = x[f][i][j]
 *      (size s(n − 1) + 1);
 *   2. pad with k − p − 1 zeros on each side (a negative amount crops);
 *   3. cross-correlate at stride 1 with the kernel rotated 180° and its channels swapped,
 *      W'[c][f][u][v] = W[f][c][k − 1 − u][k − 1 − v], and add b[c]:
 *   out[c][o][q] = b[c] + Σ_f Σ_{u,v} zpad[f][o + u][q + v]·W[f][c][KH − 1 − u][KW − 1 − v]
 * Output (s(n − 1) + 1) + 2(k − p − 1) − k + 1 = s(n − 1) + k − 2p: equal to transposedConv2d.
 * With the framework conventions of transposedConv2d (stride [s_h, s_w], pads [p_t, p_b, p_l, p_r]
 * or 'same'/'valid', options.outputPadding or options.outputSize) the stretched input gets
 * k − p_t − 1 zeros before each axis and the output is cut at o (zeros past the stretched input).
 */
export function transposedConv2dDirect(x: Image, W: Filters, b: Vector, stride: Stride, pad: TransposedPadding, options: TransposedOptions = {}): Image {
  const { F, C, KH, KW, H, Wd, OH, OW, SH, SW, PT, PL } = transposedGeometry('transposedConv2dDirect', x, W, b, stride, pad, options);
  // 1. zero-stretched input
  const z = x.map((channel) => {
    const stretched = Array.from({ length: SH * (H - 1) + 1 }, () => new Array<number>(SW * (Wd - 1) + 1).fill(0));
    channel.forEach((row, i) => row.forEach((v, j) => (stretched[SH * i][SW * j] = v)));
    return stretched;
  });
  // 2. padding k − p − 1 before each axis (k − p_t − 1, k − p_l − 1): zpad[r][q] = z[r − padH][q − padW], 0 outside z
  const [padH, padW] = [KH - PT - 1, KW - PL - 1];
  const [ZH, ZW] = [z[0].length, z[0][0].length];
  const zpad = (f: number, r: number, q: number) => {
    const [zr, zq] = [r - padH, q - padW];
    return zr >= 0 && zr < ZH && zq >= 0 && zq < ZW ? z[f][zr][zq] : 0;
  };
  // 3. stride-1 cross-correlation with the flipped, channel-swapped kernel
  return Array.from({ length: C }, (_, c) =>
    Array.from({ length: OH }, (_, o) =>
      Array.from({ length: OW }, (_, q) => {
        let sum = b[c];
        for (let f = 0; f < F; f++) {
          for (let u = 0; u < KH; u++) {
            for (let v = 0; v < KW; v++) sum += zpad(f, o + u, q + v) * W[f][c][KH - 1 - u][KW - 1 - v];
          }
        }
        return sum;
      }),
    ),
  );
}

// ---------------------------------------------------------------------------------------------
// L6 — checkerboard: the overlap map

/**
 * L6 — overlap map of a transposed conv ([Training] "Problems with Transposed Convolutions":
 * checkerboard effects): for an n×n input, a k×k kernel of ones and stride s (no padding), how
 * many input pixels write to each pixel of the s(n − 1) + k square output:
 *   count(r) = #{a ∈ 0 … n − 1 : a·s ≤ r < a·s + k}  (1-D),   map[r][q] = count(r)·count(q).
 * Away from the borders, count(r) = ⌊r/s⌋ − ⌈(r − k + 1)/s⌉ + 1 has period s and is constant
 * (= k/s) iff s divides k; otherwise it alternates between ⌊k/s⌋ and ⌈k/s⌉: the checkerboard.
 * Precisely, for k ≥ s the interior is r ∈ [k − s, s·n − 1] (neither a ≥ 0 nor a ≤ n − 1 binds
 * there); when it is at least one period wide (s·n ≥ k: s·n − k + s ≥ s rows), the map is uniform
 * on interior × interior iff s | k, with value (k/s)² (over one period the counts sum to k). The border
 * ring of width k − s on every side is never part of the uniform region: there count(r) ≤
 * ⌊(k − 1)/s⌋, so with s | k every border pixel has ≤ (k/s − 1)·k/s < (k/s)² overlaps (when
 * s ∤ k it reaches the interior's lower level ⌊k/s⌋ but not the alternation). For k < s some
 * pixels get no input at all (count 0).
 */
export function overlapMap(n: number, k: number, s: number): Matrix {
  const fn = 'overlapMap';
  assertInteger(fn, 'n', n, 1);
  assertInteger(fn, 'k', k, 1);
  assertInteger(fn, 's', s, 1);
  const o = s * (n - 1) + k;
  const count = Array.from({ length: o }, (_, r) => {
    let covering = 0;
    for (let a = 0; a < n; a++) if (a * s <= r && r < a * s + k) covering++;
    return covering;
  });
  return count.map((cr) => count.map((cq) => cr * cq));
}
