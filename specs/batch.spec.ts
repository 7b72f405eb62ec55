/**
 * Grading a class: `dlgrade grade --submissions DIR` grades each student's folder in its own
 * sandbox and writes a gradebook, per-check pass rates with the most common diagnosis, and each
 * student's platform file; the PrairieLearn and JUnit formats of a single submission; a grader
 * failure on one submission (it throws, its worker crashes or wedges) is an error in the
 * gradebook, never a zero, and the batch goes on; SIGINT leaves no temp folder or process behind.
 */
import { spawn } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main, PACKAGE_ROOT } from '../graders/cli.ts';
import { csvField } from '../graders/report/gradebook.ts';
import { xmlEscape } from '../graders/report/junit.ts';
import { toPrairieLearn, type PrairieLearnResults } from '../graders/report/prairielearn.ts';
import type { GradeReport } from '../graders/engine/grade.ts';
import type { GradescopeResults } from '../graders/report/gradescope.ts';
import { processesMentioning } from './support/processes.ts';

const scratch: string[] = [];
afterAll(() => scratch.forEach((d) => rmSync(d, { recursive: true, force: true })));

function tempDir(): string {
  const d = mkdtempSync(path.join(tmpdir(), 'dlgrade-batch-'));
  scratch.push(d);
  return d;
}

/** Copies the .ts files of `from` (or only those named) into `to`. */
const copyFolder = (from: string, to: string, only?: string[]) => {
  mkdirSync(to, { recursive: true });
  for (const f of readdirSync(from)) if (f.endsWith('.ts') && (!only || only.includes(f))) cpSync(path.join(from, f), path.join(to, f));
};

/**
 * ada: the reference; bob: the untouched stubs; cyd: the reference with conv2d's kernel flipped;
 * dan: one file that does not compile and nothing else.
 */
function classFolder(): string {
  const root = tempDir();
  copyFolder(path.join(PACKAGE_ROOT, 'reference'), path.join(root, 'ada'));
  copyFolder(path.join(PACKAGE_ROOT, 'exercises'), path.join(root, 'bob'));
  copyFolder(path.join(PACKAGE_ROOT, 'reference'), path.join(root, 'cyd'));
  const conv = path.join(root, 'cyd', 'convolution.ts');
  const flipped = readFileSync(conv, 'utf8').replace('s += xRow[ix] * wRow[v];', 's += xRow[ix] * wfc[KH - 1 - u][KW - 1 - v];');
  expect(flipped).not.toBe(readFileSync(conv, 'utf8'));
  writeFileSync(conv, flipped);
  mkdirSync(path.join(root, 'dan'));
  writeFileSync(path.join(root, 'dan', 'convolution.ts'), 'export const x = ;\n');
  writeFileSync(path.join(root, 'README.txt'), 'a loose file is not a student');
  return root;
}

async function dlgrade(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  return dlgradeWith({}, ...argv);
}

/** dlgrade with the seams a spec may set (the worker --submissions forks). */
async function dlgradeWith(batch: Parameters<typeof main>[2], ...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (s) => out.push(s), err: (s) => err.push(s), color: false }, batch);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/** Rows of a CSV without quoted commas (the fields read here have none) as objects by header. */
function rows(csv: string): Record<string, string>[] {
  expect(csv.startsWith('\uFEFF'), 'a UTF-8 byte-order mark first, for spreadsheet programs').toBe(true);
  const [head, ...lines] = csv.slice(1).trim().split('\n');
  const keys = head.split(',');
  return lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [keys[i], v])));
}

describe('dlgrade grade --submissions', () => {
  it('grades every student folder: gradebook, pass rates with the most common mistake, a results.json each', async () => {
    const out = tempDir();
    const r = await dlgrade('grade', '--submissions', classFolder(), '--out', out, '--only', 'J1', '--jobs', '2');
    expect(r.err).toBe('');
    expect(r.code).toBe(0); // every submission graded, whatever the scores
    // the time left, at the pace so far, on every line but the last
    const lines = r.out.split('\n').filter((l) => /^\[\d\/4/.test(l));
    expect(lines.slice(0, 3).every((l) => /^\[\d\/4, about \d+ (s|min) left\] /.test(l)), lines.join('\n')).toBe(true);
    expect(lines[3]).toMatch(/^\[4\/4\] /);
    expect(r.out).toMatch(/4\/4 submissions graded/);

    const book = rows(readFileSync(path.join(out, 'gradebook.csv'), 'utf8'));
    expect(book.map((b) => b.student)).toEqual(['ada', 'bob', 'cyd', 'dan']);
    const [ada, bob, cyd, dan] = book;
    expect(ada.score).toBe(ada.max);
    expect(Number(ada.max)).toBeGreaterThan(5);
    expect(ada['convolution.conv2d']).toBe(ada.max);
    expect(bob.score).toBe('0');
    expect(bob.notes).toBe('not implemented: convolution.conv2d');
    expect(Number(cyd.score)).toBeGreaterThan(0);
    expect(Number(cyd.score)).toBeLessThan(Number(cyd.max));
    expect(dan.score).toBe('0');
    expect(dan.notes).toMatch(/not gradable — does not compile: convolution\.ts:1:\d+/);

    const stats = rows(readFileSync(path.join(out, 'check-stats.csv'), 'utf8'));
    expect(stats.every((s) => s.catalogue === 'J1')).toBe(true);
    const example = stats.find((s) => s.check === 'J1.conv2d.discrete-example')!;
    // ada and cyd ran it (bob's stub and dan's file could not): one pass, one kernel flipped
    expect([example.graded, example.passed, example.pass_rate]).toEqual(['2', '1', '0.500']);
    expect(example.most_common_diagnosis).toMatch(/kernel flipped/);
    expect(example.diagnosis_count).toBe('1');
    expect(r.out).toMatch(/50%\s+J1\.conv2d\.\S+ \(1\/2\)/);

    for (const s of ['ada', 'bob', 'cyd', 'dan']) expect(readdirSync(path.join(out, 'students', s)).sort(), s).toEqual(['report.json', 'results.json']);
    const adaResults = JSON.parse(readFileSync(path.join(out, 'students', 'ada', 'results.json'), 'utf8')) as GradescopeResults;
    expect(adaResults.score).toBe(Number(ada.max));
  });

  it('--resume keeps the reports of an interrupted run (same seed and checks) and grades the rest; results inside the class folder and linked student folders are not students', async () => {
    const root = tempDir();
    copyFolder(path.join(PACKAGE_ROOT, 'reference'), path.join(root, 'ada'));
    copyFolder(path.join(PACKAGE_ROOT, 'exercises'), path.join(root, 'bob'));
    symlinkSync(path.join(root, 'ada'), path.join(root, 'ada-again'));
    const out = path.join(root, 'grades'); // inside the class folder
    expect((await dlgrade('grade', '--submissions', root, '--out', out, '--only', 'K3')).code).toBe(0);
    rmSync(path.join(out, 'students', 'bob'), { recursive: true }); // as if interrupted before bob
    const again = await dlgrade('grade', '--submissions', root, '--out', out, '--only', 'K3', '--resume');
    expect(again.out).toMatch(/ada: \d+\/\d+ \(100%\) kept from the earlier run/);
    expect(again.out).toMatch(/bob: 0\/\d+ \(0%\) in /);
    expect(rows(readFileSync(path.join(out, 'gradebook.csv'), 'utf8')).map((b) => b.student)).toEqual(['ada', 'bob']);
    // other checks selected: nothing is kept
    expect((await dlgrade('grade', '--submissions', root, '--out', out, '--only', 'K1', '--resume')).out).not.toMatch(/kept/);
  });

  it.each([
    [[], /--submissions needs --out DIR/],
    [['--replay', '1:2'], /--replay and --student grade one submission/],
    [['--jobs', '0'], /--jobs must be an integer ≥ 1/],
    [['--format', 'moodle'], /--format must be one of gradescope, prairielearn, junit/],
    [['--progress-timeout', '0'], /--progress-timeout must be a number of minutes/],
  ])('usage errors exit 2: %j', async (extra, message) => {
    const r = await dlgrade('grade', '--submissions', tempDir(), ...(extra as string[]));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message as RegExp);
  });

  it('an empty class folder is a usage error', async () => {
    const r = await dlgrade('grade', '--submissions', tempDir(), '--out', tempDir());
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/no student folders inside/);
  });
});

/** The pids a worker fixture logged (specs/support/faulty-worker.ts), and the students it was asked to grade. */
function workerLog(root: string): { pids: number[]; students: string[] } {
  const file = path.join(root, 'worker.log');
  const lines = existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n').filter(Boolean) : [];
  return { pids: [...new Set(lines.map((l) => Number(l.split(' ')[0])))], students: lines.map((l) => l.split(' ')[1]).sort() };
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('a student who makes the grader fail', () => {
  const faulty = { worker: path.join(PACKAGE_ROOT, 'specs', 'support', 'faulty-worker.ts') };

  it('crash, wedge, throw: grader-error rows with markers, the others fully graded, exit 2; --resume keeps the errors without grading them again; no worker survives', async () => {
    const root = tempDir();
    // pooling alone (K3 grades it): quick to transpile, so that honest students make progress well within the timeout
    copyFolder(path.join(PACKAGE_ROOT, 'reference'), path.join(root, 'ada'), ['pooling.ts', 'tensor.ts']);
    for (const s of ['broken', 'crash', 'wedge']) mkdirSync(path.join(root, s));
    copyFolder(path.join(PACKAGE_ROOT, 'exercises'), path.join(root, 'zoe'), ['pooling.ts', 'tensor.ts', 'not-implemented.ts']);
    const out = tempDir();
    const argv = ['grade', '--submissions', root, '--out', out, '--only', 'K3', '--jobs', '2', '--progress-timeout', '0.15'];
    const r = await dlgradeWith(faulty, ...argv);
    expect(r.code).toBe(2);
    expect(r.out).toMatch(/ada: (\d+)\/\1 \(100%\) in /);
    expect(r.out).toMatch(/zoe: 0\/\d+ \(0%\) in /);
    expect(r.out).toMatch(/crash: GRADER ERROR: the grader crashed while grading this submission \(exit code 3\)$/m);
    expect(r.out).toMatch(/wedge: GRADER ERROR: the grader made no progress for 9 s$/m);
    expect(r.out).toMatch(/2\/5 submissions graded/);
    const book = rows(readFileSync(path.join(out, 'gradebook.csv'), 'utf8'));
    expect(book.map((b) => [b.student, b.status])).toEqual([['ada', 'graded'], ['broken', 'grader error'], ['crash', 'grader error'], ['wedge', 'grader error'], ['zoe', 'graded']]);
    expect([book[1].score, book[1].max, book[1].percent]).toEqual(['', '', '']); // never a zero
    expect(book[1].notes).toBe('the sandbox could not start: permission model unavailable'); // its first line
    // only ada implemented K3: the grader errors are not counted as submissions that ran the checks
    expect(rows(readFileSync(path.join(out, 'check-stats.csv'), 'utf8')).every((s) => s.graded === '1')).toBe(true);

    const ada = JSON.parse(readFileSync(path.join(out, 'students', 'ada', 'report.json'), 'utf8')) as GradeReport;
    const checks = ada.families.flatMap((f) => f.exercises.flatMap((e) => e.checks.map((c) => c.id)));
    for (const s of ['broken', 'crash', 'wedge']) {
      expect(readdirSync(path.join(out, 'students', s)), s).toEqual(['grader-error.json']);
      const marker = JSON.parse(readFileSync(path.join(out, 'students', s, 'grader-error.json'), 'utf8'));
      expect(marker).toEqual({ error: book.find((b) => b.student === s)!.notes, courseSeed: ada.courseSeed, checks, at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) });
    }
    const first = workerLog(root);
    expect(first.students).toEqual(['ada', 'broken', 'crash', 'wedge', 'zoe']);
    expect(first.pids.length).toBeGreaterThanOrEqual(3); // two lanes, and the crashed worker was replaced
    expect(first.pids.filter(alive)).toEqual([]);

    rmSync(path.join(root, 'worker.log'));
    rmSync(path.join(out, 'students', 'ada'), { recursive: true }); // as if interrupted before ada
    for (const f of ['report.json', 'results.json']) rmSync(path.join(out, 'students', 'zoe', f));
    const stale = { error: 'an earlier crash', courseSeed: 1, checks, at: '2020-01-01T00:00:00.000Z' }; // another seed: not kept
    writeFileSync(path.join(out, 'students', 'zoe', 'grader-error.json'), JSON.stringify(stale));
    const again = await dlgradeWith(faulty, ...argv, '--resume');
    expect(again.code).toBe(2);
    for (const s of ['broken', 'crash', 'wedge']) expect(again.out).toMatch(new RegExp(`${s}: GRADER ERROR: .*\\(kept from the earlier run; delete students/${s}/ to retry\\)$`, 'm'));
    expect(workerLog(root).students).toEqual(['ada', 'zoe']);
    expect(readdirSync(path.join(out, 'students', 'zoe')).sort()).toEqual(['report.json', 'results.json']); // the stale marker is gone
    expect(workerLog(root).pids.filter(alive)).toEqual([]);
  });
});

/** Polls `ok` until it holds, or fails after `ms`. */
async function until(ok: () => boolean, ms: number, what: string): Promise<void> {
  for (const end = Date.now() + ms; !ok(); await new Promise((r) => setTimeout(r, 25))) {
    if (Date.now() > end) throw new Error(`waited ${ms} ms for ${what}`);
  }
}

describe('dlgrade grade --submissions on a terminal', () => {
  // `script` (util-linux) gives the command a pseudo-terminal, as a person running it has
  it.runIf(process.platform === 'linux' && existsSync('/usr/bin/script'))('a live line names the students in flight (escaped) under a line per student; it is cleared at the end', async () => {
    const root = tempDir();
    const odd = 'eve\x1b[31m';
    for (const s of ['ada', odd]) copyFolder(path.join(PACKAGE_ROOT, 'exercises'), path.join(root, s));
    const out = tempDir();
    const command = [process.execPath, path.join(PACKAGE_ROOT, 'graders', 'bin', 'dlgrade.js'), 'grade', '--submissions', root, '--out', out, '--only', 'A1', '--jobs', '1', '--no-color']
      .map((w) => `'${w.replace(/'/g, `'\\''`)}'`)
      .join(' ');
    const child = spawn('script', ['-qec', command, '/dev/null'], { env: { ...process.env, COLUMNS: '200', NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let text = '';
    child.stdout.on('data', (d: Buffer) => (text += d.toString()));
    const code = await new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
    expect(code).toBe(0);
    expect(text).toContain('\r\x1b[K grading ada … (0 done)');
    expect(text).toContain('\r\x1b[K grading eve … (1 done)'); // the id's escape sequence is not sent
    expect(text).not.toContain('eve\x1b[31m');
    expect(text).toMatch(/\r\x1b\[K\[1\/2, about \d+ s left\] ada: 0\/\d+/); // each student's line first clears the live one
    expect(text).toMatch(/\x1b\[K\s*2\/2 submissions graded/); // cleared before the summary
    expect(text.slice(text.indexOf('submissions graded'))).not.toContain('grading');
  });
});

describe('dlgrade grade --submissions, interrupted', () => {
  it.runIf(existsSync('/proc/self/cmdline'))('SIGINT: ends at once by the signal, with no temp folder and no process left behind', async () => {
    const tmp = tempDir(); // the command's TMPDIR: every temp folder it makes is in here
    chmodSync(tmp, 0o1777); // like /tmp: a student process running as nobody reads its folders there
    const root = tempDir();
    for (const s of ['ada', 'bea', 'cal']) copyFolder(path.join(PACKAGE_ROOT, 'reference'), path.join(root, s));
    const out = tempDir();
    const child = spawn(process.execPath, [path.join(PACKAGE_ROOT, 'graders', 'bin', 'dlgrade.js'), 'grade', '--submissions', root, '--out', out], {
      env: { ...process.env, TMPDIR: tmp },
      stdio: 'ignore',
    });
    const ended = new Promise<{ code: number | null; signal: string | null }>((r) => child.once('exit', (code, signal) => r({ code, signal })));
    const ours = (dir: string) => {
      try {
        return readdirSync(dir).filter((n) => n.startsWith('dlgrade-'));
      } catch {
        return []; // a job folder removed meanwhile
      }
    };
    const preparing = () => ours(tmp).some((job) => ours(path.join(tmp, job)).length > 0); // a job folder holding a transpiled copy
    try {
      await until(preparing, 60_000, 'a student being graded'); // whole submissions: grading lasts long after
      const sent = Date.now();
      child.kill('SIGINT');
      const { code, signal } = await ended;
      expect(Date.now() - sent).toBeLessThan(5000);
      expect(signal === 'SIGINT' || code === 130, `exit ${code}, signal ${signal}`).toBe(true);
      expect(ours(tmp)).toEqual([]);
      await until(() => processesMentioning([tmp, root]).length === 0, 3000, 'no process left').catch(() => {});
      expect(processesMentioning([tmp, root])).toEqual([]);
    } finally {
      child.kill('SIGKILL'); // if the spec failed before it ended
    }
  });
});

describe('dlgrade grade --submission, interrupted', () => {
  it.runIf(existsSync('/proc/self/cmdline'))('SIGINT while one submission is graded: the student process and every temp folder are gone', async () => {
    const tmp = tempDir();
    chmodSync(tmp, 0o1777);
    const sub = tempDir();
    copyFolder(path.join(PACKAGE_ROOT, 'reference'), sub);
    const child = spawn(process.execPath, [path.join(PACKAGE_ROOT, 'graders', 'bin', 'dlgrade.js'), 'grade', '--submission', sub], { env: { ...process.env, TMPDIR: tmp }, stdio: 'ignore' });
    const ended = new Promise<{ code: number | null; signal: string | null }>((r) => child.once('exit', (code, signal) => r({ code, signal })));
    const ours = () => readdirSync(tmp).filter((n) => n.startsWith('dlgrade-'));
    try {
      await until(() => ours().some((n) => n.includes('-runtime-')) && processesMentioning([tmp]).length > 0, 60_000, 'a student process running');
      child.kill('SIGINT');
      const { code, signal } = await ended;
      expect(signal === 'SIGINT' || code === 130, `exit ${code}, signal ${signal}`).toBe(true);
      expect(ours()).toEqual([]);
      await until(() => processesMentioning([tmp, sub]).length === 0, 3000, 'no process left').catch(() => {});
      expect(processesMentioning([tmp, sub])).toEqual([]);
    } finally {
      child.kill('SIGKILL');
    }
  });
});

describe('platform formats of one submission', () => {
  it('PrairieLearn: score as a fraction, one test per check; hidden checks without their inputs', async () => {
    const class_ = classFolder();
    const out = tempDir();
    expect((await dlgrade('grade', '--submission', path.join(class_, 'ada'), '--only', 'J1', '--format', 'prairielearn', '--out', out)).code).toBe(0);
    const full = JSON.parse(readFileSync(path.join(out, 'results.json'), 'utf8')) as PrairieLearnResults;
    expect(full.gradable).toBe(true);
    expect(full.score).toBe(1);
    expect(full.tests.length).toBeGreaterThan(5);
    expect(full.tests.every((t) => t.points === t.max_points && t.message === 'passed')).toBe(true);

    const out2 = tempDir();
    expect((await dlgrade('grade', '--submission', path.join(class_, 'cyd'), '--only', 'J1', '--format', 'prairielearn', '--out', out2)).code).toBe(1);
    const partial = JSON.parse(readFileSync(path.join(out2, 'results.json'), 'utf8')) as PrairieLearnResults;
    expect(partial.score).toBeGreaterThan(0);
    expect(partial.score).toBeLessThan(1);
    const hidden = partial.tests.find((t) => t.name.startsWith('J1.conv2d.reference'))!;
    expect(hidden.points).toBe(0);
    expect(hidden.output).toMatch(/^Hidden check failed: your result differs from the reference on an input that is not shown\./);
    expect(hidden.output).not.toMatch(/smallest|Input:/);
    const example = partial.tests.find((t) => t.name.startsWith('J1.conv2d.discrete-example'))!;
    expect(example.output).toMatch(/This looks like: the kernel flipped/);
  });

  it('no platform shows a hidden input: not in the failure text, not in the values, not through the student\'s own error message', async () => {
    const root = tempDir();
    copyFolder(path.join(PACKAGE_ROOT, 'reference'), path.join(root, 'eve'));
    const conv = path.join(root, 'eve', 'convolution.ts');
    // a conv2d that is right on the notes' examples and leaks its arguments through its errors elsewhere
    writeFileSync(conv, readFileSync(conv, 'utf8').replace("const fn = 'conv2d';", "const fn = 'conv2d';\n  if (x.length > 1 || x[0].length !== 5) throw new Error('LEAK ' + JSON.stringify([x, W, b]));"));
    for (const format of ['prairielearn', 'gradescope', 'junit']) {
      const out = tempDir();
      await dlgrade('grade', '--submission', path.join(root, 'eve'), '--only', 'J1.conv2d.reference', '--format', format, '--out', out);
      const report = JSON.parse(readFileSync(path.join(out, 'report.json'), 'utf8')) as GradeReport;
      const check = report.families[0].exercises[0].checks[0];
      expect(check.status).toBe('failed');
      expect(check.message).toMatch(/LEAK/); // the instructor's report.json has it all
      const shown = readFileSync(path.join(out, format === 'junit' ? 'junit.xml' : 'results.json'), 'utf8');
      expect(shown, format).not.toMatch(/LEAK|conv2d\(/);
      expect(shown, format).toMatch(/Hidden check failed: your function threw an Error on an input that is not shown/);
    }
    const cyd = tempDir();
    await dlgrade('grade', '--submission', path.join(classFolder(), 'cyd'), '--only', 'J1.conv2d.reference', '--format', 'prairielearn', '--out', cyd);
    const pl = readFileSync(path.join(cyd, 'results.json'), 'utf8');
    expect(pl).toMatch(/your result differs from the reference on an input that is not shown/);
    expect(pl).not.toMatch(/conv2d\(|expected|received/);
  });

  it('PrairieLearn results stay under 1 MB however much a submission fails', () => {
    const failing = (i: number) => ({ id: `X.x.${i}`, exercise: 'x', catalogue: 'X', title: 't', kind: 'property' as const, visibility: 'public' as const, points: 1, score: 0, status: 'failed' as const, reason: 'property' as const, message: 'm'.repeat(50_000), counterexample: 'c'.repeat(50_000), hint: 'h' });
    const report: GradeReport = { submission: 's', courseSeed: 1, durationMs: 0, score: 0, max: 900, families: [{ id: 'X', module: 'x', title: 'x', score: 0, max: 900, exercises: [{ name: 'x', catalogue: 'X', arity: 1, summary: 's', status: 'graded', score: 0, max: 900, checks: Array.from({ length: 900 }, (_, i) => failing(i)) }] }] };
    expect(JSON.stringify(toPrairieLearn(report), null, 2).length).toBeLessThan(1_000_000);
  });

  it('PrairieLearn: a submission none of whose files load is not gradable (the attempt is not counted)', async () => {
    const out = tempDir();
    await dlgrade('grade', '--submission', path.join(classFolder(), 'dan'), '--only', 'J1', '--format', 'prairielearn', '--out', out);
    const r = JSON.parse(readFileSync(path.join(out, 'results.json'), 'utf8')) as PrairieLearnResults;
    expect(r.gradable).toBe(false);
    expect(r.score).toBeUndefined();
    expect(r.format_errors).toEqual([expect.stringMatching(/does not compile: convolution\.ts:1:\d+/)]);
  });

  it('JUnit XML: the type check first, then a testsuite per family, a testcase per check, failures with the feedback', async () => {
    const out = tempDir();
    expect((await dlgrade('grade', '--submission', path.join(classFolder(), 'cyd'), '--only', 'J1,K1', '--format', 'junit', '--out', out)).code).toBe(1);
    expect(readdirSync(out).sort()).toEqual(['junit.xml', 'report.json']);
    const xml = readFileSync(path.join(out, 'junit.xml'), 'utf8');
    const cases = xml.match(/<testcase /g)?.length ?? 0;
    const failures = xml.match(/<failure /g)?.length ?? 0;
    expect(xml).toMatch(new RegExp(`^<\\?xml[^>]*>\\n<testsuites name="[^"]*" tests="${cases}" failures="${failures}"`));
    expect(xml.match(/<testsuite name="([^"]*)"/g)).toEqual(['<testsuite name="type check"', '<testsuite name="J Convolution"', '<testsuite name="K Pooling"']);
    expect(failures).toBeGreaterThan(0);
    expect(failures).toBeLessThan(cases); // K1 passes
    expect(xml).toMatch(/<testcase classname="convolution\.conv2d" name="J1\.conv2d\.discrete-example: [^"]*">\n\s*<failure message="[^"]*">[^<]*This looks like: the kernel flipped/);
    expect(xml).not.toMatch(/&(?!amp;|lt;|gt;|quot;)/); // every ampersand escaped
  });
});

describe('escaping', () => {
  it('CSV fields with commas, quotes or line breaks are quoted, quotes doubled (RFC 4180)', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField(3.5)).toBe('3.5');
    expect(csvField('a, b')).toBe('"a, b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('=1+1')).toBe("'=1+1"); // a spreadsheet would run it
    expect(csvField('-cmd|x')).toBe("'-cmd|x");
    expect(csvField(-1)).toBe('-1'); // numbers stay numbers
  });

  it('XML text escapes markup and drops characters XML 1.0 cannot carry', () => {
    expect(xmlEscape('a < b && c > "d"')).toBe('a &lt; b &amp;&amp; c &gt; &quot;d&quot;');
    expect(xmlEscape('bell\u0007 and nul\u0000 go, tab\t stays, π stays')).toBe('bell and nul go, tab\t stays, π stays');
  });
});
