/**
 * J. Convolution — catalogue family J (J1–J6): cross-correlation (what frameworks call conv),
 * true convolution, im2col/col2im, the backward pass, the classic image kernels, 1×1 convolution.
 *
 * Decks: [Jung] "Convolution vs Cross-correlation"; [Tu] "Discrete convolution", "Example with
 * zero paddings", "Multiple Input Channels", "A Basic Module of the Convolutional Neural Nets";
 * [Training] "Convolution Operation(Filtering)"; [Oh] "Implementation as Matrix Multiplication",
 * "Backpropagation of Convolution Layer", "1X1 Convolution".
 *
 * symbol      id        shape                 meaning
 * X, x        x         [C, H, W]             input image (C channels of H×W)
 * w           W         [F, C, KH, KW]        F filters; filter f reads input channel c with W[f][c]
 * b           b         [F]                   one bias per filter (output map)
 * Y, s        out       [F, OH, OW]           output maps (s_p in [Oh]: the pre-activation at p)
 * S, P, d     stride, pad, dilation            integers ≥ 1, ≥ 0, ≥ 1; pad is symmetric zero padding
 * S_h, S_w    stride    [S_h, S_w]            per-axis stride (TF strides [sh, sw], PyTorch stride=(sh, sw))
 * P_t … P_r   pad       [P_t, P_b, P_l, P_r]  per-side zero padding: top, bottom, left, right (TF explicit pads)
 * —           pad       'same' | 'valid'      TensorFlow's padding modes (family I, I2)
 * X_col       cols      [C·KH·KW, OH·OW]      im2col: one column per output position p
 * W_row       —         [F, C·KH·KW]          the filters flattened row by row
 * ∂L/∂s       dout      [F, OH, OW]           upstream gradient
 *
 * Geometry (every function): K_eff = d(K − 1) + 1 and OH = ⌊(H + 2P − K_eff_H)/S⌋ + 1 (likewise
 * OW): the floor rule of PyTorch and of tfjs explicit pads (family I, 'floor'); leftover pixels
 * at the bottom/right are dropped. Output position (oy, ox) reads the input pixel
 * (oy·S + u·d − P, ox·S + v·d − P) with kernel tap (u, v); outside the image it reads 0.
 * im2col order (CS231n's im2col_indices): row r = (c·KH + u)·KW + v, column p = oy·OW + ox,
 * so W_row[f][r] = W[f][c][u][v] is W[f] flattened in its own order.
 *
 * Framework conventions (reference and verification options; the notes' integer stride and
 * symmetric pad stay the default, and what the stubs ask of students). Every function with a
 * stride and a pad (conv2d, conv2dBackward, im2col, col2im, conv2dIm2col, conv1x1) also takes
 *   stride = [S_h, S_w]                per-axis stride (tf.conv2d strides [sh, sw]; PyTorch stride=(sh, sw));
 *   pad = [P_t, P_b, P_l, P_r]          per-side padding (tf.conv2d explicit [[0,0],[P_t,P_b],[P_l,P_r],[0,0]];
 *                                      PyTorch: F.pad(x, (P_l, P_r, P_t, P_b)) then padding=0; symmetric
 *                                      padding=(p_h, p_w) is [p_h, p_h, p_w, p_w]);
 *   pad = 'valid'                       no padding (tf 'valid', PyTorch padding='valid');
 *   pad = 'same'                        TensorFlow's rule per axis: O = ⌈H/S⌉, total padding
 *                                      P = max((O − 1)·S + K_eff − H, 0), P_t = ⌊P/2⌋, P_b = P − P_t (the
 *                                      extra row/column at the bottom/right; PyTorch padding='same' exists
 *                                      only at stride 1, with the same split).
 * Then OH = ⌊(H + P_t + P_b − K_eff_H)/S_h⌋ + 1, OW likewise, and (oy, ox) reads
 * (oy·S_h + u·d − P_t, ox·S_w + v·d − P_l).
 *
 * conv2dBackward takes (dout, x, W, stride, pad, dilation) rather than a cache: the gradients need
 * only the forward's inputs, and passing them again keeps the contract free of a cache layout.
 */
import { ArgumentError, assertFilters, assertImage, assertInteger, assertMatrix, assertVector, type Filters, type Image, type Matrix, type Vector } from './tensor.ts';

/** [C, H, W] of an image. */
export type ImageShape = [C: number, H: number, W: number];

/** One stride for both axes (the notes), or [S_h, S_w] (TensorFlow strides, PyTorch stride=(sh, sw)). */
export type Stride = number | [sh: number, sw: number];

/**
 * Zero padding: P on every side (the notes), [top, bottom, left, right] (TF explicit pads), or
 * TensorFlow's 'same' / 'valid' (the extra row/column of 'same' goes at the bottom/right).
 */
export type Padding = number | [top: number, bottom: number, left: number, right: number] | 'same' | 'valid';

/** The classic 3×3 image kernels of J5, in the order of the notes' table. */
export type KernelName = 'identity' | 'edge1' | 'edge2' | 'edge3' | 'sharpen' | 'boxBlur' | 'gaussianBlur';

export interface ConvGradients {
  dx: Image;
  dW: Filters;
  db: Vector;
}

// ---------------------------------------------------------------------------------------------
// geometry and validation

interface Geometry {
  C: number;
  H: number;
  W: number;
  KH: number;
  KW: number;
  OH: number;
  OW: number;
  /** per-axis stride */
  SH: number;
  SW: number;
  /** padding before each axis (the offset of window (0, 0)) */
  PT: number;
  PL: number;
}

const shapeText = (dims: number[]) => `[${dims.join(', ')}]`;
const imageShape = (x: Image): ImageShape => [x.length, x[0].length, x[0][0].length];
const filterShape = (W: Filters) => [W.length, W[0].length, W[0][0].length, W[0][0][0].length];
const padText = (pad: Padding) => (typeof pad === 'string' ? `'${pad}'` : JSON.stringify(pad));

/** stride → [S_h, S_w]: an integer ≥ 1 or a pair of them. */
function resolveStride(fn: string, stride: Stride): [number, number] {
  if (Array.isArray(stride)) {
    if ((stride as number[]).length !== 2) throw new ArgumentError(fn, 'stride', `must be an integer ≥ 1 or a pair [sh, sw]; got an array of length ${(stride as number[]).length}`);
    assertInteger(fn, 'stride[0]', stride[0], 1);
    assertInteger(fn, 'stride[1]', stride[1], 1);
    return [stride[0], stride[1]];
  }
  assertInteger(fn, 'stride', stride, 1);
  return [stride, stride];
}

/** TF 'same' along one axis: O = ⌈n/S⌉, P = max((O − 1)S + K_eff − n, 0), [⌊P/2⌋, P − ⌊P/2⌋]. */
function tfSame(n: number, effK: number, S: number): [number, number] {
  const P = Math.max((Math.ceil(n / S) - 1) * S + effK - n, 0);
  return [Math.floor(P / 2), P - Math.floor(P / 2)];
}

/** pad → [P_t, P_b, P_l, P_r] for an H×W input and effective kernel effH×effW. */
function resolvePad(fn: string, pad: Padding, H: number, W: number, effH: number, effW: number, SH: number, SW: number): [number, number, number, number] {
  if (pad === 'valid') return [0, 0, 0, 0];
  if (pad === 'same') return [...tfSame(H, effH, SH), ...tfSame(W, effW, SW)];
  if (Array.isArray(pad)) {
    if ((pad as number[]).length !== 4) throw new ArgumentError(fn, 'pad', `must be an integer ≥ 0, [top, bottom, left, right], 'same' or 'valid'; got an array of length ${(pad as number[]).length}`);
    pad.forEach((p, i) => assertInteger(fn, `pad[${i}]`, p, 0));
    return [pad[0], pad[1], pad[2], pad[3]];
  }
  if (typeof pad === 'string') throw new ArgumentError(fn, 'pad', `must be an integer ≥ 0, [top, bottom, left, right], 'same' or 'valid'; got ${JSON.stringify(pad)}`);
  assertInteger(fn, 'pad', pad, 0);
  return [pad, pad, pad, pad];
}

/** Validates stride, pad, dilation and returns the output size; `blame` is the argument named when the kernel does not fit. */
function geometry(fn: string, blame: string, [C, H, W]: ImageShape, KH: number, KW: number, stride: Stride, pad: Padding, dilation: number): Geometry {
  const [SH, SW] = resolveStride(fn, stride);
  assertInteger(fn, 'dilation', dilation, 1);
  const [effH, effW] = [dilation * (KH - 1) + 1, dilation * (KW - 1) + 1];
  const [PT, PB, PL, PR] = resolvePad(fn, pad, H, W, effH, effW, SH, SW);
  if (effH > H + PT + PB || effW > W + PL + PR) {
    throw new ArgumentError(fn, blame, `does not fit: the effective kernel ${effH}×${effW} (kernel ${KH}×${KW}, dilation ${dilation}) is larger than the padded input ${H + PT + PB}×${W + PL + PR} (input ${H}×${W}, pad ${padText(pad)})`);
  }
  return { C, H, W, KH, KW, OH: Math.floor((H + PT + PB - effH) / SH) + 1, OW: Math.floor((W + PL + PR - effW) / SW) + 1, SH, SW, PT, PL };
}

/** x, W, b with W's channels matching x's and one bias per filter. */
function assertConvArguments(fn: string, x: Image, W: Filters, b: Vector): void {
  assertImage(fn, 'x', x);
  assertFilters(fn, 'W', W);
  if (W[0].length !== x.length) {
    throw new ArgumentError(fn, 'W', `must have as many channels per filter as x has channels: W is ${shapeText(filterShape(W))} (F×C×KH×KW), x is ${shapeText(imageShape(x))} (C×H×W)`);
  }
  assertVector(fn, 'b', b);
  if (b.length !== W.length) throw new ArgumentError(fn, 'b', `must have one bias per filter: W has ${W.length} filters (${shapeText(filterShape(W))}), b has length ${b.length}`);
}

const zeros = (rows: number, cols: number): Matrix => Array.from({ length: rows }, () => new Array<number>(cols).fill(0));
const zeroImage = ([C, H, W]: ImageShape): Image => Array.from({ length: C }, () => zeros(H, W));

// ---------------------------------------------------------------------------------------------
// J1 — cross-correlation

/**
 * J1 — Y_f(x, y) = b_f + Σ_c Σ_u Σ_v X_c(x·S + u·d − P, y·S + v·d − P) · w_fc(u, v): the
 * cross-correlation frameworks call convolution ([Jung] "Convolution vs Cross-correlation",
 * Y(x, y) = ΣΣ X(x + u, y + v) w(u, v); [Tu] "Discrete convolution", "Example with zero
 * paddings", "Multiple Input Channels": "one kernel for each channel, and then sum results over
 * channels"; [Training] "Convolution Operation(Filtering)"). The kernel is not flipped. Zero
 * padding P on all four sides, stride S, dilation d; K filters give K output maps.
 * Framework conventions (see the header): stride [S_h, S_w] and pad [P_t, P_b, P_l, P_r] read
 * X_c(x·S_h + u·d − P_t, y·S_w + v·d − P_l) and give OH = ⌊(H + P_t + P_b − K_eff)/S_h⌋ + 1
 * (tf.conv2d explicit pads; PyTorch F.pad then conv2d); pad 'same' / 'valid' is TensorFlow's
 * rule (OH = ⌈H/S_h⌉ / ⌈(H − K_eff + 1)/S_h⌉, the extra padding row/column at the bottom/right).
 * @example conv2d([[[3,3,2,1,0],[0,0,1,3,1],[3,1,2,2,3],[2,0,0,2,2],[2,0,0,0,1]]], [[[[0,1,2],[2,2,0],[0,1,2]]]], [0]) // [[[12,12,17],[10,17,19],[9,6,14]]]
 */
export function conv2d(x: Image, W: Filters, b: Vector, stride: Stride = 1, pad: Padding = 0, dilation = 1): Image {
  const fn = 'conv2d';
  assertConvArguments(fn, x, W, b);
  const { C, H, W: width, KH, KW, OH, OW, SH, SW, PT, PL } = geometry(fn, 'W', imageShape(x), W[0][0].length, W[0][0][0].length, stride, pad, dilation);
  const out: Image = [];
  for (let f = 0; f < W.length; f++) {
    const map = zeros(OH, OW);
    for (let oy = 0; oy < OH; oy++) {
      const outRow = map[oy];
      for (let ox = 0; ox < OW; ox++) {
        let s = b[f];
        for (let c = 0; c < C; c++) {
          const [xc, wfc] = [x[c], W[f][c]];
          for (let u = 0; u < KH; u++) {
            const iy = oy * SH + u * dilation - PT;
            if (iy < 0 || iy >= H) continue; // a padding row: reads zeros
            const [xRow, wRow] = [xc[iy], wfc[u]];
            for (let v = 0; v < KW; v++) {
              const ix = ox * SW + v * dilation - PL;
              if (ix >= 0 && ix < width) s += xRow[ix] * wRow[v];
            }
          }
        }
        outRow[ox] = s;
      }
    }
    out.push(map);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// J4 — backward (beside its forward)

/**
 * J4 — the gradients of J1 for an upstream gradient dout = ∂L/∂s [F, OH, OW] ([Oh]
 * "Backpropagation of Convolution Layer": ∂L/∂x_p = Wᵀ ∂L/∂s_p, ∂L/∂W = Σ_p ∂L/∂s_p x_pᵀ,
 * ∂L/∂b = Σ_p ∂L/∂s_p, "overlapped gradients are accumulated"). Every product x·w in the
 * forward sum sends dout·w to the input pixel and dout·x to the weight:
 *   dx_c(i, j) = Σ_{f, oy, ox, u, v : oy·S + u·d − P = i, ox·S + v·d − P = j} dout_f(oy, ox) w_fc(u, v),
 *   dW_fc(u, v) = Σ_{oy, ox} dout_f(oy, ox) X_c(oy·S + u·d − P, ox·S + v·d − P)  (0 in the padding),
 *   db_f = Σ_{oy, ox} dout_f(oy, ox).
 * Input pixels the strided windows never reach (the dropped leftover) get dx = 0.
 * Takes the forward's stride ([S_h, S_w] too) and pad ([P_t, P_b, P_l, P_r], 'same', 'valid'):
 * S·oy − P becomes S_h·oy − P_t and S·ox − P becomes S_w·ox − P_l above (= tf.grads through
 * tf.conv2d with those strides and pads; PyTorch's autograd of F.pad + conv2d).
 */
export function conv2dBackward(dout: Image, x: Image, W: Filters, stride: Stride = 1, pad: Padding = 0, dilation = 1): ConvGradients {
  const fn = 'conv2dBackward';
  assertImage(fn, 'x', x);
  assertFilters(fn, 'W', W);
  if (W[0].length !== x.length) {
    throw new ArgumentError(fn, 'W', `must have as many channels per filter as x has channels: W is ${shapeText(filterShape(W))} (F×C×KH×KW), x is ${shapeText(imageShape(x))} (C×H×W)`);
  }
  const F = W.length;
  const { C, H, W: width, KH, KW, OH, OW, SH, SW, PT, PL } = geometry(fn, 'W', imageShape(x), W[0][0].length, W[0][0][0].length, stride, pad, dilation);
  assertImage(fn, 'dout', dout);
  const got = imageShape(dout);
  if (got[0] !== F || got[1] !== OH || got[2] !== OW) {
    throw new ArgumentError(fn, 'dout', `must have the shape of conv2d's output [F, OH, OW] = ${shapeText([F, OH, OW])} for x ${shapeText(imageShape(x))}, W ${shapeText(filterShape(W))}, stride ${JSON.stringify(stride)}, pad ${padText(pad)}, dilation ${dilation}; got ${shapeText(got)}`);
  }

  const dx = zeroImage([C, H, width]);
  const dW: Filters = W.map((wf) => wf.map(() => zeros(KH, KW)));
  const db: Vector = new Array<number>(F).fill(0);
  for (let f = 0; f < F; f++) {
    for (let oy = 0; oy < OH; oy++) {
      for (let ox = 0; ox < OW; ox++) {
        const g = dout[f][oy][ox];
        db[f] += g;
        for (let c = 0; c < C; c++) {
          const [xc, dxc, wfc, dwfc] = [x[c], dx[c], W[f][c], dW[f][c]];
          for (let u = 0; u < KH; u++) {
            const iy = oy * SH + u * dilation - PT;
            if (iy < 0 || iy >= H) continue;
            const [xRow, dxRow, wRow, dwRow] = [xc[iy], dxc[iy], wfc[u], dwfc[u]];
            for (let v = 0; v < KW; v++) {
              const ix = ox * SW + v * dilation - PL;
              if (ix < 0 || ix >= width) continue;
              dxRow[ix] += g * wRow[v]; // accumulated: overlapping windows share the pixel
              dwRow[v] += g * xRow[ix];
            }
          }
        }
      }
    }
  }
  return { dx, dW, db };
}

// ---------------------------------------------------------------------------------------------
// J2 — true convolution

/**
 * J2 — true (flipped-kernel) convolution of one channel, 'valid' part only: Y(x, y) =
 * Σ_u Σ_v X(x − u, y − v) w(u, v) ([Jung] "Convolution vs Cross-correlation": "flip the weights
 * in both dimension or rotate the matrix 180 degree"). With the output indexed from the first
 * position where the kernel fits,
 *   out[i][j] = Σ_u Σ_v x[i + KH − 1 − u][j + KW − 1 − v] · w[u][v]
 *             = cross-correlation of x with w rotated by 180° (scipy.signal.convolve2d 'valid').
 * Output (H − KH + 1) × (W − KW + 1); the kernel must fit.
 */
export function convolve2d(x: Matrix, w: Matrix): Matrix {
  const fn = 'convolve2d';
  assertMatrix(fn, 'x', x);
  assertMatrix(fn, 'w', w);
  const [H, W, KH, KW] = [x.length, x[0].length, w.length, w[0].length];
  if (KH > H || KW > W) throw new ArgumentError(fn, 'w', `does not fit: kernel ${KH}×${KW} is larger than x ${H}×${W} ('valid' convolution)`);
  const out = zeros(H - KH + 1, W - KW + 1);
  for (let i = 0; i < out.length; i++) {
    for (let j = 0; j < out[0].length; j++) {
      let s = 0;
      for (let u = 0; u < KH; u++) for (let v = 0; v < KW; v++) s += x[i + KH - 1 - u][j + KW - 1 - v] * w[u][v];
      out[i][j] = s;
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// J3 — im2col, col2im, convolution as one matrix product

/**
 * J3 — X_col [C·KH·KW × OH·OW] ([Oh] "Implementation as Matrix Multiplication": "convert the
 * input into X_col by taking a block of 11×11×3 (= 363) pixels in the input for 55×55 (= 3025)
 * times"): column p = oy·OW + ox holds the window read by output position (oy, ox), row
 * r = (c·KH + u)·KW + v its tap (c, u, v): X_col[r][p] = X_c(oy·S + u·d − P, ox·S + v·d − P),
 * 0 in the padding. With stride [S_h, S_w] and pad [P_t, P_b, P_l, P_r] / 'same' / 'valid' (the
 * conventions of conv2d): X_c(oy·S_h + u·d − P_t, ox·S_w + v·d − P_l).
 */
export function im2col(x: Image, KH: number, KW: number, stride: Stride = 1, pad: Padding = 0, dilation = 1): Matrix {
  const fn = 'im2col';
  assertImage(fn, 'x', x);
  assertInteger(fn, 'KH', KH, 1);
  assertInteger(fn, 'KW', KW, 1);
  const { C, H, W, OH, OW, SH, SW, PT, PL } = geometry(fn, 'KH', imageShape(x), KH, KW, stride, pad, dilation);
  const cols = zeros(C * KH * KW, OH * OW);
  for (let c = 0; c < C; c++) {
    for (let u = 0; u < KH; u++) {
      for (let v = 0; v < KW; v++) {
        const row = cols[(c * KH + u) * KW + v];
        for (let oy = 0; oy < OH; oy++) {
          const iy = oy * SH + u * dilation - PT;
          if (iy < 0 || iy >= H) continue;
          for (let ox = 0; ox < OW; ox++) {
            const ix = ox * SW + v * dilation - PL;
            if (ix >= 0 && ix < W) row[oy * OW + ox] = x[c][iy][ix];
          }
        }
      }
    }
  }
  return cols;
}

/**
 * J3/J4 — col2im, the adjoint of im2col: every entry of cols [C·KH·KW × OH·OW] is added to the
 * input pixel im2col read it from, and entries that came from the padding are dropped ([Oh]
 * "Backpropagation of Convolution Layer": "overlay the reshaped gradient into 3D matrix
 * [227×227×3] in which overlapped gradients are accumulated"). So ⟨im2col(x), Y⟩ = ⟨x, col2im(Y)⟩,
 * col2im(im2col(x)) = x times the number of windows covering each pixel, and
 * dx = col2im(W_rowᵀ · dout_row).
 */
export function col2im(cols: Matrix, shape: ImageShape, KH: number, KW: number, stride: Stride = 1, pad: Padding = 0, dilation = 1): Image {
  const fn = 'col2im';
  if (!Array.isArray(shape) || shape.length !== 3) throw new ArgumentError(fn, 'shape', `must be [C, H, W]; got ${JSON.stringify(shape)}`);
  shape.forEach((n, i) => assertInteger(fn, `shape[${i}]`, n, 1));
  assertInteger(fn, 'KH', KH, 1);
  assertInteger(fn, 'KW', KW, 1);
  const { C, H, W, OH, OW, SH, SW, PT, PL } = geometry(fn, 'KH', shape, KH, KW, stride, pad, dilation);
  assertMatrix(fn, 'cols', cols);
  if (cols.length !== C * KH * KW || cols[0].length !== OH * OW) {
    throw new ArgumentError(fn, 'cols', `must be [C·KH·KW, OH·OW] = [${C * KH * KW}, ${OH * OW}] for shape ${shapeText(shape)}, kernel ${KH}×${KW}, stride ${JSON.stringify(stride)}, pad ${padText(pad)}, dilation ${dilation}; got [${cols.length}, ${cols[0].length}]`);
  }
  const x = zeroImage(shape);
  for (let c = 0; c < C; c++) {
    for (let u = 0; u < KH; u++) {
      for (let v = 0; v < KW; v++) {
        const row = cols[(c * KH + u) * KW + v];
        for (let oy = 0; oy < OH; oy++) {
          const iy = oy * SH + u * dilation - PT;
          if (iy < 0 || iy >= H) continue;
          for (let ox = 0; ox < OW; ox++) {
            const ix = ox * SW + v * dilation - PL;
            if (ix >= 0 && ix < W) x[c][iy][ix] += row[oy * OW + ox]; // accumulate, never overwrite
          }
        }
      }
    }
  }
  return x;
}

/**
 * J3 — the conv layer as one matrix product ([Oh] "Implementation as Matrix Multiplication"):
 * O = W_row · X_col + b_col, W_row [F × C·KH·KW] (each filter flattened), X_col = im2col(x),
 * b_col the bias repeated over the OH·OW columns; row f of O reshaped to OH × OW is output map f.
 * Equals conv2d (J1) on every input.
 */
export function conv2dIm2col(x: Image, W: Filters, b: Vector, stride: Stride = 1, pad: Padding = 0, dilation = 1): Image {
  const fn = 'conv2dIm2col';
  assertConvArguments(fn, x, W, b);
  const [KH, KW] = [W[0][0].length, W[0][0][0].length];
  const { OH, OW } = geometry(fn, 'W', imageShape(x), KH, KW, stride, pad, dilation);
  const Xcol = im2col(x, KH, KW, stride, pad, dilation);
  const Wrow = W.map((wf) => wf.flat(2));
  return Wrow.map((wr, f) => {
    const O = new Array<number>(OH * OW).fill(b[f]);
    wr.forEach((w, r) => {
      const xr = Xcol[r];
      for (let p = 0; p < O.length; p++) O[p] += w * xr[p];
    });
    return Array.from({ length: OH }, (_, oy) => O.slice(oy * OW, (oy + 1) * OW));
  });
}

// ---------------------------------------------------------------------------------------------
// J5 — classic image kernels

const KERNELS: Record<KernelName, Matrix> = {
  identity: [[0, 0, 0], [0, 1, 0], [0, 0, 0]],
  edge1: [[1, 0, -1], [0, 0, 0], [-1, 0, 1]],
  edge2: [[0, 1, 0], [1, -4, 1], [0, 1, 0]],
  edge3: [[-1, -1, -1], [-1, 8, -1], [-1, -1, -1]],
  sharpen: [[0, -1, 0], [-1, 5, -1], [0, -1, 0]],
  boxBlur: [[1, 1, 1], [1, 1, 1], [1, 1, 1]].map((r) => r.map((v) => v / 9)),
  gaussianBlur: [[1, 2, 1], [2, 4, 2], [1, 2, 1]].map((r) => r.map((v) => v / 16)),
};

/**
 * J5 — the notes' 3×3 kernels ([Training] and [Tu] "A Basic Module of the Convolutional Neural
 * Nets", table "Operation / Filter / Convolved Image"): identity; edge detection in three forms
 * (edge1 [[1,0,−1],[0,0,0],[−1,0,1]], edge2 the 4-neighbour Laplacian [[0,1,0],[1,−4,1],[0,1,0]],
 * edge3 the 8-neighbour [[−1,−1,−1],[−1,8,−1],[−1,−1,−1]]); sharpen [[0,−1,0],[−1,5,−1],[0,−1,0]]
 * (= identity − edge2); box blur (1/9)·ones; Gaussian blur (1/16)[[1,2,1],[2,4,2],[1,2,1]].
 * Identity returns the input, blurs sum to 1 and keep constant images, edge kernels sum to 0 and
 * send constant images to 0, sharpen sums to 1. A fresh copy each call.
 */
export function imageKernel(name: KernelName): Matrix {
  if (typeof name !== 'string' || !Object.hasOwn(KERNELS, name)) {
    throw new ArgumentError('imageKernel', 'name', `must be one of ${Object.keys(KERNELS).map((k) => `'${k}'`).join(', ')}; got ${JSON.stringify(name)}`);
  }
  return KERNELS[name].map((row) => row.slice());
}

// ---------------------------------------------------------------------------------------------
// J6 — 1×1 convolution

/**
 * J6 — 1×1 convolution ([Oh] "1X1 Convolution"; [Jung] GoogLeNet "1x1 convolutions for
 * dimension reduction"): a linear map across channels applied at every pixel,
 *   out_f(i, j) = b_f + Σ_c W[f][c] · x_c(i, j),   W [F × C] (conv2d's F×C×1×1 filters squeezed).
 * The notes' form has stride 1 and no padding (the defaults). Like conv2d it also takes a stride
 * (an integer or [S_h, S_w]) and a pad (P, [top, bottom, left, right], 'same' or 'valid'): then
 *   out_f(oy, ox) = b_f + Σ_c W[f][c] · x_c(oy·S_h − P_t, ox·S_w − P_l)  (0 in the padding: only b_f),
 * OH = ⌊(H + P_t + P_b − 1)/S_h⌋ + 1. TF 'same' never pads a 1×1 kernel ((⌈H/S⌉ − 1)S + 1 ≤ H),
 * so 'same' and 'valid' both give ⌈H/S⌉ (tf.conv2d with a [1, 1, C, F] filter; PyTorch
 * nn.Conv2d(C, F, 1, stride, padding)).
 */
export function conv1x1(x: Image, W: Matrix, b: Vector, stride: Stride = 1, pad: Padding = 0): Image {
  const fn = 'conv1x1';
  assertImage(fn, 'x', x);
  assertMatrix(fn, 'W', W);
  const [C, H, width] = imageShape(x);
  if (W[0].length !== C) throw new ArgumentError(fn, 'W', `must be F×C with C = ${C} columns (x is ${shapeText([C, H, width])}); got ${W.length}×${W[0].length}`);
  assertVector(fn, 'b', b);
  if (b.length !== W.length) throw new ArgumentError(fn, 'b', `must have one bias per row of W (${W.length}); got length ${b.length}`);
  const { OH, OW, SH, SW, PT, PL } = geometry(fn, 'x', [C, H, width], 1, 1, stride, pad, 1);
  return W.map((wf, f) =>
    Array.from({ length: OH }, (_, oy) =>
      Array.from({ length: OW }, (_, ox) => {
        const [i, j] = [oy * SH - PT, ox * SW - PL];
        let s = b[f];
        if (i < 0 || i >= H || j < 0 || j >= width) return s; // a padding pixel: the bias alone
        for (let c = 0; c < C; c++) s += wf[c] * x[c][i][j];
        return s;
      }),
    ),
  );
}
