/**
 * The lockfile of an exported package: the repository's package-lock.json (lockfile v3) cut down
 * to what the exported package.json depends on, so that `npm ci` there installs exactly the
 * versions this repository was tested with (no `^` range resolved afresh on the day a student or
 * a grading image installs).
 *
 * Packages are found as Node finds them: a dependency of the package at `node_modules/a` is
 * `node_modules/a/node_modules/d` when the lockfile has it, else `node_modules/d`. The flags npm
 * keeps per package are recomputed for the smaller tree: `dev` for what only the development
 * dependencies reach, `optional` for what only optional edges reach (esbuild's platform binaries).
 */

interface LockEntry {
  version?: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  dev?: boolean;
  optional?: boolean;
  devOptional?: boolean;
  peer?: boolean;
  [key: string]: unknown;
}

export interface Lockfile {
  name: string;
  version: string;
  lockfileVersion: number;
  requires: boolean;
  packages: Record<string, LockEntry>;
}

export interface PackageJson {
  name: string;
  version: string;
  dependencies: Record<string, string>;
  devDependencies?: Record<string, string>;
  [key: string]: unknown;
}

/** Where Node finds `name` required from the package at `from` ('' is the root), or null. */
function resolve(packages: Record<string, LockEntry>, from: string, name: string): string | null {
  let dir = from;
  for (;;) {
    const candidate = `${dir ? `${dir}/` : ''}node_modules/${name}`;
    if (packages[candidate]) return candidate;
    if (!dir) return null;
    const up = dir.lastIndexOf('node_modules/');
    dir = up <= 0 ? '' : dir.slice(0, up - 1);
  }
}

/** Every package path reached from `roots` (dependency names of the root), through required edges only or all edges. */
function reach(packages: Record<string, LockEntry>, roots: string[], requiredOnly: boolean): Set<string> {
  const seen = new Set<string>();
  const queue: [from: string, name: string, optional: boolean][] = roots.map((r) => ['', r, false]);
  while (queue.length > 0) {
    const [from, name, optional] = queue.shift()!;
    const at = resolve(packages, from, name);
    if (at === null) {
      if (optional) continue;
      throw new Error(`lockfile: ${name} (required by ${from || 'the package'}) is not in package-lock.json: run npm install`);
    }
    if (seen.has(at)) continue;
    seen.add(at);
    const e = packages[at];
    for (const d of Object.keys(e.dependencies ?? {})) queue.push([at, d, false]);
    for (const d of Object.keys(e.peerDependencies ?? {})) {
      const optionalPeer = e.peerDependenciesMeta?.[d]?.optional === true;
      if (!(requiredOnly && optionalPeer)) queue.push([at, d, optionalPeer]);
    }
    if (!requiredOnly) for (const d of Object.keys(e.optionalDependencies ?? {})) queue.push([at, d, true]);
  }
  return seen;
}

/** The repository's lockfile reduced to the dependencies of `pkg` (an exported package.json). */
export function prunedLockfile(lock: Lockfile, pkg: PackageJson): Lockfile {
  const { packages } = lock;
  const prod = Object.keys(pkg.dependencies);
  const dev = Object.keys(pkg.devDependencies ?? {});
  const prodAll = reach(packages, prod, false);
  const prodRequired = reach(packages, prod, true);
  const devAll = reach(packages, dev, false);
  const devRequired = reach(packages, dev, true);
  const kept: Record<string, LockEntry> = {};
  for (const at of [...new Set([...prodAll, ...devAll])].sort()) {
    const { dev: _d, optional: _o, devOptional: _do, peer: _p, ...entry } = packages[at];
    const flags = prodAll.has(at) ? { optional: !prodRequired.has(at) } : { dev: true, optional: !devRequired.has(at) };
    kept[at] = { ...entry, ...(flags.optional ? { optional: true } : {}), ...('dev' in flags ? { dev: true } : {}) };
  }
  const root: LockEntry = { name: pkg.name, version: pkg.version, dependencies: pkg.dependencies };
  for (const key of ['devDependencies', 'bin', 'engines'] as const) if (pkg[key] !== undefined) root[key] = pkg[key];
  return { name: pkg.name, version: pkg.version, lockfileVersion: lock.lockfileVersion, requires: true, packages: { '': root, ...kept } };
}
