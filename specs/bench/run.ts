/**
 * npm run bench — ratios measured in one run, never absolute claims:
 *   1. reference vs the tfjs cpu backend on the same inputs, for a few ops;
 *   2. full (2n evaluations) vs directional (2 evaluations) gradient checks as n grows.
 * Each timing is the median of repeated runs after a warm-up. Not part of npm test.
 */
import * as tf from '@tensorflow/tfjs';
import * as A from '../../reference/activations.ts';
import * as S from '../../reference/gradcheck.ts';

function median(xs: number[]): number {
  const s = xs.slice().sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Median milliseconds per call of fn, over enough repetitions to fill ~250 ms. */
function time(fn: () => unknown): number {
  for (let i = 0; i < 3; i++) fn();
  const samples: number[] = [];
  const until = performance.now() + 250;
  while (samples.length < 5 || (performance.now() < until && samples.length < 200)) {
    const t0 = performance.now();
    fn();
    samples.push(performance.now() - t0);
  }
  return median(samples);
}

function row(cells: (string | number)[]): string {
  return cells.map((c, i) => (typeof c === 'number' ? c.toPrecision(3) : c).toString().padStart(i === 0 ? 0 : 16).padEnd(i === 0 ? 34 : 0)).join('');
}

const rand = (n: number, seed = 1) => Array.from({ length: n }, (_, i) => Math.sin(i * 12.9898 + seed) * 8);

await tf.setBackend('cpu');
await tf.ready();
console.log(`reference (float64, plain arrays) vs tfjs ${tf.version.tfjs} on its cpu backend (float32), same inputs`);
console.log(row(['op', 'reference ms', 'tfjs-cpu ms', 'ref / tfjs']));
const n = 100_000;
const x = rand(n);
const xt = tf.tensor1d(x);
const rows = Array.from({ length: 1000 }, (_, i) => rand(100, i));
const rowsT = tf.tensor2d(rows);
const cases: [string, () => unknown, () => unknown][] = [
  [`sigmoid, ${n} values`, () => x.map(A.sigmoid), () => tf.tidy(() => tf.sigmoid(xt).dataSync())],
  [`tanh, ${n} values`, () => x.map(A.tanh), () => tf.tidy(() => tf.tanh(xt).dataSync())],
  [`softplus, ${n} values`, () => x.map(A.softplus), () => tf.tidy(() => tf.softplus(xt).dataSync())],
  ['softmax, 1000 rows × 100', () => rows.map(A.softmax), () => tf.tidy(() => tf.softmax(rowsT).dataSync())],
  ['logSumExp, 1000 rows × 100', () => rows.map(A.logSumExp), () => tf.tidy(() => tf.logSumExp(rowsT, 1).dataSync())],
];
for (const [name, ref, tfjs] of cases) {
  const [r, t] = [time(ref), time(tfjs)];
  console.log(row([name, r, t, r / t]));
}

console.log('\ngradient checks on f(x) = Σ sin((i+1)x_i) + ½‖x‖²: full (2n evaluations) vs directional (2)');
console.log(row(['dimension n', 'full ms', 'directional ms', 'full / dir.']));
const f = (v: number[]) => v.reduce((s, vi, i) => s + Math.sin((i + 1) * vi) + 0.5 * vi * vi, 0);
for (const dim of [10, 100, 1000]) {
  const p = rand(dim, 3).map((v) => v / 8);
  const dir = rand(dim, 5).map((v) => v / 8);
  const grad = p.map((vi, i) => (i + 1) * Math.cos((i + 1) * vi) + vi);
  const [full, directional] = [time(() => S.gradientCheck(f, grad, p)), time(() => S.directionalCheck(f, grad, p, dir))];
  console.log(row([String(dim), full, directional, full / directional]));
}
