import { describe, expect, it } from 'vitest';
import { checkSeed } from '../../graders/engine/seed.ts';

describe('check seeds', () => {
  it('derive deterministically from the course seed and the check id', () => {
    const s = checkSeed('A1.sigmoid.stable', { courseSeed: 2026 }, false);
    expect(checkSeed('A1.sigmoid.stable', { courseSeed: 2026 }, false)).toBe(s);
    expect(checkSeed('A1.sigmoid.symmetry', { courseSeed: 2026 }, false)).not.toBe(s);
    expect(checkSeed('A1.sigmoid.stable', { courseSeed: 2027 }, false)).not.toBe(s);
    expect(Number.isInteger(s) && Math.abs(s) < 2 ** 31).toBe(true);
  });
  it('are per student for hidden checks when a course secret is set (HMAC), and replayable', () => {
    const src = { courseSeed: 1, secret: 'course-secret', studentId: 'ada' };
    const ada = checkSeed('A1.sigmoid.reference', src, true);
    expect(checkSeed('A1.sigmoid.reference', src, true)).toBe(ada);
    expect(checkSeed('A1.sigmoid.reference', { ...src, studentId: 'bob' }, true)).not.toBe(ada);
    expect(checkSeed('A1.sigmoid.reference', { ...src, secret: 'other' }, true)).not.toBe(ada);
    // public checks and runs without a secret share the course seed
    expect(checkSeed('A1.sigmoid.reference', src, false)).toBe(checkSeed('A1.sigmoid.reference', { courseSeed: 1 }, false));
  });
});
