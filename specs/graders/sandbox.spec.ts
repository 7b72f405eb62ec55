/**
 * The sandbox: what student code can and cannot do from its process, and how the grader
 * survives what it tries. Modules are written as plain .mjs into a temporary folder, the only
 * folder the student process may read. These modules import node:fs and friends, which
 * prepare.ts refuses in a real submission: each wall is proved here on its own.
 */
import { chmodSync, cpSync, mkdtempSync, readdirSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Sandbox } from '../../graders/sandbox/host.ts';
import { running, unitsOf } from '../../graders/sandbox/meter.ts';
import { execFileSync } from 'node:child_process';

const MODULE = `
import fs from 'node:fs';
import v8 from 'node:v8';
const attempt = async (f) => { try { await f(); return 'allowed'; } catch (e) { return e.code ?? e.name; } };
export const readOutside = () => attempt(() => fs.readFileSync('/etc/hostname'));
export const readRepo = (file) => attempt(() => fs.readFileSync(file));
export const write = (dir) => attempt(() => fs.writeFileSync(dir + '/planted.json', '{"score": 100}'));
export const spawn = () => attempt(async () => (await import('node:child_process')).execSync('true'));
export const worker = () => attempt(async () => new (await import('node:worker_threads')).Worker('1', { eval: true }));
export const reach = () => ({
  signal: (() => { try { process.kill(1, 'SIGTERM'); return 'allowed'; } catch (e) { return e.name; } })(),
  send: typeof process.send === 'function' ? (() => { try { process.send({ type: 'result' }); return 'allowed'; } catch (e) { return e.name; } })() : 'absent',
  _send: typeof process._send, channel: typeof process.channel, _channel: typeof process._channel,
  binding: (() => { try { process.binding('fs'); return 'allowed'; } catch (e) { return e.name; } })(),
  builtin: (() => { try { process.getBuiltinModule('node:net'); return 'allowed'; } catch (e) { return e.name; } })(),
  handles: typeof process._getActiveHandles, stdoutSocket: typeof console._stdout, env: Object.keys(process.env),
  fetch: typeof fetch, Request: typeof Request, WebSocket: typeof WebSocket, require: typeof require, // no require in an ES module: prepare.ts need not look for it
  eval: (() => { try { eval('1'); return 'allowed'; } catch (e) { return e.name; } })(),
  Function: (() => { try { new Function('return 1'); return 'allowed'; } catch (e) { return e.name; } })(),
  frozen: (() => { try { Array.prototype.push = () => 0; return 'allowed'; } catch (e) { return e.name; } })(),
});
export const mutate = (x) => { x[0] = 999; return x; };
export const restore = (x) => { x[0] = 5; x[0] = 1; return 0; };
export const addKey = (o) => { o.extra = 1; return 0; };
export const toNegativeZero = (x) => { x[0] = -0; return 0; };
export const nanAgain = (x) => { x[0] = NaN; return 0; };
export const getter = (o) => { Object.defineProperty(o, 'a', { get() { throw new Error('read me'); } }); return 0; };
export const deep = (net) => { net[0].W[0][0] += 1; return 0; };
export const second = (a, b) => { b.push(1); return a; };
export const grow = (x) => { x.length = 5; return 0; };
export const add = (a, b) => a + b;
export const spin = () => { for (;;); };
export const busy = (ms) => { const end = performance.now() + ms; while (performance.now() < end); return 'done'; };
export const never = () => new Promise(() => {});
export const sleep = () => { Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0); return 1; };
export const offHeap = () => { const keep = []; for (;;) { const b = new Float64Array(2e7); b.fill(1); keep.push(b); } };
const hog = [];
// returns, while a chain of promise callbacks it left behind goes on allocating
export const growLater = () => { const grow = () => { hog.push(new Float64Array(2e7).fill(1)); return Promise.resolve().then(grow); }; Promise.resolve().then(grow); return 1; };
export const laterThrow = () => { setTimeout(() => { throw new Error('late'); }, 0); return 1; };
let ticks = 0;
export const startTicking = () => { setInterval(() => ticks++, 1); setTimeout(() => ticks++, 1); return ticks; };
export const ticked = () => ticks;
export const waitInside = async () => { await new Promise((r) => setTimeout(r, 20)); return 'waited'; };
export const apply = (f, x) => [f(x), f(x + 1)];
export const promise = async (x) => x * 2;
export const proto = () => JSON.parse('{"__proto__": {"polluted": 1}, "a": 1}');
export const shared = () => { const a = new Float64Array(1e6); return Array.from({ length: 1000 }, () => a); };
export const longError = () => { throw new Error('\\u001b]52;c;cGF3bmVk\\u0007\\u001b[31m' + 'x'.repeat(5e6)); };
export const longStack = () => { const e = new Error('deep'); e.stack = 'Error: deep\\n' + '/'.repeat(200000) + '\\n    at f (/nowhere/x.js:1:1)'; throw e; };
let seen = 0;
export const counter = () => ++seen;
export const forge = (f) => {
  // with node:fs and node:v8 (refused by prepare.ts), write a well-formed answer with a guessed id
  const body = v8.serialize({ type: 'result', id: 'AAAAAAAAAAAAAAAA', ok: true, value: 1, calls: [2] });
  const frame = Buffer.alloc(4 + body.length); frame.writeUInt32LE(body.length); body.copy(frame, 4);
  fs.writeSync(3, frame);
  return f(1);
};
`;

const scratch: string[] = [];
afterAll(() => scratch.forEach((d) => rmSync(d, { recursive: true, force: true })));
/** A folder the student process can read (it may run as nobody, as prepare.ts's folders allow). */
function tempDir(prefix: string): string {
  const d = realpathSync(mkdtempSync(path.join(tmpdir(), prefix)));
  chmodSync(d, 0o755);
  scratch.push(d);
  return d;
}


describe('sandbox', () => {
  let dir: string;
  let sb: Sandbox;
  let file: string;
  beforeAll(async () => {
    dir = tempDir('dlgrade-sandbox-');
    file = path.join(dir, 'm.mjs');
    writeFileSync(file, MODULE);
    sb = new Sandbox({ readPaths: [dir], callCpuMs: 1500, idleMs: 1500 });
    expect((await sb.load(file, file)).ok).toBe(true);
  });
  afterAll(async () => {
    await sb.close();
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

  it('gives student code no way to the grading channel, the real process, the network globals or code generation', async () => {
    expect(await value('reach')).toEqual({
      signal: 'SandboxViolation',
      send: 'SandboxViolation',
      _send: 'undefined',
      channel: 'undefined',
      _channel: 'undefined',
      binding: 'SandboxViolation',
      builtin: 'SandboxViolation',
      handles: 'undefined',
      stdoutSocket: 'undefined',
      env: [],
      fetch: 'undefined',
      Request: 'undefined',
      WebSocket: 'undefined',
      require: 'undefined',
      eval: 'EvalError',
      Function: 'EvalError',
      frozen: 'TypeError',
    });
  });

  it('a message forged on the channel (by code that got node:fs) answers nothing: the call fails as a protocol violation, the grader goes on', async () => {
    const r = await call('forge', [{ $fn: 'poly', c: [1] }]);
    expect(r).toMatchObject({ ok: false, kind: 'protocol', message: expect.stringMatching(/outside the grading protocol/) });
    expect(await value('add', [2, 3])).toBe(5);
  });

  it('passes inputs by copy, and fails a call that wrote into its arguments (naming their positions), however it wrote', async () => {
    const x = [1, 2, 3];
    expect(await call('mutate', [x])).toMatchObject({ ok: false, kind: 'modified-argument', message: 'modified its argument 1 in place', modified: [0] });
    expect(x).toEqual([1, 2, 3]);
    expect(await call('second', [1, [2]])).toMatchObject({ ok: false, kind: 'modified-argument', modified: [1] });
    for (const [name, args] of [['addKey', [{ a: 1 }]], ['toNegativeZero', [[0]]], ['getter', [{ a: 1 }]], ['deep', [[{ W: [[1]], b: [0] }]]], ['grow', [[1, 2]]]] as const) {
      expect(await call(name, [...args]), name).toMatchObject({ ok: false, kind: 'modified-argument', modified: [0] });
    }
    // written and put back exactly, or NaN for NaN: unchanged
    expect(await value('restore', [[1, 2]])).toBe(0);
    expect(await value('nanAgain', [[NaN]])).toBe(0);
  });

  it('materialises function specs and counts their calls in the runtime; awaits promises', async () => {
    expect(await call('apply', [{ $fn: 'poly', c: [1, 0, 1] }, 2])).toMatchObject({ ok: true, value: [5, 10], calls: [2] });
    expect(await value('promise', [21])).toBe(42);
  });

  it('rebuilds returned values as plain data: "__proto__" stays a key, shared typed arrays count every number', async () => {
    const v = (await value('proto')) as Record<string, unknown>;
    expect(Object.getPrototypeOf(v)).toBe(Object.prototype);
    expect(Object.keys(v)).toEqual(['__proto__', 'a']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const started = performance.now();
    expect(await call('shared')).toMatchObject({ ok: false, kind: 'invalid-output', message: expect.stringMatching(/more than 2000000 entries/) });
    expect(performance.now() - started).toBeLessThan(5000); // refused, not expanded to 8 GB
  });

  it('cuts and strips what a student throws: no escape sequence, a few KB, a located line from a 200 KB stack at once', async () => {
    const r = await call('longError');
    expect(r.ok).toBe(false);
    const message = (r as { message: string }).message;
    expect(message.length).toBeLessThan(3000);
    expect(message).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f-\x9f]/); // eslint-disable-line no-control-regex
    expect(message).toMatch(/^Error: (\]52;c;cGF3bmVk)?(\[31m)?x+… \(\d+ more characters\)/);
    const started = performance.now();
    expect(await call('longStack')).toMatchObject({ ok: false, kind: 'threw', message: expect.stringMatching(/^Error: deep/) });
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('clears the timers a call started when it returns: nothing of the student runs between calls', async () => {
    expect(await value('laterThrow')).toBe(1);
    expect(await value('startTicking')).toBe(0);
    await new Promise((r) => setTimeout(r, 100));
    expect(await value('ticked')).toBe(0);
    expect(await value('waitInside')).toBe('waited'); // a timer inside the call still fires
    expect(await value('add', [2, 3])).toBe(5);
  });

  it('limits a call by the CPU time it uses, then restarts and reloads the module for the next call', async () => {
    const before = sb.starts;
    const r = await call('spin');
    expect(r).toMatchObject({ ok: false, kind: 'timeout', message: 'used more than 1.5 s of CPU time (infinite loop?)' });
    expect(r.cpuMs).toBeGreaterThanOrEqual(1500);
    expect(await value('add', [1, 1])).toBe(2);
    expect(sb.starts).toBe(before + 1);
    expect(await value('busy', [300])).toBe('done'); // well under the limit
  });

  it('fails a call that waits without computing (a promise that never settles, Atomics.wait) after idleMs', async () => {
    for (const name of ['never', 'sleep']) {
      const started = performance.now();
      const r = await call(name);
      expect(r, name).toMatchObject({ ok: false, kind: 'timeout', message: expect.stringMatching(/waited 1\.5 s without computing/) });
      expect(performance.now() - started).toBeLessThan(15_000);
    }
    expect(await value('add', [2, 2])).toBe(4);
  });

  it('recycle() gives a fresh process: module state starts over', async () => {
    expect(await value('counter')).toBe(1);
    expect(await value('counter')).toBe(2);
    await sb.recycle();
    expect(await value('counter')).toBe(1);
  });

  it('stops off-heap allocation (typed arrays are not under the heap cap), during a call and between calls', async () => {
    const big = new Sandbox({ readPaths: [dir], callCpuMs: 20_000, heapMb: 64 });
    try {
      await big.load(file, file);
      expect(await big.call(file, 'offHeap', [])).toMatchObject({ ok: false, kind: 'out-of-memory', message: expect.stringMatching(/used more than \d+ MB of memory/) });
      expect(await big.call(file, 'add', [2, 2])).toMatchObject({ ok: true, value: 4 });
      // returns at once, then grows in promise callbacks: the watchdog stops it while no call is pending
      expect(await big.call(file, 'growLater', [])).toMatchObject({ ok: true, value: 1 });
      for (let i = 0; i < 100 && big.incidents.length === 0; i++) await new Promise((r) => setTimeout(r, 50));
      expect(big.incidents).toEqual([expect.stringMatching(/used more than \d+ MB of memory between calls/)]);
      expect(await big.call(file, 'add', [3, 3])).toMatchObject({ ok: true, value: 6 });
    } finally {
      await big.close();
    }
  });

  it('leaves no process and no runtime copy behind after close()', async () => {
    const s = new Sandbox({ readPaths: [dir] });
    await s.load(file, file);
    expect((await s.call(file, 'add', [1, 2])).ok).toBe(true);
    const mine = readdirSync(tmpdir()).filter((n) => n.startsWith(`dlgrade-${process.pid}-runtime-`));
    const pids = (s as unknown as { child: { pid: number }; nodePid: number });
    const [outer, inner] = [pids.child.pid, pids.nodePid];
    expect(running(inner)).toBe(true);
    await s.close();
    expect(running(outer) || running(inner)).toBe(false);
    const after = readdirSync(tmpdir()).filter((n) => n.startsWith(`dlgrade-${process.pid}-runtime-`));
    expect(after.length).toBe(mine.length - 1);
  });
});

describe('a student process that breaks the protocol', () => {
  const runtime = fileURLToPath(new URL('../../graders/sandbox/runtime', import.meta.url));
  /** a runtime that loads nothing and answers each call by the broken message its name asks for */
  const BROKEN = `
import net from 'node:net';
import { Decoder, encode } from './frames.mjs';
const channel = new net.Socket({ fd: 3, readable: true, writable: true });
const say = (m) => channel.write(encode(m));
const decoder = new Decoder(1e9);
channel.on('data', (chunk) => {
  for (const m of decoder.push(chunk)) {
    if (m.type === 'load') say({ type: 'loaded', id: m.id, ok: true, exports: {} });
    else if (m.name === 'garbage') channel.write(Buffer.from([8, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8]));
    else if (m.name === 'huge') { const h = Buffer.alloc(4); h.writeUInt32LE(2 ** 31); channel.write(h); }
    else if (m.name === 'stray') say({ type: 'result', id: 'not-a-pending-id', ok: true, value: 1, calls: [] });
    else if (m.name === 'fields') say({ type: 'result', id: m.id, ok: true, value: 1, calls: [], score: 100 });
    else if (m.name === 'calls') say({ type: 'result', id: m.id, ok: true, value: 1, calls: [2] });
    else say({ type: 'result', id: m.id, ok: true, value: 1, calls: [] });
  }
});
say({ type: 'ready' });
`;

  // garbage bytes, a header announcing 2 GB, an answer to no request, an extra field, a forged count of calls
  it.each(['garbage', 'huge', 'stray', 'fields', 'calls'])('%s: the call fails as a protocol violation and the process is replaced', async (name) => {
    const dir = tempDir('dlgrade-broken-');
    for (const f of readdirSync(runtime)) cpSync(path.join(runtime, f), path.join(dir, f));
    writeFileSync(path.join(dir, 'child.mjs'), BROKEN);
    const sub = tempDir('dlgrade-broken-sub-');
    writeFileSync(path.join(sub, 'm.mjs'), 'export {};');
    const s = new Sandbox({ readPaths: [sub], runtimeDir: dir });
    try {
      expect((await s.load('m', path.join(sub, 'm.mjs'))).ok).toBe(true);
      const started = s.starts;
      const r = await s.call('m', name, []);
      expect(r).toMatchObject({ ok: false, kind: 'protocol', message: expect.stringMatching(/outside the grading protocol, and was stopped/) });
      if (name === 'huge') expect((r as { message: string }).message).toMatch(/a message of 2147483648 bytes/);
      // the next call starts a new process, which answers
      expect(await s.call('m', 'fine', [])).toMatchObject({ ok: true, value: 1 });
      expect(s.starts).toBe(started + 1);
    } finally {
      await s.close();
    }
  });
});

describe('walls of the operating system', () => {
  it('reads the clock tick and the page size from the auxiliary vector as getconf does', () => {
    const getconf = (name: string) => Number(execFileSync('getconf', [name], { encoding: 'utf8' }).trim());
    expect(unitsOf()).toEqual({ tick: getconf('CLK_TCK'), page: getconf('PAGESIZE') });
  });

  it('names every wall and says why a missing one is missing', () => {
    const s = new Sandbox({ readPaths: [tmpdir()] });
    const walls = s.isolation().walls;
    expect(walls.map((w) => w.name)).toEqual(['process', 'permissions', 'imports', 'user', 'namespaces', 'limits', 'cpu-time', 'parent-death']);
    for (const w of walls) expect(w.detail.length, w.name).toBeGreaterThan(10);
    // CI installs bubblewrap and runs as root: there every wall must stand
    const expected = (process.env.DLGRADE_EXPECT_WALLS ?? '').split(',').filter(Boolean);
    for (const name of expected) expect(walls.find((w) => w.name === name), name).toMatchObject({ active: true });
  });
});
