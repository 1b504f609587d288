#!/usr/bin/env node
// Runs `pulumi <args>` for the inferred Nx targets, after checking what a bare `pulumi` would answer with a stack trace
// or an interactive prompt: the CLI is installed, someone is logged in, and a stack was chosen.
// It never runs `pulumi up`: a deploy goes through the project's gated runner (apps/tap-stack/src/deploy, the command
// of tap-stack:deploy and networking-stack:deploy), which checks the synth it is about to deploy in the same process.
// A project whose deploy target still runs this wrapper gets a one-line refusal (exit 5), never an ungated `up`.
// `destroy` of a stack whose approved baseline (manifests/<stack>.json, what the drift gate approved) protects its
// database is refused here, in the runner itself, so no dependency or flag of the target can skip it: RDS would refuse
// the cluster's delete anyway, after everything around it was deleted. Lifting protection is an approved, deployed change.
// Exit codes: Pulumi's own, or 1 destroy refused (protected database), 2 no stack chosen, 3 CLI missing,
// 4 not logged in, 5 `up` refused.
// Nx turns any failure into exit 1, so every run also writes its status file first thing and at the end (see
// status-file.mjs): dist/<project root>/status/<target>[-<stack>].json, "ok" or "error" with the reason.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { startStatus } from './status-file.mjs';

export const EXIT_NO_STACK = 2;
export const EXIT_CLI_MISSING = 3;
export const EXIT_NOT_LOGGED_IN = 4;
export const EXIT_UP_REFUSED = 5;
export const EXIT_DESTROY_REFUSED = 1;

// The inferred Nx target of each Pulumi command (the status file's name). Not NX_TASK_TARGET_TARGET: a child of
// another task (a test) inherits that task's name.
const TARGET_OF = { up: 'deploy', preview: 'preview', refresh: 'refresh', destroy: 'destroy' };

// `nx run <app>:deploy --skip-preflight` forwards the flag to the preflight dependency (params: forward) and, as Nx
// forwards every unknown flag, to this runner too: it is not a Pulumi flag, so it is dropped here.
const args = process.argv.slice(2).filter((arg) => arg !== '--skip-preflight' && arg !== '--skip-preflight=true');

function workspaceRoot() {
  if (process.env.NX_WORKSPACE_ROOT) return process.env.NX_WORKSPACE_ROOT;
  for (let dir = process.cwd(); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'nx.json'))) return dir;
    if (dirname(dir) === dir) return process.cwd();
  }
}

const stackIndex = args.indexOf('--stack');
const stack = stackIndex >= 0 ? args[stackIndex + 1] : undefined;
const root = workspaceRoot();
const status = startStatus({
  workspaceRoot: root,
  projectRoot: relative(root, resolve(process.cwd())).split('\\').join('/'),
  target: TARGET_OF[args[0]] ?? args[0] ?? 'pulumi',
  configuration: stack,
});

function fail(code, sentence) {
  process.stderr.write(`${sentence}\n`);
  status.finish('error', code, sentence);
  process.exit(code);
}

if (args[0] === 'up') {
  fail(
    EXIT_UP_REFUSED,
    `Refusing "pulumi up" in ${process.cwd()}: this wrapper runs no ungated deploy; set the deploy target's command to a gated runner (node dist/apps/tap-stack/tap-deploy.js deploy --project <project>, see apps/tap-stack/README.md).`,
  );
}

if (stack === undefined) {
  const stacks = readdirSync(process.cwd())
    .map((f) => /^Pulumi\.(.+)\.ya?ml$/.exec(f)?.[1])
    .filter(Boolean)
    .sort();
  fail(
    EXIT_NO_STACK,
    `No stack chosen for "pulumi ${args[0] ?? ''}" in ${process.cwd()}: add --configuration=<${stacks.join('|')}> to the nx command.`,
  );
}

if (args[0] === 'destroy') {
  const baseline = join('manifests', `${stack}.json`);
  const project = basename(process.cwd());
  let deletionProtection = false;
  if (existsSync(baseline)) {
    try {
      deletionProtection = JSON.parse(readFileSync(baseline, 'utf8'))?.configuration?.database?.deletionProtection === true;
    } catch (error) {
      // Protection unknown is not protection off.
      fail(EXIT_DESTROY_REFUSED, `Refusing "pulumi destroy --stack ${stack}": the approved baseline ${baseline} cannot be read (${error.message}); restore it from git (git checkout -- ${baseline}) and retry.`);
    }
  }
  if (deletionProtection) {
    fail(
      EXIT_DESTROY_REFUSED,
      [
        `Refusing "pulumi destroy --stack ${stack}": the approved baseline ${baseline} has database.deletionProtection true, so RDS would refuse to delete the cluster after everything around it is gone. Two steps:`,
        `  1. an approved change that lifts it (database.deletionProtection false for ${stack} in packages/validation/src/profiles.ts, CI= npx nx run ${project}:drift-approve --reason="...", reviewed by security), deployed with nx run ${project}:deploy --configuration=${stack};`,
        `  2. then nx run ${project}:destroy --configuration=${stack} (a final snapshot is still taken while database.finalSnapshot is true).`,
      ].join('\n'),
    );
  }
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
const code = run.status ?? 1;
if (code === 0) status.finish('ok', 0, `pulumi ${args[0]} --stack ${stack} succeeded`);
else status.finish('error', code, `pulumi ${args[0]} --stack ${stack} exited ${code}${run.signal ? ` (${run.signal})` : ''}: see its output above`);
process.exit(code);
