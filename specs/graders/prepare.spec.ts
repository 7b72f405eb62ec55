/** Preparing a submission: transpiled into a fresh folder; a file that does not compile or is missing is reported before any check runs. */
import { existsSync, linkSync, lstatSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, mkdirSync, symlinkSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../graders/cli.ts';
import { MAX_FILE_BYTES, MAX_FILES, MAX_FOLDERS, MAX_TOTAL_BYTES, prepareSubmission, type PreparedSubmission } from '../../graders/sandbox/prepare.ts';
import { tracked } from '../../graders/sandbox/cleanup.ts';
import { Sandbox } from '../../graders/sandbox/host.ts';
import { PACKAGE_ROOT } from '../../graders/cli.ts';
import { createRandom } from '../../reference/random.ts';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
const temp = () => {
  const d = mkdtempSync(path.join(tmpdir(), 'dlgrade-prepare-'));
  dirs.push(d);
  return d;
};

/** A fresh submission folder holding `files` (relative name → text). */
const submission = (files: Record<string, string>, dir = temp()): string => {
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  return dir;
};

describe('prepareSubmission', () => {
  it('transpiles TypeScript to ES modules with .ts imports rewritten, keeping sub-folders', () => {
    const dir = temp();
    mkdirSync(path.join(dir, 'lib'));
    writeFileSync(path.join(dir, 'activations.ts'), "import { twice } from './lib/util.ts';\nexport const sigmoid = (x: number): number => twice(x);\n");
    writeFileSync(path.join(dir, 'lib', 'util.ts'), 'export const twice = (x: number): number => 2 * x;\n');
    const p = prepareSubmission(dir, ['activations', 'losses']);
    try {
      expect(Object.keys(p.modules)).toEqual(['activations']);
      expect(readFileSync(p.modules.activations, 'utf8')).toMatch(/from "\.\/lib\/util\.js"/);
      expect(p.problems).toEqual({ losses: 'missing: the submission has no losses.ts' });
      expect(p.displayPath(path.join(p.root, 'lib', 'util.js'))).toBe(path.join('lib', 'util.ts'));
    } finally {
      p.cleanup();
    }
  });

  it('never follows a symbolic link: a linked module (say, to the reference) is not gradable, a link loop is ignored', () => {
    const dir = temp();
    writeFileSync(path.join(dir, 'losses.ts'), 'export const mse = (): number => 0;\n');
    symlinkSync(path.join(PACKAGE_ROOT, 'reference', 'activations.ts'), path.join(dir, 'activations.ts'));
    symlinkSync('.', path.join(dir, 'again'));
    const p = prepareSubmission(dir, ['activations', 'losses']);
    try {
      expect(Object.keys(p.modules)).toEqual(['losses']);
      expect(p.problems.activations).toBe(`activations.ts is a symbolic link (to ${path.join(PACKAGE_ROOT, 'reference', 'activations.ts')}): submit the file itself`);
    } finally {
      p.cleanup();
    }
  });

  it('grades files that all sit in one sub-folder (a zipped folder) from there; several candidate folders are not guessed between', () => {
    const dir = temp();
    mkdirSync(path.join(dir, 'hw1'));
    writeFileSync(path.join(dir, 'hw1', 'activations.ts'), "import { k } from './k.ts';\nexport const sigmoid = (x: number): number => k * x;\n");
    writeFileSync(path.join(dir, 'hw1', 'k.ts'), 'export const k = 2;\n');
    const p = prepareSubmission(dir, ['activations', 'losses']);
    try {
      expect(p.modules).toEqual({ activations: path.join(p.root, 'hw1', 'activations.js') });
      expect(p.problems).toEqual({ losses: `missing: the submission has no ${path.join('hw1', 'losses')}.ts` });
    } finally {
      p.cleanup();
    }
    mkdirSync(path.join(dir, 'old'));
    writeFileSync(path.join(dir, 'old', 'activations.ts'), 'export const sigmoid = (x: number): number => x;\n');
    const two = prepareSubmission(dir, ['activations']);
    try {
      expect(two.modules).toEqual({});
      expect(two.problems).toEqual({ activations: 'missing: the submission has no activations.ts' });
    } finally {
      two.cleanup();
    }
  });

  it('reports a syntax error with its file, line and column, and the grader marks that module not gradable', async () => {
    const dir = temp();
    writeFileSync(path.join(dir, 'activations.ts'), 'export function sigmoid(x: number): number {\n  return 1 / (1 + Math.exp(-x);\n}\n');
    const p = prepareSubmission(dir, ['activations']);
    p.cleanup();
    expect(p.problems.activations).toMatch(/^does not compile: activations\.ts:2:31 '\)' expected\./);
    const out: string[] = [];
    const code = await main(['grade', '--submission', dir, '--only', 'A1', '--public-only'], { out: (s) => out.push(s), err: () => {}, color: false });
    expect(code).toBe(1);
    expect(out.join('\n')).toMatch(/! sigmoid .* not gradable: does not compile: activations\.ts:2:31/);
  });

  it('ships the provided random.ts with pure-rand, so a submission draws the same numbers in the sandbox', async () => {
    const dir = temp();
    for (const f of ['random.ts', 'tensor.ts']) writeFileSync(path.join(dir, f), readFileSync(path.join(PACKAGE_ROOT, 'exercises', f), 'utf8'));
    writeFileSync(path.join(dir, 'activations.ts'), "import { createRandom } from './random.ts';\nexport const draws = (seed: number): number[] => { const r = createRandom(seed); return [r.uniform(), r.normal()]; };\n");
    const p = prepareSubmission(dir, ['activations']);
    const sb = new Sandbox({ readPaths: [p.root] });
    try {
      expect((await sb.load(p.modules.activations, p.modules.activations)).ok).toBe(true);
      const r = createRandom(11);
      expect(await sb.call(p.modules.activations, 'draws', [11])).toEqual({ ok: true, value: [r.uniform(), r.normal()], calls: [] });
    } finally {
      await sb.close();
      p.cleanup();
    }
  });
});

describe('the intake: a submission over a limit is refused as a whole, before anything is read', () => {
  const refusedAs = (dir: string, message: string) => {
    const p = prepareSubmission(dir, ['activations', 'losses']);
    try {
      expect(p.refused).toBe(message);
      expect(p.problems).toEqual({ activations: message, losses: message });
      expect(p.modules).toEqual({});
      expect(readdirSync(p.root)).toEqual([]);
    } finally {
      p.cleanup();
    }
  };

  it(`refuses a folder of 3000 extra files in well under a second, transpiling none of them (at most ${MAX_FILES} files)`, () => {
    const dir = submission({ 'activations.ts': 'export const sigmoid = (x: number): number => x;\n' });
    for (let i = 0; i < 3000; i++) writeFileSync(path.join(dir, `extra${i}.ts`), `export const x${i}: number = ${i};\n`);
    const start = performance.now();
    const p = prepareSubmission(dir, ['activations']);
    const took = performance.now() - start;
    p.cleanup();
    expect(took).toBeLessThan(250);
    expect(p.refused).toBe(`the submission has more than ${MAX_FILES} files (found at least ${MAX_FILES + 1}): hand in only your exercise files`);
    refusedAs(dir, p.refused as string);
  });

  it(`refuses more than ${MAX_FOLDERS} folders, counting those it does not open (node_modules, dot-folders)`, () => {
    const dir = submission({ 'activations.ts': 'export const sigmoid = (x: number): number => x;\n' });
    mkdirSync(path.join(dir, 'node_modules'));
    mkdirSync(path.join(dir, '.git'));
    for (let i = 0; i < MAX_FOLDERS - 1; i++) mkdirSync(path.join(dir, `week${i}`));
    refusedAs(dir, `the submission has more than ${MAX_FOLDERS} folders (found at least ${MAX_FOLDERS + 1}): hand in only your exercise files`);
  });

  it('refuses a 2 MB source file even when nothing imports it; a large file that is not a source is never read', () => {
    const dir = submission({ 'activations.ts': 'export const sigmoid = (x: number): number => x;\n', 'lib/weights.ts': `export const w = '${'0'.repeat(2 << 20)}';\n` });
    refusedAs(dir, `${path.join('lib', 'weights.ts')} is larger than ${MAX_FILE_BYTES >> 20} MB (2.0 MB): no exercise needs a source file that large`);
    rmSync(path.join(dir, 'lib', 'weights.ts'));
    writeFileSync(path.join(dir, 'lib', 'weights.bin'), Buffer.alloc(2 << 20));
    const p = prepareSubmission(dir, ['activations']);
    p.cleanup();
    expect(p.refused).toBeUndefined();
    expect(p.problems).toEqual({});
  });

  it(`refuses source files that add up to more than ${MAX_TOTAL_BYTES >> 20} MB`, () => {
    const files: Record<string, string> = { 'activations.ts': 'export const sigmoid = (x: number): number => x;\n' };
    const size = MAX_FILE_BYTES - 1000;
    const n = Math.floor(MAX_TOTAL_BYTES / size) + 1;
    for (let i = 0; i < n; i++) files[`notes${i}.ts`] = `// ${'x'.repeat(size - 4)}\n`;
    const total = Object.values(files).reduce((sum, t) => sum + t.length, 0);
    refusedAs(submission(files), `the submission's source files add up to more than ${MAX_TOTAL_BYTES >> 20} MB (${(total / (1 << 20)).toFixed(1)} MB): hand in only your exercise files`);
  });
});


describe('links: a module that is not the file itself is not gradable', () => {
  it("refuses a hard link to a file outside the submission (the instructor's reference, say)", () => {
    const outside = temp();
    const reference = path.join(outside, 'activations.ts');
    writeFileSync(reference, readFileSync(path.join(PACKAGE_ROOT, 'reference', 'activations.ts')));
    const dir = submission({ 'losses.ts': 'export const mse = (): number => 0;\n' }, path.join(outside, 'student'));
    linkSync(reference, path.join(dir, 'activations.ts'));
    const p = prepareSubmission(dir, ['activations', 'losses']);
    p.cleanup();
    expect(Object.keys(p.modules)).toEqual(['losses']);
    expect(p.problems).toEqual({ activations: 'activations.ts is a hard link (it has 2 names): submit a copy of the file itself' });
  });
});

describe('the temporary folder', () => {
  it('is dlgrade-<pid>-XXXXXX, readable by all and writable by none but the grader whatever the umask, and tracked until cleaned up', () => {
    const dir = submission({ 'activations.ts': "export * from './lib/k.ts';\n", 'lib/k.ts': 'export const k = 2;\n' });
    const before = tracked();
    const umask = process.umask(0o077);
    let p: PreparedSubmission;
    try {
      p = prepareSubmission(dir, ['activations']);
    } finally {
      process.umask(umask);
    }
    try {
      expect(path.basename(p.root)).toMatch(new RegExp(`^dlgrade-${process.pid}-\\w{6}$`));
      expect(tracked()).toBe(before + 1);
      const mode = (f: string) => lstatSync(path.join(p.root, f)).mode & 0o777;
      for (const folder of ['', 'lib', path.join('node_modules', 'pure-rand')]) expect(mode(folder), folder).toBe(0o755);
      for (const file of ['activations.js', path.join('lib', 'k.js'), 'package.json', path.join('node_modules', 'pure-rand', 'package.json')]) expect(mode(file), file).toBe(0o644);
    } finally {
      p.cleanup();
    }
    expect(existsSync(p.root)).toBe(false);
    expect(tracked()).toBe(before);
  });

  it('sweeps the folders of dead graders older than ten minutes, and nothing else', () => {
    const hourAgo = new Date(Date.now() - 3_600_000);
    const folder = (name: string, old: boolean) => {
      const f = path.join(tmpdir(), name);
      mkdirSync(path.join(f, 'lib'), { recursive: true });
      writeFileSync(path.join(f, 'lib', 'k.js'), 'export const k = 2;\n');
      if (old) utimesSync(f, hourAgo, hourAgo);
      dirs.push(f);
      return f;
    };
    const dead = folder('dlgrade-999999999-abc', true);
    const deadButRecent = folder('dlgrade-999999998-abc', false);
    const live = folder(`dlgrade-${process.pid}-abc`, true);
    const notOurs = folder('dlgrade-notapid-abc', true);
    const p = prepareSubmission(submission({ 'activations.ts': 'export const k = 2;\n' }), ['activations']);
    p.cleanup();
    expect(existsSync(dead)).toBe(false);
    for (const kept of [deadButRecent, live, notOurs]) expect(existsSync(kept), kept).toBe(true);
  });
});
