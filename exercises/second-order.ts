/**
 * D. Jacobian, Hessian, MAP — catalogue family D (D1–D6), on the networks of family C
 * (backprop.ts: the same Layer/Network data, activations and losses). Implement each function.
 *
 * symbol   id        shape      meaning
 * w        —         [P]        every parameter in one vector, in THIS order: W^(1) row by row, then
 *                                b^(1), then W^(2) row by row, then b^(2), … (every g, H, v uses it)
 * E        E         number     E(w) = Σ_n E_n(w) over the rows of X, T (a sum, as errorFunction)
 * g        g         [P]        ∇E(w)
 * J        J         [K, D]     J_ki = ∂y_k/∂x_i: one row per output
 * H        H         [P, P]     ∇∇E(w)
 * α, β     alpha, beta          prior precision, noise precision (the notes: Ẽ = E + ½wᵀw, α = β = 1)
 *
 * Conventions the grader holds you to:
 * - every function returns new values and leaves its arguments unchanged: a call that writes into
 *   one fails its check (even when it puts the value back by arithmetic: x + h − h is not always x);
 * - second derivatives to ~1e−5 relative: the R-operator, second derivatives by hand, or central
 *   differences (g(w + εv) − g(w − εv))/2ε of your analytic gradient with ε ≈ 1e−5 (not of E);
 *   where relu/leakyRelu/elu have a kink take h″ = 0;
 * - h′ and h″ are taken at the pre-activations a, as in family C;
 * - the outer-product approximation drops the residual terms: Σ_n B_nᵀ Λ_n B_n with B_n = ∂a^(L)/∂w
 *   and Λ_n the loss curvature in a^(L) without (y − t) terms (I for linear + sse, diag y(1 − y)
 *   for sigmoid + bce, diag(p) − ppᵀ for softmax + ce, c·diag h′(a)² otherwise, c = 1 sse, 2 l2);
 * - the diagonal approximation is Becker–LeCun's (off-diagonal second derivatives neglected);
 * - MAP and Laplace are regression with Gaussian noise: E_D = ½ Σ_n ‖y_n − t_n‖² (loss 'sse'),
 *   the prior covers every parameter, biases included.
 * You may import from './backprop.ts' and './activations.ts'. Check every second derivative
 * against finite differences of your own gradient (gradcheck.ts) before you submit.
 */
import type { LossName, Network } from './backprop.ts';
import { NotImplemented } from './not-implemented.ts';
import type { Matrix, Vector } from './tensor.ts';

/** D1 — y(x) and its Jacobian J_ki = ∂y_k/∂x_i [K, D], by backpropagating from every output. */
export function networkJacobian(net: Network, x: Vector): { y: Vector; J: Matrix } {
  throw new NotImplemented('D1 networkJacobian');
}

/** D2 — E(w) = Σ_n E_n(w) and g = ∇E(w) as one vector in the order of w. */
export function errorAndGradient(net: Network, X: Matrix, T: Matrix, loss: LossName): { E: number; g: Vector } {
  throw new NotImplemented('D2 errorAndGradient');
}

/** D2 — the Hessian H = ∇∇E(w) [P, P] (symmetric): column i = H e_i, exactly or by central differences of your g. */
export function hessian(net: Network, X: Matrix, T: Matrix, loss: LossName): Matrix {
  throw new NotImplemented('D2 hessian');
}

/**
 * D3 — Becker–LeCun diagonal approximation [P]: ∂²E_n/∂w_ji² = (∂²E_n/∂a_j²) z_i², with the exact
 * ∂²E_n/∂a_k² at the output and ∂²E_n/∂a_j² ≈ h′(a_j)² Σ_k w_kj² ∂²E_n/∂a_k² + h″(a_j) Σ_k w_kj δ_k below.
 */
export function diagonalHessian(net: Network, X: Matrix, T: Matrix, loss: LossName): Vector {
  throw new NotImplemented('D3 diagonalHessian');
}

/** D3 — outer-product (Levenberg–Marquardt) approximation Σ_n B_nᵀ Λ_n B_n [P, P]; Σ_n b_n b_nᵀ for linear outputs + sse. */
export function outerProductHessian(net: Network, X: Matrix, T: Matrix, loss: LossName): Matrix {
  throw new NotImplemented('D3 outerProductHessian');
}

/** D4 — Hv exactly without forming H (the R-operator), v in the order of w. */
export function hessianVectorProduct(net: Network, X: Matrix, T: Matrix, loss: LossName, v: Vector): Vector {
  throw new NotImplemented('D4 hessianVectorProduct');
}

/** D5 — Ẽ(w) = β·½Σ_n‖y_n − t_n‖² + (α/2) wᵀw and its gradient β∇E_D + αw. */
export function mapObjective(net: Network, X: Matrix, T: Matrix, alpha: number, beta: number): { E: number; g: Vector } {
  throw new NotImplemented('D5 mapObjective');
}

/**
 * D6 — Laplace predictive distribution of a one-output net at w: mean y(x), variance
 * σ²(x) = 1/β + gᵀA⁻¹g with g = ∇_w y(x), A = αI + βH, H the exact Hessian of ½Σ(y − t)².
 */
export function laplaceVariance(net: Network, X: Matrix, T: Matrix, alpha: number, beta: number, x: Vector): { mean: number; variance: number } {
  throw new NotImplemented('D6 laplaceVariance');
}
