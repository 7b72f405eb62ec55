import { describeMutants } from '../support/mutants.ts';

await describeMutants('recursion');
