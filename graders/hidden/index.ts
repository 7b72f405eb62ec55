/** Hidden checks by module (instructor side: they import reference/ and never ship to students). */
import type { Check } from '../engine/types.ts';
import { hidden as activations } from './activations.hidden.ts';

export const HIDDEN: Record<string, Check[]> = { activations };
