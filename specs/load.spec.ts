/**
 * A score does not depend on how busy the machine is. The review saw the reference lose points
 * ("did not finish within 2000 ms") when a class was graded with --jobs 2 on a loaded machine:
 * the per-call limit was wall-clock time. Here the machine is saturated on purpose — busy
 * processes, twice as many as there are cores, started before grading and stopped after — while
 * two copies of the reference are graded two at a time on the checks with the heaviest calls
 * (optimiser runs, Monte-Carlo statistics, numerical gradients of whole networks): both must
 * keep full marks.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main, PACKAGE_ROOT } from '../graders/cli.ts';

const busy: ChildProcess[] = [];
const scratch: string[] = [];

afterAll(() => {
  for (const p of busy) p.kill('SIGKILL');
  scratch.forEach((d) => rmSync(d, { recursive: true, force: true }));
});

describe('grading under load', () => {
  it('a saturated machine costs the reference no point (call limits count CPU time, not wall-clock time)', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'dlgrade-load-'));
    scratch.push(root);
    for (const student of ['ada', 'bob']) {
      mkdirSync(path.join(root, student));
      for (const f of readdirSync(path.join(PACKAGE_ROOT, 'reference'))) cpSync(path.join(PACKAGE_ROOT, 'reference', f), path.join(root, student, f));
    }
    for (let i = 0; i < 2 * availableParallelism(); i++) busy.push(spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }));
    const out = path.join(root, 'grades');
    const lines: string[] = [];
    const code = await main(['grade', '--submissions', root, '--out', out, '--jobs', '2', '--only', 'H2,H5,G4,E3,C5,D2'], { out: (s) => lines.push(s), err: (s) => lines.push(s), color: false });
    for (const p of busy) p.kill('SIGKILL');
    expect(code, lines.join('\n')).toBe(0);
    const book = readFileSync(path.join(out, 'gradebook.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));
    expect(book.map((row) => row[0])).toEqual(['ada', 'bob']);
    for (const row of book) {
      expect(Number(row[2]), row[0]).toBeGreaterThan(50);
      expect(row[1], `${row[0]}: ${lines.join('\n')}`).toBe(row[2]); // score = max
    }
  });
});
