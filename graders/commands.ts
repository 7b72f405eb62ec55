/**
 * The commands of dlgrade (cli.ts parses the arguments and loads this module when a command
 * runs): grade one submission or a class, list the checks, export the packages, check a
 * derivative.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { FAMILIES, loadFamilies, loadHidden } from './families.ts';
import { selects, type GradeReport } from './engine/grade.ts';
import type { FamilyGrader } from './engine/types.ts';
import { count } from './report/feedback.ts';
import { renderConsole } from './report/console.ts';
import { toGradescope } from './report/gradescope.ts';
import { toPrairieLearn } from './report/prairielearn.ts';
import { toJUnit } from './report/junit.ts';
import { BOM, checkStats, checkStatsCsv, gradebookCsv } from './report/gradebook.ts';
import { gradeDirectory, gradeFolder, type StudentResult } from './batch.ts';
import { checkDerivation, CLAIM_TOLERANCE } from './derivation.ts';
import { exportGradescope, exportStudentPackage, readManifest, zipFolder } from './export.ts';
import { DEFAULT_IMAGE, exportPrairieLearn, QUESTION } from './prairielearn-export.ts';
import { fmt } from './engine/compare.ts';
import { escapeInvisible, studentLine } from './engine/text.ts';
import { PACKAGE_ROOT } from './root.ts';
import { defaultIo, UsageError, type Args, type BatchSeams, type Format, type Io } from './cli.ts';

/** Writes report.json and the platform file of `format` into `dir`; returns the platform file's name. */
function writeResults(dir: string, report: GradeReport, format: Format): string {
  mkdirSync(dir, { recursive: true });
  // every detail, for instructors; a student's strings in it stay JSON, with nothing a terminal would act on
  writeFileSync(path.join(dir, 'report.json'), `${escapeInvisible(JSON.stringify(report, null, 2))}\n`);
  if (format === 'junit') {
    writeFileSync(path.join(dir, 'junit.xml'), toJUnit(report));
    return 'junit.xml';
  }
  const results = format === 'prairielearn' ? toPrairieLearn(report) : toGradescope(report);
  writeFileSync(path.join(dir, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  return 'results.json';
}

function checkOnly(all: FamilyGrader[], only: string[] | undefined, replay: string | undefined): void {
  if (!only) {
    if (replay) throw new UsageError('--replay needs --only with the id of the check to replay');
    return;
  }
  for (const o of only) {
    if (!all.some((f) => f.checks.some((c) => selects([o], f, c)))) {
      throw new UsageError(`--only ${o}: no check, exercise, catalogue id or family has that name (see dlgrade list)`);
    }
  }
  const selected = all.flatMap((f) => f.checks.filter((c) => selects(only, f, c)));
  if (replay && selected.length !== 1) throw new UsageError(`--replay replays one check; --only selects ${selected.length}`);
}

/** The folder --submission names (default exercises/), which must exist. */
function submissionFolder(submission: string | undefined): string {
  const dir = path.resolve(submission ?? path.join(PACKAGE_ROOT, 'exercises'));
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UsageError(`--submission ${dir}: no such folder`);
  return dir;
}

/** --out as a folder path: a file there is a usage error, not a crash when writing into it. */
function outFolder(out: string): string {
  const dir = path.resolve(out);
  if (existsSync(dir) && !statSync(dir).isDirectory()) throw new UsageError(`--out ${out} is a file: give a folder (it is created if missing)`);
  return dir;
}

/** A duration as people say it: "40 s", "3 min", "2 h 10 min". */
export function roughly(ms: number): string {
  const s = Math.max(1, Math.round(ms / 1000));
  if (s < 90) return `${s} s`;
  const min = Math.round(s / 60);
  return min < 90 ? `${min} min` : `${Math.floor(min / 60)} h ${min % 60} min`;
}

/** The command a report's replay lines start with. */
const replayCommand = (submission: string | undefined) => `npx dlgrade grade${submission ? ` --submission ${submission}` : ''}`;

export async function grade(argv: Args, io: Io, batch: BatchSeams): Promise<number> {
  const { values, only, seed, format } = argv;
  if (values.submissions !== undefined) return gradeMany(argv, io, batch);
  const dir = submissionFolder(values.submission);
  if (values.out !== undefined) outFolder(values.out);
  if (values.student !== undefined && !process.env.DLGRADE_SECRET) throw new UsageError('--student gives per-student hidden seeds only with the course secret: set DLGRADE_SECRET');
  const all = await loadFamilies(Boolean(values['public-only']));
  checkOnly(all, only, values.replay);
  const total = all.reduce((s, f) => s + f.checks.filter((c) => selects(only, f, c)).length, 0);
  let done = 0;
  const live = Boolean(process.stderr.isTTY) && io === defaultIo;
  // off a terminal (a CI log, a platform's job output), a line per family and visibility as each is done
  const logged = !process.stderr.isTTY && io === defaultIo;
  let stageName: string | undefined;
  let stageChecks = 0;
  let stageStart = Date.now();
  const finishStage = (next: string | undefined) => {
    if (stageName) io.err(`dlgrade: ${stageName} done: ${stageChecks} in ${((Date.now() - stageStart) / 1000).toFixed(1)} s (${done - (next ? 1 : 0)}/${total} checks)`);
    [stageName, stageChecks, stageStart] = [next, 0, Date.now()];
  };
  let report: GradeReport;
  try {
    report = await gradeDirectory(dir, {
      label: path.relative(process.cwd(), dir) || '.',
      families: all,
      courseSeed: seed,
      studentId: values.student,
      secret: process.env.DLGRADE_SECRET,
      only,
      replay: values.replay,
      strictTypes: Boolean(values['strict-types']),
      onProgress: ({ family, exercise, check }) => {
        done++;
        if (live) process.stderr.write(`\r\x1b[K grading ${family.module}.${exercise.name} … ${done}/${total} checks`);
        else if (logged) {
          const stage = `${family.module}'s ${check.visibility} checks`;
          if (stage !== stageName) finishStage(stage);
          stageChecks++;
        }
      },
    });
    if (logged) finishStage(undefined);
  } finally {
    if (live) process.stderr.write('\r\x1b[K');
  }
  const command = replayCommand(values.submission);
  io.out(`dlgrade: grading ${studentLine(report.submission, 200)} (course seed ${seed}${values['public-only'] ? ', public checks only' : ''})`);
  const manifest = readManifest(path.join(PACKAGE_ROOT, 'graders'));
  const hiddenElsewhere = manifest
    ? all.flatMap((f) => f.exercises.filter((e) => all.some((g) => g.checks.some((c) => c.exercise === e.name && selects(only, g, c)))).flatMap((e) => manifest[f.module]?.[e.name] ?? [])).length
    : 0;
  io.out(renderConsole(report, { color: io.color && !values['no-color'], command, verbose: values.verbose, hiddenElsewhere, width: io.width }));
  if (values.out) {
    const out = path.resolve(values.out);
    const file = writeResults(out, report, format);
    io.out(`wrote ${path.join(out, file)} and report.json`);
  }
  return report.max > 0 && report.score === report.max ? 0 : 1;
}

/**
 * Where a run records a student it could not grade. --resume keeps the error when the seed and
 * the checks are the same, rather than grade the student again into the same crash.
 */
const GRADER_ERROR = 'grader-error.json';

interface GraderErrorMarker {
  error: string;
  courseSeed: number;
  /** the ids of the checks selected */
  checks: string[];
  /** when (ISO time) */
  at: string;
}

/** Every file a run writes for one student: each outcome replaces the earlier run's whole (a report, a grader error). */
const STUDENT_FILES = ['report.json', 'results.json', 'junit.xml', GRADER_ERROR];

/** A file an earlier run wrote, or undefined when it is missing or was cut short (a run killed while writing it). */
function readJson<T>(file: string): T | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

/** What an earlier run recorded for the student in `dir` with the same seed and checks: its report or its grader error. */
function earlierOutcome(dir: string, student: string, seed: number, checks: string[]): Pick<StudentResult, 'report' | 'error'> | undefined {
  const report = readJson<GradeReport>(path.join(dir, 'report.json'));
  const ids = report?.families.flatMap((f) => f.exercises.flatMap((e) => e.checks.map((c) => c.id)));
  if (report?.courseSeed === seed && ids?.join() === checks.join()) return { report };
  const marker = readJson<GraderErrorMarker>(path.join(dir, GRADER_ERROR));
  if (marker?.courseSeed === seed && marker.checks?.join() === checks.join()) {
    return { error: `${marker.error} (kept from the earlier run; delete students/${student}/ to retry)` };
  }
  return undefined;
}

/** Writes a student's outcome into `dir`: the report and platform file, or the grader-error marker. */
function writeStudent(dir: string, r: StudentResult, format: Format, seed: number, checks: string[]): void {
  for (const f of STUDENT_FILES) rmSync(path.join(dir, f), { force: true });
  if (r.report) {
    writeResults(dir, r.report, format);
    return;
  }
  const marker: GraderErrorMarker = { error: r.error ?? '', courseSeed: seed, checks, at: new Date().toISOString() };
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, GRADER_ERROR), `${JSON.stringify(marker, null, 2)}\n`);
}

/** --submissions DIR: every student folder, a gradebook and per-check pass rates. */
async function gradeMany(argv: Args, io: Io, batch: BatchSeams): Promise<number> {
  const { values, only, seed, jobs, format, progressTimeoutMs } = argv;
  const root = path.resolve(values.submissions!);
  if (!existsSync(root) || !statSync(root).isDirectory()) throw new UsageError(`--submissions ${root}: no such folder`);
  if (values.submission !== undefined) throw new UsageError('--submission and --submissions exclude each other');
  if (values.replay !== undefined || values.student !== undefined) throw new UsageError('--replay and --student grade one submission: use --submission');
  if (!values.out) throw new UsageError('--submissions needs --out DIR for the gradebook');
  const all = await loadFamilies(Boolean(values['public-only']));
  checkOnly(all, only, undefined);
  const out = outFolder(values.out);
  const studentsOut = path.join(out, 'students');
  const started = Date.now();
  let fresh = 0;
  if (jobs > availableParallelism()) io.err(`dlgrade: --jobs ${jobs} is more than this machine's ${availableParallelism()} cores; grading will not go faster`);
  const selected = all.flatMap((f) => f.exercises.flatMap((e) => f.checks.filter((c) => c.exercise === e.name && selects(only, f, c)).map((c) => c.id)));
  io.out(`dlgrade: grading every folder of ${values.submissions} (course seed ${seed}, ${jobs} at a time${process.env.DLGRADE_SECRET ? ', per-student hidden seeds' : ''})`);
  // on a terminal, a live line under the students' lines: who is being graded now
  const live = Boolean(process.stderr.isTTY) && io === defaultIo;
  const inFlight = new Set<string>();
  let doneSoFar = 0;
  const showInFlight = () => {
    if (!live || inFlight.size === 0) return;
    const names = [...inFlight].map((s) => studentLine(s, 40)).join(', ');
    process.stderr.write(`\r\x1b[K grading ${names} … (${doneSoFar} done)`.slice(0, (process.stderr.columns || 80) - 1));
  };
  const results = await gradeFolder(root, {
    ...batch,
    publicOnly: Boolean(values['public-only']),
    strictTypes: Boolean(values['strict-types']),
    courseSeed: seed,
    secret: process.env.DLGRADE_SECRET,
    only,
    jobs,
    progressTimeoutMs,
    exclude: out,
    previous: (student) => (values.resume ? earlierOutcome(path.join(studentsOut, student), student, seed, selected) : undefined),
    onStart: (student) => {
      inFlight.add(student);
      showInFlight();
    },
    onStudent: (r, done, total) => {
      inFlight.delete(r.student);
      doneSoFar = done;
      if (live) process.stderr.write('\r\x1b[K'); // the live line gives way to the student's line
      const what = r.report
        ? `${r.report.score}/${r.report.max} (${((100 * r.report.score) / Math.max(1, r.report.max)).toFixed(0)}%) ${r.kept ? 'kept from the earlier run' : `in ${(r.report.durationMs / 1000).toFixed(1)} s`}`
        : `GRADER ERROR: ${studentLine(r.error ?? '', 500)}`;
      if (!r.kept) fresh++;
      // the time left at the pace so far (students graded here, not kept from an earlier run, at --jobs at a time)
      const left = fresh > 0 && done < total ? `, about ${roughly(((Date.now() - started) / fresh) * (total - done))} left` : '';
      io.out(`[${done}/${total}${left}] ${studentLine(r.student, 100)}: ${what}`);
      if (!r.kept) writeStudent(path.join(studentsOut, r.student), r, format, seed, selected);
      showInFlight();
    },
  });
  if (live) process.stderr.write('\r\x1b[K');
  if (results.length === 0) throw new UsageError(`--submissions ${values.submissions}: no student folders inside`);
  mkdirSync(out, { recursive: true });
  writeFileSync(path.join(out, 'gradebook.csv'), BOM + gradebookCsv(results));
  const stats = checkStats(results, all, only);
  writeFileSync(path.join(out, 'check-stats.csv'), BOM + checkStatsCsv(stats));
  const graded = results.filter((r) => r.report);
  const hardest = stats.filter((s) => s.passRate !== null && s.passRate < 1).sort((a, b) => a.passRate! - b.passRate! || b.graded - a.graded).slice(0, 10);
  io.out(`\n${graded.length}/${results.length} submissions graded in ${((Date.now() - started) / 1000).toFixed(0)} s.`);
  if (hardest.length > 0) {
    io.out('Checks passed least often (among submissions that implemented the exercise):');
    for (const s of hardest) io.out(`  ${(100 * s.passRate!).toFixed(0).padStart(3)}%  ${s.check} (${s.passed}/${s.graded})${s.diagnosis ? ` — most often: ${s.diagnosis} (${s.diagnosisCount})` : ''}`);
  }
  io.out(`wrote ${path.join(out, 'gradebook.csv')}, check-stats.csv and students/<id>/ (report.json, ${format === 'junit' ? 'junit.xml' : 'results.json'})`);
  return graded.length === results.length ? 0 : 2;
}

export async function watch(argv: Args, io: Io): Promise<number> {
  const { values, only, seed } = argv;
  const dir = submissionFolder(values.submission);
  const all = await loadFamilies(true); // the student loop: public checks, the fast part
  checkOnly(all, only, undefined);
  const { watchSubmission } = await import('./watch.ts');
  const command = replayCommand(values.submission);
  return watchSubmission({ dir, families: all, courseSeed: seed, only, out: io.out, console: { color: io.color && !values['no-color'], command, width: io.width } });
}

export async function exportCommand(argv: Args, io: Io): Promise<number> {
  const { values } = argv;
  if (values.zip !== undefined && !values.gradescope) throw new UsageError('--zip goes with export --gradescope');
  if (!values.out && values.zip === undefined) throw new UsageError('export needs --out DIR');
  if (values.gradescope && values.prairielearn) throw new UsageError('export takes --gradescope or --prairielearn, not both');
  if (values.image !== undefined && !values.prairielearn) throw new UsageError('--image goes with export --prairielearn');
  const out = values.out ? outFolder(values.out) : mkdtempSync(path.join(tmpdir(), 'dlgrade-autograder-'));
  if (values.out && existsSync(out) && readdirSync(out).length > 0) throw new UsageError(`--out ${values.out} is not empty: export writes into a new or empty folder`);
  if (values.prairielearn) {
    const image = values.image ?? DEFAULT_IMAGE;
    if (!/^[a-z0-9][\w./:@-]*$/i.test(image)) throw new UsageError(`--image must be an image name such as account/dlgrade-grader:1; got '${image}'`);
    const { files } = exportPrairieLearn(PACKAGE_ROOT, out, FAMILIES, image);
    io.out(`wrote the PrairieLearn course files to ${values.out} (${files} files): serverFilesCourse/dlgrade/ (the grader, reference and hidden checks),`);
    io.out(`questions/${QUESTION}/ (an externally graded question) and image/ (the grader image's Dockerfile); ${values.out}/README.md says where each goes`);
    return 0;
  }
  if (values.gradescope) {
    const { files } = exportGradescope(PACKAGE_ROOT, out);
    // the course secret travels in the autograder (Gradescope keeps it from students): per-student hidden seeds
    const secret = process.env.DLGRADE_SECRET ? ' and dlgrade.secret (from DLGRADE_SECRET)' : '';
    if (secret) writeFileSync(path.join(out, 'dlgrade.secret'), `${process.env.DLGRADE_SECRET}\n`, { mode: 0o600 });
    if (values.zip !== undefined) {
      const zip = path.resolve(values.zip);
      if (existsSync(zip) && statSync(zip).isDirectory()) throw new UsageError(`--zip ${values.zip} is a folder: give the zip file to write`);
      try {
        await zipFolder(out, zip);
      } finally {
        if (!values.out) rmSync(out, { recursive: true, force: true });
      }
      io.out(`wrote the Gradescope autograder (${files} files: setup.sh, run_autograder, reference and hidden checks${secret}) to ${values.zip}: upload it as the autograder`);
      if (!secret) io.out('for per-student hidden seeds, export with DLGRADE_SECRET set: the autograder then carries it as dlgrade.secret');
      return 0;
    }
    io.out(`wrote the Gradescope autograder to ${values.out} (${files} files: setup.sh, run_autograder, reference and hidden checks${secret});`);
    io.out(`upload it zipped: dlgrade export --gradescope --zip FILE writes the zip itself, scripts kept executable${secret ? '' : ' (with DLGRADE_SECRET set for per-student hidden seeds)'}`);
    return 0;
  }
  const { files, hidden } = exportStudentPackage(PACKAGE_ROOT, out, FAMILIES, await loadHidden());
  io.out(`wrote the student package to ${values.out}: ${files} files, ${count(hidden, 'hidden check')} listed (not included)`);
  return 0;
}

export async function list(argv: Args, io: Io): Promise<number> {
  const all = await loadFamilies(Boolean(argv.values['public-only']));
  checkOnly(all, argv.only, undefined);
  for (const f of all) {
    const checks = f.checks.filter((c) => selects(argv.only, f, c));
    if (checks.length === 0) continue;
    io.out(`${f.id}  ${f.title} (${f.module}.ts)`);
    for (const e of f.exercises) {
      const mine = checks.filter((c) => c.exercise === e.name);
      if (mine.length === 0) continue;
      io.out(`  ${e.catalogue.padEnd(4)} ${e.name}: ${e.summary}`);
      for (const c of mine) io.out(`       ${c.id}  [${c.visibility} ${c.kind}, ${c.points} pt]  ${c.title}`);
    }
  }
  return 0;
}

export async function derivativeCommand(argv: Args, io: Io, expression: string | undefined): Promise<number> {
  if (!expression) throw new UsageError('derivative needs an expression, e.g. dlgrade derivative "1 / (1 + exp(-x))"');
  let r;
  try {
    r = await checkDerivation(expression, { wrt: argv.values.wrt, claim: argv.values.claim });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  io.out(`d/d${r.wrt} ${r.expression} = ${r.symbolic}   (mathjs)`);
  if (r.claim) io.out(`your claim:  ${r.claim}`);
  io.out(`${'point'.padEnd(28)}${'symbolic'.padStart(16)}${'central diff.'.padStart(16)}${r.claim ? `${'claim'.padStart(16)}${'rel. error'.padStart(12)}` : ''}`);
  for (const p of r.points) {
    const at = Object.entries(p.at).map(([k, v]) => `${k}=${fmt(v, 5)}`).join(' ');
    const claim = p.claimed === undefined ? '' : Number.isFinite(p.claimed) ? `${fmt(p.claimed).padStart(16)}${fmt(p.error ?? 0, 2).padStart(12)}` : `${'undefined'.padStart(16)}${'—'.padStart(12)}`;
    io.out(`${at.padEnd(28)}${fmt(p.symbolic).padStart(16)}${fmt(p.numeric).padStart(16)}${claim}`);
  }
  const undefinedAt = r.points.filter((p) => p.claimed !== undefined && !Number.isFinite(p.claimed)).length;
  const wrongAt = r.points.filter((p) => !(p.error! <= CLAIM_TOLERANCE)).length - undefinedAt;
  const problems = [...(wrongAt > 0 ? [`relative error above ${CLAIM_TOLERANCE} at ${wrongAt} point(s)`] : []), ...(undefinedAt > 0 ? [`undefined (or not real) at ${undefinedAt} point(s) where the derivative is defined`] : [])];
  if (r.claim) io.out(r.agrees ? 'your derivative agrees at every point.' : `your derivative disagrees: ${problems.join('; ')}.`);
  return r.agrees ? 0 : 1;
}
