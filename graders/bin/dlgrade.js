#!/usr/bin/env node
// dlgrade: runs the precompiled grader (build.js: the sources bundled by esbuild into .dlgrade/,
// built again whenever a source changes), or the TypeScript sources through tsx where it cannot
// be built or DLGRADE_FROM_SOURCES=1 asks for them. Student code never goes through this: it runs
// transpiled, in the sandbox.
import { builtGrader } from './build.js';

const built = process.env.DLGRADE_FROM_SOURCES === '1' ? null : await builtGrader();
let main;
if (built) {
  process.setSourceMapsEnabled(true); // a grader error's stack names the sources' lines
  ({ main } = await import(built.cli));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../cli.ts'));
}
process.exitCode = await main(process.argv.slice(2));
