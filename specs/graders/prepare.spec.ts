/** Preparing a submission: transpiled into a fresh folder; a file that does not compile or is missing is reported before any check runs. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../graders/cli.ts';
import { prepareSubmission } from '../../graders/sandbox/prepare.ts';
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
