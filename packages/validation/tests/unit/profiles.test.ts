import {
  ENVIRONMENT_NAMES,
  FIELD_POLICIES,
  PARITY_FIELDS,
  PROFILES,
  environmentProfile,
  isEnvironmentName,
  lambdaVcpuForMemory,
} from '../../src';

describe('PROFILES', () => {
  it('holds the numbers the platform agreed on', () => {
    // Prepare
    const summary = ENVIRONMENT_NAMES.map((env) => {
      const p = PROFILES[env];
      return [env, p.region, p.lambda.memoryMb, p.lambda.vcpu, p.database.instanceClass, p.database.instanceCount, p.monitoring.errorThreshold, p.monitoring.latencyThresholdMs, p.monitoring.dbConnectionsThreshold];
    });

    // Act + Assess
    expect(summary).toEqual([
      ['dev', 'us-east-2', 1024, 0.5, 'db.t4g.medium', 1, 10, 5000, 100],
      ['staging', 'us-west-2', 2048, 1, 'db.r6g.large', 1, 5, 3000, 100],
      ['prod', 'us-east-1', 4096, 2, 'db.r6g.large', 2, 3, 2000, 200],
    ]);
  });

  it.each(ENVIRONMENT_NAMES)('gives %s the shared settings', (env) => {
    // Prepare
    const p = PROFILES[env];

    // Act + Assess
    expect([p.database.engineVersion, p.database.backupRetentionDays, p.secrets.rotationDays, p.logging.retentionDays, p.encryption.keyRotation, p.monitoring.dbCpuThresholdPercent]).toEqual(['15.10', 7, 30, 30, true, 80]);
  });
});

describe('environmentProfile', () => {
  it('returns a full config with name and suffix, as a fresh copy each call', () => {
    // Prepare
    const first = environmentProfile('prod', 'pr-7');

    // Act
    first.database.instanceCount = 99;
    const second = environmentProfile('prod');

    // Assess
    expect(first).toMatchObject({ environment: 'prod', environmentSuffix: 'pr-7' });
    expect(second.environmentSuffix).toBe('001');
    expect(second.database.instanceCount).toBe(2);
    expect(PROFILES.prod.database.instanceCount).toBe(2);
  });

  it('rejects an unknown environment at run time', () => {
    // Act + Assess
    expect(() => environmentProfile('qa' as never)).toThrow('Unknown environment "qa": expected one of dev, staging, prod');
  });
});

describe('isEnvironmentName', () => {
  it.each([
    ['dev', true],
    ['prod', true],
    ['Prod', false],
    ['qa', false],
    [undefined, false],
    [1, false],
  ])('%p -> %p', (value, expected) => {
    // Act + Assess
    expect(isEnvironmentName(value)).toBe(expected);
  });
});

describe('lambdaVcpuForMemory', () => {
  it.each([
    [1024, 0.5],
    [1769, 1],
    [2048, 1],
    [3538, 2],
    [4096, 2],
    [884, 0],
    [10240, 5.5],
  ])('%d MB -> %d vCPU', (memory, vcpu) => {
    // Act + Assess
    expect(lambdaVcpuForMemory(memory)).toBe(vcpu);
  });

  it.each([NaN, -1, Infinity])('rejects %p', (memory) => {
    // Act + Assess
    expect(() => lambdaVcpuForMemory(memory)).toThrow(RangeError);
  });
});

describe('FIELD_POLICIES and PARITY_FIELDS', () => {
  it('name the settings that must be identical everywhere', () => {
    // Act + Assess
    expect([...PARITY_FIELDS].sort()).toEqual(
      ['database.backupRetentionDays', 'database.engineVersion', 'encryption.keyRotation', 'logging.retentionDays', 'secrets.rotationDays'].sort(),
    );
  });

  it('agree with the profiles: parity fields are equal, per-environment fields differ somewhere', () => {
    // Prepare
    const read = (env: (typeof ENVIRONMENT_NAMES)[number], path: string): unknown =>
      path.split('.').reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], environmentProfile(env));

    // Act
    const distinct = Object.fromEntries(
      Object.keys(FIELD_POLICIES).map((path) => [path, new Set(ENVIRONMENT_NAMES.map((env) => read(env, path))).size]),
    );

    // Assess
    for (const [path, policy] of Object.entries(FIELD_POLICIES)) {
      if (policy === 'parity') expect({ path, distinct: distinct[path] }).toEqual({ path, distinct: 1 });
      if (policy === 'per-environment') expect({ path, distinct: distinct[path] > 1 }).toEqual({ path, distinct: true });
    }
  });
});
