/**
 * dlgrade export --prairielearn, proved without PrairieLearn: the question's info.json and the
 * results against the fields PrairieLearn documents ("External Grading": info.json's
 * externalGradingOptions, /grade/results/results.json), the entrypoint run on a temporary
 * /grade-shaped folder, and the grader image's Dockerfile linted for what it must do. The image
 * is not built here (no container runtime): the README says how to build and push it.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main, PACKAGE_ROOT } from '../graders/cli.ts';
import type { Lockfile } from '../graders/lockfile.ts';
import { NODE_LTS, QUESTION, TIMEOUT_S } from '../graders/prairielearn-export.ts';

let out: string;
const read = (...p: string[]) => readFileSync(path.join(out, ...p), 'utf8');
const json = <T>(...p: string[]) => JSON.parse(read(...p)) as T;

beforeAll(async () => {
  out = path.join(mkdtempSync(path.join(tmpdir(), 'dlgrade-pl-')), 'course');
  const code = await main(['export', '--prairielearn', '--image', 'course/dlgrade-grader:1', '--out', out], { out: () => {}, err: (s) => console.error(s), color: false });
  expect(code).toBe(0);
});
afterAll(() => rmSync(path.dirname(out), { recursive: true, force: true }));

interface Info {
  uuid: string;
  type: string;
  title: string;
  topic: string;
  gradingMethod: string;
  externalGradingOptions: { enabled: boolean; image: string; entrypoint: string; serverFilesCourse: string[]; timeout: number; [k: string]: unknown };
  [k: string]: unknown;
}

describe('the question', () => {
  it("info.json: an externally graded v3 question with the fields PrairieLearn's schema allows", () => {
    const info = json<Info>('questions', QUESTION, 'info.json');
    expect(info.uuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(info.type).toBe('v3');
    expect(typeof info.title).toBe('string');
    expect(typeof info.topic).toBe('string');
    expect(info.gradingMethod).toBe('External');
    const allowed = ['uuid', 'type', 'title', 'topic', 'tags', 'singleVariant', 'gradingMethod', 'externalGradingOptions'];
    expect(Object.keys(info).filter((k) => !allowed.includes(k))).toEqual([]);
    const o = info.externalGradingOptions;
    expect(Object.keys(o).filter((k) => !['enabled', 'image', 'entrypoint', 'serverFilesCourse', 'timeout', 'enableNetworking', 'environment', 'comment'].includes(k))).toEqual([]);
    expect(o.enabled).toBe(true);
    expect(o.image).toBe('course/dlgrade-grader:1');
    expect(Number.isInteger(o.timeout) && o.timeout > 0 && o.timeout <= 600).toBe(true);
    expect(o.timeout).toBe(TIMEOUT_S);
    expect(o).not.toHaveProperty('enableNetworking'); // off by default: grading needs no network
    // the entrypoint and the server files are in the export, where PrairieLearn mounts them
    expect(o.serverFilesCourse).toEqual(['dlgrade/']);
    expect(o.entrypoint.startsWith('/grade/serverFilesCourse/dlgrade/')).toBe(true);
    const entry = path.join(out, 'serverFilesCourse', o.entrypoint.slice('/grade/serverFilesCourse/'.length));
    expect(statSync(entry).mode & 0o111).not.toBe(0);
  });

  it('question.html: an upload for each file of exercises/, and the grader results in the submission panel', () => {
    const html = read('questions', QUESTION, 'question.html');
    const names = /<pl-file-upload optional-file-names="([^"]*)"/.exec(html)?.[1].split(',').map((s) => s.trim());
    expect(names).toEqual(readdirSync(path.join(PACKAGE_ROOT, 'exercises')).filter((f) => f.endsWith('.ts')).sort());
    expect(html).toMatch(/<pl-submission-panel>[\s\S]*<pl-external-grader-results>/);
  });
});

describe('the server files and the image', () => {
  it('serverFilesCourse/dlgrade holds the grader, the reference and the hidden checks, and none of the repository-only files', () => {
    const grader = path.join(out, 'serverFilesCourse', 'dlgrade');
    for (const f of ['pl-grade.sh', 'package.json', 'package-lock.json', 'reference/convolution.ts', 'graders/hidden/index.ts', 'graders/bin/dlgrade.js']) expect(existsSync(path.join(grader, f)), f).toBe(true);
    for (const f of ['fixtures/mutants', 'fixtures/variants', 'fixtures/submissions', 'graders/audit', 'specs']) expect(existsSync(path.join(grader, f)), f).toBe(false);
  });

  it('the Dockerfile: a Node LTS base, the dependencies by npm ci --omit=dev, nothing of the course copied in, grading as a non-root user', () => {
    const docker = read('image', 'Dockerfile');
    const from = /^FROM node:(\d+)-[\w.-]+$/m.exec(docker);
    expect(from, 'FROM node:<LTS>-…').not.toBeNull();
    const major = Number(from![1]);
    expect(major % 2, 'LTS lines are even').toBe(0);
    expect(major).toBe(NODE_LTS);
    const engines = json<{ engines: { node: string } }>('image', 'package.json').engines.node;
    expect(major).toBeGreaterThanOrEqual(Number(/\d+/.exec(engines)![0]));
    expect(docker).toMatch(/^RUN npm ci --omit=dev\b/m);
    expect([...docker.matchAll(/^COPY (.*)$/gm)].map((m) => m[1])).toEqual(['package.json package-lock.json ./']);
    expect(docker).toMatch(/useradd .*\bgrader$/m);
    // the entrypoint runs as the image's user (root, to create /grade/results) and grades as grader
    expect(read('serverFilesCourse', 'dlgrade', 'pl-grade.sh')).toMatch(/setpriv --reuid grader --regid grader/);
    expect(read('image', 'package.json')).toBe(read('serverFilesCourse', 'dlgrade', 'package.json'));
    expect(read('image', 'package-lock.json')).toBe(read('serverFilesCourse', 'dlgrade', 'package-lock.json'));
  });

  it('the lockfile locks exactly the dependencies of package.json, at the versions this repository installs', () => {
    const pkg = json<{ dependencies: Record<string, string> }>('image', 'package.json');
    const lock = json<Lockfile>('image', 'package-lock.json');
    const ours = JSON.parse(readFileSync(path.join(PACKAGE_ROOT, 'package-lock.json'), 'utf8')) as Lockfile;
    expect(lock.packages[''].dependencies).toEqual(pkg.dependencies);
    for (const name of Object.keys(pkg.dependencies)) expect(lock.packages[`node_modules/${name}`]?.version, name).toBe(ours.packages[`node_modules/${name}`].version);
    for (const [at, entry] of Object.entries(lock.packages).filter(([k]) => k !== '')) expect(entry.integrity, at).toBe(ours.packages[at].integrity);
  });
});

interface Results {
  gradable?: boolean;
  score?: number;
  message?: string;
  output?: string;
  format_errors?: string | string[];
  tests?: { name: string; description?: string; points: number; max_points: number; message?: string; output?: string }[];
}

/** results.json as "External Grading" documents it: score in [0, 1] when gradable, format_errors when not, tests with points ≤ max_points, under 1 MB. */
function expectPrairieLearnResults(text: string): Results {
  expect(text.length).toBeLessThan(1_000_000);
  const r = JSON.parse(text) as Results;
  if (r.gradable === false) {
    expect(typeof r.format_errors === 'string' || (Array.isArray(r.format_errors) && r.format_errors.every((e) => typeof e === 'string'))).toBe(true);
  } else {
    expect(typeof r.score).toBe('number');
    expect(r.score! >= 0 && r.score! <= 1).toBe(true);
  }
  for (const t of r.tests ?? []) {
    expect(typeof t.name).toBe('string');
    expect(t.points >= 0 && t.points <= t.max_points, t.name).toBe(true);
    for (const k of ['description', 'message', 'output'] as const) if (t[k] !== undefined) expect(typeof t[k]).toBe('string');
  }
  return r;
}

describe('the grading job, on a /grade-shaped folder', () => {
  let grade: string;
  let tmp: string;
  beforeAll(() => {
    grade = mkdtempSync(path.join(tmpdir(), 'dlgrade-pl-grade-'));
    tmp = mkdtempSync(path.join(tmpdir(), 'dlgrade-pl-tmp-'));
    cpSync(path.join(out, 'serverFilesCourse'), path.join(grade, 'serverFilesCourse'), { recursive: true });
  });
  afterAll(() => {
    rmSync(grade, { recursive: true, force: true });
    rmSync(tmp, { recursive: true, force: true });
  });

  const job = (files: Record<string, string>, env: Record<string, string> = {}) => {
    for (const d of ['student', 'results', 'data']) rmSync(path.join(grade, d), { recursive: true, force: true });
    mkdirSync(path.join(grade, 'student'));
    mkdirSync(path.join(grade, 'data'));
    for (const [name, text] of Object.entries(files)) writeFileSync(path.join(grade, 'student', name), text);
    writeFileSync(path.join(grade, 'data', 'data.json'), JSON.stringify({ params: {}, submitted_answers: {}, variant_seed: 1234567 }));
    const r = spawnSync('bash', [path.join(grade, 'serverFilesCourse', 'dlgrade', 'pl-grade.sh')], {
      // the image's node_modules are this repository's; DLGRADE_ONLY keeps the job to family J
      env: { ...process.env, GRADE: grade, DLGRADE_MODULES: path.join(PACKAGE_ROOT, 'node_modules'), DLGRADE_ONLY: 'J1', TMPDIR: tmp, ...env },
      encoding: 'utf8',
      timeout: 120_000,
    });
    return { ...r, results: existsSync(path.join(grade, 'results', 'results.json')) ? readFileSync(path.join(grade, 'results', 'results.json'), 'utf8') : null };
  };
  const reference = (...names: string[]) => Object.fromEntries(names.map((n) => [n, readFileSync(path.join(PACKAGE_ROOT, 'reference', n), 'utf8')]));

  it('grades the uploaded files into /grade/results/results.json only, with the helpers from the stubs; its log gets the totals, not the hidden inputs; nothing left behind', () => {
    const r = job(reference('convolution.ts'));
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(readdirSync(path.join(grade, 'results'))).toEqual(['results.json']);
    const results = expectPrairieLearnResults(r.results!);
    expect(results.gradable).toBe(true);
    expect(results.score).toBe(1);
    expect(results.tests!.some((t) => t.name.includes('[hidden'))).toBe(true);
    expect(r.stdout).toMatch(/^Total (\d+)\/\1 /m);
    expect(r.stdout).not.toMatch(/failing input|input: |replay:/);
    expect(readdirSync(tmp)).toEqual([]);
  });

  it('a submission none of whose files loads is not gradable, with the reasons as format_errors', () => {
    const r = job({ 'convolution.ts': 'export function conv2d( {' });
    expect(r.status).toBe(0);
    const results = expectPrairieLearnResults(r.results!);
    expect(results.gradable).toBe(false);
    expect(results.format_errors).toEqual([expect.stringMatching(/^does not compile: convolution\.ts:\d+:\d+ /)]);
  });

  it('no .ts file at all: not gradable, saying what to upload', () => {
    const results = expectPrairieLearnResults(job({ 'notes.txt': 'hello' }).results!);
    expect(results.gradable).toBe(false);
    expect(results.format_errors).toEqual(['No .ts file was submitted: upload your files from exercises/.']);
  });

  it('with dlgrade.secret, hidden checks use per-student seeds from the variant; without it, the course seeds', () => {
    const secret = path.join(grade, 'serverFilesCourse', 'dlgrade', 'dlgrade.secret');
    writeFileSync(secret, 'course secret 2026\n');
    const r = job(reference('convolution.ts'));
    rmSync(secret);
    expect(r.stdout).toMatch(/dlgrade: per-student hidden seeds for variant-1234567/);
    expect(expectPrairieLearnResults(r.results!).score).toBe(1);
    expect(job(reference('convolution.ts')).stdout).not.toMatch(/per-student/);
  });
});

describe('the command line', () => {
  it('refuses --image without --prairielearn, both platforms at once, and an image name with spaces or quotes', async () => {
    for (const argv of [
      ['export', '--image', 'a/b:1', '--out', 'x'],
      ['export', '--prairielearn', '--gradescope', '--out', 'x'],
      ['export', '--prairielearn', '--image', 'a b"; rm -rf /', '--out', 'x'],
    ]) {
      const err: string[] = [];
      expect(await main(argv, { out: () => {}, err: (s) => err.push(s), color: false }), argv.join(' ')).toBe(2);
      expect(err.join('\n')).toMatch(/^dlgrade: (--image|export takes)/);
    }
  });
});
