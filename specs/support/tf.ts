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
import type { Filters, Image } from '../../reference/tensor.ts';

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

/** Rounds every number to float32, as tfjs will on input, inside arrays and plain objects (a spec case { x, W, b, stride, … }; fc.record's have a null prototype). */
export function f32<T>(x: T): T {
  if (typeof x === 'number') return Math.fround(x) as T;
  if (Array.isArray(x)) return x.map((v) => f32(v)) as T;
  if (x !== null && typeof x === 'object' && [Object.prototype, null].includes(Object.getPrototypeOf(x))) {
    return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, f32(v)])) as T;
  }
  return x;
}

/** Runs `fn` in a tidy scope and returns its result as plain nested arrays (numbers for scalars). */
export function run<T extends tf.Tensor | tf.Tensor[]>(fn: () => T): T extends tf.Tensor[] ? unknown[] : unknown {
  return tf.tidy(() => {
    const out = fn();
    return (Array.isArray(out) ? out.map((t) => t.arraySync()) : out.arraySync()) as never;
  });
}

// ---------------------------------------------------------------------------------------------
// Layouts (design.md, "Data"): the course's C×H×W images and F×C×KH×KW filters ↔ tfjs's NHWC
// tensors and HWIO filters. Every spec converts here, nowhere else.

/** C×H×W → H×W×C (one NHWC example). */
export function chwToHwc(x: Image): number[][][] {
  return x[0].map((row, i) => row.map((_, j) => x.map((channel) => channel[i][j])));
}

/** H×W×C → C×H×W. */
export function hwcToChw(y: number[][][]): Image {
  return y[0][0].map((_, c) => y.map((row) => row.map((pixel) => pixel[c])));
}

/** A batch of C×H×W images as one NHWC tensor. */
export function toNHWC(xs: Image[]): tf.Tensor4D {
  return tf.tensor4d(xs.map(chwToHwc));
}

/** An NHWC result (plain arrays from `run`) back to a batch of C×H×W images. */
export function fromNHWC(y: unknown): Image[] {
  return (y as number[][][][]).map(hwcToChw);
}

/**
 * F×C×KH×KW → HWIO [KH, KW, C, F], tf.conv2d's filter. The same tensor is tf.conv2dTranspose's
 * filter [KH, KW, outC, inC] for the transposed convolution of this forward conv (C×H×W output
 * from an F-channel input): conv2dTranspose is the input gradient of conv2d with that filter.
 */
export function toHWIO(w: Filters): tf.Tensor4D {
  const [F, C, KH, KW] = [w.length, w[0].length, w[0][0].length, w[0][0][0].length];
  const hwio = Array.from({ length: KH }, (_, i) =>
    Array.from({ length: KW }, (_, j) => Array.from({ length: C }, (_, c) => Array.from({ length: F }, (_, f) => w[f][c][i][j]))),
  );
  return tf.tensor4d(hwio);
}

/** HWIO plain arrays (a filter gradient from tf.grads) back to F×C×KH×KW. */
export function fromHWIO(y: unknown): Filters {
  const hwio = y as number[][][][];
  const [KH, KW, C, F] = [hwio.length, hwio[0].length, hwio[0][0].length, hwio[0][0][0].length];
  return Array.from({ length: F }, (_, f) =>
    Array.from({ length: C }, (_, c) => Array.from({ length: KH }, (_, i) => Array.from({ length: KW }, (_, j) => hwio[i][j][c][f]))),
  );
}

/**
 * Symmetric zero padding p as tfjs's explicit NHWC form. Numeric `pad = p` has a shape bug for
 * non-square kernels or unequal strides (tfjs-notes §2), so specs always pass this instead.
 */
export function explicitPad(ph: number, pw = ph): [[0, 0], [number, number], [number, number], [0, 0]] {
  return [[0, 0], [ph, ph], [pw, pw], [0, 0]];
}

/**
 * tf.maxPoolWithArgmax's `indexes` for one NHWC example ([1, OH, OW, C], includeBatchInIndex
 * false: flat (y·W + x)·C + c over the whole H×W×C input) → the course's switches C×OH×OW (flat
 * y·W + x inside channel c's H×W map): idx = (y·W + x)·C + c, so y·W + x = (idx − c)/C.
 */
export function argmaxToSwitches(indexes: unknown): number[][][] {
  const [img] = indexes as number[][][][];
  const C = img[0][0].length;
  return hwcToChw(img).map((channel, c) =>
    channel.map((row) =>
      row.map((idx) => {
        if ((idx - c) % C !== 0) throw new Error(`argmaxToSwitches: index ${idx} does not belong to channel ${c} of ${C}`);
        return (idx - c) / C;
      }),
    ),
  );
}

/**
 * Runs `fn` on another registered backend, then back on the oracle's. For the values a backend
 * gets wrong or lacks (tfjs-backend-wasm 4.22: conv2d 'same' with spare room, no
 * Conv2DBackpropFilter, max-pool ties and FLT_MIN): the spec says which kernel it used.
 */
export async function onBackend<T>(name: string, fn: () => T): Promise<T> {
  const { backend } = await oracle();
  if (name === 'wasm') await import('@tensorflow/tfjs-backend-wasm'); // registers it when the oracle chose another backend
  if (!(await tf.setBackend(name))) throw new Error(`tf.setBackend('${name}') failed`);
  try {
    return fn();
  } finally {
    await tf.setBackend(backend);
  }
}

// ---------------------------------------------------------------------------------------------
// Recurrent layouts (family M) are converted by reference/gate-layouts.ts (toLayout/fromLayout,
// plain float64 arrays, every framework's gate order named there), not here.
