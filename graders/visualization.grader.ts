/**
 * Family Q (visualisation and style): public checks. Small inputs worked by hand from the notes'
 * formulas (fixtures/visualization.fixtures.ts), with erratum 6 (the two style normalisations,
 * DeepDream's ½Σf² against Σf²) as named mistakes; then relations that need no reference: the
 * Gram matrix is Σ_i x_i x_iᵀ over the positions and positive semi-definite, each loss is its
 * formula on random inputs, the total loss is α and β times your own content and style losses,
 * the TV regulariser vanishes on constant images and is its sum over all positions, the CAM
 * averages to the class score (S_c = (1/HW) Σ M_c), and every gradient against the numerical
 * derivative of the student's own loss (full on small inputs, along random directions on larger).
 */
import fc from 'fast-check';
import { A22, ascentExample, camExample, contentExample, deepDreamHalf, deepDreamSum, F23, gramExample, gramPositions, inversionExample, styleNotSquared, styleTextureExample, styleTransferExample, totalExample, tvBeta1Loss, tvExample, X22 } from '../fixtures/visualization.fixtures.ts';
import { direction, imageOf, matrixOf, real, signed, vectorOf } from './engine/arbitraries.ts';
import { callText, example, expectClose, expectThat, FLOAT64, NUMERIC, property } from './engine/checks.ts';
import { scaled } from './engine/diagnose.ts';
import { directionalDerivative, numericalGradient } from './engine/numeric.ts';
import { isMatrix, isNumber, isObject, isVector } from './engine/shapes.ts';
import type { Check, FamilyGrader, StudentModule } from './engine/types.ts';

type Vec = number[];
type Mat = number[][];
type Img = number[][][];
type S = StudentModule;

// ---------------------------------------------------------------------------------------------
// mistakes the reports name (the hidden checks use the same labels)

export const MISTAKES = {
  positions: 'the Gram matrix as FᵀF (positions × positions, M × M) instead of F Fᵀ (filters × filters, N × N)',
  gramByM: 'the Gram matrix divided by M (a mean over positions): G = F Fᵀ has no normalisation, the style loss carries it',
  contentNoHalf: 'the content loss without its ½: Σ(F − P)² instead of ½Σ(F − P)²',
  notSquared: 'the style normalisation with N instead of N²: 1/(4N·M²) instead of 1/(4N²M²)',
  texture: "erratum 6: the texture-synthesis slide's 1/(N²M²) where the default is style transfer's 1/(4N²M²)",
  transfer: "erratum 6: style transfer's 1/(4N²M²) where options.normalization 'texture' asks for 1/(N²M²)",
  styleGradHalf: 'the style gradient with half its factor: 2c(G − A)F instead of 4c(G − A)F (G = F Fᵀ depends on F twice)',
  oneDirection: 'the TV regulariser with one direction only (the horizontal differences): both x_{i,j+1} − x_ij and x_{i+1,j} − x_ij enter',
  wrap: 'the TV regulariser wrapping around (the last column compared with the first): a missing neighbour gives the difference 0',
  betaIgnored: 'the exponent β/2 ignored (squares summed whatever β)',
  lambdaOnce: 'the regulariser\'s gradient −λI instead of −2λI (∂(λ‖I‖²)/∂I = 2λI)',
  descends: 'the step descends (I − η·…): class visualisation is gradient ASCENT on S_c(I) − λ‖I‖²',
  twoF: 'erratum 6: the gradient 2f reported for ½Σf² (the slide\'s "set gradient equal to its activation" objective), whose gradient is f',
  halfForSum: "options.objective 'sum' ignored: ½Σf² (gradient f) where Σf² (gradient 2f) was asked for",
  channelMean: 'the CAM averaged over channels (divided by K) instead of summed: M_c(h,w) = Σ_k w_{k,c} f_{h,w,k}',
  scoreSum: 'the score summed over positions without 1/(HW): S_c is the mean of M_c over the H·W positions',
  scoreChannelMean: 'the score averaged over channels (divided by K) instead of over the H·W positions',
} as const;

// ---------------------------------------------------------------------------------------------
// definitions the checks compute from (no reference)

const sum = (v: Vec) => v.reduce((a, b) => a + b, 0);
const dot = (a: Vec, b: Vec) => a.reduce((s, v, i) => s + v * b[i], 0);
const shaped = (v: Vec, r: number, c: number): Mat => Array.from({ length: r }, (_, i) => v.slice(i * c, (i + 1) * c));
const columns = (F: Mat): Mat => F[0].map((_, j) => F.map((row) => row[j]));
/** Σ_i x_i x_iᵀ over the columns x_i of F ([Training] "Gram Matrix": G = Σ_{i=1}^{HW} x_i x_iᵀ). */
export const outerSum = (F: Mat): Mat => F.map((_, a) => F.map((_, b) => sum(columns(F).map((x) => x[a] * x[b]))));
export const styleConstant = (N: number, M: number, normalization?: string) => (normalization === 'texture' ? 1 : 1 / 4) / (N * N * M * M);
export const styleValue = (F: Mat, A: Mat, c: number) => c * sum(outerSum(F).flatMap((row, i) => row.map((g, j) => (g - A[i][j]) ** 2)));
/** ∂E/∂F = 4c(G − A)F for a symmetric A (G = F Fᵀ enters through both of its factors). */
export const styleGradient = (F: Mat, A: Mat, c: number): Mat => {
  const D = outerSum(F).map((row, i) => row.map((g, j) => g - A[i][j]));
  return D.map((row) => F[0].map((_, m) => 4 * c * sum(row.map((d, k) => d * F[k][m]))));
};
/** R_β with a missing neighbour giving 0; `horizontalOnly` and `wrap` build the named mistakes. */
export const tvValue = (x: Mat, beta: number, { horizontalOnly = false, wrap = false } = {}) => {
  const [H, W] = [x.length, x[0].length];
  let r = 0;
  for (let i = 0; i < H; i++) {
    for (let j = 0; j < W; j++) {
      const a = j + 1 < W ? x[i][j + 1] - x[i][j] : wrap ? x[i][0] - x[i][j] : 0;
      const b = horizontalOnly ? 0 : i + 1 < H ? x[i + 1][j] - x[i][j] : wrap ? x[0][j] - x[i][j] : 0;
      r += (a * a + b * b) ** (beta / 2);
    }
  }
  return r;
};
/** M_c(h, w) = Σ_k w[k][c]·f[k][h][w]. */
export const camOf = (f: Img, w: Mat, c: number): Mat => f[0].map((row, h) => row.map((_, x) => sum(f.map((fk, k) => w[k][c] * fk[h][x]))));
const mean = (M: Mat) => sum(M.flat()) / M.flat().length;

// ---------------------------------------------------------------------------------------------
// inputs

/** Entries of magnitude 0.1 … 3 with either sign: no entry shrinks to 0, where a missing factor hides. */
const entry = signed(0.1, 3);
export const features = ({ maxN = 4, maxM = 5 } = {}): fc.Arbitrary<Mat> =>
  fc.tuple(fc.integer({ min: 1, max: maxN }), fc.integer({ min: 2, max: maxM })).chain(([N, M]) => matrixOf(N, M, entry));
/** F and a style Gram matrix A = F'F'ᵀ of another N × M' feature map (symmetric PSD, as the contract says). */
export const styleCase = (o = {}): fc.Arbitrary<[Mat, Mat]> =>
  features(o).chain((F) => fc.tuple(fc.constant(F), fc.integer({ min: 1, max: 5 }).chain((m) => matrixOf(F.length, m, entry)).map(outerSum)));
/** Distinct hundredths in [−5, 5]: neighbouring differences never 0, so every term of R_β is smooth. */
export const distinctImage = (maxH = 4, maxW = 4): fc.Arbitrary<Mat> =>
  fc.tuple(fc.integer({ min: 1, max: maxH }), fc.integer({ min: 2, max: maxW })).chain(([H, W]) =>
    fc.uniqueArray(fc.integer({ min: -500, max: 500 }), { minLength: H * W, maxLength: H * W }).map((v) => shaped(v.map((a) => a / 100), H, W)),
  );
export const betas = fc.constantFrom(1, 1.5, 2, 3, 4);
export const camCase = ({ maxK = 4, maxHW = 4, maxC = 3 } = {}): fc.Arbitrary<[Img, Mat]> =>
  fc.record({ K: fc.integer({ min: 1, max: maxK }), H: fc.integer({ min: 1, max: maxHW }), W: fc.integer({ min: 1, max: maxHW }), C: fc.integer({ min: 1, max: maxC }) }).chain(({ K, H, W, C }) =>
    fc.tuple(imageOf(K, H, W, real({ min: -3, max: 3 })), matrixOf(K, C, entry)),
  );

// ---------------------------------------------------------------------------------------------
// calling the student's functions with shape checks

async function matrixFrom(s: S, name: string, args: unknown[], r: number, c: number): Promise<Mat> {
  const out = await s.call(name, args);
  expectThat(isMatrix(out, r, c), `${callText(name, args)} must return ${r} × ${c} finite numbers`, out);
  return out as Mat;
}

/** A { loss, <grad> } result: loss a finite number, the gradient of shape r × c. */
async function lossAndGrad(s: S, name: string, args: unknown[], grad: string, r: number, c: number): Promise<{ loss: number; g: Mat }> {
  const out = await s.call(name, args);
  expectThat(isObject(out) && isNumber(out.loss) && isMatrix(out[grad], r, c), `${callText(name, args)} must return { loss: number, ${grad}: ${r} × ${c} } of finite numbers`, out);
  const o = out as Record<string, unknown>;
  return { loss: o.loss as number, g: o[grad] as Mat };
}

/** Full numerical gradient of the student's own loss at X (small inputs). */
async function fullCheck(loss: (X: Mat) => Promise<number>, X: Mat, g: Mat, what: string): Promise<void> {
  const [r, c] = [X.length, X[0].length];
  const numeric = await numericalGradient(async (v) => loss(shaped(v, r, c)), X.flat());
  expectClose(g, shaped(numeric, r, c), NUMERIC, what);
}

/** vᵀg against the directional derivative of the student's own loss (any size: two evaluations). */
async function directionalCheck(loss: (X: Mat) => Promise<number>, X: Mat, g: Mat, v: Vec, what: string): Promise<void> {
  const [r, c] = [X.length, X[0].length];
  const numeric = await directionalDerivative(async (u) => loss(shaped(u, r, c)), X.flat(), v);
  expectClose(dot(g.flat(), v), numeric, NUMERIC, what);
}
const withDirection = <T extends Mat>(arb: fc.Arbitrary<T>) => arb.chain((X) => fc.tuple(fc.constant(X), direction(X.length * X[0].length)));

// ---------------------------------------------------------------------------------------------
// Q1 — gramMatrix

const gramChecks: Check[] = [
  example({
    id: 'Q1.gramMatrix.example', exercise: 'gramMatrix', catalogue: 'Q1',
    title: 'F = [[1, 2, 0], [0, 1, 3]] (2 filters × 3 positions): G = F Fᵀ = [[5, 2], [2, 10]]',
    hint: 'Q1: G_ij = Σ_k F_ik F_jk, the inner product of filters i and j over the positions ([Training] "Style Loss Function"): N × N',
    args: [F23], expected: gramExample.expected,
    variants: { [MISTAKES.positions]: gramPositions, [MISTAKES.gramByM]: scaled(gramExample.expected, 1 / 3) },
  }),
  property({
    id: 'Q1.gramMatrix.outer-products', exercise: 'gramMatrix', catalogue: 'Q1', numRuns: 60,
    title: 'on random F (N ≠ M allowed): G is N × N and equals Σ_i x_i x_iᵀ over the columns x_i of F (one C-vector per position)',
    hint: 'Q1: [Training] "Neural Texture Synthesis: Gram Matrix": G = Σ_{i=1}^{HW} x_i x_iᵀ, x_i the features at position i',
    arbitrary: features(),
    verify: async (F, s) => {
      const G = await matrixFrom(s, 'gramMatrix', [F], F.length, F.length);
      expectClose(G, outerSum(F), FLOAT64, callText('gramMatrix', [F]), { [MISTAKES.gramByM]: scaled(outerSum(F), 1 / F[0].length) });
    },
  }),
  property({
    id: 'Q1.gramMatrix.symmetric-psd', exercise: 'gramMatrix', catalogue: 'Q1', numRuns: 60,
    title: 'G is symmetric, and vᵀGv = ‖Fᵀv‖² ≥ 0 for random v (positive semi-definite)',
    hint: 'Q1: G = F Fᵀ, so Gᵀ = G and vᵀGv = (Fᵀv)·(Fᵀv)',
    arbitrary: features().chain((F) => fc.tuple(fc.constant(F), vectorOf(F.length, real({ min: -2, max: 2 })))),
    verify: async ([F, v], s) => {
      const G = await matrixFrom(s, 'gramMatrix', [F], F.length, F.length);
      expectClose(G, G[0].map((_, j) => G.map((row) => row[j])), FLOAT64, `${callText('gramMatrix', [F])} vs its transpose`);
      const Ftv = columns(F).map((x) => dot(x, v));
      expectClose(dot(v, G.map((row) => dot(row, v))), dot(Ftv, Ftv), FLOAT64, 'vᵀGv vs ‖Fᵀv‖²');
    },
  }),
];

// ---------------------------------------------------------------------------------------------
// Q2 — contentLoss

const contentChecks: Check[] = [
  example({
    id: 'Q2.contentLoss.example', exercise: 'contentLoss', catalogue: 'Q2',
    title: 'F = [[1, 2], [3, 4]], P = [[0, 2], [1, 1]]: loss ½(1 + 0 + 4 + 9) = 7, dF = F − P = [[1, 0], [2, 3]]',
    hint: 'Q2: L_content = ½ Σ_ij (F_ij − P_ij)², ∂L/∂F = F − P ([Training] "Content Loss Function")',
    args: [contentExample.input.F, contentExample.input.P], expected: contentExample.expected,
    variants: { [MISTAKES.contentNoHalf]: { loss: 14, dF: scaled(contentExample.expected.dF, 2) } },
  }),
  property({
    id: 'Q2.contentLoss.definition', exercise: 'contentLoss', catalogue: 'Q2', numRuns: 60,
    title: 'on random F and P: loss = ½ Σ (F − P)²',
    hint: 'Q2: half the sum of squared differences over all filters and positions',
    arbitrary: features().chain((F) => fc.tuple(fc.constant(F), matrixOf(F.length, F[0].length, entry))),
    verify: async ([F, P], s) => {
      const { loss } = await lossAndGrad(s, 'contentLoss', [F, P], 'dF', F.length, F[0].length);
      const expected = 0.5 * sum(F.flatMap((row, i) => row.map((v, j) => (v - P[i][j]) ** 2)));
      expectClose(loss, expected, FLOAT64, `${callText('contentLoss', [F, P])}.loss`, { [MISTAKES.contentNoHalf]: 2 * expected });
    },
  }),
  property({
    id: 'Q2.contentLoss.gradient', exercise: 'contentLoss', catalogue: 'Q2', numRuns: 15,
    title: 'dF equals the numerical gradient of your own loss with respect to F',
    hint: 'Q2: ∂(½Σ(F − P)²)/∂F = F − P (the ½ cancels the 2)',
    arbitrary: features({ maxN: 3, maxM: 3 }).chain((F) => fc.tuple(fc.constant(F), matrixOf(F.length, F[0].length, entry))),
    verify: async ([F, P], s) => {
      const { g } = await lossAndGrad(s, 'contentLoss', [F, P], 'dF', F.length, F[0].length);
      await fullCheck(async (X) => (await lossAndGrad(s, 'contentLoss', [X, P], 'dF', F.length, F[0].length)).loss, F, g, 'dF vs central differences of your contentLoss');
    },
  }),
];

// ---------------------------------------------------------------------------------------------
// Q3 — styleLayerLoss

const styleChecks: Check[] = [
  example({
    id: 'Q3.styleLayerLoss.example', exercise: 'styleLayerLoss', catalogue: 'Q3',
    title: 'F = [[1, 2, 0], [0, 1, 3]] (N = 2, M = 3), A = [[4, 1], [1, 8]]: E = Σ(G − A)²/(4N²M²) = 7/144, dF = (G − A)F/36',
    hint: 'Q3: E = 1/(4N²M²) Σ(G − A)² by default ([Training] "Style Loss Function"); ∂E/∂F = 4c(G − A)F for a symmetric A',
    args: [styleTransferExample.input.F, styleTransferExample.input.A], expected: styleTransferExample.expected,
    variants: {
      [MISTAKES.texture]: styleTextureExample.expected,
      [MISTAKES.notSquared]: { loss: styleNotSquared, dF: scaled(styleTransferExample.expected.dF, 2) },
      [MISTAKES.styleGradHalf]: { loss: styleTransferExample.expected.loss, dF: scaled(styleTransferExample.expected.dF, 0.5) },
    },
  }),
  example({
    id: 'Q3.styleLayerLoss.texture', exercise: 'styleLayerLoss', catalogue: 'Q3',
    title: "the same F and A with { normalization: 'texture' }: E = Σ(G − A)²/(N²M²) = 7/36, dF = (G − A)F/9 (erratum 6: 4× the default)",
    hint: "Q3: [Training] \"Neural Texture Synthesis\" normalises by 1/(N²M²), the style-transfer slide by 1/(4N²M²): options.normalization picks one",
    args: [F23, A22, { normalization: 'texture' }], expected: styleTextureExample.expected,
    variants: { [MISTAKES.transfer]: styleTransferExample.expected },
  }),
  property({
    id: 'Q3.styleLayerLoss.definition', exercise: 'styleLayerLoss', catalogue: 'Q3', numRuns: 60,
    title: 'on random F (N × M) and Gram matrices A, both normalisations: loss = c Σ (F Fᵀ − A)² with c = 1/(4N²M²) or 1/(N²M²)',
    hint: 'Q3: N filters (rows of F), M positions (columns); both enter squared',
    arbitrary: fc.tuple(styleCase(), fc.constantFrom(undefined, 'transfer' as const, 'texture' as const)),
    verify: async ([[F, A], normalization], s) => {
      const args = normalization === undefined ? [F, A] : [F, A, { normalization }];
      const { loss } = await lossAndGrad(s, 'styleLayerLoss', args, 'dF', F.length, F[0].length);
      const [N, M] = [F.length, F[0].length];
      const expected = styleValue(F, A, styleConstant(N, M, normalization));
      expectClose(loss, expected, FLOAT64, `${callText('styleLayerLoss', args)}.loss`, {
        [MISTAKES.notSquared]: expected * N,
        [normalization === 'texture' ? MISTAKES.transfer : MISTAKES.texture]: normalization === 'texture' ? expected / 4 : expected * 4,
      });
    },
  }),
  property({
    id: 'Q3.styleLayerLoss.gradient', exercise: 'styleLayerLoss', catalogue: 'Q3', numRuns: 30,
    title: 'along random directions v: vᵀdF equals the directional derivative of your own loss (both normalisations)',
    hint: 'Q3: E depends on F through G = F Fᵀ: ∂E/∂F = 2c((G − A) + (G − A)ᵀ)F = 4c(G − A)F',
    arbitrary: fc.tuple(styleCase(), fc.constantFrom('transfer' as const, 'texture' as const)).chain(([[F, A], n]) => fc.tuple(fc.constant(F), fc.constant(A), fc.constant(n), direction(F.length * F[0].length))),
    verify: async ([F, A, normalization, v], s) => {
      const o = { normalization };
      const { g } = await lossAndGrad(s, 'styleLayerLoss', [F, A, o], 'dF', F.length, F[0].length);
      await directionalCheck(async (X) => (await lossAndGrad(s, 'styleLayerLoss', [X, A, o], 'dF', F.length, F[0].length)).loss, F, g, v, 'vᵀdF vs the directional derivative of your styleLayerLoss');
    },
  }),
];

// ---------------------------------------------------------------------------------------------
// Q4 — totalLoss

interface TotalCase {
  content: { F: Mat; P: Mat };
  style: { F: Mat; A: Mat; w: number }[];
  alpha: number;
  beta: number;
}
export const totalCase: fc.Arbitrary<TotalCase> = fc.record({
  content: features({ maxN: 3, maxM: 3 }).chain((F) => fc.record({ F: fc.constant(F), P: matrixOf(F.length, F[0].length, entry) })),
  style: fc.array(styleCase({ maxN: 3, maxM: 3 }).chain(([F, A]) => fc.record({ F: fc.constant(F), A: fc.constant(A), w: signed(0.25, 2) })), { minLength: 1, maxLength: 3 }),
  alpha: signed(0.25, 4),
  beta: signed(0.25, 100),
});
async function totalOf(s: S, t: TotalCase, options?: unknown): Promise<{ loss: number; dContent: Mat; dStyle: Mat[] }> {
  const args = options === undefined ? [t.content, t.style, t.alpha, t.beta] : [t.content, t.style, t.alpha, t.beta, options];
  const out = await s.call('totalLoss', args);
  const ok = isObject(out) && isNumber(out.loss) && isMatrix(out.dContent, t.content.F.length, t.content.F[0].length) && Array.isArray(out.dStyle) && out.dStyle.length === t.style.length && t.style.every((l, i) => isMatrix((out.dStyle as unknown[])[i], l.F.length, l.F[0].length));
  expectThat(ok, `${callText('totalLoss', args)} must return { loss: number, dContent: like content.F, dStyle: one matrix like style[l].F per layer } of finite numbers`, out);
  return out as { loss: number; dContent: Mat; dStyle: Mat[] };
}

const totalChecks: Check[] = [
  example({
    id: 'Q4.totalLoss.example', exercise: 'totalLoss', catalogue: 'Q4',
    title: 'α = 1, β = 72, the Q2 content example and one style layer (the Q3 example, w = 2): 7 + 72·2·7/144 = 14',
    hint: 'Q4: L_total = α L_content + β Σ_l w_l E_l ([Training] "The Total Loss Function"); dContent = α ∂L_content/∂F, dStyle[l] = β w_l ∂E_l/∂F^l',
    args: [totalExample.input.content, totalExample.input.style, totalExample.input.alpha, totalExample.input.beta], expected: totalExample.expected,
  }),
  property({
    id: 'Q4.totalLoss.composition', exercise: 'totalLoss', catalogue: 'Q4', numRuns: 40,
    title: 'on random layers, weights and both normalisations: loss = α·½Σ(F − P)² + β·Σ_l w_l·c_l Σ(F_l F_lᵀ − A_l)², dContent = α(F − P), dStyle[l] = β·w_l·4c_l(G_l − A_l)F_l',
    hint: 'Q4: α weighs the content loss, β the weighted sum of the style layers\' losses; options go to every style layer (this check does not call your contentLoss or styleLayerLoss)',
    arbitrary: fc.tuple(totalCase, fc.constantFrom(undefined, { normalization: 'texture' as const })),
    verify: async ([t, o], s) => {
      // the definitions, not the student's contentLoss and styleLayerLoss: a mistake there costs points there only
      const total = await totalOf(s, t, o);
      const { F, P } = t.content;
      const cs = t.style.map((l) => styleConstant(l.F.length, l.F[0].length, o?.normalization));
      const content = 0.5 * sum(F.flatMap((row, i) => row.map((v, j) => (v - P[i][j]) ** 2)));
      expectClose(total.loss, t.alpha * content + t.beta * sum(t.style.map((l, i) => l.w * styleValue(l.F, l.A, cs[i]))), FLOAT64, 'your totalLoss vs α·L_content + β·Σ w_l E_l');
      expectClose(total.dContent, F.map((row, i) => row.map((v, j) => t.alpha * (v - P[i][j]))), FLOAT64, 'dContent vs α(F − P)');
      expectClose(total.dStyle, t.style.map((l, i) => scaled(styleGradient(l.F, l.A, cs[i]), t.beta * l.w)), FLOAT64, 'dStyle[l] vs β·w_l·4c(G − A)F');
    },
  }),
  property({
    id: 'Q4.totalLoss.gradient', exercise: 'totalLoss', catalogue: 'Q4', numRuns: 20,
    title: 'along random directions: dContent and every dStyle[l] agree with the directional derivative of your own total loss',
    hint: 'Q4: the derivative of α L_content + β Σ w_l E_l with respect to each layer\'s features',
    arbitrary: totalCase.chain((t) => fc.tuple(fc.constant(t), direction(t.content.F.flat().length), fc.tuple(...t.style.map((l) => direction(l.F.flat().length))))),
    verify: async ([t, vc, vs], s) => {
      const total = await totalOf(s, t);
      await directionalCheck(async (X) => (await totalOf(s, { ...t, content: { F: X, P: t.content.P } })).loss, t.content.F, total.dContent, vc, 'vᵀdContent vs the directional derivative of your totalLoss');
      for (let l = 0; l < t.style.length; l++) {
        const at = (X: Mat) => ({ ...t, style: t.style.map((layer, i) => (i === l ? { ...layer, F: X } : layer)) });
        await directionalCheck(async (X) => (await totalOf(s, at(X))).loss, t.style[l].F, total.dStyle[l], vs[l], `vᵀdStyle[${l}] vs the directional derivative of your totalLoss`);
      }
    },
  }),
];

// ---------------------------------------------------------------------------------------------
// Q5 — tvRegularizer, featureInversion

const tvOf = (s: S, x: Mat, beta: number) => lossAndGrad(s, 'tvRegularizer', [x, beta], 'dx', x.length, x[0].length);

const tvChecks: Check[] = [
  example({
    id: 'Q5.tvRegularizer.example', exercise: 'tvRegularizer', catalogue: 'Q5',
    title: 'x = [[1, 2], [4, 3]], β = 2: R = (1² + 3²) + (0² + 1²) + ((−1)² + 0²) + 0 = 12, dx = [[−8, 0], [8, 0]] (a missing neighbour gives 0)',
    hint: 'Q5: R_β = Σ_ij ((x_{i,j+1} − x_ij)² + (x_{i+1,j} − x_ij)²)^{β/2} over all H·W positions, a missing neighbour giving the difference 0 ([Training] "Feature Inversion")',
    args: [X22, 2], expected: tvExample.expected,
    variants: { [MISTAKES.oneDirection]: { loss: tvValue(X22, 2, { horizontalOnly: true }) }, [MISTAKES.wrap]: { loss: tvValue(X22, 2, { wrap: true }) } },
  }),
  property({
    id: 'Q5.tvRegularizer.definition', exercise: 'tvRegularizer', catalogue: 'Q5', numRuns: 60,
    title: 'on random images (H ≠ W, one row allowed) and β ∈ {1, 1.5, 2, 3, 4}: the loss is R_β summed over all positions (β = 1 on [[1, 2], [4, 3]]: 2 + √10)',
    hint: 'Q5: each position contributes (a² + b²)^{β/2}, a the difference to the right neighbour and b to the one below (0 where there is none)',
    arbitrary: fc.tuple(distinctImage(5, 5), betas),
    verify: async ([x, beta], s) => {
      expectClose((await tvOf(s, X22, 1)).loss, tvBeta1Loss, FLOAT64, 'tvRegularizer([[1, 2], [4, 3]], 1).loss', { [MISTAKES.betaIgnored]: tvExample.expected.loss });
      const { loss } = await tvOf(s, x, beta);
      expectClose(loss, tvValue(x, beta), FLOAT64, `${callText('tvRegularizer', [x, beta])}.loss`, {
        [MISTAKES.oneDirection]: tvValue(x, beta, { horizontalOnly: true }),
        [MISTAKES.wrap]: tvValue(x, beta, { wrap: true }),
        [MISTAKES.betaIgnored]: tvValue(x, 2),
      });
    },
  }),
  property({
    id: 'Q5.tvRegularizer.constant', exercise: 'tvRegularizer', catalogue: 'Q5', numRuns: 40,
    title: 'a constant image has R_β = 0 and dx = 0, and adding a constant to an image changes neither R_β nor dx',
    hint: 'Q5: R_β depends on differences of neighbours only',
    arbitrary: fc.tuple(distinctImage(4, 4), betas, real({ min: -3, max: 3 })),
    verify: async ([x, beta, c], s) => {
      const flatImage = x.map((row) => row.map(() => c));
      const zero = await tvOf(s, flatImage, beta);
      expectClose(zero, { loss: 0, g: x.map((row) => row.map(() => 0)) }, FLOAT64, `${callText('tvRegularizer', [flatImage, beta])} of a constant image`);
      const [a, b] = [await tvOf(s, x, beta), await tvOf(s, x.map((row) => row.map((v) => v + 0.5)), beta)];
      expectClose(b, a, NUMERIC, 'R_β and dx of x + 0.5 vs of x'); // NUMERIC: x + 0.5 rounds the differences (a few ulps of |x| ≤ 5.5)
    },
  }),
  property({
    id: 'Q5.tvRegularizer.gradient', exercise: 'tvRegularizer', catalogue: 'Q5', numRuns: 20,
    title: 'dx equals the numerical gradient of your own R_β on small images (neighbours all different, so every term is smooth)',
    hint: 'Q5: x_ij enters its own term (−2g(a + b)) and the terms of its left and upper neighbours (+2g·a, +2g·b), g = (β/2)(a² + b²)^{β/2 − 1}',
    arbitrary: fc.tuple(distinctImage(3, 4), betas),
    verify: async ([x, beta], s) => {
      const { g } = await tvOf(s, x, beta);
      await fullCheck(async (X) => (await tvOf(s, X, beta)).loss, x, g, `dx vs central differences of your tvRegularizer (β = ${beta})`);
    },
  }),
];

interface InversionCase {
  x: Mat;
  Phi: Mat;
  phi0: Vec;
  lambda: number;
  beta: number;
}
export const inversionCase: fc.Arbitrary<InversionCase> = fc.tuple(distinctImage(3, 3), fc.integer({ min: 1, max: 4 }), betas).chain(([x, d, beta]) =>
  fc.record({ x: fc.constant(x), Phi: matrixOf(d, x.flat().length, real({ min: -2, max: 2 })), phi0: vectorOf(d, real({ min: -3, max: 3 })), lambda: signed(0.1, 2).map(Math.abs), beta: fc.constant(beta) }),
);
const inversionArgs = (t: InversionCase, x = t.x) => [x, t.Phi, t.phi0, t.lambda, t.beta];

const inversionChecks: Check[] = [
  example({
    id: 'Q5.featureInversion.example', exercise: 'featureInversion', catalogue: 'Q5',
    title: 'x = [[1, 2], [4, 3]], Phi = [[1, 0, 0, 0], [0, 1, 1, 0]], Φ0 = [0, 5], λ = 0.5, β = 2: ‖[1, 1]‖² + 0.5·12 = 8, dx = [[−2, 2], [6, 0]]',
    hint: 'Q5: ‖Φ(x) − Φ0‖² + λR_β(x), Φ(x) = Phi·vec(x) with vec row by row; dx = 2Phiᵀ(Φ(x) − Φ0) + λ∇R_β ([Training] "Feature Inversion")',
    args: inversionArgs(inversionExample.input), expected: inversionExample.expected,
  }),
  property({
    id: 'Q5.featureInversion.definition', exercise: 'featureInversion', catalogue: 'Q5', numRuns: 50,
    title: 'on random x, Phi, Φ0, λ and β: loss = ‖Phi·vec(x) − Φ0‖² + λ·R_β(x)',
    hint: 'Q5: the squared Euclidean distance (no ½) plus λ times the TV regulariser',
    arbitrary: inversionCase,
    verify: async (t, s) => {
      const { loss } = await lossAndGrad(s, 'featureInversion', inversionArgs(t), 'dx', t.x.length, t.x[0].length);
      const r = t.Phi.map((row, k) => dot(row, t.x.flat()) - t.phi0[k]);
      expectClose(loss, dot(r, r) + t.lambda * tvValue(t.x, t.beta), FLOAT64, `${callText('featureInversion', inversionArgs(t))}.loss`);
    },
  }),
  property({
    id: 'Q5.featureInversion.gradient', exercise: 'featureInversion', catalogue: 'Q5', numRuns: 15,
    title: 'dx equals the numerical gradient of your own objective with respect to x',
    hint: 'Q5: ∂‖Φx − Φ0‖²/∂x = 2Phiᵀ(Φx − Φ0), plus λ times the TV gradient',
    arbitrary: inversionCase,
    verify: async (t, s) => {
      const { g } = await lossAndGrad(s, 'featureInversion', inversionArgs(t), 'dx', t.x.length, t.x[0].length);
      await fullCheck(async (X) => (await lossAndGrad(s, 'featureInversion', inversionArgs(t, X), 'dx', t.x.length, t.x[0].length)).loss, t.x, g, 'dx vs central differences of your featureInversion');
    },
  }),
];

// ---------------------------------------------------------------------------------------------
// Q6 — classVisualizationStep

const ascentCase = fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 4 })).chain(([H, W]) =>
  fc.tuple(matrixOf(H, W, entry), matrixOf(H, W, entry), signed(0.1, 2).map(Math.abs), signed(0.1, 2).map(Math.abs)),
);

const ascentChecks: Check[] = [
  example({
    id: 'Q6.classVisualizationStep.example', exercise: 'classVisualizationStep', catalogue: 'Q6',
    title: 'I = [[1, −1]], ∂S_c/∂I = [[0.5, 2]], η = 0.5, λ = 0.25: I + η(∂S_c/∂I − 2λI) = [[1, 0.25]]',
    hint: 'Q6: ascend S_c(I) − λ‖I‖²: its gradient is ∂S_c/∂I − 2λI ([Training] "Gradient Ascent")',
    args: [ascentExample.input.I, ascentExample.input.dScore, ascentExample.input.eta, ascentExample.input.lambda], expected: ascentExample.expected,
    variants: { [MISTAKES.lambdaOnce]: [[1.125, 0.125]], [MISTAKES.descends]: [[1, -2.25]] },
  }),
  property({
    id: 'Q6.classVisualizationStep.from-zero', exercise: 'classVisualizationStep', catalogue: 'Q6', numRuns: 40,
    title: 'from I = 0 (the slide\'s initialisation) the step is η·∂S_c/∂I, whatever λ',
    hint: 'Q6: "Initialize image I = 0 … Update image as I ← I + ∂S_c(I)/∂I": the regulariser\'s gradient −2λI vanishes at 0',
    arbitrary: ascentCase,
    verify: async ([I, dS, eta, lambda], s) => {
      const zero = I.map((row) => row.map(() => 0));
      const next = await matrixFrom(s, 'classVisualizationStep', [zero, dS, eta, lambda], I.length, I[0].length);
      expectClose(next, scaled(dS, eta), FLOAT64, callText('classVisualizationStep', [zero, dS, eta, lambda]), { [MISTAKES.descends]: scaled(dS, -eta) });
    },
  }),
  property({
    id: 'Q6.classVisualizationStep.ascent', exercise: 'classVisualizationStep', catalogue: 'Q6', numRuns: 15,
    title: 'for a linear score S_c(I) = Σ W ⊙ I (so ∂S_c/∂I = W): (step − I)/η equals the numerical gradient of S_c(I) − λ‖I‖²',
    hint: 'Q6: the step goes uphill along the gradient of the regularised score',
    arbitrary: ascentCase,
    verify: async ([I, Wlin, eta, lambda], s) => {
      const next = await matrixFrom(s, 'classVisualizationStep', [I, Wlin, eta, lambda], I.length, I[0].length);
      const objective = (v: Vec) => dot(Wlin.flat(), v) - lambda * dot(v, v);
      const numeric = await numericalGradient(objective, I.flat());
      expectClose(next.map((row, i) => row.map((v, j) => (v - I[i][j]) / eta)), shaped(numeric, I.length, I[0].length), NUMERIC, '(step − I)/η vs the central differences of S_c(I) − λ‖I‖²');
    },
  }),
];

// ---------------------------------------------------------------------------------------------
// Q7 — deepDream

async function dreamOf(s: S, f: Vec, options?: unknown): Promise<{ objective: number; grad: Vec }> {
  const args = options === undefined ? [f] : [f, options];
  const out = await s.call('deepDream', args);
  expectThat(isObject(out) && isNumber(out.objective) && isVector(out.grad, f.length), `${callText('deepDream', args)} must return { objective: number, grad: ${f.length} numbers }`, out);
  return out as { objective: number; grad: Vec };
}

const dreamChecks: Check[] = [
  example({
    id: 'Q7.deepDream.half', exercise: 'deepDream', catalogue: 'Q7',
    title: 'f = [1, −2, 3], default objective ½Σf² = 7 with gradient f = [1, −2, 3] ("set the gradient equal to the activation")',
    hint: 'Q7: the default is ½Σf², whose gradient is the activation itself (erratum 6: Σf² would have 2f)',
    args: [deepDreamHalf.input.f], expected: deepDreamHalf.expected,
    variants: { [MISTAKES.twoF]: { objective: 7, grad: [2, -4, 6] } },
  }),
  example({
    id: 'Q7.deepDream.sum', exercise: 'deepDream', catalogue: 'Q7',
    title: "f = [1, −2, 3] with { objective: 'sum' }: Σf² = 14 with gradient 2f = [2, −4, 6] (the slide's I* = argmax Σ f_i(I)²)",
    hint: "Q7: options.objective 'sum' is the slide's Σ_i f_i², whose gradient is 2f",
    args: [deepDreamSum.input.f, deepDreamSum.input.options], expected: deepDreamSum.expected,
    variants: { [MISTAKES.halfForSum]: deepDreamHalf.expected },
  }),
  property({
    id: 'Q7.deepDream.gradient', exercise: 'deepDream', catalogue: 'Q7', numRuns: 30,
    title: 'for both objectives, grad equals the numerical gradient of your own objective',
    hint: 'Q7: ∂(½Σf²)/∂f = f and ∂(Σf²)/∂f = 2f',
    arbitrary: fc.tuple(vectorOf(4, entry), fc.constantFrom(undefined, { objective: 'half' as const }, { objective: 'sum' as const })),
    verify: async ([f, o], s) => {
      const { grad } = await dreamOf(s, f, o);
      const numeric = await numericalGradient(async (v) => (await dreamOf(s, v, o)).objective, f);
      expectClose(grad, numeric, NUMERIC, 'grad vs central differences of your objective', { [MISTAKES.twoF]: scaled(numeric, 2) });
    },
  }),
];

// ---------------------------------------------------------------------------------------------
// Q8 — classActivationMap, classScores

const camChecks: Check[] = [
  example({
    id: 'Q8.classActivationMap.example', exercise: 'classActivationMap', catalogue: 'Q8',
    title: 'f = [[[1, 2]], [[3, 0]]] (K = 2 channels of 1 × 2), w = [[1, −1], [2, 1]], c = 0: M_0 = 1·[1, 2] + 2·[3, 0] = [[7, 2]]',
    hint: 'Q8: M_c(h, w) = Σ_k w_{k,c} f_{h,w,k}: a weighted SUM of the channels ([Training] "Class Activation Map (CAM)")',
    args: [camExample.input.f, camExample.input.w, 0], expected: camExample.expected.M[0],
    variants: { [MISTAKES.channelMean]: scaled(camExample.expected.M[0], 0.5) },
  }),
  property({
    id: 'Q8.classActivationMap.definition', exercise: 'classActivationMap', catalogue: 'Q8', numRuns: 50,
    title: 'on random features and weights, for every class c: M_c = Σ_k w[k][c]·f[k]',
    hint: 'Q8: w is K × C (rows channels, columns classes); M_c has the H × W shape of one channel',
    arbitrary: camCase(),
    verify: async ([f, w], s) => {
      for (let c = 0; c < w[0].length; c++) {
        const M = await matrixFrom(s, 'classActivationMap', [f, w, c], f[0].length, f[0][0].length);
        expectClose(M, camOf(f, w, c), FLOAT64, callText('classActivationMap', [f, w, c]), { [MISTAKES.channelMean]: scaled(camOf(f, w, c), 1 / f.length) });
      }
    },
  }),
  property({
    id: 'Q8.classActivationMap.identity', exercise: 'classActivationMap', catalogue: 'Q8', numRuns: 50,
    title: 'the mean of M_c over the H·W positions is the class score Σ_k w_{k,c}·F_k after global average pooling',
    hint: 'Q8: S_c = Σ_k w_{k,c} (1/HW) Σ_{h,w} f_{h,w,k} = (1/HW) Σ_{h,w} M_c(h, w)',
    arbitrary: camCase(),
    verify: async ([f, w], s) => {
      const F = f.map((fk) => mean(fk));
      for (let c = 0; c < w[0].length; c++) {
        const M = await matrixFrom(s, 'classActivationMap', [f, w, c], f[0].length, f[0][0].length);
        expectClose(mean(M), sum(F.map((Fk, k) => w[k][c] * Fk)), FLOAT64, `the mean of your M_${c} vs S_${c}`);
      }
    },
  }),
];

const scoreChecks: Check[] = [
  example({
    id: 'Q8.classScores.example', exercise: 'classScores', catalogue: 'Q8',
    title: 'the same f and w: F = [1.5, 1.5] after global average pooling, S = [1·1.5 + 2·1.5, −1.5 + 1.5] = [4.5, 0]',
    hint: 'Q8: S_c = Σ_k w_{k,c} F_k with F_k = (1/HW) Σ_{h,w} f_{h,w,k}',
    args: [camExample.input.f, camExample.input.w], expected: camExample.expected.S,
    variants: { [MISTAKES.scoreSum]: [9, 0] }, // K = H·W = 2 here: a mean over channels only shows on the random maps
  }),
  property({
    id: 'Q8.classScores.identity', exercise: 'classScores', catalogue: 'Q8', numRuns: 50,
    title: 'on random features and weights: S_c = (1/HW) Σ_{h,w} M_c(h, w) for every class (non-square maps, K ≠ H·W)',
    hint: 'Q8: average over the H·W positions (global average pooling), not over the K channels',
    arbitrary: camCase(),
    verify: async ([f, w], s) => {
      const S = await s.call('classScores', [f, w]);
      expectThat(isVector(S, w[0].length), `${callText('classScores', [f, w])} must return ${w[0].length} finite numbers (one per class)`, S);
      const expected = w[0].map((_, c) => mean(camOf(f, w, c)));
      const HW = f[0].length * f[0][0].length;
      expectClose(S, expected, FLOAT64, callText('classScores', [f, w]), { [MISTAKES.scoreSum]: scaled(expected, HW), [MISTAKES.scoreChannelMean]: scaled(expected, HW / f.length) });
    },
  }),
];

export const visualization: FamilyGrader = {
  id: 'Q',
  module: 'visualization',
  title: 'Visualisation and style',
  exercises: [
    { name: 'gramMatrix', catalogue: 'Q1', arity: 1, summary: 'G = F Fᵀ (filters × filters)' },
    { name: 'contentLoss', catalogue: 'Q2', arity: 2, summary: '½Σ(F − P)² and dF = F − P' },
    { name: 'styleLayerLoss', catalogue: 'Q3', arity: 3, summary: 'c Σ(G − A)², c = 1/(4N²M²) or 1/(N²M²), and dF' },
    { name: 'totalLoss', catalogue: 'Q4', arity: 5, summary: 'α L_content + β Σ w_l E_l and the gradients per layer' },
    { name: 'tvRegularizer', catalogue: 'Q5', arity: 2, summary: 'R_β, a missing neighbour giving 0, and dx' },
    { name: 'featureInversion', catalogue: 'Q5', arity: 5, summary: '‖Φx − Φ0‖² + λR_β(x) and dx' },
    { name: 'classVisualizationStep', catalogue: 'Q6', arity: 4, summary: 'I + η(∂S_c/∂I − 2λI)' },
    { name: 'deepDream', catalogue: 'Q7', arity: 2, summary: '½Σf² (gradient f) or Σf² (gradient 2f)' },
    { name: 'classActivationMap', catalogue: 'Q8', arity: 3, summary: 'M_c = Σ_k w_{k,c} f_k' },
    { name: 'classScores', catalogue: 'Q8', arity: 2, summary: 'S_c = Σ_k w_{k,c} F_k after global average pooling' },
  ],
  checks: [...gramChecks, ...contentChecks, ...styleChecks, ...totalChecks, ...tvChecks, ...inversionChecks, ...ascentChecks, ...dreamChecks, ...camChecks, ...scoreChecks],
};
