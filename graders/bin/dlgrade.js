#!/usr/bin/env node
// dlgrade: registers tsx (TypeScript for the grader's own sources), then runs the CLI.
// Student code never goes through this loader: it runs transpiled, in the sandbox.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../cli.ts');
process.exitCode = await main(process.argv.slice(2));
