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

/**
 * A tf.train optimizer and the float64 reference run side by side for 50 steps from the same
 * float32 start (|θ| ≤ 2, steps |Δθ| ≤ 0.3). The gap is absolute, in float32 ulps of θ: each step
 * stores θ in float32 (≤ ½ ulp ≤ 1.2e−7) and computes its update in float32 (a few ε32·|Δθ| ≤ 5e−8),
 * so after 50 steps of a non-expanding iteration ≤ 50·1.7e−7 ≈ 8.5e−6 even if every rounding had
 * the same sign. Measured (wasm and cpu; roundings of both signs, contracting iteration): 2.1e−7
 * (sgd), 2.6e−7 (momentum), 3.1e−7 (Nesterov, on the look-ahead variable), 4.2e−7 (Adagrad),
 * 5.8e−7 (RMSprop). Adam has one systematic term more: tfjs keeps β^t as a float32 running product
 * of fround(0.999) = 0.99900001287, so 1 − β2^t is ~1.3e−5 too small (relatively) at every t, √v̂
 * 6.5e−6 too large, and each step of size ≈ η = 0.01 is 6.5e−8 too short, all in the same
 * direction: 50·6.5e−8 ≈ 3.2e−6, measured 3.1e−6, and 3.1e−7 once the spec models the float32
 * product. atol 1e−5 is above these bounds (3× the Adam gap, ≥ 17× the others); rtol 0 because
 * a relative error is meaningless where a coordinate crosses 0. A wrong parameter mapping is off
 * by ≥ 1e−3 (specs/optimizers.spec.ts demonstrates each: Adagrad's default accumulator 0.1,
 * Nesterov's look-ahead variable compared with θ, momentum's accumulator compared with v without
 * the factor η, tfjs's Adadelta against the notes').
 */
export const TF_OPTIMIZER_50: Tolerance = { rtol: 0, atol: 1e-5 };

/**
 * A worked fixture of family C/D written in closed form (rationals and rational multiples of ln 2,
 * ln 3, evaluated in float64) vs the float64 reference on the same input. Both round each of a few
 * dozen operations by ≤ ½ ulp (1.1e−16 relative), so they agree to ~1e−14 relative; where the exact
 * value is 0 but is computed as a difference of equal terms (a2 = (1)(3/5) − 3/5 after
 * tanh(ln 2) rounds to 0.6000000000000001) ~1e−16 absolute remains. rtol 1e−13, atol 1e−15.
 */
export const FIXTURE_FLOAT64: Tolerance = { rtol: 1e-13, atol: 1e-15 };

/**
 * tfjs pooling (avgPool, sum pooling as a depthwise conv with a ones filter, mean, and their
 * gradients) vs the float64 reference at float32 inputs with |x| ≤ 5, windows k ≤ 3 (≤ 9 terms;
 * a gradient cell sums ≤ 9 window contributions of |dy| ≤ 2), maps ≤ 8×8 for the mean (≤ 64
 * terms). cpu accumulates avgPool and mean in float64 and rounds once (≤ ½ ulp); wasm and the cpu
 * depthwise conv accumulate in float32: each of n − 1 additions rounds by ≤ ½ ulp of a partial sum
 * |S| ≤ 45 (2^−19 ≈ 1.9e−6 for 32 ≤ |S| < 64), so a window sum is off by ≤ 8 · 1.9e−6 ≈ 1.5e−5
 * in the worst case, a window mean by ≤ 1.7e−6, a 64-term mean (|S| ≤ 320) by ≤ 63 · 1.5e−5 / 64
 * ≈ 1.5e−5. atol 2e−5 is above every bound; rtol 1e−6 (~16 ulps) for large outputs. Measured
 * (300 random cases of specs/pooling.spec.ts's generators, wasm and cpu): ≤ 3.1e−7 for window
 * means and tf.mean, ≤ 2.6e−6 for window sums, ≤ 3.7e−7 for the gradients. A wrong
 * convention (k vs k², first vs last max, a window off by one) is off by ≥ 0.01 on these inputs.
 */
export const TF_POOL: Tolerance = { rtol: 1e-6, atol: 2e-5 };

/**
 * tf.conv2d (family J forward: conv2d, convolve2d, conv2dIm2col, conv1x1) vs the float64 reference
 * at the same float32 inputs. Both backends accumulate in float32: cpu adds each product into a
 * Float32Array (tfjs-notes §0, cpu/Conv2D.ts), wasm runs XNNPACK in float32 in its own order
 * (FMA or not). For a sum of n terms (the products and the bias) evaluated in float32 in ANY
 * order, each product rounds once (≤ u·|p|) and each of the n − 1 additions rounds by ≤ u·Σ|t|,
 * so |error| ≤ (n − 1)·u·Σ|t| + u·Σ|p| (u = 2⁻²⁴ ≈ 5.96e−8; Higham, Accuracy and Stability,
 * §4.2). specs/convolution.spec.ts draws entries in [−1, 1], ≤ 3 channels and 3×3 kernels:
 * n ≤ C·KH·KW + 1 = 28 terms, Σ|t| ≤ 28,
 * so |error| ≤ 27·28u + 27u = 783u ≈ 4.7e−5 even if every rounding had the same sign. atol 5e−5;
 * rtol 0 because outputs near 0 come from cancellation. Measured (2000 random cases of the spec's
 * generator, wasm and cpu): max |gap| 7.5e−8. Wrong conventions (flipped kernel, one-sided
 * padding, stride ignored) move outputs by O(1).
 */
export const TF_CONV: Tolerance = { rtol: 0, atol: 5e-5 };

/**
 * tf.grads through tf.conv2d (family J4: dx, dW, db) vs the float64 reference, on the cpu backend
 * (wasm has no Conv2DBackpropFilter). cpu/Conv2DBackpropInput.ts and Conv2DBackpropFilter.ts sum
 * the exact float32 × float32 products in a float64 `dotProd` and round ONCE on store; db is a
 * Sum, also float64 and rounded once. So |gap| ≤ ½ ulp ≤ 2⁻²⁴·|value| (≤ 5.9605e−8 relative to
 * the rounded value), plus the two float64 summation errors (reference and tfjs), ≤ 2·63·2⁻⁵³·Σ|p|
 * ≤ 9e−13 for the spec's largest sum: entries in [−1, 1], 6×6 maps with pad ≤ 1 → dx sums
 * F·KH·KW ≤ 27 products per pixel, dW one product per output position that reads the image
 * (≤ H·W = 36 of the ≤ 8×8 = 64 positions: a 1×1 kernel with pad 1 puts 28 of them in the
 * padding), db all ≤ 64 positions, so Σ|p| ≤ 64. rtol 6e−8 (2⁻²⁴ rounded up), atol 1e−12 (the
 * float64 part, and subnormal outputs, whose rounding is ≤ 2⁻¹⁵⁰ absolute). Measured (3500 random
 * cases incl. dilation, cpu): max |gap| 5.8e−8 (dx), 5.9e−8 (dW), 1.9e−7 (db); the largest
 * is 0.99 of this tolerance, never above: single roundings come close to ½ ulp.
 */
export const TF_CONV_GRAD: Tolerance = { rtol: 6e-8, atol: 1e-12 };

/**
 * tf.conv2dTranspose + bias (family L5) and the tf.conv2d of L5's adjoint identity vs the float64
 * reference at the same float32 inputs. cpu accumulates conv2dTranspose (Conv2DBackpropInput) in
 * float64 and rounds once, then rounds once more when adding the bias: ≤ 2u·Σ|t| ≈ 5.8e−6 here.
 * wasm (the spec's oracle when installed) accumulates in float32, and its forward conv too, so
 * the any-order float32 bound of TF_CONV applies: specs/upsampling.spec.ts draws entries in
 * [−1, 1], ≤ 3 input channels and kernels ≤ 4×4, so an output sums n ≤ 3·16 + 1 = 49 terms
 * (transposed, with bias) or 48 (the adjoint's conv, no bias): |error| ≤ 48·49u + 48u = 2400u
 * ≈ 1.43e−4. atol 1.5e−4, rtol 0; the adjoint check scales it by 1 + Σ|x| (the inner product
 * with x adds up the per-output errors). Measured (600 random cases, wasm and cpu): max |gap|
 * 5.8e−8 for the transposed conv, |⟨conv(x), y⟩ − ⟨x, tconv(y)⟩| ≤ 1.5e−10·(1 + Σ|x|).
 */
export const TF_CONV_TRANSPOSE: Tolerance = { rtol: 0, atol: 1.5e-4 };

/**
 * tf.image.resizeBilinear (family L) vs the float64 reference at float32 inputs |x| ≤ 10, sizes
 * ≤ 6 → ≤ 11. The source coordinate src = (i + ½)·(in/out) − ½ is itself computed in float32
 * (wasm): in/out rounds (≤ 6·2⁻²⁴ relative, ≤ 3.6e−7 on src ≤ 6), the product and the difference
 * round (≤ ½ ulp(8) = 4.8e−7 each), so src is off by ≤ 1.3e−6 and an output by ≤ 1.3e−6·|Δx| ≤
 * 1.3e−6·20 = 2.6e−5 per dimension in the worst case; the three blends add ≤ 3·½ ulp(16) ≈ 2.9e−6.
 * Only an absolute bound means anything near 0: atol 6e−5 is above the worst case of both
 * dimensions and the blends together, 2·2.6e−5 + 2.9e−6 ≈ 5.5e−5; rtol 1e−6.
 * Measured (specs/upsampling.spec.ts, 60 random resizes, wasm): 5.2e−6 and 7.9e−6 in two runs.
 * A wrong mapping (align-corners, src = i·in/out, no clamping) is off by ≥ 0.1.
 */
export const TF_RESIZE: Tolerance = { rtol: 1e-6, atol: 6e-5 };

/**
 * tfjs recurrent computations (family M: one step with tf.matMul/tanh/sigmoid, tf.layers.simpleRNN,
 * tf.grads through a sequence unrolled with those ops) vs the float64 reference at the same
 * float32 inputs. specs/recurrent.spec.ts draws entries in [−1, 1], D, H ≤ 4, K ≤ 3, T ≤ 6. Each
 * net input sums ≤ D + H + 1 = 9 terms of size ≤ 1 in float32: ≤ 9·9·u ≈ 4.8e−6 at worst, about
 * √9·u ≈ 1.8e−7 for roundings of random sign (u = 2⁻²⁴ ≈ 6e−8); tanh and σ do not enlarge it, and
 * a step carries an earlier error on through diag(σ′)W_hh, whose norm on these inputs is mostly
 * below 1 (a worst-case bound grows as ‖W_hh‖^T and says nothing). A gradient adds T such
 * products. Measured (400 random cases of the spec's generator, cpu and wasm): ≤ 2.3e−7 for states
 * and outputs, ≤ 5.9e−7 for every gradient. atol 1e−5 (17× the largest measured gap) and rtol 1e−5
 * for larger values; a wrong mapping (W_hx where W_hxᵀ belongs, the bias dropped, a step lost or a
 * window off by one) moves values on the spec's thousandths grid by ≥ 1e−3.
 * The LSTM (M4: tf.basicLSTMCell, tf.layers.lstm, tf.grads through the cell) draws the same
 * sizes and entries: each gate's net input sums the same ≤ H + D + 1 = 9 terms, the gates are
 * σ/tanh of it (slopes ≤ 1), and the cell adds two products of numbers ≤ 1 in size per step, so
 * the same bound applies; a wrong gate order or activation moves values by ≥ 1e−2 (the spec shows
 * the notes' order fed to basicLSTMCell and the default hardSigmoid off by more than that).
 * Measured for the LSTM and the GRU as for the Elman RNN (800 random cases of the spec's sizes and
 * thousandths grid in two seeds, cpu backend, weights through reference/gate-layouts.ts; the
 * tf.layers oracles on every third case): LSTM states ≤ 2.1e−7 (tf.basicLSTMCell h and C) and
 * ≤ 7.4e−8 (tf.layers.lstm), LSTM gradients (tf.grads through basicLSTMCell) ≤ 2.9e−7; GRU states
 * (tf.layers.gru) ≤ 1.2e−7, GRU gradients (tf.grads through its equations) ≤ 3.7e−7. All below
 * the Elman RNN's 5.9e−7: the same atol 1e−5 (≥ 27× the largest of them), not widened.
 */
export const TF_RNN: Tolerance = { rtol: 1e-5, atol: 1e-5 };

/**
 * natural's TfIdf (npm `natural`, float64 JavaScript) vs the float64 reference after the
 * parameter mapping of specs/text.spec.ts. Both sides evaluate one or two Math.log of ratios of
 * small integers (N ≤ 8 documents, counts ≤ 12) plus a product and a constant shift: each
 * operation rounds by ≤ ½ ulp, so values ≤ 12·(1 + ln 9) ≈ 38 agree to a few ulps, ≲ 1e−14
 * absolute. rtol 1e−12, atol 1e−12 stay far above that and far below every convention the
 * mapping separates (N vs N + 1 in the numerator: ≥ ln(9/8) ≈ 0.12; log10 vs ln: a factor 2.3).
 */
export const NPM_FLOAT64: Tolerance = { rtol: 1e-12, atol: 1e-12 };

/**
 * The float64 reference vs an independent float64 transcription of the same rule whose operations
 * are grouped differently (PyTorch's documented RMSprop keeps the learning rate outside its
 * momentum buffer, θ ← θ − η·b, where the reference keeps mom = η·b): each step rounds by a few
 * ulps of its size, over 10 steps with |θ| ≲ 5 and steps ≲ 1 that is ≲ 1e−14 absolute (measured
 * on 2,000 random cases of the spec's distribution, all options on: 3.6e−15; relative, where θ
 * passes near 0, up to 1.4e−11, hence the absolute floor).
 * rtol 1e−12, atol 1e−12 stay far above that and far below what separates the conventions
 * (ε inside vs outside the root: a factor ≈ 3 in a step where E[g²] ≈ ε; η inside vs outside:
 * a factor η).
 */
export const FLOAT64_REARRANGED: Tolerance = { rtol: 1e-12, atol: 1e-12 };

/**
 * A linear autoencoder trained by gradient descent vs PCA (mathjs eigs), family O: the subspace
 * converges geometrically, at a rate set by the eigengap and the smallest eigenvalue (the encoder's
 * component along a low-variance direction decays like (1 − 2ηλ_min)^t). On the spec's seeded data
 * (variances 9, 4, 0.36, 0.16 in a random orthonormal basis, N = 40), 2000 steps at η = 0.3/λ₁
 * leave projector entries and the mean loss within 1.5e−9 of the eigen-decomposition (measured);
 * atol 1e−8 keeps that margin, and an untrained or wrong subspace is off by O(1).
 */
export const PCA_SUBSPACE: Tolerance = { rtol: 0, atol: 1e-8 };

/**
 * The bilinear resize's backward pass (family L, issue 13) vs tfjs, both ways the spec gets it:
 * tf.grad of tf.image.resizeBilinear (ResizeBilinearGrad) and the adjoint of tfjs's forward
 * (one-hot images resized, dotted with dout). Sizes in ≤ 7 → out ≤ 12, |dout| ≤ 1. A source pixel
 * collects up to n = 12·12 = 144 weighted terms (in = 1), each weight computed in float32 from a
 * float32 src (≤ 1.3e−6 off, see TF_RESIZE) and each term added into a float32 sum: with
 * roundings of random sign the error is ~√n·u·Σ|t| ≤ 12·5.96e−8·144 ≈ 1.0e−4 (the same-sign
 * worst case, (n − 1)·u·Σ|t| ≈ 1.2e−3, never occurs on these inputs). atol 1e−4; rtol 1e−6.
 * Measured (400 random cases each, wasm): 3.0e−6 for tf.grad, 1.6e−6 for the adjoint. A wrong
 * mapping (tfjs's own half-pixel gradient, which uses the asymmetric mapping) is off by ≥ 0.1.
 */
export const TF_RESIZE_GRAD: Tolerance = { rtol: 1e-6, atol: 1e-4 };
