import { AWS_NAME_LIMITS } from '@tap/validation';
import { awsNameLimits, evaluatePolicies, rdsIdentifierProblems, TYPES } from '../../src';
import { record, runStack, tags } from '../helpers';

const role = (name: string, property = 'name') => record(TYPES.role, 'role', { [property]: name });

describe('aws-name-limits', () => {
  it('passes names at their limit and ignores types AWS_NAME_LIMITS does not list', () => {
    // Prepare: 64 characters is the IAM role limit itself
    const resources = [
      role(`db-rotation-role-dev-${'x'.repeat(43)}`),
      record('aws:iam/policy:Policy', 'managed', { name: 'p'.repeat(200) }),
      record(TYPES.cluster, 'db', { clusterIdentifier: `aurora-cluster-dev-${'a'.repeat(44)}` }),
    ];
    // Act / Assess
    expect(resources[0].inputs['name']).toHaveLength(64);
    expect(resources[2].inputs['clusterIdentifier']).toHaveLength(63);
    expect(runStack(awsNameLimits, resources, tags('dev')).messages).toEqual([]);
  });

  it('flags a name over its limit with its length, the limit and how far to shorten the suffix', () => {
    // Prepare: what a 47-character suffix does to the rotation role (dev)
    const suffix = 'x'.repeat(44);
    const name = `db-rotation-role-dev-${suffix}`;
    // Act
    const { messages, urns } = runStack(awsNameLimits, [role(name)], tags('dev', suffix));
    // Assess
    expect(messages).toEqual([
      `Role 'role' has name "${name}" (65 characters); the IAM role name may be at most 64, so the deploy would fail on this resource ` +
        `after the ones before it were created. Fix: shorten the stack config TapStack:environmentSuffix ("${suffix}", 44 characters) by at least 1, or the name's fixed part.`,
    ]);
    expect(urns).toEqual([role(name).urn]);
  });

  it('infers the suffix from the names when the stack has no suffix tag', () => {
    // Prepare
    const resources = [role(`payment-processor-role-staging-${'s'.repeat(40)}`), record(TYPES.secret, 'secret', { name: `staging-db-credentials-${'s'.repeat(40)}` })];
    // Act
    const { messages } = runStack(awsNameLimits, resources, tags('staging'));
    // Assess
    expect(messages).toEqual([expect.stringContaining(`(71 characters); the IAM role name may be at most 64`)]);
    expect(messages[0]).toContain(`TapStack:environmentSuffix ("${'s'.repeat(40)}", 40 characters) by at least 7`);
  });

  it('counts the 26 characters the provider appends to a name prefix', () => {
    // Act
    const { messages } = runStack(awsNameLimits, [role('r'.repeat(39), 'namePrefix'), { ...role('q'.repeat(38), 'namePrefix'), name: 'ok', urn: 'urn:pulumi:dev::TapStack::aws:iam/role:Role::ok' }], tags('dev', '001'));
    // Assess
    expect(messages).toEqual([expect.stringContaining(`Role 'role' has namePrefix "${'r'.repeat(39)}" (39 characters + 26 the provider appends = 65); the IAM role name may be at most 64`)]);
  });

  it.each(Object.entries(AWS_NAME_LIMITS))('checks %s (%s) at its limit', (type, limit) => {
    // Prepare
    const property = limit.property;
    const ok = record(type, 'ok', { [property]: `a${'b'.repeat(limit.max - 1)}` });
    const over = record(type, 'over', { [property]: `a${'b'.repeat(limit.max)}` });
    // Act
    const { messages } = runStack(awsNameLimits, [ok, over], tags('dev', '001'));
    // Assess
    expect(messages).toEqual([expect.stringContaining(`'over' has ${property} "a${'b'.repeat(limit.max)}" (${limit.max + 1} characters); the ${limit.what} may be at most ${limit.max}`)]);
  });

  describe('RDS identifiers', () => {
    it.each([
      ['Aurora-cluster-dev-001', ['has characters other than lowercase letters, digits and hyphens', 'does not start with a letter']],
      ['1aurora-dev-001', ['does not start with a letter']],
      ['aurora--dev-001', ['has two hyphens in a row']],
      ['aurora-dev-', ['ends with a hyphen']],
      ['aurora_dev_001', ['has characters other than lowercase letters, digits and hyphens']],
      ['aurora-cluster-dev-001', []],
    ])('%s → %j', (value, expected) => {
      expect(rdsIdentifierProblems(value, false)).toEqual(expected);
    });

    it('lets a prefix end with a hyphen (the provider appends to it)', () => {
      expect(rdsIdentifierProblems('aurora-dev-', true)).toEqual([]);
    });

    it('flags a cluster and an instance identifier that break the rules', () => {
      // Prepare
      const resources = [
        record(TYPES.cluster, 'db', { clusterIdentifier: 'aurora-cluster-dev-x--1' }),
        record(TYPES.clusterInstance, 'db-0', { identifier: 'aurora-instance-1-dev-X', clusterIdentifier: 'db-id' }),
        record(TYPES.role, 'role', { name: 'Role--Name-' }),
      ];
      // Act
      const { messages } = runStack(awsNameLimits, resources, tags('dev', 'x--1'));
      // Assess: the role's name is not an RDS identifier
      expect(messages).toEqual([
        `Cluster 'db' has clusterIdentifier "aurora-cluster-dev-x--1", which has two hyphens in a row; an RDS cluster identifier is lowercase letters, digits ` +
          `and single hyphens, starts with a letter and does not end with a hyphen. Fix: name it resourceName(type, environment, suffix) with a suffix of lowercase letters and digits.`,
        expect.stringContaining(`ClusterInstance 'db-0' has identifier "aurora-instance-1-dev-X", which has characters other than lowercase letters, digits and hyphens; an RDS instance identifier`),
      ]);
    });
  });

  it('reports the names it can read while one is unknown in preview, then says so as advisory', () => {
    // Prepare
    const resources = [record(TYPES.role, 'later', { name: '[unknown]' }), role('r'.repeat(70))];
    // Act
    const violations = evaluatePolicies(resources, { stackName: 'dev', environment: 'dev', environmentSuffix: '001', policies: [awsNameLimits] });
    // Assess
    expect(violations.map((v) => [v.enforcementLevel, v.resourceName ?? null])).toEqual([
      ['mandatory', 'role'],
      ['advisory', null],
    ]);
  });

  it('is not applicable when no resource type has a name limit', () => {
    expect(runStack(awsNameLimits, [record('aws:iam/policy:Policy', 'p', { name: 'p' })]).notApplicable).toBe('no resource type with an AWS name limit');
  });
});
