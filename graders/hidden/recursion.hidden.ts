/**
 * Family T (computability interlude): hidden checks, instructor side. evaluate against the
 * reference evaluator on random terms (deeper than the public ones, with nested ρ and μ), and each
 * builder's term evaluated by the reference evaluator — not the student's — against integer
 * arithmetic on larger numbers: a term that only the student's own evaluator understands, or an
 * evaluator and a term wrong in matching ways, fail here.
 */
import fc from 'fast-check';
import * as ref from '../../reference/recursion.ts';
import { vectorOf } from '../engine/arbitraries.ts';
import { differential, EXACT, expectClose, property, PropertyFailure } from '../engine/checks.ts';
import type { Check } from '../engine/types.ts';
import { BUILDER_STEPS, BUILDERS, builtTerm, STEPS, termAndArgs } from '../recursion.grader.ts';

/** Builders' arguments beyond the public range (x·y and ⌊x/y⌋ by μ stay within the step limit). */
const LARGER: Record<string, fc.Arbitrary<number[]>> = {
  addition: vectorOf(2, fc.integer({ min: 0, max: 60 })),
  multiplication: vectorOf(2, fc.integer({ min: 0, max: 40 })),
  predecessor: vectorOf(1, fc.integer({ min: 0, max: 200 })),
  truncatedSubtraction: vectorOf(2, fc.integer({ min: 0, max: 60 })),
  div: fc.tuple(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 1, max: 9 })).map(([x, y]) => [x, y]),
};

export const hidden: Check[] = [
  differential({
    id: 'T1.evaluate.reference', exercise: 'evaluate', catalogue: 'T1', numRuns: 150,
    title: 'evaluate matches the reference on random terms of arity 0 … 2 (nested composition, ρ and μ) at arguments 0 … 4',
    hint: 'T1: const n, succ x + 1, proj x_i (1-based), h ∘ (g_1 … g_m), ρ(g, h) recursing on the first argument, μ the least z ≤ bound(x)',
    arbitrary: termAndArgs(3),
    args: ([t, x]) => [t, x, STEPS],
    // EXACT: natural numbers
    tol: EXACT,
    expected: ([t, x]) => ref.evaluate(t as ref.Term, x, STEPS),
  }),
  ...BUILDERS.map((b) =>
    property({
      id: `${b.id}.${b.name}.reference`, exercise: b.name, catalogue: b.id, numRuns: 10, visibility: 'hidden',
      title: `the reference evaluator on your ${b.name}() at larger random arguments gives ${b.what}`,
      hint: `${b.id}: your term must mean ${b.what} under the deck's definitions, not only under your evaluate`,
      arbitrary: fc.array(LARGER[b.name], { minLength: 8, maxLength: 8 }),
      verify: async (xs, s) => {
        const t = await builtTerm(s, b);
        for (const x of xs) {
          let v: number;
          try {
            v = ref.evaluate(t as ref.Term, x, BUILDER_STEPS);
          } catch (e) {
            throw new PropertyFailure(`the reference evaluator on your ${b.name}() at (${x.join(', ')}) failed: ${(e as Error).message}`, b.value(x), String(e));
          }
          // EXACT: natural numbers
          expectClose(v, b.value(x), EXACT, `the reference evaluate(${b.name}(), [${x.join(', ')}])`, b.variants?.(x));
        }
      },
    }),
  ),
];
