/**
 * JUnit XML (for GitHub Classroom, CI dashboards and any tool that reads test reports): one
 * <testsuite> per family, one <testcase> per check, a <failure> carrying the feedback of a
 * failed check (hidden checks without their inputs, feedback.ts). Points are kept as properties
 * because JUnit has no notion of partial credit: per family in all, public and hidden, and the
 * walls that were active (isolation.ts). Properties belong to a testsuite in the JUnit schema,
 * so each testsuite carries them all.
 */
import type { FamilyReport, GradeReport } from '../engine/grade.ts';
import { studentLine } from '../engine/text.ts';
import { byVisibility, exerciseCheckFeedback, typeCheckNotes } from './feedback.ts';
import { isolationLine } from './isolation.ts';

/** XML-escapes text and drops the characters XML 1.0 cannot carry (control characters). */
export function xmlEscape(s: string): string {
  return s
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

const seconds = (ms: number) => (ms / 1000).toFixed(3);

/** The <properties> of a family's testsuite: its points in all, public and hidden, and the isolation line. */
function properties(f: FamilyReport, report: GradeReport): string {
  const split = byVisibility([f]);
  const props: Record<string, string | number> = {
    score: f.score,
    max: f.max,
    public_score: split.public.score,
    public_max: split.public.max,
    hidden_score: split.hidden.score,
    hidden_max: split.hidden.max,
  };
  if (report.isolation) props.isolation = isolationLine(report.isolation);
  return `<properties>${Object.entries(props).map(([name, value]) => `<property name="${name}" value="${xmlEscape(String(value))}"/>`).join('')}</properties>`;
}

export function toJUnit(report: GradeReport): string {
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>'];
  const checks = report.families.flatMap((f) => f.exercises.flatMap((e) => e.checks));
  const failed = (cs: typeof checks) => cs.filter((c) => c.status !== 'passed').length;
  const typeNotes = typeCheckNotes(report);
  const typeCase = report.typeCheck ? 1 : 0;
  const typeFailed = typeNotes.length > 0 ? 1 : 0;
  lines.push(`<testsuites name="dlgrade ${xmlEscape(studentLine(report.submission, 200))}" tests="${checks.length + typeCase}" failures="${failed(checks) + typeFailed}" time="${seconds(report.durationMs)}">`);
  if (report.typeCheck) {
    // the type check first, as a suite of one case: failed when it found type errors or did not finish
    lines.push(`  <testsuite name="type check" tests="1" failures="${typeFailed}">`);
    const open = '    <testcase classname="typecheck" name="the submission type-checks against the exercises\' signatures"';
    if (typeFailed) lines.push(`${open}>`, `      <failure message="${xmlEscape(typeNotes[0])}">${xmlEscape(typeNotes.join('\n'))}</failure>`, '    </testcase>');
    else lines.push(`${open}/>`);
    lines.push('  </testsuite>');
  }
  for (const f of report.families) {
    const mine = f.exercises.flatMap((e) => e.checks);
    lines.push(`  <testsuite name="${xmlEscape(`${f.id} ${f.title}`)}" tests="${mine.length}" failures="${failed(mine)}">`);
    lines.push(`    ${properties(f, report)}`);
    for (const e of f.exercises) {
      for (const c of e.checks) {
        const open = `    <testcase classname="${xmlEscape(`${f.module}.${e.name}`)}" name="${xmlEscape(`${c.id}: ${c.title}`)}"`;
        if (c.status === 'passed') {
          lines.push(`${open}/>`);
          continue;
        }
        const feedback = exerciseCheckFeedback(e, c, report.courseSeed);
        lines.push(`${open}>`, `      <failure message="${xmlEscape(feedback.split('\n')[0])}">${xmlEscape(feedback)}</failure>`, '    </testcase>');
      }
    }
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>');
  return `${lines.join('\n')}\n`;
}
