// tap-synth: runs the tap-stack program offline under Pulumi's mocks and writes what it would deploy.
// `nx run tap-stack:synth [--configuration=<env>]` runs it; see apps/tap-stack/README.md. Writes manifest.json,
// resources.json (with each resource's dependencies), plan.json (the creation order an engine would follow) and
// outputs.json (the stack outputs, secrets as "[secret]") per environment.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { Command, CommanderError } from 'commander';
import { platformMocks } from '@tap/components/testing';
import { SynthError, SynthProgramError, synthesize } from '@tap/synth';
import { SYNTH_EXIT_CODES } from './constants';
import { planDeployment } from './plan';
import { PROVIDER_CONFIG_KEYS } from '../constants';
import { readStackConfig } from './stackConfig';
import { summarize } from './summary';

/** A networking fixture: the stack it stands for and the outputs that stack exports. */
interface StackReferenceFixture {
  stack: string;
  outputs: Record<string, unknown>;
}

interface CliOptions {
  environment: string[];
  app: string;
  program: string;
  out: string;
  config?: string;
  fixture?: string;
  stack?: string;
}

function workspaceRoot(from: string): string {
  let dir = resolve(from);
  while (!existsSync(join(dir, 'nx.json'))) {
    const up = dirname(dir);
    if (up === dir) return resolve(from);
    dir = up;
  }
  return dir;
}

function readFixture(file: string): StackReferenceFixture {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new SynthError(`${file}: cannot read the networking fixture (${(err as Error).message.split('\n')[0]})`, 'input');
  }
  const fixture = parsed as Partial<StackReferenceFixture>;
  if (typeof fixture.stack !== 'string' || typeof fixture.outputs !== 'object' || fixture.outputs === null) {
    throw new SynthError(`${file}: a networking fixture is { "stack": "<org/project/stack>", "outputs": { ... } }`, 'input');
  }
  return { stack: fixture.stack, outputs: fixture.outputs };
}

function stacksOf(appDir: string): string[] {
  return ['dev', 'staging', 'prod'].filter((s) => existsSync(join(appDir, `Pulumi.${s}.yaml`)));
}

async function synthOne(root: string, env: string, opts: CliOptions): Promise<number> {
  const appDir = resolve(root, opts.app);
  const outDir = resolve(root, opts.out, env);
  // A failed synth must not leave the previous run's files for the drift gate to read.
  rmSync(outDir, { recursive: true, force: true });
  const configFile = resolve(root, opts.config ?? join(opts.app, `Pulumi.${env}.yaml`));
  const fixtureFile = resolve(root, opts.fixture ?? join(opts.app, 'fixtures', 'networking', `${env}.json`));
  // Project-level config of Pulumi.yaml under the stack file's, as `pulumi up` merges them; foreign keys refused.
  const { project, config } = readStackConfig({ appDir, stackFile: configFile, allowedForeignKeys: PROVIDER_CONFIG_KEYS });
  const fixture = readFixture(fixtureFile);
  const programPath = resolve(root, opts.program);
  if (!existsSync(programPath)) {
    throw new SynthError(`${relative(root, programPath)} does not exist; build the program first (nx run tap-stack:build)`, 'input');
  }
  // Reproducible builds' convention: a fixed clock for the manifest's timestamp, unless the caller sets one.
  process.env['SOURCE_DATE_EPOCH'] ??= '0';
  // `pulumi` runs the program in its project directory; so does the synth, so relative paths in inputs match a deploy.
  process.chdir(appDir);

  const region = config.values['aws:region'];
  if (!region) throw new SynthError(`stack ${env} sets no aws:region`);
  // Hashed ids look like AWS's; strict: a stack reference or data source nobody mocked fails the synth.
  const mocks = platformMocks({ region, stackReferences: { [fixture.stack]: fixture.outputs }, ids: 'hashed', strict: true });
  // An ephemeral copy (`<env>-<name>`, e.g. a smoke run) runs under its own name: the program accepts its overrides there.
  const run = await synthesize({ project, stack: opts.stack ?? env, programPath, config, mocks });
  const manifest = run.outputs['configManifest'];
  if (manifest === undefined) throw new SynthError('the program exported no configManifest output');
  // Before writing anything: a cycle means no engine could deploy the program.
  const plan = planDeployment(run.resources);
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  writeFileSync(join(outDir, 'resources.json'), `${JSON.stringify(run.resources, null, 2)}\n`);
  writeFileSync(join(outDir, 'plan.json'), `${JSON.stringify(plan, null, 2)}\n`);
  writeFileSync(join(outDir, 'outputs.json'), `${JSON.stringify(run.outputs, null, 2)}\n`);
  process.stdout.write(summarize(env, config.values['aws:region'] ?? '', run, relative(root, outDir), plan));
  return SYNTH_EXIT_CODES.ok;
}

async function main(argv: string[]): Promise<number> {
  const program = new Command('tap-synth')
    .description('Run the tap-stack program offline under Pulumi mocks; write manifest.json, resources.json and plan.json per environment.')
    .option('-e, --environment <env...>', 'environments to synthesize (default: every Pulumi.<env>.yaml)', [])
    .option('--app <dir>', 'Pulumi project folder', 'apps/tap-stack')
    .option('--program <file>', 'bundled program to run', 'dist/apps/tap-stack/index.js')
    .option('--out <dir>', 'output folder', 'dist/apps/tap-stack/synth')
    .option('--config <file>', 'stack config file instead of <app>/Pulumi.<env>.yaml (one environment only)')
    .option('--fixture <file>', 'networking fixture instead of <app>/fixtures/networking/<env>.json (one environment only)')
    .option('--stack <name>', 'stack name the program runs as: <env> (default) or an ephemeral copy <env>-<name> (one environment only)')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  try {
    program.parse(argv, { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : SYNTH_EXIT_CODES.badInput;
    throw err;
  }
  const opts = program.opts<CliOptions>();
  const root = workspaceRoot(process.cwd());
  const known = stacksOf(resolve(root, opts.app));
  const envs = opts.environment.length > 0 ? opts.environment : known;
  const unknown = envs.filter((e) => !known.includes(e));
  if (unknown.length > 0) {
    process.stderr.write(`error: unknown environment ${unknown.join(', ')}: expected one of ${known.join(', ')} (a Pulumi.<env>.yaml in ${opts.app})\n`);
    return SYNTH_EXIT_CODES.badInput;
  }
  if (envs.length > 1 && (opts.config || opts.fixture || opts.stack)) {
    process.stderr.write('error: --config, --fixture and --stack apply to one environment; add --environment <env>\n');
    return SYNTH_EXIT_CODES.badInput;
  }
  if (opts.stack !== undefined && !opts.stack.startsWith(`${envs[0]}-`) && opts.stack !== envs[0]) {
    process.stderr.write(`error: --stack ${opts.stack} is not ${envs[0]} or a copy ${envs[0]}-<name>: name it after the environment\n`);
    return SYNTH_EXIT_CODES.badInput;
  }
  if (envs.length === 1) {
    try {
      return await synthOne(root, envs[0], opts);
    } catch (err) {
      if (!(err instanceof SynthError)) throw err;
      const registered = err instanceof SynthProgramError ? `\n(${err.registeredResources} resources registered before the failure)` : '';
      process.stderr.write(`error: synth ${envs[0]} failed:\n${err.message}${registered}\n`);
      // Input problems (files) and program failures exit differently, so scripts can tell them apart.
      return err.kind === 'input' ? SYNTH_EXIT_CODES.badInput : SYNTH_EXIT_CODES.programFailed;
    }
  }
  // The Pulumi runtime is process-global: one fresh process per environment.
  let worst = 0;
  for (const env of envs) {
    const child = spawnSync(process.execPath, [__filename, ...argv.filter((a) => !['-e', '--environment'].includes(a) && !envs.includes(a)), '--environment', env], {
      stdio: 'inherit',
      cwd: root,
    });
    worst = Math.max(worst, child.status ?? SYNTH_EXIT_CODES.programFailed);
  }
  return worst;
}

main(process.argv.slice(2)).then(
  (code) => {
    // exitCode first: Pulumi's exit hook reports "leaked promises" only for a zero exit code, and a failed program
    // leaves pending promises by nature.
    process.exitCode = code;
    process.exit(code);
  },
  (err: unknown) => {
    // A bug in the synth itself, not in the program: keep the stack trace.
    process.stderr.write(`tap-synth internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(70);
  },
);
