/**
 * The package's root folder (the one with package.json), found by walking up from this module:
 * the same answer whether the grader runs from its sources (graders/root.ts) or precompiled
 * (.dlgrade/grader/<fingerprint>/chunk.mjs, see bin/build.js).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

function findRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`dlgrade: no package.json above ${from}`);
  }
}

export const PACKAGE_ROOT = findRoot(path.dirname(fileURLToPath(import.meta.url)));

/** A path inside the package, e.g. inPackage('graders', 'sandbox', 'runtime'). */
export const inPackage = (...parts: string[]): string => path.join(PACKAGE_ROOT, ...parts);
