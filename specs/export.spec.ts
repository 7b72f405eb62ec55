/**
 * dlgrade export: the student package holds no reference, no hidden checks and no mutants,
 * yet its own `npm test` (dlgrade grade) grades the student's exercises with the public checks
 * and says how many hidden checks the instructor will run.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
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

/** The packages (not node: builtins, not relative paths) that the package's own sources import. */
function packagesImportedBy(root: string): string[] {
  const found = new Set<string>();
  for (const f of files(root).filter((x) => /\.(ts|mjs|js)$/.test(x) && !x.startsWith('exercises'))) {
    const text = readFileSync(path.join(root, f), 'utf8');
    const specifiers = [...text.matchAll(/^\s*(?:import|export)\b[^'"\n]*?\bfrom\s*['"]([^'"]+)['"]/gm), ...text.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => m[1]);
    for (const s of specifiers.filter((x) => /^(@[\w.-]+\/)?[\w.-]+(\/[\w./-]*)?$/.test(x) && !x.startsWith('.') && !x.startsWith('node:'))) {
      found.add(s.startsWith('@') ? s.split('/').slice(0, 2).join('/') : s.split('/')[0]);
    }
  }
  return [...found].sort();
}

/** The exported package's own `npm test`, in a separate Node process. */
const npmTest = () => spawnSync(process.execPath, ['graders/bin/dlgrade.js', 'grade', '--no-color'], { cwd: out, encoding: 'utf8', timeout: 120_000 });

describe('the student package', () => {
  it('ships stubs, public checks and fixtures, and nothing of the instructor side', () => {
    const all = files(out);
    expect(all.some((f) => f.startsWith('reference'))).toBe(false);
    expect(all.some((f) => f.startsWith(`${path.join('graders', 'hidden')}${path.sep}`))).toBe(false);
    expect(all).toContain(path.join('graders', 'hidden-manifest.json'));
    expect(all.some((f) => f.includes('mutants') || f.includes('variants') || f.includes('submissions'))).toBe(false);
    expect(all.some((f) => f.startsWith('specs'))).toBe(false);
    for (const f of all.filter((x) => x.endsWith('.ts'))) expect(readFileSync(path.join(out, f), 'utf8'), f).not.toMatch(/from ['"][^'"]*(reference|hidden)\//);
    expect(readdirSync(path.join(out, 'exercises')).sort()).toEqual(readdirSync(path.join(PACKAGE_ROOT, 'exercises')).sort());
    const pkg = JSON.parse(readFileSync(path.join(out, 'package.json'), 'utf8')) as { scripts: Record<string, string>; dependencies: Record<string, string> };
    expect(pkg.scripts.test).toBe('tsc --noEmit && node graders/bin/dlgrade.js grade'); // type-checks what the student owns first
    // npm ci installs the versions this repository was tested with: the lockfile locks exactly package.json's dependencies
    const lock = JSON.parse(readFileSync(path.join(out, 'package-lock.json'), 'utf8')) as { packages: Record<string, { dependencies?: Record<string, string>; version?: string }> };
    expect(lock.packages[''].dependencies).toEqual(pkg.dependencies);
    const ours = JSON.parse(readFileSync(path.join(PACKAGE_ROOT, 'package-lock.json'), 'utf8')) as typeof lock;
    for (const name of Object.keys(pkg.dependencies)) expect(lock.packages[`node_modules/${name}`]?.version, name).toBe(ours.packages[`node_modules/${name}`].version);
    // the specs lend the package this repository's node_modules: what a student's npm install brings must suffice
    expect(packagesImportedBy(out).filter((p) => !(p in pkg.dependencies))).toEqual([]);
    expect(existsSync(path.join(out, 'README.md'))).toBe(true);
  });

  it('installs with npm ci from its lockfile (offline, from the cache this repository’s install filled), type-checks (npm run typecheck) and grades', () => {
    const copy = path.join(path.dirname(out), 'installed');
    cpSync(out, copy, { recursive: true, filter: (src) => path.basename(src) !== 'node_modules' });
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    const ci = spawnSync(npm, ['ci', '--offline', '--ignore-scripts', '--no-audit', '--no-fund'], { cwd: copy, encoding: 'utf8', timeout: 180_000 });
    expect(ci.status, ci.stderr.slice(-2000)).toBe(0); // npm ci refuses a lockfile out of sync with package.json
    // what the student owns type-checks as handed out, with only what the package installs (no Node typings)
    const typecheck = spawnSync(npm, ['run', 'typecheck'], { cwd: copy, encoding: 'utf8', timeout: 120_000 });
    expect(typecheck.status, typecheck.stdout.slice(-2000)).toBe(0);
    expect(JSON.parse(readFileSync(path.join(copy, 'tsconfig.json'), 'utf8')).include).toEqual(['exercises']);
    expect(JSON.parse(readFileSync(path.join(copy, 'package.json'), 'utf8')).scripts.test).toMatch(/^tsc --noEmit && /);
    const graded = spawnSync(process.execPath, ['graders/bin/dlgrade.js', 'grade', '--only', 'A1', '--no-color'], { cwd: copy, encoding: 'utf8', timeout: 120_000 });
    expect(graded.status).toBe(1); // the stubs: not implemented
    expect(graded.stdout).toMatch(/not implemented/);
    rmSync(copy, { recursive: true, force: true });
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

  it('runs the grader precompiled: built on the first run, reused, built again when a source changes; the same as from the sources', () => {
    const builds = () => readdirSync(path.join(out, '.dlgrade', 'grader')).filter((d) => !d.startsWith('.'));
    const list = (env: Record<string, string> = {}) => spawnSync(process.execPath, ['graders/bin/dlgrade.js', 'list', '--only', 'A,J'], { cwd: out, encoding: 'utf8', env: { ...process.env, ...env } });
    const built = list();
    expect(built.status, built.stderr).toBe(0);
    const first = builds(); // without hidden checks, which the package has not
    expect(first).toHaveLength(1);
    expect(existsSync(path.join(out, '.dlgrade', 'grader', first[0], 'cli.mjs'))).toBe(true);
    expect(list().stdout).toBe(built.stdout);
    expect(builds()).toEqual(first);
    const sources = list({ DLGRADE_FROM_SOURCES: '1' });
    expect(sources.stdout).toBe(built.stdout);
    writeFileSync(path.join(out, 'graders', 'engine', 'text.ts'), `${readFileSync(path.join(out, 'graders', 'engine', 'text.ts'), 'utf8')}\n// edited\n`);
    expect(list().stdout).toBe(built.stdout);
    expect(builds()).toHaveLength(2);
    expect(builds()).toContain(first[0]);
  });

  it('its npm test on a correct solution: every public check passes, exit 0', () => {
    for (const f of readdirSync(path.join(PACKAGE_ROOT, 'reference'))) cpSync(path.join(PACKAGE_ROOT, 'reference', f), path.join(out, 'exercises', f));
    const r = npmTest();
    expect(r.status, r.stdout.slice(-2000) + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Total (\d+)\/\1 \(100%\)/);
    expect(r.stdout).not.toMatch(/Includes \d+ hidden checks/);
  });
});

describe('the Gradescope autograder (dlgrade export --gradescope), run outside Gradescope', () => {
  let ag: string;
  beforeAll(async () => {
    ag = mkdtempSync(path.join(tmpdir(), 'dlgrade-autograder-')); // stands for /autograder
    const source = path.join(ag, 'source');
    expect(await main(['export', '--gradescope', '--out', source], { out: () => {}, err: (s) => console.error(s), color: false })).toBe(0);
    symlinkSync(path.join(PACKAGE_ROOT, 'node_modules'), path.join(source, 'node_modules'), 'dir'); // what setup.sh's npm ci installs
  });
  afterAll(() => rmSync(ag, { recursive: true, force: true }));

  const run = (submission: string, env: Record<string, string> = {}) => {
    rmSync(path.join(ag, 'submission'), { recursive: true, force: true });
    rmSync(path.join(ag, 'results'), { recursive: true, force: true });
    cpSync(submission, path.join(ag, 'submission'), { recursive: true });
    return spawnSync('bash', [path.join(ag, 'source', 'run_autograder')], { env: { ...process.env, AUTOGRADER: ag, DLGRADE_ONLY: 'J1', ...env }, encoding: 'utf8', timeout: 120_000 });
  };

  it('holds setup.sh, run_autograder, the reference and the hidden checks, and no mutants or specs', () => {
    const all = files(path.join(ag, 'source'));
    for (const f of ['setup.sh', 'run_autograder', 'package.json', path.join('reference', 'convolution.ts'), path.join('graders', 'hidden', 'index.ts')]) expect(all, f).toContain(f);
    expect(all.some((f) => f.startsWith(path.join('fixtures', 'mutants')) || f.startsWith(path.join('fixtures', 'variants')) || f.startsWith('specs'))).toBe(false);
    expect(readFileSync(path.join(ag, 'source', 'setup.sh'), 'utf8')).toMatch(/npm ci --omit=dev/);
    expect(all).toContain('package-lock.json');
    // setup.sh installs Node only when the image's does not satisfy engines: its guard, run here, agrees with this Node
    const setup = readFileSync(path.join(ag, 'source', 'setup.sh'), 'utf8');
    const guard = /^if ! node -e '([^']+)'/m.exec(setup)![1];
    const [major, minor] = process.versions.node.split('.').map(Number);
    const satisfies = major > 20 || (major === 20 && minor >= 19); // package.json: engines.node >=20.19
    expect(spawnSync(process.execPath, ['-e', guard]).status).toBe(satisfies ? 0 : 1);
    expect(spawnSync(process.execPath, ['-e', guard.replace('process.versions.node', "'20.18.9'")]).status).toBe(1);
    expect(spawnSync(process.execPath, ['-e', guard.replace('process.versions.node', "'20.19.0'")]).status).toBe(0);
    expect(setup).toMatch(/setup_24\.x/);
    const pkg = JSON.parse(readFileSync(path.join(ag, 'source', 'package.json'), 'utf8')) as { dependencies: Record<string, string>; optionalDependencies?: unknown };
    expect(Object.keys(pkg.dependencies).sort()).toEqual(['es-module-lexer', 'esbuild', 'fast-check', 'fflate', 'mathjs', 'pure-rand', 'tsx', 'typescript']);
    expect(pkg.optionalDependencies).toBeUndefined();
    expect(packagesImportedBy(path.join(ag, 'source')).filter((p) => !(p in pkg.dependencies))).toEqual([]);
  });

  it('grades /autograder/submission into results/results.json only (report.json with hidden inputs stays out), exit 0 whatever the score', () => {
    const r = run(path.join(PACKAGE_ROOT, 'reference'));
    expect(r.status, r.stdout.slice(-1500) + r.stderr).toBe(0);
    expect(readdirSync(path.join(ag, 'results'))).toEqual(['results.json']);
    const results = JSON.parse(readFileSync(path.join(ag, 'results', 'results.json'), 'utf8')) as { score: number; tests: { max_score: number; visibility: string }[] };
    expect(results.score).toBe(results.tests.reduce((s, t) => s + t.max_score, 0));
    expect(results.tests.some((t) => t.visibility === 'after_published')).toBe(true); // the hidden J1 check ran

    const stubs = run(path.join(PACKAGE_ROOT, 'exercises'));
    expect(stubs.status).toBe(0);
    expect((JSON.parse(readFileSync(path.join(ag, 'results', 'results.json'), 'utf8')) as { score: number }).score).toBe(0);
  });

  it('export --gradescope --zip FILE writes the upload itself: the scripts executable in the zip, the secret from DLGRADE_SECRET, and run_autograder grades from the unpacked zip', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'dlgrade-zip-'));
    const zip = path.join(root, 'autograder.zip');
    const secret = process.env.DLGRADE_SECRET;
    process.env.DLGRADE_SECRET = 'course secret 2026';
    try {
      expect(await main(['export', '--gradescope', '--zip', zip], { out: () => {}, err: (s) => console.error(s), color: false })).toBe(0);
    } finally {
      if (secret === undefined) delete process.env.DLGRADE_SECRET;
      else process.env.DLGRADE_SECRET = secret;
    }
    // unzipped by Info-ZIP's unzip, as a person (or Gradescope) would
    const source = path.join(root, 'ag', 'source');
    mkdirSync(source, { recursive: true });
    const unzip = spawnSync('unzip', ['-q', zip, '-d', source], { encoding: 'utf8' });
    expect(unzip.status, unzip.stderr).toBe(0);
    for (const f of ['setup.sh', 'run_autograder']) expect(statSync(path.join(source, f)).mode & 0o111, f).not.toBe(0);
    expect(statSync(path.join(source, 'reference', 'convolution.ts')).mode & 0o111).toBe(0);
    expect(readFileSync(path.join(source, 'dlgrade.secret'), 'utf8')).toBe('course secret 2026\n');
    // the same files as export --gradescope --out, and the secret (the grader's build cache aside: an earlier test ran that one)
    const exported = files(path.join(ag, 'source')).filter((f) => f !== 'dlgrade.secret' && !f.startsWith('.dlgrade'));
    expect(files(source).sort()).toEqual([...exported, 'dlgrade.secret'].sort());
    symlinkSync(path.join(PACKAGE_ROOT, 'node_modules'), path.join(source, 'node_modules'), 'dir');
    cpSync(path.join(PACKAGE_ROOT, 'reference'), path.join(root, 'ag', 'submission'), { recursive: true });
    writeFileSync(path.join(root, 'ag', 'submission_metadata.json'), JSON.stringify({ users: [{ email: 'ada@example.edu' }] }));
    const r = spawnSync('bash', [path.join(source, 'run_autograder')], { env: { ...process.env, AUTOGRADER: path.join(root, 'ag'), DLGRADE_ONLY: 'J1' }, encoding: 'utf8', timeout: 120_000 });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/per-student hidden seeds for ada@example\.edu/);
    const results = JSON.parse(readFileSync(path.join(root, 'ag', 'results', 'results.json'), 'utf8')) as { score: number; tests: { max_score: number }[] };
    expect(results.score).toBe(results.tests.reduce((s, t) => s + t.max_score, 0));
    rmSync(root, { recursive: true, force: true });
  });

  it('uses the first submitter as the student id for per-student hidden seeds when dlgrade.secret is present', () => {
    const secret = path.join(ag, 'source', 'dlgrade.secret');
    writeFileSync(secret, 'course secret 2026\n');
    const metadata = path.join(ag, 'submission_metadata.json');
    writeFileSync(metadata, JSON.stringify({ users: [{ email: 'ada@example.edu' }] }));
    const r = run(path.join(PACKAGE_ROOT, 'reference'));
    rmSync(secret);
    rmSync(metadata);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/dlgrade: per-student hidden seeds for ada@example\.edu/);
    expect(r.stdout).toMatch(/Total (\d+)\/\1/);
    expect(run(path.join(PACKAGE_ROOT, 'reference')).stdout).not.toMatch(/per-student/); // no secret, course seeds
  });
});
