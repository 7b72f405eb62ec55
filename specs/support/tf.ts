/**
 * The TensorFlow.js oracle: one module picks the best backend present, in this order
 *   @tensorflow/tfjs-node-gpu (CUDA) → @tensorflow/tfjs-node → @tensorflow/tfjs-backend-wasm → cpu.
 * The native packages are optionalDependencies (their install downloads libtensorflow and fails
 * offline), so any of them may be missing: each candidate that does not load or initialise is
 * skipped. Specs put the chosen backend's label in their describe() names.
 *
 * tfjs has no float64: inputs are rounded to float32 before they reach a kernel. Cross-checks
 * therefore evaluate the float64 reference at the same float32-rounded inputs (`f32`), so the
 * remaining gap is tfjs's own float32 arithmetic (see tolerances.ts).
 *
 * Layout conversions between the course's plain arrays and tfjs tensors live here too.
 */
import * as tf from '@tensorflow/tfjs';

export { tf };

export interface Candidate {
  label: string;
  /** package to import first (it registers the backend); none for the bundled cpu backend */
  pkg?: string;
  backend: string;
}

export const CANDIDATES: readonly Candidate[] = [
  { label: 'tensorflow (tfjs-node-gpu, CUDA)', pkg: '@tensorflow/tfjs-node-gpu', backend: 'tensorflow' },
  { label: 'tensorflow (tfjs-node)', pkg: '@tensorflow/tfjs-node', backend: 'tensorflow' },
  { label: 'wasm (tfjs-backend-wasm)', pkg: '@tensorflow/tfjs-backend-wasm', backend: 'wasm' },
  { label: 'cpu (tfjs, pure JS)', backend: 'cpu' },
];

export interface Engine {
  setBackend(name: string): Promise<boolean>;
  ready(): Promise<void>;
  getBackend(): string;
}

/** The first candidate that imports and initialises; `load` and `engine` are injectable for the spec of this fallback. */
export async function selectBackend(
  load: (pkg: string) => Promise<unknown> = (pkg) => import(pkg),
  engine: Engine = tf,
  candidates: readonly Candidate[] = CANDIDATES,
): Promise<Candidate & { skipped: string[] }> {
  const skipped: string[] = [];
  for (const c of candidates) {
    try {
      if (c.pkg) await load(c.pkg);
      if (!(await engine.setBackend(c.backend))) throw new Error(`setBackend('${c.backend}') returned false`);
      await engine.ready();
      return { ...c, skipped };
    } catch (e) {
      skipped.push(`${c.label}: ${(e as Error).message.split('\n')[0]}`);
    }
  }
  throw new Error(`no TensorFlow.js backend could start:\n${skipped.join('\n')}`);
}

let chosen: ReturnType<typeof selectBackend> | undefined;

/** The backend all specs share (selected once per worker). */
export function oracle(): ReturnType<typeof selectBackend> {
  chosen ??= selectBackend();
  return chosen;
}

/** Rounds every number to float32, as tfjs will on input. */
export function f32<T>(x: T): T {
  if (typeof x === 'number') return Math.fround(x) as T;
  if (Array.isArray(x)) return x.map((v) => f32(v)) as T;
  return x;
}

/** Runs `fn` in a tidy scope and returns its result as plain nested arrays (numbers for scalars). */
export function run<T extends tf.Tensor | tf.Tensor[]>(fn: () => T): T extends tf.Tensor[] ? unknown[] : unknown {
  return tf.tidy(() => {
    const out = fn();
    return (Array.isArray(out) ? out.map((t) => t.arraySync()) : out.arraySync()) as never;
  });
}
