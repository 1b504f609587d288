// net-synth: runs the networking-stack program (dist/apps/networking-stack/index.js) offline under the platform mocks,
// as tap-synth runs the tap-stack, and writes what it would deploy: <out>/<env>/resources.json and outputs.json. The
// gated deploy (tap-deploy) judges that inventory before any `pulumi up` of the networking stack.
// usage: net-synth.js --environment <env> --out <dir> [--app apps/networking-stack] [--program dist/apps/networking-stack/index.js]
// Exit 0 written, 1 the program failed (e.g. a vpcCidr outside RFC 1918), 2 bad input.
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { platformMocks } from '@tap/components/testing';
import { SynthError, SynthProgramError, synthesize } from '@tap/synth';
import { ENVIRONMENT_NAMES } from '@tap/validation';
import { PROVIDER_CONFIG_KEYS } from '../constants';
import { readStackConfig } from '../synth/stackConfig';
import { SYNTH_EXIT_CODES } from '../synth/constants';
import { NETWORKING_APP, NETWORKING_PROGRAM } from './constants';
import { workspaceRoot } from './status';

async function main(argv: string[]): Promise<number> {
  let values: { environment?: string; out?: string; app?: string; program?: string };
  try {
    values = parseArgs({ args: argv, options: { environment: { type: 'string' }, out: { type: 'string' }, app: { type: 'string' }, program: { type: 'string' } } }).values;
  } catch (err) {
    process.stderr.write(`net-synth: ${(err as Error).message.split('\n')[0]}\n`);
    return SYNTH_EXIT_CODES.badInput;
  }
  const env = values.environment;
  if (!env || !(ENVIRONMENT_NAMES as readonly string[]).includes(env) || !values.out) {
    process.stderr.write(`net-synth: usage: net-synth.js --environment <${ENVIRONMENT_NAMES.join('|')}> --out <dir>\n`);
    return SYNTH_EXIT_CODES.badInput;
  }
  const root = workspaceRoot();
  const appDir = resolve(root, values.app ?? NETWORKING_APP);
  const programPath = resolve(root, values.program ?? NETWORKING_PROGRAM);
  const outDir = resolve(root, values.out, env);
  // A failed synth must not leave an earlier run's files behind for the gate to read.
  rmSync(outDir, { recursive: true, force: true });
  try {
    if (!existsSync(programPath)) {
      throw new SynthError(`${relative(root, programPath)} does not exist; build it first (npx nx run networking-stack:build)`, 'input');
    }
    const { project, config } = readStackConfig({ appDir, stackFile: join(appDir, `Pulumi.${env}.yaml`), allowedForeignKeys: PROVIDER_CONFIG_KEYS });
    const region = config.values['aws:region'];
    if (!region) throw new SynthError(`stack ${env} of ${relative(root, appDir)} sets no aws:region`, 'input');
    process.env['SOURCE_DATE_EPOCH'] ??= '0';
    // `pulumi` runs the program in its project directory; so does the synth.
    process.chdir(appDir);
    const mocks = platformMocks({ region, ids: 'hashed', strict: true });
    const run = await synthesize({ project, stack: env, programPath, config, mocks });
    mkdirSync(outDir, { recursive: true });
    writeFileSync(join(outDir, 'resources.json'), `${JSON.stringify(run.resources, null, 2)}\n`);
    writeFileSync(join(outDir, 'outputs.json'), `${JSON.stringify(run.outputs, null, 2)}\n`);
    process.stdout.write(`networking-stack ${env} (${region}): ${run.resources.length} resources -> ${relative(root, outDir)}\n`);
    return SYNTH_EXIT_CODES.ok;
  } catch (err) {
    if (!(err instanceof SynthError)) throw err;
    const registered = err instanceof SynthProgramError ? ` (${err.registeredResources} resources registered before the failure)` : '';
    process.stderr.write(`net-synth: synth of networking-stack ${env} failed: ${err.message.split('\n')[0]}${registered}\n`);
    return err.kind === 'input' ? SYNTH_EXIT_CODES.badInput : SYNTH_EXIT_CODES.programFailed;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
    process.exit(code);
  },
  (err: unknown) => {
    process.stderr.write(`net-synth internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(70);
  },
);
