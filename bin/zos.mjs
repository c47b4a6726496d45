#!/usr/bin/env node
// The `zos` command. The sources are TypeScript, run through tsx's loader.
import { register } from 'tsx/esm/api';

register();
const { main, reportUncaught } = await import('../cli/main.ts');
reportUncaught();
process.exitCode = await main(process.argv.slice(2));
