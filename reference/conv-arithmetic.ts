/**
 * I. Convolution arithmetic — catalogue family I (I1–I11): output sizes, padding, parameter and
 * activation counts, receptive fields. Everything is integer arithmetic on sizes.
 *
 * Decks: [Jung] "Convolution" (output size, weight sharing, same/valid), "Inception-v3";
 * [Oh] "ConvNet", "Case Study: AlexNet", "Case Study: VGGNet"; [Training] "Size Before and
 * After Convolutions", "Transposed Convolution"; [Tu] "N-D convolution"; [Overview] "VGG".
 *
 * The decks use different letters for the same sizes; each function keeps the letters of the
 * deck it follows (note that K is the kernel size in [Training] but the number of filters in [Oh]):
 *
 * symbol  deck                   meaning
 * W       [Training], [Oh] W₁    input size (width; heights follow by symmetry)
 * N       [Jung]                 input size (= W)
 * i, n    [Tu], [Training]       input size of a conv / of a transposed conv
 * K       [Training]             kernel size (I1)
 * F       [Jung], [Oh]           filter (kernel) size; pooling window (I4, I6, I11)
 * K       [Oh]                   number of filters = output depth D₂ (I6, I11)
 * D₁, C   [Oh]                   input depth (channels)
 * P, p    all                    zero padding on each side (2P in total per dimension)
 * S, s    all                    stride
 * d       tfjs, Dumoulin–Visin   dilation; K_eff = d(K − 1) + 1 (not in the decks)
 * O       [Training]             output size
 *
 * Conventions: sizes are integers; 'exact' means the stride must divide W − K_eff + 2P (the
 * notes' "(7 − 3)/3 + 1 = … :\"), 'floor' is the frameworks' rule (drop the leftover pixels).
 * Shapes are [H, W, C] as the notes print them ("[55x55x96]"); a fully connected layer's output
 * is [1, 1, n] as in the notes' VGG table ("FC: [1x1x4096]").
 */
import { ArgumentError, assertInteger } from './tensor.ts';

export type Rounding = 'exact' | 'floor';
export type TfPadding = 'same' | 'valid';
export type Shape3 = [H: number, W: number, C: number];

/** One layer of a stack, for the receptive field (I8): kernel k, stride s, dilation d (default 1). */
export interface RfLayer {
  k: number;
  s: number;
  d?: number;
}

/**
 * One layer of a layer list (I10). Defaults: conv stride 1, pad 0, dilation 1, bias true;
 * pool stride = size (no padding, no parameters); fc bias true (flattens its input);
 * norm keeps the shape and has no parameters (AlexNet's NORM layers).
 */
export type Layer =
  | { type: 'conv'; filters: number; size: number; stride?: number; pad?: number; dilation?: number; bias?: boolean }
  | { type: 'pool'; size: number; stride?: number }
  | { type: 'fc'; units: number; bias?: boolean }
  | { type: 'norm' };

/** One line of the summary table: params counts biases, weights does not (the notes' "not counting biases"). */
export interface SummaryRow {
  type: 'input' | Layer['type'];
  shape: Shape3;
  params: number;
  weights: number;
  activations: number;
}

export interface Summary {
  /** rows[0] is the INPUT line, as in the notes' table */
  rows: SummaryRow[];
  /** sums over the rows; bytes = 4 · activations (float32) */
  totals: { params: number; weights: number; activations: number; bytes: number };
}

/** Bytes per activation value: the notes count float32 ("* 4 bytes"). */
const FLOAT32_BYTES = 4;

/** An integer ≥ 0, or a pair [before, after] of them. */
function assertPads(fn: string, arg: string, P: unknown): asserts P is number | [number, number] {
  if (Array.isArray(P)) {
    if (P.length !== 2) throw new ArgumentError(fn, arg, `must be an integer ≥ 0 or a pair [before, after]; got an array of length ${P.length}`);
    assertInteger(fn, `${arg}[0]`, P[0], 0);
    assertInteger(fn, `${arg}[1]`, P[1], 0);
  } else {
    assertInteger(fn, arg, P, 0);
  }
}

function assertRounding(fn: string, arg: string, r: unknown): asserts r is Rounding {
  if (r !== 'exact' && r !== 'floor') throw new ArgumentError(fn, arg, `must be 'exact' or 'floor'; got ${JSON.stringify(r)}`);
}

/**
 * (W − K_eff + 2P)/S + 1 with the checks every output-size function shares. `fn` names the caller,
 * `blame` the arguments blamed when the kernel does not fit and when the stride does not divide.
 * P is the padding on each side, or [before, after] (2P becomes P_b + P_a).
 */
function outputSize(fn: string, blame: [kernel: string, stride: string], W: number, K: number, P: number | [before: number, after: number], S: number, d: number, rounding: Rounding): number {
  const Keff = d * (K - 1) + 1;
  const [total, text] = Array.isArray(P) ? [P[0] + P[1], [`P_b + P_a`, `${P[0]} + ${P[1]}`]] : [2 * P, ['2P', `2·${P}`]];
  const span = W - Keff + total;
  const kernel = d === 1 ? `kernel ${K}` : `kernel ${K} (effective ${Keff} at dilation ${d})`;
  if (span < 0) throw new ArgumentError(fn, blame[0], `does not fit: ${kernel} is larger than the padded input W + ${text[0]} = ${W} + ${text[1]} = ${W + total}`);
  if (rounding === 'exact' && span % S !== 0) {
    throw new ArgumentError(
      fn,
      blame[1],
      `(stride S = ${S}) does not divide W − K_eff + ${text[0]} = ${W} − ${Keff} + ${text[1]} = ${span}: ${span}/${S} + 1 is not an integer ` +
        `and the last window would run past the padded input ([Jung] "(7 − 3)/3 + 1 = … :\\"); ` +
        `choose another stride or padding (rounding 'floor', the frameworks' rule, would drop the leftover ${span % S} pixel(s))`,
    );
  }
  return Math.floor(span / S) + 1;
}

/**
 * I1 — O = (W − K_eff + 2P)/S + 1, K_eff = d(K − 1) + 1 ([Training] "Size Before and After
 * Convolutions"; [Oh] W₂ = (W₁ − F + 2P)/S + 1; [Jung] (N − F)/stride + 1).
 * 'exact' (default) throws when S does not divide W − K_eff + 2P; 'floor' returns
 * ⌊(W − K_eff + 2P)/S⌋ + 1 like PyTorch and tfjs explicit padding. Both throw when the kernel
 * does not fit in the padded input.
 * Per-side padding (TF explicit pads, PyTorch F.pad): P = [before, after] gives
 * O = (W − K_eff + P_b + P_a)/S + 1 (= family J's conv2d with pad [top, bottom, left, right] per
 * axis). TF's 'same' / 'valid' sizes are tfOutputSize, their pads tfSamePads.
 * @example convOutputSize(7, 3, 0, 2) // 3;  convOutputSize(7, 3, 0, 3, { rounding: 'floor' }) // 2
 */
export function convOutputSize(W: number, K: number, P: number | [before: number, after: number], S: number, options?: { dilation?: number; rounding?: Rounding }): number {
  const fn = 'convOutputSize';
  assertInteger(fn, 'W', W, 1);
  assertInteger(fn, 'K', K, 1);
  assertPads(fn, 'P', P);
  assertInteger(fn, 'S', S, 1);
  if (options !== undefined && (options === null || typeof options !== 'object')) {
    throw new ArgumentError(fn, 'options', `must be an object { dilation?, rounding? }; got ${String(options)}`);
  }
  const d = options?.dilation ?? 1;
  const rounding = options?.rounding ?? 'exact';
  assertInteger(fn, 'options.dilation', d, 1);
  assertRounding(fn, 'options.rounding', rounding);
  return outputSize(fn, ['K', 'S'], W, K, P, S, d, rounding);
}

/**
 * I2 — P = (K − 1)/2 keeps the size at stride 1 ([Oh] "zero-padding with (F − 1)/2":
 * F = 3 ⇒ 1, F = 5 ⇒ 2, F = 7 ⇒ 3). An even K needs K − 1 (odd) padding in total, which cannot
 * be split equally between the two sides: it throws (see tfSamePads for TF's uneven split).
 */
export function samePadding(K: number): number {
  assertInteger('samePadding', 'K', K, 1);
  if (K % 2 === 0) {
    throw new ArgumentError('samePadding', 'K', `must be odd: an even kernel (K = ${K}) needs K − 1 = ${K - 1} padding in total, which cannot be split equally as P = (K − 1)/2 = ${(K - 1) / 2}; TF puts the extra pixel after (tfSamePads)`);
  }
  return (K - 1) / 2;
}

/**
 * I2 — TensorFlow's padding modes: 'same' gives ⌈W/S⌉ whatever the kernel, 'valid' (no padding)
 * gives ⌈(W − K_eff + 1)/S⌉ = ⌊(W − K_eff)/S⌋ + 1. 'valid' throws when K_eff > W.
 */
export function tfOutputSize(W: number, K: number, S: number, padding: TfPadding, dilation = 1): number {
  const fn = 'tfOutputSize';
  assertInteger(fn, 'W', W, 1);
  assertInteger(fn, 'K', K, 1);
  assertInteger(fn, 'S', S, 1);
  assertInteger(fn, 'dilation', dilation, 1);
  if (padding === 'same') return Math.ceil(W / S);
  if (padding !== 'valid') throw new ArgumentError(fn, 'padding', `must be 'same' or 'valid'; got ${JSON.stringify(padding)}`);
  const Keff = dilation * (K - 1) + 1;
  if (Keff > W) throw new ArgumentError(fn, 'K', `does not fit: effective kernel ${Keff} is larger than the input W = ${W} with 'valid' (no) padding`);
  return Math.ceil((W - Keff + 1) / S);
}

/**
 * I2 — the padding TF adds for 'same': total P = max(0, (O − 1)S + K_eff − W) with O = ⌈W/S⌉,
 * split as [before, after] = [⌊P/2⌋, P − ⌊P/2⌋]: an odd extra pixel goes after (bottom/right).
 */
export function tfSamePads(W: number, K: number, S: number, dilation = 1): [before: number, after: number] {
  const fn = 'tfSamePads';
  assertInteger(fn, 'W', W, 1);
  assertInteger(fn, 'K', K, 1);
  assertInteger(fn, 'S', S, 1);
  assertInteger(fn, 'dilation', dilation, 1);
  const O = Math.ceil(W / S);
  const P = Math.max(0, (O - 1) * S + dilation * (K - 1) + 1 - W);
  const before = Math.floor(P / 2);
  return [before, P - before];
}

/** I3 — K_eff = d(K − 1) + 1: a dilated kernel spans K taps with d − 1 gaps between neighbours. */
export function effectiveKernel(K: number, d: number): number {
  assertInteger('effectiveKernel', 'K', K, 1);
  assertInteger('effectiveKernel', 'd', d, 1);
  return d * (K - 1) + 1;
}

/**
 * I4 — pooling with an F×F window at stride S, no padding: (W − F)/S + 1
 * ([Oh] "Case Study: AlexNet": (55 − 3)/2 + 1 = 27). 'exact' throws when S does not divide W − F.
 */
export function poolOutputSize(W: number, F: number, S: number, rounding: Rounding = 'exact'): number {
  const fn = 'poolOutputSize';
  assertInteger(fn, 'W', W, 1);
  assertInteger(fn, 'F', F, 1);
  assertInteger(fn, 'S', S, 1);
  assertRounding(fn, 'rounding', rounding);
  return outputSize(fn, ['F', 'S'], W, F, 0, S, 1, rounding);
}

/**
 * I5 — transposed convolution: o = s(n − 1) + k − 2p + a ([Training] "Transposed Convolution":
 * 2 → 4, 4 → 6, 8 → 10 for k = 3, s = 1, p = 0). The output padding a ∈ [0, s) picks one of
 * the s input sizes that a stride-s conv maps to n (as PyTorch's output_padding).
 * Framework conventions (the sizes of family L's transposedConv2d with the same arguments):
 * p = [before, after] gives s(n − 1) + k − p_b − p_a + a (tfjs explicit pads with that
 * outputShape); p = 'valid' gives s(n − 1) + k + a; p = 'same' gives s·n (tf.layers.conv2dTranspose,
 * Keras Conv2DTranspose 'same'), with a = 0 (TF's outputShape takes any o with ⌈o/s⌉ = n there).
 */
export function transposedOutputSize(n: number, k: number, s: number, p: number | [before: number, after: number] | 'same' | 'valid', outputPadding = 0): number {
  const fn = 'transposedOutputSize';
  assertInteger(fn, 'n', n, 1);
  assertInteger(fn, 'k', k, 1);
  assertInteger(fn, 's', s, 1);
  if (p !== 'same' && p !== 'valid') {
    if (typeof p === 'string') throw new ArgumentError(fn, 'p', `must be an integer ≥ 0, a pair [before, after], 'same' or 'valid'; got ${JSON.stringify(p)}`);
    assertPads(fn, 'p', p);
  }
  assertInteger(fn, 'outputPadding', outputPadding, 0);
  if (outputPadding >= s) {
    throw new ArgumentError(fn, 'outputPadding', `must be smaller than the stride s = ${s}; got ${outputPadding} (a stride-${s} conv maps only ${s} input sizes to n)`);
  }
  if (p === 'same') {
    if (outputPadding !== 0) throw new ArgumentError(fn, 'outputPadding', `must be 0 with p = 'same' (its output is s·n; TF's outputShape may be any o with ⌈o/s⌉ = n); got ${outputPadding}`);
    return s * n;
  }
  const [before, after] = p === 'valid' ? [0, 0] : Array.isArray(p) ? p : [p, p];
  const o = s * (n - 1) + k - before - after + outputPadding;
  const pText = Array.isArray(p) ? `p_b − p_a + a = ${s}·${n - 1} + ${k} − ${before} − ${after}` : `2p + a = ${s}·${n - 1} + ${k} − 2·${before}`;
  if (o < 1) throw new ArgumentError(fn, 'p', `is too large: s(n − 1) + k − ${pText} + ${outputPadding} = ${o} < 1`);
  return o;
}

/**
 * I6 — a conv layer with K filters of F×F×D₁ has (F·F·D₁)·K weights and K biases ([Oh]
 * "ConvNet"; AlexNet conv1: (11·11·3)·96 = 34,848 ≈ "35K", + 96 biases).
 */
export function convParams(F: number, D1: number, K: number, bias = true): number {
  assertInteger('convParams', 'F', F, 1);
  assertInteger('convParams', 'D1', D1, 1);
  assertInteger('convParams', 'K', K, 1);
  return F * F * D1 * K + (bias ? K : 0);
}

/** I6 — a fully connected layer: n_in·n_out weights + n_out biases (VGG16 FC6: 7·7·512·4096 = 102,760,448 weights). */
export function fcParams(nIn: number, nOut: number, bias = true): number {
  assertInteger('fcParams', 'nIn', nIn, 1);
  assertInteger('fcParams', 'nOut', nOut, 1);
  return nIn * nOut + (bias ? nOut : 0);
}

/** I7 — the number of values in an activation volume and its size in bytes (4 per float32 value). */
export function activationMemory(shape: number[], bytesPerValue = FLOAT32_BYTES): { count: number; bytes: number } {
  if (!Array.isArray(shape) || shape.length === 0) throw new ArgumentError('activationMemory', 'shape', `must be a non-empty array of sizes; got ${JSON.stringify(shape)}`);
  shape.forEach((n, i) => assertInteger('activationMemory', `shape[${i}]`, n, 1));
  assertInteger('activationMemory', 'bytesPerValue', bytesPerValue, 1);
  const count = shape.reduce((a, b) => a * b, 1);
  return { count, bytes: count * bytesPerValue };
}

/**
 * I8 — receptive field of a stack: RF = 1 + Σ_l (k_eff,l − 1)·Π_{i<l} s_i. Each layer widens the
 * field by k_eff − 1 of its input pixels, and one input pixel of layer l spans Π_{i<l} s_i image
 * pixels ([Oh] "Receptive field": 5 + 5 − 1 = 9; three 3×3: 3 + 3 − 1 + 3 − 1 = 7). No layers: 1.
 */
export function receptiveField(layers: RfLayer[]): number {
  if (!Array.isArray(layers)) throw new ArgumentError('receptiveField', 'layers', `must be an array of { k, s, d? }; got ${typeof layers}`);
  let rf = 1;
  let jump = 1; // image pixels between neighbouring inputs of the current layer
  layers.forEach((l, i) => {
    if (l === null || typeof l !== 'object') throw new ArgumentError('receptiveField', `layers[${i}]`, `must be an object { k, s, d? }; got ${String(l)}`);
    assertInteger('receptiveField', `layers[${i}].k`, l.k, 1);
    assertInteger('receptiveField', `layers[${i}].s`, l.s, 1);
    assertInteger('receptiveField', `layers[${i}].d`, l.d ?? 1, 1);
    rf += ((l.d ?? 1) * (l.k - 1)) * jump;
    jump *= l.s;
  });
  return rf;
}

/**
 * I9 — weights of a stack of kh×kw convolutions, each C channels in and C out (no biases):
 * C·(kh·kw·C) per layer, C²·Σ kh·kw in all ([Oh]/[Jung]: three 3×3 = 27C² vs one 7×7 = 49C²;
 * [Jung] "Inception-v3": per channel pair 5×5 = 25 vs two 3×3 = 18, 3×3 = 9 vs 3×1 + 1×3 = 6).
 */
export function stackParams(kernels: [kh: number, kw: number][], C: number): number {
  if (!Array.isArray(kernels) || kernels.length === 0) throw new ArgumentError('stackParams', 'kernels', `must be a non-empty array of [kh, kw] pairs; got ${JSON.stringify(kernels)}`);
  kernels.forEach((k, i) => {
    if (!Array.isArray(k) || k.length !== 2) throw new ArgumentError('stackParams', `kernels[${i}]`, `must be a pair [kh, kw]; got ${JSON.stringify(k)}`);
    assertInteger('stackParams', `kernels[${i}][0]`, k[0], 1);
    assertInteger('stackParams', `kernels[${i}][1]`, k[1], 1);
  });
  assertInteger('stackParams', 'C', C, 1);
  return C * C * kernels.reduce((sum, [kh, kw]) => sum + kh * kw, 0);
}

function assertShape3(fn: string, arg: string, x: unknown): asserts x is Shape3 {
  if (!Array.isArray(x) || x.length !== 3) throw new ArgumentError(fn, arg, `must be a shape [H, W, C]; got ${JSON.stringify(x)}`);
  x.forEach((n, i) => assertInteger(fn, `${arg}[${i}]`, n, 1));
}

/**
 * I10 — a layer-list summary like the notes' tables ([Oh] "Case Study: AlexNet", "Case Study:
 * VGGNet"): per layer the output shape [H, W, C], parameters with biases (params) and without
 * (weights), and activations H·W·C. rows[0] is the INPUT line and counts in the activation total,
 * as in the notes' table (VGG16: 15,237,608 values ≈ 61 MB at 4 bytes; 138,357,544 params).
 * Sizes must come out exact: a layer whose stride does not divide its span throws.
 */
export function layerSummary(input: Shape3, layers: Layer[]): Summary {
  const fn = 'layerSummary';
  assertShape3(fn, 'input', input);
  if (!Array.isArray(layers)) throw new ArgumentError(fn, 'layers', `must be an array of layers; got ${typeof layers}`);
  const rows: SummaryRow[] = [{ type: 'input', shape: [...input], params: 0, weights: 0, activations: input[0] * input[1] * input[2] }];
  let [H, W, C] = input;
  layers.forEach((layer, i) => {
    const arg = `layers[${i}]`;
    if (layer === null || typeof layer !== 'object') throw new ArgumentError(fn, arg, `must be a layer object; got ${String(layer)}`);
    let weights = 0;
    let biases = 0;
    if (layer.type === 'conv') {
      const { filters, size, stride = 1, pad = 0, dilation = 1, bias = true } = layer;
      for (const [name, v, min] of [['filters', filters, 1], ['size', size, 1], ['stride', stride, 1], ['pad', pad, 0], ['dilation', dilation, 1]] as const) {
        assertInteger(fn, `${arg}.${name}`, v, min);
      }
      H = outputSize(fn, [arg, arg], H, size, pad, stride, dilation, 'exact');
      W = outputSize(fn, [arg, arg], W, size, pad, stride, dilation, 'exact');
      weights = size * size * C * filters;
      biases = bias ? filters : 0;
      C = filters;
    } else if (layer.type === 'pool') {
      const { size, stride = size } = layer;
      assertInteger(fn, `${arg}.size`, size, 1);
      assertInteger(fn, `${arg}.stride`, stride, 1);
      H = outputSize(fn, [arg, arg], H, size, 0, stride, 1, 'exact');
      W = outputSize(fn, [arg, arg], W, size, 0, stride, 1, 'exact');
    } else if (layer.type === 'fc') {
      const { units, bias = true } = layer;
      assertInteger(fn, `${arg}.units`, units, 1);
      weights = H * W * C * units; // the input volume is flattened
      biases = bias ? units : 0;
      [H, W, C] = [1, 1, units];
    } else if (layer.type !== 'norm') {
      throw new ArgumentError(fn, `${arg}.type`, `must be 'conv', 'pool', 'fc' or 'norm'; got ${JSON.stringify((layer as { type: unknown }).type)}`);
    }
    rows.push({ type: layer.type, shape: [H, W, C], params: weights + biases, weights, activations: H * W * C });
  });
  const sum = (key: 'params' | 'weights' | 'activations') => rows.reduce((s, r) => s + r[key], 0);
  const activations = sum('activations');
  return { rows, totals: { params: sum('params'), weights: sum('weights'), activations, bytes: FLOAT32_BYTES * activations } };
}

/**
 * I11 — weight sharing ([Jung] "Convolution — Need for Weight Sharing"): a conv layer of K
 * filters F×F over an H×W×D₁ input has H₂·W₂·K neurons, each looking at F·F·D₁ inputs.
 * Without sharing every neuron has its own weights (neurons · F·F·D₁); with sharing each filter
 * has one set (K · F·F·D₁). 32×32×3, F = 5, K = 30: 28·28·30·75 = 1,764,000 vs 30·75 = 2,250.
 */
export function weightSharing(
  input: Shape3,
  F: number,
  K: number,
  S = 1,
  P = 0,
): { neurons: number; weightsPerNeuron: number; unshared: number; shared: number } {
  const fn = 'weightSharing';
  assertShape3(fn, 'input', input);
  assertInteger(fn, 'F', F, 1);
  assertInteger(fn, 'K', K, 1);
  assertInteger(fn, 'S', S, 1);
  assertInteger(fn, 'P', P, 0);
  const [H, W, D1] = input;
  const H2 = outputSize(fn, ['F', 'S'], H, F, P, S, 1, 'exact');
  const W2 = outputSize(fn, ['F', 'S'], W, F, P, S, 1, 'exact');
  const neurons = H2 * W2 * K;
  const weightsPerNeuron = F * F * D1;
  return { neurons, weightsPerNeuron, unshared: neurons * weightsPerNeuron, shared: K * weightsPerNeuron };
}
