/**
 * The contract between reference/, exercises/ and graders/: the same files, the same exported
 * functions with the same arity, stubs that throw NotImplemented naming the catalogue id, no
 * import of reference/ from exercises/, and one provided tensor.ts.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../graders/cli.ts';
import { FAMILIES } from '../graders/families.ts';

const dir = (d: string) => path.join(PACKAGE_ROOT, d);
const sources = (d: string) => readdirSync(dir(d)).filter((f) => f.endsWith('.ts')).sort();

describe('reference ↔ exercises ↔ graders', () => {
  it('exercises/ has every reference file (plus its own not-implemented.ts)', () => {
    expect(sources('exercises').filter((f) => f !== 'not-implemented.ts')).toEqual(sources('reference'));
  });

  // gate-layouts.ts is a tool (family M's converter between the notes' per-gate weights and the
  // frameworks' stacked layouts), not an exercise: provided as it is, like tensor.ts and random.ts
  it.each(['tensor.ts', 'random.ts', 'gate-layouts.ts'])('exercises/%s is provided: the reference copy, unchanged', (file) => {
    expect(readFileSync(dir(`exercises/${file}`), 'utf8')).toBe(readFileSync(dir(`reference/${file}`), 'utf8'));
  });

  it('nothing in exercises/ imports from reference/', () => {
    for (const f of sources('exercises')) expect(readFileSync(dir(`exercises/${f}`), 'utf8'), f).not.toMatch(/from ['"][^'"]*reference\//);
  });

  /**
   * Reference and verification functions that are not exercises (issue 13: the frameworks'
   * conventions are reference features, not new student work): exported by the reference only,
   * absent from the stub and from the graders. Each must say so in its doc comment.
   */
  const REFERENCE_ONLY: Record<string, string[]> = { upsampling: ['bilinearResizeBackward'] };

  for (const family of FAMILIES) {
    it(`${family.module}: every graded exercise is exported by reference and stub with the contract's arity`, async () => {
      const ref = (await import(`../reference/${family.module}.ts`)) as Record<string, unknown>;
      const stub = (await import(`../exercises/${family.module}.ts`)) as Record<string, unknown>;
      const fns = (m: Record<string, unknown>) => Object.keys(m).filter((k) => typeof m[k] === 'function').sort();
      const only = REFERENCE_ONLY[family.module] ?? [];
      for (const name of only) {
        expect(typeof ref[name], `reference ${name}`).toBe('function');
        expect(stub[name], `stub ${name}`).toBeUndefined();
        expect(readFileSync(dir(`reference/${family.module}.ts`), 'utf8'), `${name}'s doc comment`).toMatch(new RegExp(`a reference and verification function, not an exercise[^]*?export function ${name}\\(`));
      }
      const graded = fns(ref).filter((name) => !only.includes(name));
      expect(fns(stub)).toEqual(graded);
      expect(family.exercises.map((e) => e.name).sort()).toEqual(graded);
      for (const e of family.exercises) {
        expect((ref[e.name] as (...a: unknown[]) => unknown).length, `reference ${e.name}`).toBeLessThanOrEqual(e.arity);
        expect((stub[e.name] as (...a: unknown[]) => unknown).length, `stub ${e.name}`).toBeLessThanOrEqual(e.arity);
        expect(family.checks.some((c) => c.exercise === e.name), `${e.name} has public checks`).toBe(true);
      }
    });

    it(`${family.module}: every stub throws NotImplemented naming its catalogue id`, async () => {
      const stub = (await import(`../exercises/${family.module}.ts`)) as Record<string, (...a: unknown[]) => unknown>;
      for (const e of family.exercises) {
        expect(() => stub[e.name](), e.name).toThrow(expect.objectContaining({ name: 'NotImplemented', message: expect.stringContaining(`${e.catalogue} ${e.name}`) }));
      }
    });

    it(`${family.module}: check ids are unique and cite their catalogue id`, () => {
      const ids = family.checks.map((c) => c.id);
      expect(new Set(ids).size).toBe(ids.length);
      for (const c of family.checks) {
        expect(c.id.startsWith(`${c.catalogue}.${c.exercise}.`), c.id).toBe(true);
        expect(c.hint.startsWith(c.catalogue) || c.hint.includes(`${c.catalogue}:`), `${c.id} hint cites ${c.catalogue}`).toBe(true);
      }
    });
  }
});
