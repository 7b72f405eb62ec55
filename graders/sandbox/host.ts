/**
 * The grader's side of the sandbox: one student process behind the walls of walls.ts, which
 * loads the submission's modules and answers calls over a channel of its own (fd 3, frames.mjs).
 *
 * - Nothing from the student process is trusted. Each message's size is bounded before it is
 *   buffered, its content is checked against the protocol (an answer to the one request in
 *   flight, with the fields that answer has); anything else stops the process and fails the
 *   request as a protocol violation. Returned values are rebuilt as plain data under a budget
 *   (plain.ts); error names, messages, stacks and printed output are cut and stripped of escape
 *   sequences (engine/text.ts) before they go anywhere.
 * - Limits that do not depend on the load: on Linux a call may use `callCpuMs` of the process's
 *   CPU time (read from /proc, meter.ts), and a call that waits `idleMs` without computing
 *   (asleep, not starved) is hung. A wall-clock backstop (`wallMs`) remains for what CPU time
 *   cannot see; a call that runs out of it is retried once on a fresh process before it fails,
 *   so that a saturated machine cannot cost a point. Where there is no /proc, `callCpuMs` is a
 *   wall-clock limit, with the same retry. Resident memory is watched at all times, not only
 *   during calls (typed arrays live outside the heap cap).
 * - Recovery: a crash, hang, exit or out-of-memory fails the request in flight with what
 *   happened; the next request starts a fresh process, which imports again each module that had
 *   loaded when a call first needs it.
 *   `recycle()` does the same on purpose (the hidden checks run in a process that never saw a
 *   public check). No process outlives `close()`, and cleanup.ts kills them if the grader ends
 *   any other way.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Duplex } from 'node:stream';
import type { FaultKind, Isolation } from '../engine/types.ts';
import { LONG_TEXT_LIMIT, studentLine, studentText } from '../engine/text.ts';
import { track } from './cleanup.ts';
import { canMeter, descendants, running, sample } from './meter.ts';
import { InvalidOutput, toPlain } from './plain.ts';
import { detectTools, isolation, launch, sandboxTmpdir } from './walls.ts';
import { inPackage } from '../root.ts';
import { Decoder, encode } from './runtime/frames.mjs';
import { isFunctionSpec } from './runtime/functions.mjs';

const RUNTIME_DIR = inPackage('graders', 'sandbox', 'runtime');

/** The largest message the grader reads from a student process (the runtime refuses larger ones first). */
const MAX_MESSAGE_BYTES = 33 * 1024 * 1024;
/** How often the watchdog samples the student process. */
const TICK_MS = 50;
/** A tick later than this means the grader itself was busy: that interval says nothing about the student. */
const LATE_TICK_MS = 250;
/** A batch of calls may use the CPU time of this many single calls before it is abandoned (and its calls made one by one). */
const BATCH_CPU_CALLS = 2;
/** Export names a module may have (the course's modules have at most a few dozen). */
const MAX_EXPORTS = 2000;
/** Arguments a call can have (the course's functions take at most a handful). */
const MAX_ARGUMENTS = 64;

export interface SandboxOptions {
  /** folders the student process may read (the transpiled submission) */
  readPaths: string[];
  /** CPU time a call may use (wall-clock time where it cannot be measured) */
  callCpuMs?: number;
  /** CPU time loading a module may use */
  loadCpuMs?: number;
  /** a request asleep (not starved) this long without using CPU is hung */
  idleMs?: number;
  /** wall-clock backstop per request; running out of it is retried once on a fresh process */
  wallMs?: number;
  heapMb?: number;
  /** map a transpiled path back to the name the student knows, for messages */
  displayPath?: (file: string) => string;
  /** another runtime folder (specs start a runtime that breaks the protocol, to prove the grader survives it) */
  runtimeDir?: string;
}

export type ExportInfo = Record<string, { kind: string; length: number }>;

export type LoadResult = { ok: true; exports: ExportInfo } | { ok: false; kind: FaultKind; message: string };

export type CallResult =
  | { ok: true; value: unknown; calls: number[]; cpuMs: number }
  | { ok: false; kind: FaultKind; message: string; cpuMs: number; modified?: number[] };

type Reply = Record<string, unknown>;

/** 'wall' is internal: the wall-clock backstop ran out, and the request may be retried. */
interface Fault {
  fault: FaultKind | 'wall';
  message: string;
}

function isFault(x: Reply | Fault): x is Fault {
  return typeof (x as Fault).fault === 'string';
}

interface Pending {
  kind: 'load' | 'call' | 'batch';
  /** function specs among the arguments of each call: the reply must count the calls of each */
  functions: number[];
  cpuLimitMs: number;
  startWall: number;
  /** the student process's CPU time when the request was sent (the watchdog's last sample), and at the last progress */
  startCpu: number | null;
  lastCpu: number | null;
  idleMs: number;
  /** CPU time used so far, filled in when the request settles */
  cpuMs: number;
  resolve: (msg: Reply | Fault) => void;
}

/** The sandbox itself could not run (not the student's fault): grading stops with an error. */
export class SandboxUnavailable extends Error {
  override name = 'SandboxUnavailable';
}

const permissionFlag = Number(process.versions.node.split('.')[0]) >= 23 ? '--permission' : '--experimental-permission';

const isRecord = (x: unknown): x is Record<string, unknown> => x !== null && typeof x === 'object' && !Array.isArray(x) && Object.getPrototypeOf(x) === Object.prototype;
const hasOnly = (x: Record<string, unknown>, keys: string[]) => Object.keys(x).every((k) => keys.includes(k));
const isCount = (x: unknown): x is number => typeof x === 'number' && Number.isSafeInteger(x) && x >= 0;

function countFunctions(x: unknown): number {
  if (isFunctionSpec(x)) return 1;
  if (Array.isArray(x)) return x.reduce((s: number, v) => s + countFunctions(v), 0);
  if (isRecord(x)) return Object.values(x).reduce((s: number, v) => s + countFunctions(v), 0);
  return 0;
}

function validError(e: unknown): boolean {
  return isRecord(e) && hasOnly(e, ['name', 'message', 'stack']) && typeof e.name === 'string' && typeof e.message === 'string' && typeof e.stack === 'string';
}

/** Argument positions, ascending, at most MAX_ARGUMENTS of them. */
const isPositions = (x: unknown): boolean => Array.isArray(x) && x.length > 0 && x.length <= MAX_ARGUMENTS && x.every((v, i) => isCount(v) && v < MAX_ARGUMENTS && (i === 0 || v > (x[i - 1] as number)));

/** One call's answer: `{ ok: true, value, calls, cpu[, modified] }` or `{ ok: false, error, cpu[, unserializable] }`, with `also` fields. */
function validResult(msg: Record<string, unknown>, functions: number, also: string[]): boolean {
  if (!hasOnly(msg, [...also, 'ok', 'value', 'calls', 'error', 'unserializable', 'cpu', 'modified'])) return false;
  if (msg.cpu !== undefined && !(typeof msg.cpu === 'number' && msg.cpu >= 0 && msg.cpu < 1e9)) return false;
  if (msg.ok === false) return validError(msg.error) && msg.calls === undefined && msg.modified === undefined && (msg.unserializable === undefined || msg.unserializable === true);
  return msg.ok === true && Array.isArray(msg.calls) && msg.calls.length === functions && msg.calls.every(isCount) && msg.error === undefined && (msg.modified === undefined || isPositions(msg.modified));
}

/** Is `msg` the answer `p` waits for, with exactly the fields of that answer? */
function validReply(msg: Reply, p: Pending): boolean {
  if (p.kind === 'load') {
    if (msg.type !== 'loaded' || !hasOnly(msg, ['type', 'id', 'ok', 'exports', 'error'])) return false;
    if (msg.ok === false) return validError(msg.error) && msg.exports === undefined;
    if (msg.ok !== true || !isRecord(msg.exports) || msg.error !== undefined) return false;
    const entries = Object.entries(msg.exports);
    return entries.length <= MAX_EXPORTS && entries.every(([, v]) => isRecord(v) && hasOnly(v, ['kind', 'length']) && typeof v.kind === 'string' && v.kind.length < 20 && isCount(v.length));
  }
  if (p.kind === 'call') return msg.type === 'result' && validResult(msg, p.functions[0], ['type', 'id']);
  if (msg.type !== 'batched' || !hasOnly(msg, ['type', 'id', 'ok', 'results'])) return false;
  if (msg.ok === false) return msg.results === undefined;
  const results = msg.results;
  return msg.ok === true && Array.isArray(results) && results.length === p.functions.length && results.every((r, i) => isRecord(r) && validResult(r, p.functions[i], []));
}

export class Sandbox {
  private child: ChildProcess | null = null;
  private channel: Duplex | null = null;
  /** the Node process itself (bubblewrap runs it as a grandchild of `child`) */
  private nodePid: number | null = null;
  private ready: Promise<void> | null = null;
  private readonly pending = new Map<string, Pending>();
  private readonly ids: string[] = [];
  /** modules that loaded once (key → file), and those imported by the process running now */
  private readonly loaded = new Map<string, string>();
  private readonly live = new Set<string>();
  private readonly failed = new Map<string, LoadResult>();
  private output = '';
  private watchdog: NodeJS.Timeout | null = null;
  private lastTick = 0;
  /** the watchdog's last look at the student process (null before the first, or without /proc) */
  private lastSample: ReturnType<typeof sample> = null;
  private runtimeCopy: string | null = null;
  private untrack: (() => void) | null = null;
  private readonly metered = canMeter();
  /** how many student processes were started (1 + restarts) */
  starts = 0;
  /** what happened between requests (memory grown by a timer left running …), for the report */
  readonly incidents: string[] = [];
  readonly callCpuMs: number;
  readonly loadCpuMs: number;
  readonly idleMs: number;
  readonly wallMs: number;
  readonly heapMb: number;
  readonly rssLimitKb: number;

  constructor(private readonly opts: SandboxOptions) {
    this.callCpuMs = opts.callCpuMs ?? 2000;
    this.loadCpuMs = opts.loadCpuMs ?? 10_000;
    this.idleMs = opts.idleMs ?? 5000;
    this.wallMs = opts.wallMs ?? 60_000;
    this.heapMb = opts.heapMb ?? 256;
    this.rssLimitKb = (this.heapMb * 2 + 256) * 1024;
  }

  /** Which walls hold around this sandbox's processes. */
  isolation(): Isolation {
    return isolation(detectTools(), { heapMb: this.heapMb, rssMb: this.rssLimitKb / 1024, cpuMs: this.callCpuMs, cpuMeasured: this.metered });
  }

  /** Imports `file` as module `key` in the student process (once; remembered across restarts). */
  async load(key: string, file: string): Promise<LoadResult> {
    const known = this.failed.get(key);
    if (known) return known;
    const reply = await this.request({ type: 'load', key, file }, 'load', this.loadCpuMs);
    let result: LoadResult;
    if (isFault(reply)) {
      result = { ok: false, kind: reply.fault as FaultKind, message: `${reply.message} while loading ${this.show(file)}` };
    } else if (reply.ok) {
      this.loaded.set(key, file);
      this.live.add(key);
      result = { ok: true, exports: reply.exports as ExportInfo };
    } else {
      result = { ok: false, kind: 'threw', message: `threw at import: ${this.errorText(reply.error)}` };
    }
    if (!result.ok) this.failed.set(key, result);
    return result;
  }

  /** Calls export `name` of module `key` with plain-data `args` (function specs allowed). */
  async call(key: string, name: string, args: unknown[]): Promise<CallResult> {
    const known = this.failed.get(key);
    if (known && !known.ok) return { ok: false, kind: 'not-loaded', message: known.message, cpuMs: 0 };
    const cpu = { ms: 0 };
    const reply = await this.request({ type: 'call', key, name, args }, 'call', this.callCpuMs, [countFunctions(args)], cpu);
    if (isFault(reply)) return { ok: false, kind: reply.fault as FaultKind, message: reply.message, cpuMs: cpu.ms };
    return this.result(reply, cpu.ms);
  }

  /**
   * Several calls of module `key` in one message, made one after the other by the student
   * process and answered together: one round trip where there would be as many as calls
   * (checks.ts sends the runs of a property that way). The whole batch may use
   * BATCH_CPU_CALLS calls' worth of CPU time. Null when the batch as a whole did not answer (it
   * ran out of time, crashed, broke the protocol, or returned what cannot be sent back): the
   * caller then makes the calls one by one, each with its own limits and its own verdict.
   */
  async callBatch(key: string, calls: { name: string; args: unknown[] }[]): Promise<CallResult[] | null> {
    const known = this.failed.get(key);
    if (known && !known.ok) return null;
    const cpu = { ms: 0 };
    const reply = await this.request({ type: 'batch', key, calls }, 'batch', BATCH_CPU_CALLS * this.callCpuMs, calls.map((c) => countFunctions(c.args)), cpu);
    if (isFault(reply) || reply.ok !== true) return null;
    return (reply.results as Reply[]).map((r) => this.result(r, (r.cpu as number | undefined) ?? 0));
  }

  /** A call's answer as the checks see it: a plain-data value, or what went wrong. */
  private result(reply: Reply, cpuMs: number): CallResult {
    if (!reply.ok) {
      const e = reply.error as { name: string; message: string; stack: string };
      if (reply.unserializable) return { ok: false, kind: 'invalid-output', message: studentText(e.message), cpuMs };
      if (e.name === 'NotImplemented') return { ok: false, kind: 'not-implemented', message: studentText(e.message), cpuMs };
      return { ok: false, kind: 'threw', message: this.errorText(e), cpuMs };
    }
    if (reply.modified) {
      // the value is not looked at: a function that writes into its arguments fails the call
      const positions = (reply.modified as number[]).map((i) => i + 1);
      return { ok: false, kind: 'modified-argument', message: `modified its argument${positions.length > 1 ? 's' : ''} ${positions.join(', ')} in place`, modified: reply.modified as number[], cpuMs };
    }
    try {
      return { ok: true, value: toPlain(reply.value), calls: reply.calls as number[], cpuMs };
    } catch (e) {
      if (e instanceof InvalidOutput) return { ok: false, kind: 'invalid-output', message: e.message, cpuMs };
      throw e;
    }
  }

  /** Ends the student process; the next request starts a fresh one (reloading the modules). */
  async recycle(): Promise<void> {
    await this.stop();
  }

  async close(): Promise<void> {
    await this.stop();
    this.untrack?.();
    this.untrack = null;
    if (this.runtimeCopy) rmSync(this.runtimeCopy, { recursive: true, force: true });
    this.runtimeCopy = null;
  }

  /** For cleanup.ts: kill whatever runs and remove the runtime copy, synchronously. */
  disposeSync(): void {
    for (const pid of [this.nodePid, this.child?.pid]) if (pid) this.signal(pid);
    if (this.runtimeCopy) rmSync(this.runtimeCopy, { recursive: true, force: true });
  }

  private async stop(): Promise<void> {
    const child = this.child;
    const nodePid = this.nodePid;
    this.detach({ fault: 'crashed', message: 'the student process was stopped by the grader' });
    if (child && child.exitCode === null && child.signalCode === null) {
      const gone = new Promise((r) => child.once('exit', r));
      child.kill('SIGKILL');
      if (nodePid && nodePid !== child.pid) this.signal(nodePid);
      await gone;
    }
    if (nodePid) await this.gone(nodePid);
  }

  private signal(pid: number): void {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }

  /** Waits (bounded) until `pid` no longer runs: no student process outlives the grader's say-so. */
  private async gone(pid: number): Promise<void> {
    for (let i = 0; i < 100 && running(pid); i++) {
      this.signal(pid);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  private show(file: string): string {
    return studentLine(this.opts.displayPath ? this.opts.displayPath(file) : path.basename(file), 200);
  }

  /** "TypeError: boom (at activations.ts:12:7)": bounded, stripped, located in the submission. */
  private errorText(e: unknown): string {
    const { name, message, stack } = e as { name: string; message: string; stack: string };
    return `${studentLine(name, 100)}: ${studentText(message)}${this.where(studentText(stack, LONG_TEXT_LIMIT))}`;
  }

  /** " (at activations.ts:12:7)" from the first stack frame inside the submission. */
  private where(stack: string): string {
    for (const line of stack.split('\n').slice(0, 50)) {
      if (line.length > 500) continue; // keeps the match below linear
      const m = /\(?(file:\/\/)?(\/[^():]+):(\d+):(\d+)\)?\s*$/.exec(line);
      if (m && this.opts.readPaths.some((p) => m[2].startsWith(p))) return ` (at ${this.show(m[2])}:${m[3]}:${m[4]})`;
    }
    return '';
  }

  /** The runtime, copied where the student process (perhaps running as nobody) can read it. */
  private runtime(): string {
    if (this.runtimeCopy) return this.runtimeCopy;
    const dir = mkdtempSync(path.join(sandboxTmpdir(), `dlgrade-${process.pid}-runtime-`));
    const from = this.opts.runtimeDir ?? RUNTIME_DIR;
    for (const f of readdirSync(from)) {
      cpSync(path.join(from, f), path.join(dir, f));
      chmodSync(path.join(dir, f), 0o644);
    }
    chmodSync(dir, 0o755);
    this.runtimeCopy = dir;
    this.untrack ??= track(this);
    return dir;
  }

  private spawn(): Promise<void> {
    this.starts++;
    this.output = '';
    const runtime = this.runtime();
    const readable = [runtime, ...this.opts.readPaths.map((p) => path.resolve(p))];
    // Node 20 asserts on a trailing slash; '<dir>/*' is its wildcard for the folder's contents
    const nodeArgs = [
      permissionFlag,
      ...readable.map((p) => `--allow-fs-read=${p}/*`),
      `--max-old-space-size=${this.heapMb}`,
      '--frozen-intrinsics',
      '--disallow-code-generation-from-strings',
      '--enable-source-maps',
      '--no-warnings',
      path.join(runtime, 'child.mjs'),
    ];
    const how = launch(nodeArgs, { readOnly: readable, chdir: readable[readable.length - 1] });
    const child = spawn(how.command, how.args, { cwd: how.cwd, env: {}, stdio: ['ignore', 'pipe', 'pipe', 'pipe'] });
    const channel = child.stdio[3] as Duplex;
    this.child = child;
    this.channel = channel;
    this.nodePid = null;
    this.lastSample = null;
    const keep = (chunk: Buffer) => {
      this.output = (this.output + chunk.toString()).slice(-LONG_TEXT_LIMIT);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    child.on('exit', (code, signal) => this.onExit(child, code, signal));
    child.on('error', () => {}); // spawn failures surface below as an exit without 'ready'
    channel.on('error', () => {}); // a write to a process that just died: its exit settles the requests
    const decoder = new Decoder(MAX_MESSAGE_BYTES);
    return new Promise<void>((resolve, reject) => {
      let started = false;
      const fail = (why: string) => {
        clearTimeout(timer);
        if (!started) reject(new SandboxUnavailable(why));
      };
      // starting Node is the grader's own work: a wall-clock limit, generous for a loaded machine
      const timer = setTimeout(() => {
        fail(`the grading sandbox did not start within ${this.wallMs} ms`);
        this.kill({ fault: 'crashed', message: 'the student process did not start' });
      }, this.wallMs);
      channel.on('data', (chunk: Buffer) => {
        if (this.child !== child) return;
        let messages: unknown[];
        try {
          messages = decoder.push(chunk);
        } catch (e) {
          this.violation(`${(e as Error).name === 'FrameTooLarge' ? (e as Error).message : 'a message that cannot be read'}`);
          return;
        }
        for (const msg of messages) {
          if (this.child !== child) return;
          if (!started) {
            if (!isRecord(msg) || msg.type !== 'ready' || !hasOnly(msg, ['type'])) {
              this.violation('a message before the runtime was ready');
              return;
            }
            started = true;
            clearTimeout(timer);
            this.onReady(child);
            resolve();
            continue;
          }
          this.onMessage(msg);
        }
      });
      child.once('exit', () => {
        const out = studentLine(this.output.trim().split('\n').slice(0, 3).join(' | '), 500);
        fail(`the grading sandbox could not start a Node process: ${out || 'no output'}`);
      });
    });
  }

  /** Finds the Node process (below bubblewrap's) and starts watching it. */
  private onReady(child: ChildProcess): void {
    const below = child.pid ? descendants(child.pid) : [];
    this.nodePid = below.length > 0 ? below[below.length - 1] : (child.pid ?? null);
    this.lastSample = sample(this.nodePid ?? -1);
    this.startWatchdog();
  }

  private async ensureChild(): Promise<void> {
    if (this.ready) return this.ready;
    this.live.clear();
    this.ready = this.spawn();
    this.ready.catch(() => {
      this.ready = null;
    });
    return this.ready;
  }

  /** Imports module `key` again in a fresh process before a call needs it; false if it cannot be. */
  private async reload(key: string): Promise<boolean> {
    const file = this.loaded.get(key);
    if (this.live.has(key) || file === undefined) return true;
    const reply = await this.send({ type: 'load', key, file }, 'load', this.loadCpuMs, []);
    if (isFault(reply) || !reply.ok) {
      this.loaded.delete(key);
      this.failed.set(key, { ok: false, kind: 'crashed', message: 'could not be reloaded after a restart' });
      return false;
    }
    this.live.add(key);
    return true;
  }

  /**
   * Sends a request, starting the process if needed (a failure to start is the grader's and
   * throws). A request that ran out of wall-clock time is sent once more to a fresh process:
   * the machine may have been saturated; a real hang hangs again.
   */
  private async request(msg: Reply, kind: Pending['kind'], cpuLimitMs: number, functions: number[] = [], cpu = { ms: 0 }): Promise<Reply | Fault> {
    for (let attempt = 1; ; attempt++) {
      await this.ensureChild();
      if (kind !== 'load' && !(await this.reload(msg.key as string))) return { fault: 'not-loaded', message: (this.failed.get(msg.key as string) as { message: string }).message };
      const reply = await this.send(msg, kind, cpuLimitMs, functions, cpu);
      if (!isFault(reply) || reply.fault !== 'wall') return reply;
      if (attempt === 2) return { fault: 'timeout', message: `${reply.message} of wall-clock time, twice (hung?)` };
    }
  }

  /** Request ids are unguessable, so that even code that reached the channel could not answer for the runtime. */
  private newId(): string {
    if (this.ids.length === 0) {
      const pool = randomBytes(12 * 256); // one call to the random source per 256 requests
      for (let i = 0; i < 256; i++) this.ids.push(pool.toString('base64', 12 * i, 12 * i + 12));
    }
    return this.ids.pop()!;
  }

  private send(msg: Reply, kind: Pending['kind'], cpuLimitMs: number, functions: number[], cpu = { ms: 0 }): Promise<Reply | Fault> {
    const channel = this.channel;
    if (!this.child || !channel) return Promise.resolve({ fault: 'crashed', message: 'the student process is not running' });
    const id = this.newId();
    // between requests the student process is idle (its timers are cleared): the watchdog's last
    // sample, at most a tick old, is its CPU time now, without reading /proc on every call
    const now = this.lastSample;
    return new Promise((resolve) => {
      const p: Pending = {
        kind,
        functions,
        cpuLimitMs,
        startWall: performance.now(),
        startCpu: now?.cpuMs ?? null,
        lastCpu: now?.cpuMs ?? null,
        idleMs: 0,
        cpuMs: 0,
        resolve: (r) => {
          cpu.ms = p.cpuMs;
          resolve(r);
        },
      };
      this.pending.set(id, p);
      channel.write(encode({ ...msg, id }));
    });
  }

  /**
   * The CPU time a request used: as the runtime measured it around the call (process.cpuUsage,
   * taken before any student code ran), or for a request that did not answer, from the samples.
   */
  private settle(id: string, p: Pending, msg: Reply | Fault): void {
    this.pending.delete(id);
    const s = this.lastSample;
    if (!isFault(msg) && typeof msg.cpu === 'number') p.cpuMs = msg.cpu;
    else if (!isFault(msg) && Array.isArray(msg.results)) p.cpuMs = (msg.results as Reply[]).reduce((t, r) => t + ((r.cpu as number | undefined) ?? 0), 0);
    else p.cpuMs = p.startCpu !== null && s ? Math.max(0, s.cpuMs - p.startCpu) : performance.now() - p.startWall;
    p.resolve(msg);
  }

  private onMessage(msg: unknown): void {
    const id = isRecord(msg) ? msg.id : undefined;
    const p = typeof id === 'string' ? this.pending.get(id) : undefined;
    if (!p || !isRecord(msg) || !validReply(msg, p)) {
      this.violation(p ? `an answer without the fields of a ${p.kind} result` : 'a message that answers no request');
      return;
    }
    this.settle(id as string, p, msg);
  }

  /** The student process broke the protocol: it is stopped, and the request in flight fails. */
  private violation(what: string): void {
    const message = `the student process sent ${what}, outside the grading protocol, and was stopped`;
    if (this.pending.size === 0) this.incidents.push(message);
    this.kill({ fault: 'protocol', message });
  }

  /** Kills the student process; the first request in flight gets `reason`, the others fail as collateral. */
  private kill(reason: Fault): void {
    const child = this.child;
    const nodePid = this.nodePid;
    this.detach(reason);
    if (child) child.kill('SIGKILL');
    if (nodePid && nodePid !== child?.pid) this.signal(nodePid);
  }

  /** Forgets the current process and settles every request in flight. */
  private detach(reason: Fault): void {
    if (this.watchdog) clearInterval(this.watchdog);
    this.watchdog = null;
    let first = true;
    for (const [id, p] of this.pending) {
      this.settle(id, p, first ? reason : { fault: 'crashed', message: `the student process was restarted: another call ${reason.message}` });
      first = false;
    }
    this.child = null;
    this.channel = null;
    this.ready = null;
  }

  private onExit(child: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
    if (child !== this.child) return; // killed on purpose: its requests are already settled
    this.detach(this.exitFault(code, signal));
  }

  private exitFault(code: number | null, signal: NodeJS.Signals | null): Fault {
    const tail = studentLine(this.output.trim().split('\n').slice(-3).join('\n'), 500);
    if (/heap out of memory|Allocation failed/i.test(this.output)) {
      return { fault: 'out-of-memory', message: `ran out of memory (heap limit ${this.heapMb} MB)` };
    }
    if (signal) return { fault: 'crashed', message: `the student process was killed by ${signal}${tail ? `: ${tail}` : ''}` };
    return { fault: 'exited', message: `the student process exited with code ${code}${tail ? `: ${tail}` : ''}` };
  }

  /**
   * Every TICK_MS while a student process lives: resident memory at all times; for the request
   * in flight, CPU time, idleness and the wall-clock backstop.
   */
  private startWatchdog(): void {
    if (this.watchdog) clearInterval(this.watchdog);
    this.lastTick = performance.now();
    this.watchdog = setInterval(() => this.tick(), TICK_MS);
    this.watchdog.unref();
  }

  private tick(): void {
    const now = performance.now();
    const interval = now - this.lastTick;
    this.lastTick = now;
    const s = this.nodePid ? sample(this.nodePid) : null;
    this.lastSample = s;
    const [first] = this.pending.values();
    if (s && s.rssKb > this.rssLimitKb) {
      const message = `used more than ${Math.round(this.rssLimitKb / 1024)} MB of memory`;
      if (!first) this.incidents.push(`the student process ${message} between calls (a timer left running?) and was restarted`);
      this.kill({ fault: 'out-of-memory', message });
      return;
    }
    if (!first) return;
    if (s && first.startCpu !== null && first.lastCpu !== null) {
      if (s.cpuMs - first.startCpu > first.cpuLimitMs) {
        this.kill({ fault: 'timeout', message: `used more than ${first.cpuLimitMs / 1000} s of CPU time (infinite loop?)` });
        return;
      }
      if (s.cpuMs > first.lastCpu || s.state === 'R' || interval > LATE_TICK_MS) {
        if (s.cpuMs > first.lastCpu) first.idleMs = 0;
        first.lastCpu = s.cpuMs;
      } else {
        first.idleMs += interval;
        if (first.idleMs > this.idleMs) {
          this.kill({ fault: 'timeout', message: `waited ${this.idleMs / 1000} s without computing (a promise that never settles? Atomics.wait?)` });
          return;
        }
      }
    }
    if (s && first.startCpu === null) first.startCpu = first.lastCpu = s.cpuMs; // sent before the first sample
    const wallLimit = this.metered ? this.wallMs : first.cpuLimitMs;
    if (now - first.startWall > wallLimit) {
      this.kill({ fault: 'wall', message: `did not answer within ${wallLimit / 1000} s` });
    }
  }
}
