/**
 * Correct implementations written differently from the reference (fixtures/variants/: another
 * equal form, another algorithm, in the freedom the stubs leave) get full marks on their
 * exercises, public and hidden checks: the counterpart of the mutants, which must lose points
 * (the same harness: specs/support/fixtures.ts).
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Variant } from '../../fixtures/variants/variant.ts';
import { PACKAGE_ROOT } from '../../graders/root.ts';
import { familyOf, fixtureSubmission, loadFixtures } from '../support/fixtures.ts';

const modules = readdirSync(path.join(PACKAGE_ROOT, 'fixtures', 'variants'), { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort();

for (const module of modules) {
  const variants = await loadFixtures<Variant>('variants', module, 'variant');
  const family = await familyOf(module);

  describe(`correct variants of ${module} (${variants.length})`, () => {
    const submission = fixtureSubmission('variants', family, variants.map((v) => v.name));

    for (const v of variants) {
      it(`${v.name}: ${v.description}`, async () => {
        expect(submission.problems()).toEqual({});
        const report = await submission.grade(v.name, v.exercises);
        const checks = report.families[0].exercises.flatMap((e) => e.checks);
        expect(checks.length).toBeGreaterThan(0);
        expect(checks.filter((c) => c.status !== 'passed').map((c) => `${c.id}: ${c.message}`)).toEqual([]);
      });
    }
  });
}
