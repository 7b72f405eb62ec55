/**
 * The text a platform shows a student for one check (Gradescope, PrairieLearn, JUnit). A public
 * check's failure carries the message, the diagnosis, the failing input, the hint and the replay
 * command; a hidden check's says what failed and the hint, never the input, so that
 * counterexamples of hidden checks do not circulate. Text that can come from the submission
 * (messages, why an exercise could not be graded) is bounded and escape-free (engine/text.ts).
 * Also the points of public and hidden checks apart, for the totals a platform may show.
 */
import { exact } from '../engine/compare.ts';
import type { CheckReport, ExerciseReport, FamilyReport, GradeReport } from '../engine/grade.ts';
import { studentLine, studentText } from '../engine/text.ts';
import type { Visibility } from '../engine/types.ts';
import { typeErrorLine } from '../sandbox/typecheck.ts';

/**
 * What a hidden check may say about its failure: the kind of failure only. Its message is never
 * shown: a differential message starts with the call (the hidden input) and the reference's
 * value, and a student's own error text could carry the arguments it was given.
 */
const HIDDEN_OUTCOME: Record<string, string> = {
  mismatch: 'your result differs from the reference',
  property: 'your result differs from the reference',
  threw: 'your function threw an Error',
  timeout: 'your function did not return in time',
  crashed: 'your function crashed the process',
  'out-of-memory': 'your function ran out of memory',
  exited: 'your function tried to exit the process',
  'invalid-output': 'your function returned something the check cannot use (not plain data, or not the documented shape)',
  protocol: 'your code interfered with the grading channel',
  'too-slow': 'your function used more CPU time than the check allows',
};

/** `courseSeed`: the seed the report was graded with, printed in the replay command (a public check's seed derives from it and the check's id). */
export function checkFeedback(c: CheckReport, courseSeed: number): string {
  if (c.status === 'passed') return 'passed';
  const looks = c.diagnosis ? [`This looks like: ${c.diagnosis}.`] : [];
  if (c.visibility === 'hidden') {
    const what = HIDDEN_OUTCOME[c.reason ?? ''] ?? 'failed';
    const where = c.faultIn && c.faultIn !== c.exercise ? ` (in ${c.faultIn}, which this check uses)` : '';
    return [`Hidden check failed: ${what}${where} on an input that is not shown.`, ...looks, `Hint: ${c.hint}`].join('\n');
  }
  const lines = [c.message === undefined ? 'failed' : studentText(c.message), ...looks];
  if (c.call !== undefined) lines.push(`Call: ${studentLine(c.call, 2000)}`);
  else if (c.counterexample !== undefined) lines.push(`Input: ${exact(c.counterexample)}`);
  lines.push(`Hint: ${c.hint}`);
  if (c.seed !== undefined) lines.push(`Replay: npx dlgrade grade --only ${c.id} --seed ${courseSeed}${c.path ? ` --replay ${c.path}` : ''}`);
  return lines.join('\n');
}

/** The feedback of a check of an exercise that could be graded, or why it could not. */
export function exerciseCheckFeedback(e: ExerciseReport, c: CheckReport, courseSeed: number): string {
  return e.status === 'graded' ? checkFeedback(c, courseSeed) : studentText(c.message ?? e.message ?? 'not graded');
}

/** Why an exercise was not graded, in one line: "not implemented", "not gradable — does not compile: …". */
export const problemOf = (e: ExerciseReport): string => (e.status === 'not-implemented' ? 'not implemented' : `not gradable — ${studentLine(e.message)}`);

/** One line per exercise that was not graded: "convolution.conv2d: not implemented". */
export function ungradedNotes(report: GradeReport): string[] {
  return report.families.flatMap((f) => f.exercises.filter((e) => e.status !== 'graded').map((e) => `${f.module}.${e.name}: ${problemOf(e)}`));
}

/** Type errors listed in a report at most (the rest are counted): the first few are the ones to fix first. */
export const TYPE_ERRORS_SHOWN = 10;

/**
 * What the type check found, for the top of every report: a heading and a line per type error
 * ("activations.ts:12:9 Type 'number' is not assignable to type 'string'."), or why it did not
 * finish; nothing when it found nothing (or did not run).
 */
export function typeCheckNotes(report: GradeReport): string[] {
  const t = report.typeCheck;
  if (!t) return [];
  if (t.incomplete) return [`The type check did not finish: ${studentLine(t.incomplete)}${t.strict ? ' (--strict-types: the modules it was checking were not graded)' : ''}`];
  if (t.errors.length === 0) return [];
  const consequence = t.strict ? 'with --strict-types, modules with type errors are not graded' : 'the grader erases types, so they cost no points here; fix them all the same';
  const shown = t.errors.slice(0, TYPE_ERRORS_SHOWN).map((e) => `  ${studentLine(typeErrorLine(e))}`);
  const more = t.errors.length > TYPE_ERRORS_SHOWN ? [`  … and ${t.errors.length - TYPE_ERRORS_SHOWN} more`] : [];
  return [`${count(t.errors.length, 'type error')} against the exercises' signatures (${consequence}):`, ...shown, ...more];
}

/** Points shown to people: whole numbers as they are, others to one decimal. */
export function points(x: number): string {
  return Number.isInteger(x) ? String(x) : x.toFixed(1);
}

/** "1 hidden check", "3 hidden checks". */
export function count(n: number, noun: string): string {
  return `${points(n)} ${noun}${n === 1 ? '' : 's'}`;
}

export interface Subtotal {
  checks: number;
  score: number;
  max: number;
}

/**
 * The checks, score and maximum of public and hidden checks apart (of a report's families or
 * one of them): a platform that shows hidden results only once grades are published must not
 * reveal them through a total.
 */
export function byVisibility(families: FamilyReport[]): Record<Visibility, Subtotal> {
  const totals: Record<Visibility, Subtotal> = { public: { checks: 0, score: 0, max: 0 }, hidden: { checks: 0, score: 0, max: 0 } };
  for (const c of families.flatMap((f) => f.exercises.flatMap((e) => e.checks))) {
    const t = totals[c.visibility];
    t.checks++;
    t.score += c.score;
    t.max += c.points;
  }
  return totals;
}

/** "Public checks: 412/420 points." */
export function publicTotal(report: GradeReport): string {
  const { score, max } = byVisibility(report.families).public;
  return `Public checks: ${points(score)}/${points(max)} points.`;
}
