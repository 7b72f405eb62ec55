/**
 * npm run bench — ratios measured in one run, never absolute claims:
 *   1. reference vs the tfjs cpu backend on the same inputs, for a few ops;
 *   2. full (2n evaluations) vs directional (2 evaluations) gradient checks as n grows.
 *   3. reference conv2d / conv2dBackward vs tfjs cpu (family J);
 *   4. grading through the command line as people meet it (whole processes, wall-clock): --help,
 *      one exercise, the whole reference, a class of 4 with --jobs 1 and 2 (submissions a
 *      minute), a save in dlgrade watch; then the cost of the operating system's walls (student
 *      process start and grading, with and without).
 * Each timing is the median of repeated runs after a warm-up. Not part of npm test.
 */
import * as tf from '@tensorflow/tfjs';
import * as A from '../../reference/activations.ts';
import * as S from '../../reference/gradcheck.ts';
import * as Jconv from '../../reference/convolution.ts';
import { appendFileSync, chmodSync, cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { spawn, spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gradeDirectory } from '../../graders/batch.ts';
import { Sandbox } from '../../graders/sandbox/host.ts';
import { detectTools, redetect } from '../../graders/sandbox/walls.ts';
import { PACKAGE_ROOT } from '../../graders/cli.ts';
import { FAMILIES, loadHidden, withHidden } from '../../graders/families.ts';
import { explicitPad, toHWIO, toNHWC } from '../support/tf.ts';

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

{
  // J: reference conv2d / conv2dBackward vs tfjs cpu, a batch of 8 images 3×32×32, 16 filters 3×3, stride 1, pad 1
  await tf.setBackend('cpu');
  console.log('\nconvolution (family J): batch 8 × 3×32×32, 16 filters 3×3, stride 1, pad 1; reference maps over the batch');
  console.log(row(['op', 'reference ms', 'tfjs-cpu ms', 'ref / tfjs']));
  const img = (seed: number) => Array.from({ length: 3 }, (_, c) => Array.from({ length: 32 }, (_, i) => rand(32, seed * 997 + c * 32 + i)));
  const xs = Array.from({ length: 8 }, (_, k) => img(k));
  const W = Array.from({ length: 16 }, (_, f) => Array.from({ length: 3 }, (_, c) => Array.from({ length: 3 }, (_, i) => rand(3, 5000 + f * 9 + c * 3 + i).map((v) => v / 8))));
  const b = rand(16, 77);
  const douts = xs.map((_, k) => Array.from({ length: 16 }, (_, f) => Array.from({ length: 32 }, (_, i) => rand(32, 9000 + k * 512 + f * 32 + i))));
  const xT = toNHWC(xs);
  const wT = toHWIO(W);
  const bT = tf.tensor1d(b);
  const dT = toNHWC(douts);
  const pads = explicitPad(1);
  const grads = tf.grads((a: tf.Tensor, w: tf.Tensor, bb: tf.Tensor) => tf.add(tf.conv2d(a as tf.Tensor4D, w as tf.Tensor4D, 1, pads), bb));
  const convCases: [string, () => unknown, () => unknown][] = [
    ['conv2d forward', () => xs.map((x1) => Jconv.conv2d(x1, W, b, 1, 1)), () => tf.tidy(() => tf.add(tf.conv2d(xT, wT, 1, pads), bT).dataSync())],
    ['conv2dBackward (dx, dW, db)', () => xs.map((x1, k) => Jconv.conv2dBackward(douts[k], x1, W, 1, 1)), () => tf.tidy(() => grads([xT, wT, bT], dT).map((g) => g.dataSync()))],
  ];
  for (const [name, ref, tfjs] of convCases) {
    const [r, t] = [time(ref), time(tfjs)];
    console.log(row([name, r, t, r / t]));
  }
}

{
  // grading, as people meet it: the command line (the precompiled grader, bin/build.js), whole
  // processes, wall-clock; a class of four copies of the reference
  const families = withHidden(FAMILIES, await loadHidden());
  const checks = families.reduce((n, f) => n + f.checks.length, 0);
  const root = mkdtempSync(path.join(tmpdir(), 'dlgrade-bench-'));
  chmodSync(root, 0o755); // the student process may run as nobody
  const students = ['s1', 's2', 's3', 's4'];
  for (const s of students) {
    mkdirSync(path.join(root, s));
    for (const f of readdirSync(path.join(PACKAGE_ROOT, 'reference'))) cpSync(path.join(PACKAGE_ROOT, 'reference', f), path.join(root, s, f));
  }
  const DLGRADE = path.join(PACKAGE_ROOT, 'graders', 'bin', 'dlgrade.js');
  /** Best wall-clock seconds of `runs` runs of dlgrade with `args`. */
  const dlgrade = (runs: number, ...args: string[]) => {
    spawnSync(process.execPath, [DLGRADE, '--help'], { stdio: 'ignore' }); // the build of this version of the sources exists
    const times = Array.from({ length: runs }, () => {
      const t0 = performance.now();
      const r = spawnSync(process.execPath, [DLGRADE, ...args], { stdio: 'ignore' });
      if (r.status !== 0) throw new Error(`dlgrade ${args.join(' ')}: exit ${r.status}`);
      return (performance.now() - t0) / 1000;
    });
    return Math.min(...times);
  };
  const s1 = path.join(root, 's1');
  console.log('\nthe command line, whole process, wall-clock (best of three; one run for the whole submission and the class):');
  console.log(row(['dlgrade --help', dlgrade(3, '--help'), '', '']));
  console.log(row(['one exercise (--only sigmoid)', dlgrade(3, 'grade', '--submission', s1, '--only', 'sigmoid'), '', '']));
  console.log(row(['  the same, public checks only', dlgrade(3, 'grade', '--submission', s1, '--only', 'sigmoid', '--public-only'), '', '']));
  const whole = dlgrade(1, 'grade', '--submission', s1);
  console.log(row([`the whole reference (${checks} checks)`, whole, '', '']));
  {
    // where that time goes: the grader's own CPU (this process) and the student process's (metered)
    const cpu0 = process.cpuUsage();
    const r = await gradeDirectory(s1, { families, courseSeed: 1, label: 's1' });
    const cpu = process.cpuUsage(cpu0);
    console.log(row(['  CPU: grader s, student s', (cpu.user + cpu.system) / 1e6, (r.studentCpuMs ?? 0) / 1000, '(in-process run)']));
  }
  const out = path.join(root, 'out');
  const classOf = (jobs: number) => dlgrade(1, 'grade', '--submissions', root, '--out', out, '--jobs', String(jobs));
  const [c1, c2] = [classOf(1), classOf(2)];
  console.log(row([`a class of ${students.length}, --jobs 1`, c1, `${((60 * students.length) / c1).toFixed(1)}/min`, '']));
  console.log(row([`a class of ${students.length}, --jobs 2`, c2, `${((60 * students.length) / c2).toFixed(1)}/min`, `${(c1 / c2).toFixed(2)}× jobs 1`]));

  // the student loop: dlgrade watch, from a save to the printed round (three saves of pooling.ts, median)
  {
    const watcher = spawn(process.execPath, [DLGRADE, 'watch', '--submission', s1, '--no-color'], { stdio: ['ignore', 'pipe', 'ignore'] });
    let text = '';
    watcher.stdout.on('data', (d: Buffer) => (text += d.toString()));
    const until = async (re: RegExp, from: number) => {
      while (!re.test(text.slice(from))) await new Promise((r) => setTimeout(r, 5));
      return text.length;
    };
    let at = await until(/watching/, 0);
    const rounds: number[] = [];
    for (let i = 0; i < 3; i++) {
      const t0 = performance.now();
      appendFileSync(path.join(s1, 'pooling.ts'), `\n// save ${i}\n`);
      at = await until(/pooling\.ts changed: graded K/, at);
      rounds.push((performance.now() - t0) / 1000);
    }
    watcher.kill('SIGINT');
    console.log(row(['dlgrade watch: a save of pooling.ts', median(rounds), '', '(26 checks)']));
  }

  // the cost of the walls of the operating system (walls.ts: setpriv, prlimit, bubblewrap; the
  // walls inside Node are always on): the same grading and the same process start, with and without
  const seconds = async (fn: () => Promise<unknown>) => {
    const t0 = performance.now();
    await fn();
    return (performance.now() - t0) / 1000;
  };
  const walls = async (on: boolean) => {
    if (on) delete process.env.DLGRADE_OS_WALLS;
    else process.env.DLGRADE_OS_WALLS = 'off';
    const active = redetect().bwrap !== undefined && !detectTools().bwrapProblem;
    const start = await seconds(async () => {
      for (let i = 0; i < 5; i++) {
        const sb = new Sandbox({ readPaths: [s1] });
        await sb.call('m', 'x', []);
        await sb.close();
      }
    });
    const grading = await seconds(() => gradeDirectory(s1, { families, courseSeed: 1, label: 's1', only: ['A', 'H', 'S'] }));
    return { active, start: start / 5, grading };
  };
  const [on1, off1, on2, off2] = [await walls(true), await walls(false), await walls(true), await walls(false)];
  delete process.env.DLGRADE_OS_WALLS;
  redetect();
  const [on, off] = [{ start: Math.min(on1.start, on2.start), grading: Math.min(on1.grading, on2.grading) }, { start: Math.min(off1.start, off2.start), grading: Math.min(off1.grading, off2.grading) }];
  console.log(`\nthe walls of the operating system (${on1.active ? 'bubblewrap, ' : ''}setpriv, prlimit), best of two runs each:`);
  console.log(row(['', 'with walls s', 'without s', 'with / without']));
  console.log(row(['start a student process', on.start, off.start, on.start / off.start]));
  console.log(row(['grade families A, H, S', on.grading, off.grading, on.grading / off.grading]));
  rmSync(root, { recursive: true, force: true });
}
