import type { EnvironmentName } from '@tap/validation';
import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { SMOKE_EXIT } from './constants';
import { SmokeError } from './errors';
import { runCommand } from './process';

/** A temporary stack of a smoke run that still exists (`pulumi stack ls --json`). */
export interface SmokeLeftover {
  /** The stack's name as Pulumi lists it (possibly `org/project/<env>-smoke-<suffix>`). */
  stack: string;
  suffix: string;
  resourceCount?: number;
  lastUpdate?: string;
  updateInProgress: boolean;
}

/** Options of {@link listSmokeStacks} and {@link cleanupSmoke}. */
export interface CleanupOptions {
  environment: EnvironmentName;
  /** The Pulumi project folder (`pulumi` runs there, so only this project's stacks are listed). */
  app: string;
  /** The Pulumi executable. Default `pulumi`. */
  pulumi?: string;
  /** Extra environment of every child process. */
  env?: NodeJS.ProcessEnv;
  /** Where each stack's destroy output goes (`<logDir>/<stack>.destroy.log`). */
  logDir: string;
  /** Lines for people (default: stdout). */
  log?: (line: string) => void;
  /** Pulumi's own destroy output (default: stderr). */
  tee?: (chunk: string) => void;
}

/** What {@link cleanupSmoke} did. */
export interface CleanupReport {
  /** Stacks destroyed and removed. */
  cleaned: string[];
  /** Stacks that are still there. */
  left: string[];
  /** One line per stack left: what, and how to go on. */
  problems: string[];
  /** 0 nothing left, 2 something could not be cleaned up. */
  exitCode: number;
}

interface ListedStack {
  name?: unknown;
  resourceCount?: unknown;
  lastUpdate?: unknown;
  updateInProgress?: unknown;
}

const shortName = (stack: string) => stack.split('/').at(-1) ?? stack;
const lastLine = (text: string) =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .at(-1);

/**
 * The smoke stacks of `environment` that exist (`<env>-smoke-<suffix>`, found by name in `pulumi stack ls --json`).
 *
 * @throws SmokeError when Pulumi cannot list the stacks.
 * @example
 * const leftovers = await listSmokeStacks({ environment: 'dev', app: 'apps/tap-stack', logDir: 'dist/apps/tap-stack/smoke' });
 */
export async function listSmokeStacks(options: CleanupOptions): Promise<SmokeLeftover[]> {
  const pulumi = options.pulumi ?? 'pulumi';
  const listed = await runCommand(pulumi, ['stack', 'ls', '--json'], { cwd: options.app, env: options.env });
  if (listed.error?.code === 'ENOENT') throw new SmokeError(`the Pulumi CLI was not found ("${pulumi}" on PATH): install it (https://www.pulumi.com/docs/install/) and retry`);
  if (listed.code !== 0) throw new SmokeError(`pulumi stack ls exited ${listed.code}: ${lastLine(listed.stderr) ?? 'no reason given'} (is Pulumi logged in to the backend of the smoke run?)`);
  let stacks: ListedStack[];
  try {
    stacks = JSON.parse(listed.stdout) as ListedStack[];
  } catch {
    throw new SmokeError(`pulumi stack ls --json printed no JSON: ${listed.stdout.slice(0, 200)}`);
  }
  const pattern = new RegExp(`^${options.environment}-smoke-([a-z0-9-]+)$`);
  return stacks.flatMap((entry) => {
    const name = typeof entry.name === 'string' ? entry.name : '';
    const match = pattern.exec(shortName(name));
    if (!match) return [];
    return [
      {
        stack: name,
        suffix: match[1],
        resourceCount: typeof entry.resourceCount === 'number' ? entry.resourceCount : undefined,
        lastUpdate: typeof entry.lastUpdate === 'string' ? entry.lastUpdate : undefined,
        updateInProgress: entry.updateInProgress === true,
      },
    ];
  });
}

/**
 * Destroys and removes what abandoned smoke runs of `environment` left: the stack of `suffix`, or every smoke stack
 * (`all`). A stack with an update in progress is left alone (the abandoned run's destroy may still be running).
 *
 * @example
 * const report = await cleanupSmoke({ environment: 'dev', app: 'apps/tap-stack', logDir: 'dist/apps/tap-stack/smoke' }, 'smk4k9x0q');
 * report.exitCode; // 0 when nothing is left
 */
export async function cleanupSmoke(options: CleanupOptions, suffix: string): Promise<CleanupReport> {
  const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const tee = options.tee ?? ((chunk: string) => process.stderr.write(chunk));
  const pulumi = options.pulumi ?? 'pulumi';
  const all = await listSmokeStacks(options);
  const chosen = suffix === 'all' ? all : all.filter((s) => s.suffix === suffix);
  const report: CleanupReport = { cleaned: [], left: [], problems: [], exitCode: SMOKE_EXIT.passed };
  if (chosen.length === 0) {
    const known = all.map((s) => s.stack).join(', ') || 'none';
    log(`nothing to clean up: no stack ${suffix === 'all' ? `${options.environment}-smoke-*` : `${options.environment}-smoke-${suffix}`} (smoke stacks of ${options.environment}: ${known})`);
    return report;
  }
  const pulumiRun = (args: string[], outputFile?: string) => runCommand(pulumi, args, { cwd: options.app, env: options.env, tee: outputFile ? tee : undefined, outputFile });
  for (const leftover of chosen) {
    const { stack } = leftover;
    const leave = (problem: string) => {
      report.left.push(stack);
      report.problems.push(problem);
    };
    if (leftover.updateInProgress) {
      leave(`${stack} has an update in progress (the abandoned run's destroy may still be running): wait for it, or run "pulumi cancel --stack ${stack}" if nothing runs, then clean up again`);
      continue;
    }
    // A run abandoned on another machine (a CI runner) took the stack's config file with it; the last deployment has it.
    if (!existsSync(join(options.app, `Pulumi.${shortName(stack)}.yaml`))) await pulumiRun(['config', 'refresh', '--force', '--stack', stack]);
    const destroyLog = join(options.logDir, `${shortName(stack)}.destroy.log`);
    const destroy = await pulumiRun(['destroy', '--yes', '--non-interactive', '--skip-preview', '--stack', stack], destroyLog);
    if (destroy.code !== 0) {
      leave(`pulumi destroy of ${stack} exited ${destroy.code}: ${lastLine(destroy.stdout) ?? 'no reason given'} (full output: ${relative(process.cwd(), destroyLog)})`);
      continue;
    }
    const rm = await pulumiRun(['stack', 'rm', '--yes', '--non-interactive', '--stack', stack]);
    if (rm.code !== 0) {
      leave(`${stack} was destroyed but pulumi stack rm exited ${rm.code}: ${lastLine(rm.stderr) ?? 'no reason given'}; run: pulumi stack rm --yes --stack ${stack}`);
      continue;
    }
    report.cleaned.push(stack);
    log(`✓ ${stack}: destroyed (${leftover.resourceCount ?? 'unknown number of'} resources) and removed`);
  }
  report.exitCode = report.left.length > 0 ? SMOKE_EXIT.couldNotRun : SMOKE_EXIT.passed;
  return report;
}
