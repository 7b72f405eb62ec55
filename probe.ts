import * as A from './reference/activations.ts';
import { numericalGradient } from './reference/gradcheck.ts';
const y=[-2,0.5]; const a=0; const dout=[0.5,1.5];
const L = (v: number[], s: number) => A.prelu(v, s).reduce((acc, p, i) => acc + p * dout[i], 0);
console.log(A.preluBackward(dout, y, a), numericalGradient((v)=>L(v,a), y), numericalGradient(([s]) => L(y, s), [a]));
