/**
 * R. Architectures — catalogue family R (R1–R7). Implement each function below.
 *
 * symbol    id          shape            meaning
 * x         x           [n]              block input (R1)
 * W1, W2    W1, W2      [m, n], [p, m]   the two weight layers of the residual branch F = W2 σ(W1 x)
 * W_s       Ws          [p, n] | null    projection shortcut (null: identity shortcut, p = n)
 * σ         relu        —                ReLU
 * H, f      H, f        [n]              stochastic depth: block input H_{ℓ−1} and branch output f_ℓ(H_{ℓ−1})
 * b, p      b, p        0|1, number      Bernoulli gate (train) and survival probability (test)
 * L, p_L    L, pL       integer, number  number of blocks, survival probability of the last one
 * k0, k, ℓ  k0, k, l    integers         dense block: input channels, growth rate, layer (1-based)
 * z, s      z, s        [C]              SE: channel means (squeeze) and channel weights (excitation)
 * dout      dout        like out         upstream gradient ∂L/∂out
 *
 * Conventions the grader holds you to:
 * - every function returns new values and leaves its arguments unchanged: a call that writes into
 *   one fails its check (even when it puts the value back by arithmetic: x + h − h is not always x);
 * - images are C×H×W; R6 shapes are [H, W, C] as the notes print them;
 * - ReLU's derivative at exactly 0 is 0 (catalogue A3);
 * - the residual block's second ReLU comes AFTER the addition: out = ReLU(W2 ReLU(W1 x) + shortcut);
 * - the residual and SE blocks have no biases (the slides' and papers' equations have none);
 * - a forward pass returns its cache with exactly the fields of the cache type below (the grader
 *   also calls your backward with caches it built to that contract);
 * - output sizes use floor: ⌊(H + 2·pad − size)/stride⌋ + 1;
 * - throw an Error for invalid input (shapes that do not fit together, b not 0/1, p outside [0, 1])
 *   whose message names the function, e.g. new ArgumentError('residualForward', 'W2', '…') from
 *   tensor.ts: a crash such as a TypeError is not a check of the arguments and earns nothing.
 * Check your backward passes with gradcheck.ts (S1–S4) before you submit.
 */
import { NotImplemented } from './not-implemented.ts';
import type { Image, Matrix, Vector } from './tensor.ts';

export type Shape3 = [H: number, W: number, C: number];

/** The cache of residualForward: the input, the weights and the pre-activations of both ReLUs. */
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

/** The cache of squeezeExcitation. */
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
 * One branch of an inception module, stride 1 with 'same' padding: a size×size conv to `filters`
 * channels, optionally after a 1×1 reduction to `reduce` channels; or a size×size max pool (depth
 * unchanged), optionally followed by a 1×1 projection to `project` channels.
 */
export type InceptionBranch =
  | { type: 'conv'; size: number; filters: number; reduce?: number }
  | { type: 'pool'; size: number; project?: number };

/**
 * One block of an architecture (R6). conv: symmetric zero padding `pad` (default 0), stride
 * (default 1). residual and dense: `size` defaults to 3 (3×3 convs), a residual's stride to 1.
 * residual: conv(size, filters, stride, 'same') → ReLU → conv(size, filters, 1,
 * 'same') + shortcut → ReLU, shortcut identity when stride = 1 and C = filters, else (or when
 * `projection: true`) a 1×1 conv at `stride`. inception: the branches concatenated. dense:
 * `layers` 'same' convs, layer ℓ reading k0 + growth·(ℓ − 1) channels. se: W1 [C/ratio × C] and
 * W2 [C × C/ratio], no biases. gap: global average pooling to [1, 1, C]. fc flattens. pool: max
 * pool without padding, stride defaults to size. 'same' = padding (size − 1)/2, odd sizes only.
 * `bias` (default true) applies to every conv and fc inside the block.
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

/**
 * R1 — residual block: a1 = W1 x, a2 = W2 ReLU(a1) + shortcut, out = ReLU(a2), with
 * shortcut = x when Ws is null (then W2 must have as many rows as x has entries) and Ws x otherwise.
 * Return the cache { x, W1, W2, Ws, a1, a2 }.
 */
export function residualForward(x: Vector, W1: Matrix, W2: Matrix, Ws: Matrix | null): { out: Vector; cache: ResidualCache } {
  throw new NotImplemented('R1 residualForward');
}

/** R1 — residual block backward: ∂L/∂x, ∂L/∂W1, ∂L/∂W2 and ∂L/∂Ws (null for the identity shortcut). */
export function residualBackward(dout: Vector, cache: ResidualCache): { dx: Vector; dW1: Matrix; dW2: Matrix; dWs: Matrix | null } {
  throw new NotImplemented('R1 residualBackward');
}

/** R2 — [p_1, …, p_L] with p_ℓ = 1 − (ℓ/L)(1 − p_L). */
export function survivalProbabilities(L: number, pL: number): Vector {
  throw new NotImplemented('R2 survivalProbabilities');
}

/** R2 — the expected number of blocks kept in training, Σ_{ℓ=1}^{L} p_ℓ. */
export function expectedDepth(L: number, pL: number): number {
  throw new NotImplemented('R2 expectedDepth');
}

/** R2 — train: ReLU(b·f + H); test: ReLU(p·f + H). */
export function stochasticDepthBlock(H: Vector, f: Vector, mode: 'train' | 'test', b: 0 | 1, p: number): Vector {
  throw new NotImplemented('R2 stochasticDepthBlock');
}

/** R3 — the number of input channels of layer ℓ of a dense block: k0 + k(ℓ − 1). */
export function denseBlockChannels(k0: number, k: number, l: number): number {
  throw new NotImplemented('R3 denseBlockChannels');
}

/**
 * R4 — squeeze-and-excitation: z_c = mean of channel c, s = sigmoid(W2 ReLU(W1 z)),
 * out_c = s_c·x_c. Return the cache { x, W1, W2, z, a: W1 z, s }.
 */
export function squeezeExcitation(x: Image, W1: Matrix, W2: Matrix): { out: Image; cache: SECache } {
  throw new NotImplemented('R4 squeezeExcitation');
}

/** R4 — squeeze-and-excitation backward: ∂L/∂x (both paths: direct and through z), ∂L/∂W1, ∂L/∂W2. */
export function squeezeExcitationBackward(dout: Image, cache: SECache): { dx: Image; dW1: Matrix; dW2: Matrix } {
  throw new NotImplemented('R4 squeezeExcitationBackward');
}

/** R5 — the depth of the concatenated output of an inception module on a C-channel input. */
export function inceptionDepth(C: number, branches: InceptionBranch[]): number {
  throw new NotImplemented('R5 inceptionDepth');
}

/**
 * R5 — multiplications of an inception module on an H×W×C input: H·W·C_out·k·k·C_in per k×k
 * conv (reductions and projections are 1×1 convs; pooling costs nothing).
 */
export function inceptionMultiplies(H: number, W: number, C: number, branches: InceptionBranch[]): number {
  throw new NotImplemented('R5 inceptionMultiplies');
}

/** R6 — per block the output shape [H, W, C] and parameter count; rows[0] is the input; params is the total. */
export function blockSummary(input: Shape3, blocks: Block[]): { rows: BlockRow[]; params: number } {
  throw new NotImplemented('R6 blockSummary');
}

/** R7 — Network in Network: at every pixel z ← ReLU(W z + b) for each layer in turn (stacked 1×1 convs). */
export function networkInNetwork(x: Image, layers: NiNLayer[]): Image {
  throw new NotImplemented('R7 networkInNetwork');
}
