/**
 * A cache on disk of results that are a function of their inputs' content (esbuild's output for a
 * file, the type check of a set of files): one JSON file per entry, named by the hash of what
 * produced it, so an entry is found only by the hash of its inputs. Only the grader writes there;
 * entries are written whole or not at all (renamed into place), and past `maxEntries` the oldest
 * are removed down to half. Where the folder cannot be written (a read-only install) nothing is
 * kept and every read misses.
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface ContentCache {
  /** the entry under `key`, or undefined (absent, unreadable, or not JSON) */
  read(key: string): unknown;
  write(key: string, value: unknown): void;
}

export function contentCache(dir: string, maxEntries: number): ContentCache {
  let pruned = false;
  const prune = () => {
    pruned = true;
    const names = readdirSync(dir);
    if (names.length <= maxEntries) return;
    const aged = names.map((n) => ({ n, t: statSync(path.join(dir, n)).mtimeMs })).sort((a, b) => a.t - b.t);
    for (const { n } of aged.slice(0, names.length - maxEntries / 2)) rmSync(path.join(dir, n), { force: true });
  };
  return {
    read(key) {
      try {
        return JSON.parse(readFileSync(path.join(dir, `${key}.json`), 'utf8')) as unknown;
      } catch {
        return undefined;
      }
    },
    write(key, value) {
      try {
        mkdirSync(dir, { recursive: true });
        const tmp = path.join(dir, `${key}.${process.pid}.tmp`);
        writeFileSync(tmp, JSON.stringify(value));
        renameSync(tmp, path.join(dir, `${key}.json`)); // whole or absent, whoever reads it
        if (!pruned) prune();
      } catch {
        // a read-only install: nothing is kept
      }
    },
  };
}
