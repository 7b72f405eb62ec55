/**
 * The mutant harness: grades each known-wrong implementation in fixtures/mutants/<module>/
 * through the real engine and sandbox and asserts that it loses points on every check it
 * names (the harness is shared with the correct variants: ./fixtures.ts).
 *
 * Two completeness rules per family: every exercise has at least two mutants, and every check
 * is named by at least one mutant (a check that nothing can fail proves nothing).
 */
import { describe, expect, it } from 'vitest';
import type { Mutant } from '../../fixtures/mutants/mutant.ts';
import { familyOf, fixtureSubmission, loadFixtures } from './fixtures.ts';

export async function describeMutants(module: string): Promise<void> {
  const mutants = await loadFixtures<Mutant>('mutants', module, 'mutant');
  const grader = await familyOf(module);
  const exerciseOf = (id: string) => grader.checks.find((c) => c.id === id)?.exercise;

  describe(`mutants of ${module} (${mutants.length})`, () => {
    const submission = fixtureSubmission('mutants', grader, mutants.map((m) => m.name));

    it('every mutant prepares: it compiles and imports only the reference', () => {
      expect(submission.problems()).toEqual({});
    });

    it('every mutant names existing checks', () => {
      for (const m of mutants) for (const id of m.mustFail) expect(exerciseOf(id), `${m.name}: unknown check ${id}`).toBeDefined();
    });

    it('every exercise has at least two mutants', () => {
      for (const e of grader.exercises) {
        const n = mutants.filter((m) => m.mustFail.some((id) => exerciseOf(id) === e.name)).length;
        expect(n, `${e.name} has ${n} mutant(s)`).toBeGreaterThanOrEqual(2);
      }
    });

    it('every check is named by at least one mutant', () => {
      const named = new Set(mutants.flatMap((m) => m.mustFail));
      expect(grader.checks.map((c) => c.id).filter((id) => !named.has(id))).toEqual([]);
    });

    for (const m of mutants) {
      it(`${m.name}: ${m.description}`, async () => {
        const exercises = [...new Set(m.mustFail.map(exerciseOf))].filter((e): e is string => e !== undefined);
        // the verdicts are decided before shrinking; a mutant with a diagnosis is graded as students are
        // (its shrunk failure is what the diagnosis must explain), the others without shrinking (half the time)
        const report = await submission.grade(m.name, exercises, m.diagnosis !== undefined);
        const graded = report.families[0].exercises;
        const checks = graded.flatMap((e) => e.checks);
        for (const id of m.mustFail) {
          const c = checks.find((x) => x.id === id);
          expect(c?.status, `${id} should reject ${m.name} but ${c?.status === 'passed' ? 'passed' : (c?.message ?? 'did not run')}`).toBe('failed');
          // a wrong implementation must be caught by the check's own logic, not by a crash of the harness
          expect(['not-gradable', 'not-loaded'], `${id}: ${c?.message}`).not.toContain(c?.reason);
        }
        for (const e of graded) expect(e.score, `${e.name} kept full marks`).toBeLessThan(e.max);
        if (m.diagnosis) {
          const named = checks.filter((c) => c.status === 'failed').map((c) => c.diagnosis);
          expect(named, `no failed check says "this looks like: ${m.diagnosis}"`).toContain(m.diagnosis);
        }
      });
    }
  });
}
