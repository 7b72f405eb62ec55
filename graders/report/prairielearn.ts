/**
 * PrairieLearn's external-grader results (/grade/results/results.json): `score` is a fraction
 * in [0, 1]; `tests` lists each check with points, max_points, a one-line message and the
 * feedback as output. PrairieLearn shows every test at once, so hidden checks keep their failing
 * inputs to themselves here too (feedback.ts). A submission none of whose files could be loaded
 * (missing or not compiling) is `gradable: false` with the reasons as format_errors: PrairieLearn
 * then does not count the attempt against the student.
 */
import type { GradeReport } from '../engine/grade.ts';
import { exerciseCheckFeedback, ungradedNotes } from './feedback.ts';

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

export function toPrairieLearn(report: GradeReport): PrairieLearnResults {
  const exercises = report.families.flatMap((f) => f.exercises);
  const notes = ungradedNotes(report);
  if (exercises.length > 0 && exercises.every((e) => e.status === 'not-gradable')) {
    return {
      gradable: false,
      message: 'None of the submitted files could be loaded.',
      output: notes.join('\n'),
      format_errors: [...new Set(exercises.map((e) => e.message ?? 'not gradable'))],
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
        message: c.status === 'passed' ? 'passed' : (exerciseCheckFeedback(e, c).split('\n')[0] ?? 'failed'),
        output: exerciseCheckFeedback(e, c),
      })),
    ),
  );
  return {
    gradable: true,
    score: report.max > 0 ? report.score / report.max : 0,
    message: `${report.score}/${report.max} points.`,
    output: [`${report.score}/${report.max} points.`, ...notes].join('\n'),
    tests,
  };
}
