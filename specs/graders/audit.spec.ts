/**
 * The contract audits (graders/audit/<module>.md): every sentence of a stub's contract, the check
 * that a wrong implementation of that sentence fails, and the mutant that proves it. This spec
 * keeps the tables true to the code they describe:
 *
 * - each quoted sentence is in the stub, word for word (comment markers and line breaks aside),
 *   so a reworded stub makes its table fail until the audit is redone;
 * - each check exists and belongs to the row's exercise (`*`: a sentence about every function);
 * - each mutant exists and names the row's checks in its mustFail (the mutant specs then prove
 *   that the check rejects it), and a runtime rule (`every call`) names a mutant that breaks it;
 * - a sentence without a check (`—`) says why, and a freedom names the correct variant that
 *   uses it when there is one;
 * - every exercise of the stub has at least one row.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Mutant } from '../../fixtures/mutants/mutant.ts';
import type { Variant } from '../../fixtures/variants/variant.ts';
import { FAMILIES } from '../../graders/families.ts';
import { PACKAGE_ROOT } from '../../graders/root.ts';
import { auditRows, names, stubText, type Row } from '../support/audit.ts';
import { familyOf, loadFixtures } from '../support/fixtures.ts';

const fold = (s: string) => s.replace(/\s+/g, ' ').trim();

for (const family of FAMILIES) {
  const module = family.module;
  const file = path.join(PACKAGE_ROOT, 'graders', 'audit', `${module}.md`);

  describe(`the contract audit of ${module} (graders/audit/${module}.md)`, async () => {
    const grader = await familyOf(module);
    const mutants = await loadFixtures<Mutant>('mutants', module, 'mutant');
    const variantsDir = path.join(PACKAGE_ROOT, 'fixtures', 'variants', module);
    const variants = existsSync(variantsDir) ? await loadFixtures<Variant>('variants', module, 'variant') : [];
    const stub = stubText(readFileSync(path.join(PACKAGE_ROOT, 'exercises', `${module}.ts`), 'utf8'));
    const rows = existsSync(file) ? auditRows(readFileSync(file, 'utf8')) : [];
    const where = (r: Row) => `graders/audit/${module}.md:${r.line}`;

    it('exists and has rows', () => {
      expect(existsSync(file), `graders/audit/${module}.md is missing`).toBe(true);
      expect(rows.length).toBeGreaterThan(0);
    });

    it('quotes every sentence from the stub word for word', () => {
      const missing = rows.filter((r) => !stub.includes(fold(r.sentence))).map((r) => `${where(r)}: "${r.sentence}"`);
      expect(missing).toEqual([]);
    });

    it('names the exercises of the stub (or * for a sentence about every function)', () => {
      const exercises = new Set(grader.exercises.map((e) => e.name));
      expect(rows.filter((r) => r.exercise !== '*' && !exercises.has(r.exercise)).map((r) => `${where(r)}: ${r.exercise}`)).toEqual([]);
      expect([...exercises].filter((e) => !rows.some((r) => r.exercise === e))).toEqual([]);
    });

    it('names existing checks of the row’s exercise, each with a mutant that must fail it', () => {
      const problems: string[] = [];
      for (const r of rows) {
        if (['—', 'freedom', 'every call'].includes(r.checks)) continue;
        const ids = names(r.checks);
        if (ids.length === 0) problems.push(`${where(r)}: no check`);
        for (const id of ids) {
          const check = grader.checks.find((c) => c.id === id);
          if (!check) problems.push(`${where(r)}: unknown check ${id}`);
          else if (r.exercise !== '*' && check.exercise !== r.exercise) problems.push(`${where(r)}: ${id} belongs to ${check.exercise}, not ${r.exercise}`);
        }
        const proof = names(r.proof);
        if (proof.length === 0) problems.push(`${where(r)}: no mutant proves it`);
        for (const m of proof) {
          const mutant = mutants.find((x) => x.name === m);
          if (!mutant) problems.push(`${where(r)}: unknown mutant ${m}`);
          else if (!mutant.mustFail.some((id) => ids.includes(id))) problems.push(`${where(r)}: mutant ${m} names none of ${ids.join(', ')} in mustFail`);
        }
      }
      expect(problems).toEqual([]);
    });

    it('proves each rule of every call by a mutant that breaks it', () => {
      const problems: string[] = [];
      for (const r of rows.filter((x) => x.checks === 'every call')) {
        const proof = names(r.proof);
        if (proof.length === 0) problems.push(`${where(r)}: no mutant`);
        for (const m of proof) if (!mutants.some((x) => x.name === m)) problems.push(`${where(r)}: unknown mutant ${m}`);
      }
      expect(problems).toEqual([]);
    });

    it('says why a sentence has no check, and names the variants that use a freedom', () => {
      const problems: string[] = [];
      for (const r of rows) {
        if (r.checks === '—' && r.proof.length < 10) problems.push(`${where(r)}: a sentence without a check needs its reason`);
        if (r.checks === 'freedom') for (const v of names(r.proof)) if (/^[\w-]+$/.test(v) && !variants.some((x) => x.name === v)) problems.push(`${where(r)}: unknown variant ${v}`);
      }
      expect(problems).toEqual([]);
    });
  });
}

/**
 * Every tolerance a grader writes out (an { rtol, atol } literal, or EXACT) says why it is what
 * it is, in a comment on its line or within the three lines above (conditioning, a float32
 * oracle, the number of terms summed; EXACT only for integer arithmetic or a selection of input
 * values). The shared defaults (FLOAT64, NUMERIC) carry their reasons in graders/engine/checks.ts.
 */
describe('every tolerance in a grader states its reason', () => {
  const files = [...FAMILIES.map((f) => `graders/${f.module}.grader.ts`), ...FAMILIES.map((f) => `graders/hidden/${f.module}.hidden.ts`)];
  for (const rel of files) {
    it(rel, () => {
      const lines = readFileSync(path.join(PACKAGE_ROOT, rel), 'utf8').split('\n');
      const commented = (i: number) => lines.slice(Math.max(0, i - 3), i + 1).some((l) => /\/\/|^\s*\*|\/\*/.test(l));
      const bare = lines.flatMap((l, i) => (/rtol:|\bEXACT\b/.test(l) && !/^\s*import /.test(l) && !commented(i) ? [`${rel}:${i + 1}: ${l.trim().slice(0, 100)}`] : []));
      expect(bare).toEqual([]);
    });
  }
});
