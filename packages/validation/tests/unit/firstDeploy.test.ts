import {
  AURORA_POSTGRES_VERSION,
  AWS_NAME_LIMITS,
  PROFILES,
  componentNames,
  environmentProfile,
  maxEnvironmentSuffixLength,
  nameLimitBreach,
  resourceName,
  validateEnvironmentConfig,
  type StackPhysicalName,
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

// Names as a component would list them (built with resourceName, which refuses an empty part): validation knows no
// component's names, it checks the list it is given.
const NAMES: readonly StackPhysicalName[] = [
  { resource: 'Aurora cluster', type: 'aws:rds/cluster:Cluster', name: (e, s) => resourceName('aurora-cluster', e, s) },
  { resource: 'Aurora instance', type: 'aws:rds/clusterInstance:ClusterInstance', name: (e, s, count) => resourceName(`aurora-instance-${count}`, e, s) },
  { resource: 'migration function', type: 'aws:lambda/function:Function', name: (e, s) => resourceName('payment-processor-migrate', e, s) },
  { resource: 'migration function role', type: 'aws:iam/role:Role', name: (e, s) => resourceName('payment-processor-migrate-role', e, s) },
];

describe('environment suffix length against AWS name limits', () => {
  it.each([
    // "payment-processor-migrate-role-<env>-<suffix>" is the longest name and IAM allows 64 characters.
    ['dev', 29],
    ['staging', 25],
    ['prod', 28],
  ] as const)('%s allows at most %i characters with the names given', (env, max) => {
    // Act + Assess
    expect(maxEnvironmentSuffixLength(NAMES, env, PROFILES[env].database.instanceCount)).toBe(max);
  });

  it('counts the instance number in the longest instance name', () => {
    // Prepare: "aurora-instance-10-dev-" is one character longer than "aurora-instance-9-dev-"; RDS allows 63.
    const instance = NAMES.filter((n) => n.type === 'aws:rds/clusterInstance:ClusterInstance');

    // Act + Assess
    expect(maxEnvironmentSuffixLength(instance, 'dev', 9) - maxEnvironmentSuffixLength(instance, 'dev', 10)).toBe(1);
    expect(maxEnvironmentSuffixLength(instance, 'dev', 10)).toBe(63 - 'aurora-instance-10-dev-'.length);
  });

  it.each(['dev', 'staging', 'prod'] as const)('%s: the longest allowed suffix is valid, one more character is refused', (env) => {
    // Prepare
    const max = maxEnvironmentSuffixLength(NAMES, env, PROFILES[env].database.instanceCount);
    const fits = environmentProfile(env, `a${'1'.repeat(max - 1)}`);
    const tooLong = environmentProfile(env, `a${'1'.repeat(max)}`);

    // Act
    const fitIssues = validateEnvironmentConfig(env, fits, { physicalNames: NAMES });
    const longIssues = validateEnvironmentConfig(env, tooLong, { physicalNames: NAMES });

    // Assess
    expect(fitIssues).toEqual([]);
    expect(longIssues).toHaveLength(1);
    expect(longIssues[0].path).toBe('environmentSuffix');
    expect(longIssues[0].message).toBe(
      `environmentSuffix "${tooLong.environmentSuffix}" (${max + 1} characters) is too long for ${env}: the migration function role would be named ` +
        `"payment-processor-migrate-role-${env}-${tooLong.environmentSuffix}" (65 characters) and AWS allows 64; use a suffix of at most ${max} characters`,
    );
  });

  it('checks no name when given none: the names belong to the components, not to validation', () => {
    // Prepare
    const config = environmentProfile('dev', 'a'.repeat(100));

    // Act + Assess
    expect(validateEnvironmentConfig('dev', config)).toEqual([]);
    expect(validateEnvironmentConfig('dev', config, { physicalNames: NAMES }).map((i) => i.path)).toEqual(['environmentSuffix']);
  });

  it('names the limit that breaks first when several do', () => {
    // Prepare: 40 characters break IAM (64), Lambda (64) and RDS (63) names; the IAM role is furthest over.
    const breach = nameLimitBreach(NAMES, 'prod', 'x'.repeat(40), 2);

    // Assess
    expect(breach).toMatchObject({ resource: 'migration function role', type: 'aws:iam/role:Role', limit: 64, maxSuffixLength: 28 });
  });

  it('the RDS identifiers obey 63, and a suffix within every limit breaks none', () => {
    // Assess
    expect(AWS_NAME_LIMITS['aws:rds/cluster:Cluster'].max).toBe(63);
    expect(AWS_NAME_LIMITS['aws:rds/clusterInstance:ClusterInstance'].max).toBe(63);
    expect(nameLimitBreach(NAMES, 'dev', 'a'.repeat(29), 1)).toBeUndefined();
  });
});

describe('componentNames', () => {
  it('labels each name with its resource, for the one-line error of a component', () => {
    // Act
    const names = componentNames(NAMES, 'dev', '001', 2);

    // Assess
    expect(names).toContainEqual({ what: 'Aurora instance', type: 'aws:rds/clusterInstance:ClusterInstance', name: 'aurora-instance-2-dev-001' });
    expect(names.map((n) => n.what)).toEqual(NAMES.map((n) => n.resource));
  });
});
