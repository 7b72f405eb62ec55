/**
 * dlgrade export --out DIR: the student package (design.md, "Export").
 *
 * It holds the stubs (exercises/), the public checks and the engine (graders/ without
 * hidden/), the fixtures those checks need (fixtures/ without mutants/ and submissions/), a
 * package.json whose `npm test` grades exercises/, a README for students, and
 * graders/hidden-manifest.json: how many hidden checks each exercise has and what they cover,
 * without the checks themselves. No reference/, no hidden checks, no mutants.
 */
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Check, FamilyGrader } from './engine/types.ts';

export interface HiddenManifest {
  /** module → exercise → titles of its hidden checks */
  [module: string]: Record<string, string[]>;
}

export const MANIFEST = 'hidden-manifest.json';

const EXCLUDED = new Set(['graders/hidden', 'fixtures/mutants', 'fixtures/submissions']);

function copyTree(root: string, rel: string, out: string): void {
  if (EXCLUDED.has(rel)) return;
  mkdirSync(path.join(out, rel), { recursive: true });
  for (const name of readdirSync(path.join(root, rel), { withFileTypes: true })) {
    const r = path.posix.join(rel, name.name);
    if (name.isDirectory()) copyTree(root, r, out);
    else cpSync(path.join(root, r), path.join(out, r));
  }
}

const STUDENT_README = (title: string, manifestCount: number) => `# ${title}

\`\`\`sh
npm install
npm test            # grades your work in exercises/ and prints the report
\`\`\`

Implement the functions in \`exercises/\`: each stub's comment gives the formula (with its
catalogue id, e.g. A1) and the conventions the grader holds you to. \`npm test\` runs the public
checks: worked examples from the lecture notes, properties every correct answer has (softmax
sums to 1, your backward pass agrees with the numerical derivative of your own forward pass …).
Where a stub says invalid input must be rejected, throw an Error whose message names the
function (\`exercises/tensor.ts\` gives you \`ArgumentError\` and shape validators): a crash is
not a check of the arguments and earns nothing.

For each failed check the report shows what was expected and what you returned, the smallest
input that shows the bug, a hint, and a command that replays exactly that case:

\`\`\`sh
npx dlgrade grade --only A1                         # one catalogue id, exercise or check
npx dlgrade grade --only A1.sigmoid.stable --seed 2026 --replay 4:11:3
npx dlgrade derivative "log(1 + exp(x))" --claim "1 / (1 + exp(-x))"   # check a derivation
\`\`\`

Your instructor also runs ${manifestCount} hidden checks: each exercise compared with the
reference solution on random inputs (\`graders/${MANIFEST}\` lists them). Passing every public
check is a good sign, not a guarantee.

Your code runs in a separate Node process that may read only your submission: no files, network,
child processes or environment. Loops that never end, \`process.exit\` and runaway memory cost
the exercise its points and nothing else.
`;

export function exportStudentPackage(root: string, out: string, families: FamilyGrader[], hidden: Record<string, Check[]>): { files: number; hidden: number } {
  if (existsSync(out) && readdirSync(out).length > 0) throw new Error(`export: ${out} is not empty`);
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
  const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as Record<string, Record<string, string>>;
  const keep = ['fast-check', 'mathjs', 'pure-rand', 'tsx', 'typescript'];
  writeFileSync(
    path.join(out, 'package.json'),
    `${JSON.stringify(
      {
        name: `${String(pkg.name)}-assignment`,
        version: String(pkg.version),
        private: true,
        type: 'module',
        engines: pkg.engines,
        bin: { dlgrade: 'graders/bin/dlgrade.js' },
        scripts: { test: 'node graders/bin/dlgrade.js grade', grade: 'node graders/bin/dlgrade.js grade' },
        dependencies: Object.fromEntries(keep.map((k) => [k, pkg.dependencies[k]])),
        devDependencies: { '@types/node': pkg.devDependencies['@types/node'] },
      },
      null,
      2,
    )}\n`,
  );
  const tsconfig = JSON.parse(readFileSync(path.join(root, 'tsconfig.json'), 'utf8')) as { include: string[] };
  tsconfig.include = ['exercises', 'graders', 'fixtures'];
  writeFileSync(path.join(out, 'tsconfig.json'), `${JSON.stringify(tsconfig, null, 2)}\n`);
  writeFileSync(path.join(out, '.gitignore'), 'node_modules/\n');
  writeFileSync(path.join(out, 'README.md'), STUDENT_README('Deep-learning course: exercises', count));
  const files = (dir: string): number =>
    readdirSync(dir, { withFileTypes: true }).reduce((n, e) => n + (e.isDirectory() ? files(path.join(dir, e.name)) : 1), 0);
  return { files: files(out), hidden: count };
}

/** The manifest shipped with the student package, or null in the instructor's repository. */
export function readManifest(gradersDir: string): HiddenManifest | null {
  const file = path.join(gradersDir, MANIFEST);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as HiddenManifest) : null;
}
