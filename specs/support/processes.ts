/**
 * The processes a spec's grader run may have left behind: a student process keeps its folders in
 * its arguments, a worker its TMPDIR in its environment (Linux /proc).
 */
import { readdirSync, readFileSync } from 'node:fs';

/** Processes (other than this one) whose command line or environment mentions one of `needles`. */
export function processesMentioning(needles: string[]): string[] {
  const read = (file: string) => {
    try {
      return readFileSync(file, 'utf8');
    } catch {
      return ''; // ended meanwhile, or another user's
    }
  };
  return readdirSync('/proc')
    .filter((pid) => /^\d+$/.test(pid) && Number(pid) !== process.pid)
    .map((pid) => ({ pid, cmdline: read(`/proc/${pid}/cmdline`), environ: read(`/proc/${pid}/environ`) }))
    .filter((p) => needles.some((n) => p.cmdline.includes(n) || p.environ.includes(n)))
    .map((p) => `${p.pid}: ${p.cmdline.replace(/\0/g, ' ').slice(0, 200)}`);
}
