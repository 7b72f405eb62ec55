/**
 * The one line every report prints about the walls that stood between the student's code and
 * the machine during a run (sandbox/walls.ts), so that whoever reads a grade can tell what held
 * where it was computed:
 *   "Isolation: separate process; imports limited to the submission; not active: user (not root)"
 */
import { LONG_TEXT_LIMIT, studentLine } from '../engine/text.ts';
import type { Isolation } from '../engine/types.ts';

/**
 * Active walls by what they do, then the inactive ones by name with why. Kept to one bounded
 * line whatever the details say: a detail may quote an error from probing the machine.
 */
export function isolationLine(iso: Isolation): string {
  const active = iso.walls.filter((w) => w.active).map((w) => w.detail);
  const inactive = iso.walls.filter((w) => !w.active).map((w) => `${w.name} (${w.detail})`);
  const parts = [active.length > 0 ? active.join('; ') : 'no wall active'];
  if (inactive.length > 0) parts.push(`not active: ${inactive.join(', ')}`);
  return studentLine(`Isolation: ${parts.join('; ')}`, LONG_TEXT_LIMIT);
}
