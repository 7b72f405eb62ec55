/**
 * The text a platform shows a student for one check (Gradescope, PrairieLearn, JUnit). A public
 * check's failure carries the message, the diagnosis, the failing input, the hint and the replay
 * command; a hidden check's says what failed and the hint, never the input, so that
 * counterexamples of hidden checks do not circulate.
 */
import { short } from '../engine/compare.ts';
import type { CheckReport, ExerciseReport, GradeReport } from '../engine/grade.ts';

export function checkFeedback(c: CheckReport): string {
  if (c.status === 'passed') return 'passed';
  const looks = c.diagnosis ? [`This looks like: ${c.diagnosis}.`] : [];
  if (c.visibility === 'hidden') {
    return [`${c.message?.split(':')[0] ?? 'failed'} (hidden check: the failing input is not shown).`, ...looks, `Hint: ${c.hint}`].join('\n');
  }
  const lines = [c.message ?? 'failed', ...looks];
  if (c.counterexample !== undefined) lines.push(`Input: ${short(c.counterexample, 8)}`);
  lines.push(`Hint: ${c.hint}`);
  if (c.seed !== undefined) lines.push(`Replay: npx dlgrade grade --only ${c.id} --seed <course seed>${c.path ? ` --replay ${c.path}` : ''}`);
  return lines.join('\n');
}

/** The feedback of a check of an exercise that could be graded, or why it could not. */
export function exerciseCheckFeedback(e: ExerciseReport, c: CheckReport): string {
  return e.status === 'graded' ? checkFeedback(c) : (c.message ?? e.message ?? 'not graded');
}

/** One line per exercise that was not graded: "convolution.conv2d: not implemented". */
export function ungradedNotes(report: GradeReport): string[] {
  return report.families.flatMap((f) =>
    f.exercises.filter((e) => e.status !== 'graded').map((e) => `${f.module}.${e.name}: ${e.status === 'not-implemented' ? 'not implemented' : `not gradable — ${e.message}`}`),
  );
}
