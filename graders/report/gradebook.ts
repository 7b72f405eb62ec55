/**
 * What an instructor reads after grading a folder of submissions:
 *   gradebook.csv    one row per student: total, percent, the number of type errors, points per exercise,
 *                    what was not graded;
 *   check-stats.csv  one row per check: how many of the submissions that implemented the exercise
 *                    passed it, and the mistake most often diagnosed on it ("which property did 40%
 *                    of the class fail, and why?").
 * Columns are stable (every family and exercise graded, in catalogue order) so that a later run
 * can be pasted next to an earlier one. Cells that can carry text from a submission (the student
 * folder's name, why it could not be graded, notes) are one bounded line without escape sequences.
 */
import { selects } from '../engine/grade.ts';
import { LONG_TEXT_LIMIT, studentLine } from '../engine/text.ts';
import type { FamilyGrader } from '../engine/types.ts';
import type { StudentResult } from '../batch.ts';
import type { GradeReport } from '../engine/grade.ts';
import { problemOf } from './feedback.ts';

/**
 * RFC 4180: a field with a comma, quote or line break is quoted, quotes doubled. A text field
 * that a spreadsheet would run as a formula (=, +, −, @ first: a student id such as "=1+1") is
 * prefixed with ' so that it stays text.
 */
export function csvField(v: string | number): string {
  const s = typeof v === 'string' && /^[=+\-@\t\r]/.test(v) ? `'${v}` : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * One note per distinct problem, each naming where it occurs: a module whose every exercise has
 * it by the module's name ("not implemented: losses, backprop.outputDelta"), so that a student who
 * implemented nothing gets one short note, not a copy per exercise.
 */
export function problemNotes(report: GradeReport): string {
  const where = new Map<string, string[]>();
  for (const f of report.families) {
    const byProblem = new Map<string, string[]>();
    for (const e of f.exercises.filter((x) => x.status !== 'graded')) {
      const problem = problemOf(e);
      byProblem.set(problem, [...(byProblem.get(problem) ?? []), e.name]);
    }
    for (const [problem, names] of byProblem) {
      const items = names.length === f.exercises.length && names.length > 1 ? [f.module] : names.map((n) => `${f.module}.${n}`);
      where.set(problem, [...(where.get(problem) ?? []), ...items]);
    }
  }
  return [...where].map(([problem, items]) => `${problem}: ${items.join(', ')}`).join('; ');
}

/** A byte-order mark first: spreadsheet programs then read the file as UTF-8 (the dashes and σ of notes and diagnoses). */
export const BOM = '\uFEFF';

const csvLine = (cells: (string | number)[]) => cells.map(csvField).join(',');
const percent = (score: number, max: number) => (max > 0 ? ((100 * score) / max).toFixed(1) : '');

export function gradebookCsv(results: StudentResult[]): string {
  const exercises = new Map<string, true>();
  for (const r of results) for (const f of r.report?.families ?? []) for (const e of f.exercises) exercises.set(`${f.module}.${e.name}`, true);
  const columns = [...exercises.keys()];
  const lines = [csvLine(['student', 'score', 'max', 'percent', 'status', 'type_errors', 'notes', ...columns])];
  for (const r of results) {
    if (!r.report) {
      lines.push(csvLine([studentLine(r.student, 200), '', '', '', 'grader error', '', studentLine(r.error ?? ''), ...columns.map(() => '')]));
      continue;
    }
    const byExercise = new Map<string, number>(r.report.families.flatMap((f) => f.exercises.map((e): [string, number] => [`${f.module}.${e.name}`, e.score])));
    const notes = studentLine(problemNotes(r.report), LONG_TEXT_LIMIT);
    const t = r.report.typeCheck;
    const typeErrors = t === undefined ? '' : t.incomplete ? 'unknown' : t.errors.length;
    lines.push(csvLine([studentLine(r.student, 200), r.report.score, r.report.max, percent(r.report.score, r.report.max), 'graded', typeErrors, notes, ...columns.map((c) => byExercise.get(c) ?? '')]));
  }
  return `${lines.join('\n')}\n`;
}

export interface CheckStat {
  check: string;
  exercise: string;
  catalogue: string;
  visibility: string;
  points: number;
  /** submissions in which the exercise was implemented and loaded, so that the check ran */
  graded: number;
  passed: number;
  /** passed / graded, or null when no submission implemented the exercise */
  passRate: number | null;
  diagnosis?: string;
  diagnosisCount: number;
}

/** Per-check pass rates over the submissions; `only` as for grading (checks not selected are left out). */
export function checkStats(results: StudentResult[], families: FamilyGrader[], only?: string[]): CheckStat[] {
  const stats = new Map<string, CheckStat & { diagnoses: Map<string, number> }>();
  for (const f of families) {
    for (const c of f.checks.filter((c) => selects(only, f, c))) {
      stats.set(c.id, { check: c.id, exercise: `${f.module}.${c.exercise}`, catalogue: c.catalogue, visibility: c.visibility, points: c.points, graded: 0, passed: 0, passRate: null, diagnosisCount: 0, diagnoses: new Map() });
    }
  }
  for (const r of results) {
    for (const f of r.report?.families ?? []) {
      for (const e of f.exercises) {
        if (e.status !== 'graded') continue;
        for (const c of e.checks) {
          const s = stats.get(c.id);
          if (!s) continue;
          s.graded++;
          if (c.status === 'passed') s.passed++;
          if (c.diagnosis) s.diagnoses.set(c.diagnosis, (s.diagnoses.get(c.diagnosis) ?? 0) + 1);
        }
      }
    }
  }
  return [...stats.values()].map(({ diagnoses, ...s }) => {
    const [top] = [...diagnoses.entries()].sort((a, b) => b[1] - a[1]);
    return { ...s, passRate: s.graded > 0 ? s.passed / s.graded : null, ...(top ? { diagnosis: top[0], diagnosisCount: top[1] } : {}) };
  });
}

export function checkStatsCsv(stats: CheckStat[]): string {
  const lines = [csvLine(['check', 'exercise', 'catalogue', 'visibility', 'points', 'graded', 'passed', 'pass_rate', 'most_common_diagnosis', 'diagnosis_count'])];
  for (const s of stats) {
    lines.push(csvLine([s.check, s.exercise, s.catalogue, s.visibility, s.points, s.graded, s.passed, s.passRate === null ? '' : s.passRate.toFixed(3), s.diagnosis ?? '', s.diagnosis ? s.diagnosisCount : '']));
  }
  return `${lines.join('\n')}\n`;
}
