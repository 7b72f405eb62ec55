/**
 * Tolerances of the specs, one per oracle, each with its reason (style.md §9). None is widened
 * to make a test pass: a gap larger than these is a finding to explain, not to absorb.
 */
import type { Tolerance } from '../../graders/engine/types.ts';

/**
 * One tfjs kernel at the same float32 inputs as the reference. The cpu backend evaluates in
 * float64 and rounds once on store (≤ 0.5 ulp ≈ 6e−8 relative); wasm evaluates in float32 with
 * its own exp/log (a few ulps). rtol 1e−6 ≈ 16 ulps; atol covers outputs that are rounded
 * to float32 near zero (inputs are kept to |x| ≤ 20, so no output is subnormal).
 */
export const TF_KERNEL: Tolerance = { rtol: 1e-6, atol: 1e-9 };

/**
 * A few tfjs kernels chained (softmax = max, sub, exp, sum, div; a gradient through several
 * ops), each rounding to float32, with cancellation such as x − logΣe^x: the error is a few ulps
 * of the largest intermediate (|x| ≤ 20 ⇒ ≤ ~20·6e−8·n ops), hence an absolute floor of 1e−5.
 */
export const TF_COMPOSITE: Tolerance = { rtol: 1e-5, atol: 1e-5 };

/**
 * Reference derivative vs the reference gradcheck's central difference (h = 1e−5, float64),
 * as a relative error (S2): truncation ~h² and rounding ~1e−11 relative for the well-scaled
 * inputs used; 1e−7 is the usual bar for a correct float64 gradient (cs231n notes).
 */
export const NUMERIC_REL_ERROR = 1e-7;

/**
 * float64 reference vs a 500-digit BigNumber value at the same (exact) input: the reference's
 * handful of float64 operations each round by ≤ ½ ulp (1.1e−16), so a few ulps: 1e−15 ≈ 9 ulps.
 */
export const BIGNUMBER: Tolerance = { rtol: 1e-15, atol: 0 };
