/**
 * The type check of a submission, in a process of its own (typecheck.ts starts it, bounds its CPU
 * time and memory, and validates what it sends back): the TypeScript compiler is given the
 * student's source files and the stubs' signatures, and nothing else. The compiler only reads
 * the student's code, never runs it; but a hostile file can make a type checker work for minutes
 * or fill its heap, which is why this runs apart from the grader.
 *
 * The program it checks, all in memory:
 *   /submission/<file>        the student's files, as handed in (only those sent: the modules
 *                             being graded and what they import)
 *   /contract/<module>.ts     the stubs of exercises/, read from the package (with tensor.ts,
 *                             random.ts and not-implemented.ts)
 *   /contract/check/<module>.ts  one line per exported function of the stub:
 *                             `export const relu: typeof stub.relu = student.relu;`
 * and the compiler's own lib files and the typings of pure-rand (which random.ts imports).
 * Any other path does not exist for it: a type-only import (erased before grading, so never seen
 * by the import check) cannot reach the reference, the graders or the hidden checks, whose types
 * an error message would otherwise show.
 *
 * Plain JavaScript, so that it runs from the sources and from the built grader alike.
 */
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const ts = require('typescript');

const SUBMISSION = '/submission/';
const CONTRACT = '/contract/';
const CHECKS = '/contract/check/';
/** diagnostics sent back at most (the host shows fewer) */
const MAX_SENT = 200;

/**
 * What one check leaves for the next (a watching grader sends a job per save): the parsed files,
 * by name and text (the lib files are parsed once), and the last program.
 */
const parsed = new Map();
let last;

/** The compiler options of the course's own code (tsconfig.json), for one file set in memory. */
const options = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  allowImportingTsExtensions: true,
  noEmit: true,
  strict: true,
  noImplicitOverride: true,
  noFallthroughCasesInSwitch: true,
  skipLibCheck: true,
  allowJs: true,
  checkJs: false,
  types: [],
  lib: ['lib.es2022.d.ts'],
  noLib: false,
};

/** The exported functions and constants a stub declares (their names), read from its syntax. */
function exportedValues(file, text) {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, false);
  const names = [];
  for (const s of source.statements) {
    const exported = s.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
    if (!exported) continue;
    if (ts.isFunctionDeclaration(s) && s.name) names.push(s.name.text);
    if (ts.isVariableStatement(s)) for (const d of s.declarationList.declarations) if (ts.isIdentifier(d.name)) names.push(d.name.text);
  }
  return [...new Set(names)];
}

/**
 * @param job.files      submission-relative path → text, the files to check
 * @param job.modules    module → the submission-relative path of its file
 * @param job.exercises  the package's exercises/ folder (the stubs)
 * @param job.packageRoot the package root (where pure-rand is installed)
 */
function check(job) {
  const virtual = new Map();
  for (const [rel, text] of Object.entries(job.files)) virtual.set(SUBMISSION + rel, text);
  const checkOf = new Map(); // check file → module
  for (const [module, rel] of Object.entries(job.modules)) {
    const stubFile = path.join(job.exercises, `${module}.ts`);
    if (!existsSync(stubFile)) continue;
    const names = exportedValues(stubFile, readFileSync(stubFile, 'utf8'));
    const lines = [`import * as student from '${SUBMISSION}${rel}';`, `import * as stub from '../${module}.ts';`];
    for (const n of names) lines.push(`export const ${n}: typeof stub.${n} = student.${n};`);
    const file = `${CHECKS}${module}.ts`;
    virtual.set(file, `${lines.join('\n')}\n`);
    checkOf.set(file, { module, names });
  }

  const libDir = path.dirname(ts.getDefaultLibFilePath(options));
  const pureRand = realpathSync(path.dirname(require.resolve('pure-rand/package.json', { paths: [job.packageRoot] })));
  const inside = (f, dir) => f === dir || f.startsWith(dir + path.sep);
  /** The real file behind a path the compiler asks for, or null when it may not read it. */
  const real = (f) => {
    if (f.startsWith(CHECKS) || f.startsWith(SUBMISSION)) return null;
    if (f.startsWith(CONTRACT)) {
      const name = f.slice(CONTRACT.length);
      return /^[\w-]+\.ts$/.test(name) ? path.join(job.exercises, name) : null;
    }
    const p = path.resolve(f);
    return inside(p, libDir) || inside(p, pureRand) ? p : null;
  };
  const fileExists = (f) => virtual.has(f) || (real(f) !== null && existsSync(real(f)));
  const readFile = (f) => (virtual.has(f) ? virtual.get(f) : real(f) !== null && existsSync(real(f)) ? readFileSync(real(f), 'utf8') : undefined);

  const host = ts.createCompilerHost(options, true);
  host.fileExists = fileExists;
  host.readFile = readFile;
  host.directoryExists = (d) => d === '/' || d.startsWith(SUBMISSION.slice(0, -1)) || d.startsWith(CONTRACT.slice(0, -1)) || (real(d) !== null && existsSync(real(d)));
  host.getDirectories = () => [];
  host.realpath = (f) => f;
  host.getCurrentDirectory = () => '/';
  host.getSourceFile = (f, languageVersion) => {
    const text = readFile(f);
    if (text === undefined) return undefined;
    const kept = parsed.get(f);
    if (kept?.text === text) return kept.sf;
    const sf = ts.createSourceFile(f, text, languageVersion, true);
    parsed.set(f, { text, sf });
    return sf;
  };
  host.writeFile = () => {};
  // pure-rand is resolved from the package (where it is installed), every other import inside the program
  const packageImporter = path.join(job.exercises, 'random.ts');
  const edges = new Map(); // submission file → the submission files it imports
  host.resolveModuleNameLiterals = (literals, containingFile) =>
    literals.map((lit) => {
      const name = lit.text;
      if (/^pure-rand(\/[\w-]+)*$/.test(name)) return ts.resolveModuleName(name, packageImporter, options, ts.sys);
      const resolved = ts.resolveModuleName(name, containingFile, options, host);
      const target = resolved.resolvedModule?.resolvedFileName;
      if (containingFile.startsWith(SUBMISSION) && target?.startsWith(SUBMISSION)) {
        if (!edges.has(containingFile)) edges.set(containingFile, new Set());
        edges.get(containingFile).add(target);
      }
      return resolved;
    });

  // the modules and the signature checks: the files they import come in through their imports
  const roots = [...Object.values(job.modules).map((rel) => SUBMISSION + rel), ...checkOf.keys()];
  const program = ts.createProgram({ rootNames: roots, options, host, oldProgram: last });
  last = program;
  const diagnostics = [];
  for (const sf of program.getSourceFiles()) {
    const f = sf.fileName;
    if (!f.startsWith(SUBMISSION) && !f.startsWith(CHECKS)) continue;
    for (const d of [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)]) {
      if (diagnostics.length >= MAX_SENT) break;
      diagnostics.push(describe(d, checkOf, program));
    }
  }
  const reach = {};
  for (const [module, rel] of Object.entries(job.modules)) {
    const seen = new Set([SUBMISSION + rel]);
    for (const f of seen) for (const g of edges.get(f) ?? []) seen.add(g);
    reach[module] = [...seen].map((f) => f.slice(SUBMISSION.length));
  }
  return { diagnostics, reach };
}

/** A diagnostic as plain data: where (in the student's file) and what, one line. */
function describe(d, checkOf, program) {
  const message = ts.flattenDiagnosticMessageText(d.messageText, ' ').replace(/\s+/g, ' ');
  const f = d.file?.fileName;
  if (f === undefined) return { message };
  if (f.startsWith(SUBMISSION)) {
    const { line, character } = d.file.getLineAndCharacterOfPosition(d.start ?? 0);
    return { file: f.slice(SUBMISSION.length), line: line + 1, column: character + 1, message };
  }
  // a line of a check file: the exported function whose type differs from the stub's
  const { line } = d.file.getLineAndCharacterOfPosition(d.start ?? 0);
  const { module, names } = checkOf.get(f);
  const name = names[line - 2];
  return { module, exercise: name, message, ...studentDeclaration(program, module, name) };
}

/** Where the student declared `name` in the module file (for the message's file:line). */
function studentDeclaration(program, module, name) {
  for (const sf of program.getSourceFiles()) {
    if (!sf.fileName.startsWith(SUBMISSION) || path.basename(sf.fileName).replace(/\.m?[jt]s$/, '') !== module) continue;
    for (const s of sf.statements) {
      const declares =
        (ts.isFunctionDeclaration(s) && s.name?.text === name) ||
        (ts.isVariableStatement(s) && s.declarationList.declarations.some((d) => ts.isIdentifier(d.name) && d.name.text === name));
      if (!declares) continue;
      const { line, character } = sf.getLineAndCharacterOfPosition(s.getStart(sf));
      return { file: sf.fileName.slice(SUBMISSION.length), line: line + 1, column: character + 1 };
    }
    return { file: sf.fileName.slice(SUBMISSION.length) };
  }
  return {};
}

// one job per message, answered in order; the host ends the process
process.on('message', (job) => {
  let reply;
  try {
    reply = check(job);
  } catch (e) {
    reply = { failed: String(e instanceof Error ? e.message : e).slice(0, 500) };
  }
  process.send(reply);
});
process.on('disconnect', () => process.exit(0));
