import { existsSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ConfigValidationError, ENVIRONMENT_NAMES, SETTINGS, SETTING_PATHS, environmentProfile, settingOf } from '@tap/validation';
import { CONFIG_KEYS, KNOWN_CONFIG_KEYS, readStackSettings, unknownConfigKeys, type ConfigSource } from '../../src/config';
import { APP, fixtureFile, imageContext, stackConfigFile, synth } from '../synthHelper';

/** The checked-in `Pulumi.<env>.yaml` as a config source, with `extra` keys set (undefined removes a key). */
function source(env: string, extra: Record<string, string | undefined> = {}): ConfigSource {
  const values: Record<string, string> = { ...(parse(readFileSync(join(APP, `Pulumi.${env}.yaml`), 'utf8')).config as Record<string, string>) };
  for (const [key, value] of Object.entries(extra)) {
    if (value === undefined) delete values[key];
    else values[key] = value;
  }
  return { get: (key) => values[key], keys: () => Object.keys(values) };
}

describe('readStackSettings: the environment comes from one place', () => {
  it('accepts a stack named after its declared environment, and an ephemeral <env>-<name> copy', () => {
    // Act
    const prod = readStackSettings(source('prod', { 'TapStack:environment': 'prod' }), 'prod');
    const copy = readStackSettings(source('dev'), 'dev-pr42');
    // Assess
    expect(prod.environment.environment).toBe('prod');
    expect(copy.environment.environment).toBe('dev');
    expect(copy.networkingStackRef).toBe('organization/networking-stack/dev');
  });

  it('refuses a prod stack that declares itself dev, naming both and the fix', () => {
    // Prepare: the dev file under the prod stack (dev region, dev sizing), TapStack:environment: dev.
    const config = source('dev', { 'TapStack:environment': 'dev' });
    // Act + Assess
    expect(() => readStackSettings(config, 'prod')).toThrow(
      'stack prod declares TapStack:environment dev in Pulumi.prod.yaml: a stack deploys the environment it is named after (prod, or prod-<name> for a copy); remove TapStack:environment or set it to prod, or use a dev stack',
    );
  });

  it('refuses an ephemeral copy whose prefix is not its declared environment', () => {
    // Act + Assess
    expect(() => readStackSettings(source('prod', { 'TapStack:environment': 'prod' }), 'dev-pr42')).toThrow(/^stack dev-pr42 declares TapStack:environment prod in Pulumi\.dev-pr42\.yaml/);
  });

  it('refuses a stack whose name is no environment', () => {
    // Act + Assess
    expect(() => readStackSettings(source('dev'), 'qa')).toThrow('stack qa is not named after an environment: name it dev, staging or prod, or <environment>-<name> for a copy (e.g. dev-pr42)');
    expect(() => readStackSettings(source('dev'), 'development')).toThrow(/^stack development is not named after an environment/);
  });
});

describe('readStackSettings: the values come from the profile, the file states them', () => {
  it.each(ENVIRONMENT_NAMES)('reads Pulumi.%s.yaml as exactly its profile, reserved concurrency included', (env) => {
    // Act
    const settings = readStackSettings(source(env), env);

    // Assess
    expect(settings.environment).toEqual(environmentProfile(env, '001'));
    expect(settings.environment.lambda.reservedConcurrency).toBe({ dev: 5, staging: 10, prod: 50 }[env]);
  });

  it('takes every config key from SETTINGS, each for its setting', () => {
    // Act
    const fromTable = SETTING_PATHS.flatMap((path) => {
      const key: string | undefined = settingOf(path).key;
      return key === undefined ? [] : [[key, path]];
    });

    // Assess
    expect([...CONFIG_KEYS]).toEqual(fromTable);
    expect(CONFIG_KEYS.get('TapStack:lambdaMemoryMb')).toBe('lambda.memoryMb');
    expect(KNOWN_CONFIG_KEYS).toEqual(expect.arrayContaining(fromTable.map(([key]) => key).filter((key) => key.startsWith('TapStack:'))));
    expect(SETTINGS['lambda.reservedConcurrency'].key).toBe('TapStack:lambdaReservedConcurrency');
  });

  it.each([
    ['TapStack:lambdaMemoryMb', '2048', 'lambda.memoryMb: Prod environment must use 4096MB Lambda memory, got 2048 (set by TapStack:lambdaMemoryMb)'],
    ['aws:region', 'eu-west-1', 'region: Prod environment must use region us-east-1, got eu-west-1 (set by aws:region)'],
    ['TapStack:lambdaMemoryMb', 'big', 'lambda.memoryMb: lambda.memoryMb must be a number, got string "big" (set by TapStack:lambdaMemoryMb)'],
    ['TapStack:dbInstanceCount', '1.5', 'database.instanceCount: database.instanceCount must be a whole number, got 1.5 (set by TapStack:dbInstanceCount)'],
    ['TapStack:lambdaReservedConcurrency', '0', 'lambda.reservedConcurrency: lambda.reservedConcurrency must be a positive integer (0 would throttle every invocation), got 0 (set by TapStack:lambdaReservedConcurrency)'],
    ['TapStack:errorThreshold', '4', 'monitoring.errorThreshold: Prod environment error alarm threshold must be at most 3, got 4 (set by TapStack:errorThreshold)'],
  ])('refuses %s: %s, naming the key', (key, value, line) => {
    // Act
    let caught: unknown;
    try {
      readStackSettings(source('prod', { [key]: value }), 'prod');
    } catch (err) {
      caught = err;
    }

    // Assess
    expect(caught).toBeInstanceOf(ConfigValidationError);
    expect((caught as Error).message).toContain(`  - ${line}`);
  });

  it('lets a deployment set its reserved concurrency, a stricter threshold and an error threshold of 0', () => {
    // Act
    const settings = readStackSettings(
      source('prod', { 'TapStack:lambdaReservedConcurrency': '20', 'TapStack:errorThreshold': '0', 'TapStack:latencyThresholdMs': '1500' }),
      'prod',
    );

    // Assess
    expect(settings.environment.lambda.reservedConcurrency).toBe(20);
    expect(settings.environment.monitoring).toMatchObject({ errorThreshold: 0, latencyThresholdMs: 1500 });
  });
});

describe('readStackSettings: every key is known', () => {
  it.each([
    ['TapStack:lambdaMemoryMB', 'TapStack:lambdaMemoryMb'],
    ['tap-stack:lambdaMemoryMb', 'TapStack:lambdaMemoryMb'],
    ['tapstack:dbInstanceCount', 'TapStack:dbInstanceCount'],
    ['TapStak:errorThreshold', 'TapStack:errorThreshold'],
    ['TapStack:alarmEmails', 'TapStack:alarmEmail'],
    ['TapStack:environmentsuffix', 'TapStack:environmentSuffix'],
  ])('refuses %s with the nearest valid key', (key, nearest) => {
    // Act + Assess
    expect(() => readStackSettings(source('prod', { [key]: '4096' }), 'prod')).toThrow(
      `unknown config key ${key} in Pulumi.prod.yaml: did you mean ${nearest}?`,
    );
  });

  it('names every unknown key, one line each, and lists the valid keys when nothing is near', () => {
    // Act
    let message = '';
    try {
      readStackSettings(source('prod', { 'TapStack:lambdaMemoryMB': '4096', 'TapStack:colour': 'blue' }), 'prod');
    } catch (err) {
      message = (err as Error).message;
    }
    // Assess
    const lines = message.split('\n');
    expect(lines[0]).toBe('unknown config key TapStack:lambdaMemoryMB in Pulumi.prod.yaml: did you mean TapStack:lambdaMemoryMb?');
    expect(lines[1]).toMatch(/^unknown config key TapStack:colour in Pulumi\.prod\.yaml: valid keys are TapStack:alarmEmail, .*TapStack:networkingStackRef/);
    expect(lines).toHaveLength(2);
  });

  it('refuses every other namespace\'s key but aws:region (also when an ESC environment sets it at deploy time)', () => {
    // Act
    const keys = ['aws:region', 'aws:profile', 'aws:endpoints', 'docker:host', 'pulumi:disable-default-providers'];
    const problems = unknownConfigKeys(keys, 'prod');
    // Assess
    expect(problems.map((p) => p.split(' ')[2])).toEqual(['aws:profile', 'aws:endpoints', 'docker:host', 'pulumi:disable-default-providers']);
    expect(problems[0]).toBe(
      'config key aws:profile of Pulumi.prod.yaml (or its ESC environment) is refused: the offline synth and the drift gate cannot see what it changes; remove it (outside TapStack:*, only aws:region may be set)',
    );
    expect(() => readStackSettings(source('prod', { 'aws:endpoints': '[]' }), 'prod')).toThrow(/config key aws:endpoints/);
  });
});

describe('tap-stack synth: config that does not belong to the stack', () => {
  it('fails a prod stack declared as dev (dev region, dev sizing) before any resource, in one line', () => {
    // Prepare: the dev file as Pulumi.prod.yaml, reading the dev networking fixture so nothing else fails first.
    const config = stackConfigFile('dev', imageContext(), ['  TapStack:environment: dev']);
    const prodNamed = join(config, '..', 'Pulumi.prod.yaml');
    renameSync(config, prodNamed);
    // Act
    const run = synth('prod', { config: prodNamed, fixture: fixtureFile('dev', () => undefined) });
    // Assess
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('stack prod declares TapStack:environment dev in Pulumi.prod.yaml');
    expect(run.stderr).toContain('(0 resources registered before the failure)');
    expect(run.stderr).not.toMatch(/^\s+at /m);
    expect(existsSync(run.outDir)).toBe(false);
  });

  it('fails a misspelt key with the nearest valid one, registering nothing', () => {
    // Prepare
    const config = stackConfigFile('prod', imageContext(), ['  TapStack:lambdaMemoryMB: "2048"']);
    // Act
    const run = synth('prod', { config });
    // Assess
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('unknown config key TapStack:lambdaMemoryMB in Pulumi.prod.yaml: did you mean TapStack:lambdaMemoryMb?\n');
    expect(run.stderr).toContain('(0 resources registered before the failure)');
    expect(run.stderr).not.toMatch(/^\s+at /m);
    expect(existsSync(run.outDir)).toBe(false);
  });
});
