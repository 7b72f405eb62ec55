/**
 * Typed submissions: each submission is type-checked against the stubs' signatures (the grader
 * itself only erases types), the errors head every report, and --strict-types makes a module with
 * type errors not gradable. The type checker reads hostile files, so it runs in a process of its
 * own with bounded CPU time and heap, may read nothing but the submission, the stubs, its lib
 * files and pure-rand's typings, and what it sends back is validated and bounded.
 */
import { chmodSync, cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { gradeDirectory } from '../graders/batch.ts';
import { FAMILIES } from '../graders/families.ts';
import type { GradeReport } from '../graders/engine/grade.ts';
import { renderConsole } from '../graders/report/console.ts';
import { gradebookCsv } from '../graders/report/gradebook.ts';
import { toGradescope } from '../graders/report/gradescope.ts';
import { toJUnit } from '../graders/report/junit.ts';
import { toPrairieLearn } from '../graders/report/prairielearn.ts';
import { prepareSubmission } from '../graders/sandbox/prepare.ts';
import { TypeChecker, typeProblems, validate, type TypeCheckInput } from '../graders/sandbox/typecheck.ts';
import { PACKAGE_ROOT } from '../graders/root.ts';

const scratch: string[] = [];
afterAll(() => scratch.forEach((d) => rmSync(d, { recursive: true, force: true })));
function temp(): string {
  const d = mkdtempSync(path.join(tmpdir(), 'dlgrade-typecheck-'));
  chmodSync(d, 0o755); // a student process running as nobody reads it
  scratch.push(d);
  return d;
}

const MODULES = FAMILIES.map((f) => f.module);

/** The type check's input for `dir` as the grader prepares it. */
function inputOf(dir: string, modules = MODULES): TypeCheckInput {
  const prepared = prepareSubmission(dir, modules);
  try {
    return prepared.typeCheckInput();
  } finally {
    prepared.cleanup();
  }
}

async function checked(input: TypeCheckInput, limits?: { cpuMs?: number; heapMb?: number }) {
  const checker = new TypeChecker(limits);
  try {
    return await checker.check(input);
  } finally {
    checker.close();
  }
}

/** 1-based line and column of the first `needle` in `text`. */
function at(text: string, needle: string): { line: number; column: number } {
  const before = text.slice(0, text.indexOf(needle));
  expect(before.length).toBeLessThan(text.length);
  const lines = before.split('\n');
  return { line: lines.length, column: lines[lines.length - 1].length + 1 };
}

/**
 * The reference's activations.ts (and the files it needs), with a type error inside relu, a
 * reluGrad that takes a string (a signature other than the stub's), and type-only imports of the
 * hidden checks and of the reference by absolute path: erased before grading, so the import check
 * never sees them; the type checker must not read them either.
 */
function brokenSubmission(): { dir: string; text: string } {
  const dir = temp();
  for (const f of ['activations.ts', 'losses.ts', 'tensor.ts']) cpSync(path.join(PACKAGE_ROOT, 'reference', f), path.join(dir, f));
  const file = path.join(dir, 'activations.ts');
  let text = readFileSync(file, 'utf8');
  text = text.replace("  assertNumber('relu', 'x', x);\n", "  assertNumber('relu', 'x', x);\n  const label: string = x;\n  void label;\n");
  text = text.replace('export function reluGrad(x: number): number {', 'export function reluGrad(x: string): number {');
  text += `\nimport type { Hidden } from '../graders/hidden/activations.hidden.ts';\nimport type { Reference } from '${path.join(PACKAGE_ROOT, 'reference', 'activations.ts')}';\nexport type Leak = Hidden | Reference;\n`;
  writeFileSync(file, text);
  return { dir, text };
}

/** The reference's activations.ts with a line no earlier run has seen: a check the cache cannot answer. */
function uncached(): TypeCheckInput {
  const dir = temp();
  for (const f of ['activations.ts', 'tensor.ts']) cpSync(path.join(PACKAGE_ROOT, 'reference', f), path.join(dir, f));
  writeFileSync(path.join(dir, 'activations.ts'), `${readFileSync(path.join(dir, 'activations.ts'), 'utf8')}\n// ${process.hrtime.bigint()} ${Math.random()}\n`);
  return inputOf(dir, ['activations']);
}

describe('the type check', () => {
  it('finds no error in the reference or in the untouched stubs', async () => {
    expect((await checked(inputOf(path.join(PACKAGE_ROOT, 'reference')))).errors).toEqual([]);
    expect((await checked(inputOf(path.join(PACKAGE_ROOT, 'exercises')))).errors).toEqual([]);
  });

  it("finds a type error inside a function, a signature other than the stub's (at its declaration), and reads nothing outside the submission", async () => {
    const { dir, text } = brokenSubmission();
    const t = await checked(inputOf(dir, ['activations', 'losses']));
    expect(t.incomplete).toBeUndefined();
    const lines = t.errors.map((e) => `${e.file}:${e.line}:${e.column} ${e.exercise ?? ''} ${e.message}`);
    const inRelu = at(text, 'label: string');
    expect(lines).toContain(`activations.ts:${inRelu.line}:${inRelu.column}  Type 'number' is not assignable to type 'string'.`);
    const grad = at(text, 'export function reluGrad');
    expect(lines.find((l) => l.startsWith(`activations.ts:${grad.line}:${grad.column} reluGrad `))).toMatch(/Type '\(x: string\) => number' is not assignable to type '\(x: number\) => number'/);
    // the hidden checks and the reference exist, but not for the type checker
    expect(lines.filter((l) => /Cannot find module/.test(l))).toHaveLength(2);
    expect(lines.join('\n')).not.toMatch(/hidden\.ts'? has|reference\/activations\.ts'? has|no exported member/);
    // losses.ts imports activations.ts: the error there is reachable from both modules
    expect(t.reach.losses).toContain('activations.ts');
    expect(Object.keys(typeProblems(t, ['activations', 'losses'])).sort()).toEqual(['activations', 'losses']);
  });

  it('heads the report and costs no points; with --strict-types the modules with type errors (and those importing them) are not graded', async () => {
    const { dir, text } = brokenSubmission();
    const families = FAMILIES.filter((f) => f.id === 'A' || f.id === 'B');
    const only = ['relu', 'reluGrad', 'l1Loss'];
    const lenient = await gradeDirectory(dir, { families, courseSeed: 2026, only, label: 'broken' });
    expect(lenient.score).toBe(lenient.max);
    expect(lenient.typeCheck?.errors.length).toBe(4);
    const console = renderConsole(lenient, { color: false, command: 'dlgrade grade' }).split('\n');
    expect(console[0]).toBe("4 type errors against the exercises' signatures (the grader erases types, so they cost no points here; fix them all the same):");
    expect(console[1]).toBe(`  activations.ts:${at(text, 'label: string').line}:${at(text, 'label: string').column} Type 'number' is not assignable to type 'string'.`);

    const strict = await gradeDirectory(dir, { families, courseSeed: 2026, only, label: 'broken', strictTypes: true });
    expect(strict.score).toBe(0);
    const statuses = strict.families.flatMap((f) => f.exercises.map((e) => [e.name, e.status, e.message]));
    expect(statuses.map(([name, status]) => [name, status])).toEqual([['relu', 'not-gradable'], ['reluGrad', 'not-gradable'], ['l1Loss', 'not-gradable']]);
    expect(statuses[2][2]).toMatch(/^type errors \(--strict-types\): activations\.ts:\d+:\d+ /);
    expect(strict.typeCheck?.strict).toBe(true);
  });

  it('a type check that needs more CPU time or heap than it is given ends as "did not finish", never as an error of the grader; the next one starts afresh', async () => {
    const input = uncached();
    // the reference's activations.ts takes about a second of CPU time (the compiler's lib files)
    const slow = await checked(input, { cpuMs: 100 });
    expect(slow.incomplete).toMatch(/needed more than 0\.1 s of CPU time and was stopped/);
    const starved = await checked(input, { heapMb: 8 });
    expect(starved.incomplete).toMatch(/ran out of memory \(8 MB\)|stopped/);
    expect(typeProblems(starved, ['activations']).activations).toMatch(/^the type check did not finish \(--strict-types\)/);
    const checker = new TypeChecker({ cpuMs: 100 });
    try {
      expect((await checker.check(input)).incomplete).toBeDefined();
      expect((await checker.check(input)).incomplete).toBeDefined(); // a second process, stopped the same way
    } finally {
      checker.close();
    }
  });

  it('keeps a finished check by the hash of what it read: the same files again are answered without starting the compiler', async () => {
    const input = uncached();
    expect((await checked(input)).errors).toEqual([]);
    // a checker that could not even load the compiler answers from the cache
    expect(await checked(input, { heapMb: 8 })).toEqual({ errors: [], reach: { activations: ['activations.ts', 'tensor.ts'] } });
    const edited = { ...input, files: { ...input.files, 'activations.ts': `${input.files['activations.ts']}\nexport const extra: string = 1;\n` } };
    expect((await checked(edited, { heapMb: 8 })).incomplete).toBeDefined(); // one character more: not the same check
  });

  it("validates the checker's reply: a file or module it was not given is dropped, messages are one bounded line without escapes, a reply out of shape is refused", () => {
    const input = { files: { 'a.ts': '' }, modules: { activations: 'a.ts' } };
    const ok = validate({ diagnostics: [{ file: 'a.ts', line: 3, column: 2, message: `bad\x1b]52;c;ZXZpbA==\x07 ${'x'.repeat(1_000_000)}\nsecond` }, { file: '/etc/passwd', line: 1, module: 'nope', exercise: 'a b', message: 'm' }], reach: { activations: ['a.ts', '../x'] } }, input);
    expect(ok?.errors[0].file).toBe('a.ts');
    expect(ok?.errors[0].message).toMatch(/… \(\d+ more characters\)$/); // 300 characters and how many were left out
    expect(ok?.errors[0].message.length).toBeLessThan(340);
    expect(ok?.errors[0].message).not.toMatch(/[\x00-\x1f\x7f-\x9f]/); // eslint-disable-line no-control-regex
    expect(ok?.errors[1]).toEqual({ message: 'm' });
    expect(ok?.reach).toEqual({ activations: ['a.ts'] });
    expect(validate(null, input)).toBeUndefined();
    expect(validate({ diagnostics: 'x', reach: {} }, input)).toBeUndefined();
    expect(validate({ diagnostics: [{ message: 1 }], reach: {} }, input)).toBeUndefined();
    expect(validate({ diagnostics: Array.from({ length: 201 }, () => ({ message: 'm' })), reach: {} }, input)).toBeUndefined();
    expect(validate({ failed: 'boom' }, input)?.incomplete).toBe('the type checker failed: boom');
  });
});

describe('every report shows the type errors', () => {
  const report: GradeReport = {
    submission: 's', courseSeed: 1, durationMs: 0, score: 1, max: 1,
    families: [{ id: 'A', module: 'activations', title: 'Activations', score: 1, max: 1, exercises: [{ name: 'relu', catalogue: 'A3', arity: 1, summary: '', status: 'graded', score: 1, max: 1, checks: [{ id: 'A.relu.x', exercise: 'relu', catalogue: 'A3', title: 't', kind: 'property', visibility: 'public', points: 1, score: 1, status: 'passed', hint: 'h' }] }] }],
    typeCheck: { errors: Array.from({ length: 12 }, (_, i) => ({ file: 'activations.ts', line: i + 1, column: 3, message: `error ${i + 1}` })) },
  };
  const first = 'activations.ts:1:3 error 1';

  it('console, Gradescope, PrairieLearn and JUnit: the heading and the first ten, the rest counted; the gradebook: a type_errors column', () => {
    const console = renderConsole(report, { color: false, command: 'c' });
    expect(console.split('\n').slice(0, 2)).toEqual(["12 type errors against the exercises' signatures (the grader erases types, so they cost no points here; fix them all the same):", `  ${first}`]);
    expect(console).toMatch(/ {2}activations\.ts:10:3 error 10\n {2}… and 2 more\n/);
    expect(toGradescope(report).output).toContain(`\n  ${first}\n`);
    expect(toPrairieLearn(report).output).toContain(`\n  ${first}\n`);
    const junit = toJUnit(report);
    expect(junit).toMatch(/<testsuites name="dlgrade s" tests="2" failures="1"/);
    expect(junit).toMatch(/<testsuite name="type check" tests="1" failures="1">\n {4}<testcase classname="typecheck" [^>]*>\n {6}<failure message="12 type errors/);
    const csv = gradebookCsv([{ student: 'ada', report }]).split('\n');
    expect(csv[0]).toMatch(/^student,score,max,percent,status,type_errors,notes,/);
    expect(csv[1]).toMatch(/^ada,1,1,100\.0,graded,12,,/);
  });

  it('nothing when the type check found nothing; "unknown" in the gradebook when it did not finish', () => {
    const clean = { ...report, typeCheck: { errors: [] } };
    expect(renderConsole(clean, { color: false, command: 'c' }).split('\n')[0]).toBe('');
    expect(toJUnit(clean)).toMatch(/<testsuite name="type check" tests="1" failures="0">/);
    const unfinished = { ...report, typeCheck: { errors: [], incomplete: 'the type check needed more than 60 s of CPU time and was stopped' } };
    expect(renderConsole(unfinished, { color: false, command: 'c' }).split('\n')[0]).toBe('The type check did not finish: the type check needed more than 60 s of CPU time and was stopped');
    expect(gradebookCsv([{ student: 'ada', report: unfinished }]).split('\n')[1]).toMatch(/^ada,1,1,100\.0,graded,unknown,/);
  });
});
