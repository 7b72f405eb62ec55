/**
 * Batched and call-by-call grading give the same report (engine/batching.ts): the batched path
 * only ever decides that a check passed, and falls back to fc.check for anything else. Proved on
 * its premise (the inputs fc.check draws do not depend on verdicts or skips) and on whole reports,
 * byte for byte but the timings: the reference, a submission whose returned values a check
 * cannot use, mutants that fail properties, differentials and examples — public and hidden.
 */
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../../graders/cli.ts';
import { gradeSubmission, type GradeReport } from '../../graders/engine/grade.ts';
import { FAMILIES, loadHidden, withHidden } from '../../graders/families.ts';
import { Sandbox } from '../../graders/sandbox/host.ts';
import { prepareSubmission } from '../../graders/sandbox/prepare.ts';

const scratch: string[] = [];
afterAll(() => scratch.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('the premise: fc.check draws the same inputs whatever the verdicts', () => {
  it('a property with skips (fc.pre) sees a prefix of the stream a property without them sees', async () => {
    const arbitrary = fc.tuple(fc.array(fc.double({ min: -2, max: 2, noNaN: true }), { maxLength: 4 }), fc.integer({ min: 1, max: 5 }));
    for (const seed of [1, 42, 2026]) {
      const skipping: unknown[] = [];
      await fc.check(
        fc.asyncProperty(arbitrary, async (x) => {
          skipping.push(x);
          fc.pre(x[1] !== 3);
        }),
        { seed, numRuns: 100 },
      );
      const plain: unknown[] = [];
      fc.check(fc.property(arbitrary, (x) => void plain.push(x)), { seed, numRuns: skipping.length });
      expect(skipping.length).toBeGreaterThan(100); // some were skipped
      expect(plain).toEqual(skipping);
    }
  });
});

/** The reference with `module` replaced by `file` (its imports of reference/ pointed inside the submission). */
function submission(module?: string, file?: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'dlgrade-batching-'));
  scratch.push(dir);
  for (const f of readdirSync(path.join(PACKAGE_ROOT, 'reference'))) cpSync(path.join(PACKAGE_ROOT, 'reference', f), path.join(dir, f));
  if (module && file) {
    cpSync(path.join(dir, `${module}.ts`), path.join(dir, `${module}.base.ts`));
    const text = readFileSync(path.join(PACKAGE_ROOT, file), 'utf8')
      .replaceAll(`'../../../reference/${module}.ts'`, `'./${module}.base.ts'`)
      .replaceAll("'../../../reference/", "'./")
      .replace(/^import type \{ Mutant \} from '\.\.\/mutant\.ts';$/m, '');
    writeFileSync(path.join(dir, `${module}.ts`), text);
  }
  return dir;
}

/** The report without what depends on the machine. */
const timeless = (r: GradeReport) => JSON.stringify({ ...r, durationMs: 0, studentCpuMs: 0 });

async function grade(dir: string, only: string[], batch: boolean): Promise<GradeReport> {
  const families = withHidden(FAMILIES, await loadHidden());
  const prepared = prepareSubmission(dir, families.map((f) => f.module));
  chmodSync(prepared.root, 0o755);
  const sandbox = new Sandbox({ readPaths: [prepared.root], displayPath: prepared.displayPath });
  try {
    return await gradeSubmission({ submission: 's', families, modules: prepared.modules, problems: prepared.problems, sandbox, seeds: { courseSeed: 2026 }, only, batch });
  } finally {
    await sandbox.close();
    prepared.cleanup();
  }
}

describe('a batched run and a call-by-call run give the same report', () => {
  const cases: [string, string[], string?, string?][] = [
    ['the reference', ['A1', 'A8', 'C5', 'H2', 'S3', 'F2']],
    ['values a check cannot use', ['C3', 'C5', 'C6'], 'backprop', 'fixtures/submissions/hostile/values.ts'],
    ['a mutant failing a numeric property and a differential', ['F2'], 'normalization', 'fixtures/mutants/normalization/batchNormBackward-dgamma-uses-x.ts'],
    ['a mutant failing an optimiser run', ['H5'], 'optimizers', 'fixtures/mutants/optimizers/adadeltaStep-with-eta.ts'],
    ['a mutant failing a two-evaluation count', ['S3'], 'gradcheck', 'fixtures/mutants/gradcheck/directionalDerivative-full-gradient.ts'],
    ['a mutant writing into its argument', ['E4'], 'regularization', 'fixtures/mutants/regularization/clipByValue-in-place.ts'],
  ];
  it.each(cases)('%s', async (_name, only, module, file) => {
    const dir = submission(module, file);
    const [batched, oneByOne] = [await grade(dir, only, true), await grade(dir, only, false)];
    expect(batched.max).toBeGreaterThan(0);
    if (module) expect(batched.score).toBeLessThan(batched.max);
    expect(timeless(batched)).toBe(timeless(oneByOne));
  });
});

describe('a function that writes into its arguments', () => {
  it('fails each check that calls it, naming the argument as the stub does, with the smallest input that shows it', async () => {
    const report = await grade(submission('regularization', 'fixtures/mutants/regularization/clipByValue-in-place.ts'), ['clipByValue', 'clipByNorm'], true);
    const checks = report.families[0].exercises.flatMap((e) => e.checks);
    for (const c of checks.filter((x) => x.exercise === 'clipByValue')) {
      expect(c, c.id).toMatchObject({ status: 'failed', reason: 'modified-argument', message: expect.stringMatching(/^modified its argument g in place/) });
    }
    // the input shows it: only an entry outside [−c, c] makes this function write
    const [g, c] = checks.find((x) => x.id === 'E4.clipByValue.clamp')?.counterexample as [number[], number];
    expect(g.some((v) => Math.abs(v) > c)).toBe(true);
    expect(checks.filter((x) => x.exercise === 'clipByNorm').every((c) => c.status === 'passed')).toBe(true);
  });
});
