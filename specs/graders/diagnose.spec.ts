/** Naming the mistake a wrong answer looks like. */
import { describe, expect, it } from 'vitest';
import { differential, example, expectClose, FLOAT64, PropertyFailure } from '../../graders/engine/checks.ts';
import { diagnose, negated, scaled, transposed } from '../../graders/engine/diagnose.ts';
import type { StudentModule } from '../../graders/engine/types.ts';
import fc from 'fast-check';

const answering = (value: unknown): StudentModule => ({
  call: async () => value,
  callCounting: async () => ({ value, calls: [] }),
});

describe('diagnose', () => {
  it('builds variants: negated, scaled and transposed values', () => {
    expect(negated({ dW: [[1, -2]], db: [3] })).toEqual({ dW: [[-1, 2]], db: [-3] });
    expect(scaled([1, 2], 4)).toEqual([4, 8]);
    expect(transposed([[1, 2, 3], [4, 5, 6]])).toEqual([[1, 4], [2, 5], [3, 6]]);
  });

  it('returns the first variant the received value matches, or nothing', () => {
    const expected = [[1, 2], [3, 4]];
    const variants = { 'the sign flipped': negated(expected), 'a missing 1/m': scaled(expected, 3), 'Wᵀ instead of W': transposed(expected) };
    expect(diagnose([[3, 6], [9, 12]], variants, FLOAT64)).toBe('a missing 1/m');
    expect(diagnose([[1, 3], [2, 4]], variants, FLOAT64)).toBe('Wᵀ instead of W');
    expect(diagnose([[9, 9], [9, 9]], variants, FLOAT64)).toBeUndefined();
    expect(diagnose([[9]], undefined, FLOAT64)).toBeUndefined();
  });

  it('skips a variant that agrees with the right answer on the keys it lists', () => {
    const expected = { out: [1, 2], cache: { variance: [4] } };
    const received = { out: [1, 2], cache: { variance: [5] } };
    // the variant is about `out` only and `out` is right: the fault is elsewhere, so no name
    expect(diagnose(received, { 'interleaved groups': { out: [1, 2] } }, FLOAT64, expected)).toBeUndefined();
    expect(diagnose(received, { 'the unbiased variance': { cache: { variance: [5] } } }, FLOAT64, expected)).toBe('the unbiased variance');
  });

  it('names nothing when the matched value is also what another mistake gives on this input', () => {
    // global average pooling of a 1×2 map: ÷H and ÷H² coincide at H = 1, ÷W does not
    const sums = [6];
    const variants = { 'divided by H only': [sums[0] / 1], 'divided by H²': [sums[0] / 1], 'the sum, not the mean': [6 * 2] };
    expect(diagnose([6], variants, FLOAT64, [3])).toBeUndefined();
    expect(diagnose([12], variants, FLOAT64, [3])).toBe('the sum, not the mean');
  });

  it('reaches the report from examples, properties and differentials', async () => {
    const base = { exercise: 'f', catalogue: 'C3', title: 't', hint: 'C3: h' };
    const ex = example({ ...base, id: 'C3.f.a', args: [], expected: [1, 2], variants: { 'the sign of δ flipped': [-1, -2] } });
    expect(await ex.run({ student: answering([-1, -2]), seed: 1 })).toMatchObject({ status: 'failed', diagnosis: 'the sign of δ flipped' });
    expect(() => expectClose([2, 4], [1, 2], FLOAT64, 'dW', { 'a missing 1/m': [2, 4] })).toThrow(expect.objectContaining({ diagnosis: 'a missing 1/m' }) as PropertyFailure);
    const diff = differential({ ...base, id: 'C3.f.b', arbitrary: fc.integer({ min: 1, max: 5 }), args: (m) => [m], expected: (m) => m, variants: (m) => ({ 'a missing 1/m': m * m }) });
    const student: StudentModule = { call: async (_n, [m]) => (m as number) ** 2, callCounting: async () => ({ value: 0, calls: [] }) };
    expect(await diff.run({ student, seed: 3 })).toMatchObject({ status: 'failed', diagnosis: 'a missing 1/m' });
  });
});
