import { ENVIRONMENT_NAMES, FIELD_POLICIES, PROFILES, SETTINGS, SETTING_PATHS, environmentProfile, validateEnvironmentConfig } from '../../src';
import { isConfigPath, isSettingValue, mapSettings, setSettingValue, settingMust, settingOf, settingProblem, settingTypeIssue, settingValue } from '../../src';

/** Every leaf path of a plain object, e.g. `lambda.memoryMb`. */
function leafPaths(value: object, prefix = ''): string[] {
  return Object.entries(value).flatMap(([key, child]) =>
    typeof child === 'object' && child !== null ? leafPaths(child, `${prefix}${key}.`) : [`${prefix}${key}`],
  );
}

describe('SETTINGS', () => {
  it('has one row per setting of every profile, and no other', () => {
    // Prepare: a profile sets every setting (the optional ones too).
    const profilePaths = leafPaths(environmentProfile('prod')).sort();

    // Act + Assess
    expect([...SETTING_PATHS].sort()).toEqual(profilePaths);
    expect(SETTING_PATHS.every(isConfigPath)).toBe(true);
    expect(isConfigPath('lambda.memory')).toBe(false);
  });

  it('gives every config key to one setting, each in the TapStack namespace or aws:region', () => {
    // Act
    const keys = SETTING_PATHS.flatMap((path) => {
      const key: string | undefined = settingOf(path).key;
      return key === undefined ? [] : [key];
    });

    // Assess
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys.filter((key) => !key.startsWith('TapStack:'))).toEqual(['aws:region']);
  });

  it('gives every manifest path to one setting', () => {
    // Act
    const manifestPaths = SETTING_PATHS.flatMap((path) => {
      const manifest: string | null = SETTINGS[path].manifest;
      return manifest === null ? [] : [manifest];
    });

    // Assess
    expect(new Set(manifestPaths).size).toBe(manifestPaths.length);
    expect(SETTINGS['lambda.memoryMb'].manifest).toBe('lambda.memory');
    expect(SETTINGS['database.backupRetentionDays'].manifest).toBe('backup.retentionDays');
  });

  it.each(ENVIRONMENT_NAMES)('finds every %s profile value of its row type and within its rule', (env) => {
    // Prepare
    const profile = environmentProfile(env);

    // Act
    const wrong = SETTING_PATHS.filter((path) => !isSettingValue(path, settingValue(profile, path)) || settingProblem(path, settingValue(profile, path)) !== undefined);

    // Assess
    expect(wrong).toEqual([]);
  });

  it('derives FIELD_POLICIES from the rows', () => {
    // Act
    const policies = mapSettings((path) => SETTINGS[path].policy);

    // Assess
    expect(FIELD_POLICIES).toEqual(policies);
    expect(FIELD_POLICIES['lambda.reservedConcurrency']).toBe('deployment');
  });
});

describe('PROFILES: reserved concurrency', () => {
  it('caps the payment Lambda per environment', () => {
    // Act + Assess
    expect(ENVIRONMENT_NAMES.map((env) => PROFILES[env].lambda.reservedConcurrency)).toEqual([5, 10, 50]);
  });
});

describe('settingValue and setSettingValue', () => {
  it('read and write one setting of a config', () => {
    // Prepare
    const config = environmentProfile('dev');

    // Act
    setSettingValue(config, 'monitoring.latencyThresholdMs', 1234);
    setSettingValue(config, 'lambda.reservedConcurrency', undefined);

    // Assess
    expect(settingValue(config, 'monitoring.latencyThresholdMs')).toBe(1234);
    expect(config.monitoring.latencyThresholdMs).toBe(1234);
    expect('reservedConcurrency' in config.lambda).toBe(false);
    expect(settingValue(config, 'lambda.reservedConcurrency')).toBeUndefined();
  });

  it('refuses to read a value that is not of its setting type', () => {
    // Prepare
    const config = environmentProfile('dev');
    Object.assign(config.lambda, { memoryMb: 'big' });

    // Act + Assess
    expect(() => settingValue(config, 'lambda.memoryMb')).toThrow('lambda.memoryMb of the config is "big", expected type integer');
  });
});

describe('isSettingValue, settingTypeIssue, settingProblem and settingMust', () => {
  it.each([
    ['lambda.memoryMb', 1024, true],
    ['lambda.memoryMb', 1024.5, false],
    ['lambda.memoryMb', '1024', false],
    ['lambda.memoryMb', undefined, false],
    ['lambda.timeoutSeconds', undefined, true],
    ['lambda.vcpu', 0.5, true],
    ['lambda.vcpu', Infinity, false],
    ['environment', 'prod', true],
    ['environment', 'qa', false],
    ['encryption.keyRotation', 'true', false],
  ] as const)('isSettingValue(%s, %p) is %p', (path, value, expected) => {
    // Act + Assess
    expect(isSettingValue(path, value)).toBe(expected);
  });

  it('words a wrong type as validation does', () => {
    // Act
    const issue = settingTypeIssue('lambda.memoryMb', 'big');
    const fine = settingTypeIssue('lambda.memoryMb', 2048);

    // Assess
    expect(issue).toEqual({ path: 'lambda.memoryMb', expected: 'a whole number', actual: 'big', message: 'lambda.memoryMb must be a number, got string "big"' });
    expect(fine).toBeUndefined();
    expect(validateEnvironmentConfig('dev', { ...environmentProfile('dev'), lambda: { ...environmentProfile('dev').lambda, memoryMb: 'big' } })[0].message).toBe(issue?.message);
  });

  it('applies the shared rule of a row, and phrases the profile value', () => {
    // Act + Assess
    expect(settingProblem('logging.retentionDays', 31)).toMatch(/^must be one of 1, 3, 5, .* days \(the periods CloudWatch Logs accepts\)$/);
    expect(settingProblem('monitoring.errorThreshold', 0)).toBeUndefined();
    expect(settingProblem('region', 'us-east-1')).toBeUndefined();
    expect(settingMust('database.instanceCount', 2)).toBe('run 2 database instances (high availability)');
    expect(settingMust('database.engineVersion', '15.10')).toBeUndefined();
  });
});
