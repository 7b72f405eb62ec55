/**
 * The README's coverage table counts what the code has: for each family, its exercises, public
 * and hidden checks, and mutants (fixtures/mutants/<module>/), and the totals are their sums.
 * The table was kept by hand and had drifted (issue 10 and families M, N added checks and
 * mutants without it following).
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FAMILIES, loadHidden } from '../graders/families.ts';
import { PACKAGE_ROOT } from '../graders/root.ts';

const readme = readFileSync(path.join(PACKAGE_ROOT, 'README.md'), 'utf8');
const ROW = /^\| ([A-Z]) [^|]+\| `([a-z-]+)` \| (\d+) \| (\d+) \| (\d+) \| (\d+) \|$/gm;

describe("the README's coverage table", () => {
  it('has a row per family with the counts of the code, and their sums as the total', async () => {
    const hidden = await loadHidden();
    const rows = [...readme.matchAll(ROW)].map((m) => ({ id: m[1], module: m[2], counts: m.slice(3, 7).map(Number) }));
    const actual = FAMILIES.map((f) => ({
      id: f.id,
      module: f.module,
      counts: [
        f.exercises.length,
        f.checks.filter((c) => c.visibility === 'public').length,
        (hidden[f.module] ?? []).length,
        readdirSync(path.join(PACKAGE_ROOT, 'fixtures', 'mutants', f.module)).filter((n) => n.endsWith('.ts')).length,
      ],
    }));
    expect(rows).toEqual(actual);
    const total = /^\| \*\*total\*\* \| \| \*\*(\d+)\*\* \| \*\*(\d+)\*\* \| \*\*(\d+)\*\* \| \*\*(\d+)\*\* \|$/m.exec(readme);
    expect(total?.slice(1).map(Number)).toEqual([0, 1, 2, 3].map((i) => actual.reduce((s, r) => s + r.counts[i], 0)));
  });
});
