/**
 * Family Q (visualisation and style): hidden differential checks, student vs reference on random
 * inputs. Instructor side only.
 *
 * Features have N ≠ M (so FᵀF has the wrong shape), style targets are Gram matrices of other
 * feature maps, TV images have one row or one column and β ∈ {1, 1.5, 2, 3, 4}, CAM features have
 * K ≠ H·W (a mean over channels differs from one over positions). Each check names the mistakes
 * its wrong values match by running the public grader's definitions with a wrong convention.
 */
import fc from 'fast-check';
import * as ref from '../../reference/visualization.ts';
import { matrixOf, real, signed, vectorOf } from '../engine/arbitraries.ts';
import { differential } from '../engine/checks.ts';
import { scaled } from '../engine/diagnose.ts';
import type { Check } from '../engine/types.ts';
import { betas, camCase, camOf, distinctImage, features, inversionCase, MISTAKES, outerSum, styleCase, totalCase, tvValue } from '../visualization.grader.ts';

type Mat = number[][];

const transpose = (F: Mat): Mat => F[0].map((_, j) => F.map((row) => row[j]));
const entry = signed(0.1, 3);

export const hidden: Check[] = [
  differential({
    id: 'Q1.gramMatrix.reference', exercise: 'gramMatrix', catalogue: 'Q1', numRuns: 100,
    title: 'gramMatrix matches the reference on random F (N filters ≠ M positions)',
    hint: 'Q1: G = F Fᵀ, N × N',
    arbitrary: features({ maxN: 5, maxM: 7 }), args: (F) => [F],
    expected: (F) => ref.gramMatrix(F),
    variants: (F) => ({ [MISTAKES.positions]: outerSum(transpose(F)), [MISTAKES.gramByM]: scaled(outerSum(F), 1 / F[0].length) }),
  }),
  differential({
    id: 'Q2.contentLoss.reference', exercise: 'contentLoss', catalogue: 'Q2', numRuns: 100,
    title: 'contentLoss (loss and dF) matches the reference on random F and P',
    hint: 'Q2: ½Σ(F − P)², dF = F − P',
    arbitrary: features({ maxN: 5, maxM: 7 }).chain((F) => fc.tuple(fc.constant(F), matrixOf(F.length, F[0].length, entry))),
    args: ([F, P]) => [F, P],
    expected: ([F, P]) => ref.contentLoss(F, P),
  }),
  differential({
    id: 'Q3.styleLayerLoss.reference', exercise: 'styleLayerLoss', catalogue: 'Q3', numRuns: 100,
    title: 'styleLayerLoss (loss and dF) matches the reference on random F and Gram matrices A, with and without options',
    hint: 'Q3: c Σ(F Fᵀ − A)², c = 1/(4N²M²) (default) or 1/(N²M²) (texture); dF = 4c(G − A)F',
    arbitrary: fc.tuple(styleCase({ maxN: 5, maxM: 6 }), fc.constantFrom(undefined, { normalization: 'transfer' as const }, { normalization: 'texture' as const })),
    args: ([[F, A], o]) => (o === undefined ? [F, A] : [F, A, o]),
    expected: ([[F, A], o]) => ref.styleLayerLoss(F, A, o),
    variants: ([[F, A], o]) => {
      const e = ref.styleLayerLoss(F, A, o);
      const other = o?.normalization === 'texture' ? ref.styleLayerLoss(F, A) : ref.styleLayerLoss(F, A, { normalization: 'texture' });
      return { [MISTAKES.notSquared]: { loss: e.loss * F.length, dF: scaled(e.dF, F.length) }, [o?.normalization === 'texture' ? MISTAKES.transfer : MISTAKES.texture]: other };
    },
  }),
  differential({
    id: 'Q4.totalLoss.reference', exercise: 'totalLoss', catalogue: 'Q4', numRuns: 60,
    title: 'totalLoss (loss, dContent, dStyle) matches the reference on random layers and weights',
    hint: 'Q4: α L_content + β Σ w_l E_l',
    arbitrary: totalCase,
    args: (t) => [t.content, t.style, t.alpha, t.beta],
    expected: (t) => ref.totalLoss(t.content, t.style, t.alpha, t.beta),
  }),
  differential({
    id: 'Q5.tvRegularizer.reference', exercise: 'tvRegularizer', catalogue: 'Q5', numRuns: 100,
    title: 'tvRegularizer (loss and dx) matches the reference on random images (single rows and columns included) and β',
    hint: 'Q5: R_β over all positions, a missing neighbour giving 0',
    arbitrary: fc.tuple(fc.oneof(distinctImage(5, 5), distinctImage(5, 5).map(transpose)), betas),
    args: ([x, beta]) => [x, beta],
    expected: ([x, beta]) => ref.tvRegularizer(x, beta),
    variants: ([x, beta]) => ({ [MISTAKES.oneDirection]: { loss: tvValue(x, beta, { horizontalOnly: true }) }, [MISTAKES.wrap]: { loss: tvValue(x, beta, { wrap: true }) }, [MISTAKES.betaIgnored]: { loss: tvValue(x, 2) } }),
  }),
  differential({
    id: 'Q5.featureInversion.reference', exercise: 'featureInversion', catalogue: 'Q5', numRuns: 60,
    title: 'featureInversion (loss and dx) matches the reference on random x, Phi, Φ0, λ and β',
    hint: 'Q5: ‖Phi·vec(x) − Φ0‖² + λR_β(x), dx = 2Phiᵀ(Φx − Φ0) + λ∇R_β',
    arbitrary: inversionCase,
    args: (t) => [t.x, t.Phi, t.phi0, t.lambda, t.beta],
    expected: (t) => ref.featureInversion(t.x, t.Phi, t.phi0, t.lambda, t.beta),
  }),
  differential({
    id: 'Q6.classVisualizationStep.reference', exercise: 'classVisualizationStep', catalogue: 'Q6', numRuns: 100,
    title: 'classVisualizationStep matches the reference on random images, score gradients, η and λ',
    hint: 'Q6: I + η(∂S_c/∂I − 2λI)',
    arbitrary: fc.tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 5 })).chain(([H, W]) => fc.tuple(matrixOf(H, W, entry), matrixOf(H, W, entry), real({ min: 0.1, max: 2 }), real({ min: 0.1, max: 2 }))),
    args: ([I, dS, eta, lambda]) => [I, dS, eta, lambda],
    expected: ([I, dS, eta, lambda]) => ref.classVisualizationStep(I, dS, eta, lambda),
    variants: ([I, dS, eta, lambda]) => ({ [MISTAKES.lambdaOnce]: I.map((row, i) => row.map((v, j) => v + eta * (dS[i][j] - lambda * v))) }),
  }),
  differential({
    id: 'Q7.deepDream.reference', exercise: 'deepDream', catalogue: 'Q7', numRuns: 100,
    title: 'deepDream (objective and grad) matches the reference on random activations, both objectives',
    hint: 'Q7: ½Σf² with gradient f (default), Σf² with gradient 2f',
    arbitrary: fc.tuple(fc.integer({ min: 1, max: 12 }).chain((n) => vectorOf(n, entry)), fc.constantFrom(undefined, { objective: 'half' as const }, { objective: 'sum' as const })),
    args: ([f, o]) => (o === undefined ? [f] : [f, o]),
    expected: ([f, o]) => ref.deepDream(f, o),
    variants: ([f, o]) => (o?.objective === 'sum' ? { [MISTAKES.halfForSum]: ref.deepDream(f) } : { [MISTAKES.twoF]: { objective: ref.deepDream(f).objective, grad: scaled(f, 2) } }),
  }),
  differential({
    id: 'Q8.classActivationMap.reference', exercise: 'classActivationMap', catalogue: 'Q8', numRuns: 100,
    title: 'classActivationMap matches the reference on random features, weights and classes',
    hint: 'Q8: M_c = Σ_k w[k][c]·f[k]',
    arbitrary: camCase({ maxK: 5, maxHW: 5, maxC: 4 }).chain(([f, w]) => fc.tuple(fc.constant(f), fc.constant(w), fc.integer({ min: 0, max: w[0].length - 1 }))),
    args: ([f, w, c]) => [f, w, c],
    expected: ([f, w, c]) => ref.classActivationMap(f, w, c),
    variants: ([f, w, c]) => ({ [MISTAKES.channelMean]: scaled(camOf(f, w, c), 1 / f.length) }),
  }),
  differential({
    id: 'Q8.classScores.reference', exercise: 'classScores', catalogue: 'Q8', numRuns: 100,
    title: 'classScores matches the reference on random features and weights',
    hint: 'Q8: S_c = Σ_k w_{k,c} F_k, F_k the mean of channel k over its H·W positions',
    arbitrary: camCase({ maxK: 5, maxHW: 5, maxC: 4 }),
    args: ([f, w]) => [f, w],
    expected: ([f, w]) => ref.classScores(f, w),
    variants: ([f, w]) => {
      const S = ref.classScores(f, w);
      const HW = f[0].length * f[0][0].length;
      return { [MISTAKES.scoreSum]: scaled(S, HW), [MISTAKES.scoreChannelMean]: scaled(S, HW / f.length) };
    },
  }),
];
