/**
 * Family D (Jacobian, Hessian, MAP): hidden differential checks, student vs reference.
 *
 * Strata: small nets (P ≤ ~40) of every activation and (output, loss) pair, square layers (W for
 * Wᵀ is then a wrong value, not a shape error), one to three examples, deep narrow sigmoid/tanh
 * stacks (where the Becker–LeCun approximation and the exact diagonal part ways, and f′ at the
 * activation differs most). Laplace: one-output regression nets at zero residual (A positive
 * definite for every α > 0) and with noisy targets where the reference finds A positive definite.
 * Second derivatives are compared with the NUMERIC tolerance (central differences of an analytic
 * gradient are allowed by the catalogue); first derivatives with FLOAT64.
 */
import fc from 'fast-check';
import { MISTAKE } from '../../fixtures/second-order.fixtures.ts';
import * as C from '../../reference/backprop.ts';
import type { Network } from '../../reference/backprop.ts';
import * as ref from '../../reference/second-order.ts';
import { flatten, HEADS, KINKED, network, problem, SMOOTH, spread, type ActSpec, type Problem } from '../backprop.grader.ts';
import { differential, NUMERIC } from '../engine/checks.ts';
import { negated, scaled, transposed, type Variants } from '../engine/diagnose.ts';
import type { Check } from '../engine/types.ts';

const ALL: ActSpec[] = [...SMOOTH, ...KINKED, { activation: 'elu', alpha: 2 }];
const nets = fc.oneof(
  { weight: 3, arbitrary: network({ depth: [1, 3], width: [1, 3], hidden: ALL }) },
  { weight: 2, arbitrary: network({ depth: [2, 3], width: [2, 3], square: true, hidden: ALL }) },
  { weight: 1, arbitrary: network({ depth: [3, 4], width: [1, 2], hidden: [{ activation: 'sigmoid' }, { activation: 'tanh' }], heads: HEADS.filter((h) => h.loss !== 'ce') }) },
);
const problems = problem(nets, [1, 3]);
const netOf = (p: Problem) => p.net as Network;
const args = (p: Problem) => [p.net, p.X, p.T, p.loss];

// ---------------------------------------------------------------------------------------------
// The reference with a wrong convention

const I = (n: number) => Array.from({ length: n }, (_, i) => Array.from({ length: n }, (__, j) => (i === j ? 1 : 0)));
const hp = (spec: ActSpec, v: number[]) => C.hiddenDelta(v, I(v.length), v.map(() => 1), spec.activation, spec.alpha);
const square = (net: Network) => net.every((l) => l.W.length === l.W[0].length);

/** D1 with h′ at the activations, or with Wᵀ in the recursion (square nets). */
function wrongJacobian(net: Network, x: number[], mistake: 'atActivation' | 'WnotWT'): { y: number[]; J: number[][] } {
  const { out, cache } = C.forward(net, x);
  const L = net.length;
  const top = net[L - 1];
  const at = (l: number) => (mistake === 'atActivation' ? cache.z[l + 1] : cache.a[l]);
  let G: number[][];
  if (top.activation === 'softmax') {
    const p = mistake === 'atActivation' ? C.networkFunction([{ W: I(out.length), b: out.map(() => 0), activation: 'softmax' }], out) : out;
    G = p.map((pa, i) => p.map((pb, j) => pa * ((i === j ? 1 : 0) - pb)));
  } else {
    const d = hp(top, at(L - 1));
    G = d.map((v, i) => d.map((_, j) => (i === j ? v : 0)));
  }
  for (let l = L - 1; l >= 0; l--) {
    const W = mistake === 'WnotWT' ? transposed(net[l].W) : net[l].W;
    G = G.map((row) => W[0].map((_, i) => row.reduce((s, g, j) => s + g * W[j][i], 0)));
    if (l > 0) {
      const d = hp(net[l - 1], at(l - 1));
      G = G.map((row) => row.map((g, i) => g * d[i]));
    }
  }
  return { y: out, J: G };
}

/** w with every W block flattened column by column. */
function columnMajor(net: Network, w: number[]): number[] {
  let k = 0;
  return net.flatMap((l) => {
    const W = l.W.map((row) => row.map(() => w[k++]));
    const b = l.b.map(() => w[k++]);
    return [...transposed(W).flat(), ...b];
  });
}

/** Solves A u = g (A symmetric positive definite) by Gaussian elimination. */
function solve(A: number[][], g: number[]): number[] {
  const n = g.length;
  const M = A.map((row, i) => [...row, g[i]]);
  for (let c = 0; c < n; c++) {
    for (let r = c + 1; r < n; r++) {
      const f = M[r][c] / M[c][c];
      for (let k = c; k <= n; k++) M[r][k] -= f * M[c][k];
    }
  }
  const u = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) u[r] = (M[r][n] - M[r].slice(r + 1, n).reduce((s, v, k) => s + v * u[r + 1 + k], 0)) / M[r][r];
  return u;
}
const dot = (u: number[], v: number[]) => u.reduce((s, ui, i) => s + ui * v[i], 0);

type LaplaceIn = { p: Problem; alpha: number; beta: number; x: number[] };
/** σ² with a wrong convention: the pieces g = ∇_w y and H from the reference itself. */
function wrongLaplace({ p, alpha, beta, x }: LaplaceIn, mistake: 'inverseMissing' | 'noiseMissing' | 'betaNotInverse' | 'betaMissingInA'): { mean: number; variance: number } {
  const net = netOf(p);
  const y = C.networkFunction(net, x)[0];
  const g = ref.errorAndGradient(net, [x], [[y - 1]], 'sse').g; // ∇E of ½(y − (y − 1))² is ∇y
  const H = ref.hessian(net, p.X, p.T, 'sse');
  const A = H.map((row, i) => row.map((v, j) => (mistake === 'betaMissingInA' ? 1 : beta) * v + (i === j ? alpha : 0)));
  const quad = mistake === 'inverseMissing' ? dot(g, A.map((row) => dot(row, g))) : dot(g, solve(A, g));
  const noise = mistake === 'noiseMissing' ? 0 : mistake === 'betaNotInverse' ? beta : 1 / beta;
  return { mean: y, variance: noise + quad };
}

// ---------------------------------------------------------------------------------------------
// Regression strata for D5/D6

const oneOutput = network({ depth: [1, 3], width: [1, 3], hidden: ALL, heads: HEADS.filter((h) => h.loss === 'sse') }).map(({ net, head }) => {
  const top = net[net.length - 1];
  return { head, net: [...net.slice(0, -1), { ...top, W: [top.W[0]], b: [top.b[0]] }] };
});
const regression = problem(oneOutput, [1, 3]);
const laplaceInputs: fc.Arbitrary<LaplaceIn> = fc
  .record({ p: regression, alpha: fc.oneof(spread(0.05, 1), spread(1, 10)), beta: spread(0.2, 5), shift: spread(-2, 2), noisy: fc.boolean(), noise: spread(-0.3, 0.3) })
  .map(({ p, alpha, beta, shift, noisy, noise }) => {
    const fit = p.X.map((x) => C.networkFunction(p.net as Network, x));
    return { p: { ...p, T: noisy ? fit.map((t) => [t[0] + noise]) : fit }, alpha, beta, x: p.X[0].map((v) => v + shift) };
  })
  .filter(({ p, alpha, beta, x }) => {
    try {
      ref.laplaceVariance(netOf(p), p.X, p.T, alpha, beta, x);
      return true;
    } catch {
      return false; // A not positive definite at these noisy targets
    }
  });
const mapInputs = fc.record({ p: regression, alpha: fc.oneof(fc.constant(0), spread(0.1, 5)), beta: spread(0.2, 5) });

// ---------------------------------------------------------------------------------------------

export const hidden: Check[] = [
  differential({
    id: 'D1.networkJacobian.reference', exercise: 'networkJacobian', catalogue: 'D1', title: 'networkJacobian matches the reference (every activation and output)', hint: 'D1: J_ki = ∂y_k/∂x_i',
    arbitrary: problems, args: (p) => [p.net, p.X[0]], expected: (p) => ref.networkJacobian(netOf(p), p.X[0]),
    variants: (p) => {
      const r = ref.networkJacobian(netOf(p), p.X[0]);
      return {
        [MISTAKE.jacobianTransposed]: { y: r.y, J: transposed(r.J) },
        [MISTAKE.atActivation]: wrongJacobian(netOf(p), p.X[0], 'atActivation'),
        ...(square(netOf(p)) ? { [MISTAKE.WnotWT]: wrongJacobian(netOf(p), p.X[0], 'WnotWT') } : {}),
        [MISTAKE.sign]: { y: r.y, J: negated(r.J) },
      };
    },
  }),
  differential({
    id: 'D2.errorAndGradient.reference', exercise: 'errorAndGradient', catalogue: 'D2', title: 'errorAndGradient matches the reference (the order of w included)', hint: 'D2: g = ∇E in the order W^(1) row by row, b^(1), …',
    arbitrary: problems, args, expected: (p) => ref.errorAndGradient(netOf(p), p.X, p.T, p.loss),
    variants: (p) => {
      const r = ref.errorAndGradient(netOf(p), p.X, p.T, p.loss);
      const N = p.X.length;
      return { [MISTAKE.columnMajor]: { E: r.E, g: columnMajor(netOf(p), r.g) }, [MISTAKE.meanNotSum]: { E: r.E / N, g: r.g.map((v) => v / N) }, [MISTAKE.sign]: { E: r.E, g: negated(r.g) } };
    },
  }),
  differential({
    id: 'D2.hessian.reference', exercise: 'hessian', catalogue: 'D2', title: 'hessian matches the reference', hint: 'D2: the exact ∇∇E, residual terms included', tol: NUMERIC, numRuns: 60,
    arbitrary: problems, args, expected: (p) => ref.hessian(netOf(p), p.X, p.T, p.loss),
    variants: (p) => ({ [MISTAKE.residualDropped]: ref.outerProductHessian(netOf(p), p.X, p.T, p.loss), [MISTAKE.sign]: negated(ref.hessian(netOf(p), p.X, p.T, p.loss)) }),
  }),
  differential({
    id: 'D3.diagonalHessian.reference', exercise: 'diagonalHessian', catalogue: 'D3', title: 'diagonalHessian matches the reference (deep nets and softmax outputs, where it is an approximation)', hint: 'D3: Becker–LeCun, off-diagonal second derivatives neglected', tol: NUMERIC, numRuns: 60,
    arbitrary: problems, args, expected: (p) => ref.diagonalHessian(netOf(p), p.X, p.T, p.loss),
    variants: (p) => ({
      [MISTAKE.exactDiagonal]: ref.hessian(netOf(p), p.X, p.T, p.loss).map((row, i) => row[i]),
      [MISTAKE.residualDropped]: ref.outerProductHessian(netOf(p), p.X, p.T, p.loss).map((row, i) => row[i]),
    }),
  }),
  differential({
    id: 'D3.outerProductHessian.reference', exercise: 'outerProductHessian', catalogue: 'D3', title: 'outerProductHessian matches the reference for every (output, loss) pair', hint: 'D3: Σ_n B_nᵀΛ_nB_n', tol: NUMERIC, numRuns: 60,
    arbitrary: problems, args, expected: (p) => ref.outerProductHessian(netOf(p), p.X, p.T, p.loss),
    variants: (p) => ({ [MISTAKE.residualKept]: ref.hessian(netOf(p), p.X, p.T, p.loss) }),
  }),
  differential({
    id: 'D4.hessianVectorProduct.reference', exercise: 'hessianVectorProduct', catalogue: 'D4', title: 'hessianVectorProduct matches the reference', hint: 'D4: Hv exactly', tol: NUMERIC, numRuns: 60,
    arbitrary: problems.chain((p) => fc.tuple(fc.constant(p), fc.array(spread(-2, 2), { minLength: flatten(p.net).length, maxLength: flatten(p.net).length }))),
    args: ([p, v]) => [...args(p), v], expected: ([p, v]) => ref.hessianVectorProduct(netOf(p), p.X, p.T, p.loss, v),
    variants: ([p, v]) => {
      const Hv = ref.hessianVectorProduct(netOf(p), p.X, p.T, p.loss, v);
      return { [MISTAKE.oneEpsilon]: scaled(Hv, 2), [MISTAKE.residualDropped]: ref.outerProductHessian(netOf(p), p.X, p.T, p.loss).map((row) => dot(row, v)), [MISTAKE.sign]: negated(Hv) };
    },
  }),
  differential({
    id: 'D5.mapObjective.reference', exercise: 'mapObjective', catalogue: 'D5', title: 'mapObjective matches the reference (α = 0 included)', hint: 'D5: βE_D + (α/2)wᵀw',
    arbitrary: mapInputs, args: ({ p, alpha, beta }) => [p.net, p.X, p.T, alpha, beta], expected: ({ p, alpha, beta }) => ref.mapObjective(netOf(p), p.X, p.T, alpha, beta),
    variants: ({ p, alpha, beta }): Variants => {
      const w = flatten(p.net);
      const { E, g } = ref.errorAndGradient(netOf(p), p.X, p.T, 'sse');
      const make = (b: number, a: number) => ({ E: b * E + (a / 2) * dot(w, w), g: g.map((gi, i) => b * gi + a * w[i]) });
      return { [MISTAKE.priorNoHalf]: make(beta, 2 * alpha), [MISTAKE.betaMissing]: make(1, alpha) };
    },
  }),
  differential({
    id: 'D6.laplaceVariance.reference', exercise: 'laplaceVariance', catalogue: 'D6', title: 'laplaceVariance matches the reference (zero-residual and noisy targets, α from 0.05 to 10)', hint: 'D6: 1/β + gᵀ(αI + βH)⁻¹g', tol: NUMERIC, numRuns: 60,
    arbitrary: laplaceInputs, args: ({ p, alpha, beta, x }) => [p.net, p.X, p.T, alpha, beta, x], expected: ({ p, alpha, beta, x }) => ref.laplaceVariance(netOf(p), p.X, p.T, alpha, beta, x),
    variants: (input) => ({
      [MISTAKE.inverseMissing]: wrongLaplace(input, 'inverseMissing'),
      [MISTAKE.noiseMissing]: wrongLaplace(input, 'noiseMissing'),
      [MISTAKE.betaNotInverse]: wrongLaplace(input, 'betaNotInverse'),
      [MISTAKE.betaMissingInA]: wrongLaplace(input, 'betaMissingInA'),
    }),
  }),
];
