/**
 * Grading a folder of submissions (one sub-folder per student, named by the student's id). Each
 * submission gets its own transpiled copy and its own sandboxed child process, exactly as
 * `dlgrade grade --submission` does, and is graded inside a worker process (batch-worker.ts),
 * `jobs` workers at a time, each fed one student after another. Student code is hostile, and
 * the sandbox is the first wall; the worker is the second: whatever happens while grading one
 * student (the worker crashes, runs out of memory, or stops making progress) ends that worker,
 * not the batch. The student gets a grader-error row and a fresh worker takes the next one.
 * A submission the grader could not run is recorded as an error, never as a zero.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { chmodSync, lstatSync, mkdtempSync, readdirSync, realpathSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gradeSubmission, selects, type GradeReport, type ProgressEvent, type TypeCheckReport } from './engine/grade.ts';
import type { FamilyGrader } from './engine/types.ts';
import { loadFamilies, loadHidden } from './families.ts';
import { cleanUpOnSignals, track } from './sandbox/cleanup.ts';
import { Sandbox } from './sandbox/host.ts';
import { running } from './sandbox/meter.ts';
import { prepareSubmission } from './sandbox/prepare.ts';
import { TypeChecker, typeProblems, type TypeCheck } from './sandbox/typecheck.ts';
import { sandboxTmpdir } from './sandbox/walls.ts';
import { DEFAULT_PROGRESS_TIMEOUT_MS } from './defaults.ts';

export interface GradeDirectoryOptions {
  families: FamilyGrader[];
  courseSeed: number;
  /** the student's id for per-student hidden seeds (with `secret`) */
  studentId?: string;
  secret?: string;
  only?: string[];
  replay?: string;
  /** how the report names the submission */
  label: string;
  onProgress?: (e: ProgressEvent) => void;
  /** false: no type check (default: the submission is type-checked beside the grading) */
  typeCheck?: boolean;
  /** a module with type errors is not gradable (the type check then runs before the grading) */
  strictTypes?: boolean;
  /** the type checker to use (a watching grader keeps one); default: one for this submission */
  typeChecker?: TypeChecker;
  /**
   * Called with the type check's outcome when it is done, instead of waiting for it: the report
   * comes back as soon as the checks are graded, without `typeCheck` (watch mode prints the check
   * changes at once and the type errors after). Only with a `typeChecker` of the caller's (one
   * made here ends with the call), and not with strictTypes, which needs the check first.
   */
  onTypeCheck?: (t: TypeCheckReport) => void;
}

/**
 * One submission folder, graded in its own sandbox: the families with a check selected are
 * transpiled and graded, the public checks in one student process, the hidden ones in another
 * that starts and loads the modules while the public checks run (it never sees one of them).
 */
export async function gradeDirectory(dir: string, o: GradeDirectoryOptions): Promise<GradeReport> {
  const checker = o.typeCheck === false ? undefined : (o.typeChecker ?? new TypeChecker()); // its process starts on a cache miss
  try {
    return await gradePrepared(dir, o, checker);
  } finally {
    if (checker !== o.typeChecker) checker?.close();
  }
}

async function gradePrepared(dir: string, o: GradeDirectoryOptions, checker: TypeChecker | undefined): Promise<GradeReport> {
  const graded = o.families.filter((f) => f.checks.some((c) => selects(o.only, f, c)));
  const prepared = prepareSubmission(dir, graded.map((f) => f.module)); // tracked by cleanup.ts until cleanup()
  const input = prepared.typeCheckInput();
  const typing = checker?.check(input); // beside the grading, on the other core where there is one
  const problems = o.strictTypes && typing ? { ...typeProblems(await typing, Object.keys(input.modules)), ...prepared.problems } : prepared.problems;
  const sandboxOptions = { readPaths: [prepared.root], displayPath: prepared.displayPath };
  const sandbox = new Sandbox(sandboxOptions);
  const hidden = graded.some((f) => f.checks.some((c) => c.visibility === 'hidden' && selects(o.only, f, c)));
  const hiddenSandbox = hidden ? new Sandbox(sandboxOptions) : undefined;
  try {
    const report = await gradeSubmission({
      submission: o.label,
      families: graded,
      modules: prepared.modules,
      problems,
      sandbox,
      hiddenSandbox,
      seeds: { courseSeed: o.courseSeed, studentId: o.studentId, secret: o.secret },
      only: o.only,
      replay: o.replay,
      onProgress: o.onProgress,
    });
    if (typing) {
      const summary = (t: TypeCheck): TypeCheckReport => ({ errors: t.errors, ...(t.incomplete ? { incomplete: t.incomplete } : {}), ...(o.strictTypes ? { strict: true } : {}) });
      // only a checker that outlives this call may finish later
      if (o.onTypeCheck && o.typeChecker && !o.strictTypes) void typing.then((t) => o.onTypeCheck?.(summary(t)));
      else report.typeCheck = summary(await typing);
    }
    return report;
  } finally {
    await Promise.all([sandbox.close(), hiddenSandbox?.close()]);
    prepared.cleanup();
  }
}

export interface StudentResult {
  student: string;
  report?: GradeReport;
  /** the report was kept from an earlier run (--resume), not graded again */
  kept?: boolean;
  /** why the grader could not grade this submission (its fault, not the student's) */
  error?: string;
}

/**
 * The student folders of `root`, sorted. Hidden folders, loose files, symbolic links (a link to
 * another student's folder would grade it twice) and the `exclude` folder (the results of an
 * earlier run written inside the class folder) are not submissions.
 */
export function studentFolders(root: string, exclude?: string): string[] {
  const skip = exclude === undefined ? undefined : realpathOrSelf(exclude);
  return readdirSync(root)
    .filter((n) => !n.startsWith('.') && n !== 'node_modules' && lstatSync(path.join(root, n)).isDirectory())
    .filter((n) => realpathOrSelf(path.join(root, n)) !== skip)
    .sort();
}

function realpathOrSelf(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return path.resolve(p);
  }
}

/** How every student of a batch is graded: plain data, sent to the workers over IPC. */
export interface JobOptions {
  courseSeed: number;
  secret?: string;
  only?: string[];
  /** the public checks only (the workers load the families themselves: checks are functions) */
  publicOnly?: boolean;
  /** --strict-types: a module with type errors is not gradable */
  strictTypes?: boolean;
}

/** What the grader sends a worker: one student to grade (trusted, grader to grader). */
export interface StudentJob {
  student: string;
  dir: string;
  options: JobOptions;
  /**
   * The temp folder of this job: the worker makes its temp folders (the transpiled copy) in it,
   * and the grader removes it after the job, also when the worker was killed before it could.
   */
  tmp: string;
}

/** What a worker sends back: ready once loaded, then per student a progress message per check done and the outcome. */
type Reply =
  | { type: 'ready' }
  | { type: 'progress'; check: string }
  | { type: 'report'; report: GradeReport }
  | { type: 'error'; error: string };

/** Grades one job in a worker, calling `progress` with each check's id as it is done. */
export type JobHandler = (job: StudentJob, progress: (check: string) => void) => Promise<GradeReport>;

/** The worker's real handler: the student's folder graded by {@link gradeDirectory}. */
export async function gradeJob(job: StudentJob, progress: (check: string) => void): Promise<GradeReport> {
  const o = job.options;
  return gradeDirectory(job.dir, {
    families: await loadFamilies(Boolean(o.publicOnly)),
    courseSeed: o.courseSeed,
    secret: o.secret,
    only: o.only,
    label: job.student,
    studentId: job.student,
    strictTypes: o.strictTypes,
    onProgress: (e) => progress(e.check.id),
  });
}

/**
 * The worker's side: answers each job it is sent with `handle`. A signal releases what the
 * grading holds (cleanup.ts) before the worker ends; so does the grader going away (the IPC
 * channel closes), since nobody is left to read the report. The hidden checks, the slowest part
 * of the grader to load, are loaded before the worker says it is ready: the progress timeout
 * then measures grading alone.
 */
export async function serve(handle: JobHandler): Promise<void> {
  cleanUpOnSignals();
  process.on('disconnect', () => process.exit(0)); // 'exit' disposes what is tracked
  process.on('message', (job: StudentJob) => void answer(handle, job));
  await loadHidden();
  reply({ type: 'ready' });
}

async function answer(handle: JobHandler, job: StudentJob): Promise<void> {
  process.env.TMPDIR = job.tmp; // os.tmpdir(), for this job (one at a time)
  try {
    reply({ type: 'report', report: await handle(job, (check) => reply({ type: 'progress', check })) });
  } catch (e) {
    reply({ type: 'error', error: firstLine(e) });
  }
}

/** Sends `m` to the grader; a grader that is gone makes the worker exit ('disconnect'), not throw. */
function reply(m: Reply): void {
  process.send?.(m, undefined, undefined, () => {});
}

const firstLine = (e: unknown) => (e instanceof Error ? e.message : String(e)).split('\n')[0];

const HERE = fileURLToPath(import.meta.url);
/** The worker gradeFolder forks unless told otherwise: precompiled beside this module when the grader is (bin/build.js), else its source. */
const WORKER = path.join(path.dirname(HERE), HERE.endsWith('.mjs') ? 'batch-worker.mjs' : 'batch-worker.ts');
/** Node's options for a worker module: tsx for TypeScript (found by location: the grader may run from any folder). */
const workerNodeOptions = (module: string) => (module.endsWith('.ts') ? ['--import', pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href] : []);
/** Each worker's heap cap (MB): a grading that runs away in memory ends in its worker, as a crash. */
const WORKER_HEAP_MB = 4096;
/** Loading the grader in a fresh worker takes seconds (tsx transpiles it); this bounds a worker that never gets there. */
const WORKER_START_MS = 2 * 60_000;
/** Between SIGTERM (the worker releases what it holds: cleanup.ts) and SIGKILL. */
const TERM_GRACE_MS = 2000;

type Outcome = Pick<StudentResult, 'report' | 'error'>;

/**
 * One worker process: grades the students it is sent, one at a time, until it ends or is stopped.
 * It leads a process group of its own (detached), and whenever it ends, the group is killed: the
 * student processes it started end with it, whatever they were doing.
 */
class Worker {
  private readonly child: ChildProcess;
  private readonly exited: Promise<void>;
  private readonly untrack: () => void;
  /** how the worker ended ("exit code 1", "signal SIGKILL"), once it has */
  ended?: string;
  /** the temp folder of the job in hand */
  private tmp?: string;
  private onReply: (m: Reply) => void = () => {};
  private onEnd: () => void = () => {};

  constructor(module: string) {
    this.child = fork(module, [], { execArgv: [...workerNodeOptions(module), `--max-old-space-size=${WORKER_HEAP_MB}`], detached: true });
    this.exited = new Promise((resolve) => this.child.once('exit', () => resolve()));
    this.child.once('exit', (code, signal) => {
      this.killGroup();
      this.end(signal ? `signal ${signal}` : `exit code ${code}`);
    });
    // a send to a worker that just died: its exit is what counts; a worker that could not be started never exits
    this.child.on('error', (e) => this.child.pid === undefined && this.end(e.message));
    this.child.on('message', (m: Reply) => this.onReply(m));
    this.untrack = track({ disposeSync: () => this.stopSync() });
  }

  private end(how: string): void {
    if (this.ended) return;
    this.ended = how;
    this.untrack();
    this.onEnd();
  }

  /** Waits until the worker has loaded the grader: null, or why it could not. */
  start(): Promise<string | null> {
    return this.listen<string | null>(
      WORKER_START_MS,
      (m) => (m.type === 'ready' ? null : undefined),
      () => `it did not start within ${duration(WORKER_START_MS)}`,
      (how) => how,
    );
  }

  /** Grades one student; a worker that crashes, or makes no progress for `progressTimeoutMs` (then it is stopped), cannot be used again. */
  async grade(job: Omit<StudentJob, 'tmp'>, progressTimeoutMs: number): Promise<Outcome> {
    // named like every temp folder of this grader, so that a later run sweeps it if this one is killed;
    // readable by all, as the student process may run as nobody (walls.ts)
    this.tmp = mkdtempSync(path.join(sandboxTmpdir(), `dlgrade-${process.pid}-job-`));
    chmodSync(this.tmp, 0o755);
    try {
      return await this.gradeIn({ ...job, tmp: this.tmp }, progressTimeoutMs);
    } finally {
      this.removeTmp();
    }
  }

  private async gradeIn(job: StudentJob, progressTimeoutMs: number): Promise<Outcome> {
    const outcome = this.listen<Outcome & { stop?: true }>(
      progressTimeoutMs,
      (m) => (m.type === 'report' ? { report: m.report } : m.type === 'error' ? { error: m.error } : undefined),
      () => ({ error: `the grader made no progress for ${duration(progressTimeoutMs)}`, stop: true }),
      (how) => ({ error: `the grader crashed while grading this submission (${how})` }),
    );
    this.child.send(job, () => {});
    const { stop, ...result } = await outcome;
    if (stop) await this.stop();
    return result;
  }

  /**
   * Follows the worker's replies until `settle` turns one into a result, and resolves with it;
   * or with `silent()` once `ms` pass without a reply (each reply re-arms the wait); or with
   * `ended(how)` if the worker ends first.
   */
  private listen<T>(ms: number, settle: (m: Reply) => T | undefined, silent: () => T, ended: (how: string) => T): Promise<T> {
    return new Promise((resolve) => {
      if (this.ended) return resolve(ended(this.ended));
      const finish = (result: T) => {
        clearTimeout(timer);
        this.onReply = () => {};
        this.onEnd = () => {};
        resolve(result);
      };
      const timer = setTimeout(() => finish(silent()), ms);
      this.onReply = (m) => {
        timer.refresh();
        const result = settle(m);
        if (result !== undefined) finish(result);
      };
      this.onEnd = () => finish(ended(this.ended!));
    });
  }

  /** SIGTERM, so that the worker releases what it holds (cleanup.ts); SIGKILL if it has not ended after a grace period. */
  async stop(): Promise<void> {
    if (this.ended || this.child.pid === undefined) return;
    this.child.kill('SIGTERM');
    const kill = setTimeout(() => this.killGroup(), TERM_GRACE_MS);
    await this.exited;
    clearTimeout(kill);
  }

  /** {@link stop}, synchronously: the grader itself is ending (a signal, its exit). */
  private stopSync(): void {
    if (this.ended || this.child.pid === undefined) return;
    this.child.kill('SIGTERM');
    // the event loop does not turn here, so an ended worker stays a zombie (its pid is not reused)
    const until = Date.now() + TERM_GRACE_MS;
    while (Date.now() < until && running(this.child.pid)) sleepSync(20);
    this.killGroup();
    this.removeTmp();
  }

  /**
   * SIGKILL to the worker and every process left in its group. The kernel keeps the worker's pid
   * for the group while it has members; once it is empty, this finds nothing.
   */
  private killGroup(): void {
    try {
      process.kill(-this.child.pid!, 'SIGKILL');
    } catch {
      // no process left in the group
    }
  }

  private removeTmp(): void {
    if (this.tmp) rmSync(this.tmp, { recursive: true, force: true });
    this.tmp = undefined;
  }
}

const sleepSync = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

const duration = (ms: number) => (ms % 60_000 === 0 ? `${ms / 60_000} min` : `${Number((ms / 1000).toFixed(1))} s`);

export interface GradeFolderOptions extends JobOptions {
  /** students graded at the same time, each in a worker process of its own */
  jobs: number;
  /** a folder inside `root` that is not a student (where the results go) */
  exclude?: string;
  /** the outcome kept from an earlier run (--resume): the student is not graded again */
  previous?: (student: string) => Outcome | undefined;
  onStudent?: (result: StudentResult, done: number, total: number) => void;
  /** a student's grading starts (not called for one kept from an earlier run) */
  onStart?: (student: string) => void;
  /** the worker module to fork (specs inject faults with their own): default batch-worker.ts */
  worker?: string;
  /** a student's grading that makes no progress this long is a grader error (default 10 min) */
  progressTimeoutMs?: number;
}

export async function gradeFolder(root: string, o: GradeFolderOptions): Promise<StudentResult[]> {
  const students = studentFolders(root, o.exclude);
  const results: StudentResult[] = new Array(students.length);
  const options: JobOptions = { courseSeed: o.courseSeed, secret: o.secret, only: o.only, publicOnly: o.publicOnly, strictTypes: o.strictTypes };
  let next = 0;
  let done = 0;
  /** A lane grades one student at a time in its worker, and starts a fresh worker when that one has ended. */
  const lane = async () => {
    let worker: Worker | undefined;
    const grade = async (student: string): Promise<Outcome> => {
      if (!worker || worker.ended) {
        worker = new Worker(o.worker ?? WORKER);
        const failed = await worker.start();
        if (failed !== null) {
          await worker.stop();
          return { error: `the grader could not start a worker process (${failed})` };
        }
      }
      return worker.grade({ student, dir: path.join(root, student), options }, o.progressTimeoutMs ?? DEFAULT_PROGRESS_TIMEOUT_MS);
    };
    try {
      while (next < students.length) {
        const i = next++;
        const kept = o.previous?.(students[i]);
        if (!kept) o.onStart?.(students[i]);
        results[i] = { student: students[i], ...(kept ? { ...kept, kept: true } : await grade(students[i])) };
        o.onStudent?.(results[i], ++done, students.length);
      }
    } finally {
      await worker?.stop();
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(o.jobs, students.length)) }, lane));
  return results;
}
