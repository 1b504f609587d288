import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { computeConfigHash } from '../../src/hash';
import { computeInventoryHash } from '../../src/inventory';
import { runCli } from '../../src/cli/main';
import type { ResourceInventory } from '../../src/types';
import { upgradeFile, type VersionedFormat } from '../../src/upgrade';
import { removeDir, tempDir, writeJson, writeSynth } from './support';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Runs tap-drift in-process, outside CI, with a fixed git identity (the real CLI entry). */
function cli(args: string[]): { code: number; stdout: string; stderr: string } {
  let stdout = '';
  let stderr = '';
  const code = runCli(args, { out: (t) => (stdout += t), err: (t) => (stderr += t), env: {}, git: () => ({ name: 'Lead', email: 'lead@example.com' }) });
  return { code, stdout, stderr };
}

/** A temp dir with dev's synth (`synth/`) and, through the real CLI, its approved baseline (`base/`: manifest, inventory, history). */
function approvedDev(prefix: string): string {
  const dir = tempDir(prefix);
  writeSynth(join(dir, 'synth'), 'dev');
  const approved = cli(['approve', '--baseline', join(dir, 'base'), '--current', join(dir, 'synth'), '--reason', 'first', '--no-policy-check', '--approver', 'Lead']);
  if (approved.code !== 0) throw new Error(`the first approval failed: ${approved.stderr}`);
  return dir;
}

const readJson = (file: string): Json => JSON.parse(readFileSync(file, 'utf8')) as Json;

/** Rewrites a manifest file as its writer would have: `edit` the parsed file, then seal it with the configuration's hash. */
function rewrite(file: string, edit: (manifest: Json) => void): void {
  const manifest = readJson(file);
  edit(manifest);
  manifest.configHash = computeConfigHash(manifest.configuration);
  writeJson(file, manifest);
}

/** A manifest as format 1 wrote it: no field list, and (before `monitoring.dbConnectionsThreshold` existed) without that field. */
function asFormat1WithoutDbConnections(manifest: Json): void {
  manifest.manifestVersion = 1;
  delete manifest.fields;
  delete manifest.configuration.monitoring.dbConnectionsThreshold;
}

describe('baselines written before a setting existed', () => {
  let dir: string;
  const base = () => join(dir, 'base');
  const synth = () => join(dir, 'synth');
  const check = () => cli(['check', '--baseline', base(), '--current', synth()]);
  const approve = () =>
    cli(['approve', '--baseline', base(), '--current', synth(), '--reason', 'record monitoring.dbConnectionsThreshold', '--no-policy-check', '--approver', 'Lead <lead@example.com>']);

  beforeEach(() => (dir = approvedDev('versions')));
  afterEach(() => removeDir(dir));

  it('reports a field a format-1 baseline lacks as a new field (exit 1), and approve records it so check passes', () => {
    // Prepare: the baseline as the writer before monitoring.dbConnectionsThreshold wrote it (the only way through was a hand edit).
    rewrite(join(base(), 'dev.json'), asFormat1WithoutDbConnections);

    // Act
    const before = check();
    const approved = approve();
    const after = check();
    const audit = cli(['audit', 'verify', '--baseline', base()]);

    // Assess
    expect(before.stderr).toBe('');
    expect(before.code).toBe(1);
    expect(before.stdout).toMatch(/^ {2}monitoring\.dbConnectionsThreshold: \(new field\) -> \d+$/m);
    expect(approved).toMatchObject({ code: 0, stderr: '' });
    expect(readJson(join(base(), 'dev.json')).configuration.monitoring.dbConnectionsThreshold).toEqual(expect.any(Number));
    expect(after).toMatchObject({ code: 0, stderr: '' });
    expect(audit).toMatchObject({ code: 0, stderr: '' });
    // Only the configuration changed: the history line says so (not "every resource added").
    const lines = readFileSync(join(base(), 'history.jsonl'), 'utf8').trim().split('\n');
    expect(JSON.parse(lines[lines.length - 1])).toMatchObject({
      changedPaths: ['monitoring.dbConnectionsThreshold'],
      changedResources: { added: 0, removed: 0, changed: 0, properties: 0, list: [] },
    });
  });

  it('compare refuses baselines that do not record every setting, naming the file and the field (exit 2)', () => {
    // Prepare
    rewrite(join(base(), 'dev.json'), asFormat1WithoutDbConnections);

    // Act
    const result = cli(['compare', base()]);

    // Assess
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toMatch(/^tap-drift: .*dev\.json: does not record monitoring\.dbConnectionsThreshold \(written before that setting existed\); compare the current synth, or approve the baselines first$/);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('reports a field a current-format baseline did not record (its writer had no such setting) as a new field (exit 1)', () => {
    // Prepare
    rewrite(join(base(), 'dev.json'), (manifest) => {
      manifest.fields = (manifest.fields as string[]).filter((field) => field !== 'monitoring.dbConnectionsThreshold');
      delete manifest.configuration.monitoring.dbConnectionsThreshold;
    });

    // Act
    const result = check();

    // Assess
    expect(result).toMatchObject({ code: 1, stderr: '' });
    expect(result.stdout).toMatch(/^ {2}monitoring\.dbConnectionsThreshold: \(new field\) -> \d+$/m);
  });

  it('shows the new field as such in the markdown comment', () => {
    // Prepare
    rewrite(join(base(), 'dev.json'), asFormat1WithoutDbConnections);

    // Act
    const result = cli(['check', '--baseline', base(), '--current', synth(), '--format', 'markdown']);

    // Assess
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('| `monitoring.dbConnectionsThreshold` | (new field) |');
  });

  it.each<[string, (manifest: Json) => void, RegExp]>([
    [
      'a field no setting has',
      (m) => (m.configuration.lambda.gpu = 1),
      /dev\.json: not a valid configuration manifest: configuration\.lambda: Unrecognized key\(s\) in object: 'gpu'/,
    ],
    [
      'a misspelled field',
      (m) => {
        m.configuration.lambda.memroy = m.configuration.lambda.memory;
        delete m.configuration.lambda.memory;
      },
      /dev\.json: not a valid configuration manifest: .*'memroy'/,
    ],
    ['a wrong type', (m) => (m.configuration.lambda.memory = '1024'), /dev\.json: not a valid configuration manifest: configuration\.lambda\.memory: Expected number, received string/],
    [
      'a field its field list records but its configuration lacks (edited, not old)',
      (m) => delete m.configuration.monitoring.dbConnectionsThreshold,
      /dev\.json: not a valid configuration manifest: configuration\.monitoring\.dbConnectionsThreshold: listed in fields but has no value/,
    ],
    ['a field list naming a field no setting has', (m) => (m.fields = [...(m.fields as string[]), 'lambda.gpu'].sort()), /dev\.json: not a valid configuration manifest: fields: lambda\.gpu is no field of/],
    [
      'a format-1 file with a field list (format 1 had none)',
      (m) => (m.manifestVersion = 1),
      /dev\.json: not a valid configuration manifest: \(root\): Unrecognized key\(s\) in object: 'fields'/,
    ],
    ['a format-1 file with a misspelled field', (m) => {
      asFormat1WithoutDbConnections(m);
      m.configuration.monitoring.dbConnectionThreshold = 100;
    }, /dev\.json: not a valid configuration manifest: .*'dbConnectionThreshold'/],
    ['a format newer than this tap-drift', (m) => (m.manifestVersion = 99), /dev\.json: not a valid configuration manifest: manifestVersion: 99 is newer than this tap-drift reads/],
  ])('refuses a baseline with %s: exit 2, one line naming the file and field', (_what, edit, message) => {
    // Prepare
    rewrite(join(base(), 'dev.json'), edit);

    // Act
    const result = check();

    // Assess
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });
});

describe('baseline inventories of another recorder', () => {
  let dir: string;
  const base = () => join(dir, 'base');
  const synth = () => join(dir, 'synth');
  const inventory = () => join(base(), 'dev.resources.json');
  const check = () => cli(['check', '--baseline', base(), '--current', synth()]);

  /** Rewrites the baseline inventory: `edit` the parsed file, then seal it with the hash of what it records. */
  function rewriteInventory(edit: (file: Json) => void): void {
    const file = readJson(inventory());
    edit(file);
    file.inventoryHash = computeInventoryHash(file as ResourceInventory);
    writeJson(inventory(), file);
  }
  const resourceNamed = (file: Json, name: string): Json => Object.values(file.resources as Record<string, Json>).find((r) => r.name === name) as Json;

  beforeEach(() => (dir = approvedDev('inventory-versions')));
  afterEach(() => removeDir(dir));

  it('reports what the baseline recorder did not record yet (a resource without its dependencies) as a change, exit 1', () => {
    // Prepare: the inventory as a recorder that did not record dependencies wrote it.
    rewriteInventory((file) => delete resourceNamed(file, 'tap-payments-function').dependencies);

    // Act
    const result = check();

    // Assess
    expect(result).toMatchObject({ code: 1, stderr: '' });
    expect(result.stdout).toMatch(/~ tap-payments-function \(aws:lambda\/function:Function\)\n\s+\(dependencies\): \[\] -> \[/);
  });

  it.each<[string, (file: Json) => void, RegExp]>([
    ['a newer format', (file) => (file.inventoryVersion = 3), /dev\.resources\.json: not a valid resource inventory: inventoryVersion: 3 is newer than this tap-drift reads \(1 to 2\); update @tap\/manifest$/],
    [
      'a field its format never recorded (tampered, not old)',
      (file) => {
        file.inventoryVersion = 1;
        resourceNamed(file, 'tap-payments-function').options = { protect: false };
      },
      /dev\.resources\.json: not a valid resource inventory: resources\..*tap-payments-function: Unrecognized key\(s\) in object: 'options' \(format 1\)$/,
    ],
  ])('refuses a baseline inventory with %s: exit 2, one line naming the file', (_what, edit, message) => {
    // Prepare
    rewriteInventory(edit);

    // Act
    const result = check();

    // Assess
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toMatch(message);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });
});

describe('upgradeFile', () => {
  // A format whose items gained nothing but whose version 2 added `unit`; no version records `options`.
  const format: VersionedFormat = {
    versionKey: 'v',
    current: 3,
    steps: [
      { from: 1, schema: z.object({ v: z.literal(1), items: z.record(z.object({ size: z.number() }).strict()) }).strict(), upgrade: (f) => ({ ...f, v: 2, unit: 'MiB' }) },
      {
        from: 2,
        schema: z.object({ v: z.literal(2), unit: z.string(), items: z.record(z.object({ size: z.number() }).strict()) }).strict(),
        upgrade: (f) => ({ ...f, v: 3 }),
      },
    ],
  };

  it('upgrades an old file step by step, leaving out what its version did not record', () => {
    // Act
    const result = upgradeFile({ v: 1, items: { a: { size: 1 } } }, format);

    // Assess
    expect(result).toEqual({ ok: true, value: { v: 3, unit: 'MiB', items: { a: { size: 1 } } } });
  });

  it.each<[string, unknown, RegExp]>([
    ['an old version holding what only a later version records', { v: 1, items: { a: { size: 1, options: {} } } }, /^items\.a: Unrecognized key\(s\) in object: 'options' \(format 1\)$/],
    ['a newer version', { v: 4, items: {} }, /^v: 4 is newer than this tap-drift reads \(1 to 3\)/],
    ['a version no step reads', { v: 0, items: {} }, /^v: 0 is not a version this tap-drift reads \(1 to 3\)$/],
    ['a fractional version', { v: 1.5, items: {} }, /^v: 1\.5 is not a version/],
  ])('refuses %s', (_what, file, issue) => {
    // Act
    const result = upgradeFile(file, format);

    // Assess
    expect(result.ok).toBe(false);
    expect(result.ok ? [] : result.issues).toEqual([expect.stringMatching(issue)]);
  });

  it('passes a current file on as it is, for the current schema to judge', () => {
    // Prepare
    const file = { v: 3, unit: 'MiB', items: {}, extra: true };

    // Act + Assess
    expect(upgradeFile(file, format)).toEqual({ ok: true, value: file });
  });
});
