/**
 * A property's runs in batches: one round trip to the student process per stage instead of one
 * per call. Every round trip costs a context switch between two processes (tens of µs here, most
 * of the grader's time when a check makes hundreds of calls), so the runs of a check are evaluated
 * together: all of them start at once against a student module whose calls are queued, and each
 * time the runs have all asked for what they need, the queue goes to the student process in one
 * message. A run that needs the answer of an earlier call (a backward pass checked against the
 * student's own forward) simply asks again: the next stage, the next message.
 *
 * This only ever decides that a check passed. The inputs are exactly those fc.check draws for the
 * seed (its stream of values does not depend on verdicts or skips); a check passes when the first
 * numRuns runs that are not skipped (fc.pre) all pass, in fast-check's order. Anything else — a
 * failing run, a batch that did not answer (too slow as a whole, a crash), too many skips — and the
 * check runs call by call through fc.check as before, which finds, shrinks and reports the failure
 * exactly as it would have: the same seed and path, the same counterexample, the same report.
 */
import fc from 'fast-check';
import type { StudentModule } from './types.ts';

/** How many inputs a check may draw, in batches, to find numRuns runs that are not skipped. */
const MAX_DRAWS_PER_RUN = 4;

/** The first `count` inputs fc.check draws from `arbitrary` with `seed`. */
function inputsOf<T>(arbitrary: fc.Arbitrary<T>, seed: number, count: number): T[] {
  const inputs: T[] = [];
  fc.check(
    fc.property(arbitrary, (x) => {
      inputs.push(x);
    }),
    { seed, numRuns: count },
  );
  return inputs;
}

/** Thrown to the runs still waiting when a batch did not answer: the check is then run call by call. */
class Abandoned extends Error {
  override name = 'Abandoned';
}

/** The student's module for runs evaluated together: calls are queued and sent as one batch per stage. */
class Batching implements StudentModule {
  private queue: { name: string; args: unknown[]; resolve: (r: { value: unknown; calls: number[] }) => void; reject: (e: unknown) => void }[] = [];
  abandoned = false;

  constructor(private readonly student: StudentModule & Required<Pick<StudentModule, 'batch'>>) {}

  call = async (name: string, args: unknown[]) => (await this.enqueue(name, args)).value;
  callCounting = (name: string, args: unknown[]) => this.enqueue(name, args);
  cpuMs = () => this.student.cpuMs?.() ?? 0;

  private enqueue(name: string, args: unknown[]): Promise<{ value: unknown; calls: number[] }> {
    if (this.abandoned) return Promise.reject(new Abandoned());
    return new Promise((resolve, reject) => {
      // once every run has gone as far as it can without an answer (the microtasks are done)
      if (this.queue.length === 0) setImmediate(() => void this.flush());
      this.queue.push({ name, args, resolve, reject });
    });
  }

  private async flush(): Promise<void> {
    const batch = this.queue;
    this.queue = [];
    const answers = this.abandoned ? null : await this.student.batch(batch.map(({ name, args }) => ({ name, args })));
    if (!answers) {
      this.abandoned = true;
      for (const c of batch) c.reject(new Abandoned());
      return;
    }
    answers.forEach((a, i) => (a.ok ? batch[i].resolve({ value: a.value, calls: a.calls }) : batch[i].reject(a.fault)));
  }
}

/**
 * True when the check's runs all pass, evaluated in batches; false when that cannot be said this
 * way (the caller then runs the check call by call).
 */
export async function passesInBatches<T>(
  arbitrary: fc.Arbitrary<T>,
  numRuns: number,
  seed: number,
  verify: (input: T, student: StudentModule) => Promise<void>,
  student: StudentModule,
  cpuLimitMs: number,
): Promise<boolean> {
  if (!student.batch) return false;
  const batching = new Batching(student as StudentModule & Required<Pick<StudentModule, 'batch'>>);
  const cpuAtStart = batching.cpuMs();
  let drawn = 0;
  let passes = 0;
  while (passes < numRuns) {
    // enough draws for the runs still needed, allowing for as many skips as so far
    const want = drawn === 0 ? numRuns : Math.min(numRuns * MAX_DRAWS_PER_RUN, drawn + 2 * (numRuns - passes));
    if (want <= drawn) return false;
    const inputs = inputsOf(arbitrary, seed, want).slice(drawn);
    drawn = want;
    const outcomes = await Promise.all(
      inputs.map((x) =>
        verify(x, batching).then(
          () => 'pass' as const,
          (e) => (fc.PreconditionFailure.isFailure(e) ? ('skip' as const) : ('fail' as const)),
        ),
      ),
    );
    if (batching.abandoned || batching.cpuMs() - cpuAtStart > cpuLimitMs) return false;
    for (const o of outcomes) {
      if (o === 'fail') return false;
      if (o === 'pass' && ++passes === numRuns) return true;
    }
  }
  return true;
}
