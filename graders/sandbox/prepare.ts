/**
 * Turns a submission folder into something the sandbox can import without tools of its own:
 * every .ts/.mts/.js/.mjs file is transpiled (TypeScript's transpileModule: types erased, no
 * type check) into a fresh temporary folder as an ES module, with relative `./x.ts` imports
 * rewritten to `./x.js` and an inline source map so that stack traces point at the student's
 * own lines. Syntax errors make that file "does not compile", reported before any check runs.
 * Symbolic links are never followed and hard links are refused (such a module is "not gradable");
 * a submission whose files all sit in one sub-folder (a zipped folder) is graded from that folder.
 *
 * Before anything is read, the intake: the folder is walked entry by entry and given up as soon as
 * a limit below is passed; a submission over a limit is refused as a whole.
 *
 * The temporary folder is readable but not writable by other users (the student process may run
 * as one), is removed on exit (cleanup.ts), and the folders of graders that died are swept by the
 * next run.
 */
import { chmodSync, cpSync, lstatSync, mkdtempSync, mkdirSync, opendirSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import ts from 'typescript';
import { studentLine } from '../engine/text.ts';
import { track } from './cleanup.ts';

// The intake limits. The reference solution is 16 files and 231 KB, its largest file 27.8 KB
// (architectures.ts, comments included); every limit leaves a class of honest submissions far
// below it, and bounds what a hostile one costs before it is refused.

/**
 * Files of any kind, counted as the walk reads them (dot-files too): 12 times the reference's 16,
 * room for helpers, a student's own tests and the `._` companions a macOS zip adds; and a folder
 * of 100 000 files costs the reading of 201 entries.
 */
export const MAX_FILES = 200;
/** Folders, skipped ones (.git, node_modules) included: the reference needs none. */
export const MAX_FOLDERS = 64;
/** Bytes of one source file: 37 times the largest reference module; no hand-written solution comes near. */
export const MAX_FILE_BYTES = 1 << 20;
/**
 * Bytes of all source files: 17 times the reference. Transpiling takes about 2 s a MB on a busy
 * grading machine (measured), so this bounds the transpile of a hostile submission to seconds.
 */
export const MAX_TOTAL_BYTES = 4 << 20;

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
  /** module name → why it cannot be graded (missing, a link, does not compile) */
  problems: Record<string, string>;
  /** why the whole submission was refused at intake (then every expected module has this problem) */
  refused?: string;
  /** transpiled path → the student's file name, for messages */
  displayPath(file: string): string;
  cleanup(): void;
}

const SOURCE = /\.(ts|mts|js|mjs)$/;

/** A file name or an import specifier, as a message may show it. */
const shown = (s: string) => studentLine(s, 200);
const megabytes = (bytes: number) => `${(bytes / (1 << 20)).toFixed(1)} MB`;

/** A source file as the walk found it (lstat: a link is the link itself). */
interface SourceEntry {
  link: boolean;
  bytes: number;
  /** how many names the file has: more than one is a hard link */
  names: number;
}

/**
 * The source files of the folders `include` (relative to `dir`), or why the submission is refused.
 * Each folder is read one entry at a time and the walk ends at the first limit passed. Links are
 * never followed: a link could point at the instructor's reference/ (full marks for nothing) or at
 * its own folder (a loop that would stop the grader). Dot-entries and node_modules are counted but
 * never opened.
 */
function intake(dir: string, include: string[]): { sources: Map<string, SourceEntry> } | { refused: string } {
  const sources = new Map<string, SourceEntry>();
  const pending = [...include];
  let files = 0;
  let folders = 0;
  while (pending.length > 0) {
    const rel = pending.pop() as string;
    const folder = opendirSync(path.join(dir, rel));
    try {
      for (let entry = folder.readSync(); entry !== null; entry = folder.readSync()) {
        const r = path.join(rel, entry.name);
        const st = lstatSync(path.join(dir, r));
        const skipped = entry.name.startsWith('.') || entry.name === 'node_modules';
        if (st.isDirectory()) {
          if (++folders > MAX_FOLDERS) return { refused: tooMany('folders', MAX_FOLDERS) };
          if (!skipped) pending.push(r);
        } else {
          if (++files > MAX_FILES) return { refused: tooMany('files', MAX_FILES) };
          if (!skipped && SOURCE.test(entry.name) && !entry.name.endsWith('.d.ts')) {
            sources.set(r, { link: st.isSymbolicLink(), bytes: st.isSymbolicLink() ? 0 : st.size, names: st.nlink });
          }
        }
      }
    } finally {
      folder.closeSync();
    }
  }
  const refused = oversized(sources);
  return refused ? { refused } : { sources };
}

function tooMany(what: string, limit: number): string {
  return `the submission has more than ${limit} ${what} (found at least ${limit + 1}): hand in only your exercise files`;
}

/** Why the sources are too large to transpile, if they are (the first large file in name order). */
function oversized(sources: Map<string, SourceEntry>): string | undefined {
  const large = [...sources].filter(([, s]) => s.bytes > MAX_FILE_BYTES).sort(([a], [b]) => (a < b ? -1 : 1))[0];
  if (large) return `${shown(large[0])} is larger than ${MAX_FILE_BYTES >> 20} MB (${megabytes(large[1].bytes)}): no exercise needs a source file that large`;
  const total = [...sources.values()].reduce((sum, s) => sum + s.bytes, 0);
  if (total > MAX_TOTAL_BYTES) return `the submission's source files add up to more than ${MAX_TOTAL_BYTES >> 20} MB (${megabytes(total)}): hand in only your exercise files`;
  return undefined;
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
  const found = intake(source, include);
  if ('refused' in found) {
    readableByAll(root);
    const problems = Object.fromEntries(expected.map((name) => [name, found.refused]));
    return { source, root, modules: {}, problems, refused: found.refused, displayPath: (file) => path.basename(file), cleanup: remove };
  }
  // a package.json here ends Node's search for a module type inside the readable folder
  writeFileSync(path.join(root, 'package.json'), '{ "type": "module" }\n');
  for (const pkg of RUNTIME_PACKAGES) {
    cpSync(path.dirname(require.resolve(`${pkg}/package.json`)), path.join(root, 'node_modules', pkg), { recursive: true });
  }
  const problems: Record<string, string> = {};
  const compiled = new Set<string>();
  for (const [rel, entry] of [...found.sources].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const file = path.join(source, rel);
    if (entry.link) {
      problems[rel.replace(SOURCE, '')] = `${shown(rel)} is a symbolic link (to ${shown(readlinkSync(file))}): submit the file itself`;
      continue;
    }
    if (entry.names > 1) {
      problems[rel.replace(SOURCE, '')] = `${shown(rel)} is a hard link (it has ${entry.names} names): submit a copy of the file itself`;
      continue;
    }
    const text = readFileSync(file, 'utf8');
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
