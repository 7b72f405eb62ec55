/**
 * Gradescope's autograder results format (results.json): one test per check.
 *
 * Public checks are visible with their full feedback. Hidden checks become visible only after
 * the instructor publishes grades ("after_published"), and their output says what failed
 * without the input that shows it, so that counterexamples do not circulate. The top-level
 * output, which students see at once, gives the public checks' total only (the hidden points
 * would show through it); the top-level score is the whole grade, which Gradescope shows
 * students only as the tests' visibility allows.
 */
import type { GradeReport } from '../engine/grade.ts';
import { byVisibility, count, exerciseCheckFeedback, publicTotal, typeCheckNotes, ungradedNotes } from './feedback.ts';
import { isolationLine } from './isolation.ts';

export interface GradescopeTest {
  name: string;
  number: string;
  score: number;
  max_score: number;
  status: 'passed' | 'failed';
  output: string;
  visibility: 'visible' | 'after_published';
  tags: string[];
}

export interface GradescopeResults {
  score: number;
  execution_time: number;
  output: string;
  visibility: 'visible';
  stdout_visibility: 'hidden';
  tests: GradescopeTest[];
}

/** "Public checks: 412/420 points. 165 hidden checks (165 points): scored when grades are published." */
function totals(report: GradeReport): string {
  const hidden = byVisibility(report.families).hidden;
  const later = hidden.checks > 0 ? ` ${count(hidden.checks, 'hidden check')} (${count(hidden.max, 'point')}): scored when grades are published.` : '';
  return `${publicTotal(report)}${later}`;
}

export function toGradescope(report: GradeReport): GradescopeResults {
  const tests: GradescopeTest[] = [];
  for (const f of report.families) {
    for (const e of f.exercises) {
      for (const c of e.checks) {
        tests.push({
          name: `${c.catalogue} ${e.name}: ${c.title}`,
          number: c.id,
          score: c.score,
          max_score: c.points,
          status: c.status === 'passed' ? 'passed' : 'failed',
          output: exerciseCheckFeedback(e, c, report.courseSeed),
          visibility: c.visibility === 'hidden' ? 'after_published' : 'visible',
          tags: [f.module, c.catalogue, c.kind],
        });
      }
    }
  }
  return {
    score: report.score,
    execution_time: Math.round(report.durationMs / 1000),
    output: [totals(report), ...typeCheckNotes(report), ...(report.isolation ? [isolationLine(report.isolation)] : []), ...ungradedNotes(report)].join('\n'),
    visibility: 'visible',
    stdout_visibility: 'hidden',
    tests,
  };
}
