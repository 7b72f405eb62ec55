/**
 * The three kinds of check (design.md, "Grading") and how each runs.
 *
 * - example: one call on a worked example or an exactly known value, compared with shape-then-allclose;
 * - property: an invariant or metamorphic relation over fast-check inputs; needs no solution;
 * - differential: the student against the reference on random inputs (hidden, instructor side).
 *
 * Properties and differentials run through `fc.check` (not `fc.assert`): a failure is scored,
 * shrunk to a minimal input, and reported with its seed and path so that `--replay` reruns
 * exactly that case. A fault that says the function cannot be exercised at all (not
 * implemented, hung, crashed, exited) stops the check at once instead of shrinking through
 * more timeouts.
 */
import fc from 'fast-check';
import { passesInBatches } from './batching.ts';
import { compare, exact, short } from './compare.ts';
import { studentLine } from './text.ts';
import { diagnose, type Variants } from './diagnose.ts';
import { StudentFault, type Check, type CheckContext, type CheckOutcome, type FaultKind, type StudentModule, type Tolerance, type Visibility } from './types.ts';

/**
 * Student float64 vs expected float64. Two correct implementations may use algebraically equal
 * forms that round differently; textbook forms lose precision to cancellation (tanh near 0,
 * 1 − σ near 1: up to ~1e−8 relative). rtol 1e−7 accepts those, and every wrong formula in
 * fixtures/mutants differs by far more (the mutant specs prove they are rejected).
 */
export const FLOAT64: Tolerance = { rtol: 1e-7, atol: 1e-12 };

/**
 * A derivative against the central difference of the student's own function (h = 1e−5):
 * truncation error ~h²·|f'''|/6 and rounding ~ε·|f|/h ≈ 1e−11·|f| bound the gap by ~1e−8
 * relative on the inputs used (|x| ≤ 10, away from kinks); rtol 1e−5 leaves a wide margin and
 * still rejects a wrong derivative (off by a factor, a sign or an argument: O(1) relative).
 */
export const NUMERIC: Tolerance = { rtol: 1e-5, atol: 1e-7 };

/** Exact arithmetic on integers and sizes. */
export const EXACT: Tolerance = { rtol: 0, atol: 0 };

/** A property's own verdict: thrown by `expectClose`/`expectThat`, shown to the student. */
export class PropertyFailure extends Error {
  constructor(
    message: string,
    readonly expected?: unknown,
    readonly received?: unknown,
    /** the known mistake the received value matches, if any */
    readonly diagnosis?: string,
  ) {
    super(message);
    this.name = 'PropertyFailure';
  }
}

/** "sigmoid(0.5)" — a call as the student would write it, arguments shortened. */
export function callText(name: string, args: unknown[]): string {
  return `${name}(${args.map((a) => short(a)).join(', ')})`;
}

function allFinite(x: unknown): boolean {
  if (typeof x === 'number') return Number.isFinite(x);
  if (Array.isArray(x)) return x.every(allFinite);
  if (x !== null && typeof x === 'object') return Object.values(x).every(allFinite);
  return true;
}

/**
 * Fails the property unless received ≈ expected (shape first, then allclose; NaN never passes).
 * In a property the expected side is often built from the student's own outputs, so it must be
 * finite: otherwise ∞ from the student would "match" ∞ + c built from that same ∞.
 */
export function expectClose(received: unknown, expected: unknown, tol: Tolerance, what: string, variants?: Variants): void {
  if (!allFinite(expected)) throw new PropertyFailure(`${what}: the value to compare with is not finite (${short(expected)})`, expected, received);
  const m = compare(received, expected, tol);
  if (m) throw new PropertyFailure(`${what}${m.at ? ` at ${m.at}` : ''}: ${m.message}`, expected, received, diagnose(received, variants, tol, expected));
}

export function expectThat(condition: boolean, message: string, received?: unknown): void {
  if (!condition) throw new PropertyFailure(message, undefined, received);
}

/** Faults after which another call would only repeat the failure (or the wait). */
const STOPS_THE_CHECK: ReadonlySet<FaultKind> = new Set(['not-implemented', 'timeout', 'crashed', 'out-of-memory', 'exited', 'protocol', 'not-loaded']);

/**
 * A check may use this much of the student process's CPU time (summed over its calls) before it
 * fails as "too slow". CPU time, not wall-clock time: the verdict must not depend on the load.
 */
export const CHECK_CPU_LIMIT_MS = 30_000;

/**
 * Runs of a property beyond numRuns (shrinking a failure) before the shrinking stops and the
 * smallest failing input found so far is reported: a count, so that where the shrinking stops
 * does not depend on the machine. Shrinking the mutants' failures takes at most a few hundred.
 */
export const SHRINK_RUNS = 2000;

interface Base {
  id: string;
  exercise: string;
  catalogue: string;
  title: string;
  hint: string;
  points?: number;
  visibility?: Visibility;
}

/** What the student's code returned last in a check (for "invalid output" messages), and the calls made. */
interface Seen {
  name?: string;
  value?: unknown;
  received: boolean;
  /** the last call of the check's own exercise since `calls` was last cleared, else the last call */
  call?: { name: string; args: unknown[] };
}

/** The student's module, remembering the last value it returned and the last call of `exercise`. */
function recording(student: StudentModule, exercise: string): { student: StudentModule; seen: Seen } {
  const seen: Seen = { received: false };
  const noteCall = (name: string, args: unknown[]) => {
    if (name === exercise || seen.call?.name !== exercise) seen.call = { name, args };
  };
  const note = (name: string, value: unknown) => {
    Object.assign(seen, { name, value, received: true });
    return value;
  };
  return {
    seen,
    student: {
      call: async (name, args) => {
        noteCall(name, args);
        return note(name, await student.call(name, args));
      },
      callCounting: async (name, args) => {
        noteCall(name, args);
        const r = await student.callCounting(name, args);
        note(name, r.value);
        return r;
      },
      cpuMs: student.cpuMs,
    },
  };
}

/** The call a failure was found with, as the student would write it (arguments in full when short). */
function callOf(call: Seen['call']): { call: string } | undefined {
  return call ? { call: `${call.name}(${call.args.map((a) => exact(a)).join(', ')})` } : undefined;
}

function fromError(e: unknown, check: Base, seen: Seen, ctx: CheckContext): CheckOutcome {
  if (e instanceof StudentFault) {
    const elsewhere = e.exportName !== check.exercise;
    if (elsewhere && (e.kind === 'not-implemented' || e.kind === 'not-loaded')) {
      return { status: 'failed', reason: 'dependency', faultIn: e.exportName, message: `needs your ${e.exportName}, which is not implemented yet` };
    }
    const who = elsewhere ? `your ${e.exportName} (used by this check) ` : '';
    return { status: 'failed', reason: e.kind, faultIn: e.exportName, message: `${who}${e.kind === 'not-implemented' ? 'is not implemented' : e.message}` };
  }
  if (e instanceof PropertyFailure) {
    return { status: 'failed', reason: 'property', message: e.message, expected: e.expected, received: e.received, ...(e.diagnosis ? { diagnosis: e.diagnosis } : {}) };
  }
  if (seen.received && seen.name !== undefined) {
    // the check could not use what the student returned (a null where an object with fields belongs …)
    const documented = ctx.returns?.(seen.name);
    const error = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    return {
      status: 'failed',
      reason: 'invalid-output',
      ...(seen.name !== check.exercise ? { faultIn: seen.name } : {}),
      message: `invalid output: ${seen.name} returned ${short(seen.value)}${documented ? `; expected ${documented}` : ''} (the check could not use it: ${studentLine(error, 300)})`,
      received: seen.value,
    };
  }
  throw e; // a bug in the grader itself: let it surface
}

/**
 * `name` must reject `args` with a deliberate Error whose message names the function (as the
 * provided tensor.ts's ArgumentError does: "conv2d: argument 'W' …"). Any throw is not enough: a
 * function that reads past an array it never checked crashes with a TypeError ("Cannot read
 * properties of undefined") without ever validating its arguments.
 */
export async function expectArgumentError(student: StudentModule, name: string, args: unknown[], why: string): Promise<void> {
  let value: unknown;
  try {
    value = await student.call(name, args);
  } catch (e) {
    if (!(e instanceof StudentFault) || e.kind !== 'threw') throw e;
    const thrown = e.message.replace(/ \(at [^()]*\)$/, ''); // the sandbox appends the line that threw
    if (new RegExp(`\\b${name}\\b`).test(thrown)) return;
    throw new PropertyFailure(`${callText(name, args)} threw "${thrown}", which does not name ${name}: a crash, not a check of the arguments (${why})`, `an Error naming ${name}`, thrown);
  }
  throw new PropertyFailure(`${callText(name, args)} returned ${short(value)}; it must throw an Error naming ${name}: ${why}`, `an Error naming ${name}`, value);
}

/** A worked example or exactly known value: one call, compared with the expected value (or required to throw). */
export function example(
  spec: Base &
    ({ args: unknown[]; expected: unknown; tol?: Tolerance; variants?: Variants } | { args: unknown[]; throws: true } | { verify: (student: StudentModule) => Promise<void> }),
): Check {
  return {
    id: spec.id,
    exercise: spec.exercise,
    catalogue: spec.catalogue,
    title: spec.title,
    hint: spec.hint,
    points: spec.points ?? 1,
    visibility: spec.visibility ?? 'public',
    kind: 'example',
    async run(ctx: CheckContext): Promise<CheckOutcome> {
      const { student, seen } = recording(ctx.student, spec.exercise);
      try {
        if ('verify' in spec) {
          await spec.verify(student);
          return { status: 'passed' };
        }
        if ('throws' in spec) {
          await expectArgumentError(student, spec.exercise, spec.args, 'invalid input must be rejected');
          return { status: 'passed' };
        }
        const received = await student.call(spec.exercise, spec.args);
        const tol = spec.tol ?? FLOAT64;
        const m = compare(received, spec.expected, tol);
        if (!m) return { status: 'passed' };
        const diagnosis = diagnose(received, spec.variants, tol, spec.expected);
        return {
          status: 'failed',
          reason: 'mismatch',
          message: `${m.at ? `at ${m.at}: ` : ''}${m.message}`,
          expected: spec.expected,
          received,
          counterexample: spec.args,
          ...callOf({ name: spec.exercise, args: spec.args }),
          ...(diagnosis ? { diagnosis } : {}),
        };
      } catch (e) {
        const outcome = fromError(e, spec, seen, ctx);
        return { ...outcome, ...(outcome.reason === 'dependency' ? {} : callOf(seen.call)), counterexample: 'args' in spec ? spec.args : undefined };
      }
    },
  };
}

/** Why a property stopped calling the student's code before fast-check was done. */
type Stop<T> = { why: 'fault'; fault: StudentFault; input: T } | { why: 'too-slow' } | { why: 'shrunk' };

async function runFastCheck<T>(
  check: Base,
  arbitrary: fc.Arbitrary<T>,
  numRuns: number,
  ctx: CheckContext,
  verify: (input: T, student: StudentModule) => Promise<void>,
): Promise<CheckOutcome> {
  // most checks pass: that is decided in batches, a round trip per stage; any doubt, and call by call
  if (!ctx.path && (await passesInBatches(arbitrary, numRuns, ctx.seed, verify, ctx.student, CHECK_CPU_LIMIT_MS))) return { status: 'passed' };
  const { student, seen } = recording(ctx.student, check.exercise);
  const cpuAtStart = ctx.student.cpuMs?.() ?? 0;
  let stop: Stop<T> | null = null;
  let runs = 0;
  // fast-check's counterexample is the last input that failed (shrinking moves from failure to
  // failure): its call is the call of the last failing run
  let lastFailure: { input: T; error: unknown; call: Seen['call'] } | null = null;
  const prop = fc.asyncProperty(arbitrary, async (input) => {
    if (stop) throw stop; // every later run fails at once: fast-check ends quickly
    if (runs > numRuns + (ctx.shrink === false ? 0 : SHRINK_RUNS)) stop = { why: 'shrunk' };
    else if ((ctx.student.cpuMs?.() ?? 0) - cpuAtStart > CHECK_CPU_LIMIT_MS) stop = { why: 'too-slow' };
    if (stop) throw stop;
    seen.call = undefined;
    try {
      await verify(input, student);
      runs++;
    } catch (e) {
      if (fc.PreconditionFailure.isFailure(e)) throw e; // a skipped input (fc.pre), not a run
      runs++;
      if (e instanceof StudentFault && STOPS_THE_CHECK.has(e.kind)) stop = { why: 'fault', fault: e, input };
      else lastFailure = { input, error: e, call: seen.call };
      throw e;
    }
  });
  const details = await fc.check(prop, { seed: ctx.seed, numRuns, ...(ctx.path ? { path: ctx.path, endOnFailure: true } : {}) });
  if (!details.failed) return { status: 'passed' };
  const stopped = stop as Stop<T> | null;
  if (stopped?.why === 'fault') {
    const outcome = fromError(stopped.fault, check, seen, ctx);
    // the input only matters when this exercise's own code failed on it
    return outcome.reason === 'dependency' || outcome.reason === 'not-implemented' ? outcome : { ...outcome, counterexample: stopped.input, ...callOf(seen.call), seed: ctx.seed };
  }
  const failure = lastFailure as { input: T; error: unknown; call: Seen['call'] } | null;
  if (stopped?.why === 'too-slow' && !failure) {
    return {
      status: 'failed',
      reason: 'too-slow',
      message: `used more than ${CHECK_CPU_LIMIT_MS / 1000} s of CPU time in ${runs} runs of ${numRuns}`,
      seed: ctx.seed,
    };
  }
  if (stopped && failure) {
    // shrinking was cut short: the smallest failure seen so far (no replay path: it is not fast-check's)
    return { ...fromError(failure.error, check, seen, ctx), counterexample: failure.input, ...callOf(failure.call), seed: ctx.seed };
  }
  return {
    ...fromError(details.errorInstance, check, seen, ctx),
    counterexample: (details.counterexample as [T])[0],
    ...callOf(failure?.call),
    seed: ctx.seed,
    path: details.counterexamplePath ?? undefined,
  };
}

/** An invariant or relation that must hold for every generated input; needs no reference solution. */
export function property<T>(
  spec: Base & { arbitrary: fc.Arbitrary<T>; numRuns?: number; verify: (input: T, student: StudentModule) => Promise<void> },
): Check {
  const numRuns = spec.numRuns ?? 100;
  return {
    id: spec.id,
    exercise: spec.exercise,
    catalogue: spec.catalogue,
    title: spec.title,
    hint: spec.hint,
    points: spec.points ?? 1,
    visibility: spec.visibility ?? 'public',
    kind: 'property',
    numRuns,
    run: (ctx) => runFastCheck(spec, spec.arbitrary, numRuns, ctx, spec.verify),
  };
}

/** Student vs reference on random inputs, shrunk to the smallest input on which they differ. */
export function differential<T>(
  spec: Base & {
    arbitrary: fc.Arbitrary<T>;
    numRuns?: number;
    args: (input: T) => unknown[];
    expected: (input: T) => unknown;
    tol?: Tolerance;
    /** known-wrong answers for this input (e.g. the reference run with a wrong convention), to name the mistake */
    variants?: (input: T) => Variants;
  },
): Check {
  const numRuns = spec.numRuns ?? 100;
  const tol = spec.tol ?? FLOAT64;
  return {
    id: spec.id,
    exercise: spec.exercise,
    catalogue: spec.catalogue,
    title: spec.title,
    hint: spec.hint,
    points: spec.points ?? 1,
    visibility: spec.visibility ?? 'hidden',
    kind: 'differential',
    numRuns,
    run: (ctx) =>
      runFastCheck(spec, spec.arbitrary, numRuns, ctx, async (input, student) => {
        const args = spec.args(input);
        const received = await student.call(spec.exercise, args);
        // the expected side is the reference's (trusted): ±∞ is a legitimate value here, NaN never passes
        const expected = spec.expected(input);
        const m = compare(received, expected, tol);
        if (m) {
          const diagnosis = diagnose(received, spec.variants?.(input), tol, expected);
          throw new PropertyFailure(`${callText(spec.exercise, args)} differs from the reference${m.at ? ` at ${m.at}` : ''}: ${m.message}`, expected, received, diagnosis);
        }
      }),
  };
}
