/**
 * Grading one submission: for each family, load the student's module in the sandbox, check the
 * contract (every exercise exported as a function taking no more parameters than the contract
 * passes), then run the checks and add up their points, per exercise in declaration order.
 *
 * Every public check of the submission runs first; the hidden checks then run in another
 * process, which never saw a public check, so that nothing a hidden input taught the student's
 * code can reach the text of a public check, which the student sees.
 *
 * Bounded whatever the submission does, and by measures the load does not change: each call has
 * a CPU-time limit (sandbox/host.ts), each check a CPU-time limit and a bounded number of runs
 * (checks.ts), an export that hangs or crashes twice is not called again for the rest of the
 * submission (the checks that need it fail at once with what it did), and the whole submission
 * has a budget of student CPU time.
 */
import type { Sandbox } from '../sandbox/host.ts';
import type { TypeError } from '../sandbox/typecheck.ts';
import { parameterNames, returnType } from './contract.ts';
import { checkSeed, type SeedSource } from './seed.ts';
import {
  StudentFault,
  type Check,
  type CheckOutcome,
  type Exercise,
  type FailureReason,
  type FamilyGrader,
  type Isolation,
  type Kind,
  type StudentModule,
  type Visibility,
} from './types.ts';

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
  /** the student's call on the counterexample, as written in code */
  call?: string;
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
  /** CPU time the student's code used (ms; wall-clock time where it cannot be measured) */
  studentCpuMs?: number;
  score: number;
  max: number;
  families: FamilyReport[];
  /** which walls were active for this run (sandbox/walls.ts) */
  isolation?: Isolation;
  /** what the student process did between calls that the grader had to stop (instructor side) */
  incidents?: string[];
  /** the type check of the graded modules against the stubs' signatures (sandbox/typecheck.ts) */
  typeCheck?: TypeCheckReport;
}

export interface TypeCheckReport {
  errors: TypeError[];
  /** why the type check did not finish */
  incomplete?: string;
  /** --strict-types: modules with type errors were not graded */
  strict?: boolean;
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
  /**
   * Where the hidden checks run: a sandbox of their own, which starts and loads the modules
   * while the public checks run (gradeDirectory passes one); without it, `sandbox`, recycled
   * into a fresh process once the public checks are done.
   */
  hiddenSandbox?: Sandbox;
  seeds: SeedSource;
  /** check ids, exercise names, catalogue ids (A1), family letters (A) or module names */
  only?: string[];
  /** fast-check path to replay (with exactly one check selected) */
  replay?: string;
  /** student CPU time for the whole submission (ms) */
  budgetMs?: number;
  /** false: every call in a round trip of its own (the batched path must give the same report; specs compare) */
  batch?: boolean;
  /**
   * false: a failing property is reported with the first failing input drawn, unshrunk. For specs
   * that assert only that checks reject a known-wrong implementation (the pass/fail verdict is
   * decided before shrinking; shrinking a mutant's failures was about half of the mutant specs'
   * time); grading always shrinks.
   */
  shrink?: boolean;
  onProgress?: (e: ProgressEvent) => void;
}

/** Student CPU time a submission may use: the reference needs well under a minute. */
export const SUBMISSION_CPU_BUDGET_MS = 10 * 60_000;

/** After this many hangs/crashes/exits of one export, it is not called again for this submission. */
const STRIKES = 2;
const RUNAWAY: ReadonlySet<string> = new Set(['timeout', 'crashed', 'out-of-memory', 'exited', 'protocol']);

export function selects(only: string[] | undefined, family: FamilyGrader, check: Check): boolean {
  if (!only || only.length === 0) return true;
  return only.some((o) => o === check.id || o === check.exercise || o === check.catalogue || o === family.id || o === family.module);
}

/** What a failed call did, as the check reports it; an argument written into is named as the stub names it. */
function faultMessage(module: string, name: string, r: { message: string; modified?: number[] }): string {
  if (!r.modified) return r.message;
  const names = parameterNames(module, name);
  const which = r.modified.map((i) => names?.[i] ?? `#${i + 1}`);
  return `modified its argument${which.length > 1 ? 's' : ''} ${which.join(', ')} in place (every exercise returns new values and leaves what it is given unchanged)`;
}

/** The student's module for the checks; an export that ran away STRIKES times fails at once afterwards. */
function studentModule(sandbox: Sandbox, module: string, key: string, cpu: { ms: number }, batched: boolean): StudentModule {
  const strikes = new Map<string, { count: number; fault: StudentFault }>();
  const invoke = async (name: string, args: unknown[]) => {
    const known = strikes.get(name);
    if (known && known.count >= STRIKES) {
      throw new StudentFault(known.fault.kind, name, `not called again: it ${known.fault.message} on ${known.count} earlier calls`);
    }
    const r = await sandbox.call(key, name, args);
    cpu.ms += r.cpuMs;
    if (r.ok) return r;
    const fault = new StudentFault(r.kind, name, faultMessage(module, name, r));
    if (RUNAWAY.has(r.kind)) strikes.set(name, { count: (known?.count ?? 0) + 1, fault });
    throw fault;
  };
  return {
    call: async (name, args) => (await invoke(name, args)).value,
    callCounting: async (name, args) => {
      const r = await invoke(name, args);
      return { value: r.value, calls: r.calls };
    },
    cpuMs: () => cpu.ms,
    // an export with strikes is not batched: one by one, it fails at once as it would
    batch: !batched ? undefined : async (calls) => {
      if (calls.some((c) => (strikes.get(c.name)?.count ?? 0) > 0)) return null;
      const results = await sandbox.callBatch(key, calls);
      if (!results) return null;
      return results.map((r, i) => {
        cpu.ms += r.cpuMs;
        return r.ok ? { ok: true, value: r.value, calls: r.calls } : { ok: false, fault: new StudentFault(r.kind, calls[i].name, faultMessage(module, calls[i].name, r)) };
      });
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

interface ExerciseRun {
  family: FamilyGrader;
  exercise: Exercise;
  checks: Check[];
  /** the student's module for the public checks, and for the hidden ones */
  student: StudentModule;
  hidden: StudentModule;
  /** why the exercise cannot be graded (missing export, module did not load …) */
  problem: string | null;
  reports: Map<Check, CheckReport>;
  notImplemented: boolean;
}

export async function gradeSubmission(opts: GradeOptions): Promise<GradeReport> {
  const started = Date.now();
  const budget = opts.budgetMs ?? SUBMISSION_CPU_BUDGET_MS;
  const cpu = { ms: 0 };
  const runs: ExerciseRun[] = [];
  const hiddenLoads: string[] = [];
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
    const batched = opts.batch ?? true;
    const student = studentModule(opts.sandbox, family.module, file ?? family.module, cpu, batched);
    const hidden = opts.hiddenSandbox ? studentModule(opts.hiddenSandbox, family.module, file ?? family.module, cpu, batched) : student;
    if (opts.hiddenSandbox && !moduleProblem && file) hiddenLoads.push(file);
    for (const exercise of family.exercises) {
      const exChecks = checks.filter((c) => c.exercise === exercise.name);
      if (exChecks.length === 0) continue;
      const problem = moduleProblem ?? exerciseProblem(exercise, exports);
      runs.push({ family, exercise, checks: exChecks, student, hidden, problem, reports: new Map(), notImplemented: false });
    }
  }
  // the hidden process starts and loads the modules while the public checks run (on the other core, where there is one)
  const hiddenSandbox = opts.hiddenSandbox;
  const hiddenReady = hiddenSandbox
    ? (async () => {
        for (const file of hiddenLoads) await hiddenSandbox.load(file, file);
      })()
    : Promise.resolve();
  hiddenReady.catch(() => {}); // awaited below; a process that cannot start is the grader's error there
  const runChecks = async (visibility: Visibility) => {
    for (const run of runs) {
      if (run.problem) continue;
      const returns = (name: string) => returnType(run.family.module, name);
      for (const check of run.checks.filter((c) => c.visibility === visibility)) {
        let report: CheckReport;
        if (run.notImplemented) {
          report = notRun(check, 'not-implemented', `${run.exercise.name} is not implemented`);
        } else if (cpu.ms > budget) {
          report = notRun(check, 'budget', `not run: the submission used up its ${budget / 60_000} min of CPU time`);
        } else {
          const seed = checkSeed(check.id, opts.seeds, check.visibility === 'hidden');
          const student = visibility === 'hidden' ? run.hidden : run.student;
          const outcome: CheckOutcome = await check.run({ student, seed, path: opts.replay, returns, shrink: opts.shrink });
          report = { ...baseReport(check), ...outcome, status: outcome.status, score: outcome.status === 'passed' ? check.points : 0 };
          if (outcome.reason === 'not-implemented' && (outcome.faultIn ?? run.exercise.name) === run.exercise.name) run.notImplemented = true;
        }
        run.reports.set(check, report);
        opts.onProgress?.({ family: run.family, exercise: run.exercise, check, report });
      }
    }
  };
  await runChecks('public');
  await hiddenReady;
  if (runs.some((r) => !r.problem && r.checks.some((c) => c.visibility === 'hidden'))) {
    // the hidden checks meet a process that never saw a public check
    if (!opts.hiddenSandbox) await opts.sandbox.recycle();
    await runChecks('hidden');
  }
  const families: FamilyReport[] = [];
  for (const run of runs) {
    let family = families.find((f) => f.module === run.family.module);
    if (!family) {
      family = { id: run.family.id, module: run.family.module, title: run.family.title, score: 0, max: 0, exercises: [] };
      families.push(family);
    }
    const max = run.checks.reduce((s, c) => s + c.points, 0);
    if (run.problem) {
      const problem = run.problem;
      family.exercises.push({ ...run.exercise, status: 'not-gradable', message: problem, score: 0, max, checks: run.checks.map((c) => notRun(c, 'not-gradable', problem)) });
    } else {
      const reports = run.checks.map((c) => run.reports.get(c)!);
      const score = reports.reduce((s, r) => s + r.score, 0);
      const status: ExerciseStatus = run.notImplemented && score === 0 ? 'not-implemented' : 'graded';
      family.exercises.push({ ...run.exercise, status, ...(status === 'not-implemented' ? { message: 'not implemented' } : {}), score, max, checks: reports });
    }
  }
  for (const f of families) {
    f.score = f.exercises.reduce((s, e) => s + e.score, 0);
    f.max = f.exercises.reduce((s, e) => s + e.max, 0);
  }
  const incidents = [...opts.sandbox.incidents, ...(opts.hiddenSandbox?.incidents ?? [])];
  return {
    submission: opts.submission,
    courseSeed: opts.seeds.courseSeed,
    studentId: opts.seeds.studentId,
    durationMs: Date.now() - started,
    studentCpuMs: Math.round(cpu.ms),
    score: families.reduce((s, f) => s + f.score, 0),
    max: families.reduce((s, f) => s + f.max, 0),
    families,
    isolation: opts.sandbox.isolation(),
    ...(incidents.length > 0 ? { incidents: [...incidents] } : {}),
  };
}
