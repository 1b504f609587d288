import type { SynthResource } from '@tap/synth';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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

/** A stand-in image build context (the real one is `nx run payment-processor:build`'s output). */
export function imageContext(content = 'exports.handler = async () => ({ statusCode: 200 });\n'): string {
  const dir = tempDir('image');
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
  const outDir = join(out, env);
  const read = (file: string) => (existsSync(join(outDir, file)) ? JSON.parse(readFileSync(join(outDir, file), 'utf8')) : undefined);
  return {
    code: run.status ?? -1,
    stdout: run.stdout,
    stderr: run.stderr,
    outDir,
    resources: read('resources.json') ?? [],
    manifest: read('manifest.json'),
    outputs: read('outputs.json') ?? {},
  };
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
