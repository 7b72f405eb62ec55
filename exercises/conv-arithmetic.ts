/**
 * I. Convolution arithmetic — catalogue family I (I1–I11). Implement each function below.
 * Everything is integer arithmetic on sizes: the grader compares your numbers exactly.
 *
 * The decks use different letters for the same sizes; each function keeps the letters of the
 * deck it follows (K is the kernel size in the training deck but the number of filters in the
 * EBU7240 deck):
 *
 * symbol  deck                      meaning
 * W       training deck, EBU7240    input size (width; heights follow by symmetry)
 * N       Jung                      input size (= W)
 * i, n    Tu, training deck         input size of a conv / of a transposed conv
 * K       training deck             kernel size (I1, I2)
 * F       Jung, EBU7240             filter (kernel) size; pooling window (I4, I6, I11)
 * K       EBU7240                   number of filters = output depth (I6, I11)
 * D₁, C   EBU7240                   input depth (channels)
 * P, p    all                       zero padding on EACH side (2P in total)
 * S, s    all                       stride
 * d       tfjs                      dilation; K_eff = d(K − 1) + 1
 *
 * Conventions the grader holds you to:
 * - every function returns new values and leaves its arguments unchanged: a call that writes into
 *   one fails its check (even when it puts the value back by arithmetic: x + h − h is not always x);
 * - 'exact' rounding (the default) must THROW when the stride does not divide W − K_eff + 2P
 *   (the notes' "(7 − 3)/3 + 1 = … :\"); 'floor' returns ⌊(W − K_eff + 2P)/S⌋ + 1 (frameworks).
 *   Both must throw when the kernel does not fit in the padded input.
 * - TF 'same' padding puts the odd extra pixel AFTER (bottom/right): [before, after] = [⌊P/2⌋, ⌈P/2⌉].
 * - Shapes are [H, W, C]; a fully connected layer outputs [1, 1, n] (the notes' "FC: [1x1x4096]").
 * - layerSummary's rows[0] is the INPUT line and its activations count in the total, as in the
 *   notes' VGG16 table (15.2M values ≈ 61 MB at 4 bytes per float32).
 * - Throw an Error for invalid input (the grader checks a few required errors, named in the docs)
 *   whose message names the function, e.g. new ArgumentError('convOutputSize', 'S', '…') from
 *   tensor.ts: a crash such as a TypeError is not a check of the arguments and earns nothing.
 */
import { NotImplemented } from './not-implemented.ts';

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

/**
 * I1 — O = (W − K_eff + 2P)/S + 1, K_eff = d(K − 1) + 1 (options.dilation d defaults to 1).
 * options.rounding 'exact' (default): throw unless S divides W − K_eff + 2P;
 * 'floor': ⌊(W − K_eff + 2P)/S⌋ + 1. Throw when K_eff > W + 2P (the kernel does not fit).
 * @example convOutputSize(7, 3, 0, 2) // 3;  convOutputSize(7, 3, 0, 3) // throws
 */
export function convOutputSize(W: number, K: number, P: number, S: number, options?: { dilation?: number; rounding?: Rounding }): number {
  throw new NotImplemented('I1 convOutputSize');
}

/** I2 — the padding P = (K − 1)/2 that keeps the size at stride 1; throw for an even K (no equal split). */
export function samePadding(K: number): number {
  throw new NotImplemented('I2 samePadding');
}

/**
 * I2 — TensorFlow's output size: 'same' → ⌈W/S⌉ (whatever the kernel), 'valid' (no padding) →
 * ⌈(W − K_eff + 1)/S⌉ with K_eff = d(K − 1) + 1; throw for 'valid' when K_eff > W.
 */
export function tfOutputSize(W: number, K: number, S: number, padding: TfPadding, dilation = 1): number {
  throw new NotImplemented('I2 tfOutputSize');
}

/**
 * I2 — the [before, after] padding TF adds for 'same': total P = max(0, (O − 1)S + K_eff − W),
 * O = ⌈W/S⌉; before = ⌊P/2⌋ and the odd extra pixel goes AFTER (bottom/right).
 */
export function tfSamePads(W: number, K: number, S: number, dilation = 1): [before: number, after: number] {
  throw new NotImplemented('I2 tfSamePads');
}

/** I3 — the effective size of a dilated kernel: K_eff = d(K − 1) + 1. */
export function effectiveKernel(K: number, d: number): number {
  throw new NotImplemented('I3 effectiveKernel');
}

/**
 * I4 — pooling output size, F×F window at stride S, no padding: (W − F)/S + 1 ((55 − 3)/2 + 1 = 27).
 * 'exact' (default) throws unless S divides W − F; 'floor' rounds down. Throw when F > W.
 */
export function poolOutputSize(W: number, F: number, S: number, rounding: Rounding = 'exact'): number {
  throw new NotImplemented('I4 poolOutputSize');
}

/**
 * I5 — transposed convolution output size o = s(n − 1) + k − 2p + a, with output padding
 * a = outputPadding ∈ [0, s) (throw when a ≥ s, or when o < 1).
 */
export function transposedOutputSize(n: number, k: number, s: number, p: number, outputPadding = 0): number {
  throw new NotImplemented('I5 transposedOutputSize');
}

/** I6 — parameters of a conv layer with K filters of F×F×D₁: (F·F·D₁)·K weights + K biases (biases only when `bias`). */
export function convParams(F: number, D1: number, K: number, bias = true): number {
  throw new NotImplemented('I6 convParams');
}

/** I6 — parameters of a fully connected layer: nIn·nOut weights + nOut biases (biases only when `bias`). */
export function fcParams(nIn: number, nOut: number, bias = true): number {
  throw new NotImplemented('I6 fcParams');
}

/** I7 — the number of values in an activation volume of this shape, and its size in bytes (default 4 per float32). */
export function activationMemory(shape: number[], bytesPerValue = 4): { count: number; bytes: number } {
  throw new NotImplemented('I7 activationMemory');
}

/**
 * I8 — receptive field of a stack of layers (first layer first): RF = 1 + Σ_l (k_eff,l − 1)·Π_{i<l} s_i,
 * k_eff = d(k − 1) + 1. Two 5×5 stride-1 layers: 9; no layers: 1.
 */
export function receptiveField(layers: RfLayer[]): number {
  throw new NotImplemented('I8 receptiveField');
}

/**
 * I9 — weights (no biases) of a stack of kh×kw convolutions with C channels in and C out:
 * C²·Σ kh·kw (three 3×3 = 27C², one 7×7 = 49C²).
 */
export function stackParams(kernels: [kh: number, kw: number][], C: number): number {
  throw new NotImplemented('I9 stackParams');
}

/**
 * I10 — summary of a layer list starting from an [H, W, C] input: one row for the input, then one
 * per layer, each with its output shape, params (with biases), weights (without) and activations
 * (H·W·C); totals sum the rows (input included) and bytes = 4 · total activations.
 * Throw when a layer's size does not come out exact.
 */
export function layerSummary(input: Shape3, layers: Layer[]): Summary {
  throw new NotImplemented('I10 layerSummary');
}

/**
 * I11 — weight sharing for K filters F×F over an [H, W, D₁] input (stride S, padding P):
 * neurons = H₂·W₂·K (the OUTPUT volume), weightsPerNeuron = F·F·D₁,
 * unshared = neurons·weightsPerNeuron, shared = K·weightsPerNeuron.
 * Throw when the output grid does not come out exact (as convOutputSize in exact mode).
 */
export function weightSharing(
  input: Shape3,
  F: number,
  K: number,
  S = 1,
  P = 0,
): { neurons: number; weightsPerNeuron: number; unshared: number; shared: number } {
  throw new NotImplemented('I11 weightSharing');
}
