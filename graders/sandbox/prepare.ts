/**
 * Turns a submission folder into something the sandbox can import without tools of its own.
 *
 * 1. Intake: the folder is walked entry by entry, never following a link, and given up as soon as
 *    a limit below is passed; a submission over a limit is refused as a whole, before anything is
 *    read or transpiled.
 * 2. The expected modules (at the top of the folder, or in the one sub-folder that holds them: a
 *    zipped folder) and the files they import, transitively, are transpiled (esbuild: types
 *    erased, no type check, milliseconds a file) as ES modules, with relative `./x.ts` imports
 *    rewritten to `./x.js` and an inline source map so that stack traces point at the student's
 *    own lines. Nothing else in the folder is read.
 * 3. Every import of the transpiled code (what actually runs) is checked statically (es-module-lexer):
 *    graded code may import the submission's own source files and the packages the provided
 *    random.ts needs, named by string literals, nothing else. (`require` does not exist in the ES
 *    modules graded code runs as, so a require() call needs no check: it throws where it runs.)
 *
 * A module is not gradable, reported before any check runs, when it is missing, is a symbolic or
 * hard link, does not compile, imports something it may not, or imports a module that is not
 * gradable. Only gradable modules are written to the temporary folder the sandbox reads; that
 * folder is readable but not writable by other users (the student process may run as one), is
 * removed on exit (cleanup.ts), and the folders of graders that died are swept by the next run.
 */
import { chmodSync, closeSync, constants, cpSync, lstatSync, mkdirSync, mkdtempSync, openSync, opendirSync, readdirSync, readFileSync, readlinkSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { createRequire, SourceMap } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parse, type ImportSpecifier } from 'es-module-lexer/js';
import type { TransformFailure } from 'esbuild';
import { studentLine } from '../engine/text.ts';
import { contentCache } from './cache.ts';
import { track } from './cleanup.ts';
import { running } from './meter.ts';
import { sandboxTmpdir } from './walls.ts';
import { inPackage } from '../root.ts';

// The intake limits. The reference solution is 16 files and 231 KB, its largest file 27.8 KB
// (architectures.ts, comments included); every limit leaves a class of honest submissions far
// below it, and bounds what a hostile one costs before it is refused.

/**
 * Files of any kind, counted as the walk reads them (dot-files too): 12 times the reference's 16,
 * room for helpers, a student's own tests and the `._` companions a macOS zip adds; and a folder
 * of 100 000 files costs the reading of a couple of hundred entries.
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
/** A runtime package or a sub-path of it ('pure-rand/distribution/uniformFloat64'), no `..` or `.` */
const RUNTIME_IMPORT = new RegExp(`^(${RUNTIME_PACKAGES.join('|')})(/[\\w-]+)*$`);
const require = createRequire(import.meta.url);

/** What students are told when an import is refused. */
const ONLY_OWN_FILES = "graded code may import only the submission's own files and the provided tensor.ts and random.ts";

/** A dead grader's folder is swept once it is this old (its pid may belong to another pid namespace). */
const STALE_AFTER_MS = 10 * 60_000;
const GRADER_FOLDER = /^dlgrade-([1-9]\d{0,9})-/;

export interface PreparedSubmission {
  /** the folder the student handed in */
  source: string;
  /** the transpiled copy (the only folder the sandbox may read) */
  root: string;
  /** module name → transpiled file, for each expected module that can be graded */
  modules: Record<string, string>;
  /** module name → why it cannot be graded (missing, a link, does not compile, a refused import) */
  problems: Record<string, string>;
  /** why the whole submission was refused at intake (then every expected module has this problem) */
  refused?: string;
  /** transpiled path → the student's file name, for messages */
  displayPath(file: string): string;
  /**
   * What the type check reads (typecheck.ts): the source files of the walk that are plain files
   * (links are never opened), by path in the submission, and each gradable module's file. Read
   * when asked, bounded by the intake's limits.
   */
  typeCheckInput(): { files: Record<string, string>; modules: Record<string, string> };
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

function outName(rel: string): string {
  return rel.replace(/\.(ts|js)$/, '.js').replace(/\.(mts|mjs)$/, '.mjs');
}

/**
 * Transpiled file → the source it is made from. When x.ts and x.js are both there (a student's
 * compiled copy next to the source), the TypeScript file is the one graded.
 */
function outputsOf(sources: Map<string, SourceEntry>): Map<string, string> {
  const outputs = new Map<string, string>();
  for (const rel of [...sources.keys()].sort()) {
    if (!outputs.has(outName(rel)) || /\.m?ts$/.test(rel)) outputs.set(outName(rel), rel);
  }
  return outputs;
}

/**
 * Where the expected modules are: the top of the submission, or else the one sub-folder that
 * holds them (a student who zipped the folder instead of its files).
 */
function moduleFolder(outputs: Map<string, string>, expected: string[]): string {
  const present = [...outputs.keys()].map((out) => out.replace(/\.m?js$/, ''));
  if (expected.length === 0 || expected.some((name) => present.includes(name))) return '';
  const folders = new Set(present.filter((m) => expected.includes(path.basename(m))).map((m) => path.dirname(m)));
  return folders.size === 1 ? [...folders][0] : '';
}

/** One module of the submission as read: its transpiled code and imports, or why it cannot be graded. */
interface Module {
  problem?: string;
  js: string;
  /** the submission's modules it imports (transpiled names), with where and how */
  imports: { where: string; specifier: string; target: string }[];
}

/** Reads, transpiles and checks the imports of `rel` (a source file of the walk). */
function readModule(source: string, root: string, rel: string, entry: SourceEntry, outputs: Map<string, string>): Module {
  const file = path.join(source, rel);
  const notGradable = (problem: string): Module => ({ problem, js: '', imports: [] });
  if (entry.link) return notGradable(`${shown(rel)} is a symbolic link (to ${shown(readlinkSync(file))}): submit the file itself`);
  if (entry.names > 1) return notGradable(`${shown(rel)} is a hard link (it has ${entry.names} names): submit a copy of the file itself`);
  const result = transpile(readFileSync(file, 'utf8'), rel);
  if ('problem' in result) return notGradable(result.problem);
  const m: Module = { js: result.js, imports: [] };
  for (const i of importsOf(result.js, result.imports)) {
    const where = `${shown(rel)}${i.line === undefined ? '' : `:${i.line}`}`;
    if (i.specifier === undefined) return notGradable(`${where} uses ${i.form} with a computed specifier: name the imported file in a string literal`);
    const resolved = resolveImport(i.specifier, path.join(root, outName(rel)), root, outputs);
    if (resolved.refused !== undefined) return notGradable(`${where} imports '${shown(i.specifier)}'${resolved.refused}`);
    if (resolved.target !== undefined) m.imports.push({ where, specifier: i.specifier, target: resolved.target });
  }
  return m;
}

/** `./x.ts` → `./x.js`, `../y.mts` → `../y.mjs`: the names the transpiled files have (same length, so the source map holds). */
const RELATIVE_TS = /^(\.\.?\/.*\.m?)ts$/;

/** esbuild's output for a source file: the JavaScript, or why it does not compile. */
type Transpiled = { js: string } | { problem: string };

function esbuildTransform(text: string, rel: string): Transpiled {
  const { transformSync } = require('esbuild') as typeof import('esbuild'); // loaded (≈ 40 ms, and its service ≈ 100 ms) only on a cache miss
  try {
    return { js: transformSync(text, { loader: 'ts', format: 'esm', target: 'es2022', sourcemap: 'inline', sourcefile: rel, sourcesContent: true }).code };
  } catch (e) {
    const [first] = (e as TransformFailure).errors ?? [];
    if (!first) throw e;
    const where = first.location ? `${shown(rel)}:${first.location.line}:${first.location.column + 1}` : shown(rel);
    return { problem: `does not compile: ${where} ${studentLine(first.text, 300)}` };
  }
}

/**
 * The transpile cache: esbuild's output is a function of esbuild's version, the file's name (in
 * the source map) and its text, so it is kept under a hash of the three, in .dlgrade/cache/transpiled/
 * for the next run and, per file name, in memory for a process that grades again (watch mode). Grading again
 * after editing one file transpiles that file alone; a run with nothing new starts no esbuild.
 * Only the grader writes there, and an entry is found only by the hash of what produced it. Where
 * the folder cannot be written, nothing is kept on disk.
 */
export const CACHE_DIR = inPackage('.dlgrade', 'cache', 'transpiled');
/** Past this many entries the oldest are removed down to half (the reference is 16 files; a class of 300 about 5000). */
const transpiled = contentCache(CACHE_DIR, 20_000);
/** The last output per file name (what a watching grader sees again): bounded by the names, not by the students graded. */
const remembered = new Map<string, { key: string; t: Transpiled }>();
let esbuildVersion: string | undefined;

function cached(text: string, rel: string): Transpiled {
  esbuildVersion ??= (JSON.parse(readFileSync(require.resolve('esbuild/package.json'), 'utf8')) as { version: string }).version;
  const key = createHash('sha256').update(`${esbuildVersion}\0${rel}\0`).update(text).digest('hex');
  const last = remembered.get(rel);
  if (last?.key === key) return last.t;
  const hit = asTranspiled(transpiled.read(key));
  const t = hit ?? esbuildTransform(text, rel);
  if (!hit) transpiled.write(key, t);
  remembered.set(rel, { key, t });
  return t;
}

function asTranspiled(v: unknown): Transpiled | undefined {
  const o = v as { js?: unknown; problem?: unknown } | undefined;
  return typeof o?.js === 'string' || typeof o?.problem === 'string' ? (v as Transpiled) : undefined;
}

function transpile(text: string, rel: string): { js: string; imports: readonly ImportSpecifier[] } | { problem: string } {
  const t = cached(text, rel);
  if ('problem' in t) return t;
  const { js } = t;
  const [imports] = parse(js);
  let out = js;
  for (const i of imports) {
    if (i.n === undefined || !RELATIVE_TS.test(i.n)) continue;
    const at = js.indexOf(i.n, i.s); // the specifier's text, inside its quotes for import()
    out = `${out.slice(0, at)}${i.n.replace(RELATIVE_TS, '$1js')}${out.slice(at + i.n.length)}`;
  }
  // the rewriting keeps every length: the positions read from `js` hold in `out`
  return { js: out, imports };
}

/** One import of a transpiled module: its specifier (undefined when computed) and its line in the source. */
interface ImportSite {
  form: 'import' | 'import()';
  specifier?: string;
  line?: number;
}

/**
 * Every import of `js` (as transpile() read them), in order: import and export-from declarations
 * and import() calls, with the specifiers as they will run; lines are mapped back to the
 * student's source through the inline source map.
 */
function importsOf(js: string, imports: readonly ImportSpecifier[]): ImportSite[] {
  const map = sourceMapOf(js);
  const lineStarts = [0];
  for (let k = js.indexOf('\n'); k !== -1; k = js.indexOf('\n', k + 1)) lineStarts.push(k + 1);
  const position = (offset: number) => {
    let line = 0;
    while (line + 1 < lineStarts.length && lineStarts[line + 1] <= offset) line++;
    return { line, column: offset - lineStarts[line] };
  };
  return imports
    .filter((i) => i.t !== 3) // import.meta
    .map((i) => {
      const at = position(i.ss);
      const entry = map?.findEntry(at.line, at.column);
      return { form: i.d === -1 ? 'import' : 'import()', specifier: i.n?.replace(RELATIVE_TS, '$1js'), line: entry && 'originalLine' in entry ? entry.originalLine + 1 : undefined };
    });
}

/** The inline source map transpile() appended to `js`. */
function sourceMapOf(js: string): SourceMap | undefined {
  const inline = /\/\/# sourceMappingURL=data:application\/json;base64,([A-Za-z0-9+/=]+)\s*$/.exec(js);
  return inline ? new SourceMap(JSON.parse(Buffer.from(inline[1], 'base64').toString('utf8'))) : undefined;
}

/**
 * What `specifier`, imported by the transpiled file `importer`, is: one of the submission's modules
 * (`target`, a transpiled name), a runtime package (neither field), or refused (the end of the
 * message). Relative specifiers are resolved as Node resolves them, as URLs (so `%2e%2e` is `..`).
 */
function resolveImport(specifier: string, importer: string, root: string, outputs: Map<string, string>): { target?: string; refused?: string } {
  if (RUNTIME_IMPORT.test(specifier)) return {};
  if (!/^\.\.?(\/|$)/.test(specifier)) return { refused: `: ${ONLY_OWN_FILES}` };
  let target: string;
  try {
    target = path.relative(root, fileURLToPath(new URL(specifier, pathToFileURL(importer))));
  } catch {
    return { refused: ', which is not a module of the submission' };
  }
  if (target.split(path.sep)[0] === '..') return { refused: `, which is outside the submission: ${ONLY_OWN_FILES}` };
  return outputs.has(target) ? { target } : { refused: ', which is not a module of the submission' };
}

/** The modules reachable from `entries` (transpiled names) through their imports, each read once. */
function readModules(source: string, root: string, entries: string[], sources: Map<string, SourceEntry>, outputs: Map<string, string>): Map<string, Module> {
  const modules = new Map<string, Module>();
  const pending = [...entries];
  while (pending.length > 0) {
    const out = pending.shift() as string;
    if (modules.has(out)) continue;
    const rel = outputs.get(out) as string;
    const m = readModule(source, root, rel, sources.get(rel) as SourceEntry, outputs);
    modules.set(out, m);
    pending.push(...m.imports.map((i) => i.target));
  }
  return modules;
}

/**
 * A module that imports one that cannot be graded cannot be graded either (it would fail when
 * loaded), saying which import and why: the first cause, not the whole chain.
 */
function spreadProblems(modules: Map<string, Module>): void {
  const cause = new Map([...modules].filter(([, m]) => m.problem !== undefined).map(([out, m]) => [out, m.problem as string]));
  for (let changed = true; changed; ) {
    changed = false;
    for (const [out, m] of modules) {
      const failed = m.problem === undefined ? m.imports.find((i) => cause.has(i.target)) : undefined;
      if (!failed) continue;
      m.problem = `${failed.where} imports '${shown(failed.specifier)}', which cannot be graded: ${cause.get(failed.target)}`;
      cause.set(out, cause.get(failed.target) as string);
      changed = true;
    }
  }
}

/**
 * Removes the temporary folders of graders that died without cleaning up (a SIGKILL, a crash of
 * the machine): `dlgrade-<pid>-…` folders of this user whose process is gone and that are older
 * than STALE_AFTER_MS. Nothing else is touched, and nothing here may stop grading.
 */
function sweepStaleFolders(): void {
  const dir = sandboxTmpdir();
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
      if (!st.isDirectory() || st.uid !== process.getuid?.() || Date.now() - st.mtimeMs < STALE_AFTER_MS || running(pid)) continue;
      rmSync(path.join(dir, name), { recursive: true, force: true });
    } catch {
      // another grader swept it first, or it is not ours to remove
    }
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
  const root = realpathSync(mkdtempSync(path.join(sandboxTmpdir(), `dlgrade-${process.pid}-`)));
  const untrack = track({ disposeSync: () => rmSync(root, { recursive: true, force: true }) });
  return {
    root,
    remove: () => {
      rmSync(root, { recursive: true, force: true });
      untrack();
    },
  };
}

/** What every prepared folder holds besides the student's modules. */
function writeRuntime(root: string): void {
  // a package.json here ends Node's search for a module type inside the readable folder
  writeFileSync(path.join(root, 'package.json'), '{ "type": "module" }\n');
  for (const pkg of RUNTIME_PACKAGES) {
    cpSync(path.dirname(require.resolve(`${pkg}/package.json`)), path.join(root, 'node_modules', pkg), { recursive: true });
  }
}

function write(root: string, out: string, text: string): void {
  mkdirSync(path.dirname(path.join(root, out)), { recursive: true });
  writeFileSync(path.join(root, out), text);
}

/**
 * @param expected module names looked for at the top of the folder ('activations' → activations.ts),
 *                 or paths relative to it
 * @param include  only these sub-folders (relative) are walked, keeping their layout; default: everything
 */
export function prepareSubmission(dir: string, expected: string[], include: string[] = ['']): PreparedSubmission {
  sweepStaleFolders();
  const source = realpathSync(path.resolve(dir));
  const { root, remove } = temporaryFolder();
  const prepared: PreparedSubmission = {
    source,
    root,
    modules: {},
    problems: {},
    displayPath: (file) => (file.startsWith(root) ? path.relative(root, file).replace(/\.js$/, '.ts') : path.basename(file)),
    typeCheckInput: () => ({ files: {}, modules: {} }),
    cleanup: remove,
  };
  const found = intake(source, include);
  if ('refused' in found) {
    readableByAll(root);
    for (const name of expected) prepared.problems[name] = found.refused;
    return { ...prepared, refused: found.refused };
  }
  writeRuntime(root);
  const outputs = outputsOf(found.sources);
  const folder = moduleFolder(outputs, expected);
  const entries = new Map<string, string>();
  for (const name of expected) {
    const out = [`${path.join(folder, name)}.js`, `${path.join(folder, name)}.mjs`].find((o) => outputs.has(o));
    if (out) entries.set(name, out);
    else prepared.problems[name] = `missing: the submission has no ${shown(path.join(folder, name))}.ts`;
  }
  const modules = readModules(source, root, [...entries.values()], found.sources, outputs);
  spreadProblems(modules);
  for (const [out, m] of modules) if (m.problem === undefined) write(root, out, m.js);
  for (const [name, out] of entries) {
    const m = modules.get(out) as Module;
    if (m.problem === undefined) prepared.modules[name] = path.join(root, out);
    else prepared.problems[name] = m.problem;
  }
  readableByAll(root);
  const moduleFiles = Object.fromEntries(Object.keys(prepared.modules).map((name) => [name, outputs.get(entries.get(name) as string) as string]));
  prepared.typeCheckInput = () => ({ files: plainSources(source, found.sources), modules: moduleFiles });
  return prepared;
}

/** The text of each source file that is neither a link nor a hard link (opened without following a link). */
function plainSources(source: string, sources: Map<string, SourceEntry>): Record<string, string> {
  const files: Record<string, string> = {};
  for (const [rel, entry] of sources) {
    if (entry.link || entry.names > 1) continue;
    let fd: number | undefined;
    try {
      fd = openSync(path.join(source, rel), constants.O_RDONLY | constants.O_NOFOLLOW);
      files[rel] = readFileSync(fd, 'utf8');
    } catch {
      // gone or replaced by a link since the walk: not read
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
  }
  return files;
}
