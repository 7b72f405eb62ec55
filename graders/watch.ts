/**
 * dlgrade watch: the student loop. Grades the submission once, then on every save grades again
 * the families whose files changed (a family's own module, or any module that imports the file
 * that changed) and prints only what changed since the last run: checks that now pass, checks
 * that now fail (with their message, hint and replay line), and the new totals. Each round is a
 * whole grading of those families as `dlgrade grade --only` would do it: a fresh transpile of the
 * changed files (the others come from the transpile cache) and fresh student processes.
 */
import { watch as watchFolder, existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { gradeDirectory } from './batch.ts';
import type { CheckReport, GradeReport, TypeCheckReport } from './engine/grade.ts';
import type { FamilyGrader } from './engine/types.ts';
import { checkLines, renderConsole, type ConsoleOptions } from './report/console.ts';
import { points as pts, typeCheckNotes } from './report/feedback.ts';
import { TypeChecker } from './sandbox/typecheck.ts';

export interface WatchOptions {
  dir: string;
  families: FamilyGrader[];
  courseSeed: number;
  only?: string[];
  out: (s: string) => void;
  console: ConsoleOptions;
  /** settles once the first grading is printed and the folder is watched (specs wait for it) */
  onReady?: () => void;
}

/** Editors write a file in several steps: a round starts once the folder has been quiet this long. */
const QUIET_MS = 150;

/** The relative imports of a source file ('./tensor.ts' → 'tensor'), read as text: enough to know what to grade again. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:from|import)\s*\(?\s*['"](\.\.?\/[^'"]+)['"]/g)].map((m) => path.join(path.dirname(file), m[1]).replace(/\.(m?[jt]s)$/, ''));
}

/** The families to grade again when `changed` (paths without extension) changed: theirs, or importing them (transitively). */
export function affected(dir: string, families: FamilyGrader[], changed: string[]): FamilyGrader[] {
  const sources = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => /\.m?[jt]s$/.test(f) && !f.includes('node_modules'));
  const imports = new Map(sources.map((f) => [path.join(dir, f).replace(/\.(m?[jt]s)$/, ''), importsOf(path.join(dir, f))]));
  const reaches = (from: string, seen = new Set<string>()): boolean => {
    if (changed.includes(from)) return true;
    if (seen.has(from)) return false;
    seen.add(from);
    return (imports.get(from) ?? []).some((i) => reaches(i, seen));
  };
  return families.filter((f) => reaches(path.join(dir, f.module)));
}

const checksOf = (r: GradeReport): CheckReport[] => r.families.flatMap((f) => f.exercises.flatMap((e) => e.checks));

/** What changed between two gradings of the same families: the lines to print. */
export function changes(before: GradeReport, after: GradeReport, o: ConsoleOptions): string[] {
  const was = new Map(checksOf(before).map((c) => [c.id, c]));
  const lines: string[] = [];
  // a failing check as the console report shows it, its mark (coloured or not) replaced by the label
  const failing = (label: string, c: CheckReport) => {
    const [head, ...detail] = checkLines(c, after, o);
    return [`  ${label} ${head.slice(head.indexOf(c.id))}`, ...detail.map((l) => `    ${l}`)];
  };
  for (const c of checksOf(after)) {
    const old = was.get(c.id);
    if (c.status === 'passed') {
      if (old?.status !== 'passed') lines.push(`  now passes  ${c.id}  ${c.title}`);
    } else if (old?.status !== 'failed' && old?.status !== 'skipped') lines.push(...failing('now fails  ', c));
    else if (old.message !== c.message) lines.push(...failing('still fails', c));
  }
  return lines;
}

/** `report` with the families of `update` replaced by their new grading (catalogue order kept). */
function merged(report: GradeReport, update: GradeReport): GradeReport {
  const families = report.families.map((f) => update.families.find((g) => g.module === f.module) ?? f);
  return { ...report, families, score: families.reduce((s, f) => s + f.score, 0), max: families.reduce((s, f) => s + f.max, 0) };
}

/** Runs until the process is stopped (Ctrl-C); grading rounds never overlap, and saves during one make one more. */
export async function watchSubmission(o: WatchOptions): Promise<never> {
  // one type checker for the whole session: the compiler's own files are read once, not on every save
  const typeChecker = new TypeChecker();
  const label = path.relative(process.cwd(), o.dir) || '.';
  let report = await gradeDirectory(o.dir, { families: o.families, courseSeed: o.courseSeed, only: o.only, label, typeChecker });
  let typeNotes = typeCheckNotes(report).join('\n');
  // after a save, the check changes are printed at once and the type errors of the files graded
  // again when the type check is done (a second or so later), if they changed
  const showTypeNotes = (t: TypeCheckReport) => {
    const notes = typeCheckNotes({ ...report, typeCheck: t }).join('\n');
    if (notes !== typeNotes) o.out(notes || '  no type errors in the files graded again');
    typeNotes = notes;
  };
  const grade = (families: FamilyGrader[]) => gradeDirectory(o.dir, { families, courseSeed: o.courseSeed, only: o.only, label, typeChecker, onTypeCheck: showTypeNotes });
  o.out(renderConsole(report, o.console));
  o.out(`\nwatching ${path.relative(process.cwd(), o.dir) || '.'}: save a file to grade it again (Ctrl-C stops)`);
  const pending = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  let running = false;
  /** Grades `families` again and prints what changed. */
  const regrade = async (families: FamilyGrader[], why: string) => {
    const started = Date.now();
    const update = await grade(families);
    const lines = changes(report, update, o.console);
    report = merged(report, update);
    const scores = update.families.map((f) => `${f.id} ${pts(f.score)}/${pts(f.max)}`).join(', ');
    o.out(`\n[${new Date().toTimeString().slice(0, 8)}] ${why}: graded ${scores} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    o.out(lines.length > 0 ? lines.join('\n') : '  no check changed');
    const failing = checksOf(report).filter((c) => c.status !== 'passed').length;
    o.out(`Total ${pts(report.score)}/${pts(report.max)}${failing > 0 ? ` — ${failing} checks failing (dlgrade grade for the full report)` : ' — every check passes'}`);
  };
  const round = async () => {
    if (running || pending.size === 0) return;
    running = true;
    const changed = [...pending];
    pending.clear();
    try {
      const stems = changed.map((f) => f.replace(/\.(m?[jt]s)$/, ''));
      const families = affected(o.dir, o.families, stems).filter((f) => report.families.some((g) => g.module === f.module));
      // the changed file's own family first (the answer to this save), then the families that import it
      const own = families.filter((f) => stems.includes(path.join(o.dir, f.module)));
      const names = changed.map((c) => path.relative(o.dir, c)).join(', ');
      if (own.length > 0) await regrade(own, `${names} changed`);
      const importing = families.filter((f) => !own.includes(f));
      if (importing.length > 0) await regrade(importing, `${own.length > 0 ? 'and what imports it' : `${names} changed`}`);
    } catch (e) {
      o.out(`dlgrade: could not grade: ${(e as Error).message}`);
    } finally {
      running = false;
      if (pending.size > 0) void round();
    }
  };
  watchFolder(o.dir, { recursive: true }, (_event, name) => {
    if (!name || !/\.m?[jt]s$/.test(name) || name.includes('node_modules')) return;
    const file = path.join(o.dir, name);
    if (!existsSync(file)) return;
    pending.add(file);
    clearTimeout(timer);
    timer = setTimeout(() => void round(), QUIET_MS);
  });
  o.onReady?.();
  return new Promise<never>(() => {});
}
