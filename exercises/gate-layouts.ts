/**
 * M4, M6 — the one converter between the notes' per-gate recurrent weights and the stacked
 * layouts of frameworks and assignments. A tool, not an exercise (provided to students as it is,
 * like tensor.ts): anyone checking a derivation against a framework's numbers converts here.
 *
 * The notes' form ([Training] "Long short-term memory (LSTM)", "Gated Recurrent Unit(GRU)"):
 * column vectors, one matrix per gate over [h, x] (h first), W_g [H, H + D] = [W_g,h | W_g,x]:
 *   LSTM  f = σ(W_f[h, x] + b_f), i = σ(W_i[h, x] + b_i), C̃ = tanh(W_C[h, x] + b_C),
 *         o = σ(W_o[h, x] + b_o), C′ = f ⊙ C + i ⊙ C̃, h′ = o ⊙ tanh(C′)
 *   GRU   z = σ(W_z[h, x] + b_z), r = σ(W_r[h, x] + b_r), h̃ = tanh(W[r ⊙ h, x] + b),
 *         h′ = (1 − z) ⊙ h + z ⊙ h̃   (biases optional: an omitted one is 0)
 *
 * The layouts, each with its gate order in the notes' names (C = the candidate C̃, W = the GRU's
 * candidate weights):
 *   'tfjs-basicLSTMCell'  tf.basicLSTMCell: blocks [i, j, f, o], j = C̃ → [i, C, f, o]; ONE kernel
 *                         [D + H, 4H] applied to the row concat([x, h]) (x's rows first), bias [4H];
 *                         c′ = c·σ(f + forgetBias) + σ(i)·tanh(j), so the f block's bias is b_f − forgetBias.
 *   'keras-lstm'          tf.layers.lstm / Keras LSTM: [i, f, c, o] → [i, f, C, o]; kernel [D, 4H]
 *                         (x's rows), recurrent kernel [H, 4H] (h's rows), bias [4H].
 *   'pytorch-lstm'        torch.nn.LSTM: [i, f, g, o] → [i, f, C, o], acting on columns:
 *                         weight_ih [4H, D], weight_hh [4H, H], bias_ih [4H] + bias_hh [4H] (only the
 *                         sum enters; the converter puts b in bias_ih and zeros in bias_hh).
 *   'cs231n-lstm'         CS231n lstm_step_forward: a = x Wx + prev_h Wh + b split [i, f, o, g] →
 *                         [i, f, o, C]; Wx [D, 4H], Wh [H, 4H], b [4H].
 *   'keras-gru'           tf.layers.gru / Keras GRU (reset_after false): [z, r, h] → [z, r, W]; kernel
 *                         [D, 3H], recurrent kernel [H, 3H], bias [3H]. Its update keeps the share z of
 *                         the OLD state, h′ = z·h + (1 − z)·h̃: the notes' z is its 1 − z, and
 *                         1 − σ(a) = σ(−a), so the z block holds −W_z and −b_z. Its reset comes before
 *                         the matmul, (r ⊙ h)·U_h, as in the notes: the numbers agree exactly.
 *   'pytorch-gru'         torch.nn.GRU: [r, z, n] → [r, z, W], on columns like the LSTM; PyTorch's
 *                         h′ = (1 − z) ⊙ n + z ⊙ h keeps the share z of the old state too (z block
 *                         negated, as for Keras). But its reset comes AFTER the matmul:
 *                         n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn)), where the notes have
 *                         tanh(W_x x + W_h (r ⊙ h) + b). The converter maps the weights (W_h → W_hn,
 *                         b → b_in, b_hn = 0); the two candidates are equal when W_h (the candidate's
 *                         h columns) is diagonal (H = 1 included) or r is the same in every unit, and
 *                         differ otherwise: a layout mapping, not a reproduction of the notes' GRU.
 *
 * Row-acting layouts (tfjs, Keras, CS231n) hold each block transposed (W_g,xᵀ, W_g,hᵀ); PyTorch holds
 * the blocks as they are, stacked along the rows. fromLayout inverts toLayout exactly (the same
 * numbers moved back; a sign flipped back; forgetBias added back).
 */
import { ArgumentError, assertMatrix, assertNumber, assertVector, type Matrix, type Vector } from './tensor.ts';

/** The notes' per-gate LSTM weights, every W over [h, x] (the fields of recurrent.ts's LstmParams). */
export interface NotesLstmWeights {
  Wf: Matrix;
  bf: Vector;
  Wi: Matrix;
  bi: Vector;
  WC: Matrix;
  bC: Vector;
  Wo: Matrix;
  bo: Vector;
}

/** The notes' GRU weights, every W over [h, x] (the fields of recurrent.ts's GruParams); biases optional. */
export interface NotesGruWeights {
  Wz: Matrix;
  Wr: Matrix;
  W: Matrix;
  bz?: Vector;
  br?: Vector;
  b?: Vector;
}

/** The gate order of every layout, in the notes' names. */
export const GATE_ORDER = {
  'tfjs-basicLSTMCell': ['i', 'C', 'f', 'o'],
  'keras-lstm': ['i', 'f', 'C', 'o'],
  'pytorch-lstm': ['i', 'f', 'C', 'o'],
  'cs231n-lstm': ['i', 'f', 'o', 'C'],
  'keras-gru': ['z', 'r', 'W'],
  'pytorch-gru': ['r', 'z', 'W'],
} as const;
export type LstmLayout = 'tfjs-basicLSTMCell' | 'keras-lstm' | 'pytorch-lstm' | 'cs231n-lstm';
export type GruLayout = 'keras-gru' | 'pytorch-gru';
export type Layout = LstmLayout | GruLayout;

/** tf.basicLSTMCell's weights: kernel [D + H, 4H] for concat([x, h]), bias [4H]. */
export interface BasicLstmCellWeights {
  kernel: Matrix;
  bias: Vector;
}
/** Keras / tf.layers weights: kernel [D, nH], recurrent kernel [H, nH], bias [nH]. */
export interface KerasWeights {
  kernel: Matrix;
  recurrent: Matrix;
  bias: Vector;
}
/** CS231n's stacked weights: Wx [D, 4H], Wh [H, 4H], b [4H]. */
export interface Cs231nWeights {
  Wx: Matrix;
  Wh: Matrix;
  b: Vector;
}
/** PyTorch's weights (names as in torch.nn.LSTM/GRU's state_dict, layer 0): weight_ih [nH, D], weight_hh [nH, H], bias_ih, bias_hh [nH]. */
export interface TorchWeights {
  weight_ih: Matrix;
  weight_hh: Matrix;
  bias_ih: Vector;
  bias_hh: Vector;
}
export interface LayoutWeights {
  'tfjs-basicLSTMCell': BasicLstmCellWeights;
  'keras-lstm': KerasWeights;
  'pytorch-lstm': TorchWeights;
  'cs231n-lstm': Cs231nWeights;
  'keras-gru': KerasWeights;
  'pytorch-gru': TorchWeights;
}

type Gate = 'f' | 'i' | 'C' | 'o' | 'z' | 'r' | 'W';
const LAYOUTS = Object.keys(GATE_ORDER) as Layout[];
const isGru = (layout: Layout): layout is GruLayout => layout === 'keras-gru' || layout === 'pytorch-gru';
const weightOf = (g: Gate) => (g === 'W' ? 'W' : `W${g}`);
const biasOf = (g: Gate) => (g === 'W' ? 'b' : `b${g}`);
/** −1 for the GRU's z block (the frameworks keep the share z of the old state), 1 otherwise. */
const signOf = (layout: Layout, g: Gate) => (isGru(layout) && g === 'z' ? -1 : 1);
const transpose = (M: Matrix): Matrix => M[0].map((_, j) => M.map((row) => row[j]));

function assertLayout(fn: string, layout: unknown): asserts layout is Layout {
  if (!LAYOUTS.includes(layout as Layout)) throw new ArgumentError(fn, 'layout', `must be one of ${LAYOUTS.map((l) => `'${l}'`).join(', ')}; got ${String(layout)}`);
}

/**
 * The notes' per-gate weights in a framework's or assignment's stacked layout (see the module
 * comment for each layout's gate order and shapes). forgetBias (tfjs-basicLSTMCell only, default 0)
 * is the constant tf.basicLSTMCell adds to f: the f block's bias is b_f − forgetBias.
 */
export function toLayout<L extends Layout>(layout: L, weights: L extends GruLayout ? NotesGruWeights : NotesLstmWeights, options?: { forgetBias?: number }): LayoutWeights[L] {
  const fn = 'toLayout';
  assertLayout(fn, layout);
  if (weights === null || typeof weights !== 'object') throw new ArgumentError(fn, 'weights', `must be the notes' per-gate weights; got ${String(weights)}`);
  const forgetBias = options?.forgetBias ?? 0;
  assertNumber(fn, 'options.forgetBias', forgetBias);
  if (forgetBias !== 0 && layout !== 'tfjs-basicLSTMCell') throw new ArgumentError(fn, 'options.forgetBias', `is tf.basicLSTMCell's only; got ${forgetBias} for '${layout}'`);
  const order = GATE_ORDER[layout] as readonly Gate[];
  const w = weights as unknown as Record<string, Matrix | Vector | undefined>;
  const first = w[weightOf(order[0])];
  assertMatrix(fn, `weights.${weightOf(order[0])}`, first);
  const H = first.length;
  const D = first[0].length - H;
  if (D < 1) throw new ArgumentError(fn, `weights.${weightOf(order[0])}`, `must be [H, H + D] with D ≥ 1 (over [h, x]); got ${H}×${first[0].length}`);
  const blocks = order.map((g) => {
    const W = w[weightOf(g)] as Matrix;
    assertMatrix(fn, `weights.${weightOf(g)}`, W, H, H + D);
    const b = (w[biasOf(g)] as Vector | undefined) ?? new Array<number>(H).fill(0); // the notes' GRU has no biases
    assertVector(fn, `weights.${biasOf(g)}`, b, H);
    const s = signOf(layout, g);
    const shift = layout === 'tfjs-basicLSTMCell' && g === 'f' ? forgetBias : 0;
    return { h: W.map((row) => row.slice(0, H).map((v) => s * v)), x: W.map((row) => row.slice(H).map((v) => s * v)), b: b.map((v) => s * (v - shift)) };
  });
  const bias = blocks.flatMap((k) => k.b);
  if (layout === 'pytorch-lstm' || layout === 'pytorch-gru') {
    return { weight_ih: blocks.flatMap((k) => k.x), weight_hh: blocks.flatMap((k) => k.h), bias_ih: bias, bias_hh: new Array<number>(bias.length).fill(0) } as LayoutWeights[L];
  }
  // rows × weights: each block transposed, the blocks side by side
  const kernel = transpose(blocks.flatMap((k) => k.x)); // [D, nH]
  const recurrent = transpose(blocks.flatMap((k) => k.h)); // [H, nH]
  if (layout === 'tfjs-basicLSTMCell') return { kernel: [...kernel, ...recurrent], bias } as LayoutWeights[L];
  if (layout === 'cs231n-lstm') return { Wx: kernel, Wh: recurrent, b: bias } as LayoutWeights[L];
  return { kernel, recurrent, bias } as LayoutWeights[L];
}

/**
 * The inverse of toLayout: a layout's stacked weights as the notes' per-gate weights (the GRU's
 * three biases always present). PyTorch's two biases are summed (only their sum enters its LSTM and
 * its r, z gates; for the candidate see the module comment: b_hn sits inside the reset, so
 * bias_hh's candidate block must be 0 for the notes' b to mean anything).
 */
export function fromLayout<L extends Layout>(layout: L, stacked: LayoutWeights[L], options?: { forgetBias?: number }): L extends GruLayout ? Required<NotesGruWeights> : NotesLstmWeights {
  const fn = 'fromLayout';
  assertLayout(fn, layout);
  if (stacked === null || typeof stacked !== 'object') throw new ArgumentError(fn, 'stacked', `must be the weights of the '${layout}' layout; got ${String(stacked)}`);
  const forgetBias = options?.forgetBias ?? 0;
  assertNumber(fn, 'options.forgetBias', forgetBias);
  const order = GATE_ORDER[layout] as readonly Gate[];
  const n = order.length;
  const s = stacked as unknown as Record<string, Matrix | Vector>;
  let xRows: Matrix; // the blocks as the notes hold them: [nH, D] and [nH, H]
  let hRows: Matrix;
  let bias: Vector;
  if (layout === 'pytorch-lstm' || layout === 'pytorch-gru') {
    assertMatrix(fn, 'stacked.weight_hh', s.weight_hh);
    assertMatrix(fn, 'stacked.weight_ih', s.weight_ih, s.weight_hh.length);
    assertVector(fn, 'stacked.bias_ih', s.bias_ih, s.weight_hh.length);
    assertVector(fn, 'stacked.bias_hh', s.bias_hh, s.weight_hh.length);
    [xRows, hRows] = [s.weight_ih as Matrix, s.weight_hh as Matrix];
    bias = (s.bias_ih as Vector).map((v, k) => v + (s.bias_hh as Vector)[k]);
  } else {
    const [kName, rName, bName] = layout === 'cs231n-lstm' ? ['Wx', 'Wh', 'b'] : ['kernel', 'recurrent', 'bias'];
    assertMatrix(fn, `stacked.${kName}`, s[kName]);
    const cols = (s[kName] as Matrix)[0].length;
    if (cols % n !== 0) throw new ArgumentError(fn, `stacked.${kName}`, `must have ${n}H columns (${n} gates); got ${cols}`);
    const H = cols / n;
    let kernel = s[kName] as Matrix;
    let recurrent: Matrix;
    if (layout === 'tfjs-basicLSTMCell') {
      if (kernel.length <= H) throw new ArgumentError(fn, 'stacked.kernel', `must be [D + H, 4H] with D ≥ 1; got ${kernel.length}×${cols}`);
      [kernel, recurrent] = [kernel.slice(0, kernel.length - H), kernel.slice(kernel.length - H)];
    } else {
      assertMatrix(fn, `stacked.${rName}`, s[rName], H, cols);
      recurrent = s[rName] as Matrix;
    }
    assertVector(fn, `stacked.${bName}`, s[bName], cols);
    [xRows, hRows, bias] = [transpose(kernel), transpose(recurrent), s[bName] as Vector];
  }
  const H = hRows[0].length;
  if (hRows.length !== n * H) throw new ArgumentError(fn, 'stacked', `must stack ${n} blocks of H = ${H} units; got ${hRows.length} rows`);
  const out: Record<string, Matrix | Vector> = {};
  order.forEach((g, k) => {
    const sign = signOf(layout, g);
    const shift = layout === 'tfjs-basicLSTMCell' && g === 'f' ? forgetBias : 0;
    const rows = (M: Matrix) => M.slice(k * H, (k + 1) * H);
    out[weightOf(g)] = rows(hRows).map((hr, u) => [...hr, ...rows(xRows)[u]].map((v) => sign * v));
    out[biasOf(g)] = bias.slice(k * H, (k + 1) * H).map((v) => sign * v + shift);
  });
  return out as unknown as L extends GruLayout ? Required<NotesGruWeights> : NotesLstmWeights;
}
