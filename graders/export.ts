/**
 * dlgrade export --out DIR: the student package (design.md, "Export").
 *
 * It holds the stubs (exercises/), the public checks and the engine (graders/ without
 * hidden/), the fixtures those checks need (fixtures/ without mutants/ and submissions/), a
 * package.json whose `npm test` grades exercises/, a README for students, and
 * graders/hidden-manifest.json: how many hidden checks each exercise has and what they cover,
 * without the checks themselves. No reference/, no hidden checks, no mutants, no correct variants.
 *
 * dlgrade export --gradescope --out DIR: the instructor's autograder for Gradescope instead.
 */
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Check, FamilyGrader } from './engine/types.ts';
import { prunedLockfile, type Lockfile, type PackageJson } from './lockfile.ts';

export interface HiddenManifest {
  /** module → exercise → titles of its hidden checks */
  [module: string]: Record<string, string[]>;
}

export const MANIFEST = 'hidden-manifest.json';

/** The Node LTS line an exported autograder installs when its machine has none that fits (maintained until April 2028). */
export const NODE_LTS = 24;
/** The oldest Node package.json's engines (">=X.Y") allows: what an autograder's Node must satisfy. */
function engines(root: string): { major: number; minor: number } {
  const range = (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { engines?: { node?: string } }).engines?.node ?? '';
  const m = /^>=(\d+)\.(\d+)$/.exec(range);
  if (!m) throw new Error(`export: package.json's engines.node must read ">=X.Y"; got '${range}'`);
  return { major: Number(m[1]), minor: Number(m[2]) };
}

/**
 * Not in the student package: the hidden checks, the contract audits (they name the hidden checks
 * and the mutants), the mutants, the correct variants (solutions), the sample submissions.
 */
const EXCLUDED = new Set(['graders/hidden', 'graders/audit', 'fixtures/mutants', 'fixtures/variants', 'fixtures/submissions']);
/** Not in the instructor's autograders (they keep the hidden checks and the reference). */
export const AUTOGRADER_EXCLUDED = new Set(['graders/audit', 'fixtures/mutants', 'fixtures/variants', 'fixtures/submissions']);

/** An export writes into a new or empty folder, never over files already there. */
export function assertEmptyFolder(out: string): void {
  if (existsSync(out) && readdirSync(out).length > 0) throw new Error(`export: ${out} is not empty`);
}

export function copyTree(root: string, rel: string, out: string, excluded: Set<string> = EXCLUDED): void {
  if (excluded.has(rel)) return;
  mkdirSync(path.join(out, rel), { recursive: true });
  for (const name of readdirSync(path.join(root, rel), { withFileTypes: true })) {
    const r = path.posix.join(rel, name.name);
    if (name.isDirectory()) copyTree(root, r, out, excluded);
    else cpSync(path.join(root, r), path.join(out, r));
  }
}

const STUDENT_README = (title: string, manifestCount: number) => `# ${title}

\`\`\`sh
npm ci              # installs the locked versions the grader was tested with
npm test            # type-checks exercises/ (npm run typecheck), then grades it and prints the report
npm run watch       # grades again on every save: only what changed, in about a second
\`\`\`

Implement the functions in \`exercises/\`: each stub's comment gives the formula (with its
catalogue id, e.g. A1) and the conventions the grader holds you to. \`npm test\` runs the public
checks: worked examples from the lecture notes, properties every correct answer has (softmax
sums to 1, your backward pass agrees with the numerical derivative of your own forward pass …).
Where a stub says invalid input must be rejected, throw an Error whose message names the
function (\`exercises/tensor.ts\` gives you \`ArgumentError\` and shape validators): a crash is
not a check of the arguments and earns nothing.

The grader runs your code with its types erased, so a type error costs no points by itself; but
it type-checks your files against the stubs' signatures and lists the errors at the top of every
report (a \`relu\` that returns a string is caught there even when its values are right), and
\`npm test\` stops at them first. Your instructor may grade with \`--strict-types\`: then a file
with type errors is not graded at all.

For each failed check the report shows what was expected and what you returned, the smallest
input that shows the bug, a hint, and a command that replays exactly that case:

\`\`\`sh
npx dlgrade grade --only A1                         # one catalogue id, exercise or check
npx dlgrade grade --only A1.sigmoid.stable --seed 2026 --replay 4:11:3
npx dlgrade derivative "log(1 + exp(x))" --claim "1 / (1 + exp(-x))"   # check a derivation
\`\`\`

Your instructor also runs ${manifestCount} hidden check${manifestCount === 1 ? '' : 's'}: each exercise compared with the
reference solution on random inputs (\`graders/${MANIFEST}\` lists them). Passing every public
check is a good sign, not a guarantee.

Your code runs in a separate Node process that may read only your submission: no files, network,
child processes or environment. Loops that never end, \`process.exit\` and runaway memory cost
the exercise its points and nothing else.
`;

export function exportStudentPackage(root: string, out: string, families: FamilyGrader[], hidden: Record<string, Check[]>): { files: number; hidden: number } {
  assertEmptyFolder(out);
  for (const dir of ['exercises', 'graders', 'fixtures']) copyTree(root, dir, out);
  const manifest: HiddenManifest = {};
  let count = 0;
  for (const f of families) {
    for (const c of hidden[f.module] ?? []) {
      ((manifest[f.module] ??= {})[c.exercise] ??= []).push(`${c.catalogue} ${c.title}`);
      count++;
    }
  }
  writeFileSync(path.join(out, 'graders', MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
  writePackageJson(root, out, 'assignment', {
    scripts: { test: 'tsc --noEmit && node graders/bin/dlgrade.js grade', typecheck: 'tsc --noEmit', grade: 'node graders/bin/dlgrade.js grade', watch: 'node graders/bin/dlgrade.js watch' },
  });
  // what the student owns, with the course's compiler options; no Node typings (the package
  // installs none, and graded code runs without Node's APIs)
  const tsconfig = JSON.parse(readFileSync(path.join(root, 'tsconfig.json'), 'utf8')) as { include: string[]; compilerOptions: Record<string, unknown> };
  tsconfig.include = ['exercises'];
  tsconfig.compilerOptions.types = [];
  writeFileSync(path.join(out, 'tsconfig.json'), `${JSON.stringify(tsconfig, null, 2)}\n`);
  writeFileSync(path.join(out, '.gitignore'), 'node_modules/\n');
  writeFileSync(path.join(out, 'README.md'), STUDENT_README('Deep-learning course: exercises', count));
  return { files: countFiles(out), hidden: count };
}

/**
 * package.json and package-lock.json of an exported package: only what grading needs — the
 * repository's dependencies (tfjs, vitest and the native optional packages are development or
 * optional dependencies of the repository, not of grading), locked at the versions installed
 * here, so that `npm ci` installs what was tested.
 */
export function writePackageJson(root: string, out: string, suffix: string, extra: Record<string, unknown>): void {
  const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as Record<string, Record<string, string>>;
  const keep = Object.keys(pkg.dependencies);
  const json = {
    name: `${String(pkg.name)}-${suffix}`,
    version: String(pkg.version),
    private: true,
    type: 'module',
    engines: pkg.engines,
    bin: { dlgrade: 'graders/bin/dlgrade.js' },
    ...extra,
    dependencies: Object.fromEntries(keep.map((k) => [k, pkg.dependencies[k]])),
    devDependencies: { '@types/node': pkg.devDependencies['@types/node'] },
  };
  writeFileSync(path.join(out, 'package.json'), `${JSON.stringify(json, null, 2)}\n`);
  const lock = JSON.parse(readFileSync(path.join(root, 'package-lock.json'), 'utf8')) as Lockfile;
  writeFileSync(path.join(out, 'package-lock.json'), `${JSON.stringify(prunedLockfile(lock, json as PackageJson), null, 2)}\n`);
}

export const countFiles = (dir: string): number =>
  readdirSync(dir, { withFileTypes: true }).reduce((n, e) => n + (e.isDirectory() ? countFiles(path.join(dir, e.name)) : 1), 0);

/** The manifest shipped with the student package, or null in the instructor's repository. */
export function readManifest(gradersDir: string): HiddenManifest | null {
  const file = path.join(gradersDir, MANIFEST);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as HiddenManifest) : null;
}

/**
 * Gradescope runs setup.sh once when it builds the autograder image (Ubuntu, root, with
 * network): Node ${NODE_LTS} (an LTS line) from NodeSource when the image has no Node that
 * satisfies package.json's engines (≥ 20.19: the guard reads the same bound), bubblewrap for the sandbox's
 * namespaces, then the grading dependencies at the locked versions (the exported package.json
 * lists only those: no tfjs, no vitest).
 */
const GRADESCOPE_SETUP = (min: { major: number; minor: number }) => `#!/usr/bin/env bash
# Gradescope autograder setup (dlgrade export --gradescope): runs once when the image is built.
set -euo pipefail
if ! node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > ${min.major} || (a === ${min.major} && b >= ${min.minor}) ? 0 : 1)' 2>/dev/null; then
  apt-get update
  apt-get install -y curl ca-certificates
  curl -fsSL https://deb.nodesource.com/setup_${NODE_LTS}.x | bash -
  apt-get install -y nodejs
fi
# the student process's walls: bubblewrap's namespaces where the container allows them (each run
# probes, and results.json says which walls held), setpriv/prlimit from util-linux
apt-get install -y bubblewrap util-linux || true
cd /autograder/source
npm ci --omit=dev --no-audit --no-fund
`;

/**
 * Gradescope runs run_autograder for every submission. It grades /autograder/submission and
 * copies only results.json into /autograder/results: report.json (hidden inputs included) stays
 * in a temporary folder. Hidden checks use per-student seeds when the package holds
 * dlgrade.secret (the student id is the first submitter's e-mail in submission_metadata.json).
 * When the grader itself cannot run (exit 2) no results.json is written, so that Gradescope
 * reports an autograder failure to the instructor instead of a zero. AUTOGRADER and DLGRADE_ONLY
 * exist for testing this script outside Gradescope.
 */
const GRADESCOPE_RUN = `#!/usr/bin/env bash
# Gradescope autograder entry point (dlgrade export --gradescope): runs once per submission.
set -uo pipefail
AUTOGRADER="\${AUTOGRADER:-/autograder}"
cd "$AUTOGRADER/source" || exit 2
if [ -f dlgrade.secret ]; then export DLGRADE_SECRET="$(cat dlgrade.secret)"; fi
student="$(node -e 'try { const m = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")); console.log(m.users?.[0]?.email ?? "") } catch { console.log("") }' "$AUTOGRADER/submission_metadata.json")"
if [ -n "$student" ] && [ -n "\${DLGRADE_SECRET:-}" ]; then echo "dlgrade: per-student hidden seeds for $student"; fi
work="$(mktemp -d)"
node graders/bin/dlgrade.js grade --submission "$AUTOGRADER/submission" --out "$work" --no-color \\
  \${student:+--student "$student"} \${DLGRADE_ONLY:+--only "$DLGRADE_ONLY"}
status=$?
if [ "$status" -ge 2 ] || [ ! -f "$work/results.json" ]; then rm -rf "$work"; exit 2; fi
mkdir -p "$AUTOGRADER/results"
cp "$work/results.json" "$AUTOGRADER/results/results.json"
rm -rf "$work"
`;

/**
 * dlgrade export --gradescope --out DIR: the autograder for Gradescope (zip DIR's contents and
 * upload them). Instructor side: reference/ and the hidden checks are in it, mutants and specs
 * are not.
 */
export function exportGradescope(root: string, out: string): { files: number } {
  assertEmptyFolder(out);
  for (const dir of ['reference', 'exercises', 'graders', 'fixtures']) copyTree(root, dir, out, AUTOGRADER_EXCLUDED);
  writePackageJson(root, out, 'autograder', {});
  writeFileSync(path.join(out, 'setup.sh'), GRADESCOPE_SETUP(engines(root)), { mode: 0o755 });
  writeFileSync(path.join(out, 'run_autograder'), GRADESCOPE_RUN, { mode: 0o755 });
  return { files: countFiles(out) };
}

/** Every zip entry's date: a fixed one, so that the same export gives the same bytes. */
const ZIP_DATE = new Date('2026-01-01T00:00:00Z');

/**
 * Writes the files of `dir` (its contents at the zip's root, as Gradescope wants setup.sh and
 * run_autograder) to the zip `file`, with Unix modes (0755 for executables, 0644 otherwise) so
 * that the scripts stay executable wherever the zip is made (no `zip -r`, which Windows lacks,
 * and whose modes follow the file system it runs on).
 */
export async function zipFolder(dir: string, file: string): Promise<{ entries: number }> {
  const { zipSync } = await import('fflate');
  const entries: Record<string, [Uint8Array, { os: number; attrs: number; mtime: Date }]> = {};
  const walk = (rel: string): void => {
    for (const e of readdirSync(path.join(dir, rel), { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(r);
      else if (e.isFile()) {
        const mode = statSync(path.join(dir, r)).mode & 0o111 ? 0o100755 : 0o100644;
        entries[r] = [readFileSync(path.join(dir, r)), { os: 3, attrs: (mode << 16) >>> 0, mtime: ZIP_DATE }];
      }
    }
  };
  walk('');
  writeFileSync(file, zipSync(entries, { level: 6 }));
  return { entries: Object.keys(entries).length };
}
