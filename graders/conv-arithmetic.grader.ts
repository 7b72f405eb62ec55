/**
 * Family I (convolution arithmetic): public checks. The notes' worked examples (errata 4 and 5
 * in the titles), the errors the conventions require (a stride that does not divide, a kernel
 * that does not fit, an even kernel for (K − 1)/2 padding), and relations that need no reference:
 * a geometry built from its output size gives that size back, 'same' at stride 1 preserves the
 * size, a transposed conv undoes a conv's size, stacking adds to the receptive field, totals sum
 * the rows. Every number is an integer: comparisons are exact.
 */
import fc from 'fast-check';
import {
  alexnetConv1,
  alexnetParams,
  alexnetShapes,
  factorisations,
  jungOutputSizes,
  outputSizes,
  poolSizes,
  receptiveFields,
  samePaddings,
  sameValid,
  transposedSizes,
  vgg16Conv1Erratum,
  vgg16FcErratum,
  vgg16MemoryErratum,
  vgg16Table,
  vgg16Totals,
  weightSharingExample,
} from '../fixtures/conv-arithmetic.fixtures.ts';
import type { Layer, Shape3 } from '../exercises/conv-arithmetic.ts';
import { short } from './engine/compare.ts';
import { callText, EXACT, example, expectArgumentError, expectClose, expectThat, property, PropertyFailure } from './engine/checks.ts';
import type { Check, FamilyGrader, StudentModule } from './engine/types.ts';

// ---------------------------------------------------------------------------------------------
// Generators of valid geometries (each has a "should only produce valid values" spec)

export interface ConvGeometryConstraints {
  maxOut?: number;
  maxK?: number;
  maxS?: number;
  maxP?: number;
  maxD?: number;
}

/**
 * An exact conv geometry, built from its output size O: W = S(O − 1) + K_eff − 2P ≥ 1 with
 * K_eff = d(K − 1) + 1, so (W − K_eff + 2P)/S + 1 = O with no remainder.
 */
export function exactConvGeometry({ maxOut = 12, maxK = 7, maxS = 4, maxP = 3, maxD = 3 }: ConvGeometryConstraints = {}) {
  return fc
    .record({ O: fc.integer({ min: 1, max: maxOut }), K: fc.integer({ min: 1, max: maxK }), S: fc.integer({ min: 1, max: maxS }), d: fc.integer({ min: 1, max: maxD }) })
    .chain((g) => {
      const Keff = g.d * (g.K - 1) + 1;
      const maxPad = Math.min(maxP, Math.floor((g.S * (g.O - 1) + Keff - 1) / 2));
      return fc.integer({ min: 0, max: maxPad }).map((P) => ({ ...g, P, Keff, W: g.S * (g.O - 1) + Keff - 2 * P }));
    });
}

/** A transposed-conv geometry with an output of at least one pixel: o = s(n − 1) + k − 2p + a ≥ 1, a < s. */
export function transposedGeometry({ maxN = 10, maxK = 6, maxS = 4, maxP = 3 } = {}) {
  return fc
    .record({ n: fc.integer({ min: 1, max: maxN }), k: fc.integer({ min: 1, max: maxK }), s: fc.integer({ min: 1, max: maxS }), p: fc.integer({ min: 0, max: maxP }) })
    .chain((g) => fc.integer({ min: 0, max: g.s - 1 }).map((a) => ({ ...g, a })))
    .filter(({ n, k, s, p }) => s * (n - 1) + k - 2 * p >= 1);
}

/** Layers for the receptive field: kernel 1–7, stride 1–3, dilation 1–3. */
export const rfLayer = fc.record({ k: fc.integer({ min: 1, max: 7 }), s: fc.integer({ min: 1, max: 3 }), d: fc.integer({ min: 1, max: 3 }) });

type Intent =
  | { type: 'conv'; filters: number; size: number; stride: number; pad: number; bias: boolean; dilation: number | null }
  | { type: 'pool'; size: number; stride: number | null }
  | { type: 'fc'; units: number; bias: boolean }
  | { type: 'norm' };

/** (W − K + 2P)/S + 1 when it is exact and ≥ 1, else null (the generator's own fit test). */
const exactOut = (W: number, K: number, P: number, S: number) => (W - K + 2 * P >= 0 && (W - K + 2 * P) % S === 0 ? (W - K + 2 * P) / S + 1 : null);

/**
 * A valid layer list: random layers, each repaired to fit exactly (a conv or pool whose stride
 * does not divide falls back to stride 1, one whose window does not fit to size 1). Some pools
 * leave out their stride (it defaults to the size), some convs are dilated (2 or 3): the
 * defaults and the effective kernel d(K − 1) + 1 the stub states.
 */
export function validLayerList({ maxLayers = 6, maxSize = 20 } = {}): fc.Arbitrary<{ input: Shape3; layers: Layer[] }> {
  const intent: fc.Arbitrary<Intent> = fc.oneof(
    { weight: 3, arbitrary: fc.record({ type: fc.constant('conv' as const), filters: fc.integer({ min: 1, max: 8 }), size: fc.integer({ min: 1, max: 5 }), stride: fc.integer({ min: 1, max: 3 }), pad: fc.integer({ min: 0, max: 2 }), bias: fc.boolean(), dilation: fc.option(fc.integer({ min: 2, max: 3 }), { freq: 3 }) }) },
    { weight: 2, arbitrary: fc.record({ type: fc.constant('pool' as const), size: fc.integer({ min: 1, max: 3 }), stride: fc.option(fc.integer({ min: 1, max: 3 }), { freq: 2 }) }) },
    { weight: 1, arbitrary: fc.record({ type: fc.constant('fc' as const), units: fc.integer({ min: 1, max: 12 }), bias: fc.boolean() }) },
    { weight: 1, arbitrary: fc.constant({ type: 'norm' as const }) },
  );
  return fc
    .record({
      input: fc.tuple(fc.integer({ min: 1, max: maxSize }), fc.integer({ min: 1, max: maxSize }), fc.integer({ min: 1, max: 4 })),
      intents: fc.array(intent, { minLength: 1, maxLength: maxLayers }),
    })
    .map(({ input, intents }) => {
      let [H, W] = input;
      const layers: Layer[] = intents.map((l): Layer => {
        if (l.type === 'conv' || l.type === 'pool') {
          const pad = l.type === 'conv' ? l.pad : 0;
          const d = l.type === 'conv' ? (l.dilation ?? 1) : 1;
          let size = l.size;
          if (exactOut(H, d * (size - 1) + 1, pad, 1) === null || exactOut(W, d * (size - 1) + 1, pad, 1) === null) size = 1;
          const k = d * (size - 1) + 1;
          let stride = l.stride ?? (l.type === 'pool' ? size : 1); // a pool's stride defaults to its size
          const fits = exactOut(H, k, pad, stride) !== null && exactOut(W, k, pad, stride) !== null;
          if (!fits) stride = 1;
          [H, W] = [exactOut(H, k, pad, stride) as number, exactOut(W, k, pad, stride) as number];
          // a stride left out stays out (the default is what is checked) unless it had to be repaired
          const strideField = l.stride === null && fits ? {} : { stride };
          if (l.type === 'pool') return { type: 'pool', size, ...strideField };
          return { type: 'conv', filters: l.filters, size, ...strideField, pad: l.pad, bias: l.bias, ...(l.dilation === null ? {} : { dilation: l.dilation }) };
        }
        if (l.type === 'fc') [H, W] = [1, 1];
        return l;
      });
      return { input: input as Shape3, layers };
    });
}

// ---------------------------------------------------------------------------------------------
// Helpers

const num = async (s: StudentModule, name: string, args: unknown[]) => (await s.call(name, args)) as number;

/** "I1-jung-N7-F3-S1" → "jung-N7-F3-S1" (the check id already carries the catalogue id). */
const slug = (fixtureId: string) => fixtureId.replace(/^I\d+-/, '');

/** An example compared exactly (integer arithmetic). */
const exact = (spec: { id: string; exercise: string; catalogue: string; title: string; hint: string; args: unknown[]; expected: unknown }) => example({ ...spec, tol: EXACT });

/** The student's value as an object (a PropertyFailure, not a TypeError, when it is not one). */
function record<T extends object>(v: unknown, what: string): T {
  expectThat(v !== null && typeof v === 'object' && !Array.isArray(v), `${what} returned ${short(v)}: expected an object`, v);
  return v as T;
}

// ---------------------------------------------------------------------------------------------
// I1 convOutputSize

const O_HINT = 'I1: O = (W − K_eff + 2P)/S + 1, K_eff = d(K − 1) + 1; P is added on both sides (2P)';

const convOutputSizeChecks: Check[] = [
  ...jungOutputSizes.map((f) => {
    const args = [f.input.W, f.input.K, f.input.P, f.input.S];
    const base = { id: `I1.convOutputSize.${slug(f.id)}`, exercise: 'convOutputSize', catalogue: 'I1' };
    return f.expected === 'error'
      ? example({ ...base, title: `N = 7, F = 3, stride 3 does not fit: "${f.printed}" must throw`, hint: 'I1: in exact mode a stride that does not divide W − K + 2P is an error (4/3 + 1 is not an integer); only rounding \'floor\' rounds down', args, throws: true })
      : exact({ ...base, title: `${f.printed} [${f.source.deck}, "${f.source.slide}"]`, hint: O_HINT, args, expected: f.expected });
  }),
  ...outputSizes.map((f) =>
    exact({
      id: `I1.convOutputSize.${slug(f.id)}`, exercise: 'convOutputSize', catalogue: 'I1',
      title: `W = ${f.input.W}, K = ${f.input.K}, P = ${f.input.P}, S = ${f.input.S} → ${f.expected}${f.printed ? ` ("${f.printed}")` : ''} [${f.source.deck}, "${f.source.slide}"]`,
      hint: O_HINT, args: [f.input.W, f.input.K, f.input.P, f.input.S], expected: f.expected,
    }),
  ),
  ...sameValid.map((f) =>
    example({
      id: `I1.convOutputSize.${slug(f.id)}`, exercise: 'convOutputSize', catalogue: 'I1', title: `${f.printed} [${f.source.deck}]`,
      hint: 'I1: "same" convolution pads P = (K − 1)/2 = 1 on each side of a 3×3, so 9 − 3 + 2 + 1 = 9; "valid" pads nothing: 9 − 3 + 1 = 7',
      verify: async (s) => {
        let W = f.input.W;
        for (const [i, l] of f.input.layers.entries()) {
          const O = await s.call('convOutputSize', [W, l.K, l.P, l.S]);
          // EXACT: integer arithmetic (sizes and counts far below 2^53: float64 holds them exactly)
          expectClose(O, f.expected[i], EXACT, `layer ${i + 1}: ${callText('convOutputSize', [W, l.K, l.P, l.S])}`);
          W = f.expected[i];
        }
      },
    }),
  ),
  exact({
    id: 'I1.convOutputSize.floor', exercise: 'convOutputSize', catalogue: 'I1', title: "N = 7, F = 3, stride 3 with rounding 'floor' → 2 (the frameworks drop the leftover column)",
    hint: "I1: rounding 'floor' is ⌊(W − K_eff + 2P)/S⌋ + 1 = ⌊4/3⌋ + 1", args: [7, 3, 0, 3, { rounding: 'floor' }], expected: 2,
  }),
  exact({
    id: 'I1.convOutputSize.dilation', exercise: 'convOutputSize', catalogue: 'I1', title: 'a 3×3 kernel at dilation 2 spans 5 pixels: W = 7, P = 0 → 3',
    hint: 'I1/I3: K_eff = d(K − 1) + 1 = 5, not d·K = 6', args: [7, 3, 0, 1, { dilation: 2 }], expected: 3,
  }),
  exact({
    id: 'I1.convOutputSize.dilation-padded', exercise: 'convOutputSize', catalogue: 'I1', title: 'a 3×3 kernel at dilation 2 with P = 2 keeps W = 7',
    hint: 'I1/I3: K_eff = 5 and 2P = 4: (7 − 5 + 4)/1 + 1 = 7', args: [7, 3, 2, 1, { dilation: 2 }], expected: 7,
  }),
  example({
    id: 'I1.convOutputSize.kernel-does-not-fit', exercise: 'convOutputSize', catalogue: 'I1', title: 'a 5×5 kernel does not fit a 3×3 input without padding: must throw',
    hint: 'I1: W − K_eff + 2P < 0 means no window fits; returning 0 or a negative size hides the mistake', args: [3, 5, 0, 1], throws: true,
  }),
  example({
    id: 'I1.convOutputSize.kernel-does-not-fit-floor', exercise: 'convOutputSize', catalogue: 'I1', title: "a kernel that does not fit is an error in rounding 'floor' too",
    hint: "I1: rounding 'floor' only drops leftover pixels at the end; it cannot make a 5×5 kernel fit a 3×3 input", args: [3, 5, 0, 1, { rounding: 'floor' }], throws: true,
  }),
  property({
    id: 'I1.convOutputSize.exact-geometry', exercise: 'convOutputSize', catalogue: 'I1', title: 'a geometry built from O gives O back: W = S(O − 1) + K_eff − 2P ⇒ convOutputSize = O',
    hint: O_HINT, arbitrary: exactConvGeometry(),
    verify: async ({ W, K, P, S, d, O }, s) => {
      const args = [W, K, P, S, { dilation: d }];
      // EXACT: integer arithmetic (sizes and counts far below 2^53: float64 holds them exactly)
      expectClose(await s.call('convOutputSize', args), O, EXACT, callText('convOutputSize', args));
    },
  }),
  property({
    id: 'I1.convOutputSize.floor-drops-leftover', exercise: 'convOutputSize', catalogue: 'I1', title: "rounding 'floor' ignores up to S − 1 extra input pixels",
    hint: "I1: ⌊(W + r − K_eff + 2P)/S⌋ + 1 = O for 0 ≤ r < S", arbitrary: exactConvGeometry().chain((g) => fc.integer({ min: 0, max: g.S - 1 }).map((r) => ({ ...g, r }))),
    verify: async ({ W, K, P, S, d, O, r }, s) => {
      const args = [W + r, K, P, S, { dilation: d, rounding: 'floor' }];
      // EXACT: integer arithmetic (sizes and counts far below 2^53: float64 holds them exactly)
      expectClose(await s.call('convOutputSize', args), O, EXACT, callText('convOutputSize', args));
    },
  }),
  property({
    id: 'I1.convOutputSize.exact-rejects-leftover', exercise: 'convOutputSize', catalogue: 'I1', title: 'in exact mode, 1 to S − 1 leftover input pixels are an error',
    hint: 'I1: when S does not divide W − K_eff + 2P the last window runs past the input: throw (the notes\' "… :\\"), do not round silently',
    arbitrary: exactConvGeometry({ maxS: 5 }).filter((g) => g.S > 1).chain((g) => fc.integer({ min: 1, max: g.S - 1 }).map((r) => ({ ...g, r }))),
    verify: ({ W, K, P, S, d, r }, s) => expectArgumentError(s, 'convOutputSize', [W + r, K, P, S, { dilation: d }], `S = ${S} does not divide W − K_eff + 2P = ${W + r - d * (K - 1) - 1 + 2 * P}`),
  }),
  property({
    id: 'I1.convOutputSize.same-stride-1', exercise: 'convOutputSize', catalogue: 'I1', title: "P = (K − 1)/2 at stride 1 preserves the size (\"same\" convolution) for every odd K",
    hint: 'I1: W − K + 2·(K − 1)/2 + 1 = W', arbitrary: fc.record({ W: fc.integer({ min: 1, max: 300 }), half: fc.integer({ min: 0, max: 5 }) }),
    verify: async ({ W, half }, s) => {
      const args = [W, 2 * half + 1, half, 1];
      // EXACT: integer arithmetic (sizes and counts far below 2^53: float64 holds them exactly)
      expectClose(await s.call('convOutputSize', args), W, EXACT, callText('convOutputSize', args));
    },
  }),
];

// ---------------------------------------------------------------------------------------------
// I2 samePadding, tfOutputSize, tfSamePads

const samePaddingChecks: Check[] = [
  ...samePaddings.map((f) =>
    exact({ id: `I2.samePadding.${slug(f.id)}`, exercise: 'samePadding', catalogue: 'I2', title: `"${f.printed}" [${f.source.deck}]`, hint: 'I2: P = (F − 1)/2 on each side', args: [f.input.F], expected: f.expected }),
  ),
  example({
    id: 'I2.samePadding.even-throws', exercise: 'samePadding', catalogue: 'I2', title: 'an even kernel (K = 4) has no equal padding: must throw',
    hint: 'I2: (K − 1)/2 = 1.5 is not a size; rounding it silently gives a layer that shrinks by one pixel', args: [4], throws: true,
  }),
  property({
    id: 'I2.samePadding.preserves-size', exercise: 'samePadding', catalogue: 'I2', title: 'for every odd K, W + 2P − K + 1 = W (the size is preserved at stride 1)',
    hint: 'I2: the padded input W + 2P must shrink back to W after a K-wide window: 2P = K − 1',
    arbitrary: fc.record({ W: fc.integer({ min: 1, max: 100 }), half: fc.integer({ min: 0, max: 10 }) }),
    verify: async ({ W, half }, s) => {
      const K = 2 * half + 1;
      const P = await num(s, 'samePadding', [K]);
      // EXACT: integer arithmetic (sizes and counts far below 2^53: float64 holds them exactly)
      expectClose(W + 2 * P - K + 1, W, EXACT, `W + 2·samePadding(${K}) − ${K} + 1 with W = ${W}`);
    },
  }),
];

const TF_HINT = "I2: TF 'same' gives ⌈W/S⌉ whatever the kernel; 'valid' gives ⌈(W − K_eff + 1)/S⌉ (a ceiling, not a floor)";

const tfOutputSizeChecks: Check[] = [
  exact({ id: 'I2.tfOutputSize.same-stride-2', exercise: 'tfOutputSize', catalogue: 'I2', title: "'same', W = 7, K = 3, S = 2 → ⌈7/2⌉ = 4", hint: TF_HINT, args: [7, 3, 2, 'same'], expected: 4 }),
  exact({ id: 'I2.tfOutputSize.same-vgg', exercise: 'tfOutputSize', catalogue: 'I2', title: "'same', W = 224, K = 3, S = 1 → 224 (VGG16's convolutions)", hint: TF_HINT, args: [224, 3, 1, 'same'], expected: 224 }),
  exact({ id: 'I2.tfOutputSize.same-dilated', exercise: 'tfOutputSize', catalogue: 'I2', title: "'same' ignores the kernel, dilated or not: W = 7, K = 3, d = 3 → 7", hint: TF_HINT, args: [7, 3, 1, 'same', 3], expected: 7 }),
  exact({ id: 'I2.tfOutputSize.valid-stride-2', exercise: 'tfOutputSize', catalogue: 'I2', title: "'valid', W = 7, K = 3, S = 2 → ⌈5/2⌉ = 3", hint: TF_HINT, args: [7, 3, 2, 'valid'], expected: 3 }),
  exact({ id: 'I2.tfOutputSize.valid-notes-stride-3', exercise: 'tfOutputSize', catalogue: 'I2', title: "'valid' on the notes' N = 7, F = 3, stride 3 → 2 (TF drops the leftover column)", hint: TF_HINT, args: [7, 3, 3, 'valid'], expected: 2 }),
  exact({ id: 'I2.tfOutputSize.valid-alexnet', exercise: 'tfOutputSize', catalogue: 'I2', title: "'valid', AlexNet conv1: W = 227, K = 11, S = 4 → 55", hint: TF_HINT, args: [227, 11, 4, 'valid'], expected: 55 }),
  exact({ id: 'I2.tfOutputSize.valid-dilated', exercise: 'tfOutputSize', catalogue: 'I2', title: "'valid', W = 7, K = 3 at dilation 2 → 7 − 5 + 1 = 3", hint: "I2/I3: 'valid' uses K_eff = d(K − 1) + 1", args: [7, 3, 1, 'valid', 2], expected: 3 }),
  example({ id: 'I2.tfOutputSize.valid-does-not-fit', exercise: 'tfOutputSize', catalogue: 'I2', title: "'valid' with a kernel larger than the input must throw", hint: "I2: 'valid' adds no padding, so K_eff > W leaves no window", args: [3, 5, 1, 'valid'], throws: true }),
  property({
    id: 'I2.tfOutputSize.same-ceil', exercise: 'tfOutputSize', catalogue: 'I2', title: "'same': (O − 1)·S < W ≤ O·S, whatever the kernel",
    hint: TF_HINT, arbitrary: fc.record({ W: fc.integer({ min: 1, max: 100 }), K: fc.integer({ min: 1, max: 9 }), S: fc.integer({ min: 1, max: 5 }), d: fc.integer({ min: 1, max: 3 }) }),
    verify: async ({ W, K, S, d }, s) => {
      const args = [W, K, S, 'same', d];
      const O = await num(s, 'tfOutputSize', args);
      expectThat(Number.isInteger(O) && (O - 1) * S < W && W <= O * S, `${callText('tfOutputSize', args)} = ${O}: 'same' must give the smallest O with O·S ≥ W (⌈W/S⌉ = ${Math.ceil(W / S)})`, O);
    },
  }),
  property({
    id: 'I2.tfOutputSize.valid-last-window', exercise: 'tfOutputSize', catalogue: 'I2', title: "'valid': the O-th window fits inside the input and an (O + 1)-th would not",
    hint: TF_HINT,
    arbitrary: fc.record({ W: fc.integer({ min: 1, max: 60 }), K: fc.integer({ min: 1, max: 7 }), S: fc.integer({ min: 1, max: 5 }), d: fc.integer({ min: 1, max: 3 }) }).filter(({ W, K, d }) => d * (K - 1) + 1 <= W),
    verify: async ({ W, K, S, d }, s) => {
      const args = [W, K, S, 'valid', d];
      const O = await num(s, 'tfOutputSize', args);
      const Keff = d * (K - 1) + 1;
      expectThat(Number.isInteger(O) && O >= 1 && (O - 1) * S + Keff <= W && O * S + Keff > W, `${callText('tfOutputSize', args)} = ${O}: window O ends at (O − 1)·S + K_eff = ${(O - 1) * S + Keff}, window O + 1 at ${O * S + Keff}; the input has ${W}`, O);
    },
  }),
];

const PADS_HINT = "I2: TF 'same' pads P = max(0, (⌈W/S⌉ − 1)S + K_eff − W) in total, ⌊P/2⌋ before and the rest (the extra pixel) after";

const tfSamePadsChecks: Check[] = [
  exact({ id: 'I2.tfSamePads.extra-after', exercise: 'tfSamePads', catalogue: 'I2', title: 'W = 8, K = 3, S = 2: one pixel of padding, and it goes after (bottom/right): [0, 1]', hint: PADS_HINT, args: [8, 3, 2], expected: [0, 1] }),
  exact({ id: 'I2.tfSamePads.even', exercise: 'tfSamePads', catalogue: 'I2', title: 'W = 7, K = 3, S = 2: P = 2 split [1, 1]', hint: PADS_HINT, args: [7, 3, 2], expected: [1, 1] }),
  exact({ id: 'I2.tfSamePads.even-kernel', exercise: 'tfSamePads', catalogue: 'I2', title: 'an even kernel at stride 1: W = 5, K = 4 → P = 3 split [1, 2]', hint: PADS_HINT, args: [5, 4, 1], expected: [1, 2] }),
  exact({ id: 'I2.tfSamePads.never-negative', exercise: 'tfSamePads', catalogue: 'I2', title: 'W = 4, K = 1, S = 2: windows already fit, no padding [0, 0] (never negative)', hint: "I2: the total is max(0, …): 'same' never crops", args: [4, 1, 2], expected: [0, 0] }),
  exact({ id: 'I2.tfSamePads.dilated', exercise: 'tfSamePads', catalogue: 'I2', title: 'W = 7, K = 3 at dilation 2 (K_eff = 5), S = 1: [2, 2]', hint: 'I2/I3: use K_eff = d(K − 1) + 1 in the total', args: [7, 3, 1, 2], expected: [2, 2] }),
  property({
    id: 'I2.tfSamePads.fits-exactly', exercise: 'tfSamePads', catalogue: 'I2', title: 'the padded input holds exactly ⌈W/S⌉ windows, with before ≤ after ≤ before + 1',
    hint: PADS_HINT, arbitrary: fc.record({ W: fc.integer({ min: 1, max: 60 }), K: fc.integer({ min: 1, max: 8 }), S: fc.integer({ min: 1, max: 5 }), d: fc.integer({ min: 1, max: 3 }) }),
    verify: async ({ W, K, S, d }, s) => {
      const args = [W, K, S, d];
      const pads = (await s.call('tfSamePads', args)) as [number, number];
      expectThat(Array.isArray(pads) && pads.length === 2 && pads.every((v) => Number.isInteger(v) && v >= 0), `${callText('tfSamePads', args)} = ${short(pads)}: expected two non-negative integers [before, after]`, pads);
      const [b, a] = pads;
      expectThat(b <= a && a <= b + 1, `${callText('tfSamePads', args)} = [${b}, ${a}]: the split must be even, with an odd pixel after`, pads);
      const O = Math.ceil(W / S);
      const span = W + b + a - (d * (K - 1) + 1);
      const last = (O - 1) * S;
      expectThat(span >= last && (b + a === 0 || span === last), `${callText('tfSamePads', args)} = [${b}, ${a}]: the padded input must hold ⌈W/S⌉ = ${O} windows with no spare column (span ${span}, needed ${last})`, pads);
    },
  }),
];

// ---------------------------------------------------------------------------------------------
// I3 effectiveKernel

const effectiveKernelChecks: Check[] = [
  exact({ id: 'I3.effectiveKernel.no-dilation', exercise: 'effectiveKernel', catalogue: 'I3', title: 'd = 1: a 3×3 kernel spans 3', hint: 'I3: K_eff = d(K − 1) + 1', args: [3, 1], expected: 3 }),
  exact({ id: 'I3.effectiveKernel.d2', exercise: 'effectiveKernel', catalogue: 'I3', title: 'K = 3, d = 2 → 5 (one gap between taps)', hint: 'I3: K − 1 gaps of d, plus the first tap: d(K − 1) + 1, not d·K', args: [3, 2], expected: 5 }),
  exact({ id: 'I3.effectiveKernel.d3', exercise: 'effectiveKernel', catalogue: 'I3', title: 'K = 5, d = 3 → 13', hint: 'I3: K_eff = d(K − 1) + 1', args: [5, 3], expected: 13 }),
  property({
    id: 'I3.effectiveKernel.taps', exercise: 'effectiveKernel', catalogue: 'I3', title: 'K_eff(K, 1) = K and each extra step of dilation adds K − 1',
    hint: 'I3: the K taps have K − 1 gaps, each d wide', arbitrary: fc.record({ K: fc.integer({ min: 1, max: 11 }), d: fc.integer({ min: 1, max: 6 }) }),
    verify: async ({ K, d }, s) => {
      // EXACT: integer arithmetic (sizes and counts far below 2^53: float64 holds them exactly)
      expectClose(await s.call('effectiveKernel', [K, 1]), K, EXACT, callText('effectiveKernel', [K, 1]));
      const step = (await num(s, 'effectiveKernel', [K, d + 1])) - (await num(s, 'effectiveKernel', [K, d]));
      // EXACT: integer arithmetic (sizes and counts far below 2^53: float64 holds them exactly)
      expectClose(step, K - 1, EXACT, `effectiveKernel(${K}, ${d + 1}) − effectiveKernel(${K}, ${d})`);
    },
  }),
];

// ---------------------------------------------------------------------------------------------
// I4 poolOutputSize

const POOL_HINT = 'I4: (W − F)/S + 1, like a conv with P = 0';

const poolOutputSizeChecks: Check[] = [
  ...poolSizes.map((f) =>
    exact({
      id: `I4.poolOutputSize.${slug(f.id)}`, exercise: 'poolOutputSize', catalogue: 'I4',
      title: `W = ${f.input.W}, F = ${f.input.F}, S = ${f.input.S} → ${f.expected}${f.printed ? ` ("${f.printed}")` : ''} [${f.source.deck}, "${f.source.slide}"]`,
      hint: POOL_HINT, args: [f.input.W, f.input.F, f.input.S], expected: f.expected,
    }),
  ),
  example({ id: 'I4.poolOutputSize.stride-does-not-divide', exercise: 'poolOutputSize', catalogue: 'I4', title: 'W = 6, F = 3, S = 2 in exact mode must throw ((6 − 3)/2 is not an integer)', hint: "I4: like I1, a stride that does not divide W − F is an error unless rounding is 'floor'", args: [6, 3, 2], throws: true }),
  example({ id: 'I4.poolOutputSize.window-does-not-fit', exercise: 'poolOutputSize', catalogue: 'I4', title: 'a 3×3 window on a 2×2 input must throw', hint: 'I4: W − F < 0: no window fits', args: [2, 3, 1], throws: true }),
  exact({ id: 'I4.poolOutputSize.floor', exercise: 'poolOutputSize', catalogue: 'I4', title: "W = 6, F = 3, S = 2 with rounding 'floor' → 2", hint: "I4: 'floor' is ⌊(W − F)/S⌋ + 1", args: [6, 3, 2, 'floor'], expected: 2 }),
  property({
    id: 'I4.poolOutputSize.tiles', exercise: 'poolOutputSize', catalogue: 'I4', title: 'non-overlapping windows (S = F) tile an F·n input into n outputs',
    hint: POOL_HINT, arbitrary: fc.record({ F: fc.integer({ min: 1, max: 8 }), n: fc.integer({ min: 1, max: 40 }) }),
    // EXACT: integer arithmetic (sizes and counts far below 2^53: float64 holds them exactly)
    verify: async ({ F, n }, s) => expectClose(await s.call('poolOutputSize', [F * n, F, F]), n, EXACT, callText('poolOutputSize', [F * n, F, F])),
  }),
  property({
    id: 'I4.poolOutputSize.exact-geometry', exercise: 'poolOutputSize', catalogue: 'I4', title: 'a geometry built from O gives O back: W = S(O − 1) + F ⇒ poolOutputSize = O',
    hint: POOL_HINT, arbitrary: exactConvGeometry({ maxP: 0, maxD: 1 }),
    // EXACT: integer arithmetic (sizes and counts far below 2^53: float64 holds them exactly)
    verify: async ({ W, K, S, O }, s) => expectClose(await s.call('poolOutputSize', [W, K, S]), O, EXACT, callText('poolOutputSize', [W, K, S])),
  }),
];

// ---------------------------------------------------------------------------------------------
// I5 transposedOutputSize

const T_HINT = 'I5: o = s(n − 1) + k − 2p + outputPadding';

const transposedOutputSizeChecks: Check[] = [
  ...transposedSizes.map((f) =>
    exact({
      id: `I5.transposedOutputSize.${slug(f.id)}`, exercise: 'transposedOutputSize', catalogue: 'I5',
      title: `n = ${f.input.n}, k = ${f.input.k}, s = ${f.input.s}, p = ${f.input.p} → ${f.expected}${f.printed ? ` ("${f.printed}")` : ''} [${f.source.deck}]`,
      hint: T_HINT, args: [f.input.n, f.input.k, f.input.s, f.input.p], expected: f.expected,
    }),
  ),
  exact({ id: 'I5.transposedOutputSize.padded', exercise: 'transposedOutputSize', catalogue: 'I5', title: 'n = 3, k = 3, s = 2, p = 1 → 2·2 + 3 − 2 = 5', hint: 'I5: the padding is removed from both sides: −2p', args: [3, 3, 2, 1], expected: 5 }),
  exact({ id: 'I5.transposedOutputSize.output-padding', exercise: 'transposedOutputSize', catalogue: 'I5', title: 'n = 3, k = 3, s = 2, p = 1, output padding 1 → 6', hint: 'I5: output padding adds a pixel at the end: o = s(n − 1) + k − 2p + a', args: [3, 3, 2, 1, 1], expected: 6 }),
  example({ id: 'I5.transposedOutputSize.output-padding-too-large', exercise: 'transposedOutputSize', catalogue: 'I5', title: 'output padding 2 at stride 2 must throw (it must be smaller than the stride)', hint: 'I5: a stride-s conv maps s input sizes to n; output padding picks one of them, so 0 ≤ a < s', args: [3, 3, 2, 1, 2], throws: true }),
  example({
    // by hand: o = 1·(2 − 1) + 3 − 2·2 + 0 = 0, an output of no pixels
    id: 'I5.transposedOutputSize.empty-output', exercise: 'transposedOutputSize', catalogue: 'I5', title: 'n = 2, k = 3, s = 1, p = 2 gives o = 1 + 3 − 4 = 0: must throw (0 is not a size)',
    hint: 'I5: padding removes 2p pixels from the output; when nothing is left (o < 1) the layer is invalid: throw rather than return 0 or a negative size', args: [2, 3, 1, 2], throws: true,
  }),
  property({
    id: 'I5.transposedOutputSize.inverts-conv', exercise: 'transposedOutputSize', catalogue: 'I5', title: 'your convOutputSize(o, k, p, s) gives n back for o = transposedOutputSize(n, k, s, p)',
    hint: 'I5: the transposed conv maps n to the size a conv with the same k, s, p maps back to n',
    arbitrary: transposedGeometry(),
    verify: async ({ n, k, s: S, p }, s) => {
      const o = await num(s, 'transposedOutputSize', [n, k, S, p]);
      expectThat(Number.isInteger(o) && o >= 1, `${callText('transposedOutputSize', [n, k, S, p])} = ${o} is not a size`, o);
      // EXACT: integer arithmetic (sizes and counts far below 2^53: float64 holds them exactly)
      expectClose(await s.call('convOutputSize', [o, k, p, S]), n, EXACT, `convOutputSize(transposedOutputSize(${n}, ${k}, ${S}, ${p}) = ${o}, ${k}, ${p}, ${S})`);
    },
  }),
  property({
    id: 'I5.transposedOutputSize.output-padding-adds', exercise: 'transposedOutputSize', catalogue: 'I5', title: 'output padding a < s adds exactly a pixels',
    hint: T_HINT, arbitrary: transposedGeometry(),
    verify: async ({ n, k, s: S, p, a }, s) => {
      const o0 = await num(s, 'transposedOutputSize', [n, k, S, p]);
      // EXACT: integer arithmetic (sizes and counts far below 2^53: float64 holds them exactly)
      expectClose(await s.call('transposedOutputSize', [n, k, S, p, a]), o0 + a, EXACT, `${callText('transposedOutputSize', [n, k, S, p, a])} vs ${o0} + ${a}`);
    },
  }),
];

// ---------------------------------------------------------------------------------------------
// I6 convParams, fcParams

/** The CONV3 lines of the table with the depth D₁ of the line before (pooling keeps the depth). */
const convRows = vgg16Table.flatMap((r, i) => (r.layer.startsWith('CONV') ? [{ r, D1: vgg16Table[i - 1].shape[2] }] : []));

const convParamsChecks: Check[] = [
  exact({
    id: 'I6.convParams.oh-alexnet-conv1-weights', exercise: 'convParams', catalogue: 'I6', title: `AlexNet conv1 weights: (11·11·3)·96 = ${alexnetConv1.expected.weights} ("${alexnetConv1.printed}")`,
    hint: 'I6: (F·F·D₁)·K weights; bias = false leaves the K biases out', args: [11, 3, 96, false], expected: alexnetConv1.expected.weights,
  }),
  exact({
    id: 'I6.convParams.oh-alexnet-conv1-with-bias', exercise: 'convParams', catalogue: 'I6', title: `AlexNet conv1 with its 96 biases: ${alexnetConv1.expected.weights} + ${alexnetConv1.expected.biases}`,
    hint: 'I6: one bias per filter: + K', args: [11, 3, 96], expected: alexnetConv1.expected.weights + alexnetConv1.expected.biases,
  }),
  exact({
    id: `I6.convParams.${slug(vgg16Conv1Erratum.id)}`, exercise: 'convParams', catalogue: 'I6',
    title: `VGG16 conv1-1: (3·3·3)·64 = 1,728 weights (erratum ${vgg16Conv1Erratum.erratum?.number}: the overview deck prints "${vgg16Conv1Erratum.erratum?.printed}")`,
    hint: 'I6: (F·F·D₁)·K with F = 3, D₁ = 3 input channels, K = 64 filters', args: [3, 3, 64, false], expected: vgg16Conv1Erratum.expected,
  }),
  example({
    id: 'I6.convParams.oh-vgg16-table', exercise: 'convParams', catalogue: 'I6', title: "every CONV3 line of the notes' VGG16 table, (not counting biases)",
    hint: 'I6: (3·3·D₁)·K with D₁ the depth of the previous layer',
    verify: async (s) => {
      for (const { r, D1 } of convRows) {
        const args = [3, D1, r.shape[2], false];
        // EXACT: integer arithmetic (sizes and counts far below 2^53: float64 holds them exactly)
        expectClose(await s.call('convParams', args), r.params, EXACT, `${r.layer} "${r.printedParams}": ${callText('convParams', args)}`);
      }
    },
  }),
  property({
    id: 'I6.convParams.linear-in-filters', exercise: 'convParams', catalogue: 'I6', title: 'twice the filters, twice the parameters; the biases add exactly K',
    hint: 'I6: (F·F·D₁)·K + K is linear in K, and the bias term is K', arbitrary: fc.record({ F: fc.integer({ min: 1, max: 11 }), D1: fc.integer({ min: 1, max: 64 }), K: fc.integer({ min: 1, max: 128 }) }),
    verify: async ({ F, D1, K }, s) => {
      const one = await num(s, 'convParams', [F, D1, K]);
      // EXACT: integer arithmetic (sizes and counts far below 2^53: float64 holds them exactly)
      expectClose(await s.call('convParams', [F, D1, 2 * K]), 2 * one, EXACT, `convParams(${F}, ${D1}, ${2 * K}) vs 2·convParams(${F}, ${D1}, ${K})`);
      // EXACT: integer arithmetic (sizes and counts far below 2^53: float64 holds them exactly)
      expectClose(one - (await num(s, 'convParams', [F, D1, K, false])), K, EXACT, `convParams(${F}, ${D1}, ${K}) − convParams(${F}, ${D1}, ${K}, false)`);
    },
  }),
];

const fcRows = vgg16Table.filter((r) => r.layer === 'FC');

const fcParamsChecks: Check[] = [
  exact({ id: 'I6.fcParams.oh-vgg16-fc6', exercise: 'fcParams', catalogue: 'I6', title: `VGG16 FC6 weights: "${fcRows[0].printedParams}"`, hint: 'I6: n_in·n_out weights, n_in = 7·7·512 (the flattened input)', args: [7 * 7 * 512, 4096, false], expected: fcRows[0].params }),
  exact({
    id: `I6.fcParams.${slug(vgg16FcErratum.id)}`, exercise: 'fcParams', catalogue: 'I6',
    title: `VGG16 FC7 weights: 4096·4096 = 16,777,216 (erratum ${vgg16FcErratum.erratum?.number}: the overview deck labels it "${vgg16FcErratum.erratum?.printed}")`,
    hint: 'I6: n_in·n_out weights', args: [vgg16FcErratum.input.nIn, vgg16FcErratum.input.nOut, false], expected: vgg16FcErratum.expected,
  }),
  exact({ id: 'I6.fcParams.oh-vgg16-fc8', exercise: 'fcParams', catalogue: 'I6', title: `VGG16 FC8 weights: "${fcRows[2].printedParams}"`, hint: 'I6: n_in·n_out weights', args: [4096, 1000, false], expected: fcRows[2].params }),
  exact({ id: 'I6.fcParams.with-bias', exercise: 'fcParams', catalogue: 'I6', title: 'VGG16 FC8 with its 1000 biases: 4,096,000 + 1,000', hint: 'I6: one bias per output unit: + n_out', args: [4096, 1000], expected: fcRows[2].params + 1000 }),
  property({
    id: 'I6.fcParams.bias-per-output', exercise: 'fcParams', catalogue: 'I6', title: 'the weights are symmetric in n_in and n_out, the biases add n_out',
    hint: 'I6: n_in·n_out + n_out', arbitrary: fc.record({ a: fc.integer({ min: 1, max: 5000 }), b: fc.integer({ min: 1, max: 5000 }) }),
    verify: async ({ a, b }, s) => {
      const w = await num(s, 'fcParams', [a, b, false]);
      // EXACT: integer arithmetic (sizes and counts far below 2^53: float64 holds them exactly)
      expectClose(await s.call('fcParams', [b, a, false]), w, EXACT, `fcParams(${b}, ${a}, false) vs fcParams(${a}, ${b}, false)`);
      // EXACT: integer arithmetic (sizes and counts far below 2^53: float64 holds them exactly)
      expectClose((await num(s, 'fcParams', [a, b])) - w, b, EXACT, `fcParams(${a}, ${b}) − fcParams(${a}, ${b}, false)`);
    },
  }),
];

// ---------------------------------------------------------------------------------------------
// I7 activationMemory

const MEM_HINT = 'I7: count = product of the dimensions; bytes = count · bytesPerValue (4 for float32)';

const activationMemoryChecks: Check[] = [
  exact({ id: 'I7.activationMemory.oh-vgg16-input', exercise: 'activationMemory', catalogue: 'I7', title: `VGG16 INPUT [224x224x3] "${vgg16Table[0].printedMemory}", at 4 bytes`, hint: MEM_HINT, args: [[224, 224, 3]], expected: { count: vgg16Table[0].memory, bytes: 4 * vgg16Table[0].memory } }),
  exact({ id: 'I7.activationMemory.oh-vgg16-conv1', exercise: 'activationMemory', catalogue: 'I7', title: `VGG16 CONV3-64 [224x224x64] "${vgg16Table[1].printedMemory}", at 4 bytes`, hint: MEM_HINT, args: [[224, 224, 64]], expected: { count: vgg16Table[1].memory, bytes: 4 * vgg16Table[1].memory } }),
  exact({ id: 'I7.activationMemory.float64', exercise: 'activationMemory', catalogue: 'I7', title: 'VGG16 POOL2 [7x7x512] at 8 bytes per value (float64)', hint: MEM_HINT, args: [[7, 7, 512], 8], expected: { count: 25_088, bytes: 200_704 } }),
  property({
    id: 'I7.activationMemory.product', exercise: 'activationMemory', catalogue: 'I7', title: 'count is the product of the dimensions (in any order); bytes = count · bytesPerValue, 4 by default',
    hint: MEM_HINT, arbitrary: fc.record({ shape: fc.array(fc.integer({ min: 1, max: 64 }), { minLength: 1, maxLength: 4 }), b: fc.constantFrom(1, 2, 4, 8) }),
    verify: async ({ shape, b }, s) => {
      const count = shape.reduce((x, y) => x * y, 1);
      // EXACT: integer arithmetic (sizes and counts far below 2^53: float64 holds them exactly)
      expectClose(await s.call('activationMemory', [shape]), { count, bytes: 4 * count }, EXACT, callText('activationMemory', [shape]));
      const reversed = [...shape].reverse();
      // EXACT: integer arithmetic (sizes and counts far below 2^53: float64 holds them exactly)
      expectClose(await s.call('activationMemory', [reversed, b]), { count, bytes: b * count }, EXACT, callText('activationMemory', [reversed, b]));
    },
  }),
];

// ---------------------------------------------------------------------------------------------
// I8 receptiveField

const RF_HINT = 'I8: RF = 1 + Σ_l (k_eff,l − 1)·Π_{i<l} s_i: each layer adds k_eff − 1 of ITS input pixels, each spanning the product of the EARLIER strides';
const keff = (l: { k: number; d?: number }) => (l.d ?? 1) * (l.k - 1) + 1;

const receptiveFieldChecks: Check[] = [
  ...receptiveFields.map((f) =>
    exact({ id: `I8.receptiveField.${slug(f.id)}`, exercise: 'receptiveField', catalogue: 'I8', title: `"${f.printed}" [${f.source.deck}, "${f.source.slide}"]`, hint: RF_HINT, args: [f.input.layers], expected: f.expected }),
  ),
  exact({ id: 'I8.receptiveField.empty', exercise: 'receptiveField', catalogue: 'I8', title: 'no layers: a unit sees one pixel', hint: 'I8: start from RF = 1', args: [[]], expected: 1 }),
  exact({ id: 'I8.receptiveField.strided', exercise: 'receptiveField', catalogue: 'I8', title: 'a 3×3 stride-2 conv, then a 3×3 stride-1 conv: 1 + 2 + 2·2 = 7', hint: RF_HINT, args: [[{ k: 3, s: 2 }, { k: 3, s: 1 }]], expected: 7 }),
  exact({ id: 'I8.receptiveField.alexnet-conv1-pool1', exercise: 'receptiveField', catalogue: 'I8', title: "AlexNet conv1 (11, stride 4) then pool1 (3, stride 2): 1 + 10 + 2·4 = 19", hint: RF_HINT, args: [[{ k: 11, s: 4 }, { k: 3, s: 2 }]], expected: 19 }),
  exact({ id: 'I8.receptiveField.dilated', exercise: 'receptiveField', catalogue: 'I8', title: 'one 3×3 conv at dilation 2 sees 5×5', hint: 'I8/I3: use k_eff = d(k − 1) + 1', args: [[{ k: 3, s: 1, d: 2 }]], expected: 5 }),
  property({
    id: 'I8.receptiveField.one-layer', exercise: 'receptiveField', catalogue: 'I8', title: 'one layer sees exactly its effective kernel, whatever its stride',
    hint: "I8: a layer's own stride only matters to the layers after it", arbitrary: rfLayer,
    // EXACT: integer arithmetic (sizes and counts far below 2^53: float64 holds them exactly)
    verify: async (l, s) => expectClose(await s.call('receptiveField', [[l]]), keff(l), EXACT, callText('receptiveField', [[l]])),
  }),
  property({
    id: 'I8.receptiveField.prepend-stride-1', exercise: 'receptiveField', catalogue: 'I8', title: 'putting a stride-1 layer first widens the field by k_eff − 1 (5 + 5 − 1 = 9)',
    hint: RF_HINT, arbitrary: fc.tuple(rfLayer.map((l) => ({ ...l, s: 1 })), fc.array(rfLayer, { maxLength: 4 })),
    verify: async ([first, rest], s) => {
      const without = await num(s, 'receptiveField', [rest]);
      // EXACT: integer arithmetic (sizes and counts far below 2^53: float64 holds them exactly)
      expectClose(await s.call('receptiveField', [[first, ...rest]]), without + keff(first) - 1, EXACT, `receptiveField([${short(first)}, …rest]) vs receptiveField(rest) + k_eff − 1`);
    },
  }),
  property({
    id: 'I8.receptiveField.append', exercise: 'receptiveField', catalogue: 'I8', title: 'appending a layer widens the field by (k_eff − 1)·(product of all earlier strides)',
    hint: RF_HINT, arbitrary: fc.tuple(fc.array(rfLayer, { maxLength: 4 }), rfLayer),
    verify: async ([layers, last], s) => {
      const before = await num(s, 'receptiveField', [layers]);
      const jump = layers.reduce((p, l) => p * l.s, 1);
      // EXACT: integer arithmetic (sizes and counts far below 2^53: float64 holds them exactly)
      expectClose(await s.call('receptiveField', [[...layers, last]]), before + (keff(last) - 1) * jump, EXACT, `receptiveField([…layers, ${short(last)}]) vs receptiveField(layers) + (k_eff − 1)·${jump}`);
    },
  }),
];

// ---------------------------------------------------------------------------------------------
// I9 stackParams

const STACK_HINT = 'I9: each kh×kw layer with C channels in and out has C·(kh·kw·C) weights: C²·Σ kh·kw in all';
const kernelList = fc.array(fc.tuple(fc.integer({ min: 1, max: 7 }), fc.integer({ min: 1, max: 7 })), { minLength: 1, maxLength: 4 });

const stackParamsChecks: Check[] = [
  ...factorisations.map((f) =>
    exact({ id: `I9.stackParams.${slug(f.id)}`, exercise: 'stackParams', catalogue: 'I9', title: `C = 1: "${f.printed}" [${f.source.deck}, "${f.source.slide}"]`, hint: STACK_HINT, args: [f.input.kernels, 1], expected: f.expected }),
  ),
  ...factorisations.slice(0, 2).map((f) =>
    exact({ id: `I9.stackParams.${slug(f.id)}-C64`, exercise: 'stackParams', catalogue: 'I9', title: `C = 64: ${f.expected}C² = ${f.expected}·64² ("${f.printed}")`, hint: STACK_HINT, args: [f.input.kernels, 64], expected: f.expected * 64 * 64 }),
  ),
  property({
    id: 'I9.stackParams.scaling', exercise: 'stackParams', catalogue: 'I9', title: 'doubling C quadruples the weights; stacks add up',
    hint: STACK_HINT, arbitrary: fc.tuple(kernelList, kernelList, fc.integer({ min: 1, max: 256 })),
    verify: async ([a, b, C], s) => {
      const pa = await num(s, 'stackParams', [a, C]);
      // EXACT: integer arithmetic (sizes and counts far below 2^53: float64 holds them exactly)
      expectClose(await s.call('stackParams', [a, 2 * C]), 4 * pa, EXACT, `stackParams(kernels, ${2 * C}) vs 4·stackParams(kernels, ${C})`);
      // EXACT: integer arithmetic (sizes and counts far below 2^53: float64 holds them exactly)
      expectClose(await s.call('stackParams', [[...a, ...b], C]), pa + (await num(s, 'stackParams', [b, C])), EXACT, 'stackParams(a ++ b, C) vs stackParams(a, C) + stackParams(b, C)');
    },
  }),
];

// ---------------------------------------------------------------------------------------------
// I10 layerSummary

type SummaryOut = { rows: { type: string; shape: number[]; params: number; weights: number; activations: number }[]; totals: { params: number; weights: number; activations: number; bytes: number } };
const summary = async (s: StudentModule, input: Shape3, layers: Layer[]) => {
  const out = record<SummaryOut>(await s.call('layerSummary', [input, layers]), 'layerSummary');
  expectThat(Array.isArray(out.rows) && out.totals !== null && typeof out.totals === 'object', `layerSummary returned ${short(out)}: expected { rows, totals }`, out);
  const bad = out.rows.findIndex((r) => r === null || typeof r !== 'object' || !Array.isArray(r.shape) || r.shape.length !== 3);
  expectThat(bad < 0, `layerSummary: rows[${bad}] = ${short(out.rows[bad])} is not a row { type, shape: [H, W, C], params, weights, activations }`, out.rows[bad]);
  expectThat(out.rows.length === layers.length + 1, `${layers.length} layer(s) gave ${out.rows.length} row(s); expected ${layers.length + 1} (the INPUT line first)`, out.rows.length);
  return out;
};
const SUM_HINT = 'I10: rows[0] is the INPUT line; each layer adds a row with its output shape, params (with biases), weights (without) and activations H·W·C; totals sum all rows';

const layerSummaryChecks: Check[] = [
  exact({
    id: `I10.layerSummary.${slug(alexnetShapes.id)}`, exercise: 'layerSummary', catalogue: 'I10', title: 'AlexNet: 227 → 55 → 27 → 27 → 13 → 13 → 13 → 13 → 6 → 4096 → 4096 → 1000 (the notes\' shapes, input row first)',
    hint: `${SUM_HINT}; an FC output is [1, 1, n]`, args: [alexnetShapes.input.input, alexnetShapes.input.layers], expected: { rows: alexnetShapes.expected.map((shape) => ({ shape })) },
  }),
  exact({
    id: `I10.layerSummary.${slug(alexnetParams.id)}`, exercise: 'layerSummary', catalogue: 'I10', title: `AlexNet (simplified) parameters with biases: 62,378,344 ("${alexnetParams.printed}")`,
    hint: 'I10/I6: conv (F·F·D₁)·K + K; FC flattens its input: (6·6·256)·4096 + 4096 for FC6', args: [alexnetParams.input.input, alexnetParams.input.layers], expected: { totals: { params: alexnetParams.expected } },
  }),
  exact({
    id: 'I10.layerSummary.oh-vgg16-table', exercise: 'layerSummary', catalogue: 'I10', title: "VGG16: every line of the notes' table (shape, memory, params not counting biases), INPUT line first",
    hint: SUM_HINT, args: [vgg16Totals.input.input, vgg16Totals.input.layers], expected: { rows: vgg16Table.map((r) => ({ shape: r.shape, weights: r.params, activations: r.memory })) },
  }),
  exact({
    id: `I10.layerSummary.${slug(vgg16Totals.id)}`, exercise: 'layerSummary', catalogue: 'I10', title: `VGG16 totals: 138,357,544 params (138,344,128 without biases), 15,237,608 activations = 60,950,432 bytes ("${vgg16Totals.printed}")`,
    hint: `${SUM_HINT}; bytes = 4 per float32`, args: [vgg16Totals.input.input, vgg16Totals.input.layers], expected: { totals: vgg16Totals.expected },
  }),
  exact({
    id: `I10.layerSummary.${slug(vgg16MemoryErratum.id)}`, exercise: 'layerSummary', catalogue: 'I10',
    title: `VGG16 memory is 15.2M values ≈ 61 MB, not "${vgg16MemoryErratum.erratum?.printed}" (erratum ${vgg16MemoryErratum.erratum?.number})`,
    hint: 'I10/I7: sum the memory column, INPUT line included, and multiply by 4 bytes', args: [vgg16MemoryErratum.input.input, vgg16MemoryErratum.input.layers], expected: { totals: vgg16MemoryErratum.expected },
  }),
  exact({
    // by hand: K_eff = 2·(3 − 1) + 1 = 5, so 8 − 5 + 1 = 4; 3·3·1·1 = 9 weights + 1 bias; the pool strides by 2: 4/2 = 2
    id: 'I10.layerSummary.defaults-and-dilation', exercise: 'layerSummary', catalogue: 'I10',
    title: 'a dilated 3×3 conv spans 5 pixels and a pool without a stride strides by its size: [8, 8, 1] → [4, 4, 1] → [2, 2, 1]',
    hint: "I10/I1: K_eff = d(K − 1) + 1; a pool layer's stride defaults to its size (the layer list's defaults are in the stub)",
    args: [[8, 8, 1], [{ type: 'conv', filters: 1, size: 3, dilation: 2 }, { type: 'pool', size: 2 }]],
    expected: {
      rows: [
        { type: 'input', shape: [8, 8, 1], params: 0, weights: 0, activations: 64 },
        { type: 'conv', shape: [4, 4, 1], params: 10, weights: 9, activations: 16 },
        { type: 'pool', shape: [2, 2, 1], params: 0, weights: 0, activations: 4 },
      ],
    },
  }),
  example({
    id: 'I10.layerSummary.layer-does-not-fit', exercise: 'layerSummary', catalogue: 'I10', title: 'a 3×3 stride-3 conv on a 7×7 input must throw (the notes\' "… :\\")',
    hint: 'I10/I1: every layer size must come out exact', args: [[7, 7, 1], [{ type: 'conv', filters: 1, size: 3, stride: 3, pad: 0 }]], throws: true,
  }),
  property({
    id: 'I10.layerSummary.input-row', exercise: 'layerSummary', catalogue: 'I10', title: 'rows[0] is the input: its shape, no parameters, H·W·C activations; one more row per layer',
    hint: SUM_HINT, arbitrary: validLayerList(),
    verify: async ({ input, layers }, s) => {
      const out = await summary(s, input, layers);
      // EXACT: integer arithmetic (sizes and counts far below 2^53: float64 holds them exactly)
      expectClose(out.rows[0], { type: 'input', shape: input, params: 0, weights: 0, activations: input[0] * input[1] * input[2] }, EXACT, 'rows[0]');
    },
  }),
  property({
    id: 'I10.layerSummary.totals-are-row-sums', exercise: 'layerSummary', catalogue: 'I10', title: 'totals are the sums of the rows, and bytes = 4 · activations',
    hint: SUM_HINT, arbitrary: validLayerList(),
    verify: async ({ input, layers }, s) => {
      const { rows, totals } = await summary(s, input, layers);
      const sum = (k: 'params' | 'weights' | 'activations') => rows.reduce((t, r) => t + r[k], 0);
      // EXACT: integer arithmetic (sizes and counts far below 2^53: float64 holds them exactly)
      expectClose(totals, { params: sum('params'), weights: sum('weights'), activations: sum('activations'), bytes: 4 * sum('activations') }, EXACT, 'totals vs the sums of rows');
      // EXACT: integer arithmetic (sizes and counts far below 2^53: float64 holds them exactly)
      for (const [i, r] of rows.entries()) expectClose(r.activations, r.shape[0] * r.shape[1] * r.shape[2], EXACT, `rows[${i}].activations vs H·W·C of its shape`);
    },
  }),
  property({
    id: 'I10.layerSummary.params-linear-in-filters', exercise: 'layerSummary', catalogue: 'I10', title: 'a conv layer with twice the filters has twice the parameters (with and without biases)',
    hint: 'I10/I6: (F·F·D₁)·K + K is linear in K',
    arbitrary: fc.record({ H: fc.integer({ min: 5, max: 20 }), C: fc.integer({ min: 1, max: 8 }), K: fc.integer({ min: 1, max: 16 }), size: fc.constantFrom(1, 3, 5) }),
    verify: async ({ H, C, K, size }, s) => {
      const conv = (filters: number): Layer[] => [{ type: 'conv', filters, size, stride: 1, pad: 0 }];
      const one = (await summary(s, [H, H, C], conv(K))).rows[1];
      const two = (await summary(s, [H, H, C], conv(2 * K))).rows[1];
      // EXACT: integer arithmetic (sizes and counts far below 2^53: float64 holds them exactly)
      expectClose({ params: two.params, weights: two.weights }, { params: 2 * one.params, weights: 2 * one.weights }, EXACT, `conv with ${2 * K} filters vs twice ${K} filters`);
    },
  }),
  property({
    id: 'I10.layerSummary.norm-is-free', exercise: 'layerSummary', catalogue: 'I10', title: 'a norm layer keeps the shape, has no parameters and adds only its activations',
    hint: "I10: a normalisation layer (AlexNet's NORM1) outputs the same shape and learns nothing here",
    arbitrary: validLayerList().chain((g) => fc.integer({ min: 0, max: g.layers.length }).map((at) => ({ ...g, at }))),
    verify: async ({ input, layers, at }, s) => {
      const base = await summary(s, input, layers);
      const more = await summary(s, input, [...layers.slice(0, at), { type: 'norm' }, ...layers.slice(at)]);
      const prev = base.rows[at];
      // EXACT: integer arithmetic (sizes and counts far below 2^53: float64 holds them exactly)
      expectClose(more.rows[at + 1], { type: 'norm', shape: prev.shape, params: 0, weights: 0, activations: prev?.activations }, EXACT, `the norm row inserted after row ${at}`);
      // EXACT: integer arithmetic (sizes and counts far below 2^53: float64 holds them exactly)
      expectClose(more.totals, { ...base.totals, activations: base.totals.activations + prev.activations, bytes: base.totals.bytes + 4 * prev.activations }, EXACT, 'totals with the norm layer');
    },
  }),
];

// ---------------------------------------------------------------------------------------------
// I11 weightSharing

const SHARE_HINT = 'I11: the neurons are the OUTPUT volume H₂·W₂·K; each sees F·F·D₁ inputs; with sharing each of the K filters has one set of F·F·D₁ weights';

const weightSharingChecks: Check[] = [
  exact({
    id: `I11.weightSharing.${slug(weightSharingExample.id)}`, exercise: 'weightSharing', catalogue: 'I11',
    title: `32×32×3, 5×5, 30 filters: 28·28·30·75 = 1,764,000 without sharing, "${weightSharingExample.printed}" (erratum ${weightSharingExample.erratum?.number}: the slide prints "${weightSharingExample.erratum?.printed}")`,
    hint: SHARE_HINT, args: [weightSharingExample.input.input, weightSharingExample.input.F, weightSharingExample.input.K], expected: weightSharingExample.expected,
  }),
  exact({
    id: 'I11.weightSharing.strided', exercise: 'weightSharing', catalogue: 'I11', title: '7×7×3, 3×3, 10 filters, stride 2: 3·3·10 = 90 neurons of 27 weights',
    hint: `${SHARE_HINT}; the output is (7 − 3)/2 + 1 = 3 wide`, args: [[7, 7, 3], 3, 10, 2], expected: { neurons: 90, weightsPerNeuron: 27, unshared: 2430, shared: 270 },
  }),
  example({ id: 'I11.weightSharing.does-not-fit', exercise: 'weightSharing', catalogue: 'I11', title: 'a 3×3 stride-3 layer on a 7×7 input must throw', hint: 'I11/I1: the output grid must come out exact', args: [[7, 7, 3], 3, 10, 3], throws: true }),
  property({
    id: 'I11.weightSharing.output-grid', exercise: 'weightSharing', catalogue: 'I11', title: 'a layer built to have an O×O output has O·O·K neurons',
    hint: SHARE_HINT, arbitrary: exactConvGeometry({ maxD: 1 }).chain((g) => fc.record({ filters: fc.integer({ min: 1, max: 64 }), D1: fc.integer({ min: 1, max: 8 }) }).map((x) => ({ ...g, ...x }))),
    verify: async ({ W, K: F, P, S, O, filters: K, D1 }, s) => {
      const args = [[W, W, D1], F, K, S, P];
      const out = record<{ neurons: number }>(await s.call('weightSharing', args), 'weightSharing');
      // EXACT: integer arithmetic (sizes and counts far below 2^53: float64 holds them exactly)
      expectClose(out.neurons, O * O * K, EXACT, `${callText('weightSharing', args)}.neurons`);
    },
  }),
  property({
    id: 'I11.weightSharing.ratio', exercise: 'weightSharing', catalogue: 'I11', title: 'unshared = neurons · weightsPerNeuron, shared = K · weightsPerNeuron, and shared does not depend on the input size',
    hint: SHARE_HINT, arbitrary: fc.record({ H: fc.integer({ min: 5, max: 40 }), D1: fc.integer({ min: 1, max: 8 }), F: fc.constantFrom(1, 3, 5), K: fc.integer({ min: 1, max: 64 }) }),
    verify: async ({ H, D1, F, K }, s) => {
      type Out = { neurons: number; weightsPerNeuron: number; unshared: number; shared: number };
      const a = record<Out>(await s.call('weightSharing', [[H, H, D1], F, K]), 'weightSharing');
      const b = record<Out>(await s.call('weightSharing', [[H + 3, H + 1, D1], F, K]), 'weightSharing');
      // EXACT: integer arithmetic (sizes and counts far below 2^53: float64 holds them exactly)
      expectClose(a.unshared, a.neurons * a.weightsPerNeuron, EXACT, 'unshared vs neurons · weightsPerNeuron');
      // EXACT: integer arithmetic (sizes and counts far below 2^53: float64 holds them exactly)
      expectClose(a.shared, K * a.weightsPerNeuron, EXACT, 'shared vs K · weightsPerNeuron');
      // EXACT: integer arithmetic (sizes and counts far below 2^53: float64 holds them exactly)
      expectClose(b.shared, a.shared, EXACT, `shared for a ${H + 3}×${H + 1} input vs a ${H}×${H} input`);
    },
  }),
];

export const convArithmetic: FamilyGrader = {
  id: 'I',
  module: 'conv-arithmetic',
  title: 'Convolution arithmetic',
  exercises: [
    { name: 'convOutputSize', catalogue: 'I1', arity: 5, summary: "(W − K_eff + 2P)/S + 1, exact (throws) or 'floor'" },
    { name: 'samePadding', catalogue: 'I2', arity: 1, summary: '(K − 1)/2, odd K only' },
    { name: 'tfOutputSize', catalogue: 'I2', arity: 5, summary: "TF 'same' ⌈W/S⌉ / 'valid' ⌈(W − K_eff + 1)/S⌉" },
    { name: 'tfSamePads', catalogue: 'I2', arity: 4, summary: "TF 'same' padding [before, after], extra pixel after" },
    { name: 'effectiveKernel', catalogue: 'I3', arity: 2, summary: 'd(K − 1) + 1' },
    { name: 'poolOutputSize', catalogue: 'I4', arity: 4, summary: '(W − F)/S + 1' },
    { name: 'transposedOutputSize', catalogue: 'I5', arity: 5, summary: 's(n − 1) + k − 2p + output padding' },
    { name: 'convParams', catalogue: 'I6', arity: 4, summary: '(F·F·D₁)·K + K' },
    { name: 'fcParams', catalogue: 'I6', arity: 3, summary: 'n_in·n_out + n_out' },
    { name: 'activationMemory', catalogue: 'I7', arity: 2, summary: 'count and bytes of an activation volume' },
    { name: 'receptiveField', catalogue: 'I8', arity: 1, summary: '1 + Σ (k_eff − 1)·Π earlier strides' },
    { name: 'stackParams', catalogue: 'I9', arity: 2, summary: 'C²·Σ kh·kw' },
    { name: 'layerSummary', catalogue: 'I10', arity: 2, summary: 'per-layer shapes, params, activations and totals' },
    { name: 'weightSharing', catalogue: 'I11', arity: 5, summary: 'weights with and without sharing' },
  ],
  checks: [
    ...convOutputSizeChecks, ...samePaddingChecks, ...tfOutputSizeChecks, ...tfSamePadsChecks, ...effectiveKernelChecks,
    ...poolOutputSizeChecks, ...transposedOutputSizeChecks, ...convParamsChecks, ...fcParamsChecks, ...activationMemoryChecks,
    ...receptiveFieldChecks, ...stackParamsChecks, ...layerSummaryChecks, ...weightSharingChecks,
  ],
};
