import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['specs/**/*.spec.ts'],
    setupFiles: ['specs/support/setup.ts'],
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
