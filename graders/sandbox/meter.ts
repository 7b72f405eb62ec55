/**
 * What the student process costs, read from outside it (Linux /proc), so that nothing the
 * student's code does can forge it: CPU time (user + system, every thread), resident memory,
 * and whether its main thread is running/runnable or asleep. Limits measured in CPU time do not
 * depend on how busy the machine is; a process starved of CPU by the load is runnable ('R'),
 * one that waits for something that never comes (an unsettled promise, Atomics.wait) sleeps.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

export interface Sample {
  cpuMs: number;
  rssKb: number;
  /** the main thread: R running or runnable, S/D asleep, Z/X gone, … */
  state: string;
}

function sysconf(name: string, fallback: number): number {
  try {
    const v = Number(execFileSync('getconf', [name], { encoding: 'utf8', timeout: 5000 }).trim());
    return Number.isFinite(v) && v > 0 ? v : fallback;
  } catch {
    return fallback;
  }
}

let units: { tick: number; page: number } | null = null;

/** Clock ticks per second and the page size, asked once. */
function unitsOf(): { tick: number; page: number } {
  units ??= { tick: sysconf('CLK_TCK', 100), page: sysconf('PAGESIZE', 4096) };
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
