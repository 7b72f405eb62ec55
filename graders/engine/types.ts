/**
 * The grading model (see design.md, "Grading").
 *
 * A family grader declares the exercises of one catalogue family (the exported functions of
 * exercises/<module>.ts) and its checks. A check belongs to one exercise, has points, a
 * visibility, a kind and a hint citing the catalogue id, and runs against the student's module
 * through a {@link StudentModule}: the student's code never runs in the grader's process.
 */

export type Visibility = 'public' | 'hidden';
export type Kind = 'example' | 'property' | 'differential';

/** rtol/atol of allclose: |received − expected| ≤ atol + rtol·|expected|. */
export interface Tolerance {
  rtol: number;
  atol: number;
}

export interface Exercise {
  /** exported function name, e.g. 'sigmoid' */
  name: string;
  /** catalogue id, e.g. 'A1' */
  catalogue: string;
  /** number of parameters in the contract (the function's declared arity) */
  arity: number;
  /** one line: what the function computes */
  summary: string;
}

/** What went wrong when the student's code was called (see sandbox/host.ts). */
export type FaultKind =
  | 'threw'
  | 'not-implemented'
  | 'timeout'
  | 'crashed'
  | 'out-of-memory'
  | 'exited'
  | 'invalid-output'
  | 'protocol'
  | 'not-loaded'
  /** returned, but wrote into an argument (every exercise is a function of its arguments) */
  | 'modified-argument';

export class StudentFault extends Error {
  constructor(
    readonly kind: FaultKind,
    /** the export that was being called */
    readonly exportName: string,
    message: string,
  ) {
    super(message);
    this.name = 'StudentFault';
  }
}

/** The student's module as the checks see it: plain data in, plain data out. */
export interface StudentModule {
  /** Calls export `name` with `args`; resolves to its (validated, plain) return value or throws StudentFault. */
  call(name: string, args: unknown[]): Promise<unknown>;
  /** Like call, and also returns how many times each function argument (a `{ $fn }` spec) was invoked. */
  callCounting(name: string, args: unknown[]): Promise<{ value: unknown; calls: number[] }>;
  /** CPU time the student's code has used so far in this submission (ms), where it is measured */
  cpuMs?(): number;
  /**
   * Several calls in one round trip, answered in order; null when the batch as a whole did not
   * answer (the calls must then be made one by one, which gives each its own verdict).
   */
  batch?(calls: { name: string; args: unknown[] }[]): Promise<BatchAnswer[] | null>;
}

export type BatchAnswer = { ok: true; value: unknown; calls: number[] } | { ok: false; fault: StudentFault };

export interface CheckContext {
  student: StudentModule;
  seed: number;
  /** fast-check replay path (from a previous failure report) */
  path?: string;
  /** what an export of this family is documented to return ("{ dW: Matrix; db: Vector }"), for messages */
  returns?: (exercise: string) => string | undefined;
  /** false: a failing property reports the first failing input it drew, without shrinking it (GradeOptions.shrink) */
  shrink?: boolean;
}

export type CheckStatus = 'passed' | 'failed';

export type FailureReason =
  | 'mismatch'
  | 'property'
  | 'dependency'
  | 'too-slow'
  | FaultKind;

export interface CheckOutcome {
  status: CheckStatus;
  reason?: FailureReason;
  message?: string;
  expected?: unknown;
  received?: unknown;
  /** the (shrunk) input that shows the failure */
  counterexample?: unknown;
  /** the student's call that failed on it, as written in code: "adamStep([0.1], [1], { … }, { … })" */
  call?: string;
  seed?: number;
  path?: string;
  /** the export whose fault failed the check (may differ from the check's exercise) */
  faultIn?: string;
  /** the known mistake the wrong value matches (e.g. "the sign of δ flipped") */
  diagnosis?: string;
}

export interface Check {
  id: string;
  exercise: string;
  catalogue: string;
  title: string;
  points: number;
  visibility: Visibility;
  kind: Kind;
  hint: string;
  /** property/differential: fast-check runs (shown in reports) */
  numRuns?: number;
  run(ctx: CheckContext): Promise<CheckOutcome>;
}

export interface FamilyGrader {
  /** catalogue family letter, e.g. 'A' */
  id: string;
  /** file name in exercises/ without extension, e.g. 'activations' */
  module: string;
  title: string;
  exercises: Exercise[];
  /** public checks: they need no reference code and ship with the student package */
  checks: Check[];
}

/**
 * Which walls stood between the student's code and the machine during a run (sandbox/walls.ts):
 * every report carries it, so that an instructor can tell what held where grading ran.
 */
export interface Isolation {
  walls: Wall[];
}

export interface Wall {
  /** short name: 'process', 'permissions', 'imports', 'user', 'namespaces', 'limits', 'cpu-time' … */
  name: string;
  active: boolean;
  /** what the wall does when active, or why it is not */
  detail: string;
}
