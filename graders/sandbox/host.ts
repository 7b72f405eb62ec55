/**
 * The grader's side of the sandbox: one student process, started under Node's permission model,
 * that loads the submission's modules and answers calls over structured-clone IPC.
 *
 * - Permissions: read access to the sandbox runtime folder and the paths given (the transpiled
 *   submission); no writes, no child processes, no workers (the permission model's defaults).
 * - Limits: a heap cap (--max-old-space-size), a resident-memory watchdog for off-heap buffers,
 *   a wall-clock timeout per load and per call, an empty environment.
 * - Recovery: a crash, hang, exit or out-of-memory fails the calls in flight with what happened;
 *   the next call starts a fresh process and reloads the modules that had loaded.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { InvalidOutput, toPlain } from './plain.ts';
import type { FaultKind } from '../engine/types.ts';

const RUNTIME_DIR = path.resolve(fileURLToPath(new URL('./runtime', import.meta.url)));

export interface SandboxOptions {
  /** folders the student process may read (the transpiled submission) */
  readPaths: string[];
  callTimeoutMs?: number;
  loadTimeoutMs?: number;
  heapMb?: number;
  /** map a transpiled path back to the name the student knows, for messages */
  displayPath?: (file: string) => string;
}

export type ExportInfo = Record<string, { kind: string; length: number }>;

export type LoadResult = { ok: true; exports: ExportInfo } | { ok: false; kind: FaultKind; message: string };

export type CallResult =
  | { ok: true; value: unknown; calls: number[] }
  | { ok: false; kind: FaultKind; message: string };

interface Pending {
  resolve: (msg: Record<string, unknown> | Fault) => void;
  timer: NodeJS.Timeout;
}

interface Fault {
  fault: FaultKind;
  message: string;
}

function isFault(x: Record<string, unknown> | Fault): x is Fault {
  return typeof (x as Fault).fault === 'string';
}

/** The sandbox itself could not run (not the student's fault): grading stops with an error. */
export class SandboxUnavailable extends Error {
  override name = 'SandboxUnavailable';
}

const permissionFlag = Number(process.versions.node.split('.')[0]) >= 23 ? '--permission' : '--experimental-permission';

export class Sandbox {
  private child: ChildProcess | null = null;
  private ready: Promise<void> | null = null;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private readonly loaded = new Map<string, string>();
  private readonly failed = new Map<string, LoadResult>();
  private output = '';
  private rssTimer: NodeJS.Timeout | null = null;
  /** how many student processes were started (1 + restarts) */
  starts = 0;
  readonly callTimeoutMs: number;
  readonly loadTimeoutMs: number;
  readonly heapMb: number;

  constructor(private readonly opts: SandboxOptions) {
    this.callTimeoutMs = opts.callTimeoutMs ?? 2000;
    this.loadTimeoutMs = opts.loadTimeoutMs ?? 10_000;
    this.heapMb = opts.heapMb ?? 256;
  }

  /** Imports `file` as module `key` in the student process (once; remembered across restarts). */
  async load(key: string, file: string): Promise<LoadResult> {
    const known = this.failed.get(key);
    if (known) return known;
    const reply = await this.request({ type: 'load', key, file }, this.loadTimeoutMs);
    let result: LoadResult;
    if (isFault(reply)) {
      result = { ok: false, kind: reply.fault, message: `${reply.message} while loading ${this.show(file)}` };
    } else if (reply.ok) {
      this.loaded.set(key, file);
      result = { ok: true, exports: reply.exports as ExportInfo };
    } else {
      const e = reply.error as { name: string; message: string; stack: string };
      result = { ok: false, kind: 'threw', message: `threw at import: ${e.name}: ${e.message}${this.where(e.stack)}` };
    }
    if (!result.ok) this.failed.set(key, result);
    return result;
  }

  /** Calls export `name` of module `key` with plain-data `args` (function specs allowed). */
  async call(key: string, name: string, args: unknown[], timeoutMs = this.callTimeoutMs): Promise<CallResult> {
    const known = this.failed.get(key);
    if (known && !known.ok) return { ok: false, kind: 'not-loaded', message: known.message };
    const reply = await this.request({ type: 'call', key, name, args }, timeoutMs);
    if (isFault(reply)) return { ok: false, kind: reply.fault, message: reply.message };
    if (!reply.ok) {
      const e = reply.error as { name: string; message: string; stack: string };
      if (reply.unserializable) return { ok: false, kind: 'invalid-output', message: e.message };
      if (e.name === 'NotImplemented') return { ok: false, kind: 'not-implemented', message: e.message };
      return { ok: false, kind: 'threw', message: `${e.name}: ${e.message}${this.where(e.stack)}` };
    }
    try {
      return { ok: true, value: toPlain(reply.value), calls: (reply.calls as number[]) ?? [] };
    } catch (e) {
      if (e instanceof InvalidOutput) return { ok: false, kind: 'invalid-output', message: e.message };
      throw e;
    }
  }

  async close(): Promise<void> {
    if (this.rssTimer) clearInterval(this.rssTimer);
    this.rssTimer = null;
    const child = this.child;
    this.child = null;
    this.ready = null;
    if (child && child.exitCode === null && child.signalCode === null) {
      const gone = new Promise((r) => child.once('exit', r));
      child.kill('SIGKILL');
      await gone;
    }
  }

  private show(file: string): string {
    return this.opts.displayPath ? this.opts.displayPath(file) : path.basename(file);
  }

  /** " (at activations.ts:12:7)" from the first stack frame inside the submission. */
  private where(stack: string): string {
    for (const line of stack.split('\n')) {
      const m = /\(?(file:\/\/)?(\/[^():]+):(\d+):(\d+)\)?\s*$/.exec(line);
      if (m && this.opts.readPaths.some((p) => m[2].startsWith(p))) return ` (at ${this.show(m[2])}:${m[3]}:${m[4]})`;
    }
    return '';
  }

  private spawn(): Promise<void> {
    this.starts++;
    this.output = '';
    // Node 20 asserts on a trailing slash; '<dir>/*' is its wildcard for the folder's contents
    const reads = [RUNTIME_DIR, ...this.opts.readPaths].map((p) => path.resolve(p)).map((p) => `${p}/*`);
    const child = fork(path.join(RUNTIME_DIR, 'child.mjs'), [], {
      execArgv: [
        permissionFlag,
        ...reads.map((p) => `--allow-fs-read=${p}`),
        `--max-old-space-size=${this.heapMb}`,
        '--enable-source-maps',
        '--no-warnings',
      ],
      env: {},
      serialization: 'advanced',
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    this.child = child;
    const keep = (chunk: Buffer) => {
      this.output = (this.output + chunk.toString()).slice(-4000);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    child.on('message', (msg: Record<string, unknown>) => this.onMessage(msg));
    child.on('exit', (code, signal) => this.onExit(child, code, signal));
    child.on('error', () => {}); // a write to a process that just died: its exit settles the requests
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new SandboxUnavailable(`the grading sandbox did not start within ${this.loadTimeoutMs} ms`)),
        this.loadTimeoutMs,
      );
      child.once('message', () => {
        clearTimeout(timer);
        resolve();
      });
      child.once('exit', () => {
        clearTimeout(timer);
        reject(new SandboxUnavailable(`the grading sandbox could not start a Node process: ${this.output.trim().split('\n').slice(0, 3).join(' | ') || 'no output'}`));
      });
    });
  }

  private async ensureChild(): Promise<void> {
    if (this.ready) return this.ready;
    this.ready = this.spawn().then(async () => {
      for (const [key, file] of this.loaded) {
        const reply = await this.send({ type: 'load', key, file }, this.loadTimeoutMs);
        if (isFault(reply) || !reply.ok) {
          this.loaded.delete(key);
          this.failed.set(key, { ok: false, kind: 'crashed', message: `could not be reloaded after a restart` });
        }
      }
    });
    this.ready.catch(() => {
      this.ready = null;
    });
    return this.ready;
  }

  /** Starting the process happens before any student code runs: a failure there is the grader's, and throws. */
  private async request(msg: Record<string, unknown>, timeoutMs: number): Promise<Record<string, unknown> | Fault> {
    await this.ensureChild();
    return this.send(msg, timeoutMs);
  }

  private send(msg: Record<string, unknown>, timeoutMs: number): Promise<Record<string, unknown> | Fault> {
    const child = this.child;
    if (!child) return Promise.resolve({ fault: 'crashed', message: 'the student process is not running' });
    const id = this.nextId++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.kill({ fault: 'timeout', message: `did not finish within ${timeoutMs} ms (infinite loop?)` }, id);
      }, timeoutMs);
      this.pending.set(id, { resolve, timer });
      this.watchMemory();
      child.send({ ...msg, id }, (err) => {
        if (err) this.settleAll({ fault: 'crashed', message: `the student process stopped answering (${err.message})` }, id);
      });
    });
  }

  private onMessage(msg: Record<string, unknown>): void {
    const id = msg.id as number;
    const p = this.pending.get(id);
    if (!p) return;
    clearTimeout(p.timer);
    this.pending.delete(id);
    p.resolve(msg);
  }

  /** Kills the student process; `culprit` gets `reason`, other requests in flight fail as collateral. */
  private kill(reason: Fault, culprit: number): void {
    const child = this.child;
    if (!child) return;
    this.child = null;
    this.ready = null;
    this.settleAll(reason, culprit);
    child.kill('SIGKILL');
  }

  private settleAll(reason: Fault, culprit?: number): void {
    if (this.rssTimer) clearInterval(this.rssTimer);
    this.rssTimer = null;
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      this.pending.delete(id);
      p.resolve(id === culprit || culprit === undefined ? reason : { fault: 'crashed', message: `the student process was restarted: another call ${reason.message}` });
    }
  }

  private onExit(child: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
    if (child !== this.child) return; // killed on purpose: its requests are already settled
    this.child = null;
    this.ready = null;
    this.settleAll(this.exitFault(code, signal));
  }

  private exitFault(code: number | null, signal: NodeJS.Signals | null): Fault {
    const tail = this.output.trim().split('\n').slice(-3).join(' | ');
    if (/heap out of memory|Allocation failed/i.test(this.output)) {
      return { fault: 'out-of-memory', message: `ran out of memory (heap limit ${this.heapMb} MB)` };
    }
    if (signal) return { fault: 'crashed', message: `the student process was killed by ${signal}${tail ? `: ${tail}` : ''}` };
    return { fault: 'exited', message: `the student process exited with code ${code}${tail ? `: ${tail}` : ''}` };
  }

  /** Off-heap memory (typed arrays) is not bounded by the heap cap: watch the resident size instead. */
  private watchMemory(): void {
    if (this.rssTimer || process.platform !== 'linux') return;
    const limitKb = (this.heapMb * 2 + 256) * 1024;
    this.rssTimer = setInterval(() => {
      const child = this.child;
      if (!child?.pid || this.pending.size === 0) return;
      let rssKb = 0;
      try {
        const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        rssKb = m ? Number(m[1]) : 0;
      } catch {
        return;
      }
      if (rssKb > limitKb) {
        const first = this.pending.keys().next().value;
        if (first !== undefined) {
          this.kill({ fault: 'out-of-memory', message: `used more than ${Math.round(limitKb / 1024)} MB of memory` }, first);
        }
      }
    }, 50);
    this.rssTimer.unref();
  }
}
