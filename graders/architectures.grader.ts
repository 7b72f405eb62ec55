/**
 * Family R (architectures): public checks. The worked examples are derived by hand or taken
 * from the papers the decks show (fixtures/architectures.fixtures.ts); then the blocks'
 * relations (the residual branch set to 0 leaves ReLU of the shortcut, ∂y/∂x = I + ∂F/∂x; a
 * dropped stochastic-depth block is the identity; an SE block with W2 = 0 halves its input;
 * inception depths and costs add over branches; a residual block counts like its convolutions;
 * Network-in-Network acts on each pixel alone), and every backward against the numerical
 * gradient of the student's own forward (full on tiny shapes, along random directions on larger
 * ones). Where a wrong value matches a known mistake, the report names it.
 */
import fc from 'fast-check';
import {
  denseNet121,
  expectedDepths,
  inceptionCosts,
  inceptionDepths,
  inceptionModel,
  ninExample,
  residualIdentity,
  residualIdentityBackward,
  residualProjection,
  residualProjectionBackward,
  seBackwardExample,
  seExample,
  smallModel,
  stochasticBlocks,
  survivalFour,
  vggFirstStage,
} from '../fixtures/architectures.fixtures.ts';
import { direction } from './engine/arbitraries.ts';
import { callText, EXACT, example, expectClose, expectThat, FLOAT64, NUMERIC, property } from './engine/checks.ts';
import type { Variants } from './engine/diagnose.ts';
import { directionalDerivative, numericalGradient } from './engine/numeric.ts';
import type { Check, FamilyGrader, StudentModule } from './engine/types.ts';
import { isImage, isMatrix, isObject, isVector } from './engine/shapes.ts';
import { imageOf, matrixOf, signed, vectorOf } from './engine/arbitraries.ts';

type Vec = number[];
type Mat = number[][];
type Img = number[][][];
type S = StudentModule;

// ---------------------------------------------------------------------------------------------
// mistakes the reports name (the hidden checks use the same labels)

export const MISTAKES = {
  reluBeforeAdd: 'the second ReLU applied before the addition: ReLU(F(x)) + x instead of ReLU(F(x) + x)',
  addBeforeSecondLayer: 'the shortcut added before the second layer: ReLU(W2(ReLU(W1 x) + x)) instead of ReLU(W2 ReLU(W1 x) + x)',
  noFinalRelu: 'no ReLU after the addition (the slide: "second nonlinearity after element-wise addition")',
  noShortcutGradient: 'the shortcut left out of ∂L/∂x: only W1ᵀδ1, without the δ2 (or W_sᵀδ2) that the addition passes straight back',
  lMinusOne: 'p_ℓ computed with ℓ − 1 instead of ℓ: p_1 = 1 and p_L ≠ p_L',
  reluGate: 'the excitation gate ReLU instead of the sigmoid: s = ReLU(W2 δ(W1 z))',
  maxSqueeze: 'the squeeze by max pooling instead of global average pooling',
  directOnly: 'only the direct path s_c·dout_c in ∂L/∂x: the path through the channel means z is missing',
  ninNoRelu: 'no ReLU between (and after) the 1×1 layers: the stack collapses to one linear map',
  ninNoBias: 'the biases b left out',
  stochasticNoRelu: 'no ReLU after the addition: H_ℓ = gate·f + H instead of ReLU(gate·f + H)',
} as const;

// ---------------------------------------------------------------------------------------------
// helpers (the grader's own small linear algebra: the public checks ship without reference/)


const relu = (v: number) => (v > 0 ? v : 0);
const sigmoid = (v: number) => (v >= 0 ? 1 / (1 + Math.exp(-v)) : Math.exp(v) / (1 + Math.exp(v)));
const matVec = (W: Mat, v: Vec): Vec => W.map((row) => row.reduce((s, w, j) => s + w * v[j], 0));
const add = (a: Vec, b: Vec): Vec => a.map((v, i) => v + b[i]);
const dot = (a: Vec, b: Vec) => a.reduce((s, v, i) => s + v * b[i], 0);
const zeros = (r: number, c: number): Mat => Array.from({ length: r }, () => new Array<number>(c).fill(0));
const reshape = (v: Vec, r: number, c: number): Mat => Array.from({ length: r }, (_, i) => v.slice(i * c, (i + 1) * c));
const shapeImage = (v: Vec, C: number, H: number, W: number): Img => Array.from({ length: C }, (_, c) => reshape(v.slice(c * H * W, (c + 1) * H * W), H, W));

/** Entries of magnitude in [lo, hi] with either sign: shrinking stops at ±lo. */
/** The family's default entries: magnitudes in [0.1, 2] with either sign. */
const vec = (n: number, e = signed(0.1, 2)) => vectorOf(n, e);
const mat = (r: number, c: number, e = signed(0.1, 2)) => matrixOf(r, c, e);
const image = (C: number, H: number, W: number, e = signed(0.1, 2)) => imageOf(C, H, W, e);

// ---------------------------------------------------------------------------------------------
// R1 — residual block

/** One residual-block input, shared with the hidden checks. */
export interface ResidualCase {
  x: Vec;
  W1: Mat;
  W2: Mat;
  Ws: Mat | null;
}
const resArgs = (t: ResidualCase) => [t.x, t.W1, t.W2, t.Ws];

/** n inputs, m hidden units, p outputs; identity shortcut (p = n) or projection W_s [p × n]. */
export const residualCase = ({ maxN = 4, maxM = 4, shortcut = 'any' as 'any' | 'identity' | 'projection' } = {}): fc.Arbitrary<ResidualCase> =>
  fc
    .record({ n: fc.integer({ min: 1, max: maxN }), m: fc.integer({ min: 1, max: maxM }), p: fc.integer({ min: 1, max: maxN }), proj: shortcut === 'any' ? fc.boolean() : fc.constant(shortcut === 'projection') })
    .chain(({ n, m, p, proj }) => fc.record({ x: vec(n), W1: mat(m, n), W2: mat(proj ? p : n, m), Ws: proj ? mat(p, n).map((M): Mat | null => M) : fc.constant(null) }));

/** The block by its definition: ReLU(W2 ReLU(W1 x) + shortcut), with the pre-activations. */
function residualByHand(t: ResidualCase, variant: 'right' | 'reluBeforeAdd' | 'addBeforeSecondLayer' | 'noFinalRelu' = 'right') {
  const a1 = matVec(t.W1, t.x);
  const h = a1.map(relu);
  const shortcut = t.Ws === null ? t.x : matVec(t.Ws, t.x);
  const F = matVec(t.W2, h);
  const a2 = add(F, shortcut);
  if (variant === 'reluBeforeAdd') return add(F.map(relu), shortcut);
  if (variant === 'addBeforeSecondLayer') return t.Ws === null && h.length === t.x.length ? matVec(t.W2, add(h, t.x)).map(relu) : undefined;
  if (variant === 'noFinalRelu') return a2;
  return { out: a2.map(relu), a1, a2 };
}

async function resForward(s: S, t: ResidualCase): Promise<{ out: Vec; cache: unknown }> {
  const r = await s.call('residualForward', resArgs(t));
  const p = t.W2.length;
  expectThat(isObject(r) && isVector(r.out, p), `${callText('residualForward', resArgs(t))} must return { out: [${p}], cache } of finite numbers`, r);
  return r as { out: Vec; cache: unknown };
}

const resForwardChecks: Check[] = [
  example({
    id: 'R1.residualForward.example', exercise: 'residualForward', catalogue: 'R1',
    title: 'identity shortcut: x = [1, −2], W1 = [[1, 0], [1, 1]], W2 = [[2, 1], [−3, 0]] gives out = [3, 0]',
    hint: 'R1: a1 = W1 x, F = W2 ReLU(a1), out = ReLU(F + x): the second ReLU comes after the addition ([Jung] "ResNet — Identity Mapping by Shortcuts")',
    args: resArgs(residualIdentity.input), expected: residualIdentity.expected,
    variants: {
      [MISTAKES.reluBeforeAdd]: residualIdentity.wrong.reluBeforeAdd,
      [MISTAKES.addBeforeSecondLayer]: residualIdentity.wrong.addBeforeSecondLayer,
      [MISTAKES.noFinalRelu]: residualIdentity.wrong.noFinalRelu,
    },
  }),
  example({
    id: 'R1.residualForward.projection-example', exercise: 'residualForward', catalogue: 'R1',
    title: 'projection shortcut W_s [3 × 2]: out = ReLU(W2 ReLU(W1 x) + W_s x) = [1, 0, 3]',
    hint: 'R1: when the output has another length than x, the shortcut is the linear projection W_s x ("y = F(x, {W_i}) + W_s x")',
    args: resArgs(residualProjection.input), expected: residualProjection.expected,
  }),
  example({
    id: 'R1.residualForward.cache', exercise: 'residualForward', catalogue: 'R1',
    title: 'the cache of the identity example holds x, W1, W2, Ws = null, a1 = W1 x = [1, −1] and a2 = F + x = [3, −5]',
    hint: 'R1: cache = { x, W1, W2, Ws, a1, a2 } with a1 and a2 the pre-activations of the two ReLUs (a2 after the addition): residualBackward is also called with caches built to this contract',
    args: resArgs(residualIdentity.input),
    expected: { cache: { ...residualIdentity.input, ...residualIdentity.cache } },
  }),
  property({
    id: 'R1.residualForward.formula', exercise: 'residualForward', catalogue: 'R1', numRuns: 60,
    title: 'out = ReLU(W2 ReLU(W1 x) + shortcut) on random shapes, with identity and projection shortcuts',
    hint: 'R1: shortcut = x when Ws is null, W_s x otherwise; ReLU after the addition',
    arbitrary: residualCase(),
    verify: async (t, s) => {
      const { out } = await resForward(s, t);
      const expected = (residualByHand(t) as { out: Vec }).out;
      const variants: Variants = { [MISTAKES.reluBeforeAdd]: residualByHand(t, 'reluBeforeAdd'), [MISTAKES.noFinalRelu]: residualByHand(t, 'noFinalRelu') };
      const wrong = residualByHand(t, 'addBeforeSecondLayer');
      if (wrong) variants[MISTAKES.addBeforeSecondLayer] = wrong;
      expectClose(out, expected, FLOAT64, `${callText('residualForward', resArgs(t))}.out`, variants);
    },
  }),
  property({
    id: 'R1.residualForward.zero-branch', exercise: 'residualForward', catalogue: 'R1', numRuns: 40,
    title: 'with W2 = 0 the block is ReLU of its shortcut: out = ReLU(x), or ReLU(W_s x)',
    hint: 'R1: F(x) = W2 σ(W1 x) = 0 leaves y = ReLU(0 + shortcut) — the identity on x ≥ 0, the reason "pushing the residual to zero" is easy',
    arbitrary: residualCase().map((t) => ({ ...t, x: t.x.map((v, i) => (i === 0 ? -Math.abs(v) : v)), W2: t.W2.map((row) => row.map(() => 0)) })),
    verify: async (t, s) => {
      const { out } = await resForward(s, t);
      expectClose(out, (t.Ws === null ? t.x : matVec(t.Ws, t.x)).map(relu), FLOAT64, `${callText('residualForward', resArgs(t))}.out with W2 = 0`);
    },
  }),
  example({
    id: 'R1.residualForward.invalid', exercise: 'residualForward', catalogue: 'R1',
    title: 'an identity shortcut needs F(x) and x of one length: W2 with 3 rows for x of length 2 and Ws = null is an Error',
    hint: 'R1: y = F(x) + x is defined only when F(x) has the length of x; otherwise a projection W_s is required — throw an Error naming the shapes',
    args: [[1, -2], [[1, 0], [1, 1]], [[2, 1], [-3, 0], [1, 1]], null], throws: true,
  }),
];

// ---------------------------------------------------------------------------------------------
// R1 — residual block backward

type ResGrads = { dx: unknown; dW1: unknown; dW2: unknown; dWs: unknown };

/** Away from the kinks: every pre-activation at least 0.05 from 0 (a central difference must not straddle one). */
const smooth = (t: ResidualCase) => {
  const r = residualByHand(t) as { a1: Vec; a2: Vec };
  return [...r.a1, ...r.a2].every((a) => Math.abs(a) >= 0.05);
};

const resPoint = (t: ResidualCase) => [...t.x, ...t.W1.flat(), ...t.W2.flat(), ...(t.Ws ? t.Ws.flat() : [])];
function resUnpack(t: ResidualCase, v: Vec): ResidualCase {
  const [n, m, p] = [t.x.length, t.W1.length, t.W2.length];
  let o = 0;
  const take = (k: number) => v.slice(o, (o += k));
  const x = take(n);
  const W1 = reshape(take(m * n), m, n);
  const W2 = reshape(take(p * m), p, m);
  return { x, W1, W2, Ws: t.Ws ? reshape(take(p * n), p, n) : null };
}
const resLoss = (s: S, t: ResidualCase, dout: Vec) => async (v: Vec) => dot((await resForward(s, resUnpack(t, v))).out, dout);

async function resGrads(s: S, t: ResidualCase, dout: Vec): Promise<ResGrads> {
  const { cache } = await resForward(s, t);
  const g = await s.call('residualBackward', [dout, cache]);
  const [n, m, p] = [t.x.length, t.W1.length, t.W2.length];
  const ok = isObject(g) && isVector(g.dx, n) && isMatrix(g.dW1, m, n) && isMatrix(g.dW2, p, m) && (t.Ws ? isMatrix(g.dWs, p, n) : g.dWs === null);
  expectThat(ok, `residualBackward(dout, cache) must return { dx: [${n}], dW1: [${m}×${n}], dW2: [${p}×${m}], dWs: ${t.Ws ? `[${p}×${n}]` : 'null'} } of finite numbers`, g);
  return g as ResGrads;
}
const withDout = (arb: fc.Arbitrary<ResidualCase>) => arb.chain((t) => fc.tuple(fc.constant(t), vec(t.W2.length, fc.double({ min: -2, max: 2, noNaN: true }))));
const flatGrads = (g: ResGrads) => [...(g.dx as Vec), ...(g.dW1 as Mat).flat(), ...(g.dW2 as Mat).flat(), ...(g.dWs ? (g.dWs as Mat).flat() : [])];

const resBackwardChecks: Check[] = [
  example({
    id: 'R1.residualBackward.example', exercise: 'residualBackward', catalogue: 'R1',
    title: 'the identity example with dout = [1, 2]: dx = [3, 0], dW1 = [[2, −4], [0, 0]], dW2 = [[1, 0], [0, 0]], dWs = null',
    hint: 'R1: δ2 = dout ⊙ [a2 > 0]; dW2 = δ2 ReLU(a1)ᵀ; δ1 = (W2ᵀδ2) ⊙ [a1 > 0]; dW1 = δ1 xᵀ; dx = W1ᵀδ1 + δ2 (the shortcut passes δ2 straight back)',
    args: [residualIdentityBackward.input.dout, { ...residualIdentity.input, ...residualIdentity.cache }],
    expected: residualIdentityBackward.expected,
    variants: { [MISTAKES.noShortcutGradient]: residualIdentityBackward.wrong.noShortcutGradient },
  }),
  example({
    id: 'R1.residualBackward.projection-example', exercise: 'residualBackward', catalogue: 'R1',
    title: 'the projection example with dout = [1, 1, −1]: dx = [0, 1], dWs = δ2 xᵀ = [[1, −2], [0, 0], [−1, 2]]',
    hint: 'R1: with a projection, dx = W1ᵀδ1 + W_sᵀδ2 and ∂L/∂W_s = δ2 xᵀ',
    args: [residualProjectionBackward.input.dout, { ...residualProjection.input, ...residualProjection.cache }],
    expected: residualProjectionBackward.expected,
  }),
  // Worked by hand on the kinks of catalogue A3: x = [1, −1], W1 = [[1, 1], [1, 0]] gives a1 = [0, 1],
  // ReLU(a1) = [0, 1]; W2 = [[1, −1], [2, 2]] gives F = [−1, 2] and a2 = F + x = [0, 1]. With
  // dout = [1, 1]: δ2 = dout ⊙ [a2 > 0] = [0, 1], dW2 = δ2·ReLU(a1)ᵀ = [[0, 0], [0, 1]],
  // W2ᵀδ2 = [2, 2], δ1 = [2, 2] ⊙ [a1 > 0] = [0, 2], dW1 = δ1 xᵀ = [[0, 0], [2, −2]],
  // dx = W1ᵀδ1 + δ2 = [2, 0] + [0, 1] = [2, 1]. (With [a ≥ 0] it would be dx = [5, 4].)
  example({
    id: 'R1.residualBackward.kink-example', exercise: 'residualBackward', catalogue: 'R1',
    title: 'both pre-activations exactly 0 in one entry (a1 = [0, 1], a2 = [0, 1]), dout = [1, 1]: dx = [2, 1], dW1 = [[0, 0], [2, −2]], dW2 = [[0, 0], [0, 1]] (ReLU\'s derivative at 0 is 0)',
    hint: 'R1/A3: ReLU\'s derivative at exactly 0 is 0: δ2 = dout ⊙ [a2 > 0] and δ1 = (W2ᵀδ2) ⊙ [a1 > 0] with a strict >, not ≥',
    args: [[1, 1], { x: [1, -1], W1: [[1, 1], [1, 0]], W2: [[1, -1], [2, 2]], Ws: null, a1: [0, 1], a2: [0, 1] }],
    expected: { dx: [2, 1], dW1: [[0, 0], [2, -2]], dW2: [[0, 0], [0, 1]], dWs: null },
  }),
  property({
    id: 'R1.residualBackward.numeric', exercise: 'residualBackward', catalogue: 'R1', numRuns: 12,
    title: 'dx, dW1, dW2 (and dWs) equal the numerical gradient of Σ dout ⊙ your residualForward (tiny shapes, away from ReLU kinks)',
    hint: 'R1: differentiate both ReLUs (derivative 1 where the pre-activation is > 0, else 0) and both paths to x: through F and through the shortcut',
    arbitrary: withDout(residualCase({ maxN: 3, maxM: 3 }).filter(smooth)),
    verify: async ([t, dout], s) => {
      const g = await resGrads(s, t, dout);
      const numeric = resUnpack(t, await numericalGradient(resLoss(s, t, dout), resPoint(t)));
      const expected = { dx: numeric.x, dW1: numeric.W1, dW2: numeric.W2, dWs: numeric.Ws };
      // the identity shortcut's contribution to dx is δ2 = dout ⊙ [a2 > 0]
      const { a2 } = residualByHand(t) as { a2: Vec };
      const withoutShortcut = { dx: numeric.x.map((v, i) => v - (a2[i] > 0 ? dout[i] : 0)) };
      expectClose(g, expected, NUMERIC, 'residualBackward(dout, your cache) vs central differences of your residualForward', t.Ws === null ? { [MISTAKES.noShortcutGradient]: withoutShortcut } : {});
    },
  }),
  property({
    id: 'R1.residualBackward.directional', exercise: 'residualBackward', catalogue: 'R1', numRuns: 30,
    title: 'along random directions v in (x, W1, W2, W_s): vᵀ∇ equals the directional derivative of Σ dout ⊙ your residualForward',
    hint: 'R1: a directional check (S3) on larger blocks: every entry of dx, dW1, dW2 and dWs enters vᵀ∇L',
    arbitrary: withDout(residualCase({ maxN: 6, maxM: 6 }).filter(smooth)).chain(([t, dout]) => fc.tuple(fc.constant(t), fc.constant(dout), direction(resPoint(t).length))),
    verify: async ([t, dout, v], s) => {
      const g = await resGrads(s, t, dout);
      const numeric = await directionalDerivative(resLoss(s, t, dout), resPoint(t), v);
      expectClose(dot(flatGrads(g), v), numeric, NUMERIC, 'vᵀ(dx, dW1, dW2, dWs) vs (L(θ + hv) − L(θ − hv))/2h of your residualForward');
    },
  }),
  property({
    id: 'R1.residualBackward.identity-path', exercise: 'residualBackward', catalogue: 'R1', numRuns: 40,
    title: 'with W2 = 0 and an identity shortcut, ∂y/∂x = I on the unclipped outputs: dx = dout ⊙ [x > 0], dW1 = 0',
    hint: 'R1: ∂y/∂x = I + ∂F/∂x where y is not clipped by the ReLU; with F ≡ 0 only the identity remains',
    arbitrary: withDout(residualCase({ shortcut: 'identity' }).map((t) => ({ ...t, x: t.x.map((v, i) => (i === 0 ? Math.abs(v) : v)), W2: t.W2.map((row) => row.map(() => 0)) }))),
    verify: async ([t, dout], s) => {
      const g = await resGrads(s, t, dout);
      expectClose({ dx: g.dx, dW1: g.dW1 }, { dx: dout.map((d, i) => (t.x[i] > 0 ? d : 0)), dW1: zeros(t.W1.length, t.x.length) }, FLOAT64, 'residualBackward with W2 = 0', { [MISTAKES.noShortcutGradient]: { dx: t.x.map(() => 0) } });
    },
  }),
];

// ---------------------------------------------------------------------------------------------
// R2 — stochastic depth

const depthCase = fc.record({ L: fc.integer({ min: 1, max: 200 }), pL: fc.oneof(fc.constantFrom(0, 0.5, 1), fc.double({ min: 0, max: 1, noNaN: true })) });
const linearRule = (L: number, pL: number) => Array.from({ length: L }, (_, i) => 1 - ((i + 1) / L) * (1 - pL));

const stochasticChecks: Check[] = [
  example({
    id: 'R2.survivalProbabilities.example', exercise: 'survivalProbabilities', catalogue: 'R2',
    title: 'L = 4, p_L = ½: [7/8, 3/4, 5/8, 1/2]',
    hint: 'R2: p_ℓ = 1 − (ℓ/L)(1 − p_L) for ℓ = 1 … L: the last block keeps p_L, the first 1 − (1 − p_L)/L ([Jung] "Stochastic Depth")',
    args: [survivalFour.input.L, survivalFour.input.pL], expected: survivalFour.expected,
    variants: { [MISTAKES.lMinusOne]: survivalFour.wrong.lMinusOne },
  }),
  property({
    id: 'R2.survivalProbabilities.linear', exercise: 'survivalProbabilities', catalogue: 'R2',
    title: 'L entries, decreasing linearly by (1 − p_L)/L from 1 − (1 − p_L)/L to exactly p_L',
    hint: 'R2: the linear decay rule; p_L belongs to the last block ℓ = L (the input, p_0 = 1, is not a block)',
    arbitrary: depthCase,
    verify: async ({ L, pL }, s) => {
      const p = await s.call('survivalProbabilities', [L, pL]);
      expectThat(isVector(p, L), `survivalProbabilities(${L}, ${pL}) must return ${L} numbers`, p);
      const expected = linearRule(L, pL);
      expectClose(p, expected, FLOAT64, `survivalProbabilities(${L}, ${pL})`, { [MISTAKES.lMinusOne]: Array.from({ length: L }, (_, i) => 1 - (i / L) * (1 - pL)) });
    },
  }),
  example({
    id: 'R2.survivalProbabilities.rejects-pL', exercise: 'survivalProbabilities', catalogue: 'R2', title: 'a last-block survival probability p_L outside [0, 1] (p_L = 1.5) is an error',
    hint: 'R2: p_L is a probability: throw an Error naming survivalProbabilities when it is outside [0, 1] (the stub says so)',
    args: [4, 1.5], throws: true,
  }),
  example({
    id: 'R2.expectedDepth.paper-example', exercise: 'expectedDepth', catalogue: 'R2',
    title: 'the 110-layer ResNet of the paper: L = 54 blocks, p_L = ½ → E[L̃] = 40.25',
    hint: 'R2: E[L̃] = Σ_{ℓ=1}^{L} p_ℓ = L − (1 − p_L)(L + 1)/2 ((3L − 1)/4 for p_L = ½)',
    args: [54, 0.5], expected: expectedDepths[0].expected, variants: { [MISTAKES.lMinusOne]: expectedDepths[0].wrong.lMinusOne },
  }),
  example({
    id: 'R2.expectedDepth.example', exercise: 'expectedDepth', catalogue: 'R2',
    title: 'L = 4, p_L = ½: 7/8 + 3/4 + 5/8 + 1/2 = 2.75',
    hint: 'R2: the expected number of blocks kept is the sum of their survival probabilities',
    args: [4, 0.5], expected: expectedDepths[1].expected, variants: { [MISTAKES.lMinusOne]: expectedDepths[1].wrong.lMinusOne },
  }),
  example({
    id: 'R2.expectedDepth.rejects-pL', exercise: 'expectedDepth', catalogue: 'R2', title: 'a last-block survival probability p_L outside [0, 1] (p_L = −0.5) is an error',
    hint: 'R2: p_L is a probability: throw an Error naming expectedDepth when it is outside [0, 1] (the stub says so)',
    args: [4, -0.5], throws: true,
  }),
  property({
    id: 'R2.expectedDepth.closed-form', exercise: 'expectedDepth', catalogue: 'R2',
    title: 'E[L̃] = L − (1 − p_L)(L + 1)/2 for any L and p_L (L when p_L = 1)',
    hint: 'R2: Σ_{ℓ=1}^{L} (1 − (ℓ/L)(1 − p_L)) = L − (1 − p_L)(L + 1)/2',
    arbitrary: depthCase,
    verify: async ({ L, pL }, s) => {
      const e = await s.call('expectedDepth', [L, pL]);
      const expected = L - ((1 - pL) * (L + 1)) / 2;
      // Σ of L ≤ 200 terms ≤ 1: partial sums ≤ L, one rounding each, so ≤ 1.1e−16·L² absolute, and
      // E ≥ (L − 1)/2: relative ≤ ~2.2e−16·L ≈ 5e−14, inside rtol 1e−12 (atol covers E = p_L = 0 at L = 1);
      // the ℓ − 1 mistake is off by exactly 1 − p_L
      expectClose(e, expected, { rtol: 1e-12, atol: 1e-12 }, `expectedDepth(${L}, ${pL})`, { [MISTAKES.lMinusOne]: L - ((1 - pL) * (L - 1)) / 2 });
    },
  }),
  ...(['train-example', 'dropped-example', 'test-example'] as const).map((name, i) => {
    const f = stochasticBlocks[i];
    return example({
      id: `R2.stochasticDepthBlock.${name}`, exercise: 'stochasticDepthBlock', catalogue: 'R2',
      title: `H = [1, −2, ½], f = [2, 1, −1], ${f.input.mode}${f.input.mode === 'train' ? ` b = ${f.input.b}` : ` p = ${f.input.p}`} → [${f.expected.join(', ')}]`,
      hint: 'R2: train H_ℓ = ReLU(b_ℓ f_ℓ(H_{ℓ−1}) + H_{ℓ−1}); test H_ℓ = ReLU(p_ℓ f_ℓ(H_{ℓ−1}) + H_{ℓ−1}) ([Jung] "Stochastic Depth")',
      args: [f.input.H, f.input.f, f.input.mode, f.input.b, f.input.p], expected: f.expected,
    });
  }),
  example({
    id: 'R2.stochasticDepthBlock.rejects-gate', exercise: 'stochasticDepthBlock', catalogue: 'R2', title: 'a gate b that is not 0 or 1 (b = 0.5) is an error',
    hint: 'R2: b_ℓ is a Bernoulli draw, 0 or 1: throw an Error naming stochasticDepthBlock for anything else (the stub says so)',
    args: [[1, -2], [2, 1], 'train', 0.5, 0.5], throws: true,
  }),
  example({
    id: 'R2.stochasticDepthBlock.rejects-p', exercise: 'stochasticDepthBlock', catalogue: 'R2', title: 'a survival probability p outside [0, 1] (p = 1.5) is an error',
    hint: 'R2: p_ℓ is a probability: throw an Error naming stochasticDepthBlock when it is outside [0, 1] (the stub says so)',
    args: [[1, -2], [2, 1], 'test', 1, 1.5], throws: true,
  }),
  property({
    id: 'R2.stochasticDepthBlock.gate', exercise: 'stochasticDepthBlock', catalogue: 'R2',
    title: 'train: ReLU(b·f + H) (b = 0: ReLU of the identity); test: ReLU(p·f + H) — for random H, f, b, p',
    hint: 'R2: b_ℓ switches the whole branch off in training; at test time the branch is scaled by its survival probability p_ℓ, its expected gate',
    arbitrary: fc.integer({ min: 1, max: 8 }).chain((n) => fc.record({ H: vec(n), f: vec(n), mode: fc.constantFrom('train' as const, 'test' as const), b: fc.constantFrom(0 as const, 1 as const), p: fc.double({ min: 0.05, max: 0.95, noNaN: true }) })),
    verify: async (t, s) => {
      const args = [t.H, t.f, t.mode, t.b, t.p];
      const gate = t.mode === 'train' ? t.b : t.p;
      const expected = t.H.map((h, i) => relu(gate * t.f[i] + h));
      expectClose(await s.call('stochasticDepthBlock', args), expected, FLOAT64, callText('stochasticDepthBlock', args), { [MISTAKES.stochasticNoRelu]: t.H.map((h, i) => gate * t.f[i] + h) });
    },
  }),
];

// ---------------------------------------------------------------------------------------------
// R3 — dense block

const denseChecks: Check[] = [
  example({
    id: 'R3.denseBlockChannels.example', exercise: 'denseBlockChannels', catalogue: 'R3',
    title: "DenseNet-121's first block (k0 = 64, k = 32): layer 1 reads 64, layer 6 reads 224, and a 7th would read 256",
    hint: 'R3: layer ℓ (1-based) reads k0 + k(ℓ − 1) channels: the block input and the k new channels of each earlier layer ([Training] "DenseNet")',
    verify: async (s) => {
      for (const f of denseNet121) {
        const args = [f.input.k0, f.input.k, f.input.l];
        // EXACT: integer arithmetic (k0 + k(ℓ − 1))
        expectClose(await s.call('denseBlockChannels', args), f.expected, EXACT, callText('denseBlockChannels', args));
      }
    },
  }),
  property({
    id: 'R3.denseBlockChannels.growth', exercise: 'denseBlockChannels', catalogue: 'R3',
    title: 'layer 1 reads k0 channels, and each next layer reads k more',
    hint: 'R3: k is the growth rate: every layer adds k channels to what the following layers read',
    arbitrary: fc.record({ k0: fc.integer({ min: 1, max: 512 }), k: fc.integer({ min: 1, max: 64 }), l: fc.integer({ min: 1, max: 100 }) }),
    verify: async ({ k0, k, l }, s) => {
      // EXACT: integer arithmetic
      expectClose(await s.call('denseBlockChannels', [k0, k, 1]), k0, EXACT, `denseBlockChannels(${k0}, ${k}, 1)`);
      const [a, b] = [await s.call('denseBlockChannels', [k0, k, l]), await s.call('denseBlockChannels', [k0, k, l + 1])];
      expectThat(typeof a === 'number' && typeof b === 'number' && b - a === k, `denseBlockChannels(${k0}, ${k}, ${l + 1}) − denseBlockChannels(${k0}, ${k}, ${l}) = ${String(b)} − ${String(a)}, not k = ${k}`, [a, b]);
    },
  }),
];

// ---------------------------------------------------------------------------------------------
// R4 — squeeze-and-excitation

/** One SE input, shared with the hidden checks: C channels, C/r hidden units. */
export interface SECase {
  x: Img;
  W1: Mat;
  W2: Mat;
}
export const seCase = ({ maxC = 4, maxHW = 3, maxR = 3 } = {}): fc.Arbitrary<SECase> =>
  fc
    .record({ C: fc.integer({ min: 1, max: maxC }), H: fc.integer({ min: 1, max: maxHW }), W: fc.integer({ min: 1, max: maxHW }), h: fc.integer({ min: 1, max: maxR }) })
    .chain(({ C, H, W, h }) => fc.record({ x: image(C, H, W), W1: mat(h, C), W2: mat(C, h) }));

/** The block by its definition, with a chosen squeeze and gate (for the mistakes). */
function seByHand(t: SECase, squeeze: (ch: Mat) => number = (ch) => ch.flat().reduce((a, b) => a + b, 0) / ch.flat().length, gate: (v: number) => number = sigmoid) {
  const z = t.x.map(squeeze);
  const a = matVec(t.W1, z);
  const s = matVec(t.W2, a.map(relu)).map(gate);
  return { out: t.x.map((ch, c) => ch.map((row) => row.map((v) => s[c] * v))), z, a, s };
}

async function seForward(s: S, t: SECase): Promise<{ out: Img; cache: unknown }> {
  const r = await s.call('squeezeExcitation', [t.x, t.W1, t.W2]);
  const [C, H, W] = [t.x.length, t.x[0].length, t.x[0][0].length];
  expectThat(isObject(r) && isImage(r.out, C, H, W), `${callText('squeezeExcitation', [t.x, t.W1, t.W2])} must return { out: [${C}, ${H}, ${W}], cache } of finite numbers`, r);
  return r as { out: Img; cache: unknown };
}

const seChecks: Check[] = [
  example({
    id: 'R4.squeezeExcitation.example', exercise: 'squeezeExcitation', catalogue: 'R4',
    title: 'two channels [[1, 3]] and [[−2, 2]], W1 = [[1, 1]], W2 = ±ln 3/2: s = [3/4, 1/4], out = [[[3/4, 9/4]], [[−1/2, 1/2]]]',
    hint: 'R4: squeeze z_c = the mean of channel c; excite s = sigmoid(W2 ReLU(W1 z)); scale out_c = s_c·x_c ([Training] "SENet")',
    args: [seExample.input.x, seExample.input.W1, seExample.input.W2], expected: seExample.expected,
    variants: { [MISTAKES.reluGate]: seExample.wrong.reluGate, [MISTAKES.maxSqueeze]: seExample.wrong.maxSqueeze },
  }),
  example({
    id: 'R4.squeezeExcitation.cache', exercise: 'squeezeExcitation', catalogue: 'R4',
    title: 'the cache of the same example: z = [2, 0], a = W1 z = [2], s = [3/4, 1/4] (with x, W1, W2)',
    hint: 'R4: cache = { x, W1, W2, z, a, s }: z the channel means, a the ReLU\'s pre-activation, s the channel weights',
    args: [seExample.input.x, seExample.input.W1, seExample.input.W2],
    expected: { cache: { ...seExample.input, ...seExample.cache } },
  }),
  property({
    id: 'R4.squeezeExcitation.formula', exercise: 'squeezeExcitation', catalogue: 'R4', numRuns: 60,
    title: 'out_c = s_c·x_c with s = sigmoid(W2 ReLU(W1 z)) and z the channel means, on random shapes',
    hint: 'R4: GAP → FC (W1) → ReLU → FC (W2) → sigmoid → channel scale; no biases',
    arbitrary: seCase(),
    verify: async (t, s) => {
      const { out } = await seForward(s, t);
      const expected = seByHand(t).out;
      expectClose(out, expected, FLOAT64, `${callText('squeezeExcitation', [t.x, t.W1, t.W2])}.out`, {
        [MISTAKES.reluGate]: seByHand(t, undefined, relu).out,
        [MISTAKES.maxSqueeze]: seByHand(t, (ch) => Math.max(...ch.flat())).out,
      });
    },
  }),
  example({
    id: 'R4.squeezeExcitation.invalid', exercise: 'squeezeExcitation', catalogue: 'R4',
    title: 'W1 with 3 columns on a 2-channel image (z has 2 entries) is an Error',
    hint: 'R4: W1 is [C/r × C]: its columns must match the channels of x (and W2 must be [C × C/r]); throw an Error naming squeezeExcitation and the shapes',
    args: [[[[1, 3]], [[-2, 2]]], [[1, 1, 1]], [[1], [1]]], throws: true,
  }),
  property({
    id: 'R4.squeezeExcitation.zero-weights', exercise: 'squeezeExcitation', catalogue: 'R4', numRuns: 30,
    title: 'with W2 = 0 every channel weight is sigmoid(0) = ½: out = x/2',
    hint: 'R4: the gate is a sigmoid, so a zero logit scales by ½ (a ReLU gate would give 0)',
    arbitrary: seCase().map((t) => ({ ...t, W2: t.W2.map((row) => row.map(() => 0)) })),
    verify: async (t, s) => {
      expectClose((await seForward(s, t)).out, t.x.map((ch) => ch.map((row) => row.map((v) => v / 2))), FLOAT64, 'squeezeExcitation with W2 = 0');
    },
  }),
];

type SEGrads = { dx: unknown; dW1: unknown; dW2: unknown };
const sePoint = (t: SECase) => [...t.x.flat(2), ...t.W1.flat(), ...t.W2.flat()];
function seUnpack(t: SECase, v: Vec): SECase {
  const [C, H, W, h] = [t.x.length, t.x[0].length, t.x[0][0].length, t.W1.length];
  const n = C * H * W;
  return { x: shapeImage(v.slice(0, n), C, H, W), W1: reshape(v.slice(n, n + h * C), h, C), W2: reshape(v.slice(n + h * C), C, h) };
}
const seLoss = (s: S, t: SECase, dout: Img) => async (v: Vec) => dot((await seForward(s, seUnpack(t, v))).out.flat(2), dout.flat(2));
async function seGrads(s: S, t: SECase, dout: Img): Promise<SEGrads> {
  const { cache } = await seForward(s, t);
  const g = await s.call('squeezeExcitationBackward', [dout, cache]);
  const [C, H, W, h] = [t.x.length, t.x[0].length, t.x[0][0].length, t.W1.length];
  expectThat(isObject(g) && isImage(g.dx, C, H, W) && isMatrix(g.dW1, h, C) && isMatrix(g.dW2, C, h), `squeezeExcitationBackward must return { dx: [${C}, ${H}, ${W}], dW1: [${h}×${C}], dW2: [${C}×${h}] } of finite numbers`, g);
  return g as SEGrads;
}
/** Away from the ReLU's kink: every a = W1 z at least 0.05 from 0. */
const seSmooth = (t: SECase) => seByHand(t).a.every((a) => Math.abs(a) >= 0.05);
const seWithDout = (arb: fc.Arbitrary<SECase>) => arb.chain((t) => fc.tuple(fc.constant(t), image(t.x.length, t.x[0].length, t.x[0][0].length, fc.double({ min: -2, max: 2, noNaN: true }))));

const seBackwardChecks: Check[] = [
  example({
    id: 'R4.squeezeExcitationBackward.example', exercise: 'squeezeExcitationBackward', catalogue: 'R4',
    title: 'the SE example with dout = [[[1, 0]], [[0, 1]]]: dW2 = [[3/8], [3/4]], dW1 = [[−3 ln 3/16, 0]], dx = s ⊙ dout − 3 ln 3/64',
    hint: 'R4: g_c = Σ dout_c x_c; δs = g ⊙ s(1 − s); dW2 = δs ReLU(a)ᵀ; δa = (W2ᵀδs) ⊙ [a > 0]; dW1 = δa zᵀ; dx_c = s_c dout_c + (W1ᵀδa)_c/(H·W)',
    args: [seBackwardExample.input.dout, { ...seExample.input, ...seExample.cache }],
    expected: seBackwardExample.expected,
    variants: { [MISTAKES.directOnly]: seBackwardExample.wrong.directOnly },
  }),
  // Worked by hand at ReLU's kink (A3): x = [[1, 3]], [[−2, 2]] gives z = [2, 0]; W1 = [[0, 1]] gives
  // a = [0], so ReLU(a) = [0] and with W2 = [[1], [1]] s = sigmoid([0, 0]) = [½, ½]. With
  // dout = [[1, 0]], [[0, 1]]: g = Σ dout ⊙ x = [1, 2], δs = g ⊙ s(1 − s) = [1/4, 1/2],
  // dW2 = δs ReLU(a)ᵀ = [[0], [0]], δa = (W2ᵀδs) ⊙ [a > 0] = [0], so dW1 = [[0, 0]] and
  // dx = s ⊙ dout = [[½, 0]], [[0, ½]]. (With [a ≥ 0]: δa = 3/4, dW1 = [[3/2, 0]], dx[1] = [3/8, 7/8].)
  example({
    id: 'R4.squeezeExcitationBackward.kink-example', exercise: 'squeezeExcitationBackward', catalogue: 'R4',
    title: 'a = W1 z exactly 0 (z = [2, 0], W1 = [[0, 1]]), W2 = [[1], [1]], dout = [[[1, 0]], [[0, 1]]]: dW1 = [[0, 0]], dW2 = [[0], [0]], dx = [[[½, 0]], [[0, ½]]] (ReLU\'s derivative at 0 is 0)',
    hint: 'R4/A3: ReLU\'s derivative at exactly 0 is 0: δa = (W2ᵀδs) ⊙ [a > 0] with a strict >, so nothing flows back through z here',
    args: [[[[1, 0]], [[0, 1]]], { x: [[[1, 3]], [[-2, 2]]], W1: [[0, 1]], W2: [[1], [1]], z: [2, 0], a: [0], s: [0.5, 0.5] }],
    expected: { dx: [[[0.5, 0]], [[0, 0.5]]], dW1: [[0, 0]], dW2: [[0], [0]] },
  }),
  property({
    id: 'R4.squeezeExcitationBackward.numeric', exercise: 'squeezeExcitationBackward', catalogue: 'R4', numRuns: 10,
    title: 'dx, dW1 and dW2 equal the numerical gradient of Σ dout ⊙ your squeezeExcitation (tiny shapes)',
    hint: 'R4: x reaches the output twice — directly (s_c·x_c) and through z_c = mean(x_c), which moves s',
    arbitrary: seWithDout(seCase({ maxC: 2, maxHW: 2, maxR: 2 }).filter(seSmooth)),
    verify: async ([t, dout], s) => {
      const g = await seGrads(s, t, dout);
      const numeric = seUnpack(t, await numericalGradient(seLoss(s, t, dout), sePoint(t)));
      const expected = { dx: numeric.x, dW1: numeric.W1, dW2: numeric.W2 };
      const direct = seByHand(t).s;
      expectClose(g, expected, NUMERIC, 'squeezeExcitationBackward(dout, your cache) vs central differences of your squeezeExcitation', { [MISTAKES.directOnly]: { dx: dout.map((ch, c) => ch.map((row) => row.map((d) => direct[c] * d))) } });
    },
  }),
  property({
    id: 'R4.squeezeExcitationBackward.directional', exercise: 'squeezeExcitationBackward', catalogue: 'R4', numRuns: 30,
    title: 'along random directions v in (x, W1, W2): vᵀ∇ equals the directional derivative of Σ dout ⊙ your squeezeExcitation',
    hint: 'R4: a directional check (S3) on larger blocks: every entry of dx, dW1 and dW2 enters vᵀ∇L',
    arbitrary: seWithDout(seCase({ maxC: 6, maxHW: 4, maxR: 3 }).filter(seSmooth)).chain(([t, dout]) => fc.tuple(fc.constant(t), fc.constant(dout), direction(sePoint(t).length))),
    verify: async ([t, dout, v], s) => {
      const g = await seGrads(s, t, dout);
      const analytic = dot([...(g.dx as Img).flat(2), ...(g.dW1 as Mat).flat(), ...(g.dW2 as Mat).flat()], v);
      expectClose(analytic, await directionalDerivative(seLoss(s, t, dout), sePoint(t), v), NUMERIC, 'vᵀ(dx, dW1, dW2) vs (L(θ + hv) − L(θ − hv))/2h of your squeezeExcitation');
    },
  }),
];

// ---------------------------------------------------------------------------------------------
// R5 — inception module

type Branch = { type: 'conv'; size: number; filters: number; reduce?: number } | { type: 'pool'; size: number; project?: number };
export const branch: fc.Arbitrary<Branch> = fc.oneof(
  fc.record({ type: fc.constant('conv' as const), size: fc.constantFrom(1, 3, 5, 7), filters: fc.integer({ min: 1, max: 256 }) }),
  fc.record({ type: fc.constant('conv' as const), size: fc.constantFrom(1, 3, 5, 7), filters: fc.integer({ min: 1, max: 256 }), reduce: fc.integer({ min: 1, max: 128 }) }),
  fc.record({ type: fc.constant('pool' as const), size: fc.constantFrom(3, 5) }),
  fc.record({ type: fc.constant('pool' as const), size: fc.constantFrom(3, 5), project: fc.integer({ min: 1, max: 128 }) }),
);
export const inceptionCase = fc.record({ H: fc.integer({ min: 1, max: 64 }), W: fc.integer({ min: 1, max: 64 }), C: fc.integer({ min: 1, max: 512 }), branches: fc.array(branch, { minLength: 1, maxLength: 5 }) });
const branchDepth = (C: number, b: Branch) => (b.type === 'conv' ? b.filters : (b.project ?? C));
const branchCost = (H: number, W: number, C: number, b: Branch) =>
  b.type === 'conv' ? (b.reduce !== undefined ? H * W * b.reduce * C + H * W * b.filters * b.size * b.size * b.reduce : H * W * b.filters * b.size * b.size * C) : b.project !== undefined ? H * W * b.project * C : 0;

const inceptionChecks: Check[] = [
  ...inceptionDepths.map((f, i) =>
    example({
      id: `R5.inceptionDepth.${i === 0 ? 'example' : 'reduced-example'}`, exercise: 'inceptionDepth', catalogue: 'R5',
      title: `${i === 0 ? 'naive' : 'dimension-reduced'} inception module on 28×28×256: output depth ${f.expected}`,
      hint: 'R5: the branches are concatenated along the channels: depth = Σ filters of the conv branches + the depth of the pool branch (C, or its 1×1 projection\'s) ([Oh] "Naive Inception module")',
      // EXACT: a depth is a sum of integer channel counts
      args: [f.input.C, f.input.branches], expected: f.expected, tol: EXACT,
    }),
  ),
  property({
    id: 'R5.inceptionDepth.additive', exercise: 'inceptionDepth', catalogue: 'R5',
    title: 'the depth of a module is the sum of its branches\' depths: filters (a reduction does not change it), C for a pool, project for a projected pool',
    hint: 'R5: a 1×1 reduction works inside its branch; only each branch\'s last layer reaches the concatenation',
    arbitrary: inceptionCase,
    verify: async (t, s) => {
      // EXACT: integer channel counts
      for (const b of t.branches) expectClose(await s.call('inceptionDepth', [t.C, [b]]), branchDepth(t.C, b), EXACT, callText('inceptionDepth', [t.C, [b]]));
      expectClose(await s.call('inceptionDepth', [t.C, t.branches]), t.branches.reduce((d, b) => d + branchDepth(t.C, b), 0), EXACT, callText('inceptionDepth', [t.C, t.branches]));
    },
  }),
  ...inceptionCosts.map((f, i) =>
    example({
      id: `R5.inceptionMultiplies.${i === 0 ? 'example' : 'reduced-example'}`, exercise: 'inceptionMultiplies', catalogue: 'R5',
      title: `${i === 0 ? 'naive' : 'dimension-reduced'} inception module on 28×28×256: ${f.expected.toLocaleString('en-US')} multiplies`,
      hint: 'R5: a k×k conv from C_in to C_out channels costs H·W·C_out·k·k·C_in; a 1×1 reduction to r channels costs H·W·r·C and leaves the k×k conv C_in = r; pooling costs nothing ([Oh] "Inception module with dimension reduction")',
      // EXACT: integer arithmetic; the largest counts (~1e9) are far below 2^53
      args: [f.input.H, f.input.W, f.input.C, f.input.branches], expected: f.expected, tol: EXACT,
    }),
  ),
  property({
    id: 'R5.inceptionMultiplies.additive', exercise: 'inceptionMultiplies', catalogue: 'R5',
    title: 'the cost adds over branches; a branch costs H·W·C_out·k²·C_in per conv (with its 1×1 reduction or projection), a pool 0',
    hint: 'R5: count one multiply per weight per output position; a reduction adds its own 1×1 cost but shrinks the k×k conv\'s input depth',
    arbitrary: inceptionCase,
    verify: async (t, s) => {
      // EXACT: integer products ≤ 64·64·256·49·512 ≈ 2.6e10 per conv, exact in float64 (< 2^53)
      for (const b of t.branches) expectClose(await s.call('inceptionMultiplies', [t.H, t.W, t.C, [b]]), branchCost(t.H, t.W, t.C, b), EXACT, callText('inceptionMultiplies', [t.H, t.W, t.C, [b]]));
      expectClose(await s.call('inceptionMultiplies', [t.H, t.W, t.C, t.branches]), t.branches.reduce((d, b) => d + branchCost(t.H, t.W, t.C, b), 0), EXACT, callText('inceptionMultiplies', [t.H, t.W, t.C, t.branches]));
    },
  }),
];

// ---------------------------------------------------------------------------------------------
// R6 — block summary

type Shape = [number, number, number];
type Row = { type: string; shape: Shape; params: number };
async function summary(s: S, input: Shape, blocks: unknown[]): Promise<{ rows: Row[]; params: number }> {
  const r = await s.call('blockSummary', [input, blocks]);
  const ok = isObject(r) && Array.isArray(r.rows) && r.rows.length === blocks.length + 1 && r.rows.every((row) => isObject(row) && isVector(row.shape, 3) && typeof row.params === 'number') && typeof r.params === 'number';
  expectThat(ok, `${callText('blockSummary', [input, blocks])} must return { rows: [${blocks.length + 1} × { type, shape: [H, W, C], params }], params }`, r);
  return r as { rows: Row[]; params: number };
}

/** A plain conv/pool/fc/gap stack whose every layer fits, with its summary by the formulas; a pool block may omit its stride (then stride = size). */
const plainStack = fc
  .record({ H: fc.integer({ min: 4, max: 16 }), W: fc.integer({ min: 4, max: 16 }), C: fc.integer({ min: 1, max: 8 }), layers: fc.array(fc.record({ kind: fc.constantFrom('conv', 'conv', 'pool', 'fc', 'gap'), n: fc.integer({ min: 1, max: 8 }), size: fc.integer({ min: 1, max: 3 }), stride: fc.integer({ min: 1, max: 2 }), omitStride: fc.boolean(), pad: fc.integer({ min: 0, max: 1 }), bias: fc.boolean() }), { minLength: 1, maxLength: 5 }) })
  .map(({ H: H0, W: W0, C: C0, layers }) => {
    let [H, W, C] = [H0, W0, C0];
    const blocks: unknown[] = [];
    const rows: Row[] = [{ type: 'input', shape: [H, W, C], params: 0 }];
    for (const l of layers) {
      let params = 0;
      if (l.kind === 'conv' && H + 2 * l.pad >= l.size && W + 2 * l.pad >= l.size) {
        blocks.push({ type: 'conv', filters: l.n, size: l.size, stride: l.stride, pad: l.pad, bias: l.bias });
        [H, W] = [Math.floor((H + 2 * l.pad - l.size) / l.stride) + 1, Math.floor((W + 2 * l.pad - l.size) / l.stride) + 1];
        params = l.size * l.size * C * l.n + (l.bias ? l.n : 0);
        C = l.n;
      } else if (l.kind === 'pool' && H >= l.size && W >= l.size) {
        const stride = l.omitStride ? l.size : l.stride;
        blocks.push(l.omitStride ? { type: 'pool', size: l.size } : { type: 'pool', size: l.size, stride });
        [H, W] = [Math.floor((H - l.size) / stride) + 1, Math.floor((W - l.size) / stride) + 1];
      } else if (l.kind === 'fc') {
        blocks.push({ type: 'fc', units: l.n, bias: l.bias });
        params = H * W * C * l.n + (l.bias ? l.n : 0);
        [H, W, C] = [1, 1, l.n];
      } else {
        blocks.push({ type: 'gap' });
        [H, W] = [1, 1];
      }
      rows.push({ type: (blocks[blocks.length - 1] as { type: string }).type, shape: [H, W, C], params });
    }
    return { input: [H0, W0, C0] as Shape, blocks, rows, params: rows.reduce((a, r) => a + r.params, 0) };
  });

const summaryChecks: Check[] = [
  example({
    id: 'R6.blockSummary.example', exercise: 'blockSummary', catalogue: 'R6',
    title: '56×56×64 → dense(6 layers, growth 32) → residual(128, stride 2) → residual(128) → SE(16) → GAP → FC 10: 1,023,050 parameters',
    hint: 'R6: dense Σ_ℓ k²(k0 + g(ℓ − 1))g + g; residual two k×k convs (+ a 1×1 projection when the stride or the depth changes); SE 2C²/r; GAP none; FC (H·W·C)·n + n',
    // EXACT: shapes and parameter counts are integer arithmetic
    args: [smallModel.input.input, smallModel.input.blocks], expected: smallModel.expected, tol: EXACT,
  }),
  example({
    id: 'R6.blockSummary.inception-example', exercise: 'blockSummary', catalogue: 'R6',
    title: 'the dimension-reduced inception module on 28×28×256 (346,720 parameters, depth 480), then a naive one on its output',
    hint: 'R6: an inception block counts every conv in every branch (1×1 reductions and projections included) and concatenates the depths (R5)',
    // EXACT: shapes and parameter counts are integer arithmetic
    args: [inceptionModel.input.input, inceptionModel.input.blocks], expected: inceptionModel.expected, tol: EXACT,
  }),
  example({
    id: 'R6.blockSummary.vgg-example', exercise: 'blockSummary', catalogue: 'R6',
    title: 'VGG16\'s first stage on 224×224×3 (biases not counted): two 3×3 convs to 64 with pad 1, then a 2×2 max pool without a stride → [112, 112, 64]',
    hint: 'R6: a pool block without a stride pools at stride = size (non-overlapping windows, "2x2 MAX POOL stride 2"); conv params (3·3·C)·F without biases ([Oh] "Case Study: VGGNet")',
    // EXACT: shapes and parameter counts are integer arithmetic
    args: [vggFirstStage.input.input, vggFirstStage.input.blocks], expected: vggFirstStage.expected, tol: EXACT,
  }),
  property({
    id: 'R6.blockSummary.plain-layers', exercise: 'blockSummary', catalogue: 'R6',
    title: 'plain conv/pool/fc/gap stacks: ⌊(H + 2p − k)/s⌋ + 1, k²·C·F (+ F), (H·W·C)·n (+ n), and the total is the sum of the rows',
    hint: 'R6: an fc layer flattens its whole H×W×C input; pool and GAP have no parameters; biases only when bias is not false',
    arbitrary: plainStack,
    verify: async (t, s) => {
      // EXACT: shapes (floor) and parameter counts are integer arithmetic
      expectClose(await summary(s, t.input, t.blocks), { rows: t.rows, params: t.params }, EXACT, callText('blockSummary', [t.input, t.blocks]));
    },
  }),
  property({
    id: 'R6.blockSummary.blocks-as-layers', exercise: 'blockSummary', catalogue: 'R6',
    title: 'a residual block counts as its two convs (+ a 1×1 projection when the stride or depth changes), a dense block as its growing convs, an inception block by R5',
    hint: 'R6: build each block from its layers and count their weights and biases',
    // H ≠ W, so that an output width computed from H shows
    arbitrary: fc.record({ H: fc.integer({ min: 3, max: 12 }), W: fc.integer({ min: 3, max: 12 }), C: fc.integer({ min: 1, max: 8 }), F: fc.integer({ min: 1, max: 8 }), k: fc.constantFrom(1, 3, 5), s: fc.integer({ min: 1, max: 2 }), L: fc.integer({ min: 1, max: 4 }), g: fc.integer({ min: 1, max: 6 }), branches: fc.array(branch, { minLength: 1, maxLength: 3 }) }).filter((t) => t.H !== t.W),
    verify: async ({ H, W, C, F, k, s: stride, L, g, branches }, s) => {
      const p = (k - 1) / 2;
      const conv = (cin: number, cout: number, size: number) => size * size * cin * cout + cout;
      const [Ho, Wo] = [Math.floor((H + 2 * p - k) / stride) + 1, Math.floor((W + 2 * p - k) / stride) + 1];
      const projection = stride !== 1 || C !== F;
      const res = await summary(s, [H, W, C], [{ type: 'residual', filters: F, size: k, stride }]);
      // EXACT: shapes and parameter counts are integer arithmetic
      expectClose(res.rows[1], { shape: [Ho, Wo, F], params: conv(C, F, k) + conv(F, F, k) + (projection ? conv(C, F, 1) : 0) }, EXACT, `blockSummary([${H}, ${W}, ${C}], [residual ${F}, size ${k}, stride ${stride}]).rows[1]`);
      let dense = 0;
      for (let l = 1; l <= L; l++) dense += conv(C + g * (l - 1), g, k);
      const den = await summary(s, [H, W, C], [{ type: 'dense', layers: L, growth: g, size: k }]);
      // EXACT: integer arithmetic
      expectClose(den.rows[1], { shape: [H, W, C + g * L], params: dense }, EXACT, `blockSummary([${H}, ${W}, ${C}], [dense ${L} layers, growth ${g}, size ${k}]).rows[1]`);
      const odd = branches.map((b) => ({ ...b, size: b.size % 2 === 0 ? b.size + 1 : b.size }));
      const inc = await summary(s, [H, W, C], [{ type: 'inception', branches: odd }]);
      const incParams = odd.reduce((a, b) => a + (b.type === 'conv' ? (b.reduce !== undefined ? conv(C, b.reduce, 1) + conv(b.reduce, b.filters, b.size) : conv(C, b.filters, b.size)) : b.project !== undefined ? conv(C, b.project, 1) : 0), 0);
      // EXACT: integer arithmetic
      expectClose(inc.rows[1], { shape: [H, W, odd.reduce((d, b) => d + branchDepth(C, b), 0)], params: incParams }, EXACT, `blockSummary([${H}, ${W}, ${C}], [inception ${JSON.stringify(odd)}]).rows[1]`);
    },
  }),
];

// ---------------------------------------------------------------------------------------------
// R7 — Network in Network

/** One NiN input, shared with the hidden checks: C channels, 1–3 layers. */
export interface NiNCase {
  x: Img;
  layers: { W: Mat; b: Vec }[];
}
export const ninCase = ({ maxC = 4, maxHW = 4, maxLayers = 3 } = {}): fc.Arbitrary<NiNCase> =>
  fc
    .record({ C: fc.integer({ min: 1, max: maxC }), H: fc.integer({ min: 1, max: maxHW }), W: fc.integer({ min: 1, max: maxHW }), widths: fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: maxLayers }) })
    .chain(({ C, H, W, widths }) => {
      const ins = [C, ...widths];
      return fc.record({ x: image(C, H, W), layers: fc.tuple(...widths.map((w, i) => fc.record({ W: mat(w, ins[i]), b: vec(w) }))) });
    });
const pixelMlp = (z: Vec, layers: { W: Mat; b: Vec }[], act: (v: number) => number = relu) => layers.reduce((v, l) => add(matVec(l.W, v), l.b).map(act), z);
const ninByHand = (t: NiNCase, act?: (v: number) => number): Img => {
  const [H, W] = [t.x[0].length, t.x[0][0].length];
  const D = t.layers[t.layers.length - 1].W.length;
  const out = Array.from({ length: D }, () => zeros(H, W));
  for (let i = 0; i < H; i++) for (let j = 0; j < W; j++) pixelMlp(t.x.map((ch) => ch[i][j]), t.layers, act).forEach((v, c) => (out[c][i][j] = v));
  return out;
};

const ninChecks: Check[] = [
  example({
    id: 'R7.networkInNetwork.example', exercise: 'networkInNetwork', catalogue: 'R7',
    title: 'two pixels z = [1, 2] and [−1, 0] through two 1×1 layers with ReLU: out = [[[5, 0]]]',
    hint: 'R7: at every pixel, z ← ReLU(W z + b) for each layer in turn: a 1×1 convolution is a fully connected layer applied to each pixel\'s channel vector ([Oh] "1X1 Convolution")',
    args: [ninExample.input.x, ninExample.input.layers], expected: ninExample.expected,
    variants: { [MISTAKES.ninNoRelu]: ninExample.wrong.noRelu, [MISTAKES.ninNoBias]: ninExample.wrong.noBias },
  }),
  example({
    id: 'R7.networkInNetwork.invalid', exercise: 'networkInNetwork', catalogue: 'R7',
    title: 'a first layer W with 3 columns on a 2-channel image is an Error',
    hint: 'R7: layer ℓ\'s W must have as many columns as channels reach it (x\'s C for the first layer, the previous layer\'s rows after); throw an Error naming networkInNetwork and the shapes',
    args: [[[[1, 2]], [[-1, 0]]], [{ W: [[1, 1, 1]], b: [0] }]], throws: true,
  }),
  property({
    id: 'R7.networkInNetwork.per-pixel', exercise: 'networkInNetwork', catalogue: 'R7', numRuns: 30,
    title: 'each output pixel depends only on its own input pixel: the image at once equals each pixel sent alone as a 1×1 image',
    hint: 'R7: stacked 1×1 convolutions never mix positions; only the channels of one pixel are combined',
    arbitrary: ninCase().filter((t) => t.x[0].length !== t.x[0][0].length),
    verify: async (t, s) => {
      const out = await s.call('networkInNetwork', [t.x, t.layers]);
      const [H, W, D] = [t.x[0].length, t.x[0][0].length, t.layers[t.layers.length - 1].W.length];
      expectThat(isImage(out, D, H, W), `${callText('networkInNetwork', [t.x, t.layers])} must return a ${D}×${H}×${W} image`, out);
      for (let i = 0; i < H; i++) {
        for (let j = 0; j < W; j++) {
          const alone = await s.call('networkInNetwork', [t.x.map((ch) => [[ch[i][j]]]), t.layers]);
          expectClose((out as Img).map((ch) => [[ch[i][j]]]), alone, FLOAT64, `pixel (${i}, ${j}) within the image vs alone`);
        }
      }
    },
  }),
  property({
    id: 'R7.networkInNetwork.per-pixel-mlp', exercise: 'networkInNetwork', catalogue: 'R7', numRuns: 40,
    title: 'out[:, i, j] = the per-pixel MLP: ReLU(W_L … ReLU(W_1 x[:, i, j] + b_1) … + b_L)',
    hint: 'R7: every layer is a 1×1 conv with bias followed by ReLU (NiN\'s mlpconv), the last one included',
    arbitrary: ninCase(),
    verify: async (t, s) => {
      const expected = ninByHand(t);
      expectClose(await s.call('networkInNetwork', [t.x, t.layers]), expected, FLOAT64, callText('networkInNetwork', [t.x, t.layers]), {
        [MISTAKES.ninNoRelu]: ninByHand(t, (v) => v),
        [MISTAKES.ninNoBias]: ninByHand({ ...t, layers: t.layers.map((l) => ({ ...l, b: l.b.map(() => 0) })) }),
      });
    },
  }),
];

export const architectures: FamilyGrader = {
  id: 'R',
  module: 'architectures',
  title: 'Architectures',
  exercises: [
    { name: 'residualForward', catalogue: 'R1', arity: 4, summary: 'ReLU(W2 ReLU(W1 x) + shortcut), identity or projection W_s' },
    { name: 'residualBackward', catalogue: 'R1', arity: 2, summary: 'dx (through F and the shortcut), dW1, dW2, dWs' },
    { name: 'survivalProbabilities', catalogue: 'R2', arity: 2, summary: 'p_ℓ = 1 − (ℓ/L)(1 − p_L), ℓ = 1 … L' },
    { name: 'expectedDepth', catalogue: 'R2', arity: 2, summary: 'Σ p_ℓ' },
    { name: 'stochasticDepthBlock', catalogue: 'R2', arity: 5, summary: 'train ReLU(b f + H), test ReLU(p f + H)' },
    { name: 'denseBlockChannels', catalogue: 'R3', arity: 3, summary: 'k0 + k(ℓ − 1)' },
    { name: 'squeezeExcitation', catalogue: 'R4', arity: 3, summary: 'GAP → W1 → ReLU → W2 → sigmoid → channel scale' },
    { name: 'squeezeExcitationBackward', catalogue: 'R4', arity: 2, summary: 'dx (direct and through the channel means), dW1, dW2' },
    { name: 'inceptionDepth', catalogue: 'R5', arity: 2, summary: 'depth of the concatenation of the branches' },
    { name: 'inceptionMultiplies', catalogue: 'R5', arity: 4, summary: 'H·W·C_out·k²·C_in per conv, with and without 1×1 reductions' },
    { name: 'blockSummary', catalogue: 'R6', arity: 2, summary: 'shape and parameters of residual/inception/dense/SE/GAP/conv/fc blocks' },
    { name: 'networkInNetwork', catalogue: 'R7', arity: 2, summary: 'stacked 1×1 convs with ReLU = a per-pixel MLP' },
  ],
  checks: [...resForwardChecks, ...resBackwardChecks, ...stochasticChecks, ...denseChecks, ...seChecks, ...seBackwardChecks, ...inceptionChecks, ...summaryChecks, ...ninChecks],
};
