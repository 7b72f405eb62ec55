/**
 * Q. Visualisation and style — catalogue family Q (Q1–Q8). Implement each function below.
 *
 * symbol      id       shape       meaning
 * F           F        [N, M]      features of a layer: N filters (rows) × M = H·W positions (columns)
 * G           —        [N, N]      Gram matrix of F
 * A           A        [N, N]      Gram matrix of the style image
 * P           P        [N, M]      features of the content image
 * x, I        x, I     [H, W]      a grey-level image
 * Phi         Phi      [d, H·W]    a linear representation Φ(x) = Phi · vec(x), vec(x) row by row
 * f           f        [n]         DeepDream: the activations of the chosen layer
 * f           f        [K, H, W]   CAM: the last convolutional features, channel k first
 * w           w        [K, C]      CAM: w[k][c] = w_{k,c}, weights after global average pooling
 *
 * Conventions the grader holds you to:
 * - every function returns new values and leaves its arguments unchanged;
 * - a loss returns its value and its gradient together, with exactly the fields of its return type;
 * - the style normalisation is 1/(4N²M²) (style transfer) unless options.normalization is
 *   'texture', which uses 1/(N²M²) (texture synthesis);
 * - in the total-variation regulariser a missing neighbour (right of the last column, below the
 *   last row) gives the difference 0, so every position has a term;
 * - the DeepDream objective is ½Σf² (its gradient is f) unless options.objective is 'sum' (Σf²);
 * - validate inputs where it helps you; the grader only passes valid ones (A is always a Gram
 *   matrix, hence symmetric).
 */
import { NotImplemented } from './not-implemented.ts';
import type { Image, Matrix, Vector } from './tensor.ts';

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

/** Q1 — Gram matrix G = F Fᵀ: G[i][j] = Σ_k F[i][k]·F[j][k], N × N (filters × filters, not positions × positions). */
export function gramMatrix(F: Matrix): Matrix {
  throw new NotImplemented('Q1 gramMatrix');
}

/** Q2 — content loss ½ Σ_ij (F_ij − P_ij)² and its gradient dF = ∂L/∂F = F − P. */
export function contentLoss(F: Matrix, P: Matrix): { loss: number; dF: Matrix } {
  throw new NotImplemented('Q2 contentLoss');
}

/**
 * Q3 — style loss of one layer E = c Σ_ij (G_ij − A_ij)², G = F Fᵀ, c = 1/(4N²M²) by default or
 * 1/(N²M²) with options.normalization 'texture'; dF = ∂E/∂F (N × M).
 */
export function styleLayerLoss(F: Matrix, A: Matrix, options?: StyleOptions): { loss: number; dF: Matrix } {
  throw new NotImplemented('Q3 styleLayerLoss');
}

/**
 * Q4 — total loss α·L_content(content.F, content.P) + β·Σ_l style[l].w·E_l(style[l].F, style[l].A),
 * with options passed to every E_l; dContent = ∂L/∂content.F and dStyle[l] = ∂L/∂style[l].F.
 */
export function totalLoss(
  content: { F: Matrix; P: Matrix },
  style: StyleLayer[],
  alpha: number,
  beta: number,
  options?: StyleOptions,
): { loss: number; dContent: Matrix; dStyle: Matrix[] } {
  throw new NotImplemented('Q4 totalLoss');
}

/**
 * Q5 — total-variation regulariser R_β(x) = Σ_ij ((x[i][j+1] − x[i][j])² + (x[i+1][j] − x[i][j])²)^(β/2)
 * over all H·W positions (β ≥ 1), and dx = ∂R/∂x. Where both differences of a term are 0 its
 * gradient contribution is 0.
 */
export function tvRegularizer(x: Matrix, beta: number): { loss: number; dx: Matrix } {
  throw new NotImplemented('Q5 tvRegularizer');
}

/** Q5 — feature inversion objective ‖Phi·vec(x) − phi0‖² + λ·R_β(x) and dx = its gradient with respect to x. */
export function featureInversion(x: Matrix, Phi: Matrix, phi0: Vector, lambda: number, beta: number): { loss: number; dx: Matrix } {
  throw new NotImplemented('Q5 featureInversion');
}

/**
 * Q6 — one gradient-ascent step on S_c(I) − λ‖I‖²: return I + η·(dScore − 2λ·I), where
 * dScore = ∂S_c/∂I at I is given (your network's backward pass would compute it).
 */
export function classVisualizationStep(I: Matrix, dScore: Matrix, eta: number, lambda: number): Matrix {
  throw new NotImplemented('Q6 classVisualizationStep');
}

/** Q7 — DeepDream objective (½Σf² by default, Σf² with options.objective 'sum') and its gradient grad = ∂objective/∂f. */
export function deepDream(f: Vector, options?: DeepDreamOptions): { objective: number; grad: Vector } {
  throw new NotImplemented('Q7 deepDream');
}

/** Q8 — class activation map of class c: M[h][x] = Σ_k w[k][c]·f[k][h][x], H × W. */
export function classActivationMap(f: Image, w: Matrix, c: number): Matrix {
  throw new NotImplemented('Q8 classActivationMap');
}

/**
 * Q8 — class scores S[c] = Σ_k w[k][c]·F_k, F_k = (1/(H·W)) Σ_{h,x} f[k][h][x] (global average
 * pooling, then the fully connected layer): one score per class.
 */
export function classScores(f: Image, w: Matrix): Vector {
  throw new NotImplemented('Q8 classScores');
}
