import { AWS_NAME_LIMITS, componentNameProblem } from '../../src';

// AWS limits (RDS API reference, CreateDBCluster DBClusterIdentifier: "Must contain from 1 to 63 letters, numbers, or
// hyphens"; IAM CreateRole RoleName: "Length Constraints: Minimum length of 1. Maximum length of 64").

describe('componentNameProblem', () => {
  it('names the component, the resource, its length, the limit and the longest suffix that fits', () => {
    // Prepare
    const suffix = 'a'.repeat(56);
    const names = [
      { what: 'cluster identifier', type: 'aws:rds/cluster:Cluster' as const, name: `aurora-cluster-prod-${suffix}` },
      { what: 'security group name', type: 'aws:ec2/securityGroup:SecurityGroup' as const, name: `aurora-sg-prod-${suffix}` },
    ];

    // Act
    const problem = componentNameProblem('DatabaseComponent', 'x', suffix, names);

    // Assess
    expect(problem).toBe(
      `DatabaseComponent 'x': cluster identifier 'aurora-cluster-prod-${suffix}' is 76 characters; AWS allows 63 (RDS cluster identifier); the longest environmentSuffix that fits is 43`,
    );
    expect(AWS_NAME_LIMITS['aws:rds/cluster:Cluster'].max).toBe(63);
  });

  it('reports the first name over its limit (the order the component gives), and nothing when all fit', () => {
    // Prepare
    const suffix = 'b'.repeat(50);
    const names = [
      { what: 'cluster identifier', type: 'aws:rds/cluster:Cluster' as const, name: `aurora-cluster-dev-${suffix}` },
      { what: 'role name', type: 'aws:iam/role:Role' as const, name: `payment-processor-migrate-role-dev-${suffix}` },
    ];

    // Act
    const problem = componentNameProblem('LambdaComponent', 'pay', suffix, names);
    const none = componentNameProblem('LambdaComponent', 'pay', '001', [{ what: 'role name', type: 'aws:iam/role:Role', name: 'payment-processor-role-dev-001' }]);

    // Assess
    expect(problem).toMatch(/^LambdaComponent 'pay': cluster identifier 'aurora-cluster-dev-b{50}' is 69 characters; AWS allows 63 \(RDS cluster identifier\); the longest environmentSuffix that fits is 29$/);
    expect(none).toBeUndefined();
  });

  it('without a suffix (a name given whole), says how many characters to cut', () => {
    // Act
    const problem = componentNameProblem('createVpcFunction', 'fn', undefined, [{ what: 'function name', type: 'aws:lambda/function:Function', name: 'f'.repeat(70) }]);

    // Assess
    expect(problem).toBe(`createVpcFunction 'fn': function name '${'f'.repeat(70)}' is 70 characters; AWS allows 64 (Lambda function name); shorten it by 6`);
  });
});
