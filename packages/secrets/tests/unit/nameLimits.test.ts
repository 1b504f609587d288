import { SecretsComponent, SecretsComponentError } from '../../src';
import { installSecretsMocks } from '../helpers/pulumiMocks';

// AWS limits (API references): CreateFunction FunctionName maximum 64; IAM CreateRole RoleName maximum 64; CreateSecret
// Name maximum 512. The component refuses a name over its limit before registering anything.

const mocks = installSecretsMocks();

describe('SecretsComponent checks its physical names against AWS limits itself', () => {
  it('refuses a suffix that pushes the rotation function name past 64, with the longest suffix that fits', () => {
    // Prepare: "db-rotation-prod-" is 17 characters, "db-rotation-role-prod-" 22 (the tightest: 64 - 22 = 42).
    const suffix = 'c'.repeat(50);
    const before = mocks.resources.length;

    // Act
    const make = () =>
      new SecretsComponent('sec', {
        environment: 'prod',
        environmentSuffix: suffix,
        kmsKeyArn: 'arn:aws:kms:us-east-1:123456789012:key/k',
        vpcId: 'vpc-1',
        privateSubnetIds: ['subnet-a'],
        databaseSecurityGroupId: 'sg-db',
        host: 'aurora.cluster-abc.us-east-1.rds.amazonaws.com',
        port: 5432,
        dbname: 'payments',
      });

    // Assess
    expect(make).toThrow(SecretsComponentError);
    expect(make).toThrow(
      `SecretsComponent 'sec': rotation function 'db-rotation-prod-${suffix}' is 67 characters; AWS allows 64 (Lambda function name); the longest environmentSuffix that fits is 42`,
    );
    expect(mocks.resources.slice(before).filter((r) => r.type !== 'tap:secrets:SecretsComponent')).toEqual([]);
  });
});
