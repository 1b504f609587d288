import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SETTINGS, SETTING_PATHS, environmentProfile } from '@tap/validation';
import { CONFIG_PATHS, ManifestError, ManifestHashMismatchError, ManifestSchemaError, approveManifests, canonicalJson, checkManifests, compareManifests, createConfigManifest, diffManifests, loadManifestSet, manifestToEnvironmentConfig, verifyManifest } from '../../src';
import { flattenConfiguration } from '../../src/diff';
import { FIXED_TIME, IMAGE, manifestFor, removeDir, tempDir, writeJson, writeSynth } from './support';

/** The Aurora version the profiles pin (it moves with AWS's supported minors; the tests follow it). */
const PINNED_ENGINE = environmentProfile('prod').database.engineVersion;

describe('createConfigManifest', () => {
  it('keeps the original manifest shape, adds what drift detection needs, and hashes only the configuration', () => {
    // Act
    const manifest = createConfigManifest(environmentProfile('prod'), { imageUri: IMAGE, timestamp: FIXED_TIME });

    // Assess
    expect(manifest).toMatchObject({
      manifestVersion: 2,
      environment: 'prod',
      timestamp: FIXED_TIME,
      configuration: {
        region: 'us-east-1',
        lambda: { memory: 4096, cpu: 2, timeoutSeconds: 30 },
        database: { instanceClass: 'db.r6g.large', engineVersion: PINNED_ENGINE, instanceCount: 2 },
        secrets: { rotationDays: 30 },
        backup: { retentionDays: 7 },
        logging: { retentionDays: 30 },
        encryption: { keyRotation: true },
        monitoring: { errorThreshold: 3, latencyThresholdMs: 2000, dbCpuThresholdPercent: 80, dbConnectionsThreshold: 200 },
        docker: { imageUri: IMAGE },
      },
    });
    const expected = createHash('sha256').update(canonicalJson(manifest.configuration)).digest('hex');
    expect(manifest.configHash).toBe(expected);
    // It lists every field it records (and the optional ones it knows but leaves unset), sorted.
    expect(manifest.fields).toEqual([...manifest.fields].sort());
    expect(manifest.fields).toEqual(expect.arrayContaining(Object.keys(flattenConfiguration(manifest.configuration))));
    expect(manifest.fields).toEqual(expect.arrayContaining(Object.keys(CONFIG_PATHS)));
  });

  it('gives the same hash whatever the timestamp', () => {
    // Act
    const a = createConfigManifest(environmentProfile('dev'), { imageUri: IMAGE, timestamp: FIXED_TIME });
    const b = createConfigManifest(environmentProfile('dev'), { imageUri: IMAGE });

    // Assess
    expect(b.timestamp).not.toBe(FIXED_TIME);
    expect(b.configHash).toBe(a.configHash);
  });

  it('refuses an empty image URI', () => {
    // Act + Assess
    expect(() => createConfigManifest(environmentProfile('dev'), { imageUri: '' })).toThrow(ManifestSchemaError);
  });
});

describe('verifyManifest', () => {
  it('returns a valid manifest', () => {
    // Prepare
    const manifest = JSON.parse(JSON.stringify(manifestFor('dev')));

    // Act + Assess
    expect(verifyManifest(manifest, 'dev.json')).toEqual(manifest);
  });

  it('refuses a hand-edited configuration, naming the file and both hashes', () => {
    // Prepare
    const manifest = manifestFor('prod');
    manifest.configuration.database.instanceCount = 1;

    // Act
    const act = (): unknown => verifyManifest(manifest, 'manifests/prod.json');

    // Assess
    expect(act).toThrow(ManifestHashMismatchError);
    expect(act).toThrow(/^manifests\/prod\.json: configHash [0-9a-f]{64} does not match the configuration \(recomputed [0-9a-f]{64}\)/);
  });

  it.each([
    ['an unknown key', (m: Record<string, any>) => (m.configuration.lambda.memorySize = 1), 'configuration.lambda: Unrecognized key(s) in object: \'memorySize\''], // eslint-disable-line @typescript-eslint/no-explicit-any
    ['a missing field', (m: Record<string, any>) => delete m.configuration.region, 'configuration.region: listed in fields but has no value'], // eslint-disable-line @typescript-eslint/no-explicit-any
    ['a string number', (m: Record<string, any>) => (m.configuration.lambda.memory = '1024'), 'configuration.lambda.memory: Expected number, received string'], // eslint-disable-line @typescript-eslint/no-explicit-any
    ['a fractional whole-number setting', (m: Record<string, any>) => (m.configuration.lambda.memory = 1024.5), 'configuration.lambda.memory: Expected integer, received float'], // eslint-disable-line @typescript-eslint/no-explicit-any
    ['no timeout (it has a fallback, so it is always recorded)', (m: Record<string, any>) => delete m.configuration.lambda.timeoutSeconds, 'configuration.lambda.timeoutSeconds: listed in fields but has no value'], // eslint-disable-line @typescript-eslint/no-explicit-any
    ['an unknown environment', (m: Record<string, any>) => (m.environment = 'qa'), 'environment: Invalid enum value'], // eslint-disable-line @typescript-eslint/no-explicit-any
    ['a bad hash', (m: Record<string, any>) => (m.configHash = 'ABC'), 'configHash: must be 64 lowercase hex characters (SHA-256)'], // eslint-disable-line @typescript-eslint/no-explicit-any
    ['a newer version', (m: Record<string, any>) => (m.manifestVersion = 3), 'manifestVersion: 3 is newer than this tap-drift reads (1 to 2)'], // eslint-disable-line @typescript-eslint/no-explicit-any
    ['a bad timestamp', (m: Record<string, any>) => (m.timestamp = 'yesterday'), 'timestamp: Invalid datetime'], // eslint-disable-line @typescript-eslint/no-explicit-any
  ])('refuses %s with a schema error', (_what, change, message) => {
    // Prepare
    const manifest = JSON.parse(JSON.stringify(manifestFor('dev')));
    change(manifest);

    // Act
    const act = (): unknown => verifyManifest(manifest, 'dev.json');

    // Assess
    expect(act).toThrow(ManifestSchemaError);
    expect(act).toThrow(message);
  });
});

describe('the manifest follows SETTINGS', () => {
  it('maps every setting with a manifest path, and the image, in CONFIG_PATHS', () => {
    // Act
    const mapped = Object.entries(CONFIG_PATHS);

    // Assess
    expect(mapped).toEqual([
      ...SETTING_PATHS.flatMap((path) => {
        const manifest = SETTINGS[path].manifest;
        return manifest === null ? [] : [[manifest, path]];
      }),
      ['docker.imageUri', undefined],
    ]);
    expect(CONFIG_PATHS['lambda.memory']).toBe('lambda.memoryMb');
    expect(CONFIG_PATHS['backup.retentionDays']).toBe('database.backupRetentionDays');
  });

  it('records every path of CONFIG_PATHS, and nothing else', () => {
    // Act
    const flat = Object.keys(flattenConfiguration(manifestFor('prod').configuration)).sort();

    // Assess
    expect(flat).toEqual(Object.keys(CONFIG_PATHS).sort());
  });

  it.each(['dev', 'staging', 'prod'] as const)('gives back the %s profile from its manifest', (env) => {
    // Prepare
    const profile = environmentProfile(env);

    // Act
    const config = manifestToEnvironmentConfig(createConfigManifest(profile, { imageUri: IMAGE, timestamp: FIXED_TIME }));

    // Assess
    expect(config).toEqual(profile);
  });

  it('records the fallback of a setting the config leaves out, and leaves out an absent optional one', () => {
    // Prepare
    const config = environmentProfile('staging');
    delete config.lambda.timeoutSeconds;
    delete config.lambda.reservedConcurrency;

    // Act
    const manifest = createConfigManifest(config, { imageUri: IMAGE, timestamp: FIXED_TIME });
    const back = manifestToEnvironmentConfig(manifest);

    // Assess
    expect(manifest.configuration.lambda).toEqual({ memory: 2048, cpu: 1, timeoutSeconds: 30 });
    expect(back.lambda).toEqual({ memoryMb: 2048, vcpu: 1, timeoutSeconds: 30 });
  });
});

describe('diffManifests', () => {
  it('lists changed, added and removed paths, ignoring the timestamp', () => {
    // Prepare
    const before = manifestFor('prod', (c) => (c.lambda.reservedConcurrency = 10));
    const after = manifestFor('prod', (c) => {
      c.database.instanceCount = 1;
      delete c.lambda.reservedConcurrency;
    });
    after.timestamp = '2030-01-01T00:00:00.000Z';

    // Act
    const changes = diffManifests(before, after);

    // Assess
    expect(changes).toEqual([
      { path: 'database.instanceCount', kind: 'changed', before: 2, after: 1 },
      { path: 'lambda.reservedConcurrency', kind: 'removed', before: 10 },
    ]);
  });
});

describe('compareManifests', () => {
  const load = (env: 'dev' | 'staging' | 'prod', change?: Parameters<typeof manifestFor>[1]) => ({ file: `${env}.json`, manifest: manifestFor(env, change) });

  it('calls profile differences expected and reports no drift for the three profiles', () => {
    // Act
    const report = compareManifests([load('prod'), load('dev'), load('staging')]);

    // Assess
    expect(report.drift).toBe(false);
    expect(report.environments).toEqual(['dev', 'staging', 'prod']);
    const status = Object.fromEntries(report.rows.map((row) => [row.path, row.status]));
    expect(status).toMatchObject({ region: 'expected', 'lambda.memory': 'expected', 'database.instanceCount': 'expected', 'database.engineVersion': 'same', 'backup.retentionDays': 'same' });
    expect(report.rows.find((row) => row.path === 'lambda.memory')!.values).toEqual({ dev: 1024, staging: 2048, prod: 4096 });
  });

  it('flags a parity field that differs as drift', () => {
    // Act
    const report = compareManifests([load('dev'), load('prod', (c) => (c.database.engineVersion = '15.8'))]);

    // Assess
    const row = report.rows.find((r) => r.path === 'database.engineVersion')!;
    expect(report.drift).toBe(true);
    expect(row.status).toBe('drift');
    expect(row.reasons).toEqual([
      `must be identical in every environment, got dev=${PINNED_ENGINE}, prod=15.8`,
      expect.stringMatching(new RegExp(`^prod: All environments must use Aurora PostgreSQL ${PINNED_ENGINE.replace('.', '\\.')}, got 15\\.8`)),
    ]);
  });

  it('flags a value outside its profile as drift even when environments agree', () => {
    // Act
    const report = compareManifests([load('staging', (c) => (c.database.instanceCount = 2)), load('prod')]);

    // Assess
    const row = report.rows.find((r) => r.path === 'database.instanceCount')!;
    expect(row.status).toBe('drift');
    expect(row.reasons).toEqual(['staging: Staging environment must run 1 database instance, got 2']);
  });

  it('refuses two manifests of one environment', () => {
    // Act + Assess
    expect(() => compareManifests([load('dev'), { file: 'copy.json', manifest: manifestFor('dev') }])).toThrow(
      'copy.json: describes environment dev, like dev.json; give one manifest per environment',
    );
  });
});

describe('checkManifests and approveManifests', () => {
  let dir: string;
  beforeEach(() => {
    dir = tempDir('manifest-lib');
  });
  afterEach(() => removeDir(dir));

  it('reports changed, new and removed environments', () => {
    // Prepare
    writeJson(join(dir, 'base', 'dev.json'), manifestFor('dev'));
    writeJson(join(dir, 'base', 'prod.json'), manifestFor('prod'));
    writeJson(join(dir, 'cur', 'prod.json'), manifestFor('prod', (c) => (c.monitoring.errorThreshold = 2)));
    writeJson(join(dir, 'cur', 'staging.json'), manifestFor('staging'));

    // Act
    const report = checkManifests(loadManifestSet(join(dir, 'base')), loadManifestSet(join(dir, 'cur')));

    // Assess
    expect(report.changed).toBe(true);
    expect(report.environments.map((e) => [e.environment, e.status])).toEqual([
      ['dev', 'removed'],
      ['staging', 'added'],
      ['prod', 'changed'],
    ]);
    expect(report.environments[2].changes).toEqual([{ path: 'monitoring.errorThreshold', kind: 'changed', before: 3, after: 2 }]);
  });

  it('approves into an empty baseline, then appends history only for what changed, keeping other baselines', () => {
    // Prepare
    const base = join(dir, 'base');
    writeSynth(join(dir, 'cur'), 'dev');
    writeSynth(join(dir, 'cur'), 'prod');
    const now = () => new Date(FIXED_TIME);
    const audit = { reason: 'first baselines', approver: 'Jane Doe <jane@example.com>', noPolicyCheck: true, now, env: {} };

    // Act
    const first = approveManifests({ baseline: base, current: join(dir, 'cur'), ...audit });
    writeSynth(join(dir, 'cur2'), 'prod', { config: (c) => (c.lambda.reservedConcurrency = 100) });
    const second = approveManifests({ baseline: base, current: join(dir, 'cur2'), ...audit });

    // Assess
    expect(first.approved.map((r) => [r.environment, r.oldHash, r.changedPaths])).toEqual([
      ['dev', null, ['*']],
      ['prod', null, ['*']],
    ]);
    expect(second.approved).toHaveLength(1);
    expect(second.approved[0]).toMatchObject({ environment: 'prod', oldHash: first.approved[1].newHash, changedPaths: ['lambda.reservedConcurrency'] });
    const history = readFileSync(join(base, 'history.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line));
    expect(history.map((h) => h.environment)).toEqual(['dev', 'prod', 'prod']);
    expect(history[2].time).toBe(FIXED_TIME);
    expect(readdirSync(base).sort()).toEqual(['dev.json', 'dev.resources.json', 'history.jsonl', 'prod.json', 'prod.resources.json']);
    expect(JSON.parse(readFileSync(join(base, 'prod.json'), 'utf8')).configuration.lambda.reservedConcurrency).toBe(100);
    expect(checkManifests(loadManifestSet(base), loadManifestSet(join(dir, 'cur2'))).environments.find((e) => e.environment === 'prod')!.status).toBe('unchanged');
  });

  it('writes nothing when a current manifest is tampered with', () => {
    // Prepare
    writeSynth(join(dir, 'cur'), 'dev');
    const { manifest: tampered } = writeSynth(join(dir, 'cur'), 'prod');
    tampered.configuration.database.instanceCount = 1;
    writeJson(join(dir, 'cur', 'prod', 'manifest.json'), tampered);

    // Act
    const act = () => approveManifests({ baseline: join(dir, 'base'), current: join(dir, 'cur'), reason: 'r', noPolicyCheck: true, approver: 'x', env: {} });

    // Assess
    expect(act).toThrow(ManifestHashMismatchError);
    expect(existsSync(join(dir, 'base', 'dev.json'))).toBe(false);
    expect(existsSync(join(dir, 'base', 'history.jsonl'))).toBe(false);
  });

  it('refuses a file whose name and environment disagree', () => {
    // Prepare
    writeJson(join(dir, 'cur', 'dev.json'), manifestFor('prod'));

    // Act + Assess
    expect(() => loadManifestSet(join(dir, 'cur'))).toThrow(ManifestError);
    expect(() => loadManifestSet(join(dir, 'cur'))).toThrow('declares environment prod but its name says dev');
  });

  it('reads the synth layout <env>/manifest.json', () => {
    // Prepare
    writeJson(join(dir, 'synth', 'staging', 'manifest.json'), manifestFor('staging'));
    writeFileSync(join(dir, 'synth', 'resources.json'), '[]');

    // Act
    const set = loadManifestSet(join(dir, 'synth'));

    // Assess
    expect([...set.keys()]).toEqual(['staging']);
  });
});

describe('a renamed setting (encryption.kmsEnabled is now encryption.keyRotation)', () => {
  /**
   * `manifestFor(env)` as recorded before the rename: format 1 (no `fields` list: the writer of that time), the flag at
   * its former path, the hash over that configuration.
   */
  const recordedBefore = (change: (encryption: Record<string, unknown>) => void = () => undefined) => {
    const manifest = JSON.parse(JSON.stringify(manifestFor('prod')));
    manifest.manifestVersion = 1;
    delete manifest.fields;
    manifest.configuration.encryption = { kmsEnabled: true };
    change(manifest.configuration.encryption);
    manifest.configHash = createHash('sha256').update(canonicalJson(manifest.configuration)).digest('hex');
    return manifest;
  };

  it('still reads a manifest recorded before the rename, as the new setting', () => {
    // Act
    const config = manifestToEnvironmentConfig(verifyManifest(recordedBefore()));

    // Assess
    expect(config.encryption).toEqual({ keyRotation: true });
  });

  it('refuses a manifest that records it at both paths', () => {
    // Act + Assess
    expect(() => verifyManifest(recordedBefore((encryption) => (encryption['keyRotation'] = false)))).toThrow(ManifestSchemaError);
  });
});
