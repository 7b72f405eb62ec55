/** Hidden checks by module (instructor side: they import reference/ and never ship to students). */
import type { Check } from '../engine/types.ts';
import { hidden as activations } from './activations.hidden.ts';
import { hidden as losses } from './losses.hidden.ts';
import { hidden as optimizers } from './optimizers.hidden.ts';
import { hidden as convArithmetic } from './conv-arithmetic.hidden.ts';
import { hidden as gradcheck } from './gradcheck.hidden.ts';

export const HIDDEN: Record<string, Check[]> = { activations, losses, optimizers, 'conv-arithmetic': convArithmetic, gradcheck };
