#!/usr/bin/env node
// Thin launcher: the CLI returns an exit code and never calls process.exit itself,
// so pending output is flushed before the process ends.
import { execute } from '../dist/src/cli/main.js';

process.exitCode = await execute(process.argv.slice(2));
