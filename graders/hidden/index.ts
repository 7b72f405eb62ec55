/** Hidden checks by module (instructor side: they import reference/ and never ship to students). */
import type { Check } from '../engine/types.ts';
import { hidden as activations } from './activations.hidden.ts';
import { hidden as losses } from './losses.hidden.ts';
import { hidden as backprop } from './backprop.hidden.ts';
import { hidden as secondOrder } from './second-order.hidden.ts';
import { hidden as regularization } from './regularization.hidden.ts';
import { hidden as normalization } from './normalization.hidden.ts';
import { hidden as initialization } from './initialization.hidden.ts';
import { hidden as optimizers } from './optimizers.hidden.ts';
import { hidden as convArithmetic } from './conv-arithmetic.hidden.ts';
import { hidden as convolution } from './convolution.hidden.ts';
import { hidden as pooling } from './pooling.hidden.ts';
import { hidden as upsampling } from './upsampling.hidden.ts';
import { hidden as recurrent } from './recurrent.hidden.ts';
import { hidden as text } from './text.hidden.ts';
import { hidden as gan } from './gan.hidden.ts';
import { hidden as autoencoders } from './autoencoders.hidden.ts';
import { hidden as visualization } from './visualization.hidden.ts';
import { hidden as architectures } from './architectures.hidden.ts';
import { hidden as gradcheck } from './gradcheck.hidden.ts';
import { hidden as recursion } from './recursion.hidden.ts';

export const HIDDEN: Record<string, Check[]> = {
  activations,
  losses,
  backprop,
  'second-order': secondOrder,
  regularization,
  normalization,
  initialization,
  optimizers,
  'conv-arithmetic': convArithmetic,
  convolution,
  pooling,
  upsampling,
  recurrent,
  text,
  gan,
  autoencoders,
  visualization,
  architectures,
  gradcheck,
  recursion,
};
