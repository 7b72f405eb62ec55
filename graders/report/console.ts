/**
 * The console report: points per family and exercise; for each failed check its catalogue id,
 * what was expected and received (shortened), the smallest failing input, the hint and the
 * command that replays exactly that case; the total (hidden checks included: the reader is the
 * instructor or the student grading their own work) and the walls that were active. Text from
 * the submission reaches the terminal bounded and without escape sequences (engine/text.ts):
 * the only ones printed are this report's own colours.
 */
import { exact, short } from '../engine/compare.ts';
import type { CheckReport, ExerciseReport, GradeReport } from '../engine/grade.ts';
import { studentLine, studentText } from '../engine/text.ts';
import { count, points as pts, typeCheckNotes } from './feedback.ts';
import { isolationLine } from './isolation.ts';

export interface ConsoleOptions {
  color: boolean;
  /** how to rebuild the grade command in replay lines, e.g. "npx dlgrade grade --submission subs/ada" */
  command: string;
  /** print passed checks too */
  verbose?: boolean;
  /** hidden checks that exist for the graded exercises but run only on the instructor's side */
  hiddenElsewhere?: number;
  /** columns to wrap prose at (the terminal's width, 80 when unknown); undefined: no wrapping */
  width?: number;
}

/**
 * Breaks a line at spaces so that no piece is wider than `width`, continuation pieces indented two
 * columns more than the line; a word longer than the width (a JSON input) stays whole. Lines are
 * wrapped before they are coloured, so escape codes never count as columns.
 */
export function wrap(line: string, width: number | undefined): string[] {
  if (width === undefined || line.length <= width) return [line];
  const lead = /^ */.exec(line)![0].length;
  const indent = ' '.repeat(lead + 2);
  const out: string[] = [];
  let rest = line;
  let from = lead;
  while (rest.length > width) {
    let cut = rest.lastIndexOf(' ', width);
    if (cut <= from) cut = rest.indexOf(' ', width);
    if (cut < 0) break;
    out.push(rest.slice(0, cut).trimEnd());
    rest = indent + rest.slice(cut + 1).trimStart();
    from = indent.length;
  }
  out.push(rest);
  return out;
}

const paint = (on: boolean, code: string) => (s: string) => (on ? `\x1b[${code}m${s}\x1b[0m` : s);

/**
 * A student id as one word of the replay command, quoted for the shell when it is not plain:
 * the instructor pastes that command, and an id like "$(rm -rf ~)" must stay an argument.
 */
function shellWord(s: string): string {
  const id = studentLine(s, 200);
  return /^[\w@%+=:,./-]+$/.test(id) ? id : `'${id.replace(/'/g, `'\\''`)}'`;
}

export function checkLines(c: CheckReport, report: GradeReport, o: ConsoleOptions): string[] {
  const red = paint(o.color, '31');
  const dim = paint(o.color, '2');
  const [first, ...more] = wrap(`${c.status === 'passed' ? '✓' : '✗'} ${c.id}  [${c.visibility} ${c.kind}, ${pts(c.points)} pt${c.points === 1 ? '' : 's'}]  ${c.title}`, o.width);
  const head = [c.status === 'passed' ? first : `${red('✗')}${first.slice(1)}`, ...more];
  if (c.status === 'passed') return head;
  const lines = [...head];
  const prose = (text: string) => lines.push(...wrap(text, o.width));
  if (c.message) for (const l of studentText(c.message).split('\n')) prose(`  ${l}`);
  if (c.diagnosis) prose(`  this looks like: ${c.diagnosis}`);
  if (c.reason === 'mismatch' && typeof c.expected === 'object' && c.expected !== null) {
    lines.push(`  expected ${short(c.expected)}`, `  received ${short(c.received)}`);
  }
  // the call as the student would write it when known (numbers in full, -0 and NaN as themselves), else the generated input
  if (c.call !== undefined) lines.push(`  ${c.kind === 'example' ? 'call' : 'smallest failing call'}: ${studentLine(c.call, 2000)}`);
  else if (c.counterexample !== undefined) lines.push(`  ${c.kind === 'example' ? 'input' : 'smallest failing input'}: ${exact(c.counterexample)}`);
  lines.push(...wrap(`  hint: ${c.hint}`, o.width).map(dim));
  if (c.seed !== undefined) {
    const replay = c.path ? ` --replay ${c.path}` : '';
    const student = report.studentId && c.visibility === 'hidden' ? ` --student ${shellWord(report.studentId)}` : '';
    // never wrapped: it is pasted whole
    lines.push(dim(`  replay: ${o.command} --only ${c.id} --seed ${report.courseSeed}${student}${replay}`));
  }
  return lines;
}

/** Column widths from the report itself: the longest exercise name and catalogue id. */
function columns(report: GradeReport): { name: number; id: number } {
  const exercises = report.families.flatMap((f) => f.exercises);
  return { name: Math.max(10, ...exercises.map((e) => e.name.length)), id: Math.max(2, ...exercises.map((e) => e.catalogue.length)) };
}

function exerciseLines(e: ExerciseReport, report: GradeReport, o: ConsoleOptions, col: { name: number; id: number }): string[] {
  const green = paint(o.color, '32');
  const yellow = paint(o.color, '33');
  const red = paint(o.color, '31');
  const label = `${e.name.padEnd(col.name)} ${e.catalogue.padEnd(col.id)} ${`${pts(e.score)}/${pts(e.max)}`.padStart(7)}`;
  if (e.status === 'not-implemented') return [`  ${yellow('·')} ${label}  not implemented`];
  if (e.status === 'not-gradable') {
    const [first, ...more] = wrap(`  ! ${label}  not gradable: ${studentLine(e.message)}`, o.width);
    return [`  ${red('!')}${first.slice(3)}`, ...more];
  }
  const mark = e.score === e.max ? green('✓') : red('✗');
  const lines = [`  ${mark} ${label}`];
  const inner = { ...o, width: o.width === undefined ? undefined : Math.max(40, o.width - 6) };
  for (const c of e.checks) {
    if (c.status === 'passed' && !o.verbose) continue;
    lines.push(...checkLines(c, report, inner).map((l) => `      ${l}`));
  }
  return lines;
}

export function renderConsole(report: GradeReport, o: ConsoleOptions): string {
  const bold = paint(o.color, '1');
  const lines: string[] = [];
  const col = columns(report);
  const [typeHead, ...typeLines] = typeCheckNotes(report);
  if (typeHead !== undefined) {
    const yellow = paint(o.color, '33');
    lines.push(...wrap(typeHead, o.width).map(yellow), ...typeLines.flatMap((l) => wrap(l, o.width)));
  }
  // a family's score ends in the column where its exercises' scores end
  const scoreEnd = 4 + col.name + 1 + col.id + 1 + 7;
  for (const f of report.families) {
    const title = `${f.id}  ${f.title} (${f.module}.ts)`;
    const score = `${pts(f.score)}/${pts(f.max)}`;
    lines.push('', bold(`${title}${' '.repeat(Math.max(1, scoreEnd - title.length - score.length))}${score}`));
    for (const e of f.exercises) lines.push(...exerciseLines(e, report, o, col));
  }
  const checks = report.families.flatMap((f) => f.exercises.flatMap((e) => e.checks));
  const hidden = checks.filter((c) => c.visibility === 'hidden');
  const pct = report.max > 0 ? ` (${Math.round((100 * report.score) / report.max)}%)` : '';
  lines.push('', bold(`Total ${pts(report.score)}/${pts(report.max)}${pct}`) + ` — ${checks.filter((c) => c.status === 'passed').length}/${checks.length} checks passed in ${(report.durationMs / 1000).toFixed(1)} s`);
  if (report.isolation) lines.push(...wrap(isolationLine(report.isolation), o.width));
  if (hidden.length > 0) {
    lines.push(...wrap(`Includes ${count(hidden.length, 'hidden check')} (${hidden.filter((c) => c.status === 'passed').length} passed): each exercise compared with the reference on random inputs.`, o.width));
  }
  if (o.hiddenElsewhere) {
    lines.push(...wrap(`Your instructor also runs ${count(o.hiddenElsewhere, 'hidden check')} on these exercises (each compared with the reference on random inputs; see graders/hidden-manifest.json).`, o.width));
  }
  return lines.join('\n');
}
