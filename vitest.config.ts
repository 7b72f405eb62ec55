import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['specs/**/*.spec.ts'],
    setupFiles: ['specs/support/setup.ts'],
    // vitest's default is one worker fewer than the cores: one on 2 cores. The end-to-end specs
    // spend much of their time waiting on student processes (the whole suite keeps 1.3 of 2
    // cores busy), so one worker more than the cores (measured on 2 cores: 1 worker 416 s,
    // 2 workers 287 s, 3 workers 247 s; limits count CPU time, so the load changes no result)
    maxWorkers: availableParallelism() + 1,
    testTimeout: 120_000,
    hookTimeout: 120_000,
    coverage: {
      provider: 'v8',
      include: ['reference/**/*.ts', 'graders/**/*.ts'],
      exclude: ['graders/bin/**', 'graders/sandbox/runtime/**'],
      reporter: ['text-summary'],
      // measured: reference 99.1/95.5/100/99.6, graders 95/85/96/97 (statements/branches/functions/lines)
      thresholds: {
        'reference/**/*.ts': { statements: 98, branches: 93, functions: 100, lines: 98 },
        'graders/**/*.ts': { statements: 93, branches: 80, functions: 93, lines: 94 },
      },
    },
  },
});
