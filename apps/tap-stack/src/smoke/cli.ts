// tap-smoke: deploys an ephemeral copy of an environment, proves it takes payments end to end, and always destroys it.
// `nx run tap-stack:smoke --configuration=<env> [--rotate]` runs it. Exit 0 passed, 1 a check failed, 2 could not run
// or could not tear down; report in dist/apps/tap-stack/smoke/<env>.json, status in dist/apps/tap-stack/status/smoke-<env>.json.
// `--cleanup <suffix|all>` destroys what abandoned runs left (exit 0 nothing left, 2 something is); `--leftovers` lists it.
import { EventEmitter } from 'node:events';
import { resolve } from 'node:path';
import { Command, Option } from 'commander';
import { ENVIRONMENT_NAMES, type EnvironmentName } from '@tap/validation';
import { startCli } from '../preflight/status';
import { SMOKE_EXIT } from './constants';
import { cleanupSmoke, listSmokeStacks } from './cleanup';
import { SmokeError } from './errors';
import { runSmoke } from './run';

interface CliOptions {
  environment?: EnvironmentName;
  suffix?: string;
  rotate?: boolean;
  skipPreflight?: boolean;
  pulumi?: string;
  app: string;
  out?: string;
  cleanup?: string;
  leftovers?: boolean;
}

async function main(argv: string[]): Promise<number> {
  const { root, status, fail, parse } = startCli('smoke', argv, SMOKE_EXIT.couldNotRun);

  const program = new Command('tap-smoke')
    .description('Deploy an ephemeral copy of an environment, prove it takes payments end to end, and always destroy it.')
    .addOption(new Option('--environment <env>', 'the environment to copy').choices([...ENVIRONMENT_NAMES]))
    .option('--suffix <suffix>', 'the copy\'s environment suffix (default: generated, "smk" + 6 random characters)')
    .option('--rotate', 'also rotate the database secret and pay again')
    .option('--skip-preflight', 'skip the account checks of the copy (prints a warning)')
    .option('--pulumi <path>', 'the Pulumi CLI (default: pulumi on PATH)')
    .option('--app <dir>', 'the Pulumi project folder', 'apps/tap-stack')
    .option('--out <file>', 'the report (default: dist/apps/tap-stack/smoke/<env>.json)')
    .option('--cleanup <suffix>', 'run nothing new: destroy and remove the stack <env>-smoke-<suffix> an abandoned run left ("all": every one)')
    .option('--leftovers', 'run nothing new: list the smoke stacks of the environment that still exist')
    .exitOverride()
    .configureOutput({ writeErr: () => undefined, writeOut: (s) => process.stdout.write(s) })
    .allowExcessArguments(false);
  const parsed = parse<CliOptions>(program, 'ok');
  if ('exitCode' in parsed) return parsed.exitCode;
  const { opts } = parsed;
  if (!opts.environment) return fail('choose the environment to copy: nx run tap-stack:smoke --configuration=<dev|staging|prod>');
  if (opts.cleanup !== undefined || opts.leftovers) return leftovers({ ...opts, environment: opts.environment }, root, status, fail);
  if (opts.skipPreflight) process.stderr.write('WARNING: preflight skipped (--skip-preflight): the account was not checked before this deploy\n');

  // Ctrl-C and a CI cancel's SIGTERM: the first starts the teardown, which no later one interrupts (see runSmoke).
  const interrupts = new EventEmitter();
  const forward = (signal: NodeJS.Signals) => interrupts.emit('interrupt', signal);
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  const report = await runSmoke({
    environment: opts.environment,
    root,
    app: resolve(root, opts.app),
    suffix: opts.suffix,
    rotate: opts.rotate,
    skipPreflight: opts.skipPreflight,
    pulumi: opts.pulumi,
    out: opts.out ? resolve(opts.out) : undefined,
    interrupts,
  });
  process.off('SIGINT', forward);
  process.off('SIGTERM', forward);
  const problem = report.steps.find((s) => s.status === 'failed' || s.status === 'error');
  const message = report.finishByHand
    ? `${report.stack} was not torn down: ${report.finishByHand.join('; ')}`
    : problem
      ? `${problem.name}: ${problem.detail}`
      : `${report.stack} passed and was torn down`;
  status.finish(report.outcome, report.exitCode, message, { stack: report.stack, report: report.steps.length ? `dist/apps/tap-stack/smoke/${opts.environment}.json` : undefined });
  return report.exitCode;
}

/** `--leftovers` and `--cleanup <suffix|all>`: what abandoned runs left, listed or destroyed. */
async function leftovers(opts: CliOptions & { environment: EnvironmentName }, root: string, status: ReturnType<typeof startCli>['status'], fail: (line: string) => number): Promise<number> {
  const app = resolve(root, opts.app);
  const options = { environment: opts.environment, app, pulumi: opts.pulumi, logDir: resolve(root, 'dist', 'apps', 'tap-stack', 'smoke') };
  const env = opts.environment;
  try {
    if (opts.leftovers) {
      const stacks = await listSmokeStacks(options);
      process.stdout.write(`smoke stacks of ${env} (${stacks.length}): nx run tap-stack:smoke --configuration=${env} --cleanup <suffix|all> destroys them\n`);
      for (const s of stacks) {
        const state = s.updateInProgress ? 'update in progress' : `last update ${s.lastUpdate ?? 'unknown'}`;
        process.stdout.write(`  ${s.stack}  suffix ${s.suffix}  ${s.resourceCount ?? '?'} resources  ${state}\n`);
      }
      status.finish('ok', SMOKE_EXIT.passed, `${stacks.length} smoke stack(s) of ${env}`, { leftovers: stacks });
      return SMOKE_EXIT.passed;
    }
    const report = await cleanupSmoke(options, opts.cleanup as string);
    for (const problem of report.problems) process.stderr.write(`smoke: ${problem}\n`);
    const message = report.left.length > 0 ? `cleanup left ${report.left.join(', ')}: ${report.problems[0]}` : `cleanup: ${report.cleaned.length} smoke stack(s) of ${env} destroyed and removed`;
    status.finish(report.exitCode === 0 ? 'ok' : 'error', report.exitCode, message, { cleaned: report.cleaned, left: report.left, problems: report.problems });
    return report.exitCode;
  } catch (error) {
    if (error instanceof SmokeError) return fail(error.message);
    throw error;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: Error) => {
    process.stderr.write(`smoke: unexpected error: ${error.stack ?? error.message}\n`);
    process.exit(SMOKE_EXIT.couldNotRun);
  },
);
