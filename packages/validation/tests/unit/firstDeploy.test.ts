import {
  AURORA_POSTGRES_VERSION,
  AWS_NAME_LIMITS,
  PROFILES,
  STACK_PHYSICAL_NAMES,
  environmentProfile,
  maxEnvironmentSuffixLength,
  nameLimitBreach,
  validateEnvironmentConfig,
} from '../../src';

describe('the pinned Aurora PostgreSQL version', () => {
  it('is the 15.x long-term-support minor, not a retired one, in every profile', () => {
    // Assess: 15.4 is gone from every region ("Cannot find version 15.4 for aurora-postgresql"); 15.10 is the LTS minor.
    expect(AURORA_POSTGRES_VERSION).toBe('15.10');
    for (const profile of Object.values(PROFILES)) expect(profile.database.engineVersion).toBe('15.10');
  });

  it.each([
    ['15.4', 'AWS no longer offers 15.4 (CreateDBCluster fails with "Cannot find version 15.4 for aurora-postgresql")'],
    ['16.8', 'the platform is built for PostgreSQL 15; a major upgrade is a planned migration'],
    ['15.12', 'the version is pinned in one place (AURORA_POSTGRES_VERSION in @tap/validation)'],
  ])('refuses %s with the reason', (version, reason) => {
    // Prepare
    const config = environmentProfile('prod');
    config.database.engineVersion = version;

    // Act
    const issues = validateEnvironmentConfig('prod', config);

    // Assess
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ path: 'database.engineVersion', expected: '15.10' });
    expect(issues[0].message).toContain(`All environments must use Aurora PostgreSQL 15.10, got ${version}: ${reason}`);
  });
});

describe('environment suffix length against AWS name limits', () => {
  it.each([
    // "payment-processor-migrate-role-<env>-<suffix>" is the longest name and IAM allows 64 characters.
    ['dev', 29],
    ['staging', 25],
    ['prod', 28],
  ] as const)('%s allows at most %i characters', (env, max) => {
    // Act + Assess
    expect(maxEnvironmentSuffixLength(env, PROFILES[env].database.instanceCount)).toBe(max);
  });

  it.each(['dev', 'staging', 'prod'] as const)('%s: the longest allowed suffix is valid, one more character is refused', (env) => {
    // Prepare
    const max = maxEnvironmentSuffixLength(env, PROFILES[env].database.instanceCount);
    const fits = environmentProfile(env, `a${'1'.repeat(max - 1)}`);
    const tooLong = environmentProfile(env, `a${'1'.repeat(max)}`);

    // Act
    const fitIssues = validateEnvironmentConfig(env, fits);
    const longIssues = validateEnvironmentConfig(env, tooLong);

    // Assess
    expect(fitIssues).toEqual([]);
    expect(longIssues).toHaveLength(1);
    expect(longIssues[0].path).toBe('environmentSuffix');
    expect(longIssues[0].message).toBe(
      `environmentSuffix "${tooLong.environmentSuffix}" (${max + 1} characters) is too long for ${env}: the migration function role would be named ` +
        `"payment-processor-migrate-role-${env}-${tooLong.environmentSuffix}" (65 characters) and AWS allows 64; use a suffix of at most ${max} characters`,
    );
  });

  it('names the limit that breaks first when several do', () => {
    // Prepare: 40 characters break IAM (64), Lambda (64) and RDS (63) names; the IAM role is furthest over.
    const breach = nameLimitBreach('prod', 'x'.repeat(40), 2);

    // Assess
    expect(breach).toMatchObject({ resource: 'migration function role', type: 'aws:iam/role:Role', limit: 64, maxSuffixLength: 28 });
  });

  it('every listed name has a limit, and the RDS identifiers obey 63', () => {
    // Assess
    for (const entry of STACK_PHYSICAL_NAMES) expect(AWS_NAME_LIMITS[entry.type]).toBeDefined();
    expect(AWS_NAME_LIMITS['aws:rds/cluster:Cluster'].max).toBe(63);
    expect(AWS_NAME_LIMITS['aws:rds/clusterInstance:ClusterInstance'].max).toBe(63);
    expect(nameLimitBreach('dev', 'a'.repeat(29), 1)).toBeUndefined();
  });
});
