/**
 * Deterministic seeds (design.md, "Determinism"): every check's fast-check seed derives from the
 * course seed and the check id, so a report's seed and path replay the exact failing case.
 *
 * With a course secret and a student id, hidden checks get per-student seeds
 * (HMAC-SHA256(secret, studentId | checkId)): the instructor can replay them, students cannot
 * share counterexamples.
 */
import { createHmac } from 'node:crypto';

export const DEFAULT_COURSE_SEED = 2026;

/** FNV-1a, 32 bits: small, stable across platforms and Node versions. */
function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h | 0;
}

export interface SeedSource {
  courseSeed: number;
  studentId?: string;
  secret?: string;
}

export function checkSeed(checkId: string, src: SeedSource, perStudent: boolean): number {
  if (perStudent && src.secret && src.studentId) {
    const mac = createHmac('sha256', src.secret).update(`${src.courseSeed}|${src.studentId}|${checkId}`).digest();
    return mac.readInt32BE(0);
  }
  return fnv1a(`${src.courseSeed}|${checkId}`);
}
