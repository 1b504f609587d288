import { ConfigValidationError, defineEnvironment, type EnvironmentConfig } from '../../src';

/*
 * Type tests: the `// @ts-expect-error` lines below must each be a compile error, or the `typecheck` target
 * (tsc on tsconfig.spec.json) fails with "Unused '@ts-expect-error' directive".
 */
const PROD = {
  environment: 'prod',
  region: 'us-east-1',
  environmentSuffix: '001',
  lambda: { memoryMb: 4096, vcpu: 2 },
  database: { instanceClass: 'db.r6g.large', instanceCount: 2, engineVersion: '15.10', backupRetentionDays: 7, deletionProtection: true, finalSnapshot: true },
  monitoring: { errorThreshold: 3, latencyThresholdMs: 2000, dbCpuThresholdPercent: 80, dbConnectionsThreshold: 200 },
  secrets: { rotationDays: 30 },
  logging: { retentionDays: 30 },
  encryption: { keyRotation: true },
} as const;

function typeTests(): void {
  defineEnvironment('prod', { ...PROD });
  // @ts-expect-error prod runs two instances (HA)
  defineEnvironment('prod', { ...PROD, database: { ...PROD.database, instanceCount: 1 } });
  // @ts-expect-error prod is in us-east-1
  defineEnvironment('prod', { ...PROD, region: 'us-east-2' });
  // @ts-expect-error prod's Lambda has 4096 MB
  defineEnvironment('prod', { ...PROD, lambda: { memoryMb: 1024, vcpu: 2 } });
  // @ts-expect-error dev's Lambda has 1024 MB, not prod's 4096
  defineEnvironment('dev', { ...PROD, environment: 'dev', region: 'us-east-2' });
  // @ts-expect-error the environment field must match the first argument
  defineEnvironment('staging', { ...PROD });
  // @ts-expect-error the stack key rotates everywhere (a parity setting)
  defineEnvironment('prod', { ...PROD, encryption: { keyRotation: false } });
  // @ts-expect-error logs are kept 30 days everywhere (a parity setting, narrowed with no entry of its own)
  defineEnvironment('prod', { ...PROD, logging: { retentionDays: 1 } });
  // @ts-expect-error prod's database is protected from deletion (an optional per-environment setting)
  defineEnvironment('prod', { ...PROD, database: { ...PROD.database, deletionProtection: false } });
  // Optional per-environment settings may still be left out (older manifests); the run-time rules judge that.
  const { deletionProtection: _protection, finalSnapshot: _snapshot, ...stated } = PROD.database;
  defineEnvironment('prod', { ...PROD, database: stated });
  // Thresholds are not exact: a stricter one compiles (and passes at run time).
  defineEnvironment('prod', { ...PROD, monitoring: { ...PROD.monitoring, errorThreshold: 1 } });
  // @ts-expect-error unknown environment
  defineEnvironment('qa', { ...PROD });
  defineEnvironment('prod', {
    ...PROD,
    // @ts-expect-error unknown keys are excess properties
    lambda: { memoryMb: 4096, vcpu: 2, memorySize: 4096 },
  });
  // The result is usable wherever an EnvironmentConfig is expected.
  const config: EnvironmentConfig = defineEnvironment('prod', { ...PROD });
  void config;
}
void typeTests;

describe('defineEnvironment', () => {
  it('returns the config when its run-time rules pass', () => {
    // Act
    const config = defineEnvironment('prod', { ...PROD, lambda: { memoryMb: 4096, vcpu: 2, reservedConcurrency: 10 } });

    // Assess
    expect(config.lambda.reservedConcurrency).toBe(10);
    expect(config.database.instanceCount).toBe(2);
  });

  it('still checks what types cannot express (a looser threshold)', () => {
    // Prepare
    const looser = { ...PROD, monitoring: { ...PROD.monitoring, errorThreshold: 30 } };

    // Act + Assess
    expect(() => defineEnvironment('prod', looser)).toThrow(ConfigValidationError);
    expect(() => defineEnvironment('prod', looser)).toThrow('Prod environment error alarm threshold must be at most 3, got 30');
  });
});
