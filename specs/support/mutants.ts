/**
 * The mutant harness: grades each known-wrong implementation in fixtures/mutants/<module>/
 * through the real engine and sandbox and asserts that it loses points on every check it
 * names. The family's mutants are prepared once as one submission (with reference/, so that a
 * mutant's `export * from '../../../reference/…'` resolves) and one sandbox hosts them all (with
 * a second one for the hidden checks, which never see a public check).
 *
 * Two completeness rules per family: every exercise has at least two mutants, and every check
 * is named by at least one mutant (a check that nothing can fail proves nothing).
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Mutant } from '../../fixtures/mutants/mutant.ts';
import { PACKAGE_ROOT } from '../../graders/cli.ts';
import { gradeSubmission } from '../../graders/engine/grade.ts';
import { DEFAULT_COURSE_SEED } from '../../graders/engine/seed.ts';
import type { FamilyGrader } from '../../graders/engine/types.ts';
import { FAMILIES, loadHidden, withHidden } from '../../graders/families.ts';
import { Sandbox } from '../../graders/sandbox/host.ts';
import { prepareSubmission, type PreparedSubmission } from '../../graders/sandbox/prepare.ts';

const family = async (module: string): Promise<FamilyGrader> => {
  const f = withHidden(FAMILIES, await loadHidden()).find((g) => g.module === module);
  if (!f) throw new Error(`no family grader for module '${module}'`);
  return f;
};

export async function describeMutants(module: string): Promise<void> {
  const dir = path.join(PACKAGE_ROOT, 'fixtures', 'mutants', module);
  const names = readdirSync(dir).filter((n) => n.endsWith('.ts')).sort();
  const mutants = await Promise.all(
    names.map(async (n) => ({ name: n.replace(/\.ts$/, ''), ...((await import(pathToFileURL(path.join(dir, n)).href)) as { mutant: Mutant }).mutant })),
  );
  const grader = await family(module);
  const exerciseOf = (id: string) => grader.checks.find((c) => c.id === id)?.exercise;

  describe(`mutants of ${module} (${mutants.length})`, () => {
    let prepared: PreparedSubmission;
    let sandbox: Sandbox;
    let hiddenSandbox: Sandbox;
    beforeAll(() => {
      const folder = path.join('fixtures', 'mutants', module);
      prepared = prepareSubmission(PACKAGE_ROOT, mutants.map((m) => path.join(folder, m.name)), ['reference', folder]);
      sandbox = new Sandbox({ readPaths: [prepared.root], displayPath: prepared.displayPath });
      hiddenSandbox = new Sandbox({ readPaths: [prepared.root], displayPath: prepared.displayPath });
    });
    afterAll(async () => {
      await sandbox?.close();
      await hiddenSandbox?.close();
      prepared?.cleanup();
    });

    it('every mutant prepares: it compiles and imports only the reference', () => {
      expect(prepared.problems).toEqual({});
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
        const report = await gradeSubmission({
          submission: m.name,
          families: [grader],
          modules: { [module]: prepared.modules[path.join('fixtures', 'mutants', module, m.name)] },
          problems: {},
          sandbox,
          hiddenSandbox,
          seeds: { courseSeed: DEFAULT_COURSE_SEED },
          only: exercises,
        });
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
