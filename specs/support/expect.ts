/**
 * expectAllClose for specs, built on the graders' own comparison (shape first, then allclose;
 * NaN never matches, ±Infinity only itself), so specs and graders agree on what "close" means.
 */
import { expect } from 'vitest';
import { compare } from '../../graders/engine/compare.ts';
import type { Tolerance } from '../../graders/engine/types.ts';

export function expectAllClose(received: unknown, expected: unknown, tol: Tolerance, label = ''): void {
  const m = compare(received, expected, tol);
  if (m) expect.fail(`${label}${label ? ': ' : ''}${m.at ? `at ${m.at}: ` : ''}${m.message}`);
}
