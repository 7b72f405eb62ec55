/**
 * Preparing a submission: the intake limits, links refused, only the exercise files and what they
 * import transpiled into a fresh folder, every import checked; a module that cannot be graded is
 * reported before any check runs.
 */
import { existsSync, linkSync, lstatSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, mkdirSync, symlinkSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../graders/cli.ts';
import { FAMILIES } from '../../graders/families.ts';
import { CACHE_DIR, MAX_FILE_BYTES, MAX_FILES, MAX_FOLDERS, MAX_TOTAL_BYTES, prepareSubmission, type PreparedSubmission } from '../../graders/sandbox/prepare.ts';
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
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

/** The files of a prepared folder, but the runtime packages. */
const written = (root: string): string[] =>
  readdirSync(root, { recursive: true, encoding: 'utf8' })
    .filter((f) => !f.startsWith('node_modules') && lstatSync(path.join(root, f)).isFile())
    .sort();

const ONLY_OWN = "graded code may import only the submission's own files and the provided tensor.ts and random.ts";
const hostile = path.join(PACKAGE_ROOT, 'fixtures', 'submissions', 'hostile');

describe('prepareSubmission', () => {
  it('keeps each file it transpiled by content: another run uses the kept output, an edited file is transpiled again', () => {
    const text = (marker: string) => `export const id = '${marker}';\nexport const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));\n`;
    const marker = randomUUID();
    const dir = submission({ 'activations.ts': text(marker) });
    prepareSubmission(dir, ['activations']).cleanup();
    const entries = readdirSync(CACHE_DIR).filter((n) => n.endsWith('.json') && readFileSync(path.join(CACHE_DIR, n), 'utf8').includes(marker));
    expect(entries).toHaveLength(1);
    const entry = path.join(CACHE_DIR, entries[0]);
    try {
      // the kept output, marked, is what a new process (nothing in memory) prepares
      writeFileSync(entry, readFileSync(entry, 'utf8').replace(marker, `${marker}-from-the-cache`));
      const prepareElsewhere = () => {
        const script = `const { prepareSubmission } = await import(${JSON.stringify(path.join(PACKAGE_ROOT, 'graders', 'sandbox', 'prepare.ts'))}); const p = prepareSubmission(${JSON.stringify(dir)}, ['activations']); process.stdout.write((await import('node:fs')).readFileSync(p.modules.activations, 'utf8')); p.cleanup();`;
        const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: PACKAGE_ROOT, encoding: 'utf8' });
        expect(r.status, r.stderr).toBe(0);
        return r.stdout;
      };
      expect(prepareElsewhere()).toContain(`${marker}-from-the-cache`);
      const edited = randomUUID();
      writeFileSync(path.join(dir, 'activations.ts'), text(edited));
      expect(prepareElsewhere()).toContain(`"${edited}"`);
    } finally {
      rmSync(entry, { force: true });
    }
  });

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
    expect(p.problems.activations).toMatch(/^does not compile: activations\.ts:2:31 Expected "\)" but found ";"/);
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
      expect(await sb.call(p.modules.activations, 'draws', [11])).toMatchObject({ ok: true, value: [r.uniform(), r.normal()], calls: [] });
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
  it("refuses a hard link to a file outside the submission (the instructor's reference, say), and what imports it", () => {
    const outside = temp();
    const reference = path.join(outside, 'activations.ts');
    writeFileSync(reference, readFileSync(path.join(PACKAGE_ROOT, 'reference', 'activations.ts')));
    const dir = submission({ 'losses.ts': "export * from './lib/activations.ts';\n" }, path.join(outside, 'student'));
    linkSync(reference, path.join(dir, 'activations.ts'));
    mkdirSync(path.join(dir, 'lib'));
    linkSync(reference, path.join(dir, 'lib', 'activations.ts'));
    const p = prepareSubmission(dir, ['activations', 'losses']);
    p.cleanup();
    expect(p.modules).toEqual({});
    expect(p.problems).toEqual({
      activations: 'activations.ts is a hard link (it has 3 names): submit a copy of the file itself',
      losses: `losses.ts:1 imports './lib/activations.js', which cannot be graded: ${path.join('lib', 'activations.ts')} is a hard link (it has 3 names): submit a copy of the file itself`,
    });
  });
});

describe('only the exercise files and what they import are transpiled', () => {
  it('leaves unrelated files alone, even ones that do not compile; follows imports through sub-folders and cycles', () => {
    const dir = submission({
      'activations.ts': "import { twice } from './lib/util.ts';\nexport const sigmoid = (x: number): number => twice(x);\n",
      'lib/util.ts': "import { half } from './half.ts';\nexport const twice = (x: number): number => 2 * x;\nexport const quarter = (x: number): number => half(half(x));\n",
      'lib/half.ts': "import { twice } from './util.ts';\nexport const half = (x: number): number => x / 2;\nexport const same = (x: number): number => twice(half(x));\n",
      'scratch.ts': 'export const broken = ;\n',
      'old/activations.ts': "import 'node:fs';\n",
      'node_modules/evil/index.ts': "import 'node:child_process';\n",
    });
    const p = prepareSubmission(dir, ['activations']);
    try {
      expect(p.problems).toEqual({});
      expect(written(p.root)).toEqual(['activations.js', path.join('lib', 'half.js'), path.join('lib', 'util.js'), 'package.json']);
    } finally {
      p.cleanup();
    }
  });

  it('prepares the reference solution, handed in as a submission, with no problems', () => {
    const p = prepareSubmission(path.join(PACKAGE_ROOT, 'reference'), FAMILIES.map((f) => f.module));
    p.cleanup();
    expect(p.problems).toEqual({});
    expect(Object.keys(p.modules).sort()).toEqual(FAMILIES.map((f) => f.module).sort());
  });
});

describe('imports: only the submission own files and the packages of random.ts, named by string literals', () => {
  it('allows the provided tensor.ts and random.ts (with pure-rand), a helper, and literal dynamic imports of them', () => {
    const dir = submission({
      'activations.ts': [
        "import { zeros } from './tensor.ts';",
        "import { createRandom } from './random.ts';",
        "export { k } from './lib/k.ts';",
        'export const draw = (seed: number): number => createRandom(seed).uniform() + zeros([1])[0];',
        "export const later = async () => [await import('./lib/k.ts'), await import(`./lib/k.js`)];",
        '',
      ].join('\n'),
      'lib/k.ts': "import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';\nexport const k = 2;\nexport const u = uniformFloat64;\n",
    });
    for (const f of ['random.ts', 'tensor.ts']) writeFileSync(path.join(dir, f), readFileSync(path.join(PACKAGE_ROOT, 'exercises', f), 'utf8'));
    const p = prepareSubmission(dir, ['activations']);
    p.cleanup();
    expect(p.problems).toEqual({});
    expect(Object.keys(p.modules)).toEqual(['activations']);
  });

  const forbidden: [string, string, string][] = [
    ['static-fs', "interface Box {\n  x: number;\n}\nimport { readFileSync } from 'node:fs';\nexport const f = (b: Box) => readFileSync(String(b.x));\n", `static-fs.ts:4 imports 'node:fs': ${ONLY_OWN}`],
    ['bare-net', "import net from 'net';\nexport const f = () => net;\n", `bare-net.ts:1 imports 'net': ${ONLY_OWN}`],
    ['export-os', "export const a = 1;\nexport * from 'node:os';\n", `export-os.ts:2 imports 'node:os': ${ONLY_OWN}`],
    ['dynamic-dns', "export const f = async () => {\n  return import('node:dns');\n};\n", `dynamic-dns.ts:2 imports 'node:dns': ${ONLY_OWN}`],
    ['computed', "const m = 'node:' + 'fs';\nexport const f = () => import(m);\n", 'computed.ts:2 uses import() with a computed specifier: name the imported file in a string literal'],
    ['data-url', "import 'data:text/javascript,export default 1';\n", `data-url.ts:1 imports 'data:text/javascript,export default 1': ${ONLY_OWN}`],
    ['file-url', "import 'file:///etc/hosts';\n", `file-url.ts:1 imports 'file:///etc/hosts': ${ONLY_OWN}`],
    ['leaves', "export * from '../outside.ts';\n", `leaves.ts:1 imports '../outside.js', which is outside the submission: ${ONLY_OWN}`],
    ['leaves-encoded', "export * from './%2e%2e/outside.js';\n", `leaves-encoded.ts:1 imports './%2e%2e/outside.js', which is outside the submission: ${ONLY_OWN}`],
    ['absolute', `export * from '${PACKAGE_ROOT}/reference/activations.ts';\n`, `absolute.ts:1 imports '${PACKAGE_ROOT}/reference/activations.ts': ${ONLY_OWN}`],
    ['package-escape', "import x from 'pure-rand/../../os';\nexport const f = () => x;\n", `package-escape.ts:1 imports 'pure-rand/../../os': ${ONLY_OWN}`],
    ['typo', "import { k } from './kk.ts';\nexport const f = () => k;\n", "typo.ts:1 imports './kk.js', which is not a module of the submission"],
  ];

  it('refuses every other import, naming it and its line in the student source', () => {
    const dir = submission(Object.fromEntries(forbidden.map(([name, text]) => [`${name}.ts`, text])));
    const p = prepareSubmission(dir, forbidden.map(([name]) => name));
    const files = written(p.root);
    p.cleanup();
    expect(p.modules).toEqual({});
    expect(p.problems).toEqual(Object.fromEntries(forbidden.map(([name, , problem]) => [name, problem])));
    expect(files).toEqual(['package.json']);
  });

  it('refuses the hostile samples: a re-export of the reference from outside the folder, an import of node:fs by a computed name', () => {
    for (const [sample, problem] of [
      ['activations.ts', `activations.ts:5 imports '../../../reference/activations.js', which is outside the submission: ${ONLY_OWN}`],
      ['hides-its-import.ts', 'activations.ts:9 uses import() with a computed specifier: name the imported file in a string literal'],
    ]) {
      const p = prepareSubmission(submission({ 'activations.ts': readFileSync(path.join(hostile, sample), 'utf8') }), ['activations']);
      p.cleanup();
      expect(p.problems).toEqual({ activations: problem });
    }
  });

  it('refuses a module that imports one that cannot be graded, saying which import and why', () => {
    const dir = submission({
      'activations.ts': "import { twice } from './lib/util.ts';\nexport const sigmoid = (x: number): number => twice(x);\n",
      'losses.ts': "export const mse = (): number => 0;\nexport { twice } from './activations.ts';\n",
      'lib/util.ts': "export { io } from './io.ts';\nexport const twice = (x: number): number => 2 * x;\n",
      'lib/io.ts': "import { readFileSync } from 'node:fs';\nexport const io = readFileSync;\n",
      'optimizers.ts': "import { k } from './k.ts';\nexport const sgd = (): number => k;\n",
      'k.ts': 'export const k = ;\n',
    });
    const p = prepareSubmission(dir, ['activations', 'losses', 'optimizers']);
    const files = written(p.root);
    p.cleanup();
    const io = `${path.join('lib', 'io.ts')}:1 imports 'node:fs': ${ONLY_OWN}`;
    expect(p.problems).toEqual({
      activations: `activations.ts:1 imports './lib/util.js', which cannot be graded: ${io}`,
      losses: `losses.ts:2 imports './activations.js', which cannot be graded: ${io}`,
      optimizers: "optimizers.ts:1 imports './k.js', which cannot be graded: does not compile: k.ts:1:18 Unexpected \";\"",
    });
    expect(files).toEqual(['package.json']);
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
