import { spawnSync } from 'node:child_process';
/**
 * The CLI end to end, as an instructor and a student meet it: `dlgrade grade` on the reference
 * laid out as a submission (full marks, a Gradescope results.json), on the untouched stubs
 * (0 points, "not implemented" per exercise, non-zero exit), replay and usage. Hostile submissions
 * have their own spec (hostile.spec.ts).
 */
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import tty from 'node:tty';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main, PACKAGE_ROOT, wantsColor } from '../graders/cli.ts';
import { roughly } from '../graders/commands.ts';
import type { GradeReport } from '../graders/engine/grade.ts';
import { FAMILIES } from '../graders/families.ts';
import type { GradescopeResults } from '../graders/report/gradescope.ts';

const scratch: string[] = [];
afterAll(() => scratch.forEach((d) => rmSync(d, { recursive: true, force: true })));

function tempDir(): string {
  const d = mkdtempSync(path.join(tmpdir(), 'dlgrade-spec-'));
  scratch.push(d);
  return d;
}

/** reference/*.ts copied into a fresh folder: a submission laid out like exercises/ */
function referenceSubmission(): string {
  const dir = tempDir();
  for (const f of readdirSync(path.join(PACKAGE_ROOT, 'reference'))) cpSync(path.join(PACKAGE_ROOT, 'reference', f), path.join(dir, f));
  return dir;
}

async function dlgrade(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (s) => out.push(s), err: (s) => err.push(s), color: false });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const read = <T>(file: string): T => JSON.parse(readFileSync(file, 'utf8')) as T;

describe('dlgrade grade', () => {
  it('the reference laid out as a submission gets full marks and a Gradescope results.json', async () => {
    const out = tempDir();
    const r = await dlgrade('grade', '--submission', referenceSubmission(), '--out', out);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const results = read<GradescopeResults>(path.join(out, 'results.json'));
    const max = results.tests.reduce((s, t) => s + t.max_score, 0);
    expect(results.score).toBe(max);
    expect(results.tests.every((t) => t.status === 'passed')).toBe(true);
    // every family graded, public and hidden checks present, hidden ones held back until publication
    for (const f of FAMILIES) expect(results.tests.some((t) => t.tags.includes(f.module)), f.module).toBe(true);
    expect(results.tests.some((t) => t.visibility === 'after_published')).toBe(true);
    const report = read<GradeReport>(path.join(out, 'report.json'));
    expect(report.score).toBe(report.max);
    expect(r.out).toMatch(/Total (\d+)\/\1 \(100%\)/);
  }, 360_000); // every family's checks, as perturbed.spec.ts: over 120 s when the machine is busy

  it('the untouched stubs score 0, say "not implemented" for every exercise, and exit non-zero', async () => {
    const r = await dlgrade('grade');
    expect(r.code).toBe(1);
    const exercises = FAMILIES.flatMap((f) => f.exercises);
    expect(r.out.match(/not implemented/g)?.length).toBe(exercises.length);
    expect(r.out).toMatch(/Total 0\/\d+ \(0%\)/);
  });

  it('a submission whose every export throws an anonymous Error scores 0 on every check, hidden ones included', async () => {
    const dir = tempDir();
    for (const f of FAMILIES) writeFileSync(path.join(dir, `${f.module}.ts`), f.exercises.map((e) => `export function ${e.name}(): never { throw new Error('boom'); }\n`).join(''));
    const out = tempDir();
    const r = await dlgrade('grade', '--submission', dir, '--out', out);
    expect(r.code).toBe(1);
    const report = read<GradeReport>(path.join(out, 'report.json'));
    const passed = report.families.flatMap((f) => f.exercises.flatMap((e) => e.checks)).filter((c) => c.status === 'passed');
    expect(passed.map((c) => c.id)).toEqual([]);
    expect(report.score).toBe(0);
  });

  it('replays one failing case exactly from the seed and path a report prints', async () => {
    const dir = referenceSubmission();
    const ref = readFileSync(path.join(dir, 'activations.ts'), 'utf8');
    writeFileSync(path.join(dir, 'activations.ts'), ref.replace('return sigmoid(x) * sigmoid(-x);', 'return Math.abs(x) > 3 ? 0 : sigmoid(x) * sigmoid(-x);'));
    const first = await dlgrade('grade', '--submission', dir, '--only', 'A1.sigmoidGrad.numeric');
    const replay = /replay: npx dlgrade grade --submission \S+ --only A1\.sigmoidGrad\.numeric --seed (\d+) --replay (\S+)/.exec(first.out);
    expect(replay, first.out).not.toBeNull();
    const input = /smallest failing input: (\S+)/.exec(first.out)?.[1];
    const again = await dlgrade('grade', '--submission', dir, '--only', 'A1.sigmoidGrad.numeric', '--seed', replay![1], '--replay', replay![2]);
    expect(again.code).toBe(1);
    expect(/smallest failing input: (\S+)/.exec(again.out)?.[1]).toBe(input);

    // the platforms' feedback prints the same command with the seed it was graded with (not a placeholder)
    const out = tempDir();
    expect((await dlgrade('grade', '--submission', dir, '--only', 'A1.sigmoidGrad.numeric', '--seed', '77', '--out', out)).code).toBe(1);
    const output = read<GradescopeResults>(path.join(out, 'results.json')).tests.find((t) => t.output?.includes('--only A1.sigmoidGrad.numeric '))?.output ?? '';
    const command = /Replay: npx dlgrade grade (--only A1\.sigmoidGrad\.numeric --seed 77 --replay \S+)/.exec(output);
    expect(command, output).not.toBeNull();
    const fromPlatform = await dlgrade('grade', '--submission', dir, ...command![1].split(' '));
    expect(fromPlatform.code).toBe(1);
    expect(/smallest failing input: (\S+)/.exec(fromPlatform.out)?.[1]).toBe(/^Input: (.*)$/m.exec(output)?.[1].replace(/ /g, ''));
  });

  it('rejects bad arguments with a usage message and exit 2', async () => {
    expect((await dlgrade('grade', '--only', 'Z9')).err).toMatch(/--only Z9: no check, exercise, catalogue id or family has that name/);
    expect((await dlgrade('grade', '--seed', 'abc')).code).toBe(2);
    expect((await dlgrade('grade', '--replay', '1:2')).err).toMatch(/--replay needs --only/);
    expect((await dlgrade('grade', '--submission', '/nonexistent/folder')).err).toMatch(/no such folder/);
    expect((await dlgrade('frobnicate')).code).toBe(2);
  });

  it('says what is wrong in one line and where the usage is, never with a stack trace or the whole usage', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'dlgrade-cli-')), 'a-file');
    writeFileSync(file, '');
    const full = path.dirname(file); // not empty: it holds the file
    const cases: [string[], RegExp][] = [
      [['grade', '--seed', '1e300'], /^dlgrade: --seed must be a whole number below 2\^53 in size; got '1e300'$/],
      [['grade', '--seed', '9007199254740993'], /^dlgrade: --seed must be a whole number/],
      [['grade', '--only', 'A1.sigmoid.stable', '--replay', 'xyz'], /^dlgrade: --replay takes the path a report printed/],
      [['grade', '--only', 'A1', '--out', file], /^dlgrade: --out .* is a file: give a folder/],
      [['grade', '--only', 'A1', '--student', 'ada'], /^dlgrade: --student gives per-student hidden seeds only with the course secret: set DLGRADE_SECRET$/],
      [['export', '--out', full], /^dlgrade: --out .* is not empty: export writes into a new or empty folder$/],
      [['frobnicate'], /^dlgrade: unknown command 'frobnicate' \(commands: grade, watch, list, derivative, export\)$/],
    ];
    const secret = process.env.DLGRADE_SECRET;
    delete process.env.DLGRADE_SECRET;
    try {
      for (const [argv, message] of cases) {
        const r = await dlgrade(...argv);
        expect(r.code, argv.join(' ')).toBe(2);
        const lines = r.err.trimEnd().split('\n');
        expect(lines[0], argv.join(' ')).toMatch(message);
        expect(lines.slice(1), argv.join(' ')).toEqual([`(dlgrade ${argv[0] === 'frobnicate' ? '' : `${argv[0]} `}--help shows the usage)`]);
      }
    } finally {
      if (secret !== undefined) process.env.DLGRADE_SECRET = secret;
      rmSync(full, { recursive: true, force: true });
    }
  });

  it('off a terminal, a grading says on stderr as each family’s public and hidden checks are done', () => {
    const r = spawnSync(process.execPath, [path.join(PACKAGE_ROOT, 'graders', 'bin', 'dlgrade.js'), 'grade', '--submission', path.join(PACKAGE_ROOT, 'reference'), '--only', 'K,N', '--no-color'], { encoding: 'utf8', timeout: 120_000 });
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stderr.trim().split('\n');
    expect(lines.map((l) => /^dlgrade: (\S+) (public|hidden) checks done: \d+ in [\d.]+ s \(\d+\/64 checks\)$/.exec(l)?.slice(1, 3).join(' '))).toEqual(["pooling's public", "text's public", "pooling's hidden", "text's hidden"]);
    expect(lines.at(-1)).toMatch(/\(64\/64 checks\)$/);
    expect(r.stdout).not.toMatch(/checks done/);
  });

  it('says a duration as people do', () => {
    expect([0, 1400, 40_000, 89_400, 95_000, 3 * 3600_000 + 600_000].map(roughly)).toEqual(['1 s', '1 s', '40 s', '89 s', '2 min', '3 h 10 min']);
  });

  it('colours a terminal as Node judges it (NO_COLOR, TERM=dumb, FORCE_COLOR), never a pipe or a file unless FORCE_COLOR asks', () => {
    const terminal = Object.assign(Object.create(tty.WriteStream.prototype) as tty.WriteStream, { isTTY: true });
    const pipe = { isTTY: false };
    expect(wantsColor(terminal, { TERM: 'xterm-256color' })).toBe(true);
    expect(wantsColor(terminal, { TERM: 'xterm-256color', NO_COLOR: '1' })).toBe(false);
    expect(wantsColor(terminal, { TERM: 'dumb' })).toBe(false);
    expect(wantsColor(terminal, { TERM: 'xterm-256color', FORCE_COLOR: '0' })).toBe(false);
    expect(wantsColor(pipe, { TERM: 'xterm-256color' })).toBe(false);
    expect(wantsColor(pipe, { FORCE_COLOR: '1' })).toBe(true);
  });

  it('prints one command\'s usage with CMD --help, every command\'s with --help', async () => {
    const one = await dlgrade('list', '--help');
    expect(one.code).toBe(0);
    expect(one.out.trim()).toBe('usage:\n  dlgrade list [--only ID,...]\n\nlist    lists the exercises and checks');
    const all = await dlgrade('--help');
    for (const c of ['grade', 'watch', 'list', 'derivative', 'export']) expect(all.out).toMatch(new RegExp(`^  dlgrade ${c} `, 'm'));
  });

  it('lists exercises and checks', async () => {
    const r = await dlgrade('list', '--only', 'A1');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/A1\s+sigmoid: σ\(x\) = 1\/\(1 \+ e\^−x\)/);
    expect(r.out).toMatch(/A1\.sigmoid\.ln3 {2}\[public example, 1 pt\]/);
    expect(r.out).toMatch(/A1\.sigmoid\.reference {2}\[hidden differential, 1 pt\]/);
  });
});
