/**
 * High-precision oracle helpers (mathjs BigNumber).
 *
 * `exactBig(x)` converts a float64 to BigNumber through its exact binary value
 * (m·2^e = m·5^−e / 10^−e), not through its shortest decimal: bignumber(709.7) would parse the
 * decimal "709.7", which differs from the double the reference receives by 4.5e−14.
 */
import { all, create, type BigNumber, type MathJsInstance } from 'mathjs';

/** 500 digits: enough to hold 1 + e^−1000 without rounding to 1. */
export const big: MathJsInstance = create(all, { number: 'BigNumber', precision: 500 });

export function exactBig(x: number): BigNumber {
  if (!Number.isFinite(x)) throw new Error(`exactBig: ${x} is not finite`);
  if (x === 0) return big.bignumber(0);
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  const sign = bits >> 63n ? '-' : '';
  const biased = Number((bits >> 52n) & 0x7ffn);
  const fraction = bits & 0xfffffffffffffn;
  const m = biased === 0 ? fraction : fraction | (1n << 52n);
  const e = (biased === 0 ? 1 : biased) - 1075;
  if (e >= 0) return big.bignumber(`${sign}${m << BigInt(e)}`);
  const digits = (m * 5n ** BigInt(-e)).toString().padStart(-e + 1, '0');
  return big.bignumber(`${sign}${digits.slice(0, digits.length + e)}.${digits.slice(digits.length + e)}`);
}

/** Evaluates `expr` at the exact value of x and rounds the result to the nearest double. */
export function evalExact(expr: string, x: number): number {
  return Number((big.evaluate(expr, { x: exactBig(x) }) as BigNumber).toString());
}
