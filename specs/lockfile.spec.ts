/**
 * prunedLockfile: an exported package's lockfile is the repository's, cut to what its
 * package.json depends on, with packages found as Node finds them and npm's flags recomputed.
 */
import { describe, expect, it } from 'vitest';
import { prunedLockfile, type Lockfile } from '../graders/lockfile.ts';

const lock: Lockfile = {
  name: 'repo',
  version: '1.0.0',
  lockfileVersion: 3,
  requires: true,
  packages: {
    '': { name: 'repo', version: '1.0.0', dependencies: { a: '^1', b: '^1' }, devDependencies: { t: '^1', big: '^1' } },
    'node_modules/a': { version: '1.0.0', dependencies: { c: '^2' }, optionalDependencies: { plat: '1.0.0', absent: '1.0.0' } },
    'node_modules/a/node_modules/c': { version: '2.0.0' },
    'node_modules/c': { version: '1.0.0', dev: true },
    'node_modules/b': { version: '1.0.0', dependencies: { c: '^1' }, peerDependencies: { p: '*', q: '*' }, peerDependenciesMeta: { q: { optional: true } } },
    'node_modules/p': { version: '1.0.0', dev: true },
    'node_modules/plat': { version: '1.0.0', optional: true },
    'node_modules/t': { version: '1.0.0', dev: true, dependencies: { u: '^1' } },
    'node_modules/u': { version: '1.0.0', dev: true },
    'node_modules/big': { version: '9.0.0', dev: true },
  },
};

describe('prunedLockfile', () => {
  const pkg = { name: 'exported', version: '2.0.0', dependencies: { a: '^1', b: '^1' }, devDependencies: { t: '^1' } };
  const out = prunedLockfile(lock, pkg);

  it("keeps what the package's dependencies reach, nested copies where Node would find them, and nothing else", () => {
    expect(Object.keys(out.packages).sort()).toEqual(['', 'node_modules/a', 'node_modules/a/node_modules/c', 'node_modules/b', 'node_modules/c', 'node_modules/p', 'node_modules/plat', 'node_modules/t', 'node_modules/u']);
    expect(out.packages['']).toEqual({ name: 'exported', version: '2.0.0', dependencies: pkg.dependencies, devDependencies: pkg.devDependencies });
    expect(out.name).toBe('exported');
  });

  it('recomputes the flags: c (dev in the repository) is a production dependency here, plat optional, t and u dev', () => {
    expect(out.packages['node_modules/c']).toEqual({ version: '1.0.0' });
    expect(out.packages['node_modules/p']).toEqual({ version: '1.0.0' }); // a required peer of b
    expect(out.packages['node_modules/plat']).toEqual({ version: '1.0.0', optional: true });
    expect(out.packages['node_modules/t']).toMatchObject({ dev: true });
    expect(out.packages['node_modules/t']).not.toHaveProperty('optional');
    expect(out.packages['node_modules/u']).toEqual({ version: '1.0.0', dev: true });
  });

  it('a required package missing from the lockfile is an error naming it and who needs it', () => {
    expect(() => prunedLockfile(lock, { name: 'x', version: '1.0.0', dependencies: { zz: '^1' } })).toThrow(/lockfile: zz \(required by the package\) is not in package-lock\.json/);
    const broken: Lockfile = { ...lock, packages: { ...lock.packages, 'node_modules/u': undefined as never } };
    delete broken.packages['node_modules/u'];
    expect(() => prunedLockfile(broken, pkg)).toThrow(/lockfile: u \(required by node_modules\/t\)/);
  });
});
