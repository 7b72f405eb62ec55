/**
 * The TensorFlow.js oracle picks the best backend present (GPU → native → wasm → cpu) and falls
 * back when a package is missing or does not initialise. No GPU or libtensorflow is available
 * here, so the GPU and native paths are exercised with an injected loader and engine.
 */
import { describe, expect, it } from 'vitest';
import { CANDIDATES, explicitPad, f32, fromHWIO, fromNHWC, oracle, run, selectBackend, tf, toHWIO, toNHWC, type Engine } from './support/tf.ts';

function fakeEngine(working: string[]): Engine & { current: string } {
  return {
    current: 'none',
    async setBackend(name: string) {
      if (!working.includes(name)) return false;
      this.current = name;
      return true;
    },
    async ready() {},
    getBackend() {
      return this.current;
    },
  };
}

describe('tfjs backend selection', () => {
  it('prefers tfjs-node-gpu when it loads and its backend starts', async () => {
    const chosen = await selectBackend(async () => undefined, fakeEngine(['tensorflow', 'wasm', 'cpu']));
    expect(chosen.pkg).toBe('@tensorflow/tfjs-node-gpu');
    expect(chosen.skipped).toEqual([]);
  });

  it('falls back to tfjs-node when the GPU package is missing', async () => {
    const load = async (pkg: string) => {
      if (pkg.endsWith('-gpu')) throw new Error(`Cannot find package '${pkg}'`);
    };
    const chosen = await selectBackend(load, fakeEngine(['tensorflow', 'wasm', 'cpu']));
    expect(chosen.pkg).toBe('@tensorflow/tfjs-node');
    expect(chosen.skipped).toEqual([expect.stringMatching(/tfjs-node-gpu.*Cannot find package/)]);
  });

  it('falls back to wasm, then to cpu, when the native packages are absent or do not start', async () => {
    const noNative = async (pkg: string) => {
      if (pkg.includes('tfjs-node')) throw new Error('libtensorflow.so: cannot open shared object file');
    };
    expect((await selectBackend(noNative, fakeEngine(['wasm', 'cpu']))).backend).toBe('wasm');
    const cpu = await selectBackend(noNative, fakeEngine(['cpu']));
    expect(cpu.backend).toBe('cpu');
    expect(cpu.skipped).toHaveLength(3);
    expect(cpu.skipped[2]).toMatch(/wasm.*setBackend\('wasm'\) returned false/);
  });

  it('fails clearly when nothing starts', async () => {
    await expect(selectBackend(async () => undefined, fakeEngine([]), CANDIDATES)).rejects.toThrow(/no TensorFlow.js backend could start/);
  });

  it('on this machine: the chosen backend is the one tfjs runs on, and computes', async () => {
    const chosen = await oracle();
    expect(tf.getBackend()).toBe(chosen.backend);
    expect(CANDIDATES.map((c) => c.backend)).toContain(chosen.backend);
    expect(Array.from(await tf.add(tf.tensor1d([1, 2]), tf.tensor1d([3, 4])).data())).toEqual([4, 6]);
  });
});

describe('layout conversions (C×H×W, F×C×K×K ↔ NHWC, HWIO)', () => {
  // The notes' two-channel example (catalogue, "Worked examples"): channels [[0,1,2],[3,4,5],[6,7,8]]
  // and [[1,2,3],[4,5,6],[7,8,9]] with kernels [[0,1],[2,3]] and [[1,2],[3,4]] give [[56,72],[104,120]].
  const x = [[[0, 1, 2], [3, 4, 5], [6, 7, 8]], [[1, 2, 3], [4, 5, 6], [7, 8, 9]]];
  const W = [[[[0, 1], [2, 3]], [[1, 2], [3, 4]]]];

  it('round-trips images and filters', () => {
    const W2 = [[[[1, 2, 3]], [[4, 5, 6]]], [[[7, 8, 9]], [[10, 11, 12]]], [[[0, 0, 1]], [[1, 0, 0]]]];
    expect(fromNHWC(run(() => toNHWC([x, x.map((c) => c.map((r) => r.map((v) => -v)))])))).toEqual([x, x.map((c) => c.map((r) => r.map((v) => -v)))]);
    expect(fromHWIO(run(() => toHWIO(W2)))).toEqual(W2);
  });

  it("puts channels last and filters in HWIO: tf.conv2d reproduces the notes' example", async () => {
    await oracle();
    const y = fromNHWC(run(() => tf.conv2d(toNHWC([x]), toHWIO(W), 1, explicitPad(0))));
    expect(y).toEqual([[[[56, 72], [104, 120]]]]);
  });
});

describe('f32', () => {
  it('rounds every number to float32 inside arrays and plain objects, null-prototype ones (fc.record) included', () => {
    const rounded = Math.fround(0.1);
    expect(f32({ x: [[0.1]], b: [0.1], stride: 2 })).toEqual({ x: [[rounded]], b: [rounded], stride: 2 });
    expect(f32(Object.assign(Object.create(null), { W: [0.1] })).W).toEqual([rounded]);
    expect(f32([{ x: 0.1 }, 0.1])).toEqual([{ x: rounded }, rounded]);
  });
});
