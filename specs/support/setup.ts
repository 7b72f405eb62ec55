/**
 * Every spec run is reproducible: fast-check uses a fixed seed unless FC_SEED is set (a
 * failure prints its seed and path; rerun with FC_SEED=<seed> to explore other inputs).
 */
import fc from 'fast-check';

fc.configureGlobal({ seed: Number(process.env.FC_SEED ?? 20261122), numRuns: 100 });
