import {
  ConfigValidationError,
  ENVIRONMENT_NAMES,
  LOG_RETENTION_DAYS,
  assertValidEnvironmentConfig,
  SETTINGS,
  SETTING_PATHS,
  environmentProfile,
  settingValue,
  validateEnvironmentConfig,
  type EnvironmentName,
} from '../../src';

type Mutable = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** A valid config of `env` as a plain JSON-like object that a row may break. */
function base(env: EnvironmentName): Mutable {
  const config: Mutable = JSON.parse(JSON.stringify(environmentProfile(env)));
  return config;
}

interface Row {
  name: string;
  env: string;
  config: () => unknown;
  issues: { path: string; message: string }[];
}

function broken(env: EnvironmentName, change: (c: Mutable) => void): () => unknown {
  return () => {
    const config = base(env);
    change(config);
    return config;
  };
}

const ROWS: Row[] = [
  // Exact per environment.
  { name: 'dev region', env: 'dev', config: broken('dev', (c) => (c.region = 'us-west-2')), issues: [{ path: 'region', message: 'Dev environment must use region us-east-2, got us-west-2' }] },
  { name: 'prod region', env: 'prod', config: broken('prod', (c) => (c.region = 'eu-west-1')), issues: [{ path: 'region', message: 'Prod environment must use region us-east-1, got eu-west-1' }] },
  {
    name: 'dev memory (seed example)',
    env: 'dev',
    config: broken('dev', (c) => (c.lambda.memoryMb = 2048)),
    issues: [
      { path: 'lambda.memoryMb', message: 'Dev environment must use 1024MB Lambda memory, got 2048' },
      { path: 'lambda.vcpu', message: 'Lambda vCPU 0.5 does not match 2048MB memory, which gives 1 vCPU (1 vCPU per 1769MB)' },
    ],
  },
  {
    name: 'staging memory and vcpu both moved together',
    env: 'staging',
    config: broken('staging', (c) => ((c.lambda.memoryMb = 4096), (c.lambda.vcpu = 2))),
    issues: [
      { path: 'lambda.memoryMb', message: 'Staging environment must use 2048MB Lambda memory, got 4096' },
      { path: 'lambda.vcpu', message: 'Staging environment must use 1 Lambda vCPU, got 2' },
    ],
  },
  { name: 'prod vcpu', env: 'prod', config: broken('prod', (c) => (c.lambda.vcpu = 3)), issues: [{ path: 'lambda.vcpu', message: 'Prod environment must use 2 Lambda vCPU, got 3' }] },
  { name: 'dev instance class', env: 'dev', config: broken('dev', (c) => (c.database.instanceClass = 'db.r6g.large')), issues: [{ path: 'database.instanceClass', message: 'Dev environment must use db.t4g.medium database instances, got db.r6g.large' }] },
  { name: 'staging instance class', env: 'staging', config: broken('staging', (c) => (c.database.instanceClass = 'db.t4g.medium')), issues: [{ path: 'database.instanceClass', message: 'Staging environment must use db.r6g.large database instances, got db.t4g.medium' }] },
  { name: 'prod without HA', env: 'prod', config: broken('prod', (c) => (c.database.instanceCount = 1)), issues: [{ path: 'database.instanceCount', message: 'Prod environment must run 2 database instances (high availability), got 1' }] },
  { name: 'dev with two instances', env: 'dev', config: broken('dev', (c) => (c.database.instanceCount = 2)), issues: [{ path: 'database.instanceCount', message: 'Dev environment must run 1 database instance, got 2' }] },
  // Parity.
  { name: 'engine version', env: 'staging', config: broken('staging', (c) => (c.database.engineVersion = '14.9')), issues: [{ path: 'database.engineVersion', message: 'All environments must use Aurora PostgreSQL 15.10, got 14.9: the platform is built for PostgreSQL 15; a major upgrade is a planned migration, not a config change' }] },
  { name: 'backup retention', env: 'prod', config: broken('prod', (c) => (c.database.backupRetentionDays = 3)), issues: [{ path: 'database.backupRetentionDays', message: 'All environments must keep database backups for 7 days, got 3' }] },
  { name: 'secret rotation', env: 'dev', config: broken('dev', (c) => (c.secrets.rotationDays = 90)), issues: [{ path: 'secrets.rotationDays', message: 'All environments must rotate secrets every 30 days, got 90' }] },
  { name: 'log retention', env: 'staging', config: broken('staging', (c) => (c.logging.retentionDays = 7)), issues: [{ path: 'logging.retentionDays', message: 'All environments must keep logs for 30 days, got 7' }] },
  { name: 'key rotation off', env: 'dev', config: broken('dev', (c) => (c.encryption.keyRotation = false)), issues: [{ path: 'encryption.keyRotation', message: 'All environments must rotate the material of the stack KMS key yearly (keyRotation true), got false' }] },
  // Thresholds: stricter is fine (tested below), looser or non-positive is not.
  { name: 'dev error threshold looser', env: 'dev', config: broken('dev', (c) => (c.monitoring.errorThreshold = 11)), issues: [{ path: 'monitoring.errorThreshold', message: 'Dev environment error alarm threshold must be at most 10, got 11' }] },
  { name: 'prod latency looser', env: 'prod', config: broken('prod', (c) => (c.monitoring.latencyThresholdMs = 2500)), issues: [{ path: 'monitoring.latencyThresholdMs', message: 'Prod environment latency alarm threshold must be at most 2000ms, got 2500' }] },
  { name: 'db cpu looser', env: 'staging', config: broken('staging', (c) => (c.monitoring.dbCpuThresholdPercent = 95)), issues: [{ path: 'monitoring.dbCpuThresholdPercent', message: 'Staging environment database CPU alarm threshold must be at most 80%, got 95' }] },
  { name: 'dev connections looser', env: 'dev', config: broken('dev', (c) => (c.monitoring.dbConnectionsThreshold = 200)), issues: [{ path: 'monitoring.dbConnectionsThreshold', message: 'Dev environment database connections alarm threshold must be at most 100, got 200' }] },
  { name: 'negative error threshold', env: 'prod', config: broken('prod', (c) => (c.monitoring.errorThreshold = -1)), issues: [{ path: 'monitoring.errorThreshold', message: 'monitoring.errorThreshold must be a non-negative integer (0 alarms on any error), got -1' }] },
  { name: 'zero connections threshold', env: 'prod', config: broken('prod', (c) => (c.monitoring.dbConnectionsThreshold = 0)), issues: [{ path: 'monitoring.dbConnectionsThreshold', message: 'monitoring.dbConnectionsThreshold must be a positive integer, got 0' }] },
  { name: 'CPU threshold of 100%', env: 'dev', config: broken('dev', (c) => (c.monitoring.dbCpuThresholdPercent = 100)), issues: [{ path: 'monitoring.dbCpuThresholdPercent', message: 'monitoring.dbCpuThresholdPercent must be an integer from 1 to 99 (percent), got 100' }] },
  // The shared setting rules come before the profile: a value AWS refuses is named as such.
  { name: 'log retention CloudWatch refuses', env: 'dev', config: broken('dev', (c) => (c.logging.retentionDays = 31)), issues: [{ path: 'logging.retentionDays', message: `logging.retentionDays must be one of ${LOG_RETENTION_DAYS.join(', ')} days (the periods CloudWatch Logs accepts), got 31` }] },
  { name: 'backup retention beyond 35 days', env: 'prod', config: broken('prod', (c) => (c.database.backupRetentionDays = 36)), issues: [{ path: 'database.backupRetentionDays', message: 'database.backupRetentionDays must be an integer from 1 to 35 days, got 36' }] },
  { name: 'rotation of 0 days', env: 'staging', config: broken('staging', (c) => (c.secrets.rotationDays = 0)), issues: [{ path: 'secrets.rotationDays', message: 'secrets.rotationDays must be an integer from 1 to 1000 days, got 0' }] },
  { name: 'memory below 128 MB', env: 'dev', config: broken('dev', (c) => (c.lambda.memoryMb = 64)), issues: [{ path: 'lambda.memoryMb', message: 'lambda.memoryMb must be an integer from 128 to 10240 MB, got 64' }, { path: 'lambda.vcpu', message: 'Lambda vCPU 0.5 does not match 64MB memory, which gives 0 vCPU (1 vCPU per 1769MB)' }] },
  { name: 'no database instance', env: 'prod', config: broken('prod', (c) => (c.database.instanceCount = 0)), issues: [{ path: 'database.instanceCount', message: 'database.instanceCount must be an integer from 1 to 16, got 0' }] },
  { name: 'negative latency', env: 'dev', config: broken('dev', (c) => (c.monitoring.latencyThresholdMs = -5)), issues: [{ path: 'monitoring.latencyThresholdMs', message: 'monitoring.latencyThresholdMs must be a positive integer, got -5' }] },
  {
    name: 'latency not below the timeout',
    env: 'dev',
    config: broken('dev', (c) => (c.lambda.timeoutSeconds = 3)),
    issues: [{ path: 'monitoring.latencyThresholdMs', message: 'monitoring.latencyThresholdMs 5000 must be below the Lambda timeout (3000ms), or slow invocations time out before the alarm sees them' }],
  },
  { name: 'timeout beyond 900 s', env: 'prod', config: broken('prod', (c) => (c.lambda.timeoutSeconds = 901)), issues: [{ path: 'lambda.timeoutSeconds', message: 'lambda.timeoutSeconds must be an integer from 1 to 900 seconds, got 901' }] },
  { name: 'zero reserved concurrency', env: 'prod', config: broken('prod', (c) => (c.lambda.reservedConcurrency = 0)), issues: [{ path: 'lambda.reservedConcurrency', message: 'lambda.reservedConcurrency must be a positive integer (0 would throttle every invocation), got 0' }] },
  // Wrong types, NaN, non-integers.
  { name: 'memory as a string', env: 'dev', config: broken('dev', (c) => (c.lambda.memoryMb = '1024')), issues: [{ path: 'lambda.memoryMb', message: 'lambda.memoryMb must be a number, got string "1024"' }] },
  { name: 'memory NaN', env: 'staging', config: broken('staging', (c) => (c.lambda.memoryMb = NaN)), issues: [{ path: 'lambda.memoryMb', message: 'lambda.memoryMb must be a finite number, got NaN' }] },
  { name: 'memory not whole', env: 'dev', config: broken('dev', (c) => (c.lambda.memoryMb = 1024.5)), issues: [{ path: 'lambda.memoryMb', message: 'lambda.memoryMb must be a whole number, got 1024.5' }] },
  { name: 'vcpu Infinity', env: 'prod', config: broken('prod', (c) => (c.lambda.vcpu = Infinity)), issues: [{ path: 'lambda.vcpu', message: 'lambda.vcpu must be a finite number, got Infinity' }] },
  { name: 'instance count fractional', env: 'prod', config: broken('prod', (c) => (c.database.instanceCount = 1.5)), issues: [{ path: 'database.instanceCount', message: 'database.instanceCount must be a whole number, got 1.5' }] },
  { name: 'key rotation as a string', env: 'dev', config: broken('dev', (c) => (c.encryption.keyRotation = 'true')), issues: [{ path: 'encryption.keyRotation', message: 'encryption.keyRotation must be true or false, got string "true"' }] },
  { name: 'region as a number', env: 'dev', config: broken('dev', (c) => (c.region = 1)), issues: [{ path: 'region', message: 'region must be a string, got number 1' }] },
  { name: 'empty instance class', env: 'dev', config: broken('dev', (c) => (c.database.instanceClass = ' ')), issues: [{ path: 'database.instanceClass', message: 'database.instanceClass must be a non-empty string, got string " "' }] },
  { name: 'threshold fractional', env: 'staging', config: broken('staging', (c) => (c.monitoring.errorThreshold = 2.5)), issues: [{ path: 'monitoring.errorThreshold', message: 'monitoring.errorThreshold must be a whole number, got 2.5' }] },
  { name: 'lambda block is an array', env: 'dev', config: broken('dev', (c) => (c.lambda = [])), issues: [{ path: 'lambda', message: 'lambda must be an object, got an array' }] },
  // Missing and unknown.
  { name: 'missing region', env: 'dev', config: broken('dev', (c) => delete c.region), issues: [{ path: 'region', message: 'region is required (a string)' }] },
  { name: 'missing database block', env: 'prod', config: broken('prod', (c) => delete c.database), issues: [{ path: 'database', message: 'database is required' }] },
  { name: 'missing rotation', env: 'staging', config: broken('staging', (c) => delete c.secrets.rotationDays), issues: [{ path: 'secrets.rotationDays', message: 'secrets.rotationDays is required (a whole number)' }] },
  {
    name: 'unknown nested key (typo)',
    env: 'dev',
    config: broken('dev', (c) => (c.lambda.memorySize = 512)),
    issues: [{ path: 'lambda.memorySize', message: 'lambda.memorySize is not a known setting (known in lambda: memoryMb, vcpu, timeoutSeconds, reservedConcurrency)' }],
  },
  {
    name: 'unknown top-level key',
    env: 'prod',
    config: broken('prod', (c) => (c.publicAccess = true)),
    issues: [{ path: 'publicAccess', message: 'publicAccess is not a known setting (known: environment, region, environmentSuffix, lambda, database, secrets, logging, encryption, monitoring)' }],
  },
  // Identity.
  { name: 'environment value unknown', env: 'dev', config: broken('dev', (c) => (c.environment = 'qa')), issues: [{ path: 'environment', message: 'environment must be one of dev, staging, prod, got "qa"' }] },
  { name: 'bad suffix', env: 'staging', config: broken('staging', (c) => (c.environmentSuffix = 'PR_1')), issues: [{ path: 'environmentSuffix', message: 'environmentSuffix must be lowercase letters, digits and single hyphens (e.g. "001"), got "PR_1"' }] },
  { name: 'config is null', env: 'dev', config: () => null, issues: [{ path: '', message: 'Environment config must be an object, got null' }] },
  {
    name: 'unknown environment name',
    env: 'qa',
    config: () => ({ ...base('dev'), environment: 'qa' }),
    issues: [
      { path: 'environment', message: 'Unknown environment "qa": expected one of dev, staging, prod' },
      { path: 'environment', message: 'environment must be one of dev, staging, prod, got "qa"' },
    ],
  },
];

describe('validateEnvironmentConfig: bad configurations', () => {
  it('has a table of at least 30 bad configurations', () => {
    expect(ROWS.length).toBeGreaterThanOrEqual(30);
  });

  it.each(ROWS)('rejects $name', ({ env, config, issues }) => {
    // Prepare
    const input = config();

    // Act
    const found = validateEnvironmentConfig(env, input);

    // Assess
    expect(found.map(({ path, message }) => ({ path, message }))).toEqual(issues);
  });

  it('reports every per-environment difference when a prod config is checked as dev', () => {
    // Prepare
    const prod = base('prod');

    // Act
    const found = validateEnvironmentConfig('dev', prod);

    // Assess: each per-environment setting where the profiles differ, and each threshold dev keeps stricter, in table
    // order (derived, so a new per-environment setting is covered without an edit here).
    const dev = environmentProfile('dev');
    const expected = SETTING_PATHS.filter((path) => {
      const [mine, theirs] = [settingValue(dev, path), settingValue(environmentProfile('prod'), path)];
      const policy = SETTINGS[path].policy;
      return (policy === 'per-environment' && JSON.stringify(mine) !== JSON.stringify(theirs)) || (policy === 'threshold' && Number(theirs) > Number(mine));
    });
    expect(found.map((issue) => issue.path)).toEqual(expected);
    expect(expected).toEqual(expect.arrayContaining(['environment', 'region', 'lambda.memoryMb', 'database.instanceCount', 'monitoring.dbConnectionsThreshold']));
    expect(found[2]).toEqual({
      path: 'lambda.memoryMb',
      expected: '1024',
      actual: 4096,
      message: 'Dev environment must use 1024MB Lambda memory, got 4096',
    });
  });
});

describe('validateEnvironmentConfig: good configurations', () => {
  it.each(ENVIRONMENT_NAMES)('accepts the %s profile', (env) => {
    // Prepare
    const config = environmentProfile(env);

    // Act
    const issues = validateEnvironmentConfig(env, config);

    // Assess
    expect(issues).toEqual([]);
  });

  it('accepts thresholds stricter than the profile, a reserved concurrency and a longer timeout', () => {
    // Prepare
    const config = environmentProfile('prod', 'pr-42');
    config.monitoring = { errorThreshold: 1, latencyThresholdMs: 1000, dbCpuThresholdPercent: 60, dbConnectionsThreshold: 150 };
    config.lambda.reservedConcurrency = 50;
    config.lambda.timeoutSeconds = 900;

    // Act
    const issues = validateEnvironmentConfig('prod', config);

    // Assess
    expect(issues).toEqual([]);
  });

  it('accepts an error threshold of 0: the alarm pages on any error', () => {
    // Prepare
    const config = environmentProfile('prod');
    config.monitoring.errorThreshold = 0;

    // Act
    const issues = validateEnvironmentConfig('prod', config);

    // Assess
    expect(issues).toEqual([]);
  });

  it('accepts a config without the optional Lambda settings (timeout defaults to 30 s)', () => {
    // Prepare
    const config = environmentProfile('staging');
    delete config.lambda.timeoutSeconds;
    delete config.lambda.reservedConcurrency;

    // Act
    const issues = validateEnvironmentConfig('staging', config);

    // Assess
    expect(issues).toEqual([]);
  });
});

describe('validateEnvironmentConfig: many problems at once', () => {
  it('never stops at the first violation', () => {
    // Prepare
    const config = base('dev');
    config.region = 'eu-central-1';
    config.lambda.memoryMb = 'big';
    config.database.instanceCount = -1;
    config.monitoring.errorThreshold = NaN;
    config.encryption.keyRotation = false;
    config.extra = 1;

    // Act
    const issues = validateEnvironmentConfig('dev', config);

    // Assess
    expect(issues.map((issue) => issue.path).sort()).toEqual(
      ['database.instanceCount', 'encryption.keyRotation', 'extra', 'lambda.memoryMb', 'monitoring.errorThreshold', 'region'].sort(),
    );
  });
});

describe('assertValidEnvironmentConfig', () => {
  it('throws one ConfigValidationError that lists every issue', () => {
    // Prepare
    const config = base('prod');
    config.database.instanceCount = 1;
    config.logging.retentionDays = 1;

    // Act
    let caught: unknown;
    try {
      assertValidEnvironmentConfig('prod', config);
    } catch (error) {
      caught = error;
    }

    // Assess
    expect(caught).toBeInstanceOf(ConfigValidationError);
    const error = caught as ConfigValidationError;
    expect(error.issues).toHaveLength(2);
    expect(error.environment).toBe('prod');
    expect(error.message).toBe(
      'Invalid configuration for environment "prod" (2 problems):\n' +
        '  - database.instanceCount: Prod environment must run 2 database instances (high availability), got 1\n' +
        '  - logging.retentionDays: All environments must keep logs for 30 days, got 1',
    );
  });

  it('passes a valid config and narrows its type', () => {
    // Prepare
    const config: unknown = JSON.parse(JSON.stringify(environmentProfile('staging')));

    // Act
    assertValidEnvironmentConfig('staging', config);

    // Assess
    expect(config.lambda.memoryMb).toBe(2048);
  });
});
