// The precompiled grader. The grader is written in TypeScript; running it through tsx costs a
// third of a second before anything happens, on every command. So the first run of a version of
// the sources bundles them with esbuild (tens of milliseconds) into
//   .dlgrade/grader/<fingerprint>/   cli.mjs, batch-worker.mjs and the chunks they share,
// and every later run imports that. The fingerprint is a hash of every file under graders/ (and
// esbuild's version): editing a check, pulling a new version or adding the hidden checks builds
// again, and nothing stale ever runs. Modules are loaded as the command needs them (cli.ts imports
// the commands only when one runs; the hidden checks are a chunk of their own). Packages stay in
// node_modules, resolved from the package root as from the sources.
//
// Two processes may build at once (a class graded by several workers, a spec run): each builds in
// a folder of its own and renames it into place; the first rename wins, the others use its build.
// Where the folder cannot be written (a read-only install), builtGrader() returns null and the
// caller runs the sources through tsx: slower to start, the same grader.
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const GRADERS = path.resolve(fileURLToPath(new URL('..', import.meta.url)));
const ROOT = path.dirname(GRADERS);
const BUILDS = path.join(ROOT, '.dlgrade', 'grader');
/** the programs of the grader: the command line, and the worker that grades a class's students */
const ENTRIES = ['cli.ts', 'batch-worker.ts'];
/** a build not used for this long is removed when another is made (one in use is touched each run) */
const STALE_MS = 24 * 60 * 60_000;

/** Every file under graders/, sorted: what a build is made of. */
function sources(dir = GRADERS, out = []) {
  for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) sources(p, out);
    else if (e.isFile()) out.push(p);
  }
  return out;
}

function fingerprint(esbuildVersion) {
  const h = createHash('sha256').update(`esbuild ${esbuildVersion}\n`);
  for (const f of sources()) h.update(`${path.relative(GRADERS, f)}\n`).update(readFileSync(f)).update('\n');
  return h.digest('hex').slice(0, 16);
}

/** esbuild's version, read from its package.json (importing esbuild itself is only needed to build). */
function esbuildVersion() {
  const require = createRequire(import.meta.url);
  return JSON.parse(readFileSync(require.resolve('esbuild/package.json'), 'utf8')).version;
}

/**
 * The hidden checks are absent from the student package: there, importing them gives an empty
 * set, as families.ts expects, rather than failing the build.
 */
const absentHidden = {
  name: 'absent-hidden-checks',
  setup(build) {
    build.onResolve({ filter: /\/hidden\/index\.ts$/ }, (args) => {
      const file = path.resolve(args.resolveDir, args.path);
      return existsSync(file) ? undefined : { path: file, namespace: 'absent' };
    });
    build.onLoad({ filter: /.*/, namespace: 'absent' }, () => ({ contents: 'export const HIDDEN = {};', loader: 'js' }));
  },
};

async function build(into) {
  const esbuild = await import('esbuild');
  await esbuild.build({
    entryPoints: ENTRIES.map((e) => path.join(GRADERS, e)),
    outdir: into,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    outExtension: { '.js': '.mjs' },
    chunkNames: 'chunk-[hash]',
    sourcemap: 'linked',
    plugins: [absentHidden],
    logLevel: 'silent',
  });
}

/** Builds older than STALE_MS, other than `keep`. */
function removeStale(keep) {
  for (const name of readdirSync(BUILDS)) {
    const p = path.join(BUILDS, name);
    if (name === keep) continue;
    try {
      if (Date.now() - statSync(p).mtimeMs > STALE_MS) rmSync(p, { recursive: true, force: true });
    } catch {
      // another process removed it first
    }
  }
}

/**
 * The precompiled grader for the sources as they are now: the paths of its programs, built first
 * if needed; null where it cannot be built (then run the sources through tsx).
 */
export async function builtGrader() {
  try {
    const version = esbuildVersion();
    const dir = path.join(BUILDS, fingerprint(version));
    const programs = { cli: path.join(dir, 'cli.mjs'), worker: path.join(dir, 'batch-worker.mjs') };
    if (existsSync(programs.cli) && existsSync(programs.worker)) {
      const now = new Date();
      utimesSync(dir, now, now);
      return programs;
    }
    mkdirSync(BUILDS, { recursive: true });
    const tmp = path.join(BUILDS, `.tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
    try {
      await build(tmp);
      try {
        renameSync(tmp, dir);
      } catch (e) {
        if (!existsSync(programs.cli)) throw e; // not another process's build in place
      }
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
    removeStale(path.basename(dir));
    return programs;
  } catch {
    return null;
  }
}
