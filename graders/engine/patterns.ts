/**
 * Property checks that recur across families, each needing no reference solution:
 * a derivative against the central difference of the student's own function, and
 * "finite over the whole input range" for the stable forms the catalogue requires.
 */
import type fc from 'fast-check';
import { expectClose, expectThat, NUMERIC, property, callText } from './checks.ts';
import { centralDifference, numericalGradient } from './numeric.ts';
import type { Check, StudentModule } from './types.ts';

interface Common {
  id: string;
  exercise: string;
  catalogue: string;
  hint: string;
  points?: number;
  numRuns?: number;
}

/**
 * d/dx forward(x, ...rest) at x equals exercise(x, ...rest), where forward is the student's own
 * function: args(input) gives [x, ...rest]. Inputs should stay away from kinks.
 */
export function derivativeOfOwnForward<T>(
  spec: Common & { forward: string; arbitrary: fc.Arbitrary<T>; args: (input: T) => [number, ...unknown[]] },
): Check {
  return property({
    ...spec,
    title: `${spec.exercise} equals the numerical derivative of your ${spec.forward}`,
    verify: async (input, student) => {
      const [x, ...rest] = spec.args(input);
      const received = await student.call(spec.exercise, [x, ...rest]);
      const f = async (t: number) => (await student.call(spec.forward, [t, ...rest])) as number;
      const numeric = await centralDifference(f, x);
      expectClose(received, numeric, NUMERIC, `${callText(spec.exercise, [x, ...rest])} vs (f(x+h) − f(x−h))/2h of your ${spec.forward}`);
    },
  });
}

/**
 * ∂L/∂v of a scalar L built from the student's forward, against central differences, for a
 * vector argument v. `loss(student, v, input)` evaluates L with v in place; `received` extracts
 * the student's claimed gradient.
 */
export function gradientOfOwnForward<T>(
  spec: Common & {
    title: string;
    arbitrary: fc.Arbitrary<T>;
    point: (input: T) => number[];
    loss: (student: StudentModule, v: number[], input: T) => Promise<number>;
    received: (student: StudentModule, input: T) => Promise<unknown>;
    what: string;
  },
): Check {
  return property({
    ...spec,
    verify: async (input, student) => {
      const received = await spec.received(student, input);
      const numeric = await numericalGradient((v) => spec.loss(student, v, input), spec.point(input));
      expectClose(received, numeric, NUMERIC, spec.what);
    },
  });
}

/** exercise(...args(input)) is a finite number (and passes `inRange`) everywhere in the stated range. */
export function finiteEverywhere<T>(
  spec: Common & { title: string; arbitrary: fc.Arbitrary<T>; args: (input: T) => unknown[]; inRange?: (v: number, input: T) => boolean; range?: string },
): Check {
  return property({
    ...spec,
    verify: async (input, student) => {
      const args = spec.args(input);
      const v = await student.call(spec.exercise, args);
      expectThat(typeof v === 'number' && Number.isFinite(v), `${callText(spec.exercise, args)} returned ${String(v)}: the true value is finite (use a stable form)`, v);
      if (spec.inRange) expectThat(spec.inRange(v as number, input), `${callText(spec.exercise, args)} = ${String(v)} lies outside ${spec.range}`, v);
    },
  });
}
