/**
 * PrairieLearn's external-grader results (/grade/results/results.json): `score` is a fraction
 * in [0, 1]; `tests` lists each check with points, max_points, a one-line message and the
 * feedback as output. PrairieLearn shows every test at once, so hidden checks keep their failing
 * inputs to themselves here too (feedback.ts). A submission none of whose files could be loaded
 * (missing or not compiling) is `gradable: false` with the reasons as format_errors: PrairieLearn
 * then does not count the attempt against the student. PrairieLearn rejects results over 1 MB:
 * each test's output is cut at OUTPUT_LIMIT characters, and cut again to SHORT_OUTPUT when the
 * whole file would still pass SIZE_BUDGET (a submission failing every check). There is no
 * delayed visibility: the score is the grade, hidden checks included, and the message gives the
 * public checks' points and says so.
 */
import type { GradeReport } from '../engine/grade.ts';
import { studentLine } from '../engine/text.ts';
import { byVisibility, count, exerciseCheckFeedback, publicTotal, typeCheckNotes, ungradedNotes } from './feedback.ts';
import { isolationLine } from './isolation.ts';

export interface PrairieLearnTest {
  name: string;
  description: string;
  points: number;
  max_points: number;
  message: string;
  output: string;
}

export interface PrairieLearnResults {
  gradable: boolean;
  score?: number;
  message: string;
  output: string;
  format_errors?: string[];
  tests: PrairieLearnTest[];
}

export const OUTPUT_LIMIT = 1000;
export const SHORT_OUTPUT = 200;
export const SIZE_BUDGET = 900_000;

const cut = (s: string, n: number) => (s.length <= n ? s : `${s.slice(0, n - 1)}…`);

/** "Public checks: 412/420 points. The score also counts 165 hidden checks (165 points), each listed without its input." */
function totals(report: GradeReport): string {
  const hidden = byVisibility(report.families).hidden;
  const also = hidden.checks > 0 ? ` The score also counts ${count(hidden.checks, 'hidden check')} (${count(hidden.max, 'point')}), each listed without its input.` : '';
  return `${publicTotal(report)}${also}`;
}

export function toPrairieLearn(report: GradeReport): PrairieLearnResults {
  const exercises = report.families.flatMap((f) => f.exercises);
  const notes = [...typeCheckNotes(report), ...(report.isolation ? [isolationLine(report.isolation)] : []), ...ungradedNotes(report)];
  if (exercises.length > 0 && exercises.every((e) => e.status === 'not-gradable')) {
    return {
      gradable: false,
      message: 'None of the submitted files could be loaded.',
      output: notes.join('\n'),
      format_errors: [...new Set(exercises.map((e) => studentLine(e.message ?? 'not gradable')))],
      tests: [],
    };
  }
  const tests = report.families.flatMap((f) =>
    f.exercises.flatMap((e) =>
      e.checks.map((c) => ({
        name: `${c.id} [${c.visibility} ${c.kind}]`,
        description: `${c.catalogue} ${e.name}: ${c.title}`,
        points: c.score,
        max_points: c.points,
        message: c.status === 'passed' ? 'passed' : cut(exerciseCheckFeedback(e, c, report.courseSeed).split('\n')[0], 200),
        output: cut(exerciseCheckFeedback(e, c, report.courseSeed), OUTPUT_LIMIT),
      })),
    ),
  );
  const results = {
    gradable: true,
    score: report.max > 0 ? report.score / report.max : 0,
    message: totals(report),
    output: cut([totals(report), ...notes].join('\n'), 20 * OUTPUT_LIMIT),
    tests,
  };
  if (JSON.stringify(results, null, 2).length > SIZE_BUDGET) for (const t of tests) t.output = cut(t.output, SHORT_OUTPUT);
  return results;
}
