import { existsSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { readStackSettings, type ConfigSource } from '../../src/config';
import { APP, fixtureFile, imageContext, stackConfigFile, synth } from '../synth-helper';

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

  it('keeps aws: keys and other namespaces allowed', () => {
    // Act
    const settings = readStackSettings(source('prod', { 'aws:profile': 'tap-prod', 'aws:skipMetadataApiCheck': 'true', 'docker:host': 'unix:///var/run/docker.sock' }), 'prod');
    // Assess
    expect(settings.environment.region).toBe('us-east-1');
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
