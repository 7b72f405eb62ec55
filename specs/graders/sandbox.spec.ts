/**
 * The sandbox: what student code can and cannot do from its process, and how the grader
 * recovers. Modules are written as plain .mjs into a temporary folder, the only folder the
 * student process may read.
 */
import { mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Sandbox } from '../../graders/sandbox/host.ts';

const MODULE = `
import fs from 'node:fs';
const attempt = async (f) => { try { await f(); return 'allowed'; } catch (e) { return e.code ?? e.name; } };
export const readOutside = () => attempt(() => fs.readFileSync('/etc/hostname'));
export const readRepo = (file) => attempt(() => fs.readFileSync(file));
export const write = (dir) => attempt(() => fs.writeFileSync(dir + '/planted.json', '{"score": 100}'));
export const spawn = () => attempt(async () => (await import('node:child_process')).execSync('true'));
export const worker = () => attempt(async () => new (await import('node:worker_threads')).Worker('1', { eval: true }));
export const signal = () => attempt(() => process.kill(process.ppid, 'SIGTERM'));
export const env = () => Object.keys(process.env);
export const mutate = (x) => { x[0] = 999; return x; };
export const add = (a, b) => a + b;
export const slowThenFine = (ms) => { const end = Date.now() + ms; while (Date.now() < end); return 'done'; };
export const offHeap = () => { const keep = []; for (;;) { const b = new Float64Array(2e7); b.fill(1); keep.push(b); } };
export const laterThrow = () => { setTimeout(() => { throw new Error('late'); }, 0); return 1; };
export const apply = (f, x) => [f(x), f(x + 1)];
export const promise = async (x) => x * 2;
`;

describe('sandbox', () => {
  let dir: string;
  let sb: Sandbox;
  let file: string;
  beforeAll(async () => {
    dir = realpathSync(mkdtempSync(path.join(tmpdir(), 'dlgrade-sandbox-')));
    file = path.join(dir, 'm.mjs');
    writeFileSync(file, MODULE);
    sb = new Sandbox({ readPaths: [dir], callTimeoutMs: 1500 });
    expect((await sb.load(file, file)).ok).toBe(true);
  });
  afterAll(async () => {
    await sb.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const call = (name: string, args: unknown[] = []) => sb.call(file, name, args);
  const value = async (name: string, args: unknown[] = []) => {
    const r = await call(name, args);
    if (!r.ok) throw new Error(`${name}: ${r.kind} ${r.message}`);
    return r.value;
  };

  it('denies reading outside the submission (reference/, hidden checks, system files), writing, spawning and workers', async () => {
    expect(await value('readOutside')).toBe('ERR_ACCESS_DENIED');
    expect(await value('readRepo', [path.resolve('reference/activations.ts')])).toBe('ERR_ACCESS_DENIED');
    expect(await value('readRepo', [path.resolve('graders/hidden/index.ts')])).toBe('ERR_ACCESS_DENIED');
    expect(await value('write', [dir])).toBe('ERR_ACCESS_DENIED');
    expect(await value('spawn')).toBe('ERR_ACCESS_DENIED');
    expect(await value('worker')).toBe('ERR_ACCESS_DENIED');
  });

  it('cannot signal the grader, and sees an empty environment (no course secret)', async () => {
    expect(await value('signal')).toBe('SandboxViolation');
    expect(await value('env')).toEqual([]);
  });

  it('passes inputs by copy: mutating them changes nothing on the grader side', async () => {
    const x = [1, 2, 3];
    expect(await value('mutate', [x])).toEqual([999, 2, 3]);
    expect(x).toEqual([1, 2, 3]);
  });

  it('materialises function specs and counts their calls; awaits promises', async () => {
    expect(await sb.call(file, 'apply', [{ $fn: 'poly', c: [1, 0, 1] }, 2])).toEqual({ ok: true, value: [5, 10], calls: [2] });
    expect(await value('promise', [21])).toBe(42);
  });

  it('survives an error thrown later by a stray timer', async () => {
    expect(await value('laterThrow')).toBe(1);
    await new Promise((r) => setTimeout(r, 50));
    expect(await value('add', [2, 3])).toBe(5);
  });

  it('fails a call that hangs, then restarts and reloads the module for the next call', async () => {
    const before = sb.starts;
    expect(await call('slowThenFine', [5000])).toMatchObject({ ok: false, kind: 'timeout' });
    expect(await value('add', [1, 1])).toBe(2);
    expect(sb.starts).toBe(before + 1);
    expect(await sb.call(file, 'slowThenFine', [10], 1000)).toMatchObject({ ok: true, value: 'done' });
  });

  it('stops off-heap allocation (typed arrays are not under the heap cap) before it hurts the machine', async () => {
    const big = new Sandbox({ readPaths: [dir], callTimeoutMs: 20_000, heapMb: 64 });
    try {
      await big.load(file, file);
      expect(await big.call(file, 'offHeap', [])).toMatchObject({ ok: false, kind: 'out-of-memory', message: expect.stringMatching(/used more than \d+ MB of memory/) });
      expect(await big.call(file, 'add', [2, 2])).toMatchObject({ ok: true, value: 4 });
    } finally {
      await big.close();
    }
  });
});
