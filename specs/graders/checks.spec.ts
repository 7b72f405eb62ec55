import { firstOffending } from '../../graders/engine/shapes.ts';
/**
 * The engine's rule for required errors: a check that passes invalid input accepts only a
 * deliberate Error naming the function (as tensor.ts's ArgumentError does), not a crash and not
 * an anonymous Error.
 */
import { describe, expect, it } from 'vitest';
import { example, expectArgumentError } from '../../graders/engine/checks.ts';
import { StudentFault, type StudentModule } from '../../graders/engine/types.ts';
import { checkSeed } from '../../graders/engine/seed.ts';
import { activations } from '../../graders/activations.grader.ts';
import { tanhGrad } from '../../reference/activations.ts';

const student = (behaviour: () => unknown): StudentModule => ({
  call: async () => behaviour(),
  callCounting: async () => ({ value: behaviour(), calls: [] }),
});
const throws = (message: string) => () => {
  throw new StudentFault('threw', 'poolOutputSize', message);
};

describe('expectArgumentError', () => {
  it('passes an Error whose message names the function, with or without the line the sandbox appends', async () => {
    await expect(expectArgumentError(student(throws("poolOutputSize: argument 'S' must divide 3")), 'poolOutputSize', [6, 3, 2], 'S')).resolves.toBeUndefined();
    await expect(expectArgumentError(student(throws('poolOutputSize: bad (at pool.ts:3:9)')), 'poolOutputSize', [6, 3, 2], 'S')).resolves.toBeUndefined();
  });

  it('rejects a crash, an anonymous Error and a returned value, saying which', async () => {
    await expect(expectArgumentError(student(throws("Cannot read properties of undefined (reading '0') (at pool.ts:3:9)")), 'poolOutputSize', [6, 3, 2], 'S')).rejects.toThrow(/does not name poolOutputSize: a crash, not a check of the arguments/);
    await expect(expectArgumentError(student(throws('invalid input')), 'poolOutputSize', [6, 3, 2], 'S')).rejects.toThrow(/threw "invalid input", which does not name poolOutputSize/);
    await expect(expectArgumentError(student(() => 2), 'poolOutputSize', [6, 3, 2], 'S must divide')).rejects.toThrow(/returned 2; it must throw an Error naming poolOutputSize: S must divide/);
    // a name inside a longer identifier does not count
    await expect(expectArgumentError(student(throws('poolOutputSizes are wrong')), 'poolOutputSize', [6, 3, 2], 'S')).rejects.toThrow(/does not name/);
  });

  it('lets a runaway fault (timeout, crash of the process) through to the engine', async () => {
    const hang = () => {
      throw new StudentFault('timeout', 'poolOutputSize', 'did not return within 2 s');
    };
    await expect(expectArgumentError(student(hang), 'poolOutputSize', [6, 3, 2], 'S')).rejects.toBeInstanceOf(StudentFault);
  });

  it("example({ throws: true }) scores with that rule", async () => {
    const check = example({ id: 'I4.x', exercise: 'poolOutputSize', catalogue: 'I4', title: 't', hint: 'h', args: [6, 3, 2], throws: true });
    expect((await check.run({ student: student(throws('poolOutputSize: no')), seed: 1 })).status).toBe('passed');
    const crash = await check.run({ student: student(throws('x is undefined')), seed: 1 });
    expect([crash.status, crash.reason]).toEqual(['failed', 'property']);
  });
});

describe('range checks and rounding', () => {
  it("A2.tanhGrad.stable accepts the stable form 4t/(1 + t)², which rounds to 1 + ε near 0 (course seed 1 draws such an x)", async () => {
    expect(tanhGrad(1.5e-15)).toBe(1 + Number.EPSILON);
    const check = activations.checks.find((c) => c.id === 'A2.tanhGrad.stable')!;
    const reference: StudentModule = { call: async (_name, [x]) => tanhGrad(x as number), callCounting: async (_name, [x]) => ({ value: tanhGrad(x as number), calls: [] }) };
    const outcome = await check.run({ student: reference, seed: checkSeed(check.id, { courseSeed: 1 }, false) });
    expect(outcome.status, outcome.message).toBe('passed');
    const overOne: StudentModule = { call: async () => 1 + 4 * Number.EPSILON, callCounting: async () => ({ value: 1 + 4 * Number.EPSILON, calls: [] }) };
    expect((await check.run({ student: overOne, seed: 1 })).status).toBe('failed');
  });
});

describe('firstOffending', () => {
  it('names the first entry that fails, as a person reads it (NaN and ±Infinity not turned into null, −0 kept)', () => {
    const ok = (v: number) => Number.isFinite(v) && v >= 0 && v <= 1;
    expect(firstOffending([0.5, 1, NaN, 2], ok)).toBe('NaN at index 2');
    expect(firstOffending([Infinity], ok)).toBe('Infinity at index 0');
    expect(firstOffending([0.5, -0], (v) => !Object.is(v, -0))).toBe('-0 at index 1');
    expect(firstOffending([0.1, 'x', null], ok)).toBe('a string at index 1');
    expect(firstOffending([0.1, null], ok)).toBe('null at index 1');
    expect(firstOffending([0, 1], ok)).toBeUndefined();
  });
});
