/**
 * Grading one submission: for each family, load the student's module in the sandbox, check the
 * contract (every exercise exported as a function taking no more parameters than the contract
 * passes), then run the exercise's checks in order and add up their points.
 *
 * Bounded time whatever the submission does: each call has a timeout, each check a time limit,
 * an export that hangs or crashes twice is not called again for the rest of the submission (the
 * checks that need it fail at once with what it did), and the whole submission has a budget.
 */
import type { Sandbox } from '../sandbox/host.ts';
import { checkSeed, type SeedSource } from './seed.ts';
import { StudentFault, type Check, type CheckOutcome, type Exercise, type FailureReason, type FamilyGrader, type Isolation, type Kind, type StudentModule, type Visibility } from './types.ts';

export interface CheckReport {
  id: string;
  exercise: string;
  catalogue: string;
  title: string;
  kind: Kind;
  visibility: Visibility;
  points: number;
  score: number;
  status: 'passed' | 'failed' | 'skipped';
  reason?: FailureReason | 'budget' | 'not-gradable' | 'not-implemented';
  message?: string;
  expected?: unknown;
  received?: unknown;
  counterexample?: unknown;
  seed?: number;
  path?: string;
  /** the export whose fault failed the check, when it is not the check's own exercise */
  faultIn?: string;
  /** the known mistake the wrong value matches */
  diagnosis?: string;
  hint: string;
  numRuns?: number;
}

export type ExerciseStatus = 'graded' | 'not-implemented' | 'not-gradable';

export interface ExerciseReport extends Exercise {
  status: ExerciseStatus;
  message?: string;
  score: number;
  max: number;
  checks: CheckReport[];
}

export interface FamilyReport {
  id: string;
  module: string;
  title: string;
  score: number;
  max: number;
  exercises: ExerciseReport[];
}

export interface GradeReport {
  submission: string;
  courseSeed: number;
  studentId?: string;
  durationMs: number;
  score: number;
  max: number;
  families: FamilyReport[];
  /** which walls were active for this run (sandbox/walls.ts) */
  isolation?: Isolation;
}

export interface ProgressEvent {
  family: FamilyGrader;
  exercise: Exercise;
  check: Check;
  report: CheckReport;
}

export interface GradeOptions {
  submission: string;
  families: FamilyGrader[];
  modules: Record<string, string>;
  problems: Record<string, string>;
  sandbox: Sandbox;
  seeds: SeedSource;
  /** check ids, exercise names, catalogue ids (A1), family letters (A) or module names */
  only?: string[];
  /** fast-check path to replay (with exactly one check selected) */
  replay?: string;
  budgetMs?: number;
  onProgress?: (e: ProgressEvent) => void;
}

/** After this many hangs/crashes/exits of one export, it is not called again for this submission. */
const STRIKES = 2;
const RUNAWAY: ReadonlySet<string> = new Set(['timeout', 'crashed', 'out-of-memory', 'exited']);

export function selects(only: string[] | undefined, family: FamilyGrader, check: Check): boolean {
  if (!only || only.length === 0) return true;
  return only.some((o) => o === check.id || o === check.exercise || o === check.catalogue || o === family.id || o === family.module);
}

/** The student's module for the checks; an export that ran away STRIKES times fails at once afterwards. */
function studentModule(sandbox: Sandbox, key: string): StudentModule {
  const strikes = new Map<string, { count: number; fault: StudentFault }>();
  const invoke = async (name: string, args: unknown[]) => {
    const known = strikes.get(name);
    if (known && known.count >= STRIKES) {
      throw new StudentFault(known.fault.kind, name, `not called again: it ${known.fault.message} on ${known.count} earlier calls`);
    }
    const r = await sandbox.call(key, name, args);
    if (r.ok) return r;
    const fault = new StudentFault(r.kind, name, r.message);
    if (RUNAWAY.has(r.kind)) strikes.set(name, { count: (known?.count ?? 0) + 1, fault });
    throw fault;
  };
  return {
    call: async (name, args) => (await invoke(name, args)).value,
    callCounting: async (name, args) => {
      const r = await invoke(name, args);
      return { value: r.value, calls: r.calls };
    },
  };
}

function baseReport(check: Check): Omit<CheckReport, 'status' | 'score'> {
  return {
    id: check.id,
    exercise: check.exercise,
    catalogue: check.catalogue,
    title: check.title,
    kind: check.kind,
    visibility: check.visibility,
    points: check.points,
    hint: check.hint,
    numRuns: check.numRuns,
  };
}

function notRun(check: Check, reason: CheckReport['reason'], message: string): CheckReport {
  return { ...baseReport(check), status: 'failed', score: 0, reason, message };
}

function exerciseProblem(ex: Exercise, exports: Record<string, { kind: string; length: number }>): string | null {
  const e = exports[ex.name];
  if (!e) return `missing export: ${ex.name} is not exported`;
  if (e.kind !== 'function') return `${ex.name} is exported as a ${e.kind}, not a function`;
  if (e.length > ex.arity) {
    return `${ex.name} takes ${e.length} parameters; the contract passes ${ex.arity} (see the signature in exercises/)`;
  }
  return null;
}

export async function gradeSubmission(opts: GradeOptions): Promise<GradeReport> {
  const started = Date.now();
  const deadline = started + (opts.budgetMs ?? 10 * 60_000);
  const families: FamilyReport[] = [];
  for (const family of opts.families) {
    const checks = family.checks.filter((c) => selects(opts.only, family, c));
    if (checks.length === 0) continue;
    const file = opts.modules[family.module];
    let moduleProblem = opts.problems[family.module] ?? null;
    let exports: Record<string, { kind: string; length: number }> = {};
    if (!moduleProblem && file) {
      const loaded = await opts.sandbox.load(file, file);
      if (loaded.ok) exports = loaded.exports;
      else moduleProblem = `${family.module}.ts ${loaded.message}`;
    }
    const student = studentModule(opts.sandbox, file ?? family.module);
    const exercises: ExerciseReport[] = [];
    for (const ex of family.exercises) {
      const exChecks = checks.filter((c) => c.exercise === ex.name);
      if (exChecks.length === 0) continue;
      const max = exChecks.reduce((s, c) => s + c.points, 0);
      const problem = moduleProblem ?? exerciseProblem(ex, exports);
      if (problem) {
        exercises.push({ ...ex, status: 'not-gradable', message: problem, score: 0, max, checks: exChecks.map((c) => notRun(c, 'not-gradable', problem)) });
        continue;
      }
      const reports: CheckReport[] = [];
      let notImplemented = false;
      for (const check of exChecks) {
        let report: CheckReport;
        if (notImplemented) {
          report = notRun(check, 'not-implemented', `${ex.name} is not implemented`);
        } else if (Date.now() > deadline) {
          report = notRun(check, 'budget', 'not run: the grading time budget for this submission was used up');
        } else {
          const seed = checkSeed(check.id, opts.seeds, check.visibility === 'hidden');
          const outcome: CheckOutcome = await check.run({ student, seed, path: opts.replay });
          report = {
            ...baseReport(check),
            ...outcome,
            status: outcome.status,
            score: outcome.status === 'passed' ? check.points : 0,
          };
          if (outcome.reason === 'not-implemented' && (outcome.faultIn ?? ex.name) === ex.name) notImplemented = true;
        }
        reports.push(report);
        opts.onProgress?.({ family, exercise: ex, check, report });
      }
      const score = reports.reduce((s, r) => s + r.score, 0);
      const status: ExerciseStatus = notImplemented && score === 0 ? 'not-implemented' : 'graded';
      exercises.push({ ...ex, status, ...(status === 'not-implemented' ? { message: 'not implemented' } : {}), score, max, checks: reports });
    }
    families.push({
      id: family.id,
      module: family.module,
      title: family.title,
      score: exercises.reduce((s, e) => s + e.score, 0),
      max: exercises.reduce((s, e) => s + e.max, 0),
      exercises,
    });
  }
  return {
    submission: opts.submission,
    courseSeed: opts.seeds.courseSeed,
    studentId: opts.seeds.studentId,
    durationMs: Date.now() - started,
    score: families.reduce((s, f) => s + f.score, 0),
    max: families.reduce((s, f) => s + f.max, 0),
    families,
  };
}
