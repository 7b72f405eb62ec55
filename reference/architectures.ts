/**
 * R. Architectures — catalogue family R (R1–R7): the building blocks of the CNN case studies.
 *
 * Decks (see README, "Decks"): [Jung] "ResNet" ("Identity Mapping by Shortcuts": y = F(x, {W_i}) + x,
 * F = W2σ(W1x), "second nonlinearity after element-wise addition", y = F + W_s x), "Stochastic
 * Depth", "GoogeLeNet(Inception v1)"; [Oh] "Residual block", "Naive Inception module",
 * "Inception module with dimension reduction", "1X1 Convolution"; [Training] "DenseNet",
 * "SENet — Squeeze-and-Excitation Network", "Global Average Pooling". Where a slide shows only a
 * paper's title page (DenseNet, SENet), the formula is the paper's: Huang et al. 2017 §3,
 * Hu et al. 2018 §3 (Eq. 2–4); Network-in-Network is Lin et al. 2014 ([Oh]: "network within a network").
 *
 * symbol    id          shape            meaning
 * x         x           [n]              block input (R1; one position of a feature map)
 * W1, W2    W1, W2      [m, n], [p, m]   the two weight layers of the residual branch F = W2 σ(W1 x)
 * W_s       Ws          [p, n] | null    projection shortcut (null: identity, p = n)
 * σ         relu        —                ReLU, subgradient 0 at 0 (catalogue A3)
 * H_ℓ       H           [n]              output of stochastic-depth block ℓ (R2); H_{ℓ−1} its input
 * f_ℓ       f           [n]              the residual branch's output f_ℓ(H_{ℓ−1})
 * b_ℓ, p_ℓ  b, p        0|1, number      Bernoulli gate (train) and survival probability (test)
 * L, p_L    L, pL       integer, number  number of blocks and the last block's survival probability
 * k0, k, ℓ  k0, k, l    integers         dense block: input channels, growth rate, layer index (1-based)
 * z         z           [C]              SE squeeze: channel means of x (global average pooling)
 * s         s           [C]              SE excitation σ(W2 δ(W1 z)), δ = ReLU, σ = sigmoid
 * dout      dout        like out         upstream gradient ∂L/∂out
 *
 * Images are C×H×W; R6 shapes are [H, W, C] as the notes print them ("[55x55x96]"). Biases: the
 * residual and SE blocks have none (the decks' and papers' equations omit them); the NiN layers
 * and the R6 conv/fc layers have them unless `bias: false`.
 */
import { ArgumentError, assertImage, assertInRange, assertInteger, assertMatrix, assertVector, type Image, type Matrix, type Vector } from './tensor.ts';

export type Shape3 = [H: number, W: number, C: number];

/** What residualBackward needs: the input, the weights and the pre-activations of both ReLUs. */
export interface ResidualCache {
  x: Vector;
  W1: Matrix;
  W2: Matrix;
  Ws: Matrix | null;
  /** W1 x, the pre-activation of the first ReLU */
  a1: Vector;
  /** W2 σ(W1 x) + shortcut, the pre-activation of the second ReLU (after the addition) */
  a2: Vector;
}

/** What squeezeExcitationBackward needs. */
export interface SECache {
  x: Image;
  W1: Matrix;
  W2: Matrix;
  /** channel means (squeeze) */
  z: Vector;
  /** W1 z, the pre-activation of the ReLU */
  a: Vector;
  /** σ(W2 ReLU(W1 z)), the channel weights (excitation) */
  s: Vector;
}

/** One layer of a Network-in-Network stack: a 1×1 convolution W [out × in] with bias b [out]. */
export interface NiNLayer {
  W: Matrix;
  b: Vector;
}

/**
 * One branch of an inception module, all at stride 1 with 'same' padding ([Oh]: "Assume that a
 * proper size of zero-padding is used"): a size×size convolution to `filters` channels,
 * optionally after a 1×1 reduction to `reduce` channels; or a size×size max pool (depth
 * unchanged), optionally followed by a 1×1 projection to `project` channels.
 */
export type InceptionBranch =
  | { type: 'conv'; size: number; filters: number; reduce?: number }
  | { type: 'pool'; size: number; project?: number };

/**
 * One block of an architecture (R6). Convolutions use symmetric zero padding `pad` (default
 * 0) and stride (default 1); output sizes are ⌊(H + 2·pad − size)/stride⌋ + 1 (floor, as tfjs
 * with explicit pads). Blocks with 'same' in their description pad (size − 1)/2 (odd sizes).
 * - residual: conv(size, filters, stride) → ReLU → conv(size, filters, 1) + shortcut → ReLU;
 *   shortcut = identity when stride = 1 and C = filters, else a 1×1 conv at `stride` (projection);
 *   `projection: true` forces the projection.
 * - inception: the branches above, concatenated along the channels.
 * - dense: `layers` 'same' size×size convs, layer ℓ reading k0 + growth·(ℓ − 1) channels (all
 *   earlier outputs concatenated) and adding `growth` channels.
 * - se: squeeze-and-excitation on C channels, W1 [C/ratio × C], W2 [C × C/ratio], no biases.
 * - gap: global average pooling to [1, 1, C]; fc flattens its input; pool is a max pool (no padding).
 * `bias` (default true) applies to every convolution and fc inside the block.
 */
export type Block =
  | { type: 'conv'; filters: number; size: number; stride?: number; pad?: number; bias?: boolean }
  | { type: 'pool'; size: number; stride?: number }
  | { type: 'fc'; units: number; bias?: boolean }
  | { type: 'gap' }
  | { type: 'residual'; filters: number; size?: number; stride?: number; projection?: boolean; bias?: boolean }
  | { type: 'inception'; branches: InceptionBranch[]; bias?: boolean }
  | { type: 'dense'; layers: number; growth: number; size?: number; bias?: boolean }
  | { type: 'se'; ratio: number };

export interface BlockRow {
  type: 'input' | Block['type'];
  shape: Shape3;
  params: number;
}

// ---------------------------------------------------------------------------------------------
// small linear algebra (plain loops)

const relu = (v: number): number => (v > 0 ? v : 0);
/** σ'(a) as a 0/1 mask: ReLU's subgradient at 0 is 0 (catalogue A3). */
const reluMask = (v: number): number => (v > 0 ? 1 : 0);
const sigmoid = (v: number): number => (v >= 0 ? 1 / (1 + Math.exp(-v)) : Math.exp(v) / (1 + Math.exp(v)));

/** W v for W [r × c], v [c]. */
function matVec(W: Matrix, v: Vector): Vector {
  const out = new Array<number>(W.length).fill(0);
  for (let i = 0; i < W.length; i++) {
    const row = W[i];
    let s = 0;
    for (let j = 0; j < v.length; j++) s += row[j] * v[j];
    out[i] = s;
  }
  return out;
}

/** Wᵀ u for W [r × c], u [r]. */
function matTVec(W: Matrix, u: Vector): Vector {
  const out = new Array<number>(W[0].length).fill(0);
  for (let i = 0; i < W.length; i++) for (let j = 0; j < out.length; j++) out[j] += W[i][j] * u[i];
  return out;
}

/** u vᵀ. */
const outer = (u: Vector, v: Vector): Matrix => u.map((ui) => v.map((vj) => ui * vj));

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

function assertObject(fn: string, arg: string, v: unknown, keys: string[]): asserts v is Record<string, unknown> {
  if (!isObject(v)) throw new ArgumentError(fn, arg, `must be an object with keys {${keys.join(', ')}}; got ${Array.isArray(v) ? 'an array' : String(v)}`);
  const missing = keys.find((k) => !(k in v));
  if (missing) throw new ArgumentError(fn, arg, `must have the key '${missing}'`);
}

const dims = (M: Matrix): string => `${M.length}×${M[0].length}`;

/** W1 [m × n], W2 [p × m], Ws [p × n] or null with p = n: the shapes of R1, each mismatch naming both shapes. */
function assertResidualWeights(fn: string, prefix: string, n: number, W1: unknown, W2: unknown, Ws: unknown): void {
  assertMatrix(fn, `${prefix}W1`, W1);
  if (W1[0].length !== n) throw new ArgumentError(fn, `${prefix}W1`, `must have ${n} columns (the length of x); got W1 ${dims(W1)} for x of length ${n}`);
  assertMatrix(fn, `${prefix}W2`, W2);
  if (W2[0].length !== W1.length) throw new ArgumentError(fn, `${prefix}W2`, `must have ${W1.length} columns (the rows of W1); got W2 ${dims(W2)} after W1 ${dims(W1)}`);
  if (Ws === null) {
    if (W2.length !== n) {
      throw new ArgumentError(fn, `${prefix}W2`, `must have ${n} rows (the length of x) for the identity shortcut F(x) + x; got W2 ${dims(W2)} for x of length ${n}: pass a projection Ws [${W2.length}×${n}]`);
    }
    return;
  }
  assertMatrix(fn, `${prefix}Ws`, Ws);
  if (Ws.length !== W2.length || Ws[0].length !== n) throw new ArgumentError(fn, `${prefix}Ws`, `must be ${W2.length}×${n} (rows of W2 × length of x); got Ws ${dims(Ws)}`);
}

// ---------------------------------------------------------------------------------------------
// R1 — residual block

/**
 * R1 — the two-layer residual block of [Jung] "ResNet — Identity Mapping by Shortcuts":
 *   a1 = W1 x,  F(x) = W2 σ(a1),  a2 = F(x) + shortcut,  out = σ(a2),
 * shortcut = x (identity; needs p = n) or W_s x (projection, "when input-output dimension is not
 * same"); σ = ReLU, and the second ReLU comes AFTER the addition ("We adopt second nonlinearity
 * after element-wise addition"). No biases, as in the slide's equation.
 */
export function residualForward(x: Vector, W1: Matrix, W2: Matrix, Ws: Matrix | null): { out: Vector; cache: ResidualCache } {
  const fn = 'residualForward';
  assertVector(fn, 'x', x);
  if (Ws === undefined) throw new ArgumentError(fn, 'Ws', 'must be a matrix or null (identity shortcut); got undefined');
  assertResidualWeights(fn, '', x.length, W1, W2, Ws);
  const a1 = matVec(W1, x);
  const F = matVec(W2, a1.map(relu));
  const shortcut = Ws === null ? x : matVec(Ws, x);
  const a2 = F.map((v, i) => v + shortcut[i]);
  return { out: a2.map(relu), cache: { x, W1, W2, Ws, a1, a2 } };
}

/**
 * R1 — residual block backward, with δ2 = dout ⊙ σ'(a2) (the gradient entering the addition):
 *   ∂L/∂W2 = δ2 σ(a1)ᵀ,  δ1 = (W2ᵀ δ2) ⊙ σ'(a1),  ∂L/∂W1 = δ1 xᵀ,
 *   ∂L/∂x = W1ᵀ δ1 + δ2 (identity) or W1ᵀ δ1 + W_sᵀ δ2 (projection),  ∂L/∂W_s = δ2 xᵀ (null without W_s).
 * The shortcut adds δ2 itself to ∂L/∂x: ∂y/∂x = I + ∂F/∂x on the unclipped outputs (catalogue R1).
 * The derivative of [Jung] "ResNet — Identity Mapping by Shortcuts", with the δ's of [Tu]
 * "Error backpropagation (2/3)".
 */
export function residualBackward(dout: Vector, cache: ResidualCache): { dx: Vector; dW1: Matrix; dW2: Matrix; dWs: Matrix | null } {
  const fn = 'residualBackward';
  assertObject(fn, 'cache', cache, ['x', 'W1', 'W2', 'Ws', 'a1', 'a2']);
  const { x, W1, W2, Ws, a1, a2 } = cache;
  assertVector(fn, 'cache.x', x);
  assertResidualWeights(fn, 'cache.', x.length, W1, W2, Ws);
  assertVector(fn, 'cache.a1', a1, W1.length);
  assertVector(fn, 'cache.a2', a2, W2.length);
  assertVector(fn, 'dout', dout, W2.length);

  const delta2 = dout.map((d, i) => d * reluMask(a2[i]));
  const dW2 = outer(delta2, a1.map(relu));
  const delta1 = matTVec(W2, delta2).map((d, j) => d * reluMask(a1[j]));
  const dW1 = outer(delta1, x);
  const throughShortcut = Ws === null ? delta2 : matTVec(Ws, delta2);
  const dx = matTVec(W1, delta1).map((d, i) => d + throughShortcut[i]);
  return { dx, dW1, dW2, dWs: Ws === null ? null : outer(delta2, x) };
}

// ---------------------------------------------------------------------------------------------
// R2 — stochastic depth

function assertDepth(fn: string, L: unknown, pL: unknown): void {
  assertInteger(fn, 'L', L, 1);
  assertInRange(fn, 'pL', pL, 0, 1);
}

/**
 * R2 — the linear decay rule of [Jung] "Stochastic Depth": p_ℓ = 1 − (ℓ/L)(1 − p_L) for the
 * blocks ℓ = 1 … L (p_0 = 1 is the input, always kept; p_L is the last block's).
 */
export function survivalProbabilities(L: number, pL: number): Vector {
  assertDepth('survivalProbabilities', L, pL);
  return Array.from({ length: L }, (_, i) => 1 - ((i + 1) / L) * (1 - pL));
}

/**
 * R2 — the expected number of blocks kept in training, E[L̃] = Σ_{ℓ=1}^{L} p_ℓ
 * = L − (1 − p_L)(L + 1)/2 under the linear rule (Huang et al. 2016: L = 54, p_L = ½ → 40.25).
 */
export function expectedDepth(L: number, pL: number): number {
  assertDepth('expectedDepth', L, pL);
  let sum = 0;
  for (let l = 1; l <= L; l++) sum += 1 - (l / L) * (1 - pL);
  return sum;
}

/**
 * R2 — one stochastic-depth block ([Jung] "Stochastic Depth"), from its input H = H_{ℓ−1} and
 * its residual branch's output f = f_ℓ(H_{ℓ−1}):
 *   train: H_ℓ = ReLU(b_ℓ f + H), b_ℓ ∈ {0, 1} (b_ℓ = 0: the block is the identity, then ReLU);
 *   test:  H_ℓ = ReLU(p_ℓ f + H), the branch scaled by its survival probability (b is ignored).
 * In train mode p is ignored; both are validated.
 */
export function stochasticDepthBlock(H: Vector, f: Vector, mode: 'train' | 'test', b: 0 | 1, p: number): Vector {
  const fn = 'stochasticDepthBlock';
  assertVector(fn, 'H', H);
  assertVector(fn, 'f', f);
  if (f.length !== H.length) throw new ArgumentError(fn, 'f', `must have the length of H (${H.length}); got length ${f.length}`);
  if (mode !== 'train' && mode !== 'test') throw new ArgumentError(fn, 'mode', `must be 'train' or 'test'; got ${JSON.stringify(mode)}`);
  if (b !== 0 && b !== 1) throw new ArgumentError(fn, 'b', `must be 0 or 1 (a Bernoulli gate); got ${String(b)}`);
  assertInRange(fn, 'p', p, 0, 1);
  const gate = mode === 'train' ? b : p;
  return H.map((h, i) => relu(gate * f[i] + h));
}

// ---------------------------------------------------------------------------------------------
// R3 — dense block

/**
 * R3 — channel growth in a dense block ([Training] "DenseNet"; Huang et al. 2017 §3: "the ℓth
 * layer has k0 + k × (ℓ − 1) input feature-maps"): layer ℓ (1-based) reads the block input
 * (k0 channels) and the k channels of each of the ℓ − 1 layers before it. The block's output
 * after L layers has k0 + kL channels = denseBlockChannels(k0, k, L + 1).
 */
export function denseBlockChannels(k0: number, k: number, l: number): number {
  assertInteger('denseBlockChannels', 'k0', k0, 1);
  assertInteger('denseBlockChannels', 'k', k, 1);
  assertInteger('denseBlockChannels', 'l', l, 1);
  return k0 + k * (l - 1);
}

// ---------------------------------------------------------------------------------------------
// R4 — squeeze-and-excitation

function assertSEWeights(fn: string, prefix: string, C: number, W1: unknown, W2: unknown): void {
  assertMatrix(fn, `${prefix}W1`, W1);
  if (W1[0].length !== C) throw new ArgumentError(fn, `${prefix}W1`, `must have ${C} columns (the channels of x); got W1 ${dims(W1)} for ${C} channels`);
  assertMatrix(fn, `${prefix}W2`, W2);
  if (W2.length !== C || W2[0].length !== W1.length) throw new ArgumentError(fn, `${prefix}W2`, `must be ${C}×${W1.length} (channels × rows of W1); got W2 ${dims(W2)} after W1 ${dims(W1)}`);
}

/**
 * R4 — squeeze-and-excitation ([Training] "SENet"; Hu et al. 2018 Eq. 2–4):
 *   squeeze  z_c = (1/(H·W)) Σ_{i,j} x_c(i, j)        (global average pooling)
 *   excite   s = σ(W2 δ(W1 z)),  W1 [C/r × C], W2 [C × C/r], δ = ReLU, σ = sigmoid (no biases)
 *   scale    out_c = s_c · x_c.
 */
export function squeezeExcitation(x: Image, W1: Matrix, W2: Matrix): { out: Image; cache: SECache } {
  const fn = 'squeezeExcitation';
  assertImage(fn, 'x', x);
  assertSEWeights(fn, '', x.length, W1, W2);
  const HW = x[0].length * x[0][0].length;
  const z = x.map((ch) => ch.reduce((s, row) => row.reduce((t, v) => t + v, s), 0) / HW);
  const a = matVec(W1, z);
  const s = matVec(W2, a.map(relu)).map(sigmoid);
  const out = x.map((ch, c) => ch.map((row) => row.map((v) => s[c] * v)));
  return { out, cache: { x, W1, W2, z, a, s } };
}

/**
 * R4 — squeeze-and-excitation backward. With g_c = Σ_{i,j} dout_c x_c (the gradient reaching s_c):
 *   δs = g ⊙ s ⊙ (1 − s),  ∂L/∂W2 = δs δ(a)ᵀ,  δa = (W2ᵀ δs) ⊙ δ'(a),  ∂L/∂W1 = δa zᵀ,
 *   ∂L/∂x_c = s_c dout_c + (W1ᵀ δa)_c / (H·W)   (the direct path, and the path through z_c).
 * The derivative of [Training] "SENet — Squeeze-and-Excitation Network" (Hu et al. 2018 Eq. 2–4),
 * its squeeze being [Training] "Global Average Pooling"; δ's as in [Tu] "Error backpropagation (2/3)".
 */
export function squeezeExcitationBackward(dout: Image, cache: SECache): { dx: Image; dW1: Matrix; dW2: Matrix } {
  const fn = 'squeezeExcitationBackward';
  assertObject(fn, 'cache', cache, ['x', 'W1', 'W2', 'z', 'a', 's']);
  const { x, W1, W2, z, a, s } = cache;
  assertImage(fn, 'cache.x', x);
  const [C, H, W] = [x.length, x[0].length, x[0][0].length];
  assertSEWeights(fn, 'cache.', C, W1, W2);
  assertVector(fn, 'cache.z', z, C);
  assertVector(fn, 'cache.a', a, W1.length);
  assertVector(fn, 'cache.s', s, C);
  assertImage(fn, 'dout', dout, [C, H, W]);

  const g = x.map((ch, c) => ch.reduce((acc, row, i) => row.reduce((t, v, j) => t + v * dout[c][i][j], acc), 0));
  const deltaS = g.map((gc, c) => gc * s[c] * (1 - s[c]));
  const dW2 = outer(deltaS, a.map(relu));
  const deltaA = matTVec(W2, deltaS).map((d, q) => d * reluMask(a[q]));
  const dW1 = outer(deltaA, z);
  const dz = matTVec(W1, deltaA);
  const dx = dout.map((ch, c) => ch.map((row) => row.map((d) => s[c] * d + dz[c] / (H * W))));
  return { dx, dW1, dW2 };
}

// ---------------------------------------------------------------------------------------------
// R5 — inception module

function assertBranches(fn: string, branches: unknown): asserts branches is InceptionBranch[] {
  if (!Array.isArray(branches) || branches.length === 0) throw new ArgumentError(fn, 'branches', `must be a non-empty array of branches; got ${JSON.stringify(branches)}`);
  branches.forEach((br: unknown, i) => {
    const arg = `branches[${i}]`;
    if (!isObject(br)) throw new ArgumentError(fn, arg, `must be a branch object; got ${String(br)}`);
    assertInteger(fn, `${arg}.size`, br.size, 1);
    if (br.type === 'conv') {
      assertInteger(fn, `${arg}.filters`, br.filters, 1);
      if (br.reduce !== undefined) assertInteger(fn, `${arg}.reduce`, br.reduce, 1);
    } else if (br.type === 'pool') {
      if (br.project !== undefined) assertInteger(fn, `${arg}.project`, br.project, 1);
    } else {
      throw new ArgumentError(fn, `${arg}.type`, `must be 'conv' or 'pool'; got ${JSON.stringify(br.type)}`);
    }
  });
}

/** The depth one branch adds to the concatenation. */
const branchDepth = (C: number, br: InceptionBranch): number => (br.type === 'conv' ? br.filters : (br.project ?? C));

/**
 * R5 — the depth of an inception module's output ([Oh] "Naive Inception module": "Q: What are
 * the output size of filter concatenation?"): every branch keeps H × W ('same' padding, stride 1)
 * and the concatenation stacks their depths: Σ filters over conv branches, plus C for a max-pool
 * branch (pooling keeps the depth) or its 1×1 projection's depth. The naive module's depth
 * "grow[s] at every layer" because of the pool branch.
 */
export function inceptionDepth(C: number, branches: InceptionBranch[]): number {
  assertInteger('inceptionDepth', 'C', C, 1);
  assertBranches('inceptionDepth', branches);
  return branches.reduce((d, br) => d + branchDepth(C, br), 0);
}

/**
 * R5 — multiplications of an inception module on an H × W × C input ([Oh] "Naive Inception
 * module": "[Hint: Computational complexity]"; "Inception module with dimension reduction").
 * A k×k convolution from C_in to C_out channels at stride 1, 'same', costs H·W·C_out · k·k·C_in
 * multiplies (one k·k·C_in dot product per output value); a 1×1 reduction to r channels before a
 * k×k conv costs H·W·r·C and leaves that conv C_in = r; a 1×1 projection after a pool costs
 * H·W·project·C; max pooling multiplies nothing. Biases (additions) are not counted.
 */
export function inceptionMultiplies(H: number, W: number, C: number, branches: InceptionBranch[]): number {
  const fn = 'inceptionMultiplies';
  assertInteger(fn, 'H', H, 1);
  assertInteger(fn, 'W', W, 1);
  assertInteger(fn, 'C', C, 1);
  assertBranches(fn, branches);
  const conv = (k: number, cin: number, cout: number) => H * W * cout * k * k * cin;
  let total = 0;
  for (const br of branches) {
    if (br.type === 'conv') {
      const cin = br.reduce ?? C;
      if (br.reduce !== undefined) total += conv(1, C, br.reduce);
      total += conv(br.size, cin, br.filters);
    } else if (br.project !== undefined) {
      total += conv(1, C, br.project);
    }
  }
  return total;
}

// ---------------------------------------------------------------------------------------------
// R6 — block summary

/** ⌊(n + 2·pad − size)/stride⌋ + 1, an error when the window does not fit. */
function outSize(fn: string, arg: string, n: number, size: number, pad: number, stride: number): number {
  const span = n + 2 * pad - size;
  if (span < 0) throw new ArgumentError(fn, arg, `does not fit: window ${size} is larger than the padded input ${n} + 2·${pad} = ${n + 2 * pad}`);
  return Math.floor(span / stride) + 1;
}

/** An odd size (the 'same' padding (size − 1)/2 must be symmetric). */
function assertOdd(fn: string, arg: string, size: number): void {
  if (size % 2 === 0) throw new ArgumentError(fn, arg, `must be odd ('same' padding (size − 1)/2 is symmetric only for odd sizes); got ${size}`);
}

/** Weights + biases of a size×size convolution from cin to cout channels. */
const convParams = (size: number, cin: number, cout: number, bias: boolean): number => size * size * cin * cout + (bias ? cout : 0);

/**
 * R6 — a model summary of architecture blocks (see {@link Block}): per block the output shape
 * [H, W, C] and its parameter count (weights + biases), as tf.LayersModel.summary() would give
 * for the same blocks built from layers; rows[0] is the input (0 parameters).
 *   conv: ⌊(H + 2p − k)/s⌋ + 1, k²·C·F + F;  fc: (H·W·C)·units + units;  pool, gap: 0;
 *   residual: k²·C·F + F + k²·F·F + F, plus C·F + F for a projection;
 *   inception: Σ over its convolutions (reductions and projections included), depth by R5;
 *   dense: Σ_{ℓ=1}^{L} k²·(k0 + g(ℓ − 1))·g + g, depth k0 + gL (R3);  se: 2C²/r, shape unchanged.
 */
export function blockSummary(input: Shape3, blocks: Block[]): { rows: BlockRow[]; params: number } {
  const fn = 'blockSummary';
  if (!Array.isArray(input) || input.length !== 3) throw new ArgumentError(fn, 'input', `must be a shape [H, W, C]; got ${JSON.stringify(input)}`);
  input.forEach((n, i) => assertInteger(fn, `input[${i}]`, n, 1));
  if (!Array.isArray(blocks)) throw new ArgumentError(fn, 'blocks', `must be an array of blocks; got ${typeof blocks}`);
  const rows: BlockRow[] = [{ type: 'input', shape: [...input], params: 0 }];
  let [H, W, C] = input;
  blocks.forEach((block: Block, i) => {
    const arg = `blocks[${i}]`;
    if (!isObject(block)) throw new ArgumentError(fn, arg, `must be a block object; got ${String(block)}`);
    const bias = 'bias' in block ? block.bias !== false : true;
    let params = 0;
    switch (block.type) {
      case 'conv': {
        const { filters, size, stride = 1, pad = 0 } = block;
        assertInteger(fn, `${arg}.filters`, filters, 1);
        assertInteger(fn, `${arg}.size`, size, 1);
        assertInteger(fn, `${arg}.stride`, stride, 1);
        assertInteger(fn, `${arg}.pad`, pad, 0);
        [H, W] = [outSize(fn, arg, H, size, pad, stride), outSize(fn, arg, W, size, pad, stride)];
        params = convParams(size, C, filters, bias);
        C = filters;
        break;
      }
      case 'pool': {
        const { size, stride = size } = block;
        assertInteger(fn, `${arg}.size`, size, 1);
        assertInteger(fn, `${arg}.stride`, stride, 1);
        [H, W] = [outSize(fn, arg, H, size, 0, stride), outSize(fn, arg, W, size, 0, stride)];
        break;
      }
      case 'fc': {
        assertInteger(fn, `${arg}.units`, block.units, 1);
        params = H * W * C * block.units + (bias ? block.units : 0);
        [H, W, C] = [1, 1, block.units];
        break;
      }
      case 'gap':
        [H, W] = [1, 1];
        break;
      case 'residual': {
        const { filters, size = 3, stride = 1 } = block;
        assertInteger(fn, `${arg}.filters`, filters, 1);
        assertInteger(fn, `${arg}.size`, size, 1);
        assertOdd(fn, `${arg}.size`, size);
        assertInteger(fn, `${arg}.stride`, stride, 1);
        const pad = (size - 1) / 2;
        const project = block.projection === true || stride !== 1 || C !== filters;
        params = convParams(size, C, filters, bias) + convParams(size, filters, filters, bias) + (project ? convParams(1, C, filters, bias) : 0);
        [H, W, C] = [outSize(fn, arg, H, size, pad, stride), outSize(fn, arg, W, size, pad, stride), filters];
        break;
      }
      case 'inception': {
        assertBranches(fn, block.branches);
        for (const br of block.branches) {
          assertOdd(fn, `${arg}.branches.size`, br.size);
          if (br.type === 'conv') params += (br.reduce !== undefined ? convParams(1, C, br.reduce, bias) : 0) + convParams(br.size, br.reduce ?? C, br.filters, bias);
          else if (br.project !== undefined) params += convParams(1, C, br.project, bias);
        }
        C = block.branches.reduce((d, br) => d + branchDepth(C, br), 0);
        break;
      }
      case 'dense': {
        const { layers, growth, size = 3 } = block;
        assertInteger(fn, `${arg}.layers`, layers, 1);
        assertInteger(fn, `${arg}.growth`, growth, 1);
        assertInteger(fn, `${arg}.size`, size, 1);
        assertOdd(fn, `${arg}.size`, size);
        for (let l = 1; l <= layers; l++) params += convParams(size, C + growth * (l - 1), growth, bias);
        C += growth * layers;
        break;
      }
      case 'se': {
        assertInteger(fn, `${arg}.ratio`, block.ratio, 1);
        if (C % block.ratio !== 0) throw new ArgumentError(fn, `${arg}.ratio`, `must divide the channels C = ${C}; got ${block.ratio}`);
        params = 2 * C * (C / block.ratio);
        break;
      }
      default:
        throw new ArgumentError(fn, `${arg}.type`, `must be one of 'conv', 'pool', 'fc', 'gap', 'residual', 'inception', 'dense', 'se'; got ${JSON.stringify((block as { type: unknown }).type)}`);
    }
    rows.push({ type: block.type, shape: [H, W, C], params });
  });
  return { rows, params: rows.reduce((s, r) => s + r.params, 0) };
}

// ---------------------------------------------------------------------------------------------
// R7 — Network in Network

/**
 * R7 — Network-in-Network's mlpconv ([Oh] "1X1 Convolution", "network within a network"; Lin et
 * al. 2014): the same small MLP applied at every pixel, z ← ReLU(W z + b) layer after layer, with
 * z the pixel's C channel values. Each layer is a 1×1 convolution with W [C_out × C_in] followed
 * by ReLU (every layer, the last included, as in the paper's mlpconv). No layers: x unchanged.
 */
export function networkInNetwork(x: Image, layers: NiNLayer[]): Image {
  const fn = 'networkInNetwork';
  assertImage(fn, 'x', x);
  if (!Array.isArray(layers)) throw new ArgumentError(fn, 'layers', `must be an array of { W, b }; got ${typeof layers}`);
  let depth = x.length;
  layers.forEach((layer, i) => {
    assertObject(fn, `layers[${i}]`, layer, ['W', 'b']);
    assertMatrix(fn, `layers[${i}].W`, layer.W);
    if (layer.W[0].length !== depth) throw new ArgumentError(fn, `layers[${i}].W`, `must have ${depth} columns (the depth reaching it); got W ${dims(layer.W)}`);
    assertVector(fn, `layers[${i}].b`, layer.b, layer.W.length);
    depth = layer.W.length;
  });
  const [H, W] = [x[0].length, x[0][0].length];
  const out: Image = Array.from({ length: depth }, () => Array.from({ length: H }, () => new Array<number>(W).fill(0)));
  for (let i = 0; i < H; i++) {
    for (let j = 0; j < W; j++) {
      let z = x.map((ch) => ch[i][j]);
      for (const { W: Wl, b } of layers) z = matVec(Wl, z).map((v, q) => relu(v + b[q]));
      z.forEach((v, c) => (out[c][i][j] = v));
    }
  }
  return out;
}
