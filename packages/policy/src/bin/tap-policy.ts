#!/usr/bin/env node
import { runCli } from '../cli';

// exitCode rather than process.exit(): stdout is flushed before the process ends.
process.exitCode = runCli(process.argv.slice(2));
