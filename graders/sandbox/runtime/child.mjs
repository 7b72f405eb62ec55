/**
 * The student process. Started by sandbox/host.ts behind the walls of sandbox/walls.ts (Node's
 * permission model reading only this folder and the submission, frozen intrinsics, no code
 * generation from strings, and on Linux an unprivileged user and bubblewrap's namespaces). It
 * imports the student's modules and answers calls over the grading channel, fd 3, framed by
 * frames.mjs. Plain JavaScript so that it needs nothing outside this folder.
 *
 * Before any student code runs, this module takes what it needs (the channel, the real
 * `process`, stdout) into its own scope and replaces the globals student code could use to
 * reach them or the network: `process` becomes a small object of harmless members whose
 * exit/kill/… throw, `console` writes through this runtime, and fetch and its kin are removed.
 * Student modules can import only the submission's own files (prepare.ts checks it, and no
 * import can be built at run time), so the channel is out of their reach; a forged message
 * would in any case be checked by the grader against the protocol.
 */
import net from 'node:net';
import { formatWithOptions } from 'node:util';
import { pathToFileURL } from 'node:url';
import { Decoder, encode } from './frames.mjs';
import { isFunctionSpec, materialize } from './functions.mjs';

const realProcess = process;
/** The largest message a call may return (the grader refuses larger ones too). */
const MAX_REPLY_BYTES = 32 * 1024 * 1024;
/** What a student may print per write; the grader keeps only the tail of the output anyway. */
const MAX_WRITE = 16 * 1024;

const channel = new net.Socket({ fd: 3, readable: true, writable: true });
const send = (message) => {
  clearStudentTimers();
  channel.write(encode(message));
};
// the grader is gone: nothing left to answer
channel.on('close', () => realProcess.exit(0));
channel.on('error', () => realProcess.exit(0));

class SandboxViolation extends Error {
  constructor(message) {
    super(message);
    this.name = 'SandboxViolation';
  }
}

const forbidden = (describe) => (...args) => {
  throw new SandboxViolation(describe(args));
};

const write = (stream) => (chunk) => {
  stream.write(String(chunk).slice(0, MAX_WRITE));
  return true;
};
const stdout = write(realProcess.stdout);
const stderr = write(realProcess.stderr);

/** The `process` student code sees: what a numeric function might touch, nothing that reaches out. */
const studentProcess = Object.freeze({
  env: Object.freeze({}),
  argv: Object.freeze([]),
  execArgv: Object.freeze([]),
  platform: realProcess.platform,
  arch: realProcess.arch,
  version: realProcess.version,
  versions: Object.freeze({ ...realProcess.versions }),
  pid: 0,
  ppid: 0,
  exitCode: undefined,
  cwd: () => '/',
  nextTick: (fn, ...args) => realProcess.nextTick(fn, ...args),
  hrtime: Object.assign((time) => realProcess.hrtime(time), { bigint: () => realProcess.hrtime.bigint() }),
  uptime: () => realProcess.uptime(),
  emitWarning: () => {},
  on: () => studentProcess,
  once: () => studentProcess,
  off: () => studentProcess,
  stdout: Object.freeze({ write: stdout, isTTY: false }),
  stderr: Object.freeze({ write: stderr, isTTY: false }),
  exit: forbidden(([code]) => `process.exit(${code ?? ''}) is not allowed in graded code`),
  reallyExit: forbidden(([code]) => `process.reallyExit(${code ?? ''}) is not allowed in graded code`),
  abort: forbidden(() => 'process.abort() is not allowed in graded code'),
  kill: forbidden(() => 'process.kill() is not allowed in graded code'),
  dlopen: forbidden(() => 'native addons are not allowed in graded code'),
  binding: forbidden(() => 'process.binding() is not allowed in graded code'),
  getBuiltinModule: forbidden(([id]) => `process.getBuiltinModule(${JSON.stringify(String(id))}) is not allowed in graded code`),
  send: forbidden(() => 'process.send() is reserved for the grader'),
});

const print = (out) => (...args) => void out(`${formatWithOptions({ colors: false }, ...args)}\n`);
const studentConsole = Object.freeze({
  log: print(stdout),
  info: print(stdout),
  debug: print(stdout),
  table: print(stdout),
  dir: print(stdout),
  warn: print(stderr),
  error: print(stderr),
  trace: print(stderr),
  assert: (ok, ...args) => {
    if (!ok) print(stderr)('Assertion failed', ...args);
  },
  time: () => {},
  timeEnd: () => {},
  timeLog: () => {},
  count: () => {},
  group: () => {},
  groupEnd: () => {},
});

/**
 * Timers student code starts are cleared when the call (or the import) that started them
 * returns: nothing of the student's runs between calls, so a timer cannot grow memory, throw or
 * compute while the grader waits, and what happens in one call cannot spill into the next.
 */
const studentTimers = new Set();
const realTimers = { setTimeout, setInterval, setImmediate, clearTimeout, clearInterval, clearImmediate };
const tracked = (start, once) => (fn, ...rest) => {
  const handle = start((...args) => {
    if (once) studentTimers.delete(handle);
    if (typeof fn === 'function') fn(...args);
  }, ...rest);
  studentTimers.add(handle);
  return handle;
};
function clearStudentTimers() {
  for (const t of studentTimers) {
    realTimers.clearTimeout(t);
    realTimers.clearInterval(t);
    realTimers.clearImmediate(t);
  }
  studentTimers.clear();
}

const NETWORK_GLOBALS = ['fetch', 'Request', 'Response', 'Headers', 'FormData', 'WebSocket', 'EventSource', 'BroadcastChannel', 'navigator'];

function lockGlobals() {
  const fixed = (value) => ({ value, writable: false, configurable: false, enumerable: false });
  Object.defineProperty(globalThis, 'process', fixed(studentProcess));
  Object.defineProperty(globalThis, 'console', fixed(studentConsole));
  Object.defineProperty(globalThis, 'setTimeout', fixed(tracked(realTimers.setTimeout, true)));
  Object.defineProperty(globalThis, 'setInterval', fixed(tracked(realTimers.setInterval, false)));
  Object.defineProperty(globalThis, 'setImmediate', fixed(tracked(realTimers.setImmediate, true)));
  for (const name of NETWORK_GLOBALS) delete globalThis[name];
}

// A stray error from a timer the student left behind must not take down the process: it is
// reported on stderr (the grader keeps the tail) and the next call goes on.
realProcess.on('uncaughtException', (e) => stderr(`uncaught: ${e?.stack ?? e}\n`));
realProcess.on('unhandledRejection', (e) => stderr(`unhandled rejection: ${e?.stack ?? e}\n`));

const modules = new Map();

function text(x) {
  try {
    return String(x);
  } catch {
    return '(a value that cannot be printed)';
  }
}

/** What was thrown, as three strings (a thrown value's getters may themselves throw). */
function errorInfo(e) {
  try {
    if (e instanceof Error) return { name: text(e.name), message: text(e.message).slice(0, MAX_WRITE), stack: text(e.stack ?? '').slice(0, MAX_WRITE) };
    return { name: 'thrown value', message: text(e).slice(0, MAX_WRITE), stack: '' };
  } catch {
    return { name: 'thrown value', message: '(a value that cannot be read)', stack: '' };
  }
}

function describeExports(mod) {
  const out = {};
  for (const name of Object.keys(mod)) {
    const v = mod[name];
    out[name] = typeof v === 'function' ? { kind: 'function', length: Number(v.length) || 0 } : { kind: typeof v, length: 0 };
  }
  return out;
}

/** Replaces every `{ $fn }` spec in the arguments by the function it names, counting its calls. */
function revive(x, counters) {
  if (isFunctionSpec(x)) {
    const f = materialize(x);
    const counter = { n: 0 };
    counters.push(counter);
    return (...args) => {
      counter.n++;
      return f(...args);
    };
  }
  if (Array.isArray(x)) return x.map((v) => revive(v, counters));
  if (x !== null && typeof x === 'object' && !ArrayBuffer.isView(x)) {
    const out = {};
    for (const [k, v] of Object.entries(x)) out[k] = revive(v, counters);
    return out;
  }
  return x;
}

/**
 * Is `now` (what the student's function was given, after the call) still `sent` (the arguments
 * as they arrived)? Read through property descriptors, so that no getter the student installed
 * runs here; a getter, a setter, an added or removed key, a changed number (NaN equals NaN, 0 is
 * not −0) or a replaced function is a change. The course's exercises are functions of their
 * arguments: none may write into them (the grader's copy would hide it; a caller's would not).
 */
function unchanged(sent, now) {
  if (isFunctionSpec(sent)) return typeof now === 'function';
  if (sent === null || typeof sent !== 'object') return Object.is(sent, now);
  if (now === null || typeof now !== 'object' || Array.isArray(sent) !== Array.isArray(now)) return false;
  const keys = Reflect.ownKeys(now);
  if (keys.length !== Reflect.ownKeys(sent).length) return false;
  for (const k of keys) {
    const d = Reflect.getOwnPropertyDescriptor(now, k);
    if (!d || !('value' in d) || !Object.hasOwn(sent, k)) return false;
    if (k === 'length' && Array.isArray(sent)) {
      if (d.value !== sent.length) return false;
      continue;
    }
    if (!unchanged(sent[k], d.value)) return false;
  }
  return true;
}

/** The positions of the arguments a call changed (bounded: a hostile value that throws while read is a change). */
function modifiedArguments(sent, revived) {
  const changed = [];
  for (let i = 0; i < sent.length; i++) {
    let same;
    try {
      same = unchanged(sent[i], revived[i]);
    } catch {
      same = false;
    }
    if (!same) changed.push(i);
  }
  return changed;
}

async function onLoad({ id, key, file }) {
  try {
    const mod = await import(pathToFileURL(file).href);
    modules.set(key, mod);
    send({ type: 'loaded', id, ok: true, exports: describeExports(mod) });
  } catch (e) {
    send({ type: 'loaded', id, ok: false, error: errorInfo(e) });
  }
}

/** CPU time (ms) since `start` (a process.cpuUsage() reading), every thread of the process. */
const cpuSince = (start) => {
  const d = realProcess.cpuUsage(start);
  return (d.user + d.system) / 1000;
};

/**
 * One call of export `name` of `mod`: `{ ok: true, value, calls, cpu }` with how many times each
 * function argument was called, or `{ ok: false, error, cpu }`. The timers it started are cleared
 * when it returns.
 */
async function runCall(mod, { name, args }) {
  const fn = mod?.[name];
  if (typeof fn !== 'function') return { ok: false, cpu: 0, error: { name: 'ContractError', message: `${name} is not an exported function`, stack: '' } };
  const counters = [];
  const revived = revive(args, counters);
  const start = realProcess.cpuUsage();
  try {
    const value = await fn(...revived);
    const cpu = cpuSince(start);
    const modified = modifiedArguments(args, revived);
    return { ok: true, value, calls: counters.map((c) => c.n), cpu, ...(modified.length > 0 ? { modified } : {}) };
  } catch (e) {
    return { ok: false, cpu: cpuSince(start), error: errorInfo(e) };
  } finally {
    clearStudentTimers();
  }
}

/** A single call, answered alone; a value that cannot be sent back is an error of that call. */
async function onCall({ id, key, name, args }) {
  const r = await runCall(modules.get(key), { name, args });
  let frame;
  try {
    frame = encode({ type: 'result', id, ...r });
  } catch (e) {
    const info = errorInfo(e);
    send({ type: 'result', id, ok: false, unserializable: true, cpu: r.cpu, error: { ...info, message: `returned a value that is not plain data (${info.message})` } });
    return;
  }
  if (frame.length > MAX_REPLY_BYTES) {
    const mb = (frame.length / 2 ** 20).toFixed(0);
    send({ type: 'result', id, ok: false, unserializable: true, cpu: r.cpu, error: { name: 'TooLarge', message: `returned ${mb} MB of data (the limit is ${MAX_REPLY_BYTES / 2 ** 20} MB)`, stack: '' } });
    return;
  }
  channel.write(frame);
}

/** Several calls, one after the other; answered together, or `ok: false` when the answers cannot be sent back. */
async function onBatch({ id, key, calls }) {
  const mod = modules.get(key);
  const results = [];
  for (const call of calls) results.push(await runCall(mod, call));
  let frame;
  try {
    frame = encode({ type: 'batched', id, ok: true, results });
  } catch {
    frame = null; // a value that is not plain data: the grader makes these calls one by one and sees which
  }
  if (frame === null || frame.length > MAX_REPLY_BYTES) send({ type: 'batched', id, ok: false });
  else channel.write(frame);
}

lockGlobals();
const decoder = new Decoder(Number.MAX_SAFE_INTEGER);
channel.on('data', (chunk) => {
  for (const msg of decoder.push(chunk)) {
    if (msg?.type === 'load') void onLoad(msg);
    else if (msg?.type === 'call') void onCall(msg);
    else if (msg?.type === 'batch') void onBatch(msg);
  }
});
send({ type: 'ready' });
