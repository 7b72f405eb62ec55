/**
 * The student process. Started by sandbox/host.ts under Node's permission model with read
 * access to this folder and the transpiled submission only: no writes, no child processes, no
 * workers, a heap cap. It imports the student's modules and answers calls; everything crosses
 * as structured-clone data. Plain JavaScript so that it needs nothing outside this folder.
 *
 * Before any student code runs, the process methods that could reach outside (signals to other
 * processes, native addons, raw bindings) or end the process are replaced by functions that
 * throw, so `process.exit(0)` in a submission fails the call that made it instead of silently
 * ending grading. This is a seatbelt, not a wall: see README, "Isolation".
 */
import { pathToFileURL } from 'node:url';
import { isFunctionSpec, materialize } from './functions.mjs';

const send = process.send.bind(process);

class SandboxViolation extends Error {
  constructor(message) {
    super(message);
    this.name = 'SandboxViolation';
  }
}

function forbid(name, describe) {
  const thrower = (...args) => {
    throw new SandboxViolation(describe(args));
  };
  Object.defineProperty(process, name, { value: thrower, writable: false, configurable: false });
}
forbid('exit', ([code]) => `process.exit(${code ?? ''}) is not allowed in graded code`);
forbid('reallyExit', ([code]) => `process.reallyExit(${code ?? ''}) is not allowed in graded code`);
forbid('abort', () => 'process.abort() is not allowed in graded code');
forbid('kill', () => 'process.kill() is not allowed in graded code');
forbid('_kill', () => 'process._kill() is not allowed in graded code');
forbid('dlopen', () => 'native addons are not allowed in graded code');
forbid('binding', () => 'process.binding() is not allowed in graded code');
forbid('_linkedBinding', () => 'process._linkedBinding() is not allowed in graded code');
forbid('send', () => 'process.send() is reserved for the grader');

// A stray error from a timer the student left behind must not take down the process: it is
// reported on stderr (the grader keeps the tail) and the next call goes on.
process.on('uncaughtException', (e) => process.stderr.write(`uncaught: ${e?.stack ?? e}\n`));
process.on('unhandledRejection', (e) => process.stderr.write(`unhandled rejection: ${e?.stack ?? e}\n`));

const modules = new Map();

function errorInfo(e) {
  if (e instanceof Error) return { name: e.name, message: String(e.message), stack: String(e.stack ?? '') };
  return { name: 'thrown value', message: String(e), stack: '' };
}

function describeExports(mod) {
  const out = {};
  for (const [name, v] of Object.entries(mod)) {
    out[name] = typeof v === 'function' ? { kind: 'function', length: v.length } : { kind: typeof v, length: 0 };
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
  if (x !== null && typeof x === 'object') {
    const out = {};
    for (const [k, v] of Object.entries(x)) out[k] = revive(v, counters);
    return out;
  }
  return x;
}

async function onLoad({ id, key, file }) {
  try {
    const mod = await import(pathToFileURL(file).href);
    modules.set(key, mod);
    send({ type: 'loaded', id, key, ok: true, exports: describeExports(mod) });
  } catch (e) {
    send({ type: 'loaded', id, key, ok: false, error: errorInfo(e) });
  }
}

async function onCall({ id, key, name, args }) {
  const mod = modules.get(key);
  const fn = mod?.[name];
  if (typeof fn !== 'function') {
    send({ type: 'result', id, ok: false, error: { name: 'ContractError', message: `${name} is not an exported function`, stack: '' } });
    return;
  }
  const counters = [];
  let value;
  try {
    value = await fn(...revive(args, counters));
  } catch (e) {
    send({ type: 'result', id, ok: false, error: errorInfo(e) });
    return;
  }
  try {
    send({ type: 'result', id, ok: true, value, calls: counters.map((c) => c.n) });
  } catch (e) {
    const info = errorInfo(e);
    send({ type: 'result', id, ok: false, unserializable: true, error: { ...info, message: `returned a value that is not plain data (${info.message})` } });
  }
}

process.on('message', (msg) => {
  if (msg?.type === 'load') void onLoad(msg);
  else if (msg?.type === 'call') void onCall(msg);
});
send({ type: 'ready' });
