/**
 * Q. Visualisation and style — catalogue family Q (Q1–Q8): the Gram matrix, the content, style and
 * total losses of neural style transfer with their gradients, feature inversion with the
 * total-variation regulariser, one class-visualisation gradient-ascent step, the DeepDream
 * objective and the class activation map.
 *
 * Deck: [Training] "Neural Texture Synthesis: Gram Matrix" (G = Σ_i x_i x_iᵀ, G^l_ij = Σ_k F^l_ik F^l_jk),
 * "Neural Texture Synthesis" (E_l = 1/(N_l²M_l²) Σ (G − Ĝ)²), "Content Loss Function"
 * (L_content = ½ Σ (F − P)²), "Style Loss Function" (E_l = 1/(4N_l²M_l²) Σ (G − A)², L_style =
 * Σ w_l E_l), "The Total Loss Function" (L_total = α L_content + β L_style), "Feature Inversion"
 * (‖Φ(I) − Φ0‖² + λ R_β(I)), "Gradient Ascent" (I* = argmax S_c(I) − λ‖I‖², I ← I + ∂S_c/∂I),
 * "Deep Dream: Amplify Features" / "DeepDream" (I* = argmax Σ f_i(I)²; "Set gradient of chosen
 * layer equal to its activation") and "Class Activation Map (CAM)". Erratum 6 of the catalogue
 * (fixtures/visualization.fixtures.ts): the two style normalisations differ by a factor 4, and
 * the DeepDream gradient "= activation" is that of ½Σf², not of the Σf² the slide maximises.
 *
 * symbol      id       shape       meaning
 * F^l         F        [N, M]      features of layer l: N filters (rows) × M = H·W positions (columns)
 * G^l         G        [N, N]      Gram matrix F Fᵀ of the generated image
 * A^l         A        [N, N]      Gram matrix of the style image (the notes' A, or Ĝ for textures)
 * P^l         P        [N, M]      features of the content image
 * E_l         —        number      style loss of layer l
 * w_l, α, β   w, alpha, beta       layer weights, content and style weights
 * x, I        x, I     [H, W]      a (grey-level) image
 * Φ           Phi      [d, H·W]    a linear representation Φ(x) = Phi · vec(x), vec row-major
 * R_β         —        number      total-variation regulariser
 * f           f        [n]         activations of the chosen layer (DeepDream)
 * f_{h,w,k}   f        [K, H, W]   CAM: last conv features, channel k first (the deck writes H×W×K)
 * w_{k,c}     w        [K, C]      CAM: weights of the fully connected layer after global average pooling
 * M_c         —        [H, W]      class activation map of class c
 * S           —        [C]         class scores S_c = Σ_k w_{k,c} F_k, F_k = (1/HW) Σ_{h,w} f_{h,w,k}
 *
 * Conventions:
 * - Losses return { loss, d… }: the value and its gradient side by side (the notes optimise each).
 * - Style normalisation (Q3): options.normalization 'transfer' (default, [Training] "Style Loss
 *   Function": 1/(4N²M²)) or 'texture' ([Training] "Neural Texture Synthesis": 1/(N²M²)).
 * - TV regulariser (Q5): the last column has no right neighbour and the last row no neighbour
 *   below; a missing neighbour contributes the difference 0 (as if the image repeated its last
 *   row and column), so every one of the H·W positions has a term, and the bottom-right one is 0.
 *   For β < 2 a term whose two differences are both 0 is not differentiable; its gradient is
 *   taken as 0 there.
 * - Class visualisation (Q6): the score's gradient ∂S_c/∂I at I is given as data (a network's
 *   backward pass computes it; functions cannot cross the grading sandbox), and the step
 *   ascends S_c(I) − λ‖I‖², whose gradient is ∂S_c/∂I − 2λI.
 * - DeepDream (Q7): options.objective 'half' (default: ½Σf², whose gradient is f, the slide's
 *   "set gradient … equal to its activation") or 'sum' (Σf², the slide's I*, gradient 2f).
 */
import { sseLoss, sseLossGrad } from './losses.ts';
import { globalAvgPool } from './pooling.ts';
import { ArgumentError, assertImage, assertInteger, assertMatrix, assertNumber, assertVector, type Image, type Matrix, type Vector } from './tensor.ts';

/** Options of styleLayerLoss (Q3) and totalLoss (Q4). */
export interface StyleOptions {
  /** 'transfer' (default): 1/(4N²M²), style transfer; 'texture': 1/(N²M²), texture synthesis */
  normalization?: 'transfer' | 'texture';
}

/** Options of deepDream (Q7). */
export interface DeepDreamOptions {
  /** 'half' (default): ½Σf², gradient f; 'sum': Σf², gradient 2f */
  objective?: 'half' | 'sum';
}

/** One style layer of the total loss: generated features F, style Gram matrix A, weight w_l. */
export interface StyleLayer {
  F: Matrix;
  A: Matrix;
  w: number;
}

// ---------------------------------------------------------------------------------------------
// helpers

const transpose = (X: Matrix): Matrix => X[0].map((_, j) => X.map((row) => row[j]));
const matMul = (X: Matrix, Y: Matrix): Matrix => X.map((row) => Y[0].map((_, j) => row.reduce((s, v, k) => s + v * Y[k][j], 0)));
const reshape = (v: Vector, H: number, W: number): Matrix => Array.from({ length: H }, (_, i) => v.slice(i * W, (i + 1) * W));

function assertSameShape(fn: string, arg: string, X: unknown, [rows, cols]: [number, number], of: string): asserts X is Matrix {
  assertMatrix(fn, arg, X);
  if (X.length !== rows || X[0].length !== cols) throw new ArgumentError(fn, arg, `must have the shape [${rows}, ${cols}] of ${of}; got [${X.length}, ${X[0].length}]`);
}

function styleOptions(fn: string, options: unknown): Required<StyleOptions> {
  if (options === undefined) return { normalization: 'transfer' };
  if (options === null || typeof options !== 'object' || Array.isArray(options)) throw new ArgumentError(fn, 'options', `must be an object; got ${options === null ? 'null' : typeof options}`);
  const { normalization = 'transfer' } = options as StyleOptions;
  if (normalization !== 'transfer' && normalization !== 'texture') throw new ArgumentError(fn, 'options.normalization', `must be 'transfer' or 'texture'; got ${JSON.stringify(normalization)}`);
  return { normalization };
}

function assertBeta(fn: string, beta: unknown): asserts beta is number {
  assertNumber(fn, 'beta', beta);
  if (beta < 1) throw new ArgumentError(fn, 'beta', `must be ≥ 1 (R_β is a sum of norms to the power β); got ${beta}`);
}

// ---------------------------------------------------------------------------------------------
// Q1 — Gram matrix

/**
 * Q1 — Gram matrix G_ij = Σ_k F_ik F_jk, i.e. G = F Fᵀ (N × N) for F of N filters × M positions
 * ([Training] "Neural Texture Synthesis: Gram Matrix": G = Σ_{i=1}^{HW} x_i x_iᵀ, x_i the
 * C-vector of features at position i, i.e. column i of F). Symmetric positive semi-definite.
 */
export function gramMatrix(F: Matrix): Matrix {
  assertMatrix('gramMatrix', 'F', F);
  return matMul(F, transpose(F));
}

// ---------------------------------------------------------------------------------------------
// Q2 — content loss

/**
 * Q2 — content loss L_content = ½ Σ_ij (F_ij − P_ij)², and ∂L/∂F = F − P ([Training] "Content
 * Loss Function"; the same ½-sum of squares as B1's sseLoss, on the flattened features).
 */
export function contentLoss(F: Matrix, P: Matrix): { loss: number; dF: Matrix } {
  assertMatrix('contentLoss', 'F', F);
  assertSameShape('contentLoss', 'P', P, [F.length, F[0].length], 'F');
  const M = F[0].length;
  return { loss: sseLoss(F.flat(), P.flat()), dF: reshape(sseLossGrad(F.flat(), P.flat()), F.length, M) };
}

// ---------------------------------------------------------------------------------------------
// Q3 — style layer loss

/**
 * Q3 — style loss of one layer E_l = c Σ_ij (G_ij − A_ij)² with G = F Fᵀ and
 * c = 1/(4N²M²) ('transfer', [Training] "Style Loss Function") or 1/(N²M²) ('texture',
 * [Training] "Neural Texture Synthesis"): erratum 6. Gradient: ∂E/∂G = 2c(G − A), and through
 * G = F Fᵀ, ∂E/∂F = 2c((G − A) + (G − A)ᵀ) F, which is 4c(G − A)F for a symmetric A
 * (Gatys et al.: (1/(N²M²)) (G − A) F for 'transfer').
 */
export function styleLayerLoss(F: Matrix, A: Matrix, options?: StyleOptions): { loss: number; dF: Matrix } {
  const fn = 'styleLayerLoss';
  assertMatrix(fn, 'F', F);
  const [N, M] = [F.length, F[0].length];
  assertSameShape(fn, 'A', A, [N, N], 'the Gram matrix of F (N × N)');
  const { normalization } = styleOptions(fn, options);
  const c = (normalization === 'transfer' ? 1 / 4 : 1) / (N * N * M * M);
  const G = gramMatrix(F);
  const D = G.map((row, i) => row.map((g, j) => g - A[i][j]));
  const loss = c * D.flat().reduce((s, d) => s + d * d, 0);
  const S = D.map((row, i) => row.map((d, j) => 2 * c * (d + D[j][i])));
  return { loss, dF: matMul(S, F) };
}

// ---------------------------------------------------------------------------------------------
// Q4 — total loss

/**
 * Q4 — total loss L_total = α L_content + β L_style with L_style = Σ_l w_l E_l ([Training] "Style
 * Loss Function" and "The Total Loss Function"). The content layer and each style layer are
 * separate inputs; the gradients are dContent = α (F − P) and dStyle[l] = β w_l ∂E_l/∂F^l.
 */
export function totalLoss(
  content: { F: Matrix; P: Matrix },
  style: StyleLayer[],
  alpha: number,
  beta: number,
  options?: StyleOptions,
): { loss: number; dContent: Matrix; dStyle: Matrix[] } {
  const fn = 'totalLoss';
  if (content === null || typeof content !== 'object') throw new ArgumentError(fn, 'content', `must be { F, P }; got ${String(content)}`);
  if (!Array.isArray(style)) throw new ArgumentError(fn, 'style', `must be an array of { F, A, w }; got ${style === null ? 'null' : typeof style}`);
  assertNumber(fn, 'alpha', alpha);
  assertNumber(fn, 'beta', beta);
  styleOptions(fn, options);
  style.forEach((layer, l) => {
    if (layer === null || typeof layer !== 'object') throw new ArgumentError(fn, `style[${l}]`, `must be { F, A, w }; got ${String(layer)}`);
    assertNumber(fn, `style[${l}].w`, layer.w);
  });
  const c = contentLoss(content.F, content.P);
  const layers = style.map((layer) => styleLayerLoss(layer.F, layer.A, options));
  const styleLoss = layers.reduce((s, e, l) => s + style[l].w * e.loss, 0);
  return {
    loss: alpha * c.loss + beta * styleLoss,
    dContent: c.dF.map((row) => row.map((v) => alpha * v)),
    dStyle: layers.map((e, l) => e.dF.map((row) => row.map((v) => beta * style[l].w * v))),
  };
}

// ---------------------------------------------------------------------------------------------
// Q5 — feature inversion with the total-variation regulariser

/**
 * Q5 — total-variation regulariser R_β(x) = Σ_ij ((x_{i,j+1} − x_ij)² + (x_{i+1,j} − x_ij)²)^{β/2}
 * ([Training] "Feature Inversion"), a missing neighbour (last column, last row) giving the
 * difference 0. With s_ij the inner sum and g_ij = (β/2) s_ij^{β/2 − 1}, ∂R/∂x_{i,j+1} gets
 * 2 g_ij a_ij, ∂R/∂x_{i+1,j} gets 2 g_ij b_ij and ∂R/∂x_ij gets −2 g_ij (a_ij + b_ij), a and b the
 * horizontal and vertical differences (g_ij = 0 where s_ij = 0 and β < 2).
 */
export function tvRegularizer(x: Matrix, beta: number): { loss: number; dx: Matrix } {
  const fn = 'tvRegularizer';
  assertMatrix(fn, 'x', x);
  assertBeta(fn, beta);
  const [H, W] = [x.length, x[0].length];
  const dx = x.map((row) => row.map(() => 0));
  let loss = 0;
  for (let i = 0; i < H; i++) {
    for (let j = 0; j < W; j++) {
      const a = j + 1 < W ? x[i][j + 1] - x[i][j] : 0;
      const b = i + 1 < H ? x[i + 1][j] - x[i][j] : 0;
      const s = a * a + b * b;
      loss += s ** (beta / 2);
      const g = s === 0 ? 0 : (beta / 2) * s ** (beta / 2 - 1); // at s = 0 both differences are 0: no contribution
      if (j + 1 < W) dx[i][j + 1] += 2 * g * a;
      if (i + 1 < H) dx[i + 1][j] += 2 * g * b;
      dx[i][j] -= 2 * g * (a + b);
    }
  }
  return { loss, dx };
}

/**
 * Q5 — feature inversion objective ‖Φ(x) − Φ0‖² + λ R_β(x) for a linear representation
 * Φ(x) = Phi · vec(x) (vec row-major), and its gradient 2 Phiᵀ(Φ(x) − Φ0) + λ ∇R_β
 * ([Training] "Feature Inversion": x* = argmin l(Φ(x), Φ0) + λR(x), l = ‖Φ(x) − Φ0‖²).
 */
export function featureInversion(x: Matrix, Phi: Matrix, phi0: Vector, lambda: number, beta: number): { loss: number; dx: Matrix } {
  const fn = 'featureInversion';
  assertMatrix(fn, 'x', x);
  const [H, W] = [x.length, x[0].length];
  assertMatrix(fn, 'Phi', Phi, undefined, H * W);
  assertVector(fn, 'phi0', phi0, Phi.length);
  assertNumber(fn, 'lambda', lambda);
  assertBeta(fn, beta);
  const v = x.flat();
  const r = Phi.map((row, k) => row.reduce((s, p, i) => s + p * v[i], 0) - phi0[k]);
  const tv = tvRegularizer(x, beta);
  const dv = v.map((_, i) => 2 * r.reduce((s, rk, k) => s + Phi[k][i] * rk, 0));
  return {
    loss: r.reduce((s, rk) => s + rk * rk, 0) + lambda * tv.loss,
    dx: reshape(dv, H, W).map((row, i) => row.map((d, j) => d + lambda * tv.dx[i][j])),
  };
}

// ---------------------------------------------------------------------------------------------
// Q6 — class visualisation

/**
 * Q6 — one gradient-ascent step on S_c(I) − λ‖I‖²: I ← I + η (∂S_c/∂I − 2λI) ([Training]
 * "Gradient Ascent": I* = argmax_I S_c(I) − λ‖I‖², "Update image as I ← I + ∂S_c(I)/∂I", the
 * slide's step leaving out η and the regulariser's −2λI). dScore = ∂S_c/∂I at I, as data.
 */
export function classVisualizationStep(I: Matrix, dScore: Matrix, eta: number, lambda: number): Matrix {
  const fn = 'classVisualizationStep';
  assertMatrix(fn, 'I', I);
  assertSameShape(fn, 'dScore', dScore, [I.length, I[0].length], 'I');
  assertNumber(fn, 'eta', eta);
  assertNumber(fn, 'lambda', lambda);
  return I.map((row, i) => row.map((v, j) => v + eta * (dScore[i][j] - 2 * lambda * v)));
}

// ---------------------------------------------------------------------------------------------
// Q7 — DeepDream

/**
 * Q7 — DeepDream objective and its gradient with respect to the layer's activations f:
 * 'half' (default) ½Σ f_i², gradient f — the slide's "Set gradient of chosen layer equal to its
 * activation"; 'sum' Σ f_i², gradient 2f — the slide's I* = argmax Σ_i f_i(I)² (erratum 6).
 */
export function deepDream(f: Vector, options?: DeepDreamOptions): { objective: number; grad: Vector } {
  const fn = 'deepDream';
  assertVector(fn, 'f', f);
  if (options !== undefined && (options === null || typeof options !== 'object' || Array.isArray(options))) throw new ArgumentError(fn, 'options', `must be an object; got ${options === null ? 'null' : typeof options}`);
  const objective = options?.objective ?? 'half';
  if (objective !== 'half' && objective !== 'sum') throw new ArgumentError(fn, 'options.objective', `must be 'half' or 'sum'; got ${JSON.stringify(objective)}`);
  const k = objective === 'half' ? 0.5 : 1;
  return { objective: k * f.reduce((s, v) => s + v * v, 0), grad: f.map((v) => 2 * k * v) };
}

// ---------------------------------------------------------------------------------------------
// Q8 — class activation map

function assertCam(fn: string, f: unknown, w: unknown): asserts f is Image {
  assertImage(fn, 'f', f);
  assertMatrix(fn, 'w', w);
  if (w.length !== f.length) throw new ArgumentError(fn, 'w', `must have one row per channel of f (K = ${f.length}); got ${w.length} rows`);
}

/**
 * Q8 — class activation map M_c(h, w) = Σ_k w_{k,c} f_{h,w,k} ([Training] "Class Activation Map
 * (CAM)": M_{c,h,w} = Σ_k w_{k,c} f_{h,w,k}); f is [K, H, W] here, w is [K, C].
 */
export function classActivationMap(f: Image, w: Matrix, c: number): Matrix {
  const fn = 'classActivationMap';
  assertCam(fn, f, w);
  assertInteger(fn, 'c', c, 0);
  if (c >= w[0].length) throw new ArgumentError(fn, 'c', `must be a class index < C = ${w[0].length}; got ${c}`);
  return f[0].map((row, h) => row.map((_, x) => f.reduce((s, fk, k) => s + w[k][c] * fk[h][x], 0)));
}

/**
 * Q8 — class scores S_c = Σ_k w_{k,c} F_k after global average pooling F_k = (1/HW) Σ_{h,w} f_{h,w,k}
 * (K3's globalAvgPool); equal to (1/HW) Σ_{h,w} M_c(h, w) ([Training] "Class Activation Map (CAM)").
 */
export function classScores(f: Image, w: Matrix): Vector {
  assertCam('classScores', f, w);
  const F = globalAvgPool(f);
  return w[0].map((_, c) => F.reduce((s, Fk, k) => s + w[k][c] * Fk, 0));
}
