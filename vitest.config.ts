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
    },
  },
});
