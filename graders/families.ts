/**
 * The family graders, in catalogue order, and the instructor's hidden checks when present.
 *
 * The student package (dlgrade export) ships this folder without graders/hidden/: then only
 * the public checks exist, and the report says how many hidden checks the instructor will run.
 */
import { existsSync } from 'node:fs';
import { inPackage } from './root.ts';
import { activations } from './activations.grader.ts';
import { losses } from './losses.grader.ts';
import { backprop } from './backprop.grader.ts';
import { secondOrder } from './second-order.grader.ts';
import { regularization } from './regularization.grader.ts';
import { normalization } from './normalization.grader.ts';
import { initialization } from './initialization.grader.ts';
import { optimizers } from './optimizers.grader.ts';
import { convArithmetic } from './conv-arithmetic.grader.ts';
import { convolution } from './convolution.grader.ts';
import { pooling } from './pooling.grader.ts';
import { upsampling } from './upsampling.grader.ts';
import { recurrent } from './recurrent.grader.ts';
import { text } from './text.grader.ts';
import { gan } from './gan.grader.ts';
import { autoencoders } from './autoencoders.grader.ts';
import { visualization } from './visualization.grader.ts';
import { architectures } from './architectures.grader.ts';
import { gradcheck } from './gradcheck.grader.ts';
import { recursion } from './recursion.grader.ts';
import type { Check, FamilyGrader } from './engine/types.ts';

export const FAMILIES: FamilyGrader[] = [activations, losses, backprop, secondOrder, regularization, normalization, initialization, optimizers, convArithmetic, convolution, pooling, upsampling, recurrent, text, autoencoders, gan, visualization, architectures, gradcheck, recursion];

const HIDDEN_INDEX = inPackage('graders', 'hidden', 'index.ts');

/** module name → hidden checks; empty in the student package. */
export async function loadHidden(): Promise<Record<string, Check[]>> {
  if (!existsSync(HIDDEN_INDEX)) return {};
  const mod = (await import('./hidden/index.ts')) as { HIDDEN: Record<string, Check[]> };
  return mod.HIDDEN;
}

/** The families with their hidden checks appended (each exercise's public checks run first). */
export function withHidden(families: FamilyGrader[], hidden: Record<string, Check[]>): FamilyGrader[] {
  return families.map((f) => ({ ...f, checks: [...f.checks, ...(hidden[f.module] ?? [])] }));
}

/** The families a grading run uses: with the hidden checks, or the public ones only. */
export async function loadFamilies(publicOnly: boolean): Promise<FamilyGrader[]> {
  return publicOnly ? FAMILIES : withHidden(FAMILIES, await loadHidden());
}
