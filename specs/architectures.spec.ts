/**
 * Family R (architectures): the reference against TensorFlow.js (the residual and SE blocks as
 * tf op chains and their tf.grads; Network-in-Network as stacked 1×1 tf.conv2d + relu; every R6
 * block, and the R5 modules, built as tf.layers functional models whose countParams and output
 * shapes must match), against numerical derivatives (reference gradcheck, full and
 * directional), against the worked examples (the R5 slide's printed total recorded as differing),
 * the catalogue's properties, and input validation.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  denseNet121,
  expectedDepths,
  inceptionCosts,
  inceptionDepths,
  inceptionModel,
  naiveBranches,
  ninExample,
  reducedBranches,
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
import { EXACT, FLOAT64 } from '../graders/engine/checks.ts';
import * as R from '../reference/architectures.ts';
import { directionalCheck, numericalGradient, numericalJacobian } from '../reference/gradcheck.ts';
import { createRandom } from '../reference/random.ts';
import { expectAllClose } from './support/expect.ts';
import { chwToHwc, f32, hwcToChw, oracle, run, tf } from './support/tf.ts';
import { NUMERIC_REL_ERROR, TF_COMPOSITE } from './support/tolerances.ts';

const backend = await oracle();

type Vec = number[];
type Mat = number[][];
type Img = number[][][];

const relu = (v: number) => (v > 0 ? v : 0);
const matVec = (W: Mat, v: Vec): Vec => W.map((row) => row.reduce((s, w, j) => s + w * v[j], 0));
const flat = (x: unknown): number[] => (Array.isArray(x) ? x.flatMap(flat) : x === null ? [] : [x as number]);
const reshape = (v: Vec, r: number, c: number): Mat => Array.from({ length: r }, (_, i) => v.slice(i * c, (i + 1) * c));
const normwiseError = (a: Vec, b: Vec) => Math.max(...a.map((v, i) => Math.abs(v - b[i]))) / Math.max(1e-300, ...a.map(Math.abs), ...b.map(Math.abs));

// ---------------------------------------------------------------------------------------------
// inputs

const entry = fc.tuple(fc.double({ min: 0.1, max: 2, noNaN: true }), fc.boolean()).map(([a, neg]) => (neg ? -a : a));
/** Upstream gradients of magnitude in [0.05, 1]: subnormal douts would leave only rounding noise in a central difference. */
const upstream = entry.map((v) => v / 2);
const vecOf = (n: number, e = entry) => fc.array(e, { minLength: n, maxLength: n });
const matOf = (r: number, c: number, e = entry) => fc.array(vecOf(c, e), { minLength: r, maxLength: r });
const imageOf = (C: number, H: number, W: number, e = entry) => fc.array(matOf(H, W, e), { minLength: C, maxLength: C });

interface ResCase {
  x: Vec;
  W1: Mat;
  W2: Mat;
  Ws: Mat | null;
  dout: Vec;
}
const resCase = (maxN = 4): fc.Arbitrary<ResCase> =>
  fc.record({ n: fc.integer({ min: 1, max: maxN }), m: fc.integer({ min: 1, max: maxN }), p: fc.integer({ min: 1, max: maxN }), proj: fc.boolean() }).chain(({ n, m, p, proj }) =>
    fc.record({ x: vecOf(n), W1: matOf(m, n), W2: matOf(proj ? p : n, m), Ws: proj ? matOf(p, n).map((M): Mat | null => M) : fc.constant(null), dout: vecOf(proj ? p : n, upstream) }),
  );
/** Every pre-activation ≥ 0.05 from ReLU's kink: float32 rounding and central differences stay on one side. */
const awayFromKinks = (t: ResCase) => {
  const { cache } = R.residualForward(t.x, t.W1, t.W2, t.Ws);
  return [...cache.a1, ...cache.a2].every((a) => Math.abs(a) >= 0.05);
};
const f32Res = (t: ResCase): ResCase => ({ x: f32(t.x), W1: f32(t.W1), W2: f32(t.W2), Ws: t.Ws && f32(t.Ws), dout: f32(t.dout) });

interface SECase {
  x: Img;
  W1: Mat;
  W2: Mat;
  dout: Img;
}
const seCase = (maxC = 4, maxHW = 3): fc.Arbitrary<SECase> =>
  fc.record({ C: fc.integer({ min: 1, max: maxC }), H: fc.integer({ min: 1, max: maxHW }), W: fc.integer({ min: 1, max: maxHW }), h: fc.integer({ min: 1, max: 3 }) }).chain(({ C, H, W, h }) =>
    fc.record({ x: imageOf(C, H, W), W1: matOf(h, C), W2: matOf(C, h), dout: imageOf(C, H, W, upstream) }),
  );
const seSmooth = (t: SECase) => R.squeezeExcitation(t.x, t.W1, t.W2).cache.a.every((a) => Math.abs(a) >= 0.05);

// ---------------------------------------------------------------------------------------------
// the tfjs side

/** R1 as tf ops on column vectors: relu(W2·relu(W1·x) + (Ws·x or x)). */
const tfResidual = (projection: boolean) => (x: tf.Tensor, W1: tf.Tensor, W2: tf.Tensor, Ws?: tf.Tensor) => {
  const col = tf.reshape(x, [-1, 1]);
  const F = tf.matMul(W2 as tf.Tensor2D, tf.relu(tf.matMul(W1 as tf.Tensor2D, col as tf.Tensor2D)));
  const shortcut = projection ? tf.matMul(Ws as tf.Tensor2D, col as tf.Tensor2D) : col;
  return tf.reshape(tf.relu(tf.add(F, shortcut)), [-1]);
};

/** R4 as tf ops on a C×H×W tensor: z = mean over (H, W), s = sigmoid(W2·relu(W1·z)), out = s ⊙ x broadcast. */
const tfSE = (x: tf.Tensor, W1: tf.Tensor, W2: tf.Tensor) => {
  const z = tf.reshape(tf.mean(x, [1, 2]), [-1, 1]);
  const s = tf.sigmoid(tf.matMul(W2 as tf.Tensor2D, tf.relu(tf.matMul(W1 as tf.Tensor2D, z as tf.Tensor2D))));
  return tf.mul(x, tf.reshape(s, [-1, 1, 1]));
};

/** R7 as stacked 1×1 tf.conv2d + bias + relu on NHWC; W [out × in] → HWIO filter [1, 1, in, out]. */
const tfNiN = (x: Img, layers: R.NiNLayer[]): Img =>
  hwcToChw(
    (run(() => {
      let y: tf.Tensor4D = tf.tensor4d([chwToHwc(x)]);
      for (const { W, b } of layers) {
        const filter = tf.tensor4d([[W[0].map((_, i) => W.map((row) => row[i]))]]);
        y = tf.relu(tf.add(tf.conv2d(y, filter, 1, 'valid'), tf.tensor1d(b))) as tf.Tensor4D;
      }
      return y;
    }) as number[][][][])[0],
  );

/**
 * R6 in tfjs-layers (functional API), one block at a time on a symbolic NHWC input: returns, per
 * block, the output shape [H, W, C] and the summed countParams of the layers it created. 'same'
 * convolutions are zeroPadding2d((k − 1)/2) + a 'valid' conv2d, so the rounding is the floor rule
 * at any stride (tf's own 'same' pads asymmetrically at stride 2). SE is GAP → dense(C/r, relu,
 * no bias) → dense(C, sigmoid, no bias) → reshape [1, 1, C] → multiply (broadcast over H × W).
 */
function tfBlocks(input: R.Shape3, blocks: R.Block[]): { rows: { shape: R.Shape3; params: number }[]; total: number } {
  const inp = tf.input({ shape: input });
  let y: tf.SymbolicTensor = inp;
  const rows: { shape: R.Shape3; params: number }[] = [];
  for (const block of blocks) {
    const made: tf.layers.Layer[] = [];
    const L = <T extends tf.layers.Layer>(layer: T) => (made.push(layer), layer);
    const conv = (t: tf.SymbolicTensor, filters: number, size: number, stride: number, pad: number, useBias: boolean, activation?: 'relu') => {
      const padded = pad > 0 ? (L(tf.layers.zeroPadding2d({ padding: pad })).apply(t) as tf.SymbolicTensor) : t;
      return L(tf.layers.conv2d({ filters, kernelSize: size, strides: stride, padding: 'valid', useBias, activation })).apply(padded) as tf.SymbolicTensor;
    };
    const C = y.shape[3] as number;
    const bias = 'bias' in block ? block.bias !== false : true;
    switch (block.type) {
      case 'conv':
        y = conv(y, block.filters, block.size, block.stride ?? 1, block.pad ?? 0, bias);
        break;
      case 'pool': // no stride: stride = size (R6), passed explicitly rather than relying on tf's own default
        y = L(tf.layers.maxPooling2d({ poolSize: block.size, strides: block.stride ?? block.size, padding: 'valid' })).apply(y) as tf.SymbolicTensor;
        break;
      case 'fc':
        y = L(tf.layers.flatten()).apply(y) as tf.SymbolicTensor;
        y = L(tf.layers.dense({ units: block.units, useBias: bias })).apply(y) as tf.SymbolicTensor;
        y = L(tf.layers.reshape({ targetShape: [1, 1, block.units] })).apply(y) as tf.SymbolicTensor;
        break;
      case 'gap':
        y = L(tf.layers.globalAveragePooling2d({})).apply(y) as tf.SymbolicTensor;
        y = L(tf.layers.reshape({ targetShape: [1, 1, C] })).apply(y) as tf.SymbolicTensor;
        break;
      case 'residual': {
        const { filters, size = 3, stride = 1 } = block;
        const p = (size - 1) / 2;
        const h = conv(conv(y, filters, size, stride, p, bias, 'relu'), filters, size, 1, p, bias);
        const shortcut = block.projection === true || stride !== 1 || C !== filters ? conv(y, filters, 1, stride, 0, bias) : y;
        y = L(tf.layers.activation({ activation: 'relu' })).apply(L(tf.layers.add()).apply([h, shortcut]) as tf.SymbolicTensor) as tf.SymbolicTensor;
        break;
      }
      case 'inception': {
        const outs = block.branches.map((br) => {
          if (br.type === 'conv') return conv(br.reduce !== undefined ? conv(y, br.reduce, 1, 1, 0, bias, 'relu') : y, br.filters, br.size, 1, (br.size - 1) / 2, bias);
          const pooled = L(tf.layers.maxPooling2d({ poolSize: br.size, strides: 1, padding: 'same' })).apply(y) as tf.SymbolicTensor;
          return br.project !== undefined ? conv(pooled, br.project, 1, 1, 0, bias) : pooled;
        });
        y = outs.length === 1 ? outs[0] : (L(tf.layers.concatenate({ axis: -1 })).apply(outs) as tf.SymbolicTensor);
        break;
      }
      case 'dense': {
        const { layers, growth, size = 3 } = block;
        for (let l = 0; l < layers; l++) y = L(tf.layers.concatenate({ axis: -1 })).apply([y, conv(y, growth, size, 1, (size - 1) / 2, bias)]) as tf.SymbolicTensor;
        break;
      }
      case 'se': {
        const s0 = L(tf.layers.globalAveragePooling2d({})).apply(y) as tf.SymbolicTensor;
        const s1 = L(tf.layers.dense({ units: C / block.ratio, activation: 'relu', useBias: false })).apply(s0) as tf.SymbolicTensor;
        const s2 = L(tf.layers.dense({ units: C, activation: 'sigmoid', useBias: false })).apply(s1) as tf.SymbolicTensor;
        const s3 = L(tf.layers.reshape({ targetShape: [1, 1, C] })).apply(s2) as tf.SymbolicTensor;
        y = L(tf.layers.multiply()).apply([y, s3]) as tf.SymbolicTensor;
        break;
      }
    }
    rows.push({ shape: y.shape.slice(1) as R.Shape3, params: made.reduce((s, l) => s + l.countParams(), 0) });
  }
  const model = tf.model({ inputs: inp, outputs: y });
  const total = model.countParams();
  model.dispose();
  return { rows, total };
}

const compareWithLayers = (input: R.Shape3, blocks: R.Block[]) => {
  const mine = R.blockSummary(input, blocks);
  const theirs = tfBlocks(input, blocks);
  expect(mine.rows.slice(1).map((r) => ({ shape: r.shape, params: r.params }))).toEqual(theirs.rows);
  expect(mine.params).toBe(theirs.total);
};

const branchArb: fc.Arbitrary<R.InceptionBranch> = fc.oneof(
  fc.record({ type: fc.constant('conv' as const), size: fc.constantFrom(1, 3, 5), filters: fc.integer({ min: 1, max: 6 }) }),
  fc.record({ type: fc.constant('conv' as const), size: fc.constantFrom(1, 3, 5), filters: fc.integer({ min: 1, max: 6 }), reduce: fc.integer({ min: 1, max: 4 }) }),
  fc.record({ type: fc.constant('pool' as const), size: fc.constantFrom(3, 5) }),
  fc.record({ type: fc.constant('pool' as const), size: fc.constantFrom(3, 5), project: fc.integer({ min: 1, max: 4 }) }),
);
const blockArb: fc.Arbitrary<R.Block> = fc.oneof(
  fc.record({ type: fc.constant('conv' as const), filters: fc.integer({ min: 1, max: 6 }), size: fc.integer({ min: 1, max: 3 }), stride: fc.integer({ min: 1, max: 2 }), pad: fc.integer({ min: 0, max: 1 }), bias: fc.boolean() }),
  fc.record({ type: fc.constant('pool' as const), size: fc.integer({ min: 1, max: 2 }), stride: fc.integer({ min: 1, max: 2 }) }),
  fc.record({ type: fc.constant('pool' as const), size: fc.integer({ min: 1, max: 3 }) }), // stride = size by default
  fc.record({ type: fc.constant('residual' as const), filters: fc.integer({ min: 1, max: 6 }), size: fc.constantFrom(1, 3), stride: fc.integer({ min: 1, max: 2 }), projection: fc.boolean(), bias: fc.boolean() }),
  fc.record({ type: fc.constant('inception' as const), branches: fc.array(branchArb, { minLength: 1, maxLength: 3 }), bias: fc.boolean() }),
  fc.record({ type: fc.constant('dense' as const), layers: fc.integer({ min: 1, max: 3 }), growth: fc.integer({ min: 1, max: 4 }), size: fc.constantFrom(1, 3) }),
  fc.record({ type: fc.constant('se' as const), ratio: fc.constant(1) }),
  fc.record({ type: fc.constant('gap' as const) }),
  fc.record({ type: fc.constant('fc' as const), units: fc.integer({ min: 1, max: 5 }), bias: fc.boolean() }),
);
const fits = (input: R.Shape3, blocks: R.Block[]) => {
  try {
    R.blockSummary(input, blocks);
    return true;
  } catch {
    return false;
  }
};

describe(`architectures vs TensorFlow.js [${backend.label}]`, () => {
  it('R1 residualForward and residualBackward = relu(W2·relu(W1·x) + shortcut) in tf ops and its tf.grads (identity and projection)', () =>
    fc.assert(
      fc.property(resCase().map(f32Res).filter(awayFromKinks), (t) => {
        const r = R.residualForward(t.x, t.W1, t.W2, t.Ws);
        const args = () => [tf.tensor1d(t.x), tf.tensor2d(t.W1), tf.tensor2d(t.W2), ...(t.Ws ? [tf.tensor2d(t.Ws)] : [])];
        const f = tfResidual(t.Ws !== null) as (...a: tf.Tensor[]) => tf.Tensor;
        expectAllClose(run(() => f(...args())), r.out, TF_COMPOSITE, 'out');
        const g = run(() => tf.grads(f)(args(), tf.tensor1d(t.dout)));
        const mine = R.residualBackward(t.dout, r.cache);
        expectAllClose(g, [mine.dx, mine.dW1, mine.dW2, ...(mine.dWs ? [mine.dWs] : [])], TF_COMPOSITE, 'dx, dW1, dW2, dWs');
      }),
      { numRuns: 60 },
    ));

  it('R4 squeezeExcitation and its backward = tf.mean over (H, W), matMul, relu, sigmoid, mul and tf.grads of that chain', () =>
    fc.assert(
      fc.property(seCase().map((t) => ({ x: f32(t.x), W1: f32(t.W1), W2: f32(t.W2), dout: f32(t.dout) })).filter(seSmooth), (t) => {
        const r = R.squeezeExcitation(t.x, t.W1, t.W2);
        const args = () => [tf.tensor3d(t.x), tf.tensor2d(t.W1), tf.tensor2d(t.W2)];
        expectAllClose(run(() => tfSE(...(args() as [tf.Tensor, tf.Tensor, tf.Tensor]))), r.out, TF_COMPOSITE, 'out');
        const [dx, dW1, dW2] = run(() => tf.grads(tfSE as (...a: tf.Tensor[]) => tf.Tensor)(args(), tf.tensor3d(t.dout)));
        expectAllClose({ dx, dW1, dW2 }, R.squeezeExcitationBackward(t.dout, r.cache), TF_COMPOSITE, 'gradients');
      }),
      { numRuns: 60 },
    ));

  it('R7 networkInNetwork = stacked 1×1 tf.conv2d (filter [1, 1, in, out] = Wᵀ) + bias + relu on NHWC', () =>
    fc.assert(
      fc.property(
        fc.record({ C: fc.integer({ min: 1, max: 4 }), H: fc.integer({ min: 1, max: 4 }), W: fc.integer({ min: 1, max: 4 }), widths: fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 3 }) }).chain(({ C, H, W, widths }) => {
          const ins = [C, ...widths];
          return fc.record({ x: imageOf(C, H, W), layers: fc.tuple(...widths.map((w, i) => fc.record({ W: matOf(w, ins[i]), b: vecOf(w) }))) });
        }),
        (t0) => {
          const t = { x: f32(t0.x), layers: t0.layers.map((l) => ({ W: f32(l.W), b: f32(l.b) })) };
          expectAllClose(tfNiN(t.x, t.layers), R.networkInNetwork(t.x, t.layers), TF_COMPOSITE, 'NiN');
        },
      ),
      { numRuns: 40 },
    ));

  it(`R6 ${smallModel.id}, ${inceptionModel.id} and ${vggFirstStage.id}: per-block shapes and countParams of the same blocks built with tf.layers`, () => {
    compareWithLayers(smallModel.input.input, smallModel.input.blocks);
    compareWithLayers(inceptionModel.input.input, inceptionModel.input.blocks);
    compareWithLayers(vggFirstStage.input.input, vggFirstStage.input.blocks);
  });

  it('R6 blockSummary = tf.layers countParams and output shapes on random models mixing every block type (floor rule at stride 2)', () =>
    fc.assert(
      fc.property(
        fc.record({ H: fc.integer({ min: 3, max: 12 }), W: fc.integer({ min: 3, max: 12 }), C: fc.integer({ min: 1, max: 4 }), blocks: fc.array(blockArb, { minLength: 1, maxLength: 4 }) }).filter((m) => fits([m.H, m.W, m.C], m.blocks)),
        ({ H, W, C, blocks }) => compareWithLayers([H, W, C], blocks),
      ),
      { numRuns: 40 },
    ));

  it("R5 inceptionDepth = the channels of tf.layers.concatenate of the branches; inceptionMultiplies = H·W·(the module's countParams without biases), the stride-1 'same' cost", () => {
    const check = (H: number, W: number, C: number, branches: R.InceptionBranch[]) => {
      const { rows } = tfBlocks([H, W, C], [{ type: 'inception', branches, bias: false }]);
      expect(rows[0].shape).toEqual([H, W, R.inceptionDepth(C, branches)]);
      expect(R.inceptionMultiplies(H, W, C, branches)).toBe(H * W * rows[0].params);
    };
    check(28, 28, 256, naiveBranches);
    check(28, 28, 256, reducedBranches);
    fc.assert(fc.property(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 8 }), fc.array(branchArb, { minLength: 1, maxLength: 4 }), check), { numRuns: 30 });
  });
});

// ---------------------------------------------------------------------------------------------

describe('architectures vs numerical derivatives (float64 central differences)', () => {
  const resLoss = (t: ResCase) => (v: Vec) => {
    const [n, m, p] = [t.x.length, t.W1.length, t.W2.length];
    const W1 = reshape(v.slice(n, n + m * n), m, n);
    const W2 = reshape(v.slice(n + m * n, n + m * n + p * m), p, m);
    const Ws = t.Ws ? reshape(v.slice(n + m * n + p * m), p, n) : null;
    return R.residualForward(v.slice(0, n), W1, W2, Ws).out.reduce((s, y, i) => s + y * t.dout[i], 0);
  };

  it('R1 residualBackward = the numerical gradient of Σ dout ⊙ residualForward: full, and along random directions', () =>
    fc.assert(
      fc.property(resCase(5).filter(awayFromKinks), fc.integer({ min: 1, max: 2 ** 30 }), (t, seed) => {
        const g = R.residualBackward(t.dout, R.residualForward(t.x, t.W1, t.W2, t.Ws).cache);
        const analytic = flat([g.dx, g.dW1, g.dW2, g.dWs]);
        const point = flat([t.x, t.W1, t.W2, t.Ws]);
        expect(normwiseError(analytic, numericalGradient(resLoss(t), point))).toBeLessThan(NUMERIC_REL_ERROR);
        const rng = createRandom(seed);
        expect(directionalCheck(resLoss(t), analytic, point, analytic.map(() => rng.normal())).relError).toBeLessThan(NUMERIC_REL_ERROR);
      }),
      { numRuns: 50 },
    ));

  it('R4 squeezeExcitationBackward = the numerical gradient of Σ dout ⊙ squeezeExcitation: full, and along random directions', () =>
    fc.assert(
      fc.property(seCase().filter(seSmooth), fc.integer({ min: 1, max: 2 ** 30 }), (t, seed) => {
        const [C, H, W, h] = [t.x.length, t.x[0].length, t.x[0][0].length, t.W1.length];
        const n = C * H * W;
        const loss = (v: Vec) => {
          const x = Array.from({ length: C }, (_, c) => reshape(v.slice(c * H * W, (c + 1) * H * W), H, W));
          return flat(R.squeezeExcitation(x, reshape(v.slice(n, n + h * C), h, C), reshape(v.slice(n + h * C), C, h)).out).reduce((s, y, i) => s + y * flat(t.dout)[i], 0);
        };
        const g = R.squeezeExcitationBackward(t.dout, R.squeezeExcitation(t.x, t.W1, t.W2).cache);
        const analytic = flat([g.dx, g.dW1, g.dW2]);
        const point = flat([t.x, t.W1, t.W2]);
        expect(normwiseError(analytic, numericalGradient(loss, point))).toBeLessThan(NUMERIC_REL_ERROR);
        const rng = createRandom(seed);
        expect(directionalCheck(loss, analytic, point, analytic.map(() => rng.normal())).relError).toBeLessThan(NUMERIC_REL_ERROR);
      }),
      { numRuns: 50 },
    ));
});

// ---------------------------------------------------------------------------------------------

describe('architectures: the worked examples (fixtures) and the mistakes they name', () => {
  it.each([residualIdentity, residualProjection])('$id: out and the cache pre-activations', (f) => {
    const r = R.residualForward(f.input.x, f.input.W1, f.input.W2, f.input.Ws);
    expect(r.out).toEqual(f.expected.out);
    expect({ a1: r.cache.a1, a2: r.cache.a2 }).toEqual(f.cache);
  });

  it(`${residualIdentity.id}: the mistakes' values are what the wrong blocks give (tf ops in the wrong order)`, () => {
    const { x, W1, W2 } = residualIdentity.input;
    const t = () => [tf.tensor2d(x, [2, 1]), tf.tensor2d(W1), tf.tensor2d(W2)] as const;
    const h = (xs: tf.Tensor2D, w1: tf.Tensor2D) => tf.relu(tf.matMul(w1, xs));
    expect(flat(run(() => { const [xs, w1, w2] = t(); return tf.add(tf.relu(tf.matMul(w2, h(xs, w1))), xs); }))).toEqual(residualIdentity.wrong.reluBeforeAdd.out);
    expect(flat(run(() => { const [xs, w1, w2] = t(); return tf.relu(tf.matMul(w2, tf.add(h(xs, w1), xs))); }))).toEqual(residualIdentity.wrong.addBeforeSecondLayer.out);
    expect(flat(run(() => { const [xs, w1, w2] = t(); return tf.add(tf.matMul(w2, h(xs, w1)), xs); }))).toEqual(residualIdentity.wrong.noFinalRelu.out);
  });

  it.each([
    [residualIdentity, residualIdentityBackward],
    [residualProjection, residualProjectionBackward],
  ] as const)('%#: the hand-derived residual gradients', (fwd, bwd) => {
    const { cache } = R.residualForward(fwd.input.x, fwd.input.W1, fwd.input.W2, fwd.input.Ws);
    // exact integers; compared with the graders' rule, where −0 equals 0 (toEqual would not)
    expectAllClose(R.residualBackward(bwd.input.dout, cache), bwd.expected, EXACT);
  });

  it(`${survivalFour.id}, expected depths, stochastic-depth blocks and DenseNet-121's channels`, () => {
    expect(R.survivalProbabilities(survivalFour.input.L, survivalFour.input.pL)).toEqual(survivalFour.expected);
    for (const f of expectedDepths) expect(R.expectedDepth(f.input.L, f.input.pL)).toBeCloseTo(f.expected, 12);
    for (const f of stochasticBlocks) expect(R.stochasticDepthBlock(f.input.H, f.input.f, f.input.mode, f.input.b, f.input.p), f.id).toEqual(f.expected);
    for (const f of denseNet121) expect(R.denseBlockChannels(f.input.k0, f.input.k, f.input.l), f.id).toBe(f.expected);
  });

  it(`${seExample.id} and ${seBackwardExample.id}: the hand-derived values; tfjs agrees`, () => {
    const { x, W1, W2 } = seExample.input;
    const r = R.squeezeExcitation(x, W1, W2);
    expectAllClose(r.out, seExample.expected.out, FLOAT64);
    expectAllClose({ z: r.cache.z, a: r.cache.a, s: r.cache.s }, seExample.cache, FLOAT64);
    expectAllClose(R.squeezeExcitationBackward(seBackwardExample.input.dout, r.cache), seBackwardExample.expected, FLOAT64);
    expectAllClose(run(() => tfSE(tf.tensor3d(x), tf.tensor2d(W1), tf.tensor2d(W2))), seExample.expected.out, TF_COMPOSITE, 'tfjs');
    // the ReLU gate and the max squeeze, in tf ops
    const z = [2, 0];
    expectAllClose(run(() => tf.mul(tf.tensor3d(x), tf.reshape(tf.relu(tf.matMul(tf.tensor2d(W2), tf.relu(tf.matMul(tf.tensor2d(W1), tf.tensor2d(z, [2, 1]))))), [-1, 1, 1]))), seExample.wrong.reluGate.out, TF_COMPOSITE, 'ReLU gate');
    expectAllClose(run(() => { const zm = tf.reshape(tf.max(tf.tensor3d(x), [1, 2]), [-1, 1]); return tf.mul(tf.tensor3d(x), tf.reshape(tf.sigmoid(tf.matMul(tf.tensor2d(W2), tf.relu(tf.matMul(tf.tensor2d(W1), zm as tf.Tensor2D)))), [-1, 1, 1])); }), seExample.wrong.maxSqueeze.out, TF_COMPOSITE, 'max squeeze');
  });

  it('R5 the [Oh] inception modules: depths 672 and 480, 854,196,224 and 271,351,808 multiplies — the slide prints "358M" for the second', () => {
    for (const f of inceptionDepths) expect(R.inceptionDepth(f.input.C, f.input.branches), f.id).toBe(f.expected);
    for (const f of inceptionCosts) expect(R.inceptionMultiplies(f.input.H, f.input.W, f.input.C, f.input.branches), f.id).toBe(f.expected);
    // the six products the slide lists, as printed, and its total
    const products = [28 * 28 * 64 * 1 * 1 * 256, 28 * 28 * 64 * 1 * 1 * 256, 28 * 28 * 128 * 1 * 1 * 256, 28 * 28 * 192 * 3 * 3 * 64, 28 * 28 * 96 * 5 * 5 * 64, 28 * 28 * 64 * 1 * 1 * 256];
    expect(products.reduce((a, b) => a + b, 0)).toBe(inceptionCosts[1].expected);
    expect(inceptionCosts[1].printed).toBe('Total: 358M ops');
    expect(Math.abs(inceptionCosts[1].expected - 358e6) / 358e6).toBeGreaterThan(0.2);
    expect(Math.round(inceptionCosts[0].expected / 1e6)).toBe(854);
  });

  it.each([smallModel, inceptionModel, vggFirstStage])('$id: blockSummary', (f) => {
    expect(R.blockSummary(f.input.input, f.input.blocks)).toEqual(f.expected);
  });

  it(`${ninExample.id}: the two-layer NiN, and the values without ReLU and without biases`, () => {
    const { x, layers } = ninExample.input;
    expect(R.networkInNetwork(x, layers)).toEqual(ninExample.expected);
    expect(tfNiN(x, layers.map((l) => ({ W: l.W, b: l.b.map(() => 0) })))).toEqual(ninExample.wrong.noBias);
  });
});

// ---------------------------------------------------------------------------------------------

describe('architectures: properties of the catalogue', () => {
  it('R1: ∂y/∂x = I + ∂F/∂x = I + W2·diag[a1 > 0]·W1 on the rows with a2 > 0, and 0 on the clipped rows (identity shortcut)', () =>
    fc.assert(
      fc.property(resCase().filter((t) => t.Ws === null && awayFromKinks(t)), (t) => {
        const { cache } = R.residualForward(t.x, t.W1, t.W2, null);
        const J = numericalJacobian((x) => R.residualForward(x, t.W1, t.W2, null).out, t.x);
        const dF = t.W2.map((row) => t.x.map((_, j) => row.reduce((s, w, q) => s + w * (cache.a1[q] > 0 ? t.W1[q][j] : 0), 0)));
        const expected = t.x.map((_, i) => t.x.map((__, j) => (cache.a2[i] > 0 ? (i === j ? 1 : 0) + dF[i][j] : 0)));
        expectAllClose(J, expected, { rtol: 1e-7, atol: 1e-8 }, 'Jacobian');
      }),
      { numRuns: 50 },
    ));

  it('R1: with W2 = 0 and x ≥ 0 the block is the identity (out = x, dx = dout)', () =>
    fc.assert(
      fc.property(resCase().filter((t) => t.Ws === null), (t) => {
        const x = t.x.map(Math.abs);
        const W2 = t.W2.map((row) => row.map(() => 0));
        const r = R.residualForward(x, t.W1, W2, null);
        expectAllClose(r.out, x, EXACT, 'out');
        expectAllClose(R.residualBackward(t.dout, r.cache).dx, t.dout, EXACT, 'dx');
      }),
    ));

  it('R2: b = 0 gives ReLU(H) whatever f; test mode with p = 1 (0) is train mode with b = 1 (0); Σ survivalProbabilities = expectedDepth; p_L ends the list', () =>
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }).chain((n) => fc.tuple(vecOf(n), vecOf(n))), fc.integer({ min: 1, max: 300 }), fc.double({ min: 0, max: 1, noNaN: true }), ([H, f], L, pL) => {
        expect(R.stochasticDepthBlock(H, f, 'train', 0, 0.3)).toEqual(H.map(relu));
        expect(R.stochasticDepthBlock(H, f, 'test', 0, 1)).toEqual(R.stochasticDepthBlock(H, f, 'train', 1, 0.3));
        expect(R.stochasticDepthBlock(H, f, 'test', 1, 0)).toEqual(R.stochasticDepthBlock(H, f, 'train', 0, 0.3));
        const p = R.survivalProbabilities(L, pL);
        expect(p[L - 1]).toBeCloseTo(pL, 14);
        expect(R.expectedDepth(L, pL)).toBeCloseTo(p.reduce((a, b) => a + b, 0), 10);
        expect(R.expectedDepth(L, pL)).toBeCloseTo(L - ((1 - pL) * (L + 1)) / 2, 10);
      }),
    ));

  it('R3: each layer reads k more channels; a dense block of L layers outputs denseBlockChannels(k0, k, L + 1) channels (blockSummary agrees)', () =>
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 64 }), fc.integer({ min: 1, max: 32 }), fc.integer({ min: 1, max: 10 }), (k0, k, L) => {
        expect(R.denseBlockChannels(k0, k, L + 1) - R.denseBlockChannels(k0, k, L)).toBe(k);
        expect(R.blockSummary([4, 4, k0], [{ type: 'dense', layers: L, growth: k }]).rows[1].shape[2]).toBe(R.denseBlockChannels(k0, k, L + 1));
      }),
    ));

  it('R4: s ∈ (0, 1) scales each channel (out_c/x_c constant), W2 = 0 halves x, and a constant shift of a channel moves only its z', () =>
    fc.assert(
      fc.property(seCase(), (t) => {
        const { out, cache } = R.squeezeExcitation(t.x, t.W1, t.W2);
        cache.s.forEach((s) => expect(s > 0 && s < 1).toBe(true));
        expectAllClose(out, t.x.map((ch, c) => ch.map((row) => row.map((v) => cache.s[c] * v))), FLOAT64);
        expectAllClose(R.squeezeExcitation(t.x, t.W1, t.W2.map((row) => row.map(() => 0))).out, t.x.map((ch) => ch.map((row) => row.map((v) => v / 2))), FLOAT64);
        const shifted = t.x.map((ch, c) => (c === 0 ? ch.map((row) => row.map((v) => v + 1)) : ch));
        expectAllClose(R.squeezeExcitation(shifted, t.W1, t.W2).cache.z, cache.z.map((z, c) => (c === 0 ? z + 1 : z)), FLOAT64);
      }),
    ));

  it('R5: depth and cost add over branches; the 1×1 reduction is cheaper whenever r(C + k²F) < k²FC', () =>
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 30 }), fc.integer({ min: 1, max: 300 }), fc.array(branchArb, { minLength: 1, maxLength: 4 }), fc.constantFrom(3, 5), fc.integer({ min: 1, max: 200 }), fc.integer({ min: 1, max: 100 }), (H, C, branches, k, F, r) => {
        expect(R.inceptionDepth(C, branches)).toBe(branches.reduce((d, b) => d + R.inceptionDepth(C, [b]), 0));
        expect(R.inceptionMultiplies(H, H, C, branches)).toBe(branches.reduce((d, b) => d + R.inceptionMultiplies(H, H, C, [b]), 0));
        const direct = R.inceptionMultiplies(H, H, C, [{ type: 'conv', size: k, filters: F }]);
        const reduced = R.inceptionMultiplies(H, H, C, [{ type: 'conv', size: k, filters: F, reduce: r }]);
        expect(reduced < direct).toBe(r * (C + k * k * F) < k * k * F * C);
      }),
    ));

  it('R7: NiN ≡ a per-pixel MLP: the image at once equals each pixel alone; one layer with W = I, b = 0 is ReLU', () =>
    fc.assert(
      fc.property(fc.record({ C: fc.integer({ min: 1, max: 3 }), H: fc.integer({ min: 1, max: 3 }), W: fc.integer({ min: 1, max: 3 }) }).chain(({ C, H, W }) => fc.tuple(imageOf(C, H, W), matOf(2, C), vecOf(2))), ([x, W1, b1]) => {
        const layers = [{ W: W1, b: b1 }];
        const out = R.networkInNetwork(x, layers);
        x[0].forEach((row, i) => row.forEach((_, j) => {
          expect(out.map((ch) => ch[i][j])).toEqual(matVec(W1, x.map((ch) => ch[i][j])).map((v, q) => relu(v + b1[q])));
        }));
        const eye = x.map((_, i) => x.map((__, j) => (i === j ? 1 : 0)));
        expect(R.networkInNetwork(x, [{ W: eye, b: x.map(() => 0) }])).toEqual(x.map((ch) => ch.map((row) => row.map(relu))));
      }),
    ));
});

// ---------------------------------------------------------------------------------------------

describe('architectures: invalid input is an error naming the function and the argument', () => {
  const { x, W1, W2 } = residualIdentity.input;
  const { cache } = R.residualForward(x, W1, W2, null);
  const se = R.squeezeExcitation(seExample.input.x, seExample.input.W1, seExample.input.W2);
  it.each([
    [() => R.residualForward(x, W1, [[1, 1], [1, 1], [1, 1]], null), /residualForward: argument 'W2' must have 2 rows \(the length of x\) for the identity shortcut F\(x\) \+ x; got W2 3×2 for x of length 2: pass a projection Ws \[3×2\]/],
    [() => R.residualForward(x, [[1, 2, 3]], W2, null), /residualForward: argument 'W1' must have 2 columns \(the length of x\); got W1 1×3 for x of length 2/],
    [() => R.residualForward(x, W1, [[1, 2, 3]], null), /residualForward: argument 'W2' must have 2 columns \(the rows of W1\); got W2 1×3 after W1 2×2/],
    [() => R.residualForward(x, W1, W2, [[1, 0]]), /residualForward: argument 'Ws' must be 2×2 \(rows of W2 × length of x\); got Ws 1×2/],
    [() => R.residualForward(x, W1, W2, undefined as never), /residualForward: argument 'Ws' must be a matrix or null/],
    [() => R.residualBackward([1], cache), /residualBackward: argument 'dout' must have length 2; got length 1/],
    [() => R.residualBackward([1, 2], { ...cache, a1: undefined } as never), /residualBackward: argument 'cache' must have the key 'a1'|residualBackward: argument 'cache.a1'/],
    [() => R.survivalProbabilities(0, 0.5), /survivalProbabilities: argument 'L' must be an integer ≥ 1; got 0/],
    [() => R.expectedDepth(3, 1.5), /expectedDepth: argument 'pL' must lie in \[0, 1\]; got 1.5/],
    [() => R.stochasticDepthBlock([1], [1, 2], 'train', 1, 0.5), /stochasticDepthBlock: argument 'f' must have the length of H \(1\); got length 2/],
    [() => R.stochasticDepthBlock([1], [1], 'eval' as never, 1, 0.5), /stochasticDepthBlock: argument 'mode' must be 'train' or 'test'/],
    [() => R.stochasticDepthBlock([1], [1], 'train', 0.5 as never, 0.5), /stochasticDepthBlock: argument 'b' must be 0 or 1/],
    [() => R.denseBlockChannels(64, 32, 0), /denseBlockChannels: argument 'l' must be an integer ≥ 1; got 0/],
    [() => R.squeezeExcitation(seExample.input.x, [[1, 1, 1]], seExample.input.W2), /squeezeExcitation: argument 'W1' must have 2 columns \(the channels of x\); got W1 1×3 for 2 channels/],
    [() => R.squeezeExcitation(seExample.input.x, seExample.input.W1, [[1, 1]]), /squeezeExcitation: argument 'W2' must be 2×1 \(channels × rows of W1\); got W2 1×2 after W1 1×2/],
    [() => R.squeezeExcitationBackward([[[1]]], se.cache), /squeezeExcitationBackward: argument 'dout' must have 2 channels; got 1/],
    [() => R.inceptionDepth(256, []), /inceptionDepth: argument 'branches' must be a non-empty array of branches/],
    [() => R.inceptionMultiplies(28, 28, 256, [{ type: 'avg', size: 3 } as never]), /inceptionMultiplies: argument 'branches\[0\].type' must be 'conv' or 'pool'/],
    [() => R.blockSummary([8, 8, 3], [{ type: 'se', ratio: 2 }]), /blockSummary: argument 'blocks\[0\].ratio' must divide the channels C = 3; got 2/],
    [() => R.blockSummary([8, 8, 3], [{ type: 'residual', filters: 4, size: 2 }]), /blockSummary: argument 'blocks\[0\].size' must be odd/],
    [() => R.blockSummary([2, 2, 3], [{ type: 'conv', filters: 4, size: 3 }]), /blockSummary: argument 'blocks\[0\]' does not fit: window 3 is larger than the padded input 2/],
    [() => R.blockSummary([8, 8, 3], [{ type: 'lstm' } as never]), /blockSummary: argument 'blocks\[0\].type' must be one of/],
    [() => R.networkInNetwork([[[1]]], [{ W: [[1, 1]], b: [0] }]), /networkInNetwork: argument 'layers\[0\].W' must have 1 columns \(the depth reaching it\); got W 1×2/],
    [() => R.networkInNetwork([[[1]]], [{ W: [[1]], b: [0, 1] }]), /networkInNetwork: argument 'layers\[0\].b' must have length 1; got length 2/],
  ])('%#', (call, message) => {
    expect(call).toThrowError(message);
  });
});
