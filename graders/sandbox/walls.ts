/**
 * The walls around a student process, and the command line that raises them.
 *
 * Inside Node (always): a separate process; Node's permission model (reads only the
 * submission and the sandbox runtime; no writes, child processes, workers or addons); imports
 * limited to the submission's own files (prepare.ts) with code generation from strings off, so
 * that no import can be built at run time; frozen intrinsics; a runtime that holds the grading
 * channel where student code cannot reach it and removes the network globals (runtime/child.mjs).
 *
 * Around Node, on Linux, where the tools exist (each is probed once, by running it):
 * - `setpriv` (util-linux): when the grader runs as root, the student process drops to the
 *   unprivileged user nobody (65534); always, a parent-death signal (SIGKILL when the grader
 *   dies, whatever the way) and no-new-privileges;
 * - `prlimit` (util-linux): file size 0 (nothing can be written, not even a trace log), no core
 *   dumps, a bounded number of open files, and as nobody a bounded number of processes;
 * - `bwrap` (bubblewrap, Debian's `bubblewrap` package): new user, network, pid, ipc, uts and
 *   cgroup namespaces — no network interface but a loopback of its own, no other process
 *   visible — a read-only view of /usr and of the folders it may read, a private /tmp, and
 *   death with its parent.
 * What is missing is reported, with the reason, in every grading report (`isolation()`).
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, lstatSync, realpathSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Isolation, Wall } from '../engine/types.ts';

/** nobody:nogroup on Debian and most Linux distributions */
export const SANDBOX_UID = 65534;
export const SANDBOX_GID = 65534;
/** Threads count as processes for RLIMIT_NPROC, and the count is per user (every student as nobody). */
const MAX_PROCESSES = 1024;
const MAX_OPEN_FILES = 256;

export interface Tools {
  linux: boolean;
  root: boolean;
  setpriv?: string;
  prlimit?: string;
  bwrap?: string;
  /** why bwrap is not used, when it is not */
  bwrapProblem?: string;
  /** the wrapper chain could not start a process as nobody: why */
  dropProblem?: string;
}

/** Where `name` is on PATH (or in /usr/bin, /bin), or undefined. */
function which(name: string): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(path.delimiter), '/usr/bin', '/bin', '/usr/sbin', '/sbin'];
  for (const dir of dirs) {
    if (!dir) continue;
    const file = path.join(dir, name);
    try {
      accessSync(file, constants.X_OK);
      return file;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** The wrapper commands before node: [setpriv …] [prlimit …] [bwrap …]. */
function prefix(tools: Tools, binds: { readOnly: string[]; chdir: string }): string[] {
  const out: string[] = [];
  const drop = tools.root && !tools.dropProblem;
  if (tools.setpriv) {
    out.push(tools.setpriv);
    if (drop) out.push(`--reuid=${SANDBOX_UID}`, `--regid=${SANDBOX_GID}`, '--clear-groups');
    out.push('--no-new-privs', '--pdeathsig', 'KILL', '--');
  }
  if (tools.prlimit) {
    out.push(tools.prlimit, '--fsize=0', '--core=0', `--nofile=${MAX_OPEN_FILES}`);
    if (drop) out.push(`--nproc=${MAX_PROCESSES}`);
    out.push('--');
  }
  if (tools.bwrap && !tools.bwrapProblem) out.push(tools.bwrap, ...bwrapArgs(binds));
  return out;
}

/** /lib, /lib64, /bin, /sbin: symbolic links into /usr on merged-/usr systems, bound otherwise. */
function systemDirs(): string[] {
  const args: string[] = ['--ro-bind', '/usr', '/usr'];
  for (const dir of ['/lib', '/lib64', '/bin', '/sbin']) {
    if (!existsSync(dir)) continue;
    const st = lstatSync(dir);
    if (st.isSymbolicLink()) args.push('--symlink', path.relative('/', realpathSync(dir)), dir);
    else args.push('--ro-bind', dir, dir);
  }
  return args;
}

function bwrapArgs(binds: { readOnly: string[]; chdir: string }): string[] {
  const node = realpathSync(process.execPath);
  const args = [
    '--unshare-all',
    '--die-with-parent',
    '--new-session',
    '--cap-drop',
    'ALL',
    ...systemDirs(),
    '--proc',
    '/proc',
    '--dev',
    '/dev',
    '--tmpfs',
    '/tmp',
  ];
  if (!node.startsWith('/usr/')) args.push('--ro-bind', node, node);
  for (const p of binds.readOnly) args.push('--ro-bind', p, p);
  args.push('--chdir', binds.chdir, '--');
  return args;
}

let detected: Tools | null = null;

/**
 * Finds the tools and proves that the chain works here by running it once: bubblewrap is often
 * installed where it cannot create namespaces (a container without user namespaces), and a
 * Node installed under a folder nobody cannot read cannot run as nobody.
 */
export function detectTools(): Tools {
  if (detected) return detected;
  const linux = process.platform === 'linux';
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  const tools: Tools = { linux, root };
  if (linux && process.env.DLGRADE_OS_WALLS !== 'off') {
    tools.setpriv = which('setpriv');
    tools.prlimit = which('prlimit');
    tools.bwrap = which('bwrap');
    if (!tools.bwrap) tools.bwrapProblem = 'bubblewrap is not installed (Debian/Ubuntu: apt-get install bubblewrap)';
    if (root && !tools.setpriv) tools.dropProblem = 'setpriv (util-linux) is not installed';
    const probe = (): string | null => {
      const cwd = path.dirname(realpathSync(process.execPath));
      // node --version: the binary and its libraries load behind every wall, in a tenth of the time of a script
      const argv = [...prefix(tools, { readOnly: [], chdir: '/' }), process.execPath, '--version'];
      if (argv.length === 2) return null;
      const r = spawnSync(argv[0], argv.slice(1), { cwd, env: {}, timeout: 30_000, encoding: 'utf8' });
      return r.stdout.trim() === process.version ? null : (r.stderr || r.error?.message || `exit ${r.status}`).trim().split('\n')[0];
    };
    let problem = probe();
    if (problem && tools.bwrap && !tools.bwrapProblem) {
      tools.bwrapProblem = `bubblewrap cannot create its namespaces here: ${problem}`;
      problem = probe();
    }
    if (problem && root && !tools.dropProblem) {
      tools.dropProblem = `a process cannot start as nobody here: ${problem}`;
      problem = probe();
    }
    if (problem) {
      // the wrappers themselves fail: run Node directly, and say so
      tools.setpriv = undefined;
      tools.prlimit = undefined;
      tools.bwrapProblem ??= `the wrapper tools do not run here: ${problem}`;
    }
  } else if (linux) {
    tools.bwrapProblem = 'turned off by DLGRADE_OS_WALLS=off';
    if (root) tools.dropProblem = 'turned off by DLGRADE_OS_WALLS=off';
  }
  detected = tools;
  return tools;
}

/** Can every user pass through each folder on the way to `dir`? */
function traversable(dir: string): boolean {
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    try {
      if ((statSync(d).mode & 0o001) === 0) return false;
    } catch {
      return false;
    }
    if (d === path.dirname(d)) return true;
  }
}

/**
 * Where the grader puts what a student process must read (the transpiled submission, the
 * runtime): the system temp folder, unless the student process runs as nobody and that folder
 * is private to the grader's user (TMPDIR under /root, say): then /tmp.
 */
export function sandboxTmpdir(): string {
  const dir = tmpdir();
  const tools = detectTools();
  return tools.root && !tools.dropProblem && !traversable(dir) && traversable('/tmp') ? '/tmp' : dir;
}

/** For specs: forget what was detected (after changing DLGRADE_OS_WALLS). */
export function redetect(): Tools {
  detected = null;
  return detectTools();
}

export interface Launch {
  command: string;
  args: string[];
  /** the working folder (readable by the student process, which may run as nobody) */
  cwd: string;
}

/** The command that starts `node nodeArgs…` behind every wall available here. */
export function launch(nodeArgs: string[], binds: { readOnly: string[]; chdir: string }): Launch {
  const tools = detectTools();
  const argv = [...prefix(tools, binds), process.execPath, ...nodeArgs];
  return { command: argv[0], args: argv.slice(1), cwd: binds.chdir };
}

/** What held for this run, for the reports. */
export function isolation(tools: Tools, limits: { heapMb: number; rssMb: number; cpuMs: number; cpuMeasured: boolean }): Isolation {
  const walls: Wall[] = [
    { name: 'process', active: true, detail: 'a separate Node process per submission, another for the hidden checks' },
    { name: 'permissions', active: true, detail: 'Node permission model: reads only the submission; no writes, processes, workers or addons' },
    { name: 'imports', active: true, detail: 'imports only from the submission; no eval or new Function; intrinsics frozen; no network globals' },
    tools.root
      ? tools.dropProblem
        ? { name: 'user', active: false, detail: `runs as root: ${tools.dropProblem}` }
        : { name: 'user', active: true, detail: `runs as nobody (uid ${SANDBOX_UID})` }
      : { name: 'user', active: true, detail: "runs as the grader's own unprivileged user" },
    tools.bwrap && !tools.bwrapProblem
      ? { name: 'namespaces', active: true, detail: 'bubblewrap: no network, no other process visible, read-only files, private /tmp' }
      : { name: 'namespaces', active: false, detail: tools.linux ? (tools.bwrapProblem ?? 'bubblewrap is not available') : `not Linux (${process.platform}): no bubblewrap` },
    tools.prlimit
      ? { name: 'limits', active: true, detail: `file size 0, no core dumps, ${MAX_OPEN_FILES} open files${tools.root && !tools.dropProblem ? `, ${MAX_PROCESSES} processes` : ''}, heap ${limits.heapMb} MB, memory ${limits.rssMb} MB` }
      : { name: 'limits', active: false, detail: `prlimit is not available: heap ${limits.heapMb} MB${tools.linux ? `, memory ${limits.rssMb} MB` : ''} only` },
    limits.cpuMeasured
      ? { name: 'cpu-time', active: true, detail: `each call limited to ${limits.cpuMs / 1000} s of CPU time, whatever the load` }
      : { name: 'cpu-time', active: false, detail: `no /proc here: each call limited to ${limits.cpuMs / 1000} s of wall-clock time, retried once` },
    tools.setpriv
      ? { name: 'parent-death', active: true, detail: 'killed with the grader, whatever the way it ends' }
      : { name: 'parent-death', active: false, detail: tools.linux ? 'setpriv is not available: killed when the grader exits normally or on a signal' : 'killed when the grader exits normally or on a signal' },
  ];
  return { walls };
}
