/**
 * dlgrade export --prairielearn --out DIR: what a PrairieLearn course repository needs to grade
 * the assignment with PrairieLearn's external grader (docs: "External Grading", "Docker images").
 *
 *   DIR/serverFilesCourse/dlgrade/   the grader: reference, hidden checks, engine, fixtures,
 *                                     package.json and package-lock.json, and pl-grade.sh, the
 *                                     job's entrypoint
 *   DIR/questions/dlgrade/            the question: info.json (external grading: image,
 *                                     entrypoint, server files, timeout) and question.html (an
 *                                     upload for each file of exercises/)
 *   DIR/image/                        the grader image's Dockerfile, with the same package.json
 *                                     and lockfile: Node LTS and the dependencies only
 *   DIR/README.md                     where each part goes, and how to build and push the image
 *
 * PrairieLearn pulls only public images, so the image holds no course file: the reference and the
 * hidden checks reach the job from the course's (private) serverFilesCourse. The entrypoint runs as
 * the image's user, root, because /grade belongs to root (PrairieLearn's own graders do the same);
 * it only prepares folders and grades as the unprivileged user `grader`.
 */
import { randomUUID } from 'node:crypto';
import { chmodSync, cpSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { FamilyGrader } from './engine/types.ts';
import { assertEmptyFolder, AUTOGRADER_EXCLUDED, copyTree, countFiles, NODE_LTS, writePackageJson } from './export.ts';

export { NODE_LTS };
/** PrairieLearn's upper bound on a grading job. A submission that hangs every call costs about two 2-second strikes per exercise. */
export const TIMEOUT_S = 600;
export const QUESTION = 'dlgrade';
export const DEFAULT_IMAGE = 'YOUR_ACCOUNT/dlgrade-grader:latest';

/**
 * The grading job (runs once per submission, as root in the grader image). Only the student's
 * top-level .ts files are taken, with the provided helpers (tensor.ts …: files of exercises/ no
 * family grades) from the stubs when not uploaded. A family file left out is reported missing
 * and scores 0; when nothing uploaded loads (a file that does not compile, or imports one that is
 * missing) the attempt is not gradable, with the reasons, and does not count. Hidden
 * checks use per-student seeds when dlgrade.secret is present: the student id is the variant's
 * seed from data.json. report.json and the console report (hidden inputs) stay in the job's
 * temporary folder; only results.json reaches /grade/results, and the job's log gets the totals. When the grader itself cannot run, no results.json is
 * written and PrairieLearn reports a failed grading job to the staff instead of a score.
 */
const PL_GRADE = (helpers: string[]) => `#!/usr/bin/env bash
# PrairieLearn external grading entrypoint (dlgrade export --prairielearn).
set -uo pipefail
GRADE="\${GRADE:-/grade}"
MODULES="\${DLGRADE_MODULES:-/opt/dlgrade/node_modules}"
mkdir -p "$GRADE/results"
not_gradable() {
  node -e 'require("fs").writeFileSync(process.argv[1], JSON.stringify({ gradable: false, message: process.argv[2], format_errors: [process.argv[2]], tests: [] }))' "$GRADE/results/results.json" "$1"
  exit 0
}
shopt -s nullglob
submitted=("$GRADE/student/"*.ts)
[ \${#submitted[@]} -gt 0 ] || not_gradable "No .ts file was submitted: upload your files from exercises/."
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp -r "$GRADE/serverFilesCourse/dlgrade" "$work/dlgrade"
ln -s "$MODULES" "$work/dlgrade/node_modules"
mkdir "$work/submission"
for f in "\${submitted[@]}"; do [ -f "$f" ] && [ ! -L "$f" ] && cp "$f" "$work/submission/"; done
for f in ${helpers.join(' ')}; do cp -n "$work/dlgrade/exercises/$f" "$work/submission/"; done
student=""
if [ -f "$work/dlgrade/dlgrade.secret" ]; then
  export DLGRADE_SECRET="$(cat "$work/dlgrade/dlgrade.secret")"
  seed="$(node -e 'try { const d = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")); console.log(Number.isSafeInteger(d.variant_seed) ? d.variant_seed : "") } catch { console.log("") }' "$GRADE/data/data.json")"
  [ -n "$seed" ] && student="variant-$seed" && echo "dlgrade: per-student hidden seeds for $student"
fi
as_grader=()
if [ "$(id -u)" = 0 ] && id grader >/dev/null 2>&1; then
  chown -R grader: "$work"
  as_grader=(setpriv --reuid grader --regid grader --init-groups)
fi
"\${as_grader[@]}" node "$work/dlgrade/graders/bin/dlgrade.js" grade --submission "$work/submission" \\
  --out "$work/out" --format prairielearn --no-color \${student:+--student "$student"} \${DLGRADE_ONLY:+--only "$DLGRADE_ONLY"} \
  >"$work/console.txt" 2>&1
status=$?
# the job's log gets the totals only: the full console report holds the hidden checks' inputs
if [ "$status" -ge 2 ] || [ ! -f "$work/out/results.json" ]; then tail -n 20 "$work/console.txt"; exit 2; fi
grep -E '^(Total|Includes|Isolation)' "$work/console.txt"
cp "$work/out/results.json" "$GRADE/results/results.json"
`;

const DOCKERFILE = `# The PrairieLearn grader image of dlgrade (dlgrade export --prairielearn): Node LTS, the grading
# dependencies at the locked versions, and the tools of the sandbox's walls. No course file: the
# grader, the reference and the hidden checks come from serverFilesCourse/dlgrade at grading time
# (PrairieLearn pulls only public images).
FROM node:${NODE_LTS}-bookworm-slim
RUN apt-get update \\
 && apt-get install -y --no-install-recommends bubblewrap util-linux \\
 && rm -rf /var/lib/apt/lists/*
WORKDIR /opt/dlgrade
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
# grading runs as this unprivileged user: the entrypoint (root, to create /grade/results, as
# PrairieLearn's own graders do) drops to it with setpriv before starting the grader
RUN useradd --system --no-create-home --shell /usr/sbin/nologin grader
`;

const README = (image: string, files: string[]) => `# dlgrade for PrairieLearn

Written by \`dlgrade export --prairielearn\`. Three parts:

1. **\`serverFilesCourse/dlgrade/\`** → copy to \`serverFilesCourse/dlgrade/\` in your course
   repository. It is the grader with the reference solution and the hidden checks: keep the
   course repository private. Add \`serverFilesCourse/dlgrade/dlgrade.secret\` (any long random
   string) for per-student hidden seeds (one per PrairieLearn variant).
2. **\`questions/${QUESTION}/\`** → copy to \`questions/\` (rename the folder if you like; give it
   a fresh \`uuid\` in \`info.json\` if you copy it more than once) and add the question to an
   assessment. Students upload their files from \`exercises/\` (${files.length} files, each optional:
   a file left out scores 0; the helpers tensor.ts … come from the stubs when not uploaded).
3. **\`image/\`** → the grader image: Node ${NODE_LTS} and the grading dependencies, no course file.
   PrairieLearn pulls public images only, so push it to Docker Hub (or ghcr.io …) and sync it on
   the course's Sync page:

   \`\`\`sh
   cd image
   docker build --platform linux/amd64 -t ${image} .
   docker push ${image}
   \`\`\`

   \`info.json\` names the image \`${image}\` (\`dlgrade export --prairielearn --image NAME\` sets it).
   This image was not built where it was exported (the export needs no container runtime).

Grading a submission takes about 15 s of the job's ${TIMEOUT_S} s (a submission whose calls all hang
takes longer: each call is stopped after 2 s). The student sees the score (hidden checks
included), every check with points, and the failing inputs of the public checks only.
`;

/** The files a student uploads: every file of exercises/. */
function exerciseFiles(root: string): string[] {
  return readdirSync(path.join(root, 'exercises')).filter((f) => f.endsWith('.ts')).sort();
}

const QUESTION_HTML = (files: string[]) => `<pl-question-panel>
  <p>
    Upload your files from <code>exercises/</code>, all those you worked on, each time: only
    the files of the latest submission are graded, and a file left out scores 0. Each submission
    is graded in full: the public checks you ran with <code>npm test</code> and the hidden
    checks, which compare your functions with the reference on random inputs (their inputs are
    not shown). A submission none of whose files loads does not count as an attempt.
  </p>
  <pl-file-upload optional-file-names="${files.join(', ')}"></pl-file-upload>
</pl-question-panel>

<pl-submission-panel>
  <pl-external-grader-results></pl-external-grader-results>
  <pl-file-preview></pl-file-preview>
</pl-submission-panel>
`;

export function exportPrairieLearn(root: string, out: string, families: FamilyGrader[], image = DEFAULT_IMAGE): { files: number } {
  const files = exerciseFiles(root);
  const helpers = files.filter((f) => !families.some((g) => `${g.module}.ts` === f));
  assertEmptyFolder(out);
  const grader = path.join(out, 'serverFilesCourse', 'dlgrade');
  for (const dir of ['reference', 'exercises', 'graders', 'fixtures']) copyTree(root, dir, grader, AUTOGRADER_EXCLUDED);
  writePackageJson(root, grader, 'prairielearn', {});
  writeFileSync(path.join(grader, 'pl-grade.sh'), PL_GRADE(helpers));
  chmodSync(path.join(grader, 'pl-grade.sh'), 0o755);

  const question = path.join(out, 'questions', QUESTION);
  mkdirSync(question, { recursive: true });
  const info = {
    uuid: randomUUID(),
    title: 'Deep-learning course: exercises',
    topic: 'Deep learning',
    tags: ['dlgrade'],
    type: 'v3',
    singleVariant: true,
    gradingMethod: 'External',
    externalGradingOptions: {
      enabled: true,
      image,
      entrypoint: '/grade/serverFilesCourse/dlgrade/pl-grade.sh',
      serverFilesCourse: ['dlgrade/'],
      timeout: TIMEOUT_S,
    },
  };
  writeFileSync(path.join(question, 'info.json'), `${JSON.stringify(info, null, 2)}\n`);
  writeFileSync(path.join(question, 'question.html'), QUESTION_HTML(files));

  const imageDir = path.join(out, 'image');
  mkdirSync(imageDir, { recursive: true });
  for (const f of ['package.json', 'package-lock.json']) cpSync(path.join(grader, f), path.join(imageDir, f));
  writeFileSync(path.join(imageDir, 'Dockerfile'), DOCKERFILE);
  writeFileSync(path.join(out, 'README.md'), README(image, files));
  return { files: countFiles(out) };
}
