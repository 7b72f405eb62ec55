/**
 * Functions that cross the process boundary by name.
 *
 * Some exercises take a function argument (a gradient checker takes the f to differentiate, the
 * optimiser runner takes an objective). Functions cannot travel over IPC, so a check passes a
 * spec `{ $fn: 'name', ...params }` and both sides build the same function from this table: the
 * student's process (to call the student's code with it) and the grader (to compute the
 * expected value with the reference). Plain JavaScript: it runs inside the sandbox as well.
 *
 * Every entry is a pure function of its parameters; objectives return { loss, grad }.
 */

const dot = (a, b) => a.reduce((s, ai, i) => s + ai * b[i], 0);
const matVec = (A, x) => A.map((row) => dot(row, x));

/** J(θ) = ½θᵀAθ − bᵀθ (A symmetric), ∇J = Aθ − b. */
function quadratic({ A, b }) {
  return (theta) => {
    const At = matVec(A, theta);
    return { loss: 0.5 * dot(theta, At) - dot(b, theta), grad: At.map((v, i) => v - b[i]) };
  };
}

/** Rosenbrock J(x, y) = (a − x)² + b(y − x²)². */
function rosenbrock({ a = 1, b = 100 }) {
  return ([x, y]) => ({
    loss: (a - x) ** 2 + b * (y - x * x) ** 2,
    grad: [-2 * (a - x) - 4 * b * x * (y - x * x), 2 * b * (y - x * x)],
  });
}

/** The saddle J(x, y) = x² − y² (a stationary point at 0 that is not a minimum). */
function saddle() {
  return ([x, y]) => ({ loss: x * x - y * y, grad: [2 * x, -2 * y] });
}

const OBJECTIVES = { quadratic, rosenbrock, saddle };

const TABLE = {
  /** θ ↦ { loss, grad } of a named objective. */
  objective: (spec) => {
    const make = OBJECTIVES[spec.name];
    if (!make) throw new Error(`unknown objective '${spec.name}'`);
    return make(spec);
  },
  /** θ ↦ J(θ) only (the loss of a named objective), for gradient checkers. */
  loss: (spec) => {
    const f = TABLE.objective(spec);
    return (theta) => f(theta).loss;
  },
  /** x ↦ Σ_k c_k x^k (scalar). */
  poly: ({ c }) => (x) => c.reduce((s, ck, k) => s + ck * x ** k, 0),
  /** x ↦ Σ_k c_k (x^k)' (the exact derivative of `poly`). */
  polyDerivative: ({ c }) => (x) => c.reduce((s, ck, k) => (k === 0 ? s : s + k * ck * x ** (k - 1)), 0),
  /** x ↦ Σ_i sin(w_i x_i) + ½ Σ_i x_i² (vector → scalar, smooth, coordinates coupled through nothing). */
  sinSum: ({ w }) => (x) => x.reduce((s, xi, i) => s + Math.sin(w[i] * xi) + 0.5 * xi * xi, 0),
  /** x ↦ log Σ_i e^{(Ax)_i} (vector → scalar, coordinates coupled). */
  logSumExpAffine: ({ A }) => (x) => {
    const z = matVec(A, x);
    const m = Math.max(...z);
    return m + Math.log(z.reduce((s, zi) => s + Math.exp(zi - m), 0));
  },
  /** x ↦ tanh(Wx + b) (vector → vector), the Jacobian test function. */
  tanhAffine: ({ W, b }) => (x) => matVec(W, x).map((v, i) => Math.tanh(v + b[i])),
  /** (θ, x, y) ↦ ∇_θ ½(θᵀx − y)²  = (θᵀx − y)x, one example of least squares. */
  leastSquaresExampleGrad: () => (theta, x, y) => {
    const r = dot(theta, x) - y;
    return x.map((xi) => r * xi);
  },
};

export const FUNCTION_NAMES = Object.keys(TABLE);

/** Builds the function a `{ $fn }` spec names. */
export function materialize(spec) {
  const make = TABLE[spec.$fn];
  if (!make) throw new Error(`unknown function spec '${spec.$fn}'`);
  return make(spec);
}

/** True for a `{ $fn: string }` object. */
export function isFunctionSpec(x) {
  return x !== null && typeof x === 'object' && !Array.isArray(x) && typeof x.$fn === 'string';
}
