#!/usr/bin/env node
// Runs `pulumi <args>` for the inferred Nx targets, after checking what a bare `pulumi` would answer with a stack trace
// or an interactive prompt: the CLI is installed, someone is logged in, and a stack was chosen.
// Exit codes: Pulumi's own, or 2 no stack chosen, 3 CLI missing, 4 not logged in.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';

export const EXIT_NO_STACK = 2;
export const EXIT_CLI_MISSING = 3;
export const EXIT_NOT_LOGGED_IN = 4;

const args = process.argv.slice(2);

function fail(code, sentence) {
  process.stderr.write(`${sentence}\n`);
  process.exit(code);
}

if (!args.includes('--stack')) {
  const stacks = readdirSync(process.cwd())
    .map((f) => /^Pulumi\.(.+)\.ya?ml$/.exec(f)?.[1])
    .filter(Boolean)
    .sort();
  fail(
    EXIT_NO_STACK,
    `No stack chosen for "pulumi ${args[0] ?? ''}" in ${process.cwd()}: add --configuration=<${stacks.join('|')}> to the nx command.`,
  );
}

const version = spawnSync('pulumi', ['version'], { encoding: 'utf8' });
if (version.error) {
  fail(
    EXIT_CLI_MISSING,
    'The Pulumi CLI is not installed or not on PATH: install it (curl -fsSL https://get.pulumi.com | sh, or see https://www.pulumi.com/docs/install/) and retry.',
  );
}

const whoami = spawnSync('pulumi', ['whoami', '--non-interactive'], { encoding: 'utf8' });
if (whoami.status !== 0) {
  fail(
    EXIT_NOT_LOGGED_IN,
    'Pulumi is not logged in to a backend: run "pulumi login" (Pulumi Cloud) or "pulumi login --local" / "pulumi login file://<dir>" (file backend, see apps/tap-stack/README.md) and retry.',
  );
}

const run = spawnSync('pulumi', args, { stdio: 'inherit' });
if (run.error) fail(EXIT_CLI_MISSING, `The Pulumi CLI could not be started: ${run.error.message}.`);
process.exit(run.status ?? 1);
