/**
 * M. Recurrent networks — catalogue family M (M1–M6). Implement each function below.
 *
 * symbol        id        shape      meaning
 * x^(t)         xs[t−1]   [D]        input at step t = 1 … T
 * h^(0)         h0        [H]        initial state
 * W_hx, W_hh    Whx, Whh  [H, D], [H, H]
 * b_h           bh        [H]
 * z_h^(t)       zh[t−1]   [H]        W_hx x^(t) + W_hh h^(t−1) + b_h
 * h^(t)         h[t−1]    [H]        σ_h(z_h^(t))
 * W_yh, b_y     Wyh, by   [K, H], [K]
 * z_y, y        zy, y     [K]        z_y = W_yh h^(t) + b_y, y^(t) = σ_y(z_y)
 * dy            dy        like y     upstream gradient ∂L/∂y^(t)
 * J_t           —         [H, H]     ∂h^(t)/∂h^(t−1)
 *
 * LSTM (M4), the notes' gates over [h, x] = h^(t−1) stacked on x^(t), h first:
 * W_f, b_f      Wf, bf    [H, H + D], [H]   f = σ(W_f[h, x] + b_f)        forget gate
 * W_i, b_i      Wi, bi    [H, H + D], [H]   i = σ(W_i[h, x] + b_i)        input gate
 * W_C, b_C      WC, bC    [H, H + D], [H]   C̃ = tanh(W_C[h, x] + b_C)     candidate
 * W_o, b_o      Wo, bo    [H, H + D], [H]   o = σ(W_o[h, x] + b_o)        output gate
 * C^(t)         c[t−1]    [H]               f ⊙ C^(t−1) + i ⊙ C̃           cell (⊙: entry by entry)
 * h^(t)         h[t−1]    [H]               o ⊙ tanh(C^(t))
 *
 * Peephole LSTM (M5): the same fields, the gates f, i, o also see a cell (the peepholes):
 * W_f, W_i      Wf, Wi    [H, 2H + D]       over [C^(t−1), h^(t−1), x^(t)]: the old cell first
 * W_o           Wo        [H, 2H + D]       over [C^(t), h^(t−1), x^(t)]: the new cell first
 * W_C           WC        [H, H + D]        over [h^(t−1), x^(t)], as in M4
 *
 * GRU (M6), the notes' form, over [h, x] as well:
 * W_z, b_z      Wz, bz    [H, H + D], [H]   z = σ(W_z[h, x] + b_z)        update gate
 * W_r, b_r      Wr, br    [H, H + D], [H]   r = σ(W_r[h, x] + b_r)        reset gate
 * W, b          W, b      [H, H + D], [H]   h̃ = tanh(W[r ⊙ h, x] + b)     candidate
 * h^(t)         h[t−1]    [H]               (1 − z) ⊙ h^(t−1) + z ⊙ h̃
 *
 * Conventions the grader holds you to:
 * - every function returns new values and leaves its arguments unchanged;
 * - vectors are columns, as in the notes: W_hx x^(t) is the matrix times the vector (row i of W_hx
 *   dotted with x^(t)), never x^(t) times W_hx;
 * - options default to activation 'tanh' (σ_h), output 'linear' (σ_y the identity) and mode
 *   'many-to-many'; 'sigmoid' is the logistic function 1/(1 + e^(−z));
 * - many-to-many has an output y^(t) at every step; many-to-one only at the last step, so y, zy and
 *   dy hold T vectors or one;
 * - rnnForward returns its cache with exactly the fields of RnnCache (the grader also calls your
 *   rnnBackward, stepJacobians and jacobianProduct with caches it built to that contract);
 * - the backward pass is for the loss L = Σ_t dy^(t) · y^(t), summed over every time step;
 * - truncated BPTT to k steps: the gradient of each L^(t) flows back through steps t, t − 1, …,
 *   t − k + 1 only (k steps, the step t itself included), and reaches h^(0) only when t ≤ k;
 *   truncate omitted means full BPTT;
 * - LSTM weights are the notes' per-gate matrices, columns 0 … H − 1 for h^(t−1) and H … H + D − 1
 *   for x^(t) (not a framework's stacked kernel: no gate order to get right, only the roles);
 * - lstmForward returns its cache with exactly the fields of LstmCache, and lstmBackward is for the
 *   loss L = Σ_t dh^(t) · h^(t) (an upstream gradient at every step; C^(T) gets none of its own);
 * - the GRU's biases bz, br, b are optional: the notes' form has none, and an omitted bias is 0;
 *   gruBackward returns dbz, dbr and db all the same (the gradient at 0 when a bias was omitted);
 * - the reset gate scales h^(t−1) before the matmul, W[r ⊙ h, x], as the notes write it (not
 *   r ⊙ (W_h h), the form of PyTorch and cuDNN);
 * - validate inputs where it helps you; the grader only passes valid ones.
 * Check your backward pass with gradcheck.ts (S1–S4) before you submit.
 */
import { NotImplemented } from './not-implemented.ts';
import type { Matrix, Vector } from './tensor.ts';

export type HiddenActivation = 'tanh' | 'sigmoid';
export type OutputActivation = 'linear' | 'sigmoid' | 'tanh';
export type RnnMode = 'many-to-many' | 'many-to-one';

export interface RnnParams {
  Whx: Matrix;
  Whh: Matrix;
  bh: Vector;
  Wyh: Matrix;
  by: Vector;
}

export interface RnnOptions {
  activation?: HiddenActivation;
  output?: OutputActivation;
  mode?: RnnMode;
}

export interface RnnStep {
  zh: Vector;
  h: Vector;
  zy: Vector;
  y: Vector;
}

/** The inputs, the weights, the options with their defaults filled in, z_h^(t) and h^(t) for t = 1 … T, and z_y of every output. */
export interface RnnCache {
  xs: Vector[];
  h0: Vector;
  params: RnnParams;
  activation: HiddenActivation;
  output: OutputActivation;
  mode: RnnMode;
  zh: Vector[];
  h: Vector[];
  zy: Vector[];
}

export interface RnnGradients {
  dWhx: Matrix;
  dWhh: Matrix;
  dbh: Vector;
  dWyh: Matrix;
  dby: Vector;
  dh0: Vector;
  dxs: Vector[];
}

/**
 * M1 — one step: z_h = W_hx x + W_hh hPrev + b_h, h = σ_h(z_h), z_y = W_yh h + b_y, y = σ_y(z_y).
 * Return { zh, h, zy, y }.
 */
export function rnnStep(x: Vector, hPrev: Vector, params: RnnParams, options?: RnnOptions): RnnStep {
  throw new NotImplemented('M1 rnnStep');
}

/**
 * M1 — the sequence: h^(t) = σ_h(W_hx x^(t) + W_hh h^(t−1) + b_h) for t = 1 … T from h^(0) = h0.
 * Return { y, h, cache }: y lists y^(1) … y^(T) (many-to-many) or [y^(T)] (many-to-one), h lists
 * h^(1) … h^(T).
 */
export function rnnForward(xs: Vector[], h0: Vector, params: RnnParams, options?: RnnOptions): { y: Vector[]; h: Vector[]; cache: RnnCache } {
  throw new NotImplemented('M1 rnnForward');
}

/**
 * M2 — backpropagation through time: ∂L/∂ of every weight, of h^(0) and of every x^(t) for
 * L = Σ_t dy^(t) · y^(t), full, or truncated to `truncate` steps. The output layer's gradients
 * (dWyh, dby) are never truncated.
 */
export function rnnBackward(dy: Vector[], cache: RnnCache, truncate?: number): RnnGradients {
  throw new NotImplemented('M2 rnnBackward');
}

/** M3 — the step Jacobians J_t = ∂h^(t)/∂h^(t−1) = diag(σ_h′(z_h^(t))) W_hh, for t = 1 … T. */
export function stepJacobians(cache: RnnCache): Matrix[] {
  throw new NotImplemented('M3 stepJacobians');
}

/** M3 — ∂h^(t)/∂h^(k) = J_t J_(t−1) … J_(k+1) for 0 ≤ k ≤ t ≤ T; the identity when k = t. */
export function jacobianProduct(cache: RnnCache, t: number, k: number): Matrix {
  throw new NotImplemented('M3 jacobianProduct');
}

/**
 * M3 — clipping by the global norm ‖g‖ = √(sum of the squares of every entry of every gradient):
 * every gradient times maxNorm/‖g‖ when ‖g‖ > maxNorm; unchanged otherwise. Same keys and shapes.
 */
export function clipGradientNorm<G extends Record<string, Vector | Matrix>>(grads: G, maxNorm: number): G {
  throw new NotImplemented('M3 clipGradientNorm');
}

export interface LstmParams {
  Wf: Matrix;
  bf: Vector;
  Wi: Matrix;
  bi: Vector;
  WC: Matrix;
  bC: Vector;
  Wo: Matrix;
  bo: Vector;
}

export interface LstmStep {
  f: Vector;
  i: Vector;
  cTilde: Vector;
  c: Vector;
  o: Vector;
  h: Vector;
}

/** The inputs, the weights, and f, i, C̃, C, o, h of every step t = 1 … T. */
export interface LstmCache {
  xs: Vector[];
  h0: Vector;
  c0: Vector;
  params: LstmParams;
  f: Vector[];
  i: Vector[];
  cTilde: Vector[];
  c: Vector[];
  o: Vector[];
  h: Vector[];
}

export interface LstmGradients {
  dWf: Matrix;
  dbf: Vector;
  dWi: Matrix;
  dbi: Vector;
  dWC: Matrix;
  dbC: Vector;
  dWo: Matrix;
  dbo: Vector;
  dh0: Vector;
  dc0: Vector;
  dxs: Vector[];
}

/**
 * M4 — one LSTM step: f = σ(W_f[h, x] + b_f), i = σ(W_i[h, x] + b_i), C̃ = tanh(W_C[h, x] + b_C),
 * C = f ⊙ C^(t−1) + i ⊙ C̃, o = σ(W_o[h, x] + b_o), h = o ⊙ tanh(C), with [h, x] = [hPrev, x].
 * Return { f, i, cTilde, c, o, h }.
 */
export function lstmStep(x: Vector, hPrev: Vector, cPrev: Vector, params: LstmParams): LstmStep {
  throw new NotImplemented('M4 lstmStep');
}

/**
 * M4 — the LSTM over x^(1) … x^(T) from h^(0) = h0 and C^(0) = c0, the step chained.
 * Return { h, c, cache }: h lists h^(1) … h^(T), c lists C^(1) … C^(T).
 */
export function lstmForward(xs: Vector[], h0: Vector, c0: Vector, params: LstmParams): { h: Vector[]; c: Vector[]; cache: LstmCache } {
  throw new NotImplemented('M4 lstmForward');
}

/**
 * M4 — backpropagation through time for the LSTM: ∂L/∂ of every gate's W and b, of h^(0), C^(0) and
 * every x^(t), for L = Σ_t dh^(t) · h^(t). Two gradients flow back from step to step: through
 * h^(t−1) (into every gate) and through the cell, ∂L/∂C^(t−1) = ∂L/∂C^(t) ⊙ f^(t).
 */
export function lstmBackward(dh: Vector[], cache: LstmCache): LstmGradients {
  throw new NotImplemented('M4 lstmBackward');
}

/** The peephole LSTM's weights: LstmParams' fields, with Wf, Wi, Wo of H + H + D columns (see the table above). */
export type PeepholeLstmParams = LstmParams;

/**
 * M5 — one peephole LSTM step: f = σ(W_f[C^(t−1), h, x] + b_f), i = σ(W_i[C^(t−1), h, x] + b_i),
 * C̃ = tanh(W_C[h, x] + b_C), C = f ⊙ C^(t−1) + i ⊙ C̃, o = σ(W_o[C, h, x] + b_o), h = o ⊙ tanh(C).
 * The forget and input gates peek at the old cell C^(t−1) = cPrev, the output gate at the new cell C.
 * Columns 0 … H − 1 of W_f, W_i, W_o multiply the cell, H … 2H − 1 hPrev, 2H … 2H + D − 1 x.
 * Return { f, i, cTilde, c, o, h }.
 */
export function peepholeLstmStep(x: Vector, hPrev: Vector, cPrev: Vector, params: PeepholeLstmParams): LstmStep {
  throw new NotImplemented('M5 peepholeLstmStep');
}

/**
 * M5 — the peephole LSTM over x^(1) … x^(T) from h^(0) = h0 and C^(0) = c0, the step chained.
 * Return { h, c, cache }: h lists h^(1) … h^(T), c lists C^(1) … C^(T), the cache has exactly the fields of LstmCache.
 */
export function peepholeLstmForward(xs: Vector[], h0: Vector, c0: Vector, params: PeepholeLstmParams): { h: Vector[]; c: Vector[]; cache: LstmCache } {
  throw new NotImplemented('M5 peepholeLstmForward');
}

/**
 * M5 — backpropagation through time for the peephole LSTM, for L = Σ_t dh^(t) · h^(t): the gradients
 * of lstmBackward, with dWf, dWi, dWo of H + H + D columns. The peepholes add two paths into the
 * cell: ∂L/∂C^(t) also receives W_o,Cᵀ δ_o (o sees the new cell), and ∂L/∂C^(t−1) = ∂L/∂C^(t) ⊙ f + W_f,Cᵀ δ_f + W_i,Cᵀ δ_i
 * (W_g,C: the first H columns of W_g; δ_g: the gradient of gate g's net input).
 * ∂L/∂W_f and ∂L/∂W_i take C^(t−1) in their peephole columns, ∂L/∂W_o takes C^(t): each gate's own input.
 */
export function peepholeLstmBackward(dh: Vector[], cache: LstmCache): LstmGradients {
  throw new NotImplemented('M5 peepholeLstmBackward');
}

export interface GruParams {
  Wz: Matrix;
  Wr: Matrix;
  W: Matrix;
  bz?: Vector;
  br?: Vector;
  b?: Vector;
}

export interface GruStep {
  z: Vector;
  r: Vector;
  hTilde: Vector;
  h: Vector;
}

/** The inputs, the weights, and z, r, h̃, h of every step t = 1 … T. */
export interface GruCache {
  xs: Vector[];
  h0: Vector;
  params: GruParams;
  z: Vector[];
  r: Vector[];
  hTilde: Vector[];
  h: Vector[];
}

export interface GruGradients {
  dWz: Matrix;
  dbz: Vector;
  dWr: Matrix;
  dbr: Vector;
  dW: Matrix;
  db: Vector;
  dh0: Vector;
  dxs: Vector[];
}

/**
 * M6 — one GRU step: z = σ(W_z[h, x] + b_z), r = σ(W_r[h, x] + b_r), h̃ = tanh(W[r ⊙ h, x] + b),
 * h = (1 − z) ⊙ hPrev + z ⊙ h̃, with h = hPrev inside the brackets. Return { z, r, hTilde, h }.
 */
export function gruStep(x: Vector, hPrev: Vector, params: GruParams): GruStep {
  throw new NotImplemented('M6 gruStep');
}

/** M6 — the GRU over x^(1) … x^(T) from h^(0) = h0, the step chained. Return { h, cache }: h lists h^(1) … h^(T). */
export function gruForward(xs: Vector[], h0: Vector, params: GruParams): { h: Vector[]; cache: GruCache } {
  throw new NotImplemented('M6 gruForward');
}

/**
 * M6 — backpropagation through time for the GRU: ∂L/∂ of W_z, W_r, W, of the three biases, of h^(0)
 * and every x^(t), for L = Σ_t dh^(t) · h^(t). h^(t−1) reaches h^(t) four ways: directly through
 * (1 − z), through r ⊙ h^(t−1) in the candidate, and through both gates.
 */
export function gruBackward(dh: Vector[], cache: GruCache): GruGradients {
  throw new NotImplemented('M6 gruBackward');
}

/*
 * M1, batch form: the building blocks a captioning model composes (the CS231n captioning
 * assignment's rnn_layers.py). Unlike the functions above, these work on batches, rows =
 * examples: N examples of T steps each.
 *   x (embedding)  [N][T]      word indices, integers in 0 … V − 1
 *   W              [V][D]      the embedding matrix: row v is the vector of word v
 *   x (affine)     [N][T][D]   inputs; w [D][M], b [M]
 *   scores         [N][T][V]   unnormalised scores; y [N][T] the right words; mask [N][T] of 0 and 1
 */

/**
 * M1 — word embedding forward: out[n][t] = W[x[n][t]] (one-hot(x[n][t])ᵀ W, the row of W that
 * word x[n][t] picks). Return out, N×T×D.
 */
export function wordEmbeddingForward(x: number[][], W: Matrix): number[][][] {
  throw new NotImplemented('M1 wordEmbeddingForward');
}

/**
 * M1 — word embedding backward for L = Σ_{n,t} dout[n][t] · out[n][t]: return dW, V×D, where
 * dW[v] is the sum of dout[n][t] over every position with x[n][t] = v: a word that occurs more
 * than once gets the sum of the gradients at all its positions, a word that never occurs gets 0.
 */
export function wordEmbeddingBackward(dout: number[][][], x: number[][], V: number): Matrix {
  throw new NotImplemented('M1 wordEmbeddingBackward');
}

/**
 * M1 — temporal affine forward: the same affine map at every step, out[n][t] = x[n][t] w + b (the
 * row x[n][t] times w, D → M). Return out, N×T×M.
 */
export function temporalAffineForward(x: number[][][], w: Matrix, b: Vector): number[][][] {
  throw new NotImplemented('M1 temporalAffineForward');
}

/**
 * M1 — temporal affine backward for L = Σ_{n,t} dout[n][t] · out[n][t]: return { dx, dw, db } with
 * dx[n][t] = w dout[n][t], dw = Σ_{n,t} x[n][t]ᵀ dout[n][t] and db = Σ_{n,t} dout[n][t]: w and b are
 * shared by every step, so their gradients sum over the examples and over time.
 */
export function temporalAffineBackward(dout: number[][][], x: number[][][], w: Matrix): { dx: number[][][]; dw: Matrix; db: Vector } {
  throw new NotImplemented('M1 temporalAffineBackward');
}

/**
 * M1 — temporal softmax loss with a mask over padding: return { loss, dx } with
 * loss = −(1/N) Σ_n Σ_t mask[n][t] log softmax(scores[n][t])[y[n][t]] and dx = ∂loss/∂scores.
 * The sum over time is divided by N, the number of examples (not by N·T, not by the number of
 * unmasked steps). A step with mask 0 contributes neither loss nor gradient (its dx is 0).
 */
export function temporalSoftmaxLoss(scores: number[][][], y: number[][], mask: number[][]): { loss: number; dx: number[][][] } {
  throw new NotImplemented('M1 temporalSoftmaxLoss');
}

/*
 * M1, M2, batch form: the Elman RNN on N examples at once, rows = examples, as frameworks and the
 * CS231n assignment (rnn_layers.py: rnn_step_forward/backward, rnn_forward/backward) write it.
 *   x           [N][D]      one step's inputs, row n the input of example n; a sequence x is [N][T][D]
 *   hPrev, h0   [N][H]      the previous states (h0: the initial states of a sequence)
 *   Wx          [D][H]      the notes' W_hx transposed: x Wx is the rows times the weights
 *   Wh          [H][H]      the notes' W_hh transposed: hPrev Wh
 *   b           [H]         the notes' b_h, added to every row
 *   z, h        [N][H]      z = x Wx + hPrev Wh + b, h = σ_h(z); a sequence's z, h are [N][T][H]
 * Row n is the notes' column form of example n with W_hx = Wxᵀ and W_hh = Whᵀ. There is no output
 * layer: the backward passes are for L = Σ dh ⊙ h, an upstream gradient dh at every state.
 * options.activation is 'tanh' (the default) or 'sigmoid'.
 */

export interface RnnBatchParams {
  Wx: Matrix;
  Wh: Matrix;
  b: Vector;
}

/** The step's x, hPrev, params, the activation with its default filled in, z and h. */
export interface RnnBatchStepCache {
  x: Matrix;
  hPrev: Matrix;
  params: RnnBatchParams;
  activation: HiddenActivation;
  z: Matrix;
  h: Matrix;
}

/** The sequence's x [N][T][D], h0, params, the activation with its default filled in, z and h [N][T][H]. */
export interface RnnBatchCache {
  x: number[][][];
  h0: Matrix;
  params: RnnBatchParams;
  activation: HiddenActivation;
  z: number[][][];
  h: number[][][];
}

export interface RnnBatchStepGradients {
  dx: Matrix;
  dhPrev: Matrix;
  dWx: Matrix;
  dWh: Matrix;
  db: Vector;
}

export interface RnnBatchGradients {
  dx: number[][][];
  dh0: Matrix;
  dWx: Matrix;
  dWh: Matrix;
  db: Vector;
}

/**
 * M1 — one step on a batch: z = x Wx + hPrev Wh + b, h = σ_h(z), the rows times the weights (never
 * Wx x). Return { z, h, cache } with the cache holding exactly the fields of RnnBatchStepCache (the
 * grader also calls your rnnStepBatchBackward with caches it built to that contract).
 */
export function rnnStepBatch(x: Matrix, hPrev: Matrix, params: RnnBatchParams, options?: { activation?: HiddenActivation }): { z: Matrix; h: Matrix; cache: RnnBatchStepCache } {
  throw new NotImplemented('M1 rnnStepBatch');
}

/**
 * M2 — one step back for L = Σ dh ⊙ h: return { dx, dhPrev, dWx, dWh, db } with δ = dh ⊙ σ_h′(z),
 * dx = δ Wxᵀ, dhPrev = δ Whᵀ, dWx = xᵀ δ [D][H], dWh = hPrevᵀ δ [H][H], db = the sum of δ's rows.
 * Every gradient has the shape of what it differentiates.
 */
export function rnnStepBatchBackward(dh: Matrix, cache: RnnBatchStepCache): RnnBatchStepGradients {
  throw new NotImplemented('M2 rnnStepBatchBackward');
}

/**
 * M1 — the sequence on a batch: h[n][t] = σ_h(x[n][t] Wx + h[n][t − 1] Wh + b) for t = 1 … T, from
 * h0[n] before the first step. Return { h, cache }: h [N][T][H] lists every example's h^(1) … h^(T);
 * the cache holds exactly the fields of RnnBatchCache (the grader also calls your rnnBackwardBatch
 * with caches it built to that contract).
 */
export function rnnForwardBatch(x: number[][][], h0: Matrix, params: RnnBatchParams, options?: { activation?: HiddenActivation }): { h: number[][][]; cache: RnnBatchCache } {
  throw new NotImplemented('M1 rnnForwardBatch');
}

/**
 * M2 — BPTT on a batch for L = Σ_{n,t} dh[n][t] · h[n][t]: return { dx [N][T][D], dh0 [N][H], dWx,
 * dWh, db }. The state h[n][t] gets dh[n][t] and what flows back from step t + 1; Wx, Wh and b are
 * shared by every step, so their gradients are summed over time (and over the examples). Each
 * step's slope is σ_h′(z[n][t]) = 1 − h[n][t]² (tanh) or h[n][t](1 − h[n][t]) (sigmoid).
 */
export function rnnBackwardBatch(dh: number[][][], cache: RnnBatchCache): RnnBatchGradients {
  throw new NotImplemented('M2 rnnBackwardBatch');
}
