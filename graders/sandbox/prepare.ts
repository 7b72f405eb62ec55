/**
 * Turns a submission folder into something the sandbox can import without tools of its own:
 * every .ts/.mts/.js/.mjs file is transpiled (TypeScript's transpileModule: types erased, no
 * type check) into a fresh temporary folder as an ES module, with relative `./x.ts` imports
 * rewritten to `./x.js` and an inline source map so that stack traces point at the student's
 * own lines. Syntax errors make that file "does not compile", reported before any check runs.
 * Symbolic links are never followed (a linked module is "not gradable"); a submission whose files
 * all sit in one sub-folder (a zipped folder) is graded from that folder.
 *
 * The temporary folder is readable but not writable by other users (the student process may run
 * as one), is removed on exit (cleanup.ts), and the folders of graders that died are swept by the
 * next run.
 */
import { chmodSync, cpSync, lstatSync, mkdtempSync, mkdirSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import ts from 'typescript';
import { track } from './cleanup.ts';

/**
 * Packages a submission may import, copied into the prepared folder (the sandbox reads nothing
 * outside it): pure-rand backs the provided random.ts.
 */
const RUNTIME_PACKAGES = ['pure-rand'];
const require = createRequire(import.meta.url);

/** A dead grader's folder is swept once it is this old (its pid may belong to another pid namespace). */
const STALE_AFTER_MS = 10 * 60_000;
const GRADER_FOLDER = /^dlgrade-([1-9]\d{0,9})-/;

export interface PreparedSubmission {
  /** the folder the student handed in */
  source: string;
  /** the transpiled copy (the only folder the sandbox may read) */
  root: string;
  /** module name → transpiled file, for each expected module that exists and compiles */
  modules: Record<string, string>;
  /** module name → why it cannot be graded (missing, does not compile) */
  problems: Record<string, string>;
  /** transpiled path → the student's file name, for messages */
  displayPath(file: string): string;
  cleanup(): void;
}

const SOURCE = /\.(ts|mts|js|mjs)$/;

/**
 * The source files below `rel`, and the symbolic links among them. Links are never followed: a
 * link could point at the instructor's reference/ (full marks for nothing) or at its own folder
 * (a loop that would stop the grader).
 */
function listSources(dir: string, rel = ''): { files: string[]; links: string[] } {
  const files: string[] = [];
  const links: string[] = [];
  for (const name of readdirSync(path.join(dir, rel)).sort()) {
    if (name.startsWith('.') || name === 'node_modules') continue;
    const r = path.join(rel, name);
    const st = lstatSync(path.join(dir, r));
    if (st.isSymbolicLink()) {
      if (SOURCE.test(name)) links.push(r);
    } else if (st.isDirectory()) {
      const inner = listSources(dir, r);
      files.push(...inner.files);
      links.push(...inner.links);
    } else if (SOURCE.test(name) && !name.endsWith('.d.ts')) files.push(r);
  }
  return { files, links };
}

/**
 * Where the expected modules are: the top of the submission, or else the one sub-folder that
 * holds them (a student who zipped the folder instead of its files).
 */
function moduleFolder(compiled: Set<string>, expected: string[]): string {
  if (expected.length === 0 || expected.some((name) => compiled.has(name))) return '';
  const folders = new Set([...compiled].filter((m) => expected.includes(path.basename(m))).map((m) => path.dirname(m)));
  return folders.size === 1 ? [...folders][0] : '';
}

/**
 * Removes the temporary folders of graders that died without cleaning up (a SIGKILL, a crash of
 * the machine): `dlgrade-<pid>-…` folders of this user whose process is gone and that are older
 * than STALE_AFTER_MS. Nothing else is touched, and nothing here may stop grading.
 */
function sweepStaleFolders(): void {
  const dir = tmpdir();
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    const pid = Number(GRADER_FOLDER.exec(name)?.[1]);
    if (!(pid > 0) || pid === process.pid) continue;
    try {
      const st = lstatSync(path.join(dir, name));
      if (!st.isDirectory() || st.uid !== process.getuid?.() || Date.now() - st.mtimeMs < STALE_AFTER_MS || alive(pid)) continue;
      rmSync(path.join(dir, name), { recursive: true, force: true });
    } catch {
      // another grader swept it first, or it is not ours to remove
    }
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

/** Folders 0755 and files 0644 below `dir`: the student process may run as another user, and reads only. */
function readableByAll(dir: string): void {
  chmodSync(dir, 0o755);
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) readableByAll(p);
    else if (entry.isFile()) chmodSync(p, 0o644);
  }
}

/** A fresh `dlgrade-<pid>-XXXXXX` folder, removed when the grader exits unless removed before. */
function temporaryFolder(): { root: string; remove(): void } {
  const root = realpathSync(mkdtempSync(path.join(tmpdir(), `dlgrade-${process.pid}-`)));
  const untrack = track({ disposeSync: () => rmSync(root, { recursive: true, force: true }) });
  return {
    root,
    remove: () => {
      rmSync(root, { recursive: true, force: true });
      untrack();
    },
  };
}

function outName(rel: string): string {
  return rel.replace(/\.(ts|js)$/, '.js').replace(/\.(mts|mjs)$/, '.mjs');
}

/**
 * @param expected module names looked for at the top of the folder ('activations' → activations.ts)
 * @param include  only these sub-folders (relative), keeping their layout; default: everything
 */
export function prepareSubmission(dir: string, expected: string[], include: string[] = ['']): PreparedSubmission {
  sweepStaleFolders();
  const source = realpathSync(path.resolve(dir));
  const { root, remove } = temporaryFolder();
  // a package.json here ends Node's search for a module type inside the readable folder
  writeFileSync(path.join(root, 'package.json'), '{ "type": "module" }\n');
  for (const pkg of RUNTIME_PACKAGES) {
    cpSync(path.dirname(require.resolve(`${pkg}/package.json`)), path.join(root, 'node_modules', pkg), { recursive: true });
  }
  const problems: Record<string, string> = {};
  const compiled = new Set<string>();
  const sources = include.map((sub) => listSources(source, sub));
  for (const link of sources.flatMap((l) => l.links)) {
    problems[link.replace(SOURCE, '')] = `${link} is a symbolic link (to ${readlinkSync(path.join(source, link))}): submit the file itself`;
  }
  for (const rel of sources.flatMap((l) => l.files)) {
    const text = readFileSync(path.join(source, rel), 'utf8');
    const result = ts.transpileModule(text, {
      fileName: rel,
      reportDiagnostics: true,
      compilerOptions: {
        module: ts.ModuleKind.ESNext,
        target: ts.ScriptTarget.ES2022,
        rewriteRelativeImportExtensions: true,
        inlineSourceMap: true,
        inlineSources: true,
      },
    });
    const errors = (result.diagnostics ?? []).filter((d) => d.category === ts.DiagnosticCategory.Error);
    if (errors.length > 0) {
      const d = errors[0];
      const pos = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start) : undefined;
      const where = pos ? `${rel}:${pos.line + 1}:${pos.character + 1}` : rel;
      problems[rel.replace(SOURCE, '')] = `does not compile: ${where} ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`;
      continue;
    }
    const out = path.join(root, outName(rel));
    mkdirSync(path.dirname(out), { recursive: true });
    writeFileSync(out, result.outputText);
    compiled.add(rel.replace(SOURCE, ''));
  }
  const modules: Record<string, string> = {};
  const folder = moduleFolder(compiled, expected);
  for (const name of expected) {
    const rel = path.join(folder, name);
    if (compiled.has(rel)) modules[name] = path.join(root, `${rel}.js`);
    else if (problems[rel]) problems[name] = problems[rel];
    else if (!problems[name]) problems[name] = `missing: the submission has no ${rel}.ts`;
  }
  readableByAll(root);
  return {
    source,
    root,
    modules,
    problems,
    displayPath: (file) => (file.startsWith(root) ? path.relative(root, file).replace(/\.js$/, '.ts') : path.basename(file)),
    cleanup: remove,
  };
}
