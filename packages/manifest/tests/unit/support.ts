import type { SynthResource } from '@tap/pulumi-testing';
import { environmentProfile, type EnvironmentConfig, type EnvironmentName } from '@tap/validation';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { approveManifests, createConfigManifest, manifestToEnvironmentConfig, verifyManifest } from '../../src';
import { runCli } from '../../src/cli/main';
import type { ConfigManifest } from '../../src';

export const WORKSPACE = resolve(__dirname, '../../../..');
export const FIXED_TIME = '2025-01-01T00:00:00.000Z';
export const IMAGE = '123456789012.dkr.ecr.us-east-1.amazonaws.com/payment-processor:1.4.0';

/** A valid manifest of `env`; `change` edits the config before the manifest (and its hash) is made. */
export function manifestFor(env: EnvironmentName, change: (config: EnvironmentConfig) => void = () => undefined): ConfigManifest {
  const config = environmentProfile(env);
  change(config);
  return createConfigManifest(config, { imageUri: IMAGE, timestamp: FIXED_TIME });
}

export function writeJson(file: string, value: unknown): string {
  mkdirSync(resolve(file, '..'), { recursive: true });
  writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
  return file;
}

/** A fresh temp directory; remove it with `rmSync(dir, { recursive: true, force: true })`. */
export function tempDir(prefix: string): string {
  mkdirSync(join(WORKSPACE, 'tmp'), { recursive: true });
  return mkdtempSync(join(WORKSPACE, 'tmp', `${prefix}-`));
}

/**
 * The BUILT `tap-drift` bin (the package's `bin`, dist/cli/main.js; the test target depends on build). Node resolves
 * its `@tap/validation` through the workspace's node_modules to that package's build, as in an install.
 */
export const BUILT_BIN = join(WORKSPACE, 'packages', 'manifest', 'dist', 'cli', 'main.js');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `tap-drift` in this process (`runCli`) and captures what it writes. */
export function runCliCaptured(args: readonly string[]): { code: number; stdout: string; stderr: string } {
  let stdout = '';
  let stderr = '';
  const code = runCli(args, { out: (t) => (stdout += t), err: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

/** Runs `tap-drift` in this process in `dir`, not in CI (an explicit environment, empty by default), with a fixed git identity. */
export function runCliIn(dir: string, args: readonly string[], env: NodeJS.ProcessEnv = {}): { code: number; stdout: string; stderr: string } {
  let stdout = '';
  let stderr = '';
  const cwd = process.cwd();
  process.chdir(dir);
  try {
    const code = runCli(args, { out: (t) => (stdout += t), err: (t) => (stderr += t), env, git: () => ({ name: 'Git User', email: 'git@example.com' }) });
    return { code, stdout, stderr };
  } finally {
    process.chdir(cwd);
  }
}

/**
 * Runs the built `tap-drift` bin as a user would (a separate node process), with `env` over the test's environment
 * (a value `undefined` removes the variable).
 */
export function runBin(bin: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): CliResult {
  const merged: NodeJS.ProcessEnv = { ...process.env, ...env };
  for (const [key, value] of Object.entries(env)) if (value === undefined) delete merged[key];
  const result = spawnSync(process.execPath, [bin, ...args], {
    cwd,
    encoding: 'utf8',
    timeout: 30_000,
    env: merged,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

export const SYNTH_FIXTURES = resolve(__dirname, '../fixtures/synth');

/** One record of a synth `resources.json`, as the fixtures hold them: the synth's own record type. */
export type SynthRecordFixture = SynthResource;

/** The synth output of `env` (tests/fixtures/synth, copied from `nx run tap-stack:synth`). */
export function synthFixture(env: EnvironmentName): { manifest: ConfigManifest; records: SynthRecordFixture[] } {
  return {
    // Read as any manifest file is: an older format is upgraded.
    manifest: verifyManifest(JSON.parse(readFileSync(join(SYNTH_FIXTURES, env, 'manifest.json'), 'utf8')), `${env}/manifest.json`),
    records: JSON.parse(readFileSync(join(SYNTH_FIXTURES, env, 'resources.json'), 'utf8')) as SynthRecordFixture[],
  };
}

/** The fixture record named `name` (logical name); throws when there is none, so a stale fixture fails loudly. */
export function record(records: SynthRecordFixture[], name: string): SynthRecordFixture {
  const found = records.find((r) => r.name === name);
  if (!found) throw new Error(`no resource ${name} in the synth fixture`);
  return found;
}

/**
 * Sets the cluster's deletion protection and final snapshot (`on`: protected, with a final snapshot named with a random
 * part from a RandomId, as the database component makes it; off: destroyable). The prod fixture predates both.
 */
export function protectDatabase(records: SynthRecordFixture[], environment: EnvironmentName, on: boolean): void {
  const db = record(records, 'tap-db-cluster');
  Object.assign(db.inputs, { deletionProtection: on, skipFinalSnapshot: !on });
  if (!on) return;
  db.inputs['finalSnapshotIdentifier'] = `aurora-final-${environment}-001-0a1b2c3d`;
  const urn = db.urn.replace('aws:rds/cluster:Cluster::tap-db-cluster', 'random:index/randomId:RandomId::tap-db-final-snapshot');
  records.push({ ...db, urn, type: 'random:index/randomId:RandomId', name: 'tap-db-final-snapshot', inputs: { byteLength: 4 }, dependencies: [] });
  db.dependencies = [...(db.dependencies ?? []), urn];
}

/**
 * Writes `<dir>/<env>/manifest.json` and `<dir>/<env>/resources.json` (the synth layout) from the fixtures. The
 * configuration is rebuilt with today's pinned engine version (in the manifest and on the cluster) so the fixtures stay
 * valid when @tap/validation moves it, and the cluster protected as its configuration says (see `protectDatabase`);
 * `config` and `records` change the copy before it is written.
 */
export function writeSynth(
  dir: string,
  env: EnvironmentName,
  change: { config?: (config: EnvironmentConfig) => void; records?: (records: SynthRecordFixture[]) => void } = {},
): { manifest: ConfigManifest; records: SynthRecordFixture[] } {
  const fixture = synthFixture(env);
  const config = manifestToEnvironmentConfig(fixture.manifest);
  config.database.engineVersion = environmentProfile(env).database.engineVersion;
  change.config?.(config);
  const manifest = createConfigManifest(config, { imageUri: fixture.manifest.configuration.docker.imageUri, timestamp: fixture.manifest.timestamp });
  const records = fixture.records;
  record(records, 'tap-db-cluster').inputs['engineVersion'] = config.database.engineVersion;
  protectDatabase(records, env, fixture.manifest.configuration.database.deletionProtection === true);
  change.records?.(records);
  writeJson(join(dir, env, 'manifest.json'), manifest);
  writeJson(join(dir, env, 'resources.json'), records);
  return { manifest, records };
}

/** A stand-in `tap-policy check --format json` report over the given environments. */
export function policyReport(
  entries: Array<{ environment: EnvironmentName; resourceCount: number; violations?: Array<{ policyName: string; enforcementLevel: string; message: string; resourceName?: string; resourceType?: string }> }>,
): unknown {
  const files = entries.map((e) => ({
    file: `dist/apps/tap-stack/synth/${e.environment}/resources.json`,
    stackName: e.environment,
    environment: e.environment,
    resourceCount: e.resourceCount,
    violations: (e.violations ?? []).map((v) => ({ stackName: e.environment, environment: e.environment, ...v })),
  }));
  return { ok: files.every((f) => f.violations.every((v) => v.enforcementLevel !== 'mandatory')), policyCount: 28, files };
}

export const ENVS = ['dev', 'staging', 'prod'] as const;
export type Env = (typeof ENVS)[number];

/** Approved baselines (with inventories) of the unchanged synth fixtures in `<dir>/base`. */
export function approveFixtures(dir: string): void {
  for (const env of ENVS) writeSynth(join(dir, 'approved'), env);
  approveManifests({ baseline: join(dir, 'base'), current: join(dir, 'approved'), reason: 'fixtures', approver: 'Test <t@example.com>', noPolicyCheck: true, env: {} });
}

/** The synth in `<dir>/synth`: every environment unchanged except `env`, changed by `change`. */
export function changedSynth(dir: string, env: Env, change: Parameters<typeof writeSynth>[2]): void {
  for (const other of ENVS) writeSynth(join(dir, 'synth'), other, other === env ? change : {});
}
