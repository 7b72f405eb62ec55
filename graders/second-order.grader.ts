/**
 * Family D (Jacobian, Hessian, MAP): public checks. Worked examples on small nets (each with the
 * values the named mistakes give), then relations between your own functions that hold by theory:
 * J against central differences of your y; g against central differences of your E; H symmetric
 * and equal to central differences of your g; Hv equal to (g(w + εv) − g(w − εv))/2ε; the
 * outer-product approximation equal to your exact H where the residuals vanish (and independent of
 * the targets); the Becker–LeCun diagonal equal to the exact one for one hidden layer; MAP = β·E +
 * (α/2)‖w‖²; the Laplace variance at least 1/β, falling as α grows, → 1/β + ‖∇y‖²/α.
 *
 * Second derivatives may be exact or central differences of an analytic gradient (the catalogue
 * allows both, D2/D4), so they are compared with the NUMERIC tolerance; every named mistake is
 * off by O(1) and stays rejected.
 */
import fc from 'fast-check';
import * as F from '../fixtures/second-order.fixtures.ts';
import { MISTAKE } from '../fixtures/second-order.fixtures.ts';
import { flatten, HEADS, network, problem, SMOOTH, spread, unflatten, type Head, type Net, type Problem } from './backprop.grader.ts';
import { example, expectClose, expectThat, property, callText, FLOAT64, NUMERIC } from './engine/checks.ts';
import { negated, scaled, transposed } from './engine/diagnose.ts';
import { numericalGradient, H } from './engine/numeric.ts';
import type { Check, FamilyGrader, StudentModule } from './engine/types.ts';

type S = StudentModule;
type Eg = { E: number; g: number[] };
const eg = async (s: S, name: string, args: unknown[]) => (await s.call(name, args)) as Eg;
const mat = async (s: S, name: string, args: unknown[]) => (await s.call(name, args)) as number[][];
const dot = (u: number[], v: number[]) => u.reduce((acc, ui, i) => acc + ui * v[i], 0);
const matVec = (M: number[][], v: number[]) => M.map((row) => dot(row, v));
const diagonal = (M: number[][]) => M.map((row, i) => row[i]);
/** w with every W block transposed: the order a column-by-column flattening produces */
function columnMajor(net: Net, w: number[]): number[] {
  let k = 0;
  return net.flatMap((l) => {
    const [out, inp] = [l.W.length, l.W[0].length];
    const W = l.W.map((row) => row.map(() => w[k++]));
    const b = l.b.map(() => w[k++]);
    return [...Array.from({ length: inp }, (_, i) => Array.from({ length: out }, (__, j) => W[j][i])).flat(), ...b];
  });
}
const pArgs = (p: Problem) => [p.net, p.X, p.T, p.loss];

/** Small nets (P ≤ ~25) with smooth units: every check takes central differences somewhere. */
const small = (heads: Head[] = HEADS, depth: [number, number] = [1, 2], rows: [number, number] = [1, 3]) => problem(network({ depth, width: [1, 3], hidden: SMOOTH, heads }), rows);
const ELEMENTWISE = HEADS.filter((h) => h.loss !== 'ce');
/** one output, an elementwise output unit: regression nets for MAP and Laplace */
const REGRESSION = HEADS.filter((h) => h.loss === 'sse');
const regression = (rows: [number, number]) =>
  network({ depth: [1, 2], width: [1, 3], hidden: SMOOTH, heads: REGRESSION }).map(({ net, head }) => ({ head, net: [...net.slice(0, -1), { ...net[net.length - 1], W: [net[net.length - 1].W[0]], b: [net[net.length - 1].b[0]] }] }))
    .chain(({ net, head }) => problem(fc.constant({ net, head }), rows));

/** Your own y at every row of X (zero-residual targets). */
const ownOutputs = async (s: S, net: Net, X: number[][]) => Promise.all(X.map(async (x) => ((await s.call('networkJacobian', [net, x])) as { y: number[] }).y));

// ---------------------------------------------------------------------------------------------
// D1

const D1 = 'D1: J_ki = ∂y_k/∂x_i [K, D]: backpropagate G = ∂y/∂a^(L) through G ← G W^(l), G ← G diag(h′(a^(l−1)))';
const jacobianChecks: Check[] = [
  example({
    id: 'D1.networkJacobian.bishop', exercise: 'networkJacobian', catalogue: 'D1', title: "family C's Bishop net at x = [1, 2]: J = diag(σ′(a2)) W2 diag(tanh′(a1)) W1",
    hint: D1, args: [F.bishopJacobian.input.net, F.bishopJacobian.input.x], expected: F.bishopJacobian.expected, variants: F.bishopJacobian.variants,
  }),
  property({
    id: 'D1.networkJacobian.numeric', exercise: 'networkJacobian', catalogue: 'D1', title: 'J equals the central differences of your y(x), column by column',
    hint: `${D1}; check it with gradcheck's numericalJacobian of your own y`, numRuns: 40,
    arbitrary: small(HEADS, [1, 3], [1, 1]),
    verify: async ({ net, X: [x] }, s) => {
      const r = (await s.call('networkJacobian', [net, x])) as { y: number[]; J: number[][] };
      expectThat(r !== null && typeof r === 'object' && Array.isArray(r.y) && Array.isArray(r.J), 'networkJacobian must return { y, J }', r);
      const columns = await Promise.all(x.map(async (_, i) => {
        const at = async (d: number) => ((await s.call('networkJacobian', [net, x.map((v, k) => (k === i ? v + d : v))])) as { y: number[] }).y;
        const [plus, minus] = [await at(H), await at(-H)];
        return plus.map((p, k) => (p - minus[k]) / (2 * H));
      }));
      const expected = columns[0].map((_, k) => columns.map((col) => col[k]));
      expectClose(r.J, expected, NUMERIC, `${callText('networkJacobian', [net, x])}.J vs the central differences of its y`, { [MISTAKE.jacobianTransposed]: transposed(expected), [MISTAKE.sign]: negated(expected) });
    },
  }),
];

// ---------------------------------------------------------------------------------------------
// D2

const D2g = 'D2: E = Σ_n E_n and g = ∇E in the order of w: W^(1) row by row, b^(1), W^(2) row by row, b^(2), …';
const gradientChecks: Check[] = [
  example({
    id: 'D2.errorAndGradient.bishop', exercise: 'errorAndGradient', catalogue: 'D2', title: "family C's Bishop net: E = ln(8/3), g = [dW1 row by row, db1, dW2 row by row, db2]",
    hint: D2g, args: [F.bishopErrorAndGradient.input.net, F.bishopErrorAndGradient.input.X, F.bishopErrorAndGradient.input.T, 'bce'], expected: F.bishopErrorAndGradient.expected, variants: F.bishopErrorAndGradient.variants,
  }),
  example({
    id: 'D2.errorAndGradient.tiny', exercise: 'errorAndGradient', catalogue: 'D2', title: 'the tiny net on two copies of its example: E = 2·½, g = 2·[32/15, 16/15, 3/5, 1]',
    hint: `${D2g}: a sum over the examples`, args: [F.tinyErrorAndGradient.input.net, F.tinyErrorAndGradient.input.X, F.tinyErrorAndGradient.input.T, 'sse'], expected: F.tinyErrorAndGradient.expected, variants: F.tinyErrorAndGradient.variants,
  }),
  property({
    id: 'D2.errorAndGradient.numeric', exercise: 'errorAndGradient', catalogue: 'D2', title: 'g equals the numerical gradient of your E (in the order of w)',
    hint: D2g, numRuns: 40,
    arbitrary: small(),
    verify: async (p, s) => {
      const net = p.net;
      const expected = await numericalGradient(async (w) => (await eg(s, 'errorAndGradient', [unflatten(net, w), p.X, p.T, p.loss])).E, flatten(net));
      const r = await eg(s, 'errorAndGradient', pArgs(p));
      expectClose(r?.g, expected, NUMERIC, 'errorAndGradient(…).g vs the central differences of its E', { [MISTAKE.columnMajor]: columnMajor(net, expected), [MISTAKE.sign]: negated(expected) });
    },
  }),
];

const D2H = 'D2: H = ∇∇E(w) [P, P], exact (R-operator, second derivatives by hand, or central differences of your analytic g); symmetric';
const hessianChecks: Check[] = [
  example({
    id: 'D2.hessian.tiny', exercise: 'hessian', catalogue: 'D2', title: 'the tiny tanh net (x = 2, t = 0): H = bbᵀ + (y − t)∇∇y with b = ∇y = [32/15, 16/15, 3/5, 1]',
    hint: `${D2H}. The residual term (y − t)∇∇y belongs to H`, args: [F.tiny.net, F.tiny.X, F.tiny.T, 'sse'], expected: F.tinyHessian.expected, variants: F.tinyHessian.variants, tol: NUMERIC,
  }),
  property({
    id: 'D2.hessian.numeric', exercise: 'hessian', catalogue: 'D2', title: 'H is symmetric and equals the central differences of your g, column by column',
    hint: D2H, numRuns: 25,
    arbitrary: small(),
    verify: async (p, s) => {
      const w = flatten(p.net);
      const Hs = await mat(s, 'hessian', pArgs(p));
      expectThat(Array.isArray(Hs) && Hs.length === w.length, `hessian must be ${w.length} × ${w.length} (one row and column per parameter)`, Hs);
      expectClose(Hs, transposed(Hs), NUMERIC, 'H vs Hᵀ');
      const g = async (u: number[]) => (await eg(s, 'errorAndGradient', [unflatten(p.net, u), p.X, p.T, p.loss])).g;
      const columns: number[][] = [];
      for (let i = 0; i < w.length; i++) {
        const [plus, minus] = [await g(w.map((v, k) => (k === i ? v + H : v))), await g(w.map((v, k) => (k === i ? v - H : v)))];
        columns.push(plus.map((q, k) => (q - minus[k]) / (2 * H)));
      }
      expectClose(Hs, transposed(columns), NUMERIC, 'H vs the central differences of your errorAndGradient(…).g', { [MISTAKE.sign]: negated(transposed(columns)) });
    },
  }),
];

// ---------------------------------------------------------------------------------------------
// D3

const D3d = 'D3: Becker–LeCun: ∂²E_n/∂w_ji² = (∂²E_n/∂a_j²) z_i², exact ∂²E_n/∂a_k² at the output, ∂²E_n/∂a_j² ≈ h′(a_j)² Σ_k w_kj² ∂²E_n/∂a_k² + h″(a_j) Σ_k w_kj δ_k below';
const lastBlock = (net: Net) => net[net.length - 1].W.length * (net[net.length - 1].W[0].length + 1);
const diagonalChecks: Check[] = [
  example({
    id: 'D3.diagonalHessian.tiny', exercise: 'diagonalHessian', catalogue: 'D3', title: 'the tiny net (one hidden layer, linear output): the diagonal of H, [−128/225, −32/225, 9/25, 1]',
    hint: `${D3d}. Keep the h″ term: it is what makes ∂²E/∂w1² negative here`, args: [F.tiny.net, F.tiny.X, F.tiny.T, 'sse'], expected: F.tinyDiagonal.expected, variants: F.tinyDiagonal.variants, tol: NUMERIC,
  }),
  property({
    id: 'D3.diagonalHessian.one-hidden-layer', exercise: 'diagonalHessian', catalogue: 'D3', title: 'with at most one hidden layer and elementwise outputs the approximation is exact: your diagonal = the diagonal of your H',
    hint: `${D3d}: nothing is neglected when the output curvature is diagonal and there is one hidden layer`, numRuns: 30,
    arbitrary: small(ELEMENTWISE, [1, 2]),
    verify: async (p, s) => {
      const exact = diagonal(await mat(s, 'hessian', pArgs(p)));
      expectClose(await s.call('diagonalHessian', pArgs(p)), exact, NUMERIC, 'diagonalHessian vs the diagonal of your hessian', { [MISTAKE.residualDropped]: diagonal(await mat(s, 'outerProductHessian', pArgs(p))) });
    },
  }),
  property({
    id: 'D3.diagonalHessian.output-layer', exercise: 'diagonalHessian', catalogue: 'D3', title: "for any depth the output layer's entries are exact (∂²E_n/∂a_k² is not approximated there)",
    hint: `${D3d}: at the output use the exact diagonal of the loss curvature, including h″(a)(y − t) for the non-canonical pairs`, numRuns: 30,
    arbitrary: small(ELEMENTWISE, [2, 3]),
    verify: async (p, s) => {
      const exact = diagonal(await mat(s, 'hessian', pArgs(p)));
      const d = (await s.call('diagonalHessian', pArgs(p))) as number[];
      expectThat(Array.isArray(d) && d.length === exact.length, `diagonalHessian must return ${exact.length} entries (one per parameter)`, d);
      const n = lastBlock(p.net);
      expectClose(d.slice(-n), exact.slice(-n), NUMERIC, "the output layer's entries of diagonalHessian vs the diagonal of your hessian");
    },
  }),
];

const D3o = 'D3: outer-product approximation Σ_n B_nᵀΛ_nB_n, B_n = ∂a^(L)/∂w, Λ the loss curvature in a^(L) without residual terms (Σ b bᵀ for linear + sse)';
const outerChecks: Check[] = [
  example({
    id: 'D3.outerProductHessian.tiny', exercise: 'outerProductHessian', catalogue: 'D3', title: 'the tiny net, linear output + sse: H ≈ bbᵀ with b = ∇y = [32/15, 16/15, 3/5, 1] (the residual term dropped)',
    hint: D3o, args: [F.tiny.net, F.tiny.X, F.tiny.T, 'sse'], expected: F.tinyOuterProduct.expected, variants: F.tinyOuterProduct.variants, tol: NUMERIC,
  }),
  property({
    id: 'D3.outerProductHessian.targets', exercise: 'outerProductHessian', catalogue: 'D3', title: 'at any targets it is positive semi-definite and equals your exact H at zero residual (t = y)',
    hint: `${D3o}: it does not depend on t, and where y = t the dropped residual terms vanish, so it is H there`, numRuns: 25,
    arbitrary: small().chain((p) => fc.tuple(fc.constant(p), fc.array(spread(-1, 1), { minLength: flatten(p.net).length, maxLength: flatten(p.net).length }))),
    verify: async ([p, v], s) => {
      const OP = await mat(s, 'outerProductHessian', pArgs(p));
      expectThat(Array.isArray(OP) && OP.length === v.length && OP.every((row) => Array.isArray(row) && row.length === v.length), `outerProductHessian must be ${v.length} × ${v.length}`, OP);
      const quad = dot(v, matVec(OP, v));
      expectThat(quad >= -1e-9 * (1 + Math.abs(quad)), `vᵀ(outerProductHessian)v = ${quad} < 0: a sum of BᵀΛB with Λ ⪰ 0 is positive semi-definite`, OP);
      const fit = await ownOutputs(s, p.net, p.X);
      expectClose(OP, await mat(s, 'hessian', [p.net, p.X, fit, p.loss]), NUMERIC, 'outerProductHessian(t) vs your hessian at t = y', { [MISTAKE.residualKept]: await mat(s, 'hessian', pArgs(p)) });
    },
  }),
];

// ---------------------------------------------------------------------------------------------
// D4

const D4 = 'D4: Hv = (∇E(w + εv) − ∇E(w − εv))/2ε as ε → 0, or exactly by the R-operator';
const hvChecks: Check[] = [
  example({
    id: 'D4.hessianVectorProduct.tiny', exercise: 'hessianVectorProduct', catalogue: 'D4', title: 'the tiny net, v = [1, 2, −1, ½]: Hv = [−592/225, −296/225, 253/50, 25/6]',
    hint: D4, args: [F.tiny.net, F.tiny.X, F.tiny.T, 'sse', F.tiny.v], expected: F.tinyHessianVector.expected, variants: F.tinyHessianVector.variants, tol: NUMERIC,
  }),
  property({
    id: 'D4.hessianVectorProduct.numeric', exercise: 'hessianVectorProduct', catalogue: 'D4', title: 'Hv equals (g(w + hv) − g(w − hv))/2h of your errorAndGradient along random v',
    hint: D4, numRuns: 40,
    arbitrary: small(HEADS, [1, 3]).chain((p) => fc.tuple(fc.constant(p), fc.array(spread(-1, 1), { minLength: flatten(p.net).length, maxLength: flatten(p.net).length }))),
    verify: async ([p, v], s) => {
      const w = flatten(p.net);
      const g = async (u: number[]) => (await eg(s, 'errorAndGradient', [unflatten(p.net, u), p.X, p.T, p.loss])).g;
      const [plus, minus] = [await g(w.map((x, i) => x + H * v[i])), await g(w.map((x, i) => x - H * v[i]))];
      const expected = plus.map((q, i) => (q - minus[i]) / (2 * H));
      expectClose(await s.call('hessianVectorProduct', [...pArgs(p), v]), expected, NUMERIC, 'hessianVectorProduct(…, v) vs the central difference of your gradient along v', { [MISTAKE.oneEpsilon]: scaled(expected, 2), [MISTAKE.sign]: negated(expected) });
    },
  }),
];

// ---------------------------------------------------------------------------------------------
// D5

const D5 = 'D5: Ẽ(w) = β·½Σ_n‖y_n − t_n‖² + (α/2) wᵀw over every parameter, ∇Ẽ = β∇E_D + αw; the notes\' Ẽ = E + ½wᵀw is α = β = 1';
const mapArgs = (f: (typeof F.tinyMap)[number]) => [f.input.net, f.input.X, f.input.T, f.input.alpha, f.input.beta];
const precisions = fc.tuple(fc.oneof(fc.constant(0), spread(0.1, 3)), spread(0.2, 4));
const mapChecks: Check[] = [
  ...F.tinyMap.map((f) =>
    example({
      id: `D5.mapObjective.${f.id.replace(/^D5-/, '')}`, exercise: 'mapObjective', catalogue: 'D5', title: `the tiny net with α = ${f.input.alpha}, β = ${f.input.beta}${f.id === 'D5-notes' ? " (the notes' Ẽ = E + ½wᵀw)" : ''}`,
      hint: D5, args: mapArgs(f), expected: f.expected, variants: f.variants,
    }),
  ),
  property({
    id: 'D5.mapObjective.numeric', exercise: 'mapObjective', catalogue: 'D5', title: 'the gradient equals the numerical gradient of your Ẽ',
    hint: D5, numRuns: 40,
    arbitrary: fc.tuple(small(REGRESSION), precisions),
    verify: async ([p, [alpha, beta]], s) => {
      const expected = await numericalGradient(async (w) => (await eg(s, 'mapObjective', [unflatten(p.net, w), p.X, p.T, alpha, beta])).E, flatten(p.net));
      expectClose((await eg(s, 'mapObjective', [p.net, p.X, p.T, alpha, beta]))?.g, expected, NUMERIC, 'mapObjective(…).g vs the central differences of its E', { [MISTAKE.sign]: negated(expected) });
    },
  }),
  property({
    id: 'D5.mapObjective.decomposition', exercise: 'mapObjective', catalogue: 'D5', title: "Ẽ = β·E_D + (α/2)‖w‖² and ∇Ẽ = β·g_D + αw, with E_D, g_D your errorAndGradient(…, 'sse')",
    hint: `${D5}. The prior term is (α/2)wᵀw, its gradient αw`, numRuns: 40,
    arbitrary: fc.tuple(small(REGRESSION), precisions),
    verify: async ([p, [alpha, beta]], s) => {
      const { E, g } = await eg(s, 'errorAndGradient', [p.net, p.X, p.T, 'sse']);
      const w = flatten(p.net);
      const ww = dot(w, w);
      const make = (b: number, a: number) => ({ E: b * E + (a / 2) * ww, g: g.map((gi, i) => b * gi + a * w[i]) });
      expectClose(await s.call('mapObjective', [p.net, p.X, p.T, alpha, beta]), make(beta, alpha), FLOAT64, `mapObjective(net, X, T, ${alpha}, ${beta})`, { [MISTAKE.priorNoHalf]: make(beta, 2 * alpha), [MISTAKE.betaMissing]: make(1, alpha) });
    },
  }),
];

// ---------------------------------------------------------------------------------------------
// D6

const D6 = 'D6: σ²(x) = 1/β + gᵀA⁻¹g, g = ∇_w y(x), A = αI + βH (H the Hessian of ½Σ(y − t)²); the mean is y(x)';
type Pred = { mean: number; variance: number };
/** regression nets at zero residual (t = your y): A = αI + βH is then positive definite */
const fitted = fc.tuple(regression([1, 3]), spread(0.2, 3), spread(0.5, 4), spread(-2, 2));
const laplaceChecks: Check[] = [
  ...F.laplace.map((f) =>
    example({
      id: `D6.laplaceVariance.${f.id.replace(/^D6-/, '')}`, exercise: 'laplaceVariance', catalogue: 'D6', title: `${f.id === 'D6-tiny-fit' ? 'the tiny net at zero residual (Sherman–Morrison)' : 'Bayesian linear regression, X = [1, −1], query x = 2'}: α = ${f.input.alpha}, β = ${f.input.beta}`,
      hint: D6, args: [f.input.net, f.input.X, f.input.T, f.input.alpha, f.input.beta, f.input.x], expected: f.expected, variants: f.variants, tol: NUMERIC,
    }),
  ),
  property({
    id: 'D6.laplaceVariance.monotone', exercise: 'laplaceVariance', catalogue: 'D6', title: 'the mean is your y(x), σ² ≥ 1/β, and σ² does not grow when α doubles (a stronger prior, a narrower posterior)',
    hint: `${D6}: A grows with α, so gᵀA⁻¹g shrinks`, numRuns: 30,
    arbitrary: fitted,
    verify: async ([p, alpha, beta, q], s) => {
      const T = await ownOutputs(s, p.net, p.X);
      const x = p.X[0].map((v) => v + q);
      const r = (await s.call('laplaceVariance', [p.net, p.X, T, alpha, beta, x])) as Pred;
      const r2 = (await s.call('laplaceVariance', [p.net, p.X, T, 2 * alpha, beta, x])) as Pred;
      expectClose(r?.mean, (await ownOutputs(s, p.net, [x]))[0][0], FLOAT64, 'mean vs your y(x)');
      expectThat(r.variance >= (1 / beta) * (1 - 1e-12), `σ² = ${r.variance} < 1/β = ${1 / beta}: gᵀA⁻¹g ≥ 0 for A positive definite`, r);
      expectThat(r2.variance <= r.variance * (1 + 1e-9), `σ² grew from ${r.variance} to ${r2.variance} when α doubled`, r2);
    },
  }),
  property({
    id: 'D6.laplaceVariance.strong-prior', exercise: 'laplaceVariance', catalogue: 'D6', title: 'for a very strong prior (α = 1e6) σ² → 1/β + ‖∇_w y‖²/α',
    hint: `${D6}: with A ≈ αI, gᵀA⁻¹g ≈ ‖g‖²/α`, numRuns: 30,
    arbitrary: fitted,
    verify: async ([p, , beta, q], s) => {
      const T = await ownOutputs(s, p.net, p.X);
      const x = p.X[0].map((v) => v + q);
      const alpha = 1e6;
      // ∇_w y from your own gradient: E = ½(y − (y − 1))² has ∇E = ∇y
      const y = (await ownOutputs(s, p.net, [x]))[0][0];
      const g = (await eg(s, 'errorAndGradient', [p.net, [x], [[y - 1]], 'sse'])).g;
      const gg = dot(g, g);
      const r = (await s.call('laplaceVariance', [p.net, p.X, T, alpha, beta, x])) as Pred;
      // gᵀA⁻¹g = ‖g‖²/α·(1 + O(β‖H‖/α)) with β‖H‖ ≲ 2e2 on these nets: within 1e−3 of the second term
      expectClose(r?.variance, 1 / beta + gg / alpha, { rtol: 1e-12, atol: 1e-3 * (gg / alpha) + 1e-15 }, `laplaceVariance(…, α = 1e6, β = ${beta}, x).variance vs 1/β + ‖∇y‖²/α`,
        { [MISTAKE.noiseMissing]: gg / alpha, [MISTAKE.betaNotInverse]: beta + gg / alpha });
    },
  }),
];

export const secondOrder: FamilyGrader = {
  id: 'D',
  module: 'second-order',
  title: 'Jacobian, Hessian, MAP',
  exercises: [
    { name: 'networkJacobian', catalogue: 'D1', arity: 2, summary: '{ y, J } with J_ki = ∂y_k/∂x_i' },
    { name: 'errorAndGradient', catalogue: 'D2', arity: 4, summary: '{ E, g }: E = Σ_n E_n, g = ∇E in the order of w' },
    { name: 'hessian', catalogue: 'D2', arity: 4, summary: 'the exact Hessian ∇∇E [P, P]' },
    { name: 'diagonalHessian', catalogue: 'D3', arity: 4, summary: 'Becker–LeCun diagonal approximation [P]' },
    { name: 'outerProductHessian', catalogue: 'D3', arity: 4, summary: 'Σ_n B_nᵀ Λ_n B_n (Levenberg–Marquardt)' },
    { name: 'hessianVectorProduct', catalogue: 'D4', arity: 5, summary: 'Hv without forming H' },
    { name: 'mapObjective', catalogue: 'D5', arity: 5, summary: '{ E: βE_D + (α/2)wᵀw, g }' },
    { name: 'laplaceVariance', catalogue: 'D6', arity: 6, summary: '{ mean: y(x), variance: 1/β + gᵀA⁻¹g }' },
  ],
  checks: [...jacobianChecks, ...gradientChecks, ...hessianChecks, ...diagonalChecks, ...outerChecks, ...hvChecks, ...mapChecks, ...laplaceChecks],
};

