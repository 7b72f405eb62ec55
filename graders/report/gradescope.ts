/**
 * Gradescope's autograder results format (results.json): one test per check.
 *
 * Public checks are visible with their full feedback. Hidden checks become visible only after
 * the instructor publishes grades ("after_published"), and their output says what failed
 * without the input that shows it, so that counterexamples do not circulate.
 */
import { short } from '../engine/compare.ts';
import type { CheckReport, GradeReport } from '../engine/grade.ts';

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

function output(c: CheckReport): string {
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

export function toGradescope(report: GradeReport): GradescopeResults {
  const tests: GradescopeTest[] = [];
  const notes: string[] = [];
  for (const f of report.families) {
    for (const e of f.exercises) {
      if (e.status !== 'graded') notes.push(`${f.module}.${e.name}: ${e.status === 'not-implemented' ? 'not implemented' : `not gradable — ${e.message}`}`);
      for (const c of e.checks) {
        tests.push({
          name: `${c.catalogue} ${e.name}: ${c.title}`,
          number: c.id,
          score: c.score,
          max_score: c.points,
          status: c.status === 'passed' ? 'passed' : 'failed',
          output: e.status === 'graded' ? output(c) : (c.message ?? e.message ?? 'not graded'),
          visibility: c.visibility === 'hidden' ? 'after_published' : 'visible',
          tags: [f.module, c.catalogue, c.kind],
        });
      }
    }
  }
  return {
    score: report.score,
    execution_time: Math.round(report.durationMs / 1000),
    output: [`${report.score}/${report.max} points.`, ...notes].join('\n'),
    visibility: 'visible',
    stdout_visibility: 'hidden',
    tests,
  };
}
