// tests/database.test.ts of a stack built from @tap/components: a unit test, no AWS account needed.
import { describe, expect, it } from '@jest/globals';
import * as kms from '@pulumi/aws/kms';
import * as pulumi from '@pulumi/pulumi';
import { DatabaseComponent, NetworkingStack } from '@tap/components';
import { setPlatformMocks } from '@tap/components/testing';

// Before any resource is created: from here on AWS is answered by the mocks, which know every resource the
// components create (ARNs, endpoints, the cluster's master user secret, ...). The networking stack's outputs are yours.
const mocks = setPlatformMocks({
  project: 'payments',
  stack: 'dev',
  stackReferences: {
    'organization/networking-stack/dev': {
      vpcId: 'vpc-0abc',
      vpcCidr: '10.40.0.0/16',
      privateSubnetIds: ['subnet-a', 'subnet-b', 'subnet-c'],
      publicSubnetIds: ['subnet-d', 'subnet-e', 'subnet-f'],
      availabilityZones: ['us-east-1a', 'us-east-1b', 'us-east-1c'],
    },
  },
});

/** The stack under test: a database in the shared network, encrypted with the team's own key. */
function paymentsDatabase(): DatabaseComponent {
  const network = new NetworkingStack('network', { environment: 'dev' });
  const key = new kms.Key('payments-key', { enableKeyRotation: true });
  return new DatabaseComponent('payments-db', {
    environment: 'dev',
    environmentSuffix: '001',
    vpcId: network.vpcId,
    privateSubnetIds: network.privateSubnetIds,
    kmsKeyArn: key.arn,
  });
}

const valueOf = <T>(output: pulumi.Output<T>): Promise<T> => new Promise((resolve) => output.apply(resolve));

describe('payments database', () => {
  it('runs encrypted Aurora PostgreSQL with its master password in Secrets Manager', async () => {
    // Act
    const db = paymentsDatabase();
    const [endpoint, secretArn] = await valueOf(pulumi.all([db.endpoint, db.masterUserSecretArn]));

    // Assess
    expect(endpoint).toMatch(/^aurora-cluster-dev-001\.cluster-\w+\.us-east-1\.rds\.amazonaws\.com$/);
    expect(secretArn).toMatch(/^arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!cluster-/);
    const cluster = mocks.resources.find((r) => r.type === 'aws:rds/cluster:Cluster');
    expect(cluster?.inputs).toMatchObject({ engine: 'aurora-postgresql', storageEncrypted: true, manageMasterUserPassword: true });
  });
});
