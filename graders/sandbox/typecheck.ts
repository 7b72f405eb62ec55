/**
 * Type-checking a submission: the student's files against the signatures of the stubs in
 * exercises/ (a `relu` that returns a string, or takes one, is a type error even where every
 * check passes), with the compiler options of the course's own code (strict).
 *
 * The TypeScript compiler runs in a process of its own (typecheck-child.mjs), started beside the
 * grading so that it costs no time where the machine has a second core. It never runs student
 * code, but what it reads is hostile: a file can make a type checker work for minutes or fill
 * its heap. So the process gets TYPECHECK_CPU_MS of CPU time (measured from /proc, not by the
 * clock, so a busy machine does not change the outcome; by the clock only where there is no
 * /proc) and TYPECHECK_HEAP_MB of heap; running out
 * of either is reported as a type check that did not finish, never as an error of the grader.
 * Its reply is validated and every string in it is bounded and stripped of escape sequences
 * (messages quote the student's identifiers and literal types).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { inPackage } from '../root.ts';
import { studentLine } from '../engine/text.ts';
import { canMeter, sample } from './meter.ts';
import { contentCache } from './cache.ts';
import { track } from './cleanup.ts';

/**
 * CPU time the type check may use: the reference (16 files, 231 KB) takes about 2 s on a busy
 * 2-core machine, so 30 times that is never reached by a submission a student wrote by hand.
 */
export const TYPECHECK_CPU_MS = 60_000;
/** Heap of the type-checking process: the reference needs about 150 MB. */
export const TYPECHECK_HEAP_MB = 1024;
/** Type errors kept (the type checker sends no more): reports show the first few and count the rest. */
export const MAX_TYPE_ERRORS = 200;

export interface TypeError {
  /** the file in the submission, with the line and column (1-based) where it is known */
  file?: string;
  line?: number;
  column?: number;
  /** for a signature that differs from the stub's: the module and the exported function */
  module?: string;
  exercise?: string;
  message: string;
}

export interface TypeCheck {
  /** at most MAX_TYPE_ERRORS, in file order */
  errors: TypeError[];
  /** module → the submission files its file imports, itself included (for --strict-types) */
  reach: Record<string, string[]>;
  /** why the type check did not finish (its errors are then unknown) */
  incomplete?: string;
}

export interface TypeCheckInput {
  files: Record<string, string>;
  modules: Record<string, string>;
}

const CHILD = inPackage('graders', 'sandbox', 'typecheck-child.mjs');
const require = createRequire(import.meta.url);
const POLL_MS = 100;

const isText = (x: unknown, max: number): x is string => typeof x === 'string' && x.length <= max;
const isLine = (x: unknown): x is number => Number.isSafeInteger(x) && (x as number) > 0;

/** One diagnostic of the reply, checked and bounded, or undefined when it is not one. */
function typeError(x: unknown, input: TypeCheckInput): TypeError | undefined {
  if (x === null || typeof x !== 'object') return undefined;
  const d = x as Record<string, unknown>;
  if (typeof d.message !== 'string') return undefined; // any length: cut to one bounded line below
  const e: TypeError = { message: studentLine(d.message, 300) };
  if (isText(d.file, 1000) && d.file in input.files) e.file = studentLine(d.file, 200);
  if (e.file !== undefined && isLine(d.line)) e.line = d.line;
  if (e.line !== undefined && isLine(d.column)) e.column = d.column;
  if (isText(d.module, 100) && d.module in input.modules) e.module = d.module;
  if (isText(d.exercise, 100) && /^[\w$]+$/.test(d.exercise)) e.exercise = d.exercise;
  return e;
}

/** The child's reply as a TypeCheck, or undefined when it is not a valid reply (exported for its spec). */
export function validate(reply: unknown, input: TypeCheckInput): TypeCheck | undefined {
  if (reply === null || typeof reply !== 'object') return undefined;
  const r = reply as Record<string, unknown>;
  if (isText(r.failed, 10_000)) return { errors: [], reach: {}, incomplete: `the type checker failed: ${studentLine(r.failed, 300)}` };
  if (!Array.isArray(r.diagnostics) || r.diagnostics.length > MAX_TYPE_ERRORS || r.reach === null || typeof r.reach !== 'object') return undefined;
  const errors = r.diagnostics.map((d) => typeError(d, input));
  if (errors.some((e) => e === undefined)) return undefined;
  const reach: Record<string, string[]> = {};
  for (const module of Object.keys(input.modules)) {
    const files = (r.reach as Record<string, unknown>)[module];
    reach[module] = Array.isArray(files) ? files.filter((f): f is string => typeof f === 'string' && f in input.files) : [input.modules[module]];
  }
  return { errors: errors as TypeError[], reach };
}

/**
 * The type-checking process: started by the first check the cache cannot answer, one check at a
 * time. A check that runs out of CPU time or memory ends the process; the next check starts
 * another. A grader that checks again and again (watch mode) keeps one: the compiler's lib files
 * are then parsed once.
 */
export class TypeChecker {
  private child: ChildProcess | undefined;
  private untrack: (() => void) | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly cpuMs: number;
  private readonly heapMb: number;

  /** `limits`: the CPU time of one check and the heap (defaults TYPECHECK_CPU_MS, TYPECHECK_HEAP_MB) */
  constructor(limits: { cpuMs?: number; heapMb?: number } = {}) {
    this.cpuMs = limits.cpuMs ?? TYPECHECK_CPU_MS;
    this.heapMb = limits.heapMb ?? TYPECHECK_HEAP_MB;
  }

  private start(): ChildProcess {
    const child = fork(CHILD, [], { execArgv: [`--max-old-space-size=${this.heapMb}`], stdio: ['ignore', 'ignore', 'ignore', 'ipc'], serialization: 'advanced' });
    child.on('error', () => {}); // reported by the check that meets it ('close' follows)
    this.child = child;
    this.untrack = track({ disposeSync: () => child.kill('SIGKILL') });
    return child;
  }

  /** Ends the process (a check in progress says it did not finish). */
  close(): void {
    this.child?.kill('SIGKILL');
    this.untrack?.();
    this.child = undefined;
  }

  /**
   * The type check of `input` (the modules' files and everything they import, from the
   * submission only) against the stubs of the package's exercises/. Never rejects: a check that
   * could not finish says why in `incomplete`.
   */
  check(input: TypeCheckInput): Promise<TypeCheck> {
    const key = cacheKey(input);
    const hit = readCached(key, input);
    if (hit) return Promise.resolve(hit);
    const run = this.queue.then(() => this.run(input));
    this.queue = run;
    return run.then((t) => {
      if (!t.incomplete) cache.write(key, { errors: t.errors, reach: t.reach }); // one that did not finish may another time
      return t;
    });
  }

  private run(input: TypeCheckInput): Promise<TypeCheck> {
    if (Object.keys(input.modules).length === 0) return Promise.resolve({ errors: [], reach: {} });
    const child = this.child?.connected ? this.child : this.start();
    const metered = canMeter();
    const cpuAtStart = metered ? (sample(child.pid ?? -1)?.cpuMs ?? 0) : 0;
    const started = Date.now();
    return new Promise((resolve) => {
      let done = false;
      const finish = (t: TypeCheck) => {
        if (done) return;
        done = true;
        clearInterval(timer);
        child.off('message', onMessage);
        child.off('close', onClose);
        resolve(t);
      };
      const unfinished = (why: string) => {
        if (this.child === child) this.close();
        finish({ errors: [], reach: {}, incomplete: why });
      };
      const timer = setInterval(() => {
        const used = metered ? (sample(child.pid ?? -1)?.cpuMs ?? 0) - cpuAtStart : Date.now() - started;
        if (used > this.cpuMs) unfinished(`the type check needed more than ${this.cpuMs / 1000} s of CPU time and was stopped`);
      }, POLL_MS);
      timer.unref();
      const onMessage = (reply: unknown) => {
        const t = validate(reply, input);
        if (t) finish(t);
        else unfinished('the type checker sent a reply the grader could not read');
      };
      // 'close' comes after any reply (the channel is drained first)
      const onClose = (code: number | null, signal: NodeJS.Signals | null) =>
        unfinished(signal === null && code !== 0 ? `the type checker ran out of memory (${this.heapMb} MB) or stopped (exit code ${code})` : `the type checker stopped (${signal ?? `exit code ${code}`})`);
      child.on('message', onMessage);
      child.on('close', onClose);
      child.send({ ...input, exercises: inPackage('exercises'), packageRoot: inPackage() }, (e) => {
        if (e) unfinished(`the type checker could not be reached: ${e.message}`);
      });
    });
  }
}

/**
 * The type-check cache. A check's result is a function of what it reads: the submission's files
 * sent, the modules, the stubs (every file of exercises/), the checker (this file's child, with
 * its compiler options), the compiler's version and pure-rand's; so it is kept under a hash of
 * them all in .dlgrade/cache/typecheck/, and grading the same files again (a student running the
 * grader twice, watch mode after an edit elsewhere, a spec grading the reference) reads it
 * instead of starting the compiler. Only the grader writes there; an entry is found only by the
 * hash of what produced it, and is validated like a reply when read. Where the folder cannot be
 * written, nothing is kept.
 */
export const TYPECHECK_CACHE_DIR = inPackage('.dlgrade', 'cache', 'typecheck');
/** an entry per submission state checked: a class of 300 graded a few times stays far below */
const cache = contentCache(TYPECHECK_CACHE_DIR, 20_000);
let fixedPart: string | undefined;

function cacheKey(input: TypeCheckInput): string {
  fixedPart ??= (() => {
    const h = createHash('sha256');
    for (const pkg of ['typescript', 'pure-rand']) h.update(`${pkg} ${(JSON.parse(readFileSync(require.resolve(`${pkg}/package.json`), 'utf8')) as { version: string }).version}\0`);
    h.update(readFileSync(CHILD));
    const exercises = inPackage('exercises');
    for (const f of readdirSync(exercises).sort()) if (f.endsWith('.ts')) h.update(`\0${f}\0`).update(readFileSync(path.join(exercises, f)));
    return h.digest('hex');
  })();
  const h = createHash('sha256').update(fixedPart);
  for (const [module, rel] of Object.entries(input.modules).sort()) h.update(`\0m\0${module}\0${rel}`);
  for (const [rel, text] of Object.entries(input.files).sort(([a], [b]) => (a < b ? -1 : 1))) h.update(`\0f\0${rel}\0${text.length}\0`).update(text);
  return h.digest('hex');
}

/** A cached result, validated like a reply. */
function readCached(key: string, input: TypeCheckInput): TypeCheck | undefined {
  const t = cache.read(key) as { errors?: unknown; reach?: unknown } | undefined;
  return t === undefined ? undefined : validate({ diagnostics: t.errors, reach: t.reach }, input);
}

/** One type check in a process of its own, ended when it is done. */
export async function typeCheck(input: TypeCheckInput): Promise<TypeCheck> {
  const checker = new TypeChecker();
  try {
    return await checker.check(input);
  } finally {
    checker.close();
  }
}

/** "activations.ts:12:9" (or the module's file, or nothing) for a type error. */
export function where(e: TypeError): string {
  if (e.file === undefined) return e.module !== undefined ? `${e.module}.ts` : '';
  return `${e.file}${e.line !== undefined ? `:${e.line}` : ''}${e.column !== undefined ? `:${e.column}` : ''}`;
}

/** One line per type error: "activations.ts:12:9 relu: Type 'number' is not assignable to type 'string'." */
export function typeErrorLine(e: TypeError): string {
  const at = where(e);
  const what = e.exercise !== undefined ? `${e.exercise} does not match the stub's signature: ${e.message}` : e.message;
  return at ? `${at} ${what}` : what;
}

/**
 * Under --strict-types: module → why it is not gradable, for each module whose file or a file it
 * imports has a type error (or whose signatures differ from the stubs').
 */
export function typeProblems(t: TypeCheck, modules: string[]): Record<string, string> {
  const problems: Record<string, string> = {};
  for (const module of modules) {
    if (t.incomplete) {
      problems[module] = `the type check did not finish (--strict-types): ${t.incomplete}`;
      continue;
    }
    const files = t.reach[module] ?? [];
    const mine = t.errors.filter((e) => e.module === module || (e.file !== undefined && files.includes(e.file)));
    if (mine.length > 0) problems[module] = `type errors (--strict-types): ${typeErrorLine(mine[0])}${mine.length > 1 ? ` (and ${mine.length - 1} more)` : ''}`;
  }
  return problems;
}
