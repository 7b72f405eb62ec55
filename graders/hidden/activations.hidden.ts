/**
 * Family A (activations): hidden differential checks, student vs reference on random inputs
 * over the full stated ranges (|x| ≤ 1000 for the smooth functions). Instructor side only.
 */
import fc from 'fast-check';
import * as ref from '../../reference/activations.ts';
import { real, vector, matrix } from '../engine/arbitraries.ts';
import { differential } from '../engine/checks.ts';
import type { Check } from '../engine/types.ts';

/**
 * The whole stated range in strata: the moderate values where most of the curve is, the tails
 * where e^±x overflows (|x| ≥ 700), and the kinks themselves. fast-check's doubles over
 * [−1000, 1000] alone rarely land in [−10, 10], past ±709 or exactly on 0.
 */
const wide = fc.oneof(
  { weight: 5, arbitrary: real({ min: -10, max: 10 }) },
  { weight: 2, arbitrary: real({ min: -1000, max: 1000 }) },
  { weight: 1, arbitrary: real({ min: 700, max: 1000 }) },
  { weight: 1, arbitrary: real({ min: -1000, max: -700 }) },
  { weight: 1, arbitrary: fc.constantFrom(0, -0, 1, -1) },
);
const slope = fc.double({ min: 0, max: 1, noNaN: true });
const positive = fc.double({ min: 0.05, max: 5, noNaN: true });

function scalar(exercise: string, catalogue: string, f: (x: number) => number, hint: string): Check {
  return differential({
    id: `${catalogue}.${exercise}.reference`, exercise, catalogue, hint,
    title: `${exercise}(x) matches the reference for |x| ≤ 1000`,
    arbitrary: wide, args: (x) => [x], expected: (x) => f(x),
  });
}

function withParam(exercise: string, catalogue: string, f: (x: number, a: number) => number, param: fc.Arbitrary<number>, hint: string): Check {
  return differential({
    id: `${catalogue}.${exercise}.reference`, exercise, catalogue, hint,
    title: `${exercise}(x, α) matches the reference for |x| ≤ 1000`,
    arbitrary: fc.tuple(wide, param), args: ([x, a]) => [x, a], expected: ([x, a]) => f(x, a),
  });
}

const logits = vector({ min: -1000, max: 1000, maxLength: 10 });
const maxoutInput = fc
  .record({ m: fc.integer({ min: 1, max: 4 }), k: fc.integer({ min: 1, max: 4 }), d: fc.integer({ min: 1, max: 5 }) })
  .chain(({ m, k, d }) =>
    fc.record({
      x: vector({ min: -5, max: 5, minLength: d, maxLength: d }),
      W: fc.array(matrix({ rows: k, cols: d, min: -3, max: 3 }), { minLength: m, maxLength: m }),
      b: matrix({ rows: m, cols: k, min: -2, max: 2 }),
      dout: vector({ min: -3, max: 3, minLength: m, maxLength: m }),
    }),
  );

export const hidden: Check[] = [
  scalar('sigmoid', 'A1', ref.sigmoid, 'A1: σ(x) = 1/(1 + e^−x), stable in both tails'),
  scalar('sigmoidGrad', 'A1', ref.sigmoidGrad, "A1: σ'(x) = σ(x)(1 − σ(x))"),
  scalar('tanh', 'A2', ref.tanh, 'A2: (e^x − e^−x)/(e^x + e^−x), stable'),
  scalar('tanhGrad', 'A2', ref.tanhGrad, "A2: tanh' = 1 − tanh²"),
  scalar('relu', 'A3', ref.relu, 'A3: max(0, x)'),
  scalar('reluGrad', 'A3', ref.reluGrad, "A3: relu'(x) = 1 for x > 0, else 0 (0 at the kink)"),
  withParam('leakyRelu', 'A4', ref.leakyRelu, slope, 'A4: max(αx, x)'),
  withParam('leakyReluGrad', 'A4', ref.leakyReluGrad, slope, "A4: 1 for x > 0, else α"),
  withParam('elu', 'A6', ref.elu, positive, 'A6: x if x ≥ 0 else α(e^x − 1)'),
  withParam('eluGrad', 'A6', ref.eluGrad, positive, "A6: 1 if x ≥ 0 else α·e^x"),
  scalar('softplus', 'A7', ref.softplus, 'A7: ln(1 + e^x), stable'),
  scalar('softplusGrad', 'A7', ref.softplusGrad, "A7: softplus' = σ"),
  differential({
    id: 'A5.prelu.reference', exercise: 'prelu', catalogue: 'A5', title: 'prelu(y, a) matches the reference', hint: 'A5: y if y > 0 else a·y',
    arbitrary: fc.tuple(vector({ min: -100, max: 100 }), real({ min: -2, max: 2 })), args: ([y, a]) => [y, a], expected: ([y, a]) => ref.prelu(y, a),
  }),
  differential({
    id: 'A5.preluBackward.reference', exercise: 'preluBackward', catalogue: 'A5', title: 'preluBackward matches the reference', hint: 'A5: dy = dout·(1 or a); da = Σ_{y ≤ 0} dout·y',
    arbitrary: vector({ min: -10, max: 10 }).chain((y) => fc.tuple(fc.constant(y), vector({ min: -3, max: 3, minLength: y.length, maxLength: y.length }), real({ min: -2, max: 2 }))),
    args: ([y, dout, a]) => [dout, y, a], expected: ([y, dout, a]) => ref.preluBackward(dout, y, a),
  }),
  differential({ id: 'A8.softmax.reference', exercise: 'softmax', catalogue: 'A8', title: 'softmax matches the reference for |x| ≤ 1000', hint: 'A8: max-shifted e^{x_j}/Σ e^{x_k}', arbitrary: logits, args: (x) => [x], expected: (x) => ref.softmax(x) }),
  differential({
    id: 'A8.softmaxJacobian.reference', exercise: 'softmaxJacobian', catalogue: 'A8', title: 'softmaxJacobian matches the reference for |x| ≤ 1000', hint: 'A8: D_ab = p_a(δ_ab − p_b), p max-shifted',
    // moderate logits, where every entry of D is far from 0, and the whole range, where e^x overflows
    arbitrary: fc.oneof(vector({ min: -50, max: 50, maxLength: 6 }), vector({ min: -1000, max: 1000, maxLength: 6 })), args: (x) => [x], expected: (x) => ref.softmaxJacobian(x),
  }),
  differential({ id: 'A9.logSumExp.reference', exercise: 'logSumExp', catalogue: 'A9', title: 'logSumExp matches the reference for |x| ≤ 1000', hint: 'A9: m + log Σ e^{x_k − m}', arbitrary: logits, args: (x) => [x], expected: (x) => ref.logSumExp(x) }),
  differential({ id: 'A9.logSoftmax.reference', exercise: 'logSoftmax', catalogue: 'A9', title: 'logSoftmax matches the reference for |x| ≤ 1000', hint: 'A9: x_j − logSumExp(x)', arbitrary: logits, args: (x) => [x], expected: (x) => ref.logSoftmax(x) }),
  differential({ id: 'A10.maxout.reference', exercise: 'maxout', catalogue: 'A10', title: 'maxout matches the reference', hint: 'A10: h_i = max_j (xᵀW_ij + b_ij)', arbitrary: maxoutInput, args: (t) => [t.x, t.W, t.b], expected: (t) => ref.maxout(t.x, t.W, t.b) }),
  differential({ id: 'A10.maxoutBackward.reference', exercise: 'maxoutBackward', catalogue: 'A10', title: 'maxoutBackward matches the reference (ties go to the first piece)', hint: 'A10: the gradient goes to the first maximal piece', arbitrary: maxoutInput, args: (t) => [t.dout, t.x, t.W, t.b], expected: (t) => ref.maxoutBackward(t.dout, t.x, t.W, t.b) }),
  differential({ id: 'A11.sigmoidChainBound.reference', exercise: 'sigmoidChainBound', catalogue: 'A11', title: 'sigmoidChainBound matches the reference for depths 0–60', hint: "A11: σ'(0)^depth", arbitrary: fc.integer({ min: 0, max: 60 }), args: (n) => [n], expected: (n) => ref.sigmoidChainBound(n), numRuns: 30 }),
  differential({
    id: 'A12.reluInactiveFraction.reference', exercise: 'reluInactiveFraction', catalogue: 'A12', title: 'reluInactiveFraction matches the reference', hint: 'A12: count a ≤ 0, divide by the number of entries',
    arbitrary: fc.record({ r: fc.integer({ min: 1, max: 6 }), c: fc.integer({ min: 1, max: 6 }) }).chain(({ r, c }) => matrix({ rows: r, cols: c, min: -3, max: 3 })),
    args: (a) => [a], expected: (a) => ref.reluInactiveFraction(a),
  }),
];
