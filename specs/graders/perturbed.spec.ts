/**
 * The tolerances, all at once: the reference with every non-integer number it returns moved by
 * 1e−3 (a relative error of 1e−3 on ordinary values, far above any float64 rounding) must lose
 * points in every family, and in every exercise but those whose results are integers, or copies
 * of inputs the checks choose integer (their checks compare exactly: nothing to move). A check
 * whose tolerance let 1e−3 through, or an exercise whose public checks only ever see integer
 * results, fails here.
 */
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { gradeDirectory } from '../../graders/batch.ts';
import { FAMILIES } from '../../graders/families.ts';
import { PACKAGE_ROOT } from '../../graders/root.ts';

/** Exercises whose every result is an integer (sizes, counts, indices, 0/1 masks, signs, ±1 gradients), or a copy of input values the checks choose integer (im2col's pixel labels). */
const INTEGER_RESULTS = new Set([
  'reluGrad', 'l1LossGrad', 'hingeLossGrad', 'dropoutMask', 'earlyStopping', 'im2col', 'overlapMap',
  'denseBlockChannels', 'inceptionDepth', 'inceptionMultiplies', 'blockSummary',
  'tokenize', 'buildVocabulary', 'bagOfWords', 'oneHot', 'documentFrequency', // text: strings, counts, 0/1 and document counts
  ...FAMILIES.find((f) => f.id === 'I')!.exercises.map((e) => e.name), // convolution arithmetic: integer arithmetic throughout
  ...FAMILIES.find((f) => f.id === 'T')!.exercises.map((e) => e.name), // recursion: natural numbers and terms of natural numbers
]);

let dir: string;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** reference/ as a submission whose family modules return the reference's results moved by 1e−3 (integers left alone). */
function perturbedReference(): string {
  dir = mkdtempSync(path.join(tmpdir(), 'dlgrade-perturbed-'));
  chmodSync(dir, 0o755);
  const modules = FAMILIES.map((f) => f.module);
  for (const f of readdirSync(path.join(PACKAGE_ROOT, 'reference'))) {
    let text = readFileSync(path.join(PACKAGE_ROOT, 'reference', f), 'utf8');
    for (const m of modules) text = text.replaceAll(`from './${m}.ts'`, `from './${m}.base.ts'`); // each family moved on its own
    const stem = f.replace(/\.ts$/, '');
    writeFileSync(path.join(dir, modules.includes(stem) ? `${stem}.base.ts` : f), text);
  }
  for (const family of FAMILIES) {
    const lines = [
      `import * as ref from './${family.module}.base.ts';`,
      'const move = (v: unknown): unknown => typeof v === "number" ? (Number.isInteger(v) ? v : v + 1e-3) : Array.isArray(v) ? v.map(move) : v !== null && typeof v === "object" ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, move(x)])) : v;',
      ...family.exercises.map((e) => `export const ${e.name} = (...a: unknown[]) => move((ref.${e.name} as (...a: unknown[]) => unknown)(...a));`),
    ];
    writeFileSync(path.join(dir, `${family.module}.ts`), `${lines.join('\n')}\n`);
  }
  return dir;
}

/**
 * Grading the whole reference, every family's checks, is the longest single test: about 45 s on a
 * quiet 2-core machine and more than 120 s (the default) when the machine is busy with other
 * specs. The limit only bounds how long the spec waits; what a check decides does not depend on
 * time (its limits count the student process's CPU time).
 */
const WHOLE_SUBMISSION_MS = 360_000;

describe('the reference, every non-integer result moved by 1e−3', () => {
  it('loses points in every family with a non-integer result, and in every exercise but the integer-valued ones (public checks)', async () => {
    const report = await gradeDirectory(perturbedReference(), { families: FAMILIES, courseSeed: 2026, label: 'perturbed' });
    const unmoved = report.families.flatMap((f) => f.exercises.filter((e) => e.score === e.max).map((e) => e.name));
    expect(unmoved.sort()).toEqual([...INTEGER_RESULTS].sort());
    for (const f of report.families.filter((x) => !['I', 'T'].includes(x.id))) expect(f.score, f.id).toBeLessThan(f.max);
    expect(report.families.every((f) => f.exercises.every((e) => e.status === 'graded'))).toBe(true); // moved, not broken
  }, WHOLE_SUBMISSION_MS);
});
