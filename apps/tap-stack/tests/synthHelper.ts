import type { SynthResource } from '@tap/synth';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/* eslint-disable @typescript-eslint/no-explicit-any -- synthesized inputs are free-form JSON */

export const ROOT = resolve(__dirname, '..', '..', '..');
export const APP = join(ROOT, 'apps', 'tap-stack');
const SYNTH = join(ROOT, 'dist', 'apps', 'tap-stack', 'tap-synth.js');

/** A record of `resources.json`, inputs and outputs free-form for a test's assertions. */
export interface Resource extends SynthResource {
  inputs: Record<string, any>;
  /** Computed by the (mocked) provider, e.g. `arn`. */
  outputs?: Record<string, any>;
}

export interface SynthResult {
  code: number;
  stdout: string;
  stderr: string;
  outDir: string;
  resources: Resource[];
  manifest: any;
  outputs: Record<string, any>;
}

const created: string[] = [];
// Registered once per test file that imports this helper: temp dirs never outlive the file.
afterAll(() => created.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `tap-stack-${prefix}-`));
  created.push(dir);
  return dir;
}

/** The folder this Jest run shares between its test files (tests/globalSetup.ts), if it has one. */
const RUN_DIR = process.env['TAP_STACK_TEST_RUN_DIR'];
const STAND_IN_HANDLER = 'exports.handler = async () => ({ statusCode: 200 });\n';

/**
 * A stand-in image build context (the real one is `nx run payment-processor:build`'s output). The default one is the
 * run's own folder, the same for every test file: the synth records the context's path, so the synths a test compares
 * (across environments, or with {@link committedSynth}'s) must share it. Read-only; pass `content` for a context of
 * your own.
 */
export function imageContext(content = STAND_IN_HANDLER): string {
  const shared = content === STAND_IN_HANDLER && RUN_DIR !== undefined;
  const dir = shared ? join(RUN_DIR, 'image') : tempDir('image');
  if (shared && existsSync(join(dir, 'index.js'))) return dir;
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'Dockerfile'), 'FROM public.ecr.aws/lambda/nodejs:22\nCOPY index.js ${LAMBDA_TASK_ROOT}\nCMD ["index.handler"]\n');
  writeFileSync(join(dir, 'index.js'), content);
  return dir;
}

/** `Pulumi.<env>.yaml` with `lines` appended (later keys win in YAML maps) and the image context set. */
export function stackConfigFile(env: string, context: string, lines: string[] = []): string {
  const base = readFileSync(join(APP, `Pulumi.${env}.yaml`), 'utf8')
    .split('\n')
    .filter((line) => !lines.some((l) => line.trim().startsWith(l.trim().split(':').slice(0, 2).join(':') + ':')));
  const file = join(tempDir('config'), `Pulumi.${env}.yaml`);
  writeFileSync(file, [...base.filter((l) => l !== ''), `  TapStack:imageBuildContext: ${context}`, ...lines, ''].join('\n'));
  return file;
}

/** Runs the built synth CLI for one environment (as `nx run tap-stack:synth --configuration=<env>` does). */
export function synth(env: string, options: { config: string; fixture?: string; out?: string; app?: string }): SynthResult {
  const out = options.out ?? tempDir('synth');
  const args = [SYNTH, '--environment', env, '--config', options.config, '--out', out];
  if (options.fixture) args.push('--fixture', options.fixture);
  if (options.app) args.push('--app', options.app);
  const run = spawnSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8' });
  return resultIn(join(out, env), { code: run.status ?? -1, stdout: run.stdout, stderr: run.stderr });
}

/** A synth's run with the files it wrote to `outDir` (those it did not write: empty). */
function resultIn(outDir: string, run: Pick<SynthResult, 'code' | 'stdout' | 'stderr'>): SynthResult {
  const read = (file: string) => (existsSync(join(outDir, file)) ? JSON.parse(readFileSync(join(outDir, file), 'utf8')) : undefined);
  return { ...run, outDir, resources: read('resources.json') ?? [], manifest: read('manifest.json'), outputs: read('outputs.json') ?? {} };
}

/**
 * {@link synth} of `env`'s committed stack configuration with the stand-in image ({@link imageContext}'s default), into
 * `out`. Made once per Jest run and copied to each test file that starts from it: the synth of the same input is the
 * same (tests/unit/determinism.test.ts), and a synth costs a second of CPU. Without the run's folder, it synthesizes.
 */
export function committedSynth(env: string, out: string = tempDir('synth')): SynthResult {
  if (RUN_DIR === undefined) return synth(env, { config: stackConfigFile(env, imageContext()), out });
  const shared = join(RUN_DIR, 'committed-synth');
  const result = join(shared, `${env}.json`);
  if (!existsSync(result)) {
    // Made aside and moved into place, so a test file in another worker never reads half of it.
    mkdirSync(shared, { recursive: true });
    const made = synth(env, { config: stackConfigFile(env, imageContext()), out: mkdtempSync(join(shared, 'making-')) });
    if (made.code !== 0) return made;
    try {
      renameSync(made.outDir, join(shared, env));
      writeFileSync(result, JSON.stringify({ code: made.code, stdout: made.stdout, stderr: made.stderr }));
    } catch {
      return made; // another worker's synth, the same, got there first
    }
  }
  const outDir = join(out, env);
  cpSync(join(shared, env), outDir, { recursive: true });
  return resultIn(outDir, JSON.parse(readFileSync(result, 'utf8')) as Pick<SynthResult, 'code' | 'stdout' | 'stderr'>);
}

/** The checked-in networking fixture of `env`, changed by `edit`, in a temp file. */
export function fixtureFile(env: string, edit: (outputs: Record<string, unknown>) => void): string {
  const fixture = JSON.parse(readFileSync(join(APP, 'fixtures', 'networking', `${env}.json`), 'utf8'));
  edit(fixture.outputs);
  const dir = tempDir('fixture');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${env}.json`);
  writeFileSync(file, JSON.stringify(fixture));
  return file;
}

export function ofType(resources: Resource[], type: string): Resource[] {
  return resources.filter((r) => r.type === type);
}

export function countByType(resources: Resource[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of resources) counts[r.type] = (counts[r.type] ?? 0) + 1;
  return counts;
}
