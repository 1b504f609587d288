// tap-preflight: read-only checks that the AWS account and this machine can take a deploy of the tap-stack.
// `nx run tap-stack:preflight [--configuration=<env>]` runs it (no configuration: dev, staging and prod); `deploy`
// runs it first. Exit 0 ready, 1 not ready, 2 could not check; status in dist/apps/tap-stack/status/preflight[-<env>].json.
import { join, resolve } from 'node:path';
import { Command, Option } from 'commander';
import { ENVIRONMENT_NAMES } from '@tap/validation';
import { PREFLIGHT_EXIT, PREFLIGHT_FORMATS } from './constants';
import { deployCreatesNetworkingFirst } from './deployPlan';
import { PreflightError } from './errors';
import { renderJson, renderMarkdown, renderText } from './report';
import { runPreflight } from './run';
import { startCli } from './status';
import { preflightTarget } from './target';
import type { PreflightReport } from './types';

const STATUS = ['ready', 'not-ready', 'error'];

interface CliOptions {
  environment?: string;
  stack?: string;
  config?: string;
  app: string;
  format: (typeof PREFLIGHT_FORMATS)[number];
  pulumi?: string;
  docker?: string;
  skipPreflight?: boolean;
}

async function main(argv: string[]): Promise<number> {
  const { root, status, fail, parse } = startCli('preflight', argv, PREFLIGHT_EXIT.couldNotCheck);

  const program = new Command('tap-preflight')
    .description('Read-only checks that the AWS account and this machine can take a deploy of the tap-stack.')
    .addOption(new Option('--environment <env>', 'dev, staging or prod (default: all three)').choices([...ENVIRONMENT_NAMES]))
    .option('--stack <name>', 'the Pulumi stack, <env> or <env>-<name> (default: the environment)')
    .option('--config <file>', 'the stack config file (default: <app>/Pulumi.<env>.yaml)')
    .option('--app <dir>', 'the Pulumi project folder', 'apps/tap-stack')
    .addOption(new Option('--format <format>', 'report format').choices([...PREFLIGHT_FORMATS]).default('text'))
    .option('--pulumi <path>', 'the Pulumi CLI (default: pulumi on PATH)')
    .option('--docker <path>', 'the Docker CLI (default: docker on PATH)')
    .option('--skip-preflight', 'skip every check (prints a warning; exit 0)')
    // `nx run tap-stack:deploy -- --revert-drift --reason=...` forwards the deploy's options here too: accepted, unused.
    .addOption(new Option('--revert-drift').hideHelp())
    .addOption(new Option('--reason <text>').hideHelp())
    .exitOverride()
    .configureOutput({ writeErr: () => undefined, writeOut: (s) => process.stdout.write(s) })
    .allowExcessArguments(false);

  const parsed = parse<CliOptions>(program, 'ready');
  if ('exitCode' in parsed) return parsed.exitCode;
  const { opts } = parsed;
  if (opts.skipPreflight) {
    const line = 'WARNING: preflight skipped (--skip-preflight): the account was not checked before this deploy';
    process.stderr.write(`${line}\n`);
    status.finish('ready', PREFLIGHT_EXIT.ready, line, { skipped: true });
    return PREFLIGHT_EXIT.ready;
  }
  if ((opts.stack || opts.config) && !opts.environment) return fail('--stack and --config need --environment');

  const environments = opts.environment ? [opts.environment] : [...ENVIRONMENT_NAMES];
  const app = resolve(root, opts.app);
  const reports: PreflightReport[] = [];
  for (const env of environments) {
    const stack = opts.stack ?? env;
    let target;
    try {
      target = preflightTarget(stack, resolve(root, opts.config ?? join(opts.app, `Pulumi.${stack}.yaml`)));
    } catch (error) {
      if (error instanceof PreflightError) return fail(error.message);
      throw error;
    }
    if (target.environment !== env) return fail(`stack ${stack} deploys ${target.environment}, not ${env}`);
    // Only the environment's own stack is what `nx run tap-stack:deploy` deploys after networking-stack's deploy.
    const networkingDeployedFirst = stack === env && deployCreatesNetworkingFirst(root, opts.app, env);
    reports.push(await runPreflight({ target, cwd: app, pulumi: opts.pulumi, docker: opts.docker, networkingDeployedFirst }));
  }

  const worst = Math.max(...reports.map((r) => r.exitCode));
  const errors = reports.filter((r) => r.error);
  if (opts.format === 'json') process.stdout.write(renderJson(reports));
  else if (opts.format === 'markdown') process.stdout.write(renderMarkdown(reports));
  else if (errors.length === reports.length) {
    // Nothing could be checked: one line per environment, on stderr, and nothing else.
    for (const r of errors) process.stderr.write(`preflight: ${r.stack}: ${r.error}\n`);
  } else process.stdout.write(renderText(reports));

  const message = reports
    .map((r) => (r.error ? `${r.stack}: ${r.error}` : `${r.stack} ${STATUS[r.exitCode]}${r.exitCode ? `: ${r.checks.filter((c) => c.status === 'fail').map((c) => c.title).join('; ')}` : ''}`))
    .join('; ');
  status.finish(STATUS[worst] ?? 'error', worst, message, {
    environments: Object.fromEntries(reports.map((r) => [r.stack, STATUS[r.exitCode] ?? 'error'])),
    checks: Object.fromEntries(reports.map((r) => [r.stack, r.checks])),
  });
  return worst;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: Error) => {
    process.stderr.write(`preflight: unexpected error: ${error.stack ?? error.message}\n`);
    process.exit(PREFLIGHT_EXIT.couldNotCheck);
  },
);
