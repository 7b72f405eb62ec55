/**
 * The reports on hand-built GradeReports: no text from a submission reaches a terminal, a
 * results.json, junit.xml or a CSV raw (escape sequences, control and bidi characters, a 1 MB
 * message), ordinary text is unchanged; a platform that shows hidden checks only once grades
 * are published does not reveal their points through the visible total; every format says which
 * walls were active.
 */
import { describe, expect, it } from 'vitest';
import type { CheckReport, ExerciseReport, GradeReport } from '../graders/engine/grade.ts';
import type { FamilyGrader, Isolation } from '../graders/engine/types.ts';
import type { StudentResult } from '../graders/batch.ts';
import { renderConsole, wrap } from '../graders/report/console.ts';
import { checkStats, checkStatsCsv, gradebookCsv, problemNotes } from '../graders/report/gradebook.ts';
import { toGradescope } from '../graders/report/gradescope.ts';
import { isolationLine } from '../graders/report/isolation.ts';
import { toJUnit } from '../graders/report/junit.ts';
import { toPrairieLearn } from '../graders/report/prairielearn.ts';

/** CSI colour, OSC 52 clipboard writes ended by BEL and by ESC \, an 8-bit CSI, a bidi override, NUL */
const ATTACKS = ['\x1b[31mred\x1b[0m', '\x1b]52;c;ZXZpbA==\x07', '\x1b]52;c;ZXZpbA==\x1b\\', '\x9b2J', 'abc\u202edcba', 'nul\0'];
const hostile = (what: string) => `${what}: ${ATTACKS.join(' ')} end`;
const MEGABYTE = 'x'.repeat(1_000_000);

// raw C0 controls but tab and newline, DEL, C1 controls, bidi marks, embeddings, overrides, isolates
// eslint-disable-next-line no-control-regex
const FORBIDDEN = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
/** Much shorter than the 1 MB strings the report carries: each line of output is bounded. */
const LINE_LIMIT = 5000;

function check(id: string, over: Partial<CheckReport> = {}): CheckReport {
  return { id, exercise: 'x', catalogue: 'X1', title: `title of ${id}`, kind: 'property', visibility: 'public', points: 1, score: 1, status: 'passed', hint: 'h', ...over };
}

const failed = (id: string, over: Partial<CheckReport>) => check(id, { score: 0, status: 'failed', reason: 'property', ...over });

function exercise(name: string, checks: CheckReport[], over: Partial<ExerciseReport> = {}): ExerciseReport {
  const score = checks.reduce((s, c) => s + c.score, 0);
  const max = checks.reduce((s, c) => s + c.points, 0);
  return { name, catalogue: 'X1', arity: 1, summary: 's', status: 'graded', score, max, checks: checks.map((c) => ({ ...c, exercise: name })), ...over };
}

function report(exercises: ExerciseReport[], over: Partial<GradeReport> = {}): GradeReport {
  const score = exercises.reduce((s, e) => s + e.score, 0);
  const max = exercises.reduce((s, e) => s + e.max, 0);
  return { submission: 'subs/ada', courseSeed: 1, durationMs: 0, score, max, families: [{ id: 'X', module: 'x', title: 'Family x', score, max, exercises }], ...over };
}

/** What an ordinary failure renders as: these texts must come out unchanged. */
const ordinary = failed('X.x.ordinary', { reason: 'mismatch', message: 'at [1]: expected 2.5, received 2', expected: { dx: [1, 2.5] }, received: { dx: [1, 2] }, counterexample: [1, 2], seed: 7 });

function hostileReport(): GradeReport {
  const keys = { '\x1b[2J': 'a\u202eb', [`${MEGABYTE}k`]: MEGABYTE, '\x9b': ATTACKS };
  const graded = exercise('x', [
    check('X.x.passes'),
    ordinary,
    failed('X.x.hostile', { reason: 'mismatch', message: `${hostile('message')}\n${hostile('second line')}\n${MEGABYTE}`, expected: keys, received: { ...keys, [ATTACKS[0]]: ATTACKS[1] }, counterexample: keys, seed: 1 }),
    failed('X.x.small-input', { message: hostile('thrown'), reason: 'threw', counterexample: { [ATTACKS[4]]: ATTACKS[3] }, seed: 1 }),
    failed('X.x.huge', { reason: 'threw', message: MEGABYTE }),
    failed('X.x.hidden', { visibility: 'hidden', kind: 'differential', message: hostile('hidden message'), counterexample: keys, seed: 2 }),
  ]);
  const broken = hostile('does not compile:\n  line 1\n') + MEGABYTE;
  const ungradable = exercise('y', [failed('X.y.a', { reason: 'not-gradable', message: broken })], { status: 'not-gradable', message: broken });
  return report([graded, ungradable], { submission: hostile('label'), studentId: hostile('id') });
}

const lines = (s: string) => s.split('\n');
const longestLine = (texts: string[]) => Math.max(...texts.flatMap(lines).map((l) => l.length));

/** Every string inside a parsed JSON value. */
function strings(x: unknown): string[] {
  if (typeof x === 'string') return [x];
  if (Array.isArray(x)) return x.flatMap(strings);
  if (x !== null && typeof x === 'object') return Object.entries(x).flatMap(([k, v]) => [k, ...strings(v)]);
  return [];
}

function expectClean(texts: string[], what: string) {
  for (const t of texts) expect(t, what).not.toMatch(FORBIDDEN);
  expect(longestLine(texts), what).toBeLessThanOrEqual(LINE_LIMIT);
}

/** Parsed from the text written to results.json, as a platform reads it. */
const asWritten = (x: unknown) => strings(JSON.parse(JSON.stringify(x, null, 2)));

const fakeFamily = (r: GradeReport): FamilyGrader => ({
  id: 'X',
  module: 'x',
  title: 'Family x',
  exercises: r.families[0].exercises.map(({ name, catalogue, arity, summary }) => ({ name, catalogue, arity, summary })),
  checks: r.families[0].exercises.flatMap((e) => e.checks.map((c) => ({ ...c, run: async () => ({ status: 'passed' as const }) }))),
});

describe('no student text reaches an output raw', () => {
  const r = hostileReport();
  const command = 'npx dlgrade grade --submission subs/ada';

  it('console, colour off: no escape, control or bidi character; every line bounded', () => {
    const out = renderConsole(r, { color: false, command, verbose: true });
    expectClean([out], 'console');
    // a message loses its escape sequences (OSC 52 with its payload) and keeps its text
    expect(lines(out)).toContain('        message: red    abcdcba nul end');
    // a value's strings and keys are shown quoted and escaped
    expect(out).toContain('smallest failing input: { "abc\\u202edcba": "\\u009b2J" }');
  });

  it('console, colour on: the only escape sequences are its own SGR colours', () => {
    const out = renderConsole(r, { color: true, command });
    expect(out).toMatch(/\x1b\[31m/);
    expectClean([out.replace(/\x1b\[\d+m/g, '')], 'console with colour');
  });

  it('the replay command quotes a student id that is not a plain word for the shell', () => {
    const hidden = report([exercise('x', [failed('X.x.h', { visibility: 'hidden', seed: 3 })])], { studentId: "o'neil $(touch x)" });
    expect(renderConsole(hidden, { color: false, command })).toMatch(/--student 'o'\\''neil \$\(touch x\)'/);
  });

  it('Gradescope and PrairieLearn results.json: the strings themselves are clean', () => {
    expectClean(asWritten(toGradescope(r)), 'gradescope');
    expectClean(asWritten(toPrairieLearn(r)), 'prairielearn');
    const ungradable = report([r.families[0].exercises[1]]);
    const pl = toPrairieLearn(ungradable);
    expect(pl.gradable).toBe(false);
    expectClean(asWritten(pl), 'prairielearn, not gradable');
  });

  it('junit.xml', () => {
    expectClean([toJUnit(r)], 'junit');
  });

  it('gradebook.csv and check-stats.csv', () => {
    const results: StudentResult[] = [
      { student: hostile('folder'), report: r },
      { student: `${ATTACKS[4]}${MEGABYTE}`, error: hostile('grader error') + MEGABYTE },
    ];
    expectClean([gradebookCsv(results)], 'gradebook');
    // check-stats.csv carries no submission text (check ids and diagnoses are the grader's): a guard
    expectClean([checkStatsCsv(checkStats(results, [fakeFamily(r)]))], 'check stats');
  });
});

describe('ordinary text is unchanged', () => {
  const r = report([exercise('x', [check('X.x.passes'), ordinary])]);

  it('in the console', () => {
    const out = renderConsole(r, { color: false, command: 'npx dlgrade grade' });
    expect(out).toContain(['      ✗ X.x.ordinary  [public property, 1 pt]  title of X.x.ordinary', '        at [1]: expected 2.5, received 2', '        expected { dx: [1, 2.5] }', '        received { dx: [1, 2] }', '        smallest failing input: [1, 2]', '        hint: h'].join('\n'));
  });

  it('in the platform feedback and the gradebook', () => {
    const feedback = 'at [1]: expected 2.5, received 2\nInput: [1, 2]\nHint: h\nReplay: npx dlgrade grade --only X.x.ordinary --seed 1';
    expect(toGradescope(r).tests[1].output).toBe(feedback);
    expect(toPrairieLearn(r).tests[1].output).toBe(feedback);
    expect(toJUnit(r)).toContain('<failure message="at [1]: expected 2.5, received 2">');
    const notGradable = report([exercise('y', [failed('X.y.a', { reason: 'not-gradable', message: 'does not compile: y.ts:1:11' })], { status: 'not-gradable', message: 'does not compile: y.ts:1:11' })]);
    expect(gradebookCsv([{ student: 'ada', report: notGradable }]).split('\n')[1]).toBe('ada,0,1,0.0,graded,,not gradable — does not compile: y.ts:1:11: x.y,0'); // type_errors empty: not type-checked
  });
});

describe('fits a terminal', () => {
  it('wraps prose at the width, continuation indented, a word longer than the width whole', () => {
    expect(wrap('  one two three four', 12)).toEqual(['  one two', '    three', '    four']);
    expect(wrap('short', 12)).toEqual(['short']);
    expect(wrap('a [1,2,3,4,5,6,7,8,9,10,11,12] b', 12)).toEqual(['a', '  [1,2,3,4,5,6,7,8,9,10,11,12]', '  b']);
    expect(wrap('x'.repeat(30), undefined)).toEqual(['x'.repeat(30)]);
  });

  it('every line of a report fits 80 columns but the replay commands (pasted whole); columns sized from the names', () => {
    const long = 'a'.repeat(60);
    const r = report([exercise('inverseDocumentFrequencyWithSmoothing', [failed('X.inverseDocumentFrequencyWithSmoothing.a', { title: long.split('').join(' '), hint: 'h '.repeat(70), message: 'm '.repeat(70), seed: 3 })], { score: 0 }), exercise('x', [check('X.x.b')])]);
    const out = renderConsole(r, { color: true, command: 'npx dlgrade grade', width: 80 }).replace(/\x1b\[\d+m/g, '');
    const lines = out.split('\n');
    expect(lines.filter((l) => l.length > 80 && !l.trimStart().startsWith('replay:'))).toEqual([]);
    const scoreEnds = lines.filter((l) => /^\s+[✓✗·!] \S/.test(l) && /\d+\/\d+$/.test(l)).map((l) => l.length);
    expect(new Set(scoreEnds).size, lines.join('\n')).toBe(1); // the exercises' scores in one column
    expect(lines.find((l) => l.startsWith('X  '))?.length).toBe(scoreEnds[0]); // and the family's
  });
});

describe('the gradebook notes', () => {
  it('one note per distinct problem, a module whose every exercise has it named once', () => {
    const missing = (name: string) => exercise(name, [failed(`X.${name}.a`, { reason: 'not-implemented' })], { status: 'not-implemented', score: 0 });
    const broken = (name: string) => exercise(name, [failed(`Z.${name}.a`, { reason: 'not-gradable' })], { status: 'not-gradable', message: 'does not compile: z.ts:1:1', score: 0 });
    const r: GradeReport = {
      ...report([]),
      families: [
        { id: 'X', module: 'x', title: 'x', score: 0, max: 3, exercises: [missing('a'), missing('b'), missing('c')] },
        { id: 'Y', module: 'y', title: 'y', score: 1, max: 3, exercises: [missing('d'), exercise('e', [check('Y.e.a')])] },
        { id: 'Z', module: 'z', title: 'z', score: 0, max: 2, exercises: [broken('f'), broken('g')] },
      ],
    };
    expect(problemNotes(r)).toBe('not implemented: x, y.d; not gradable — does not compile: z.ts:1:1: z');
  });
});

describe('counts read as English', () => {
  it('one hidden check, two hidden checks', () => {
    const one = renderConsole(report([exercise('x', [check('X.x.a'), check('X.x.h', { visibility: 'hidden' })])]), { color: false, command: 'npx dlgrade grade' });
    expect(one).toMatch(/^Includes 1 hidden check \(1 passed\)/m);
    const two = renderConsole(report([exercise('x', [check('X.x.h1', { visibility: 'hidden' }), check('X.x.h2', { visibility: 'hidden' })])]), { color: false, command: 'npx dlgrade grade' });
    expect(two).toMatch(/^Includes 2 hidden checks \(2 passed\)/m);
  });
});

describe('the visible total does not reveal hidden points', () => {
  // public: 3 of 4 points; hidden: 1 of 3 points
  const r = report([
    exercise('x', [check('X.x.a', { points: 2, score: 2 }), check('X.x.b'), failed('X.x.c', {})]),
    exercise('z', [check('X.z.h1', { visibility: 'hidden' }), failed('X.z.h2', { visibility: 'hidden' }), failed('X.z.h3', { visibility: 'hidden' })]),
  ]);

  it('Gradescope: the top-level output gives the public points and how many hidden ones are to come; the score is the grade', () => {
    const gs = toGradescope(r);
    expect(gs.output).toBe('Public checks: 3/4 points. 3 hidden checks (3 points): scored when grades are published.');
    expect(gs.output).not.toMatch(/4\/7|1\/3/);
    expect(gs.score).toBe(r.score);
    expect(r.score).toBe(4);
  });

  it('PrairieLearn: the score counts everything and the message says so', () => {
    const pl = toPrairieLearn(r);
    expect(pl.score).toBeCloseTo(4 / 7);
    expect(pl.message).toBe('Public checks: 3/4 points. The score also counts 3 hidden checks (3 points), each listed without its input.');
    expect(pl.output.split('\n')[0]).toBe(pl.message);
  });

  it('JUnit: per-family points, and public and hidden apart', () => {
    expect(toJUnit(r)).toContain('<properties><property name="score" value="4"/><property name="max" value="7"/><property name="public_score" value="3"/><property name="public_max" value="4"/><property name="hidden_score" value="1"/><property name="hidden_max" value="3"/></properties>');
  });

  it('the console (the instructor, or a student grading their own work) keeps the full total', () => {
    expect(renderConsole(r, { color: false, command: 'npx dlgrade grade' })).toMatch(/^Total 4\/7 \(57%\)/m);
  });

  it('counts in the singular, and without hidden checks says only the public points', () => {
    expect(toGradescope(report([exercise('x', [check('X.x.a'), check('X.x.h', { visibility: 'hidden', points: 1 })])])).output).toBe('Public checks: 1/1 points. 1 hidden check (1 point): scored when grades are published.');
    expect(toGradescope(report([exercise('x', [check('X.x.a')])])).output).toBe('Public checks: 1/1 points.');
  });
});

describe('every report says which walls were active', () => {
  const isolation: Isolation = {
    walls: [
      { name: 'process', active: true, detail: 'separate process' },
      { name: 'permissions', active: true, detail: 'Node permission model (reads only the submission)' },
      { name: 'user', active: false, detail: 'not started as root' },
      { name: 'namespaces', active: false, detail: 'unshare: operation not permitted\n(in a container)' },
    ],
  };
  const line = 'Isolation: separate process; Node permission model (reads only the submission); not active: user (not started as root), namespaces (unshare: operation not permitted | (in a container))';

  it('isolationLine: active walls by what they do, inactive ones by name with why, on one line', () => {
    expect(isolationLine(isolation)).toBe(line);
    expect(isolationLine({ walls: [{ name: 'process', active: false, detail: 'in-process' }] })).toBe('Isolation: no wall active; not active: process (in-process)');
  });

  it('appears in the console after the total, in the platforms\' top-level output and on each JUnit testsuite', () => {
    const r = report([exercise('x', [check('X.x.a'), failed('X.x.b', {})])], { isolation });
    const out = lines(renderConsole(r, { color: false, command: 'npx dlgrade grade' }));
    expect(out[out.findIndex((l) => l.startsWith('Total')) + 1]).toBe(line);
    expect(lines(toGradescope(r).output)).toContain(line);
    expect(lines(toPrairieLearn(r).output)).toContain(line);
    const notGradable = report([exercise('y', [failed('X.y.a', { reason: 'not-gradable', message: 'm' })], { status: 'not-gradable', message: 'm' })], { isolation });
    expect(lines(toPrairieLearn(notGradable).output)).toContain(line);
    const xml = toJUnit(r);
    expect(xml).toContain(`<property name="isolation" value="${line}"/>`);
    expect(xml.match(/<property name="isolation"/g)).toHaveLength(xml.match(/<testsuite /g)!.length);
  });

  it('is left out when the report does not say', () => {
    const r = report([exercise('x', [check('X.x.a')])]);
    for (const text of [renderConsole(r, { color: false, command: 'c' }), toGradescope(r).output, toPrairieLearn(r).output, toJUnit(r)]) expect(text).not.toMatch(/Isolation|isolation/);
  });
});
