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

  it('explains what is wrong with the request', async () => {
    expect((await run('derivative', 'x^2', '--wrt', 'z')).err).toMatch(/'z' does not occur in 'x\^2' \(variables: x\)/);
    expect((await run('derivative', '3 + pi')).err).toMatch(/has no variable/);
    expect((await run('derivative')).err).toMatch(/derivative needs an expression/);
  });
});
