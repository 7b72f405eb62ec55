/**
 * What the student process costs, read from outside it (Linux /proc), so that nothing the
 * student's code does can forge it: CPU time (user + system, every thread), resident memory,
 * and whether its main thread is running/runnable or asleep. Limits measured in CPU time do not
 * depend on how busy the machine is; a process starved of CPU by the load is runnable ('R'),
 * one that waits for something that never comes (an unsettled promise, Atomics.wait) sleeps.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { endianness } from 'node:os';

export interface Sample {
  cpuMs: number;
  rssKb: number;
  /** the main thread: R running or runnable, S/D asleep, Z/X gone, … */
  state: string;
}

/** The auxiliary vector's entries for the clock tick rate and the page size (elf.h: AT_CLKTCK, AT_PAGESZ). */
const AT_PAGESZ = 6;
const AT_CLKTCK = 17;

/**
 * A value the kernel hands every process in its auxiliary vector (/proc/self/auxv: pairs of
 * native 64-bit words, type then value): what sysconf() reads, without starting getconf.
 */
function auxv(type: number): number | undefined {
  try {
    const buf = readFileSync('/proc/self/auxv');
    const word = (i: number) => Number(endianness() === 'LE' ? buf.readBigUInt64LE(i) : buf.readBigUInt64BE(i));
    for (let i = 0; i + 16 <= buf.length; i += 16) if (word(i) === type) return word(i + 8);
  } catch {
    // no /proc (then nothing is metered anyway), or 32-bit words
  }
  return undefined;
}

function sysconf(type: number, name: string, fallback: number): number {
  const v = process.arch.endsWith('64') ? auxv(type) : undefined;
  if (v !== undefined && v > 0) return v;
  try {
    const got = Number(execFileSync('getconf', [name], { encoding: 'utf8', timeout: 5000 }).trim());
    return Number.isFinite(got) && got > 0 ? got : fallback;
  } catch {
    return fallback;
  }
}

let units: { tick: number; page: number } | null = null;

/** Clock ticks per second and the page size, asked once. */
export function unitsOf(): { tick: number; page: number } {
  units ??= { tick: sysconf(AT_CLKTCK, 'CLK_TCK', 100), page: sysconf(AT_PAGESZ, 'PAGESIZE', 4096) };
  return units;
}

/** True where /proc/<pid>/stat can be read (Linux). */
export function canMeter(): boolean {
  return sample(process.pid) !== null;
}

/** The process `pid` now, or null when it is gone or there is no /proc. */
export function sample(pid: number): Sample | null {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // the command name may hold spaces and parentheses: fields start after the last ')'
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const { tick, page } = unitsOf();
  return { state: f[0], cpuMs: ((Number(f[11]) + Number(f[12])) * 1000) / tick, rssKb: (Number(f[21]) * page) / 1024 };
}

/**
 * Whether process `pid` runs: it exists and is not a zombie (ended, not yet reaped by its
 * parent). Without /proc, whether it can be signalled (a zombie then counts as running).
 */
export function running(pid: number): boolean {
  const s = sample(pid);
  if (s) return s.state !== 'Z' && s.state !== 'X';
  if (canMeter()) return false; // /proc works: the process is gone
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'; // another user's
  }
}

/** The children of `pid` (Linux ≥ 3.5 with /proc/<pid>/task/<tid>/children). */
function children(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/** Every process below `pid` (bubblewrap runs Node as a grandchild), deepest last. */
export function descendants(pid: number): number[] {
  const out: number[] = [];
  const walk = (p: number, depth: number) => {
    if (depth > 8) return;
    for (const c of children(p)) {
      out.push(c);
      walk(c, depth + 1);
    }
  };
  walk(pid, 0);
  return out;
}
