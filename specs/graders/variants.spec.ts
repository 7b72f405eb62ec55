/**
 * Correct implementations written differently from the reference (fixtures/variants/: another
 * equal form, another algorithm, in the freedom the stubs leave) get full marks on their
 * exercises, public and hidden checks: the counterpart of the mutants, which must lose points.
 * The same harness as the mutants' (one prepared submission and two sandboxes per family).
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Variant } from '../../fixtures/variants/variant.ts';
import { gradeSubmission } from '../../graders/engine/grade.ts';
import { DEFAULT_COURSE_SEED } from '../../graders/engine/seed.ts';
import { FAMILIES, loadHidden, withHidden } from '../../graders/families.ts';
import { PACKAGE_ROOT } from '../../graders/root.ts';
import { Sandbox } from '../../graders/sandbox/host.ts';
import { prepareSubmission, type PreparedSubmission } from '../../graders/sandbox/prepare.ts';

const root = path.join(PACKAGE_ROOT, 'fixtures', 'variants');
const families = withHidden(FAMILIES, await loadHidden());

for (const module of readdirSync(root, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort()) {
  const folder = path.join('fixtures', 'variants', module);
  const names = readdirSync(path.join(PACKAGE_ROOT, folder)).filter((n) => n.endsWith('.ts')).sort();
  const variants = await Promise.all(names.map(async (n) => ({ name: n.replace(/\.ts$/, ''), ...((await import(pathToFileURL(path.join(PACKAGE_ROOT, folder, n)).href)) as { variant: Variant }).variant })));
  const family = families.find((f) => f.module === module)!;

  describe(`correct variants of ${module} (${variants.length})`, () => {
    let prepared: PreparedSubmission;
    let sandbox: Sandbox;
    let hiddenSandbox: Sandbox;
    beforeAll(() => {
      prepared = prepareSubmission(PACKAGE_ROOT, variants.map((v) => path.join(folder, v.name)), ['reference', folder]);
      sandbox = new Sandbox({ readPaths: [prepared.root], displayPath: prepared.displayPath });
      hiddenSandbox = new Sandbox({ readPaths: [prepared.root], displayPath: prepared.displayPath });
    });
    afterAll(async () => {
      await sandbox?.close();
      await hiddenSandbox?.close();
      prepared?.cleanup();
    });

    for (const v of variants) {
      it(`${v.name}: ${v.description}`, async () => {
        expect(prepared.problems).toEqual({});
        const report = await gradeSubmission({
          submission: v.name,
          families: [family],
          modules: { [module]: prepared.modules[path.join(folder, v.name)] },
          problems: {},
          sandbox,
          hiddenSandbox,
          seeds: { courseSeed: DEFAULT_COURSE_SEED },
          only: v.exercises,
        });
        const checks = report.families[0].exercises.flatMap((e) => e.checks);
        expect(checks.length).toBeGreaterThan(0);
        expect(checks.filter((c) => c.status !== 'passed').map((c) => `${c.id}: ${c.message}`)).toEqual([]);
      });
    }
  });
}
