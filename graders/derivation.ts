/**
 * The derivation checker (dlgrade derivative): for an expression f and a hand-derived f',
 * compares the claim with mathjs's symbolic derivative and with float64 central differences
 * (catalogue S1/S5) at several points, and says where they disagree.
 *
 *   dlgrade derivative "1 / (1 + exp(-x))" --claim "exp(-x) / (1 + exp(-x))^2"
 *   dlgrade derivative "x * y^2 + sin(x * y)" --wrt y --claim "2 * x * y + x * cos(x * y)"
 */
import type { MathNode } from 'mathjs';
import { centralDifference, H } from './engine/numeric.ts';

export interface DerivationPoint {
  at: Record<string, number>;
  symbolic: number;
  numeric: number;
  /** the claim's value; NaN where it is not a real number (undefined there, or complex) */
  claimed?: number;
  /** relative error of the claim against the symbolic derivative; NaN where the claim is undefined (never agreement) */
  error?: number;
}

export interface DerivationReport {
  expression: string;
  wrt: string;
  symbolic: string;
  claim?: string;
  points: DerivationPoint[];
  /** true when the claim agrees everywhere (rel. error ≤ tolerance), or when there is no claim */
  agrees: boolean;
}

/** Relative agreement asked of a claimed derivative: float64 round-off of two algebraically equal forms is ~1e−15. */
export const CLAIM_TOLERANCE = 1e-9;

/** How many points are compared, and how many candidates are tried to find them in the expression's domain. */
const POINTS = 7;
const CANDIDATES = 400;

/**
 * Candidate points from a fixed sequence, reproducible and irregular enough to miss special
 * values: the first half in [−2, 2], the rest in [−20, 20] (for a domain such as x > 3).
 */
function candidatePoints(symbols: string[]): Record<string, number>[] {
  return Array.from({ length: CANDIDATES }, (_, k) => Object.fromEntries(symbols.map((s, j) => [s, (k < CANDIDATES / 2 ? 2 : 20) * Math.sin(1.7 * k + 2.3 * j + 0.5)])));
}

/** A value mathjs computed, as a real number: a complex result (sqrt(−1)) or anything else is NaN. */
const real = (v: unknown): number => (typeof v === 'number' ? v : NaN);

const CONSTANTS = new Set(['e', 'E', 'pi', 'PI', 'tau', 'phi', 'Infinity', 'NaN']);

/** Free variables: symbol nodes that are not a function's name (path 'fn') nor a constant. */
function symbolsOf(node: MathNode): string[] {
  const names = new Set<string>();
  node.traverse((n, path) => {
    const name = (n as MathNode & { name?: string }).name;
    if (n.type === 'SymbolNode' && path !== 'fn' && name && !CONSTANTS.has(name)) names.add(name);
  });
  return [...names].sort();
}

export async function checkDerivation(expression: string, options: { wrt?: string; claim?: string; at?: Record<string, number>[] } = {}): Promise<DerivationReport> {
  const { derivative, parse } = await import('mathjs'); // ≈ 1.5 s to load: only this command needs it
  const node = parse(expression);
  const symbols = symbolsOf(node);
  const wrt = options.wrt ?? (symbols.includes('x') ? 'x' : symbols[0]);
  if (!wrt) throw new Error(`derivative: the expression '${expression}' has no variable`);
  if (!symbols.includes(wrt)) throw new Error(`derivative: '${wrt}' does not occur in '${expression}' (variables: ${symbols.join(', ')})`);
  const f = node.compile();
  const d = derivative(node, wrt);
  const dc = d.compile();
  const claim = options.claim === undefined ? undefined : parse(options.claim).compile();
  const points: DerivationPoint[] = [];
  // only points where f is real and finite around the point (the central difference reads f at ±h)
  // and its derivative is too: sqrt(x) and log(x) are compared at x > 0, not where mathjs goes complex
  for (const at of options.at ?? candidatePoints(symbols)) {
    if (points.length === POINTS) break;
    const fAt = (t: number) => real(f.evaluate({ ...at, [wrt]: t }));
    const symbolic = real(dc.evaluate({ ...at }));
    if (![fAt(at[wrt] - H), fAt(at[wrt]), fAt(at[wrt] + H), symbolic].every(Number.isFinite)) continue;
    const numeric = await centralDifference(fAt, at[wrt]);
    const p: DerivationPoint = { at, symbolic, numeric };
    if (claim) {
      p.claimed = real(claim.evaluate({ ...at }));
      const scale = Math.max(Math.abs(p.claimed), Math.abs(symbolic));
      p.error = !Number.isFinite(p.claimed) ? NaN : scale === 0 ? 0 : Math.abs(p.claimed - symbolic) / scale;
    }
    points.push(p);
  }
  if (points.length === 0) throw new Error(`derivative: found no point in [−20, 20] where '${expression}' and its derivative are real and finite`);
  const agrees = points.every((p) => p.error === undefined || (Number.isFinite(p.error) && p.error <= CLAIM_TOLERANCE));
  return { expression, wrt, symbolic: d.toString(), claim: options.claim, points, agrees };
}
