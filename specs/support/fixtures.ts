/**
 * The harness shared by the mutants (known-wrong implementations, which must lose points) and the
 * correct variants (which must keep full marks): the modules of fixtures/<kind>/<module>/, each
 * laid out like a submission module that re-exports the reference family and overrides what it
 * writes its own way. A family's fixtures are prepared once as one submission (with reference/,
 * so that `export * from '../../../reference/…'` resolves) and one sandbox hosts them all, with a
 * second one for the hidden checks, which never see a public check.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll } from 'vitest';
import { gradeSubmission, type GradeReport } from '../../graders/engine/grade.ts';
import { DEFAULT_COURSE_SEED } from '../../graders/engine/seed.ts';
import type { FamilyGrader } from '../../graders/engine/types.ts';
import { FAMILIES, loadHidden, withHidden } from '../../graders/families.ts';
import { PACKAGE_ROOT } from '../../graders/root.ts';
import { Sandbox } from '../../graders/sandbox/host.ts';
import { prepareSubmission, type PreparedSubmission } from '../../graders/sandbox/prepare.ts';

/** The family grader of `module`, hidden checks included. */
export async function familyOf(module: string): Promise<FamilyGrader> {
  const f = withHidden(FAMILIES, await loadHidden()).find((g) => g.module === module);
  if (!f) throw new Error(`no family grader for module '${module}'`);
  return f;
}

/** The fixtures of fixtures/<kind>/<module>/, by name, each with the description it exports as `key`. */
export async function loadFixtures<T>(kind: 'mutants' | 'variants', module: string, key: string): Promise<(T & { name: string })[]> {
  const dir = path.join(PACKAGE_ROOT, 'fixtures', kind, module);
  const names = readdirSync(dir).filter((n) => n.endsWith('.ts')).sort();
  return Promise.all(names.map(async (n) => ({ name: n.replace(/\.ts$/, ''), ...((await import(pathToFileURL(path.join(dir, n)).href)) as Record<string, T>)[key] })));
}

/**
 * Registers (inside a describe) the preparation of the fixtures `names` of fixtures/<kind>/<module>/
 * and their two sandboxes; `grade` grades one fixture on the exercises `only`, public and hidden.
 */
export function fixtureSubmission(kind: 'mutants' | 'variants', family: FamilyGrader, names: string[]) {
  const folder = path.join('fixtures', kind, family.module);
  let prepared: PreparedSubmission;
  let sandbox: Sandbox;
  let hiddenSandbox: Sandbox;
  beforeAll(() => {
    prepared = prepareSubmission(PACKAGE_ROOT, names.map((n) => path.join(folder, n)), ['reference', folder]);
    sandbox = new Sandbox({ readPaths: [prepared.root], displayPath: prepared.displayPath });
    hiddenSandbox = new Sandbox({ readPaths: [prepared.root], displayPath: prepared.displayPath });
  });
  afterAll(async () => {
    await sandbox?.close();
    await hiddenSandbox?.close();
    prepared?.cleanup();
  });
  return {
    problems: (): Record<string, string> => prepared.problems,
    /** shrink false: failing properties report their first failing input (enough where only the verdict is asserted) */
    grade: (name: string, only: string[], shrink = true): Promise<GradeReport> =>
      gradeSubmission({
        submission: name,
        families: [family],
        modules: { [family.module]: prepared.modules[path.join(folder, name)] },
        problems: {},
        sandbox,
        hiddenSandbox,
        seeds: { courseSeed: DEFAULT_COURSE_SEED },
        only,
        shrink,
      }),
  };
}
