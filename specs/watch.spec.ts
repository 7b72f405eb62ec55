/**
 * dlgrade watch, the student loop: grades once, then on each save grades the changed file's
 * family (and then the families that import it) and prints only what changed; Ctrl-C ends it
 * with no student process or temp folder left behind.
 */
import { spawn } from 'node:child_process';
import { chmodSync, cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../graders/cli.ts';
import { affected, changes } from '../graders/watch.ts';
import { FAMILIES } from '../graders/families.ts';
import type { GradeReport } from '../graders/engine/grade.ts';
import { processesMentioning } from './support/processes.ts';

const scratch: string[] = [];
afterAll(() => scratch.forEach((d) => rmSync(d, { recursive: true, force: true })));
const temp = (prefix: string) => {
  const d = mkdtempSync(path.join(tmpdir(), prefix));
  chmodSync(d, 0o1777); // like /tmp: a student process running as nobody reads its folders there
  scratch.push(d);
  return d;
};

describe('what a save grades again', () => {
  it("a family's own module, and every family whose module imports the changed file (transitively)", () => {
    const dir = temp('dlgrade-watch-');
    for (const f of readdirSync(path.join(PACKAGE_ROOT, 'reference'))) cpSync(path.join(PACKAGE_ROOT, 'reference', f), path.join(dir, f));
    const ids = (changed: string) => affected(dir, FAMILIES, [path.join(dir, changed)]).map((f) => f.id);
    // the reference's visualization reuses pooling's globalAvgPool (K3) for its class scores
    expect(ids('pooling')).toEqual(['K', 'Q']);
    // the reference's backprop, losses, second-order and recurrent import activations; autoencoders
    // and gan import backprop (family C's network), visualization imports losses (B1's sseLoss)
    expect(ids('activations')).toEqual(['A', 'B', 'C', 'D', 'M', 'O', 'P', 'Q']);
    // every module imports tensor.ts
    expect(ids('tensor')).toEqual(FAMILIES.map((f) => f.id));
  });

  it('prints checks that now pass, now fail, or fail differently; nothing for the rest', () => {
    const report = (checks: { id: string; status: 'passed' | 'failed'; message?: string }[]): GradeReport => ({
      submission: 's', courseSeed: 1, durationMs: 0, score: 0, max: 0,
      families: [{ id: 'A', module: 'activations', title: 'A', score: 0, max: 0, exercises: [{ name: 'sigmoid', catalogue: 'A1', arity: 1, summary: '', status: 'graded', score: 0, max: 0, checks: checks.map((c) => ({ ...c, exercise: 'sigmoid', catalogue: 'A1', title: `title of ${c.id}`, kind: 'property', visibility: 'public', points: 1, score: c.status === 'passed' ? 1 : 0, hint: 'the hint' })) }] }],
    });
    const before = report([{ id: 'a', status: 'passed' }, { id: 'b', status: 'failed', message: 'wrong' }, { id: 'c', status: 'failed', message: 'off by 1' }, { id: 'd', status: 'passed' }]);
    const after = report([{ id: 'a', status: 'failed', message: 'now wrong' }, { id: 'b', status: 'passed' }, { id: 'c', status: 'failed', message: 'off by 2' }, { id: 'd', status: 'passed' }]);
    const text = changes(before, after, { color: false, command: 'npx dlgrade grade' }).join('\n');
    expect(text).toMatch(/^ {2}now fails {3}a {2}\[public property, 1 pt\] {2}title of a\n {6}now wrong\n {6}hint: the hint$/m);
    expect(text).toMatch(/^ {2}now passes {2}b {2}title of b$/m);
    expect(text).toMatch(/^ {2}still fails c .*\n {6}off by 2/m);
    expect(text).not.toMatch(/\bd\b.*title of d/);
  });
});

describe('dlgrade watch', () => {
  it('grades again on each save, the own family first, and ends on Ctrl-C with nothing left behind', async () => {
    const tmp = temp('dlgrade-watch-tmp-'); // the command's TMPDIR: its temp folders are in here
    const dir = temp('dlgrade-watch-sub-');
    for (const f of readdirSync(path.join(PACKAGE_ROOT, 'reference'))) cpSync(path.join(PACKAGE_ROOT, 'reference', f), path.join(dir, f));
    const child = spawn(process.execPath, [path.join(PACKAGE_ROOT, 'graders', 'bin', 'dlgrade.js'), 'watch', '--submission', dir, '--only', 'A,B', '--no-color'], { env: { ...process.env, TMPDIR: tmp }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const ended = new Promise<string | null>((r) => child.once('exit', (_code, signal) => r(signal)));
    const until = async (re: RegExp, from: number) => {
      for (const end = Date.now() + 60_000; !re.test(out.slice(from)); ) {
        if (Date.now() > end) throw new Error(`waited for ${re} in:\n${out}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      return out.length;
    };
    try {
      let at = await until(/watching .*save a file to grade it again/, 0);
      expect(out).toMatch(/Total (\d+)\/\1 \(100%\)/);
      const file = path.join(dir, 'activations.ts');
      const right = readFileSync(file, 'utf8');
      writeFileSync(file, right.replace('return (4 * t) / ((1 + t) * (1 + t));', 'return (4 * t) / ((1 + t) * (1 + t)) + 1e-3;'));
      at = await until(/and what imports it: graded B/, at);
      const round = out.slice(out.lastIndexOf('activations.ts changed: graded A'));
      expect(round).toMatch(/^activations\.ts changed: graded A \d+\/\d+ in [\d.]+ s$/m);
      expect(round).toMatch(/now fails {3}A2\.tanhGrad\.zero/);
      expect(round.indexOf('graded A')).toBeLessThan(round.indexOf('graded B'));
      writeFileSync(file, right);
      at = await until(/now passes {2}A2\.tanhGrad\.zero[\s\S]*and what imports it: graded B[\s\S]*Total (\d+)\/\1 — every check passes/, at);
      // a type error costs no check: the save's report says "no check changed", the type check follows it
      writeFileSync(file, `${right}\nexport const typo: string = 1;\n`);
      at = await until(/1 type error against the exercises' signatures[^\n]*\n {2}activations\.ts:\d+:14 Type 'number' is not assignable to type 'string'\./, at);
      writeFileSync(file, right);
      await until(/no type errors in the files graded again/, at);
      child.kill('SIGINT');
      expect(await ended).toBe('SIGINT');
      expect(processesMentioning([tmp, dir])).toEqual([]);
      expect(readdirSync(tmp)).toEqual([]);
    } finally {
      child.kill('SIGKILL');
    }
  }, 120_000);
});
