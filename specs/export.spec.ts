/**
 * dlgrade export: the student package holds no reference, no hidden checks and no mutants,
 * yet its own `npm test` (dlgrade grade) grades the student's exercises with the public checks
 * and says how many hidden checks the instructor will run.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main, PACKAGE_ROOT } from '../graders/cli.ts';
import { FAMILIES, loadHidden } from '../graders/families.ts';

let out: string;
beforeAll(async () => {
  out = path.join(mkdtempSync(path.join(tmpdir(), 'dlgrade-export-')), 'assignment');
  const code = await main(['export', '--out', out], { out: () => {}, err: (s) => console.error(s), color: false });
  expect(code).toBe(0);
  // the student would run npm install; the repository's node_modules has the same packages
  symlinkSync(path.join(PACKAGE_ROOT, 'node_modules'), path.join(out, 'node_modules'), 'dir');
});
afterAll(() => rmSync(path.dirname(out), { recursive: true, force: true }));

const files = (dir: string, rel = ''): string[] =>
  readdirSync(path.join(dir, rel), { withFileTypes: true }).flatMap((e) =>
    e.name === 'node_modules' ? [] : e.isDirectory() ? files(dir, path.join(rel, e.name)) : [path.join(rel, e.name)],
  );

/** The exported package's own `npm test`, in a separate Node process. */
const npmTest = () => spawnSync(process.execPath, ['graders/bin/dlgrade.js', 'grade', '--no-color'], { cwd: out, encoding: 'utf8', timeout: 120_000 });

describe('the student package', () => {
  it('ships stubs, public checks and fixtures, and nothing of the instructor side', () => {
    const all = files(out);
    expect(all.some((f) => f.startsWith('reference'))).toBe(false);
    expect(all.some((f) => f.startsWith(`${path.join('graders', 'hidden')}${path.sep}`))).toBe(false);
    expect(all).toContain(path.join('graders', 'hidden-manifest.json'));
    expect(all.some((f) => f.includes('mutants') || f.includes('submissions'))).toBe(false);
    expect(all.some((f) => f.startsWith('specs'))).toBe(false);
    for (const f of all.filter((x) => x.endsWith('.ts'))) expect(readFileSync(path.join(out, f), 'utf8'), f).not.toMatch(/from ['"][^'"]*(reference|hidden)\//);
    expect(readdirSync(path.join(out, 'exercises')).sort()).toEqual(readdirSync(path.join(PACKAGE_ROOT, 'exercises')).sort());
    const pkg = JSON.parse(readFileSync(path.join(out, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts.test).toBe('node graders/bin/dlgrade.js grade');
    expect(existsSync(path.join(out, 'README.md'))).toBe(true);
  });

  it('lists how many hidden checks each exercise has, without the checks', async () => {
    const manifest = JSON.parse(readFileSync(path.join(out, 'graders', 'hidden-manifest.json'), 'utf8')) as Record<string, Record<string, string[]>>;
    const hidden = await loadHidden();
    for (const f of FAMILIES) {
      expect(Object.values(manifest[f.module] ?? {}).flat().length, f.module).toBe((hidden[f.module] ?? []).length);
    }
  });

  it('its npm test on the untouched stubs: 0 points, "not implemented" for every exercise, exit 1', () => {
    const r = npmTest();
    expect(r.status, r.stderr).toBe(1);
    expect(r.stdout.match(/not implemented/g)?.length).toBe(FAMILIES.flatMap((f) => f.exercises).length);
    expect(r.stdout).toMatch(/Your instructor also runs \d+ hidden checks/);
  });

  it('its npm test on a correct solution: every public check passes, exit 0', () => {
    for (const f of readdirSync(path.join(PACKAGE_ROOT, 'reference'))) cpSync(path.join(PACKAGE_ROOT, 'reference', f), path.join(out, 'exercises', f));
    const r = npmTest();
    expect(r.status, r.stdout.slice(-2000) + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Total (\d+)\/\1 \(100%\)/);
    expect(r.stdout).not.toMatch(/Includes \d+ hidden checks/);
  });
});
