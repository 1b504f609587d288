#!/usr/bin/env node
import { runCli } from '../cli';

// exitCode rather than process.exit(): stdout is flushed before the process ends.
void runCli(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
