/** dlgrade derivative: mathjs's symbolic derivative, held to central differences, and a student's claim held to both. */
import { describe, expect, it } from 'vitest';
import { main } from '../graders/cli.ts';
import { checkDerivation } from '../graders/derivation.ts';
import { relativeError } from '../reference/gradcheck.ts';

const run = async (...argv: string[]) => {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (s) => out.push(s), err: (s) => err.push(s), color: false });
  return { code, out: out.join('\n'), err: err.join('\n') };
};

describe('derivation checker', () => {
  it('the symbolic derivative agrees with central differences at every sampled point', async () => {
    for (const expr of ['1 / (1 + exp(-x))', 'log(1 + exp(x))', 'x * y^2 + sin(x * y)', 'tanh(w * x + b)']) {
      const r = await checkDerivation(expr);
      for (const p of r.points) expect(relativeError([p.numeric], [p.symbolic]), `${expr} at ${JSON.stringify(p.at)}`).toBeLessThan(1e-7);
    }
  });

  it('accepts an algebraically equal claim and rejects a chain-rule mistake', async () => {
    expect((await checkDerivation('log(1 + exp(x))', { claim: '1 / (1 + exp(-x))' })).agrees).toBe(true);
    const wrong = await checkDerivation('tanh(w * x + b)', { wrt: 'x', claim: '1 - tanh(w * x + b)^2' });
    expect(wrong.agrees).toBe(false);
    expect(wrong.points.every((p) => (p.error ?? 0) > 1e-3)).toBe(true);
  });

  it('works from the command line, with exit 0 when the claim agrees and 1 when it does not', async () => {
    const ok = await run('derivative', '1 / (1 + exp(-x))', '--claim', 'exp(-x) / (1 + exp(-x))^2');
    expect(ok.code).toBe(0);
    expect(ok.out).toMatch(/your derivative agrees at every point/);
    const bad = await run('derivative', 'x * y^2 + sin(x * y)', '--wrt', 'y', '--claim', '2 * x * y + cos(x * y)');
    expect(bad.code).toBe(1);
    expect(bad.out).toMatch(/d\/dy x \* y\^2 \+ sin\(x \* y\) = x \* \(2 \* y \+ cos\(x \* y\)\)/);
    expect(bad.out).toMatch(/your derivative disagrees: relative error above 1e-9 at \d point\(s\)/);
  });

  it('samples where the expression is real: sqrt and log at x > 0, never a complex value counted', async () => {
    for (const [expr, claim] of [['sqrt(x)', '1 / (2 * sqrt(x))'], ['log(x)', '1 / x'], ['sqrt(x - 3)', '0.5 / sqrt(x - 3)']]) {
      const r = await checkDerivation(expr, { claim });
      expect(r.points.length, expr).toBe(7);
      expect(r.points.every((p) => Number.isFinite(p.symbolic) && Number.isFinite(p.numeric)), expr).toBe(true);
      expect(r.agrees, expr).toBe(true);
    }
    // a claim undefined where the derivative is defined disagrees there: undefined is never agreement
    const partly = await checkDerivation('x^2', { claim: '2 * x + 0 * sqrt(x)' });
    expect(partly.agrees).toBe(false);
    expect(partly.points.some((p) => Number.isNaN(p.claimed) && Number.isNaN(p.error))).toBe(true);
    await expect(checkDerivation('sqrt(-1 - x^2)')).rejects.toThrow(/no point in \[−20, 20\] where 'sqrt\(-1 - x\^2\)' and its derivative are real and finite/);
  });

  it('takes options before or after the expression, an expression starting with - after --, and one expression only', async () => {
    const before = await run('derivative', '--wrt', 'y', 'x * y^2', '--claim', '2 * x * y');
    expect(before.code, before.err).toBe(0);
    expect(before.out).toMatch(/^d\/dy x \* y\^2 = 2 \* x \* y/);
    const minus = await run('derivative', '--claim=-2 * x', '--', '-x^2');
    expect(minus.code, minus.err).toBe(0);
    expect(minus.out).toMatch(/your derivative agrees at every point/);
    const bare = await run('derivative', '-x^2');
    expect(bare.code).toBe(2);
    expect(bare.err).toMatch(/an expression that starts with - reads as an option: put it last, after --/);
    const two = await run('derivative', 'x^2', 'y');
    expect(two.code).toBe(2);
    expect(two.err).toMatch(/derivative takes one expression; got 2: 'x\^2', 'y'/);
    const undefinedClaim = await run('derivative', 'x^2', '--claim', '2 * x + 0 * log(x)');
    expect(undefinedClaim.code).toBe(1);
    expect(undefinedClaim.out).toMatch(/undefined \(or not real\) at \d point\(s\) where the derivative is defined/);
  });

  it('explains what is wrong with the request', async () => {
    expect((await run('derivative', 'x^2', '--wrt', 'z')).err).toMatch(/'z' does not occur in 'x\^2' \(variables: x\)/);
    expect((await run('derivative', '3 + pi')).err).toMatch(/has no variable/);
    expect((await run('derivative')).err).toMatch(/derivative needs an expression/);
  });
});
